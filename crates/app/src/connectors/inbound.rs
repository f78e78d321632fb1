//! Content arriving from outside: a tool posting through an incoming webhook (bearer token,
//! optionally signed the Standard Webhooks way) and, through the same `publish`, Matrix room
//! messages. Everything goes through the content check; text that would be nudged waits in the
//! review queue (a remote author cannot rephrase). Refused requests write nothing.

use crate::people::Viewer;
use crate::threads::ThreadInput;
use crate::{App, AppError, AppResult, clock, secrets};
use guildhall_domain::connectors::{ConnectorKind, SignatureError, decode_secret, verify};
use guildhall_domain::threads::parse_post_body;
use guildhall_store::connectors::{self as store, ConnectorRow};
use guildhall_store::threads as store_threads;
use serde::Deserialize;
use subtle::ConstantTimeEq;

/// An incoming webhook request as `nexus` received it.
#[derive(Debug, Clone, Copy)]
pub struct HookRequest<'a> {
    pub token: Option<&'a str>,
    pub webhook_id: Option<&'a str>,
    pub timestamp: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub body: &'a [u8],
}

/// The JSON a tool sends: a reply to `thread_id`, or a new thread with `title`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HookBody {
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    thread_id: Option<i64>,
    #[serde(default)]
    reply_to: Option<i64>,
    /// Who the tool speaks for (shown with the text), e.g. "CI bot".
    #[serde(default)]
    author: Option<String>,
}

/// A message from another platform, ready to publish in the connector's space.
#[derive(Debug, Clone)]
pub struct InboundMessage {
    pub author_name: String,
    pub text: String,
    /// A new thread with this title when `thread_id` is `None`.
    pub title: Option<String>,
    pub thread_id: Option<i64>,
    pub reply_to: Option<i64>,
    /// Its id on the platform (Matrix event id), for edits and deletions to follow.
    pub remote_id: Option<String>,
}

const AUTHOR_MAX: usize = 80;

fn refused(code: &'static str, message: &str) -> AppError {
    AppError::forbidden(code, message)
}

fn signature_refused(error: SignatureError) -> AppError {
    match error {
        SignatureError::MalformedTimestamp => AppError::BadRequest(error.message().into()),
        SignatureError::StaleTimestamp => refused("stale_timestamp", error.message()),
        SignatureError::Mismatch => refused("invalid_signature", error.message()),
    }
}

fn token_matches(connector: &ConnectorRow, token: Option<&str>) -> bool {
    let (Some(expected), Some(token)) = (connector.token_hash.as_deref(), token) else {
        return false;
    };
    secrets::hash_token(token)
        .as_bytes()
        .ct_eq(expected.as_bytes())
        .into()
}

impl App {
    /// `POST /hooks/{id}`: checks the token, signature, freshness and replay, then publishes.
    /// Returns the new post's id.
    pub async fn hook_in(&self, id: i64, request: HookRequest<'_>) -> AppResult<i64> {
        let connector = store::get(self.db(), id)
            .await?
            .filter(|c| c.kind == ConnectorKind::Incoming.as_str())
            .ok_or(AppError::NotFound)?;
        if !token_matches(&connector, request.token) {
            return Err(AppError::Unauthenticated);
        }
        if !connector.active {
            return Err(refused(
                "connector_inactive",
                "This connector is switched off; an administrator can switch it on.",
            ));
        }
        let now = clock::now();
        let tolerance = self.settings().connectors.tolerance_secs;
        if let Some(signature) = request.signature {
            let (Some(webhook_id), Some(timestamp)) = (request.webhook_id, request.timestamp)
            else {
                return Err(AppError::BadRequest(
                    "A signed request needs the webhook-id and webhook-timestamp headers.".into(),
                ));
            };
            let key = connector
                .signing_secret
                .as_deref()
                .and_then(decode_secret)
                .ok_or_else(|| AppError::Internal("incoming connector without a secret".into()))?;
            verify(
                &key,
                webhook_id,
                timestamp,
                request.body,
                signature,
                now.timestamp(),
                tolerance,
            )
            .map_err(signature_refused)?;
        } else if let Some(timestamp) = request.timestamp {
            let at: i64 = timestamp
                .trim()
                .parse()
                .map_err(|_| signature_refused(SignatureError::MalformedTimestamp))?;
            if (now.timestamp() - at).abs() > tolerance {
                return Err(signature_refused(SignatureError::StaleTimestamp));
            }
        }
        let body: HookBody = serde_json::from_slice(request.body).map_err(|e| {
            AppError::BadRequest(format!("The body is not the JSON this hook takes: {e}"))
        })?;
        let author = guildhall_domain::fields::optional_line(
            body.author.as_deref().unwrap_or(""),
            AUTHOR_MAX,
        )
        .map_err(|m| AppError::invalid("author", m))?;
        let message = InboundMessage {
            author_name: if author.is_empty() {
                connector.name.clone()
            } else {
                author
            },
            text: body.text,
            title: body.title,
            thread_id: body.thread_id,
            reply_to: body.reply_to,
            remote_id: request.webhook_id.map(str::to_owned),
        };
        // Remembered before publishing so that two copies racing in cannot both pass; forgotten
        // again when the message is refused, so a corrected retry may use the same id.
        if let Some(webhook_id) = request.webhook_id {
            store::forget_seen(self.db(), now - chrono::Duration::seconds(2 * tolerance)).await?;
            let mut tx = self.db().begin().await?;
            let fresh = store::remember_in(&mut tx, connector.id, webhook_id, now).await?;
            tx.commit().await?;
            if !fresh {
                return Err(AppError::Conflict {
                    code: "replayed",
                    message: "This webhook-id was delivered already.".into(),
                });
            }
        }
        let published = self.publish_inbound(&connector, &message).await;
        match (&published, request.webhook_id) {
            (Err(_), Some(webhook_id)) => {
                store::forget_message(self.db(), connector.id, webhook_id).await?;
            }
            (Ok(_), _) => store::record_outcome(self.db(), connector.id, None, now).await?,
            _ => {}
        }
        published
    }

