//! Accountability partners: opting in, forming pairs (by a facilitator or every week), goals,
//! weekly check-ins seen by the partner, reminders, and what facilitators see — the health of
//! each pair, never what was said in it.

mod check_ins;
mod health;
mod opt_ins;
mod pairing;
mod tending;

pub use check_ins::{CheckInInput, GoalInput};
pub use health::{ChangeRequestView, PairOverview, ScopeOverview};
pub use opt_ins::{OptInInput, OptInView, PartnerScopeOption};
pub use pairing::{RoundOutcome, Waiting};
pub use tending::Tended;

use crate::people::Viewer;
use crate::{App, AppError, AppResult};
use chrono::{DateTime, NaiveDate, Offset, Utc, Weekday};
use guildhall_domain::partners::check_ins::{
    Attendance, PairHealth, first_period, weekday_from_index, weekday_name,
};
use guildhall_domain::people::Role;
use guildhall_domain::spaces::SpaceKind;
use guildhall_store::partners::{self as store, MemberRow, PartnershipRow};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Where pairs form: a cohort (or team) space, or the whole organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerScope {
    pub space_id: Option<i64>,
    pub slug: Option<String>,
    pub name: String,
}

impl PartnerScope {
    pub fn organisation() -> PartnerScope {
        PartnerScope {
            space_id: None,
            slug: None,
            name: "the whole organisation".to_owned(),
        }
    }

    pub fn key(&self) -> i64 {
        store::scope_key(self.space_id)
    }

