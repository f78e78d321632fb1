//! The demo's profiles: departments, titles, offices with their time zones, languages and a
//! shared vocabulary of skills, so the people directory has something to find.

use super::Dice;
use anyhow::{Result, anyhow};
use guildhall_app::App;
use guildhall_app::people::{ProfileInput, Viewer};

const DEPARTMENTS: &[&str] = &[
    "Engineering",
    "Sales",
    "Customer Success",
    "People & Culture",
    "Finance",
    "Marketing",
];
const TITLES: &[&str] = &[
    "Software Engineer",
    "Account Executive",
    "Customer Success Manager",
    "Learning Partner",
    "Financial Analyst",
    "Product Marketing Manager",
    "Team Lead",
    "Data Analyst",
];
const OFFICES: &[(&str, &str)] = &[
    ("Berlin", "Europe/Berlin"),
    ("Lagos", "Africa/Lagos"),
    ("São Paulo", "America/Sao_Paulo"),
    ("Singapore", "Asia/Singapore"),
    ("Toronto", "America/Toronto"),
    ("Remote", "Europe/London"),
];
const LANGUAGES: &[&str] = &[
    "English",
    "German",
    "French",
    "Spanish",
    "Portuguese",
    "Yoruba",
    "Mandarin",
];
const SKILLS: &[&str] = &[
    "Public speaking",
    "Excel",
    "SQL",
    "Rust",
    "Negotiation",
    "Coaching",
    "Data visualisation",
    "Giving feedback",
    "Project management",
    "Python",
    "Storytelling",
    "Customer discovery",
];

pub async fn fill(app: &App, people: &[Viewer]) -> Result<()> {
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    for person in people {
        let (office, zone) = OFFICES[dice.roll(OFFICES.len())];
        let mut skills: Vec<&str> = Vec::new();
        for _ in 0..2 + dice.roll(3) {
            let skill = SKILLS[dice.roll(SKILLS.len())];
            if !skills.contains(&skill) {
                skills.push(skill);
            }
        }
        let input = ProfileInput {
            title: TITLES[dice.roll(TITLES.len())].into(),
            department: DEPARTMENTS[dice.roll(DEPARTMENTS.len())].into(),
            location: office.into(),
            time_zone: zone.into(),
            bio: String::new(),
            languages: format!("English, {}", LANGUAGES[dice.roll(LANGUAGES.len())]),
            interests: String::new(),
            skills: skills.join(", "),
        };
        app.update_profile(person, &input)
            .await
            .map_err(|e| anyhow!("profile of {}: {e}", person.display_name))?;
    }
    Ok(())
}
