//! Hostile and random bodies to every form and API endpoint: always a 4xx with a clear message,
//! never a 5xx, and nothing written.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use chrono::Utc;
use guildhall_store::people as store;
use guildhall_store::spaces;
use guildhall_store::threads::{self, FeedCursor};
use reqwest::{Method, StatusCode};
use support::{TestServer, browser, start};

/// A small deterministic generator: the same cases every run, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| (self.next() & 0xff) as u8).collect()
    }
}

fn form_bodies(rng: &mut XorShift) -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"given_name=Ada".to_vec(),
        b"unknown=1".to_vec(),
        b"given_name=Ada&family_name=Lovelace&email=a%40example.org&password=correct-horse-battery-9&extra=1".to_vec(),
        b"given_name[]=x&family_name[$ne]=y".to_vec(),
        b"given_name=%00%01&family_name=%FF%FE&email=%E2%80%AE&password=%".to_vec(),
        b"mode=open&mode=invitation&allowed_domains=%0A%0A".to_vec(),
        b"roles=god&roles=admin%00".to_vec(),
        b"name=&scopes=delete".to_vec(),
        b"email=' OR 1=1 --&password=x".to_vec(),
        vec![0xff, 0xfe, 0xfd, b'=', 0x80],
        format!("given_name={}&family_name=x&email=x&password=x", "A".repeat(200_000)).into_bytes(),
        vec![b'a'; 2 * 1024 * 1024],
    ];
    for _ in 0..12 {
        let len = (rng.next() % 300) as usize;
        bodies.push(rng.bytes(len));
    }
    bodies
}

fn json_bodies(rng: &mut XorShift) -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "null",
        "[]",
        "42",
        "\"text\"",
        "{",
        "{}",
        "{\"name\": 5}",
        "{\"name\": \"x\", \"scopes\": \"read\"}",
        "{\"name\": \"x\", \"scopes\": [\"read\"], \"admin\": true}",
        "{\"roles\": [1, 2]}",
        "{\"roles\": [\"god\"]}",
        "{\"mode\": null, \"allowed_domains\": {}}",
        "{\"email\": [\"a@b.org\"]}",
        "{\"email\": \"not an email\"}",
        "{\"name\": \"\\u0000\", \"scopes\": []}",
        "{\"name\": \"nul\\u0000byte\", \"scopes\": [\"read\"]}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    bodies.push(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes());
    bodies.push(
        format!(
            "{{\"name\": \"{}\", \"scopes\": [\"read\"]}}",
            "x".repeat(500_000)
        )
        .into_bytes(),
    );
    bodies.push(vec![b'{'; 2 * 1024 * 1024]);
    bodies.push(vec![0xc3, 0x28, b'{', b'}']);
    for _ in 0..12 {
        let len = (rng.next() % 300) as usize;
        bodies.push(rng.bytes(len));
    }
    bodies
}

/// Tables of the partners, network and coaching work, counted whole.
const NEWER_TABLES: &[&str] = &[
    "partner_opt_ins",
    "partnerships",
    "partner_goals",
    "check_ins",
    "check_in_replies",
    "partner_change_requests",
    "follows",
    "endorsements",
    "coach_profiles",
    "coach_requests",
    "coach_sessions",
    "coach_notes",
    "coach_outcomes",
];

/// What could change: if any of it does, a hostile request wrote something.
async fn snapshot(server: &TestServer, admin_id: i64) -> String {
    let db = server.app.db();
    let feed = threads::home_feed(db, admin_id, FeedCursor::start(), 100)
        .await
        .unwrap();
    let shape: Vec<(i64, String, Option<i64>, bool, bool)> = feed
        .iter()
        .map(|t| {
            (
                t.post_count,
                t.title.clone(),
                t.accepted_post_id,
                t.pinned,
                t.locked,
            )
        })
        .collect();
    let mut bodies = Vec::new();
    for thread in &feed {
        bodies.extend(
            threads::posts(db, thread.id, 0, 100)
                .await
                .unwrap()
                .into_iter()
                .map(|p| (p.body, p.deleted_at.is_some())),
        );
    }
    let events: Vec<(String, i64)> = guildhall_store::events::for_member(
        db,
        admin_id,
        Utc::now() - chrono::Duration::days(3650),
        100,
    )
    .await
    .unwrap()
    .into_iter()
    .map(|e| (e.title, e.going))
    .collect();
    let spaces = spaces::directory(db, admin_id, "", 0, 100)
        .await
        .unwrap()
        .len();
    let mut rows = Vec::new();
    for table in NEWER_TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let count: i64 =
            guildhall_store::with_db!(db, |pool| sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(pool)
                .await)
            .unwrap();
        rows.push((table, count));
    }
    format!(
        "{spaces} spaces; events {events:?}; threads {shape:?}; posts {bodies:?}; rows {rows:?}; {} users; roles {:?}; {} tokens; {} invitations; policy {:?}; {} sessions",
        store::count_users(db).await.unwrap(),
        store::roles_of(db, admin_id).await.unwrap(),
        store::list_api_tokens(db, admin_id).await.unwrap().len(),
        store::recent_invitations(db, 100).await.unwrap().len(),
        store::setting(db, "signup_policy").await.unwrap(),
        store::list_sessions(db, admin_id, Utc::now())
            .await
            .unwrap()
            .len(),
    )
}

