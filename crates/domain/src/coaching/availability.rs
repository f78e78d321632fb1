//! When people can meet: weekly windows ("Tue 09:00-11:00") in the person's own time zone, and
//! how many minutes a week two people's windows overlap once both are placed in UTC.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const MAX_WINDOWS: usize = 21;
const MINUTES_A_WEEK: i64 = 7 * 24 * 60;

/// One weekly window in local time; it ends on the day it starts (a window over midnight is
/// written as two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    pub weekday: u8,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

const DAYS: [(&str, &str); 7] = [
    ("Mon", "monday"),
    ("Tue", "tuesday"),
    ("Wed", "wednesday"),
    ("Thu", "thursday"),
    ("Fri", "friday"),
    ("Sat", "saturday"),
    ("Sun", "sunday"),
];

fn parse_weekday(raw: &str) -> Option<u8> {
    let lower = raw.trim().to_lowercase();
    if lower.chars().count() < 2 {
        return None;
    }
    DAYS.iter()
        .position(|(_, full)| full.starts_with(&lower))
        .and_then(|i| u8::try_from(i).ok())
}

fn parse_clock(raw: &str) -> Option<NaiveTime> {
    let raw = raw.trim();
    if raw == "24:00" {
        return NaiveTime::from_hms_opt(23, 59, 59);
    }
    NaiveTime::parse_from_str(raw, "%H:%M").ok()
}

impl Window {
    pub fn weekday_name(&self) -> &'static str {
        DAYS.get(usize::from(self.weekday))
            .map_or("?", |(short, _)| short)
    }

    /// Reads "Tue 09:00-11:00" (also "tuesday 9:00 – 11:00" or "Tue 09:00 to 11:00").
    pub fn parse(raw: &str) -> Result<Window, String> {
        let problem = || {
            format!(
                "Write “{}” as a day and two times, like “Tue 09:00-11:00”.",
                raw.trim()
            )
        };
        let text = raw.trim().replace(['–', '—'], "-").replace(" to ", "-");
        let (day, times) = text.split_once(char::is_whitespace).ok_or_else(problem)?;
        let weekday = parse_weekday(day).ok_or_else(problem)?;
        let (start, end) = times.split_once('-').ok_or_else(problem)?;
        let (start, end) = (
            parse_clock(start).ok_or_else(problem)?,
            parse_clock(end).ok_or_else(problem)?,
        );
        if end <= start {
            return Err(format!(
                "“{}” must end after it starts (split a window over midnight in two).",
                raw.trim()
            ));
        }
        Ok(Window {
            weekday,
            start,
            end,
        })
    }

    /// Minutes from Monday 00:00 UTC of the week of `monday`, as the half-open range of this
    /// window read in `zone` during that week.
    fn utc_minutes(&self, zone: Tz, monday: NaiveDate) -> Option<(i64, i64)> {
        let day = monday + Duration::days(i64::from(self.weekday));
        let instant = |time: NaiveTime| {
            let local = day.and_time(time);
            // A time skipped by a clock change is read an hour later, where the clock went.
            zone.from_local_datetime(&local)
                .earliest()
                .or_else(|| {
                    zone.from_local_datetime(&(local + Duration::hours(1)))
                        .earliest()
                })
                .map(|t| t.with_timezone(&Utc))
        };
        let origin = monday.and_hms_opt(0, 0, 0)?.and_utc();
        let start = (instant(self.start)? - origin).num_minutes();
        let end = (instant(self.end)? - origin).num_minutes();
        (end > start).then_some((start, end))
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}-{}",
            self.weekday_name(),
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// Windows written one a line (or separated by commas or semicolons); empty is allowed (no
/// preference). Sorted and without repeats.
pub fn parse_windows(raw: &str) -> Result<Vec<Window>, String> {
    let mut windows = Vec::new();
    for part in raw.split(['\n', ',', ';']) {
        if part.trim().is_empty() {
            continue;
        }
        if part.chars().any(|c| c.is_control() && c != '\r') {
            return Err("Use letters, digits and punctuation only.".into());
        }
        windows.push(Window::parse(part)?);
    }
    windows.sort();
    windows.dedup();
    if windows.len() > MAX_WINDOWS {
        return Err(format!("List at most {MAX_WINDOWS} windows."));
    }
    Ok(windows)
}

