//! One signed POST of an activity to one remote inbox (an outbox effect). draft-cavage first,
//! RFC 9421 when the server refuses it; any other failure is retried by the outbox with backoff.

use bytes::Bytes;
use guildhall_app::App;
use guildhall_app::nexus::federation::Delivery;
use guildhall_app::outbox::EffectResult;
use guildhall_domain::nexus::documents::MEDIA_TYPE;
use guildhall_domain::nexus::signatures::{self, Outgoing, Scheme};
use http_body_util::Full;
use serde_json::Value;
use std::time::Duration;

const DELIVERY_TIMEOUT: Duration = Duration::from_secs(15);
/// We read only enough of an inbox's answer to report it.
const MAX_ANSWER_BYTES: usize = 16 * 1024;

pub async fn deliver(app: App, payload: Value) -> EffectResult {
    let delivery: Delivery =
        serde_json::from_value(payload).map_err(|e| format!("malformed delivery: {e}"))?;
    let url = url::Url::parse(&delivery.inbox).map_err(|_| "the inbox is not a URL".to_owned())?;
    let (private_key, _) = app.federation_key().await.map_err(|e| e.to_string())?;
    let body = delivery.activity.to_string();
    let mut refused = String::new();
    for scheme in [Scheme::Cavage, Scheme::Rfc9421] {
        let headers = signatures::sign(
            scheme,
            &Outgoing {
                method: "POST",
                url: &url,
                body: Some(body.as_bytes()),
                date: chrono::Utc::now(),
            },
            &delivery.key_id,
            &private_key,
        )
        .map_err(|e| e.to_string())?;
        let mut request = hyper::Request::post(url.as_str()).header("content-type", MEDIA_TYPE);
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let request = request
            .body(Full::new(Bytes::from(body.clone())))
            .map_err(|e| e.to_string())?;
        let response =
            guildhall_app::http::exchange(request, MAX_ANSWER_BYTES, DELIVERY_TIMEOUT).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        refused = format!(
            "{} answered {status}: {}",
            delivery.inbox,
            String::from_utf8_lossy(response.body())
                .chars()
                .take(200)
                .collect::<String>()
        );
        if !matches!(status.as_u16(), 401 | 403) {
            break;
        }
    }
    Err(refused)
}
