//! "Similar ideas" shown while someone writes one, so a duplicate becomes a vote or a build-on
//! instead of a second thread. Lexical and cheap on purpose: it runs on every pause in typing,
//! over the ideas of a space, with no model to load; the same ranking serves "similar questions
//! and resources" before a question is posted (`knowledge::duplicates` measures it).
//!
//! Texts become sets of normalised words: lower-cased, punctuation dropped, common English
//! words dropped, plurals crudely cut ("policies" → "policy", "meetings" → "meeting"). Two
//! texts score the cosine of their word sets, each word weighted by how rare it is among the
//! texts compared (1 + ln(N / texts with the word)): sharing "onboarding" says more than
//! sharing "team". Scores run from 0 (no word shared) to 1 (the same words).

use std::collections::{BTreeSet, HashMap};

/// Below this a candidate shares a word or two by chance ("new team" against a hackathon for
/// the platform team scores 0.26); the duplicates in the tests score 0.34 to 0.65. It favours
/// precision: a draft of one or two common words finds little until it says more, which is
/// better than a panel of near-misses beside every title being typed.
pub const MIN_SCORE: f64 = 0.3;

/// Words too common to say what an idea is about, including the board's own vocabulary.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "arent", "as", "at",
    "be", "because", "been", "before", "being", "but", "by", "can", "cant", "could", "did",
    "didnt", "do", "does", "doesnt", "doing", "dont", "each", "every", "for", "from", "get", "got",
    "had", "has", "have", "he", "her", "here", "him", "his", "how", "i", "idea", "if", "im", "in",
    "into", "is", "it", "its", "isnt", "just", "let", "lets", "like", "make", "may", "maybe", "me",
    "might", "more", "most", "much", "must", "my", "no", "not", "of", "on", "one", "only", "or",
    "other", "our", "ours", "out", "over", "please", "propose", "proposal", "really", "she",
    "should", "so", "some", "still", "such", "suggest", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "to", "too", "up", "us", "use", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with",
    "wont", "would", "you", "your",
];

/// The normalised words of a text.
pub fn words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .replace(['\'', '’'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(singular)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// "policies" → "policy", "classes" → "class", "boxes" → "box", "tools" → "tool"; words
/// ending in -ss, -us, -is ("process", "status", "analysis") and short words stay.
fn singular(word: &str) -> String {
    if word.chars().count() <= 3 {
        return word.to_owned();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "xes", "ches", "shes"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_owned();
        }
    }
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return word.to_owned();
    }
    word.strip_suffix('s').unwrap_or(word).to_owned()
}

