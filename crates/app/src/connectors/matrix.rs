//! The Matrix application service: a space mirrored into a room both ways.
//!
//! Out: each member appears in the room as a virtual user `@<prefix><id>:<server>` registered
//! through the application service; posts are sent with `?user_id=`, replies as a Matrix thread
//! under the opening post, edits as `m.replace`, deletions as redactions.
//! In: the homeserver pushes transactions (`nexus`); room messages come back as replies after
//! the content check, their edits and redactions follow.

mod client;

use super::inbound::InboundMessage;
use super::outbound::Outgoing;
use crate::nexus::remote::RemoteProfile;
use crate::outbox::EffectResult;
use crate::{App, AppError, AppResult, Settings, clock};
use client::Client;
use guildhall_domain::connectors::Event;
use guildhall_store::connectors::{self as store, ConnectorRow};
use guildhall_store::threads as store_threads;
use serde_json::{Value, json};
use subtle::ConstantTimeEq;

/// Sends one delivery to the connector's room.
pub(crate) async fn deliver(app: &App, out: &Outgoing) -> EffectResult {
    let client = Client::new(app).ok_or(
        "Matrix is not set up on this server (connectors.matrix.homeserver_url and as_token)",
    )?;
    let settings = &app.settings().connectors.matrix;
    let user = match out.author_id {
        Some(id) => format!("@{}{id}:{}", settings.user_prefix, settings.server_name),
        None => client.bot(),
    };
    let remote = out.link.as_ref().and_then(|l| l.remote_id.clone());
    match out.event {
        Event::Created => {
            client.ensure_user(&user, &out.message.author_name).await?;
            let room = client.join(&user, &out.connector.target).await?;
            let mut content = message_content(&out.message.text);
            if !out.message.opening
                && let Some(root) = thread_root(app, out).await?
            {
                content["m.relates_to"] = json!({
                    "rel_type": "m.thread",
                    "event_id": root,
                    "is_falling_back": true,
                    "m.in_reply_to": {"event_id": root},
                });
            }
            let event_id = client
                .send(&user, &room, &out.message_id, "m.room.message", &content)
                .await?;
            store::set_remote_id(app.db(), out.connector.id, out.message.post_id, &event_id)
                .await
                .map_err(|e| e.to_string())
        }
        // A post the room never received has nothing to change there.
        Event::Edited => {
            let Some(original) = remote else {
                return Ok(());
            };
            let room = client.join(&user, &out.connector.target).await?;
            let new = message_content(&out.message.text);
            let mut content = message_content(&format!("* {}", out.message.text));
            content["m.new_content"] = new;
            content["m.relates_to"] = json!({"rel_type": "m.replace", "event_id": original});
            client
                .send(&user, &room, &out.message_id, "m.room.message", &content)
                .await
                .map(|_| ())
        }
        Event::Deleted => {
            let Some(original) = remote else {
                return Ok(());
            };
            let room = client.join(&user, &out.connector.target).await?;
            client
                .redact(&user, &room, &original, &out.message_id)
                .await
        }
    }
}

/// The Matrix event of the thread's opening post in this room, if it went there.
async fn thread_root(app: &App, out: &Outgoing) -> Result<Option<String>, String> {
    let opening = store_threads::opening_post_id(app.db(), out.message.thread_id)
        .await
        .map_err(|e| e.to_string())?;
    let Some(opening) = opening else {
        return Ok(None);
    };
    Ok(store::link_of_post(app.db(), out.connector.id, opening)
        .await
        .map_err(|e| e.to_string())?
        .and_then(|l| l.remote_id))
}

/// Markdown as Matrix shows it: the source as `body`, the rendered (sanitised) HTML as
/// `formatted_body`.
fn message_content(markdown: &str) -> Value {
    json!({
        "msgtype": "m.text",
        "body": markdown,
        "format": "org.matrix.custom.html",
        "formatted_body": guildhall_domain::threads::render_post(markdown),
    })
}

