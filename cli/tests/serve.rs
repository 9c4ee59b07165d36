//! `samlkit serve` over real HTTP on loopback: the real binary, started per test on a free port,
//! and a real HTTP client. Metadata and certificates, SP-initiated login over both bindings,
//! IdP-initiated login, hostile deliveries, single logout, the admin API, and the bad inputs:
//! each a 4xx page that says what was wrong without repeating the input.

mod common;

use common::{repo, temp, write};
use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use samlkit::binding::redirect::{self, MessageKind};
use samlkit::crypto::SignatureAlgorithm;
use samlkit::logout::{LogoutBuilder, LogoutResponse, LogoutStatus, Outgoing};
use samlkit::metadata::IdpMetadata;
use samlkit::vocabulary::Binding;
use samlkit::{AddonSettings, Certificate, IdpKey, TrustPolicy, Validator, VerifiedAssertion};
use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};

const ISSUER: &str = "urn:acme-test.eu.auth0.com";

/// A running `samlkit serve`, killed when dropped.
struct Server {
    child: Child,
    stdout: BufReader<ChildStdout>,
    base: String,
    log: PathBuf,
}

impl Server {
    fn start(name: &str, args: &[&str]) -> Server {
        let dir = temp(&format!("serve-{name}"));
        let log = dir.join("server.log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_samlkit"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("the samlkit binary runs");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let Some(base) = line.split("listening on ").nth(1).and_then(|rest| rest.split(' ').next()) else {
            let _ = child.kill();
            panic!("samlkit serve did not start: {line}\n{}", std::fs::read_to_string(&log).unwrap_or_default());
        };
        Server { base: base.to_owned(), child, stdout, log }
    }

    /// The test configuration (config.toml beside the test's log).
    fn configured(name: &str, extra_args: &[&str]) -> Server {
        let dir = temp(&format!("serve-config-{name}"));
        let config = write(&dir, "idp.toml", &test_config());
        let mut args = vec!["--config", config.as_str()];
        args.extend_from_slice(extra_args);
        Server::start(name, &args)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo(path)).unwrap()
}

fn idp_cert() -> Certificate {
    Certificate::from_pem(&read("examples/data/demo-idp-cert.pem")).unwrap()
}

/// The SP's own signing key (for signed AuthnRequests and LogoutRequests).
fn sp_key() -> IdpKey {
    IdpKey::from_pem_or_der(
        read("tests/data/keys/other-2048.pkcs8.pem").as_bytes(),
        read("tests/data/keys/other-2048.cert.pem").as_bytes(),
    )
    .unwrap()
}

/// Two applications (one answering over HTTP-Redirect logout, one requiring signed requests)
/// and one user.
fn test_config() -> String {
    let sp_cert = read("tests/data/keys/other-2048.cert.pem");
    format!(
        r#"tenant = "acme-test.eu.auth0.com"

[[applications]]
client_id = "sp"
name = "Test SP"
callback = "https://sp.example/acs"
allowed_callbacks = ["https://sp.example/other-acs"]
settings = '''{{
  "audience": "https://sp.example/metadata",
  "signatureAlgorithm": "rsa-sha256",
  "digestAlgorithm": "sha256",
  "logout": {{ "callback": "https://sp.example/slo" }},
  "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
}}'''

[[applications]]
client_id = "signed"
callback = "https://signed.example/acs"
[applications.settings]
audience = "https://signed.example"
signatureAlgorithm = "rsa-sha256"
digestAlgorithm = "sha256"
signingCert = """{sp_cert}"""
logout = {{ callback = "https://signed.example/slo" }}

[[applications]]
client_id = "legacy"
callback = "https://legacy.example/acs"
insecure_allow_sha1_requests = true
[applications.settings]
audience = "https://legacy.example"
signatureAlgorithm = "rsa-sha256"
digestAlgorithm = "sha256"
signingCert = """{sp_cert}"""

[[users]]
user_id = "auth0|jane"
email = "jane@example.com"
name = "Jane Example"
given_name = "Jane"
"#
    )
}

fn sp_validator() -> Validator {
    Validator::new("https://sp.example/metadata", "https://sp.example/acs", vec![idp_cert()]).unwrap().issuer(ISSUER)
}

/// The value of the first `name="FIELD" value="…"` of an HTML form.
fn field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">"))
}

fn body(response: Response) -> (StatusCode, String, reqwest::header::HeaderMap) {
    let status = response.status();
    let headers = response.headers().clone();
    (status, response.text().unwrap(), headers)
}

fn get(server: &Server, path: &str) -> (StatusCode, String, reqwest::header::HeaderMap) {
    body(client().get(server.url(path)).send().unwrap())
}

fn post(server: &Server, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, reqwest::header::HeaderMap) {
    body(client().post(server.url(path)).form(form).send().unwrap())
}

