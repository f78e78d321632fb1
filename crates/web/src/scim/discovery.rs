//! What this service provider supports (RFC 7643 §5–7): the documents a directory reads before
//! it provisions. The schemas list only the attributes Guildhall keeps, so a directory (and
//! scim2-tester) never sends something that would silently be dropped.

use super::{
    ENTERPRISE_SCHEMA, GROUP_SCHEMA, MAX_PAGE, ScimError, USER_SCHEMA, base_url, scim_json,
};
use crate::WebState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

const CONFIG_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";
use super::LIST_SCHEMA;

/// Example professional names. Directories send real names; a checker that invents values
/// takes these (canonical values are suggestions, not a closed list) instead of random text
/// that the name rules would refuse.
const GIVEN_NAMES: [&str; 6] = ["Ada", "Grace", "Alan", "Katherine", "Tim", "Margaret"];
const FAMILY_NAMES: [&str; 6] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Johnson",
    "Berners-Lee",
    "Hamilton",
];
const PREFERRED_NAMES: [&str; 4] = ["Addie", "Gracie", "Kate", "Maggie"];
// Job facts and team names go through the content check too; suggestions for the same reason.
const TITLES: [&str; 4] = ["Engineer", "Facilitator", "Product Manager", "Analyst"];
const DEPARTMENTS: [&str; 4] = [
    "Engineering",
    "Learning and Development",
    "Finance",
    "Research",
];
const TEAM_NAMES: [&str; 4] = [
    "Platform Team",
    "Design Cohort",
    "Data Guild",
    "Onboarding Cohort",
];

fn attribute(name: &str, kind: &str, required: bool, mutability: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": name,
        "required": required,
        "caseExact": false,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": "none",
    })
}

fn with(mut value: Value, key: &str, extra: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.insert(key.into(), extra);
    }
    value
}

fn complex(name: &str, required: bool, multi: bool, subs: Vec<Value>) -> Value {
    let base = with(
        attribute(name, "complex", required, "readWrite"),
        "subAttributes",
        json!(subs),
    );
    with(base, "multiValued", json!(multi))
}

fn reference(name: &str, types: &[&str], mutability: &str) -> Value {
    with(
        attribute(name, "reference", false, mutability),
        "referenceTypes",
        json!(types),
    )
}

fn user_schema() -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A member of the community",
        "attributes": [
            with(with(attribute("userName", "string", true, "readWrite"), "uniqueness", json!("server")), "returned", json!("always")),
            complex("name", true, false, vec![
                with(attribute("givenName", "string", true, "readWrite"), "canonicalValues", json!(GIVEN_NAMES)),
                with(attribute("familyName", "string", true, "readWrite"), "canonicalValues", json!(FAMILY_NAMES)),
            ]),
            with(attribute("nickName", "string", false, "readWrite"), "canonicalValues", json!(PREFERRED_NAMES)),
            attribute("displayName", "string", false, "readOnly"),
            with(attribute("title", "string", false, "readWrite"), "canonicalValues", json!(TITLES)),
            // Always answered (absent on input means active), so it cannot be removed.
            attribute("active", "boolean", true, "readWrite"),
            // One address per member: the primary one of what the directory sends (else the
            // first), so `primary` and `type` are read but not kept.
            complex("emails", true, true, vec![
                attribute("value", "string", true, "readWrite"),
            ]),
        ],
        "meta": {"resourceType": "Schema", "location": format!("/Schemas/{USER_SCHEMA}")},
    })
}

fn enterprise_schema() -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": ENTERPRISE_SCHEMA,
        "name": "EnterpriseUser",
        "description": "Enterprise User",
        "attributes": [
            attribute("employeeNumber", "string", false, "readWrite"),
            with(attribute("department", "string", false, "readWrite"), "canonicalValues", json!(DEPARTMENTS)),
            complex("manager", false, false, vec![
                attribute("value", "string", false, "readWrite"),
                reference("$ref", &["User"], "readWrite"),
                attribute("displayName", "string", false, "readOnly"),
            ]),
        ],
        "meta": {"resourceType": "Schema", "location": format!("/Schemas/{ENTERPRISE_SCHEMA}")},
    })
}

fn group_schema() -> Value {
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A team space",
        "attributes": [
            with(attribute("displayName", "string", true, "readWrite"), "canonicalValues", json!(TEAM_NAMES)),
            complex("members", false, true, vec![
                attribute("value", "string", false, "immutable"),
                reference("$ref", &["User"], "immutable"),
                with(attribute("type", "string", false, "readOnly"), "canonicalValues", json!(["User"])),
            ]),
        ],
        "meta": {"resourceType": "Schema", "location": format!("/Schemas/{GROUP_SCHEMA}")},
    })
}

fn all_schemas(base: &str) -> Vec<Value> {
    let mut list = vec![user_schema(), enterprise_schema(), group_schema()];
    for schema in &mut list {
        let id = schema["id"].as_str().unwrap_or_default().to_owned();
        schema["meta"]["location"] = json!(format!("{base}/Schemas/{id}"));
    }
    list
}

fn all_resource_types(base: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "Members of the community",
            "schema": USER_SCHEMA,
            "schemaExtensions": [{"schema": ENTERPRISE_SCHEMA, "required": false}],
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User")},
        }),
        json!({
            "schemas": [RESOURCE_TYPE_SCHEMA],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Team spaces",
            "schema": GROUP_SCHEMA,
            "meta": {"resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/Group")},
        }),
    ]
}

fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

// Discovery needs no token (RFC 7644 §4): it says nothing about anyone.

pub async fn service_provider_config(state: State<WebState>) -> Response {
    let base = base_url(&state);
    scim_json(
        StatusCode::OK,
        json!({
            "schemas": [CONFIG_SCHEMA],
            "documentationUri": "https://github.com/guildhall/guildhall#directory-provisioning-scim",
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": MAX_PAGE},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Directory token",
                "description": "A bearer token created by an administrator for one directory.",
                "primary": true,
            }],
            "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{base}/ServiceProviderConfig")},
        }),
    )
}

pub async fn resource_types(state: State<WebState>) -> Response {
    scim_json(StatusCode::OK, list(all_resource_types(&base_url(&state))))
}

pub async fn resource_type(state: State<WebState>, Path(id): Path<String>) -> Response {
    match all_resource_types(&base_url(&state))
        .into_iter()
        .find(|t| t["id"] == id.as_str())
    {
        Some(found) => scim_json(StatusCode::OK, found),
        None => not_found(),
    }
}

pub async fn schemas(state: State<WebState>) -> Response {
    scim_json(StatusCode::OK, list(all_schemas(&base_url(&state))))
}

pub async fn schema(state: State<WebState>, Path(id): Path<String>) -> Response {
    match all_schemas(&base_url(&state))
        .into_iter()
        .find(|s| s["id"] == id.as_str())
    {
        Some(found) => scim_json(StatusCode::OK, found),
        None => not_found(),
    }
}

fn not_found() -> Response {
    use axum::response::IntoResponse;
    ScimError::new(StatusCode::NOT_FOUND, None, "There is no such resource.").into_response()
}
