//! The people network over HTTP: following (the person is told), endorsements (once per skill,
//! never oneself, the content check on the reason, withdrawal), a profile that says what a
//! person can help with, and "who knows about X" ranked by evidence the viewer may see.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::people::{Person, call, notifications, people};
use support::{TestServer, start};

async fn set_skills(server: &TestServer, who: &Person, skills: &[&str]) {
    let (status, body) = call(
        server,
        who,
        Method::PUT,
        "/api/v1/me/profile",
        json!({ "skills": skills }),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

#[tokio::test]
async fn following_tells_the_person_and_counts_both_ways() {
    let server = start().await;
    let (_admin, people) = people(&server, &[("Grace", "Hopper"), ("Alan", "Turing")]).await;
    let (grace, alan) = (&people[0], &people[1]);

    let follow = format!("/api/v1/people/{}/follow", alan.id);
    for _ in 0..2 {
        let (status, body) = call(&server, grace, Method::PUT, &follow, Value::Null).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    // Following twice tells Alan once.
    let told = notifications(&server, alan).await;
    assert_eq!(
        told.iter()
            .filter(|t| *t == "Grace Hopper started following you")
            .count(),
        1,
        "{told:?}"
    );

    let (_, network) = call(
        &server,
        grace,
        Method::GET,
        &format!("/api/v1/people/{}/network", alan.id),
        Value::Null,
    )
    .await;
    assert_eq!(network["followers"], 1);
    assert_eq!(network["following"], 0);
    assert_eq!(network["followed_by_me"], true);
    let (_, followers) = call(
        &server,
        alan,
        Method::GET,
        &format!("/api/v1/people/{}/followers", alan.id),
        Value::Null,
    )
    .await;
    assert_eq!(followers["people"][0]["display_name"], "Grace Hopper");
    let (_, following) = call(
        &server,
        alan,
        Method::GET,
        &format!("/api/v1/people/{}/following", grace.id),
        Value::Null,
    )
    .await;
    assert_eq!(following["people"][0]["id"], alan.id);

    // The profile page shows the count and the button; the directory links to "people you follow".
    let page = server
        .api(
            &grace.token,
            Method::GET,
            &format!("/people/{}", alan.id),
            Value::Null,
        )
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("1 follower"), "{page}");
    assert!(page.contains("Stop following Alan Turing"));

    // Not oneself, not nobody; a bad cursor is a 400.
    let (status, _) = call(
        &server,
        grace,
        Method::PUT,
        &format!("/api/v1/people/{}/follow", grace.id),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = call(
        &server,
        grace,
        Method::PUT,
        "/api/v1/people/999999/follow",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &server,
        grace,
        Method::GET,
        &format!("/api/v1/people/{}/followers?before=-3", alan.id),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, _) = call(&server, grace, Method::DELETE, &follow, Value::Null).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, network) = call(
        &server,
        grace,
        Method::GET,
        &format!("/api/v1/people/{}/network", alan.id),
        Value::Null,
    )
    .await;
    assert_eq!(network["followers"], 0);
    assert_eq!(network["followed_by_me"], false);
}

#[tokio::test]
async fn endorsements_are_once_per_skill_never_oneself_and_checked() {
    let server = start().await;
    let (_admin, people) = people(
        &server,
        &[
            ("Grace", "Hopper"),
            ("Alan", "Turing"),
            ("Katherine", "Johnson"),
        ],
    )
    .await;
    let (grace, alan, katherine) = (&people[0], &people[1], &people[2]);
    set_skills(&server, grace, &["COBOL", "Compilers"]).await;
    let endorse = format!("/api/v1/people/{}/endorsements", grace.id);

    let (status, body) = call(
        &server,
        alan,
        Method::POST,
        &endorse,
        json!({"skill": "cobol", "reason": "Explained copybooks to our whole team"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let endorsement = body["id"].as_i64().unwrap();
    let told = notifications(&server, grace).await;
    assert!(
        told.iter()
            .any(|t| t
                == "Alan Turing endorsed you for COBOL: “Explained copybooks to our whole team”"),
        "{told:?}"
    );

    // Once per skill per endorser; another skill or another endorser is fine.
    let (status, body) = call(
        &server,
        alan,
        Method::POST,
        &endorse,
        json!({"skill": "COBOL", "reason": "Again"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"], "already_endorsed");
    let (status, _) = call(
        &server,
        alan,
        Method::POST,
        &endorse,
        json!({"skill": "Compilers", "reason": "Her compiler taught me a lot"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(
        &server,
        katherine,
        Method::POST,
        &endorse,
        json!({"skill": "COBOL", "reason": "Reviewed my first program kindly"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // Refusals change nothing: oneself, a rude reason, no reason, a skill nobody uses.
    for (who, body, field) in [
        (
            grace,
            json!({"skill": "COBOL", "reason": "I am great at it"}),
            "person",
        ),
        (
            katherine,
            json!({"skill": "Compilers", "reason": "What a loser you are, nobody asked."}),
            "reason",
        ),
        (
            katherine,
            json!({"skill": "Compilers", "reason": "  "}),
            "reason",
        ),
        (
            katherine,
            json!({"skill": "Basket weaving", "reason": "She is good"}),
            "skill",
        ),
        (
            katherine,
            json!({"skill": "COBOL\u{0}", "reason": "She is good"}),
            "skill",
        ),
    ] {
        let (status, answer) = call(&server, who, Method::POST, &endorse, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["fields"][field].is_string(), "{answer}");
    }

    let (_, network) = call(
        &server,
        katherine,
        Method::GET,
        &format!("/api/v1/people/{}/network", grace.id),
        Value::Null,
    )
    .await;
    assert_eq!(
        network["skills"],
        json!([{"skill": "COBOL", "endorsements": 2}, {"skill": "Compilers", "endorsements": 1}])
    );
    assert_eq!(network["endorsements"].as_array().unwrap().len(), 3);

    // Only the endorser withdraws; withdrawn, it can be given again.
    let withdraw = format!("/api/v1/endorsements/{endorsement}");
    let (status, _) = call(&server, grace, Method::DELETE, &withdraw, Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&server, alan, Method::DELETE, &withdraw, Value::Null).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&server, alan, Method::DELETE, &withdraw, Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = call(&server, grace, Method::GET, &endorse, Value::Null).await;
    assert_eq!(list["endorsements"].as_array().unwrap().len(), 2);
    let (status, _) = call(
        &server,
        alan,
        Method::POST,
        &endorse,
        json!({"skill": "COBOL", "reason": "Still the best explanation of copybooks"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // The profile page says who, for what and why, and offers the form to others.
    let page = server
        .api(
            &katherine.token,
            Method::GET,
            &format!("/people/{}", grace.id),
            Value::Null,
        )
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Can help with"));
    assert!(page.contains("endorsed by 2 colleagues"), "{page}");
    assert!(page.contains("Reviewed my first program kindly"));
    assert!(page.contains("Endorse Grace Hopper"));
}

#[tokio::test]
async fn who_knows_ranks_by_evidence_the_viewer_may_see_and_explains_it() {
    let server = start().await;
    let (admin, people) = people(
        &server,
        &[
            ("Grace", "Hopper"),
            ("Alan", "Turing"),
            ("Katherine", "Johnson"),
            ("Margaret", "Hamilton"),
        ],
    )
    .await;
    let (grace, alan, katherine, margaret) = (&people[0], &people[1], &people[2], &people[3]);
    set_skills(&server, grace, &["Rust"]).await;
    set_skills(&server, alan, &["Rust", "Cryptanalysis"]).await;

    // An open space where Katherine answers a Rust question well, and a secret one where
    // Margaret does: only members of the secret space may count that.
    for (name, visibility) in [("Systems Guild", "open"), ("Skunkworks", "secret")] {
        let (status, body) = call(
            &server,
            &admin,
            Method::POST,
            "/api/v1/spaces",
            json!({"name": name, "kind": "community", "visibility": visibility}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    for who in [katherine, alan] {
        let (status, _) = call(
            &server,
            who,
            Method::POST,
            "/api/v1/spaces/systems-guild/membership",
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let mut accepted = Vec::new();
    for (space, answerer, question) in [
        ("systems-guild", katherine, "How do Rust lifetimes work?"),
        ("skunkworks", &admin, "Rust in our secret firmware?"),
    ] {
        let (status, thread) = call(
            &server,
            &admin,
            Method::POST,
            &format!("/api/v1/spaces/{space}/threads"),
            json!({"kind": "question", "title": question, "body": format!("Asking in {space}.")}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{thread}");
        let thread = thread["id"].as_i64().unwrap();
        let (status, post) = call(
            &server,
            answerer,
            Method::POST,
            &format!("/api/v1/threads/{thread}/posts"),
            json!({"body": format!("Here is how we do it in {space}.")}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{post}");
        let post = post["id"].as_i64().unwrap();
        let (status, _) = call(
            &server,
            &admin,
            Method::PUT,
            &format!("/api/v1/threads/{thread}/accepted"),
            json!({"post_id": post}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        accepted.push(post);
    }
    let (status, _) = call(
        &server,
        alan,
        Method::POST,
        &format!("/api/v1/posts/{}/reactions", accepted[0]),
        json!({"kind": "helpful"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for endorser in [katherine, margaret] {
        let (status, body) = call(
            &server,
            endorser,
            Method::POST,
            &format!("/api/v1/people/{}/endorsements", alan.id),
            json!({"skill": "rust", "reason": "Paired with me on a tricky borrow"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    let reasons = |body: &Value| -> Vec<(String, Vec<String>)> {
        body["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["display_name"].as_str().unwrap().to_owned(),
                    p["reasons"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|r| r.as_str().unwrap().to_owned())
                        .collect(),
                )
            })
            .collect()
    };
    let (status, body) = call(
        &server,
        margaret,
        Method::GET,
        "/api/v1/knows?skill=RUST",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["skill"], "Rust");
    assert_eq!(
        reasons(&body),
        [
            (
                "Alan Turing".to_owned(),
                vec![
                    "lists it on their profile".to_owned(),
                    "endorsed for Rust by 2 colleagues".to_owned()
                ]
            ),
            (
                "Katherine Johnson".to_owned(),
                vec![
                    "1 accepted answer in threads about Rust".to_owned(),
                    "1 “helpful” reaction on their posts about Rust".to_owned()
                ]
            ),
            (
                "Grace Hopper".to_owned(),
                vec!["lists it on their profile".to_owned()]
            ),
        ]
    );
    // Ada belongs to the secret space: her answer there counts for her, not for Margaret.
    let (_, seen_by_admin) = call(
        &server,
        &admin,
        Method::GET,
        "/api/v1/knows?skill=rust",
        Value::Null,
    )
    .await;
    assert!(
        reasons(&seen_by_admin)
            .iter()
            .any(|(name, _)| name == "Ada Lovelace")
    );

    // The page twin explains the same; bad input is a 400, an unknown skill an empty list.
    let page = server
        .api(
            &margaret.token,
            Method::GET,
            "/people/knows?skill=Rust",
            Value::Null,
        )
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("endorsed for Rust by 2 colleagues"), "{html}");
    for path in [
        "/api/v1/knows?skill=%00",
        "/api/v1/knows?skill=rust&after=nonsense",
    ] {
        let (status, _) = call(&server, margaret, Method::GET, path, Value::Null).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
    }
    let (status, body) = call(
        &server,
        margaret,
        Method::GET,
        "/api/v1/knows?skill=Underwater%20welding",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["people"], json!([]));
}
