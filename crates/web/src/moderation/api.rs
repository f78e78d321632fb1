//! The JSON twins of the moderation pages: the content check (used by the live nudge),
//! reports, a member's standing, the review queue, appeals, the public log, HR cases (HR role
//! only) and the administrator's rules.

use crate::WebState;
use crate::auth::{Admin, Hr, Member, Moderator};
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::AppError;
use guildhall_app::moderation::{
    CaseOutcome, CaseStatus, CaseSummary, HrOfficer, ReportSubject, ReviewAction, ReviewDecision,
};
use guildhall_domain::moderation::Verdict;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(check))
        .routes(routes!(conduct, publish_conduct))
        .routes(routes!(accept_conduct))
        .routes(routes!(report))
        .routes(routes!(standing))
        .routes(routes!(acknowledge))
        .routes(routes!(appeal))
        .routes(routes!(log))
        .routes(routes!(queue))
        .routes(routes!(decide))
        .routes(routes!(appeals))
        .routes(routes!(decide_appeal))
        .routes(routes!(hr_cases))
        .routes(routes!(hr_case, hr_update))
        .routes(routes!(hr_note))
        .routes(routes!(rules))
        .routes(routes!(add_word_rule))
        .routes(routes!(add_link_rule))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckBody {
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReasonDto {
    /// explicit, rude, profanity, word_rule or link.
    category: String,
    /// allow, nudge, hold or block.
    action: String,
    matched: String,
    score: Option<f64>,
    /// The sentence the author reads.
    explanation: String,
}

#[derive(Serialize, ToSchema)]
pub struct VerdictDto {
    /// allow, nudge, hold or block.
    action: String,
    /// Empty when allowed.
    message: String,
    reasons: Vec<ReasonDto>,
    /// The text as it would be published after word-rule replacements.
    replaced_text: Option<String>,
}

fn enum_name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<Verdict> for VerdictDto {
    fn from(v: Verdict) -> Self {
        VerdictDto {
            action: v.action.as_str().into(),
            message: v.message(),
            reasons: v
                .reasons
                .iter()
                .map(|r| ReasonDto {
                    category: enum_name(&r.category),
                    action: r.action.as_str().into(),
                    matched: r.matched.clone(),
                    score: r.score,
                    explanation: r.explain(),
                })
                .collect(),
            replaced_text: v.replaced_text,
        }
    }
}

/// The content check's verdict on a text, without writing anything (the live nudge).
#[utoipa::path(post, path = "/moderation/check", tag = "moderation", request_body = CheckBody, responses((status = 200, body = VerdictDto)))]
async fn check(
    State(state): State<WebState>,
    Member(_member): Member,
    JsonBody(body): JsonBody<CheckBody>,
) -> ApiResult<Json<VerdictDto>> {
    Ok(Json(state.app.check_text(&body.text).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct ConductDto {
    version: i64,
    body: String,
    published_at: DateTime<Utc>,
    accepted_version: Option<i64>,
    needs_acceptance: bool,
}

/// The current code of conduct and the caller's acceptance (404 before the first version).
#[utoipa::path(get, path = "/conduct", tag = "moderation", responses((status = 200, body = ConductDto)))]
async fn conduct(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<ConductDto>> {
    let c = state
        .app
        .conduct(&viewer)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(ConductDto {
        needs_acceptance: c.needs_acceptance(),
        version: c.version,
        body: c.body,
        published_at: c.published_at,
        accepted_version: c.accepted_version,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConductBody {
    /// Markdown.
    body: String,
}

#[derive(Serialize, ToSchema)]
pub struct VersionDto {
    version: i64,
}

/// Publishes a new version of the code of conduct (admins); everyone accepts it again.
#[utoipa::path(post, path = "/conduct", tag = "moderation", request_body = ConductBody, responses((status = 201, body = VersionDto)))]
async fn publish_conduct(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    JsonBody(body): JsonBody<ConductBody>,
) -> ApiResult<(StatusCode, Json<VersionDto>)> {
    let version = state.app.publish_conduct(&viewer, &body.body).await?;
    Ok((StatusCode::CREATED, Json(VersionDto { version })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConductAcceptBody {
    version: i64,
}

/// Accepts the current version of the code of conduct.
#[utoipa::path(post, path = "/conduct/accept", tag = "moderation", request_body = ConductAcceptBody, responses((status = 204, description = "Accepted")))]
async fn accept_conduct(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<ConductAcceptBody>,
) -> ApiResult<StatusCode> {
    state.app.accept_conduct(&viewer, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// post, thread or person.
    subject: String,
    id: i64,
    /// explicit, rude, spam or other.
    reason: String,
    /// Required for `other`.
    #[serde(default)]
    detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReportDto {
    report_count: i64,
    /// The content is hidden until a moderator decides.
    hidden: bool,
}

/// Reports a thread, a post or a profile.
#[utoipa::path(post, path = "/reports", tag = "moderation", request_body = ReportBody, responses((status = 201, body = ReportDto)))]
async fn report(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<ReportBody>,
) -> ApiResult<(StatusCode, Json<ReportDto>)> {
    let subject = match body.subject.as_str() {
        "post" => ReportSubject::Post(body.id),
        "thread" => ReportSubject::Thread(body.id),
        "person" => ReportSubject::Person(body.id),
        _ => {
            return Err(
                AppError::invalid("subject", "Report a post, a thread or a person.").into(),
            );
        }
    };
    let outcome = state
        .app
        .report(&viewer, subject, &body.reason, &body.detail)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ReportDto {
            report_count: outcome.report_count,
            hidden: outcome.hidden,
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct SanctionDto {
    id: i64,
    /// warning, mute, suspension or ban.
    kind: String,
    space_name: Option<String>,
    reason: String,
    created_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    needs_acknowledgement: bool,
    lifted: bool,
    can_appeal: bool,
    /// pending, upheld or lifted once appealed.
    appeal: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HrOutcomeDto {
    id: i64,
    outcome: Option<String>,
    outcome_note: Option<String>,
    told_at: Option<DateTime<Utc>>,
    appeal: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StandingDto {
    sanctions: Vec<SanctionDto>,
    hr_outcomes: Vec<HrOutcomeDto>,
}

/// The caller's own moderation history.
#[utoipa::path(get, path = "/moderation/mine", tag = "moderation", responses((status = 200, body = StandingDto)))]
async fn standing(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<StandingDto>> {
    let mine = state.app.my_standing(&viewer).await?;
    Ok(Json(StandingDto {
        sanctions: mine
            .sanctions
            .into_iter()
            .map(|s| SanctionDto {
                id: s.id,
                kind: s.kind,
                space_name: s.space_name,
                reason: s.reason,
                created_at: s.created_at,
                ends_at: s.ends_at,
                needs_acknowledgement: s.needs_acknowledgement,
                lifted: s.lifted,
                can_appeal: s.can_appeal,
                appeal: s.appeal,
            })
            .collect(),
        hr_outcomes: mine
            .hr_outcomes
            .into_iter()
            .map(|c| HrOutcomeDto {
                id: c.id,
                outcome: c.outcome,
                outcome_note: c.outcome_note,
                told_at: c.told_at,
                appeal: c.appeal,
            })
            .collect(),
    }))
}

/// Acknowledges a warning, which lets the member write again.
#[utoipa::path(post, path = "/sanctions/{id}/acknowledge", tag = "moderation", params(("id" = i64, Path, description = "Sanction id")), responses((status = 204, description = "Acknowledged")))]
async fn acknowledge(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.acknowledge_warning(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealBody {
    statement: String,
}

/// Appeals a sanction (once); a different moderator decides.
#[utoipa::path(post, path = "/sanctions/{id}/appeal", tag = "moderation", params(("id" = i64, Path, description = "Sanction id")), request_body = AppealBody, responses((status = 204, description = "Appealed")))]
async fn appeal(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<AppealBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .appeal_sanction(&viewer, id, &body.statement)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct LogEntryDto {
    id: i64,
    action: String,
    /// The role that acted; moderators are never named.
    role: String,
    subject: String,
    reason: String,
    created_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct LogQuery {
    /// Entries older than this id.
    #[serde(default)]
    before: Option<i64>,
}

/// The public moderation log, newest first.
#[utoipa::path(get, path = "/moderation/log", tag = "moderation", params(("before" = Option<i64>, Query, description = "Entries older than this id")), responses((status = 200, body = Vec<LogEntryDto>)))]
async fn log(
    State(state): State<WebState>,
    Member(_member): Member,
    QueryParams(query): QueryParams<LogQuery>,
) -> ApiResult<Json<Vec<LogEntryDto>>> {
    Ok(Json(
        state
            .app
            .moderation_log(query.before)
            .await?
            .into_iter()
            .map(|l| LogEntryDto {
                id: l.id,
                action: l.action,
                role: l.role,
                subject: l.subject,
                reason: l.reason,
                created_at: l.created_at,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ReviewItemDto {
    id: i64,
    /// post or person.
    subject_kind: String,
    subject_id: i64,
    author_id: Option<i64>,
    author_name: String,
    /// held, nudged or reported.
    source: String,
    severity: i64,
    report_count: i64,
    excerpt: String,
    check_reasons: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct QueueQuery {
    /// held, nudged or reported.
    #[serde(default)]
    source: Option<String>,
}

/// The review queue (moderators): most severe, most reported and oldest first.
#[utoipa::path(get, path = "/moderation/queue", tag = "moderation", params(("source" = Option<String>, Query, description = "held, nudged or reported")), responses((status = 200, body = Vec<ReviewItemDto>)))]
async fn queue(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
    QueryParams(query): QueryParams<QueueQuery>,
) -> ApiResult<Json<Vec<ReviewItemDto>>> {
    let items = state
        .app
        .review_queue(&viewer, query.source.as_deref())
        .await?;
    Ok(Json(
        items
            .into_iter()
            .map(|i| ReviewItemDto {
                id: i.id,
                subject_kind: i.subject_kind,
                subject_id: i.subject_id,
                author_id: i.author_id,
                author_name: i.author_name,
                source: i.source,
                severity: i.severity,
                report_count: i.report_count,
                excerpt: i.excerpt,
                check_reasons: i.check_reasons,
                created_at: i.created_at,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    ids: Vec<i64>,
    /// approve, remove, warn, mute, suspend, ban or escalate.
    action: String,
    #[serde(default)]
    reason: String,
    /// For mute and suspend.
    #[serde(default)]
    hours: Option<i64>,
    /// A mute only in the space of the content.
    #[serde(default)]
    in_space_only: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DecidedDto {
    decided: usize,
}

/// Decides one or more review items the same way (moderators).
#[utoipa::path(post, path = "/moderation/queue/decisions", tag = "moderation", request_body = DecisionBody, responses((status = 200, body = DecidedDto)))]
async fn decide(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
    JsonBody(body): JsonBody<DecisionBody>,
) -> ApiResult<Json<DecidedDto>> {
    let action = ReviewAction::parse(&body.action)
        .ok_or_else(|| AppError::invalid("action", "Choose what to do."))?;
    if body.ids.is_empty() || body.ids.len() > 100 {
        return Err(AppError::invalid("ids", "Choose from 1 to 100 items.").into());
    }
    let decision = ReviewDecision {
        action,
        reason: body.reason,
        hours: body.hours,
        in_space_only: body.in_space_only,
    };
    let decided = state
        .app
        .decide_reviews(&viewer, &body.ids, &decision)
        .await?;
    Ok(Json(DecidedDto { decided }))
}

#[derive(Serialize, ToSchema)]
pub struct AppealDto {
    id: i64,
    member_name: String,
    sanction_kind: String,
    sanction_reason: String,
    statement: String,
    created_at: DateTime<Utc>,
    /// False for the moderator who imposed the sanction.
    decidable: bool,
}

/// Open appeals (moderators).
#[utoipa::path(get, path = "/moderation/appeals", tag = "moderation", responses((status = 200, body = Vec<AppealDto>)))]
async fn appeals(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
) -> ApiResult<Json<Vec<AppealDto>>> {
    Ok(Json(
        state
            .app
            .open_appeals(&viewer)
            .await?
            .into_iter()
            .map(|a| AppealDto {
                id: a.id,
                member_name: a.member_name,
                sanction_kind: a.sanction_kind,
                sanction_reason: a.sanction_reason,
                statement: a.statement,
                created_at: a.created_at,
                decidable: a.decidable,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealDecisionBody {
    /// lift or uphold.
    decision: String,
    #[serde(default)]
    note: String,
}

/// Lifts or upholds a sanction on appeal (a moderator other than the one who imposed it).
#[utoipa::path(post, path = "/moderation/appeals/{id}", tag = "moderation", params(("id" = i64, Path, description = "Appeal id")), request_body = AppealDecisionBody, responses((status = 204, description = "Decided")))]
async fn decide_appeal(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<AppealDecisionBody>,
) -> ApiResult<StatusCode> {
    let lift = match body.decision.as_str() {
        "lift" => true,
        "uphold" => false,
        _ => return Err(AppError::invalid("decision", "Choose lift or uphold.").into()),
    };
    state
        .app
        .decide_appeal(&viewer, id, lift, &body.note)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CaseDto {
    id: i64,
    subject_user_id: i64,
    subject_name: String,
    /// explicit_text, explicit_image or escalation.
    source: String,
    /// open, investigating or closed.
    status: String,
    outcome: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<CaseSummary> for CaseDto {
    fn from(c: CaseSummary) -> Self {
        CaseDto {
            id: c.id,
            subject_user_id: c.subject_user_id,
            subject_name: c.subject_name,
            source: c.source,
            status: c.status,
            outcome: c.outcome,
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CasesQuery {
    /// open, investigating or closed.
    #[serde(default)]
    status: Option<String>,
}

/// HR cases (HR role only; every listing is audited).
#[utoipa::path(get, path = "/hr/cases", tag = "hr", params(("status" = Option<String>, Query, description = "open, investigating or closed")), responses((status = 200, body = Vec<CaseDto>)))]
async fn hr_cases(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    QueryParams(query): QueryParams<CasesQuery>,
) -> ApiResult<Json<Vec<CaseDto>>> {
    let officer = HrOfficer::new(&viewer)?;
    let status = query.status.as_deref().and_then(CaseStatus::parse);
    Ok(Json(
        state
            .app
            .hr_cases(&officer, status)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct NoteDto {
    author_name: String,
    body: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseAuditDto {
    actor_name: String,
    action: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseDetailDto {
    case: CaseDto,
    outcome_note: Option<String>,
    /// Frozen at opening: content and versions, context, reports, accepted code of conduct,
    /// prior sanctions.
    #[schema(value_type = Object)]
    evidence: serde_json::Value,
    member_told_at: Option<DateTime<Utc>>,
    appeal: Option<String>,
    notes: Vec<NoteDto>,
    audit: Vec<CaseAuditDto>,
}

/// One HR case with its evidence, notes and audit log (HR role only; the view is audited).
#[utoipa::path(get, path = "/hr/cases/{id}", tag = "hr", params(("id" = i64, Path, description = "Case id")), responses((status = 200, body = CaseDetailDto)))]
async fn hr_case(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    IdPath(id): IdPath,
) -> ApiResult<Json<CaseDetailDto>> {
    let officer = HrOfficer::new(&viewer)?;
    let d = state.app.hr_case(&officer, id).await?;
    Ok(Json(CaseDetailDto {
        case: d.case.into(),
        outcome_note: d.outcome_note,
        evidence: d.evidence,
        member_told_at: d.member_told_at,
        appeal: d.appeal,
        notes: d
            .notes
            .into_iter()
            .map(|n| NoteDto {
                author_name: n.author_name,
                body: n.body,
                created_at: n.created_at,
            })
            .collect(),
        audit: d
            .audit
            .into_iter()
            .map(|a| CaseAuditDto {
                actor_name: a.actor_name,
                action: a.action,
                created_at: a.created_at,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseUpdateBody {
    /// open, investigating or closed.
    status: String,
    /// no_action, informal_conversation, formal_warning, suspension or referred_to_disciplinary.
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    outcome_note: String,
    /// Show the outcome to the member (who may appeal once).
    #[serde(default)]
    tell_member: bool,
}

/// Moves a case on (HR role only).
#[utoipa::path(put, path = "/hr/cases/{id}", tag = "hr", params(("id" = i64, Path, description = "Case id")), request_body = CaseUpdateBody, responses((status = 204, description = "Saved")))]
async fn hr_update(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<CaseUpdateBody>,
) -> ApiResult<StatusCode> {
    let officer = HrOfficer::new(&viewer)?;
    let status = CaseStatus::parse(&body.status)
        .ok_or_else(|| AppError::invalid("status", "Choose open, investigating or closed."))?;
    let outcome = match body.outcome.as_deref() {
        Some(raw) => Some(
            CaseOutcome::parse(raw)
                .ok_or_else(|| AppError::invalid("outcome", "That is not an outcome."))?,
        ),
        None => None,
    };
    state
        .app
        .hr_update_case(
            &officer,
            id,
            status,
            outcome,
            &body.outcome_note,
            body.tell_member,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    body: String,
}

/// Adds a note to a case (HR role only).
#[utoipa::path(post, path = "/hr/cases/{id}/notes", tag = "hr", params(("id" = i64, Path, description = "Case id")), request_body = NoteBody, responses((status = 204, description = "Added")))]
async fn hr_note(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<NoteBody>,
) -> ApiResult<StatusCode> {
    let officer = HrOfficer::new(&viewer)?;
    state.app.hr_add_note(&officer, id, &body.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct WordRuleDto {
    id: i64,
    pattern: String,
    /// block, hold, nudge or replace.
    action: String,
    replacement: String,
}

#[derive(Serialize, ToSchema)]
pub struct LinkRuleDto {
    id: i64,
    domain: String,
    /// allow or block.
    policy: String,
}

#[derive(Serialize, ToSchema)]
pub struct RulesDto {
    words: Vec<WordRuleDto>,
    links: Vec<LinkRuleDto>,
}

/// The organisation's word and link rules (admins).
#[utoipa::path(get, path = "/moderation/rules", tag = "moderation", responses((status = 200, body = RulesDto)))]
async fn rules(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
) -> ApiResult<Json<RulesDto>> {
    let rules = state.app.moderation_rules(&viewer).await?;
    Ok(Json(RulesDto {
        words: rules
            .words
            .into_iter()
            .map(|w| WordRuleDto {
                id: w.id,
                pattern: w.pattern,
                action: w.action,
                replacement: w.replacement,
            })
            .collect(),
        links: rules
            .links
            .into_iter()
            .map(|l| LinkRuleDto {
                id: l.id,
                domain: l.domain,
                policy: l.policy,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WordRuleBody {
    /// Words with `*` as a wildcard inside a word.
    pattern: String,
    /// block, hold, nudge or replace.
    action: String,
    #[serde(default)]
    replacement: String,
}

/// Adds or changes a word rule (admins).
#[utoipa::path(post, path = "/moderation/rules/words", tag = "moderation", request_body = WordRuleBody, responses((status = 204, description = "Saved")))]
async fn add_word_rule(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    JsonBody(body): JsonBody<WordRuleBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .save_word_rule(&viewer, &body.pattern, &body.action, &body.replacement)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkRuleBody {
    domain: String,
    /// allow or block.
    policy: String,
}

/// Adds or changes a link rule (admins).
#[utoipa::path(post, path = "/moderation/rules/links", tag = "moderation", request_body = LinkRuleBody, responses((status = 204, description = "Saved")))]
async fn add_link_rule(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    JsonBody(body): JsonBody<LinkRuleBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .save_link_rule(&viewer, &body.domain, &body.policy)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
