//! Open Badges 3.0 credentials: our own signer and verifier agree, the status list round-trips,
//! and an independent verifier — PyPI `openbadgeslib` with 1EdTech's JSON Schemas
//! (`tools/peers/openbadges/verify.py`) — accepts what we issue and refuses tampered, forged and
//! revoked badges. The peer runs when a Python with openbadgeslib is found
//! (`GUILDHALL_OPENBADGES_PYTHON`, else the venv `./test.sh` keeps under
//! `~/.cache/guildhall/venv`); otherwise that part prints "skipped" and returns.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeZone, Utc};
use guildhall_domain::rewards::credential::{
    AchievementInfo, Award, CredentialError, Issuer, IssuerKey, PublicKey, credential,
    issuer_profile, jwks, sign_jwt, types_of, verify_jwt,
};
use guildhall_domain::rewards::status_list::{
    MIN_ENTRIES, StatusEntry, StatusList, status_list_credential,
};
use proptest::prelude::*;
use serde_json::Value;

const EMAIL: &str = "Ada.Lovelace@Example.org";

fn issuer(base: &str) -> Issuer {
    Issuer {
        id: format!("{base}/issuer"),
        name: "Guildhall Test Community".into(),
        url: format!("{base}/"),
        email: Some("badges@guild.example".into()),
    }
}

fn award(base: &str, number: u32, issued_at: DateTime<Utc>) -> Award {
    Award {
        credential_id: format!("{base}/badges/awards/{number}"),
        recipient_name: "Ada Lovelace".into(),
        recipient_email: Some(EMAIL.into()),
        recipient_url: Some(format!("{base}/people/ada")),
        salt: format!("salt-{number}"),
        issued_at,
        achievement: AchievementInfo {
            id: format!("{base}/badges/first-answer"),
            name: "First accepted answer".into(),
            description: "Gave an answer the asker accepted.".into(),
            criteria: "Write an answer that the person who asked marks as accepted.".into(),
            image: Some(format!("{base}/badges/first-answer.svg")),
        },
        evidence: Some(format!("{base}/t/42#p7")),
        status: Some(StatusEntry {
            list_url: format!("{base}/badges/status/1"),
            index: number,
        }),
    }
}

/// Replaces one claim of a signed token's payload, keeping its header and signature.
fn tamper(jwt: &str, change: impl FnOnce(&mut Value)) -> String {
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    change(&mut payload);
    let payload = URL_SAFE_NO_PAD.encode(payload.to_string());
    format!("{}.{payload}.{}", parts[0], parts[2])
}

fn issued_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 15, 9, 26).unwrap()
}

fn later() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap()
}

#[test]
fn a_signed_badge_verifies_with_its_key_only() {
    let base = "https://guild.example";
    let issuer = issuer(base);
    let key = IssuerKey::from_seed(&issuer, [11; 32]);
    let badge = credential(&issuer, &award(base, 7, issued_at()));
    let jwt = sign_jwt(&badge, &key).unwrap();

    let payload = verify_jwt(&jwt, &key.public(), later()).unwrap();
    assert!(types_of(&payload).contains("OpenBadgeCredential"));
    assert_eq!(payload["credentialSubject"], badge["credentialSubject"]);

    // The key also reads back from the published profile and JWKS.
    let profile = issuer_profile(&issuer, &key);
    let published = PublicKey::from_jwk(&profile["verificationMethod"][0]["publicKeyJwk"]).unwrap();
    assert_eq!(published, key.public());
    assert_eq!(published.kid(), profile["verificationMethod"][0]["id"]);
    assert_eq!(
        PublicKey::from_jwk(&jwks(&key)["keys"][0]).unwrap(),
        key.public()
    );

    // Any claim changed after signing breaks the signature.
    let renamed = tamper(&jwt, |p| {
        p["credentialSubject"]["achievement"]["name"] = "Founder".into();
    });
    assert_eq!(
        verify_jwt(&renamed, &key.public(), later()),
        Err(CredentialError::Signature)
    );
    let someone_else = tamper(&jwt, |p| {
        p["sub"] = "https://guild.example/people/mallory".into();
    });
    assert_eq!(
        verify_jwt(&someone_else, &key.public(), later()),
        Err(CredentialError::Signature)
    );

    // Another key under the same kid (a forger) fails; so does our key under another kid.
    let forger = IssuerKey::from_seed(&issuer, [12; 32]);
    let forged = sign_jwt(&badge, &forger).unwrap();
    assert_eq!(
        verify_jwt(&forged, &key.public(), later()),
        Err(CredentialError::Signature)
    );
    let rotated = IssuerKey::with_kid(format!("{}#key-2", issuer.id), [11; 32]);
    assert!(matches!(
        verify_jwt(&sign_jwt(&badge, &rotated).unwrap(), &key.public(), later()),
        Err(CredentialError::WrongKey { .. })
    ));
}

