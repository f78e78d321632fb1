//! Roles beyond membership. Every signed-in person is a member; these are granted on top.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Facilitator,
    Coach,
    Moderator,
    Hr,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Facilitator,
        Role::Coach,
        Role::Moderator,
        Role::Hr,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Facilitator => "facilitator",
            Role::Coach => "coach",
            Role::Moderator => "moderator",
            Role::Hr => "hr",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Facilitator => "Facilitator",
            Role::Coach => "Coach",
            Role::Moderator => "Moderator",
            Role::Hr => "HR",
            Role::Admin => "Administrator",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == raw)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A small set of roles, cheap to copy into every request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoleSet(u8);

impl RoleSet {
    pub fn contains(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    pub fn insert(&mut self, role: Role) {
        self.0 |= role.bit();
    }

    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL
            .into_iter()
            .filter(move |role| self.contains(*role))
    }
}

impl FromIterator<Role> for RoleSet {
    fn from_iter<T: IntoIterator<Item = Role>>(iter: T) -> Self {
        let mut set = RoleSet::default();
        for role in iter {
            set.insert(role);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip_and_sets_hold_them() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        let set: RoleSet = [Role::Hr, Role::Admin].into_iter().collect();
        assert!(set.contains(Role::Hr) && set.contains(Role::Admin));
        assert!(!set.contains(Role::Moderator));
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![Role::Hr, Role::Admin]);
    }
}
