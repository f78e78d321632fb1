//! What leaves: a member's post in a federated space becomes a `Create` wrapped in the group's
//! `Announce` (FEP-1b12). The post's transaction records one fan-out row; the worker turns it
//! into one delivery per remote inbox, each retried with backoff on its own, so a slow or dead
//! server delays nobody else.

use crate::outbox::{BoxedEffect, Effect, EffectResult};
use crate::{App, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::nexus::documents::{self as ap, Instance, PostFacts};
use guildhall_store::nexus::federation as store;
use guildhall_store::outbox;
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

/// Records, in the post's own transaction, that the post goes out to the space's followers —
/// when federation is on and the space is federated; otherwise nothing.
pub async fn share(app: &App, tx: &mut Tx, post: &SharedPost<'_>) -> StoreResult<()> {
    let Some(slug) = store::federated_slug_in(tx, post.space_id).await? else {
        return Ok(());
    };
    let instance = Instance {
        base: app.public_base(),
        public_key_pem: "",
    };
    let page_url = format!(
        "{}/t/{}#post-{}",
        instance.base, post.thread_id, post.post_id
    );
    let in_reply_to = post.title.is_none().then(|| match post.reply_to {
        Some(target) => instance.post(target),
        None => instance.thread(post.thread_id),
    });
    let object = ap::post_object(
        &instance,
        &PostFacts {
            post_id: post.post_id,
            thread_id: post.thread_id,
            title: post.title,
            body_html: post.body_html,
            author_id: post.author_id,
            group_slug: &slug,
            in_reply_to,
            page_url: &page_url,
            published: post.at,
            updated: None,
        },
    );
    let key = post.post_id.to_string();
    let group = instance.group(&slug);
    let create = ap::activity(
        "Create",
        &instance.activity("Create", &key),
        &instance.person(post.author_id),
        object,
        &group,
    );
    let announce = ap::announce(
        &instance,
        &slug,
        &instance.activity("Announce", &key),
        create,
    );
    let payload = FanOut {
        space_id: post.space_id,
        activity: announce,
        key_id: format!("{group}#main-key"),
    };
    let payload = serde_json::to_value(&payload).unwrap_or(Value::Null);
    outbox::enqueue(tx, FAN_OUT, &payload, post.at)
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
