//! Guildhall's face to other systems: federation inboxes, inbound webhooks and mail, feeds, and
//! the outbox handlers that deliver outward (federation, connectors, email, learning records).
//! Like `web`, it only parses what arrives and calls `app` actions; it builds no SQL and renders
//! no pages. Its routes sit outside the web router's session and CSRF layers: every request here
//! proves itself (a signature, a token) or reads only public data.

mod answer;
pub mod connectors;
pub mod email;
pub mod federation;
pub mod feeds;
pub mod xapi;

use axum::Router;
use guildhall_app::App;
use guildhall_app::outbox::OutboxWorker;

/// The routes other systems call, to be merged beside `guildhall_web::router`.
pub fn router(app: App) -> Router {
    Router::new()
        .merge(federation::routes())
        .merge(connectors::routes())
        .merge(email::routes())
        .merge(feeds::routes())
        .merge(xapi::routes())
        .with_state(app)
}

/// Registers the effects this crate carries out: deliveries to other systems.
pub fn register_effects(worker: OutboxWorker) -> OutboxWorker {
    let worker = federation::register_effects(worker);
    let worker = connectors::register_effects(worker);
    let worker = email::register_effects(worker);
    xapi::register_effects(worker)
}
