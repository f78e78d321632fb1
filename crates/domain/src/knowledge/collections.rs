//! Collections: learning paths through the library, resources in a chosen order ("start with
//! the glossary, then the SQL basics…"), with each reader's progress along them.

use crate::FieldErrors;
use crate::fields::single_line;
use crate::spaces::parse_long_text;
use std::collections::BTreeSet;

/// Resources in one collection, at most: a path longer than this is a library of its own.
pub const MAX_ITEMS: usize = 100;
pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;

/// A valid collection's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionFields {
    pub title: String,
    /// Markdown; may be empty.
    pub description: String,
}

pub fn parse_collection(title: &str, description: &str) -> Result<CollectionFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", single_line(title, MAX_TITLE_CHARS));
    let description = errors.check(
        "description",
        parse_long_text(description, MAX_DESCRIPTION_CHARS, false),
    );
    match (title, description) {
        (Some(title), Some(description)) => Ok(CollectionFields { title, description }),
        _ => Err(errors),
    }
}

/// A reader's progress along a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items of the collection the reader marked done.
    pub done: usize,
    pub total: usize,
    /// The first item in order not done yet; `None` when all are done (or there are none).
    pub next: Option<i64>,
}

impl Progress {
    /// "3 of 7 done".
    pub fn label(&self) -> String {
        format!("{} of {} done", self.done, self.total)
    }

    pub fn complete(&self) -> bool {
        self.total > 0 && self.done == self.total
    }
}

/// Progress through `items` (resource ids in order) for a reader who marked `done` (which may
/// hold resources from elsewhere: they do not count). The next item is the first one not done,
/// even when later ones are: paths are ordered for a reason, and a skipped step is worth
/// coming back to.
pub fn progress(items: &[i64], done: &BTreeSet<i64>) -> Progress {
    Progress {
        done: items.iter().filter(|id| done.contains(id)).count(),
        total: items.len(),
        next: items.iter().copied().find(|id| !done.contains(id)),
    }
}

/// Whether `resource` may join a collection holding `items`: once each, [`MAX_ITEMS`] at most.
pub fn may_add(items: &[i64], resource: i64) -> Result<(), String> {
    if items.contains(&resource) {
        Err("This resource is in the collection already.".into())
    } else if items.len() >= MAX_ITEMS {
        Err(format!("A collection holds at most {MAX_ITEMS} resources."))
    } else {
        Ok(())
    }
}

/// A new order must hold exactly the items of the current one, each once: a reorder that
/// added, dropped or doubled an item (a stale page, a crafted request) is refused whole.
pub fn check_reorder(current: &[i64], proposed: &[i64]) -> Result<(), String> {
    let unique: BTreeSet<i64> = proposed.iter().copied().collect();
    let same = proposed.len() == current.len()
        && unique.len() == proposed.len()
        && current.iter().all(|id| unique.contains(id));
    if same {
        Ok(())
    } else {
        Err("The collection changed meanwhile; reload it and order it again.".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn progress_counts_the_path_and_points_to_the_next_step() {
        let path = [10, 20, 30, 40, 50, 60, 70];
        let done = BTreeSet::from([10, 30, 40, 99]);
        let progress = progress(&path, &done);
        assert_eq!(
            progress,
            Progress {
                done: 3,
                total: 7,
                next: Some(20)
            }
        );
        assert_eq!(progress.label(), "3 of 7 done");
        assert!(!progress.complete());

        let all = super::progress(&[1, 2], &BTreeSet::from([1, 2]));
        assert_eq!(all.next, None);
        assert!(all.complete());
        let empty = super::progress(&[], &BTreeSet::new());
        assert_eq!(
            (empty.label().as_str(), empty.complete()),
            ("0 of 0 done", false)
        );
    }

    #[test]
    fn items_join_once_and_up_to_the_limit() {
        assert!(may_add(&[1, 2], 3).is_ok());
        assert!(may_add(&[1, 2], 2).is_err());
        let full: Vec<i64> = (0..100).collect();
        assert!(may_add(&full, 100).is_err());
        assert!(may_add(&full[..99], 100).is_ok());
    }

    #[test]
    fn a_reorder_is_a_permutation() {
        assert!(check_reorder(&[1, 2, 3], &[3, 1, 2]).is_ok());
        assert!(check_reorder(&[], &[]).is_ok());
        assert!(check_reorder(&[1, 2, 3], &[1, 2]).is_err());
        assert!(check_reorder(&[1, 2, 3], &[1, 2, 3, 4]).is_err());
        assert!(check_reorder(&[1, 2, 3], &[1, 1, 2]).is_err());
        assert!(check_reorder(&[1, 2, 3], &[1, 2, 4]).is_err());
        assert!(check_reorder(&[1, 1, 2], &[1, 2, 2]).is_err());
    }

    #[test]
    fn collections_have_a_title() {
        assert_eq!(
            parse_collection(" SQL from zero ", "").unwrap().title,
            "SQL from zero"
        );
        let errors = parse_collection("", "nul\u{0}").unwrap_err();
        assert!(errors.get("title").is_some() && errors.get("description").is_some());
    }

    proptest! {
        #[test]
        fn progress_is_consistent(
            items in prop::collection::btree_set(0i64..50, 0..20),
            done in prop::collection::btree_set(0i64..50, 0..30),
            seed in any::<u64>(),
        ) {
            let mut items: Vec<i64> = items.into_iter().collect();
            // Some order other than sorted.
            let len = items.len().max(1);
            items.rotate_left(usize::try_from(seed).unwrap_or(0) % len);
            let p = progress(&items, &done);
            prop_assert!(p.done <= p.total);
            prop_assert_eq!(p.total, items.len());
            prop_assert_eq!(p.complete(), !items.is_empty() && p.next.is_none());
            if let Some(next) = p.next {
                prop_assert!(!done.contains(&next));
                let at = items.iter().position(|&i| i == next).unwrap();
                prop_assert!(items[..at].iter().all(|i| done.contains(i)));
            }
            let mut reversed = items.clone();
            reversed.reverse();
            prop_assert!(check_reorder(&items, &reversed).is_ok());
        }
    }
}
