//! The moderators' pages: the review queue with single and bulk decisions, and appeals.

use crate::WebState;
use crate::auth::Moderator;
use crate::error::PageError;
use crate::forms::{FormBody, FormPairs, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::moderation::{AppealView, ReviewAction, ReviewDecision, ReviewItem};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "moderation/queue.html")]
struct QueuePage {
    ctx: PageCtx,
    items: Vec<ReviewItem>,
    source: String,
    actions: [ReviewAction; 7],
    notice: String,
}

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    source: String,
    #[serde(default)]
    decided: Option<usize>,
}

pub async fn queue(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
    ctx: PageCtx,
    QueryParams(query): QueryParams<QueueQuery>,
) -> Result<Response, PageError> {
    let items = state
        .app
        .review_queue(
            &viewer,
            Some(query.source.as_str()).filter(|s| !s.is_empty()),
        )
        .await?;
    Ok(render(&QueuePage {
        ctx,
        items,
        source: query.source,
        actions: ReviewAction::ALL,
        notice: query
            .decided
            .map(|n| format!("Decided {n} item(s)."))
            .unwrap_or_default(),
    }))
}

/// One form for single and bulk decisions: `ids` repeats for each chosen item.
pub async fn decide(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
    form: FormPairs,
) -> Result<Response, PageError> {
    let form = form.only(&["ids", "action", "reason", "hours", "in_space"])?;
    let ids: Vec<i64> = form
        .all("ids")
        .iter()
        .map(|id| id.parse())
        .collect::<Result<_, _>>()
        .map_err(|_| AppError::BadRequest("An item id is not a number.".into()))?;
    if ids.is_empty() {
        return Err(AppError::invalid("ids", "Choose at least one item.").into());
    }
    let action = form
        .first("action")
        .and_then(ReviewAction::parse)
        .ok_or_else(|| AppError::invalid("action", "Choose what to do."))?;
    let hours = match form.first("hours").filter(|h| !h.is_empty()) {
        Some(raw) => Some(
            raw.parse()
                .map_err(|_| AppError::invalid("hours", "Hours must be a whole number."))?,
        ),
        None => None,
    };
    let decision = ReviewDecision {
        action,
        reason: form.first("reason").unwrap_or_default().to_owned(),
        hours,
        in_space_only: form.first("in_space").is_some(),
    };
    let decided = state.app.decide_reviews(&viewer, &ids, &decision).await?;
    Ok(Redirect::to(&format!("/moderation?decided={decided}")).into_response())
}

#[derive(Template)]
#[template(path = "moderation/appeals.html")]
struct AppealsPage {
    ctx: PageCtx,
    appeals: Vec<AppealView>,
}

pub async fn appeals(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let appeals = state.app.open_appeals(&viewer).await?;
    Ok(render(&AppealsPage { ctx, appeals }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealDecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn decide_appeal(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
    IdPath(id): IdPath,
    FormBody(form): FormBody<AppealDecisionForm>,
) -> Result<Response, PageError> {
    let lift = match form.decision.as_str() {
        "lift" => true,
        "uphold" => false,
        _ => return Err(AppError::invalid("decision", "Choose lift or uphold.").into()),
    };
    state
        .app
        .decide_appeal(&viewer, id, lift, &form.note)
        .await?;
    Ok(Redirect::to("/moderation/appeals").into_response())
}
