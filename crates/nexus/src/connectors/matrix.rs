//! The Matrix application service API the homeserver calls.

use axum::Router;
use guildhall_app::App;

pub(super) fn routes() -> Router<App> {
    Router::new()
}
