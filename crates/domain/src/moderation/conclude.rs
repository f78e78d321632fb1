//! One sentence's verdict from its layers: the fast ones (word filter, phrase lists, insult
//! score) alone, or weighed by the sentence model's reading when it was asked. The model reads
//! context, so it may clear a keyword ("puce" on a palette) and find what no word list holds
//! ("hope you get fired"); a keyword alone never opens an HR case.

use super::context::Reading;
use super::verdict::{Action, Category, Reason, Source};
use super::{Thresholds, excerpt};

/// How sure the sentence model must be, chosen on out-of-fold probabilities of the training
/// corpus (`tools/moderation/minilm/train.py`, never the held-out set); see `models/minilm/README.md`.
mod confidence {
    /// Explicit beyond doubt: blocked, and HR is told. No clean or informal training sentence
    /// reaches it (the highest, an art talk on Rubens' nudes, scores 0.76); 55 % of explicit do.
    pub const EXPLICIT_BLOCK: f32 = 0.85;
    /// An explicit word in a sentence the model also reads as explicit: held for a moderator
    /// (3.7 % of harmless sentences score this high, 90 % of explicit ones).
    pub const EXPLICIT_HOLD: f32 = 0.3;
    /// An explicit word in a sentence the model reads as plainly harmless (clean and informal
    /// together) is no violation: 95 % of the benign explicit-word sentences, 6 % of explicit.
    pub const PLAINLY_HARMLESS: f32 = 0.4;
    /// Explicit with no explicit word at all: held for a moderator (1.5 % of harmless, 80 %).
    pub const EXPLICIT_HOLD_UNPROMPTED: f32 = 0.5;
    /// Rude, demeaning or threatening where the fast layers found something too: the author is
    /// nudged, threats are held (2.8 % of harmless sentences, 70 % of hurtful ones).
    pub const HURTFUL: f32 = 0.7;
    /// The same on the model's word alone (1.8 % of harmless, 59 % of hurtful): short friendly
    /// instructions ("Bring one real situation from your work.") can read as curt to it.
    pub const HURTFUL_ALONE: f32 = 0.8;
    /// Below this (hurtful and explicit together) the model is sure the sentence is harmless,
    /// and the fast layers' findings are set aside (66 % of harmless sentences, 4 % of harmful).
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
    } else if let Some(word) = explicit_word.filter(|_| {
        reading.explicit >= confidence::EXPLICIT_HOLD
            || reading.clean + reading.informal < confidence::PLAINLY_HARMLESS
    }) {
        reasons.push(model_reason(
            Category::Explicit,
            Action::Hold,
            reading.explicit,
            word,
        ));
    } else if reading.explicit >= confidence::EXPLICIT_HOLD_UNPROMPTED {
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
    let hurtful_enough = if supported {
        confidence::HURTFUL
    } else {
        confidence::HURTFUL_ALONE
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
