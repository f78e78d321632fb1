//! Accounts made outside the web: the first administrator completes the setup once.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use guildhall_app::people::NewPerson;
use guildhall_app::{App, Settings};
use guildhall_domain::people::{Role, SignupMode};
use guildhall_store::testing::fresh_db;

fn person(given: &str, email: &str) -> NewPerson {
    NewPerson {
        given_name: given.into(),
        family_name: "Tester".into(),
        email: email.into(),
        password: "correct-horse-battery-9".into(),
    }
}

#[tokio::test]
async fn the_first_cli_admin_completes_setup_with_their_domain_as_policy() {
    let db = fresh_db().await.unwrap();
    let app = App::new(db.db.clone(), Settings::default());
    assert!(app.needs_setup().await.unwrap());
    app.create_person_from_cli(&person("Ada", "ada@northwind.example"), &[Role::Admin])
        .await
        .unwrap();
    assert!(!app.needs_setup().await.unwrap());
    let policy = app.signup_policy().await.unwrap();
    assert_eq!(
        (policy.mode, policy.allowed_domains),
        (SignupMode::Domains, vec!["northwind.example".to_owned()])
    );

    // A later administrator does not redo the setup.
    app.create_person_from_cli(&person("Bob", "bob@other.example"), &[Role::Admin])
        .await
        .unwrap();
    assert_eq!(
        app.signup_policy().await.unwrap().allowed_domains,
        vec!["northwind.example".to_owned()]
    );
    // Nor can the web setup run any more.
    let refused = app
        .set_up_first_admin(&person("Eve", "eve@example.org"), "127.0.0.1", "test")
        .await;
    assert_eq!(refused.unwrap_err().code(), "already_set_up");
}
