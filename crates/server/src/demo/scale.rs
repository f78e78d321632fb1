//! Scale data for benchmarks: by default 100,000 members, 2,000 spaces and 1,000,000 posts,
//! written in bulk (multi-row inserts in large transactions) with a progress line.

use super::Dice;
use super::vocabulary::Vocabulary;
use anyhow::{Result, anyhow, bail};
use chrono::{DateTime, Duration, Utc};
use guildhall_app::App;
use guildhall_app::people::NewPerson;
use guildhall_domain::people::Role;
use guildhall_store::bulk::{
    self, BulkMember, BulkPoints, BulkPost, BulkSignal, BulkSpace, BulkThread, BulkUser,
};
use std::time::Instant;

pub const SCALE_PASSWORD: &str = "guildhall-scale-2026";
const GIVEN: &[&str] = &[
    "Ada", "Grace", "Alan", "Maria", "Kenji", "Amara", "Liam", "Sofia", "Noah", "Mei", "Omar",
    "Freya", "Ravi", "Nia", "Pedro", "Ingrid", "Kwame", "Hana", "Diego", "Elif",
];
const FAMILY: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Curie",
    "Watanabe",
    "Okafor",
    "Murphy",
    "Rossi",
    "Kowalski",
    "Chen",
    "Haddad",
    "Andersen",
    "Iyer",
    "Williams",
    "Almeida",
    "Haugen",
    "Boateng",
    "Kobayashi",
    "Santos",
    "Demir",
];
const TOPICS: &[&str] = &[
    "feedback",
    "delegation",
    "negotiation",
    "pricing",
    "onboarding",
    "retrospectives",
    "forecasting",
    "accessibility",
    "security",
    "sql",
    "storytelling",
    "coaching",
    "hiring",
    "planning",
    "design",
];
const KINDS: &[&str] = &[
    "question",
    "discussion",
    "idea",
    "resource",
    "showcase",
    "question",
    "discussion",
];
const SENTENCES: &[&str] = &[
    "What worked for me was starting small and asking for feedback early",
    "We tried this with the whole team and it changed how we plan",
    "I would write down the three points before the meeting",
    "The checklist from the session saved me a lot of time",
    "Has anyone measured the effect after a month",
    "Pairing with a colleague who had done it before helped most",
];

/// Words in the scale posts' text (issue 16: at least 20,000, Zipf-like).
const VOCABULARY_WORDS: usize = 24_000;

/// A post to write: its author and when.
type PlannedPost = (i64, DateTime<Utc>);

#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub members: usize,
    pub spaces: usize,
    pub posts: usize,
}

struct Progress {
    label: &'static str,
    total: usize,
    started: Instant,
}

impl Progress {
    fn new(label: &'static str, total: usize) -> Progress {
        Progress {
            label,
            total,
            started: Instant::now(),
        }
    }

    fn show(&self, done: usize) {
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = done as f64 / secs;
        eprint!(
            "\r{}: {done}/{} ({:.0}/s)    ",
            self.label, self.total, rate
        );
        if done >= self.total {
            eprintln!();
        }
    }
}

fn name_of(n: usize) -> (&'static str, &'static str) {
    (
        GIVEN[n % GIVEN.len()],
        FAMILY[(n / GIVEN.len()) % FAMILY.len()],
    )
}

