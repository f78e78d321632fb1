//! Email rules, free of I/O: how often digests go out, and what part of an emailed reply is the
//! member's own words (mail clients quote the whole message they answer).

mod digest;
mod quoted;

pub use digest::Digest;
pub use quoted::{REPLY_ABOVE, reply_text};

/// The lists a member can leave with one click (RFC 8058): each is one switch of their
/// preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Notifications,
    Digest,
}

impl List {
    pub fn as_str(self) -> &'static str {
        match self {
            List::Notifications => "notifications",
            List::Digest => "digest",
        }
    }

    pub fn parse(raw: &str) -> Option<List> {
        match raw {
            "notifications" => Some(List::Notifications),
            "digest" => Some(List::Digest),
            _ => None,
        }
    }

    /// What the member stops receiving, for the confirmation page.
    pub fn label(self) -> &'static str {
        match self {
            List::Notifications => "notification emails",
            List::Digest => "digest emails",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::List;

    #[test]
    fn email_lists_round_trip() {
        for list in [List::Notifications, List::Digest] {
            assert_eq!(List::parse(list.as_str()), Some(list));
        }
        assert_eq!(List::parse("everything"), None);
    }
}
