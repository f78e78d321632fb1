//! Coach profiles: applying, editing, pausing and withdrawing; approval by an administrator or
//! facilitator, who tells the applicant.

use super::{changed_meanwhile, field, request_link, tell};
use crate::moderation::Place;
use crate::outbox::record_audit;
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::FieldErrors;
use guildhall_domain::coaching::availability::{format_windows, parse_windows};
use guildhall_domain::coaching::{
    CoachChange, CoachStatus, coach_status_after, month_of, parse_bio, parse_capacity,
    parse_coach_skills, parse_note,
};
use guildhall_domain::evidence::counted;
use guildhall_domain::people::profile::{parse_time_zone, skill_key};
use guildhall_store::coaching::{self as store, CoachFields, CoachRow};
use serde::Serialize;
use serde_json::json;

/// What a coach offers, as typed in the form.
#[derive(Debug, Clone, Default)]
pub struct CoachInput {
    /// Comma-separated skills.
    pub skills: String,
    /// Markdown.
    pub bio: String,
    /// Sessions a month.
    pub capacity: String,
    pub time_zone: String,
    /// Weekly windows, one a line: "Tue 09:00-11:00".
    pub availability: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoachView {
    pub user_id: i64,
    pub display_name: String,
    pub title: String,
    pub department: String,
    pub photo_url: Option<String>,
    /// pending, approved, declined, paused or withdrawn.
    pub status: String,
    pub status_label: String,
    pub bio: String,
    pub bio_html: String,
    pub skills: Vec<String>,
    pub capacity: i64,
    pub sessions_left: i64,
    pub time_zone: String,
    /// "Tue 09:00-11:00", in the coach's time zone.
    pub availability: Vec<String>,
    /// "4.6 from 5 ratings; 4 said it helped", when learners rated sessions.
    pub rating: Option<String>,
    pub decision_note: String,
    pub applied_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub mine: bool,
    /// Approved and not paused: learners can ask.
    pub taking_requests: bool,
}

impl App {
    async fn coach_view(&self, viewer: &Viewer, row: CoachRow) -> AppResult<CoachView> {
        let ids = [row.user_id];
        let skills = store::skills_of_coaches(self.db(), &ids)
            .await?
            .into_iter()
            .map(|(_, name, _)| name)
            .collect();
        let (from, to) = month_of(clock::now());
        let booked = store::booked_between(self.db(), &ids, from, to)
            .await?
            .first()
            .map_or(0, |(_, n)| *n);
        let rating = store::rating_summaries(self.db(), &ids)
            .await?
            .first()
            .filter(|r| r.ratings > 0)
            .map(|r| {
                let tenths = (r.rating_total * 10 + r.ratings / 2) / r.ratings;
                format!(
                    "{}.{} from {}; {} said it helped",
                    tenths / 10,
                    tenths % 10,
                    counted(r.ratings, "rating", "ratings"),
                    r.helped
                )
            });
        let status = CoachStatus::parse(&row.status).unwrap_or(CoachStatus::Withdrawn);
        Ok(CoachView {
            photo_url: crate::people::photo_url(row.user_id, row.photo_sha256.as_deref()),
            status_label: status.label().to_owned(),
            taking_requests: status == CoachStatus::Approved,
            bio_html: guildhall_domain::threads::render_markdown(&row.bio),
            availability: row.availability.lines().map(str::to_owned).collect(),
            sessions_left: (row.capacity - booked).max(0),
            mine: row.user_id == viewer.id,
            skills,
            rating,
            user_id: row.user_id,
            display_name: row.display_name,
            title: row.title,
            department: row.department,
            status: row.status,
            bio: row.bio,
            capacity: row.capacity,
            time_zone: row.time_zone,
            decision_note: row.decision_note,
            applied_at: row.applied_at,
            decided_at: row.decided_at,
        })
    }

    /// The viewer's own coach profile (any status), if they ever applied.
    pub async fn my_coach_profile(&self, viewer: &Viewer) -> AppResult<Option<CoachView>> {
        match store::coach(self.db(), viewer.id).await? {
            Some(row) => Ok(Some(self.coach_view(viewer, row).await?)),
            None => Ok(None),
        }
    }

