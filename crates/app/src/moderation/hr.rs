//! HR cases: opened automatically for explicit content and by a moderator's escalation, with
//! evidence frozen at opening. Only [`HrOfficer`]s — people with the HR role — reach them, and
//! every view and action is written to the append-only HR audit log.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::people::Role;
use guildhall_store::Tx;
use guildhall_store::moderation::{conduct, hr as store, sanctions};
use serde::Serialize;

/// Proof that the viewer has the HR role: every HR use case takes one, so none can be called
/// for anyone else.
pub struct HrOfficer<'a>(&'a Viewer);

impl<'a> HrOfficer<'a> {
    pub fn new(viewer: &'a Viewer) -> AppResult<HrOfficer<'a>> {
        viewer.require(Role::Hr)?;
        Ok(HrOfficer(viewer))
    }

    pub fn id(&self) -> i64 {
        self.0.id
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Investigating,
    Closed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 3] = [
        CaseStatus::Open,
        CaseStatus::Investigating,
        CaseStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Investigating => "investigating",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<CaseStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseOutcome {
    NoAction,
    InformalConversation,
    FormalWarning,
    Suspension,
    ReferredToDisciplinary,
}

impl CaseOutcome {
    pub const ALL: [CaseOutcome; 5] = [
        CaseOutcome::NoAction,
        CaseOutcome::InformalConversation,
        CaseOutcome::FormalWarning,
        CaseOutcome::Suspension,
        CaseOutcome::ReferredToDisciplinary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseOutcome::NoAction => "no_action",
            CaseOutcome::InformalConversation => "informal_conversation",
            CaseOutcome::FormalWarning => "formal_warning",
            CaseOutcome::Suspension => "suspension",
            CaseOutcome::ReferredToDisciplinary => "referred_to_disciplinary",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseOutcome::NoAction => "No action",
            CaseOutcome::InformalConversation => "Informal conversation",
            CaseOutcome::FormalWarning => "Formal warning",
            CaseOutcome::Suspension => "Suspension",
            CaseOutcome::ReferredToDisciplinary => "Referred to the disciplinary process",
        }
    }

    pub fn parse(raw: &str) -> Option<CaseOutcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub id: i64,
    pub subject_user_id: i64,
    pub subject_name: String,
    pub source: String,
    pub status: String,
    pub outcome: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&store::CaseRow> for CaseSummary {
    fn from(row: &store::CaseRow) -> Self {
        CaseSummary {
            id: row.id,
            subject_user_id: row.subject_user_id,
            subject_name: row.subject_name.clone(),
            source: row.source.clone(),
            status: row.status.clone(),
            outcome: row.outcome.clone(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseNote {
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub case_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    pub case: CaseSummary,
    pub outcome_note: Option<String>,
    /// Frozen at opening: content and versions, context, reports, the accepted code of conduct,
    /// prior sanctions.
    pub evidence: serde_json::Value,
    /// The evidence includes an explicit image (downloaded only through an audited route).
    pub has_image: bool,
    pub member_told_at: Option<DateTime<Utc>>,
    pub appeal: Option<String>,
    pub appealed_at: Option<DateTime<Utc>>,
    pub notes: Vec<CaseNote>,
    pub audit: Vec<AuditEntry>,
}

/// What a member sees of a case about them once HR told them the outcome.
#[derive(Debug, Clone, Serialize)]
pub struct MyCase {
    pub id: i64,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub told_at: Option<DateTime<Utc>>,
    pub appeal: Option<String>,
}

fn audit_entry(row: store::AuditRow) -> AuditEntry {
    AuditEntry {
        case_id: row.case_id,
        actor_name: row.actor_name.unwrap_or_else(|| "Guildhall".into()),
        action: row.action,
        created_at: row.created_at,
    }
}

impl App {
    /// Opens a case inside the caller's transaction, adding to `content` what HR needs: the
    /// code of conduct version the person accepted and their prior sanctions.
    pub(crate) async fn open_hr_case(
        &self,
        tx: &mut Tx,
        subject_user_id: i64,
        source: &str,
        opened_by: Option<i64>,
        content: serde_json::Value,
    ) -> AppResult<i64> {
        let accepted = conduct::accepted_in(tx, subject_user_id).await?;
        let prior: Vec<serde_json::Value> = sanctions::for_user_in(tx, subject_user_id)
            .await?
            .into_iter()
            .map(|s| {
                serde_json::json!({
                    "kind": s.kind, "reason": s.reason, "at": s.created_at, "ends_at": s.ends_at,
                })
            })
            .collect();
        let evidence = serde_json::json!({
            "content": content,
            "accepted_conduct": accepted.map(|(version, at)| serde_json::json!({"version": version, "accepted_at": at})),
            "prior_sanctions": prior,
        });
        Ok(store::open_case(
            tx,
            subject_user_id,
            source,
            opened_by,
            &evidence,
            clock::now(),
        )
        .await?)
    }

    pub async fn hr_cases(
        &self,
        officer: &HrOfficer<'_>,
        status: Option<CaseStatus>,
    ) -> AppResult<Vec<CaseSummary>> {
        let rows = store::cases(self.db(), status.map(CaseStatus::as_str), 200).await?;
        let mut tx = self.db().begin().await?;
        store::audit(
            &mut tx,
            None,
            Some(officer.id()),
            "listed cases",
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(rows.iter().map(CaseSummary::from).collect())
    }

    pub async fn hr_case(&self, officer: &HrOfficer<'_>, id: i64) -> AppResult<CaseDetail> {
        let row = store::case(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut tx = self.db().begin().await?;
        store::audit(
            &mut tx,
            Some(id),
            Some(officer.id()),
            "viewed",
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        let notes = store::notes(self.db(), id)
            .await?
            .into_iter()
            .map(|n| CaseNote {
                author_name: n.author_name.unwrap_or_else(|| "Former member".into()),
                body: n.body,
                created_at: n.created_at,
            })
            .collect();
        let audit = store::audit_log(self.db(), Some(id), 200)
            .await?
            .into_iter()
            .map(audit_entry)
            .collect();
        Ok(CaseDetail {
            has_image: row.evidence.0["content"]["image"]["sha256"].is_string(),
            case: CaseSummary::from(&row),
            outcome_note: row.outcome_note,
            evidence: row.evidence.0,
            member_told_at: row.member_told_at,
            appeal: row.appeal,
            appealed_at: row.appealed_at,
            notes,
            audit,
        })
    }

    /// The explicit image kept as evidence in a case, for HR only; the download is audited.
    pub async fn hr_evidence_image(
        &self,
        officer: &HrOfficer<'_>,
        id: i64,
    ) -> AppResult<crate::threads::AttachmentFile> {
        let row = store::case(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let image = &row.evidence.0["content"]["image"];
        let (Some(sha256), Some(file_name)) =
            (image["sha256"].as_str(), image["file_name"].as_str())
        else {
            return Err(AppError::NotFound);
        };
        let bytes = self
            .inner
            .files
            .get(sha256)
            .await
            .map_err(|_| AppError::NotFound)?;
        let kind = guildhall_domain::threads::FileKind::sniff(&bytes).ok_or(AppError::NotFound)?;
        let mut tx = self.db().begin().await?;
        store::audit(
            &mut tx,
            Some(id),
            Some(officer.id()),
            "downloaded the image",
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(crate::threads::AttachmentFile {
            file_name: guildhall_domain::threads::clean_file_name(file_name),
            kind,
            bytes,
        })
    }

    pub async fn hr_add_note(&self, officer: &HrOfficer<'_>, id: i64, body: &str) -> AppResult<()> {
        let body = guildhall_domain::spaces::parse_long_text(body, 10_000, true)
            .map_err(|m| AppError::invalid("body", m))?;
        if body.is_empty() {
            return Err(AppError::invalid("body", "Write the note first."));
        }
        store::case(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::add_note(&mut tx, id, officer.id(), &body, now).await?;
        store::audit(&mut tx, Some(id), Some(officer.id()), "added a note", now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a case on; closing needs an outcome, and `tell_member` shows the outcome to the
    /// member (who may then appeal once).
    pub async fn hr_update_case(
        &self,
        officer: &HrOfficer<'_>,
        id: i64,
        status: CaseStatus,
        outcome: Option<CaseOutcome>,
        outcome_note: &str,
        tell_member: bool,
    ) -> AppResult<()> {
        let row = store::case(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if status == CaseStatus::Closed && outcome.is_none() {
            return Err(AppError::invalid(
                "outcome",
                "Choose the outcome before closing.",
            ));
        }
        if tell_member && outcome.is_none() {
            return Err(AppError::invalid(
                "outcome",
                "Choose the outcome before telling the member.",
            ));
        }
        let note = guildhall_domain::spaces::parse_long_text(outcome_note, 5_000, false)
            .map_err(|m| AppError::invalid("outcome_note", m))?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::update_case(
            &mut tx,
            id,
            &store::CaseUpdate {
                status: status.as_str(),
                outcome: outcome.map(CaseOutcome::as_str),
                outcome_note: Some(&note).filter(|n| !n.is_empty()).map(String::as_str),
                tell_member,
                at: now,
            },
        )
        .await?;
        let action = format!(
            "set status {} (was {}){}{}",
            status.as_str(),
            row.status,
            outcome.map_or(String::new(), |o| format!(", outcome {}", o.as_str())),
            if tell_member { ", told the member" } else { "" }
        );
        store::audit(&mut tx, Some(id), Some(officer.id()), &action, now).await?;
        if tell_member && row.member_told_at.is_none() {
            crate::notify::record_notice(
                &mut tx,
                row.subject_user_id,
                "HR shared the outcome of a case about you: see your moderation history.",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn hr_audit_log(&self, officer: &HrOfficer<'_>) -> AppResult<Vec<AuditEntry>> {
        if !officer.0.has(Role::Admin) {
            return Err(AppError::forbidden(
                "role_required",
                "The HR audit log is for HR administrators (HR and Admin roles).",
            ));
        }
        Ok(store::audit_log(self.db(), None, 500)
            .await?
            .into_iter()
            .map(audit_entry)
            .collect())
    }

    /// The cases about the viewer whose outcome HR shared.
    pub async fn my_hr_cases(&self, viewer: &Viewer) -> AppResult<Vec<MyCase>> {
        Ok(store::cases_of(self.db(), viewer.id)
            .await?
            .into_iter()
            .map(|c| MyCase {
                id: c.id,
                outcome: c
                    .outcome
                    .as_deref()
                    .and_then(CaseOutcome::parse)
                    .map(|o| o.label().to_owned()),
                outcome_note: c.outcome_note,
                told_at: c.member_told_at,
                appeal: c.appeal,
            })
            .collect())
    }

    pub async fn appeal_hr_case(&self, viewer: &Viewer, id: i64, text: &str) -> AppResult<()> {
        let text = guildhall_domain::spaces::parse_long_text(text, 5_000, true)
            .map_err(|m| AppError::invalid("statement", m))?;
        if text.is_empty() {
            return Err(AppError::invalid("statement", "Say why you appeal."));
        }
        let case = store::case(self.db(), id)
            .await?
            .filter(|c| c.subject_user_id == viewer.id && c.member_told_at.is_some())
            .ok_or(AppError::NotFound)?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        if !store::record_appeal(&mut tx, case.id, &text, now).await? {
            return Err(AppError::Conflict {
                code: "already_appealed",
                message: "You appealed this outcome already.".into(),
            });
        }
        store::audit(
            &mut tx,
            Some(case.id),
            Some(viewer.id),
            "member appealed",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