#[test]
fn headers_other_than_eddsa_are_refused() {
    let base = "https://guild.example";
    let issuer = issuer(base);
    let key = IssuerKey::from_seed(&issuer, [11; 32]);
    let jwt = sign_jwt(&credential(&issuer, &award(base, 1, issued_at())), &key).unwrap();
    let with_header = |header: Value| {
        let rest = jwt.split_once('.').unwrap().1;
        format!("{}.{rest}", URL_SAFE_NO_PAD.encode(header.to_string()))
    };
    let kid = key.kid();
    assert_eq!(
        verify_jwt(
            &with_header(serde_json::json!({"alg": "none", "kid": kid})),
            &key.public(),
            later()
        ),
        Err(CredentialError::Algorithm("none".into()))
    );
    assert_eq!(
        verify_jwt(
            &with_header(serde_json::json!({"alg": "HS256", "kid": kid})),
            &key.public(),
            later()
        ),
        Err(CredentialError::Algorithm("HS256".into()))
    );
    assert_eq!(
        verify_jwt(
            &with_header(serde_json::json!({"alg": "EdDSA", "kid": kid, "crit": ["b64"]})),
            &key.public(),
            later()
        ),
        Err(CredentialError::HeaderMember("crit".into()))
    );
    assert_eq!(
        verify_jwt("a.b", &key.public(), later()),
        Err(CredentialError::NotCompact)
    );
}

#[test]
fn a_revoked_bit_reads_back_from_the_signed_list() {
    let base = "https://guild.example";
    let issuer = issuer(base);
    let key = IssuerKey::from_seed(&issuer, [11; 32]);
    let mut list = StatusList::new();
    list.set(42, true).unwrap();
    let list_url = format!("{base}/badges/status/1");
    let unsigned = status_list_credential(&issuer, &list_url, &list, issued_at(), None);
    assert_eq!(unsigned["credentialSubject"]["statusPurpose"], "revocation");
    let signed = sign_jwt(&unsigned, &key).unwrap();

    let payload = verify_jwt(&signed, &key.public(), later()).unwrap();
    let read = StatusList::from_credential(&payload).unwrap();
    assert!(read.get(42).unwrap());
    assert!(!read.get(7).unwrap());
    assert_eq!(read.revoked().collect::<Vec<_>>(), vec![42]);

    // A list past its validUntil is refused, so an old copy cannot be replayed.
    let bounded = status_list_credential(
        &issuer,
        &list_url,
        &list,
        issued_at(),
        Some(Utc.with_ymd_and_hms(2026, 3, 21, 0, 0, 0).unwrap()),
    );
    assert!(matches!(
        verify_jwt(&sign_jwt(&bounded, &key).unwrap(), &key.public(), later()),
        Err(CredentialError::Expired(_))
    ));

    // The badge's own entry points at that bit.
    let badge = credential(&issuer, &award(base, 42, issued_at()));
    assert_eq!(badge["credentialStatus"]["statusListIndex"], "42");
    assert_eq!(badge["credentialStatus"]["statusListCredential"], list_url);
    assert_eq!(
        badge["credentialStatus"]["type"],
        "BitstringStatusListEntry"
    );
}

