//! The JSON twin of `/me/email`.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::JsonBody;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use guildhall_app::email::EmailPreferences;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new().routes(routes!(email_preferences, set_email_preferences))
}

#[derive(Serialize, ToSchema)]
pub struct EmailPreferencesDto {
    /// Where the emails go: the account's address.
    address: String,
    /// Each notification also by email.
    notifications: bool,
    /// off, daily or weekly.
    digest: String,
    /// The end of the period the last digest covered (the next one starts there).
    digest_sent_at: Option<DateTime<Utc>>,
    /// Whether this server sends email at all.
    sending: bool,
}

impl From<EmailPreferences> for EmailPreferencesDto {
    fn from(p: EmailPreferences) -> Self {
        EmailPreferencesDto {
            address: p.address,
            notifications: p.notifications,
            digest: p.digest.as_str().to_owned(),
            digest_sent_at: p.digest_sent_at,
            sending: p.sending,
        }
    }
}

#[utoipa::path(get, path = "/me/email-preferences", tag = "people", responses((status = 200, body = EmailPreferencesDto)))]
async fn email_preferences(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> Result<Json<EmailPreferencesDto>, ApiError> {
    Ok(Json(state.app.email_preferences(&viewer).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailPreferencesBody {
    /// Each notification also by email.
    notifications: bool,
    /// off, daily or weekly.
    digest: String,
}

#[utoipa::path(put, path = "/me/email-preferences", tag = "people", request_body = EmailPreferencesBody, responses((status = 200, body = EmailPreferencesDto)))]
async fn set_email_preferences(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<EmailPreferencesBody>,
) -> Result<Json<EmailPreferencesDto>, ApiError> {
    let saved = state
        .app
        .set_email_preferences(&viewer, body.notifications, &body.digest)
        .await?;
    Ok(Json(saved.into()))
}
