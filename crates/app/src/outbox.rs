//! Side effects, recorded in the transaction of the change that causes them and carried out by
//! [`OutboxWorker`]s afterwards, with retries and exponential backoff. A row that keeps failing
//! ends as a dead letter that administrators can see and retry.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::Duration;
use guildhall_domain::people::Role;
use guildhall_store::moderation::{self, NewAudit};
use guildhall_store::outbox::{self as store, OutboxRow};
use guildhall_store::{Result as StoreResult, Tx};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::watch;

pub const AUDIT: &str = "audit";

/// The outcome of carrying out one effect: an error message means "try again later".
pub type EffectResult = Result<(), String>;
pub type BoxedEffect = Pin<Box<dyn Future<Output = EffectResult> + Send>>;
type Handler = Arc<dyn Fn(App, Value) -> BoxedEffect + Send + Sync>;

/// One kind of effect and how it is carried out. Each module lists its own in an `EFFECTS`
/// constant and `crate::effects` gathers them, so the outbox imports no module's handlers.
pub struct Effect {
    pub kind: &'static str,
    pub run: fn(App, Value) -> BoxedEffect,
}

pub(crate) const EFFECTS: &[Effect] = &[Effect {
    kind: AUDIT,
    run: |app, payload| Box::pin(write_audit(app, payload)),
}];

#[derive(Debug, Serialize, Deserialize)]
struct AuditEffect {
    actor_id: Option<i64>,
    action: String,
    subject: String,
    detail: Value,
    at: chrono::DateTime<chrono::Utc>,
}

/// Records an audit entry as an effect of the surrounding transaction.
pub async fn record_audit(
    tx: &mut Tx,
    actor_id: Option<i64>,
    action: &str,
    subject: &str,
    detail: Value,
) -> StoreResult<i64> {
    let now = clock::now();
    let effect = AuditEffect {
        actor_id,
        action: action.into(),
        subject: subject.into(),
        detail,
        at: now,
    };
    let payload = serde_json::to_value(&effect).unwrap_or(Value::Null);
    store::enqueue(tx, AUDIT, &payload, now).await
}

async fn write_audit(app: App, payload: Value) -> EffectResult {
    let effect: AuditEffect =
        serde_json::from_value(payload).map_err(|e| format!("malformed audit effect: {e}"))?;
    moderation::insert_audit(
        app.db(),
        &NewAudit {
            actor_id: effect.actor_id,
            action: &effect.action,
            subject: &effect.subject,
            detail: &effect.detail,
            at: effect.at,
        },
    )
    .await
    .map(|_| ())
    .map_err(|e| e.to_string())
}

/// Drains the outbox. Every instance with `node.worker = true` runs one; rows are claimed so
/// that two workers never carry out the same effect at once.
#[derive(Clone)]
pub struct OutboxWorker {
    app: App,
    handlers: HashMap<String, Handler>,
}

impl OutboxWorker {
    pub fn new(app: App) -> OutboxWorker {
        let mut worker = OutboxWorker {
            app,
            handlers: HashMap::new(),
        };
        for effect in crate::effects() {
            worker.register(effect.kind, effect.run);
        }
        worker
    }

