//! Email preferences (`/me/email`) and the confirmation pages of one-click unsubscribe. The
//! unsubscribe itself is a POST served by `nexus` (no session, no CSRF token: RFC 8058); a GET
//! of the link never unsubscribes, because mail scanners fetch links.

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use guildhall_app::AppError;
use guildhall_app::email::{EmailPreferences, UnsubscribeTarget};
use guildhall_domain::FieldErrors;
use guildhall_domain::email::{Digest, List};
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/me/email", get(preferences).post(save))
        .route("/email/unsubscribe", get(confirm_unsubscribe))
        .route("/email/unsubscribed", get(unsubscribed))
}

#[derive(Template)]
#[template(path = "people/email.html")]
struct PreferencesPage {
    ctx: PageCtx,
    prefs: EmailPreferences,
    saved: bool,
    errors: FieldErrors,
}

/// One radio button of the digest choice.
struct DigestChoice {
    value: &'static str,
    label: &'static str,
    chosen: bool,
}

impl PreferencesPage {
    fn digests(&self) -> Vec<DigestChoice> {
        Digest::ALL
            .iter()
            .map(|d| DigestChoice {
                value: d.as_str(),
                label: d.label(),
                chosen: *d == self.prefs.digest,
            })
            .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    saved: bool,
}

pub async fn preferences(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<SavedQuery>,
) -> Result<Response, PageError> {
    let prefs = state.app.email_preferences(&viewer).await?;
    Ok(render(&PreferencesPage {
        ctx,
        prefs,
        saved: query.saved,
        errors: FieldErrors::new(),
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferencesForm {
    /// A checkbox: present ("yes") when ticked.
    #[serde(default)]
    notifications: String,
    #[serde(default)]
    digest: String,
}

pub async fn save(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<PreferencesForm>,
) -> Result<Response, PageError> {
    let notifications = form.notifications == "yes";
    match state
        .app
        .set_email_preferences(&viewer, notifications, &form.digest)
        .await
    {
        Ok(_) => Ok(Redirect::to("/me/email?saved=true").into_response()),
        Err(AppError::Invalid(errors)) => {
            let prefs = state.app.email_preferences(&viewer).await?;
            let page = PreferencesPage {
                ctx,
                prefs,
                saved: false,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "people/unsubscribe.html")]
struct ConfirmPage {
    ctx: PageCtx,
    token: String,
    target: UnsubscribeTarget,
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// Where a person lands from the link in an email: what the button would stop, and the button.
pub async fn confirm_unsubscribe(
    State(state): State<WebState>,
    ctx: PageCtx,
    QueryParams(query): QueryParams<TokenQuery>,
) -> Result<Response, PageError> {
    let target = state.app.unsubscribe_target(&query.token).await?;
    Ok(render(&ConfirmPage {
        ctx,
        token: query.token,
        target,
    }))
}

#[derive(Template)]
#[template(path = "people/unsubscribed.html")]
struct DonePage {
    ctx: PageCtx,
    label: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    list: String,
}

pub async fn unsubscribed(ctx: PageCtx, QueryParams(query): QueryParams<ListQuery>) -> Response {
    let label = List::parse(&query.list).map_or("these emails", List::label);
    render(&DonePage { ctx, label })
}
