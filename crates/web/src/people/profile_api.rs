//! The JSON twins of the directory, profile and name-change pages, and the audit log.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::AppError;
use guildhall_app::people::{DirectoryQuery, ProfileInput, ProfileView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(person))
        .routes(routes!(directory))
        .routes(routes!(update_profile))
        .routes(routes!(skills))
        .routes(routes!(request_name))
        .routes(routes!(name_requests))
        .routes(routes!(decide_name))
        .routes(routes!(name_history))
        .routes(routes!(audit))
}

#[derive(Serialize, ToSchema)]
pub struct PublicProfileDto {
    id: i64,
    display_name: String,
    given_name: String,
    family_name: String,
    preferred_given_name: String,
    /// The name comes from the organisation's directory or identity provider.
    verified: bool,
    title: String,
    department: String,
    location: String,
    time_zone: String,
    bio: String,
    languages: Vec<String>,
    interests: Vec<String>,
    skills: Vec<String>,
    photo_url: Option<String>,
    member_since: DateTime<Utc>,
}

impl From<ProfileView> for PublicProfileDto {
    fn from(p: ProfileView) -> Self {
        PublicProfileDto {
            id: p.id,
            display_name: p.display_name,
            given_name: p.given_name,
            family_name: p.family_name,
            preferred_given_name: p.preferred_given_name,
            verified: p.verified,
            title: p.title,
            department: p.department,
            location: p.location,
            time_zone: p.time_zone,
            bio: p.bio,
            languages: p.languages,
            interests: p.interests,
            skills: p.skills,
            photo_url: p.photo_url,
            member_since: p.member_since,
        }
    }
}

