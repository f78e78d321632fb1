//! Undoing the usual evasions before the lexicons and the insult model read a text: zero-width
//! characters, full-width and look-alike letters, leetspeak inside words, letters spelled out
//! with spaces or dots ("i d i o t", "p.o.r.n"). `rustrict` does its own; this is for our checks.

/// The text as plain lower-case Latin words where it was disguised.
pub fn normalise(text: &str) -> String {
    let plain: String = text
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| look_alike(full_width(c)))
        .collect::<String>()
        .to_lowercase();
    let words: Vec<String> = plain
        .split(' ')
        .map(|word| fill_masked(&collapse_repeats(&unleet(word))))
        .collect();
    join_spelled_out(&words.join(" "))
}

/// Words people disguise by masking letters ("f#ck", "sh*t", "b!tch" after leetspeak): a
/// masked word of the same length is read as the one word of this list it fits. Short on
/// purpose: a mask must fit exactly one.
const MASKABLE: &[&str] = &[
    "fuck", "fucking", "fucked", "fucker", "shit", "shitty", "bitch", "bitches", "bastard",
    "asshole", "cunt", "dick", "dickhead", "piss", "pissed", "wanker", "twat", "slut", "whore",
    "crap", "damn", "porn", "sexy", "nude", "nudes", "boobs", "tits", "cock", "pussy", "idiot",
    "moron", "stupid", "loser", "retard", "retarded", "jerk", "dumb", "dumbass", "prick",
];

fn fill_masked(word: &str) -> String {
    let core_start = word.find(|c: char| c.is_alphanumeric() || "*#".contains(c));
    let core_end = word
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphanumeric() || "*#".contains(*c))
        .map(|(i, c)| i + c.len_utf8());
    let (Some(start), Some(end)) = (core_start, core_end) else {
        return word.to_owned();
    };
    let core = &word[start..end];
    let masks = core.chars().filter(|c| "*#".contains(*c)).count();
    let letters = core.chars().filter(|c| c.is_alphabetic()).count();
    if masks == 0 || letters < 1 || masks + letters != core.chars().count() {
        return word.to_owned();
    }
    let fits = |candidate: &&&str| {
        candidate.len() == core.chars().count()
            && candidate
                .chars()
                .zip(core.chars())
                .all(|(c, m)| m == c || "*#".contains(m))
    };
    let mut fitting = MASKABLE.iter().filter(fits);
    match (fitting.next(), fitting.next()) {
        (Some(only), None) => format!("{}{}{}", &word[..start], only, &word[end..]),
        _ => word.to_owned(),
    }
}

/// Letters stretched for effect or to slip past a filter ("stuuupid", "fuuuck"): three or more
/// of one letter become one. Double letters stay ("cool", "assess").
fn collapse_repeats(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|&&c| c == chars[i]).count();
        let keep = if run >= 3 && chars[i].is_alphabetic() {
            1
        } else {
            run
        };
        out.extend(std::iter::repeat_n(chars[i], keep));
        i += run;
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

fn full_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// Cyrillic and Greek letters that look like Latin ones.
fn look_alike(c: char) -> char {
    match c {
        'а' | 'А' | 'α' => 'a',
        'с' | 'С' => 'c',
        'е' | 'Е' | 'ε' => 'e',
        'і' | 'І' | 'ι' => 'i',
        'о' | 'О' | 'ο' | 'Ο' => 'o',
        'р' | 'Р' | 'ρ' => 'p',
        'х' | 'Х' | 'χ' => 'x',
        'у' | 'У' => 'y',
        'ѕ' | 'Ѕ' => 's',
        'ј' => 'j',
        'к' | 'К' | 'κ' => 'k',
        'т' | 'Т' | 'τ' => 't',
        'в' | 'В' => 'b',
        'н' | 'Н' => 'h',
        'м' | 'М' => 'm',
        'υ' => 'u',
        _ => c,
    }
}

/// Digits and symbols standing for letters, only inside words that also have letters, so
/// numbers stay numbers. A trailing "!" is punctuation ("idea!"), a leading "@" a mention, and a
/// token led by a number is a quantity or an ordinal ("10am", "3rd", "4x").
fn unleet(word: &str) -> String {
    if word.starts_with('@') {
        return word.to_owned();
    }
    let is_core = |c: char| c.is_alphanumeric() || "$@!".contains(c);
    let Some(start) = word.find(|c: char| is_core(c) && c != '!') else {
        return word.to_owned();
    };
    let end = word
        .char_indices()
        .rev()
        .find(|(_, c)| is_core(*c) && *c != '!')
        .map_or(start, |(i, c)| i + c.len_utf8());
    if end <= start {
        return word.to_owned();
    }
    let core = &word[start..end];
    let has_letter = core.chars().any(char::is_alphabetic);
    let has_leet = core.chars().any(|c| "013457$@!".contains(c));
    // Identifiers such as UUIDs and hashes are hex, not leetspeak ("a55e…" is not a word).
    let hex_id = core.len() >= 8 && core.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if !(has_letter && has_leet) || hex_id || is_quantity(core) {
        return word.to_owned();
    }
    let plain: String = core
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            other => other,
        })
        .collect();
    format!("{}{plain}{}", &word[..start], &word[end..])
}

