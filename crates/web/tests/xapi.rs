//! Learning records over HTTP, on both backends: each social-learning moment becomes an xAPI
//! statement in the outbox of its own transaction, and the worker delivers it to a Learning
//! Record Store — a real one (Learning Locker's `xapi-statements` service from npm, in memory,
//! started here when `tools/peers/lrs/node_modules` exists), which validates every statement as
//! an LRS must and refuses a faulty one with 400. A capturing endpoint in this process checks
//! what the LRS cannot show: the headers, the credentials and that a retry resends the same
//! statement. The profile document is checked against the xAPI Profiles structure.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use guildhall_app::Settings;
use guildhall_app::settings::Secret;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};
use support::people::{Person, call, call_ok, open_space, people};
use support::{TestServer, browser, start_on};

const ASKED: &str = "http://adlnet.gov/expapi/verbs/asked";
const ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
const ATTENDED: &str = "http://adlnet.gov/expapi/verbs/attended";
const ACCEPTED: &str = "http://activitystrea.ms/schema/1.0/accept";
const EARNED: &str = "http://id.tincanapi.com/verb/earned";

/// The real LRS, stopped when dropped.
struct Lrs {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for Lrs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_lrs() -> Option<Lrs> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/peers/lrs");
    if !dir.join("node_modules/xapi-statements").exists() {
        eprintln!("SKIPPED the real LRS: it is not installed (cd tools/peers/lrs && npm ci)");
        return None;
    }
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut child = std::process::Command::new("node")
        .arg("lrs.js")
        .current_dir(&dir)
        .env("PORT", port.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("node runs");
    let stdout = child.stdout.take().unwrap();
    let lrs = Lrs {
        child,
        endpoint: format!("http://127.0.0.1:{port}/xAPI"),
    };
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("Listening on port") {
            // Keep draining: a process writing to a closed pipe would die mid-test.
            std::thread::spawn(move || lines.for_each(drop));
            return Some(lrs);
        }
    }
    panic!("the LRS did not start");
}

async fn server_sending_to(endpoint: &str) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut settings = Settings::default();
    settings.server.public_url = format!("http://{}", listener.local_addr().unwrap());
    settings.xapi.enabled = true;
    settings.xapi.endpoint = endpoint.to_owned();
    settings.xapi.key = "guildhall".into();
    settings.xapi.secret = Secret::new("s3cret");
    start_on(listener, settings).await
}

async fn ask(server: &TestServer, who: &Person, slug: &str, title: &str) -> i64 {
    let path = format!("/api/v1/spaces/{slug}/threads");
    let body = json!({"kind": "question", "title": title, "body": "Any ideas?"});
    call_ok(server, who, Method::POST, &path, body).await["id"]
        .as_i64()
        .unwrap()
}