/// A person's profile.
#[utoipa::path(get, path = "/people/{id}", tag = "people", params(("id" = i64, Path, description = "Person id")), responses((status = 200, body = PublicProfileDto)))]
async fn person(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<PublicProfileDto>> {
    Ok(Json(state.app.profile_page(&viewer, id).await?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectoryParams {
    /// The start of a name.
    #[serde(default)]
    q: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    location: String,
    /// The `next` value of the previous page.
    #[serde(default)]
    after: String,
}

#[derive(Serialize, ToSchema)]
pub struct PersonEntryDto {
    id: i64,
    display_name: String,
    verified: bool,
    title: String,
    department: String,
    location: String,
}

#[derive(Serialize, ToSchema)]
pub struct DirectoryDto {
    people: Vec<PersonEntryDto>,
    next: Option<String>,
}

/// The people directory: search by name, filter by skill, department and location.
#[utoipa::path(get, path = "/directory", tag = "people", params(DirectoryParams), responses((status = 200, body = DirectoryDto)))]
async fn directory(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<DirectoryParams>,
) -> ApiResult<Json<DirectoryDto>> {
    let page = state
        .app
        .people_directory(
            &viewer,
            &DirectoryQuery {
                query: params.q,
                skill: params.skill,
                department: params.department,
                location: params.location,
                after: params.after,
            },
        )
        .await?;
    Ok(Json(DirectoryDto {
        people: page
            .people
            .into_iter()
            .map(|p| PersonEntryDto {
                id: p.id,
                display_name: p.display_name,
                verified: p.verified,
                title: p.title,
                department: p.department,
                location: p.location,
            })
            .collect(),
        next: page.next,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    location: String,
    /// An IANA time zone such as Europe/Berlin.
    #[serde(default)]
    time_zone: String,
    /// Markdown.
    #[serde(default)]
    bio: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    interests: Vec<String>,
    #[serde(default)]
    skills: Vec<String>,
}

/// Replaces the caller's profile (the name changes by request).
#[utoipa::path(put, path = "/me/profile", tag = "people", request_body = ProfileBody, responses((status = 204, description = "Saved")))]
async fn update_profile(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<ProfileBody>,
) -> ApiResult<StatusCode> {
    // Items with commas or line breaks would split differently: refuse them here.
    for (field, items) in [
        ("languages", &body.languages),
        ("interests", &body.interests),
        ("skills", &body.skills),
    ] {
        if items.iter().any(|i| i.contains([',', '\n'])) {
            return Err(
                AppError::invalid(field, "Items cannot contain commas or line breaks.").into(),
            );
        }
    }
    let input = ProfileInput {
        title: body.title,
        department: body.department,
        location: body.location,
        time_zone: body.time_zone,
        bio: body.bio,
        languages: body.languages.join(","),
        interests: body.interests.join(","),
        skills: body.skills.join(","),
    };
    state.app.update_profile(&viewer, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkillParams {
    /// The start of a skill.
    #[serde(default)]
    q: String,
}

/// Skills people already use that start with `q`, most used first (autocomplete).
#[utoipa::path(get, path = "/skills", tag = "people", params(SkillParams), responses((status = 200, body = Vec<String>)))]
async fn skills(
    State(state): State<WebState>,
    Member(_member): Member,
    QueryParams(params): QueryParams<SkillParams>,
) -> ApiResult<Json<Vec<String>>> {
    Ok(Json(state.app.skill_suggestions(&params.q).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameRequestBody {
    given_name: String,
    family_name: String,
    #[serde(default)]
    preferred_given_name: String,
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct NameRequestCreatedDto {
    id: i64,
}

/// Asks a moderator or HR to change the caller's professional name.
#[utoipa::path(post, path = "/me/name-requests", tag = "people", request_body = NameRequestBody, responses((status = 201, body = NameRequestCreatedDto)))]
async fn request_name(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<NameRequestBody>,
) -> ApiResult<(StatusCode, Json<NameRequestCreatedDto>)> {
    let id = state
        .app
        .request_name_change(
            &viewer,
            &body.given_name,
            &body.family_name,
            &body.preferred_given_name,
            &body.reason,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(NameRequestCreatedDto { id })))
}

#[derive(Serialize, ToSchema)]
pub struct NameRequestDto {
    id: i64,
    user_id: i64,
    current_name: String,
    requested_name: String,
    reason: String,
    created_at: DateTime<Utc>,
}

/// Open name-change requests (moderators and HR).
#[utoipa::path(get, path = "/name-requests", tag = "people", responses((status = 200, body = Vec<NameRequestDto>)))]
async fn name_requests(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<Vec<NameRequestDto>>> {
    Ok(Json(
        state
            .app
            .name_requests(&viewer)
            .await?
            .into_iter()
            .map(|r| NameRequestDto {
                id: r.id,
                user_id: r.user_id,
                current_name: r.current_name,
                requested_name: r.requested_name,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameDecisionBody {
    /// approve or decline.
    decision: String,
    #[serde(default)]
    note: String,
}

/// Approves or declines a name change (moderators and HR; not one's own).
#[utoipa::path(post, path = "/name-requests/{id}", tag = "people", params(("id" = i64, Path, description = "Request id")), request_body = NameDecisionBody, responses((status = 204, description = "Decided")))]
async fn decide_name(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<NameDecisionBody>,
) -> ApiResult<StatusCode> {
    let approve = crate::forms::approve_or_decline(&body.decision)?;
    state
        .app
        .decide_name_request(&viewer, id, approve, &body.note)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    /// Part of an old or new name.
    #[serde(default)]
    q: String,
}

#[derive(Serialize, ToSchema)]
pub struct NameChangeDto {
    user_id: i64,
    old_name: String,
    new_name: String,
    /// self, directory or idp.
    source: String,
    changed_by: Option<String>,
    reason: String,
    at: DateTime<Utc>,
}

/// Every name change, searchable (administrators and HR).
#[utoipa::path(get, path = "/name-history", tag = "people", params(HistoryParams), responses((status = 200, body = Vec<NameChangeDto>)))]
async fn name_history(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<HistoryParams>,
) -> ApiResult<Json<Vec<NameChangeDto>>> {
    Ok(Json(
        state
            .app
            .name_history(&viewer, &params.q)
            .await?
            .into_iter()
            .map(|c| NameChangeDto {
                user_id: c.user_id,
                old_name: c.old_name,
                new_name: c.new_name,
                source: c.source,
                changed_by: c.changed_by,
                reason: c.reason,
                at: c.at,
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Entries older than this id.
    #[serde(default)]
    before: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryDto {
    id: i64,
    actor_id: Option<i64>,
    /// e.g. session.started, roles.set, name.changed, api_token.created.
    action: String,
    subject: String,
    #[schema(value_type = Object)]
    detail: serde_json::Value,
    at: DateTime<Utc>,
}

/// The audit log, newest first (administrators).
#[utoipa::path(get, path = "/admin/audit", tag = "admin", params(AuditParams), responses((status = 200, body = Vec<AuditEntryDto>)))]
async fn audit(
    State(state): State<WebState>,
    crate::auth::Admin { 0: viewer, .. }: crate::auth::Admin,
    QueryParams(params): QueryParams<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntryDto>>> {
    Ok(Json(
        state
            .app
            .audit_log(&viewer, params.before)
            .await?
            .into_iter()
            .map(|a| AuditEntryDto {
                id: a.id,
                actor_id: a.actor_id,
                action: a.action,
                subject: a.subject,
                detail: a.detail,
                at: a.at,
            })
            .collect(),
    ))
}
