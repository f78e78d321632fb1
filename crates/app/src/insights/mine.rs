//! `/me/insights`: every signal and measure kept about the member, who may see each, every
//! view of them, and the member's choice to pause what is not essential. Nothing about a member
//! is shown to anyone that this page does not list.

use crate::people::Viewer;
use crate::{App, AppResult, clock};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use guildhall_domain::insights::{Helper, SignalKind, may_see, week_of, week_start};
use guildhall_store::insights::{self as store, activity};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct MySignal {
    pub id: i64,
    pub kind: SignalKind,
    pub label: &'static str,
    pub reason: String,
    pub since: NaiveDate,
    pub raised_at: DateTime<Utc>,
    pub link: String,
    pub status: String,
    pub essential: bool,
    /// Who may see it now: "Ana Lima (partner)".
    pub visible_to: Vec<String>,
}

impl MySignal {
    pub fn status_label(&self) -> &'static str {
        super::status_label(&self.status)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    pub signal_id: i64,
    pub viewer_name: Option<String>,
    pub relation: String,
    pub at: DateTime<Utc>,
}

/// Something counted about the member, and what it is used for.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub name: &'static str,
    pub value: String,
    pub used_for: &'static str,
}

/// One week of the member's own activity.
#[derive(Debug, Clone, Serialize)]
pub struct MyWeek {
    pub week_start: NaiveDate,
    pub posts: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MyInsights {
    /// The member's own dashboard: posts each week over twelve weeks (only they see it).
    pub activity: Vec<MyWeek>,
    /// Weeks in a row, up to this one, in which they wrote.
    pub streak: usize,
    /// Their open goals with accountability partners: what, by when.
    pub goals: Vec<(String, NaiveDate)>,
    pub signals: Vec<MySignal>,
    pub views: Vec<SignalView>,
    pub measures: Vec<Measure>,
    /// The member paused their non-essential signals.
    pub paused: bool,
    /// The organisation's strict mode: only the member sees their signals.
    pub strict: bool,
}

impl App {
    pub async fn my_insights(&self, viewer: &Viewer) -> AppResult<MyInsights> {
        let strict = self.settings().insights.strict;
        let paused = store::paused(self.db(), viewer.id).await?;
        let helpers = store::helpers_of(self.db(), viewer.id).await?;
        let signals = store::help_signals_of(self.db(), viewer.id)
            .await?
            .into_iter()
            .filter_map(|row| {
                let kind = SignalKind::parse(&row.kind)?;
                let visible_to = helpers
                    .iter()
                    .filter_map(|h| Some((h, Helper::parse(&h.relation)?)))
                    .filter(|(h, relation)| {
                        *relation != Helper::Facilitator || h.space_id == row.space_id
                    })
                    .filter(|(_, relation)| may_see(*relation, kind, paused, strict))
                    .map(|(h, relation)| format!("{} ({})", h.display_name, relation.as_str()))
                    .collect();
                Some(MySignal {
                    id: row.id,
                    kind,
                    label: kind.label(),
                    reason: row.reason,
                    since: row.period,
                    raised_at: row.created_at,
                    link: row.link,
                    status: row.status,
                    essential: kind.is_essential(),
                    visible_to,
                })
            })
            .collect();
        let views = store::views_of_member(self.db(), viewer.id, 200)
            .await?
            .into_iter()
            .map(|v| SignalView {
                signal_id: v.signal_id,
                viewer_name: v.viewer_name,
                relation: v.relation,
                at: v.created_at,
            })
            .collect();
        let since = clock::now() - Duration::weeks(6);
        let posts = store::posts_since(self.db(), viewer.id, since).await?;
        let this_week = week_of(clock::now());
        let first = this_week - 11;
        let since_first = week_start(first)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(since, |d| d.and_utc());
        let counted = activity::weekly_posts_of(self.db(), viewer.id, since_first).await?;
        let activity: Vec<MyWeek> = (first..=this_week)
            .map(|week| MyWeek {
                week_start: week_start(week).unwrap_or_default(),
                posts: counted
                    .iter()
                    .find(|(w, _)| *w == week)
                    .map_or(0, |(_, n)| *n),
            })
            .collect();
        // This week may still be empty without breaking the run of the weeks before.
        let streak = activity
            .iter()
            .rev()
            .skip_while(|w| {
                w.week_start == week_start(this_week).unwrap_or_default() && w.posts == 0
            })
            .take_while(|w| w.posts > 0)
            .count();
        let goals = activity::open_goals_of(self.db(), viewer.id).await?;
        let measures = vec![Measure {
            name: "Posts in the last six weeks",
            value: posts.to_string(),
            used_for: "Noticing when someone who wrote regularly has gone quiet for two weeks. \
                       Never shown to anyone as a number.",
        }];
        Ok(MyInsights {
            activity,
            streak,
            goals,
            signals,
            views,
            measures,
            paused,
            strict,
        })
    }

    /// Pauses (or resumes) the member's non-essential signals: none are raised while paused,
    /// and helpers no longer see the ones kept.
    pub async fn set_insights_paused(&self, viewer: &Viewer, paused: bool) -> AppResult<()> {
        store::set_paused(self.db(), viewer.id, paused, clock::now()).await?;
        Ok(())
    }
}
