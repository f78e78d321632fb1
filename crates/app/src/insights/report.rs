//! The public moderation transparency report: what the rules stopped and what moderators did,
//! by month, as counts only — no names, no texts.

use crate::{App, AppResult, clock};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use guildhall_domain::moderation::{Category, Verdict};
use guildhall_store::insights::report as store;
use serde::Serialize;
use std::collections::BTreeMap;

pub const MONTHS: u32 = 12;

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportMonth {
    /// The first day of the month.
    pub month: NaiveDate,
    /// Blocked as written: explicit content.
    pub blocked_explicit: i64,
    /// Blocked as written: mocking, rude, demeaning or threatening.
    pub blocked_hurtful: i64,
    /// Blocked as written: other rules (language, the organisation's word and link rules).
    pub blocked_other: i64,
    /// Held for a moderator by the rules.
    pub held: i64,
    /// Sent for review by their author after a nudge (disputes included).
    pub sent_for_review: i64,
    /// Reported by members.
    pub reported: i64,
    /// Review decisions: published after all, removed, escalated to HR.
    pub approved: i64,
    pub removed: i64,
    pub escalated: i64,
    /// Sanctions given (warnings, suspensions…).
    pub sanctions: i64,
}

fn month_of(at: DateTime<Utc>) -> NaiveDate {
    NaiveDate::from_ymd_opt(at.year(), at.month(), 1).unwrap_or_default()
}

impl App {
    /// The last twelve months, oldest first. Public.
    pub async fn transparency_report(&self) -> AppResult<Vec<ReportMonth>> {
        let now = clock::now();
        let this_month = month_of(now);
        let first = this_month
            .checked_sub_months(Months::new(MONTHS - 1))
            .unwrap_or(this_month);
        let since = first.and_hms_opt(0, 0, 0).map_or(now, |d| d.and_utc());
        let mut months: BTreeMap<NaiveDate, ReportMonth> = BTreeMap::new();
        let mut month = first;
        while month <= this_month {
            months.insert(
                month,
                ReportMonth {
                    month,
                    ..ReportMonth::default()
                },
            );
            month = month
                .checked_add_months(Months::new(1))
                .unwrap_or(NaiveDate::MAX);
        }
        for (at, verdict) in store::blocked_since(self.db(), since).await? {
            let category = serde_json::from_value::<Verdict>(verdict.0)
                .ok()
                .and_then(|v| v.reasons.first().map(|r| r.category));
            if let Some(row) = months.get_mut(&month_of(at)) {
                match category {
                    Some(Category::Explicit) => row.blocked_explicit += 1,
                    Some(Category::Rude | Category::Demeaning | Category::Threat) => {
                        row.blocked_hurtful += 1;
                    }
                    _ => row.blocked_other += 1,
                }
            }
        }
        for (at, source, status) in store::reviews_since(self.db(), since).await? {
            let Some(row) = months.get_mut(&month_of(at)) else {
                continue;
            };
            match source.as_str() {
                "held" => row.held += 1,
                "nudged" | "disputed" => row.sent_for_review += 1,
                "reported" => row.reported += 1,
                _ => {}
            }
            match status.as_str() {
                "approved" => row.approved += 1,
                "removed" => row.removed += 1,
                "escalated" => row.escalated += 1,
                _ => {}
            }
        }
        for (at, _) in store::sanctions_since(self.db(), since).await? {
            if let Some(row) = months.get_mut(&month_of(at)) {
                row.sanctions += 1;
            }
        }
        Ok(months.into_values().collect())
    }
}
