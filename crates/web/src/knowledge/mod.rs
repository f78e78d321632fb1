//! The knowledge library in the web face: `/library` (resources, collections, the "Add a
//! resource" form), a resource's page, collection pages with progress, "similar questions and
//! resources" before a question is posted, and their JSON twins.

pub mod api;
mod collections;
mod pages;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/library", get(pages::library).post(pages::add))
        .route("/s/{slug}/library", get(pages::space_library))
        .route("/s/{slug}/similar", post(pages::similar))
        .route("/library/{id}", get(pages::resource))
        .route("/library/{id}/rating", post(pages::rate))
        .route("/library/{id}/review", post(pages::review))
        .route("/library/{id}/collections", post(collections::add_item))
        .route("/library/collections", post(collections::create))
        .route("/library/collections/{id}", get(collections::show))
        .route("/library/collections/{id}/done", post(collections::done))
        .route(
            "/library/collections/{id}/move",
            post(collections::move_item),
        )
}
