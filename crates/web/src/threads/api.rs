//! The JSON twins of the thread pages and feeds.

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::threads::{FeedPage, PostView, ThreadPage, ThreadSummary};
use guildhall_domain::threads::MAX_ATTACHMENT_BYTES;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct ThreadSummaryDto {
    id: i64,
    space_slug: String,
    space_name: String,
    /// discussion, question, idea, resource, announcement or showcase.
    kind: String,
    title: String,
    excerpt: String,
    link_url: Option<String>,
    author_id: Option<i64>,
    author_name: String,
    created_at: DateTime<Utc>,
    last_activity_at: DateTime<Utc>,
    reply_count: i64,
    pinned: bool,
    locked: bool,
    answered: bool,
    /// The viewer has posts to read here.
    unread: bool,
}

impl From<ThreadSummary> for ThreadSummaryDto {
    fn from(t: ThreadSummary) -> Self {
        ThreadSummaryDto {
            kind: t.kind.as_str().into(),
            id: t.id,
            space_slug: t.space_slug,
            space_name: t.space_name,
            title: t.title,
            excerpt: t.excerpt,
            link_url: t.link_url,
            author_id: t.author_id,
            author_name: t.author_name,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
            reply_count: t.reply_count,
            pinned: t.pinned,
            locked: t.locked,
            answered: t.answered,
            unread: t.unread,
        }
    }
}

/// A page of threads; pass `next` as `cursor` for the following page.
#[derive(Serialize, ToSchema)]
pub struct FeedDto {
    threads: Vec<ThreadSummaryDto>,
    next: Option<String>,
}

