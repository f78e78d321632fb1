//! What earns points and how many: one rule per kind of earning, a daily cap per rule, never
//! for one's own content, and at most a few reactions a week between the same two people — so
//! that recognition follows help given, not volume or friends trading "helpful".

use serde::{Deserialize, Serialize};

/// "Helpful" reactions (or ratings) from one person to another that count in one week.
pub const PAIR_WEEKLY_CAP: i64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Earning {
    AnswerAccepted,
    HelpfulReaction,
    ResourceRatedHelpful,
    IdeaBuiltOn,
    IdeaAdopted,
    IdeaImplemented,
    CheckInStreak,
    CoachingSessionGiven,
    EventAttended,
}

impl Earning {
    pub const ALL: [Earning; 9] = [
        Earning::AnswerAccepted,
        Earning::HelpfulReaction,
        Earning::ResourceRatedHelpful,
        Earning::IdeaBuiltOn,
        Earning::IdeaAdopted,
        Earning::IdeaImplemented,
        Earning::CheckInStreak,
        Earning::CoachingSessionGiven,
        Earning::EventAttended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Earning::AnswerAccepted => "answer_accepted",
            Earning::HelpfulReaction => "helpful_reaction",
            Earning::ResourceRatedHelpful => "resource_rated_helpful",
            Earning::IdeaBuiltOn => "idea_built_on",
            Earning::IdeaAdopted => "idea_adopted",
            Earning::IdeaImplemented => "idea_implemented",
            Earning::CheckInStreak => "check_in_streak",
            Earning::CoachingSessionGiven => "coaching_session_given",
            Earning::EventAttended => "event_attended",
        }
    }

    pub fn parse(text: &str) -> Option<Earning> {
        Earning::ALL.into_iter().find(|e| e.as_str() == text)
    }

    /// How a line of the ledger reads on the member's page.
    pub fn label(self) -> &'static str {
        match self {
            Earning::AnswerAccepted => "Your answer was accepted",
            Earning::HelpfulReaction => "Someone found your post helpful",
            Earning::ResourceRatedHelpful => "Someone rated your resource helpful",
            Earning::IdeaBuiltOn => "Someone built on your idea",
            Earning::IdeaAdopted => "An idea you contributed to was adopted",
            Earning::IdeaImplemented => "An idea you contributed to became work",
            Earning::CheckInStreak => "Partner check-ins kept up for four more weeks",
            Earning::CoachingSessionGiven => "You gave a coaching session",
            Earning::EventAttended => "You came to a session",
        }
    }

    pub fn points(self) -> i64 {
        match self {
            Earning::AnswerAccepted => 10,
            Earning::HelpfulReaction => 2,
            Earning::ResourceRatedHelpful => 3,
            Earning::IdeaBuiltOn => 5,
            Earning::IdeaAdopted => 25,
            Earning::IdeaImplemented => 50,
            Earning::CheckInStreak => 10,
            Earning::CoachingSessionGiven => 10,
            Earning::EventAttended => 3,
        }
    }

    /// Most points one person can earn by this rule in one UTC day.
    pub fn daily_cap(self) -> i64 {
        match self {
            Earning::AnswerAccepted => 50,
            Earning::HelpfulReaction => 20,
            Earning::ResourceRatedHelpful => 15,
            Earning::IdeaBuiltOn => 25,
            Earning::IdeaAdopted | Earning::IdeaImplemented => 200,
            Earning::CheckInStreak => 10,
            Earning::CoachingSessionGiven => 30,
            Earning::EventAttended => 9,
        }
    }

    /// Earnings given by one person to another (a reaction, a rating), which the weekly cap per
    /// pair of people limits.
    pub fn between_two_people(self) -> bool {
        matches!(
            self,
            Earning::HelpfulReaction | Earning::ResourceRatedHelpful
        )
    }
}

/// Someone may earn points: who, by which rule, and who caused it (the person who reacted,
/// accepted the answer, built on the idea…; `None` for the platform itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub earning: Earning,
    pub recipient: i64,
    pub actor: Option<i64>,
}

/// What the ledger already holds that the rules need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Points the recipient earned by this rule today (reversals included).
    pub today: i64,
    /// Earnings by this rule from the same actor to the same recipient this week.
    pub from_actor_this_week: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Award(i64),
    Refuse(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nobody earns points from their own content.
    OwnContent,
    /// The rule's daily cap is reached.
    DailyCap,
    /// The same two people already counted the most a week allows.
    PairCap,
}

/// The points a claim earns, given what the ledger holds.
pub fn decide(claim: Claim, tally: Tally) -> Decision {
    if claim.actor == Some(claim.recipient) {
        return Decision::Refuse(Refusal::OwnContent);
    }
    if claim.earning.between_two_people() && tally.from_actor_this_week >= PAIR_WEEKLY_CAP {
        return Decision::Refuse(Refusal::PairCap);
    }
    let room = claim.earning.daily_cap() - tally.today;
    match claim.earning.points().min(room) {
        points if points > 0 => Decision::Award(points),
        _ => Decision::Refuse(Refusal::DailyCap),
    }
}

/// A line of the ledger as far as reversing it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub points: i64,
    /// The line reverses another one.
    pub is_reversal: bool,
    /// Another line reverses this one already.
    pub reversed: bool,
}