    /// Publishes a message from outside in the connector's space, through the content check.
    ///
    /// Interim author: the administrator who set the connector up, with the remote author's name
    /// leading the text. Remote authors (shadow accounts per platform person) replace this.
    pub(crate) async fn publish_inbound(
        &self,
        connector: &ConnectorRow,
        message: &InboundMessage,
    ) -> AppResult<i64> {
        // Checked before the name is put in front of it, which would make an empty text pass.
        parse_post_body(&message.text).map_err(|m| AppError::invalid("text", m))?;
        let viewer = self.inbound_viewer(connector).await?;
        let body = format!(
            "**{}** (via {}):\n\n{}",
            message.author_name, connector.name, message.text
        );
        let post_id = match message.thread_id {
            Some(thread_id) => {
                self.inbound_thread(&viewer, connector, thread_id).await?;
                self.reply(&viewer, thread_id, &body, message.reply_to, true)
                    .await?
            }
            None => {
                let title = message.title.clone().unwrap_or_default();
                let slug = self.inbound_space_slug(&viewer, connector).await?;
                let input = ThreadInput {
                    kind: "discussion".into(),
                    title,
                    body,
                    send_for_review: true,
                    ..ThreadInput::default()
                };
                let thread_id = self.start_thread(&viewer, &slug, &input).await?;
                store_threads::opening_post_id(self.db(), thread_id)
                    .await?
                    .ok_or(AppError::NotFound)?
            }
        };
        store::mark_inbound(
            self.db(),
            connector.id,
            post_id,
            message.remote_id.as_deref(),
            clock::now(),
        )
        .await?;
        Ok(post_id)
    }

    /// A thread of the connector's own space; others do not exist for it.
    async fn inbound_thread(
        &self,
        viewer: &Viewer,
        connector: &ConnectorRow,
        thread_id: i64,
    ) -> AppResult<()> {
        let (thread, _) = self.readable_thread(viewer, thread_id).await.map_err(|_| {
            AppError::invalid("thread_id", "There is no such thread in this space.")
        })?;
        if thread.space_id != connector.space_id {
            return Err(AppError::invalid(
                "thread_id",
                "There is no such thread in this space.",
            ));
        }
        Ok(())
    }

    async fn inbound_space_slug(
        &self,
        viewer: &Viewer,
        connector: &ConnectorRow,
    ) -> AppResult<String> {
        Ok(self.space_by_id(viewer, connector.space_id).await?.slug)
    }

    /// A platform's edit of a message it sent (interim author, as in `publish_inbound`).
    pub(crate) async fn edit_inbound(
        &self,
        connector: &ConnectorRow,
        post_id: i64,
        author_name: &str,
        text: &str,
    ) -> AppResult<()> {
        parse_post_body(text).map_err(|m| AppError::invalid("text", m))?;
        let viewer = self.inbound_viewer(connector).await?;
        let body = format!("**{author_name}** (via {}):\n\n{text}", connector.name);
        self.edit_post(&viewer, post_id, &body, true).await?;
        Ok(())
    }

    /// A platform's deletion of a message it sent.
    pub(crate) async fn delete_inbound(
        &self,
        connector: &ConnectorRow,
        post_id: i64,
    ) -> AppResult<()> {
        let viewer = self.inbound_viewer(connector).await?;
        self.delete_post(&viewer, post_id).await?;
        Ok(())
    }

    async fn inbound_viewer(&self, connector: &ConnectorRow) -> AppResult<Viewer> {
        let owner = connector.created_by.ok_or_else(|| {
            refused(
                "connector_orphaned",
                "Whoever set this connector up has left; an administrator must set it up again.",
            )
        })?;
        self.viewer_for_cli(owner).await
    }
}
