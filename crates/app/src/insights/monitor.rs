//! The monitoring feed: one list, live, of what facilitators and moderators keep an eye on
//! across the spaces they look after — new questions, questions waiting a day, content waiting
//! for review (moderators), new members, and how many people they help may need a hand (never
//! who or why: that is the care queue, where looking is logged).

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::insights::{Helper, SignalKind, may_see};
use guildhall_domain::people::Role;
use guildhall_store::insights::{self as signals, monitor as store};
use serde::{Deserialize, Serialize};

const DAYS: i64 = 7;
const LIMIT: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchKind {
    Question,
    Unanswered,
    Review,
    Member,
    Care,
}

impl WatchKind {
    pub const ALL: [WatchKind; 5] = [
        WatchKind::Question,
        WatchKind::Unanswered,
        WatchKind::Review,
        WatchKind::Member,
        WatchKind::Care,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WatchKind::Question => "question",
            WatchKind::Unanswered => "unanswered",
            WatchKind::Review => "review",
            WatchKind::Member => "member",
            WatchKind::Care => "care",
        }
    }

    pub fn parse(text: &str) -> Option<WatchKind> {
        WatchKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The filter's name on the page.
    pub fn label(self) -> &'static str {
        match self {
            WatchKind::Question => "New questions",
            WatchKind::Unanswered => "Unanswered for a day",
            WatchKind::Review => "Waiting for review",
            WatchKind::Member => "New members",
            WatchKind::Care => "Care",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WatchItem {
    pub kind: WatchKind,
    pub space_name: Option<String>,
    /// One sentence.
    pub text: String,
    pub link: String,
    pub at: DateTime<Utc>,
    /// The platform the content came from, when not written here.
    pub via: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Monitor {
    pub items: Vec<WatchItem>,
    pub filter: Option<WatchKind>,
    /// Moderators see every space and what waits for review.
    pub moderator: bool,
}

impl Monitor {
    /// Whether the feed is filtered to `kind` (for marking the current filter).
    pub fn shows_only(&self, kind: &WatchKind) -> bool {
        self.filter == Some(*kind)
    }
}

/// Which live events a viewer's feed follows, decided once when the stream opens.
#[derive(Debug, Clone)]
pub struct MonitorScope {
    viewer: i64,
    moderator: bool,
    spaces: Vec<i64>,
}

impl MonitorScope {
    pub fn covers(&self, kind: WatchKind, space_id: Option<i64>, for_user: Option<i64>) -> bool {
        match for_user {
            Some(user) => user == self.viewer,
            None => {
                let in_scope = self.moderator || space_id.is_some_and(|s| self.spaces.contains(&s));
                in_scope && (kind != WatchKind::Review || self.moderator)
            }
        }
    }
}

fn review_source(source: &str) -> &'static str {
    match source {
        "held" => "held by the rules",
        "nudged" => "sent for review by its author",
        "disputed" => "its author says the check was wrong",
        "reported" => "reported by members",
        _ => "waiting",
    }
}

impl App {
    /// Facilitators (their spaces) and moderators (every space).
    pub async fn monitor_scope(&self, viewer: &Viewer) -> AppResult<MonitorScope> {
        let moderator = viewer.has(Role::Moderator);
        let spaces = store::facilitated_spaces(self.db(), viewer.id).await?;
        if !moderator && spaces.is_empty() {
            return Err(AppError::forbidden(
                "facilitators_only",
                "The monitoring feed is for facilitators and moderators.",
            ));
        }
        Ok(MonitorScope {
            viewer: viewer.id,
            moderator,
            spaces,
        })
    }

    /// The last week, newest first; `filter` keeps one kind ("" for all).
    pub async fn monitor(&self, viewer: &Viewer, filter: &str) -> AppResult<Monitor> {
        let filter = match filter {
            "" => None,
            raw => Some(WatchKind::parse(raw).ok_or_else(|| {
                AppError::BadRequest(
                    "Filter by question, unanswered, review, member or care.".into(),
                )
            })?),
        };
        let scope = self.monitor_scope(viewer).await?;
        let now = clock::now();
        let rows = store::recent(
            self.db(),
            viewer.id,
            scope.moderator,
            now - Duration::days(DAYS),
            now - Duration::days(1),
            LIMIT,
        )
        .await?;
        let mut items: Vec<WatchItem> = Vec::new();
        let care = self.helpable_count(viewer).await?;
        if care > 0 {
            let people = if care == 1 { "person" } else { "people" };
            items.push(WatchItem {
                kind: WatchKind::Care,
                space_name: None,
                text: format!("{care} {people} you help may need a hand."),
                link: "/care".into(),
                at: now,
                via: None,
            });
        }
        for row in rows {
            let Some(kind) = WatchKind::parse(&row.kind) else {
                continue;
            };
            let space = &row.space_name;
            let (text, link) = match kind {
                WatchKind::Question => (
                    format!("New question in {space}: “{}”", row.label),
                    format!("/t/{}", row.target_id),
                ),
                WatchKind::Unanswered => (
                    format!("Unanswered for a day in {space}: “{}”", row.label),
                    format!("/t/{}", row.target_id),
                ),
                WatchKind::Review => (
                    format!(
                        "Waiting for review in {space}: {}",
                        review_source(&row.label)
                    ),
                    "/moderation".into(),
                ),
                WatchKind::Member | WatchKind::Care => (
                    format!("{} joined {space}", row.label),
                    format!("/people/{}", row.target_id),
                ),
            };
            items.push(WatchItem {
                kind,
                space_name: Some(row.space_name),
                text,
                link,
                at: row.at,
                via: guildhall_domain::nexus::Origin::via(&row.origin),
            });
        }
        items.retain(|i| filter.is_none_or(|f| f == i.kind));
        Ok(Monitor {
            items,
            filter,
            moderator: scope.moderator,
        })
    }

    /// How many open signals the viewer may help with (no view is logged: nothing is shown).
    async fn helpable_count(&self, viewer: &Viewer) -> AppResult<usize> {
        let strict = self.settings().insights.strict;
        if strict {
            return Ok(0);
        }
        let rows = signals::signals_for_helper(self.db(), viewer.id, i64::MAX, 200).await?;
        // People, not signals: one person with two open signals is one person to reach.
        let people: std::collections::BTreeSet<i64> = rows
            .into_iter()
            .filter(|(row, relation)| {
                let visible = Helper::parse(relation)
                    .zip(SignalKind::parse(&row.kind))
                    .is_some_and(|(relation, kind)| may_see(relation, kind, row.paused, strict));
                visible && matches!(row.status.as_str(), "open" | "claimed" | "reached_out")
            })
            .map(|(row, _)| row.user_id)
            .collect();
        Ok(people.len())
    }
}
