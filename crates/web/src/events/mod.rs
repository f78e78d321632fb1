//! Events in the web face: a space's events, an event's page, RSVPs, attendance, follow-up
//! prompts, and calendar files.

pub mod api;
mod pages;

pub(crate) use pages::ics;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/s/{slug}/events", get(pages::list).post(pages::create))
        .route("/s/{slug}/events.ics", get(pages::space_calendar))
        .route("/me/events.ics", get(pages::my_calendar))
        .route("/events/{id}", get(pages::show))
        .route("/events/{id}/rsvp", post(pages::rsvp))
        .route("/events/{id}/attendance/{user}", post(pages::attendance))
        .route("/events/{id}/prompts/{prompt}", post(pages::edit_prompt))
}
