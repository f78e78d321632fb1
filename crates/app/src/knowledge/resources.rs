//! Adding resources, the library listing, and one resource's panel.

use super::similar::enqueue_embedding;
use crate::moderation::Place;
use crate::people::Viewer;
use crate::spaces::members_only;
use crate::threads::post_thread;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::knowledge::freshness::REVIEW_AFTER_DAYS;
use guildhall_domain::knowledge::{
    Freshness, Rating, ResourceDraft, ResourceKind, freshness, parse_resource,
};
use guildhall_domain::people::profile::skill_key;
use guildhall_domain::threads::ThreadKind;
use guildhall_store::Tx;
use guildhall_store::knowledge::resources::{
    self as store, LibraryCursor, LibraryFilter, LibraryRow, NewResource, ResourceRow,
};
use serde::Serialize;

pub const LIBRARY_PAGE: i64 = 25;

/// A resource as typed in the "Add a resource" form or the API.
#[derive(Debug, Clone, Default)]
pub struct ResourceInput {
    pub kind: String,
    pub title: String,
    pub url: String,
    pub body: String,
    pub tags: String,
    pub skills: String,
    pub send_for_review: bool,
    pub not_rude: bool,
}

/// The library's filters and position, as read from a query string.
#[derive(Debug, Clone, Default)]
pub struct LibraryQuery {
    pub space: Option<String>,
    pub kind: Option<String>,
    pub tag: Option<String>,
    pub skill: Option<String>,
    pub needs_review: bool,
    /// "helpful" for most helpful first; newest first otherwise.
    pub sort: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LibraryItem {
    pub id: i64,
    pub title: String,
    pub excerpt: String,
    pub kind: ResourceKind,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub helpful: i64,
    pub outdated: i64,
    pub freshness: Freshness,
    pub last_reviewed_at: DateTime<Utc>,
    pub owner_id: Option<i64>,
    pub owner_name: String,
    /// The owner's face, when they have a photo.
    pub owner_photo_url: Option<String>,
    pub space_slug: String,
    pub space_name: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LibraryPage {
    pub resources: Vec<LibraryItem>,
    pub next: Option<String>,
}

/// One resource, as its page shows it to the viewer.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceView {
    pub item: LibraryItem,
    pub body_html: String,
    pub skills: Vec<String>,
    pub reply_count: i64,
    pub my_rating: Option<Rating>,
    pub is_owner: bool,
    /// Collections the viewer may add this resource to (id, title).
    pub my_collections: Vec<(i64, String)>,
}

fn counts(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

pub(crate) fn state_of(row: &ResourceRow, now: DateTime<Utc>) -> Freshness {
    freshness(
        row.last_reviewed_at.date_naive(),
        counts(row.outdated_count),
        counts(row.helpful_count),
        now.date_naive(),
    )
}

fn tags_of(tags: &str) -> Vec<String> {
    tags.split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

impl From<LibraryRow> for LibraryItem {
    fn from(r: LibraryRow) -> Self {
        LibraryItem {
            kind: ResourceKind::parse(&r.kind).unwrap_or(ResourceKind::Link),
            freshness: freshness(
                r.last_reviewed_at.date_naive(),
                counts(r.outdated_count),
                counts(r.helpful_count),
                clock::now().date_naive(),
            ),
            tags: tags_of(&r.tags),
            owner_name: r.owner_name.unwrap_or_else(|| "Former member".into()),
            owner_photo_url: r
                .owner_id
                .and_then(|id| crate::people::photo_url(id, r.owner_photo.as_deref())),
            id: r.thread_id,
            title: r.title,
            excerpt: r.excerpt,
            url: r.link_url,
            helpful: r.helpful_count,
            outdated: r.outdated_count,
            last_reviewed_at: r.last_reviewed_at,
            owner_id: r.owner_id,
            space_slug: r.space_slug,
            space_name: r.space_name,
            created_at: r.created_at,
        }
    }
}

/// The side row of a resource thread started from a space's "new thread" form: a link.
pub(crate) async fn record_link_resource(
    tx: &mut Tx,
    thread_id: i64,
    owner_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let new = NewResource {
        thread_id,
        kind: ResourceKind::Link.as_str(),
        owner_id,
        tags: "",
        at: now,
    };
    store::insert_in(tx, &new).await?;
    Ok(())
}

/// The opening post of a question or resource changed: its embedding is computed again, and a
/// resource edited by its owner counts as reviewed (they looked at it again).
pub(crate) async fn opening_edited(
    tx: &mut Tx,
    thread_id: i64,
    kind: &str,
    editor: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let is_resource = kind == ThreadKind::Resource.as_str();
    if is_resource || kind == ThreadKind::Question.as_str() {
        enqueue_embedding(tx, thread_id, now).await?;
    }
    if is_resource {
        let owned = store::resource_in(tx, thread_id)
            .await?
            .is_some_and(|r| r.owner_id == Some(editor));
        if owned {
            store::mark_reviewed_in(tx, thread_id, now).await?;
        }
    }
    Ok(())
}

fn invalid_cursor() -> AppError {
    AppError::BadRequest("The page cursor is not valid.".into())
}

fn decode_cursor(raw: Option<&str>) -> AppResult<Option<LibraryCursor>> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let (value, id) = raw.split_once('.').ok_or_else(invalid_cursor)?;
    Ok(Some(LibraryCursor {
        value: value.parse().map_err(|_| invalid_cursor())?,
        id: id.parse().map_err(|_| invalid_cursor())?,
    }))
}

/// A filter word that must be one of a few plain words (or nothing).
fn plain(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_lowercase)
}

impl App {
    /// Adds a resource to a space's library: a thread of kind `resource` with its side row, in
    /// one transaction. A `file` resource gets its file as an attachment of the opening post.
    pub async fn add_resource(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &ResourceInput,
    ) -> AppResult<i64> {
        let space = self.space(viewer, slug).await?;
        if !space.is_member() {
            return Err(members_only());
        }
        let resource = parse_resource(ResourceDraft {
            title: &input.title,
            kind: &input.kind,
            url: &input.url,
            body: &input.body,
            tags: &input.tags,
            skills: &input.skills,
        })?;
        let screened = self
            .screen(
                viewer,
                Place::Thread,
                Some(space.id),
                &[("title", &resource.title), ("body", &resource.body)],
                input.send_for_review,
            )
            .await?;
        let (title, body) = (screened.text(0).to_owned(), screened.text(1).to_owned());
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let (thread_id, opening_post) = post_thread(
            &mut tx,
            space.id,
            viewer.id,
            ThreadKind::Resource,
            &title,
            &body,
            resource.url.as_deref(),
            now,
        )
        .await?;
        let tags = resource.tags.join(" ");
        let new = NewResource {
            thread_id,
            kind: resource.kind.as_str(),
            owner_id: viewer.id,
            tags: &tags,
            at: now,
        };
        store::insert_in(&mut tx, &new).await?;
        let mut skill_ids = Vec::new();
        for skill in &resource.skills {
            skill_ids.push(
                guildhall_store::profiles::skill_id(&mut tx, skill, &skill_key(skill), now).await?,
            );
        }
        store::set_skills_in(&mut tx, thread_id, &skill_ids).await?;
        if let Some(held) = screened.held {
            let held = held.disputed_if(input.not_rude);
            self.hold_post(&mut tx, opening_post, viewer.id, space.id, &body, &held)
                .await?;
        }
        enqueue_embedding(&mut tx, thread_id, now).await?;
        tx.commit().await?;
        Ok(thread_id)
    }

