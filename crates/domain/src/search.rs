//! Search queries and result snippets: what a person types becomes a safe engine query, and the
//! engine's snippet becomes escaped HTML with the matches marked.

const MAX_TERMS: usize = 8;
pub const MAX_QUERY_CHARS: usize = 200;

/// The words of a query, lower-cased: letters and digits only, at most eight.
pub fn terms(raw: &str) -> Vec<String> {
    raw.chars()
        .take(MAX_QUERY_CHARS)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .take(MAX_TERMS)
        // Lower-casing can add combining marks ("İ" becomes "i" + U+0307); keep only what stays
        // alphanumeric so a term never carries anything but letters and digits.
        .map(|t| {
            t.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// An FTS5 expression: every term must match as a word prefix ("retro" finds "retrospective").
/// Terms are quoted, so FTS5 operators in the input are plain words.
pub fn fts5_query(terms: &[String]) -> Option<String> {
    (!terms.is_empty()).then(|| {
        terms
            .iter()
            .map(|t| format!("\"{t}\"*"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// The same for PostgreSQL's `to_tsquery`: `retro:* & team:*`. Terms are letters and digits only,
/// so they carry no tsquery operators.
pub fn tsquery(terms: &[String]) -> Option<String> {
    (!terms.is_empty()).then(|| {
        terms
            .iter()
            .map(|t| format!("{t}:*"))
            .collect::<Vec<_>>()
            .join(" & ")
    })
}

/// A window of about `words` words of `body` around the first word matching a term (as a
/// prefix), with the matches between U+0001 and U+0002 — the form [`highlight`] turns into HTML.
pub fn snippet(body: &str, terms: &[String], words: usize) -> String {
    let all: Vec<&str> = body.split_whitespace().collect();
    let matches = |word: &str| {
        let lower: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        !lower.is_empty() && terms.iter().any(|t| lower.starts_with(t.as_str()))
    };
    let first = all.iter().position(|w| matches(w)).unwrap_or(0);
    let start = first.saturating_sub(words / 4);
    let end = (start + words).min(all.len());
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    for (i, word) in all[start..end].iter().enumerate() {
        if i > 0 || start > 0 {
            out.push(' ');
        }
        if matches(word) {
            // Mark the word itself, not the punctuation around it.
            let core_start = word.find(char::is_alphanumeric).unwrap_or(0);
            let core_end = word.rfind(char::is_alphanumeric).map_or(word.len(), |i| {
                i + word[i..].chars().next().map_or(1, char::len_utf8)
            });
            out.push_str(&word[..core_start]);
            out.push('\u{1}');
            out.push_str(&word[core_start..core_end]);
            out.push('\u{2}');
            out.push_str(&word[core_end..]);
        } else {
            out.push_str(word);
        }
    }
    if end < all.len() {
        out.push_str(" …");
    }
    out
}

/// Escapes a snippet for HTML and turns the engine's U+0001/U+0002 markers into `<mark>`.
pub fn highlight(snippet: &str) -> String {
    let mut html = String::with_capacity(snippet.len() + 16);
    let mut open = false;
    for c in snippet.chars() {
        match c {
            '\u{1}' if !open => {
                html.push_str("<mark>");
                open = true;
            }
            '\u{2}' if open => {
                html.push_str("</mark>");
                open = false;
            }
            '\u{1}' | '\u{2}' => {}
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    if open {
        html.push_str("</mark>");
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn queries_are_quoted_terms() {
        let t = terms("Retro* AND \"drop table\" NEAR(x)");
        assert_eq!(t, vec!["retro", "and", "drop", "table", "near", "x"]);
        assert_eq!(
            fts5_query(&terms("team retro")).as_deref(),
            Some("\"team\"* \"retro\"*")
        );
        assert_eq!(
            tsquery(&terms("Team, retro!")).as_deref(),
            Some("team:* & retro:*")
        );
        assert_eq!(tsquery(&terms("")), None);
        assert_eq!(fts5_query(&terms("  ?! ")), None);
        assert_eq!(terms(&"word ".repeat(50)).len(), 8);
        assert_eq!(terms("İzmir"), vec!["izmir"]);
    }

    #[test]
    fn snippets_window_the_first_match() {
        let body =
            "one two three four five six seven eight nine ten Retrospectives help eleven twelve";
        let terms = terms("retro");
        assert_eq!(
            highlight(&snippet(body, &terms, 6)),
            "… ten <mark>Retrospectives</mark> help eleven twelve"
        );
        assert_eq!(snippet("short text", &terms, 30), "short text");
        assert_eq!(
            highlight(&snippet("(Retro.) done", &terms, 30)),
            "(<mark>Retro</mark>.) done"
        );
    }

    #[test]
    fn snippets_are_escaped_and_marked() {
        assert_eq!(
            highlight("a \u{1}retro\u{2} <b>&"),
            "a <mark>retro</mark> &lt;b&gt;&amp;"
        );
        assert_eq!(highlight("\u{1}open"), "<mark>open</mark>");
        assert_eq!(highlight("stray\u{2}"), "stray");
    }

    proptest! {
        #[test]
        fn highlighted_snippets_never_carry_markup(raw in "\\PC{0,200}") {
            let html = highlight(&raw);
            let without_marks = html.replace("<mark>", "").replace("</mark>", "");
            prop_assert!(!without_marks.contains('<') && !without_marks.contains('>'));
        }

        #[test]
        fn fts5_queries_only_hold_quoted_alphanumerics(raw in "\\PC{0,100}") {
            if let Some(q) = fts5_query(&terms(&raw)) {
                for part in q.split(' ') {
                    let inner = part.trim_end_matches('*').trim_matches('"');
                    prop_assert!(inner.chars().all(char::is_alphanumeric));
                }
            }
        }
    }
}
