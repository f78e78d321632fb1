//! One vote per person and idea, never on one's own, and only while the idea is still being
//! decided on.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::ideas::{IdeaStatus, may_vote};
use guildhall_store::ideas::board as board_store;
use guildhall_store::ideas::votes as store;

impl App {
    /// Adds (`on`) or withdraws the viewer's vote; returns the idea's vote count after it.
    pub async fn vote_idea(&self, viewer: &Viewer, id: i64, on: bool) -> AppResult<i64> {
        let idea = self.readable_idea(viewer, id).await?;
        let author = idea.row.author_id.unwrap_or(0);
        if on {
            may_vote(viewer.id, author, idea.status).map_err(|m| AppError::forbidden("vote", m))?;
        }
        let mut tx = self.db().begin().await?;
        let status = board_store::lock_in(&mut tx, id)
            .await?
            .and_then(|(status, ..)| IdeaStatus::parse(&status))
            .ok_or(AppError::NotFound)?;
        if on {
            may_vote(viewer.id, author, status).map_err(|m| AppError::forbidden("vote", m))?;
        }
        store::set_in(&mut tx, id, viewer.id, on, clock::now()).await?;
        let votes = board_store::votes_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(votes)
    }
}
