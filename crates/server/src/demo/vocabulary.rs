//! Words for scale data with the spread of real text: a vocabulary of more than 20,000 words
//! drawn with a Zipf-like frequency (the word of rank r is used in proportion to 1/r), so a few
//! words are in most posts and most words in very few. Search then meets on scale data what it
//! meets in a community's posts: broad common words and narrow rare ones.

use super::Dice;

/// The most frequent words, in rank order: plain English of workplace learning.
const COMMON: &[&str] = &[
    "the",
    "to",
    "and",
    "of",
    "a",
    "in",
    "we",
    "it",
    "for",
    "that",
    "is",
    "on",
    "with",
    "this",
    "team",
    "was",
    "have",
    "what",
    "how",
    "our",
    "about",
    "work",
    "people",
    "time",
    "from",
    "meeting",
    "feedback",
    "project",
    "learning",
    "would",
    "question",
    "colleague",
    "session",
    "plan",
    "week",
    "data",
    "help",
    "change",
    "idea",
    "tried",
    "started",
    "asked",
    "notes",
    "review",
    "process",
    "customer",
    "report",
    "goal",
    "practice",
    "checklist",
    "manager",
    "training",
    "skills",
    "course",
    "coach",
    "partner",
    "mentor",
    "workshop",
    "retrospective",
    "budget",
    "deadline",
    "quality",
    "design",
    "testing",
    "release",
    "onboarding",
    "habit",
    "presentation",
    "negotiation",
    "leadership",
    "conflict",
    "priorities",
    "estimate",
    "risk",
    "dashboard",
    "spreadsheet",
    "interview",
    "hiring",
    "roadmap",
    "backlog",
    "sprint",
    "pairing",
    "documentation",
    "template",
    "metrics",
    "survey",
    "experiment",
    "pilot",
    "workflow",
    "stakeholder",
    "analysis",
    "writing",
    "listening",
    "delegation",
    "coaching",
    "facilitation",
];

/// Syllables that make the rest of the vocabulary: two of them and an ending give pronounceable
/// words, a few of which happen to be English ("water").
const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pl",
    "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "z",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "ou"];
const CODAS: &[&str] = &["", "n", "r", "s", "l", "m", "t", "x"];

pub struct Vocabulary {
    words: Vec<String>,
    /// Running sums of the weights 1/rank: a uniform draw below the last finds its word.
    cumulative: Vec<f64>,
}

impl Vocabulary {
    /// `size` words (at least the common ones).
    pub fn new(size: usize) -> Vocabulary {
        let syllables: Vec<String> = ONSETS
            .iter()
            .flat_map(|onset| VOWELS.iter().map(move |vowel| format!("{onset}{vowel}")))
            .collect();
        let made = syllables.len() * syllables.len() * CODAS.len();
        let mut words: Vec<String> = COMMON.iter().map(|w| (*w).to_owned()).collect();
        // A stride coprime with the count visits every made word once, in an order where
        // neighbours in rank do not share their first syllable.
        let stride = 7_919;
        let mut index = 0;
        while words.len() < size.max(COMMON.len()) && words.len() < COMMON.len() + made {
            index = (index + stride) % made;
            let first = &syllables[index % syllables.len()];
            let second = &syllables[(index / syllables.len()) % syllables.len()];
            let coda = CODAS[index / (syllables.len() * syllables.len())];
            words.push(format!("{first}{second}{coda}"));
        }
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    /// The word of a rank (0 is the most frequent).
    pub fn word(&self, rank: usize) -> &str {
        &self.words[rank.min(self.words.len() - 1)]
    }

    /// One word, drawn by frequency.
    pub fn draw(&self, dice: &mut Dice) -> &str {
        const STEPS: usize = 1 << 30;
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = dice.roll(STEPS) as f64 / STEPS as f64 * total;
        let rank = self.cumulative.partition_point(|sum| *sum < target);
        self.word(rank)
    }

    /// A sentence of `count` words, capitalised, without a full stop.
    pub fn sentence(&self, dice: &mut Dice, count: usize) -> String {
        let mut sentence = String::new();
        for n in 0..count {
            let word = self.draw(dice);
            if n == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    sentence.extend(first.to_uppercase());
                    sentence.push_str(chars.as_str());
                }
            } else {
                sentence.push(' ');
                sentence.push_str(word);
            }
        }
        sentence
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn words_are_many_and_distinct() {
        let vocabulary = Vocabulary::new(24_000);
        assert_eq!(vocabulary.words.len(), 24_000);
        let distinct: HashSet<&str> = vocabulary.words.iter().map(String::as_str).collect();
        assert_eq!(distinct.len(), 24_000);
        assert!(
            vocabulary
                .words
                .iter()
                .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
        );
    }

    #[test]
    fn frequencies_fall_with_rank_as_in_real_text() {
        let vocabulary = Vocabulary::new(24_000);
        let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let draws = 200_000;
        for _ in 0..draws {
            *counts.entry(vocabulary.draw(&mut dice)).or_default() += 1;
        }
        let share = |rank: usize| counts.get(vocabulary.word(rank)).copied().unwrap_or(0) as f64;
        // Zipf: rank 1 about twice rank 2 and ten times rank 10 (within sampling noise).
        let (first, second, tenth) = (share(0), share(1), share(9));
        assert!((1.6..2.5).contains(&(first / second)), "{first} / {second}");
        assert!((7.0..13.0).contains(&(first / tenth)), "{first} / {tenth}");
        // Most words are rare, but many different ones are used.
        assert!(counts.len() > 10_000, "{} distinct words", counts.len());
        assert!(first / (draws as f64) > 0.08);
    }
}
