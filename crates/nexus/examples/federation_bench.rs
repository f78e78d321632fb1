//! Federation figures (issue 15), on a fresh database (SQLite in a temp file, or PostgreSQL
//! when GUILDHALL_TEST_DATABASE_URL is set) and real HTTP on 127.0.0.1:
//!
//! 1. inbound follows: N remote actors (served by a sink server here) each send a signed
//!    Follow to a federated space — signature check, actor fetch, follower row, Accept queued;
//! 2. the Accepts delivered (one signed POST per inbox);
//! 3. fan-out: a member's new thread announced to the N followers' inboxes — deliveries per
//!    second and the process's memory;
//! 4. inbound replies: R signed replies through the signature and content checks.
//!
//!   cargo run --release -p guildhall-nexus --example federation_bench -- [N=1000] [R=500]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench fails loudly

use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use futures_util::StreamExt;
use guildhall_app::App;
use guildhall_app::nexus::federation::FederationSettings;
use guildhall_app::outbox::OutboxWorker;
use guildhall_app::people::NewPerson;
use guildhall_app::settings::Settings;
use guildhall_app::spaces::SpaceInput;
use guildhall_app::threads::ThreadInput;
use guildhall_domain::nexus::servers::{FederationMode, ServerPolicy};
use guildhall_domain::nexus::signatures::{self, Outgoing, Scheme};
use guildhall_domain::people::Role;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const CONCURRENCY: usize = 8;

#[derive(Clone)]
struct Sink {
    base: String,
    public_pem: Arc<String>,
    delivered: Arc<AtomicUsize>,
}

fn memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let followers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let replies: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(500);
    let backend = if std::env::var("GUILDHALL_TEST_DATABASE_URL").is_ok() {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    // The remote side: actors that share one key, and inboxes that count what arrives.
    let (private_pem, public_pem) = signatures::generate_key().unwrap();
    let sink_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sink_host = sink_listener.local_addr().unwrap().to_string();
    let sink = Sink {
        base: format!("http://{sink_host}"),
        public_pem: Arc::new(public_pem),
        delivered: Arc::new(AtomicUsize::new(0)),
    };
    let sink_router = Router::new()
        .route("/users/{n}", get(actor))
        .route("/inbox/{n}", post(inbox))
        .with_state(sink.clone());
    tokio::spawn(async move { axum::serve(sink_listener, sink_router).await.unwrap() });

    // Guildhall.
    let test_db = guildhall_store::testing::fresh_db().await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut settings = Settings::default();
    settings.server.public_url = format!("http://{}", listener.local_addr().unwrap());
    let app = App::new(test_db.db.clone(), settings);
    let router = guildhall_web::router(app.clone()).merge(guildhall_nexus::router(app.clone()));
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });
    let person = |given: &str| NewPerson {
        given_name: given.into(),
        family_name: "Bench".into(),
        email: format!("{}@bench.example", given.to_lowercase()),
        password: "correct-horse-battery-9".into(),
    };
    let admin_id = app
        .create_person_from_cli(&person("Ada"), &[Role::Admin])
        .await
        .unwrap();
    let admin = app.viewer_for_cli(admin_id).await.unwrap();
    let space = app
        .create_space(
            &admin,
            &SpaceInput {
                name: "Bench Craft".into(),
                kind: "community".into(),
                visibility: "open".into(),
                description: String::new(),
                rules: String::new(),
            },
        )
        .await
        .unwrap();
    let federation = FederationSettings {
        enabled: true,
        mode: FederationMode::Allowlist,
        share_usage: true,
    };
    app.set_federation(&admin, &federation).await.unwrap();
    app.list_server(&admin, &sink_host, ServerPolicy::Allow, "bench")
        .await
        .unwrap();
    app.federate_space(&admin, &space.slug, true).await.unwrap();
    let group = format!("{}/ap/groups/{}", app.public_base(), space.slug);
    let group_inbox = format!("{group}/inbox");
    let worker = guildhall_nexus::register_effects(OutboxWorker::new(app.clone()));
    let client = reqwest::Client::new();
    println!(
        "federation bench on {backend}: {followers} followers, {replies} replies, {CONCURRENCY} at a time"
    );
    println!("memory at start: {:.0} MiB", memory_mib());

    // 1. Inbound follows.
    let started = Instant::now();
    let accepted = send_all(&client, &sink, &private_pem, &group_inbox, followers, |n| {
        json!({
            "type": "Follow", "id": format!("{}/follows/{n}", sink.base),
            "actor": format!("{}/users/{n}", sink.base), "object": group,
        })
    })
    .await;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "inbound follows: {accepted}/{followers} accepted in {seconds:.2} s = {:.0}/s (each fetched its actor once)",
        followers as f64 / seconds
    );

    // 2. The Accepts.
    let (count, seconds) = drain(&worker, &sink).await;
    println!(
        "accepts delivered: {count} in {seconds:.2} s = {:.0}/s",
        count as f64 / seconds
    );

    // 3. Fan-out of a new thread.
    let memory_before = memory_mib();
    let thread_id = app
        .start_thread(
            &admin,
            &space.slug,
            &ThreadInput {
                kind: "discussion".into(),
                title: "Which dashboards do people trust?".into(),
                body: "Tell us which ones you open every morning, and why.".into(),
                ..ThreadInput::default()
            },
        )
        .await
        .unwrap();
    let (count, seconds) = drain(&worker, &sink).await;
    println!(
        "fan-out: {count} deliveries (1 fan-out row + 1 per inbox) in {seconds:.2} s = {:.0} deliveries/s; memory {memory_before:.0} -> {:.0} MiB",
        count as f64 / seconds,
        memory_mib()
    );

    // 4. Inbound replies through the content check.
    let started = Instant::now();
    let target = format!("{}/ap/threads/{thread_id}", app.public_base());
    let posted = send_all(&client, &sink, &private_pem, &group_inbox, replies, |n| {
        let note = format!("{}/notes/{n}", sink.base);
        let actor = format!("{}/users/{n}", sink.base);
        json!({
            "type": "Create", "id": format!("{note}/create"), "actor": actor,
            "object": { "type": "Note", "id": note, "attributedTo": actor, "inReplyTo": target,
                        "content": format!("<p>Reply {n}: the weekly sales board, because it is kept honest.</p>") },
        })
    })
    .await;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "inbound replies: {posted}/{replies} accepted in {seconds:.2} s = {:.0}/s (signature + content check + write)",
        replies as f64 / seconds
    );
    println!("memory at the end: {:.0} MiB", memory_mib());
}

