//! ActivityPub federation of open spaces (FEP-1b12): a federated space is a `Group` that
//! remote servers follow; members' posts go out as `Create`s wrapped in the group's `Announce`;
//! replies from the fediverse come back through the content check. Off by default, and
//! allow-list first.

mod documents;
mod inbound;
mod outbound;

pub use documents::Served;
pub use inbound::{Heard, ReplyTarget};
pub(crate) use outbound::EFFECTS;
pub(crate) use outbound::post_changed;
pub use outbound::{Change, DELIVER, Delivery, SharedPost, share};

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::nexus::servers::{
    FederationMode, ServerPolicy, host_of, may_federate, normalise_host,
};
use guildhall_domain::nexus::signatures;
use guildhall_domain::people::Role;
use guildhall_domain::spaces::Visibility;
use guildhall_store::nexus::federation as store;
use serde::Serialize;

/// How this instance federates, as its administrators set it.
#[derive(Debug, Clone, Serialize)]
pub struct FederationSettings {
    pub enabled: bool,
    pub mode: FederationMode,
    pub share_usage: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListedServer {
    pub host: String,
    pub policy: ServerPolicy,
    pub note: String,
}

/// A space on the administrators' federation page.
#[derive(Debug, Clone, Serialize)]
pub struct FederatedSpace {
    pub slug: String,
    pub name: String,
    pub federated: bool,
    pub followers: i64,
    /// The handle remote people follow: `slug@host`.
    pub handle: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FederationOverview {
    pub settings: FederationSettings,
    pub servers: Vec<ListedServer>,
    pub spaces: Vec<FederatedSpace>,
}

impl App {
    /// The public URL without its trailing slash: every ActivityPub id starts with it.
    pub fn public_base(&self) -> &str {
        self.settings().server.public_url.trim_end_matches('/')
    }

    /// The host remote servers know us by (`acct:slug@host`).
    pub fn public_host(&self) -> String {
        host_of(self.public_base()).unwrap_or_default()
    }

    pub async fn federation_settings(&self) -> AppResult<FederationSettings> {
        Ok(match store::settings(self.db()).await? {
            Some(row) => FederationSettings {
                enabled: row.enabled,
                mode: FederationMode::parse(&row.mode).unwrap_or(FederationMode::Allowlist),
                share_usage: row.share_usage,
            },
            None => FederationSettings {
                enabled: false,
                mode: FederationMode::Allowlist,
                share_usage: true,
            },
        })
    }

    /// The instance key (private and public PEM), made on first use.
    pub async fn federation_key(&self) -> AppResult<(String, String)> {
        if let Some(row) = store::settings(self.db()).await?
            && !row.private_key_pem.is_empty()
        {
            return Ok((row.private_key_pem, row.public_key_pem));
        }
        let (private, public) = tokio::task::spawn_blocking(signatures::generate_key)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        store::keep_key(self.db(), &private, &public, clock::now()).await?;
        // Another instance may have written its key first: use whichever was kept.
        let row = store::settings(self.db())
            .await?
            .ok_or_else(|| AppError::Internal("the federation key was not kept".into()))?;
        Ok((row.private_key_pem, row.public_key_pem))
    }

    /// Whether a remote address (an actor URL) belongs to a server we hear now.
    pub async fn hears(&self, address: &str) -> AppResult<bool> {
        let settings = self.federation_settings().await?;
        if !settings.enabled {
            return Ok(false);
        }
        let Some(host) = host_of(address) else {
            return Ok(false);
        };
        let listed = store::server_policy(self.db(), &host)
            .await?
            .and_then(|p| ServerPolicy::parse(&p));
        Ok(may_federate(settings.mode, listed))
    }

    pub async fn federation_overview(&self, admin: &Viewer) -> AppResult<FederationOverview> {
        admin.require(Role::Admin)?;
        let settings = self.federation_settings().await?;
        let servers = store::servers(self.db())
            .await?
            .into_iter()
            .filter_map(|row| {
                Some(ListedServer {
                    policy: ServerPolicy::parse(&row.policy)?,
                    host: row.host,
                    note: row.note,
                })
            })
            .collect();
        let federated = store::federated_space_ids(self.db()).await?;
        let host = self.public_host();
        let mut spaces = Vec::new();
        for space in self.directory(admin, None).await? {
            if space.visibility != Visibility::Open {
                continue;
            }
            let is_federated = federated.contains(&space.id);
            spaces.push(FederatedSpace {
                followers: if is_federated {
                    store::follower_count(self.db(), space.id).await?
                } else {
                    0
                },
                handle: format!("{}@{host}", space.slug),
                slug: space.slug,
                name: space.name,
                federated: is_federated,
            });
        }
        Ok(FederationOverview {
            settings,
            servers,
            spaces,
        })
    }

    pub async fn set_federation(
        &self,
        admin: &Viewer,
        settings: &FederationSettings,
    ) -> AppResult<()> {
        admin.require(Role::Admin)?;
        if settings.enabled {
            // Made now, so that the first delivery does not wait for it.
            self.federation_key().await?;
        }
        store::save_settings(
            self.db(),
            settings.enabled,
            settings.mode.as_str(),
            settings.share_usage,
            clock::now(),
        )
        .await?;
        self.audit(
            admin,
            "federation.settings",
            "federation",
            serde_json::to_value(settings).unwrap_or_default(),
        )
        .await
    }

    /// Adds a server to the allow or block list (or changes its policy).
    pub async fn list_server(
        &self,
        admin: &Viewer,
        host: &str,
        policy: ServerPolicy,
        note: &str,
    ) -> AppResult<String> {
        admin.require(Role::Admin)?;
        let host = normalise_host(host).ok_or_else(|| {
            AppError::invalid(
                "host",
                "Give a host name such as social.example.org (no https://, no path).",
            )
        })?;
        let note: String = note.chars().filter(|c| !c.is_control()).take(200).collect();
        store::list_server(self.db(), &host, policy.as_str(), note.trim(), clock::now()).await?;
        self.audit(
            admin,
            "federation.server",
            &host,
            serde_json::json!({ "policy": policy }),
        )
        .await?;
        Ok(host)
    }

    pub async fn unlist_server(&self, admin: &Viewer, host: &str) -> AppResult<()> {
        admin.require(Role::Admin)?;
        let host = normalise_host(host).ok_or(AppError::NotFound)?;
        if !store::unlist_server(self.db(), &host).await? {
            return Err(AppError::NotFound);
        }
        self.audit(
            admin,
            "federation.server_removed",
            &host,
            serde_json::Value::Null,
        )
        .await
    }

    /// Federates an open space (or stops). Only open spaces: everything in them becomes public.
    pub async fn federate_space(&self, admin: &Viewer, slug: &str, on: bool) -> AppResult<()> {
        admin.require(Role::Admin)?;
        let space = self.space(admin, slug).await?;
        if on && space.visibility != Visibility::Open {
            return Err(AppError::invalid(
                "space",
                "Only open spaces can be federated: everything in them becomes public.",
            ));
        }
        store::set_space_federated(self.db(), space.id, on, clock::now()).await?;
        self.audit(
            admin,
            "federation.space",
            &format!("space:{}", space.id),
            serde_json::json!({ "federated": on }),
        )
        .await
    }

    async fn audit(
        &self,
        admin: &Viewer,
        action: &str,
        subject: &str,
        detail: serde_json::Value,
    ) -> AppResult<()> {
        let mut tx = self.db().begin().await?;
        crate::outbox::record_audit(&mut tx, Some(admin.id), action, subject, detail).await?;
        tx.commit().await?;
        Ok(())
    }
}
