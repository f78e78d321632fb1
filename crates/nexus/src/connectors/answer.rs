//! How the connector endpoints read bodies and answer refusals: JSON `{error, message}` with a
//! status that says what to fix, like the API's.

use axum::Json;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_app::{App, AppError};
use serde_json::json;

pub(super) fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({"error": code, "message": message}))).into_response()
}

/// The body, if it is JSON and no larger than `connectors.max_inbound_bytes`.
pub(super) async fn body_of(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> Result<axum::body::Bytes, Response> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|t| t.trim() == "application/json")
        });
    if !json {
        return Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the body as application/json.",
        ));
    }
    let limit = app.settings().connectors.max_inbound_bytes;
    axum::body::to_bytes(body, limit).await.map_err(|_| {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            &format!("The body is larger than {limit} bytes."),
        )
    })
}

/// An app error as the connector endpoints answer it.
pub(super) fn error(error: &AppError) -> Response {
    let status = match error {
        AppError::Invalid(_) | AppError::Nudged(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden { code, .. }
            if matches!(*code, "invalid_signature" | "stale_timestamp") =>
        {
            StatusCode::UNAUTHORIZED
        }
        AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(cause) => {
            tracing::error!(%cause, "connector request failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    let (code, message) = match error {
        AppError::Unauthenticated => (
            "invalid_token",
            "Send the connector's token as Authorization: Bearer <token>.".to_owned(),
        ),
        other => (other.code(), other.public_message()),
    };
    let mut body = json!({"error": code, "message": message});
    if let AppError::Invalid(fields) | AppError::Nudged(fields) = error {
        body["fields"] = fields
            .iter()
            .map(|(k, v)| (k.to_owned(), json!(v)))
            .collect::<serde_json::Map<_, _>>()
            .into();
    }
    (status, Json(body)).into_response()
}
