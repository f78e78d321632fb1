//! Opting in to (and out of) getting an accountability partner, per cohort or organisation-wide.

use super::PartnerScope;
use crate::moderation::Place;
use crate::people::Viewer;
use crate::{App, AppError, AppResult, clock};
use guildhall_domain::FieldErrors;
use guildhall_domain::partners::{format_clock, parse_focus, parse_working_hours};
use guildhall_domain::spaces::{MembershipStatus, SpaceKind};
use guildhall_store::partners::{self as store, NewOptIn};
use serde::Serialize;

#[derive(Debug, Clone, Default)]
pub struct OptInInput {
    /// A cohort's (or team's) address; empty for the organisation.
    pub space: String,
    /// What the person wants to work on, comma-separated.
    pub focus: String,
    /// Working hours in their own time zone, "09:00".
    pub work_start: String,
    pub work_end: String,
    /// A previous partner they would like again (both must ask).
    pub ask_again_user_id: Option<i64>,
}

/// One place the person could have a partner, and whether they opted in there.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerScopeOption {
    pub scope: PartnerScope,
    pub opt_in: Option<OptInView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OptInView {
    pub focus: Vec<String>,
    pub work_start: String,
    pub work_end: String,
    pub ask_again_user_id: Option<i64>,
}

impl App {
    /// Opts in (or updates the opt-in) for a scope.
    pub async fn opt_in_for_partner(
        &self,
        viewer: &Viewer,
        input: &OptInInput,
    ) -> AppResult<OptInView> {
        let scope = self.member_scope(viewer, Some(&input.space)).await?;
        let mut errors = FieldErrors::new();
        let focus = errors.check("focus", parse_focus(&input.focus));
        let hours = match parse_working_hours(&input.work_start, &input.work_end) {
            Ok(hours) => Some(hours),
            Err(problems) => {
                for (field, message) in problems.iter() {
                    errors.add(field, message);
                }
                None
            }
        };
        if let Some(partner) = input.ask_again_user_id {
            let previous = store::previous_partners(self.db(), scope.key()).await?;
            if !previous.contains(&(viewer.id, partner)) {
                errors.add(
                    "ask_again_user_id",
                    "You can only ask again for someone who was your partner.",
                );
            }
        }
        let (Some(focus), Some((work_start, work_end))) = (focus, hours) else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let focus_text = focus.join(", ");
        self.screen(
            viewer,
            Place::Partners,
            scope.space_id,
            &[("focus", &focus_text)],
            false,
        )
        .await?;
        let mut tx = self.db().begin().await?;
        store::put_opt_in(
            &mut tx,
            &NewOptIn {
                user_id: viewer.id,
                space_id: scope.space_id,
                focus: &focus_text,
                work_start: i64::from(work_start),
                work_end: i64::from(work_end),
                ask_again_user_id: input.ask_again_user_id,
                now: clock::now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(OptInView {
            focus,
            work_start: format_clock(work_start),
            work_end: format_clock(work_end),
            ask_again_user_id: input.ask_again_user_id,
        })
    }

    /// Opts out: the person is not paired again there (a current partnership goes on until it
    /// is ended).
    pub async fn opt_out_of_partners(&self, viewer: &Viewer, space: &str) -> AppResult<()> {
        let scope = if space.is_empty() {
            PartnerScope::organisation()
        } else {
            // Someone who left the space may still opt out of it.
            self.space(viewer, space).await.map(|s| PartnerScope {
                space_id: Some(s.id),
                slug: Some(s.slug),
                name: s.name,
            })?
        };
        let mut tx = self.db().begin().await?;
        let removed = store::delete_opt_in(&mut tx, viewer.id, scope.key()).await?;
        tx.commit().await?;
        if removed {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Where the person can have a partner: the organisation, then their cohorts and teams,
    /// each with their opt-in if any.
    pub async fn partner_scope_options(
        &self,
        viewer: &Viewer,
    ) -> AppResult<Vec<PartnerScopeOption>> {
        let opt_ins = store::opt_ins_of(self.db(), viewer.id).await?;
        let view = |space_id: Option<i64>| {
            opt_ins
                .iter()
                .find(|o| o.space_id == space_id)
                .map(|o| OptInView {
                    focus: parse_focus(&o.focus).unwrap_or_default(),
                    work_start: format_clock(i32::try_from(o.work_start).unwrap_or(0)),
                    work_end: format_clock(i32::try_from(o.work_end).unwrap_or(0)),
                    ask_again_user_id: o.ask_again_user_id,
                })
        };
        let mut options = vec![PartnerScopeOption {
            scope: PartnerScope::organisation(),
            opt_in: view(None),
        }];
        for space in self.my_spaces(viewer).await? {
            let pairs_here = matches!(space.kind, SpaceKind::Cohort | SpaceKind::Team)
                && space.my_status == Some(MembershipStatus::Active);
            if pairs_here {
                options.push(PartnerScopeOption {
                    opt_in: view(Some(space.id)),
                    scope: PartnerScope {
                        space_id: Some(space.id),
                        slug: Some(space.slug),
                        name: space.name,
                    },
                });
            }
        }
        Ok(options)
    }
}
