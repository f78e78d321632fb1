//! The dashboards and the transparency report as pages, charts, CSV and JSON.

use super::charts::{Chart, Series, Shape};
use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use guildhall_app::insights::{Dashboard, ReportMonth};
use std::sync::Arc;

fn week_labels(d: &Dashboard) -> Vec<String> {
    d.weeks
        .iter()
        .map(|w| w.week_start.format("%-d %b").to_string())
        .collect()
}

#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn counts(values: impl Iterator<Item = i64>) -> Vec<Option<f64>> {
    values.map(|v| Some(v as f64)).collect()
}

fn total(values: &[Option<f64>]) -> f64 {
    values.iter().flatten().sum()
}

/// The dashboard's charts, each described in words.
pub fn dashboard_charts(d: &Dashboard) -> Vec<Chart> {
    let labels = week_labels(d);
    let span = format!(
        "the twelve weeks from {} to {}",
        labels.first().cloned().unwrap_or_default(),
        labels.last().cloned().unwrap_or_default()
    );
    let active = counts(d.weeks.iter().map(|w| w.active_members));
    let posts = counts(d.weeks.iter().map(|w| w.posts));
    let asked = counts(d.weeks.iter().map(|w| w.questions));
    let answered = counts(d.weeks.iter().map(|w| w.answered));
    let opened = counts(d.weeks.iter().map(|w| w.signals_opened));
    let resolved = counts(d.weeks.iter().map(|w| w.signals_resolved));
    let busiest = active.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
    vec![
        Chart {
            id: "active",
            title: "People who wrote, each week",
            description: format!("Over {span}, at most {busiest:.0} people wrote in one week."),
            labels: labels.clone(),
            series: vec![Series {
                name: "people who wrote",
                values: active,
            }],
            shape: Shape::Bars,
            unit: "",
        },
        Chart {
            id: "posts",
            title: "Posts each week",
            description: format!("{:.0} posts over {span}.", total(&posts)),
            labels: labels.clone(),
            series: vec![Series {
                name: "posts",
                values: posts,
            }],
            shape: Shape::Bars,
            unit: "",
        },
        Chart {
            id: "questions",
            title: "Questions asked and answered",
            description: format!(
                "{:.0} questions asked over {span}, {:.0} of them answered.",
                total(&asked),
                total(&answered)
            ),
            labels: labels.clone(),
            series: vec![
                Series {
                    name: "asked",
                    values: asked,
                },
                Series {
                    name: "answered",
                    values: answered,
                },
            ],
            shape: Shape::Bars,
            unit: "",
        },
        Chart {
            id: "answer-time",
            title: "Hours to the first answer (median)",
            description: format!(
                "The median time from a question to its first answer, week by week over {span}."
            ),
            labels: labels.clone(),
            series: vec![Series {
                name: "median hours",
                values: d.weeks.iter().map(|w| w.median_hours_to_answer).collect(),
            }],
            shape: Shape::Line,
            unit: "h",
        },
        Chart {
            id: "learner-voice",
            title: "Learners' share of the words",
            description: format!(
                "How much of what was written came from learners rather than facilitators, over {span}."
            ),
            labels: labels.clone(),
            series: vec![Series {
                name: "learners' share",
                values: d.weeks.iter().map(|w| w.learner_share).collect(),
            }],
            shape: Shape::Line,
            unit: "%",
        },
        Chart {
            id: "care",
            title: "Care signals opened and resolved",
            description: format!(
                "{:.0} signals that someone may need help over {span}; {:.0} resolved.",
                total(&opened),
                total(&resolved)
            ),
            labels,
            series: vec![
                Series {
                    name: "opened",
                    values: opened,
                },
                Series {
                    name: "resolved",
                    values: resolved,
                },
            ],
            shape: Shape::Bars,
            unit: "",
        },
    ]
}

fn percent(share: Option<f64>) -> String {
    share.map_or("—".into(), |s| format!("{:.0} %", s * 100.0))
}

