//! Several instances on one PostgreSQL, as behind a load balancer: sessions and tokens work on
//! either, and live events cross from one to the other through LISTEN/NOTIFY. SQLite runs one
//! instance, so there these tests have nothing to show.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::{Method, Response, StatusCode};
use serde_json::json;
use std::time::Duration;
use support::TestServer;
use support::people::{Person, call_ok, open_space, people};

/// `who` opens the thread's live stream on `server`.
async fn listen(server: &TestServer, who: &Person, thread: i64) -> Response {
    let stream = reqwest::Client::new()
        .get(server.url(&format!("/live?thread={thread}")))
        .bearer_auth(&who.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    stream
}

async fn reply(server: &TestServer, who: &Person, thread: i64, body: &str) -> i64 {
    let path = format!("/api/v1/threads/{thread}/posts");
    call_ok(server, who, Method::POST, &path, json!({ "body": body })).await["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_post_written_on_one_instance_appears_live_on_another() {
    if guildhall_store::testing::postgres_url().is_none() {
        eprintln!("several instances need PostgreSQL: skipped on SQLite");
        return;
    }
    let a = support::start().await;
    let b = a.second_instance().await;
    let (admin, others) = people(&a, &[("Grace", "Hopper"), ("Alan", "Turing")]).await;
    let (grace, alan) = (&others[0], &others[1]);
    let slug = open_space(&a, &admin, "Commons", "community", &[grace, alan]).await;
    let path = format!("/api/v1/spaces/{slug}/threads");
    let thread =
        json!({"kind": "question", "title": "Where are the slides?", "body": "From Tuesday."});
    let thread = call_ok(&a, grace, Method::POST, &path, thread).await["id"]
        .as_i64()
        .unwrap();

    // Grace's page is served by B; Alan answers through A.
    let mut on_b = listen(&b, grace, thread).await;
    let first = reply(&a, alan, thread, "In the shared drive.").await;
    let seen = TestServer::wait_for(&mut on_b, "event: post").await;
    assert!(seen.contains(&format!("data: {first}")), "{seen}");

    // And the other way round, with the instances' roles swapped.
    let mut on_a = listen(&a, alan, thread).await;
    let second = reply(&b, grace, thread, "Found them, thank you.").await;
    let seen = TestServer::wait_for(&mut on_a, "event: post").await;
    assert!(seen.contains(&format!("data: {second}")), "{seen}");
    // Each instance still hears its own posts once, not again through the database.
    let mut seen = TestServer::wait_for(&mut on_b, &format!("data: {second}")).await;
    // A copy relayed back would follow within moments: listen a little longer.
    while let Ok(Ok(Some(chunk))) =
        tokio::time::timeout(Duration::from_millis(500), on_b.chunk()).await
    {
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert_eq!(seen.matches("event: post").count(), 1, "{seen}");
}
