//! The care queue: the signals a helper may see (as partner, facilitator of the space, or
//! coach), what they do about them, and for an unanswered question, people who know the topic.
//! Every signal shown is a logged view the member can read.

use crate::notify::{NotificationKind, record_linked};
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, NaiveDate, Utc};
use guildhall_domain::insights::{CareStep, Helper, SignalKind, may_see, status_after};
use guildhall_domain::people::profile::skill_key;
use guildhall_store::insights::{self as store, HelpSignalRow};
use serde::Serialize;

const PAGE: i64 = 50;
const MAX_NOTE_CHARS: usize = 2000;

#[derive(Debug, Clone, Serialize)]
pub struct CareItem {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub kind: SignalKind,
    pub label: &'static str,
    /// Why, in one sentence.
    pub reason: String,
    pub since: NaiveDate,
    pub raised_at: DateTime<Utc>,
    /// The evidence, which the helper may already read.
    pub link: String,
    pub space_name: Option<String>,
    /// open, claimed, reached_out, resolved or not_needed.
    pub status: String,
    pub claimed_by_name: Option<String>,
    pub claimed_by_me: bool,
    /// How the viewer is related to the member.
    pub relation: Helper,
}

#[derive(Debug, Clone, Serialize)]
pub struct CareAction {
    pub actor_name: Option<String>,
    pub action: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// Someone who knows the topic of an unanswered question.
#[derive(Debug, Clone, Serialize)]
pub struct Expert {
    pub id: i64,
    pub display_name: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CareDetail {
    pub item: CareItem,
    pub actions: Vec<CareAction>,
    pub experts: Vec<Expert>,
}

impl CareItem {
    pub fn status_label(&self) -> &'static str {
        super::status_label(&self.status)
    }

    pub fn is_done(&self) -> bool {
        matches!(self.status.as_str(), "resolved" | "not_needed")
    }
}

fn item(row: HelpSignalRow, relation: Helper, viewer: &Viewer) -> Option<CareItem> {
    let kind = SignalKind::parse(&row.kind)?;
    Some(CareItem {
        id: row.id,
        member_id: row.user_id,
        member_name: row.member_name,
        kind,
        label: kind.label(),
        reason: row.reason,
        since: row.period,
        raised_at: row.created_at,
        link: row.link,
        space_name: row.space_name,
        claimed_by_me: row.claimed_by == Some(viewer.id),
        status: row.status,
        claimed_by_name: row.claimed_by_name,
        relation,
    })
}

impl App {
    /// The signals the viewer may help with, newest first (keyset: ids below `before`). Empty
    /// in strict mode. Each one shown is logged as viewed.
    pub async fn care_queue(
        &self,
        viewer: &Viewer,
        before: Option<i64>,
    ) -> AppResult<Vec<CareItem>> {
        let strict = self.settings().insights.strict;
        if strict {
            return Ok(Vec::new());
        }
        let rows =
            store::signals_for_helper(self.db(), viewer.id, before.unwrap_or(i64::MAX), PAGE)
                .await?;
        let mut items: Vec<CareItem> = Vec::new();
        for (row, relation) in rows {
            let Some(relation) = Helper::parse(&relation) else {
                continue;
            };
            let visible = SignalKind::parse(&row.kind)
                .is_some_and(|kind| may_see(relation, kind, row.paused, strict));
            if visible && !items.iter().any(|i| i.id == row.id) {
                items.extend(item(row, relation, viewer));
            }
        }
        self.log_views(viewer, &items).await?;
        Ok(items)
    }

    async fn log_views(&self, viewer: &Viewer, items: &[CareItem]) -> AppResult<()> {
        let views: Vec<(i64, i64, &str)> = items
            .iter()
            .map(|i| (i.id, i.member_id, i.relation.as_str()))
            .collect();
        store::log_views(self.db(), &views, viewer.id, clock::now()).await?;
        Ok(())
    }

