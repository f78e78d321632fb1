//! Two-factor authentication in the web face: the code step of signing in, and setting up an
//! authenticator app (QR code, recovery codes) or turning it off.

use super::cookies::{completed_sign_in_redirect, pending_cookie_name, safe_next};
use crate::WebState;
use crate::auth::{ClientInfo, Member, cookie};
use crate::error::PageError;
use crate::forms::{FormBody, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use guildhall_app::AppError;
use guildhall_app::people::{Enrolment, SecondFactorStatus};
use guildhall_domain::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "people/code.html")]
struct CodePage {
    ctx: PageCtx,
    next: String,
    errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn code_form(ctx: PageCtx, QueryParams(query): QueryParams<NextQuery>) -> Response {
    render(&CodePage {
        ctx,
        next: query.next,
        errors: FieldErrors::new(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn code(
    State(state): State<WebState>,
    ctx: PageCtx,
    client: ClientInfo,
    headers: HeaderMap,
    FormBody(form): FormBody<CodeForm>,
) -> Result<Response, PageError> {
    let pending = cookie(&headers, pending_cookie_name(&state)).unwrap_or_default();
    match state
        .app
        .complete_sign_in(pending, &form.code, &client.ip, &client.user_agent)
        .await
    {
        Ok(signed_in) => {
            let to = if state.app.conduct_pending(signed_in.user_id).await? {
                "/conduct"
            } else {
                safe_next(&form.next)
            };
            Ok(completed_sign_in_redirect(&state, signed_in.token, to))
        }
        Err(AppError::Invalid(errors)) => {
            let page = CodePage {
                ctx,
                next: form.next,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "people/second_factor.html")]
struct SettingsPage {
    ctx: PageCtx,
    status: SecondFactorStatus,
    enrolment: Option<Enrolment>,
    qr_svg: String,
    recovery_codes: Vec<String>,
    errors: FieldErrors,
}

fn settings_page(ctx: PageCtx, status: SecondFactorStatus) -> SettingsPage {
    SettingsPage {
        ctx,
        status,
        enrolment: None,
        qr_svg: String::new(),
        recovery_codes: Vec::new(),
        errors: FieldErrors::new(),
    }
}

/// The QR code of the `otpauth://` address, as inline SVG (no script, no external request).
fn qr_svg(url: &str) -> String {
    qrcode::QrCode::new(url.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .build()
        })
        .unwrap_or_default()
}

pub async fn settings(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let status = state.app.second_factor_status(&viewer).await?;
    Ok(render(&settings_page(ctx, status)))
}

pub async fn start(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let enrolment = state.app.begin_second_factor(&viewer).await?;
    let mut page = settings_page(ctx, state.app.second_factor_status(&viewer).await?);
    page.qr_svg = qr_svg(&enrolment.otpauth_url);
    page.enrolment = Some(enrolment);
    Ok(render(&page))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmForm {
    #[serde(default)]
    code: String,
}

pub async fn confirm(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<ConfirmForm>,
) -> Result<Response, PageError> {
    match state.app.confirm_second_factor(&viewer, &form.code).await {
        Ok(codes) => {
            let mut page = settings_page(ctx, state.app.second_factor_status(&viewer).await?);
            page.recovery_codes = codes;
            Ok(render(&page))
        }
        Err(AppError::Invalid(errors)) => {
            // The same secret again, with the reason by the field: the app already holds it.
            let mut page = settings_page(ctx, state.app.second_factor_status(&viewer).await?);
            if let Some(enrolment) = state.app.pending_second_factor(&viewer).await? {
                page.qr_svg = qr_svg(&enrolment.otpauth_url);
                page.enrolment = Some(enrolment);
            }
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn disable(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<ConfirmForm>,
) -> Result<Response, PageError> {
    let result = state.app.disable_second_factor(&viewer, &form.code).await;
    let mut page = settings_page(ctx, state.app.second_factor_status(&viewer).await?);
    match result {
        Ok(()) => Ok(render(&page)),
        Err(AppError::Invalid(errors)) => {
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
