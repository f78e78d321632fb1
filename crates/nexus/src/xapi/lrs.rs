//! Delivering one statement to the Learning Record Store: `POST {endpoint}/statements` with the
//! xAPI version header and HTTP Basic credentials. The statement's id was fixed when the moment
//! was recorded, so a retry after a lost answer is the same statement to the LRS.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use guildhall_app::App;
use guildhall_app::outbox::EffectResult;
use http_body_util::Full;
use hyper::header;
use serde_json::Value;
use std::time::Duration;

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
    let response = guildhall_app::http::exchange(request, MAX_ANSWER_BYTES, TIMEOUT)
        .await
        .map_err(|e| format!("xapi: {url}: {e}"))?;
    let (status, body) = (response.status(), response.into_body());
    // 409: the LRS holds a statement with this id already — an earlier attempt arrived.
    if status.is_success() || status == hyper::StatusCode::CONFLICT {
        return Ok(());
    }
    let answer = String::from_utf8_lossy(&body);
    let answer: String = answer.chars().take(500).collect();
    Err(format!("xapi: the LRS answered {status}: {answer}"))
}
