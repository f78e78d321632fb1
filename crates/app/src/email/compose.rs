//! The messages themselves: a plain-text part and an HTML part saying the same (every text
//! escaped), a link to the preferences page and a one-click unsubscribe link (RFC 8058).

use super::{DigestEmail, NotificationEmail, ReplyAddress};
use crate::{App, AppError, AppResult};
use guildhall_domain::email::{List, REPLY_ABOVE};
use guildhall_domain::xml::escape;
use guildhall_store::email::{self as store, DigestThreadRow, RecipientRow};
use serde_json::Value;
use std::fmt::Write;

/// Longest excerpt of a post quoted in a notification email.
const EXCERPT_CHARS: usize = 2000;
/// Most threads one digest lists.
const DIGEST_THREADS: i64 = 50;

/// One message, ready for the SMTP transport.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub to: String,
    pub to_name: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// For `List-Unsubscribe` (POSTed by mail clients) and the footer link (a page).
    pub unsubscribe_url: String,
    /// `reply+…@reply domain` when a reply by email lands in a thread.
    pub reply_to: Option<String>,
    /// A message id naming the thread (`thread-7@host`), referred to by every email about it
    /// so that mail clients show them as one conversation.
    pub conversation: Option<String>,
}

/// The parts every message shares: the greeting line, the body, the footer.
struct Draft {
    subject: String,
    text: String,
    html: String,
}

impl App {
    fn public_url(&self, path: &str) -> String {
        format!(
            "{}{path}",
            self.settings().server.public_url.trim_end_matches('/')
        )
    }

    /// A person who may get email of `list` now: active, still opted in, sending on.
    async fn addressee(&self, user_id: i64, list: List) -> AppResult<Option<RecipientRow>> {
        if !self.settings().email.enabled {
            return Ok(None);
        }
        let Some(person) = store::recipient(self.db(), user_id).await? else {
            return Ok(None);
        };
        let chosen = match list {
            List::Notifications => person.notifications,
            List::Digest => person.digest != "off",
        };
        Ok((person.status == "active" && chosen).then_some(person))
    }

