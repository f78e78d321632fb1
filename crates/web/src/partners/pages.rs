//! Partner pages: opting in, a partnership (goals, check-ins, replies), and the facilitator's
//! overview. Each handler calls one `app` action; permission checks live there.

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, FormPairs, IdPairPath, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::partners::{
    CheckInInput, GoalInput, OptInInput, PartnerScopeOption, PartnershipView, RoundOutcome,
    ScopeOverview,
};
use guildhall_app::people::Viewer;
use guildhall_domain::FieldErrors;
use guildhall_domain::partners::check_ins::PairHealth;
use guildhall_domain::people::Role;
use serde::Deserialize;

/// A page re-shown after a refused form: which form, what was typed, and why.
#[derive(Debug, Default)]
struct Refusal {
    form: &'static str,
    scope_key: i64,
    errors: FieldErrors,
    alert: String,
    values: Vec<(String, String)>,
}

impl Refusal {
    fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn error(&self, form: &str, name: &str) -> Option<&str> {
        (self.form == form).then(|| self.errors.get(name)).flatten()
    }
}

fn refusal(
    form: &'static str,
    error: AppError,
    values: Vec<(String, String)>,
) -> Result<Refusal, PageError> {
    match error {
        AppError::Invalid(errors) | AppError::Nudged(errors) => Ok(Refusal {
            form,
            errors,
            values,
            ..Refusal::default()
        }),
        error @ AppError::Conflict { .. } => Ok(Refusal {
            form,
            alert: error.public_message(),
            values,
            ..Refusal::default()
        }),
        other => Err(other.into()),
    }
}

// ---- the member's page ----

#[derive(Template)]
#[template(path = "partners/index.html")]
struct IndexPage {
    ctx: PageCtx,
    options: Vec<PartnerScopeOption>,
    partnerships: Vec<PartnershipView>,
    me: i64,
    may_manage_organisation: bool,
    refusal: Refusal,
}

async fn index_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    refusal: Refusal,
) -> Result<IndexPage, PageError> {
    Ok(IndexPage {
        ctx,
        options: state.app.partner_scope_options(viewer).await?,
        partnerships: state.app.my_partnerships(viewer).await?,
        me: viewer.id,
        may_manage_organisation: viewer.has(Role::Admin) || viewer.has(Role::Facilitator),
        refusal,
    })
}

