//! HR cases. Every handler takes the `Hr` extractor (403 for anyone without the role) and the
//! use cases take an `HrOfficer`, so no other role reaches a case through the web.

use crate::WebState;
use crate::auth::Hr;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::moderation::{
    AuditEntry, CaseDetail, CaseOutcome, CaseStatus, CaseSummary, HrOfficer,
};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "hr/cases.html")]
struct CasesPage {
    ctx: PageCtx,
    cases: Vec<CaseSummary>,
    status: String,
}

#[derive(Debug, Deserialize)]
pub struct CasesQuery {
    #[serde(default)]
    status: String,
}

pub async fn cases(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    ctx: PageCtx,
    QueryParams(query): QueryParams<CasesQuery>,
) -> Result<Response, PageError> {
    let officer = HrOfficer::new(&viewer)?;
    let cases = state
        .app
        .hr_cases(&officer, CaseStatus::parse(&query.status))
        .await?;
    Ok(render(&CasesPage {
        ctx,
        cases,
        status: query.status,
    }))
}

#[derive(Template)]
#[template(path = "hr/case.html")]
struct CasePage {
    ctx: PageCtx,
    detail: CaseDetail,
    evidence: String,
    statuses: [CaseStatus; 3],
    outcomes: [CaseOutcome; 5],
}

pub async fn case(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let officer = HrOfficer::new(&viewer)?;
    let detail = state.app.hr_case(&officer, id).await?;
    let evidence = serde_json::to_string_pretty(&detail.evidence).unwrap_or_default();
    Ok(render(&CasePage {
        ctx,
        detail,
        evidence,
        statuses: CaseStatus::ALL,
        outcomes: CaseOutcome::ALL,
    }))
}

/// The image of an explicit-image case, as a download (never shown inline), audited.
pub async fn image(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let officer = HrOfficer::new(&viewer)?;
    let file = state.app.hr_evidence_image(&officer, id).await?;
    let headers = [
        (header::CONTENT_TYPE, file.kind.content_type().to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", file.file_name),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox".to_owned(),
        ),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, file.bytes).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
}

pub async fn note(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    IdPath(id): IdPath,
    FormBody(form): FormBody<NoteForm>,
) -> Result<Response, PageError> {
    let officer = HrOfficer::new(&viewer)?;
    state.app.hr_add_note(&officer, id, &form.body).await?;
    Ok(Redirect::to(&format!("/hr/cases/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateForm {
    status: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    outcome_note: String,
    #[serde(default)]
    tell_member: Option<String>,
}

pub async fn update(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    IdPath(id): IdPath,
    FormBody(form): FormBody<UpdateForm>,
) -> Result<Response, PageError> {
    let officer = HrOfficer::new(&viewer)?;
    let status = CaseStatus::parse(&form.status)
        .ok_or_else(|| AppError::invalid("status", "Choose a status."))?;
    state
        .app
        .hr_update_case(
            &officer,
            id,
            status,
            CaseOutcome::parse(&form.outcome),
            &form.outcome_note,
            form.tell_member.is_some(),
        )
        .await?;
    Ok(Redirect::to(&format!("/hr/cases/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "hr/audit.html")]
struct AuditPage {
    ctx: PageCtx,
    entries: Vec<AuditEntry>,
}

pub async fn audit(
    State(state): State<WebState>,
    Hr { 0: viewer, .. }: Hr,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let officer = HrOfficer::new(&viewer)?;
    let entries = state.app.hr_audit_log(&officer).await?;
    Ok(render(&AuditPage { ctx, entries }))
}
