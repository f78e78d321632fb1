//! Threads and posts: kinds, reactions, and Markdown rendered to safe HTML.

use crate::fields::single_line;
use crate::spaces::{parse_long_text, word_enum};
use pulldown_cmark::{Options, Parser, html};

word_enum!(
    /// What a thread is.
    ThreadKind {
        Discussion => "discussion" / "Discussion",
        Question => "question" / "Question",
        Idea => "idea" / "Idea",
        Resource => "resource" / "Resource",
        Announcement => "announcement" / "Announcement",
        Showcase => "showcase" / "Showcase",
    }
);

word_enum!(
    /// Typed reactions: what a post did for the reader, not a like count.
    ReactionKind {
        Helpful => "helpful" / "Helpful",
        Learned => "learned" / "Learned something",
        Question => "question" / "Have a question",
        Outdated => "outdated" / "Outdated",
    }
);

word_enum!(
    /// How much a person wants to hear about a thread.
    Subscription {
        Watching => "watching" / "Watching: every reply",
        Normal => "normal" / "Normal: replies to you",
        Muted => "muted" / "Muted: nothing",
    }
);

impl ThreadKind {
    /// Announcements speak for the space, so only its facilitators start them.
    pub fn needs_facilitator(self) -> bool {
        self == ThreadKind::Announcement
    }
}

pub const MAX_TITLE_CHARS: usize = 150;
pub const MAX_POST_CHARS: usize = 20_000;

pub fn parse_title(raw: &str) -> Result<String, String> {
    single_line(raw, MAX_TITLE_CHARS)
}

pub fn parse_post_body(raw: &str) -> Result<String, String> {
    parse_long_text(raw, MAX_POST_CHARS, true)
}

/// A resource's link: http(s) only, so no `javascript:` or `data:` reaches a page.
pub fn parse_link(raw: &str) -> Result<Option<String>, String> {
    let link = raw.trim();
    if link.is_empty() {
        return Ok(None);
    }
    let lower = link.to_ascii_lowercase();
    let plausible = (lower.starts_with("https://") || lower.starts_with("http://"))
        && link.len() <= 2000
        && !link.chars().any(|c| c.is_whitespace() || c.is_control());
    if plausible {
        Ok(Some(link.to_owned()))
    } else {
        Err("Use a web address starting with https://.".into())
    }
}

