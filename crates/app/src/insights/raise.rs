//! Raising care signals: on the write that shows them (a post saying "I'm stuck", a held rude
//! reply, a low check-in), from the outbox when time tells (a question still unanswered after
//! `insights.unanswered_hours`), or once a day (a regular gone quiet). Each signal is recorded
//! once (`help_signals_once_idx`) and its member's helpers are told there is something in their
//! care queue — never what, so that reading it is a logged view.

use super::WatchKind;
use crate::notify::{LiveEvent, NotificationKind, record_linked};
use crate::outbox::{Effect, EffectResult};
use crate::{App, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::insights::{
    CheckInReading, FIRST_POST_HOURS, Helper, SILENT_DAYS, SignalKind, fell_silent, low_progress,
    may_see, says_stuck,
};
use guildhall_store::insights::{self as store, NewHelpSignal};
use guildhall_store::{Tx, outbox};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const UNANSWERED: &str = "insights.unanswered";
const TELL_HELPERS: &str = "insights.tell_helpers";
const A_DAY_UNANSWERED: &str = "insights.a_day_unanswered";

/// The effects this module carries out for the outbox.
pub(crate) const EFFECTS: &[Effect] = &[
    Effect {
        kind: UNANSWERED,
        run: |app, payload| Box::pin(check_unanswered(app, payload)),
    },
    Effect {
        kind: TELL_HELPERS,
        run: |app, payload| Box::pin(tell_helpers(app, payload)),
    },
    Effect {
        kind: A_DAY_UNANSWERED,
        run: |app, payload| Box::pin(tell_watchers_unanswered(app, payload)),
    },
];

/// A question the monitoring feed lists once it has waited a day.
#[derive(Debug, Serialize, Deserialize)]
struct WaitingQuestion {
    space_id: i64,
    post_id: i64,
}

/// A post waiting for someone else's reply: a question, or a new member's first post.
#[derive(Debug, Serialize, Deserialize)]
struct Waiting {
    thread_id: i64,
    post_id: i64,
    author_id: i64,
    kind: SignalKind,
}

#[derive(Debug, Serialize, Deserialize)]
struct NewSignal {
    member_id: i64,
    space_id: Option<i64>,
    kind: SignalKind,
}

/// Records a signal and, when it is new, tells the member's helpers through the outbox.
pub(crate) async fn record(
    tx: &mut Tx,
    signal: &NewHelpSignal<'_>,
    kind: SignalKind,
) -> AppResult<bool> {
    let recorded = store::record_help_signal(tx, signal).await?;
    if recorded {
        let payload = serde_json::to_value(NewSignal {
            member_id: signal.user_id,
            space_id: signal.space_id,
            kind,
        })
        .unwrap_or(Value::Null);
        outbox::enqueue(tx, TELL_HELPERS, &payload, signal.now).await?;
    }
    Ok(recorded)
}

/// What a new post says about its author, in the post's own transaction: a question (or a
/// first post) starts waiting for an answer; "I'm stuck" in their own words is a signal.
pub(crate) async fn note_own_words(
    app: &App,
    tx: &mut Tx,
    post: (i64, i64, i64),
    author_id: i64,
    question: bool,
    text: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (space_id, thread_id, post_id) = post;
    let waits = if question {
        Some((
            SignalKind::UnansweredQuestion,
            app.settings().insights.unanswered_hours,
        ))
    } else if store::post_count_of_in(tx, author_id).await? == 1 {
        Some((SignalKind::UnansweredFirstPost, FIRST_POST_HOURS))
    } else {
        None
    };
    if let Some((kind, hours)) = waits {
        let waiting = Waiting {
            thread_id,
            post_id,
            author_id,
            kind,
        };
        let payload = serde_json::to_value(&waiting).unwrap_or(Value::Null);
        outbox::enqueue_at(tx, UNANSWERED, &payload, now + Duration::hours(hours), now).await?;
    }
    if question {
        let payload =
            serde_json::to_value(WaitingQuestion { space_id, post_id }).unwrap_or(Value::Null);
        let a_day_later = now + Duration::days(1);
        outbox::enqueue_at(tx, A_DAY_UNANSWERED, &payload, a_day_later, now).await?;
    }
    if let Some(phrase) = says_stuck(text)
        && !store::paused_in(tx, author_id).await?
    {
        record(
            tx,
            &NewHelpSignal {
                user_id: author_id,
                kind: SignalKind::SaysStuck.as_str(),
                subject: &format!("post:{post_id}"),
                period: now.date_naive(),
                reason: &format!("Wrote “{phrase}” in a post."),
                space_id: Some(space_id),
                link: &format!("/t/{thread_id}#post-{post_id}"),
                now,
            },
            SignalKind::SaysStuck,
        )
        .await?;
    }
    Ok(())
}

/// Someone other than the author replied: a waiting question or first post is answered.
pub(crate) async fn note_answer(tx: &mut Tx, thread_id: i64, now: DateTime<Utc>) -> AppResult<()> {
    store::resolve_answered_in(tx, &format!("thread:{thread_id}"), now).await?;
    Ok(())
}

/// A post was held or reported as rude: the person it was aimed at may need support.
pub(crate) async fn note_rudeness_towards(
    tx: &mut Tx,
    post_id: i64,
    how: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some((target, thread_id, space_id)) = store::post_target_in(tx, post_id).await? else {
        return Ok(());
    };
    record(
        tx,
        &NewHelpSignal {
            user_id: target,
            kind: SignalKind::TargetedByRudeness.as_str(),
            subject: &format!("post:{post_id}"),
            period: now.date_naive(),
            reason: &format!("A post aimed at them was {how}."),
            space_id: Some(space_id),
            link: &format!("/t/{thread_id}"),
            now,
        },
        SignalKind::TargetedByRudeness,
    )
    .await?;
    Ok(())
}

/// A check-in, in its own transaction: low progress twice running or a blocker, and "I'm
/// stuck" in its words. `earlier` are the member's previous check-ins, newest first.
pub(crate) async fn note_check_in(
    tx: &mut Tx,
    member: i64,
    partnership: (i64, Option<i64>),
    this: CheckInReading,
    earlier: &[CheckInReading],
    words: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (partnership_id, space_id) = partnership;
    if store::paused_in(tx, member).await? {
        return Ok(()); // every kind raised here is about habits, none essential
    }
    let recent: Vec<CheckInReading> = std::iter::once(this)
        .chain(earlier.iter().copied())
        .collect();
    let stuck = says_stuck(words).map(|phrase| format!("Wrote “{phrase}” in a check-in."));
    let reasons = [
        (SignalKind::LowProgress, low_progress(&recent)),
        (SignalKind::SaysStuck, stuck),
    ];
    for (kind, reason) in reasons {
        let Some(reason) = reason else { continue };
        record(
            tx,
            &NewHelpSignal {
                user_id: member,
                kind: kind.as_str(),
                subject: &format!("partnership:{partnership_id}"),
                period: now.date_naive(),
                reason: &reason,
                space_id,
                link: &format!("/partners/{partnership_id}"),
                now,
            },
            kind,
        )
        .await?;
    }
    Ok(())
}

/// The outbox: a question has waited a day. Still unanswered, it joins the monitoring feed of
/// the space's watchers, who see it appear live.
async fn tell_watchers_unanswered(app: App, payload: Value) -> EffectResult {
    let waiting: WaitingQuestion =
        serde_json::from_value(payload).map_err(|e| format!("malformed waiting question: {e}"))?;
    let state = store::waiting_post(app.db(), waiting.post_id)
        .await
        .map_err(|e| e.to_string())?;
    if state.is_some_and(|s| !s.replied_by_others) {
        app.publish(LiveEvent::Watch {
            kind: WatchKind::Unanswered,
            space_id: Some(waiting.space_id),
            for_user: None,
        });
    }
    Ok(())
}

/// The outbox: a question or first post has waited its time. Still nobody else replied?
async fn check_unanswered(app: App, payload: Value) -> EffectResult {
    let waiting: Waiting =
        serde_json::from_value(payload).map_err(|e| format!("malformed waiting post: {e}"))?;
    let fail = |e: guildhall_store::StoreError| e.to_string();
    let Some(state) = store::waiting_post(app.db(), waiting.post_id)
        .await
        .map_err(fail)?
    else {
        return Ok(()); // deleted or held: nothing waits in public
    };
    if state.replied_by_others {
        return Ok(());
    }
    if paused_out(&app, waiting.author_id, waiting.kind).await? {
        return Ok(());
    }
    let now = clock::now();
    let reason = match waiting.kind {
        SignalKind::UnansweredQuestion => format!(
            "Asked “{}” and nobody has answered for {} hours.",
            state.title,
            app.settings().insights.unanswered_hours
        ),
        _ => format!(
            "Their first post, in “{}”, has had no reply for {FIRST_POST_HOURS} hours.",
            state.title
        ),
    };
    let mut tx = app.db().begin().await.map_err(fail)?;
    record(
        &mut tx,
        &NewHelpSignal {
            user_id: waiting.author_id,
            kind: waiting.kind.as_str(),
            subject: &format!("thread:{}", waiting.thread_id),
            period: state.created_at.date_naive(),
            reason: &reason,
            space_id: Some(state.space_id),
            link: &format!("/t/{}#post-{}", waiting.thread_id, waiting.post_id),
            now,
        },
        waiting.kind,
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(fail)?;
    Ok(())
}

/// Whether the member paused this kind of signal (non-essential ones only).
async fn paused_out(app: &App, member: i64, kind: SignalKind) -> Result<bool, String> {
    if kind.is_essential() {
        return Ok(false);
    }
    store::paused(app.db(), member)
        .await
        .map_err(|e| e.to_string())
}

/// The outbox: tells each helper who may see the new signal that their care queue has
/// something, without saying what (opening it is a logged view).
async fn tell_helpers(app: App, payload: Value) -> EffectResult {
    let signal: NewSignal =
        serde_json::from_value(payload).map_err(|e| format!("malformed new signal: {e}"))?;
    let fail = |e: guildhall_store::StoreError| e.to_string();
    let strict = app.settings().insights.strict;
    let paused = store::paused(app.db(), signal.member_id)
        .await
        .map_err(fail)?;
    let helpers = store::helpers_of(app.db(), signal.member_id)
        .await
        .map_err(fail)?;
    let mut told = std::collections::BTreeSet::new();
    let mut tx = app.db().begin().await.map_err(fail)?;
    for helper in helpers {
        let relation = Helper::parse(&helper.relation).unwrap_or(Helper::Facilitator);
        let in_space = relation != Helper::Facilitator || helper.space_id == signal.space_id;
        if !in_space || !may_see(relation, signal.kind, paused, strict) {
            continue;
        }
        if told.insert(helper.user_id) {
            record_linked(
                &mut tx,
                helper.user_id,
                NotificationKind::Care,
                None,
                "Someone you help may need a hand: see your care queue.",
                "/care",
            )
            .await
            .map_err(|e| e.to_string())?;
        }
    }
    tx.commit().await.map_err(fail)?;
    for helper in told {
        app.publish(LiveEvent::Watch {
            kind: WatchKind::Care,
            space_id: None,
            for_user: Some(helper),
        });
    }
    Ok(())
}

impl App {
    /// Once a day: regulars who have gone quiet (active in 3 of 6 weeks, silent 14 days), and
    /// people who signed up for an event and did not come.
    pub async fn notice_silences(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let today = now.date_naive();
        let since = now - Duration::days(42 + SILENT_DAYS + 7);
        let days = store::posting_days_since(self.db(), since).await?;
        let mut raised = 0;
        for person in days.chunk_by(|a, b| a.0 == b.0) {
            let member = person[0].0;
            let post_days: Vec<_> = person.iter().map(|(_, day)| *day).collect();
            // Only the day the silence reaches 14 days: the signal is raised once.
            let Some((last, weeks)) = fell_silent(&post_days, today) else {
                continue;
            };
            if (today - last).num_days() > SILENT_DAYS + 7
                || paused_out(self, member, SignalKind::FellSilent)
                    .await
                    .map_err(crate::AppError::Internal)?
            {
                continue;
            }
            let space_id = store::last_space_of(self.db(), member).await?;
            let mut tx = self.db().begin().await?;
            let recorded = record(
                &mut tx,
                &NewHelpSignal {
                    user_id: member,
                    kind: SignalKind::FellSilent.as_str(),
                    subject: &format!("user:{member}"),
                    period: last,
                    reason: &format!(
                        "Wrote in {weeks} of the six weeks before {last} and nothing since."
                    ),
                    space_id,
                    link: &format!("/people/{member}"),
                    now,
                },
                SignalKind::FellSilent,
            )
            .await?;
            tx.commit().await?;
            raised += usize::from(recorded);
        }
        Ok(raised)
    }

    /// After an event (its first follow-up): who said they were going and did not attend,
    /// when attendance was taken at all.
    pub(crate) async fn notice_missed_event(
        &self,
        event: (i64, i64, &str),
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let (event_id, space_id, title) = event;
        for member in store::missed_rsvps(self.db(), event_id).await? {
            if paused_out(self, member, SignalKind::MissedEvent)
                .await
                .map_err(crate::AppError::Internal)?
            {
                continue;
            }
            let mut tx = self.db().begin().await?;
            record(
                &mut tx,
                &NewHelpSignal {
                    user_id: member,
                    kind: SignalKind::MissedEvent.as_str(),
                    subject: &format!("event:{event_id}"),
                    period: now.date_naive(),
                    reason: &format!("Said they would come to “{title}” and did not attend."),
                    space_id: Some(space_id),
                    link: &format!("/events/{event_id}"),
                    now,
                },
                SignalKind::MissedEvent,
            )
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }
}
