//! Popular rows under load: more concurrent writers than the pool has connections, all on one
//! thread, one post, one event or one pair — an event's Q&A, an announcement everyone reacts to.
//! Every request must be answered (no transaction may wait for a second pool connection while it
//! holds a row lock: see `guildhall_store::Tx`), nothing acknowledged may be lost, and counters
//! must add up.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use futures_util::future::join_all;
use guildhall_app::Settings;
use guildhall_store::testing::TEST_POOL_CONNECTIONS;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::people::{Person, call, notifications, people};
use support::{TestServer, start_with};

/// Three writers for every connection of the test pool.
const WRITERS: usize = 3 * TEST_POOL_CONNECTIONS as usize;

const NAMES: &[(&str, &str)] = &[
    ("Grace", "Hopper"),
    ("Alan", "Turing"),
    ("Katherine", "Johnson"),
    ("Dorothy", "Vaughan"),
    ("Mary", "Jackson"),
    ("Adele", "Goldberg"),
    ("Barbara", "Liskov"),
    ("Donald", "Knuth"),
    ("Frances", "Allen"),
    ("John", "Backus"),
    ("Radia", "Perlman"),
    ("Ken", "Thompson"),
    ("Margaret", "Hamilton"),
    ("Niklaus", "Wirth"),
    ("Hedy", "Lamarr"),
    ("Dennis", "Ritchie"),
];

