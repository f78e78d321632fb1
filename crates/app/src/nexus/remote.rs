//! People on other platforms. Each is a `users` row with status 'remote' (never signs in)
//! and an address there; what they write goes through the content check and the review queue
//! like a member's, and moderators can block them.

use crate::people::{Credential, Viewer};
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::nexus::Origin;
use guildhall_domain::people::{Role, RoleSet};
use guildhall_domain::threads::ReactionKind;
use guildhall_store::Tx;
use guildhall_store::nexus::remote::{self as store, NewRemote, RemoteAccount};
use serde::Serialize;

/// How a post reached us: written here, or carried from another platform (with its id there,
/// so that edits and deletions from that platform find it).
#[derive(Debug, Clone, Copy)]
pub enum Arrival<'a> {
    Here,
    From {
        origin: Origin,
        remote_id: Option<&'a str>,
    },
    /// Carried in by one of the space's connectors (a Matrix room, an incoming webhook), which
    /// must not send it back where it came from.
    Connected {
        connector_id: i64,
        origin: Origin,
        remote_id: Option<&'a str>,
    },
}

impl Arrival<'_> {
    /// Written by a member (here, or by email): it counts in their insights and federates.
    pub fn by_member(&self) -> bool {
        matches!(
            self,
            Arrival::Here
                | Arrival::From {
                    origin: Origin::Email,
                    ..
                }
        )
    }

    pub(crate) async fn record(&self, tx: &mut Tx, post_id: i64) -> guildhall_store::Result<()> {
        match self {
            Arrival::Here => Ok(()),
            Arrival::From { origin, remote_id } => {
                store::set_post_origin(tx, post_id, origin.as_str(), *remote_id).await
            }
            Arrival::Connected {
                connector_id,
                origin,
                remote_id,
            } => {
                // Unique among connectors on the post (two tools may both number their
                // messages from 1); the connector's own link keeps the platform's id.
                let unique = remote_id.map(|id| format!("{connector_id}/{id}"));
                store::set_post_origin(tx, post_id, origin.as_str(), unique.as_deref()).await?;
                // Linked "in" before the post is published, so the connector's own delivery of
                // it is never enqueued (an echo into the room it came from).
                guildhall_store::connectors::link_post_in(
                    tx,
                    *connector_id,
                    post_id,
                    "in",
                    *remote_id,
                    clock::now(),
                )
                .await
                .map(|_| ())
            }
        }
    }
}

/// What a platform says about one of its people.
#[derive(Debug, Clone, Default)]
pub struct RemoteProfile {
    pub address: String,
    pub handle: String,
    pub server: String,
    pub display_name: String,
    pub profile_url: String,
    pub inbox: String,
    pub shared_inbox: String,
    pub public_key_id: String,
    pub public_key_pem: String,
}

/// A remote person as the rest of the app knows them.
#[derive(Debug, Clone, Serialize)]
pub struct RemoteAuthor {
    pub user_id: i64,
    pub platform: String,
    pub address: String,
    /// Shown instead of a name: `handle@server`.
    pub handle: String,
    pub server: String,
    pub profile_url: String,
    #[serde(skip)]
    pub inbox: String,
    #[serde(skip)]
    pub shared_inbox: String,
    #[serde(skip)]
    pub public_key_id: String,
    #[serde(skip)]
    pub public_key_pem: String,
    pub fetched_at: chrono::DateTime<chrono::Utc>,
    pub blocked: bool,
}

impl From<RemoteAccount> for RemoteAuthor {
    fn from(row: RemoteAccount) -> RemoteAuthor {
        RemoteAuthor {
            user_id: row.user_id,
            platform: row.platform,
            address: row.address,
            handle: row.handle,
            server: row.server,
            profile_url: row.profile_url,
            inbox: row.inbox,
            shared_inbox: row.shared_inbox,
            public_key_id: row.public_key_id,
            public_key_pem: row.public_key_pem,
            fetched_at: row.fetched_at,
            blocked: row.blocked_at.is_some(),
        }
    }
}

impl RemoteAuthor {
    /// The person acting here: no roles, never a session.
    pub(crate) fn viewer(&self) -> Viewer {
        Viewer {
            id: self.user_id,
            email: String::new(),
            given_name: String::new(),
            display_name: format!("{}@{}", self.handle, self.server),
            roles: RoleSet::default(),
            dormant_roles: RoleSet::default(),
            credential: Credential::Remote,
        }
    }

    pub(crate) fn may_write(&self) -> AppResult<()> {
        if self.blocked {
            return Err(AppError::forbidden(
                "remote_blocked",
                "A moderator blocked this account: nothing from it is accepted.",
            ));
        }
        Ok(())
    }
}

impl App {
    pub async fn remote_person(
        &self,
        platform: Origin,
        address: &str,
    ) -> AppResult<Option<RemoteAuthor>> {
        Ok(store::by_address(self.db(), platform.as_str(), address)
            .await?
            .map(RemoteAuthor::from))
    }

