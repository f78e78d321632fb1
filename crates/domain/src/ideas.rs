//! The idea board: an idea names a problem, a proposal and the benefit expected; people vote
//! for it, build on it, and deciders take it from proposal to implementation. Credit for an
//! adopted idea goes to everyone whose idea led to it: recognition follows help given.
//!
//! - [`fields`]: what a valid idea says (title, texts, tags).
//! - [`status`]: the road from proposal to implementation, who may move an idea, when credit
//!   flows.
//! - [`votes`]: one vote per person, never on one's own idea.
//! - [`lineage`]: build-ons and merges, families, and who is credited.
//! - [`tree`]: a family drawn as SVG for pages without JavaScript.
//! - [`similar`]: ideas like the one being written, without a model.

pub mod fields;
pub mod lineage;
pub mod similar;
pub mod status;
pub mod tree;
pub mod votes;

pub use fields::{IdeaDraft, IdeaFields, parse_idea, parse_tags};
pub use lineage::{
    Contributor, Family, Link, LinkKind, MAX_PARENTS, Via, contributors, family, may_link,
    would_cycle,
};
pub use status::{
    Actor, Credit, IdeaStatus, credits_on, may_build_on, may_merge_into, may_move, moves,
    parse_park_reason,
};
pub use votes::{may_vote, merged_votes, votes_open};
