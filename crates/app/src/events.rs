//! Events that continue after the event: facilitators plan a session, members say whether they
//! come, facilitators mark who attended, and prompts are posted into the space 1, 7 and 30 days
//! later through the outbox (which doubles as the scheduler). Calendars as iCalendar (RFC 5545).

use crate::calendar::CalendarEntry;
use crate::outbox::{Effect, EffectResult};
use crate::people::Viewer;
use crate::rewards::{self, Merit, Source};
use crate::spaces::{SpaceView, members_only, require_facilitator};
use crate::threads::post_thread;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use guildhall_domain::FieldErrors;
use guildhall_domain::events::{DEFAULT_PROMPTS, has_seat, parse_capacity, parse_event_time};
use guildhall_domain::fields::single_line;
use guildhall_domain::rewards::Earning;
use guildhall_domain::spaces::{MAX_DESCRIPTION_CHARS, parse_long_text};
use guildhall_domain::threads::{ThreadKind, parse_link, parse_post_body, render_markdown};
use guildhall_store::events::{self as store, EventRow, NewEvent};
use guildhall_store::outbox;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub const FOLLOW_UP: &str = "event.follow_up";

pub(crate) const EFFECTS: &[Effect] = &[Effect {
    kind: FOLLOW_UP,
    run: |app, payload| Box::pin(post_follow_up(app, payload)),
}];
const LIST: i64 = 50;

#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub title: String,
    pub description: String,
    /// Local wall-clock times in `time_zone`, as `2027-03-04T09:30`.
    pub starts_at: String,
    pub ends_at: String,
    pub time_zone: String,
    pub location: String,
    pub video_url: String,
    pub capacity: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub id: i64,
    pub space_slug: String,
    pub space_name: String,
    pub title: String,
    pub description_html: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    /// "Thu 4 Mar 2027, 09:30–11:00 (Europe/Berlin)".
    pub when: String,
    pub location: String,
    pub video_url: Option<String>,
    pub capacity: Option<i64>,
    pub going: i64,
    pub full: bool,
}

impl From<EventRow> for EventView {
    fn from(e: EventRow) -> Self {
        EventView {
            when: describe_when(e.starts_at, e.ends_at, &e.time_zone),
            description_html: render_markdown(&e.description),
            full: !has_seat(e.capacity, e.going),
            id: e.id,
            space_slug: e.space_slug,
            space_name: e.space_name,
            title: e.title,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            time_zone: e.time_zone,
            location: e.location,
            video_url: e.video_url,
            capacity: e.capacity,
            going: e.going,
        }
    }
}

