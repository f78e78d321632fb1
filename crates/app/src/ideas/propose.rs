//! Proposing an idea, possibly building on another one, and changing it later. An idea is a
//! thread of kind `idea` (its discussion, search and moderation come with it) whose opening
//! post spells out the problem, the proposal and the benefit.

use super::lineage::link_in;
use crate::moderation::Place;
use crate::people::Viewer;
use crate::spaces::members_only;
use crate::threads::index_post;
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::FieldErrors;
use guildhall_domain::ideas::{IdeaDraft, IdeaFields, IdeaStatus, Link, parse_idea};
use guildhall_domain::threads::{ThreadKind, excerpt, render_post};
use guildhall_store::ideas::board::{self as store, NewIdea};
use guildhall_store::threads as threads_store;

/// What a person types to propose an idea (or change theirs).
#[derive(Debug, Clone, Default)]
pub struct IdeaInput {
    pub title: String,
    pub problem: String,
    pub proposal: String,
    pub benefit: String,
    pub tags: String,
    /// The idea this one builds on, if any.
    pub builds_on: Option<i64>,
    pub send_for_review: bool,
    pub not_rude: bool,
}

impl IdeaInput {
    fn parse(&self) -> Result<IdeaFields, FieldErrors> {
        parse_idea(IdeaDraft {
            title: &self.title,
            problem: &self.problem,
            proposal: &self.proposal,
            benefit: &self.benefit,
            tags: &self.tags,
        })
    }
}

/// The opening post: the idea's three texts under headings, so the thread, search and feeds
/// read it whole.
fn compose(fields: &IdeaFields) -> String {
    let mut body = format!(
        "### Problem\n\n{}\n\n### Proposal\n\n{}",
        fields.problem, fields.proposal
    );
    if !fields.benefit.is_empty() {
        body.push_str("\n\n### Expected benefit\n\n");
        body.push_str(&fields.benefit);
    }
    body
}

/// The idea's words after the content check, each in its own field so that a nudge points at
/// the one to rephrase.
async fn screened(
    app: &App,
    viewer: &Viewer,
    place: Place,
    space_id: i64,
    fields: IdeaFields,
    input: &IdeaInput,
) -> AppResult<(IdeaFields, Option<crate::moderation::Held>)> {
    let screened = app
        .screen(
            viewer,
            place,
            Some(space_id),
            &[
                ("title", &fields.title),
                ("problem", &fields.problem),
                ("proposal", &fields.proposal),
                ("benefit", &fields.benefit),
            ],
            input.send_for_review,
        )
        .await?;
    let checked = IdeaFields {
        title: screened.text(0).to_owned(),
        problem: screened.text(1).to_owned(),
        proposal: screened.text(2).to_owned(),
        benefit: screened.text(3).to_owned(),
        tags: fields.tags,
    };
    Ok((
        checked,
        screened.held.map(|h| h.disputed_if(input.not_rude)),
    ))
}

/// An idea's texts as its author wrote them, for the edit form.
#[derive(Debug, Clone)]
pub struct IdeaSource {
    pub problem: String,
    pub proposal: String,
    pub benefit: String,
}

/// Puts an idea started as a plain thread (the space's thread form, older API clients) on the
/// board, its text standing for the proposal, as the migration did for earlier ones.
pub(crate) async fn join_board(
    tx: &mut guildhall_store::Tx,
    thread_id: i64,
    space_id: i64,
    author_id: i64,
    proposal: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let idea = NewIdea {
        thread_id,
        space_id,
        author_id,
        problem: "",
        proposal,
        benefit: "",
        tags: &[],
        status: IdeaStatus::Proposal.as_str(),
        at,
    };
    Ok(store::insert_in(tx, &idea).await?)
}

impl App {
    pub async fn idea_source(&self, viewer: &Viewer, id: i64) -> AppResult<IdeaSource> {
        let idea = self.readable_idea(viewer, id).await?;
        Ok(IdeaSource {
            problem: idea.row.problem,
            proposal: idea.row.proposal,
            benefit: idea.row.benefit,
        })
    }

    /// Proposes an idea in a space the viewer belongs to; returns its id (its thread's).
    pub async fn propose_idea(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &IdeaInput,
    ) -> AppResult<i64> {
        let space = self.space(viewer, slug).await?;
        if !space.is_member() {
            return Err(members_only());
        }
        let fields = input.parse().map_err(AppError::Invalid)?;
        let parent = match input.builds_on {
            Some(parent) => Some(self.readable_idea(viewer, parent).await?),
            None => None,
        };
        let (fields, held) = screened(self, viewer, Place::Thread, space.id, fields, input).await?;
        let body = compose(&fields);
        let opening = self
            .prepare_opening(
                viewer,
                &space,
                ThreadKind::Idea,
                fields.title.clone(),
                body,
                None,
                held,
            )
            .await?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let arrival = crate::threads::Arrival::Here;
        let (id, _) = opening
            .write(self, &mut tx, (viewer.id, arrival), now)
            .await?;
        let idea = NewIdea {
            thread_id: id,
            space_id: space.id,
            author_id: viewer.id,
            problem: &fields.problem,
            proposal: &fields.proposal,
            benefit: &fields.benefit,
            tags: &fields.tags,
            status: IdeaStatus::Proposal.as_str(),
            at: now,
        };
        store::insert_in(&mut tx, &idea).await?;
        if let Some(parent) = &parent {
            link_in(
                &mut tx,
                viewer,
                Link::builds_on(id, parent.row.id),
                parent,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        opening.announce(self);
        Ok(id)
    }

    /// The author changes their idea; the opening post keeps the earlier text as a version.
    pub async fn edit_idea(&self, viewer: &Viewer, id: i64, input: &IdeaInput) -> AppResult<()> {
        let idea = self.readable_idea(viewer, id).await?;
        if !idea.actor.author {
            return Err(AppError::forbidden(
                "author_only",
                "Only the idea's author can change it.",
            ));
        }
        let fields = input.parse().map_err(AppError::Invalid)?;
        let place = Place::Edit { thread_id: id };
        let (fields, held) =
            screened(self, viewer, place, idea.row.space_id, fields, input).await?;
        let body = compose(&fields);
        let opening_post = threads_store::opening_post_id(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut thread = threads_store::thread(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        thread.title = fields.title.clone();
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::update_in(
            &mut tx,
            id,
            &NewIdea {
                thread_id: id,
                space_id: idea.row.space_id,
                author_id: viewer.id,
                problem: &fields.problem,
                proposal: &fields.proposal,
                benefit: &fields.benefit,
                tags: &fields.tags,
                status: idea.status.as_str(),
                at: now,
            },
        )
        .await?;
        threads_store::edit_post(
            &mut tx,
            opening_post,
            &body,
            &render_post(&body),
            viewer.id,
            now,
        )
        .await?;
        threads_store::set_thread_excerpt(&mut tx, id, &fields.title, &excerpt(&body, 240)).await?;
        let created = thread.created_at;
        index_post(
            &mut tx,
            &thread,
            opening_post,
            true,
            &body,
            Some(viewer.id),
            created,
        )
        .await?;
        if let Some(held) = &held {
            self.hold_post(
                &mut tx,
                opening_post,
                viewer.id,
                idea.row.space_id,
                &body,
                held,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
