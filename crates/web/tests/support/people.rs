//! People for API-driven tests: an administrator with a token and colleagues with theirs.

use super::{TestServer, browser};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub struct Person {
    pub token: String,
    pub id: i64,
}

/// A JSON call as `who`: the status and the body (`Null` when it is not JSON).
pub async fn call(
    server: &TestServer,
    who: &Person,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = server.api(&who.token, method, path, body).await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// [`call`] that must succeed: the body, or a failure naming the path, status and answer.
pub async fn call_ok(
    server: &TestServer,
    who: &Person,
    method: Method,
    path: &str,
    body: Value,
) -> Value {
    let (status, answer) = call(server, who, method, path, body).await;
    assert!(status.is_success(), "{path}: {status} {answer}");
    answer
}

async fn with_id(server: &TestServer, token: String) -> Person {
    let mut person = Person { token, id: 0 };
    person.id = call(server, &person, Method::GET, "/api/v1/me", Value::Null)
        .await
        .1["id"]
        .as_i64()
        .unwrap();
    person
}

/// An administrator (Ada) with a token, and colleagues signed up at example.org.
pub async fn people(server: &TestServer, names: &[(&str, &str)]) -> (Person, Vec<Person>) {
    let admin_browser = browser();
    server.set_up_admin(&admin_browser).await;
    let admin_token = server
        .token_via_profile(&admin_browser, &["read", "write"])
        .await;
    let admin = with_id(server, admin_token).await;
    let listed: Vec<(&str, &str, String)> = names
        .iter()
        .map(|(g, f)| (*g, *f, format!("{}@example.org", g.to_lowercase())))
        .collect();
    let triples: Vec<(&str, &str, &str)> = listed
        .iter()
        .map(|(g, f, e)| (*g, *f, e.as_str()))
        .collect();
    let mut out = Vec::new();
    for (_, token) in server.colleagues(&triples).await {
        out.push(with_id(server, token).await);
    }
    (admin, out)
}

/// The texts of `who`'s notifications, newest first, after the outbox has run.
pub async fn notifications(server: &TestServer, who: &Person) -> Vec<String> {
    server.deliver_effects().await;
    let (_, body) = call(
        server,
        who,
        Method::GET,
        "/api/v1/notifications",
        Value::Null,
    )
    .await;
    body["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap().to_owned())
        .collect()
}

/// `facilitator` opens a space of `kind` that `members` join; its slug.
pub async fn open_space(
    server: &TestServer,
    facilitator: &Person,
    name: &str,
    kind: &str,
    members: &[&Person],
) -> String {
    let body = serde_json::json!({"name": name, "kind": kind, "visibility": "open"});
    let (status, space) = call(server, facilitator, Method::POST, "/api/v1/spaces", body).await;
    assert_eq!(status, StatusCode::CREATED, "{space}");
    let slug = space["slug"].as_str().unwrap().to_owned();
    for who in members {
        let path = format!("/api/v1/spaces/{slug}/membership");
        let (status, body) = call(server, who, Method::POST, &path, Value::Null).await;
        assert!(status.is_success(), "{status} {body}");
    }
    slug
}
