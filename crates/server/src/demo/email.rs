//! The demo's email choices: a few members take a daily or weekly digest of their spaces and
//! one wants each notification by email. Nothing is sent unless `[email]` is configured, so the
//! demo needs no mail server; the choices show on `/me/email`.

use anyhow::{Result, anyhow};
use guildhall_app::App;
use guildhall_app::people::Viewer;

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    let choices = [(false, "daily"), (false, "weekly"), (true, "weekly")];
    for (person, (notifications, digest)) in people.iter().skip(1).step_by(4).zip(choices) {
        app.set_email_preferences(person, notifications, digest)
            .await
            .map_err(|e| anyhow!("email preferences: {e}"))?;
    }
    Ok(())
}
