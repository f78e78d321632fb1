//! Store queries for people, on whichever backend the suite runs (see `testing`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{Duration, SubsecRound, Utc};
use guildhall_store::people::{self, NewSession, NewUser};
use guildhall_store::testing::fresh_db;
use guildhall_store::{Db, StoreError};

fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

async fn add_user(db: &Db, email: &str) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = people::insert_user(
        &mut tx,
        &NewUser {
            email,
            given_name: "Ada",
            family_name: "Lovelace",
            display_name: "Ada Lovelace",
            password_hash: Some("hash"),
            now: now(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn users_round_trip_and_emails_are_unique() {
    let db = fresh_db().await.unwrap();
    assert_eq!(people::count_users(&db).await.unwrap(), 0);
    let id = add_user(&db, "ada@example.org").await;
    let user = people::user_by_email(&db, "ada@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.id, id);
    assert_eq!(user.display_name, "Ada Lovelace");
    assert_eq!(user.password_hash.as_deref(), Some("hash"));
    assert_eq!(user.status, "active");
    assert_eq!(
        people::user_by_id(&db, id).await.unwrap().unwrap().email,
        "ada@example.org"
    );

    let mut tx = db.begin().await.unwrap();
    let clash = people::insert_user(
        &mut tx,
        &NewUser {
            email: "ada@example.org",
            given_name: "Other",
            family_name: "Person",
            display_name: "Other Person",
            password_hash: None,
            now: now(),
        },
    )
    .await;
    assert!(matches!(clash, Err(StoreError::Conflict)), "{clash:?}");
    drop(tx);
    assert_eq!(people::count_users(&db).await.unwrap(), 1);
}

#[tokio::test]
async fn roles_are_replaced_as_a_whole() {
    let db = fresh_db().await.unwrap();
    let id = add_user(&db, "ada@example.org").await;
    let mut tx = db.begin().await.unwrap();
    people::replace_roles(&mut tx, id, &["admin", "hr"], None, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        people::roles_of(&db, id).await.unwrap(),
        vec!["admin", "hr"]
    );
    let mut tx = db.begin().await.unwrap();
    people::replace_roles(&mut tx, id, &["moderator"], Some(id), now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(people::roles_of(&db, id).await.unwrap(), vec!["moderator"]);
    assert_eq!(people::count_with_role(&db, "admin").await.unwrap(), 0);
}

#[tokio::test]
async fn sessions_expire_and_are_revoked_per_owner() {
    let db = fresh_db().await.unwrap();
    let ada = add_user(&db, "ada@example.org").await;
    let bob = add_user(&db, "bob@example.org").await;
    let start = now();
    let mut tx = db.begin().await.unwrap();
    let mut ids = Vec::new();
    for (hash, user, days) in [
        ("h1", ada, 30),
        ("h2", ada, 30),
        ("h3", bob, 30),
        ("old", ada, -1),
    ] {
        ids.push(
            people::insert_session(
                &mut tx,
                &NewSession {
                    token_hash: hash,
                    user_id: user,
                    user_agent: "test",
                    ip: "127.0.0.1",
                    now: start,
                    expires_at: start + Duration::days(days),
                },
            )
            .await
            .unwrap(),
        );
    }
    tx.commit().await.unwrap();

    let owner = people::session_owner(&db, "h1", start)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.user_id, ada);
    assert_eq!(owner.credential_id, ids[0]);
    assert!(owner.can_write);
    assert!(
        people::session_owner(&db, "old", start)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(
        people::session_owner(&db, "nope", start)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        people::list_sessions(&db, ada, start).await.unwrap().len(),
        2
    );

    assert!(
        !people::delete_session(&db, bob, ids[0]).await.unwrap(),
        "not bob's session"
    );
    assert!(people::delete_session(&db, ada, ids[0]).await.unwrap());
    assert!(
        people::session_owner(&db, "h1", start)
            .await
            .unwrap()
            .is_none()
    );

    assert_eq!(
        people::delete_sessions_of(&db, ada, Some(ids[1]))
            .await
            .unwrap(),
        1,
        "only the expired one"
    );
    assert!(
        people::session_owner(&db, "h2", start)
            .await
            .unwrap()
            .is_some(),
        "kept"
    );
    assert!(
        people::session_owner(&db, "h3", start)
            .await
            .unwrap()
            .is_some(),
        "bob untouched"
    );
}

#[tokio::test]
async fn api_tokens_are_found_by_hash_until_revoked() {
    let db = fresh_db().await.unwrap();
    let ada = add_user(&db, "ada@example.org").await;
    let mut tx = db.begin().await.unwrap();
    let id = people::insert_api_token(&mut tx, ada, "ci", "tokenhash", false, now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let owner = people::api_token_owner(&db, "tokenhash")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (owner.user_id, owner.credential_id, owner.can_write),
        (ada, id, false)
    );
    assert!(owner.last_used_at.is_none());
    let used = now();
    people::touch_api_token(&db, id, used).await.unwrap();
    assert_eq!(
        people::list_api_tokens(&db, ada).await.unwrap()[0].last_used_at,
        Some(used)
    );
    assert!(people::revoke_api_token(&db, ada, id, now()).await.unwrap());
    assert!(
        !people::revoke_api_token(&db, ada, id, now()).await.unwrap(),
        "already revoked"
    );
    assert!(
        people::api_token_owner(&db, "tokenhash")
            .await
            .unwrap()
            .is_none()
    );
    assert!(people::list_api_tokens(&db, ada).await.unwrap().is_empty());
}

#[tokio::test]
async fn an_invitation_is_accepted_once() {
    let db = fresh_db().await.unwrap();
    let ada = add_user(&db, "ada@example.org").await;
    let bob = add_user(&db, "bob@example.org").await;
    let start = now();
    let mut tx = db.begin().await.unwrap();
    let id = people::insert_invitation(
        &mut tx,
        "inv",
        Some("bob@example.org"),
        ada,
        start,
        start + Duration::days(7),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let open = people::open_invitation(&db, "inv", start)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(open.email.as_deref(), Some("bob@example.org"));
    assert!(
        people::open_invitation(&db, "inv", start + Duration::days(8))
            .await
            .unwrap()
            .is_none(),
        "expired"
    );

    let mut tx = db.begin().await.unwrap();
    assert!(
        people::accept_invitation(&mut tx, id, bob, start)
            .await
            .unwrap()
    );
    assert!(
        !people::accept_invitation(&mut tx, id, bob, start)
            .await
            .unwrap(),
        "second use refused"
    );
    tx.commit().await.unwrap();
    assert!(
        people::open_invitation(&db, "inv", start)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn settings_upsert_and_claim() {
    let db = fresh_db().await.unwrap();
    assert_eq!(people::setting(&db, "k").await.unwrap(), None);
    let mut tx = db.begin().await.unwrap();
    people::put_setting(&mut tx, "k", "one", now())
        .await
        .unwrap();
    people::put_setting(&mut tx, "k", "two", now())
        .await
        .unwrap();
    assert!(
        people::claim_setting(&mut tx, "first", "x", now())
            .await
            .unwrap()
    );
    assert!(
        !people::claim_setting(&mut tx, "first", "y", now())
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    assert_eq!(
        people::setting(&db, "k").await.unwrap().as_deref(),
        Some("two")
    );
    assert_eq!(
        people::setting(&db, "first").await.unwrap().as_deref(),
        Some("x")
    );
}

#[tokio::test]
async fn user_list_is_keyset_paginated() {
    let db = fresh_db().await.unwrap();
    for i in 0..5 {
        add_user(&db, &format!("p{i}@example.org")).await;
    }
    let first = people::list_users(&db, 0, 2).await.unwrap();
    let second = people::list_users(&db, first[1].id, 2).await.unwrap();
    let third = people::list_users(&db, second[1].id, 2).await.unwrap();
    let emails: Vec<String> = [first, second, third]
        .concat()
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert_eq!(
        emails,
        (0..5)
            .map(|i| format!("p{i}@example.org"))
            .collect::<Vec<_>>()
    );
}
