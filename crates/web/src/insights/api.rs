//! The JSON twins of the care pages.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use guildhall_app::insights::{
    CareAction, CareDetail, CareItem, Dashboard, Expert, Monitor, MyInsights, MySignal,
    ReportMonth, SignalView,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(care_queue))
        .routes(routes!(care_signal))
        .routes(routes!(care_act))
        .routes(routes!(invite))
        .routes(routes!(my_insights, set_pause))
        .routes(routes!(community_dashboard))
        .routes(routes!(space_dashboard))
        .routes(routes!(transparency_report))
        .routes(routes!(monitor))
}

#[derive(Serialize, ToSchema)]
pub struct CareItemDto {
    id: i64,
    member_id: i64,
    member_name: String,
    /// unanswered_question, unanswered_first_post, fell_silent, missed_check_ins,
    /// low_progress, says_stuck, targeted_by_rudeness or missed_event.
    kind: String,
    label: String,
    /// Why, in one sentence.
    reason: String,
    since: NaiveDate,
    raised_at: DateTime<Utc>,
    /// Local link to the evidence.
    link: String,
    space_name: Option<String>,
    /// open, claimed, reached_out, resolved or not_needed.
    status: String,
    claimed_by_name: Option<String>,
    claimed_by_me: bool,
    /// partner, facilitator or coach: how the viewer is related to the member.
    relation: String,
}

