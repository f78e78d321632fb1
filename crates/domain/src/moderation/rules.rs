//! The organisation's own rules on top of the classifiers: word rules with `*` wildcards
//! (block, hold, nudge or replace) and link rules (allowed and blocked domains).

use super::verdict::{Action, Category, Reason, Source};
use serde::{Deserialize, Serialize};

pub const MAX_PATTERN_WORDS: usize = 5;
pub const MAX_PATTERN_CHARS: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    Block,
    Hold,
    Nudge,
    /// Publishes the text with the match replaced.
    Replace,
}

impl RuleAction {
    pub const ALL: [RuleAction; 4] = [
        RuleAction::Block,
        RuleAction::Hold,
        RuleAction::Nudge,
        RuleAction::Replace,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Block => "block",
            RuleAction::Hold => "hold",
            RuleAction::Nudge => "nudge",
            RuleAction::Replace => "replace",
        }
    }

    pub fn parse(raw: &str) -> Option<RuleAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordRule {
    /// Lower-case words separated by single spaces; `*` matches any letters inside a word.
    pub pattern: String,
    pub action: RuleAction,
    pub replacement: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPolicy {
    Allow,
    Block,
}

impl LinkPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPolicy::Allow => "allow",
            LinkPolicy::Block => "block",
        }
    }

    pub fn parse(raw: &str) -> Option<LinkPolicy> {
        [LinkPolicy::Allow, LinkPolicy::Block]
            .into_iter()
            .find(|p| p.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRule {
    pub domain: String,
    pub policy: LinkPolicy,
}

/// Everything an administrator configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgRules {
    pub words: Vec<WordRule>,
    pub links: Vec<LinkRule>,
}

/// Validates a word rule pattern: letters, digits, apostrophes and `*`, one to five words.
pub fn parse_pattern(raw: &str) -> Result<String, String> {
    let pattern = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if pattern.is_empty() {
        return Err("Enter a word or phrase.".into());
    }
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(format!(
            "A pattern can have at most {MAX_PATTERN_CHARS} characters."
        ));
    }
    if pattern.split(' ').count() > MAX_PATTERN_WORDS {
        return Err(format!(
            "A pattern can have at most {MAX_PATTERN_WORDS} words."
        ));
    }
    if let Some(bad) = pattern
        .chars()
        .find(|&c| !(is_word_char(c) || c == '*' || c == ' '))
    {
        return Err(format!(
            "“{bad}” cannot be part of a pattern: use letters, digits and * as a wildcard."
        ));
    }
    if pattern.split(' ').any(|w| w.chars().all(|c| c == '*')) {
        return Err("Each word needs at least one letter besides *.".into());
    }
    Ok(pattern)
}

/// Validates a domain for a link rule: `example.com`, lower-case, no scheme or path.
pub fn parse_domain(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_end_matches('.').to_lowercase();
    let domain = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .unwrap_or(&trimmed)
        .trim_end_matches('/');
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if domain.len() > 253 || !domain.contains('.') || !domain.split('.').all(label_ok) {
        return Err("Enter a domain such as example.com.".into());
    }
    Ok(domain.to_owned())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\''
}

