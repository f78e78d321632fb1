//! Threads in the web face: the thread page, replies, edits, reactions, answers, and the feeds.

pub mod api;
pub(crate) mod pages;

use crate::WebState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use guildhall_domain::threads::MAX_ATTACHMENT_BYTES;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/s/{slug}/threads", post(pages::start))
        .route("/t/{id}", get(pages::show))
        .route("/t/{id}/posts", post(pages::reply))
        .route("/t/{id}/accept", post(pages::accept))
        .route("/t/{id}/flags", post(pages::flags))
        .route("/t/{id}/subscription", post(pages::subscribe))
        .route("/posts/{id}", get(pages::show_post))
        .route("/posts/{id}/edit", get(pages::edit_form).post(pages::edit))
        .route("/posts/{id}/delete", post(pages::delete))
        .route("/posts/{id}/history", get(pages::history))
        .route("/posts/{id}/react", post(pages::react))
        .route(
            "/posts/{id}/attachments",
            post(pages::attach).layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + 64 * 1024)),
        )
        .route("/attachments/{id}", get(pages::attachment))
        .route("/questions", get(pages::unanswered))
        .route("/me/threads", get(pages::mine))
}
