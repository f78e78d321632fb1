//! Spaces: where a cohort, an event, a topic community or a team talks. Who may see a space, who
//! may join it and how, and what makes a valid space.

use crate::fields::single_line;

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $word:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(raw: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }
        }
    };
}
pub(crate) use word_enum;

word_enum!(
    /// What a space is for.
    SpaceKind {
        Community => "community" / "Community",
        Cohort => "cohort" / "Cohort",
        Event => "event" / "Event",
        Team => "team" / "Team",
    }
);

word_enum!(
    /// Who can find a space and how people get in.
    Visibility {
        Open => "open" / "Open: anyone can read and join",
        OnRequest => "on_request" / "On request: listed, join after approval",
        InviteOnly => "invite_only" / "Invite only: listed, join by invitation",
        Secret => "secret" / "Secret: only members know it exists",
    }
);

word_enum!(
    SpaceRole {
        Member => "member" / "Member",
        Facilitator => "facilitator" / "Facilitator",
    }
);

word_enum!(
    /// Where a person stands with a space.
    MembershipStatus {
        Active => "active" / "Member",
        Requested => "requested" / "Asked to join",
        Invited => "invited" / "Invited",
    }
);

impl Visibility {
    /// Non-members can read the threads of an open space only.
    pub fn readable_by_outsiders(self) -> bool {
        self == Visibility::Open
    }

    /// Listed in the directory for people who are not members.
    pub fn listed(self) -> bool {
        self != Visibility::Secret
    }
}

/// What asking to join does, by visibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinOutcome {
    Joined,
    Requested,
    InvitationNeeded,
}

pub fn join_outcome(visibility: Visibility, invited: bool) -> JoinOutcome {
    match (visibility, invited) {
        (_, true) | (Visibility::Open, _) => JoinOutcome::Joined,
        (Visibility::OnRequest, false) => JoinOutcome::Requested,
        (Visibility::InviteOnly | Visibility::Secret, false) => JoinOutcome::InvitationNeeded,
    }
}

pub const MAX_SPACE_NAME_CHARS: usize = 80;
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;

/// A URL-safe name made from the space's name: lower-case ASCII letters, digits and hyphens.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => Some('a'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ı' => Some('i'),
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            'ß' => Some('s'),
            _ => None,
        };
        match mapped {
            Some(c) => slug.push(c),
            None if !slug.ends_with('-') && !slug.is_empty() => slug.push('-'),
            None => {}
        }
    }
    let slug = slug
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>();
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "space".to_owned()
    } else {
        slug
    }
}

pub fn parse_space_name(raw: &str) -> Result<String, String> {
    single_line(raw, MAX_SPACE_NAME_CHARS)
}

/// Longer Markdown text (descriptions, rules): bounded, without NUL or other control characters
/// except line breaks and tabs.
pub fn parse_long_text(raw: &str, max: usize, required: bool) -> Result<String, String> {
    let text = raw.trim();
    let length = text.chars().count();
    if required && length == 0 {
        return Err("Please write something.".into());
    }
    if length > max {
        return Err(format!("Use at most {max} characters."));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("The text contains control characters.".into());
    }
    Ok(text.replace("\r\n", "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joining_depends_on_visibility_and_invitation() {
        assert_eq!(join_outcome(Visibility::Open, false), JoinOutcome::Joined);
        assert_eq!(
            join_outcome(Visibility::OnRequest, false),
            JoinOutcome::Requested
        );
        assert_eq!(
            join_outcome(Visibility::InviteOnly, false),
            JoinOutcome::InvitationNeeded
        );
        assert_eq!(
            join_outcome(Visibility::Secret, false),
            JoinOutcome::InvitationNeeded
        );
        for visibility in Visibility::ALL {
            assert_eq!(join_outcome(*visibility, true), JoinOutcome::Joined);
        }
        assert!(!Visibility::Secret.listed() && Visibility::InviteOnly.listed());
        assert!(
            Visibility::Open.readable_by_outsiders()
                && !Visibility::OnRequest.readable_by_outsiders()
        );
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(
            slugify("Leadership Cohort — Spring 2027"),
            "leadership-cohort-spring-2027"
        );
        assert_eq!(slugify("  Café & Crème!! "), "cafe-creme");
        assert_eq!(slugify("日本語"), "space");
        assert!(slugify(&"a ".repeat(100)).len() <= 60);
    }

    #[test]
    fn words_round_trip() {
        for kind in SpaceKind::ALL {
            assert_eq!(SpaceKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(Visibility::parse("on_request"), Some(Visibility::OnRequest));
        assert_eq!(Visibility::parse("public"), None);
    }

    #[test]
    fn long_text_keeps_lines_and_refuses_control_characters() {
        assert_eq!(
            parse_long_text(" a\r\nb ", 100, true).as_deref(),
            Ok("a\nb")
        );
        assert!(parse_long_text("", 100, true).is_err());
        assert_eq!(parse_long_text("", 100, false).as_deref(), Ok(""));
        assert!(parse_long_text("a\u{0}", 100, false).is_err());
        assert!(parse_long_text(&"x".repeat(101), 100, false).is_err());
    }
}
