//! The JSON twins of the coach pages: finding coaches, the caller's coach profile and the
//! applications administrators and facilitators decide.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::AppError;
use guildhall_app::coaching::{
    CoachCard, CoachInput, CoachList, CoachSearch, CoachView, MatchInput,
};
use guildhall_domain::coaching::CoachChange;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(matches))
        .routes(routes!(coach))
        .routes(routes!(my_profile, save_profile))
        .routes(routes!(change_status))
        .routes(routes!(applications))
        .routes(routes!(decide))
}

#[derive(Serialize, ToSchema)]
pub struct CoachDto {
    user_id: i64,
    display_name: String,
    title: String,
    department: String,
    /// pending, approved, declined, paused or withdrawn.
    status: String,
    /// Markdown.
    bio: String,
    bio_html: String,
    skills: Vec<String>,
    /// Sessions a month.
    capacity: i64,
    sessions_left: i64,
    time_zone: String,
    /// Weekly windows in `time_zone`, e.g. `Tue 09:00-11:00`.
    availability: Vec<String>,
    /// e.g. "4.6 from 5 ratings; 4 said it helped".
    rating: Option<String>,
    decision_note: String,
    applied_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
    taking_requests: bool,
}

impl From<CoachView> for CoachDto {
    fn from(c: CoachView) -> Self {
        CoachDto {
            user_id: c.user_id,
            display_name: c.display_name,
            title: c.title,
            department: c.department,
            status: c.status,
            bio: c.bio,
            bio_html: c.bio_html,
            skills: c.skills,
            capacity: c.capacity,
            sessions_left: c.sessions_left,
            time_zone: c.time_zone,
            availability: c.availability,
            rating: c.rating,
            decision_note: c.decision_note,
            applied_at: c.applied_at,
            decided_at: c.decided_at,
            taking_requests: c.taking_requests,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CoachCardDto {
    user_id: i64,
    display_name: String,
    title: String,
    department: String,
    skills: Vec<String>,
    capacity: i64,
    sessions_left: i64,
    /// Why the coach is ranked here (ranked lists only).
    reasons: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CoachListDto {
    coaches: Vec<CoachCardDto>,
    next: Option<String>,
}

fn list(list: CoachList) -> CoachListDto {
    CoachListDto {
        coaches: list
            .coaches
            .into_iter()
            .map(|c: CoachCard| CoachCardDto {
                user_id: c.user_id,
                display_name: c.display_name,
                title: c.title,
                department: c.department,
                skills: c.skills,
                capacity: c.capacity,
                sessions_left: c.sessions_left,
                reasons: c.reasons,
            })
            .collect(),
        next: list.next,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoachSearchParams {
    /// The start of a name.
    #[serde(default)]
    #[param(max_length = 100)]
    q: String,
    #[serde(default)]
    #[param(max_length = 50)]
    skill: String,
    /// The `next` value of the previous page.
    #[serde(default)]
    after: String,
}

/// Approved coaches by name, filtered by name and skill.
#[utoipa::path(get, path = "/coaching/coaches", tag = "coaching", params(CoachSearchParams), responses((status = 200, body = CoachListDto)))]
async fn search(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<CoachSearchParams>,
) -> ApiResult<Json<CoachListDto>> {
    let found = state
        .app
        .search_coaches(
            &viewer,
            &CoachSearch {
                q: params.q,
                skill: params.skill,
                after: params.after,
            },
        )
        .await?;
    Ok(Json(list(found)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoachMatchParams {
    /// A skill people use; empty for any.
    #[serde(default)]
    #[param(max_length = 50)]
    skill: String,
    /// Preferred weekly windows, one a line or comma-separated: `Tue 09:00-11:00`.
    #[serde(default)]
    times: String,
    /// The zone of `times`; empty for the caller's profile time zone.
    #[serde(default)]
    time_zone: String,
    /// The `next` value of the previous page.
    #[serde(default)]
    after: String,
}

/// Approved coaches ranked for a need (skill overlap, evidence of help, availability, room
/// this month), each with the reasons. Coaches with no room this month come last.
#[utoipa::path(get, path = "/coaching/matches", tag = "coaching", params(CoachMatchParams), responses((status = 200, body = CoachListDto)))]
async fn matches(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<CoachMatchParams>,
) -> ApiResult<Json<CoachListDto>> {
    let ranked = state
        .app
        .match_coaches(
            &viewer,
            &MatchInput {
                skill: params.skill,
                times: params.times,
                time_zone: params.time_zone,
                after: params.after,
            },
        )
        .await?;
    Ok(Json(list(ranked)))
}

/// A coach (approved or paused; an application for its applicant and approvers).
#[utoipa::path(get, path = "/coaching/coaches/{id}", tag = "coaching", params(("id" = i64, Path, description = "The coach's person id")), responses((status = 200, body = CoachDto)))]
async fn coach(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<CoachDto>> {
    Ok(Json(state.app.coach_profile(&viewer, id).await?.into()))
}

/// The caller's coach profile or application.
#[utoipa::path(get, path = "/coaching/me", tag = "coaching", responses((status = 200, body = CoachDto)))]
async fn my_profile(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<CoachDto>> {
    let coach = state
        .app
        .my_coach_profile(&viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(coach.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachProfileBody {
    /// Skills you coach (1 to 10).
    skills: Vec<String>,
    /// Markdown.
    #[schema(max_length = 2000)]
    bio: String,
    /// Sessions a month, 1 to 40.
    #[schema(minimum = 1, maximum = 40)]
    capacity: i64,
    /// An IANA time zone, e.g. `Europe/Berlin`.
    time_zone: String,
    /// Weekly windows in `time_zone`, e.g. `Tue 09:00-11:00`.
    availability: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CoachStatusDto {
    /// pending, approved, declined, paused or withdrawn.
    status: String,
}

/// Applies to coach, or changes the caller's coach profile (applying again after a decline or
/// withdrawal is a new application, which an administrator or facilitator decides).
#[utoipa::path(put, path = "/coaching/me", tag = "coaching", request_body = CoachProfileBody, responses((status = 200, body = CoachStatusDto)))]
async fn save_profile(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<CoachProfileBody>,
) -> ApiResult<Json<CoachStatusDto>> {
    for (field, items) in [
        ("skills", &body.skills),
        ("availability", &body.availability),
    ] {
        if items.iter().any(|i| i.contains([',', '\n', ';'])) {
            return Err(AppError::invalid(field, "Give one item per entry.").into());
        }
    }
    let input = CoachInput {
        skills: body.skills.join(","),
        bio: body.bio,
        capacity: body.capacity.to_string(),
        time_zone: body.time_zone,
        availability: body.availability.join("\n"),
    };
    let status = state.app.save_coach_profile(&viewer, &input).await?;
    Ok(Json(CoachStatusDto {
        status: status.as_str().to_owned(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachStatusBody {
    /// pause, resume or withdraw.
    change: String,
}

/// Pauses, resumes or withdraws the caller's coaching.
#[utoipa::path(post, path = "/coaching/me/status", tag = "coaching", request_body = CoachStatusBody, responses((status = 200, body = CoachStatusDto)))]
async fn change_status(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<CoachStatusBody>,
) -> ApiResult<Json<CoachStatusDto>> {
    let change = match body.change.as_str() {
        "pause" => CoachChange::Pause,
        "resume" => CoachChange::Resume,
        "withdraw" => CoachChange::Withdraw,
        _ => return Err(AppError::invalid("change", "Choose pause, resume or withdraw.").into()),
    };
    let status = state.app.change_coaching(&viewer, change).await?;
    Ok(Json(CoachStatusDto {
        status: status.as_str().to_owned(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoachApplicationsParams {
    /// The `next` value of the previous page.
    #[serde(default)]
    #[param(minimum = 0)]
    after: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CoachApplicationsDto {
    applications: Vec<CoachDto>,
    next: Option<i64>,
}

/// Applications waiting for a decision (administrators and facilitators).
#[utoipa::path(get, path = "/coaching/applications", tag = "coaching", params(CoachApplicationsParams), responses((status = 200, body = CoachApplicationsDto)))]
async fn applications(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<CoachApplicationsParams>,
) -> ApiResult<Json<CoachApplicationsDto>> {
    let (applications, next) = state.app.coach_applications(&viewer, params.after).await?;
    Ok(Json(CoachApplicationsDto {
        applications: applications.into_iter().map(Into::into).collect(),
        next,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachDecisionBody {
    /// approve or decline.
    decision: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    note: String,
}

/// Approves or declines an application (administrators and facilitators; not one's own). The
/// applicant is told.
#[utoipa::path(post, path = "/coaching/applications/{id}", tag = "coaching", params(("id" = i64, Path, description = "The applicant's person id")), request_body = CoachDecisionBody, responses((status = 204, description = "Decided")))]
async fn decide(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CoachDecisionBody>,
) -> ApiResult<StatusCode> {
    let approve = crate::forms::approve_or_decline(&body.decision)?;
    state
        .app
        .decide_coach(&viewer, id, approve, &body.note)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
