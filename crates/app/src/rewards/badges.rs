//! Badges: the platform's own, awarded when a member's record earns them, and the ones
//! facilitators create and award by hand with a reason. Every award has a public page and an
//! Open Badges credential at a stable address (`credential_key`).

use crate::notify::{NotificationKind, record_linked};
use crate::people::Viewer;
use crate::xapi::{self, Moment};
use crate::{App, AppError, AppResult, clock, secrets};
use chrono::{DateTime, Utc};
use guildhall_domain::fields::single_line;
use guildhall_domain::people::Role;
use guildhall_domain::rewards::{AutoBadge, badges::earned};
use guildhall_store::Tx;
use guildhall_store::rewards::badges::{self as store, AwardRow, BadgeRow, NewBadge};
use guildhall_store::rewards::ledger::record_in;
use serde::Serialize;

/// Holders shown per page of a badge.
const HOLDERS_PAGE: i64 = 50;

#[derive(Debug, Clone, Serialize)]
pub struct BadgeAward {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub emoji: String,
    pub criteria: String,
    pub person_id: i64,
    pub person_name: String,
    pub awarded_by: Option<String>,
    pub reason: String,
    /// The last segment of the credential's public address.
    pub credential_key: String,
    pub revoked: bool,
    pub revoked_reason: String,
    pub awarded_at: DateTime<Utc>,
}

