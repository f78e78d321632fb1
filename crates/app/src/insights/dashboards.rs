//! "Listen more, talk less" and the community shown to itself: weekly activity, who does the
//! talking, how questions get answered, and care signals opened and resolved — for the whole
//! community (administrators and facilitators) or one space (its facilitators). Counts only:
//! nobody is ranked and no person's figures appear. Computed from narrow queries over the last
//! twelve weeks and kept for a minute, so a busy dashboard costs one computation a minute.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use guildhall_domain::insights::{Voice, gini, median, top_decile_share, week_of, week_start};
use guildhall_domain::people::Role;
use guildhall_store::insights::activity as store;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const WEEKS: i64 = 12;
/// A space's dashboard is computed when asked (its queries follow the space's threads) and kept
/// a minute; the community's reads every post of twelve weeks, so `App::maintain` computes it
/// every ten minutes and pages always find it ready.
const KEEP_SPACE: std::time::Duration = std::time::Duration::from_secs(60);
const KEEP_COMMUNITY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// One week of a dashboard.
#[derive(Debug, Clone, Default, Serialize)]
pub struct WeekRow {
    pub week_start: NaiveDate,
    /// People who wrote at least once.
    pub active_members: i64,
    pub posts: i64,
    pub questions: i64,
    /// Questions answered by someone other than the asker.
    pub answered: i64,
    /// Questions whose first answer came from a peer (not a facilitator).
    pub peer_answered: i64,
    /// Median hours from a question to its first answer (questions asked this week).
    pub median_hours_to_answer: Option<f64>,
    /// Learners' share of the words written (0–1).
    pub learner_share: Option<f64>,
    pub signals_opened: i64,
    pub signals_resolved: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    /// "the community" or the space's name.
    pub scope: String,
    pub weeks: Vec<WeekRow>,
    /// Distinct people who wrote in the twelve weeks.
    pub voices: usize,
    /// Share of posts written by the most active tenth of them.
    pub top_tenth_share: Option<f64>,
    pub gini: Option<f64>,
    /// Facilitators' share of the words over the twelve weeks.
    pub facilitator_share: Option<f64>,
    /// Facilitators' share of the posts over the twelve weeks.
    pub facilitator_post_share: Option<f64>,
    /// Share of answered questions whose first answer came from a peer.
    pub peer_answer_share: Option<f64>,
    /// Members of the space who never wrote there (spaces only).
    pub never_wrote: Option<i64>,
    /// For a space whose facilitators wrote more than `insights.facilitator_share` of the
    /// words: a gentle suggestion to listen more.
    pub talk_nudge: Option<String>,
    pub generated_at: DateTime<Utc>,
}

/// A space's id, or `None` for the whole community.
type Scope = Option<i64>;

/// Dashboards computed in the last minute, by scope.
#[derive(Default)]
pub(crate) struct DashboardCache {
    entries: Mutex<HashMap<Scope, (Instant, Arc<Dashboard>)>>,
}

impl DashboardCache {
    fn get(&self, scope: Option<i64>) -> Option<Arc<Dashboard>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(&scope)
            .filter(|(at, _)| {
                at.elapsed()
                    < match scope {
                        Some(_) => KEEP_SPACE,
                        None => KEEP_COMMUNITY,
                    }
            })
            .map(|(_, d)| d.clone())
    }

    fn put(&self, scope: Option<i64>, dashboard: Arc<Dashboard>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.insert(scope, (Instant::now(), dashboard));
    }
}

#[allow(clippy::cast_precision_loss)] // counts and hours far below 2^52
fn share(part: i64, total: i64) -> Option<f64> {
    (total > 0).then(|| part as f64 / total as f64)
}

impl App {
    /// The community's dashboard: administrators and facilitators.
    pub async fn community_dashboard(&self, viewer: &Viewer) -> AppResult<Arc<Dashboard>> {
        if !(viewer.has(Role::Admin) || viewer.has(Role::Facilitator)) {
            return Err(AppError::forbidden(
                "role_required",
                "The community dashboard is for administrators and facilitators.",
            ));
        }
        self.dashboard(None, "the community").await
    }

