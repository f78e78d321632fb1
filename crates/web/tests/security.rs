//! CSRF, security headers, cookies, rate limits and authorisation by role.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use guildhall_app::Settings;
use reqwest::StatusCode;
use support::{PASSWORD, browser, start, start_with};

#[tokio::test]
async fn state_changes_without_the_csrf_token_are_refused_and_change_nothing() {
    let server = start().await;
    let client = browser();
    // A cookie exists, but the form does not carry the token.
    client.get(server.url("/setup")).send().await.unwrap();
    let forged = client
        .post(server.url("/setup"))
        .form(&[
            ("given_name", "Eve"),
            ("family_name", "Mallory"),
            ("email", "eve@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(
        forged
            .text()
            .await
            .unwrap()
            .contains("This form has expired")
    );
    let wrong = client
        .post(server.url("/setup"))
        .form(&[
            ("_csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            ("given_name", "Eve"),
            ("family_name", "Mallory"),
            ("email", "eve@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    // A fresh visitor with no cookie at all.
    let fresh = browser()
        .post(server.url("/setup"))
        .form(&[
            ("_csrf", "x"),
            ("given_name", "Eve"),
            ("family_name", "Mallory"),
            ("email", "eve@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(fresh.status(), StatusCode::FORBIDDEN);
    assert_eq!(server.user_count().await, 0);

    // The same token from a cross-site context is refused too.
    let token = server.csrf(&client, "/setup").await;
    let cross = client
        .post(server.url("/setup"))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("_csrf", token.as_str()),
            ("given_name", "Eve"),
            ("family_name", "Mallory"),
            ("email", "eve@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    assert_eq!(server.user_count().await, 0);

    // API calls with the session cookie need the token in a header.
    server.set_up_admin(&client).await;
    let api = client
        .post(server.url("/api/v1/me/tokens"))
        .json(&serde_json::json!({"name": "x", "scopes": ["read"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"], "csrf_failed");
    let token = server.csrf(&client, "/me").await;
    let api = client
        .post(server.url("/api/v1/me/tokens"))
        .header("x-csrf-token", token)
        .json(&serde_json::json!({"name": "x", "scopes": ["read"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_cookies_are_guarded() {
    let server = start().await;
    let client = browser();
    for path in [
        "/setup",
        "/static/guildhall.css",
        "/nope",
        "/api/v1/openapi.json",
    ] {
        let response = client.get(server.url(path)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(
            headers["referrer-policy"],
            "strict-origin-when-cross-origin"
        );
        assert!(
            headers.get("strict-transport-security").is_none(),
            "no HSTS over plain HTTP"
        );
    }
    let setup = browser().get(server.url("/setup")).send().await.unwrap();
    let cookie = setup.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    server.set_up_admin(&browser()).await;
    let signed_in = server
        .sign_in(&browser(), "ada@example.org", PASSWORD)
        .await;
    let session = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("gh_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
            && !session.contains("Secure"),
        "{session}"
    );

    let mut tls = Settings::default();
    tls.server.public_url = "https://guild.example.org".into();
    let secure = start_with(tls).await;
    let response = browser().get(secure.url("/setup")).send().await.unwrap();
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("__Host-gh_csrf=") && cookie.contains("Secure"),
        "{cookie}"
    );
}

#[tokio::test]
async fn repeated_sign_in_attempts_are_slowed_with_a_clear_message() {
    let server = start().await;
    server.set_up_admin(&browser()).await;
    let attacker = browser();
    for _ in 0..5 {
        assert_eq!(
            server
                .sign_in(&attacker, "ada@example.org", "guess-guess-guess")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = server.sign_in(&attacker, "ada@example.org", PASSWORD).await;
    assert_eq!(
        limited.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(limited.headers().contains_key("retry-after"));
    assert!(
        limited
            .text()
            .await
            .unwrap()
            .contains("Too many attempts. Please wait")
    );
}

#[tokio::test]
async fn roles_are_enforced_on_pages_and_api() {
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
    let member = browser();
    server
        .sign_up(&member, "Grace", "Hopper", "grace@example.org")
        .await;

    assert_eq!(
        member
            .get(server.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let forbidden = server
        .post_form(
            &member,
            "/me",
            "/admin/signup-policy",
            &[("mode", "open"), ("allowed_domains", "")],
        )
        .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let api = member
        .get(server.url("/api/v1/admin/people"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"], "role_required");

    // Grant the member the admin role; now they may.
    let people: serde_json::Value = admin
        .get(server.url("/api/v1/admin/people"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let grace = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["email"] == "grace@example.org")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let granted = server
        .post_form(
            &admin,
            "/admin",
            &format!("/admin/people/{grace}/roles"),
            &[("roles", "admin"), ("roles", "coach")],
        )
        .await;
    assert_eq!(granted.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        member
            .get(server.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // The last administrator cannot be removed.
    let ada = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["email"] == "ada@example.org")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    server
        .post_form(
            &admin,
            "/admin",
            &format!("/admin/people/{grace}/roles"),
            &[("roles", "coach")],
        )
        .await;
    let last = server
        .post_form(
            &admin,
            "/admin",
            &format!("/admin/people/{ada}/roles"),
            &[("roles", "hr")],
        )
        .await;
    assert_eq!(last.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        last.text()
            .await
            .unwrap()
            .contains("at least one administrator")
    );
    assert_eq!(
        admin
            .get(server.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_pages_are_friendly_and_unknown_api_paths_are_json() {
    let server = start().await;
    server.set_up_admin(&browser()).await;
    let page = browser()
        .get(server.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("Page not found"));
    let api = browser()
        .get(server.url("/api/v1/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    assert!(body["fields"].is_object());
}
