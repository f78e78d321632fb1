//! A realistic demo organisation: fifty people with professional names across every role, eight
//! spaces of every kind and visibility, and a few hundred threads with replies, reactions and
//! accepted answers, coaches with requests and rated sessions, endorsements and follows, a code of
//! conduct and a review queue — everything written through the same `app` actions the web uses.

mod coaching;
mod connectors;
mod content;
mod email;
mod federation;
mod ideas;
mod insights;
mod knowledge;
mod moderation;
mod partners;
mod people;
mod profiles;
mod rewards;
pub mod scale;
mod vocabulary;

use anyhow::{Result, bail};
use chrono::{Duration, Utc};
use guildhall_app::App;
use guildhall_app::events::EventInput;
use guildhall_app::people::{NewPerson, Viewer};
use guildhall_app::spaces::SpaceInput;
use guildhall_app::threads::ThreadInput;
use guildhall_domain::threads::ReactionKind;

pub const DEMO_PASSWORD: &str = "guildhall-demo-2026";
const THREADS_PER_SPACE: usize = 40;

/// A small deterministic generator: the demo is the same every time.
pub(crate) struct Dice(pub(crate) u64);

impl Dice {
    pub(crate) fn roll(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % below.max(1) as u64).unwrap_or(0)
    }
}

fn progress(label: &str, done: usize, total: usize) {
    eprint!("\r{label}: {done}/{total}   ");
    if done == total {
        eprintln!();
    }
}

pub async fn fill(app: &App) -> Result<()> {
    if !app.needs_setup().await? {
        bail!(
            "the demo fills an empty database only; this one already has people (use a fresh data_dir)"
        );
    }
    let people = create_people(app).await?;
    profiles::fill(app, &people).await?;
    let (threads, first_space) = create_conversations(app, &people).await?;
    insights::spread_history(app, &threads).await?;
    let lecturer = &people[content::SPACES[0].facilitator];
    insights::a_facilitator_who_talks(app, lecturer, &first_space).await?;
    coaching::fill(app, &people).await?;
    moderation::fill(app, &people).await?;
    partners::fill(app, &people).await?;
    ideas::fill(app, &people).await?;
    rewards::fill(app, &people).await?;
    knowledge::fill(app, &people).await?;
    connectors::fill(app, &people).await?;
    email::fill(app, &people).await?;
    federation::fill(app, &people).await?;
    println!(
        "Demo organisation ready. Sign in as {} (administrator) with the password {DEMO_PASSWORD}.",
        people::email(people::PEOPLE[0].0, people::PEOPLE[0].1)
    );
    Ok(())
}

async fn create_people(app: &App) -> Result<Vec<Viewer>> {
    let total = people::PEOPLE.len();
    let mut viewers = Vec::with_capacity(total);
    for (done, (given, family, roles)) in people::PEOPLE.iter().enumerate() {
        let person = NewPerson {
            given_name: (*given).into(),
            family_name: (*family).into(),
            email: people::email(given, family),
            password: DEMO_PASSWORD.into(),
        };
        let id = app
            .create_person_from_cli(&person, roles)
            .await
            .map_err(|e| anyhow::anyhow!("demo person {given} {family}: {e}"))?;
        viewers.push(
            app.viewer_for_cli(id)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        );
        progress("People", done + 1, total);
    }
    Ok(viewers)
}

