//! Care signals ("may need help") and the community's voice ("listen more, talk less"): pure
//! rules, each one explained in a sentence the member can read. DESIGN.md §7: signals go to
//! the people who can help, never to HR or managers, and never become a score on a profile.

mod signals;
mod stuck;
mod voice;

pub use signals::{
    CareStep, CheckInReading, FIRST_POST_HOURS, Helper, SILENT_DAYS, SignalKind, fell_silent,
    low_progress, may_see, status_after,
};
pub use stuck::says_stuck;
pub use voice::{Voice, gini, median, talks_too_much, top_decile_share, week_of, week_start};
