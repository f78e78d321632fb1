//! Rewards in the web face: the member's own rewards page, the recognition feed with kudos,
//! badges with their criteria pages, space leaderboards, and their JSON twins.

pub mod api;
mod credentials;
mod image;
mod pages;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/me/rewards", get(pages::mine))
        .route("/me/rewards/leaderboards", post(pages::leaderboard_choice))
        .route(
            "/recognition",
            get(pages::recognition).post(pages::give_kudos),
        )
        .route("/recognition/{id}/remove", post(pages::remove_kudos))
        .route("/badges", get(pages::badges).post(pages::create_badge))
        .route("/badges/{slug}", get(pages::badge))
        .route("/badges/{slug}/image.svg", get(pages::badge_image))
        .route("/people/{id}/badges", post(pages::award))
        .route(
            "/s/{slug}/leaderboard",
            get(pages::leaderboard).post(pages::space_leaderboard),
        )
        .route("/credentials/{file}", get(credentials::credential))
        .route("/credentials/status/{list}", get(credentials::status_list))
        .route("/issuer", get(credentials::issuer))
        .route("/issuer/jwks.json", get(credentials::issuer_keys))
}
