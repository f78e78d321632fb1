//! Care pages. Each handler calls one `app` action; who may see what is decided there.

use super::charts::{Chart, Series, Shape};
use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::insights::{CareDetail, CareItem, Monitor, MyInsights, WatchKind};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "insights/care.html")]
struct QueueTemplate {
    ctx: PageCtx,
    items: Vec<CareItem>,
    next: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    before: Option<i64>,
}

pub async fn queue(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<QueueQuery>,
) -> Result<Response, PageError> {
    let items = state.app.care_queue(&viewer, query.before).await?;
    let next = (items.len() >= 50)
        .then(|| items.last().map(|i| i.id))
        .flatten();
    Ok(render(&QueueTemplate { ctx, items, next }))
}

#[derive(Template)]
#[template(path = "insights/signal.html")]
struct SignalTemplate {
    ctx: PageCtx,
    detail: CareDetail,
}

pub async fn signal(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let detail = state.app.care_signal(&viewer, id).await?;
    Ok(render(&SignalTemplate { ctx, detail }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    note: String,
}

pub async fn act(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<ActionForm>,
) -> Result<Response, PageError> {
    state
        .app
        .care_act(&viewer, id, &form.action, &form.note)
        .await?;
    Ok(Redirect::to(&format!("/care/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteForm {
    person: i64,
}

pub async fn invite(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<InviteForm>,
) -> Result<Response, PageError> {
    state.app.invite_to_answer(&viewer, id, form.person).await?;
    Ok(Redirect::to(&format!("/care/{id}#invited")).into_response())
}

#[derive(Template)]
#[template(path = "insights/mine.html")]
struct MineTemplate {
    ctx: PageCtx,
    mine: MyInsights,
    activity: Chart,
}

/// The member's own posts per week, as a chart.
fn activity_chart(mine: &MyInsights) -> Chart {
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let values: Vec<Option<f64>> = mine.activity.iter().map(|w| Some(w.posts as f64)).collect();
    let total: i64 = mine.activity.iter().map(|w| w.posts).sum();
    Chart {
        id: "my-activity",
        title: "Your posts each week",
        description: format!(
            "{total} posts in the last twelve weeks; {} weeks in a row with at least one.",
            mine.streak
        ),
        labels: mine
            .activity
            .iter()
            .map(|w| w.week_start.format("%-d %b").to_string())
            .collect(),
        series: vec![Series {
            name: "posts",
            values,
        }],
        shape: Shape::Bars,
        unit: "",
    }
}

pub async fn mine(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let mine = state.app.my_insights(&viewer).await?;
    let activity = activity_chart(&mine);
    Ok(render(&MineTemplate {
        ctx,
        mine,
        activity,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PauseForm {
    paused: String,
}

pub async fn pause(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<PauseForm>,
) -> Result<Response, PageError> {
    let paused = match form.paused.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(guildhall_app::AppError::invalid("paused", "Choose yes or no.").into());
        }
    };
    state.app.set_insights_paused(&viewer, paused).await?;
    Ok(Redirect::to("/me/insights").into_response())
}

#[derive(Template)]
#[template(path = "insights/monitor.html")]
struct MonitorTemplate {
    ctx: PageCtx,
    monitor: Monitor,
    kinds: [WatchKind; 5],
}

#[derive(Debug, Default, Deserialize)]
pub struct MonitorQuery {
    #[serde(default)]
    kind: String,
}

pub async fn monitor(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<MonitorQuery>,
) -> Result<Response, PageError> {
    let monitor = state.app.monitor(&viewer, &query.kind).await?;
    Ok(render(&MonitorTemplate {
        ctx,
        monitor,
        kinds: WatchKind::ALL,
    }))
}
