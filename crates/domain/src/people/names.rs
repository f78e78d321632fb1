//! Professional names. Guildhall has no usernames: people appear under the name they work by,
//! so the rules keep names looking like names and out of the way of jokes and insults.

use rustrict::{Censor, Type};
use serde::Serialize;

pub const MAX_NAME_PART_CHARS: usize = 60;

/// Real surnames and given names that a word filter mistakes for profanity. They are removed from
/// a name before the profanity check only when they stand as a whole word.
pub(crate) const REAL_NAME_ALLOWLIST: &[&str] = &[
    "dick",
    "cummings",
    "cumming",
    "cox",
    "fanny",
    "gay",
    "hancock",
    "butts",
    "wang",
    "dong",
    "hardcastle",
    "sexton",
    "babcock",
    "willy",
    "titus",
    "bastard",
    "hora",
    "fuchs",
    "hoare",
    "dijkstra",
    "kuntz",
    "fagg",
    "hooker",
    "weiner",
    "twitty",
    "cockburn",
    "glasscock",
    "longbottom",
    "shufflebottom",
    "cumberbatch",
    "dikshit",
    "sucksmith",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonName {
    pub given_name: String,
    pub family_name: String,
}

impl PersonName {
    /// How the person is shown everywhere: pages, mentions, the API.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

/// Validates and normalises one part of a name (given or family): trimmed, inner spaces collapsed.
pub fn parse_name_part(raw: &str) -> Result<String, String> {
    let normalised = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = normalised.chars().count();
    if length == 0 {
        return Err("Please enter a name.".into());
    }
    if length > MAX_NAME_PART_CHARS {
        return Err(format!(
            "A name can have at most {MAX_NAME_PART_CHARS} characters."
        ));
    }
    if normalised.contains('@') {
        return Err("Use your real name, not a handle.".into());
    }
    if normalised.chars().any(|c| c.is_numeric()) {
        return Err("A name cannot contain digits.".into());
    }
    if let Some(bad) = normalised.chars().find(|&c| !is_name_char(c)) {
        return Err(format!(
            "“{bad}” cannot be part of a name: use letters, spaces, hyphens and apostrophes."
        ));
    }
    if !normalised.chars().next().is_some_and(char::is_alphabetic) {
        return Err("A name must start with a letter.".into());
    }
    if has_repeated_separator(&normalised) {
        return Err("Hyphens and apostrophes must stand between letters.".into());
    }
    Ok(normalised)
}

/// Validates both parts, then the whole name against the profanity filter.
pub fn parse_person_name(
    given: &str,
    family: &str,
) -> Result<PersonName, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let given_name = parse_name_part(given).map_err(|e| errors.push(("given_name", e)));
    let family_name = parse_name_part(family).map_err(|e| errors.push(("family_name", e)));
    let (Ok(given_name), Ok(family_name)) = (given_name, family_name) else {
        return Err(errors);
    };
    for (field, part) in [("given_name", &given_name), ("family_name", &family_name)] {
        if is_offensive_name(part) {
            errors.push((field, "Please use your professional name.".to_owned()));
        }
    }
    if errors.is_empty() {
        Ok(PersonName {
            given_name,
            family_name,
        })
    } else {
        Err(errors)
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || is_combining_mark(c) || matches!(c, ' ' | '-' | '\'' | '’')
}

/// Combining marks carry accents in decomposed text ("e" + U+0301) and in many scripts.
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x3099..=0x309A | 0xFE20..=0xFE2F)
}

fn has_repeated_separator(name: &str) -> bool {
    let mut previous_was_separator = false;
    for c in name.chars() {
        let separator = matches!(c, '-' | '\'' | '’');
        if separator && previous_was_separator {
            return true;
        }
        previous_was_separator = separator || (c == ' ' && previous_was_separator);
    }
    previous_was_separator
}

/// Census names the word filter objects to ("Hoffman", "Kumar"); see `tools/names/`.
const CENSUS_NAMES: &str = include_str!("real_names.txt");

fn is_known_real_name(word: &str) -> bool {
    let word = word.to_lowercase();
    REAL_NAME_ALLOWLIST.contains(&word.as_str())
        || CENSUS_NAMES
            .lines()
            .filter(|line| !line.starts_with('#'))
            .any(|name| name == word)
}

