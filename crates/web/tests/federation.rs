//! ActivityPub federation of open spaces: off by default, allow-list first, WebFinger and
//! NodeInfo, a remote follow accepted and announced to, remote replies through the content
//! check, and every kind of bad input refused with nothing written — on both backends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

#[path = "federation/peer.rs"]
mod peer;
mod support;

use guildhall_app::nexus::federation::FederationSettings;
use guildhall_domain::nexus::servers::FederationMode;
use guildhall_domain::nexus::signatures::{self, Incoming, Scheme};
use peer::Peer;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::people::{Person, call, call_ok, open_space, people};

struct World {
    server: support::TestServer,
    admin: Person,
    member: Person,
    slug: String,
    peer: Peer,
}

async fn world() -> World {
    world_with(guildhall_app::settings::Settings::default()).await
}

async fn world_with(mut settings: guildhall_app::settings::Settings) -> World {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    settings.server.public_url = format!("http://{}", listener.local_addr().unwrap());
    let server = support::start_on(listener, settings).await;
    let (admin, mut others) = people(&server, &[("Bea", "Santos")]).await;
    let member = others.remove(0);
    let slug = open_space(&server, &admin, "Data Craft", "community", &[&member]).await;
    let peer = Peer::start().await;
    World {
        server,
        admin,
        member,
        slug,
        peer,
    }
}

impl World {
    async fn admin_viewer(&self) -> guildhall_app::people::Viewer {
        self.server.app.viewer_for_cli(self.admin.id).await.unwrap()
    }

    /// Federation on, in allow-list mode, the peer allowed and the space federated — through
    /// the administrators' API.
    async fn federate(&self) {
        let settings = json!({"enabled": true, "mode": "allowlist", "share_usage": true});
        call_ok(
            &self.server,
            &self.admin,
            Method::PUT,
            "/api/v1/federation",
            settings,
        )
        .await;
        let server = format!("/api/v1/federation/servers/{}", self.peer.host);
        let body = json!({"policy": "allow", "note": "Partner"});
        call_ok(&self.server, &self.admin, Method::PUT, &server, body).await;
        let space = format!("/api/v1/federation/spaces/{}", self.slug);
        call_ok(
            &self.server,
            &self.admin,
            Method::PUT,
            &space,
            json!({"federated": true}),
        )
        .await;
        let overview = call_ok(
            &self.server,
            &self.admin,
            Method::GET,
            "/api/v1/federation",
            Value::Null,
        )
        .await;
        assert_eq!(overview["enabled"], true);
        assert_eq!(overview["servers"][0]["host"], self.peer.host);
        let space = overview["spaces"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["slug"] == self.slug.as_str())
            .cloned();
        assert_eq!(space.unwrap()["federated"], true);
    }

    async fn admin_page(&self) -> String {
        let browser = support::browser();
        let response = self
            .server
            .sign_in(&browser, "ada@example.org", support::PASSWORD)
            .await;
        assert!(response.status().is_redirection() || response.status().is_success());
        let page = browser
            .get(self.server.url("/admin/federation"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        page.text().await.unwrap()
    }

    fn group(&self) -> String {
        self.server.url(&format!("/ap/groups/{}", self.slug))
    }

    fn inbox(&self) -> String {
        format!("{}/inbox", self.group())
    }

    async fn follow(&self) -> (StatusCode, Value) {
        let follow = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Follow",
            "id": format!("{}/follows/1", self.peer.base),
            "actor": self.peer.actor(),
            "object": self.group(),
        });
        self.peer
            .send(&self.inbox(), &follow, Scheme::Cavage, true)
            .await
    }

    async fn thread(&self, title: &str) -> i64 {
        let body = json!({"kind": "question", "title": title, "body": "How do you keep dashboards honest?"});
        let path = format!("/api/v1/spaces/{}/threads", self.slug);
        call_ok(&self.server, &self.member, Method::POST, &path, body).await["id"]
            .as_i64()
            .unwrap()
    }

