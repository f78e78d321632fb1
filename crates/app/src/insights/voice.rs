//! The gentle nudge of "listen more, talk less": a facilitator whose share of a space's words
//! stayed above `insights.facilitator_share` in each of the last two weeks is told so once a
//! week, with something concrete to try.

use crate::notify::{NotificationKind, record_linked};
use crate::{App, AppResult};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::insights::{talks_too_much, week_of, week_start};
use guildhall_store::insights::activity as store;

impl App {
    /// Once a day; each facilitator hears at most once a week per space. Returns how many were
    /// nudged.
    pub async fn nudge_talkative_facilitators(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let threshold = self.settings().insights.facilitator_share;
        let this_week = week_of(now);
        // The two full weeks before this one.
        let since = week_start(this_week - 2)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(now - Duration::weeks(3), |d| d.and_utc());
        let rows = store::spaces_with_facilitators(self.db()).await?;
        let mut nudged = 0;
        for space in rows.chunk_by(|a, b| a.0 == b.0) {
            let (space_id, slug, name, _) = &space[0];
            let weeks = store::weekly_posts(self.db(), Some(*space_id), since).await?;
            let shares: Vec<Option<f64>> = [this_week - 2, this_week - 1]
                .iter()
                .map(|w| {
                    let row = weeks.iter().find(|r| r.week == *w)?;
                    row.voice().facilitator_share()
                })
                .collect();
            if !talks_too_much(&shares, threshold) {
                continue;
            }
            let lowest = shares.iter().flatten().fold(1.0_f64, |a, b| a.min(*b));
            let (_, quiet) = store::never_wrote(self.db(), *space_id).await?;
            let invite = quiet
                .first()
                .map(|(_, who)| format!(", or invite {who}, who joined and has not written yet"))
                .unwrap_or_default();
            let sentence = format!(
                "In {name}, facilitators wrote at least {:.0} % of the words in each of the last \
                 two weeks. Listen more, talk less: ask an open question (“What was hardest to \
                 apply this week?”){invite}.",
                lowest * 100.0
            );
            let mut tx = self.db().begin().await?;
            for (_, _, _, facilitator) in space {
                if store::note_voice_nudge_in(&mut tx, *space_id, *facilitator, this_week).await? {
                    record_linked(
                        &mut tx,
                        *facilitator,
                        NotificationKind::Care,
                        None,
                        &sentence,
                        &format!("/s/{slug}/insights"),
                    )
                    .await?;
                    nudged += 1;
                }
            }
            tx.commit().await?;
        }
        Ok(nudged)
    }
}
