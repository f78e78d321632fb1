//! How long the insights take on a database at scale (`bench/insights.sh` generates one with
//! `guildhall demo --scale`): the community and a space dashboard cold (computed) and warm
//! (kept for a minute), the care queue and the monitoring feed of a facilitator, and the daily
//! work (members gone quiet, the "listen more" round). Prints p50/p99 over repeated calls.
//!
//!   insights_bench DATA_DIR            the SQLite database in DATA_DIR
//!   insights_bench postgres://…        a PostgreSQL database
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails loudly on purpose

mod common;

use common::{open_from_args, timed};
use std::time::Instant;

const CALLS: usize = 200;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = open_from_args().await;
    let spaces = guildhall_store::insights::activity::spaces_with_facilitators(app.db())
        .await
        .unwrap();
    let (_, slug, name, facilitator) = spaces.first().expect("a space with a facilitator").clone();
    let facilitator = app.viewer_for_cli(facilitator).await.unwrap();
    println!(
        "{} spaces with facilitators; measuring “{name}” and its facilitator",
        spaces.len()
    );

    let start = Instant::now();
    let space = app.space_dashboard(&facilitator, &slug).await;
    println!(
        "space dashboard, cold (computed): {:.1} ms ({} posts in twelve weeks)",
        start.elapsed().as_secs_f64() * 1000.0,
        space
            .map(|d| d.weeks.iter().map(|w| w.posts).sum::<i64>())
            .unwrap_or(-1)
    );
    timed("space dashboard, warm", CALLS, || {
        app.space_dashboard(&facilitator, &slug)
    })
    .await;
    let admin = app.viewer_for_cli(1).await.unwrap();
    let start = Instant::now();
    match app.community_dashboard(&admin).await {
        Ok(d) => println!(
            "community dashboard, cold (computed): {:.1} ms ({} posts in twelve weeks)",
            start.elapsed().as_secs_f64() * 1000.0,
            d.weeks.iter().map(|w| w.posts).sum::<i64>()
        ),
        Err(error) => println!("community dashboard: {error}"),
    }
    timed("community dashboard, warm", CALLS, || {
        app.community_dashboard(&admin)
    })
    .await;
    let page = app.care_queue(&facilitator, None).await.unwrap();
    println!(
        "care queue: the facilitator's first page shows {} signals",
        page.len()
    );
    timed("care queue of a facilitator", CALLS, || {
        app.care_queue(&facilitator, None)
    })
    .await;
    let older = page.last().map(|item| item.id);
    timed("care queue of a facilitator, next page", CALLS, || {
        app.care_queue(&facilitator, older)
    })
    .await;
    timed("monitoring feed of a facilitator", CALLS, || {
        app.monitor(&facilitator, "")
    })
    .await;

    let now = guildhall_app::clock::now();
    let start = Instant::now();
    let quiet = app.notice_silences(now).await.unwrap();
    println!(
        "daily: members gone quiet: {:.2} s ({quiet} signals)",
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let nudged = app.nudge_talkative_facilitators(now).await.unwrap();
    println!(
        "daily: the listen-more round over every space: {:.2} s ({nudged} nudged)",
        start.elapsed().as_secs_f64()
    );
}