    fn reply(&self, n: u32, thread_id: i64, content: &str) -> Value {
        let note = format!("{}/notes/{n}", self.peer.base);
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Create",
            "id": format!("{note}/create"),
            "actor": self.peer.actor(),
            "object": {
                "type": "Note", "id": note, "attributedTo": self.peer.actor(),
                "inReplyTo": self.server.url(&format!("/ap/threads/{thread_id}")),
                "content": content,
            },
        })
    }

    async fn posts(&self, thread_id: i64) -> Vec<Value> {
        let path = format!("/api/v1/threads/{thread_id}");
        call_ok(&self.server, &self.member, Method::GET, &path, Value::Null).await["posts"]
            .as_array()
            .unwrap()
            .clone()
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = reqwest::get(self.server.url(path)).await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn federation_is_off_until_an_administrator_turns_it_on() {
    let w = world().await;
    let host = w.server.base.trim_start_matches("http://").to_owned();
    let finger = format!("/.well-known/webfinger?resource=acct:{}@{host}", w.slug);
    assert_eq!(w.get(&finger).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        w.get(&format!("/ap/groups/{}", w.slug)).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = w.follow().await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["code"], "federation_off");

    let (status, _) = support::people::call(
        &w.server,
        &w.member,
        Method::PUT,
        "/api/v1/federation",
        json!({"enabled": true, "mode": "open", "share_usage": true}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only administrators decide");
    let (status, body) = support::people::call(
        &w.server,
        &w.admin,
        Method::PUT,
        "/api/v1/federation",
        json!({"enabled": true, "mode": "everyone", "share_usage": true}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        w.get(&finger).await.0,
        StatusCode::NOT_FOUND,
        "nothing changed"
    );

    w.federate().await;
    let (status, finger) = w.get(&finger).await;
    assert_eq!(status, StatusCode::OK, "{finger}");
    assert_eq!(finger["subject"], format!("acct:{}@{host}", w.slug));
    let actor_url = finger["links"][0]["href"].as_str().unwrap().to_owned();
    assert_eq!(actor_url, w.group());
    let (status, group) = w.get(&format!("/ap/groups/{}", w.slug)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(group["type"], "Group");
    assert_eq!(group["name"], "Data Craft");
    assert!(
        group["publicKey"]["publicKeyPem"]
            .as_str()
            .unwrap()
            .contains("PUBLIC KEY")
    );

    let page = w.admin_page().await;
    assert!(
        page.contains(&format!("@{}@{host}", w.slug)),
        "the admin page names the handle"
    );
    assert!(page.contains(&w.peer.host), "and the allowed server");

    let (status, links) = w.get("/.well-known/nodeinfo").await;
    assert_eq!(status, StatusCode::OK);
    let href = links["links"][0]["href"].as_str().unwrap().to_owned();
    let nodeinfo: Value = reqwest::get(&href).await.unwrap().json().await.unwrap();
    assert_eq!(nodeinfo["version"], "2.1");
    assert_eq!(nodeinfo["protocols"][0], "activitypub");
    assert!(nodeinfo["usage"]["users"]["total"].as_i64().unwrap() >= 2);

    // Usage counts can be withheld.
    let admin = w.admin_viewer().await;
    let settings = FederationSettings {
        enabled: true,
        mode: FederationMode::Allowlist,
        share_usage: false,
    };
    w.server
        .app
        .set_federation(&admin, &settings)
        .await
        .unwrap();
    let nodeinfo: Value = reqwest::get(&href).await.unwrap().json().await.unwrap();
    assert!(
        nodeinfo["usage"]["users"].get("total").is_none(),
        "{nodeinfo}"
    );

    // Only open spaces can be federated.
    let body = json!({"name": "Quiet Room", "kind": "team", "visibility": "invite_only"});
    let quiet = call_ok(&w.server, &w.admin, Method::POST, "/api/v1/spaces", body).await;
    let quiet = quiet["slug"].as_str().unwrap();
    assert!(
        w.server
            .app
            .federate_space(&admin, quiet, true)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn a_remote_follower_is_accepted_and_hears_of_new_threads() {
    let w = world().await;
    w.federate().await;
    let (status, body) = w.follow().await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["status"], "followed");
    w.server.deliver_effects().await;
    let thread_id = w.thread("Dashboards people trust").await;
    w.server.deliver_effects().await;

    let received = w.peer.received();
    let accept = received
        .iter()
        .find(|(_, a)| a["type"] == "Accept")
        .expect("an Accept");
    assert_eq!(accept.1["object"]["type"], "Follow");
    let announce = received
        .iter()
        .find(|(_, a)| a["type"] == "Announce")
        .expect("an Announce of the new thread");
    assert_eq!(announce.1["actor"], w.group());
    let create = &announce.1["object"];
    assert_eq!(create["type"], "Create");
    assert_eq!(create["object"]["type"], "Page");
    assert_eq!(create["object"]["name"], "Dashboards people trust");
    assert_eq!(
        create["object"]["id"],
        w.server.url(&format!("/ap/threads/{thread_id}"))
    );

    // Every delivery is signed with the group's key, as published in its actor document.
    let (_, group) = w.get(&format!("/ap/groups/{}", w.slug)).await;
    let public_key = group["publicKey"]["publicKeyPem"].as_str().unwrap();
    let inbox = format!("{}/inbox", w.peer.actor());
    for (headers, activity) in [accept, announce] {
        // Sent and re-read as JSON with sorted keys: the same bytes as were signed.
        let body = activity.to_string();
        let incoming = Incoming {
            method: "POST",
            target_uri: &inbox,
            headers,
            body: body.as_bytes(),
        };
        let claim = signatures::claim(&incoming, chrono::Utc::now()).unwrap();
        assert_eq!(claim.key_id, format!("{}#main-key", w.group()));
        signatures::verify(&incoming, &claim, public_key).unwrap();
    }

    // The author's Person actor carries their professional name; the thread is fetchable.
    let author = create["actor"].as_str().unwrap();
    let person: Value = reqwest::get(author).await.unwrap().json().await.unwrap();
    assert_eq!(person["type"], "Person");
    assert_eq!(person["name"], "Bea Santos");
    let page: Value = reqwest::get(create["object"]["id"].as_str().unwrap())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["type"], "Page");
}

/// A member's reply goes out as a `Create`, their edit as an `Update`, their deletion as a
/// `Delete` — each in the group's `Announce`; a reply held for review goes out only once a
/// moderator approves it.
#[tokio::test]
async fn followers_hear_of_edits_deletions_and_approved_replies() {
    let w = world().await;
    w.federate().await;
    let (status, body) = w.follow().await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let thread_id = w.thread("Naming dashboards").await;
    let path = format!("/api/v1/threads/{thread_id}/posts");
    let reply = json!({"body": "Name them after the decision they support."});
    let reply = call_ok(&w.server, &w.member, Method::POST, &path, reply).await["id"]
        .as_i64()
        .unwrap();
    let post = format!("/api/v1/posts/{reply}");
    let edit = json!({"body": "Name them after the decision they support, not the data."});
    let (status, body) = call(&w.server, &w.member, Method::PUT, &post, edit).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = call(&w.server, &w.member, Method::DELETE, &post, Value::Null).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    w.server.deliver_effects().await;

    let inner_of = |kind: &str| -> Vec<Value> {
        w.peer
            .received()
            .into_iter()
            .map(|(_, a)| a)
            .filter(|a| a["type"] == "Announce" && a["object"]["type"] == kind)
            .map(|a| a["object"].clone())
            .collect()
    };
    let note = w.server.url(&format!("/ap/posts/{reply}"));
    let created = inner_of("Create");
    assert!(created.iter().any(|c| c["object"]["id"] == note.as_str()));
    let updated = inner_of("Update");
    assert_eq!(updated.len(), 1, "{updated:?}");
    assert_eq!(updated[0]["object"]["id"], note.as_str());
    assert!(
        updated[0]["object"]["content"]
            .as_str()
            .unwrap()
            .contains("not the data")
    );
    assert!(updated[0]["object"]["updated"].is_string());
    let deleted = inner_of("Delete");
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert_eq!(deleted[0]["object"]["type"], "Tombstone");
    assert_eq!(deleted[0]["object"]["id"], note.as_str());
    assert_eq!(deleted[0]["actor"], updated[0]["actor"]);

    // Held for review: nothing goes out until a moderator approves it.
    let held = json!({"body": "Only an idiot would name a dashboard after a table, you clown", "send_for_review": true});
    let held = call_ok(&w.server, &w.member, Method::POST, &path, held).await["id"]
        .as_i64()
        .unwrap();
    w.server.deliver_effects().await;
    let held_note = w.server.url(&format!("/ap/posts/{held}"));
    let went_out = || {
        inner_of("Create")
            .iter()
            .any(|c| c["object"]["id"] == held_note.as_str())
    };
    assert!(!went_out(), "a held reply stays here");
    let roles = format!("/api/v1/admin/people/{}/roles", w.admin.id);
    let both = json!({"roles": ["admin", "moderator"]});
    call_ok(&w.server, &w.admin, Method::PUT, &roles, both).await;
    let admin = w.admin_viewer().await;
    let queue = w.server.app.review_queue(&admin, None).await.unwrap();
    let item = queue
        .iter()
        .find(|i| i.subject_kind == "post" && i.subject_id == held)
        .expect("the held reply is in the review queue");
    let approve = guildhall_app::moderation::ReviewDecision {
        action: guildhall_app::moderation::ReviewAction::Approve,
        reason: "Blunt, but about the work.".into(),
        hours: None,
        in_space_only: false,
    };
    w.server
        .app
        .decide_review(&admin, item.id, &approve)
        .await
        .unwrap();
    w.server.deliver_effects().await;
    assert!(went_out(), "approved, it goes out");
}

#[tokio::test]
async fn remote_replies_pass_the_content_check_and_follow_edits_and_deletes() {
    let w = world().await;
    w.federate().await;
    let thread_id = w.thread("Which chart for a funnel?").await;

    for scheme in [Scheme::Cavage, Scheme::Rfc9421] {
        let n = if scheme == Scheme::Cavage { 1 } else { 2 };
        let reply = w.reply(
            n,
            thread_id,
            &format!("<p>A bar chart, sorted &amp; labelled ({n}).</p>"),
        );
        let (status, body) = w.peer.send(&w.inbox(), &reply, scheme, true).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{scheme:?}: {body}");
        assert!(body["status"]["replied"]["post_id"].is_i64(), "{body}");
    }
    let posts = w.posts(thread_id).await;
    assert_eq!(posts.len(), 3);
    let remote = &posts[1];
    assert_eq!(remote["author_name"], format!("ana@{}", w.peer.host));
    assert_eq!(remote["via"], "the fediverse");
    assert!(posts[0]["via"].is_null(), "a member's post came from here");
    assert!(
        remote["body_html"]
            .as_str()
            .unwrap()
            .contains("A bar chart, sorted &amp; labelled (1).")
    );

    // A rude reply does not appear: it waits for a moderator (or is refused outright).
    let rude = w.reply(
        3,
        thread_id,
        "<p>You are a worthless idiot and your charts are garbage</p>",
    );
    let (status, body) = w.peer.send(&w.inbox(), &rude, Scheme::Cavage, true).await;
    assert!(
        status == StatusCode::ACCEPTED || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status} {body}"
    );
    let visible = w.posts(thread_id).await;
    assert_eq!(visible.len(), 3, "the rude reply is not shown to members");

    // The remote author edits, then deletes their first reply.
    let note = format!("{}/notes/1", w.peer.base);
    let update = json!({
        "type": "Update", "id": format!("{note}/update"), "actor": w.peer.actor(),
        "object": { "type": "Note", "id": note, "attributedTo": w.peer.actor(),
                    "inReplyTo": w.server.url(&format!("/ap/threads/{thread_id}")),
                    "content": "<p>A bar chart, sorted by size.</p>" },
    });
    let (status, body) = w.peer.send(&w.inbox(), &update, Scheme::Cavage, true).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert!(
        w.posts(thread_id).await[1]["body_html"]
            .as_str()
            .unwrap()
            .contains("sorted by size")
    );
    let delete = json!({
        "type": "Delete", "id": format!("{note}/delete"), "actor": w.peer.actor(), "object": note,
    });
    let (status, body) = w.peer.send(&w.inbox(), &delete, Scheme::Cavage, true).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(w.posts(thread_id).await[1]["deleted"], true);
}

#[tokio::test]
async fn bad_input_from_outside_is_refused_and_changes_nothing() {
    let w = world().await;
    w.federate().await;
    let thread_id = w.thread("Naming conventions").await;
    let reply = w.reply(1, thread_id, "<p>Snake case for columns.</p>");
    let count = || async { w.posts(thread_id).await.len() };

    // Unsigned.
    let (status, body) = peer::send_raw(&w.inbox(), &[], reply.to_string().into_bytes()).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_signature"))
    );
    // Signed with a key that is not the actor's.
    let (status, body) = w.peer.send(&w.inbox(), &reply, Scheme::Cavage, false).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_signature"))
    );
    // Malformed: not JSON, not an object, not an activity, a foreign object.
    let (status, _) = peer::send_raw(&w.inbox(), &[], b"{not json".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = w
        .peer
        .send(&w.inbox(), &json!(["a list"]), Scheme::Cavage, true)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let mut foreign = reply.clone();
    foreign["object"]["id"] = json!("https://elsewhere.example/notes/9");
    let (status, _) = w
        .peer
        .send(&w.inbox(), &foreign, Scheme::Cavage, true)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let moved = json!({"type": "Move", "id": format!("{}/m/1", w.peer.base), "actor": w.peer.actor(), "object": w.peer.actor()});
    let (status, _) = w.peer.send(&w.inbox(), &moved, Scheme::Cavage, true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Oversized.
    let huge = w.reply(2, thread_id, &"x".repeat(300 * 1024));
    let (status, _) = w.peer.send(&w.inbox(), &huge, Scheme::Cavage, true).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // An actor that does not exist.
    let mut ghost = reply.clone();
    ghost["actor"] = json!(format!("{}/users/ghost", w.peer.base));
    ghost["object"]["attributedTo"] = ghost["actor"].clone();
    let (status, body) = w.peer.send(&w.inbox(), &ghost, Scheme::Cavage, true).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(count().await, 1, "nothing was written");

    // Accepted once, refused when replayed.
    let (status, body) = w.peer.send(&w.inbox(), &reply, Scheme::Cavage, true).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let (status, body) = w.peer.send(&w.inbox(), &reply, Scheme::Cavage, true).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(count().await, 2);

    // A moderator blocks the remote author: nothing more is accepted from them.
    let admin = w.admin_viewer().await;
    let remote = w
        .server
        .app
        .remote_people(&admin, guildhall_domain::nexus::Origin::Fediverse)
        .await
        .unwrap();
    assert_eq!(remote.len(), 1);
    w.server
        .app
        .block_remote(&admin, remote[0].user_id, true)
        .await
        .unwrap();
    let again = w.reply(3, thread_id, "<p>One more thought.</p>");
    let (status, body) = w.peer.send(&w.inbox(), &again, Scheme::Cavage, true).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("remote_blocked"))
    );

    // A server that is not on the allow list is not heard at all.
    w.server
        .app
        .unlist_server(&admin, &w.peer.host)
        .await
        .unwrap();
    let (status, body) = w.follow().await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("server_not_allowed"))
    );
    assert_eq!(count().await, 2);
}

