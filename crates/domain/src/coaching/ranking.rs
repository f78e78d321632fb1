//! Which coaches suit a request: skill overlap, evidence that they help, availability that
//! overlaps the learner's preferred times, and room left this month — each in words.
//!
//! Coaches with no sessions left this month are **ranked after** every coach with room, not
//! left out: the learner still learns who coaches the skill (and may ask for next month), and a
//! full coach is never ranked above one who can take them. Within each group the order is by
//! points, then by coach id, so the same input always gives the same list.

use crate::evidence::{HelpEvidence, RankCursor, counted};

const SKILL_POINTS: i64 = 30;
const POINTS_PER_HOUR_TOGETHER: i64 = 3;
const MAX_COUNTED_HOURS: i64 = 10;
/// The learner said when they can meet and this coach is never available then.
const NO_OVERLAP_POINTS: i64 = -10;

/// What the learner asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchRequest {
    /// The skill as shown ("Public speaking") and its key ("public speaking"); empty for any.
    pub skill_name: String,
    pub skill_key: String,
    /// Whether the learner gave preferred times (otherwise availability is not weighed).
    pub has_preferred_times: bool,
}

/// What is known about one approved coach.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoachEvidence {
    pub coach_id: i64,
    /// Keys of the skills they coach.
    pub skill_keys: Vec<String>,
    /// Their help (about the requested skill when there is one).
    pub help: HelpEvidence,
    /// Minutes a week their availability overlaps the learner's preferred times.
    pub overlap_minutes: i64,
    /// Sessions a month they offer, and sessions already booked this month.
    pub capacity: i64,
    pub booked_this_month: i64,
}

