//! Recognition without ranking everyone: the points ledger's rules (no self-reward, daily caps,
//! a cap per pair of people, reversals), badge rules, and Open Badges 3.0 credentials.

pub mod badges;
pub mod credential;
pub mod kudos;
pub mod points;
pub mod status_list;

pub use badges::{AutoBadge, Record};
pub use points::{
    Claim, Decision, Earning, Line, PAIR_WEEKLY_CAP, Refusal, Tally, decide, reversal, streak_earns,
};
