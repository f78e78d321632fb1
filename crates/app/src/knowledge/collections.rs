//! Collections: learning paths through the library, with each member's progress ("3 of 7
//! done"). Items in spaces the viewer may not read are skipped and do not count.

use crate::people::Viewer;
use crate::spaces::members_only;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::knowledge::{
    Progress, ResourceKind, check_reorder, may_add, parse_collection, progress,
};
use guildhall_domain::people::Role;
use guildhall_domain::threads::render_markdown;
use guildhall_store::knowledge::collections::{
    self as store, CollectionRow, ItemRow, NewCollection,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize)]
pub struct CollectionSummary {
    pub id: i64,
    pub title: String,
    pub owner_name: String,
    pub space_name: Option<String>,
    pub done: usize,
    pub total: usize,
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CollectionItem {
    pub id: i64,
    pub title: String,
    pub kind: ResourceKind,
    pub url: Option<String>,
    pub space_name: String,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CollectionPage {
    pub id: i64,
    pub title: String,
    pub description_html: String,
    pub owner_id: Option<i64>,
    pub owner_name: String,
    pub space_name: Option<String>,
    pub created_at: DateTime<Utc>,
    pub items: Vec<CollectionItem>,
    pub done: usize,
    pub total: usize,
    pub label: String,
    /// The next step not done yet.
    pub next: Option<i64>,
    pub may_edit: bool,
}

fn progress_of(items: &[ItemRow]) -> Progress {
    let ids: Vec<i64> = items.iter().map(|i| i.thread_id).collect();
    let done: BTreeSet<i64> = items
        .iter()
        .filter(|i| i.done)
        .map(|i| i.thread_id)
        .collect();
    progress(&ids, &done)
}

impl App {
    /// A collection the viewer may see, with its space's name; "not found" otherwise.
    async fn visible_collection(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> AppResult<(CollectionRow, Option<crate::spaces::SpaceView>)> {
        let row = store::collection(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let space = match row.space_id {
            Some(space_id) => {
                let space = self.space_by_id(viewer, space_id).await?;
                if !space.can_read() {
                    return Err(AppError::NotFound);
                }
                Some(space)
            }
            None => None,
        };
        Ok((row, space))
    }

    fn may_edit(
        viewer: &Viewer,
        row: &CollectionRow,
        space: Option<&crate::spaces::SpaceView>,
    ) -> bool {
        row.owner_id == Some(viewer.id)
            || space.is_some_and(crate::spaces::SpaceView::is_facilitator)
            || viewer.has(Role::Admin)
    }

    /// A collection of the viewer's own (in a space they belong to, or organisation-wide).
    pub async fn create_collection(
        &self,
        viewer: &Viewer,
        space: Option<&str>,
        title: &str,
        description: &str,
    ) -> AppResult<i64> {
        let space_id = match space.filter(|s| !s.is_empty()) {
            Some(slug) => {
                let space = self.space(viewer, slug).await?;
                if !space.is_member() {
                    return Err(members_only());
                }
                Some(space.id)
            }
            None => None,
        };
        let fields = parse_collection(title, description)?;
        self.screen(
            viewer,
            crate::moderation::Place::Space,
            space_id,
            &[
                ("title", &fields.title),
                ("description", &fields.description),
            ],
            false,
        )
        .await?;
        let mut tx = self.db().begin().await?;
        let id = store::insert_in(
            &mut tx,
            &NewCollection {
                space_id,
                owner_id: viewer.id,
                title: &fields.title,
                description: &fields.description,
                at: clock::now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Collections the viewer may see, each with their progress along it.
    pub async fn collections(&self, viewer: &Viewer) -> AppResult<Vec<CollectionSummary>> {
        let rows = store::visible(self.db(), viewer.id, None).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut items: BTreeMap<i64, Vec<ItemRow>> = BTreeMap::new();
        for item in store::items_for(self.db(), viewer.id, &ids).await? {
            items.entry(item.collection_id).or_default().push(item);
        }
        let mut names: BTreeMap<i64, String> = BTreeMap::new();
        let mut summaries = Vec::with_capacity(rows.len());
        for row in rows {
            let space_name = match row.space_id {
                Some(space_id) => Some(match names.get(&space_id) {
                    Some(name) => name.clone(),
                    None => {
                        let name = self.space_by_id(viewer, space_id).await?.name;
                        names.insert(space_id, name.clone());
                        name
                    }
                }),
                None => None,
            };
            let progress = progress_of(items.get(&row.id).map_or(&[][..], Vec::as_slice));
            summaries.push(CollectionSummary {
                id: row.id,
                title: row.title,
                owner_name: row.owner_name.unwrap_or_else(|| "Former member".into()),
                space_name,
                done: progress.done,
                total: progress.total,
                label: progress.label(),
            });
        }
        Ok(summaries)
    }

    /// Collections the viewer may add resources to.
    pub(crate) async fn editable_collections(
        &self,
        viewer: &Viewer,
    ) -> AppResult<Vec<(i64, String)>> {
        let rows = store::visible(self.db(), viewer.id, None).await?;
        let mut editable = Vec::new();
        for row in rows {
            let space = match row.space_id {
                Some(space_id) => Some(self.space_by_id(viewer, space_id).await?),
                None => None,
            };
            if Self::may_edit(viewer, &row, space.as_ref()) {
                editable.push((row.id, row.title));
            }
        }
        Ok(editable)
    }

    pub async fn collection_page(&self, viewer: &Viewer, id: i64) -> AppResult<CollectionPage> {
        let (row, space) = self.visible_collection(viewer, id).await?;
        let items = store::items_for(self.db(), viewer.id, &[id]).await?;
        let progress = progress_of(&items);
        Ok(CollectionPage {
            may_edit: Self::may_edit(viewer, &row, space.as_ref()),
            id: row.id,
            description_html: render_markdown(&row.description),
            title: row.title,
            owner_id: row.owner_id,
            owner_name: row.owner_name.unwrap_or_else(|| "Former member".into()),
            space_name: space.map(|s| s.name),
            created_at: row.created_at,
            done: progress.done,
            total: progress.total,
            label: progress.label(),
            next: progress.next,
            items: items
                .into_iter()
                .map(|i| CollectionItem {
                    id: i.thread_id,
                    title: i.title,
                    kind: ResourceKind::parse(&i.kind).unwrap_or(ResourceKind::Link),
                    url: i.link_url,
                    space_name: i.space_name,
                    done: i.done,
                })
                .collect(),
        })
    }

    async fn editable_collection(&self, viewer: &Viewer, id: i64) -> AppResult<CollectionRow> {
        let (row, space) = self.visible_collection(viewer, id).await?;
        if !Self::may_edit(viewer, &row, space.as_ref()) {
            return Err(AppError::forbidden(
                "not_collection_editor",
                "Only the collection's owner or the space's facilitators change it.",
            ));
        }
        Ok(row)
    }

    /// Adds a resource the viewer may read to the end of a collection they may edit.
    pub async fn add_to_collection(
        &self,
        viewer: &Viewer,
        collection_id: i64,
        thread_id: i64,
    ) -> AppResult<()> {
        self.editable_collection(viewer, collection_id).await?;
        self.readable_resource(viewer, thread_id).await?;
        let mut tx = self.db().begin().await?;
        let items = store::item_ids_in(&mut tx, collection_id).await?;
        may_add(&items, thread_id).map_err(|m| AppError::invalid("resource", m))?;
        let position = i64::try_from(items.len()).unwrap_or(i64::MAX - 1) + 1;
        store::add_item_in(&mut tx, collection_id, thread_id, position, clock::now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts the collection's items in a new order (every item, each once).
    pub async fn reorder_collection(
        &self,
        viewer: &Viewer,
        collection_id: i64,
        order: &[i64],
    ) -> AppResult<()> {
        self.editable_collection(viewer, collection_id).await?;
        let mut tx = self.db().begin().await?;
        let items = store::item_ids_in(&mut tx, collection_id).await?;
        check_reorder(&items, order).map_err(|m| AppError::Conflict {
            code: "stale_order",
            message: m,
        })?;
        store::set_order_in(&mut tx, collection_id, order).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves one item a step up or down (the no-script way to reorder).
    pub async fn move_in_collection(
        &self,
        viewer: &Viewer,
        collection_id: i64,
        thread_id: i64,
        up: bool,
    ) -> AppResult<()> {
        self.editable_collection(viewer, collection_id).await?;
        let mut tx = self.db().begin().await?;
        let mut order = store::item_ids_in(&mut tx, collection_id).await?;
        let at = order
            .iter()
            .position(|&id| id == thread_id)
            .ok_or(AppError::NotFound)?;
        let other = if up { at.checked_sub(1) } else { Some(at + 1) };
        if let Some(other) = other.filter(|&o| o < order.len()) {
            order.swap(at, other);
            store::set_order_in(&mut tx, collection_id, &order).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Marks a step of a path done (or not) for the viewer. The step must be one they may read.
    pub async fn mark_done(
        &self,
        viewer: &Viewer,
        collection_id: i64,
        thread_id: i64,
        done: bool,
    ) -> AppResult<CollectionPage> {
        self.visible_collection(viewer, collection_id).await?;
        let readable = store::items_for(self.db(), viewer.id, &[collection_id]).await?;
        if !readable.iter().any(|i| i.thread_id == thread_id) {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db().begin().await?;
        store::set_done_in(
            &mut tx,
            viewer.id,
            collection_id,
            thread_id,
            done,
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        self.collection_page(viewer, collection_id).await
    }
}
