//! Evidence that someone can help: what people did (answers accepted, posts found helpful,
//! endorsements, coaching sessions rated), turned into points and into sentences. Both "who
//! knows about X" and the coach ranking weigh the same evidence the same way, so a person is
//! never judged by two rules. Every point a ranking gives comes with the sentence that explains
//! it: a ranking that cannot say why is not shown.

use std::cmp::Reverse;

/// Caps keep one kind of evidence from drowning the others (a hundred reactions are not worth
/// more than a colleague's considered endorsement ten times over).
const MAX_COUNTED_ANSWERS: i64 = 10;
const MAX_COUNTED_HELPFUL: i64 = 25;
const MAX_COUNTED_ENDORSEMENTS: i64 = 10;
const MAX_COUNTED_RATINGS: i64 = 10;

/// Points per piece of evidence.
const ANSWER_POINTS: i64 = 8;
const HELPFUL_POINTS: i64 = 1;
const ENDORSEMENT_POINTS: i64 = 4;

/// What a person's help looks like, counted by `app` with narrow queries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpEvidence {
    /// Their answers accepted in question threads (about the skill, when there is one).
    pub accepted_answers: i64,
    /// "Helpful" reactions from others on their posts (about the skill, when there is one).
    pub helpful_reactions: i64,
    /// Colleagues who endorse them for the skill.
    pub endorsements: i64,
    /// Coaching sessions rated by their learners, the sum of the 1–5 ratings, and how many
    /// learners said the session helped.
    pub ratings: i64,
    pub rating_total: i64,
    pub helped: i64,
}

impl HelpEvidence {
    /// The average rating in tenths (46 for 4.6), when there are ratings.
    pub fn average_tenths(&self) -> Option<i64> {
        (self.ratings > 0).then(|| (self.rating_total * 10 + self.ratings / 2) / self.ratings)
    }

    /// Points for the evidence. A rating below the middle (3) takes points away: learners who
    /// say it did not help are evidence too. The weight of ratings grows with their number, so
    /// one 5 does not outweigh ten 4s.
    pub fn points(&self) -> i64 {
        let answers = self.accepted_answers.clamp(0, MAX_COUNTED_ANSWERS) * ANSWER_POINTS;
        let helpful = self.helpful_reactions.clamp(0, MAX_COUNTED_HELPFUL) * HELPFUL_POINTS;
        let endorsed = self.endorsements.clamp(0, MAX_COUNTED_ENDORSEMENTS) * ENDORSEMENT_POINTS;
        let rated = self.average_tenths().map_or(0, |average| {
            (average - 30) * self.ratings.clamp(0, MAX_COUNTED_RATINGS) / 5
        });
        answers + helpful + endorsed + rated
    }

    /// Sentences for each kind of evidence present; `about` names the skill ("Rust") or is
    /// empty when the evidence is not about one.
    pub fn reasons(&self, about: &str) -> Vec<String> {
        let topic = if about.is_empty() {
            String::new()
        } else {
            format!(" about {about}")
        };
        let mut reasons = Vec::new();
        if self.endorsements > 0 {
            reasons.push(format!(
                "endorsed{} by {}",
                if about.is_empty() {
                    String::new()
                } else {
                    format!(" for {about}")
                },
                counted(self.endorsements, "colleague", "colleagues")
            ));
        }
        if self.accepted_answers > 0 {
            reasons.push(format!(
                "{} in threads{topic}",
                counted(self.accepted_answers, "accepted answer", "accepted answers")
            ));
        }
        if self.helpful_reactions > 0 {
            reasons.push(format!(
                "{} on their posts{topic}",
                counted(
                    self.helpful_reactions,
                    "“helpful” reaction",
                    "“helpful” reactions"
                )
            ));
        }
        if let Some(average) = self.average_tenths() {
            reasons.push(format!(
                "rated {}.{} by {}; {} it helped",
                average / 10,
                average % 10,
                counted(self.ratings, "coaching learner", "coaching learners"),
                if self.helped == 1 {
                    "1 said".to_owned()
                } else {
                    format!("{} said", self.helped)
                }
            ));
        }
        reasons
    }
}