async fn count(server: &TestServer, sql: &'static str) -> i64 {
    guildhall_store::testing::count(server.app.db(), sql)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_moment_reaches_a_real_lrs() {
    let Some(lrs) = start_lrs() else { return };
    let server = server_sending_to(&lrs.endpoint).await;
    let base = server.base.clone();
    let admin_browser = browser();
    server.set_up_admin(&admin_browser).await;
    let (admin, folks) = {
        let token = server
            .token_via_profile(&admin_browser, &["read", "write"])
            .await;
        let me = reqwest::Client::new()
            .get(server.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        let admin = Person {
            token,
            id: me["id"].as_i64().unwrap(),
        };
        let mut folks = Vec::new();
        for (_, token) in server
            .colleagues(&[
                ("Grace", "Hopper", "grace@example.org"),
                ("Alan", "Turing", "alan@example.org"),
            ])
            .await
        {
            let id = call_ok(
                &server,
                &Person {
                    token: token.clone(),
                    id: 0,
                },
                Method::GET,
                "/api/v1/me",
                Value::Null,
            )
            .await["id"]
                .as_i64()
                .unwrap();
            folks.push(Person { token, id });
        }
        (admin, folks)
    };
    let (grace, alan) = (&folks[0], &folks[1]);
    let slug = open_space(&server, &admin, "Data Cohort", "cohort", &[grace, alan]).await;

    // Asked, answered, answer accepted (which earns Grace her first automatic badge).
    let question = ask(&server, alan, &slug, "How do I join two tables?").await;
    let path = format!("/api/v1/threads/{question}/posts");
    let answer = call_ok(
        &server,
        grace,
        Method::POST,
        &path,
        json!({"body": "JOIN on the key."}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/threads/{question}/accepted");
    call_ok(
        &server,
        alan,
        Method::PUT,
        &path,
        json!({"post_id": answer}),
    )
    .await;

    // Attended an event (marked by the facilitator on the event's page).
    let event = json!({"title": "SQL clinic", "starts_at": "2027-03-04T09:30", "ends_at": "2027-03-04T10:30", "time_zone": "Europe/Berlin", "location": "Room 4"});
    let event = call_ok(
        &server,
        &admin,
        Method::POST,
        &format!("/api/v1/spaces/{slug}/events"),
        event,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let page = format!("/events/{event}");
    let marked = server
        .post_form(
            &admin_browser,
            &page,
            &format!("{page}/attendance/{}", grace.id),
            &[("attended", "true")],
        )
        .await;
    assert!(
        marked.status().is_redirection() || marked.status().is_success(),
        "{}",
        marked.status()
    );

    // Checked in with a partner.
    for who in [grace, alan] {
        let body =
            json!({"space": slug, "focus": "sql", "work_start": "09:00", "work_end": "17:00"});
        call_ok(&server, who, Method::PUT, "/api/v1/partners/opt-in", body).await;
    }
    call_ok(
        &server,
        &admin,
        Method::POST,
        "/api/v1/partners/manage/rounds",
        json!({"space": slug}),
    )
    .await;
    let pairs = call_ok(&server, grace, Method::GET, "/api/v1/partners", Value::Null).await;
    let pair = pairs["partnerships"][0]["id"].as_i64().unwrap();
    let check_in = json!({"progress": 4, "did": "Wrote my first join", "blockers": "None", "next_step": "Try a left join"});
    call_ok(
        &server,
        grace,
        Method::POST,
        &format!("/api/v1/partners/{pair}/check-ins"),
        check_in,
    )
    .await;

    // Earned a hand-made badge.
    let badge = json!({"name": "Query Whisperer", "criteria": "Tamed a query.", "emoji": "🔎"});
    call_ok(&server, &admin, Method::POST, "/api/v1/badges", badge).await;
    let award = json!({"person": alan.id, "reason": "Made the report run in seconds."});
    call_ok(
        &server,
        &admin,
        Method::POST,
        "/api/v1/badges/query-whisperer/awards",
        award,
    )
    .await;

    server.deliver_effects().await;
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'xapi.statement' AND status <> 'done'"
        )
        .await,
        0,
        "every statement was accepted by the LRS"
    );
    let sent = count(
        &server,
        "SELECT COUNT(*) FROM outbox WHERE kind = 'xapi.statement'",
    )
    .await;

    // What the LRS stored.
    let stored: Value = reqwest::Client::new()
        .get(format!("{}/statements?limit=100", lrs.endpoint))
        .basic_auth("guildhall", Some("s3cret"))
        .header("X-Experience-API-Version", "1.0.3")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statements = stored["statements"].as_array().unwrap();
    assert_eq!(i64::try_from(statements.len()).unwrap(), sent, "{stored}");
    let verbs: BTreeSet<&str> = statements
        .iter()
        .map(|s| s["verb"]["id"].as_str().unwrap())
        .collect();
    let checked_in = format!("{base}/xapi/profile/verbs/checked-in");
    for verb in [
        ASKED,
        ANSWERED,
        ACCEPTED,
        ATTENDED,
        EARNED,
        checked_in.as_str(),
    ] {
        assert!(verbs.contains(verb), "no {verb} among {verbs:?}");
    }
    let profile = profile_of(&server).await;
    for statement in statements {
        let actor = &statement["actor"];
        assert_eq!(actor["account"]["homePage"], base.as_str(), "{statement}");
        assert!(
            actor.get("mbox").is_none() && actor.get("name").is_none(),
            "{statement}"
        );
        let who: i64 = actor["account"]["name"].as_str().unwrap().parse().unwrap();
        assert!([admin.id, grace.id, alan.id].contains(&who), "{statement}");
        follows_the_profile(statement, &profile);
    }
    let by_verb = |verb: &str| {
        statements
            .iter()
            .filter(|s| s["verb"]["id"] == verb)
            .collect::<Vec<_>>()
    };
    let asked = by_verb(ASKED)[0];
    assert_eq!(asked["actor"]["account"]["name"], alan.id.to_string());
    assert_eq!(asked["object"]["id"], format!("{base}/t/{question}"));
    assert_eq!(
        asked["object"]["definition"]["name"]["en-US"],
        "How do I join two tables?"
    );
    assert_eq!(
        asked["context"]["contextActivities"]["grouping"][0]["id"],
        format!("{base}/s/{slug}")
    );
    let accepted = by_verb(ACCEPTED)[0];
    assert_eq!(accepted["object"]["id"], format!("{base}/posts/{answer}"));
    assert_eq!(
        accepted["context"]["contextActivities"]["parent"][0]["id"],
        format!("{base}/t/{question}")
    );
    let attended = by_verb(ATTENDED)[0];
    assert_eq!(attended["actor"]["account"]["name"], grace.id.to_string());
    assert_eq!(attended["object"]["id"], format!("{base}/events/{event}"));
    let earned: BTreeSet<String> = by_verb(EARNED)
        .iter()
        .map(|s| s["object"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        earned.contains(&format!("{base}/badges/first-accepted-answer")),
        "{earned:?}"
    );
    assert!(
        earned.contains(&format!("{base}/badges/query-whisperer")),
        "{earned:?}"
    );
    // What was said in the check-in stays between the partners.
    let checked = by_verb(&checked_in)[0].to_string();
    assert!(
        !checked.contains("first join") && !checked.contains("left join"),
        "{checked}"
    );

    // The LRS refuses a statement that breaks the rules, so its acceptance above means something.
    let faulty =
        json!({"actor": {"mbox": "grace"}, "verb": {"id": "asked"}, "object": {"id": "x"}});
    let refused = reqwest::Client::new()
        .post(format!("{}/statements", lrs.endpoint))
        .basic_auth("guildhall", Some("s3cret"))
        .header("X-Experience-API-Version", "1.0.3")
        .json(&faulty)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

/// One request the capturing endpoint received.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    version: Option<String>,
    authorization: Option<String>,
    content_type: Option<String>,
    body: Value,
}

#[tokio::test]
async fn deliveries_carry_the_version_and_credentials_and_retry_the_same_statement() {
    use axum::http::{HeaderMap, Uri};
    let received: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = received.clone();
    let capture =
        axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: String| {
            let log = log.clone();
            async move {
                let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
                let mut log = log.lock().unwrap();
                log.push(Received {
                    path: uri.path().to_owned(),
                    version: header("x-experience-api-version"),
                    authorization: header("authorization"),
                    content_type: header("content-type"),
                    body: serde_json::from_str(&body).unwrap_or(Value::Null),
                });
                // The first attempt meets an LRS that is down; the retry gets through.
                if log.len() == 1 {
                    (axum::http::StatusCode::SERVICE_UNAVAILABLE, String::new())
                } else {
                    let id = log.last().unwrap().body["id"].to_string();
                    (axum::http::StatusCode::OK, format!("[{id}]"))
                }
            }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let lrs = format!("http://{}/xapi/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, capture).await.unwrap() });

    let server = server_sending_to(&lrs).await;
    let (admin, folks) = people(&server, &[("Grace", "Hopper")]).await;
    let slug = open_space(&server, &admin, "Data", "community", &[&folks[0]]).await;
    let question = ask(&server, &folks[0], &slug, "Where is the sales data?").await;
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'xapi.statement'"
        )
        .await,
        1
    );

    server.deliver_effects().await;
    assert_eq!(received.lock().unwrap().len(), 1);
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'xapi.statement' AND status = 'pending'"
        )
        .await,
        1,
        "kept for a retry"
    );
    server
        .deliver_effects_due_by(chrono::Utc::now() + chrono::Duration::hours(2))
        .await;
    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].body["id"], received[1].body["id"],
        "the same statement, so no duplicate"
    );
    for request in &received {
        assert_eq!(request.path, "/xapi/statements");
        assert_eq!(request.version.as_deref(), Some("1.0.3"));
        // Basic base64("guildhall:s3cret")
        assert_eq!(
            request.authorization.as_deref(),
            Some("Basic Z3VpbGRoYWxsOnMzY3JldA==")
        );
        assert_eq!(request.content_type.as_deref(), Some("application/json"));
        assert_eq!(
            request.body["object"]["id"],
            format!("{}/t/{question}", server.base)
        );
    }
    let id = received[0].body["id"].as_str().unwrap();
    assert_eq!((id.len(), &id[14..15]), (36, "4"), "a version 4 UUID: {id}");
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'xapi.statement' AND status = 'done'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn nothing_is_recorded_without_an_lrs() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = start_on(listener, Settings::default()).await;
    let (admin, folks) = people(&server, &[("Grace", "Hopper")]).await;
    let slug = open_space(&server, &admin, "Data", "community", &[&folks[0]]).await;
    ask(&server, &folks[0], &slug, "Where is the sales data?").await;
    assert_eq!(
        count(
            &server,
            "SELECT COUNT(*) FROM outbox WHERE kind = 'xapi.statement'"
        )
        .await,
        0
    );
    // The profile is published all the same: it describes what would be sent.
    let (status, _) = call(&server, &admin, Method::GET, "/xapi/profile", Value::Null).await;
    assert_eq!(status, StatusCode::OK);
}

