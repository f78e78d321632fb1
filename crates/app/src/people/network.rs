//! The people network: following colleagues (they are told), endorsing them for a skill with a
//! reason that passes the content check, and "who knows about X" — people ranked by evidence
//! by `domain`, each result explained. Evidence is gathered with narrow, indexed queries and
//! only from threads the viewer can read.

use super::Viewer;
use crate::moderation::Place;
use crate::notify::{NotificationKind, record_sentence};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::evidence::{RankCursor, page_of};
use guildhall_domain::people::network::{KnowerEvidence, may_endorse, parse_reason, rank_knowers};
use guildhall_domain::people::profile::skill_key;
use guildhall_domain::search::{fts5_query, terms, tsquery};
use guildhall_store::StoreError;
use guildhall_store::network::{self as store, NewEndorsement};
use guildhall_store::search::{SearchFilter, SearchQuery};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub const NETWORK_PAGE: i64 = 30;
/// Endorsements shown on a profile before "all endorsements".
const PROFILE_ENDORSEMENTS: i64 = 10;
/// How many people each kind of evidence may bring into "who knows": bounded however popular
/// the skill is.
const EVIDENCE_LIMIT: i64 = 500;
/// Threads (best matches of the skill's words, readable by the viewer) whose answers count.
const THREADS_LIMIT: i64 = 200;

