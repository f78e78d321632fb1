//! The JSON twins of the partner pages.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPairPath, IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use guildhall_app::partners::{
    CheckInInput, CheckInView, GoalInput, GoalView, MemberRhythm, OptInInput, OptInView,
    PairOverview, PartnerMember, PartnerScope, PartnerScopeOption, PartnershipView, RoundOutcome,
    ScopeOverview, Waiting,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct PartnerScopeDto {
    /// The space's address; null for the whole organisation.
    space: Option<String>,
    name: String,
}

impl From<PartnerScope> for PartnerScopeDto {
    fn from(s: PartnerScope) -> Self {
        PartnerScopeDto {
            space: s.slug,
            name: s.name,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerOptInDto {
    focus: Vec<String>,
    /// Local time, "09:00".
    work_start: String,
    work_end: String,
    ask_again_user_id: Option<i64>,
}

impl From<OptInView> for PartnerOptInDto {
    fn from(o: OptInView) -> Self {
        PartnerOptInDto {
            focus: o.focus,
            work_start: o.work_start,
            work_end: o.work_end,
            ask_again_user_id: o.ask_again_user_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerScopeOptionDto {
    scope: PartnerScopeDto,
    /// Null when not opted in there.
    opt_in: Option<PartnerOptInDto>,
}

impl From<PartnerScopeOption> for PartnerScopeOptionDto {
    fn from(o: PartnerScopeOption) -> Self {
        PartnerScopeOptionDto {
            scope: o.scope.into(),
            opt_in: o.opt_in.map(Into::into),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerMemberDto {
    user_id: i64,
    display_name: String,
    time_zone: String,
}

impl From<PartnerMember> for PartnerMemberDto {
    fn from(m: PartnerMember) -> Self {
        PartnerMemberDto {
            user_id: m.user_id,
            display_name: m.display_name,
            time_zone: m.time_zone,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerRhythmDto {
    user_id: i64,
    /// Weeks in a row with a check-in.
    streak: u32,
    checked_in_this_week: bool,
    missed_in_a_row: u32,
}

impl From<MemberRhythm> for PartnerRhythmDto {
    fn from(r: MemberRhythm) -> Self {
        PartnerRhythmDto {
            user_id: r.user_id,
            streak: r.streak,
            checked_in_this_week: r.checked_in_this_week,
            missed_in_a_row: r.missed_in_a_row,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerGoalDto {
    id: i64,
    user_id: i64,
    what: String,
    by_when: NaiveDate,
    how_known: String,
    /// open, done or dropped.
    status: String,
}

impl From<GoalView> for PartnerGoalDto {
    fn from(g: GoalView) -> Self {
        PartnerGoalDto {
            id: g.id,
            user_id: g.user_id,
            what: g.what,
            by_when: g.by_when,
            how_known: g.how_known,
            status: g.status,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CheckInReplyDto {
    id: i64,
    user_id: i64,
    display_name: String,
    /// reply or encourage.
    kind: String,
    body: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckInDto {
    id: i64,
    user_id: i64,
    display_name: String,
    /// The first day of the check-in week.
    week_of: NaiveDate,
    progress: i64,
    did: String,
    blockers: String,
    next_step: String,
    created_at: DateTime<Utc>,
    replies: Vec<CheckInReplyDto>,
}

impl From<CheckInView> for CheckInDto {
    fn from(c: CheckInView) -> Self {
        CheckInDto {
            id: c.id,
            user_id: c.user_id,
            display_name: c.display_name,
            week_of: c.week_of,
            progress: c.progress,
            did: c.did,
            blockers: c.blockers,
            next_step: c.next_step,
            created_at: c.created_at,
            replies: c
                .replies
                .into_iter()
                .map(|r| CheckInReplyDto {
                    id: r.id,
                    user_id: r.user_id,
                    display_name: r.display_name,
                    kind: r.kind,
                    body: r.body,
                    created_at: r.created_at,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnershipDto {
    id: i64,
    scope: PartnerScopeDto,
    active: bool,
    members: Vec<PartnerMemberDto>,
    /// Why they were matched, in sentences.
    reasons: Vec<String>,
    /// 0 = Monday … 6 = Sunday.
    check_in_weekday: i64,
    formed_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    /// new, active, quiet or stalled.
    health: String,
    rhythm: Vec<PartnerRhythmDto>,
    goals: Vec<PartnerGoalDto>,
    check_ins: Vec<CheckInDto>,
    /// Pass as `before` for older check-ins.
    older_check_ins: Option<i64>,
    change_requested: bool,
}

impl From<PartnershipView> for PartnershipDto {
    fn from(p: PartnershipView) -> Self {
        PartnershipDto {
            id: p.id,
            scope: p.scope.into(),
            active: p.active,
            members: p.members.into_iter().map(Into::into).collect(),
            reasons: p.reasons,
            check_in_weekday: p.check_in_weekday,
            formed_at: p.formed_at,
            ended_at: p.ended_at,
            health: p.health.as_str().to_owned(),
            rhythm: p.rhythm.into_iter().map(Into::into).collect(),
            goals: p.goals.into_iter().map(Into::into).collect(),
            check_ins: p.check_ins.into_iter().map(Into::into).collect(),
            older_check_ins: p.older_check_ins,
            change_requested: p.change_requested,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MyPartnersDto {
    options: Vec<PartnerScopeOptionDto>,
    partnerships: Vec<PartnershipDto>,
}

#[derive(Serialize, ToSchema)]
pub struct PartnerWaitingDto {
    user_id: i64,
    display_name: String,
    reason: String,
}

impl From<Waiting> for PartnerWaitingDto {
    fn from(w: Waiting) -> Self {
        PartnerWaitingDto {
            user_id: w.user_id,
            display_name: w.display_name,
            reason: w.reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PairOverviewDto {
    id: i64,
    members: Vec<PartnerMemberDto>,
    health: String,
    formed_at: DateTime<Utc>,
    check_in_day: String,
    last_check_in_week: Option<NaiveDate>,
    streak: u32,
}

impl From<PairOverview> for PairOverviewDto {
    fn from(p: PairOverview) -> Self {
        PairOverviewDto {
            id: p.id,
            members: p.members.into_iter().map(Into::into).collect(),
            health: p.health.as_str().to_owned(),
            formed_at: p.formed_at,
            check_in_day: p.check_in_day.to_owned(),
            last_check_in_week: p.last_check_in_week,
            streak: p.streak,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerChangeRequestDto {
    id: i64,
    partnership_id: i64,
    user_id: i64,
    display_name: String,
    reason: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct PartnerOverviewDto {
    scope: PartnerScopeDto,
    opted_in: i64,
    weekly: bool,
    last_round_at: Option<DateTime<Utc>>,
    waiting: Vec<PartnerWaitingDto>,
    pairs: Vec<PairOverviewDto>,
    change_requests: Vec<PartnerChangeRequestDto>,
}

impl From<ScopeOverview> for PartnerOverviewDto {
    fn from(o: ScopeOverview) -> Self {
        PartnerOverviewDto {
            scope: o.scope.into(),
            opted_in: o.opted_in,
            weekly: o.weekly,
            last_round_at: o.last_round_at,
            waiting: o.waiting.into_iter().map(Into::into).collect(),
            pairs: o.pairs.into_iter().map(Into::into).collect(),
            change_requests: o
                .change_requests
                .into_iter()
                .map(|r| PartnerChangeRequestDto {
                    id: r.id,
                    partnership_id: r.partnership_id,
                    user_id: r.user_id,
                    display_name: r.display_name,
                    reason: r.reason,
                    created_at: r.created_at,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerRoundDto {
    partnerships: usize,
    people_paired: usize,
    unmatched: Vec<PartnerWaitingDto>,
}

impl From<RoundOutcome> for PartnerRoundDto {
    fn from(r: RoundOutcome) -> Self {
        PartnerRoundDto {
            partnerships: r.partnerships,
            people_paired: r.people_paired,
            unmatched: r.unmatched.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerCreatedDto {
    id: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerOptInBody {
    /// A cohort's or team's address; omit for the whole organisation.
    #[serde(default)]
    space: Option<String>,
    /// Topics separated by commas (at most five).
    #[serde(default)]
    focus: String,
    /// Local time "HH:MM".
    work_start: String,
    work_end: String,
    #[serde(default)]
    ask_again_user_id: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerScopeQuery {
    /// A space's address; omit for the whole organisation.
    #[serde(default)]
    space: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckInPageQuery {
    /// Check-ins older than this id.
    #[serde(default)]
    before: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerGoalBody {
    what: String,
    /// A date "YYYY-MM-DD", today or within a year.
    by_when: String,
    how_known: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerGoalStatusBody {
    /// open, done or dropped.
    status: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInBody {
    /// 1 (stuck) to 5 (great).
    progress: i64,
    did: String,
    #[serde(default)]
    blockers: String,
    next_step: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInReplyBody {
    /// reply (with a body) or encourage (body optional).
    kind: String,
    #[serde(default)]
    body: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInDayBody {
    /// 0 = Monday … 6 = Sunday.
    weekday: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerReasonBody {
    reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerScopeBody {
    #[serde(default)]
    space: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerWeeklyBody {
    #[serde(default)]
    space: Option<String>,
    weekly: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerPairBody {
    #[serde(default)]
    space: Option<String>,
    /// Two or three waiting people.
    members: Vec<i64>,
}

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(my_partners))
        .routes(routes!(opt_in, opt_out))
        .routes(routes!(partnership))
        .routes(routes!(add_goal))
        .routes(routes!(goal_status))
        .routes(routes!(check_in))
        .routes(routes!(reply))
        .routes(routes!(check_in_day))
        .routes(routes!(ask_for_new_partner))
        .routes(routes!(end_partnership))
        .routes(routes!(overview))
        .routes(routes!(round))
        .routes(routes!(weekly))
        .routes(routes!(pair_by_hand))
}

fn scope_arg(space: &Option<String>) -> Option<&str> {
    space.as_deref().filter(|s| !s.is_empty())
}

/// Where the person can have a partner, and their partnerships.
#[utoipa::path(get, path = "/partners", tag = "partners", responses((status = 200, body = MyPartnersDto)))]
async fn my_partners(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<MyPartnersDto>> {
    let options = state.app.partner_scope_options(&viewer).await?;
    let partnerships = state.app.my_partnerships(&viewer).await?;
    Ok(Json(MyPartnersDto {
        options: options.into_iter().map(Into::into).collect(),
        partnerships: partnerships.into_iter().map(Into::into).collect(),
    }))
}

/// Opts in for a partner (or updates the opt-in) in a cohort, team or the organisation.
#[utoipa::path(put, path = "/partners/opt-in", tag = "partners", request_body = PartnerOptInBody, responses((status = 200, body = PartnerOptInDto)))]
async fn opt_in(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<PartnerOptInBody>,
) -> ApiResult<Json<PartnerOptInDto>> {
    let input = OptInInput {
        space: body.space.unwrap_or_default(),
        focus: body.focus,
        work_start: body.work_start,
        work_end: body.work_end,
        ask_again_user_id: body.ask_again_user_id,
    };
    Ok(Json(
        state.app.opt_in_for_partner(&viewer, &input).await?.into(),
    ))
}

/// Opts out (a current partnership goes on until it is ended).
#[utoipa::path(delete, path = "/partners/opt-in", tag = "partners", params(PartnerScopeQuery), responses((status = 204, description = "Opted out")))]
async fn opt_out(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<PartnerScopeQuery>,
) -> ApiResult<StatusCode> {
    let space = query.space.unwrap_or_default();
    state.app.opt_out_of_partners(&viewer, &space).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A partnership with its goals and a page of check-ins (members only).
#[utoipa::path(get, path = "/partners/{id}", tag = "partners", params(("id" = i64, Path, description = "Partnership id"), CheckInPageQuery), responses((status = 200, body = PartnershipDto)))]
async fn partnership(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<CheckInPageQuery>,
) -> ApiResult<Json<PartnershipDto>> {
    Ok(Json(
        state
            .app
            .partnership(&viewer, id, query.before)
            .await?
            .into(),
    ))
}

/// Sets one of the person's goals (at most three open).
#[utoipa::path(post, path = "/partners/{id}/goals", tag = "partners", params(("id" = i64, Path, description = "Partnership id")), request_body = PartnerGoalBody, responses((status = 201, body = PartnerCreatedDto)))]
async fn add_goal(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<PartnerGoalBody>,
) -> ApiResult<(StatusCode, Json<PartnerCreatedDto>)> {
    let input = GoalInput {
        what: body.what,
        by_when: body.by_when,
        how_known: body.how_known,
    };
    let id = state.app.add_partner_goal(&viewer, id, &input).await?;
    Ok((StatusCode::CREATED, Json(PartnerCreatedDto { id })))
}

/// Marks one of the person's own goals open, done or dropped.
#[utoipa::path(put, path = "/partners/{id}/goals/{goal_id}", tag = "partners", params(("id" = i64, Path, description = "Partnership id"), ("goal_id" = i64, Path, description = "Goal id")), request_body = PartnerGoalStatusBody, responses((status = 204, description = "Saved")))]
async fn goal_status(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPairPath(id, goal_id): IdPairPath,
    JsonBody(body): JsonBody<PartnerGoalStatusBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_partner_goal_status(&viewer, id, goal_id, &body.status)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This week's check-in (one per person per week); the partner is told.
#[utoipa::path(post, path = "/partners/{id}/check-ins", tag = "partners", params(("id" = i64, Path, description = "Partnership id")), request_body = CheckInBody, responses((status = 201, body = PartnerCreatedDto)))]
async fn check_in(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CheckInBody>,
) -> ApiResult<(StatusCode, Json<PartnerCreatedDto>)> {
    let input = CheckInInput {
        progress: body.progress,
        did: body.did,
        blockers: body.blockers,
        next_step: body.next_step,
    };
    let id = state.app.check_in(&viewer, id, &input).await?;
    Ok((StatusCode::CREATED, Json(PartnerCreatedDto { id })))
}

/// Replies to (or encourages) a check-in in the partnership.
#[utoipa::path(post, path = "/partners/{id}/check-ins/{check_in_id}/replies", tag = "partners", params(("id" = i64, Path, description = "Partnership id"), ("check_in_id" = i64, Path, description = "Check-in id")), request_body = CheckInReplyBody, responses((status = 201, body = PartnerCreatedDto)))]
async fn reply(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPairPath(id, check_in_id): IdPairPath,
    JsonBody(body): JsonBody<CheckInReplyBody>,
) -> ApiResult<(StatusCode, Json<PartnerCreatedDto>)> {
    let id = state
        .app
        .reply_to_check_in(&viewer, id, check_in_id, &body.kind, &body.body)
        .await?;
    Ok((StatusCode::CREATED, Json(PartnerCreatedDto { id })))
}

/// Changes the pair's check-in day.
#[utoipa::path(put, path = "/partners/{id}/weekday", tag = "partners", params(("id" = i64, Path, description = "Partnership id")), request_body = CheckInDayBody, responses((status = 204, description = "Saved")))]
async fn check_in_day(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CheckInDayBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_check_in_day(&viewer, id, body.weekday)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks the facilitators, privately, for a new partner.
#[utoipa::path(post, path = "/partners/{id}/new-partner-requests", tag = "partners", params(("id" = i64, Path, description = "Partnership id")), request_body = PartnerReasonBody, responses((status = 201, description = "Asked")))]
async fn ask_for_new_partner(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<PartnerReasonBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .ask_for_new_partner(&viewer, id, &body.reason)
        .await?;
    Ok(StatusCode::CREATED)
}

/// Ends a partnership (facilitators of its scope); its members wait for the next round.
#[utoipa::path(post, path = "/partners/{id}/end", tag = "partners", params(("id" = i64, Path, description = "Partnership id")), request_body = PartnerReasonBody, responses((status = 204, description = "Ended")))]
async fn end_partnership(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<PartnerReasonBody>,
) -> ApiResult<StatusCode> {
    state.app.end_partnership(&viewer, id, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The facilitator's view of a scope: pairs and their health (never check-in content).
#[utoipa::path(get, path = "/partners/manage", tag = "partners", params(PartnerScopeQuery), responses((status = 200, body = PartnerOverviewDto)))]
async fn overview(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<PartnerScopeQuery>,
) -> ApiResult<Json<PartnerOverviewDto>> {
    Ok(Json(
        state
            .app
            .partner_overview(&viewer, scope_arg(&query.space))
            .await?
            .into(),
    ))
}

/// Forms pairs among everyone waiting in the scope.
#[utoipa::path(post, path = "/partners/manage/rounds", tag = "partners", request_body = PartnerScopeBody, responses((status = 200, body = PartnerRoundDto)))]
async fn round(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<PartnerScopeBody>,
) -> ApiResult<Json<PartnerRoundDto>> {
    Ok(Json(
        state
            .app
            .form_partner_pairs(&viewer, scope_arg(&body.space))
            .await?
            .into(),
    ))
}

/// Whether pairs form by themselves every week.
#[utoipa::path(put, path = "/partners/manage/weekly", tag = "partners", request_body = PartnerWeeklyBody, responses((status = 204, description = "Saved")))]
async fn weekly(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<PartnerWeeklyBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_weekly_pairing(&viewer, scope_arg(&body.space), body.weekly)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pairs two or three waiting people by hand (the pairing rules still hold).
#[utoipa::path(post, path = "/partners/manage/pairs", tag = "partners", request_body = PartnerPairBody, responses((status = 201, body = PartnerCreatedDto)))]
async fn pair_by_hand(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<PartnerPairBody>,
) -> ApiResult<(StatusCode, Json<PartnerCreatedDto>)> {
    let id = state
        .app
        .pair_by_hand(&viewer, scope_arg(&body.space), &body.members)
        .await?;
    Ok((StatusCode::CREATED, Json(PartnerCreatedDto { id })))
}
