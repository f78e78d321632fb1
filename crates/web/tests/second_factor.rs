//! Two-factor authentication over HTTP: administrators need it before their role works; setting
//! it up with an authenticator app; signing in with a code, a recovery code, never a replayed
//! code; turning it off.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use guildhall_app::Settings;
use guildhall_domain::people::second_factor::code_at;
use reqwest::StatusCode;
use support::{browser, start_with_second_factor};

/// The key shown for typing ("ABCD EFGH …") back to bytes, as an authenticator app does.
fn secret_from_page(html: &str) -> Vec<u8> {
    let start = html.find("<code class=\"secret\">").unwrap() + "<code class=\"secret\">".len();
    let end = start + html[start..].find("</code>").unwrap();
    let typed: String = html[start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    base32_decode(&typed)
}

fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.chars().filter(|c| *c != '=') {
        bits = (bits << 5) | ALPHABET.find(c).unwrap() as u64;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap()
}

#[tokio::test]
async fn administrators_turn_on_two_factor_and_sign_in_with_codes() {
    let server = start_with_second_factor(Settings::default()).await;
    let ada = browser();
    server.set_up_admin(&ada).await;

    // The role is dormant until the second factor: the admin page says how to wake it.
    let page = ada.get(server.url("/admin")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(page.text().await.unwrap().contains("/me/2fa"));

    // Set up: scan (read the key), confirm with a code, receive recovery codes.
    let html = server
        .post_form(&ada, "/me/2fa", "/me/2fa/start", &[])
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<svg"), "a QR code is drawn");
    let secret = secret_from_page(&html);
    let wrong = server
        .post_form(&ada, "/me/2fa", "/me/2fa/confirm", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The same key is shown again with the reason by the field, not a fresh start.
    let again = wrong.text().await.unwrap();
    assert!(again.contains("id=\"code-error\""), "{again}");
    assert_eq!(secret_from_page(&again), secret);
    let code = code_at(&secret, now());
    let html = server
        .post_form(&ada, "/me/2fa", "/me/2fa/confirm", &[("code", &code)])
        .await
        .text()
        .await
        .unwrap();
    let recovery: Vec<String> = html
        .match_indices("<li><code>")
        .map(|(i, _)| html[i + 10..i + 19].to_owned())
        .collect();
    assert_eq!(recovery.len(), 10, "{html}");
    // This session passed the second factor: the role works now.
    assert_eq!(
        ada.get(server.url("/admin")).send().await.unwrap().status(),
        StatusCode::OK
    );

    // A new sign-in asks for the code; the one used a moment ago is refused (replay).
    let fresh = browser();
    let answer = server
        .sign_in(&fresh, "ada@example.org", "correct-horse-battery-9")
        .await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert!(
        answer.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/signin/code")
    );
    let replay = server
        .post_form(
            &fresh,
            "/signin/code",
            "/signin/code",
            &[("code", &code), ("next", "/admin")],
        )
        .await;
    assert_eq!(replay.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fresh
            .get(server.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER,
        "not signed in yet"
    );

    // A recovery code works once.
    let signed_in = server
        .post_form(
            &fresh,
            "/signin/code",
            "/signin/code",
            &[("code", &recovery[0].to_uppercase()), ("next", "/admin")],
        )
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()["location"], "/admin");
    assert_eq!(
        fresh
            .get(server.url("/admin"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let again = browser();
    server
        .sign_in(&again, "ada@example.org", "correct-horse-battery-9")
        .await;
    let reused = server
        .post_form(
            &again,
            "/signin/code",
            "/signin/code",
            &[("code", &recovery[0])],
        )
        .await;
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Without the pending sign-in cookie a code means nothing.
    let stranger = browser();
    let answer = server
        .post_form(
            &stranger,
            "/signin",
            "/signin/code",
            &[("code", &recovery[1])],
        )
        .await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);

    // An administrator cannot turn it off.
    let refused = server
        .post_form(
            &fresh,
            "/me/2fa",
            "/me/2fa/disable",
            &[("code", &recovery[2])],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
