//! The administrator's side of the rules: word and link rules with a "test this text" box, and
//! publishing the code of conduct.

use crate::WebState;
use crate::auth::Admin;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::moderation::{ConductView, RulesView};
use guildhall_domain::FieldErrors;
use guildhall_domain::moderation::{RuleAction, Verdict};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "moderation/rules.html")]
struct RulesPage {
    ctx: PageCtx,
    rules: RulesView,
    actions: [RuleAction; 4],
    errors: FieldErrors,
    test_text: String,
    verdict: Option<Verdict>,
}

async fn rules_page(
    state: &WebState,
    viewer: &guildhall_app::people::Viewer,
    ctx: PageCtx,
) -> Result<RulesPage, PageError> {
    Ok(RulesPage {
        ctx,
        rules: state.app.moderation_rules(viewer).await?,
        actions: RuleAction::ALL,
        errors: FieldErrors::new(),
        test_text: String::new(),
        verdict: None,
    })
}

pub async fn rules(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    Ok(render(&rules_page(&state, &viewer, ctx).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordRuleForm {
    #[serde(default)]
    pattern: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    replacement: String,
}

/// Shows the rules page again with the field errors, or goes back to it.
async fn after_change(
    state: &WebState,
    viewer: &guildhall_app::people::Viewer,
    ctx: PageCtx,
    result: Result<(), AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to("/admin/rules").into_response()),
        Err(AppError::Invalid(errors)) => {
            let mut page = rules_page(state, viewer, ctx).await?;
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn save_word(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<WordRuleForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .save_word_rule(&viewer, &form.pattern, &form.action, &form.replacement)
        .await;
    after_change(&state, &viewer, ctx, result).await
}

pub async fn delete_word(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.delete_word_rule(&viewer, id).await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRuleForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    policy: String,
}

pub async fn save_link(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<LinkRuleForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .save_link_rule(&viewer, &form.domain, &form.policy)
        .await;
    after_change(&state, &viewer, ctx, result).await
}

pub async fn delete_link(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.delete_link_rule(&viewer, id).await?;
    Ok(Redirect::to("/admin/rules").into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestForm {
    #[serde(default)]
    text: String,
}

pub async fn test_text(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<TestForm>,
) -> Result<Response, PageError> {
    let mut page = rules_page(&state, &viewer, ctx).await?;
    page.verdict = Some(state.app.check_text(&form.text).await?);
    page.test_text = form.text;
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "moderation/conduct_admin.html")]
struct ConductAdminPage {
    ctx: PageCtx,
    current: Option<ConductView>,
    draft: String,
    errors: FieldErrors,
}

pub async fn conduct(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let current = state.app.conduct(&viewer).await?;
    let draft = current.as_ref().map(|c| c.body.clone()).unwrap_or_default();
    Ok(render(&ConductAdminPage {
        ctx,
        current,
        draft,
        errors: FieldErrors::new(),
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConductForm {
    #[serde(default)]
    body: String,
}

pub async fn publish_conduct(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<ConductForm>,
) -> Result<Response, PageError> {
    match state.app.publish_conduct(&viewer, &form.body).await {
        Ok(_) => Ok(Redirect::to("/conduct").into_response()),
        Err(AppError::Invalid(errors)) => {
            let current = state.app.conduct(&viewer).await?;
            let page = ConductAdminPage {
                ctx,
                current,
                draft: form.body,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
