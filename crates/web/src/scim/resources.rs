//! Users and Groups: SCIM JSON in and out, listing with filters and pages, and the handlers.

use super::filter::{self, AttrPath, get_ci};
use super::{
    ENTERPRISE_SCHEMA, GROUP_SCHEMA, LIST_SCHEMA, MAX_PAGE, ScimAuth, ScimError, USER_SCHEMA,
    base_url, patch, scim_json,
};
use crate::WebState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use guildhall_app::people::{
    Directory, DirectoryGroup, DirectoryUserRow, ProvisionedGroup, ProvisionedUser,
};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

type ScimResult = Result<Response, ScimError>;

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn meta(kind: &str, location: &str, created: DateTime<Utc>, modified: DateTime<Utc>) -> Value {
    json!({
        "resourceType": kind,
        "created": time(created),
        "lastModified": time(modified),
        "location": location,
    })
}

fn user_json(base: &str, row: &DirectoryUserRow) -> Value {
    let location = format!("{base}/Users/{}", row.user_id);
    let mut user = Map::new();
    user.insert("schemas".into(), json!([USER_SCHEMA, ENTERPRISE_SCHEMA]));
    user.insert("id".into(), json!(row.user_id.to_string()));
    if let Some(external_id) = &row.external_id {
        user.insert("externalId".into(), json!(external_id));
    }
    user.insert("userName".into(), json!(row.user_name));
    user.insert(
        "name".into(),
        json!({"givenName": row.given_name, "familyName": row.family_name}),
    );
    if !row.preferred_given_name.is_empty() {
        user.insert("nickName".into(), json!(row.preferred_given_name));
    }
    user.insert("displayName".into(), json!(row.display_name));
    if !row.title.is_empty() {
        user.insert("title".into(), json!(row.title));
    }
    user.insert("active".into(), json!(row.status == "active"));
    user.insert("emails".into(), json!([{"value": row.email}]));
    let mut enterprise = Map::new();
    if let Some(number) = &row.employee_number {
        enterprise.insert("employeeNumber".into(), json!(number));
    }
    if !row.department.is_empty() {
        enterprise.insert("department".into(), json!(row.department));
    }
    if let Some(manager) = row.manager_id {
        enterprise.insert(
            "manager".into(),
            json!({"value": manager.to_string(), "$ref": format!("{base}/Users/{manager}")}),
        );
    }
    if !enterprise.is_empty() {
        user.insert(ENTERPRISE_SCHEMA.into(), Value::Object(enterprise));
    }
    user.insert(
        "meta".into(),
        meta("User", &location, row.created_at, row.updated_at),
    );
    Value::Object(user)
}

fn group_json(base: &str, group: &DirectoryGroup) -> Value {
    let row = &group.group;
    let location = format!("{base}/Groups/{}", row.space_id);
    let members: Vec<Value> = group
        .members
        .iter()
        .map(|m| {
            json!({
                "value": m.user_id.to_string(),
                "$ref": format!("{base}/Users/{}", m.user_id),
                "type": "User",
            })
        })
        .collect();
    let mut out = json!({
        "schemas": [GROUP_SCHEMA],
        "id": row.space_id.to_string(),
        "displayName": row.display_name,
        "members": members,
        "meta": meta("Group", &location, row.created_at, row.updated_at),
    });
    if let (Some(external_id), Some(object)) = (&row.external_id, out.as_object_mut()) {
        object.insert("externalId".into(), json!(external_id));
    }
    out
}

fn parse_body(body: &Bytes) -> Result<Value, ScimError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| ScimError::invalid_syntax("The body is not JSON."))?;
    if !value.is_object() {
        return Err(ScimError::invalid_syntax("The body is not a JSON object."));
    }
    Ok(value)
}

fn optional_string(value: Option<&Value>, field: &str) -> Result<Option<String>, ScimError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ScimError::invalid_value(format!(
            "{field} must be a string."
        ))),
    }
}

