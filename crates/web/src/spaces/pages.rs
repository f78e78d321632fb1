//! Space pages. Each handler calls one `app` action; permission checks live there.

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::people::Viewer;
use guildhall_app::spaces::{DirectoryEntry, SpaceInput, SpaceMember, SpaceView};
use guildhall_app::threads::{FeedPage, ThreadSummary};
use guildhall_domain::FieldErrors;
use guildhall_domain::people::Role;
use guildhall_domain::spaces::{MembershipStatus, SpaceKind, Visibility};
use guildhall_domain::threads::ThreadKind;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpaceForm {
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub visibility: String,
    pub description: String,
    pub rules: String,
}

#[derive(Template)]
#[template(path = "spaces/directory.html")]
struct DirectoryPage {
    ctx: PageCtx,
    entries: Vec<DirectoryEntry>,
    next: Option<String>,
    can_create: bool,
    form: SpaceForm,
    errors: FieldErrors,
    alert: String,
    kinds: &'static [SpaceKind],
    visibilities: &'static [Visibility],
}

/// What the new-thread form holds, for re-showing it after an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreadForm {
    #[serde(default)]
    pub kind: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub link: String,
    /// The author's answer to a nudge: send the text for review as written.
    #[serde(default)]
    pub send_for_review: Option<String>,
}

#[derive(Template)]
#[template(path = "spaces/space.html")]
pub struct SpacePage {
    pub ctx: PageCtx,
    pub space: SpaceView,
    pub feed: FeedPage,
    pub pinned: Vec<ThreadSummary>,
    pub form: ThreadForm,
    pub errors: FieldErrors,
    pub nudged: bool,
    pub alert: String,
    pub notice: String,
    pub kinds: &'static [ThreadKind],
}

#[derive(Template)]
#[template(path = "spaces/members.html")]
struct MembersPage {
    ctx: PageCtx,
    space: SpaceView,
    members: Vec<SpaceMember>,
    requests: Vec<SpaceMember>,
    errors: FieldErrors,
    alert: String,
}

#[derive(Debug, Deserialize)]
pub struct DirectoryQuery {
    #[serde(default)]
    after: String,
}

fn can_create(viewer: &Viewer) -> bool {
    viewer.has(Role::Facilitator) || viewer.has(Role::Admin)
}

async fn directory_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    after: &str,
    form: SpaceForm,
    errors: FieldErrors,
    alert: String,
) -> Result<DirectoryPage, PageError> {
    // The directory cursor is `<id>:<name>` of the last space shown.
    let after = after
        .split_once(':')
        .and_then(|(id, name)| id.parse::<i64>().ok().map(|id| (name, id)));
    let entries = state.app.directory(viewer, after).await?;
    let next = (i64::try_from(entries.len()).unwrap_or(0) == guildhall_app::spaces::DIRECTORY_PAGE)
        .then(|| entries.last().map(|e| format!("{}:{}", e.id, e.name)))
        .flatten();
    Ok(DirectoryPage {
        ctx,
        next,
        entries,
        can_create: can_create(viewer),
        form,
        errors,
        alert,
        kinds: SpaceKind::ALL,
        visibilities: Visibility::ALL,
    })
}

pub async fn directory(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<DirectoryQuery>,
) -> Result<Response, PageError> {
    let form = SpaceForm {
        kind: "community".into(),
        visibility: "open".into(),
        ..SpaceForm::default()
    };
    Ok(render(
        &directory_page(
            &state,
            &viewer,
            ctx,
            &query.after,
            form,
            FieldErrors::new(),
            String::new(),
        )
        .await?,
    ))
}

