//! Rewards pages. Each handler calls one `app` action; who may do what is decided there.

use crate::WebState;
use crate::auth::{CurrentViewer, Member, Moderator};
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::rewards::{BadgePage, BadgeRow, Kudos, Leaderboard, MyRewards};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "rewards/mine.html")]
struct MineTemplate {
    ctx: PageCtx,
    mine: MyRewards,
}

pub async fn mine(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, PageError> {
    let mine = state.app.my_rewards(&viewer, query.before).await?;
    Ok(render(&MineTemplate { ctx, mine }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceForm {
    on: String,
}

pub async fn leaderboard_choice(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<ChoiceForm>,
) -> Result<Response, PageError> {
    state
        .app
        .set_leaderboard_choice(&viewer, form.on == "yes")
        .await?;
    Ok(Redirect::to("/me/rewards#leaderboards").into_response())
}

#[derive(Template)]
#[template(path = "rewards/recognition.html")]
struct RecognitionTemplate {
    ctx: PageCtx,
    kudos: Vec<Kudos>,
    next: Option<i64>,
    /// Someone to thank, from a profile's "Give kudos" link.
    to: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RecognitionQuery {
    #[serde(default)]
    before: Option<i64>,
    #[serde(default)]
    to: Option<i64>,
}

pub async fn recognition(
    State(state): State<WebState>,
    Member(_viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<RecognitionQuery>,
) -> Result<Response, PageError> {
    let (kudos, next) = state.app.kudos(None, query.before).await?;
    Ok(render(&RecognitionTemplate {
        ctx,
        kudos,
        next,
        to: query.to,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KudosForm {
    person: i64,
    message: String,
}

pub async fn give_kudos(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<KudosForm>,
) -> Result<Response, PageError> {
    let id = state
        .app
        .give_kudos(&viewer, form.person, &form.message)
        .await?;
    Ok(Redirect::to(&format!("/recognition#kudos-{id}")).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovalForm {
    reason: String,
}

pub async fn remove_kudos(
    State(state): State<WebState>,
    Moderator { 0: viewer, .. }: Moderator,
    IdPath(id): IdPath,
    FormBody(form): FormBody<RemovalForm>,
) -> Result<Response, PageError> {
    state.app.remove_kudos(&viewer, id, &form.reason).await?;
    Ok(Redirect::to("/recognition").into_response())
}

#[derive(Template)]
#[template(path = "rewards/badges.html")]
struct BadgesTemplate {
    ctx: PageCtx,
    badges: Vec<BadgeRow>,
    may_create: bool,
}

pub async fn badges(
    State(state): State<WebState>,
    CurrentViewer(viewer): CurrentViewer,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let badges = state.app.badges().await?;
    let may_create = viewer.as_ref().is_some_and(|v| {
        v.has(guildhall_domain::people::Role::Facilitator)
            || v.has(guildhall_domain::people::Role::Admin)
    });
    Ok(render(&BadgesTemplate {
        ctx,
        badges,
        may_create,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BadgeForm {
    name: String,
    criteria: String,
    emoji: String,
}

pub async fn create_badge(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<BadgeForm>,
) -> Result<Response, PageError> {
    let slug = state
        .app
        .create_badge(&viewer, &form.name, &form.criteria, &form.emoji)
        .await?;
    Ok(Redirect::to(&format!("/badges/{slug}")).into_response())
}

#[derive(Template)]
#[template(path = "rewards/badge.html")]
struct BadgeTemplate {
    ctx: PageCtx,
    badge: BadgePage,
}

pub async fn badge(
    State(state): State<WebState>,
    CurrentViewer(viewer): CurrentViewer,
    ctx: PageCtx,
    Path(slug): Path<String>,
    QueryParams(query): QueryParams<PageQuery>,
) -> Result<Response, PageError> {
    let badge = state
        .app
        .badge_page(viewer.as_ref(), &slug, query.before)
        .await?;
    Ok(render(&BadgeTemplate { ctx, badge }))
}

/// The badge's image (public, cached for a day: it changes only with the badge's name).
pub async fn badge_image(
    State(state): State<WebState>,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let badge = state.app.badge(&slug).await?;
    let svg = super::image::badge_svg(&badge.slug, &badge.name, &badge.emoji);
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardForm {
    badge: String,
    reason: String,
}

/// A facilitator awards a hand-made badge from the person's profile.
pub async fn award(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(person): IdPath,
    FormBody(form): FormBody<AwardForm>,
) -> Result<Response, PageError> {
    state
        .app
        .award_badge(&viewer, &form.badge, person, &form.reason)
        .await?;
    Ok(Redirect::to(&format!("/people/{person}#recognition")).into_response())
}

#[derive(Template)]
#[template(path = "rewards/leaderboard.html")]
struct LeaderboardTemplate {
    ctx: PageCtx,
    slug: String,
    board: Leaderboard,
}

#[derive(Debug, Default, Deserialize)]
pub struct MonthQuery {
    #[serde(default)]
    month: Option<String>,
}

pub async fn leaderboard(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    Path(slug): Path<String>,
    QueryParams(query): QueryParams<MonthQuery>,
) -> Result<Response, PageError> {
    let board = state
        .app
        .leaderboard(&viewer, &slug, query.month.as_deref())
        .await?;
    Ok(render(&LeaderboardTemplate { ctx, slug, board }))
}

pub async fn space_leaderboard(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    FormBody(form): FormBody<ChoiceForm>,
) -> Result<Response, PageError> {
    let on = form.on == "yes";
    state.app.set_space_leaderboard(&viewer, &slug, on).await?;
    Ok(Redirect::to(&format!("/s/{slug}/leaderboard")).into_response())
}
