//! Forming pairs — a facilitator's click, the weekly round, or a pair chosen by hand — and
//! undoing them: ending a partnership, and a member's private request for a new partner.

use super::{PartnerScope, utc_offset_minutes};
use crate::moderation::Place;
use crate::notify::{NotificationKind, record_linked};
use crate::outbox::record_audit;
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Datelike, Utc};
use guildhall_domain::fields::single_line;
use guildhall_domain::partners::matching::{Candidate, Group, Obstacle, form_pairs, obstacle};
use guildhall_domain::partners::parse_focus;
use guildhall_store::StoreError;
use guildhall_store::partners::{self as store, NewPartnership};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// A reporting line deeper than this is a loop in the directory's data, not an organisation.
const MAX_LINE_DEPTH: usize = 32;

/// What a round of pairing did.
#[derive(Debug, Clone, Serialize)]
pub struct RoundOutcome {
    pub partnerships: usize,
    pub people_paired: usize,
    /// People still waiting, with why.
    pub unmatched: Vec<Waiting>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Waiting {
    pub user_id: i64,
    pub display_name: String,
    pub reason: String,
}

impl App {
    /// A facilitator forms pairs among everyone waiting in their scope.
    pub async fn form_partner_pairs(
        &self,
        viewer: &Viewer,
        space: Option<&str>,
    ) -> AppResult<RoundOutcome> {
        let scope = self.managed_scope(viewer, space).await?;
        let outcome = self
            .pairing_round(&scope, Some(viewer.id), clock::now())
            .await?;
        Ok(outcome)
    }

    /// Everyone waiting in `scope`, as matching sees them.
    async fn candidates(
        &self,
        scope: &PartnerScope,
        now: DateTime<Utc>,
    ) -> AppResult<(Vec<Candidate>, BTreeMap<i64, String>)> {
        let waiting = store::waiting(self.db(), scope.key()).await?;
        let mut skills: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (user_id, skill) in store::opted_in_skills(self.db(), scope.key()).await? {
            skills
                .entry(user_id)
                .or_default()
                .push(skill.to_lowercase());
        }
        let managers: BTreeMap<i64, i64> = store::reporting_lines(self.db())
            .await?
            .into_iter()
            .collect();
        let mut previous: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for (user_id, partner) in store::previous_partners(self.db(), scope.key()).await? {
            previous.entry(user_id).or_default().push(partner);
        }
        let names = waiting
            .iter()
            .map(|w| (w.user_id, w.display_name.clone()))
            .collect();
        let candidates = waiting
            .into_iter()
            .map(|w| Candidate {
                id: w.user_id,
                focus: parse_focus(&w.focus)
                    .unwrap_or_default()
                    .iter()
                    .map(|topic| topic.to_lowercase())
                    .collect(),
                skills: skills.remove(&w.user_id).unwrap_or_default(),
                utc_offset_minutes: utc_offset_minutes(&w.time_zone, now),
                work_start: i32::try_from(w.work_start).unwrap_or(9 * 60),
                work_end: i32::try_from(w.work_end).unwrap_or(17 * 60),
                managers: reporting_line(&managers, w.user_id),
                previous_partners: previous.remove(&w.user_id).unwrap_or_default(),
                ask_again: w.ask_again_user_id.into_iter().collect(),
            })
            .collect();
        Ok((candidates, names))
    }

