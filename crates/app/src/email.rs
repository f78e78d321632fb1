//! Email: notification emails and digests for members who choose them, one-click unsubscribe,
//! and replies by email. Messages are recorded as outbox effects here and written out by
//! [`App::notification_email`] / [`App::digest_email`]; `nexus` sends them over SMTP and
//! hands replies that arrive by email to [`App::reply_by_email`].

mod compose;
mod digests;
mod preferences;
mod replies;
mod tokens;

pub use compose::OutgoingEmail;
pub use preferences::{EmailPreferences, UnsubscribeTarget};
pub use replies::{EmailReplied, ReplyRefused};
pub use tokens::{EmailKey, ReplyAddress};

use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_store::Tx;
use guildhall_store::email::{self as store, RecipientRow};
use serde::{Deserialize, Serialize};

/// Effect kinds, carried out by `nexus` (they talk to the network).
pub const NOTIFICATION_EMAIL: &str = "email.notification";
pub const DIGEST_EMAIL: &str = "email.digest";

#[derive(Debug, Serialize, Deserialize)]
struct NotificationEmail {
    user_id: i64,
    notification_id: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct DigestEmail {
    user_id: i64,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
}

/// Whether a notification for `user_id` should also go out by email.
pub(crate) async fn wants_notification_emails(app: &App, user_id: i64) -> AppResult<bool> {
    if !app.settings().email.enabled {
        return Ok(false);
    }
    Ok(store::recipient(app.db(), user_id)
        .await?
        .is_some_and(|person| person.status == "active" && person.notifications))
}

/// Records the email of notification `notification_id`, in the transaction that writes it.
pub(crate) async fn record_notification_email(
    tx: &mut Tx,
    user_id: i64,
    notification_id: i64,
) -> AppResult<()> {
    let payload = serde_json::to_value(NotificationEmail {
        user_id,
        notification_id,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    guildhall_store::outbox::enqueue(tx, NOTIFICATION_EMAIL, &payload, clock::now()).await?;
    Ok(())
}

async fn recipient(app: &App, user_id: i64) -> AppResult<RecipientRow> {
    store::recipient(app.db(), user_id)
        .await?
        .ok_or(AppError::NotFound)
}
