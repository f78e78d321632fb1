//! Password rules for accounts that sign in with a password (SSO accounts may have none).
//! Following NIST SP 800-63B: length matters, composition rules do not; an upper bound keeps the
//! deliberately slow hash from becoming a denial of service.

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

const COMMON_PASSWORDS: &[&str] = &[
    "password123",
    "1234567890",
    "qwertyuiop",
    "password1234",
    "iloveyou123",
    "letmein123",
    "welcome123",
    "changeme123",
    "administrator",
    "passw0rd123",
];

pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Use at least {MIN_PASSWORD_CHARS} characters; a few words together are easy to remember."
        ));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(format!("Use at most {MAX_PASSWORD_CHARS} characters."));
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.contains(&lower.as_str()) || lower == email.to_lowercase() {
        return Err("This password is too easy to guess.".into());
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err("This password is too easy to guess.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_guessability() {
        assert!(check_new_password("correct-horse-battery", "a@b.org").is_ok());
        assert!(check_new_password("short", "a@b.org").is_err());
        assert!(check_new_password(&"x".repeat(257), "a@b.org").is_err());
        assert!(check_new_password("aaaaaaaaaaaa", "a@b.org").is_err());
        assert!(check_new_password("Password123", "a@b.org").is_err());
        assert!(check_new_password("ada@example.org", "Ada@example.org").is_err());
    }
}
