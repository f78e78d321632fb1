//! The demo's idea board: a family of ideas in Data Literacy where an office-hours idea grew,
//! through a build-on and a merged duplicate, into an adopted data clinic (everyone behind it
//! credited), an idea that became work, a parked one with its reason, and fresh proposals.

use super::content;
use anyhow::{Result, anyhow};
use guildhall_app::App;
use guildhall_app::ideas::IdeaInput;
use guildhall_app::people::Viewer;
use guildhall_domain::spaces::slugify;

struct DemoIdea {
    author: usize,
    title: &'static str,
    problem: &'static str,
    proposal: &'static str,
    benefit: &'static str,
    tags: &'static str,
}

const OFFICE_HOURS: DemoIdea = DemoIdea {
    author: 5,
    title: "Office hours for spreadsheet questions",
    problem: "Quick spreadsheet questions wait days in the channel, or people give up and copy numbers by hand.",
    proposal: "One hour a week when someone from the analytics team answers any spreadsheet question, no booking needed.",
    benefit: "Fewer hand-copied numbers and faster reports.",
    tags: "spreadsheets, support",
};
const CLINIC: DemoIdea = DemoIdea {
    author: 7,
    title: "A weekly data clinic with a rota of helpers",
    problem: "Office hours would depend on one team, and SQL and dashboard questions need other people.",
    proposal: "A weekly clinic staffed by a rota of volunteers from every team that works with data: spreadsheets, SQL and dashboards.",
    benefit: "Help for every kind of data question, and the load shared across teams.",
    tags: "support, sql, dashboards",
};
const HELP_DESK: DemoIdea = DemoIdea {
    author: 9,
    title: "Drop-in help desk for data questions",
    problem: "Nobody knows whom to ask about data.",
    proposal: "A drop-in desk where anyone can bring a data question.",
    benefit: "",
    tags: "support",
};
const GUIDES: DemoIdea = DemoIdea {
    author: 11,
    title: "Turn clinic answers into short guides",
    problem: "The same questions come back to the clinic every month.",
    proposal: "After each clinic, the helper writes the best answer up as a one-page guide in the library.",
    benefit: "Answers that outlive the clinic.",
    tags: "guides, knowledge",
};
const GLOSSARY: DemoIdea = DemoIdea {
    author: 13,
    title: "One glossary of metric names",
    problem: "Three dashboards call the same number three different things.",
    proposal: "A shared glossary of metric names and definitions that every dashboard links to.",
    benefit: "People trust the numbers they compare.",
    tags: "dashboards, glossary",
};
const HACKATHON: DemoIdea = DemoIdea {
    author: 15,
    title: "A yearly data hackathon",
    problem: "Good analysis ideas never get time.",
    proposal: "Two days a year where teams work on any data question they choose.",
    benefit: "",
    tags: "events",
};
const CHART_REVIEW: DemoIdea = DemoIdea {
    author: 17,
    title: "Peer review for charts before they go to leadership",
    problem: "Misleading axes and colours slip into leadership decks.",
    proposal: "Any chart going to leadership gets a quick peer review in this space first.",
    benefit: "Clearer decisions, fewer corrections afterwards.",
    tags: "dashboards, review",
};

async fn propose(
    app: &App,
    people: &[Viewer],
    slug: &str,
    idea: &DemoIdea,
    builds_on: Option<i64>,
) -> Result<i64> {
    let author = &people[idea.author % people.len()];
    // Open space: joining twice is harmless, and the author must belong to propose.
    let _ = app.join_space(author, slug).await;
    let input = IdeaInput {
        title: idea.title.into(),
        problem: idea.problem.into(),
        proposal: idea.proposal.into(),
        benefit: idea.benefit.into(),
        tags: idea.tags.into(),
        builds_on,
        ..IdeaInput::default()
    };
    app.propose_idea(author, slug, &input)
        .await
        .map_err(|e| anyhow!("idea “{}”: {e}", idea.title))
}

async fn decide(app: &App, facilitator: &Viewer, id: i64, steps: &[(&str, &str)]) -> Result<()> {
    for (status, note) in steps {
        app.move_idea(facilitator, id, status, note)
            .await
            .map_err(|e| anyhow!("idea {id} to {status}: {e}"))?;
    }
    Ok(())
}

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    let space = &content::SPACES[1]; // Data Literacy: an open community
    let slug = slugify(space.name);
    let facilitator = &people[space.facilitator];
    let office_hours = propose(app, people, &slug, &OFFICE_HOURS, None).await?;
    let clinic = propose(app, people, &slug, &CLINIC, Some(office_hours)).await?;
    let help_desk = propose(app, people, &slug, &HELP_DESK, None).await?;
    propose(app, people, &slug, &GUIDES, Some(clinic)).await?;
    let glossary = propose(app, people, &slug, &GLOSSARY, None).await?;
    let hackathon = propose(app, people, &slug, &HACKATHON, None).await?;
    let chart_review = propose(app, people, &slug, &CHART_REVIEW, None).await?;
    for (n, voter) in people.iter().enumerate().skip(18).take(9) {
        let _ = app.join_space(voter, &slug).await;
        for idea in [help_desk, clinic, chart_review, office_hours]
            .iter()
            .take(1 + n % 4)
        {
            app.vote_idea(voter, *idea, true)
                .await
                .map_err(|e| anyhow!("vote: {e}"))?;
        }
    }
    app.merge_idea(
        facilitator,
        help_desk,
        clinic,
        "Same idea as the clinic: merged so the votes add up.",
    )
    .await
    .map_err(|e| anyhow!("merge: {e}"))?;
    let owner = &people[CLINIC.author];
    app.set_idea_owner(facilitator, clinic, Some(owner.id))
        .await
        .map_err(|e| anyhow!("owner: {e}"))?;
    decide(app, facilitator, clinic, &[
        ("under_discussion", "Lots of support: let us agree the rota before we try it."),
        ("piloting", "Pilot in March with volunteers from finance, sales and operations."),
        ("adopted", "The pilot answered 41 questions in four sessions. The clinic runs every Thursday from April."),
    ])
    .await?;
    decide(
        app,
        facilitator,
        glossary,
        &[
            ("adopted", "Agreed with the dashboard owners."),
            (
                "implemented",
                "The glossary is live and every dashboard links to it.",
            ),
        ],
    )
    .await?;
    decide(
        app,
        facilitator,
        hackathon,
        &[(
            "parked",
            "No budget for two full days this year; we will revisit in the autumn planning round.",
        )],
    )
    .await?;
    decide(app, facilitator, chart_review, &[("under_discussion", "")]).await?;
    Ok(())
}
