//! Profanity, sexual content and their evasions (spacing, leetspeak, full-width letters,
//! look-alikes, zero-width characters) through `rustrict`, with our own false positives removed.

use super::verdict::{Action, Category, Reason, Source};
use rustrict::{Censor, Type};

/// Ordinary words and names that `rustrict` mistakes for sexual or profane ones, found with
/// our corpus; they are blanked out (as whole words) before the filter reads a text. Real names
/// from `people::names` are added.
const FALSE_POSITIVES: &[&str] = &[
    "middlesex",
    "sussex",
    "essex",
    "wessex",
    "sextant*",
    "sexton",
    "cum laude",
    "hitchcock",
    "cockermouth",
    "cockburn",
    "cockpit*",
    "cocktail*",
    "dick's",
    "moby dick",
    "tit for tat",
    "phuc",
    "dikshit",
    "shitole",
    "matsushita",
    "shitake",
    "shiitake",
    "assassin*",
    "penetration",
    "sexual",
    "sex discrimination",
    "sex ratio",
    "by sex",
    "breast cancer",
    "breastfeeding",
    "kill two birds",
    "panic",
    "scunthorpe",
    "penistone",
    "bumstead",
    "titmouse",
    "analyst*",
    "therapist*",
    "hell yeah",
    "cummings",
    "cumming",
    "cli",
];

/// The text with allowed words and names replaced by spaces, so positions stay the same.
fn without_false_positives(text: &str) -> String {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return text.to_owned();
    }
    let text_words = super::rules::words(&lower);
    let mut blanked = text.to_owned();
    let names = crate::people::names::REAL_NAME_ALLOWLIST.iter();
    // "Hoare's talk": the possessive is part of the word as the matcher reads it.
    let possessives: Vec<String> = FALSE_POSITIVES
        .iter()
        .chain(names.clone())
        .map(|pattern| format!("{pattern}'s"))
        .collect();
    let patterns = FALSE_POSITIVES
        .iter()
        .chain(names)
        .copied()
        .chain(possessives.iter().map(String::as_str));
    for pattern in patterns {
        for (start, end) in super::rules::find_pattern(pattern, &text_words) {
            if blanked.is_char_boundary(start) && blanked.is_char_boundary(end) {
                blanked.replace_range(start..end, &" ".repeat(end - start));
            }
        }
    }
    blank_codes(&mut blanked);
    blanked
}

/// Numbers and codes: six or more digits (order and phone numbers, timestamps), or ASCII
/// letters mixed with at least two digits, one of which leetspeak never uses for a letter
/// (2, 6, 8, 9) — generated ids, base-36 stamps such as "mx18s3h8". The filter reads digits as
/// letters ("560706" came out explicit); these are not words at all. The price: calculator
/// jokes ("5318008") pass.
fn is_code(token: &str) -> bool {
    let digits = token.chars().filter(char::is_ascii_digit).count();
    let number = digits >= 6 && digits == token.len();
    let mixed = token.len() >= 4
        && digits >= 2
        && token.chars().any(|c| c.is_ascii_alphabetic())
        && token.chars().any(|c| matches!(c, '2' | '6' | '8' | '9'));
    number || mixed
}