#[derive(Template)]
#[template(path = "insights/dashboard.html")]
struct DashboardTemplate {
    ctx: PageCtx,
    dashboard: Arc<Dashboard>,
    charts: Vec<Chart>,
    csv_link: String,
    facilitator_share: String,
    facilitator_post_share: String,
    peer_answer_share: String,
    top_tenth_share: String,
    gini: String,
}

fn dashboard_page(ctx: PageCtx, dashboard: Arc<Dashboard>, csv_link: String) -> Response {
    let charts = dashboard_charts(&dashboard);
    render(&DashboardTemplate {
        ctx,
        facilitator_share: percent(dashboard.facilitator_share),
        facilitator_post_share: percent(dashboard.facilitator_post_share),
        peer_answer_share: percent(dashboard.peer_answer_share),
        top_tenth_share: percent(dashboard.top_tenth_share),
        gini: dashboard.gini.map_or("—".into(), |g| format!("{g:.2}")),
        dashboard,
        charts,
        csv_link,
    })
}

fn csv_response(name: &str, charts: &[Chart]) -> Response {
    let mut body = String::new();
    for chart in charts {
        chart.csv(&mut body);
        body.push('\n');
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn community(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let dashboard = state.app.community_dashboard(&viewer).await?;
    Ok(dashboard_page(ctx, dashboard, "/insights.csv".into()))
}

pub async fn community_csv(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> Result<Response, PageError> {
    let dashboard = state.app.community_dashboard(&viewer).await?;
    Ok(csv_response(
        "community-insights",
        &dashboard_charts(&dashboard),
    ))
}

pub async fn space(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let dashboard = state.app.space_dashboard(&viewer, &slug).await?;
    Ok(dashboard_page(
        ctx,
        dashboard,
        format!("/s/{slug}/insights.csv"),
    ))
}

pub async fn space_csv(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let dashboard = state.app.space_dashboard(&viewer, &slug).await?;
    Ok(csv_response(
        &format!("{slug}-insights"),
        &dashboard_charts(&dashboard),
    ))
}

/// The transparency report's charts: what was stopped, and what moderators decided.
pub fn report_charts(months: &[ReportMonth]) -> Vec<Chart> {
    let labels: Vec<String> = months
        .iter()
        .map(|m| m.month.format("%b %Y").to_string())
        .collect();
    let blocked = counts(
        months
            .iter()
            .map(|m| m.blocked_explicit + m.blocked_hurtful + m.blocked_other),
    );
    let reviewed = counts(
        months
            .iter()
            .map(|m| m.held + m.sent_for_review + m.reported),
    );
    let removed = counts(months.iter().map(|m| m.removed + m.escalated));
    vec![
        Chart {
            id: "stopped",
            title: "Stopped or sent to a moderator, each month",
            description: format!(
                "{:.0} texts blocked as they were written and {:.0} sent to a moderator over twelve months.",
                total(&blocked),
                total(&reviewed)
            ),
            labels: labels.clone(),
            series: vec![
                Series {
                    name: "blocked as written",
                    values: blocked,
                },
                Series {
                    name: "sent to a moderator",
                    values: reviewed,
                },
            ],
            shape: Shape::Bars,
            unit: "",
        },
        Chart {
            id: "removed",
            title: "Removed or escalated after review, each month",
            description: format!(
                "{:.0} removed or escalated to HR after a moderator read them.",
                total(&removed)
            ),
            labels,
            series: vec![Series {
                name: "removed or escalated",
                values: removed,
            }],
            shape: Shape::Bars,
            unit: "",
        },
    ]
}

#[derive(Template)]
#[template(path = "insights/report.html")]
struct ReportTemplate {
    ctx: PageCtx,
    months: Vec<ReportMonth>,
    charts: Vec<Chart>,
}

/// Public: anyone may read it, signed in or not.
pub async fn report(State(state): State<WebState>, ctx: PageCtx) -> Result<Response, PageError> {
    let months = state.app.transparency_report().await?;
    let charts = report_charts(&months);
    Ok(render(&ReportTemplate {
        ctx,
        months,
        charts,
    }))
}

pub async fn report_csv(State(state): State<WebState>) -> Result<Response, PageError> {
    let months = state.app.transparency_report().await?;
    Ok(csv_response("moderation-report", &report_charts(&months)))
}
