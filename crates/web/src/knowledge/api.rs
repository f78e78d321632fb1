//! The JSON twins of the library pages.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPairPath, IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::AppError;
use guildhall_app::knowledge::{
    CollectionPage, CollectionSummary, LibraryItem, LibraryQuery, ResourceInput, ResourceView,
    SimilarThread,
};
use guildhall_domain::knowledge::Rating;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(library))
        .routes(routes!(add_resource))
        .routes(routes!(resource))
        .routes(routes!(rate, withdraw_rating))
        .routes(routes!(review))
        .routes(routes!(collections, create_collection))
        .routes(routes!(collection))
        .routes(routes!(add_item))
        .routes(routes!(reorder))
        .routes(routes!(set_progress))
        .routes(routes!(similar))
}

#[derive(Serialize, ToSchema)]
pub struct ResourceDto {
    id: i64,
    title: String,
    excerpt: String,
    /// link, file, article or video.
    kind: String,
    url: Option<String>,
    tags: Vec<String>,
    helpful: i64,
    /// Outdated flags since the last review.
    outdated: i64,
    /// fresh, due_for_review or outdated.
    freshness: String,
    last_reviewed_at: DateTime<Utc>,
    owner_id: Option<i64>,
    owner_name: String,
    space_slug: String,
    space_name: String,
    created_at: DateTime<Utc>,
}