/// The real peer: a Fedify server (started when `GUILDHALL_FEDIFY` names the folder with its
/// node_modules and `peer.mjs`, as `./test.sh` does) follows a space, receives the announce of
/// a new thread, replies, and the reply appears in the thread after the content check.
#[tokio::test]
async fn a_fedify_server_follows_hears_and_replies() {
    let Ok(folder) = std::env::var("GUILDHALL_FEDIFY") else {
        eprintln!("GUILDHALL_FEDIFY is not set: skipped the Fedify peer (./test.sh runs it)");
        return;
    };
    let w = world().await;
    let fedify = FedifyPeer::start(&folder).await;
    // The in-process peer stays allowed too; Fedify's server is added by its own host.
    w.federate().await;
    let server = format!("/api/v1/federation/servers/{}", fedify.host);
    call_ok(
        &w.server,
        &w.admin,
        Method::PUT,
        &server,
        json!({"policy": "allow"}),
    )
    .await;

    let follow = fedify.control("follow", json!({"actor": w.group()})).await;
    assert!(follow["id"].is_string(), "{follow}");
    w.server.deliver_effects().await;
    let thread_id = w.thread("Where do you keep data dictionaries?").await;
    w.server.deliver_effects().await;
    let received = fedify
        .received_until(|r| r.iter().any(|a| a["type"] == "Announce"))
        .await;
    assert!(
        received.iter().any(|a| a["type"] == "Accept"),
        "Fedify got the Accept of its follow: {received:?}"
    );
    let announce = received.iter().find(|a| a["type"] == "Announce").unwrap();
    assert_eq!(announce["actor"], w.group());
    assert_eq!(announce["object"]["type"], "Create");
    assert_eq!(announce["inner"]["type"], "Page");
    assert_eq!(
        announce["inner"]["name"],
        "Where do you keep data dictionaries?"
    );

    let thread = w.server.url(&format!("/ap/threads/{thread_id}"));
    let reply = json!({"actor": w.group(), "inReplyTo": thread, "content": "<p>In the repository, next to the models.</p>"});
    let sent = fedify.control("reply", reply).await;
    assert!(sent["id"].is_string(), "{sent}");
    let posts = w.posts(thread_id).await;
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert_eq!(posts[1]["author_name"], format!("ana@{}", fedify.host));
    assert_eq!(posts[1]["via"], "the fediverse");
    assert!(
        posts[1]["body_html"]
            .as_str()
            .unwrap()
            .contains("next to the models")
    );

    let rude = json!({"actor": w.group(), "inReplyTo": thread, "content": "<p>Only an idiot would ask this, you worthless clown</p>"});
    fedify.control("reply", rude).await;
    assert_eq!(
        w.posts(thread_id).await.len(),
        2,
        "the rude reply waits for a moderator or is refused"
    );
}

