//! Threads and posts: starting, replying, editing with history, deleting, reactions, accepted
//! answers, pinning and locking, and the feeds.

mod attachments;
mod audience;

pub use attachments::{AttachmentFile, AttachmentView, Upload, sha256_hex, thread_of_post};

use crate::insights::{self, WatchKind};
use crate::knowledge;
use crate::moderation::{Held, Place};
use crate::nexus::federation;
use crate::notify::{self, LiveEvent, NotificationKind};
use crate::people::{Credential, Viewer};
use crate::rewards::{self, Merit, Source};
use crate::spaces::{SpaceView, members_only, require_facilitator};
use crate::xapi::{self, Moment};
use crate::{App, AppError, AppResult, clock};
use audience::Audience;
use chrono::{DateTime, Utc};
use guildhall_domain::FieldErrors;
use guildhall_domain::connectors::Event::{Deleted, Edited};
use guildhall_domain::rewards::Earning;
use guildhall_domain::threads::{
    ReactionKind, Subscription, ThreadKind, excerpt, parse_link, parse_post_body, parse_title,
    render_post,
};
use guildhall_store::Tx;
use guildhall_store::search::{self, DocKind, SearchDoc};
use guildhall_store::threads::{self as store, FeedCursor, NewPost, NewThread, PostRow, ThreadRow};
use serde::Serialize;
use std::collections::BTreeMap;

pub use crate::nexus::remote::Arrival;

pub const FEED_PAGE: i64 = 25;
pub const POSTS_PAGE: i64 = 50;
const EXCERPT_CHARS: usize = 240;