pub(crate) fn describe_when(
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    zone: &str,
) -> String {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    let (start, end) = (starts_at.with_timezone(&tz), ends_at.with_timezone(&tz));
    if start.date_naive() == end.date_naive() {
        format!(
            "{}–{} ({zone})",
            start.format("%a %-d %b %Y, %H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{} – {} ({zone})",
            start.format("%a %-d %b %Y, %H:%M"),
            end.format("%a %-d %b %Y, %H:%M")
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Attendee {
    pub user_id: i64,
    pub display_name: String,
    pub going: bool,
    pub attended: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Prompt {
    pub id: i64,
    pub day_offset: i64,
    pub body: String,
    pub thread_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventPage {
    pub event: EventView,
    pub space: SpaceView,
    pub my_rsvp: Option<bool>,
    /// Everyone who answered (facilitators), or the people coming (members).
    pub attendees: Vec<Attendee>,
    /// Follow-up prompts (facilitators only).
    pub prompts: Vec<Prompt>,
    /// Who did the talking in the follow-up threads (facilitators only).
    pub voice: Option<EventVoice>,
    pub ended: bool,
}

/// The talk in an event's follow-up threads: "listen more, talk less" per event.
#[derive(Debug, Clone, Serialize)]
pub struct EventVoice {
    pub posts: i64,
    /// Distinct people who wrote.
    pub voices: i64,
    /// Facilitators' share of the words (0–1), `None` before anyone wrote.
    pub facilitator_share: Option<f64>,
    /// The share is above `insights.facilitator_share`.
    pub talks_too_much: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct FollowUpEffect {
    prompt_id: i64,
}

impl App {
    pub async fn create_event(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &EventInput,
    ) -> AppResult<i64> {
        let space = self.space(viewer, slug).await?;
        require_facilitator(&space)?;
        let mut errors = FieldErrors::new();
        let title = errors.check("title", single_line(&input.title, 150));
        let description = errors.check(
            "description",
            parse_long_text(&input.description, MAX_DESCRIPTION_CHARS, false),
        );
        let time = match parse_event_time(&input.starts_at, &input.ends_at, &input.time_zone) {
            Ok(time) => Some(time),
            Err((field, message)) => {
                errors.add(field, message);
                None
            }
        };
        let location = errors.check("location", parse_long_text(&input.location, 300, false));
        let video_url = errors.check("video_url", parse_link(&input.video_url));
        let capacity = errors.check("capacity", parse_capacity(&input.capacity));
        if matches!((&location, &video_url), (Some(l), Some(None)) if l.is_empty()) {
            errors.add("location", "Give a place or a video link.");
        }
        let (
            Some(title),
            Some(description),
            Some(time),
            Some(location),
            Some(video_url),
            Some(capacity),
            true,
        ) = (
            title,
            description,
            time,
            location,
            video_url,
            capacity,
            errors.is_empty(),
        )
        else {
            return Err(errors.into());
        };
        self.screen(
            viewer,
            crate::moderation::Place::Event,
            Some(space.id),
            &[
                ("title", &title),
                ("description", &description),
                ("location", &location),
            ],
            false,
        )
        .await?;
        let now = clock::now();
        let zone = time.time_zone.name();
        let mut tx = self.db().begin().await?;
        let id = store::insert_event(
            &mut tx,
            &NewEvent {
                space_id: space.id,
                title: &title,
                description: &description,
                starts_at: time.starts_at,
                ends_at: time.ends_at,
                time_zone: zone,
                location: &location,
                video_url: video_url.as_deref(),
                capacity,
                created_by: viewer.id,
                now,
            },
        )
        .await?;
        for (days, body) in DEFAULT_PROMPTS {
            let prompt = store::insert_prompt(&mut tx, id, days, body).await?;
            let payload = json!(FollowUpEffect { prompt_id: prompt });
            outbox::enqueue_at(
                &mut tx,
                FOLLOW_UP,
                &payload,
                time.ends_at + Duration::days(days),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// An event and its space, if the viewer may read the space.
    async fn readable_event(&self, viewer: &Viewer, id: i64) -> AppResult<(EventRow, SpaceView)> {
        let event = store::event(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let space = self.space(viewer, &event.space_slug).await?;
        if !space.can_read() {
            return Err(members_only());
        }
        Ok((event, space))
    }

    pub async fn space_events(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> AppResult<(Vec<EventView>, Vec<EventView>)> {
        let space = self.space(viewer, slug).await?;
        if !space.can_read() {
            return Err(members_only());
        }
        let now = clock::now();
        let upcoming = store::upcoming_in_space(self.db(), space.id, now, LIST).await?;
        let past = store::past_in_space(self.db(), space.id, now, LIST).await?;
        Ok((
            upcoming.into_iter().map(Into::into).collect(),
            past.into_iter().map(Into::into).collect(),
        ))
    }

    pub async fn event_page(&self, viewer: &Viewer, id: i64) -> AppResult<EventPage> {
        let (event, space) = self.readable_event(viewer, id).await?;
        let answers = store::rsvps(self.db(), id).await?;
        let my_rsvp = answers
            .iter()
            .find(|r| r.user_id == viewer.id)
            .map(|r| r.going);
        let manage = space.is_facilitator();
        let attendees = answers
            .into_iter()
            .filter(|r| manage || r.going)
            .map(|r| Attendee {
                user_id: r.user_id,
                display_name: r.display_name,
                going: r.going,
                attended: r.attended,
            })
            .collect();
        let voice = if manage {
            Some(self.talk_after(id).await?)
        } else {
            None
        };
        let prompts = if manage {
            store::prompts(self.db(), id)
                .await?
                .into_iter()
                .map(|p| Prompt {
                    id: p.id,
                    day_offset: p.day_offset,
                    body: p.body,
                    thread_id: p.thread_id,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(EventPage {
            ended: event.ends_at <= clock::now(),
            event: event.into(),
            space,
            my_rsvp,
            attendees,
            prompts,
            voice,
        })
    }

    /// Who did the talking in an event's follow-up threads (its space's facilitators).
    pub async fn event_voice(&self, viewer: &Viewer, id: i64) -> AppResult<EventVoice> {
        let (_, space) = self.readable_event(viewer, id).await?;
        require_facilitator(&space)?;
        self.talk_after(id).await
    }

    async fn talk_after(&self, event_id: i64) -> AppResult<EventVoice> {
        let talk = guildhall_store::insights::activity::event_posts(self.db(), event_id).await?;
        let share = talk.voice().facilitator_share();
        let threshold = self.settings().insights.facilitator_share;
        Ok(EventVoice {
            posts: talk.posts,
            voices: talk.authors,
            facilitator_share: share,
            talks_too_much: share.is_some_and(|s| s > threshold),
        })
    }

    /// A member says they come (if a seat is free) or not.
    pub async fn rsvp(&self, viewer: &Viewer, id: i64, going: bool) -> AppResult<()> {
        let (event, space) = self.readable_event(viewer, id).await?;
        if !space.is_member() {
            return Err(members_only());
        }
        let mut tx = self.db().begin().await?;
        // Counted under the event's lock in the transaction that takes the seat, so two answers
        // for the last seat cannot both win.
        store::lock_seats(&mut tx, id).await?;
        let already_going = store::is_going(&mut tx, id, viewer.id).await?;
        if going
            && !already_going
            && !has_seat(event.capacity, store::going_count(&mut tx, id).await?)
        {
            return Err(AppError::Conflict {
                code: "event_full",
                message: "This event is full.".into(),
            });
        }
        store::put_rsvp(&mut tx, id, viewer.id, going, clock::now()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn mark_attendance(
        &self,
        viewer: &Viewer,
        id: i64,
        user_id: i64,
        attended: bool,
    ) -> AppResult<()> {
        let (event, space) = self.readable_event(viewer, id).await?;
        require_facilitator(&space)?;
        let member = crate::spaces::is_active_member(self, space.id, user_id).await?;
        if !member {
            return Err(AppError::invalid(
                "user_id",
                "Only members of the space can attend.",
            ));
        }
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::set_attended(&mut tx, id, user_id, attended, now).await?;
        let came = Source::Event(id);
        if attended {
            let merit = Merit::new(Earning::EventAttended, user_id, came).in_space(Some(space.id));
            rewards::claim(&mut tx, merit, now).await?;
            let title = &event.title;
            let moment = crate::xapi::Moment::Attended {
                event_id: id,
                title,
            };
            crate::xapi::record(self, &mut tx, user_id, moment, Some((&space).into()), now).await?;
        } else {
            rewards::take_back(&mut tx, came, None, Some(Earning::EventAttended), now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Facilitators reword a follow-up prompt until it is posted.
    pub async fn edit_prompt(
        &self,
        viewer: &Viewer,
        event_id: i64,
        prompt_id: i64,
        body: &str,
    ) -> AppResult<()> {
        let (_, space) = self.readable_event(viewer, event_id).await?;
        require_facilitator(&space)?;
        let body = parse_post_body(body).map_err(|message| AppError::invalid("body", message))?;
        self.screen(
            viewer,
            crate::moderation::Place::Event,
            Some(space.id),
            &[("body", &body)],
            false,
        )
        .await?;
        if store::update_prompt(self.db(), prompt_id, event_id, &body).await? {
            Ok(())
        } else {
            Err(AppError::Conflict {
                code: "prompt_posted",
                message: "This prompt was already posted.".into(),
            })
        }
    }

    /// The space's events as an iCalendar file.
    pub async fn space_calendar(&self, viewer: &Viewer, slug: &str) -> AppResult<String> {
        let space = self.space(viewer, slug).await?;
        if !space.can_read() {
            return Err(members_only());
        }
        let since = clock::now() - Duration::days(90);
        let events = store::upcoming_in_space(self.db(), space.id, since, 500).await?;
        Ok(self.calendar(&space.name, events))
    }

    /// Every event of the viewer's spaces as an iCalendar file.
    pub async fn member_calendar(&self, viewer: &Viewer) -> AppResult<String> {
        let since = clock::now() - Duration::days(90);
        let events = store::for_member(self.db(), viewer.id, since, 500).await?;
        Ok(self.calendar(&format!("Guildhall — {}", viewer.display_name), events))
    }

    fn calendar(&self, name: &str, events: Vec<EventRow>) -> String {
        let entries: Vec<CalendarEntry<'_>> = events
            .iter()
            .map(|event| CalendarEntry {
                key: format!("event-{}", event.id),
                summary: &event.title,
                description: &event.description,
                starts_at: event.starts_at,
                ends_at: event.ends_at,
                path: format!("/events/{}", event.id),
                location: if event.location.is_empty() {
                    event.video_url.as_deref()
                } else {
                    Some(&event.location)
                },
            })
            .collect();
        self.calendar_file(name, &entries)
    }
}

/// The scheduled follow-up: posts the prompt into the space once, as the event's creator.
pub(crate) async fn post_follow_up(app: App, payload: Value) -> EffectResult {
    let effect: FollowUpEffect =
        serde_json::from_value(payload).map_err(|e| format!("malformed follow-up: {e}"))?;
    let fail = |e: AppError| e.to_string();
    let Some(prompt) = store::prompt(app.db(), effect.prompt_id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    if prompt.posted_at.is_some() {
        return Ok(());
    }
    // A cancelled event or a deleted space has nobody to ask.
    let Some(event) = store::event(app.db(), prompt.event_id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let Some(author) = event.created_by else {
        return Ok(());
    };
    let title = format!("{} days after “{}”", prompt.day_offset, event.title);
    let title = if prompt.day_offset == 1 {
        format!("The day after “{}”", event.title)
    } else {
        title
    };
    let now = clock::now();
    let mut tx = app.db().begin().await.map_err(|e| e.to_string())?;
    let (thread, _) = post_thread(
        &mut tx,
        event.space_id,
        author,
        ThreadKind::Discussion,
        &title,
        &prompt.body,
        None,
        now,
    )
    .await
    .map_err(fail)?;
    if !store::mark_prompt_posted(&mut tx, prompt.id, thread, now)
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(()); // Another worker posted it first; dropping the transaction undoes ours.
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    if prompt.day_offset == 1 {
        app.notice_missed_event((event.id, event.space_id, &event.title), now)
            .await
            .map_err(fail)?;
    }
    Ok(())
}