    async fn finish(
        &self,
        person: RecipientRow,
        list: List,
        draft: Draft,
        thread: Option<(i64, Option<String>)>,
    ) -> AppResult<OutgoingEmail> {
        let (conversation, reply_to) = match thread {
            Some((thread_id, reply_to)) => (Some(self.conversation_id(thread_id)), reply_to),
            None => (None, None),
        };
        let token = self.unsubscribe_token(person.id, list).await?;
        let unsubscribe_url = self.public_url(&format!("/email/unsubscribe/{token}"));
        let preferences = self.public_url("/me/email");
        let why = match list {
            List::Notifications => "you chose notification emails",
            List::Digest => "you chose a digest of your spaces",
        };
        let mut text = draft.text;
        let _ = write!(
            text,
            "\n\n-- \nYou get this email because {why} on Guildhall.\nEmail preferences: {preferences}\nStop these emails: {unsubscribe_url}\n"
        );
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
             <body style=\"font-family: sans-serif; line-height: 1.5\">\n{body}\
             <hr>\n<p style=\"font-size: small; color: #555\">You get this email because {why} on Guildhall. \
             <a href=\"{preferences}\">Email preferences</a> · <a href=\"{unsubscribe}\">Stop these emails</a></p>\n</body></html>\n",
            subject = escape(&draft.subject),
            body = draft.html,
            preferences = escape(&preferences),
            unsubscribe = escape(&unsubscribe_url),
        );
        Ok(OutgoingEmail {
            to: person.email,
            to_name: person.display_name,
            subject: draft.subject,
            text,
            html,
            unsubscribe_url,
            reply_to,
            conversation,
        })
    }

    fn conversation_id(&self, thread_id: i64) -> String {
        let base = &self.settings().server.public_url;
        let host = base
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .filter(|host| !host.is_empty())
            .unwrap_or("guildhall");
        format!("thread-{thread_id}@{host}")
    }

    /// The email of one notification; `None` when there is nothing to send any more (the
    /// person left or changed their mind, the notification is gone).
    pub async fn notification_email(&self, payload: Value) -> AppResult<Option<OutgoingEmail>> {
        let effect: NotificationEmail = serde_json::from_value(payload)
            .map_err(|e| AppError::Internal(format!("malformed email effect: {e}")))?;
        let Some(person) = self.addressee(effect.user_id, List::Notifications).await? else {
            return Ok(None);
        };
        let Some(notification) =
            guildhall_store::notify::by_id(self.db(), person.id, effect.notification_id).await?
        else {
            return Ok(None);
        };
        let (sentence, link) = crate::notify::describe(&notification, person.id);
        let excerpt = match notification.post_id {
            Some(post_id) => guildhall_store::threads::post(self.db(), post_id)
                .await?
                .filter(|post| post.deleted_at.is_none() && post.hidden_at.is_none())
                .map(|post| post.body.chars().take(EXCERPT_CHARS).collect::<String>()),
            None => None,
        };
        let settings = &self.settings().email;
        let reply_to = match notification.thread_id {
            Some(thread_id) if settings.replies() => {
                let address = ReplyAddress {
                    user_id: person.id,
                    thread_id,
                    post_id: notification.post_id.unwrap_or(0),
                };
                let local = self.reply_local_part(address).await?;
                Some(format!("{local}@{}", settings.reply_domain.trim()))
            }
            _ => None,
        };
        let mut text = String::new();
        let mut html = String::new();
        if reply_to.is_some() {
            let _ = write!(text, "{REPLY_ABOVE}\n\n");
            let _ = writeln!(
                html,
                "<p style=\"font-size: small; color: #555\">{}</p>",
                escape(REPLY_ABOVE)
            );
        }
        let _ = write!(text, "{sentence}\n\n");
        let _ = writeln!(html, "<p>{}</p>", escape(&sentence));
        if let Some(excerpt) = &excerpt {
            let _ = write!(text, "{excerpt}\n\n");
            let _ = writeln!(
                html,
                "<blockquote style=\"white-space: pre-wrap; border-left: 3px solid #ccc; margin: 0; padding-left: 1em\">{}</blockquote>",
                escape(excerpt)
            );
        }
        if let Some(link) = &link {
            let url = self.public_url(link);
            let _ = write!(text, "Open it on Guildhall: {url}");
            let _ = writeln!(
                html,
                "<p><a href=\"{}\">Open it on Guildhall</a></p>",
                escape(&url)
            );
        }
        if reply_to.is_some() {
            let _ = write!(
                text,
                "\nOr answer this email: your reply goes to the thread."
            );
            let _ = writeln!(
                html,
                "<p>Or answer this email: your reply goes to the thread.</p>"
            );
        }
        let subject: String = sentence.chars().take(150).collect();
        let draft = Draft {
            subject,
            text,
            html,
        };
        let thread = notification.thread_id.map(|id| (id, reply_to));
        self.finish(person, List::Notifications, draft, thread)
            .await
            .map(Some)
    }

    /// A digest of the member's spaces; `None` when nothing new happened (empty digests are
    /// not sent) or the member no longer wants one.
    pub async fn digest_email(&self, payload: Value) -> AppResult<Option<OutgoingEmail>> {
        let effect: DigestEmail = serde_json::from_value(payload)
            .map_err(|e| AppError::Internal(format!("malformed digest effect: {e}")))?;
        let Some(person) = self.addressee(effect.user_id, List::Digest).await? else {
            return Ok(None);
        };
        let threads = store::digest_threads(
            self.db(),
            person.id,
            effect.since,
            effect.until,
            DIGEST_THREADS,
        )
        .await?;
        if threads.is_empty() {
            return Ok(None);
        }
        let draft = self.digest_draft(&person, &threads, effect.since);
        self.finish(person, List::Digest, draft, None)
            .await
            .map(Some)
    }

    fn digest_draft(
        &self,
        person: &RecipientRow,
        threads: &[DigestThreadRow],
        since: chrono::DateTime<chrono::Utc>,
    ) -> Draft {
        let started = threads.iter().filter(|t| t.is_new).count();
        let replies: i64 = threads.iter().map(|t| t.replies).sum();
        let period = if person.digest == "weekly" {
            "weekly"
        } else {
            "daily"
        };
        let subject = format!(
            "Your {period} digest: {started} new thread{}, {replies} repl{}",
            if started == 1 { "" } else { "s" },
            if replies == 1 { "y" } else { "ies" }
        );
        let since = since.format("%-d %B %Y, %H:%M UTC");
        let mut text = format!("What happened in your spaces since {since}:\n");
        let mut html = format!(
            "<h1 style=\"font-size: 1.25em\">{}</h1>\n<p>What happened in your spaces since {since}:</p>\n",
            escape(&subject)
        );
        let mut space: Option<&str> = None;
        for thread in threads {
            if space != Some(thread.space_name.as_str()) {
                if space.is_some() {
                    html.push_str("</ul>\n");
                }
                space = Some(thread.space_name.as_str());
                let _ = write!(text, "\n{}\n", thread.space_name);
                let _ = write!(
                    html,
                    "<h2 style=\"font-size: 1.1em\">{}</h2>\n<ul>\n",
                    escape(&thread.space_name)
                );
            }
            let what = match (thread.is_new, thread.replies) {
                (true, 0) => "new".to_owned(),
                (true, n) => format!("new, {n} repl{}", if n == 1 { "y" } else { "ies" }),
                (false, n) => format!("{n} new repl{}", if n == 1 { "y" } else { "ies" }),
            };
            let url = self.public_url(&format!("/t/{}", thread.thread_id));
            let _ = writeln!(text, "- {} ({what})\n  {url}", thread.title);
            let _ = writeln!(
                html,
                "<li><a href=\"{}\">{}</a> ({what})</li>",
                escape(&url),
                escape(&thread.title)
            );
        }
        html.push_str("</ul>\n");
        Draft {
            subject,
            text,
            html,
        }
    }
}
