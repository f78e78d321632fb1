//! Coaching in the web face: finding a coach, applying to coach and approving applications,
//! requests and their sessions (with calendar files), and the JSON twins.

pub mod api;
mod pages;
mod requests;
pub mod requests_api;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/coaching", get(pages::home))
        .route("/coaching/coaches", get(pages::find))
        .route(
            "/coaching/profile",
            get(pages::profile_form).post(pages::save_profile),
        )
        .route("/coaching/profile/status", post(pages::change_status))
        .route("/coaching/applications", get(pages::applications))
        .route("/coaching/applications/{id}", post(pages::decide))
        .route(
            "/coaching/coaches/{id}/request",
            get(requests::request_form).post(requests::send_request),
        )
        .route("/coaching/requests/{id}", get(requests::show))
        .route("/coaching/requests/{id}/sessions", post(requests::plan))
        .route("/coaching/requests/{id}/decline", post(requests::decline))
        .route("/coaching/requests/{id}/withdraw", post(requests::withdraw))
        .route("/coaching/sessions/{id}/answer", post(requests::answer))
        .route("/coaching/sessions/{id}/cancel", post(requests::cancel))
        .route("/coaching/sessions/{id}/note", post(requests::note))
        .route("/coaching/sessions/{id}/outcome", post(requests::rate))
        .route(
            "/coaching/sessions/{id}/calendar.ics",
            get(requests::calendar),
        )
}
