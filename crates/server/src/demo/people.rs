//! The demo organisation's people: professional names from many cultures, with their roles.

use guildhall_domain::people::Role;

pub const DOMAIN: &str = "northwind.example";

pub const PEOPLE: &[(&str, &str, &[Role])] = &[
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
    ("Yusuf", "Demir", &[Role::Facilitator]),
    ("Leila", "Haddad", &[]),
    ("Henrik", "Johansson", &[]),
    ("Nadia", "Petrova", &[]),
    ("Kwame", "Boateng", &[]),
    ("Isabella", "Moreno", &[]),
    ("Arjun", "Nair", &[]),
    ("Charlotte", "Evans", &[]),
    ("Diego", "Santos", &[]),
    ("Hana", "Kobayashi", &[]),
    ("Olivia", "Brown", &[]),
    ("Thabo", "Nkosi", &[]),
    ("Marta", "Nowak", &[]),
    ("Farhan", "Rahman", &[]),
    ("Emma", "Laurent", &[]),
    ("Jae-won", "Park", &[]),
    ("Lucía", "Herrera", &[]),
    ("Omar", "Farouk", &[]),
    ("Freya", "Andersen", &[]),
    ("Kofi", "Asante", &[]),
    ("Sanna", "Virtanen", &[]),
    ("Ravi", "Iyer", &[]),
    ("Julia", "Becker", &[]),
    ("Ahmed", "Karimi", &[]),
    ("Nia", "Williams", &[]),
    ("Pedro", "Almeida", &[]),
];

/// given.family@northwind.example, with accents and spaces dropped.
pub fn email(given: &str, family: &str) -> String {
    let simple = |s: &str| -> String {
        s.chars()
            .filter_map(|c| match c {
                'é' => Some('e'),
                'á' => Some('a'),
                'í' | 'ı' => Some('i'),
                'ó' | 'Ó' => Some('o'),
                c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
                _ => None,
            })
            .collect()
    };
    format!("{}.{}@{DOMAIN}", simple(given), simple(family))
}
