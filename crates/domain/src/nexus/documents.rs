//! The ActivityPub documents of a federated space, FEP-1b12 style: a space is a `Group` actor;
//! a thread is a `Page` and a reply a `Note`, each attributed to its author's `Person` actor
//! (their professional name), and the group `Announce`s every activity to its followers.
//! Inbound activities are read into [`Inbound`] after the checks that need no database.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

pub const ACTIVITY_STREAMS: &str = "https://www.w3.org/ns/activitystreams";
pub const SECURITY: &str = "https://w3id.org/security/v1";
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
pub const MEDIA_TYPE: &str = "application/activity+json";
/// The largest remote text we read; longer ones are refused, not cut.
pub const MAX_CONTENT_CHARS: usize = 20_000;

/// This instance as the fediverse sees it.
pub struct Instance<'a> {
    /// The public URL without a trailing slash.
    pub base: &'a str,
    pub public_key_pem: &'a str,
}

impl Instance<'_> {
    pub fn group(&self, slug: &str) -> String {
        format!("{}/ap/groups/{slug}", self.base)
    }
    pub fn person(&self, user_id: i64) -> String {
        format!("{}/ap/people/{user_id}", self.base)
    }
    pub fn thread(&self, thread_id: i64) -> String {
        format!("{}/ap/threads/{thread_id}", self.base)
    }
    pub fn post(&self, post_id: i64) -> String {
        format!("{}/ap/posts/{post_id}", self.base)
    }
    pub fn instance_actor(&self) -> String {
        format!("{}/ap/actor", self.base)
    }
    pub fn shared_inbox(&self) -> String {
        format!("{}/ap/inbox", self.base)
    }
    /// A new id for an activity we send (the outbox row makes it unique).
    pub fn activity(&self, kind: &str, key: &str) -> String {
        format!(
            "{}/ap/activities/{}/{key}",
            self.base,
            kind.to_ascii_lowercase()
        )
    }

    fn key(&self, actor: &str) -> Value {
        json!({
            "id": format!("{actor}#main-key"),
            "owner": actor,
            "publicKeyPem": self.public_key_pem,
        })
    }
}

/// What a federated space shows of itself.
pub struct GroupFacts<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub page_url: &'a str,
    pub created_at: DateTime<Utc>,
}

pub fn group_actor(instance: &Instance<'_>, group: &GroupFacts<'_>) -> Value {
    let id = instance.group(group.slug);
    json!({
        "@context": [ACTIVITY_STREAMS, SECURITY],
        "type": "Group",
        "id": id,
        "preferredUsername": group.slug,
        "name": group.name,
        "summary": escape_html(group.description),
        "url": group.page_url,
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "endpoints": { "sharedInbox": instance.shared_inbox() },
        "manuallyApprovesFollowers": false,
        "discoverable": true,
        "published": group.created_at.to_rfc3339(),
        "publicKey": instance.key(&id),
    })
}

/// The instance itself as an `Application` actor: it signs our fetches of remote documents
/// (strict servers answer only signed GETs).
pub fn instance_actor(instance: &Instance<'_>, host: &str) -> Value {
    let id = instance.instance_actor();
    json!({
        "@context": [ACTIVITY_STREAMS, SECURITY],
        "type": "Application",
        "id": id,
        "preferredUsername": host,
        "name": "Guildhall",
        "inbox": instance.shared_inbox(),
        "outbox": format!("{id}/outbox"),
        "publicKey": instance.key(&id),
    })
}

/// A member as the fediverse sees them: their professional name, nothing more.
pub fn person_actor(
    instance: &Instance<'_>,
    user_id: i64,
    display_name: &str,
    profile_url: &str,
) -> Value {
    let id = instance.person(user_id);
    json!({
        "@context": [ACTIVITY_STREAMS, SECURITY],
        "type": "Person",
        "id": id,
        "preferredUsername": format!("member{user_id}"),
        "name": display_name,
        "url": profile_url,
        "inbox": format!("{id}/inbox"),
        "endpoints": { "sharedInbox": instance.shared_inbox() },
        "publicKey": instance.key(&id),
    })
}

/// A thread's opening post or a reply, as a federated object.
pub struct PostFacts<'a> {
    pub post_id: i64,
    pub thread_id: i64,
    /// The thread's title when this is its opening post (a `Page`); replies are `Note`s.
    pub title: Option<&'a str>,
    pub body_html: &'a str,
    pub author_id: i64,
    pub group_slug: &'a str,
    /// What it answers: the thread's `Page` or another post's `Note`.
    pub in_reply_to: Option<String>,
    pub page_url: &'a str,
    pub published: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
}

