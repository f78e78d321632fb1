//! A member's rewards — points, the ledger behind them, kudos, badges — and the leaderboards:
//! per space and month, off unless the space's facilitators turn them on, and showing only the
//! people who chose to appear (recognition without ranking everyone).

use super::badges::may_award;
use super::{BadgeAward, Kudos};
use crate::people::{Viewer, before_cursor, photo_url};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::ideas::IdeaStatus;
use guildhall_domain::rewards::Earning;
use guildhall_store::rewards::badges as badge_store;
use guildhall_store::rewards::ledger as store;
use serde::Serialize;

const LEDGER_PAGE: i64 = 50;
const LEADERBOARD_SIZE: i64 = 20;

#[derive(Debug, Clone, Serialize)]
pub struct LedgerLine {
    pub id: i64,
    pub rule: String,
    /// How the line reads ("Your answer was accepted"; "Taken back: …" for a reversal).
    pub label: String,
    pub points: i64,
    /// Where it came from, when it is a page ("/posts/12").
    pub link: Option<String>,
    pub actor_name: Option<String>,
    pub space_name: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MyRewards {
    pub total: i64,
    pub ledger: Vec<LedgerLine>,
    pub next: Option<i64>,
    pub kudos: Vec<Kudos>,
    pub badges: Vec<BadgeAward>,
    pub on_leaderboards: bool,
}

/// What a profile shows of a person's recognition.
#[derive(Debug, Clone, Serialize)]
pub struct Recognition {
    pub kudos: Vec<Kudos>,
    pub badges: Vec<BadgeAward>,
    /// Hand-made badges the viewer may award this person (slug, emoji and name).
    pub awardable: Vec<(String, String)>,
    /// Adopted or implemented ideas they are credited for: (id, title, status).
    pub ideas: Vec<(i64, String, IdeaStatus)>,
}

/// A space's leaderboard for one month.
#[derive(Debug, Clone, Serialize)]
pub struct Leaderboard {
    pub space_name: String,
    pub month: String,
    /// The space's facilitators turned it on (off by default).
    pub on: bool,
    /// The viewer facilitates the space, so may turn it on or off.
    pub may_switch: bool,
    pub entries: Vec<LeaderboardEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeaderboardEntry {
    pub rank: usize,
    pub person_id: i64,
    pub name: String,
    pub photo: Option<String>,
    pub points: i64,
}

fn line(row: store::LedgerRow) -> LedgerLine {
    let earned = Earning::parse(&row.rule).map_or("Points", Earning::label);
    LedgerLine {
        label: if row.reversal {
            format!(
                "Taken back (the content was removed): {}",
                earned.to_lowercase()
            )
        } else {
            earned.to_owned()
        },
        link: (row.source_kind == "post").then(|| format!("/posts/{}", row.source_id)),
        id: row.id,
        rule: row.rule,
        points: row.points,
        actor_name: row.actor_name,
        space_name: row.space_name,
        at: row.created_at,
    }
}

/// "2026-12" from a month parameter, this month when empty.
fn month(raw: Option<&str>) -> AppResult<String> {
    match raw.filter(|m| !m.is_empty()) {
        None => Ok(clock::now().format("%Y-%m").to_string()),
        Some(m) => chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
            .map(|d| d.format("%Y-%m").to_string())
            .map_err(|_| AppError::invalid("month", "Give the month as YYYY-MM.")),
    }
}

impl App {
    pub async fn my_rewards(&self, viewer: &Viewer, before: Option<i64>) -> AppResult<MyRewards> {
        let rows =
            store::ledger_of(self.db(), viewer.id, before_cursor(before)?, LEDGER_PAGE).await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == LEDGER_PAGE)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        let (kudos, _) = self.kudos(Some(viewer.id), None).await?;
        Ok(MyRewards {
            total: store::total_of(self.db(), viewer.id).await?,
            ledger: rows.into_iter().map(line).collect(),
            next,
            kudos,
            badges: badge_store::awards_of(self.db(), viewer.id)
                .await?
                .into_iter()
                .map(BadgeAward::from)
                .collect(),
            on_leaderboards: store::on_leaderboards(self.db(), viewer.id).await?,
        })
    }

