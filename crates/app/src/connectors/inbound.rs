//! Content arriving from outside: a tool posting through an incoming webhook (bearer token,
//! optionally signed the Standard Webhooks way) and, through the same `publish_inbound`, Matrix
//! room messages. Each is written by its author there (a remote person, never a member's name);
//! everything goes through the content check, and text that would be nudged waits in the review
//! queue (a remote author cannot rephrase). Refused requests write nothing.

use crate::moderation::Place;
use crate::nexus::remote::{RemoteAuthor, RemoteProfile};
use crate::people::Viewer;
use crate::threads::Arrival;
use crate::{App, AppError, AppResult, clock, secrets};
use guildhall_domain::FieldErrors;
use guildhall_domain::connectors::{ConnectorKind, SignatureError, decode_secret, verify};
use guildhall_domain::nexus::Origin;
use guildhall_domain::threads::{ThreadKind, parse_post_body, parse_title};
use guildhall_store::connectors::{self as store, ConnectorRow};
use guildhall_store::threads::{self as store_threads, ThreadRow};
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
    /// Who wrote it there.
    pub author: RemoteProfile,
    pub text: String,
    /// A new thread with this title when `thread_id` is `None`.
    pub title: Option<String>,
    pub thread_id: Option<i64>,
    pub reply_to: Option<i64>,
    /// Its id on the platform (Matrix event id), for edits and deletions to follow.
    pub remote_id: Option<String>,
}

const AUTHOR_MAX: usize = 80;

/// The platform a connector carries messages from.
fn origin_of(connector: &ConnectorRow) -> Origin {
    match ConnectorKind::parse(&connector.kind) {
        Some(ConnectorKind::Matrix) => Origin::Matrix,
        _ => Origin::Webhook,
    }
}

/// The tool posting through an incoming webhook, or the person it says it speaks for: known
/// per connector, shown as `name@webhook`.
fn tool_profile(connector: &ConnectorRow, author: &str) -> RemoteProfile {
    let handle = if author.is_empty() {
        connector.name.clone()
    } else {
        author.to_owned()
    };
    RemoteProfile {
        address: format!("{}/{handle}", connector.id),
        handle,
        server: "webhook".into(),
        ..RemoteProfile::default()
    }
}

fn no_such_thread() -> AppError {
    AppError::invalid("thread_id", "There is no such thread in this space.")
}

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
            author: tool_profile(&connector, &author),
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

    /// Publishes a message from outside in the connector's space, as its author there (a
    /// remote person, shown as `handle@server`), through the content check.
    pub(crate) async fn publish_inbound(
        &self,
        connector: &ConnectorRow,
        message: &InboundMessage,
    ) -> AppResult<i64> {
        // Checked before the author is remembered: refused input writes nothing.
        parse_post_body(&message.text).map_err(|m| AppError::invalid("text", m))?;
        let thread = match message.thread_id {
            Some(thread_id) => Some(self.connector_thread(connector, thread_id).await?),
            None => {
                parse_title(message.title.as_deref().unwrap_or(""))
                    .map_err(|m| AppError::invalid("title", m))?;
                None
            }
        };
        let origin = origin_of(connector);
        let author = self.remember_remote(origin, &message.author).await?;
        author.may_write()?;
        let arrival = Arrival::Connected {
            connector_id: connector.id,
            origin,
            remote_id: message.remote_id.as_deref(),
        };
        match thread {
            // A thread waiting for review takes replies only from its own author.
            Some(thread)
                if thread.hidden_at.is_some() && thread.author_id != Some(author.user_id) =>
            {
                Err(no_such_thread())
            }
            Some(thread) => {
                let space = self.space_from_outside(connector.space_id).await?;
                let viewer = author.viewer();
                let text = &message.text;
                self.write_reply(
                    &viewer,
                    (&thread, &space),
                    text,
                    message.reply_to,
                    true,
                    arrival,
                )
                .await
            }
            None => {
                let title = message.title.as_deref().unwrap_or("");
                self.connected_thread(&author, connector, (title, &message.text), arrival)
                    .await
            }
        }
    }

    /// A thread of the connector's own space; others do not exist for it.
    async fn connector_thread(
        &self,
        connector: &ConnectorRow,
        thread_id: i64,
    ) -> AppResult<ThreadRow> {
        store_threads::thread(self.db(), thread_id)
            .await?
            .filter(|t| t.space_id == connector.space_id)
            .ok_or_else(no_such_thread)
    }

    /// A new discussion in the connector's space; returns its opening post.
    async fn connected_thread(
        &self,
        author: &RemoteAuthor,
        connector: &ConnectorRow,
        (title, text): (&str, &str),
        arrival: Arrival<'_>,
    ) -> AppResult<i64> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", parse_title(title));
        let text = errors.check("text", parse_post_body(text));
        let (Some(title), Some(text), true) = (title, text, errors.is_empty()) else {
            return Err(errors.into());
        };
        let viewer = author.viewer();
        let space = self.space_from_outside(connector.space_id).await?;
        // A remote author cannot rephrase: what the check would nudge waits for a moderator.
        let words = [("title", title.as_str()), ("body", text.as_str())];
        let screened = self
            .screen(&viewer, Place::Thread, Some(space.id), &words, true)
            .await?;
        let (title, text) = (screened.text(0).to_owned(), screened.text(1).to_owned());
        let opening = self
            .prepare_opening(
                &viewer,
                &space,
                ThreadKind::Discussion,
                title,
                text,
                None,
                screened.held,
            )
            .await?;
        let mut tx = self.db().begin().await?;
        let (_, post_id) = opening
            .write(self, &mut tx, (viewer.id, arrival), clock::now())
            .await?;
        tx.commit().await?;
        opening.announce(self);
        Ok(post_id)
    }

    /// A platform's edit of a message its author sent: checked again like a member's edit.
    pub(crate) async fn edit_inbound(
        &self,
        connector: &ConnectorRow,
        post_id: i64,
        sender: &str,
        text: &str,
    ) -> AppResult<()> {
        parse_post_body(text).map_err(|m| AppError::invalid("text", m))?;
        let author = self
            .remote_person(origin_of(connector), sender)
            .await?
            .ok_or(AppError::NotFound)?;
        author.may_write()?;
        self.edit_post(&author.viewer(), post_id, text, true)
            .await?;
        Ok(())
    }

    /// A platform's deletion of a message: by its author, or by the platform's own moderators
    /// (a Matrix room's), whom the administrator who connected the room trusted.
    pub(crate) async fn delete_inbound(
        &self,
        connector: &ConnectorRow,
        post_id: i64,
        sender: &str,
    ) -> AppResult<()> {
        let author = self.remote_person(origin_of(connector), sender).await?;
        let by_author = match &author {
            Some(author) => store_threads::post(self.db(), post_id)
                .await?
                .is_some_and(|p| p.author_id == Some(author.user_id)),
            None => false,
        };
        let viewer = match author {
            Some(author) if by_author => author.viewer(),
            _ => self.inbound_viewer(connector).await?,
        };
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
