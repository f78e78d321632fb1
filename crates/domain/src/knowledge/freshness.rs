//! Whether a resource can still be trusted: the library marks what nobody has looked at for
//! half a year, and what readers say no longer holds, and asks the owner to review it.
//!
//! The rules, in order:
//! - **Outdated** when at least [`OUTDATED_FLAGS`] people flagged it outdated *and* the flags
//!   outnumber the "helpful" ratings: one reader's flag is an opinion, and a resource many still
//!   find helpful is not outdated for them. Both counts are of ratings since the last review:
//!   reviewing answers the flags.
//! - **Due for review** when it was last reviewed [`REVIEW_AFTER_DAYS`] days ago or more, or when
//!   any flag since the last review stands: the owner should look, the readers need not worry.
//! - **Fresh** otherwise.

use crate::spaces::word_enum;
use chrono::NaiveDate;

/// Half a year: most guidance at work changes on that rhythm (a process, a tool's version).
pub const REVIEW_AFTER_DAYS: i64 = 180;
/// People who must flag a resource before it is shown as outdated.
pub const OUTDATED_FLAGS: u32 = 2;
/// The owner is reminded at most this often about one resource: a nudge, not nagging.
pub const REMIND_EVERY_DAYS: i64 = 30;

word_enum!(
    /// How a resource is shown, and whether its owner is asked to review it.
    Freshness {
        Fresh => "fresh" / "Fresh",
        DueForReview => "due_for_review" / "Due for review",
        Outdated => "outdated" / "May be outdated",
    }
);

/// The state of a resource last reviewed (or created) on `last_reviewed`, with the outdated
/// flags and helpful ratings given since then.
pub fn freshness(
    last_reviewed: NaiveDate,
    outdated_flags: u32,
    helpful: u32,
    today: NaiveDate,
) -> Freshness {
    if outdated_flags >= OUTDATED_FLAGS && outdated_flags > helpful {
        return Freshness::Outdated;
    }
    let age = (today - last_reviewed).num_days();
    if age >= REVIEW_AFTER_DAYS || outdated_flags > 0 {
        Freshness::DueForReview
    } else {
        Freshness::Fresh
    }
}

/// Whether to remind the owner today: the resource is not fresh, and they were not reminded
/// about it in the last [`REMIND_EVERY_DAYS`] days.
pub fn owner_should_review(
    state: Freshness,
    last_reminded: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    state != Freshness::Fresh
        && last_reminded.is_none_or(|day| (today - day).num_days() >= REMIND_EVERY_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Duration::days(n)
    }

    #[test]
    fn age_makes_a_resource_due_for_review() {
        assert_eq!(freshness(day(0), 0, 0, day(179)), Freshness::Fresh);
        assert_eq!(freshness(day(0), 0, 0, day(180)), Freshness::DueForReview);
        assert_eq!(freshness(day(0), 0, 9, day(400)), Freshness::DueForReview);
        // A review date in the future (clocks disagree) is simply fresh.
        assert_eq!(freshness(day(10), 0, 0, day(0)), Freshness::Fresh);
    }

    #[test]
    fn readers_flags_count_when_several_agree() {
        assert_eq!(freshness(day(0), 1, 0, day(1)), Freshness::DueForReview);
        assert_eq!(freshness(day(0), 2, 0, day(1)), Freshness::Outdated);
        assert_eq!(freshness(day(0), 2, 1, day(1)), Freshness::Outdated);
        assert_eq!(freshness(day(0), 2, 2, day(1)), Freshness::DueForReview);
        assert_eq!(freshness(day(0), 5, 12, day(1)), Freshness::DueForReview);
        assert_eq!(freshness(day(0), 13, 12, day(1)), Freshness::Outdated);
        assert_eq!(Freshness::Outdated.label(), "May be outdated");
        assert_eq!(
            Freshness::parse("due_for_review"),
            Some(Freshness::DueForReview)
        );
    }

    #[test]
    fn owners_are_reminded_monthly_at_most() {
        let today = day(200);
        assert!(!owner_should_review(Freshness::Fresh, None, today));
        assert!(owner_should_review(Freshness::DueForReview, None, today));
        assert!(owner_should_review(
            Freshness::Outdated,
            Some(day(170)),
            today
        ));
        assert!(!owner_should_review(
            Freshness::Outdated,
            Some(day(171)),
            today
        ));
    }

    fn rank(state: Freshness) -> u8 {
        match state {
            Freshness::Fresh => 0,
            Freshness::DueForReview => 1,
            Freshness::Outdated => 2,
        }
    }

    proptest! {
        #[test]
        fn more_flags_time_or_fewer_helpful_never_freshen(
            age in 0i64..1000, flags in 0u32..20, helpful in 0u32..20,
        ) {
            let now = rank(freshness(day(0), flags, helpful, day(age)));
            prop_assert!(rank(freshness(day(0), flags + 1, helpful, day(age))) >= now);
            prop_assert!(rank(freshness(day(0), flags, helpful, day(age + 1))) >= now);
            prop_assert!(rank(freshness(day(0), flags, helpful + 1, day(age))) <= now);
            // Nobody's resource is called outdated on one flag.
            prop_assert!(flags >= OUTDATED_FLAGS || now < 2);
        }
    }
}
