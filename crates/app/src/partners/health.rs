//! What a facilitator sees of the partners in their scope: who waits, the pairs and how each is
//! going (new, active, quiet, stalled), streaks, and private requests for a new partner. Never the
//! goals or check-ins themselves: those belong to the pair.

use super::pairing::Waiting;
use super::{
    PartnerMember, PartnerScope, attendance, check_in_weekday, group_members, group_weeks,
    weekday_label,
};
use crate::people::Viewer;
use crate::{App, AppResult, clock};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use guildhall_domain::partners::check_ins::{Attendance, PairHealth, pair_health, period_of};
use guildhall_store::partners as store;
use serde::Serialize;

/// Weeks read back for the health of every pair in a scope.
const HEALTH_WEEKS: i64 = 8;

#[derive(Debug, Clone, Serialize)]
pub struct PairOverview {
    pub id: i64,
    pub members: Vec<PartnerMember>,
    pub health: PairHealth,
    pub formed_at: DateTime<Utc>,
    pub check_in_day: &'static str,
    /// The latest week anyone in the pair checked in (a date, never the content).
    pub last_check_in_week: Option<NaiveDate>,
    /// The shortest streak in the pair.
    pub streak: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRequestView {
    pub id: i64,
    pub partnership_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScopeOverview {
    pub scope: PartnerScope,
    pub opted_in: i64,
    pub weekly: bool,
    pub last_round_at: Option<DateTime<Utc>>,
    pub waiting: Vec<Waiting>,
    pub pairs: Vec<PairOverview>,
    pub change_requests: Vec<ChangeRequestView>,
}

impl ScopeOverview {
    pub fn count(&self, health: PairHealth) -> usize {
        self.pairs.iter().filter(|p| p.health == health).count()
    }
}

impl App {
    /// The facilitator's view of a scope's partners.
    pub async fn partner_overview(
        &self,
        viewer: &Viewer,
        space: Option<&str>,
    ) -> AppResult<ScopeOverview> {
        let scope = self.managed_scope(viewer, space).await?;
        let key = scope.key();
        let today = clock::now().date_naive();
        let rows = store::active_in_scope(self.db(), key).await?;
        let mut members = group_members(store::members_in_scope(self.db(), key).await?);
        let since = today - Duration::weeks(HEALTH_WEEKS);
        let weeks = group_weeks(store::check_in_weeks(self.db(), None, key, since).await?);
        let pairs = rows
            .into_iter()
            .map(|row| {
                let people = members.remove(&row.id).unwrap_or_default();
                let weekday = check_in_weekday(&row);
                let attendance: Vec<Attendance<'_>> = people
                    .iter()
                    .map(|m| attendance(&row, m.user_id, today, &weeks))
                    .collect();
                let last_check_in_week = people
                    .iter()
                    .filter_map(|m| weeks.get(&(row.id, m.user_id))?.last().copied())
                    .max()
                    .filter(|week| *week <= period_of(today, weekday));
                PairOverview {
                    id: row.id,
                    health: pair_health(&attendance),
                    streak: attendance.iter().map(Attendance::streak).min().unwrap_or(0),
                    formed_at: row.formed_at,
                    check_in_day: weekday_label(row.check_in_weekday),
                    last_check_in_week,
                    members: people,
                }
            })
            .collect();
        let waiting = store::waiting(self.db(), key)
            .await?
            .into_iter()
            .map(|w| Waiting {
                user_id: w.user_id,
                display_name: w.display_name,
                reason: "Waiting for the next round.".to_owned(),
            })
            .collect();
        let round = store::round(self.db(), key).await?;
        let change_requests = store::open_change_requests(self.db(), key)
            .await?
            .into_iter()
            .map(|r| ChangeRequestView {
                id: r.id,
                partnership_id: r.partnership_id,
                user_id: r.user_id,
                display_name: r.display_name,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect();
        Ok(ScopeOverview {
            opted_in: store::count_opt_ins(self.db(), key).await?,
            weekly: round.as_ref().is_some_and(|r| r.weekly),
            last_round_at: round.and_then(|r| r.last_round_at),
            scope,
            waiting,
            pairs,
            change_requests,
        })
    }
}
