//! Accountability partners in the web face: the member's pages, the facilitator's overview, and
//! their JSON twins.

pub mod api;
mod pages;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/partners", get(pages::index))
        .route("/partners/opt-in", post(pages::opt_in))
        .route("/partners/opt-out", post(pages::opt_out))
        .route("/partners/manage", get(pages::manage))
        .route("/partners/manage/round", post(pages::round))
        .route("/partners/manage/weekly", post(pages::weekly))
        .route("/partners/manage/pair", post(pages::pair_by_hand))
        .route("/partners/{id}", get(pages::partnership))
        .route("/partners/{id}/goals", post(pages::add_goal))
        .route(
            "/partners/{id}/goals/{goal_id}/status",
            post(pages::goal_status),
        )
        .route("/partners/{id}/check-ins", post(pages::check_in))
        .route(
            "/partners/{id}/check-ins/{check_in_id}/replies",
            post(pages::reply),
        )
        .route("/partners/{id}/weekday", post(pages::weekday))
        .route(
            "/partners/{id}/new-partner",
            post(pages::ask_for_new_partner),
        )
        .route("/partners/{id}/end", post(pages::end))
}
