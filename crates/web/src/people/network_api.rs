//! The JSON twins of the network pages: following, endorsements and "who knows".

use crate::WebState;
use crate::auth::Member;
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::people::{EndorsementView, PeoplePage};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(follow, unfollow))
        .routes(routes!(network))
        .routes(routes!(followers))
        .routes(routes!(following))
        .routes(routes!(endorsements, endorse))
        .routes(routes!(withdraw_endorsement))
        .routes(routes!(who_knows))
}

/// Follows the person (they are told); following again changes nothing.
#[utoipa::path(put, path = "/people/{id}/follow", tag = "network", params(("id" = i64, Path, description = "Person id")), responses((status = 204, description = "Following")))]
async fn follow(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.follow(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stops following the person.
#[utoipa::path(delete, path = "/people/{id}/follow", tag = "network", params(("id" = i64, Path, description = "Person id")), responses((status = 204, description = "Not following")))]
async fn unfollow(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.unfollow(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct EndorsementDto {
    id: i64,
    endorser_id: i64,
    endorser_name: String,
    skill: String,
    reason: String,
    created_at: DateTime<Utc>,
    /// The caller gave it and may withdraw it.
    mine: bool,
}

impl From<EndorsementView> for EndorsementDto {
    fn from(e: EndorsementView) -> Self {
        EndorsementDto {
            id: e.id,
            endorser_id: e.endorser_id,
            endorser_name: e.endorser_name,
            skill: e.skill,
            reason: e.reason,
            created_at: e.created_at,
            mine: e.mine,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SkillEndorsementsDto {
    skill: String,
    endorsements: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NetworkDto {
    person_id: i64,
    followers: i64,
    following: i64,
    followed_by_me: bool,
    /// What the person can help with: listed or endorsed skills, most endorsed first.
    skills: Vec<SkillEndorsementsDto>,
    /// The latest endorsements.
    endorsements: Vec<EndorsementDto>,
    /// `before` for the next page of `/people/{id}/endorsements`, when there are more.
    more_endorsements: Option<i64>,
}

/// A person's network: followers, following, skills with endorsement counts, latest endorsements.
#[utoipa::path(get, path = "/people/{id}/network", tag = "network", params(("id" = i64, Path, description = "Person id")), responses((status = 200, body = NetworkDto)))]
async fn network(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<Json<NetworkDto>> {
    state.app.profile_page(&viewer, id).await?;
    let summary = state.app.network_summary(&viewer, id).await?;
    Ok(Json(NetworkDto {
        person_id: summary.person_id,
        followers: summary.followers,
        following: summary.following,
        followed_by_me: summary.followed_by_me,
        skills: summary
            .skills
            .into_iter()
            .map(|s| SkillEndorsementsDto {
                skill: s.skill,
                endorsements: s.endorsements,
            })
            .collect(),
        endorsements: summary.endorsements.into_iter().map(Into::into).collect(),
        more_endorsements: summary.more_endorsements,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetworkPageParams {
    /// The `next` value of the previous page.
    #[serde(default)]
    #[param(minimum = 1)]
    before: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonLinkDto {
    id: i64,
    display_name: String,
    title: String,
    department: String,
    since: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonLinksDto {
    people: Vec<PersonLinkDto>,
    next: Option<i64>,
}

fn links(page: PeoplePage) -> PersonLinksDto {
    PersonLinksDto {
        people: page
            .people
            .into_iter()
            .map(|p| PersonLinkDto {
                id: p.id,
                display_name: p.display_name,
                title: p.title,
                department: p.department,
                since: p.since,
            })
            .collect(),
        next: page.next,
    }
}

/// Who follows the person, newest first.
#[utoipa::path(get, path = "/people/{id}/followers", tag = "network", params(("id" = i64, Path, description = "Person id"), NetworkPageParams), responses((status = 200, body = PersonLinksDto)))]
async fn followers(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    QueryParams(params): QueryParams<NetworkPageParams>,
) -> ApiResult<Json<PersonLinksDto>> {
    Ok(Json(links(
        state
            .app
            .follow_list(&viewer, id, true, params.before)
            .await?,
    )))
}

/// Whom the person follows, newest first.
#[utoipa::path(get, path = "/people/{id}/following", tag = "network", params(("id" = i64, Path, description = "Person id"), NetworkPageParams), responses((status = 200, body = PersonLinksDto)))]
async fn following(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    QueryParams(params): QueryParams<NetworkPageParams>,
) -> ApiResult<Json<PersonLinksDto>> {
    Ok(Json(links(
        state
            .app
            .follow_list(&viewer, id, false, params.before)
            .await?,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct EndorsementsDto {
    endorsements: Vec<EndorsementDto>,
    next: Option<i64>,
}

/// The person's endorsements, newest first.
#[utoipa::path(get, path = "/people/{id}/endorsements", tag = "network", params(("id" = i64, Path, description = "Person id"), NetworkPageParams), responses((status = 200, body = EndorsementsDto)))]
async fn endorsements(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    QueryParams(params): QueryParams<NetworkPageParams>,
) -> ApiResult<Json<EndorsementsDto>> {
    let page = state.app.endorsements(&viewer, id, params.before).await?;
    Ok(Json(EndorsementsDto {
        endorsements: page.endorsements.into_iter().map(Into::into).collect(),
        next: page.next,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndorseBody {
    /// A skill people already use (see `/skills`).
    #[schema(max_length = 50)]
    skill: String,
    /// How they helped, in one line.
    #[schema(max_length = 280)]
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct EndorsementCreatedDto {
    id: i64,
}

/// Endorses the person for a skill with a reason (once per skill; not yourself). The reason
/// passes the content check; the person is told.
#[utoipa::path(post, path = "/people/{id}/endorsements", tag = "network", params(("id" = i64, Path, description = "Person id")), request_body = EndorseBody, responses((status = 201, body = EndorsementCreatedDto)))]
async fn endorse(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<EndorseBody>,
) -> ApiResult<(StatusCode, Json<EndorsementCreatedDto>)> {
    let created = state
        .app
        .endorse(&viewer, id, &body.skill, &body.reason)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(EndorsementCreatedDto { id: created }),
    ))
}

/// Withdraws an endorsement the caller gave.
#[utoipa::path(delete, path = "/endorsements/{id}", tag = "network", params(("id" = i64, Path, description = "Endorsement id")), responses((status = 204, description = "Withdrawn")))]
async fn withdraw_endorsement(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.withdraw_endorsement(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KnowsParams {
    /// A skill, e.g. `Rust`.
    #[serde(default)]
    #[param(max_length = 50)]
    skill: String,
    /// The `next` value of the previous page.
    #[serde(default)]
    after: String,
}

#[derive(Serialize, ToSchema)]
pub struct KnowerDto {
    id: i64,
    display_name: String,
    title: String,
    department: String,
    /// Why they are listed, strongest evidence first.
    reasons: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct KnowersDto {
    skill: String,
    people: Vec<KnowerDto>,
    next: Option<String>,
}

/// Who knows about a skill: people ranked by evidence, each with the reasons.
#[utoipa::path(get, path = "/knows", tag = "network", params(KnowsParams), responses((status = 200, body = KnowersDto)))]
async fn who_knows(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(params): QueryParams<KnowsParams>,
) -> ApiResult<Json<KnowersDto>> {
    let page = state
        .app
        .who_knows(&viewer, &params.skill, &params.after)
        .await?;
    Ok(Json(KnowersDto {
        skill: page.skill,
        people: page
            .people
            .into_iter()
            .map(|k| KnowerDto {
                id: k.id,
                display_name: k.display_name,
                title: k.title,
                department: k.department,
                reasons: k.reasons,
            })
            .collect(),
        next: page.next,
    }))
}