fn is_offensive_name(part: &str) -> bool {
    let words: Vec<&str> = part
        .split([' ', '-'])
        .filter(|word| !is_known_real_name(word))
        .collect();
    !words.is_empty() && word_filter_objects(&words.join(" "))
}

/// Whether the word filter reads a name as profane, offensive, sexual or mean.
pub fn word_filter_objects(name: &str) -> bool {
    Censor::from_str(name)
        .analyze()
        .is(Type::MODERATE_OR_HIGHER
            & (Type::PROFANE | Type::OFFENSIVE | Type::SEXUAL | Type::MEAN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_real_names_from_many_cultures() {
        for name in [
            "Ada",
            "Jean-Luc",
            "O'Brien",
            "D’Arcy",
            "José",
            "Zoë",
            "Nguyễn",
            "Søren",
            "Łukasz",
            "Mary Ann",
            "van der Berg",
            "Renée",
            "Nakamura",
            "Андрей",
            "محمد",
            "李",
            "Ngũgĩ",
            "Dick",
            "Cummings",
            "Hancock",
            "Hoffman",
            "Kumar",
            "Dickerson",
            "Yamashita",
            "Hoang",
            "Phuong",
            "Fukuda",
            "Anna-Maria Hoffmann",
        ] {
            assert!(parse_name_part(name).is_ok(), "{name} should be accepted");
        }
    }

    #[test]
    fn refuses_what_is_not_a_name() {
        let cases = [
            ("", "Please enter a name."),
            ("   ", "Please enter a name."),
            ("@ada", "Use your real name, not a handle."),
            ("Ada99", "A name cannot contain digits."),
            (
                "Ada_L",
                "“_” cannot be part of a name: use letters, spaces, hyphens and apostrophes.",
            ),
            ("-Ada", "A name must start with a letter."),
            (
                "Ada--Lou",
                "Hyphens and apostrophes must stand between letters.",
            ),
            (
                "Ada-",
                "Hyphens and apostrophes must stand between letters.",
            ),
            (
                "Ada <script>",
                "“<” cannot be part of a name: use letters, spaces, hyphens and apostrophes.",
            ),
        ];
        for (input, message) in cases {
            assert_eq!(
                parse_name_part(input),
                Err(message.to_owned()),
                "input {input:?}"
            );
        }
        assert!(parse_name_part(&"a".repeat(61)).is_err());
        assert!(parse_name_part(&"a".repeat(60)).is_ok());
    }

    #[test]
    fn normalises_spacing() {
        assert_eq!(parse_name_part("  Mary   Ann ").as_deref(), Ok("Mary Ann"));
    }

    #[test]
    fn refuses_profane_names_but_keeps_real_ones() {
        let refused = parse_person_name("Fuck", "Face").unwrap_err();
        assert_eq!(refused[0].0, "given_name");
        assert!(parse_person_name("Ada", "Shithead").is_err());
        assert!(parse_person_name("Dick", "Smith").is_ok());
        assert!(parse_person_name("Edward", "Cummings").is_ok());
        // In the census lists, but an insult first: refused (tools/names/regenerate.sh).
        assert!(parse_person_name("Ima", "Wanker").is_err());
        assert!(parse_person_name("Total", "Loser").is_err());
        let ok = parse_person_name("  Ada ", "Lovelace").unwrap();
        assert_eq!(ok.display_name(), "Ada Lovelace");
    }

    proptest! {
        #[test]
        fn accepted_names_are_trimmed_and_bounded(raw in "\\PC{0,80}") {
            if let Ok(name) = parse_name_part(&raw) {
                prop_assert_eq!(name.trim(), name.as_str());
                prop_assert!(name.chars().count() <= MAX_NAME_PART_CHARS);
                prop_assert!(!name.chars().any(|c| c.is_numeric() || c == '@'));
            }
        }

        #[test]
        fn parsing_is_idempotent(raw in "[A-Za-zé' -]{0,40}") {
            if let Ok(once) = parse_name_part(&raw) {
                prop_assert_eq!(parse_name_part(&once), Ok(once.clone()));
            }
        }
    }
}
