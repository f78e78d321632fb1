//! Accountability partners over HTTP: opting in, a facilitator forming explained pairs, the
//! reporting-line and former-partner rules, goals and weekly check-ins seen only by the pair,
//! private requests for a new partner, and the weekly tending (reminders, care signals, health).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use chrono::Duration;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use support::{TestServer, browser, start};

struct Cohort {
    server: TestServer,
    /// The administrator's API token (manages organisation-wide partners) and browser.
    admin: String,
    admin_browser: Client,
    /// (user id, token) of each colleague, in the order given.
    people: Vec<(i64, String)>,
    slug: String,
}

const COLLEAGUES: &[(&str, &str, &str)] = &[
    ("Grace", "Hopper", "grace@example.org"),
    ("Alan", "Turing", "alan@example.org"),
    ("Katherine", "Johnson", "katherine@example.org"),
    ("Dorothy", "Vaughan", "dorothy@example.org"),
    ("Mary", "Jackson", "mary@example.org"),
];

async fn call(
    server: &TestServer,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = server.api(token, method, path, body).await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// An administrator, `n` colleagues, and a cohort they all joined (the admin facilitates it).
async fn cohort(n: usize) -> Cohort {
    let server = start().await;
    let admin_browser = browser();
    server.set_up_admin(&admin_browser).await;
    let admin = server
        .token_via_profile(&admin_browser, &["read", "write"])
        .await;
    let (status, space) = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/spaces",
        json!({"name": "Negotiation Cohort", "kind": "cohort", "visibility": "open"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{space}");
    let slug = space["slug"].as_str().unwrap().to_owned();
    let mut people = Vec::new();
    for (_, token) in server.colleagues(&COLLEAGUES[..n]).await {
        let (status, me) = call(&server, &token, Method::GET, "/api/v1/me", json!(null)).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(
            &server,
            &token,
            Method::POST,
            &format!("/api/v1/spaces/{slug}/membership"),
            json!(null),
        )
        .await;
        assert!(status.is_success(), "{status}");
        people.push((me["id"].as_i64().unwrap(), token));
    }
    Cohort {
        server,
        admin,
        admin_browser,
        people,
        slug,
    }
}

impl Cohort {
    async fn opt_in(&self, who: usize, focus: &str) {
        let (status, body) = call(
            &self.server,
            &self.people[who].1,
            Method::PUT,
            "/api/v1/partners/opt-in",
            json!({"space": self.slug, "focus": focus, "work_start": "09:00", "work_end": "17:00"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    async fn form_pairs(&self) -> Value {
        let (status, body) = call(
            &self.server,
            &self.admin,
            Method::POST,
            "/api/v1/partners/manage/rounds",
            json!({"space": self.slug}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    async fn partnerships(&self, who: usize) -> Vec<Value> {
        let (status, body) = call(
            &self.server,
            &self.people[who].1,
            Method::GET,
            "/api/v1/partners",
            json!(null),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        body["partnerships"].as_array().unwrap().clone()
    }

    async fn overview(&self) -> Value {
        let (status, body) = call(
            &self.server,
            &self.admin,
            Method::GET,
            &format!("/api/v1/partners/manage?space={}", self.slug),
            json!(null),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    fn id_of(&self, who: usize) -> i64 {
        self.people[who].0
    }
}

async fn set_manager(server: &TestServer, person: i64, manager: i64) {
    guildhall_store::with_db!(server.app.db(), |pool| {
        sqlx::query("UPDATE users SET manager_id = $1 WHERE id = $2")
            .bind(manager)
            .bind(person)
            .execute(pool)
            .await
            .map(|_| ())
    })
    .unwrap();
}

fn members(partnership: &Value) -> Vec<i64> {
    partnership["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_facilitator_forms_explained_pairs_and_a_trio_only_when_odd() {
    let c = cohort(5).await;
    c.opt_in(0, "public speaking, SQL").await;
    c.opt_in(1, "design").await;
    c.opt_in(2, "Public Speaking").await;
    c.opt_in(3, "design").await;
    c.opt_in(4, "").await;
    // Alan manages Dorothy: they share a goal but must not be paired.
    set_manager(&c.server, c.id_of(3), c.id_of(1)).await;

    let round = c.form_pairs().await;
    assert_eq!(round["people_paired"], 5, "{round}");
    assert_eq!(round["partnerships"], 2, "a pair and a trio: {round}");

    let grace = c.partnerships(0).await;
    assert_eq!(grace.len(), 1);
    assert!(
        members(&grace[0]).contains(&c.id_of(2)),
        "shared goal first: {grace:?}"
    );
    let reasons: Vec<&str> = grace[0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"shared goal “public speaking”"),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|r| r.contains("working hours overlap")));

    let overview = c.overview().await;
    let pairs = overview["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    assert_eq!(
        pairs
            .iter()
            .filter(|p| p["members"].as_array().unwrap().len() == 3)
            .count(),
        1
    );
    for pair in pairs {
        let ids = members(pair);
        assert!(
            !(ids.contains(&c.id_of(1)) && ids.contains(&c.id_of(3))),
            "reporting line kept apart"
        );
        assert_eq!(pair["health"], "new");
    }
    assert!(overview["waiting"].as_array().unwrap().is_empty());

    // Everyone is told who their partner is and why.
    c.server.deliver_effects().await;
    let (_, notes) = call(
        &c.server,
        &c.people[2].1,
        Method::GET,
        "/api/v1/notifications",
        json!(null),
    )
    .await;
    let note = &notes["notifications"][0];
    assert!(
        note["text"].as_str().unwrap().contains("Grace Hopper"),
        "{note}"
    );
    assert!(
        note["text"].as_str().unwrap().contains("Matched because"),
        "{note}"
    );
    assert_eq!(note["url"], format!("/partners/{}", grace[0]["id"]));

    // A second round pairs nobody twice.
    let again = c.form_pairs().await;
    assert_eq!(again["partnerships"], 0);
}

#[tokio::test]
async fn check_ins_belong_to_the_pair() {
    let c = cohort(3).await;
    c.opt_in(0, "negotiation").await;
    c.opt_in(1, "negotiation").await;
    // Katherine is in the cohort but not opted in.
    c.form_pairs().await;
    let id = c.partnerships(0).await[0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/partners/{id}");

    let (status, body) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("{path}/goals"),
        json!({"what": "Run a negotiation role-play", "by_when": (chrono::Utc::now() + Duration::days(20)).format("%Y-%m-%d").to_string(), "how_known": "It is done and I wrote down what I learnt"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let check_in = json!({"progress": 4, "did": "Prepared my opening offer", "blockers": "Nerves", "next_step": "Rehearse with Alan"});
    let (status, body) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("{path}/check-ins"),
        check_in.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let check_in_id = body["id"].as_i64().unwrap();
    let (status, body) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("{path}/check-ins"),
        check_in,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "one a week: {body}");

    // The partner reads it and encourages.
    let (status, seen) = call(&c.server, &c.people[1].1, Method::GET, &path, json!(null)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["check_ins"][0]["did"], "Prepared my opening offer");
    assert_eq!(seen["goals"][0]["what"], "Run a negotiation role-play");
    let (status, _) = call(
        &c.server,
        &c.people[1].1,
        Method::POST,
        &format!("{path}/check-ins/{check_in_id}/replies"),
        json!({"kind": "encourage"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);

    // Nobody else: not a cohort member, not the administrator who formed the pair.
    for outsider in [&c.people[2].1, &c.admin] {
        let (status, _) = call(&c.server, outsider, Method::GET, &path, json!(null)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = call(
            &c.server,
            outsider,
            Method::POST,
            &format!("{path}/check-ins/{check_in_id}/replies"),
            json!({"kind": "reply", "body": "Hello"}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let overview = c.overview().await.to_string();
    assert!(
        !overview.contains("opening offer") && !overview.contains("role-play"),
        "{overview}"
    );
    assert!(overview.contains("\"health\":\"new\"") || overview.contains("\"health\":\"active\""));

    // The rules apply inside a pair too.
    let (status, body) = call(
        &c.server,
        &c.people[1].1,
        Method::POST,
        &format!("{path}/check-ins"),
        json!({"progress": 2, "did": "Nothing, my manager is a useless idiot", "next_step": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Bad input changes nothing.
    for bad in [
        json!({"progress": 9, "did": "x", "next_step": "y"}),
        json!({"progress": 3, "did": "", "next_step": "y"}),
        json!({"progress": 3, "did": "x\u{0}", "next_step": "y"}),
    ] {
        let (status, _) = call(
            &c.server,
            &c.people[1].1,
            Method::POST,
            &format!("{path}/check-ins"),
            bad,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (_, seen) = call(&c.server, &c.people[1].1, Method::GET, &path, json!(null)).await;
    assert_eq!(seen["check_ins"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn goals_are_one_to_three_and_their_own() {
    let c = cohort(2).await;
    c.opt_in(0, "").await;
    c.opt_in(1, "").await;
    c.form_pairs().await;
    let id = c.partnerships(0).await[0]["id"].as_i64().unwrap();
    let soon = (chrono::Utc::now() + Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let goal = |what: &str| json!({"what": what, "by_when": soon, "how_known": "Done"});
    let mut ids = Vec::new();
    for what in ["One", "Two", "Three"] {
        let (status, body) = call(
            &c.server,
            &c.people[0].1,
            Method::POST,
            &format!("/api/v1/partners/{id}/goals"),
            goal(what),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["id"].as_i64().unwrap());
    }
    let (status, body) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("/api/v1/partners/{id}/goals"),
        goal("Four"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // The partner cannot mark someone else's goal.
    let (status, _) = call(
        &c.server,
        &c.people[1].1,
        Method::PUT,
        &format!("/api/v1/partners/{id}/goals/{}", ids[0]),
        json!({"status": "done"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &c.server,
        &c.people[0].1,
        Method::PUT,
        &format!("/api/v1/partners/{id}/goals/{}", ids[0]),
        json!({"status": "done"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("/api/v1/partners/{id}/goals"),
        goal("Four"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "room again after one is done: {body}"
    );
    let (status, body) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("/api/v1/partners/{id}/goals"),
        json!({"what": "Late", "by_when": "2020-01-01", "how_known": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("by_when"), "{body}");
}

#[tokio::test]
async fn missed_weeks_remind_then_raise_one_care_signal() {
    let c = cohort(2).await;
    c.opt_in(0, "").await;
    c.opt_in(1, "").await;
    c.form_pairs().await;
    let id = c.partnerships(0).await[0]["id"].as_i64().unwrap();
    let now = chrono::Utc::now();

    // Today: both are reminded once, however often the worker looks.
    let first = c.server.app.tend_partnerships(now).await.unwrap();
    assert_eq!(first.reminders, 2);
    assert_eq!(
        c.server.app.tend_partnerships(now).await.unwrap().reminders,
        0
    );
    let (_, body) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("/api/v1/partners/{id}/check-ins"),
        json!({"progress": 3, "did": "Read the chapter", "next_step": "Try it"}),
    )
    .await;
    assert!(body["id"].is_i64(), "{body}");

    // Fifteen days on, nobody checked in again: two weeks missed for Alan, one or two for Grace.
    let later = now + Duration::days(15);
    let tended = c.server.app.tend_partnerships(later).await.unwrap();
    assert!(tended.care_signals >= 1, "{tended:?}");
    let again = c
        .server
        .app
        .tend_partnerships(later + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        again.care_signals, 0,
        "a run of missed weeks is recorded once"
    );
    let alan = guildhall_store::insights::help_signals_of(c.server.app.db(), c.id_of(1))
        .await
        .unwrap();
    assert_eq!(alan.len(), 1);
    assert_eq!(alan[0].kind, "missed_check_ins");
    assert!(alan[0].reason.contains("in a row"), "{}", alan[0].reason);
}

#[tokio::test]
async fn a_private_request_for_a_new_partner_reaches_only_the_facilitator() {
    let c = cohort(2).await;
    c.opt_in(0, "").await;
    c.opt_in(1, "").await;
    c.form_pairs().await;
    let id = c.partnerships(0).await[0]["id"].as_i64().unwrap();
    let (status, _) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("/api/v1/partners/{id}/new-partner-requests"),
        json!({"reason": "Our working hours never meet"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(
        &c.server,
        &c.people[0].1,
        Method::POST,
        &format!("/api/v1/partners/{id}/new-partner-requests"),
        json!({"reason": "Again"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let overview = c.overview().await;
    assert_eq!(
        overview["change_requests"][0]["reason"],
        "Our working hours never meet"
    );
    let (_, alans_view) = call(
        &c.server,
        &c.people[1].1,
        Method::GET,
        &format!("/api/v1/partners/{id}"),
        json!(null),
    )
    .await;
    assert!(
        !alans_view.to_string().contains("never meet"),
        "{alans_view}"
    );
    assert_eq!(alans_view["change_requested"], false);

    // A member cannot end it or manage the cohort.
    let (status, _) = call(
        &c.server,
        &c.people[1].1,
        Method::POST,
        &format!("/api/v1/partners/{id}/end"),
        json!({"reason": "x"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &c.server,
        &c.people[1].1,
        Method::GET,
        &format!("/api/v1/partners/manage?space={}", c.slug),
        json!(null),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, _) = call(
        &c.server,
        &c.admin,
        Method::POST,
        &format!("/api/v1/partners/{id}/end"),
        json!({"reason": "Asked for"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        c.overview().await["change_requests"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Former partners are not paired again unless both ask.
    let round = c.form_pairs().await;
    assert_eq!(round["partnerships"], 0, "{round}");
    assert!(
        round["unmatched"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("partner before")
    );
    let grace = c.id_of(0);
    let alan = c.id_of(1);
    for (who, other) in [(0, alan), (1, grace)] {
        let (status, body) = call(
            &c.server,
            &c.people[who].1,
            Method::PUT,
            "/api/v1/partners/opt-in",
            json!({"space": c.slug, "work_start": "09:00", "work_end": "17:00", "ask_again_user_id": other}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_eq!(c.form_pairs().await["partnerships"], 1);
}

#[tokio::test]
async fn opting_in_needs_membership_and_valid_hours() {
    let c = cohort(1).await;
    let (status, body) = call(
        &c.server,
        &c.people[0].1,
        Method::PUT,
        "/api/v1/partners/opt-in",
        json!({"space": c.slug, "focus": "a", "work_start": "09:00", "work_end": "09:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = call(
        &c.server,
        &c.people[0].1,
        Method::PUT,
        "/api/v1/partners/opt-in",
        json!({"space": "no-such-space", "work_start": "09:00", "work_end": "17:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Organisation-wide needs no space; opting out twice is "not found" the second time.
    let (status, _) = call(
        &c.server,
        &c.people[0].1,
        Method::PUT,
        "/api/v1/partners/opt-in",
        json!({"work_start": "22:00", "work_end": "06:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &c.server,
        &c.people[0].1,
        Method::DELETE,
        "/api/v1/partners/opt-in",
        json!(null),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(
        &c.server,
        &c.people[0].1,
        Method::DELETE,
        "/api/v1/partners/opt-in",
        json!(null),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_pages_work_without_javascript() {
    let c = cohort(2).await;
    let grace = browser();
    c.server
        .sign_in(&grace, "grace@example.org", support::PASSWORD)
        .await;
    let response = c
        .server
        .post_form(
            &grace,
            "/partners",
            "/partners/opt-in",
            &[
                ("space", &c.slug),
                ("focus", "sql"),
                ("work_start", "08:00"),
                ("work_end", "16:00"),
                ("ask_again", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = grace
        .get(c.server.url("/partners"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Opted in"), "{page}");
    c.opt_in(1, "sql").await;
    // The facilitator forms pairs from the page; the answer is a redirect, so a reload does
    // not run a second round.
    let manage = format!("/partners/manage?space={}", c.slug);
    let formed = c
        .server
        .post_form(
            &c.admin_browser,
            &manage,
            "/partners/manage/round",
            &[("space", &c.slug)],
        )
        .await;
    assert_eq!(formed.status(), StatusCode::SEE_OTHER);
    let to = formed.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.ends_with("formed=1&paired=2"), "{to}");
    let page = c
        .admin_browser
        .get(c.server.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("1 partnership formed for 2 people."),
        "{page}"
    );
    assert!(
        !page.contains("sql"),
        "a facilitator does not see what members wrote: {page}"
    );
    let id = c.partnerships(0).await[0]["id"].as_i64().unwrap();
    let path = format!("/partners/{id}");
    let refused = c
        .server
        .post_form(
            &grace,
            &path,
            &format!("{path}/check-ins"),
            &[
                ("progress", "3"),
                ("did", ""),
                ("blockers", ""),
                ("next_step", "Practise"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"check-in-did-error\""),
        "the error is shown by the field"
    );
    assert!(html.contains("Practise"), "what was typed is kept");
    let done = c
        .server
        .post_form(
            &grace,
            &path,
            &format!("{path}/check-ins"),
            &[
                ("progress", "3"),
                ("did", "Wrote queries"),
                ("blockers", ""),
                ("next_step", "Practise"),
            ],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let html = grace
        .get(c.server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Wrote queries"));
    assert!(html.contains("You checked in this week"));
}
