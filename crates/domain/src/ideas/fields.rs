//! What an idea says: a title, the problem it solves, the proposal, the benefit expected, and a
//! few tags. Checked here once for the form, the API and the demo data alike; the free texts
//! still go through the content check in `app`.

use crate::FieldErrors;
use crate::fields::single_line;
use crate::spaces::parse_long_text;

pub const MAX_TITLE_CHARS: usize = 120;
/// Problem, proposal and expected benefit each: room for a page of text, not an essay.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// A handful of tags finds an idea; more only adds noise to every tag page.
pub const MAX_TAGS: usize = 8;
pub const MAX_TAG_CHARS: usize = 30;

/// An idea as typed (form fields or a JSON body). `tags` is one text: commas, spaces or line
/// breaks separate tags, so an API client sending a list joins it with commas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdeaDraft<'a> {
    pub title: &'a str,
    pub problem: &'a str,
    pub proposal: &'a str,
    pub benefit: &'a str,
    pub tags: &'a str,
}

/// A valid idea, ready to store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdeaFields {
    pub title: String,
    /// Markdown; never empty.
    pub problem: String,
    /// Markdown; never empty.
    pub proposal: String,
    /// Markdown; may be empty: the benefit is sometimes clear from the problem.
    pub benefit: String,
    /// Lower-case, without repeats, in the order typed.
    pub tags: Vec<String>,
}

/// Checks every field at once, so the form shows all problems in one round.
pub fn parse_idea(draft: IdeaDraft<'_>) -> Result<IdeaFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", single_line(draft.title, MAX_TITLE_CHARS));
    let problem = errors.check(
        "problem",
        parse_long_text(draft.problem, MAX_TEXT_CHARS, true),
    );
    let proposal = errors.check(
        "proposal",
        parse_long_text(draft.proposal, MAX_TEXT_CHARS, true),
    );
    let benefit = errors.check(
        "benefit",
        parse_long_text(draft.benefit, MAX_TEXT_CHARS, false),
    );
    let tags = errors.check("tags", parse_tags(draft.tags));
    match (title, problem, proposal, benefit, tags) {
        (Some(title), Some(problem), Some(proposal), Some(benefit), Some(tags)) => Ok(IdeaFields {
            title,
            problem,
            proposal,
            benefit,
            tags,
        }),
        _ => Err(errors),
    }
}

/// "Onboarding, #SQL  remote-work, sql" → ["onboarding", "sql", "remote-work"]: tags are short
/// lower-case words (letters, digits, inner hyphens) so that "SQL" and "sql" are one tag page
/// and a tag fits in a URL. A leading `#` is dropped; repeats are dropped. Letters of any
/// script are welcome: not every community writes English. The resource library uses the same
/// rule, so a tag means the same on ideas and resources.
pub fn parse_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for part in raw.split(|c: char| c == ',' || c.is_whitespace()) {
        let tag = part.trim_start_matches('#').to_lowercase();
        if tag.is_empty() {
            continue;
        }
        let length = tag.chars().count();
        let word = tag.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !tag.starts_with('-')
            && !tag.ends_with('-');
        if length > MAX_TAG_CHARS || !word {
            return Err(format!(
                "Make each tag one word of up to {MAX_TAG_CHARS} letters, digits or hyphens, such as \"remote-work\"."
            ));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("Use at most {MAX_TAGS} tags."));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft() -> IdeaDraft<'static> {
        IdeaDraft {
            title: "  Pair new joiners with a buddy ",
            problem: "New joiners feel lost in week one.\r\nThey don't know whom to ask.",
            proposal: "Each new joiner gets a buddy from another team for a month.",
            benefit: "",
            tags: "Onboarding, #buddies",
        }
    }

    #[test]
    fn a_valid_idea_is_trimmed_and_normalised() {
        let idea = parse_idea(draft()).unwrap();
        assert_eq!(idea.title, "Pair new joiners with a buddy");
        assert_eq!(
            idea.problem,
            "New joiners feel lost in week one.\nThey don't know whom to ask."
        );
        assert_eq!(idea.benefit, "");
        assert_eq!(idea.tags, ["onboarding", "buddies"]);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        let errors = parse_idea(IdeaDraft {
            title: "two\nlines",
            problem: "   ",
            proposal: "",
            benefit: &long,
            tags: "a,b,c,d,e,f,g,h,i",
        })
        .unwrap_err();
        for field in ["title", "problem", "proposal", "benefit", "tags"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
        let errors = parse_idea(IdeaDraft {
            title: &"t".repeat(MAX_TITLE_CHARS + 1),
            ..draft()
        })
        .unwrap_err();
        assert_eq!(errors.iter().count(), 1);
        assert!(
            parse_idea(IdeaDraft {
                problem: "nul\u{0}byte",
                ..draft()
            })
            .is_err()
        );
    }

    #[test]
    fn tags_are_short_lower_case_words() {
        assert_eq!(
            parse_tags("SQL sql, Remote-Work,,\n#café").unwrap(),
            ["sql", "remote-work", "café"]
        );
        assert_eq!(parse_tags("  ").unwrap(), Vec::<String>::new());
        // Repeats do not count towards the limit.
        assert_eq!(parse_tags(&"same ".repeat(20)).unwrap(), ["same"]);
        for bad in ["c++", "-lead", "trail-", "<b>", "a/b", &"x".repeat(31)] {
            assert!(parse_tags(bad).is_err(), "{bad}");
        }
        assert!(parse_tags("a b c d e f g h").is_ok());
        assert!(parse_tags("a b c d e f g h i").is_err());
    }

    proptest! {
        #[test]
        fn accepted_tags_are_few_unique_lower_case_words(raw in "[a-zA-Z0-9#, -]{0,80}") {
            if let Ok(tags) = parse_tags(&raw) {
                prop_assert!(tags.len() <= MAX_TAGS);
                for (i, tag) in tags.iter().enumerate() {
                    prop_assert!(!tag.is_empty() && tag.chars().count() <= MAX_TAG_CHARS);
                    prop_assert_eq!(tag, &tag.to_lowercase());
                    prop_assert!(!tag.contains([' ', ',', '#']));
                    prop_assert!(!tags[..i].contains(tag));
                }
                // Parsing is idempotent: stored tags read back the same.
                prop_assert_eq!(parse_tags(&tags.join(",")), Ok(tags.clone()));
            }
        }
    }
}
