//! `guildhall backup FILE` and `guildhall restore FILE` for the embedded SQLite database.

use anyhow::{Context, Result, bail};
use guildhall_app::Settings;
use guildhall_store::Db;
use std::path::Path;

const POSTGRES_ADVICE: &str = "This instance uses PostgreSQL: back it up with the PostgreSQL tools, e.g.\n  \
    pg_dump --format=custom --file=guildhall.dump \"$GUILDHALL_DATABASE__URL\"\n\
    and restore with\n  pg_restore --clean --if-exists --dbname=\"$GUILDHALL_DATABASE__URL\" guildhall.dump";

pub async fn backup(settings: &Settings, file: &Path) -> Result<()> {
    if file.exists() {
        bail!("{} already exists: choose a new file name", file.display());
    }
    let db = crate::database::open(settings).await?;
    match db.backup_sqlite_into(file).await.context("backing up")? {
        Some(()) => {
            let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            println!(
                "Backed up {} to {} ({} KiB).",
                settings.sqlite_path().display(),
                file.display(),
                size / 1024
            );
            Ok(())
        }
        None => {
            println!("{POSTGRES_ADVICE}");
            Ok(())
        }
    }
}

/// Replaces the database with a backup after checking the backup is sound. The current database
/// is kept beside it, renamed, so a wrong restore can be undone.
pub async fn restore(settings: &Settings, file: &Path) -> Result<()> {
    if settings.uses_postgres() {
        println!("{POSTGRES_ADVICE}");
        return Ok(());
    }
    let candidate = Db::open_sqlite_read_only(file)
        .await
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    let integrity = candidate
        .sqlite_integrity()
        .await
        .context("checking the backup")?
        .unwrap_or_default();
    let applied = candidate.applied_migrations().await.unwrap_or(0);
    candidate.close().await;
    if integrity != "ok" {
        bail!("{} failed the integrity check: {integrity}", file.display());
    }
    if applied == 0 {
        bail!("{} is not a Guildhall backup", file.display());
    }
    let target = settings.sqlite_path();
    std::fs::create_dir_all(&settings.data_dir)?;
    if target.exists() {
        let aside = target.with_extension(format!("db.before-restore-{}", chrono_stamp()));
        std::fs::rename(&target, &aside).context("moving the current database aside")?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        println!("The current database was kept as {}.", aside.display());
    }
    std::fs::copy(file, &target).context("copying the backup into place")?;
    println!(
        "Restored {} from {}. Start the server to apply any newer migrations.",
        target.display(),
        file.display()
    );
    Ok(())
}

fn chrono_stamp() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs().to_string())
        .unwrap_or_default()
}
