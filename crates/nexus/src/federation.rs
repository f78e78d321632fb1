//! ActivityPub: the Group actor of a federated space, WebFinger, NodeInfo, inboxes and deliveries.

use axum::Router;
use guildhall_app::App;
use guildhall_app::outbox::OutboxWorker;

pub(crate) fn routes() -> Router<App> {
    Router::new()
}

pub(crate) fn register_effects(worker: OutboxWorker) -> OutboxWorker {
    worker
}
