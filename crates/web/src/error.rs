//! Turning errors into HTTP, in one place: JSON `{error, message, fields}` for the API, a friendly
//! page for people. Internal causes are logged here and never sent.

use crate::page::{PageCtx, render};
use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable snake_case code for programs, e.g. `invalid_input`.
    pub error: String,
    /// A sentence for people.
    pub message: String,
    /// Per-field messages for invalid input.
    pub fields: std::collections::BTreeMap<String, String>,
}

pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Invalid(_) | AppError::Nudged(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn log_if_internal(error: &AppError) {
    if let AppError::Internal(cause) = error {
        tracing::error!(%cause, "request failed");
    }
}

fn retry_after(response: &mut Response, error: &AppError) {
    if let AppError::RateLimited { retry_after_secs } = error
        && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        ApiError(error)
    }
}

/// A JSON error answer for problems found before any use case runs.
pub fn api_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ErrorBody {
        error: code.into(),
        message: message.into(),
        fields: Default::default(),
    };
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_internal(&self.0);
        let fields = match &self.0 {
            AppError::Invalid(fields) | AppError::Nudged(fields) => fields
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            _ => Default::default(),
        };
        let body = ErrorBody {
            error: self.0.code().into(),
            message: self.0.public_message(),
            fields,
        };
        let mut response = (status_of(&self.0), Json(body)).into_response();
        retry_after(&mut response, &self.0);
        response
    }
}

/// An error answered as a page; "sign in first" becomes a redirect to the sign-in page.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError(error)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageCtx,
    heading: String,
    message: String,
    /// Where to go to put things right, when there is such a place.
    next_step: Option<(&'static str, &'static str)>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log_if_internal(&self.0);
        if matches!(self.0, AppError::Unauthenticated) {
            return Redirect::to("/signin").into_response();
        }
        let status = status_of(&self.0);
        let next_step = match self.0.code() {
            "conduct_not_accepted" => Some(("/conduct", "Read the code of conduct")),
            "warning_unacknowledged" | "muted" => {
                Some(("/moderation/mine", "See your moderation history"))
            }
            _ => None,
        };
        let mut response = page(status, &self.0.public_message(), next_step);
        retry_after(&mut response, &self.0);
        response
    }
}

/// A friendly page for any status. Error pages carry no navigation state: they may be answering
/// a request whose session could not be read.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    page(status, message, None)
}

fn page(
    status: StatusCode,
    message: &str,
    next_step: Option<(&'static str, &'static str)>,
) -> Response {
    let heading = match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::TOO_MANY_REQUESTS => "Please slow down",
        s if s.is_server_error() => "Something went wrong",
        _ => "That did not work",
    };
    let page = ErrorPage {
        ctx: PageCtx::anonymous(),
        heading: heading.into(),
        message: message.into(),
        next_step,
    };
    (status, render(&page)).into_response()
}

/// Unknown paths: JSON under `/api`, a page elsewhere.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        api_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "There is no such API endpoint.",
        )
    } else {
        error_page(StatusCode::NOT_FOUND, "There is nothing at this address.")
    }
}

/// Answers a protocol-level problem (bad body, CSRF, size) in the form the client expects.
pub fn reject(api: bool, status: StatusCode, code: &str, message: &str) -> Response {
    if api {
        api_error(status, code, message)
    } else {
        error_page(status, message)
    }
}
