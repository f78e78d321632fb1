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
    /// Mocking, insults, rude comments, sarcasm aimed at a person.
    Rude,
    /// Demeaning remarks about a group or a trait: accent, age, gender, origin, department, body,
    /// intelligence.
    Demeaning,
    /// Threats and wishing someone harm, failure or dismissal.
    Threat,
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
            Category::Demeaning => "No demeaning remarks about anyone's group or traits",
            Category::Threat => "No threats, and no wishing anyone harm",
            Category::Profanity => "Keep language professional",
            Category::WordRule => "The organisation's word rules",
            Category::Link => "The organisation's link rules",
        }
    }
}

/// Which layer of the check found something. Only a source that reads context or is the
/// organisation's own decision is certain enough to open an HR case: a keyword alone never is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A word filter or phrase list (verdicts stored before sources existed read as this).
    #[default]
    Keyword,
    /// One of the organisation's word or link rules.
    OrgRule,
    /// The linear insult model over words.
    InsultModel,
    /// The sentence model, which reads the whole sentence in context.
    ContextModel,
    /// The image model over the threshold.
    Image,
}

impl Source {
    /// Whether a block from this source is sure enough to open an HR case.
    pub fn is_certain(self) -> bool {
        matches!(self, Source::OrgRule | Source::ContextModel | Source::Image)
    }
}

/// One finding: the rule, what matched and how sure the check is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub category: Category,
    pub action: Action,
    #[serde(default)]
    pub source: Source,
    /// The words or span of the text that triggered the finding.
    pub matched: String,
    /// The classifier's score in 0..=1 where there is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub score: Option<f64>,
}

impl Reason {
    /// Whether this finding opens an HR case: explicit, blocked, and found by a source that
    /// reads context (never by a keyword list alone).
    pub fn opens_hr_case(&self) -> bool {
        self.category == Category::Explicit
            && self.action == Action::Block
            && self.source.is_certain()
    }

    /// A kind sentence for the author: what may read badly, and how to say it instead.
    pub fn explain(&self) -> String {
        let matched = &self.matched;
        match (self.category, self.action) {
            (Category::Explicit, Action::Block) => {
                format!("Explicit content is not allowed (“{matched}”). Nothing was published.")
            }
            (Category::Explicit, _) => format!(
                "“{matched}” may read as explicit, so a moderator will look before it appears. \
                 If you meant something else, a word of context helps."
            ),
            (Category::Rude, _) => format!(
                "This may read as mocking or rude: “{matched}”. Try saying what you would like \
                 to change about the work rather than the person."
            ),
            (Category::Demeaning, _) => format!(
                "This may read as demeaning: “{matched}”. Remarks about someone's accent, age, \
                 gender, origin, team or looks hurt; say what you disagree with instead."
            ),
            (Category::Threat, _) => format!(
                "This may read as a threat or as wishing someone harm: “{matched}”. \
                 A moderator will look before it appears; if you are frustrated, say what went wrong."
            ),
            (Category::Profanity, _) => format!(
                "This may read as rude: “{matched}”. Keep language professional, for example by \
                 leaving the strong word out."
            ),
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

    /// For places without a review queue (profiles, names, partner notes): what to rephrase,
    /// since nothing waits there for a moderator.
    pub fn rephrase_message(&self) -> String {
        if self.action != Action::Hold {
            return self.message();
        }
        let matched: Vec<&str> = self
            .reasons
            .iter()
            .filter(|r| r.action == Action::Hold)
            .map(|r| r.matched.as_str())
            .collect();
        format!(
            "“{}” may read as breaking the community's rules, and nothing here waits for a \
             moderator: please rephrase.",
            matched.join("”, “")
        )
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
