//! The community home: where a signed-in person lands — the latest in their spaces.

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::QueryParams;
use crate::page::{PageCtx, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use guildhall_app::spaces::DirectoryEntry;
use guildhall_app::threads::FeedPage;
use guildhall_domain::people::Role;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageCtx,
    display_name: String,
    is_admin: bool,
    feed: FeedPage,
    spaces: Vec<DirectoryEntry>,
}

pub fn routes() -> Router<WebState> {
    Router::new().route("/", get(home))
}

#[derive(Debug, Deserialize)]
struct HomeQuery {
    #[serde(default)]
    cursor: Option<String>,
}

async fn home(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<HomeQuery>,
) -> Result<Response, PageError> {
    let feed = state
        .app
        .home_feed(&viewer, query.cursor.as_deref())
        .await?;
    let spaces = state.app.my_spaces(&viewer).await?;
    Ok(render(&HomePage {
        ctx,
        is_admin: viewer.has(Role::Admin),
        display_name: viewer.display_name,
        feed,
        spaces,
    }))
}
