//! The weekly rhythm of a partnership: which week a check-in belongs to, streaks, missed weeks
//! and the health a facilitator sees. A "period" is the week that starts on the pair's check-in
//! day; a check-in made on any day of it counts for it.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::BTreeSet;

/// The start of the period that contains `day`: the latest check-in day on or before it.
pub fn period_of(day: NaiveDate, weekday: Weekday) -> NaiveDate {
    let back = (7 + day.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    day - Duration::days(i64::from(back))
}

/// The first period that counts: the first check-in day on or after the pair was formed.
pub fn first_period(formed: NaiveDate, weekday: Weekday) -> NaiveDate {
    let period = period_of(formed, weekday);
    if period == formed {
        period
    } else {
        period + Duration::days(7)
    }
}

/// One member's check-ins in one partnership, as the periods they covered.
#[derive(Debug, Clone)]
pub struct Attendance<'a> {
    pub first: NaiveDate,
    pub today: NaiveDate,
    pub weekday: Weekday,
    pub checked: &'a BTreeSet<NaiveDate>,
}

impl Attendance<'_> {
    fn current(&self) -> NaiveDate {
        period_of(self.today, self.weekday)
    }

    /// The last period that has ended, if one that counts has.
    fn last_completed(&self) -> Option<NaiveDate> {
        let last = self.current() - Duration::days(7);
        (last >= self.first).then_some(last)
    }

    /// Weeks in a row, up to now, with a check-in (the current week counts once done).
    pub fn streak(&self) -> u32 {
        let mut period = if self.checked.contains(&self.current()) {
            self.current()
        } else {
            self.current() - Duration::days(7)
        };
        let mut streak = 0;
        while period >= self.first && self.checked.contains(&period) {
            streak += 1;
            period -= Duration::days(7);
        }
        streak
    }

    /// Ended weeks in a row without a check-in; a check-in this week ends the run.
    pub fn missed_in_a_row(&self) -> u32 {
        self.missed_run().map_or(0, |(count, _)| count)
    }

    /// The run of missed weeks: how many, and the first of them (which names the run, so a care
    /// signal is recorded once per run however long it lasts).
    pub fn missed_run(&self) -> Option<(u32, NaiveDate)> {
        if self.checked.contains(&self.current()) {
            return None;
        }
        let mut period = self.last_completed()?;
        let mut count = 0;
        let mut first_missed = period;
        while period >= self.first && !self.checked.contains(&period) {
            count += 1;
            first_missed = period;
            period -= Duration::days(7);
        }
        (count > 0).then_some((count, first_missed))
    }

    pub fn checked_in_this_week(&self) -> bool {
        self.checked.contains(&self.current())
    }

    /// Whether a week that counts has ended yet.
    pub fn has_history(&self) -> bool {
        self.last_completed().is_some()
    }
}

/// Two missed check-ins in a row is a care signal (for the partner, facilitator or coach; never
/// HR or managers — see DESIGN.md §7).
pub const MISSED_WEEKS_SIGNAL: u32 = 2;

/// What a facilitator sees of a pair: how it is going, never what was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairHealth {
    /// No week that counts has ended yet.
    New,
    /// Everyone checked in last week (or already this week).
    Active,
    /// Someone missed last week.
    Quiet,
    /// Nobody has checked in for two weeks or more.
    Stalled,
}

impl PairHealth {
    pub fn as_str(self) -> &'static str {
        match self {
            PairHealth::New => "new",
            PairHealth::Active => "active",
            PairHealth::Quiet => "quiet",
            PairHealth::Stalled => "stalled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PairHealth::New => "New",
            PairHealth::Active => "Active",
            PairHealth::Quiet => "Quiet",
            PairHealth::Stalled => "Stalled",
        }
    }
}

pub fn pair_health(members: &[Attendance<'_>]) -> PairHealth {
    if members.is_empty() || members.iter().all(|m| !m.has_history()) {
        return PairHealth::New;
    }
    let missed: Vec<u32> = members.iter().map(Attendance::missed_in_a_row).collect();
    if missed.iter().all(|&m| m >= MISSED_WEEKS_SIGNAL) {
        PairHealth::Stalled
    } else if missed.iter().any(|&m| m >= 1) {
        PairHealth::Quiet
    } else {
        PairHealth::Active
    }
}

/// Monday = 0 … Sunday = 6, as stored.
pub fn weekday_from_index(index: i64) -> Option<Weekday> {
    Some(match index {
        0 => Weekday::Mon,
        1 => Weekday::Tue,
        2 => Weekday::Wed,
        3 => Weekday::Thu,
        4 => Weekday::Fri,
        5 => Weekday::Sat,
        6 => Weekday::Sun,
        _ => return None,
    })
}

pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_start_on_the_check_in_day() {
        // 2026-11-27 is a Friday.
        assert_eq!(
            period_of(day("2026-11-27"), Weekday::Fri),
            day("2026-11-27")
        );
        assert_eq!(
            period_of(day("2026-12-03"), Weekday::Fri),
            day("2026-11-27")
        );
        assert_eq!(
            period_of(day("2026-11-26"), Weekday::Fri),
            day("2026-11-20")
        );
        assert_eq!(
            first_period(day("2026-11-24"), Weekday::Fri),
            day("2026-11-27")
        );
        assert_eq!(
            first_period(day("2026-11-27"), Weekday::Fri),
            day("2026-11-27")
        );
    }

    fn attendance<'a>(checked: &'a BTreeSet<NaiveDate>, today: &str) -> Attendance<'a> {
        Attendance {
            first: day("2026-11-06"),
            today: day(today),
            weekday: Weekday::Fri,
            checked,
        }
    }

    #[test]
    fn streaks_and_missed_weeks() {
        let weeks: BTreeSet<NaiveDate> = ["2026-11-06", "2026-11-13", "2026-11-20"]
            .iter()
            .map(|d| day(d))
            .collect();
        // Wednesday 25th: this week (from the 20th) is done, streak 3.
        let a = attendance(&weeks, "2026-11-25");
        assert_eq!(a.streak(), 3);
        assert_eq!(a.missed_in_a_row(), 0);
        // Tuesday 1 Dec: the week of the 27th is still open; the streak stands.
        let a = attendance(&weeks, "2026-12-01");
        assert_eq!(a.streak(), 3);
        // Two weeks later nothing more: the weeks of 27 Nov and 4 Dec were missed.
        let a = attendance(&weeks, "2026-12-12");
        assert_eq!(a.streak(), 0);
        assert_eq!(a.missed_run(), Some((2, day("2026-11-27"))));
        assert_eq!(pair_health(&[a.clone(), a]), PairHealth::Stalled);
    }

    #[test]
    fn health_is_new_then_active_or_quiet() {
        let none = BTreeSet::new();
        let fresh = attendance(&none, "2026-11-08");
        assert_eq!(pair_health(&[fresh.clone(), fresh]), PairHealth::New);
        let one: BTreeSet<NaiveDate> = [day("2026-11-06")].into();
        let done = attendance(&one, "2026-11-14");
        let missed = attendance(&none, "2026-11-14");
        assert_eq!(
            pair_health(&[done.clone(), done.clone()]),
            PairHealth::Active
        );
        assert_eq!(pair_health(&[done, missed]), PairHealth::Quiet);
    }

    #[test]
    fn a_check_in_this_week_ends_a_missed_run() {
        let late: BTreeSet<NaiveDate> = [day("2026-11-27")].into();
        let a = attendance(&late, "2026-11-28");
        assert_eq!(a.missed_in_a_row(), 0);
        assert_eq!(a.streak(), 1);
    }
}
