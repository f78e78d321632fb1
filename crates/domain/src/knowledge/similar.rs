//! "Similar questions and resources" by meaning: texts become sentence embeddings (the content
//! check's encoder, unit length), candidates are ranked by cosine, and the lexical score of
//! `ideas::similar` is blended in so that a shared rare word ("VPN", "expenses") still counts
//! where the moderation-tuned encoder is vague about topics.

use crate::ideas::similar;

/// How much of the score is meaning (the rest is shared words).
pub const MEANING_WEIGHT: f64 = 0.7;
/// Below this blended score a candidate is not shown: better nothing than a near-miss.
pub const MIN_SCORE: f64 = 0.35;
/// Suggestions shown beside a question being written.
pub const SHOWN: usize = 3;

/// An embedding as stored: f32 little-endian.
pub fn to_bytes(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The embedding stored by [`to_bytes`]; trailing bytes that make no whole number are ignored.
pub fn from_bytes(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// Cosine of two vectors; 0 when either is empty, of zero length, or they differ in size.
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (f64::from(*x), f64::from(*y));
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

/// A candidate: its id, its text (title and opening) and its embedding (`None` when not
/// computed yet: it is then ranked by its words alone).
pub struct Candidate<'a> {
    pub id: i64,
    pub text: &'a str,
    pub vector: Option<&'a [f32]>,
}

/// The `k` candidates most like the draft (its text and embedding, if the model could read
/// it), best first, scoring at least `min_score`. `meaning_weight` 1.0 ranks by meaning only,
/// 0.0 by words only.
pub fn rank(
    draft: &str,
    draft_vector: Option<&[f32]>,
    candidates: &[Candidate<'_>],
    meaning_weight: f64,
    min_score: f64,
    k: usize,
) -> Vec<(i64, f64)> {
    let texts: Vec<(i64, &str)> = candidates.iter().map(|c| (c.id, c.text)).collect();
    // Shared words below `ideas::similar::MIN_SCORE` are chance: they count as none.
    let lexical: std::collections::HashMap<i64, f64> = similar::rank(draft, &texts, texts.len())
        .into_iter()
        .collect();
    let mut scored: Vec<(i64, f64)> = candidates
        .iter()
        .map(|c| {
            let words = lexical.get(&c.id).copied().unwrap_or(0.0);
            let score = match (draft_vector, c.vector) {
                (Some(d), Some(v)) => {
                    meaning_weight * cosine(d, v) + (1.0 - meaning_weight) * words
                }
                _ => words,
            };
            (c.id, score)
        })
        .filter(|(_, score)| *score >= min_score)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(k);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_and_cosine() {
        let v = [0.6f32, -0.8, 0.0];
        assert_eq!(from_bytes(&to_bytes(&v)), v);
        assert!((cosine(&v, &v) - 1.0).abs() < 1e-6);
        assert!(cosine(&v, &[0.8, 0.6, 0.0]).abs() < 1e-6);
        assert_eq!(cosine(&v, &[1.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[0.0, 0.0]), 0.0);
    }

    #[test]
    fn meaning_and_words_blend() {
        let near = [1.0f32, 0.0];
        let far = [0.0f32, 1.0];
        let candidates = [
            Candidate {
                id: 1,
                text: "expense claims for travel",
                vector: Some(&far),
            },
            Candidate {
                id: 2,
                text: "getting reimbursed after a trip",
                vector: Some(&near),
            },
            Candidate {
                id: 3,
                text: "holiday booking",
                vector: None,
            },
        ];
        let by_meaning = rank(
            "how do I claim travel costs",
            Some(&near),
            &candidates,
            1.0,
            0.5,
            3,
        );
        assert_eq!(by_meaning, vec![(2, 1.0)]);
        let by_words = rank("expense claims", None, &candidates, 0.7, 0.1, 3);
        assert_eq!(by_words.first().map(|r| r.0), Some(1));
        assert!(rank("", None, &candidates, 0.7, 0.1, 3).is_empty());
    }
}
