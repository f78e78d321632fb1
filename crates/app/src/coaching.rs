//! Coaching: members apply to coach, an administrator or a facilitator (of any space) approves
//! them, learners find a coach (search, or a ranked list explained in words), ask for help, and
//! meet in sessions planned by the coach. Each side keeps private notes that only its author
//! can read — not the other side, not administrators. After a session the learner rates it,
//! and the rating becomes evidence for the coach.
//!
//! Private notes are not put through the content check: nobody but their author ever reads
//! them, and a refused note would be kept as evidence for moderators — exactly the reading the
//! notes promise not to allow. Every text another person reads is checked.

mod matching;
mod profiles;
mod requests;
mod sessions;

pub use matching::{CoachCard, CoachList, CoachSearch, MatchInput};
pub use profiles::{CoachInput, CoachView};
pub use requests::{CoachingHome, RequestInput, RequestSummary, RequestView};
pub use sessions::{OutcomeInput, OutcomeView, SessionInput, SessionNote, SessionView};

use crate::notify::NotificationKind;
use crate::people::Viewer;
use crate::{App, AppError, AppResult};
use chrono_tz::Tz;
use guildhall_domain::coaching::Side;
use guildhall_domain::people::Role;
use guildhall_store::Tx;

/// Lists of requests are read this many at a time.
pub const REQUESTS_PAGE: i64 = 20;

impl App {
    /// Administrators and facilitators (by role, or of any space) approve coaches.
    pub async fn may_approve_coaches(&self, viewer: &Viewer) -> AppResult<bool> {
        Ok(viewer.has(Role::Admin)
            || viewer.has(Role::Facilitator)
            || guildhall_store::coaching::facilitates_a_space(self.db(), viewer.id).await?)
    }

    async fn require_approver(&self, viewer: &Viewer) -> AppResult<()> {
        if self.may_approve_coaches(viewer).await? {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "role_required",
                "Administrators and facilitators approve coaches.",
            ))
        }
    }

    /// The person's time zone from their profile, or UTC.
    pub(crate) async fn time_zone_of(&self, user_id: i64) -> AppResult<Tz> {
        Ok(guildhall_store::profiles::profile(self.db(), user_id)
            .await?
            .and_then(|p| p.time_zone.parse::<Tz>().ok())
            .unwrap_or(Tz::UTC))
    }
}

/// Which side of a request or session the viewer is on; nobody else may see it (not even an
/// administrator), so outsiders get "not found".
fn side_of(viewer: &Viewer, coach_id: i64, learner_id: i64) -> AppResult<Side> {
    if viewer.id == coach_id {
        Ok(Side::Coach)
    } else if viewer.id == learner_id {
        Ok(Side::Learner)
    } else {
        Err(AppError::NotFound)
    }
}

/// Tells the other side of a coaching step, in the step's transaction, with a link to it.
async fn tell(tx: &mut Tx, from: &Viewer, to: i64, sentence: &str, link: &str) -> AppResult<()> {
    crate::notify::record_linked(
        tx,
        to,
        NotificationKind::Coaching,
        Some(from.id),
        sentence,
        link,
    )
    .await
}

/// Where a request and its sessions are read, by either side.
fn request_link(id: i64) -> String {
    format!("/coaching/requests/{id}")
}

/// Someone else changed a request, session or coach profile between our read and our write.
fn changed_meanwhile(code: &'static str) -> AppError {
    AppError::Conflict {
        code,
        message: "This changed meanwhile; reload and try again.".into(),
    }
}

/// A field error from a domain check.
fn field<T>(name: &str, result: Result<T, String>) -> AppResult<T> {
    result.map_err(|message| AppError::invalid(name, message))
}
