//! The `guildhall` binary as an operator uses it: configuration, administrators and tokens from the
//! command line, serving with metrics on their own listener, a graceful stop on SIGTERM, and
//! backup and restore. Runs on SQLite (the binary's embedded default).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_guildhall");
const PASSWORD: &str = "correct-horse-battery-9";

struct DataDir(PathBuf);

impl DataDir {
    fn new(name: &str) -> DataDir {
        let dir = std::env::temp_dir().join(format!("guildhall-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        DataDir(dir)
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn guildhall(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(data)
        .env_remove("GUILDHALL_DATABASE__URL")
        .env("GUILDHALL_DATA_DIR", data.join("data"))
        .env("GUILDHALL_LOG__FORMAT", "json")
        .stdin(Stdio::null());
    command
}

fn run(data: &Path, args: &[&str]) -> Output {
    guildhall(data, args)
        .env("GUILDHALL_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_until_ready(url: &str, child: &mut Child) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the server exited early"
        );
        if reqwest::blocking_get(url) == Ok(200) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{url} never became ready");
}

/// A tiny blocking GET over the async client, so the test needs no extra HTTP crate.
mod reqwest {
    pub fn blocking_get(url: &str) -> Result<u16, String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            ::reqwest::get(url)
                .await
                .map(|r| r.status().as_u16())
                .map_err(|e| e.to_string())
        })
    }

    pub fn blocking_text(url: &str) -> String {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async { ::reqwest::get(url).await.unwrap().text().await.unwrap() })
    }
}

#[test]
fn config_prints_the_documented_defaults() {
    let dir = DataDir::new("config");
    let output = run(&dir.0, &["config"]);
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        include_str!("../../../guildhall.example.toml")
    );
}

#[test]
fn operators_create_admins_and_tokens_and_bad_input_is_explained() {
    let dir = DataDir::new("admin");
    let created = run(
        &dir.0,
        &[
            "admin",
            "create",
            "--email",
            "ada@example.org",
            "--given-name",
            "Ada",
            "--family-name",
            "Lovelace",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let refused = run(
        &dir.0,
        &[
            "admin",
            "create",
            "--email",
            "bob@example.org",
            "--given-name",
            "B0b",
            "--family-name",
            "Smith",
        ],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("A name cannot contain digits."));

    let token = run(
        &dir.0,
        &[
            "token",
            "create",
            "--email",
            "ada@example.org",
            "--scopes",
            "read,write",
        ],
    );
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout).unwrap();
    assert!(
        token.trim().starts_with("gh_") && token.lines().count() == 1,
        "{token}"
    );

    let unknown = run(
        &dir.0,
        &["token", "create", "--email", "nobody@example.org"],
    );
    assert!(!unknown.status.success());
    let bad_scope = run(
        &dir.0,
        &[
            "token",
            "create",
            "--email",
            "ada@example.org",
            "--scopes",
            "admin",
        ],
    );
    assert!(String::from_utf8_lossy(&bad_scope.stderr).contains("Unknown scope"));
}

#[test]
fn serves_with_metrics_stops_gracefully_and_backs_up() {
    let dir = DataDir::new("serve");
    assert!(
        run(
            &dir.0,
            &[
                "admin",
                "create",
                "--email",
                "ada@example.org",
                "--given-name",
                "Ada",
                "--family-name",
                "Lovelace"
            ]
        )
        .status
        .success()
    );
    let (web, metrics) = (free_port(), free_port());
    let mut server = guildhall(&dir.0, &["serve"])
        .env("GUILDHALL_SERVER__LISTEN", format!("127.0.0.1:{web}"))
        .env("GUILDHALL_METRICS__LISTEN", format!("127.0.0.1:{metrics}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_ready(&format!("http://127.0.0.1:{web}/readyz"), &mut server);
    assert_eq!(
        reqwest::blocking_get(&format!("http://127.0.0.1:{web}/healthz")),
        Ok(200)
    );
    assert_eq!(
        reqwest::blocking_get(&format!("http://127.0.0.1:{web}/signin")),
        Ok(200)
    );
    let exposition = reqwest::blocking_text(&format!("http://127.0.0.1:{metrics}/metrics"));
    assert!(
        exposition.contains("guildhall_http_requests_total")
            && exposition.contains("route=\"/signin\""),
        "{exposition}"
    );
    assert!(
        reqwest::blocking_get(&format!("http://127.0.0.1:{web}/metrics")) == Ok(404),
        "metrics are not on the public listener"
    );

    // A backup while serving is consistent.
    let backup = dir.0.join("backup.db");
    let backed_up = run(&dir.0, &["backup", backup.to_str().unwrap()]);
    assert!(
        backed_up.status.success(),
        "{}",
        String::from_utf8_lossy(&backed_up.stderr)
    );
    assert!(
        !run(&dir.0, &["backup", backup.to_str().unwrap()])
            .status
            .success(),
        "never overwrites"
    );

    // SIGTERM: the server finishes and exits cleanly.
    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the server did not stop"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status}");
    let mut log = String::new();
    std::io::Read::read_to_string(server.stderr.as_mut().unwrap(), &mut log).unwrap();
    assert!(
        log.contains("\"stopped\"") || log.contains("stopped"),
        "{log}"
    );
    assert!(!log.contains(PASSWORD));

    // Restore: a person added after the backup is gone again, and the old file is kept aside.
    assert!(
        run(
            &dir.0,
            &[
                "admin",
                "create",
                "--email",
                "grace@example.org",
                "--given-name",
                "Grace",
                "--family-name",
                "Hopper"
            ]
        )
        .status
        .success()
    );
    let restored = run(&dir.0, &["restore", backup.to_str().unwrap()]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let token = run(&dir.0, &["token", "create", "--email", "grace@example.org"]);
    assert!(!token.status.success(), "Grace was added after the backup");
    assert!(
        run(&dir.0, &["token", "create", "--email", "ada@example.org"])
            .status
            .success()
    );
    let kept: Vec<_> = std::fs::read_dir(dir.0.join("data"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1);

    let not_a_backup = dir.0.join("junk.db");
    std::fs::write(&not_a_backup, b"this is not a database").unwrap();
    assert!(
        !run(&dir.0, &["restore", not_a_backup.to_str().unwrap()])
            .status
            .success()
    );
}

#[test]
fn the_demo_fills_an_empty_organisation_once() {
    let dir = DataDir::new("demo");
    let filled = run(&dir.0, &["demo"]);
    assert!(
        filled.status.success(),
        "{}",
        String::from_utf8_lossy(&filled.stderr)
    );
    assert!(String::from_utf8_lossy(&filled.stdout).contains("amara.okafor@northwind.example"));
    assert!(
        String::from_utf8_lossy(&filled.stderr).contains("Threads: 320/320"),
        "progress is shown"
    );
    let again = run(&dir.0, &["demo"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("fills an empty database only"));
}
