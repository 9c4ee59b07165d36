//! The server's HTML, written with `maud` (every value escaped by construction), its security
//! headers, and its error pages, which say what was wrong without repeating what was sent.

use super::tenant::{App, Tenant};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use samlkit::ids::{IdGenerator as _, RandomIds};

/// The banner every page carries.
const BANNER: &str = "samlkit serve is a test identity provider: anyone can sign in as anyone. Never put real users or real service providers behind it.";

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}\
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:.6rem .8rem;border-radius:4px}\
.error{background:#fde2e1;border:1px solid #e29a96;padding:.6rem .8rem;border-radius:4px}\
button{font-size:1rem;margin:.2rem 0;padding:.4rem .8rem;cursor:pointer}\
.users button{display:block;width:100%;text-align:left}\
code{background:#f3f3f3;padding:0 .2rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;vertical-align:top}";

/// The SHA-256 hash, as CSP wants it, of the one script the library's HTTP-POST pages run
/// without a nonce (`document.forms[0].submit();`): the logout POST page.
pub fn auto_submit_script_hash() -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(b"document.forms[0].submit();");
    format!("'sha256-{}'", base64::Engine::encode(&base64::engine::general_purpose::STANDARD, digest))
}

/// A fresh CSP nonce: 128 random bits (RandomIds: `_` and 32 hex digits, all in CSP's
/// base64url grammar). Without a random source there is no page: a predictable nonce would
/// let injected script run.
pub fn nonce() -> Result<String, Failure> {
    RandomIds.new_id().map_err(|e| Failure::internal("No random nonce could be made for the page.", &e.into()))
}

/// An HTML response under `csp`.
pub fn respond(status: StatusCode, csp: &str, body: String) -> Response {
    let mut response = (status, Html(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(csp) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// A page of the IdP's own (login, index, errors): styles and nothing else run, forms post back
/// to the IdP only.
pub fn page(status: StatusCode, title: &str, body: Markup) -> Response {
    // No nonce: the page without its style (the CSP then allows none), still escaped and bannered.
    let nonce = nonce().unwrap_or_default();
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · samlkit test IdP" }
                @if !nonce.is_empty() { style nonce=(nonce) { (maud::PreEscaped(STYLE)) } }
            }
            body {
                p.banner role="alert" { strong { "Test IdP. " } (BANNER) }
                (body)
            }
        }
    };
    let style = if nonce.is_empty() { "'none'".to_owned() } else { format!("'nonce-{nonce}'") };
    let csp = format!(
        "default-src 'none'; style-src {style}; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    );
    respond(status, &csp, markup.into_string())
}

/// What a login page carries to the form it posts.
pub struct Pending<'a> {
    /// The raw query of an HTTP-Redirect AuthnRequest (re-read, with its signature, on submit).
    pub redirect_query: Option<&'a str>,
    /// The `SAMLRequest` of an HTTP-POST AuthnRequest.
    pub post_request: Option<&'a str>,
    /// RelayState (IdP-initiated login, or the POST binding's).
    pub relay_state: Option<&'a str>,
    /// What the page says it answers.
    pub summary: String,
}

/// The login page of `app`: the configured users (one click signs in), a one-off email, and
/// what to deliver.
pub fn login(tenant: &Tenant, app: &App, pending: &Pending<'_>, variants: &[&str]) -> Response {
    let users = tenant.users();
    let action = format!("/samlp/{}/login", app.config.client_id);
    let body = html! {
        h1 { "Sign in to " (app.name()) }
        p { (pending.summary) }
        form method="post" action=(action) {
            @if let Some(q) = pending.redirect_query { input type="hidden" name="request" value=(q); }
            @if let Some(r) = pending.post_request { input type="hidden" name="saml_request" value=(r); }
            @if let Some(rs) = pending.relay_state { input type="hidden" name="relay_state" value=(rs); }
            p {
                label for="deliver" { "Deliver: " }
                select #deliver name="deliver" {
                    option value="valid" selected { "the valid response" }
                    @for name in variants { option value=(name) { "hostile variant: " (name) } }
                }
                br;
                small { "A hostile variant is what an attacker would send: a correct service provider refuses it (" code { "samlkit mutate --help" } " describes each)." }
            }
            p {
                label for="email" { "Sign in with any email: " }
                input #email type="email" name="email" autocomplete="off" placeholder="jane@example.com";
                " "
                button type="submit" name="action" value="email" { "Sign in" }
            }
            @if !users.is_empty() {
                p { "Or as one of the tenant's users:" }
                div.users {
                    @for (id, profile) in &users {
                        button type="submit" name="user" value=(id) {
                            (profile.get("name").and_then(|n| n.as_str()).unwrap_or(id))
                            @if let Some(email) = profile.get("email").and_then(|e| e.as_str()) { " <" (email) ">" }
                        }
                    }
                }
            }
        }
    };
    page(StatusCode::OK, "Sign in", body)
}

