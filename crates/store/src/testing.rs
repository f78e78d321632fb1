//! Fresh, isolated databases for tests. `GUILDHALL_TEST_DATABASE_URL=postgres://…` runs every test
//! on PostgreSQL (a new schema per test); without it, tests run on SQLite (a new file per test).
//! Either way tests share nothing and run in parallel.

use crate::db::PoolSize;
use crate::{Db, Result};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub const TEST_DATABASE_URL: &str = "GUILDHALL_TEST_DATABASE_URL";

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A migrated database that disappears with the value (SQLite file) or with the throw-away
/// cluster that `./test.sh` starts (PostgreSQL schema).
pub struct TestDb {
    pub db: Db,
    sqlite_file: Option<PathBuf>,
}

impl std::ops::Deref for TestDb {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "t{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// The PostgreSQL URL tests should use, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var(TEST_DATABASE_URL)
        .ok()
        .filter(|url| !url.is_empty())
}

/// Connections in each test database's pool: few, so that tests with more concurrent writers
/// than connections (`web/tests/hot_rows.rs`) are cheap to write.
pub const TEST_POOL_CONNECTIONS: u32 = 4;

pub async fn fresh_db() -> Result<TestDb> {
    let size = PoolSize {
        max_connections: TEST_POOL_CONNECTIONS,
        acquire_timeout: Duration::from_secs(30),
    };
    let test_db = match postgres_url() {
        Some(url) => TestDb {
            db: fresh_postgres(&url, &size).await?,
            sqlite_file: None,
        },
        None => {
            let file = std::env::temp_dir().join(format!("guildhall-{}.db", unique_name()));
            TestDb {
                db: Db::open_sqlite(&file, &size).await?,
                sqlite_file: Some(file),
            }
        }
    };
    test_db.db.migrate().await?;
    Ok(test_db)
}

/// A fresh SQLite database even when the suite runs on PostgreSQL (for comparing the schemas).
pub async fn fresh_sqlite() -> Result<TestDb> {
    let size = PoolSize {
        max_connections: 2,
        acquire_timeout: Duration::from_secs(30),
    };
    let file = std::env::temp_dir().join(format!("guildhall-{}.db", unique_name()));
    let db = Db::open_sqlite(&file, &size).await?;
    db.migrate().await?;
    Ok(TestDb {
        db,
        sqlite_file: Some(file),
    })
}

async fn fresh_postgres(url: &str, size: &PoolSize) -> Result<Db> {
    let schema = unique_name();
    let options = PgConnectOptions::from_str(url)?;
    let mut admin = PgConnection::connect_with(&options).await?;
    // The name is generated above from digits and underscores only; identifiers cannot be bound.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Db::open_postgres_with(options.options([("search_path", schema.as_str())]), size).await
}

/// Runs one fixed statement, for tests that check what the database itself refuses (an
/// append-only log) or set up what no use case writes.
pub async fn execute(db: &Db, sql: &'static str) -> Result<()> {
    crate::with_db!(db, |pool| sqlx::query(sql).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Reads one fixed count, for tests that check what no use case shows (kept history).
pub async fn count(db: &Db, sql: &'static str) -> Result<i64> {
    Ok(crate::with_db!(db, |pool| sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await)?)
}
