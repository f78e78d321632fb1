//! Votes: "I want this too". One per person per idea (the store's key on idea and voter), never
//! on one's own idea, and only while the idea still waits for a decision.

use super::status::IdeaStatus;
use std::collections::BTreeSet;

/// Votes are open while a vote can still inform a decision: Proposal, UnderDiscussion and
/// Piloting. Once adopted or implemented the decision is made; a parked idea is reopened for
/// discussion before it gathers support again; a merged idea's votes moved to the idea it was
/// merged into ([`merged_votes`]). A vote can be taken back while votes are open.
pub fn votes_open(status: IdeaStatus) -> bool {
    matches!(
        status,
        IdeaStatus::Proposal | IdeaStatus::UnderDiscussion | IdeaStatus::Piloting
    )
}

/// Whether `voter` may vote for an idea written by `author`.
pub fn may_vote(voter: i64, author: i64, status: IdeaStatus) -> Result<(), String> {
    if voter == author {
        return Err("Votes are for other people's ideas.".into());
    }
    if votes_open(status) {
        return Ok(());
    }
    Err(match status {
        IdeaStatus::Merged => "This idea was merged: vote for the idea it was merged into.".into(),
        IdeaStatus::Parked => {
            "This idea is parked; votes reopen when it is discussed again.".into()
        }
        _ => "This idea has been decided on; votes are closed.".into(),
    })
}

/// The voters of the kept idea after a merge: its own voters and the duplicate's, each once. The
/// kept idea's author drops out, as nobody votes for their own idea.
pub fn merged_votes(
    kept_author: i64,
    kept: &BTreeSet<i64>,
    duplicate: &BTreeSet<i64>,
) -> BTreeSet<i64> {
    kept.union(duplicate)
        .copied()
        .filter(|&voter| voter != kept_author)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn votes_are_for_others_while_a_decision_is_open() {
        assert!(may_vote(1, 1, IdeaStatus::Proposal).is_err());
        for status in [
            IdeaStatus::Proposal,
            IdeaStatus::UnderDiscussion,
            IdeaStatus::Piloting,
        ] {
            assert!(may_vote(2, 1, status).is_ok(), "{status:?}");
        }
        for status in [
            IdeaStatus::Adopted,
            IdeaStatus::Implemented,
            IdeaStatus::Parked,
            IdeaStatus::Merged,
        ] {
            assert!(may_vote(2, 1, status).is_err(), "{status:?}");
        }
        assert!(
            may_vote(2, 1, IdeaStatus::Merged)
                .unwrap_err()
                .contains("merged into")
        );
    }

    #[test]
    fn a_merge_carries_votes_over_once() {
        let kept = BTreeSet::from([2, 3]);
        let duplicate = BTreeSet::from([3, 4, 1]);
        assert_eq!(
            merged_votes(1, &kept, &duplicate),
            BTreeSet::from([2, 3, 4])
        );
    }

    proptest! {
        #[test]
        fn merged_votes_never_include_the_author(
            author in 0i64..10,
            kept in prop::collection::btree_set(0i64..10, 0..10),
            duplicate in prop::collection::btree_set(0i64..10, 0..10),
        ) {
            let voters = merged_votes(author, &kept, &duplicate);
            prop_assert!(!voters.contains(&author));
            prop_assert!(voters.len() <= kept.len() + duplicate.len());
            for voter in kept.iter().chain(&duplicate) {
                prop_assert!(*voter == author || voters.contains(voter));
            }
        }
    }
}
