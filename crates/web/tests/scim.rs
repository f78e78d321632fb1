//! Directory provisioning over real HTTP: SCIM Users and Groups, filters and pages, PATCH/PUT/
//! DELETE, directory tokens, deprovisioning that keeps content, groups as team spaces, and the
//! name rules.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestServer, browser, start};

const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

struct Scim {
    server: TestServer,
    token: String,
}

impl Scim {
    async fn new() -> Scim {
        let server = start().await;
        let token = server.directory_token().await;
        Scim { server, token }
    }

    async fn call_with(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request =
            reqwest::Client::new().request(method, self.server.url(&format!("/scim/v2{path}")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/scim+json")
                .body(body.to_string());
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_with(Some(&self.token), method, path, body).await
    }

    async fn create_user(&self, user_name: &str, given: &str, family: &str) -> Value {
        let (status, body) = self
            .call(Method::POST, "/Users", Some(user(user_name, given, family)))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }
}

fn user(user_name: &str, given: &str, family: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "userName": user_name,
        "externalId": format!("ext-{user_name}"),
        "name": {"givenName": given, "familyName": family},
        "emails": [{"value": user_name, "primary": true, "type": "work"}],
        "active": true,
        "title": "Engineer",
        ENTERPRISE: {"employeeNumber": "1001", "department": "Engineering"},
    })
}

fn id_of(resource: &Value) -> String {
    resource["id"].as_str().unwrap().to_owned()
}

fn assert_scim_error(body: &Value, status: &str, scim_type: Option<&str>) {
    assert_eq!(
        body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
        "{body}"
    );
    assert_eq!(body["status"], status, "{body}");
    if let Some(scim_type) = scim_type {
        assert_eq!(body["scimType"], scim_type, "{body}");
    }
}

