//! Where an idea stands, who may move it, and the moments credit flows.
//!
//! The road is Proposal → UnderDiscussion → Piloting → Adopted → Implemented, with two ways off
//! it: Parked (with a reason; it can come back) and Merged into another idea (final). The rules,
//! each for a reason:
//!
//! - **Proposal ↔ UnderDiscussion is the author's call** (deciders may make it too): opening an
//!   idea for discussion, or taking it back to rework it, changes nothing for anyone else.
//! - **Only deciders** — facilitators of the idea's space and administrators — move an idea
//!   further (Piloting, Adopted, Implemented), park it, reopen a parked idea and merge ideas:
//!   those are decisions for the space, and adoption is when credit flows.
//! - **Nobody adopts their own idea.** A facilitator who wrote it needs another decider: credit
//!   should follow someone else's judgement. (`rewards::points::decide` also refuses points
//!   whose actor is their recipient, so a decider who wrote an ancestor earns nothing either.)
//! - **Piloting is optional**, but Implemented comes only after Adopted, so adoption is always
//!   a recorded decision and both credit moments happen in order.
//! - A pilot that raised questions goes back to UnderDiscussion; an adopted idea can still be
//!   parked (circumstances change) but not un-adopted to an earlier step.
//! - A parked idea is reopened to UnderDiscussion, never straight to a later step: it was
//!   stopped for a reason, which people should be able to discuss again first.
//! - Implemented and Merged are final. An adopted idea is not merged away: merge the other one
//!   into it.

use crate::fields::single_line;
use crate::rewards::Earning;
use crate::spaces::word_enum;

word_enum!(
    /// Where an idea stands on the board.
    IdeaStatus {
        Proposal => "proposal" / "Proposal",
        UnderDiscussion => "under_discussion" / "Under discussion",
        Piloting => "piloting" / "Piloting",
        Adopted => "adopted" / "Adopted",
        Implemented => "implemented" / "Implemented",
        Parked => "parked" / "Parked",
        Merged => "merged" / "Merged",
    }
);

impl IdeaStatus {
    /// Nothing moves an idea on from here.
    pub fn is_final(self) -> bool {
        matches!(self, IdeaStatus::Implemented | IdeaStatus::Merged)
    }
}

/// Who is asking to move an idea. One person can be both (a facilitator who wrote the idea);
/// someone who is neither may move nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Actor {
    /// They wrote the idea (its owner).
    pub author: bool,
    /// A facilitator of the idea's space or an administrator.
    pub decider: bool,
}

impl Actor {
    pub const MEMBER: Actor = Actor {
        author: false,
        decider: false,
    };
    pub const AUTHOR: Actor = Actor {
        author: true,
        decider: false,
    };
    pub const DECIDER: Actor = Actor {
        author: false,
        decider: true,
    };

    pub fn new(author: bool, decider: bool) -> Actor {
        Actor { author, decider }
    }
}

/// Whether `actor` may move an idea from `from` to `to`; the error says why not, in words for
/// the person who tried. Moving to Parked also needs a reason ([`parse_park_reason`]); merging
/// also needs the lineage rules (`lineage::may_link`) and [`may_merge_into`].
pub fn may_move(from: IdeaStatus, to: IdeaStatus, actor: Actor) -> Result<(), String> {
    use IdeaStatus::{Adopted, Implemented, Merged, Parked, Piloting, Proposal, UnderDiscussion};
    if from == to {
        return Err(format!("The idea is already {}.", lower(to)));
    }
    match from {
        Implemented => return Err("An implemented idea stays implemented.".into()),
        Merged => {
            return Err("A merged idea lives on in the idea it was merged into.".into());
        }
        _ => {}
    }
    let possible = match to {
        Proposal => from == UnderDiscussion,
        UnderDiscussion => matches!(from, Proposal | Piloting | Parked),
        Piloting => matches!(from, Proposal | UnderDiscussion),
        Adopted => matches!(from, Proposal | UnderDiscussion | Piloting),
        Implemented => from == Adopted,
        Parked => matches!(from, Proposal | UnderDiscussion | Piloting | Adopted),
        Merged => matches!(from, Proposal | UnderDiscussion | Piloting | Parked),
    };
    if !possible {
        return Err(match (from, to) {
            (_, Implemented) => "An idea is adopted before it is implemented.".into(),
            (Adopted, Merged) => "An adopted idea is kept: merge the other idea into it.".into(),
            (Parked, _) => "Reopen a parked idea for discussion first.".into(),
            (Adopted, _) => "An adopted idea can be implemented or parked.".into(),
            _ => format!("An idea cannot go from {} to {}.", lower(from), lower(to)),
        });
    }
    let authors_call = matches!(
        (from, to),
        (Proposal, UnderDiscussion) | (UnderDiscussion, Proposal)
    );
    if authors_call {
        return if actor.author || actor.decider {
            Ok(())
        } else {
            Err("Only the idea's author or a facilitator can do that.".into())
        };
    }
    if !actor.decider {
        return Err("Only a facilitator of the space or an administrator can decide that.".into());
    }
    if to == Adopted && actor.author {
        return Err("Your own idea is adopted by another facilitator or an administrator.".into());
    }
    Ok(())
}

