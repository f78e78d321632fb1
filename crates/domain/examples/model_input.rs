//! Prints, for each line on stdin, the text the sentence model reads (`model_input`): the
//! training script embeds exactly what the server will. Escapes: `\n` in a line is a newline.
use guildhall_domain::moderation::model_input;
use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let text = line?.replace("\\n", "\n");
        writeln!(out, "{}", model_input(&text))?;
    }
    Ok(())
}
