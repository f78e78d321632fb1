//! Moving an idea along its road with a note, naming its owner, and crediting everyone behind
//! it when it is adopted and when it becomes work.

use super::Readable;
use super::lineage::credited_in;
use crate::moderation::Place;
use crate::notify::{NotificationKind, record_linked};
use crate::people::Viewer;
use crate::rewards::{self, Merit, Source};
use crate::spaces::is_active_member;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::ideas::{IdeaStatus, credits_on, may_move, parse_park_reason};
use guildhall_domain::spaces::parse_long_text;
use guildhall_store::Tx;
use guildhall_store::ideas::board::{self as store, Move};
use guildhall_store::ideas::decisions::{self as decisions_store, NewDecision};
use guildhall_store::ideas::votes as votes_store;
use guildhall_store::threads as threads_store;

/// A decision note: a paragraph at most.
const MAX_NOTE_CHARS: usize = 2_000;

impl App {
    /// Moves an idea to `to` with a note (a parked idea's note is its reason, and required).
    /// Adopting and implementing credit the author and everyone whose ideas led to it, once per
    /// idea and moment: an idea parked and adopted again credits nobody twice.
    pub async fn move_idea(
        &self,
        viewer: &Viewer,
        id: i64,
        to: &str,
        note: &str,
    ) -> AppResult<IdeaStatus> {
        let idea = self.readable_idea(viewer, id).await?;
        let to = IdeaStatus::parse(to)
            .filter(|s| *s != IdeaStatus::Merged)
            .ok_or_else(|| AppError::invalid("status", "Choose where the idea goes next."))?;
        may_move(idea.status, to, idea.actor).map_err(|m| AppError::forbidden("idea_move", m))?;
        let note = if to == IdeaStatus::Parked {
            parse_park_reason(note)
        } else {
            parse_long_text(note, MAX_NOTE_CHARS, false)
        }
        .map_err(|m| AppError::invalid("note", m))?;
        if !note.is_empty() {
            let place = Place::Edit { thread_id: id };
            let fields = [("note", note.as_str())];
            self.screen(viewer, place, Some(idea.row.space_id), &fields, false)
                .await?;
        }
        let audience = self.idea_audience(viewer, &idea).await?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let from = store::lock_in(&mut tx, id)
            .await?
            .and_then(|(status, ..)| IdeaStatus::parse(&status))
            .ok_or(AppError::NotFound)?;
        // Someone else may have moved it since the page was read: decide on where it is now.
        may_move(from, to, idea.actor).map_err(|m| AppError::forbidden("idea_move", m))?;
        let parked_reason = (to == IdeaStatus::Parked).then_some(note.as_str());
        let change = Move {
            id,
            status: to.as_str(),
            parked_reason,
            at: now,
        };
        // Credit flows the first time an idea reaches a moment; the ledger's key would refuse a
        // second line anyway, but nobody should be told twice either.
        let credit = match credits_on(to) {
            Some(credit) if !decisions_store::reached_in(&mut tx, id, to.as_str()).await? => {
                Some(credit)
            }
            _ => None,
        };
        store::set_status_in(&mut tx, &change).await?;
        let decision = NewDecision {
            idea_id: id,
            from_status: from.as_str(),
            to_status: to.as_str(),
            note: &note,
            actor_id: viewer.id,
            at: now,
        };
        if let Some(credit) = credit {
            credit_lineage(&mut tx, viewer, &idea, credit.earning(), now).await?;
        }
        let sentence = format!("“{}” is now {}", idea.row.title, to.label().to_lowercase());
        let told = Told {
            people: &audience,
            sentence: &sentence,
            link: &format!("/ideas/{id}"),
        };
        record_decision(&mut tx, &decision, told).await?;
        tx.commit().await?;
        Ok(to)
    }

    /// A facilitator names who carries the idea forward: a member of its space.
    pub async fn set_idea_owner(
        &self,
        viewer: &Viewer,
        id: i64,
        owner: Option<i64>,
    ) -> AppResult<()> {
        let idea = self.readable_idea(viewer, id).await?;
        if !idea.actor.decider {
            return Err(AppError::forbidden(
                "not_decider",
                "Only a facilitator of the space or an administrator names an idea's owner.",
            ));
        }
        if let Some(person) = owner
            && !is_active_member(self, idea.row.space_id, person).await?
        {
            return Err(AppError::invalid(
                "owner",
                "The owner must be a member of the idea's space.",
            ));
        }
        let mut tx = self.db().begin().await?;
        store::set_owner_in(&mut tx, id, owner).await?;
        if let Some(person) = owner.filter(|p| *p != viewer.id) {
            let sentence = format!("You now own the idea “{}”", idea.row.title);
            let link = format!("/ideas/{id}");
            record_linked(
                &mut tx,
                person,
                NotificationKind::Idea,
                Some(viewer.id),
                &sentence,
                &link,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Who hears where an idea goes: its author, its owner, its voters and everyone watching
    /// its thread who may still read it; never the person who moved it.
    pub(super) async fn idea_audience(
        &self,
        viewer: &Viewer,
        idea: &Readable,
    ) -> AppResult<Vec<i64>> {
        let mut people: Vec<i64> = idea.row.author_id.into_iter().collect();
        people.extend(idea.row.owner_id);
        people.extend(votes_store::voters(self.db(), idea.row.id).await?);
        people.extend(threads_store::readable_watchers(self.db(), idea.row.id).await?);
        people.sort_unstable();
        people.dedup();
        people.retain(|p| *p != viewer.id);
        Ok(people)
    }
}

/// Who hears of a decision, in what words, with a link to what.
pub(super) struct Told<'a> {
    pub people: &'a [i64],
    pub sentence: &'a str,
    pub link: &'a str,
}

/// Records a decision with its note and tells the idea's audience.
pub(super) async fn record_decision(
    tx: &mut Tx,
    decision: &NewDecision<'_>,
    told: Told<'_>,
) -> AppResult<()> {
    decisions_store::insert_in(tx, decision).await?;
    for &person in told.people {
        let kind = NotificationKind::Idea;
        let actor = Some(decision.actor_id);
        record_linked(tx, person, kind, actor, told.sentence, told.link).await?;
    }
    Ok(())
}

/// Points (and through them the "Idea adopted" badge) for everyone behind the idea. The
/// ledger keys a line by person, rule and idea, so a second adoption adds nothing; the person
/// deciding earns nothing from their own decision.
async fn credit_lineage(
    tx: &mut Tx,
    viewer: &Viewer,
    idea: &Readable,
    earning: guildhall_domain::rewards::Earning,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for contributor in credited_in(tx, idea.row.id).await? {
        if contributor.person == viewer.id {
            continue;
        }
        let merit = Merit::new(earning, contributor.person, Source::Idea(idea.row.id))
            .in_space(Some(idea.row.space_id));
        rewards::claim(tx, merit, now).await?;
        let sentence = match earning {
            guildhall_domain::rewards::Earning::IdeaImplemented => {
                format!("“{}” became work: you are credited", idea.row.title)
            }
            _ => format!("“{}” was adopted: you are credited", idea.row.title),
        };
        let link = format!("/ideas/{}", idea.row.id);
        record_linked(
            tx,
            contributor.person,
            NotificationKind::Recognition,
            Some(viewer.id),
            &sentence,
            &link,
        )
        .await?;
    }
    Ok(())
}