async fn profile_of(server: &TestServer) -> Value {
    let response = reqwest::get(server.url("/xapi/profile.jsonld"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/ld+json");
    let profile: Value = response.json().await.unwrap();
    valid_profile(&profile, &server.base);
    profile
}

/// The xAPI Profiles 1.0 structure (Part Two: the profile, its concepts and templates).
fn valid_profile(profile: &Value, base: &str) {
    let id = format!("{base}/xapi/profile");
    assert_eq!(profile["id"], id.as_str());
    assert_eq!(
        profile["@context"],
        "https://w3id.org/xapi/profiles/context"
    );
    assert_eq!(profile["type"], "Profile");
    assert_eq!(profile["conformsTo"], "https://w3id.org/xapi/profiles#1.0");
    assert!(profile["prefLabel"]["en"].is_string() && profile["definition"]["en"].is_string());
    assert!(["Organization", "Person"].contains(&profile["author"]["type"].as_str().unwrap()));
    assert!(profile["author"]["name"].is_string());
    let versions = profile["versions"].as_array().unwrap();
    let version = versions[0]["id"].as_str().unwrap();
    assert_eq!(version, format!("{id}/v1"));
    chrono::DateTime::parse_from_rfc3339(versions[0]["generatedAtTime"].as_str().unwrap()).unwrap();
    for item in profile["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .chain(profile["templates"].as_array().unwrap())
    {
        for key in ["id", "type", "inScheme", "prefLabel", "definition"] {
            assert!(!item[key].is_null(), "{key} missing in {item}");
        }
        assert_eq!(item["inScheme"], version, "{item}");
        assert!(
            item["id"].as_str().unwrap().starts_with(&id),
            "our IRIs only: {item}"
        );
    }
    for concept in profile["concepts"].as_array().unwrap() {
        assert!(["Verb", "ActivityType"].contains(&concept["type"].as_str().unwrap()));
    }
    for template in profile["templates"].as_array().unwrap() {
        assert_eq!(template["type"], "StatementTemplate");
        assert!(template["verb"].is_string() && template["objectActivityType"].is_string());
    }
}

/// The statement matches one template of the profile: its verb, its object's type, and the
/// profile version in its category.
fn follows_the_profile(statement: &Value, profile: &Value) {
    let templates = profile["templates"].as_array().unwrap();
    let verb = &statement["verb"]["id"];
    let object_type = &statement["object"]["definition"]["type"];
    assert!(
        templates
            .iter()
            .any(|t| &t["verb"] == verb && &t["objectActivityType"] == object_type),
        "no template for {statement}"
    );
    let version = &profile["versions"][0]["id"];
    let categories = statement["context"]["contextActivities"]["category"]
        .as_array()
        .unwrap();
    assert!(
        categories.iter().any(|c| &c["id"] == version),
        "{statement}"
    );
}
