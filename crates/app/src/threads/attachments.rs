//! Files attached to posts: images and PDFs, checked by their bytes, kept once per content,
//! served only to people who can read the thread.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::threads::{
    FileKind, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_POST, clean_file_name,
};
use guildhall_store::files::{self as store, NewAttachment};
use guildhall_store::threads as threads_store;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Files are stored once under the hex SHA-256 of their bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file as a person sent it.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub is_image: bool,
    pub url: String,
}

impl From<store::AttachmentRow> for AttachmentView {
    fn from(a: store::AttachmentRow) -> Self {
        AttachmentView {
            is_image: FileKind::from_content_type(&a.content_type).is_some_and(FileKind::is_image),
            url: format!("/attachments/{}", a.id),
            id: a.id,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
        }
    }
}

/// A file to send back, with what the response needs to say about it.
pub struct AttachmentFile {
    pub file_name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

impl App {
    /// The author attaches a file to their post; returns the thread id.
    pub async fn attach(&self, viewer: &Viewer, post_id: i64, upload: Upload) -> AppResult<i64> {
        let (post, _, _) = self.readable_post(viewer, post_id).await?;
        if post.author_id != Some(viewer.id) {
            return Err(AppError::forbidden(
                "author_only",
                "Only the author can attach files to a post.",
            ));
        }
        if upload.bytes.is_empty() || upload.bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(AppError::invalid(
                "file",
                format!(
                    "Attach a file of at most {} MB.",
                    MAX_ATTACHMENT_BYTES / (1024 * 1024)
                ),
            ));
        }
        let kind = FileKind::sniff(&upload.bytes).ok_or_else(|| {
            AppError::invalid("file", "Attach an image (PNG, JPEG, GIF, WebP) or a PDF.")
        })?;
        if kind.is_image() {
            self.screen_image(viewer, &upload.file_name, &upload.bytes)
                .await?;
        }
        let sha256 = sha256_hex(&upload.bytes);
        self.inner
            .files
            .put(&sha256, &upload.bytes)
            .await
            .map_err(|e| AppError::Internal(format!("storing an attachment: {e}")))?;
        let mut tx = self.db().begin().await?;
        if store::count_for_post(&mut tx, post_id).await? >= MAX_ATTACHMENTS_PER_POST {
            return Err(AppError::Conflict {
                code: "too_many_attachments",
                message: format!("A post carries at most {MAX_ATTACHMENTS_PER_POST} files."),
            });
        }
        let file_name = clean_file_name(&upload.file_name);
        store::insert(
            &mut tx,
            &NewAttachment {
                post_id,
                uploader_id: viewer.id,
                file_name: &file_name,
                content_type: kind.content_type(),
                size_bytes: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
                sha256: &sha256,
                now: clock::now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(post.thread_id)
    }

    /// An attachment's bytes, for people who can read its thread.
    pub async fn attachment_file(&self, viewer: &Viewer, id: i64) -> AppResult<AttachmentFile> {
        let attachment = store::attachment(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.readable_post(viewer, attachment.post_id).await?;
        let kind =
            FileKind::from_content_type(&attachment.content_type).ok_or(AppError::NotFound)?;
        let bytes = self
            .inner
            .files
            .get(&attachment.sha256)
            .await
            .map_err(|e| AppError::Internal(format!("reading an attachment: {e}")))?;
        Ok(AttachmentFile {
            file_name: attachment.file_name,
            kind,
            bytes,
        })
    }
}

/// The thread a post belongs to, if the viewer can read it.
pub async fn thread_of_post(app: &App, viewer: &Viewer, post_id: i64) -> AppResult<i64> {
    let post = threads_store::post(app.db(), post_id)
        .await?
        .ok_or(AppError::NotFound)?;
    app.readable_thread(viewer, post.thread_id).await?;
    Ok(post.thread_id)
}
