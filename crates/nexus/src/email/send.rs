//! Sending through the organisation's SMTP relay with lettre: plain, STARTTLS or TLS (rustls),
//! pooled connections, and the headers that let mail clients offer one-click unsubscribe.

use guildhall_app::App;
use guildhall_app::email::OutgoingEmail;
use guildhall_app::outbox::EffectResult;
use guildhall_app::settings::{EmailSettings, EmailTls};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::OnceLock;
use std::time::Duration;

type Transport = AsyncSmtpTransport<Tokio1Executor>;

const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");
/// RFC 3834: out-of-office responders must not answer these.
const AUTO_SUBMITTED: HeaderName = HeaderName::new_from_ascii_str("Auto-Submitted");

/// The transport, built from the settings on the first message.
#[derive(Default)]
pub(super) struct Mailer {
    transport: OnceLock<Result<Transport, String>>,
}

impl Mailer {
    pub(super) async fn send(&self, app: &App, email: &OutgoingEmail) -> EffectResult {
        let settings = &app.settings().email;
        let transport = self
            .transport
            .get_or_init(|| transport(settings))
            .as_ref()
            .map_err(Clone::clone)?;
        let message = message(settings, email)?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP relay {}: {e}", settings.smtp_host))
    }
}

fn transport(settings: &EmailSettings) -> Result<Transport, String> {
    let host = settings.smtp_host.trim();
    let builder = match settings.tls {
        EmailTls::None => Transport::builder_dangerous(host),
        EmailTls::Starttls => Transport::starttls_relay(host).map_err(|e| e.to_string())?,
        EmailTls::Tls => Transport::relay(host).map_err(|e| e.to_string())?,
    };
    let mut builder = builder
        .port(settings.smtp_port)
        .timeout(Some(Duration::from_secs(settings.timeout_secs)));
    if !settings.username.is_empty() {
        builder = builder.credentials(Credentials::new(
            settings.username.clone(),
            settings.password.expose().to_owned(),
        ));
    }
    Ok(builder.build())
}

fn message(settings: &EmailSettings, email: &OutgoingEmail) -> Result<Message, String> {
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e| format!("email.from: {e}"))?;
    let to = Mailbox::new(
        Some(email.to_name.clone()),
        email
            .to
            .parse()
            .map_err(|e| format!("recipient address: {e}"))?,
    );
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject.clone())
        .raw_header(HeaderValue::new(
            LIST_UNSUBSCRIBE,
            format!("<{}>", email.unsubscribe_url),
        ))
        .raw_header(HeaderValue::new(
            LIST_UNSUBSCRIBE_POST,
            "List-Unsubscribe=One-Click".to_owned(),
        ))
        .raw_header(HeaderValue::new(
            AUTO_SUBMITTED,
            "auto-generated".to_owned(),
        ));
    if let Some(conversation) = &email.conversation {
        builder = builder
            .in_reply_to(format!("<{conversation}>"))
            .references(format!("<{conversation}>"));
    }
    if let Some(reply_to) = &email.reply_to {
        let address = reply_to
            .parse()
            .map_err(|e| format!("reply address: {e}"))?;
        builder = builder.reply_to(Mailbox::new(None, address));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            email.text.clone(),
            email.html.clone(),
        ))
        .map_err(|e| format!("building the message: {e}"))
}
