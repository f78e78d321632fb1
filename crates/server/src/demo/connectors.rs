//! The demo's connectors: one of each kind on "Data Literacy", all switched off — no chat
//! platform runs beside the demo, so they show what an administrator would set up.

use super::content;
use anyhow::Result;
use guildhall_app::App;
use guildhall_app::connectors::ConnectorInput;
use guildhall_app::people::Viewer;
use guildhall_domain::spaces::slugify;

/// (kind, name, target)
const CONNECTORS: &[(&str, &str, &str)] = &[
    (
        "slack",
        "#data-literacy on Slack",
        "https://hooks.slack.com/services/T0DEMO/B0DEMO/demo",
    ),
    (
        "teams",
        "Data Literacy channel in Teams",
        "https://example.webhook.office.com/webhookb2/demo",
    ),
    (
        "discord",
        "#sql-help on Discord",
        "https://discord.com/api/webhooks/0/demo",
    ),
    (
        "mattermost",
        "~data-literacy on Mattermost",
        "https://chat.example.org/hooks/demo",
    ),
    (
        "webhook",
        "Learning records pipeline",
        "https://lrs.example.org/hooks/guildhall",
    ),
    ("incoming", "Nightly report bot", ""),
    (
        "matrix",
        "#data-literacy:example.org",
        "#data-literacy:example.org",
    ),
];

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    let admin = &people[0];
    let slug = slugify(content::SPACES[1].name);
    for (kind, name, target) in CONNECTORS {
        let input = ConnectorInput {
            kind: (*kind).into(),
            name: (*name).into(),
            target: (*target).into(),
            active: false,
        };
        app.create_connector(admin, &slug, &input).await?;
    }
    Ok(())
}
