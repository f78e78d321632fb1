//! Reports by members: a thread, a post or a profile, with a reason. Reports gather on one
//! review item per subject; after `reports_to_hide` reports the content is hidden until a
//! moderator decides, and every reporter hears the outcome.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use guildhall_store::moderation::review as store;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportSubject {
    Thread(i64),
    Post(i64),
    Person(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Explicit,
    Rude,
    Spam,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 4] = [
        ReportReason::Explicit,
        ReportReason::Rude,
        ReportReason::Spam,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Explicit => "explicit",
            ReportReason::Rude => "rude",
            ReportReason::Spam => "spam",
            ReportReason::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportReason::Explicit => "Explicit content",
            ReportReason::Rude => "Mocking or rude",
            ReportReason::Spam => "Spam",
            ReportReason::Other => "Something else",
        }
    }

    pub fn parse(raw: &str) -> Option<ReportReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    fn severity(self) -> i64 {
        match self {
            ReportReason::Explicit => 3,
            ReportReason::Rude => 2,
            ReportReason::Spam | ReportReason::Other => 1,
        }
    }
}

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReportOutcome {
    pub review_item_id: i64,
    pub report_count: i64,
    /// The content is now hidden until a moderator decides.
    pub hidden: bool,
}

struct Reported {
    kind: &'static str,
    id: i64,
    author_id: Option<i64>,
    space_id: Option<i64>,
    excerpt: String,
    hidden: bool,
}

impl App {
    pub async fn report(
        &self,
        viewer: &Viewer,
        subject: ReportSubject,
        reason: &str,
        detail: &str,
    ) -> AppResult<ReportOutcome> {
        let reason = ReportReason::parse(reason)
            .ok_or_else(|| AppError::invalid("reason", "Choose why you report this."))?;
        let detail = guildhall_domain::spaces::parse_long_text(detail, 1_000, false)
            .map_err(|m| AppError::invalid("detail", m))?;
        if reason == ReportReason::Other && detail.is_empty() {
            return Err(AppError::invalid("detail", "Say what is wrong."));
        }
        let reported = self.reported(viewer, subject).await?;
        if reported.author_id == Some(viewer.id) {
            return Err(AppError::invalid("reason", "You cannot report yourself."));
        }
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let item = store::open_item(
            &mut tx,
            &store::NewReviewItem {
                subject_kind: reported.kind,
                subject_id: reported.id,
                author_id: reported.author_id,
                space_id: reported.space_id,
                source: "reported",
                severity: reason.severity(),
                excerpt: &reported.excerpt,
                verdict: None,
                at: now,
            },
        )
        .await?;
        let Some(count) =
            store::add_report(&mut tx, item, viewer.id, reason.as_str(), &detail, now).await?
        else {
            return Err(AppError::Conflict {
                code: "already_reported",
                message: "You reported this already; a moderator will look at it.".into(),
            });
        };
        let hide = reported.kind == "post"
            && !reported.hidden
            && count >= self.moderation_settings().reports_to_hide;
        if hide {
            store::set_post_hidden(&mut tx, reported.id, Some(now)).await?;
        }
        if reported.kind == "post" && reason == ReportReason::Rude {
            crate::insights::note_rudeness_towards(&mut tx, reported.id, "reported as rude", now)
                .await?;
        }
        tx.commit().await?;
        self.publish(crate::notify::LiveEvent::Watch {
            kind: crate::insights::WatchKind::Review,
            space_id: reported.space_id,
            for_user: None,
        });
        Ok(ReportOutcome {
            review_item_id: item,
            report_count: count,
            hidden: hide || reported.hidden,
        })
    }

    async fn reported(&self, viewer: &Viewer, subject: ReportSubject) -> AppResult<Reported> {
        let post_id = match subject {
            ReportSubject::Person(id) => {
                let person = guildhall_store::people::user_by_id(self.db(), id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                return Ok(Reported {
                    kind: "person",
                    id,
                    author_id: Some(id),
                    space_id: None,
                    excerpt: format!("Profile of {}", person.display_name),
                    hidden: false,
                });
            }
            ReportSubject::Post(id) => id,
            ReportSubject::Thread(id) => guildhall_store::threads::opening_post_id(self.db(), id)
                .await?
                .ok_or(AppError::NotFound)?,
        };
        let (post, _thread, space) = self.readable_post(viewer, post_id).await?;
        Ok(Reported {
            kind: "post",
            id: post.id,
            author_id: post.author_id,
            space_id: Some(space.id),
            excerpt: guildhall_domain::threads::excerpt(&post.body, 280),
            hidden: post.hidden_at.is_some(),
        })
    }
}