/// "10am", "2nd", "4x", "5g", "64gb": a number followed by a unit or an ordinal suffix.
fn is_quantity(core: &str) -> bool {
    let digits = core.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let rest = &core[digits..];
    digits >= 2
        || rest.is_empty()
        || [
            "st", "nd", "rd", "th", "am", "pm", "x", "k", "m", "g", "d", "h", "s", "kb", "mb",
            "gb", "tb", "px", "ms", "min", "pc", "yo",
        ]
        .contains(&rest)
}

/// Letters spelled out one by one become words: dotted ("p.o.r.n"), four or more single
/// letters in a row separated by spaces ("s e x y"), or three when they spell one of the short
/// words people disguise this way ("s e x"); "u r a" stays as it is.
fn join_spelled_out(text: &str) -> String {
    let tokens: Vec<String> = text.split(' ').map(join_dotted).collect();
    let is_letter = |t: &str| {
        let mut chars = t
            .trim_end_matches(|c: char| c.is_ascii_punctuation())
            .chars();
        chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
    };
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let run = tokens[i..].iter().take_while(|t| is_letter(t)).count();
        let joined = tokens[i..i + run].concat();
        let short_word = ["sex", "ass", "tit", "cum", "fag"]
            .contains(&joined.trim_end_matches(|c: char| c.is_ascii_punctuation()));
        if run >= 4 || (run == 3 && short_word) {
            out.push(joined);
            i += run;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out.join(" ")
}

/// "l.o.s.e.r", "m-o-r-o-n", "f_u_c_k" → one word: three or more single letters joined by
/// dots, hyphens or underscores.
fn join_dotted(token: &str) -> String {
    let separator = ['.', '-', '_']
        .into_iter()
        .find(|s| token.contains(*s))
        .unwrap_or('.');
    let trimmed = token.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != separator);
    let parts: Vec<&str> = trimmed
        .trim_end_matches(separator)
        .split(separator)
        .collect();
    let spelled = parts.len() >= 3
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    if spelled {
        let tail = &token[trimmed.trim_end_matches(separator).len()..];
        format!("{}{}", parts.concat(), tail)
    } else {
        token.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;
    use proptest::prelude::*;

    proptest! {
        /// Any text, any script, any symbols: normalising never panics (it once sliced inside
        /// a multi-byte letter).
        #[test]
        fn never_panics(text in "\\PC{0,40}", masked in "[a-zë*#$@!1 .-]{0,20}") {
            let _ = normalise(&text);
            let _ = normalise(&masked);
            let _ = crate::moderation::ContentCheck::default().check(&format!("{text} {masked}"));
        }
    }

    #[test]
    fn undoes_common_evasions() {
        assert_eq!(
            normalise("You're such an i d i o t."),
            "you're such an idiot."
        );
        assert_eq!(normalise("What a 1d10t"), "what a idiot");
        assert_eq!(normalise("ｉｄｉｏｔ"), "idiot");
        assert_eq!(normalise("іdiоt"), "idiot");
        assert_eq!(normalise("mo\u{200B}ron"), "moron");
        assert_eq!(normalise("p.o.r.n for you"), "porn for you");
        assert_eq!(normalise("u r a l.o.s.e.r"), "u r a loser");
        assert_eq!(normalise("send me your n u d e s."), "send me your nudes.");
        assert_eq!(normalise("s e x with you"), "sex with you");
        assert_eq!(normalise("a$$hole"), "asshole");
        assert_eq!(normalise("what the f#ck"), "what the fuck");
        assert_eq!(normalise("Sh*t work, you 1d!0t"), "shit work, you idiot");
        assert_eq!(normalise("so stuuupid"), "so stupid");
        assert_eq!(normalise("m-o-r-o-n and f_u_c_k"), "moron and fuck");
        assert_eq!(normalise("zoë, f*ck… ünïcödé*"), "zoë, fuck… ünïcödé*");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for text in [
            "meet at 10:30 in room 4",
            "i am ok",
            "version 1.2.3 is out",
            "a b",
            "see 3fa55e12-0b7c-4d1e-9a55-7c3e8f00a155",
            "e-mail the a-team about x-ray * notes #42 and #general",
            "cool, see you soon, 5 * 3 = 15",
            "the 10am session, a great idea! release!!!",
            "3rd time, 4x faster, 64gb, thanks @ana and @bo5!",
        ] {
            assert_eq!(normalise(text), text);
        }
    }
}