pub async fn index(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    Ok(render(
        &index_page(&state, &viewer, ctx, Refusal::default()).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptInForm {
    #[serde(default)]
    space: String,
    #[serde(default)]
    focus: String,
    #[serde(default)]
    work_start: String,
    #[serde(default)]
    work_end: String,
    #[serde(default)]
    ask_again: String,
}

pub async fn opt_in(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<OptInForm>,
) -> Result<Response, PageError> {
    let ask_again = match form.ask_again.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| {
            PageError(AppError::invalid("ask_again", "Choose a previous partner."))
        })?),
    };
    let input = OptInInput {
        space: form.space.clone(),
        focus: form.focus.clone(),
        work_start: form.work_start.clone(),
        work_end: form.work_end.clone(),
        ask_again_user_id: ask_again,
    };
    match state.app.opt_in_for_partner(&viewer, &input).await {
        Ok(_) => Ok(Redirect::to("/partners").into_response()),
        Err(error) => {
            let mut refused = refusal(
                "opt_in",
                error,
                vec![
                    ("focus".into(), form.focus),
                    ("work_start".into(), form.work_start),
                    ("work_end".into(), form.work_end),
                ],
            )?;
            refused.scope_key = scope_key_of(&state, &viewer, &form.space).await;
            let page = index_page(&state, &viewer, ctx, refused).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
    }
}

/// Which option on the page a refused opt-in belongs to (0: the organisation).
async fn scope_key_of(state: &WebState, viewer: &Viewer, slug: &str) -> i64 {
    if slug.is_empty() {
        return 0;
    }
    state
        .app
        .space(viewer, slug)
        .await
        .map(|space| space.id)
        .unwrap_or(0)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpaceForm {
    #[serde(default)]
    space: String,
}

pub async fn opt_out(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<SpaceForm>,
) -> Result<Response, PageError> {
    state.app.opt_out_of_partners(&viewer, &form.space).await?;
    Ok(Redirect::to("/partners").into_response())
}

// ---- a partnership ----

#[derive(Template)]
#[template(path = "partners/partnership.html")]
struct PartnershipPage {
    ctx: PageCtx,
    partnership: PartnershipView,
    me: i64,
    weekdays: [&'static str; 7],
    refusal: Refusal,
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl PartnershipPage {
    fn checked_in_this_week(&self) -> bool {
        self.partnership
            .rhythm_of(self.me)
            .is_some_and(|r| r.checked_in_this_week)
    }

    fn partner_names(&self) -> String {
        self.partnership
            .partners_of(self.me)
            .iter()
            .map(|m| m.display_name.as_str())
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct BeforeQuery {
    #[serde(default)]
    before: Option<i64>,
}

async fn partnership_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
    before: Option<i64>,
    refusal: Refusal,
) -> Result<Response, PageError> {
    let status = if refusal.form.is_empty() {
        StatusCode::OK
    } else if refusal.alert.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::CONFLICT
    };
    let page = PartnershipPage {
        ctx,
        partnership: state.app.partnership(viewer, id, before).await?,
        me: viewer.id,
        weekdays: WEEKDAYS,
        refusal,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn partnership(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<BeforeQuery>,
) -> Result<Response, PageError> {
    partnership_page(&state, &viewer, ctx, id, query.before, Refusal::default()).await
}

/// A form that was refused: which, why, and what was typed.
type RefusedForm = (&'static str, AppError, Vec<(String, String)>);

/// Back to the partnership after a form: to the page, or re-shown with why it was refused.
async fn after(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
    outcome: Result<String, RefusedForm>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(anchor) => Ok(Redirect::to(&format!("/partners/{id}{anchor}")).into_response()),
        Err((form, error, values)) => {
            let refused = refusal(form, error, values)?;
            partnership_page(state, viewer, ctx, id, None, refused).await
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalForm {
    #[serde(default)]
    what: String,
    #[serde(default)]
    by_when: String,
    #[serde(default)]
    how_known: String,
}

pub async fn add_goal(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<GoalForm>,
) -> Result<Response, PageError> {
    let input = GoalInput {
        what: form.what.clone(),
        by_when: form.by_when.clone(),
        how_known: form.how_known.clone(),
    };
    let outcome = state
        .app
        .add_partner_goal(&viewer, id, &input)
        .await
        .map(|_| "#goals".to_owned())
        .map_err(|error| {
            (
                "goal",
                error,
                vec![
                    ("what".into(), form.what),
                    ("by_when".into(), form.by_when),
                    ("how_known".into(), form.how_known),
                ],
            )
        });
    after(&state, &viewer, ctx, id, outcome).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalStatusForm {
    status: String,
}

pub async fn goal_status(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPairPath(id, goal_id): IdPairPath,
    FormBody(form): FormBody<GoalStatusForm>,
) -> Result<Response, PageError> {
    state
        .app
        .set_partner_goal_status(&viewer, id, goal_id, &form.status)
        .await?;
    Ok(Redirect::to(&format!("/partners/{id}#goals")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInForm {
    #[serde(default)]
    progress: String,
    #[serde(default)]
    did: String,
    #[serde(default)]
    blockers: String,
    #[serde(default)]
    next_step: String,
}

pub async fn check_in(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<CheckInForm>,
) -> Result<Response, PageError> {
    let input = CheckInInput {
        // An absent or malformed choice is 0, which the rules refuse with a message.
        progress: form.progress.trim().parse().unwrap_or(0),
        did: form.did.clone(),
        blockers: form.blockers.clone(),
        next_step: form.next_step.clone(),
    };
    let outcome = state
        .app
        .check_in(&viewer, id, &input)
        .await
        .map(|check_in| format!("#check-in-{check_in}"))
        .map_err(|error| {
            (
                "check_in",
                error,
                vec![
                    ("progress".into(), form.progress),
                    ("did".into(), form.did),
                    ("blockers".into(), form.blockers),
                    ("next_step".into(), form.next_step),
                ],
            )
        });
    after(&state, &viewer, ctx, id, outcome).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

pub async fn reply(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPairPath(id, check_in_id): IdPairPath,
    FormBody(form): FormBody<ReplyForm>,
) -> Result<Response, PageError> {
    let outcome = state
        .app
        .reply_to_check_in(&viewer, id, check_in_id, &form.kind, &form.body)
        .await
        .map(|_| format!("#check-in-{check_in_id}"))
        .map_err(|error| {
            (
                "reply",
                error,
                vec![
                    ("check_in".into(), check_in_id.to_string()),
                    ("body".into(), form.body),
                ],
            )
        });
    after(&state, &viewer, ctx, id, outcome).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekdayForm {
    weekday: i64,
}

pub async fn weekday(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<WeekdayForm>,
) -> Result<Response, PageError> {
    state
        .app
        .set_check_in_day(&viewer, id, form.weekday)
        .await?;
    Ok(Redirect::to(&format!("/partners/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub async fn ask_for_new_partner(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<ReasonForm>,
) -> Result<Response, PageError> {
    let outcome = state
        .app
        .ask_for_new_partner(&viewer, id, &form.reason)
        .await
        .map(|()| "#new-partner".to_owned())
        .map_err(|error| ("new_partner", error, vec![("reason".into(), form.reason)]));
    after(&state, &viewer, ctx, id, outcome).await
}

// ---- the facilitator's overview ----

#[derive(Template)]
#[template(path = "partners/manage.html")]
struct ManagePage {
    ctx: PageCtx,
    overview: ScopeOverview,
    /// (partnerships, people) formed by the round just run.
    outcome: Option<(usize, usize)>,
    refusal: Refusal,
}

impl ManagePage {
    fn space_value(&self) -> &str {
        self.overview.scope.slug.as_deref().unwrap_or("")
    }

    /// (label, count, css class) for the health chart, largest first is not needed: the order
    /// is the order of concern.
    fn health_bars(&self) -> Vec<(&'static str, usize, &'static str)> {
        [
            PairHealth::Active,
            PairHealth::New,
            PairHealth::Quiet,
            PairHealth::Stalled,
        ]
        .into_iter()
        .map(|h| (h.label(), self.overview.count(h), h.as_str()))
        .collect()
    }

    fn bar_width(&self, count: usize) -> usize {
        let total = self.overview.pairs.len().max(1);
        count * 100 / total
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ScopeQuery {
    #[serde(default)]
    space: String,
    /// After a round (post/redirect/get): how many partnerships, for how many people.
    #[serde(default)]
    formed: Option<usize>,
    #[serde(default)]
    paired: Option<usize>,
}

fn space_arg(space: &str) -> Option<&str> {
    Some(space).filter(|s| !s.is_empty())
}

async fn manage_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    space: &str,
    outcome: Option<(usize, usize)>,
    refusal: Refusal,
) -> Result<Response, PageError> {
    let status = if refusal.form.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ManagePage {
        ctx,
        overview: state.app.partner_overview(viewer, space_arg(space)).await?,
        outcome,
        refusal,
    };
    Ok((status, render(&page)).into_response())
}

pub async fn manage(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<ScopeQuery>,
) -> Result<Response, PageError> {
    let outcome = query.formed.zip(query.paired);
    manage_page(
        &state,
        &viewer,
        ctx,
        &query.space,
        outcome,
        Refusal::default(),
    )
    .await
}

pub async fn round(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<SpaceForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .form_partner_pairs(&viewer, space_arg(&form.space))
        .await
    {
        // Back to the page with the counts, so reloading it does not run another round; who
        // still waits (and why) shows in its list.
        Ok(RoundOutcome {
            partnerships,
            people_paired,
            ..
        }) => {
            let to = manage_path(&form.space);
            let glue = if to.contains('?') { '&' } else { '?' };
            Ok(Redirect::to(&format!(
                "{to}{glue}formed={partnerships}&paired={people_paired}"
            ))
            .into_response())
        }
        Err(error) => {
            let refused = refusal("round", error, Vec::new())?;
            manage_page(&state, &viewer, ctx, &form.space, None, refused).await
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyForm {
    #[serde(default)]
    space: String,
    #[serde(default)]
    weekly: Option<String>,
}

pub async fn weekly(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<WeeklyForm>,
) -> Result<Response, PageError> {
    state
        .app
        .set_weekly_pairing(&viewer, space_arg(&form.space), form.weekly.is_some())
        .await?;
    Ok(Redirect::to(&manage_path(&form.space)).into_response())
}

fn manage_path(space: &str) -> String {
    match space_arg(space) {
        Some(slug) => format!("/partners/manage?space={}", urlencode(slug)),
        None => "/partners/manage".to_owned(),
    }
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub async fn pair_by_hand(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    form: FormPairs,
) -> Result<Response, PageError> {
    let space = form.all("space").into_iter().next().unwrap_or_default();
    let mut members = Vec::new();
    for raw in form.all("members") {
        match raw.parse::<i64>() {
            Ok(id) => members.push(id),
            Err(_) => {
                let refused = refusal(
                    "pair",
                    AppError::invalid("members", "Choose people from the list."),
                    Vec::new(),
                )?;
                return manage_page(&state, &viewer, ctx, &space, None, refused).await;
            }
        }
    }
    match state
        .app
        .pair_by_hand(&viewer, space_arg(&space), &members)
        .await
    {
        Ok(_) => Ok(Redirect::to(&manage_path(&space)).into_response()),
        Err(error) => {
            let refused = refusal("pair", error, Vec::new())?;
            manage_page(&state, &viewer, ctx, &space, None, refused).await
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndForm {
    #[serde(default)]
    space: String,
    #[serde(default)]
    reason: String,
}

pub async fn end(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<EndForm>,
) -> Result<Response, PageError> {
    match state.app.end_partnership(&viewer, id, &form.reason).await {
        Ok(()) => Ok(Redirect::to(&manage_path(&form.space)).into_response()),
        Err(error) => {
            let mut refused = refusal("end", error, vec![("reason".into(), form.reason)])?;
            refused.scope_key = id;
            manage_page(&state, &viewer, ctx, &form.space, None, refused).await
        }
    }
}
