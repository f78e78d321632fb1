//! Health checks for load balancers and request metrics for Prometheus.

use crate::WebState;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::time::Instant;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and its schema is current: this instance can serve traffic.
async fn readyz(State(state): State<WebState>) -> Response {
    let db = state.app.db();
    match (db.ping().await, db.pending_migrations().await) {
        (Ok(()), Ok(0)) => "ready".into_response(),
        (Ok(()), Ok(pending)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{pending} migrations pending"),
        )
            .into_response(),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}

pub async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    // The route pattern, not the raw path, keeps the number of series bounded.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("guildhall_http_requests_total", &labels).increment(1);
    metrics::histogram!("guildhall_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}
