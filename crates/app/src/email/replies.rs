//! Replies by email. The reply address proves member, thread and post (see `tokens`); the
//! message must come from that member's own address; the member's words are cut from the
//! quoted message; then it is an ordinary reply — permission, content check, review queue and
//! notifications all as on the web.

use super::{ReplyAddress, recipient};
use crate::people::Credential;
use crate::{App, AppError, clock};
use guildhall_domain::email::reply_text;
use guildhall_domain::people::parse_email;
use guildhall_store::email as store;

/// Why an emailed reply was refused; the listener answers 550 with [`ReplyRefused::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyRefused {
    /// Not a reply address of ours, or its signature does not verify.
    UnknownAddress,
    /// The message is not from the address of the member the reply address belongs to.
    WrongSender,
    /// Nothing of the member's own is left once quotes and signature are cut.
    NoText,
    /// The reply itself was refused (locked thread, blocked text, no longer a member…).
    Refused(String),
    /// Something failed on our side: the sender may try again later (SMTP 451).
    Later,
}

impl ReplyRefused {
    pub fn message(&self) -> String {
        match self {
            ReplyRefused::UnknownAddress => "No such reply address.".into(),
            ReplyRefused::WrongSender => {
                "Replies are taken only from the address the email was sent to.".into()
            }
            ReplyRefused::NoText => "The reply has no text of its own.".into(),
            ReplyRefused::Refused(why) => format!("The reply was not posted: {why}"),
            ReplyRefused::Later => "Please try again later.".into(),
        }
    }
}

/// A reply that landed in its thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailReplied {
    /// 0 when a repeated message's post is gone since.
    pub post_id: i64,
    /// Waiting for a moderator (the content check held it).
    pub held: bool,
    /// The same message (by Message-ID) was taken before: nothing new was posted.
    pub repeated: bool,
}

impl App {
    /// Posts the plain text `body` of an email from `from` (the From header's address) to the
    /// thread behind `to`, once per `message_id` (sending servers retry when our answer is lost).
    pub async fn reply_by_email(
        &self,
        to: &str,
        from: &str,
        body: &str,
        message_id: Option<&str>,
    ) -> Result<EmailReplied, ReplyRefused> {
        let address: ReplyAddress = self
            .verify_reply_address(to)
            .await
            .ok_or(ReplyRefused::UnknownAddress)?;
        let person = match recipient(self, address.user_id).await {
            Ok(person) => person,
            Err(AppError::NotFound) => return Err(ReplyRefused::UnknownAddress),
            Err(_) => return Err(ReplyRefused::Later),
        };
        let sender = parse_email(from).map_err(|_| ReplyRefused::WrongSender)?;
        if person.status != "active" || sender.as_str() != person.email.to_lowercase() {
            return Err(ReplyRefused::WrongSender);
        }
        // Kept only when it can be stored as it is (PostgreSQL refuses NUL in text).
        let message_id = message_id
            .filter(|id| !id.is_empty() && id.len() <= 255 && !id.chars().any(char::is_control));
        if let Some(id) = message_id {
            let taken = store::reply_taken(self.db(), person.id, id)
                .await
                .map_err(|_| ReplyRefused::Later)?;
            if let Some(post_id) = taken {
                return Ok(EmailReplied {
                    post_id: post_id.unwrap_or(0),
                    held: false,
                    repeated: true,
                });
            }
        }
        let text = reply_text(body);
        if text.is_empty() {
            return Err(ReplyRefused::NoText);
        }
        let viewer = self
            .viewer_by_id(person.id, Credential::Email)
            .await
            .map_err(|_| ReplyRefused::WrongSender)?;
        let reply_to = (address.post_id > 0).then_some(address.post_id);
        // An emailed reply cannot be rephrased on the spot: what the check would nudge goes to
        // the review queue, as when a member chooses "send for review". The post remembers it
        // came by email (shown beside it and in the review queue).
        let arrival = crate::threads::Arrival::From {
            origin: guildhall_domain::nexus::Origin::Email,
            remote_id: None,
        };
        let posted = self
            .member_reply(&viewer, address.thread_id, &text, reply_to, true, arrival)
            .await
            .map_err(refusal)?;
        let held = guildhall_store::threads::post(self.db(), posted)
            .await
            .map_err(|_| ReplyRefused::Later)?
            .is_some_and(|post| post.hidden_at.is_some());
        if let Some(id) = message_id {
            // After the post, not with it: the reply action owns its transaction. Failing
            // here must not fail the reply (the sender would retry and post it twice).
            if let Err(error) =
                store::remember_reply(self.db(), id, person.id, posted, clock::now()).await
            {
                tracing::warn!(%error, "could not remember an emailed reply's Message-ID");
            }
        }
        Ok(EmailReplied {
            post_id: posted,
            held,
            repeated: false,
        })
    }
}

fn refusal(error: AppError) -> ReplyRefused {
    match error {
        AppError::Internal(_) => ReplyRefused::Later,
        AppError::Invalid(fields) | AppError::Nudged(fields) => {
            let reasons: Vec<&str> = fields.iter().map(|(_, message)| message).collect();
            ReplyRefused::Refused(reasons.join(" "))
        }
        other => ReplyRefused::Refused(other.public_message()),
    }
}