fn blank_codes(text: &mut String) {
    let mut codes = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(from)) => {
                if is_code(&text[from..i]) {
                    codes.push(from..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    for range in codes {
        let width = range.len();
        text.replace_range(range, &" ".repeat(width));
    }
}

/// What the word filter finds, as reasons for a verdict.
pub(super) fn check(text: &str) -> Vec<Reason> {
    let text = &without_false_positives(text);
    let threshold = Type::MODERATE_OR_HIGHER & (Type::SEXUAL | Type::MEAN | Type::OFFENSIVE)
        | Type::SEVERE & Type::PROFANE;
    let (censored, typ) = Censor::from_str(text)
        .with_censor_threshold(threshold)
        .with_censor_first_character_threshold(threshold)
        .with_ignore_self_censoring(true)
        .censor_and_analyze();
    // A hit spread over parts of several words ("let'[s exe]cute") is not a finding.
    let Some(matched) = censored_words(text, &censored) else {
        return Vec::new();
    };
    // "fuck", "dick", "ass" are profane and sexual at once: as swearing they are rude; the
    // phrase list catches them when they are meant sexually.
    let sexual = typ.is(Type::SEXUAL & Type::SEVERE)
        || (typ.is(Type::SEXUAL & Type::MODERATE) && !typ.is(Type::PROFANE));
    let finding = if sexual {
        Some((Category::Explicit, Action::Hold, severity(typ)))
    } else if typ.is((Type::MEAN | Type::OFFENSIVE) & Type::MODERATE_OR_HIGHER) {
        Some((Category::Rude, Action::Nudge, severity(typ)))
    } else if typ.is(Type::PROFANE & Type::SEVERE | Type::SEXUAL & Type::MODERATE) {
        Some((Category::Profanity, Action::Nudge, severity(typ)))
    } else {
        None
    };
    finding
        .map(|(category, action, score)| Reason {
            category,
            action,
            matched,
            score: Some(score),
            source: Source::Keyword,
        })
        .into_iter()
        .collect()
}

fn severity(typ: Type) -> f64 {
    if typ.is(Type::SEVERE) {
        1.0
    } else if typ.is(Type::MODERATE) {
        0.75
    } else {
        0.5
    }
}

/// The words of `original` that the censor starred out, or `None` when the only stars are an
/// artefact of the filter reading across spaces: a match that starts inside one word and ends
/// inside another ("rea[d on g]iving") is not a finding. A match inside one word ("…fucking")
/// or over whole words ("s e x y") is. When the censor changed the length (it drops zero-width
/// characters, which only evasions use) positions no longer line up and the start of the text
/// stands in.
fn censored_words(original: &str, censored: &str) -> Option<String> {
    let original_chars: Vec<char> = original.chars().collect();
    let censored_chars: Vec<char> = censored.chars().collect();
    if original_chars.len() != censored_chars.len() {
        return Some(super::excerpt(original));
    }
    // (word, letters, starred letters) for each whitespace-separated word.
    let mut words: Vec<(String, usize, usize)> = vec![(String::new(), 0, 0)];
    for (o, c) in original_chars.iter().zip(&censored_chars) {
        if o.is_whitespace() {
            words.push((String::new(), 0, 0));
            continue;
        }
        if let Some(word) = words.last_mut() {
            word.0.push(*o);
            if o.is_alphanumeric() || "$@!*".contains(*o) {
                word.1 += 1;
                word.2 += usize::from(*c == '*');
            }
        }
    }
    words.retain(|(_, letters, _)| *letters > 0);
    let full = |w: &(String, usize, usize)| w.2 == w.1;
    let mut found: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].2 == 0 {
            i += 1;
            continue;
        }
        let end = (i..words.len())
            .take_while(|&j| words[j].2 > 0)
            .last()
            .unwrap_or(i);
        let group = &words[i..=end];
        let genuine =
            group.len() == 1 || (group.first().is_some_and(full) && group.last().is_some_and(full));
        if genuine {
            found.extend(group.iter().map(|(w, _, _)| {
                w.trim_matches(|c: char| c.is_ascii_punctuation() && !"$@!*".contains(c))
                    .to_owned()
            }));
        }
        i = end + 1;
    }
    (!found.is_empty()).then(|| found.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_are_not_disguised_words() {
        assert!(check("Speaking Cohort mx18s3h8").is_empty());
        assert!(check("ticket s3h8 is open").is_empty());
        assert!(check("Speaking Cohort 1795921560706").is_empty());
        assert!(check("order 560706").is_empty());
        assert!(is_code("mx18s3h8"));
        // Leetspeak keeps its digits (0 1 3 4 5 7) and is still read.
        assert!(!is_code("sh1t"));
        assert!(!is_code("h8er"));
        assert_eq!(without_false_positives("a sh1t h8er"), "a sh1t h8er");
        assert_eq!(without_false_positives("id mx18s3h8."), "id         .");
    }
}
