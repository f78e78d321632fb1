//! The JSON twins of the request pages: requests, sessions, private notes, ratings and the
//! session's calendar file. A request and its sessions exist only for their learner and coach.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use guildhall_app::AppError;
use guildhall_app::coaching::{
    OutcomeInput, RequestInput, RequestSummary, SessionInput, SessionView,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list_requests, create_request))
        .routes(routes!(request))
        .routes(routes!(decline))
        .routes(routes!(withdraw))
        .routes(routes!(plan))
        .routes(routes!(session))
        .routes(routes!(answer))
        .routes(routes!(cancel))
        .routes(routes!(note, save_note))
        .routes(routes!(rate))
        .routes(routes!(calendar))
}

#[derive(Serialize, ToSchema)]
pub struct CoachingRequestDto {
    id: i64,
    learner_id: i64,
    learner_name: String,
    coach_id: i64,
    coach_name: String,
    skill: Option<String>,
    topic: String,
    /// open, active, declined or withdrawn.
    status: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<RequestSummary> for CoachingRequestDto {
    fn from(r: RequestSummary) -> Self {
        CoachingRequestDto {
            id: r.id,
            learner_id: r.learner_id,
            learner_name: r.learner_name,
            coach_id: r.coach_id,
            coach_name: r.coach_name,
            skill: r.skill,
            topic: r.topic,
            status: r.status,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CoachingOutcomeDto {
    helped: bool,
    rating: i64,
    comment: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CoachingSessionDto {
    id: i64,
    request_id: i64,
    coach_id: i64,
    learner_id: i64,
    topic: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    duration_minutes: i64,
    /// The zone the coach planned it in.
    time_zone: String,
    video_url: String,
    /// proposed, scheduled, declined or cancelled.
    status: String,
    cancel_note: String,
    ended: bool,
    outcome: Option<CoachingOutcomeDto>,
    /// Where the calendar file is.
    calendar_url: String,
}

impl From<SessionView> for CoachingSessionDto {
    fn from(s: SessionView) -> Self {
        CoachingSessionDto {
            calendar_url: format!("/api/v1/coaching/sessions/{}/calendar.ics", s.id),
            id: s.id,
            request_id: s.request_id,
            coach_id: s.coach_id,
            learner_id: s.learner_id,
            topic: s.topic,
            starts_at: s.starts_at,
            ends_at: s.ends_at,
            duration_minutes: s.duration_minutes,
            time_zone: s.time_zone,
            video_url: s.video_url,
            status: s.status,
            cancel_note: s.cancel_note,
            ended: s.ended,
            outcome: s.outcome.map(|o| CoachingOutcomeDto {
                helped: o.helped,
                rating: o.rating,
                comment: o.comment,
                created_at: o.created_at,
            }),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoachingRequestsParams {
    /// learner (requests the caller sent, the default) or coach (requests the caller received).
    #[serde(default)]
    role: String,
    /// The `next` value of the previous page.
    #[serde(default)]
    #[param(minimum = 1)]
    before: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CoachingRequestsDto {
    requests: Vec<CoachingRequestDto>,
    next: Option<i64>,
}

/// The caller's requests, as learner or as coach, newest first.
#[utoipa::path(get, path = "/coaching/requests", tag = "coaching", params(CoachingRequestsParams), responses((status = 200, body = CoachingRequestsDto)))]
async fn list_requests(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<CoachingRequestsParams>,
) -> ApiResult<Json<CoachingRequestsDto>> {
    let as_coach = match params.role.as_str() {
        "" | "learner" => false,
        "coach" => true,
        _ => return Err(AppError::BadRequest("Choose role=learner or role=coach.".into()).into()),
    };
    let (requests, next) = state
        .app
        .coaching_requests(&viewer, as_coach, params.before)
        .await?;
    Ok(Json(CoachingRequestsDto {
        requests: requests.into_iter().map(Into::into).collect(),
        next,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachingRequestBody {
    coach_id: i64,
    /// A skill people use, or empty.
    #[serde(default)]
    #[schema(max_length = 50)]
    skill: String,
    #[schema(max_length = 150)]
    topic: String,
    /// Markdown: what you want to be able to do.
    #[schema(max_length = 1000)]
    goal: String,
    /// Weekly windows in `time_zone`, e.g. `Tue 09:00-11:00`.
    #[serde(default)]
    preferred_times: Vec<String>,
    /// An IANA time zone; empty for the caller's profile time zone.
    #[serde(default)]
    time_zone: String,
}

#[derive(Serialize, ToSchema)]
pub struct CoachingCreatedDto {
    id: i64,
}

/// Asks an approved coach for coaching; the coach is told.
#[utoipa::path(post, path = "/coaching/requests", tag = "coaching", request_body = CoachingRequestBody, responses((status = 201, body = CoachingCreatedDto)))]
async fn create_request(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<CoachingRequestBody>,
) -> ApiResult<(StatusCode, Json<CoachingCreatedDto>)> {
    if body
        .preferred_times
        .iter()
        .any(|t| t.contains([',', '\n', ';']))
    {
        return Err(AppError::invalid("preferred_times", "Give one window per entry.").into());
    }
    let id = state
        .app
        .request_coaching(
            &viewer,
            &RequestInput {
                coach_id: body.coach_id,
                skill: body.skill,
                topic: body.topic,
                goal: body.goal,
                preferred_times: body.preferred_times.join("\n"),
                time_zone: body.time_zone,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(CoachingCreatedDto { id })))
}

#[derive(Serialize, ToSchema)]
pub struct CoachingRequestDetailDto {
    request: CoachingRequestDto,
    /// Markdown.
    goal: String,
    preferred_times: Vec<String>,
    time_zone: String,
    decline_note: String,
    sessions: Vec<CoachingSessionDto>,
}

/// A request with its sessions (its learner and coach only).
#[utoipa::path(get, path = "/coaching/requests/{id}", tag = "coaching", params(("id" = i64, Path, description = "Request id")), responses((status = 200, body = CoachingRequestDetailDto)))]
async fn request(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<CoachingRequestDetailDto>> {
    let view = state.app.coaching_request(&viewer, id).await?;
    Ok(Json(CoachingRequestDetailDto {
        request: view.request.into(),
        goal: view.goal,
        preferred_times: view.preferred_times,
        time_zone: view.time_zone,
        decline_note: view.decline_note,
        sessions: view.sessions.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachingNoteBody {
    /// Optional; the other side reads it.
    #[serde(default)]
    #[schema(max_length = 1000)]
    note: String,
}

/// The coach declines a waiting request; the learner is told.
#[utoipa::path(post, path = "/coaching/requests/{id}/decline", tag = "coaching", params(("id" = i64, Path, description = "Request id")), request_body = CoachingNoteBody, responses((status = 204, description = "Declined")))]
async fn decline(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CoachingNoteBody>,
) -> ApiResult<StatusCode> {
    state.app.decline_request(&viewer, id, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The learner withdraws a request; sessions not yet started are cancelled.
#[utoipa::path(post, path = "/coaching/requests/{id}/withdraw", tag = "coaching", params(("id" = i64, Path, description = "Request id")), responses((status = 204, description = "Withdrawn")))]
async fn withdraw(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.withdraw_request(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachingSessionBody {
    /// Local time in `time_zone`, e.g. `2027-03-04T09:30`.
    starts_at: String,
    /// An IANA time zone, e.g. `Europe/Berlin`.
    time_zone: String,
    /// 15 to 240.
    #[schema(minimum = 15, maximum = 240)]
    duration_minutes: i64,
    /// The http(s) link of the video call.
    video_url: String,
    /// true schedules the session (accepting the request); false proposes the time for the
    /// learner to confirm.
    confirmed: bool,
}

/// The coach schedules or proposes a session (within the coach's monthly capacity).
#[utoipa::path(post, path = "/coaching/requests/{id}/sessions", tag = "coaching", params(("id" = i64, Path, description = "Request id")), request_body = CoachingSessionBody, responses((status = 201, body = CoachingCreatedDto)))]
async fn plan(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CoachingSessionBody>,
) -> ApiResult<(StatusCode, Json<CoachingCreatedDto>)> {
    let input = SessionInput {
        starts_at: body.starts_at,
        time_zone: body.time_zone,
        duration_minutes: body.duration_minutes.to_string(),
        video_url: body.video_url,
    };
    let created = state
        .app
        .plan_session(&viewer, id, &input, body.confirmed)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CoachingCreatedDto { id: created }),
    ))
}

/// A session (its learner and coach only).
#[utoipa::path(get, path = "/coaching/sessions/{id}", tag = "coaching", params(("id" = i64, Path, description = "Session id")), responses((status = 200, body = CoachingSessionDto)))]
async fn session(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<CoachingSessionDto>> {
    Ok(Json(state.app.coaching_session(&viewer, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachingAnswerBody {
    /// true confirms the proposed time, false declines it.
    accept: bool,
}

/// The learner confirms or declines a proposed time; the coach is told.
#[utoipa::path(post, path = "/coaching/sessions/{id}/answer", tag = "coaching", params(("id" = i64, Path, description = "Session id")), request_body = CoachingAnswerBody, responses((status = 204, description = "Answered")))]
async fn answer(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CoachingAnswerBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .answer_proposed_time(&viewer, id, body.accept)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Either side cancels a session that has not ended; the other side is told.
#[utoipa::path(post, path = "/coaching/sessions/{id}/cancel", tag = "coaching", params(("id" = i64, Path, description = "Session id")), request_body = CoachingNoteBody, responses((status = 204, description = "Cancelled")))]
async fn cancel(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CoachingNoteBody>,
) -> ApiResult<StatusCode> {
    state.app.cancel_session(&viewer, id, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CoachingPrivateNoteDto {
    body: String,
    updated_at: Option<DateTime<Utc>>,
}

/// The caller's own private note on a session. Nobody else can read it — not the other side,
/// not administrators.
#[utoipa::path(get, path = "/coaching/sessions/{id}/note", tag = "coaching", params(("id" = i64, Path, description = "Session id")), responses((status = 200, body = CoachingPrivateNoteDto)))]
async fn note(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<CoachingPrivateNoteDto>> {
    let note = state.app.session_note(&viewer, id).await?;
    Ok(Json(CoachingPrivateNoteDto {
        body: note.body,
        updated_at: note.updated_at,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachingPrivateNoteBody {
    #[schema(max_length = 5000)]
    body: String,
}

/// Saves the caller's private note on a session.
#[utoipa::path(put, path = "/coaching/sessions/{id}/note", tag = "coaching", params(("id" = i64, Path, description = "Session id")), request_body = CoachingPrivateNoteBody, responses((status = 204, description = "Saved")))]
async fn save_note(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CoachingPrivateNoteBody>,
) -> ApiResult<StatusCode> {
    state.app.save_session_note(&viewer, id, &body.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoachingOutcomeBody {
    /// Did the session help?
    helped: bool,
    /// 1 (not useful) to 5 (very useful).
    #[schema(minimum = 1, maximum = 5)]
    rating: i64,
    #[serde(default)]
    #[schema(max_length = 1000)]
    comment: String,
}

/// After the session the learner rates it (once); the coach is told.
#[utoipa::path(post, path = "/coaching/sessions/{id}/outcome", tag = "coaching", params(("id" = i64, Path, description = "Session id")), request_body = CoachingOutcomeBody, responses((status = 204, description = "Rated")))]
async fn rate(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CoachingOutcomeBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .rate_session(
            &viewer,
            id,
            &OutcomeInput {
                helped: body.helped,
                rating: body.rating,
                comment: body.comment,
            },
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The session as an iCalendar file.
#[utoipa::path(get, path = "/coaching/sessions/{id}/calendar.ics", tag = "coaching", params(("id" = i64, Path, description = "Session id")), responses((status = 200, description = "An iCalendar file", content_type = "text/calendar")))]
async fn calendar(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Response> {
    let body = state.app.session_calendar(&viewer, id).await?;
    Ok(crate::events::ics(
        &format!("coaching-session-{id}.ics"),
        body,
    ))
}
