//! Who hears about a new thread or post: once each, never the author, never someone who muted
//! the thread, never someone who may not read it.
//!
//! Decided through the pool *before* the post's transaction begins, then recorded inside it:
//! a transaction that holds the thread's row lock must not wait for a second connection (see
//! `guildhall_store::Tx`).

use crate::notify::{self, NotificationKind};
use crate::spaces::SpaceView;
use crate::{App, AppResult};
use guildhall_domain::threads::{Subscription, mentioned_names};
use guildhall_store::Tx;
use guildhall_store::threads as store;

#[derive(Debug)]
pub(super) struct Audience {
    /// Everyone already told or never to be told, the author first.
    settled: Vec<i64>,
    notices: Vec<(i64, NotificationKind)>,
}

impl Audience {
    pub(super) fn new(author: i64) -> Audience {
        Audience {
            settled: vec![author],
            notices: Vec::new(),
        }
    }

    fn tell(&mut self, person: i64, kind: NotificationKind) {
        if !self.settled.contains(&person) {
            self.settled.push(person);
            self.notices.push((person, kind));
        }
    }

    /// Everyone who muted the thread hears nothing of it.
    pub(super) async fn without_muted(mut self, app: &App, thread_id: i64) -> AppResult<Self> {
        let muted = store::subscribers(app.db(), thread_id, Subscription::Muted.as_str()).await?;
        self.settled.extend(muted);
        Ok(self)
    }

    /// The thread's author, the quoted post's author and everyone watching the thread (who may
    /// still read it) hear of a reply.
    pub(super) async fn with_reply_readers(
        mut self,
        app: &App,
        thread_id: i64,
        involved: impl IntoIterator<Item = i64>,
    ) -> AppResult<Self> {
        for person in involved {
            self.tell(person, NotificationKind::Reply);
        }
        for watcher in store::readable_watchers(app.db(), thread_id).await? {
            self.tell(watcher, NotificationKind::Reply);
        }
        Ok(self)
    }

    /// Everyone watching the space (who may read it) hears of a new thread.
    pub(super) async fn with_space_watchers(mut self, app: &App, space_id: i64) -> AppResult<Self> {
        for watcher in guildhall_store::spaces::readable_watchers(app.db(), space_id).await? {
            self.tell(watcher, NotificationKind::NewThread);
        }
        Ok(self)
    }

    /// People @mentioned in `body` who may read the space.
    pub(super) async fn with_mentions(
        mut self,
        app: &App,
        space: &SpaceView,
        body: &str,
    ) -> AppResult<Self> {
        for name in mentioned_names(body) {
            for person in guildhall_store::people::users_named(app.db(), &name).await? {
                let can_read = space.visibility.readable_by_outsiders()
                    || crate::spaces::is_active_member(app, space.id, person).await?;
                if can_read {
                    self.tell(person, NotificationKind::Mention);
                }
            }
        }
        Ok(self)
    }

    /// Records one notification per person as effects of the post's transaction.
    pub(super) async fn record(
        &self,
        tx: &mut Tx,
        thread_id: i64,
        post_id: i64,
        title: &str,
    ) -> AppResult<()> {
        let Some(&author) = self.settled.first() else {
            return Ok(());
        };
        for &(person, kind) in &self.notices {
            notify::record(tx, person, kind, author, thread_id, post_id, title).await?;
        }
        Ok(())
    }
}
