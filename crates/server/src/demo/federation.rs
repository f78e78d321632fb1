//! Federation in the demo: on, in allow-list mode with one partner server listed, and every
//! open space federated as a Group actor (so WebFinger, NodeInfo and the feeds answer).

use anyhow::Result;
use guildhall_app::App;
use guildhall_app::nexus::federation::FederationSettings;
use guildhall_app::people::Viewer;
use guildhall_domain::nexus::servers::{FederationMode, ServerPolicy};
use guildhall_domain::spaces::Visibility;

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    let Some(admin) = people.first() else {
        return Ok(());
    };
    let settings = FederationSettings {
        enabled: true,
        mode: FederationMode::Allowlist,
        share_usage: true,
    };
    app.set_federation(admin, &settings).await?;
    app.list_server(
        admin,
        "social.partner.example",
        ServerPolicy::Allow,
        "Partner organisation",
    )
    .await?;
    for space in app.directory(admin, None).await? {
        if space.visibility == Visibility::Open {
            app.federate_space(admin, &space.slug, true).await?;
        }
    }
    Ok(())
}
