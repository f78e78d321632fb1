//! Posts going out: recorded as outbox effects in the post's own transaction (one per
//! connector, so each retries and dies on its own), carried out by the worker that `nexus`
//! registers. Held posts are recorded when a moderator approves them, never before.

use super::http;
use crate::outbox::EffectResult;
use crate::{App, AppResult, clock, secrets};
use chrono::{DateTime, Utc};
use guildhall_domain::connectors::{ConnectorKind, Event, Message, body_for, decode_secret, sign};
use guildhall_store::Tx;
use guildhall_store::connectors::{self as store, ConnectorRow, LinkRow};
use guildhall_store::outbox as store_outbox;
use guildhall_store::threads as store_threads;
use hyper::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

/// The outbox effect kind of one delivery to one connector.
pub const DELIVER: &str = "connectors.deliver";

#[derive(Debug, Serialize, Deserialize)]
struct Delivery {
    connector_id: i64,
    post_id: i64,
    event: String,
    /// Stable across retries: receivers of signed webhooks drop duplicates by it.
    message_id: String,
}

async fn enqueue(
    tx: &mut Tx,
    connector_id: i64,
    post_id: i64,
    event: Event,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let delivery = Delivery {
        connector_id,
        post_id,
        event: event.as_str().to_owned(),
        message_id: secrets::new_token("msg_")?,
    };
    let payload = serde_json::to_value(&delivery).unwrap_or(Value::Null);
    let outbox_id = store_outbox::enqueue(tx, DELIVER, &payload, now).await?;
    store::record_delivery(tx, outbox_id, connector_id, post_id, event.as_str(), now).await?;
    Ok(())
}

/// A post became public in a space (written, or approved by a moderator): every active
/// connector of the space that sends gets it once.
pub(crate) async fn post_published(
    tx: &mut Tx,
    space_id: i64,
    post_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (connector_id, _) in store::senders_in(tx, space_id).await? {
        if store::link_post_in(tx, connector_id, post_id, "out", None, now).await? {
            enqueue(tx, connector_id, post_id, Event::Created, now).await?;
        }
    }
    Ok(())
}

/// A post was edited or deleted: connectors that carried it and can follow changes hear of it.
pub(crate) async fn post_changed(
    tx: &mut Tx,
    post_id: i64,
    event: Event,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (connector_id, kind) in store::links_of_post_in(tx, post_id).await? {
        if ConnectorKind::parse(&kind).is_some_and(ConnectorKind::follows_changes) {
            enqueue(tx, connector_id, post_id, event, now).await?;
        }
    }
    Ok(())
}

/// What a delivery is about, read after the commit by the worker.
pub(crate) struct Outgoing {
    pub connector: ConnectorRow,
    pub kind: ConnectorKind,
    pub event: Event,
    pub message: Message,
    /// The post's author, whose virtual user speaks for them in Matrix.
    pub author_id: Option<i64>,
    pub link: Option<LinkRow>,
    pub message_id: String,
}

impl App {
    /// Carries out one delivery; an error is retried by the outbox with backoff, and the
    /// connector shows it as its last error.
    pub async fn deliver_to_connector(&self, payload: Value) -> EffectResult {
        let delivery: Delivery =
            serde_json::from_value(payload).map_err(|e| format!("malformed delivery: {e}"))?;
        let Some(outgoing) = self.outgoing(delivery).await.map_err(|e| e.to_string())? else {
            return Ok(());
        };
        let connector_id = outgoing.connector.id;
        let outcome = match outgoing.kind {
            ConnectorKind::Matrix => super::matrix::deliver(self, &outgoing).await,
            _ => self.send_webhook(&outgoing).await,
        };
        let error = outcome.as_ref().err().map(String::as_str);
        store::record_outcome(self.db(), connector_id, error, clock::now())
            .await
            .map_err(|e| e.to_string())?;
        outcome
    }

    /// `None` when there is nothing (left) to send: the connector was removed or paused, the
    /// post came from this connector, or it is gone or hidden again.
    async fn outgoing(&self, delivery: Delivery) -> AppResult<Option<Outgoing>> {
        let Some(event) = Event::parse(&delivery.event) else {
            return Ok(None);
        };
        let Some(connector) = store::get(self.db(), delivery.connector_id)
            .await?
            .filter(|c| c.active)
        else {
            return Ok(None);
        };
        let Some(kind) = ConnectorKind::parse(&connector.kind) else {
            return Ok(None);
        };
        let link = store::link_of_post(self.db(), connector.id, delivery.post_id).await?;
        if link.as_ref().is_some_and(|l| l.direction == "in") {
            return Ok(None);
        }
        let Some(post) = store_threads::post(self.db(), delivery.post_id).await? else {
            return Ok(None);
        };
        let gone = post.deleted_at.is_some() || post.hidden_at.is_some();
        if gone && event != Event::Deleted {
            return Ok(None);
        }
        let thread = store_threads::thread(self.db(), post.thread_id).await?;
        let opening =
            store_threads::opening_post_id(self.db(), post.thread_id).await? == Some(post.id);
        let base = self.settings().server.public_url.trim_end_matches('/');
        let author_id = post.author_id;
        let message = Message {
            post_id: post.id,
            thread_id: post.thread_id,
            space_slug: thread
                .as_ref()
                .map(|t| t.space_slug.clone())
                .unwrap_or_default(),
            space_name: thread
                .as_ref()
                .map(|t| t.space_name.clone())
                .unwrap_or_default(),
            thread_title: thread.as_ref().map(|t| t.title.clone()).unwrap_or_default(),
            author_name: post.author_name.unwrap_or_else(|| "Former member".into()),
            text: if gone { String::new() } else { post.body },
            url: format!("{base}/t/{}#post-{}", post.thread_id, post.id),
            opening,
            at: post.edited_at.unwrap_or(post.created_at),
        };
        Ok(Some(Outgoing {
            connector,
            kind,
            event,
            message,
            author_id,
            link,
            message_id: delivery.message_id,
        }))
    }

    pub(crate) fn connector_timeout(&self) -> Duration {
        Duration::from_secs(self.settings().connectors.timeout_secs.max(1))
    }

    async fn send_webhook(&self, out: &Outgoing) -> EffectResult {
        let Some(body) = body_for(out.kind, out.event, &out.message) else {
            return Ok(());
        };
        let body = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
        let mut headers = Vec::new();
        if out.kind == ConnectorKind::Webhook {
            let key = out
                .connector
                .signing_secret
                .as_deref()
                .and_then(decode_secret)
                .ok_or("the connector has no signing secret")?;
            let timestamp = clock::now().timestamp();
            let signature =
                sign(&key, &out.message_id, timestamp, &body).ok_or("could not sign")?;
            headers.push(("webhook-id", out.message_id.clone()));
            headers.push(("webhook-timestamp", timestamp.to_string()));
            headers.push(("webhook-signature", signature));
        }
        let answer = http::send(
            Method::POST,
            &out.connector.target,
            &headers,
            body,
            self.connector_timeout(),
        )
        .await?;
        if answer.is_success() {
            Ok(())
        } else {
            Err(answer.describe())
        }
    }
}
