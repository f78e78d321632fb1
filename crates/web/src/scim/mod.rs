//! SCIM 2.0 (RFC 7643/7644) for an organisation's directory at `/scim/v2`: Users with the
//! EnterpriseUser extension, Groups as team spaces, and the discovery documents. Each request
//! authenticates with its directory's bearer token; errors use SCIM's error schema.

mod discovery;
mod filter;
mod patch;
mod resources;

use crate::WebState;
use crate::auth::bearer_token;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use guildhall_app::AppError;
use guildhall_app::people::Directory;
use serde_json::{Value, json};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const MAX_PAGE: usize = 200;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/Users",
            get(resources::list_users).post(resources::create_user),
        )
        .route(
            "/Users/{id}",
            get(resources::get_user)
                .put(resources::replace_user)
                .patch(resources::patch_user)
                .delete(resources::delete_user),
        )
        .route("/.search", post(resources::search_all))
        .route("/Users/.search", post(resources::search_users))
        .route("/Groups/.search", post(resources::search_groups))
        .route(
            "/Groups",
            get(resources::list_groups).post(resources::create_group),
        )
        .route(
            "/Groups/{id}",
            get(resources::get_group)
                .put(resources::replace_group)
                .patch(resources::patch_group)
                .delete(resources::delete_group),
        )
        .route(
            "/ServiceProviderConfig",
            get(discovery::service_provider_config),
        )
        .route("/ResourceTypes", get(discovery::resource_types))
        .route("/ResourceTypes/{id}", get(discovery::resource_type))
        .route("/Schemas", get(discovery::schemas))
        .route("/Schemas/{id}", get(discovery::schema))
        .fallback(unknown_endpoint)
}

async fn unknown_endpoint() -> Response {
    ScimError::new(
        StatusCode::NOT_FOUND,
        None,
        "There is no such SCIM endpoint.",
    )
    .into_response()
}

/// A SCIM answer: JSON with SCIM's media type.
pub fn scim_json(status: StatusCode, body: Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/scim+json"),
    );
    response
}

#[derive(Debug)]
pub struct ScimError {
    status: StatusCode,
    scim_type: Option<&'static str>,
    detail: String,
}

impl ScimError {
    pub fn new(
        status: StatusCode,
        scim_type: Option<&'static str>,
        detail: impl Into<String>,
    ) -> Self {
        ScimError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    pub fn invalid_value(detail: impl Into<String>) -> Self {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidValue"), detail)
    }

    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        ScimError::new(StatusCode::BAD_REQUEST, Some("invalidSyntax"), detail)
    }
}

impl From<AppError> for ScimError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Invalid(fields) | AppError::Nudged(fields) => {
                let detail = fields
                    .iter()
                    .map(|(field, message)| format!("{field}: {message}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                ScimError::invalid_value(detail)
            }
            AppError::BadRequest(message) => ScimError::invalid_value(message),
            AppError::NotFound => {
                ScimError::new(StatusCode::NOT_FOUND, None, "There is no such resource.")
            }
            AppError::Conflict { code, message } => ScimError::new(
                StatusCode::CONFLICT,
                Some(if code == "uniqueness" {
                    "uniqueness"
                } else {
                    "mutability"
                }),
                message,
            ),
            AppError::Unauthenticated | AppError::BadCredentials => unauthorized(),
            AppError::Forbidden { message, .. } => {
                ScimError::new(StatusCode::FORBIDDEN, None, message)
            }
            AppError::RateLimited { .. } => {
                ScimError::new(StatusCode::TOO_MANY_REQUESTS, None, "Too many requests.")
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "SCIM request failed");
                ScimError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    None,
                    "Something went wrong on our side.",
                )
            }
        }
    }
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.as_u16().to_string(),
            "detail": self.detail,
        });
        if let (Some(scim_type), Some(object)) = (self.scim_type, body.as_object_mut()) {
            object.insert("scimType".into(), Value::String(scim_type.into()));
        }
        let mut response = scim_json(self.status, body);
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"scim\""),
            );
        }
        response
    }
}

fn unauthorized() -> ScimError {
    ScimError::new(
        StatusCode::UNAUTHORIZED,
        None,
        "Send the directory's bearer token.",
    )
}

/// The directory whose token came with the request.
pub struct ScimAuth(pub Directory);

impl FromRequestParts<WebState> for ScimAuth {
    type Rejection = ScimError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, ScimError> {
        let token = bearer_token(&parts.headers).ok_or_else(unauthorized)?;
        match state.app.directory_for_token(token).await? {
            Some(directory) => Ok(ScimAuth(directory)),
            None => Err(unauthorized()),
        }
    }
}

/// The public base of resource locations.
pub fn base_url(state: &State<WebState>) -> String {
    format!("{}/scim/v2", state.config.public_url)
}
