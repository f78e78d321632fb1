//! Idea pages. Each handler calls one `app` action; who may do what is decided there.

use super::api::BoardParams;
use super::tree;
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
use guildhall_app::ideas::{Board, BoardQuery, IdeaCard, IdeaInput, IdeaPage, SimilarIdea};
use guildhall_app::people::Viewer;
use guildhall_app::spaces::{DirectoryEntry, SpaceMember};
use guildhall_domain::FieldErrors;
use guildhall_domain::ideas::IdeaStatus;
use guildhall_domain::spaces::MembershipStatus;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "ideas/board.html")]
struct BoardTemplate {
    ctx: PageCtx,
    board: Board,
    statuses: &'static [IdeaStatus],
    /// The query string of this board without its cursor, for the next page's link.
    base_query: String,
}

async fn board_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    query: BoardQuery,
) -> Result<Response, PageError> {
    let board = state.app.idea_board(viewer, &query).await?;
    // Each piece is a status word, "votes" or a tag the app checked (letters, digits and
    // hyphens): nothing here needs escaping beyond what the template does.
    let base_query = [
        board.status.map(|s| format!("status={}", s.as_str())),
        board.tag.as_ref().map(|t| format!("tag={t}")),
        board.by_votes.then(|| "order=votes".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("&");
    Ok(render(&BoardTemplate {
        ctx,
        board,
        statuses: IdeaStatus::ALL,
        base_query,
    }))
}

pub async fn board(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(params): QueryParams<BoardParams>,
) -> Result<Response, PageError> {
    board_page(&state, &viewer, ctx, params.query(None)).await
}

pub async fn space_board(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
    QueryParams(params): QueryParams<BoardParams>,
) -> Result<Response, PageError> {
    board_page(&state, &viewer, ctx, params.query(Some(slug))).await
}

#[derive(Template)]
#[template(path = "ideas/gallery.html")]
struct GalleryTemplate {
    ctx: PageCtx,
    ideas: Vec<IdeaCard>,
}

pub async fn gallery(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let ideas = state.app.idea_gallery(&viewer, None).await?;
    Ok(render(&GalleryTemplate { ctx, ideas }))
}

/// The form's fields as typed, to show again after a refusal.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdeaForm {
    #[serde(default)]
    space: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    problem: String,
    #[serde(default)]
    proposal: String,
    #[serde(default)]
    benefit: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    builds_on: String,
    #[serde(default)]
    send_for_review: Option<String>,
    /// "Check for similar ideas" instead of posting.
    #[serde(default)]
    check: Option<String>,
}

impl IdeaForm {
    fn input(&self) -> Result<IdeaInput, AppError> {
        let builds_on = match self.builds_on.trim() {
            "" => None,
            raw => Some(raw.parse().map_err(|_| {
                AppError::invalid("builds_on", "Give the number of the idea this builds on.")
            })?),
        };
        Ok(IdeaInput {
            title: self.title.clone(),
            problem: self.problem.clone(),
            proposal: self.proposal.clone(),
            benefit: self.benefit.clone(),
            tags: self.tags.clone(),
            builds_on,
            send_for_review: self.send_for_review.is_some(),
            not_rude: self.send_for_review.as_deref() == Some("not_rude"),
        })
    }
}

#[derive(Template)]
#[template(path = "ideas/form.html")]
struct FormTemplate {
    ctx: PageCtx,
    /// The idea being changed; `None` for a new one.
    editing: Option<i64>,
    form: IdeaForm,
    spaces: Vec<DirectoryEntry>,
    /// The idea this one builds on: (id, title).
    parent: Option<(i64, String)>,
    similar: Option<Vec<SimilarIdea>>,
    errors: FieldErrors,
    nudged: bool,
    alert: String,
}

async fn form_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    editing: Option<i64>,
    form: IdeaForm,
) -> Result<FormTemplate, PageError> {
    let spaces = state
        .app
        .my_spaces(viewer)
        .await?
        .into_iter()
        .filter(|s| s.my_status == Some(MembershipStatus::Active))
        .collect();
    let parent = match form.builds_on.trim().parse::<i64>() {
        Ok(id) => state
            .app
            .idea_page(viewer, id)
            .await
            .ok()
            .map(|page| (id, page.idea.title)),
        Err(_) => None,
    };
    Ok(FormTemplate {
        ctx,
        editing,
        form,
        spaces,
        parent,
        similar: None,
        errors: FieldErrors::new(),
        nudged: false,
        alert: String::new(),
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct NewParams {
    #[serde(default)]
    space: String,
    #[serde(default)]
    builds_on: Option<i64>,
}

pub async fn new_form(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(params): QueryParams<NewParams>,
) -> Result<Response, PageError> {
    let form = IdeaForm {
        space: params.space,
        builds_on: params
            .builds_on
            .map(|id| id.to_string())
            .unwrap_or_default(),
        ..IdeaForm::default()
    };
    Ok(render(&form_page(&state, &viewer, ctx, None, form).await?))
}

/// The form again with the reason it was not saved.
async fn refused(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    editing: Option<i64>,
    form: IdeaForm,
    error: AppError,
) -> Result<Response, PageError> {
    let nudged = matches!(error, AppError::Nudged(_));
    let (AppError::Invalid(errors) | AppError::Nudged(errors)) = error else {
        return Err(error.into());
    };
    let mut page = form_page(state, viewer, ctx, editing, form).await?;
    page.errors = errors;
    page.nudged = nudged;
    page.alert = if nudged {
        "Part of the idea may read as mocking or rude: rephrase it, or send it for review as written."
            .into()
    } else {
        "The idea was not saved: see below.".into()
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

pub async fn propose(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<IdeaForm>,
) -> Result<Response, PageError> {
    if form.check.is_some() {
        let text = format!("{} {}", form.problem, form.proposal);
        let similar = state.app.similar_ideas(&viewer, &form.title, &text).await?;
        let mut page = form_page(&state, &viewer, ctx, None, form).await?;
        page.similar = Some(similar);
        return Ok(render(&page));
    }
    let result = match form.input() {
        Ok(input) => state.app.propose_idea(&viewer, &form.space, &input).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/ideas/{id}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Nudged(_))) => {
            refused(&state, &viewer, ctx, None, form, error).await
        }
        Err(AppError::NotFound) if form.space.trim().is_empty() => {
            let error = AppError::invalid("space", "Choose the space the idea is for.");
            refused(&state, &viewer, ctx, None, form, error).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn edit_form(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let page = state.app.idea_page(&viewer, id).await?;
    if !page.is_author {
        return Err(
            AppError::forbidden("author_only", "Only the idea's author can change it.").into(),
        );
    }
    let source = state.app.idea_source(&viewer, id).await?;
    let form = IdeaForm {
        space: page.idea.space_slug.clone(),
        title: page.idea.title.clone(),
        problem: source.problem,
        proposal: source.proposal,
        benefit: source.benefit,
        tags: page.idea.tags.join(", "),
        ..IdeaForm::default()
    };
    Ok(render(
        &form_page(&state, &viewer, ctx, Some(id), form).await?,
    ))
}

pub async fn edit(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<IdeaForm>,
) -> Result<Response, PageError> {
    let result = match form.input() {
        Ok(input) => state.app.edit_idea(&viewer, id, &input).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/ideas/{id}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Nudged(_))) => {
            refused(&state, &viewer, ctx, Some(id), form, error).await
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "ideas/idea.html")]
struct IdeaTemplate {
    ctx: PageCtx,
    page: IdeaPage,
    /// The family tree, drawn.
    tree_svg: Option<String>,
    /// Members of the idea's space a facilitator may name as its owner.
    owners: Vec<SpaceMember>,
    errors: FieldErrors,
    alert: String,
}

async fn idea_template(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
) -> Result<IdeaTemplate, PageError> {
    let page = state.app.idea_page(viewer, id).await?;
    let owners = if page.is_decider {
        state
            .app
            .space_members(viewer, &page.idea.space_slug, MembershipStatus::Active, 0)
            .await?
    } else {
        Vec::new()
    };
    let tree_svg = page.family.layout.as_ref().map(|layout| {
        let labels = page
            .family
            .nodes
            .iter()
            .map(|n| (n.id, n.title.clone()))
            .collect();
        tree::svg(layout, &labels, id)
    });
    Ok(IdeaTemplate {
        ctx,
        page,
        tree_svg,
        owners,
        errors: FieldErrors::new(),
        alert: String::new(),
    })
}

pub async fn show(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    Ok(render(&idea_template(&state, &viewer, ctx, id).await?))
}

/// After a form on the idea's page: back to it, or the page again with the reason.
async fn after(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
    result: Result<(), AppError>,
    anchor: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/ideas/{id}#{anchor}")).into_response()),
        Err(AppError::Invalid(errors) | AppError::Nudged(errors)) => {
            let mut page = idea_template(state, viewer, ctx, id).await?;
            page.errors = errors;
            page.alert = "That was not saved: see below.".into();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteForm {
    on: String,
}

pub async fn vote(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<VoteForm>,
) -> Result<Response, PageError> {
    let result = state.app.vote_idea(&viewer, id, form.on == "yes").await;
    after(&state, &viewer, ctx, id, result.map(|_| ()), "votes").await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveForm {
    status: String,
    #[serde(default)]
    note: String,
}

pub async fn move_idea(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<MoveForm>,
) -> Result<Response, PageError> {
    let result = state
        .app
        .move_idea(&viewer, id, &form.status, &form.note)
        .await;
    after(&state, &viewer, ctx, id, result.map(|_| ()), "decisions").await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerForm {
    #[serde(default)]
    owner: String,
}

pub async fn owner(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<OwnerForm>,
) -> Result<Response, PageError> {
    let owner = form.owner.trim().parse::<i64>().ok();
    let result = state.app.set_idea_owner(&viewer, id, owner).await;
    after(&state, &viewer, ctx, id, result, "decisions").await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergeForm {
    kept: String,
    #[serde(default)]
    merge_note: String,
}

pub async fn merge(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<MergeForm>,
) -> Result<Response, PageError> {
    let result = match form.kept.trim().trim_start_matches('#').parse::<i64>() {
        Ok(kept) => match state
            .app
            .merge_idea(&viewer, id, kept, &form.merge_note)
            .await
        {
            Ok(()) => return Ok(Redirect::to(&format!("/ideas/{kept}")).into_response()),
            Err(error) => Err(error),
        },
        Err(_) => Err(AppError::invalid(
            "kept",
            "Give the number of the idea to keep.",
        )),
    };
    after(&state, &viewer, ctx, id, result, "merge").await
}
