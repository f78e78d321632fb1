//! Single sign-on with OpenID Connect, over real HTTP: the happy path against a real provider
//! (npm `oidc-provider`, started here with `node` when tools/peers/oidc/node_modules exists), and
//! the refusals against a small in-process provider that misbehaves on purpose (wrong audience,
//! expired or badly signed tokens, replayed state or nonce, a provider that is down).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use axum::Json;
use axum::extract::State;
use axum::routing::{get, post};
use chrono::{Duration, Utc};
use guildhall_app::Settings;
use guildhall_app::settings::{OidcPreset, OidcProvider, Secret};
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey,
};
use openidconnect::{
    AccessToken, AccessTokenHash, Audience, EmptyAdditionalClaims, EndUserEmail, EndUserFamilyName,
    EndUserGivenName, IssuerUrl, JsonWebKeySet, LocalizedClaim, Nonce, PrivateSigningKey,
    StandardClaims, SubjectIdentifier,
};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use support::{TestServer, browser};

const KEY_A: &str = include_str!("fixtures/oidc-test-key-a.pem");
const KEY_B: &str = include_str!("fixtures/oidc-test-key-b.pem");
const CLIENT_ID: &str = "guildhall";
const CLIENT_SECRET: &str = "guildhall-test-secret";

/// How the fake provider's next ID token looks.
#[derive(Clone)]
struct Behaviour {
    audiences: Vec<String>,
    expires_in: Duration,
    sign_with_other_key: bool,
    nonce: String,
    subject: String,
    email: String,
    email_verified: bool,
    family_name: String,
    /// `Some` puts an at_hash claim made from this access token into the ID token.
    at_hash_of: Option<String>,
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            audiences: vec![CLIENT_ID.to_owned()],
            expires_in: Duration::minutes(5),
            sign_with_other_key: false,
            nonce: String::new(),
            subject: "fake-subject-1".into(),
            email: "katherine.johnson@example.org".into(),
            email_verified: true,
            family_name: "Johnson".into(),
            at_hash_of: None,
        }
    }
}

#[derive(Clone)]
struct Fake {
    issuer: String,
    behaviour: Arc<Mutex<Behaviour>>,
    /// The key the JWKS publishes (the provider rotates by changing it).
    published_key: Arc<Mutex<&'static str>>,
    discoveries: Arc<AtomicUsize>,
}

async fn discovery(State(fake): State<Fake>) -> Json<Value> {
    fake.discoveries.fetch_add(1, Ordering::SeqCst);
    let i = &fake.issuer;
    Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "jwks_uri": format!("{i}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks(State(fake): State<Fake>) -> Json<Value> {
    let pem = *fake.published_key.lock().unwrap();
    let key = CoreRsaPrivateSigningKey::from_pem(pem, None).unwrap();
    Json(serde_json::to_value(JsonWebKeySet::new(vec![key.as_verification_key()])).unwrap())
}

async fn token(State(fake): State<Fake>) -> Json<Value> {
    let b = fake.behaviour.lock().unwrap().clone();
    let now = Utc::now();
    let mut given = LocalizedClaim::new();
    given.insert(None, EndUserGivenName::new("Katherine".into()));
    let mut family = LocalizedClaim::new();
    family.insert(None, EndUserFamilyName::new(b.family_name.clone()));
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(fake.issuer.clone()).unwrap(),
        b.audiences
            .iter()
            .map(|a| Audience::new(a.clone()))
            .collect(),
        now + b.expires_in,
        now - Duration::seconds(5),
        StandardClaims::new(SubjectIdentifier::new(b.subject.clone()))
            .set_email(Some(EndUserEmail::new(b.email.clone())))
            .set_email_verified(Some(b.email_verified))
            .set_given_name(Some(given))
            .set_family_name(Some(family)),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(b.nonce.clone())));
    let pem = if b.sign_with_other_key { KEY_B } else { KEY_A };
    let key = CoreRsaPrivateSigningKey::from_pem(pem, None).unwrap();
    let claims = match &b.at_hash_of {
        Some(token) => claims.set_access_token_hash(Some(
            AccessTokenHash::from_token(
                &AccessToken::new(token.clone()),
                &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                &key.as_verification_key(),
            )
            .unwrap(),
        )),
        None => claims,
    };
    let id_token = CoreIdToken::new(
        claims,
        &key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    Json(json!({
        "access_token": "fake-access-token",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token.to_string(),
    }))
}

