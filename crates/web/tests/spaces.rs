//! Spaces and threads over HTTP: joining by visibility, questions and answers, reactions, edits,
//! and that nothing of a secret or invite-only space leaks to people outside it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::{Client, StatusCode};
use support::{TestServer, browser, start};

/// An admin (who may create spaces) and two colleagues, each in their own browser.
async fn community() -> (TestServer, Client, Client, Client) {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let (grace, alan) = (browser(), browser());
    assert_eq!(
        server
            .sign_up(&grace, "Grace", "Hopper", "grace@example.org")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        server
            .sign_up(&alan, "Alan", "Turing", "alan@example.org")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    (server, admin, grace, alan)
}

async fn create_space(
    server: &TestServer,
    client: &Client,
    name: &str,
    visibility: &str,
) -> String {
    let response = server
        .post_form(
            client,
            "/spaces",
            "/spaces",
            &[
                ("name", name),
                ("kind", "cohort"),
                ("visibility", visibility),
                ("description", "We *learn*."),
                ("rules", "Be kind."),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn start_thread(
    server: &TestServer,
    client: &Client,
    space: &str,
    kind: &str,
    title: &str,
    body: &str,
) -> String {
    let response = server
        .post_form(
            client,
            space,
            &format!("{space}/threads"),
            &[
                ("kind", kind),
                ("title", title),
                ("body", body),
                ("link", ""),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn text(client: &Client, server: &TestServer, path: &str) -> (StatusCode, String) {
    let response = client.get(server.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_question_is_asked_answered_and_accepted() {
    let (server, admin, grace, alan) = community().await;
    let space = create_space(&server, &admin, "Leadership Cohort 2027", "open").await;
    assert_eq!(space, "/s/leadership-cohort-2027");

    // Members only start threads; joining an open space is one click.
    let refused = server
        .post_form(
            &grace,
            &space,
            &format!("{space}/threads"),
            &[
                ("kind", "question"),
                ("title", "t"),
                ("body", "b"),
                ("link", ""),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    for person in [&grace, &alan] {
        assert_eq!(
            server
                .post_form(person, &space, &format!("{space}/join"), &[])
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
    }
    let thread = start_thread(
        &server,
        &grace,
        &space,
        "question",
        "How do I run a retrospective?",
        "Any **tips**? <script>alert(1)</script>",
    )
    .await;
    let (_, page) = text(&grace, &server, &thread).await;
    assert!(
        page.contains("<strong>tips</strong>") && !page.contains("<script>alert"),
        "Markdown rendered and sanitised"
    );

    let (_, home) = text(&alan, &server, "/").await;
    assert!(
        home.contains("How do I run a retrospective?"),
        "the question is in Alan's home feed"
    );
    let (_, unanswered) = text(&alan, &server, "/questions").await;
    assert!(unanswered.contains("How do I run a retrospective?"));

    let reply = server
        .post_form(
            &alan,
            &thread,
            &format!("{thread}/posts"),
            &[("body", "Start with what went well.")],
        )
        .await;
    assert_eq!(reply.status(), StatusCode::SEE_OTHER);
    let answer_id: i64 = reply.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit("#post-")
        .next()
        .unwrap()
        .parse()
        .unwrap();

    // Only the asker (or a facilitator) accepts.
    let id = thread.trim_start_matches("/t/");
    let by_alan = server
        .post_form(
            &alan,
            &thread,
            &format!("/t/{id}/accept"),
            &[("post_id", &answer_id.to_string())],
        )
        .await;
    assert_eq!(by_alan.status(), StatusCode::FORBIDDEN);
    let by_grace = server
        .post_form(
            &grace,
            &thread,
            &format!("/t/{id}/accept"),
            &[("post_id", &answer_id.to_string())],
        )
        .await;
    assert_eq!(by_grace.status(), StatusCode::SEE_OTHER);
    let (_, page) = text(&grace, &server, &thread).await;
    assert!(page.contains("Accepted answer"));
    let (_, unanswered) = text(&alan, &server, "/questions").await;
    assert!(
        !unanswered.contains("How do I run a retrospective?"),
        "answered questions leave the list"
    );

    // Reactions: one of each kind per person, a second click takes it back.
    for _ in 0..2 {
        server
            .post_form(
                &grace,
                &thread,
                &format!("/posts/{answer_id}/react"),
                &[("kind", "helpful")],
            )
            .await;
    }
    server
        .post_form(
            &grace,
            &thread,
            &format!("/posts/{answer_id}/react"),
            &[("kind", "learned")],
        )
        .await;
    let (_, page) = text(&grace, &server, &thread).await;
    assert!(
        page.contains("Learned something 1") && !page.contains("Helpful 1"),
        "{page}"
    );
    let bad = server
        .post_form(
            &grace,
            &thread,
            &format!("/posts/{answer_id}/react"),
            &[("kind", "love")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn authors_edit_with_history_and_facilitators_moderate() {
    let (server, admin, grace, alan) = community().await;
    let space = create_space(&server, &admin, "Team Atlas", "open").await;
    for person in [&grace, &alan] {
        server
            .post_form(person, &space, &format!("{space}/join"), &[])
            .await;
    }
    let thread = start_thread(
        &server,
        &grace,
        &space,
        "discussion",
        "Weekly notes",
        "first draft",
    )
    .await;
    let (_, page) = text(&grace, &server, &thread).await;
    let post_id = page
        .split("/posts/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();

    let by_alan = server
        .post_form(
            &alan,
            &thread,
            &format!("/posts/{post_id}/edit"),
            &[("body", "hijacked")],
        )
        .await;
    assert_eq!(by_alan.status(), StatusCode::FORBIDDEN);
    let edited = server
        .post_form(
            &grace,
            &format!("/posts/{post_id}/edit"),
            &format!("/posts/{post_id}/edit"),
            &[("body", "final text")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let (_, page) = text(&alan, &server, &thread).await;
    assert!(
        page.contains("final text") && page.contains("edited") && !page.contains("first draft")
    );
    let (status, history) = text(&alan, &server, &format!("/posts/{post_id}/history")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        history.contains("first draft") && history.contains("final text"),
        "{history}"
    );
    let (_, quoting) = text(
        &alan,
        &server,
        &format!("{thread}?reply_to={post_id}&quote=true"),
    )
    .await;
    assert!(
        quoting.contains("&#62; Grace Hopper wrote:") && quoting.contains("&#62; final text"),
        "{quoting}"
    );

    // Announcements are for facilitators; pin and lock too.
    let announcement = server
        .post_form(
            &grace,
            &space,
            &format!("{space}/threads"),
            &[
                ("kind", "announcement"),
                ("title", "News"),
                ("body", "b"),
                ("link", ""),
            ],
        )
        .await;
    assert_eq!(announcement.status(), StatusCode::FORBIDDEN);
    let id = thread.trim_start_matches("/t/");
    assert_eq!(
        server
            .post_form(
                &grace,
                &thread,
                &format!("/t/{id}/flags"),
                &[("pinned", "true"), ("locked", "true")]
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server
            .post_form(
                &admin,
                &thread,
                &format!("/t/{id}/flags"),
                &[("pinned", "true"), ("locked", "true")]
            )
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let locked = server
        .post_form(
            &alan,
            &thread,
            &format!("{thread}/posts"),
            &[("body", "late reply")],
        )
        .await;
    assert_eq!(locked.status(), StatusCode::FORBIDDEN);
    let (_, space_page) = text(&alan, &server, &space).await;
    assert!(space_page.contains("Pinned"));

    // A resource needs a web link.
    let no_link = server
        .post_form(
            &grace,
            &space,
            &format!("{space}/threads"),
            &[
                ("kind", "resource"),
                ("title", "Slides"),
                ("body", "b"),
                ("link", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(no_link.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_link.text().await.unwrap().contains("Use a web address"));

    // The facilitator deletes the opening post: the thread goes (softly).
    assert_eq!(
        server
            .post_form(&admin, &thread, &format!("/posts/{post_id}/delete"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        text(&grace, &server, &thread).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn joining_follows_visibility_and_facilitators_approve() {
    let (server, admin, grace, alan) = community().await;
    let on_request = create_space(&server, &admin, "Mentoring Circle", "on_request").await;
    let asked = server
        .post_form(&grace, &on_request, &format!("{on_request}/join"), &[])
        .await;
    assert_eq!(asked.status(), StatusCode::OK);
    assert!(asked.text().await.unwrap().contains("You asked to join"));
    let (_, members) = text(&admin, &server, &format!("{on_request}/members")).await;
    assert!(members.contains("Approve Grace Hopper"));
    let start = members.find("/requests/").unwrap();
    let action = format!(
        "{on_request}{}",
        &members[start..start + members[start..].find('"').unwrap()]
    );
    assert_eq!(
        server
            .post_form(&admin, &format!("{on_request}/members"), &action, &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (_, page) = text(&grace, &server, &on_request).await;
    assert!(page.contains("Leave space"), "Grace is a member now");

    let invite_only = create_space(&server, &admin, "Board Prep", "invite_only").await;
    assert_eq!(
        server
            .post_form(&alan, &invite_only, &format!("{invite_only}/join"), &[])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let invited = server
        .post_form(
            &admin,
            &format!("{invite_only}/members"),
            &format!("{invite_only}/invite"),
            &[("email", "alan@example.org")],
        )
        .await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    let (_, page) = text(&alan, &server, &invite_only).await;
    assert!(page.contains("Accept the invitation"));
    assert_eq!(
        server
            .post_form(&alan, &invite_only, &format!("{invite_only}/join"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // The last facilitator cannot leave.
    let leave = server
        .post_form(&admin, &invite_only, &format!("{invite_only}/leave"), &[])
        .await;
    assert_eq!(leave.status(), StatusCode::CONFLICT);
    // Only facilitators create spaces.
    let refused = server
        .post_form(
            &grace,
            "/spaces",
            "/spaces",
            &[
                ("name", "Mine"),
                ("kind", "team"),
                ("visibility", "open"),
                ("description", ""),
                ("rules", ""),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn nothing_of_a_secret_or_invite_only_space_leaks_to_outsiders() {
    let (server, admin, grace, alan) = community().await;
    let secret = create_space(&server, &admin, "Reorg Planning", "secret").await;
    let closed = create_space(&server, &admin, "Exec Cohort", "invite_only").await;
    server
        .post_form(
            &admin,
            &format!("{secret}/members"),
            &format!("{secret}/invite"),
            &[("email", "grace@example.org")],
        )
        .await;
    server
        .post_form(&grace, &secret, &format!("{secret}/join"), &[])
        .await;
    let secret_thread = start_thread(
        &server,
        &grace,
        &secret,
        "question",
        "Confidential merger question",
        "Who moves where?",
    )
    .await;
    let closed_thread = start_thread(
        &server,
        &admin,
        &closed,
        "discussion",
        "Private exec notes",
        "Numbers",
    )
    .await;
    let (_, page) = text(&grace, &server, &secret_thread).await;
    assert!(
        page.contains("Confidential merger question"),
        "members see it"
    );

    for path in ["/spaces", "/", "/questions", "/me/threads"] {
        let (status, page) = text(&alan, &server, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            !page.contains("Reorg Planning") && !page.contains("Confidential merger"),
            "{path} leaks the secret space"
        );
        assert!(
            !page.contains("Private exec notes"),
            "{path} leaks an invite-only thread"
        );
    }
    assert_eq!(
        text(&alan, &server, &secret).await.0,
        StatusCode::NOT_FOUND,
        "a secret space does not exist for outsiders"
    );
    assert_eq!(
        text(&alan, &server, &format!("{secret}/members")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        text(&alan, &server, &secret_thread).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, page) = text(&alan, &server, &closed_thread).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains("Private exec notes"));
    let (status, page) = text(&alan, &server, &closed).await;
    assert_eq!(status, StatusCode::OK, "invite-only spaces are listed");
    assert!(
        page.contains("Exec Cohort") && !page.contains("Private exec notes"),
        "but their threads are not shown"
    );

    // The API says the same.
    let alan_token = server.token_via_profile(&alan, &["read", "write"]).await;
    let api = reqwest::Client::new();
    let secret_id = secret_thread.trim_start_matches("/t/");
    let closed_id = closed_thread.trim_start_matches("/t/");
    for (path, expected) in [
        (
            format!("/api/v1/threads/{secret_id}"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/v1/spaces{}", secret.trim_start_matches("/s")),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/v1/threads/{closed_id}"),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/spaces{}/threads", closed.trim_start_matches("/s")),
            StatusCode::FORBIDDEN,
        ),
        (
            format!("/api/v1/spaces{}/members", closed.trim_start_matches("/s")),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let response = api
            .get(server.url(&path))
            .bearer_auth(&alan_token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{path}");
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("Confidential") && !body.contains("Private exec"),
            "{path}: {body}"
        );
    }
    let feed = api
        .get(server.url("/api/v1/feed/unanswered"))
        .bearer_auth(&alan_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!feed.contains("Confidential merger"));

    // Writing is refused as well, and changes nothing.
    let id = secret_thread.trim_start_matches("/t/");
    let token = server.csrf(&alan, "/").await;
    for (path, fields) in [
        (format!("/t/{id}/posts"), vec![("body", "sneaky")]),
        (format!("{secret}/join"), vec![]),
        (
            format!("{secret}/threads"),
            vec![
                ("kind", "discussion"),
                ("title", "x"),
                ("body", "y"),
                ("link", ""),
            ],
        ),
        (format!("/t/{id}/accept"), vec![("post_id", "")]),
    ] {
        let mut form = vec![("_csrf", token.as_str())];
        form.extend(fields);
        let response = alan
            .post(server.url(&path))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(
            matches!(
                response.status(),
                StatusCode::NOT_FOUND | StatusCode::FORBIDDEN
            ),
            "{path}: {}",
            response.status()
        );
    }
    let (_, page) = text(&grace, &server, &secret_thread).await;
    assert!(!page.contains("sneaky"));
}
