//! Requests for coaching: a learner asks an approved coach (topic, goal, preferred times); the
//! coach declines with a note or plans sessions (see `sessions`); the learner may withdraw.
//! A request is seen by its learner and its coach only.

use super::profiles::CoachView;
use super::sessions::SessionView;
use super::{REQUESTS_PAGE, changed_meanwhile, field, request_link, side_of, tell};
use crate::moderation::Place;
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use guildhall_domain::FieldErrors;
use guildhall_domain::coaching::availability::{format_windows, parse_windows};
use guildhall_domain::coaching::{RequestStatus, Side, parse_goal, parse_note, parse_topic};
use guildhall_store::coaching::{self as store, NewRequest, RequestRow};
use serde::Serialize;

#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    pub coach_id: i64,
    /// A skill of the vocabulary, or empty.
    pub skill: String,
    pub topic: String,
    /// Markdown: what the learner wants to be able to do.
    pub goal: String,
    /// Weekly windows, one a line, or empty.
    pub preferred_times: String,
    /// Empty for the learner's profile time zone.
    pub time_zone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestSummary {
    pub id: i64,
    pub learner_id: i64,
    pub learner_name: String,
    pub coach_id: i64,
    pub coach_name: String,
    pub skill: Option<String>,
    pub topic: String,
    /// open, active, declined or withdrawn.
    pub status: String,
    pub status_label: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub i_am_coach: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    pub request: RequestSummary,
    pub goal: String,
    pub goal_html: String,
    /// The learner's preferred weekly windows in `time_zone`.
    pub preferred_times: Vec<String>,
    pub time_zone: String,
    pub decline_note: String,
    pub sessions: Vec<SessionView>,
    /// The coach may plan (schedule or propose) a session.
    pub can_plan: bool,
    pub can_decline: bool,
    pub can_withdraw: bool,
}

/// The viewer's coaching at a glance.
#[derive(Debug, Clone, Serialize)]
pub struct CoachingHome {
    pub coach: Option<CoachView>,
    pub may_approve: bool,
    pub upcoming: Vec<SessionView>,
    pub sent: Vec<RequestSummary>,
    pub sent_next: Option<i64>,
    pub received: Vec<RequestSummary>,
    pub received_next: Option<i64>,
}

