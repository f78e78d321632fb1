//! The JSON twins of the idea pages.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::ideas::{BoardQuery, IdeaCard, IdeaInput, IdeaPage};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(board, propose))
        .routes(routes!(similar))
        .routes(routes!(gallery))
        .routes(routes!(idea, edit))
        .routes(routes!(vote, withdraw_vote))
        .routes(routes!(move_idea))
        .routes(routes!(set_owner))
        .routes(routes!(merge))
        .routes(routes!(build_on))
}

#[derive(Serialize, ToSchema)]
pub struct IdeaCardDto {
    id: i64,
    space_slug: String,
    space_name: String,
    title: String,
    excerpt: String,
    author_id: Option<i64>,
    author_name: String,
    /// proposal, under_discussion, piloting, adopted, implemented, parked or merged.
    status: String,
    votes: i64,
    comments: i64,
    tags: Vec<String>,
    /// The caller voted for it.
    voted: bool,
    created_at: DateTime<Utc>,
    implemented_at: Option<DateTime<Utc>>,
}

impl From<IdeaCard> for IdeaCardDto {
    fn from(c: IdeaCard) -> Self {
        IdeaCardDto {
            id: c.id,
            space_slug: c.space_slug,
            space_name: c.space_name,
            title: c.title,
            excerpt: c.excerpt,
            author_id: c.author_id,
            author_name: c.author_name,
            status: c.status.as_str().to_owned(),
            votes: c.votes,
            comments: c.replies,
            tags: c.tags,
            voted: c.voted,
            created_at: c.created_at,
            implemented_at: c.implemented_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// One space's board (its slug); every space the caller may read otherwise.
    #[serde(default)]
    space: Option<String>,
    /// Only ideas with this status; without it, every idea except merged ones.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    tag: Option<String>,
    /// `votes` for the most votes first; newest first otherwise.
    #[serde(default)]
    order: Option<String>,
    /// The `next` of the previous page.
    #[serde(default)]
    cursor: Option<String>,
}

impl BoardParams {
    /// The board asked for; `space` (a space's own board page) wins over the parameter.
    pub(super) fn query(self, space: Option<String>) -> BoardQuery {
        BoardQuery {
            space: space.or(self.space),
            status: self.status,
            tag: self.tag,
            order: self.order,
            cursor: self.cursor,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BoardDto {
    ideas: Vec<IdeaCardDto>,
    next: Option<String>,
}

/// An idea board: one space's, or the organisation's.
#[utoipa::path(get, path = "/ideas", tag = "ideas", params(BoardParams), responses((status = 200, body = BoardDto)))]
async fn board(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<BoardParams>,
) -> ApiResult<Json<BoardDto>> {
    let board = state.app.idea_board(&viewer, &params.query(None)).await?;
    Ok(Json(BoardDto {
        ideas: board.ideas.into_iter().map(Into::into).collect(),
        next: board.next,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdeaBody {
    /// The space's slug (ignored when changing an idea).
    #[serde(default)]
    space: String,
    title: String,
    problem: String,
    proposal: String,
    #[serde(default)]
    benefit: String,
    /// Tags separated by commas or spaces.
    #[serde(default)]
    tags: String,
    /// The idea this one builds on.
    #[serde(default)]
    builds_on: Option<i64>,
    /// After a 422 `nudged`: send it for a moderator to read as written.
    #[serde(default)]
    send_for_review: bool,
}

impl IdeaBody {
    fn input(self) -> IdeaInput {
        IdeaInput {
            title: self.title,
            problem: self.problem,
            proposal: self.proposal,
            benefit: self.benefit,
            tags: self.tags,
            builds_on: self.builds_on,
            send_for_review: self.send_for_review,
            not_rude: false,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CreatedDto {
    id: i64,
}

/// Proposes an idea in a space the caller belongs to.
#[utoipa::path(post, path = "/ideas", tag = "ideas", request_body = IdeaBody, responses((status = 201, body = CreatedDto)))]
async fn propose(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<IdeaBody>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let space = body.space.clone();
    let id = state
        .app
        .propose_idea(&viewer, &space, &body.input())
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarParams {
    /// The draft's title as typed so far.
    #[serde(default)]
    title: String,
    /// The rest of the draft (problem and proposal) as typed so far.
    #[serde(default)]
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct SimilarDto {
    id: i64,
    title: String,
    /// 0 to 1: how many of the draft's words the idea shares.
    score: f64,
}

/// Ideas like a draft, to vote for or build on instead of repeating them.
#[utoipa::path(get, path = "/ideas/similar", tag = "ideas", params(SimilarParams), responses((status = 200, body = Vec<SimilarDto>)))]
async fn similar(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<SimilarParams>,
) -> ApiResult<Json<Vec<SimilarDto>>> {
    let found = state
        .app
        .similar_ideas(&viewer, &params.title, &params.text)
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|s| SimilarDto {
                id: s.id,
                title: s.title,
                score: s.score,
            })
            .collect(),
    ))
}

/// Ideas that became work, most recent first.
#[utoipa::path(get, path = "/ideas/became-work", tag = "ideas", responses((status = 200, body = Vec<IdeaCardDto>)))]
async fn gallery(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<Vec<IdeaCardDto>>> {
    let ideas = state.app.idea_gallery(&viewer, None).await?;
    Ok(Json(ideas.into_iter().map(Into::into).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct DecisionDto {
    from: String,
    to: String,
    note: String,
    actor_name: String,
    at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct FamilyNodeDto {
    id: i64,
    title: String,
    status: String,
    /// The caller may open it; otherwise its title is withheld.
    readable: bool,
}

#[derive(Serialize, ToSchema)]
pub struct FamilyLinkDto {
    child: i64,
    parent: i64,
    /// builds_on or merged.
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreditedDto {
    person_id: i64,
    name: String,
    /// The idea that earns them the credit.
    idea_id: i64,
    wording: String,
}

#[derive(Serialize, ToSchema)]
pub struct IdeaDto {
    #[serde(flatten)]
    card: IdeaCardDto,
    problem_html: String,
    proposal_html: String,
    benefit_html: String,
    parked_reason: Option<String>,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    decisions: Vec<DecisionDto>,
    family: Vec<FamilyNodeDto>,
    links: Vec<FamilyLinkDto>,
    merged_into: Option<i64>,
    /// Everyone credited when it is adopted and implemented (or already credited).
    credited: Vec<CreditedDto>,
    /// Statuses the caller may move it to.
    moves: Vec<String>,
    can_vote: bool,
}

impl From<IdeaPage> for IdeaDto {
    fn from(p: IdeaPage) -> Self {
        IdeaDto {
            problem_html: p.problem_html,
            proposal_html: p.proposal_html,
            benefit_html: p.benefit_html,
            parked_reason: p.parked_reason,
            owner_id: p.owner.as_ref().map(|(id, _)| *id),
            owner_name: p.owner.map(|(_, name)| name),
            decisions: p
                .decisions
                .into_iter()
                .map(|d| DecisionDto {
                    from: d.from.as_str().to_owned(),
                    to: d.to.as_str().to_owned(),
                    note: d.note,
                    actor_name: d.actor_name,
                    at: d.at,
                })
                .collect(),
            family: p
                .family
                .nodes
                .into_iter()
                .map(|n| FamilyNodeDto {
                    id: n.id,
                    title: n.title,
                    status: n.status.as_str().to_owned(),
                    readable: n.readable,
                })
                .collect(),
            links: p
                .family
                .links
                .into_iter()
                .map(|(child, parent, kind)| FamilyLinkDto {
                    child,
                    parent,
                    kind: kind.as_str().to_owned(),
                })
                .collect(),
            merged_into: p.family.merged_into.map(|n| n.id),
            credited: p
                .family
                .credited
                .into_iter()
                .map(|c| CreditedDto {
                    person_id: c.person_id,
                    name: c.name,
                    idea_id: c.idea_id,
                    wording: c.wording.to_owned(),
                })
                .collect(),
            moves: p.moves.iter().map(|s| s.as_str().to_owned()).collect(),
            can_vote: p.can_vote,
            card: p.idea.into(),
        }
    }
}

/// An idea with its decisions, family and the people credited.
#[utoipa::path(get, path = "/ideas/{id}", tag = "ideas", params(("id" = i64, Path)), responses((status = 200, body = IdeaDto), (status = 404)))]
async fn idea(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<IdeaDto>> {
    Ok(Json(state.app.idea_page(&viewer, id).await?.into()))
}

/// The author changes their idea (the previous text is kept in its history).
#[utoipa::path(put, path = "/ideas/{id}", tag = "ideas", params(("id" = i64, Path)), request_body = IdeaBody, responses((status = 204, description = "Saved")))]
async fn edit(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<IdeaBody>,
) -> ApiResult<StatusCode> {
    state.app.edit_idea(&viewer, id, &body.input()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct VotesDto {
    votes: i64,
}

/// Votes for an idea (once; not one's own; while it is being decided on).
#[utoipa::path(put, path = "/ideas/{id}/vote", tag = "ideas", params(("id" = i64, Path)), responses((status = 200, body = VotesDto)))]
async fn vote(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<VotesDto>> {
    let votes = state.app.vote_idea(&viewer, id, true).await?;
    Ok(Json(VotesDto { votes }))
}

/// Takes the caller's vote back.
#[utoipa::path(delete, path = "/ideas/{id}/vote", tag = "ideas", params(("id" = i64, Path)), responses((status = 200, body = VotesDto)))]
async fn withdraw_vote(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<VotesDto>> {
    let votes = state.app.vote_idea(&viewer, id, false).await?;
    Ok(Json(VotesDto { votes }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    /// proposal, under_discussion, piloting, adopted, implemented or parked.
    status: String,
    /// Why; required when parking.
    #[serde(default)]
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatusDto {
    status: String,
}

/// Moves an idea along its road. Adopting and implementing credit everyone behind it.
#[utoipa::path(post, path = "/ideas/{id}/status", tag = "ideas", params(("id" = i64, Path)), request_body = MoveBody, responses((status = 200, body = StatusDto), (status = 403)))]
async fn move_idea(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<MoveBody>,
) -> ApiResult<Json<StatusDto>> {
    let status = state
        .app
        .move_idea(&viewer, id, &body.status, &body.note)
        .await?;
    Ok(Json(StatusDto {
        status: status.as_str().to_owned(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerBody {
    /// A member of the idea's space; `null` for nobody.
    owner_id: Option<i64>,
}

/// Names who carries the idea forward (facilitators and administrators).
#[utoipa::path(put, path = "/ideas/{id}/owner", tag = "ideas", params(("id" = i64, Path)), request_body = OwnerBody, responses((status = 204, description = "Saved")))]
async fn set_owner(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<OwnerBody>,
) -> ApiResult<StatusCode> {
    state.app.set_idea_owner(&viewer, id, body.owner_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The idea that stays.
    into: i64,
    #[serde(default)]
    note: String,
}

/// Merges this idea (a duplicate) into another: lineage, votes and credit carry over.
#[utoipa::path(post, path = "/ideas/{id}/merge", tag = "ideas", params(("id" = i64, Path)), request_body = MergeBody, responses((status = 204, description = "Merged")))]
async fn merge(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<MergeBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .merge_idea(&viewer, id, body.into, &body.note)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildsOnBody {
    /// The idea this one builds on.
    parent: i64,
}

/// The author says their idea builds on another one (at most three; no circles).
#[utoipa::path(post, path = "/ideas/{id}/builds-on", tag = "ideas", params(("id" = i64, Path)), request_body = BuildsOnBody, responses((status = 204, description = "Linked")))]
async fn build_on(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<BuildsOnBody>,
) -> ApiResult<StatusCode> {
    state.app.build_on(&viewer, id, body.parent).await?;
    Ok(StatusCode::NO_CONTENT)
}
