//! How long the rewards pages take on a database at scale (`bench/insights.sh` generates one
//! with `guildhall demo --scale`, which gives the first space's facilitator a tenth of every
//! point and kudos): that person's rewards page, their profile's recognition, the first space's
//! leaderboard and the recognition feed. Prints p50/p99 over repeated calls.
//!
//!   rewards_bench DATA_DIR            the SQLite database in DATA_DIR
//!   rewards_bench postgres://…        a PostgreSQL database
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails loudly on purpose

mod common;

use common::{open_from_args, timed};

const CALLS: usize = 200;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let app = open_from_args().await;
    let spaces = guildhall_store::insights::activity::spaces_with_facilitators(app.db())
        .await
        .unwrap();
    let (_, slug, name, star) = spaces.first().expect("a space with a facilitator").clone();
    let star = app.viewer_for_cli(star).await.unwrap();
    let mine = app.my_rewards(&star, None).await.unwrap();
    println!(
        "rewards of “{}” (facilitator of “{name}”): {} points, {} kudos on the first page",
        star.display_name,
        mine.total,
        mine.kudos.len()
    );
    timed(
        "rewards page (/me/rewards) of the busiest member",
        CALLS,
        || app.my_rewards(&star, None),
    )
    .await;
    let older = mine.next;
    timed("its ledger, next page", CALLS, || {
        app.my_rewards(&star, older)
    })
    .await;
    timed(
        "profile recognition (kudos, badges) of the busiest member",
        CALLS,
        || app.recognition_of(&star, star.id),
    )
    .await;
    let board = app.leaderboard(&star, &slug, None).await.unwrap();
    println!(
        "leaderboard of “{name}” this month: {} people shown",
        board.entries.len()
    );
    timed("space leaderboard", CALLS, || {
        app.leaderboard(&star, &slug, None)
    })
    .await;
    timed("recognition feed", CALLS, || app.kudos(None, None)).await;
}
