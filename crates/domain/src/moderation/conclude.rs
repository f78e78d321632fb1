//! One sentence's verdict from its layers: the fast ones (word filter, phrase lists, insult
//! score) alone, or weighed by the sentence model's reading when it was asked. The model reads
//! context, so it may clear a keyword ("puce" on a palette) and find what no word list holds
//! ("hope you get fired"); a keyword alone never opens an HR case.

use super::context::Reading;
use super::gate::Opening;
use super::verdict::{Action, Category, Reason, Source};
use super::{Thresholds, excerpt};

/// How sure the sentence model must be, chosen on out-of-fold probabilities of the training
/// corpus (`tools/moderation/minilm/thresholds.py`, never the held-out set); see
/// `models/minilm/README.md`.
mod confidence {
    /// Explicit beyond doubt: blocked, and HR is told. No clean or informal training sentence
    /// reaches it (the highest, a quoted rule against sexual jokes, scores 0.87); 72 % of
    /// explicit ones do.
    pub const EXPLICIT_BLOCK: f32 = 0.93;
    /// An explicit word in a sentence the model also reads as explicit: held for a moderator
    /// (1.3 % of harmless sentences score this high, 91 % of explicit ones).
    pub const EXPLICIT_HOLD: f32 = 0.3;
    /// Explicit with no explicit word at all: held for a moderator (0.3 % of harmless, 79 %;
    /// at 0.5 "A good read on finding the right person" was held as a dating remark).
    pub const EXPLICIT_HOLD_UNPROMPTED: f32 = 0.7;
    /// Rude, demeaning or threatening where the fast layers found something too: the author is
    /// nudged, threats are held (4.5 % of harmless sentences, 86 % of hurtful ones; the fast
    /// layers' finding is the other half of the evidence).
    pub const HURTFUL: f32 = 0.7;
    /// The same on the model's word alone (1.6 % of harmless, 75 % of hurtful): friendly
    /// instructions ("Don't worry if you get lost") can read as curt to it.
    pub const HURTFUL_ALONE: f32 = 0.9;
    /// A sentence read only because it speaks to or about a person: of those the fast layers
    /// let through, 1 of 155 harmless ones scores this high and 33 of 83 hurtful ones (at 0.95:
    /// 5 and 41).
    pub const HURTFUL_ADDRESSED: f32 = 0.97;
    /// Explicit in such a sentence: held (no harmless one of 155 scores this high, 10 of 21
    /// explicit ones do).
    pub const EXPLICIT_ADDRESSED: f32 = 0.8;
    /// Below this (hurtful and explicit together) the model is sure the sentence is harmless,
    /// and the fast layers' findings are set aside (87 % of harmless sentences, 4 % of harmful).
    pub const HARMLESS: f32 = 0.3;
}

/// What the fast layers found in one sentence.
pub(super) struct FastReading<'a> {
    pub sentence: &'a str,
    pub reasons: Vec<Reason>,
    pub insult: f64,
}

impl FastReading<'_> {
    fn insult_reason(&self) -> Reason {
        Reason {
            category: Category::Rude,
            action: Action::Nudge,
            matched: excerpt(self.sentence),
            score: Some(self.insult),
            source: Source::InsultModel,
        }
    }

    fn has(&self, category: Category) -> bool {
        self.reasons.iter().any(|r| r.category == category)
    }
}

/// The fast layers' findings, with the insult model's nudge when it is sure enough.
pub(super) fn without_model(fast: FastReading, thresholds: &Thresholds) -> Vec<Reason> {
    let insult = (!fast.has(Category::Rude) && fast.insult >= thresholds.insult)
        .then(|| fast.insult_reason());
    let mut reasons = fast.reasons;
    reasons.extend(insult);
    reasons
}

/// The fast layers' findings weighed by the model's reading of the same sentence.
pub(super) fn with_model(
    fast: FastReading,
    opening: Opening,
    reading: Reading,
    thresholds: &Thresholds,
) -> Vec<Reason> {
    let model_reason = |category, action, score: f32, matched: String| Reason {
        category,
        action,
        matched,
        score: Some(f64::from(score)),
        source: Source::ContextModel,
    };
    let keyword = |category: Category| {
        fast.reasons
            .iter()
            .find(|r| r.category == category)
            .map(|r| r.matched.clone())
    };
    let mut reasons = Vec::new();
    let explicit_word = keyword(Category::Explicit);
    if reading.explicit >= confidence::EXPLICIT_BLOCK {
        let matched = explicit_word.unwrap_or_else(|| excerpt(fast.sentence));
        reasons.push(model_reason(
            Category::Explicit,
            Action::Block,
            reading.explicit,
            matched,
        ));
    } else if let Some(word) =
        explicit_word.filter(|_| reading.explicit >= confidence::EXPLICIT_HOLD)
    {
        reasons.push(model_reason(
            Category::Explicit,
            Action::Hold,
            reading.explicit,
            word,
        ));
    } else if reading.explicit
        >= match opening {
            Opening::Sensitive => confidence::EXPLICIT_HOLD_UNPROMPTED,
            Opening::Addressed => confidence::EXPLICIT_ADDRESSED,
        }
    {
        let matched = excerpt(fast.sentence);
        reasons.push(model_reason(
            Category::Explicit,
            Action::Hold,
            reading.explicit,
            matched,
        ));
    }
    let hurtful = reading.hurtful();
    let supported = fast
        .reasons
        .iter()
        .any(|r| r.category != Category::Explicit)
        || fast.insult >= super::gate::INSULT_GATE;
    let hurtful_enough = match (supported, opening) {
        (true, _) => confidence::HURTFUL,
        (false, Opening::Sensitive) => confidence::HURTFUL_ALONE,
        (false, Opening::Addressed) => confidence::HURTFUL_ADDRESSED,
    };
    if hurtful >= hurtful_enough {
        let (category, score) = reading.worst_hurt();
        let matched = fast
            .reasons
            .iter()
            .find(|r| r.category != Category::Explicit)
            .map_or_else(|| excerpt(fast.sentence), |r| r.matched.clone());
        let action = if category == Category::Threat {
            Action::Hold
        } else {
            Action::Nudge
        };
        reasons.push(model_reason(category, action, score, matched));
    } else if hurtful + reading.explicit >= confidence::HARMLESS {
        // Not sure enough to name it, not sure it is harmless: the fast layers' words stand,
        // except on explicit content, where the model's reading above has the last word.
        reasons.extend(
            without_model(fast, thresholds)
                .into_iter()
                .filter(|r| r.category != Category::Explicit),
        );
    }
    reasons
}
