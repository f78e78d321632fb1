//! First run, sign-up policies, invitations, sign-in and sign-out, over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::StatusCode;
use support::{PASSWORD, browser, start};

#[tokio::test]
async fn first_run_creates_the_admin_then_setup_closes() {
    let server = start().await;
    let client = browser();
    let home = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(home.headers()["location"], "/setup");
    assert_eq!(
        client
            .get(server.url("/signin"))
            .send()
            .await
            .unwrap()
            .headers()["location"],
        "/setup"
    );

    server.set_up_admin(&client).await;
    let home = client
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("Community home") && home.contains("Ada Lovelace"),
        "{home}"
    );
    assert!(home.contains("Administration"));

    // Setup is over: the page sends people to sign in and a second admin cannot be made there.
    let stranger = browser();
    assert_eq!(
        stranger
            .get(server.url("/setup"))
            .send()
            .await
            .unwrap()
            .headers()["location"],
        "/signin"
    );
    let again = server
        .post_form(
            &stranger,
            "/signin",
            "/setup",
            &[
                ("given_name", "Eve"),
                ("family_name", "Mallory"),
                ("email", "eve@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "{:?}",
        again.headers()
    );
    assert!(again.text().await.unwrap().contains("already set up"));
    assert_eq!(server.user_count().await, 1);
}

#[tokio::test]
async fn sign_out_then_sign_in_with_the_right_password_only() {
    let server = start().await;
    let client = browser();
    server.set_up_admin(&client).await;
    let out = server.post_form(&client, "/", "/signout", &[]).await;
    assert_eq!(out.headers()["location"], "/signin");
    assert_eq!(
        client.get(server.url("/")).send().await.unwrap().headers()["location"],
        "/signin"
    );

    let wrong = server
        .sign_in(&client, "ada@example.org", "not-the-password")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let html = wrong.text().await.unwrap();
    assert!(
        html.contains("role=\"alert\"") && html.contains("The email or password is not right."),
        "{html}"
    );
    let unknown = server
        .sign_in(&client, "nobody@example.org", PASSWORD)
        .await;
    assert_eq!(
        unknown.status(),
        StatusCode::UNAUTHORIZED,
        "same answer for an unknown email"
    );

    let right = server.sign_in(&client, "ADA@example.org ", PASSWORD).await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    assert_eq!(right.headers()["location"], "/");
    assert_eq!(
        client.get(server.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn sign_in_returns_to_a_local_page_only() {
    let server = start().await;
    let client = browser();
    server.set_up_admin(&client).await;
    server.post_form(&client, "/", "/signout", &[]).await;
    let to_me = client.get(server.url("/me")).send().await.unwrap();
    assert_eq!(to_me.headers()["location"], "/signin?next=%2Fme");
    let token = server.csrf(&client, "/signin?next=/me").await;
    let response = client
        .post(server.url("/signin"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
            ("next", "/me"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/me");
    server.post_form(&client, "/", "/signout", &[]).await;
    let token = server.csrf(&client, "/signin").await;
    let response = client
        .post(server.url("/signin"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn sign_up_follows_the_domain_policy_set_at_setup() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;

    let outsider = browser();
    let refused = server
        .sign_up(&outsider, "Eve", "Outsider", "eve@elsewhere.net")
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Sign up with your work email address.")
    );
    assert_eq!(server.user_count().await, 1);

    let colleague = browser();
    let welcomed = server
        .sign_up(&colleague, "Grace", "Hopper", "grace@example.org")
        .await;
    assert_eq!(welcomed.status(), StatusCode::SEE_OTHER);
    let home = colleague
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Grace Hopper") && !home.contains("Open administration"));

    let twice = server
        .sign_up(&browser(), "Grace", "Again", "Grace@Example.org")
        .await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice
            .text()
            .await
            .unwrap()
            .contains("An account with this email address already exists.")
    );
    assert_eq!(server.user_count().await, 2);
}

#[tokio::test]
async fn names_must_be_professional_names() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    server
        .post_form(
            &admin,
            "/admin",
            "/admin/signup-policy",
            &[("mode", "open"), ("allowed_domains", "")],
        )
        .await;
    for (given, family, message) in [
        ("R2D2", "Droid", "A name cannot contain digits."),
        ("@grace", "Hopper", "Use your real name, not a handle."),
        ("Shit", "Head", "Please use your professional name."),
    ] {
        let response = server
            .sign_up(&browser(), given, family, "someone@example.org")
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{given} {family}: {html}");
        assert!(html.contains("aria-invalid=\"true\""));
    }
    assert_eq!(server.user_count().await, 1);
}

#[tokio::test]
async fn invitation_links_admit_one_person_when_sign_up_is_closed() {
    let server = start().await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let saved = server
        .post_form(
            &admin,
            "/admin",
            "/admin/signup-policy",
            &[("mode", "invitation"), ("allowed_domains", "")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let signin = browser()
        .get(server.url("/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !signin.contains("Create an account"),
        "no sign-up link while sign-up is closed"
    );
    assert_eq!(
        server
            .sign_up(&browser(), "Alan", "Turing", "alan@example.org")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let html = server
        .post_form(
            &admin,
            "/admin",
            "/admin/invitations",
            &[("email", "alan@elsewhere.net")],
        )
        .await
        .text()
        .await
        .unwrap();
    let start = html.find("/join/").expect("invitation link shown");
    let path = html[start..start + html[start..].find('<').unwrap()].to_owned();

    let wrong_person = browser();
    let refused = server
        .post_form(
            &wrong_person,
            &path,
            &path,
            &[
                ("given_name", "Eve"),
                ("family_name", "Mallory"),
                ("email", "eve@elsewhere.net"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let alan = browser();
    let form = alan
        .get(server.url(&path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("value=\"alan@elsewhere.net\""),
        "the invited address is filled in"
    );
    let joined = server
        .post_form(
            &alan,
            &path,
            &path,
            &[
                ("given_name", "Alan"),
                ("family_name", "Turing"),
                ("email", "alan@elsewhere.net"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(joined.status(), StatusCode::SEE_OTHER);
    assert_eq!(server.user_count().await, 2);

    let reuse = browser().get(server.url(&path)).send().await.unwrap();
    assert_eq!(
        reuse.status(),
        StatusCode::FORBIDDEN,
        "an invitation works once"
    );
}

#[tokio::test]
async fn sessions_are_listed_and_revoked() {
    let server = start().await;
    let laptop = browser();
    server.set_up_admin(&laptop).await;
    let phone = browser();
    assert_eq!(
        server
            .sign_in(&phone, "ada@example.org", PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let page = laptop
        .get(server.url("/me"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        page.matches("/revoke\"").count(),
        1,
        "one other session can be revoked: {page}"
    );
    let start = page.find("/me/sessions/").unwrap();
    let action = page[start..start + page[start..].find('"').unwrap()].to_owned();
    assert_eq!(
        server
            .post_form(&laptop, "/me", &action, &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        phone.get(server.url("/")).send().await.unwrap().headers()["location"],
        "/signin",
        "phone signed out"
    );
    assert_eq!(
        laptop.get(server.url("/")).send().await.unwrap().status(),
        StatusCode::OK,
        "laptop still in"
    );

    let everywhere = server
        .post_form(&laptop, "/me", "/me/sessions/revoke-all", &[])
        .await;
    assert_eq!(everywhere.headers()["location"], "/signin");
    assert_eq!(
        laptop.get(server.url("/")).send().await.unwrap().headers()["location"],
        "/signin"
    );
}