/// The tenant's front page: its applications and their URLs.
pub fn index(tenant: &Tenant) -> Response {
    let base = &tenant.base_url;
    let body = html! {
        h1 { "samlkit test IdP" }
        table {
            tr { th { "Issuer" } td { code { (tenant.issuer) } } }
            tr { th { "Certificate" } td { a href="/pem" { "PEM" } " · " a href="/cer" { "DER" } " · SHA-256 " code { (crate::input::fingerprint(tenant.key.certificate())) } } }
        }
        @if tenant.demo_key {
            p.error { "Responses are signed with samlkit's demo key, whose private half is public: start with --key/--cert or --mint-key for anything but local tests." }
        }
        h2 { "Applications" }
        @for app in tenant.applications() {
            @let id = &app.config.client_id;
            h3 { (app.name()) " " small { code { (id) } } }
            table {
                tr { th { "IdP-initiated login" } td { a href={ "/samlp/" (id) } { (base) "/samlp/" (id) } } }
                tr { th { "SSO URL (both bindings)" } td { code { (base) "/samlp/" (id) } } }
                tr { th { "Metadata" } td { a href={ "/samlp/metadata/" (id) } { (base) "/samlp/metadata/" (id) } } }
                tr { th { "Logout URL" } td { code { (base) "/samlp/" (id) "/logout" } } }
                tr { th { "ACS (callback)" } td { code { (app.idp.settings().recipient.as_deref().unwrap_or("")) } } }
            }
        }
        p { a href="/healthz" { "health" } " · admin API: " code { "POST /api/users" } ", " code { "POST /api/applications" } ", " code { "GET /api/applications" } }
    };
    page(StatusCode::OK, "Applications", body)
}

/// A page saying a LogoutResponse arrived.
pub fn logged_out(app: &App, status: &str) -> Response {
    let body = html! {
        h1 { "Single logout" }
        p { "The service provider " (app.name()) " answered the logout with status " code { (status) } "." }
    };
    page(StatusCode::OK, "Logged out", body)
}

/// A refusal: the status, what was wrong (in the server's words), and where to look further.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    /// What failed, never quoting the request.
    pub headline: String,
    /// Why, never quoting the request.
    pub reason: Option<String>,
}

impl Failure {
    /// A 400 with a headline and no reason.
    pub fn bad_request(headline: impl Into<String>) -> Self {
        Self { status: StatusCode::BAD_REQUEST, headline: headline.into(), reason: None }
    }

    /// A 400 for a samlkit error, in words that do not repeat the input.
    pub fn refused(headline: impl Into<String>, error: &samlkit::Error) -> Self {
        let headline = headline.into();
        tracing::warn!(headline = %headline, error = ?error.to_string(), "refused");
        Self { status: StatusCode::BAD_REQUEST, headline, reason: Some(reason(error)) }
    }

    /// A 500: the server could not do its own part (never the request's fault).
    pub fn internal(headline: impl Into<String>, error: &samlkit::Error) -> Self {
        let headline = headline.into();
        tracing::error!(headline = %headline, error = ?error.to_string(), "failed");
        Self { status: StatusCode::INTERNAL_SERVER_ERROR, headline, reason: None }
    }

    /// The 404 of a client ID that names no application.
    pub fn unknown_application() -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            headline: "No application has that client ID.".into(),
            reason: Some("The front page (/) lists the applications; the admin API adds one.".into()),
        }
    }

    /// With a reason.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = html! {
            h1 { "The request was refused" }
            div.error {
                p { strong { (self.headline) } }
                @if let Some(reason) = &self.reason { p { (reason) } }
            }
            p { "The IdP's log has the details." }
        };
        let title = self.status.canonical_reason().unwrap_or("Error");
        page(self.status, title, body)
    }
}

/// Why samlkit refused a message, in words that quote no part of it: the messages that carry
/// only parameter names and limits are shown as they are; the others by a fixed sentence.
pub fn reason(error: &samlkit::Error) -> String {
    use samlkit::Error as E;
    use samlkit::error::BindingError as B;
    use samlkit::error::VerifyError as V;
    match error {
        E::Binding(
            e @ (B::Base64 { .. }
            | B::TooLarge { .. }
            | B::Inflate { .. }
            | B::Missing { .. }
            | B::Duplicate { .. }
            | B::SignatureWithoutSigAlg
            | B::Unsigned { .. }
            | B::BadSignature { .. }
            | B::NotUtf8 { .. }),
        ) => capitalised(&e.to_string()),
        E::Binding(B::RelayStateTooLong { length, limit }) => format!(
            "RelayState is {length} bytes, over the limit of {limit} (SAML's own limit is 80 bytes; `samlkit serve --max-relay-state N` accepts longer)."
        ),
        E::Binding(B::PercentEncoding { .. }) => "The query string has a malformed percent-escape.".into(),
        E::Binding(B::AcsNotAllowed { .. }) => "The AssertionConsumerServiceURL it asks for is neither the application's callback URL nor in its allowed_callbacks.".into(),
        E::Binding(B::AlgorithmNotAllowed { .. }) | E::Verify(V::AlgorithmNotAllowed { .. }) => SHA1_HINT.into(),
        E::Binding(B::UnexpectedMessage { expected, .. }) => format!("It is not a <{expected}>."),
        E::Binding(B::Malformed { element, .. }) => format!("The <{element}> is malformed."),
        E::Xml(_) => "It is not well-formed SAML XML (or is over the parser's limits).".into(),
        E::Verify(V::DigestMismatch { .. } | V::BadSignature { .. }) => {
            "Its XML signature does not verify with the application's signingCert.".into()
        }
        E::Verify(V::Unsigned { .. }) => "It is not signed, and the application's signingCert requires it.".into(),
        E::Verify(_) => "Its XML signature is malformed, misplaced or of a kind samlkit does not accept.".into(),
        _ => "samlkit could not use it.".into(),
    }
}

const SHA1_HINT: &str = "Its signature algorithm is not allowed (a SHA-1 signed request needs insecure_allow_sha1_requests = true on the application).";

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
