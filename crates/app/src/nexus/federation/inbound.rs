//! What arrives, after the `nexus` crate verified who signed it: follows of a space's Group,
//! replies, edits and deletions of remote replies, likes. Replies go through the content check
//! and the review queue like a member's.

use super::outbound::{Delivery, enqueue_delivery};
use crate::nexus::remote::RemoteAuthor;
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::nexus::Origin;
use guildhall_domain::nexus::documents::{self as ap, Inbound, Instance};
use guildhall_domain::threads::ReactionKind;
use guildhall_store::nexus::{federation as store, remote};
use guildhall_store::threads as threads_store;
use serde::Serialize;
use serde_json::Value;

/// What became of an inbound activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Heard {
    Followed,
    Unfollowed,
    Replied {
        post_id: i64,
    },
    Edited {
        post_id: i64,
    },
    Deleted {
        post_id: i64,
    },
    Liked {
        post_id: i64,
    },
    /// Understood and deliberately left alone (e.g. an undo of something we never had).
    Ignored,
}

/// A thread, and the post in it, that a remote reply answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyTarget {
    pub thread_id: i64,
    pub post_id: Option<i64>,
}

impl App {
    /// Which of our threads or posts an ActivityPub id names: ours by their address, or a
    /// remote reply we received.
    pub async fn reply_target(&self, object: &str) -> AppResult<Option<ReplyTarget>> {
        let ours = |kind: &str| -> Option<i64> {
            object
                .strip_prefix(self.public_base())?
                .strip_prefix(kind)?
                .parse()
                .ok()
        };
        if let Some(thread_id) = ours("/ap/threads/") {
            return Ok(Some(ReplyTarget {
                thread_id,
                post_id: None,
            }));
        }
        let post = match ours("/ap/posts/") {
            Some(post_id) => threads_store::post(self.db(), post_id)
                .await?
                .map(|post| (post.id, post.thread_id)),
            None => remote::post_by_remote_id(self.db(), Origin::Fediverse.as_str(), object)
                .await?
                .map(|(post_id, thread_id, _)| (post_id, thread_id)),
        };
        Ok(post.map(|(post_id, thread_id)| ReplyTarget {
            thread_id,
            post_id: Some(post_id),
        }))
    }

    /// Acts on a verified activity from `author` (the signer, who is also its actor).
    pub async fn heard(
        &self,
        author: &RemoteAuthor,
        inbound: &Inbound,
        document: &Value,
    ) -> AppResult<Heard> {
        if store::seen(self.db(), inbound.id()).await? {
            return Err(AppError::Conflict {
                code: "replayed",
                message: "This activity was received before.".into(),
            });
        }
        let heard = match inbound {
            Inbound::Follow { object, .. } => self.followed(author, object, document).await?,
            Inbound::Undo {
                object,
                object_kind,
                ..
            } => match object_kind.as_str() {
                "Follow" => self.unfollowed(author, object, document).await?,
                _ => Heard::Ignored,
            },
            Inbound::Create { note, .. } => {
                let target = self
                    .reply_target(&note.in_reply_to)
                    .await?
                    .ok_or(AppError::NotFound)?;
                self.target_is_federated(target.thread_id).await?;
                let post_id = self
                    .remote_reply(
                        author,
                        (target.thread_id, target.post_id),
                        &note.text,
                        Origin::Fediverse,
                        Some(&note.id),
                    )
                    .await?;
                Heard::Replied { post_id }
            }
            Inbound::Update { note, .. } => Heard::Edited {
                post_id: self
                    .remote_edit(author, Origin::Fediverse, &note.id, &note.text)
                    .await?,
            },
            Inbound::Delete { object, .. } if object == &author.address => Heard::Ignored,
            Inbound::Delete { object, .. } => Heard::Deleted {
                post_id: self
                    .remote_delete(author, Origin::Fediverse, object)
                    .await?,
            },
            Inbound::Like { object, .. } => {
                let target = self.reply_target(object).await?.ok_or(AppError::NotFound)?;
                let post_id = match target.post_id {
                    Some(post_id) => post_id,
                    None => threads_store::opening_post_id(self.db(), target.thread_id)
                        .await?
                        .ok_or(AppError::NotFound)?,
                };
                self.target_is_federated(target.thread_id).await?;
                self.remote_react(author, post_id, ReactionKind::Helpful)
                    .await?;
                Heard::Liked { post_id }
            }
        };
        let mut tx = self.db().begin().await?;
        store::first_time(&mut tx, inbound.id(), inbound.kind(), clock::now()).await?;
        tx.commit().await?;
        Ok(heard)
    }

    async fn target_is_federated(&self, thread_id: i64) -> AppResult<()> {
        let thread = threads_store::thread(self.db(), thread_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.federated_space(&thread.space_slug).await.map(|_| ())
    }

    async fn followed(
        &self,
        author: &RemoteAuthor,
        object: &str,
        follow: &Value,
    ) -> AppResult<Heard> {
        let slug = self.group_slug(object).ok_or(AppError::NotFound)?;
        let space = self.federated_space(&slug).await?;
        let now = clock::now();
        store::add_follower(self.db(), space.id, author.user_id, &follow_id(follow), now).await?;
        let instance = Instance {
            base: self.public_base(),
            public_key_pem: "",
        };
        let accept_key =
            guildhall_domain::nexus::signatures::sha256_base64(follow_id(follow).as_bytes())
                .replace(['/', '+', '='], "");
        let accept = ap::accept(
            &instance,
            &space.slug,
            &instance.activity("Accept", &accept_key),
            follow,
        );
        let mut tx = self.db().begin().await?;
        enqueue_delivery(
            &mut tx,
            &Delivery {
                inbox: author.inbox.clone(),
                activity: accept,
                key_id: format!("{}#main-key", instance.group(&space.slug)),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Heard::Followed)
    }

    async fn unfollowed(
        &self,
        author: &RemoteAuthor,
        follow: &str,
        undo: &Value,
    ) -> AppResult<Heard> {
        // The undone follow names the group when it is embedded; a bare id does not.
        let group = undo
            .get("object")
            .and_then(|follow| follow.get("object"))
            .and_then(Value::as_str)
            .and_then(|group| self.group_slug(group));
        let removed = match group {
            Some(slug) => {
                let space = self.federated_space(&slug).await?;
                store::remove_follower(self.db(), space.id, author.user_id).await?
            }
            None => store::remove_follow(self.db(), author.user_id, follow).await?,
        };
        Ok(if removed {
            Heard::Unfollowed
        } else {
            Heard::Ignored
        })
    }

    /// The slug of one of our Group actors named by its id.
    fn group_slug(&self, actor: &str) -> Option<String> {
        actor
            .strip_prefix(self.public_base())?
            .strip_prefix("/ap/groups/")
            .filter(|slug| !slug.is_empty() && !slug.contains('/'))
            .map(str::to_owned)
    }
}

fn follow_id(follow: &Value) -> String {
    follow
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
