//! A tiny SAML IdP over real HTTP for the Heroku organization `acme`: metadata, SP-initiated
//! login (HTTP-Redirect AuthnRequest in, HTTP-POST Response out) and single logout.
//!
//! ```text
//! cargo run --example idp_server -- [--listen 127.0.0.1:8080]   serve until stopped
//! cargo run --example idp_server -- --self-test                 serve on a free loopback port,
//!     play Heroku against it over HTTP (metadata, login, logout), check every answer, exit
//! ```
//! Routes: `GET /metadata`, `GET /sso?SAMLRequest=…`, `GET /slo?SAMLRequest=…`. The demo key under
//! `examples/data/` is public: demo only. The "login" signs in a demo user without asking.

use samlkit::TrustPolicy;
use samlkit::authn_request::AuthnRequest;
use samlkit::binding::redirect::{self, MessageKind};
use samlkit::crypto::{DigestAlgorithm, SignatureAlgorithm};
use samlkit::logout::{LogoutBuilder, LogoutRequest, LogoutResponse, LogoutStatus, Outgoing};
use samlkit::metadata::IdpMetadata;
use samlkit::settings::AddonSettings;
use samlkit::validate::Validator;
use samlkit::vocabulary::Binding;
use samlkit::{IdentityProvider, IdpKey};
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::Duration;

const ISSUER: &str = "urn:samlkit-demo.example";

struct Idp {
    idp: IdentityProvider,
    base: String,
    profile: serde_json::Value,
}

impl Idp {
    fn new(base: String) -> Result<Self, String> {
        let mut settings = AddonSettings::heroku("acme");
        // Heroku accepts SHA-256; Auth0's SHA-1 default stays available through the settings.
        settings.signature_algorithm = SignatureAlgorithm::RsaSha256;
        settings.digest_algorithm = DigestAlgorithm::Sha256;
        settings.issuer = Some(ISSUER.into());
        settings.logout.callback = Some("https://sso.heroku.com/saml/acme/slo".into());
        settings.binding = Binding::HttpRedirect;
        let key =
            IdpKey::from_pem_or_der(include_bytes!("data/demo-idp-key.pem"), include_bytes!("data/demo-idp-cert.pem"))
                .map_err(|e| e.to_string())?;
        let idp = IdentityProvider::new(settings, key).map_err(|e| e.to_string())?;
        let profile = serde_json::from_str(include_str!("data/demo-profile.json")).map_err(|e| e.to_string())?;
        Ok(Self { idp, base, profile })
    }

    /// Answers one request: (status line, content type, extra header, body).
    fn handle(&self, path: &str) -> (&'static str, &'static str, Option<String>, String) {
        let (route, query) = path.split_once('?').unwrap_or((path, ""));
        let result = match route {
            "/metadata" => self.metadata().map(|xml| ("200 OK", "application/samlmetadata+xml", None, xml)),
            "/sso" => self.sso(query).map(|html| ("200 OK", "text/html; charset=utf-8", None, html)),
            "/slo" => {
                self.slo(query).map(|url| ("302 Found", "text/plain", Some(format!("Location: {url}")), String::new()))
            }
            _ => Ok(("404 Not Found", "text/plain", None, "not found\n".to_owned())),
        };
        result.unwrap_or_else(|e| ("400 Bad Request", "text/plain; charset=utf-8", None, format!("{e}\n")))
    }

    fn metadata(&self) -> Result<String, String> {
        self.idp
            .metadata()
            .sso_url(format!("{}/sso", self.base))
            .slo_url(format!("{}/slo", self.base))
            .build()
            .map_err(|e| e.to_string())
    }

    fn sso(&self, query: &str) -> Result<String, String> {
        let (request, relay_state) =
            AuthnRequest::from_redirect(query, self.idp.request_trust()).map_err(|e| e.to_string())?;
        let response = self.idp.answer(&request, &self.profile).build().map_err(|e| e.to_string())?;
        response.post_form(relay_state.as_deref()).map_err(|e| e.to_string())
    }

    fn slo(&self, query: &str) -> Result<String, String> {
        let request = LogoutRequest::from_redirect(query, &TrustPolicy::default()).map_err(|e| e.to_string())?;
        let out = self
            .idp
            .logout()
            .send_response(&request.id, LogoutStatus::Success, request.relay_state.as_deref(), self.idp.key())
            .map_err(|e| e.to_string())?;
        match out {
            Outgoing::Redirect { url } => Ok(url),
            Outgoing::Post { .. } => Err("this demo answers logout over HTTP-Redirect".into()),
        }
    }
}

/// Serves one HTTP/1.1 request on `stream` (requests are small; headers are capped at 16 KiB).
fn serve(idp: &Idp, stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?).take(16 * 1024);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (status, content_type, header, body) = match (parts.next(), parts.next()) {
        (Some("GET"), Some(path)) => idp.handle(path),
        _ => ("405 Method Not Allowed", "text/plain", None, "GET only\n".to_owned()),
    };
    let header = header.map(|h| format!("{h}\r\n")).unwrap_or_default();
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{header}Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// A minimal HTTP GET client: (status code, headers, body).
fn get(address: &str, path: &str) -> Result<(u16, String, String), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("connect {address}: {e}"))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").map_err(|e| e.to_string())?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).map_err(|e| e.to_string())?;
    let (head, body) = raw.split_once("\r\n\r\n").ok_or("malformed HTTP response")?;
    let code = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).ok_or("no status code")?;
    Ok((code, head.to_owned(), body.to_owned()))
}

