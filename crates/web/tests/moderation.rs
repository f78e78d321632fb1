//! The community's rules over HTTP (DESIGN.md §6): nudges and blocks before publishing,
//! organisation rules, reports and the review queue, sanctions and appeals, the code of conduct,
//! HR cases (HR only, audited, never leaking), escalation, the image check and the flood limits.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use guildhall_app::Settings;
use guildhall_app::settings::ModerationSettings;
use guildhall_store::Db;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::{Command, Output};
use support::{PASSWORD, TestServer, browser, start_with};

const SPACE: &str = "commons";

/// Someone signed up with a browser (cookies) and a read/write API token.
struct Person {
    client: Client,
    token: String,
    id: i64,
    name: String,
    email: String,
}

/// A server with an administrator (Ada, who has no other role) and an open space everyone joins.
struct Community {
    server: TestServer,
    admin: Person,
}

async fn community() -> Community {
    community_with(Settings::default()).await
}

async fn community_with(settings: Settings) -> Community {
    let server = start_with(settings).await;
    let client = browser();
    server.set_up_admin(&client).await;
    let token = server.token_via_profile(&client, &["read", "write"]).await;
    let admin = Person {
        client,
        token,
        id: 0,
        name: String::new(),
        email: "ada@example.org".into(),
    };
    let mut c = Community { server, admin };
    let (status, me) = c.get(&c.admin, "/api/v1/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    c.admin.id = me["id"].as_i64().unwrap();
    c.admin.name = me["display_name"].as_str().unwrap().to_owned();
    let (status, body) = c
        .post(
            &c.admin,
            "/api/v1/spaces",
            json!({"name": "Commons", "kind": "community", "visibility": "open"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    c
}

/// The text of every string in a JSON value, for "does this appear anywhere" checks.
fn text_of(value: &Value) -> String {
    value.to_string()
}

impl Community {
    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Signs up a colleague, joins the space, and grants `roles` (none for a plain member).
    async fn person(&self, given: &str, family: &str, roles: &[&str]) -> Person {
        let email = format!("{}@example.org", given.to_lowercase());
        let (client, token) = self
            .server
            .colleagues(&[(given, family, &email)])
            .await
            .pop()
            .unwrap();
        let mut person = Person {
            client,
            token,
            id: 0,
            name: String::new(),
            email,
        };
        let (status, me) = self.get(&person, "/api/v1/me").await;
        assert_eq!(status, StatusCode::OK, "{me}");
        person.id = me["id"].as_i64().unwrap();
        person.name = me["display_name"].as_str().unwrap().to_owned();
        let (status, body) = self
            .post(
                &person,
                &format!("/api/v1/spaces/{SPACE}/membership"),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if !roles.is_empty() {
            self.grant(person.id, roles).await;
        }
        person
    }

    async fn grant(&self, id: i64, roles: &[&str]) {
        let (status, body) = self
            .call(
                &self.admin,
                Method::PUT,
                &format!("/api/v1/admin/people/{id}/roles"),
                json!({ "roles": roles }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// An API call; the answer's JSON (`null` when there is none).
    async fn call(
        &self,
        who: &Person,
        method: Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let response = self
            .server
            .api(&who.token, method, path, body)
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    async fn get(&self, who: &Person, path: &str) -> (StatusCode, Value) {
        self.call(who, Method::GET, path, Value::Null).await
    }

    async fn post(&self, who: &Person, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(who, Method::POST, path, body).await
    }

    /// A page as `who`'s browser sees it.
    async fn page(&self, who: &Person, path: &str) -> (StatusCode, String) {
        let response = who.client.get(self.url(path)).send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    async fn start_thread(&self, who: &Person, title: &str, body: &str) -> (StatusCode, Value) {
        self.post(
            who,
            &format!("/api/v1/spaces/{SPACE}/threads"),
            json!({"kind": "discussion", "title": title, "body": body}),
        )
        .await
    }

    async fn thread(&self, who: &Person, title: &str, body: &str) -> i64 {
        let (status, created) = self.start_thread(who, title, body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created["id"].as_i64().unwrap()
    }

    async fn reply(&self, who: &Person, thread: i64, body: &str) -> (StatusCode, Value) {
        self.post(
            who,
            &format!("/api/v1/threads/{thread}/posts"),
            json!({ "body": body }),
        )
        .await
    }

    /// Replies and expects the post to be written; returns its id.
    async fn replied(&self, who: &Person, thread: i64, body: &str) -> i64 {
        let (status, created) = self.reply(who, thread, body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}: {created}");
        created["id"].as_i64().unwrap()
    }

    /// The thread as `who` reads it through the API (status and the JSON as text).
    async fn read_thread(&self, who: &Person, thread: i64) -> (StatusCode, String) {
        let (status, body) = self.get(who, &format!("/api/v1/threads/{thread}")).await;
        (status, text_of(&body))
    }

    async fn opening_post(&self, who: &Person, thread: i64) -> i64 {
        let (status, body) = self.get(who, &format!("/api/v1/threads/{thread}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["posts"][0]["id"].as_i64().unwrap()
    }

    async fn search(&self, who: &Person, q: &str) -> Vec<Value> {
        let (status, body) = self
            .get(
                who,
                &format!(
                    "/api/v1/search?q={}",
                    form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
                ),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
    }

    async fn report(&self, who: &Person, post: i64, reason: &str) -> (StatusCode, Value) {
        self.post(
            who,
            "/api/v1/reports",
            json!({"subject": "post", "id": post, "reason": reason}),
        )
        .await
    }

    async fn queue(&self, moderator: &Person, source: &str) -> Vec<Value> {
        let (status, body) = self
            .get(
                moderator,
                &format!("/api/v1/moderation/queue?source={source}"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
    }

    /// The open review item about `post`, from the queue of `source`.
    async fn item_for(&self, moderator: &Person, source: &str, post: i64) -> Value {
        self.queue(moderator, source)
            .await
            .into_iter()
            .find(|item| item["subject_kind"] == "post" && item["subject_id"] == post)
            .unwrap_or_else(|| panic!("no {source} item for post {post}"))
    }

    /// Approves the disputed review item about `post`.
    async fn approve_disputed(&self, moderator: &Person, post: i64, reason: &str) {
        let item = self.item_for(moderator, "disputed", post).await;
        assert_eq!(item["source"], "disputed");
        let id = item["id"].as_i64().unwrap();
        let (status, body) = self.decide(moderator, id, "approve", reason, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    async fn decide(
        &self,
        moderator: &Person,
        item: i64,
        action: &str,
        reason: &str,
        hours: Option<i64>,
    ) -> (StatusCode, Value) {
        self.post(
            moderator,
            "/api/v1/moderation/queue/decisions",
            json!({"ids": [item], "action": action, "reason": reason, "hours": hours}),
        )
        .await
    }

    /// Reports `post` (by `reporter`) and decides it as `moderator`; expects one decision.
    async fn sanction(
        &self,
        reporter: &Person,
        moderator: &Person,
        post: i64,
        action: &str,
        reason: &str,
        hours: Option<i64>,
    ) {
        let (status, body) = self.report(reporter, post, "rude").await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let item = self.item_for(moderator, "reported", post).await["id"]
            .as_i64()
            .unwrap();
        let (status, body) = self.decide(moderator, item, action, reason, hours).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["decided"], 1, "{action}: {body}");
    }

    /// The texts of `who`'s notifications, once the outbox has delivered everything.
    async fn notices(&self, who: &Person) -> Vec<String> {
        self.server.deliver_effects().await;
        let (status, body) = self.get(who, "/api/v1/notifications").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["text"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn public_log(&self, who: &Person) -> Vec<Value> {
        let (status, body) = self.get(who, "/api/v1/moderation/log").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
    }

    async fn hr_cases(&self, hr: &Person) -> Vec<Value> {
        let (status, body) = self.get(hr, "/api/v1/hr/cases").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.as_array().unwrap().clone()
    }

    /// The cases about `subject` opened from `source`, newest first.
    async fn hr_cases_about(&self, hr: &Person, subject: &Person, source: &str) -> Vec<Value> {
        self.hr_cases(hr)
            .await
            .into_iter()
            .filter(|c| c["subject_user_id"] == subject.id && c["source"] == source)
            .collect()
    }

    /// The newest case about `subject` from `source`, in full.
    async fn hr_case_of(&self, hr: &Person, subject: &Person, source: &str) -> Value {
        let cases = self.hr_cases_about(hr, subject, source).await;
        let newest = cases
            .first()
            .unwrap_or_else(|| panic!("no {source} case about {}", subject.name));
        let (status, detail) = self
            .get(hr, &format!("/api/v1/hr/cases/{}", newest["id"]))
            .await;
        assert_eq!(status, StatusCode::OK, "{detail}");
        detail
    }

    /// Signs in with a fresh browser: the answer's status and where it redirects.
    async fn sign_in_fresh(&self, who: &Person) -> (StatusCode, String, String) {
        let client = browser();
        let response = self.server.sign_in(&client, &who.email, PASSWORD).await;
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, location, response.text().await.unwrap())
    }

    /// Attaches an image file to a post through the API.
    async fn attach(&self, who: &Person, post: i64, file: &str) -> (StatusCode, Value) {
        let bytes = std::fs::read(fixtures().join(file)).unwrap();
        let form = Form::new().part(
            "file",
            Part::bytes(bytes)
                .file_name(file.to_owned())
                .mime_str("image/png")
                .unwrap(),
        );
        let response = reqwest::Client::new()
            .post(self.url(&format!("/api/v1/posts/{post}/attachments")))
            .bearer_auth(&who.token)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../app/tests/fixtures/images")
}

/// Runs one SQL statement on the test's database with the backend's own command-line client,
/// as an operator with database access would; `None` when the client is not installed.
fn run_sql(db: &Db, sql: &str) -> Option<Output> {
    match db {
        Db::Sqlite(pool, _) => {
            let file = pool.connect_options().get_filename().to_owned();
            Command::new("sqlite3")
                .arg("-cmd")
                .arg(".timeout 5000")
                .arg(file)
                .arg(sql)
                .output()
                .ok()
        }
        Db::Postgres(pool) => {
            let url = std::env::var(guildhall_store::testing::TEST_DATABASE_URL).ok()?;
            let options = pool.connect_options().get_options()?.to_owned();
            Command::new("psql")
                .arg(url)
                .arg("-X")
                .arg("-v")
                .arg("ON_ERROR_STOP=1")
                .arg("-c")
                .arg(sql)
                .env("PGOPTIONS", options)
                .output()
                .ok()
        }
    }
}

/// An HR route as a person reaches it: a page (cookie, with a valid CSRF token for forms) or
/// the API (bearer token).
enum HrRoute {
    Page(String),
    Form(String, Vec<(&'static str, &'static str)>),
    Api(Method, String, Value),
}

impl HrRoute {
    fn describe(&self) -> String {
        match self {
            HrRoute::Page(path) => format!("GET {path}"),
            HrRoute::Form(path, _) => format!("POST {path}"),
            HrRoute::Api(method, path, _) => format!("{method} {path}"),
        }
    }
}

async fn try_route(c: &Community, who: &Person, route: &HrRoute) -> StatusCode {
    match route {
        HrRoute::Page(path) => c.page(who, path).await.0,
        HrRoute::Form(path, fields) => c
            .server
            .post_form(&who.client, "/", path, fields)
            .await
            .status(),
        HrRoute::Api(method, path, body) => c.call(who, method.clone(), path, body.clone()).await.0,
    }
}

#[tokio::test]
async fn a_nudged_reply_is_published_only_after_review() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let thread = c
        .thread(&c.admin, "Retro notes", "What went well this sprint?")
        .await;

    // The nudge: nothing is written, and the author reads which words.
    let (status, nudged) = c.reply(&grace, thread, "What a loser you are").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{nudged}");
    assert_eq!(nudged["error"], "content_nudged");
    assert!(
        nudged["fields"]["body"].as_str().unwrap().contains("loser"),
        "{nudged}"
    );
    for who in [&grace, &alan] {
        let (status, seen) = c.read_thread(who, thread).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!seen.contains("loser"), "nothing published: {seen}");
    }

    // Sent for review: written, but only its author and moderators see it.
    let (status, created) = c
        .post(
            &grace,
            &format!("/api/v1/threads/{thread}/posts"),
            json!({"body": "What a loser you are", "send_for_review": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let post = created["id"].as_i64().unwrap();
    let history = format!("/api/v1/posts/{post}/history");
    assert_eq!(c.get(&alan, &history).await.0, StatusCode::NOT_FOUND);
    assert!(!c.read_thread(&alan, thread).await.1.contains("loser"));
    let (_, page) = c.page(&alan, &format!("/t/{thread}")).await;
    assert!(!page.contains("loser"), "not on Alan's page");
    assert_eq!(c.get(&grace, &history).await.0, StatusCode::OK);
    assert!(c.read_thread(&grace, thread).await.1.contains("loser"));

    let item = c.item_for(&mo, "nudged", post).await;
    assert_eq!(item["source"], "nudged");
    assert_eq!(item["author_id"], grace.id);
    assert!(
        item["check_reasons"].as_str().unwrap().contains("loser"),
        "{item}"
    );
    assert_eq!(
        c.get(&alan, "/api/v1/moderation/queue").await.0,
        StatusCode::FORBIDDEN,
        "the queue is for moderators"
    );

    let (status, decided) = c
        .decide(
            &mo,
            item["id"].as_i64().unwrap(),
            "approve",
            "Fine as written",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["decided"], 1);
    assert_eq!(c.get(&alan, &history).await.0, StatusCode::OK);
    assert!(c.read_thread(&alan, thread).await.1.contains("loser"));
    assert!(c.queue(&mo, "nudged").await.is_empty());
    let notices = c.notices(&grace).await;
    assert!(
        notices.iter().any(|n| n.contains("approved")),
        "{notices:?}"
    );
}

/// A reply waiting for review is invisible to others, so it must not move the thread either:
/// no "1 reply", no jump to the top of the feeds.
#[tokio::test]
async fn a_held_reply_does_not_show_in_the_thread_counters() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let thread = c
        .thread(&c.admin, "Retro notes", "What went well this sprint?")
        .await;
    let (_, before) = c.get(&alan, &format!("/api/v1/threads/{thread}")).await;
    let (status, _) = c
        .post(
            &grace,
            &format!("/api/v1/threads/{thread}/posts"),
            json!({"body": "What a loser you are", "send_for_review": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, after) = c.get(&alan, &format!("/api/v1/threads/{thread}")).await;
    assert_eq!(after["thread"]["reply_count"], 0, "{after}");
    assert_eq!(
        after["thread"]["last_activity_at"],
        before["thread"]["last_activity_at"]
    );
}

/// A remark the sentence model reads as possibly explicit, but not beyond doubt: the post waits
/// for a moderator, nobody is reported to HR, and the moderator escalates with one action when
/// it is what it looks like.
#[tokio::test]
async fn uncertain_explicit_content_is_held_and_a_moderator_escalates_to_hr() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let hr = c.person("Hester", "Reed", &["hr"]).await;
    let thread = c
        .thread(&c.admin, "Webinar follow-up", "Questions welcome.")
        .await;
    let remark = "Let us grab a drink alone after the course, just the two of us.";
    let post = c.replied(&grace, thread, remark).await;
    assert!(!c.read_thread(&alan, thread).await.1.contains("drink"));
    assert!(c.search(&alan, "drink").await.is_empty());
    assert!(
        c.hr_cases(&hr).await.is_empty(),
        "an uncertain reading opened an HR case"
    );
    let item = c.item_for(&mo, "held", post).await;
    assert!(
        item["check_reasons"].as_str().unwrap().contains("explicit"),
        "{item}"
    );
    let (status, _) = c
        .decide(
            &mo,
            item["id"].as_i64().unwrap(),
            "escalate",
            "Harassment",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let case = c.hr_case_of(&hr, &grace, "escalation").await;
    assert!(
        text_of(&case["evidence"]["content"]).contains(remark),
        "{case}"
    );
}

/// Words that also have an explicit meaning, in sentences plainly about something else
/// (a surname, a colour, a tool, medicine, code): published, never blocked, never HR.
#[tokio::test]
async fn benign_explicit_words_are_published_and_never_reach_hr() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let hr = c.person("Hester", "Reed", &["hr"]).await;
    let thread = c
        .thread(&c.admin, "Show and tell", "What did you learn?")
        .await;
    for (body, visible) in [
        (
            "Tony Hoare's talk on null references is worth the hour.",
            "Hoare",
        ),
        (
            "Edsger Dijkstra wrote the shortest-path paper in twenty minutes.",
            "Dijkstra",
        ),
        (
            "The brand palette pairs puce with a warm Titian red.",
            "puce",
        ),
        (
            "Set `user.sex` to null before you export the survey.",
            "export the survey",
        ),
        (
            "Wrap the heading in <b>bold</b> and the aside in <i>italics</i>.",
            "Wrap the heading",
        ),
        ("```sh\nkill -9 $(pgrep cocksure)\n```", "pgrep"),
        (
            "Breast cancer screening is free for staff over 40 this month.",
            "screening",
        ),
        (
            "The Scunthorpe and Penistone sites join the cohort on Monday.",
            "Penistone",
        ),
    ] {
        c.replied(&grace, thread, body).await;
        assert!(
            c.read_thread(&alan, thread).await.1.contains(visible),
            "{body} is not visible"
        );
    }
    assert!(c.hr_cases(&hr).await.is_empty());
}

/// A nudge the author thinks is wrong: "this was not rude" sends the post for review as a
/// disputed item, and the moderator's approval publishes it.
#[tokio::test]
async fn an_author_can_say_this_was_not_rude() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let thread = c.thread(&c.admin, "Retro", "What went well?").await;
    let text = "Nice try. What a loser you are.";
    let (status, nudged) = c.reply(&grace, thread, text).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{nudged}");
    assert_eq!(nudged["error"], "content_nudged");
    let path = format!("/api/v1/threads/{thread}/posts");
    // `not_rude` alone does not publish: it only qualifies a send for review.
    let (status, _) = c
        .post(&grace, &path, json!({"body": text, "not_rude": true}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, created) = c
        .post(
            &grace,
            &path,
            json!({"body": text, "send_for_review": true, "not_rude": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let post = created["id"].as_i64().unwrap();
    assert!(!c.read_thread(&alan, thread).await.1.contains("loser"));
    c.approve_disputed(&mo, post, "Banter between friends")
        .await;
    assert!(c.read_thread(&alan, thread).await.1.contains("loser"));
}

/// A thread's opening can be disputed too: the thread is held as a disputed item until a
/// moderator approves it.
#[tokio::test]
async fn a_thread_opening_can_be_disputed_as_not_rude() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let (title, body) = ("Retro notes", "Nice try. What a loser you are.");
    let (status, nudged) = c.start_thread(&grace, title, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{nudged}");
    assert_eq!(nudged["error"], "content_nudged");
    let (status, created) = c
        .post(
            &grace,
            &format!("/api/v1/spaces/{SPACE}/threads"),
            json!({"kind": "discussion", "title": title, "body": body,
                   "send_for_review": true, "not_rude": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let thread = created["id"].as_i64().unwrap();
    let opening = c.opening_post(&grace, thread).await;
    assert!(!c.read_thread(&alan, thread).await.1.contains("loser"));
    c.approve_disputed(&mo, opening, "Friendly banter").await;
    assert!(c.read_thread(&alan, thread).await.1.contains("loser"));
}

/// An organisation's block rule makes explicit words certain: blocked, and HR is told.
#[tokio::test]
async fn explicit_text_under_a_block_rule_is_blocked_and_opens_an_hr_case() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let hr = c.person("Hester", "Reed", &["hr"]).await;
    let thread = c
        .thread(&c.admin, "Webinar follow-up", "Questions welcome.")
        .await;
    let rule = json!({"pattern": "nudes", "action": "block", "replacement": ""});
    let (status, answer) = c
        .post(&c.admin, "/api/v1/moderation/rules/words", rule)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    let (status, published) = c
        .post(
            &c.admin,
            "/api/v1/conduct",
            json!({"body": "# Code of conduct\n\nBe kind."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{published}");
    let version = published["version"].as_i64().unwrap();
    let (status, _) = c
        .post(
            &grace,
            "/api/v1/conduct/accept",
            json!({ "version": version }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, blocked) = c.reply(&grace, thread, "send me your nudes").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{blocked}");
    assert_eq!(blocked["error"], "invalid_input");
    assert!(
        blocked["fields"]["body"]
            .as_str()
            .unwrap()
            .contains("Explicit content is not allowed"),
        "{blocked}"
    );
    // Sending it for review does not help: explicit content is never published.
    let (status, _) = c
        .post(
            &grace,
            &format!("/api/v1/threads/{thread}/posts"),
            json!({"body": "send me your nudes", "send_for_review": true}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for who in [&grace, &alan] {
        assert!(!c.read_thread(who, thread).await.1.contains("nudes"));
    }
    assert!(c.search(&alan, "nudes").await.is_empty());

    // Each blocked attempt is evidence with its own case.
    assert_eq!(
        c.hr_cases_about(&hr, &grace, "explicit_text").await.len(),
        2
    );
    assert!(
        c.hr_cases_about(&hr, &alan, "explicit_text")
            .await
            .is_empty()
    );
    let case = c.hr_case_of(&hr, &grace, "explicit_text").await;
    assert_eq!(case["case"]["status"], "open");
    let evidence = &case["evidence"];
    assert!(
        text_of(&evidence["content"]).contains("send me your nudes"),
        "{evidence}"
    );
    assert_eq!(
        evidence["accepted_conduct"]["version"], version,
        "{evidence}"
    );
    // The thread the reply was written in is there as context, starting with its opening post.
    let context = evidence["content"]["context"].as_array().unwrap();
    assert!(!context.is_empty(), "{evidence}");
    assert_eq!(context[0]["text"], "Questions welcome.", "{evidence}");
}

/// Without any rule of the organisation's: the sentence model reads the proposition as explicit
/// beyond doubt, so it is blocked and HR gets a case that names the model as the source. A
/// mocking remark without a single swear word is caught by the same reading and only nudged.
#[tokio::test]
async fn the_sentence_model_blocks_explicit_content_it_is_sure_of_and_nudges_mocking() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let hr = c.person("Hester", "Reed", &["hr"]).await;
    let thread = c
        .thread(&c.admin, "Webinar follow-up", "Questions welcome.")
        .await;

    let (status, blocked) = c.reply(&grace, thread, "send me your nudes").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{blocked}");
    let case = c.hr_case_of(&hr, &grace, "explicit_text").await;
    assert!(
        case["evidence"].to_string().contains("context_model"),
        "{case}"
    );

    let (status, nudged) = c
        .reply(
            &grace,
            thread,
            "Typical marketing, all fluff and no brains.",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{nudged}");
    assert_eq!(nudged["error"], "content_nudged", "{nudged}");
    assert_eq!(
        c.hr_cases_about(&hr, &grace, "explicit_text").await.len(),
        1,
        "a nudge is not a case"
    );
}

#[tokio::test]
async fn organisation_rules_hold_replace_and_block() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let thread = c.thread(&c.admin, "Team news", "Share your updates.").await;

    // A replacement is sent although a hold does not use it: see optional_texts_may_be_left_empty.
    let rule = json!({"pattern": "project falcon", "action": "hold", "replacement": "n/a"});
    assert_eq!(
        c.post(&grace, "/api/v1/moderation/rules/words", rule.clone())
            .await
            .0,
        StatusCode::FORBIDDEN,
        "rules are for administrators"
    );
    for (path, body) in [
        ("/api/v1/moderation/rules/words", rule),
        (
            "/api/v1/moderation/rules/words",
            json!({"pattern": "synergy", "action": "replace", "replacement": "teamwork"}),
        ),
        (
            "/api/v1/moderation/rules/links",
            json!({"domain": "bad.example", "policy": "block"}),
        ),
    ] {
        let (status, answer) = c.post(&c.admin, path, body).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    }
    let (_, rules) = c.get(&c.admin, "/api/v1/moderation/rules").await;
    assert_eq!(rules["words"].as_array().unwrap().len(), 2, "{rules}");
    assert_eq!(rules["links"][0]["domain"], "bad.example");

    // Hold: the thread waits for a moderator, unseen by others.
    let held = c
        .thread(&grace, "Status of Project Falcon", "Launch moved to May.")
        .await;
    assert_eq!(
        c.get(&alan, &format!("/api/v1/threads/{held}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, feed) = c
        .get(&alan, &format!("/api/v1/spaces/{SPACE}/threads"))
        .await;
    assert!(!text_of(&feed).contains("Falcon"), "{feed}");
    assert!(c.search(&alan, "falcon").await.is_empty());
    let opening = c.opening_post(&grace, held).await;
    let item = c.item_for(&mo, "held", opening).await;
    assert_eq!(item["source"], "held");
    assert!(
        item["check_reasons"].as_str().unwrap().contains("Falcon"),
        "{item}"
    );
    let (status, _) = c
        .decide(
            &mo,
            item["id"].as_i64().unwrap(),
            "approve",
            "Fine as written",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        c.get(&alan, &format!("/api/v1/threads/{held}")).await.0,
        StatusCode::OK,
        "visible once approved"
    );

    // Replace: the published text has the replacement.
    c.replied(&grace, thread, "We need more synergy here.")
        .await;
    let (_, seen) = c.read_thread(&alan, thread).await;
    assert!(seen.contains("We need more teamwork here."), "{seen}");
    assert!(!seen.contains("synergy"), "{seen}");

    // A blocked link domain refuses the post.
    let (status, refused) = c
        .reply(
            &grace,
            thread,
            "Cheap licences at https://bad.example/offer",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"], "invalid_input");
    assert!(
        refused["fields"]["body"]
            .as_str()
            .unwrap()
            .contains("bad.example"),
        "{refused}"
    );
    assert!(!c.read_thread(&alan, thread).await.1.contains("licences"));

    // The check itself, as the live nudge uses it.
    let (status, verdict) = c
        .post(
            &alan,
            "/api/v1/moderation/check",
            json!({"text": "Any news about project falcon?"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{verdict}");
    assert_eq!(verdict["action"], "hold");
    assert!(!verdict["message"].as_str().unwrap().is_empty());
    assert_eq!(verdict["reasons"][0]["category"], "word_rule");
    assert_eq!(verdict["reasons"][0]["action"], "hold");
    assert_eq!(verdict["reasons"][0]["matched"], "project falcon");
    let (_, verdict) = c
        .post(
            &alan,
            "/api/v1/moderation/check",
            json!({"text": "What a loser you are"}),
        )
        .await;
    assert_eq!(verdict["action"], "nudge", "{verdict}");
    assert!(
        verdict["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["category"] == "rude")
    );
    let (_, verdict) = c
        .post(
            &alan,
            "/api/v1/moderation/check",
            json!({"text": "Great talk, thank you!"}),
        )
        .await;
    assert_eq!(verdict["action"], "allow", "{verdict}");
    assert_eq!(verdict["message"], "");
    assert_eq!(verdict["reasons"], json!([]));
    let (_, verdict) = c
        .post(
            &alan,
            "/api/v1/moderation/check",
            json!({"text": "More synergy!"}),
        )
        .await;
    assert_eq!(verdict["replaced_text"], "More teamwork!", "{verdict}");
}

#[tokio::test]
async fn reports_hide_a_post_and_reporters_hear_the_outcome() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let barbara = c.person("Barbara", "Liskov", &[]).await;
    let claude = c.person("Claude", "Shannon", &[]).await;
    let dora = c.person("Dora", "Reader", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let thread = c
        .thread(&c.admin, "Budget review", "Comments on the plan?")
        .await;
    let post = c
        .replied(&grace, thread, "The sprocket budget is wrong, again.")
        .await;
    assert_eq!(c.search(&dora, "sprocket").await.len(), 1);
    assert!(
        c.page(&dora, &format!("/t/{thread}"))
            .await
            .1
            .contains("sprocket")
    );

    let (status, refused) = c.report(&grace, post, "rude").await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reporting yourself: {refused}"
    );
    let (status, first) = c.report(&alan, post, "rude").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first, json!({"report_count": 1, "hidden": false}));
    let (status, again) = c.report(&alan, post, "rude").await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["error"], "already_reported");
    let (_, second) = c.report(&barbara, post, "rude").await;
    assert_eq!(second, json!({"report_count": 2, "hidden": false}));
    assert!(
        c.read_thread(&dora, thread).await.1.contains("sprocket"),
        "still shown after 2"
    );
    let (status, third) = c.report(&claude, post, "rude").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(third, json!({"report_count": 3, "hidden": true}));

    // Hidden for everyone but its author and moderators.
    assert!(!c.read_thread(&dora, thread).await.1.contains("sprocket"));
    assert!(
        !c.page(&dora, &format!("/t/{thread}"))
            .await
            .1
            .contains("sprocket")
    );
    assert!(c.search(&dora, "sprocket").await.is_empty());
    assert!(c.read_thread(&grace, thread).await.1.contains("sprocket"));
    assert!(c.read_thread(&mo, thread).await.1.contains("sprocket"));

    let item = c.item_for(&mo, "reported", post).await;
    assert_eq!(item["report_count"], 3);
    let (status, _) = c
        .decide(&mo, item["id"].as_i64().unwrap(), "remove", "", None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a removal needs a reason"
    );
    let (status, decided) = c
        .decide(
            &mo,
            item["id"].as_i64().unwrap(),
            "remove",
            "Mocking a colleague",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(decided["decided"], 1);
    assert!(
        !c.read_thread(&grace, thread).await.1.contains("sprocket"),
        "removed"
    );

    for reporter in [&alan, &barbara, &claude] {
        let notices = c.notices(reporter).await;
        assert!(
            notices
                .iter()
                .any(|n| n.contains("looked at what you reported and removed it")),
            "{}: {notices:?}",
            reporter.name
        );
    }
    let notices = c.notices(&grace).await;
    assert!(
        notices.iter().any(|n| n.contains("Mocking a colleague")),
        "{notices:?}"
    );
    let log = c.public_log(&dora).await;
    assert!(
        log.iter().any(|e| e["role"] == "Moderator"
            && e["reason"] == "Mocking a colleague"
            && e["action"] == "removed"),
        "{log:?}"
    );
    let everything = text_of(&Value::Array(log));
    for secret in [mo.name.as_str(), "Morgan", mo.email.as_str()] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
}

#[tokio::test]
async fn sanctions_stop_writing_or_signing_in_until_lifted() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let eve = c.person("Eve", "Mallory", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let nia = c.person("Nia", "Okafor", &["moderator"]).await;
    let thread = c
        .thread(&c.admin, "Open floor", "Anything goes (kindly).")
        .await;
    let posts = [
        c.replied(&grace, thread, "First remark.").await,
        c.replied(&grace, thread, "Second remark.").await,
        c.replied(&grace, thread, "Third remark.").await,
    ];
    let eve_post = c.replied(&eve, thread, "Eve's remark.").await;
    let sanction_of = |standing: &Value, kind: &str| -> Value {
        standing["sanctions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {standing}"))
            .clone()
    };

    // A warning: no writing until acknowledged.
    c.sanction(&alan, &mo, posts[0], "warn", "Please keep it kind", None)
        .await;
    let (status, refused) = c.reply(&grace, thread, "Am I warned?").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["error"], "warning_unacknowledged");
    let (_, standing) = c.get(&grace, "/api/v1/moderation/mine").await;
    let warning = sanction_of(&standing, "warning");
    assert_eq!(warning["needs_acknowledgement"], true);
    assert_eq!(warning["reason"], "Please keep it kind");
    let acknowledge = format!("/api/v1/sanctions/{}/acknowledge", warning["id"]);
    assert_eq!(
        c.post(&alan, &acknowledge, json!({})).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.post(&grace, &acknowledge, json!({})).await.0,
        StatusCode::NO_CONTENT
    );
    c.replied(&grace, thread, "Understood, sorry.").await;

    // A mute: no writing (reading is fine) until it ends or is lifted.
    c.sanction(&alan, &mo, posts[1], "mute", "Cool down", Some(2))
        .await;
    let (status, refused) = c.reply(&grace, thread, "Am I muted?").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["error"], "muted");
    assert_eq!(c.read_thread(&grace, thread).await.0, StatusCode::OK);

    // The appeal: once; never decided by the moderator who muted.
    let (_, standing) = c.get(&grace, "/api/v1/moderation/mine").await;
    let mute = sanction_of(&standing, "mute");
    assert_eq!(mute["can_appeal"], true);
    let appeal = format!("/api/v1/sanctions/{}/appeal", mute["id"]);
    let statement = json!({"statement": "I apologised to Alan."});
    assert_eq!(
        c.post(&alan, &appeal, statement.clone()).await.0,
        StatusCode::NOT_FOUND,
        "only the member appeals"
    );
    assert_eq!(
        c.post(&grace, &appeal, statement.clone()).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, twice) = c.post(&grace, &appeal, statement).await;
    assert_eq!(status, StatusCode::CONFLICT, "{twice}");
    assert_eq!(twice["error"], "already_appealed");
    let open = |appeals: &Value| -> Value {
        appeals
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["sanction_kind"] == "mute")
            .unwrap()
            .clone()
    };
    let (_, appeals) = c.get(&mo, "/api/v1/moderation/appeals").await;
    let appeal_id = open(&appeals)["id"].as_i64().unwrap();
    assert_eq!(open(&appeals)["decidable"], false);
    let (_, appeals) = c.get(&nia, "/api/v1/moderation/appeals").await;
    assert_eq!(open(&appeals)["decidable"], true);
    let decide = format!("/api/v1/moderation/appeals/{appeal_id}");
    let (status, refused) = c
        .post(
            &mo,
            &decide,
            json!({"decision": "lift", "note": "Mine to lift"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["error"], "different_moderator_required");
    let (status, _) = c
        .post(
            &nia,
            &decide,
            json!({"decision": "lift", "note": "Apology accepted"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    c.replied(&grace, thread, "Thank you for lifting it.").await;
    let (_, standing) = c.get(&grace, "/api/v1/moderation/mine").await;
    assert_eq!(sanction_of(&standing, "mute")["lifted"], true);
    assert_eq!(sanction_of(&standing, "mute")["appeal"], "lifted");
    assert!(
        c.notices(&grace)
            .await
            .iter()
            .any(|n| n.contains("Your appeal was accepted"))
    );

    // A suspension ends the sessions and tokens, and sign-in is refused.
    let (status, _) = c.page(&grace, "/moderation/mine").await;
    assert_eq!(status, StatusCode::OK, "signed in before");
    c.sanction(
        &alan,
        &mo,
        posts[2],
        "suspend",
        "Repeated mocking",
        Some(24),
    )
    .await;
    let (status, body) = c.get(&grace, "/api/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let response = grace.client.get(c.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "the session ended"
    );
    let (status, location, page) = c.sign_in_fresh(&grace).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{location}");
    assert!(page.contains("suspended this account until"), "{page}");
    assert!(page.contains("Repeated mocking"), "{page}");

    // A ban, likewise.
    c.sanction(&alan, &mo, eve_post, "ban", "Harassment", None)
        .await;
    assert_eq!(c.get(&eve, "/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(c.sign_in_fresh(&eve).await.0, StatusCode::FORBIDDEN);

    let actions: Vec<String> = c
        .public_log(&alan)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    for action in [
        "warned a member",
        "muted a member",
        "lifted a sanction on appeal",
        "suspended a member",
        "banned a member",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

/// DESIGN.md §6: every sanction can be appealed by the member. A suspended member cannot sign
/// in, so the sign-in page names the reason and takes the appeal, with the password as proof.
#[tokio::test]
async fn a_suspended_member_appeals_from_the_sign_in_page() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let nia = c.person("Nia", "Okafor", &["moderator"]).await;
    let thread = c
        .thread(&c.admin, "Open floor", "Anything goes (kindly).")
        .await;
    let post = c.replied(&grace, thread, "A remark.").await;
    c.sanction(&alan, &mo, post, "suspend", "Repeated mocking", Some(24))
        .await;

    // Signing in is refused with the reason, and the page offers the appeal.
    let (status, _, page) = c.sign_in_fresh(&grace).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Repeated mocking"), "{page}");
    assert!(page.contains("/signin/appeal"), "{page}");

    // A wrong password does not file an appeal.
    let client = browser();
    let response = c
        .server
        .post_form(
            &client,
            "/signin",
            "/signin/appeal",
            &[
                ("email", &grace.email),
                ("password", "not-the-password"),
                ("statement", "Let me in."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (_, appeals) = c.get(&nia, "/api/v1/moderation/appeals").await;
    assert_eq!(appeals.as_array().unwrap().len(), 0, "{appeals}");

    let response = c
        .server
        .post_form(
            &client,
            "/signin",
            "/signin/appeal",
            &[
                ("email", &grace.email),
                ("password", PASSWORD),
                ("statement", "It was a misunderstanding."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Your appeal was sent")
    );

    // The moderator who suspended may not decide; another lifts it and Grace signs in again.
    let (_, appeals) = c.get(&nia, "/api/v1/moderation/appeals").await;
    let appeal = appeals[0]["id"].as_i64().unwrap();
    let (status, _) = c
        .post(
            &mo,
            &format!("/api/v1/moderation/appeals/{appeal}"),
            json!({"decision": "lift"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = c
        .post(
            &nia,
            &format!("/api/v1/moderation/appeals/{appeal}"),
            json!({"decision": "lift", "note": "Misunderstanding"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(c.sign_in_fresh(&grace).await.0, StatusCode::SEE_OTHER);
}

/// Approving needs no reason, lifting an appeal no note, and a hold/block/nudge word rule no
/// replacement: the API marks them optional and the pages do not require them.
#[tokio::test]
async fn optional_texts_may_be_left_empty() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let nia = c.person("Nia", "Okafor", &["moderator"]).await;

    let (status, body) = c
        .post(
            &c.admin,
            "/api/v1/moderation/rules/words",
            json!({"pattern": "project falcon", "action": "hold"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "hold rule without replacement: {body}"
    );

    let thread = c
        .thread(&c.admin, "Open floor", "Anything goes (kindly).")
        .await;
    let post = c.replied(&grace, thread, "A remark.").await;
    let (_, _) = c.report(&alan, post, "rude").await;
    let item = c.item_for(&mo, "reported", post).await["id"]
        .as_i64()
        .unwrap();
    let (status, body) = c.decide(&mo, item, "approve", "", None).await;
    assert_eq!(status, StatusCode::OK, "approve without a reason: {body}");

    let other = c.replied(&grace, thread, "Another remark.").await;
    c.sanction(&alan, &mo, other, "mute", "Cool down", Some(1))
        .await;
    let (_, standing) = c.get(&grace, "/api/v1/moderation/mine").await;
    let appeal = format!(
        "/api/v1/sanctions/{}/appeal",
        standing["sanctions"][0]["id"]
    );
    let (status, _) = c
        .post(&grace, &appeal, json!({"statement": "Sorry."}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, appeals) = c.get(&nia, "/api/v1/moderation/appeals").await;
    let (status, body) = c
        .post(
            &nia,
            &format!("/api/v1/moderation/appeals/{}", appeals[0]["id"]),
            json!({"decision": "lift"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NO_CONTENT,
        "lift without a note: {body}"
    );
}

#[tokio::test]
async fn the_code_of_conduct_is_accepted_before_writing() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let thread = c.thread(&c.admin, "Welcome", "Say hello.").await;
    assert_eq!(
        c.post(&grace, "/api/v1/conduct", json!({"body": "Mine"}))
            .await
            .0,
        StatusCode::FORBIDDEN,
        "administrators publish it"
    );
    assert_eq!(
        c.get(&grace, "/api/v1/conduct").await.0,
        StatusCode::NOT_FOUND
    );

    let (status, v1) = c
        .post(
            &c.admin,
            "/api/v1/conduct",
            json!({"body": "# Our code\n\nBe kind."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v1["version"], 1);
    c.replied(&c.admin, thread, "The author accepted what they published.")
        .await;

    let (status, refused) = c.reply(&grace, thread, "Hello!").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert_eq!(refused["error"], "conduct_not_accepted");
    assert_eq!(
        c.read_thread(&grace, thread).await.0,
        StatusCode::OK,
        "reading is fine"
    );
    assert_eq!(
        c.page(&grace, &format!("/t/{thread}")).await.0,
        StatusCode::OK
    );
    let (_, conduct) = c.get(&grace, "/api/v1/conduct").await;
    assert_eq!(conduct["version"], 1);
    assert_eq!(conduct["needs_acceptance"], true);
    let (status, location, _) = c.sign_in_fresh(&grace).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/conduct", "sign-in leads to the code first");

    assert_eq!(
        c.post(&grace, "/api/v1/conduct/accept", json!({"version": 1}))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    c.replied(&grace, thread, "Hello!").await;
    assert_eq!(c.sign_in_fresh(&grace).await.1, "/");

    // A new version is accepted again (here through the page).
    let (status, v2) = c
        .post(
            &c.admin,
            "/api/v1/conduct",
            json!({"body": "# Our code\n\nBe kind and curious."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(v2["version"], 2);
    let (status, refused) = c.reply(&grace, thread, "Still here.").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(refused["error"], "conduct_not_accepted");
    assert_eq!(c.sign_in_fresh(&grace).await.1, "/conduct");
    let (status, stale) = c
        .post(&grace, "/api/v1/conduct/accept", json!({"version": 1}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{stale}");
    assert!(c.page(&grace, "/conduct").await.1.contains("curious"));
    let accepted = c
        .server
        .post_form(
            &grace.client,
            "/conduct",
            "/conduct/accept",
            &[("version", "2")],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    c.replied(&grace, thread, "Still here.").await;
    let (_, conduct) = c.get(&grace, "/api/v1/conduct").await;
    assert_eq!(conduct["needs_acceptance"], false);
    assert_eq!(conduct["accepted_version"], 2);
}

#[tokio::test]
async fn hr_cases_are_for_hr_only_audited_and_never_leak() {
    const NOTE: &str = "Quillfeather confirmed the incident in person";
    let c = community().await;
    let member = c.person("Grace", "Hopper", &[]).await;
    let moderator = c.person("Morgan", "Stone", &["moderator"]).await;
    let facilitator = c.person("Fiona", "Guide", &["facilitator"]).await;
    let coach = c.person("Colin", "Mentor", &["coach"]).await;
    let hr = c.person("Hester", "Reed", &["hr"]).await;
    let hr_admin = c.person("Harriet", "Chief", &["hr", "admin"]).await;
    let subject = c.person("Eve", "Mallory", &[]).await;
    let thread = c
        .thread(&c.admin, "Lunch plans", "Where shall we go?")
        .await;
    let rule = json!({"pattern": "nudes", "action": "block", "replacement": ""});
    let (status, _) = c
        .post(&c.admin, "/api/v1/moderation/rules/words", rule)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        c.reply(&subject, thread, "send me your nudes").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let case = c.hr_case_of(&hr, &subject, "explicit_text").await;
    let id = case["case"]["id"].as_i64().unwrap();
    let (status, _) = c
        .post(
            &hr,
            &format!("/api/v1/hr/cases/{id}/notes"),
            json!({ "body": NOTE }),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let routes = [
        HrRoute::Page("/hr".into()),
        HrRoute::Page("/hr/audit".into()),
        HrRoute::Page(format!("/hr/cases/{id}")),
        HrRoute::Form(format!("/hr/cases/{id}"), vec![("status", "investigating")]),
        HrRoute::Form(format!("/hr/cases/{id}/notes"), vec![("body", "A note.")]),
        HrRoute::Api(Method::GET, "/api/v1/hr/cases".into(), Value::Null),
        HrRoute::Api(Method::GET, format!("/api/v1/hr/cases/{id}"), Value::Null),
        HrRoute::Api(
            Method::PUT,
            format!("/api/v1/hr/cases/{id}"),
            json!({"status": "investigating"}),
        ),
        HrRoute::Api(
            Method::POST,
            format!("/api/v1/hr/cases/{id}/notes"),
            json!({"body": "A note."}),
        ),
    ];
    for (role, who) in [
        ("member", &member),
        ("moderator", &moderator),
        ("facilitator", &facilitator),
        ("coach", &coach),
        ("admin", &c.admin),
        ("subject", &subject),
    ] {
        for route in &routes {
            let status = try_route(&c, who, route).await;
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{role} got {status} on {}",
                route.describe()
            );
        }
    }
    for route in &routes {
        let status = try_route(&c, &hr_admin, route).await;
        assert!(
            status.is_success() || status == StatusCode::SEE_OTHER,
            "HR got {status} on {}",
            route.describe()
        );
        let status = try_route(&c, &hr, route).await;
        if route.describe() == "GET /hr/audit" {
            // The audit log of all cases is for people with both the HR and Admin roles.
            assert_eq!(status, StatusCode::FORBIDDEN);
        } else {
            assert!(
                status.is_success() || status == StatusCode::SEE_OTHER,
                "HR got {status} on {}",
                route.describe()
            );
        }
    }
    // The refused attempts changed nothing: every note is by HR, and the case is as HR left it.
    let (_, detail) = c.get(&hr, &format!("/api/v1/hr/cases/{id}")).await;
    let notes = detail["notes"].as_array().unwrap();
    assert_eq!(
        notes.len(),
        5,
        "HR's note + two each from HR's route checks: {notes:?}"
    );
    assert!(
        notes
            .iter()
            .all(|n| n["author_name"] == hr.name.as_str()
                || n["author_name"] == hr_admin.name.as_str()),
        "{notes:?}"
    );
    assert!(
        detail["audit"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["actor_name"] == hr.name.as_str()
                || a["actor_name"] == hr_admin.name.as_str()
                || (a["action"] == "opened" && a["actor_name"] == "Guildhall")),
        "only HR in the audit log: {}",
        detail["audit"]
    );

    // Every view is logged.
    let viewed = |detail: &Value| {
        detail["audit"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["action"] == "viewed")
            .count()
    };
    let before = viewed(&detail);
    let (status, page) = c.page(&hr, &format!("/hr/cases/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Quillfeather"), "HR reads the note");
    let (_, detail) = c.get(&hr, &format!("/api/v1/hr/cases/{id}")).await;
    assert_eq!(viewed(&detail), before + 2, "the page view and this one");
    assert!(
        detail["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "viewed" && a["actor_name"] == hr.name.as_str())
    );
    let (status, audit) = c.page(&hr_admin, "/hr/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(audit.contains("viewed"));

    // The note and the case never show up anywhere else, for anyone.
    for who in [
        &member,
        &moderator,
        &facilitator,
        &coach,
        &c.admin,
        &subject,
        &hr,
        &hr_admin,
    ] {
        assert!(c.search(who, "Quillfeather").await.is_empty());
        assert!(c.search(who, "nudes").await.is_empty());
        let mut seen = String::new();
        for path in [
            "/api/v1/feed/home",
            "/api/v1/notifications",
            "/api/v1/moderation/log",
            "/api/v1/moderation/mine",
            &format!("/api/v1/spaces/{SPACE}/threads"),
            &format!("/api/v1/threads/{thread}"),
        ] {
            let (status, body) = c.get(who, path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            seen.push_str(&text_of(&body));
        }
        c.server.deliver_effects().await;
        seen.push_str(&c.notices(who).await.join("\n"));
        for page in ["/", "/notifications", "/moderation/log"] {
            seen.push_str(&c.page(who, page).await.1);
        }
        assert!(
            !seen.contains("Quillfeather"),
            "{} saw the HR note",
            who.name
        );
        assert!(!seen.contains("nudes"), "{} saw the blocked text", who.name);
    }
    let (_, queue) = c.get(&moderator, "/api/v1/moderation/queue").await;
    assert!(!text_of(&queue).contains("nudes"), "{queue}");

    // The audit log is append-only in the database itself.
    let rows = detail["audit"].as_array().unwrap().len();
    for sql in [
        "UPDATE hr_audit SET action = 'nothing to see'",
        "DELETE FROM hr_audit",
    ] {
        match run_sql(c.server.app.db(), sql) {
            Some(output) => {
                let stderr = String::from_utf8_lossy(&output.stderr);
                assert!(!output.status.success(), "{sql} succeeded");
                assert!(stderr.contains("append-only"), "{sql}: {stderr}");
            }
            None => eprintln!("no database client installed: {sql} not tried"),
        }
    }
    let (_, after) = c.get(&hr, &format!("/api/v1/hr/cases/{id}")).await;
    let audit = after["audit"].as_array().unwrap();
    assert_eq!(audit.len(), rows + 1, "only this view was added");
    assert!(!text_of(&after["audit"]).contains("nothing to see"));
}

#[tokio::test]
async fn escalation_opens_an_hr_case_with_versions_and_reports() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let alan = c.person("Alan", "Turing", &[]).await;
    let mo = c.person("Morgan", "Stone", &["moderator"]).await;
    let hr = c.person("Hester", "Reed", &["hr"]).await;
    let thread = c
        .thread(&c.admin, "Offsite", "Ideas for the offsite?")
        .await;
    let post = c
        .replied(&grace, thread, "Alan should stay home this time.")
        .await;
    let (status, _) = c
        .call(
            &grace,
            Method::PUT,
            &format!("/api/v1/posts/{post}"),
            json!({"body": "Alan should stay home this time, we will cope without him."}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = c
        .post(
            &alan,
            "/api/v1/reports",
            json!({"subject": "post", "id": post, "reason": "other", "detail": "Keeps excluding me"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let item = c.item_for(&mo, "reported", post).await;
    let (status, decided) = c
        .decide(
            &mo,
            item["id"].as_i64().unwrap(),
            "escalate",
            "A pattern of exclusion",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(decided["decided"], 1);

    let case = c.hr_case_of(&hr, &grace, "escalation").await;
    let content = &case["evidence"]["content"];
    let versions = text_of(&content["versions"]);
    assert!(
        versions.contains("Alan should stay home this time."),
        "{versions}"
    );
    assert!(versions.contains("cope without him"), "{versions}");
    assert_eq!(content["reports"][0]["reason"], "other", "{content}");
    assert_eq!(content["reports"][0]["detail"], "Keeps excluding me");
    assert!(
        text_of(&content["context"]).contains("Ideas for the offsite?"),
        "{content}"
    );
    assert!(
        c.notices(&alan)
            .await
            .iter()
            .any(|n| n.contains("passed it on to HR"))
    );
    let log = text_of(&Value::Array(c.public_log(&alan).await));
    assert!(
        !log.contains("A pattern of exclusion"),
        "escalations stay out of the public log: {log}"
    );
}

#[tokio::test]
async fn images_over_the_threshold_are_refused_and_reported_to_hr() {
    let data = std::env::temp_dir().join(format!("guildhall-moderation-{}", std::process::id()));
    for (threshold, astronaut_refused) in [(0.01, true), (0.8, false)] {
        let settings = Settings {
            data_dir: data.join(threshold.to_string()),
            moderation: ModerationSettings {
                image_threshold: threshold,
                ..ModerationSettings::default()
            },
            ..Settings::default()
        };
        let c = community_with(settings).await;
        let grace = c.person("Grace", "Hopper", &[]).await;
        let hr = c.person("Hester", "Reed", &["hr"]).await;
        let thread = c
            .thread(&grace, "Space pictures", "Some photos below.")
            .await;
        let post = c.opening_post(&grace, thread).await;

        let (status, answer) = c.attach(&grace, post, "astronaut.png").await;
        if astronaut_refused {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
            assert_eq!(answer["error"], "invalid_input");
            assert!(
                answer["fields"]["file"]
                    .as_str()
                    .unwrap()
                    .contains("looks explicit"),
                "{answer}"
            );
            let case = c.hr_case_of(&hr, &grace, "explicit_image").await;
            let image = &case["evidence"]["content"]["image"];
            assert_eq!(image["file_name"], "astronaut.png", "{case}");
            assert!(image["p_explicit"].as_f64().unwrap() >= threshold);
            // HR downloads the image itself (audited); nobody else can.
            let path = format!("/hr/cases/{}/image", case["case"]["id"]);
            let download = hr.client.get(c.url(&path)).send().await.unwrap();
            assert_eq!(download.status(), StatusCode::OK);
            assert!(
                download.headers()["content-disposition"]
                    .to_str()
                    .unwrap()
                    .starts_with("attachment")
            );
            let bytes = download.bytes().await.unwrap();
            assert_eq!(
                &bytes[..],
                &std::fs::read(fixtures().join("astronaut.png")).unwrap()[..]
            );
            let refused = grace.client.get(c.url(&path)).send().await.unwrap();
            assert_eq!(refused.status(), StatusCode::FORBIDDEN);
            let (_, detail) = c
                .get(&hr, &format!("/api/v1/hr/cases/{}", case["case"]["id"]))
                .await;
            assert!(
                detail["audit"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["action"] == "downloaded the image"),
                "{detail}"
            );
        } else {
            assert_eq!(status, StatusCode::CREATED, "{answer}");
            assert!(c.hr_cases(&hr).await.is_empty());
        }
        let (status, answer) = c.attach(&grace, post, "chelsea.png").await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "threshold {threshold}: {answer}"
        );
        let (_, page) = c.page(&grace, &format!("/t/{thread}")).await;
        assert!(page.contains("alt=\"chelsea.png\""), "{page}");
        assert_eq!(page.contains("astronaut.png"), !astronaut_refused, "{page}");
    }
    std::fs::remove_dir_all(&data).unwrap();
}

#[tokio::test]
async fn new_members_cannot_repeat_themselves_or_flood() {
    let c = community().await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let thread = c
        .thread(&c.admin, "Daily standup", "What are you on today?")
        .await;
    c.replied(&grace, thread, "Working on the report.").await;
    let (status, repeated) = c.reply(&grace, thread, "Working on the report.").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{repeated}");
    assert!(
        repeated["fields"]["body"]
            .as_str()
            .unwrap()
            .contains("already"),
        "{repeated}"
    );
    for n in 2..=10 {
        c.replied(&grace, thread, &format!("Update number {n}."))
            .await;
    }
    let response = c
        .server
        .api(
            &grace.token,
            Method::POST,
            &format!("/api/v1/threads/{thread}/posts"),
            json!({"body": "Update number 11."}),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));

    // Members older than `new_member_days` have neither limit.
    let settings = Settings {
        moderation: ModerationSettings {
            new_member_days: 0,
            ..ModerationSettings::default()
        },
        ..Settings::default()
    };
    let c = community_with(settings).await;
    let grace = c.person("Grace", "Hopper", &[]).await;
    let thread = c
        .thread(&c.admin, "Daily standup", "What are you on today?")
        .await;
    for _ in 0..2 {
        c.replied(&grace, thread, "Working on the report.").await;
    }
    for n in 3..=11 {
        c.replied(&grace, thread, &format!("Update number {n}."))
            .await;
    }
}
