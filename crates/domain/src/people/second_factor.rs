//! Two-factor authentication with time-based one-time codes (RFC 6238: HMAC-SHA1, 6 digits,
//! 30-second steps, one step of clock drift either way) and single-use recovery codes. A code is
//! accepted once: callers keep the last step used and pass it back.

use totp_rs::{Algorithm, TOTP};

pub const STEP_SECONDS: u64 = 30;
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Guildhall";

fn totp(secret: &[u8], account: &str) -> Option<TOTP> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        secret.to_vec(),
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .ok()
}

/// The step of a valid code for `unix_time`, if it is valid and newer than `last_step` (a code
/// seen once is refused after, even within its 30 seconds).
pub fn verify_code(
    secret: &[u8],
    code: &str,
    unix_time: u64,
    last_step: Option<u64>,
) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "")?;
    let now = unix_time / STEP_SECONDS;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .find(|step| totp.generate(step * STEP_SECONDS) == code)
}

/// The code an authenticator app shows at `unix_time` (for tests and the enrolment check).
pub fn code_at(secret: &[u8], unix_time: u64) -> String {
    totp(secret, "").map_or_else(String::new, |t| t.generate(unix_time))
}

/// The `otpauth://` address authenticator apps read from the QR code.
pub fn otpauth_url(secret: &[u8], account: &str) -> String {
    totp(secret, account).map_or_else(String::new, |t| t.get_url())
}

/// The secret as people type it when they cannot scan: base32 in groups of four.
pub fn secret_for_typing(secret: &[u8]) -> String {
    let encoded = totp(secret, "").map_or_else(String::new, |t| t.get_secret_base32());
    encoded
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Recovery codes are typed with or without the dash, in any case.
pub fn normalise_recovery_code(raw: &str) -> String {
    raw.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA1: the secret "12345678901234567890", 8-digit codes ending in
    // these six digits at these times.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_test_vectors() {
        for (time, last_six) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
        ] {
            assert_eq!(code_at(RFC_SECRET, time), last_six, "at {time}");
        }
    }

    #[test]
    fn a_code_is_valid_one_step_either_way_and_only_once() {
        let time = 1_234_567_890;
        let code = code_at(RFC_SECRET, time);
        let step = verify_code(RFC_SECRET, &code, time, None).unwrap();
        assert_eq!(step, time / STEP_SECONDS);
        assert!(verify_code(RFC_SECRET, &code, time + STEP_SECONDS, None).is_some());
        assert!(verify_code(RFC_SECRET, &code, time + 3 * STEP_SECONDS, None).is_none());
        assert!(
            verify_code(RFC_SECRET, &code, time, Some(step)).is_none(),
            "replayed"
        );
        assert!(verify_code(RFC_SECRET, "12345", time, None).is_none());
        assert!(verify_code(RFC_SECRET, "abcdef", time, None).is_none());
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(verify_code(RFC_SECRET, &spaced, time, None).is_some());
    }

    #[test]
    fn secrets_are_shown_for_apps_and_for_typing() {
        let url = otpauth_url(RFC_SECRET, "ada@example.org");
        assert!(
            url.starts_with("otpauth://totp/Guildhall:ada%40example.org?"),
            "{url}"
        );
        assert!(url.contains("issuer=Guildhall"), "{url}");
        assert_eq!(
            secret_for_typing(RFC_SECRET),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
        assert_eq!(normalise_recovery_code(" ABCD-efgh "), "abcdefgh");
    }
}
