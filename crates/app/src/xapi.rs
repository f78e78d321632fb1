//! Learning records (xAPI 1.0.3): the social-learning moments — asked, answered, answer
//! accepted, attended an event, checked in with a partner, earned a badge — written as xAPI
//! statements into the outbox in the transaction of the moment itself, so a statement exists
//! exactly when the moment does. `nexus` delivers them to the organisation's Learning Record
//! Store and serves the profile that defines our own verbs and activity types.
//!
//! People appear as `account` agents (this server's address + their user id), never by email:
//! the LRS learns who did what without receiving anyone's address.

use crate::{AppError, AppResult};
use chrono::{DateTime, SecondsFormat, Utc};
use guildhall_store::{Result as StoreResult, Tx, outbox};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The outbox effect that sends one statement; `nexus::xapi` carries it out.
pub const DELIVER: &str = "xapi.statement";

/// Where our profile lives, relative to `server.public_url`. Its IRIs are built from it.
pub const PROFILE_PATH: &str = "/xapi/profile";
/// The version of the profile the statements follow (named in `contextActivities.category`).
pub const PROFILE_VERSION: &str = "v1";

/// `[xapi]`: the Learning Record Store that receives the statements. Off by default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct XapiSettings {
    pub enabled: bool,
    /// The LRS endpoint, e.g. `https://lrs.example.org/xapi` (statements go to `…/statements`).
    pub endpoint: String,
    /// HTTP Basic credentials the LRS gave us (`GUILDHALL_XAPI__SECRET_FILE` for a mounted secret).
    pub key: String,
    pub secret: crate::settings::Secret,
}

impl XapiSettings {
    /// An enabled LRS without a usable address stops the server at start, with the reason,
    /// instead of filling the outbox with deliveries that can never succeed.
    pub fn check(&self) -> Result<(), String> {
        if !self.enabled {
            return Ok(());
        }
        let endpoint = self.endpoint.trim();
        let scheme_ok = endpoint.starts_with("https://") || endpoint.starts_with("http://");
        let has_host = endpoint
            .split("://")
            .nth(1)
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
        if !scheme_ok || !has_host {
            return Err(format!(
                "xapi.endpoint must be an http:// or https:// address of the LRS, not {endpoint:?}"
            ));
        }
        Ok(())
    }
}

/// Our own verbs and activity types (those without an ADL or registry IRI), as defined by the
/// profile document. Their IRIs are `{public_url}/xapi/profile/{kind}/{name}`.
pub const OWN_VERBS: &[(&str, &str, &str)] = &[(
    "checked-in",
    "checked in",
    "Shared this week's progress, blockers and next step with an accountability partner.",
)];
pub const OWN_ACTIVITY_TYPES: &[(&str, &str, &str)] = &[
    (
        "space",
        "space",
        "A Guildhall space: a community, cohort, event or team that learns together.",
    ),
    (
        "answer",
        "answer",
        "A reply that answers a question asked in a space.",
    ),
    (
        "partnership",
        "accountability partnership",
        "Two or three members who check in with each other every week.",
    ),
];

/// Verbs taken from ADL and the xAPI vocabulary registry, so that any LRS report reads them.
pub const ASKED: &str = "http://adlnet.gov/expapi/verbs/asked";
pub const ANSWERED: &str = "http://adlnet.gov/expapi/verbs/answered";
pub const ATTENDED: &str = "http://adlnet.gov/expapi/verbs/attended";
pub const ACCEPTED: &str = "http://activitystrea.ms/schema/1.0/accept";
pub const EARNED: &str = "http://id.tincanapi.com/verb/earned";
/// Activity types from ADL and the registry.
pub const QUESTION: &str = "http://adlnet.gov/expapi/activities/question";
pub const MEETING: &str = "http://adlnet.gov/expapi/activities/meeting";
pub const BADGE: &str = "http://activitystrea.ms/schema/1.0/badge";
/// What a profile version is, when named in `contextActivities.category`.
pub const PROFILE_TYPE: &str = "http://adlnet.gov/expapi/activities/profile";

