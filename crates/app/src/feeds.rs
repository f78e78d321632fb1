//! RSS and Atom feeds of what anyone may read: an open space's latest threads, and the latest
//! threads of a tag across open spaces. `nexus` writes the XML; this decides what is in it.
//! Spaces that are not open answer "not found", exactly as a space that does not exist, so a
//! feed never tells an outsider that a closed or secret space is there.

use crate::{App, AppError, AppResult};
use chrono::{DateTime, Utc};
use guildhall_domain::ideas::parse_tags;
use guildhall_domain::spaces::Visibility;
use guildhall_store::feeds::{self as store, FeedEntryRow};
use guildhall_store::spaces::space_by_slug;

/// How many entries a feed carries: readers poll, so older entries are already theirs.
pub const FEED_ENTRIES: i64 = 50;

/// A feed, with paths relative to `server.public_url`.
#[derive(Debug, Clone)]
pub struct Feed {
    pub title: String,
    pub subtitle: String,
    /// The page people read in a browser, e.g. `/s/data`.
    pub page_path: String,
    /// The feed's own address without its extension, e.g. `/s/data/feed`.
    pub feed_path: String,
    /// The newest change among the entries (or the space's creation when there is none).
    pub updated: DateTime<Utc>,
    pub entries: Vec<FeedEntry>,
}

#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub thread_id: i64,
    pub title: String,
    /// The thread page, e.g. `/t/7`.
    pub path: String,
    /// The author's professional display name; none once the account is gone.
    pub author: Option<String>,
    pub space_name: String,
    pub published: DateTime<Utc>,
    /// The latest activity (a reply) or edit of the opening post.
    pub updated: DateTime<Utc>,
    /// The opening post, sanitised when it was written.
    pub content_html: String,
}

impl From<FeedEntryRow> for FeedEntry {
    fn from(row: FeedEntryRow) -> Self {
        let updated = row.edited_at.map_or(row.last_activity_at, |edited| {
            edited.max(row.last_activity_at)
        });
        FeedEntry {
            path: format!("/t/{}", row.thread_id),
            thread_id: row.thread_id,
            title: row.title,
            author: row.author_name,
            space_name: row.space_name,
            published: row.created_at,
            updated,
            content_html: row.body_html,
        }
    }
}

fn open() -> &'static str {
    Visibility::Open.as_str()
}

impl App {
    /// The latest threads of the open space `slug`.
    pub async fn open_space_feed(&self, slug: &str) -> AppResult<Feed> {
        let space = space_by_slug(self.db(), slug)
            .await?
            .filter(|s| {
                Visibility::parse(&s.visibility).is_some_and(Visibility::readable_by_outsiders)
            })
            .ok_or(AppError::NotFound)?;
        let rows = store::space_entries(self.db(), space.id, open(), FEED_ENTRIES).await?;
        let entries: Vec<FeedEntry> = rows.into_iter().map(Into::into).collect();
        Ok(Feed {
            updated: newest(&entries).unwrap_or(space.created_at),
            title: format!("{} · Guildhall", space.name),
            subtitle: format!("The latest threads of {}", space.name),
            page_path: format!("/s/{}", space.slug),
            feed_path: format!("/s/{}/feed", space.slug),
            entries,
        })
    }

    /// The latest ideas and library resources tagged `raw_tag` in open spaces. A malformed tag
    /// is refused (400); a tag no open thread carries is "not found" (404) rather than an
    /// empty feed, so a tag used only in closed spaces looks like one never used.
    pub async fn open_tag_feed(&self, raw_tag: &str) -> AppResult<Feed> {
        let tag = match parse_tags(raw_tag).as_deref() {
            Ok([tag]) => tag.clone(),
            _ => {
                return Err(AppError::BadRequest(
                    "A tag is one word of letters, digits or hyphens, such as \"remote-work\"."
                        .into(),
                ));
            }
        };
        let rows = store::tag_entries(self.db(), &tag, open(), FEED_ENTRIES).await?;
        let entries: Vec<FeedEntry> = rows.into_iter().map(Into::into).collect();
        let updated = newest(&entries).ok_or(AppError::NotFound)?;
        Ok(Feed {
            updated,
            title: format!("#{tag} · Guildhall"),
            subtitle: format!("The latest ideas and resources tagged #{tag} in open spaces"),
            page_path: format!("/library?tag={tag}"),
            feed_path: format!("/tags/{tag}/feed"),
            entries,
        })
    }
}

fn newest(entries: &[FeedEntry]) -> Option<DateTime<Utc>> {
    entries.iter().map(|e| e.updated).max()
}
