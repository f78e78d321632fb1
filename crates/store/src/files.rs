//! Uploaded files (attachments) on disk under the data folder, named by their SHA-256 so the same
//! file is kept once; their rows in the database.

use crate::{Db, Result, Tx, with_db, with_tx};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

/// Where attachments live: `<data_dir>/attachments/<first two hex digits>/<sha256>`.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(data_dir: &Path) -> FileStore {
        FileStore {
            root: data_dir.join("attachments"),
        }
    }

    fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2.min(sha256.len())]).join(sha256)
    }

    /// Writes the bytes once (a file already there is the same content) via a temporary name,
    /// so a reader never sees half a file.
    pub async fn put(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(sha256);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(());
        }
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        let temporary = path.with_extension(format!("part-{}", std::process::id()));
        tokio::fs::write(&temporary, bytes).await?;
        tokio::fs::rename(&temporary, &path).await
    }

    pub async fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.path(sha256)).await
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub post_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

pub struct NewAttachment<'a> {
    pub post_id: i64,
    pub uploader_id: i64,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub now: DateTime<Utc>,
}

pub async fn insert(tx: &mut Tx, a: &NewAttachment<'_>) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO attachments (post_id, uploader_id, file_name, content_type, size_bytes, sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(a.post_id)
        .bind(a.uploader_id)
        .bind(a.file_name)
        .bind(a.content_type)
        .bind(a.size_bytes)
        .bind(a.sha256)
        .bind(a.now)
        .fetch_one(conn)
        .await
    })?)
}

pub async fn count_for_post(tx: &mut Tx, post_id: i64) -> Result<i64> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE post_id = $1")
            .bind(post_id)
            .fetch_one(conn)
            .await
    })?)
}

pub async fn attachment(db: &Db, id: i64) -> Result<Option<AttachmentRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as("SELECT id, post_id, file_name, content_type, size_bytes, sha256 FROM attachments WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
    })?)
}

/// The attachments of a thread's posts between two post ids (one page).
pub async fn for_posts(
    db: &Db,
    thread_id: i64,
    from_id: i64,
    to_id: i64,
) -> Result<Vec<AttachmentRow>> {
    Ok(with_db!(db, |pool| {
        sqlx::query_as(
            "SELECT a.id, a.post_id, a.file_name, a.content_type, a.size_bytes, a.sha256 FROM attachments a \
             JOIN posts p ON p.id = a.post_id WHERE p.thread_id = $1 AND p.id >= $2 AND p.id <= $3 ORDER BY a.id",
        )
        .bind(thread_id)
        .bind(from_id)
        .bind(to_id)
        .fetch_all(pool)
        .await
    })?)
}
