//! Events: a session in a space with a time, a place or a video link, a capacity — and the
//! follow-up prompts that keep the learning going 1, 7 and 30 days after it.

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

pub const MAX_EVENT_DAYS: i64 = 14;
pub const MAX_CAPACITY: i64 = 10_000;

/// The prompts posted into the space after an event, by days after its end. Facilitators edit them.
pub const DEFAULT_PROMPTS: [(i64, &str); 3] = [
    (
        1,
        "What have you applied since the session? Share one thing you tried, however small.",
    ),
    (
        7,
        "One week on: what has changed in how you work, and what got in the way?",
    ),
    (
        30,
        "A month later: what stuck from the session, and what would you like to revisit together?",
    ),
];

/// When an event happens, in UTC, with the zone it was planned in (for display and calendars).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTime {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Tz,
}

pub fn parse_time_zone(raw: &str) -> Result<Tz, String> {
    raw.trim()
        .parse::<Tz>()
        .map_err(|_| "Choose a time zone such as Europe/Berlin.".to_owned())
}

/// One local wall-clock time as a browser's `datetime-local` sends it (`2027-03-04T09:30`),
/// read in `time_zone`. A time that does not exist (skipped by a clock change) is refused; an
/// ambiguous one (repeated) takes the earlier instant. Events and coaching sessions share it.
pub fn parse_local_time(raw: &str, time_zone: Tz) -> Result<DateTime<Utc>, String> {
    let naive = NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw.trim(), "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| "Use a date and time like 2027-03-04T09:30.".to_owned())?;
    time_zone
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| "This time does not exist in that time zone (the clocks change).".to_owned())
}

/// An event's local start and end (see [`parse_local_time`]), read in `zone`.
pub fn parse_event_time(
    start: &str,
    end: &str,
    zone: &str,
) -> Result<EventTime, (&'static str, String)> {
    let time_zone = parse_time_zone(zone).map_err(|e| ("time_zone", e))?;
    let local = |raw: &str, field: &'static str| {
        parse_local_time(raw, time_zone).map_err(|message| (field, message))
    };
    let starts_at = local(start, "starts_at")?;
    let ends_at = local(end, "ends_at")?;
    if ends_at <= starts_at {
        return Err(("ends_at", "The event must end after it starts.".into()));
    }
    if ends_at - starts_at > Duration::days(MAX_EVENT_DAYS) {
        return Err((
            "ends_at",
            format!("An event lasts at most {MAX_EVENT_DAYS} days."),
        ));
    }
    Ok(EventTime {
        starts_at,
        ends_at,
        time_zone,
    })
}

pub fn parse_capacity(raw: &str) -> Result<Option<i64>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(Some(n)),
        _ => Err(format!(
            "Use a number of seats from 1 to {MAX_CAPACITY}, or leave it empty."
        )),
    }
}

/// Whether one more person can say they are coming.
pub fn has_seat(capacity: Option<i64>, going: i64) -> bool {
    capacity.is_none_or(|seats| going < seats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_become_utc_in_their_zone() {
        let t = parse_event_time("2027-03-04T09:30", "2027-03-04T11:00", "Europe/Berlin").unwrap();
        assert_eq!(t.starts_at.to_rfc3339(), "2027-03-04T08:30:00+00:00");
        assert_eq!(t.ends_at.to_rfc3339(), "2027-03-04T10:00:00+00:00");
        let summer =
            parse_event_time("2027-07-01T09:00", "2027-07-01T10:00", "America/New_York").unwrap();
        assert_eq!(summer.starts_at.to_rfc3339(), "2027-07-01T13:00:00+00:00");
    }

    #[test]
    fn refuses_impossible_events() {
        assert_eq!(
            parse_event_time("2027-03-04T09:30", "2027-03-04T09:30", "UTC")
                .unwrap_err()
                .0,
            "ends_at"
        );
        assert_eq!(
            parse_event_time("2027-03-04T09:30", "2027-03-30T09:30", "UTC")
                .unwrap_err()
                .0,
            "ends_at"
        );
        assert_eq!(
            parse_event_time("tomorrow", "2027-03-04T09:30", "UTC")
                .unwrap_err()
                .0,
            "starts_at"
        );
        assert_eq!(
            parse_event_time("2027-03-04T09:30", "2027-03-04T10:30", "Mars/Olympus")
                .unwrap_err()
                .0,
            "time_zone"
        );
        // 02:30 does not exist in Berlin when the clocks go forward.
        assert_eq!(
            parse_event_time("2027-03-28T02:30", "2027-03-28T04:00", "Europe/Berlin")
                .unwrap_err()
                .0,
            "starts_at"
        );
    }

    #[test]
    fn capacity_and_seats() {
        assert_eq!(parse_capacity(""), Ok(None));
        assert_eq!(parse_capacity(" 12 "), Ok(Some(12)));
        assert!(
            parse_capacity("0").is_err()
                && parse_capacity("-3").is_err()
                && parse_capacity("lots").is_err()
        );
        assert!(has_seat(None, 1_000_000));
        assert!(has_seat(Some(2), 1) && !has_seat(Some(2), 2));
    }
}
