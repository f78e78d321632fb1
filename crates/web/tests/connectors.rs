//! Connectors over HTTP: the admin page and API, webhooks out in each platform's format (received
//! here by a small capturing server, the signature checked by an independent implementation),
//! retries and dead letters, and the incoming webhook refusing bad input without writing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use axum::extract::Request;
use axum::http::StatusCode as AxumStatus;
use guildhall_app::Settings;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use support::people::{Person, call, call_ok, open_space, people};
use support::{TestServer, browser, start_with};

/// One request a platform would have received.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A stand-in for Slack, Teams, Discord, Mattermost and a webhook receiver: records every
/// request; paths under `/broken` answer 500 while `broken` is set.
#[derive(Clone, Default)]
struct Receiver {
    base: String,
    seen: Arc<Mutex<Vec<Received>>>,
    broken: Arc<AtomicBool>,
}

impl Receiver {
    async fn start() -> Receiver {
        let mut receiver = Receiver::default();
        receiver.broken.store(true, Ordering::SeqCst);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        receiver.base = format!("http://{}", listener.local_addr().unwrap());
        let state = receiver.clone();
        let router = axum::Router::new().fallback(move |request: Request| {
            let state = state.clone();
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                let path = parts.uri.path().to_owned();
                let headers = parts
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap().to_owned()))
                    .collect();
                let failing = path.starts_with("/broken") && state.broken.load(Ordering::SeqCst);
                state.seen.lock().unwrap().push(Received {
                    path: path.clone(),
                    headers,
                    body: body.to_vec(),
                });
                if failing {
                    (AxumStatus::INTERNAL_SERVER_ERROR, "down for maintenance")
                } else if path.starts_with("/discord") {
                    (AxumStatus::NO_CONTENT, "")
                } else {
                    (AxumStatus::OK, "ok")
                }
            }
        });
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        receiver
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn at(&self, path: &str) -> Vec<Received> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