    /// A person's kudos and standing badges, for their profile, and the badges the viewer may
    /// award them.
    pub async fn recognition_of(&self, viewer: &Viewer, person_id: i64) -> AppResult<Recognition> {
        let (mut kudos, _) = self.kudos(Some(person_id), None).await?;
        kudos.truncate(5);
        let badges: Vec<BadgeAward> = badge_store::awards_of(self.db(), person_id)
            .await?
            .into_iter()
            .filter(|a| a.revoked_at.is_none())
            .map(BadgeAward::from)
            .collect();
        let awardable = if may_award(viewer) && viewer.id != person_id {
            self.badges()
                .await?
                .into_iter()
                .filter(|b| b.kind == "manual" && !badges.iter().any(|held| held.slug == b.slug))
                .map(|b| (b.slug, format!("{} {}", b.emoji, b.name)))
                .collect()
        } else {
            Vec::new()
        };
        let ideas = guildhall_store::ideas::board::credited_to(self.db(), person_id, viewer.id, 10)
            .await?
            .into_iter()
            .filter_map(|(id, title, status)| IdeaStatus::parse(&status).map(|s| (id, title, s)))
            .collect();
        Ok(Recognition {
            kudos,
            badges,
            awardable,
            ideas,
        })
    }

    /// The member's choice to appear on the leaderboards of spaces that have them.
    pub async fn set_leaderboard_choice(&self, viewer: &Viewer, on: bool) -> AppResult<()> {
        Ok(store::set_on_leaderboards(self.db(), viewer.id, on, clock::now()).await?)
    }

    /// A space's facilitators turn its leaderboard on or off.
    pub async fn set_space_leaderboard(
        &self,
        viewer: &Viewer,
        slug: &str,
        on: bool,
    ) -> AppResult<()> {
        let space = self.space(viewer, slug).await?;
        if !space.is_facilitator() {
            return Err(AppError::forbidden(
                "facilitators_only",
                "A space's facilitators decide whether it has a leaderboard.",
            ));
        }
        Ok(store::set_space_leaderboard(self.db(), space.id, on).await?)
    }

    /// A space's leaderboard for a month ("YYYY-MM", this month when `None`), for members of
    /// the space; empty and `on: false` unless its facilitators turned it on.
    pub async fn leaderboard(
        &self,
        viewer: &Viewer,
        slug: &str,
        month_param: Option<&str>,
    ) -> AppResult<Leaderboard> {
        let space = self.space(viewer, slug).await?;
        if !space.is_member() {
            return Err(AppError::forbidden(
                "members_only",
                "A space's leaderboard is for its members.",
            ));
        }
        let month = month(month_param)?;
        let on = store::space_leaderboard_on(self.db(), space.id).await?;
        let rows = if on {
            store::leaderboard(self.db(), space.id, &month, LEADERBOARD_SIZE).await?
        } else {
            Vec::new()
        };
        let entries = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| LeaderboardEntry {
                rank: i + 1,
                photo: photo_url(r.user_id, r.photo_sha256.as_deref()),
                person_id: r.user_id,
                name: r.display_name,
                points: r.points,
            })
            .collect();
        Ok(Leaderboard {
            space_name: space.name.clone(),
            may_switch: space.is_facilitator(),
            month,
            on,
            entries,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::month;

    #[test]
    fn months_are_checked() {
        assert_eq!(month(Some("2026-02")).unwrap(), "2026-02");
        assert!(month(Some("2026-13")).is_err());
        assert!(month(Some("12/2026")).is_err());
        assert_eq!(month(None).unwrap().len(), 7);
    }
}
