//! Guildhall's database. SQLite (embedded default) and PostgreSQL are both first-class; the choice
//! of pool is made once, in [`db`], and every query below is one SQL text for both where possible.

pub mod bulk;
pub mod coaching;
pub mod connectors;
pub mod db;
pub mod directory;
pub mod email;
pub mod error;
pub mod events;
pub mod feeds;
pub mod files;
pub mod ideas;
pub mod identities;
pub mod insights;
pub mod knowledge;
pub mod moderation;
pub mod network;
pub mod nexus;
pub mod notify;
pub mod outbox;
pub mod partners;
pub mod people;
pub mod profiles;
pub mod rewards;
pub mod search;
pub mod second_factor;
pub mod spaces;
pub mod testing;
pub mod threads;

pub use db::{Backend, Db, Tx};
pub use error::StoreError;

pub type Result<T> = std::result::Result<T, StoreError>;
