//! The JSON twin of the connectors page: `/api/v1/spaces/{slug}/connectors…`, administrators
//! only. Secrets come back once, in the answer that creates the connector.

use super::ids;
use crate::WebState;
use crate::auth::Admin;
use crate::error::ApiError;
use crate::forms::JsonBody;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::AppError;
use guildhall_app::connectors::{ConnectorInput, ConnectorView, CreatedConnector, DeadDelivery};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one, update, remove))
        .routes(routes!(retry))
}

#[derive(Serialize, ToSchema)]
pub struct DeadDeliveryDto {
    /// The outbox row; retry it with `POST …/deliveries/{id}/retry`.
    id: i64,
    attempts: i64,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    post_id: Option<i64>,
    /// post.created, post.edited or post.deleted.
    event: Option<String>,
}

impl From<DeadDelivery> for DeadDeliveryDto {
    fn from(d: DeadDelivery) -> Self {
        DeadDeliveryDto {
            id: d.id,
            attempts: d.attempts,
            last_error: d.last_error,
            created_at: d.created_at,
            post_id: d.post_id,
            event: d.event,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConnectorDto {
    id: i64,
    /// slack, teams, discord, mattermost, webhook (signed JSON), incoming or matrix.
    kind: String,
    name: String,
    /// The webhook's host (its secret path left out), the Matrix room, or empty.
    target: String,
    /// Where a tool posts to (incoming webhooks), relative to the site.
    inbound_path: Option<String>,
    active: bool,
    /// new (nothing sent or received yet), ok or failing.
    status: String,
    last_error: Option<String>,
    last_success_at: Option<DateTime<Utc>>,
    last_failure_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    dead_letters: Vec<DeadDeliveryDto>,
}

impl From<ConnectorView> for ConnectorDto {
    fn from(c: ConnectorView) -> Self {
        ConnectorDto {
            id: c.id,
            kind: c.kind.as_str().to_owned(),
            name: c.name,
            target: c.target,
            inbound_path: c.inbound_path,
            active: c.active,
            status: c.status,
            last_error: c.last_error,
            last_success_at: c.last_success_at,
            last_failure_at: c.last_failure_at,
            created_at: c.created_at,
            dead_letters: c.dead_letters.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedConnectorDto {
    connector: ConnectorDto,
    /// An incoming webhook's bearer token: shown this once.
    token: Option<String>,
    /// The `whsec_…` Standard Webhooks secret of signed and incoming webhooks: shown this once.
    signing_secret: Option<String>,
}

impl From<CreatedConnector> for CreatedConnectorDto {
    fn from(c: CreatedConnector) -> Self {
        CreatedConnectorDto {
            connector: c.connector.into(),
            token: c.token,
            signing_secret: c.signing_secret,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConnectorListDto {
    connectors: Vec<ConnectorDto>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectorBody {
    /// slack, teams, discord, mattermost, webhook, incoming or matrix.
    kind: String,
    name: String,
    /// The webhook URL; the Matrix room id or alias; empty for incoming webhooks.
    #[serde(default)]
    target: String,
    /// On at once (default true).
    #[serde(default = "on")]
    active: bool,
}

fn on() -> bool {
    true
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectorPatch {
    active: bool,
}

fn one_id(raw: String) -> Result<i64, ApiError> {
    Ok(ids(&[raw]).ok_or(AppError::NotFound)?[0])
}

/// A space's connectors with their status and dead letters.
#[utoipa::path(get, path = "/spaces/{slug}/connectors", tag = "connectors", params(("slug" = String, Path, description = "The space's address")), responses((status = 200, body = ConnectorListDto)))]
async fn list(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path(slug): Path<String>,
) -> ApiResult<Json<ConnectorListDto>> {
    let (_, connectors) = state.app.connectors(&viewer, &slug).await?;
    Ok(Json(ConnectorListDto {
        connectors: connectors.into_iter().map(Into::into).collect(),
    }))
}

/// Connects the space to a platform; the answer carries its secrets, never shown again.
#[utoipa::path(post, path = "/spaces/{slug}/connectors", tag = "connectors", params(("slug" = String, Path, description = "The space's address")), request_body = ConnectorBody, responses((status = 201, body = CreatedConnectorDto)))]
async fn create(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<ConnectorBody>,
) -> ApiResult<(StatusCode, Json<CreatedConnectorDto>)> {
    let input = ConnectorInput {
        kind: body.kind,
        name: body.name,
        target: body.target,
        active: body.active,
    };
    let created = state.app.create_connector(&viewer, &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One connector.
#[utoipa::path(get, path = "/spaces/{slug}/connectors/{id}", tag = "connectors", params(("slug" = String, Path, description = "The space's address"), ("id" = i64, Path)), responses((status = 200, body = ConnectorDto)))]
async fn one(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<Json<ConnectorDto>> {
    let id = one_id(id)?;
    Ok(Json(state.app.connector(&viewer, &slug, id).await?.into()))
}

/// Switches a connector on or off.
#[utoipa::path(patch, path = "/spaces/{slug}/connectors/{id}", tag = "connectors", params(("slug" = String, Path, description = "The space's address"), ("id" = i64, Path)), request_body = ConnectorPatch, responses((status = 200, body = ConnectorDto)))]
async fn update(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path((slug, id)): Path<(String, String)>,
    JsonBody(body): JsonBody<ConnectorPatch>,
) -> ApiResult<Json<ConnectorDto>> {
    let id = one_id(id)?;
    let view = state
        .app
        .set_connector_active(&viewer, &slug, id, body.active)
        .await?;
    Ok(Json(view.into()))
}

/// Removes a connector; its pending deliveries are dropped.
#[utoipa::path(delete, path = "/spaces/{slug}/connectors/{id}", tag = "connectors", params(("slug" = String, Path, description = "The space's address"), ("id" = i64, Path)), responses((status = 204, description = "Removed")))]
async fn remove(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id = one_id(id)?;
    state.app.delete_connector(&viewer, &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives a dead delivery of the connector a fresh set of attempts.
#[utoipa::path(post, path = "/spaces/{slug}/connectors/{id}/deliveries/{delivery}/retry", tag = "connectors", params(("slug" = String, Path, description = "The space's address"), ("id" = i64, Path), ("delivery" = i64, Path)), responses((status = 204, description = "Queued again")))]
async fn retry(
    State(state): State<WebState>,
    Admin { 0: viewer, .. }: Admin,
    Path((slug, id, delivery)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let parsed = ids(&[id, delivery]).ok_or(AppError::NotFound)?;
    state
        .app
        .retry_connector_delivery(&viewer, &slug, parsed[0], parsed[1])
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