    /// One signal the viewer may help with; "not found" for anyone else (HR, managers and
    /// administrators included: a role is not a helping relation).
    async fn visible_signal(&self, viewer: &Viewer, id: i64) -> AppResult<CareItem> {
        let row = store::help_signal(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.user_id == viewer.id {
            return Err(AppError::NotFound); // their own: /me/insights
        }
        let relation = store::relation_to(self.db(), viewer.id, row.user_id, row.space_id)
            .await?
            .and_then(|r| Helper::parse(&r))
            .ok_or(AppError::NotFound)?;
        let strict = self.settings().insights.strict;
        let kind = SignalKind::parse(&row.kind).ok_or(AppError::NotFound)?;
        if !may_see(relation, kind, row.paused, strict) {
            return Err(AppError::NotFound);
        }
        item(row, relation, viewer).ok_or(AppError::NotFound)
    }

    pub async fn care_signal(&self, viewer: &Viewer, id: i64) -> AppResult<CareDetail> {
        let item = self.visible_signal(viewer, id).await?;
        let actions = store::actions_of(self.db(), id)
            .await?
            .into_iter()
            .map(|a| CareAction {
                actor_name: a.actor_name,
                action: a.action,
                note: a.note,
                at: a.created_at,
            })
            .collect();
        let experts = if item.kind == SignalKind::UnansweredQuestion {
            self.experts_for(viewer, &item).await?
        } else {
            Vec::new()
        };
        self.log_views(viewer, std::slice::from_ref(&item)).await?;
        Ok(CareDetail {
            item,
            actions,
            experts,
        })
    }

    /// Up to three people who know the question's topic: skills of the vocabulary named in
    /// its title, ranked by the "who knows" evidence; never the asker or the viewer.
    async fn experts_for(&self, viewer: &Viewer, item: &CareItem) -> AppResult<Vec<Expert>> {
        let title = item
            .reason
            .split('“')
            .nth(1)
            .and_then(|rest| rest.split('”').next())
            .unwrap_or_default();
        let words: Vec<&str> = title
            .split(|c: char| !(c.is_alphanumeric() || "+#.-".contains(c)))
            .filter(|w| !w.is_empty())
            .collect();
        let mut experts: Vec<Expert> = Vec::new();
        for size in (1..=3).rev() {
            for phrase in words.windows(size) {
                let key = skill_key(&phrase.join(" "));
                if guildhall_store::profiles::skill_by_key(self.db(), &key)
                    .await?
                    .is_none()
                {
                    continue;
                }
                for person in self.who_knows(viewer, &key, "").await?.people {
                    let taken = experts.iter().any(|e| e.id == person.id);
                    if !taken && person.id != item.member_id && person.id != viewer.id {
                        experts.push(Expert {
                            id: person.id,
                            display_name: person.display_name,
                            reasons: person.reasons,
                        });
                    }
                }
                if experts.len() >= 3 {
                    experts.truncate(3);
                    return Ok(experts);
                }
            }
        }
        Ok(experts)
    }

    /// "I'll reach out", "reached out" (with a private note), "resolved", "not needed".
    pub async fn care_act(
        &self,
        viewer: &Viewer,
        id: i64,
        step: &str,
        note: &str,
    ) -> AppResult<()> {
        let step = CareStep::parse(step).ok_or_else(|| {
            AppError::invalid(
                "action",
                "Choose claim, reached_out, resolved or not_needed.",
            )
        })?;
        let note = note.trim();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(AppError::invalid(
                "note",
                format!("Keep the note under {MAX_NOTE_CHARS} characters."),
            ));
        }
        let item = self.visible_signal(viewer, id).await?;
        let someone_else = item
            .claimed_by_name
            .as_deref()
            .filter(|_| !item.claimed_by_me);
        let status = status_after(&item.status, step, someone_else).map_err(|message| {
            AppError::Conflict {
                code: "care_taken",
                message,
            }
        })?;
        let claimer = (step == CareStep::Claim).then_some(viewer.id);
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::set_status_in(&mut tx, id, status, claimer, now).await?;
        store::insert_action_in(&mut tx, id, viewer.id, step.as_str(), note, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A one-click invitation to answer an unanswered question, to one of its experts.
    pub async fn invite_to_answer(&self, viewer: &Viewer, id: i64, person: i64) -> AppResult<()> {
        let item = self.visible_signal(viewer, id).await?;
        if item.kind != SignalKind::UnansweredQuestion {
            return Err(AppError::invalid(
                "person",
                "Only unanswered questions take invitations.",
            ));
        }
        let experts = self.experts_for(viewer, &item).await?;
        let Some(expert) = experts.iter().find(|e| e.id == person) else {
            return Err(AppError::invalid(
                "person",
                "Invite one of the people listed as knowing the topic.",
            ));
        };
        let sentence = format!(
            "{} asks whether you could answer a question you know about.",
            viewer.display_name
        );
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        record_linked(
            &mut tx,
            person,
            NotificationKind::Invitation,
            Some(viewer.id),
            &sentence,
            &item.link,
        )
        .await?;
        let note = format!("Invited {} to answer.", expert.display_name);
        store::insert_action_in(&mut tx, id, viewer.id, "invited", &note, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
