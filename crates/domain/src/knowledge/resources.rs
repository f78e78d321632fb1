//! What a resource in the library is: a link, an uploaded file, an article written here, or a
//! video; how readers rate it; and what a valid one says.

use crate::FieldErrors;
use crate::ideas::parse_tags;
use crate::people::profile::parse_list;
use crate::spaces::{parse_long_text, word_enum};
use crate::threads::{parse_link, parse_title};

word_enum!(
    /// What a resource is.
    ResourceKind {
        Link => "link" / "Link",
        File => "file" / "File",
        Article => "article" / "Article",
        Video => "video" / "Video",
    }
);

word_enum!(
    /// What a reader says of a resource: it helped, or it no longer holds. One rating per
    /// reader (the store's key); the owner does not rate their own resource.
    Rating {
        Helpful => "helpful" / "Helpful",
        Outdated => "outdated" / "Outdated",
    }
);

impl ResourceKind {
    /// Links and videos are somewhere else: they need a web address.
    pub fn needs_url(self) -> bool {
        matches!(self, ResourceKind::Link | ResourceKind::Video)
    }
}

/// An article's own text, like a long post.
pub const MAX_ARTICLE_CHARS: usize = 20_000;
/// What a link, file or video is about, and why it is worth a look.
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;
/// Skills a resource teaches: a few, so "resources for SQL" stays about SQL.
pub const MAX_SKILLS: usize = 10;

/// A resource as typed. `tags` and `skills` are one text each (tags split at commas and
/// spaces, skills at commas, as on profiles). The file of a `file` resource is uploaded apart,
/// as an attachment; `app` checks it is there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResourceDraft<'a> {
    pub title: &'a str,
    pub kind: &'a str,
    pub url: &'a str,
    pub body: &'a str,
    pub tags: &'a str,
    pub skills: &'a str,
}

/// A valid resource, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub title: String,
    pub kind: ResourceKind,
    /// Set exactly for links and videos.
    pub url: Option<String>,
    /// Markdown: the article itself, or a description (may be empty) for other kinds.
    pub body: String,
    pub tags: Vec<String>,
    /// As typed, without repeats; `people::profile::skill_key` gives the shared key.
    pub skills: Vec<String>,
}

/// Checks every field at once. A link or video needs an http(s) address; an article needs its
/// text; a file or an article takes no address (it lives here).
pub fn parse_resource(draft: ResourceDraft<'_>) -> Result<Resource, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = errors.check("title", parse_title(draft.title));
    let kind = errors.check(
        "kind",
        ResourceKind::parse(draft.kind.trim())
            .ok_or_else(|| "Choose a link, a file, an article or a video.".to_owned()),
    );
    let url = match kind {
        Some(kind) if kind.needs_url() => errors.check(
            "url",
            parse_link(draft.url).and_then(|url| {
                url.map(Some)
                    .ok_or_else(|| "Give the web address, starting with https://.".to_owned())
            }),
        ),
        Some(_) if !draft.url.trim().is_empty() => {
            errors.add("url", "Only links and videos have a web address.");
            None
        }
        _ => Some(None),
    };
    let body = match kind {
        Some(ResourceKind::Article) => {
            errors.check("body", parse_long_text(draft.body, MAX_ARTICLE_CHARS, true))
        }
        _ => errors.check(
            "body",
            parse_long_text(draft.body, MAX_DESCRIPTION_CHARS, false),
        ),
    };
    let tags = errors.check("tags", parse_tags(draft.tags));
    let skills = errors.check(
        "skills",
        parse_list(draft.skills).and_then(|skills| {
            if skills.len() > MAX_SKILLS {
                Err(format!("Name at most {MAX_SKILLS} skills."))
            } else {
                Ok(skills)
            }
        }),
    );
    match (title, kind, url, body, tags, skills) {
        (Some(title), Some(kind), Some(url), Some(body), Some(tags), Some(skills))
            if errors.is_empty() =>
        {
            Ok(Resource {
                title,
                kind,
                url,
                body,
                tags,
                skills,
            })
        }
        _ => Err(errors),
    }
}

