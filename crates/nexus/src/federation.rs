//! ActivityPub: the documents of federated spaces (actors, objects, WebFinger, NodeInfo), the
//! inboxes, and the signed deliveries the outbox asks for.

mod actors;
mod deliver;
mod inbox;
mod serve;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use guildhall_app::App;
use guildhall_app::outbox::OutboxWorker;

/// Inbound activities larger than this are refused before they are read.
pub const MAX_ACTIVITY_BYTES: usize = 256 * 1024;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/.well-known/webfinger", get(serve::webfinger))
        .route("/.well-known/nodeinfo", get(serve::nodeinfo_links))
        .route("/nodeinfo/2.1", get(serve::nodeinfo))
        .route("/ap/actor", get(serve::instance_actor))
        .route("/ap/groups/{slug}", get(serve::group))
        .route("/ap/groups/{slug}/followers", get(serve::followers))
        .route("/ap/groups/{slug}/outbox", get(serve::outbox))
        .route("/ap/people/{id}", get(serve::person))
        .route("/ap/threads/{id}", get(serve::thread))
        .route("/ap/posts/{id}", get(serve::post))
        .merge(
            Router::new()
                .route("/ap/inbox", post(inbox::receive))
                .route("/ap/groups/{slug}/inbox", post(inbox::receive))
                .route("/ap/people/{id}/inbox", post(inbox::receive))
                .layer(DefaultBodyLimit::max(MAX_ACTIVITY_BYTES)),
        )
}

pub(crate) fn register_effects(mut worker: OutboxWorker) -> OutboxWorker {
    worker.register(guildhall_app::nexus::federation::DELIVER, deliver::deliver);
    worker
}
