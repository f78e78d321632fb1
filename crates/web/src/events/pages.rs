//! Event pages. Each handler calls one `app` action; permission checks live there.

use crate::WebState;
use crate::auth::{CurrentViewer, Member};
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::events::{EventInput, EventPage, EventView};
use guildhall_app::people::Viewer;
use guildhall_app::spaces::SpaceView;
use guildhall_domain::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventForm {
    title: String,
    starts_at: String,
    ends_at: String,
    time_zone: String,
    location: String,
    video_url: String,
    capacity: String,
    description: String,
}

#[derive(Template)]
#[template(path = "events/list.html")]
struct ListPage {
    ctx: PageCtx,
    space: SpaceView,
    upcoming: Vec<EventView>,
    past: Vec<EventView>,
    form: EventForm,
    errors: FieldErrors,
    alert: String,
}

#[derive(Template)]
#[template(path = "events/event.html")]
struct EventTemplate {
    ctx: PageCtx,
    page: EventPage,
    alert: String,
}

async fn list_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    slug: &str,
    form: EventForm,
    errors: FieldErrors,
    alert: String,
) -> Result<ListPage, PageError> {
    let space = state.app.space(viewer, slug).await?;
    let (upcoming, past) = state.app.space_events(viewer, slug).await?;
    Ok(ListPage {
        ctx,
        space,
        upcoming,
        past,
        form,
        errors,
        alert,
    })
}

pub async fn list(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let form = EventForm {
        time_zone: "UTC".into(),
        ..EventForm::default()
    };
    Ok(render(
        &list_page(
            &state,
            &viewer,
            ctx,
            &slug,
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
    Path(slug): Path<String>,
    FormBody(form): FormBody<EventForm>,
) -> Result<Response, PageError> {
    let input = EventInput {
        title: form.title.clone(),
        description: form.description.clone(),
        starts_at: form.starts_at.clone(),
        ends_at: form.ends_at.clone(),
        time_zone: form.time_zone.clone(),
        location: form.location.clone(),
        video_url: form.video_url.clone(),
        capacity: form.capacity.clone(),
    };
    match state.app.create_event(&viewer, &slug, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/events/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = list_page(
                &state,
                &viewer,
                ctx,
                &slug,
                form,
                errors,
                "The event was not planned: see below.".into(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn show(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    Ok(render(&EventTemplate {
        ctx,
        page: state.app.event_page(&viewer, id).await?,
        alert: String::new(),
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RsvpForm {
    going: bool,
}

pub async fn rsvp(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<RsvpForm>,
) -> Result<Response, PageError> {
    match state.app.rsvp(&viewer, id, form.going).await {
        Ok(()) => Ok(Redirect::to(&format!("/events/{id}")).into_response()),
        Err(error @ AppError::Conflict { .. }) => {
            let page = EventTemplate {
                ctx,
                page: state.app.event_page(&viewer, id).await?,
                alert: error.public_message(),
            };
            Ok((StatusCode::CONFLICT, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceForm {
    attended: bool,
}

pub async fn attendance(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path((id, user)): Path<(i64, i64)>,
    FormBody(form): FormBody<AttendanceForm>,
) -> Result<Response, PageError> {
    state
        .app
        .mark_attendance(&viewer, id, user, form.attended)
        .await?;
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptForm {
    body: String,
}

pub async fn edit_prompt(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path((id, prompt)): Path<(i64, i64)>,
    FormBody(form): FormBody<PromptForm>,
) -> Result<Response, PageError> {
    state
        .app
        .edit_prompt(&viewer, id, prompt, &form.body)
        .await?;
    Ok(Redirect::to(&format!("/events/{id}")).into_response())
}

pub fn ics(filename: &str, body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn space_calendar(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let body = state.app.space_calendar(&viewer, &slug).await?;
    Ok(ics(&format!("{slug}.ics"), body))
}

#[derive(Debug, Deserialize)]
pub struct CalendarQuery {
    /// A read-only API token, for calendar apps that cannot send a cookie or a header.
    #[serde(default)]
    token: Option<String>,
}

/// The viewer's calendar: by cookie or bearer token, or by `?token=` from a calendar app.
pub async fn my_calendar(
    State(state): State<WebState>,
    CurrentViewer(viewer): CurrentViewer,
    QueryParams(query): QueryParams<CalendarQuery>,
) -> Result<Response, PageError> {
    let viewer = match (viewer, query.token) {
        (Some(viewer), _) => viewer,
        (None, Some(token)) => match state.app.viewer_for_api_token(&token).await? {
            Some(viewer) => viewer,
            None => {
                return Ok((
                    StatusCode::UNAUTHORIZED,
                    "This calendar link is not valid or was revoked.",
                )
                    .into_response());
            }
        },
        (None, None) => {
            return Ok((
                StatusCode::UNAUTHORIZED,
                "Sign in, or use the calendar link from your profile.",
            )
                .into_response());
        }
    };
    Ok(ics(
        "guildhall.ics",
        state.app.member_calendar(&viewer).await?,
    ))
}
