//! PATCH (RFC 7644 §3.5.2) applied to a resource's JSON; the result is then validated and saved
//! like a PUT, so one set of rules decides what a resource may hold.

use super::filter::{self, AttrPath, Filter, get_ci};
use super::{PATCH_SCHEMA, ScimError};
use serde_json::{Map, Value};

const MAX_OPERATIONS: usize = 1_000;

/// Where a path points: the attribute's container (the resource or an extension object), the
/// attribute's key, an optional element filter and an optional sub-attribute.
struct Target {
    extension: Option<String>,
    name: String,
    filter: Option<Filter>,
    sub: Option<String>,
}

fn parse_target(raw: &str) -> Result<Target, ScimError> {
    let invalid = |message: String| {
        ScimError::new(
            axum::http::StatusCode::BAD_REQUEST,
            Some("invalidPath"),
            message,
        )
    };
    let raw = raw.trim();
    // `members[value eq "1"]` or `emails[type eq "work"].value`
    if let Some(open) = raw.find('[') {
        let close = raw
            .rfind(']')
            .filter(|close| *close > open)
            .ok_or_else(|| invalid(format!("“{raw}” is not a path.")))?;
        let path = AttrPath::parse(&raw[..open]).map_err(invalid)?;
        let element = filter::parse(&raw[open + 1..close]).map_err(invalid)?;
        let rest = &raw[close + 1..];
        let sub = match rest.strip_prefix('.') {
            Some(sub) if !sub.is_empty() => Some(sub.to_owned()),
            None if rest.is_empty() => None,
            _ => return Err(invalid(format!("“{raw}” is not a path."))),
        };
        return Ok(Target {
            extension: path.schema,
            name: path.name,
            filter: Some(element),
            sub,
        });
    }
    // A schema URN alone names the whole extension object.
    if raw.to_ascii_lowercase().starts_with("urn:") {
        let known = [super::ENTERPRISE_SCHEMA];
        if let Some(urn) = known.iter().find(|urn| urn.eq_ignore_ascii_case(raw)) {
            return Ok(Target {
                extension: None,
                name: (*urn).to_owned(),
                filter: None,
                sub: None,
            });
        }
    }
    let path = AttrPath::parse(raw).map_err(invalid)?;
    Ok(Target {
        extension: path.schema,
        name: path.name,
        filter: None,
        sub: path.sub,
    })
}

/// The object holding the target: the resource itself, or an extension's object inside it.
fn container<'a>(
    resource: &'a mut Map<String, Value>,
    extension: Option<&str>,
    core_schema: &str,
) -> Result<&'a mut Map<String, Value>, ScimError> {
    let Some(urn) = extension.filter(|urn| !urn.eq_ignore_ascii_case(core_schema)) else {
        return Ok(resource);
    };
    let key = key_of(resource, urn);
    let entry = resource
        .entry(key)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    entry
        .as_object_mut()
        .ok_or_else(|| ScimError::invalid_value("The extension is not an object."))
}

fn key_of(map: &Map<String, Value>, name: &str) -> String {
    map.keys()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
        .unwrap_or_else(|| name.to_owned())
}

fn merge_into(map: &mut Map<String, Value>, name: &str, value: Value, add: bool) {
    let key = key_of(map, name);
    match (map.get_mut(&key), value) {
        (Some(Value::Array(existing)), Value::Array(items)) if add => {
            for item in items {
                if !existing.contains(&item) {
                    existing.push(item);
                }
            }
        }
        (Some(Value::Object(existing)), Value::Object(fields)) => {
            for (k, v) in fields {
                let k = key_of(existing, &k);
                existing.insert(k, v);
            }
        }
        (_, value) => {
            map.insert(key, value);
        }
    }
}

