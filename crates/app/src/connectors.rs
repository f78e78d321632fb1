//! Connectors: a space's conversation carried to chat platforms and back. Administrators set
//! them up per space (DESIGN.md §1: connectors to other platforms are theirs); each shows its
//! status, last error and dead letters, and a dead delivery can be tried again.
//!
//! Deliveries are outbox effects recorded in the transaction of the post that causes them
//! (`outbound`); webhooks in and the Matrix application service arrive through `nexus`
//! (`inbound`, `matrix`).

pub mod http;
mod inbound;
pub mod matrix;
mod outbound;

pub use inbound::{HookRequest, InboundMessage};
pub use outbound::DELIVER;
pub(crate) use outbound::{post_changed, post_published};

use crate::people::Viewer;
use crate::spaces::SpaceView;
use crate::{App, AppError, AppResult, clock, secrets};
use chrono::{DateTime, Utc};
use guildhall_domain::FieldErrors;
use guildhall_domain::connectors::{ConnectorKind, parse_name, parse_target};
use guildhall_domain::people::Role;
use guildhall_store::connectors::{self as store, ConnectorRow, NewConnector};
use guildhall_store::outbox as store_outbox;
use serde::Serialize;
use serde_json::json;

/// A connector as its administrators see it. Secrets never appear here: they are shown once,
/// at creation ([`CreatedConnector`]).
#[derive(Debug, Clone, Serialize)]
pub struct ConnectorView {
    pub id: i64,
    pub kind: ConnectorKind,
    pub kind_label: &'static str,
    pub name: String,
    /// Where it goes, with the secret part of webhook addresses left out.
    pub target: String,
    /// Where a tool posts to (incoming webhooks), relative to the site.
    pub inbound_path: Option<String>,
    pub active: bool,
    /// `new` (nothing sent yet), `ok` or `failing`.
    pub status: String,
    pub last_error: Option<String>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_failure_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub dead_letters: Vec<DeadDelivery>,
}

/// A delivery that ran out of attempts.
#[derive(Debug, Clone, Serialize)]
pub struct DeadDelivery {
    pub id: i64,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub post_id: Option<i64>,
    pub event: Option<String>,
}

/// A new connector with its secrets, which are never shown again.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedConnector {
    pub connector: ConnectorView,
    /// The bearer token of an incoming webhook.
    pub token: Option<String>,
    /// The `whsec_…` secret a signed webhook signs with (and an incoming one may be signed with).
    pub signing_secret: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ConnectorInput {
    pub kind: String,
    pub name: String,
    pub target: String,
    pub active: bool,
}

/// Shows a webhook address without its secret path (Slack's and Discord's carry the key there).
fn shown_target(kind: ConnectorKind, target: &str) -> String {
    match kind {
        ConnectorKind::Matrix | ConnectorKind::Incoming => target.to_owned(),
        _ => match url::Url::parse(target) {
            Ok(url) => format!(
                "{}://{}/…",
                url.scheme(),
                url.host_str().unwrap_or_default()
            ),
            Err(_) => "…".to_owned(),
        },
    }
}

fn view(row: ConnectorRow, dead_letters: Vec<DeadDelivery>) -> Option<ConnectorView> {
    let kind = ConnectorKind::parse(&row.kind)?;
    Some(ConnectorView {
        id: row.id,
        kind,
        kind_label: kind.label(),
        target: shown_target(kind, &row.target),
        inbound_path: (kind == ConnectorKind::Incoming).then(|| format!("/hooks/{}", row.id)),
        name: row.name,
        active: row.active,
        status: row.status,
        last_error: row.last_error,
        last_success_at: row.last_success_at,
        last_failure_at: row.last_failure_at,
        created_at: row.created_at,
        dead_letters,
    })
}

/// Dead letters shown per connector; older ones stay in the administrators' outbox page.
const DEAD_SHOWN: i64 = 20;

/// A `whsec_` secret of 32 random bytes, the Standard Webhooks format.
fn new_signing_secret() -> AppResult<String> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

impl App {
    /// The space, if the viewer administers connectors and may see it.
    async fn connector_space(&self, viewer: &Viewer, slug: &str) -> AppResult<SpaceView> {
        viewer.require(Role::Admin)?;
        self.space(viewer, slug).await
    }

    async fn connector_of(&self, space: &SpaceView, id: i64) -> AppResult<ConnectorRow> {
        store::get(self.db(), id)
            .await?
            .filter(|c| c.space_id == space.id)
            .ok_or(AppError::NotFound)
    }

    async fn dead_of(&self, connector_id: i64) -> AppResult<Vec<DeadDelivery>> {
        let rows =
            store::deliveries(self.db(), connector_id, store_outbox::DEAD, DEAD_SHOWN).await?;
        Ok(rows
            .into_iter()
            .map(|r| DeadDelivery {
                id: r.id,
                attempts: r.attempts,
                last_error: r.last_error,
                created_at: r.created_at,
                post_id: r.payload.0["post_id"].as_i64(),
                event: r.payload.0["event"].as_str().map(str::to_owned),
            })
            .collect())
    }