impl From<AwardRow> for BadgeAward {
    fn from(row: AwardRow) -> Self {
        BadgeAward {
            id: row.id,
            slug: row.slug,
            name: row.name,
            emoji: row.emoji,
            criteria: row.criteria,
            person_id: row.user_id,
            person_name: row.display_name,
            awarded_by: row.awarded_by_name,
            reason: row.reason,
            credential_key: row.credential_key,
            revoked: row.revoked_at.is_some(),
            revoked_reason: row.revoked_reason,
            awarded_at: row.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BadgePage {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub criteria: String,
    pub emoji: String,
    /// "auto" (the platform's rules) or "manual" (awarded by facilitators with a reason).
    pub kind: String,
    pub awarded: i64,
    pub holders: Vec<BadgeAward>,
    pub next: Option<i64>,
    /// The viewer may award it by hand.
    pub may_award: bool,
}

fn new_auto_badge(badge: AutoBadge, at: DateTime<Utc>) -> NewBadge<'static> {
    NewBadge {
        slug: badge.slug(),
        name: badge.name(),
        description: badge.criteria(),
        criteria: badge.criteria(),
        emoji: badge.emoji(),
        kind: "auto",
        space_id: None,
        created_by: None,
        at,
    }
}

/// Awards, in the ledger's transaction, the automatic badges the person's record now earns.
pub(super) async fn award_automatic(
    app: &App,
    tx: &mut Tx,
    user_id: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let record = record_in(tx, user_id).await?;
    for badge in earned(&record) {
        let badge_id = store::ensure_in(tx, &new_auto_badge(badge, now)).await?;
        let key = secrets::new_token("")?;
        if store::award_in(tx, badge_id, user_id, None, "", &key, now)
            .await?
            .is_some()
        {
            record_linked(
                tx,
                user_id,
                NotificationKind::Recognition,
                None,
                &format!("You earned the badge “{}”.", badge.name()),
                &format!("/credentials/{key}"),
            )
            .await?;
            let earned = Moment::Earned {
                badge_slug: badge.slug(),
                badge_name: badge.name(),
            };
            xapi::record(app, tx, user_id, earned, None, now).await?;
        }
    }
    Ok(())
}

pub(super) fn may_award(viewer: &Viewer) -> bool {
    viewer.has(Role::Facilitator) || viewer.has(Role::Admin)
}

/// Slugs and credential keys are made of letters, digits, `-` and `_`; anything else (NUL
/// included, which PostgreSQL refuses) names nothing.
pub(super) fn plausible_key(key: &str) -> AppResult<&str> {
    let fits = !key.is_empty()
        && key.len() <= 200
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    fits.then_some(key).ok_or(AppError::NotFound)
}

/// A badge's slug from its name ("Spreadsheet wizard" → "spreadsheet-wizard").
fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

impl App {
    pub async fn badges(&self) -> AppResult<Vec<BadgeRow>> {
        Ok(store::all(self.db()).await?)
    }

    pub async fn badge_page(
        &self,
        viewer: Option<&Viewer>,
        slug: &str,
        before: Option<i64>,
    ) -> AppResult<BadgePage> {
        let badge = self.badge(slug).await?;
        let rows = store::holders(
            self.db(),
            badge.id,
            crate::people::before_cursor(before)?,
            HOLDERS_PAGE,
        )
        .await?;
        let next = (i64::try_from(rows.len()).unwrap_or(0) == HOLDERS_PAGE)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        Ok(BadgePage {
            may_award: badge.kind == "manual" && viewer.is_some_and(may_award),
            slug: badge.slug,
            name: badge.name,
            description: badge.description,
            criteria: badge.criteria,
            emoji: badge.emoji,
            kind: badge.kind,
            awarded: badge.awarded,
            holders: rows.into_iter().map(BadgeAward::from).collect(),
            next,
        })
    }

    /// A badge by its slug; an automatic badge nobody has earned yet exists too.
    pub async fn badge(&self, slug: &str) -> AppResult<BadgeRow> {
        let slug = plausible_key(slug)?;
        match store::by_slug(self.db(), slug).await? {
            Some(badge) => Ok(badge),
            None => self.auto_badge(slug).await,
        }
    }

    /// An automatic badge nobody has earned yet still has its criteria page.
    async fn auto_badge(&self, slug: &str) -> AppResult<BadgeRow> {
        let badge = AutoBadge::ALL
            .into_iter()
            .find(|b| b.slug() == slug)
            .ok_or(AppError::NotFound)?;
        let mut tx = self.db().begin().await?;
        store::ensure_in(&mut tx, &new_auto_badge(badge, clock::now())).await?;
        tx.commit().await?;
        store::by_slug(self.db(), slug)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A facilitator or administrator creates a badge to award by hand. Returns its slug.
    pub async fn create_badge(
        &self,
        viewer: &Viewer,
        name: &str,
        criteria: &str,
        emoji: &str,
    ) -> AppResult<String> {
        if !may_award(viewer) {
            return Err(AppError::forbidden(
                "facilitators_only",
                "Facilitators and administrators create badges.",
            ));
        }
        let name = single_line(name, 60)
            .map_err(|_| AppError::invalid("name", "Name the badge in up to 60 characters."))?;
        let criteria = single_line(criteria, 500).map_err(|_| {
            AppError::invalid(
                "criteria",
                "Say in one paragraph (up to 500 characters) what earns it.",
            )
        })?;
        let emoji = emoji.trim();
        let not_an_emoji = |c: char| c.is_alphanumeric() || c.is_control() || c.is_whitespace();
        if emoji.is_empty() || emoji.chars().count() > 4 || emoji.chars().any(not_an_emoji) {
            return Err(AppError::invalid(
                "emoji",
                "Choose one emoji for the badge.",
            ));
        }
        let slug = slug_of(&name);
        if slug.is_empty() || AutoBadge::ALL.iter().any(|b| b.slug() == slug) {
            return Err(AppError::invalid(
                "name",
                "Choose another name for the badge.",
            ));
        }
        self.screen(
            viewer,
            crate::moderation::Place::Kudos,
            None,
            &[("name", &name), ("criteria", &criteria)],
            false,
        )
        .await?;
        let created = store::create(
            self.db(),
            &NewBadge {
                slug: &slug,
                name: &name,
                description: &criteria,
                criteria: &criteria,
                emoji,
                kind: "manual",
                space_id: None,
                created_by: Some(viewer.id),
                at: clock::now(),
            },
        )
        .await?;
        if !created {
            return Err(AppError::Conflict {
                code: "badge_exists",
                message: format!("A badge named “{name}” exists already."),
            });
        }
        Ok(slug)
    }

    /// A facilitator or administrator awards a hand-made badge, with the reason the member and
    /// the credential will show. Returns the credential key.
    pub async fn award_badge(
        &self,
        viewer: &Viewer,
        slug: &str,
        person_id: i64,
        reason: &str,
    ) -> AppResult<String> {
        let badge = store::by_slug(self.db(), plausible_key(slug)?)
            .await?
            .ok_or(AppError::NotFound)?;
        if badge.kind != "manual" || !may_award(viewer) {
            return Err(AppError::forbidden(
                "not_awardable",
                "Only facilitators and administrators award badges, and only the hand-made ones.",
            ));
        }
        if person_id == viewer.id {
            return Err(AppError::invalid("person", "Badges are for someone else."));
        }
        let person = self.active_person(person_id).await?;
        let reason = single_line(reason, 280).map_err(|_| {
            AppError::invalid(
                "reason",
                "Say in one line (up to 280 characters) why they earned it.",
            )
        })?;
        self.screen(
            viewer,
            crate::moderation::Place::Kudos,
            None,
            &[("reason", &reason)],
            false,
        )
        .await?;
        let now = clock::now();
        let key = secrets::new_token("")?;
        let mut tx = self.db().begin().await?;
        let awarded = store::award_in(
            &mut tx,
            badge.id,
            person_id,
            Some(viewer.id),
            &reason,
            &key,
            now,
        )
        .await?;
        if awarded.is_none() {
            return Err(AppError::Conflict {
                code: "already_awarded",
                message: format!("{} holds “{}” already.", person.display_name, badge.name),
            });
        }
        record_linked(
            &mut tx,
            person_id,
            NotificationKind::Recognition,
            Some(viewer.id),
            &format!(
                "{} awarded you the badge “{}”: {reason}",
                viewer.display_name, badge.name
            ),
            &format!("/credentials/{key}"),
        )
        .await?;
        let earned = Moment::Earned {
            badge_slug: &badge.slug,
            badge_name: &badge.name,
        };
        xapi::record(self, &mut tx, person_id, earned, None, now).await?;
        tx.commit().await?;
        Ok(key)
    }

    /// An administrator revokes an award (given by mistake, or on a sanction); its credential
    /// then fails verification through the status list.
    pub async fn revoke_badge(
        &self,
        viewer: &Viewer,
        credential_key: &str,
        reason: &str,
    ) -> AppResult<()> {
        viewer.require(Role::Admin)?;
        let reason = single_line(reason, 280).map_err(|_| {
            AppError::invalid("reason", "Say in one line why the badge is revoked.")
        })?;
        let award = store::award_by_key(self.db(), plausible_key(credential_key)?)
            .await?
            .ok_or(AppError::NotFound)?;
        if !store::revoke(self.db(), award.id, &reason, clock::now()).await? {
            return Err(AppError::Conflict {
                code: "already_revoked",
                message: "This badge was revoked already.".into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::slug_of;

    #[test]
    fn slugs_of_badge_names() {
        assert_eq!(slug_of("Spreadsheet wizard"), "spreadsheet-wizard");
        assert_eq!(slug_of("  Über -- Helper! "), "über-helper");
        assert_eq!(slug_of("!!!"), "");
    }
}
