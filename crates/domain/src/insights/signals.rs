//! The kinds of care signal, when each one is raised, and who may see it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Hours after which a first post by a new member with no reply raises a signal.
pub const FIRST_POST_HOURS: i64 = 48;
/// Days without a post after which a regular member counts as fallen silent.
pub const SILENT_DAYS: i64 = 14;
/// A regular member: active in at least this many of the six weeks before their silence.
const REGULAR_WEEKS: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    UnansweredQuestion,
    UnansweredFirstPost,
    FellSilent,
    MissedCheckIns,
    LowProgress,
    SaysStuck,
    TargetedByRudeness,
    MissedEvent,
}

impl SignalKind {
    pub const ALL: [SignalKind; 8] = [
        SignalKind::UnansweredQuestion,
        SignalKind::UnansweredFirstPost,
        SignalKind::FellSilent,
        SignalKind::MissedCheckIns,
        SignalKind::LowProgress,
        SignalKind::SaysStuck,
        SignalKind::TargetedByRudeness,
        SignalKind::MissedEvent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::UnansweredQuestion => "unanswered_question",
            SignalKind::UnansweredFirstPost => "unanswered_first_post",
            SignalKind::FellSilent => "fell_silent",
            SignalKind::MissedCheckIns => "missed_check_ins",
            SignalKind::LowProgress => "low_progress",
            SignalKind::SaysStuck => "says_stuck",
            SignalKind::TargetedByRudeness => "targeted_by_rudeness",
            SignalKind::MissedEvent => "missed_event",
        }
    }

    pub fn parse(text: &str) -> Option<SignalKind> {
        SignalKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// How the kind is named on pages.
    pub fn label(self) -> &'static str {
        match self {
            SignalKind::UnansweredQuestion => "Question without an answer",
            SignalKind::UnansweredFirstPost => "First post without a reply",
            SignalKind::FellSilent => "Gone quiet",
            SignalKind::MissedCheckIns => "Missed partner check-ins",
            SignalKind::LowProgress => "Stuck in check-ins",
            SignalKind::SaysStuck => "Said they are stuck",
            SignalKind::TargetedByRudeness => "On the receiving end of rudeness",
            SignalKind::MissedEvent => "Missed an event they signed up for",
        }
    }

    /// Essential signals are about something waiting for help (a question nobody answered,
    /// rudeness aimed at someone) rather than about a person's habits; a member may pause all
    /// the others.
    pub fn is_essential(self) -> bool {
        matches!(
            self,
            SignalKind::UnansweredQuestion | SignalKind::TargetedByRudeness
        )
    }
}

/// How someone is related to the member a signal is about. Only these may see it: HR,
/// managers and administrators have no helping relation by their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Helper {
    /// The member themself.
    Themself,
    /// An accountability partner in an active partnership.
    Partner,
    /// A facilitator of the space where the signal arose.
    Facilitator,
    /// A coach with an active coaching request from the member.
    Coach,
}

impl Helper {
    pub fn as_str(self) -> &'static str {
        match self {
            Helper::Themself => "themself",
            Helper::Partner => "partner",
            Helper::Facilitator => "facilitator",
            Helper::Coach => "coach",
        }
    }

    pub fn parse(text: &str) -> Option<Helper> {
        [
            Helper::Themself,
            Helper::Partner,
            Helper::Facilitator,
            Helper::Coach,
        ]
        .into_iter()
        .find(|h| h.as_str() == text)
    }
}

/// Whether someone with these relations may see a signal: the member always; helpers unless
/// the member paused the kind (non-essential ones only) or the organisation runs in strict
/// mode, where only the member sees their own signals.
pub fn may_see(relation: Helper, kind: SignalKind, paused: bool, strict: bool) -> bool {
    match relation {
        Helper::Themself => true,
        Helper::Partner | Helper::Facilitator | Helper::Coach => {
            !strict && (kind.is_essential() || !paused)
        }
    }
}

/// What a helper does about a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CareStep {
    /// "I'll reach out": so that two helpers do not both write.
    Claim,
    ReachedOut,
    Resolved,
    NotNeeded,
}

impl CareStep {
    pub fn parse(text: &str) -> Option<CareStep> {
        match text {
            "claim" => Some(CareStep::Claim),
            "reached_out" => Some(CareStep::ReachedOut),
            "resolved" => Some(CareStep::Resolved),
            "not_needed" => Some(CareStep::NotNeeded),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CareStep::Claim => "claim",
            CareStep::ReachedOut => "reached_out",
            CareStep::Resolved => "resolved",
            CareStep::NotNeeded => "not_needed",
        }
    }
}

/// The signal's status after `step`, or why not: a signal another helper claimed is theirs
/// until they finish; a finished one is done.
pub fn status_after(
    status: &str,
    step: CareStep,
    claimed_by_someone_else: Option<&str>,
) -> Result<&'static str, String> {
    if matches!(status, "resolved" | "not_needed") {
        return Err("This is done already.".into());
    }
    if let Some(name) = claimed_by_someone_else.filter(|_| status != "open") {
        return Err(format!("{name} is already reaching out."));
    }
    Ok(match step {
        CareStep::Claim => "claimed",
        CareStep::ReachedOut => "reached_out",
        CareStep::Resolved => "resolved",
        CareStep::NotNeeded => "not_needed",
    })
}

