//! What the content check concludes, and why. Verdicts are shown to authors, stored as evidence
//! with blocked attempts and held content, and returned by the API, so they serialise.

use serde::{Deserialize, Serialize};

/// What happens to a text, from least to most severe: a verdict takes the most severe action of
/// its reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Published as written.
    Allow,
    /// The author is told why it may hurt and chooses: rephrase, or send it for review.
    Nudge,
    /// Published only after a moderator approves it.
    Hold,
    /// Not published; the attempt is kept as evidence.
    Block,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Nudge => "nudge",
            Action::Hold => "hold",
            Action::Block => "block",
        }
    }

    pub fn parse(raw: &str) -> Option<Action> {
        [Action::Allow, Action::Nudge, Action::Hold, Action::Block]
            .into_iter()
            .find(|a| a.as_str() == raw)
    }
}

/// Which of the community's rules a text may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Sexual content: HR acts on it.
    Explicit,
    /// Mocking, insults, rude comments.
    Rude,
    /// Strong swearing.
    Profanity,
    /// One of the organisation's own word rules.
    WordRule,
    /// A link to a domain the organisation blocks or has not allowed.
    Link,
}

impl Category {
    /// The rule as members read it in the code of conduct.
    pub fn rule(self) -> &'static str {
        match self {
            Category::Explicit => "No explicit content",
            Category::Rude => "No mocking or rude comments",
            Category::Profanity => "Keep language professional",
            Category::WordRule => "The organisation's word rules",
            Category::Link => "The organisation's link rules",
        }
    }
}

/// One finding: the rule, what matched and how sure the check is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub category: Category,
    pub action: Action,
    /// The words or span of the text that triggered the finding.
    pub matched: String,
    /// The classifier's score in 0..=1 where there is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub score: Option<f64>,
}

impl Reason {
    /// A sentence for the author naming the rule and the words.
    pub fn explain(&self) -> String {
        let matched = &self.matched;
        match (self.category, self.action) {
            (Category::Explicit, _) => {
                format!("Explicit content is not allowed (“{matched}”). Nothing was published.")
            }
            (Category::Rude, _) => format!("This may read as mocking or rude: “{matched}”."),
            (Category::Profanity, _) => {
                format!("This may read as rude: “{matched}”. Keep language professional.")
            }
            (Category::WordRule, Action::Block) => {
                format!("“{matched}” is not allowed by the organisation's word rules.")
            }
            (Category::WordRule, _) => {
                format!("“{matched}” is flagged by the organisation's word rules.")
            }
            (Category::Link, Action::Block) => format!("Links to {matched} are not allowed."),
            (Category::Link, _) => {
                format!("Links to {matched} are checked by a moderator before they appear.")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub action: Action,
    pub reasons: Vec<Reason>,
    /// The text to publish when word rules replaced something; `None` means unchanged.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub replaced_text: Option<String>,
}

impl Verdict {
    pub fn allow() -> Verdict {
        Verdict {
            action: Action::Allow,
            reasons: Vec::new(),
            replaced_text: None,
        }
    }

    pub fn from_reasons(reasons: Vec<Reason>, replaced_text: Option<String>) -> Verdict {
        let action = reasons
            .iter()
            .map(|r| r.action)
            .max()
            .unwrap_or(Action::Allow);
        Verdict {
            action,
            reasons,
            replaced_text,
        }
    }

    pub fn has(&self, category: Category) -> bool {
        self.reasons.iter().any(|r| r.category == category)
    }

    /// One sentence per rule behind the action (several checks often agree on one rule).
    pub fn message(&self) -> String {
        let mut reasons: Vec<&Reason> = Vec::new();
        for reason in self.reasons.iter().filter(|r| r.action == self.action) {
            if !reasons.iter().any(|r| r.category == reason.category) {
                reasons.push(reason);
            }
        }
        reasons
            .iter()
            .map(|r| r.explain())
            .collect::<Vec<_>>()
            .join(" ")
    }
}
