//! Single logout: `GET|POST /samlp/{client_id}/logout`. A LogoutRequest from the SP is answered
//! with a signed LogoutResponse sent to the application's `logout.callback` over its `binding`
//! (never to a URL from the request); a LogoutResponse from the SP is acknowledged.

use super::pages::{self, Failure};
use super::sso::{form_failure, has_parameter};
use super::tenant::{App, Tenant};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use samlkit::logout::{LogoutRequest, LogoutResponse, LogoutStatus, Outgoing};
use std::sync::Arc;

/// The fields of an HTTP-POST logout message.
#[derive(serde::Deserialize)]
pub struct PostBinding {
    #[serde(rename = "SAMLRequest")]
    saml_request: Option<String>,
    #[serde(rename = "SAMLResponse")]
    saml_response: Option<String>,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
}

/// `GET /samlp/{client_id}/logout`.
pub async fn logout_get(
    State(tenant): State<Arc<Tenant>>,
    Path(client_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Failure> {
    let app = tenant.application(&client_id).ok_or_else(Failure::unknown_application)?;
    let query = query.unwrap_or_default();
    let trust = &app.trust;
    if has_parameter(&query, "SAMLRequest") {
        let request = LogoutRequest::from_redirect_with_limits(&query, trust, &tenant.limits)
            .map_err(|e| Failure::refused("The HTTP-Redirect LogoutRequest could not be read.", &e))?;
        answer(&tenant, &app, &request)
    } else if has_parameter(&query, "SAMLResponse") {
        let response = LogoutResponse::from_redirect_with_limits(&query, trust, &tenant.limits)
            .map_err(|e| Failure::refused("The HTTP-Redirect LogoutResponse could not be read.", &e))?;
        Ok(acknowledge(&app, &response))
    } else {
        Err(no_message())
    }
}

/// `POST /samlp/{client_id}/logout`.
pub async fn logout_post(
    State(tenant): State<Arc<Tenant>>,
    Path(client_id): Path<String>,
    form: Result<Form<PostBinding>, FormRejection>,
) -> Result<Response, Failure> {
    let app = tenant.application(&client_id).ok_or_else(Failure::unknown_application)?;
    let Form(form) = form.map_err(form_failure)?;
    let trust = &app.trust;
    let relay_state = form.relay_state.as_deref().filter(|r| !r.is_empty());
    match (form.saml_request.as_deref(), form.saml_response.as_deref()) {
        (Some(_), Some(_)) => Err(Failure::bad_request("The form carries both a SAMLRequest and a SAMLResponse.")),
        (Some(message), None) => {
            let request = LogoutRequest::from_post_with_limits(message, relay_state, trust, &tenant.limits)
                .map_err(|e| Failure::refused("The HTTP-POST LogoutRequest could not be read.", &e))?;
            answer(&tenant, &app, &request)
        }
        (None, Some(message)) => {
            let response = LogoutResponse::from_post_with_limits(message, relay_state, trust, &tenant.limits)
                .map_err(|e| Failure::refused("The HTTP-POST LogoutResponse could not be read.", &e))?;
            Ok(acknowledge(&app, &response))
        }
        (None, None) => Err(no_message()),
    }
}

fn no_message() -> Failure {
    Failure::bad_request("A logout needs a SAMLRequest (LogoutRequest) or a SAMLResponse (LogoutResponse).")
}

/// The signed LogoutResponse to `request`: a redirect or an auto-submitting page.
fn answer(tenant: &Tenant, app: &App, request: &LogoutRequest) -> Result<Response, Failure> {
    if request.is_expired(tenant.clock.now()) {
        return Err(Failure::bad_request("The LogoutRequest has expired (its NotOnOrAfter is past)."));
    }
    if app.idp.settings().logout.callback.is_none() {
        return Err(Failure::bad_request(format!(
            "Application {} has no logout.callback, so its logout cannot be answered.",
            app.name()
        ))
        .because("Set logout.callback in its addon settings: Auth0 sends the LogoutResponse there."));
    }
    let out = app
        .idp
        .logout()
        .send_response(&request.id, LogoutStatus::Success, request.relay_state.as_deref(), app.idp.key())
        .map_err(|e| Failure::internal("The LogoutResponse could not be made.", &e))?;
    tracing::info!(client_id = %app.config.client_id, "single logout answered");
    Ok(match out {
        Outgoing::Redirect { url } => (StatusCode::FOUND, [(header::LOCATION, url)]).into_response(),
        Outgoing::Post { html } => {
            let csp = format!(
                "default-src 'none'; script-src {}; base-uri 'none'; frame-ancestors 'none'",
                pages::auto_submit_script_hash()
            );
            pages::respond(StatusCode::OK, &csp, html)
        }
    })
}

fn acknowledge(app: &App, response: &LogoutResponse) -> Response {
    let status = match response.status {
        LogoutStatus::Success => "Success",
        LogoutStatus::PartialLogout => "PartialLogout",
        LogoutStatus::Requester => "Requester",
        LogoutStatus::Responder => "Responder",
        _ => "other",
    };
    pages::logged_out(app, status)
}
