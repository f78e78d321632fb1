//! The people network: following colleagues, endorsing them for a skill with a short reason,
//! and "who knows about X" — people ranked by the evidence that they know it, each result with
//! the sentences that explain its place.

use crate::evidence::{HelpEvidence, RankCursor};
use crate::fields::single_line;

pub const MAX_REASON_CHARS: usize = 280;

/// Why someone endorses a colleague: one short line, required (an endorsement without a reason
/// says little).
pub fn parse_reason(raw: &str) -> Result<String, String> {
    single_line(raw, MAX_REASON_CHARS).map_err(|_| {
        format!("Say in one line (up to {MAX_REASON_CHARS} characters) how they helped you.")
    })
}

/// Nobody endorses themselves; the same endorser endorses a person for a skill once.
pub fn may_endorse(endorser: i64, person: i64) -> Result<(), String> {
    if endorser == person {
        Err("You cannot endorse yourself.".into())
    } else {
        Ok(())
    }
}

/// What is known about one person and one skill.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnowerEvidence {
    pub person_id: i64,
    /// The skill is on their profile.
    pub lists_skill: bool,
    /// They are an approved coach for the skill.
    pub coaches_skill: bool,
    pub help: HelpEvidence,
}

/// A place in "who knows about X".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedKnower {
    pub person_id: i64,
    pub points: i64,
    /// Why they are here, strongest evidence first; never empty.
    pub reasons: Vec<String>,
}

impl RankedKnower {
    pub fn position(&self) -> RankCursor {
        RankCursor {
            tier: 0,
            points: self.points,
            id: self.person_id,
        }
    }
}

/// Saying you know something counts less than one accepted answer or two colleagues saying it;
/// coaching it counts most (an approved coach was vetted by an administrator or facilitator).
const LISTS_POINTS: i64 = 5;
const COACHES_POINTS: i64 = 20;

/// Ranks people for a skill: by points (high first), then by id, so the same evidence always
/// gives the same order. People with no evidence at all are left out; a person whose only
/// evidence is poor ratings still appears (with the ratings said), so nothing is hidden from
/// the one asking.
pub fn rank_knowers(skill: &str, evidence: &[KnowerEvidence]) -> Vec<RankedKnower> {
    let mut ranked: Vec<RankedKnower> = evidence
        .iter()
        .filter_map(|e| {
            let mut reasons = Vec::new();
            let mut points = e.help.points();
            if e.coaches_skill {
                points += COACHES_POINTS;
                reasons.push(format!("coaches {skill}"));
            }
            if e.lists_skill {
                points += LISTS_POINTS;
                reasons.push("lists it on their profile".to_owned());
            }
            reasons.extend(e.help.reasons(skill));
            (!reasons.is_empty()).then_some(RankedKnower {
                person_id: e.person_id,
                points,
                reasons,
            })
        })
        .collect();
    ranked.sort_by_key(|k| k.position().key());
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn person(id: i64) -> KnowerEvidence {
        KnowerEvidence {
            person_id: id,
            ..KnowerEvidence::default()
        }
    }

    #[test]
    fn evidence_orders_people_and_explains_each() {
        let lists = KnowerEvidence {
            lists_skill: true,
            ..person(1)
        };
        let endorsed = KnowerEvidence {
            lists_skill: true,
            help: HelpEvidence {
                endorsements: 3,
                ..HelpEvidence::default()
            },
            ..person(2)
        };
        let coach = KnowerEvidence {
            coaches_skill: true,
            help: HelpEvidence {
                accepted_answers: 2,
                ratings: 5,
                rating_total: 23,
                helped: 5,
                ..HelpEvidence::default()
            },
            ..person(3)
        };
        let nothing = person(4);
        let ranked = rank_knowers("Rust", &[lists, nothing, endorsed, coach]);
        let ids: Vec<i64> = ranked.iter().map(|k| k.person_id).collect();
        assert_eq!(ids, [3, 2, 1]);
        assert_eq!(
            ranked[0].reasons,
            [
                "coaches Rust",
                "2 accepted answers in threads about Rust",
                "rated 4.6 by 5 coaching learners; 5 said it helped",
            ]
        );
        assert_eq!(
            ranked[1].reasons,
            [
                "lists it on their profile",
                "endorsed for Rust by 3 colleagues"
            ]
        );
        assert_eq!(ranked[2].reasons, ["lists it on their profile"]);
    }

    #[test]
    fn endorsements_need_a_reason_and_another_person() {
        assert!(parse_reason("   ").is_err());
        assert!(parse_reason(&"x".repeat(MAX_REASON_CHARS + 1)).is_err());
        assert!(parse_reason("two\nlines").is_err());
        assert_eq!(
            parse_reason(" Walked me through lifetimes ").unwrap(),
            "Walked me through lifetimes"
        );
        assert!(may_endorse(7, 7).is_err());
        assert!(may_endorse(7, 8).is_ok());
    }

    fn evidence() -> impl Strategy<Value = KnowerEvidence> {
        (
            1..50i64,
            any::<bool>(),
            any::<bool>(),
            (0..30i64, 0..60i64, 0..15i64, 0..12i64),
        )
            .prop_map(
                |(id, lists, coaches, (answers, helpful, endorsed, rated))| KnowerEvidence {
                    person_id: id,
                    lists_skill: lists,
                    coaches_skill: coaches,
                    help: HelpEvidence {
                        accepted_answers: answers,
                        helpful_reactions: helpful,
                        endorsements: endorsed,
                        ratings: rated,
                        rating_total: rated * 4,
                        helped: rated / 2,
                    },
                },
            )
    }

    proptest! {
        #[test]
        fn ranking_is_deterministic_explained_and_ordered(mut people in prop::collection::vec(evidence(), 0..30)) {
            // One entry per person, as `app` gathers it.
            people.sort_by_key(|p| p.person_id);
            people.dedup_by_key(|p| p.person_id);
            let ranked = rank_knowers("SQL", &people);
            let mut shuffled = people.clone();
            shuffled.reverse();
            prop_assert_eq!(&ranked, &rank_knowers("SQL", &shuffled));
            for pair in ranked.windows(2) {
                prop_assert!(pair[0].position().key() < pair[1].position().key());
            }
            for knower in &ranked {
                prop_assert!(!knower.reasons.is_empty());
            }
            let with_evidence = people.iter().filter(|p| {
                p.lists_skill || p.coaches_skill || p.help != HelpEvidence::default()
            });
            prop_assert_eq!(ranked.len(), with_evidence.count());
        }
    }
}
