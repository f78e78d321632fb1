//! How long the rewards pages take on a database at scale (`bench/insights.sh` generates one
//! with `guildhall demo --scale`, which gives the first space's facilitator a tenth of every
//! point and kudos): that person's rewards page, their profile's recognition, the first space's
//! leaderboard and the recognition feed. Prints p50/p99 over repeated calls.
//!
//!   rewards_bench DATA_DIR            the SQLite database in DATA_DIR
//!   rewards_bench postgres://…        a PostgreSQL database
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark fails loudly on purpose

use guildhall_app::{App, Settings};
use guildhall_store::Db;
use guildhall_store::db::PoolSize;
use std::time::{Duration, Instant};

const CALLS: usize = 200;

async fn timed<F, Fut, T, E>(what: &str, mut call: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let mut times = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        let start = Instant::now();
        if let Err(error) = call().await {
            println!("{what}: {error}");
            return;
        }
        times.push(start.elapsed());
    }
    times.sort();
    let at = |q: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((times.len() as f64 - 1.0) * q).round() as usize;
        times[i].as_secs_f64() * 1000.0
    };
    println!("{what}: p50 {:.2} ms, p99 {:.2} ms", at(0.5), at(0.99));
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let target = std::env::args()
        .nth(1)
        .expect("a data folder or a postgres:// URL");
    let size = PoolSize {
        max_connections: 8,
        acquire_timeout: Duration::from_secs(30),
    };
    let mut settings = Settings::default();
    let db = if target.starts_with("postgres://") {
        Db::open_postgres(&target, &size).await.unwrap()
    } else {
        settings.data_dir = target.into();
        Db::open_sqlite(&settings.sqlite_path(), &size)
            .await
            .unwrap()
    };
    db.migrate().await.unwrap();
    let app = App::new(db, settings);
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
    timed("rewards page (/me/rewards) of the busiest member", || {
        app.my_rewards(&star, None)
    })
    .await;
    let older = mine.next;
    timed("its ledger, next page", || app.my_rewards(&star, older)).await;
    timed(
        "profile recognition (kudos, badges) of the busiest member",
        || app.recognition_of(&star, star.id),
    )
    .await;
    let board = app.leaderboard(&star, &slug, None).await.unwrap();
    println!(
        "leaderboard of “{name}” this month: {} people shown",
        board.entries.len()
    );
    timed("space leaderboard", || app.leaderboard(&star, &slug, None)).await;
    timed("recognition feed", || app.kudos(None, None)).await;
}
