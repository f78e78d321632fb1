//! Spaces in the web face: the directory, a space's page, membership and its administration.

pub mod api;
pub mod pages;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/spaces", get(pages::directory).post(pages::create))
        .route("/s/{slug}", get(pages::show))
        .route("/s/{slug}/join", post(pages::join))
        .route("/s/{slug}/leave", post(pages::leave))
        .route("/s/{slug}/watch", post(pages::watch))
        .route("/s/{slug}/members", get(pages::members))
        .route("/s/{slug}/invite", post(pages::invite))
        .route("/s/{slug}/requests/{user}/approve", post(pages::approve))
        .route("/s/{slug}/requests/{user}/decline", post(pages::decline))
        .route("/s/{slug}/members/{user}/role", post(pages::set_role))
}