    /// The resources the viewer may read, filtered, a page at a time.
    pub async fn library(&self, viewer: &Viewer, query: &LibraryQuery) -> AppResult<LibraryPage> {
        let typed = [
            &query.kind,
            &query.tag,
            &query.skill,
            &query.sort,
            &query.cursor,
        ];
        if typed.iter().any(|v| {
            v.as_deref()
                .is_some_and(|v| v.contains('\0') || v.len() > 200)
        }) {
            return Err(AppError::BadRequest("A filter is not valid.".into()));
        }
        let space_id = match query.space.as_deref().filter(|s| !s.is_empty()) {
            Some(slug) => {
                let space = self.space(viewer, slug).await?;
                if !space.can_read() {
                    return Err(members_only());
                }
                Some(space.id)
            }
            None => None,
        };
        let kind = plain(query.kind.as_deref());
        if let Some(kind) = &kind {
            ResourceKind::parse(kind).ok_or_else(|| {
                AppError::BadRequest("Choose a link, a file, an article or a video.".into())
            })?;
        }
        let by_helpful = query.sort.as_deref() == Some("helpful");
        let filter = LibraryFilter {
            space_id,
            kind,
            tag: plain(query.tag.as_deref()),
            skill: query
                .skill
                .as_deref()
                .map(skill_key)
                .filter(|k| !k.is_empty()),
            reviewed_before: query
                .needs_review
                .then(|| clock::now() - Duration::days(REVIEW_AFTER_DAYS)),
            by_helpful,
        };
        let cursor = decode_cursor(query.cursor.as_deref())?;
        let rows = store::library(self.db(), viewer.id, &filter, cursor, LIBRARY_PAGE).await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == LIBRARY_PAGE)
            .then(|| {
                rows.last().map(|r| {
                    let value = if by_helpful {
                        r.helpful_count
                    } else {
                        r.created_at.timestamp_micros()
                    };
                    format!("{value}.{}", r.thread_id)
                })
            })
            .flatten();
        Ok(LibraryPage {
            resources: rows.into_iter().map(Into::into).collect(),
            next,
        })
    }

