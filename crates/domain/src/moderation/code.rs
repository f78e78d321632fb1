//! Code is read as code. People in a learning community share snippets, shell commands and
//! HTML; a variable called `sex`, a `<b>` tag or `kill -9` are not remarks about anyone, so the
//! prose checks read the text with code blocks, inline code and HTML blanked out.
//!
//! An inline span that reads like a sentence ("`send me your nudes`") is prose wearing
//! backticks, and stays in.

use pulldown_cmark::{Event, Options, Parser, Tag};
use std::ops::Range;

/// The text with its code replaced by spaces, so byte positions of the prose stay the same.
pub fn prose(text: &str) -> String {
    let ranges = code_ranges(text);
    if ranges.is_empty() {
        return text.to_owned();
    }
    let mut blanked = text.to_owned();
    for range in ranges {
        if blanked.is_char_boundary(range.start) && blanked.is_char_boundary(range.end) {
            let width = range.len();
            blanked.replace_range(range, &" ".repeat(width));
        }
    }
    blanked
}

fn code_ranges(text: &str) -> Vec<Range<usize>> {
    if !text.contains(['`', '<', '~', '\t']) && !text.contains("    ") {
        return Vec::new();
    }
    // A start event's range covers the whole element, fences included.
    Parser::new_ext(text, Options::empty())
        .into_offset_iter()
        .filter(|(event, _)| match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Html(_) | Event::InlineHtml(_) => true,
            Event::Code(content) => !reads_as_prose(content),
            _ => false,
        })
        .map(|(_, range)| range)
        .collect()
}

/// Several words of letters and sentence punctuation only: no operator, bracket, dot inside a
/// word, slash or digit that code would have.
fn reads_as_prose(content: &str) -> bool {
    let words = content.split_whitespace().count();
    words >= 2
        && content.chars().all(|c| {
            c.is_alphabetic() || c.is_whitespace() || matches!(c, '\'' | '’' | ',' | '!' | '?')
        })
}

#[cfg(test)]
mod tests {
    use super::prose;

    #[test]
    fn code_is_blanked_and_prose_is_kept() {
        assert_eq!(
            prose("Set `user.sex` to null"),
            format!("Set {} to null", " ".repeat(10))
        );
        assert_eq!(
            prose("Use <b>bold</b> here").trim_end(),
            "Use    bold     here"
        );
        let fenced = "Try this:\n\n```sh\nkill -9 $(pidof cocksure)\n```\n\nThen retry.";
        let read = prose(fenced);
        assert!(read.starts_with("Try this:") && read.ends_with("Then retry."));
        assert!(
            !read.contains("kill") && !read.contains("cocksure"),
            "{read}"
        );
        assert_eq!(read.len(), fenced.len());
    }

    #[test]
    fn sentences_in_backticks_are_still_prose() {
        assert_eq!(prose("`send me your nudes`"), "`send me your nudes`");
        assert_eq!(prose("plain words"), "plain words");
    }
}
