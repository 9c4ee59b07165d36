//! Single sign-on: `GET|POST /samlp/{client_id}` shows the login page (SP-initiated with a
//! `SAMLRequest`, IdP-initiated without), `POST /samlp/{client_id}/login` answers it with the
//! auto-submitting form to the ACS URL, the valid response or a hostile variant.

use super::pages::{self, Failure, Pending};
use super::tenant::{self, App, Tenant};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use samlkit::AuthnRequest;
use samlkit::binding::Script;
use samlkit::testing::{Keys, mutations};
use std::sync::{Arc, OnceLock};

/// The fields of an HTTP-POST AuthnRequest.
#[derive(serde::Deserialize)]
pub struct PostBinding {
    #[serde(rename = "SAMLRequest")]
    saml_request: Option<String>,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

/// The login form's fields.
#[derive(serde::Deserialize)]
pub struct LoginForm {
    /// A configured user's ID (the button pressed).
    user: Option<String>,
    /// A one-off user's email.
    email: Option<String>,
    /// The raw query of an HTTP-Redirect AuthnRequest.
    request: Option<String>,
    /// The `SAMLRequest` of an HTTP-POST AuthnRequest.
    saml_request: Option<String>,
    relay_state: Option<String>,
    /// `valid` (default) or the name of a hostile variant.
    deliver: Option<String>,
    /// Which button: `email`, or absent for a user's button.
    #[allow(dead_code)]
    action: Option<String>,
}

/// A received AuthnRequest, or none for IdP-initiated login.
struct Received {
    request: Option<AuthnRequest>,
    relay_state: Option<String>,
}

fn application(tenant: &Tenant, client_id: &str) -> Result<App, Failure> {
    tenant.application(client_id).ok_or_else(Failure::unknown_application)
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// Whether a query string carries a parameter `name`.
pub fn has_parameter(query: &str, name: &str) -> bool {
    query.split('&').any(|pair| pair.split('=').next() == Some(name))
}

/// The query's `RelayState` (IdP-initiated login), decoded.
fn query_relay_state(query: &str) -> Result<Option<String>, Failure> {
    let mut found = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name == "RelayState" && found.replace(value.into_owned()).is_some() {
            return Err(Failure::bad_request("The query names RelayState more than once."));
        }
    }
    Ok(found)
}

fn check_relay_state(tenant: &Tenant, relay_state: Option<&str>) -> Result<(), Failure> {
    match relay_state {
        Some(rs) if rs.len() > tenant.limits.max_relay_state => Err(Failure::refused(
            "The RelayState is too long.",
            &samlkit::error::BindingError::RelayStateTooLong { length: rs.len(), limit: tenant.limits.max_relay_state }
                .into(),
        )),
        _ => Ok(()),
    }
}

/// Reads the AuthnRequest of the Redirect query `query` (signature checked when the settings
/// have a `signingCert`), and checks its ACS URL now, before anyone signs in.
fn from_redirect(tenant: &Tenant, app: &App, query: &str) -> Result<Received, Failure> {
    let (request, relay_state) = AuthnRequest::from_redirect_with_limits(query, &app.trust, &tenant.limits)
        .map_err(|e| Failure::refused("The HTTP-Redirect AuthnRequest could not be read.", &e))?;
    check_acs(app, &request)?;
    Ok(Received { request: Some(request), relay_state })
}

fn from_post(tenant: &Tenant, app: &App, saml_request: &str, relay_state: Option<&str>) -> Result<Received, Failure> {
    let (request, relay_state) =
        AuthnRequest::from_post_with_limits(saml_request, relay_state, &app.trust, &tenant.limits)
            .map_err(|e| Failure::refused("The HTTP-POST AuthnRequest could not be read.", &e))?;
    check_acs(app, &request)?;
    Ok(Received { request: Some(request), relay_state })
}

fn check_acs(app: &App, request: &AuthnRequest) -> Result<(), Failure> {
    let allowed: Vec<&str> = app.allowed_acs().collect();
    request
        .acs_url(app.idp.settings(), &allowed)
        .map(|_| ())
        .map_err(|e| Failure::refused(format!("Application {} does not answer this AuthnRequest.", app.name()), &e))
}

/// `GET /samlp/{client_id}`: a Redirect-binding AuthnRequest, or IdP-initiated login.
pub async fn sso_get(
    State(tenant): State<Arc<Tenant>>,
    Path(client_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let app = application(&tenant, &client_id)?;
    let query = query.unwrap_or_default();
    if has_parameter(&query, "SAMLRequest") {
        let received = from_redirect(&tenant, &app, &query)?;
        Ok(login_page(&tenant, &app, &received, Pending::redirect(&query)))
    } else {
        let relay_state = query_relay_state(&query)?;
        check_relay_state(&tenant, relay_state.as_deref())?;
        let received = Received { request: None, relay_state };
        Ok(login_page(&tenant, &app, &received, Pending::idp_initiated(received.relay_state.as_deref())))
    }
}

/// `POST /samlp/{client_id}`: a POST-binding AuthnRequest, or IdP-initiated login.
pub async fn sso_post(
    State(tenant): State<Arc<Tenant>>,
    Path(client_id): Path<String>,
    form: Result<Form<PostBinding>, FormRejection>,
) -> Result<Response, Failure> {
    let app = application(&tenant, &client_id)?;
    let Form(form) = form.map_err(form_failure)?;
    let relay_state = non_empty(form.relay_state.as_deref());
    match non_empty(form.saml_request.as_deref()) {
        Some(saml_request) => {
            let received = from_post(&tenant, &app, saml_request, relay_state)?;
            Ok(login_page(&tenant, &app, &received, Pending::post(saml_request, relay_state)))
        }
        None => {
            check_relay_state(&tenant, relay_state)?;
            let received = Received { request: None, relay_state: relay_state.map(str::to_owned) };
            Ok(login_page(&tenant, &app, &received, Pending::idp_initiated(relay_state)))
        }
    }
}

impl<'a> Pending<'a> {
    fn redirect(query: &'a str) -> Self {
        Pending { redirect_query: Some(query), post_request: None, relay_state: None, summary: String::new() }
    }

    fn post(saml_request: &'a str, relay_state: Option<&'a str>) -> Self {
        Pending { redirect_query: None, post_request: Some(saml_request), relay_state, summary: String::new() }
    }

    fn idp_initiated(relay_state: Option<&'a str>) -> Self {
        Pending { redirect_query: None, post_request: None, relay_state, summary: String::new() }
    }
}

fn login_page(tenant: &Tenant, app: &App, received: &Received, mut pending: Pending<'_>) -> Response {
    let acs = app.idp.settings().recipient.as_deref().unwrap_or_default();
    pending.summary = match &received.request {
        Some(r) => {
            let from = r.issuer.as_deref().map(|i| format!(" from {i}")).unwrap_or_default();
            let to = r.assertion_consumer_service_url.as_deref().unwrap_or(acs);
            format!("An AuthnRequest{from} (ID {}); the response goes to {to}.", r.id)
        }
        None => format!("IdP-initiated login: the response goes to {acs}."),
    };
    pages::login(tenant, app, &pending, catalogue())
}

/// The names of the hostile variants, in catalogue order (those of a response whose Response
/// and Assertion are both signed: every variant).
pub fn catalogue() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let Ok(key) = super::demo_key() else { return Vec::new() };
        let mut settings = samlkit::AddonSettings::heroku("acme").with_issuer("urn:samlkit-demo.example");
        settings.sign_response = true;
        let Ok(idp) = samlkit::IdentityProvider::new(settings, key.clone()) else {
            return Vec::new();
        };
        let Ok(response) = idp.respond(&serde_json::json!({"email": "jane@example.com"})).build() else {
            return Vec::new();
        };
        mutations(&response.xml, &Keys { idp: Some(&key), attacker: &key })
            .map(|all| all.into_iter().map(|m| m.name).collect())
            .unwrap_or_default()
    })
}