impl CoachEvidence {
    pub fn sessions_left(&self) -> i64 {
        (self.capacity - self.booked_this_month).max(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedCoach {
    pub coach_id: i64,
    pub points: i64,
    pub has_room: bool,
    pub sessions_left: i64,
    /// Why they are here: skill, time, room, then evidence of help. Never empty.
    pub reasons: Vec<String>,
}

impl RankedCoach {
    pub fn position(&self) -> RankCursor {
        RankCursor {
            tier: i64::from(self.has_room),
            points: self.points,
            id: self.coach_id,
        }
    }
}

fn hours(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Ranks the coaches for a request (see the module's note on coaches without room).
pub fn rank_coaches(request: &MatchRequest, coaches: &[CoachEvidence]) -> Vec<RankedCoach> {
    let mut ranked: Vec<RankedCoach> = coaches
        .iter()
        .map(|coach| {
            let mut points = coach.help.points();
            let mut reasons = Vec::new();
            if !request.skill_key.is_empty() {
                if coach.skill_keys.contains(&request.skill_key) {
                    points += SKILL_POINTS;
                    reasons.push(format!("coaches {}", request.skill_name));
                } else {
                    reasons.push(format!("does not list {} as a skill", request.skill_name));
                }
            }
            if request.has_preferred_times {
                if coach.overlap_minutes > 0 {
                    points += (coach.overlap_minutes / 60).min(MAX_COUNTED_HOURS)
                        * POINTS_PER_HOUR_TOGETHER;
                    reasons.push(format!(
                        "available {} a week when you are",
                        hours(coach.overlap_minutes)
                    ));
                } else {
                    points += NO_OVERLAP_POINTS;
                    reasons.push("not available at your preferred times".to_owned());
                }
            }
            let left = coach.sessions_left();
            reasons.push(if left > 0 {
                format!(
                    "{left} of {} left this month",
                    counted(coach.capacity, "session", "sessions")
                )
            } else {
                "no sessions left this month".to_owned()
            });
            let help = coach.help.reasons(&request.skill_name);
            if help.is_empty() {
                reasons.push("no answers, endorsements or ratings yet".to_owned());
            }
            reasons.extend(help);
            RankedCoach {
                coach_id: coach.coach_id,
                points,
                has_room: left > 0,
                sessions_left: left,
                reasons,
            }
        })
        .collect();
    ranked.sort_by_key(|c| c.position().key());
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn coach(id: i64) -> CoachEvidence {
        CoachEvidence {
            coach_id: id,
            capacity: 4,
            ..CoachEvidence::default()
        }
    }

    fn rust() -> MatchRequest {
        MatchRequest {
            skill_name: "Rust".into(),
            skill_key: "rust".into(),
            has_preferred_times: true,
        }
    }

    #[test]
    fn skill_time_and_evidence_decide_and_are_explained() {
        let rustacean = CoachEvidence {
            skill_keys: vec!["rust".into()],
            overlap_minutes: 90,
            ..coach(1)
        };
        let helpful = CoachEvidence {
            skill_keys: vec!["rust".into()],
            overlap_minutes: 90,
            help: HelpEvidence {
                accepted_answers: 3,
                ..HelpEvidence::default()
            },
            booked_this_month: 1,
            ..coach(2)
        };
        let elsewhere = CoachEvidence {
            skill_keys: vec!["sql".into()],
            ..coach(3)
        };
        let ranked = rank_coaches(&rust(), &[elsewhere, rustacean, helpful]);
        assert_eq!(
            ranked.iter().map(|c| c.coach_id).collect::<Vec<_>>(),
            [2, 1, 3]
        );
        assert_eq!(
            ranked[0].reasons,
            [
                "coaches Rust",
                "available 1 h 30 min a week when you are",
                "3 of 4 sessions left this month",
                "3 accepted answers in threads about Rust",
            ]
        );
        assert_eq!(
            ranked[2].reasons,
            [
                "does not list Rust as a skill",
                "not available at your preferred times",
                "4 of 4 sessions left this month",
                "no answers, endorsements or ratings yet",
            ]
        );
    }

    #[test]
    fn full_coaches_come_after_every_coach_with_room() {
        let famous_but_full = CoachEvidence {
            skill_keys: vec!["rust".into()],
            overlap_minutes: 600,
            help: HelpEvidence {
                accepted_answers: 10,
                endorsements: 10,
                ..HelpEvidence::default()
            },
            booked_this_month: 4,
            ..coach(1)
        };
        let new_with_room = coach(2);
        let ranked = rank_coaches(&rust(), &[famous_but_full, new_with_room]);
        assert_eq!(ranked[0].coach_id, 2);
        assert!(!ranked[1].has_room);
        assert!(
            ranked[1]
                .reasons
                .contains(&"no sessions left this month".to_owned())
        );
    }

    #[test]
    fn without_a_skill_or_times_only_evidence_and_room_count() {
        let request = MatchRequest::default();
        let ranked = rank_coaches(&request, &[coach(5)]);
        assert_eq!(
            ranked[0].reasons,
            [
                "4 of 4 sessions left this month",
                "no answers, endorsements or ratings yet"
            ]
        );
    }

    fn evidence() -> impl Strategy<Value = CoachEvidence> {
        (
            1..40i64,
            any::<bool>(),
            0..900i64,
            (0..6i64, 0..8i64),
            (0..12i64, 0..30i64, 0..12i64, 0..8i64),
        )
            .prop_map(
                |(id, rust, overlap, (capacity, booked), (answers, helpful, endorsed, rated))| {
                    CoachEvidence {
                        coach_id: id,
                        skill_keys: if rust {
                            vec!["rust".into()]
                        } else {
                            vec!["sql".into()]
                        },
                        help: HelpEvidence {
                            accepted_answers: answers,
                            helpful_reactions: helpful,
                            endorsements: endorsed,
                            ratings: rated,
                            rating_total: rated * 3,
                            helped: rated / 3,
                        },
                        overlap_minutes: overlap,
                        capacity,
                        booked_this_month: booked,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn ranking_is_deterministic_explained_and_puts_room_first(
            mut coaches in prop::collection::vec(evidence(), 0..25),
            times in any::<bool>(),
        ) {
            coaches.sort_by_key(|c| c.coach_id);
            coaches.dedup_by_key(|c| c.coach_id);
            let request = MatchRequest { has_preferred_times: times, ..rust() };
            let ranked = rank_coaches(&request, &coaches);
            let mut reversed = coaches.clone();
            reversed.reverse();
            prop_assert_eq!(&ranked, &rank_coaches(&request, &reversed));
            prop_assert_eq!(ranked.len(), coaches.len());
            for coach in &ranked {
                prop_assert!(coach.reasons.len() >= 2);
            }
            // No coach without room is ranked above one with room.
            let first_full = ranked.iter().position(|c| !c.has_room).unwrap_or(ranked.len());
            prop_assert!(ranked[first_full..].iter().all(|c| !c.has_room));
            for pair in ranked.windows(2) {
                prop_assert!(pair[0].position().key() < pair[1].position().key());
            }
        }
    }
}
