//! Search over HTTP: ranked hits with escaped, highlighted snippets, filters, index kept current
//! by edits and deletes, and nothing from spaces the searcher cannot read.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{browser, start};

#[tokio::test]
async fn search_finds_what_you_may_read_and_keeps_up_with_edits() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let outsider = browser();
    server
        .sign_up(&outsider, "Alan", "Turing", "alan@example.org")
        .await;
    let token = server.token_via_profile(&admin, &["read", "write"]).await;
    let outsider_token = server.token_via_profile(&outsider, &["read"]).await;
    let api = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        api.post(server.url(path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };

    for (name, visibility) in [("Agile Practices", "open"), ("Reorg Planning", "secret")] {
        assert_eq!(
            post(
                "/api/v1/spaces",
                json!({"name": name, "kind": "team", "visibility": visibility})
            )
            .await
            .unwrap()
            .status(),
            StatusCode::CREATED
        );
    }
    let retro: Value = post("/api/v1/spaces/agile-practices/threads", json!({"kind": "question", "title": "Running a retrospective", "body": "How do you keep retrospectives <b>fresh</b>?"}))
        .await.unwrap().json().await.unwrap();
    let retro_id = retro["id"].as_i64().unwrap();
    post(
        "/api/v1/spaces/agile-practices/threads",
        json!({"kind": "discussion", "title": "Kanban limits", "body": "We set a limit of three."}),
    )
    .await
    .unwrap();
    post("/api/v1/spaces/reorg-planning/threads", json!({"kind": "discussion", "title": "Confidential retrospective of the merger", "body": "Secret numbers."})).await.unwrap();
    let reply: Value = post(
        &format!("/api/v1/threads/{retro_id}/posts"),
        json!({"body": "Change the format every sprint: a retrospective game helps."}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();

    let search = |who: &str, query: &str| {
        let who = who.to_owned();
        let url = server.url(&format!("/api/v1/search?{query}"));
        let api = api.clone();
        async move {
            api.get(url)
                .bearer_auth(who)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };

    let hits = search(&token, "q=retrospectiv").await;
    let titles: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"Running a retrospective")
            && titles.contains(&"Confidential retrospective of the merger"),
        "{titles:?}"
    );
    let question = hits
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "thread" && h["title"] == "Running a retrospective")
        .unwrap();
    let snippet = question["snippet_html"].as_str().unwrap();
    // Escaped on SQLite; PostgreSQL's headline drops the tag: either way no markup but <mark>.
    assert!(
        snippet.contains("<mark>") && snippet.contains("fresh") && !snippet.contains("<b>"),
        "{snippet}"
    );
    let answer = hits
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "post")
        .unwrap();
    assert_eq!(answer["url"], format!("/t/{retro_id}#post-{}", reply["id"]));
    assert_eq!(answer["space_name"], "Agile Practices");

    // Outsiders never see the secret space, its threads or its name.
    let theirs = search(&outsider_token, "q=retrospective").await;
    let text = theirs.to_string();
    assert!(
        !text.contains("Confidential") && !text.contains("Reorg"),
        "{text}"
    );
    assert!(text.contains("Running a retrospective"));
    assert_eq!(search(&outsider_token, "q=reorg").await, json!([]));

    // Filters.
    assert_eq!(
        search(&token, "q=retrospective&space=reorg-planning")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let questions = search(&token, "q=retrospective&kind=question").await;
    assert!(
        questions
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["title"] == "Running a retrospective"),
        "{questions}"
    );
    assert_eq!(
        search(&token, "q=retrospective&since=2999-01-01").await,
        json!([])
    );
    let bad = api
        .get(server.url("/api/v1/search?q=x&since=yesterday"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        search(&token, "q=%22%29%28*%3A").await,
        json!([]),
        "operators only: nothing to search, no error"
    );

    // Edits re-index; deletes remove.
    let reply_id = reply["id"].as_i64().unwrap();
    api.put(server.url(&format!("/api/v1/posts/{reply_id}")))
        .bearer_auth(&token)
        .json(&json!({"body": "Try a starfish exercise."}))
        .send()
        .await
        .unwrap();
    assert!(
        search(&token, "q=starfish")
            .await
            .to_string()
            .contains("starfish")
    );
    assert!(!search(&token, "q=game").await.to_string().contains("game"));
    api.delete(server.url(&format!("/api/v1/posts/{reply_id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(search(&token, "q=starfish").await, json!([]));

    // People by name; the page shows the same.
    assert!(
        search(&token, "q=turing")
            .await
            .to_string()
            .contains("Alan Turing")
    );
    let page = admin
        .get(server.url("/search?q=limit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<mark>limit</mark>") && page.contains("1 result"),
        "{page}"
    );
}
