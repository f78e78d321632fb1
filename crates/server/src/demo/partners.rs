//! The demo's accountability partners: members of each cohort opt in with what they want to
//! work on, the facilitator forms pairs, and the first pairs set goals and check in.

use super::content;
use anyhow::{Result, anyhow};
use guildhall_app::App;
use guildhall_app::partners::{CheckInInput, GoalInput, OptInInput};
use guildhall_app::people::Viewer;
use guildhall_domain::spaces::slugify;

const FOCUS: &[&str] = &[
    "public speaking, feedback",
    "delegation",
    "feedback, hard conversations",
    "SQL",
    "delegation, planning",
    "public speaking",
];
const HOURS: &[(&str, &str)] = &[("09:00", "17:00"), ("08:00", "16:00"), ("10:00", "18:00")];
/// Pairs that show goals and a first check-in.
const ACTIVE_PAIRS: usize = 3;

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    for space in content::SPACES.iter().filter(|s| s.kind == "cohort") {
        let slug = slugify(space.name);
        for (n, person) in people.iter().enumerate() {
            let (start, end) = HOURS[n % HOURS.len()];
            let input = OptInInput {
                space: slug.clone(),
                focus: FOCUS[n % FOCUS.len()].into(),
                work_start: start.into(),
                work_end: end.into(),
                ask_again_user_id: None,
            };
            // Only the cohort's members may opt in; the others are refused and skipped.
            let _ = app.opt_in_for_partner(person, &input).await;
        }
        let facilitator = &people[space.facilitator];
        app.form_partner_pairs(facilitator, Some(&slug))
            .await
            .map_err(|e| anyhow!("pairs in {}: {e}", space.name))?;
    }
    let mut shown = 0;
    for person in people {
        if shown >= ACTIVE_PAIRS {
            break;
        }
        let partnerships = app
            .my_partnerships(person)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let Some(partnership) = partnerships.first() else {
            continue;
        };
        if !partnership.check_ins.is_empty() || partnership.members[0].user_id != person.id {
            continue;
        }
        let goal = GoalInput {
            what: "Give a ten-minute talk to my team".into(),
            by_when: (chrono::Utc::now() + chrono::Duration::days(30))
                .format("%Y-%m-%d")
                .to_string(),
            how_known: "The talk happened and I asked two people for feedback".into(),
        };
        app.add_partner_goal(person, partnership.id, &goal)
            .await
            .map_err(|e| anyhow!("demo goal: {e}"))?;
        let check_in = CheckInInput {
            progress: 3,
            did: "Wrote an outline and picked a story to open with.".into(),
            blockers: "Finding a slot in the team meeting.".into(),
            next_step: "Ask my lead for ten minutes next Thursday.".into(),
        };
        let id = app
            .check_in(person, partnership.id, &check_in)
            .await
            .map_err(|e| anyhow!("demo check-in: {e}"))?;
        if let Some(partner) = partnership.partners_of(person.id).first()
            && let Some(viewer) = people.iter().find(|p| p.id == partner.user_id)
        {
            app.reply_to_check_in(
                viewer,
                partnership.id,
                id,
                "encourage",
                "Good start — the story idea is great.",
            )
            .await
            .map_err(|e| anyhow!("demo reply: {e}"))?;
        }
        shown += 1;
    }
    Ok(())
}