proptest! {
    #[test]
    fn status_lists_round_trip_through_their_encoding(
        indexes in proptest::collection::btree_set(0usize..MIN_ENTRIES, 0..48),
        cleared in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let mut list = StatusList::new();
        for &index in &indexes {
            list.set(index, true).unwrap();
        }
        let mut expected = indexes.clone();
        let all: Vec<usize> = indexes.iter().copied().collect();
        for pick in cleared {
            if !all.is_empty() {
                let index = all[pick.index(all.len())];
                list.set(index, false).unwrap();
                expected.remove(&index);
            }
        }
        let back = StatusList::decode(&list.encode()).unwrap();
        prop_assert_eq!(back.revoked().collect::<BTreeSet<_>>(), expected);
        prop_assert_eq!(back, list);
    }
}

// ---------------------------------------------------------------------------------------------
// The independent verifier.

/// A Python that has openbadgeslib and jsonschema, or why there is none.
fn peer_python() -> Result<PathBuf, String> {
    let python = match std::env::var_os("GUILDHALL_OPENBADGES_PYTHON") {
        Some(python) => PathBuf::from(python),
        None => {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")))
                .ok_or("neither XDG_CACHE_HOME nor HOME is set")?;
            cache.join("guildhall/venv/bin/python")
        }
    };
    if !python.exists() {
        return Err(format!("{} does not exist", python.display()));
    }
    let probe = Command::new(&python)
        .args(["-c", "import openbadgeslib.ob3, jsonschema"])
        .output()
        .map_err(|error| format!("{} does not run: {error}", python.display()))?;
    if !probe.status.success() {
        return Err(format!(
            "{} lacks openbadgeslib or jsonschema (pip install -r tools/peers/openbadges/requirements.txt)",
            python.display()
        ));
    }
    Ok(python)
}

/// Serves fixed documents over HTTP/1.1 on 127.0.0.1 until dropped.
struct Documents {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Documents {
    fn bind() -> (TcpListener, SocketAddr) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        (listener, addr)
    }