impl From<FeedPage> for FeedDto {
    fn from(f: FeedPage) -> Self {
        FeedDto {
            threads: f.threads.into_iter().map(Into::into).collect(),
            next: f.next,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThreadCreatedDto {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReactionDto {
    /// helpful, learned, question or outdated.
    kind: String,
    count: i64,
    mine: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PostDto {
    id: i64,
    author_id: Option<i64>,
    author_name: String,
    reply_to_id: Option<i64>,
    /// Sanitised HTML; empty for a deleted post.
    body_html: String,
    created_at: DateTime<Utc>,
    edited: bool,
    deleted: bool,
    accepted: bool,
    /// Posted since the viewer last read the thread.
    unread: bool,
    /// The platform it came from when not written here (e.g. "the fediverse").
    via: Option<String>,
    reactions: Vec<ReactionDto>,
}

impl From<PostView> for PostDto {
    fn from(p: PostView) -> Self {
        PostDto {
            reactions: p
                .reactions
                .into_iter()
                .map(|r| ReactionDto {
                    kind: r.kind.as_str().into(),
                    count: r.count,
                    mine: r.mine,
                })
                .collect(),
            id: p.id,
            author_id: p.author_id,
            author_name: p.author_name,
            reply_to_id: p.reply_to_id,
            body_html: p.body_html,
            created_at: p.created_at,
            edited: p.edited,
            deleted: p.deleted,
            accepted: p.accepted,
            unread: p.unread,
            via: p.via.map(str::to_owned),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThreadDto {
    thread: ThreadSummaryDto,
    posts: Vec<PostDto>,
    /// Pass as `after` for the following posts.
    next_after: Option<i64>,
    can_reply: bool,
    can_accept: bool,
    can_moderate: bool,
    /// watching, normal or muted.
    subscription: String,
}

impl From<ThreadPage> for ThreadDto {
    fn from(p: ThreadPage) -> Self {
        ThreadDto {
            thread: p.thread.into(),
            posts: p.posts.into_iter().map(Into::into).collect(),
            next_after: p.next_after,
            can_reply: p.can_reply,
            can_accept: p.can_accept,
            can_moderate: p.can_moderate,
            subscription: p.subscription.as_str().into(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    /// Markdown.
    body: String,
    #[serde(default)]
    reply_to: Option<i64>,
    /// After a `content_nudged` answer: publish anyway, held until a moderator approves it.
    #[serde(default)]
    send_for_review: bool,
    /// With `send_for_review`: the author says the check was wrong ("this was not rude"); the
    /// moderator sees a disputed item, kept as training material when approved.
    #[serde(default)]
    not_rude: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PostCreatedDto {
    id: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBody {
    body: String,
    /// After a `content_nudged` answer: publish anyway, held until a moderator approves it.
    #[serde(default)]
    send_for_review: bool,
    /// With `send_for_review`: the author says the check was wrong ("this was not rude"); the
    /// moderator sees a disputed item, kept as training material when approved.
    #[serde(default)]
    not_rude: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReactionBody {
    /// helpful, learned, question or outdated; sending it again takes it back.
    kind: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The reply to accept, or null to clear.
    #[serde(deserialize_with = "crate::forms::required_nullable_id")]
    #[schema(required = true)]
    post_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagsBody {
    pinned: bool,
    locked: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AfterQuery {
    /// Continue after this post id.
    #[serde(default)]
    after: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CursorQuery {
    /// The `next` value of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(thread))
        .routes(routes!(reply))
        .routes(routes!(edit, delete))
        .routes(routes!(react))
        .routes(routes!(accept))
        .routes(routes!(flags))
        .routes(routes!(subscription))
        .routes(routes!(history))
        // Files are larger than other bodies.
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attach))
                .layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + 64 * 1024)),
        )
        .routes(routes!(home_feed))
        .routes(routes!(unanswered))
}

/// A thread with a page of its posts (50 a page).
#[utoipa::path(get, path = "/threads/{id}", tag = "threads", params(("id" = i64, Path, description = "Thread id"), AfterQuery), responses((status = 200, body = ThreadDto)))]
async fn thread(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<AfterQuery>,
) -> ApiResult<Json<ThreadDto>> {
    Ok(Json(
        state
            .app
            .thread_page(&viewer, id, query.after.unwrap_or(0))
            .await?
            .into(),
    ))
}

/// Replies to a thread (members; locked threads only by facilitators).
#[utoipa::path(post, path = "/threads/{id}/posts", tag = "threads", params(("id" = i64, Path, description = "Thread id")), request_body = ReplyBody, responses((status = 201, body = PostCreatedDto)))]
async fn reply(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<ReplyBody>,
) -> ApiResult<(StatusCode, Json<PostCreatedDto>)> {
    let post = state
        .app
        .reply(&viewer, id, &body.body, body.reply_to, body.send_for_review)
        .await?;
    if body.send_for_review && body.not_rude {
        state.app.dispute_check(&viewer, post).await?;
    }
    Ok((StatusCode::CREATED, Json(PostCreatedDto { id: post })))
}

/// Changes a post's text (its author); the previous text is kept.
#[utoipa::path(put, path = "/posts/{id}", tag = "threads", params(("id" = i64, Path, description = "Post id")), request_body = EditBody, responses((status = 204, description = "Saved")))]
async fn edit(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<EditBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .edit_post(&viewer, id, &body.body, body.send_for_review)
        .await?;
    if body.send_for_review && body.not_rude {
        state.app.dispute_check(&viewer, id).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a post (its author or a facilitator); the opening post takes the thread with it.
#[utoipa::path(delete, path = "/posts/{id}", tag = "threads", params(("id" = i64, Path, description = "Post id")), responses((status = 204, description = "Deleted")))]
async fn delete(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.delete_post(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives or takes back a typed reaction.
#[utoipa::path(post, path = "/posts/{id}/reactions", tag = "threads", params(("id" = i64, Path, description = "Post id")), request_body = ReactionBody, responses((status = 204, description = "Toggled")))]
async fn react(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<ReactionBody>,
) -> ApiResult<StatusCode> {
    state.app.react(&viewer, id, &body.kind).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks the accepted answer of a question (the asker or a facilitator).
#[utoipa::path(put, path = "/threads/{id}/accepted", tag = "threads", params(("id" = i64, Path, description = "Thread id")), request_body = AcceptBody, responses((status = 204, description = "Saved")))]
async fn accept(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<AcceptBody>,
) -> ApiResult<StatusCode> {
    state.app.accept_answer(&viewer, id, body.post_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pins or locks a thread (facilitators).
#[utoipa::path(put, path = "/threads/{id}/flags", tag = "threads", params(("id" = i64, Path, description = "Thread id")), request_body = FlagsBody, responses((status = 204, description = "Saved")))]
async fn flags(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<FlagsBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_thread_flags(&viewer, id, body.pinned, body.locked)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Latest activity in the viewer's spaces (25 a page).
#[utoipa::path(get, path = "/feed/home", tag = "threads", params(CursorQuery), responses((status = 200, body = FeedDto)))]
async fn home_feed(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<CursorQuery>,
) -> ApiResult<Json<FeedDto>> {
    Ok(Json(
        state
            .app
            .home_feed(&viewer, query.cursor.as_deref())
            .await?
            .into(),
    ))
}

/// Questions without an accepted answer in spaces the viewer can read.
#[utoipa::path(get, path = "/feed/unanswered", tag = "threads", params(CursorQuery), responses((status = 200, body = FeedDto)))]
async fn unanswered(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<CursorQuery>,
) -> ApiResult<Json<FeedDto>> {
    Ok(Json(
        state
            .app
            .unanswered_questions(&viewer, query.cursor.as_deref())
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionBody {
    /// watching (every reply), normal (replies to you) or muted (nothing).
    level: String,
}

/// How much the viewer hears about a thread.
#[utoipa::path(put, path = "/threads/{id}/subscription", tag = "threads", params(("id" = i64, Path, description = "Thread id")), request_body = SubscriptionBody, responses((status = 204, description = "Saved")))]
async fn subscription(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<SubscriptionBody>,
) -> ApiResult<StatusCode> {
    state.app.set_subscription(&viewer, id, &body.level).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct PostVersionDto {
    body_html: String,
    replaced_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct PostHistoryDto {
    thread_id: i64,
    current_html: String,
    /// Earlier texts, oldest first.
    versions: Vec<PostVersionDto>,
}

/// A post's earlier texts.
#[utoipa::path(get, path = "/posts/{id}/history", tag = "threads", params(("id" = i64, Path, description = "Post id")), responses((status = 200, body = PostHistoryDto)))]
async fn history(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<PostHistoryDto>> {
    let history = state.app.post_history(&viewer, id).await?;
    Ok(Json(PostHistoryDto {
        thread_id: history.thread_id,
        current_html: history.current_html,
        versions: history
            .versions
            .into_iter()
            .map(|v| PostVersionDto {
                body_html: v.body_html,
                replaced_at: v.replaced_at,
            })
            .collect(),
    }))
}

/// The upload form (documentation only: the handler reads the multipart body itself).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// An image (PNG, JPEG, GIF, WebP) or a PDF, at most 10 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct AttachedDto {
    thread_id: i64,
}

/// Attaches a file to one of the viewer's posts (at most five a post).
#[utoipa::path(post, path = "/posts/{id}/attachments", tag = "threads", params(("id" = i64, Path, description = "Post id")), request_body(content = UploadForm, content_type = "multipart/form-data"), responses((status = 201, body = AttachedDto)))]
async fn attach(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<AttachedDto>)> {
    let upload = super::pages::read_upload(multipart).await?;
    let thread_id = state.app.attach(&viewer, id, upload).await?;
    Ok((StatusCode::CREATED, Json(AttachedDto { thread_id })))
}
