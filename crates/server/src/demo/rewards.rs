//! The demo's recognition: the points and automatic badges that the conversations earned
//! (decided by the outbox, as the server would), kudos between colleagues, a hand-made badge a
//! facilitator awards with reasons, and a space with its leaderboard on.

use super::{Dice, content};
use anyhow::{Result, anyhow};
use guildhall_app::App;
use guildhall_app::outbox::OutboxWorker;
use guildhall_app::people::Viewer;
use guildhall_domain::spaces::slugify;

const THANKS: &[&str] = &[
    "Thank you for walking me through pivot tables, my report finally adds up.",
    "Your feedback on my presentation made the second run so much better.",
    "Thanks for covering the stand-up while I was at the workshop.",
    "The checklist you shared saved our team a whole afternoon.",
    "Thank you for the patient SQL explanation, joins make sense now.",
    "Your question in the cohort started the best discussion of the week.",
    "Thanks for pairing with me on the delegation plan.",
    "I used your one-to-one template today and it worked really well.",
];

const BADGE_REASONS: &[&str] = &[
    "Turned a confusing dashboard into one the whole department uses.",
    "Answered every beginner's question in the first week of the cohort.",
    "Wrote the guide to cleaning survey data that others keep linking to.",
];

/// Carries out what the demo's actions left in the outbox (points, badges, notifications).
async fn settle(app: &App) -> Result<()> {
    let worker = OutboxWorker::new(app.clone());
    while worker.run_once().await.map_err(|e| anyhow!("{e}"))? > 0 {}
    Ok(())
}

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    settle(app).await?;
    let mut dice = Dice(0x51ed_270b_2a4c_9e31);
    for (n, thanks) in THANKS.iter().cycle().take(16).enumerate() {
        let from = &people[dice.roll(people.len())];
        let to = &people[(n * 7 + 3) % people.len()];
        if from.id != to.id {
            app.give_kudos(from, to.id, thanks)
                .await
                .map_err(|e| anyhow!("kudos: {e}"))?;
        }
    }
    let first = &content::SPACES[1]; // Data Literacy: an open community
    let facilitator = &people[first.facilitator];
    let slug = app
        .create_badge(
            facilitator,
            "Data Detective",
            "Found the story in the numbers for colleagues: a question answered, a report fixed, a guide written.",
            "🔎",
        )
        .await
        .map_err(|e| anyhow!("badge: {e}"))?;
    for (n, reason) in BADGE_REASONS.iter().enumerate() {
        let person = &people[(n * 11 + 5) % people.len()];
        if person.id != facilitator.id {
            app.award_badge(facilitator, &slug, person.id, reason)
                .await
                .map_err(|e| anyhow!("award: {e}"))?;
        }
    }
    app.set_space_leaderboard(facilitator, &slugify(first.name), true)
        .await
        .map_err(|e| anyhow!("leaderboard: {e}"))?;
    for person in people.iter().step_by(3) {
        app.set_leaderboard_choice(person, true)
            .await
            .map_err(|e| anyhow!("leaderboard choice: {e}"))?;
    }
    settle(app).await
}