pub(crate) fn summary(viewer: &Viewer, row: &RequestRow) -> RequestSummary {
    let status = RequestStatus::parse(&row.status).unwrap_or(RequestStatus::Withdrawn);
    RequestSummary {
        id: row.id,
        learner_id: row.learner_id,
        learner_name: row.learner_name.clone(),
        coach_id: row.coach_id,
        coach_name: row.coach_name.clone(),
        skill: row.skill_name.clone(),
        topic: row.topic.clone(),
        status: row.status.clone(),
        status_label: status.label().to_owned(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        i_am_coach: row.coach_id == viewer.id,
    }
}

impl App {
    /// The request and the viewer's side of it; anyone else is told it does not exist.
    pub(crate) async fn request_for(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> AppResult<(RequestRow, Side)> {
        let row = store::request(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let side = side_of(viewer, row.coach_id, row.learner_id)?;
        Ok((row, side))
    }

    /// Asks an approved coach for help; the coach is told. One waiting request per coach.
    pub async fn request_coaching(&self, viewer: &Viewer, input: &RequestInput) -> AppResult<i64> {
        if input.coach_id == viewer.id {
            return Err(AppError::invalid(
                "coach_id",
                "You cannot ask yourself for coaching.",
            ));
        }
        let coach = store::coach(self.db(), input.coach_id)
            .await?
            .filter(|c| matches!(c.status.as_str(), "approved" | "paused"))
            .ok_or(AppError::NotFound)?;
        if coach.status != "approved" {
            return Err(AppError::Conflict {
                code: "coach_paused",
                message: format!("{} is not taking requests right now.", coach.display_name),
            });
        }
        self.active_person(coach.user_id).await?;
        let mut errors = FieldErrors::new();
        let topic = errors.check("topic", parse_topic(&input.topic));
        let goal = errors.check("goal", parse_goal(&input.goal));
        let times = errors.check("preferred_times", parse_windows(&input.preferred_times));
        let zone = match input.time_zone.trim() {
            "" => Some(self.time_zone_of(viewer.id).await?),
            raw => errors.check(
                "time_zone",
                raw.parse::<Tz>()
                    .map_err(|_| "Choose a time zone such as Europe/Berlin.".to_owned()),
            ),
        };
        let skill = match input.skill.trim() {
            "" => Some(None),
            raw => match self.known_skill(raw).await {
                Ok((id, _)) => Some(Some(id)),
                Err(AppError::Invalid(problem)) => {
                    for (name, message) in problem.iter() {
                        errors.add(name, message);
                    }
                    None
                }
                Err(other) => return Err(other),
            },
        };
        let (Some(topic), Some(goal), Some(times), Some(zone), Some(skill_id)) =
            (topic, goal, times, zone, skill)
        else {
            return Err(AppError::Invalid(errors));
        };
        if store::open_request_between(self.db(), viewer.id, coach.user_id)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict {
                code: "request_open",
                message: format!(
                    "You have a request waiting for {} already.",
                    coach.display_name
                ),
            });
        }
        self.screen(
            viewer,
            Place::Coaching,
            None,
            &[("topic", &topic), ("goal", &goal)],
            false,
        )
        .await?;
        let mut tx = self.db().begin().await?;
        let id = store::insert_request(
            &mut tx,
            &NewRequest {
                learner_id: viewer.id,
                coach_id: coach.user_id,
                skill_id,
                topic: &topic,
                goal: &goal,
                preferred_times: &format_windows(&times),
                time_zone: zone.name(),
                at: clock::now(),
            },
        )
        .await?;
        tell(
            &mut tx,
            viewer,
            coach.user_id,
            &format!("{} asks you for coaching: “{topic}”", viewer.display_name),
            &request_link(id),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A request with its sessions, for its learner or coach.
    pub async fn coaching_request(&self, viewer: &Viewer, id: i64) -> AppResult<RequestView> {
        let (row, side) = self.request_for(viewer, id).await?;
        let status = RequestStatus::parse(&row.status).unwrap_or(RequestStatus::Withdrawn);
        let sessions = self.sessions_for_request(viewer, &row).await?;
        Ok(RequestView {
            request: summary(viewer, &row),
            goal_html: guildhall_domain::threads::render_markdown(&row.goal),
            preferred_times: row.preferred_times.lines().map(str::to_owned).collect(),
            can_plan: side == Side::Coach && status.is_live(),
            can_decline: side == Side::Coach && status == RequestStatus::Open,
            can_withdraw: side == Side::Learner && status.is_live(),
            sessions,
            goal: row.goal,
            time_zone: row.time_zone,
            decline_note: row.decline_note,
        })
    }

    /// The coach declines a waiting request, with an optional note; the learner is told.
    pub async fn decline_request(&self, viewer: &Viewer, id: i64, note: &str) -> AppResult<()> {
        let (row, side) = self.request_for(viewer, id).await?;
        if side != Side::Coach {
            return Err(AppError::forbidden(
                "coach_only",
                "Only the coach declines a request.",
            ));
        }
        let note = field("note", parse_note(note))?;
        if !note.is_empty() {
            self.screen(viewer, Place::Coaching, None, &[("note", &note)], false)
                .await?;
        }
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        if !store::set_request_status(&mut tx, id, "open", "declined", &note, now).await? {
            return Err(AppError::Conflict {
                code: "request_status",
                message: "Only a request waiting for you can be declined.".into(),
            });
        }
        let sentence = if note.is_empty() {
            format!(
                "{} declined your request “{}”",
                viewer.display_name, row.topic
            )
        } else {
            format!(
                "{} declined your request “{}”: {note}",
                viewer.display_name, row.topic
            )
        };
        tell(
            &mut tx,
            viewer,
            row.learner_id,
            &sentence,
            &request_link(id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The learner takes a request back; sessions not yet started are cancelled and the coach
    /// is told.
    pub async fn withdraw_request(&self, viewer: &Viewer, id: i64) -> AppResult<()> {
        let (row, side) = self.request_for(viewer, id).await?;
        if side != Side::Learner {
            return Err(AppError::forbidden(
                "learner_only",
                "Only the learner withdraws a request.",
            ));
        }
        let status = RequestStatus::parse(&row.status).unwrap_or(RequestStatus::Withdrawn);
        if !status.is_live() {
            return Err(AppError::Conflict {
                code: "request_status",
                message: "This request is closed already.".into(),
            });
        }
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        if !store::set_request_status(&mut tx, id, status.as_str(), "withdrawn", "", now).await? {
            return Err(changed_meanwhile("request_status"));
        }
        store::cancel_future_sessions(
            &mut tx,
            id,
            viewer.id,
            "The learner withdrew the request.",
            now,
        )
        .await?;
        tell(
            &mut tx,
            viewer,
            row.coach_id,
            &format!(
                "{} withdrew the request “{}”",
                viewer.display_name, row.topic
            ),
            &request_link(id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Requests the viewer sent (`as_coach` false) or received, newest first.
    pub async fn coaching_requests(
        &self,
        viewer: &Viewer,
        as_coach: bool,
        before: Option<i64>,
    ) -> AppResult<(Vec<RequestSummary>, Option<i64>)> {
        let before = crate::people::before_cursor(before)?;
        let rows =
            store::requests_of(self.db(), viewer.id, as_coach, before, REQUESTS_PAGE).await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == REQUESTS_PAGE)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        Ok((rows.iter().map(|r| summary(viewer, r)).collect(), next))
    }

    pub async fn coaching_home(
        &self,
        viewer: &Viewer,
        sent_before: Option<i64>,
        received_before: Option<i64>,
    ) -> AppResult<CoachingHome> {
        let (sent, sent_next) = self.coaching_requests(viewer, false, sent_before).await?;
        let (received, received_next) = self
            .coaching_requests(viewer, true, received_before)
            .await?;
        Ok(CoachingHome {
            coach: self.my_coach_profile(viewer).await?,
            may_approve: self.may_approve_coaches(viewer).await?,
            upcoming: self.upcoming_sessions(viewer).await?,
            sent,
            sent_next,
            received,
            received_next,
        })
    }
}