    fn serve(listener: TcpListener, documents: BTreeMap<String, (&'static str, String)>) -> Self {
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    answer(stream, &documents);
                }
            }
        });
        Documents {
            addr,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Documents {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn answer(stream: TcpStream, documents: &BTreeMap<String, (&'static str, String)>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Reads the headers through so the client is not reset while still sending.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let response = match documents.get(path) {
        Some((content_type, body)) => format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
        None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".into(),
    };
    let mut stream = &stream;
    let _ = stream.write_all(response.as_bytes());
}

#[test]
fn openbadgeslib_accepts_our_badges_and_refuses_tampered_forged_and_revoked_ones() {
    let python = match peer_python() {
        Ok(python) => python,
        Err(why) => {
            println!(
                "skipped: the independent Open Badges verifier needs a Python with openbadgeslib: {why}"
            );
            return;
        }
    };
    let (listener, addr) = Documents::bind();
    let base = format!("http://{addr}");
    let issuer = issuer(&base);
    let key = IssuerKey::from_seed(&issuer, [21; 32]);
    // Issued a minute ago by the wall clock: openbadgeslib checks against its own clock.
    let now = Utc::now() - chrono::Duration::minutes(1);
    let now = Utc.timestamp_opt(now.timestamp(), 0).unwrap();

    let mut list = StatusList::new();
    list.set(42, true).unwrap();
    let list_url = format!("{base}/badges/status/1");
    let list_jwt = sign_jwt(
        &status_list_credential(
            &issuer,
            &list_url,
            &list,
            now,
            Some(now + chrono::Duration::days(7)),
        ),
        &key,
    )
    .unwrap();
    let documents = BTreeMap::from([
        (
            "/issuer".to_owned(),
            (
                "application/ld+json",
                issuer_profile(&issuer, &key).to_string(),
            ),
        ),
        (
            "/.well-known/jwks.json".to_owned(),
            ("application/json", jwks(&key).to_string()),
        ),
        (
            "/badges/status/1".to_owned(),
            ("application/vc+jwt", list_jwt.clone()),
        ),
    ]);
    let server = Documents::serve(listener, documents);

    let valid = sign_jwt(&credential(&issuer, &award(&base, 7, now)), &key).unwrap();
    let revoked = sign_jwt(&credential(&issuer, &award(&base, 42, now)), &key).unwrap();
    let tampered = tamper(&valid, |p| {
        p["credentialSubject"]["achievement"]["name"] = "Founder".into();
    });
    let forged = sign_jwt(
        &credential(&issuer, &award(&base, 8, now)),
        &IssuerKey::from_seed(&issuer, [22; 32]),
    )
    .unwrap();

    // Our own verifier agrees with what the peer must say.
    let public = key.public();
    assert!(verify_jwt(&valid, &public, Utc::now()).is_ok());
    assert!(verify_jwt(&revoked, &public, Utc::now()).is_ok());
    assert_eq!(
        verify_jwt(&tampered, &public, Utc::now()),
        Err(CredentialError::Signature)
    );
    assert_eq!(
        verify_jwt(&forged, &public, Utc::now()),
        Err(CredentialError::Signature)
    );
    let served_list = verify_jwt(&list_jwt, &public, Utc::now()).unwrap();
    let served_list = StatusList::from_credential(&served_list).unwrap();
    assert!(served_list.get(42).unwrap() && !served_list.get(7).unwrap());

    let dir = std::env::temp_dir().join(format!(
        "guildhall-open-badges-{}-{}",
        std::process::id(),
        Utc::now().timestamp_micros()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let tokens = [
        ("valid", &valid),
        ("revoked", &revoked),
        ("tampered", &tampered),
        ("forged", &forged),
    ];
    let mut files = Vec::new();
    for (name, token) in tokens {
        let file = dir.join(format!("{name}.jwt"));
        std::fs::write(&file, token).unwrap();
        files.push(file);
    }
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/peers/openbadges/verify.py");
    let output = Command::new(&python)
        .arg(&script)
        .args(["--allow-loopback-http", "--email", EMAIL])
        .args(&files)
        .output()
        .unwrap();
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("verify.py said:\n{stdout}");
    let results: BTreeMap<String, Value> = stdout
        .lines()
        .map(|line| {
            let result: Value = serde_json::from_str(line)
                .unwrap_or_else(|_| panic!("verify.py printed {line:?}; stderr: {stderr}"));
            let name = Path::new(result["file"].as_str().unwrap())
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, result)
        })
        .collect();
    assert_eq!(results.len(), 4, "stdout: {stdout}\nstderr: {stderr}");
    assert_eq!(
        output.status.code(),
        Some(1),
        "one or more must fail: {stdout}"
    );

    let valid = &results["valid"];
    assert_eq!(valid["valid"], true, "{valid}\nstderr: {stderr}");
    for check in [
        "openbadgeslib",
        "profile_schema",
        "credential_schema",
        "email",
    ] {
        assert_eq!(valid["checks"][check], "ok", "{check}: {valid}");
    }

    let reason = |name: &str| {
        let result = &results[name];
        assert_eq!(result["valid"], false, "{name} passed: {result}");
        result["reason"].as_str().unwrap().to_lowercase()
    };
    assert!(
        reason("tampered").contains("signature"),
        "{}",
        results["tampered"]
    );
    assert!(
        reason("forged").contains("signature"),
        "{}",
        results["forged"]
    );
    let revoked = reason("revoked");
    assert!(
        revoked.contains("revocation") && revoked.contains("index 42"),
        "{}",
        results["revoked"]
    );
}
