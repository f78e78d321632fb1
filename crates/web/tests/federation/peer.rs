//! A small fediverse server inside the test: one actor with its own RSA key, an inbox that
//! keeps what it receives, and a signer for what the actor sends. The real peers (Fedify,
//! bovine) run in `./test.sh`; this one lets every refusal be provoked on both backends.
#![allow(clippy::unwrap_used)] // tests fail loudly on purpose

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use guildhall_domain::nexus::signatures::{self, Outgoing, Scheme};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, OnceLock};

/// What the peer's inbox received: the headers and the activity of each request.
pub type Received = Arc<Mutex<Vec<(Vec<(String, String)>, Value)>>>;

pub struct Peer {
    pub base: String,
    pub host: String,
    pub received: Received,
}

/// One key pair for every test: generating RSA keys takes a moment.
pub fn keys() -> &'static ((String, String), (String, String)) {
    static KEYS: OnceLock<((String, String), (String, String))> = OnceLock::new();
    KEYS.get_or_init(|| {
        (
            signatures::generate_key().unwrap(),
            signatures::generate_key().unwrap(),
        )
    })
}

#[derive(Clone)]
struct PeerState {
    base: String,
    received: Received,
}

impl Peer {
    pub async fn start() -> Peer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let base = format!("http://{host}");
        let received = Arc::new(Mutex::new(Vec::new()));
        let state = PeerState {
            base: base.clone(),
            received: received.clone(),
        };
        let router = Router::new()
            .route("/users/ana", get(actor))
            .route("/users/ana/inbox", post(inbox))
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Peer {
            base,
            host,
            received,
        }
    }

    pub fn actor(&self) -> String {
        format!("{}/users/ana", self.base)
    }

    /// POSTs `activity` to `inbox`, signed by the actor's key (or another one).
    pub async fn send(
        &self,
        inbox: &str,
        activity: &Value,
        scheme: Scheme,
        own_key: bool,
    ) -> (reqwest::StatusCode, Value) {
        let body = activity.to_string();
        let url = url::Url::parse(inbox).unwrap();
        let key = if own_key { &keys().0.0 } else { &keys().1.0 };
        let headers = signatures::sign(
            scheme,
            &Outgoing {
                method: "POST",
                url: &url,
                body: Some(body.as_bytes()),
                date: chrono::Utc::now(),
            },
            &format!("{}#main-key", self.actor()),
            key,
        )
        .unwrap();
        send_raw(inbox, &headers, body.into_bytes()).await
    }

    pub fn received(&self) -> Vec<(Vec<(String, String)>, Value)> {
        self.received.lock().unwrap().clone()
    }
}

pub async fn send_raw(
    inbox: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> (reqwest::StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .post(inbox)
        .header("content-type", "application/activity+json");
    for (name, value) in headers {
        if name != "host" {
            request = request.header(name.as_str(), value.as_str());
        }
    }
    let response = request.body(body).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn actor(State(state): State<PeerState>) -> axum::response::Response {
    let id = format!("{}/users/ana", state.base);
    let document = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "type": "Person",
        "id": id,
        "preferredUsername": "ana",
        "name": "Ana from the partner organisation",
        "inbox": format!("{id}/inbox"),
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": keys().0.1 },
    });
    axum::response::IntoResponse::into_response((
        [("content-type", "application/activity+json")],
        document.to_string(),
    ))
}

async fn inbox(State(state): State<PeerState>, headers: HeaderMap, body: Bytes) -> &'static str {
    let headers = headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let activity = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state.received.lock().unwrap().push((headers, activity));
    "ok"
}