async fn connect(
    server: &TestServer,
    admin: &Person,
    slug: &str,
    kind: &str,
    target: &str,
) -> Value {
    let (status, created) = call(
        server,
        admin,
        Method::POST,
        &format!("/api/v1/spaces/{slug}/connectors"),
        json!({"kind": kind, "name": format!("{kind} of {slug}"), "target": target}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn list(server: &TestServer, admin: &Person, slug: &str) -> Vec<Value> {
    let path = format!("/api/v1/spaces/{slug}/connectors");
    call_ok(server, admin, Method::GET, &path, Value::Null).await["connectors"]
        .as_array()
        .unwrap()
        .clone()
}

async fn start_thread(
    server: &TestServer,
    who: &Person,
    slug: &str,
    title: &str,
    body: &str,
) -> i64 {
    let path = format!("/api/v1/spaces/{slug}/threads");
    let body = json!({"kind": "discussion", "title": title, "body": body});
    call_ok(server, who, Method::POST, &path, body).await["id"]
        .as_i64()
        .unwrap()
}

async fn count(server: &TestServer, sql: &'static str) -> i64 {
    guildhall_store::testing::count(server.app.db(), sql)
        .await
        .unwrap()
}

/// Checks a Standard Webhooks signature outside our code: with the `standardwebhooks` package
/// when the Python given has it, else with Python's own `hmac`.
fn verify_independently(secret: &str, received: &Received) -> String {
    const SCRIPT: &str = r#"
import base64, hashlib, hmac, sys
secret, msg_id, ts, sig = sys.argv[1:5]
body = sys.stdin.buffer.read()
try:
    from standardwebhooks import Webhook
except ImportError:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(mac).decode()
    assert any(hmac.compare_digest(s, expected) for s in sig.split()), "signature mismatch"
    print("python hmac: valid")
else:
    Webhook(secret).verify(body, {"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": sig})
    print("standardwebhooks: valid")
"#;
    let python = std::env::var("GUILDHALL_WEBHOOKS_PYTHON").unwrap_or_else(|_| "python3".into());
    let h = |name: &str| received.headers.get(name).cloned().unwrap_or_default();
    let mut child = Command::new(python)
        .args(["-c", SCRIPT, secret])
        .args([
            h("webhook-id"),
            h("webhook-timestamp"),
            h("webhook-signature"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&received.body)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdict = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    println!("independent check: {verdict}");
    verdict
}

#[tokio::test]
async fn posts_go_out_in_each_platforms_format_signed_where_asked() {
    let server = start_with(Settings::default()).await;
    let receiver = Receiver::start().await;
    let (admin, others) = people(&server, &[("Grace", "Hopper"), ("Alan", "Turing")]).await;
    let (grace, alan) = (&others[0], &others[1]);
    let slug = open_space(&server, &admin, "Rust cohort", "cohort", &[grace, alan]).await;
    let quiet = open_space(&server, &admin, "Quiet corner", "community", &[grace]).await;
    for kind in ["slack", "teams", "discord", "mattermost"] {
        connect(
            &server,
            &admin,
            &slug,
            kind,
            &receiver.url(&format!("/{kind}/T1/B2/SECRET")),
        )
        .await;
    }
    let signed = connect(&server, &admin, &slug, "webhook", &receiver.url("/generic")).await;
    let secret = signed["signing_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{signed}");
    assert!(signed["token"].is_null());

    let thread = start_thread(
        &server,
        grace,
        &slug,
        "Borrowing & lifetimes",
        "Ping @everyone: <b>how</b> do lifetimes work?",
    )
    .await;
    let reply = call_ok(
        &server,
        alan,
        Method::POST,
        &format!("/api/v1/threads/{thread}/posts"),
        json!({"body": "Start with the book's chapter 10."}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // Another space's posts go nowhere.
    start_thread(
        &server,
        grace,
        &quiet,
        "Elsewhere",
        "Not for the cohort's chat.",
    )
    .await;
    server.deliver_effects().await;

    let slack = receiver.at("/slack/T1/B2/SECRET");
    assert_eq!(slack.len(), 2, "the thread and the reply");
    let text = slack[0].json()["text"].as_str().unwrap().to_owned();
    assert!(
        text.contains("Grace Hopper started “Borrowing &amp; lifetimes” in Rust cohort"),
        "{text}"
    );
    assert!(
        text.contains("&lt;b&gt;how&lt;/b&gt;") && !text.contains("@everyone"),
        "{text}"
    );
    assert_eq!(slack[0].headers["content-type"], "application/json");

    let teams = receiver.at("/teams/T1/B2/SECRET")[1].json();
    let card = &teams["attachments"][0];
    assert_eq!(
        card["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(card["content"]["type"], "AdaptiveCard");
    assert!(
        card["content"]["body"][1]["text"]
            .as_str()
            .unwrap()
            .contains("chapter 10")
    );
    assert!(
        card["content"]["actions"][0]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/t/{thread}#post-{reply}"))
    );

    let discord = receiver.at("/discord/T1/B2/SECRET")[0].json();
    assert_eq!(discord["username"], "Grace Hopper");
    assert_eq!(discord["allowed_mentions"]["parse"], json!([]));
    assert_eq!(discord["embeds"][0]["title"], "Borrowing & lifetimes");

    let mattermost = receiver.at("/mattermost/T1/B2/SECRET")[1].json();
    assert_eq!(mattermost["username"], "Alan Turing");
    assert!(mattermost["text"].as_str().unwrap().contains("chapter 10"));

    let generic = receiver.at("/generic");
    assert_eq!(generic.len(), 2);
    let event = generic[1].json();
    assert_eq!(event["type"], "post.created");
    assert_eq!(event["data"]["post_id"], reply);
    assert_eq!(event["data"]["author"]["name"], "Alan Turing");
    assert!(generic[1].headers["webhook-id"].starts_with("msg_"));
    verify_independently(&secret, &generic[1]);

    // Edits and deletions follow on the signed webhook only (chat webhooks cannot edit).
    call_ok(
        &server,
        alan,
        Method::PUT,
        &format!("/api/v1/posts/{reply}"),
        json!({"body": "Start with chapter 10 of the book."}),
    )
    .await;
    server.deliver_effects().await;
    call_ok(
        &server,
        alan,
        Method::DELETE,
        &format!("/api/v1/posts/{reply}"),
        Value::Null,
    )
    .await;
    server.deliver_effects().await;
    let generic = receiver.at("/generic");
    let types: Vec<Value> = generic.iter().map(|r| r.json()["type"].clone()).collect();
    assert_eq!(
        types,
        vec![
            "post.created",
            "post.created",
            "post.edited",
            "post.deleted"
        ]
    );
    assert_eq!(generic[3].json()["data"]["text"], "");
    assert_ne!(
        generic[2].headers["webhook-id"],
        generic[3].headers["webhook-id"]
    );
    verify_independently(&secret, &generic[3]);
    assert_eq!(receiver.at("/slack/T1/B2/SECRET").len(), 2);

    // Every connector reports success; the list never shows a secret again.
    let listed = list(&server, &admin, &slug).await;
    assert_eq!(listed.len(), 5);
    for connector in &listed {
        assert_eq!(connector["status"], "ok", "{connector}");
        assert!(connector["last_success_at"].is_string());
    }
    let text = serde_json::to_string(&listed).unwrap();
    assert!(
        !text.contains("SECRET") && !text.contains(&secret),
        "{text}"
    );
}

#[tokio::test]
async fn held_posts_go_out_only_once_approved() {
    let server = start_with(Settings::default()).await;
    let receiver = Receiver::start().await;
    let (admin, others) = people(&server, &[("Grace", "Hopper"), ("Morgan", "Stone")]).await;
    let (grace, morgan) = (&others[0], &others[1]);
    let path = format!("/api/v1/admin/people/{}/roles", morgan.id);
    call_ok(
        &server,
        &admin,
        Method::PUT,
        &path,
        json!({"roles": ["moderator"]}),
    )
    .await;
    let slug = open_space(&server, &admin, "Commons", "community", &[grace]).await;
    connect(&server, &admin, &slug, "slack", &receiver.url("/slack")).await;
    let thread = start_thread(
        &server,
        grace,
        &slug,
        "Feedback",
        "How did the workshop go?",
    )
    .await;
    server.deliver_effects().await;
    assert_eq!(receiver.at("/slack").len(), 1);

    let held = call_ok(
        &server,
        grace,
        Method::POST,
        &format!("/api/v1/threads/{thread}/posts"),
        json!({"body": "What a loser you are", "send_for_review": true}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    server.deliver_effects().await;
    assert_eq!(receiver.at("/slack").len(), 1, "held: nothing goes out");

    let queue = call_ok(
        &server,
        morgan,
        Method::GET,
        "/api/v1/moderation/queue",
        Value::Null,
    )
    .await;
    let item = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["subject_id"] == held)
        .unwrap()
        .clone();
    let decision =
        json!({"ids": [item["id"]], "action": "approve", "reason": "Banter between friends"});
    call_ok(
        &server,
        morgan,
        Method::POST,
        "/api/v1/moderation/queue/decisions",
        decision,
    )
    .await;
    server.deliver_effects().await;
    let slack = receiver.at("/slack");
    assert_eq!(slack.len(), 2, "approved: it goes out");
    assert!(slack[1].json()["text"].as_str().unwrap().contains("loser"));
}

#[tokio::test]
async fn failed_deliveries_retry_then_wait_as_dead_letters_until_retried() {
    let mut settings = Settings::default();
    settings.outbox.max_attempts = 2;
    let server = start_with(settings).await;
    let receiver = Receiver::start().await;
    let (admin, others) = people(&server, &[("Grace", "Hopper")]).await;
    let grace = &others[0];
    let slug = open_space(&server, &admin, "Commons", "community", &[grace]).await;
    let created = connect(
        &server,
        &admin,
        &slug,
        "discord",
        &receiver.url("/broken/discord"),
    )
    .await;
    let id = created["connector"]["id"].as_i64().unwrap();
    start_thread(
        &server,
        grace,
        &slug,
        "Feedback",
        "How did the workshop go?",
    )
    .await;

    server.deliver_effects().await;
    let later = chrono::Utc::now() + chrono::Duration::hours(2);
    server.deliver_effects_due_by(later).await;
    assert_eq!(
        receiver.at("/broken/discord").len(),
        2,
        "tried, then tried again"
    );

    let connector = &list(&server, &admin, &slug).await[0];
    assert_eq!(connector["status"], "failing");
    let error = connector["last_error"].as_str().unwrap();
    assert!(
        error.contains("HTTP 500") && error.contains("down for maintenance"),
        "{error}"
    );
    let dead = connector["dead_letters"].as_array().unwrap();
    assert_eq!(dead.len(), 1, "{connector}");
    assert_eq!(dead[0]["event"], "post.created");
    let delivery = dead[0]["id"].as_i64().unwrap();

    // The page shows it too, with a retry button; a member cannot see the page at all.
    let admin_browser = browser();
    server
        .sign_in(&admin_browser, "ada@example.org", support::PASSWORD)
        .await;
    let page = admin_browser
        .get(server.url(&format!("/s/{slug}/connectors")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("down for maintenance")
            && html.contains(&format!("Retry delivery {delivery}")),
        "{html}"
    );
    let (status, _) = call(
        &server,
        grace,
        Method::GET,
        &format!("/api/v1/spaces/{slug}/connectors"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Retrying someone else's delivery id is "not found"; this one goes out once mended.
    let retry = |d: i64| format!("/api/v1/spaces/{slug}/connectors/{id}/deliveries/{d}/retry");
    let (status, _) = call(
        &server,
        &admin,
        Method::POST,
        &retry(delivery + 1000),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    receiver.broken.store(false, Ordering::SeqCst);
    let (status, body) = call(&server, &admin, Method::POST, &retry(delivery), Value::Null).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    server.deliver_effects().await;
    assert_eq!(receiver.at("/broken/discord").len(), 3);
    let connector = &list(&server, &admin, &slug).await[0];
    assert_eq!(connector["status"], "ok");
    assert!(connector["dead_letters"].as_array().unwrap().is_empty());
    let (status, _) = call(&server, &admin, Method::POST, &retry(delivery), Value::Null).await;
    assert_eq!(status, StatusCode::CONFLICT, "delivered: nothing to retry");

    // Switched off, it sends nothing.
    let path = format!("/api/v1/spaces/{slug}/connectors/{id}");
    let off = call_ok(
        &server,
        &admin,
        Method::PATCH,
        &path,
        json!({"active": false}),
    )
    .await;
    assert_eq!(off["active"], false);
    start_thread(
        &server,
        grace,
        &slug,
        "Next",
        "Another question for the group?",
    )
    .await;
    server.deliver_effects().await;
    assert_eq!(receiver.at("/broken/discord").len(), 3);
}

#[tokio::test]
async fn connectors_are_set_up_by_administrators_with_checked_input() {
    let server = start_with(Settings::default()).await;
    let (admin, others) = people(&server, &[("Grace", "Hopper")]).await;
    let grace = &others[0];
    let slug = open_space(&server, &admin, "Commons", "community", &[grace]).await;
    let path = format!("/api/v1/spaces/{slug}/connectors");
    let refusals = [
        (
            json!({"kind": "irc", "name": "x", "target": "https://x.org"}),
            "kind",
        ),
        (
            json!({"kind": "slack", "name": "", "target": "https://x.org"}),
            "name",
        ),
        (
            json!({"kind": "slack", "name": "x", "target": "javascript:alert(1)"}),
            "target",
        ),
        (
            json!({"kind": "teams", "name": "x", "target": "https://user:pw@x.org/"}),
            "target",
        ),
        (
            json!({"kind": "matrix", "name": "x", "target": "general"}),
            "target",
        ),
        (
            json!({"kind": "slack", "name": "x\u{0}", "target": "https://x.org"}),
            "name",
        ),
    ];
    for (body, field) in refusals {
        let (status, answer) = call(&server, &admin, Method::POST, &path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert!(answer["fields"][field].is_string(), "{answer}");
    }
    let (status, _) = call(
        &server,
        &admin,
        Method::POST,
        &path,
        json!({"kind": "slack"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "missing fields");
    let (status, _) = call(
        &server,
        grace,
        Method::POST,
        &path,
        json!({"kind": "incoming", "name": "CI"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "members cannot");
    let (status, _) = call(
        &server,
        &admin,
        Method::GET,
        "/api/v1/spaces/nowhere/connectors",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM connectors").await, 0);

    // The page: the form adds one and shows its secrets once; the list never again.
    let page = format!("/s/{slug}/connectors");
    let admin_browser = browser();
    server
        .sign_in(&admin_browser, "ada@example.org", support::PASSWORD)
        .await;
    let created = server
        .post_form(
            &admin_browser,
            &page,
            &page,
            &[
                ("kind", "incoming"),
                ("name", "CI pipeline"),
                ("target", ""),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let html = created.text().await.unwrap();
    let token_start = html.find("id=\"created-token\">").unwrap() + "id=\"created-token\">".len();
    let token = &html[token_start..token_start + html[token_start..].find('<').unwrap()];
    assert!(token.starts_with("ghk_"), "{token}");
    let again = admin_browser
        .get(server.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(again.contains("CI pipeline") && !again.contains(token));
    let member_page = support::browser();
    server
        .sign_in(&member_page, "grace@example.org", support::PASSWORD)
        .await;
    let refused = member_page.get(server.url(&page)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Removing it takes it away.
    let id = list(&server, &admin, &slug).await[0]["id"]
        .as_i64()
        .unwrap();
    let (status, _) = call(
        &server,
        &admin,
        Method::DELETE,
        &format!("{path}/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(list(&server, &admin, &slug).await.is_empty());
    let (status, _) = call(
        &server,
        &admin,
        Method::GET,
        &format!("{path}/abc"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Sends to `/hooks/{id}`: the status and the JSON answer.
async fn hook(
    server: &TestServer,
    id: i64,
    token: Option<&str>,
    headers: &[(&str, String)],
    body: &[u8],
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url(&format!("/hooks/{id}")))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn signed(secret: &str, id: &str, at: i64, body: &[u8]) -> Vec<(&'static str, String)> {
    let key = guildhall_domain::connectors::decode_secret(secret).unwrap();
    vec![
        ("webhook-id", id.to_owned()),
        ("webhook-timestamp", at.to_string()),
        (
            "webhook-signature",
            guildhall_domain::connectors::sign(&key, id, at, body).unwrap(),
        ),
    ]
}

/// What is sent (name, token, headers, body) and the status and error code expected.
type HookCase<'a> = (
    &'a str,
    Option<&'a str>,
    Vec<(&'a str, String)>,
    Vec<u8>,
    StatusCode,
    &'a str,
);

#[tokio::test]
async fn incoming_webhooks_post_into_the_space_and_refuse_bad_requests_without_writing() {
    let mut settings = Settings::default();
    settings.connectors.max_inbound_bytes = 4096;
    let server = start_with(settings).await;
    let (admin, others) = people(&server, &[("Grace", "Hopper")]).await;
    let grace = &others[0];
    let slug = open_space(&server, &admin, "Commons", "community", &[grace]).await;
    let other = open_space(&server, &admin, "Elsewhere", "community", &[grace]).await;
    let created = connect(&server, &admin, &slug, "incoming", "").await;
    let id = created["connector"]["id"].as_i64().unwrap();
    assert_eq!(created["connector"]["inbound_path"], format!("/hooks/{id}"));
    let token = created["token"].as_str().unwrap().to_owned();
    let secret = created["signing_secret"].as_str().unwrap().to_owned();
    let elsewhere = start_thread(
        &server,
        grace,
        &other,
        "Elsewhere",
        "A thread of another space.",
    )
    .await;

    let posts = count(&server, "SELECT COUNT(*) FROM posts").await;
    let users = count(&server, "SELECT COUNT(*) FROM users").await;
    let good =
        br#"{"title": "Nightly build", "text": "The nightly build passed.", "author": "CI bot"}"#;
    let now = chrono::Utc::now().timestamp();
    let big = format!(r#"{{"title": "Big", "text": "{}"}}"#, "a".repeat(5000));
    let unsigned_stale = vec![("webhook-timestamp", (now - 600).to_string())];
    let cases: Vec<HookCase> = vec![
        (
            "no token",
            None,
            vec![],
            good.to_vec(),
            StatusCode::UNAUTHORIZED,
            "invalid_token",
        ),
        (
            "wrong token",
            Some("ghk_wrong"),
            vec![],
            good.to_vec(),
            StatusCode::UNAUTHORIZED,
            "invalid_token",
        ),
        (
            "malformed",
            Some(&token),
            vec![],
            b"{\"text\": ".to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "not an object",
            Some(&token),
            vec![],
            b"[1, 2]".to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "unknown field",
            Some(&token),
            vec![],
            br#"{"text": "x", "title": "y", "admin": true}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "oversized",
            Some(&token),
            vec![],
            big.into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
        (
            "no title",
            Some(&token),
            vec![],
            br#"{"text": "Nightly build passed."}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            "empty text",
            Some(&token),
            vec![],
            br#"{"text": "", "title": "Build"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            "NUL",
            Some(&token),
            vec![],
            b"{\"text\": \"a\\u0000b\", \"title\": \"Build\"}".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            "another space's thread",
            Some(&token),
            vec![],
            format!(r#"{{"text": "Hi", "thread_id": {elsewhere}}}"#).into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        ),
        (
            "bad signature",
            Some(&token),
            signed(
                "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "m1",
                now,
                good,
            ),
            good.to_vec(),
            StatusCode::UNAUTHORIZED,
            "invalid_signature",
        ),
        (
            "body changed after signing",
            Some(&token),
            signed(&secret, "m2", now, b"{}"),
            good.to_vec(),
            StatusCode::UNAUTHORIZED,
            "invalid_signature",
        ),
        (
            "stale signature",
            Some(&token),
            signed(&secret, "m3", now - 600, good),
            good.to_vec(),
            StatusCode::UNAUTHORIZED,
            "stale_timestamp",
        ),
        (
            "stale timestamp",
            Some(&token),
            unsigned_stale,
            good.to_vec(),
            StatusCode::UNAUTHORIZED,
            "stale_timestamp",
        ),
    ];
    for (what, token, headers, body, status, code) in cases {
        let (got, answer) = hook(&server, id, token, &headers, &body).await;
        assert_eq!(got, status, "{what}: {answer}");
        assert_eq!(answer["error"], code, "{what}: {answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}"
        );
    }
    let (status, _) = hook(&server, 999_999, Some(&token), &[], good).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let plain = reqwest::Client::new()
        .post(server.url(&format!("/hooks/{id}")))
        .bearer_auth(&token)
        .body("text")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM posts").await,
        posts,
        "nothing written"
    );
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM users").await,
        users,
        "no remote author remembered for refused input"
    );

    // Accepted: a new thread, then a signed reply; the same signed message again is a replay.
    let (status, answer) = hook(&server, id, Some(&token), &[], good).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let feed = call_ok(
        &server,
        grace,
        Method::GET,
        &format!("/api/v1/spaces/{slug}/threads"),
        Value::Null,
    )
    .await;
    let thread = feed["threads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Nightly build")
        .unwrap()
        .clone();
    // Written by the tool (as the author it names), never under a member's name.
    assert_eq!(thread["author_name"], "CI bot@webhook", "{thread}");
    let reply = format!(
        r#"{{"text": "Deployed to staging.", "thread_id": {}}}"#,
        thread["id"]
    )
    .into_bytes();
    let headers = signed(&secret, "msg_deploy_1", now, &reply);
    let (status, answer) = hook(&server, id, Some(&token), &headers, &reply).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, answer) = hook(&server, id, Some(&token), &headers, &reply).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["error"], "replayed");
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM posts").await,
        posts + 2
    );

    // A rude message waits for review rather than being refused or published.
    let rude = br#"{"title": "Build report", "text": "What a loser you are"}"#;
    let (status, _) = hook(&server, id, Some(&token), &[], rude).await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(count(&server, "SELECT COUNT(*) FROM review_items").await >= 1);

    // Switched off, the hook refuses.
    let path = format!("/api/v1/spaces/{slug}/connectors/{id}");
    call_ok(
        &server,
        &admin,
        Method::PATCH,
        &path,
        json!({"active": false}),
    )
    .await;
    let (status, answer) = hook(&server, id, Some(&token), &[], good).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(answer["error"], "connector_inactive");
}
