//! The administration page: who may join, invitation links, people's roles, dead letters.

use crate::WebState;
use crate::auth::Admin;
use crate::error::PageError;
use crate::forms::{FormBody, FormPairs, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::outbox::DeadLetter;
use guildhall_app::people::{
    DirectoryInfo, InvitationLink, NewDirectoryToken, PersonSummary, Viewer,
};
use guildhall_domain::FieldErrors;
use guildhall_domain::people::{Role, SignupPolicy};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/index.html")]
struct AdminPage {
    ctx: PageCtx,
    policy: SignupPolicy,
    people: Vec<PersonSummary>,
    next_after: Option<i64>,
    all_roles: [Role; 5],
    new_invitation: Option<InvitationLink>,
    public_url: String,
    outbox_counts: Vec<(String, i64)>,
    dead_letters: Vec<DeadLetter>,
    directories: Vec<DirectoryInfo>,
    new_directory: Option<NewDirectoryToken>,
    errors: FieldErrors,
    notice: String,
    alert: String,
}

#[derive(Default)]
pub(super) struct Extras {
    pub after: i64,
    pub new_invitation: Option<InvitationLink>,
    pub new_directory: Option<NewDirectoryToken>,
    pub errors: FieldErrors,
    pub notice: String,
    pub alert: String,
}

pub(super) async fn page(
    state: &WebState,
    admin: &Viewer,
    ctx: PageCtx,
    extras: Extras,
) -> Result<Response, PageError> {
    let people = state.app.people_page(admin, extras.after).await?;
    let full_page =
        i64::try_from(people.len()).unwrap_or(0) == guildhall_app::people::PEOPLE_PAGE_SIZE;
    let status = if extras.errors.is_empty() && extras.alert.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AdminPage {
        ctx,
        policy: state.app.signup_policy().await?,
        next_after: if full_page {
            people.last().map(|p| p.id)
        } else {
            None
        },
        people,
        all_roles: Role::ALL,
        new_invitation: extras.new_invitation,
        public_url: state.config.public_url.clone(),
        outbox_counts: state.app.outbox_counts().await?,
        dead_letters: state.app.dead_letters(admin, None).await?,
        directories: state.app.directories(admin).await?,
        new_directory: extras.new_directory,
        errors: extras.errors,
        notice: extras.notice,
        alert: extras.alert,
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AfterQuery {
    #[serde(default)]
    after: i64,
}

pub async fn show(
    State(state): State<WebState>,
    Admin { 0: admin, .. }: Admin,
    ctx: PageCtx,
    QueryParams(query): QueryParams<AfterQuery>,
) -> Result<Response, PageError> {
    page(
        &state,
        &admin,
        ctx,
        Extras {
            after: query.after,
            ..Extras::default()
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyForm {
    /// Absent when no radio button is chosen, which validation then explains.
    #[serde(default)]
    mode: String,
    allowed_domains: String,
}

pub async fn set_signup_policy(
    State(state): State<WebState>,
    Admin { 0: admin, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<PolicyForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .set_signup_policy(&admin, &form.mode, &form.allowed_domains)
        .await
    {
        Ok(_) => {
            page(
                &state,
                &admin,
                ctx,
                Extras {
                    notice: "Sign-up policy saved.".into(),
                    ..Extras::default()
                },
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            page(
                &state,
                &admin,
                ctx,
                Extras {
                    errors,
                    alert: "The sign-up policy was not saved.".into(),
                    ..Extras::default()
                },
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationForm {
    /// Present but empty for a link anyone can use once.
    email: String,
}

pub async fn create_invitation(
    State(state): State<WebState>,
    Admin { 0: admin, .. }: Admin,
    ctx: PageCtx,
    FormBody(form): FormBody<InvitationForm>,
) -> Result<Response, PageError> {
    match state.app.create_invitation(&admin, Some(&form.email)).await {
        Ok(link) => {
            page(
                &state,
                &admin,
                ctx,
                Extras {
                    new_invitation: Some(link),
                    ..Extras::default()
                },
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            let alert = errors
                .get("email")
                .unwrap_or("The invitation was not created.")
                .to_owned();
            page(
                &state,
                &admin,
                ctx,
                Extras {
                    errors,
                    alert,
                    ..Extras::default()
                },
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn set_roles(
    State(state): State<WebState>,
    Admin { 0: admin, .. }: Admin,
    ctx: PageCtx,
    IdPath(id): IdPath,
    form: FormPairs,
) -> Result<Response, PageError> {
    let form = form.only(&["roles"])?;
    match state.app.set_roles(&admin, id, &form.all("roles")).await {
        Ok(_) => Ok(Redirect::to("/admin").into_response()),
        Err(error @ (AppError::Conflict { .. } | AppError::Invalid(_))) => {
            page(
                &state,
                &admin,
                ctx,
                Extras {
                    alert: error.public_message(),
                    ..Extras::default()
                },
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn retry_dead_letter(
    State(state): State<WebState>,
    Admin { 0: admin, .. }: Admin,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.retry_dead_letter(&admin, id).await?;
    Ok(Redirect::to("/admin").into_response())
}