#[derive(Debug, Clone, Default)]
pub struct ThreadInput {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    /// The author saw the nudge and chose to send the text for review rather than rephrase.
    pub send_for_review: bool,
    /// With `send_for_review`: and says the check was wrong ("this was not rude").
    pub not_rude: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadSummary {
    pub id: i64,
    pub space_slug: String,
    pub space_name: String,
    pub kind: ThreadKind,
    pub title: String,
    pub excerpt: String,
    pub link_url: Option<String>,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub reply_count: i64,
    pub pinned: bool,
    pub locked: bool,
    pub answered: bool,
    /// The viewer has posts to read here.
    pub unread: bool,
}

impl From<ThreadRow> for ThreadSummary {
    fn from(t: ThreadRow) -> Self {
        ThreadSummary {
            kind: ThreadKind::parse(&t.kind).unwrap_or(ThreadKind::Discussion),
            author_name: t.author_name.unwrap_or_else(|| "Former member".into()),
            reply_count: (t.post_count - 1).max(0),
            answered: t.accepted_post_id.is_some(),
            unread: t.unread,
            id: t.id,
            space_slug: t.space_slug,
            space_name: t.space_name,
            title: t.title,
            excerpt: t.excerpt,
            link_url: t.link_url,
            author_id: t.author_id,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
            pinned: t.pinned,
            locked: t.locked,
        }
    }
}

/// One page of a feed and the cursor of the next page, if there is one.
#[derive(Debug, Clone, Serialize)]
pub struct FeedPage {
    pub threads: Vec<ThreadSummary>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReactionTally {
    pub kind: ReactionKind,
    pub count: i64,
    pub mine: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    pub id: i64,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub reply_to_id: Option<i64>,
    /// Sanitised HTML; empty when the post was deleted.
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub edited: bool,
    pub deleted: bool,
    pub accepted: bool,
    pub mine: bool,
    /// Hidden from others until a moderator decides (only its author and moderators see it).
    pub awaiting_review: bool,
    /// Posted since the viewer last read the thread.
    pub unread: bool,
    /// The platform it came from, when not written here ("the fediverse", "Matrix", "email").
    pub via: Option<&'static str>,
    pub attachments: Vec<AttachmentView>,
    pub reactions: Vec<ReactionTally>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostVersion {
    pub body_html: String,
    /// When this text was replaced by a newer one.
    pub replaced_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostHistory {
    pub thread_id: i64,
    pub post_id: i64,
    pub author_name: String,
    pub current_html: String,
    /// Earlier texts, oldest first.
    pub versions: Vec<PostVersion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThreadPage {
    pub thread: ThreadSummary,
    pub space: SpaceView,
    pub posts: Vec<PostView>,
    /// Post id to continue after, when the thread has more posts.
    pub next_after: Option<i64>,
    pub accepted_post_id: Option<i64>,
    pub can_reply: bool,
    pub can_accept: bool,
    pub can_moderate: bool,
    pub subscription: Subscription,
}

/// Cursors travel as `<unix microseconds>.<id>`: opaque to clients, exact for the database.
pub fn encode_cursor(cursor: FeedCursor) -> String {
    format!("{}.{}", cursor.at.timestamp_micros(), cursor.id)
}

pub fn decode_cursor(raw: Option<&str>) -> AppResult<FeedCursor> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(FeedCursor::start());
    };
    let invalid = || AppError::BadRequest("The page cursor is not valid.".into());
    let (micros, id) = raw.split_once('.').ok_or_else(invalid)?;
    let at = DateTime::from_timestamp_micros(micros.parse().map_err(|_| invalid())?)
        .ok_or_else(invalid)?;
    Ok(FeedCursor {
        at,
        id: id.parse().map_err(|_| invalid())?,
    })
}

/// A new thread whose words passed the content check, with who will hear of it: written in
/// the caller's transaction (an idea adds its own row beside it), announced after the commit.
pub(crate) struct Opening {
    space_id: i64,
    kind: ThreadKind,
    title: String,
    body: String,
    link: Option<String>,
    held: Option<Held>,
    audience: Option<Audience>,
}

impl Opening {
    /// The thread, its opening post, the hold or the notifications; returns both ids.
    pub(crate) async fn write(
        &self,
        app: &App,
        tx: &mut Tx,
        (author, arrival): (i64, Arrival<'_>),
        now: DateTime<Utc>,
    ) -> AppResult<(i64, i64)> {
        let (thread_id, opening_post) = post_thread(
            tx,
            self.space_id,
            author,
            self.kind,
            &self.title,
            &self.body,
            self.link.as_deref(),
            now,
        )
        .await?;
        arrival.record(tx, opening_post).await?;
        if let Some(held) = &self.held {
            app.hold_post(tx, opening_post, author, self.space_id, &self.body, held)
                .await?;
        }
        if let Some(audience) = &self.audience {
            audience
                .record(tx, thread_id, opening_post, &self.title)
                .await?;
            crate::connectors::post_published(tx, self.space_id, opening_post, now).await?;
        }
        if self.audience.is_some() && arrival.by_member() {
            let question = self.kind == ThreadKind::Question;
            let post = (self.space_id, thread_id, opening_post);
            insights::note_own_words(app, tx, post, author, question, &self.body, now).await?;
            let shared = federation::SharedPost {
                space_id: self.space_id,
                thread_id,
                post_id: opening_post,
                title: Some(&self.title),
                body_html: &render_post(&self.body),
                author_id: author,
                reply_to: None,
                at: now,
            };
            federation::share(app, tx, &shared).await?;
        }
        Ok((thread_id, opening_post))
    }

    /// Tells the monitoring feed of a new question, or of content waiting for review.
    pub(crate) fn announce(&self, app: &App) {
        let watched = match (self.held.is_some(), self.kind) {
            (true, _) => Some(WatchKind::Review),
            (false, ThreadKind::Question) => Some(WatchKind::Question),
            (false, _) => None,
        };
        if let Some(kind) = watched {
            app.publish(LiveEvent::Watch {
                kind,
                space_id: Some(self.space_id),
                for_user: None,
            });
        }
    }
}

fn page(rows: Vec<ThreadRow>) -> FeedPage {
    let next = (i64::try_from(rows.len()).unwrap_or(0) == FEED_PAGE)
        .then(|| {
            rows.last().map(|t| {
                encode_cursor(FeedCursor {
                    at: t.last_activity_at,
                    id: t.id,
                })
            })
        })
        .flatten();
    FeedPage {
        threads: rows.into_iter().map(Into::into).collect(),
        next,
    }
}

impl App {
    pub async fn start_thread(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &ThreadInput,
    ) -> AppResult<i64> {
        let space = self.space(viewer, slug).await?;
        if !space.is_member() {
            return Err(members_only());
        }
        let mut errors = FieldErrors::new();
        let kind = errors.check(
            "kind",
            ThreadKind::parse(&input.kind)
                .ok_or_else(|| "Choose what kind of thread this is.".to_owned()),
        );
        let title = errors.check("title", parse_title(&input.title));
        let body = errors.check("body", parse_post_body(&input.body));
        let link = errors.check("link", parse_link(&input.link));
        if kind == Some(ThreadKind::Resource) && matches!(link, Some(None)) {
            errors.add("link", "A resource needs a link.");
        }
        let (Some(kind), Some(title), Some(body), Some(link), true) =
            (kind, title, body, link, errors.is_empty())
        else {
            return Err(errors.into());
        };
        if kind.needs_facilitator() {
            require_facilitator(&space)?;
        }
        let screened = self
            .screen(
                viewer,
                Place::Thread,
                Some(space.id),
                &[("title", &title), ("body", &body)],
                input.send_for_review,
            )
            .await?;
        let (title, body) = (screened.text(0).to_owned(), screened.text(1).to_owned());
        let held = screened.held.map(|held| held.disputed_if(input.not_rude));
        let opening = self
            .prepare_opening(viewer, &space, kind, title, body, link, held)
            .await?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let (thread_id, _) = opening
            .write(self, &mut tx, (viewer.id, Arrival::Here), now)
            .await?;
        if kind == ThreadKind::Idea {
            // An idea started as a plain thread joins the board, its text as the proposal.
            let proposal = &opening.body;
            crate::ideas::join_board(&mut tx, thread_id, space.id, viewer.id, proposal, now)
                .await?;
        }
        // A resource thread gets its library row; questions and resources their embedding.
        if kind == ThreadKind::Resource {
            knowledge::record_link_resource(&mut tx, thread_id, viewer.id, now).await?;
        }
        if matches!(kind, ThreadKind::Question | ThreadKind::Resource) {
            knowledge::enqueue_embedding(&mut tx, thread_id, now).await?;
        }
        if kind == ThreadKind::Question && opening.held.is_none() {
            let asked = Moment::Asked {
                thread_id,
                title: &opening.title,
            };
            xapi::record(self, &mut tx, viewer.id, asked, Some((&space).into()), now).await?;
        }
        tx.commit().await?;
        opening.announce(self);
        Ok(thread_id)
    }

    /// Who hears of a new thread, decided before its transaction (see `audience`). Nobody hears
    /// about held content until a moderator approves it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn prepare_opening(
        &self,
        viewer: &Viewer,
        space: &SpaceView,
        kind: ThreadKind,
        title: String,
        body: String,
        link: Option<String>,
        held: Option<Held>,
    ) -> AppResult<Opening> {
        let audience = match held {
            Some(_) => None,
            None => Some(
                Audience::new(viewer.id)
                    .with_mentions(self, space, &body)
                    .await?
                    .with_space_watchers(self, space.id)
                    .await?,
            ),
        };
        Ok(Opening {
            space_id: space.id,
            kind,
            title,
            body,
            link,
            held,
            audience,
        })
    }

    /// A thread and its space, if the viewer may read it; otherwise "not found" (secret spaces)
    /// or "members only".
    /// A post that is not deleted, with its thread and space, if the viewer may read them.
    /// Where a post the viewer may read is: its thread page, at the post.
    pub async fn post_address(&self, viewer: &Viewer, post_id: i64) -> AppResult<String> {
        let (post, _, _) = self.readable_post(viewer, post_id).await?;
        Ok(format!("/t/{}#post-{post_id}", post.thread_id))
    }

    pub(crate) async fn readable_post(
        &self,
        viewer: &Viewer,
        post_id: i64,
    ) -> AppResult<(PostRow, ThreadRow, SpaceView)> {
        let post = store::post(self.db(), post_id)
            .await?
            .filter(|p| p.deleted_at.is_none())
            .filter(|p| p.hidden_at.is_none() || may_see_hidden(viewer, p.author_id))
            .ok_or(AppError::NotFound)?;
        let (thread, space) = self.readable_thread(viewer, post.thread_id).await?;
        Ok((post, thread, space))
    }

    /// The post someone is about to edit or delete. A person on another platform changes only
    /// their own posts, which a connector may have carried into a space they cannot read here.
    async fn changeable_post(
        &self,
        viewer: &Viewer,
        post_id: i64,
    ) -> AppResult<(PostRow, ThreadRow, SpaceView)> {
        if !matches!(viewer.credential, Credential::Remote) {
            return self.readable_post(viewer, post_id).await;
        }
        let post = store::post(self.db(), post_id)
            .await?
            .filter(|p| p.deleted_at.is_none() && p.author_id == Some(viewer.id))
            .ok_or(AppError::NotFound)?;
        let thread = store::thread(self.db(), post.thread_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let space = self.space_from_outside(thread.space_id).await?;
        Ok((post, thread, space))
    }

    pub(crate) async fn readable_thread(
        &self,
        viewer: &Viewer,
        thread_id: i64,
    ) -> AppResult<(ThreadRow, SpaceView)> {
        let thread = store::thread(self.db(), thread_id)
            .await?
            .ok_or(AppError::NotFound)?;
        // A thread waiting for review exists only for its author and moderators.
        if thread.hidden_at.is_some() && !may_see_hidden(viewer, thread.author_id) {
            return Err(AppError::NotFound);
        }
        let space = self.space_by_id(viewer, thread.space_id).await?;
        if !space.can_read() {
            return Err(members_only());
        }
        Ok((thread, space))
    }

    pub async fn thread_page(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        after_post: i64,
    ) -> AppResult<ThreadPage> {
        let (thread, space) = self.readable_thread(viewer, thread_id).await?;
        let rows = store::posts(self.db(), thread_id, after_post.max(0), POSTS_PAGE).await?;
        let mut tallies: BTreeMap<i64, Vec<ReactionTally>> = BTreeMap::new();
        let mut files: BTreeMap<i64, Vec<AttachmentView>> = BTreeMap::new();
        if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
            for file in
                guildhall_store::files::for_posts(self.db(), thread_id, first.id, last.id).await?
            {
                files.entry(file.post_id).or_default().push(file.into());
            }
            for count in
                store::reaction_counts(self.db(), thread_id, first.id, last.id, viewer.id).await?
            {
                if let Some(kind) = ReactionKind::parse(&count.kind) {
                    tallies
                        .entry(count.post_id)
                        .or_default()
                        .push(ReactionTally {
                            kind,
                            count: count.count,
                            mine: count.mine > 0,
                        });
                }
            }
        }
        let next_after = (i64::try_from(rows.len()).unwrap_or(0) == POSTS_PAGE)
            .then(|| rows.last().map(|p| p.id))
            .flatten();
        let state = store::thread_state(self.db(), viewer.id, thread_id).await?;
        let last_read = state.as_ref().map_or(0, |s| s.last_read_post_id);
        let subscription = state
            .as_ref()
            .and_then(|s| Subscription::parse(&s.subscription))
            .unwrap_or(Subscription::Normal);
        // Reading moves the mark forward; a page already read writes nothing.
        if let Some(last) = rows.last().map(|p| p.id).filter(|last| *last > last_read) {
            let mut tx = self.db().begin().await?;
            store::mark_read_until(&mut tx, viewer.id, thread_id, last, clock::now()).await?;
            tx.commit().await?;
        }
        let posts = rows
            .into_iter()
            .filter(|p| p.hidden_at.is_none() || may_see_hidden(viewer, p.author_id))
            .map(|p| PostView {
                awaiting_review: p.hidden_at.is_some(),
                unread: p.id > last_read && last_read > 0 && p.author_id != Some(viewer.id),
                attachments: if p.deleted_at.is_some() {
                    Vec::new()
                } else {
                    files.remove(&p.id).unwrap_or_default()
                },
                reactions: tallies.remove(&p.id).unwrap_or_default(),
                accepted: thread.accepted_post_id == Some(p.id),
                mine: p.author_id == Some(viewer.id),
                deleted: p.deleted_at.is_some(),
                body_html: if p.deleted_at.is_some() {
                    String::new()
                } else {
                    p.body_html
                },
                author_name: p.author_name.unwrap_or_else(|| "Former member".into()),
                via: guildhall_domain::nexus::Origin::via(&p.origin),
                edited: p.edited_at.is_some(),
                id: p.id,
                author_id: p.author_id,
                reply_to_id: p.reply_to_id,
                created_at: p.created_at,
            })
            .collect();
        let is_question = thread.kind == ThreadKind::Question.as_str();
        Ok(ThreadPage {
            can_reply: space.is_member() && (!thread.locked || space.is_facilitator()),
            can_accept: is_question
                && (thread.author_id == Some(viewer.id) || space.is_facilitator()),
            can_moderate: space.is_facilitator(),
            subscription,
            accepted_post_id: thread.accepted_post_id,
            thread: thread.into(),
            space,
            posts,
            next_after,
        })
    }

    pub async fn reply(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        body: &str,
        reply_to: Option<i64>,
        send_for_review: bool,
    ) -> AppResult<i64> {
        self.member_reply(
            viewer,
            thread_id,
            body,
            reply_to,
            send_for_review,
            Arrival::Here,
        )
        .await
    }

    /// A member's reply, written here or arriving by email.
    pub(crate) async fn member_reply(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        body: &str,
        reply_to: Option<i64>,
        send_for_review: bool,
        arrival: Arrival<'_>,
    ) -> AppResult<i64> {
        let (thread, space) = self.readable_thread(viewer, thread_id).await?;
        if !space.is_member() {
            return Err(members_only());
        }
        self.write_reply(
            viewer,
            (&thread, &space),
            body,
            reply_to,
            send_for_review,
            arrival,
        )
        .await
    }

    /// A reply by a member (who may write in the space) or by a remote person (whose
    /// connector decided they may): the lock, the content check, the review queue, the
    /// audience and the counters are the same for both.
    pub(crate) async fn write_reply(
        &self,
        viewer: &Viewer,
        (thread, space): (&ThreadRow, &SpaceView),
        body: &str,
        reply_to: Option<i64>,
        send_for_review: bool,
        arrival: Arrival<'_>,
    ) -> AppResult<i64> {
        let thread_id = thread.id;
        if thread.locked && !space.is_facilitator() {
            return Err(AppError::forbidden(
                "thread_locked",
                "This thread is locked: no new replies.",
            ));
        }
        let body = parse_post_body(body).map_err(|message| AppError::invalid("body", message))?;
        let quoted_author = match reply_to {
            Some(target) => match store::post(self.db(), target).await? {
                Some(quoted) if quoted.thread_id == thread_id => quoted.author_id,
                _ => {
                    return Err(AppError::invalid(
                        "reply_to",
                        "You can only reply to a post of this thread.",
                    ));
                }
            },
            None => None,
        };
        let screened = self
            .screen(
                viewer,
                Place::Post { thread_id },
                Some(space.id),
                &[("body", &body)],
                send_for_review,
            )
            .await?;
        let body = screened.text(0).to_owned();
        let audience = match screened.held {
            Some(_) => None,
            None => Some(
                Audience::new(viewer.id)
                    .without_muted(self, thread_id)
                    .await?
                    .with_reply_readers(
                        self,
                        thread_id,
                        [thread.author_id, quoted_author].into_iter().flatten(),
                    )
                    .await?
                    .with_mentions(self, space, &body)
                    .await?,
            ),
        };
        let now = clock::now();
        let body_html = render_post(&body);
        let mut tx = self.db().begin().await?;
        let id = store::insert_post(
            &mut tx,
            &NewPost {
                thread_id,
                author_id: viewer.id,
                reply_to_id: reply_to,
                body: &body,
                body_html: &body_html,
                now,
                held: screened.held.is_some(),
            },
        )
        .await?;
        arrival.record(&mut tx, id).await?;
        store::mark_read_until(&mut tx, viewer.id, thread_id, id, now).await?;
        index_post(&mut tx, thread, id, false, &body, Some(viewer.id), now).await?;
        if let Some(held) = &screened.held {
            self.hold_post(&mut tx, id, viewer.id, space.id, &body, held)
                .await?;
            tx.commit().await?;
            self.publish(LiveEvent::Watch {
                kind: WatchKind::Review,
                space_id: Some(space.id),
                for_user: None,
            });
            return Ok(id);
        }
        if let Some(audience) = audience {
            audience
                .record(&mut tx, thread_id, id, &thread.title)
                .await?;
        }
        crate::connectors::post_published(&mut tx, space.id, id, now).await?;
        if thread.author_id != Some(viewer.id) {
            insights::note_answer(&mut tx, thread_id, now).await?;
        }
        if arrival.by_member() {
            let post = (space.id, thread_id, id);
            insights::note_own_words(self, &mut tx, post, viewer.id, false, &body, now).await?;
            if thread.kind == ThreadKind::Question.as_str() && thread.author_id != Some(viewer.id) {
                let answered = Moment::Answered {
                    thread_id,
                    title: &thread.title,
                };
                xapi::record(self, &mut tx, viewer.id, answered, Some(space.into()), now).await?;
            }
            let shared = federation::SharedPost {
                space_id: space.id,
                thread_id,
                post_id: id,
                title: None,
                body_html: &body_html,
                author_id: viewer.id,
                reply_to,
                at: now,
            };
            federation::share(self, &mut tx, &shared).await?;
        }
        // Last: every other reply to this thread waits for the row lock this takes.
        store::count_post(&mut tx, thread_id, now).await?;
        tx.commit().await?;
        self.publish(LiveEvent::NewPost {
            thread_id,
            post_id: id,
        });
        Ok(id)
    }

    /// The author changes their post; the previous text is kept as a version.
    pub async fn edit_post(
        &self,
        viewer: &Viewer,
        post_id: i64,
        body: &str,
        send_for_review: bool,
    ) -> AppResult<i64> {
        let (post, thread, space) = self.changeable_post(viewer, post_id).await?;
        if post.author_id != Some(viewer.id) {
            return Err(AppError::forbidden(
                "author_only",
                "Only the author can edit a post.",
            ));
        }
        let body = parse_post_body(body).map_err(|message| AppError::invalid("body", message))?;
        let screened = self
            .screen(
                viewer,
                Place::Edit {
                    thread_id: thread.id,
                },
                Some(space.id),
                &[("body", &body)],
                send_for_review,
            )
            .await?;
        let body = screened.text(0).to_owned();
        let opening = store::opening_post_id(self.db(), thread.id).await? == Some(post_id);
        if opening && thread.kind == ThreadKind::Idea.as_str() {
            // The idea's own fields are the source of its opening post.
            return Err(AppError::forbidden(
                "edit_idea",
                "Change an idea from its page on the idea board.",
            ));
        }
        let mut tx = self.db().begin().await?;
        store::edit_post(
            &mut tx,
            post_id,
            &body,
            &render_post(&body),
            viewer.id,
            clock::now(),
        )
        .await?;
        index_post(
            &mut tx,
            &thread,
            post_id,
            opening,
            &body,
            post.author_id,
            post.created_at,
        )
        .await?;
        if opening {
            store::set_thread_excerpt(
                &mut tx,
                thread.id,
                &thread.title,
                &excerpt(&body, EXCERPT_CHARS),
            )
            .await?;
            knowledge::opening_edited(&mut tx, thread.id, &thread.kind, viewer.id, clock::now())
                .await?;
        }
        if let Some(held) = &screened.held {
            self.hold_post(&mut tx, post_id, viewer.id, space.id, &body, held)
                .await?;
        } else {
            let now = clock::now();
            crate::connectors::post_changed(&mut tx, post_id, Edited, now).await?;
            federation::post_changed(self, &mut tx, post_id, federation::Change::Updated, now)
                .await?;
        }
        tx.commit().await?;
        Ok(thread.id)
    }

    /// The raw text of a post, for its author's edit form.
    pub async fn post_source(&self, viewer: &Viewer, post_id: i64) -> AppResult<(i64, String)> {
        let (post, _, _) = self.readable_post(viewer, post_id).await?;
        if post.author_id != Some(viewer.id) {
            return Err(AppError::forbidden(
                "author_only",
                "Only the author can edit a post.",
            ));
        }
        Ok((post.thread_id, post.body))
    }

    /// The earlier texts of a post, oldest first, for readers of its thread.
    pub async fn post_history(&self, viewer: &Viewer, post_id: i64) -> AppResult<PostHistory> {
        let (post, _, _) = self.readable_post(viewer, post_id).await?;
        let versions = store::versions(self.db(), post_id)
            .await?
            .into_iter()
            .map(|v| PostVersion {
                body_html: render_post(&v.body),
                replaced_at: v.created_at,
            })
            .collect();
        Ok(PostHistory {
            thread_id: post.thread_id,
            post_id,
            author_name: post.author_name.unwrap_or_else(|| "Former member".into()),
            current_html: post.body_html,
            versions,
        })
    }

    /// A post's text as a Markdown quotation, to start a reply with.
    pub async fn quote(&self, viewer: &Viewer, post_id: i64) -> AppResult<String> {
        let (post, _, _) = self.readable_post(viewer, post_id).await?;
        let author = post.author_name.unwrap_or_else(|| "Former member".into());
        let mut quoted = format!("> {author} wrote:\n>\n");
        for line in post.body.lines() {
            quoted.push_str("> ");
            quoted.push_str(line);
            quoted.push('\n');
        }
        quoted.push('\n');
        Ok(quoted)
    }

    /// Soft-deletes a post (by its author or a facilitator); deleting the opening post removes
    /// the thread. Returns the thread id, or `None` when the thread went too.
    pub async fn delete_post(&self, viewer: &Viewer, post_id: i64) -> AppResult<Option<i64>> {
        let (post, thread, space) = self.changeable_post(viewer, post_id).await?;
        if post.author_id != Some(viewer.id) && !space.is_facilitator() {
            return Err(AppError::forbidden(
                "author_only",
                "Only the author or a facilitator can delete a post.",
            ));
        }
        let opening = store::opening_post_id(self.db(), thread.id).await? == Some(post_id);
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::delete_post(&mut tx, post_id, now).await?;
        rewards::take_back(&mut tx, Source::Post(post_id), None, None, now).await?;
        crate::connectors::post_changed(&mut tx, post_id, Deleted, now).await?;
        federation::post_changed(self, &mut tx, post_id, federation::Change::Deleted, now).await?;
        if opening {
            store::delete_thread(&mut tx, thread.id, now).await?;
            search::remove_thread(&mut tx, thread.id).await?;
        } else {
            search::remove(&mut tx, DocKind::Post, post_id).await?;
        }
        tx.commit().await?;
        Ok((!opening).then_some(thread.id))
    }

    /// Adds or removes one of the viewer's typed reactions; returns the thread id.
    pub async fn react(&self, viewer: &Viewer, post_id: i64, kind: &str) -> AppResult<i64> {
        let kind = ReactionKind::parse(kind).ok_or_else(|| {
            AppError::invalid("kind", "Choose helpful, learned, question or outdated.")
        })?;
        let (post, _, space) = self.readable_post(viewer, post_id).await?;
        if !space.is_member() {
            return Err(members_only());
        }
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let added = store::toggle_reaction(&mut tx, post_id, viewer.id, kind.as_str(), now).await?;
        if kind == ReactionKind::Helpful
            && let Some(author) = post.author_id
        {
            let (helpful, source) = (Earning::HelpfulReaction, Source::Post(post_id));
            if added {
                let merit = Merit::new(helpful, author, source).by(viewer.id);
                rewards::claim(&mut tx, merit.in_space(Some(space.id)), now).await?;
            } else {
                rewards::take_back(&mut tx, source, Some(viewer.id), Some(helpful), now).await?;
            }
        }
        tx.commit().await?;
        Ok(post.thread_id)
    }

    /// The asker or a facilitator marks (or, with `None`, clears) the accepted answer.
    pub async fn accept_answer(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        post_id: Option<i64>,
    ) -> AppResult<()> {
        let (thread, space) = self.readable_thread(viewer, thread_id).await?;
        if thread.kind != ThreadKind::Question.as_str() {
            return Err(AppError::invalid(
                "post_id",
                "Only questions have accepted answers.",
            ));
        }
        if thread.author_id != Some(viewer.id) && !space.is_facilitator() {
            return Err(AppError::forbidden(
                "asker_only",
                "Only the asker or a facilitator can accept an answer.",
            ));
        }
        let mut answerer = None;
        if let Some(post_id) = post_id {
            let answer = store::post(self.db(), post_id)
                .await?
                .filter(|p| p.thread_id == thread_id && p.deleted_at.is_none());
            let opening = store::opening_post_id(self.db(), thread_id).await?;
            match answer {
                Some(answer) if opening != Some(post_id) => answerer = answer.author_id,
                _ => {
                    return Err(AppError::invalid(
                        "post_id",
                        "Choose a reply of this question.",
                    ));
                }
            }
        }
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::set_accepted(&mut tx, thread_id, post_id).await?;
        let accepted = Earning::AnswerAccepted;
        if let Some(before) = thread.accepted_post_id.filter(|b| Some(*b) != post_id) {
            rewards::take_back(&mut tx, Source::Post(before), None, Some(accepted), now).await?;
        }
        if let Some(post_id) = post_id
            && let Some(answerer) = answerer
            && thread.accepted_post_id != Some(post_id)
        {
            let merit = Merit::new(accepted, answerer, Source::Post(post_id)).by(viewer.id);
            rewards::claim(&mut tx, merit.in_space(Some(space.id)), now).await?;
            let title = &thread.title;
            let moment = Moment::AcceptedAnswer {
                thread_id,
                title,
                post_id,
            };
            xapi::record(self, &mut tx, viewer.id, moment, Some((&space).into()), now).await?;
        }
        if let Some(post_id) = post_id
            && let Some(answerer) = answerer
            && answerer != viewer.id
        {
            notify::record(
                &mut tx,
                answerer,
                NotificationKind::AnswerAccepted,
                viewer.id,
                thread_id,
                post_id,
                &thread.title,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Watching (every reply), normal (replies to you) or muted (nothing).
    pub async fn set_subscription(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        level: &str,
    ) -> AppResult<Subscription> {
        let level = Subscription::parse(level)
            .ok_or_else(|| AppError::invalid("level", "Choose watching, normal or muted."))?;
        self.readable_thread(viewer, thread_id).await?;
        store::set_subscription(
            self.db(),
            viewer.id,
            thread_id,
            level.as_str(),
            clock::now(),
        )
        .await?;
        Ok(level)
    }

    pub async fn set_thread_flags(
        &self,
        viewer: &Viewer,
        thread_id: i64,
        pinned: bool,
        locked: bool,
    ) -> AppResult<()> {
        let (_, space) = self.readable_thread(viewer, thread_id).await?;
        require_facilitator(&space)?;
        store::set_flags(self.db(), thread_id, pinned, locked).await?;
        Ok(())
    }

    pub async fn space_feed(
        &self,
        viewer: &Viewer,
        slug: &str,
        cursor: Option<&str>,
    ) -> AppResult<(SpaceView, FeedPage, Vec<ThreadSummary>)> {
        let space = self.space(viewer, slug).await?;
        if !space.can_read() {
            return Ok((
                space,
                FeedPage {
                    threads: Vec::new(),
                    next: None,
                },
                Vec::new(),
            ));
        }
        let cursor = decode_cursor(cursor)?;
        let pinned = if cursor == FeedCursor::start() {
            store::pinned_threads(self.db(), space.id, viewer.id).await?
        } else {
            Vec::new()
        };
        let feed =
            page(store::space_feed(self.db(), space.id, viewer.id, cursor, FEED_PAGE).await?);
        Ok((space, feed, pinned.into_iter().map(Into::into).collect()))
    }

    /// Latest activity in the viewer's spaces.
    pub async fn home_feed(&self, viewer: &Viewer, cursor: Option<&str>) -> AppResult<FeedPage> {
        Ok(page(
            store::home_feed(self.db(), viewer.id, decode_cursor(cursor)?, FEED_PAGE).await?,
        ))
    }

    pub async fn unanswered_questions(
        &self,
        viewer: &Viewer,
        cursor: Option<&str>,
    ) -> AppResult<FeedPage> {
        Ok(page(
            store::unanswered(self.db(), viewer.id, decode_cursor(cursor)?, FEED_PAGE).await?,
        ))
    }

    /// The viewer's own threads (only in spaces they can still read).
    pub async fn my_threads(&self, viewer: &Viewer, cursor: Option<&str>) -> AppResult<FeedPage> {
        let mut feed =
            page(store::threads_by(self.db(), viewer.id, decode_cursor(cursor)?, FEED_PAGE).await?);
        let mut readable = Vec::with_capacity(feed.threads.len());
        for thread in feed.threads {
            if self
                .space(viewer, &thread.space_slug)
                .await
                .is_ok_and(|s| s.can_read())
            {
                readable.push(thread);
            }
        }
        feed.threads = readable;
        Ok(feed)
    }
}

/// Held or reported-and-hidden content stays visible to its author and to moderators.
fn may_see_hidden(viewer: &Viewer, author_id: Option<i64>) -> bool {
    author_id == Some(viewer.id) || viewer.has(guildhall_domain::people::Role::Moderator)
}

/// Writes a new thread with its opening post and search document; returns both ids (no
/// permission checks: the callers — a member starting a thread, a scheduled event follow-up —
/// have done theirs).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn post_thread(
    tx: &mut guildhall_store::Tx,
    space_id: i64,
    author_id: i64,
    kind: ThreadKind,
    title: &str,
    body: &str,
    link: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<(i64, i64)> {
    let thread_id = store::insert_thread(
        tx,
        &NewThread {
            space_id,
            author_id,
            kind: kind.as_str(),
            title,
            link_url: link,
            excerpt: &excerpt(body, EXCERPT_CHARS),
            now,
        },
    )
    .await?;
    let post_id = store::insert_post(
        tx,
        &NewPost {
            thread_id,
            author_id,
            reply_to_id: None,
            body,
            body_html: &render_post(body),
            now,
            held: false,
        },
    )
    .await?;
    store::count_post(tx, thread_id, now).await?;
    let doc = SearchDoc {
        kind: DocKind::Thread,
        id: thread_id,
        title,
        body,
        space_id: Some(space_id),
        thread_id: Some(thread_id),
        author_id: Some(author_id),
        thread_kind: Some(kind.as_str()),
        created_at: now,
    };
    store::mark_read_until(tx, author_id, thread_id, post_id, now).await?;
    search::index(tx, &doc).await?;
    Ok((thread_id, post_id))
}

/// Indexes a post for search; the opening post stands for its thread (title and body).
pub(crate) async fn index_post(
    tx: &mut guildhall_store::Tx,
    thread: &ThreadRow,
    post_id: i64,
    opening: bool,
    body: &str,
    author_id: Option<i64>,
    created_at: DateTime<Utc>,
) -> AppResult<()> {
    let doc = SearchDoc {
        kind: if opening {
            DocKind::Thread
        } else {
            DocKind::Post
        },
        id: if opening { thread.id } else { post_id },
        title: &thread.title,
        body,
        space_id: Some(thread.space_id),
        thread_id: Some(thread.id),
        author_id,
        thread_kind: Some(&thread.kind),
        created_at,
    };
    Ok(search::index(tx, &doc).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_junk() {
        let cursor = FeedCursor {
            at: clock::now(),
            id: 42,
        };
        assert_eq!(decode_cursor(Some(&encode_cursor(cursor))).unwrap(), cursor);
        assert_eq!(decode_cursor(None).unwrap(), FeedCursor::start());
        for junk in ["x", "1.", ".1", "9999999999999999999.1", "1.2.3"] {
            assert!(decode_cursor(Some(junk)).is_err(), "{junk}");
        }
    }
}
