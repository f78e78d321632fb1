//! Our xAPI Profile (ADL xAPI Profiles 1.0, JSON-LD): the verbs and activity types Guildhall
//! defines itself, and one statement template per social-learning moment, naming the ADL and
//! registry verbs it uses. Its IRIs are built from `server.public_url`, so each Guildhall is the
//! publisher of its own profile and every IRI in it resolves to this document.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use guildhall_app::App;
use guildhall_app::xapi::{
    ACCEPTED, ANSWERED, ASKED, ATTENDED, BADGE, EARNED, MEETING, OWN_ACTIVITY_TYPES, OWN_VERBS,
    PROFILE_PATH, PROFILE_TYPE, PROFILE_VERSION, QUESTION,
};
use serde_json::{Value, json};

/// When version 1 of the profile was written; a new version gets its own IRI and date.
const V1_GENERATED_AT: &str = "2026-12-04T00:00:00Z";

pub(super) async fn document(State(app): State<App>) -> impl IntoResponse {
    let body = profile(&app.settings().server.public_url);
    (
        [
            (header::CONTENT_TYPE, "application/ld+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body.to_string(),
    )
}

/// The profile document for a server reached at `public_url`.
pub(crate) fn profile(public_url: &str) -> Value {
    let base = public_url.trim_end_matches('/');
    let id = format!("{base}{PROFILE_PATH}");
    let version = format!("{id}/{PROFILE_VERSION}");
    let own = |kind: &str, name: &str| format!("{id}/{kind}/{name}");
    let concept = |kind: &str, path: &str, (name, label, definition): &(&str, &str, &str)| {
        json!({
            "id": own(path, name),
            "type": kind,
            "inScheme": version,
            "prefLabel": { "en": label },
            "definition": { "en": definition },
        })
    };
    let mut concepts: Vec<Value> = OWN_VERBS
        .iter()
        .map(|verb| concept("Verb", "verbs", verb))
        .collect();
    concepts.extend(
        OWN_ACTIVITY_TYPES
            .iter()
            .map(|kind| concept("ActivityType", "activity-types", kind)),
    );
    let space = own("activity-types", "space");
    let template = |name: &str, label: &str, definition: &str, verb: &str, object: &str| {
        json!({
            "id": own("templates", name),
            "type": "StatementTemplate",
            "inScheme": version,
            "prefLabel": { "en": label },
            "definition": { "en": definition },
            "verb": verb,
            "objectActivityType": object,
            "contextCategoryActivityType": [PROFILE_TYPE],
            "rules": [
                // People are accounts of this server, never email addresses.
                { "location": "$.actor.account.homePage", "presence": "included", "any": [base] },
                { "location": "$.actor.mbox", "presence": "excluded" },
                { "location": "$.actor.mbox_sha1sum", "presence": "excluded" },
                { "location": "$.context.contextActivities.category[*].id", "presence": "included", "all": [version] },
            ],
        })
    };
    let mut asked = template(
        "asked",
        "asked a question",
        "A member asked a question in a space.",
        ASKED,
        QUESTION,
    );
    asked["contextGroupingActivityType"] = json!([space]);
    let mut answered = template(
        "answered",
        "answered a question",
        "A member replied to a question someone else asked.",
        ANSWERED,
        QUESTION,
    );
    answered["contextGroupingActivityType"] = json!([space]);
    let mut accepted = template(
        "accepted-answer",
        "accepted an answer",
        "The asker (or a facilitator) accepted a reply as the answer; the question is the parent.",
        ACCEPTED,
        &own("activity-types", "answer"),
    );
    accepted["contextParentActivityType"] = json!([QUESTION]);
    accepted["contextGroupingActivityType"] = json!([space]);
    let mut attended = template(
        "attended",
        "attended an event",
        "A facilitator marked a member as having attended an event of a space.",
        ATTENDED,
        MEETING,
    );
    attended["contextGroupingActivityType"] = json!([space]);
    let checked_in = template(
        "checked-in",
        "checked in with a partner",
        "A member shared this week's check-in with their accountability partner (what was said stays private).",
        &own("verbs", "checked-in"),
        &own("activity-types", "partnership"),
    );
    let earned = template(
        "earned",
        "earned a badge",
        "A member earned a badge, automatically or awarded by a facilitator.",
        EARNED,
        BADGE,
    );
    json!({
        "id": id,
        "@context": "https://w3id.org/xapi/profiles/context",
        "type": "Profile",
        "conformsTo": "https://w3id.org/xapi/profiles#1.0",
        "prefLabel": { "en": "Guildhall social learning" },
        "definition": {
            "en": "Learning that happens between people in a Guildhall community: asking and answering, accepting answers, attending events, checking in with an accountability partner and earning badges."
        },
        "author": { "type": "Organization", "name": "Guildhall", "url": base },
        "versions": [{ "id": version, "generatedAtTime": V1_GENERATED_AT }],
        "concepts": concepts,
        "templates": [asked, answered, accepted, attended, checked_in, earned],
    })
}
