//! Who is behind a credential, remembered for a few seconds. Every request needs its viewer; a
//! page would otherwise spend two queries on it. Revocation (sign-out, revoked sessions and
//! tokens, changed roles) forgets the entries at once on this instance; other instances of a
//! cluster keep them for at most [`TTL`].

use super::Viewer;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub const TTL: Duration = Duration::from_secs(15);
/// A bound on memory: past it the cache starts over (it is only a cache).
const MAX_ENTRIES: usize = 50_000;

#[derive(Default)]
pub struct ViewerCache {
    entries: Mutex<HashMap<String, (Viewer, Instant)>>,
}

impl ViewerCache {
    fn entries(&self) -> MutexGuard<'_, HashMap<String, (Viewer, Instant)>> {
        // A panic elsewhere cannot leave the map inconsistent: take it as it is.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn get(&self, credential_hash: &str) -> Option<Viewer> {
        let entries = self.entries();
        entries
            .get(credential_hash)
            .filter(|(_, at)| at.elapsed() < TTL)
            .map(|(viewer, _)| viewer.clone())
    }

    pub fn put(&self, credential_hash: String, viewer: Viewer) {
        let mut entries = self.entries();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(credential_hash, (viewer, Instant::now()));
    }

    pub fn forget(&self, credential_hash: &str) {
        self.entries().remove(credential_hash);
    }

    /// Forgets every credential of one person (signed out everywhere, roles changed, …).
    pub fn forget_person(&self, user_id: i64) {
        self.entries().retain(|_, (viewer, _)| viewer.id != user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::Credential;
    use guildhall_domain::people::RoleSet;

    fn viewer(id: i64) -> Viewer {
        Viewer {
            id,
            email: String::new(),
            given_name: String::new(),
            display_name: String::new(),
            roles: RoleSet::default(),
            dormant_roles: RoleSet::default(),
            credential: Credential::CommandLine,
        }
    }

    #[test]
    fn remembers_and_forgets() {
        let cache = ViewerCache::default();
        cache.put("a".into(), viewer(1));
        cache.put("b".into(), viewer(1));
        cache.put("c".into(), viewer(2));
        assert_eq!(cache.get("a").map(|v| v.id), Some(1));
        cache.forget("a");
        assert!(cache.get("a").is_none());
        cache.forget_person(1);
        assert!(cache.get("b").is_none());
        assert_eq!(cache.get("c").map(|v| v.id), Some(2));
    }
}
