//! Profiles, the people directory and professional names over HTTP: what a profile may say, the
//! shared skills vocabulary, finding people, and name changes by request with their history.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::people::{call, people};
use support::start;

#[tokio::test]
async fn profiles_say_what_people_can_help_with_and_the_directory_finds_them() {
    let server = start().await;
    let (_admin, people) = people(&server, &[("Grace", "Hopper"), ("Alan", "Turing")]).await;
    let (grace, alan) = (&people[0], &people[1]);

    let (status, body) = call(
        &server,
        grace,
        Method::PUT,
        "/api/v1/me/profile",
        json!({
            "title": "Staff engineer", "department": "Platform", "location": "Arlington",
            "time_zone": "America/New_York", "bio": "I like *compilers*.",
            "languages": ["English", "english", "Spanish"], "interests": ["Sailing"],
            "skills": ["COBOL", "Public speaking"]
        }),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // Alan's "cobol" joins Grace's skill: one shared vocabulary, whatever the case.
    let (status, _) = call(&server, alan, Method::PUT, "/api/v1/me/profile",
        json!({"department": "Research", "location": "Bletchley", "skills": ["cobol", "Cryptanalysis"]})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let (status, profile) = call(
        &server,
        alan,
        Method::GET,
        &format!("/api/v1/people/{}", grace.id),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    assert_eq!(profile["title"], "Staff engineer");
    assert_eq!(profile["languages"], json!(["English", "Spanish"]));
    assert_eq!(profile["skills"], json!(["COBOL", "Public speaking"]));
    assert_eq!(profile["verified"], false);
    let (_, alan_profile) = call(
        &server,
        alan,
        Method::GET,
        &format!("/api/v1/people/{}", alan.id),
        Value::Null,
    )
    .await;
    assert_eq!(alan_profile["skills"], json!(["COBOL", "Cryptanalysis"]));

    // Autocomplete: most used first.
    let (_, skills) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/skills?q=c",
        Value::Null,
    )
    .await;
    assert_eq!(skills, json!(["COBOL", "Cryptanalysis"]));

    // The directory: by skill, department, location and name.
    let names = |v: &Value| -> Vec<String> {
        v["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["display_name"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, by_skill) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/directory?skill=cobol",
        Value::Null,
    )
    .await;
    assert_eq!(names(&by_skill), ["Alan Turing", "Grace Hopper"]);
    let (_, by_department) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/directory?department=platform",
        Value::Null,
    )
    .await;
    assert_eq!(names(&by_department), ["Grace Hopper"]);
    let (_, by_location) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/directory?location=Bletchley",
        Value::Null,
    )
    .await;
    assert_eq!(names(&by_location), ["Alan Turing"]);
    let (_, by_name) = call(
        &server,
        alan,
        Method::GET,
        "/api/v1/directory?q=hop",
        Value::Null,
    )
    .await;
    assert_eq!(names(&by_name), ["Grace Hopper"]);

    // Control characters (PostgreSQL refuses NUL) are a clear 400, never a server error.
    for path in [
        "/api/v1/directory?q=a%00b",
        "/api/v1/directory?skill=%1F",
        "/api/v1/skills?q=%00",
    ] {
        let (status, answer) = call(&server, alan, Method::GET, path, Value::Null).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {answer}");
    }

    // The pages show the same.
    let page = server
        .api(&alan.token, Method::GET, "/people?skill=COBOL", Value::Null)
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);

    // Bad input changes nothing.
    for (body, field) in [
        (json!({"time_zone": "Mars/Olympus"}), "time_zone"),
        (json!({"skills": ["a,b"]}), "skills"),
        (json!({"title": "x".repeat(101)}), "title"),
        (json!({"bio": "What a loser you are, nobody asked."}), "bio"),
    ] {
        let (status, answer) = call(&server, grace, Method::PUT, "/api/v1/me/profile", body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["fields"][field].is_string(), "{answer}");
    }
    let (_, unchanged) = call(
        &server,
        alan,
        Method::GET,
        &format!("/api/v1/people/{}", grace.id),
        Value::Null,
    )
    .await;
    assert_eq!(unchanged["title"], "Staff engineer");
}

