//! Outbound HTTP for connectors: hyper with rustls on ring (the crypto provider sqlx already
//! links), a timeout on every request, a cap on what we read back, no redirects followed (a
//! webhook answering with a redirect should not send us to an internal address).

use crate::{AppError, AppResult};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::Method;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

type Client = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
>;

/// Platforms answer with a few bytes ("ok", an event id); more is not read.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// What came back: the status and the (capped) body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Bytes,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// "HTTP 404: <first line of the body>", for the connector's last error.
    pub fn describe(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let first: String = text
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(200)
            .collect();
        format!("HTTP {}: {first}", self.status)
    }
}

fn client() -> AppResult<Client> {
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
    .map_err(|e| AppError::Internal(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    // Plain http stays allowed: chat servers on the internal network, and the tests' receivers.
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build(connector);
    Ok(CLIENT.get_or_init(|| client).clone())
}

/// Sends one request with a JSON (or empty) body; an error names what went wrong in words an
/// administrator can act on.
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
    timeout: Duration,
) -> Result<Answer, String> {
    let client = client().map_err(|e| e.to_string())?;
    let mut request = hyper::Request::builder()
        .method(method)
        .uri(url)
        .header(hyper::header::USER_AGENT, "Guildhall connectors");
    if !body.is_empty() {
        request = request.header(hyper::header::CONTENT_TYPE, "application/json");
    }
    for (name, value) in headers {
        request = request.header(*name, value.as_str());
    }
    let request = request
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("the address or a header is not valid: {e}"))?;
    let exchange = async {
        let response = client
            .request(request)
            .await
            .map_err(|e| format!("could not connect: {e}"))?;
        let status = response.status().as_u16();
        let body = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
            .collect()
            .await
            .map(|collected| collected.to_bytes())
            // The status is what matters; an answer too long to read is no failure of ours.
            .unwrap_or_default();
        Ok(Answer { status, body })
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {} seconds", timeout.as_secs()))?
}
