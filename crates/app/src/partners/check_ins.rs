//! Inside a partnership: goals, the weekly check-in the partner sees, replies and
//! encouragement, the check-in day — and the partnership as its members read it.

use super::{
    CheckInView, GoalView, MemberRhythm, PartnerMember, PartnershipView, ReplyView, attendance,
    check_in_weekday, group_members, group_weeks, weekday_label,
};
use crate::insights;
use crate::moderation::Place;
use crate::notify::{NotificationKind, record_linked};
use crate::people::Viewer;
use crate::rewards::{self, Merit, Source};
use crate::{App, AppError, AppResult, clock};
use chrono::Duration;
use guildhall_domain::insights::CheckInReading;
use guildhall_domain::partners::check_ins::{
    Attendance, pair_health, period_of, weekday_from_index,
};
use guildhall_domain::partners::{MAX_GOALS, MAX_REPLY_CHARS, parse_check_in, parse_goal};
use guildhall_domain::rewards::{Earning, streak_earns};
use guildhall_domain::spaces::parse_long_text;
use guildhall_store::StoreError;
use guildhall_store::partners::{self as store, NewCheckIn, NewGoal, PartnershipRow};
use std::collections::BTreeMap;

/// Check-ins shown per page of a partnership.
pub const CHECK_INS_PAGE: i64 = 20;
/// How far back the weeks are read for streaks and health (a streak longer than this shows
/// as this).
const RHYTHM_WEEKS: i64 = 26;

#[derive(Debug, Clone, Default)]
pub struct GoalInput {
    pub what: String,
    pub by_when: String,
    pub how_known: String,
}

#[derive(Debug, Clone, Default)]
pub struct CheckInInput {
    pub progress: i64,
    pub did: String,
    pub blockers: String,
    pub next_step: String,
}

fn ended() -> AppError {
    AppError::Conflict {
        code: "already_ended",
        message: "This partnership has ended.".into(),
    }
}

