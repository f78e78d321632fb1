//! "I'm stuck", "I can't keep up": a member saying in their own words that they need help. The
//! phrases are read on the same normalised text as the content check, so "I'm  l o s t" and
//! "I’m stuck" count as well.

use crate::moderation::normalise;

/// Said of oneself; each is a run of words.
const PHRASES: &[&str] = &[
    "i'm stuck",
    "im stuck",
    "i am stuck",
    "i'm lost",
    "im lost",
    "i am lost",
    "i feel lost",
    "i'm completely lost",
    "i'm overwhelmed",
    "im overwhelmed",
    "i am overwhelmed",
    "i feel overwhelmed",
    "i'm so overwhelmed",
    "i'm drowning",
    "can't keep up",
    "cant keep up",
    "cannot keep up",
    "can not keep up",
    "i'm falling behind",
    "i am falling behind",
    "i'm struggling",
    "i am struggling",
    "i give up",
    "no idea what i'm doing",
    "i don't understand any of",
];

/// The phrase a text says it with, if it does.
pub fn says_stuck(text: &str) -> Option<&'static str> {
    let plain = normalise(&text.replace(['’', '‘'], "'"));
    let words: Vec<&str> = plain
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    PHRASES.iter().copied().find(|phrase| {
        let parts: Vec<&str> = phrase.split(' ').collect();
        words.windows(parts.len()).any(|window| window == parts)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_saying_they_need_help() {
        for (text, phrase) in [
            (
                "Honestly I'm stuck on the pivot table exercise.",
                "i'm stuck",
            ),
            ("I’m lost with module 3, where do I start?", "i'm lost"),
            (
                "I can't keep up with the reading this week",
                "can't keep up",
            ),
            ("IM  OVERWHELMED", "im overwhelmed"),
            ("I'm s t u c k", "i'm stuck"),
        ] {
            assert_eq!(says_stuck(text), Some(phrase), "{text}");
        }
    }

    #[test]
    fn other_uses_of_the_words_are_not_a_cry_for_help() {
        for text in [
            "The build got stuck on step 4, restarting fixed it.",
            "Lost and found is on the second floor.",
            "Our team keeps up with the backlog fine.",
            "",
        ] {
            assert_eq!(says_stuck(text), None, "{text}");
        }
    }
}
