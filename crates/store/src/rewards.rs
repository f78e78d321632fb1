//! Rewards: the append-only points ledger and the totals kept beside it (`ledger`), kudos
//! (`kudos`), badges and their awards (`badges`).

pub mod badges;
pub mod kudos;
pub mod ledger;