pub async fn fill(app: &App, scale: Scale) -> Result<()> {
    if !app.needs_setup().await? {
        bail!("scale data goes into an empty database only (use a fresh data_dir or database)");
    }
    let started = Instant::now();
    let db = app.db();
    let admin = NewPerson {
        given_name: "Scale".into(),
        family_name: "Admin".into(),
        email: "admin@scale.example".into(),
        password: SCALE_PASSWORD.into(),
    };
    let admin_id = app
        .create_person_from_cli(&admin, &[Role::Admin])
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let hash = guildhall_app::secrets::hash_password(SCALE_PASSWORD.into())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let now = guildhall_app::clock::now();
    let year_ago = now - Duration::days(365);
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let vocabulary = Vocabulary::new(VOCABULARY_WORDS);

    // People.
    let progress = Progress::new("Members", scale.members);
    let mut user_ids = Vec::with_capacity(scale.members);
    for start in (0..scale.members).step_by(20_000) {
        let rows: Vec<BulkUser> = (start..(start + 20_000).min(scale.members))
            .map(|n| {
                let (given, family) = name_of(n);
                BulkUser {
                    email: format!("member{n}@scale.example"),
                    given_name: given.into(),
                    family_name: family.into(),
                    password_hash: hash.clone(),
                    at: year_ago,
                }
            })
            .collect();
        let mut tx = db.begin().await?;
        user_ids.extend(bulk::users(&mut tx, &rows).await?);
        tx.commit().await?;
        progress.show(user_ids.len());
    }

    // Spaces: mostly open, some on request, invite-only and secret.
    let progress = Progress::new("Spaces", scale.spaces);
    let slugs: Vec<String> = (0..scale.spaces)
        .map(|n| format!("{}-{n}", TOPICS[n % TOPICS.len()]))
        .collect();
    let rows: Vec<BulkSpace> = (0..scale.spaces)
        .map(|n| BulkSpace {
            slug: slugs[n].clone(),
            name: format!("{} circle {n}", TOPICS[n % TOPICS.len()]),
            kind: ["community", "cohort", "event", "team"][n % 4],
            visibility: match n % 20 {
                0 => "secret",
                1 | 2 => "invite_only",
                3..=5 => "on_request",
                _ => "open",
            },
            description: format!("Learning about {} together.", TOPICS[n % TOPICS.len()]),
            created_by: admin_id,
            at: year_ago,
        })
        .collect();
    let mut tx = db.begin().await?;
    let space_ids = bulk::spaces(&mut tx, &rows).await?;
    tx.commit().await?;
    progress.show(space_ids.len());

    // Memberships: 20 to 500 people a space, the first one facilitating.
    let mut members: Vec<Vec<i64>> = Vec::with_capacity(space_ids.len());
    let mut rows = Vec::new();
    for (s, space_id) in space_ids.iter().enumerate() {
        let size = (20 + (s * 7919) % 481).min(user_ids.len());
        let mut these = Vec::with_capacity(size);
        let offset = dice.roll(user_ids.len());
        for k in 0..size {
            let user = user_ids[(offset + k * 104_729) % user_ids.len()];
            these.push(user);
            rows.push(BulkMember {
                space_id: *space_id,
                user_id: user,
                role: if k == 0 { "facilitator" } else { "member" },
                at: year_ago,
            });
        }
        these.sort_unstable();
        these.dedup();
        members.push(these);
    }
    let progress = Progress::new("Memberships", rows.len());
    for (i, chunk) in rows.chunks(50_000).enumerate() {
        let mut tx = db.begin().await?;
        bulk::members(&mut tx, chunk).await?;
        tx.commit().await?;
        progress.show(((i + 1) * 50_000).min(rows.len()));
    }

    // Threads and their posts (ten on average), spread over the last year.
    let thread_total = (scale.posts / 10).max(1);
    let step = Duration::seconds(365 * 24 * 3600 / i64::try_from(thread_total).unwrap_or(1).max(1));
    let progress = Progress::new("Posts", scale.posts);
    let mut written = 0;
    let mut t = 0;
    while written < scale.posts {
        let batch_threads = 5_000;
        let mut threads = Vec::with_capacity(batch_threads);
        let mut plans: Vec<(usize, Vec<PlannedPost>)> = Vec::with_capacity(batch_threads);
        for _ in 0..batch_threads {
            let s = dice.roll(space_ids.len());
            let people = &members[s];
            let count = (1 + dice.roll(19))
                .min(scale.posts - written - plans.iter().map(|(_, p)| p.len()).sum::<usize>())
                .max(1);
            let created = year_ago + step * i32::try_from(t).unwrap_or(i32::MAX);
            let posts: Vec<PlannedPost> = (0..count)
                .map(|k| {
                    (
                        people[dice.roll(people.len())],
                        created + Duration::minutes(37 * k as i64),
                    )
                })
                .collect();
            let topic = TOPICS[dice.roll(TOPICS.len())];
            let kind = KINDS[dice.roll(KINDS.len())];
            threads.push(BulkThread {
                space_id: space_ids[s],
                author_id: posts[0].0,
                kind,
                title: format!(
                    "{} on {topic}, take {t}",
                    if kind == "question" {
                        "A question"
                    } else {
                        "Notes"
                    }
                ),
                excerpt: SENTENCES[t % SENTENCES.len()].to_owned(),
                created_at: created,
                last_activity_at: posts.last().map_or(created, |p| p.1),
                post_count: i64::try_from(count).unwrap_or(1),
            });
            plans.push((s, posts));
            t += 1;
            if written + plans.iter().map(|(_, p)| p.len()).sum::<usize>() >= scale.posts {
                break;
            }
        }
        let mut tx = db.begin().await?;
        let thread_ids = bulk::threads(&mut tx, &threads).await?;
        let mut posts = Vec::new();
        for ((thread, id), (s, plan)) in threads.iter().zip(&thread_ids).zip(&plans) {
            for (k, (author, at)) in plan.iter().enumerate() {
                // A line people write often, then words drawn as in real text (12 to 40).
                let words = 12 + dice.roll(29);
                let body = format!(
                    "{}. {}.",
                    SENTENCES[(k + *id as usize) % SENTENCES.len()],
                    vocabulary.sentence(&mut dice, words)
                );
                posts.push(BulkPost {
                    thread_id: *id,
                    space_id: space_ids[*s],
                    thread_kind: thread.kind,
                    title: thread.title.clone(),
                    author_id: *author,
                    body_html: format!("<p>{body}</p>\n"),
                    body,
                    at: *at,
                    opening: k == 0,
                });
            }
        }
        bulk::posts(&mut tx, &posts).await?;
        tx.commit().await?;
        written += posts.len();
        progress.show(written);
    }
    let mut tx = app.db().begin().await?;
    bulk::ideas(&mut tx).await?;
    tx.commit().await?;
    care(app, &user_ids, &space_ids, &slugs, &members, &mut dice).await?;
    recognition(app, &user_ids, &space_ids, &members, &mut dice).await?;
    // Fresh statistics, or PostgreSQL plans a million new rows on guesses until autovacuum
    // comes by (a space's dashboard took 232 ms instead of a few).
    bulk::analyze(app.db()).await?;
    println!(
        "Scale data ready in {:.0} s: {} members, {} spaces, {} posts. Sign in as admin@scale.example or memberN@scale.example with {SCALE_PASSWORD}.",
        started.elapsed().as_secs_f64(),
        user_ids.len() + 1,
        space_ids.len(),
        written
    );
    Ok(())
}

