//! Finding a coach: search by name and skill, and the ranked list for what a learner needs —
//! the ranking itself is `domain::coaching::ranking`; this gathers its evidence.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono_tz::Tz;
use guildhall_domain::coaching::availability::{Window, overlap_minutes, parse_windows, week_of};
use guildhall_domain::coaching::month_of;
use guildhall_domain::coaching::ranking::{CoachEvidence, MatchRequest, rank_coaches};
use guildhall_domain::evidence::{HelpEvidence, RankCursor, page_of};
use guildhall_domain::fields::query_text;
use guildhall_domain::people::profile::skill_key;
use guildhall_store::coaching::{self as store, CoachRow};
use guildhall_store::network as evidence;
use serde::Serialize;
use std::collections::HashMap;

const PAGE: usize = 20;
/// The ranking looks at this many approved coaches at most.
const CANDIDATES: i64 = 300;

/// A coach in a list, with why they are there (the ranked list) or nothing (a search).
#[derive(Debug, Clone, Serialize)]
pub struct CoachCard {
    pub user_id: i64,
    pub display_name: String,
    pub title: String,
    pub department: String,
    pub photo_url: Option<String>,
    pub skills: Vec<String>,
    pub capacity: i64,
    pub sessions_left: i64,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoachList {
    pub coaches: Vec<CoachCard>,
    pub next: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CoachSearch {
    /// The start of a name.
    pub q: String,
    pub skill: String,
    pub after: String,
}

/// What a learner needs: a skill (optional), when they can meet (optional) and in which zone.
#[derive(Debug, Clone, Default)]
pub struct MatchInput {
    pub skill: String,
    /// Weekly windows, one a line: "Tue 09:00-11:00".
    pub times: String,
    /// Empty for the learner's profile time zone.
    pub time_zone: String,
    pub after: String,
}

fn clean(raw: &str, max: usize) -> AppResult<String> {
    query_text(raw, max).map_err(AppError::BadRequest)
}

impl App {
    /// Approved coaches by name, filtered by name and skill.
    pub async fn search_coaches(
        &self,
        _viewer: &Viewer,
        search: &CoachSearch,
    ) -> AppResult<CoachList> {
        let name = clean(&search.q, 100)?.to_lowercase();
        let skill = skill_key(&clean(&search.skill, 50)?);
        let after = clean(&search.after, 300)?;
        let (after_name, after_id) = match after.rsplit_once('|') {
            Some((name, id)) => (
                name.to_owned(),
                id.parse()
                    .map_err(|_| AppError::BadRequest("The page cursor is not valid.".into()))?,
            ),
            None => (String::new(), 0),
        };
        let limit = i64::try_from(PAGE).unwrap_or(20);
        let rows =
            store::search_coaches(self.db(), &name, &skill, (&after_name, after_id), limit).await?;
        let next = (rows.len() == PAGE)
            .then(|| {
                rows.last()
                    .map(|r| format!("{}|{}", r.display_name, r.user_id))
            })
            .flatten();
        let ids: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
        let (from, to) = month_of(clock::now());
        let booked: HashMap<i64, i64> = store::booked_between(self.db(), &ids, from, to)
            .await?
            .into_iter()
            .collect();
        let mut skills = self.coach_skills(&ids).await?;
        Ok(CoachList {
            coaches: rows
                .into_iter()
                .map(|row| {
                    let booked = booked.get(&row.user_id).copied().unwrap_or(0);
                    let skills = skills.remove(&row.user_id).unwrap_or_default();
                    card(row, skills, booked, Vec::new())
                })
                .collect(),
            next,
        })
    }

    /// Skill names per coach.
    async fn coach_skills(&self, ids: &[i64]) -> AppResult<HashMap<i64, Vec<(String, String)>>> {
        let mut skills: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for (coach, name, key) in store::skills_of_coaches(self.db(), ids).await? {
            skills.entry(coach).or_default().push((name, key));
        }
        Ok(skills)
    }

    /// Approved coaches ranked for what the learner needs, each with the reasons. Coaches with
    /// no sessions left this month come after all who have room (see the domain's note).
    pub async fn match_coaches(&self, viewer: &Viewer, input: &MatchInput) -> AppResult<CoachList> {
        let asked = clean(&input.skill, 50)?;
        let skill = if asked.is_empty() {
            None
        } else {
            Some(self.known_skill(&asked).await?)
        };
        let times = parse_windows(&input.times).map_err(|m| AppError::invalid("times", m))?;
        let zone = match input.time_zone.trim() {
            "" => self.time_zone_of(viewer.id).await?,
            raw => raw.parse::<Tz>().map_err(|_| {
                AppError::invalid("time_zone", "Choose a time zone such as Europe/Berlin.")
            })?,
        };
        let after = match clean(&input.after, 80)?.as_str() {
            "" => None,
            raw => Some(
                RankCursor::parse(raw)
                    .ok_or_else(|| AppError::BadRequest("The page cursor is not valid.".into()))?,
            ),
        };
        let coaches: Vec<CoachRow> = store::approved_coaches(self.db(), CANDIDATES)
            .await?
            .into_iter()
            .filter(|c| c.user_id != viewer.id)
            .collect();
        let ids: Vec<i64> = coaches.iter().map(|c| c.user_id).collect();
        let help = self.coach_help(viewer, &ids, skill.as_ref()).await?;
        let mut skills = self.coach_skills(&ids).await?;
        let now = clock::now();
        let (from, to) = month_of(now);
        let booked: HashMap<i64, i64> = store::booked_between(self.db(), &ids, from, to)
            .await?
            .into_iter()
            .collect();
        let monday = week_of(now.date_naive());
        let candidates: Vec<CoachEvidence> = coaches
            .iter()
            .map(|coach| CoachEvidence {
                coach_id: coach.user_id,
                skill_keys: skills
                    .get(&coach.user_id)
                    .map(|s| s.iter().map(|(_, key)| key.clone()).collect())
                    .unwrap_or_default(),
                help: help.get(&coach.user_id).copied().unwrap_or_default(),
                overlap_minutes: overlap_minutes(
                    (
                        &coach_windows(coach),
                        coach.time_zone.parse().unwrap_or(Tz::UTC),
                    ),
                    (&times, zone),
                    monday,
                ),
                capacity: coach.capacity,
                booked_this_month: booked.get(&coach.user_id).copied().unwrap_or(0),
            })
            .collect();
        let request = MatchRequest {
            skill_name: skill
                .as_ref()
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
            skill_key: skill
                .as_ref()
                .map(|(_, name)| skill_key(name))
                .unwrap_or_default(),
            has_preferred_times: !times.is_empty(),
        };
        let (page, next) = page_of(
            rank_coaches(&request, &candidates),
            |c| c.position(),
            after,
            PAGE,
        );
        let mut rows: HashMap<i64, CoachRow> =
            coaches.into_iter().map(|c| (c.user_id, c)).collect();
        Ok(CoachList {
            coaches: page
                .into_iter()
                .filter_map(|ranked| {
                    let row = rows.remove(&ranked.coach_id)?;
                    let booked = booked.get(&row.user_id).copied().unwrap_or(0);
                    let skills = skills.remove(&row.user_id).unwrap_or_default();
                    Some(card(row, skills, booked, ranked.reasons))
                })
                .collect(),
            next: next.map(|c| c.to_string()),
        })
    }

    /// Evidence of help per coach: about the skill when there is one (answers and reactions in
    /// threads about it the viewer can read, endorsements for it), else everywhere (endorsements
    /// for the skills they coach); ratings of their sessions either way.
    async fn coach_help(
        &self,
        viewer: &Viewer,
        ids: &[i64],
        skill: Option<&(i64, String)>,
    ) -> AppResult<HashMap<i64, HelpEvidence>> {
        let mut help: HashMap<i64, HelpEvidence> = HashMap::new();
        match skill {
            Some((skill_id, name)) => {
                for (id, (answers, helpful)) in self.help_about(viewer, name).await? {
                    let entry = help.entry(id).or_default();
                    entry.accepted_answers = answers;
                    entry.helpful_reactions = helpful;
                }
                for (id, count) in evidence::endorsement_counts(self.db(), *skill_id, 1_000).await?
                {
                    help.entry(id).or_default().endorsements = count;
                }
            }
            None => {
                for (id, answers, helpful) in evidence::help_totals(self.db(), ids).await? {
                    let entry = help.entry(id).or_default();
                    entry.accepted_answers = answers;
                    entry.helpful_reactions = helpful;
                }
                for (id, count) in evidence::endorsements_for_coached_skills(self.db(), ids).await?
                {
                    help.entry(id).or_default().endorsements = count;
                }
            }
        }
        for rating in store::rating_summaries(self.db(), ids).await? {
            let entry = help.entry(rating.coach_id).or_default();
            entry.ratings = rating.ratings;
            entry.rating_total = rating.rating_total;
            entry.helped = rating.helped;
        }
        Ok(help)
    }
}

/// The stored windows are canonical; one that no longer reads is skipped, not an error.
fn coach_windows(coach: &CoachRow) -> Vec<Window> {
    coach
        .availability
        .lines()
        .filter_map(|line| Window::parse(line).ok())
        .collect()
}

fn card(
    row: CoachRow,
    skills: Vec<(String, String)>,
    booked: i64,
    reasons: Vec<String>,
) -> CoachCard {
    CoachCard {
        photo_url: crate::people::photo_url(row.user_id, row.photo_sha256.as_deref()),
        sessions_left: (row.capacity - booked).max(0),
        skills: skills.into_iter().map(|(name, _)| name).collect(),
        user_id: row.user_id,
        display_name: row.display_name,
        title: row.title,
        department: row.department,
        capacity: row.capacity,
        reasons,
    }
}
