//! One post in the shape each platform's incoming webhook expects. Texts are cut to what the
//! platforms accept and stripped of ways to ping everyone (`@channel`, `@everyone`): a post in a
//! learning space must not wake up a whole chat workspace.

use super::ConnectorKind;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

/// What happened to the post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Event {
    #[serde(rename = "post.created")]
    Created,
    #[serde(rename = "post.edited")]
    Edited,
    #[serde(rename = "post.deleted")]
    Deleted,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::Created => "post.created",
            Event::Edited => "post.edited",
            Event::Deleted => "post.deleted",
        }
    }

    pub fn parse(raw: &str) -> Option<Event> {
        [Event::Created, Event::Edited, Event::Deleted]
            .into_iter()
            .find(|e| e.as_str() == raw)
    }
}

/// A post as other platforms see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub post_id: i64,
    pub thread_id: i64,
    pub space_slug: String,
    pub space_name: String,
    pub thread_title: String,
    pub author_name: String,
    /// The post's Markdown source (empty for a deletion).
    pub text: String,
    /// The post's address in Guildhall.
    pub url: String,
    /// It opens its thread (a reply otherwise).
    pub opening: bool,
    pub at: DateTime<Utc>,
}

/// Discord refuses longer contents; the others accept more, but a chat line should stay short.
const TEXT_MAX: usize = 1800;
const TITLE_MAX: usize = 200;
const USERNAME_MAX: usize = 80;

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

/// `@everyone`, `@here`, `@channel`, `@all` with a zero-width joiner after the `@`: shown the
/// same, pings nobody.
fn unping(text: &str) -> String {
    let mut out = text.to_owned();
    for word in ["everyone", "here", "channel", "all"] {
        out = out.replace(&format!("@{word}"), &format!("@\u{2060}{word}"));
    }
    out
}

/// Slack's mrkdwn treats `&`, `<` and `>` as control characters.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl Message {
    fn headline(&self) -> String {
        let what = if self.opening {
            "started"
        } else {
            "replied in"
        };
        format!(
            "{} {what} “{}” in {}",
            self.author_name,
            cut(&self.thread_title, TITLE_MAX),
            self.space_name
        )
    }

    fn text(&self) -> String {
        unping(&cut(&self.text, TEXT_MAX))
    }
}

/// The JSON body for a connector of `kind`, or `None` when the platform has no way to show
/// this event (incoming webhooks cannot edit or delete what they posted).
pub fn body_for(kind: ConnectorKind, event: Event, message: &Message) -> Option<Value> {
    if event != Event::Created && !kind.follows_changes() {
        return None;
    }
    Some(match kind {
        ConnectorKind::Slack => slack(message),
        ConnectorKind::Teams => teams(message),
        ConnectorKind::Discord => discord(message),
        ConnectorKind::Mattermost => mattermost(message),
        ConnectorKind::Webhook => generic(event, message),
        ConnectorKind::Incoming | ConnectorKind::Matrix => return None,
    })
}

fn slack(m: &Message) -> Value {
    let headline = slack_escape(&m.headline());
    let link = format!(
        "<{}|{}>",
        m.url,
        slack_escape(&cut(&m.thread_title, TITLE_MAX))
    );
    let text = slack_escape(&m.text());
    json!({
        "text": format!("{headline}: {text}"),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": format!("*{}* · {link}", slack_escape(&m.author_name))}},
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        ],
        "unfurl_links": false,
    })
}

fn teams(m: &Message) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [
                    {"type": "TextBlock", "text": m.headline(), "weight": "Bolder", "wrap": true},
                    {"type": "TextBlock", "text": m.text(), "wrap": true},
                ],
                "actions": [{"type": "Action.OpenUrl", "title": "Open in Guildhall", "url": m.url}],
            },
        }],
    })
}

fn discord(m: &Message) -> Value {
    json!({
        "username": cut(&m.author_name, USERNAME_MAX),
        "content": m.text(),
        "embeds": [{"title": cut(&m.thread_title, TITLE_MAX), "url": m.url, "description": m.headline()}],
        // Belt and braces with `unping`: Discord itself resolves no mention from this message.
        "allowed_mentions": {"parse": []},
    })
}

fn mattermost(m: &Message) -> Value {
    json!({
        "username": cut(&m.author_name, USERNAME_MAX),
        "text": format!("**{}** · [{}]({})\n\n{}", m.author_name, cut(&m.thread_title, TITLE_MAX), m.url, m.text()),
    })
}

/// Standard Webhooks' recommended envelope: `type`, `timestamp`, `data`.
fn generic(event: Event, m: &Message) -> Value {
    json!({
        "type": event.as_str(),
        "timestamp": m.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "data": {
            "post_id": m.post_id,
            "thread_id": m.thread_id,
            "space": {"slug": m.space_slug, "name": m.space_name},
            "thread_title": m.thread_title,
            "author": {"name": m.author_name},
            "text": if event == Event::Deleted { String::new() } else { m.text.clone() },
            "opening": m.opening,
            "url": m.url,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Message {
        Message {
            post_id: 7,
            thread_id: 3,
            space_slug: "rust".into(),
            space_name: "Rust <cohort>".into(),
            thread_title: "Borrowing & lifetimes".into(),
            author_name: "Grace Hopper".into(),
            text: "Ping @everyone: see <this> & that".into(),
            url: "https://guild.example/t/3#post-7".into(),
            opening: false,
            at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        }
    }

    #[test]
    fn slack_escapes_its_control_characters_and_pings_nobody() {
        let body = body_for(ConnectorKind::Slack, Event::Created, &sample()).unwrap();
        let text = body["text"].as_str().unwrap();
        assert!(text.contains("&lt;this&gt; &amp; that"), "{text}");
        assert!(!text.contains("@everyone"));
        assert!(
            body["blocks"][0]["text"]["text"]
                .as_str()
                .unwrap()
                .contains("<https://guild.example/t/3#post-7|Borrowing &amp; lifetimes>")
        );
    }

    #[test]
    fn each_platform_gets_its_shape() {
        let m = sample();
        let teams = body_for(ConnectorKind::Teams, Event::Created, &m).unwrap();
        assert_eq!(teams["attachments"][0]["content"]["type"], "AdaptiveCard");
        let discord = body_for(ConnectorKind::Discord, Event::Created, &m).unwrap();
        assert_eq!(discord["username"], "Grace Hopper");
        assert_eq!(discord["allowed_mentions"]["parse"], json!([]));
        let mattermost = body_for(ConnectorKind::Mattermost, Event::Created, &m).unwrap();
        assert!(
            mattermost["text"]
                .as_str()
                .unwrap()
                .starts_with("**Grace Hopper**")
        );
        let generic = body_for(ConnectorKind::Webhook, Event::Edited, &m).unwrap();
        assert_eq!(generic["type"], "post.edited");
        assert_eq!(generic["data"]["text"], m.text);
    }

    #[test]
    fn chat_webhooks_cannot_follow_edits() {
        assert!(body_for(ConnectorKind::Slack, Event::Edited, &sample()).is_none());
        assert!(body_for(ConnectorKind::Webhook, Event::Deleted, &sample()).is_some());
    }

    #[test]
    fn long_texts_are_cut() {
        let mut m = sample();
        m.text = "word ".repeat(1000);
        let discord = body_for(ConnectorKind::Discord, Event::Created, &m).unwrap();
        assert!(discord["content"].as_str().unwrap().chars().count() <= 2000);
    }
}
