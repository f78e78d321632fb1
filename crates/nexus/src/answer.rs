//! Answers to other systems: JSON with the right media type, and refusals with a stable
//! snake_case code and a sentence, as the web API gives them.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use guildhall_app::AppError;
use serde_json::{Value, json};

pub fn json(status: StatusCode, media_type: &'static str, document: &Value) -> Response {
    let mut response = (status, document.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response
}

pub fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        "application/json",
        &json!({ "code": code, "message": message }),
    )
}

/// An app error as the answer to a remote system: its status and code, never its insides.
pub fn error(error: &AppError) -> Response {
    let status = match error {
        AppError::Invalid(_) | AppError::Nudged(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(cause) => {
            tracing::error!(%cause, "a request from another system failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    // What the content check found is worth telling the sender; other causes stay inside.
    let message = match error {
        AppError::Invalid(_) => error.to_string(),
        _ => error.public_message(),
    };
    refuse(status, error.code(), &message)
}
