//! How long the rewards pages take on a database at scale (`bench/insights.sh` generates one
//! with `guildhall demo --scale`, which gives the first space's facilitator a tenth of every
//! point and kudos): that person's rewards page, their profile's recognition, the first space's
//! leaderboard and the recognition feed, and the idea boards and pages. Prints p50/p99 over
//! repeated calls.
//!
//!   rewards_bench DATA_DIR            the SQLite database in DATA_DIR
//!   rewards_bench postgres://…        a PostgreSQL database
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails loudly on purpose

mod common;

use common::{open_from_args, timed};
use guildhall_app::ideas::BoardQuery;

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
    ideas(&app, &star, &slug).await;
}

/// The idea pages as the first space's facilitator sees them: the space's board, the
/// organisation's (newest and most voted), the page of the idea with the largest family on the
/// space's first page, similar ideas while writing, and the gallery.
async fn ideas(app: &guildhall_app::App, star: &guildhall_app::people::Viewer, slug: &str) {
    let space = BoardQuery {
        space: Some(slug.to_owned()),
        ..BoardQuery::default()
    };
    let board = app.idea_board(star, &space).await.unwrap();
    let mut biggest = (0, 0);
    for idea in &board.ideas {
        let family = app.idea_family(star, idea.id).await.unwrap().nodes.len();
        if family > biggest.1 {
            biggest = (idea.id, family);
        }
    }
    println!(
        "ideas in the first space: {} on its first page; the largest family there has {} ideas",
        board.ideas.len(),
        biggest.1
    );
    timed("idea board of a space", CALLS, || {
        app.idea_board(star, &space)
    })
    .await;
    let everyone = BoardQuery::default();
    timed("idea board of the organisation, newest", CALLS, || {
        app.idea_board(star, &everyone)
    })
    .await;
    let voted = BoardQuery {
        order: Some("votes".into()),
        ..BoardQuery::default()
    };
    timed("idea board of the organisation, most votes", CALLS, || {
        app.idea_board(star, &voted)
    })
    .await;
    timed(
        "idea page (fields, votes, family tree, credit, decisions)",
        CALLS,
        || app.idea_page(star, biggest.0),
    )
    .await;
    let (title, text) = ("A shared checklist", "for the team planning sessions");
    timed("similar ideas while writing", CALLS, || {
        app.similar_ideas(star, title, text)
    })
    .await;
    timed("ideas that became work", CALLS, || {
        app.idea_gallery(star, None)
    })
    .await;
}
