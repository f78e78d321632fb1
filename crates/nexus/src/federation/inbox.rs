//! The inboxes. An activity is read, its server must be one we hear, its signature must verify
//! with its actor's key (fetched once, fetched again if it no longer verifies), and then the
//! app acts on it. Every refusal has a status and a code; nothing is written before the end.

use super::actors;
use crate::answer;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use guildhall_app::App;
use guildhall_domain::nexus::documents::{ActivityError, read_inbound};
use guildhall_domain::nexus::signatures::{self, Incoming, SignatureError};
use serde_json::{Value, json};

pub async fn receive(
    State(app): State<App>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match app.federation_settings().await {
        Ok(settings) if settings.enabled => {}
        Ok(_) => {
            return answer::refuse(
                StatusCode::NOT_FOUND,
                "federation_off",
                "This server does not federate.",
            );
        }
        Err(error) => return answer::error(&error),
    }
    let document: Value = match serde_json::from_slice(&body) {
        Ok(document @ Value::Object(_)) => document,
        _ => {
            return answer::refuse(
                StatusCode::BAD_REQUEST,
                "malformed_activity",
                "The body is not a JSON object.",
            );
        }
    };
    let inbound = match read_inbound(&document) {
        Ok(inbound) => inbound,
        Err(error @ ActivityError::Unsupported(_)) => {
            return answer::refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unsupported_activity",
                &error.to_string(),
            );
        }
        Err(error @ ActivityError::TooLong) => {
            return answer::refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_long",
                &error.to_string(),
            );
        }
        Err(error) => {
            return answer::refuse(
                StatusCode::BAD_REQUEST,
                "malformed_activity",
                &error.to_string(),
            );
        }
    };
    match app.hears(inbound.actor()).await {
        Ok(true) => {}
        Ok(false) => {
            return answer::refuse(
                StatusCode::FORBIDDEN,
                "server_not_allowed",
                "This server does not federate with yours.",
            );
        }
        Err(error) => return answer::error(&error),
    }
    let header_list: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();
    let target_uri = format!(
        "{}{}",
        app.public_base(),
        uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let incoming = Incoming {
        method: method.as_str(),
        target_uri: &target_uri,
        headers: &header_list,
        body: &body,
    };
    let claim = match signatures::claim(&incoming, chrono::Utc::now()) {
        Ok(claim) => claim,
        Err(error) => return unsigned(&error),
    };
    // The signer must be the actor: its key id lives in the actor's own document.
    let Some(actor_of_key) = claim.key_id.split('#').next() else {
        return unsigned(&SignatureError::Malformed("no keyId"));
    };
    if guildhall_domain::nexus::servers::host_of(actor_of_key)
        != guildhall_domain::nexus::servers::host_of(inbound.actor())
    {
        return unsigned(&SignatureError::Invalid);
    }
    let mut author = match actors::resolve(&app, inbound.actor(), false).await {
        Ok(author) => author,
        Err(why) => return unknown_actor(&why),
    };
    let verified_with_kept_key = author.public_key_id == claim.key_id
        && signatures::verify(&incoming, &claim, &author.public_key_pem).is_ok();
    if !verified_with_kept_key {
        // The key may have changed since we kept it: fetch the actor once more.
        author = match actors::resolve(&app, inbound.actor(), true).await {
            Ok(author) => author,
            Err(why) => return unknown_actor(&why),
        };
        if author.public_key_id != claim.key_id {
            return unsigned(&SignatureError::Invalid);
        }
        if let Err(error) = signatures::verify(&incoming, &claim, &author.public_key_pem) {
            return unsigned(&error);
        }
    }
    match app.heard(&author, &inbound, &document).await {
        Ok(heard) => answer::json(
            StatusCode::ACCEPTED,
            "application/json",
            &json!({ "status": heard }),
        ),
        Err(error) => answer::error(&error),
    }
}

fn unsigned(error: &SignatureError) -> Response {
    answer::refuse(
        StatusCode::UNAUTHORIZED,
        "bad_signature",
        &error.to_string(),
    )
}

fn unknown_actor(why: &str) -> Response {
    tracing::info!(%why, "an inbound activity's actor could not be fetched");
    answer::refuse(
        StatusCode::UNAUTHORIZED,
        "unknown_actor",
        "The actor could not be fetched, so its signature cannot be checked.",
    )
}
