//! The directories section of the administration page: create a SCIM directory (its token is
//! shown once, on the page that answers the form) and revoke one.

use super::admin::{Extras, page};
use crate::WebState;
use crate::auth::Admin;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath};
use crate::page::PageCtx;
use axum::extract::State;
use axum::response::Response;
use guildhall_app::AppError;
use guildhall_domain::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryForm {
    name: String,
}

pub async fn create(
    State(state): State<WebState>,
    Admin { 0: admin, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<DirectoryForm>,
) -> Result<Response, PageError> {
    let extras = match state.app.create_directory(&admin, &form.name).await {
        Ok(created) => Extras {
            new_directory: Some(created),
            ..Extras::default()
        },
        Err(AppError::Invalid(errors)) => {
            let message = errors.get("name").unwrap_or("Please name the directory.");
            Extras {
                alert: "The directory was not created.".into(),
                errors: FieldErrors::single("directory_name", message),
                ..Extras::default()
            }
        }
        Err(error) => return Err(error.into()),
    };
    page(&state, &admin, ctx, extras).await
}

pub async fn revoke(
    State(state): State<WebState>,
    Admin { 0: admin, .. }: Admin,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.revoke_directory(&admin, id).await?;
    page(
        &state,
        &admin,
        ctx,
        Extras {
            notice: "The directory's token was revoked. The people and spaces it provisioned stay."
                .into(),
            ..Extras::default()
        },
    )
    .await
}
