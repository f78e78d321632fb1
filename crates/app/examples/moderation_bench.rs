//! How long the content checks take: the text check over the held-out corpus (with its figures),
//! the share of sentences the sentence model reads (on the corpus, and on the lines of an
//! optional file such as the demo's texts), and the image check over the fixture images, plus
//! the models' load times and memory.
//!
//!     cargo run --release -p guildhall-app --example moderation_bench [texts.txt]
//!     (or bench/moderation.sh, which passes the demo's texts)
//!
//! Not a test: nothing here asserts on time. The targets are printed beside the figures.

use guildhall_app::moderation::ImageCheck;
use guildhall_domain::moderation::{Action, ContentCheck, ContextModel, Reason, Verdict};
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const TEXT_CHECKS: usize = 2_000;
const IMAGE_RUNS: usize = 20;

fn main() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (rss_before, started) = (resident_kib(), Instant::now());
    ContextModel::embedded()?;
    println!(
        "sentence model load: {:.0} ms, resident memory +{} MiB",
        ms(started.elapsed()),
        resident_kib().saturating_sub(rss_before) / 1024
    );
    text(&root.join("../domain/tests/corpus/test.tsv"))?;
    if let Some(texts) = std::env::args().nth(1) {
        let lines = std::fs::read_to_string(&texts).map_err(|e| format!("{texts}: {e}"))?;
        model_share(&format!("the lines of {texts}"), lines.lines());
    }
    println!("peak RSS after the text check: {}", peak_rss());
    images(&root.join("tests/fixtures/images"))?;
    println!("peak RSS after the image check too: {}", peak_rss());
    Ok(())
}

/// `(label, tag, text)` of the corpus rows.
fn rows(tsv: &str) -> Vec<(&str, &str, String)> {
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("label\t") && !l.trim().is_empty())
        .filter_map(|l| {
            let mut fields = l.splitn(3, '\t');
            Some((
                fields.next()?,
                fields.next()?,
                fields.next()?.replace("\\n", "\n"),
            ))
        })
        .collect()
}

fn text(corpus: &Path) -> Result<(), String> {
    let tsv = std::fs::read_to_string(corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let rows = rows(&tsv);
    if rows.is_empty() {
        return Err("the corpus has no sentences".into());
    }
    let check = ContentCheck::default();
    let verdicts: Vec<Verdict> = rows.iter().map(|(_, _, t)| check.check(t)).collect();
    held_out_figures(&rows, &verdicts);
    model_share(
        "the held-out corpus",
        rows.iter().map(|(_, _, text)| text.as_str()),
    );
    let mut times = Vec::with_capacity(TEXT_CHECKS + rows.len());
    while times.len() < TEXT_CHECKS {
        for (_, _, text) in &rows {
            let started = Instant::now();
            black_box(check.check(black_box(text)));
            times.push(started.elapsed());
        }
    }
    times.sort();
    println!(
        "text check: {} checks over {} held-out sentences",
        times.len(),
        rows.len()
    );
    println!(
        "  p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms    (targets: p50 <= 1 ms, p99 <= 30 ms)",
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99)),
        ms(times[times.len() - 1])
    );
    Ok(())
}

/// How many sentences of some texts reach the sentence model (it costs milliseconds each), and
/// what the check costs per text there.
fn model_share<'t>(of: &str, texts: impl Iterator<Item = &'t str>) {
    let check = ContentCheck::default();
    let (mut read, mut sentences, mut times) = (0, 0, Vec::new());
    for text in texts {
        let (r, s) = check.sentences_for_model(text);
        (read, sentences) = (read + r, sentences + s);
        let started = Instant::now();
        black_box(check.check(black_box(text)));
        times.push(started.elapsed());
    }
    if times.is_empty() {
        println!("{of}: no texts");
        return;
    }
    times.sort();
    println!(
        "sentence model reads {read} of {sentences} sentences of {of} ({:.0} %); \
         check p50 {:.2} ms, p99 {:.2} ms",
        100.0 * read as f64 / sentences.max(1) as f64,
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99)),
    );
}

/// The figures issue 12 sets, on the held-out part of the corpus.
fn held_out_figures(rows: &[(&str, &str, String)], verdicts: &[Verdict]) {
    let share = |of: &dyn Fn(&str, &str) -> bool, hit: &dyn Fn(&Verdict) -> bool| {
        let chosen: Vec<&Verdict> = rows
            .iter()
            .zip(verdicts)
            .filter(|((label, tag, _), _)| of(label, tag))
            .map(|(_, v)| v)
            .collect();
        chosen.iter().filter(|v| hit(v)).count() as f64 / chosen.len().max(1) as f64
    };
    let flagged = |v: &Verdict| v.action != Action::Allow;
    let harmless = |label: &str, _: &str| matches!(label, "clean" | "informal");
    println!(
        "held out: rude/mocking flagged {:.3} (>= 0.90), explicit blocked {:.3} (>= 0.95), \
         evasive caught {:.3} (>= 0.95), clean flagged {:.3} (<= 0.02), clean blocked or to HR {:.3} (0)",
        share(
            &|l, _| matches!(l, "rude" | "demeaning" | "threat"),
            &flagged
        ),
        share(&|l, _| l == "explicit", &|v| v.action == Action::Block),
        share(&|_, t| t == "evasive", &flagged),
        share(&harmless, &flagged),
        share(&harmless, &|v| v.action == Action::Block
            || v.reasons.iter().any(Reason::opens_hr_case)),
    );
}

fn images(dir: &Path) -> Result<(), String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    files.sort();
    let mut images = Vec::new();
    for f in &files {
        images.push(std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?);
    }
    if images.is_empty() {
        return Err("no fixture images".into());
    }

    let started = Instant::now();
    let check = ImageCheck::load()?;
    println!("image model load: {:.0} ms", ms(started.elapsed()));
    check.p_explicit(&images[0])?; // warm-up

    let mut times = Vec::new();
    for _ in 0..IMAGE_RUNS {
        for bytes in &images {
            let started = Instant::now();
            black_box(check.p_explicit(black_box(bytes))?);
            times.push(started.elapsed());
        }
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "image check: {} checks over {} images (decode + preprocess + model, one thread)",
        times.len(),
        images.len()
    );
    println!(
        "  mean {:.1} ms, p50 {:.1} ms, max {:.1} ms    (target: < 150 ms)",
        ms(mean),
        ms(percentile(&times, 0.50)),
        ms(times[times.len() - 1])
    );
    Ok(())
}

/// Nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// VmRSS from /proc/self/status: resident memory now, in KiB.
fn resident_kib() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}

/// VmHWM from /proc/self/status: the most resident memory this process has had.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
