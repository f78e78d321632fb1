//! Remote actors: fetched with a signed GET (strict servers refuse unsigned ones), read into a
//! remote person, and kept with their key so that the next activity needs no fetch.

use bytes::Bytes;
use guildhall_app::App;
use guildhall_app::nexus::remote::{RemoteAuthor, RemoteProfile};
use guildhall_domain::nexus::Origin;
use guildhall_domain::nexus::documents::MEDIA_TYPE;
use guildhall_domain::nexus::servers::host_of;
use guildhall_domain::nexus::signatures::{self, Outgoing, Scheme};
use http_body_util::Full;
use serde_json::Value;
use std::time::Duration;

const MAX_ACTOR_BYTES: usize = 512 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// The person behind `actor`, from what we know or freshly fetched when `refresh` is asked
/// (an unknown actor, or a key that no longer verifies).
pub async fn resolve(app: &App, actor: &str, refresh: bool) -> Result<RemoteAuthor, String> {
    if !refresh
        && let Some(known) = app
            .remote_person(Origin::Fediverse, actor)
            .await
            .map_err(|e| e.to_string())?
        && !known.public_key_pem.is_empty()
    {
        return Ok(known);
    }
    let document = fetch(app, actor).await?;
    let profile = read_actor(actor, &document)?;
    app.remember_remote(Origin::Fediverse, &profile)
        .await
        .map_err(|e| e.to_string())
}

/// A signed GET of an ActivityPub document.
pub async fn fetch(app: &App, address: &str) -> Result<Value, String> {
    let url = url::Url::parse(address).map_err(|_| "not a URL".to_owned())?;
    let (private_key, _) = app.federation_key().await.map_err(|e| e.to_string())?;
    let instance_actor = format!("{}/ap/actor", app.public_base());
    let mut last_error = String::new();
    // Today's servers want draft-cavage; a server that refuses it gets RFC 9421.
    for scheme in [Scheme::Cavage, Scheme::Rfc9421] {
        let headers = signatures::sign(
            scheme,
            &Outgoing {
                method: "GET",
                url: &url,
                body: None,
                date: chrono::Utc::now(),
            },
            &format!("{instance_actor}#main-key"),
            &private_key,
        )
        .map_err(|e| e.to_string())?;
        let mut request = hyper::Request::get(url.as_str()).header(
            "accept",
            format!("{MEDIA_TYPE}, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""),
        );
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let request = request
            .body(Full::new(Bytes::new()))
            .map_err(|e| e.to_string())?;
        let response =
            guildhall_app::http::exchange(request, MAX_ACTOR_BYTES, FETCH_TIMEOUT).await?;
        let status = response.status();
        if status.is_success() {
            return serde_json::from_slice(response.body())
                .map_err(|_| format!("{address} answered with something that is not JSON"));
        }
        last_error = format!("{address} answered {status}");
        if !matches!(status.as_u16(), 401 | 403) {
            break;
        }
    }
    Err(last_error)
}

/// What an actor document says of its person; its id must be the address we asked for and
/// its key must be its own.
pub fn read_actor(address: &str, document: &Value) -> Result<RemoteProfile, String> {
    let text = |value: &Value, field: &str| -> String {
        value
            .get(field)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if text(document, "id") != address {
        return Err("the actor document is not the one asked for".into());
    }
    let key = document
        .get("publicKey")
        .ok_or_else(|| "the actor publishes no key".to_owned())?;
    let key = match key {
        Value::Array(keys) => keys.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    if text(&key, "owner") != address {
        return Err("the actor's key belongs to someone else".into());
    }
    let key_id = text(&key, "id");
    if host_of(&key_id) != host_of(address) {
        return Err("the actor's key lives on another server".into());
    }
    let inbox = text(document, "inbox");
    if host_of(&inbox).is_none() {
        return Err("the actor has no inbox".into());
    }
    let server = host_of(address).ok_or_else(|| "the actor id is not a URL".to_owned())?;
    let handle = match text(document, "preferredUsername") {
        name if !name.is_empty() => name,
        _ => address.rsplit('/').next().unwrap_or("someone").to_owned(),
    };
    let shared_inbox = document
        .get("endpoints")
        .map(|endpoints| text(endpoints, "sharedInbox"))
        .filter(|inbox| host_of(inbox).is_some())
        .unwrap_or_default();
    Ok(RemoteProfile {
        address: address.to_owned(),
        handle,
        server,
        display_name: text(document, "name"),
        profile_url: match text(document, "url") {
            url if host_of(&url).is_some() => url,
            _ => address.to_owned(),
        },
        inbox,
        shared_inbox,
        public_key_id: key_id,
        public_key_pem: text(&key, "publicKeyPem"),
    })
}
