//! The demo's history: its threads spread over the last twelve weeks, so that the insights
//! dashboards have weeks to show, and a facilitator who did most of the talking in the last two
//! weeks, whom the weekly "listen more, talk less" round then reminds.

use anyhow::{Result, anyhow};
use chrono::{Duration, Utc};
use guildhall_app::App;
use guildhall_app::people::Viewer;
use guildhall_app::threads::ThreadInput;
use guildhall_domain::insights::{week_of, week_start};

/// Weeks the demo's conversations are spread over (the dashboards show twelve).
const WEEKS: i64 = 12;

pub async fn spread_history(app: &App, threads: &[i64]) -> Result<()> {
    let count = i64::try_from(threads.len()).unwrap_or(i64::MAX).max(1);
    for (n, thread) in threads.iter().enumerate() {
        // Newest threads stay where they are; the first ones go back almost twelve weeks, with
        // the hour varied so that answers take different times.
        let n = i64::try_from(n).unwrap_or(0);
        let back = Duration::weeks(WEEKS - 1) * i32::try_from(count - 1 - n).unwrap_or(0)
            / i32::try_from(count).unwrap_or(1)
            + Duration::hours((n * 7) % 30);
        backdate(app, *thread, back).await?;
    }
    Ok(())
}

async fn backdate(app: &App, thread: i64, by: Duration) -> Result<()> {
    guildhall_store::bulk::backdate_thread(app.db(), thread, by)
        .await
        .map_err(|e| anyhow!("spreading the demo's history: {e}"))
}

/// Long weekly briefings, each followed up by more of the same, in the two weeks before this
/// one: the facilitator wrote most of the space's words both weeks.
const BRIEFINGS: [(&str, &str); 2] = [
    (
        "This week's reading on feedback, summarised",
        "Here is a summary of the three chapters for this week, so that nobody has to read them \
         alone. The first chapter argues that feedback lands when it describes behaviour and its \
         effect, not the person: say what you saw, what it caused, and what you would like to see \
         next time. The second chapter is about timing: feedback given within a day is remembered \
         and acted on, feedback saved for the annual review is mostly defended against. The third \
         chapter describes the conversation itself: ask first how the other person saw the \
         situation, listen to the whole answer, then add your view, and agree on one next step. \
         The authors suggest practising with small, positive observations before the difficult \
         ones, because a habit of frequent feedback makes the hard conversations ordinary.",
    ),
    (
        "Notes on delegation from our session",
        "Some notes from our session on delegation, with the models we discussed. Delegating is \
         not handing over a task but handing over a decision, together with the context needed \
         to make it well. We looked at four levels: do exactly this; look into it and report \
         back; decide and tell me; decide on your own. Most of us stay at the first level far \
         too long, which keeps the team dependent and the leader overloaded. Agree the level \
         explicitly, say what good looks like, and arrange a check-in date rather than watching \
         every step. When something goes wrong, ask what the person needed that they did not \
         have, and adjust the level rather than taking the work back.",
    ),
];

const FOLLOW_UP: &str = "A few more thoughts to add to the above. It helps to write down the \
    one behaviour you want to change before the conversation, and to check afterwards whether the \
    other person could say it back in their own words. If they cannot, the message did not land, \
    however clear it felt to you. Try it this week and notice what changes in the team.";

pub async fn a_facilitator_who_talks(app: &App, facilitator: &Viewer, slug: &str) -> Result<()> {
    let now = Utc::now();
    let this_week = week_of(now);
    for (weeks_back, (title, body)) in (1..=2).rev().zip(BRIEFINGS) {
        let input = ThreadInput {
            kind: "discussion".into(),
            title: title.into(),
            body: body.into(),
            link: String::new(),
            send_for_review: false,
            not_rude: false,
        };
        let thread = app
            .start_thread(facilitator, slug, &input)
            .await
            .map_err(|e| anyhow!("briefing: {e}"))?;
        for _ in 0..3 {
            app.reply(facilitator, thread, FOLLOW_UP, None, false)
                .await
                .map_err(|e| anyhow!("follow-up: {e}"))?;
        }
        // Wednesday morning of that week.
        let wednesday = week_start(this_week - weeks_back)
            .and_then(|monday| monday.and_hms_opt(9, 30, 0))
            .map(|monday| monday.and_utc() + Duration::days(2))
            .ok_or_else(|| anyhow!("no such week"))?;
        backdate(app, thread, now - wednesday).await?;
    }
    let nudged = app
        .nudge_talkative_facilitators(Utc::now())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if nudged > 0 {
        println!("{nudged} facilitator(s) reminded to listen more and talk less.");
    }
    Ok(())
}
