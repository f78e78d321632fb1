//! The boards (one per space and one for the whole organisation), an idea's page, the
//! "ideas that became work" gallery and "similar ideas" while writing.

use super::lineage::FamilyView;
use crate::people::{Viewer, photo_url};
use crate::{App, AppError, AppResult};
use chrono::{DateTime, Utc};
use guildhall_domain::ideas::{IdeaStatus, moves, parse_tags, similar, votes_open};
use guildhall_domain::threads::render_markdown;
use guildhall_store::ideas::board::{self as store, BoardCursor, BoardFilter, BoardOrder, IdeaRow};
use guildhall_store::ideas::decisions as decisions_store;
use serde::Serialize;

pub const BOARD_PAGE: i64 = 30;
/// Recent ideas compared with a draft: enough to find a duplicate, few enough to rank at once.
const SIMILAR_POOL: i64 = 500;
const SIMILAR_SHOWN: usize = 5;

/// An idea on a board.
#[derive(Debug, Clone, Serialize)]
pub struct IdeaCard {
    pub id: i64,
    pub space_slug: String,
    pub space_name: String,
    pub title: String,
    pub excerpt: String,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub author_photo: Option<String>,
    pub status: IdeaStatus,
    pub votes: i64,
    pub replies: i64,
    pub tags: Vec<String>,
    pub voted: bool,
    pub created_at: DateTime<Utc>,
    pub implemented_at: Option<DateTime<Utc>>,
}

impl From<&IdeaRow> for IdeaCard {
    fn from(row: &IdeaRow) -> Self {
        IdeaCard {
            id: row.id,
            space_slug: row.space_slug.clone(),
            space_name: row.space_name.clone(),
            title: row.title.clone(),
            excerpt: row.excerpt.clone(),
            author_id: row.author_id,
            author_name: row
                .author_name
                .clone()
                .unwrap_or_else(|| "Former member".into()),
            author_photo: row
                .author_id
                .and_then(|id| photo_url(id, row.author_photo.as_deref())),
            status: IdeaStatus::parse(&row.status).unwrap_or(IdeaStatus::Proposal),
            votes: row.votes,
            replies: (row.post_count - 1).max(0),
            tags: row.tags.split_whitespace().map(str::to_owned).collect(),
            voted: row.voted,
            created_at: row.created_at,
            implemented_at: row.implemented_at,
        }
    }
}

/// What a board shows, as asked for (query parameters).
#[derive(Debug, Clone, Default)]
pub struct BoardQuery {
    /// One space's board; the organisation's otherwise.
    pub space: Option<String>,
    pub status: Option<String>,
    pub tag: Option<String>,
    /// "votes" for the most wanted first; newest otherwise.
    pub order: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub ideas: Vec<IdeaCard>,
    pub next: Option<String>,
    /// The space of a space's board: (slug, name).
    pub space: Option<(String, String)>,
    pub status: Option<IdeaStatus>,
    pub tag: Option<String>,
    pub by_votes: bool,
}

/// One move on an idea's road, with its note.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub from: IdeaStatus,
    pub to: IdeaStatus,
    pub note: String,
    pub actor_name: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IdeaPage {
    pub idea: IdeaCard,
    pub problem_html: String,
    pub proposal_html: String,
    pub benefit_html: String,
    pub parked_reason: Option<String>,
    pub owner: Option<(i64, String)>,
    pub decisions: Vec<Decision>,
    pub family: FamilyView,
    /// The viewer may vote (or take their vote back) now.
    pub can_vote: bool,
    pub is_author: bool,
    pub is_decider: bool,
    /// Where the viewer may move it, in road order.
    pub moves: Vec<IdeaStatus>,
    /// Waiting for a moderator: only its author and moderators see it.
    pub awaiting_review: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimilarIdea {
    pub id: i64,
    pub title: String,
    pub score: f64,
}

fn parse_cursor(raw: Option<&str>) -> AppResult<BoardCursor> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(BoardCursor::start());
    };
    let invalid = || AppError::BadRequest("The page cursor is not valid.".into());
    let (votes, id) = raw.split_once('.').ok_or_else(invalid)?;
    Ok(BoardCursor {
        votes: votes.parse().map_err(|_| invalid())?,
        id: id.parse().map_err(|_| invalid())?,
    })
}

