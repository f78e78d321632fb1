//! Rules for talking to other platforms: HTTP message signatures (draft-cavage and RFC 9421),
//! the ActivityPub documents of a federated space, and which servers are heard.

pub mod documents;
pub mod servers;
pub mod signatures;

/// Where a piece of content was written: shown in the review queue and the monitoring feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Guildhall,
    Fediverse,
    Matrix,
    Webhook,
    Email,
}

impl Origin {
    pub const ALL: [Origin; 5] = [
        Origin::Guildhall,
        Origin::Fediverse,
        Origin::Matrix,
        Origin::Webhook,
        Origin::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Guildhall => "guildhall",
            Origin::Fediverse => "fediverse",
            Origin::Matrix => "matrix",
            Origin::Webhook => "webhook",
            Origin::Email => "email",
        }
    }

    pub fn parse(raw: &str) -> Option<Origin> {
        Origin::ALL
            .into_iter()
            .find(|origin| origin.as_str() == raw)
    }

    /// The label of a stored origin when the content came from elsewhere; `None` for ours.
    pub fn via(stored: &str) -> Option<&'static str> {
        Origin::parse(stored)
            .filter(|origin| *origin != Origin::Guildhall)
            .map(Origin::label)
    }

    /// The words a page shows beside content from elsewhere.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Guildhall => "Guildhall",
            Origin::Fediverse => "the fediverse",
            Origin::Matrix => "Matrix",
            Origin::Webhook => "a webhook",
            Origin::Email => "email",
        }
    }
}