/// Where `actor` may move an idea from `from`, in board order: the buttons to show.
pub fn moves(from: IdeaStatus, actor: Actor) -> Vec<IdeaStatus> {
    IdeaStatus::ALL
        .iter()
        .copied()
        .filter(|&to| may_move(from, to, actor).is_ok())
        .collect()
}

/// The idea another one is merged into must still be on the board: a merged idea sends people
/// on to the idea it was merged into, which is where a new duplicate belongs too.
pub fn may_merge_into(kept: IdeaStatus) -> Result<(), String> {
    if kept == IdeaStatus::Merged {
        Err("That idea was merged itself: merge into the idea it was merged into.".into())
    } else {
        Ok(())
    }
}

/// Building on an idea keeps its author in the credit, so any idea can be built on except a
/// merged one (build on the idea it was merged into instead).
pub fn may_build_on(parent: IdeaStatus) -> Result<(), String> {
    if parent == IdeaStatus::Merged {
        Err("That idea was merged: build on the idea it was merged into.".into())
    } else {
        Ok(())
    }
}

pub const MAX_PARK_REASON_CHARS: usize = 280;

/// Why an idea is parked: required, one line. People put effort into an idea; they deserve to
/// read why it stopped, and whoever reopens it needs to know what changed.
pub fn parse_park_reason(raw: &str) -> Result<String, String> {
    single_line(raw, MAX_PARK_REASON_CHARS).map_err(|_| {
        format!(
            "Say in one line (up to {MAX_PARK_REASON_CHARS} characters) why the idea is parked."
        )
    })
}

/// A moment credit flows to the people behind an idea (see `lineage::contributors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Credit {
    Adopted,
    Implemented,
}

impl Credit {
    /// The points-ledger rule that pays this credit.
    pub fn earning(self) -> Earning {
        match self {
            Credit::Adopted => Earning::IdeaAdopted,
            Credit::Implemented => Earning::IdeaImplemented,
        }
    }
}

/// Which move credits the idea's contributors: reaching Adopted, and reaching Implemented.
/// Discussing, piloting, parking and merging credit nobody. An idea parked after adoption and
/// adopted again would reach Adopted twice: the app keys ledger lines by idea so that credit
/// flows once per idea and moment.
pub fn credits_on(to: IdeaStatus) -> Option<Credit> {
    match to {
        IdeaStatus::Adopted => Some(Credit::Adopted),
        IdeaStatus::Implemented => Some(Credit::Implemented),
        _ => None,
    }
}

