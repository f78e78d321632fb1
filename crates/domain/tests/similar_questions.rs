//! "Similar questions and resources" measured on a labelled set of duplicate questions
//! (`tests/data/duplicates`, see its README): precision at 3 by meaning (the content check's
//! sentence encoder), by words, and blended as the app ranks them. Run with `--nocapture` to
//! read the figures.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use guildhall_domain::knowledge::precision_at_k;
use guildhall_domain::knowledge::similar::{Candidate, MEANING_WEIGHT, MIN_SCORE, SHOWN, rank};
use guildhall_domain::moderation::{ContextModel, model_input};
use std::collections::BTreeSet;

const SET: &str = include_str!("data/duplicates/questions.tsv");

struct Item {
    group: Option<String>,
    text: String,
}

fn items() -> Vec<Item> {
    SET.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let group = fields.next().unwrap();
            let _kind = fields.next().unwrap();
            Item {
                group: (group != "-").then(|| group.to_owned()),
                text: fields.next().unwrap().to_owned(),
            }
        })
        .collect()
}

/// Precision at 3 over every grouped text as a query, ranked with `weight` of meaning, and the
/// share of the suggestions actually shown (at most 3, scoring at least `floor`) that are right.
fn measure(items: &[Item], vectors: &[Vec<f32>], weight: f64, floor: f64) -> (f64, f64) {
    let mut ranked = Vec::new();
    let mut relevant = Vec::new();
    for (q, query) in items.iter().enumerate() {
        let Some(group) = &query.group else { continue };
        let candidates: Vec<Candidate<'_>> = items
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != q)
            .map(|(i, item)| Candidate {
                id: i64::try_from(i).unwrap(),
                text: &item.text,
                vector: Some(&vectors[i]),
            })
            .collect();
        let top = rank(
            &query.text,
            Some(&vectors[q]),
            &candidates,
            weight,
            floor,
            SHOWN,
        );
        ranked.push(top.into_iter().map(|(id, _)| id).collect::<Vec<_>>());
        relevant.push(
            items
                .iter()
                .enumerate()
                .filter(|(i, item)| *i != q && item.group.as_ref() == Some(group))
                .map(|(i, _)| i64::try_from(i).unwrap())
                .collect::<BTreeSet<_>>(),
        );
    }
    let shown: usize = ranked.iter().map(Vec::len).sum();
    let right: usize = ranked
        .iter()
        .zip(&relevant)
        .map(|(top, wanted)| top.iter().filter(|id| wanted.contains(id)).count())
        .sum();
    #[allow(clippy::cast_precision_loss)]
    let of_shown = if shown == 0 {
        0.0
    } else {
        right as f64 / shown as f64
    };
    (precision_at_k(&ranked, &relevant, SHOWN), of_shown)
}

#[test]
fn similar_questions_are_found_by_meaning() {
    let items = items();
    assert!(items.iter().filter(|i| i.group.is_some()).count() >= 160);
    let model = ContextModel::embedded().expect("the sentence model ships with Guildhall");
    let vectors: Vec<Vec<f32>> = items
        .iter()
        .map(|i| model.embed(&model_input(&i.text)).unwrap())
        .collect();
    let (meaning, _) = measure(&items, &vectors, 1.0, f64::MIN);
    let (words, _) = measure(&items, &vectors, 0.0, f64::MIN);
    let (blend, _) = measure(&items, &vectors, MEANING_WEIGHT, f64::MIN);
    let (shown, right_of_shown) = measure(&items, &vectors, MEANING_WEIGHT, MIN_SCORE);
    println!(
        "precision@3 on {} queries: meaning {meaning:.3}, words {words:.3}, \
         blend ({MEANING_WEIGHT} meaning) {blend:.3}; as shown (score >= {MIN_SCORE}): \
         precision@3 {shown:.3}, right among those shown {right_of_shown:.3}",
        items.iter().filter(|i| i.group.is_some()).count()
    );
    // Floors a little under the figures measured when the set was written (0.746, 0.742, 0.665,
    // 0.134): a change to the model or the ranking that loses ground fails here.
    assert!(meaning >= 0.72, "meaning {meaning:.3}");
    assert!(blend >= 0.72, "blend {blend:.3}: the target is 0.7");
    assert!(shown >= 0.64, "as shown {shown:.3}");
    assert!(
        right_of_shown >= shown,
        "the threshold keeps what is shown right"
    );
}
