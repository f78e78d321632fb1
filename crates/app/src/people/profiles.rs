//! Profiles and professional names: what a person says about themselves, the people directory,
//! and name changes — by request to a moderator or HR, or from the organisation's directory and
//! identity provider ("verified"), with every change kept in the name history.

use super::Viewer;
use crate::moderation::Place;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::FieldErrors;
use guildhall_domain::people::profile::{
    MAX_BIO_CHARS, display_name, parse_fact, parse_list, parse_preferred_name, parse_time_zone,
    skill_key,
};
use guildhall_domain::people::{Role, parse_person_name};
use guildhall_store::profiles::{self as store, DirectoryFilter, ProfileFields};
use serde::Serialize;

pub const DIRECTORY_PAGE: i64 = 30;

#[derive(Debug, Clone, Serialize)]
pub struct ProfileView {
    pub id: i64,
    pub display_name: String,
    pub given_name: String,
    pub family_name: String,
    pub preferred_given_name: String,
    /// The name comes from the organisation's directory or identity provider.
    pub verified: bool,
    pub title: String,
    pub department: String,
    pub location: String,
    pub time_zone: String,
    pub bio: String,
    /// Sanitised HTML of the Markdown bio.
    pub bio_html: String,
    pub languages: Vec<String>,
    pub interests: Vec<String>,
    pub skills: Vec<String>,
    pub photo_url: Option<String>,
    pub member_since: DateTime<Utc>,
    pub mine: bool,
}

