//! Connectors of a space to chat platforms, for administrators (DESIGN.md §1): the page
//! `/s/{slug}/connectors` and its API twin `/api/v1/spaces/{slug}/connectors…`. What arrives
//! from the platforms is `nexus`'s.

pub mod api;
mod pages;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/s/{slug}/connectors",
            get(pages::index).post(pages::create),
        )
        .route("/s/{slug}/connectors/{id}/active", post(pages::set_active))
        .route("/s/{slug}/connectors/{id}/delete", post(pages::delete))
        .route(
            "/s/{slug}/connectors/{id}/deliveries/{delivery}/retry",
            post(pages::retry),
        )
}

/// `{slug}/{id}[/{delivery}]` path parts; ids that are not positive numbers name nothing.
fn ids(raw: &[String]) -> Option<Vec<i64>> {
    raw.iter()
        .map(|r| r.parse::<i64>().ok().filter(|id| *id > 0))
        .collect()
}