impl From<CareItem> for CareItemDto {
    fn from(i: CareItem) -> Self {
        CareItemDto {
            id: i.id,
            member_id: i.member_id,
            member_name: i.member_name,
            kind: i.kind.as_str().into(),
            label: i.label.into(),
            reason: i.reason,
            since: i.since,
            raised_at: i.raised_at,
            link: i.link,
            space_name: i.space_name,
            status: i.status,
            claimed_by_name: i.claimed_by_name,
            claimed_by_me: i.claimed_by_me,
            relation: i.relation.as_str().into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CareActionDto {
    actor_name: Option<String>,
    /// claim, reached_out, resolved, not_needed or invited.
    action: String,
    note: String,
    at: DateTime<Utc>,
}

impl From<CareAction> for CareActionDto {
    fn from(a: CareAction) -> Self {
        CareActionDto {
            actor_name: a.actor_name,
            action: a.action,
            note: a.note,
            at: a.at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExpertDto {
    id: i64,
    display_name: String,
    reasons: Vec<String>,
}

impl From<Expert> for ExpertDto {
    fn from(e: Expert) -> Self {
        ExpertDto {
            id: e.id,
            display_name: e.display_name,
            reasons: e.reasons,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CareDetailDto {
    signal: CareItemDto,
    actions: Vec<CareActionDto>,
    /// For unanswered questions: up to three people who know the topic.
    experts: Vec<ExpertDto>,
}

impl From<CareDetail> for CareDetailDto {
    fn from(d: CareDetail) -> Self {
        CareDetailDto {
            signal: d.item.into(),
            actions: d.actions.into_iter().map(Into::into).collect(),
            experts: d.experts.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CareQuery {
    /// Signals with ids below this one (the last id of the previous page).
    #[serde(default)]
    before: Option<i64>,
}

/// The signals the viewer may help with, newest first; each one returned is logged as viewed.
#[utoipa::path(get, path = "/care", tag = "insights", params(CareQuery), responses((status = 200, body = Vec<CareItemDto>)))]
async fn care_queue(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<CareQuery>,
) -> ApiResult<Json<Vec<CareItemDto>>> {
    let items = state.app.care_queue(&viewer, query.before).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// One signal the viewer may help with (404 for anyone without a helping relation).
#[utoipa::path(get, path = "/care/{id}", tag = "insights", params(("id" = i64, Path, description = "Signal id")), responses((status = 200, body = CareDetailDto)))]
async fn care_signal(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<CareDetailDto>> {
    Ok(Json(state.app.care_signal(&viewer, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CareActionBody {
    /// claim ("I'll reach out"), reached_out, resolved or not_needed.
    action: String,
    /// Private to the helpers.
    #[serde(default)]
    note: String,
}

/// Acts on a signal; 409 `care_taken` when another helper claimed it.
#[utoipa::path(post, path = "/care/{id}/actions", tag = "insights", params(("id" = i64, Path, description = "Signal id")), request_body = CareActionBody, responses((status = 204, description = "Done")))]
async fn care_act(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CareActionBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .care_act(&viewer, id, &body.action, &body.note)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    /// One of the signal's experts.
    person: i64,
}

/// Invites one of an unanswered question's experts to answer it.
#[utoipa::path(post, path = "/care/{id}/invitations", tag = "insights", params(("id" = i64, Path, description = "Signal id")), request_body = InvitationBody, responses((status = 204, description = "Invited")))]
async fn invite(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<InvitationBody>,
) -> ApiResult<StatusCode> {
    state.app.invite_to_answer(&viewer, id, body.person).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct MySignalDto {
    id: i64,
    kind: String,
    label: String,
    reason: String,
    since: NaiveDate,
    raised_at: DateTime<Utc>,
    link: String,
    status: String,
    essential: bool,
    /// Who may see it now, e.g. "Ana Lima (partner)".
    visible_to: Vec<String>,
}

impl From<MySignal> for MySignalDto {
    fn from(s: MySignal) -> Self {
        MySignalDto {
            id: s.id,
            kind: s.kind.as_str().into(),
            label: s.label.into(),
            reason: s.reason,
            since: s.since,
            raised_at: s.raised_at,
            link: s.link,
            status: s.status,
            essential: s.essential,
            visible_to: s.visible_to,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SignalViewDto {
    signal_id: i64,
    viewer_name: Option<String>,
    relation: String,
    at: DateTime<Utc>,
}

impl From<SignalView> for SignalViewDto {
    fn from(v: SignalView) -> Self {
        SignalViewDto {
            signal_id: v.signal_id,
            viewer_name: v.viewer_name,
            relation: v.relation,
            at: v.at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeasureDto {
    name: String,
    value: String,
    used_for: String,
}

#[derive(Serialize, ToSchema)]
pub struct MyWeekDto {
    week_start: NaiveDate,
    posts: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MyGoalDto {
    what: String,
    by_when: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct MyInsightsDto {
    /// The member's posts per week, twelve weeks, oldest first (only they see it).
    activity: Vec<MyWeekDto>,
    /// Weeks in a row with at least one post.
    streak: usize,
    goals: Vec<MyGoalDto>,
    signals: Vec<MySignalDto>,
    /// Every view of a signal about the member, newest first.
    views: Vec<SignalViewDto>,
    measures: Vec<MeasureDto>,
    paused: bool,
    strict: bool,
}

impl From<MyInsights> for MyInsightsDto {
    fn from(m: MyInsights) -> Self {
        MyInsightsDto {
            activity: m
                .activity
                .into_iter()
                .map(|w| MyWeekDto {
                    week_start: w.week_start,
                    posts: w.posts,
                })
                .collect(),
            streak: m.streak,
            goals: m
                .goals
                .into_iter()
                .map(|(what, by_when)| MyGoalDto { what, by_when })
                .collect(),
            signals: m.signals.into_iter().map(Into::into).collect(),
            views: m.views.into_iter().map(Into::into).collect(),
            measures: m
                .measures
                .into_iter()
                .map(|x| MeasureDto {
                    name: x.name.into(),
                    value: x.value,
                    used_for: x.used_for.into(),
                })
                .collect(),
            paused: m.paused,
            strict: m.strict,
        }
    }
}

/// Everything kept about the viewer: signals, who may see each, every view, measures.
#[utoipa::path(get, path = "/me/insights", tag = "insights", responses((status = 200, body = MyInsightsDto)))]
async fn my_insights(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<MyInsightsDto>> {
    Ok(Json(state.app.my_insights(&viewer).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PauseBody {
    /// Pause the non-essential signals (true) or resume them (false).
    paused: bool,
}

/// Pauses or resumes the viewer's non-essential signals.
#[utoipa::path(put, path = "/me/insights", tag = "insights", request_body = PauseBody, responses((status = 204, description = "Saved")))]
async fn set_pause(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<PauseBody>,
) -> ApiResult<StatusCode> {
    state.app.set_insights_paused(&viewer, body.paused).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct WeekDto {
    /// The Monday the week starts on (UTC).
    week_start: NaiveDate,
    active_members: i64,
    posts: i64,
    questions: i64,
    answered: i64,
    peer_answered: i64,
    median_hours_to_answer: Option<f64>,
    /// Learners' share of the words (0–1).
    learner_share: Option<f64>,
    signals_opened: i64,
    signals_resolved: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DashboardDto {
    scope: String,
    /// Twelve weeks, oldest first.
    weeks: Vec<WeekDto>,
    voices: usize,
    top_tenth_share: Option<f64>,
    gini: Option<f64>,
    /// Facilitators' share of the words written (0–1).
    facilitator_share: Option<f64>,
    /// Facilitators' share of the posts written (0–1).
    facilitator_post_share: Option<f64>,
    peer_answer_share: Option<f64>,
    /// Spaces only: members who joined and never wrote.
    never_wrote: Option<i64>,
    /// Spaces whose facilitators do most of the talking: a suggestion to listen more.
    talk_nudge: Option<String>,
    generated_at: DateTime<Utc>,
}

impl From<&Dashboard> for DashboardDto {
    fn from(d: &Dashboard) -> Self {
        DashboardDto {
            scope: d.scope.clone(),
            weeks: d
                .weeks
                .iter()
                .map(|w| WeekDto {
                    week_start: w.week_start,
                    active_members: w.active_members,
                    posts: w.posts,
                    questions: w.questions,
                    answered: w.answered,
                    peer_answered: w.peer_answered,
                    median_hours_to_answer: w.median_hours_to_answer,
                    learner_share: w.learner_share,
                    signals_opened: w.signals_opened,
                    signals_resolved: w.signals_resolved,
                })
                .collect(),
            voices: d.voices,
            top_tenth_share: d.top_tenth_share,
            gini: d.gini,
            facilitator_share: d.facilitator_share,
            facilitator_post_share: d.facilitator_post_share,
            peer_answer_share: d.peer_answer_share,
            never_wrote: d.never_wrote,
            talk_nudge: d.talk_nudge.clone(),
            generated_at: d.generated_at,
        }
    }
}

/// The community's dashboard (administrators and facilitators).
#[utoipa::path(get, path = "/insights", tag = "insights", responses((status = 200, body = DashboardDto)))]
async fn community_dashboard(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<DashboardDto>> {
    let dashboard = state.app.community_dashboard(&viewer).await?;
    Ok(Json(dashboard.as_ref().into()))
}

/// A space's dashboard (its facilitators and administrators).
#[utoipa::path(get, path = "/spaces/{slug}/insights", tag = "insights", params(("slug" = String, Path, description = "The space's address")), responses((status = 200, body = DashboardDto)))]
async fn space_dashboard(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
) -> ApiResult<Json<DashboardDto>> {
    let dashboard = state.app.space_dashboard(&viewer, &slug).await?;
    Ok(Json(dashboard.as_ref().into()))
}

#[derive(Serialize, ToSchema)]
pub struct ReportMonthDto {
    /// The first day of the month.
    month: NaiveDate,
    blocked_explicit: i64,
    blocked_hurtful: i64,
    blocked_other: i64,
    held: i64,
    sent_for_review: i64,
    reported: i64,
    approved: i64,
    removed: i64,
    escalated: i64,
    sanctions: i64,
}

impl From<ReportMonth> for ReportMonthDto {
    fn from(m: ReportMonth) -> Self {
        ReportMonthDto {
            month: m.month,
            blocked_explicit: m.blocked_explicit,
            blocked_hurtful: m.blocked_hurtful,
            blocked_other: m.blocked_other,
            held: m.held,
            sent_for_review: m.sent_for_review,
            reported: m.reported,
            approved: m.approved,
            removed: m.removed,
            escalated: m.escalated,
            sanctions: m.sanctions,
        }
    }
}

/// The public moderation transparency report: twelve months of counts, no names.
#[utoipa::path(get, path = "/moderation/report", tag = "moderation", security(()), responses((status = 200, body = Vec<ReportMonthDto>)))]
async fn transparency_report(
    State(state): State<WebState>,
) -> ApiResult<Json<Vec<ReportMonthDto>>> {
    let months = state.app.transparency_report().await?;
    Ok(Json(months.into_iter().map(Into::into).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct WatchItemDto {
    /// question, unanswered, review, member or care.
    kind: String,
    space_name: Option<String>,
    text: String,
    link: String,
    at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct MonitorDto {
    items: Vec<WatchItemDto>,
    moderator: bool,
}

impl From<Monitor> for MonitorDto {
    fn from(m: Monitor) -> Self {
        MonitorDto {
            items: m
                .items
                .into_iter()
                .map(|i| WatchItemDto {
                    kind: i.kind.as_str().into(),
                    space_name: i.space_name,
                    text: i.text,
                    link: i.link,
                    at: i.at,
                })
                .collect(),
            moderator: m.moderator,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonitorQuery {
    /// Keep one kind: question, unanswered, review, member or care.
    #[serde(default)]
    kind: String,
}

/// The monitoring feed of the last week (facilitators: their spaces; moderators: all). Live
/// updates: `GET /live?monitor=true` sends `event: watch` when a line is added.
#[utoipa::path(get, path = "/monitor", tag = "insights", params(MonitorQuery), responses((status = 200, body = MonitorDto)))]
async fn monitor(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<MonitorQuery>,
) -> ApiResult<Json<MonitorDto>> {
    Ok(Json(state.app.monitor(&viewer, &query.kind).await?.into()))
}