impl From<LibraryItem> for ResourceDto {
    fn from(r: LibraryItem) -> Self {
        ResourceDto {
            kind: r.kind.as_str().into(),
            freshness: r.freshness.as_str().into(),
            id: r.id,
            title: r.title,
            excerpt: r.excerpt,
            url: r.url,
            tags: r.tags,
            helpful: r.helpful,
            outdated: r.outdated,
            last_reviewed_at: r.last_reviewed_at,
            owner_id: r.owner_id,
            owner_name: r.owner_name,
            space_slug: r.space_slug,
            space_name: r.space_name,
            created_at: r.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LibraryPageDto {
    resources: Vec<ResourceDto>,
    /// Pass as `cursor` for the next page.
    next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LibraryParams {
    /// A space's slug: only its resources.
    #[serde(default)]
    space: Option<String>,
    /// link, file, article or video.
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    skill: Option<String>,
    /// Only resources flagged outdated or not reviewed for half a year.
    #[serde(default)]
    needs_review: Option<bool>,
    /// newest (default) or helpful.
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

/// The resources the viewer may read, filtered, newest or most helpful first.
#[utoipa::path(get, path = "/library", tag = "knowledge", params(LibraryParams), responses((status = 200, body = LibraryPageDto)))]
async fn library(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<LibraryParams>,
) -> ApiResult<Json<LibraryPageDto>> {
    let query = LibraryQuery {
        space: params.space,
        kind: params.kind,
        tag: params.tag,
        skill: params.skill,
        needs_review: params.needs_review.unwrap_or(false),
        sort: params.sort,
        cursor: params.cursor,
    };
    let page = state.app.library(&viewer, &query).await?;
    Ok(Json(LibraryPageDto {
        resources: page.resources.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceBody {
    /// The space's slug.
    space: String,
    /// link, file, article or video.
    kind: String,
    title: String,
    /// For links and videos: https://…
    #[serde(default)]
    url: String,
    /// Markdown: the article, or a description.
    #[serde(default)]
    body: String,
    /// Separated by commas or spaces.
    #[serde(default)]
    tags: String,
    /// Separated by commas.
    #[serde(default)]
    skills: String,
    /// After a nudge: send it to a moderator as written.
    #[serde(default)]
    send_for_review: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedDto {
    id: i64,
}

/// Adds a resource to a space's library (a thread of kind `resource`). A file resource gets
/// its file through `POST /posts/{id}/attachments` on the opening post.
#[utoipa::path(post, path = "/library/resources", tag = "knowledge", request_body = ResourceBody, responses((status = 201, body = CreatedDto)))]
async fn add_resource(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<ResourceBody>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let input = ResourceInput {
        kind: body.kind,
        title: body.title,
        url: body.url,
        body: body.body,
        tags: body.tags,
        skills: body.skills,
        send_for_review: body.send_for_review,
        not_rude: false,
    };
    let id = state.app.add_resource(&viewer, &body.space, &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

#[derive(Serialize, ToSchema)]
pub struct ResourcePageDto {
    resource: ResourceDto,
    /// The opening post, sanitised HTML.
    body_html: String,
    skills: Vec<String>,
    reply_count: i64,
    /// helpful or outdated.
    my_rating: Option<String>,
    is_owner: bool,
}

impl From<ResourceView> for ResourcePageDto {
    fn from(r: ResourceView) -> Self {
        ResourcePageDto {
            resource: r.item.into(),
            body_html: r.body_html,
            skills: r.skills,
            reply_count: r.reply_count,
            my_rating: r.my_rating.map(|m| m.as_str().into()),
            is_owner: r.is_owner,
        }
    }
}

/// One resource with its ratings and freshness.
#[utoipa::path(get, path = "/library/resources/{id}", tag = "knowledge", params(("id" = i64, Path, description = "The resource's thread id")), responses((status = 200, body = ResourcePageDto)))]
async fn resource(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<ResourcePageDto>> {
    Ok(Json(state.app.resource(&viewer, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingBody {
    /// helpful or outdated.
    rating: String,
}

/// Rates a resource (one rating per reader; not one's own).
#[utoipa::path(put, path = "/library/resources/{id}/rating", tag = "knowledge", params(("id" = i64, Path, description = "The resource's thread id")), request_body = RatingBody, responses((status = 204, description = "Rated")))]
async fn rate(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<RatingBody>,
) -> ApiResult<StatusCode> {
    let rating = Rating::parse(&body.rating)
        .ok_or_else(|| AppError::invalid("rating", "Choose helpful or outdated."))?;
    state.app.rate_resource(&viewer, id, Some(rating)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Withdraws the viewer's rating.
#[utoipa::path(delete, path = "/library/resources/{id}/rating", tag = "knowledge", params(("id" = i64, Path, description = "The resource's thread id")), responses((status = 204, description = "Withdrawn")))]
async fn withdraw_rating(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.rate_resource(&viewer, id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The owner marks the resource reviewed ("still good"): outdated flags are cleared.
#[utoipa::path(post, path = "/library/resources/{id}/review", tag = "knowledge", params(("id" = i64, Path, description = "The resource's thread id")), responses((status = 204, description = "Reviewed")))]
async fn review(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.review_resource(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CollectionSummaryDto {
    id: i64,
    title: String,
    owner_name: String,
    space_name: Option<String>,
    done: usize,
    total: usize,
    /// "3 of 7 done".
    label: String,
}

impl From<CollectionSummary> for CollectionSummaryDto {
    fn from(c: CollectionSummary) -> Self {
        CollectionSummaryDto {
            id: c.id,
            title: c.title,
            owner_name: c.owner_name,
            space_name: c.space_name,
            done: c.done,
            total: c.total,
            label: c.label,
        }
    }
}

/// Learning paths the viewer may see, with their progress along each.
#[utoipa::path(get, path = "/library/collections", tag = "knowledge", responses((status = 200, body = Vec<CollectionSummaryDto>)))]
async fn collections(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<Vec<CollectionSummaryDto>>> {
    let rows = state.app.collections(&viewer).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionBody {
    title: String,
    #[serde(default)]
    description: String,
    /// A space's slug; absent for organisation-wide.
    #[serde(default)]
    space: Option<String>,
}

/// Starts a learning path of the viewer's own.
#[utoipa::path(post, path = "/library/collections", tag = "knowledge", request_body = CollectionBody, responses((status = 201, body = CreatedDto)))]
async fn create_collection(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<CollectionBody>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = state
        .app
        .create_collection(
            &viewer,
            body.space.as_deref(),
            &body.title,
            &body.description,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

#[derive(Serialize, ToSchema)]
pub struct CollectionItemDto {
    id: i64,
    title: String,
    kind: String,
    url: Option<String>,
    space_name: String,
    done: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CollectionDto {
    id: i64,
    title: String,
    description_html: String,
    owner_id: Option<i64>,
    owner_name: String,
    space_name: Option<String>,
    created_at: DateTime<Utc>,
    /// In order; only the steps the viewer may read.
    items: Vec<CollectionItemDto>,
    done: usize,
    total: usize,
    label: String,
    next: Option<i64>,
    may_edit: bool,
}

impl From<CollectionPage> for CollectionDto {
    fn from(c: CollectionPage) -> Self {
        CollectionDto {
            id: c.id,
            title: c.title,
            description_html: c.description_html,
            owner_id: c.owner_id,
            owner_name: c.owner_name,
            space_name: c.space_name,
            created_at: c.created_at,
            items: c
                .items
                .into_iter()
                .map(|i| CollectionItemDto {
                    id: i.id,
                    title: i.title,
                    kind: i.kind.as_str().into(),
                    url: i.url,
                    space_name: i.space_name,
                    done: i.done,
                })
                .collect(),
            done: c.done,
            total: c.total,
            label: c.label,
            next: c.next,
            may_edit: c.may_edit,
        }
    }
}

/// A learning path with the viewer's progress.
#[utoipa::path(get, path = "/library/collections/{id}", tag = "knowledge", params(("id" = i64, Path, description = "The collection")), responses((status = 200, body = CollectionDto)))]
async fn collection(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<CollectionDto>> {
    Ok(Json(state.app.collection_page(&viewer, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// The resource's thread id.
    resource: i64,
}

/// Adds a resource the viewer may read to the end of a collection they may edit.
#[utoipa::path(post, path = "/library/collections/{id}/items", tag = "knowledge", params(("id" = i64, Path, description = "The collection")), request_body = ItemBody, responses((status = 204, description = "Added")))]
async fn add_item(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<ItemBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .add_to_collection(&viewer, id, body.resource)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// Every resource of the collection, each once, in the new order.
    order: Vec<i64>,
}

/// Puts a collection's steps in a new order.
#[utoipa::path(put, path = "/library/collections/{id}/order", tag = "knowledge", params(("id" = i64, Path, description = "The collection")), request_body = OrderBody, responses((status = 204, description = "Reordered")))]
async fn reorder(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<OrderBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .reorder_collection(&viewer, id, &body.order)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    done: bool,
}

/// Marks a step of a path done (or not) for the viewer; answers the path with their progress.
#[utoipa::path(put, path = "/library/collections/{id}/progress/{resource}", tag = "knowledge", params(("id" = i64, Path, description = "The collection"), ("resource" = i64, Path, description = "The step's resource id")), request_body = ProgressBody, responses((status = 200, body = CollectionDto)))]
async fn set_progress(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPairPath(id, resource): IdPairPath,
    JsonBody(body): JsonBody<ProgressBody>,
) -> ApiResult<Json<CollectionDto>> {
    let page = state
        .app
        .mark_done(&viewer, id, resource, body.done)
        .await?;
    Ok(Json(page.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimilarParams {
    /// The question being written (title and text).
    text: String,
    /// The space's slug: its threads are looked at first.
    #[serde(default)]
    space: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SimilarDto {
    id: i64,
    /// question or resource.
    kind: String,
    title: String,
    excerpt: String,
    space_slug: String,
    space_name: String,
    /// 0 to 1.
    score: f64,
    /// Where to read it.
    url: String,
}

impl From<SimilarThread> for SimilarDto {
    fn from(s: SimilarThread) -> Self {
        let url = if s.kind.as_str() == "resource" {
            format!("/library/{}", s.id)
        } else {
            format!("/t/{}", s.id)
        };
        SimilarDto {
            kind: s.kind.as_str().into(),
            id: s.id,
            title: s.title,
            excerpt: s.excerpt,
            space_slug: s.space_slug,
            space_name: s.space_name,
            score: s.score,
            url,
        }
    }
}

/// Up to three questions and resources the viewer may read that are most like a question
/// being written (by meaning, blended with shared words).
#[utoipa::path(get, path = "/similar", tag = "knowledge", params(SimilarParams), responses((status = 200, body = Vec<SimilarDto>)))]
async fn similar(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<SimilarParams>,
) -> ApiResult<Json<Vec<SimilarDto>>> {
    let rows = state
        .app
        .similar(&viewer, &params.text, params.space.as_deref())
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}
