//! The insult and harassment model of PyPI `alt-profanity-check` (MIT), exported once by
//! `tools/moderation-models/export.py` to `models/insult/model.json` and scored here:
//! TF-IDF over lower-cased words of two or more word characters, L2-normalised, then the mean of
//! the calibrated probabilities of the linear folds. It catches insults without swear words,
//! which the word filter misses.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::LazyLock;

const MODEL_JSON: &str = include_str!("../../../../models/insult/model.json");

#[derive(Debug, Deserialize)]
struct ModelFile {
    vocabulary: HashMap<String, usize>,
    idf: Vec<f64>,
    folds: Vec<Fold>,
}

/// One cross-validation fold: a linear SVM and its sigmoid calibration.
#[derive(Debug, Deserialize)]
struct Fold {
    coef: Vec<f64>,
    intercept: f64,
    a: f64,
    b: f64,
}

#[derive(Debug)]
pub struct InsultModel {
    vocabulary: HashMap<String, usize>,
    idf: Vec<f64>,
    folds: Vec<Fold>,
}

static EMBEDDED: LazyLock<InsultModel> = LazyLock::new(|| {
    // The file is compiled in and checked by the tests, so a parse failure cannot reach a
    // running server; an empty model would only score 0.5 everywhere.
    let file: ModelFile = serde_json::from_str(MODEL_JSON).unwrap_or_else(|_| ModelFile {
        vocabulary: HashMap::new(),
        idf: Vec::new(),
        folds: Vec::new(),
    });
    InsultModel {
        vocabulary: file.vocabulary,
        idf: file.idf,
        folds: file.folds,
    }
});

impl InsultModel {
    /// The model shipped with Guildhall.
    pub fn embedded() -> &'static InsultModel {
        &EMBEDDED
    }

    /// Words in the vocabulary.
    pub fn len(&self) -> usize {
        self.vocabulary.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vocabulary.is_empty()
    }

    /// P(insulting or profane) for a whole text, as `profanity_check.predict_prob` gives it.
    pub fn score(&self, text: &str) -> f64 {
        let lower = text.to_lowercase();
        let mut counts: HashMap<usize, f64> = HashMap::new();
        for token in tokens(&lower) {
            if let Some(&index) = self.vocabulary.get(token) {
                *counts.entry(index).or_default() += 1.0;
            }
        }
        let mut weights: Vec<(usize, f64)> = counts
            .into_iter()
            .map(|(index, count)| (index, count * self.idf.get(index).copied().unwrap_or(0.0)))
            .collect();
        let norm = weights.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (_, w) in &mut weights {
                *w /= norm;
            }
        }
        if self.folds.is_empty() {
            return 0.0;
        }
        let total: f64 = self
            .folds
            .iter()
            .map(|fold| {
                let decision = fold.intercept
                    + weights
                        .iter()
                        .map(|&(i, w)| w * fold.coef.get(i).copied().unwrap_or(0.0))
                        .sum::<f64>();
                1.0 / (1.0 + (fold.a * decision + fold.b).exp())
            })
            .sum();
        total / self.folds.len() as f64
    }

    /// The highest score of the text and of each of its sentences, with the text it belongs to:
    /// one rude sentence in a long friendly post is still rude.
    pub fn worst_sentence<'t>(&self, text: &'t str) -> (f64, &'t str) {
        let mut worst = (self.score(text), text);
        let sentences: Vec<&str> = text
            .split(['.', '!', '?', '\n', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if sentences.len() > 1 {
            for sentence in sentences {
                let score = self.score(sentence);
                if score > worst.0 {
                    worst = (score, sentence);
                }
            }
        }
        worst
    }
}

/// scikit-learn's default token pattern `(?u)\b\w\w+\b`: runs of two or more word characters.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| t.chars().nth(1).is_some())
}