impl App {
    /// The viewer's partnerships, active first.
    pub async fn my_partnerships(&self, viewer: &Viewer) -> AppResult<Vec<PartnershipView>> {
        let rows = store::partnerships_of(self.db(), viewer.id).await?;
        let mut members = group_members(store::members_with(self.db(), viewer.id).await?);
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let people = members.remove(&row.id).unwrap_or_default();
            views.push(
                self.partnership_view(viewer, row, people, None, false)
                    .await?,
            );
        }
        Ok(views)
    }

    /// One partnership with its goals and a page of check-ins (newest first, before `before`).
    pub async fn partnership(
        &self,
        viewer: &Viewer,
        id: i64,
        before: Option<i64>,
    ) -> AppResult<PartnershipView> {
        let row = self.own_partnership(viewer, id).await?;
        let members = store::members(self.db(), id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        self.partnership_view(viewer, row, members, Some(before.unwrap_or(i64::MAX)), true)
            .await
    }

    async fn partnership_view(
        &self,
        viewer: &Viewer,
        row: PartnershipRow,
        members: Vec<PartnerMember>,
        check_ins_before: Option<i64>,
        with_goals: bool,
    ) -> AppResult<PartnershipView> {
        let today = clock::now().date_naive();
        let since = period_of(today, check_in_weekday(&row)) - Duration::weeks(RHYTHM_WEEKS);
        let weeks = group_weeks(
            store::check_in_weeks(self.db(), Some(row.id), row.scope_key, since).await?,
        );
        let attendance: Vec<(i64, Attendance<'_>)> = members
            .iter()
            .map(|m| (m.user_id, attendance(&row, m.user_id, today, &weeks)))
            .collect();
        let rhythm = attendance
            .iter()
            .map(|(user_id, a)| MemberRhythm {
                user_id: *user_id,
                streak: a.streak(),
                checked_in_this_week: a.checked_in_this_week(),
                missed_in_a_row: a.missed_in_a_row(),
            })
            .collect();
        let health = pair_health(
            &attendance
                .iter()
                .map(|(_, a)| a.clone())
                .collect::<Vec<_>>(),
        );
        let goals = if with_goals {
            store::goals(self.db(), row.id)
                .await?
                .into_iter()
                .map(|g| GoalView {
                    id: g.id,
                    user_id: g.user_id,
                    what: g.what,
                    by_when: g.by_when,
                    how_known: g.how_known,
                    status: g.status,
                })
                .collect()
        } else {
            Vec::new()
        };
        let (check_ins, older_check_ins) = match check_ins_before {
            Some(before) => self.check_in_page(row.id, before).await?,
            None => (Vec::new(), None),
        };
        let change_requested = row.status == "active"
            && store::has_open_change_request(self.db(), row.id, viewer.id).await?;
        Ok(PartnershipView {
            id: row.id,
            scope: self.scope_of(row.space_id).await?,
            active: row.status == "active",
            reasons: serde_json::from_str(&row.reasons).unwrap_or_default(),
            check_in_weekday: row.check_in_weekday,
            check_in_day: weekday_label(row.check_in_weekday),
            formed_at: row.formed_at,
            ended_at: row.ended_at,
            members,
            health,
            rhythm,
            goals,
            check_ins,
            older_check_ins,
            change_requested,
        })
    }

    async fn check_in_page(
        &self,
        partnership_id: i64,
        before: i64,
    ) -> AppResult<(Vec<CheckInView>, Option<i64>)> {
        let mut rows =
            store::check_ins(self.db(), partnership_id, before, CHECK_INS_PAGE + 1).await?;
        let older = if rows.len() > usize::try_from(CHECK_INS_PAGE).unwrap_or(20) {
            rows.pop();
            rows.last().map(|c| c.id)
        } else {
            None
        };
        let oldest = rows.last().map_or(i64::MAX, |c| c.id);
        let mut replies: BTreeMap<i64, Vec<ReplyView>> = BTreeMap::new();
        for r in store::replies(self.db(), partnership_id, oldest).await? {
            replies.entry(r.check_in_id).or_default().push(ReplyView {
                id: r.id,
                user_id: r.user_id,
                display_name: r.display_name,
                kind: r.kind,
                body: r.body,
                created_at: r.created_at,
            });
        }
        let views = rows
            .into_iter()
            .map(|c| CheckInView {
                replies: replies.remove(&c.id).unwrap_or_default(),
                id: c.id,
                user_id: c.user_id,
                display_name: c.display_name,
                week_of: c.period,
                progress: c.progress,
                did: c.did,
                blockers: c.blockers,
                next_step: c.next_step,
                created_at: c.created_at,
            })
            .collect();
        Ok((views, older))
    }

    async fn active_partnership(&self, viewer: &Viewer, id: i64) -> AppResult<PartnershipRow> {
        let row = self.own_partnership(viewer, id).await?;
        if row.status != "active" {
            return Err(ended());
        }
        Ok(row)
    }

    /// Sets one of the viewer's goals (at most three open at once).
    pub async fn add_partner_goal(
        &self,
        viewer: &Viewer,
        partnership_id: i64,
        input: &GoalInput,
    ) -> AppResult<i64> {
        let row = self.active_partnership(viewer, partnership_id).await?;
        let now = clock::now();
        let goal = parse_goal(
            &input.what,
            &input.by_when,
            &input.how_known,
            now.date_naive(),
        )
        .map_err(AppError::Invalid)?;
        self.screen(
            viewer,
            Place::Partners,
            row.space_id,
            &[("what", &goal.what), ("how_known", &goal.how_known)],
            false,
        )
        .await?;
        let mut tx = self.db().begin().await?;
        let open = store::count_open_goals(&mut tx, partnership_id, viewer.id).await?;
        if open >= i64::try_from(MAX_GOALS).unwrap_or(3) {
            return Err(AppError::invalid(
                "what",
                format!("You have {MAX_GOALS} open goals: mark one done or dropped first."),
            ));
        }
        let id = store::insert_goal(
            &mut tx,
            &NewGoal {
                partnership_id,
                user_id: viewer.id,
                what: &goal.what,
                by_when: goal.by_when,
                how_known: &goal.how_known,
                now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks one of the viewer's own goals done, dropped or open again.
    pub async fn set_partner_goal_status(
        &self,
        viewer: &Viewer,
        partnership_id: i64,
        goal_id: i64,
        status: &str,
    ) -> AppResult<()> {
        self.active_partnership(viewer, partnership_id).await?;
        if !matches!(status, "open" | "done" | "dropped") {
            return Err(AppError::invalid("status", "Choose open, done or dropped."));
        }
        let mut tx = self.db().begin().await?;
        if status == "open" {
            let open = store::count_open_goals(&mut tx, partnership_id, viewer.id).await?;
            if open >= i64::try_from(MAX_GOALS).unwrap_or(3) {
                return Err(AppError::invalid(
                    "status",
                    format!("You have {MAX_GOALS} open goals already."),
                ));
            }
        }
        let changed = store::set_goal_status(
            &mut tx,
            partnership_id,
            viewer.id,
            goal_id,
            status,
            clock::now(),
        )
        .await?;
        if !changed {
            return Err(AppError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// This week's check-in; the partner is told and sees it.
    pub async fn check_in(
        &self,
        viewer: &Viewer,
        partnership_id: i64,
        input: &CheckInInput,
    ) -> AppResult<i64> {
        let row = self.active_partnership(viewer, partnership_id).await?;
        let check_in = parse_check_in(
            input.progress,
            &input.did,
            &input.blockers,
            &input.next_step,
        )
        .map_err(AppError::Invalid)?;
        self.screen(
            viewer,
            Place::Partners,
            row.space_id,
            &[
                ("did", &check_in.did),
                ("blockers", &check_in.blockers),
                ("next_step", &check_in.next_step),
            ],
            false,
        )
        .await?;
        let now = clock::now();
        let period = period_of(now.date_naive(), check_in_weekday(&row));
        let members = store::members(self.db(), partnership_id).await?;
        let reading = |progress: i64, blockers: &str| CheckInReading {
            progress,
            has_blocker: !blockers.trim().is_empty(),
        };
        let earlier: Vec<CheckInReading> = store::check_ins(self.db(), partnership_id, i64::MAX, 8)
            .await?
            .into_iter()
            .filter(|c| c.user_id == viewer.id)
            .map(|c| reading(c.progress, &c.blockers))
            .collect();
        // The streak this check-in makes: every fourth week running earns points.
        let since = period - Duration::weeks(RHYTHM_WEEKS);
        let mut weeks = group_weeks(
            store::check_in_weeks(self.db(), Some(row.id), row.scope_key, since).await?,
        );
        weeks.entry((row.id, viewer.id)).or_default().insert(period);
        let streak = i64::from(attendance(&row, viewer.id, now.date_naive(), &weeks).streak());
        let space = crate::xapi::space_for(self, row.space_id).await?;
        let mut tx = self.db().begin().await?;
        let id = store::insert_check_in(
            &mut tx,
            &NewCheckIn {
                partnership_id,
                user_id: viewer.id,
                period,
                progress: check_in.progress,
                did: &check_in.did,
                blockers: &check_in.blockers,
                next_step: &check_in.next_step,
                now,
            },
        )
        .await
        .map_err(|error| match error {
            StoreError::Conflict => AppError::Conflict {
                code: "already_checked_in",
                message: "You checked in this week already. Add to it with a reply.".into(),
            },
            other => other.into(),
        })?;
        let sentence = format!("{} checked in for this week.", viewer.display_name);
        let link = format!("/partners/{partnership_id}#check-in-{id}");
        for member in members.iter().filter(|m| m.user_id != viewer.id) {
            record_linked(
                &mut tx,
                member.user_id,
                NotificationKind::Partners,
                Some(viewer.id),
                &sentence,
                &link,
            )
            .await?;
        }
        if streak_earns(streak) {
            let pair = Source::Partnership(partnership_id);
            let merit = Merit::new(Earning::CheckInStreak, viewer.id, pair)
                .in_space(row.space_id)
                .counting(streak);
            rewards::claim(&mut tx, merit, now).await?;
        }
        let words = format!("{} {}", check_in.did, check_in.blockers);
        insights::note_check_in(
            &mut tx,
            viewer.id,
            (partnership_id, row.space_id),
            reading(check_in.progress, &check_in.blockers),
            &earlier,
            &words,
            now,
        )
        .await?;
        let checked_in = crate::xapi::Moment::CheckedIn { partnership_id };
        let in_space = space.as_ref().map(Into::into);
        crate::xapi::record(self, &mut tx, viewer.id, checked_in, in_space, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A reply to a check-in, or encouragement (`encourage` with an optional word).
    pub async fn reply_to_check_in(
        &self,
        viewer: &Viewer,
        partnership_id: i64,
        check_in_id: i64,
        kind: &str,
        body: &str,
    ) -> AppResult<i64> {
        let row = self.own_partnership(viewer, partnership_id).await?;
        let (owner_partnership, author) = store::check_in_partnership(self.db(), check_in_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if owner_partnership != partnership_id {
            return Err(AppError::NotFound);
        }
        let (kind, required) = match kind {
            "reply" => ("reply", true),
            "encourage" => ("encourage", false),
            _ => return Err(AppError::invalid("kind", "Choose reply or encourage.")),
        };
        let body = parse_long_text(body, MAX_REPLY_CHARS, required)
            .map_err(|m| AppError::invalid("body", m))?;
        if !body.is_empty() {
            self.screen(
                viewer,
                Place::Partners,
                row.space_id,
                &[("body", &body)],
                false,
            )
            .await?;
        }
        let mut tx = self.db().begin().await?;
        let id =
            store::insert_reply(&mut tx, check_in_id, viewer.id, kind, &body, clock::now()).await?;
        if author != viewer.id {
            let sentence = if kind == "encourage" {
                format!("{} encouraged you on your check-in.", viewer.display_name)
            } else {
                format!("{} replied to your check-in.", viewer.display_name)
            };
            record_linked(
                &mut tx,
                author,
                NotificationKind::Partners,
                Some(viewer.id),
                &sentence,
                &format!("/partners/{partnership_id}#check-in-{check_in_id}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The pair's check-in day (0 = Monday); either member may change it.
    pub async fn set_check_in_day(
        &self,
        viewer: &Viewer,
        partnership_id: i64,
        weekday: i64,
    ) -> AppResult<()> {
        self.active_partnership(viewer, partnership_id).await?;
        if weekday_from_index(weekday).is_none() {
            return Err(AppError::invalid("weekday", "Choose a day of the week."));
        }
        let mut tx = self.db().begin().await?;
        store::set_weekday(&mut tx, partnership_id, weekday).await?;
        tx.commit().await?;
        Ok(())
    }
}