    /// The facilitator's page for this scope.
    pub fn manage_path(&self) -> String {
        match &self.slug {
            Some(slug) => format!("/partners/manage?space={slug}"),
            None => "/partners/manage".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PartnerMember {
    pub user_id: i64,
    pub display_name: String,
    pub time_zone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalView {
    pub id: i64,
    pub user_id: i64,
    pub what: String,
    pub by_when: NaiveDate,
    pub how_known: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplyView {
    pub id: i64,
    pub user_id: i64,
    pub display_name: String,
    /// `reply` or `encourage`.
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckInView {
    pub id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub week_of: NaiveDate,
    pub progress: i64,
    pub did: String,
    pub blockers: String,
    pub next_step: String,
    pub created_at: DateTime<Utc>,
    pub replies: Vec<ReplyView>,
}

/// Where one member stands in their partnership this week.
#[derive(Debug, Clone, Serialize)]
pub struct MemberRhythm {
    pub user_id: i64,
    pub streak: u32,
    pub checked_in_this_week: bool,
    pub missed_in_a_row: u32,
}

/// A partnership as its members see it.
#[derive(Debug, Clone, Serialize)]
pub struct PartnershipView {
    pub id: i64,
    pub scope: PartnerScope,
    pub active: bool,
    pub members: Vec<PartnerMember>,
    /// "matched because: …"
    pub reasons: Vec<String>,
    pub check_in_weekday: i64,
    pub check_in_day: &'static str,
    pub formed_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub health: PairHealth,
    pub rhythm: Vec<MemberRhythm>,
    pub goals: Vec<GoalView>,
    pub check_ins: Vec<CheckInView>,
    /// The cursor for older check-ins, when there are more.
    pub older_check_ins: Option<i64>,
    /// Whether the viewer asked the facilitator for a new partner (and it is still open).
    pub change_requested: bool,
}

impl PartnershipView {
    pub fn partners_of(&self, user_id: i64) -> Vec<&PartnerMember> {
        self.members
            .iter()
            .filter(|m| m.user_id != user_id)
            .collect()
    }

    pub fn rhythm_of(&self, user_id: i64) -> Option<&MemberRhythm> {
        self.rhythm.iter().find(|r| r.user_id == user_id)
    }
}

impl From<MemberRow> for PartnerMember {
    fn from(m: MemberRow) -> Self {
        PartnerMember {
            user_id: m.user_id,
            display_name: m.display_name,
            time_zone: m.time_zone,
        }
    }
}

/// Members by partnership.
pub(crate) fn group_members(rows: Vec<MemberRow>) -> BTreeMap<i64, Vec<PartnerMember>> {
    let mut members: BTreeMap<i64, Vec<PartnerMember>> = BTreeMap::new();
    for row in rows {
        members
            .entry(row.partnership_id)
            .or_default()
            .push(row.into());
    }
    members
}

/// The weeks each person checked in, by (partnership, person): dates only.
pub(crate) type Weeks = BTreeMap<(i64, i64), BTreeSet<NaiveDate>>;

pub(crate) fn group_weeks(rows: Vec<(i64, i64, NaiveDate)>) -> Weeks {
    let mut weeks = Weeks::new();
    for (partnership_id, user_id, period) in rows {
        weeks
            .entry((partnership_id, user_id))
            .or_default()
            .insert(period);
    }
    weeks
}

static NO_WEEKS: BTreeSet<NaiveDate> = BTreeSet::new();

/// A partnership's check-in day (Monday if the stored one is unreadable).
pub(crate) fn check_in_weekday(row: &PartnershipRow) -> Weekday {
    weekday_from_index(row.check_in_weekday).unwrap_or(Weekday::Mon)
}

/// One member's check-ins in a partnership, as of `today`.
pub(crate) fn attendance<'a>(
    row: &PartnershipRow,
    user_id: i64,
    today: NaiveDate,
    weeks: &'a Weeks,
) -> Attendance<'a> {
    let weekday = check_in_weekday(row);
    Attendance {
        first: first_period(row.formed_at.date_naive(), weekday),
        today,
        weekday,
        checked: weeks.get(&(row.id, user_id)).unwrap_or(&NO_WEEKS),
    }
}

/// The UTC offset of an IANA time zone now, in minutes (UTC when unknown or empty).
pub(crate) fn utc_offset_minutes(time_zone: &str, at: DateTime<Utc>) -> i32 {
    time_zone
        .parse::<chrono_tz::Tz>()
        .map(|tz| at.with_timezone(&tz).offset().fix().local_minus_utc() / 60)
        .unwrap_or(0)
}

pub(crate) fn weekday_label(index: i64) -> &'static str {
    weekday_from_index(index).map_or("Monday", weekday_name)
}

fn not_allowed_to_manage() -> AppError {
    AppError::forbidden(
        "facilitator_required",
        "Only the facilitators of this space (or administrators) manage its partners.",
    )
}

impl App {
    /// The scope a member acts in: a space they belong to (cohort or team), or the organisation.
    pub(crate) async fn member_scope(
        &self,
        viewer: &Viewer,
        space: Option<&str>,
    ) -> AppResult<PartnerScope> {
        let Some(slug) = space.filter(|s| !s.is_empty()) else {
            return Ok(PartnerScope::organisation());
        };
        let space = self.space(viewer, slug).await?;
        if !space.is_member() {
            return Err(AppError::forbidden(
                "members_only",
                "Join this space first: its members pair up with each other.",
            ));
        }
        if !matches!(space.kind, SpaceKind::Cohort | SpaceKind::Team) {
            return Err(AppError::invalid(
                "space",
                "Partners pair up in cohorts and teams.",
            ));
        }
        Ok(PartnerScope {
            space_id: Some(space.id),
            slug: Some(space.slug),
            name: space.name,
        })
    }

    /// The scope a facilitator manages: a space they facilitate, or (for administrators and
    /// facilitators) the organisation.
    pub(crate) async fn managed_scope(
        &self,
        viewer: &Viewer,
        space: Option<&str>,
    ) -> AppResult<PartnerScope> {
        let Some(slug) = space.filter(|s| !s.is_empty()) else {
            if viewer.has(Role::Admin) || viewer.has(Role::Facilitator) {
                return Ok(PartnerScope::organisation());
            }
            return Err(not_allowed_to_manage());
        };
        let space = self.space(viewer, slug).await?;
        if !(space.is_facilitator() || viewer.has(Role::Admin)) {
            return Err(not_allowed_to_manage());
        }
        Ok(PartnerScope {
            space_id: Some(space.id),
            slug: Some(space.slug),
            name: space.name,
        })
    }

    /// The scope of an existing partnership, named for display.
    pub(crate) async fn scope_of(&self, space_id: Option<i64>) -> AppResult<PartnerScope> {
        let Some(id) = space_id else {
            return Ok(PartnerScope::organisation());
        };
        let space = guildhall_store::spaces::space_by_id(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(PartnerScope {
            space_id: Some(space.id),
            slug: Some(space.slug),
            name: space.name,
        })
    }

    /// A partnership the viewer is in; anyone else gets "not found" (check-ins are private).
    pub(crate) async fn own_partnership(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> AppResult<store::PartnershipRow> {
        let row = store::partnership(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !store::is_member(self.db(), id, viewer.id).await? {
            return Err(AppError::NotFound);
        }
        Ok(row)
    }
}
