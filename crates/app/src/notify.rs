//! Notifications and live updates. A change records `notify` effects in its transaction; the
//! outbox worker turns them into notifications (and, for members who chose it, an email effect
//! in the same transaction: see `email`) and announces the new unread count. New posts are
//! announced as soon as they are committed, so open pages update live.

use crate::outbox::{Effect, EffectResult};
use crate::people::Viewer;
use crate::{App, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_store::Tx;
use guildhall_store::notify::{self as store, NewNotification};
use guildhall_store::outbox;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::broadcast;

mod relay;

pub(crate) use relay::{RelaySender, instance_id};

pub const NOTIFY: &str = "notify";

pub(crate) const EFFECTS: &[Effect] = &[Effect {
    kind: NOTIFY,
    run: |app, payload| Box::pin(deliver(app, payload)),
}];
pub const PAGE: i64 = 30;

/// What open pages hear about; several instances relay them to each other (see `relay`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LiveEvent {
    NewPost {
        thread_id: i64,
        post_id: i64,
    },
    Unread {
        user_id: i64,
        count: i64,
    },
    /// Something for the monitoring feed: in a space (for its facilitators and moderators), or
    /// for one person (a helper whose care queue grew).
    Watch {
        kind: crate::insights::WatchKind,
        space_id: Option<i64>,
        for_user: Option<i64>,
    },
}

pub(crate) fn live_channel() -> broadcast::Sender<LiveEvent> {
    broadcast::channel(1024).0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    Reply,
    AnswerAccepted,
    Mention,
    NewThread,
    /// About the person's own standing: a report's outcome, a sanction, an appeal, an HR outcome.
    /// The title is the whole sentence; nothing in it names a moderator.
    Moderation,
    /// About the person's accountability partnership: a new partner, a check-in, a reminder.
    Partners,
    /// Someone followed the person; the title is the sentence, the actor the follower.
    Follow,
    /// Someone endorsed the person for a skill; the title is the sentence.
    Endorsement,
    /// A step of a coaching application, request or session; the title is the sentence.
    Coaching,
    /// For a helper: someone they help may need a hand (never what: that is in the care queue).
    Care,
    /// An invitation to answer a question; the title is the sentence, the link the thread.
    Invitation,
    /// Kudos received, a badge earned; the title is the sentence.
    Recognition,
    /// An idea someone follows moved, was built on or merged; the title is the sentence.
    Idea,
    /// About the person's library resources (readers flagged one outdated); the title is the
    /// sentence, the link the resource.
    Library,
}

impl NotificationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Reply => "reply",
            NotificationKind::AnswerAccepted => "answer_accepted",
            NotificationKind::Mention => "mention",
            NotificationKind::NewThread => "new_thread",
            NotificationKind::Moderation => "moderation",
            NotificationKind::Partners => "partners",
            NotificationKind::Follow => "follow",
            NotificationKind::Endorsement => "endorsement",
            NotificationKind::Coaching => "coaching",
            NotificationKind::Care => "care",
            NotificationKind::Invitation => "invitation",
            NotificationKind::Recognition => "recognition",
            NotificationKind::Idea => "idea",
            NotificationKind::Library => "library",
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct NotifyEffect {
    user_id: i64,
    kind: NotificationKind,
    actor_id: Option<i64>,
    thread_id: Option<i64>,
    post_id: Option<i64>,
    title: String,
    /// Older effects in the outbox have none.
    #[serde(default)]
    link: String,
}

/// Records a notification for `user_id` as an effect of the surrounding transaction.
pub(crate) async fn record(
    tx: &mut Tx,
    user_id: i64,
    kind: NotificationKind,
    actor_id: i64,
    thread_id: i64,
    post_id: i64,
    title: &str,
) -> AppResult<()> {
    let effect = NotifyEffect {
        user_id,
        kind,
        actor_id: Some(actor_id),
        thread_id: Some(thread_id),
        post_id: Some(post_id),
        title: title.to_owned(),
        link: String::new(),
    };
    let payload =
        serde_json::to_value(&effect).map_err(|e| crate::AppError::Internal(e.to_string()))?;
    outbox::enqueue(tx, NOTIFY, &payload, clock::now()).await?;
    Ok(())
}

/// Records a moderation notice (no actor, no thread) for `user_id`, e.g. a report's outcome.
pub(crate) async fn record_notice(tx: &mut Tx, user_id: i64, sentence: &str) -> AppResult<()> {
    record_sentence(tx, user_id, NotificationKind::Moderation, None, sentence).await
}

/// Records a notification that is one whole sentence (no thread), from `actor_id` when a
/// person caused it: follows, endorsements, coaching steps, moderation notices.
pub(crate) async fn record_sentence(
    tx: &mut Tx,
    user_id: i64,
    kind: NotificationKind,
    actor_id: Option<i64>,
    sentence: &str,
) -> AppResult<()> {
    record_linked(tx, user_id, kind, actor_id, sentence, "").await
}

