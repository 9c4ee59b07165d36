//! `samlkit serve`: a test identity provider that answers on Auth0's URLs with Auth0's addon
//! settings, so a service provider configured against Auth0's "SAML2 Web App" addon can be
//! pointed at it unchanged.

mod admin;
mod config;
mod logout;
mod pages;
mod sso;
mod tenant;

use crate::input::{read, shown};
use crate::{Exit, Outcome};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use config::{Application, Config};
use pages::Failure;
use samlkit::binding::redirect::RedirectLimits;
use samlkit::ids::{IdGenerator, RandomIds, SequentialIds};
use samlkit::{AddonSettings, IdpKey};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use tenant::Tenant;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

const DEMO_KEY: &[u8] = include_bytes!("../../../examples/data/demo-idp-key.pem");
const DEMO_CERT: &[u8] = include_bytes!("../../../examples/data/demo-idp-cert.pem");

/// Serve a test IdP on Auth0's URLs: metadata, SP- and IdP-initiated login over both bindings, a
/// login page listing the tenant's users, hostile deliveries, single logout and an admin API.
///
/// Without --config it serves one Heroku application (`acme`) and two demo users, signed with
/// samlkit's public demo key. docs/serve.md describes the configuration file and every route.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  samlkit serve                                   # http://127.0.0.1:7000, Heroku app `acme`
  samlkit serve --config idp.toml --listen 127.0.0.1:0
  samlkit serve --now 2026-12-01T12:00:00Z --sequential-ids   # deterministic responses")]
pub struct Args {
    /// The configuration file (TOML): tenant, key, applications, users.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Where to listen (port 0: any free port; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7000")]
    listen: SocketAddr,
    /// The URL the server is reached at, for metadata and links (default: http:// and the
    /// listening address).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The IdP's private key (PEM or DER), overriding the configuration's.
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// The IdP's certificate, with --key.
    #[arg(long, value_name = "FILE", requires = "key")]
    cert: Option<PathBuf>,
    /// Mint a fresh RSA-2048 key pair at start (its certificate is printed) instead of the
    /// demo key.
    #[arg(long, conflicts_with = "key")]
    mint_key: bool,
    /// Allow samlkit's public demo key on an address other than loopback.
    #[arg(long)]
    insecure_demo_key: bool,
    /// Fix the clock (RFC 3339), for deterministic responses.
    #[arg(long, value_name = "RFC3339")]
    now: Option<String>,
    /// IDs _samlkit1, _samlkit2, … instead of random ones, for deterministic responses.
    #[arg(long)]
    sequential_ids: bool,
    /// The admin API's bearer token, overriding the configuration's.
    #[arg(long, value_name = "TOKEN", env = "SAMLKIT_ADMIN_TOKEN", hide_env_values = true)]
    admin_token: Option<String>,
    /// The longest RelayState accepted, in bytes (SAML's limit is 80).
    #[arg(long, value_name = "BYTES", default_value_t = 80)]
    max_relay_state: usize,
    /// The largest request body accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024)]
    max_body: usize,
}

/// samlkit's public demo key.
pub fn demo_key() -> Result<IdpKey, samlkit::error::KeyError> {
    IdpKey::from_pem_or_der(DEMO_KEY, DEMO_CERT)
}

