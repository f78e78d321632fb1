//! Recognition for help given: points earned by the ledger's rules (`earn`), kudos (`kudos`),
//! badges awarded by rule or by a facilitator (`badges`), and a member's own page with the
//! leaderboards they chose to appear on (`mine`). Other modules only claim points or take them
//! back inside their own transactions; the outbox carries the claim out, so a slow ledger never
//! slows a reply or a reaction.

mod badges;
mod credentials;
mod earn;
mod kudos;
mod mine;

pub use badges::{BadgeAward, BadgePage};
pub use credentials::CredentialView;
pub(crate) use earn::{EFFECTS, Merit, Source, claim, take_back};
/// A badge with how many hold it, as lists show it.
pub use guildhall_store::rewards::badges::BadgeRow;
pub use kudos::Kudos;
pub use mine::{Leaderboard, LeaderboardEntry, LedgerLine, MyRewards, Recognition};