/// `POST /samlp/{client_id}/login`: signs the user in and answers with the auto-submitting form.
pub async fn login(
    State(tenant): State<Arc<Tenant>>,
    Path(client_id): Path<String>,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Result<Response, Failure> {
    let app = application(&tenant, &client_id)?;
    let Form(form) = form.map_err(form_failure)?;
    let relay_state = non_empty(form.relay_state.as_deref());
    let received = match (non_empty(form.request.as_deref()), non_empty(form.saml_request.as_deref())) {
        (Some(_), Some(_)) => return Err(Failure::bad_request("The form carries two AuthnRequests.")),
        (Some(query), None) => from_redirect(&tenant, &app, query)?,
        (None, Some(saml_request)) => from_post(&tenant, &app, saml_request, relay_state)?,
        (None, None) => {
            check_relay_state(&tenant, relay_state)?;
            Received { request: None, relay_state: relay_state.map(str::to_owned) }
        }
    };
    let profile = match (non_empty(form.user.as_deref()), non_empty(form.email.as_deref())) {
        (Some(id), _) => tenant.user(id).ok_or_else(|| Failure::bad_request("No user of the tenant has that ID."))?,
        (None, Some(email)) => {
            tenant::one_off_user(email).map_err(|e| Failure::bad_request("The email cannot sign in.").because(e))?
        }
        (None, None) => return Err(Failure::bad_request("Choose a user, or enter an email.")),
    };
    let mut response = match &received.request {
        Some(request) => app.idp.answer(request, &profile),
        None => app.idp.respond(&profile),
    };
    for url in app.allowed_acs() {
        response = response.allow_acs(url);
    }
    let signed =
        response.build().map_err(|e| Failure::refused(format!("No response could be made for {}.", app.name()), &e))?;
    let xml = match non_empty(form.deliver.as_deref()).unwrap_or("valid") {
        "valid" => signed.xml,
        name => hostile(&tenant, &signed.xml, name)?,
    };
    tracing::info!(client_id = %app.config.client_id, user = %tenant::user_id(&profile).unwrap_or_default(),
        deliver = %non_empty(form.deliver.as_deref()).unwrap_or("valid"), "signed in");
    let base64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, xml.as_bytes());
    let nonce = pages::nonce()?;
    let mut post = samlkit::PostForm::response(&signed.destination, &base64).script(Script::Nonce(nonce.clone()));
    if let Some(rs) = &received.relay_state {
        post = post.relay_state(rs.clone());
    }
    let html = post.html().map_err(|e| Failure::internal("The response form could not be written.", &e))?;
    let csp = format!("default-src 'none'; script-src 'nonce-{nonce}'; base-uri 'none'; frame-ancestors 'none'");
    Ok(pages::respond(StatusCode::OK, &csp, html))
}