async fn start_fake() -> Fake {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let fake = Fake {
        issuer: format!("http://{}", listener.local_addr().unwrap()),
        behaviour: Arc::new(Mutex::new(Behaviour::default())),
        published_key: Arc::new(Mutex::new(KEY_A)),
        discoveries: Arc::new(AtomicUsize::new(0)),
    };
    let router = axum::Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/token", post(token))
        .with_state(fake.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    fake
}

fn provider(id: &str, issuer: &str) -> OidcProvider {
    OidcProvider {
        id: id.into(),
        label: String::new(),
        icon: String::new(),
        preset: OidcPreset::Generic,
        issuer: issuer.into(),
        client_id: CLIENT_ID.into(),
        client_secret: Secret::new(CLIENT_SECRET),
        client_secret_file: String::new(),
        link_by_verified_email: false,
    }
}

/// Guildhall on a port chosen first, so `public_url` (and so the callback address) is right,
/// with its first administrator (Ada, example.org: the sign-up policy admits that domain).
async fn guildhall(providers: Vec<OidcProvider>) -> TestServer {
    guildhall_with(providers, |_| {}).await
}

async fn guildhall_with(
    providers: Vec<OidcProvider>,
    tweak: impl FnOnce(&mut Settings),
) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut settings = Settings::default();
    settings.server.public_url = format!("http://{}", listener.local_addr().unwrap());
    settings.auth.oidc = providers;
    tweak(&mut settings);
    let server = support::start_on(listener, settings).await;
    server.set_up_admin(&browser()).await;
    server
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).unwrap();
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Clicks the provider button: returns the authorization URL Guildhall sent the browser to.
async fn begin(server: &TestServer, client: &Client, id: &str) -> String {
    let response = client
        .get(server.url(&format!("/auth/oidc/{id}/start")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let to = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        query_param(&to, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(query_param(&to, "code_challenge").is_some());
    assert!(query_param(&to, "state").is_some());
    assert!(query_param(&to, "nonce").is_some());
    to
}

async fn callback(
    server: &TestServer,
    client: &Client,
    id: &str,
    state: &str,
) -> (StatusCode, String) {
    let mut url = reqwest::Url::parse(&server.url(&format!("/auth/oidc/{id}/callback"))).unwrap();
    url.query_pairs_mut()
        .append_pair("code", "fake-code")
        .append_pair("state", state);
    let response = client.get(url).send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

async fn identity_count(server: &TestServer) -> i64 {
    guildhall_store::identities::count_identities(server.app.db())
        .await
        .unwrap()
}

/// Starts a sign-in at the fake, lets `tweak` shape the token, and comes back.
async fn attempt(
    server: &TestServer,
    fake: &Fake,
    client: &Client,
    tweak: impl FnOnce(&mut Behaviour),
) -> (StatusCode, String) {
    let to = begin(server, client, "fake").await;
    {
        let mut b = fake.behaviour.lock().unwrap();
        *b = Behaviour {
            nonce: query_param(&to, "nonce").unwrap(),
            ..Behaviour::default()
        };
        tweak(&mut b);
    }
    callback(server, client, "fake", &query_param(&to, "state").unwrap()).await
}

async fn assert_refused(server: &TestServer, outcome: (StatusCode, String), words: &str) {
    let (status, body) = outcome;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains(words), "expected {words:?} in: {body}");
    assert_eq!(server.user_count().await, 1, "no account may be created");
    assert_eq!(identity_count(server).await, 0);
}

#[tokio::test]
async fn a_valid_token_creates_a_verified_member_and_signs_in_again() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let page = browser().get(server.url("/signin")).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(html.contains("href=\"/auth/oidc/fake/start\""), "{html}");
    assert!(html.contains("Sign in with your organisation"));
    assert!(
        html.contains("class=\"sso-icon\""),
        "the preset's icon is drawn: {html}"
    );

    let client = browser();
    let (status, body) = attempt(&server, &fake, &client, |_| {}).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let user =
        guildhall_store::people::user_by_email(server.app.db(), "katherine.johnson@example.org")
            .await
            .unwrap()
            .expect("member created");
    assert_eq!(user.given_name, "Katherine");
    assert_eq!(user.family_name, "Johnson");
    assert!(user.password_hash.is_none());
    let profile = guildhall_store::profiles::profile(server.app.db(), user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(profile.name_source, "idp");
    let me = client.get(server.url("/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert!(me.text().await.unwrap().contains("Sign-in providers"));

    // The member sees the link, and cannot unlink their only way in (no password).
    let token = server.token_via_profile(&client, &["read", "write"]).await;
    let linked: Value = server
        .api(
            &token,
            reqwest::Method::GET,
            "/api/v1/me/identities",
            json!({}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(linked.as_array().unwrap().len(), 1, "{linked}");
    assert_eq!(linked[0]["provider"], "your organisation");
    assert_eq!(linked[0]["email"], "katherine.johnson@example.org");
    let id = linked[0]["id"].as_i64().unwrap();
    for (id, expected) in [
        (id, StatusCode::CONFLICT),
        (id + 1000, StatusCode::NOT_FOUND),
    ] {
        let path = format!("/api/v1/me/identities/{id}");
        let response = server
            .api(&token, reqwest::Method::DELETE, &path, json!({}))
            .await
            .unwrap();
        assert_eq!(response.status(), expected);
    }
    assert_eq!(identity_count(&server).await, 1);

    // Second sign-in, new browser: the same account through (issuer, subject), even with
    // another email address at the provider.
    let (status, _) = attempt(&server, &fake, &browser(), |b| {
        b.email = "kj@example.org".into()
    })
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(server.user_count().await, 2);
    assert_eq!(identity_count(&server).await, 1);
}

#[tokio::test]
async fn a_token_for_another_audience_is_refused() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let outcome = attempt(&server, &fake, &browser(), |b| {
        b.audiences = vec!["someone-else".into()]
    })
    .await;
    assert_refused(&server, outcome, "did not pass the checks").await;
}

#[tokio::test]
async fn a_token_with_an_empty_audience_is_refused() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let outcome = attempt(&server, &fake, &browser(), |b| b.audiences = vec![]).await;
    assert_refused(&server, outcome, "Sign-in refused").await;
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let outcome = attempt(&server, &fake, &browser(), |b| {
        b.expires_in = Duration::minutes(-10)
    })
    .await;
    assert_refused(&server, outcome, "did not pass the checks").await;
}

#[tokio::test]
async fn a_token_signed_by_another_key_is_refused() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let outcome = attempt(&server, &fake, &browser(), |b| b.sign_with_other_key = true).await;
    assert_refused(&server, outcome, "did not pass the checks").await;
}

#[tokio::test]
async fn an_access_token_hash_that_does_not_match_is_refused() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let outcome = attempt(&server, &fake, &browser(), |b| {
        b.at_hash_of = Some("another-access-token".into())
    })
    .await;
    assert_refused(&server, outcome, "at_hash").await;
    // The right hash passes.
    let (status, body) = attempt(&server, &fake, &browser(), |b| {
        b.at_hash_of = Some("fake-access-token".into())
    })
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
}

#[tokio::test]
async fn keys_are_remembered_and_fetched_again_when_the_provider_rotates_them() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    for _ in 0..2 {
        let (status, body) = attempt(&server, &fake, &browser(), |_| {}).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    }
    assert_eq!(
        fake.discoveries.load(Ordering::SeqCst),
        1,
        "one discovery for two sign-ins"
    );

    *fake.published_key.lock().unwrap() = KEY_B;
    let (status, body) =
        attempt(&server, &fake, &browser(), |b| b.sign_with_other_key = true).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "a rotated key is fetched: {body}"
    );
    assert_eq!(fake.discoveries.load(Ordering::SeqCst), 2);

    // A token signed by a key the provider does not publish is still refused after a fresh look.
    let outcome = attempt(&server, &fake, &browser(), |_| {}).await;
    assert_eq!(outcome.0, StatusCode::FORBIDDEN, "{}", outcome.1);
    assert!(
        outcome.1.contains("did not pass the checks"),
        "{}",
        outcome.1
    );
    assert_eq!(fake.discoveries.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_name_changed_at_the_provider_follows_on_the_next_sign_in() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let (status, _) = attempt(&server, &fake, &browser(), |_| {}).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = attempt(&server, &fake, &browser(), |b| {
        b.family_name = "Goble".into()
    })
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let user =
        guildhall_store::people::user_by_email(server.app.db(), "katherine.johnson@example.org")
            .await
            .unwrap()
            .unwrap();
    assert_eq!(user.family_name, "Goble");
    let history = guildhall_store::profiles::name_history(server.app.db(), "goble", 10)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].old_name, "Katherine Johnson");
    assert_eq!(history[0].new_name, "Katherine Goble");
    assert_eq!(history[0].source, "idp");

    // An unusable name at the provider keeps the one we have and still signs in.
    let (status, _) = attempt(&server, &fake, &browser(), |b| {
        b.family_name = "X".repeat(300)
    })
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let user =
        guildhall_store::people::user_by_email(server.app.db(), "katherine.johnson@example.org")
            .await
            .unwrap()
            .unwrap();
    assert_eq!(user.family_name, "Goble");
}

