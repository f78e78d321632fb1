//! Sanctions: warning (acknowledged before writing again), mute (for a time, everywhere or in a
//! space), suspension (for a time), ban. Members see their own history and appeal a sanction
//! once; a different moderator decides. The public log names the role, never the moderator.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::people::Role;
use guildhall_store::Tx;
use guildhall_store::moderation::sanctions as store;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionKind {
    Warning,
    Mute,
    Suspension,
    Ban,
}

impl SanctionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SanctionKind::Warning => "warning",
            SanctionKind::Mute => "mute",
            SanctionKind::Suspension => "suspension",
            SanctionKind::Ban => "ban",
        }
    }

    /// The account status the sanction leaves behind, for those that end sign-in.
    fn account_status(self) -> Option<&'static str> {
        match self {
            SanctionKind::Suspension => Some("suspended"),
            SanctionKind::Ban => Some("banned"),
            _ => None,
        }
    }

    fn logged_as(self) -> &'static str {
        match self {
            SanctionKind::Warning => "warned a member",
            SanctionKind::Mute => "muted a member",
            SanctionKind::Suspension => "suspended a member",
            SanctionKind::Ban => "banned a member",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SanctionView {
    pub id: i64,
    pub kind: String,
    pub space_name: Option<String>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub needs_acknowledgement: bool,
    pub lifted: bool,
    pub can_appeal: bool,
    /// `pending`, `upheld` or `lifted` once appealed.
    pub appeal: Option<String>,
}

impl From<store::SanctionRow> for SanctionView {
    fn from(s: store::SanctionRow) -> Self {
        SanctionView {
            needs_acknowledgement: s.kind == "warning"
                && s.acknowledged_at.is_none()
                && s.lifted_at.is_none(),
            lifted: s.lifted_at.is_some(),
            can_appeal: s.appeal_id.is_none() && s.lifted_at.is_none(),
            appeal: s
                .appeal_id
                .map(|_| s.appeal_outcome.clone().unwrap_or_else(|| "pending".into())),
            id: s.id,
            kind: s.kind,
            space_name: s.space_name,
            reason: s.reason,
            created_at: s.created_at,
            ends_at: s.ends_at,
        }
    }
}

/// A member's own moderation history.
#[derive(Debug, Clone, Serialize)]
pub struct MyStanding {
    pub sanctions: Vec<SanctionView>,
    pub hr_outcomes: Vec<super::hr::MyCase>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppealView {
    pub id: i64,
    pub member_name: String,
    pub sanction_kind: String,
    pub sanction_reason: String,
    pub statement: String,
    pub created_at: DateTime<Utc>,
    /// The moderator who sanctioned may not decide the appeal.
    pub decidable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub action: String,
    pub role: String,
    pub subject: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl App {
    /// Records a sanction in the caller's transaction: ends sign-in for suspensions and bans,
    /// tells the member and writes the public log.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn apply_sanction(
        &self,
        tx: &mut Tx,
        by: &Viewer,
        user_id: i64,
        kind: SanctionKind,
        reason: &str,
        ends_at: Option<DateTime<Utc>>,
        space_id: Option<i64>,
        review_item_id: Option<i64>,
    ) -> AppResult<i64> {
        let now = clock::now();
        let id = store::insert(
            tx,
            &store::NewSanction {
                user_id,
                kind: kind.as_str(),
                space_id,
                reason,
                review_item_id,
                created_by: by.id,
                at: now,
                ends_at,
            },
        )
        .await?;
        if let Some(status) = kind.account_status() {
            guildhall_store::people::set_status(tx, user_id, status, now).await?;
            guildhall_store::people::end_sessions(tx, user_id).await?;
            self.inner.viewers.forget_person(user_id);
        }
        let until = ends_at.map_or(String::new(), |t| {
            format!(" until {} UTC", t.format("%Y-%m-%d %H:%M"))
        });
        let sentence = match kind {
            SanctionKind::Warning => format!(
                "A moderator warned you: {reason}. Please acknowledge it in your moderation history."
            ),
            SanctionKind::Mute => format!("A moderator muted you{until}: {reason}."),
            SanctionKind::Suspension => format!("A moderator suspended you{until}: {reason}."),
            SanctionKind::Ban => format!("A moderator banned you: {reason}."),
        };
        crate::notify::record_notice(tx, user_id, &sentence).await?;
        store::log(tx, kind.logged_as(), "Moderator", "a member", reason, now).await?;
        Ok(id)
    }

    pub async fn my_standing(&self, viewer: &Viewer) -> AppResult<MyStanding> {
        Ok(MyStanding {
            sanctions: store::for_user(self.db(), viewer.id)
                .await?
                .into_iter()
                .map(SanctionView::from)
                .collect(),
            hr_outcomes: self.my_hr_cases(viewer).await?,
        })
    }

    pub async fn acknowledge_warning(&self, viewer: &Viewer, id: i64) -> AppResult<()> {
        if store::acknowledge(self.db(), id, viewer.id, clock::now()).await? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn appeal_sanction(
        &self,
        viewer: &Viewer,
        id: i64,
        statement: &str,
    ) -> AppResult<()> {
        self.record_appeal(viewer.id, id, statement).await
    }

    async fn record_appeal(&self, user_id: i64, id: i64, statement: &str) -> AppResult<()> {
        let statement = guildhall_domain::spaces::parse_long_text(statement, 5_000, true)
            .map_err(|m| AppError::invalid("statement", m))?;
        let sanction = store::sanction(self.db(), id)
            .await?
            .filter(|s| s.user_id == user_id)
            .ok_or(AppError::NotFound)?;
        if sanction.lifted_at.is_some() {
            return Err(AppError::invalid(
                "statement",
                "This sanction was lifted already.",
            ));
        }
        if !store::insert_appeal(self.db(), id, user_id, &statement, clock::now()).await? {
            return Err(AppError::Conflict {
                code: "already_appealed",
                message: "You can appeal a sanction once, and you did.".into(),
            });
        }
        Ok(())
    }

    pub async fn open_appeals(&self, viewer: &Viewer) -> AppResult<Vec<AppealView>> {
        viewer.require(Role::Moderator)?;
        Ok(store::open_appeals(self.db())
            .await?
            .into_iter()
            .map(|a| AppealView {
                decidable: a.sanctioned_by != Some(viewer.id) && a.user_id != viewer.id,
                id: a.id,
                member_name: a.user_name,
                sanction_kind: a.sanction_kind,
                sanction_reason: a.sanction_reason,
                statement: a.statement,
                created_at: a.created_at,
            })
            .collect())
    }

    /// Upholds or lifts a sanction on appeal; never by the moderator who imposed it.
    pub async fn decide_appeal(
        &self,
        viewer: &Viewer,
        id: i64,
        lift: bool,
        note: &str,
    ) -> AppResult<()> {
        viewer.require(Role::Moderator)?;
        let note = guildhall_domain::fields::optional_line(note, 500)
            .map_err(|m| AppError::invalid("note", m))?;
        let appeal = store::appeal(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if appeal.sanctioned_by == Some(viewer.id) || appeal.user_id == viewer.id {
            return Err(AppError::forbidden(
                "different_moderator_required",
                "A different moderator decides this appeal.",
            ));
        }
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let outcome = if lift { "lifted" } else { "upheld" };
        if !store::decide_appeal(&mut tx, id, viewer.id, outcome, &note, now).await? {
            return Err(AppError::Conflict {
                code: "already_decided",
                message: "Another moderator decided this appeal already.".into(),
            });
        }
        if lift {
            store::lift(&mut tx, appeal.sanction_id, now).await?;
            if matches!(appeal.sanction_kind.as_str(), "suspension" | "ban") {
                guildhall_store::people::set_status(&mut tx, appeal.user_id, "active", now).await?;
            }
            store::log(
                &mut tx,
                "lifted a sanction on appeal",
                "Moderator",
                "a member",
                &note,
                now,
            )
            .await?;
        }
        let sentence = if lift {
            format!(
                "Your appeal was accepted and the {} lifted.",
                appeal.sanction_kind
            )
        } else {
            format!(
                "Your appeal was heard and the {} stays: {note}",
                appeal.sanction_kind
            )
        };
        crate::notify::record_notice(&mut tx, appeal.user_id, &sentence).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Why a person cannot sign in: a suspension or ban names its reason and end, so they can
    /// appeal from the sign-in page (they have no session to reach their history).
    pub(crate) async fn locked_out(&self, user_id: i64, status: &str) -> AppResult<AppError> {
        let sanction = self.account_sanction(user_id).await?;
        Ok(match (status, sanction) {
            ("suspended" | "banned", Some(s)) => {
                let until = s.ends_at.map_or(String::new(), |t| {
                    format!(" until {} UTC", t.format("%Y-%m-%d %H:%M"))
                });
                let (code, what) = if s.kind == "ban" {
                    ("account_banned", "banned")
                } else {
                    ("account_suspended", "suspended")
                };
                AppError::forbidden(
                    code,
                    format!("A moderator {what} this account{until}: {}.", s.reason),
                )
            }
            _ => AppError::forbidden(
                "account_inactive",
                "This account is not active. Please contact an administrator.",
            ),
        })
    }

    /// The suspension or ban in force, newest first.
    async fn account_sanction(&self, user_id: i64) -> AppResult<Option<store::SanctionRow>> {
        Ok(store::for_user(self.db(), user_id)
            .await?
            .into_iter()
            .find(|s| matches!(s.kind.as_str(), "suspension" | "ban") && s.lifted_at.is_none()))
    }

    /// A suspended or banned person appeals from the sign-in page, proving who they are with
    /// their password (they cannot sign in).
    pub async fn appeal_locked_out(
        &self,
        email: &str,
        password: &str,
        ip: &str,
        statement: &str,
    ) -> AppResult<()> {
        let user = self.verified_user(email, password, ip).await?;
        let sanction = self
            .account_sanction(user.id)
            .await?
            .filter(|_| matches!(user.status.as_str(), "suspended" | "banned"))
            .ok_or_else(|| AppError::invalid("email", "This account has nothing to appeal."))?;
        self.record_appeal(user.id, sanction.id, statement).await
    }

    /// Lets a suspended person back in once every suspension has ended.
    pub(crate) async fn end_finished_suspension(&self, user_id: i64) -> AppResult<bool> {
        let now = clock::now();
        let ends = store::active_suspension_end(self.db(), user_id).await?;
        if ends.is_some_and(|end| end <= now) {
            let mut tx = self.db().begin().await?;
            guildhall_store::people::set_status(&mut tx, user_id, "active", now).await?;
            tx.commit().await?;
            return Ok(true);
        }
        Ok(false)
    }

    /// The public moderation log: what was removed or sanctioned and why, by role.
    pub async fn moderation_log(&self, before: Option<i64>) -> AppResult<Vec<LogEntry>> {
        Ok(store::public_log(self.db(), before.unwrap_or(i64::MAX), 50)
            .await?
            .into_iter()
            .map(|l| LogEntry {
                id: l.id,
                action: l.action,
                role: l.role,
                subject: l.subject,
                reason: l.reason,
                created_at: l.created_at,
            })
            .collect())
    }
}
