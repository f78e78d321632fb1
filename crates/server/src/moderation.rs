//! `guildhall moderation check`: one JSON verdict per line of standard input, so admins can try
//! their word and link rules on a whole file of examples (`guildhall moderation check < file`).

use anyhow::Result;
use guildhall_app::App;
use guildhall_domain::moderation::Reason;
use std::io::{BufRead, Write};

/// False positives confirmed by a moderator, as training lines for the corpus: newlines and
/// tabs inside a post are written as `\n` and a space, the corpus's own conventions.
pub async fn print_disputes(app: &App) -> Result<()> {
    let texts = app.approved_disputes().await.map_err(crate::explain)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for text in texts {
        let line = text.replace('\t', " ").replace('\n', "\\n");
        writeln!(out, "clean\tdisputed\t{line}")?;
    }
    out.flush()?;
    Ok(())
}

pub async fn check_lines(app: &App) -> Result<()> {
    let check = app.content_check().await.map_err(crate::explain)?;
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let text = line?;
        let verdict = check.check(&text);
        let message = verdict.message();
        let record = serde_json::json!({
            "text": text,
            "action": verdict.action,
            "hr_case": verdict.reasons.iter().any(Reason::opens_hr_case),
            "message": message,
            "reasons": verdict.reasons,
            "replaced_text": verdict.replaced_text,
        });
        writeln!(out, "{record}")?;
    }
    out.flush()?;
    Ok(())
}
