//! Static assets, embedded in the binary so `cargo run` needs no build step or files beside it.

use crate::WebState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const CSS: &str = include_str!("../assets/guildhall.css");
const ICON: &str = include_str!("../assets/icon.svg");
const MANIFEST: &str = include_str!("../assets/manifest.webmanifest");
const LIVE: &str = include_str!("../assets/live.js");
const MENTIONS: &str = include_str!("../assets/mentions.js");
const CHECK: &str = include_str!("../assets/check.js");

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/static/mentions.js",
            get(|| async { asset("text/javascript; charset=utf-8", MENTIONS) }),
        )
        .route(
            "/static/check.js",
            get(|| async { asset("text/javascript; charset=utf-8", CHECK) }),
        )
        .route(
            "/static/live.js",
            get(|| async { asset("text/javascript; charset=utf-8", LIVE) }),
        )
        .route(
            "/static/guildhall.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/static/icon.svg",
            get(|| async { asset("image/svg+xml", ICON) }),
        )
        .route(
            "/static/manifest.webmanifest",
            get(|| async { asset("application/manifest+json", MANIFEST) }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset("image/svg+xml", ICON) }),
        )
}
