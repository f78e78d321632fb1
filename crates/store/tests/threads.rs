//! Spaces, membership, threads, posts, reactions and keyset feeds, on whichever backend the suite runs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{Duration, SubsecRound, Utc};
use guildhall_store::people::{self, NewUser};
use guildhall_store::spaces::{self, NewSpace};
use guildhall_store::testing::fresh_db;
use guildhall_store::threads::{self, FeedCursor, NewPost, NewThread};
use guildhall_store::{Db, StoreError};

fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

async fn user(db: &Db, email: &str) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = people::insert_user(
        &mut tx,
        &NewUser {
            email,
            given_name: "A",
            family_name: "B",
            display_name: "A B",
            password_hash: None,
            now: now(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn space(db: &Db, slug: &str, visibility: &str, owner: i64) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = spaces::insert_space(
        &mut tx,
        &NewSpace {
            slug,
            name: slug,
            kind: "community",
            visibility,
            description: "",
            rules: "",
            created_by: owner,
            now: now(),
        },
    )
    .await
    .unwrap();
    spaces::put_membership(&mut tx, id, owner, "facilitator", "active", None, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn thread_at(
    db: &Db,
    space_id: i64,
    author: i64,
    title: &str,
    at: chrono::DateTime<Utc>,
) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = threads::insert_thread(
        &mut tx,
        &NewThread {
            space_id,
            author_id: author,
            kind: "question",
            title,
            link_url: None,
            excerpt: "",
            now: at,
        },
    )
    .await
    .unwrap();
    threads::insert_post(
        &mut tx,
        &NewPost {
            thread_id: id,
            author_id: author,
            reply_to_id: None,
            body: "b",
            body_html: "<p>b</p>",
            now: at,
            held: false,
        },
    )
    .await
    .unwrap();
    threads::count_post(&mut tx, id, at).await.unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn directory_hides_secret_spaces_from_outsiders() {
    let db = fresh_db().await.unwrap();
    let (ada, bob) = (
        user(&db, "ada@example.org").await,
        user(&db, "bob@example.org").await,
    );
    space(&db, "open-one", "open", ada).await;
    let secret = space(&db, "secret-one", "secret", ada).await;
    let mut tx = db.begin().await.unwrap();
    assert!(matches!(
        spaces::insert_space(
            &mut tx,
            &NewSpace {
                slug: "open-one",
                name: "x",
                kind: "team",
                visibility: "open",
                description: "",
                rules: "",
                created_by: ada,
                now: now()
            }
        )
        .await,
        Err(StoreError::Conflict)
    ));
    drop(tx);

    let names =
        |rows: Vec<spaces::DirectoryRow>| rows.into_iter().map(|r| r.slug).collect::<Vec<_>>();
    assert_eq!(
        names(spaces::directory(&db, ada, "", 0, 50).await.unwrap()),
        vec!["open-one", "secret-one"]
    );
    assert_eq!(
        names(spaces::directory(&db, bob, "", 0, 50).await.unwrap()),
        vec!["open-one"]
    );
    let first = spaces::directory(&db, ada, "", 0, 1).await.unwrap();
    assert_eq!(
        names(
            spaces::directory(&db, ada, &first[0].name, first[0].id, 1)
                .await
                .unwrap()
        ),
        vec!["secret-one"]
    );

    let mut tx = db.begin().await.unwrap();
    spaces::put_membership(&mut tx, secret, bob, "member", "invited", Some(ada), now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        spaces::membership(&db, secret, bob)
            .await
            .unwrap()
            .unwrap()
            .status,
        "invited"
    );
    assert_eq!(
        spaces::space_by_slug(&db, "secret-one")
            .await
            .unwrap()
            .unwrap()
            .member_count,
        1,
        "invitations are not members"
    );
    let mut tx = db.begin().await.unwrap();
    spaces::put_membership(&mut tx, secret, bob, "member", "active", None, now())
        .await
        .unwrap();
    assert_eq!(
        spaces::count_facilitators(&mut tx, secret).await.unwrap(),
        1
    );
    tx.commit().await.unwrap();
    assert_eq!(
        spaces::members(&db, secret, "active", 0, 10)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(spaces::spaces_of(&db, bob).await.unwrap().len(), 1);
}

#[tokio::test]
async fn feeds_page_by_activity_without_gaps_or_repeats() {
    let db = fresh_db().await.unwrap();
    let ada = user(&db, "ada@example.org").await;
    let bob = user(&db, "bob@example.org").await;
    let mine = space(&db, "mine", "open", ada).await;
    let other = space(&db, "other", "on_request", bob).await;
    let base = now() - Duration::hours(1);
    let mut expected = Vec::new();
    for i in 0..7 {
        // Two threads share each timestamp: the id breaks the tie.
        let at = base + Duration::seconds(i / 2);
        expected.push(thread_at(&db, mine, ada, &format!("t{i}"), at).await);
    }
    thread_at(&db, other, bob, "elsewhere", base).await;
    expected.reverse();

    let mut seen = Vec::new();
    let mut cursor = FeedCursor::start();
    loop {
        let page = threads::space_feed(&db, mine, ada, cursor, 3)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        cursor = FeedCursor {
            at: last.last_activity_at,
            id: last.id,
        };
        seen.extend(page.iter().map(|t| t.id));
    }
    assert_eq!(seen, expected);
    assert_eq!(
        threads::home_feed(&db, ada, FeedCursor::start(), 50)
            .await
            .unwrap()
            .len(),
        7,
        "only ada's spaces"
    );
    assert_eq!(
        threads::unanswered(&db, ada, FeedCursor::start(), 50)
            .await
            .unwrap()
            .len(),
        7,
        "not the on-request space"
    );
    assert_eq!(
        threads::unanswered(&db, bob, FeedCursor::start(), 50)
            .await
            .unwrap()
            .len(),
        8,
        "open spaces count for everyone"
    );

    // A reply moves the thread to the top.
    let oldest = *expected.last().unwrap();
    let mut tx = db.begin().await.unwrap();
    threads::insert_post(
        &mut tx,
        &NewPost {
            thread_id: oldest,
            author_id: ada,
            reply_to_id: None,
            body: "r",
            body_html: "r",
            now: now(),
            held: false,
        },
    )
    .await
    .unwrap();
    threads::count_post(&mut tx, oldest, now()).await.unwrap();
    tx.commit().await.unwrap();
    let top = &threads::space_feed(&db, mine, ada, FeedCursor::start(), 1)
        .await
        .unwrap()[0];
    assert_eq!((top.id, top.post_count), (oldest, 2));
}

#[tokio::test]
async fn posts_keep_their_history_and_reactions_toggle() {
    let db = fresh_db().await.unwrap();
    let ada = user(&db, "ada@example.org").await;
    let bob = user(&db, "bob@example.org").await;
    let sp = space(&db, "s", "open", ada).await;
    let thread = thread_at(&db, sp, ada, "How?", now()).await;
    let first = threads::opening_post_id(&db, thread)
        .await
        .unwrap()
        .unwrap();

    let mut tx = db.begin().await.unwrap();
    threads::edit_post(&mut tx, first, "new text", "<p>new text</p>", ada, now())
        .await
        .unwrap();
    assert!(
        threads::toggle_reaction(&mut tx, first, bob, "helpful", now())
            .await
            .unwrap()
    );
    assert!(
        threads::toggle_reaction(&mut tx, first, ada, "helpful", now())
            .await
            .unwrap()
    );
    assert!(
        threads::toggle_reaction(&mut tx, first, bob, "learned", now())
            .await
            .unwrap()
    );
    assert!(
        !threads::toggle_reaction(&mut tx, first, bob, "learned", now())
            .await
            .unwrap(),
        "second click removes"
    );
    tx.commit().await.unwrap();

    let post = threads::post(&db, first).await.unwrap().unwrap();
    assert_eq!(post.body, "new text");
    assert!(post.edited_at.is_some());
    let versions = threads::versions(&db, first).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.body.as_str()).collect::<Vec<_>>(),
        vec!["b"]
    );

    let counts = threads::reaction_counts(&db, thread, first, first, bob)
        .await
        .unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (counts[0].kind.as_str(), counts[0].count, counts[0].mine),
        ("helpful", 2, 1)
    );

    let mut tx = db.begin().await.unwrap();
    threads::set_accepted(&mut tx, thread, Some(first))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    threads::set_flags(&db, thread, true, true).await.unwrap();
    let row = threads::thread(&db, thread).await.unwrap().unwrap();
    assert_eq!(
        (row.accepted_post_id, row.pinned, row.locked),
        (Some(first), true, true)
    );
    assert_eq!(
        threads::pinned_threads(&db, sp, ada).await.unwrap().len(),
        1
    );
    assert!(
        threads::unanswered(&db, ada, FeedCursor::start(), 10)
            .await
            .unwrap()
            .is_empty()
    );

    let mut tx = db.begin().await.unwrap();
    threads::delete_post(&mut tx, first, now()).await.unwrap();
    threads::delete_thread(&mut tx, thread, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        threads::post(&db, first)
            .await
            .unwrap()
            .unwrap()
            .deleted_at
            .is_some(),
        "soft: kept for evidence"
    );
    assert!(threads::thread(&db, thread).await.unwrap().is_none());
    assert!(
        threads::space_feed(&db, sp, ada, FeedCursor::start(), 10)
            .await
            .unwrap()
            .is_empty()
    );
}
