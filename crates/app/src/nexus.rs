//! The use cases of other platforms: remote people who write here (through the same content
//! check and review queue as members), and ActivityPub federation of open spaces. The `nexus`
//! crate parses what arrives and delivers what leaves; the decisions are made here.

pub mod federation;
pub mod remote;

pub(crate) const EFFECTS: &[crate::outbox::Effect] = federation::EFFECTS;
