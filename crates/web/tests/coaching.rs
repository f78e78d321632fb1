//! Coaching over HTTP: applying and approval by administrators or space facilitators, finding
//! a coach (search and the explained ranking), requests seen by their learner and coach only,
//! sessions proposed, confirmed, cancelled and rated within the coach's capacity, private notes
//! read by their author only, and the calendar file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use chrono::{Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::people::{Person, call, notifications, people};
use support::{TestServer, start};

fn coach_body(skills: &[&str], zone: &str, windows: &[&str], capacity: i64) -> Value {
    json!({
        "skills": skills,
        "bio": "I have given talks at many conferences and love helping first-time speakers.",
        "capacity": capacity,
        "time_zone": zone,
        "availability": windows,
    })
}

async fn apply(server: &TestServer, who: &Person, body: Value) {
    let (status, answer) = call(server, who, Method::PUT, "/api/v1/coaching/me", body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

async fn decide(
    server: &TestServer,
    by: &Person,
    applicant: &Person,
    decision: &str,
) -> StatusCode {
    call(
        server,
        by,
        Method::POST,
        &format!("/api/v1/coaching/applications/{}", applicant.id),
        json!({"decision": decision, "note": "Thanks for offering"}),
    )
    .await
    .0
}

/// A page as `who` (pages accept API tokens too): status and HTML.
async fn page(server: &TestServer, who: &Person, path: &str) -> (StatusCode, String) {
    let response = server
        .api(&who.token, Method::GET, path, Value::Null)
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn applications_are_decided_by_administrators_and_space_facilitators() {
    let server = start().await;
    let (admin, people) = people(
        &server,
        &[
            ("Grace", "Hopper"),
            ("Alan", "Turing"),
            ("Katherine", "Johnson"),
            ("Margaret", "Hamilton"),
        ],
    )
    .await;
    let (grace, alan, katherine, margaret) = (&people[0], &people[1], &people[2], &people[3]);

    // Bad applications change nothing and say which field is wrong.
    for (body, field) in [
        (coach_body(&[], "UTC", &["Tue 09:00-11:00"], 2), "skills"),
        (
            coach_body(&["SQL"], "UTC", &["Tue 09:00-11:00"], 0),
            "capacity",
        ),
        (
            coach_body(&["SQL"], "Mars/Olympus", &["Tue 09:00-11:00"], 2),
            "time_zone",
        ),
        (coach_body(&["SQL"], "UTC", &[], 2), "availability"),
        (
            coach_body(&["SQL"], "UTC", &["Funday 09:00-10:00"], 2),
            "availability",
        ),
        (
            coach_body(&["SQL"], "UTC", &["Tue 11:00-09:00"], 2),
            "availability",
        ),
    ] {
        let (status, answer) = call(&server, grace, Method::PUT, "/api/v1/coaching/me", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["fields"][field].is_string(), "{field}: {answer}");
    }
    let mut rude = coach_body(&["SQL"], "UTC", &["Tue 09:00-11:00"], 2);
    rude["bio"] = json!("What a loser you are, nobody asked.");
    let (status, answer) = call(&server, grace, Method::PUT, "/api/v1/coaching/me", rude).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer["fields"]["bio"].is_string());
    let (status, _) = call(
        &server,
        grace,
        Method::GET,
        "/api/v1/coaching/me",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    apply(
        &server,
        grace,
        coach_body(
            &["Public speaking", "COBOL"],
            "UTC",
            &["Tue 09:00-11:00"],
            2,
        ),
    )
    .await;
    let (_, mine) = call(
        &server,
        grace,
        Method::GET,
        "/api/v1/coaching/me",
        Value::Null,
    )
    .await;
    assert_eq!(mine["status"], "pending");

    // A member who facilitates nothing cannot see or decide applications; the application is
    // not public yet.
    let (status, _) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/coaching/applications",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        decide(&server, alan, grace, "approve").await,
        StatusCode::FORBIDDEN
    );
    let grace_coach = format!("/api/v1/coaching/coaches/{}", grace.id);
    let (status, _) = call(&server, alan, Method::GET, &grace_coach, Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&server, &admin, Method::GET, &grace_coach, Value::Null).await;
    assert_eq!(status, StatusCode::OK);
    let (_, found) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/coaching/coaches?q=gra",
        Value::Null,
    )
    .await;
    assert_eq!(found["coaches"], json!([]));

    // Katherine facilitates a space: she may decide.
    let (status, _) = call(
        &server,
        &admin,
        Method::POST,
        "/api/v1/spaces",
        json!({"name": "Speakers Circle", "kind": "community", "visibility": "open"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(
        &server,
        katherine,
        Method::POST,
        "/api/v1/spaces/speakers-circle/membership",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let ada = server
        .app
        .viewer_for_api_token(&admin.token)
        .await
        .unwrap()
        .unwrap();
    server
        .app
        .set_space_role(&ada, "speakers-circle", katherine.id, "facilitator")
        .await
        .unwrap();
    let (status, list) = call(
        &server,
        katherine,
        Method::GET,
        "/api/v1/coaching/applications",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["applications"][0]["display_name"], "Grace Hopper");
    let (status, _) = call(
        &server,
        katherine,
        Method::GET,
        "/api/v1/coaching/applications?after=-1",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, html) = page(&server, katherine, "/coaching/applications").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Approve Grace Hopper"));
    assert_eq!(
        decide(&server, katherine, grace, "approve").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        decide(&server, katherine, grace, "decline").await,
        StatusCode::CONFLICT
    );
    assert!(
        notifications(&server, grace)
            .await
            .iter()
            .any(|t| t.starts_with("Your application to coach was approved"))
    );

    // Approved: found by name and skill, shown on the profile.
    for path in [
        "/api/v1/coaching/coaches?q=gra",
        "/api/v1/coaching/coaches?skill=public%20SPEAKING",
    ] {
        let (_, found) = call(&server, alan, Method::GET, path, Value::Null).await;
        assert_eq!(
            found["coaches"][0]["display_name"], "Grace Hopper",
            "{path}"
        );
    }
    let (_, profile) = page(&server, alan, &format!("/people/{}", grace.id)).await;
    assert!(
        profile.contains("Ask Grace Hopper for coaching"),
        "{profile}"
    );

    // The administrator declines Alan, who is told why and may apply again; nobody decides
    // their own application.
    apply(
        &server,
        alan,
        coach_body(&["Cryptanalysis"], "Europe/London", &["Mon 10:00-12:00"], 3),
    )
    .await;
    assert_eq!(
        decide(&server, &admin, alan, "decline").await,
        StatusCode::NO_CONTENT
    );
    assert!(
        notifications(&server, alan)
            .await
            .iter()
            .any(|t| t == "Your application to coach was not approved: Thanks for offering")
    );
    let (_, mine) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/coaching/me",
        Value::Null,
    )
    .await;
    assert_eq!(mine["status"], "declined");
    apply(
        &server,
        alan,
        coach_body(&["Cryptanalysis"], "Europe/London", &["Mon 10:00-12:00"], 3),
    )
    .await;
    let (_, mine) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/coaching/me",
        Value::Null,
    )
    .await;
    assert_eq!(mine["status"], "pending");
    apply(
        &server,
        katherine,
        coach_body(&["Orbital mechanics"], "UTC", &["Wed 14:00-16:00"], 1),
    )
    .await;
    assert_eq!(
        decide(&server, katherine, katherine, "approve").await,
        StatusCode::FORBIDDEN
    );

    // Pausing stops new requests; resuming opens them again; withdrawing ends coaching.
    let status_path = "/api/v1/coaching/me/status";
    let (_, paused) = call(
        &server,
        grace,
        Method::POST,
        status_path,
        json!({"change": "pause"}),
    )
    .await;
    assert_eq!(paused["status"], "paused");
    let request = json!({"coach_id": grace.id, "topic": "My first talk", "goal": "Speak calmly"});
    let (status, answer) = call(
        &server,
        margaret,
        Method::POST,
        "/api/v1/coaching/requests",
        request.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["error"], "coach_paused");
    let (_, resumed) = call(
        &server,
        grace,
        Method::POST,
        status_path,
        json!({"change": "resume"}),
    )
    .await;
    assert_eq!(resumed["status"], "approved");
    let (status, _) = call(
        &server,
        margaret,
        Method::POST,
        "/api/v1/coaching/requests",
        request,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = call(
        &server,
        grace,
        Method::POST,
        status_path,
        json!({"change": "resume"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, withdrawn) = call(
        &server,
        grace,
        Method::POST,
        status_path,
        json!({"change": "withdraw"}),
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");
    // Margaret's waiting request was closed, and she was told.
    assert!(
        notifications(&server, margaret)
            .await
            .iter()
            .any(|t| t.contains("stopped coaching"))
    );
    let (status, _) = call(&server, alan, Method::GET, &grace_coach, Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A local wall-clock time `days` from now at `hour`:00 in Tokyo (no daylight saving time).
fn tokyo(days: i64, hour: u32) -> String {
    let offset = chrono::FixedOffset::east_opt(9 * 3600).unwrap();
    let day = (Utc::now() + Duration::days(days)).with_timezone(&offset);
    format!("{}T{hour:02}:00", day.format("%Y-%m-%d"))
}

#[tokio::test]
async fn a_learner_finds_a_coach_meets_and_rates_the_session() {
    let server = start().await;
    let (admin, people) = people(
        &server,
        &[
            ("Grace", "Hopper"),
            ("Alan", "Turing"),
            ("Margaret", "Hamilton"),
        ],
    )
    .await;
    let (grace, alan, margaret) = (&people[0], &people[1], &people[2]);
    // Grace: Tuesdays 18:00-20:00 in Tokyo (09:00-11:00 UTC), two sessions a month.
    apply(
        &server,
        grace,
        coach_body(&["Public speaking"], "Asia/Tokyo", &["Tue 18:00-20:00"], 2),
    )
    .await;
    // Alan: public speaking too, but only on Saturdays.
    apply(
        &server,
        alan,
        coach_body(
            &["Public speaking", "Cryptanalysis"],
            "UTC",
            &["Sat 09:00-10:00"],
            2,
        ),
    )
    .await;
    for coach in [grace, alan] {
        assert_eq!(
            decide(&server, &admin, coach, "approve").await,
            StatusCode::NO_CONTENT
        );
    }

    // Margaret can meet on Tuesdays 10:00-12:00 UTC: Grace overlaps an hour, Alan not at all.
    let matches =
        "/api/v1/coaching/matches?skill=public%20speaking&times=Tue%2010:00-12:00&time_zone=UTC";
    let (status, ranked) = call(&server, margaret, Method::GET, matches, Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{ranked}");
    assert_eq!(ranked["coaches"][0]["display_name"], "Grace Hopper");
    assert_eq!(
        ranked["coaches"][0]["reasons"],
        json!([
            "coaches Public speaking",
            "available 1 h a week when you are",
            "2 of 2 sessions left this month",
            "no answers, endorsements or ratings yet"
        ])
    );
    assert!(
        ranked["coaches"][1]["reasons"]
            .as_array()
            .unwrap()
            .contains(&json!("not available at your preferred times"))
    );
    for bad in [
        "/api/v1/coaching/matches?times=Someday",
        "/api/v1/coaching/matches?time_zone=Mars/Olympus",
        "/api/v1/coaching/matches?skill=Underwater%20welding",
    ] {
        let (status, _) = call(&server, margaret, Method::GET, bad, Value::Null).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let (status, _) = call(
        &server,
        margaret,
        Method::GET,
        "/api/v1/coaching/matches?after=x",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, html) = page(
        &server,
        margaret,
        "/coaching/coaches?skill=Public+speaking&times=Tue+10%3A00-12%3A00&time_zone=UTC",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("available 1 h a week when you are"), "{html}");

    // The request: checked, one waiting per coach, never to oneself.
    let requests = "/api/v1/coaching/requests";
    let ask = json!({
        "coach_id": grace.id, "skill": "Public speaking", "topic": "My first conference talk",
        "goal": "Open without notes and handle questions.", "preferred_times": ["Tue 10:00-12:00"], "time_zone": "UTC"
    });
    for (body, field) in [
        (
            json!({"coach_id": grace.id, "topic": "", "goal": "x"}),
            "topic",
        ),
        (
            json!({"coach_id": grace.id, "topic": "Talk", "goal": "What a loser you are, nobody asked."}),
            "goal",
        ),
        (
            json!({"coach_id": grace.id, "topic": "Talk", "goal": "x", "preferred_times": ["Tue 9"]}),
            "preferred_times",
        ),
        (
            json!({"coach_id": grace.id, "topic": "Talk\u{0}", "goal": "x"}),
            "topic",
        ),
    ] {
        let (status, answer) = call(&server, margaret, Method::POST, requests, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["fields"][field].is_string(), "{answer}");
    }
    let (status, _) = call(
        &server,
        grace,
        Method::POST,
        requests,
        json!({"coach_id": grace.id, "topic": "Me", "goal": "Me"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = call(
        &server,
        margaret,
        Method::POST,
        requests,
        json!({"coach_id": margaret.id + 100, "topic": "T", "goal": "G"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, created) = call(&server, margaret, Method::POST, requests, ask.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let request = created["id"].as_i64().unwrap();
    let (status, answer) = call(&server, margaret, Method::POST, requests, ask).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(notifications(&server, grace).await.contains(
        &"Margaret Hamilton asks you for coaching: “My first conference talk”".to_owned()
    ));
    // The notification leads to the request itself.
    let (_, listed) = call(
        &server,
        grace,
        Method::GET,
        "/api/v1/notifications",
        Value::Null,
    )
    .await;
    assert_eq!(
        listed["notifications"][0]["url"],
        format!("/coaching/requests/{request}")
    );

    // Only its learner and its coach see a request — not another coach, not an administrator.
    let request_path = format!("/api/v1/coaching/requests/{request}");
    for (who, expected) in [
        (margaret, StatusCode::OK),
        (grace, StatusCode::OK),
        (alan, StatusCode::NOT_FOUND),
        (&admin, StatusCode::NOT_FOUND),
    ] {
        let (status, _) = call(&server, who, Method::GET, &request_path, Value::Null).await;
        assert_eq!(status, expected);
        let (status, _) = page(&server, who, &format!("/coaching/requests/{request}")).await;
        assert_eq!(status, expected);
    }
    let (_, received) = call(
        &server,
        grace,
        Method::GET,
        "/api/v1/coaching/requests?role=coach",
        Value::Null,
    )
    .await;
    assert_eq!(received["requests"][0]["id"], request);

    // The coach proposes a time; bad times and links are refused; only the coach plans.
    let sessions = format!("{request_path}/sessions");
    let session_at = |days: i64, hour: u32, confirmed: bool| {
        json!({"starts_at": tokyo(days, hour), "time_zone": "Asia/Tokyo", "duration_minutes": 45,
               "video_url": "https://meet.example.org/grace-margaret", "confirmed": confirmed})
    };
    for (change, field) in [
        (json!({"video_url": "javascript:alert(1)"}), "video_url"),
        (
            json!({"video_url": "ftp://files.example.org/x"}),
            "video_url",
        ),
        (json!({"video_url": ""}), "video_url"),
        (json!({"duration_minutes": 5}), "duration_minutes"),
        (json!({"starts_at": tokyo(-2, 10)}), "starts_at"),
        (json!({"starts_at": "soon"}), "starts_at"),
        (json!({"time_zone": "Mars/Olympus"}), "time_zone"),
    ] {
        let mut body = session_at(3, 18, false);
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let (status, answer) = call(&server, grace, Method::POST, &sessions, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["fields"][field].is_string(), "{field}: {answer}");
    }
    let (status, _) = call(
        &server,
        margaret,
        Method::POST,
        &sessions,
        session_at(3, 18, true),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &server,
        alan,
        Method::POST,
        &sessions,
        session_at(3, 18, true),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, created) = call(
        &server,
        grace,
        Method::POST,
        &sessions,
        session_at(3, 18, false),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let session = created["id"].as_i64().unwrap();
    // Capacity: two sessions a month, and a proposed one holds a place.
    let (status, created) = call(
        &server,
        grace,
        Method::POST,
        &sessions,
        session_at(3, 19, true),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let second = created["id"].as_i64().unwrap();
    let (status, answer) = call(
        &server,
        grace,
        Method::POST,
        &sessions,
        session_at(3, 20, true),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["error"], "no_capacity");

    // Either side cancels a session before it starts, once; the other side is told.
    let cancel = format!("/api/v1/coaching/sessions/{second}/cancel");
    let (status, _) = call(&server, alan, Method::POST, &cancel, json!({"note": ""})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &server,
        margaret,
        Method::POST,
        &cancel,
        json!({"note": "I am ill"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&server, grace, Method::POST, &cancel, json!({"note": ""})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(notifications(&server, grace).await.iter().any(|t| {
        t.starts_with("Margaret Hamilton cancelled the session on “My first conference talk”")
            && t.ends_with(": I am ill")
    }));
    assert!(
        notifications(&server, margaret)
            .await
            .iter()
            .any(|t| t.starts_with("Grace Hopper proposed a time for “My first conference talk”"))
    );

    // The learner confirms; the coach cannot confirm for her.
    let session_path = format!("/api/v1/coaching/sessions/{session}");
    let (status, _) = call(
        &server,
        grace,
        Method::POST,
        &format!("{session_path}/answer"),
        json!({"accept": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = call(
        &server,
        margaret,
        Method::POST,
        &format!("{session_path}/answer"),
        json!({"accept": true}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, detail) = call(&server, margaret, Method::GET, &request_path, Value::Null).await;
    assert_eq!(detail["request"]["status"], "active");
    assert_eq!(detail["sessions"][0]["status"], "scheduled");
    assert_eq!(
        detail["sessions"][0]["video_url"],
        "https://meet.example.org/grace-margaret"
    );

    // The calendar file, for both sides only.
    for path in [
        format!("/coaching/sessions/{session}/calendar.ics"),
        format!("{session_path}/calendar.ics"),
    ] {
        let response = server
            .api(&margaret.token, Method::GET, &path, Value::Null)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let ics = response.text().await.unwrap();
        assert!(ics.contains("BEGIN:VEVENT"), "{ics}");
        assert!(
            ics.contains("Coaching: My first conference talk (with Grace Hopper)"),
            "{ics}"
        );
        assert!(
            ics.contains("https://meet.example.org/grace-margaret"),
            "{ics}"
        );
        let response = server
            .api(&alan.token, Method::GET, &path, Value::Null)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }

    // Private notes: each side reads its own, nobody else reads any.
    let note_path = format!("{session_path}/note");
    for (who, text) in [
        (grace, "COACH-NOTE: nervous about questions"),
        (margaret, "LEARNER-NOTE: bring the slides"),
    ] {
        let (status, _) = call(&server, who, Method::PUT, &note_path, json!({"body": text})).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (_, own) = call(&server, grace, Method::GET, &note_path, Value::Null).await;
    assert_eq!(own["body"], "COACH-NOTE: nervous about questions");
    let (_, own) = call(&server, margaret, Method::GET, &note_path, Value::Null).await;
    assert_eq!(own["body"], "LEARNER-NOTE: bring the slides");
    for who in [alan, &admin] {
        let (status, _) = call(&server, who, Method::GET, &note_path, Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = call(
            &server,
            who,
            Method::PUT,
            &note_path,
            json!({"body": "mine now"}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (_, coach_page) = page(&server, grace, &format!("/coaching/requests/{request}")).await;
    let (_, learner_page) = page(&server, margaret, &format!("/coaching/requests/{request}")).await;
    assert!(coach_page.contains("COACH-NOTE") && !coach_page.contains("LEARNER-NOTE"));
    assert!(learner_page.contains("LEARNER-NOTE") && !learner_page.contains("COACH-NOTE"));
    let (_, detail) = call(&server, margaret, Method::GET, &request_path, Value::Null).await;
    assert!(!detail.to_string().contains("NOTE"), "{detail}");

    // Rated only after it ends: the coach records a session they had last week (sessions
    // agreed elsewhere are recorded within 30 days), and the learner rates it — once, with a
    // checked comment.
    let good = json!({"helped": true, "rating": 5, "comment": "Very practical advice"});
    let (status, answer) = call(
        &server,
        margaret,
        Method::POST,
        &format!("{session_path}/outcome"),
        good.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let (status, answer) = call(
        &server,
        grace,
        Method::POST,
        &sessions,
        session_at(-40, 10, true),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, created) = call(
        &server,
        grace,
        Method::POST,
        &sessions,
        session_at(-2, 10, true),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let outcome = format!(
        "/api/v1/coaching/sessions/{}/outcome",
        created["id"].as_i64().unwrap()
    );
    assert!(notifications(&server, margaret).await.iter().any(|t| {
        t.starts_with("Grace Hopper recorded your coaching session")
            && t.ends_with("you can rate it now")
    }));
    for (body, field) in [
        (json!({"helped": true, "rating": 6}), "rating"),
        (
            json!({"helped": false, "rating": 2, "comment": "What a loser you are, nobody asked."}),
            "comment",
        ),
    ] {
        let (status, answer) = call(&server, margaret, Method::POST, &outcome, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["fields"][field].is_string(), "{answer}");
    }
    let (status, _) = call(&server, grace, Method::POST, &outcome, good.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&server, margaret, Method::POST, &outcome, good.clone()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(&server, margaret, Method::POST, &outcome, good).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        notifications(&server, grace)
            .await
            .iter()
            .any(|t| t == "Margaret Hamilton rated your session on “My first conference talk”: 5 of 5, it helped")
    );
    let (_, coach) = call(
        &server,
        alan,
        Method::GET,
        &format!("/api/v1/coaching/coaches/{}", grace.id),
        Value::Null,
    )
    .await;
    assert_eq!(coach["rating"], "5.0 from 1 rating; 1 said it helped");
    let (_, knows) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/knows?skill=public%20speaking",
        Value::Null,
    )
    .await;
    let grace_entry = knows["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == grace.id)
        .unwrap()
        .clone();
    assert_eq!(
        grace_entry["reasons"],
        json!([
            "coaches Public speaking",
            "rated 5.0 by 1 coaching learner; 1 said it helped"
        ])
    );

    // The learner's home lists the request; withdrawing closes it for good.
    let (status, home) = page(&server, margaret, "/coaching").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("My first conference talk"));
    let (status, _) = call(
        &server,
        grace,
        Method::POST,
        &format!("{request_path}/withdraw"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &server,
        margaret,
        Method::POST,
        &format!("{request_path}/withdraw"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, answer) = call(
        &server,
        grace,
        Method::POST,
        &sessions,
        session_at(5, 18, true),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");

    // A coach declines with a note; the learner is told.
    let (status, created) = call(
        &server,
        alan,
        Method::POST,
        requests,
        json!({"coach_id": grace.id, "topic": "Keynote nerves", "goal": "Stay calm on stage"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let declined = created["id"].as_i64().unwrap();
    let (status, _) = call(
        &server,
        alan,
        Method::POST,
        &format!("/api/v1/coaching/requests/{declined}/decline"),
        json!({"note": "no"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &server,
        grace,
        Method::POST,
        &format!("/api/v1/coaching/requests/{declined}/decline"),
        json!({"note": "I am full this month; try Katherine."}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        notifications(&server, alan)
            .await
            .contains(&"Grace Hopper declined your request “Keynote nerves”: I am full this month; try Katherine.".to_owned())
    );
}