/// "1 colleague", "3 colleagues".
pub fn counted(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Where a ranked list continues: the tier, points and id of the last entry shown. Ranked lists
/// are ordered by tier (high first), points (high first), then id (low first), so the cursor
/// is a position in a total order and pages never repeat or skip anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RankCursor {
    pub tier: i64,
    pub points: i64,
    pub id: i64,
}

impl RankCursor {
    pub fn parse(raw: &str) -> Option<RankCursor> {
        let mut parts = raw.trim().splitn(3, '.');
        let tier = parts.next()?.parse().ok()?;
        let points = parts.next()?.parse().ok()?;
        let id = parts.next()?.parse().ok()?;
        Some(RankCursor { tier, points, id })
    }

    /// The ordering key: ascending order of the key is the ranking's order.
    pub fn key(self) -> (Reverse<i64>, Reverse<i64>, i64) {
        (Reverse(self.tier), Reverse(self.points), self.id)
    }
}

impl std::fmt::Display for RankCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.tier, self.points, self.id)
    }
}

/// Sorts `items` into ranking order and returns the page after `after` with the cursor of the
/// next page, when there is one.
pub fn page_of<T>(
    mut items: Vec<T>,
    position: impl Fn(&T) -> RankCursor,
    after: Option<RankCursor>,
    limit: usize,
) -> (Vec<T>, Option<RankCursor>) {
    items.sort_by_key(|item| position(item).key());
    let mut page: Vec<T> = items
        .into_iter()
        .filter(|item| after.is_none_or(|cursor| position(item).key() > cursor.key()))
        .take(limit.saturating_add(1))
        .collect();
    let next = if page.len() > limit {
        page.truncate(limit);
        page.last().map(&position)
    } else {
        None
    };
    (page, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_capped_and_bad_ratings_take_points_away() {
        let none = HelpEvidence::default();
        assert_eq!(none.points(), 0);
        assert!(none.reasons("Rust").is_empty());
        let flood = HelpEvidence {
            helpful_reactions: 10_000,
            ..none
        };
        assert_eq!(flood.points(), MAX_COUNTED_HELPFUL);
        let poor = HelpEvidence {
            ratings: 4,
            rating_total: 6,
            helped: 0,
            ..none
        };
        assert!(poor.points() < 0);
        let good = HelpEvidence {
            ratings: 5,
            rating_total: 23,
            helped: 4,
            ..none
        };
        assert_eq!(good.average_tenths(), Some(46));
        assert_eq!(good.points(), 16);
    }

    #[test]
    fn reasons_say_what_was_counted() {
        let evidence = HelpEvidence {
            accepted_answers: 2,
            helpful_reactions: 1,
            endorsements: 3,
            ratings: 5,
            rating_total: 23,
            helped: 4,
        };
        assert_eq!(
            evidence.reasons("Rust"),
            [
                "endorsed for Rust by 3 colleagues",
                "2 accepted answers in threads about Rust",
                "1 “helpful” reaction on their posts about Rust",
                "rated 4.6 by 5 coaching learners; 4 said it helped",
            ]
        );
        assert_eq!(
            HelpEvidence {
                endorsements: 1,
                ..HelpEvidence::default()
            }
            .reasons(""),
            ["endorsed by 1 colleague"]
        );
    }

    #[test]
    fn pages_follow_the_ranking_without_repeats() {
        let items: Vec<RankCursor> = (1..=7)
            .map(|id| RankCursor {
                tier: id % 2,
                points: id * 3 % 5,
                id,
            })
            .collect();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let (page, next) = page_of(items.clone(), |c| *c, after, 3);
            seen.extend(page.iter().map(|c| c.id));
            match next {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
        let (all, none) = page_of(items.clone(), |c| *c, None, 100);
        assert_eq!(none, None);
        assert_eq!(seen, all.iter().map(|c| c.id).collect::<Vec<_>>());
        let cursor = RankCursor {
            tier: 1,
            points: -4,
            id: 9,
        };
        assert_eq!(RankCursor::parse(&cursor.to_string()), Some(cursor));
        assert_eq!(RankCursor::parse("1.2"), None);
        assert_eq!(RankCursor::parse("a.b.c"), None);
    }
}
