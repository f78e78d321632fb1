//! Earning and losing points. The write that earns them (an accepted answer, a "helpful"
//! reaction…) records a claim in its own transaction; the outbox then decides it by the rules
//! in `domain::rewards` — own content, daily caps, the weekly cap per pair of people — adds the
//! line and the totals in one transaction, and awards the badges the new record earns.
//! Removing the content (moderation, deletion, a withdrawn reaction) takes the points back
//! with reversal lines.

use super::badges::award_automatic;
use crate::outbox::{Effect, EffectResult};
use crate::{App, AppResult, clock};
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use guildhall_domain::rewards::{Claim, Decision, Earning, Tally, decide, reversal};
use guildhall_store::rewards::ledger::{self as store, NewLine};
use guildhall_store::{Tx, outbox};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const EARN: &str = "rewards.earn";
const TAKE_BACK: &str = "rewards.take_back";

pub(crate) const EFFECTS: &[Effect] = &[
    Effect {
        kind: EARN,
        run: |app, payload| Box::pin(earn(app, payload)),
    },
    Effect {
        kind: TAKE_BACK,
        run: |app, payload| Box::pin(take_back_now(app, payload)),
    },
];

/// What earned the points: the ledger keeps it so that removing it takes them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub(crate) enum Source {
    Post(i64),
    Event(i64),
    Session(i64),
    Partnership(i64),
    Idea(i64),
    /// A library resource (its thread id), rated helpful.
    Resource(i64),
}

impl Source {
    fn parts(self) -> (&'static str, i64) {
        match self {
            Source::Post(id) => ("post", id),
            Source::Event(id) => ("event", id),
            Source::Session(id) => ("session", id),
            Source::Partnership(id) => ("partnership", id),
            Source::Idea(id) => ("idea", id),
            Source::Resource(id) => ("resource", id),
        }
    }
}

/// Points someone may earn: by which rule, for what, caused by whom. Other modules build one
/// and `claim` it in their transaction; the outbox carries it to `decide_claim`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Merit {
    earning: Earning,
    recipient: i64,
    source: Source,
    /// Who caused it (reacted, accepted the answer…); `None` for the platform itself.
    actor: Option<i64>,
    space_id: Option<i64>,
    /// What the rule counted (a streak's weeks); 1 otherwise.
    quantity: i64,
}

impl Merit {
    pub(crate) fn new(earning: Earning, recipient: i64, source: Source) -> Merit {
        Merit {
            earning,
            recipient,
            source,
            actor: None,
            space_id: None,
            quantity: 1,
        }
    }

    pub(crate) fn by(self, actor: i64) -> Merit {
        Merit {
            actor: Some(actor),
            ..self
        }
    }

    pub(crate) fn in_space(self, space_id: Option<i64>) -> Merit {
        Merit { space_id, ..self }
    }

    pub(crate) fn counting(self, quantity: i64) -> Merit {
        Merit { quantity, ..self }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct TakeBackPayload {
    source: Source,
    /// Only what this person gave (a withdrawn reaction); everything from the source otherwise.
    actor: Option<i64>,
    earning: Option<Earning>,
}

/// Records, in the caller's transaction, that someone may earn points.
pub(crate) async fn claim(tx: &mut Tx, merit: Merit, now: DateTime<Utc>) -> AppResult<()> {
    if merit.actor == Some(merit.recipient) {
        return Ok(()); // never for one's own content: nothing to decide
    }
    let payload = serde_json::to_value(&merit).unwrap_or(Value::Null);
    outbox::enqueue(tx, EARN, &payload, now).await?;
    Ok(())
}

/// Records, in the caller's transaction, that the points earned from `source` go back: all of
/// them, or what `actor` gave by `earning`.
pub(crate) async fn take_back(
    tx: &mut Tx,
    source: Source,
    actor: Option<i64>,
    earning: Option<Earning>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let payload = TakeBackPayload {
        source,
        actor,
        earning,
    };
    let payload = serde_json::to_value(&payload).unwrap_or(Value::Null);
    outbox::enqueue(tx, TAKE_BACK, &payload, now).await?;
    Ok(())
}

fn start_of_day(now: DateTime<Utc>) -> DateTime<Utc> {
    now.date_naive().and_time(NaiveTime::MIN).and_utc()
}

fn start_of_week(now: DateTime<Utc>) -> DateTime<Utc> {
    let days = i64::from(now.weekday().num_days_from_monday());
    start_of_day(now) - Duration::days(days)
}

async fn earn(app: App, payload: Value) -> EffectResult {
    let merit: Merit =
        serde_json::from_value(payload).map_err(|e| format!("malformed claim: {e}"))?;
    app.decide_claim(&merit).await.map_err(|e| e.to_string())
}

async fn take_back_now(app: App, payload: Value) -> EffectResult {
    let request: TakeBackPayload =
        serde_json::from_value(payload).map_err(|e| format!("malformed take-back: {e}"))?;
    app.reverse_lines(&request).await.map_err(|e| e.to_string())
}

impl App {
    async fn decide_claim(&self, claim: &Merit) -> AppResult<()> {
        let now = clock::now();
        let (source_kind, source_id) = claim.source.parts();
        let mut tx = self.db().begin().await?;
        let (today, from_actor_this_week) = store::tally_in(
            &mut tx,
            claim.recipient,
            claim.earning.as_str(),
            claim.actor,
            start_of_day(now),
            start_of_week(now),
        )
        .await?;
        let decision = decide(
            Claim {
                earning: claim.earning,
                recipient: claim.recipient,
                actor: claim.actor,
            },
            Tally {
                today,
                from_actor_this_week,
            },
        );
        let Decision::Award(points) = decision else {
            return Ok(()); // refused by the rules: nothing to write
        };
        let line = NewLine {
            user_id: claim.recipient,
            rule: claim.earning.as_str(),
            points,
            quantity: claim.quantity,
            source_kind,
            source_id,
            actor_id: claim.actor,
            space_id: claim.space_id,
            reverses_id: None,
            at: now,
        };
        if store::add_line_in(&mut tx, &line, now).await?.is_some() {
            award_automatic(self, &mut tx, claim.recipient, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn reverse_lines(&self, request: &TakeBackPayload) -> AppResult<()> {
        let now = clock::now();
        let (source_kind, source_id) = request.source.parts();
        let mut tx = self.db().begin().await?;
        let lines =
            store::standing_lines_in(&mut tx, source_kind, source_id, request.actor).await?;
        for line in lines {
            if request
                .earning
                .is_some_and(|e| e.as_str() != line.rule.as_str())
            {
                continue;
            }
            let standing = guildhall_domain::rewards::Line {
                points: line.points,
                is_reversal: false,
                reversed: false,
            };
            let Some(points) = reversal(standing) else {
                continue;
            };
            let undo = NewLine {
                user_id: line.user_id,
                rule: &line.rule,
                points,
                quantity: 1,
                source_kind,
                source_id,
                actor_id: line.actor_id,
                space_id: line.space_id,
                reverses_id: Some(line.id),
                at: now,
            };
            // The month of the line it reverses, so that a month's leaderboard stays its sum.
            store::add_line_in(&mut tx, &undo, line.created_at).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
