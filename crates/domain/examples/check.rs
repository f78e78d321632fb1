//! Prints, for each line on stdin, what the content check concludes with the default rules: the
//! action, then each reason as category/action/source/score and what it matched; on stderr, how many sentences the model read. For trying
//! sentences while tuning (`guildhall moderation check` does the same with an organisation's rules).
use guildhall_domain::moderation::{ContentCheck, ContextModel, model_input};
use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let check = ContentCheck::default();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut read, mut sentences) = (0, 0);
    for line in std::io::stdin().lock().lines() {
        let text = line?.replace("\\n", "\n");
        let verdict = check.check(&text);
        let (r, s) = check.sentences_for_model(&text);
        (read, sentences) = (read + r, sentences + s);
        write!(out, "{:5} {r}/{s}  {text}", verdict.action.as_str())?;
        if let Ok(reading) = ContextModel::embedded()
            .map_err(str::to_owned)
            .and_then(|model| model.read(&model_input(&text)))
        {
            let (hurtful, explicit) = (reading.hurtful(), reading.explicit);
            write!(
                out,
                "\n         (whole text: hurtful {hurtful:.2}, explicit {explicit:.2})"
            )?;
        }
        for reason in &verdict.reasons {
            let score = reason.score.map_or(String::new(), |s| format!(" {s:.2}"));
            write!(
                out,
                "\n         {:?}/{}/{:?}{score}: {}",
                reason.category,
                reason.action.as_str(),
                reason.source,
                reason.matched
            )?;
        }
        writeln!(out)?;
    }
    eprintln!("the sentence model read {read} of {sentences} sentences");
    Ok(())
}
