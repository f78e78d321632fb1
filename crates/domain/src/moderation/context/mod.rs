//! The sentence model: it reads a whole sentence, so it tells "the wall is puce" from a remark
//! about someone's body and "wishing you luck" from "hope you get fired". It costs milliseconds,
//! so [`super::ContentCheck`] only asks it about sentences the fast layers are unsure of.
//! Loaded once per process from the files compiled in.

mod encoder;
mod head;

use super::verdict::Category;
use encoder::Encoder;
use head::Head;
use std::sync::LazyLock;
use tokenizers::Tokenizer;

const ENCODER: &[u8] = include_bytes!("../../../../../models/minilm/encoder.safetensors");
const TOKENIZER: &[u8] = include_bytes!("../../../../../models/minilm/tokenizer.json");
const HEAD: &str = include_str!("../../../../../models/minilm/head.json");

/// The sentence model's reading of one sentence: a probability per category, summing to 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Reading {
    pub clean: f32,
    pub informal: f32,
    pub rude: f32,
    pub demeaning: f32,
    pub explicit: f32,
    pub threat: f32,
}

impl Reading {
    /// Probability that the sentence breaks a rule other than "no explicit content".
    pub fn hurtful(&self) -> f32 {
        self.rude + self.demeaning + self.threat
    }

    /// The most likely of the hurtful categories, with its probability.
    pub fn worst_hurt(&self) -> (Category, f32) {
        [
            (Category::Threat, self.threat),
            (Category::Demeaning, self.demeaning),
            (Category::Rude, self.rude),
        ]
        .into_iter()
        .fold((Category::Rude, f32::MIN), |worst, next| {
            if next.1 > worst.1 { next } else { worst }
        })
    }

    fn from_probabilities(classes: &[String], p: &[f32]) -> Reading {
        let mut reading = Reading::default();
        for (class, &value) in classes.iter().zip(p) {
            match class.as_str() {
                "clean" => reading.clean = value,
                "informal" => reading.informal = value,
                "rude" => reading.rude = value,
                "demeaning" => reading.demeaning = value,
                "explicit" => reading.explicit = value,
                "threat" => reading.threat = value,
                _ => {}
            }
        }
        reading
    }
}

pub struct ContextModel {
    tokenizer: Tokenizer,
    encoder: Encoder,
    head: Head,
}

static EMBEDDED: LazyLock<Result<ContextModel, String>> = LazyLock::new(ContextModel::load);

impl ContextModel {
    /// The model shipped with Guildhall, or why it could not load (the check then goes on
    /// with its fast layers, and holds what they are unsure of).
    pub fn embedded() -> Result<&'static ContextModel, &'static str> {
        EMBEDDED.as_ref().map_err(String::as_str)
    }

    fn load() -> Result<ContextModel, String> {
        let mut tokenizer = Tokenizer::from_bytes(TOKENIZER).map_err(|e| e.to_string())?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(Some(tokenizers::TruncationParams {
                max_length: encoder::MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| e.to_string())?;
        Ok(ContextModel {
            tokenizer,
            encoder: Encoder::load(ENCODER).map_err(|e| e.to_string())?,
            head: Head::parse(HEAD)?,
        })
    }

    /// The embedding of an already prepared text ([`super::model_input`]).
    pub fn embed(&self, input: &str) -> Result<Vec<f32>, String> {
        let encoding = self
            .tokenizer
            .encode(input, true)
            .map_err(|e| e.to_string())?;
        self.encoder
            .embed(encoding.get_ids())
            .map_err(|e| e.to_string())
    }

    /// How the model reads an already prepared text ([`super::model_input`]).
    pub fn read(&self, input: &str) -> Result<Reading, String> {
        let embedding = self.embed(input)?;
        Ok(Reading::from_probabilities(
            &self.head.classes,
            &self.head.probabilities(&embedding),
        ))
    }

    /// The raw probabilities in the head's class order (for the parity test).
    pub fn probabilities(&self, input: &str) -> Result<Vec<f32>, String> {
        Ok(self.head.probabilities(&self.embed(input)?))
    }
}
