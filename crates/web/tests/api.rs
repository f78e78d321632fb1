//! The JSON API: bearer tokens and their scopes, the error format, the OpenAPI document.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{browser, start};

#[tokio::test]
async fn tokens_authenticate_with_their_scopes_until_revoked() {
    let server = start().await;
    let client = browser();
    server.set_up_admin(&client).await;
    let read_only = server.token_via_profile(&client, &["read"]).await;
    let writer = server.token_via_profile(&client, &["read", "write"]).await;
    let api = reqwest::Client::new();

    let me: Value = api
        .get(server.url("/api/v1/me"))
        .bearer_auth(&read_only)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["display_name"], "Ada Lovelace");
    assert_eq!(me["roles"], json!(["admin"]));

    let refused = api
        .post(server.url("/api/v1/me/tokens"))
        .bearer_auth(&read_only)
        .json(&json!({"name": "n", "scopes": ["read"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "insufficient_scope"
    );

    let created = api
        .post(server.url("/api/v1/me/tokens"))
        .bearer_auth(&writer)
        .json(&json!({"name": "script", "scopes": ["read"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert!(created["token"].as_str().unwrap().starts_with("gh_"));
    assert_eq!(created["scopes"], json!(["read"]));

    let tokens: Value = api
        .get(server.url("/api/v1/me/tokens"))
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tokens.as_array().unwrap().len(), 3);
    assert!(
        tokens.to_string().find("gh_").is_none(),
        "secrets are never listed"
    );

    let id = created["id"].as_i64().unwrap();
    let revoked = api
        .delete(server.url(&format!("/api/v1/me/tokens/{id}")))
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let gone = api
        .get(server.url("/api/v1/me"))
        .bearer_auth(created["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        gone.json::<Value>().await.unwrap()["error"],
        "invalid_token"
    );
    let again = api
        .delete(server.url(&format!("/api/v1/me/tokens/{id}")))
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);

    let anonymous = api.get(server.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.json::<Value>().await.unwrap()["error"],
        "sign_in_required"
    );
}

#[tokio::test]
async fn validation_errors_name_their_fields() {
    let server = start().await;
    let client = browser();
    server.set_up_admin(&client).await;
    let token = server.token_via_profile(&client, &["read", "write"]).await;
    let api = reqwest::Client::new();
    let response = api
        .put(server.url("/api/v1/admin/signup-policy"))
        .bearer_auth(&token)
        .json(&json!({"mode": "sometimes", "allowed_domains": ["not a domain!"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_input");
    assert!(
        body["fields"]["mode"].is_string() && body["fields"]["allowed_domains"].is_string(),
        "{body}"
    );

    let policy: Value = api
        .put(server.url("/api/v1/admin/signup-policy"))
        .bearer_auth(&token)
        .json(&json!({"mode": "domains", "allowed_domains": ["Example.org", "@eu.example.org"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        policy,
        json!({"mode": "domains", "allowed_domains": ["example.org", "eu.example.org"]})
    );

    let invitation = api
        .post(server.url("/api/v1/admin/invitations"))
        .bearer_auth(&token)
        .json(&json!({"email": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(invitation.status(), StatusCode::CREATED);
    let invitation: Value = invitation.json().await.unwrap();
    assert!(
        invitation["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:8080/join/ghi_")
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_error() {
    let server = start().await;
    let doc: Value = reqwest::get(server.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/me",
        "/me/sessions",
        "/me/sessions/{id}",
        "/me/tokens",
        "/me/tokens/{id}",
        "/admin/people",
        "/admin/people/{id}/roles",
        "/admin/signup-policy",
        "/admin/invitations",
        "/admin/outbox/dead",
        "/admin/outbox/{id}/retry",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from {:?}",
            paths.keys().collect::<Vec<_>>()
        );
    }
    let get_me = &doc["paths"]["/me"]["get"];
    for status in ["200", "401", "403", "422", "500"] {
        assert!(
            get_me["responses"][status].is_object(),
            "/me lacks {status}"
        );
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
