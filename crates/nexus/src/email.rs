//! Email: notifications and digests out (SMTP through lettre), one-click unsubscribe (RFC
//! 8058), and replies by email in (a small SMTP listener of our own).

mod inbound;
mod send;
mod smtp;
mod unsubscribe;

pub use inbound::{listen, serve_inbound};

use axum::Router;
use guildhall_app::App;
use guildhall_app::email::{DIGEST_EMAIL, NOTIFICATION_EMAIL};
use guildhall_app::outbox::OutboxWorker;
use std::sync::Arc;

pub(crate) fn routes() -> Router<App> {
    unsubscribe::routes()
}

/// Both kinds of message go through one mailer, so they share its connection pool.
pub(crate) fn register_effects(worker: OutboxWorker) -> OutboxWorker {
    let mut worker = worker;
    let mailer = Arc::new(send::Mailer::default());
    let for_notifications = mailer.clone();
    worker.register(NOTIFICATION_EMAIL, move |app: App, payload| {
        let mailer = for_notifications.clone();
        async move {
            match app
                .notification_email(payload)
                .await
                .map_err(|e| e.to_string())?
            {
                Some(email) => mailer.send(&app, &email).await,
                None => Ok(()),
            }
        }
    });
    worker.register(DIGEST_EMAIL, move |app: App, payload| {
        let mailer = mailer.clone();
        async move {
            match app.digest_email(payload).await.map_err(|e| e.to_string())? {
                Some(email) => mailer.send(&app, &email).await,
                None => Ok(()),
            }
        }
    });
    worker
}
