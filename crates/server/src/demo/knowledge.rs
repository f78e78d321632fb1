//! The demo's library: a dozen resources of every kind in "Data Literacy" with readers'
//! ratings (one flagged outdated by two readers, so its owner is asked to review it), and two
//! learning paths that a few members are part-way along.

use super::content;
use anyhow::{Result, anyhow};
use guildhall_app::App;
use guildhall_app::knowledge::ResourceInput;
use guildhall_app::outbox::OutboxWorker;
use guildhall_app::people::Viewer;
use guildhall_domain::knowledge::Rating;
use guildhall_domain::spaces::slugify;

/// (kind, title, url, text, tags, skills)
const RESOURCES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "link",
        "SQL joins, drawn as pictures",
        "https://learning.example.org/sql/joins",
        "The clearest explanation of inner, left and full joins I have found.",
        "sql, joins",
        "SQL",
    ),
    (
        "article",
        "Reading a query plan without fear",
        "",
        "# Reading a query plan\n\nStart at the most indented line: that is what runs first. Look for **sequential scans** on large tables and ask whether an index would help.",
        "sql, performance",
        "SQL, Query tuning",
    ),
    (
        "video",
        "Window functions in twelve minutes",
        "https://video.example.org/window-functions",
        "A short talk with running totals and rankings worked through live.",
        "sql, analytics",
        "SQL",
    ),
    (
        "file",
        "Dashboard review checklist",
        "",
        "The one-page checklist the analytics team uses before a dashboard goes out (attach the PDF on the thread).",
        "dashboards, checklist",
        "Data visualisation",
    ),
    (
        "link",
        "Choosing the right chart",
        "https://learning.example.org/charts/choosing",
        "A decision tree from the question you ask to the chart that answers it.",
        "charts, dashboards",
        "Data visualisation",
    ),
    (
        "article",
        "Cleaning survey data: our house rules",
        "",
        "# Cleaning survey data\n\n1. Keep the raw export untouched.\n2. Record every change in a notebook.\n3. Never delete an outlier without writing down why.",
        "surveys, cleaning",
        "Data cleaning",
    ),
    (
        "video",
        "Pivot tables for people who avoid spreadsheets",
        "https://video.example.org/pivot-tables",
        "Twenty minutes from a raw export to a summary by region and month.",
        "excel, pivot",
        "Spreadsheets",
    ),
    (
        "link",
        "Statistical significance, explained plainly",
        "https://learning.example.org/stats/significance",
        "What a p-value does and does not tell you, with an A/B test example.",
        "statistics, experiments",
        "Statistics",
    ),
    (
        "link",
        "Legacy reporting portal guide (2019)",
        "https://intranet.example.org/reporting-portal",
        "How to export reports from the old portal.",
        "reporting, legacy",
        "Reporting",
    ),
    (
        "file",
        "Data glossary of the finance team",
        "",
        "Every acronym finance uses in its reports, with the table each figure comes from.",
        "glossary, finance",
        "Reporting",
    ),
    (
        "article",
        "Writing a data story in five paragraphs",
        "",
        "# A data story\n\nStart with the decision the reader faces, then the one number that matters, then the evidence, the caveats and the ask.",
        "storytelling, writing",
        "Data storytelling",
    ),
    (
        "video",
        "Version control for analysts",
        "https://video.example.org/git-for-analysts",
        "Why notebooks and SQL files belong in git, and the five commands you need.",
        "git, workflow",
        "Version control",
    ),
];

/// Index of the resource two readers flag as outdated (the 2019 portal guide).
const OUTDATED: usize = 8;

/// (title, description, in the space, resource indexes in order)
const PATHS: &[(&str, &str, bool, &[usize])] = &[
    (
        "SQL from zero",
        "For colleagues who have never written a query: five steps, an hour each.",
        true,
        &[0, 2, 1, 11, 9],
    ),
    (
        "From question to dashboard",
        "From the question you are asked to a dashboard your colleagues use, in four steps.",
        false,
        &[4, 3, 10, 6],
    ),
];

async fn settle(app: &App) -> Result<()> {
    let worker = OutboxWorker::new(app.clone());
    while worker.run_once().await.map_err(|e| anyhow!("{e}"))? > 0 {}
    Ok(())
}

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    let space = &content::SPACES[1]; // Data Literacy: an open community
    let slug = slugify(space.name);
    let facilitator = &people[space.facilitator];
    // A few regulars share and read; joining an open space they are in already changes nothing.
    let regulars: Vec<&Viewer> = [space.facilitator, 3, 5, 7, 9, 11, 13]
        .iter()
        .filter_map(|&i| people.get(i))
        .collect();
    for person in &regulars {
        app.join_space(person, &slug)
            .await
            .map_err(|e| anyhow!("join: {e}"))?;
    }
    let mut ids = Vec::with_capacity(RESOURCES.len());
    for (n, &(kind, title, url, body, tags, skills)) in RESOURCES.iter().enumerate() {
        let owner = regulars[n % 4];
        let input = ResourceInput {
            kind: kind.into(),
            title: title.into(),
            url: url.into(),
            body: body.into(),
            tags: tags.into(),
            skills: skills.into(),
            ..ResourceInput::default()
        };
        let id = app
            .add_resource(owner, &slug, &input)
            .await
            .map_err(|e| anyhow!("resource {title}: {e}"))?;
        ids.push((id, owner.id));
    }
    // Readers rate what helped them; two say the 2019 guide no longer holds.
    for (n, &(id, owner)) in ids.iter().enumerate() {
        for (r, reader) in regulars.iter().enumerate().skip(1) {
            if reader.id == owner || (n + r) % 3 == 0 {
                continue;
            }
            let rating = if n == OUTDATED {
                if r > 2 {
                    continue;
                }
                Rating::Outdated
            } else {
                Rating::Helpful
            };
            app.rate_resource(reader, id, Some(rating))
                .await
                .map_err(|e| anyhow!("rating: {e}"))?;
        }
    }
    // Two learning paths, with some members part-way along.
    for (p, &(title, description, in_space, steps)) in PATHS.iter().enumerate() {
        let author = if in_space { facilitator } else { regulars[1] };
        let space = in_space.then_some(slug.as_str());
        let path = app
            .create_collection(author, space, title, description)
            .await
            .map_err(|e| anyhow!("path {title}: {e}"))?;
        for &step in steps {
            app.add_to_collection(author, path, ids[step].0)
                .await
                .map_err(|e| anyhow!("path step: {e}"))?;
        }
        for (r, walker) in regulars.iter().enumerate().skip(2) {
            let done = (r + p) % steps.len();
            for &step in steps.iter().take(done) {
                app.mark_done(walker, path, ids[step].0, true)
                    .await
                    .map_err(|e| anyhow!("progress: {e}"))?;
            }
        }
    }
    settle(app).await
}