/// The points of the line that reverses `line` (its content was removed by moderation, the
/// reaction withdrawn): none for a reversal or a line reversed already, so that the total
/// always equals the lines that still stand.
pub fn reversal(line: Line) -> Option<i64> {
    (!line.is_reversal && !line.reversed).then_some(-line.points)
}

/// Check-in streaks earn points every four weeks kept up.
pub fn streak_earns(weeks: i64) -> bool {
    weeks > 0 && weeks % 4 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn claim(earning: Earning, recipient: i64, actor: i64) -> Claim {
        Claim {
            earning,
            recipient,
            actor: Some(actor),
        }
    }

    #[test]
    fn the_rules_on_known_cases() {
        let helpful = claim(Earning::HelpfulReaction, 1, 2);
        assert_eq!(decide(helpful, Tally::default()), Decision::Award(2));
        assert_eq!(
            decide(claim(Earning::HelpfulReaction, 1, 1), Tally::default()),
            Decision::Refuse(Refusal::OwnContent)
        );
        let pair_spent = Tally {
            today: 0,
            from_actor_this_week: PAIR_WEEKLY_CAP,
        };
        assert_eq!(
            decide(helpful, pair_spent),
            Decision::Refuse(Refusal::PairCap)
        );
        // The pair cap is for reactions and ratings; accepting answers is not capped by pair.
        assert_eq!(
            decide(claim(Earning::AnswerAccepted, 1, 2), pair_spent),
            Decision::Award(10)
        );
        // The last points under the cap are partial, then nothing.
        let nearly = Tally {
            today: 19,
            from_actor_this_week: 0,
        };
        assert_eq!(decide(helpful, nearly), Decision::Award(1));
        let full = Tally {
            today: 20,
            from_actor_this_week: 0,
        };
        assert_eq!(decide(helpful, full), Decision::Refuse(Refusal::DailyCap));
        assert!(streak_earns(8) && !streak_earns(6) && !streak_earns(0));
        for e in Earning::ALL {
            assert_eq!(Earning::parse(e.as_str()), Some(e));
            assert!(e.points() > 0 && e.points() <= e.daily_cap());
        }
    }

    fn earning() -> impl Strategy<Value = Earning> {
        (0..Earning::ALL.len()).prop_map(|i| Earning::ALL[i])
    }

    /// A day of claims (earning, recipient, actor) among four people.
    fn day() -> impl Strategy<Value = Vec<(Earning, i64, i64)>> {
        proptest::collection::vec((earning(), 0..4_i64, 0..4_i64), 0..200)
    }

    /// Runs a day of claims through `decide` as the ledger would: (recipient, actor, earning,
    /// points) for every award.
    fn run(day: &[(Earning, i64, i64)]) -> Vec<(i64, i64, Earning, i64)> {
        let mut ledger: Vec<(i64, i64, Earning, i64)> = Vec::new();
        for (earning, recipient, actor) in day {
            let tally = Tally {
                today: ledger
                    .iter()
                    .filter(|l| l.0 == *recipient && l.2 == *earning)
                    .map(|l| l.3)
                    .sum(),
                from_actor_this_week: ledger
                    .iter()
                    .filter(|l| l.0 == *recipient && l.1 == *actor && l.2 == *earning)
                    .count() as i64,
            };
            if let Decision::Award(points) = decide(claim(*earning, *recipient, *actor), tally) {
                ledger.push((*recipient, *actor, *earning, points));
            }
        }
        ledger
    }

    proptest! {
        #[test]
        fn nobody_rewards_themselves(day in day()) {
            prop_assert!(run(&day).iter().all(|(recipient, actor, _, _)| recipient != actor));
        }

        #[test]
        fn caps_hold(day in day()) {
            let ledger = run(&day);
            for e in Earning::ALL {
                for person in 0..4 {
                    let earned: i64 = ledger
                        .iter()
                        .filter(|l| l.0 == person && l.2 == e)
                        .map(|l| l.3)
                        .sum();
                    prop_assert!(earned <= e.daily_cap());
                    if e.between_two_people() {
                        for actor in 0..4 {
                            let from = ledger
                                .iter()
                                .filter(|l| l.0 == person && l.1 == actor && l.2 == e)
                                .count() as i64;
                            prop_assert!(from <= PAIR_WEEKLY_CAP);
                        }
                    }
                }
            }
        }

        #[test]
        fn reversals_restore_the_total(
            day in day(),
            attempts in proptest::collection::vec(0..400_usize, 0..300),
        ) {
            // Reversals are attempted at random, some twice, some on reversals themselves.
            let mut lines: Vec<Line> = run(&day)
                .iter()
                .map(|l| Line { points: l.3, is_reversal: false, reversed: false })
                .collect();
            for at in attempts {
                let at = at % lines.len().max(1);
                let Some(line) = lines.get(at).copied() else { continue };
                if let Some(points) = reversal(line) {
                    lines[at].reversed = true;
                    lines.push(Line { points, is_reversal: true, reversed: false });
                }
            }
            let total: i64 = lines.iter().map(|l| l.points).sum();
            let standing: i64 = lines
                .iter()
                .filter(|l| !l.is_reversal && !l.reversed)
                .map(|l| l.points)
                .sum();
            prop_assert_eq!(total, standing);
            prop_assert!(total >= 0);
        }
    }
}
