//! iCalendar (RFC 5545) files: events of spaces and coaching sessions are written the same way,
//! with identifiers and links that use the server's public address.

use crate::App;
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike};

/// One entry of a calendar file.
pub(crate) struct CalendarEntry<'a> {
    /// Unique within this Guildhall, e.g. `event-7` or `coaching-session-3`.
    pub key: String,
    pub summary: &'a str,
    pub description: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// A path on this server, e.g. `/events/7`.
    pub path: String,
    /// A place, or a video link.
    pub location: Option<&'a str>,
}

impl App {
    /// A calendar named `name` holding `entries`.
    pub(crate) fn calendar_file(&self, name: &str, entries: &[CalendarEntry<'_>]) -> String {
        let base = self.settings().server.public_url.trim_end_matches('/');
        let host = base
            .split("://")
            .nth(1)
            .unwrap_or("guildhall")
            .split('/')
            .next()
            .unwrap_or("guildhall");
        let mut calendar = Calendar::new();
        calendar.name(name);
        for entry in entries {
            let mut event = icalendar::Event::new();
            event
                .uid(&format!("{}@{host}", entry.key))
                .summary(entry.summary)
                .description(entry.description)
                .starts(entry.starts_at)
                .ends(entry.ends_at)
                .url(&format!("{base}{}", entry.path));
            if let Some(location) = entry.location {
                event.location(location);
            }
            calendar.push(event.done());
        }
        calendar.done().to_string()
    }
}
