//! Email: notifications and digests out, replies by email in.

use axum::Router;
use guildhall_app::App;
use guildhall_app::outbox::OutboxWorker;

pub(crate) fn routes() -> Router<App> {
    Router::new()
}

pub(crate) fn register_effects(worker: OutboxWorker) -> OutboxWorker {
    worker
}
