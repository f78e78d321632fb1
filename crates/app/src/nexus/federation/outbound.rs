//! What leaves: a member's post in a federated space becomes a `Create` wrapped in the group's
//! `Announce` (FEP-1b12); its edits an `Update`, its deletion a `Delete` of a `Tombstone`. The post's transaction records one fan-out row; the worker turns it
//! into one delivery per remote inbox, each retried with backoff on its own, so a slow or dead
//! server delays nobody else.

use crate::outbox::{BoxedEffect, Effect, EffectResult};
use crate::{App, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::nexus::Origin;
use guildhall_domain::nexus::documents::{self as ap, Instance, PostFacts};
use guildhall_store::nexus::federation as store;
use guildhall_store::outbox;
use guildhall_store::threads as store_threads;
use guildhall_store::{Result as StoreResult, Tx};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One signed POST of an activity to one remote inbox; carried out by the `nexus` crate.
pub const DELIVER: &str = "federation.deliver";
const FAN_OUT: &str = "federation.fan_out";

pub(crate) const EFFECTS: &[Effect] = &[Effect {
    kind: FAN_OUT,
    run: |app, payload| -> BoxedEffect { Box::pin(fan_out(app, payload)) },
}];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub inbox: String,
    pub activity: Value,
    /// The key that signs it: the sending actor's `…#main-key`.
    pub key_id: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct FanOut {
    space_id: i64,
    activity: Value,
    key_id: String,
}

/// A post just written, as federation needs it.
pub struct SharedPost<'a> {
    pub space_id: i64,
    pub thread_id: i64,
    pub post_id: i64,
    /// The thread's title when this is its opening post.
    pub title: Option<&'a str>,
    pub body_html: &'a str,
    pub author_id: i64,
    pub reply_to: Option<i64>,
    pub at: DateTime<Utc>,
}

/// What happened to a post that followers hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Written, or approved by a moderator after waiting for review.
    Created,
    Updated,
    Deleted,
}

/// Records, in the post's own transaction, that the post goes out to the space's followers —
/// when federation is on and the space is federated; otherwise nothing.
pub async fn share(app: &App, tx: &mut Tx, post: &SharedPost<'_>) -> StoreResult<()> {
    let Some(slug) = store::federated_slug_in(tx, post.space_id).await? else {
        return Ok(());
    };
    announce(app, tx, post, &slug, (Change::Created, post.at)).await
}

/// A post that went out (or would have, had it not waited for review) was approved, edited or
/// deleted: followers hear of it in the same transaction. Posts from other platforms are
/// their servers' to announce.
pub(crate) async fn post_changed(
    app: &App,
    tx: &mut Tx,
    post_id: i64,
    change: Change,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let Some(post) = store_threads::post_in(tx, post_id).await? else {
        return Ok(());
    };
    let by_member = matches!(
        Origin::parse(&post.origin),
        Some(Origin::Guildhall | Origin::Email)
    );
    let Some(author_id) = post.author_id.filter(|_| by_member) else {
        return Ok(());
    };
    let Some((space_id, slug, title)) = store::federated_thread_in(tx, post.thread_id).await?
    else {
        return Ok(());
    };
    let opening = store_threads::opening_post_id_in(tx, post.thread_id).await? == Some(post_id);
    let shared = SharedPost {
        space_id,
        thread_id: post.thread_id,
        post_id,
        title: opening.then_some(title.as_str()),
        body_html: &post.body_html,
        author_id,
        reply_to: post.reply_to_id,
        at: post.created_at,
    };
    announce(app, tx, &shared, &slug, (change, now)).await
}

/// The member's activity about the post, wrapped in the group's `Announce` (FEP-1b12), as one
/// fan-out row.
async fn announce(
    app: &App,
    tx: &mut Tx,
    post: &SharedPost<'_>,
    slug: &str,
    (change, now): (Change, DateTime<Utc>),
) -> StoreResult<()> {
    let instance = Instance {
        base: app.public_base(),
        public_key_pem: "",
    };
    let object = match change {
        Change::Deleted => ap::tombstone(&match post.title {
            Some(_) => instance.thread(post.thread_id),
            None => instance.post(post.post_id),
        }),
        Change::Created | Change::Updated => {
            let page_url = format!(
                "{}/t/{}#post-{}",
                instance.base, post.thread_id, post.post_id
            );
            let in_reply_to = post.title.is_none().then(|| match post.reply_to {
                Some(target) => instance.post(target),
                None => instance.thread(post.thread_id),
            });
            ap::post_object(
                &instance,
                &PostFacts {
                    post_id: post.post_id,
                    thread_id: post.thread_id,
                    title: post.title,
                    body_html: post.body_html,
                    author_id: post.author_id,
                    group_slug: slug,
                    in_reply_to,
                    page_url: &page_url,
                    published: post.at,
                    updated: (change == Change::Updated).then_some(now),
                },
            )
        }
    };
    let (verb, key) = match change {
        Change::Created => ("Create", post.post_id.to_string()),
        // Each edit is its own activity: receivers drop an id they have seen.
        Change::Updated => (
            "Update",
            format!("{}-{}", post.post_id, now.timestamp_micros()),
        ),
        Change::Deleted => ("Delete", post.post_id.to_string()),
    };
    let group = instance.group(slug);
    let activity = ap::activity(
        verb,
        &instance.activity(verb, &key),
        &instance.person(post.author_id),
        object,
        &group,
    );
    let announce_key = match change {
        Change::Created => key.clone(),
        _ => format!("{}-{key}", verb.to_lowercase()),
    };
    let announce = ap::announce(
        &instance,
        slug,
        &instance.activity("Announce", &announce_key),
        activity,
    );
    let payload = FanOut {
        space_id: post.space_id,
        activity: announce,
        key_id: format!("{group}#main-key"),
    };
    let payload = serde_json::to_value(&payload).unwrap_or(Value::Null);
    outbox::enqueue(tx, FAN_OUT, &payload, now)
        .await
        .map(|_| ())
}

/// One delivery row per follower inbox, written in one transaction.
async fn fan_out(app: App, payload: Value) -> EffectResult {
    let fan_out: FanOut =
        serde_json::from_value(payload).map_err(|e| format!("malformed fan-out: {e}"))?;
    let now = clock::now();
    let write = async {
        let mut tx = app.db().begin().await?;
        let inboxes = store::follower_inboxes_in(&mut tx, fan_out.space_id).await?;
        for inbox in inboxes {
            enqueue_delivery(
                &mut tx,
                &Delivery {
                    inbox,
                    activity: fan_out.activity.clone(),
                    key_id: fan_out.key_id.clone(),
                },
                now,
            )
            .await?;
        }
        tx.commit().await
    };
    write
        .await
        .map_err(|e: guildhall_store::StoreError| e.to_string())
}

pub(crate) async fn enqueue_delivery(
    tx: &mut Tx,
    delivery: &Delivery,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let payload = serde_json::to_value(delivery).unwrap_or(Value::Null);
    outbox::enqueue(tx, DELIVER, &payload, at).await.map(|_| ())
}