pub fn run(args: Args) -> Outcome {
    let started = Instant::now();
    init_logging();
    let config = match &args.config {
        Some(path) => Config::read(path).map_err(Exit::Usage)?,
        None => Config::default(),
    };
    let (key, demo, minted) = choose_key(&args, &config)?;
    if demo && !args.listen.ip().is_loopback() && !args.insecure_demo_key {
        return Err(Exit::Usage(format!(
            "refusing to serve samlkit's public demo key on {}, which is not loopback: pass --key/--cert or --mint-key (or --insecure-demo-key)",
            args.listen
        )));
    }
    let ids: Arc<dyn IdGenerator> = if args.sequential_ids {
        Arc::new(SequentialIds::new("_samlkit").map_err(|e| Exit::Usage(e.to_string()))?)
    } else {
        Arc::new(RandomIds)
    };
    let clock = crate::input::clock(args.now.as_deref())?;
    // An empty token would read as "no token", which opens the API: refused, wherever it comes from.
    if args.admin_token.as_deref() == Some("") || config.admin_token.as_deref() == Some("") {
        return Err(Exit::Usage(
            "the admin token is empty (--admin-token, SAMLKIT_ADMIN_TOKEN or admin_token): give one, or none for an open API".into(),
        ));
    }
    let admin_token = args.admin_token.clone().or(config.admin_token.clone());
    let limits = RedirectLimits { max_relay_state: args.max_relay_state, ..RedirectLimits::default() };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Exit::Usage(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| Exit::Usage(format!("cannot listen on {}: {e}", args.listen)))?;
        let address = listener.local_addr().map_err(|e| Exit::Usage(e.to_string()))?;
        let base_url = args.base_url.clone().or(config.base_url.clone()).unwrap_or_else(|| format!("http://{address}"));
        let issuer = format!("urn:{}", config.tenant.as_deref().unwrap_or(tenant::DEMO_TENANT));
        let tenant = Tenant::new(issuer, base_url, (key, demo), clock, ids, admin_token, limits);
        populate(&tenant, config)?;
        if !address.ip().is_loopback() && tenant.admin_token.is_none() {
            tracing::warn!("the admin API is open to anyone who reaches {address}: set --admin-token");
        }
        let tenant = Arc::new(tenant);
        let app = router(tenant.clone(), args.max_body);
        let stop = shutdown()?;
        tracing::warn!("this is a test identity provider: anyone can sign in as anyone; never use it for real users");
        println!(
            "samlkit serve: listening on {} (issuer {}, {} application(s), {} user(s); ready in {} ms)",
            tenant.base_url,
            tenant.issuer,
            tenant.applications().len(),
            tenant.users().len(),
            started.elapsed().as_millis()
        );
        if let Some(pem) = minted {
            println!("minted a signing key; its certificate:\n{}", pem.trim_end());
        }
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        axum::serve(listener, app)
            .with_graceful_shutdown(stop)
            .await
            .map_err(|e| Exit::Usage(format!("the server stopped: {e}")))?;
        tracing::info!("stopped");
        Ok(())
    })
}

/// The key: the flags', the configuration's, a minted one, or the demo key. Returns the key,
/// whether it is the demo key, and a minted key's certificate PEM.
fn choose_key(args: &Args, config: &Config) -> Result<(IdpKey, bool, Option<String>), Exit> {
    let pair = match (&args.key, &args.cert) {
        (Some(k), Some(c)) => Some((k, c)),
        _ => config.key.as_ref().zip(config.cert.as_ref()),
    };
    if config.key.is_some() != config.cert.is_some() {
        return Err(Exit::Usage("the configuration names a key without a cert, or a cert without a key".into()));
    }
    match pair {
        Some((k, c)) => {
            let key = IdpKey::from_pem_or_der(&read(k)?, &read(c)?)
                .map_err(|e| Exit::Usage(format!("{} / {}: {e}", shown(k), shown(c))))?;
            Ok((key, false, None))
        }
        None if args.mint_key || config.mint_key => {
            let cn = config.tenant.as_deref().unwrap_or(tenant::DEMO_TENANT);
            let (key, pem) = crate::keygen::mint_rsa(cn)?;
            Ok((key, false, Some(pem)))
        }
        None => {
            tracing::warn!("signing with samlkit's demo key, which is public: pass --key/--cert or --mint-key");
            Ok((demo_key()?, true, None))
        }
    }
}

/// The configuration's applications and users; without any, the Heroku application `acme` and
/// the demo users.
fn populate(tenant: &Tenant, config: Config) -> Outcome {
    let warn = |warnings: Vec<String>| warnings.iter().for_each(|w| tracing::warn!("{w}"));
    if config.applications.is_empty() {
        let acme = Application {
            client_id: "acme".into(),
            name: Some("Heroku (acme)".into()),
            callback: Some("https://sso.heroku.com/saml/acme/finalize".into()),
            allowed_callbacks: Vec::new(),
            settings: None,
            settings_file: None,
            lenient: false,
            insecure_allow_sha1_requests: false,
        };
        warn(tenant.add_with_settings(acme, AddonSettings::heroku("acme")).map_err(Exit::Usage)?);
    }
    let mut seen = std::collections::BTreeSet::new();
    for app in config.applications {
        if !seen.insert(app.client_id.clone()) {
            return Err(Exit::Usage(format!("two applications have the client_id {}", app.client_id)));
        }
        warn(tenant.add_application(app).map_err(Exit::Usage)?);
    }
    let users = if config.users.is_empty() { tenant::demo_users().to_vec() } else { config.users };
    for user in users {
        let id = tenant::user_id(&user).map_err(|e| Exit::Usage(format!("users: {e}")))?;
        if tenant.user(&id).is_some() {
            return Err(Exit::Usage(format!("users: two users have the ID {id}")));
        }
        tenant.add_user(user).map_err(|e| Exit::Usage(format!("users: {e}")))?;
    }
    Ok(())
}

