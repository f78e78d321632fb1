//! How long the content checks take: the text check over the moderation corpus and the image
//! check over the fixture images, plus the image model's load time and the peak memory.
//!
//!     cargo run --release -p guildhall-app --example moderation_bench    (or bench/moderation.sh)
//!
//! Not a test: nothing here asserts on time. The targets are printed beside the figures.

use guildhall_app::moderation::ImageCheck;
use guildhall_domain::moderation::ContentCheck;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const TEXT_CHECKS: usize = 20_000;
const IMAGE_RUNS: usize = 20;

fn main() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    text(&root.join("../domain/tests/corpus/moderation.tsv"))?;
    println!("peak RSS after the text check: {}", peak_rss());
    images(&root.join("tests/fixtures/images"))?;
    println!("peak RSS after the image check too: {}", peak_rss());
    Ok(())
}

fn text(corpus: &Path) -> Result<(), String> {
    let tsv = std::fs::read_to_string(corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    // Skip the header and the `#` comments; the text is the third tab-separated field.
    let sentences: Vec<&str> = tsv
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.splitn(3, '\t').nth(2))
        .collect();
    if sentences.is_empty() {
        return Err("the corpus has no sentences".into());
    }
    let check = ContentCheck::default();
    // Warm up: the first check loads the embedded word lists and the insult model.
    let started = Instant::now();
    black_box(check.check(sentences[0]));
    let first = started.elapsed();
    for s in &sentences {
        black_box(check.check(s));
    }
    let mut times = Vec::with_capacity(TEXT_CHECKS + sentences.len());
    while times.len() < TEXT_CHECKS {
        for s in &sentences {
            let started = Instant::now();
            black_box(check.check(black_box(s)));
            times.push(started.elapsed());
        }
    }
    times.sort();
    println!(
        "text check: {} checks over {} sentences (first check {:.1} ms)",
        times.len(),
        sentences.len(),
        ms(first)
    );
    println!(
        "  p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs    (target: p99 < 1000 µs)",
        us(percentile(&times, 0.50)),
        us(percentile(&times, 0.99)),
        us(times[times.len() - 1])
    );
    Ok(())
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

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
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
