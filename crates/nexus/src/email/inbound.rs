//! The reply listener: SMTP on `email.inbound_listen`, fed by the organisation's mail server
//! for the reply domain. Every message is read as MIME, checked (signed reply address, sender
//! is the member, not an automatic reply, text of its own) and posted through the app like
//! any reply; anything refused gets a 550 and writes nothing.

use super::smtp::{self, Limits, Mailroom, Reply};
use guildhall_app::App;
use guildhall_app::email::ReplyRefused;
use mail_parser::MessageParser;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

/// Connections served at once; more wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 32;
/// The longest one connection may last, however busy.
const SESSION_LIMIT: Duration = Duration::from_secs(600);

/// Starts the listener when `email.enabled` and `email.inbound_listen` say so.
pub async fn serve_inbound(
    app: App,
    stop: watch::Receiver<bool>,
) -> io::Result<Option<JoinHandle<()>>> {
    let settings = &app.settings().email;
    if !settings.enabled || settings.inbound_listen.is_empty() {
        return Ok(None);
    }
    let listener = TcpListener::bind(&settings.inbound_listen).await?;
    tracing::info!(address = %settings.inbound_listen, "replies by email are received here");
    Ok(Some(tokio::spawn(listen(app, listener, stop))))
}

/// Serves SMTP on `listener` until `stop` turns true (or its sender is gone).
pub async fn listen(app: App, listener: TcpListener, mut stop: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let settings = &app.settings().email;
    let limits = Arc::new(Limits {
        max_bytes: settings.inbound_max_bytes,
        idle: Duration::from_secs(settings.timeout_secs),
    });
    let hostname: Arc<str> = Arc::from(settings.reply_domain.trim());
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() { return; }
                continue;
            }
        };
        let Ok(slot) = slot else { return };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() { return; }
                continue;
            }
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors and the like: wait rather than spin.
                tracing::warn!(%error, "reply listener could not accept");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let mailroom = AppMailroom(app.clone());
        let limits = limits.clone();
        let hostname = hostname.clone();
        tokio::spawn(async move {
            let session = smtp::session(stream, &mailroom, &limits, &hostname);
            match tokio::time::timeout(SESSION_LIMIT, session).await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::debug!(%peer, %error, "reply session ended"),
                Err(_) => tracing::debug!(%peer, "reply session took too long"),
            }
            drop(slot);
        });
    }
}

struct AppMailroom(App);

impl Mailroom for AppMailroom {
    async fn recipient(&self, address: &str) -> Result<(), Reply> {
        match self.0.verify_reply_address(address).await {
            Some(_) => Ok(()),
            None => Err(Reply::new(550, "5.1.1 No such reply address.")),
        }
    }

    async fn deliver(&self, recipient: &str, message: Vec<u8>) -> Reply {
        let Some(parsed) = MessageParser::default().parse(&message) else {
            return Reply::new(550, "5.6.0 The message could not be read.");
        };
        // Out-of-office and other automatic answers are not the member speaking (RFC 3834).
        let automatic = parsed
            .header("Auto-Submitted")
            .and_then(|value| value.as_text())
            .is_some_and(|value| !value.trim().eq_ignore_ascii_case("no"));
        if automatic {
            return Reply::new(550, "5.7.1 Automatic replies are not posted.");
        }
        let Some(from) = parsed
            .from()
            .and_then(|from| from.first())
            .and_then(|from| from.address())
        else {
            return refused(&ReplyRefused::WrongSender);
        };
        let text = parsed.body_text(0).unwrap_or_default();
        let reply = self
            .0
            .reply_by_email(recipient, from, &text, parsed.message_id())
            .await;
        match reply {
            Ok(replied) if replied.repeated => Reply::new(250, "2.0.0 Already posted."),
            Ok(replied) if replied.held => Reply::new(
                250,
                "2.0.0 Received: your reply waits for a moderator before it shows.",
            ),
            Ok(_) => Reply::new(250, "2.0.0 Posted to the thread."),
            Err(refusal) => refused(&refusal),
        }
    }
}

fn refused(refusal: &ReplyRefused) -> Reply {
    let status = match refusal {
        ReplyRefused::Later => return Reply::new(451, format!("4.3.0 {}", refusal.message())),
        ReplyRefused::UnknownAddress => "5.1.1",
        ReplyRefused::WrongSender => "5.7.1",
        ReplyRefused::NoText => "5.6.0",
        ReplyRefused::Refused(_) => "5.7.1",
    };
    Reply::new(550, format!("{status} {}", refusal.message()))
}