#[derive(Debug, Clone, Serialize)]
pub struct PersonLink {
    pub id: i64,
    pub display_name: String,
    pub title: String,
    pub department: String,
    pub photo_url: Option<String>,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeoplePage {
    pub people: Vec<PersonLink>,
    /// Continue with `before=<this>` when there are more.
    pub next: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndorsementView {
    pub id: i64,
    pub endorser_id: i64,
    pub endorser_name: String,
    pub skill: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    /// The viewer gave it (and may withdraw it).
    pub mine: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndorsementPage {
    pub endorsements: Vec<EndorsementView>,
    pub next: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkillEndorsements {
    pub skill: String,
    pub endorsements: i64,
}

/// The network part of a profile.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkSummary {
    pub person_id: i64,
    pub followers: i64,
    pub following: i64,
    /// The viewer follows this person.
    pub followed_by_me: bool,
    pub mine: bool,
    /// What they can help with: skills on the profile or endorsed, most endorsed first.
    pub skills: Vec<SkillEndorsements>,
    /// The latest endorsements; more with `more_endorsements`.
    pub endorsements: Vec<EndorsementView>,
    pub more_endorsements: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Knower {
    pub id: i64,
    pub display_name: String,
    pub title: String,
    pub department: String,
    pub photo_url: Option<String>,
    /// Why they are listed, strongest evidence first.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KnowersPage {
    /// The skill as the vocabulary spells it (or as asked when nobody lists it).
    pub skill: String,
    pub people: Vec<Knower>,
    pub next: Option<String>,
}

fn endorsement_view(viewer: &Viewer, row: store::EndorsementRow) -> EndorsementView {
    EndorsementView {
        mine: row.endorser_id == viewer.id,
        id: row.id,
        endorser_id: row.endorser_id,
        endorser_name: row.endorser_name,
        skill: row.skill_name,
        reason: row.reason,
        created_at: row.created_at,
    }
}

fn person_links(rows: Vec<store::PersonLinkRow>) -> PeoplePage {
    let next = (i64::try_from(rows.len()).unwrap_or(0) == NETWORK_PAGE)
        .then(|| rows.last().map(|r| r.link_id))
        .flatten();
    PeoplePage {
        people: rows
            .into_iter()
            .map(|r| PersonLink {
                photo_url: super::profiles::photo_url(r.id, r.photo_sha256.as_deref()),
                id: r.id,
                display_name: r.display_name,
                title: r.title,
                department: r.department,
                since: r.since,
            })
            .collect(),
        next,
    }
}

/// A page cursor from a query string: empty for the first page.
pub(crate) fn before_cursor(raw: Option<i64>) -> AppResult<i64> {
    match raw {
        None => Ok(i64::MAX),
        Some(id) if id > 0 => Ok(id),
        Some(_) => Err(AppError::BadRequest("The page cursor is not valid.".into())),
    }
}

impl App {
    /// An active person other than nobody: follows and endorsements are for members only.
    pub(crate) async fn active_person(
        &self,
        id: i64,
    ) -> AppResult<guildhall_store::people::UserRow> {
        guildhall_store::people::user_by_id(self.db(), id)
            .await?
            .filter(|p| p.status == "active")
            .ok_or(AppError::NotFound)
    }

    /// Follows a colleague, who is told; following again changes nothing.
    pub async fn follow(&self, viewer: &Viewer, person_id: i64) -> AppResult<()> {
        if person_id == viewer.id {
            return Err(AppError::invalid("person", "You cannot follow yourself."));
        }
        self.active_person(person_id).await?;
        let mut tx = self.db().begin().await?;
        if store::follow(&mut tx, viewer.id, person_id, clock::now()).await? {
            record_sentence(
                &mut tx,
                person_id,
                NotificationKind::Follow,
                Some(viewer.id),
                &format!("{} started following you", viewer.display_name),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stops following; not following already is fine.
    pub async fn unfollow(&self, viewer: &Viewer, person_id: i64) -> AppResult<()> {
        self.active_person(person_id).await?;
        store::unfollow(self.db(), viewer.id, person_id).await?;
        Ok(())
    }

    /// Who follows the person (`followers`) or whom they follow, newest first.
    pub async fn follow_list(
        &self,
        _viewer: &Viewer,
        person_id: i64,
        followers: bool,
        before: Option<i64>,
    ) -> AppResult<PeoplePage> {
        self.active_person(person_id).await?;
        let direction = if followers {
            store::Direction::Followers
        } else {
            store::Direction::Following
        };
        let rows = store::follow_list(
            self.db(),
            person_id,
            direction,
            before_cursor(before)?,
            NETWORK_PAGE,
        )
        .await?;
        Ok(person_links(rows))
    }

    pub async fn network_summary(
        &self,
        viewer: &Viewer,
        person_id: i64,
    ) -> AppResult<NetworkSummary> {
        let (followers, following) = store::follow_counts(self.db(), person_id).await?;
        let followed_by_me = store::is_following(self.db(), viewer.id, person_id).await?;
        let skills = store::skills_with_endorsements(self.db(), person_id)
            .await?
            .into_iter()
            .map(|s| SkillEndorsements {
                skill: s.skill_name,
                endorsements: s.count,
            })
            .collect();
        let rows =
            store::endorsements_of(self.db(), person_id, i64::MAX, PROFILE_ENDORSEMENTS).await?;
        let more_endorsements = (i64::try_from(rows.len()).unwrap_or(0) == PROFILE_ENDORSEMENTS)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        Ok(NetworkSummary {
            person_id,
            followers,
            following,
            followed_by_me,
            mine: person_id == viewer.id,
            skills,
            endorsements: rows
                .into_iter()
                .map(|r| endorsement_view(viewer, r))
                .collect(),
            more_endorsements,
        })
    }

    pub async fn endorsements(
        &self,
        viewer: &Viewer,
        person_id: i64,
        before: Option<i64>,
    ) -> AppResult<EndorsementPage> {
        self.active_person(person_id).await?;
        let rows =
            store::endorsements_of(self.db(), person_id, before_cursor(before)?, NETWORK_PAGE)
                .await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == NETWORK_PAGE)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        Ok(EndorsementPage {
            endorsements: rows
                .into_iter()
                .map(|r| endorsement_view(viewer, r))
                .collect(),
            next,
        })
    }

    /// Endorses a colleague for a skill of the shared vocabulary, with a reason that passes the
    /// content check; the colleague is told. Once per skill and endorser, never oneself.
    pub async fn endorse(
        &self,
        viewer: &Viewer,
        person_id: i64,
        skill: &str,
        reason: &str,
    ) -> AppResult<i64> {
        may_endorse(viewer.id, person_id).map_err(|m| AppError::invalid("person", m))?;
        let person = self.active_person(person_id).await?;
        let reason = parse_reason(reason).map_err(|m| AppError::invalid("reason", m))?;
        let (skill_id, skill_name) = self.known_skill(skill).await?;
        self.screen(
            viewer,
            Place::Endorsement,
            None,
            &[("reason", &reason)],
            false,
        )
        .await?;
        let mut tx = self.db().begin().await?;
        let id = match store::insert_endorsement(
            &mut tx,
            &NewEndorsement {
                person_id,
                endorser_id: viewer.id,
                skill_id,
                reason: &reason,
                at: clock::now(),
            },
        )
        .await
        {
            Ok(id) => id,
            Err(StoreError::Conflict) => {
                return Err(AppError::Conflict {
                    code: "already_endorsed",
                    message: format!(
                        "You endorsed {} for {skill_name} already.",
                        person.display_name
                    ),
                });
            }
            Err(other) => return Err(other.into()),
        };
        record_sentence(
            &mut tx,
            person_id,
            NotificationKind::Endorsement,
            Some(viewer.id),
            &format!(
                "{} endorsed you for {skill_name}: “{reason}”",
                viewer.display_name
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Withdraws an endorsement the viewer gave.
    pub async fn withdraw_endorsement(&self, viewer: &Viewer, id: i64) -> AppResult<()> {
        let endorsement = store::endorsement(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if endorsement.endorser_id != viewer.id {
            return Err(AppError::forbidden(
                "not_your_endorsement",
                "Only the colleague who gave an endorsement can withdraw it.",
            ));
        }
        if !store::withdraw_endorsement(self.db(), id, viewer.id, clock::now()).await? {
            return Err(AppError::NotFound);
        }
        Ok(())
    }

    /// A skill of the vocabulary by name (any case): `(id, name)`.
    pub(crate) async fn known_skill(&self, raw: &str) -> AppResult<(i64, String)> {
        let name = guildhall_domain::fields::single_line(raw, 50)
            .map_err(|_| AppError::invalid("skill", "Name a skill in up to 50 characters."))?;
        guildhall_store::profiles::skill_by_key(self.db(), &skill_key(&name))
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "skill",
                    "Nobody lists this skill yet: choose one from the skills people use.",
                )
            })
    }

    /// Threads about a skill the viewer can read: the best full-text matches of its words.
    pub(crate) async fn threads_about(&self, viewer: &Viewer, skill: &str) -> AppResult<Vec<i64>> {
        let words = terms(skill);
        let (Some(fts5), Some(tsquery)) = (fts5_query(&words), tsquery(&words)) else {
            return Ok(Vec::new());
        };
        let hits = guildhall_store::search::search(
            self.db(),
            viewer.id,
            &SearchQuery {
                fts5: &fts5,
                tsquery: &tsquery,
            },
            &SearchFilter::default(),
            THREADS_LIMIT,
        )
        .await?;
        let mut threads: Vec<i64> = hits
            .into_iter()
            .filter_map(|hit| match hit.doc_kind.as_str() {
                "thread" => Some(hit.doc_id),
                "post" => hit.thread_id,
                _ => None,
            })
            .collect();
        threads.sort_unstable();
        threads.dedup();
        Ok(threads)
    }

    /// Accepted answers and "helpful" reactions per author in threads about the skill.
    pub(crate) async fn help_about(
        &self,
        viewer: &Viewer,
        skill: &str,
    ) -> AppResult<HashMap<i64, (i64, i64)>> {
        let threads = self.threads_about(viewer, skill).await?;
        let mut help: HashMap<i64, (i64, i64)> = HashMap::new();
        for (author, answers) in store::accepted_answers_in(self.db(), &threads).await? {
            help.entry(author).or_default().0 = answers;
        }
        for (author, helpful) in store::helpful_reactions_in(self.db(), &threads).await? {
            help.entry(author).or_default().1 = helpful;
        }
        Ok(help)
    }

    /// People ranked by evidence that they know `skill`, each with the reasons.
    pub async fn who_knows(
        &self,
        viewer: &Viewer,
        skill: &str,
        after: &str,
    ) -> AppResult<KnowersPage> {
        let asked =
            guildhall_domain::fields::query_text(skill, 50).map_err(AppError::BadRequest)?;
        let after = match guildhall_domain::fields::query_text(after, 80)
            .map_err(AppError::BadRequest)?
            .as_str()
        {
            "" => None,
            raw => Some(
                RankCursor::parse(raw)
                    .ok_or_else(|| AppError::BadRequest("The page cursor is not valid.".into()))?,
            ),
        };
        let empty = |skill: String| KnowersPage {
            skill,
            people: Vec::new(),
            next: None,
        };
        if asked.is_empty() {
            return Ok(empty(asked));
        }
        let Some((skill_id, name)) =
            guildhall_store::profiles::skill_by_key(self.db(), &skill_key(&asked)).await?
        else {
            return Ok(empty(asked));
        };
        let mut evidence: BTreeMap<i64, KnowerEvidence> = BTreeMap::new();
        fn entry(evidence: &mut BTreeMap<i64, KnowerEvidence>, id: i64) -> &mut KnowerEvidence {
            evidence.entry(id).or_insert_with(|| KnowerEvidence {
                person_id: id,
                ..KnowerEvidence::default()
            })
        }
        for id in store::people_listing(self.db(), skill_id, EVIDENCE_LIMIT).await? {
            entry(&mut evidence, id).lists_skill = true;
        }
        for (id, count) in store::endorsement_counts(self.db(), skill_id, EVIDENCE_LIMIT).await? {
            entry(&mut evidence, id).help.endorsements = count;
        }
        let coaches = guildhall_store::coaching::coaches_of_skill(self.db(), skill_id).await?;
        for id in &coaches {
            entry(&mut evidence, *id).coaches_skill = true;
        }
        for rating in guildhall_store::coaching::rating_summaries(self.db(), &coaches).await? {
            let help = &mut entry(&mut evidence, rating.coach_id).help;
            help.ratings = rating.ratings;
            help.rating_total = rating.rating_total;
            help.helped = rating.helped;
        }
        for (id, (answers, helpful)) in self.help_about(viewer, &name).await? {
            let help = &mut entry(&mut evidence, id).help;
            help.accepted_answers = answers;
            help.helpful_reactions = helpful;
        }
        let evidence: Vec<KnowerEvidence> = evidence.into_values().collect();
        let ranked = rank_knowers(&name, &evidence);
        // People who left are not shown (their evidence may remain in old threads).
        let ids: Vec<i64> = ranked.iter().map(|k| k.person_id).collect();
        let mut cards: HashMap<i64, guildhall_store::profiles::DirectoryRow> =
            HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            for row in store::people_by_ids(self.db(), chunk).await? {
                cards.insert(row.id, row);
            }
        }
        let ranked: Vec<_> = ranked
            .into_iter()
            .filter(|k| cards.contains_key(&k.person_id))
            .collect();
        let page_size = usize::try_from(NETWORK_PAGE).unwrap_or(30);
        let (page, next) = page_of(ranked, |k| k.position(), after, page_size);
        Ok(KnowersPage {
            people: page
                .into_iter()
                .filter_map(|k| {
                    let card = cards.remove(&k.person_id)?;
                    Some(Knower {
                        photo_url: super::profiles::photo_url(
                            card.id,
                            card.photo_sha256.as_deref(),
                        ),
                        id: card.id,
                        display_name: card.display_name,
                        title: card.title,
                        department: card.department,
                        reasons: k.reasons,
                    })
                })
                .collect(),
            next: next.map(|c| c.to_string()),
            skill: name,
        })
    }
}
