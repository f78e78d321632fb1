//! The idea board: ideas beside their threads (`board`), votes kept with a count (`votes`),
//! build-on and merge links and the families they make (`lineage`), and the decisions taken on
//! each idea (`decisions`).

pub mod board;
pub mod decisions;
pub mod lineage;
pub mod votes;
