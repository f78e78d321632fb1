//! The documents remote servers fetch. Each answer comes from one app call; while federation
//! is off, or for anything not federated, the answer is 404.

use crate::answer;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use guildhall_app::nexus::federation::Served;
use guildhall_app::{App, AppResult};
use guildhall_domain::nexus::documents::MEDIA_TYPE;
use serde::Deserialize;
use serde_json::json;

fn activity(result: AppResult<Served>) -> Response {
    match result {
        Ok(served) => answer::json(StatusCode::OK, MEDIA_TYPE, &served.document),
        Err(error) => answer::error(&error),
    }
}

#[derive(Deserialize)]
pub struct Resource {
    resource: Option<String>,
}

pub async fn webfinger(State(app): State<App>, Query(query): Query<Resource>) -> Response {
    let Some(resource) = query.resource else {
        return answer::refuse(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "Ask for ?resource=acct:name@host.",
        );
    };
    match app.webfinger(&resource).await {
        Ok(served) => answer::json(StatusCode::OK, "application/jrd+json", &served.document),
        Err(error) => answer::error(&error),
    }
}

pub async fn nodeinfo_links(State(app): State<App>) -> Response {
    let href = format!("{}/nodeinfo/2.1", app.public_base());
    answer::json(
        StatusCode::OK,
        "application/json",
        &json!({ "links": [{ "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": href }] }),
    )
}

pub async fn nodeinfo(State(app): State<App>) -> Response {
    match app.nodeinfo().await {
        Ok(served) => answer::json(
            StatusCode::OK,
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
            &served.document,
        ),
        Err(error) => answer::error(&error),
    }
}

pub async fn instance_actor(State(app): State<App>) -> Response {
    activity(app.instance_actor().await)
}

pub async fn group(State(app): State<App>, Path(slug): Path<String>) -> Response {
    activity(app.group_actor(&slug).await)
}

pub async fn followers(State(app): State<App>, Path(slug): Path<String>) -> Response {
    activity(app.group_followers(&slug).await)
}

/// The group's outbox: its size only; remote servers learn of posts by delivery.
pub async fn outbox(State(app): State<App>, Path(slug): Path<String>) -> Response {
    activity(app.group_actor(&slug).await.map(|group| {
        let id = format!(
            "{}/outbox",
            group.document["id"].as_str().unwrap_or_default()
        );
        Served {
            document: guildhall_domain::nexus::documents::collection(&id, 0, Some(Vec::new())),
        }
    }))
}

pub async fn person(State(app): State<App>, Path(id): Path<i64>) -> Response {
    activity(app.person_actor(id).await)
}

pub async fn thread(State(app): State<App>, Path(id): Path<i64>) -> Response {
    activity(app.federated_object(Some(id), None).await)
}

pub async fn post(State(app): State<App>, Path(id): Path<i64>) -> Response {
    activity(app.federated_object(None, Some(id)).await)
}
