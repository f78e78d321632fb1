//! Outbound HTTP for connectors through the app's one client (`crate::http`): a timeout on
//! every request, a cap on what we read back, no redirects followed (a webhook answering with
//! a redirect should not send us to an internal address).

use bytes::Bytes;
use http_body_util::Full;
use hyper::Method;
use std::time::Duration;

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

/// Sends one request with a JSON (or empty) body; an error names what went wrong in words an
/// administrator can act on.
pub async fn send(
    method: Method,
    url: &str,
    headers: &[(&str, String)],
    body: Vec<u8>,
    timeout: Duration,
) -> Result<Answer, String> {
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
    let response = crate::http::exchange(request, MAX_ANSWER_BYTES, timeout).await?;
    Ok(Answer {
        status: response.status().as_u16(),
        body: response.into_body(),
    })
}
