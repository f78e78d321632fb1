//! Standard Webhooks signatures (standardwebhooks.com): `webhook-signature: v1,<base64 of
//! HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>`, secrets written `whsec_<base64>`. The
//! timestamp bounds replays in time; the receiver remembers ids to refuse them within it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a signed request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureError {
    /// The `webhook-timestamp` is not a number of seconds.
    MalformedTimestamp,
    /// Older (or further ahead) than the tolerance.
    StaleTimestamp,
    /// No `v1,` signature in the header matches.
    Mismatch,
}

impl SignatureError {
    pub fn message(self) -> &'static str {
        match self {
            SignatureError::MalformedTimestamp => {
                "The webhook-timestamp header is not a Unix time."
            }
            SignatureError::StaleTimestamp => {
                "The webhook-timestamp is more than five minutes away from our clock."
            }
            SignatureError::Mismatch => "The webhook-signature does not match the body.",
        }
    }
}

/// The key bytes of a `whsec_…` secret (or of a bare base64 one).
pub fn decode_secret(secret: &str) -> Option<Vec<u8>> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    STANDARD.decode(encoded).ok().filter(|key| !key.is_empty())
}

/// HMAC takes keys of every length, so `None` never happens in practice.
fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// The `webhook-signature` header value for one delivery.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let mac = mac(key, id, timestamp, body)?;
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// Checks the timestamp against `now` (± `tolerance_secs`) and that one of the space-separated
/// signatures of the header is ours (compared in constant time).
pub fn verify(
    key: &[u8],
    id: &str,
    timestamp: &str,
    body: &[u8],
    header: &str,
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let timestamp: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::MalformedTimestamp)?;
    if (now - timestamp).abs() > tolerance_secs {
        return Err(SignatureError::StaleTimestamp);
    }
    let matches = header.split_whitespace().any(|candidate| {
        let Some(encoded) = candidate.strip_prefix("v1,") else {
            return false;
        };
        let Ok(given) = STANDARD.decode(encoded) else {
            return false;
        };
        mac(key, id, timestamp, body).is_some_and(|mac| mac.verify_slice(&given).is_ok())
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks reference libraries.
    #[test]
    fn matches_the_reference_example() {
        let key = decode_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let signature = sign(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, body).unwrap();
        assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn refuses_tampering_and_staleness() {
        let key = b"0123456789abcdef";
        let header = sign(key, "id1", 1000, b"{}").unwrap();
        assert_eq!(
            verify(key, "id1", "1000", b"{}", &header, 1100, 300),
            Ok(())
        );
        let both = format!("v1,AAAA {header}");
        assert_eq!(verify(key, "id1", "1000", b"{}", &both, 1100, 300), Ok(()));
        let refused = [
            verify(key, "id1", "1000", b"{ }", &header, 1100, 300),
            verify(key, "id2", "1000", b"{}", &header, 1100, 300),
            verify(b"other key", "id1", "1000", b"{}", &header, 1100, 300),
            verify(key, "id1", "1000", b"{}", "v1,???", 1100, 300),
        ];
        assert!(refused.iter().all(|r| *r == Err(SignatureError::Mismatch)));
        assert_eq!(
            verify(key, "id1", "1000", b"{}", &header, 1400, 300),
            Err(SignatureError::StaleTimestamp)
        );
        assert_eq!(
            verify(key, "id1", "soon", b"{}", &header, 1100, 300),
            Err(SignatureError::MalformedTimestamp)
        );
    }
}
