//! Coaching: coach profiles and their skills, requests, sessions, private notes and outcomes.
//! Status changes are conditional updates (`… WHERE status = expected`): two people acting at
//! once cannot both win, and the loser learns it from a `false`.

mod coaches;
mod requests;
mod sessions;

pub use coaches::*;
pub use requests::*;
pub use sessions::*;