/// Plays Heroku against the server at `address`.
fn self_test(address: &str) -> Result<(), String> {
    // 1. Metadata: Heroku's admin pastes the IdP's certificate from it.
    let (code, _, xml) = get(address, "/metadata")?;
    let metadata = IdpMetadata::parse(&xml).map_err(|e| format!("metadata: {e}"))?;
    let cert = metadata.signing_certificates.first().cloned().ok_or("no signing certificate in the metadata")?;
    println!("GET /metadata -> {code}, entity {}", metadata.entity_id);

    // 2. SP-initiated login: AuthnRequest over HTTP-Redirect, Response back in a POST form.
    let request = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_selftest1" Version="2.0" IssueInstant="2026-11-28T15:00:00Z" AssertionConsumerServiceURL="https://sso.heroku.com/saml/acme/finalize"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sso.heroku.com/saml/acme</saml:Issuer></samlp:AuthnRequest>"#;
    let query = redirect::encode(MessageKind::Request, request, Some("/apps"), None).map_err(|e| e.to_string())?;
    let (code, _, html) = get(address, &format!("/sso?{query}"))?;
    let field = |name: &str| -> Result<String, String> {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker).ok_or(format!("no {name} in the form"))? + marker.len();
        Ok(html[start..start + html[start..].find('"').ok_or("unterminated value")?].to_owned())
    };
    let assertion = Validator::heroku("acme", vec![cert.clone()])
        .map_err(|e| e.to_string())?
        .issuer(ISSUER)
        .expect_in_response_to("_selftest1")
        .validate(&field("SAMLResponse")?)
        .map_err(|e| format!("the IdP's response does not validate: {e}"))?;
    if field("RelayState")? != "/apps" {
        return Err("RelayState was not carried through".into());
    }
    println!("GET /sso -> {code}, signed Response for {} validated as Heroku would", assertion.name_id.value);

    // 3. A hostile request: an ACS URL that is not Heroku's is refused.
    let evil = request.replace("https://sso.heroku.com/saml/acme/finalize", "https://evil.example/acs");
    let query = redirect::encode(MessageKind::Request, &evil, None, None).map_err(|e| e.to_string())?;
    let (code, _, body) = get(address, &format!("/sso?{query}"))?;
    if code != 400 || !body.contains("not the configured ACS") {
        return Err(format!("a foreign ACS URL was not refused: {code} {body}"));
    }
    println!("GET /sso with a foreign ACS URL -> {code}, refused");

    // 4. Single logout: LogoutRequest in, signed LogoutResponse redirected back.
    let mut sp = AddonSettings::heroku("acme");
    sp.logout.callback = Some(format!("http://{address}/slo"));
    sp.binding = Binding::HttpRedirect;
    let url = match LogoutBuilder::new(&sp)
        .issuer("https://sso.heroku.com/saml/acme")
        .send_request(&assertion.name_id.value, &[], Some("bye"), &sp_key()?)
        .map_err(|e| e.to_string())?
    {
        Some(Outgoing::Redirect { url }) => url,
        other => return Err(format!("unexpected logout message {other:?}")),
    };
    let path = url.split_once(address).map(|(_, p)| p.to_owned()).ok_or("bad logout URL")?;
    let (code, head, _) = get(address, &path)?;
    let location = head.lines().find_map(|l| l.strip_prefix("Location: ")).ok_or("no Location header")?;
    let (_, query) = location.split_once('?').ok_or("no query in Location")?;
    let policy = samlkit::TrustPolicy::new(vec![cert]);
    let response = LogoutResponse::from_redirect(query, &policy).map_err(|e| format!("logout response: {e}"))?;
    if response.status != LogoutStatus::Success || !response.signed || response.relay_state.as_deref() != Some("bye") {
        return Err(format!("unexpected logout response {response:?}"));
    }
    println!("GET /slo -> {code}, signed LogoutResponse: {:?}", response.status);
    Ok(())
}

/// The SP's key for its query-signed LogoutRequest (the demo pair stands in for it).
fn sp_key() -> Result<IdpKey, String> {
    IdpKey::from_pem_or_der(include_bytes!("data/demo-idp-key.pem"), include_bytes!("data/demo-idp-cert.pem"))
        .map_err(|e| e.to_string())
}

fn run() -> Result<(), String> {
    let mut listen = "127.0.0.1:8080".to_owned();
    let mut test = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs an address")?,
            "--self-test" => test = true,
            other => return Err(format!("unknown argument `{other}` (try --listen ADDR or --self-test)")),
        }
    }
    if test {
        listen = "127.0.0.1:0".into();
    }
    let listener = TcpListener::bind(&listen).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?.to_string();
    let idp = Idp::new(format!("http://{address}"))?;
    if !test {
        eprintln!("IdP for Heroku org `acme` on http://{address} (/metadata, /sso, /slo); Ctrl-C stops it");
        for stream in listener.incoming().flatten() {
            if let Err(e) = serve(&idp, stream) {
                eprintln!("connection: {e}");
            }
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // metadata, sso, hostile sso, slo: four requests, then stop.
            for stream in listener.incoming().take(4).flatten() {
                let _ = serve(&idp, stream);
            }
        });
        let result = self_test(&address);
        if result.is_err() {
            // Unblock the server thread so the scope can end.
            for _ in 0..4 {
                let _ = TcpStream::connect(&address);
            }
        }
        result
    })?;
    println!("self-test passed");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
