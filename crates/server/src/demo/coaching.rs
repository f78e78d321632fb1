//! The demo's coaching and people network: approved coaches (approved by a facilitator), an
//! application still waiting, requests in every state with sessions past and coming, ratings,
//! endorsements with reasons, and people following each other.

use super::Dice;
use anyhow::{Result, anyhow};
use chrono::{Duration, Utc};
use guildhall_app::App;
use guildhall_app::coaching::{CoachInput, OutcomeInput, RequestInput, SessionInput};
use guildhall_app::people::Viewer;

/// Coaches by index in `people::PEOPLE`, with what they coach and when (their own zone).
const COACHES: &[(usize, &[&str], &str)] = &[
    (
        3,
        &["Public speaking", "Giving feedback"],
        "Tue 09:00-11:00\nThu 14:00-16:00",
    ),
    (
        5,
        &["SQL", "Python", "Data visualisation"],
        "Mon 10:00-12:00\nWed 10:00-12:00",
    ),
    (
        6,
        &["Negotiation", "Customer discovery"],
        "Wed 15:00-17:00\nFri 09:00-10:30",
    ),
    (
        14,
        &["Project management", "Storytelling"],
        "Tue 13:00-15:00",
    ),
];
/// Applied, waiting for a decision.
const APPLICANT: usize = 7;
const APPLICATION: (usize, &[&str], &str) = (APPLICANT, &["Excel"], "Mon 16:00-17:00");
const APPROVER: usize = 2;

const BIO: &str = "I have done this work for years and enjoy helping colleagues take the next \
    step. Bring a real situation from your work; we will practise together.";

const REASONS: &[&str] = &[
    "Walked me through it step by step before my first presentation.",
    "Reviewed my work kindly and taught me a better way.",
    "Always answers questions in the space with clear examples.",
    "Paired with me for an afternoon and it finally clicked.",
    "Gave me feedback that changed how I run my meetings.",
    "Shared a template our whole team now uses.",
];

fn fail(what: &str) -> impl Fn(guildhall_app::AppError) -> anyhow::Error + '_ {
    move |e| anyhow!("{what}: {e}")
}

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    let person = |i: usize| {
        people
            .get(i)
            .ok_or_else(|| anyhow!("the demo has no person {i}"))
    };
    let approver = person(APPROVER)?;
    for (index, skills, windows) in COACHES.iter().chain(std::iter::once(&APPLICATION)) {
        let coach = person(*index)?;
        let zone = app
            .profile_page(coach, coach.id)
            .await
            .map_err(fail("coach profile"))?
            .time_zone;
        let input = CoachInput {
            skills: skills.join(", "),
            bio: BIO.into(),
            capacity: "4".into(),
            time_zone: if zone.is_empty() { "UTC".into() } else { zone },
            availability: (*windows).into(),
        };
        app.save_coach_profile(coach, &input)
            .await
            .map_err(fail("coach application"))?;
        if *index != APPLICANT {
            app.decide_coach(approver, coach.id, true, "Welcome aboard!")
                .await
                .map_err(fail("approving a coach"))?;
        }
    }
    requests(app, people).await?;
    network(app, people).await
}

/// (learner, coach, topic, what happens)
enum Outcome {
    /// Took place `days` ago (recorded by the coach) and was rated.
    Rated {
        days: i64,
        rating: i64,
    },
    /// Scheduled `days` ahead.
    Scheduled {
        days: i64,
    },
    /// A time proposed, waiting for the learner.
    Proposed {
        days: i64,
    },
    Waiting,
    Declined,
}

