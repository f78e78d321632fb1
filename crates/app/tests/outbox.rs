//! The outbox worker end to end: effects recorded with a change are carried out after it, failures
//! are retried with backoff and end as dead letters that an administrator can retry.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use guildhall_app::outbox::OutboxWorker;
use guildhall_app::people::{Credential, NewPerson, Viewer};
use guildhall_app::{App, Settings};
use guildhall_domain::people::{Role, RoleSet};
use guildhall_store::moderation::recent_audit;
use guildhall_store::outbox as store;
use guildhall_store::testing::fresh_db;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn person(given: &str, email: &str) -> NewPerson {
    NewPerson {
        given_name: given.into(),
        family_name: "Tester".into(),
        email: email.into(),
        password: "correct-horse-battery-9".into(),
    }
}

fn admin_viewer(id: i64) -> Viewer {
    Viewer {
        id,
        email: "ada@example.org".into(),
        given_name: "Ada".into(),
        display_name: "Ada Tester".into(),
        roles: [Role::Admin].into_iter().collect::<RoleSet>(),
        dormant_roles: RoleSet::default(),
        credential: Credential::Session { id: 0 },
    }
}

#[tokio::test]
async fn audit_entries_are_written_by_the_worker_not_the_request() {
    let db = fresh_db().await.unwrap();
    let app = App::new(db.db.clone(), Settings::default());
    let ada = app
        .create_person_from_cli(&person("Ada", "ada@example.org"), &[Role::Admin])
        .await
        .unwrap();
    assert!(
        recent_audit(app.db(), i64::MAX, 10)
            .await
            .unwrap()
            .is_empty(),
        "nothing is written during the request"
    );

    let worker = OutboxWorker::new(app.clone());
    assert_eq!(worker.run_once().await.unwrap(), 1);
    let audit = recent_audit(app.db(), i64::MAX, 10).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (
            audit[0].actor_id,
            audit[0].action.as_str(),
            audit[0].subject.clone()
        ),
        (Some(ada), "account.created_cli", format!("user:{ada}"))
    );
    assert_eq!(worker.run_once().await.unwrap(), 0, "delivered once");
    assert_eq!(
        app.outbox_counts().await.unwrap(),
        vec![("done".to_owned(), 1)]
    );
}

#[tokio::test]
async fn a_failed_change_records_no_effect() {
    let db = fresh_db().await.unwrap();
    let app = App::new(db.db.clone(), Settings::default());
    app.create_person_from_cli(&person("Ada", "ada@example.org"), &[Role::Admin])
        .await
        .unwrap();
    // Same email: the insert fails, so the transaction (and its audit effect) is rolled back.
    assert!(
        app.create_person_from_cli(&person("Other", "ada@example.org"), &[])
            .await
            .is_err()
    );
    assert_eq!(
        app.outbox_counts().await.unwrap(),
        vec![("pending".to_owned(), 1)]
    );
}

#[tokio::test]
async fn failing_effects_back_off_then_die_and_can_be_retried() {
    let db = fresh_db().await.unwrap();
    let mut settings = Settings::default();
    settings.outbox.max_attempts = 3;
    settings.outbox.backoff_base_secs = 1;
    let app = App::new(db.db.clone(), settings);
    let ada = app
        .create_person_from_cli(&person("Ada", "ada@example.org"), &[Role::Admin])
        .await
        .unwrap();

    let calls = Arc::new(AtomicUsize::new(0));
    let mut worker = OutboxWorker::new(app.clone());
    let counter = calls.clone();
    worker.register("audit", move |_app, _payload| {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            Err("the remote end is down".to_owned())
        }
    });

    assert_eq!(worker.run_once().await.unwrap(), 1);
    let pending = store::by_status(app.db(), store::PENDING, i64::MAX, 10)
        .await
        .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        pending[0].last_error.as_deref(),
        Some("the remote end is down")
    );
    assert!(
        pending[0].next_attempt_at > chrono::Utc::now(),
        "waits before the next attempt"
    );
    assert_eq!(worker.run_once().await.unwrap(), 0, "not due yet");

    // Let the backoff pass for each remaining attempt (1 s, then 2 s).
    for wait in [1100, 2100] {
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        assert_eq!(worker.run_once().await.unwrap(), 1);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let admin = admin_viewer(ada);
    let dead = app.dead_letters(&admin, None).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].kind.as_str(), dead[0].attempts), ("audit", 3));

    // An administrator retries it; with a working handler it is delivered.
    app.retry_dead_letter(&admin, dead[0].id).await.unwrap();
    let healthy = OutboxWorker::new(app.clone());
    assert_eq!(
        healthy.run_once().await.unwrap(),
        2,
        "the revived effect and the audit of the retry"
    );
    assert!(app.dead_letters(&admin, None).await.unwrap().is_empty());
    assert!(
        recent_audit(app.db(), i64::MAX, 10)
            .await
            .unwrap()
            .iter()
            .any(|a| a.action == "outbox.retried")
    );

    let member = Viewer {
        roles: RoleSet::default(),
        dormant_roles: RoleSet::default(),
        ..admin_viewer(ada)
    };
    assert!(
        app.dead_letters(&member, None).await.is_err(),
        "administrators only"
    );
}