/// Runs the outbox until it is empty; what the sink received and how long it took.
async fn drain(worker: &OutboxWorker, sink: &Sink) -> (usize, f64) {
    let before = sink.delivered.load(Ordering::Relaxed);
    let started = Instant::now();
    while worker.run_once().await.unwrap() > 0 {}
    let seconds = started.elapsed().as_secs_f64();
    (sink.delivered.load(Ordering::Relaxed) - before, seconds)
}

/// Signs and POSTs `count` activities, `CONCURRENCY` at a time; how many were accepted.
async fn send_all(
    client: &reqwest::Client,
    sink: &Sink,
    private_pem: &str,
    inbox: &str,
    count: usize,
    activity: impl Fn(usize) -> Value,
) -> usize {
    let url = url::Url::parse(inbox).unwrap();
    let requests = (0..count).map(|n| {
        let body = activity(n).to_string();
        let key_id = format!("{}/users/{n}#main-key", sink.base);
        let headers = signatures::sign(
            Scheme::Cavage,
            &Outgoing {
                method: "POST",
                url: &url,
                body: Some(body.as_bytes()),
                date: chrono::Utc::now(),
            },
            &key_id,
            private_pem,
        )
        .unwrap();
        let mut request = client
            .post(inbox)
            .header("content-type", "application/activity+json");
        for (name, value) in headers {
            if name != "host" {
                request = request.header(name, value);
            }
        }
        async move {
            let response = request.body(body).send().await.unwrap();
            usize::from(response.status().as_u16() == 202)
        }
    });
    futures_util::stream::iter(requests)
        .buffer_unordered(CONCURRENCY)
        .fold(0, |sum, ok| async move { sum + ok })
        .await
}

async fn actor(State(sink): State<Sink>, Path(n): Path<usize>) -> axum::response::Response {
    let id = format!("{}/users/{n}", sink.base);
    let document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "type": "Person", "id": id, "preferredUsername": format!("u{n}"),
        "inbox": format!("{}/inbox/{n}", sink.base),
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": *sink.public_pem },
    });
    axum::response::IntoResponse::into_response((
        [("content-type", "application/activity+json")],
        document.to_string(),
    ))
}

async fn inbox(State(sink): State<Sink>) -> &'static str {
    sink.delivered.fetch_add(1, Ordering::Relaxed);
    "ok"
}
