//! The demo's history: its threads spread over the last twelve weeks, so that the insights
//! dashboards have weeks to show, then the weekly "listen more, talk less" round.

use anyhow::{Result, anyhow};
use chrono::{Duration, Utc};
use guildhall_app::App;

/// Weeks the demo's conversations are spread over (the dashboards show twelve).
const WEEKS: i64 = 12;

pub async fn spread_history(app: &App, threads: &[i64]) -> Result<()> {
    let count = i64::try_from(threads.len()).unwrap_or(i64::MAX).max(1);
    for (n, thread) in threads.iter().enumerate() {
        // Newest threads stay where they are; the first ones go back almost twelve weeks, with
        // the hour varied so that answers take different times.
        let n = i64::try_from(n).unwrap_or(0);
        let back = Duration::weeks(WEEKS - 1) * i32::try_from(count - 1 - n).unwrap_or(0)
            / i32::try_from(count).unwrap_or(1)
            + Duration::hours((n * 7) % 30);
        guildhall_store::bulk::backdate_thread(app.db(), *thread, back)
            .await
            .map_err(|e| anyhow!("spreading the demo's history: {e}"))?;
    }
    let nudged = app
        .nudge_talkative_facilitators(Utc::now())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if nudged > 0 {
        println!("{nudged} facilitator(s) reminded to listen more and talk less.");
    }
    Ok(())
}
