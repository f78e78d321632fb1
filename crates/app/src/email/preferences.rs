//! Each member's choice: notification emails on or off, and a digest off, daily or weekly;
//! and leaving a list with one click from an email, without signing in (RFC 8058).

use super::recipient;
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::email::{Digest, List};
use guildhall_store::email::{self as store, Preferences};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct EmailPreferences {
    /// Where the emails go: the account's address.
    pub address: String,
    pub notifications: bool,
    pub digest: Digest,
    /// The end of the period the last digest covered.
    pub digest_sent_at: Option<DateTime<Utc>>,
    /// Whether this server sends email at all (an administrator's setting).
    pub sending: bool,
}

/// What a one-click unsubscribe link stops, shown before the member confirms.
#[derive(Debug, Clone, Serialize)]
pub struct UnsubscribeTarget {
    pub list: &'static str,
    pub label: &'static str,
    pub address: String,
}

impl App {
    pub async fn email_preferences(&self, viewer: &Viewer) -> AppResult<EmailPreferences> {
        let row = recipient(self, viewer.id).await?;
        Ok(EmailPreferences {
            address: row.email,
            notifications: row.notifications,
            digest: Digest::parse(&row.digest).unwrap_or_default(),
            digest_sent_at: row.digest_sent_at,
            sending: self.settings().email.enabled,
        })
    }

    /// Saves the member's choice. A digest that starts now covers from now on: nobody gets a
    /// first digest of everything that ever happened.
    pub async fn set_email_preferences(
        &self,
        viewer: &Viewer,
        notifications: bool,
        digest: &str,
    ) -> AppResult<EmailPreferences> {
        let digest =
            Digest::parse(digest).map_err(|message| AppError::invalid("digest", message))?;
        let current = recipient(self, viewer.id).await?;
        let now = clock::now();
        // Switching between daily and weekly keeps what is pending since the last digest.
        let digest_sent_at = match (Digest::parse(&current.digest), current.digest_sent_at) {
            _ if digest == Digest::Off => current.digest_sent_at,
            (Ok(before), Some(at)) if before != Digest::Off => Some(at),
            _ => Some(now),
        };
        let mut tx = self.db().begin().await?;
        store::save_preferences(
            &mut tx,
            &Preferences {
                user_id: viewer.id,
                notifications,
                digest: digest.as_str(),
                digest_sent_at,
                now,
            },
        )
        .await?;
        tx.commit().await?;
        self.email_preferences(viewer).await
    }

    /// What `token` would stop; "not found" for a token this server did not sign.
    pub async fn unsubscribe_target(&self, token: &str) -> AppResult<UnsubscribeTarget> {
        let (user_id, list) = self.verify_unsubscribe(token).await?;
        let row = recipient(self, user_id).await?;
        Ok(UnsubscribeTarget {
            list: list.as_str(),
            label: list.label(),
            address: row.email,
        })
    }

    /// One-click unsubscribe: the signed token is the whole proof, no session needed. Saying
    /// it twice is fine.
    pub async fn unsubscribe(&self, token: &str) -> AppResult<UnsubscribeTarget> {
        let (user_id, list) = self.verify_unsubscribe(token).await?;
        let row = recipient(self, user_id).await?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let changed = match list {
            List::Notifications => store::stop_notifications(&mut tx, user_id, now).await?,
            List::Digest => store::stop_digest(&mut tx, user_id, now).await?,
        };
        if changed {
            crate::outbox::record_audit(
                &mut tx,
                Some(user_id),
                "email.unsubscribed",
                &format!("user:{user_id}"),
                serde_json::json!({ "list": list.as_str() }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(UnsubscribeTarget {
            list: list.as_str(),
            label: list.label(),
            address: row.email,
        })
    }
}