#[tokio::test]
async fn hostile_bodies_get_clear_4xx_answers_and_change_nothing() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let token = server.token_via_profile(&admin, &["read", "write"]).await;
    let admin_id = store::user_by_email(server.app.db(), "ada@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    // Something to aim at: a space with a question and a reply.
    let api = reqwest::Client::new();
    let created = api
        .post(server.url("/api/v1/spaces"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "Target", "kind": "team", "visibility": "open"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let thread: serde_json::Value = api
        .post(server.url("/api/v1/spaces/target/threads"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"kind": "question", "title": "Q", "body": "B"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let thread_id = thread["id"].as_i64().unwrap();
    let reply: serde_json::Value = api
        .post(server.url(&format!("/api/v1/threads/{thread_id}/posts")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"body": "R"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let post_id = reply["id"].as_i64().unwrap();
    let event: serde_json::Value = api
        .post(server.url("/api/v1/spaces/target/events"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"title": "E", "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T11:00", "time_zone": "UTC", "location": "Here"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let event_id = event["id"].as_i64().unwrap();
    let before = snapshot(&server, admin_id).await;
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);

    let forms = [
        "/setup",
        "/signin",
        "/signup",
        "/join/ghi_nonexistent",
        "/me/tokens",
        "/admin/signup-policy",
        "/admin/invitations",
        &format!("/admin/people/{admin_id}/roles"),
        "/spaces",
        "/s/target/threads",
        "/s/target/invite",
        &format!("/t/{thread_id}/posts"),
        &format!("/posts/{post_id}/edit"),
        &format!("/posts/{post_id}/react"),
        &format!("/t/{thread_id}/accept"),
        &format!("/t/{thread_id}/flags"),
        "/s/target/events",
        &format!("/events/{event_id}/rsvp"),
        &format!("/events/{event_id}/attendance/{admin_id}"),
        &format!("/t/{thread_id}/subscription"),
        &format!("/posts/{post_id}/attachments"),
        "/coaching/profile",
        "/coaching/profile/status",
        &format!("/people/{admin_id}/endorsements"),
        &format!("/people/{admin_id}/follow"),
        &format!("/coaching/coaches/{admin_id}/request"),
        "/partners/opt-in",
        "/partners/opt-out",
        "/partners/manage/pair",
        "/partners/1/goals",
        "/partners/1/check-ins",
        "/partners/1/check-ins/1/replies",
        "/partners/1/weekday",
        "/partners/1/new-partner",
        "/partners/1/end",
    ];
    let csrf = server.csrf(&admin, "/me").await;
    for path in forms {
        for body in form_bodies(&mut rng) {
            let response = admin
                .post(server.url(&format!("{path}?_csrf=ignored")))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-csrf-token", &csrf)
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let status = response.status();
            let text = response.text().await.unwrap();
            let preview = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
            assert!(
                status.is_client_error(),
                "POST {path} with {preview:?} answered {status}: {text:.300}"
            );
            assert!(!text.is_empty(), "POST {path}: a 4xx says why");
        }
    }

    let apis: Vec<(Method, String)> = vec![
        (Method::POST, "/api/v1/me/tokens".into()),
        (
            Method::PUT,
            format!("/api/v1/admin/people/{admin_id}/roles"),
        ),
        (Method::PUT, "/api/v1/admin/signup-policy".into()),
        (Method::POST, "/api/v1/admin/invitations".into()),
        (
            Method::PUT,
            "/api/v1/admin/people/not-a-number/roles".into(),
        ),
        (Method::DELETE, "/api/v1/me/tokens/-1".into()),
        (
            Method::DELETE,
            "/api/v1/me/sessions/99999999999999999999".into(),
        ),
        (Method::POST, "/api/v1/admin/outbox/0/retry".into()),
        (Method::POST, "/api/v1/spaces".into()),
        (Method::POST, "/api/v1/spaces/target/threads".into()),
        (Method::POST, format!("/api/v1/threads/{thread_id}/posts")),
        (Method::PUT, format!("/api/v1/posts/{post_id}")),
        (Method::POST, format!("/api/v1/posts/{post_id}/reactions")),
        (Method::PUT, format!("/api/v1/threads/{thread_id}/accepted")),
        (Method::PUT, format!("/api/v1/threads/{thread_id}/flags")),
        (Method::POST, "/api/v1/spaces/target/events".into()),
        (Method::PUT, format!("/api/v1/events/{event_id}/rsvp")),
        (
            Method::PUT,
            format!("/api/v1/threads/{thread_id}/subscription"),
        ),
        (Method::PUT, "/api/v1/coaching/me".into()),
        (Method::POST, "/api/v1/coaching/requests".into()),
        (
            Method::POST,
            format!("/api/v1/people/{admin_id}/endorsements"),
        ),
        (
            Method::POST,
            format!("/api/v1/coaching/applications/{admin_id}"),
        ),
        (Method::PUT, "/api/v1/coaching/sessions/1/note".into()),
    ];
    for (method, path) in &apis {
        for body in json_bodies(&mut rng) {
            for content_type in ["application/json", "text/plain"] {
                let response = reqwest::Client::new()
                    .request(method.clone(), server.url(path))
                    .bearer_auth(&token)
                    .header("content-type", content_type)
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                let preview = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
                let text = response.text().await.unwrap();
                assert!(
                    status.is_client_error(),
                    "{method} {path} ({content_type}) with {preview:?} answered {status}: {text:.300}"
                );
                if status != StatusCode::PAYLOAD_TOO_LARGE {
                    let json: serde_json::Value = serde_json::from_str(&text)
                        .unwrap_or_else(|_| panic!("{method} {path}: not JSON: {text:.200}"));
                    assert!(
                        json["error"].is_string() && json["message"].is_string(),
                        "{json}"
                    );
                }
            }
        }
    }
    assert_eq!(
        snapshot(&server, admin_id).await,
        before,
        "hostile requests changed stored data"
    );
}
