//! The idea board: proposing ideas (`propose`), the boards and an idea's page (`board`),
//! votes (`votes`), moving an idea along its road and crediting everyone behind it (`decide`),
//! build-ons, merges and family trees (`lineage`).

mod board;
mod decide;
mod lineage;
mod propose;
mod votes;

pub use board::{Board, BoardQuery, Decision, IdeaCard, IdeaPage, SimilarIdea};
pub use lineage::{Credited, FamilyNode, FamilyView};
pub(crate) use propose::join_board;
pub use propose::{IdeaInput, IdeaSource};

use crate::people::Viewer;
use crate::{App, AppError, AppResult};
use guildhall_domain::ideas::{Actor, IdeaStatus};
use guildhall_domain::people::Role;
use guildhall_store::ideas::board::{self as store, IdeaRow};

/// An idea the viewer may read: its space is open or theirs, and it is not removed (a held
/// idea stays visible to its author and moderators, as its thread does).
pub(crate) struct Readable {
    pub row: IdeaRow,
    pub status: IdeaStatus,
    pub actor: Actor,
}

impl App {
    pub(crate) async fn readable_idea(&self, viewer: &Viewer, id: i64) -> AppResult<Readable> {
        let (_, space) = self.readable_thread(viewer, id).await?;
        let row = store::idea(self.db(), viewer.id, id)
            .await?
            .filter(|row| !row.deleted)
            .ok_or(AppError::NotFound)?;
        let status = IdeaStatus::parse(&row.status).unwrap_or(IdeaStatus::Proposal);
        let decider = space.is_facilitator() || viewer.has(Role::Admin);
        let actor = Actor::new(row.author_id == Some(viewer.id), decider);
        Ok(Readable { row, status, actor })
    }
}
