//! The people directory, profiles, editing one's own profile and photo, asking for a name
//! change, and the name-change queue and history for moderators, HR and administrators.

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::people::{
    DirectoryPage, DirectoryQuery, NameChange, NameRequestView, ProfileInput, ProfileView,
};
use guildhall_domain::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "people/directory.html")]
struct DirectoryTemplate {
    ctx: PageCtx,
    page: DirectoryPage,
    query: DirectoryForm,
    /// The viewer, for the link to the people they follow.
    me: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct DirectoryForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    after: String,
}

impl DirectoryForm {
    fn to_query(&self) -> DirectoryQuery {
        DirectoryQuery {
            query: self.q.clone(),
            skill: self.skill.clone(),
            department: self.department.clone(),
            location: self.location.clone(),
            after: self.after.clone(),
        }
    }

    /// The query string of the next page.
    fn next_href(&self, after: &str) -> String {
        let pairs = [
            ("q", self.q.as_str()),
            ("skill", &self.skill),
            ("department", &self.department),
            ("location", &self.location),
            ("after", after),
        ];
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty()))
            .finish();
        format!("/people?{query}")
    }
}

pub async fn directory(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<DirectoryForm>,
) -> Result<Response, PageError> {
    let page = state
        .app
        .people_directory(&viewer, &query.to_query())
        .await?;
    Ok(render(&DirectoryTemplate {
        ctx,
        page,
        query,
        me: Some(viewer.id),
    }))
}

pub async fn photo(
    State(state): State<WebState>,
    Member(_member): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let (kind, bytes) = state.app.profile_photo(id).await?;
    let headers = [
        (header::CONTENT_TYPE, kind.content_type().to_owned()),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox".to_owned(),
        ),
        (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}

#[derive(Template)]
#[template(path = "people/edit_profile.html")]
struct EditTemplate {
    ctx: PageCtx,
    person: ProfileView,
    form: ProfileForm,
    errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    interests: String,
    #[serde(default)]
    skills: String,
}

impl ProfileForm {
    fn from_profile(p: &ProfileView) -> ProfileForm {
        ProfileForm {
            title: p.title.clone(),
            department: p.department.clone(),
            location: p.location.clone(),
            time_zone: p.time_zone.clone(),
            bio: p.bio.clone(),
            languages: p.languages.join(", "),
            interests: p.interests.join(", "),
            skills: p.skills.join(", "),
        }
    }

    fn to_input(&self) -> ProfileInput {
        ProfileInput {
            title: self.title.clone(),
            department: self.department.clone(),
            location: self.location.clone(),
            time_zone: self.time_zone.clone(),
            bio: self.bio.clone(),
            languages: self.languages.clone(),
            interests: self.interests.clone(),
            skills: self.skills.clone(),
        }
    }
}

pub async fn edit_form(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let person = state.app.profile_page(&viewer, viewer.id).await?;
    let form = ProfileForm::from_profile(&person);
    Ok(render(&EditTemplate {
        ctx,
        person,
        form,
        errors: FieldErrors::new(),
    }))
}

pub async fn edit(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<ProfileForm>,
) -> Result<Response, PageError> {
    match state.app.update_profile(&viewer, &form.to_input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{}", viewer.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let person = state.app.profile_page(&viewer, viewer.id).await?;
            let page = EditTemplate {
                ctx,
                person,
                form,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// The photo comes as a multipart upload; the CSRF token travels in the query string.
pub async fn upload_photo(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest("Send the photo as a file upload.".into()))?;
    let mut bytes = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("photo") {
            bytes = Some(
                field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("The upload was cut short.".into()))?,
            );
        }
    }
    let bytes = bytes.ok_or_else(|| AppError::invalid("photo", "Choose a photo."))?;
    match state.app.set_profile_photo(&viewer, &bytes).await {
        Ok(()) => Ok(Redirect::to(&format!("/people/{}", viewer.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let person = state.app.profile_page(&viewer, viewer.id).await?;
            let form = ProfileForm::from_profile(&person);
            let page = EditTemplate {
                ctx,
                person,
                form,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "people/name.html")]
struct NameTemplate {
    ctx: PageCtx,
    person: ProfileView,
    form: NameForm,
    errors: FieldErrors,
    notice: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameForm {
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    family_name: String,
    #[serde(default)]
    preferred_given_name: String,
    #[serde(default)]
    reason: String,
}

pub async fn name_form(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let person = state.app.profile_page(&viewer, viewer.id).await?;
    let form = NameForm {
        given_name: person.given_name.clone(),
        family_name: person.family_name.clone(),
        preferred_given_name: person.preferred_given_name.clone(),
        reason: String::new(),
    };
    Ok(render(&NameTemplate {
        ctx,
        person,
        form,
        errors: FieldErrors::new(),
        notice: String::new(),
    }))
}

pub async fn request_name(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<NameForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .request_name_change(
            &viewer,
            &form.given_name,
            &form.family_name,
            &form.preferred_given_name,
            &form.reason,
        )
        .await;
    let person = state.app.profile_page(&viewer, viewer.id).await?;
    let (status, errors, notice) = match result {
        Ok(_) => (
            StatusCode::OK,
            FieldErrors::new(),
            "Your request was sent: a moderator or HR decides and you will be told.".to_owned(),
        ),
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, String::new()),
        Err(error @ (AppError::Conflict { .. } | AppError::Forbidden { .. })) => (
            crate::error::status_of(&error),
            FieldErrors::new(),
            error.public_message(),
        ),
        Err(error) => return Err(error.into()),
    };
    let page = NameTemplate {
        ctx,
        person,
        form,
        errors,
        notice,
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Template)]
#[template(path = "people/name_requests.html")]
struct NameRequestsTemplate {
    ctx: PageCtx,
    requests: Vec<NameRequestView>,
}

pub async fn name_requests(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let requests = state.app.name_requests(&viewer).await?;
    Ok(render(&NameRequestsTemplate { ctx, requests }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn decide_name(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<DecisionForm>,
) -> Result<Response, PageError> {
    let approve = crate::forms::approve_or_decline(&form.decision)?;
    state
        .app
        .decide_name_request(&viewer, id, approve, &form.note)
        .await?;
    Ok(Redirect::to("/moderation/names").into_response())
}

#[derive(Template)]
#[template(path = "people/name_history.html")]
struct NameHistoryTemplate {
    ctx: PageCtx,
    query: String,
    changes: Vec<NameChange>,
}

#[derive(Debug, Default, Deserialize)]
pub struct HistoryQuery {
    #[serde(default)]
    q: String,
}

pub async fn name_history(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<HistoryQuery>,
) -> Result<Response, PageError> {
    let changes = state.app.name_history(&viewer, &query.q).await?;
    Ok(render(&NameHistoryTemplate {
        ctx,
        query: query.q,
        changes,
    }))
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditTemplate {
    ctx: PageCtx,
    entries: Vec<guildhall_app::people::AuditEntry>,
    next: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    before: Option<i64>,
}

/// The audit log (administrators): sign-ins, roles, names, tokens, invitations, provisioning.
pub async fn audit(
    State(state): State<WebState>,
    crate::auth::Admin { 0: viewer, .. }: crate::auth::Admin,
    ctx: PageCtx,
    QueryParams(query): QueryParams<AuditQuery>,
) -> Result<Response, PageError> {
    let entries = state.app.audit_log(&viewer, query.before).await?;
    let next = (i64::try_from(entries.len()).unwrap_or(0) == guildhall_app::people::AUDIT_PAGE)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    Ok(render(&AuditTemplate { ctx, entries, next }))
}
