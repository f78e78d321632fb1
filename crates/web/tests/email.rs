//! Email over real peers, on both backends: notification emails and digests go to a real SMTP
//! sink (PyPI `aiosmtpd`, writing a Maildir) only for members who chose them; one-click
//! unsubscribe (RFC 8058) works with no session; replies sent by a real SMTP client (Python's
//! `smtplib`) land in the thread as the member, quotes stripped and content checked, and every
//! other reply is refused with nothing written. The peers come from `GUILDHALL_TEST_PYTHON`
//! (test.sh sets it); without it the peer tests say so and pass.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use guildhall_app::Settings;
use guildhall_app::settings::EmailTls;
use mail_parser::{MessageParser, MimeHeaders};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use support::people::{Person, call, call_ok, notifications, open_space, people};
use support::{TestServer, start_on};
use tokio::sync::watch;

const REPLY_DOMAIN: &str = "reply.example.org";

/// The Python with aiosmtpd, or `None` (and a note) when the suite runs without peers.
fn peer_python(test: &str) -> Option<String> {
    match std::env::var("GUILDHALL_TEST_PYTHON") {
        Ok(python) if Path::new(&python).exists() => Some(python),
        _ => {
            eprintln!("{test}: skipped the SMTP peers (GUILDHALL_TEST_PYTHON is not set)");
            None
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `python -m aiosmtpd` with the Mailbox handler: every message it takes lands in a Maildir.
struct Sink {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl Sink {
    async fn start(python: &str) -> Sink {
        let port = free_port();
        let maildir = std::env::temp_dir().join(format!(
            "guildhall-mail-{}-{port}-{}",
            std::process::id(),
            chrono::Utc::now().timestamp_micros()
        ));
        // Owned by the sink at once: its Drop stops the peer whatever happens next.
        let sink = Sink {
            child: Command::new(python)
                .args(["-m", "aiosmtpd", "-n", "-l"])
                .arg(format!("127.0.0.1:{port}"))
                .args(["-c", "aiosmtpd.handlers.Mailbox"])
                .arg(&maildir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
            port,
            maildir,
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return sink;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    /// Every message received so far, parsed, oldest first.
    fn messages(&self) -> Vec<Mail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.maildir.join("new"))
            .map(|dir| dir.map(|entry| entry.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort_by_key(|file| std::fs::metadata(file).unwrap().modified().unwrap());
        files
            .iter()
            .map(|file| Mail::parse(&std::fs::read(file).unwrap()))
            .collect()
    }

    fn to(&self, address: &str) -> Vec<Mail> {
        self.messages()
            .into_iter()
            .filter(|mail| mail.to == address)
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// What the tests look at in a received message.
#[derive(Debug)]
struct Mail {
    to: String,
    subject: String,
    text: String,
    html: String,
    reply_to: Option<String>,
    list_unsubscribe: Option<String>,
    list_unsubscribe_post: Option<String>,
    references: Option<String>,
    content_types: Vec<String>,
}

impl Mail {
    fn parse(raw: &[u8]) -> Mail {
        let message = MessageParser::default().parse(raw).unwrap();
        let header = |name: &str| {
            message
                .header_raw(name)
                .map(|value| value.trim().to_owned())
        };
        let address = |list: Option<&mail_parser::Address>| {
            list.and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_owned()
        };
        Mail {
            to: address(message.to()),
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message.body_text(0).unwrap_or_default().into_owned(),
            html: message.body_html(0).unwrap_or_default().into_owned(),
            reply_to: Some(address(message.reply_to())).filter(|a| !a.is_empty()),
            list_unsubscribe: header("List-Unsubscribe"),
            list_unsubscribe_post: header("List-Unsubscribe-Post"),
            references: header("References"),
            content_types: message
                .parts
                .iter()
                .filter_map(|part| part.content_type())
                .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()))
                .collect(),
        }
    }

    /// The one-click link, without its angle brackets.
    fn unsubscribe_url(&self) -> String {
        self.list_unsubscribe
            .as_deref()
            .unwrap()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned()
    }
}

/// Ada administers; Grace and Alan are members of one space; Hedy is in no space.
struct Guild {
    server: TestServer,
    grace: Person,
    alan: Person,
    hedy: Person,
    slug: String,
    /// Keeps the reply listener running (it stops when this is dropped).
    _stop_inbound: watch::Sender<bool>,
    inbound_port: u16,
}

async fn guild(sink_port: Option<u16>) -> Guild {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut settings = Settings::default();
    settings.server.public_url = format!("http://{}", listener.local_addr().unwrap());
    if let Some(port) = sink_port {
        settings.email.enabled = true;
        settings.email.smtp_host = "127.0.0.1".into();
        settings.email.smtp_port = port;
        settings.email.tls = EmailTls::None;
        settings.email.from = "Guildhall <guildhall@example.org>".into();
        settings.email.reply_domain = REPLY_DOMAIN.into();
        settings.email.inbound_max_bytes = 64 * 1024;
    }
    let server = start_on(listener, settings).await;
    let inbound = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let inbound_port = inbound.local_addr().unwrap().port();
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(guildhall_nexus::email::listen(
        server.app.clone(),
        inbound,
        stopped,
    ));
    let (admin, mut folks) = people(
        &server,
        &[("Grace", "Hopper"), ("Alan", "Turing"), ("Hedy", "Lamarr")],
    )
    .await;
    let hedy = folks.pop().unwrap();
    let alan = folks.pop().unwrap();
    let grace = folks.pop().unwrap();
    let slug = open_space(
        &server,
        &admin,
        "Data Literacy",
        "community",
        &[&grace, &alan],
    )
    .await;
    Guild {
        server,
        grace,
        alan,
        hedy,
        slug,
        _stop_inbound: stop,
        inbound_port,
    }
}

impl Guild {
    async fn ok(&self, who: &Person, method: Method, path: &str, body: Value) -> Value {
        call_ok(&self.server, who, method, path, body).await
    }

    async fn choose(&self, who: &Person, notifications: bool, digest: &str) -> Value {
        let body = json!({"notifications": notifications, "digest": digest});
        self.ok(who, Method::PUT, "/api/v1/me/email-preferences", body)
            .await
    }

    async fn thread(&self, who: &Person, title: &str, body: &str) -> i64 {
        let path = format!("/api/v1/spaces/{}/threads", self.slug);
        let body = json!({"kind": "question", "title": title, "body": body});
        self.ok(who, Method::POST, &path, body).await["id"]
            .as_i64()
            .unwrap()
    }

    async fn reply(&self, who: &Person, thread: i64, text: &str) -> i64 {
        let path = format!("/api/v1/threads/{thread}/posts");
        self.ok(who, Method::POST, &path, json!({"body": text}))
            .await["id"]
            .as_i64()
            .unwrap()
    }

    /// The visible posts of a thread as (author id, text of the HTML).
    async fn posts(&self, who: &Person, thread: i64) -> Vec<(i64, String)> {
        let page = self
            .ok(
                who,
                Method::GET,
                &format!("/api/v1/threads/{thread}"),
                Value::Null,
            )
            .await;
        page["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["author_id"].as_i64().unwrap_or(0),
                    p["body_html"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    /// Sends `body` to the reply listener with smtplib; the SMTP code and text of its answer.
    async fn email_reply(&self, python: &str, from: &str, to: &str, body: &str) -> (u16, String) {
        self.email_reply_with_id(python, from, to, body, None).await
    }

    /// The same with a Message-ID of the test's choosing.
    async fn email_reply_with_id(
        &self,
        python: &str,
        from: &str,
        to: &str,
        body: &str,
        message_id: Option<&str>,
    ) -> (u16, String) {
        let file = std::env::temp_dir().join(format!(
            "guildhall-reply-{}-{}.txt",
            std::process::id(),
            chrono::Utc::now().timestamp_micros()
        ));
        std::fs::write(&file, body).unwrap();
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tools/peers/email/send_reply.py"
        );
        let args = vec![
            script.to_owned(),
            "127.0.0.1".to_owned(),
            self.inbound_port.to_string(),
            from.to_owned(),
            to.to_owned(),
            file.to_str().unwrap().to_owned(),
            "--html".to_owned(),
        ];
        let args = match message_id {
            Some(id) => [args, vec!["--message-id".to_owned(), id.to_owned()]].concat(),
            None => args,
        };
        let python = python.to_owned();
        // The listener runs on this test's runtime: wait for the client off its thread.
        let output =
            tokio::task::spawn_blocking(move || Command::new(python).args(args).output().unwrap())
                .await
                .unwrap();
        std::fs::remove_file(&file).unwrap();
        let answer: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
            panic!(
                "send_reply.py said: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (
            u16::try_from(answer["code"].as_u64().unwrap()).unwrap(),
            answer["message"].as_str().unwrap().to_owned(),
        )
    }
}

#[tokio::test]
async fn email_preferences_are_off_until_chosen_and_have_a_page_and_an_api() {
    let g = guild(None).await;
    let prefs = g
        .ok(
            &g.grace,
            Method::GET,
            "/api/v1/me/email-preferences",
            Value::Null,
        )
        .await;
    assert_eq!(prefs["notifications"], false);
    assert_eq!(prefs["digest"], "off");
    assert_eq!(prefs["address"], "grace@example.org");
    assert_eq!(prefs["sending"], false);

    let saved = g.choose(&g.grace, true, "weekly").await;
    assert_eq!(saved["notifications"], true);
    assert_eq!(saved["digest"], "weekly");
    assert!(saved["digest_sent_at"].is_string(), "{saved}");

    // A wrong choice is refused and changes nothing.
    let (status, refused) = call(
        &g.server,
        &g.grace,
        Method::PUT,
        "/api/v1/me/email-preferences",
        json!({"notifications": false, "digest": "hourly"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let prefs = g
        .ok(
            &g.grace,
            Method::GET,
            "/api/v1/me/email-preferences",
            Value::Null,
        )
        .await;
    assert_eq!(
        (prefs["notifications"].clone(), prefs["digest"].clone()),
        (json!(true), json!("weekly"))
    );

    // The page: labelled choices, saved by a form like any other.
    let browser = support::browser();
    g.server
        .sign_in(&browser, "alan@example.org", support::PASSWORD)
        .await;
    let page = browser
        .get(g.server.url("/me/email"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>Email</h1>"), "{page}");
    assert!(page.contains("<legend>Notifications</legend>"));
    assert!(page.contains("name=\"digest\" value=\"daily\""));
    let saved = g
        .server
        .post_form(
            &browser,
            "/me/email",
            "/me/email",
            &[("notifications", "yes"), ("digest", "daily")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let prefs = g
        .ok(
            &g.alan,
            Method::GET,
            "/api/v1/me/email-preferences",
            Value::Null,
        )
        .await;
    assert_eq!(
        (prefs["notifications"].clone(), prefs["digest"].clone()),
        (json!(true), json!("daily"))
    );

    let openapi: Value = reqwest::get(g.server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let path = &openapi["paths"]["/me/email-preferences"];
    assert!(path["get"].is_object() && path["put"].is_object(), "{path}");

    // Unsigned or forged unsubscribe links lead nowhere, with or without a session.
    let anonymous = reqwest::Client::new();
    let forged = g.server.url(&format!(
        "/email/unsubscribe/{}-notifications-00112233445566778899aabbccddeeff",
        g.grace.id
    ));
    let answer = anonymous
        .post(&forged)
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let prefs = g
        .ok(
            &g.grace,
            Method::GET,
            "/api/v1/me/email-preferences",
            Value::Null,
        )
        .await;
    assert_eq!(prefs["notifications"], true);
}

#[tokio::test]
async fn notification_emails_reach_only_who_chose_them_and_one_click_stops_them() {
    let Some(python) = peer_python("notification emails") else {
        return;
    };
    let sink = Sink::start(&python).await;
    let g = guild(Some(sink.port)).await;
    g.choose(&g.grace, true, "off").await;

    // Grace asks; Alan answers: Grace is told by email. Alan asks; Grace answers: Alan, who
    // did not choose emails, is told in the app only.
    let grace_thread = g
        .thread(
            &g.grace,
            "How do I read a box plot?",
            "The whiskers confuse me.",
        )
        .await;
    g.reply(
        &g.alan,
        grace_thread,
        "The whiskers reach the furthest points within 1.5 IQR.",
    )
    .await;
    let alan_thread = g
        .thread(&g.alan, "Which chart for parts of a whole?", "Pie or bar?")
        .await;
    g.reply(
        &g.grace,
        alan_thread,
        "A stacked bar reads better than a pie.",
    )
    .await;
    assert!(!notifications(&g.server, &g.alan).await.is_empty());

    let to_grace = sink.to("grace@example.org");
    assert_eq!(to_grace.len(), 1, "{to_grace:?}");
    assert!(sink.to("alan@example.org").is_empty());
    assert!(sink.to("hedy@example.org").is_empty());
    let mail = &to_grace[0];
    assert!(
        mail.subject.contains("Alan Turing replied"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("1.5 IQR"), "{}", mail.text);
    assert!(mail.text.contains(&format!("/t/{grace_thread}")));
    assert!(mail.text.contains("/me/email"), "a link to the preferences");
    assert!(mail.html.contains("/me/email") && mail.html.contains("1.5 IQR"));
    assert!(
        mail.content_types.iter().any(|t| t == "text/plain"),
        "{:?}",
        mail.content_types
    );
    assert!(mail.content_types.iter().any(|t| t == "text/html"));
    assert_eq!(
        mail.list_unsubscribe_post.as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    // Every email about one thread names it, so mail clients show one conversation.
    let conversation = format!("<thread-{grace_thread}@127.0.0.1>");
    assert_eq!(mail.references.as_deref(), Some(conversation.as_str()));
    let reply_to = mail.reply_to.clone().unwrap();
    assert!(
        reply_to.starts_with("reply+") && reply_to.ends_with(REPLY_DOMAIN),
        "{reply_to}"
    );

    // A GET of the link (a person, or a mail scanner) only asks.
    let url = mail.unsubscribe_url();
    assert!(url.starts_with(&g.server.base), "{url}");
    let no_redirects = support::browser();
    let asked = no_redirects.get(&url).send().await.unwrap();
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let page_path = asked.headers()["location"].to_str().unwrap().to_owned();
    let page = no_redirects
        .get(g.server.url(&page_path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Stop notification emails"), "{page}");
    assert!(page.contains("grace@example.org"));
    let prefs = g
        .ok(
            &g.grace,
            Method::GET,
            "/api/v1/me/email-preferences",
            Value::Null,
        )
        .await;
    assert_eq!(prefs["notifications"], true, "a GET changes nothing");

    // One-click (RFC 8058): a POST with no cookie and no CSRF token.
    let one_click = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), StatusCode::OK);
    let prefs = g
        .ok(
            &g.grace,
            Method::GET,
            "/api/v1/me/email-preferences",
            Value::Null,
        )
        .await;
    assert_eq!(prefs["notifications"], false);
    g.reply(
        &g.alan,
        grace_thread,
        "Outliers are drawn as dots beyond them.",
    )
    .await;
    g.server.deliver_effects().await;
    assert_eq!(
        sink.to("grace@example.org").len(),
        1,
        "no email after unsubscribing"
    );

    // Only active accounts are ever emailed, whatever they chose.
    g.choose(&g.alan, true, "daily").await;
    guildhall_store::testing::execute(
        g.server.app.db(),
        "UPDATE users SET status = 'suspended' WHERE email = 'alan@example.org'",
    )
    .await
    .unwrap();
    g.reply(&g.grace, alan_thread, "Or a treemap, for many parts.")
        .await;
    g.server.deliver_effects().await;
    let later = chrono::Utc::now() + chrono::Duration::days(2);
    g.server.app.schedule_digests(later).await.unwrap();
    g.server.deliver_effects_due_by(later).await;
    assert!(sink.to("alan@example.org").is_empty());
}

#[tokio::test]
async fn digests_list_what_is_new_in_the_members_spaces_and_empty_ones_are_not_sent() {
    let Some(python) = peer_python("digests") else {
        return;
    };
    let sink = Sink::start(&python).await;
    let g = guild(Some(sink.port)).await;
    g.choose(&g.grace, false, "daily").await;
    g.choose(&g.hedy, false, "weekly").await;

    let thread = g
        .thread(
            &g.alan,
            "Tidy data in spreadsheets",
            "One row per observation?",
        )
        .await;
    g.reply(&g.alan, thread, "And one column per variable.")
        .await;
    g.thread(&g.grace, "My own question", "Not news to me.")
        .await;
    g.server.deliver_effects().await;

    let now = chrono::Utc::now();
    let early = g.server.app.schedule_digests(now).await.unwrap();
    assert_eq!(early, 0, "nobody's day is over yet");
    let tomorrow = now + chrono::Duration::hours(25);
    // Grace's day is over; Hedy's week is not.
    assert_eq!(g.server.app.schedule_digests(tomorrow).await.unwrap(), 1);
    g.server.deliver_effects_due_by(tomorrow).await;
    let digests = sink.to("grace@example.org");
    assert_eq!(digests.len(), 1, "{digests:?}");
    let digest = &digests[0];
    assert!(
        digest.subject.contains("daily digest"),
        "{}",
        digest.subject
    );
    assert!(digest.text.contains("Data Literacy"), "{}", digest.text);
    assert!(
        digest
            .text
            .contains("Tidy data in spreadsheets (new, 1 reply)"),
        "{}",
        digest.text
    );
    assert!(digest.text.contains(&format!("/t/{thread}")));
    assert!(
        !digest.text.contains("My own question"),
        "her own threads are not news to her"
    );
    assert!(digest.html.contains("Tidy data in spreadsheets"));
    assert!(digest.list_unsubscribe.is_some());
    assert!(digest.reply_to.is_none());

    // A quiet day: the next digest is due but empty, and not sent.
    let day_after = tomorrow + chrono::Duration::hours(25);
    assert_eq!(g.server.app.schedule_digests(day_after).await.unwrap(), 1);
    g.server.deliver_effects_due_by(day_after).await;
    assert_eq!(sink.to("grace@example.org").len(), 1);
    // Hedy's week ends, but she is in no space: nothing to tell her.
    let next_week = now + chrono::Duration::days(8);
    g.server.app.schedule_digests(next_week).await.unwrap();
    g.server.deliver_effects_due_by(next_week).await;
    assert!(sink.to("hedy@example.org").is_empty());
    assert!(sink.to("alan@example.org").is_empty());

    // The button of the confirmation page (a person without a session) stops the digest.
    let url = digest.unsubscribe_url();
    let no_session = support::browser();
    let answer = no_session
        .post(&url)
        .form(&[("List-Unsubscribe", "One-Click"), ("from_page", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let done = answer.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(done, "/email/unsubscribed?list=digest");
    let page = no_session
        .get(g.server.url(&done))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("no more digest emails"), "{page}");
    let prefs = g
        .ok(
            &g.grace,
            Method::GET,
            "/api/v1/me/email-preferences",
            Value::Null,
        )
        .await;
    assert_eq!(prefs["digest"], "off");
}

#[tokio::test]
async fn a_reply_by_email_lands_in_the_thread_and_every_other_one_is_refused() {
    let Some(python) = peer_python("replies by email") else {
        return;
    };
    let sink = Sink::start(&python).await;
    let g = guild(Some(sink.port)).await;
    g.choose(&g.grace, true, "off").await;
    let thread = g
        .thread(
            &g.grace,
            "Where do I start with SQL?",
            "I know spreadsheets well.",
        )
        .await;
    g.reply(
        &g.alan,
        thread,
        "Start with SELECT and WHERE on a table you know.",
    )
    .await;
    g.server.deliver_effects().await;
    let address = sink.to("grace@example.org")[0].reply_to.clone().unwrap();
    let before = g.posts(&g.alan, thread).await.len();

    // From another address, with a forged token, too large, or nothing but quotes: 550 or
    // 552, and nothing written.
    let (code, why) = g
        .email_reply(
            &python,
            "alan@example.org",
            &address,
            "I am Grace, honestly.",
        )
        .await;
    assert_eq!(code, 550, "{why}");
    assert!(why.contains("only from the address"), "{why}");
    let forged = address.replace("reply+", "reply+x");
    let (code, why) = g
        .email_reply(&python, "grace@example.org", &forged, "Hello")
        .await;
    assert_eq!(code, 550, "{why}");
    let tampered = {
        let (local, domain) = address.split_once('@').unwrap();
        let mut parts: Vec<&str> = local.split('-').collect();
        let thread_part = format!("{}", thread + 1);
        parts[1] = &thread_part;
        format!("{}@{domain}", parts.join("-"))
    };
    let (code, _) = g
        .email_reply(&python, "grace@example.org", &tampered, "Wrong thread")
        .await;
    assert_eq!(code, 550, "a token names one thread");
    let huge = "All the data. ".repeat(10_000);
    let (code, why) = g
        .email_reply(&python, "grace@example.org", &address, &huge)
        .await;
    assert_eq!(code, 552, "{why}");
    let only_quotes = "> Start with SELECT and WHERE\n> on a table you know.\n";
    let (code, why) = g
        .email_reply(&python, "grace@example.org", &address, only_quotes)
        .await;
    assert_eq!(code, 550, "{why}");
    assert!(why.contains("no text"), "{why}");
    assert_eq!(
        g.posts(&g.alan, thread).await.len(),
        before,
        "nothing written"
    );

    // The member's own words, from her own address (any case), land as her reply.
    let reply = "Thanks, I will try that tonight.\n\nOn Tue, 4 Dec 2026 at 10:00, Guildhall <guildhall@example.org> wrote:\n> Alan Turing replied in “Where do I start with SQL?”\n> Start with SELECT and WHERE on a table you know.\n\n-- \nGrace Hopper\nCOBOL team\n";
    let message_id = Some("reply-1@mail.example.org");
    let from = "Grace Hopper <GRACE@example.org>";
    let (code, why) = g
        .email_reply_with_id(&python, from, &address, reply, message_id)
        .await;
    assert_eq!(code, 250, "{why}");
    // A sending server that lost our answer sends it again: taken once.
    let (code, why) = g
        .email_reply_with_id(&python, from, &address, reply, message_id)
        .await;
    assert_eq!((code, why.as_str()), (250, "2.0.0 Already posted."));
    let posts = g.posts(&g.alan, thread).await;
    assert_eq!(posts.len(), before + 1);
    let (author, html) = posts.last().unwrap();
    assert_eq!(*author, g.grace.id);
    assert!(html.contains("Thanks, I will try that tonight."), "{html}");
    assert!(
        !html.contains("wrote") && !html.contains("SELECT") && !html.contains("COBOL"),
        "{html}"
    );
    // Alan hears of it like any reply.
    let told = notifications(&g.server, &g.alan).await;
    assert!(
        told.iter().any(|t| t.contains("Grace Hopper replied")),
        "{told:?}"
    );

    // A rude reply is screened like any other: held for a moderator, not shown.
    let (code, why) = g
        .email_reply(
            &python,
            "grace@example.org",
            &address,
            "Nice try. What a loser you are.",
        )
        .await;
    assert_eq!(code, 250, "{why}");
    assert!(why.contains("waits for a moderator"), "{why}");
    let posts = g.posts(&g.alan, thread).await;
    assert!(
        posts.iter().all(|(_, html)| !html.contains("loser")),
        "{posts:?}"
    );
}
