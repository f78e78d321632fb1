//! The few client-server API calls the application service makes, as itself or as one of its
//! virtual users (`?user_id=`), with the `as_token`.

use super::super::http::{self, Answer};
use crate::App;
use hyper::Method;
use serde_json::{Value, json};
use std::time::Duration;

pub(super) struct Client {
    base: url::Url,
    token: String,
    server_name: String,
    bot_localpart: String,
    timeout: Duration,
}

impl Client {
    /// `None` when Matrix is not configured.
    pub(super) fn new(app: &App) -> Option<Client> {
        let settings = &app.settings().connectors.matrix;
        if settings.as_token.is_empty() || settings.server_name.is_empty() {
            return None;
        }
        Some(Client {
            base: url::Url::parse(&settings.homeserver_url).ok()?,
            token: settings.as_token.expose().to_owned(),
            server_name: settings.server_name.clone(),
            bot_localpart: settings.sender_localpart.clone(),
            timeout: app.connector_timeout(),
        })
    }

    pub(super) fn bot(&self) -> String {
        format!("@{}:{}", self.bot_localpart, self.server_name)
    }

    fn url(&self, segments: &[&str], user: Option<&str>) -> Result<String, String> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| "the homeserver address cannot take a path".to_owned())?
            .pop_if_empty()
            .extend(["_matrix", "client", "v3"])
            .extend(segments);
        if let Some(user) = user {
            url.query_pairs_mut().append_pair("user_id", user);
        }
        Ok(url.to_string())
    }

    async fn call(
        &self,
        method: Method,
        segments: &[&str],
        user: Option<&str>,
        body: &Value,
    ) -> Result<Answer, String> {
        let url = self.url(segments, user)?;
        let body = if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(body).map_err(|e| e.to_string())?
        };
        let auth = [("authorization", format!("Bearer {}", self.token))];
        http::send(method, &url, &auth, body, self.timeout).await
    }

    fn errcode(answer: &Answer) -> String {
        serde_json::from_slice::<Value>(&answer.body)
            .ok()
            .and_then(|v| v["errcode"].as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Registers the virtual user (once: "in use" is fine) and gives it the member's name.
    pub(super) async fn ensure_user(&self, user: &str, name: &str) -> Result<(), String> {
        let local = user
            .strip_prefix('@')
            .and_then(|u| u.split_once(':'))
            .map(|(local, _)| local)
            .ok_or("not a Matrix user id")?;
        let body = json!({"type": "m.login.application_service", "username": local});
        let answer = self.call(Method::POST, &["register"], None, &body).await?;
        if !answer.is_success() && Self::errcode(&answer) != "M_USER_IN_USE" {
            return Err(format!("registering {user}: {}", answer.describe()));
        }
        let body = json!({"displayname": name});
        let answer = self
            .call(
                Method::PUT,
                &["profile", user, "displayname"],
                Some(user),
                &body,
            )
            .await?;
        if answer.is_success() {
            Ok(())
        } else {
            Err(format!("naming {user}: {}", answer.describe()))
        }
    }

    /// Joins the room (nothing happens when already joined); returns its room id.
    pub(super) async fn join(&self, user: &str, room: &str) -> Result<String, String> {
        let answer = self
            .call(Method::POST, &["join", room], Some(user), &json!({}))
            .await?;
        if !answer.is_success() {
            return Err(format!("joining {room}: {}", answer.describe()));
        }
        serde_json::from_slice::<Value>(&answer.body)
            .ok()
            .and_then(|v| v["room_id"].as_str().map(str::to_owned))
            .ok_or_else(|| format!("joining {room}: no room id in the answer"))
    }

    /// Sends an event; `txn` makes a retry land once. Returns the event id.
    pub(super) async fn send(
        &self,
        user: &str,
        room: &str,
        txn: &str,
        kind: &str,
        content: &Value,
    ) -> Result<String, String> {
        let answer = self
            .call(
                Method::PUT,
                &["rooms", room, "send", kind, txn],
                Some(user),
                content,
            )
            .await?;
        if !answer.is_success() {
            return Err(format!("sending to {room}: {}", answer.describe()));
        }
        serde_json::from_slice::<Value>(&answer.body)
            .ok()
            .and_then(|v| v["event_id"].as_str().map(str::to_owned))
            .ok_or_else(|| format!("sending to {room}: no event id in the answer"))
    }

    pub(super) async fn redact(
        &self,
        user: &str,
        room: &str,
        event: &str,
        txn: &str,
    ) -> Result<(), String> {
        let body = json!({"reason": "Deleted in Guildhall"});
        let answer = self
            .call(
                Method::PUT,
                &["rooms", room, "redact", event, txn],
                Some(user),
                &body,
            )
            .await?;
        if answer.is_success() {
            Ok(())
        } else {
            Err(format!("redacting in {room}: {}", answer.describe()))
        }
    }
}
