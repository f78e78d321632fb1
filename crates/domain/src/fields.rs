//! Field-level validation errors, shared by every form and API body.

use serde::Serialize;
use std::collections::BTreeMap;

/// Messages keyed by the field they belong to, in a stable order so pages and JSON agree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    /// Keeps the first message per field: it is the most basic problem to fix.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
    }

    /// Records the error of a field check, returning the value when it passed.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `Ok(())` when nothing was recorded, so validation can end with `errors.into_result()?`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        f.write_str(&parts.join("; "))
    }
}

/// A short single-line label (a token's name, a title): trimmed, 1 to `max` characters, with no
/// control characters (they break displays, and PostgreSQL refuses NUL in text).
pub fn single_line(raw: &str, max: usize) -> Result<String, String> {
    let text = raw.trim();
    let length = text.chars().count();
    if length == 0 || length > max {
        return Err(format!("Use 1 to {max} characters."));
    }
    if text.chars().any(char::is_control) {
        return Err("Use letters, digits, spaces and punctuation only.".into());
    }
    Ok(text.to_owned())
}

/// Search words, filters and cursors from a query string: at most `max` characters and no
/// control characters (PostgreSQL refuses NUL, and none belongs in a search).
pub fn query_text(raw: &str, max: usize) -> Result<String, String> {
    if raw.chars().any(char::is_control) {
        return Err("The search cannot contain control characters.".into());
    }
    if raw.chars().count() > max {
        return Err(format!("Search with at most {max} characters."));
    }
    Ok(raw.trim().to_owned())
}

/// Like [`single_line`], for a text that may be left empty.
pub fn optional_line(raw: &str, max: usize) -> Result<String, String> {
    if raw.trim().is_empty() {
        Ok(String::new())
    } else {
        single_line(raw, max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_labels() {
        assert_eq!(
            single_line("  Report script ", 80).as_deref(),
            Ok("Report script")
        );
        assert!(single_line("", 80).is_err());
        assert!(single_line("a\u{0}b", 80).is_err());
        assert!(single_line("two\nlines", 80).is_err());
        assert!(single_line(&"x".repeat(81), 80).is_err());
    }
}
