//! The one error type of the use cases. The faces turn it into HTTP in one place each; internal
//! causes are logged there and never shown.

use guildhall_domain::FieldErrors;
use guildhall_store::StoreError;
use thiserror::Error;

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug, Error)]
pub enum AppError {
    #[error("some fields are not valid: {0}")]
    Invalid(FieldErrors),
    /// The content check thinks the text may hurt: the author rephrases or sends it for review.
    #[error("the text may read as rude: {0}")]
    Nudged(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("sign in first")]
    Unauthenticated,
    #[error("the email or password is not right")]
    BadCredentials,
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(FieldErrors::single(field, message))
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> AppError {
        AppError::Forbidden {
            code,
            message: message.into(),
        }
    }

    /// A stable snake_case code for programs.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid_input",
            AppError::Nudged(_) => "content_nudged",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthenticated => "sign_in_required",
            AppError::BadCredentials => "invalid_credentials",
            AppError::Forbidden { code, .. } | AppError::Conflict { code, .. } => code,
            AppError::NotFound => "not_found",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Internal(_) => "internal_error",
        }
    }

    /// A sentence for people; never includes internal detail.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Invalid(_) => "Some fields need attention.".into(),
            AppError::Nudged(_) => {
                "This may read as mocking or rude. Rephrase it, or send it for review.".into()
            }
            AppError::BadRequest(message) => message.clone(),
            AppError::Unauthenticated => "Please sign in to continue.".into(),
            AppError::BadCredentials => "The email or password is not right.".into(),
            AppError::Forbidden { message, .. } | AppError::Conflict { message, .. } => {
                message.clone()
            }
            AppError::NotFound => "There is nothing here.".into(),
            AppError::RateLimited { retry_after_secs } => {
                format!("Too many attempts. Please wait {retry_after_secs} seconds and try again.")
            }
            AppError::Internal(_) => "Something went wrong on our side. Please try again.".into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}