    /// A space's connectors with their status and dead letters.
    pub async fn connectors(
        &self,
        viewer: &Viewer,
        slug: &str,
    ) -> AppResult<(SpaceView, Vec<ConnectorView>)> {
        let space = self.connector_space(viewer, slug).await?;
        let mut views = Vec::new();
        for row in store::of_space(self.db(), space.id).await? {
            let dead = self.dead_of(row.id).await?;
            views.extend(view(row, dead));
        }
        Ok((space, views))
    }

    pub async fn connector(
        &self,
        viewer: &Viewer,
        slug: &str,
        id: i64,
    ) -> AppResult<ConnectorView> {
        let space = self.connector_space(viewer, slug).await?;
        let row = self.connector_of(&space, id).await?;
        let dead = self.dead_of(row.id).await?;
        view(row, dead).ok_or(AppError::NotFound)
    }

    pub async fn create_connector(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &ConnectorInput,
    ) -> AppResult<CreatedConnector> {
        let space = self.connector_space(viewer, slug).await?;
        let mut errors = FieldErrors::new();
        let kind = errors.check(
            "kind",
            ConnectorKind::parse(&input.kind).ok_or_else(|| {
                "Choose Slack, Teams, Discord, Mattermost, a signed webhook, an incoming webhook or Matrix."
                    .to_owned()
            }),
        );
        let name = errors.check("name", parse_name(&input.name));
        let target =
            kind.and_then(|kind| errors.check("target", parse_target(kind, &input.target)));
        let (Some(kind), Some(name), Some(target), true) = (kind, name, target, errors.is_empty())
        else {
            return Err(errors.into());
        };
        let signing_secret = kind.signs().then(new_signing_secret).transpose()?;
        let token = (kind == ConnectorKind::Incoming)
            .then(|| secrets::new_token("ghk_"))
            .transpose()?;
        let token_hash = token.as_deref().map(secrets::hash_token);
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let id = store::insert(
            &mut tx,
            &NewConnector {
                space_id: space.id,
                kind: kind.as_str(),
                name: &name,
                target: &target,
                signing_secret: signing_secret.as_deref(),
                token_hash: token_hash.as_deref(),
                active: input.active,
                created_by: Some(viewer.id),
                now,
            },
        )
        .await?;
        crate::outbox::record_audit(
            &mut tx,
            Some(viewer.id),
            "connector.created",
            &format!("connector:{id}"),
            json!({"space": space.slug, "kind": kind.as_str(), "name": name}),
        )
        .await?;
        let row = store::get_in(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(CreatedConnector {
            connector: view(row, Vec::new()).ok_or(AppError::NotFound)?,
            token,
            signing_secret,
        })
    }

    pub async fn set_connector_active(
        &self,
        viewer: &Viewer,
        slug: &str,
        id: i64,
        active: bool,
    ) -> AppResult<ConnectorView> {
        let space = self.connector_space(viewer, slug).await?;
        self.connector_of(&space, id).await?;
        store::set_active(self.db(), id, active, clock::now()).await?;
        self.connector(viewer, slug, id).await
    }

    pub async fn delete_connector(&self, viewer: &Viewer, slug: &str, id: i64) -> AppResult<()> {
        let space = self.connector_space(viewer, slug).await?;
        let row = self.connector_of(&space, id).await?;
        let mut tx = self.db().begin().await?;
        store::delete(&mut tx, id).await?;
        crate::outbox::record_audit(
            &mut tx,
            Some(viewer.id),
            "connector.deleted",
            &format!("connector:{id}"),
            json!({"space": space.slug, "kind": row.kind, "name": row.name}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a dead delivery of this connector a fresh set of attempts.
    pub async fn retry_connector_delivery(
        &self,
        viewer: &Viewer,
        slug: &str,
        id: i64,
        delivery: i64,
    ) -> AppResult<()> {
        let space = self.connector_space(viewer, slug).await?;
        self.connector_of(&space, id).await?;
        if !store::is_delivery_of(self.db(), id, delivery).await? {
            return Err(AppError::NotFound);
        }
        if !store_outbox::revive(self.db(), delivery, clock::now()).await? {
            return Err(AppError::Conflict {
                code: "not_dead",
                message: "This delivery is not waiting for a retry.".into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_secrets_stay_out_of_shown_addresses() {
        let shown = shown_target(
            ConnectorKind::Slack,
            "https://hooks.slack.com/services/T000/B000/XXXXSECRET",
        );
        assert_eq!(shown, "https://hooks.slack.com/…");
        assert_eq!(shown_target(ConnectorKind::Matrix, "!a:b"), "!a:b");
    }

    #[test]
    fn signing_secrets_are_standard_webhooks_secrets() {
        let secret = new_signing_secret().unwrap();
        let key = guildhall_domain::connectors::decode_secret(&secret).unwrap();
        assert_eq!(key.len(), 32);
    }
}