/// Signals of the last twelve weeks per hundred members: many, so that care queues are full.
const SIGNALS_PER_HUNDRED: usize = 60;

/// Care at scale: half of the members in partner pairs, and care signals over the last twelve
/// weeks, two thirds of them resolved — a tenth in the first space, whose facilitator
/// `bench/insights.sh` reads the care queue of (the heaviest queue there is).
async fn care(
    app: &App,
    user_ids: &[i64],
    space_ids: &[i64],
    slugs: &[String],
    members: &[Vec<i64>],
    dice: &mut Dice,
) -> Result<()> {
    let now = guildhall_app::clock::now();
    let pairs: Vec<(i64, i64)> = user_ids[..user_ids.len() / 2]
        .chunks_exact(2)
        .map(|p| (p[0], p[1]))
        .collect();
    let mut tx = app.db().begin().await?;
    bulk::partnerships(&mut tx, &pairs, now - Duration::weeks(12)).await?;
    tx.commit().await?;

    let total = user_ids.len() * SIGNALS_PER_HUNDRED / 100;
    let progress = Progress::new("Care signals", total);
    let kinds = guildhall_domain::insights::SignalKind::ALL;
    let rows: Vec<BulkSignal> = (0..total)
        .map(|n| {
            let s = if n % 10 == 0 {
                0
            } else {
                dice.roll(space_ids.len())
            };
            let people = &members[s];
            let kind = kinds[n % kinds.len()].as_str();
            BulkSignal {
                user_id: people[dice.roll(people.len())],
                space_id: space_ids[s],
                kind,
                subject: format!("scale:{n}"),
                reason: format!("A generated {} signal.", kind.replace('_', " ")),
                link: format!("/s/{}", slugs[s]),
                status: if n % 3 == 0 { "open" } else { "resolved" },
                at: now - Duration::minutes(i64::try_from(n % (12 * 7 * 24 * 60)).unwrap_or(0)),
            }
        })
        .collect();
    for (i, chunk) in rows.chunks(20_000).enumerate() {
        let mut tx = app.db().begin().await?;
        bulk::help_signals(&mut tx, chunk).await?;
        tx.commit().await?;
        progress.show(((i + 1) * 20_000).min(total));
    }
    Ok(())
}

