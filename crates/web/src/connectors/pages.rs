//! The connectors page: every connector of the space with its status, last error and dead
//! letters; a form to add one (its secrets shown once); switch on/off, remove, retry.

use super::ids;
use crate::WebState;
use crate::auth::Admin;
use crate::error::PageError;
use crate::forms::FormBody;
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::connectors::{ConnectorInput, ConnectorView, CreatedConnector};
use guildhall_app::people::Viewer;
use guildhall_app::spaces::SpaceView;
use guildhall_domain::FieldErrors;
use guildhall_domain::connectors::ConnectorKind;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "connectors/index.html")]
struct ConnectorsPage {
    ctx: PageCtx,
    space: SpaceView,
    connectors: Vec<ConnectorView>,
    kinds: [ConnectorKind; 7],
    created: Option<CreatedConnector>,
    public_url: String,
    errors: FieldErrors,
    form: ConnectorForm,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    target: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    active: Option<String>,
}

async fn page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    slug: &str,
) -> Result<ConnectorsPage, PageError> {
    let (space, connectors) = state.app.connectors(viewer, slug).await?;
    Ok(ConnectorsPage {
        ctx,
        space,
        connectors,
        kinds: ConnectorKind::ALL,
        created: None,
        public_url: state.config.public_url.clone(),
        errors: FieldErrors::new(),
        form: ConnectorForm::default(),
    })
}

pub async fn index(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    Ok(render(&page(&state, &viewer, ctx, &slug).await?))
}

pub async fn create(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    Path(slug): Path<String>,
    FormBody(form): FormBody<ConnectorForm>,
) -> Result<Response, PageError> {
    let input = ConnectorInput {
        kind: form.kind.clone(),
        name: form.name.clone(),
        target: form.target.clone(),
        active: form.active.is_some(),
    };
    match state.app.create_connector(&viewer, &slug, &input).await {
        // Shown on the page itself rather than after a redirect: the secrets appear only once.
        Ok(created) => {
            let mut page = page(&state, &viewer, ctx, &slug).await?;
            page.created = Some(created);
            Ok((StatusCode::CREATED, render(&page)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let mut page = page(&state, &viewer, ctx, &slug).await?;
            page.errors = errors;
            page.form = form;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActiveForm {
    active: String,
}

fn back(slug: &str) -> Response {
    Redirect::to(&format!("/s/{slug}/connectors")).into_response()
}

pub async fn set_active(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path((slug, id)): Path<(String, String)>,
    FormBody(form): FormBody<ActiveForm>,
) -> Result<Response, PageError> {
    let id = ids(&[id]).ok_or(AppError::NotFound)?[0];
    let active = form.active == "true";
    state
        .app
        .set_connector_active(&viewer, &slug, id, active)
        .await?;
    Ok(back(&slug))
}

pub async fn delete(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = ids(&[id]).ok_or(AppError::NotFound)?[0];
    state.app.delete_connector(&viewer, &slug, id).await?;
    Ok(back(&slug))
}

pub async fn retry(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path((slug, id, delivery)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let parsed = ids(&[id, delivery]).ok_or(AppError::NotFound)?;
    state
        .app
        .retry_connector_delivery(&viewer, &slug, parsed[0], parsed[1])
        .await?;
    Ok(back(&slug))
}