    /// Pairs everyone waiting in `scope` (one transaction), tells each person who their
    /// partner is and why, and records the round.
    pub(crate) async fn pairing_round(
        &self,
        scope: &PartnerScope,
        formed_by: Option<i64>,
        now: DateTime<Utc>,
    ) -> AppResult<RoundOutcome> {
        let (candidates, names) = self.candidates(scope, now).await?;
        let pairing = form_pairs(&candidates);
        let weekday = i64::from(now.weekday().num_days_from_monday());
        let mut tx = self.db().begin().await?;
        let mut people_paired = 0;
        for group in &pairing.groups {
            let id = insert_group(&mut tx, scope, group, weekday, formed_by, now).await?;
            tell_members(&mut tx, id, &group.members, &names, &group.reasons).await?;
            people_paired += group.members.len();
        }
        store::mark_round(&mut tx, scope.space_id, now).await?;
        if let Some(by) = formed_by {
            record_audit(
                &mut tx,
                Some(by),
                "partners.round",
                &format!("scope:{}", scope.key()),
                json!({ "pairs": pairing.groups.len(), "waiting": pairing.unmatched.len() }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(RoundOutcome {
            partnerships: pairing.groups.len(),
            people_paired,
            unmatched: pairing
                .unmatched
                .into_iter()
                .map(|u| Waiting {
                    display_name: names.get(&u.id).cloned().unwrap_or_default(),
                    user_id: u.id,
                    reason: u.reason,
                })
                .collect(),
        })
    }

    /// A facilitator pairs two or three waiting people by hand; the pairing rules still hold.
    pub async fn pair_by_hand(
        &self,
        viewer: &Viewer,
        space: Option<&str>,
        members: &[i64],
    ) -> AppResult<i64> {
        let scope = self.managed_scope(viewer, space).await?;
        let chosen: BTreeSet<i64> = members.iter().copied().collect();
        if !(2..=3).contains(&chosen.len()) {
            return Err(AppError::invalid("members", "Choose two or three people."));
        }
        let now = clock::now();
        let (candidates, names) = self.candidates(&scope, now).await?;
        let picked: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| chosen.contains(&c.id))
            .collect();
        if picked.len() != chosen.len() {
            return Err(AppError::invalid(
                "members",
                "Everyone chosen must have opted in here and be waiting for a partner.",
            ));
        }
        for (x, a) in picked.iter().enumerate() {
            for b in &picked[x + 1..] {
                if let Some(problem) = obstacle(a, b) {
                    let message = match problem {
                        Obstacle::SameReportingLine => format!(
                            "{} and {} are in the same reporting line.",
                            names.get(&a.id).map_or("", String::as_str),
                            names.get(&b.id).map_or("", String::as_str)
                        ),
                        Obstacle::PreviousPartners => format!(
                            "{} and {} were partners before; both must ask to be paired again.",
                            names.get(&a.id).map_or("", String::as_str),
                            names.get(&b.id).map_or("", String::as_str)
                        ),
                    };
                    return Err(AppError::invalid("members", message));
                }
            }
        }
        let owned: Vec<Candidate> = picked.into_iter().cloned().collect();
        let mut group = form_pairs(&owned)
            .groups
            .into_iter()
            .next()
            .filter(|g| g.members.len() == chosen.len())
            .ok_or_else(|| AppError::invalid("members", "These people cannot be paired."))?;
        group.reasons.retain(|r| !r.starts_with("a trio"));
        group.reasons.push("paired by your facilitator".to_owned());
        let weekday = i64::from(now.weekday().num_days_from_monday());
        let mut tx = self.db().begin().await?;
        let id = insert_group(&mut tx, &scope, &group, weekday, Some(viewer.id), now).await?;
        tell_members(&mut tx, id, &group.members, &names, &group.reasons).await?;
        record_audit(
            &mut tx,
            Some(viewer.id),
            "partners.paired_by_hand",
            &format!("partnership:{id}"),
            json!({ "members": group.members }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A facilitator ends a partnership; its members wait for the next round. The reason stays
    /// with the facilitators (it may answer a private request).
    pub async fn end_partnership(
        &self,
        viewer: &Viewer,
        partnership_id: i64,
        reason: &str,
    ) -> AppResult<()> {
        let row = store::partnership(self.db(), partnership_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let scope = self.scope_of(row.space_id).await?;
        self.managed_scope(viewer, scope.slug.as_deref()).await?;
        let reason = single_line(reason, 500).map_err(|m| AppError::invalid("reason", m))?;
        let members = store::members(self.db(), partnership_id).await?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        if !store::end_partnership(&mut tx, partnership_id, &reason, now).await? {
            return Err(AppError::Conflict {
                code: "already_ended",
                message: "This partnership has ended already.".into(),
            });
        }
        store::close_change_requests(&mut tx, partnership_id, Some(viewer.id), now).await?;
        for member in &members {
            record_linked(
                &mut tx,
                member.user_id,
                NotificationKind::Partners,
                None,
                "Your facilitator ended your partnership. You will get a new partner in the next round.",
                "/partners",
            )
            .await?;
        }
        record_audit(
            &mut tx,
            Some(viewer.id),
            "partners.ended",
            &format!("partnership:{partnership_id}"),
            json!({ "reason": reason }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A member asks the facilitators, privately, for a new partner. The partner is not told.
    pub async fn ask_for_new_partner(
        &self,
        viewer: &Viewer,
        partnership_id: i64,
        reason: &str,
    ) -> AppResult<()> {
        let row = self.own_partnership(viewer, partnership_id).await?;
        if row.status != "active" {
            return Err(AppError::Conflict {
                code: "already_ended",
                message: "This partnership has ended already.".into(),
            });
        }
        let reason = single_line(reason, 500).map_err(|m| AppError::invalid("reason", m))?;
        if store::has_open_change_request(self.db(), partnership_id, viewer.id).await? {
            return Err(AppError::Conflict {
                code: "already_asked",
                message: "You asked already; your facilitator will answer.".into(),
            });
        }
        self.screen(
            viewer,
            Place::Partners,
            row.space_id,
            &[("reason", &reason)],
            false,
        )
        .await?;
        let scope = self.scope_of(row.space_id).await?;
        let facilitators = match row.space_id {
            Some(space_id) => store::facilitators(self.db(), space_id).await?,
            None => Vec::new(),
        };
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::insert_change_request(
            &mut tx,
            partnership_id,
            viewer.id,
            row.scope_key,
            &reason,
            now,
        )
        .await?;
        let sentence = format!(
            "{} asked for a new accountability partner in {}.",
            viewer.display_name, scope.name
        );
        for facilitator in facilitators.into_iter().filter(|&f| f != viewer.id) {
            record_linked(
                &mut tx,
                facilitator,
                NotificationKind::Partners,
                Some(viewer.id),
                &sentence,
                &scope.manage_path(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether pairs form by themselves every week in this scope.
    pub async fn set_weekly_pairing(
        &self,
        viewer: &Viewer,
        space: Option<&str>,
        weekly: bool,
    ) -> AppResult<()> {
        let scope = self.managed_scope(viewer, space).await?;
        let mut tx = self.db().begin().await?;
        store::set_weekly(&mut tx, scope.space_id, weekly).await?;
        record_audit(
            &mut tx,
            Some(viewer.id),
            "partners.weekly",
            &format!("scope:{}", scope.key()),
            json!({ "weekly": weekly }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The managers above `user_id`, nearest first (stopping at a loop in the directory's data).
fn reporting_line(managers: &BTreeMap<i64, i64>, user_id: i64) -> Vec<i64> {
    let mut line = Vec::new();
    let mut current = user_id;
    while let Some(&manager) = managers.get(&current) {
        if manager == user_id || line.contains(&manager) || line.len() >= MAX_LINE_DEPTH {
            break;
        }
        line.push(manager);
        current = manager;
    }
    line
}

async fn insert_group(
    tx: &mut guildhall_store::Tx,
    scope: &PartnerScope,
    group: &Group,
    weekday: i64,
    formed_by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let reasons = serde_json::to_string(&group.reasons)
        .map_err(|e| AppError::Internal(format!("reasons: {e}")))?;
    store::insert_partnership(
        tx,
        &NewPartnership {
            space_id: scope.space_id,
            members: &group.members,
            check_in_weekday: weekday,
            reasons: &reasons,
            formed_by,
            now,
        },
    )
    .await
    .map_err(|error| match error {
        // Someone was paired by another round in the meantime.
        StoreError::Conflict => AppError::Conflict {
            code: "already_paired",
            message: "Someone here was paired meanwhile. Please try again.".into(),
        },
        other => other.into(),
    })
}

/// "You have a partner: Grace Hopper. Matched because: …" to every member.
async fn tell_members(
    tx: &mut guildhall_store::Tx,
    partnership_id: i64,
    members: &[i64],
    names: &BTreeMap<i64, String>,
    reasons: &[String],
) -> AppResult<()> {
    let link = format!("/partners/{partnership_id}");
    for &member in members {
        let others: Vec<&str> = members
            .iter()
            .filter(|&&m| m != member)
            .filter_map(|m| names.get(m).map(String::as_str))
            .collect();
        let sentence = format!(
            "You have an accountability partner: {}. Matched because: {}.",
            others.join(" and "),
            reasons.join("; ")
        );
        record_linked(
            tx,
            member,
            NotificationKind::Partners,
            None,
            &sentence,
            &link,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::reporting_line;
    use std::collections::BTreeMap;

    #[test]
    fn reporting_lines_stop_at_loops() {
        let managers: BTreeMap<i64, i64> = [(3, 2), (2, 1), (5, 6), (6, 5)].into();
        assert_eq!(reporting_line(&managers, 3), vec![2, 1]);
        assert_eq!(reporting_line(&managers, 1), Vec::<i64>::new());
        assert_eq!(reporting_line(&managers, 5), vec![6]);
    }
}
