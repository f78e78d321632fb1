//! Accountability partners: forming pairs ([`matching`]), the weekly rhythm ([`check_ins`]), and
//! what people type — topics, working hours, goals and check-ins — checked here once.

pub mod check_ins;
pub mod matching;

use crate::FieldErrors;
use crate::fields::single_line;
use crate::spaces::parse_long_text;
use chrono::{Duration, NaiveDate, NaiveTime, Timelike};

pub const MAX_FOCUS_TOPICS: usize = 5;
pub const MAX_GOALS: usize = 3;
pub const MAX_CHECK_IN_CHARS: usize = 2_000;
pub const MAX_REPLY_CHARS: usize = 1_000;

/// "Public speaking, SQL, public speaking" → ["Public speaking", "SQL"]: what someone wants to
/// work on, kept as typed; repeats (ignoring case) are dropped. Pairing compares them lower-cased.
pub fn parse_focus(raw: &str) -> Result<Vec<String>, String> {
    let mut topics: Vec<String> = Vec::new();
    for part in raw.split([',', '\n']) {
        if part.trim().is_empty() {
            continue;
        }
        let topic = single_line(part, 60).map_err(|m| format!("Each topic: {m}"))?;
        if !topics
            .iter()
            .any(|t| t.to_lowercase() == topic.to_lowercase())
        {
            topics.push(topic);
        }
    }
    if topics.len() > MAX_FOCUS_TOPICS {
        return Err(format!("Name at most {MAX_FOCUS_TOPICS} topics."));
    }
    Ok(topics)
}

/// "09:00" → 540 (minutes after midnight).
pub fn parse_clock(raw: &str) -> Result<i32, String> {
    let time = NaiveTime::parse_from_str(raw.trim(), "%H:%M")
        .map_err(|_| "Use a time like 09:00.".to_owned())?;
    Ok(i32::try_from(time.hour() * 60 + time.minute()).unwrap_or(0))
}

pub fn format_clock(minutes: i32) -> String {
    let minutes = minutes.rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Working hours from two clock times; they may cross midnight but not be empty.
pub fn parse_working_hours(start: &str, end: &str) -> Result<(i32, i32), FieldErrors> {
    let mut errors = FieldErrors::new();
    let start = errors.check("work_start", parse_clock(start));
    let end = errors.check("work_end", parse_clock(end));
    match (start, end) {
        (Some(start), Some(end)) if start == end => Err(FieldErrors::single(
            "work_end",
            "Your working hours must end at another time than they start.",
        )),
        (Some(start), Some(end)) => Ok((start, end)),
        _ => Err(errors),
    }
}

/// A goal a partner sets: what, by when, how I will know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub what: String,
    pub by_when: NaiveDate,
    pub how_known: String,
}

pub fn parse_goal(
    what: &str,
    by_when: &str,
    how_known: &str,
    today: NaiveDate,
) -> Result<Goal, FieldErrors> {
    let mut errors = FieldErrors::new();
    let what = errors.check("what", single_line(what, 200));
    let by_when = errors.check(
        "by_when",
        NaiveDate::parse_from_str(by_when.trim(), "%Y-%m-%d")
            .map_err(|_| "Choose a date.".to_owned())
            .and_then(|date| {
                if date < today {
                    Err("Choose today or a later date.".to_owned())
                } else if date > today + Duration::days(366) {
                    Err("Choose a date within a year.".to_owned())
                } else {
                    Ok(date)
                }
            }),
    );
    let how_known = errors.check("how_known", single_line(how_known, 300));
    match (what, by_when, how_known) {
        (Some(what), Some(by_when), Some(how_known)) => Ok(Goal {
            what,
            by_when,
            how_known,
        }),
        _ => Err(errors),
    }
}

/// A weekly check-in: progress 1–5, what I did, what blocks me, my next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub progress: i64,
    pub did: String,
    pub blockers: String,
    pub next_step: String,
}

pub fn parse_check_in(
    progress: i64,
    did: &str,
    blockers: &str,
    next_step: &str,
) -> Result<CheckIn, FieldErrors> {
    let mut errors = FieldErrors::new();
    if !(1..=5).contains(&progress) {
        errors.add("progress", "Choose from 1 (stuck) to 5 (great).");
    }
    let did = errors.check("did", parse_long_text(did, MAX_CHECK_IN_CHARS, true));
    let blockers = errors.check(
        "blockers",
        parse_long_text(blockers, MAX_CHECK_IN_CHARS, false),
    );
    let next_step = errors.check(
        "next_step",
        parse_long_text(next_step, MAX_CHECK_IN_CHARS, true),
    );
    match (did, blockers, next_step) {
        (Some(did), Some(blockers), Some(next_step)) if errors.is_empty() => Ok(CheckIn {
            progress,
            did,
            blockers,
            next_step,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_trimmed_and_deduplicated_ignoring_case() {
        assert_eq!(
            parse_focus(" Public speaking, SQL ,public speaking,, ").unwrap(),
            vec!["Public speaking", "SQL"]
        );
        assert!(parse_focus("a,b,c,d,e,f").is_err());
        assert!(parse_focus("x\u{0}y").is_err());
        assert_eq!(parse_focus("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn working_hours_may_cross_midnight_but_not_be_empty() {
        assert_eq!(parse_working_hours("22:00", "06:00").unwrap(), (1320, 360));
        assert!(parse_working_hours("09:00", "09:00").is_err());
        assert!(parse_working_hours("9am", "17:00").is_err());
        assert_eq!(format_clock(545), "09:05");
    }

    #[test]
    fn goals_need_a_date_from_today_within_a_year() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert!(parse_goal("Give a talk", "2026-12-20", "The talk happened", today).is_ok());
        let errors = parse_goal("", "2025-01-01", "", today).unwrap_err();
        assert!(errors.get("what").is_some());
        assert!(errors.get("by_when").is_some());
        assert!(errors.get("how_known").is_some());
        assert!(parse_goal("x", "2028-01-01", "y", today).is_err());
    }

    #[test]
    fn check_ins_need_progress_what_was_done_and_a_next_step() {
        assert!(parse_check_in(3, "Drafted slides", "", "Rehearse").is_ok());
        let errors = parse_check_in(6, " ", "", "").unwrap_err();
        assert!(errors.get("progress").is_some());
        assert!(errors.get("did").is_some());
        assert!(errors.get("next_step").is_some());
    }
}
