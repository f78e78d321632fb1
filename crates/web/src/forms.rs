//! Body and path extractors whose failures are clear 4xx answers in our error format, never a
//! bare framework message or a 500.

use crate::auth::{is_api, is_api_request};
use crate::error::reject;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use guildhall_app::AppError;
use serde::de::DeserializeOwned;

/// A URL-encoded form. Unknown or missing fields and wrong types are a 400 with the reason.
pub struct FormBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for FormBody<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let api = is_api_request(request.extensions(), request.uri());
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(FormBody(value)),
            Err(FormRejection::InvalidFormContentType(_)) => Err(reject(
                api,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the form as application/x-www-form-urlencoded.",
            )),
            Err(FormRejection::FailedToDeserializeForm(e)) => Err(reject(
                api,
                StatusCode::BAD_REQUEST,
                "invalid_form",
                &format!("The form could not be read: {}", e.body_text()),
            )),
            Err(FormRejection::FailedToDeserializeFormBody(e)) => Err(reject(
                api,
                StatusCode::BAD_REQUEST,
                "invalid_form",
                &format!("The form could not be read: {}", e.body_text()),
            )),
            Err(other) => Err(reject(
                api,
                other.status(),
                "invalid_form",
                "The form could not be read.",
            )),
        }
    }
}

/// A JSON body: 415 without the JSON content type, 400 for malformed JSON, 422 for wrong fields.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let value = match axum::Json::<serde_json::Value>::from_request(request, state).await {
            Ok(axum::Json(value)) => value,
            Err(JsonRejection::MissingJsonContentType(_)) => {
                return Err(reject(
                    true,
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "Send the body as application/json.",
                ));
            }
            Err(JsonRejection::JsonSyntaxError(e)) => {
                return Err(reject(
                    true,
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                    &format!("The body is not valid JSON: {}", e.body_text()),
                ));
            }
            Err(other) => {
                return Err(reject(
                    true,
                    other.status(),
                    "invalid_body",
                    "The body could not be read.",
                ));
            }
        };
        // serde would accept `[…]` for a struct; every body of this API is an object.
        if !value.is_object() {
            return Err(reject(
                true,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                "The body must be a JSON object.",
            ));
        }
        serde_json::from_value(value).map(JsonBody).map_err(|e| {
            reject(
                true,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                &format!("The body does not fit: {e}"),
            )
        })
    }
}

/// A numeric id in the path; anything else is "not found".
pub struct IdPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<i64>::from_request_parts(parts, state).await {
            Ok(Path(id)) if id > 0 => Ok(IdPath(id)),
            _ => Err(reject(
                is_api(parts),
                StatusCode::NOT_FOUND,
                "not_found",
                "There is nothing here.",
            )),
        }
    }
}

/// Two numeric ids in the path (`/partners/{id}/goals/{goal_id}`); anything else is "not found".
pub struct IdPairPath(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPairPath {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<(i64, i64)>::from_request_parts(parts, state).await {
            Ok(Path((a, b))) if a > 0 && b > 0 => Ok(IdPairPath(a, b)),
            _ => Err(reject(
                is_api(parts),
                StatusCode::NOT_FOUND,
                "not_found",
                "There is nothing here.",
            )),
        }
    }
}

/// Query parameters; malformed ones are a 400.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for QueryParams<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(QueryParams(value)),
            Err(e) => Err(reject(
                is_api(parts),
                StatusCode::BAD_REQUEST,
                "invalid_query",
                &format!("The query could not be read: {}", e.body_text()),
            )),
        }
    }
}

/// A URL-encoded form read as its pairs, for forms with repeated keys (checkbox groups), which
/// serde's URL-encoded format cannot collect.
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn first(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Refuses keys the form does not have, like the typed forms do.
    pub fn only(self, allowed: &[&str]) -> Result<FormPairs, AppError> {
        match self.0.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            Some((unknown, _)) => Err(AppError::BadRequest(format!(
                "The form has an unknown field “{unknown}”."
            ))),
            None => Ok(self),
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for FormPairs {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let api = is_api_request(request.extensions(), request.uri());
        let is_form = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(reject(
                api,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the form as application/x-www-form-urlencoded.",
            ));
        }
        let text = String::from_request(request, state).await.map_err(|_| {
            reject(
                api,
                StatusCode::BAD_REQUEST,
                "invalid_form",
                "The form must be UTF-8 text within the size limit.",
            )
        })?;
        Ok(FormPairs(
            form_urlencoded::parse(text.as_bytes())
                .into_owned()
                .collect(),
        ))
    }
}

/// A decision field of a form or body: `approve` (true) or `decline` (false).
pub fn approve_or_decline(raw: &str) -> Result<bool, AppError> {
    match raw {
        "approve" => Ok(true),
        "decline" => Ok(false),
        _ => Err(AppError::invalid("decision", "Choose approve or decline.")),
    }
}

/// A JSON key that must be present even though its value may be null (`deserialize_with` makes
/// serde require it, unlike a plain `Option`).
pub fn required_nullable<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

pub fn required_nullable_id<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}
