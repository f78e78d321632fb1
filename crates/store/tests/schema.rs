//! The SQLite and PostgreSQL migrations must describe the same tables, columns and indexes.
//! Runs when the suite has a PostgreSQL database (`./test.sh`); on SQLite alone there is nothing
//! to compare with. Search tables (`fts_*`) are dialect-specific by design (FTS5 against tsvector).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use guildhall_store::Db;
use guildhall_store::testing::{fresh_db, fresh_sqlite, postgres_url};
use std::collections::BTreeSet;

async fn sqlite_shape(db: &Db) -> BTreeSet<String> {
    let Db::Sqlite(pool, _) = db else {
        panic!("expected SQLite")
    };
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fts_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut shape = BTreeSet::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
            .bind(&table)
            .fetch_all(pool)
            .await
            .unwrap();
        shape.extend(columns.into_iter().map(|c| format!("column {table}.{c}")));
    }
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%' AND tbl_name NOT LIKE 'fts_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    shape.extend(indexes.into_iter().map(|(i, t)| format!("index {t}.{i}")));
    shape
}

async fn postgres_shape(db: &Db) -> BTreeSet<String> {
    let Db::Postgres(pool) = db else {
        panic!("expected PostgreSQL")
    };
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' AND table_name NOT LIKE 'fts_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT indexname::text, tablename::text FROM pg_indexes \
         WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey' AND tablename <> '_sqlx_migrations' AND tablename NOT LIKE 'fts_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    columns
        .into_iter()
        .map(|(t, c)| format!("column {t}.{c}"))
        .chain(indexes.into_iter().map(|(i, t)| format!("index {t}.{i}")))
        .collect()
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_agree() {
    if postgres_url().is_none() {
        eprintln!("schema comparison needs GUILDHALL_TEST_DATABASE_URL (./test.sh sets it)");
        return;
    }
    let postgres = fresh_db().await.unwrap();
    let sqlite = fresh_sqlite().await.unwrap();
    let (lite, pg) = (sqlite_shape(&sqlite).await, postgres_shape(&postgres).await);
    assert!(lite.len() > 50, "suspiciously small schema: {lite:?}");
    let only_sqlite: Vec<_> = lite.difference(&pg).collect();
    let only_postgres: Vec<_> = pg.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:?}\nonly in PostgreSQL: {only_postgres:?}"
    );
}

#[tokio::test]
async fn migrations_are_all_applied() {
    let db = fresh_db().await.unwrap();
    assert_eq!(db.pending_migrations().await.unwrap(), 0);
    db.migrate().await.unwrap(); // a second run is a no-op
    db.ping().await.unwrap();
}
