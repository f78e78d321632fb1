//! The people network in pages: a profile with what the person can help with, their
//! endorsements and coaching; following; endorsing; followers/following lists; "who knows".

use crate::WebState;
use crate::auth::Member;
use crate::error::PageError;
use crate::forms::{FormBody, IdPath, QueryParams};
use crate::page::{PageCtx, render};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use guildhall_app::AppError;
use guildhall_app::coaching::CoachView;
use guildhall_app::people::{
    EndorsementPage, KnowersPage, NetworkSummary, PeoplePage, ProfileView, Viewer,
};
use guildhall_app::rewards::Recognition;
use guildhall_domain::FieldErrors;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "people/person.html")]
struct PersonTemplate {
    ctx: PageCtx,
    person: ProfileView,
    network: NetworkSummary,
    coach: Option<CoachView>,
    recognition: Recognition,
    endorse: EndorseForm,
    errors: FieldErrors,
    alert: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndorseForm {
    #[serde(default)]
    skill: String,
    #[serde(default)]
    reason: String,
}

/// The profile page, with the endorsement form as typed (after a refusal) and its errors.
async fn person_page(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
    endorse: EndorseForm,
    errors: FieldErrors,
    alert: String,
) -> Result<PersonTemplate, PageError> {
    let person = state.app.profile_page(viewer, id).await?;
    let network = state.app.network_summary(viewer, id).await?;
    let coach = match state.app.coach_profile(viewer, id).await {
        Ok(coach) => Some(coach),
        Err(AppError::NotFound) => None,
        Err(other) => return Err(other.into()),
    };
    let recognition = state.app.recognition_of(viewer, id).await?;
    Ok(PersonTemplate {
        ctx,
        person,
        network,
        coach,
        recognition,
        endorse,
        errors,
        alert,
    })
}

pub async fn person(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    let page = person_page(
        &state,
        &viewer,
        ctx,
        id,
        EndorseForm::default(),
        FieldErrors::new(),
        String::new(),
    )
    .await?;
    Ok(render(&page))
}

pub async fn follow(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.follow(&viewer, id).await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

pub async fn unfollow(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
) -> Result<Response, PageError> {
    state.app.unfollow(&viewer, id).await?;
    Ok(Redirect::to(&format!("/people/{id}")).into_response())
}

pub async fn endorse(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    FormBody(form): FormBody<EndorseForm>,
) -> Result<Response, PageError> {
    let (status, errors, alert) = match state
        .app
        .endorse(&viewer, id, &form.skill, &form.reason)
        .await
    {
        Ok(_) => return Ok(Redirect::to(&format!("/people/{id}#endorsements")).into_response()),
        Err(AppError::Invalid(errors) | AppError::Nudged(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, errors, String::new())
        }
        Err(error @ AppError::Conflict { .. }) => (
            StatusCode::CONFLICT,
            FieldErrors::new(),
            error.public_message(),
        ),
        Err(error) => return Err(error.into()),
    };
    let page = person_page(&state, &viewer, ctx, id, form, errors, alert).await?;
    Ok((status, render(&page)).into_response())
}

pub async fn withdraw_endorsement(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<BackForm>,
) -> Result<Response, PageError> {
    state.app.withdraw_endorsement(&viewer, id).await?;
    let back = form.person.filter(|p| *p > 0).map_or_else(
        || "/people".to_owned(),
        |p| format!("/people/{p}#endorsements"),
    );
    Ok(Redirect::to(&back).into_response())
}

/// Where to go back after withdrawing: the profile the endorsement was on.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackForm {
    #[serde(default)]
    person: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct BeforeQuery {
    #[serde(default)]
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "people/network_list.html")]
struct NetworkListTemplate {
    ctx: PageCtx,
    person: ProfileView,
    /// "Followers" or "Following".
    heading: &'static str,
    /// followers or following, for the next page's address.
    kind: &'static str,
    page: PeoplePage,
}

async fn network_list(
    state: &WebState,
    viewer: &Viewer,
    ctx: PageCtx,
    id: i64,
    followers: bool,
    before: Option<i64>,
) -> Result<Response, PageError> {
    let person = state.app.profile_page(viewer, id).await?;
    let page = state.app.follow_list(viewer, id, followers, before).await?;
    let (heading, kind) = if followers {
        ("Followers", "followers")
    } else {
        ("Following", "following")
    };
    Ok(render(&NetworkListTemplate {
        ctx,
        person,
        heading,
        kind,
        page,
    }))
}

pub async fn followers(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<BeforeQuery>,
) -> Result<Response, PageError> {
    network_list(&state, &viewer, ctx, id, true, query.before).await
}

pub async fn following(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<BeforeQuery>,
) -> Result<Response, PageError> {
    network_list(&state, &viewer, ctx, id, false, query.before).await
}

#[derive(Template)]
#[template(path = "people/endorsements.html")]
struct EndorsementsTemplate {
    ctx: PageCtx,
    person: ProfileView,
    page: EndorsementPage,
}

pub async fn endorsements(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    IdPath(id): IdPath,
    QueryParams(query): QueryParams<BeforeQuery>,
) -> Result<Response, PageError> {
    let person = state.app.profile_page(&viewer, id).await?;
    let page = state.app.endorsements(&viewer, id, query.before).await?;
    Ok(render(&EndorsementsTemplate { ctx, person, page }))
}

#[derive(Template)]
#[template(path = "people/knows.html")]
struct KnowsTemplate {
    ctx: PageCtx,
    asked: String,
    page: KnowersPage,
    next_href: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct KnowsQuery {
    #[serde(default)]
    skill: String,
    #[serde(default)]
    after: String,
}

pub async fn who_knows(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<KnowsQuery>,
) -> Result<Response, PageError> {
    let page = state
        .app
        .who_knows(&viewer, &query.skill, &query.after)
        .await?;
    let next_href = page.next.as_ref().map(|after| {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("skill", &query.skill)
            .append_pair("after", after)
            .finish();
        format!("/people/knows?{query}")
    });
    Ok(render(&KnowsTemplate {
        ctx,
        asked: query.skill,
        page,
        next_href,
    }))
}
