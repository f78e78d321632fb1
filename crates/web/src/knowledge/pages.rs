//! Library pages: the list with its filters and forms, one resource, and the similar
//! questions shown before a question is posted. Each handler calls one `app` action.

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::knowledge::{
    CollectionSummary, LibraryPage, LibraryQuery, ResourceInput, ResourceView, SimilarThread,
};
use guildhall_app::people::Viewer;
use guildhall_app::spaces::DirectoryEntry;
use guildhall_domain::FieldErrors;
use guildhall_domain::knowledge::{Rating, ResourceKind};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct LibraryParams {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    skill: Option<String>,
    #[serde(default)]
    needs_review: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

impl LibraryParams {
    fn query(&self, space: Option<String>) -> LibraryQuery {
        LibraryQuery {
            space,
            kind: self.kind.clone().filter(|k| !k.is_empty()),
            tag: self.tag.clone().filter(|t| !t.is_empty()),
            skill: self.skill.clone().filter(|s| !s.is_empty()),
            needs_review: self.needs_review.as_deref() == Some("yes"),
            sort: self.sort.clone(),
            cursor: self.cursor.clone(),
        }
    }

    /// The filters as a query string (for "More resources"), without the cursor.
    fn filters(&self) -> String {
        let pairs = [
            ("kind", self.kind.as_deref()),
            ("tag", self.tag.as_deref()),
            ("skill", self.skill.as_deref()),
            ("needs_review", self.needs_review.as_deref()),
            ("sort", self.sort.as_deref()),
        ];
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                query.append_pair(key, value);
            }
        }
        query.finish()
    }
}

/// The "Add a resource" form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceForm {
    #[serde(default)]
    pub space: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub send_for_review: Option<String>,
}

#[derive(Template)]
#[template(path = "knowledge/library.html")]
struct LibraryTemplate {
    ctx: PageCtx,
    heading: String,
    /// Where the filters and pages go: `/library` or `/s/{slug}/library`.
    path: String,
    page: LibraryPage,
    collections: Vec<CollectionSummary>,
    spaces: Vec<DirectoryEntry>,
    kinds: &'static [ResourceKind],
    params: LibraryParams,
    filters: String,
    form: ResourceForm,
    errors: FieldErrors,
    nudged: bool,
    alert: String,
}

async fn library_template(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    space: Option<String>,
    params: LibraryParams,
) -> Result<LibraryTemplate, PageError> {
    let page = state
        .app
        .library(viewer, &params.query(space.clone()))
        .await?;
    let collections = state.app.collections(viewer).await?;
    let spaces = state.app.my_spaces(viewer).await?;
    let (heading, path) = match &space {
        Some(slug) => {
            let name = spaces
                .iter()
                .find(|s| &s.slug == slug)
                .map_or_else(|| slug.clone(), |s| s.name.clone());
            (format!("Library of {name}"), format!("/s/{slug}/library"))
        }
        None => ("Library".to_owned(), "/library".to_owned()),
    };
    let form = ResourceForm {
        space: space.unwrap_or_default(),
        kind: "link".into(),
        ..ResourceForm::default()
    };
    Ok(LibraryTemplate {
        ctx,
        heading,
        path,
        page,
        collections,
        spaces,
        kinds: ResourceKind::ALL,
        filters: params.filters(),
        params,
        form,
        errors: FieldErrors::new(),
        nudged: false,
        alert: String::new(),
    })
}

pub async fn library(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(params): QueryParams<LibraryParams>,
) -> Result<Response, PageError> {
    Ok(render(
        &library_template(&state, &viewer, ctx, None, params).await?,
    ))
}

pub async fn space_library(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
    QueryParams(params): QueryParams<LibraryParams>,
) -> Result<Response, PageError> {
    Ok(render(
        &library_template(&state, &viewer, ctx, Some(slug), params).await?,
    ))
}

pub async fn add(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<ResourceForm>,
) -> Result<Response, PageError> {
    let input = ResourceInput {
        kind: form.kind.clone(),
        title: form.title.clone(),
        url: form.url.clone(),
        body: form.body.clone(),
        tags: form.tags.clone(),
        skills: form.skills.clone(),
        send_for_review: form.send_for_review.is_some(),
        not_rude: form.send_for_review.as_deref() == Some("not_rude"),
    };
    let result = if form.space.is_empty() {
        Err(AppError::invalid(
            "space",
            "Choose the space it belongs to.",
        ))
    } else {
        state.app.add_resource(&viewer, &form.space, &input).await
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/library/{id}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Nudged(_))) => {
            let nudged = matches!(error, AppError::Nudged(_));
            let mut page =
                library_template(&state, &viewer, ctx, None, LibraryParams::default()).await?;
            page.form = form;
            page.nudged = nudged;
            page.alert = if nudged {
                "The resource may read as mocking or rude: rephrase it, or send it for review as written.".into()
            } else {
                "The resource was not added: see the form below.".into()
            };
            page.errors = match error {
                AppError::Invalid(errors) | AppError::Nudged(errors) => errors,
                _ => FieldErrors::new(),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "knowledge/resource.html")]
struct ResourceTemplate {
    ctx: PageCtx,
    resource: ResourceView,
    notice: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ResourceParams {
    #[serde(default)]
    done: Option<String>,
}

pub async fn resource(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    QueryParams(params): QueryParams<ResourceParams>,
) -> Result<Response, PageError> {
    let resource = state.app.resource(&viewer, id).await?;
    let notice = match params.done.as_deref() {
        Some("rated") => "Thank you: your rating is saved.",
        Some("reviewed") => "Marked as reviewed today.",
        Some("added") => "Added to the collection.",
        _ => "",
    }
    .to_owned();
    Ok(render(&ResourceTemplate {
        ctx,
        resource,
        notice,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingForm {
    /// helpful, outdated, or none (withdraw).
    rating: String,
}

pub async fn rate(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<RatingForm>,
) -> Result<Response, PageError> {
    let rating = match form.rating.as_str() {
        "none" => None,
        other => Some(
            Rating::parse(other)
                .ok_or_else(|| AppError::invalid("rating", "Choose helpful or outdated."))?,
        ),
    };
    state.app.rate_resource(&viewer, id, rating).await?;
    Ok(Redirect::to(&format!("/library/{id}?done=rated#rating")).into_response())
}

pub async fn review(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.review_resource(&viewer, id).await?;
    Ok(Redirect::to(&format!("/library/{id}?done=reviewed#freshness")).into_response())
}

/// The question form's fields, as sent by its "Check for similar questions" button (a POST, so
/// the draft and the form's token stay out of addresses and logs).
#[derive(Debug, Default, Deserialize)]
pub struct DraftParams {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    link: String,
}

#[derive(Template)]
#[template(path = "knowledge/similar.html")]
struct SimilarTemplate {
    ctx: PageCtx,
    slug: String,
    draft: DraftParams,
    similar: Vec<SimilarThread>,
}

pub async fn similar(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
    FormBody(draft): FormBody<DraftParams>,
) -> Result<Response, PageError> {
    let text = format!("{}\n{}", draft.title, draft.body);
    let similar = state.app.similar(&viewer, &text, Some(&slug)).await?;
    Ok(render(&SimilarTemplate {
        ctx,
        slug,
        draft,
        similar,
    }))
}