/// An AuthnRequest from the SP `sp` with ID `id`, asking for `acs`.
fn authn_request(id: &str, issuer: &str, acs: &str) -> String {
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="{id}" Version="2.0" IssueInstant="2026-12-01T12:00:00Z" AssertionConsumerServiceURL="{acs}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">{issuer}</saml:Issuer></samlp:AuthnRequest>"#
    )
}

fn b64(text: &str) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, text.as_bytes())
}

/// Signs in through the login form; the auto-post page.
fn sign_in(server: &Server, client_id: &str, form: &[(&str, &str)]) -> String {
    let (status, html, headers) = post(server, &format!("/samlp/{client_id}/login"), form);
    assert_eq!(status, StatusCode::OK, "{html}\n{}", server.log());
    // A strict CSP whose nonce is the auto-submit script's.
    let csp = headers["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = html.split("<script nonce=\"").nth(1).and_then(|r| r.split('"').next()).expect("a nonce script");
    assert!(csp.contains(&format!("script-src 'nonce-{nonce}'")), "{csp}");
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    html
}

fn validate(validator: &Validator, html: &str) -> Result<VerifiedAssertion, samlkit::Error> {
    validator.validate(&field(html, "SAMLResponse").expect("a SAMLResponse field"))
}

/// A refusal page: the status, what it says, the banner, and not the request's own text
/// `not_echoed`.
fn assert_refused(
    result: (StatusCode, String, reqwest::header::HeaderMap),
    status: StatusCode,
    says: &str,
    not_echoed: &str,
) {
    assert!(!not_echoed.is_empty());
    assert!(!result.1.contains(not_echoed), "the page repeats the input {not_echoed:?}: {}", result.1);
    assert_refusal_page(result, status, says);
}

/// A refusal page for a request that carries no text of its own to repeat.
fn assert_refusal_page(result: (StatusCode, String, reqwest::header::HeaderMap), status: StatusCode, says: &str) {
    let (got, html, headers) = result;
    assert_eq!(got, status, "{html}");
    assert!(html.contains(says), "the page does not say {says:?}: {html}");
    assert!(html.contains("test identity provider"), "no banner: {html}");
    assert!(headers["content-type"].to_str().unwrap().starts_with("text/html"));
}

#[test]
fn metadata_certificates_and_front_page() {
    let server = Server::configured("metadata", &[]);
    let (status, xml, headers) = get(&server, "/samlp/metadata/sp");
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"].to_str().unwrap().starts_with("application/samlmetadata+xml"));
    let metadata = IdpMetadata::parse(&xml).unwrap();
    assert_eq!(metadata.entity_id, ISSUER);
    assert_eq!(metadata.signing_certificates, vec![idp_cert()]);
    let sso: Vec<(Binding, String)> =
        metadata.single_sign_on_services.iter().map(|e| (e.binding.clone(), e.location.clone())).collect();
    assert!(sso.contains(&(Binding::HttpRedirect, server.url("/samlp/sp"))), "{sso:?}");
    assert!(sso.contains(&(Binding::HttpPost, server.url("/samlp/sp"))), "{sso:?}");
    assert!(metadata.single_logout_services.iter().all(|e| e.location == server.url("/samlp/sp/logout")));

    let (status, pem, headers) = get(&server, "/pem");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(Certificate::from_pem(&pem).unwrap(), idp_cert());
    assert!(headers["content-disposition"].to_str().unwrap().contains("acme-test.eu.auth0.com.pem"));
    let der = client().get(server.url("/cer")).send().unwrap().bytes().unwrap();
    assert_eq!(der.as_ref(), idp_cert().der());

    let (status, html, headers) = get(&server, "/");
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&server.url("/samlp/metadata/signed")), "{html}");
    assert!(html.contains("test identity provider"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(get(&server, "/healthz").1, "ok\n");
}

#[test]
fn sp_initiated_over_redirect_keeps_relay_state_and_answers_the_request() {
    let server = Server::configured("redirect", &[]);
    let request = authn_request("_req1", "https://sp.example/metadata", "https://sp.example/other-acs");
    let query = redirect::encode(MessageKind::Request, &request, Some("/after"), None).unwrap();
    let (status, page, _) = get(&server, &format!("/samlp/sp?{query}"));
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Jane Example"), "the user is listed: {page}");
    assert!(page.contains("value=\"xsw3\""), "the hostile variants are offered: {page}");
    let carried = field(&page, "request").expect("the request rides in the form");
    assert_eq!(carried, query);

    let html = sign_in(&server, "sp", &[("request", &carried), ("user", "auth0|jane")]);
    assert_eq!(field(&html, "RelayState").as_deref(), Some("/after"));
    assert!(html.contains("action=\"https://sp.example/other-acs\""), "{html}");
    let validator = Validator::new("https://sp.example/metadata", "https://sp.example/other-acs", vec![idp_cert()])
        .unwrap()
        .issuer(ISSUER)
        .expect_in_response_to("_req1");
    let assertion = validate(&validator, &html).unwrap();
    assert_eq!(assertion.in_response_to.as_deref(), Some("_req1"));
    assert_eq!(
        assertion.attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress").unwrap().texts(),
        ["jane@example.com"]
    );
}

#[test]
fn sp_initiated_over_post_and_a_one_off_email() {
    let server = Server::configured("post", &[]);
    let request = authn_request("_req2", "https://sp.example/metadata", "https://sp.example/acs");
    let (status, page, _) = post(&server, "/samlp/sp", &[("SAMLRequest", &b64(&request)), ("RelayState", "rs-2")]);
    assert_eq!(status, StatusCode::OK, "{page}");
    let carried = field(&page, "saml_request").unwrap();
    let html = sign_in(
        &server,
        "sp",
        &[("saml_request", &carried), ("relay_state", "rs-2"), ("email", "someone@example.org"), ("action", "email")],
    );
    assert_eq!(field(&html, "RelayState").as_deref(), Some("rs-2"));
    let assertion = validate(&sp_validator().expect_in_response_to("_req2"), &html).unwrap();
    assert_eq!(
        assertion.attribute("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress").unwrap().texts(),
        ["someone@example.org"]
    );
}

#[test]
fn idp_initiated_login_with_and_without_relay_state() {
    let server = Server::configured("idp-initiated", &[]);
    let (status, page, headers) = get(&server, "/samlp/sp?RelayState=%2Fdashboard");
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("IdP-initiated login"), "{page}");
    assert_eq!(field(&page, "relay_state").as_deref(), Some("/dashboard"));
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("form-action 'self'") && !csp.contains("script-src"), "{csp}");

    let html = sign_in(&server, "sp", &[("user", "auth0|jane"), ("relay_state", "/dashboard")]);
    assert_eq!(field(&html, "RelayState").as_deref(), Some("/dashboard"));
    let assertion = validate(&sp_validator().allow_unsolicited(true), &html).unwrap();
    assert_eq!(assertion.in_response_to, None);
    // Unsolicited, so an SP that expects a request refuses it.
    assert!(validate(&sp_validator(), &html).is_err());

    // POST without a SAMLRequest is IdP-initiated too.
    let (status, page, _) = post(&server, "/samlp/sp", &[]);
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("IdP-initiated login"));
}

