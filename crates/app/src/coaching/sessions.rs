//! Sessions: the coach schedules one (accepting the request) or proposes a time the learner
//! confirms or declines; either side cancels before it starts; each side keeps a private note;
//! afterwards the learner rates it. A session is seen by its coach and learner only.

use super::{changed_meanwhile, field, request_link, side_of, tell};
use crate::calendar::CalendarEntry;
use crate::events::describe_when;
use crate::moderation::Place;
use crate::people::Viewer;
use crate::rewards::{self, Merit, Source};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use guildhall_domain::FieldErrors;
use guildhall_domain::coaching::{
    MAX_SESSION_MINUTES, RequestStatus, SessionChange, SessionStatus, Side, check_start, may_rate,
    month_of, parse_duration, parse_note, parse_private_note, parse_rating, session_status_after,
};
use guildhall_domain::events::{parse_local_time, parse_time_zone};
use guildhall_domain::rewards::Earning;
use guildhall_domain::threads::parse_link;
use guildhall_store::StoreError;
use guildhall_store::coaching::{self as store, NewOutcome, NewSession, RequestRow, SessionRow};
use serde::Serialize;

/// Upcoming sessions shown on the coaching page.
const UPCOMING: i64 = 20;

/// A session as the coach types it.
#[derive(Debug, Clone, Default)]
pub struct SessionInput {
    /// Local wall-clock start, `2027-03-04T09:30`.
    pub starts_at: String,
    pub time_zone: String,
    pub duration_minutes: String,
    /// An http(s) link to the video call.
    pub video_url: String,
}

