//! The periodic care of partnerships, run by the worker: weekly rounds that are due, a reminder
//! once a week to whoever has not checked in yet, and a care signal when someone misses two
//! check-ins in a row (recorded for the insights work; never shown to HR or managers).

use super::pairing::RoundOutcome;
use super::{PartnerMember, Weeks, attendance, check_in_weekday, group_members, group_weeks};
use crate::insights;
use crate::notify::{NotificationKind, record_linked};
use crate::{App, AppResult};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use guildhall_domain::insights::SignalKind;
use guildhall_domain::partners::check_ins::{MISSED_WEEKS_SIGNAL, period_of};
use guildhall_store::insights::NewHelpSignal;
use guildhall_store::partners::{self as store, PartnershipRow};
use serde::Serialize;

/// Partnerships read per page while tending.
const TEND_PAGE: i64 = 200;
/// Weeks of check-ins read back: enough to see a run of missed weeks start.
const TEND_WEEKS: i64 = 8;

/// What one pass of tending did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Tended {
    pub rounds: usize,
    pub reminders: usize,
    pub care_signals: usize,
}

impl App {
    /// One pass over every scope and partnership as of `at` (the worker passes now; tests pass
    /// a later day to see weeks go by).
    pub async fn tend_partnerships(&self, at: DateTime<Utc>) -> AppResult<Tended> {
        let mut tended = Tended::default();
        for round in store::due_rounds(self.db(), at - Duration::days(7)).await? {
            let scope = match self.scope_of(round.space_id).await {
                Ok(scope) => scope,
                Err(error) => {
                    tracing::warn!(scope = round.scope_key, %error, "weekly round skipped");
                    continue;
                }
            };
            match self.pairing_round(&scope, None, at).await {
                Ok(RoundOutcome { .. }) => tended.rounds += 1,
                Err(error) => {
                    tracing::warn!(scope = round.scope_key, %error, "weekly round failed")
                }
            }
        }
        let today = at.date_naive();
        let since = today - Duration::weeks(TEND_WEEKS);
        let mut after = 0;
        loop {
            let page = store::active_after(self.db(), after, TEND_PAGE).await?;
            let (Some(first), Some(last)) = (page.first(), page.last()) else {
                break;
            };
            let (from, to) = (first.id, last.id);
            after = to;
            let mut members = group_members(store::members_between(self.db(), from, to).await?);
            let weeks =
                group_weeks(store::check_in_weeks_between(self.db(), from, to, since).await?);
            for row in &page {
                let people = members.remove(&row.id).unwrap_or_default();
                let done = self.tend_one(row, &people, &weeks, today).await?;
                tended.reminders += done.reminders;
                tended.care_signals += done.care_signals;
            }
        }
        Ok(tended)
    }

    async fn tend_one(
        &self,
        row: &PartnershipRow,
        people: &[PartnerMember],
        weeks: &Weeks,
        today: NaiveDate,
    ) -> AppResult<Tended> {
        let mut tended = Tended::default();
        let current = period_of(today, check_in_weekday(row));
        for person in people {
            let user_id = &person.user_id;
            let attendance = attendance(row, *user_id, today, weeks);
            let partners: Vec<&str> = people
                .iter()
                .filter(|other| other.user_id != *user_id)
                .map(|other| other.display_name.as_str())
                .collect();
            let mut tx = self.db().begin().await?;
            if current >= attendance.first
                && !attendance.checked_in_this_week()
                && store::note_reminder(&mut tx, row.id, *user_id, current).await?
            {
                let sentence = format!(
                    "It is check-in week with {}: how did it go? Your partner will see it.",
                    partners.join(" and ")
                );
                record_linked(
                    &mut tx,
                    *user_id,
                    NotificationKind::Partners,
                    None,
                    &sentence,
                    &format!("/partners/{}#check-in", row.id),
                )
                .await?;
                tended.reminders += 1;
            }
            if let Some((missed, first_missed)) = attendance.missed_run()
                && missed >= MISSED_WEEKS_SIGNAL
            {
                let recorded = insights::record(
                    &mut tx,
                    &NewHelpSignal {
                        user_id: *user_id,
                        kind: SignalKind::MissedCheckIns.as_str(),
                        subject: &format!("partnership:{}", row.id),
                        period: first_missed,
                        reason: &format!(
                            "Missed {missed} weekly check-ins in a row with their accountability partner (since the week of {first_missed})."
                        ),
                        space_id: row.space_id,
                        link: &format!("/partners/{}", row.id),
                        now: crate::clock::now(),
                    },
                    SignalKind::MissedCheckIns,
                )
                .await?;
                if recorded {
                    tended.care_signals += 1;
                }
            }
            tx.commit().await?;
        }
        Ok(tended)
    }
}
