//! Prints, lower-cased, the names on stdin (one per line) that the word filter objects to: the
//! real names `tools/names/regenerate.sh` keeps so that people called so can sign up.
use guildhall_domain::people::word_filter_objects;
use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let name = line?.trim().to_lowercase();
        if !name.is_empty() && word_filter_objects(&name) {
            writeln!(out, "{name}")?;
        }
    }
    Ok(())
}