    /// A space's dashboard: its facilitators and administrators.
    pub async fn space_dashboard(&self, viewer: &Viewer, slug: &str) -> AppResult<Arc<Dashboard>> {
        let space = self.space(viewer, slug).await?;
        if !(space.is_facilitator() || viewer.has(Role::Admin)) {
            return Err(AppError::forbidden(
                "facilitators_only",
                "A space's dashboard is for its facilitators.",
            ));
        }
        self.dashboard(Some(space.id), &space.name).await
    }

    async fn dashboard(&self, space: Option<i64>, scope: &str) -> AppResult<Arc<Dashboard>> {
        match self.inner.dashboards.get(space) {
            Some(cached) => Ok(cached),
            None => self.compute_dashboard(space, scope).await,
        }
    }

    /// Computes the community's dashboard ahead of its readers (from `App::maintain`).
    pub(crate) async fn refresh_community_dashboard(&self) -> AppResult<()> {
        self.compute_dashboard(None, "the community")
            .await
            .map(|_| ())
    }

    async fn compute_dashboard(
        &self,
        space: Option<i64>,
        scope: &str,
    ) -> AppResult<Arc<Dashboard>> {
        let now = clock::now();
        let this_week = week_of(now);
        let first_week = this_week - (WEEKS - 1);
        let since = week_start(first_week)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(now - Duration::weeks(WEEKS), |d| d.and_utc());
        let mut weeks: BTreeMap<i64, WeekRow> = (first_week..=this_week)
            .map(|w| {
                let row = WeekRow {
                    week_start: week_start(w).unwrap_or_default(),
                    ..WeekRow::default()
                };
                (w, row)
            })
            .collect();
        let mut voice = Voice::default();
        for w in store::weekly_posts(self.db(), space, since).await? {
            voice = voice + w.voice();
            if let Some(row) = weeks.get_mut(&w.week) {
                row.posts = w.posts;
                row.active_members = w.authors;
                row.learner_share = w.voice().learner_share();
            }
        }
        let mut hours: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
        let (mut answered, mut peer_first) = (0, 0);
        for q in store::questions(self.db(), space, since).await? {
            let Some(row) = weeks.get_mut(&q.week) else {
                continue;
            };
            row.questions += 1;
            if let Some(first) = q.first_answer_at {
                row.answered += 1;
                answered += 1;
                #[allow(clippy::cast_precision_loss)]
                let waited = (first - q.asked_at).num_minutes() as f64 / 60.0;
                hours.entry(q.week).or_default().push(waited);
                if q.first_peer_answer_at == Some(first) {
                    row.peer_answered += 1;
                    peer_first += 1;
                }
            }
        }
        for (week, waits) in hours {
            if let Some(row) = weeks.get_mut(&week) {
                row.median_hours_to_answer = median(&waits);
            }
        }
        for (opened, status, updated) in store::signals_since(self.db(), space, since).await? {
            if let Some(row) = weeks.get_mut(&week_of(opened)) {
                row.signals_opened += 1;
            }
            if let Some(resolved) = updated.filter(|_| status == "resolved")
                && let Some(row) = weeks.get_mut(&week_of(resolved))
            {
                row.signals_resolved += 1;
            }
        }
        let per_author: Vec<u64> = store::posts_per_author(self.db(), space, since)
            .await?
            .into_iter()
            .map(|n| u64::try_from(n).unwrap_or(0))
            .collect();
        let never_wrote = match space {
            Some(id) => Some(store::never_wrote(self.db(), id).await?.0),
            None => None,
        };
        let facilitator_share = voice.facilitator_share();
        let threshold = self.settings().insights.facilitator_share;
        let talk_nudge = facilitator_share
            .filter(|s| space.is_some() && *s > threshold)
            .map(|s| {
                format!(
                    "Facilitators wrote {:.0} % of the words here in the last twelve weeks. \
                     Listen more, talk less: ask an open question (“What was hardest to apply \
                     this week?”), or invite someone who has not written yet.",
                    s * 100.0
                )
            });
        let dashboard = Arc::new(Dashboard {
            scope: scope.to_owned(),
            weeks: weeks.into_values().collect(),
            voices: per_author.len(),
            top_tenth_share: top_decile_share(&per_author),
            gini: gini(&per_author),
            facilitator_share,
            facilitator_post_share: voice.facilitator_post_share(),
            peer_answer_share: share(peer_first, answered),
            never_wrote,
            talk_nudge,
            generated_at: now,
        });
        self.inner.dashboards.put(space, dashboard.clone());
        Ok(dashboard)
    }
}
