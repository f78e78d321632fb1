//! Chat platforms: webhooks in (`POST /hooks/{id}`), the Matrix application service, and the
//! deliveries out (one outbox effect per post and connector, carried out by `app`).

mod answer;
mod matrix;

use answer::{body_of, refuse};
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use guildhall_app::App;
use guildhall_app::connectors::{DELIVER, HookRequest};
use guildhall_app::outbox::OutboxWorker;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/hooks/{id}", post(hook))
        .merge(matrix::routes())
}

pub(crate) fn register_effects(mut worker: OutboxWorker) -> OutboxWorker {
    worker.register(DELIVER, |app: App, payload| async move {
        app.deliver_to_connector(payload).await
    });
    worker
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A tool posts into the connector's space: `{"text": …, "title": …}` starts a thread,
/// `{"text": …, "thread_id": …}` replies. Answers 201 with the post's id.
async fn hook(State(app): State<App>, Path(id): Path<String>, request: Request) -> Response {
    // Ids are digits; anything else names no connector (and must not reach the database).
    let Ok(id) = id.parse::<i64>() else {
        return refuse(StatusCode::NOT_FOUND, "not_found", "There is no such hook.");
    };
    let (parts, body) = request.into_parts();
    let body = match body_of(&app, &parts.headers, body).await {
        Ok(body) => body,
        Err(refused) => return refused,
    };
    let headers = &parts.headers;
    let token = header(headers, "authorization").and_then(|value| {
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    });
    let request = HookRequest {
        token,
        webhook_id: header(headers, "webhook-id"),
        timestamp: header(headers, "webhook-timestamp"),
        signature: header(headers, "webhook-signature"),
        body: &body,
    };
    match app.hook_in(id, request).await {
        Ok(post_id) => (
            StatusCode::CREATED,
            axum::Json(serde_json::json!({"post_id": post_id})),
        )
            .into_response(),
        Err(error) => answer::error(&error),
    }
}