/// The `k` candidates (id, text) most like `draft`, best first, each scoring at least
/// [`MIN_SCORE`]; equal scores in id order. An empty draft matches nothing.
pub fn rank(draft: &str, candidates: &[(i64, &str)], k: usize) -> Vec<(i64, f64)> {
    let draft = words(draft);
    if draft.is_empty() || k == 0 {
        return Vec::new();
    }
    let texts: Vec<(i64, BTreeSet<String>)> = candidates
        .iter()
        .map(|&(id, text)| (id, words(text)))
        .collect();
    let mut holding: HashMap<&str, usize> = HashMap::new();
    for set in texts.iter().map(|(_, set)| set).chain([&draft]) {
        for word in set {
            *holding.entry(word.as_str()).or_default() += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let count = (texts.len() + 1) as f64;
    let weight = |word: &str| {
        #[allow(clippy::cast_precision_loss)]
        let with_word = holding.get(word).copied().unwrap_or(1).max(1) as f64;
        1.0 + (count / with_word).ln()
    };
    let norm = |set: &BTreeSet<String>| set.iter().map(|w| weight(w).powi(2)).sum::<f64>().sqrt();
    let draft_norm = norm(&draft);
    let mut ranked: Vec<(i64, f64)> = texts
        .iter()
        .filter(|(_, set)| !set.is_empty())
        .map(|(id, set)| {
            let shared: f64 = draft.intersection(set).map(|w| weight(w).powi(2)).sum();
            (*id, (shared / (draft_norm * norm(set))).min(1.0))
        })
        .filter(|&(_, score)| score >= MIN_SCORE)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(k);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BOARD: &[(i64, &str)] = &[
        (
            1,
            "Pair every new joiner with a buddy for their first month",
        ),
        (2, "Quarterly hackathon for the platform team"),
        (3, "A new coffee machine for the third floor kitchen"),
        (
            4,
            "Record our retrospectives so remote colleagues can catch up",
        ),
        (5, "Shared glossary of the acronyms our teams use"),
        (
            6,
            "Buddies for new joiners: someone to ask the silly questions",
        ),
        (7, "Stop booking meetings on Friday afternoons"),
    ];

    #[test]
    fn words_are_normalised() {
        let set = words("The NEW joiners' policies, classes & boxes: isn't it a process?");
        let expected: BTreeSet<String> = ["new", "joiner", "policy", "class", "box", "process"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(set, expected);
        assert!(words("the of and, to!").is_empty());
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("analysis"), "analysis");
        assert_eq!(singular("bus"), "bus");
        assert_eq!(singular("meetings"), "meeting");
    }

    #[test]
    fn duplicates_come_first_and_unrelated_ideas_not_at_all() {
        let found = rank("Buddy system for new joiners", BOARD, 5);
        // Both buddy schemes, and nothing else; the shorter text shares more of its words.
        let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [1, 6], "{found:?}");

        let found = rank("Make remote colleagues part of the retrospective", BOARD, 5);
        assert_eq!(found.first().map(|f| f.0), Some(4), "{found:?}");
        assert_eq!(found.len(), 1, "{found:?}");

        let found = rank("No meetings on Fridays", BOARD, 5);
        assert_eq!(found.first().map(|f| f.0), Some(7), "{found:?}");

        assert!(rank("Better parking for bicycles", BOARD, 5).is_empty());
        assert!(rank("", BOARD, 5).is_empty());
        assert!(rank("the and of", BOARD, 5).is_empty());
        assert!(rank("Buddy system for new joiners", BOARD, 0).is_empty());
        assert!(rank("Buddy system for new joiners", &[], 3).is_empty());
    }

    #[test]
    fn a_shared_common_word_is_not_enough() {
        // "new" is in three ideas; the coffee machine is not a buddy scheme.
        let found = rank("Buddy system for new joiners", BOARD, 5);
        assert!(found.iter().all(|(id, _)| *id != 3), "{found:?}");
    }

    proptest! {
        #[test]
        fn rankings_are_bounded_sorted_and_find_copies(
            texts in prop::collection::vec("[a-z ]{0,40}", 0..12),
            k in 0usize..6,
        ) {
            let candidates: Vec<(i64, &str)> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| (i64::try_from(i).unwrap_or(0), t.as_str()))
                .collect();
            for (i, draft) in texts.iter().enumerate() {
                let found = rank(draft, &candidates, k);
                prop_assert!(found.len() <= k);
                for pair in found.windows(2) {
                    prop_assert!(pair[0].1 > pair[1].1 || (pair[0].1 == pair[1].1 && pair[0].0 < pair[1].0));
                }
                for (_, score) in &found {
                    prop_assert!((MIN_SCORE..=1.0).contains(score));
                }
                // A text always finds itself among the best when it has any words.
                if k > 0 && !words(draft).is_empty() {
                    let best = found.first().map(|f| f.1);
                    prop_assert!(best.is_some_and(|b| b > 0.999), "{draft:?}: {found:?}");
                    let me = i64::try_from(i).unwrap_or(0);
                    let copies = texts.iter().filter(|t| words(t) == words(draft)).count();
                    if copies <= k {
                        prop_assert!(found.iter().any(|(id, _)| *id == me));
                    }
                }
            }
        }
    }
}