/// A space a moment happened in: the statement's `grouping`.
#[derive(Debug, Clone, Copy)]
pub struct InSpace<'a> {
    pub slug: &'a str,
    pub name: &'a str,
}

impl<'a> From<&'a crate::spaces::SpaceView> for InSpace<'a> {
    fn from(space: &'a crate::spaces::SpaceView) -> Self {
        InSpace {
            slug: &space.slug,
            name: &space.name,
        }
    }
}

impl<'a> From<&'a guildhall_store::spaces::SpaceRow> for InSpace<'a> {
    fn from(space: &'a guildhall_store::spaces::SpaceRow) -> Self {
        InSpace {
            slug: &space.slug,
            name: &space.name,
        }
    }
}

/// The space a statement will name, read before the moment's transaction (never inside it:
/// see `store::db::pool_guard`); none while no LRS is configured, so that costs nothing.
pub async fn space_for(
    app: &crate::App,
    space_id: Option<i64>,
) -> AppResult<Option<guildhall_store::spaces::SpaceRow>> {
    match space_id {
        Some(id) if app.settings().xapi.enabled => {
            Ok(guildhall_store::spaces::space_by_id(app.db(), id).await?)
        }
        _ => Ok(None),
    }
}

/// One social-learning moment, from the facts its use case already holds.
#[derive(Debug, Clone, Copy)]
pub enum Moment<'a> {
    Asked {
        thread_id: i64,
        title: &'a str,
    },
    Answered {
        thread_id: i64,
        title: &'a str,
    },
    /// The actor (the asker or a facilitator) accepted `post_id` as the answer.
    AcceptedAnswer {
        thread_id: i64,
        title: &'a str,
        post_id: i64,
    },
    Attended {
        event_id: i64,
        title: &'a str,
    },
    CheckedIn {
        partnership_id: i64,
    },
    Earned {
        badge_slug: &'a str,
        badge_name: &'a str,
    },
}

/// Writes the moment's statement into the outbox of `tx`, when an LRS is configured; nothing
/// otherwise. `actor` is the user id of the person the statement is about.
pub async fn record(
    app: &crate::App,
    tx: &mut Tx,
    actor: i64,
    moment: Moment<'_>,
    space: Option<InSpace<'_>>,
    at: DateTime<Utc>,
) -> AppResult<()> {
    if !app.settings().xapi.enabled {
        return Ok(());
    }
    let statement = statement(
        &app.settings().server.public_url,
        &new_uuid()?,
        actor,
        moment,
        space,
        at,
    );
    enqueue(tx, &statement, at).await?;
    Ok(())
}

async fn enqueue(tx: &mut Tx, statement: &Value, at: DateTime<Utc>) -> StoreResult<i64> {
    outbox::enqueue(tx, DELIVER, statement, at).await
}

