//! Badges the platform awards by itself, each with the criteria its public page states, and the
//! record of a person they are decided on (counted from the points ledger's standing lines).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoBadge {
    FirstAcceptedAnswer,
    TenHelpfulAnswers,
    IdeaAdopted,
    EightWeekStreak,
    FirstSessionGiven,
}

/// What the ledger says a person has done (lines reversed by moderation do not count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Record {
    pub accepted_answers: i64,
    /// Distinct posts of theirs that were accepted or found helpful.
    pub helpful_answers: i64,
    pub ideas_adopted: i64,
    /// The longest partner check-in streak the ledger has seen, in weeks.
    pub longest_streak_weeks: i64,
    pub sessions_given: i64,
}

impl AutoBadge {
    pub const ALL: [AutoBadge; 5] = [
        AutoBadge::FirstAcceptedAnswer,
        AutoBadge::TenHelpfulAnswers,
        AutoBadge::IdeaAdopted,
        AutoBadge::EightWeekStreak,
        AutoBadge::FirstSessionGiven,
    ];

    /// The badge's stable name in URLs and in the database.
    pub fn slug(self) -> &'static str {
        match self {
            AutoBadge::FirstAcceptedAnswer => "first-accepted-answer",
            AutoBadge::TenHelpfulAnswers => "ten-helpful-answers",
            AutoBadge::IdeaAdopted => "idea-adopted",
            AutoBadge::EightWeekStreak => "eight-week-streak",
            AutoBadge::FirstSessionGiven => "first-session-given",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AutoBadge::FirstAcceptedAnswer => "First accepted answer",
            AutoBadge::TenHelpfulAnswers => "Ten helpful answers",
            AutoBadge::IdeaAdopted => "Idea adopted",
            AutoBadge::EightWeekStreak => "Eight-week streak",
            AutoBadge::FirstSessionGiven => "First coaching session",
        }
    }

    pub fn emoji(self) -> &'static str {
        match self {
            AutoBadge::FirstAcceptedAnswer => "✅",
            AutoBadge::TenHelpfulAnswers => "🤝",
            AutoBadge::IdeaAdopted => "💡",
            AutoBadge::EightWeekStreak => "🔥",
            AutoBadge::FirstSessionGiven => "🧭",
        }
    }

    /// The criteria, as the badge's public page and its credential state them.
    pub fn criteria(self) -> &'static str {
        match self {
            AutoBadge::FirstAcceptedAnswer => {
                "Answered a colleague's question, and the person who asked accepted the answer."
            }
            AutoBadge::TenHelpfulAnswers => {
                "Wrote ten posts that colleagues accepted as the answer or marked as helpful."
            }
            AutoBadge::IdeaAdopted => {
                "Proposed or built on an idea that the organisation adopted for implementation."
            }
            AutoBadge::EightWeekStreak => {
                "Kept up weekly check-ins with an accountability partner for eight weeks running."
            }
            AutoBadge::FirstSessionGiven => "Gave a coaching session to a colleague.",
        }
    }

    pub fn earned_by(self, record: &Record) -> bool {
        match self {
            AutoBadge::FirstAcceptedAnswer => record.accepted_answers >= 1,
            AutoBadge::TenHelpfulAnswers => record.helpful_answers >= 10,
            AutoBadge::IdeaAdopted => record.ideas_adopted >= 1,
            AutoBadge::EightWeekStreak => record.longest_streak_weeks >= 8,
            AutoBadge::FirstSessionGiven => record.sessions_given >= 1,
        }
    }
}

/// The automatic badges a record earns.
pub fn earned(record: &Record) -> Vec<AutoBadge> {
    AutoBadge::ALL
        .into_iter()
        .filter(|b| b.earned_by(record))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_follow_the_record() {
        assert!(earned(&Record::default()).is_empty());
        let record = Record {
            accepted_answers: 1,
            helpful_answers: 9,
            longest_streak_weeks: 8,
            ..Record::default()
        };
        assert_eq!(
            earned(&record),
            [AutoBadge::FirstAcceptedAnswer, AutoBadge::EightWeekStreak]
        );
        let more = Record {
            helpful_answers: 10,
            ..record
        };
        assert!(earned(&more).contains(&AutoBadge::TenHelpfulAnswers));
        let slugs: std::collections::HashSet<_> = AutoBadge::ALL.iter().map(|b| b.slug()).collect();
        assert_eq!(slugs.len(), AutoBadge::ALL.len());
    }
}
