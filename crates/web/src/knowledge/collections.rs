//! Collection pages: a learning path with the viewer's progress, and the forms that build it
//! (create, add a resource, move a step) and walk it (mark a step done).

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::knowledge::CollectionPage;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "knowledge/collection.html")]
struct CollectionTemplate {
    ctx: PageCtx,
    page: CollectionPage,
}

pub async fn show(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let page = state.app.collection_page(&viewer, id).await?;
    Ok(render(&CollectionTemplate { ctx, page }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionForm {
    title: String,
    #[serde(default)]
    description: String,
    /// A space's slug; empty for organisation-wide.
    #[serde(default)]
    space: String,
}

pub async fn create(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<CollectionForm>,
) -> Result<Response, PageError> {
    let id = state
        .app
        .create_collection(&viewer, Some(&form.space), &form.title, &form.description)
        .await?;
    Ok(Redirect::to(&format!("/library/collections/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddForm {
    collection: i64,
}

pub async fn add_item(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(resource): IdPath,
    FormBody(form): FormBody<AddForm>,
) -> Result<Response, PageError> {
    state
        .app
        .add_to_collection(&viewer, form.collection, resource)
        .await?;
    Ok(Redirect::to(&format!("/library/{resource}?done=added#collections")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoneForm {
    resource: i64,
    /// "yes" marks the step done, "no" not done.
    done: String,
}

pub async fn done(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<DoneForm>,
) -> Result<Response, PageError> {
    state
        .app
        .mark_done(&viewer, id, form.resource, form.done == "yes")
        .await?;
    Ok(Redirect::to(&format!("/library/collections/{id}#step-{}", form.resource)).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveForm {
    resource: i64,
    /// "up" or "down".
    direction: String,
}

pub async fn move_item(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<MoveForm>,
) -> Result<Response, PageError> {
    state
        .app
        .move_in_collection(&viewer, id, form.resource, form.direction == "up")
        .await?;
    Ok(Redirect::to(&format!("/library/collections/{id}#step-{}", form.resource)).into_response())
}
