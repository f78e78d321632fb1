//! Coaching: members apply to coach skills they know, an administrator or a facilitator
//! approves them, learners find a coach (see [`ranking`]) and ask for help, the coach schedules
//! or proposes a session or declines, and after the session the learner says whether it
//! helped. This file holds the states and what each field may hold.

pub mod availability;
pub mod ranking;

use crate::fields::single_line;
use crate::spaces::parse_long_text;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

pub const MAX_BIO_CHARS: usize = 2_000;
pub const MAX_CAPACITY: i64 = 40;
pub const MAX_COACH_SKILLS: usize = 10;
pub const MAX_TOPIC_CHARS: usize = 150;
pub const MAX_GOAL_CHARS: usize = 1_000;
pub const MAX_NOTE_CHARS: usize = 1_000;
pub const MAX_PRIVATE_NOTE_CHARS: usize = 5_000;
pub const MIN_SESSION_MINUTES: i64 = 15;
pub const MAX_SESSION_MINUTES: i64 = 240;
/// Sessions are planned at most this far ahead.
pub const MAX_DAYS_AHEAD: i64 = 366;
/// A session that already took place can be recorded this long after.
pub const MAX_DAYS_RECORDED: i64 = 30;

/// Where a coach stands. Only approved coaches are found and can be asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoachStatus {
    Pending,
    Approved,
    Declined,
    Paused,
    Withdrawn,
}

impl CoachStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CoachStatus::Pending => "pending",
            CoachStatus::Approved => "approved",
            CoachStatus::Declined => "declined",
            CoachStatus::Paused => "paused",
            CoachStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<CoachStatus> {
        [
            CoachStatus::Pending,
            CoachStatus::Approved,
            CoachStatus::Declined,
            CoachStatus::Paused,
            CoachStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            CoachStatus::Pending => "Waiting for approval",
            CoachStatus::Approved => "Approved coach",
            CoachStatus::Declined => "Not approved",
            CoachStatus::Paused => "Paused",
            CoachStatus::Withdrawn => "Withdrawn",
        }
    }

    /// Whether saving the coach form is a (new) application rather than an edit.
    pub fn is_closed(self) -> bool {
        matches!(self, CoachStatus::Declined | CoachStatus::Withdrawn)
    }
}

/// What a coach (or an approver) does to a coach profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoachChange {
    /// Saving the form: applies anew after a decline or withdrawal, else keeps the status.
    Save,
    Approve,
    Decline,
    Pause,
    Resume,
    Withdraw,
}

/// The status after `change`, or why it cannot happen now.
pub fn coach_status_after(
    current: Option<CoachStatus>,
    change: CoachChange,
) -> Result<CoachStatus, String> {
    use CoachChange as C;
    use CoachStatus as S;
    match (current, change) {
        (None, C::Save) => Ok(S::Pending),
        (Some(s), C::Save) if s.is_closed() => Ok(S::Pending),
        (Some(s), C::Save) => Ok(s),
        (Some(S::Pending), C::Approve) => Ok(S::Approved),
        (Some(S::Pending), C::Decline) => Ok(S::Declined),
        (_, C::Approve | C::Decline) => Err("This application was decided already.".into()),
        (Some(S::Approved), C::Pause) => Ok(S::Paused),
        (Some(S::Paused), C::Resume) => Ok(S::Approved),
        (Some(S::Pending | S::Approved | S::Paused), C::Withdraw) => Ok(S::Withdrawn),
        (None, _) => Err("Apply to coach first.".into()),
        (Some(_), C::Pause) => Err("Only an approved coach can pause.".into()),
        (Some(_), C::Resume) => Err("Only a paused coach can resume.".into()),
        (Some(_), C::Withdraw) => Err("You are not coaching.".into()),
    }
}

/// A request for coaching, from the learner's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    /// Waiting for the coach.
    Open,
    /// The coach took it on: sessions are proposed or scheduled.
    Active,
    Declined,
    /// The learner took it back.
    Withdrawn,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Active => "active",
            RequestStatus::Declined => "declined",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<RequestStatus> {
        [
            RequestStatus::Open,
            RequestStatus::Active,
            RequestStatus::Declined,
            RequestStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Open => "Waiting for the coach",
            RequestStatus::Active => "In progress",
            RequestStatus::Declined => "Declined",
            RequestStatus::Withdrawn => "Withdrawn",
        }
    }

    /// Whether sessions can still be planned for it.
    pub fn is_live(self) -> bool {
        matches!(self, RequestStatus::Open | RequestStatus::Active)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    /// The coach proposed a time; the learner confirms or declines it.
    Proposed,
    Scheduled,
    /// The learner declined the proposed time.
    Declined,
    Cancelled,
}

impl SessionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Proposed => "proposed",
            SessionStatus::Scheduled => "scheduled",
            SessionStatus::Declined => "declined",
            SessionStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<SessionStatus> {
        [
            SessionStatus::Proposed,
            SessionStatus::Scheduled,
            SessionStatus::Declined,
            SessionStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            SessionStatus::Proposed => "Proposed time",
            SessionStatus::Scheduled => "Scheduled",
            SessionStatus::Declined => "Time declined",
            SessionStatus::Cancelled => "Cancelled",
        }
    }

    /// Proposed and scheduled sessions take a place in the coach's month.
    pub fn holds_a_place(self) -> bool {
        matches!(self, SessionStatus::Proposed | SessionStatus::Scheduled)
    }
}

