//! Signed email tokens: the one-click unsubscribe link (member + list) and the reply address
//! (member + thread + post). An HMAC-SHA256 under a server secret proves them, so checking one
//! needs no lookup, and a leaked database row cannot forge one for somebody else.

use crate::{App, AppError, AppResult, clock, secrets};
use guildhall_domain::email::List;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The secret's name in `server_secrets`.
const SECRET: &str = "email";
/// Bytes of MAC kept: 128 bits in links, 96 in reply addresses (a local part holds at most 64
/// characters, and online guessing is bounded by the listener).
const LINK_MAC_BYTES: usize = 16;
const REPLY_MAC_BYTES: usize = 12;

/// The key, read (or made) once per process.
#[derive(Default)]
pub struct EmailKey(tokio::sync::OnceCell<Vec<u8>>);

/// Who a reply address speaks for and where the reply goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyAddress {
    pub user_id: i64,
    pub thread_id: i64,
    /// The post the email was about (0: the thread itself).
    pub post_id: i64,
}

impl App {
    async fn email_key(&self) -> AppResult<&[u8]> {
        let key = self
            .inner
            .email_key
            .0
            .get_or_try_init(|| async {
                let candidate = secrets::new_token("")?;
                let secret = guildhall_store::email::server_secret(
                    self.db(),
                    SECRET,
                    &candidate,
                    clock::now(),
                )
                .await?;
                Ok::<_, AppError>(secret.into_bytes())
            })
            .await?;
        Ok(key.as_slice())
    }

    async fn mac(&self, message: &str, bytes: usize) -> AppResult<String> {
        let key = self.email_key().await?;
        let mut mac = Hmac::<Sha256>::new_from_slice(key)
            .map_err(|e| AppError::Internal(format!("email key: {e}")))?;
        mac.update(message.as_bytes());
        let digest = mac.finalize().into_bytes();
        Ok(digest
            .iter()
            .take(bytes)
            .map(|b| format!("{b:02x}"))
            .collect())
    }

    /// `{user}-{list}-{mac}`, the last part of `/email/unsubscribe/{token}`.
    pub(crate) async fn unsubscribe_token(&self, user_id: i64, list: List) -> AppResult<String> {
        let mac = self
            .mac(
                &format!("unsubscribe:{user_id}:{}", list.as_str()),
                LINK_MAC_BYTES,
            )
            .await?;
        Ok(format!("{user_id}-{}-{mac}", list.as_str()))
    }

    /// The member and list of a genuine unsubscribe token; "not found" for anything else.
    pub(crate) async fn verify_unsubscribe(&self, token: &str) -> AppResult<(i64, List)> {
        let mut parts = token.split('-');
        let (Some(user), Some(list), Some(given), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AppError::NotFound);
        };
        let user_id: i64 = user.parse().map_err(|_| AppError::NotFound)?;
        let list = List::parse(list).ok_or(AppError::NotFound)?;
        let expected = self.unsubscribe_token(user_id, list).await?;
        let expected_mac = expected.rsplit('-').next().unwrap_or_default();
        if bool::from(expected_mac.as_bytes().ct_eq(given.as_bytes())) {
            Ok((user_id, list))
        } else {
            Err(AppError::NotFound)
        }
    }

    /// `reply+{user}-{thread}-{post}-{mac}`: lower case only, as some mail servers fold case.
    pub(crate) async fn reply_local_part(&self, address: ReplyAddress) -> AppResult<String> {
        let ReplyAddress {
            user_id,
            thread_id,
            post_id,
        } = address;
        let mac = self
            .mac(
                &format!("reply:{user_id}:{thread_id}:{post_id}"),
                REPLY_MAC_BYTES,
            )
            .await?;
        Ok(format!("reply+{user_id}-{thread_id}-{post_id}-{mac}"))
    }

    /// The reply address behind `recipient` (`reply+…@reply domain`), when it is genuine.
    pub async fn verify_reply_address(&self, recipient: &str) -> Option<ReplyAddress> {
        let recipient = recipient
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        let (local, domain) = recipient.rsplit_once('@')?;
        let ours = self.settings().email.reply_domain.trim();
        if ours.is_empty() || !domain.eq_ignore_ascii_case(ours) {
            return None;
        }
        let local = local.to_ascii_lowercase();
        let token = local.strip_prefix("reply+")?;
        let mut parts = token.split('-');
        let (Some(user), Some(thread), Some(post), Some(given), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let address = ReplyAddress {
            user_id: user.parse().ok()?,
            thread_id: thread.parse().ok()?,
            post_id: post.parse().ok()?,
        };
        let expected = self.reply_local_part(address).await.ok()?;
        let expected_mac = expected.rsplit('-').next()?;
        bool::from(expected_mac.as_bytes().ct_eq(given.as_bytes())).then_some(address)
    }
}
