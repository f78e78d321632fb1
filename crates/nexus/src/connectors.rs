//! Chat platforms: webhooks out and in, the Matrix application service.

use axum::Router;
use guildhall_app::App;
use guildhall_app::outbox::OutboxWorker;

pub(crate) fn routes() -> Router<App> {
    Router::new()
}

pub(crate) fn register_effects(worker: OutboxWorker) -> OutboxWorker {
    worker
}
