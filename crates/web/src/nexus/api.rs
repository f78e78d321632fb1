//! The JSON twins of the federation page, for administrators.

use crate::WebState;
use crate::auth::Admin;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use guildhall_app::AppError;
use guildhall_app::nexus::federation::FederationSettings;
use guildhall_domain::nexus::Origin;
use guildhall_domain::nexus::servers::{FederationMode, ServerPolicy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(overview, save_settings))
        .routes(routes!(list_server, unlist_server))
        .routes(routes!(federate_space))
        .routes(routes!(remote_people))
        .routes(routes!(block_remote))
}

#[derive(Serialize, ToSchema)]
pub struct FederationDto {
    /// Off by default.
    enabled: bool,
    /// allowlist or open.
    mode: String,
    /// NodeInfo usage counts are shared.
    share_usage: bool,
    servers: Vec<ServerDto>,
    spaces: Vec<FederatedSpaceDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ServerDto {
    host: String,
    /// allow or block.
    policy: String,
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct FederatedSpaceDto {
    slug: String,
    name: String,
    federated: bool,
    followers: i64,
    /// What remote people follow: slug@host.
    handle: String,
}

/// How the instance federates: settings, listed servers, open spaces.
#[utoipa::path(get, path = "/federation", tag = "federation", responses((status = 200, body = FederationDto)))]
async fn overview(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
) -> ApiResult<Json<FederationDto>> {
    let overview = state.app.federation_overview(&viewer).await?;
    Ok(Json(FederationDto {
        enabled: overview.settings.enabled,
        mode: overview.settings.mode.as_str().into(),
        share_usage: overview.settings.share_usage,
        servers: overview
            .servers
            .into_iter()
            .map(|s| ServerDto {
                host: s.host,
                policy: s.policy.as_str().into(),
                note: s.note,
            })
            .collect(),
        spaces: overview
            .spaces
            .into_iter()
            .map(|s| FederatedSpaceDto {
                slug: s.slug,
                name: s.name,
                federated: s.federated,
                followers: s.followers,
                handle: s.handle,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    enabled: bool,
    /// allowlist or open.
    mode: String,
    share_usage: bool,
}

/// Turns federation on or off, chooses the mode and whether usage counts are shared.
#[utoipa::path(put, path = "/federation", tag = "federation", request_body = SettingsBody, responses((status = 204, description = "Saved")))]
async fn save_settings(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    JsonBody(body): JsonBody<SettingsBody>,
) -> ApiResult<StatusCode> {
    let mode = FederationMode::parse(&body.mode)
        .ok_or_else(|| AppError::invalid("mode", "Choose allowlist or open."))?;
    let settings = FederationSettings {
        enabled: body.enabled,
        mode,
        share_usage: body.share_usage,
    };
    state.app.set_federation(&viewer, &settings).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServerBody {
    /// allow or block.
    policy: String,
    #[serde(default)]
    note: String,
}

/// Puts a server on the allow or block list.
#[utoipa::path(put, path = "/federation/servers/{host}", tag = "federation", params(("host" = String, Path, description = "Host name, with a port if not the default")), request_body = ServerBody, responses((status = 204, description = "Saved")))]
async fn list_server(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path(host): Path<String>,
    JsonBody(body): JsonBody<ServerBody>,
) -> ApiResult<StatusCode> {
    let policy = ServerPolicy::parse(&body.policy)
        .ok_or_else(|| AppError::invalid("policy", "Choose allow or block."))?;
    state
        .app
        .list_server(&viewer, &host, policy, &body.note)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes a server off the lists.
#[utoipa::path(delete, path = "/federation/servers/{host}", tag = "federation", params(("host" = String, Path, description = "Host name")), responses((status = 204, description = "Removed")))]
async fn unlist_server(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path(host): Path<String>,
) -> ApiResult<StatusCode> {
    state.app.unlist_server(&viewer, &host).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FederatedBody {
    federated: bool,
}

/// Federates an open space as a Group actor, or stops.
#[utoipa::path(put, path = "/federation/spaces/{slug}", tag = "federation", params(("slug" = String, Path, description = "The space's address")), request_body = FederatedBody, responses((status = 204, description = "Saved")))]
async fn federate_space(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<FederatedBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .federate_space(&viewer, &slug, body.federated)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct RemotePersonDto {
    id: i64,
    /// fediverse, matrix or webhook.
    platform: String,
    handle: String,
    server: String,
    profile_url: String,
    blocked: bool,
}

/// People from the fediverse who wrote here.
#[utoipa::path(get, path = "/federation/remote-people", tag = "federation", responses((status = 200, body = [RemotePersonDto])))]
async fn remote_people(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
) -> ApiResult<Json<Vec<RemotePersonDto>>> {
    let people = state.app.remote_people(&viewer, Origin::Fediverse).await?;
    Ok(Json(
        people
            .into_iter()
            .map(|p| RemotePersonDto {
                id: p.user_id,
                platform: p.platform,
                handle: p.handle,
                server: p.server,
                profile_url: p.profile_url,
                blocked: p.blocked,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockBody {
    blocked: bool,
}

/// Blocks a remote person (nothing more from them is accepted), or lifts the block.
#[utoipa::path(put, path = "/federation/remote-people/{id}/block", tag = "federation", params(("id" = i64, Path, description = "The remote person's id")), request_body = BlockBody, responses((status = 204, description = "Saved")))]
async fn block_remote(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<BlockBody>,
) -> ApiResult<StatusCode> {
    state.app.block_remote(&viewer, id, body.blocked).await?;
    Ok(StatusCode::NO_CONTENT)
}
