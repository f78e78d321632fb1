//! Guildhall's face for people and programs: server-rendered pages that work without JavaScript,
//! and their JSON twins under `/api/v1` described by an OpenAPI document. Handlers are thin: they
//! parse, call one `app` action, and answer.

mod api;
mod assets;
mod auth;
mod coaching;
mod connectors;
mod csrf;
mod error;
mod events;
mod forms;
mod home;
mod ideas;
mod insights;
mod knowledge;
mod moderation;
mod nexus;
mod notify;
mod ops;
mod page;
mod partners;
mod people;
mod rewards;
mod scim;
mod search;
mod security;
mod spaces;
mod svg;
mod threads;

pub use api::openapi_document;
pub use auth::{Admin, Coach, Facilitator, Hr, Member, Moderator};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use guildhall_app::App;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

/// Cookie names and flags, fixed at start from the public URL.
#[derive(Clone)]
pub struct WebConfig {
    pub session_cookie: &'static str,
    pub csrf_cookie: &'static str,
    pub secure_cookies: bool,
    pub public_url: String,
}

impl WebConfig {
    fn from_app(app: &App) -> WebConfig {
        let secure = app.settings().served_over_tls();
        WebConfig {
            // `__Host-` cookies cannot be set by a subdomain or over plain HTTP.
            session_cookie: if secure {
                "__Host-gh_session"
            } else {
                "gh_session"
            },
            csrf_cookie: if secure { "__Host-gh_csrf" } else { "gh_csrf" },
            secure_cookies: secure,
            public_url: app
                .settings()
                .server
                .public_url
                .trim_end_matches('/')
                .to_owned(),
        }
    }
}

#[derive(Clone)]
pub struct WebState {
    pub app: App,
    pub config: WebConfig,
}

impl axum::extract::FromRef<WebState> for App {
    fn from_ref(state: &WebState) -> App {
        state.app.clone()
    }
}

/// The whole web application: pages, API, assets, health checks, with security layers.
pub fn router(app: App) -> Router {
    let config = WebConfig::from_app(&app);
    let settings = app.settings().server.clone();
    let state = WebState { app, config };
    Router::new()
        .merge(home::routes())
        .merge(people::routes())
        .merge(coaching::routes())
        .merge(connectors::routes())
        .merge(spaces::routes())
        .merge(threads::routes())
        .merge(search::routes())
        .merge(notify::routes())
        .merge(events::routes())
        .merge(moderation::routes())
        .merge(partners::routes())
        .merge(insights::routes())
        .merge(rewards::routes())
        .merge(ideas::routes())
        .merge(knowledge::routes())
        .merge(nexus::routes())
        .nest("/api/v1", api::routes())
        .nest("/scim/v2", scim::routes())
        .merge(assets::routes())
        .merge(ops::routes())
        // A route layer sees the matched route pattern, which keeps metric labels bounded.
        .route_layer(middleware::from_fn(ops::record_metrics))
        .fallback(error::not_found)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page::setup_gate,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.request_timeout_secs),
        ))
        .with_state(state)
}
