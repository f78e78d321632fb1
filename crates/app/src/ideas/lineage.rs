//! Build-ons and merges, and an idea's family: the ideas it comes from and those that come
//! from it, drawn as a tree, with the people who would be (or were) credited.

use super::Readable;
use super::decide::{Told, record_decision};
use crate::notify::{NotificationKind, record_linked};
use crate::people::Viewer;
use crate::rewards::{self, Merit, Source};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::ideas::tree::{self, Layout, MAX_NODES};
use guildhall_domain::ideas::{
    Contributor, IdeaStatus, Link, LinkKind, contributors, family, may_build_on, may_link,
    may_merge_into, may_move, parse_park_reason,
};
use guildhall_domain::rewards::Earning;
use guildhall_store::Tx;
use guildhall_store::ideas::board as board_store;
use guildhall_store::ideas::decisions::NewDecision;
use guildhall_store::ideas::lineage::{self as store, FamilyMember};
use guildhall_store::ideas::votes as votes_store;
use serde::Serialize;
use std::collections::HashMap;

/// One idea of a family as the viewer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct FamilyNode {
    pub id: i64,
    /// Its title, or "An idea you cannot see" for one in a space closed to the viewer.
    pub title: String,
    pub status: IdeaStatus,
    pub readable: bool,
}

/// A person credited when the idea is adopted and implemented, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Credited {
    pub person_id: i64,
    pub name: String,
    pub idea_id: i64,
    pub wording: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct FamilyView {
    pub nodes: Vec<FamilyNode>,
    /// (child, parent, kind) of each link.
    pub links: Vec<(i64, i64, LinkKind)>,
    /// Ideas this one builds on directly, and the one it was merged into.
    pub builds_on: Vec<FamilyNode>,
    pub merged_into: Option<FamilyNode>,
    /// Where the tree's boxes and lines go, when the family is small enough to draw legibly.
    #[serde(skip)]
    pub layout: Option<Layout>,
    pub credited: Vec<Credited>,
}

const HIDDEN_TITLE: &str = "An idea you cannot see";

fn links_of(rows: Vec<(i64, i64, String)>) -> Vec<Link> {
    rows.into_iter()
        .filter_map(|(child, parent, kind)| {
            LinkKind::parse(&kind).map(|kind| Link {
                child,
                parent,
                kind,
            })
        })
        .collect()
}

fn credited_people(links: &[Link], idea: i64, members: &[FamilyMember]) -> Vec<Contributor> {
    let authors: HashMap<i64, i64> = members
        .iter()
        .filter_map(|m| m.author_id.map(|author| (m.id, author)))
        .collect();
    contributors(links, idea, &authors, &HashMap::new())
}

/// Writes a link after checking the lineage rules against the family as it stands in the
/// transaction. A build-on earns the parent's author points, from the builder.
pub(super) async fn link_in(
    tx: &mut Tx,
    viewer: &Viewer,
    link: Link,
    parent: &Readable,
    now: DateTime<Utc>,
) -> AppResult<()> {
    // The form field that named the other idea.
    let field = match link.kind {
        LinkKind::BuildsOn => "builds_on",
        LinkKind::Merged => "kept",
    };
    match link.kind {
        LinkKind::BuildsOn => may_build_on(parent.status),
        LinkKind::Merged => may_merge_into(parent.status),
    }
    .map_err(|m| AppError::invalid(field, m))?;
    let mut links = links_of(store::family_links_in(tx, link.parent).await?);
    links.extend(links_of(store::family_links_in(tx, link.child).await?));
    may_link(&links, link).map_err(|m| AppError::invalid(field, m))?;
    store::insert_in(
        tx,
        link.child,
        link.parent,
        link.kind.as_str(),
        viewer.id,
        now,
    )
    .await?;
    let builds_on_someone_else = parent.row.author_id.filter(|author| *author != viewer.id);
    if let (LinkKind::BuildsOn, Some(author)) = (link.kind, builds_on_someone_else) {
        let merit = Merit::new(Earning::IdeaBuiltOn, author, Source::Idea(link.child))
            .by(viewer.id)
            .in_space(Some(parent.row.space_id));
        rewards::claim(tx, merit, now).await?;
        record_linked(
            tx,
            author,
            NotificationKind::Idea,
            Some(viewer.id),
            &format!(
                "{} built on your idea “{}”",
                viewer.display_name, parent.row.title
            ),
            &format!("/ideas/{}", link.child),
        )
        .await?;
    }
    Ok(())
}

