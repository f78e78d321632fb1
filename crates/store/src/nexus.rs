//! People from other platforms, where posts came from, and the federation tables.

pub mod federation;
pub mod remote;
