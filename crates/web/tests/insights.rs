//! Care, not surveillance, over HTTP: a question nobody answers reaches its asker's partner and
//! the space's facilitators — and nobody else, whatever their role; a helper claims it, invites
//! someone who knows the topic, whose answer resolves it; the member sees every view. Pauses
//! and strict mode hide signals from helpers; "I'm stuck" and low check-ins raise signals.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use chrono::Duration;
use guildhall_app::Settings;
use guildhall_store::Db;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::people::{Person, call, notifications, open_space, people};
use support::{TestServer, start_with};

/// Ada administers; Grace asks; Alan is Grace's partner; Katherine knows Excel; Fran
/// facilitates the cohort; Dorothy is Grace's manager (from the directory); Hester works in HR.
struct Circle {
    server: TestServer,
    admin: Person,
    grace: Person,
    alan: Person,
    katherine: Person,
    fran: Person,
    dorothy: Person,
    hester: Person,
    slug: String,
}

async fn circle(settings: Settings) -> Circle {
    let server = start_with(settings).await;
    let (admin, mut folks) = people(
        &server,
        &[
            ("Grace", "Hopper"),
            ("Alan", "Turing"),
            ("Katherine", "Johnson"),
            ("Fran", "Allen"),
            ("Dorothy", "Vaughan"),
            ("Hester", "Reed"),
        ],
    )
    .await;
    let hester = folks.pop().unwrap();
    let dorothy = folks.pop().unwrap();
    let fran = folks.pop().unwrap();
    let katherine = folks.pop().unwrap();
    let alan = folks.pop().unwrap();
    let grace = folks.pop().unwrap();
    for (who, role) in [(&hester, "hr"), (&fran, "facilitator")] {
        let (status, body) = call(
            &server,
            &admin,
            Method::PUT,
            &format!("/api/v1/admin/people/{}/roles", who.id),
            json!({ "roles": [role] }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let members = [&grace, &alan, &katherine, &dorothy, &hester];
    let slug = open_space(&server, &fran, "Spreadsheet Cohort", "cohort", &members).await;
    for who in [&grace, &alan] {
        let (status, body) = call(
            &server,
            who,
            Method::PUT,
            "/api/v1/partners/opt-in",
            json!({"space": slug, "focus": "spreadsheets", "work_start": "09:00", "work_end": "17:00"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = call(
        &server,
        &fran,
        Method::POST,
        "/api/v1/partners/manage/rounds",
        json!({"space": slug}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    make_manager(
        &server,
        (&dorothy, "Dorothy", "Vaughan"),
        (&grace, "Grace", "Hopper"),
    )
    .await;
    let (status, body) = call(
        &server,
        &katherine,
        Method::PUT,
        "/api/v1/me/profile",
        json!({"skills": ["Excel"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    Circle {
        server,
        admin,
        grace,
        alan,
        katherine,
        fran,
        dorothy,
        hester,
        slug,
    }
}

/// The organisation's directory (SCIM, as provisioning does) links both people, adopting
/// their accounts by email, and says `manager` manages `member`.
type Named<'a> = (&'a Person, &'a str, &'a str);

async fn make_manager(server: &TestServer, manager: Named<'_>, member: Named<'_>) {
    let token = server.directory_token().await;
    let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    for ((who, given, family), boss) in [(manager, None), (member, Some(manager.0.id))] {
        let email = format!("{}@example.org", given.to_lowercase());
        let mut user = json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", enterprise],
            "userName": email,
            "name": {"givenName": given, "familyName": family},
            "emails": [{"value": email, "primary": true}],
            "active": true,
        });
        if let Some(boss) = boss {
            user[enterprise] = json!({"manager": {"value": boss.to_string()}});
        }
        let response = reqwest::Client::new()
            .post(server.url("/scim/v2/Users"))
            .bearer_auth(&token)
            .header("content-type", "application/scim+json")
            .body(user.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["id"], who.id.to_string(), "the account was adopted");
    }
}

impl Circle {
    async fn ask(&self, who: &Person, kind: &str, title: &str, body: &str) -> i64 {
        let (status, created) = call(
            &self.server,
            who,
            Method::POST,
            &format!("/api/v1/spaces/{}/threads", self.slug),
            json!({"kind": kind, "title": title, "body": body}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created["id"].as_i64().unwrap()
    }

    async fn queue(&self, who: &Person) -> Vec<Value> {
        self.server.deliver_effects().await;
        let (status, body) =
            call(&self.server, who, Method::GET, "/api/v1/care", Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
    }

    async fn mine(&self, who: &Person) -> Value {
        let (status, body) = call(
            &self.server,
            who,
            Method::GET,
            "/api/v1/me/insights",
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Replies (the body is the JSON of the API) and expects the post to be written.
    async fn reply(&self, who: &Person, thread: i64, body: Value) {
        let path = format!("/api/v1/threads/{thread}/posts");
        let (status, answer) = call(&self.server, who, Method::POST, &path, body).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }

    async fn pause(&self, who: &Person, paused: bool) {
        let body = json!({ "paused": paused });
        let (status, answer) =
            call(&self.server, who, Method::PUT, "/api/v1/me/insights", body).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    }

    /// Lets `hours` pass for the outbox's scheduled work.
    async fn after_hours(&self, hours: i64) {
        let later = chrono::Utc::now() + Duration::hours(hours);
        self.server.deliver_effects_due_by(later).await;
    }
}

/// A page as `who` sees it (pages take the same bearer tokens as the API).
async fn page(server: &TestServer, who: &Person, path: &str) -> (StatusCode, String) {
    let response = server
        .api(&who.token, Method::GET, path, Value::Null)
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

fn kinds(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["kind"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn an_unanswered_question_reaches_only_the_askers_helpers_and_an_answer_resolves_it() {
    let c = circle(Settings::default()).await;
    let thread = c
        .ask(
            &c.grace,
            "question",
            "How do I build a pivot table in Excel?",
            "The totals come out wrong.",
        )
        .await;
    c.after_hours(47).await;
    assert!(c.queue(&c.alan).await.is_empty(), "not overdue yet");
    c.after_hours(49).await;

    // Alan as her partner, Fran as the cohort's facilitator; nobody else, whatever their role.
    let alan_sees = c.queue(&c.alan).await;
    assert_eq!(kinds(&alan_sees), ["unanswered_question"]);
    assert_eq!(alan_sees[0]["relation"], "partner");
    assert_eq!(alan_sees[0]["member_name"], "Grace Hopper");
    assert!(
        alan_sees[0]["reason"]
            .as_str()
            .unwrap()
            .contains("pivot table")
    );
    assert!(
        alan_sees[0]["link"]
            .as_str()
            .unwrap()
            .starts_with(&format!("/t/{thread}#post-"))
    );
    let fran_sees = c.queue(&c.fran).await;
    assert_eq!(fran_sees.len(), 1);
    assert_eq!(fran_sees[0]["relation"], "facilitator");
    let id = alan_sees[0]["id"].as_i64().unwrap();
    for outsider in [&c.dorothy, &c.hester, &c.admin, &c.katherine, &c.grace] {
        assert!(
            c.queue(outsider).await.is_empty(),
            "{} sees a signal",
            outsider.id
        );
        let (status, _) = call(
            &c.server,
            outsider,
            Method::GET,
            &format!("/api/v1/care/{id}"),
            Value::Null,
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{} opened the signal",
            outsider.id
        );
        let (status, _) = call(
            &c.server,
            outsider,
            Method::POST,
            &format!("/api/v1/care/{id}/actions"),
            json!({"action": "claim"}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    for outsider in [&c.hester, &c.dorothy, &c.admin] {
        let (status, html) = page(&c.server, outsider, "/care").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !html.contains("Grace Hopper"),
            "{} sees the signal on the page",
            outsider.id
        );
        let (status, html) = page(&c.server, outsider, &format!("/care/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
    }
    // The helpers were told there is something, never what.
    let told = notifications(&c.server, &c.alan).await;
    assert!(
        told.iter()
            .any(|t| t == "Someone you help may need a hand: see your care queue."),
        "{told:?}"
    );
    assert!(!told.iter().any(|t| t.contains("pivot")), "{told:?}");
    assert!(
        !notifications(&c.server, &c.hester)
            .await
            .iter()
            .any(|t| t.contains("care queue"))
    );

    // Alan claims it; Fran cannot claim it too.
    let path = format!("/api/v1/care/{id}/actions");
    let (status, body) = call(
        &c.server,
        &c.alan,
        Method::POST,
        &path,
        json!({"action": "claim", "note": "I'll message her"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = call(
        &c.server,
        &c.fran,
        Method::POST,
        &path,
        json!({"action": "claim"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"], "care_taken");
    assert!(
        body["message"].as_str().unwrap().contains("Alan Turing"),
        "{body}"
    );
    let (status, _) = call(
        &c.server,
        &c.alan,
        Method::POST,
        &path,
        json!({"action": "shout"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Someone who knows the topic, invited in one click, answers: the signal is resolved.
    let (_, detail) = call(
        &c.server,
        &c.alan,
        Method::GET,
        &format!("/api/v1/care/{id}"),
        Value::Null,
    )
    .await;
    let experts: Vec<i64> = detail["experts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(experts, [c.katherine.id], "{detail}");
    let invite = format!("/api/v1/care/{id}/invitations");
    let (status, body) = call(
        &c.server,
        &c.alan,
        Method::POST,
        &invite,
        json!({"person": c.dorothy.id}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only listed experts: {body}"
    );
    let (status, body) = call(
        &c.server,
        &c.alan,
        Method::POST,
        &invite,
        json!({"person": c.katherine.id}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let invited = notifications(&c.server, &c.katherine).await;
    assert!(
        invited
            .iter()
            .any(|t| t.starts_with("Alan Turing asks whether you could answer")),
        "{invited:?}"
    );
    c.reply(
        &c.katherine,
        thread,
        json!({"body": "Use the Values field settings: sum, not count."}),
    )
    .await;
    let (_, detail) = call(
        &c.server,
        &c.alan,
        Method::GET,
        &format!("/api/v1/care/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(detail["signal"]["status"], "resolved", "{detail}");
    let steps: Vec<&str> = detail["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["claim", "invited"]);

    // Grace sees the signal, who may see it, and every view; and her own week.
    let mine = c.mine(&c.grace).await;
    assert_eq!(mine["activity"].as_array().unwrap().len(), 12);
    assert_eq!(mine["activity"][11]["posts"], 1, "{mine}");
    assert_eq!(mine["streak"], 1);
    let signal = &mine["signals"][0];
    assert_eq!(signal["kind"], "unanswered_question");
    let visible: Vec<&str> = signal["visible_to"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        visible,
        ["Fran Allen (facilitator)", "Alan Turing (partner)"]
    );
    let viewers: Vec<&str> = mine["views"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["viewer_name"].as_str().unwrap())
        .collect();
    assert!(
        viewers.contains(&"Alan Turing") && viewers.contains(&"Fran Allen"),
        "{viewers:?}"
    );
    assert!(!viewers.contains(&"Hester Reed"), "{viewers:?}");
    let (status, html) = page(&c.server, &c.grace, "/me/insights").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Alan Turing (partner)") && html.contains("Who looked"),
        "{html}"
    );

    // The log of views is append-only in the database itself.
    for sql in [
        "UPDATE care_views SET relation = 'nobody'",
        "DELETE FROM care_views",
    ] {
        let refused = guildhall_store::testing::execute(c.server.app.db(), sql)
            .await
            .is_err();
        assert!(refused, "{sql} succeeded");
    }
}

#[tokio::test]
async fn pauses_hide_habits_from_helpers_but_not_rudeness_aimed_at_them() {
    let c = circle(Settings::default()).await;
    c.pause(&c.grace, true).await;
    c.ask(
        &c.grace,
        "discussion",
        "Week 3 exercises",
        "Honestly I'm stuck on the VLOOKUP exercise.",
    )
    .await;
    assert!(
        c.queue(&c.alan).await.is_empty(),
        "a paused habit signal reached a helper"
    );

    // Rudeness aimed at Grace is essential: held for a moderator, and her helpers hear of it.
    let thread = c
        .ask(
            &c.grace,
            "discussion",
            "My first dashboard",
            "Feedback welcome!",
        )
        .await;
    c.reply(
        &c.dorothy,
        thread,
        json!({"body": "What a loser you are.", "send_for_review": true}),
    )
    .await;
    assert_eq!(kinds(&c.queue(&c.alan).await), ["targeted_by_rudeness"]);
    assert!(c.queue(&c.dorothy).await.is_empty());

    c.pause(&c.grace, false).await;
    c.ask(
        &c.grace,
        "discussion",
        "Week 4",
        "I can't keep up with the reading this week.",
    )
    .await;
    let seen = kinds(&c.queue(&c.alan).await).join(",");
    assert_eq!(seen, "says_stuck,targeted_by_rudeness");
    let mine = c.mine(&c.grace).await;
    assert_eq!(mine["paused"], false);
    assert_eq!(mine["signals"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn strict_mode_shows_signals_to_the_member_only() {
    let mut settings = Settings::default();
    settings.insights.strict = true;
    let c = circle(settings).await;
    c.ask(
        &c.grace,
        "discussion",
        "Week 3",
        "I'm lost with pivot tables.",
    )
    .await;
    for helper in [&c.alan, &c.fran] {
        assert!(c.queue(helper).await.is_empty());
    }
    let mine = c.mine(&c.grace).await;
    assert_eq!(mine["strict"], true);
    assert_eq!(mine["signals"][0]["kind"], "says_stuck");
    assert_eq!(mine["signals"][0]["visible_to"], json!([]));
    assert!(
        !notifications(&c.server, &c.alan)
            .await
            .iter()
            .any(|t| t.contains("care queue"))
    );
}

#[tokio::test]
async fn a_check_in_with_a_blocker_reaches_the_partner() {
    let c = circle(Settings::default()).await;
    let (_, mine) = call(
        &c.server,
        &c.grace,
        Method::GET,
        "/api/v1/partners",
        Value::Null,
    )
    .await;
    let partnership = mine["partnerships"][0]["id"].as_i64().unwrap();
    let (status, body) = call(
        &c.server,
        &c.grace,
        Method::POST,
        &format!("/api/v1/partners/{partnership}/check-ins"),
        json!({"progress": 2, "did": "Read chapter 2", "blockers": "I'm overwhelmed by the formulas", "next_step": "Ask in the cohort"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let seen = c.queue(&c.alan).await;
    assert_eq!(kinds(&seen).join(","), "says_stuck,low_progress");
    assert_eq!(
        seen[1]["reason"],
        "Named a blocker in their latest check-in."
    );
    assert_eq!(seen[1]["link"], format!("/partners/{partnership}"));
}

#[tokio::test]
async fn dashboards_count_the_talk_for_facilitators_and_the_report_is_public() {
    let c = circle(Settings::default()).await;
    let thread = c
        .ask(
            &c.grace,
            "question",
            "Which chart for monthly sales?",
            "Bars or lines?",
        )
        .await;
    c.reply(
        &c.katherine,
        thread,
        json!({"body": "Bars for totals, lines for trends."}),
    )
    .await;
    c.reply(
        &c.dorothy,
        thread,
        json!({"body": "What a loser you are.", "send_for_review": true}),
    )
    .await;

    let path = format!("/api/v1/spaces/{}/insights", c.slug);
    for outsider in [&c.dorothy, &c.hester] {
        let (status, _) = call(&c.server, outsider, Method::GET, &path, Value::Null).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = call(
            &c.server,
            outsider,
            Method::GET,
            "/api/v1/insights",
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, space) = call(&c.server, &c.fran, Method::GET, &path, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{space}");
    let weeks = space["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 12);
    let this_week = &weeks[11];
    assert_eq!(
        this_week["posts"], 2,
        "the held reply is not counted: {space}"
    );
    assert_eq!(this_week["active_members"], 2);
    assert_eq!(this_week["questions"], 1);
    assert_eq!(this_week["answered"], 1);
    assert_eq!(this_week["peer_answered"], 1);
    assert_eq!(this_week["learner_share"], 1.0);
    assert_eq!(space["voices"], 2);
    assert_eq!(space["facilitator_share"], 0.0);
    assert_eq!(
        space["never_wrote"], 2,
        "Alan and Hester (Dorothy wrote, though it was held): {space}"
    );
    let (status, community) = call(
        &c.server,
        &c.admin,
        Method::GET,
        "/api/v1/insights",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{community}");
    assert_eq!(community["weeks"][11]["posts"], 2);

    let (status, html) = page(&c.server, &c.fran, &format!("/s/{}/insights", c.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg class=\"chart\"") && html.contains("Questions asked and answered"));
    assert!(
        html.contains("<caption>Posts each week</caption>"),
        "each chart has its table"
    );
    let (status, csv) = page(&c.server, &c.fran, &format!("/s/{}/insights.csv", c.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("# Posts each week\nweek,posts\n"), "{csv}");

    // The transparency report is public: no sign-in, no names, no texts.
    let anonymous = reqwest::Client::new();
    let report = anonymous
        .get(c.server.url("/api/v1/moderation/report"))
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), StatusCode::OK);
    let months: Value = report.json().await.unwrap();
    let months = months.as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[11]["sent_for_review"], 1, "{months:?}");
    let html = anonymous
        .get(c.server.url("/moderation/report"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Moderation transparency report"));
    assert!(!html.contains("Dorothy") && !html.contains("loser"));
}

#[tokio::test]
async fn a_facilitator_who_does_the_talking_is_nudged_once_a_week() {
    let c = circle(Settings::default()).await;
    let now = chrono::Utc::now();
    let long = "Here is a long explanation of how pivot tables group rows, sum values and \
                filter by month, with every step spelled out for you.";
    let mut posts = Vec::new();
    for weeks_ago in [1, 2] {
        let notes = format!("{long} Week {weeks_ago}.");
        let thread = c
            .ask(&c.fran, "discussion", "This week's notes", &notes)
            .await;
        c.reply(
            &c.grace,
            thread,
            json!({ "body": format!("Thanks for week {weeks_ago}!") }),
        )
        .await;
        posts.push((thread, weeks_ago));
    }
    // Move them into the two weeks before this one.
    for (thread, weeks_ago) in posts {
        let at = now - Duration::weeks(weeks_ago);
        backdate(
            c.server.app.db(),
            "UPDATE posts SET created_at = $1 WHERE thread_id = $2",
            at,
            thread,
        )
        .await;
        backdate(
            c.server.app.db(),
            "UPDATE threads SET created_at = $1 WHERE id = $2",
            at,
            thread,
        )
        .await;
    }
    assert_eq!(
        c.server
            .app
            .nudge_talkative_facilitators(now)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        c.server
            .app
            .nudge_talkative_facilitators(now)
            .await
            .unwrap(),
        0,
        "once a week"
    );
    let told = notifications(&c.server, &c.fran).await;
    let nudge = told
        .iter()
        .find(|t| t.contains("Listen more, talk less"))
        .expect("nudged");
    assert!(
        nudge.contains("Spreadsheet Cohort") && nudge.contains("invite"),
        "{nudge}"
    );
    assert!(
        !notifications(&c.server, &c.grace)
            .await
            .iter()
            .any(|t| t.contains("Listen more"))
    );
}

async fn backdate(db: &Db, sql: &'static str, at: chrono::DateTime<chrono::Utc>, id: i64) {
    match db {
        Db::Sqlite(pool, _) => {
            sqlx::query(sql)
                .bind(at)
                .bind(id)
                .execute(pool)
                .await
                .unwrap();
        }
        Db::Postgres(pool) => {
            sqlx::query(sql)
                .bind(at)
                .bind(id)
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

/// Reads an event stream until `needle` shows up (five seconds at most).
async fn wait_for(stream: &mut reqwest::Response, needle: &str) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while !seen.contains(needle) {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {needle:?} in {seen:?}"));
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    seen
}

#[tokio::test]
async fn the_monitoring_feed_follows_the_spaces_a_facilitator_looks_after() {
    let c = circle(Settings::default()).await;
    let texts = |feed: &Value| -> Vec<String> {
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["text"].as_str().unwrap().to_owned())
            .collect()
    };
    // Members, their manager, HR and administrators by role alone are not watchers.
    for outsider in [&c.grace, &c.dorothy, &c.hester, &c.admin] {
        let (status, _) = call(
            &c.server,
            outsider,
            Method::GET,
            "/api/v1/monitor",
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let refused = c
            .server
            .api(
                &outsider.token,
                Method::GET,
                "/live?monitor=true",
                Value::Null,
            )
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    let mut stream = c
        .server
        .api(
            &c.fran.token,
            Method::GET,
            "/live?monitor=true",
            Value::Null,
        )
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);

    c.ask(
        &c.grace,
        "question",
        "Where is the sample data?",
        "For exercise 2.",
    )
    .await;
    wait_for(&mut stream, "event: watch\ndata: question").await;
    let (status, feed) = call(
        &c.server,
        &c.fran,
        Method::GET,
        "/api/v1/monitor",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    let lines = texts(&feed);
    assert!(
        lines.contains(
            &"New question in Spreadsheet Cohort: “Where is the sample data?”".to_owned()
        ),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"Grace Hopper joined Spreadsheet Cohort".to_owned()),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("Waiting for review")),
        "not a moderator: {lines:?}"
    );
    // A day later the question, still unanswered, is announced again, live.
    c.after_hours(25).await;
    wait_for(&mut stream, "event: watch\ndata: unanswered").await;

    // A held reply is for moderators; a care signal is counted for its helpers, never named.
    let thread = c
        .ask(
            &c.grace,
            "discussion",
            "My first dashboard",
            "Feedback welcome!",
        )
        .await;
    c.reply(
        &c.dorothy,
        thread,
        json!({"body": "What a loser you are.", "send_for_review": true}),
    )
    .await;
    c.server.deliver_effects().await;
    wait_for(&mut stream, "event: watch\ndata: care").await;
    let (_, feed) = call(
        &c.server,
        &c.fran,
        Method::GET,
        "/api/v1/monitor?kind=care",
        Value::Null,
    )
    .await;
    assert_eq!(texts(&feed), ["1 person you help may need a hand."]);
    let (_, feed) = call(
        &c.server,
        &c.fran,
        Method::GET,
        "/api/v1/monitor?kind=member",
        Value::Null,
    )
    .await;
    assert!(
        texts(&feed).iter().all(|l| l.contains(" joined ")),
        "{feed}"
    );
    let (status, _) = call(
        &c.server,
        &c.fran,
        Method::GET,
        "/api/v1/monitor?kind=everything",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, body) = call(
        &c.server,
        &c.admin,
        Method::PUT,
        &format!("/api/v1/admin/people/{}/roles", c.katherine.id),
        json!({"roles": ["moderator"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, feed) = call(
        &c.server,
        &c.katherine,
        Method::GET,
        "/api/v1/monitor?kind=review",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    assert_eq!(
        texts(&feed),
        ["Waiting for review in Spreadsheet Cohort: sent for review by its author"]
    );
    // A moderator with no helping relation hears of no care signal.
    let (status, feed) = call(
        &c.server,
        &c.katherine,
        Method::GET,
        "/api/v1/monitor?kind=care",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    assert!(texts(&feed).is_empty(), "{feed}");
    let (status, html) = page(&c.server, &c.fran, "/monitor").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"monitor\"") && html.contains("Where is the sample data?"));
}

#[tokio::test]
async fn an_events_follow_ups_show_who_did_the_talking() {
    let c = circle(Settings::default()).await;
    // A session that ended two days ago: its one-day follow-up prompt is due.
    let at = |hours: i64| {
        (chrono::Utc::now() - Duration::hours(hours))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let (status, created) = call(
        &c.server,
        &c.fran,
        Method::POST,
        &format!("/api/v1/spaces/{}/events", c.slug),
        json!({"title": "Lookups in practice", "starts_at": at(50), "ends_at": at(48), "time_zone": "UTC", "location": "Room 2"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let event = created["id"].as_i64().unwrap();
    let path = format!("/api/v1/events/{event}/insights");
    let (status, quiet) = call(&c.server, &c.fran, Method::GET, &path, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{quiet}");
    assert_eq!(quiet["posts"], 0);
    c.server.deliver_effects().await;

    let (_, feed) = call(
        &c.server,
        &c.grace,
        Method::GET,
        &format!("/api/v1/spaces/{}/threads", c.slug),
        Value::Null,
    )
    .await;
    let prompt = feed["threads"][0]["id"].as_i64().unwrap();
    c.reply(
        &c.grace,
        prompt,
        json!({"body": "I used a lookup on Monday."}),
    )
    .await;
    c.reply(&c.alan, prompt, json!({"body": "Mine broke on blanks."}))
        .await;
    let (_, voice) = call(&c.server, &c.fran, Method::GET, &path, Value::Null).await;
    // The prompt (written for the facilitator) and two learners' replies.
    assert_eq!(voice["posts"], 3, "{voice}");
    assert_eq!(voice["voices"], 3, "{voice}");
    let share = voice["facilitator_share"].as_f64().unwrap();
    assert!(share > 0.0 && share < 1.0, "{voice}");
    for outsider in [&c.grace, &c.hester, &c.dorothy] {
        let (status, _) = call(&c.server, outsider, Method::GET, &path, Value::Null).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, html) = page(&c.server, &c.fran, &format!("/events/{event}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Who spoke in the follow-ups") && html.contains("3 posts by 3 people"),
        "{html}"
    );
}
