//! The Matrix application service: the homeserver's transactions refused without our token and
//! applied once (always run), and a space mirrored into a room of a real Synapse both ways (run
//! when `GUILDHALL_TEST_SYNAPSE` names a Python with matrix-synapse, as `./test.sh` sets it).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use guildhall_app::Settings;
use guildhall_app::settings::Secret;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use support::people::{Person, call, call_ok, open_space, people};
use support::{TestServer, start_on};

const AS_TOKEN: &str = "as-token-for-the-tests";
const HS_TOKEN: &str = "hs-token-for-the-tests";

fn matrix_settings(public_url: &str, homeserver: &str) -> Settings {
    let mut settings = Settings::default();
    settings.server.public_url = public_url.to_owned();
    let matrix = &mut settings.connectors.matrix;
    matrix.homeserver_url = homeserver.to_owned();
    matrix.server_name = "localhost".into();
    matrix.as_token = Secret::new(AS_TOKEN);
    matrix.hs_token = Secret::new(HS_TOKEN);
    settings.connectors.max_inbound_bytes = 64 * 1024;
    settings
}

async fn transaction(
    server: &TestServer,
    txn: &str,
    token: Option<&str>,
    body: &[u8],
) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .put(server.url(&format!("/_matrix/app/v1/transactions/{txn}")))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn count(server: &TestServer, sql: &'static str) -> i64 {
    guildhall_store::testing::count(server.app.db(), sql)
        .await
        .unwrap()
}

