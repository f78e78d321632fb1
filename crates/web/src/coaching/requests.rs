//! Request pages: asking a coach, the request with its sessions, and every step on it — plan,
//! decline, withdraw, confirm or decline a time, cancel, private notes, rating, calendar file.

use crate::WebState;
use crate::auth::Member;
use crate::error::{PageError, status_of};
use crate::events::ics;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::coaching::{CoachView, OutcomeInput, RequestInput, RequestView, SessionInput};
use guildhall_app::people::Viewer;
use guildhall_domain::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestForm {
    #[serde(default)]
    skill: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    preferred_times: String,
    #[serde(default)]
    time_zone: String,
}

#[derive(Template)]
#[template(path = "coaching/request_form.html")]
struct RequestFormTemplate {
    ctx: PageCtx,
    coach: CoachView,
    form: RequestForm,
    errors: FieldErrors,
    alert: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct RequestPrefill {
    #[serde(default)]
    skill: String,
    #[serde(default)]
    times: String,
}

pub async fn request_form(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    QueryParams(prefill): QueryParams<RequestPrefill>,
) -> Result<Response, PageError> {
    let coach = state.app.coach_profile(&viewer, id).await?;
    let profile = state.app.profile_page(&viewer, viewer.id).await?;
    let form = RequestForm {
        skill: prefill.skill,
        preferred_times: prefill.times,
        time_zone: profile.time_zone,
        ..RequestForm::default()
    };
    Ok(render(&RequestFormTemplate {
        ctx,
        coach,
        form,
        errors: FieldErrors::new(),
        alert: String::new(),
    }))
}

pub async fn send_request(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<RequestForm>,
) -> Result<Response, PageError> {
    let input = RequestInput {
        coach_id: id,
        skill: form.skill.clone(),
        topic: form.topic.clone(),
        goal: form.goal.clone(),
        preferred_times: form.preferred_times.clone(),
        time_zone: form.time_zone.clone(),
    };
    let (status, errors, alert) = match state.app.request_coaching(&viewer, &input).await {
        Ok(request) => {
            return Ok(Redirect::to(&format!("/coaching/requests/{request}")).into_response());
        }
        Err(AppError::Invalid(errors) | AppError::Nudged(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors, String::new())
        }
        Err(error @ AppError::Conflict { .. }) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            error.public_message(),
        ),
        Err(error) => return Err(error.into()),
    };
    let coach = state.app.coach_profile(&viewer, id).await?;
    let page = RequestFormTemplate {
        ctx,
        coach,
        form,
        errors,
        alert,
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanForm {
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    video_url: String,
    /// schedule (the session is agreed) or propose (the learner confirms).
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "coaching/request.html")]
struct RequestTemplate {
    ctx: PageCtx,
    view: RequestView,
    plan: PlanForm,
    errors: FieldErrors,
    alert: String,
}

/// The request page, with the planning form as typed and what went wrong, if anything.
async fn request_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
    plan: Option<PlanForm>,
    errors: FieldErrors,
    alert: String,
) -> Result<RequestTemplate, PageError> {
    let view = state.app.coaching_request(viewer, id).await?;
    let plan = match plan {
        Some(plan) => plan,
        None => {
            let zone = state.app.profile_page(viewer, viewer.id).await?.time_zone;
            PlanForm {
                time_zone: if zone.is_empty() { "UTC".into() } else { zone },
                duration_minutes: "45".into(),
                ..PlanForm::default()
            }
        }
    };
    Ok(RequestTemplate {
        ctx,
        view,
        plan,
        errors,
        alert,
    })
}

pub async fn show(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let page = request_page(
        &state,
        &viewer,
        ctx,
        id,
        None,
        FieldErrors::new(),
        String::new(),
    )
    .await?;
    Ok(render(&page))
}