const REQUESTS: &[(usize, usize, &str, &str, Outcome)] = &[
    (
        8,
        5,
        "SQL",
        "Writing my first reporting query",
        Outcome::Rated {
            days: 10,
            rating: 5,
        },
    ),
    (
        9,
        5,
        "Python",
        "Automating a weekly spreadsheet",
        Outcome::Rated {
            days: 20,
            rating: 4,
        },
    ),
    (
        10,
        6,
        "Negotiation",
        "Preparing a renewal conversation",
        Outcome::Scheduled { days: 6 },
    ),
    (
        11,
        3,
        "Public speaking",
        "Presenting at the all-hands",
        Outcome::Proposed { days: 9 },
    ),
    (
        12,
        6,
        "Customer discovery",
        "Interviewing our first customers",
        Outcome::Waiting,
    ),
    (
        13,
        14,
        "Project management",
        "Planning a cross-team launch",
        Outcome::Declined,
    ),
];

async fn requests(app: &App, people: &[Viewer]) -> Result<()> {
    let person = |i: usize| {
        people
            .get(i)
            .ok_or_else(|| anyhow!("the demo has no person {i}"))
    };
    for (learner, coach, skill, topic, outcome) in REQUESTS {
        let (learner, coach) = (person(*learner)?, person(*coach)?);
        let request = app
            .request_coaching(
                learner,
                &RequestInput {
                    coach_id: coach.id,
                    skill: (*skill).into(),
                    topic: (*topic).into(),
                    goal: "I would like to feel confident doing this on my own next time.".into(),
                    preferred_times: "Tue 09:00-12:00\nThu 13:00-17:00".into(),
                    time_zone: "Europe/Berlin".into(),
                },
            )
            .await
            .map_err(fail("coaching request"))?;
        let plan = |days: i64, confirmed: bool| async move {
            let start = Utc::now() + Duration::days(days);
            app.plan_session(
                coach,
                request,
                &SessionInput {
                    // 10:00 in Berlin: never inside a daylight-saving gap.
                    starts_at: start.format("%Y-%m-%dT10:00").to_string(),
                    time_zone: "Europe/Berlin".into(),
                    duration_minutes: "45".into(),
                    video_url: "https://meet.example.org/coaching".into(),
                },
                confirmed,
            )
            .await
            .map_err(fail("coaching session"))
        };
        match outcome {
            Outcome::Rated { days, rating } => {
                // Recorded by the coach after it took place.
                let session = plan(-*days, true).await?;
                app.rate_session(
                    learner,
                    session,
                    &OutcomeInput {
                        helped: true,
                        rating: *rating,
                        comment: "Practical and kind: I knew what to do next.".into(),
                    },
                )
                .await
                .map_err(fail("rating a session"))?;
            }
            Outcome::Scheduled { days } => {
                plan(*days, true).await?;
            }
            Outcome::Proposed { days } => {
                plan(*days, false).await?;
            }
            Outcome::Waiting => {}
            Outcome::Declined => {
                app.decline_request(
                    coach,
                    request,
                    "I am away this month; Mateo coaches this too.",
                )
                .await
                .map_err(fail("declining a request"))?;
            }
        }
    }
    Ok(())
}

/// Endorsements for skills people list, and people following colleagues.
async fn network(app: &App, people: &[Viewer]) -> Result<()> {
    let mut dice = Dice(0x5851_f42d_4c95_7f2d);
    let mut given = 0;
    for _ in 0..200 {
        if given == 40 {
            break;
        }
        let (endorser, endorsed) = (
            &people[dice.roll(people.len())],
            &people[dice.roll(people.len())],
        );
        if endorser.id == endorsed.id {
            continue;
        }
        let skills = app
            .profile_page(endorser, endorsed.id)
            .await
            .map_err(fail("profile"))?
            .skills;
        if skills.is_empty() {
            continue;
        }
        let skill = &skills[dice.roll(skills.len())];
        let reason = REASONS[dice.roll(REASONS.len())];
        // The same endorsement twice is refused; the demo just picks another pair.
        if app
            .endorse(endorser, endorsed.id, skill, reason)
            .await
            .is_ok()
        {
            given += 1;
        }
    }
    for follower in people.iter().take(30) {
        for _ in 0..3 {
            let followed = &people[dice.roll(people.len())];
            if followed.id != follower.id {
                app.follow(follower, followed.id)
                    .await
                    .map_err(fail("following"))?;
            }
        }
    }
    Ok(())
}
