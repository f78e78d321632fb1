//! Care and insights in the web face: the helpers' care queue, one signal with its actions,
//! the member's own insights page, and their JSON twins.

pub mod api;
mod charts;
mod dashboards;
mod pages;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/care", get(pages::queue))
        .route("/care/{id}", get(pages::signal))
        .route("/care/{id}/actions", post(pages::act))
        .route("/care/{id}/invitations", post(pages::invite))
        .route("/me/insights", get(pages::mine))
        .route("/monitor", get(pages::monitor))
        .route("/me/insights/pause", post(pages::pause))
        .route("/insights", get(dashboards::community))
        .route("/insights.csv", get(dashboards::community_csv))
        .route("/s/{slug}/insights", get(dashboards::space))
        .route("/s/{slug}/insights.csv", get(dashboards::space_csv))
        .route("/moderation/report", get(dashboards::report))
        .route("/moderation/report.csv", get(dashboards::report_csv))
}
