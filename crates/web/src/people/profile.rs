//! The profile page: who you are, where you are signed in, and your API tokens.

use super::cookies::signed_out_redirect;
use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormPairs, IdPath};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::people::{
    ApiTokenInfo, LinkedSignIn, NewApiToken, Profile, SessionInfo, Viewer,
};
use guildhall_domain::FieldErrors;

#[derive(Template)]
#[template(path = "people/me.html")]
struct ProfilePage {
    ctx: PageCtx,
    profile: Profile,
    sessions: Vec<SessionInfo>,
    sign_ins: Vec<LinkedSignIn>,
    tokens: Vec<ApiTokenInfo>,
    new_token: Option<NewApiToken>,
    calendar_link: Option<String>,
    errors: FieldErrors,
    notice: String,
}

impl ProfilePage {
    async fn load(state: &WebState, viewer: &Viewer, ctx: PageCtx) -> Result<Self, PageError> {
        Ok(ProfilePage {
            ctx,
            profile: state.app.profile(viewer.id).await?,
            sessions: state.app.sessions(viewer).await?,
            sign_ins: state.app.linked_sign_ins(viewer).await?,
            tokens: state.app.api_tokens(viewer).await?,
            notice: String::new(),
            new_token: None,
            calendar_link: None,
            errors: FieldErrors::new(),
        })
    }
}

async fn page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    new_token: Option<NewApiToken>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let mut page = ProfilePage::load(state, viewer, ctx).await?;
    page.new_token = new_token;
    page.errors = errors;
    Ok(render(&page))
}

pub async fn show(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    page(&state, &viewer, ctx, None, FieldErrors::new()).await
}

pub async fn revoke_session(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.revoke_session(&viewer, id).await?;
    Ok(Redirect::to("/me").into_response())
}

pub async fn unlink_sign_in(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.unlink_sign_in(&viewer, id).await?;
    Ok(Redirect::to("/me").into_response())
}

pub async fn sign_out_everywhere(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> Result<Response, PageError> {
    state.app.sign_out_everywhere(&viewer).await?;
    Ok(signed_out_redirect(&state, "/signin"))
}

pub async fn create_token(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    form: FormPairs,
) -> Result<Response, PageError> {
    let form = form.only(&["name", "scopes"])?;
    let name = form.first("name").unwrap_or_default().to_owned();
    match state
        .app
        .create_api_token(&viewer, &name, &form.all("scopes"))
        .await
    {
        Ok(token) => page(&state, &viewer, ctx, Some(token), FieldErrors::new()).await,
        Err(AppError::Invalid(errors)) => {
            let response = page(&state, &viewer, ctx, None, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, response).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn revoke_token(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.revoke_api_token(&viewer, id).await?;
    Ok(Redirect::to("/me").into_response())
}

/// A private link for calendar apps: a read-only token named "Calendar", shown once in the URL.
pub async fn create_calendar_link(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let token = state
        .app
        .issue_api_token(viewer.id, "Calendar", false)
        .await?;
    let link = format!(
        "{}/me/events.ics?token={}",
        state.config.public_url, token.token
    );
    let mut page = ProfilePage::load(&state, &viewer, ctx).await?;
    page.calendar_link = Some(link);
    page.notice = "Your calendar link is ready.".into();
    Ok(render(&page))
}
