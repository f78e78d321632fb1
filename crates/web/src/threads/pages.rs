//! Thread pages and feeds. Each handler calls one `app` action; permission checks live there.

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use crate::spaces::pages::{ThreadForm, space_page};
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::people::Viewer;
use guildhall_app::threads::{FeedPage, ThreadInput, ThreadPage, Upload};
use guildhall_domain::FieldErrors;
use guildhall_domain::threads::{ReactionKind, Subscription};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "threads/thread.html")]
struct ThreadTemplate {
    ctx: PageCtx,
    page: ThreadPage,
    reaction_kinds: &'static [ReactionKind],
    subscription_levels: &'static [Subscription],
    reply_to: Option<i64>,
    draft: String,
    errors: FieldErrors,
    /// The content check nudged: offer "send for review as written" beside rephrasing.
    nudged: bool,
    alert: String,
}

#[derive(Template)]
#[template(path = "threads/edit.html")]
struct EditTemplate {
    ctx: PageCtx,
    thread_id: i64,
    post_id: i64,
    body: String,
    errors: FieldErrors,
    nudged: bool,
}

#[derive(Template)]
#[template(path = "threads/feed.html")]
struct FeedTemplate {
    ctx: PageCtx,
    heading: &'static str,
    intro: &'static str,
    path: &'static str,
    feed: FeedPage,
}

