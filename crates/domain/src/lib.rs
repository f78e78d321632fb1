//! Guildhall's rules, free of I/O: what a valid name, email or password is, which roles exist,
//! who may sign up. Every face calls these through `app`, so each rule is written once.

pub mod coaching;
pub mod connectors;
pub mod email;
pub mod events;
pub mod evidence;
pub mod fields;
pub mod ideas;
pub mod insights;
pub mod knowledge;
pub mod moderation;
pub mod nexus;
pub mod partners;
pub mod people;
pub mod rewards;
pub mod search;
pub mod spaces;
pub mod threads;
pub mod xml;

pub use fields::FieldErrors;