#[test]
fn the_default_tenant_serves_heroku() {
    let server = Server::start("default", &[]);
    let (status, page, _) = get(&server, "/samlp/acme");
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Alice Example") && page.contains("Bob Example"), "{page}");
    let html = sign_in(&server, "acme", &[("user", "auth0|demo-alice")]);
    assert!(html.contains("action=\"https://sso.heroku.com/saml/acme/finalize\""));
    // Auth0's defaults: SHA-1, which Heroku still accepts.
    let validator = Validator::heroku("acme", vec![idp_cert()]).unwrap().issuer("urn:samlkit-demo.example");
    let assertion = validate(&validator.insecure_allow_sha1(), &html).unwrap();
    assert_eq!(assertion.name_id.value, "alice@example.com");
}

#[test]
fn hostile_deliveries_are_what_an_sp_must_refuse() {
    let server = Server::configured("hostile", &[]);
    let validator = sp_validator().allow_unsolicited(true);
    for (variant, expected) in [
        ("expired", "Expired"),
        ("xsw3", "DuplicateId"),
        ("wrong-audience", "Audience"),
        ("resigned-by-attacker", "BadSignature"),
    ] {
        let html = sign_in(&server, "sp", &[("user", "auth0|jane"), ("deliver", variant)]);
        let error = validate(&validator, &html).expect_err(variant);
        assert!(format!("{error:?}").contains(expected), "{variant}: {error:?}");
    }
    // xsw1 wraps a signed Response: the application "sp" signs only its Assertion.
    assert_refused(
        post(&server, "/samlp/sp/login", &[("user", "auth0|jane"), ("deliver", "xsw1")]),
        StatusCode::BAD_REQUEST,
        "does not apply",
        "xsw1",
    );
    assert_refused(
        post(&server, "/samlp/sp/login", &[("user", "auth0|jane"), ("deliver", "<b>no-such</b>")]),
        StatusCode::BAD_REQUEST,
        "no hostile variant",
        "no-such",
    );
}

