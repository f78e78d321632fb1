//! The member's own words in an emailed reply. Mail clients append the message they answer —
//! as `>` lines, after an attribution ("On Tue, Ada wrote:"), or after Outlook's "Original
//! Message" rule — and many add a signature after the `-- ` delimiter (RFC 3676 §4.3). Only
//! what comes before all of that belongs in the thread.

/// The line our notification emails start with; everything from it down is ours.
pub const REPLY_ABOVE: &str = "##- Reply above this line to answer in the thread -##";

/// The reply without quoted text and signature, trimmed; empty when nothing of the member's
/// own is left.
pub fn reply_text(body: &str) -> String {
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = body.lines().collect();
    let mut kept: Vec<&str> = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        if ends_own_words(line, lines.get(at + 1).copied()) {
            break;
        }
        if line.trim_start().starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    let mut text = String::new();
    let mut blank_run = 0;
    for line in kept {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !text.is_empty() {
            text.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        text.push_str(line);
    }
    text
}

/// Whether `line` (with the one after it) starts what the member did not write.
fn ends_own_words(line: &str, next: Option<&str>) -> bool {
    let trimmed = line.trim();
    if line.trim_end() == "--" || trimmed.contains(REPLY_ABOVE) {
        return true;
    }
    let lower = trimmed.to_lowercase();
    if lower.starts_with("-----original message") || lower == "________________________________" {
        return true;
    }
    // "On Tue, 4 Dec 2026 at 10:00, Ada <ada@example.org> wrote:", which some clients wrap
    // over two lines.
    if lower.starts_with("on ") {
        if lower.ends_with("wrote:") {
            return true;
        }
        let next = next.map(|n| n.trim().to_lowercase()).unwrap_or_default();
        return next.ends_with("wrote:") && !next.starts_with('>');
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_reply_keeps_only_the_members_words() {
        let mail = "Thanks, that helped!\r\n\r\nI tried it twice.\r\n\r\nOn Tue, 4 Dec 2026 at 10:00, Ada Lovelace <ada@example.org> wrote:\r\n> How do I start?\r\n> Any tips?\r\n";
        assert_eq!(
            reply_text(mail),
            "Thanks, that helped!\n\nI tried it twice."
        );
    }

    #[test]
    fn email_reply_drops_quotes_signatures_and_our_footer() {
        let cases = [
            ("Yes.\n> quoted\nAnd more.", "Yes.\nAnd more."),
            ("Sure thing\n-- \nGrace\nCOBOL team", "Sure thing"),
            ("Sure thing\n--\nGrace", "Sure thing"),
            (
                "Agreed\nOn Tue, 4 Dec 2026, Ada Lovelace <ada@\nexample.org> wrote:\n> hi",
                "Agreed",
            ),
            (
                "Noted.\n\n-----Original Message-----\nFrom: Guildhall",
                "Noted.",
            ),
            (
                &format!("My answer\n\n{REPLY_ABOVE}\nAda replied in “Tips”"),
                "My answer",
            ),
            (
                "Once upon a time\nthere was code",
                "Once upon a time\nthere was code",
            ),
        ];
        for (mail, expected) in cases {
            assert_eq!(reply_text(mail), expected, "{mail:?}");
        }
    }

    #[test]
    fn email_reply_of_only_quotes_is_empty() {
        assert_eq!(reply_text("\n\n> all quoted\n>\n-- \nsig"), "");
        assert_eq!(reply_text(""), "");
    }
}
