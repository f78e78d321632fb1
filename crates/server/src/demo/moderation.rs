//! The demo's rules: a published code of conduct everyone accepted, a word and a link rule, and
//! a review queue with something in it — a reply sent for review after a nudge and a reported
//! post — so moderators have something to look at.

use anyhow::{Result, anyhow};
use guildhall_app::App;
use guildhall_app::moderation::ReportSubject;
use guildhall_app::people::Viewer;

const CONDUCT: &str = "\
# How we learn together

Guildhall is where we keep learning after the training ends. These rules keep it a place where
everyone can ask the question they are unsure about.

## Be kind, be direct
- Criticise ideas, never people. Formal or informal language is fine; **mocking, insults and rude
  comments are not**. If the platform suggests rephrasing, please take a second look.
- Assume good intent, and say thank you when someone helped.

## Keep it professional
- **No explicit content or visual material**, in words or images. It is removed, and HR acts on it.
- Use your professional name, the one colleagues know you by.
- Keep confidential customer and company information out of open spaces.

## When something is wrong
- Report it with the *Report* link: moderators look at every report, and you hear the outcome.
- Moderators warn, mute or suspend when rules are broken; you can appeal a decision once.
- If someone seems to be struggling, reach out to them, their partner or a facilitator.
";

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    let fail = |what: &'static str| move |e: guildhall_app::AppError| anyhow!("{what}: {e}");
    let admin = &people[0];
    let version = app
        .publish_conduct(admin, CONDUCT)
        .await
        .map_err(fail("code of conduct"))?;
    for person in people {
        app.accept_conduct(person, version)
            .await
            .map_err(fail("accepting the code of conduct"))?;
    }
    app.save_word_rule(admin, "you guys", "replace", "everyone")
        .await
        .map_err(fail("word rule"))?;
    app.save_link_rule(admin, "bit.ly", "block")
        .await
        .map_err(fail("link rule"))?;

    // An open thread everyone can read, from the first member's home feed.
    let writer = &people[10];
    let feed = app
        .home_feed(writer, None)
        .await
        .map_err(fail("home feed"))?;
    let mut thread = None;
    for summary in &feed.threads {
        let space = app
            .space(writer, &summary.space_slug)
            .await
            .map_err(fail("space"))?;
        if space.visibility.readable_by_outsiders() {
            thread = Some(summary.id);
            break;
        }
    }
    let Some(thread) = thread else {
        return Ok(());
    };
    app.reply(
        writer,
        thread,
        "Honestly, only an idiot would still use VLOOKUP in 2026.",
        None,
        true,
    )
    .await
    .map_err(fail("a reply sent for review"))?;
    let curt = app
        .reply(
            &people[11],
            thread,
            "I explained this in the last session already. Please read the notes first.",
            None,
            false,
        )
        .await
        .map_err(fail("a reply"))?;
    for reporter in &people[12..14] {
        app.report(
            reporter,
            ReportSubject::Post(curt),
            "rude",
            "Feels dismissive.",
        )
        .await
        .map_err(fail("a report"))?;
    }
    Ok(())
}
