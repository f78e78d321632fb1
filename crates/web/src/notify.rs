//! Notifications: the list, marking them read, and the live update stream (Server-Sent Events)
//! that moves the unread count and shows new posts on open pages.

use crate::WebState;
use crate::auth::Member;
use crate::error::{ApiError, PageError};
use crate::forms::{IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use guildhall_app::notify::{LiveEvent, NotificationView};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tokio_stream::wrappers::ReceiverStream;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A stream reconnects by itself (EventSource does); ending it now and then frees resources held
/// by forgotten tabs.
const STREAM_LIFETIME: Duration = Duration::from_secs(15 * 60);

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    ctx: PageCtx,
    notifications: Vec<NotificationView>,
    unread: usize,
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/notifications", get(page))
        .route("/notifications/read", post(read_all))
        .route("/notifications/{id}/read", post(read_one))
        .route("/live", get(live))
}

async fn page(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let notifications = state.app.notifications(&viewer, None).await?;
    let unread = notifications.iter().filter(|n| !n.read).count();
    Ok(render(&NotificationsPage {
        ctx,
        notifications,
        unread,
    }))
}

async fn read_all(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> Result<Response, PageError> {
    state.app.mark_notifications_read(&viewer, None).await?;
    Ok(Redirect::to("/notifications").into_response())
}

async fn read_one(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.mark_notifications_read(&viewer, Some(id)).await?;
    Ok(Redirect::to("/notifications").into_response())
}

#[derive(Debug, Deserialize)]
struct LiveQuery {
    /// Also announce new posts of this thread (when the viewer may read it).
    #[serde(default)]
    thread: Option<i64>,
    /// Also announce new lines of the viewer's monitoring feed (facilitators, moderators).
    #[serde(default)]
    monitor: bool,
}

/// `event: unread` (the new count) and `event: post` (a new post's id in the watched thread).
async fn live(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<LiveQuery>,
) -> Result<Response, PageError> {
    // Reading the thread once checks that the viewer may follow it.
    let thread = match query.thread {
        Some(id) => Some(
            state
                .app
                .thread_page(&viewer, id, i64::MAX)
                .await?
                .thread
                .id,
        ),
        None => None,
    };
    let monitor = match query.monitor {
        true => Some(state.app.monitor_scope(&viewer).await?),
        false => None,
    };
    let user = viewer.id;
    let (sender, receiver) = tokio::sync::mpsc::channel(16);
    let mut events = state.app.subscribe();
    let mut closing = state.app.closing();
    tokio::spawn(async move {
        let deadline = tokio::time::sleep(STREAM_LIFETIME);
        tokio::pin!(deadline);
        loop {
            let event = tokio::select! {
                _ = &mut deadline => break,
                _ = closing.wait_for(|closing| *closing) => break,
                event = events.recv() => event,
            };
            let sse = match event {
                Ok(LiveEvent::Unread { user_id, count }) if user_id == user => {
                    Event::default().event("unread").data(count.to_string())
                }
                Ok(LiveEvent::NewPost { thread_id, post_id }) if Some(thread_id) == thread => {
                    Event::default().event("post").data(post_id.to_string())
                }
                Ok(LiveEvent::Watch {
                    kind,
                    space_id,
                    for_user,
                }) if monitor
                    .as_ref()
                    .is_some_and(|scope| scope.covers(kind, space_id, for_user)) =>
                {
                    Event::default().event("watch").data(kind.as_str())
                }
                Ok(_) | Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            };
            // The page went away: stop listening.
            if sender.send(Ok::<Event, Infallible>(sse)).await.is_err() {
                break;
            }
        }
    });
    let stream = ReceiverStream::new(receiver);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct NotificationDto {
    id: i64,
    /// reply, answer_accepted, mention, new_thread, moderation, follow, endorsement or coaching.
    kind: String,
    text: String,
    url: Option<String>,
    created_at: DateTime<Utc>,
    read: bool,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationsDto {
    unread: i64,
    notifications: Vec<NotificationDto>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BeforeQuery {
    /// Older than this notification id.
    #[serde(default)]
    before: Option<i64>,
}

pub fn api_routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_read))
}

/// The viewer's notifications, newest first (30 a page), and the unread count.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(BeforeQuery), responses((status = 200, body = NotificationsDto)))]
async fn list(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<BeforeQuery>,
) -> Result<Json<NotificationsDto>, ApiError> {
    let notifications = state.app.notifications(&viewer, query.before).await?;
    Ok(Json(NotificationsDto {
        unread: state.app.unread_notifications(&viewer).await?,
        notifications: notifications
            .into_iter()
            .map(|n| NotificationDto {
                id: n.id,
                kind: n.kind,
                text: n.text,
                url: n.url,
                created_at: n.created_at,
                read: n.read,
            })
            .collect(),
    }))
}

/// Marks every notification read.
#[utoipa::path(post, path = "/notifications/read", tag = "notifications", responses((status = 204, description = "All read")))]
async fn mark_read(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> Result<axum::http::StatusCode, ApiError> {
    state.app.mark_notifications_read(&viewer, None).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
