//! Directory provisioning (SCIM 2.0): an organisation's directory creates, updates and
//! deactivates members and keeps team spaces in step with its groups. Each directory has its
//! own bearer token (stored hashed) and sees only the people and groups it provisioned.
//!
//! Names from a directory are verified (`name_source = 'directory'`) but still pass the name
//! rules and the content check: a directory is not a way around the community's rules.

use super::Viewer;
use crate::outbox::record_audit;
use crate::secrets::{hash_token, new_token};
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Duration, Utc};
use guildhall_domain::FieldErrors;
use guildhall_domain::fields::single_line;
use guildhall_domain::moderation::Action;
use guildhall_domain::people::profile::{display_name, parse_fact, parse_preferred_name};
use guildhall_domain::people::{Role, parse_email, parse_person_name};
use guildhall_domain::spaces::{SpaceKind, Visibility, parse_space_name, slugify};
use guildhall_store::directory::{self as store, ProvisionedFields};
pub use guildhall_store::directory::{DirectoryGroupRow, DirectoryUserRow, GroupMemberRow};
use guildhall_store::search::{self, DocKind, SearchDoc};
use guildhall_store::{StoreError, Tx, people as people_store, spaces as spaces_store};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeSet;

pub const DIRECTORY_TOKEN_PREFIX: &str = "ghscim_";
const TOUCH_AFTER: Duration = Duration::minutes(5);
const MAX_DIRECTORY_NAME_CHARS: usize = 80;
/// userName and externalId are identifiers chosen by the directory, not text people read.
const MAX_IDENTIFIER_CHARS: usize = 256;
const MAX_EMPLOYEE_NUMBER_CHARS: usize = 64;

#[derive(Debug, Clone, Serialize)]
pub struct DirectoryInfo {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub user_count: i64,
    pub group_count: i64,
}

/// A directory just created: its token is shown this once.
#[derive(Debug, Clone, Serialize)]
pub struct NewDirectoryToken {
    pub token: String,
    pub info: DirectoryInfo,
}

/// The directory a SCIM request authenticated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directory {
    pub id: i64,
}

/// A person as the directory describes them (after the SCIM face has read the JSON).
#[derive(Debug, Clone, Default)]
pub struct ProvisionedUser {
    pub user_name: String,
    pub external_id: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub preferred_given_name: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    pub title: Option<String>,
    pub department: Option<String>,
    pub employee_number: Option<String>,
    /// The manager's id as this directory knows it (our user id).
    pub manager_id: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct ProvisionedGroup {
    pub display_name: String,
    pub external_id: Option<String>,
    pub members: Vec<i64>,
}

/// A group with the directory's people in it.
#[derive(Debug, Clone)]
pub struct DirectoryGroup {
    pub group: DirectoryGroupRow,
    pub members: Vec<GroupMemberRow>,
}

struct ValidUser {
    user_name: String,
    user_name_key: String,
    external_id: Option<String>,
    email: String,
    given_name: String,
    family_name: String,
    preferred_given_name: String,
    display_name: String,
    active: bool,
    title: String,
    department: String,
    employee_number: Option<String>,
    manager_id: Option<i64>,
}

fn uniqueness(message: &str) -> AppError {
    AppError::Conflict {
        code: "uniqueness",
        message: message.to_owned(),
    }
}

fn optional_identifier(
    errors: &mut FieldErrors,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => errors.check(field, single_line(text, max)),
    }
}

/// The standing a person gets when the directory says `active`: the directory switches people
/// on and off, but never lifts a suspension or a ban a moderator gave.
fn next_status(current: Option<&str>, active: bool) -> String {
    match (current, active) {
        (None | Some("deactivated") | Some("active"), true) => "active".into(),
        (None | Some("deactivated") | Some("active"), false) => "deactivated".into(),
        (Some(other), _) => other.into(),
    }
}

impl App {
    // ---- directories and their tokens (administrators) ----

    pub async fn create_directory(
        &self,
        admin: &Viewer,
        name: &str,
    ) -> AppResult<NewDirectoryToken> {
        admin.require(Role::Admin)?;
        self.issue_directory_token(Some(admin.id), name).await
    }