struct FedifyPeer {
    child: std::process::Child,
    base: String,
    host: String,
}

impl FedifyPeer {
    async fn start(folder: &str) -> FedifyPeer {
        use std::io::BufRead;
        let node = format!("{folder}/node_modules/.bin/node");
        let mut child = std::process::Command::new(node)
            .arg("peer.mjs")
            .current_dir(folder)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("node starts");
        let stdout = child.stdout.take().unwrap();
        // The first line names the port; the rest of its output is not needed.
        let first = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufReader::new(stdout)
                .read_line(&mut line)
                .map(|_| line)
        });
        let first = tokio::time::timeout(std::time::Duration::from_secs(30), first)
            .await
            .expect("the Fedify peer answers within 30 s")
            .unwrap()
            .unwrap();
        let port = serde_json::from_str::<Value>(&first).unwrap()["port"]
            .as_u64()
            .unwrap();
        let host = format!("127.0.0.1:{port}");
        FedifyPeer {
            child,
            base: format!("http://{host}"),
            host,
        }
    }

    async fn control(&self, action: &str, body: Value) -> Value {
        let response = reqwest::Client::new()
            .post(format!("{}/control/{action}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{action}: {status} {answer}");
        answer
    }

    /// What the peer received, once `done` holds (Fedify handles its inbox in the background).
    async fn received_until(&self, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        for _ in 0..100 {
            let received: Vec<Value> = reqwest::get(format!("{}/control/received", self.base))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if done(&received) {
                return received;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the Fedify peer did not receive what was expected");
    }
}

impl Drop for FedifyPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The strict peer: a bovine-herd server (PyPI `bovine-herd`, served by hypercorn over TLS; started
/// when `GUILDHALL_BOVINE` names the virtualenv it is installed in, as `./test.sh` does). bovine
/// fetches the group with its signed GET and parses it; it follows the group, and every request
/// we send it — the signed GET of its actor, the Accept, the Announce — passes bovine's own
/// signature verifier, which refuses the same delivery once altered.
#[tokio::test]
async fn a_bovine_server_fetches_the_actor_and_verifies_signatures() {
    let Ok(venv) = std::env::var("GUILDHALL_BOVINE") else {
        eprintln!("GUILDHALL_BOVINE is not set: skipped the bovine peer (./test.sh runs it)");
        return;
    };
    let bovine = BovinePeer::start(&venv).await;
    // bovine's ids are https: our outbound client trusts the authority its certificate names.
    let mut settings = guildhall_app::settings::Settings::default();
    settings.http.extra_roots = bovine.ca.clone();
    let w = world_with(settings).await;
    w.federate().await;
    let server = format!("/api/v1/federation/servers/{}", bovine.host);
    let allow = json!({"policy": "allow"});
    call_ok(&w.server, &w.admin, Method::PUT, &server, allow).await;
    let (_, group) = w.get(&format!("/ap/groups/{}", w.slug)).await;
    let our_key = group["publicKey"]["publicKeyPem"].as_str().unwrap();

    // bovine's signed GET of the group (our actors are public: its signature is not checked
    // here), read by bovine's actor parser (id on the host asked, one inbox, one outbox; the
    // key's id and owner the actor's own) and kept by its store after JSON-LD compaction.
    let fetched = bovine.control("fetch", json!({"url": w.group()})).await;
    assert_eq!(fetched["id"], w.group());
    assert_eq!(fetched["type"], "Group");
    assert_eq!(fetched["inbox"], w.inbox());
    assert_eq!(fetched["key_id"], format!("{}#main-key", w.group()));
    assert_eq!(fetched["pem"], our_key);
    assert_eq!(fetched["identifiers"][0]["controller"], w.group());
    assert_eq!(fetched["stored"]["id"], w.group());
    assert_eq!(fetched["stored"]["type"], "Group");

    // ana follows through bovine's outbox: we fetch her actor (a signed GET bovine verifies)
    // and check her signature with the key found there.
    let follow = bovine.control("follow", json!({"actor": w.group()})).await;
    assert!(follow["id"].as_str().unwrap().starts_with(&bovine.base));
    let (_, followers) = w.get(&format!("/ap/groups/{}/followers", w.slug)).await;
    assert_eq!(
        followers["totalItems"], 1,
        "ana's follow was accepted: {followers}"
    );
    w.server.deliver_effects().await;
    let thread_id = w.thread("Which units do your dashboards use?").await;
    w.server.deliver_effects().await;

    // bovine took the Accept (ana now follows the group) and the Announce into ana's inbox.
    let state = bovine
        .state_until(|s| {
            s["following"].as_array().unwrap().len() == 1
                && s["inbox"].as_array().unwrap().len() == 2
        })
        .await;
    assert_eq!(state["following"][0], w.group(), "{state}");
    let kept = |kind: &str| {
        state["inbox"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["type"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in ana's inbox: {state}"))
            .clone()
    };
    let (accept, announce) = (kept("Accept"), kept("Announce"));
    for activity in [&accept, &announce] {
        assert_eq!(activity["actor"], w.group(), "{activity}");
        let id = activity["id"].as_str().unwrap();
        assert!(id.starts_with(&w.server.url("/ap/activities/")), "{id}");
    }
    // The announced thread, as bovine's store kept it from the Announce (nothing fetched).
    let thread = w.server.url(&format!("/ap/threads/{thread_id}"));
    let page = bovine.control("stored", json!({"id": thread})).await;
    assert_eq!(page["stored"]["type"], "Page", "{page}");
    assert_eq!(
        page["stored"]["name"],
        "Which units do your dashboards use?"
    );

    // What bovine's verifier said of every signed request from us: each verified, to its key's
    // owner — the GET of ana's actor as the instance actor, the deliveries as the group.
    let ours: Vec<&Value> = state["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| {
            c["key_id"]
                .as_str()
                .is_some_and(|k| k.starts_with(&w.server.base))
        })
        .collect();
    let instance = w.server.url("/ap/actor");
    let seen: Vec<(&str, &str, &str)> = ours
        .iter()
        .map(|c| {
            (
                c["method"].as_str().unwrap(),
                c["key_id"].as_str().unwrap(),
                c["owner"].as_str().unwrap_or("refused"),
            )
        })
        .collect();
    let group_key = format!("{}#main-key", w.group());
    assert!(
        seen.contains(&("GET", &format!("{instance}#main-key"), &instance)),
        "bovine verified our signed GET of ana's actor: {seen:?}"
    );
    let deliveries = seen
        .iter()
        .filter(|(method, key, owner)| {
            *method == "POST" && *key == group_key && *owner == w.group()
        })
        .count();
    assert_eq!(deliveries, 2, "the Accept and the Announce: {seen:?}");
    assert!(
        seen.iter().all(|(_, _, owner)| *owner != "refused"),
        "{seen:?}"
    );

    // The last delivery replayed to bovine's inbox: as sent it passes; altered anywhere the
    // signature covers — the body (with or without a digest to match) or the date — bovine
    // answers 401.
    let answers = bovine.control("tamper", Value::Null).await;
    assert_eq!(answers["as_sent"], 202, "{answers}");
    assert_eq!(answers["body_altered"], 401, "{answers}");
    assert_eq!(answers["body_altered_digest_matching"], 401, "{answers}");
    assert_eq!(answers["date_altered"], 401, "{answers}");
}

struct BovinePeer {
    child: std::process::Child,
    /// The https origin of bovine's actors, and its host as our allow-list names it.
    base: String,
    host: String,
    /// The plain-http origin of the peer's control API.
    control: String,
    /// The PEM file of the certificate authority behind bovine's certificate.
    ca: String,
}

impl BovinePeer {
    async fn start(venv: &str) -> BovinePeer {
        use std::io::BufRead;
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tools/peers/bovine/peer.py"
        );
        let mut child = std::process::Command::new(format!("{venv}/bin/python"))
            .arg(script)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python starts");
        let stdout = child.stdout.take().unwrap();
        // The first line names the ports, ana and the authority; the rest is not needed.
        let first = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufReader::new(stdout)
                .read_line(&mut line)
                .map(|_| line)
        });
        let first = tokio::time::timeout(std::time::Duration::from_secs(60), first)
            .await
            .expect("the bovine peer answers within 60 s")
            .unwrap()
            .unwrap();
        let started: Value = serde_json::from_str(&first)
            .unwrap_or_else(|_| panic!("the bovine peer did not start: {first:?}"));
        let host = format!("127.0.0.1:{}", started["port"]);
        BovinePeer {
            child,
            base: format!("https://{host}"),
            host,
            control: format!("http://127.0.0.1:{}", started["control"]),
            ca: started["ca"].as_str().unwrap().to_owned(),
        }
    }

    async fn control(&self, action: &str, body: Value) -> Value {
        let response = reqwest::Client::new()
            .post(format!("{}/control/{action}", self.control))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let answer = response.text().await.unwrap();
        assert!(status.is_success(), "{action}: {status} {answer}");
        serde_json::from_str(&answer).unwrap()
    }

    /// The peer's state once `done` holds (bovine handles its inbox in the background).
    async fn state_until(&self, done: impl Fn(&Value) -> bool) -> Value {
        let mut state = Value::Null;
        for _ in 0..100 {
            state = reqwest::get(format!("{}/control/state", self.control))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if done(&state) {
                return state;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the bovine peer did not reach the expected state: {state}");
    }
}

impl Drop for BovinePeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The peer's folder (its databases, JSON-LD cache and certificates) holds the CA file.
        if let Some(folder) = std::path::Path::new(&self.ca).parent() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}
