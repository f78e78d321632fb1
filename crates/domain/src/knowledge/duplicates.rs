//! "Has this been asked before?": before a question is posted, the app shows similar questions
//! and resources (ranked by `ideas::similar::rank`, the same cheap lexical ranking as similar
//! ideas). This measures how good those suggestions are, so the benchmark can report a number
//! and a change to the ranking can be judged by it rather than by feel.

use std::collections::BTreeSet;

/// Mean precision at `k` over queries: for each query, the share of its first `k` suggestions
/// (`ranked[i]`, best first) that are relevant (`relevant[i]`), then the mean over queries.
///
/// - A query with fewer than `k` suggestions still divides by `k`: showing nothing is not
///   precise, it is unhelpful.
/// - An id suggested twice counts once.
/// - Queries without any relevant item are left out: no suggestion could be right, so they
///   say nothing about the ranking. Queries are paired by position; unpaired ones are ignored.
/// - 0.0 when `k` is 0 or no query counts.
pub fn precision_at_k(ranked: &[Vec<i64>], relevant: &[BTreeSet<i64>], k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    let mut sum = 0.0;
    let mut queries = 0u32;
    for (suggested, wanted) in ranked.iter().zip(relevant) {
        if wanted.is_empty() {
            continue;
        }
        let top: BTreeSet<i64> = suggested.iter().take(k).copied().collect();
        let hits = top.intersection(wanted).count();
        #[allow(clippy::cast_precision_loss)]
        let precision = hits as f64 / k as f64;
        sum += precision;
        queries += 1;
    }
    if queries == 0 {
        0.0
    } else {
        sum / f64::from(queries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn precision_on_known_cases() {
        let ranked = vec![vec![1, 2, 3], vec![7, 8], vec![5]];
        let relevant = vec![
            BTreeSet::from([1, 3]),
            BTreeSet::from([9]),
            BTreeSet::from([5, 6]),
        ];
        // 2/3, 0/3, 1/3 → mean 1/3.
        assert!(close(precision_at_k(&ranked, &relevant, 3), 1.0 / 3.0));
        // 1/1, 0/1, 1/1 → 2/3.
        assert!(close(precision_at_k(&ranked, &relevant, 1), 2.0 / 3.0));
        assert!(close(precision_at_k(&ranked, &relevant, 0), 0.0));
        assert!(close(precision_at_k(&[], &[], 5), 0.0));
        // Doubles count once; queries with nothing relevant are left out.
        let ranked = vec![vec![4, 4], vec![1]];
        let relevant = vec![BTreeSet::from([4]), BTreeSet::new()];
        assert!(close(precision_at_k(&ranked, &relevant, 2), 0.5));
    }

    proptest! {
        #[test]
        fn precision_is_a_share(
            queries in prop::collection::vec(
                (prop::collection::vec(0i64..20, 0..10), prop::collection::btree_set(0i64..20, 0..6)),
                0..10,
            ),
            k in 0usize..8,
        ) {
            let (ranked, relevant): (Vec<Vec<i64>>, Vec<BTreeSet<i64>>) = queries.into_iter().unzip();
            let p = precision_at_k(&ranked, &relevant, k);
            prop_assert!((0.0..=1.0).contains(&p));
            // Suggesting exactly the relevant items (k of them, when there are k) is perfect.
            let perfect: Vec<Vec<i64>> = relevant.iter().map(|r| r.iter().copied().collect()).collect();
            let full: Vec<BTreeSet<i64>> = relevant.iter().filter(|r| r.len() >= k).cloned().collect();
            let perfect_full: Vec<Vec<i64>> = full.iter().map(|r| r.iter().copied().collect()).collect();
            if k > 0 && full.iter().any(|r| !r.is_empty()) {
                prop_assert!((precision_at_k(&perfect_full, &full, k) - 1.0).abs() < 1e-9);
            }
            prop_assert!(precision_at_k(&perfect, &relevant, k) >= p - 1e-9);
        }
    }
}