fn lower(status: IdeaStatus) -> String {
    status.label().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdeaStatus::{Adopted, Implemented, Merged, Parked, Piloting, Proposal, UnderDiscussion};
    use proptest::prelude::*;

    #[test]
    fn words_round_trip() {
        for &status in IdeaStatus::ALL {
            assert_eq!(IdeaStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(IdeaStatus::parse("under_discussion"), Some(UnderDiscussion));
        assert_eq!(IdeaStatus::parse("Adopted"), None);
    }

    #[test]
    fn the_author_opens_and_withdraws_discussion_only() {
        assert!(may_move(Proposal, UnderDiscussion, Actor::AUTHOR).is_ok());
        assert!(may_move(UnderDiscussion, Proposal, Actor::AUTHOR).is_ok());
        assert_eq!(moves(Proposal, Actor::AUTHOR), [UnderDiscussion]);
        assert_eq!(moves(UnderDiscussion, Actor::AUTHOR), [Proposal]);
        for to in [Piloting, Adopted, Parked, Merged] {
            assert!(
                may_move(UnderDiscussion, to, Actor::AUTHOR).is_err(),
                "{to:?}"
            );
        }
        for &from in IdeaStatus::ALL {
            assert!(moves(from, Actor::MEMBER).is_empty(), "{from:?}");
        }
    }

    #[test]
    fn deciders_take_ideas_down_the_road() {
        let d = Actor::DECIDER;
        assert_eq!(
            moves(Proposal, d),
            [UnderDiscussion, Piloting, Adopted, Parked, Merged]
        );
        assert_eq!(
            moves(UnderDiscussion, d),
            [Proposal, Piloting, Adopted, Parked, Merged]
        );
        assert_eq!(
            moves(Piloting, d),
            [UnderDiscussion, Adopted, Parked, Merged]
        );
        assert_eq!(moves(Adopted, d), [Implemented, Parked]);
        assert_eq!(moves(Parked, d), [UnderDiscussion, Merged]);
        assert!(moves(Implemented, d).is_empty());
        assert!(moves(Merged, d).is_empty());
    }

    #[test]
    fn refusals_explain_themselves() {
        let d = Actor::DECIDER;
        assert_eq!(
            may_move(Proposal, Implemented, d).unwrap_err(),
            "An idea is adopted before it is implemented."
        );
        assert_eq!(
            may_move(Parked, Adopted, d).unwrap_err(),
            "Reopen a parked idea for discussion first."
        );
        assert_eq!(
            may_move(Adopted, Adopted, d).unwrap_err(),
            "The idea is already adopted."
        );
        assert!(
            may_move(Adopted, Merged, d)
                .unwrap_err()
                .contains("merge the other")
        );
        assert!(may_move(Implemented, Parked, d).is_err());
        assert!(may_move(Merged, UnderDiscussion, d).is_err());
        assert!(may_move(Piloting, Adopted, Actor::MEMBER).is_err());
    }

    #[test]
    fn nobody_adopts_their_own_idea() {
        let both = Actor::new(true, true);
        assert!(may_move(UnderDiscussion, Adopted, both).is_err());
        assert!(may_move(UnderDiscussion, Adopted, Actor::DECIDER).is_ok());
        // Everything else a decider may do stays open to a decider who wrote the idea.
        assert!(may_move(UnderDiscussion, Piloting, both).is_ok());
        assert!(may_move(Adopted, Implemented, both).is_ok());
        assert!(may_move(Piloting, Parked, both).is_ok());
    }

    #[test]
    fn credit_flows_on_adoption_and_implementation() {
        assert_eq!(credits_on(Adopted), Some(Credit::Adopted));
        assert_eq!(credits_on(Implemented), Some(Credit::Implemented));
        for to in [Proposal, UnderDiscussion, Piloting, Parked, Merged] {
            assert_eq!(credits_on(to), None);
        }
        assert_eq!(Credit::Adopted.earning(), Earning::IdeaAdopted);
        assert_eq!(Credit::Implemented.earning(), Earning::IdeaImplemented);
    }

    #[test]
    fn parking_needs_a_reason_and_merging_a_live_idea() {
        assert_eq!(
            parse_park_reason("  No budget this year ").as_deref(),
            Ok("No budget this year")
        );
        assert!(parse_park_reason(" ").is_err());
        assert!(parse_park_reason("two\nlines").is_err());
        assert!(parse_park_reason(&"x".repeat(MAX_PARK_REASON_CHARS + 1)).is_err());
        assert!(may_merge_into(Merged).is_err());
        assert!(may_merge_into(Parked).is_ok());
        assert!(may_build_on(Merged).is_err());
        assert!(may_build_on(Implemented).is_ok());
    }

    fn status() -> impl Strategy<Value = IdeaStatus> {
        prop::sample::select(IdeaStatus::ALL)
    }

    proptest! {
        #[test]
        fn any_sequence_of_allowed_moves_keeps_the_road(
            steps in prop::collection::vec((status(), any::<bool>(), any::<bool>()), 0..40)
        ) {
            let mut current = Proposal;
            let mut adopted = false;
            for (to, author, decider) in steps {
                let actor = Actor::new(author, decider);
                if may_move(current, to, actor).is_err() {
                    continue;
                }
                prop_assert!(!current.is_final());
                prop_assert!(actor.decider || (actor.author && matches!(to, Proposal | UnderDiscussion)));
                if to == Implemented {
                    prop_assert_eq!(current, Adopted);
                    prop_assert!(adopted);
                }
                if to == Adopted {
                    prop_assert!(!actor.author);
                    adopted = true;
                }
                current = to;
            }
        }
    }
}