/// The spaces and their conversations; returns the threads, oldest first, and the first
/// space's slug.
async fn create_conversations(app: &App, people: &[Viewer]) -> Result<(Vec<i64>, String)> {
    let mut dice = Dice(0x2545_f491_4f6c_dd1d);
    let total = content::SPACES.len() * THREADS_PER_SPACE;
    let mut done = 0;
    let mut threads = Vec::with_capacity(total);
    let mut slugs = Vec::with_capacity(content::SPACES.len());
    for space in content::SPACES {
        let facilitator = &people[space.facilitator];
        let input = SpaceInput {
            name: space.name.into(),
            kind: space.kind.into(),
            visibility: space.visibility.into(),
            description: space.description.into(),
            rules: space.rules.into(),
        };
        let created = app
            .create_space(facilitator, &input)
            .await
            .map_err(|e| anyhow::anyhow!("space {}: {e}", space.name))?;
        slugs.push(created.slug.clone());
        // About half of the organisation in each space (everyone invited, so any visibility works).
        let mut members = vec![facilitator];
        for person in people.iter().filter(|p| p.id != facilitator.id) {
            if dice.roll(2) == 0 {
                let invited = app
                    .invite_to_space(facilitator, &created.slug, &person.email)
                    .await;
                if invited.is_ok() && app.join_space(person, &created.slug).await.is_ok() {
                    members.push(person);
                }
            }
        }
        plan_events(
            app,
            facilitator,
            &created.slug,
            space.name,
            &members,
            &mut dice,
        )
        .await?;
        for n in 0..THREADS_PER_SPACE {
            let (kind, title, body) = content::THREAD_SHAPES[n % content::THREAD_SHAPES.len()];
            let topic = space.topics[(n / content::THREAD_SHAPES.len() + n) % space.topics.len()];
            let author = if kind == "announcement" {
                facilitator
            } else {
                members[dice.roll(members.len())]
            };
            let input = ThreadInput {
                kind: kind.into(),
                title: title.replace("{}", topic),
                body: body.replace("{}", topic),
                link: if kind == "resource" {
                    format!("https://learning.example.org/articles/{}", n + 1)
                } else {
                    String::new()
                },
                send_for_review: false,
                not_rude: false,
            };
            let thread = app
                .start_thread(author, &created.slug, &input)
                .await
                .map_err(|e| anyhow::anyhow!("thread: {e}"))?;
            let mut replies = Vec::new();
            for _ in 0..dice.roll(5) {
                let replier = members[dice.roll(members.len())];
                let text = content::REPLIES[dice.roll(content::REPLIES.len())];
                replies.push(
                    app.reply(replier, thread, text, None, false)
                        .await
                        .map_err(|e| anyhow::anyhow!("reply: {e}"))?,
                );
            }
            for reply in &replies {
                for kind in ReactionKind::ALL {
                    if dice.roll(3) == 0 {
                        let reactor = members[dice.roll(members.len())];
                        app.react(reactor, *reply, kind.as_str())
                            .await
                            .map_err(|e| anyhow::anyhow!("reaction: {e}"))?;
                    }
                }
            }
            if kind == "question" && !replies.is_empty() && dice.roll(3) > 0 {
                app.accept_answer(author, thread, Some(replies[0]))
                    .await
                    .map_err(|e| anyhow::anyhow!("answer: {e}"))?;
            }
            threads.push(thread);
            done += 1;
            progress("Threads", done, total);
        }
    }
    let first = slugs.into_iter().next().unwrap_or_default();
    Ok((threads, first))
}

/// A past session (its follow-up prompts come due) and one next week, with some people coming.
async fn plan_events(
    app: &App,
    facilitator: &Viewer,
    slug: &str,
    space_name: &str,
    members: &[&Viewer],
    dice: &mut Dice,
) -> Result<()> {
    let now = Utc::now();
    for (title, start) in [
        (
            format!("{space_name}: kick-off session"),
            now - Duration::days(3),
        ),
        (
            format!("{space_name}: practice session"),
            now + Duration::days(7),
        ),
    ] {
        let input = EventInput {
            title,
            description:
                "Bring one real situation from your work. We will practise in small groups.".into(),
            // 09:00 local: never inside a daylight-saving gap.
            starts_at: start.format("%Y-%m-%dT09:00").to_string(),
            ends_at: start.format("%Y-%m-%dT11:00").to_string(),
            time_zone: "Europe/Berlin".into(),
            location: "Learning Centre, room 2".into(),
            video_url: "https://meet.example.org/guildhall".into(),
            capacity: "40".into(),
        };
        let event = app
            .create_event(facilitator, slug, &input)
            .await
            .map_err(|e| anyhow::anyhow!("event: {e}"))?;
        for person in members.iter().filter(|_| dice.roll(3) == 0) {
            app.rsvp(person, event, true)
                .await
                .map_err(|e| anyhow::anyhow!("rsvp: {e}"))?;
        }
    }
    Ok(())
}
