//! People in the web face: first-run setup, sign-up, sign-in/out, the profile with sessions and
//! API tokens, and the administration of sign-up, invitations and roles.

mod admin;
pub mod api;
mod cookies;
mod directories;
mod directory;
mod email;
pub mod email_api;
mod network;
pub mod network_api;
mod oidc;
mod pages;
mod profile;
pub mod profile_api;
mod second_factor;

use crate::WebState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<WebState> {
    Router::new()
        .merge(email::routes())
        .route("/setup", get(pages::setup_form).post(pages::setup))
        .route("/signin", get(pages::sign_in_form).post(pages::sign_in))
        .route("/signin/appeal", post(pages::appeal_locked_out))
        .route(
            "/signin/code",
            get(second_factor::code_form).post(second_factor::code),
        )
        .route("/me/2fa", get(second_factor::settings))
        .route("/me/2fa/start", post(second_factor::start))
        .route("/me/2fa/confirm", post(second_factor::confirm))
        .route("/me/2fa/disable", post(second_factor::disable))
        .route("/auth/oidc/{provider}/start", get(oidc::start))
        .route("/auth/oidc/{provider}/callback", get(oidc::callback))
        .route("/signup", get(pages::sign_up_form).post(pages::sign_up))
        .route("/join/{token}", get(pages::join_form).post(pages::join))
        .route("/signout", post(pages::sign_out))
        .route("/me", get(profile::show))
        .route("/people", get(directory::directory))
        .route("/people/knows", get(network::who_knows))
        .route("/people/{id}", get(network::person))
        .route("/people/{id}/follow", post(network::follow))
        .route("/people/{id}/unfollow", post(network::unfollow))
        .route("/people/{id}/followers", get(network::followers))
        .route("/people/{id}/following", get(network::following))
        .route(
            "/people/{id}/endorsements",
            get(network::endorsements).post(network::endorse),
        )
        .route(
            "/endorsements/{id}/withdraw",
            post(network::withdraw_endorsement),
        )
        .route("/people/{id}/photo", get(directory::photo))
        .route(
            "/me/profile",
            get(directory::edit_form).post(directory::edit),
        )
        .route(
            "/me/photo",
            post(directory::upload_photo).layer(axum::extract::DefaultBodyLimit::max(
                guildhall_domain::threads::MAX_ATTACHMENT_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/me/name",
            get(directory::name_form).post(directory::request_name),
        )
        .route("/moderation/names", get(directory::name_requests))
        .route("/moderation/names/{id}", post(directory::decide_name))
        .route("/admin/names", get(directory::name_history))
        .route("/admin/audit", get(directory::audit))
        .route("/me/sessions/{id}/revoke", post(profile::revoke_session))
        .route("/me/identities/{id}/unlink", post(profile::unlink_sign_in))
        .route(
            "/me/sessions/revoke-all",
            post(profile::sign_out_everywhere),
        )
        .route("/me/tokens", post(profile::create_token))
        .route("/me/calendar-link", post(profile::create_calendar_link))
        .route("/me/tokens/{id}/revoke", post(profile::revoke_token))
        .route("/admin", get(admin::show))
        .route("/admin/signup-policy", post(admin::set_signup_policy))
        .route("/admin/invitations", post(admin::create_invitation))
        .route("/admin/people/{id}/roles", post(admin::set_roles))
        .route("/admin/outbox/{id}/retry", post(admin::retry_dead_letter))
        .route("/admin/directories", post(directories::create))
        .route("/admin/directories/{id}/revoke", post(directories::revoke))
}