pub fn post_object(instance: &Instance<'_>, post: &PostFacts<'_>) -> Value {
    let group = instance.group(post.group_slug);
    let mut object = json!({
        "id": match post.title {
            Some(_) => instance.thread(post.thread_id),
            None => instance.post(post.post_id),
        },
        "type": if post.title.is_some() { "Page" } else { "Note" },
        "attributedTo": instance.person(post.author_id),
        "to": [PUBLIC, group],
        "cc": [format!("{group}/followers")],
        "audience": group,
        "content": post.body_html,
        "mediaType": "text/html",
        "url": post.page_url,
        "published": post.published.to_rfc3339(),
    });
    if let Some(title) = post.title {
        object["name"] = json!(title);
    }
    if let Some(target) = &post.in_reply_to {
        object["inReplyTo"] = json!(target);
    }
    if let Some(updated) = post.updated {
        object["updated"] = json!(updated.to_rfc3339());
    }
    object
}

/// What a deleted post leaves behind: the object of a `Delete`.
pub fn tombstone(id: &str) -> Value {
    json!({"id": id, "type": "Tombstone"})
}

/// An activity by `actor` about `object` (a document or an id).
pub fn activity(kind: &str, id: &str, actor: &str, object: Value, group: &str) -> Value {
    json!({
        "@context": ACTIVITY_STREAMS,
        "type": kind,
        "id": id,
        "actor": actor,
        "object": object,
        "to": [PUBLIC],
        "cc": [group, format!("{group}/followers")],
        "audience": group,
    })
}

/// FEP-1b12: the group passes a member's activity on to its followers.
pub fn announce(instance: &Instance<'_>, slug: &str, id: &str, inner: Value) -> Value {
    let group = instance.group(slug);
    json!({
        "@context": ACTIVITY_STREAMS,
        "type": "Announce",
        "id": id,
        "actor": group,
        "object": inner,
        "to": [PUBLIC],
        "cc": [format!("{group}/followers")],
    })
}

/// The group accepts a follow (it approves followers automatically once the server is heard).
pub fn accept(instance: &Instance<'_>, slug: &str, id: &str, follow: &Value) -> Value {
    json!({
        "@context": ACTIVITY_STREAMS,
        "type": "Accept",
        "id": id,
        "actor": instance.group(slug),
        "object": follow,
    })
}

/// An `OrderedCollection` with its total only (followers are not listed to the world).
pub fn collection(id: &str, total: i64, items: Option<Vec<Value>>) -> Value {
    let mut document = json!({
        "@context": ACTIVITY_STREAMS,
        "type": "OrderedCollection",
        "id": id,
        "totalItems": total,
    });
    if let Some(items) = items {
        document["orderedItems"] = Value::Array(items);
    }
    document
}

pub fn webfinger(subject: &str, actor: &str, page_url: &str) -> Value {
    json!({
        "subject": subject,
        "aliases": [actor, page_url],
        "links": [
            { "rel": "self", "type": MEDIA_TYPE, "href": actor },
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": page_url },
        ],
    })
}

/// Usage counts for NodeInfo 2.1, or `None` when the organisation withholds them.
pub struct Usage {
    pub users: i64,
    pub active_month: i64,
    pub active_half_year: i64,
    pub local_posts: i64,
}

pub fn nodeinfo(version: &str, open_registrations: bool, usage: Option<&Usage>) -> Value {
    let usage = match usage {
        Some(u) => json!({
            "users": { "total": u.users, "activeMonth": u.active_month, "activeHalfyear": u.active_half_year },
            "localPosts": u.local_posts,
        }),
        None => json!({ "users": {} }),
    };
    json!({
        "version": "2.1",
        "software": {
            "name": "guildhall",
            "version": version,
            "repository": "https://example.invalid/guildhall",
            "homepage": "https://example.invalid/guildhall",
        },
        "protocols": ["activitypub"],
        "services": { "inbound": [], "outbound": ["atom1.0", "rss2.0"] },
        "openRegistrations": open_registrations,
        "usage": usage,
        "metadata": {},
    })
}

