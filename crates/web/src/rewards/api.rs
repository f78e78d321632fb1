//! The JSON twins of the rewards pages.

use crate::WebState;
use crate::auth::{CurrentViewer, Member};
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::AppError;
use guildhall_app::rewards::{BadgeAward, BadgePage, CredentialView, Kudos, LedgerLine};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(my_rewards, set_leaderboard_choice))
        .routes(routes!(my_credentials))
        .routes(routes!(kudos_feed, give_kudos))
        .routes(routes!(remove_kudos))
        .routes(routes!(badges, create_badge))
        .routes(routes!(badge))
        .routes(routes!(award_badge))
        .routes(routes!(revoke_credential))
        .routes(routes!(leaderboard, set_space_leaderboard))
}

#[derive(Serialize, ToSchema)]
pub struct LedgerLineDto {
    id: i64,
    /// answer_accepted, helpful_reaction, resource_rated_helpful, idea_built_on, idea_adopted,
    /// idea_implemented, check_in_streak, coaching_session_given or event_attended.
    rule: String,
    label: String,
    /// Negative for a reversal (the content was removed).
    points: i64,
    link: Option<String>,
    actor_name: Option<String>,
    space_name: Option<String>,
    at: DateTime<Utc>,
}

impl From<LedgerLine> for LedgerLineDto {
    fn from(l: LedgerLine) -> Self {
        LedgerLineDto {
            id: l.id,
            rule: l.rule,
            label: l.label,
            points: l.points,
            link: l.link,
            actor_name: l.actor_name,
            space_name: l.space_name,
            at: l.at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct KudosDto {
    id: i64,
    from_id: i64,
    from_name: String,
    to_id: i64,
    to_name: String,
    message: String,
    created_at: DateTime<Utc>,
}

impl From<Kudos> for KudosDto {
    fn from(k: Kudos) -> Self {
        KudosDto {
            id: k.id,
            from_id: k.from_id,
            from_name: k.from_name,
            to_id: k.to_id,
            to_name: k.to_name,
            message: k.message,
            created_at: k.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BadgeAwardDto {
    slug: String,
    name: String,
    emoji: String,
    criteria: String,
    person_id: i64,
    person_name: String,
    awarded_by: Option<String>,
    reason: String,
    /// The credential is at `/credentials/{credential_key}` (page, `.json`, `.jwt`).
    credential_key: String,
    revoked: bool,
    awarded_at: DateTime<Utc>,
}

impl From<BadgeAward> for BadgeAwardDto {
    fn from(b: BadgeAward) -> Self {
        BadgeAwardDto {
            slug: b.slug,
            name: b.name,
            emoji: b.emoji,
            criteria: b.criteria,
            person_id: b.person_id,
            person_name: b.person_name,
            awarded_by: b.awarded_by,
            reason: b.reason,
            credential_key: b.credential_key,
            revoked: b.revoked,
            awarded_at: b.awarded_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MyRewardsDto {
    total: i64,
    /// Newest first; `next` continues with `?before=`.
    ledger: Vec<LedgerLineDto>,
    next: Option<i64>,
    kudos: Vec<KudosDto>,
    badges: Vec<BadgeAwardDto>,
    on_leaderboards: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Continue before this id (the `next` of the previous page).
    #[serde(default)]
    before: Option<i64>,
}

/// The member's points (with the ledger behind them), kudos received and badges.
#[utoipa::path(get, path = "/me/rewards", tag = "rewards", params(PageQuery), responses((status = 200, body = MyRewardsDto)))]
async fn my_rewards(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<PageQuery>,
) -> ApiResult<Json<MyRewardsDto>> {
    let mine = state.app.my_rewards(&viewer, query.before).await?;
    Ok(Json(MyRewardsDto {
        total: mine.total,
        ledger: mine.ledger.into_iter().map(Into::into).collect(),
        next: mine.next,
        kudos: mine.kudos.into_iter().map(Into::into).collect(),
        badges: mine.badges.into_iter().map(Into::into).collect(),
        on_leaderboards: mine.on_leaderboards,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardChoiceBody {
    /// Appear on the leaderboards of spaces that have one.
    on_leaderboards: bool,
}

#[utoipa::path(put, path = "/me/rewards", tag = "rewards", request_body = LeaderboardChoiceBody, responses((status = 204, description = "Saved")))]
async fn set_leaderboard_choice(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<LeaderboardChoiceBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_leaderboard_choice(&viewer, body.on_leaderboards)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CredentialDto {
    badge: BadgeAwardDto,
    /// The public verification page.
    url: String,
    /// The OpenBadgeCredential, signed (compact VC-JWT, EdDSA).
    jwt: String,
    revoked: bool,
}

impl From<CredentialView> for CredentialDto {
    fn from(c: CredentialView) -> Self {
        CredentialDto {
            url: c.url,
            jwt: c.jwt,
            revoked: c.revoked,
            badge: c.award.into(),
        }
    }
}

/// The member's Open Badges 3.0 credentials, each with its VC-JWT.
#[utoipa::path(get, path = "/me/credentials", tag = "rewards", responses((status = 200, body = Vec<CredentialDto>)))]
async fn my_credentials(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<Vec<CredentialDto>>> {
    let credentials = state.app.my_credentials(&viewer).await?;
    Ok(Json(credentials.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KudosQuery {
    #[serde(default)]
    before: Option<i64>,
    /// Only the kudos this person received.
    #[serde(default)]
    to: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct KudosPageDto {
    kudos: Vec<KudosDto>,
    next: Option<i64>,
}

/// The recognition feed: kudos, newest first.
#[utoipa::path(get, path = "/kudos", tag = "rewards", params(KudosQuery), responses((status = 200, body = KudosPageDto)))]
async fn kudos_feed(
    State(state): State<WebState>,
    Member(_viewer): Member,
    QueryParams(query): QueryParams<KudosQuery>,
) -> ApiResult<Json<KudosPageDto>> {
    let (kudos, next) = state.app.kudos(query.to, query.before).await?;
    Ok(Json(KudosPageDto {
        kudos: kudos.into_iter().map(Into::into).collect(),
        next,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KudosBody {
    person: i64,
    /// One line, up to 280 characters; it passes the content check.
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedDto {
    id: i64,
}

/// Thanks a colleague in public (not yourself; ten a day at most).
#[utoipa::path(post, path = "/kudos", tag = "rewards", request_body = KudosBody, responses((status = 201, body = CreatedDto)))]
async fn give_kudos(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<KudosBody>,
) -> ApiResult<(StatusCode, Json<CreatedDto>)> {
    let id = state
        .app
        .give_kudos(&viewer, body.person, &body.message)
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedDto { id })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovalBody {
    /// One line: why it breaks the community's rules (its giver and the public log see it).
    reason: String,
}

/// A moderator removes a kudos that breaks the community's rules.
#[utoipa::path(post, path = "/kudos/{id}/removal", tag = "rewards", params(("id" = i64, Path)), request_body = RemovalBody, responses((status = 204, description = "Removed"), (status = 403)))]
async fn remove_kudos(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<RemovalBody>,
) -> ApiResult<StatusCode> {
    state.app.remove_kudos(&viewer, id, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct BadgeDto {
    slug: String,
    name: String,
    emoji: String,
    criteria: String,
    /// auto or manual.
    kind: String,
    /// How many hold it.
    awarded: i64,
}

/// Every badge with its criteria (public).
#[utoipa::path(get, path = "/badges", tag = "rewards", security(()), responses((status = 200, body = Vec<BadgeDto>)))]
async fn badges(State(state): State<WebState>) -> ApiResult<Json<Vec<BadgeDto>>> {
    let rows = state.app.badges().await?;
    Ok(Json(
        rows.into_iter()
            .map(|b| BadgeDto {
                slug: b.slug,
                name: b.name,
                emoji: b.emoji,
                criteria: b.criteria,
                kind: b.kind,
                awarded: b.awarded,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BadgeBody {
    name: String,
    criteria: String,
    emoji: String,
}

#[derive(Serialize, ToSchema)]
pub struct BadgeCreatedDto {
    slug: String,
}

/// A facilitator or administrator creates a badge to award by hand.
#[utoipa::path(post, path = "/badges", tag = "rewards", request_body = BadgeBody, responses((status = 201, body = BadgeCreatedDto)))]
async fn create_badge(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<BadgeBody>,
) -> ApiResult<(StatusCode, Json<BadgeCreatedDto>)> {
    let slug = state
        .app
        .create_badge(&viewer, &body.name, &body.criteria, &body.emoji)
        .await?;
    Ok((StatusCode::CREATED, Json(BadgeCreatedDto { slug })))
}

#[derive(Serialize, ToSchema)]
pub struct BadgePageDto {
    slug: String,
    name: String,
    criteria: String,
    emoji: String,
    kind: String,
    awarded: i64,
    holders: Vec<BadgeAwardDto>,
    next: Option<i64>,
}

impl From<BadgePage> for BadgePageDto {
    fn from(b: BadgePage) -> Self {
        BadgePageDto {
            slug: b.slug,
            name: b.name,
            criteria: b.criteria,
            emoji: b.emoji,
            kind: b.kind,
            awarded: b.awarded,
            holders: b.holders.into_iter().map(Into::into).collect(),
            next: b.next,
        }
    }
}

/// A badge's criteria and holders (public).
#[utoipa::path(get, path = "/badges/{slug}", tag = "rewards", security(()), params(("slug" = String, Path, description = "Badge"), PageQuery), responses((status = 200, body = BadgePageDto)))]
async fn badge(
    State(state): State<WebState>,
    CurrentViewer(viewer): CurrentViewer,
    Path(slug): Path<String>,
    QueryParams(query): QueryParams<PageQuery>,
) -> ApiResult<Json<BadgePageDto>> {
    let page = state
        .app
        .badge_page(viewer.as_ref(), &slug, query.before)
        .await?;
    Ok(Json(page.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardBody {
    person: i64,
    /// Why they earned it; shown to them and in the credential.
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct AwardedDto {
    credential_key: String,
}

/// Awards a hand-made badge (facilitators and administrators), with a reason.
#[utoipa::path(post, path = "/badges/{slug}/awards", tag = "rewards", params(("slug" = String, Path, description = "Badge")), request_body = AwardBody, responses((status = 201, body = AwardedDto)))]
async fn award_badge(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<AwardBody>,
) -> ApiResult<(StatusCode, Json<AwardedDto>)> {
    let credential_key = state
        .app
        .award_badge(&viewer, &slug, body.person, &body.reason)
        .await?;
    Ok((StatusCode::CREATED, Json(AwardedDto { credential_key })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeBody {
    reason: String,
}

/// Revokes an award (administrators): its credential then fails verification.
#[utoipa::path(post, path = "/credentials/{key}/revocation", tag = "rewards", params(("key" = String, Path, description = "Credential key")), request_body = RevokeBody, responses((status = 204, description = "Revoked")))]
async fn revoke_credential(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(key): Path<String>,
    JsonBody(body): JsonBody<RevokeBody>,
) -> ApiResult<StatusCode> {
    state.app.revoke_badge(&viewer, &key, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// YYYY-MM; this month when absent.
    #[serde(default)]
    month: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LeaderDto {
    rank: usize,
    person_id: i64,
    name: String,
    points: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LeaderboardDto {
    month: String,
    entries: Vec<LeaderDto>,
}

/// A space's leaderboard for a month: only when the space has one, only its members, only
/// people who chose to appear.
#[utoipa::path(get, path = "/spaces/{slug}/leaderboard", tag = "rewards", params(("slug" = String, Path, description = "Space"), MonthQuery), responses((status = 200, body = LeaderboardDto)))]
async fn leaderboard(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    QueryParams(query): QueryParams<MonthQuery>,
) -> ApiResult<Json<LeaderboardDto>> {
    let board = state
        .app
        .leaderboard(&viewer, &slug, query.month.as_deref())
        .await?;
    if !board.on {
        return Err(AppError::forbidden(
            "leaderboard_off",
            "This space has no leaderboard: its facilitators have not turned one on.",
        )
        .into());
    }
    Ok(Json(LeaderboardDto {
        month: board.month,
        entries: board
            .entries
            .into_iter()
            .map(|e| LeaderDto {
                rank: e.rank,
                person_id: e.person_id,
                name: e.name,
                points: e.points,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpaceLeaderboardBody {
    on: bool,
}

/// A space's facilitators turn its leaderboard on or off (off by default).
#[utoipa::path(put, path = "/spaces/{slug}/leaderboard", tag = "rewards", params(("slug" = String, Path, description = "Space")), request_body = SpaceLeaderboardBody, responses((status = 204, description = "Saved")))]
async fn set_space_leaderboard(
    State(state): State<WebState>,
    Member(viewer): Member,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<SpaceLeaderboardBody>,
) -> ApiResult<StatusCode> {
    state
        .app
        .set_space_leaderboard(&viewer, &slug, body.on)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