    pub fn register<F, Fut>(&mut self, kind: &str, handler: F)
    where
        F: Fn(App, Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = EffectResult> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |app, payload| Box::pin(handler(app, payload)));
        self.handlers.insert(kind.to_owned(), handler);
    }

    /// Claims one batch and carries it out; returns how many rows it handled.
    pub async fn run_once(&self) -> AppResult<usize> {
        self.run_once_due_by(clock::now()).await
    }

    /// The same for effects due by `now`, which may be later than the clock (tests let two days
    /// pass this way; the effects themselves read the real clock).
    pub async fn run_once_due_by(&self, now: chrono::DateTime<chrono::Utc>) -> AppResult<usize> {
        let settings = &self.app.settings().outbox;
        let rows = store::claim(
            self.app.db(),
            now,
            now + Duration::seconds(settings.lease_secs),
            settings.batch_size,
        )
        .await?;
        for row in &rows {
            self.carry_out(row).await?;
        }
        Ok(rows.len())
    }

    async fn carry_out(&self, row: &OutboxRow) -> AppResult<()> {
        let outcome = match self.handlers.get(&row.kind) {
            Some(handler) => handler(self.app.clone(), row.payload.0.clone()).await,
            None => Err(format!("no handler for effect kind “{}”", row.kind)),
        };
        let now = clock::now();
        match outcome {
            Ok(()) => store::complete(self.app.db(), row.id, now).await?,
            Err(error) => {
                let settings = &self.app.settings().outbox;
                let retry_at = (row.attempts < settings.max_attempts)
                    .then(|| now + backoff(settings.backoff_base_secs, row.attempts));
                tracing::warn!(id = row.id, kind = %row.kind, attempts = row.attempts, dead = retry_at.is_none(), %error, "outbox effect failed");
                store::fail(self.app.db(), row.id, &error, retry_at, now).await?;
            }
        }
        Ok(())
    }

    /// Polls until `shutdown` turns true; finishes the batch in hand before returning.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let poll =
            std::time::Duration::from_millis(self.app.settings().outbox.poll_interval_ms.max(10));
        let mut last_maintenance = std::time::Instant::now();
        loop {
            let handled = match self.run_once().await {
                Ok(handled) => handled,
                Err(error) => {
                    tracing::error!(%error, "outbox worker could not claim work");
                    0
                }
            };
            if last_maintenance.elapsed() > std::time::Duration::from_secs(600) {
                self.app.maintain().await;
                last_maintenance = std::time::Instant::now();
            }
            if handled > 0 && !*shutdown.borrow() {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                tracing::info!("outbox worker stopped");
                return;
            }
        }
    }
}

/// base · 2^(attempts−1), at most an hour.
fn backoff(base_secs: i64, attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::seconds(
        base_secs
            .max(1)
            .saturating_mul(2_i64.saturating_pow(exponent))
            .min(3600),
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct DeadLetter {
    pub id: i64,
    pub kind: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub payload: Value,
}

impl App {
    /// Dead letters, newest first (keyset: ids below `before`).
    pub async fn dead_letters(
        &self,
        admin: &Viewer,
        before: Option<i64>,
    ) -> AppResult<Vec<DeadLetter>> {
        admin.require(Role::Admin)?;
        let rows = store::by_status(self.db(), store::DEAD, before.unwrap_or(i64::MAX), 50).await?;
        Ok(rows
            .into_iter()
            .map(|r| DeadLetter {
                id: r.id,
                kind: r.kind,
                attempts: r.attempts,
                last_error: r.last_error,
                created_at: r.created_at,
                payload: r.payload.0,
            })
            .collect())
    }

    pub async fn retry_dead_letter(&self, admin: &Viewer, id: i64) -> AppResult<()> {
        admin.require(Role::Admin)?;
        if store::revive(self.db(), id, clock::now()).await? {
            let mut tx = self.db().begin().await?;
            record_audit(
                &mut tx,
                Some(admin.id),
                "outbox.retried",
                &format!("outbox:{id}"),
                json!({}),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    pub async fn outbox_counts(&self) -> AppResult<Vec<(String, i64)>> {
        Ok(store::count_by_status(self.db()).await?)
    }

    /// Periodic housekeeping: expired sessions, old delivered effects, idle rate-limit keys.
    pub async fn maintain(&self) {
        let now = clock::now();
        let keep = Duration::days(self.settings().outbox.keep_done_days);
        if let Err(error) = guildhall_store::people::purge_expired_sessions(self.db(), now).await {
            tracing::warn!(%error, "could not purge expired sessions");
        }
        if let Err(error) = store::purge_done(self.db(), now - keep).await {
            tracing::warn!(%error, "could not purge delivered outbox rows");
        }
        self.inner.login_limits.forget_idle();
        if let Err(error) = self.tend_partnerships(now).await {
            tracing::warn!(%error, "could not tend partnerships");
        }
        if let Err(error) = self.schedule_digests(now).await {
            tracing::warn!(%error, "could not schedule email digests");
        }
        if let Err(error) = self.refresh_community_dashboard().await {
            tracing::warn!(%error, "could not compute the community dashboard");
        }
        if self.inner.daily.first_time_today(now.date_naive()) {
            if let Err(error) = self.notice_silences(now).await {
                tracing::warn!(%error, "could not look for members gone quiet");
            }
            if let Err(error) = self.nudge_talkative_facilitators(now).await {
                tracing::warn!(%error, "could not nudge talkative facilitators");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let secs: Vec<i64> = (1..=4).map(|a| backoff(5, a).num_seconds()).collect();
        assert_eq!(secs, vec![5, 10, 20, 40]);
        assert_eq!(backoff(5, 30).num_seconds(), 3600);
    }
}