#[derive(Debug, Clone, Default)]
pub struct OutcomeInput {
    pub helped: bool,
    /// 1 to 5.
    pub rating: i64,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeView {
    pub helped: bool,
    pub rating: i64,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionNote {
    pub body: String,
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub id: i64,
    pub request_id: i64,
    pub coach_id: i64,
    pub coach_name: String,
    pub learner_id: i64,
    pub learner_name: String,
    pub topic: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub duration_minutes: i64,
    /// The zone the coach planned it in.
    pub time_zone: String,
    /// "Thu 4 Mar 2027, 09:30–10:15 (Europe/Berlin)".
    pub when: String,
    /// The same in the viewer's own time zone, when it differs.
    pub when_for_you: Option<String>,
    pub video_url: String,
    /// proposed, scheduled, declined or cancelled.
    pub status: String,
    pub status_label: String,
    pub cancel_note: String,
    pub ended: bool,
    pub rated: bool,
    /// The learner's rating, for both sides.
    pub outcome: Option<OutcomeView>,
    pub i_am_coach: bool,
    /// The learner may confirm or decline the proposed time.
    pub can_respond: bool,
    pub can_cancel: bool,
    pub can_rate: bool,
    /// The viewer's own private note (only on the request page; empty elsewhere).
    pub my_note: String,
}

fn session_view(viewer: &Viewer, row: SessionRow, zone: Tz, now: DateTime<Utc>) -> SessionView {
    let side = if row.coach_id == viewer.id {
        Side::Coach
    } else {
        Side::Learner
    };
    let status = SessionStatus::parse(&row.status).unwrap_or(SessionStatus::Cancelled);
    let ends_at = row.starts_at + Duration::minutes(row.duration_minutes);
    let ended = now >= ends_at;
    let when = describe_when(row.starts_at, ends_at, &row.time_zone);
    let when_for_you =
        (zone.name() != row.time_zone).then(|| describe_when(row.starts_at, ends_at, zone.name()));
    SessionView {
        can_respond: side == Side::Learner
            && status == SessionStatus::Proposed
            && row.starts_at > now,
        can_cancel: session_status_after(status, SessionChange::Cancel, side, ended).is_ok(),
        can_rate: side == Side::Learner && may_rate(status, ended, row.rated).is_ok(),
        status_label: status.label().to_owned(),
        i_am_coach: side == Side::Coach,
        outcome: None,
        my_note: String::new(),
        id: row.id,
        request_id: row.request_id,
        coach_id: row.coach_id,
        coach_name: row.coach_name,
        learner_id: row.learner_id,
        learner_name: row.learner_name,
        topic: row.topic,
        starts_at: row.starts_at,
        ends_at,
        duration_minutes: row.duration_minutes,
        time_zone: row.time_zone,
        when,
        when_for_you,
        video_url: row.video_url,
        status: row.status,
        cancel_note: row.cancel_note,
        ended,
        rated: row.rated,
    }
}

impl App {
    /// The session and the viewer's side of it; anyone else is told it does not exist.
    async fn session_for(&self, viewer: &Viewer, id: i64) -> AppResult<(SessionRow, Side)> {
        let row = store::session(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let side = side_of(viewer, row.coach_id, row.learner_id)?;
        Ok((row, side))
    }

    /// A request's sessions with their ratings and the viewer's own notes.
    pub(crate) async fn sessions_for_request(
        &self,
        viewer: &Viewer,
        request: &RequestRow,
    ) -> AppResult<Vec<SessionView>> {
        let zone = self.time_zone_of(viewer.id).await?;
        let now = clock::now();
        let outcomes = store::outcomes_of_request(self.db(), request.id).await?;
        let mut views = Vec::new();
        for row in store::sessions_of_request(self.db(), request.id).await? {
            let mut view = session_view(viewer, row, zone, now);
            view.outcome = outcomes
                .iter()
                .find(|o| o.session_id == view.id)
                .map(|o| OutcomeView {
                    helped: o.helped,
                    rating: o.rating,
                    comment: o.comment.clone(),
                    created_at: o.created_at,
                });
            view.my_note = store::note(self.db(), view.id, viewer.id)
                .await?
                .map(|(body, _)| body)
                .unwrap_or_default();
            views.push(view);
        }
        Ok(views)
    }

    /// The viewer's proposed and scheduled sessions that have not ended, soonest first.
    pub(crate) async fn upcoming_sessions(&self, viewer: &Viewer) -> AppResult<Vec<SessionView>> {
        let zone = self.time_zone_of(viewer.id).await?;
        let now = clock::now();
        let since = now - Duration::minutes(MAX_SESSION_MINUTES);
        Ok(
            store::upcoming_sessions(self.db(), viewer.id, since, UPCOMING)
                .await?
                .into_iter()
                .map(|row| session_view(viewer, row, zone, now))
                .filter(|s| !s.ended)
                .collect(),
        )
    }

    pub async fn coaching_session(&self, viewer: &Viewer, id: i64) -> AppResult<SessionView> {
        let (row, _) = self.session_for(viewer, id).await?;
        let request = store::request(self.db(), row.request_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let views = self.sessions_for_request(viewer, &request).await?;
        views
            .into_iter()
            .find(|s| s.id == id)
            .ok_or(AppError::NotFound)
    }

    /// The coach plans a session for a request: `confirmed` schedules it (accepting the
    /// request) — or records one that took place in the last 30 days — otherwise it is a
    /// proposed time the learner confirms. The coach's capacity for the session's month is
    /// checked in the same transaction as the insert.
    pub async fn plan_session(
        &self,
        viewer: &Viewer,
        request_id: i64,
        input: &SessionInput,
        confirmed: bool,
    ) -> AppResult<i64> {
        let (request, side) = self.request_for(viewer, request_id).await?;
        if side != Side::Coach {
            return Err(AppError::forbidden(
                "coach_only",
                "Only the coach plans sessions.",
            ));
        }
        let status = RequestStatus::parse(&request.status).unwrap_or(RequestStatus::Withdrawn);
        if !status.is_live() {
            return Err(AppError::Conflict {
                code: "request_status",
                message: "This request is closed.".into(),
            });
        }
        let coach = store::coach(self.db(), viewer.id)
            .await?
            .filter(|c| matches!(c.status.as_str(), "approved" | "paused"))
            .ok_or_else(|| {
                AppError::forbidden("not_a_coach", "Only an approved coach plans sessions.")
            })?;
        let now = clock::now();
        let session_status = if confirmed {
            SessionStatus::Scheduled
        } else {
            SessionStatus::Proposed
        };
        let mut errors = FieldErrors::new();
        let zone = errors.check("time_zone", parse_time_zone(&input.time_zone));
        let starts_at = zone.and_then(|zone| {
            errors.check(
                "starts_at",
                parse_local_time(&input.starts_at, zone)
                    .and_then(|start| check_start(start, now, session_status).map(|()| start)),
            )
        });
        let duration = errors.check("duration_minutes", parse_duration(&input.duration_minutes));
        let video_url = errors.check(
            "video_url",
            parse_link(&input.video_url).and_then(|link| {
                link.ok_or_else(|| "Give the link of the video call (https://…).".to_owned())
            }),
        );
        let (Some(zone), Some(starts_at), Some(duration), Some(video_url)) =
            (zone, starts_at, duration, video_url)
        else {
            return Err(AppError::Invalid(errors));
        };
        // Organisation link rules apply to the link like to any link a person shares.
        self.screen(
            viewer,
            Place::Coaching,
            None,
            &[("video_url", &video_url)],
            false,
        )
        .await?;
        let (month_start, month_end) = month_of(starts_at);
        let mut tx = self.db().begin().await?;
        if store::booked_in(&mut tx, viewer.id, month_start, month_end).await? >= coach.capacity {
            return Err(AppError::Conflict {
                code: "no_capacity",
                message: format!(
                    "You offer {} a month and {} is full: choose another month or raise your capacity.",
                    guildhall_domain::evidence::counted(coach.capacity, "session", "sessions"),
                    month_start.format("%B %Y")
                ),
            });
        }
        let id = store::insert_session(
            &mut tx,
            &NewSession {
                request_id,
                coach_id: request.coach_id,
                learner_id: request.learner_id,
                starts_at,
                duration_minutes: duration,
                time_zone: zone.name(),
                video_url: &video_url,
                status: session_status.as_str(),
                at: now,
            },
        )
        .await?;
        if status == RequestStatus::Open
            && !store::set_request_status(&mut tx, request_id, "open", "active", "", now).await?
        {
            return Err(changed_meanwhile("request_status"));
        }
        let ends_at = starts_at + Duration::minutes(duration);
        let when = describe_when(starts_at, ends_at, zone.name());
        let sentence = if ends_at <= now {
            format!(
                "{} recorded your coaching session on “{}” ({when}): you can rate it now",
                viewer.display_name, request.topic
            )
        } else if confirmed {
            format!(
                "{} scheduled a coaching session on “{}”: {when}",
                viewer.display_name, request.topic
            )
        } else {
            format!(
                "{} proposed a time for “{}”: {when} — please confirm or decline it",
                viewer.display_name, request.topic
            )
        };
        tell(
            &mut tx,
            viewer,
            request.learner_id,
            &sentence,
            &request_link(request.id),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The learner confirms or declines a proposed time; the coach is told.
    pub async fn answer_proposed_time(
        &self,
        viewer: &Viewer,
        session_id: i64,
        accept: bool,
    ) -> AppResult<()> {
        let (row, side) = self.session_for(viewer, session_id).await?;
        let now = clock::now();
        let current = SessionStatus::parse(&row.status).unwrap_or(SessionStatus::Cancelled);
        let change = if accept {
            SessionChange::Confirm
        } else {
            SessionChange::DeclineTime
        };
        let next = session_status_after(current, change, side, false).map_err(|message| {
            AppError::Conflict {
                code: "session_status",
                message,
            }
        })?;
        if accept && row.starts_at <= now {
            return Err(AppError::Conflict {
                code: "session_status",
                message: "This time has passed; ask the coach for another.".into(),
            });
        }
        let mut tx = self.db().begin().await?;
        if !store::set_session_status(
            &mut tx,
            session_id,
            current.as_str(),
            next.as_str(),
            viewer.id,
            "",
            now,
        )
        .await?
        {
            return Err(changed_meanwhile("session_status"));
        }
        let verb = if accept { "confirmed" } else { "declined" };
        tell(
            &mut tx,
            viewer,
            row.coach_id,
            &format!(
                "{} {verb} the time you proposed for “{}”",
                viewer.display_name, row.topic
            ),
            &request_link(row.request_id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Either side cancels a session that has not ended, with an optional note; the other side
    /// is told.
    pub async fn cancel_session(
        &self,
        viewer: &Viewer,
        session_id: i64,
        note: &str,
    ) -> AppResult<()> {
        let (row, side) = self.session_for(viewer, session_id).await?;
        let now = clock::now();
        let ended = now >= row.starts_at + Duration::minutes(row.duration_minutes);
        let current = SessionStatus::parse(&row.status).unwrap_or(SessionStatus::Cancelled);
        let next = session_status_after(current, SessionChange::Cancel, side, ended).map_err(
            |message| AppError::Conflict {
                code: "session_status",
                message,
            },
        )?;
        let note = field("note", parse_note(note))?;
        if !note.is_empty() {
            self.screen(viewer, Place::Coaching, None, &[("note", &note)], false)
                .await?;
        }
        let mut tx = self.db().begin().await?;
        if !store::set_session_status(
            &mut tx,
            session_id,
            current.as_str(),
            next.as_str(),
            viewer.id,
            &note,
            now,
        )
        .await?
        {
            return Err(changed_meanwhile("session_status"));
        }
        let other = if side == Side::Coach {
            row.learner_id
        } else {
            row.coach_id
        };
        let when = describe_when(
            row.starts_at,
            row.starts_at + Duration::minutes(row.duration_minutes),
            &row.time_zone,
        );
        let sentence = if note.is_empty() {
            format!(
                "{} cancelled the session on “{}” ({when})",
                viewer.display_name, row.topic
            )
        } else {
            format!(
                "{} cancelled the session on “{}” ({when}): {note}",
                viewer.display_name, row.topic
            )
        };
        tell(
            &mut tx,
            viewer,
            other,
            &sentence,
            &request_link(row.request_id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The viewer's own private note on a session.
    pub async fn session_note(&self, viewer: &Viewer, session_id: i64) -> AppResult<SessionNote> {
        self.session_for(viewer, session_id).await?;
        Ok(match store::note(self.db(), session_id, viewer.id).await? {
            Some((body, at)) => SessionNote {
                body,
                updated_at: Some(at),
            },
            None => SessionNote {
                body: String::new(),
                updated_at: None,
            },
        })
    }

    /// Saves the viewer's private note on a session (see the module's note on why notes are
    /// not content-checked).
    pub async fn save_session_note(
        &self,
        viewer: &Viewer,
        session_id: i64,
        body: &str,
    ) -> AppResult<()> {
        self.session_for(viewer, session_id).await?;
        let body = field("body", parse_private_note(body))?;
        store::put_note(self.db(), session_id, viewer.id, &body, clock::now()).await?;
        Ok(())
    }

    /// After the session, the learner says whether it helped (1–5 and a comment); the rating
    /// becomes evidence for the coach, who is told.
    pub async fn rate_session(
        &self,
        viewer: &Viewer,
        session_id: i64,
        input: &OutcomeInput,
    ) -> AppResult<()> {
        let (row, side) = self.session_for(viewer, session_id).await?;
        if side != Side::Learner {
            return Err(AppError::forbidden(
                "learner_only",
                "The learner rates a session.",
            ));
        }
        let now = clock::now();
        let status = SessionStatus::parse(&row.status).unwrap_or(SessionStatus::Cancelled);
        let ended = now >= row.starts_at + Duration::minutes(row.duration_minutes);
        may_rate(status, ended, row.rated).map_err(|message| AppError::Conflict {
            code: "not_ratable",
            message,
        })?;
        let mut errors = FieldErrors::new();
        let rating = errors.check("rating", parse_rating(input.rating));
        let comment = errors.check("comment", parse_note(&input.comment));
        let (Some(rating), Some(comment)) = (rating, comment) else {
            return Err(AppError::Invalid(errors));
        };
        if !comment.is_empty() {
            self.screen(
                viewer,
                Place::Coaching,
                None,
                &[("comment", &comment)],
                false,
            )
            .await?;
        }
        let mut tx = self.db().begin().await?;
        match store::insert_outcome(
            &mut tx,
            &NewOutcome {
                session_id,
                coach_id: row.coach_id,
                learner_id: row.learner_id,
                helped: input.helped,
                rating,
                comment: &comment,
                at: now,
            },
        )
        .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict) => {
                return Err(AppError::Conflict {
                    code: "not_ratable",
                    message: "You rated this session already.".into(),
                });
            }
            Err(other) => return Err(other.into()),
        }
        let given = Source::Session(session_id);
        let merit = Merit::new(Earning::CoachingSessionGiven, row.coach_id, given).by(viewer.id);
        rewards::claim(&mut tx, merit, now).await?;
        let helped = if input.helped {
            "it helped"
        } else {
            "it did not help"
        };
        tell(
            &mut tx,
            viewer,
            row.coach_id,
            &format!(
                "{} rated your session on “{}”: {rating} of 5, {helped}",
                viewer.display_name, row.topic
            ),
            &request_link(row.request_id),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session as an iCalendar file, for its coach and learner.
    pub async fn session_calendar(&self, viewer: &Viewer, session_id: i64) -> AppResult<String> {
        let (row, side) = self.session_for(viewer, session_id).await?;
        let other = if side == Side::Coach {
            &row.learner_name
        } else {
            &row.coach_name
        };
        let summary = format!("Coaching: {} (with {other})", row.topic);
        let description = format!("Video call: {}", row.video_url);
        let entry = CalendarEntry {
            key: format!("coaching-session-{}", row.id),
            summary: &summary,
            description: &description,
            starts_at: row.starts_at,
            ends_at: row.starts_at + Duration::minutes(row.duration_minutes),
            path: format!("/coaching/requests/{}", row.request_id),
            location: Some(&row.video_url),
        };
        Ok(self.calendar_file(&summary, &[entry]))
    }
}
