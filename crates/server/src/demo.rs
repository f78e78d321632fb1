//! A realistic demo organisation: people with professional names across every role, so a newcomer
//! sees Guildhall as it looks in use. Later capabilities add their own demo content here.

use anyhow::{Result, bail};
use guildhall_app::App;
use guildhall_app::people::NewPerson;
use guildhall_domain::people::Role;

pub const DEMO_PASSWORD: &str = "guildhall-demo-2026";
const DOMAIN: &str = "northwind.example";

const PEOPLE: &[(&str, &str, &[Role])] = &[
    ("Amara", "Okafor", &[Role::Admin]),
    ("Jonas", "Lindqvist", &[Role::Hr]),
    ("Priya", "Raman", &[Role::Facilitator]),
    ("Mateo", "García", &[Role::Facilitator, Role::Coach]),
    ("Hannah", "Schmidt", &[Role::Moderator]),
    ("Kenji", "Watanabe", &[Role::Coach]),
    ("Fatima", "Al-Sayed", &[Role::Coach]),
    ("Liam", "O'Connor", &[]),
    ("Chloé", "Dubois", &[]),
    ("Oluwaseun", "Adeyemi", &[]),
    ("Sofia", "Rossi", &[]),
    ("Dmitri", "Volkov", &[]),
    ("Aisha", "Mensah", &[]),
    ("Lucas", "Fernandes", &[]),
    ("Mei", "Chen", &[]),
    ("Noah", "Kowalski", &[]),
    ("Zanele", "Dlamini", &[]),
    ("Elif", "Yılmaz", &[]),
    ("Rahul", "Mehta", &[]),
    ("Ingrid", "Haugen", &[]),
    ("Tomás", "Ó Briain", &[]),
    ("Grace", "Mwangi", &[]),
    ("Samuel", "Cohen", &[]),
    ("Ana", "Popescu", &[]),
];

fn email(given: &str, family: &str) -> String {
    let simple = |s: &str| -> String {
        s.chars()
            .filter_map(|c| match c {
                'é' => Some('e'),
                'á' => Some('a'),
                'í' => Some('i'),
                'ó' | 'Ó' => Some('o'),
                'ı' => Some('i'),
                c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect()
    };
    format!("{}.{}@{DOMAIN}", simple(given), simple(family))
}

pub async fn fill(app: &App) -> Result<()> {
    if !app.needs_setup().await? {
        bail!(
            "the demo fills an empty database only; this one already has people (use a fresh data_dir)"
        );
    }
    let total = PEOPLE.len();
    for (done, (given, family, roles)) in PEOPLE.iter().enumerate() {
        let person = NewPerson {
            given_name: (*given).into(),
            family_name: (*family).into(),
            email: email(given, family),
            password: DEMO_PASSWORD.into(),
        };
        app.create_person_from_cli(&person, roles)
            .await
            .map_err(|e| anyhow::anyhow!("demo person {given} {family}: {e}"))?;
        eprint!("\rDemo organisation: {}/{total} people", done + 1);
    }
    eprintln!();
    println!(
        "Demo organisation ready. Sign in as {} (administrator) with the password {DEMO_PASSWORD}.",
        email(PEOPLE[0].0, PEOPLE[0].1)
    );
    Ok(())
}
