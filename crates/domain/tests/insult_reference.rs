//! The Rust insult model scores exactly as the Python package it came from
//! (`models/insult/reference.json` was written by `tools/moderation-models/export.py` with
//! `profanity_check.predict_prob`).

use guildhall_domain::moderation::InsultModel;
use serde::Deserialize;

#[derive(Deserialize)]
struct Reference {
    text: String,
    score: f64,
}

#[test]
fn rust_scores_equal_the_python_package() {
    let references: Vec<Reference> =
        serde_json::from_str(include_str!("../../../models/insult/reference.json")).unwrap();
    assert!(
        references.len() >= 50,
        "{} reference sentences",
        references.len()
    );
    let model = InsultModel::embedded();
    assert_eq!(model.len(), 15_442);
    let mut worst = 0.0_f64;
    for reference in &references {
        let difference = (model.score(&reference.text) - reference.score).abs();
        assert!(
            difference < 1e-6,
            "{:?}: Rust {} vs Python {}",
            reference.text,
            model.score(&reference.text),
            reference.score
        );
        worst = worst.max(difference);
    }
    println!(
        "{} sentences, largest difference {worst:e}",
        references.len()
    );
}
