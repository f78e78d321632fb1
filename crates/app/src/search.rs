//! Search across spaces, threads, posts and people — only what the searcher may see.

use crate::people::Viewer;
use crate::{App, AppError, AppResult};
use chrono::{DateTime, NaiveDate, Utc};
use guildhall_domain::search::{fts5_query, highlight, snippet, terms, tsquery};
use guildhall_domain::threads::ThreadKind;
use guildhall_store::search::{self as store, SearchFilter, SearchQuery};
use serde::Serialize;

pub const MAX_RESULTS: i64 = 30;

/// What a person asks for: words and optional filters, as typed.
#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    pub q: String,
    pub space: String,
    pub kind: String,
    pub author_id: Option<i64>,
    /// `YYYY-MM-DD`: only what was written on or after that day.
    pub since: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    /// thread, resource (a library resource's thread), post, space or person.
    pub kind: String,
    pub title: String,
    /// Escaped HTML with the matching words in `<mark>`.
    pub snippet_html: String,
    /// Where the result lives, when it has a page.
    pub url: Option<String>,
    pub space_name: Option<String>,
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl App {
    pub async fn search(
        &self,
        viewer: &Viewer,
        input: &SearchInput,
    ) -> AppResult<Vec<SearchResult>> {
        let words = terms(&input.q);
        let (Some(fts5), Some(tsquery)) = (fts5_query(&words), tsquery(&words)) else {
            return Ok(Vec::new());
        };
        let space_id = match input.space.trim() {
            "" => None,
            slug => Some(self.space(viewer, slug).await?.id),
        };
        let thread_kind = match input.kind.trim() {
            "" => None,
            raw => Some(
                ThreadKind::parse(raw)
                    .ok_or_else(|| AppError::invalid("kind", "Choose a kind of thread."))?
                    .as_str()
                    .to_owned(),
            ),
        };
        let since = match input.since.trim() {
            "" => None,
            raw => Some(
                NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|d| d.and_utc())
                    .ok_or_else(|| AppError::invalid("since", "Use a date like 2026-11-28."))?,
            ),
        };
        let filter = SearchFilter {
            space_id,
            thread_kind,
            author_id: input.author_id,
            since,
        };
        let query = SearchQuery {
            fts5: &fts5,
            tsquery: &tsquery,
        };
        let hits = store::search(self.db(), viewer.id, &query, &filter, MAX_RESULTS).await?;
        Ok(hits
            .into_iter()
            .map(|hit| SearchResult {
                url: match hit.doc_kind.as_str() {
                    "thread" if is_resource(&hit) => Some(format!("/library/{}", hit.doc_id)),
                    "thread" => Some(format!("/t/{}", hit.doc_id)),
                    "post" => hit.thread_id.map(|t| format!("/t/{t}#post-{}", hit.doc_id)),
                    "space" => hit.space_slug.as_ref().map(|slug| format!("/s/{slug}")),
                    _ => None,
                },
                snippet_html: highlight(&snippet(&hit.body, &words, 30)),
                kind: if is_resource(&hit) {
                    "resource".to_owned()
                } else {
                    hit.doc_kind
                },
                title: hit.title,
                space_name: hit.space_name,
                author_name: hit.author_name,
                created_at: hit.created_at,
            })
            .collect())
    }
}

/// A library resource's own document (its thread) is shown as a resource, linked to its
/// library page; replies to it stay posts.
fn is_resource(hit: &store::SearchHit) -> bool {
    hit.doc_kind == "thread" && hit.thread_kind.as_deref() == Some("resource")
}
