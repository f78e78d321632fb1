//! The administrators' side of the nexus: whether and with whom the instance federates, which
//! open spaces are federated, and the remote people moderators may block. The faces to other
//! systems themselves live in the `nexus` crate.

pub mod api;
mod pages;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/admin/federation",
            get(pages::federation).post(pages::save_settings),
        )
        .route("/admin/federation/servers", post(pages::list_server))
        .route(
            "/admin/federation/servers/{host}/delete",
            post(pages::unlist_server),
        )
        .route(
            "/admin/federation/spaces/{slug}",
            post(pages::federate_space),
        )
        .route("/admin/federation/remote/{id}", post(pages::block_remote))
}
