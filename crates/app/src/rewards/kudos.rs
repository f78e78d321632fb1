//! Kudos: a short public thank-you, content-checked, on the recipient's profile and in the
//! recognition feed.

use crate::notify::{NotificationKind, record_linked};
use crate::people::{Viewer, before_cursor, photo_url};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::fields::single_line;
use guildhall_domain::people::Role;
use guildhall_domain::rewards::kudos::{may_thank, parse_message};
use guildhall_store::moderation::sanctions as sanctions_store;
use guildhall_store::rewards::kudos::{self as store, KudosRow};
use serde::Serialize;

const KUDOS_PAGE: i64 = 30;
/// Why a kudos was removed: one line for its giver and the public log.
const MAX_REASON_CHARS: usize = 280;

#[derive(Debug, Clone, Serialize)]
pub struct Kudos {
    pub id: i64,
    pub from_id: i64,
    pub from_name: String,
    pub from_photo: Option<String>,
    pub to_id: i64,
    pub to_name: String,
    pub to_photo: Option<String>,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

impl From<KudosRow> for Kudos {
    fn from(row: KudosRow) -> Self {
        Kudos {
            from_photo: photo_url(row.from_id, row.from_photo.as_deref()),
            to_photo: photo_url(row.to_id, row.to_photo.as_deref()),
            id: row.id,
            from_id: row.from_id,
            from_name: row.from_name,
            to_id: row.to_id,
            to_name: row.to_name,
            message: row.message,
            created_at: row.created_at,
        }
    }
}

impl App {
    /// Thanks a colleague in public; they are told. Returns the kudos' id.
    pub async fn give_kudos(&self, viewer: &Viewer, to: i64, message: &str) -> AppResult<i64> {
        let now = clock::now();
        let given_today = store::given_since(self.db(), viewer.id, now - Duration::days(1)).await?;
        may_thank(viewer.id, to, given_today).map_err(|m| AppError::invalid("person", m))?;
        let person = self.active_person(to).await?;
        let message = parse_message(message).map_err(|m| AppError::invalid("message", m))?;
        self.screen(
            viewer,
            crate::moderation::Place::Kudos,
            None,
            &[("message", &message)],
            false,
        )
        .await?;
        let mut tx = self.db().begin().await?;
        let id = store::insert_in(&mut tx, viewer.id, person.id, &message, now).await?;
        record_linked(
            &mut tx,
            person.id,
            NotificationKind::Recognition,
            Some(viewer.id),
            &format!("{} thanked you: {message}", viewer.display_name),
            &format!("/recognition#kudos-{id}"),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A moderator removes a kudos that breaks the community's rules, with a reason: it leaves
    /// the feed and the profile, the public moderation log says so, and its giver is told.
    pub async fn remove_kudos(&self, viewer: &Viewer, id: i64, reason: &str) -> AppResult<()> {
        if !viewer.has(Role::Moderator) {
            return Err(AppError::forbidden(
                "moderators_only",
                "Only moderators remove kudos.",
            ));
        }
        let reason = single_line(reason, MAX_REASON_CHARS)
            .map_err(|_| AppError::invalid("reason", "Say in one line why it is removed."))?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let (giver, _) = store::hide_in(&mut tx, id, now)
            .await?
            .ok_or(AppError::NotFound)?;
        sanctions_store::log(&mut tx, "removed", "Moderator", "kudos", &reason, now).await?;
        let sentence = format!("A moderator removed your kudos: {reason}");
        record_linked(
            &mut tx,
            giver,
            NotificationKind::Moderation,
            None,
            &sentence,
            "/conduct",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The recognition feed, or one person's kudos; newest first. Returns the next cursor.
    pub async fn kudos(
        &self,
        to: Option<i64>,
        before: Option<i64>,
    ) -> AppResult<(Vec<Kudos>, Option<i64>)> {
        let rows = store::feed(self.db(), to, before_cursor(before)?, KUDOS_PAGE).await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == KUDOS_PAGE)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        Ok((rows.into_iter().map(Kudos::from).collect(), next))
    }
}
