//! The periodic care of partnerships, run by the worker: weekly rounds that are due, a reminder
//! once a week to whoever has not checked in yet, and a care signal when someone misses two
//! check-ins in a row (recorded for the insights work; never shown to HR or managers).

use super::pairing::RoundOutcome;
use crate::notify::{NotificationKind, record_linked};
use crate::{App, AppResult};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use guildhall_domain::partners::check_ins::{
    Attendance, MISSED_WEEKS_SIGNAL, first_period, period_of, weekday_from_index,
};
use guildhall_store::partners::{self as store, NewHelpSignal, PartnershipRow};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
            let mut members: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
            for m in store::members_between(self.db(), from, to).await? {
                members
                    .entry(m.partnership_id)
                    .or_default()
                    .push((m.user_id, m.display_name));
            }
            let mut weeks: BTreeMap<(i64, i64), BTreeSet<NaiveDate>> = BTreeMap::new();
            for (partnership_id, user_id, period) in
                store::check_in_weeks_between(self.db(), from, to, since).await?
            {
                weeks
                    .entry((partnership_id, user_id))
                    .or_default()
                    .insert(period);
            }
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
        people: &[(i64, String)],
        weeks: &BTreeMap<(i64, i64), BTreeSet<NaiveDate>>,
        today: NaiveDate,
    ) -> AppResult<Tended> {
        let mut tended = Tended::default();
        let weekday = weekday_from_index(row.check_in_weekday).unwrap_or(chrono::Weekday::Mon);
        let first = first_period(row.formed_at.date_naive(), weekday);
        let current = period_of(today, weekday);
        let empty = BTreeSet::new();
        for (user_id, _) in people {
            let attendance = Attendance {
                first,
                today,
                weekday,
                checked: weeks.get(&(row.id, *user_id)).unwrap_or(&empty),
            };
            let partners: Vec<&str> = people
                .iter()
                .filter(|(other, _)| other != user_id)
                .map(|(_, name)| name.as_str())
                .collect();
            let mut tx = self.db().begin().await?;
            if current >= first
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
                let recorded = store::record_help_signal(
                    &mut tx,
                    &NewHelpSignal {
                        user_id: *user_id,
                        kind: "missed_check_ins",
                        subject: &format!("partnership:{}", row.id),
                        period: first_missed,
                        reason: &format!(
                            "Missed {missed} weekly check-ins in a row with their accountability partner (since the week of {first_missed})."
                        ),
                        now: crate::clock::now(),
                    },
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
