//! The idea board over HTTP, on both backends: proposing, building on and merging ideas, votes,
//! the road from proposal to implementation with its rules, credit flowing once to everyone in
//! an idea's lineage (points and the "Idea adopted" badge), the gallery, similar ideas, and
//! ideas in a secret space staying there.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::people::{Person, call, call_ok, notifications, open_space, people};
use support::{TestServer, start};

/// Ada administers; Fran facilitates the space; Grace, Alan and Dorothy are members.
struct Board {
    server: TestServer,
    admin: Person,
    fran: Person,
    grace: Person,
    alan: Person,
    dorothy: Person,
    slug: String,
}

async fn board() -> Board {
    let server = start().await;
    let (admin, mut folks) = people(
        &server,
        &[
            ("Fran", "Allen"),
            ("Grace", "Hopper"),
            ("Alan", "Turing"),
            ("Dorothy", "Vaughan"),
        ],
    )
    .await;
    let dorothy = folks.pop().unwrap();
    let alan = folks.pop().unwrap();
    let grace = folks.pop().unwrap();
    let fran = folks.pop().unwrap();
    let path = format!("/api/v1/admin/people/{}/roles", fran.id);
    let (status, body) = call(
        &server,
        &admin,
        Method::PUT,
        &path,
        json!({"roles": ["facilitator"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let slug = open_space(
        &server,
        &fran,
        "Operations",
        "community",
        &[&grace, &alan, &dorothy],
    )
    .await;
    Board {
        server,
        admin,
        fran,
        grace,
        alan,
        dorothy,
        slug,
    }
}

impl Board {
    async fn ok(&self, who: &Person, method: Method, path: &str, body: Value) -> Value {
        call_ok(&self.server, who, method, path, body).await
    }

    async fn refused(
        &self,
        who: &Person,
        method: Method,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let (status, answer) = call(&self.server, who, method, path, body).await;
        assert!(
            status.is_client_error(),
            "{path} was accepted: {status} {answer}"
        );
        (status, answer)
    }

    async fn propose(&self, who: &Person, title: &str, builds_on: Option<i64>) -> i64 {
        let body = json!({
            "space": self.slug,
            "title": title,
            "problem": format!("Today nobody owns this: {title}."),
            "proposal": format!("Let us try this: {title}, for a month."),
            "benefit": "Less waiting.",
            "tags": "operations, pilot",
            "builds_on": builds_on,
        });
        self.ok(who, Method::POST, "/api/v1/ideas", body).await["id"]
            .as_i64()
            .unwrap()
    }

    async fn idea(&self, who: &Person, id: i64) -> Value {
        self.ok(
            who,
            Method::GET,
            &format!("/api/v1/ideas/{id}"),
            Value::Null,
        )
        .await
    }

    async fn move_to(
        &self,
        who: &Person,
        id: i64,
        status: &str,
        note: &str,
    ) -> (StatusCode, Value) {
        let path = format!("/api/v1/ideas/{id}/status");
        call(
            &self.server,
            who,
            Method::POST,
            &path,
            json!({"status": status, "note": note}),
        )
        .await
    }

    /// The person's points by rule, after the outbox has decided every claim.
    async fn points(&self, who: &Person, rule: &str) -> i64 {
        self.server.deliver_effects().await;
        let mine = self
            .ok(who, Method::GET, "/api/v1/me/rewards", Value::Null)
            .await;
        mine["ledger"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["rule"] == rule)
            .map(|l| l["points"].as_i64().unwrap())
            .sum()
    }

    async fn badges(&self, who: &Person) -> Vec<String> {
        self.server.deliver_effects().await;
        let mine = self
            .ok(who, Method::GET, "/api/v1/me/rewards", Value::Null)
            .await;
        mine["badges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["slug"].as_str().unwrap().to_owned())
            .collect()
    }
}

#[tokio::test]
async fn credit_flows_once_to_everyone_behind_an_adopted_idea() {
    let b = board().await;
    // Grace has the original idea; Alan builds on it; Dorothy writes the same idea again.
    let original = b
        .propose(&b.grace, "Rotate the on-call desk weekly", None)
        .await;
    let built = b
        .propose(
            &b.alan,
            "Rotate the on-call desk with a handover note",
            Some(original),
        )
        .await;
    let duplicate = b
        .propose(&b.dorothy, "Handover notes for the on-call desk", None)
        .await;
    assert_eq!(
        b.points(&b.grace, "idea_built_on").await,
        5,
        "building on earns the parent's author"
    );
    let told = notifications(&b.server, &b.grace).await;
    assert!(
        told.iter().any(|t| t.contains("built on your idea")),
        "{told:?}"
    );

    // The admin votes for the duplicate; Fran merges it into Alan's idea: the vote moves along.
    b.ok(
        &b.admin,
        Method::PUT,
        &format!("/api/v1/ideas/{duplicate}/vote"),
        Value::Null,
    )
    .await;
    b.ok(
        &b.grace,
        Method::PUT,
        &format!("/api/v1/ideas/{built}/vote"),
        Value::Null,
    )
    .await;
    let path = format!("/api/v1/ideas/{duplicate}/merge");
    b.ok(&b.fran, Method::POST, &path, json!({"into": built}))
        .await;
    let kept = b.idea(&b.alan, built).await;
    assert_eq!(kept["votes"], 2, "{kept}");
    assert_eq!(kept["family"].as_array().unwrap().len(), 3, "{kept}");
    let merged = b.idea(&b.alan, duplicate).await;
    assert_eq!(merged["status"], "merged");
    assert_eq!(merged["merged_into"], built);
    assert_eq!(merged["votes"], 0, "its votes moved");
    // A merged idea takes no votes and leaves the board.
    b.refused(
        &b.grace,
        Method::PUT,
        &format!("/api/v1/ideas/{duplicate}/vote"),
        Value::Null,
    )
    .await;
    let listed = b
        .ok(&b.grace, Method::GET, "/api/v1/ideas", Value::Null)
        .await;
    let ids: Vec<i64> = listed["ideas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [built, original]);

    // Adoption credits Alan (wrote it), Grace (original idea) and Dorothy (merged into it).
    let (status, body) = b
        .move_to(&b.fran, built, "adopted", "Starting next sprint.")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let credited: Vec<i64> = b.idea(&b.alan, built).await["credited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["person_id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        credited,
        [b.alan.id, b.grace.id, b.dorothy.id],
        "closest first"
    );
    for who in [&b.alan, &b.grace, &b.dorothy] {
        assert_eq!(b.points(who, "idea_adopted").await, 25);
        assert!(b.badges(who).await.contains(&"idea-adopted".to_owned()));
    }
    assert_eq!(
        b.points(&b.fran, "idea_adopted").await,
        0,
        "the decider is not credited"
    );

    // Parked and adopted again: nobody is credited twice.
    let (status, _) = b.move_to(&b.fran, built, "parked", "").await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "parking needs a reason"
    );
    b.move_to(&b.fran, built, "parked", "Budget frozen until March.")
        .await;
    let (status, body) = b.move_to(&b.fran, built, "adopted", "").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a parked idea is reopened first: {body}"
    );
    for step in ["under_discussion", "adopted", "implemented"] {
        let (status, body) = b.move_to(&b.fran, built, step, "").await;
        assert_eq!(status, StatusCode::OK, "{step}: {body}");
    }
    for who in [&b.alan, &b.grace, &b.dorothy] {
        assert_eq!(
            b.points(who, "idea_adopted").await,
            25,
            "credited once per idea and moment"
        );
        assert_eq!(b.points(who, "idea_implemented").await, 50);
    }
    let gallery = b
        .ok(
            &b.grace,
            Method::GET,
            "/api/v1/ideas/became-work",
            Value::Null,
        )
        .await;
    assert_eq!(gallery[0]["id"], built);
    let decisions = b.idea(&b.grace, built).await["decisions"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(decisions, 5, "every move is recorded with its note");
    // Implemented is final.
    let (status, _) = b
        .move_to(&b.fran, built, "parked", "Changed our minds.")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_rules_refuse_and_change_nothing() {
    let b = board().await;
    let idea = b
        .propose(&b.grace, "A shared glossary of team terms", None)
        .await;
    let vote = format!("/api/v1/ideas/{idea}/vote");
    b.refused(&b.grace, Method::PUT, &vote, Value::Null).await;
    b.ok(&b.alan, Method::PUT, &vote, Value::Null).await;
    let again = b.ok(&b.alan, Method::PUT, &vote, Value::Null).await;
    assert_eq!(again["votes"], 1, "one vote per person");
    assert_eq!(
        b.ok(&b.alan, Method::DELETE, &vote, Value::Null).await["votes"],
        0
    );

    // Members open their own idea for discussion but decide nothing; facilitators decide.
    let (status, _) = b.move_to(&b.alan, idea, "under_discussion", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = b.move_to(&b.grace, idea, "under_discussion", "").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = b.move_to(&b.grace, idea, "adopted", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = b.move_to(&b.fran, idea, "flying", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A facilitator's own idea is adopted by someone else.
    let own = b
        .propose(&b.fran, "Office hours for the data team", None)
        .await;
    let (status, _) = b.move_to(&b.fran, own, "adopted", "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = b.move_to(&b.admin, own, "adopted", "").await;
    assert_eq!(status, StatusCode::OK);

    // Bad fields: every problem at once, nothing written.
    let before = b
        .ok(&b.grace, Method::GET, "/api/v1/ideas", Value::Null)
        .await["ideas"]
        .as_array()
        .unwrap()
        .len();
    let bad = json!({"space": b.slug, "title": "", "problem": "  ", "proposal": "x", "tags": "not/a tag"});
    let (status, body) = b
        .refused(&b.grace, Method::POST, "/api/v1/ideas", bad)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = body["fields"].as_object().unwrap();
    for field in ["title", "problem", "tags"] {
        assert!(fields.contains_key(field), "{body}");
    }
    let nul = json!({"space": b.slug, "title": "Null\u{0}byte", "problem": "p", "proposal": "q"});
    b.refused(&b.grace, Method::POST, "/api/v1/ideas", nul)
        .await;
    let missing_parent = json!({"space": b.slug, "title": "T", "problem": "p", "proposal": "q", "builds_on": 999999});
    let (status, _) = b
        .refused(&b.grace, Method::POST, "/api/v1/ideas", missing_parent)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let after = b
        .ok(&b.grace, Method::GET, "/api/v1/ideas", Value::Null)
        .await["ideas"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "refused ideas write nothing");

    // Lineage: no circles, no merging into itself, no building on someone else's behalf.
    let child = b
        .propose(&b.alan, "Glossary entries linked from the wiki", Some(idea))
        .await;
    let (status, _) = b
        .refused(
            &b.grace,
            Method::POST,
            &format!("/api/v1/ideas/{idea}/builds-on"),
            json!({"parent": child}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a circle is refused"
    );
    b.refused(
        &b.grace,
        Method::POST,
        &format!("/api/v1/ideas/{child}/builds-on"),
        json!({"parent": idea}),
    )
    .await;
    let (status, _) = b
        .refused(
            &b.fran,
            Method::POST,
            &format!("/api/v1/ideas/{idea}/merge"),
            json!({"into": idea}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    b.refused(
        &b.alan,
        Method::POST,
        &format!("/api/v1/ideas/{child}/merge"),
        json!({"into": idea}),
    )
    .await;

    // The owner is a member of the space; watchers and voters hear where the idea goes.
    let owner = format!("/api/v1/ideas/{idea}/owner");
    b.refused(&b.fran, Method::PUT, &owner, json!({"owner_id": 999999}))
        .await;
    b.refused(
        &b.grace,
        Method::PUT,
        &owner,
        json!({"owner_id": b.alan.id}),
    )
    .await;
    b.ok(
        &b.fran,
        Method::PUT,
        &owner,
        json!({"owner_id": b.dorothy.id}),
    )
    .await;
    b.ok(&b.alan, Method::PUT, &vote, Value::Null).await;
    b.move_to(&b.fran, idea, "piloting", "Two teams try it in May.")
        .await;
    for who in [&b.alan, &b.dorothy, &b.grace] {
        let told = notifications(&b.server, who).await;
        assert!(
            told.iter().any(|t| t.contains("is now piloting")),
            "{told:?}"
        );
    }
    let page = b.idea(&b.grace, idea).await;
    assert_eq!(page["owner_id"], b.dorothy.id);
    assert_eq!(page["decisions"][1]["note"], "Two teams try it in May.");

    // Boards filter by status and tag, and page with a cursor.
    let piloting = b
        .ok(
            &b.grace,
            Method::GET,
            "/api/v1/ideas?status=piloting",
            Value::Null,
        )
        .await;
    assert_eq!(piloting["ideas"].as_array().unwrap().len(), 1);
    let tagged = b
        .ok(
            &b.grace,
            Method::GET,
            "/api/v1/ideas?tag=%23Pilot&order=votes",
            Value::Null,
        )
        .await;
    assert_eq!(tagged["ideas"][0]["id"], idea, "most votes first: {tagged}");
    b.refused(
        &b.grace,
        Method::GET,
        "/api/v1/ideas?status=nonsense",
        Value::Null,
    )
    .await;
    b.refused(
        &b.grace,
        Method::GET,
        "/api/v1/ideas?cursor=1.x",
        Value::Null,
    )
    .await;
    let similar = b
        .ok(
            &b.alan,
            Method::GET,
            "/api/v1/ideas/similar?title=team%20glossary%20of%20terms",
            Value::Null,
        )
        .await;
    assert_eq!(similar[0]["id"], idea, "{similar}");
}

#[tokio::test]
async fn ideas_in_a_secret_space_stay_there() {
    let b = board().await;
    let body = json!({"name": "Reorg Planning", "kind": "team", "visibility": "secret"});
    let secret = b.ok(&b.fran, Method::POST, "/api/v1/spaces", body).await["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let open_idea = b
        .propose(&b.grace, "Quarterly planning open house", None)
        .await;
    let body = json!({
        "space": secret,
        "title": "Merge the planning teams",
        "problem": "Two teams plan the same quarter.",
        "proposal": "One planning team from July.",
        "builds_on": open_idea,
    });
    let hidden = b.ok(&b.fran, Method::POST, "/api/v1/ideas", body).await["id"]
        .as_i64()
        .unwrap();
    // Grace, not a member, never sees it: not on the board, not by its number, not by title.
    let listed = b
        .ok(&b.grace, Method::GET, "/api/v1/ideas", Value::Null)
        .await
        .to_string();
    assert!(!listed.contains("Merge the planning"), "{listed}");
    let (status, _) = call(
        &b.server,
        &b.grace,
        Method::GET,
        &format!("/api/v1/ideas/{hidden}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let family = b.idea(&b.grace, open_idea).await.to_string();
    assert!(
        !family.contains("Merge the planning"),
        "a hidden relative's title is withheld: {family}"
    );
    let similar = b
        .ok(
            &b.grace,
            Method::GET,
            "/api/v1/ideas/similar?title=merge%20planning%20teams&text=one%20planning%20team",
            Value::Null,
        )
        .await;
    assert!(
        !similar.to_string().contains("Merge the planning"),
        "{similar}"
    );
    let (status, _) = call(
        &b.server,
        &b.grace,
        Method::GET,
        &format!("/api/v1/ideas?space={secret}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