fn parse_id(raw: &str, field: &str) -> Result<i64, ScimError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| ScimError::invalid_value(format!("{field}: “{raw}” is not an id of ours.")))
}

/// Some directories send booleans as strings ("True").
fn boolean(value: Option<&Value>, default: bool) -> Result<bool, ScimError> {
    match value {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(ScimError::invalid_value("active must be true or false.")),
    }
}

fn user_input(body: &Value) -> Result<ProvisionedUser, ScimError> {
    let user_name = optional_string(get_ci(body, "userName"), "userName")?
        .ok_or_else(|| ScimError::invalid_value("userName is required."))?;
    let name = get_ci(body, "name");
    let given_name = optional_string(name.and_then(|n| get_ci(n, "givenName")), "name.givenName")?
        .unwrap_or_default();
    let family_name = optional_string(
        name.and_then(|n| get_ci(n, "familyName")),
        "name.familyName",
    )?
    .unwrap_or_default();
    let email = match get_ci(body, "emails") {
        None | Some(Value::Null) => None,
        Some(Value::Array(emails)) => {
            let chosen = emails
                .iter()
                .find(|e| get_ci(e, "primary") == Some(&Value::Bool(true)))
                .or_else(|| emails.first());
            optional_string(chosen.and_then(|e| get_ci(e, "value")), "emails.value")?
        }
        Some(_) => return Err(ScimError::invalid_value("emails must be a list.")),
    };
    let enterprise = get_ci(body, ENTERPRISE_SCHEMA);
    let manager_id = match enterprise.and_then(|e| get_ci(e, "manager")) {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if id.is_empty() => None,
        Some(Value::String(id)) => Some(parse_id(id, "manager")?),
        Some(manager) => match optional_string(get_ci(manager, "value"), "manager.value")? {
            Some(id) if !id.is_empty() => Some(parse_id(&id, "manager")?),
            _ => None,
        },
    };
    Ok(ProvisionedUser {
        user_name,
        external_id: optional_string(get_ci(body, "externalId"), "externalId")?,
        given_name,
        family_name,
        preferred_given_name: optional_string(get_ci(body, "nickName"), "nickName")?,
        email,
        active: boolean(get_ci(body, "active"), true)?,
        title: optional_string(get_ci(body, "title"), "title")?,
        department: optional_string(
            enterprise.and_then(|e| get_ci(e, "department")),
            "department",
        )?,
        employee_number: optional_string(
            enterprise.and_then(|e| get_ci(e, "employeeNumber")),
            "employeeNumber",
        )?,
        manager_id,
    })
}

fn group_input(body: &Value) -> Result<ProvisionedGroup, ScimError> {
    let display_name = optional_string(get_ci(body, "displayName"), "displayName")?
        .ok_or_else(|| ScimError::invalid_value("displayName is required."))?;
    let members = match get_ci(body, "members") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(members)) => members
            .iter()
            .map(|m| {
                let id = optional_string(get_ci(m, "value"), "members.value")?
                    .ok_or_else(|| ScimError::invalid_value("members.value is required."))?;
                parse_id(&id, "members")
            })
            .collect::<Result<Vec<i64>, ScimError>>()?,
        Some(_) => return Err(ScimError::invalid_value("members must be a list.")),
    };
    Ok(ProvisionedGroup {
        display_name,
        external_id: optional_string(get_ci(body, "externalId"), "externalId")?,
        members,
    })
}

// ---- listing: filter, pages, attributes ----

/// Attributes every representation keeps, whatever `attributes` asks for (returned "always").
const ALWAYS: [&str; 4] = ["schemas", "id", "meta", "userName"];

