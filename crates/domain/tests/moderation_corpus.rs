//! The content check against our labelled corpus (`tests/corpus/moderation.tsv`): prints
//! precision and recall per category and fails below the community's targets.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use guildhall_domain::moderation::{Action, Category, ContentCheck, Verdict};

const CORPUS: &str = include_str!("corpus/moderation.tsv");
/// Written by someone who did not see the corpus or the word lists: how the check generalises.
const HELD_OUT: &str = include_str!("corpus/held_out.tsv");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Label {
    Clean,
    Rude,
    Explicit,
}

fn predicted(verdict: &Verdict) -> Label {
    if verdict.action == Action::Allow {
        Label::Clean
    } else if verdict.has(Category::Explicit) {
        Label::Explicit
    } else {
        Label::Rude
    }
}

fn corpus() -> Vec<(Label, &'static str, &'static str)> {
    parse(CORPUS)
}

fn parse(file: &'static str) -> Vec<(Label, &'static str, &'static str)> {
    file.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter(|line| !line.starts_with("label\t"))
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let label = match fields.next() {
                Some("clean") => Label::Clean,
                Some("rude") => Label::Rude,
                Some("explicit") => Label::Explicit,
                other => panic!("unknown label {other:?} in {line:?}"),
            };
            let tag = fields.next().unwrap();
            (label, tag, fields.next().unwrap())
        })
        .collect()
}

struct Figures {
    explicit_recall: f64,
    rude_flagged: f64,
    false_positives: f64,
}

fn measure(name: &str, sentences: Vec<(Label, &'static str, &'static str)>) -> Figures {
    let check = ContentCheck::default();
    let results: Vec<(Label, Label, &str, &str)> = sentences
        .into_iter()
        .map(|(label, tag, text)| (label, predicted(&check.check(text)), tag, text))
        .collect();
    type Outcome<'a> = (Label, Label, &'a str, &'a str);
    let count = |f: &dyn Fn(&Outcome) -> bool| results.iter().filter(|r| f(r)).count() as f64;
    println!("{name}: {} sentences", results.len());
    println!("category   sentences  precision  recall");
    let mut explicit_recall = 0.0;
    for label in [Label::Clean, Label::Rude, Label::Explicit] {
        let actual = count(&|r| r.0 == label);
        let predicted = count(&|r| r.1 == label);
        let correct = count(&|r| r.0 == label && r.1 == label);
        let (precision, recall) = (correct / predicted.max(1.0), correct / actual.max(1.0));
        println!("{label:<10?} {actual:>9} {precision:>10.3} {recall:>7.3}");
        if label == Label::Explicit {
            explicit_recall = recall;
        }
    }
    // A rude sentence caught as explicit is still stopped: any flag counts for rude recall.
    let rude_flagged = count(&|r| r.0 == Label::Rude && r.1 != Label::Clean)
        / count(&|r| r.0 == Label::Rude).max(1.0);
    let false_positives = count(&|r| r.0 == Label::Clean && r.1 != Label::Clean)
        / count(&|r| r.0 == Label::Clean).max(1.0);
    let evasive_caught =
        count(&|r| r.2 == "evasive" && r.1 != Label::Clean) / count(&|r| r.2 == "evasive").max(1.0);
    println!("rude or mocking flagged: {rude_flagged:.3}");
    println!("false positives on clean text: {false_positives:.3}");
    println!("evasive spellings caught: {evasive_caught:.3}");
    for (label, got, tag, text) in &results {
        if label != got {
            println!("MISS {label:?} -> {got:?} [{tag}] {text}");
        }
    }
    Figures {
        explicit_recall,
        rude_flagged,
        false_positives,
    }
}

#[test]
fn the_check_meets_the_targets_on_our_corpus() {
    let sentences = corpus();
    assert!(
        sentences.len() >= 300,
        "the corpus has {} sentences",
        sentences.len()
    );
    let figures = measure("corpus", sentences);
    assert!(
        figures.explicit_recall >= 0.95,
        "explicit recall below 0.95"
    );
    assert!(
        figures.rude_flagged >= 0.85,
        "rude/mocking recall below 0.85"
    );
    assert!(
        figures.false_positives <= 0.03,
        "false positives on clean text above 3%"
    );
}

/// The lists were written from the corpus, so the corpus flatters them; the held-out set shows
/// what to expect on new text. Its floors only catch a collapse, not a tuning target.
#[test]
fn the_check_generalises_to_held_out_text() {
    let figures = measure("held out", parse(HELD_OUT));
    assert!(
        figures.explicit_recall >= 0.5,
        "held-out explicit recall collapsed"
    );
    assert!(
        figures.rude_flagged >= 0.4,
        "held-out rude recall collapsed"
    );
    assert!(
        figures.false_positives <= 0.15,
        "held-out false positives exploded"
    );
}

/// `cargo test -p guildhall-domain --test moderation_corpus -- --ignored --nocapture` prints
/// every sentence with the classifiers' raw output, for tuning.
#[test]
#[ignore]
fn print_raw_scores() {
    let model = guildhall_domain::moderation::InsultModel::embedded();
    for (label, tag, text) in corpus() {
        let typ = rustrict::Censor::from_str(text).analyze();
        println!(
            "{label:?}\t{tag}\t{:.3}\t{typ:?}\t{text}",
            model.worst_sentence(text).0
        );
    }
}
