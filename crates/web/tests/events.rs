//! Events over HTTP: planning, RSVPs within capacity, attendance, calendar files read back by real
//! parsers, and the follow-up prompts the outbox posts after the event.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use chrono::{Duration, Utc};
use reqwest::{Client, StatusCode};
use support::{TestServer, browser, start};

async fn plan(
    server: &TestServer,
    facilitator: &Client,
    space: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![
        ("title", "Feedback workshop"),
        ("location", "Room 4.2"),
        ("video_url", ""),
        ("capacity", "1"),
        ("description", "Bring *one* example."),
        ("time_zone", "Europe/Berlin"),
    ];
    for (key, value) in fields {
        form.retain(|(k, _)| k != key);
        form.push((key, value));
    }
    server
        .post_form(
            facilitator,
            &format!("{space}/events"),
            &format!("{space}/events"),
            &form,
        )
        .await
}

/// Checks an iCalendar file with Python's `icalendar` package when `./test.sh` provides it.
fn python_reads(ics: &str) -> Option<String> {
    let python = std::env::var("GUILDHALL_ICAL_PYTHON")
        .ok()
        .filter(|p| std::path::Path::new(p).exists())?;
    let file = std::env::temp_dir().join(format!(
        "guildhall-{}-{}.ics",
        std::process::id(),
        Utc::now().timestamp_micros()
    ));
    std::fs::write(&file, ics).unwrap();
    let script = "import sys, icalendar\ncal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
                  for e in cal.walk('VEVENT'):\n    print(e['SUMMARY'], e.decoded('DTSTART').isoformat(), e['UID'])";
    let output = std::process::Command::new(python)
        .args(["-c", script, file.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    assert!(
        output.status.success(),
        "icalendar refused the file: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).unwrap())
}

#[tokio::test]
async fn events_take_rsvps_mark_attendance_and_give_calendars() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let space = server
        .post_form(
            &admin,
            "/spaces",
            "/spaces",
            &[
                ("name", "Leaders"),
                ("kind", "cohort"),
                ("visibility", "invite_only"),
                ("description", ""),
                ("rules", ""),
            ],
        )
        .await
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let (grace, alan) = (browser(), browser());
    for (client, given, family, email) in [
        (&grace, "Grace", "Hopper", "grace@example.org"),
        (&alan, "Alan", "Turing", "alan@example.org"),
    ] {
        server.sign_up(client, given, family, email).await;
    }
    for email in ["grace@example.org", "alan@example.org"] {
        server
            .post_form(
                &admin,
                &format!("{space}/members"),
                &format!("{space}/invite"),
                &[("email", email)],
            )
            .await;
    }
    server
        .post_form(&grace, &space, &format!("{space}/join"), &[])
        .await;

    // Bad input is explained and nothing is planned.
    let wrong = plan(
        &server,
        &admin,
        &space,
        &[
            ("starts_at", "2027-03-04T11:00"),
            ("ends_at", "2027-03-04T09:00"),
            ("time_zone", "Mars/Olympus"),
        ],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("Choose a time zone"), "{html}");
    let by_member = plan(
        &server,
        &grace,
        &space,
        &[
            ("starts_at", "2027-03-04T09:30"),
            ("ends_at", "2027-03-04T11:00"),
        ],
    )
    .await;
    assert_eq!(by_member.status(), StatusCode::FORBIDDEN);

    let created = plan(
        &server,
        &admin,
        &space,
        &[
            ("starts_at", "2027-03-04T09:30"),
            ("ends_at", "2027-03-04T11:00"),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let event = created.headers()["location"].to_str().unwrap().to_owned();
    let page = grace
        .get(server.url(&event))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Thu 4 Mar 2027, 09:30–11:00 (Europe/Berlin)")
            && page.contains("<em>one</em>"),
        "{page}"
    );

    // One seat: Grace takes it; Alan (after joining) finds it full.
    assert_eq!(
        server
            .post_form(
                &grace,
                &event,
                &format!("{event}/rsvp"),
                &[("going", "true")]
            )
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    server
        .post_form(&alan, &space, &format!("{space}/join"), &[])
        .await;
    let full = server
        .post_form(
            &alan,
            &event,
            &format!("{event}/rsvp"),
            &[("going", "true")],
        )
        .await;
    assert_eq!(full.status(), StatusCode::CONFLICT);
    assert!(full.text().await.unwrap().contains("This event is full."));

    // Attendance is the facilitator's.
    let grace_id = guildhall_store::people::user_by_email(server.app.db(), "grace@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        server
            .post_form(
                &alan,
                &event,
                &format!("{event}/attendance/{grace_id}"),
                &[("attended", "true")]
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server
            .post_form(
                &admin,
                &event,
                &format!("{event}/attendance/{grace_id}"),
                &[("attended", "true")]
            )
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let page = admin
        .get(server.url(&event))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Grace Hopper — coming, <strong>attended</strong>"),
        "{page}"
    );

    // The calendar file: our own parser, and Python's icalendar when ./test.sh runs.
    let response = grace
        .get(server.url(&format!("{space}/events.ics")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let ics = response.text().await.unwrap();
    let parsed: icalendar::Calendar = ics.parse().unwrap();
    assert_eq!(parsed.components.len(), 1);
    assert!(
        ics.contains("SUMMARY:Feedback workshop") && ics.contains("DTSTART:20270304T083000Z"),
        "{ics}"
    );
    if let Some(read) = python_reads(&ics) {
        assert!(
            read.starts_with("Feedback workshop 2027-03-04T08:30:00+00:00 event-"),
            "{read}"
        );
    }
    let mine = grace
        .get(server.url("/me/events.ics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("SUMMARY:Feedback workshop"));
    // Calendar apps use a private link instead of a cookie.
    let html = server
        .post_form(&grace, "/me", "/me/calendar-link", &[])
        .await
        .text()
        .await
        .unwrap();
    let start = html
        .find("/me/events.ics?token=")
        .expect("calendar link shown");
    let link = html[start..start + html[start..].find('<').unwrap()].to_owned();
    let app = reqwest::Client::new();
    let feed = app.get(server.url(&link)).send().await.unwrap();
    assert_eq!(feed.status(), StatusCode::OK);
    assert!(
        feed.text()
            .await
            .unwrap()
            .contains("SUMMARY:Feedback workshop")
    );
    assert_eq!(
        app.get(server.url("/me/events.ics?token=gh_wrong"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(server.url("/me/events.ics"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let outsider = browser();
    server
        .sign_up(&outsider, "Eve", "Outside", "eve@example.org")
        .await;
    assert_eq!(
        outsider
            .get(server.url(&format!("{space}/events.ics")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert!(
        !outsider
            .get(server.url("/me/events.ics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .contains("Feedback")
    );
}

#[tokio::test]
async fn follow_up_prompts_are_posted_after_the_event() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let space = server
        .post_form(
            &admin,
            "/spaces",
            "/spaces",
            &[
                ("name", "Speakers"),
                ("kind", "event"),
                ("visibility", "open"),
                ("description", ""),
                ("rules", ""),
            ],
        )
        .await
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    // An event that ended two days ago: the one-day prompt is due, the others are not.
    let start_at = (Utc::now() - Duration::days(2) - Duration::hours(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let end_at = (Utc::now() - Duration::days(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let created = plan(
        &server,
        &admin,
        &space,
        &[
            ("starts_at", &start_at),
            ("ends_at", &end_at),
            ("time_zone", "UTC"),
            ("title", "Storytelling"),
        ],
    )
    .await;
    let event = created.headers()["location"].to_str().unwrap().to_owned();

    let page = admin
        .get(server.url(&event))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let first = page
        .split("/prompts/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let second = page
        .split("/prompts/")
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let edited = server
        .post_form(
            &admin,
            &event,
            &format!("{event}/prompts/{second}"),
            &[("body", "A week on: what did you try?")],
        )
        .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);

    server.deliver_effects().await;
    let feed = admin
        .get(server.url(&space))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(feed.contains("The day after “Storytelling”"), "{feed}");
    assert!(!feed.contains("7 days after"), "not due yet");
    let page = admin
        .get(server.url(&event))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Posted"));
    let too_late = server
        .post_form(
            &admin,
            &event,
            &format!("{event}/prompts/{first}"),
            &[("body", "changed")],
        )
        .await;
    assert_eq!(
        too_late.status(),
        StatusCode::CONFLICT,
        "a posted prompt cannot change"
    );
    server.deliver_effects().await;
    let feed = admin
        .get(server.url(&space))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(feed.matches("The day after").count(), 1, "posted once");
}