/// CommonMark (with tables and strikethrough) to HTML, then sanitised: no scripts, no event
/// handlers, no styles; links get `rel="noopener noreferrer nofollow"`.
pub fn render_markdown(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

/// A one-line plain excerpt for feeds.
pub fn excerpt(markdown: &str, max_chars: usize) -> String {
    let flat: String = markdown
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !matches!(c, '#' | '*' | '_' | '`' | '>'))
        .collect();
    let words = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= max_chars {
        words
    } else {
        let cut: String = words.chars().take(max_chars).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_and_sanitised() {
        assert_eq!(
            render_markdown("**bold** and `code`"),
            "<p><strong>bold</strong> and <code>code</code></p>\n"
        );
        let hostile = render_markdown(
            "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"javascript:alert(2)\">y</a>",
        );
        assert!(
            !hostile.contains("<script")
                && !hostile.contains("onerror")
                && !hostile.contains("href=\"javascript"),
            "{hostile}"
        );
        let link = render_markdown("[docs](https://example.org)");
        assert!(
            link.contains("href=\"https://example.org\"")
                && link.contains("rel=\"noopener noreferrer nofollow\""),
            "{link}"
        );
        assert!(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |").contains("<table>"));
    }

    #[test]
    fn links_are_web_addresses_only() {
        assert_eq!(
            parse_link(" https://example.org/a "),
            Ok(Some("https://example.org/a".into()))
        );
        assert_eq!(parse_link(""), Ok(None));
        assert!(parse_link("javascript:alert(1)").is_err());
        assert!(parse_link("https://exa mple.org").is_err());
    }

    #[test]
    fn excerpts_are_short_and_flat() {
        assert_eq!(excerpt("# Title\n\nSome *text*", 100), "Title Some text");
        assert_eq!(excerpt("one two three", 7), "one two…");
    }
}

pub const MAX_MENTIONS: usize = 10;

/// The names mentioned as `@[Given Family]`, in order, without repeats, at most ten.
pub fn mentioned_names(body: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("@[") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(']') else { break };
        let name = after[..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let plausible =
            !name.is_empty() && name.chars().count() <= 121 && !after[..end].contains('\n');
        if plausible && !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            names.push(name);
            if names.len() == MAX_MENTIONS {
                break;
            }
        }
        rest = &after[end + 1..];
    }
    names
}

/// A post's Markdown as HTML, with `@[Name]` mentions shown as bold names.
pub fn render_post(body: &str) -> String {
    let mut markdown = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("@[") {
        let after = &rest[start + 2..];
        match after
            .find(']')
            .filter(|end| !after[..*end].contains('\n') && *end > 0)
        {
            Some(end) => {
                markdown.push_str(&rest[..start]);
                markdown.push_str("**@");
                // Markdown-significant characters in a name are written literally.
                for c in after[..end].chars() {
                    if matches!(c, '*' | '_' | '`' | '[' | ']' | '\\') {
                        markdown.push('\\');
                    }
                    markdown.push(c);
                }
                markdown.push_str("**");
                rest = &after[end + 1..];
            }
            None => {
                markdown.push_str(&rest[..start + 2]);
                rest = after;
            }
        }
    }
    markdown.push_str(rest);
    render_markdown(&markdown)
}

#[cfg(test)]
mod mention_tests {
    use super::*;

    #[test]
    fn mentions_are_found_once_each() {
        assert_eq!(
            mentioned_names("Thanks @[Ada Lovelace] and @[ada  lovelace], ask @[Alan Turing]!"),
            vec!["Ada Lovelace", "Alan Turing"]
        );
        assert!(mentioned_names("email@example.org [link] @[] @[unclosed").is_empty());
        assert_eq!(mentioned_names(&"@[A B] ".repeat(3)).len(), 1);
    }

    #[test]
    fn mentions_render_as_bold_names() {
        assert_eq!(
            render_post("Hi @[Ada Lovelace]!"),
            "<p>Hi <strong>@Ada Lovelace</strong>!</p>\n"
        );
        assert!(!render_post("@[<script>x</script>]").contains("<script>"));
        assert_eq!(render_post("a @[ b"), "<p>a @[ b</p>\n");
    }
}

pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_ATTACHMENTS_PER_POST: i64 = 5;

/// The kinds of file a post may carry, recognised by their first bytes (never by the name or
/// the type the browser claims).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
}

impl FileKind {
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        match bytes {
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(FileKind::Png),
            [0xFF, 0xD8, 0xFF, ..] => Some(FileKind::Jpeg),
            [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(FileKind::Gif),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(FileKind::Webp),
            [b'%', b'P', b'D', b'F', b'-', ..] => Some(FileKind::Pdf),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
        }
    }

    pub fn from_content_type(raw: &str) -> Option<FileKind> {
        [
            FileKind::Png,
            FileKind::Jpeg,
            FileKind::Gif,
            FileKind::Webp,
            FileKind::Pdf,
        ]
        .into_iter()
        .find(|k| k.content_type() == raw)
    }

    pub fn is_image(self) -> bool {
        self != FileKind::Pdf
    }
}

/// A file name safe to show and to send in a header: the last path part, no control or quote
/// characters, at most 100 characters.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '<' | '>'))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod file_tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_their_bytes() {
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"\xff\xd8\xff\xe0"), Some(FileKind::Jpeg));
        assert_eq!(FileKind::sniff(b"GIF89a.."), Some(FileKind::Gif));
        assert_eq!(
            FileKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(FileKind::Webp)
        );
        assert_eq!(FileKind::sniff(b"%PDF-1.7"), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"<html><script>"), None);
        assert_eq!(FileKind::sniff(b"MZ\x90\0"), None);
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\Users\\ada\\slides.pdf"), "slides.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;c\n.png"), "abc.png");
        assert_eq!(clean_file_name(""), "file");
    }
}
