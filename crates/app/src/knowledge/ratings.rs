//! Readers rate resources ("helpful" earns the owner points, "outdated" flags ask the owner to
//! review once enough agree); the owner's review clears the flags.

use super::resources::state_of;
use crate::notify::{self, NotificationKind};
use crate::people::Viewer;
use crate::rewards::{self, Merit, Source};
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::knowledge::freshness::OUTDATED_FLAGS;
use guildhall_domain::knowledge::{Rating, may_rate, owner_should_review};
use guildhall_domain::rewards::Earning;
use guildhall_store::knowledge::resources as store;

impl App {
    /// Sets the viewer's rating of a resource (`None` withdraws it). The owner does not rate
    /// their own resource.
    pub async fn rate_resource(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        rating: Option<Rating>,
    ) -> AppResult<()> {
        let (thread, row) = self.readable_resource(viewer, thread_id).await?;
        let owner = row.owner_id.ok_or_else(|| AppError::Conflict {
            code: "owner_left",
            message: "Its owner has left; nobody is there to hear the rating.".into(),
        })?;
        may_rate(viewer.id, owner).map_err(|m| AppError::forbidden("own_resource", m))?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let before = store::rate_in(
            &mut tx,
            thread_id,
            viewer.id,
            rating.map(Rating::as_str),
            now,
        )
        .await?;
        let before = before.as_deref().and_then(Rating::parse);
        if before == rating {
            tx.commit().await?;
            return Ok(());
        }
        let source = Source::Resource(thread_id);
        if rating == Some(Rating::Helpful) {
            let merit = Merit::new(Earning::ResourceRatedHelpful, owner, source)
                .by(viewer.id)
                .in_space(Some(thread.space_id));
            rewards::claim(&mut tx, merit, now).await?;
        } else if before == Some(Rating::Helpful) {
            let earning = Some(Earning::ResourceRatedHelpful);
            rewards::take_back(&mut tx, source, Some(viewer.id), earning, now).await?;
        }
        if rating == Some(Rating::Outdated) {
            let row = store::resource_in(&mut tx, thread_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let asked = row.review_asked_at.map(|at| at.date_naive());
            let flagged = row.outdated_count >= i64::from(OUTDATED_FLAGS);
            if flagged && owner_should_review(state_of(&row, now), asked, now.date_naive()) {
                let sentence = format!(
                    "Readers flagged “{}” as outdated: please review it.",
                    thread.title
                );
                let link = format!("/library/{thread_id}");
                notify::record_linked(
                    &mut tx,
                    owner,
                    NotificationKind::Library,
                    None,
                    &sentence,
                    &link,
                )
                .await?;
                store::set_review_asked_in(&mut tx, thread_id, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// The owner looked again ("Reviewed, still good"): the review date moves to today and the
    /// outdated flags are cleared.
    pub async fn review_resource(&self, viewer: &Viewer, thread_id: i64) -> AppResult<()> {
        let (_thread, row) = self.readable_resource(viewer, thread_id).await?;
        if row.owner_id != Some(viewer.id) {
            return Err(AppError::forbidden(
                "not_owner",
                "Only the resource's owner marks it reviewed.",
            ));
        }
        let mut tx = self.db().begin().await?;
        store::mark_reviewed_in(&mut tx, thread_id, clock::now()).await?;
        tx.commit().await?;
        Ok(())
    }
}