/// Words of a text with their byte ranges, lower-cased for matching.
pub(super) fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (is_word_char(c) && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                found.push((s, i, text[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    found
}

/// `*` matches any run of characters (also none) inside one word.
fn glob_matches(pattern: &str, word: &str) -> bool {
    let (p, w): (Vec<char>, Vec<char>) = (pattern.chars().collect(), word.chars().collect());
    let (mut pi, mut wi, mut star, mut mark) = (0, 0, None, 0);
    while wi < w.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = wi;
            pi += 1;
        } else if pi < p.len() && p[pi] == w[wi] {
            pi += 1;
            wi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            wi = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Byte ranges where the pattern's words match consecutive words of the text.
pub(super) fn find_pattern(
    pattern: &str,
    text_words: &[(usize, usize, String)],
) -> Vec<(usize, usize)> {
    let parts: Vec<&str> = pattern.split(' ').collect();
    if parts.is_empty() || text_words.len() < parts.len() {
        return Vec::new();
    }
    (0..=text_words.len() - parts.len())
        .filter(|&i| {
            parts
                .iter()
                .zip(&text_words[i..])
                .all(|(p, (_, _, w))| glob_matches(p, w))
        })
        .map(|i| (text_words[i].0, text_words[i + parts.len() - 1].1))
        .collect()
}

/// Applies the word rules: reasons for block/hold/nudge matches, and the text with replacements.
pub(super) fn check_words(rules: &[WordRule], text: &str) -> (Vec<Reason>, Option<String>) {
    let mut reasons = Vec::new();
    let mut replaced: Option<String> = None;
    for rule in rules {
        let current = replaced.as_deref().unwrap_or(text);
        let spans = find_pattern(&rule.pattern, &words(current));
        let Some(&(first_start, first_end)) = spans.first() else {
            continue;
        };
        let action = match rule.action {
            RuleAction::Block => Action::Block,
            RuleAction::Hold => Action::Hold,
            RuleAction::Nudge => Action::Nudge,
            RuleAction::Replace => {
                let mut out = String::with_capacity(current.len());
                let mut last = 0;
                for (start, end) in spans {
                    if start < last {
                        continue;
                    }
                    out.push_str(&current[last..start]);
                    out.push_str(&rule.replacement);
                    last = end;
                }
                out.push_str(&current[last..]);
                replaced = Some(out);
                continue;
            }
        };
        reasons.push(Reason {
            category: Category::WordRule,
            action,
            matched: current[first_start..first_end].to_owned(),
            score: None,
            source: Source::OrgRule,
        });
    }
    (reasons, replaced)
}

/// Host names of the web links in a text (`scheme://host…` and `www.host…`), lower-cased.
pub fn link_hosts(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut hosts = Vec::new();
    let mut rest = lower.as_str();
    while let Some(at) = ["http://", "https://", "www."]
        .iter()
        .filter_map(|marker| rest.find(marker).map(|i| (i, *marker)))
        .min()
    {
        let (index, marker) = at;
        let after = if marker == "www." {
            &rest[index..]
        } else {
            &rest[index + marker.len()..]
        };
        let host: String = after
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '.' || c == '-')
            .collect();
        let host = host.trim_end_matches('.').to_owned();
        let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
        if host.contains('.') && !hosts.contains(&host) {
            hosts.push(host);
        }
        rest = &after[after.len().min(1)..];
    }
    hosts
}

fn host_in(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// Blocked domains are refused; when any domain is explicitly allowed, links elsewhere are held.
pub(super) fn check_links(rules: &[LinkRule], text: &str) -> Vec<Reason> {
    if rules.is_empty() {
        return Vec::new();
    }
    let allow_list: Vec<&str> = rules
        .iter()
        .filter(|r| r.policy == LinkPolicy::Allow)
        .map(|r| r.domain.as_str())
        .collect();
    let mut reasons = Vec::new();
    for host in link_hosts(text) {
        let blocked = rules
            .iter()
            .any(|r| r.policy == LinkPolicy::Block && host_in(&host, &r.domain));
        let allowed = allow_list.iter().any(|d| host_in(&host, d));
        let action = if blocked {
            Action::Block
        } else if !allow_list.is_empty() && !allowed {
            Action::Hold
        } else {
            continue;
        };
        reasons.push(Reason {
            category: Category::Link,
            action,
            matched: host,
            score: None,
            source: Source::OrgRule,
        });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(pattern: &str, action: RuleAction, replacement: &str) -> WordRule {
        WordRule {
            pattern: parse_pattern(pattern).unwrap(),
            action,
            replacement: replacement.into(),
        }
    }

    #[test]
    fn wildcards_match_inside_words_only() {
        assert!(glob_matches("confidential*", "confidentiality"));
        assert!(glob_matches("*coin", "bitcoin"));
        assert!(glob_matches("c*t", "cat"));
        assert!(!glob_matches("cat", "cats"));
        assert!(!glob_matches("c*t", "cats"));
    }

    #[test]
    fn word_rules_block_hold_nudge_and_replace() {
        let rules = [
            rule("project falcon", RuleAction::Block, ""),
            rule("crypto*", RuleAction::Hold, ""),
            rule("guys", RuleAction::Replace, "folks"),
        ];
        let (reasons, replaced) = check_words(
            &rules,
            "Hi guys, Project  Falcon ships; ask the GUYS about cryptocurrency.",
        );
        let actions: Vec<Action> = reasons.iter().map(|r| r.action).collect();
        assert_eq!(actions, [Action::Block, Action::Hold]);
        assert_eq!(reasons[0].matched, "Project  Falcon");
        assert_eq!(reasons[1].matched, "cryptocurrency");
        assert_eq!(
            replaced.as_deref(),
            Some("Hi folks, Project  Falcon ships; ask the folks about cryptocurrency.")
        );
        let (none, unchanged) = check_words(&rules, "Falcons and projects are fine");
        assert!(none.is_empty() && unchanged.is_none());
    }

    #[test]
    fn patterns_and_domains_are_validated() {
        assert_eq!(parse_pattern("  Foo   BAR* ").as_deref(), Ok("foo bar*"));
        assert!(parse_pattern("").is_err());
        assert!(parse_pattern("* *").is_err());
        assert!(parse_pattern("a<b").is_err());
        assert!(parse_pattern("a b c d e f").is_err());
        assert_eq!(
            parse_domain(" https://Example.COM/ ").as_deref(),
            Ok("example.com")
        );
        assert!(parse_domain("localhost").is_err());
        assert!(parse_domain("exa mple.com").is_err());
    }

    #[test]
    fn links_are_found_and_judged_by_domain() {
        assert_eq!(
            link_hosts("see https://Docs.Rust-lang.org/book and www.example.com. or http://x"),
            ["docs.rust-lang.org", "example.com"]
        );
        let rules = [
            LinkRule {
                domain: "bad.example".into(),
                policy: LinkPolicy::Block,
            },
            LinkRule {
                domain: "rust-lang.org".into(),
                policy: LinkPolicy::Allow,
            },
        ];
        let reasons = check_links(
            &rules,
            "https://docs.rust-lang.org https://cdn.bad.example/x https://other.org https://notrust-lang.org",
        );
        let found: Vec<(&str, Action)> = reasons
            .iter()
            .map(|r| (r.matched.as_str(), r.action))
            .collect();
        assert_eq!(
            found,
            [
                ("cdn.bad.example", Action::Block),
                ("other.org", Action::Hold),
                ("notrust-lang.org", Action::Hold)
            ]
        );
    }
}