/// Ledger lines per member (helpful reactions and accepted answers over three months).
const POINT_LINES_PER_MEMBER: usize = 5;
const KUDOS_PER_MEMBER: usize = 1;

/// Recognition at scale: points earned over the last three months, with their totals, kudos,
/// and the first space's leaderboard turned on with every tenth member choosing to appear. A
/// tenth of it all goes to the first space's facilitator, whose pages `bench/insights.sh`
/// reads (the busiest profile and ledger there are).
async fn recognition(
    app: &App,
    user_ids: &[i64],
    space_ids: &[i64],
    members: &[Vec<i64>],
    dice: &mut Dice,
) -> Result<()> {
    let now = guildhall_app::clock::now();
    let star = guildhall_store::insights::activity::spaces_with_facilitators(app.db())
        .await?
        .first()
        .map(|(_, _, _, facilitator)| *facilitator)
        .ok_or_else(|| anyhow!("no space has a facilitator"))?;
    let total = user_ids.len() * POINT_LINES_PER_MEMBER;
    let progress = Progress::new("Points", total);
    let quarter = 90 * 24 * 60;
    let rows: Vec<BulkPoints> = (0..total)
        .map(|n| {
            let s = if n % 10 == 0 {
                0
            } else {
                dice.roll(space_ids.len())
            };
            let people = &members[s];
            let recipient = if n % 10 == 0 {
                star
            } else {
                people[dice.roll(people.len())]
            };
            let actor = people[dice.roll(people.len())];
            let accepted = n % 5 == 0;
            BulkPoints {
                user_id: recipient,
                rule: if accepted {
                    "answer_accepted"
                } else {
                    "helpful_reaction"
                },
                points: if accepted { 10 } else { 2 },
                source_id: i64::try_from(n).unwrap_or(0),
                actor_id: if actor == recipient {
                    user_ids[0]
                } else {
                    actor
                },
                space_id: space_ids[s],
                at: now - Duration::minutes(i64::try_from(n % quarter).unwrap_or(0)),
            }
        })
        .collect();
    for (i, chunk) in rows.chunks(50_000).enumerate() {
        let mut tx = app.db().begin().await?;
        bulk::points(&mut tx, chunk).await?;
        tx.commit().await?;
        progress.show(((i + 1) * 50_000).min(total));
    }
    let kudos: Vec<(i64, i64, String, DateTime<Utc>)> = (0..user_ids.len() * KUDOS_PER_MEMBER)
        .map(|n| {
            let to = if n % 10 == 0 {
                star
            } else {
                user_ids[dice.roll(user_ids.len())]
            };
            let from = user_ids[(n * 7_919) % user_ids.len()];
            let message = format!("Thank you for the help with {}.", TOPICS[n % TOPICS.len()]);
            let at = now - Duration::minutes(i64::try_from(n % quarter).unwrap_or(0));
            (if from == to { user_ids[0] } else { from }, to, message, at)
        })
        .collect();
    let mut tx = app.db().begin().await?;
    bulk::kudos(&mut tx, &kudos).await?;
    let choosers: Vec<i64> = user_ids.iter().step_by(10).copied().chain([star]).collect();
    bulk::leaderboard_choices(&mut tx, &choosers, now).await?;
    tx.commit().await?;
    guildhall_store::rewards::ledger::set_space_leaderboard(app.db(), space_ids[0], true).await?;
    Ok(())
}
