//! The JSON twins of the event pages.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::events::{EventInput, EventView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct EventDto {
    id: i64,
    space_slug: String,
    title: String,
    description_html: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    location: String,
    video_url: Option<String>,
    capacity: Option<i64>,
    going: i64,
    full: bool,
}

impl From<EventView> for EventDto {
    fn from(e: EventView) -> Self {
        EventDto {
            id: e.id,
            space_slug: e.space_slug,
            title: e.title,
            description_html: e.description_html,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            time_zone: e.time_zone,
            location: e.location,
            video_url: e.video_url,
            capacity: e.capacity,
            going: e.going,
            full: e.full,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SpaceEventsDto {
    upcoming: Vec<EventDto>,
    past: Vec<EventDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventBody {
    title: String,
    /// Local time in `time_zone`, e.g. `2027-03-04T09:30`.
    starts_at: String,
    ends_at: String,
    /// An IANA time zone, e.g. `Europe/Berlin`.
    time_zone: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    video_url: String,
    /// Seats; omit for no limit.
    #[serde(default)]
    capacity: Option<i64>,
    #[serde(default)]
    description: String,
}

#[derive(Serialize, ToSchema)]
pub struct EventCreatedDto {
    id: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RsvpBody {
    going: bool,
}

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(event_voice))
        .routes(routes!(space_events, create_event))
        .routes(routes!(event))
        .routes(routes!(rsvp))
}

/// A space's coming and past events.
#[utoipa::path(get, path = "/spaces/{slug}/events", tag = "events", params(("slug" = String, Path, description = "The space's address")), responses((status = 200, body = SpaceEventsDto)))]
async fn space_events(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
) -> ApiResult<Json<SpaceEventsDto>> {
    let (upcoming, past) = state.app.space_events(&viewer, &slug).await?;
    Ok(Json(SpaceEventsDto {
        upcoming: upcoming.into_iter().map(Into::into).collect(),
        past: past.into_iter().map(Into::into).collect(),
    }))
}

/// Plans an event (facilitators); follow-up prompts are scheduled 1, 7 and 30 days after it.
#[utoipa::path(post, path = "/spaces/{slug}/events", tag = "events", params(("slug" = String, Path, description = "The space's address")), request_body = EventBody, responses((status = 201, body = EventCreatedDto)))]
async fn create_event(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<EventBody>,
) -> ApiResult<(StatusCode, Json<EventCreatedDto>)> {
    let input = EventInput {
        title: body.title,
        description: body.description,
        starts_at: body.starts_at,
        ends_at: body.ends_at,
        time_zone: body.time_zone,
        location: body.location,
        video_url: body.video_url,
        capacity: body.capacity.map(|c| c.to_string()).unwrap_or_default(),
    };
    let id = state.app.create_event(&viewer, &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(EventCreatedDto { id })))
}

/// One event.
#[utoipa::path(get, path = "/events/{id}", tag = "events", params(("id" = i64, Path, description = "Event id")), responses((status = 200, body = EventDto)))]
async fn event(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<EventDto>> {
    Ok(Json(state.app.event_page(&viewer, id).await?.event.into()))
}

#[derive(Serialize, ToSchema)]
pub struct EventVoiceDto {
    posts: i64,
    /// Distinct people who wrote in the follow-up threads.
    voices: i64,
    /// Facilitators' share of the words (0–1).
    facilitator_share: Option<f64>,
    /// Above `insights.facilitator_share`: a cue to listen more.
    talks_too_much: bool,
}

/// Who did the talking in the event's follow-up threads (the space's facilitators).
#[utoipa::path(get, path = "/events/{id}/insights", tag = "events", params(("id" = i64, Path, description = "Event id")), responses((status = 200, body = EventVoiceDto)))]
async fn event_voice(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<EventVoiceDto>> {
    let voice = state.app.event_voice(&viewer, id).await?;
    Ok(Json(EventVoiceDto {
        posts: voice.posts,
        voices: voice.voices,
        facilitator_share: voice.facilitator_share,
        talks_too_much: voice.talks_too_much,
    }))
}

/// Says whether the viewer comes (members; refused with 409 when the event is full).
#[utoipa::path(put, path = "/events/{id}/rsvp", tag = "events", params(("id" = i64, Path, description = "Event id")), request_body = RsvpBody, responses((status = 204, description = "Saved")))]
async fn rsvp(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<RsvpBody>,
) -> ApiResult<StatusCode> {
    state.app.rsvp(&viewer, id, body.going).await?;
    Ok(StatusCode::NO_CONTENT)
}