#[tokio::test]
async fn a_replayed_state_is_refused() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let client = browser();
    let to = begin(&server, &client, "fake").await;
    fake.behaviour.lock().unwrap().nonce = query_param(&to, "nonce").unwrap();
    let state = query_param(&to, "state").unwrap();
    let (first, _) = callback(&server, &client, "fake", &state).await;
    assert_eq!(first, StatusCode::SEE_OTHER);
    let (status, body) = callback(&server, &client, "fake", &state).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("expired or was already used"), "{body}");
    assert_eq!(server.user_count().await, 2);
}

#[tokio::test]
async fn a_replayed_nonce_is_refused() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let first = begin(&server, &browser(), "fake").await;
    let old_nonce = query_param(&first, "nonce").unwrap();
    // A token minted for the first sign-in comes back for a second one.
    let outcome = attempt(&server, &fake, &browser(), |b| b.nonce = old_nonce).await;
    assert_refused(&server, outcome, "did not pass the checks").await;
}

#[tokio::test]
async fn a_callback_in_another_browser_is_refused() {
    let fake = start_fake().await;
    let server = guildhall(vec![provider("fake", &fake.issuer)]).await;
    let to = begin(&server, &browser(), "fake").await;
    fake.behaviour.lock().unwrap().nonce = query_param(&to, "nonce").unwrap();
    let outcome = callback(
        &server,
        &browser(),
        "fake",
        &query_param(&to, "state").unwrap(),
    )
    .await;
    assert_refused(&server, outcome, "another browser").await;
}