/// What a room message says, without the quoted fallback of the message it replies to.
fn message_text(content: &Value) -> Option<String> {
    let body = content["body"].as_str()?;
    if !matches!(
        content["msgtype"].as_str(),
        Some("m.text" | "m.notice" | "m.emote")
    ) {
        return None;
    }
    let mut lines = body.lines().peekable();
    if lines.peek().is_some_and(|l| l.starts_with("> ")) {
        while lines.peek().is_some_and(|l| l.starts_with('>')) {
            lines.next();
        }
    }
    let text = lines.collect::<Vec<_>>().join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The event a message answers: its thread root or the message it replies to.
fn answered_event(content: &Value) -> Option<&str> {
    let relation = &content["m.relates_to"];
    relation["m.in_reply_to"]["event_id"]
        .as_str()
        .or_else(|| (relation["rel_type"] == "m.thread").then(|| relation["event_id"].as_str())?)
}

const TITLE_WORDS: usize = 12;

impl App {
    /// One transaction pushed by the homeserver (`PUT /_matrix/app/v1/transactions/{txn}`).
    /// Idempotent per transaction id; an event that cannot be published is logged and skipped,
    /// or the homeserver would send the whole transaction again forever.
    pub async fn matrix_transaction(
        &self,
        txn_id: &str,
        token: Option<&str>,
        body: &[u8],
    ) -> AppResult<()> {
        self.check_homeserver(token)?;
        let parsed: Value = serde_json::from_slice(body)
            .map_err(|e| AppError::BadRequest(format!("The transaction is not JSON: {e}")))?;
        let Some(events) = parsed["events"].as_array() else {
            return Err(AppError::BadRequest(
                "A transaction carries an `events` list.".into(),
            ));
        };
        if txn_id.is_empty() || txn_id.len() > 255 {
            return Err(AppError::BadRequest(
                "The transaction id is not valid.".into(),
            ));
        }
        if !store::remember_transaction(self.db(), txn_id, clock::now()).await? {
            return Ok(());
        }
        for event in events {
            if let Err(error) = self.matrix_event(event).await {
                tracing::warn!(%error, event = %event["event_id"], "Matrix event not taken in");
            }
        }
        Ok(())
    }

    /// The homeserver proves itself with our `hs_token` (compared in constant time).
    pub fn check_homeserver(&self, token: Option<&str>) -> AppResult<()> {
        let expected = self.settings().connectors.matrix.hs_token.expose();
        if expected.is_empty() {
            return Err(AppError::NotFound);
        }
        let token = token.ok_or(AppError::Unauthenticated)?;
        if bool::from(token.as_bytes().ct_eq(expected.as_bytes())) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "M_FORBIDDEN",
                "The homeserver token is not ours.",
            ))
        }
    }

    /// Whether a Matrix user is one of ours (the bot or a member's virtual user): their
    /// messages are our own posts coming back and are not taken in again.
    fn is_ours(&self, user: &str) -> bool {
        let settings = &self.settings().connectors.matrix;
        let suffix = format!(":{}", settings.server_name);
        let Some(local) = user.strip_prefix('@').and_then(|u| u.strip_suffix(&suffix)) else {
            return false;
        };
        local == settings.sender_localpart || local.starts_with(&settings.user_prefix)
    }

    async fn matrix_event(&self, event: &Value) -> AppResult<()> {
        let (Some(room), Some(sender), Some(event_id)) = (
            event["room_id"].as_str(),
            event["sender"].as_str(),
            event["event_id"].as_str(),
        ) else {
            return Ok(());
        };
        if self.is_ours(sender) {
            return Ok(());
        }
        for connector in store::matrix_by_room(self.db(), room).await? {
            match event["type"].as_str() {
                Some("m.room.message") => {
                    self.matrix_message(&connector, sender, event_id, &event["content"])
                        .await?;
                }
                Some("m.room.redaction") => {
                    let redacts = event["redacts"]
                        .as_str()
                        .or_else(|| event["content"]["redacts"].as_str());
                    if let Some(redacts) = redacts {
                        self.matrix_redaction(&connector, sender, redacts).await?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    async fn matrix_message(
        &self,
        connector: &ConnectorRow,
        sender: &str,
        event_id: &str,
        content: &Value,
    ) -> AppResult<()> {
        if store::link_of_remote(self.db(), connector.id, event_id)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let relation = &content["m.relates_to"];
        if relation["rel_type"] == "m.replace" {
            let (Some(original), Some(text)) = (
                relation["event_id"].as_str(),
                message_text(&content["m.new_content"]),
            ) else {
                return Ok(());
            };
            return self.matrix_edit(connector, sender, original, &text).await;
        }
        let Some(text) = message_text(content) else {
            return Ok(());
        };
        let answered = match answered_event(content) {
            Some(answered) => store::link_of_remote(self.db(), connector.id, answered).await?,
            None => None,
        };
        let (thread_id, reply_to) = match &answered {
            Some(link) => {
                let post = store_threads::post(self.db(), link.post_id).await?;
                (post.map(|p| p.thread_id), Some(link.post_id))
            }
            None => (store::latest_thread(self.db(), connector.id).await?, None),
        };
        let title = thread_id.is_none().then(|| {
            let words: Vec<&str> = text.split_whitespace().take(TITLE_WORDS).collect();
            words.join(" ")
        });
        let message = InboundMessage {
            author: matrix_profile(sender),
            text,
            title,
            thread_id,
            reply_to: reply_to.filter(|_| thread_id.is_some()),
            remote_id: Some(event_id.to_owned()),
        };
        let outcome = self.publish_inbound(connector, &message).await.map(|_| ());
        let error = outcome.as_ref().err().map(ToString::to_string);
        store::record_outcome(self.db(), connector.id, error.as_deref(), clock::now()).await?;
        outcome
    }

    async fn matrix_edit(
        &self,
        connector: &ConnectorRow,
        sender: &str,
        original: &str,
        text: &str,
    ) -> AppResult<()> {
        let Some(link) = store::link_of_remote(self.db(), connector.id, original)
            .await?
            .filter(|l| l.direction == "in")
        else {
            return Ok(());
        };
        self.edit_inbound(connector, link.post_id, sender, text)
            .await
    }

    async fn matrix_redaction(
        &self,
        connector: &ConnectorRow,
        sender: &str,
        redacts: &str,
    ) -> AppResult<()> {
        let Some(link) = store::link_of_remote(self.db(), connector.id, redacts)
            .await?
            .filter(|l| l.direction == "in")
        else {
            return Ok(());
        };
        self.delete_inbound(connector, link.post_id, sender).await
    }
}

/// A Matrix user as a remote person: `@ana:example.org` is shown as `ana@example.org` (their
/// display name there is theirs to choose, so it is not shown as a name here).
fn matrix_profile(user: &str) -> RemoteProfile {
    let (localpart, server) = user
        .trim_start_matches('@')
        .split_once(':')
        .unwrap_or((user, ""));
    RemoteProfile {
        address: user.to_owned(),
        handle: localpart.to_owned(),
        server: server.to_owned(),
        profile_url: format!("https://matrix.to/#/{user}"),
        ..RemoteProfile::default()
    }
}

/// The registration file the homeserver needs to know us, in YAML.
pub fn registration(all: &Settings) -> AppResult<String> {
    let settings = &all.connectors.matrix;
    if settings.server_name.is_empty()
        || settings.as_token.is_empty()
        || settings.hs_token.is_empty()
    {
        return Err(AppError::BadRequest(
            "Set connectors.matrix.server_name, as_token and hs_token first.".into(),
        ));
    }
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let users = format!(
        "@{}.*:{}",
        regex_escape(&settings.user_prefix),
        regex_escape(&settings.server_name)
    );
    Ok(format!(
        "# Guildhall's application service: add this file to the homeserver's\n\
         # app_service_config_files and restart it.\n\
         id: guildhall\n\
         url: {}\n\
         as_token: {}\n\
         hs_token: {}\n\
         sender_localpart: {}\n\
         rate_limited: false\n\
         namespaces:\n  users:\n    - exclusive: true\n      regex: {}\n  aliases: []\n  rooms: []\n",
        quote(all.server.public_url.trim_end_matches('/')),
        quote(settings.as_token.expose()),
        quote(settings.hs_token.expose()),
        quote(&settings.sender_localpart),
        quote(&users),
    ))
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_fallbacks_are_left_out() {
        let content = json!({"msgtype": "m.text", "body": "> <@a:x> earlier\n> more\n\nMy answer"});
        assert_eq!(message_text(&content).unwrap(), "My answer");
        assert!(message_text(&json!({"msgtype": "m.image", "body": "x.png"})).is_none());
    }

    #[test]
    fn threads_and_replies_name_the_answered_event() {
        let thread = json!({"m.relates_to": {"rel_type": "m.thread", "event_id": "$root"}});
        assert_eq!(answered_event(&thread), Some("$root"));
        let reply = json!({"m.relates_to": {"m.in_reply_to": {"event_id": "$msg"}}});
        assert_eq!(answered_event(&reply), Some("$msg"));
        assert_eq!(answered_event(&json!({})), None);
    }
}