    /// A resource the viewer may read, with its side row.
    pub(crate) async fn readable_resource(
        &self,
        viewer: &Viewer,
        thread_id: i64,
    ) -> AppResult<(guildhall_store::threads::ThreadRow, ResourceRow)> {
        let (thread, _space) = self.readable_thread(viewer, thread_id).await?;
        let resource = store::resource(self.db(), thread_id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((thread, resource))
    }

    /// One resource: what it is, its ratings and freshness, and what the viewer may do.
    pub async fn resource(&self, viewer: &Viewer, thread_id: i64) -> AppResult<ResourceView> {
        let (thread, row) = self.readable_resource(viewer, thread_id).await?;
        let skills = store::skills(self.db(), thread_id).await?;
        let my_rating = store::rating_of(self.db(), thread_id, viewer.id)
            .await?
            .and_then(|r| Rating::parse(&r));
        let opening = guildhall_store::threads::posts(self.db(), thread_id, 0, 1).await?;
        let body_html = opening
            .into_iter()
            .next()
            .filter(|p| p.deleted_at.is_none())
            .map(|p| p.body_html)
            .unwrap_or_default();
        let my_collections = self.editable_collections(viewer).await?;
        let item = LibraryItem {
            kind: ResourceKind::parse(&row.kind).unwrap_or(ResourceKind::Link),
            freshness: state_of(&row, clock::now()),
            tags: tags_of(&row.tags),
            owner_name: if row.owner_id == thread.author_id {
                thread
                    .author_name
                    .clone()
                    .unwrap_or_else(|| "Former member".into())
            } else {
                "Former member".into()
            },
            owner_photo_url: None,
            id: thread.id,
            title: thread.title.clone(),
            excerpt: thread.excerpt.clone(),
            url: thread.link_url.clone(),
            helpful: row.helpful_count,
            outdated: row.outdated_count,
            last_reviewed_at: row.last_reviewed_at,
            owner_id: row.owner_id,
            space_slug: thread.space_slug.clone(),
            space_name: thread.space_name.clone(),
            created_at: thread.created_at,
        };
        Ok(ResourceView {
            item,
            body_html,
            skills,
            reply_count: (thread.post_count - 1).max(0),
            my_rating,
            is_owner: row.owner_id == Some(viewer.id),
            my_collections,
        })
    }
}