    /// Creates or refreshes a remote person from what their platform says of them.
    pub async fn remember_remote(
        &self,
        platform: Origin,
        profile: &RemoteProfile,
    ) -> AppResult<RemoteAuthor> {
        let clean = |text: &str, limit: usize| -> String {
            text.chars()
                .filter(|c| !c.is_control())
                .take(limit)
                .collect()
        };
        let handle = clean(&profile.handle, 100);
        let server = clean(&profile.server, 200);
        if handle.is_empty() || server.is_empty() || profile.address.len() > 2048 {
            return Err(AppError::invalid(
                "actor",
                "A remote person needs a handle and a server.",
            ));
        }
        // The name shown is always the handle on its server: a remote account cannot pass
        // for a verified colleague by choosing a colleague's name.
        let shown = format!("{handle}@{server}");
        let mut tx = self.db().begin().await?;
        let user_id = store::upsert(
            &mut tx,
            &NewRemote {
                platform: platform.as_str(),
                address: &profile.address,
                handle: &handle,
                server: &server,
                display_name: &shown,
                profile_url: &clean(&profile.profile_url, 2048),
                inbox: &clean(&profile.inbox, 2048),
                shared_inbox: &clean(&profile.shared_inbox, 2048),
                public_key_id: &clean(&profile.public_key_id, 2048),
                // A PEM keeps its line breaks.
                public_key_pem: &profile
                    .public_key_pem
                    .chars()
                    .filter(|c| *c == '\n' || !c.is_control())
                    .take(8192)
                    .collect::<String>(),
                now: clock::now(),
            },
        )
        .await?;
        tx.commit().await?;
        store::by_user(self.db(), user_id)
            .await?
            .map(RemoteAuthor::from)
            .ok_or(AppError::NotFound)
    }

    /// A reply from another platform. The caller decided that this platform may write to this
    /// thread (a federated space, a connected room); here it is checked like a member's reply —
    /// a nudge cannot be rephrased by anyone, so it waits for a moderator instead.
    pub async fn remote_reply(
        &self,
        author: &RemoteAuthor,
        (thread_id, reply_to): (i64, Option<i64>),
        body: &str,
        origin: Origin,
        remote_id: Option<&str>,
    ) -> AppResult<i64> {
        author.may_write()?;
        self.not_received_before(origin, remote_id).await?;
        let viewer = author.viewer();
        let (thread, space) = self.readable_thread(&viewer, thread_id).await?;
        self.write_reply(
            &viewer,
            (&thread, &space),
            body,
            reply_to,
            true,
            crate::threads::Arrival::From { origin, remote_id },
        )
        .await
    }

    /// A platform delivers at least once: the same message a second time is refused.
    pub(crate) async fn not_received_before(
        &self,
        origin: Origin,
        remote_id: Option<&str>,
    ) -> AppResult<()> {
        if let Some(remote_id) = remote_id
            && store::post_by_remote_id(self.db(), origin.as_str(), remote_id)
                .await?
                .is_some()
        {
            return Err(AppError::Conflict {
                code: "already_received",
                message: "This message was received before.".into(),
            });
        }
        Ok(())
    }

    /// The remote author changed their text: checked again, the old text kept as a version.
    pub async fn remote_edit(
        &self,
        author: &RemoteAuthor,
        origin: Origin,
        remote_id: &str,
        body: &str,
    ) -> AppResult<i64> {
        author.may_write()?;
        let post_id = self.remote_post_of(author, origin, remote_id).await?;
        self.edit_post(&author.viewer(), post_id, body, true).await
    }

    /// The remote author deleted their text.
    pub async fn remote_delete(
        &self,
        author: &RemoteAuthor,
        origin: Origin,
        remote_id: &str,
    ) -> AppResult<i64> {
        let post_id = self.remote_post_of(author, origin, remote_id).await?;
        self.delete_post(&author.viewer(), post_id).await?;
        Ok(post_id)
    }

    async fn remote_post_of(
        &self,
        author: &RemoteAuthor,
        origin: Origin,
        remote_id: &str,
    ) -> AppResult<i64> {
        match store::post_by_remote_id(self.db(), origin.as_str(), remote_id).await? {
            Some((post_id, _, author_id)) if author_id == Some(author.user_id) => Ok(post_id),
            Some(_) => Err(AppError::forbidden(
                "not_the_author",
                "Only the author can change this post.",
            )),
            None => Err(AppError::NotFound),
        }
    }

    /// A reaction from another platform (a fediverse "like" is read as helpful). It earns the
    /// author no points: a remote server could mint as many as it liked.
    pub(crate) async fn remote_react(
        &self,
        author: &RemoteAuthor,
        post_id: i64,
        kind: ReactionKind,
    ) -> AppResult<()> {
        author.may_write()?;
        self.readable_post(&author.viewer(), post_id).await?;
        let mut tx = self.db().begin().await?;
        guildhall_store::threads::toggle_reaction(
            &mut tx,
            post_id,
            author.user_id,
            kind.as_str(),
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Remote people of a platform, for moderators.
    pub async fn remote_people(
        &self,
        moderator: &Viewer,
        platform: Origin,
    ) -> AppResult<Vec<RemoteAuthor>> {
        may_block(moderator)?;
        Ok(store::list(self.db(), platform.as_str(), 500)
            .await?
            .into_iter()
            .map(RemoteAuthor::from)
            .collect())
    }

    /// Blocks a remote person (or lifts the block): their activities are refused from then on.
    pub async fn block_remote(
        &self,
        moderator: &Viewer,
        user_id: i64,
        blocked: bool,
    ) -> AppResult<()> {
        may_block(moderator)?;
        let now = clock::now();
        if !store::set_blocked(self.db(), user_id, blocked.then_some((now, moderator.id))).await? {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db().begin().await?;
        let action = if blocked {
            "remote.block"
        } else {
            "remote.unblock"
        };
        crate::outbox::record_audit(
            &mut tx,
            Some(moderator.id),
            action,
            &format!("user:{user_id}"),
            serde_json::Value::Null,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Moderators block remote people; administrators, who decide whom the instance federates
/// with, may too.
fn may_block(viewer: &Viewer) -> AppResult<()> {
    if viewer.has(Role::Admin) {
        return Ok(());
    }
    viewer.require(Role::Moderator)
}
