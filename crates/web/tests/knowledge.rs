//! The knowledge library over HTTP, on both backends: resources of every kind (refused whole
//! when a field is wrong), ratings that earn the owner points and flags that ask for a review,
//! learning paths with progress, resources in search, similar questions by meaning, and a
//! secret space's resource kept from non-members everywhere.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use support::people::{Person, call, call_ok, notifications};
use support::{TestServer, browser, start};

/// Ada administers; Fran facilitates "Data Literacy" (open); Grace shares resources; Alan and
/// Dorothy read and rate. Grace and Alan keep their browsers for the pages.
struct Library {
    server: TestServer,
    admin: Person,
    fran: Person,
    grace: Person,
    alan: Person,
    dorothy: Person,
    grace_browser: Client,
    alan_browser: Client,
    slug: String,
}

async fn person(server: &TestServer, token: String) -> Person {
    let mut who = Person { token, id: 0 };
    who.id = call(server, &who, Method::GET, "/api/v1/me", Value::Null)
        .await
        .1["id"]
        .as_i64()
        .unwrap();
    who
}

async fn library() -> Library {
    let server = start().await;
    let admin_browser = browser();
    server.set_up_admin(&admin_browser).await;
    let admin_token = server
        .token_via_profile(&admin_browser, &["read", "write"])
        .await;
    let admin = person(&server, admin_token).await;
    let mut folks = server
        .colleagues(&[
            ("Fran", "Allen", "fran@example.org"),
            ("Grace", "Hopper", "grace@example.org"),
            ("Alan", "Turing", "alan@example.org"),
            ("Dorothy", "Vaughan", "dorothy@example.org"),
        ])
        .await;
    let (_, dorothy) = folks.pop().unwrap();
    let (alan_browser, alan) = folks.pop().unwrap();
    let (grace_browser, grace) = folks.pop().unwrap();
    let (_, fran) = folks.pop().unwrap();
    let (fran, grace, alan, dorothy) = (
        person(&server, fran).await,
        person(&server, grace).await,
        person(&server, alan).await,
        person(&server, dorothy).await,
    );
    let path = format!("/api/v1/admin/people/{}/roles", fran.id);
    let (status, body) = call(
        &server,
        &admin,
        Method::PUT,
        &path,
        json!({"roles": ["facilitator"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let slug = support::people::open_space(
        &server,
        &fran,
        "Data Literacy",
        "community",
        &[&grace, &alan, &dorothy],
    )
    .await;
    Library {
        server,
        admin,
        fran,
        grace,
        alan,
        dorothy,
        grace_browser,
        alan_browser,
        slug,
    }
}

impl Library {
    async fn ok(&self, who: &Person, method: Method, path: &str, body: Value) -> Value {
        call_ok(&self.server, who, method, path, body).await
    }

    async fn add(&self, who: &Person, space: &str, resource: Value) -> i64 {
        let mut body = resource;
        body["space"] = json!(space);
        let (status, answer) = call(
            &self.server,
            who,
            Method::POST,
            "/api/v1/library/resources",
            body,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        answer["id"].as_i64().unwrap()
    }

    async fn link(&self, who: &Person, title: &str) -> i64 {
        let resource = json!({"kind": "link", "title": title, "url": "https://example.org/guide",
            "body": format!("Why read “{title}”: it helped me."), "tags": "sql, reporting", "skills": "SQL"});
        self.add(who, &self.slug, resource).await
    }

    async fn titles(&self, who: &Person, query: &str) -> Vec<String> {
        let page = self
            .ok(
                who,
                Method::GET,
                &format!("/api/v1/library{query}"),
                Value::Null,
            )
            .await;
        page["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["title"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn points(&self, who: &Person) -> i64 {
        self.server.deliver_effects().await;
        self.ok(who, Method::GET, "/api/v1/me/rewards", Value::Null)
            .await["total"]
            .as_i64()
            .unwrap()
    }

    async fn resource(&self, who: &Person, id: i64) -> Value {
        let path = format!("/api/v1/library/resources/{id}");
        self.ok(who, Method::GET, &path, Value::Null).await
    }

    async fn rate(&self, who: &Person, id: i64, rating: &str) -> (StatusCode, Value) {
        let path = format!("/api/v1/library/resources/{id}/rating");
        call(
            &self.server,
            who,
            Method::PUT,
            &path,
            json!({"rating": rating}),
        )
        .await
    }

    async fn page(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let response = client.get(self.server.url(path)).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }
}

#[tokio::test]
async fn every_kind_of_resource_and_refused_input_writes_nothing() {
    let l = library().await;
    let resources = [
        json!({"kind": "link", "title": "SQL joins, visually", "url": "https://example.org/joins", "body": "Pictures of joins."}),
        json!({"kind": "file", "title": "Reporting checklist", "body": "The PDF we use."}),
        json!({"kind": "article", "title": "Our style for dashboards", "body": "# Dashboards\nFewer colours."}),
        json!({"kind": "video", "title": "Window functions in ten minutes", "url": "https://example.org/v/1", "tags": "sql", "body": "A short talk."}),
    ];
    let mut ids = Vec::new();
    for resource in resources {
        ids.push(l.add(&l.grace, &l.slug, resource).await);
    }
    assert_eq!(l.titles(&l.alan, "").await.len(), 4);
    assert_eq!(
        l.titles(&l.alan, "?kind=video").await,
        ["Window functions in ten minutes"]
    );
    assert_eq!(l.titles(&l.alan, "?tag=sql").await.len(), 1);
    let article = l.resource(&l.alan, ids[2]).await;
    assert_eq!(article["resource"]["kind"], "article");
    assert!(
        article["body_html"]
            .as_str()
            .unwrap()
            .contains("<h1>Dashboards</h1>")
    );
    assert_eq!(article["resource"]["freshness"], "fresh");

    // Bad input: every field named, nothing written.
    for (body, fields) in [
        (
            json!({"kind": "podcast", "title": ""}),
            vec!["kind", "title"],
        ),
        (json!({"kind": "link", "title": "No address"}), vec!["url"]),
        (
            json!({"kind": "article", "title": "Empty", "url": "https://example.org"}),
            vec!["url", "body"],
        ),
        (
            json!({"kind": "video", "title": "Bad", "url": "javascript:alert(1)", "body": "nul\u{0}"}),
            vec!["url", "body"],
        ),
    ] {
        let mut body = body;
        body["space"] = json!(l.slug);
        let (status, answer) = call(
            &l.server,
            &l.grace,
            Method::POST,
            "/api/v1/library/resources",
            body,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        for field in fields {
            assert!(answer["fields"][field].is_string(), "{field}: {answer}");
        }
    }
    assert_eq!(
        l.titles(&l.alan, "").await.len(),
        4,
        "refused input wrote nothing"
    );

    // The page: the form answers 422 with the messages beside the fields, then adds.
    let (status, html) = l.page(&l.grace_browser, "/library").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Reporting checklist") && html.contains("Add a resource"));
    let bad = [
        ("space", l.slug.as_str()),
        ("kind", "link"),
        ("title", "Joins"),
        ("url", ""),
    ];
    let response = l
        .server
        .post_form(&l.grace_browser, "/library", "/library", &bad)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"url-error\""), "{html}");
    let good = [
        ("space", l.slug.as_str()),
        ("kind", "link"),
        ("title", "Joins explained"),
        ("url", "https://example.org/j"),
        ("body", "The clearest explanation I know."),
        ("tags", ""),
        ("skills", ""),
    ];
    let response = l
        .server
        .post_form(&l.grace_browser, "/library", "/library", &good)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = l.page(&l.alan_browser, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Joins explained") && html.contains("Last reviewed"));

    // A resource thread started the old way (the space's thread form) is in the library too.
    let path = format!("/api/v1/spaces/{}/threads", l.slug);
    let body = json!({"kind": "resource", "title": "Old-style link", "body": "See it.", "link": "https://example.org/old"});
    l.ok(&l.grace, Method::POST, &path, body).await;
    assert!(
        l.titles(&l.alan, "")
            .await
            .contains(&"Old-style link".to_owned())
    );
}

#[tokio::test]
async fn ratings_earn_points_and_flags_ask_for_a_review() {
    let l = library().await;
    let id = l.link(&l.grace, "Query plans for beginners").await;
    assert_eq!(l.points(&l.grace).await, 0);

    let (status, _) = l.rate(&l.alan, id, "helpful").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        l.points(&l.grace).await,
        3,
        "helpful earns the owner points"
    );
    let (status, answer) = l.rate(&l.grace, id, "helpful").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    let seen = l.resource(&l.alan, id).await;
    assert_eq!(
        (
            seen["resource"]["helpful"].as_i64(),
            seen["my_rating"].as_str()
        ),
        (Some(1), Some("helpful"))
    );

    // Withdrawn: the points go back.
    let path = format!("/api/v1/library/resources/{id}/rating");
    l.ok(&l.alan, Method::DELETE, &path, Value::Null).await;
    assert_eq!(l.points(&l.grace).await, 0);

    // Two readers say it is outdated: Grace is asked to review it, once.
    l.rate(&l.alan, id, "outdated").await;
    assert!(
        !notifications(&l.server, &l.grace)
            .await
            .iter()
            .any(|n| n.contains("outdated"))
    );
    l.rate(&l.dorothy, id, "outdated").await;
    let heard: Vec<String> = notifications(&l.server, &l.grace)
        .await
        .into_iter()
        .filter(|n| n.contains("flagged"))
        .collect();
    assert_eq!(heard.len(), 1, "{heard:?}");
    let seen = l.resource(&l.alan, id).await;
    assert_eq!(seen["resource"]["freshness"], "outdated");
    let listed = l.titles(&l.alan, "?needs_review=true").await;
    assert_eq!(listed, ["Query plans for beginners"]);

    // Only the owner reviews; the review clears the flags.
    let path = format!("/api/v1/library/resources/{id}/review");
    let (status, _) = call(&l.server, &l.alan, Method::POST, &path, Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    l.ok(&l.grace, Method::POST, &path, Value::Null).await;
    let seen = l.resource(&l.alan, id).await;
    assert_eq!(seen["resource"]["freshness"], "fresh");
    assert_eq!(seen["resource"]["outdated"], 0);
    assert!(l.titles(&l.alan, "?needs_review=true").await.is_empty());
    // Flag history is kept, not counted.
    let kept = guildhall_store::testing::count(
        l.server.app.db(),
        "SELECT COUNT(*) FROM resource_ratings WHERE cleared_at IS NOT NULL",
    )
    .await
    .unwrap();
    assert_eq!(kept, 2);
}

#[tokio::test]
async fn learning_paths_count_progress_and_keep_secrets() {
    let l = library().await;
    let first = l.link(&l.grace, "SQL from zero").await;
    let second = l.link(&l.grace, "Joins in practice").await;

    // Alan builds an organisation-wide path and orders it.
    let created = l
        .ok(
            &l.alan,
            Method::POST,
            "/api/v1/library/collections",
            json!({"title": "Analyst onboarding", "description": "Start here."}),
        )
        .await;
    let path_id = created["id"].as_i64().unwrap();
    for resource in [first, second] {
        let path = format!("/api/v1/library/collections/{path_id}/items");
        l.ok(&l.alan, Method::POST, &path, json!({"resource": resource}))
            .await;
    }
    let path = format!("/api/v1/library/collections/{path_id}/items");
    let (status, _) = call(
        &l.server,
        &l.alan,
        Method::POST,
        &path,
        json!({"resource": first}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "once each");
    let (status, _) = call(
        &l.server,
        &l.dorothy,
        Method::POST,
        &path,
        json!({"resource": first}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only its owner edits it");
    let order = format!("/api/v1/library/collections/{path_id}/order");
    l.ok(
        &l.alan,
        Method::PUT,
        &order,
        json!({"order": [second, first]}),
    )
    .await;
    let (status, _) = call(
        &l.server,
        &l.alan,
        Method::PUT,
        &order,
        json!({"order": [second]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Dorothy walks it: one step done of two.
    let step = format!("/api/v1/library/collections/{path_id}/progress/{first}");
    let page = l
        .ok(&l.dorothy, Method::PUT, &step, json!({"done": true}))
        .await;
    assert_eq!(page["label"], "1 of 2 done");
    assert_eq!(page["items"][0]["id"].as_i64(), Some(second), "reordered");
    assert_eq!(page["next"].as_i64(), Some(second));
    let listed = l
        .ok(
            &l.dorothy,
            Method::GET,
            "/api/v1/library/collections",
            Value::Null,
        )
        .await;
    assert_eq!(listed[0]["label"], "1 of 2 done");
    let theirs = l
        .ok(
            &l.alan,
            Method::GET,
            &format!("/api/v1/library/collections/{path_id}"),
            Value::Null,
        )
        .await;
    assert_eq!(theirs["label"], "0 of 2 done", "progress is per member");

    // The page shows the same, and marks a step done without script.
    let (status, html) = l
        .page(&l.alan_browser, &format!("/library/collections/{path_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("0 of 2 done") && html.contains("<progress"));
    let page_path = format!("/library/collections/{path_id}");
    let second_text = second.to_string();
    let response = l
        .server
        .post_form(
            &l.alan_browser,
            &page_path,
            &format!("{page_path}/done"),
            &[("resource", second_text.as_str()), ("done", "yes")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = l.page(&l.alan_browser, &page_path).await;
    assert!(html.contains("1 of 2 done"), "{html}");

    // A secret space's resource, added to an organisation-wide path by a member.
    let (status, body) = call(
        &l.server,
        &l.admin,
        Method::POST,
        "/api/v1/spaces",
        json!({"name": "Skunkworks", "kind": "community", "visibility": "secret"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let secret = l
        .add(
            &l.admin,
            "skunkworks",
            json!({"kind": "article", "title": "Quarterly pricing model walkthrough",
            "body": "How we price the confidential quarterly deals."}),
        )
        .await;
    let created = l
        .ok(
            &l.admin,
            Method::POST,
            "/api/v1/library/collections",
            json!({"title": "Pricing path"}),
        )
        .await;
    let pricing = created["id"].as_i64().unwrap();
    let items = format!("/api/v1/library/collections/{pricing}/items");
    for resource in [first, secret] {
        l.ok(
            &l.admin,
            Method::POST,
            &items,
            json!({"resource": resource}),
        )
        .await;
    }
    let seen = l
        .ok(
            &l.alan,
            Method::GET,
            &format!("/api/v1/library/collections/{pricing}"),
            Value::Null,
        )
        .await;
    assert_eq!(
        seen["label"], "0 of 1 done",
        "the secret step neither shows nor counts"
    );
    assert!(!seen.to_string().contains("pricing model"));
    let step = format!("/api/v1/library/collections/{pricing}/progress/{secret}");
    let (status, _) = call(
        &l.server,
        &l.alan,
        Method::PUT,
        &step,
        json!({"done": true}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &l.server,
        &l.alan,
        Method::POST,
        &path,
        json!({"resource": secret}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "nobody adds what they may not read"
    );
    let (status, _) = call(
        &l.server,
        &l.alan,
        Method::GET,
        &format!("/api/v1/library/resources/{secret}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        !l.titles(&l.alan, "")
            .await
            .iter()
            .any(|t| t.contains("pricing"))
    );
    let (_, html) = l.page(&l.alan_browser, "/library").await;
    assert!(!html.contains("pricing model"));
    assert_eq!(
        l.ok(
            &l.admin,
            Method::GET,
            &format!("/api/v1/library/collections/{pricing}"),
            Value::Null
        )
        .await["label"],
        "0 of 2 done"
    );

    // Search shows resources as resources, and not the secret one to outsiders.
    let found = l
        .ok(&l.alan, Method::GET, "/api/v1/search?q=joins", Value::Null)
        .await;
    let hit = found
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "Joins in practice")
        .expect("found")
        .clone();
    assert_eq!(hit["kind"], "resource");
    assert_eq!(hit["url"], format!("/library/{second}"));
    let found = l
        .ok(
            &l.alan,
            Method::GET,
            "/api/v1/search?q=pricing",
            Value::Null,
        )
        .await;
    assert!(!found.to_string().contains("Quarterly pricing"), "{found}");
    let found = l
        .ok(
            &l.admin,
            Method::GET,
            "/api/v1/search?q=pricing",
            Value::Null,
        )
        .await;
    assert!(found.to_string().contains("Quarterly pricing"), "{found}");

    // Similar questions: by meaning, never the secret resource to outsiders.
    let path = format!("/api/v1/spaces/{}/threads", l.slug);
    l.ok(
        &l.fran,
        Method::POST,
        &path,
        json!({"kind": "question", "title": "How do I combine two tables in SQL?",
        "body": "I have customers and orders and want them side by side."}),
    )
    .await;
    l.server.deliver_effects().await;
    let ask = |text: &str| {
        format!(
            "/api/v1/similar?text={}&space={}",
            text.replace(' ', "+"),
            l.slug
        )
    };
    let near = l
        .ok(
            &l.alan,
            Method::GET,
            &ask("joining customer and order tables in SQL"),
            Value::Null,
        )
        .await;
    let titles: Vec<&str> = near
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"How do I combine two tables in SQL?"),
        "{near}"
    );
    assert!(titles.len() <= 3);
    let pricing_question = ask("how do we price the confidential quarterly deals");
    let outsider = l
        .ok(&l.alan, Method::GET, &pricing_question, Value::Null)
        .await;
    assert!(
        !outsider.to_string().contains("pricing model"),
        "{outsider}"
    );
    let member = l
        .ok(
            &l.admin,
            Method::GET,
            &format!(
                "/api/v1/similar?text={}",
                "how+do+we+price+the+confidential+quarterly+deals"
            ),
            Value::Null,
        )
        .await;
    assert!(
        member.to_string().contains("Quarterly pricing model"),
        "{member}"
    );

    // The no-script check on the question form answers a page with the draft kept.
    let space_page = format!("/s/{}", l.slug);
    let response = l
        .server
        .post_form(
            &l.alan_browser,
            &space_page,
            &format!("/s/{}/similar", l.slug),
            &[
                ("kind", "question"),
                ("title", "Joining customer and order tables"),
                ("body", "In SQL."),
                ("link", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("How do I combine two tables in SQL?") && html.contains("Post it anyway"),
        "{html}"
    );
}
