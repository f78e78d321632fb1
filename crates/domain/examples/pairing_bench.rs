//! How long forming accountability pairs takes for cohorts of growing size (release build):
//! random but fixed cohorts — topics, skills, time zones, working hours, reporting lines and
//! former partners — paired ten times each; prints p50 and max per size and how many people
//! were left waiting. Run by `bench/partners.sh`; tests never assert on time.

use guildhall_domain::partners::matching::{Candidate, form_pairs};
use std::time::{Duration, Instant};

const TOPICS: &[&str] = &[
    "public speaking",
    "sql",
    "negotiation",
    "feedback",
    "delegation",
    "planning",
    "writing",
    "design",
];
const OFFSETS: &[i32] = &[-480, -300, -180, 0, 60, 120, 330, 480, 540];
const RUNS: usize = 10;

/// A small deterministic generator (xorshift), so every run pairs the same cohorts.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

fn cohort(n: usize, dice: &mut Dice) -> Vec<Candidate> {
    let mut people: Vec<Candidate> = (0..n)
        .map(|i| {
            let start = 7 * 60 + 30 * dice.roll(6) as i32;
            Candidate {
                id: i as i64 + 1,
                focus: (0..1 + dice.roll(2))
                    .map(|_| TOPICS[dice.roll(TOPICS.len())].to_owned())
                    .collect(),
                skills: (0..dice.roll(4))
                    .map(|_| TOPICS[dice.roll(TOPICS.len())].to_owned())
                    .collect(),
                utc_offset_minutes: OFFSETS[dice.roll(OFFSETS.len())],
                work_start: start,
                work_end: start + 8 * 60,
                managers: Vec::new(),
                previous_partners: Vec::new(),
                ask_again: Vec::new(),
            }
        })
        .collect();
    // One manager per ten people, and a fifth of people with a former partner.
    for i in 1..n {
        if dice.roll(10) < 9 {
            let manager = (i / 10) * 10;
            if manager != i {
                let mut line = vec![manager as i64 + 1];
                line.extend(people[manager].managers.clone());
                people[i].managers = line;
            }
        }
        if dice.roll(5) == 0 {
            let other = dice.roll(n);
            if other != i {
                people[i].previous_partners.push(other as i64 + 1);
                people[other].previous_partners.push(i as i64 + 1);
            }
        }
    }
    people
}

fn main() {
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    println!(
        "{:>7} {:>10} {:>10} {:>8} {:>8}",
        "people", "p50", "max", "groups", "waiting"
    );
    for n in [10, 50, 200, 500, 1000] {
        let people = cohort(n, &mut dice);
        let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
        let mut last = None;
        for _ in 0..RUNS {
            let started = Instant::now();
            let pairing = form_pairs(&people);
            times.push(started.elapsed());
            last = Some(pairing);
        }
        times.sort();
        let pairing = last.unwrap_or_default();
        println!(
            "{n:>7} {:>10.2?} {:>10.2?} {:>8} {:>8}",
            times[RUNS / 2],
            times[RUNS - 1],
            pairing.groups.len(),
            pairing.unmatched.len()
        );
    }
}
