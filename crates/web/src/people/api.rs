//! The JSON twins of the people pages.

use crate::WebState;
use crate::auth::{Admin, Member};
use crate::error::ApiError;
use crate::forms::{IdPath, JsonBody, QueryParams};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use guildhall_app::outbox::DeadLetter;
use guildhall_app::people::{
    ApiTokenInfo, InvitationLink, LinkedSignIn, PersonSummary, Profile, SessionInfo,
};
use guildhall_domain::people::{Role, SignupPolicy};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type ApiResult<T> = Result<T, ApiError>;

/// A person as they see themselves.
#[derive(Serialize, ToSchema)]
pub struct ProfileDto {
    id: i64,
    email: String,
    given_name: String,
    family_name: String,
    display_name: String,
    /// Roles beyond membership: facilitator, coach, moderator, hr, admin.
    roles: Vec<String>,
    created_at: DateTime<Utc>,
}

fn role_names(roles: &[Role]) -> Vec<String> {
    roles.iter().map(|r| r.as_str().to_owned()).collect()
}

impl From<Profile> for ProfileDto {
    fn from(p: Profile) -> Self {
        ProfileDto {
            roles: role_names(&p.roles),
            id: p.id,
            email: p.email,
            given_name: p.given_name,
            family_name: p.family_name,
            display_name: p.display_name,
            created_at: p.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionDto {
    id: i64,
    user_agent: String,
    ip: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    /// Whether this request uses the session.
    current: bool,
}

/// An identity provider account that signs the person in.
#[derive(Serialize, ToSchema)]
pub struct LinkedSignInDto {
    id: i64,
    /// The provider's button label (or its issuer when it is no longer configured).
    provider: String,
    /// The email address the provider last shared.
    email: Option<String>,
    linked_at: DateTime<Utc>,
    last_used_at: DateTime<Utc>,
}

impl From<LinkedSignIn> for LinkedSignInDto {
    fn from(l: LinkedSignIn) -> Self {
        LinkedSignInDto {
            id: l.id,
            provider: l.provider,
            email: l.email,
            linked_at: l.linked_at,
            last_used_at: l.last_used_at,
        }
    }
}

impl From<SessionInfo> for SessionDto {
    fn from(s: SessionInfo) -> Self {
        SessionDto {
            id: s.id,
            user_agent: s.user_agent,
            ip: s.ip,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
            current: s.current,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiTokenDto {
    id: i64,
    name: String,
    scopes: Vec<String>,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

impl From<ApiTokenInfo> for ApiTokenDto {
    fn from(t: ApiTokenInfo) -> Self {
        ApiTokenDto {
            id: t.id,
            name: t.name,
            scopes: t.scopes.iter().map(|s| (*s).to_owned()).collect(),
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        }
    }
}

/// A token just created; `token` is shown this once.
#[derive(Serialize, ToSchema)]
pub struct NewApiTokenDto {
    token: String,
    #[serde(flatten)]
    info: ApiTokenDto,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenBody {
    /// 1 to 80 characters.
    name: String,
    /// `read` and/or `write` (which implies read).
    #[schema(value_type = Vec<Scope>, min_items = 1)]
    scopes: Vec<String>,
}

/// What a token may do; for the OpenAPI document (validated by the use case).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum Scope {
    Read,
    Write,
}

#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    id: i64,
    display_name: String,
    email: String,
    status: String,
    roles: Vec<String>,
    created_at: DateTime<Utc>,
}

impl From<PersonSummary> for PersonDto {
    fn from(p: PersonSummary) -> Self {
        PersonDto {
            roles: role_names(&p.roles),
            id: p.id,
            display_name: p.display_name,
            email: p.email,
            status: p.status,
            created_at: p.created_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolesBody {
    roles: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RolesDto {
    roles: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupPolicyDto {
    /// `open`, `domains` or `invitation`.
    mode: String,
    allowed_domains: Vec<String>,
}

impl From<SignupPolicy> for SignupPolicyDto {
    fn from(p: SignupPolicy) -> Self {
        SignupPolicyDto {
            mode: p.mode.as_str().to_owned(),
            allowed_domains: p.allowed_domains,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationBody {
    /// Restricts the invitation to this address; `null` for a link anyone can use once.
    #[serde(deserialize_with = "crate::forms::required_nullable")]
    #[schema(required = true)]
    email: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationDto {
    id: i64,
    /// The link to share, e.g. `https://guild.example.org/join/ghi_…`; shown this once.
    url: String,
    email: Option<String>,
    expires_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct DeadLetterDto {
    id: i64,
    kind: String,
    attempts: i64,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<DeadLetter> for DeadLetterDto {
    fn from(d: DeadLetter) -> Self {
        DeadLetterDto {
            id: d.id,
            kind: d.kind,
            attempts: d.attempts,
            last_error: d.last_error,
            created_at: d.created_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Return items after this id (keyset pagination); omit for the first page.
    #[serde(default)]
    after: Option<i64>,
}

pub fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(people_named))
        .routes(routes!(my_sessions))
        .routes(routes!(revoke_session))
        .routes(routes!(my_sign_ins))
        .routes(routes!(unlink_sign_in))
        .routes(routes!(my_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(people))
        .routes(routes!(set_roles))
        .routes(routes!(signup_policy, set_signup_policy))
        .routes(routes!(create_invitation))
        .routes(routes!(dead_letters))
        .routes(routes!(retry_dead_letter))
}

/// The signed-in person.
#[utoipa::path(get, path = "/me", tag = "people", responses((status = 200, body = ProfileDto)))]
async fn me(State(state): State<WebState>, Member(viewer): Member) -> ApiResult<Json<ProfileDto>> {
    Ok(Json(state.app.profile(viewer.id).await?.into()))
}

/// Where the person is signed in.
#[utoipa::path(get, path = "/me/sessions", tag = "people", responses((status = 200, body = Vec<SessionDto>)))]
async fn my_sessions(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<Vec<SessionDto>>> {
    Ok(Json(
        state
            .app
            .sessions(&viewer)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Signs out one session.
#[utoipa::path(delete, path = "/me/sessions/{id}", tag = "people", params(("id" = i64, Path, description = "Session id")), responses((status = 204, description = "Signed out")))]
async fn revoke_session(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.revoke_session(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The identity provider accounts that sign the person in.
#[utoipa::path(get, path = "/me/identities", tag = "people", responses((status = 200, body = Vec<LinkedSignInDto>)))]
async fn my_sign_ins(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<Vec<LinkedSignInDto>>> {
    let linked = state.app.linked_sign_ins(&viewer).await?;
    Ok(Json(linked.into_iter().map(Into::into).collect()))
}

/// Unlinks a provider account; the last way to sign in cannot be unlinked (409).
#[utoipa::path(delete, path = "/me/identities/{id}", tag = "people", params(("id" = i64, Path, description = "Identity id")), responses((status = 204, description = "Unlinked"), (status = 404, description = "Not yours or no such identity"), (status = 409, description = "Your only way to sign in")))]
async fn unlink_sign_in(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.unlink_sign_in(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The person's API tokens (without their secrets).
#[utoipa::path(get, path = "/me/tokens", tag = "people", responses((status = 200, body = Vec<ApiTokenDto>)))]
async fn my_tokens(
    State(state): State<WebState>,
    Member(viewer): Member,
) -> ApiResult<Json<Vec<ApiTokenDto>>> {
    Ok(Json(
        state
            .app
            .api_tokens(&viewer)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Creates an API token; its secret is in this response only.
#[utoipa::path(post, path = "/me/tokens", tag = "people", request_body = CreateTokenBody, responses((status = 201, body = NewApiTokenDto)))]
async fn create_token(
    State(state): State<WebState>,
    Member(viewer): Member,
    JsonBody(body): JsonBody<CreateTokenBody>,
) -> ApiResult<(StatusCode, Json<NewApiTokenDto>)> {
    let created = state
        .app
        .create_api_token(&viewer, &body.name, &body.scopes)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewApiTokenDto {
            token: created.token,
            info: created.info.into(),
        }),
    ))
}

/// Revokes an API token.
#[utoipa::path(delete, path = "/me/tokens/{id}", tag = "people", params(("id" = i64, Path, description = "Token id")), responses((status = 204, description = "Revoked")))]
async fn revoke_token(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.revoke_api_token(&viewer, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everyone, 50 at a time, in the order they joined (administrators).
#[utoipa::path(get, path = "/admin/people", tag = "admin", params(PageQuery), responses((status = 200, body = Vec<PersonDto>)))]
async fn people(
    State(state): State<WebState>,
    admin: Admin,
    QueryParams(query): QueryParams<PageQuery>,
) -> ApiResult<Json<Vec<PersonDto>>> {
    Ok(Json(
        state
            .app
            .people_page(&admin.0, query.after.unwrap_or(0))
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Sets a person's roles (administrators).
#[utoipa::path(put, path = "/admin/people/{id}/roles", tag = "admin", params(("id" = i64, Path, description = "Person id")), request_body = RolesBody, responses((status = 200, body = RolesDto)))]
async fn set_roles(
    State(state): State<WebState>,
    admin: Admin,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody<RolesBody>,
) -> ApiResult<Json<RolesDto>> {
    let roles = state.app.set_roles(&admin.0, id, &body.roles).await?;
    Ok(Json(RolesDto {
        roles: role_names(&roles),
    }))
}

/// Who may sign up (administrators).
#[utoipa::path(get, path = "/admin/signup-policy", tag = "admin", responses((status = 200, body = SignupPolicyDto)))]
async fn signup_policy(
    State(state): State<WebState>,
    _admin: Admin,
) -> ApiResult<Json<SignupPolicyDto>> {
    Ok(Json(state.app.signup_policy().await?.into()))
}

/// Changes who may sign up (administrators).
#[utoipa::path(put, path = "/admin/signup-policy", tag = "admin", request_body = SignupPolicyDto, responses((status = 200, body = SignupPolicyDto)))]
async fn set_signup_policy(
    State(state): State<WebState>,
    admin: Admin,
    JsonBody(body): JsonBody<SignupPolicyDto>,
) -> ApiResult<Json<SignupPolicyDto>> {
    let policy = state
        .app
        .set_signup_policy(&admin.0, &body.mode, &body.allowed_domains.join("\n"))
        .await?;
    Ok(Json(policy.into()))
}

/// Creates an invitation link (administrators).
#[utoipa::path(post, path = "/admin/invitations", tag = "admin", request_body = InvitationBody, responses((status = 201, body = InvitationDto)))]
async fn create_invitation(
    State(state): State<WebState>,
    admin: Admin,
    JsonBody(body): JsonBody<InvitationBody>,
) -> ApiResult<(StatusCode, Json<InvitationDto>)> {
    let link: InvitationLink = state
        .app
        .create_invitation(&admin.0, body.email.as_deref())
        .await?;
    let url = format!("{}{}", state.config.public_url, link.path);
    Ok((
        StatusCode::CREATED,
        Json(InvitationDto {
            id: link.id,
            url,
            email: link.email,
            expires_at: link.expires_at,
        }),
    ))
}

/// Effects that kept failing, newest first (administrators).
#[utoipa::path(get, path = "/admin/outbox/dead", tag = "admin", responses((status = 200, body = Vec<DeadLetterDto>)))]
async fn dead_letters(
    State(state): State<WebState>,
    admin: Admin,
) -> ApiResult<Json<Vec<DeadLetterDto>>> {
    Ok(Json(
        state
            .app
            .dead_letters(&admin.0, None)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Gives a dead letter a fresh set of attempts (administrators).
#[utoipa::path(post, path = "/admin/outbox/{id}/retry", tag = "admin", params(("id" = i64, Path, description = "Outbox row id")), responses((status = 204, description = "Queued again")))]
async fn retry_dead_letter(
    State(state): State<WebState>,
    admin: Admin,
    IdPath(id): IdPath,
) -> ApiResult<StatusCode> {
    state.app.retry_dead_letter(&admin.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NameQuery {
    /// The start of a name (two characters or more).
    #[serde(default)]
    q: String,
}

#[derive(Serialize, ToSchema)]
pub struct NameDto {
    id: i64,
    display_name: String,
}

/// People whose name starts with `q`, for mentioning them as `@[Name]` (at most eight).
#[utoipa::path(get, path = "/people", tag = "people", params(NameQuery), responses((status = 200, body = Vec<NameDto>)))]
async fn people_named(
    State(state): State<WebState>,
    Member(viewer): Member,
    QueryParams(query): QueryParams<NameQuery>,
) -> ApiResult<Json<Vec<NameDto>>> {
    let people = state.app.people_named_like(&viewer, &query.q).await?;
    Ok(Json(
        people
            .into_iter()
            .map(|(id, display_name)| NameDto { id, display_name })
            .collect(),
    ))
}