impl App {
    pub async fn idea_board(&self, viewer: &Viewer, query: &BoardQuery) -> AppResult<Board> {
        let space = match query.space.as_deref() {
            Some(slug) => Some(self.space(viewer, slug).await?),
            None => None,
        };
        if space.as_ref().is_some_and(|s| !s.can_read()) {
            return Err(crate::spaces::members_only());
        }
        let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
            Some(raw) => Some(
                IdeaStatus::parse(raw)
                    .ok_or_else(|| AppError::invalid("status", "Choose a status from the list."))?,
            ),
            None => None,
        };
        let tag = match query
            .tag
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(raw) => {
                let tags = parse_tags(raw).map_err(|m| AppError::invalid("tag", m))?;
                if tags.len() != 1 {
                    return Err(AppError::invalid("tag", "Choose one tag."));
                }
                tags.into_iter().next()
            }
            None => None,
        };
        let by_votes = query.order.as_deref() == Some("votes");
        let filter = BoardFilter {
            space_id: space.as_ref().map(|s| s.id),
            status: status.map(IdeaStatus::as_str),
            tag: tag.as_deref(),
        };
        let order = if by_votes {
            BoardOrder::Votes
        } else {
            BoardOrder::Newest
        };
        let cursor = parse_cursor(query.cursor.as_deref())?;
        let rows = store::board(self.db(), viewer.id, &filter, order, cursor, BOARD_PAGE).await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == BOARD_PAGE)
            .then(|| rows.last().map(|r| format!("{}.{}", r.votes, r.id)))
            .flatten();
        Ok(Board {
            ideas: rows.iter().map(IdeaCard::from).collect(),
            next,
            space: space.map(|s| (s.slug, s.name)),
            status,
            tag,
            by_votes,
        })
    }

    pub async fn idea_page(&self, viewer: &Viewer, id: i64) -> AppResult<IdeaPage> {
        let idea = self.readable_idea(viewer, id).await?;
        let family = self.family_of(viewer, id).await?;
        let decisions = decisions_store::of_idea(self.db(), id)
            .await?
            .into_iter()
            .map(|d| Decision {
                from: IdeaStatus::parse(&d.from_status).unwrap_or(IdeaStatus::Proposal),
                to: IdeaStatus::parse(&d.to_status).unwrap_or(IdeaStatus::Proposal),
                note: d.note,
                actor_name: d.actor_name.unwrap_or_else(|| "Former member".into()),
                at: d.created_at,
            })
            .collect();
        let row = &idea.row;
        let mut moves = moves(idea.status, idea.actor);
        moves.retain(|s| *s != IdeaStatus::Merged);
        Ok(IdeaPage {
            idea: IdeaCard::from(row),
            problem_html: render_markdown(&row.problem),
            proposal_html: render_markdown(&row.proposal),
            benefit_html: render_markdown(&row.benefit),
            parked_reason: row.parked_reason.clone(),
            owner: row.owner_id.zip(row.owner_name.clone()),
            decisions,
            family,
            can_vote: !idea.actor.author && (votes_open(idea.status) || row.voted),
            is_author: idea.actor.author,
            is_decider: idea.actor.decider,
            moves,
            awaiting_review: row.hidden,
        })
    }

    /// Ideas like a draft, among recent ones the viewer may read: shown while writing, so a
    /// duplicate becomes a vote or a build-on instead. Titles are compared with titles, and the
    /// whole draft with whole ideas; an idea scores the better of the two, as a long text
    /// dilutes a title that says the same thing.
    pub async fn similar_ideas(
        &self,
        viewer: &Viewer,
        title: &str,
        text: &str,
    ) -> AppResult<Vec<SimilarIdea>> {
        if title.trim().is_empty() && text.trim().is_empty() {
            return Ok(Vec::new());
        }
        let pool = store::recent_texts(self.db(), viewer.id, SIMILAR_POOL).await?;
        let whole: Vec<(i64, String)> = pool
            .iter()
            .map(|(id, title, text)| (*id, format!("{title} {text}")))
            .collect();
        let titles: Vec<(i64, &str)> = pool.iter().map(|(id, t, _)| (*id, t.as_str())).collect();
        let texts: Vec<(i64, &str)> = whole.iter().map(|(id, t)| (*id, t.as_str())).collect();
        let mut best: Vec<(i64, f64)> = similar::rank(title, &titles, SIMILAR_SHOWN);
        for (id, score) in similar::rank(&format!("{title} {text}"), &texts, SIMILAR_SHOWN) {
            match best.iter_mut().find(|(found, _)| *found == id) {
                Some(entry) => entry.1 = entry.1.max(score),
                None => best.push((id, score)),
            }
        }
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        best.truncate(SIMILAR_SHOWN);
        Ok(best
            .into_iter()
            .filter_map(|(id, score)| {
                let (_, title, _) = pool.iter().find(|(i, ..)| *i == id)?;
                Some(SimilarIdea {
                    id,
                    title: title.clone(),
                    score,
                })
            })
            .collect())
    }

    /// Ideas that became work, most recent first.
    pub async fn idea_gallery(
        &self,
        viewer: &Viewer,
        before: Option<DateTime<Utc>>,
    ) -> AppResult<Vec<IdeaCard>> {
        // The end of year 9999: later than any idea, and still a date SQLite compares as text.
        let before = before
            .or_else(|| DateTime::from_timestamp(253_402_300_799, 0))
            .unwrap_or_default();
        let rows = store::gallery(self.db(), viewer.id, before, BOARD_PAGE).await?;
        Ok(rows.iter().map(IdeaCard::from).collect())
    }
}