pub async fn create(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<SpaceForm>,
) -> Result<Response, PageError> {
    let input = SpaceInput {
        name: form.name.clone(),
        kind: form.kind.clone(),
        visibility: form.visibility.clone(),
        description: form.description.clone(),
        rules: form.rules.clone(),
    };
    match state.app.create_space(&viewer, &input).await {
        Ok(space) => Ok(Redirect::to(&format!("/s/{}", space.slug)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = directory_page(
                &state,
                &viewer,
                ctx,
                "",
                form,
                errors,
                "The space was not created: see below.".into(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    cursor: Option<String>,
}

pub async fn space_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    slug: &str,
    cursor: Option<&str>,
) -> Result<SpacePage, PageError> {
    let (space, feed, pinned) = state.app.space_feed(viewer, slug, cursor).await?;
    Ok(SpacePage {
        ctx,
        space,
        feed,
        pinned,
        form: ThreadForm {
            kind: "discussion".into(),
            ..ThreadForm::default()
        },
        errors: FieldErrors::new(),
        nudged: false,
        alert: String::new(),
        notice: String::new(),
        kinds: ThreadKind::ALL,
    })
}

pub async fn show(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
    QueryParams(query): QueryParams<FeedQuery>,
) -> Result<Response, PageError> {
    Ok(render(
        &space_page(&state, &viewer, ctx, &slug, query.cursor.as_deref()).await?,
    ))
}

pub async fn join(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    match state.app.join_space(&viewer, &slug).await {
        Ok(MembershipStatus::Requested) => {
            let mut page = space_page(&state, &viewer, ctx, &slug, None).await?;
            page.notice = "You asked to join. A facilitator will answer.".into();
            Ok(render(&page))
        }
        Ok(_) => Ok(Redirect::to(&format!("/s/{slug}")).into_response()),
        Err(error @ AppError::Forbidden { .. }) => {
            let mut page = space_page(&state, &viewer, ctx, &slug, None).await?;
            page.alert = error.public_message();
            Ok((StatusCode::FORBIDDEN, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn leave(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    match state.app.leave_space(&viewer, &slug).await {
        Ok(()) => Ok(Redirect::to("/spaces").into_response()),
        Err(error @ AppError::Conflict { .. }) => {
            let mut page = space_page(&state, &viewer, ctx, &slug, None).await?;
            page.alert = error.public_message();
            Ok((StatusCode::CONFLICT, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

async fn members_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    slug: &str,
    errors: FieldErrors,
    alert: String,
) -> Result<MembersPage, PageError> {
    let members = state
        .app
        .space_members(viewer, slug, MembershipStatus::Active, 0)
        .await?;
    let space = state.app.space(viewer, slug).await?;
    let requests = if space.is_facilitator() {
        state
            .app
            .space_members(viewer, slug, MembershipStatus::Requested, 0)
            .await?
    } else {
        Vec::new()
    };
    Ok(MembersPage {
        ctx,
        space,
        members,
        requests,
        errors,
        alert,
    })
}

pub async fn members(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    Ok(render(
        &members_page(
            &state,
            &viewer,
            ctx,
            &slug,
            FieldErrors::new(),
            String::new(),
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteForm {
    email: String,
}

pub async fn invite(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
    FormBody(form): FormBody<InviteForm>,
) -> Result<Response, PageError> {
    match state.app.invite_to_space(&viewer, &slug, &form.email).await {
        Ok(()) => Ok(Redirect::to(&format!("/s/{slug}/members")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let alert = errors
                .get("email")
                .unwrap_or("The invitation was not sent.")
                .to_owned();
            let page = members_page(&state, &viewer, ctx, &slug, errors, alert).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn approve(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path((slug, user)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    state.app.approve_member(&viewer, &slug, user).await?;
    Ok(Redirect::to(&format!("/s/{slug}/members")).into_response())
}

pub async fn decline(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path((slug, user)): Path<(String, i64)>,
) -> Result<Response, PageError> {
    state.app.decline_member(&viewer, &slug, user).await?;
    Ok(Redirect::to(&format!("/s/{slug}/members")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path((slug, user)): Path<(String, i64)>,
    FormBody(form): FormBody<RoleForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .set_space_role(&viewer, &slug, user, &form.role)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/s/{slug}/members")).into_response()),
        Err(error @ (AppError::Conflict { .. } | AppError::Invalid(_))) => {
            let page = members_page(
                &state,
                &viewer,
                ctx,
                &slug,
                FieldErrors::new(),
                error.public_message(),
            )
            .await?;
            Ok((StatusCode::CONFLICT, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchForm {
    watching: bool,
}

pub async fn watch(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    FormBody(form): FormBody<WatchForm>,
) -> Result<Response, PageError> {
    state.app.watch_space(&viewer, &slug, form.watching).await?;
    Ok(Redirect::to(&format!("/s/{slug}")).into_response())
}
