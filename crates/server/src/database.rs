//! Opening the configured database: PostgreSQL for a `postgres://` URL, else SQLite in data_dir.

use anyhow::{Context, Result};
use guildhall_app::Settings;
use guildhall_store::Db;
use guildhall_store::db::PoolSize;
use std::time::Duration;

pub async fn open(settings: &Settings) -> Result<Db> {
    let size = PoolSize {
        max_connections: settings.database.max_connections.max(1),
        acquire_timeout: Duration::from_secs(settings.database.acquire_timeout_secs.max(1)),
    };
    if settings.uses_postgres() {
        return Db::open_postgres(settings.database.url.expose(), &size)
            .await
            .context("cannot connect to PostgreSQL (check database.url)");
    }
    anyhow::ensure!(
        settings.database.url.is_empty(),
        "database.url must be empty (SQLite in data_dir) or a postgres:// URL"
    );
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "cannot create the data folder {}",
            settings.data_dir.display()
        )
    })?;
    let path = settings.sqlite_path();
    Db::open_sqlite(&path, &size)
        .await
        .with_context(|| format!("cannot open the SQLite database {}", path.display()))
}

pub async fn open_and_migrate(settings: &Settings) -> Result<Db> {
    let db = open(settings).await?;
    db.migrate().await.context("applying database migrations")?;
    Ok(db)
}
