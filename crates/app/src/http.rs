//! The one outbound HTTP client: identity providers, fediverse servers, connectors. TLS runs on
//! ring, the provider sqlx already links, so no second crypto provider is needed; it follows no
//! redirects, so an answer cannot point us at internal addresses. It trusts the system's certificate
//! authorities and those of `[http] extra_roots`.

use crate::{AppError, AppResult};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub type Client = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
>;

/// The client, built once for the process (loading the system's root certificates per request
/// is slow), and built again only when `trust` adds certificate authorities.
struct Shared {
    extra_roots: Vec<CertificateDer<'static>>,
    client: Option<Client>,
}

static SHARED: Mutex<Shared> = Mutex::new(Shared {
    extra_roots: Vec::new(),
    client: None,
});

fn shared() -> AppResult<std::sync::MutexGuard<'static, Shared>> {
    SHARED
        .lock()
        .map_err(|_| AppError::Internal("the HTTP client's lock is poisoned".into()))
}

pub fn client() -> AppResult<Client> {
    let mut shared = shared()?;
    if let Some(client) = &shared.client {
        return Ok(client.clone());
    }
    let client = build(&shared.extra_roots)?;
    shared.client = Some(client.clone());
    Ok(client)
}

/// Trusts the certificate authorities of a PEM file beside the system's, for every request from
/// now on (`[http] extra_roots`: a private authority, or a test peer's). Returns how many it holds.
pub fn trust(pem_file: &Path) -> AppResult<usize> {
    let roots = read_roots(pem_file).map_err(AppError::Internal)?;
    let mut shared = shared()?;
    let before = shared.extra_roots.len();
    for root in &roots {
        if !shared.extra_roots.contains(root) {
            shared.extra_roots.push(root.clone());
        }
    }
    if shared.extra_roots.len() != before {
        shared.client = None;
    }
    Ok(roots.len())
}

/// The certificates of a PEM file; a file without one is a mistake worth stopping for.
pub fn read_roots(pem_file: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let shown = pem_file.display();
    let roots = CertificateDer::pem_file_iter(pem_file)
        .map_err(|e| format!("{shown}: {e}"))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{shown}: {e}"))?;
    if roots.is_empty() {
        return Err(format!("{shown} holds no PEM certificate"));
    }
    Ok(roots)
}

fn build(extra_roots: &[CertificateDer<'static>]) -> AppResult<Client> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        // A malformed system certificate should not stop the others from working.
        let _ = roots.add(cert);
    }
    for cert in extra_roots {
        roots
            .add(cert.clone())
            .map_err(|e| AppError::Internal(format!("an extra root certificate: {e}")))?;
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
    Ok(
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(connector),
    )
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