#[test]
fn signed_requests_are_required_when_the_settings_have_a_signing_cert() {
    let server = Server::configured("signed", &[]);
    let request = authn_request("_req3", "https://signed.example", "https://signed.example/acs");
    let unsigned = redirect::encode(MessageKind::Request, &request, None, None).unwrap();
    assert_refused(
        get(&server, &format!("/samlp/signed?{unsigned}")),
        StatusCode::BAD_REQUEST,
        "is not signed",
        "_req3",
    );
    assert_refused(
        post(&server, "/samlp/signed", &[("SAMLRequest", &b64(&request))]),
        StatusCode::BAD_REQUEST,
        "is not signed",
        "_req3",
    );

    let key = sp_key();
    let signed =
        redirect::encode(MessageKind::Request, &request, None, Some((&key, SignatureAlgorithm::RsaSha256))).unwrap();
    let (status, page, _) = get(&server, &format!("/samlp/signed?{signed}"));
    assert_eq!(status, StatusCode::OK, "{page}");
    let html = sign_in(&server, "signed", &[("request", &field(&page, "request").unwrap()), ("user", "auth0|jane")]);
    let validator = Validator::new("https://signed.example", "https://signed.example/acs", vec![idp_cert()])
        .unwrap()
        .issuer(ISSUER)
        .expect_in_response_to("_req3");
    validate(&validator, &html).unwrap();

    // A query whose signature was made by another key.
    let other = IdpKey::from_pem_or_der(
        read("examples/data/demo-idp-key.pem").as_bytes(),
        read("examples/data/demo-idp-cert.pem").as_bytes(),
    )
    .unwrap();
    let forged =
        redirect::encode(MessageKind::Request, &request, None, Some((&other, SignatureAlgorithm::RsaSha256))).unwrap();
    assert_refused(
        get(&server, &format!("/samlp/signed?{forged}")),
        StatusCode::BAD_REQUEST,
        "does not verify",
        "_req3",
    );
    // The login form re-checks it too.
    assert_refused(
        post(&server, "/samlp/signed/login", &[("request", &forged), ("user", "auth0|jane")]),
        StatusCode::BAD_REQUEST,
        "does not verify",
        "_req3",
    );
}

#[test]
fn single_logout_over_both_bindings() {
    let server = Server::configured("logout", &[]);
    // The SP "sp" sends its LogoutRequest over HTTP-Redirect; the IdP answers over its binding,
    // HTTP-Redirect, to logout.callback.
    let mut sp = AddonSettings::heroku("acme");
    sp.signature_algorithm = SignatureAlgorithm::RsaSha256;
    sp.digest_algorithm = samlkit::DigestAlgorithm::Sha256;
    sp.logout.callback = Some(server.url("/samlp/sp/logout"));
    sp.binding = Binding::HttpRedirect;
    let key = sp_key();
    let Some(Outgoing::Redirect { url }) = LogoutBuilder::new(&sp)
        .issuer("https://sp.example/metadata")
        .send_request("jane@example.com", &[], Some("bye"), &key)
        .unwrap()
    else {
        panic!("a redirect");
    };
    let response = client().get(url).send().unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let query = location.strip_prefix("https://sp.example/slo?").expect("to the configured logout.callback");
    let answer = LogoutResponse::from_redirect(query, &TrustPolicy::new(vec![idp_cert()])).unwrap();
    assert_eq!(answer.status, LogoutStatus::Success);
    assert!(answer.signed);
    assert_eq!(answer.relay_state.as_deref(), Some("bye"));

    // The SP "signed" requires signatures and answers over HTTP-POST.
    let mut signed = sp.clone();
    signed.logout.callback = Some(server.url("/samlp/signed/logout"));
    signed.binding = Binding::HttpPost;
    let Some(Outgoing::Post { html }) = LogoutBuilder::new(&signed)
        .issuer("https://signed.example")
        .send_request("jane@example.com", &[], None, &key)
        .unwrap()
    else {
        panic!("a POST form");
    };
    let (status, page, headers) =
        post(&server, "/samlp/signed/logout", &[("SAMLRequest", &field(&html, "SAMLRequest").unwrap())]);
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("action=\"https://signed.example/slo\""), "{page}");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("script-src 'sha256-"));
    let answer =
        LogoutResponse::from_post(&field(&page, "SAMLResponse").unwrap(), None, &TrustPolicy::new(vec![idp_cert()]))
            .unwrap();
    assert!(answer.signed && answer.status == LogoutStatus::Success);

    // An unsigned LogoutRequest where signingCert requires one.
    let Some(Outgoing::Post { html }) =
        LogoutBuilder::new(&AddonSettings { binding: Binding::HttpPost, ..signed.clone() })
            .issuer("https://signed.example")
            .send_request("jane@example.com", &[], None, &key)
            .unwrap()
    else {
        panic!("a POST form");
    };
    let xml = String::from_utf8(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, field(&html, "SAMLRequest").unwrap())
            .unwrap(),
    )
    .unwrap();
    let stripped = match (xml.find("<Signature"), xml.find("</Signature>")) {
        (Some(a), Some(b)) => format!("{}{}", &xml[..a], &xml[b + "</Signature>".len()..]),
        _ => panic!("a signed LogoutRequest: {xml}"),
    };
    assert_refused(
        post(&server, "/samlp/signed/logout", &[("SAMLRequest", &b64(&stripped))]),
        StatusCode::BAD_REQUEST,
        "not signed",
        "jane@",
    );

    // A LogoutResponse from the SP is acknowledged.
    let Outgoing::Redirect { url } = LogoutBuilder::new(&sp)
        .issuer("https://sp.example/metadata")
        .send_response("_idp-logout-1", LogoutStatus::Success, None, &key)
        .unwrap()
    else {
        panic!("a redirect");
    };
    let (status, page, _) = body(client().get(url).send().unwrap());
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Success"), "{page}");

    assert_refused(get(&server, "/samlp/sp/logout?zz1=1"), StatusCode::BAD_REQUEST, "needs a SAMLRequest", "zz1");
    assert_refused(
        post(&server, "/samlp/sp/logout", &[("SAMLRequest", "zz1x"), ("SAMLResponse", "zz1y")]),
        StatusCode::BAD_REQUEST,
        "both",
        "zz1",
    );
}