#[tokio::test]
async fn names_change_by_request_and_the_history_remembers() {
    let server = start().await;
    let (admin, people) = people(
        &server,
        &[
            ("Margaret", "Hamilton"),
            ("Hannah", "Schmidt"),
            ("Jonas", "Lindqvist"),
        ],
    )
    .await;
    let (margaret, hannah, jonas) = (&people[0], &people[1], &people[2]);
    for (person, role) in [(hannah, "moderator"), (jonas, "hr")] {
        let (status, body) = call(
            &server,
            &admin,
            Method::PUT,
            &format!("/api/v1/admin/people/{}/roles", person.id),
            json!({"roles": [role]}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    // Not a name, not professional, no reason: refused.
    for (body, field) in [
        (
            json!({"given_name": "M4rgaret", "family_name": "Hamilton", "reason": "typo"}),
            "given_name",
        ),
        (
            json!({"given_name": "Margaret", "family_name": "Hamilton", "preferred_given_name": "@maggie", "reason": "x"}),
            "preferred_given_name",
        ),
        (
            json!({"given_name": "Margaret", "family_name": "Hamilton", "reason": ""}),
            "reason",
        ),
    ] {
        let (status, answer) = call(
            &server,
            margaret,
            Method::POST,
            "/api/v1/me/name-requests",
            body,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer["fields"][field].is_string(), "{answer}");
    }

    let request = json!({"given_name": "Margaret", "family_name": "Hamilton", "preferred_given_name": "Maggie",
        "reason": "Everyone calls me Maggie"});
    let (status, created) = call(
        &server,
        margaret,
        Method::POST,
        "/api/v1/me/name-requests",
        request.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = call(
        &server,
        margaret,
        Method::POST,
        "/api/v1/me/name-requests",
        request,
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "one open request at a time");

    // Members do not decide; moderators and HR do, never their own.
    let (status, _) = call(
        &server,
        margaret,
        Method::GET,
        "/api/v1/name-requests",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, open) = call(
        &server,
        hannah,
        Method::GET,
        "/api/v1/name-requests",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(open[0]["requested_name"], "Maggie Hamilton", "{open}");
    let id = created["id"].as_i64().unwrap();
    let (status, _) = call(
        &server,
        hannah,
        Method::POST,
        &format!("/api/v1/name-requests/{id}"),
        json!({"decision": "approve"}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = call(
        &server,
        jonas,
        Method::POST,
        &format!("/api/v1/name-requests/{id}"),
        json!({"decision": "decline"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "decided already");

    // The new name shows everywhere: the profile, the API's "me", the directory.
    let (_, me) = call(&server, margaret, Method::GET, "/api/v1/me", Value::Null).await;
    assert_eq!(me["display_name"], "Maggie Hamilton", "{me}");
    let (_, found) = call(
        &server,
        hannah,
        Method::GET,
        "/api/v1/directory?q=maggie",
        Value::Null,
    )
    .await;
    assert_eq!(found["people"][0]["id"], margaret.id);
    server.deliver_effects().await;
    let (_, notifications) = call(
        &server,
        margaret,
        Method::GET,
        "/api/v1/notifications",
        Value::Null,
    )
    .await;
    assert!(
        notifications
            .to_string()
            .contains("Your name is now Maggie Hamilton"),
        "{notifications}"
    );

    // The history: searchable by admins and HR, by old or new name; not by others.
    for who in [&admin, jonas] {
        let (status, history) = call(
            &server,
            who,
            Method::GET,
            "/api/v1/name-history?q=margaret",
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(history[0]["old_name"], "Margaret Hamilton", "{history}");
        assert_eq!(history[0]["new_name"], "Maggie Hamilton");
        assert_eq!(history[0]["reason"], "Everyone calls me Maggie");
    }
    for who in [margaret, hannah] {
        let (status, _) = call(
            &server,
            who,
            Method::GET,
            "/api/v1/name-history",
            Value::Null,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    // The audit log tells administrators about sign-ins, roles, names and tokens; nobody else.
    server.deliver_effects().await;
    let (status, audit) = call(
        &server,
        &admin,
        Method::GET,
        "/api/v1/admin/audit",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    for action in [
        "name.changed",
        "roles.set",
        "session.started",
        "api_token.created",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    let (status, _) = call(
        &server,
        jonas,
        Method::GET,
        "/api/v1/admin/audit",
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