impl App {
    /// The author says their idea builds on another one.
    pub async fn build_on(&self, viewer: &Viewer, child: i64, parent: i64) -> AppResult<()> {
        let idea = self.readable_idea(viewer, child).await?;
        if !idea.actor.author {
            return Err(AppError::forbidden(
                "author_only",
                "Only the idea's author can say what it builds on.",
            ));
        }
        let parent = self.readable_idea(viewer, parent).await?;
        let mut tx = self.db().begin().await?;
        link_in(
            &mut tx,
            viewer,
            Link::builds_on(child, parent.row.id),
            &parent,
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A facilitator merges a duplicate into the idea that stays: the duplicate's lineage and
    /// votes carry over, its author is credited with the kept idea, its page sends people on.
    pub async fn merge_idea(
        &self,
        viewer: &Viewer,
        duplicate: i64,
        kept: i64,
        note: &str,
    ) -> AppResult<()> {
        let idea = self.readable_idea(viewer, duplicate).await?;
        let target = self.readable_idea(viewer, kept).await?;
        may_move(idea.status, IdeaStatus::Merged, idea.actor)
            .map_err(|m| AppError::forbidden("not_decider", m))?;
        let note = if note.trim().is_empty() {
            format!("Merged into “{}”.", target.row.title)
        } else {
            parse_park_reason(note).map_err(|m| AppError::invalid("note", m))?
        };
        let watchers = self.idea_audience(viewer, &idea).await?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        // Both rows locked in one order, so two merges of the same pair cannot deadlock.
        let first = board_store::lock_in(&mut tx, duplicate.min(kept)).await?;
        let second = board_store::lock_in(&mut tx, duplicate.max(kept)).await?;
        let locked = if duplicate < kept { first } else { second };
        let current = locked
            .and_then(|(status, ..)| IdeaStatus::parse(&status))
            .ok_or(AppError::NotFound)?;
        may_move(current, IdeaStatus::Merged, idea.actor)
            .map_err(|m| AppError::forbidden("not_decider", m))?;
        link_in(&mut tx, viewer, Link::merged(duplicate, kept), &target, now).await?;
        let change = board_store::Move {
            id: duplicate,
            status: IdeaStatus::Merged.as_str(),
            parked_reason: None,
            at: now,
        };
        board_store::set_status_in(&mut tx, &change).await?;
        let decision = NewDecision {
            idea_id: duplicate,
            from_status: current.as_str(),
            to_status: IdeaStatus::Merged.as_str(),
            note: &note,
            actor_id: viewer.id,
            at: now,
        };
        votes_store::carry_over_in(&mut tx, duplicate, kept, target.row.author_id).await?;
        let sentence = format!(
            "“{}” was merged into “{}”",
            idea.row.title, target.row.title
        );
        let told = Told {
            people: &watchers,
            sentence: &sentence,
            link: &format!("/ideas/{kept}"),
        };
        record_decision(&mut tx, &decision, told).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The family of an idea the viewer may read, with its tree and the people credited.
    pub async fn idea_family(&self, viewer: &Viewer, id: i64) -> AppResult<FamilyView> {
        self.readable_idea(viewer, id).await?;
        self.family_of(viewer, id).await
    }

    /// The family of an idea already found readable.
    pub(super) async fn family_of(&self, viewer: &Viewer, id: i64) -> AppResult<FamilyView> {
        let links = links_of(store::family_links(self.db(), id).await?);
        let members = store::family_members(self.db(), id, viewer.id).await?;
        Ok(family_view(id, &links, &members))
    }
}

fn family_view(id: i64, links: &[Link], members: &[FamilyMember]) -> FamilyView {
    let kin = family(links, id);
    let in_family = kin.members();
    let node = |m: &FamilyMember| FamilyNode {
        id: m.id,
        title: if m.readable {
            m.title.clone()
        } else {
            HIDDEN_TITLE.to_owned()
        },
        status: IdeaStatus::parse(&m.status).unwrap_or(IdeaStatus::Proposal),
        readable: m.readable,
    };
    let by_id: HashMap<i64, &FamilyMember> = members.iter().map(|m| (m.id, m)).collect();
    let nodes: Vec<FamilyNode> = members
        .iter()
        .filter(|m| in_family.contains(&m.id))
        .map(node)
        .collect();
    let parents_of = |kind: LinkKind| {
        kin.links
            .iter()
            .filter(move |l| l.child == id && l.kind == kind)
            .filter_map(|l| by_id.get(&l.parent).map(|m| node(m)))
    };
    let builds_on = parents_of(LinkKind::BuildsOn).collect();
    let merged_into = parents_of(LinkKind::Merged).next();
    let layout = (nodes.len() > 1 && nodes.len() <= MAX_NODES).then(|| tree::layout(&kin));
    let credited = credited_people(&kin.links, id, members)
        .into_iter()
        .filter(|c| by_id.get(&c.idea).is_some_and(|m| m.readable))
        .map(|c| Credited {
            person_id: c.person,
            name: by_id
                .get(&c.idea)
                .and_then(|m| m.author_name.clone())
                .unwrap_or_else(|| "Former member".into()),
            idea_id: c.idea,
            wording: c.wording(),
        })
        .collect();
    FamilyView {
        nodes,
        links: kin
            .links
            .iter()
            .map(|l| (l.child, l.parent, l.kind))
            .collect(),
        builds_on,
        merged_into,
        layout,
        credited,
    }
}

/// The people an adopted or implemented idea credits, read through the transaction that
/// moves it.
pub(super) async fn credited_in(tx: &mut Tx, id: i64) -> AppResult<Vec<Contributor>> {
    let links = links_of(store::family_links_in(tx, id).await?);
    let members = store::family_members_in(tx, id).await?;
    Ok(credited_people(&links, id, &members))
}