/// What a person may change about their profile (the name has its own way).
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub title: String,
    pub department: String,
    pub location: String,
    pub time_zone: String,
    pub bio: String,
    pub languages: String,
    pub interests: String,
    pub skills: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DirectoryEntry {
    pub id: i64,
    pub display_name: String,
    pub verified: bool,
    pub title: String,
    pub department: String,
    pub location: String,
    pub photo_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DirectoryPage {
    pub people: Vec<DirectoryEntry>,
    /// Continue after this (name, id) when there are more.
    pub next: Option<String>,
    pub departments: Vec<String>,
    pub locations: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    pub query: String,
    pub skill: String,
    pub department: String,
    pub location: String,
    pub after: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NameRequestView {
    pub id: i64,
    pub user_id: i64,
    pub current_name: String,
    pub requested_name: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NameChange {
    pub user_id: i64,
    pub old_name: String,
    pub new_name: String,
    pub source: String,
    pub changed_by: Option<String>,
    pub reason: String,
    pub at: DateTime<Utc>,
}

fn is_verified(source: &str) -> bool {
    matches!(source, "directory" | "idp")
}

pub(crate) fn photo_url(id: i64, sha: Option<&str>) -> Option<String> {
    // The hash in the address changes with the photo, so it can be cached for long.
    sha.map(|sha| format!("/people/{id}/photo?v={}", &sha[..sha.len().min(12)]))
}

fn split_list(raw: &str) -> Vec<String> {
    raw.split('\n')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl App {
    pub async fn profile_page(&self, viewer: &Viewer, id: i64) -> AppResult<ProfileView> {
        let row = store::profile(self.db(), id)
            .await?
            .filter(|p| p.status == "active" || p.id == viewer.id)
            .ok_or(AppError::NotFound)?;
        let skills = store::skills_of(self.db(), id).await?;
        Ok(ProfileView {
            verified: is_verified(&row.name_source),
            bio_html: guildhall_domain::threads::render_post(&row.bio),
            languages: split_list(&row.languages),
            interests: split_list(&row.interests),
            photo_url: photo_url(row.id, row.photo_sha256.as_deref()),
            mine: row.id == viewer.id,
            member_since: row.created_at,
            skills,
            id: row.id,
            display_name: row.display_name,
            given_name: row.given_name,
            family_name: row.family_name,
            preferred_given_name: row.preferred_given_name,
            title: row.title,
            department: row.department,
            location: row.location,
            time_zone: row.time_zone,
            bio: row.bio,
        })
    }

    /// Changes the viewer's own profile; every text passes the content check.
    pub async fn update_profile(&self, viewer: &Viewer, input: &ProfileInput) -> AppResult<()> {
        let mut errors = FieldErrors::new();
        let title = errors.check("title", parse_fact(&input.title));
        let department = errors.check("department", parse_fact(&input.department));
        let location = errors.check("location", parse_fact(&input.location));
        let time_zone = errors.check("time_zone", parse_time_zone(&input.time_zone));
        let bio = errors.check(
            "bio",
            guildhall_domain::spaces::parse_long_text(&input.bio, MAX_BIO_CHARS, false),
        );
        let languages = errors.check("languages", parse_list(&input.languages));
        let interests = errors.check("interests", parse_list(&input.interests));
        let skills = errors.check("skills", parse_list(&input.skills));
        let (
            Some(title),
            Some(department),
            Some(location),
            Some(time_zone),
            Some(bio),
            Some(languages),
            Some(interests),
            Some(skills),
        ) = (
            title, department, location, time_zone, bio, languages, interests, skills,
        )
        else {
            return Err(AppError::Invalid(errors));
        };
        let (languages, interests) = (languages.join("\n"), interests.join("\n"));
        let skills_text = skills.join(", ");
        self.screen(
            viewer,
            Place::Profile,
            None,
            &[
                ("title", &title),
                ("department", &department),
                ("location", &location),
                ("bio", &bio),
                ("languages", &languages),
                ("interests", &interests),
                ("skills", &skills_text),
            ],
            false,
        )
        .await?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        store::update_profile(
            &mut tx,
            viewer.id,
            &ProfileFields {
                title: &title,
                department: &department,
                location: &location,
                time_zone: &time_zone,
                bio: &bio,
                languages: &languages,
                interests: &interests,
            },
            now,
        )
        .await?;
        let mut ids = Vec::with_capacity(skills.len());
        for skill in &skills {
            ids.push(store::skill_id(&mut tx, skill, &skill_key(skill), now).await?);
        }
        store::set_skills(&mut tx, viewer.id, &ids).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A profile photo: an image that passes the image check.
    pub async fn set_profile_photo(&self, viewer: &Viewer, bytes: &[u8]) -> AppResult<()> {
        if bytes.is_empty() || bytes.len() > guildhall_domain::threads::MAX_ATTACHMENT_BYTES {
            return Err(AppError::invalid(
                "photo",
                "Choose an image of at most 10 MB.",
            ));
        }
        let is_image = guildhall_domain::threads::FileKind::sniff(bytes)
            .is_some_and(guildhall_domain::threads::FileKind::is_image);
        if !is_image {
            return Err(AppError::invalid(
                "photo",
                "Choose a PNG, JPEG, GIF or WebP image.",
            ));
        }
        self.screen_image(viewer, "profile photo", bytes).await?;
        let sha256 = crate::threads::sha256_hex(bytes);
        self.inner
            .files
            .put(&sha256, bytes)
            .await
            .map_err(|e| AppError::Internal(format!("storing a photo: {e}")))?;
        store::set_photo(self.db(), viewer.id, Some(&sha256), clock::now()).await?;
        Ok(())
    }

    /// A person's photo, for anyone signed in.
    pub async fn profile_photo(
        &self,
        id: i64,
    ) -> AppResult<(guildhall_domain::threads::FileKind, Vec<u8>)> {
        let row = store::profile(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let sha = row.photo_sha256.ok_or(AppError::NotFound)?;
        let bytes = self
            .inner
            .files
            .get(&sha)
            .await
            .map_err(|_| AppError::NotFound)?;
        let kind = guildhall_domain::threads::FileKind::sniff(&bytes).ok_or(AppError::NotFound)?;
        Ok((kind, bytes))
    }

    pub async fn people_directory(
        &self,
        _viewer: &Viewer,
        query: &DirectoryQuery,
    ) -> AppResult<DirectoryPage> {
        let clean = |raw: &str| {
            guildhall_domain::fields::query_text(raw, 300).map_err(AppError::BadRequest)
        };
        let query = DirectoryQuery {
            query: clean(&query.query)?,
            skill: clean(&query.skill)?,
            department: clean(&query.department)?,
            location: clean(&query.location)?,
            after: clean(&query.after)?,
        };
        let name = query.query.to_lowercase();
        let (after_name, after_id) = match query.after.rsplit_once('|') {
            Some((name, id)) => (
                name.to_owned(),
                id.parse()
                    .map_err(|_| AppError::BadRequest("The page cursor is not valid.".into()))?,
            ),
            None => (String::new(), 0),
        };
        let filter = DirectoryFilter {
            query: &name,
            skill_key: &skill_key(&query.skill),
            department: &query.department.trim().to_lowercase(),
            location: &query.location.trim().to_lowercase(),
        };
        let rows =
            store::directory(self.db(), &filter, (&after_name, after_id), DIRECTORY_PAGE).await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == DIRECTORY_PAGE)
            .then(|| rows.last().map(|r| format!("{}|{}", r.display_name, r.id)))
            .flatten();
        let (departments, locations) = store::facets(self.db()).await?;
        Ok(DirectoryPage {
            people: rows
                .into_iter()
                .map(|r| DirectoryEntry {
                    verified: is_verified(&r.name_source),
                    photo_url: photo_url(r.id, r.photo_sha256.as_deref()),
                    id: r.id,
                    display_name: r.display_name,
                    title: r.title,
                    department: r.department,
                    location: r.location,
                })
                .collect(),
            next,
            departments,
            locations,
        })
    }

    pub async fn skill_suggestions(&self, prefix: &str) -> AppResult<Vec<String>> {
        let prefix =
            guildhall_domain::fields::query_text(prefix, 50).map_err(AppError::BadRequest)?;
        let key = skill_key(&prefix);
        if key.chars().count() < 1 || key.chars().count() > 50 {
            return Ok(Vec::new());
        }
        Ok(store::skills_starting_with(self.db(), &key, 10).await?)
    }

    /// Asks a moderator or HR to change the viewer's name. Names from the directory or identity
    /// provider are locked when the organisation says so.
    pub async fn request_name_change(
        &self,
        viewer: &Viewer,
        given: &str,
        family: &str,
        preferred: &str,
        reason: &str,
    ) -> AppResult<i64> {
        let row = store::profile(self.db(), viewer.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if is_verified(&row.name_source) && self.settings().people.lock_verified_names {
            return Err(AppError::forbidden(
                "name_locked",
                "Your name comes from the organisation's directory: ask HR or IT to change it there.",
            ));
        }
        let mut errors = FieldErrors::new();
        let name = match parse_person_name(given, family) {
            Ok(name) => Some(name),
            Err(problems) => {
                for (field, message) in problems {
                    errors.add(field, message);
                }
                None
            }
        };
        let preferred = errors.check("preferred_given_name", parse_preferred_name(preferred));
        let reason = errors.check(
            "reason",
            guildhall_domain::fields::single_line(reason, 500)
                .map_err(|_| "Say why, in up to 500 characters.".to_owned()),
        );
        let (Some(name), Some(preferred), Some(reason)) = (name, preferred, reason) else {
            return Err(AppError::Invalid(errors));
        };
        let full = display_name(&name.given_name, &preferred, &name.family_name);
        let verdict = self.content_check().await?.check(&full);
        if verdict.action != guildhall_domain::moderation::Action::Allow {
            return Err(AppError::invalid(
                "given_name",
                "Please use your professional name.",
            ));
        }
        store::open_name_request(
            self.db(),
            &store::NewNameRequest {
                user_id: viewer.id,
                given_name: &name.given_name,
                family_name: &name.family_name,
                preferred_given_name: &preferred,
                reason: &reason,
                at: clock::now(),
            },
        )
        .await?
        .ok_or(AppError::Conflict {
            code: "name_request_open",
            message: "You asked for a name change already; a moderator or HR will decide.".into(),
        })
    }

    fn require_name_reviewer(viewer: &Viewer) -> AppResult<()> {
        if viewer.has(Role::Moderator) || viewer.has(Role::Hr) {
            Ok(())
        } else {
            Err(AppError::forbidden(
                "role_required",
                "Moderators and HR decide name changes.",
            ))
        }
    }

    pub async fn name_requests(&self, viewer: &Viewer) -> AppResult<Vec<NameRequestView>> {
        Self::require_name_reviewer(viewer)?;
        Ok(store::open_name_requests(self.db(), 100)
            .await?
            .into_iter()
            .map(|r| NameRequestView {
                requested_name: display_name(
                    &r.given_name,
                    &r.preferred_given_name,
                    &r.family_name,
                ),
                id: r.id,
                user_id: r.user_id,
                current_name: r.current_name,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect())
    }

    /// Approves (renames, recorded in the history and the audit log) or declines a request;
    /// the person is told either way.
    pub async fn decide_name_request(
        &self,
        viewer: &Viewer,
        id: i64,
        approve: bool,
        note: &str,
    ) -> AppResult<()> {
        Self::require_name_reviewer(viewer)?;
        let note = guildhall_domain::fields::optional_line(note, 500)
            .map_err(|m| AppError::invalid("note", m))?;
        let request = store::name_request(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if request.user_id == viewer.id {
            return Err(AppError::forbidden(
                "own_request",
                "Someone else decides your own name change.",
            ));
        }
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let status = if approve { "approved" } else { "declined" };
        if !store::decide_name_request(&mut tx, id, status, viewer.id, &note, now).await? {
            return Err(AppError::Conflict {
                code: "already_decided",
                message: "This request was decided already.".into(),
            });
        }
        let new_name = display_name(
            &request.given_name,
            &request.preferred_given_name,
            &request.family_name,
        );
        if approve {
            store::rename(
                &mut tx,
                &store::Rename {
                    user_id: request.user_id,
                    given_name: &request.given_name,
                    family_name: &request.family_name,
                    preferred_given_name: &request.preferred_given_name,
                    display_name: &new_name,
                    source: "self",
                    changed_by: Some(viewer.id),
                    reason: &request.reason,
                    at: now,
                },
            )
            .await?;
            super::index_person(&mut tx, request.user_id, &new_name, now).await?;
            crate::outbox::record_audit(
                &mut tx,
                Some(viewer.id),
                "name.changed",
                &format!("user:{}", request.user_id),
                serde_json::json!({"from": request.current_name, "to": new_name}),
            )
            .await?;
        }
        let sentence = if approve {
            format!("Your name is now {new_name}.")
        } else if note.is_empty() {
            "Your name change was declined.".to_owned()
        } else {
            format!("Your name change was declined: {note}")
        };
        crate::notify::record_notice(&mut tx, request.user_id, &sentence).await?;
        tx.commit().await?;
        self.inner.viewers.forget_person(request.user_id);
        Ok(())
    }

    /// Every name change, searchable by old or new name: for administrators and HR.
    pub async fn name_history(&self, viewer: &Viewer, query: &str) -> AppResult<Vec<NameChange>> {
        if !(viewer.has(Role::Admin) || viewer.has(Role::Hr)) {
            return Err(AppError::forbidden(
                "role_required",
                "Administrators and HR read the name history.",
            ));
        }
        // PostgreSQL refuses NUL: a query with control characters is refused here.
        let query = guildhall_domain::fields::query_text(query, 200)
            .map_err(|message| AppError::invalid("q", message))?;
        Ok(store::name_history(self.db(), &query.to_lowercase(), 200)
            .await?
            .into_iter()
            .map(|h| NameChange {
                user_id: h.user_id,
                old_name: h.old_name,
                new_name: h.new_name,
                source: h.source,
                changed_by: h.changed_by_name,
                reason: h.reason,
                at: h.created_at,
            })
            .collect())
    }
}