pub async fn start(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
    FormBody(form): FormBody<ThreadForm>,
) -> Result<Response, PageError> {
    let input = ThreadInput {
        kind: form.kind.clone(),
        title: form.title.clone(),
        body: form.body.clone(),
        link: form.link.clone(),
        send_for_review: form.send_for_review.is_some(),
        not_rude: disputes(form.send_for_review.as_deref()),
    };
    match state.app.start_thread(&viewer, &slug, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/t/{id}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Nudged(_))) => {
            let nudged = matches!(error, AppError::Nudged(_));
            let mut page = space_page(&state, &viewer, ctx, &slug, None).await?;
            page.form = form;
            page.errors = field_errors(error);
            page.nudged = nudged;
            page.alert = not_posted("The thread", nudged);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// The field messages of a refused or nudged post.
fn field_errors(error: AppError) -> FieldErrors {
    match error {
        AppError::Invalid(errors) | AppError::Nudged(errors) => errors,
        _ => FieldErrors::new(),
    }
}

fn not_posted(what: &str, nudged: bool) -> String {
    if nudged {
        format!(
            "{what} may read as mocking or rude: rephrase it, or send it for review as written."
        )
    } else {
        format!("{what} was not posted: see below.")
    }
}

#[derive(Debug, Deserialize)]
pub struct ThreadQuery {
    #[serde(default)]
    after: i64,
    #[serde(default)]
    reply_to: Option<i64>,
    /// Start the reply with the quoted post.
    #[serde(default)]
    quote: bool,
}

async fn thread_template(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
    after: i64,
) -> Result<ThreadTemplate, PageError> {
    Ok(ThreadTemplate {
        ctx,
        page: state.app.thread_page(viewer, id, after).await?,
        reaction_kinds: ReactionKind::ALL,
        subscription_levels: Subscription::ALL,
        reply_to: None,
        draft: String::new(),
        errors: FieldErrors::new(),
        nudged: false,
        alert: String::new(),
    })
}

pub async fn show(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<ThreadQuery>,
) -> Result<Response, PageError> {
    let mut template = thread_template(&state, &viewer, ctx, id, query.after).await?;
    template.reply_to = query
        .reply_to
        .filter(|target| template.page.posts.iter().any(|p| p.id == *target));
    if let (Some(target), true) = (template.reply_to, query.quote) {
        template.draft = state.app.quote(&viewer, target).await?;
    }
    Ok(render(&template))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyForm {
    body: String,
    #[serde(default)]
    reply_to: Option<i64>,
    #[serde(default)]
    send_for_review: Option<String>,
}

pub async fn reply(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<ReplyForm>,
) -> Result<Response, PageError> {
    match state
        .app
        .reply(
            &viewer,
            id,
            &form.body,
            form.reply_to,
            form.send_for_review.is_some(),
        )
        .await
    {
        Ok(post) => {
            if disputes(form.send_for_review.as_deref()) {
                state.app.dispute_check(&viewer, post).await?;
            }
            Ok(Redirect::to(&format!("/t/{id}#post-{post}")).into_response())
        }
        Err(error @ (AppError::Invalid(_) | AppError::Nudged(_))) => {
            let nudged = matches!(error, AppError::Nudged(_));
            let mut template = thread_template(&state, &viewer, ctx, id, 0).await?;
            template.draft = form.body;
            template.reply_to = form.reply_to;
            template.errors = field_errors(error);
            template.nudged = nudged;
            template.alert = not_posted("The reply", nudged);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&template)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// The nudge's second button: "This was not rude" sends for review and disputes the check.
fn disputes(send_for_review: Option<&str>) -> bool {
    send_for_review == Some("not_rude")
}

pub async fn edit_form(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let (thread_id, body) = state.app.post_source(&viewer, id).await?;
    Ok(render(&EditTemplate {
        ctx,
        thread_id,
        post_id: id,
        body,
        errors: FieldErrors::new(),
        nudged: false,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditForm {
    body: String,
    #[serde(default)]
    send_for_review: Option<String>,
}

pub async fn edit(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<EditForm>,
) -> Result<Response, PageError> {
    let sent = form.send_for_review.is_some();
    match state.app.edit_post(&viewer, id, &form.body, sent).await {
        Ok(thread_id) => {
            if disputes(form.send_for_review.as_deref()) {
                state.app.dispute_check(&viewer, id).await?;
            }
            Ok(Redirect::to(&format!("/t/{thread_id}#post-{id}")).into_response())
        }
        Err(error @ (AppError::Invalid(_) | AppError::Nudged(_))) => {
            let nudged = matches!(error, AppError::Nudged(_));
            let (thread_id, _) = state.app.post_source(&viewer, id).await?;
            let template = EditTemplate {
                ctx,
                thread_id,
                post_id: id,
                body: form.body,
                errors: field_errors(error),
                nudged,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&template)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn delete(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let target = match state.app.delete_post(&viewer, id).await? {
        Some(thread_id) => format!("/t/{thread_id}"),
        None => "/".to_owned(),
    };
    Ok(Redirect::to(&target).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReactForm {
    kind: String,
}

pub async fn react(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<ReactForm>,
) -> Result<Response, PageError> {
    let thread_id = state.app.react(&viewer, id, &form.kind).await?;
    Ok(Redirect::to(&format!("/t/{thread_id}#post-{id}")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptForm {
    /// Empty to clear the accepted answer.
    post_id: String,
}

pub async fn accept(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<AcceptForm>,
) -> Result<Response, PageError> {
    let post_id = match form.post_id.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .map_err(|_| AppError::invalid("post_id", "Choose a reply."))?,
        ),
    };
    state.app.accept_answer(&viewer, id, post_id).await?;
    Ok(Redirect::to(&format!("/t/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagsForm {
    pinned: bool,
    locked: bool,
}

pub async fn flags(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<FlagsForm>,
) -> Result<Response, PageError> {
    state
        .app
        .set_thread_flags(&viewer, id, form.pinned, form.locked)
        .await?;
    Ok(Redirect::to(&format!("/t/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CursorQuery {
    #[serde(default)]
    cursor: Option<String>,
}

pub async fn unanswered(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<CursorQuery>,
) -> Result<Response, PageError> {
    let feed = state
        .app
        .unanswered_questions(&viewer, query.cursor.as_deref())
        .await?;
    Ok(render(&FeedTemplate {
        ctx,
        heading: "Unanswered questions",
        intro: "Questions without an accepted answer, in spaces you can read. Can you help?",
        path: "/questions",
        feed,
    }))
}

pub async fn mine(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<CursorQuery>,
) -> Result<Response, PageError> {
    let feed = state
        .app
        .my_threads(&viewer, query.cursor.as_deref())
        .await?;
    Ok(render(&FeedTemplate {
        ctx,
        heading: "Your threads",
        intro: "Threads you started, latest activity first.",
        path: "/me/threads",
        feed,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionForm {
    level: String,
}

pub async fn subscribe(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<SubscriptionForm>,
) -> Result<Response, PageError> {
    state.app.set_subscription(&viewer, id, &form.level).await?;
    Ok(Redirect::to(&format!("/t/{id}")).into_response())
}

pub async fn attach(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let upload = read_upload(multipart).await?;
    match state.app.attach(&viewer, id, upload).await {
        Ok(thread) => Ok(Redirect::to(&format!("/t/{thread}#post-{id}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let status = crate::error::status_of(&error);
            let alert = match &error {
                AppError::Invalid(fields) => fields
                    .get("file")
                    .unwrap_or("The file was not attached.")
                    .to_owned(),
                other => other.public_message(),
            };
            let thread = guildhall_app::threads::thread_of_post(&state.app, &viewer, id).await?;
            let mut template = thread_template(&state, &viewer, ctx, thread, 0).await?;
            template.alert = alert;
            Ok((status, render(&template)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

/// The `file` field of a multipart upload.
pub async fn read_upload(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, AppError> {
    let unreadable = |_| {
        AppError::BadRequest("The upload could not be read; files are limited to 10 MB.".into())
    };
    let mut multipart = multipart
        .map_err(|_| AppError::BadRequest("Send the file as multipart/form-data.".into()))?;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() == Some("file") {
            let file_name = field.file_name().unwrap_or("file").to_owned();
            let bytes = field.bytes().await.map_err(unreadable)?;
            return Ok(Upload {
                file_name,
                bytes: bytes.to_vec(),
            });
        }
    }
    Err(AppError::invalid("file", "Choose a file to attach."))
}

/// Serves an attachment: images inline, PDFs as downloads, both sandboxed and never sniffed.
pub async fn attachment(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let file = state.app.attachment_file(&viewer, id).await?;
    let disposition = if file.kind.is_image() {
        "inline"
    } else {
        "attachment"
    };
    let headers = [
        (header::CONTENT_TYPE, file.kind.content_type().to_owned()),
        (
            header::CONTENT_DISPOSITION,
            format!("{disposition}; filename=\"{}\"", file.file_name),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox".to_owned(),
        ),
        (header::CACHE_CONTROL, "private, max-age=3600".to_owned()),
    ];
    Ok((headers, file.bytes).into_response())
}

#[derive(Template)]
#[template(path = "threads/history.html")]
struct HistoryTemplate {
    ctx: PageCtx,
    history: guildhall_app::threads::PostHistory,
}

/// A post's own address (ledger lines and notifications link to it): its place in its thread.
pub async fn show_post(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let address = state.app.post_address(&viewer, id).await?;
    Ok(Redirect::to(&address).into_response())
}

pub async fn history(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    Ok(render(&HistoryTemplate {
        ctx,
        history: state.app.post_history(&viewer, id).await?,
    }))
}