/// The statement for `moment` (pure, so tests can read every kind without a database).
pub fn statement(
    public_url: &str,
    id: &str,
    actor: i64,
    moment: Moment<'_>,
    space: Option<InSpace<'_>>,
    at: DateTime<Utc>,
) -> Value {
    let base = public_url.trim_end_matches('/');
    let own_type = |name: &str| format!("{base}{PROFILE_PATH}/activity-types/{name}");
    let thread =
        |thread_id: i64, title: &str| activity(&format!("{base}/t/{thread_id}"), QUESTION, title);
    let (verb, display, object, parent) = match moment {
        Moment::Asked { thread_id, title } => {
            (ASKED.into(), "asked", thread(thread_id, title), None)
        }
        Moment::Answered { thread_id, title } => {
            (ANSWERED.into(), "answered", thread(thread_id, title), None)
        }
        Moment::AcceptedAnswer {
            thread_id,
            title,
            post_id,
        } => (
            ACCEPTED.into(),
            "accepted",
            activity(
                &format!("{base}/posts/{post_id}"),
                &own_type("answer"),
                &format!("An answer to “{title}”"),
            ),
            Some(thread(thread_id, title)),
        ),
        Moment::Attended { event_id, title } => (
            ATTENDED.into(),
            "attended",
            activity(&format!("{base}/events/{event_id}"), MEETING, title),
            None,
        ),
        Moment::CheckedIn { partnership_id } => (
            format!("{base}{PROFILE_PATH}/verbs/checked-in"),
            "checked in",
            activity(
                &format!("{base}/partners/{partnership_id}"),
                &own_type("partnership"),
                "Accountability partnership",
            ),
            None,
        ),
        Moment::Earned {
            badge_slug,
            badge_name,
        } => (
            EARNED.into(),
            "earned",
            activity(&format!("{base}/badges/{badge_slug}"), BADGE, badge_name),
            None,
        ),
    };
    let mut context_activities = json!({
        "category": [{
            "objectType": "Activity",
            "id": format!("{base}{PROFILE_PATH}/{PROFILE_VERSION}"),
            "definition": { "type": PROFILE_TYPE },
        }],
    });
    if let Some(space) = space {
        context_activities["grouping"] = json!([activity(
            &format!("{base}/s/{}", space.slug),
            &own_type("space"),
            space.name,
        )]);
    }
    if let Some(parent) = parent {
        context_activities["parent"] = json!([parent]);
    }
    json!({
        "id": id,
        "actor": {
            "objectType": "Agent",
            "account": { "homePage": base, "name": actor.to_string() },
        },
        "verb": { "id": verb, "display": { "en-US": display } },
        "object": object,
        "context": {
            "platform": "Guildhall",
            "contextActivities": context_activities,
        },
        "timestamp": at.to_rfc3339_opts(SecondsFormat::Millis, true),
    })
}

fn activity(id: &str, kind: &str, name: &str) -> Value {
    json!({
        "objectType": "Activity",
        "id": id,
        "definition": { "type": kind, "name": { "en-US": name } },
    })
}

/// A random (version 4) UUID: the statement id, fixed when the moment is recorded so that a
/// delivery retried after a lost answer is the same statement to the LRS (it answers 409 or
/// 204, never stores it twice).
fn new_uuid() -> AppResult<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_4() {
        let id = new_uuid().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(id, new_uuid().unwrap());
    }

    #[test]
    fn statements_name_accounts_not_emails_and_our_profile() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let space = InSpace {
            slug: "data",
            name: "Data",
        };
        let s = statement(
            "https://guild.example/",
            "id",
            7,
            Moment::CheckedIn { partnership_id: 3 },
            Some(space),
            at,
        );
        assert_eq!(s["actor"]["account"]["homePage"], "https://guild.example");
        assert_eq!(s["actor"]["account"]["name"], "7");
        assert!(s["actor"].get("mbox").is_none());
        assert_eq!(
            s["verb"]["id"],
            "https://guild.example/xapi/profile/verbs/checked-in"
        );
        assert_eq!(
            s["context"]["contextActivities"]["category"][0]["id"],
            "https://guild.example/xapi/profile/v1"
        );
        assert_eq!(
            s["context"]["contextActivities"]["grouping"][0]["id"],
            "https://guild.example/s/data"
        );
        assert_eq!(s["timestamp"], "2027-01-15T08:00:00.000Z");
    }

    #[test]
    fn enabled_settings_need_an_lrs_address() {
        let mut settings = XapiSettings::default();
        assert_eq!(settings.check(), Ok(()));
        settings.enabled = true;
        assert!(settings.check().is_err());
        settings.endpoint = "ftp://lrs".into();
        assert!(settings.check().is_err());
        settings.endpoint = "http://127.0.0.1:8090/xAPI".into();
        assert_eq!(settings.check(), Ok(()));
    }
}