/// Who is acting on a session or request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Coach,
    Learner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChange {
    Confirm,
    DeclineTime,
    Cancel,
}

/// The session's status after `change` by `side`, or why not. `ended` says whether the session
/// is over (a past session cannot be cancelled: it happened, or it can be rated as not helping).
pub fn session_status_after(
    current: SessionStatus,
    change: SessionChange,
    side: Side,
    ended: bool,
) -> Result<SessionStatus, String> {
    use SessionChange as C;
    use SessionStatus as S;
    match (current, change, side) {
        (S::Proposed, C::Confirm, Side::Learner) => Ok(S::Scheduled),
        (S::Proposed, C::DeclineTime, Side::Learner) => Ok(S::Declined),
        (S::Proposed, C::Confirm | C::DeclineTime, Side::Coach) => {
            Err("The learner confirms or declines the time you proposed.".into())
        }
        (_, C::Confirm | C::DeclineTime, _) => {
            Err("Only a proposed time can be confirmed or declined.".into())
        }
        (S::Proposed | S::Scheduled, C::Cancel, _) if ended => {
            Err("This session is over; it cannot be cancelled.".into())
        }
        (S::Proposed | S::Scheduled, C::Cancel, _) => Ok(S::Cancelled),
        (_, C::Cancel, _) => Err("This session is not planned any more.".into()),
    }
}

/// Whether the learner may rate the session now: it was scheduled, it is over, not yet rated.
pub fn may_rate(status: SessionStatus, ended: bool, rated: bool) -> Result<(), String> {
    if status != SessionStatus::Scheduled {
        Err("Only a session that took place can be rated.".into())
    } else if !ended {
        Err("Rate the session after it ends.".into())
    } else if rated {
        Err("You rated this session already.".into())
    } else {
        Ok(())
    }
}

pub fn parse_bio(raw: &str) -> Result<String, String> {
    parse_long_text(raw, MAX_BIO_CHARS, true)
}

/// Sessions a month the coach offers.
pub fn parse_capacity(raw: &str) -> Result<i64, String> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(n),
        _ => Err(format!(
            "Say how many sessions a month you can give, from 1 to {MAX_CAPACITY}."
        )),
    }
}

/// The skills a coach offers: the profile's list rules, at least one, at most ten.
pub fn parse_coach_skills(raw: &str) -> Result<Vec<String>, String> {
    let skills = crate::people::profile::parse_list(raw)?;
    if skills.is_empty() {
        return Err("Name at least one skill you coach.".into());
    }
    if skills.len() > MAX_COACH_SKILLS {
        return Err(format!("Coach at most {MAX_COACH_SKILLS} skills."));
    }
    Ok(skills)
}

pub fn parse_topic(raw: &str) -> Result<String, String> {
    single_line(raw, MAX_TOPIC_CHARS)
        .map_err(|_| format!("Name the topic in one line of up to {MAX_TOPIC_CHARS} characters."))
}

pub fn parse_goal(raw: &str) -> Result<String, String> {
    parse_long_text(raw, MAX_GOAL_CHARS, true)
}

/// A note that goes with a decline or a cancellation; may be empty.
pub fn parse_note(raw: &str) -> Result<String, String> {
    parse_long_text(raw, MAX_NOTE_CHARS, false)
}

pub fn parse_private_note(raw: &str) -> Result<String, String> {
    parse_long_text(raw, MAX_PRIVATE_NOTE_CHARS, false)
}

pub fn parse_duration(raw: &str) -> Result<i64, String> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (MIN_SESSION_MINUTES..=MAX_SESSION_MINUTES).contains(&n) => Ok(n),
        _ => Err(format!(
            "Use a length from {MIN_SESSION_MINUTES} to {MAX_SESSION_MINUTES} minutes."
        )),
    }
}

pub fn parse_rating(raw: i64) -> Result<i64, String> {
    if (1..=5).contains(&raw) {
        Ok(raw)
    } else {
        Err("Rate from 1 (not useful) to 5 (very useful).".into())
    }
}

/// When a session may start. A proposed time is in the future (and at most a year ahead); a
/// scheduled session may also be one that already took place in the last 30 days — coaches
/// record sessions agreed outside Guildhall so that the learner can rate them.
pub fn check_start(
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
    status: SessionStatus,
) -> Result<(), String> {
    if starts_at > now + Duration::days(MAX_DAYS_AHEAD) {
        Err("Plan sessions at most a year ahead.".into())
    } else if starts_at > now {
        Ok(())
    } else if status != SessionStatus::Scheduled {
        Err("Propose a time in the future.".into())
    } else if starts_at < now - Duration::days(MAX_DAYS_RECORDED) {
        Err(format!(
            "Record sessions of the last {MAX_DAYS_RECORDED} days only."
        ))
    } else {
        Ok(())
    }
}

