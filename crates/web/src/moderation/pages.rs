//! What every member sees: the code of conduct, reporting, their own moderation history and the
//! public moderation log.

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::moderation::{ConductView, LogEntry, MyStanding, ReportReason, ReportSubject};
use guildhall_domain::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "moderation/conduct.html")]
struct ConductPage {
    ctx: PageCtx,
    conduct: Option<ConductView>,
}

pub async fn conduct(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let conduct = state.app.conduct(&viewer).await?;
    Ok(render(&ConductPage { ctx, conduct }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptForm {
    version: i64,
}

pub async fn accept_conduct(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<AcceptForm>,
) -> Result<Response, PageError> {
    state.app.accept_conduct(&viewer, form.version).await?;
    Ok(Redirect::to("/").into_response())
}

#[derive(Template)]
#[template(path = "moderation/report.html")]
struct ReportPage {
    ctx: PageCtx,
    action: String,
    what: &'static str,
    reasons: [ReportReason; 4],
    chosen: String,
    detail: String,
    errors: FieldErrors,
    done: Option<String>,
}

fn report_page(ctx: PageCtx, action: String, what: &'static str) -> ReportPage {
    ReportPage {
        ctx,
        action,
        what,
        reasons: ReportReason::ALL,
        chosen: String::new(),
        detail: String::new(),
        errors: FieldErrors::new(),
        done: None,
    }
}

pub async fn report_post_form(
    State(state): State<WebState>,
    ctx: PageCtx,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    // Only posts the viewer can read can be reported: the same check as sending the report.
    state.app.post_history(&viewer, id).await?;
    Ok(render(&report_page(
        ctx,
        format!("/posts/{id}/report"),
        "post",
    )))
}

pub async fn report_person_form(ctx: PageCtx, Member(_): Member, IdPath(id): IdPath) -> Response {
    render(&report_page(ctx, format!("/people/{id}/report"), "profile"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    detail: String,
}

async fn report(
    state: WebState,
    viewer: guildhall_app::people::Viewer,
    subject: ReportSubject,
    mut page: ReportPage,
    form: ReportForm,
) -> Result<Response, PageError> {
    match state
        .app
        .report(&viewer, subject, &form.reason, &form.detail)
        .await
    {
        Ok(outcome) => {
            page.done = Some(if outcome.hidden {
                "Thank you. It is hidden now until a moderator decides; you will hear the outcome."
                    .into()
            } else {
                "Thank you. A moderator will look at it and you will hear the outcome.".into()
            });
            Ok(render(&page))
        }
        Err(AppError::Invalid(errors)) => {
            page.errors = errors;
            page.chosen = form.reason;
            page.detail = form.detail;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error @ AppError::Conflict { .. }) => {
            page.done = Some(error.public_message());
            Ok(render(&page))
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn report_post(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<ReportForm>,
) -> Result<Response, PageError> {
    let page = report_page(ctx, format!("/posts/{id}/report"), "post");
    report(state, viewer, ReportSubject::Post(id), page, form).await
}

pub async fn report_person(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<ReportForm>,
) -> Result<Response, PageError> {
    let page = report_page(ctx, format!("/people/{id}/report"), "profile");
    report(state, viewer, ReportSubject::Person(id), page, form).await
}

#[derive(Template)]
#[template(path = "moderation/mine.html")]
struct MinePage {
    ctx: PageCtx,
    standing: MyStanding,
}

pub async fn mine(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let standing = state.app.my_standing(&viewer).await?;
    Ok(render(&MinePage { ctx, standing }))
}

pub async fn acknowledge(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.acknowledge_warning(&viewer, id).await?;
    Ok(Redirect::to("/moderation/mine").into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealForm {
    #[serde(default)]
    statement: String,
}

pub async fn appeal(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<AppealForm>,
) -> Result<Response, PageError> {
    state
        .app
        .appeal_sanction(&viewer, id, &form.statement)
        .await?;
    Ok(Redirect::to("/moderation/mine").into_response())
}

pub async fn appeal_hr(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<AppealForm>,
) -> Result<Response, PageError> {
    state
        .app
        .appeal_hr_case(&viewer, id, &form.statement)
        .await?;
    Ok(Redirect::to("/moderation/mine").into_response())
}

#[derive(Template)]
#[template(path = "moderation/log.html")]
struct LogPage {
    ctx: PageCtx,
    entries: Vec<LogEntry>,
    next: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    #[serde(default)]
    before: Option<i64>,
}

pub async fn log(
    State(state): State<WebState>,
    Member(_): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<LogQuery>,
) -> Result<Response, PageError> {
    let entries = state.app.moderation_log(query.before).await?;
    let next = (entries.len() == 50)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    Ok(render(&LogPage { ctx, entries, next }))
}
