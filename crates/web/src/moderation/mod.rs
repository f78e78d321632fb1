//! The community's rules in the web face: the code of conduct, reports, a member's own
//! moderation history, the public log, the review queue and appeals for moderators, HR cases,
//! and the administrator's rules page.

mod admin;
pub mod api;
mod hr;
mod pages;
mod review;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/conduct", get(pages::conduct))
        .route("/conduct/accept", post(pages::accept_conduct))
        .route(
            "/posts/{id}/report",
            get(pages::report_post_form).post(pages::report_post),
        )
        .route(
            "/people/{id}/report",
            get(pages::report_person_form).post(pages::report_person),
        )
        .route("/moderation/mine", get(pages::mine))
        .route(
            "/moderation/sanctions/{id}/acknowledge",
            post(pages::acknowledge),
        )
        .route("/moderation/sanctions/{id}/appeal", post(pages::appeal))
        .route("/moderation/hr/{id}/appeal", post(pages::appeal_hr))
        .route("/moderation/log", get(pages::log))
        .route("/moderation", get(review::queue))
        .route("/moderation/decide", post(review::decide))
        .route("/moderation/appeals", get(review::appeals))
        .route("/moderation/appeals/{id}", post(review::decide_appeal))
        .route("/hr", get(hr::cases))
        .route("/hr/audit", get(hr::audit))
        .route("/hr/cases/{id}", get(hr::case).post(hr::update))
        .route("/hr/cases/{id}/notes", post(hr::note))
        .route("/hr/cases/{id}/image", get(hr::image))
        .route("/admin/rules", get(admin::rules))
        .route("/admin/rules/words", post(admin::save_word))
        .route("/admin/rules/words/{id}/delete", post(admin::delete_word))
        .route("/admin/rules/links", post(admin::save_link))
        .route("/admin/rules/links/{id}/delete", post(admin::delete_link))
        .route("/admin/rules/test", post(admin::test_text))
        .route(
            "/admin/conduct",
            get(admin::conduct).post(admin::publish_conduct),
        )
}