/// What a remote server asked of us, read from its JSON after the checks that need no database.
#[derive(Debug, Clone, PartialEq)]
pub enum Inbound {
    Follow {
        id: String,
        actor: String,
        object: String,
    },
    /// Undo of a follow (by its id, or the follow embedded) or of a like.
    Undo {
        id: String,
        actor: String,
        object: String,
        object_kind: String,
    },
    Create {
        id: String,
        actor: String,
        note: RemoteNote,
    },
    Update {
        id: String,
        actor: String,
        note: RemoteNote,
    },
    Delete {
        id: String,
        actor: String,
        object: String,
    },
    Like {
        id: String,
        actor: String,
        object: String,
    },
}

impl Inbound {
    pub fn id(&self) -> &str {
        match self {
            Inbound::Follow { id, .. }
            | Inbound::Undo { id, .. }
            | Inbound::Create { id, .. }
            | Inbound::Update { id, .. }
            | Inbound::Delete { id, .. }
            | Inbound::Like { id, .. } => id,
        }
    }

    pub fn actor(&self) -> &str {
        match self {
            Inbound::Follow { actor, .. }
            | Inbound::Undo { actor, .. }
            | Inbound::Create { actor, .. }
            | Inbound::Update { actor, .. }
            | Inbound::Delete { actor, .. }
            | Inbound::Like { actor, .. } => actor,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Inbound::Follow { .. } => "Follow",
            Inbound::Undo { .. } => "Undo",
            Inbound::Create { .. } => "Create",
            Inbound::Update { .. } => "Update",
            Inbound::Delete { .. } => "Delete",
            Inbound::Like { .. } => "Like",
        }
    }
}

