//! Live events across instances. On PostgreSQL several instances serve one community: each
//! NOTIFYs what it publishes on one channel and LISTENs for the others', so a page served by
//! one instance hears of a post written through another, and unread counts worked out by a
//! worker node reach the web nodes. SQLite runs one instance: nothing is relayed.

use super::LiveEvent;
use crate::{App, AppResult};
use guildhall_store::notify::{LiveListener, relay_live};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::sync::mpsc;

/// Events waiting to be relayed are sent together, up to this many per statement.
const BATCH: usize = 256;

#[derive(Debug, Serialize, Deserialize)]
struct Relayed {
    /// The instance that published it: the listener hears its own events too.
    from: u64,
    event: LiveEvent,
}

/// Where `App::publish` hands events to relay.
pub(crate) type RelaySender = mpsc::UnboundedSender<LiveEvent>;

/// An id for this instance, different for every `App` (tests run two in one process).
pub(crate) fn instance_id() -> u64 {
    getrandom::u64().unwrap_or_else(|_| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        (u64::from(std::process::id()) << 32) | u64::from(nanos)
    })
}

impl App {
    /// Starts relaying live events through the database when it can carry them (PostgreSQL).
    /// Called once per instance, before it serves.
    pub async fn start_live_relay(&self) -> AppResult<()> {
        let Some(listener) = LiveListener::start(self.db()).await? else {
            return Ok(());
        };
        let (sender, receiver) = mpsc::unbounded_channel();
        if self.inner.relay.set(sender).is_err() {
            return Ok(());
        }
        tokio::spawn(send(self.clone(), receiver));
        tokio::spawn(hear(self.clone(), listener));
        Ok(())
    }
}

/// Sends what this instance publishes, many events per statement under load.
async fn send(app: App, mut receiver: mpsc::UnboundedReceiver<LiveEvent>) {
    let from = app.inner.instance;
    let mut events = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut events, BATCH).await > 0 {
        let payloads: Vec<String> = events
            .drain(..)
            .filter_map(|event| serde_json::to_string(&Relayed { from, event }).ok())
            .collect();
        if let Err(error) = relay_live(app.db(), &payloads).await {
            tracing::warn!(%error, "live events were not relayed to the other instances");
        }
    }
}

/// Passes the other instances' events to this instance's open pages.
async fn hear(app: App, mut listener: LiveListener) {
    let mut closing = app.closing();
    loop {
        let payload = tokio::select! {
            _ = closing.wait_for(|closing| *closing) => return,
            payload = listener.next() => payload,
        };
        match payload {
            Ok(payload) => match serde_json::from_str::<Relayed>(&payload) {
                Ok(relayed) if relayed.from != app.inner.instance => {
                    let _ = app.inner.live.send(relayed.event);
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "a relayed live event was not understood"),
            },
            Err(error) => {
                tracing::warn!(%error, "listening for other instances' live events failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}
