//! Coaching pages: the viewer's coaching, finding a coach, the coach form (applying and
//! editing), pausing or withdrawing, and the applications administrators and facilitators
//! decide. Each handler calls one `app` action; permission checks live there.

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
use guildhall_app::coaching::{
    CoachInput, CoachList, CoachSearch, CoachView, CoachingHome, MatchInput,
};
use guildhall_domain::FieldErrors;
use guildhall_domain::coaching::CoachChange;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "coaching/home.html")]
struct HomeTemplate {
    ctx: PageCtx,
    home: CoachingHome,
}

#[derive(Debug, Default, Deserialize)]
pub struct HomeQuery {
    #[serde(default)]
    sent_before: Option<i64>,
    #[serde(default)]
    received_before: Option<i64>,
}

pub async fn home(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<HomeQuery>,
) -> Result<Response, PageError> {
    let home = state
        .app
        .coaching_home(&viewer, query.sent_before, query.received_before)
        .await?;
    Ok(render(&HomeTemplate { ctx, home }))
}

#[derive(Debug, Default, Deserialize)]
pub struct FindForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    skill: String,
    #[serde(default)]
    times: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    after: String,
}

impl FindForm {
    fn href(&self, after: &str) -> String {
        let pairs = [
            ("q", self.q.as_str()),
            ("skill", &self.skill),
            ("times", &self.times),
            ("time_zone", &self.time_zone),
            ("after", after),
        ];
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty()))
            .finish();
        format!("/coaching/coaches?{query}")
    }

    /// The request form of a coach, carrying what the learner asked for.
    fn request_href(&self, coach: i64) -> String {
        let pairs = [("skill", self.skill.as_str()), ("times", &self.times)];
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty()))
            .finish();
        if query.is_empty() {
            format!("/coaching/coaches/{coach}/request")
        } else {
            format!("/coaching/coaches/{coach}/request?{query}")
        }
    }
}

#[derive(Template)]
#[template(path = "coaching/coaches.html")]
struct CoachesTemplate {
    ctx: PageCtx,
    form: FindForm,
    list: CoachList,
    /// A ranked list for a need (skill, times) rather than a search by name.
    ranked: bool,
    next_href: Option<String>,
    errors: FieldErrors,
}

/// Find a coach: by name (an alphabetical search), or ranked for a skill and preferred times.
pub async fn find(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(form): QueryParams<FindForm>,
) -> Result<Response, PageError> {
    let ranked = form.q.trim().is_empty();
    let result = if ranked {
        state
            .app
            .match_coaches(
                &viewer,
                &MatchInput {
                    skill: form.skill.clone(),
                    times: form.times.clone(),
                    time_zone: form.time_zone.clone(),
                    after: form.after.clone(),
                },
            )
            .await
    } else {
        state
            .app
            .search_coaches(
                &viewer,
                &CoachSearch {
                    q: form.q.clone(),
                    skill: form.skill.clone(),
                    after: form.after.clone(),
                },
            )
            .await
    };
    let empty = CoachList {
        coaches: Vec::new(),
        next: None,
    };
    let (status, list, errors) = match result {
        Ok(list) => (StatusCode::OK, list, FieldErrors::new()),
        Err(AppError::Invalid(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, empty, errors),
        Err(error) => return Err(error.into()),
    };
    let next_href = list.next.as_ref().map(|after| form.href(after));
    let page = CoachesTemplate {
        ctx,
        form,
        list,
        ranked,
        next_href,
        errors,
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoachForm {
    #[serde(default)]
    skills: String,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    availability: String,
}

#[derive(Template)]
#[template(path = "coaching/profile_form.html")]
struct ProfileFormTemplate {
    ctx: PageCtx,
    coach: Option<CoachView>,
    form: CoachForm,
    errors: FieldErrors,
}

pub async fn profile_form(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
) -> Result<Response, PageError> {
    let coach = state.app.my_coach_profile(&viewer).await?;
    let form = match &coach {
        Some(c) => CoachForm {
            skills: c.skills.join(", "),
            bio: c.bio.clone(),
            capacity: c.capacity.to_string(),
            time_zone: c.time_zone.clone(),
            availability: c.availability.join("\n"),
        },
        None => {
            // A first application starts from what the profile already says.
            let profile = state.app.profile_page(&viewer, viewer.id).await?;
            CoachForm {
                skills: profile.skills.join(", "),
                capacity: "2".into(),
                time_zone: profile.time_zone,
                ..CoachForm::default()
            }
        }
    };
    Ok(render(&ProfileFormTemplate {
        ctx,
        coach,
        form,
        errors: FieldErrors::new(),
    }))
}

pub async fn save_profile(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    FormBody(form): FormBody<CoachForm>,
) -> Result<Response, PageError> {
    let input = CoachInput {
        skills: form.skills.clone(),
        bio: form.bio.clone(),
        capacity: form.capacity.clone(),
        time_zone: form.time_zone.clone(),
        availability: form.availability.clone(),
    };
    match state.app.save_coach_profile(&viewer, &input).await {
        Ok(_) => Ok(Redirect::to("/coaching").into_response()),
        Err(AppError::Invalid(errors) | AppError::Nudged(errors)) => {
            let coach = state.app.my_coach_profile(&viewer).await?;
            let page = ProfileFormTemplate {
                ctx,
                coach,
                form,
                errors,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusForm {
    change: String,
}

/// Pause, resume or withdraw.
pub async fn change_status(
    State(state): State<WebState>,
    Member(viewer): Member,
    FormBody(form): FormBody<StatusForm>,
) -> Result<Response, PageError> {
    let change = match form.change.as_str() {
        "pause" => CoachChange::Pause,
        "resume" => CoachChange::Resume,
        "withdraw" => CoachChange::Withdraw,
        _ => return Err(AppError::invalid("change", "Choose pause, resume or withdraw.").into()),
    };
    state.app.change_coaching(&viewer, change).await?;
    Ok(Redirect::to("/coaching").into_response())
}

#[derive(Template)]
#[template(path = "coaching/applications.html")]
struct ApplicationsTemplate {
    ctx: PageCtx,
    applications: Vec<CoachView>,
    next: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ApplicationsQuery {
    #[serde(default)]
    after: Option<i64>,
}

pub async fn applications(
    State(state): State<WebState>,
    Member(viewer): Member,
    ctx: PageCtx,
    QueryParams(query): QueryParams<ApplicationsQuery>,
) -> Result<Response, PageError> {
    let (applications, next) = state.app.coach_applications(&viewer, query.after).await?;
    Ok(render(&ApplicationsTemplate {
        ctx,
        applications,
        next,
    }))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationDecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn decide(
    State(state): State<WebState>,
    Member(viewer): Member,
    IdPath(id): IdPath,
    FormBody(form): FormBody<ApplicationDecisionForm>,
) -> Result<Response, PageError> {
    let approve = crate::forms::approve_or_decline(&form.decision)?;
    state
        .app
        .decide_coach(&viewer, id, approve, &form.note)
        .await?;
    Ok(Redirect::to("/coaching/applications").into_response())
}
