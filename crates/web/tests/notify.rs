//! Notifications and live updates: a reply notifies the asker (through the outbox), the unread
//! count and new posts reach an open page over Server-Sent Events, and outsiders hear nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestServer, browser, start};

#[tokio::test]
async fn replies_notify_and_appear_live() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let grace = browser();
    server
        .sign_up(&grace, "Grace", "Hopper", "grace@example.org")
        .await;
    let alan = browser();
    server
        .sign_up(&alan, "Alan", "Turing", "alan@example.org")
        .await;
    let admin_token = server.token_via_profile(&admin, &["read", "write"]).await;
    let grace_token = server.token_via_profile(&grace, &["read", "write"]).await;
    let alan_token = server.token_via_profile(&alan, &["read", "write"]).await;
    let api = reqwest::Client::new();
    let call = |token: &str, method: reqwest::Method, path: &str, body: Value| {
        api.request(method, server.url(path))
            .bearer_auth(token.to_owned())
            .json(&body)
            .send()
    };

    call(
        &admin_token,
        reqwest::Method::POST,
        "/api/v1/spaces",
        json!({"name": "Open Forum", "kind": "community", "visibility": "open"}),
    )
    .await
    .unwrap();
    call(
        &admin_token,
        reqwest::Method::POST,
        "/api/v1/spaces",
        json!({"name": "Closed Room", "kind": "team", "visibility": "invite_only"}),
    )
    .await
    .unwrap();
    for token in [&grace_token, &alan_token] {
        call(
            token,
            reqwest::Method::POST,
            "/api/v1/spaces/open-forum/membership",
            json!({}),
        )
        .await
        .unwrap();
    }
    let thread: Value = call(
        &grace_token,
        reqwest::Method::POST,
        "/api/v1/spaces/open-forum/threads",
        json!({"kind": "question", "title": "Where are the slides?", "body": "From Tuesday."}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let thread_id = thread["id"].as_i64().unwrap();
    let secret: Value = call(
        &admin_token,
        reqwest::Method::POST,
        "/api/v1/spaces/closed-room/threads",
        json!({"kind": "discussion", "title": "Closed", "body": "x"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();

    // Grace has the thread open; her page listens.
    let mut stream = grace
        .get(server.url(&format!("/live?thread={thread_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    // Alan may not follow a thread he cannot read.
    let refused = alan
        .get(server.url(&format!("/live?thread={}", secret["id"])))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let reply: Value = call(
        &alan_token,
        reqwest::Method::POST,
        &format!("/api/v1/threads/{thread_id}/posts"),
        json!({"body": "In the shared drive."}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let seen = TestServer::wait_for(&mut stream, "event: post").await;
    assert!(seen.contains(&format!("data: {}", reply["id"])), "{seen}");

    // The notification is written by the outbox worker, then the count arrives live.
    let before: Value = call(
        &grace_token,
        reqwest::Method::GET,
        "/api/v1/notifications",
        json!(null),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(before["unread"], 0, "nothing until the worker delivers");
    server.deliver_effects().await;
    TestServer::wait_for(&mut stream, "event: unread\ndata: 1").await;
    let after: Value = call(
        &grace_token,
        reqwest::Method::GET,
        "/api/v1/notifications",
        json!(null),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(after["unread"], 1);
    assert_eq!(
        after["notifications"][0]["text"],
        "Alan Turing replied in “Where are the slides?”"
    );
    assert_eq!(
        after["notifications"][0]["url"],
        format!("/t/{thread_id}#post-{}", reply["id"])
    );
    let page = grace
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("id=\"unread-count\">1</span>"),
        "the navigation shows the count"
    );

    // Accepting notifies the answerer, not the asker; Alan's own reply did not notify Alan.
    call(
        &grace_token,
        reqwest::Method::PUT,
        &format!("/api/v1/threads/{thread_id}/accepted"),
        json!({"post_id": reply["id"]}),
    )
    .await
    .unwrap();
    server.deliver_effects().await;
    let alans: Value = call(
        &alan_token,
        reqwest::Method::GET,
        "/api/v1/notifications",
        json!(null),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    // The accepted answer, and the badge his first accepted answer earns.
    assert_eq!(alans["unread"], 2);
    let kinds: Vec<&str> = alans["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["recognition", "answer_accepted"]);

    let read = server
        .post_form(&grace, "/notifications", "/notifications/read", &[])
        .await;
    assert_eq!(read.status(), StatusCode::SEE_OTHER);
    TestServer::wait_for(&mut stream, "event: unread\ndata: 0").await;
    let admin_view: Value = call(
        &admin_token,
        reqwest::Method::GET,
        "/api/v1/notifications",
        json!(null),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(admin_view["unread"], 0, "nobody else was told");
}

#[tokio::test]
async fn watching_muting_and_reading_a_thread() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let tokens: Vec<String> = server
        .colleagues(&[
            ("Grace", "Hopper", "grace@example.org"),
            ("Alan", "Turing", "alan@example.org"),
            ("Mary", "Jackson", "mary@example.org"),
        ])
        .await
        .into_iter()
        .map(|(_, token)| token)
        .collect();
    let (grace, alan, mary) = (&tokens[0], &tokens[1], &tokens[2]);
    let admin_token = server.token_via_profile(&admin, &["read", "write"]).await;
    let api = reqwest::Client::new();
    server
        .api(
            &admin_token,
            reqwest::Method::POST,
            "/api/v1/spaces",
            json!({"name": "Forum", "kind": "community", "visibility": "open"}),
        )
        .await
        .unwrap();
    for token in [grace, alan, mary] {
        server
            .api(
                token,
                reqwest::Method::POST,
                "/api/v1/spaces/forum/membership",
                json!({}),
            )
            .await
            .unwrap();
    }
    let thread: Value = server
        .api(
            grace,
            reqwest::Method::POST,
            "/api/v1/spaces/forum/threads",
            json!({"kind": "discussion", "title": "Lunch and learn", "body": "Ideas?"}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = thread["id"].as_i64().unwrap();

    // Mary watches, Grace (the author) mutes; Alan replies.
    assert_eq!(
        server
            .api(
                mary,
                reqwest::Method::PUT,
                &format!("/api/v1/threads/{id}/subscription"),
                json!({"level": "watching"})
            )
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        server
            .api(
                grace,
                reqwest::Method::PUT,
                &format!("/api/v1/threads/{id}/subscription"),
                json!({"level": "muted"})
            )
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let bad = server
        .api(
            grace,
            reqwest::Method::PUT,
            &format!("/api/v1/threads/{id}/subscription"),
            json!({"level": "loud"}),
        )
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Mary reads the thread now, before the reply.
    let page: Value = server
        .api(
            mary,
            reqwest::Method::GET,
            &format!("/api/v1/threads/{id}"),
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["subscription"], "watching");
    assert_eq!(
        page["posts"][0]["unread"], false,
        "a first visit marks nothing new"
    );
    server
        .api(
            alan,
            reqwest::Method::POST,
            &format!("/api/v1/threads/{id}/posts"),
            json!({"body": "A session on SQL?"}),
        )
        .await
        .unwrap();
    server.deliver_effects().await;

    let unread = |token: &str| {
        let request = api
            .get(server.url("/api/v1/notifications"))
            .bearer_auth(token.to_owned());
        async move {
            request.send().await.unwrap().json::<Value>().await.unwrap()["unread"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(unread(mary).await, 1, "watchers hear every reply");
    assert_eq!(unread(grace).await, 0, "the author muted the thread");
    assert_eq!(unread(alan).await, 0, "never about one's own reply");

    // Feeds say where there is something to read: for Mary (new reply), not for Alan (his own).
    let feed = |token: &str| {
        let request = api
            .get(server.url("/api/v1/feed/home"))
            .bearer_auth(token.to_owned());
        async move {
            request.send().await.unwrap().json::<Value>().await.unwrap()["threads"][0]["unread"]
                .clone()
        }
    };
    assert_eq!(feed(mary).await, true);
    assert_eq!(feed(alan).await, false, "one has read what one wrote");
    // Back on the thread, Mary sees Alan's reply marked new; the next visit marks nothing.
    let page: Value = server
        .api(
            mary,
            reqwest::Method::GET,
            &format!("/api/v1/threads/{id}"),
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            page["posts"][0]["unread"].as_bool(),
            page["posts"][1]["unread"].as_bool()
        ),
        (Some(false), Some(true))
    );
    let again: Value = server
        .api(
            mary,
            reqwest::Method::GET,
            &format!("/api/v1/threads/{id}"),
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["posts"][1]["unread"], false);
    assert_eq!(feed(mary).await, false, "read now");
}

#[tokio::test]
async fn mentions_notify_people_who_can_read_the_thread() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let tokens: Vec<String> = server
        .colleagues(&[
            ("Grace", "Hopper", "grace@example.org"),
            ("Alan", "Turing", "alan@example.org"),
            ("Eve", "Outside", "eve@example.org"),
        ])
        .await
        .into_iter()
        .map(|(_, token)| token)
        .collect();
    let (grace, alan, eve) = (&tokens[0], &tokens[1], &tokens[2]);
    let admin_token = server.token_via_profile(&admin, &["read", "write"]).await;
    server
        .api(
            &admin_token,
            reqwest::Method::POST,
            "/api/v1/spaces",
            json!({"name": "Team", "kind": "team", "visibility": "invite_only"}),
        )
        .await
        .unwrap();
    for email in ["grace@example.org", "alan@example.org"] {
        server
            .post_form(
                &admin,
                "/s/team/members",
                "/s/team/invite",
                &[("email", email)],
            )
            .await;
    }
    for token in [grace, alan] {
        server
            .api(
                token,
                reqwest::Method::POST,
                "/api/v1/spaces/team/membership",
                json!({}),
            )
            .await
            .unwrap();
    }

    let names: Value = server
        .api(
            grace,
            reqwest::Method::GET,
            "/api/v1/people?q=al",
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(names[0]["display_name"], "Alan Turing");
    assert_eq!(
        server
            .api(
                grace,
                reqwest::Method::GET,
                "/api/v1/people?q=a",
                json!(null)
            )
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap(),
        json!([]),
        "two letters at least"
    );

    let thread: Value = server.api(grace, reqwest::Method::POST, "/api/v1/spaces/team/threads", json!({"kind": "question", "title": "Quarterly plan", "body": "What do you think, @[alan turing] and @[Eve Outside]?"}))
        .await.unwrap().json().await.unwrap();
    server.deliver_effects().await;
    let alans: Value = server
        .api(
            alan,
            reqwest::Method::GET,
            "/api/v1/notifications",
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        alans["notifications"][0]["text"],
        "Grace Hopper mentioned you in “Quarterly plan”"
    );
    let eves: Value = server
        .api(
            eve,
            reqwest::Method::GET,
            "/api/v1/notifications",
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        eves["unread"], 0,
        "Eve cannot read the team's space, so she is not told about it"
    );

    let page: Value = server
        .api(
            alan,
            reqwest::Method::GET,
            &format!("/api/v1/threads/{}", thread["id"]),
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        page["posts"][0]["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>@alan turing</strong>"),
        "{page}"
    );
}

#[tokio::test]
async fn watchers_hear_about_new_threads_they_can_read() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let tokens: Vec<String> = server
        .colleagues(&[
            ("Grace", "Hopper", "grace@example.org"),
            ("Alan", "Turing", "alan@example.org"),
        ])
        .await
        .into_iter()
        .map(|(_, token)| token)
        .collect();
    let (grace, alan) = (&tokens[0], &tokens[1]);
    let admin_token = server.token_via_profile(&admin, &["read", "write"]).await;
    server
        .api(
            &admin_token,
            reqwest::Method::POST,
            "/api/v1/spaces",
            json!({"name": "News", "kind": "community", "visibility": "open"}),
        )
        .await
        .unwrap();
    server
        .api(
            &admin_token,
            reqwest::Method::POST,
            "/api/v1/spaces",
            json!({"name": "Board", "kind": "team", "visibility": "invite_only"}),
        )
        .await
        .unwrap();

    assert_eq!(
        server
            .api(
                grace,
                reqwest::Method::PUT,
                "/api/v1/spaces/news/watch",
                json!({"watching": true})
            )
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    let refused = server
        .api(
            alan,
            reqwest::Method::PUT,
            "/api/v1/spaces/board/watch",
            json!({"watching": true}),
        )
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        StatusCode::FORBIDDEN,
        "cannot watch what one cannot read"
    );
    let space: Value = server
        .api(
            grace,
            reqwest::Method::GET,
            "/api/v1/spaces/news",
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(space["watching"], true);

    server
        .api(
            &admin_token,
            reqwest::Method::POST,
            "/api/v1/spaces/news/threads",
            json!({"kind": "announcement", "title": "Town hall on Friday", "body": "Join us."}),
        )
        .await
        .unwrap();
    server.deliver_effects().await;
    let graces: Value = server
        .api(
            grace,
            reqwest::Method::GET,
            "/api/v1/notifications",
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        graces["notifications"][0]["text"],
        "Ada Lovelace started “Town hall on Friday” in a space you watch"
    );
    let alans: Value = server
        .api(
            alan,
            reqwest::Method::GET,
            "/api/v1/notifications",
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(alans["unread"], 0, "not watching, not told");

    server
        .api(
            grace,
            reqwest::Method::PUT,
            "/api/v1/spaces/news/watch",
            json!({"watching": false}),
        )
        .await
        .unwrap();
    server
        .api(
            &admin_token,
            reqwest::Method::POST,
            "/api/v1/spaces/news/threads",
            json!({"kind": "announcement", "title": "Second", "body": "x"}),
        )
        .await
        .unwrap();
    server.deliver_effects().await;
    let graces: Value = server
        .api(
            grace,
            reqwest::Method::GET,
            "/api/v1/notifications",
            json!(null),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(graces["unread"], 1, "no longer watching");
}