/// After a step on request `id`: back to it, or the page again with what went wrong. Field
/// errors and conflicts are shown on the page; anything else is an error page.
async fn after_step(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
    result: Result<(), AppError>,
    plan: Option<PlanForm>,
    anchor: &str,
) -> Result<Response, PageError> {
    let (errors, alert, status) = match result {
        Ok(()) => {
            return Ok(Redirect::to(&format!("/coaching/requests/{id}{anchor}")).into_response());
        }
        Err(AppError::Invalid(errors) | AppError::Nudged(errors)) => {
            let alert = errors
                .iter()
                .map(|(_, message)| message.to_owned())
                .collect::<Vec<_>>()
                .join(" ");
            (errors, alert, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(error @ (AppError::Conflict { .. } | AppError::Forbidden { .. })) => {
            let status = status_of(&error);
            (FieldErrors::new(), error.public_message(), status)
        }
        Err(error) => return Err(error.into()),
    };
    let page = request_page(state, viewer, ctx, id, plan, errors, alert).await?;
    Ok((status, render(&page)).into_response())
}

pub async fn plan(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<PlanForm>,
) -> Result<Response, PageError> {
    let confirmed = match form.action.as_str() {
        "schedule" => true,
        "propose" => false,
        _ => return Err(AppError::invalid("action", "Choose schedule or propose.").into()),
    };
    let input = SessionInput {
        starts_at: form.starts_at.clone(),
        time_zone: form.time_zone.clone(),
        duration_minutes: form.duration_minutes.clone(),
        video_url: form.video_url.clone(),
    };
    let result = state
        .app
        .plan_session(&viewer, id, &input, confirmed)
        .await
        .map(|_| ());
    after_step(&state, &viewer, ctx, id, result, Some(form), "#sessions").await
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteForm {
    #[serde(default)]
    note: String,
}

pub async fn decline(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<NoteForm>,
) -> Result<Response, PageError> {
    let result = state.app.decline_request(&viewer, id, &form.note).await;
    after_step(&state, &viewer, ctx, id, result, None, "").await
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmptyForm {}

pub async fn withdraw(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(_form): FormBody<EmptyForm>,
) -> Result<Response, PageError> {
    let result = state.app.withdraw_request(&viewer, id).await;
    after_step(&state, &viewer, ctx, id, result, None, "").await
}

/// The request a session belongs to, for the viewer (anyone else: not found).
async fn request_of_session(
    state: &WebState,
    viewer: &Viewer,
    session: i64,
) -> Result<i64, PageError> {
    Ok(state
        .app
        .coaching_session(viewer, session)
        .await?
        .request_id)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerForm {
    /// confirm or decline.
    answer: String,
}

pub async fn answer(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<AnswerForm>,
) -> Result<Response, PageError> {
    let accept = match form.answer.as_str() {
        "confirm" => true,
        "decline" => false,
        _ => return Err(AppError::invalid("answer", "Choose confirm or decline.").into()),
    };
    let request = request_of_session(&state, &viewer, id).await?;
    let result = state.app.answer_proposed_time(&viewer, id, accept).await;
    after_step(
        &state,
        &viewer,
        ctx,
        request,
        result,
        None,
        &format!("#session-{id}"),
    )
    .await
}

pub async fn cancel(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<NoteForm>,
) -> Result<Response, PageError> {
    let request = request_of_session(&state, &viewer, id).await?;
    let result = state.app.cancel_session(&viewer, id, &form.note).await;
    after_step(
        &state,
        &viewer,
        ctx,
        request,
        result,
        None,
        &format!("#session-{id}"),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateNoteForm {
    #[serde(default)]
    body: String,
}

pub async fn note(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<PrivateNoteForm>,
) -> Result<Response, PageError> {
    let request = request_of_session(&state, &viewer, id).await?;
    let result = state.app.save_session_note(&viewer, id, &form.body).await;
    after_step(
        &state,
        &viewer,
        ctx,
        request,
        result,
        None,
        &format!("#session-{id}"),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeForm {
    /// yes or no.
    #[serde(default)]
    helped: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

pub async fn rate(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<OutcomeForm>,
) -> Result<Response, PageError> {
    let request = request_of_session(&state, &viewer, id).await?;
    let mut errors = FieldErrors::new();
    let helped = errors.check(
        "helped",
        match form.helped.as_str() {
            "yes" => Ok(true),
            "no" => Ok(false),
            _ => Err("Say whether the session helped.".to_owned()),
        },
    );
    let rating = errors.check(
        "rating",
        form.rating
            .trim()
            .parse::<i64>()
            .map_err(|_| "Rate from 1 (not useful) to 5 (very useful).".to_owned()),
    );
    let result = match (helped, rating) {
        (Some(helped), Some(rating)) => {
            state
                .app
                .rate_session(
                    &viewer,
                    id,
                    &OutcomeInput {
                        helped,
                        rating,
                        comment: form.comment.clone(),
                    },
                )
                .await
        }
        _ => Err(AppError::Invalid(errors)),
    };
    after_step(
        &state,
        &viewer,
        ctx,
        request,
        result,
        None,
        &format!("#session-{id}"),
    )
    .await
}

pub async fn calendar(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let body = state.app.session_calendar(&viewer, id).await?;
    Ok(ics(&format!("coaching-session-{id}.ics"), body))
}