/// An administrator and `WRITERS` colleagues, all active members of a space that outsiders
/// cannot read (so replies check who still belongs before telling watchers).
async fn crowd() -> (TestServer, Person, Vec<Person>, String) {
    assert!(NAMES.len() >= WRITERS, "a name for every writer");
    let mut settings = Settings::default();
    // New members may post as fast as they like here: the test is about the database.
    settings.moderation.new_member_days = 0;
    let server = start_with(settings).await;
    let (admin, members) = people(&server, &NAMES[..WRITERS]).await;
    let (status, space) = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/spaces",
        json!({"name": "Quarterly All Hands", "kind": "cohort", "visibility": "on_request"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{space}");
    let slug = space["slug"].as_str().unwrap().to_owned();
    let facilitator = server.app.viewer_for_cli(admin.id).await.unwrap();
    for member in &members {
        let path = format!("/api/v1/spaces/{slug}/membership");
        let (status, body) = call(&server, member, Method::POST, &path, Value::Null).await;
        assert_eq!(body["status"], "requested", "{status} {body}");
        server
            .app
            .approve_member(&facilitator, &slug, member.id)
            .await
            .unwrap();
    }
    (server, admin, members, slug)
}

async fn start_thread(server: &TestServer, who: &Person, slug: &str, title: &str) -> i64 {
    let (status, body) = call(
        server,
        who,
        Method::POST,
        &format!("/api/v1/spaces/{slug}/threads"),
        json!({"kind": "question", "title": title, "body": "Ask anything about the plan for next quarter."}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

async fn thread(server: &TestServer, who: &Person, id: i64) -> Value {
    let (status, body) = call(
        server,
        who,
        Method::GET,
        &format!("/api/v1/threads/{id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_repliers_to_one_thread_are_all_answered_and_kept() {
    let (server, admin, members, slug) = crowd().await;
    let thread_id = start_thread(&server, &admin, &slug, "Questions for the all hands").await;
    // Everyone watches, so each reply reads the watchers and checks they still belong.
    for member in &members {
        let (status, _) = call(
            &server,
            member,
            Method::PUT,
            &format!("/api/v1/threads/{thread_id}/subscription"),
            json!({"level": "watching"}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }

    let path = format!("/api/v1/threads/{thread_id}/posts");
    let answers = join_all(members.iter().enumerate().map(|(i, member)| {
        let (server, path) = (&server, &path);
        async move {
            let body =
                json!({"body": format!("Question {i}: how will the roadmap affect team {i}?")});
            call(server, member, Method::POST, path, body).await
        }
    }))
    .await;
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
    }

    let page = thread(&server, &admin, thread_id).await;
    let posts = page["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 1 + WRITERS, "every acknowledged reply is kept");
    for (_, body) in &answers {
        let id = body["id"].as_i64().unwrap();
        assert!(posts.iter().any(|p| p["id"] == id), "reply {id} is present");
    }
    assert_eq!(
        page["thread"]["reply_count"].as_i64(),
        Some(WRITERS as i64),
        "the thread's counter saw every reply: {}",
        page["thread"]
    );
    // The asker hears of every reply; each watcher of every reply but their own.
    let told = notifications(&server, &admin).await;
    assert_eq!(told.len(), WRITERS, "{told:?}");
    let told = notifications(&server, &members[0]).await;
    assert_eq!(told.len(), WRITERS - 1, "{told:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_reactions_to_one_post_all_count() {
    let (server, admin, members, slug) = crowd().await;
    let thread_id = start_thread(&server, &admin, &slug, "The new travel policy").await;
    let post_id = thread(&server, &admin, thread_id).await["posts"][0]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/posts/{post_id}/reactions");
    // Each member reacts twice over, with two different kinds, all at once.
    let answers = join_all(members.iter().flat_map(|member| {
        ["helpful", "learned"].map(|kind| {
            let (server, path) = (&server, &path);
            async move { call(server, member, Method::POST, path, json!({ "kind": kind })).await }
        })
    }))
    .await;
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::NO_CONTENT, "{body}");
    }
    let page = thread(&server, &admin, thread_id).await;
    let reactions = page["posts"][0]["reactions"].as_array().unwrap();
    for kind in ["helpful", "learned"] {
        let count = reactions
            .iter()
            .find(|r| r["kind"] == kind)
            .map(|r| r["count"].as_i64().unwrap());
        assert_eq!(count, Some(WRITERS as i64), "{kind}: {reactions:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_rsvps_to_one_event_fill_exactly_its_seats() {
    let (server, admin, members, slug) = crowd().await;
    let seats = WRITERS / 2;
    let (status, body) = call(
        &server,
        &admin,
        Method::POST,
        &format!("/api/v1/spaces/{slug}/events"),
        json!({
            "title": "Quarterly all hands",
            "starts_at": "2031-03-04T09:30",
            "ends_at": "2031-03-04T11:00",
            "time_zone": "Europe/Berlin",
            "location": "Main hall",
            "capacity": seats,
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let event_id = body["id"].as_i64().unwrap();
    let path = format!("/api/v1/events/{event_id}/rsvp");
    // Everyone answers at once, some of them twice (a double click).
    let answers = join_all(
        members
            .iter()
            .chain(members.iter().take(TEST_POOL_CONNECTIONS as usize))
            .map(|member| {
                let (server, path) = (&server, &path);
                async move { call(server, member, Method::PUT, path, json!({"going": true})).await }
            }),
    )
    .await;
    let seated = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::NO_CONTENT)
        .count();
    for (status, body) in &answers {
        assert!(
            *status == StatusCode::NO_CONTENT
                || (*status == StatusCode::CONFLICT && body["error"] == "event_full"),
            "{status} {body}"
        );
    }
    let (status, event) = call(
        &server,
        &admin,
        Method::GET,
        &format!("/api/v1/events/{event_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{event}");
    assert_eq!(
        event["going"].as_i64(),
        Some(seats as i64),
        "exactly the seats are taken: {event}"
    );
    assert!(seated >= seats, "{seated} answers took {seats} seats");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pair_checking_in_at_once_is_answered_and_counted_once_a_week() {
    let (server, admin, members, slug) = crowd().await;
    let (a, b) = (&members[0], &members[1]);
    for member in [a, b] {
        let (status, body) = call(
            &server,
            member,
            Method::PUT,
            "/api/v1/partners/opt-in",
            json!({"space": slug, "focus": "", "work_start": "09:00", "work_end": "17:00"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/partners/manage/rounds",
        json!({"space": slug}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, mine) = call(&server, a, Method::GET, "/api/v1/partners", Value::Null).await;
    let id = mine["partnerships"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/partners/{id}/check-ins");

    // Both partners press "check in" again and again while the other does too.
    let answers = join_all((0..WRITERS).map(|i| {
        let (server, path) = (&server, &path);
        let who = if i % 2 == 0 { a } else { b };
        async move {
            let body = json!({"progress": 3, "did": format!("Practised the pitch, take {i}"), "next_step": "Record it"});
            call(server, who, Method::POST, path, body).await
        }
    }))
    .await;
    let mut created = 0;
    for (status, body) in &answers {
        match *status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => assert_eq!(body["error"], "already_checked_in", "{body}"),
            other => panic!("{other} {body}"),
        }
    }
    assert_eq!(created, 2, "one check-in a week for each partner");

    // Then they encourage each other's check-in, all at once.
    let (_, pair) = call(
        &server,
        a,
        Method::GET,
        &format!("/api/v1/partners/{id}"),
        Value::Null,
    )
    .await;
    let check_ins = pair["check_ins"].as_array().unwrap();
    assert_eq!(check_ins.len(), 2, "{pair}");
    let answers = join_all((0..WRITERS).map(|i| {
        let server = &server;
        let (who, check_in) = if i % 2 == 0 {
            (a, &check_ins[1])
        } else {
            (b, &check_ins[0])
        };
        let path = format!("/api/v1/partners/{id}/check-ins/{}/replies", check_in["id"]);
        async move {
            call(
                server,
                who,
                Method::POST,
                &path,
                json!({"kind": "reply", "body": format!("Nice work, note {i}")}),
            )
            .await
        }
    }))
    .await;
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
    }
}
