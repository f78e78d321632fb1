//! Open Badges in the web face, public by design: the issuer profile with its key, each
//! credential's verification page (and its JSON and VC-JWT), and the revocation status lists.

use crate::WebState;
use crate::error::PageError;
use crate::page::{PageCtx, render};
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use guildhall_app::AppError;
use guildhall_app::rewards::CredentialView;

/// The media type of a VC-JWT (VC-JOSE-COSE).
const VC_JWT: &str = "application/vc+jwt";

#[derive(Template)]
#[template(path = "rewards/credential.html")]
struct CredentialTemplate {
    ctx: PageCtx,
    credential: CredentialView,
    linkedin: String,
}

/// "Add to profile" on LinkedIn: its documented link with the certification's fields.
fn linkedin_link(credential: &CredentialView) -> String {
    let at = credential.award.awarded_at;
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("startTask", "CERTIFICATION_NAME")
        .append_pair("name", &credential.award.name)
        .append_pair("organizationName", &credential.issuer_name)
        .append_pair("issueYear", &at.format("%Y").to_string())
        .append_pair("issueMonth", &at.format("%-m").to_string())
        .append_pair("certUrl", &credential.url)
        .append_pair("certId", &credential.award.credential_key)
        .finish();
    format!("https://www.linkedin.com/profile/add?{query}")
}

/// `/credentials/{key}` (the page), `{key}.json` (the credential) or `{key}.jwt` (signed).
pub async fn credential(
    State(state): State<WebState>,
    ctx: PageCtx,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    if let Some(key) = file.strip_suffix(".json") {
        let credential = state.app.credential(key).await?;
        return Ok((
            [(header::CONTENT_TYPE, "application/ld+json")],
            credential.json.to_string(),
        )
            .into_response());
    }
    if let Some(key) = file.strip_suffix(".jwt") {
        let credential = state.app.credential(key).await?;
        let name = format!("attachment; filename=\"badge-{key}.jwt\"");
        return Ok((
            [
                (header::CONTENT_TYPE, VC_JWT.to_owned()),
                (header::CONTENT_DISPOSITION, name),
            ],
            credential.jwt,
        )
            .into_response());
    }
    let credential = state.app.credential(&file).await?;
    let linkedin = linkedin_link(&credential);
    Ok(render(&CredentialTemplate {
        ctx,
        credential,
        linkedin,
    }))
}

pub async fn issuer(State(state): State<WebState>) -> Result<Response, PageError> {
    let profile = state.app.issuer_profile().await?;
    Ok((
        [(header::CONTENT_TYPE, "application/ld+json")],
        profile.to_string(),
    )
        .into_response())
}

pub async fn issuer_keys(State(state): State<WebState>) -> Result<Response, PageError> {
    Ok(Json(state.app.issuer_jwks().await?).into_response())
}

pub async fn status_list(
    State(state): State<WebState>,
    Path(list): Path<String>,
) -> Result<Response, PageError> {
    let list: i64 = list.parse().map_err(|_| AppError::NotFound)?;
    let jwt = state.app.status_list(list).await?;
    Ok(([(header::CONTENT_TYPE, VC_JWT)], jwt).into_response())
}
