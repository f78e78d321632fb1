//! The one review queue for moderators: held content, nudged content sent for review and
//! reports, most severe first. A decision approves, removes, sanctions the author or escalates
//! to HR; reporters and the author hear the outcome, and the public log records it by role.

use super::sanctions::SanctionKind;
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::moderation::{Category, Verdict};
use guildhall_domain::people::Role;
use guildhall_store::Tx;
use guildhall_store::moderation::{review as store, sanctions as store_sanctions};
use guildhall_store::threads as store_threads;
use serde::Serialize;

pub const QUEUE_PAGE: i64 = 100;

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub reporter_name: String,
    pub reason: String,
    pub detail: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    pub id: i64,
    /// `post` or `person`.
    pub subject_kind: String,
    pub subject_id: i64,
    /// Where a moderator sees the subject (a post's text and its versions).
    pub subject_url: Option<String>,
    pub author_id: Option<i64>,
    pub author_name: String,
    /// The platform a post came from, when not written here.
    pub via: Option<&'static str>,
    /// `held`, `nudged` or `reported`.
    pub source: String,
    /// 3 explicit, 2 rude, 1 other.
    pub severity: i64,
    pub report_count: i64,
    pub excerpt: String,
    /// Why the content check held it, in words.
    pub check_reasons: Option<String>,
    pub reports: Vec<ReportView>,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAction {
    Approve,
    Remove,
    Warn,
    Mute,
    Suspend,
    Ban,
    Escalate,
}

impl ReviewAction {
    pub const ALL: [ReviewAction; 7] = [
        ReviewAction::Approve,
        ReviewAction::Remove,
        ReviewAction::Warn,
        ReviewAction::Mute,
        ReviewAction::Suspend,
        ReviewAction::Ban,
        ReviewAction::Escalate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Approve => "approve",
            ReviewAction::Remove => "remove",
            ReviewAction::Warn => "warn",
            ReviewAction::Mute => "mute",
            ReviewAction::Suspend => "suspend",
            ReviewAction::Ban => "ban",
            ReviewAction::Escalate => "escalate",
        }
    }

    pub fn parse(raw: &str) -> Option<ReviewAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw)
    }

    fn sanction(self) -> Option<SanctionKind> {
        match self {
            ReviewAction::Warn => Some(SanctionKind::Warning),
            ReviewAction::Mute => Some(SanctionKind::Mute),
            ReviewAction::Suspend => Some(SanctionKind::Suspension),
            ReviewAction::Ban => Some(SanctionKind::Ban),
            _ => None,
        }
    }
}

/// A moderator's decision on one or more items.
#[derive(Debug, Clone)]
pub struct ReviewDecision {
    pub action: ReviewAction,
    pub reason: String,
    /// Mutes and suspensions last this many hours.
    pub hours: Option<i64>,
    /// A mute only in the space of the content, instead of everywhere.
    pub in_space_only: bool,
}

fn item_view(row: store::ReviewItemRow, reports: Vec<ReportView>) -> ReviewItem {
    let check_reasons = row
        .verdict
        .as_ref()
        .and_then(|v| serde_json::from_value::<Verdict>(v.0.clone()).ok())
        .map(|v| v.message());
    ReviewItem {
        subject_url: (row.subject_kind == "post")
            .then(|| format!("/posts/{}/history", row.subject_id)),
        author_name: row.author_name.unwrap_or_else(|| "Former member".into()),
        via: guildhall_domain::nexus::Origin::via(&row.origin),
        id: row.id,
        subject_kind: row.subject_kind,
        subject_id: row.subject_id,
        author_id: row.author_id,
        source: row.source,
        severity: row.severity,
        report_count: row.report_count,
        excerpt: row.excerpt,
        check_reasons,
        reports,
        status: row.status,
        created_at: row.created_at,
    }
}

impl App {
    pub async fn review_queue(
        &self,
        viewer: &Viewer,
        source: Option<&str>,
    ) -> AppResult<Vec<ReviewItem>> {
        viewer.require(Role::Moderator)?;
        let source = source.filter(|s| ["held", "nudged", "disputed", "reported"].contains(s));
        let mut items = Vec::new();
        for row in store::queue(self.db(), source, QUEUE_PAGE).await? {
            let reports = self.report_views(row.id).await?;
            items.push(item_view(row, reports));
        }
        Ok(items)
    }

