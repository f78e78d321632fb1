//! The one place that knows there are two backends. Store modules write one SQL text and run it
//! through [`with_db!`](crate::with_db) or [`with_tx!`](crate::with_tx), which expand it once per
//! backend; business code never branches on the backend.

use crate::{Result, StoreError};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

mod pool_guard;
use pool_guard::OpenTx;
pub use pool_guard::assert_no_open_tx;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite has one writer at a time; the gate queues this process's writers fairly instead of
    /// letting them spin in SQLite's busy handler, which sleeps in growing steps under load.
    Sqlite(SqlitePool, Arc<Semaphore>),
    Postgres(PgPool),
}

/// A write transaction on either backend; dropped without `commit` it rolls back (and, on
/// SQLite, opens the gate for the next writer).
///
/// While it is open, everything the work needs is read **through it** (or before it begins),
/// never through the pool: on PostgreSQL a transaction that holds a row lock and waits for a
/// second connection deadlocks as soon as writers to that row outnumber the pool's connections
/// (each holds a connection and waits on the lock; the lock holder waits for a connection). On
/// SQLite a second `begin` in the same task waits forever on the write gate. Debug builds panic
/// at such a pool use ([`assert_no_open_tx`]).
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>, OwnedSemaphorePermit, OpenTx),
    Postgres(Transaction<'static, Postgres>, OpenTx),
}

/// Runs `$body` with `$conn` bound to the backend's pool. Never while the same task holds a
/// [`Tx`] open: see there.
#[macro_export]
macro_rules! with_db {
    ($db:expr, |$conn:ident| $body:expr) => {{
        $crate::db::assert_no_open_tx();
        match $db {
            $crate::db::Db::Sqlite($conn, _) => $body,
            $crate::db::Db::Postgres($conn) => $body,
        }
    }};
}

/// Runs `$body` with `$conn` bound to the transaction's connection.
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx, ..) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx, _) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

pub struct PoolSize {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Db {
    /// Opens (creating when missing) the SQLite file in WAL mode with foreign keys enforced.
    pub async fn open_sqlite(path: &Path, size: &PoolSize) -> Result<Db> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(size.max_connections)
            .acquire_timeout(size.acquire_timeout)
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool, Arc::new(Semaphore::new(1))))
    }

    /// Opens an existing SQLite file without changing it (to inspect a backup before restoring it).
    pub async fn open_sqlite_read_only(path: &Path) -> Result<Db> {
        let options = SqliteConnectOptions::new().filename(path).read_only(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool, Arc::new(Semaphore::new(1))))
    }

    pub async fn open_postgres(url: &str, size: &PoolSize) -> Result<Db> {
        let options = PgConnectOptions::from_str(url)?;
        Self::open_postgres_with(options, size).await
    }

    pub async fn open_postgres_with(options: PgConnectOptions, size: &PoolSize) -> Result<Db> {
        let pool = PgPoolOptions::new()
            .max_connections(size.max_connections)
            .acquire_timeout(size.acquire_timeout)
            .connect_with(options)
            .await?;
        Ok(Db::Postgres(pool))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(..) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(pool, _) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Number of migrations this binary knows that the database has not applied yet.
    pub async fn pending_migrations(&self) -> Result<usize> {
        let known = match self {
            Db::Sqlite(..) => SQLITE_MIGRATIONS.iter().count(),
            Db::Postgres(_) => POSTGRES_MIGRATIONS.iter().count(),
        };
        // A database that was never migrated has no bookkeeping table yet.
        let applied = self.applied_migrations().await.unwrap_or(0);
        Ok(known.saturating_sub(usize::try_from(applied).unwrap_or(0)))
    }

    /// Migrations recorded as applied; an error when the database is not Guildhall's.
    pub async fn applied_migrations(&self) -> Result<i64> {
        Ok(with_db!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await
        })?)
    }

    pub async fn ping(&self) -> Result<()> {
        with_db!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that later upgrades can fail with SQLITE_BUSY despite busy_timeout.
    ///
    /// The transaction reads what it needs through itself: see [`Tx`].
    pub async fn begin(&self) -> Result<Tx> {
        assert_no_open_tx();
        Ok(match self {
            Db::Sqlite(pool, gate) => {
                let permit = gate
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| StoreError::Closed)?;
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                Tx::Sqlite(tx, permit, OpenTx::new())
            }
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?, OpenTx::new()),
        })
    }

    pub async fn close(&self) {
        with_db!(self, |pool| pool.close().await)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx, ..) => tx.commit().await?,
            Tx::Postgres(tx, _) => tx.commit().await?,
        }
        Ok(())
    }
}

impl Db {
    /// A consistent copy of the SQLite database, taken while it is in use (`VACUUM INTO`).
    /// PostgreSQL has its own tools (`pg_dump`), so this answers `None` there.
    pub async fn backup_sqlite_into(&self, file: &Path) -> Result<Option<()>> {
        let Db::Sqlite(pool, _) = self else {
            return Ok(None);
        };
        sqlx::query("VACUUM INTO $1")
            .bind(file.to_string_lossy().into_owned())
            .execute(pool)
            .await?;
        Ok(Some(()))
    }

    /// `PRAGMA integrity_check` on SQLite: `"ok"` when the file is sound.
    pub async fn sqlite_integrity(&self) -> Result<Option<String>> {
        let Db::Sqlite(pool, _) = self else {
            return Ok(None);
        };
        Ok(Some(
            sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(pool)
                .await?,
        ))
    }
}