#[tokio::test]
async fn homeserver_transactions_need_our_token_and_apply_once() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = start_on(listener, matrix_settings(&url, "http://127.0.0.1:9")).await;
    let (admin, _) = people(&server, &[("Grace", "Hopper")]).await;
    // A private space: people in the room write into it without reading it here.
    let space = json!({"name": "Commons", "kind": "community", "visibility": "invite_only"});
    let space = call_ok(&server, &admin, Method::POST, "/api/v1/spaces", space).await;
    let slug = space["slug"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/spaces/{slug}/connectors");
    let body = json!({"kind": "matrix", "name": "#learning", "target": "!room:localhost"});
    call_ok(&server, &admin, Method::POST, &path, body).await;

    let event = |id: &str, sender: &str, text: &str| {
        json!({"type": "m.room.message", "room_id": "!room:localhost", "sender": sender,
               "event_id": id, "content": {"msgtype": "m.text", "body": text}})
    };
    let txn = serde_json::to_vec(&json!({"events": [
        event("$1", "@bob:localhost", "Hello from the Matrix room"),
        // Our own virtual users speak for Guildhall members: never taken in again.
        event("$2", "@guildhall_7:localhost", "An echo of our own post"),
        event("$3", "@bob:localhost", ""),
    ]}))
    .unwrap();
    let posts = count(&server, "SELECT COUNT(*) FROM posts").await;
    let refusals = [
        (
            None,
            txn.clone(),
            StatusCode::UNAUTHORIZED,
            "M_UNAUTHORIZED",
        ),
        (
            Some("wrong"),
            txn.clone(),
            StatusCode::FORBIDDEN,
            "M_FORBIDDEN",
        ),
        (
            Some(AS_TOKEN),
            txn.clone(),
            StatusCode::FORBIDDEN,
            "M_FORBIDDEN",
        ),
        (
            Some(HS_TOKEN),
            b"{\"events\": [".to_vec(),
            StatusCode::BAD_REQUEST,
            "M_BAD_JSON",
        ),
        (
            Some(HS_TOKEN),
            b"{\"events\": 3}".to_vec(),
            StatusCode::BAD_REQUEST,
            "M_BAD_JSON",
        ),
        (
            Some(HS_TOKEN),
            vec![b' '; 70 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
            "M_TOO_LARGE",
        ),
    ];
    for (token, body, status, errcode) in refusals {
        let (got, answer) = transaction(&server, "t1", token, &body).await;
        assert_eq!(
            (got, answer["errcode"].as_str().unwrap()),
            (status, errcode),
            "{answer}"
        );
    }
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM posts").await,
        posts,
        "nothing written"
    );

    for _ in 0..2 {
        let (status, answer) = transaction(&server, "t1", Some(HS_TOKEN), &txn).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
    }
    // The query-string token of older homeservers works too.
    let legacy = reqwest::Client::new()
        .put(server.url(&format!(
            "/_matrix/app/v1/transactions/t2?access_token={HS_TOKEN}"
        )))
        .header("content-type", "application/json")
        .body(r#"{"events": []}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(legacy.status(), StatusCode::OK);
    assert_eq!(
        count(&server, "SELECT COUNT(*) FROM posts").await,
        posts + 1,
        "once, and no echo"
    );
    let feed = call_ok(
        &server,
        &admin,
        Method::GET,
        &format!("/api/v1/spaces/{slug}/threads"),
        Value::Null,
    )
    .await;
    let thread = &feed["threads"][0];
    assert!(
        thread["excerpt"]
            .as_str()
            .unwrap()
            .contains("Hello from the Matrix room"),
        "{thread}"
    );
    // Written by Bob as a person on Matrix, never under a member's name.
    assert_eq!(thread["author_name"], "bob@localhost", "{thread}");

    // Bob's edit follows; Carol cannot edit Bob's message.
    let edit = |id: &str, sender: &str, text: &str| {
        json!({"type": "m.room.message", "room_id": "!room:localhost", "sender": sender,
               "event_id": id, "content": {"msgtype": "m.text", "body": format!("* {text}"),
               "m.new_content": {"msgtype": "m.text", "body": text},
               "m.relates_to": {"rel_type": "m.replace", "event_id": "$1"}}})
    };
    let txn = serde_json::to_vec(&json!({"events": [
        edit("$4", "@carol:localhost", "Carol was here"),
        edit("$5", "@bob:localhost", "Hello again from the Matrix room"),
    ]}))
    .unwrap();
    let (status, answer) = transaction(&server, "t3", Some(HS_TOKEN), &txn).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let thread_id = thread["id"].as_i64().unwrap();
    let posts = call_ok(
        &server,
        &admin,
        Method::GET,
        &format!("/api/v1/threads/{thread_id}"),
        Value::Null,
    )
    .await;
    let opening = &posts["posts"][0];
    assert!(
        opening["body_html"]
            .as_str()
            .unwrap()
            .contains("Hello again"),
        "{opening}"
    );
    assert!(!opening["body_html"].as_str().unwrap().contains("Carol"));
    assert_eq!(opening["via"], "Matrix");
}

/// A Synapse homeserver of its own, stopped when dropped.
struct Synapse {
    child: Child,
    base: String,
    dir: PathBuf,
}

impl Drop for Synapse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::env::var_os("KEEP_TEST_TMP").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn synapse_python() -> Option<PathBuf> {
    let given = PathBuf::from(std::env::var_os("GUILDHALL_TEST_SYNAPSE")?);
    Some(if given.is_dir() {
        given.join("bin/python")
    } else {
        given
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_synapse(python: &Path, registration: &str, port: u16) -> Synapse {
    let dir = std::env::temp_dir().join(format!("gh-synapse-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("registration.yaml"), registration).unwrap();
    let config = dir.join("homeserver.yaml");
    let generated = Command::new(python)
        .args([
            "-m",
            "synapse.app.homeserver",
            "--server-name",
            "localhost",
            "--config-path",
        ])
        .arg(&config)
        .arg("--data-directory")
        .arg(&dir)
        .args(["--generate-config", "--report-stats=no"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    // Later keys win in Synapse's YAML loader: these replace the generated listener and limits.
    let overrides = format!(
        r#"
listeners:
  - port: {port}
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
trusted_key_servers: []
app_service_config_files: ["{registration}"]
enable_registration: true
enable_registration_without_verification: true
rc_message: {{per_second: 1000, burst_count: 1000}}
rc_registration: {{per_second: 1000, burst_count: 1000}}
rc_joins: {{local: {{per_second: 1000, burst_count: 1000}}, remote: {{per_second: 1000, burst_count: 1000}}}}
rc_login: {{address: {{per_second: 1000, burst_count: 1000}}, account: {{per_second: 1000, burst_count: 1000}}, failed_attempts: {{per_second: 1000, burst_count: 1000}}}}
"#,
        registration = dir.join("registration.yaml").display()
    );
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&overrides);
    std::fs::write(&config, text).unwrap();
    let log = std::fs::File::create(dir.join("synapse.log")).unwrap();
    let child = Command::new(python)
        .args(["-m", "synapse.app.homeserver", "-c"])
        .arg(&config)
        .current_dir(&dir)
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let synapse = Synapse {
        child,
        base: format!("http://127.0.0.1:{port}"),
        dir,
    };
    let client = reqwest::Client::new();
    for _ in 0..300 {
        let up = client
            .get(format!("{}/_matrix/client/versions", synapse.base))
            .send()
            .await;
        if up.is_ok_and(|r| r.status().is_success()) {
            return synapse;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let log = std::fs::read_to_string(synapse.dir.join("synapse.log")).unwrap_or_default();
    panic!("Synapse did not start within a minute:\n{log}");
}

/// A person in Matrix: their access token.
struct MatrixUser {
    token: String,
    id: String,
}

async fn matrix(base: &str, token: &str, method: Method, path: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .request(method, format!("{base}/_matrix/client/v3{path}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {answer}");
    answer
}

async fn register(base: &str, name: &str, display: &str) -> MatrixUser {
    let body = json!({"username": name, "password": "correct-horse-battery-9", "auth": {"type": "m.login.dummy"}});
    let answer: Value = reqwest::Client::new()
        .post(format!("{base}/_matrix/client/v3/register"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let user = MatrixUser {
        token: answer["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"))
            .to_owned(),
        id: answer["user_id"].as_str().unwrap().to_owned(),
    };
    let path = format!("/profile/{}/displayname", user.id);
    matrix(
        base,
        &user.token,
        Method::PUT,
        &path,
        json!({"displayname": display}),
    )
    .await;
    user
}

/// The room's latest events, newest first.
async fn room_events(base: &str, who: &MatrixUser, room: &str) -> Vec<Value> {
    let path = format!("/rooms/{room}/messages?dir=b&limit=100");
    matrix(base, &who.token, Method::GET, &path, Value::Null).await["chunk"]
        .as_array()
        .unwrap()
        .clone()
}

async fn thread_posts(server: &TestServer, who: &Person, thread: i64) -> Vec<Value> {
    call_ok(
        server,
        who,
        Method::GET,
        &format!("/api/v1/threads/{thread}"),
        Value::Null,
    )
    .await["posts"]
        .as_array()
        .unwrap()
        .clone()
}

/// Waits (up to 20 s) until `check` holds: the homeserver pushes transactions on its own time.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..100 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test]
async fn a_space_is_mirrored_into_a_synapse_room_both_ways() {
    let Some(python) = synapse_python() else {
        println!(
            "skipped the Synapse peer: set GUILDHALL_TEST_SYNAPSE to a Python with matrix-synapse (./test.sh does)"
        );
        return;
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let port = free_port();
    let settings = matrix_settings(&url, &format!("http://127.0.0.1:{port}"));
    let registration = guildhall_app::connectors::matrix::registration(&settings).unwrap();
    let synapse = start_synapse(&python, &registration, port).await;
    let hs = synapse.base.clone();
    let server = start_on(listener, settings).await;

    let alice = register(&hs, "alice", "Alice Liddell").await;
    let room = matrix(
        &hs,
        &alice.token,
        Method::POST,
        "/createRoom",
        json!({"preset": "public_chat", "name": "Learning"}),
    )
    .await["room_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (admin, others) = people(&server, &[("Grace", "Hopper")]).await;
    let grace = &others[0];
    let slug = open_space(&server, &admin, "Rust cohort", "cohort", &[grace]).await;
    let path = format!("/api/v1/spaces/{slug}/connectors");
    call_ok(
        &server,
        &admin,
        Method::POST,
        &path,
        json!({"kind": "matrix", "name": "Learning room", "target": room}),
    )
    .await;

    // A thread goes to the room under its author's name.
    let new_thread =
        json!({"kind": "question", "title": "Ownership", "body": "Who can explain **ownership**?"});
    let thread = call_ok(
        &server,
        grace,
        Method::POST,
        &format!("/api/v1/spaces/{slug}/threads"),
        new_thread,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    server.deliver_effects().await;
    let grace_mx = format!("@guildhall_{}:localhost", grace.id);
    let events = room_events(&hs, &alice, &room).await;
    let root = events
        .iter()
        .find(|e| e["sender"] == grace_mx.as_str() && e["type"] == "m.room.message")
        .unwrap_or_else(|| panic!("no message from {grace_mx}: {events:?}"))
        .clone();
    assert!(
        root["content"]["body"]
            .as_str()
            .unwrap()
            .contains("Who can explain **ownership**?")
    );
    assert!(
        root["content"]["formatted_body"]
            .as_str()
            .unwrap()
            .contains("<strong>ownership</strong>")
    );
    let name = matrix(
        &hs,
        &alice.token,
        Method::GET,
        &format!("/profile/{grace_mx}/displayname"),
        Value::Null,
    )
    .await;
    assert_eq!(name["displayname"], "Grace Hopper");
    let root_id = root["event_id"].as_str().unwrap().to_owned();

    // Alice answers in the Matrix thread: a reply in Guildhall, after the content check.
    let answer = json!({"msgtype": "m.text", "body": "One owner at a time, moved or borrowed.",
        "m.relates_to": {"rel_type": "m.thread", "event_id": root_id, "is_falling_back": true, "m.in_reply_to": {"event_id": root_id}}});
    let alice_event = matrix(
        &hs,
        &alice.token,
        Method::PUT,
        &format!("/rooms/{room}/send/m.room.message/a1"),
        answer,
    )
    .await["event_id"]
        .as_str()
        .unwrap()
        .to_owned();
    eventually("Alice's answer arrives", || async {
        thread_posts(&server, grace, thread).await.iter().any(|p| {
            p["body_html"]
                .as_str()
                .unwrap()
                .contains("One owner at a time")
        })
    })
    .await;
    let posts = thread_posts(&server, grace, thread).await;
    assert_eq!(posts[1]["author_name"], "alice@localhost", "{posts:?}");
    assert_eq!(posts[1]["via"], "Matrix");
    assert_eq!(posts[1]["reply_to_id"], posts[0]["id"]);

    // Her edit follows.
    let edit = json!({"msgtype": "m.text", "body": "* One owner at a time; moved or borrowed.",
        "m.new_content": {"msgtype": "m.text", "body": "One owner at a time; moved or borrowed."},
        "m.relates_to": {"rel_type": "m.replace", "event_id": alice_event}});
    matrix(
        &hs,
        &alice.token,
        Method::PUT,
        &format!("/rooms/{room}/send/m.room.message/a2"),
        edit,
    )
    .await;
    eventually("Alice's edit arrives", || async {
        thread_posts(&server, grace, thread).await.iter().any(|p| {
            p["body_html"]
                .as_str()
                .unwrap()
                .contains("One owner at a time; moved")
        })
    })
    .await;

    // Grace replies, edits and deletes in Guildhall: a threaded message, m.replace, a redaction.
    let reply = call_ok(
        &server,
        grace,
        Method::POST,
        &format!("/api/v1/threads/{thread}/posts"),
        json!({"body": "Thanks, that helps."}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    server.deliver_effects().await;
    let events = room_events(&hs, &alice, &room).await;
    let mirrored = events
        .iter()
        .find(|e| e["sender"] == grace_mx.as_str() && e["content"]["body"] == "Thanks, that helps.")
        .unwrap_or_else(|| panic!("{events:?}"))
        .clone();
    assert_eq!(mirrored["content"]["m.relates_to"]["rel_type"], "m.thread");
    assert_eq!(
        mirrored["content"]["m.relates_to"]["event_id"],
        root_id.as_str()
    );
    let mirrored_id = mirrored["event_id"].as_str().unwrap().to_owned();
    call_ok(
        &server,
        grace,
        Method::PUT,
        &format!("/api/v1/posts/{reply}"),
        json!({"body": "Thanks, that helps a lot."}),
    )
    .await;
    server.deliver_effects().await;
    let events = room_events(&hs, &alice, &room).await;
    let replaced = events
        .iter()
        .find(|e| {
            e["content"]["m.relates_to"]["rel_type"] == "m.replace"
                && e["content"]["m.relates_to"]["event_id"] == mirrored_id.as_str()
        })
        .unwrap_or_else(|| panic!("{events:?}"));
    assert_eq!(
        replaced["content"]["m.new_content"]["body"],
        "Thanks, that helps a lot."
    );
    call_ok(
        &server,
        grace,
        Method::DELETE,
        &format!("/api/v1/posts/{reply}"),
        Value::Null,
    )
    .await;
    server.deliver_effects().await;
    let gone = matrix(
        &hs,
        &alice.token,
        Method::GET,
        &format!("/rooms/{room}/event/{mirrored_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(gone["content"], json!({}), "redacted: {gone}");

    // Alice deletes her message: the reply goes too. A rude one waits for review.
    let redaction = json!({"reason": "wrong thread"});
    matrix(
        &hs,
        &alice.token,
        Method::PUT,
        &format!("/rooms/{room}/redact/{alice_event}/a3"),
        redaction,
    )
    .await;
    eventually("Alice's deletion arrives", || async {
        thread_posts(&server, grace, thread)
            .await
            .iter()
            .any(|p| p["deleted"] == true && p["id"] == posts[1]["id"])
    })
    .await;
    let held_before = count(&server, "SELECT COUNT(*) FROM review_items").await;
    let rude = json!({"msgtype": "m.text", "body": "What a loser you are",
        "m.relates_to": {"rel_type": "m.thread", "event_id": root_id, "is_falling_back": true, "m.in_reply_to": {"event_id": root_id}}});
    matrix(
        &hs,
        &alice.token,
        Method::PUT,
        &format!("/rooms/{room}/send/m.room.message/a4"),
        rude,
    )
    .await;
    eventually("the rude message waits for review", || async {
        count(&server, "SELECT COUNT(*) FROM review_items").await > held_before
    })
    .await;
    assert!(
        !thread_posts(&server, grace, thread)
            .await
            .iter()
            .any(|p| p["body_html"].as_str().unwrap().contains("loser"))
    );

    let connectors = call_ok(&server, &admin, Method::GET, &path, Value::Null).await;
    assert_eq!(connectors["connectors"][0]["status"], "ok", "{connectors}");
    let _ = call(&server, &admin, Method::GET, &path, Value::Null).await;
    drop(synapse);
}
