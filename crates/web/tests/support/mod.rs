//! Drives the real router on a free port over HTTP, with a fresh database per test (SQLite, or
//! PostgreSQL when GUILDHALL_TEST_DATABASE_URL is set).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose
// Each test file uses a different part of this support module.
#![allow(dead_code)]

pub mod people;

use guildhall_app::{App, Settings};
use guildhall_store::testing::{TestDb, fresh_db};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::net::SocketAddr;

pub const PASSWORD: &str = "correct-horse-battery-9";

pub struct TestServer {
    pub base: String,
    pub app: App,
    _db: Option<TestDb>,
}

pub async fn start() -> TestServer {
    start_with(Settings::default()).await
}

pub async fn start_with(settings: Settings) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    start_on(listener, settings).await
}

/// On a listener bound beforehand, for tests whose settings need the address (`public_url`).
/// Administrators and HR work without a second factor here, as most tests are not about it;
/// `start_with_second_factor` keeps the production rule.
pub async fn start_on(listener: tokio::net::TcpListener, mut settings: Settings) -> TestServer {
    settings.people.second_factor_for_admins_and_hr = false;
    start_exactly(listener, settings).await
}

/// With the settings as given, including the second-factor rule for administrators and HR.
pub async fn start_with_second_factor(settings: Settings) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    start_exactly(listener, settings).await
}

async fn start_exactly(listener: tokio::net::TcpListener, settings: Settings) -> TestServer {
    let db = fresh_db().await.expect("test database");
    let app = App::new(db.db.clone(), settings);
    serve(listener, app, Some(db))
}

/// Serves the web and nexus routers of `app` on `listener`, as `guildhall serve` does.
fn serve(listener: tokio::net::TcpListener, app: App, db: Option<TestDb>) -> TestServer {
    let router = guildhall_web::router(app.clone()).merge(guildhall_nexus::router(app.clone()));
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    TestServer {
        base: format!("http://{address}"),
        app,
        _db: db,
    }
}

impl TestServer {
    /// A second instance on the same database (as behind a load balancer), both relaying live
    /// events to each other. Its database belongs to the first: drop it first.
    pub async fn second_instance(&self) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let app = App::new(self.app.db().clone(), self.app.settings().clone());
        self.app.start_live_relay().await.unwrap();
        app.start_live_relay().await.unwrap();
        serve(listener, app, None)
    }

    /// Reads a live event stream until `needle` appears (or fails after a few seconds).
    pub async fn wait_for(stream: &mut Response, needle: &str) -> String {
        let mut seen = String::new();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
        while !seen.contains(needle) {
            let chunk = tokio::time::timeout_at(deadline, stream.chunk())
                .await
                .unwrap_or_else(|_| panic!("no {needle:?} in {seen:?}"));
            seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
        }
        seen
    }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The CSRF token of the form on `path`, as a browser would find it.
    pub async fn csrf(&self, client: &Client, path: &str) -> String {
        let html = client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let marker = "name=\"_csrf\" value=\"";
        let start = html
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field on {path}: {html}"))
            + marker.len();
        html[start..start + html[start..].find('"').unwrap()].to_owned()
    }

    /// Posts a form from the page it lives on, with its CSRF token.
    pub async fn post_form(
        &self,
        client: &Client,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let token = self.csrf(client, page).await;
        let mut form: Vec<(&str, &str)> = vec![("_csrf", &token)];
        form.extend_from_slice(fields);
        client
            .post(self.url(action))
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    pub async fn set_up_admin(&self, client: &Client) {
        let response = self
            .post_form(
                client,
                "/setup",
                "/setup",
                &[
                    ("given_name", "Ada"),
                    ("family_name", "Lovelace"),
                    ("email", "ada@example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "{}",
            response.text().await.unwrap()
        );
    }

    pub async fn sign_up(
        &self,
        client: &Client,
        given: &str,
        family: &str,
        email: &str,
    ) -> Response {
        self.post_form(
            client,
            "/signup",
            "/signup",
            &[
                ("given_name", given),
                ("family_name", family),
                ("email", email),
                ("password", PASSWORD),
            ],
        )
        .await
    }

    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> Response {
        self.post_form(
            client,
            "/signin",
            "/signin",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Signs up colleagues (at example.org, the admin's domain) and gives each a browser and a
    /// read/write API token.
    pub async fn colleagues(&self, people: &[(&str, &str, &str)]) -> Vec<(Client, String)> {
        let mut out = Vec::with_capacity(people.len());
        for (given, family, email) in people {
            let client = browser();
            let response = self.sign_up(&client, given, family, email).await;
            assert_eq!(
                response.status(),
                StatusCode::SEE_OTHER,
                "sign-up of {email}"
            );
            let token = self.token_via_profile(&client, &["read", "write"]).await;
            out.push((client, token));
        }
        out
    }

    /// A JSON API call as the owner of `token`.
    pub async fn api(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> reqwest::Result<Response> {
        let request = reqwest::Client::new()
            .request(method.clone(), self.url(path))
            .bearer_auth(token);
        let request = if method == reqwest::Method::GET {
            request
        } else {
            request.json(&body)
        };
        request.send().await
    }

    /// A new SCIM token for a directory (what an administrator creates on /admin).
    pub async fn directory_token(&self) -> String {
        self.app
            .issue_directory_token(None, "Test directory")
            .await
            .unwrap()
            .token
    }

    /// Carries out every pending outbox effect (notifications, audit), as the worker would.
    pub async fn deliver_effects(&self) {
        let worker = self.worker();
        while worker.run_once().await.unwrap() > 0 {}
    }

    /// Carries out every outbox effect due by `at` (scheduled ones included).
    pub async fn deliver_effects_due_by(&self, at: chrono::DateTime<chrono::Utc>) {
        let worker = self.worker();
        while worker.run_once_due_by(at).await.unwrap() > 0 {}
    }

    /// The worker as `serve` builds it: the app's effects and the deliveries of `nexus`.
    pub fn worker(&self) -> guildhall_app::outbox::OutboxWorker {
        guildhall_nexus::register_effects(guildhall_app::outbox::OutboxWorker::new(
            self.app.clone(),
        ))
    }

    pub async fn user_count(&self) -> i64 {
        guildhall_store::people::count_users(self.app.db())
            .await
            .unwrap()
    }

    /// Creates an API token through the profile page and returns its secret.
    pub async fn token_via_profile(&self, client: &Client, scopes: &[&str]) -> String {
        let mut fields = vec![("name", "test token")];
        fields.extend(scopes.iter().map(|s| ("scopes", *s)));
        let html = self
            .post_form(client, "/me", "/me/tokens", &fields)
            .await
            .text()
            .await
            .unwrap();
        let start = html
            .find("<code class=\"secret\">")
            .expect("token shown once")
            + "<code class=\"secret\">".len();
        html[start..start + html[start..].find('<').unwrap()].to_owned()
    }
}
