//! The application service API the Matrix homeserver calls: transactions of room events
//! (`hs_token` checked, idempotent per transaction id), and "do you know this user / alias"
//! queries, which we answer with "no" (our users are registered before they speak).

use axum::Json;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use guildhall_app::{App, AppError};
use serde_json::json;

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/_matrix/app/v1/transactions/{txn}", put(transaction))
        .route("/_matrix/app/v1/users/{user}", get(unknown))
        .route("/_matrix/app/v1/rooms/{alias}", get(unknown))
        .route("/_matrix/app/v1/ping", post(ping))
}

fn matrix_error(status: StatusCode, errcode: &str, message: &str) -> Response {
    (status, Json(json!({"errcode": errcode, "error": message}))).into_response()
}

/// The `hs_token`: `Authorization: Bearer …`, or the older `?access_token=`.
fn token<'a>(headers: &'a HeaderMap, query: Option<&'a str>) -> Option<&'a str> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    bearer.or_else(|| {
        query?
            .split('&')
            .find_map(|pair| pair.strip_prefix("access_token="))
    })
}

fn refused(error: &AppError) -> Response {
    match error {
        AppError::Unauthenticated => matrix_error(
            StatusCode::UNAUTHORIZED,
            "M_UNAUTHORIZED",
            "Send the hs_token.",
        ),
        AppError::Forbidden { .. } => matrix_error(
            StatusCode::FORBIDDEN,
            "M_FORBIDDEN",
            "The hs_token is not ours.",
        ),
        AppError::NotFound => matrix_error(
            StatusCode::NOT_FOUND,
            "M_NOT_FOUND",
            "Matrix is not set up on this server.",
        ),
        AppError::BadRequest(message) => {
            matrix_error(StatusCode::BAD_REQUEST, "M_BAD_JSON", message)
        }
        other => super::answer::error(other),
    }
}

async fn transaction(
    State(app): State<App>,
    Path(txn): Path<String>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    // The token first: nobody else gets to make us read a body.
    if let Err(error) = app.check_homeserver(token(&parts.headers, parts.uri.query())) {
        return refused(&error);
    }
    let limit = app.settings().connectors.max_inbound_bytes;
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        return matrix_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "M_TOO_LARGE",
            &format!("The transaction is larger than {limit} bytes."),
        );
    };
    let token = token(&parts.headers, parts.uri.query());
    match app.matrix_transaction(&txn, token, &body).await {
        Ok(()) => Json(json!({})).into_response(),
        Err(error) => refused(&error),
    }
}

async fn unknown(State(app): State<App>, headers: HeaderMap, request: Request) -> Response {
    if let Err(error) = app.check_homeserver(token(&headers, request.uri().query())) {
        return refused(&error);
    }
    matrix_error(StatusCode::NOT_FOUND, "M_NOT_FOUND", "Not one of ours.")
}

async fn ping(State(app): State<App>, headers: HeaderMap, request: Request) -> Response {
    match app.check_homeserver(token(&headers, request.uri().query())) {
        Ok(()) => Json(json!({})).into_response(),
        Err(error) => refused(&error),
    }
}