/// Applies the operations of a PatchOp body to `resource`.
pub fn apply(resource: &mut Value, body: &Value, core_schema: &str) -> Result<(), ScimError> {
    let schemas_ok = get_ci(body, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|s| s == PATCH_SCHEMA));
    if !schemas_ok {
        return Err(ScimError::invalid_syntax(
            "A PATCH body lists the PatchOp schema.",
        ));
    }
    let Some(operations) = get_ci(body, "Operations").and_then(Value::as_array) else {
        return Err(ScimError::invalid_syntax("A PATCH body has Operations."));
    };
    if operations.len() > MAX_OPERATIONS {
        return Err(ScimError::invalid_value("Too many operations."));
    }
    let Some(resource) = resource.as_object_mut() else {
        return Err(ScimError::invalid_syntax("The resource is not an object."));
    };
    for operation in operations {
        let op = get_ci(operation, "op")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let value = get_ci(operation, "value").cloned();
        let path = get_ci(operation, "path").and_then(Value::as_str);
        match (op.as_str(), path) {
            ("add" | "replace", None) => {
                let Some(Value::Object(fields)) = value else {
                    return Err(ScimError::invalid_value(
                        "Without a path, the value is an object.",
                    ));
                };
                for (name, value) in fields {
                    if name.to_ascii_lowercase().starts_with("urn:") {
                        // A whole extension, or one attribute of it (`urn:…:User:department`).
                        let (urn, attr) = match value {
                            Value::Object(_) => (name.as_str(), None),
                            _ => match name.rfind(':') {
                                Some(at) => (&name[..at], Some(&name[at + 1..])),
                                None => (name.as_str(), None),
                            },
                        };
                        match attr {
                            Some(attr) => {
                                let map = container(resource, Some(urn), core_schema)?;
                                merge_into(map, attr, value, op == "add");
                            }
                            None => merge_into(resource, urn, value, op == "add"),
                        }
                    } else if let Some((parent, sub)) = name.split_once('.') {
                        // Entra ID sends `name.givenName` as a key.
                        let key = key_of(resource, parent);
                        let entry = resource
                            .entry(key)
                            .or_insert_with(|| Value::Object(Map::new()));
                        if let Value::Object(map) = entry {
                            let sub_key = key_of(map, sub);
                            map.insert(sub_key, value);
                        }
                    } else {
                        merge_into(resource, &name, value, op == "add");
                    }
                }
            }
            ("add" | "replace", Some(path)) => {
                let target = parse_target(path)?;
                let value = value
                    .ok_or_else(|| ScimError::invalid_value("This operation needs a value."))?;
                let map = container(resource, target.extension.as_deref(), core_schema)?;
                match (&target.filter, &target.sub) {
                    (None, None) => merge_into(map, &target.name, value, op == "add"),
                    (None, Some(sub)) => {
                        let key = key_of(map, &target.name);
                        let entry = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
                        match entry {
                            Value::Object(object) => {
                                let sub_key = key_of(object, sub);
                                object.insert(sub_key, value);
                            }
                            Value::Array(items) => {
                                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                                    let sub_key = key_of(item, sub);
                                    item.insert(sub_key, value.clone());
                                }
                            }
                            other => *other = Value::Object(Map::from_iter([(sub.clone(), value)])),
                        }
                    }
                    (Some(element), sub) => {
                        let key = key_of(map, &target.name);
                        let Some(Value::Array(items)) = map.get_mut(&key) else {
                            return Err(ScimError::new(
                                axum::http::StatusCode::BAD_REQUEST,
                                Some("noTarget"),
                                "Nothing matches the path.",
                            ));
                        };
                        let mut hit = false;
                        for item in items.iter_mut() {
                            if filter::matches(element, item) {
                                hit = true;
                                match (sub, item.as_object_mut()) {
                                    (Some(sub), Some(object)) => {
                                        let sub_key = key_of(object, sub);
                                        object.insert(sub_key, value.clone());
                                    }
                                    _ => *item = value.clone(),
                                }
                            }
                        }
                        if !hit {
                            return Err(ScimError::new(
                                axum::http::StatusCode::BAD_REQUEST,
                                Some("noTarget"),
                                "Nothing matches the path.",
                            ));
                        }
                    }
                }
            }
            ("remove", None) => {
                return Err(ScimError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    Some("noTarget"),
                    "A remove operation needs a path.",
                ));
            }
            ("remove", Some(path)) => {
                let target = parse_target(path)?;
                let map = container(resource, target.extension.as_deref(), core_schema)?;
                let key = key_of(map, &target.name);
                match (&target.filter, &target.sub, value) {
                    (None, None, Some(Value::Array(listed)))
                        if map.get(&key).is_some_and(Value::is_array) =>
                    {
                        // Entra ID removes members by listing them in the value.
                        if let Some(Value::Array(items)) = map.get_mut(&key) {
                            items.retain(|item| {
                                !listed.iter().any(|l| {
                                    get_ci(l, "value").is_some()
                                        && get_ci(l, "value") == get_ci(item, "value")
                                })
                            });
                        }
                    }
                    (None, None, _) => {
                        map.remove(&key);
                    }
                    (None, Some(sub), _) => match map.get_mut(&key) {
                        Some(Value::Object(object)) => {
                            let sub_key = key_of(object, sub);
                            object.remove(&sub_key);
                        }
                        Some(Value::Array(items)) => {
                            for item in items.iter_mut().filter_map(Value::as_object_mut) {
                                let sub_key = key_of(item, sub);
                                item.remove(&sub_key);
                            }
                        }
                        _ => {}
                    },
                    (Some(element), sub, _) => {
                        if let Some(Value::Array(items)) = map.get_mut(&key) {
                            match sub {
                                None => items.retain(|item| !filter::matches(element, item)),
                                Some(sub) => {
                                    for item in items.iter_mut() {
                                        if filter::matches(element, item)
                                            && let Some(object) = item.as_object_mut()
                                        {
                                            let sub_key = key_of(object, sub);
                                            object.remove(&sub_key);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            _ => {
                return Err(ScimError::invalid_syntax(format!(
                    "“{op}” is not a PATCH operation: use add, replace or remove."
                )));
            }
        }
    }
    Ok(())
}