#[test]
fn the_admin_api_adds_users_and_applications() {
    let server = Server::start("admin", &["--admin-token", "s3cret"]);
    let http = client();
    let api = |path: &str| server.url(path);
    // Without the token, or with another one: 401.
    let denied = http.get(api("/api/applications")).send().unwrap();
    assert_eq!(denied.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(denied.headers()["www-authenticate"], "Bearer");
    let wrong = http.get(api("/api/applications")).bearer_auth("s3cre").send().unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    for path in ["/api/users", "/api/applications"] {
        let body = serde_json::json!({"user_id": "auth0|sneaky", "client_id": "sneaky", "callback": "https://evil.example/acs"});
        assert_eq!(http.post(api(path)).json(&body).send().unwrap().status(), StatusCode::UNAUTHORIZED, "{path}");
        let wrong = http.post(api(path)).bearer_auth("s3cretx").json(&body).send().unwrap();
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(http.get(api(path)).bearer_auth("").send().unwrap().status(), StatusCode::UNAUTHORIZED);
    }

    let user = serde_json::json!({"user_id": "auth0|max", "email": "max@example.net", "name": "Max"});
    let added = http.post(api("/api/users")).bearer_auth("s3cret").json(&user).send().unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let users: serde_json::Value = http.get(api("/api/users")).bearer_auth("s3cret").send().unwrap().json().unwrap();
    assert_eq!(users["users"].as_array().unwrap().len(), 3, "{users}");

    let app = serde_json::json!({
        "client_id": "late",
        "callback": "https://late.example/acs",
        "settings": {"audience": "https://late.example", "signatureAlgorithm": "rsa-sha256", "digestAlgorithm": "sha256"}
    });
    let added = http.post(api("/api/applications")).bearer_auth("s3cret").json(&app).send().unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);
    let described: serde_json::Value = added.json().unwrap();
    assert_eq!(described["login_url"], server.url("/samlp/late"));
    let apps: serde_json::Value =
        http.get(api("/api/applications")).bearer_auth("s3cret").send().unwrap().json().unwrap();
    let ids: Vec<&str> =
        apps["applications"].as_array().unwrap().iter().map(|a| a["client_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["acme", "late"]);

    let html = sign_in(&server, "late", &[("user", "auth0|max")]);
    let validator = Validator::new("https://late.example", "https://late.example/acs", vec![idp_cert()])
        .unwrap()
        .issuer("urn:samlkit-demo.example")
        .allow_unsolicited(true);
    validate(&validator, &html).unwrap();

    // Bad bodies: a JSON error each, the server still up.
    let bad = |path: &str, body: &str| {
        let r = http
            .post(api(path))
            .bearer_auth("s3cret")
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .unwrap();
        let status = r.status();
        let json: serde_json::Value = r.json().unwrap();
        (status, json["error"].as_str().unwrap_or_default().to_owned())
    };
    let (status, error) = bad("/api/users", "{not json");
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    let (status, error) = bad("/api/users", r#"{"name": "nobody"}"#);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.contains("user_id or an email"), "{error}");
    let (status, error) = bad(
        "/api/applications",
        r#"{"client_id": "x", "callback": "https://x.example/acs", "settings": {"audiance": "typo"}}"#,
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.contains("audiance"), "{error}");
    let (status, error) = bad("/api/applications", r#"{"client_id": "../x", "callback": "https://x.example/acs"}"#);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.contains("client_id"), "{error}");
    let (status, error) = bad("/api/applications", r#"{"client_id": "x", "callback": "javascript:alert(1)"}"#);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.contains("not an http(s) URL"), "{error}");
    let (status, error) = bad("/api/applications", r#"{"client_id": "x"}"#);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.contains("no ACS URL"), "{error}");
    let (status, _) = bad(
        "/api/applications",
        r#"{"client_id": "x", "callback": "https://x.example/acs", "settings_file": "/etc/passwd"}"#,
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(get(&server, "/healthz").0, StatusCode::OK);
}

#[test]
fn bad_inputs_get_a_4xx_page_that_does_not_repeat_them() {
    let server = Server::configured("bad", &["--max-body", "4096"]);
    let marker = "<script>zz1</script>";
    let enc: String = form_urlencoded::byte_serialize(marker.as_bytes()).collect();
    assert_refused(get(&server, &format!("/samlp/{enc}")), StatusCode::NOT_FOUND, "No application", "zz1");
    assert_refused(get(&server, &format!("/samlp/metadata/{enc}")), StatusCode::NOT_FOUND, "No application", "zz1");
    assert_refused(get(&server, &format!("/nowhere/{enc}")), StatusCode::NOT_FOUND, "Nothing is served", "zz1");
    assert_refusal_page(
        body(client().delete(server.url("/samlp/sp")).send().unwrap()),
        StatusCode::METHOD_NOT_ALLOWED,
        "method",
    );
    // Bad base64, bad DEFLATE, not XML, not an AuthnRequest.
    assert_refused(
        get(&server, &format!("/samlp/sp?SAMLRequest={enc}")),
        StatusCode::BAD_REQUEST,
        "not valid base64",
        "zz1",
    );
    let not_deflate = b64("zz1 is not deflate");
    let not_deflate: String = form_urlencoded::byte_serialize(not_deflate.as_bytes()).collect();
    assert_refused(
        get(&server, &format!("/samlp/sp?SAMLRequest={not_deflate}")),
        StatusCode::BAD_REQUEST,
        "not valid raw DEFLATE",
        "zz1",
    );
    let not_a_request = redirect::encode(MessageKind::Request, "<zz1 xmlns=\"urn:x\"/>", None, None).unwrap();
    assert_refused(
        get(&server, &format!("/samlp/sp?{not_a_request}")),
        StatusCode::BAD_REQUEST,
        "It is not a &lt;samlp:AuthnRequest&gt;",
        "zz1",
    );
    assert_refused(
        post(&server, "/samlp/sp", &[("SAMLRequest", marker)]),
        StatusCode::BAD_REQUEST,
        "not valid base64",
        "zz1",
    );
    // A foreign ACS URL, over both bindings and on the login form.
    let evil = authn_request("_req4", "https://sp.example/metadata", "https://evil.example/zz1");
    let query = redirect::encode(MessageKind::Request, &evil, None, None).unwrap();
    assert_refused(
        get(&server, &format!("/samlp/sp?{query}")),
        StatusCode::BAD_REQUEST,
        "neither the application",
        "evil.example",
    );
    assert_refused(
        post(&server, "/samlp/sp", &[("SAMLRequest", &b64(&evil))]),
        StatusCode::BAD_REQUEST,
        "neither the application",
        "evil.example",
    );
    assert_refused(
        post(&server, "/samlp/sp/login", &[("request", &query), ("user", "auth0|jane")]),
        StatusCode::BAD_REQUEST,
        "neither the application",
        "evil.example",
    );
    // RelayState over the limit; twice in a query.
    let long = "r".repeat(81);
    assert_refused(
        get(&server, &format!("/samlp/sp?RelayState={long}")),
        StatusCode::BAD_REQUEST,
        "--max-relay-state",
        &long,
    );
    assert_refused(
        post(&server, "/samlp/sp/login", &[("relay_state", &long), ("user", "auth0|jane")]),
        StatusCode::BAD_REQUEST,
        "over the limit",
        &long,
    );
    assert_refused(
        get(&server, "/samlp/sp?RelayState=a&RelayState=zz1"),
        StatusCode::BAD_REQUEST,
        "more than once",
        "zz1",
    );
    // The login form: no user, an unknown user, a bad email, two requests.
    assert_refusal_page(post(&server, "/samlp/sp/login", &[]), StatusCode::BAD_REQUEST, "Choose a user");
    assert_refused(post(&server, "/samlp/sp/login", &[("user", marker)]), StatusCode::BAD_REQUEST, "No user", "zz1");
    assert_refused(
        post(&server, "/samlp/sp/login", &[("email", "zz1 no at sign")]),
        StatusCode::BAD_REQUEST,
        "not an email",
        "zz1",
    );
    assert_refused(
        post(&server, "/samlp/sp/login", &[("request", "zz1a"), ("saml_request", "zz1b"), ("user", "auth0|jane")]),
        StatusCode::BAD_REQUEST,
        "two AuthnRequests",
        "zz1",
    );
    assert_refused(
        post(&server, "/samlp/zz1/login", &[("user", "auth0|jane")]),
        StatusCode::NOT_FOUND,
        "No application",
        "zz1",
    );
    // Not a form; a duplicated field; a body over --max-body.
    let not_form = client()
        .post(server.url("/samlp/sp"))
        .header("content-type", "application/json")
        .body(r#"{"zz1": 1}"#)
        .send()
        .unwrap();
    assert_refused(body(not_form), StatusCode::UNSUPPORTED_MEDIA_TYPE, "not an HTML form", "zz1");
    assert_refused(
        post(&server, "/samlp/sp", &[("RelayState", "a"), ("RelayState", "zz1")]),
        StatusCode::BAD_REQUEST,
        "could not be read",
        "zz1",
    );
    let big = "A".repeat(8192);
    assert_refused(
        post(&server, "/samlp/sp", &[("SAMLRequest", &big)]),
        StatusCode::PAYLOAD_TOO_LARGE,
        "over the server's limit",
        &big[..100],
    );
    // Nothing above panicked: the server still answers, and its log has no panic.
    assert_eq!(get(&server, "/healthz").0, StatusCode::OK);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn deterministic_runs_and_minted_keys() {
    let args = ["--now", "2026-12-01T12:00:00Z", "--sequential-ids"];
    let responses: Vec<String> = (0..2)
        .map(|i| {
            let server = Server::configured(&format!("deterministic-{i}"), &args);
            field(&sign_in(&server, "sp", &[("user", "auth0|jane")]), "SAMLResponse").unwrap()
        })
        .collect();
    assert_eq!(responses[0], responses[1]);
    let xml =
        String::from_utf8(base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &responses[0]).unwrap())
            .unwrap();
    assert!(xml.contains("ID=\"_samlkit") && xml.contains("IssueInstant=\"2026-12-01T12:00:00.000Z\""), "{xml}");

    let mut server = Server::start("mint", &["--mint-key"]);
    let mut pem = String::new();
    while !pem.contains("-----END CERTIFICATE-----") {
        let mut line = String::new();
        assert!(server.stdout.read_line(&mut line).unwrap() > 0, "the certificate is printed: {pem}");
        pem.push_str(&line);
    }
    let printed = Certificate::from_pem(&pem[pem.find("-----BEGIN").unwrap()..]).unwrap();
    assert_ne!(printed, idp_cert());
    let served = Certificate::from_pem(&get(&server, "/pem").1).unwrap();
    assert_eq!(printed, served);
}

/// Runs `samlkit serve ARGS` that must refuse to start; its last stderr line.
fn refuses_to_start(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_samlkit")).arg("serve").args(args).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(2), "samlkit serve {args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn bad_configurations_refuse_to_start() {
    let error = refuses_to_start(&["--listen", "0.0.0.0:0"]);
    assert!(error.contains("demo key") && error.contains("--insecure-demo-key"), "{error}");
    let dir = temp("serve-bad-config");
    let cases = [
        ("typo.toml", "tenannt = \"x\"\n", "unknown field"),
        (
            "settings.toml",
            "[[applications]]\nclient_id = \"a\"\ncallback = \"https://a.example/acs\"\nsettings = '{\"audiance\": 1}'\n",
            "audiance",
        ),
        ("both.toml", "[[applications]]\nclient_id = \"a\"\nsettings = '{}'\nsettings_file = \"x.json\"\n", "keep one"),
        ("missing.toml", "[[applications]]\nclient_id = \"a\"\nsettings_file = \"nowhere.json\"\n", "nowhere.json"),
        (
            "twice.toml",
            "[[applications]]\nclient_id = \"a\"\ncallback = \"https://a.example/acs\"\n[[applications]]\nclient_id = \"a\"\ncallback = \"https://b.example/acs\"\n",
            "two applications",
        ),
        ("users.toml", "[[users]]\nuser_id = \"u\"\n[[users]]\nuser_id = \"u\"\n", "two users"),
        ("nobody.toml", "[[users]]\nname = \"nobody\"\n", "user_id or an email"),
        ("key.toml", "key = \"key.pem\"\n", "without a cert"),
        ("nokey.toml", "key = \"key.pem\"\ncert = \"cert.pem\"\n", "key.pem"),
    ];
    for (name, text, says) in cases {
        let path = write(&dir, name, text);
        let error = refuses_to_start(&["--config", &path, "--listen", "127.0.0.1:0"]);
        assert!(error.contains(says), "{name}: {error}");
    }
    let error = refuses_to_start(&["--config", "/nonexistent/idp.toml"]);
    assert!(error.contains("/nonexistent/idp.toml"), "{error}");
}

#[test]
fn sigint_stops_it_cleanly() {
    let mut server = Server::start("sigint", &[]);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{}", server.log());
    assert!(server.log().contains("shutting down"));
}

#[test]
fn the_documented_example_configuration_serves_heroku_and_a_dev_sp() {
    let config = repo("examples/data/serve.toml").display().to_string();
    let server = Server::start("example-config", &["--config", &config]);
    let apps: serde_json::Value = client().get(server.url("/api/applications")).send().unwrap().json().unwrap();
    let ids: Vec<&str> =
        apps["applications"].as_array().unwrap().iter().map(|a| a["client_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["heroku", "my-sp"]);
    let html = sign_in(&server, "heroku", &[("user", "auth0|demo0001")]);
    let validator = Validator::heroku("acme", vec![idp_cert()]).unwrap().issuer(ISSUER);
    assert_eq!(validate(&validator, &html).unwrap().name_id.value, "jane.doe@example.com");
    let page = get(&server, "/samlp/my-sp").1;
    assert!(page.contains("Sam Social"), "{page}");
}

#[test]
fn sha1_signed_requests_need_the_applications_opt_in() {
    let server = Server::configured("sha1", &[]);
    let key = sp_key();
    let sha1 = |issuer: &str, acs: &str| {
        let request = authn_request("_zz1req", issuer, acs);
        redirect::encode(MessageKind::Request, &request, None, Some((&key, SignatureAlgorithm::RsaSha1))).unwrap()
    };
    let refused =
        get(&server, &format!("/samlp/signed?{}", sha1("https://signed.example", "https://signed.example/acs")));
    assert_refused(refused, StatusCode::BAD_REQUEST, "insecure_allow_sha1_requests", "_zz1req");
    let (status, page, _) =
        get(&server, &format!("/samlp/legacy?{}", sha1("https://legacy.example", "https://legacy.example/acs")));
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(server.log().contains("accepts SHA-1 signed requests"), "the opt-in is logged at start");
}

#[test]
fn logout_edge_cases() {
    let server = Server::configured("logout-edges", &["--max-relay-state", "200"]);
    let key = sp_key();
    let mut sp = AddonSettings::heroku("acme");
    sp.signature_algorithm = SignatureAlgorithm::RsaSha256;
    sp.digest_algorithm = samlkit::DigestAlgorithm::Sha256;
    sp.binding = Binding::HttpRedirect;
    let query_for = |client: &str, relay_state: Option<&str>, clock: Option<&samlkit::clock::FixedClock>| {
        let mut settings = sp.clone();
        settings.logout.callback = Some(server.url(&format!("/samlp/{client}/logout")));
        let mut builder = LogoutBuilder::new(&settings).issuer("https://sp.example/metadata");
        if let Some(clock) = clock {
            builder = builder.clock(clock);
        }
        match builder.send_request("jane@example.com", &[], relay_state, &key).unwrap() {
            Some(Outgoing::Redirect { url }) => url.split_once('?').unwrap().1.to_owned(),
            other => panic!("a redirect: {other:?}"),
        }
    };
    // An application without logout.callback cannot answer.
    let page = get(&server, &format!("/samlp/legacy/logout?{}", query_for("legacy", None, None)));
    assert_refusal_page(page, StatusCode::BAD_REQUEST, "has no logout.callback");
    // An expired LogoutRequest (made in 2001, valid for five minutes).
    let old = samlkit::clock::FixedClock::rfc3339("2001-01-01T00:00:00Z").unwrap();
    let page = get(&server, &format!("/samlp/sp/logout?{}", query_for("sp", None, Some(&old))));
    assert_refusal_page(page, StatusCode::BAD_REQUEST, "has expired");
    // --max-relay-state applies to logout too: 150 bytes pass here, 201 do not.
    let long = "r".repeat(150);
    let response =
        client().get(server.url(&format!("/samlp/sp/logout?{}", query_for("sp", Some(&long), None)))).send().unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let longer = "r".repeat(201);
    let page = get(&server, &format!("/samlp/sp/logout?{}", query_for("sp", Some(&longer), None)));
    assert_refused(page, StatusCode::BAD_REQUEST, "over the limit of 200", &longer);
}

#[test]
fn a_chunked_body_over_the_limit_is_refused() {
    use std::io::{Read as _, Write as _};
    let server = Server::configured("chunked", &["--max-body", "4096"]);
    // A body of unknown length (chunked transfer encoding), written by hand: the server may
    // answer and close before the client has sent it all, so write errors are expected.
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    let head = format!(
        "POST /samlp/sp HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 1000, "A".repeat(1000));
    for _ in 0..10 {
        if stream.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("over the server&#39;s limit") || answer.contains("over the server's limit"), "{answer}");
    assert!(answer.contains("test identity provider"), "{answer}");
}

#[test]
fn the_demo_key_off_loopback_needs_its_escape_hatch_and_an_empty_token_is_refused() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samlkit"))
        .args(["serve", "--listen", "0.0.0.0:0", "--insecure-demo-key"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port = line.split("listening on http://0.0.0.0:").nth(1).and_then(|r| r.split(' ').next()).expect("it starts");
    let health = client().get(format!("http://127.0.0.1:{port}/healthz")).send().unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("the admin API is open to anyone"), "{log}");

    let error = refuses_to_start(&["--admin-token", "", "--listen", "127.0.0.1:0"]);
    assert!(error.contains("the admin token is empty"), "{error}");
    let dir = temp("serve-empty-token");
    let config = write(&dir, "idp.toml", "admin_token = \"\"\n");
    let error = refuses_to_start(&["--config", &config, "--listen", "127.0.0.1:0"]);
    assert!(error.contains("the admin token is empty"), "{error}");
}