/// A remote reply: its id, what it answers, and its text (HTML turned into plain text).
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteNote {
    pub id: String,
    pub in_reply_to: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActivityError {
    #[error("the activity is malformed: {0}")]
    Malformed(&'static str),
    #[error("activities of type {0} are not handled here")]
    Unsupported(String),
    #[error("the activity and its object must come from the actor's own server")]
    ForeignOrigin,
    #[error("the text is longer than {MAX_CONTENT_CHARS} characters")]
    TooLong,
}

/// Reads an inbound activity. Ids must be URLs on the actor's own server, so that nobody can
/// speak for another server's objects.
pub fn read_inbound(document: &Value) -> Result<Inbound, ActivityError> {
    let kind = text(document, "type").ok_or(ActivityError::Malformed("no type"))?;
    let id = url_field(document, "id")?;
    let actor = match document.get("actor") {
        Some(Value::Object(actor)) => actor
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(ActivityError::Malformed("the actor has no id"))?,
        _ => url_field(document, "actor")?,
    };
    same_origin(&id, &actor)?;
    let object = document
        .get("object")
        .ok_or(ActivityError::Malformed("no object"))?;
    let object_id = || -> Result<String, ActivityError> {
        match object {
            Value::String(id) => checked_url(id),
            Value::Object(_) => url_field(object, "id"),
            _ => Err(ActivityError::Malformed(
                "the object is neither an id nor an object",
            )),
        }
    };
    Ok(match kind.as_str() {
        "Follow" => Inbound::Follow {
            object: object_id()?,
            id,
            actor,
        },
        "Undo" => {
            let object_kind = text(object, "type").unwrap_or_else(|| "Follow".into());
            let undone = object_id()?;
            same_origin(&undone, &actor)?;
            Inbound::Undo {
                object: match text(object, "object") {
                    Some(target) if object_kind == "Like" => target,
                    _ => undone,
                },
                object_kind,
                id,
                actor,
            }
        }
        "Create" | "Update" => {
            let note = read_note(object)?;
            same_origin(&note.id, &actor)?;
            if let Some(author) = text(object, "attributedTo")
                && author != actor
            {
                return Err(ActivityError::ForeignOrigin);
            }
            if kind == "Create" {
                Inbound::Create { id, actor, note }
            } else {
                Inbound::Update { id, actor, note }
            }
        }
        "Delete" => {
            let object = object_id()?;
            same_origin(&object, &actor)?;
            Inbound::Delete { id, actor, object }
        }
        "Like" => Inbound::Like {
            object: object_id()?,
            id,
            actor,
        },
        other => return Err(ActivityError::Unsupported(other.to_owned())),
    })
}

fn read_note(object: &Value) -> Result<RemoteNote, ActivityError> {
    if !matches!(
        text(object, "type").as_deref(),
        Some("Note" | "Page" | "Article")
    ) {
        return Err(ActivityError::Unsupported(
            text(object, "type").unwrap_or_else(|| "an object without a type".into()),
        ));
    }
    let html =
        text(object, "content").ok_or(ActivityError::Malformed("the note has no content"))?;
    let text_content = html_to_text(&html);
    if text_content.chars().count() > MAX_CONTENT_CHARS {
        return Err(ActivityError::TooLong);
    }
    if text_content.trim().is_empty() {
        return Err(ActivityError::Malformed("the note has no text"));
    }
    Ok(RemoteNote {
        id: url_field(object, "id")?,
        in_reply_to: url_field(object, "inReplyTo")?,
        text: text_content,
    })
}

fn text(document: &Value, field: &str) -> Option<String> {
    document
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn url_field(document: &Value, field: &'static str) -> Result<String, ActivityError> {
    let raw = document
        .get(field)
        .and_then(Value::as_str)
        .ok_or(ActivityError::Malformed(field))?;
    checked_url(raw)
}

fn checked_url(raw: &str) -> Result<String, ActivityError> {
    if raw.len() > 2048 || super::servers::host_of(raw).is_none() {
        return Err(ActivityError::Malformed("an id is not an http(s) URL"));
    }
    Ok(raw.to_owned())
}

fn same_origin(a: &str, b: &str) -> Result<(), ActivityError> {
    if super::servers::host_of(a) == super::servers::host_of(b) {
        Ok(())
    } else {
        Err(ActivityError::ForeignOrigin)
    }
}

/// Remote HTML as plain text: paragraphs and line breaks kept, every tag dropped (our own
/// renderer makes the HTML we show), entities decoded.
pub fn html_to_text(html: &str) -> String {
    let spaced = html
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n")
        .replace("</p>", "\n\n");
    let stripped = ammonia::Builder::empty().clean(&spaced).to_string();
    let decoded = stripped
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.trim().to_owned()
}

fn escape_html(text: &str) -> String {
    ammonia::clean_text(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(actor: &str, note_id: &str, content: &str) -> Value {
        json!({
            "type": "Create", "id": format!("{actor}/activities/1"), "actor": actor,
            "object": { "type": "Note", "id": note_id, "attributedTo": actor,
                        "inReplyTo": "https://guild.example/ap/threads/7", "content": content }
        })
    }

    #[test]
    fn a_reply_is_read_as_plain_text() {
        let actor = "https://peer.example/users/ana";
        let inbound = read_inbound(&create(
            actor,
            "https://peer.example/notes/1",
            "<p>Thanks &amp; <b>well done</b></p><p>second<br>line</p><script>x</script>",
        ))
        .unwrap();
        let Inbound::Create { note, .. } = inbound else {
            panic!("a create")
        };
        assert_eq!(note.text, "Thanks & well done\n\nsecond\nline");
        assert_eq!(note.in_reply_to, "https://guild.example/ap/threads/7");
    }

    #[test]
    fn objects_of_another_server_are_refused() {
        let actor = "https://peer.example/users/ana";
        assert_eq!(
            read_inbound(&create(actor, "https://victim.example/notes/1", "hi")).unwrap_err(),
            ActivityError::ForeignOrigin
        );
        let mut forged = create(actor, "https://peer.example/notes/1", "hi");
        forged["object"]["attributedTo"] = json!("https://peer.example/users/bob");
        assert_eq!(
            read_inbound(&forged).unwrap_err(),
            ActivityError::ForeignOrigin
        );
    }

    #[test]
    fn malformed_and_unknown_activities_are_refused() {
        assert!(matches!(
            read_inbound(&json!({})),
            Err(ActivityError::Malformed(_))
        ));
        assert!(matches!(
            read_inbound(
                &json!({"type": "Follow", "id": "not a url", "actor": "https://a.example/u", "object": "https://b.example/g"})
            ),
            Err(ActivityError::Malformed(_))
        ));
        assert!(matches!(
            read_inbound(
                &json!({"type": "Move", "id": "https://a.example/1", "actor": "https://a.example/u", "object": "https://a.example/x"})
            ),
            Err(ActivityError::Unsupported(_))
        ));
        let long = "x".repeat(MAX_CONTENT_CHARS + 1);
        assert_eq!(
            read_inbound(&create(
                "https://peer.example/u",
                "https://peer.example/n",
                &long
            ))
            .unwrap_err(),
            ActivityError::TooLong
        );
    }
}