fn router(tenant: Arc<Tenant>, max_body: usize) -> Router {
    let security = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"),
    ];
    let mut router = Router::new()
        .route("/", get(index))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/pem", get(pem))
        .route("/cer", get(cer))
        .route("/samlp/metadata/{client_id}", get(metadata))
        .route("/samlp/{client_id}", get(sso::sso_get).post(sso::sso_post))
        .route("/samlp/{client_id}/login", axum::routing::post(sso::login))
        .route("/samlp/{client_id}/logout", get(logout::logout_get).post(logout::logout_post))
        .route("/api/users", get(admin::list_users).post(admin::add_user))
        .route("/api/applications", get(admin::list_applications).post(admin::add_application))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(tenant)
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::map_response(too_large_page));
    for (name, value) in security {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    router.layer(TraceLayer::new_for_http().on_response(DefaultOnResponse::new().level(tracing::Level::INFO)))
}

async fn index(State(tenant): State<Arc<Tenant>>) -> Response {
    pages::index(&tenant)
}

async fn not_found() -> Failure {
    Failure {
        status: StatusCode::NOT_FOUND,
        headline: "Nothing is served at this path.".into(),
        reason: Some("The front page (/) lists the applications and their URLs.".into()),
    }
}

async fn method_not_allowed() -> Failure {
    Failure {
        status: StatusCode::METHOD_NOT_ALLOWED,
        headline: "This path does not take that method.".into(),
        reason: None,
    }
}

/// `GET /samlp/metadata/{client_id}`: the IdP metadata, in the shape Auth0 serves.
async fn metadata(State(tenant): State<Arc<Tenant>>, Path(client_id): Path<String>) -> Result<Response, Failure> {
    let app = tenant.application(&client_id).ok_or_else(Failure::unknown_application)?;
    let sso = format!("{}/samlp/{client_id}", tenant.base_url);
    let xml = app
        .idp
        .metadata()
        .sso_url(&sso)
        .slo_url(format!("{sso}/logout"))
        .build()
        .map_err(|e| Failure::internal("The metadata could not be written.", &e))?;
    Ok(([(header::CONTENT_TYPE, "application/samlmetadata+xml; charset=utf-8")], xml).into_response())
}

/// `GET /pem`: the signing certificate, PEM.
async fn pem(State(tenant): State<Arc<Tenant>>) -> Response {
    let disposition = format!("inline; filename=\"{}.pem\"", file_stem(&tenant));
    (
        [(header::CONTENT_TYPE, "application/x-pem-file".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        tenant.key.certificate().to_pem(),
    )
        .into_response()
}

/// `GET /cer`: the signing certificate, DER.
async fn cer(State(tenant): State<Arc<Tenant>>) -> Response {
    let disposition = format!("attachment; filename=\"{}.cer\"", file_stem(&tenant));
    (
        [(header::CONTENT_TYPE, "application/pkix-cert".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        tenant.key.certificate().der().to_vec(),
    )
        .into_response()
}

/// The tenant's name as a file name: Auth0 names the files after the tenant.
fn file_stem(tenant: &Tenant) -> String {
    let name: String = tenant
        .issuer
        .trim_start_matches("urn:")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' })
        .collect();
    if name.is_empty() { "idp".into() } else { name }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).try_init();
}

/// A future that resolves on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed when it is
/// made, before the server says it is listening, so a signal sent right after is not lost.
#[cfg(unix)]
fn shutdown() -> Result<impl std::future::Future<Output = ()>, Exit> {
    use tokio::signal::unix::{SignalKind, signal};
    let install = |kind| signal(kind).map_err(|e| Exit::Usage(format!("cannot handle signals: {e}")));
    let (mut interrupt, mut terminate) = (install(SignalKind::interrupt())?, install(SignalKind::terminate())?);
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("shutting down");
    })
}

#[cfg(not(unix))]
fn shutdown() -> Result<impl std::future::Future<Output = ()>, Exit> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    })
}

/// The limit layer's own 413 is plain text: the server's page instead.
async fn too_large_page(response: Response) -> Response {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !html {
        Failure {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            headline: "The request body is over the server's limit.".into(),
            reason: Some("`samlkit serve --max-body BYTES` raises it.".into()),
        }
        .into_response()
    } else {
        response
    }
}