/// The hostile variant `name` of `xml`.
fn hostile(tenant: &Tenant, xml: &str, name: &str) -> Result<String, Failure> {
    if !catalogue().contains(&name) {
        return Err(Failure::bad_request("There is no hostile variant of that name.")
            .because("The login page lists them; `samlkit mutate --help` describes them."));
    }
    let attacker = tenant.attacker().ok_or_else(|| Failure {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        headline: "The attacker's key could not be made.".into(),
        reason: None,
    })?;
    let variants = mutations(xml, &Keys { idp: Some(&tenant.key), attacker })
        .map_err(|e| Failure::internal("The hostile variants could not be made.", &e))?;
    variants.into_iter().find(|m| m.name == name).map(|m| m.xml).ok_or_else(|| {
        Failure::bad_request("That hostile variant does not apply to this application's responses.")
            .because("The variants that wrap the Response need it signed (signResponse: true); those that wrap the Assertion need a signed Assertion.")
    })
}

/// A form that does not parse.
pub fn form_failure(rejection: FormRejection) -> Failure {
    let status = match rejection {
        FormRejection::InvalidFormContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        FormRejection::BytesRejection(ref b) => b.status(),
        _ => StatusCode::BAD_REQUEST,
    };
    let headline = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "The request body is over the server's limit.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "The body is not an HTML form (application/x-www-form-urlencoded).",
        _ => "The form could not be read.",
    };
    Failure { status, headline: headline.into(), reason: None }
}
