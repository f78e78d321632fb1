//! The idea board in the web face: boards per space and for the organisation, an idea's page
//! with its family tree, the forms that propose, vote, decide and merge, the gallery of ideas
//! that became work, and their JSON twins.

pub mod api;
mod pages;
mod tree;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ideas", get(pages::board).post(pages::propose))
        .route("/ideas/new", get(pages::new_form))
        .route("/ideas/became-work", get(pages::gallery))
        .route("/ideas/{id}", get(pages::show))
        .route("/ideas/{id}/edit", get(pages::edit_form).post(pages::edit))
        .route("/ideas/{id}/vote", post(pages::vote))
        .route("/ideas/{id}/move", post(pages::move_idea))
        .route("/ideas/{id}/owner", post(pages::owner))
        .route("/ideas/{id}/merge", post(pages::merge))
        .route("/s/{slug}/ideas", get(pages::space_board))
}
