//! What the scale benchmarks share: opening the database they are pointed at, and timing
//! repeated calls as p50/p99.

use guildhall_app::{App, Settings};
use guildhall_store::Db;
use guildhall_store::db::PoolSize;
use std::time::{Duration, Instant};

/// The app over the database named by the first argument: a data folder (SQLite) or a
/// `postgres://` URL.
pub async fn open_from_args() -> App {
    let target = std::env::args()
        .nth(1)
        .expect("a data folder or a postgres:// URL");
    open(&target).await
}

async fn open(target: &str) -> App {
    let size = PoolSize {
        max_connections: 8,
        acquire_timeout: Duration::from_secs(30),
    };
    let mut settings = Settings::default();
    let db = if target.starts_with("postgres://") {
        Db::open_postgres(target, &size).await.unwrap()
    } else {
        settings.data_dir = target.into();
        Db::open_sqlite(&settings.sqlite_path(), &size)
            .await
            .unwrap()
    };
    db.migrate().await.unwrap();
    App::new(db, settings)
}

fn percentiles(mut times: Vec<Duration>) -> String {
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
    format!("p50 {:.2} ms, p99 {:.2} ms", at(0.5), at(0.99))
}

/// Calls `call` `calls` times and prints its p50 and p99 (or the first error).
pub async fn timed<F, Fut, T, E>(what: &str, calls: usize, mut call: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let mut times = Vec::with_capacity(calls);
    for _ in 0..calls {
        let start = Instant::now();
        if let Err(error) = call().await {
            println!("{what}: {error}");
            return;
        }
        times.push(start.elapsed());
    }
    println!("{what}: {}", percentiles(times));
}
