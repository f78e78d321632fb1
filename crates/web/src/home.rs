//! The community home: where a signed-in person lands.

use crate::WebState;
use crate::auth::Member;
use crate::page::{PageCtx, render};
use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use guildhall_domain::people::Role;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageCtx,
    display_name: String,
    is_admin: bool,
}

pub fn routes() -> Router<WebState> {
    Router::new().route("/", get(home))
}

async fn home(Member(viewer): Member, ctx: PageCtx) -> Response {
    render(&HomePage {
        ctx,
        is_admin: viewer.has(Role::Admin),
        display_name: viewer.display_name,
    })
}