    /// A coach as members see them: approved or paused coaches for everyone; an application
    /// for its applicant and for those who approve coaches; nothing else.
    pub async fn coach_profile(&self, viewer: &Viewer, user_id: i64) -> AppResult<CoachView> {
        let row = store::coach(self.db(), user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let public = matches!(row.status.as_str(), "approved" | "paused");
        let visible = public
            || row.user_id == viewer.id
            || (row.status == "pending" && self.may_approve_coaches(viewer).await?);
        if !visible {
            return Err(AppError::NotFound);
        }
        self.coach_view(viewer, row).await
    }

    /// Applies to coach, or changes what an applicant or coach offers. Applying again after a
    /// decline or a withdrawal is a new application.
    pub async fn save_coach_profile(
        &self,
        viewer: &Viewer,
        input: &CoachInput,
    ) -> AppResult<CoachStatus> {
        let mut errors = FieldErrors::new();
        let skills = errors.check("skills", parse_coach_skills(&input.skills));
        let bio = errors.check("bio", parse_bio(&input.bio));
        let capacity = errors.check("capacity", parse_capacity(&input.capacity));
        let time_zone = errors.check(
            "time_zone",
            parse_time_zone(&input.time_zone).and_then(|zone| {
                if zone.is_empty() {
                    Err("Choose your time zone, such as Europe/Berlin.".to_owned())
                } else {
                    Ok(zone)
                }
            }),
        );
        let availability = errors.check(
            "availability",
            parse_windows(&input.availability).and_then(|windows| {
                if windows.is_empty() {
                    Err("Give at least one weekly window, like “Tue 09:00-11:00”.".to_owned())
                } else {
                    Ok(format_windows(&windows))
                }
            }),
        );
        let (Some(skills), Some(bio), Some(capacity), Some(time_zone), Some(availability)) =
            (skills, bio, capacity, time_zone, availability)
        else {
            return Err(AppError::Invalid(errors));
        };
        let skills_text = skills.join(", ");
        self.screen(
            viewer,
            Place::Coaching,
            None,
            &[("skills", &skills_text), ("bio", &bio)],
            false,
        )
        .await?;
        let current = store::coach(self.db(), viewer.id)
            .await?
            .and_then(|c| CoachStatus::parse(&c.status));
        let status = field("status", coach_status_after(current, CoachChange::Save))?;
        let now = clock::now();
        let fields = CoachFields {
            user_id: viewer.id,
            bio: &bio,
            capacity,
            time_zone: &time_zone,
            availability: &availability,
            at: now,
        };
        let mut tx = self.db().begin().await?;
        if current.is_none_or(CoachStatus::is_closed) {
            store::apply(&mut tx, &fields).await?;
        } else {
            store::update_coach(&mut tx, &fields).await?;
        }
        let mut ids = Vec::with_capacity(skills.len());
        for skill in &skills {
            ids.push(
                guildhall_store::profiles::skill_id(&mut tx, skill, &skill_key(skill), now).await?,
            );
        }
        store::set_coach_skills(&mut tx, viewer.id, &ids).await?;
        tx.commit().await?;
        Ok(status)
    }

    /// Pauses, resumes or withdraws the viewer's coaching. Withdrawing declines the requests
    /// still waiting (their learners are told); sessions already planned stay until cancelled.
    pub async fn change_coaching(
        &self,
        viewer: &Viewer,
        change: CoachChange,
    ) -> AppResult<CoachStatus> {
        if !matches!(
            change,
            CoachChange::Pause | CoachChange::Resume | CoachChange::Withdraw
        ) {
            return Err(AppError::BadRequest(
                "Choose pause, resume or withdraw.".into(),
            ));
        }
        let current = store::coach(self.db(), viewer.id)
            .await?
            .and_then(|c| CoachStatus::parse(&c.status));
        let next = coach_status_after(current, change).map_err(|message| AppError::Conflict {
            code: "coach_status",
            message,
        })?;
        let Some(current) = current else {
            return Err(AppError::NotFound);
        };
        let waiting = if change == CoachChange::Withdraw {
            store::open_requests_for(self.db(), viewer.id).await?
        } else {
            Vec::new()
        };
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        if !store::set_coach_status(&mut tx, viewer.id, current.as_str(), next.as_str(), now)
            .await?
        {
            return Err(changed_meanwhile("coach_status"));
        }
        let note = "The coach stopped coaching.";
        for request in waiting {
            if store::set_request_status(&mut tx, request.id, "open", "declined", note, now).await?
            {
                tell(
                    &mut tx,
                    viewer,
                    request.learner_id,
                    &format!(
                        "{} stopped coaching, so your request “{}” was closed",
                        viewer.display_name, request.topic
                    ),
                    &request_link(request.id),
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(next)
    }

    /// Applications waiting for a decision, for administrators and facilitators.
    pub async fn coach_applications(
        &self,
        viewer: &Viewer,
        after: Option<i64>,
    ) -> AppResult<(Vec<CoachView>, Option<i64>)> {
        self.require_approver(viewer).await?;
        let after = match after {
            None => 0,
            Some(id) if id >= 0 => id,
            Some(_) => return Err(AppError::BadRequest("The page cursor is not valid.".into())),
        };
        let rows = store::pending_applications(self.db(), after, super::REQUESTS_PAGE).await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == super::REQUESTS_PAGE)
            .then(|| rows.last().map(|r| r.user_id))
            .flatten();
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            views.push(self.coach_view(viewer, row).await?);
        }
        Ok((views, next))
    }

    /// Approves or declines an application (not one's own); the applicant is told, and the
    /// decision is in the audit log.
    pub async fn decide_coach(
        &self,
        viewer: &Viewer,
        user_id: i64,
        approve: bool,
        note: &str,
    ) -> AppResult<()> {
        self.require_approver(viewer).await?;
        let note = field("note", parse_note(note))?;
        if user_id == viewer.id {
            return Err(AppError::forbidden(
                "own_application",
                "Someone else decides your own application.",
            ));
        }
        store::coach(self.db(), user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (status, action) = if approve {
            (CoachStatus::Approved, "coach.approved")
        } else {
            (CoachStatus::Declined, "coach.declined")
        };
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        if !store::decide_application(&mut tx, user_id, status.as_str(), viewer.id, &note, now)
            .await?
        {
            return Err(AppError::Conflict {
                code: "already_decided",
                message: "This application was decided already.".into(),
            });
        }
        record_audit(
            &mut tx,
            Some(viewer.id),
            action,
            &format!("user:{user_id}"),
            json!({ "note": note }),
        )
        .await?;
        let sentence = match (approve, note.is_empty()) {
            (true, _) => "Your application to coach was approved: learners can now find you and ask for help.".to_owned(),
            (false, true) => "Your application to coach was not approved.".to_owned(),
            (false, false) => format!("Your application to coach was not approved: {note}"),
        };
        tell(&mut tx, viewer, user_id, &sentence, "/coaching").await?;
        tx.commit().await?;
        Ok(())
    }
}
