//! xAPI: learning records sent to a Learning Record Store, and the profile that describes them.
//! `app::xapi` writes each statement into the outbox in the transaction of its moment; here the
//! worker delivers it (`lrs`) and the profile document is served (`profile`).

mod lrs;
mod profile;

use axum::Router;
use axum::routing::get;
use guildhall_app::App;
use guildhall_app::outbox::OutboxWorker;

pub(crate) fn routes() -> Router<App> {
    // One document under its IRI, its version's IRI and a name that says what it is.
    Router::new()
        .route("/xapi/profile", get(profile::document))
        .route("/xapi/profile.jsonld", get(profile::document))
        .route("/xapi/profile/v1", get(profile::document))
}

pub(crate) fn register_effects(mut worker: OutboxWorker) -> OutboxWorker {
    worker.register(guildhall_app::xapi::DELIVER, lrs::deliver);
    worker
}