/// The calendar month (UTC) an instant falls in, as a half-open range: capacity is counted per
/// month of the session's start.
pub fn month_of(instant: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = |year: i32, month: u32| {
        NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| Utc.from_utc_datetime(&d))
    };
    let (year, month) = (instant.year(), instant.month());
    let next = if month == 12 {
        first(year + 1, 1)
    } else {
        first(year, month + 1)
    };
    match (first(year, month), next) {
        (Some(start), Some(end)) => (start, end),
        // Only at the very edge of chrono's calendar; a one-day month is harmless there.
        _ => (instant, instant + Duration::days(1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coach_statuses_follow_their_rules() {
        use CoachChange as C;
        use CoachStatus as S;
        assert_eq!(coach_status_after(None, C::Save), Ok(S::Pending));
        assert_eq!(
            coach_status_after(Some(S::Approved), C::Save),
            Ok(S::Approved)
        );
        assert_eq!(
            coach_status_after(Some(S::Declined), C::Save),
            Ok(S::Pending)
        );
        assert_eq!(
            coach_status_after(Some(S::Pending), C::Approve),
            Ok(S::Approved)
        );
        assert!(coach_status_after(Some(S::Approved), C::Approve).is_err());
        assert!(coach_status_after(None, C::Approve).is_err());
        assert_eq!(
            coach_status_after(Some(S::Approved), C::Pause),
            Ok(S::Paused)
        );
        assert_eq!(
            coach_status_after(Some(S::Paused), C::Resume),
            Ok(S::Approved)
        );
        assert!(coach_status_after(Some(S::Pending), C::Pause).is_err());
        assert_eq!(
            coach_status_after(Some(S::Paused), C::Withdraw),
            Ok(S::Withdrawn)
        );
        assert!(coach_status_after(Some(S::Withdrawn), C::Withdraw).is_err());
        for s in ["pending", "approved", "declined", "paused", "withdrawn"] {
            assert_eq!(CoachStatus::parse(s).map(CoachStatus::as_str), Some(s));
        }
    }

    #[test]
    fn sessions_are_confirmed_by_the_learner_and_cancelled_before_they_end() {
        use SessionChange as C;
        use SessionStatus as S;
        assert_eq!(
            session_status_after(S::Proposed, C::Confirm, Side::Learner, false),
            Ok(S::Scheduled)
        );
        assert!(session_status_after(S::Proposed, C::Confirm, Side::Coach, false).is_err());
        assert!(session_status_after(S::Scheduled, C::Confirm, Side::Learner, false).is_err());
        assert_eq!(
            session_status_after(S::Scheduled, C::Cancel, Side::Coach, false),
            Ok(S::Cancelled)
        );
        assert!(session_status_after(S::Scheduled, C::Cancel, Side::Learner, true).is_err());
        assert!(session_status_after(S::Cancelled, C::Cancel, Side::Learner, false).is_err());
        assert!(may_rate(S::Scheduled, true, false).is_ok());
        assert!(may_rate(S::Scheduled, false, false).is_err());
        assert!(may_rate(S::Scheduled, true, true).is_err());
        assert!(may_rate(S::Cancelled, true, false).is_err());
    }

    #[test]
    fn fields_are_bounded() {
        assert_eq!(parse_capacity(" 4 "), Ok(4));
        assert!(parse_capacity("0").is_err() && parse_capacity("41").is_err());
        assert!(parse_capacity("four").is_err());
        assert_eq!(parse_duration("45"), Ok(45));
        assert!(parse_duration("5").is_err() && parse_duration("300").is_err());
        assert!(parse_rating(0).is_err() && parse_rating(6).is_err() && parse_rating(5).is_ok());
        assert!(parse_coach_skills("").is_err());
        assert!(parse_coach_skills("a,b,c,d,e,f,g,h,i,j,k").is_err());
        assert_eq!(
            parse_coach_skills("Rust, rust, SQL").unwrap(),
            ["Rust", "SQL"]
        );
        assert!(parse_topic("").is_err() && parse_topic("a\nb").is_err());
        assert!(parse_goal("  ").is_err());
        assert_eq!(parse_note(""), Ok(String::new()));
        let now = Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap();
        let (proposed, scheduled) = (SessionStatus::Proposed, SessionStatus::Scheduled);
        assert!(check_start(now, now, proposed).is_err());
        assert!(check_start(now + Duration::hours(1), now, proposed).is_ok());
        assert!(check_start(now + Duration::days(400), now, scheduled).is_err());
        // A session that took place is recorded as scheduled, within 30 days.
        assert!(check_start(now - Duration::days(2), now, scheduled).is_ok());
        assert!(check_start(now - Duration::days(2), now, proposed).is_err());
        assert!(check_start(now - Duration::days(31), now, scheduled).is_err());
    }

    #[test]
    fn months_are_calendar_months() {
        let mid = Utc.with_ymd_and_hms(2027, 12, 15, 8, 0, 0).unwrap();
        let (start, end) = month_of(mid);
        assert_eq!(start.to_rfc3339(), "2027-12-01T00:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2028-01-01T00:00:00+00:00");
    }
}
