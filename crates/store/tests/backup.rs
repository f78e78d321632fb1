//! SQLite backups are consistent copies that open as a database with the same content.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{SubsecRound, Utc};
use guildhall_store::Db;
use guildhall_store::db::PoolSize;
use guildhall_store::people::{self, NewUser};
use guildhall_store::testing::{fresh_db, fresh_sqlite};
use std::time::Duration;

#[tokio::test]
async fn a_backup_opens_with_the_same_people() {
    let db = fresh_sqlite().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    let now = Utc::now().trunc_subsecs(6);
    people::insert_user(
        &mut tx,
        &NewUser {
            email: "ada@example.org",
            given_name: "Ada",
            family_name: "Lovelace",
            display_name: "Ada Lovelace",
            password_hash: None,
            now,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let file = std::env::temp_dir().join(format!(
        "guildhall-backup-{}-{}.db",
        std::process::id(),
        now.timestamp_micros()
    ));
    assert_eq!(db.backup_sqlite_into(&file).await.unwrap(), Some(()));
    assert!(
        db.backup_sqlite_into(&file).await.is_err(),
        "an existing file is never overwritten"
    );

    let copy = Db::open_sqlite(
        &file,
        &PoolSize {
            max_connections: 1,
            acquire_timeout: Duration::from_secs(5),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        copy.sqlite_integrity().await.unwrap().as_deref(),
        Some("ok")
    );
    assert_eq!(copy.pending_migrations().await.unwrap(), 0);
    assert_eq!(
        people::user_by_email(&copy, "ada@example.org")
            .await
            .unwrap()
            .unwrap()
            .display_name,
        "Ada Lovelace"
    );
    copy.close().await;
    std::fs::remove_file(&file).unwrap();
}

#[tokio::test]
async fn postgres_is_backed_up_with_its_own_tools() {
    let db = fresh_db().await.unwrap();
    let file = std::env::temp_dir().join("guildhall-never-written.db");
    match db.backend() {
        guildhall_store::Backend::Postgres => {
            assert_eq!(db.backup_sqlite_into(&file).await.unwrap(), None);
            assert!(!file.exists());
        }
        guildhall_store::Backend::Sqlite => {
            assert_eq!(db.sqlite_integrity().await.unwrap().as_deref(), Some("ok"))
        }
    }
}
