//! The admin API, so a test can add what it needs at run time: `POST /api/users`,
//! `GET /api/users`, `POST /api/applications`, `GET /api/applications`. JSON in and out; when
//! the tenant has an admin token, every call needs `Authorization: Bearer <token>`.

use super::config::Application;
use super::tenant::Tenant;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;

/// A JSON error: `{"error": "..."}`.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// Whether the bearer token is the tenant's, when it has one; compared in constant time.
fn authorised(tenant: &Tenant, headers: &HeaderMap) -> bool {
    let Some(token) = &tenant.admin_token else { return true };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    constant_time_eq(given.as_bytes(), token.as_bytes())
}

/// The 401 of a call without the admin token.
fn denied() -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, "the admin API needs Authorization: Bearer <admin token>");
    response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    response
}

/// Equality whose time depends only on the lengths: both sides are hashed first.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::Digest as _;
    let (a, b) = (sha2::Sha256::digest(a), sha2::Sha256::digest(b));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn json_failure(rejection: JsonRejection) -> Response {
    error(rejection.status(), format!("the body is not the JSON this call takes: {}", rejection.body_text()))
}

/// `POST /api/users`: adds (or replaces) a user; the body is an Auth0 profile.
pub async fn add_user(
    State(tenant): State<Arc<Tenant>>,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response {
    if !authorised(&tenant, &headers) {
        return denied();
    }
    let Json(profile) = match body {
        Ok(body) => body,
        Err(rejection) => return json_failure(rejection),
    };
    match tenant.add_user(profile) {
        Ok(id) => {
            tracing::info!(user = %id, "user added");
            (StatusCode::CREATED, Json(json!({ "user_id": id }))).into_response()
        }
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, e),
    }
}

/// `GET /api/users`.
pub async fn list_users(State(tenant): State<Arc<Tenant>>, headers: HeaderMap) -> Response {
    if !authorised(&tenant, &headers) {
        return denied();
    }
    let users: Vec<serde_json::Value> = tenant.users().into_iter().map(|(_, profile)| profile).collect();
    Json(json!({ "users": users })).into_response()
}

/// `POST /api/applications`: adds (or replaces) an application; the body is an application of
/// the configuration file, as JSON (`client_id`, `name`, `callback`, `allowed_callbacks`,
/// `settings`: Auth0's JSON as an object or a string, `lenient`).
pub async fn add_application(
    State(tenant): State<Arc<Tenant>>,
    headers: HeaderMap,
    body: Result<Json<Application>, JsonRejection>,
) -> Response {
    if !authorised(&tenant, &headers) {
        return denied();
    }
    let Json(app) = match body {
        Ok(body) => body,
        Err(rejection) => return json_failure(rejection),
    };
    if app.settings_file.is_some() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "settings_file is for the configuration file: send settings");
    }
    let id = app.client_id.clone();
    match tenant.add_application(app) {
        Ok(warnings) => {
            for w in &warnings {
                tracing::warn!("{w}");
            }
            tracing::info!(client_id = %id, "application added");
            let mut body = describe(&tenant, &id);
            body["warnings"] = json!(warnings);
            (StatusCode::CREATED, Json(body)).into_response()
        }
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, e),
    }
}

/// `GET /api/applications`.
pub async fn list_applications(State(tenant): State<Arc<Tenant>>, headers: HeaderMap) -> Response {
    if !authorised(&tenant, &headers) {
        return denied();
    }
    let apps: Vec<serde_json::Value> =
        tenant.applications().iter().map(|app| describe(&tenant, &app.config.client_id)).collect();
    Json(json!({ "applications": apps })).into_response()
}

/// An application and its URLs.
fn describe(tenant: &Tenant, client_id: &str) -> serde_json::Value {
    let Some(app) = tenant.application(client_id) else { return json!({}) };
    let base = &tenant.base_url;
    let settings = app.idp.settings();
    json!({
        "client_id": client_id,
        "name": app.name(),
        "callback": settings.recipient,
        "allowed_callbacks": app.config.allowed_callbacks,
        "audience": settings.audience,
        "issuer": settings.issuer,
        "login_url": format!("{base}/samlp/{client_id}"),
        "metadata_url": format!("{base}/samlp/metadata/{client_id}"),
        "logout_url": format!("{base}/samlp/{client_id}/logout"),
    })
}