/// Records a notification that is a whole sentence with its own local link (no thread), e.g.
/// "Grace Hopper checked in".
pub(crate) async fn record_linked(
    tx: &mut Tx,
    user_id: i64,
    kind: NotificationKind,
    actor_id: Option<i64>,
    sentence: &str,
    link: &str,
) -> AppResult<()> {
    let effect = NotifyEffect {
        user_id,
        kind,
        actor_id,
        thread_id: None,
        post_id: None,
        title: sentence.to_owned(),
        link: link.to_owned(),
    };
    let payload =
        serde_json::to_value(&effect).map_err(|e| crate::AppError::Internal(e.to_string()))?;
    outbox::enqueue(tx, NOTIFY, &payload, clock::now()).await?;
    Ok(())
}

/// The outbox handler: writes the notification and announces the new unread count.
pub(crate) async fn deliver(app: App, payload: Value) -> EffectResult {
    let effect: NotifyEffect =
        serde_json::from_value(payload).map_err(|e| format!("malformed notify effect: {e}"))?;
    let notification = NewNotification {
        user_id: effect.user_id,
        kind: effect.kind.as_str(),
        actor_id: effect.actor_id,
        thread_id: effect.thread_id,
        post_id: effect.post_id,
        title: &effect.title,
        link: &effect.link,
        now: clock::now(),
    };
    // Read before the transaction: no pool query while it is open.
    let by_email = crate::email::wants_notification_emails(&app, effect.user_id)
        .await
        .map_err(|e| e.to_string())?;
    if by_email {
        // The email is recorded with the notification: both or neither.
        let mut tx = app.db().begin().await.map_err(|e| e.to_string())?;
        let id = store::insert_in(&mut tx, &notification)
            .await
            .map_err(|e| e.to_string())?;
        crate::email::record_notification_email(&mut tx, effect.user_id, id)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
    } else {
        store::insert(app.db(), &notification)
            .await
            .map_err(|e| e.to_string())?;
    }
    let count = store::unread_count(app.db(), effect.user_id)
        .await
        .map_err(|e| e.to_string())?;
    app.publish(LiveEvent::Unread {
        user_id: effect.user_id,
        count,
    });
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: String,
    /// A sentence: "Alan Turing replied to “How do I …”".
    pub text: String,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl App {
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.inner.live.subscribe()
    }

    /// Nobody listening is fine: live updates are a convenience over reloading.
    pub(crate) fn publish(&self, event: LiveEvent) {
        if let Some(relay) = self.inner.relay.get() {
            let _ = relay.send(event.clone());
        }
        let _ = self.inner.live.send(event);
    }

    pub async fn unread_notifications(&self, viewer: &Viewer) -> AppResult<i64> {
        Ok(store::unread_count(self.db(), viewer.id).await?)
    }

    pub async fn notifications(
        &self,
        viewer: &Viewer,
        before: Option<i64>,
    ) -> AppResult<Vec<NotificationView>> {
        let rows = store::recent(self.db(), viewer.id, before.unwrap_or(i64::MAX), PAGE).await?;
        Ok(rows
            .into_iter()
            .map(|n| {
                let (text, url) = describe(&n, viewer.id);
                NotificationView {
                    id: n.id,
                    kind: n.kind,
                    text,
                    url,
                    created_at: n.created_at,
                    read: n.read_at.is_some(),
                }
            })
            .collect())
    }

    /// Marks one notification (or all) read and announces the new count.
    pub async fn mark_notifications_read(
        &self,
        viewer: &Viewer,
        id: Option<i64>,
    ) -> AppResult<i64> {
        store::mark_read(self.db(), viewer.id, id, clock::now()).await?;
        let count = store::unread_count(self.db(), viewer.id).await?;
        self.publish(LiveEvent::Unread {
            user_id: viewer.id,
            count,
        });
        Ok(count)
    }
}

/// A notification as a sentence ("Alan Turing replied in “How do I …”") and the local link it
/// leads to; the page and the email say the same.
pub(crate) fn describe(
    n: &guildhall_store::notify::NotificationRow,
    user_id: i64,
) -> (String, Option<String>) {
    let actor = n.actor_name.clone().unwrap_or_else(|| "Someone".into());
    let text = match n.kind.as_str() {
        "answer_accepted" => format!("{actor} accepted your answer to “{}”", n.title),
        "mention" => format!("{actor} mentioned you in “{}”", n.title),
        "new_thread" => format!("{actor} started “{}” in a space you watch", n.title),
        "moderation" | "partners" | "follow" | "endorsement" | "coaching" | "care"
        | "invitation" | "recognition" | "library" => n.title.clone(),
        _ => format!("{actor} replied in “{}”", n.title),
    };
    let url = match (n.kind.as_str(), n.thread_id) {
        _ if !n.link.is_empty() => Some(n.link.clone()),
        ("moderation", _) => Some("/moderation/mine".to_owned()),
        ("follow", _) => n.actor_id.map(|actor| format!("/people/{actor}")),
        ("endorsement", _) => Some(format!("/people/{user_id}#endorsements")),
        ("coaching", _) => Some("/coaching".to_owned()),
        (_, Some(t)) => Some(match n.post_id {
            Some(p) => format!("/t/{t}#post-{p}"),
            None => format!("/t/{t}"),
        }),
        _ => None,
    };
    (text, url)
}
