//! The current time, at the precision both databases keep (microseconds), so that a value read
//! back equals the value written.

use chrono::{DateTime, SubsecRound, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Remembers the last day some daily work ran in this process (work that is safe to repeat,
/// so several instances each running it once a day is fine).
#[derive(Default)]
pub(crate) struct Daily {
    last: std::sync::Mutex<Option<chrono::NaiveDate>>,
}

impl Daily {
    /// True the first time it is asked on `today`.
    pub(crate) fn first_time_today(&self, today: chrono::NaiveDate) -> bool {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let first = *last != Some(today);
        *last = Some(today);
        first
    }
}