    /// Also used by `guildhall scim token create`, where no viewer exists.
    pub async fn issue_directory_token(
        &self,
        created_by: Option<i64>,
        name: &str,
    ) -> AppResult<NewDirectoryToken> {
        let name = single_line(name, MAX_DIRECTORY_NAME_CHARS)
            .map_err(|message| AppError::invalid("name", message))?;
        let token = new_token(DIRECTORY_TOKEN_PREFIX)?;
        let now = clock::now();
        let mut tx = self.db().begin().await?;
        let id =
            store::insert_directory(&mut tx, &name, &hash_token(&token), created_by, now).await?;
        record_audit(
            &mut tx,
            created_by,
            "scim_directory.created",
            &format!("directory:{id}"),
            json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(NewDirectoryToken {
            token,
            info: DirectoryInfo {
                id,
                name,
                created_at: now,
                last_used_at: None,
                revoked_at: None,
                user_count: 0,
                group_count: 0,
            },
        })
    }

    pub async fn directories(&self, admin: &Viewer) -> AppResult<Vec<DirectoryInfo>> {
        admin.require(Role::Admin)?;
        Ok(store::list_directories(self.db())
            .await?
            .into_iter()
            .map(|d| DirectoryInfo {
                id: d.id,
                name: d.name,
                created_at: d.created_at,
                last_used_at: d.last_used_at,
                revoked_at: d.revoked_at,
                user_count: d.user_count,
                group_count: d.group_count,
            })
            .collect())
    }

    /// The directory stops working at once; the people and spaces it provisioned stay.
    pub async fn revoke_directory(&self, admin: &Viewer, id: i64) -> AppResult<()> {
        admin.require(Role::Admin)?;
        if !store::revoke_directory(self.db(), id, clock::now()).await? {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db().begin().await?;
        record_audit(
            &mut tx,
            Some(admin.id),
            "scim_directory.revoked",
            &format!("directory:{id}"),
            json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The directory behind a bearer token, if it is valid and not revoked.
    pub async fn directory_for_token(&self, token: &str) -> AppResult<Option<Directory>> {
        if !token.starts_with(DIRECTORY_TOKEN_PREFIX) {
            return Ok(None);
        }
        let Some(row) = store::directory_by_token(self.db(), &hash_token(token)).await? else {
            return Ok(None);
        };
        let now = clock::now();
        if row.last_used_at.is_none_or(|used| now - used > TOUCH_AFTER) {
            store::touch_directory(self.db(), row.id, now).await?;
        }
        Ok(Some(Directory { id: row.id }))
    }

    // ---- people ----

    pub async fn scim_users(&self, directory: Directory) -> AppResult<Vec<DirectoryUserRow>> {
        Ok(store::directory_users(self.db(), directory.id).await?)
    }

    /// The person with this userName (compared without case), if the directory has one.
    pub async fn scim_user_named(
        &self,
        directory: Directory,
        user_name: &str,
    ) -> AppResult<Vec<DirectoryUserRow>> {
        let key = user_name.to_lowercase();
        Ok(store::directory_user_by_name(self.db(), directory.id, &key)
            .await?
            .into_iter()
            .collect())
    }

    pub async fn scim_user(&self, directory: Directory, id: i64) -> AppResult<DirectoryUserRow> {
        store::directory_user(self.db(), directory.id, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn validate_user(&self, input: &ProvisionedUser) -> AppResult<ValidUser> {
        let mut errors = FieldErrors::new();
        let user_name = errors.check(
            "userName",
            single_line(&input.user_name, MAX_IDENTIFIER_CHARS),
        );
        let external_id = optional_identifier(
            &mut errors,
            "externalId",
            input.external_id.as_deref(),
            MAX_IDENTIFIER_CHARS,
        );
        let name = match parse_person_name(&input.given_name, &input.family_name) {
            Ok(name) => Some(name),
            Err(problems) => {
                for (field, message) in problems {
                    let field = if field == "given_name" {
                        "name.givenName"
                    } else {
                        "name.familyName"
                    };
                    errors.add(field, message);
                }
                None
            }
        };
        let preferred = errors.check(
            "nickName",
            parse_preferred_name(input.preferred_given_name.as_deref().unwrap_or("")),
        );
        // The preferred name must pass the same offensive-name check as the professional name.
        if let Some(preferred) = preferred.as_deref().filter(|p| !p.is_empty())
            && parse_person_name(preferred, "Smith").is_err()
        {
            errors.add("nickName", "Please use a professional name.");
        }
        // A person needs an email to be found and to sign in; userName often is one.
        let email_source = input
            .email
            .clone()
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| input.user_name.clone());
        let email = errors.check("emails", parse_email(&email_source));
        let title = errors.check("title", parse_fact(input.title.as_deref().unwrap_or("")));
        let department = errors.check(
            "department",
            parse_fact(input.department.as_deref().unwrap_or("")),
        );
        let employee_number = optional_identifier(
            &mut errors,
            "employeeNumber",
            input.employee_number.as_deref(),
            MAX_EMPLOYEE_NUMBER_CHARS,
        );
        let (
            Some(user_name),
            Some(name),
            Some(preferred),
            Some(email),
            Some(title),
            Some(department),
        ) = (user_name, name, preferred, email, title, department)
        else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        // Verified names and job facts are shown everywhere: the content check applies.
        let check = self.content_check().await?;
        for (field, text) in [
            ("name.givenName", name.given_name.as_str()),
            ("name.familyName", name.family_name.as_str()),
            ("nickName", preferred.as_str()),
            ("title", title.as_str()),
            ("department", department.as_str()),
        ] {
            if !text.is_empty() {
                let verdict = check.check(text);
                if verdict.action != Action::Allow {
                    errors.add(field, verdict.message());
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(ValidUser {
            user_name_key: user_name.to_lowercase(),
            user_name,
            external_id,
            email: email.as_str().to_owned(),
            display_name: display_name(&name.given_name, &preferred, &name.family_name),
            given_name: name.given_name,
            family_name: name.family_name,
            preferred_given_name: preferred,
            active: input.active,
            title,
            department,
            employee_number,
            manager_id: input.manager_id,
        })
    }

    pub async fn scim_create_user(
        &self,
        directory: Directory,
        input: &ProvisionedUser,
    ) -> AppResult<DirectoryUserRow> {
        let valid = self.validate_user(input).await?;
        let mut tx = self.db().begin().await?;
        if store::linked_user_by_name(&mut tx, directory.id, &valid.user_name_key)
            .await?
            .is_some()
        {
            return Err(uniqueness(
                "This directory already has a user with this userName.",
            ));
        }
        let existing = store::user_by_email(&mut tx, &valid.email).await?;
        // A member who signed up before the directory was connected is adopted by their email,
        // as directories expect, unless this directory already provisioned them.
        if let Some(existing) = &existing
            && store::is_linked_user(&mut tx, directory.id, existing.id).await?
        {
            return Err(uniqueness(
                "This directory already has a user with this email.",
            ));
        }
        let user_id = self
            .write_user(&mut tx, directory, existing, &valid, "scim.user.created")
            .await?;
        tx.commit().await?;
        self.inner.viewers.forget_person(user_id);
        self.scim_user(directory, user_id).await
    }

    pub async fn scim_replace_user(
        &self,
        directory: Directory,
        id: i64,
        input: &ProvisionedUser,
    ) -> AppResult<DirectoryUserRow> {
        let valid = self.validate_user(input).await?;
        let mut tx = self.db().begin().await?;
        if !store::is_linked_user(&mut tx, directory.id, id).await? {
            return Err(AppError::NotFound);
        }
        if store::linked_user_by_name(&mut tx, directory.id, &valid.user_name_key)
            .await?
            .is_some_and(|other| other != id)
        {
            return Err(uniqueness(
                "This directory already has a user with this userName.",
            ));
        }
        let existing = store::user_by_id(&mut tx, id).await?;
        self.write_user(&mut tx, directory, existing, &valid, "scim.user.updated")
            .await?;
        tx.commit().await?;
        self.inner.viewers.forget_person(id);
        self.scim_user(directory, id).await
    }

    async fn write_user(
        &self,
        tx: &mut Tx,
        directory: Directory,
        existing: Option<store::ExistingUser>,
        valid: &ValidUser,
        action: &str,
    ) -> AppResult<i64> {
        let now = clock::now();
        if let Some(manager) = valid.manager_id
            && (existing.as_ref().is_some_and(|e| e.id == manager)
                || !store::is_linked_user(tx, directory.id, manager).await?)
        {
            return Err(AppError::invalid(
                "manager",
                "The manager must be another user of this directory.",
            ));
        }
        let status = next_status(existing.as_ref().map(|e| e.status.as_str()), valid.active);
        let fields = ProvisionedFields {
            email: &valid.email,
            given_name: &valid.given_name,
            family_name: &valid.family_name,
            preferred_given_name: &valid.preferred_given_name,
            display_name: &valid.display_name,
            status: &status,
            title: &valid.title,
            department: &valid.department,
            employee_number: valid.employee_number.as_deref(),
            manager_id: valid.manager_id,
            now,
        };
        let email_taken = |error: StoreError| match error {
            StoreError::Conflict => uniqueness("Another member already uses this email."),
            other => other.into(),
        };
        let user_id = match &existing {
            Some(person) => {
                store::update_user(tx, person.id, &fields)
                    .await
                    .map_err(email_taken)?;
                if person.display_name != valid.display_name {
                    guildhall_store::profiles::insert_name_history(
                        tx,
                        &guildhall_store::profiles::NameChange {
                            user_id: person.id,
                            old_name: &person.display_name,
                            new_name: &valid.display_name,
                            source: "directory",
                            changed_by: None,
                            reason: "Changed in the organisation's directory",
                            at: now,
                        },
                    )
                    .await?;
                }
                person.id
            }
            None => store::insert_user(tx, &fields).await.map_err(email_taken)?,
        };
        store::put_user_link(
            tx,
            directory.id,
            user_id,
            &valid.user_name,
            &valid.user_name_key,
            valid.external_id.as_deref(),
            now,
        )
        .await?;
        super::index_person(tx, user_id, &valid.display_name, now).await?;
        if status != "active" {
            people_store::end_sessions(tx, user_id).await?;
        }
        record_audit(
            tx,
            None,
            action,
            &format!("user:{user_id}"),
            json!({ "directory_id": directory.id, "status": status }),
        )
        .await?;
        Ok(user_id)
    }

    /// Deprovisioning: the member is deactivated and signed out everywhere, and the directory
    /// forgets them. Their posts, threads and any HR case stay, since evidence must outlive the
    /// account.
    pub async fn scim_delete_user(&self, directory: Directory, id: i64) -> AppResult<()> {
        let mut tx = self.db().begin().await?;
        if !store::delete_user_link(&mut tx, directory.id, id).await? {
            return Err(AppError::NotFound);
        }
        let existing = store::user_by_id(&mut tx, id).await?;
        let status = next_status(existing.as_ref().map(|e| e.status.as_str()), false);
        people_store::set_status(&mut tx, id, &status, clock::now()).await?;
        people_store::end_sessions(&mut tx, id).await?;
        record_audit(
            &mut tx,
            None,
            "scim.user.deleted",
            &format!("user:{id}"),
            json!({ "directory_id": directory.id, "status": status }),
        )
        .await?;
        tx.commit().await?;
        self.inner.viewers.forget_person(id);
        Ok(())
    }

    // ---- groups ----

    pub async fn scim_groups(&self, directory: Directory) -> AppResult<Vec<DirectoryGroup>> {
        let groups = store::directory_groups(self.db(), directory.id).await?;
        let mut members = store::group_members(self.db(), directory.id, None).await?;
        Ok(groups
            .into_iter()
            .map(|group| {
                let mine: Vec<GroupMemberRow> = members
                    .extract_if(.., |m| m.space_id == group.space_id)
                    .collect();
                DirectoryGroup {
                    group,
                    members: mine,
                }
            })
            .collect())
    }

    pub async fn scim_group(&self, directory: Directory, id: i64) -> AppResult<DirectoryGroup> {
        let group = store::directory_group(self.db(), directory.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let members = store::group_members(self.db(), directory.id, Some(id)).await?;
        Ok(DirectoryGroup { group, members })
    }

    /// The group's name and external id, checked before its transaction begins (the content
    /// check may load the organisation's rules through the pool).
    async fn validate_group(
        &self,
        input: &ProvisionedGroup,
    ) -> AppResult<(String, Option<String>)> {
        let mut errors = FieldErrors::new();
        let name = errors.check("displayName", parse_space_name(&input.display_name));
        let external_id = optional_identifier(
            &mut errors,
            "externalId",
            input.external_id.as_deref(),
            MAX_IDENTIFIER_CHARS,
        );
        let Some(name) = name else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let verdict = self.content_check().await?.check(&name);
        if verdict.action != Action::Allow {
            return Err(AppError::invalid("displayName", verdict.message()));
        }
        Ok((name, external_id))
    }

    /// A new group becomes a team space, or takes over an existing team or cohort space of the
    /// same name that no directory manages yet.
    pub async fn scim_create_group(
        &self,
        directory: Directory,
        input: &ProvisionedGroup,
    ) -> AppResult<DirectoryGroup> {
        let (name, external_id) = self.validate_group(input).await?;
        let mut tx = self.db().begin().await?;
        let members = linked_members(&mut tx, directory, input).await?;
        let now = clock::now();
        let base = slugify(&name);
        let mut space_id = None;
        for attempt in 1..=50 {
            let slug = if attempt == 1 {
                base.clone()
            } else {
                format!("{base}-{attempt}")
            };
            match store::space_by_slug(&mut tx, &slug).await? {
                Some(space)
                    if (space.kind == SpaceKind::Team.as_str()
                        || space.kind == SpaceKind::Cohort.as_str())
                        && !store::space_is_linked(&mut tx, space.id).await? =>
                {
                    space_id = Some(space.id);
                    break;
                }
                Some(_) => continue,
                None => {
                    let id = store::insert_group_space(
                        &mut tx,
                        &slug,
                        &name,
                        SpaceKind::Team.as_str(),
                        // Listed, so people find their team; joined through the directory.
                        Visibility::InviteOnly.as_str(),
                        now,
                    )
                    .await?;
                    index_space(&mut tx, id, &name, now).await?;
                    space_id = Some(id);
                    break;
                }
            }
        }
        let space_id = space_id.ok_or_else(|| uniqueness("Too many spaces have this name."))?;
        store::put_group_link(
            &mut tx,
            directory.id,
            space_id,
            &name,
            external_id.as_deref(),
            now,
        )
        .await?;
        sync_members(&mut tx, directory, space_id, &members, now).await?;
        record_audit(
            &mut tx,
            None,
            "scim.group.created",
            &format!("space:{space_id}"),
            json!({ "directory_id": directory.id }),
        )
        .await?;
        tx.commit().await?;
        self.scim_group(directory, space_id).await
    }

    pub async fn scim_replace_group(
        &self,
        directory: Directory,
        id: i64,
        input: &ProvisionedGroup,
    ) -> AppResult<DirectoryGroup> {
        let current = store::directory_group(self.db(), directory.id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (name, external_id) = self.validate_group(input).await?;
        let mut tx = self.db().begin().await?;
        let members = linked_members(&mut tx, directory, input).await?;
        let now = clock::now();
        if current.display_name != name {
            store::rename_space(&mut tx, id, &name, now).await?;
            index_space(&mut tx, id, &name, current.created_at).await?;
        }
        store::put_group_link(
            &mut tx,
            directory.id,
            id,
            &name,
            external_id.as_deref(),
            now,
        )
        .await?;
        sync_members(&mut tx, directory, id, &members, now).await?;
        record_audit(
            &mut tx,
            None,
            "scim.group.updated",
            &format!("space:{id}"),
            json!({ "directory_id": directory.id }),
        )
        .await?;
        tx.commit().await?;
        self.scim_group(directory, id).await
    }

    /// The directory lets go of the group; the space, its members and its content stay.
    pub async fn scim_delete_group(&self, directory: Directory, id: i64) -> AppResult<()> {
        let mut tx = self.db().begin().await?;
        if !store::delete_group_link(&mut tx, directory.id, id).await? {
            return Err(AppError::NotFound);
        }
        record_audit(
            &mut tx,
            None,
            "scim.group.deleted",
            &format!("space:{id}"),
            json!({ "directory_id": directory.id }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Makes the directory's people in the space exactly `members`; others are left alone.
async fn sync_members(
    tx: &mut Tx,
    directory: Directory,
    space_id: i64,
    members: &BTreeSet<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let current: BTreeSet<i64> = store::group_member_ids(tx, directory.id, space_id)
        .await?
        .into_iter()
        .collect();
    for added in members.difference(&current) {
        store::add_member(tx, space_id, *added, now).await?;
    }
    for removed in current.difference(members) {
        spaces_store::delete_membership(tx, space_id, *removed).await?;
    }
    Ok(())
}

/// The group's members, each of whom must be a user of this directory.
async fn linked_members(
    tx: &mut Tx,
    directory: Directory,
    input: &ProvisionedGroup,
) -> AppResult<BTreeSet<i64>> {
    let members: BTreeSet<i64> = input.members.iter().copied().collect();
    for member in &members {
        if !store::is_linked_user(tx, directory.id, *member).await? {
            return Err(AppError::invalid(
                "members",
                format!("{member} is not a user of this directory."),
            ));
        }
    }
    Ok(members)
}

async fn index_space(tx: &mut Tx, id: i64, name: &str, created_at: DateTime<Utc>) -> AppResult<()> {
    let doc = SearchDoc {
        kind: DocKind::Space,
        id,
        title: name,
        body: "",
        space_id: Some(id),
        thread_id: None,
        author_id: None,
        thread_kind: None,
        created_at,
    };
    Ok(search::index(tx, &doc).await?)
}
