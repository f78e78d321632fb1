//! RSS 2.0 and Atom feeds of open spaces and tags.

use axum::Router;
use guildhall_app::App;

pub(crate) fn routes() -> Router<App> {
    Router::new()
}
