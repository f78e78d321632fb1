//! Spaces: creating them, finding them, joining, leaving, requests, invitations, facilitators.

use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use chrono::{DateTime, Utc};
use guildhall_domain::FieldErrors;
use guildhall_domain::people::{Role, parse_email};
use guildhall_domain::spaces::{
    JoinOutcome, MAX_DESCRIPTION_CHARS, MembershipStatus, SpaceKind, SpaceRole, Visibility,
    join_outcome, parse_long_text, parse_space_name, slugify,
};
use guildhall_domain::threads::render_markdown;
use guildhall_store::search::{self, DocKind, SearchDoc};
use guildhall_store::spaces::{self as store, NewSpace, SpaceRow};
use guildhall_store::{StoreError, people as people_store};
use serde::Serialize;

pub const DIRECTORY_PAGE: i64 = 50;
pub const MEMBERS_PAGE: i64 = 100;

/// What a person types to create or change a space.
#[derive(Debug, Clone, Default)]
pub struct SpaceInput {
    pub name: String,
    pub kind: String,
    pub visibility: String,
    pub description: String,
    pub rules: String,
}

struct ValidSpace {
    name: String,
    kind: SpaceKind,
    visibility: Visibility,
    description: String,
    rules: String,
}

impl SpaceInput {
    fn validate(&self) -> Result<ValidSpace, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", parse_space_name(&self.name));
        let kind = errors.check(
            "kind",
            SpaceKind::parse(&self.kind)
                .ok_or_else(|| "Choose community, cohort, event or team.".to_owned()),
        );
        let visibility = errors.check(
            "visibility",
            Visibility::parse(&self.visibility)
                .ok_or_else(|| "Choose open, on request, invite only or secret.".to_owned()),
        );
        let description = errors.check(
            "description",
            parse_long_text(&self.description, MAX_DESCRIPTION_CHARS, false),
        );
        let rules = errors.check(
            "rules",
            parse_long_text(&self.rules, MAX_DESCRIPTION_CHARS, false),
        );
        match (name, kind, visibility, description, rules) {
            (Some(name), Some(kind), Some(visibility), Some(description), Some(rules)) => {
                Ok(ValidSpace {
                    name,
                    kind,
                    visibility,
                    description,
                    rules,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A space as one person sees it, with what they may do there.
#[derive(Debug, Clone, Serialize)]
pub struct SpaceView {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: SpaceKind,
    pub visibility: Visibility,
    pub description: String,
    pub description_html: String,
    pub rules: String,
    pub rules_html: String,
    pub member_count: i64,
    pub created_at: DateTime<Utc>,
    pub my_status: Option<MembershipStatus>,
    pub my_role: Option<SpaceRole>,
    /// The viewer hears about every new thread.
    pub watching: bool,
}

impl SpaceView {
    fn new(row: SpaceRow, membership: Option<store::MembershipRow>) -> SpaceView {
        SpaceView {
            kind: SpaceKind::parse(&row.kind).unwrap_or(SpaceKind::Community),
            visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Secret),
            description_html: render_markdown(&row.description),
            rules_html: render_markdown(&row.rules),
            my_status: membership
                .as_ref()
                .and_then(|m| MembershipStatus::parse(&m.status)),
            my_role: membership.as_ref().and_then(|m| SpaceRole::parse(&m.role)),
            watching: false,
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
            rules: row.rules,
            member_count: row.member_count,
            created_at: row.created_at,
        }
    }

    pub fn is_member(&self) -> bool {
        self.my_status == Some(MembershipStatus::Active)
    }

    pub fn is_facilitator(&self) -> bool {
        self.is_member() && self.my_role == Some(SpaceRole::Facilitator)
    }

    /// Threads and members are visible to members, and to everyone in an open space.
    pub fn can_read(&self) -> bool {
        self.is_member() || self.visibility.readable_by_outsiders()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DirectoryEntry {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: SpaceKind,
    pub visibility: Visibility,
    pub description: String,
    pub member_count: i64,
    pub my_status: Option<MembershipStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SpaceMember {
    pub user_id: i64,
    pub display_name: String,
    pub role: SpaceRole,
    pub status: MembershipStatus,
    pub since: DateTime<Utc>,
}

fn space_name_taken() -> AppError {
    AppError::invalid("name", "Another space already has this name.")
}

impl App {
    /// Site facilitators and administrators create spaces; the creator facilitates it.
    pub async fn create_space(&self, viewer: &Viewer, input: &SpaceInput) -> AppResult<SpaceView> {
        if !(viewer.has(Role::Facilitator) || viewer.has(Role::Admin)) {
            return Err(AppError::forbidden(
                "role_required",
                "Facilitators and administrators create spaces.",
            ));
        }
        let valid = input.validate()?;
        self.screen_space_text(viewer, None, &valid).await?;
        let base = slugify(&valid.name);
        let now = clock::now();
        // A name that slugifies like an existing one gets a numbered address.
        for attempt in 1..=20 {
            let slug = if attempt == 1 {
                base.clone()
            } else {
                format!("{base}-{attempt}")
            };
            let mut tx = self.db().begin().await?;
            let inserted = store::insert_space(
                &mut tx,
                &NewSpace {
                    slug: &slug,
                    name: &valid.name,
                    kind: valid.kind.as_str(),
                    visibility: valid.visibility.as_str(),
                    description: &valid.description,
                    rules: &valid.rules,
                    created_by: viewer.id,
                    now,
                },
            )
            .await;
            match inserted {
                Ok(id) => {
                    index_space(&mut tx, id, &valid, now).await?;
                    store::put_membership(
                        &mut tx,
                        id,
                        viewer.id,
                        SpaceRole::Facilitator.as_str(),
                        MembershipStatus::Active.as_str(),
                        None,
                        now,
                    )
                    .await?;
                    tx.commit().await?;
                    return self.space(viewer, &slug).await;
                }
                Err(StoreError::Conflict) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(space_name_taken())
    }

    pub async fn update_space(
        &self,
        viewer: &Viewer,
        slug: &str,
        input: &SpaceInput,
    ) -> AppResult<SpaceView> {
        let space = self.space(viewer, slug).await?;
        require_facilitator(&space)?;
        let valid = input.validate()?;
        self.screen_space_text(viewer, Some(space.id), &valid)
            .await?;
        let mut tx = self.db().begin().await?;
        store::update_space(
            &mut tx,
            space.id,
            &valid.name,
            valid.visibility.as_str(),
            &valid.description,
            &valid.rules,
            clock::now(),
        )
        .await?;
        index_space(&mut tx, space.id, &valid, space.created_at).await?;
        tx.commit().await?;
        self.space(viewer, slug).await
    }

    async fn screen_space_text(
        &self,
        viewer: &Viewer,
        space_id: Option<i64>,
        valid: &ValidSpace,
    ) -> AppResult<()> {
        self.screen(
            viewer,
            crate::moderation::Place::Space,
            space_id,
            &[
                ("name", &valid.name),
                ("description", &valid.description),
                ("rules", &valid.rules),
            ],
            false,
        )
        .await?;
        Ok(())
    }

    /// A space by its address. Secret spaces do not exist for people with no standing in them.
    pub async fn space(&self, viewer: &Viewer, slug: &str) -> AppResult<SpaceView> {
        // Addresses are made by `slugify`; anything else (NUL included) names no space.
        let plausible = slug.len() <= 200
            && slug
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        if !plausible {
            return Err(AppError::NotFound);
        }
        let row = store::space_by_slug(self.db(), slug)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut view = self.visible_view(viewer, row).await?;
        view.watching = store::is_watching(self.db(), view.id, viewer.id).await?;
        Ok(view)
    }

    /// The same by id, for thread pages (without the watching flag, which they do not show).
    pub(crate) async fn space_by_id(&self, viewer: &Viewer, id: i64) -> AppResult<SpaceView> {
        let row = store::space_by_id(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.visible_view(viewer, row).await
    }

    /// A space as someone with no standing in it sees it: people on another platform whose
    /// messages one of the space's connectors carries in (the connector lets them, not a
    /// membership).
    pub(crate) async fn space_from_outside(&self, id: i64) -> AppResult<SpaceView> {
        let row = store::space_by_id(self.db(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(SpaceView::new(row, None))
    }

    /// The viewer's view of a space; secret spaces do not exist for people with no standing.
    async fn visible_view(&self, viewer: &Viewer, row: SpaceRow) -> AppResult<SpaceView> {
        let membership = store::membership(self.db(), row.id, viewer.id).await?;
        let view = SpaceView::new(row, membership);
        if view.visibility == Visibility::Secret && view.my_status.is_none() {
            return Err(AppError::NotFound);
        }
        Ok(view)
    }

    /// The directory: every listed space and the secret ones the person belongs to, by name.
    pub async fn directory(
        &self,
        viewer: &Viewer,
        after: Option<(&str, i64)>,
    ) -> AppResult<Vec<DirectoryEntry>> {
        let (after_name, after_id) = after.unwrap_or(("", 0));
        let after_name =
            guildhall_domain::fields::query_text(after_name, 300).map_err(AppError::BadRequest)?;
        let rows =
            store::directory(self.db(), viewer.id, &after_name, after_id, DIRECTORY_PAGE).await?;
        Ok(rows.into_iter().map(directory_entry).collect())
    }

    pub async fn my_spaces(&self, viewer: &Viewer) -> AppResult<Vec<DirectoryEntry>> {
        Ok(store::spaces_of(self.db(), viewer.id)
            .await?
            .into_iter()
            .map(directory_entry)
            .collect())
    }

    /// Joins an open space (or one the person is invited to), or asks to join an on-request one.
    pub async fn join_space(&self, viewer: &Viewer, slug: &str) -> AppResult<MembershipStatus> {
        let space = self.space(viewer, slug).await?;
        if space.is_member() {
            return Ok(MembershipStatus::Active);
        }
        let invited = space.my_status == Some(MembershipStatus::Invited);
        let status = match join_outcome(space.visibility, invited) {
            JoinOutcome::Joined => MembershipStatus::Active,
            JoinOutcome::Requested => MembershipStatus::Requested,
            JoinOutcome::InvitationNeeded => {
                return Err(AppError::forbidden(
                    "invitation_required",
                    "This space is by invitation: ask one of its facilitators.",
                ));
            }
        };
        let role = space.my_role.unwrap_or(SpaceRole::Member);
        let mut tx = self.db().begin().await?;
        store::put_membership(
            &mut tx,
            space.id,
            viewer.id,
            role.as_str(),
            status.as_str(),
            None,
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        if status == MembershipStatus::Active {
            self.publish(crate::notify::LiveEvent::Watch {
                kind: crate::insights::WatchKind::Member,
                space_id: Some(space.id),
                for_user: None,
            });
        }
        Ok(status)
    }

    /// Leaves a space (or withdraws a request, or declines an invitation).
    pub async fn leave_space(&self, viewer: &Viewer, slug: &str) -> AppResult<()> {
        let space = self.space(viewer, slug).await?;
        let mut tx = self.db().begin().await?;
        if space.is_facilitator() && store::count_facilitators(&mut tx, space.id).await? <= 1 {
            return Err(AppError::Conflict {
                code: "last_facilitator",
                message:
                    "A space needs a facilitator: make someone else facilitator before you leave."
                        .into(),
            });
        }
        if !store::delete_membership(&mut tx, space.id, viewer.id).await? {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Watch (hear about every new thread) or stop watching a space the viewer can read.
    pub async fn watch_space(&self, viewer: &Viewer, slug: &str, watching: bool) -> AppResult<()> {
        let space = self.space(viewer, slug).await?;
        if !space.can_read() {
            return Err(members_only());
        }
        store::set_watching(self.db(), space.id, viewer.id, watching, clock::now()).await?;
        Ok(())
    }

    /// Facilitators invite a person by email; the person then joins from the space page.
    pub async fn invite_to_space(&self, viewer: &Viewer, slug: &str, email: &str) -> AppResult<()> {
        let space = self.space(viewer, slug).await?;
        require_facilitator(&space)?;
        let email = parse_email(email).map_err(|message| AppError::invalid("email", message))?;
        let person = people_store::user_by_email(self.db(), email.as_str())
            .await?
            .ok_or_else(|| {
                AppError::invalid(
                    "email",
                    "Nobody with this email address has an account yet.",
                )
            })?;
        match store::membership(self.db(), space.id, person.id).await? {
            Some(m) if m.status == MembershipStatus::Active.as_str() => {
                return Err(AppError::invalid(
                    "email",
                    "This person is already a member.",
                ));
            }
            // An open request is simply approved.
            Some(m) if m.status == MembershipStatus::Requested.as_str() => {
                return self.approve_member(viewer, slug, person.id).await;
            }
            _ => {}
        }
        let mut tx = self.db().begin().await?;
        store::put_membership(
            &mut tx,
            space.id,
            person.id,
            SpaceRole::Member.as_str(),
            MembershipStatus::Invited.as_str(),
            Some(viewer.id),
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn approve_member(&self, viewer: &Viewer, slug: &str, user_id: i64) -> AppResult<()> {
        let space = self.space(viewer, slug).await?;
        require_facilitator(&space)?;
        let pending = store::membership(self.db(), space.id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if pending.status != MembershipStatus::Requested.as_str() {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db().begin().await?;
        store::put_membership(
            &mut tx,
            space.id,
            user_id,
            &pending.role,
            MembershipStatus::Active.as_str(),
            Some(viewer.id),
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn decline_member(&self, viewer: &Viewer, slug: &str, user_id: i64) -> AppResult<()> {
        let space = self.space(viewer, slug).await?;
        require_facilitator(&space)?;
        let pending = store::membership(self.db(), space.id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if pending.status != MembershipStatus::Requested.as_str() {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db().begin().await?;
        store::delete_membership(&mut tx, space.id, user_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes an active member a facilitator or a member again; a space keeps one facilitator.
    pub async fn set_space_role(
        &self,
        viewer: &Viewer,
        slug: &str,
        user_id: i64,
        role: &str,
    ) -> AppResult<()> {
        let space = self.space(viewer, slug).await?;
        require_facilitator(&space)?;
        let role = SpaceRole::parse(role)
            .ok_or_else(|| AppError::invalid("role", "Choose member or facilitator."))?;
        let current = store::membership(self.db(), space.id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if current.status != MembershipStatus::Active.as_str() {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db().begin().await?;
        if current.role == SpaceRole::Facilitator.as_str()
            && role == SpaceRole::Member
            && store::count_facilitators(&mut tx, space.id).await? <= 1
        {
            return Err(AppError::Conflict {
                code: "last_facilitator",
                message: "A space needs a facilitator.".into(),
            });
        }
        store::put_membership(
            &mut tx,
            space.id,
            user_id,
            role.as_str(),
            MembershipStatus::Active.as_str(),
            None,
            clock::now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Members (for those who can read the space) or pending requests (facilitators only).
    pub async fn space_members(
        &self,
        viewer: &Viewer,
        slug: &str,
        status: MembershipStatus,
        after: i64,
    ) -> AppResult<Vec<SpaceMember>> {
        let space = self.space(viewer, slug).await?;
        match status {
            MembershipStatus::Active if space.can_read() => {}
            MembershipStatus::Active => return Err(members_only()),
            _ => require_facilitator(&space)?,
        }
        let rows = store::members(
            self.db(),
            space.id,
            status.as_str(),
            after.max(0),
            MEMBERS_PAGE,
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|m| SpaceMember {
                user_id: m.user_id,
                display_name: m.display_name,
                role: SpaceRole::parse(&m.role).unwrap_or(SpaceRole::Member),
                status: MembershipStatus::parse(&m.status).unwrap_or(status),
                since: m.created_at,
            })
            .collect())
    }
}

async fn index_space(
    tx: &mut guildhall_store::Tx,
    id: i64,
    space: &ValidSpace,
    created_at: DateTime<Utc>,
) -> AppResult<()> {
    let doc = SearchDoc {
        kind: DocKind::Space,
        id,
        title: &space.name,
        body: &space.description,
        space_id: Some(id),
        thread_id: None,
        author_id: None,
        thread_kind: None,
        created_at,
    };
    Ok(search::index(tx, &doc).await?)
}

fn directory_entry(row: store::DirectoryRow) -> DirectoryEntry {
    DirectoryEntry {
        kind: SpaceKind::parse(&row.kind).unwrap_or(SpaceKind::Community),
        visibility: Visibility::parse(&row.visibility).unwrap_or(Visibility::Secret),
        my_status: row.my_status.as_deref().and_then(MembershipStatus::parse),
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        member_count: row.member_count,
    }
}

pub(crate) async fn is_active_member(app: &App, space_id: i64, user_id: i64) -> AppResult<bool> {
    Ok(store::membership(app.db(), space_id, user_id)
        .await?
        .is_some_and(|m| m.status == MembershipStatus::Active.as_str()))
}

pub(crate) fn members_only() -> AppError {
    AppError::forbidden(
        "members_only",
        "Only members of this space can see this. Join it first.",
    )
}

pub(crate) fn require_facilitator(space: &SpaceView) -> AppResult<()> {
    if space.is_facilitator() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "facilitator_required",
            "Only the facilitators of this space can do this.",
        ))
    }
}