/// The canonical text of windows, one a line, as stored and shown.
pub fn format_windows(windows: &[Window]) -> String {
    windows
        .iter()
        .map(Window::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Monday of the week `date` falls in.
pub fn week_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Half-open minute ranges within one week, wrapped into [0, a week): a Monday 01:00 window in
/// Tokyo is Sunday afternoon in UTC.
fn weekly_ranges(windows: &[Window], zone: Tz, monday: NaiveDate) -> Vec<(i64, i64)> {
    let mut ranges = Vec::new();
    for window in windows {
        let Some((start, end)) = window.utc_minutes(zone, monday) else {
            continue;
        };
        let (start, end) = (
            start.rem_euclid(MINUTES_A_WEEK),
            start.rem_euclid(MINUTES_A_WEEK) + (end - start),
        );
        if end > MINUTES_A_WEEK {
            ranges.push((start, MINUTES_A_WEEK));
            ranges.push((0, end - MINUTES_A_WEEK));
        } else {
            ranges.push((start, end));
        }
    }
    // Merged, so overlapping windows of one person are not counted twice.
    ranges.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Minutes a week when both people are available, in the week starting `monday` (clock changes
/// move windows, so the week matters).
pub fn overlap_minutes(
    (a, a_zone): (&[Window], Tz),
    (b, b_zone): (&[Window], Tz),
    monday: NaiveDate,
) -> i64 {
    let (a, b) = (
        weekly_ranges(a, a_zone, monday),
        weekly_ranges(b, b_zone, monday),
    );
    let mut total = 0;
    for (a_start, a_end) in &a {
        for (b_start, b_end) in &b {
            total += (a_end.min(b_end) - a_start.max(b_start)).max(0);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn monday() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
    }

    #[test]
    fn windows_are_read_in_several_spellings() {
        let windows =
            parse_windows("tuesday 9:00 – 11:00\nMon 14:00-15:30; Tue 09:00 to 11:00").unwrap();
        assert_eq!(format_windows(&windows), "Mon 14:00-15:30\nTue 09:00-11:00");
        assert!(parse_windows("").unwrap().is_empty());
        for bad in [
            "Funday 09:00-10:00",
            "Mon 10:00-09:00",
            "Mon 9-10",
            "M 09:00-10:00",
            "Mon",
            "Mon 09:00-10:00\u{0}",
        ] {
            assert!(parse_windows(bad).is_err(), "{bad}");
        }
        let many = (0..22)
            .map(|i| format!("Mon {:02}:00-{:02}:30", i, i))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(parse_windows(&many).is_err());
        assert_eq!(
            week_of(NaiveDate::from_ymd_opt(2027, 3, 4).unwrap()),
            monday()
        );
    }

    #[test]
    fn overlap_is_counted_across_time_zones() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let new_york: Tz = "America/New_York".parse().unwrap();
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        // Berlin 15:00-17:00 is New York 09:00-11:00 in early March (before US summer time).
        let coach = parse_windows("Tue 15:00-17:00").unwrap();
        let learner = parse_windows("Tue 10:00-12:00").unwrap();
        assert_eq!(
            overlap_minutes((&coach, berlin), (&learner, new_york), monday()),
            60
        );
        // Monday 01:00-03:00 in Tokyo is Sunday 16:00-18:00 UTC: the week wraps.
        let early = parse_windows("Mon 01:00-03:00").unwrap();
        let sunday = parse_windows("Sun 17:00-20:00").unwrap();
        assert_eq!(
            overlap_minutes((&early, tokyo), (&sunday, Tz::UTC), monday()),
            60
        );
        assert_eq!(
            overlap_minutes((&coach, berlin), (&[], Tz::UTC), monday()),
            0
        );
        // A person's own overlapping windows are not counted twice.
        let doubled = parse_windows("Tue 15:00-17:00\nTue 16:00-17:00").unwrap();
        assert_eq!(
            overlap_minutes((&doubled, berlin), (&coach, berlin), monday()),
            120
        );
    }

    proptest! {
        #[test]
        fn overlap_is_symmetric_and_bounded(
            a in prop::collection::vec((0u8..7, 0u32..23, 1u32..60), 0..6),
            b in prop::collection::vec((0u8..7, 0u32..23, 1u32..60), 0..6),
        ) {
            let to_windows = |raw: &[(u8, u32, u32)]| -> Vec<Window> {
                raw.iter().map(|(day, hour, length)| Window {
                    weekday: *day,
                    start: NaiveTime::from_hms_opt(*hour, 0, 0).unwrap(),
                    end: NaiveTime::from_hms_opt(*hour, 0, 0).unwrap() + Duration::minutes(i64::from(*length)),
                }).collect()
            };
            let (a, b) = (to_windows(&a), to_windows(&b));
            let zone: Tz = "Asia/Kolkata".parse().unwrap();
            let ab = overlap_minutes((&a, zone), (&b, Tz::UTC), monday());
            let ba = overlap_minutes((&b, Tz::UTC), (&a, zone), monday());
            prop_assert_eq!(ab, ba);
            prop_assert!(ab <= overlap_minutes((&a, zone), (&a, zone), monday()));
            prop_assert!(ab <= overlap_minutes((&b, Tz::UTC), (&b, Tz::UTC), monday()));
            prop_assert!(ab >= 0);
        }
    }
}