/// Whether `rater` may rate a resource owned by `owner`: a rating is a reader's word, so the
/// owner's own does not count (as with points, nobody rewards their own content).
pub fn may_rate(rater: i64, owner: i64) -> Result<(), String> {
    if rater == owner {
        Err("Ratings are for other people's resources; mark it reviewed instead.".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> ResourceDraft<'static> {
        ResourceDraft {
            title: " SQL window functions, explained ",
            kind: "link",
            url: " https://example.org/sql-windows ",
            body: "",
            tags: "sql, Analytics",
            skills: "SQL, sql, Data analysis",
        }
    }

    #[test]
    fn words_round_trip() {
        for &kind in ResourceKind::ALL {
            assert_eq!(ResourceKind::parse(kind.as_str()), Some(kind));
        }
        for &rating in Rating::ALL {
            assert_eq!(Rating::parse(rating.as_str()), Some(rating));
        }
        assert_eq!(ResourceKind::Video.label(), "Video");
    }

    #[test]
    fn a_link_needs_its_address() {
        let resource = parse_resource(link()).unwrap();
        assert_eq!(resource.title, "SQL window functions, explained");
        assert_eq!(resource.kind, ResourceKind::Link);
        assert_eq!(
            resource.url.as_deref(),
            Some("https://example.org/sql-windows")
        );
        assert_eq!(resource.tags, ["sql", "analytics"]);
        assert_eq!(resource.skills, ["SQL", "Data analysis"]);

        for url in ["", "javascript:alert(1)", "ftp://example.org/x"] {
            let errors = parse_resource(ResourceDraft { url, ..link() }).unwrap_err();
            assert!(errors.get("url").is_some(), "{url}");
        }
        let video = ResourceDraft {
            kind: "video",
            url: "",
            ..link()
        };
        assert!(parse_resource(video).unwrap_err().get("url").is_some());
    }

    #[test]
    fn an_article_needs_its_text_and_no_address() {
        let article = ResourceDraft {
            kind: "article",
            url: "",
            body: "# Windows\nA window function looks at neighbouring rows.",
            ..link()
        };
        let resource = parse_resource(article).unwrap();
        assert_eq!(resource.url, None);
        assert!(resource.body.starts_with("# Windows"));

        let empty = ResourceDraft {
            body: " ",
            ..article
        };
        assert!(parse_resource(empty).unwrap_err().get("body").is_some());
        let addressed = ResourceDraft {
            url: "https://example.org",
            ..article
        };
        assert!(parse_resource(addressed).unwrap_err().get("url").is_some());
        let long = "x".repeat(MAX_ARTICLE_CHARS + 1);
        assert!(
            parse_resource(ResourceDraft {
                body: &long,
                ..article
            })
            .is_err()
        );
    }

    #[test]
    fn a_file_is_described_optionally() {
        let file = ResourceDraft {
            kind: "file",
            url: "",
            body: "",
            ..link()
        };
        assert_eq!(parse_resource(file).unwrap().kind, ResourceKind::File);
        let long = "x".repeat(MAX_DESCRIPTION_CHARS + 1);
        assert!(
            parse_resource(ResourceDraft {
                body: &long,
                ..file
            })
            .is_err()
        );
    }

    #[test]
    fn every_bad_field_is_reported() {
        let skills = (0..=MAX_SKILLS)
            .map(|i| format!("skill{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let errors = parse_resource(ResourceDraft {
            title: "",
            kind: "podcast",
            url: "x",
            body: "nul\u{0}",
            tags: "c++",
            skills: &skills,
        })
        .unwrap_err();
        for field in ["title", "kind", "body", "tags", "skills"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
        // Without a kind the address cannot be judged, so it is not blamed.
        assert!(errors.get("url").is_none());
    }

    #[test]
    fn owners_do_not_rate_their_own() {
        assert!(may_rate(1, 1).is_err());
        assert!(may_rate(2, 1).is_ok());
    }
}
