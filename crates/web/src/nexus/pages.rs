//! The federation page (`/admin/federation`): settings, allow and block lists, federated
//! spaces and remote people, each form posting back to it.

use crate::WebState;
use crate::auth::Admin;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::nexus::federation::{FederationOverview, FederationSettings};
use guildhall_app::nexus::remote::RemoteAuthor;
use guildhall_app::people::Viewer;
use guildhall_domain::FieldErrors;
use guildhall_domain::nexus::Origin;
use guildhall_domain::nexus::servers::{FederationMode, ServerPolicy};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "nexus/federation.html")]
struct FederationPage {
    ctx: PageCtx,
    overview: FederationOverview,
    remote: Vec<RemoteAuthor>,
    errors: FieldErrors,
    host: String,
}

async fn page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
) -> Result<FederationPage, PageError> {
    Ok(FederationPage {
        ctx,
        overview: state.app.federation_overview(viewer).await?,
        remote: state.app.remote_people(viewer, Origin::Fediverse).await?,
        errors: FieldErrors::new(),
        host: state.app.public_host(),
    })
}

pub async fn federation(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    Ok(render(&page(&state, &viewer, ctx).await?))
}

/// Back to the page, or the page again with what needs fixing.
async fn after(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to("/admin/federation").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = page(state, viewer, ctx).await?;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsForm {
    #[serde(default)]
    enabled: Option<String>,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    share_usage: Option<String>,
}

pub async fn save_settings(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<SettingsForm>,
) -> Result<Response, PageError> {
    let result = match FederationMode::parse(&form.mode) {
        Some(mode) => {
            let settings = FederationSettings {
                enabled: form.enabled.is_some(),
                mode,
                share_usage: form.share_usage.is_some(),
            };
            state.app.set_federation(&viewer, &settings).await
        }
        None => Err(AppError::invalid("mode", "Choose allow list or open.")),
    };
    after(&state, &viewer, ctx, result).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerForm {
    #[serde(default)]
    host: String,
    #[serde(default)]
    policy: String,
    #[serde(default)]
    note: String,
}

pub async fn list_server(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<ServerForm>,
) -> Result<Response, PageError> {
    let result = match ServerPolicy::parse(&form.policy) {
        Some(policy) => state
            .app
            .list_server(&viewer, &form.host, policy, &form.note)
            .await
            .map(|_| ()),
        None => Err(AppError::invalid("policy", "Choose allow or block.")),
    };
    after(&state, &viewer, ctx, result).await
}

pub async fn unlist_server(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path(host): Path<String>,
) -> Result<Response, PageError> {
    state.app.unlist_server(&viewer, &host).await?;
    Ok(Redirect::to("/admin/federation").into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToggleForm {
    #[serde(default)]
    on: String,
}

pub async fn federate_space(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    Path(slug): Path<String>,
    FormBody(form): FormBody<ToggleForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .federate_space(&viewer, &slug, form.on == "true")
        .await;
    after(&state, &viewer, ctx, result).await
}

pub async fn block_remote(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    IdPath(id): IdPath,
    FormBody(form): FormBody<ToggleForm>,
) -> Result<Response, PageError> {
    state
        .app
        .block_remote(&viewer, id, form.on == "true")
        .await?;
    Ok(Redirect::to("/admin/federation").into_response())
}