#[tokio::test]
async fn discovery_is_public_and_resources_need_the_directory_token() {
    let scim = Scim::new().await;
    for path in [
        "/ServiceProviderConfig",
        "/ResourceTypes",
        "/Schemas",
        "/ResourceTypes/User",
    ] {
        let (status, body) = scim.call_with(None, Method::GET, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    let (_, config) = scim
        .call_with(None, Method::GET, "/ServiceProviderConfig", None)
        .await;
    assert_eq!(config["patch"]["supported"], true);
    assert_eq!(config["filter"]["supported"], true);

    let (status, body) = scim.call_with(None, Method::GET, "/Users", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_scim_error(&body, "401", None);
    let (status, _) = scim
        .call_with(Some("ghscim_wrong"), Method::GET, "/Users", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Without a token a POST is refused as unauthenticated, not as a forged form.
    let (status, body) = scim
        .call_with(
            None,
            Method::POST,
            "/Users",
            Some(user("a@example.org", "Ada", "Lovelace")),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // A person's API token is not a directory token.
    let client = browser();
    scim.server.set_up_admin(&client).await;
    let api_token = scim
        .server
        .token_via_profile(&client, &["read", "write"])
        .await;
    let (status, _) = scim
        .call_with(Some(&api_token), Method::GET, "/Users", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An administrator creates a directory on /admin (token shown once) and revokes it.
    let response = scim
        .server
        .post_form(
            &client,
            "/admin",
            "/admin/directories",
            &[("name", "Entra ID")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let start = html.find("ghscim_").expect("the new token is shown");
    let token: String = html[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let (status, body) = scim
        .call_with(Some(&token), Method::GET, "/Users", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["totalResults"], 0);
    let page = client
        .get(scim.server.url("/admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Entra ID"));
    assert!(!page.contains(&token), "the token is shown only once");
    let directories = scim
        .server
        .app
        .directories(
            &scim
                .server
                .app
                .viewer_for_cli(
                    scim.server
                        .app
                        .user_id_by_email("ada@example.org")
                        .await
                        .unwrap(),
                )
                .await
                .unwrap(),
        )
        .await
        .unwrap();
    let entra = directories.iter().find(|d| d.name == "Entra ID").unwrap();
    let response = scim
        .server
        .post_form(
            &client,
            "/admin",
            &format!("/admin/directories/{}/revoke", entra.id),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, _) = scim
        .call_with(Some(&token), Method::GET, "/Users", None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a revoked token stops working"
    );
}

#[tokio::test]
async fn users_are_created_read_filtered_paged_patched_replaced_and_deleted() {
    let scim = Scim::new().await;
    let ada = scim.create_user("ada@example.org", "Ada", "Lovelace").await;
    let grace = scim
        .create_user("grace@example.org", "Grace", "Hopper")
        .await;
    let alan = scim.create_user("alan@example.org", "Alan", "Turing").await;
    assert_eq!(ada["userName"], "ada@example.org");
    assert_eq!(ada["displayName"], "Ada Lovelace");
    assert_eq!(ada[ENTERPRISE]["department"], "Engineering");
    assert_eq!(ada["meta"]["resourceType"], "User");

    // userName is unique per directory, ignoring case.
    let (status, body) = scim
        .call(
            Method::POST,
            "/Users",
            Some(user("ADA@example.org", "Ada", "Lovelace")),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_scim_error(&body, "409", Some("uniqueness"));

    let (status, body) = scim
        .call(Method::GET, &format!("/Users/{}", id_of(&grace)), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["name"]["familyName"], "Hopper");

    for (filter, expected) in [
        (
            r#"userName eq "GRACE@example.org""#,
            vec!["grace@example.org"],
        ),
        (
            r#"emails.value co "example.org""#,
            vec!["ada@example.org", "grace@example.org", "alan@example.org"],
        ),
        (
            r#"externalId eq "ext-alan@example.org""#,
            vec!["alan@example.org"],
        ),
        (
            r#"userName sw "a" and active eq true"#,
            vec!["ada@example.org", "alan@example.org"],
        ),
        (
            r#"displayName eq "Ada Lovelace" or userName eq "alan@example.org""#,
            vec!["ada@example.org", "alan@example.org"],
        ),
        (
            "title pr",
            vec!["ada@example.org", "grace@example.org", "alan@example.org"],
        ),
        (r#"userName eq "nobody""#, vec![]),
    ] {
        let (status, body) = scim
            .call(
                Method::GET,
                &format!("/Users?filter={}", urlencode(filter)),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{filter}: {body}");
        let names: Vec<&str> = body["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["userName"].as_str().unwrap())
            .collect();
        assert_eq!(names, expected, "{filter}");
        assert_eq!(body["totalResults"], expected.len());
    }
    let (status, body) = scim
        .call(
            Method::GET,
            &format!("/Users?filter={}", urlencode("userName zz 1")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_scim_error(&body, "400", Some("invalidFilter"));

    let (_, page) = scim
        .call(Method::GET, "/Users?startIndex=2&count=1", None)
        .await;
    assert_eq!(page["totalResults"], 3);
    assert_eq!(page["startIndex"], 2);
    assert_eq!(page["itemsPerPage"], 1);
    assert_eq!(page["Resources"][0]["userName"], "grace@example.org");
    let (_, page) = scim
        .call(Method::GET, "/Users?attributes=userName", None)
        .await;
    assert!(page["Resources"][0].get("name").is_none());

    // PATCH: deactivate, set a manager and a preferred name, change the department.
    let patch = json!({
        "schemas": [PATCH],
        "Operations": [
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "add", "path": "nickName", "value": "Gracie"},
            {"op": "replace", "path": format!("{ENTERPRISE}:department"), "value": "Research"},
            {"op": "add", "value": {ENTERPRISE: {"manager": {"value": id_of(&ada)}}}},
        ]
    });
    let (status, body) = scim
        .call(
            Method::PATCH,
            &format!("/Users/{}", id_of(&grace)),
            Some(patch),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["active"], false);
    assert_eq!(body["displayName"], "Gracie Hopper");
    assert_eq!(body[ENTERPRISE]["department"], "Research");
    assert_eq!(body[ENTERPRISE]["manager"]["value"], id_of(&ada));
    let (_, inactive) = scim
        .call(
            Method::GET,
            &format!("/Users?filter={}", urlencode("active eq false")),
            None,
        )
        .await;
    assert_eq!(inactive["totalResults"], 1);
    let patch = json!({"schemas": [PATCH], "Operations": [{"op": "remove", "path": "title"}]});
    let (_, body) = scim
        .call(
            Method::PATCH,
            &format!("/Users/{}", id_of(&grace)),
            Some(patch),
        )
        .await;
    assert!(body.get("title").is_none(), "{body}");

    // PUT replaces the whole person.
    let mut replacement = user("alan.turing@example.org", "Alan", "Turing");
    replacement["title"] = json!("Analyst");
    let (status, body) = scim
        .call(
            Method::PUT,
            &format!("/Users/{}", id_of(&alan)),
            Some(replacement),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["userName"], "alan.turing@example.org");
    assert_eq!(body["emails"][0]["value"], "alan.turing@example.org");
    assert_eq!(body["title"], "Analyst");

    let (status, _) = scim
        .call(Method::DELETE, &format!("/Users/{}", id_of(&alan)), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = scim
        .call(Method::GET, &format!("/Users/{}", id_of(&alan)), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_scim_error(&body, "404", None);
    let (_, all) = scim.call(Method::GET, "/Users", None).await;
    assert_eq!(all["totalResults"], 2);

    // Another directory sees none of this one's people.
    let other = scim
        .server
        .app
        .issue_directory_token(None, "Other")
        .await
        .unwrap()
        .token;
    let (_, theirs) = scim
        .call_with(Some(&other), Method::GET, "/Users", None)
        .await;
    assert_eq!(theirs["totalResults"], 0);
    let (status, _) = scim
        .call_with(
            Some(&other),
            Method::GET,
            &format!("/Users/{}", id_of(&ada)),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn names_that_break_the_rules_are_refused() {
    let scim = Scim::new().await;
    for (given, family) in [
        ("R2D2", "Droid"),
        ("Ada", "@lovelace"),
        ("Fuck", "Face"),
        ("", "Lovelace"),
    ] {
        let (status, body) = scim
            .call(
                Method::POST,
                "/Users",
                Some(user("x@example.org", given, family)),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{given} {family}: {body}");
        assert_scim_error(&body, "400", Some("invalidValue"));
    }
    let ada = scim.create_user("ada@example.org", "Ada", "Lovelace").await;
    let patch = json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "name.givenName", "value": "Shithead"}]});
    let (status, body) = scim
        .call(
            Method::PATCH,
            &format!("/Users/{}", id_of(&ada)),
            Some(patch),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_scim_error(&body, "400", Some("invalidValue"));
    let (status, body) = scim
        .call(Method::POST, "/Users", Some(json!("not an object")))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn groups_are_team_spaces_with_synced_members_and_deprovisioning_keeps_content() {
    let scim = Scim::new().await;
    let server = &scim.server;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let admin_token = server.token_via_profile(&admin, &["read", "write"]).await;
    let (grace_browser, grace_token) = server
        .colleagues(&[("Grace", "Hopper", "grace@example.org")])
        .await
        .pop()
        .unwrap();

    // Existing members are adopted by email; their names become the directory's (verified).
    let ada = scim.create_user("ada@example.org", "Ada", "Lovelace").await;
    let grace = scim
        .create_user("grace@example.org", "Grace", "Hopper")
        .await;
    let alan = scim.create_user("alan@example.org", "Alan", "Turing").await;
    let me: Value = server
        .api(&grace_token, Method::GET, "/api/v1/me", json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["id"].as_i64().unwrap().to_string(), id_of(&grace));

    let (status, group) = scim
        .call(
            Method::POST,
            "/Groups",
            Some(json!({
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": "Compilers",
                "externalId": "g-1",
                "members": [{"value": id_of(&ada)}, {"value": id_of(&grace)}],
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{group}");
    let group_id = id_of(&group);
    assert_eq!(group["members"].as_array().unwrap().len(), 2);
    let space: Value = server
        .api(
            &admin_token,
            Method::GET,
            "/api/v1/spaces/compilers",
            json!({}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(space["kind"], "team", "{space}");
    assert_eq!(space["member_count"], 2);

    // Entra-style PATCH: add Alan, remove Ada by a value filter.
    let patch = json!({"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": id_of(&alan)}]},
        {"op": "remove", "path": format!("members[value eq \"{}\"]", id_of(&ada))},
    ]});
    let (status, body) = scim
        .call(Method::PATCH, &format!("/Groups/{group_id}"), Some(patch))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut members: Vec<String> = body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_str().unwrap().to_owned())
        .collect();
    members.sort();
    let mut expected = vec![id_of(&grace), id_of(&alan)];
    expected.sort();
    assert_eq!(members, expected);
    let (_, found) = scim
        .call(
            Method::GET,
            &format!(
                "/Groups?filter={}",
                urlencode(r#"displayName eq "compilers""#)
            ),
            None,
        )
        .await;
    assert_eq!(found["totalResults"], 1);
    let (_, lean) = scim
        .call(
            Method::GET,
            &format!("/Groups/{group_id}?excludedAttributes=members"),
            None,
        )
        .await;
    assert!(lean.get("members").is_none());

    // Grace writes in the team space, then leaves the organisation.
    let thread: Value = server
        .api(
            &grace_token,
            Method::POST,
            "/api/v1/spaces/compilers/threads",
            json!({"kind": "question", "title": "Which parser generator?", "body": "For the new compiler."}),
        )
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let thread_id = thread["id"].as_i64().expect("thread created");

    let (status, _) = scim
        .call(Method::DELETE, &format!("/Users/{}", id_of(&grace)), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let response = server
        .api(&grace_token, Method::GET, "/api/v1/me", json!({}))
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "her tokens stop working"
    );
    let response = grace_browser.get(server.url("/me")).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "her sessions ended"
    );
    let person = guildhall_store::people::user_by_id(server.app.db(), me["id"].as_i64().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.status, "deactivated");

    // Her question stays, for the team and for any HR case.
    let (status, _) = scim
        .call(
            Method::PUT,
            &format!("/Groups/{group_id}"),
            Some(json!({
                "displayName": "Compiler Team",
                "members": [{"value": id_of(&ada)}],
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let response = server
        .api(
            &admin_token,
            Method::GET,
            &format!("/api/v1/threads/{thread_id}"),
            json!({}),
        )
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );

    // Deleting the group lets go of it; the space stays.
    let (status, _) = scim
        .call(Method::DELETE, &format!("/Groups/{group_id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = scim
        .call(Method::GET, &format!("/Groups/{group_id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = server
        .api(
            &admin_token,
            Method::GET,
            "/api/v1/spaces/compilers",
            json!({}),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
