//! The sentence model in Rust reads every sentence as the Python that trained it does
//! (`tools/moderation/minilm/parity.py` wrote the expected figures with PyTorch and numpy):
//! same model input, same embedding, same probabilities, within 1e-4.

use guildhall_domain::moderation::{ContextModel, model_input};
use serde::Deserialize;

const PARITY: &str = include_str!("../../../models/minilm/parity.json");
const TOLERANCE: f32 = 1e-4;

#[derive(Deserialize)]
struct Case {
    text: String,
    model_input: String,
    embedding_first8: Vec<f32>,
    probabilities: Vec<f32>,
}

fn assert_close(what: &str, text: &str, rust: &[f32], python: &[f32]) {
    assert_eq!(rust.len(), python.len(), "{what} of {text:?}");
    for (i, (r, p)) in rust.iter().zip(python).enumerate() {
        assert!(
            (r - p).abs() <= TOLERANCE,
            "{what}[{i}] of {text:?}: Rust {r}, Python {p}"
        );
    }
}

#[test]
fn rust_reads_every_parity_sentence_as_python_does() {
    let cases: Vec<Case> = serde_json::from_str(PARITY).expect("parity.json parses");
    assert!(cases.len() >= 20, "parity.json has {} cases", cases.len());
    let model = ContextModel::embedded().expect("the embedded model loads");
    for case in &cases {
        let input = model_input(&case.text);
        assert_eq!(input, case.model_input, "model input of {:?}", case.text);
        let embedding = model.embed(&input).expect("embeds");
        assert_eq!(embedding.len(), 384);
        assert_close(
            "embedding",
            &case.text,
            &embedding[..8],
            &case.embedding_first8,
        );
        let probabilities = model.probabilities(&input).expect("reads");
        assert_close(
            "probabilities",
            &case.text,
            &probabilities,
            &case.probabilities,
        );
    }
}