fn split_list(raw: Option<&String>) -> Vec<String> {
    raw.map(|r| {
        r.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// A path in `attributes`: the extension URN alone means the whole extension.
fn projection_path(raw: &str) -> Result<AttrPath, ScimError> {
    if raw.eq_ignore_ascii_case(ENTERPRISE_SCHEMA) {
        return Ok(AttrPath {
            schema: None,
            name: ENTERPRISE_SCHEMA.to_owned(),
            sub: None,
        });
    }
    let mut path = AttrPath::parse(raw).map_err(ScimError::invalid_value)?;
    if path.schema.as_deref().is_some_and(|s| {
        s.eq_ignore_ascii_case(USER_SCHEMA) || s.eq_ignore_ascii_case(GROUP_SCHEMA)
    }) {
        path.schema = None;
    }
    Ok(path)
}

fn key_ci(map: &Map<String, Value>, name: &str) -> Option<String> {
    map.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

fn copy_path(source: &Map<String, Value>, target: &mut Map<String, Value>, path: &AttrPath) {
    let (source, target) = match &path.schema {
        Some(schema) => {
            let Some(key) = key_ci(source, schema) else {
                return;
            };
            let Some(Value::Object(inner)) = source.get(&key) else {
                return;
            };
            let entry = target.entry(key).or_insert_with(|| json!({}));
            let Value::Object(out) = entry else {
                return;
            };
            (inner, out)
        }
        None => (source, target),
    };
    let Some(key) = key_ci(source, &path.name) else {
        return;
    };
    let Some(value) = source.get(&key) else {
        return;
    };
    match (&path.sub, value) {
        (None, value) => {
            target.insert(key, value.clone());
        }
        (Some(sub), Value::Object(object)) => {
            if let Some(sub_key) = key_ci(object, sub)
                && let Some(v) = object.get(&sub_key)
            {
                let entry = target.entry(key).or_insert_with(|| json!({}));
                if let Value::Object(out) = entry {
                    out.insert(sub_key, v.clone());
                }
            }
        }
        (Some(sub), Value::Array(items)) => {
            let picked: Vec<Value> = items
                .iter()
                .filter_map(|item| {
                    let object = item.as_object()?;
                    let sub_key = key_ci(object, sub)?;
                    Some(json!({ sub_key.clone(): object.get(&sub_key)?.clone() }))
                })
                .collect();
            target.insert(key, Value::Array(picked));
        }
        _ => {}
    }
}

fn remove_path(target: &mut Map<String, Value>, path: &AttrPath) {
    if ALWAYS.iter().any(|a| a.eq_ignore_ascii_case(&path.name)) && path.schema.is_none() {
        return;
    }
    let target = match &path.schema {
        Some(schema) => match key_ci(target, schema).and_then(|k| target.get_mut(&k)) {
            Some(Value::Object(inner)) => inner,
            _ => return,
        },
        None => target,
    };
    let Some(key) = key_ci(target, &path.name) else {
        return;
    };
    match &path.sub {
        None => {
            target.remove(&key);
        }
        Some(sub) => match target.get_mut(&key) {
            Some(Value::Object(object)) => {
                if let Some(sub_key) = key_ci(object, sub) {
                    object.remove(&sub_key);
                }
            }
            Some(Value::Array(items)) => {
                for object in items.iter_mut().filter_map(Value::as_object_mut) {
                    if let Some(sub_key) = key_ci(object, sub) {
                        object.remove(&sub_key);
                    }
                }
            }
            _ => {}
        },
    }
}

/// Applies `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5).
fn project(resource: Value, query: &HashMap<String, String>) -> Result<Value, ScimError> {
    let wanted = split_list(query.get("attributes"));
    let excluded = split_list(query.get("excludedAttributes"));
    let Value::Object(source) = resource else {
        return Ok(resource);
    };
    let mut out = if wanted.is_empty() {
        source.clone()
    } else {
        let mut out = Map::new();
        for always in ALWAYS {
            if let Some(v) = source.get(always) {
                out.insert(always.to_owned(), v.clone());
            }
        }
        for raw in &wanted {
            copy_path(&source, &mut out, &projection_path(raw)?);
        }
        out
    };
    for raw in &excluded {
        remove_path(&mut out, &projection_path(raw)?);
    }
    Ok(Value::Object(out))
}

fn list_response(resources: Vec<Value>, query: &HashMap<String, String>) -> ScimResult {
    let resources = match query.get("filter") {
        Some(raw) if !raw.trim().is_empty() => {
            let parsed = filter::parse(raw).map_err(|message| {
                ScimError::new(StatusCode::BAD_REQUEST, Some("invalidFilter"), message)
            })?;
            resources
                .into_iter()
                .filter(|r| filter::matches(&parsed, r))
                .collect()
        }
        _ => resources,
    };
    let total = resources.len();
    // Out-of-range values are clamped, as RFC 7644 §3.4.2.4 asks.
    let start = query
        .get("startIndex")
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let count = query
        .get("count")
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(MAX_PAGE as i64)
        .clamp(0, MAX_PAGE as i64);
    let skip = usize::try_from(start - 1).unwrap_or(usize::MAX);
    let take = usize::try_from(count).unwrap_or(0);
    let page = resources
        .into_iter()
        .skip(skip)
        .take(take)
        .map(|r| project(r, query))
        .collect::<Result<Vec<Value>, ScimError>>()?;
    Ok(scim_json(
        StatusCode::OK,
        json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": page.len(),
            "Resources": page,
        }),
    ))
}

fn resource_id(raw: &str) -> Result<i64, ScimError> {
    raw.parse::<i64>()
        .map_err(|_| ScimError::new(StatusCode::NOT_FOUND, None, "There is no such resource."))
}

fn created(location: String, body: Value) -> Response {
    let mut response = scim_json(StatusCode::CREATED, body);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// POST `/.search`: the same query as GET, in a body, so filters stay out of logs and URLs.
fn search_query(body: &Bytes) -> Result<HashMap<String, String>, ScimError> {
    let body = parse_body(body)?;
    let mut query = HashMap::new();
    for key in [
        "filter",
        "startIndex",
        "count",
        "attributes",
        "excludedAttributes",
    ] {
        let text = match get_ci(&body, key) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(","),
            Some(_) => {
                return Err(ScimError::invalid_value(format!(
                    "{key} has the wrong type."
                )));
            }
        };
        query.insert(key.to_owned(), text);
    }
    Ok(query)
}

/// The users a listing starts from: one by index for `userName eq`, else the whole directory
/// (the filter itself is applied, and reported when malformed, by `list_response`).
async fn users_for(
    state: &State<WebState>,
    directory: Directory,
    query: &HashMap<String, String>,
) -> Result<Vec<Value>, ScimError> {
    let base = base_url(state);
    let parsed = query.get("filter").and_then(|raw| filter::parse(raw).ok());
    let users = match parsed.as_ref().and_then(filter::user_name_equals) {
        Some(name) => state.app.scim_user_named(directory, name).await?,
        None => state.app.scim_users(directory).await?,
    };
    Ok(users.iter().map(|u| user_json(&base, u)).collect())
}

pub async fn search_users(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    body: Bytes,
) -> ScimResult {
    let query = search_query(&body)?;
    list_response(users_for(&state, directory, &query).await?, &query)
}

pub async fn search_groups(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    body: Bytes,
) -> ScimResult {
    let query = search_query(&body)?;
    let base = base_url(&state);
    let groups = state.app.scim_groups(directory).await?;
    list_response(
        groups.iter().map(|g| group_json(&base, g)).collect(),
        &query,
    )
}

/// POST `/.search` at the root searches users and groups together.
pub async fn search_all(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    body: Bytes,
) -> ScimResult {
    let query = search_query(&body)?;
    let base = base_url(&state);
    let mut all: Vec<Value> = state
        .app
        .scim_users(directory)
        .await?
        .iter()
        .map(|u| user_json(&base, u))
        .collect();
    all.extend(
        state
            .app
            .scim_groups(directory)
            .await?
            .iter()
            .map(|g| group_json(&base, g)),
    );
    list_response(all, &query)
}

// ---- Users ----

pub async fn list_users(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Query(query): Query<HashMap<String, String>>,
) -> ScimResult {
    list_response(users_for(&state, directory, &query).await?, &query)
}

pub async fn get_user(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ScimResult {
    let user = state.app.scim_user(directory, resource_id(&id)?).await?;
    Ok(scim_json(
        StatusCode::OK,
        project(user_json(&base_url(&state), &user), &query)?,
    ))
}

pub async fn create_user(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    body: Bytes,
) -> ScimResult {
    let input = user_input(&parse_body(&body)?)?;
    let user = state.app.scim_create_user(directory, &input).await?;
    let base = base_url(&state);
    Ok(created(
        format!("{base}/Users/{}", user.user_id),
        user_json(&base, &user),
    ))
}

pub async fn replace_user(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult {
    let id = resource_id(&id)?;
    let input = user_input(&parse_body(&body)?)?;
    let user = state.app.scim_replace_user(directory, id, &input).await?;
    Ok(scim_json(
        StatusCode::OK,
        user_json(&base_url(&state), &user),
    ))
}

pub async fn patch_user(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult {
    let id = resource_id(&id)?;
    let base = base_url(&state);
    let mut current = user_json(&base, &state.app.scim_user(directory, id).await?);
    patch::apply(&mut current, &parse_body(&body)?, USER_SCHEMA)?;
    let input = user_input(&current)?;
    let user = state.app.scim_replace_user(directory, id, &input).await?;
    Ok(scim_json(StatusCode::OK, user_json(&base, &user)))
}

pub async fn delete_user(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Path(id): Path<String>,
) -> ScimResult {
    state
        .app
        .scim_delete_user(directory, resource_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- Groups ----

pub async fn list_groups(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Query(query): Query<HashMap<String, String>>,
) -> ScimResult {
    let base = base_url(&state);
    let groups = state.app.scim_groups(directory).await?;
    list_response(
        groups.iter().map(|g| group_json(&base, g)).collect(),
        &query,
    )
}

pub async fn get_group(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ScimResult {
    let group = state.app.scim_group(directory, resource_id(&id)?).await?;
    Ok(scim_json(
        StatusCode::OK,
        project(group_json(&base_url(&state), &group), &query)?,
    ))
}

pub async fn create_group(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    body: Bytes,
) -> ScimResult {
    let input = group_input(&parse_body(&body)?)?;
    let group = state.app.scim_create_group(directory, &input).await?;
    let base = base_url(&state);
    Ok(created(
        format!("{base}/Groups/{}", group.group.space_id),
        group_json(&base, &group),
    ))
}

pub async fn replace_group(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult {
    let id = resource_id(&id)?;
    let input = group_input(&parse_body(&body)?)?;
    let group = state.app.scim_replace_group(directory, id, &input).await?;
    Ok(scim_json(
        StatusCode::OK,
        group_json(&base_url(&state), &group),
    ))
}

pub async fn patch_group(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ScimResult {
    let id = resource_id(&id)?;
    let base = base_url(&state);
    let mut current = group_json(&base, &state.app.scim_group(directory, id).await?);
    patch::apply(&mut current, &parse_body(&body)?, GROUP_SCHEMA)?;
    let input = group_input(&current)?;
    let group = state.app.scim_replace_group(directory, id, &input).await?;
    Ok(scim_json(StatusCode::OK, group_json(&base, &group)))
}

pub async fn delete_group(
    ScimAuth(directory): ScimAuth,
    state: State<WebState>,
    Path(id): Path<String>,
) -> ScimResult {
    state
        .app
        .scim_delete_group(directory, resource_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
