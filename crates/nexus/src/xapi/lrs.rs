//! Delivering one statement to the Learning Record Store: `POST {endpoint}/statements` with the
//! xAPI version header and HTTP Basic credentials. The statement's id was fixed when the moment
//! was recorded, so a retry after a lost answer is the same statement to the LRS.
//!
//! HTTP goes through hyper with rustls on ring, as the app's identity-provider client does
//! (reqwest's rustls would link a second crypto provider).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use guildhall_app::App;
use guildhall_app::outbox::EffectResult;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

type Client = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
>;

/// An LRS that takes longer is treated as down; the outbox tries again later.
const TIMEOUT: Duration = Duration::from_secs(15);
/// Enough of an LRS's answer to explain a refusal in the dead-letter list.
const MAX_ANSWER_BYTES: usize = 64 * 1024;
const VERSION: &str = "1.0.3";

pub(super) async fn deliver(app: App, statement: Value) -> EffectResult {
    let settings = &app.settings().xapi;
    // Kept for later rather than dropped: an LRS switched off by mistake loses nothing, and
    // administrators see the waiting statements among the dead letters.
    if !settings.enabled {
        return Err("xapi is not enabled: the statement waits for an LRS".into());
    }
    let url = format!("{}/statements", settings.endpoint.trim_end_matches('/'));
    let mut request = hyper::Request::post(&url)
        .header(header::CONTENT_TYPE, "application/json")
        .header("X-Experience-API-Version", VERSION);
    if !settings.key.is_empty() || !settings.secret.is_empty() {
        let pair = format!("{}:{}", settings.key, settings.secret.expose());
        request = request.header(
            header::AUTHORIZATION,
            format!("Basic {}", STANDARD.encode(pair)),
        );
    }
    let request = request
        .body(Full::new(Bytes::from(statement.to_string())))
        .map_err(|e| format!("xapi: cannot build the request to {url}: {e}"))?;
    let exchange = async {
        let response = client()?
            .request(request)
            .await
            .map_err(|e| format!("xapi: {url} cannot be reached: {e}"))?;
        let status = response.status();
        let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        Ok::<_, String>((status, body))
    };
    let (status, body) = tokio::time::timeout(TIMEOUT, exchange)
        .await
        .map_err(|_| format!("xapi: {url} did not answer within {TIMEOUT:?}"))??;
    // 409: the LRS holds a statement with this id already — an earlier attempt arrived.
    if status.is_success() || status == hyper::StatusCode::CONFLICT {
        return Ok(());
    }
    let answer = String::from_utf8_lossy(&body);
    let answer: String = answer.chars().take(500).collect();
    Err(format!("xapi: the LRS answered {status}: {answer}"))
}

/// One client for every delivery: loading the system's root certificates per request is slow.
fn client() -> Result<Client, String> {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    if let Some(client) = CLIENT.get() {
        return Ok(client.clone());
    }
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        // A malformed system certificate should not stop the others from working.
        let _ = roots.add(cert);
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| format!("TLS: {e}"))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    // Plain http stays allowed: an LRS on the internal network, and the tests' LRS.
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build(connector);
    Ok(CLIENT.get_or_init(|| client).clone())
}