/// A member who wrote in at least three of the six weeks before their last post and nothing
/// for `SILENT_DAYS` since: the day of their last post, and the weeks they were active.
/// `post_days` are the days they posted (any order, repeats allowed).
pub fn fell_silent(post_days: &[NaiveDate], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let last = *post_days.iter().max()?;
    if (today - last).num_days() < SILENT_DAYS {
        return None;
    }
    let mut weeks = [false; 6];
    for day in post_days {
        let back = (last - *day).num_days();
        if (0..42).contains(&back) {
            weeks[usize::try_from(back / 7).unwrap_or(0)] = true;
        }
    }
    let active = weeks.iter().filter(|w| **w).count();
    (active >= REGULAR_WEEKS).then_some((last, active))
}

/// What a check-in says about being stuck: its progress (1–5) and whether it names a blocker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInReading {
    pub progress: i64,
    pub has_blocker: bool,
}

/// Low progress twice running (≤ 2 of 5), or a blocker in the latest check-in: the sentence
/// that says why. `recent` is newest first.
pub fn low_progress(recent: &[CheckInReading]) -> Option<String> {
    let latest = recent.first()?;
    if let [a, b, ..] = recent
        && a.progress <= 2
        && b.progress <= 2
    {
        return Some(format!(
            "Rated their progress {} and {} of 5 in their last two check-ins.",
            b.progress, a.progress
        ));
    }
    latest
        .has_blocker
        .then(|| "Named a blocker in their latest check-in.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use proptest::prelude::*;

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn kinds_round_trip_and_two_are_essential() {
        for kind in SignalKind::ALL {
            assert_eq!(SignalKind::parse(kind.as_str()), Some(kind));
        }
        let essential: Vec<_> = SignalKind::ALL
            .into_iter()
            .filter(|k| k.is_essential())
            .collect();
        assert_eq!(
            essential,
            [
                SignalKind::UnansweredQuestion,
                SignalKind::TargetedByRudeness
            ]
        );
    }

    #[test]
    fn strict_mode_and_pauses_hide_signals_from_helpers_only() {
        let k = SignalKind::FellSilent;
        assert!(may_see(Helper::Themself, k, true, true));
        assert!(may_see(Helper::Partner, k, false, false));
        assert!(!may_see(Helper::Partner, k, true, false));
        assert!(!may_see(Helper::Coach, k, false, true));
        assert!(may_see(
            Helper::Facilitator,
            SignalKind::UnansweredQuestion,
            true,
            false
        ));
        assert!(!may_see(
            Helper::Facilitator,
            SignalKind::UnansweredQuestion,
            false,
            true
        ));
    }

    #[test]
    fn helpers_take_turns_and_finish() {
        assert_eq!(status_after("open", CareStep::Claim, None), Ok("claimed"));
        assert_eq!(
            status_after("claimed", CareStep::ReachedOut, None),
            Ok("reached_out")
        );
        assert_eq!(
            status_after("claimed", CareStep::Claim, Some("Ana Lima")),
            Err("Ana Lima is already reaching out.".to_owned())
        );
        // An open signal someone once claimed and released is free again.
        assert_eq!(
            status_after("open", CareStep::Resolved, Some("Ana Lima")),
            Ok("resolved")
        );
        assert!(status_after("resolved", CareStep::Claim, None).is_err());
        for step in ["claim", "reached_out", "resolved", "not_needed"] {
            assert_eq!(CareStep::parse(step).map(CareStep::as_str), Some(step));
        }
        assert_eq!(CareStep::parse("delete"), None);
    }

    #[test]
    fn a_regular_who_went_quiet_is_noticed() {
        let days = [day("2026-10-01"), day("2026-10-09"), day("2026-10-20")];
        assert_eq!(
            fell_silent(&days, day("2026-11-03")),
            Some((day("2026-10-20"), 3))
        );
        // Thirteen days is not yet silence.
        assert_eq!(fell_silent(&days, day("2026-11-02")), None);
        // Two active weeks is not a regular.
        assert_eq!(fell_silent(&days[1..], day("2026-11-20")), None);
        assert_eq!(fell_silent(&[], day("2026-11-20")), None);
    }

    #[test]
    fn low_progress_needs_two_low_check_ins_or_a_blocker() {
        let low = CheckInReading {
            progress: 2,
            has_blocker: false,
        };
        let fine = CheckInReading {
            progress: 4,
            has_blocker: false,
        };
        let blocked = CheckInReading {
            progress: 4,
            has_blocker: true,
        };
        assert!(low_progress(&[low, low]).is_some());
        assert!(low_progress(&[low, fine]).is_none());
        assert!(low_progress(&[low]).is_none());
        assert_eq!(
            low_progress(&[blocked, fine]).as_deref(),
            Some("Named a blocker in their latest check-in.")
        );
        assert!(low_progress(&[fine, blocked]).is_none());
    }

    proptest! {
        #[test]
        fn silence_needs_fourteen_days_and_three_weeks(offsets in proptest::collection::vec(0i64..60, 0..20), gap in 0i64..30) {
            let last = day("2026-10-31");
            let days: Vec<NaiveDate> = offsets.iter().map(|o| last - Duration::days(*o)).collect();
            let today = last + Duration::days(gap);
            if let Some((since, weeks)) = fell_silent(&days, today) {
                prop_assert!((today - since).num_days() >= SILENT_DAYS);
                prop_assert!((REGULAR_WEEKS..=6).contains(&weeks));
                prop_assert!(days.contains(&since));
            }
        }
    }
}
