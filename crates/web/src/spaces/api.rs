//! The JSON twins of the space pages.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{JsonBody, QueryParams};
use crate::threads::api::{CursorQuery, FeedDto, ThreadCreatedDto};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::spaces::{DirectoryEntry, SpaceInput, SpaceMember, SpaceView};
use guildhall_app::threads::ThreadInput;
use guildhall_domain::spaces::MembershipStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct SpaceDto {
    id: i64,
    slug: String,
    name: String,
    /// community, cohort, event or team.
    kind: String,
    /// open, on_request, invite_only or secret.
    visibility: String,
    /// Markdown, and the same rendered to sanitised HTML.
    description: String,
    description_html: String,
    rules: String,
    rules_html: String,
    member_count: i64,
    created_at: DateTime<Utc>,
    /// The viewer's standing: active, requested, invited, or null.
    my_status: Option<String>,
    /// member or facilitator, when the viewer has a standing.
    my_role: Option<String>,
    /// The viewer hears about every new thread.
    watching: bool,
}

impl From<SpaceView> for SpaceDto {
    fn from(s: SpaceView) -> Self {
        SpaceDto {
            kind: s.kind.as_str().into(),
            visibility: s.visibility.as_str().into(),
            my_status: s.my_status.map(|m| m.as_str().into()),
            my_role: s.my_role.map(|r| r.as_str().into()),
            watching: s.watching,
            id: s.id,
            slug: s.slug,
            name: s.name,
            description: s.description,
            description_html: s.description_html,
            rules: s.rules,
            rules_html: s.rules_html,
            member_count: s.member_count,
            created_at: s.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DirectoryEntryDto {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    visibility: String,
    description: String,
    member_count: i64,
    my_status: Option<String>,
}

impl From<DirectoryEntry> for DirectoryEntryDto {
    fn from(e: DirectoryEntry) -> Self {
        DirectoryEntryDto {
            kind: e.kind.as_str().into(),
            visibility: e.visibility.as_str().into(),
            my_status: e.my_status.map(|m| m.as_str().into()),
            id: e.id,
            slug: e.slug,
            name: e.name,
            description: e.description,
            member_count: e.member_count,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SpaceMemberDto {
    user_id: i64,
    display_name: String,
    role: String,
    status: String,
    since: DateTime<Utc>,
}

impl From<SpaceMember> for SpaceMemberDto {
    fn from(m: SpaceMember) -> Self {
        SpaceMemberDto {
            role: m.role.as_str().into(),
            status: m.status.as_str().into(),
            user_id: m.user_id,
            display_name: m.display_name,
            since: m.since,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpaceBody {
    name: String,
    kind: String,
    visibility: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    rules: String,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipDto {
    /// active, or requested when a facilitator must approve.
    status: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewThreadBody {
    /// discussion, question, idea, resource, announcement or showcase.
    kind: String,
    title: String,
    /// Markdown.
    body: String,
    /// Required for resources.
    #[serde(default)]
    link: Option<String>,
    /// After a `content_nudged` answer: publish anyway, held until a moderator approves it.
    #[serde(default)]
    send_for_review: bool,
    /// With `send_for_review`: the author says the check was wrong ("this was not rude"); the
    /// moderator sees a disputed item, kept as training material when approved.
    #[serde(default)]
    not_rude: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// Continue after this space id …
    #[serde(default)]
    after_id: Option<i64>,
    /// … whose name is this.
    #[serde(default)]
    after_name: Option<String>,
}

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(directory, create_space))
        .routes(routes!(space))
        .routes(routes!(join))
        .routes(routes!(leave))
        .routes(routes!(watch))
        .routes(routes!(members))
        .routes(routes!(space_threads, start_thread))
}

/// Spaces the viewer can find, by name (50 a page).
#[utoipa::path(get, path = "/spaces", tag = "spaces", params(DirectoryQuery), responses((status = 200, body = Vec<DirectoryEntryDto>)))]
async fn directory(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<DirectoryQuery>,
) -> ApiResult<Json<Vec<DirectoryEntryDto>>> {
    let after = query
        .after_id
        .map(|id| (query.after_name.as_deref().unwrap_or(""), id));
    Ok(Json(
        state
            .app
            .directory(&viewer, after)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Creates a space (facilitators and administrators); the creator facilitates it.
#[utoipa::path(post, path = "/spaces", tag = "spaces", request_body = SpaceBody, responses((status = 201, body = SpaceDto)))]
async fn create_space(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<SpaceBody>,
) -> ApiResult<(StatusCode, Json<SpaceDto>)> {
    let input = SpaceInput {
        name: body.name,
        kind: body.kind,
        visibility: body.visibility,
        description: body.description,
        rules: body.rules,
    };
    Ok((
        StatusCode::CREATED,
        Json(state.app.create_space(&viewer, &input).await?.into()),
    ))
}

/// One space, with the viewer's standing.
#[utoipa::path(get, path = "/spaces/{slug}", tag = "spaces", params(("slug" = String, Path, description = "The space's address")), responses((status = 200, body = SpaceDto)))]
async fn space(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
) -> ApiResult<Json<SpaceDto>> {
    Ok(Json(state.app.space(&viewer, &slug).await?.into()))
}

/// Joins an open space or accepts an invitation; asks to join an on-request space.
#[utoipa::path(post, path = "/spaces/{slug}/membership", tag = "spaces", params(("slug" = String, Path, description = "The space's address")), responses((status = 200, body = MembershipDto)))]
async fn join(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
) -> ApiResult<Json<MembershipDto>> {
    let status = state.app.join_space(&viewer, &slug).await?;
    Ok(Json(MembershipDto {
        status: status.as_str().into(),
    }))
}

/// Leaves a space, withdraws a request or declines an invitation.
#[utoipa::path(delete, path = "/spaces/{slug}/membership", tag = "spaces", params(("slug" = String, Path, description = "The space's address")), responses((status = 204, description = "Left")))]
async fn leave(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
) -> ApiResult<StatusCode> {
    state.app.leave_space(&viewer, &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Active members of a space the viewer can read (100 a page).
#[utoipa::path(get, path = "/spaces/{slug}/members", tag = "spaces", params(("slug" = String, Path, description = "The space's address")), responses((status = 200, body = Vec<SpaceMemberDto>)))]
async fn members(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
) -> ApiResult<Json<Vec<SpaceMemberDto>>> {
    Ok(Json(
        state
            .app
            .space_members(&viewer, &slug, MembershipStatus::Active, 0)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// The space's threads, latest activity first (25 a page, keyset cursor).
#[utoipa::path(get, path = "/spaces/{slug}/threads", tag = "threads", params(("slug" = String, Path, description = "The space's address"), CursorQuery), responses((status = 200, body = FeedDto)))]
async fn space_threads(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    QueryParams(query): QueryParams<CursorQuery>,
) -> ApiResult<Json<FeedDto>> {
    let (space, feed, _) = state
        .app
        .space_feed(&viewer, &slug, query.cursor.as_deref())
        .await?;
    if !space.can_read() {
        return Err(ApiError(guildhall_app::AppError::forbidden(
            "members_only",
            "Only members of this space can see its threads.",
        )));
    }
    Ok(Json(feed.into()))
}

/// Starts a thread (members; announcements by facilitators).
#[utoipa::path(post, path = "/spaces/{slug}/threads", tag = "threads", params(("slug" = String, Path, description = "The space's address")), request_body = NewThreadBody, responses((status = 201, body = ThreadCreatedDto)))]
async fn start_thread(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<NewThreadBody>,
) -> ApiResult<(StatusCode, Json<ThreadCreatedDto>)> {
    let input = ThreadInput {
        kind: body.kind,
        title: body.title,
        body: body.body,
        link: body.link.unwrap_or_default(),
        send_for_review: body.send_for_review,
        not_rude: body.send_for_review && body.not_rude,
    };
    let id = state.app.start_thread(&viewer, &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(ThreadCreatedDto { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchBody {
    watching: bool,
}

/// Watch a space (a notification for every new thread) or stop watching it.
#[utoipa::path(put, path = "/spaces/{slug}/watch", tag = "spaces", params(("slug" = String, Path, description = "The space's address")), request_body = WatchBody, responses((status = 204, description = "Saved")))]
async fn watch(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<WatchBody>,
) -> ApiResult<StatusCode> {
    state.app.watch_space(&viewer, &slug, body.watching).await?;
    Ok(StatusCode::NO_CONTENT)
}
