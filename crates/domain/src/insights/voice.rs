//! Who does the talking: facilitators' share of posts and words, how evenly learners speak
//! (the top tenth's share, Gini), for "listen more, talk less".

use serde::Serialize;

/// Posts and words in one space over one period, split between facilitators and learners.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Voice {
    pub facilitator_posts: u64,
    pub learner_posts: u64,
    pub facilitator_words: u64,
    pub learner_words: u64,
}

impl Voice {
    /// Facilitators' share of the words written (0–1), `None` when nobody wrote.
    pub fn facilitator_share(&self) -> Option<f64> {
        share(
            self.facilitator_words,
            self.facilitator_words + self.learner_words,
        )
    }

    /// Learners' share of the words written (0–1), `None` when nobody wrote.
    pub fn learner_share(&self) -> Option<f64> {
        share(
            self.learner_words,
            self.facilitator_words + self.learner_words,
        )
    }

    pub fn facilitator_post_share(&self) -> Option<f64> {
        share(
            self.facilitator_posts,
            self.facilitator_posts + self.learner_posts,
        )
    }
}

impl std::ops::Add for Voice {
    type Output = Voice;

    fn add(self, other: Voice) -> Voice {
        Voice {
            facilitator_posts: self.facilitator_posts + other.facilitator_posts,
            learner_posts: self.learner_posts + other.learner_posts,
            facilitator_words: self.facilitator_words + other.facilitator_words,
            learner_words: self.learner_words + other.learner_words,
        }
    }
}

fn share(part: u64, total: u64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    (total > 0).then(|| part as f64 / total as f64)
}

/// Share of all posts written by the most active tenth of posters (at least one person): 0.1
/// when everyone writes alike, 1.0 when one person writes everything.
#[allow(clippy::cast_precision_loss)]
pub fn top_decile_share(posts_per_person: &[u64]) -> Option<f64> {
    let total: u64 = posts_per_person.iter().sum();
    if total == 0 {
        return None;
    }
    let mut sorted = posts_per_person.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let top = sorted.len().div_ceil(10);
    share(sorted[..top].iter().sum(), total)
}

/// The Gini coefficient of posts per person: 0 when everyone writes as much, towards 1 when
/// a few write everything.
#[allow(clippy::cast_precision_loss)]
pub fn gini(posts_per_person: &[u64]) -> Option<f64> {
    let total: u64 = posts_per_person.iter().sum();
    let n = posts_per_person.len();
    if total == 0 || n == 0 {
        return None;
    }
    let mut sorted = posts_per_person.to_vec();
    sorted.sort_unstable();
    // G = Σ (2i − n − 1) x_i / (n Σ x), i from 1, x ascending.
    let weighted: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * *x as f64)
        .sum();
    Some(weighted / (n as f64 * total as f64))
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// The Monday a week bucket starts on (buckets count weeks from Monday 1970-01-05).
pub fn week_start(week: i64) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 5)?.checked_add_signed(chrono::Duration::weeks(week))
}

/// The bucket of a moment (the inverse of `week_start` for any time in that week, UTC).
pub fn week_of(at: chrono::DateTime<chrono::Utc>) -> i64 {
    let monday = chrono::NaiveDate::from_ymd_opt(1970, 1, 5).unwrap_or_default();
    (at.date_naive() - monday).num_days().div_euclid(7)
}

/// A facilitator talks too much when their share of the words stayed above `threshold` in each
/// of the last two weeks (`weekly_shares` oldest first; weeks nobody wrote are skipped).
pub fn talks_too_much(weekly_shares: &[Option<f64>], threshold: f64) -> bool {
    let written: Vec<f64> = weekly_shares.iter().flatten().copied().collect();
    written.len() >= 2 && written[written.len() - 2..].iter().all(|s| *s > threshold)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shares_of_the_talk() {
        let voice = Voice {
            facilitator_posts: 3,
            learner_posts: 1,
            facilitator_words: 600,
            learner_words: 400,
        };
        assert_eq!(voice.facilitator_share(), Some(0.6));
        assert_eq!(voice.facilitator_post_share(), Some(0.75));
        assert_eq!(Voice::default().facilitator_share(), None);
        assert_eq!((voice + voice).facilitator_share(), Some(0.6));
        assert_eq!(voice.learner_share(), Some(0.4));
        assert_eq!((voice + Voice::default()).learner_words, 400);
    }

    #[test]
    fn equity_measures_on_known_cases() {
        assert_eq!(gini(&[5, 5, 5, 5]), Some(0.0));
        assert_eq!(gini(&[0, 0, 0, 12]), Some(0.75));
        assert_eq!(top_decile_share(&[10, 0, 0, 0, 0]), Some(1.0));
        assert_eq!(top_decile_share(&[1; 20]), Some(0.1));
        assert_eq!(gini(&[]), None);
        assert_eq!(top_decile_share(&[0, 0]), None);
    }

    #[test]
    fn medians_and_weeks() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-03T17:39:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let week = week_of(at);
        assert_eq!(week_start(week).unwrap().to_string(), "2026-11-30");
        assert_eq!(
            week_of(
                chrono::DateTime::parse_from_rfc3339("2026-11-30T00:00:00Z")
                    .unwrap()
                    .with_timezone(&chrono::Utc)
            ),
            week
        );
        assert_eq!(
            week_of(
                chrono::DateTime::parse_from_rfc3339("2026-11-29T23:59:59Z")
                    .unwrap()
                    .with_timezone(&chrono::Utc)
            ),
            week - 1
        );
    }

    #[test]
    fn talking_too_much_needs_two_weeks_running() {
        assert!(talks_too_much(&[Some(0.2), Some(0.5), Some(0.45)], 0.4));
        assert!(!talks_too_much(&[Some(0.5), Some(0.3), Some(0.45)], 0.4));
        assert!(talks_too_much(&[Some(0.5), None, Some(0.45)], 0.4));
        assert!(!talks_too_much(&[Some(0.9)], 0.4));
    }

    proptest! {
        #[test]
        fn equity_measures_stay_in_range(counts in proptest::collection::vec(0u64..1000, 1..60)) {
            if let Some(g) = gini(&counts) {
                prop_assert!((0.0..=1.0).contains(&g), "gini {g}");
            }
            if let Some(t) = top_decile_share(&counts) {
                prop_assert!(t > 0.0 && t <= 1.0 + 1e-12, "top decile {t}");
                #[allow(clippy::cast_precision_loss)]
                let fair = counts.len().div_ceil(10) as f64 / counts.len() as f64;
                prop_assert!(t + 1e-12 >= fair, "the top tenth writes at least its share");
            }
        }
    }
}