#[tokio::test]
async fn a_provider_that_is_down_refuses_the_sign_in_clearly() {
    // A port that was free a moment ago: nothing listens there.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let server = guildhall(vec![provider("down", &closed)]).await;
    let response = browser()
        .get(server.url("/auth/oidc/down/start"))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("cannot be reached right now"), "{body}");
    assert_eq!(server.user_count().await, 1);
}

#[tokio::test]
async fn an_unknown_provider_is_not_found() {
    let server = guildhall(vec![]).await;
    let response = browser()
        .get(server.url("/auth/oidc/nobody/start"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_existing_email_links_only_when_the_provider_allows_it() {
    let fake = start_fake().await;
    let mut linking = provider("linking", &fake.issuer);
    linking.link_by_verified_email = true;
    let server = guildhall(vec![provider("fake", &fake.issuer), linking]).await;
    let katherine = browser();
    let response = server
        .sign_up(
            &katherine,
            "Katherine",
            "Johnson",
            "katherine.johnson@example.org",
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let (status, body) = attempt(&server, &fake, &browser(), |_| {}).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("already exists"), "{body}");
    assert_eq!(identity_count(&server).await, 0);

    // Allowed, but the provider does not vouch for the address: still refused.
    let client = browser();
    let to = begin(&server, &client, "linking").await;
    *fake.behaviour.lock().unwrap() = Behaviour {
        nonce: query_param(&to, "nonce").unwrap(),
        email_verified: false,
        ..Behaviour::default()
    };
    let (status, _) = callback(
        &server,
        &client,
        "linking",
        &query_param(&to, "state").unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let client = browser();
    let to = begin(&server, &client, "linking").await;
    *fake.behaviour.lock().unwrap() = Behaviour {
        nonce: query_param(&to, "nonce").unwrap(),
        ..Behaviour::default()
    };
    let (status, body) = callback(
        &server,
        &client,
        "linking",
        &query_param(&to, "state").unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(identity_count(&server).await, 1);
    assert_eq!(server.user_count().await, 2);

    // With a password to fall back on, the member may unlink the provider from their page.
    let html = client
        .get(server.url("/me"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "action=\"/me/identities/";
    let start = html.find(marker).expect("an unlink form") + marker.len();
    let id = &html[start..start + html[start..].find('/').unwrap()];
    let response = server
        .post_form(&client, "/me", &format!("/me/identities/{id}/unlink"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(identity_count(&server).await, 0);
}

#[tokio::test]
async fn password_sign_in_can_be_turned_off() {
    let fake = start_fake().await;
    let server = guildhall_with(vec![provider("fake", &fake.issuer)], |s| {
        s.auth.password_sign_in = false
    })
    .await;
    let html = browser()
        .get(server.url("/signin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("name=\"password\""), "{html}");
    assert!(html.contains("/auth/oidc/fake/start"));
    // The form is gone, but a hand-made POST must be refused too (CSRF token from another page).
    let response = server
        .post_form(
            &browser(),
            "/signup",
            "/signin",
            &[
                ("email", "ada@example.org"),
                ("password", support::PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

/// The real provider, started with `node`; `None` (and a message) when it is not installed.
struct RealProvider {
    child: std::process::Child,
    issuer: String,
}

impl Drop for RealProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_real_provider(redirect_uri: &str, bare_id_token: bool) -> Option<RealProvider> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/peers/oidc");
    if !dir.join("node_modules/oidc-provider").exists() {
        eprintln!(
            "SKIPPED: the real OpenID provider is not installed (cd tools/peers/oidc && npm ci)"
        );
        return None;
    }
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut child = std::process::Command::new("node")
        .arg("provider.mjs")
        .current_dir(&dir)
        .env("PORT", port.to_string())
        .env("REDIRECT_URIS", redirect_uri)
        .env(
            "CONFORM_ID_TOKEN_CLAIMS",
            if bare_id_token { "1" } else { "0" },
        )
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("node runs");
    let stdout = child.stdout.take().unwrap();
    let mut provider = RealProvider {
        child,
        issuer: format!("http://127.0.0.1:{port}"),
    };
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        if line.unwrap().contains("listening on") {
            // Keep draining: a provider writing to a closed pipe would die mid-test.
            std::thread::spawn(move || lines.for_each(drop));
            return Some(provider);
        }
    }
    let _ = provider.child.kill();
    panic!("oidc-provider did not start");
}

/// The provider's form posts, as a person would fill them in: any login, any password, consent.
async fn through_the_provider(
    issuer: &str,
    guildhall_base: &str,
    authorize: &str,
    login: &str,
) -> String {
    let client = browser();
    let mut next = authorize.to_owned();
    for _ in 0..12 {
        let response = client.get(&next).send().await.unwrap();
        let mut response = response;
        loop {
            if response.status().is_redirection() {
                let location = response.headers()["location"].to_str().unwrap();
                next = if location.starts_with('/') {
                    format!("{issuer}{location}")
                } else {
                    location.to_owned()
                };
                break;
            }
            let page_url = response.url().to_string();
            let html = response.text().await.unwrap();
            let action = html
                .split("action=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("no form at {page_url}: {html}"))
                .to_owned();
            let action = if action.starts_with('/') {
                format!("{issuer}{action}")
            } else {
                action
            };
            let form: Vec<(&str, &str)> = if html.contains("value=\"login\"") {
                vec![
                    ("prompt", "login"),
                    ("login", login),
                    ("password", "anything"),
                ]
            } else {
                vec![("prompt", "consent")]
            };
            response = client.post(&action).form(&form).send().await.unwrap();
        }
        if next.starts_with(guildhall_base) {
            return next;
        }
    }
    panic!("the provider never sent us back");
}

#[tokio::test]
async fn a_real_provider_signs_a_new_member_in_with_their_name() {
    real_provider_sign_in(false, "grace.hopper", "Grace", "Hopper").await;
}

/// A token with only `sub` (what a conforming provider sends): the name and email come from
/// userinfo.
#[tokio::test]
async fn a_bare_id_token_is_completed_from_userinfo() {
    real_provider_sign_in(true, "mary.jackson", "Mary", "Jackson").await;
}

async fn real_provider_sign_in(bare_id_token: bool, login: &str, given: &str, family: &str) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let callback = format!("{base}/auth/oidc/local/callback");
    let Some(real) = start_real_provider(&callback, bare_id_token) else {
        return;
    };
    let mut settings = Settings::default();
    settings.server.public_url = base.clone();
    // One run reads the client secret from a file, as a mounted secret would be.
    let secret_file =
        std::env::temp_dir().join(format!("guildhall-oidc-secret-{}", std::process::id()));
    let (client_secret, client_secret_file) = if bare_id_token {
        std::fs::write(&secret_file, format!("{CLIENT_SECRET}\n")).unwrap();
        (
            Secret::default(),
            secret_file.to_string_lossy().into_owned(),
        )
    } else {
        (Secret::new(CLIENT_SECRET), String::new())
    };
    settings.auth.oidc = vec![OidcProvider {
        label: "Sign in with the test provider".into(),
        client_secret,
        client_secret_file,
        ..provider("local", &real.issuer)
    }];
    let server = support::start_on(listener, settings).await;
    server.set_up_admin(&browser()).await;

    let client = browser();
    let authorize = begin(&server, &client, "local").await;
    let back = through_the_provider(&real.issuer, &base, &authorize, login).await;
    let response = client.get(&back).send().await.unwrap();
    let status = response.status();
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    let me = client.get(server.url("/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert!(
        me.text()
            .await
            .unwrap()
            .contains(&format!("{given} {family}"))
    );
    let user =
        guildhall_store::people::user_by_email(server.app.db(), &format!("{login}@example.org"))
            .await
            .unwrap()
            .expect("member created");
    assert_eq!(
        (user.given_name.as_str(), user.family_name.as_str()),
        (given, family)
    );
    let profile = guildhall_store::profiles::profile(server.app.db(), user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(profile.name_source, "idp");
    assert_eq!(identity_count(&server).await, 1);
    let _ = std::fs::remove_file(&secret_file);
}
