//! The one outbound HTTP client: identity providers, fediverse servers, connectors. TLS runs on
//! ring, the provider sqlx already links, so no second crypto provider is needed; it follows no
//! redirects, so an answer cannot point us at internal addresses.

use crate::{AppError, AppResult};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub type Client = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
>;

/// One client for the process: loading the system's root certificates per request is slow.
pub fn client() -> AppResult<Client> {
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
    // Plain http stays allowed: services on the internal network, and the tests' peers.
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build(connector);
    Ok(CLIENT.get_or_init(|| client).clone())
}

/// Sends a request and reads at most `limit` bytes of the answer within `timeout`.
pub async fn exchange(
    request: hyper::Request<Full<Bytes>>,
    limit: usize,
    timeout: Duration,
) -> Result<hyper::Response<Bytes>, String> {
    let client = client().map_err(|e| e.to_string())?;
    let exchange = async {
        let response = client.request(request).await.map_err(|e| e.to_string())?;
        let (parts, body) = response.into_parts();
        let body = http_body_util::Limited::new(body, limit)
            .collect()
            .await
            .map_err(|_| format!("the answer is larger than {limit} bytes or broke off"))?
            .to_bytes();
        Ok(hyper::Response::from_parts(parts, body))
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {timeout:?}"))?
}
