//! First-run setup, sign-up (also by invitation), sign-in and sign-out pages.

use super::cookies::{safe_next, second_factor_redirect, signed_in_redirect, signed_out_redirect};
use crate::WebState;
use crate::auth::{ClientInfo, CurrentViewer, session_token};
use crate::error::PageError;
use crate::forms::{FormBody, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::people::{NewPerson, SignInStep, SsoButton};
use guildhall_domain::FieldErrors;
use guildhall_domain::people::SignupMode;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonForm {
    given_name: String,
    family_name: String,
    email: String,
    password: String,
}

impl PersonForm {
    fn to_new_person(&self) -> NewPerson {
        NewPerson {
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            email: self.email.clone(),
            password: self.password.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "people/setup.html")]
struct SetupPage {
    ctx: PageCtx,
    form: PersonForm,
    errors: FieldErrors,
    alert: String,
}

#[derive(Template)]
#[template(path = "people/signin.html")]
struct SignInPage {
    ctx: PageCtx,
    email: String,
    next: String,
    errors: FieldErrors,
    alert: String,
    signup_open: bool,
    /// Suspended or banned: the appeal form appears beside the reason.
    can_appeal: bool,
    appeal_sent: bool,
    /// One button per identity provider.
    sso: Vec<SsoButton>,
    /// Off when the organisation signs in through its identity providers only.
    password_sign_in: bool,
}

#[derive(Template)]
#[template(path = "people/signup.html")]
struct SignUpPage {
    ctx: PageCtx,
    form: PersonForm,
    errors: FieldErrors,
    alert: String,
    notice: String,
    invitation: Option<String>,
}

/// A failed form: field errors re-render the form (422); anything else becomes an alert on it.
fn form_failure(error: AppError) -> Result<(StatusCode, FieldErrors, String), PageError> {
    match error {
        AppError::Invalid(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            "Please correct the fields marked below.".into(),
        )),
        AppError::Internal(_) | AppError::Unauthenticated => Err(PageError(error)),
        other => Ok((
            crate::error::status_of(&other),
            FieldErrors::new(),
            other.public_message(),
        )),
    }
}

pub async fn setup_form(
    State(state): State<WebState>,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    if !state.app.needs_setup().await? {
        return Ok(Redirect::to("/signin").into_response());
    }
    Ok(render(&SetupPage {
        ctx,
        form: PersonForm::default(),
        errors: FieldErrors::new(),
        alert: String::new(),
    }))
}

pub async fn setup(
    State(state): State<WebState>,
    ctx: PageCtx,
    client: ClientInfo,
    FormBody(form): FormBody<PersonForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .set_up_first_admin(&form.to_new_person(), &client.ip, &client.user_agent)
        .await
    {
        Ok(signed_in) => Ok(signed_in_redirect(&state, signed_in.token, "/")),
        Err(error @ AppError::Conflict { .. }) => Err(error.into()),
        Err(error) => {
            let (status, errors, alert) = form_failure(error)?;
            Ok((
                status,
                render(&SetupPage {
                    ctx,
                    form,
                    errors,
                    alert,
                }),
            )
                .into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

async fn signup_open(state: &WebState) -> Result<bool, PageError> {
    Ok(state.app.signup_policy().await?.mode != SignupMode::Invitation)
}

pub async fn sign_in_form(
    State(state): State<WebState>,
    CurrentViewer(viewer): CurrentViewer,
    ctx: PageCtx,
    QueryParams(query): QueryParams<NextQuery>,
) -> Result<Response, PageError> {
    if viewer.is_some() {
        return Ok(Redirect::to(safe_next(&query.next)).into_response());
    }
    let signup_open = signup_open(&state).await?;
    Ok(render(&SignInPage {
        ctx,
        email: String::new(),
        next: query.next,
        errors: FieldErrors::new(),
        alert: String::new(),
        signup_open,
        can_appeal: false,
        appeal_sent: false,
        sso: state.app.sso_buttons(),
        password_sign_in: state.app.settings().auth.password_sign_in,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn sign_in(
    State(state): State<WebState>,
    ctx: PageCtx,
    client: ClientInfo,
    FormBody(form): FormBody<SignInForm>,
) -> Result<Response, PageError> {
    if !state.app.settings().auth.password_sign_in {
        return Err(AppError::forbidden(
            "password_sign_in_off",
            "Sign-in with a password is turned off here: use your organisation's sign-in button.",
        )
        .into());
    }
    match state
        .app
        .sign_in(&form.email, &form.password, &client.ip, &client.user_agent)
        .await
    {
        Ok(SignInStep::SecondFactor { pending }) => Ok(second_factor_redirect(
            &state,
            pending,
            safe_next(&form.next),
        )),
        Ok(SignInStep::SignedIn(signed_in)) => {
            let to = if state.app.conduct_pending(signed_in.user_id).await? {
                "/conduct"
            } else {
                safe_next(&form.next)
            };
            Ok(signed_in_redirect(&state, signed_in.token, to))
        }
        Err(error) => {
            let retry_after = match &error {
                AppError::RateLimited { retry_after_secs } => Some(retry_after_secs.to_string()),
                _ => None,
            };
            let can_appeal = matches!(error.code(), "account_suspended" | "account_banned");
            let (status, errors, alert) = form_failure(error)?;
            let signup_open = signup_open(&state).await?;
            let page = SignInPage {
                ctx,
                email: form.email,
                next: form.next,
                errors,
                alert,
                signup_open,
                can_appeal,
                appeal_sent: false,
                sso: state.app.sso_buttons(),
                password_sign_in: state.app.settings().auth.password_sign_in,
            };
            let mut response = (status, render(&page)).into_response();
            if let Some(value) =
                retry_after.and_then(|v| axum::http::HeaderValue::from_str(&v).ok())
            {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
            Ok(response)
        }
    }
}

fn signup_notice(mode: SignupMode, domains: &[String]) -> String {
    match mode {
        SignupMode::Open => String::new(),
        SignupMode::Domains => format!("Use your work email address ({}).", domains.join(", ")),
        SignupMode::Invitation => "Joining needs an invitation link from an administrator.".into(),
    }
}

pub async fn sign_up_form(
    State(state): State<WebState>,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let policy = state.app.signup_policy().await?;
    let notice = signup_notice(policy.mode, &policy.allowed_domains);
    Ok(render(&SignUpPage {
        ctx,
        form: PersonForm::default(),
        errors: FieldErrors::new(),
        alert: String::new(),
        notice,
        invitation: None,
    }))
}

async fn sign_up_with(
    state: WebState,
    ctx: PageCtx,
    client: ClientInfo,
    form: PersonForm,
    invitation: Option<String>,
) -> Result<Response, PageError> {
    match state
        .app
        .sign_up(
            &form.to_new_person(),
            invitation.as_deref(),
            &client.ip,
            &client.user_agent,
        )
        .await
    {
        Ok(signed_in) => {
            let to = if state.app.conduct_pending(signed_in.user_id).await? {
                "/conduct"
            } else {
                "/"
            };
            Ok(signed_in_redirect(&state, signed_in.token, to))
        }
        Err(error) => {
            let (status, errors, alert) = form_failure(error)?;
            let policy = state.app.signup_policy().await?;
            let notice = if invitation.is_some() {
                String::new()
            } else {
                signup_notice(policy.mode, &policy.allowed_domains)
            };
            Ok((
                status,
                render(&SignUpPage {
                    ctx,
                    form,
                    errors,
                    alert,
                    notice,
                    invitation,
                }),
            )
                .into_response())
        }
    }
}

pub async fn sign_up(
    State(state): State<WebState>,
    ctx: PageCtx,
    client: ClientInfo,
    FormBody(form): FormBody<PersonForm>,
) -> Result<Response, PageError> {
    sign_up_with(state, ctx, client, form, None).await
}

pub async fn join_form(
    State(state): State<WebState>,
    ctx: PageCtx,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let email = state.app.check_invitation(&token).await?;
    let form = PersonForm {
        email: email.unwrap_or_default(),
        ..PersonForm::default()
    };
    Ok(render(&SignUpPage {
        ctx,
        form,
        errors: FieldErrors::new(),
        alert: String::new(),
        notice: String::new(),
        invitation: Some(token),
    }))
}

pub async fn join(
    State(state): State<WebState>,
    ctx: PageCtx,
    client: ClientInfo,
    Path(token): Path<String>,
    FormBody(form): FormBody<PersonForm>,
) -> Result<Response, PageError> {
    sign_up_with(state, ctx, client, form, Some(token)).await
}

pub async fn sign_out(
    State(state): State<WebState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(token) = session_token(&headers, &state) {
        state.app.sign_out(token).await?;
    }
    Ok(signed_out_redirect(&state, "/signin"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockedOutAppealForm {
    email: String,
    password: String,
    #[serde(default)]
    statement: String,
}

/// A suspended or banned person appeals from the sign-in page: they cannot sign in to reach
/// their moderation history, so the password proves who they are.
pub async fn appeal_locked_out(
    State(state): State<WebState>,
    ctx: PageCtx,
    client: ClientInfo,
    FormBody(form): FormBody<LockedOutAppealForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .appeal_locked_out(&form.email, &form.password, &client.ip, &form.statement)
        .await;
    let (status, errors, alert, appeal_sent) = match result {
        Ok(()) => (
            StatusCode::OK,
            FieldErrors::new(),
            "Your appeal was sent: a different moderator decides and you will be told.".into(),
            true,
        ),
        Err(error) => {
            let (status, errors, alert) = form_failure(error)?;
            (status, errors, alert, false)
        }
    };
    let page = SignInPage {
        ctx,
        email: form.email,
        next: String::new(),
        errors,
        alert,
        signup_open: signup_open(&state).await?,
        can_appeal: !appeal_sent,
        appeal_sent,
        sso: state.app.sso_buttons(),
        password_sign_in: state.app.settings().auth.password_sign_in,
    };
    Ok((status, render(&page)).into_response())
}

/// The sign-in page with an alert: how a refused single sign-on comes back to the person.
pub(super) async fn sign_in_refused(
    state: &WebState,
    ctx: PageCtx,
    status: StatusCode,
    alert: String,
) -> Result<Response, PageError> {
    let page = SignInPage {
        ctx,
        email: String::new(),
        next: String::new(),
        errors: FieldErrors::new(),
        alert,
        signup_open: signup_open(state).await?,
        can_appeal: false,
        appeal_sent: false,
        sso: state.app.sso_buttons(),
        password_sign_in: state.app.settings().auth.password_sign_in,
    };
    Ok((status, render(&page)).into_response())
}
