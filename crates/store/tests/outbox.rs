//! The outbox queue: claim, complete, retry, dead letters, on whichever backend the suite runs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use chrono::{Duration, SubsecRound, Utc};
use guildhall_store::outbox;
use guildhall_store::testing::fresh_db;
use serde_json::json;

fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

#[tokio::test]
async fn rows_are_claimed_once_until_their_lease_runs_out() {
    let db = fresh_db().await.unwrap();
    let start = now();
    let mut tx = db.begin().await.unwrap();
    let a = outbox::enqueue(&mut tx, "audit", &json!({"n": 1}), start)
        .await
        .unwrap();
    let b = outbox::enqueue(&mut tx, "audit", &json!({"n": 2}), start)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let claimed = outbox::claim(&db, start, start + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(claimed.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!(claimed[0].payload.0, json!({"n": 1}));
    assert_eq!(claimed[0].attempts, 1);
    assert!(
        outbox::claim(&db, start, start + Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty()
    );

    outbox::complete(&db, a, start).await.unwrap();
    // b's worker "died": after the lease it is claimed again, with a second attempt counted.
    let later = start + Duration::minutes(6);
    let again = outbox::claim(&db, later, later + Duration::minutes(5), 10)
        .await
        .unwrap();
    assert_eq!(
        again.iter().map(|r| (r.id, r.attempts)).collect::<Vec<_>>(),
        vec![(b, 2)]
    );
}

#[tokio::test]
async fn failures_wait_for_their_retry_time_then_die_and_can_be_revived() {
    let db = fresh_db().await.unwrap();
    let start = now();
    let mut tx = db.begin().await.unwrap();
    let id = outbox::enqueue(&mut tx, "audit", &json!({}), start)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    outbox::claim(&db, start, start + Duration::minutes(1), 10)
        .await
        .unwrap();
    outbox::fail(&db, id, "boom", Some(start + Duration::seconds(30)), start)
        .await
        .unwrap();
    assert!(
        outbox::claim(&db, start, start + Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    let due = start + Duration::seconds(31);
    assert_eq!(
        outbox::claim(&db, due, due + Duration::minutes(1), 10)
            .await
            .unwrap()
            .len(),
        1
    );

    outbox::fail(&db, id, "boom again", None, due)
        .await
        .unwrap();
    let dead = outbox::by_status(&db, outbox::DEAD, i64::MAX, 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].last_error.as_deref(), Some("boom again"));
    assert!(
        outbox::claim(&db, due, due + Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty(),
        "dead rows stay"
    );

    assert!(outbox::revive(&db, id, due).await.unwrap());
    assert!(
        !outbox::revive(&db, id, due).await.unwrap(),
        "only dead rows revive"
    );
    let revived = outbox::claim(&db, due, due + Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!((revived[0].id, revived[0].attempts), (id, 1));
    assert_eq!(
        outbox::count_by_status(&db).await.unwrap(),
        vec![("running".to_owned(), 1)]
    );
}

#[tokio::test]
async fn concurrent_workers_never_claim_the_same_row() {
    let db = fresh_db().await.unwrap();
    let start = now();
    let mut tx = db.begin().await.unwrap();
    for n in 0..60 {
        outbox::enqueue(&mut tx, "audit", &json!({"n": n}), start)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let mut workers = Vec::new();
    for _ in 0..4 {
        let db = db.db.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let rows = outbox::claim(&db, start, start + Duration::minutes(5), 7)
                    .await
                    .unwrap();
                if rows.is_empty() {
                    break mine;
                }
                mine.extend(rows.into_iter().map(|r| r.id));
            }
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    let total = all.len();
    all.sort();
    all.dedup();
    assert_eq!((total, all.len()), (60, 60));
}