    /// "This was not rude": the author of a post sent for review after a nudge says the check
    /// was wrong. The moderator sees it as a possible false positive; approved, it is training
    /// material for the check (`guildhall moderation disputes`).
    pub async fn dispute_check(&self, viewer: &Viewer, post_id: i64) -> AppResult<()> {
        if store::mark_disputed(self.db(), post_id, viewer.id).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// The texts of disputed posts a moderator approved: the check's confirmed false positives.
    pub async fn approved_disputes(&self) -> AppResult<Vec<String>> {
        Ok(store::approved_disputes(self.db()).await?)
    }

    async fn report_views(&self, item_id: i64) -> AppResult<Vec<ReportView>> {
        Ok(store::reports(self.db(), item_id)
            .await?
            .into_iter()
            .map(|r| ReportView {
                reporter_name: r.reporter_name.unwrap_or_else(|| "Former member".into()),
                reason: r.reason,
                detail: r.detail,
                created_at: r.created_at,
            })
            .collect())
    }

    /// Puts a just-written post on hold inside the caller's transaction.
    pub(crate) async fn hold_post(
        &self,
        tx: &mut Tx,
        post_id: i64,
        author_id: i64,
        space_id: i64,
        text: &str,
        held: &super::screen::Held,
    ) -> AppResult<()> {
        let now = clock::now();
        let verdict =
            serde_json::to_value(&held.verdict).map_err(|e| AppError::Internal(e.to_string()))?;
        store::set_post_hidden(tx, post_id, Some(now)).await?;
        store::open_item(
            tx,
            &store::NewReviewItem {
                subject_kind: "post",
                subject_id: post_id,
                author_id: Some(author_id),
                space_id: Some(space_id),
                source: held.source,
                severity: held.severity(),
                excerpt: &guildhall_domain::threads::excerpt(text, 280),
                verdict: Some(&verdict),
                at: now,
            },
        )
        .await?;
        let hurtful = [Category::Rude, Category::Demeaning, Category::Threat];
        if hurtful.into_iter().any(|c| held.verdict.has(c)) {
            crate::insights::note_rudeness_towards(tx, post_id, "held as rude", now).await?;
        }
        Ok(())
    }

    /// Decides several items the same way (bulk actions); returns how many were decided.
    pub async fn decide_reviews(
        &self,
        viewer: &Viewer,
        ids: &[i64],
        decision: &ReviewDecision,
    ) -> AppResult<usize> {
        let mut decided = 0;
        for &id in ids {
            match self.decide_review(viewer, id, decision).await {
                Ok(()) => decided += 1,
                Err(AppError::Conflict { .. } | AppError::NotFound) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(decided)
    }

    pub async fn decide_review(
        &self,
        viewer: &Viewer,
        id: i64,
        decision: &ReviewDecision,
    ) -> AppResult<()> {
        viewer.require(Role::Moderator)?;
        let reason = guildhall_domain::fields::optional_line(&decision.reason, 500)
            .map_err(|m| AppError::invalid("reason", m))?;
        if reason.is_empty() && decision.action != ReviewAction::Approve {
            return Err(AppError::invalid(
                "reason",
                "Give the reason: the member reads it.",
            ));
        }
        let sanction = decision.action.sanction();
        let ends_at = match sanction {
            Some(SanctionKind::Mute | SanctionKind::Suspension) => {
                let hours = decision
                    .hours
                    .filter(|h| (1..=24 * 365).contains(h))
                    .ok_or_else(|| {
                        AppError::invalid("hours", "Say how long, from 1 hour to a year.")
                    })?;
                Some(clock::now() + Duration::hours(hours))
            }
            _ => None,
        };
        let row = store::item(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.status != "open" {
            return Err(decided_already());
        }
        let now = clock::now();
        // Gathered before the transaction, which must not wait for a second connection.
        let evidence = match decision.action {
            ReviewAction::Escalate => Some(self.escalation_evidence(&row).await?),
            _ => None,
        };
        let mut tx = self.db().begin().await?;
        let status = match decision.action {
            ReviewAction::Approve => "approved",
            ReviewAction::Escalate => "escalated",
            _ => "removed",
        };
        if !store::decide(&mut tx, id, status, viewer.id, &reason, now).await? {
            return Err(decided_already());
        }
        let is_post = row.subject_kind == "post";
        let subject = if is_post { "a post" } else { "a profile" };
        match decision.action {
            ReviewAction::Approve => {
                if is_post {
                    store::set_post_hidden(&mut tx, row.subject_id, None).await?;
                    store_threads::count_approved_post(&mut tx, row.subject_id, now).await?;
                    if let Some(space_id) = row.space_id {
                        crate::connectors::post_published(&mut tx, space_id, row.subject_id, now)
                            .await?;
                    }
                    let created = crate::nexus::federation::Change::Created;
                    crate::nexus::federation::post_changed(
                        self,
                        &mut tx,
                        row.subject_id,
                        created,
                        now,
                    )
                    .await?;
                }
            }
            ReviewAction::Escalate => {
                if let (Some(author), Some(evidence)) = (row.author_id, evidence) {
                    self.open_hr_case(&mut tx, author, "escalation", Some(viewer.id), evidence)
                        .await?;
                }
            }
            _ => {
                if is_post {
                    self.remove_post(&mut tx, row.subject_id).await?;
                }
                store_sanctions::log(&mut tx, "removed", "Moderator", subject, &reason, now)
                    .await?;
            }
        }
        if let (Some(kind), Some(author)) = (sanction, row.author_id) {
            self.apply_sanction(
                &mut tx,
                viewer,
                author,
                kind,
                &reason,
                ends_at,
                decision.in_space_only.then_some(row.space_id).flatten(),
                Some(id),
            )
            .await?;
        }
        let told = match decision.action {
            ReviewAction::Approve => {
                "A moderator looked at what you reported and found no rule broken."
            }
            ReviewAction::Escalate => {
                "A moderator looked at what you reported and passed it on to HR."
            }
            _ => "A moderator looked at what you reported and removed it. Thank you.",
        };
        for reporter in store::reporters(&mut tx, id).await? {
            crate::notify::record_notice(&mut tx, reporter, told).await?;
        }
        if let Some(author) = row.author_id {
            match decision.action {
                ReviewAction::Approve if row.source != "reported" => {
                    crate::notify::record_notice(
                        &mut tx,
                        author,
                        "A moderator approved what you wrote: it is published.",
                    )
                    .await?;
                }
                ReviewAction::Remove => {
                    crate::notify::record_notice(
                        &mut tx,
                        author,
                        &format!("A moderator removed {subject} of yours: {reason}"),
                    )
                    .await?;
                }
                _ => {}
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Soft-deletes a post (an opening post takes its thread) and drops it from search.
    async fn remove_post(&self, tx: &mut Tx, post_id: i64) -> AppResult<()> {
        let Some(post) = store_threads::post_in(tx, post_id).await? else {
            return Ok(());
        };
        let now = clock::now();
        let deleted = guildhall_domain::connectors::Event::Deleted;
        crate::connectors::post_changed(tx, post_id, deleted, now).await?;
        let gone = crate::nexus::federation::Change::Deleted;
        crate::nexus::federation::post_changed(self, tx, post_id, gone, now).await?;
        // Points earned by removed content go back (an answer accepted, "helpful" reactions).
        crate::rewards::take_back(tx, crate::rewards::Source::Post(post_id), None, None, now)
            .await?;
        let opening = store_threads::opening_post_id_in(tx, post.thread_id).await?;
        if opening == Some(post_id) {
            store_threads::delete_thread(tx, post.thread_id, now).await?;
            guildhall_store::search::remove_thread(tx, post.thread_id).await?;
        } else {
            store_threads::delete_post(tx, post_id, now).await?;
            guildhall_store::search::remove(tx, guildhall_store::search::DocKind::Post, post_id)
                .await?;
        }
        Ok(())
    }

    /// What HR needs about reported or held content: every version, the posts around it and
    /// the reports.
    async fn escalation_evidence(
        &self,
        row: &store::ReviewItemRow,
    ) -> AppResult<serde_json::Value> {
        let reports = self.report_views(row.id).await?;
        if row.subject_kind != "post" {
            return Ok(serde_json::json!({
                "subject": {"kind": row.subject_kind, "id": row.subject_id},
                "excerpt": row.excerpt,
                "reports": reports,
            }));
        }
        let Some(post) = store_threads::post(self.db(), row.subject_id).await? else {
            return Err(AppError::NotFound);
        };
        let mut versions: Vec<serde_json::Value> = store_threads::versions(self.db(), post.id)
            .await?
            .into_iter()
            .map(|v| serde_json::json!({"text": v.body, "replaced_at": v.created_at}))
            .collect();
        versions.push(serde_json::json!({"text": post.body, "current": true, "at": post.edited_at.unwrap_or(post.created_at)}));
        let mut around = store_threads::posts_before(self.db(), post.thread_id, post.id, 3).await?;
        around.extend(store_threads::posts(self.db(), post.thread_id, post.id - 1, 4).await?);
        let around: Vec<serde_json::Value> = around
            .into_iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.id, "author": p.author_name, "text": p.body, "at": p.created_at,
                })
            })
            .collect();
        Ok(serde_json::json!({
            "subject": {"kind": "post", "id": post.id, "thread_id": post.thread_id},
            "versions": versions,
            "context": around,
            "reports": reports,
            "check": row.verdict.as_ref().map(|v| v.0.clone()),
        }))
    }
}

fn decided_already() -> AppError {
    AppError::Conflict {
        code: "already_decided",
        message: "Another moderator decided this already.".into(),
    }
}
