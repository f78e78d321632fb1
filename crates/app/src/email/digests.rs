//! Scheduling digests: from `App::maintain`, every member whose period has ended gets one
//! digest effect, recorded in the same transaction that moves their period on — so a digest
//! is neither lost nor sent twice when several workers run.

use super::{DIGEST_EMAIL, DigestEmail};
use crate::{App, AppError, AppResult};
use chrono::{DateTime, Utc};
use guildhall_domain::email::Digest;
use guildhall_store::email as store;

/// Members scheduled per frequency and round; the rest wait for the next round (ten minutes).
const BATCH: i64 = 500;

impl App {
    /// Records the digests due at `now`; returns how many. Tests call it with a later `now`.
    pub async fn schedule_digests(&self, now: DateTime<Utc>) -> AppResult<usize> {
        if !self.settings().email.enabled {
            return Ok(0);
        }
        let mut scheduled = 0;
        for digest in [Digest::Daily, Digest::Weekly] {
            let Some(period) = digest.period() else {
                continue;
            };
            let due = store::due_digests(self.db(), digest.as_str(), now - period, BATCH).await?;
            for member in due {
                let payload = serde_json::to_value(DigestEmail {
                    user_id: member.user_id,
                    since: member.digest_sent_at,
                    until: now,
                })
                .map_err(|e| AppError::Internal(e.to_string()))?;
                let mut tx = self.db().begin().await?;
                if store::advance_digest(&mut tx, member.user_id, member.digest_sent_at, now)
                    .await?
                {
                    guildhall_store::outbox::enqueue(&mut tx, DIGEST_EMAIL, &payload, now).await?;
                    scheduled += 1;
                }
                tx.commit().await?;
            }
        }
        Ok(scheduled)
    }
}
