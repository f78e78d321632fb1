//! When the fast layers are unsure, the sentence model is asked. Keywords and the insult score
//! are one half; the other is a sentence touching what mocking without swear words is made of
//! (a trait, a group, a wish, sarcasm) — the model then tells a remark about someone's accent
//! from a question about accent training. Words are matched on the normalised text.

use super::conclude::FastReading;
use super::rules::{find_pattern, words};

/// Insult model score from which a sentence is worth a closer look.
pub(super) const INSULT_GATE: f64 = 0.2;

/// Why the sentence model reads a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Opening {
    /// The fast layers found something or are unsure, or the sentence touches what mocking is
    /// made of.
    Sensitive,
    /// It only speaks to or about a person ("you", "she", "I'll"). Most such sentences are
    /// friendly, so the model must be surer; without it a quarter of the training set's rude
    /// remarks and a third of its threats ("You better lock your door tonight") went unread.
    Addressed,
}

/// Whether, and why, the sentence model should read a sentence.
pub(super) fn opening(fast: &FastReading, normalised: &str) -> Option<Opening> {
    let text_words = words(normalised);
    let any = |list: &[&str]| {
        list.iter()
            .any(|pattern| !find_pattern(pattern, &text_words).is_empty())
    };
    if !fast.reasons.is_empty() || fast.insult >= INSULT_GATE || any(SENSITIVE) {
        Some(Opening::Sensitive)
    } else if any(ADDRESSED) {
        Some(Opening::Addressed)
    } else {
        None
    }
}

/// Words that point at a person: the one spoken to, a third person, or the writer's intent.
#[rustfmt::skip]
const ADDRESSED: &[&str] = &[
    "you", "your", "you're", "youre", "yours", "yourself", "u", "ur", "he", "she", "his", "her",
    "him", "hers", "he's", "she's", "they", "them", "me", "my", "i'd", "i'll", "i'm", "let's",
    "lets",
];

/// Traits and groups people are demeaned for, wishes and harm, sarcasm aimed at a person.
/// Words that opened the model to many more harmless training sentences than harmful ones
/// ("kill" the process, "short" reflection, "congrats") are left out.
#[rustfmt::skip]
const SENSITIVE: &[&str] = &[
    // accent, origin, language
    "accent*", "english", "foreign*", "immigrant*", "country", "countries", "where you're from",
    "your people", "you people", "those people", "these people", "their kind", "your kind",
    "native", "third world", "culture",
    // age
    "old", "older", "age", "aged", "boomer*", "millennial*", "gen z", "young", "kid", "kids",
    "grandpa", "grandma", "dinosaur*", "retire*", "senior moment",
    // gender
    "women", "woman", "girl*", "ladies", "lady", "men", "man", "guys",
    "emotional", "hormon*", "pregnant", "mother*", "blonde",
    // departments and roles
    "sales", "marketing", "hr", "finance", "accounting", "legal", "intern*", "contractor*",
    "engineers", "developers", "devs", "admin*", "ops",
    "department", "team", "teams",
    // body and looks
    "fat", "weight", "ugly", "looks", "look like", "face", "body", "bald", "skinny",
    "smell*", "voice", "dress*", "wear*",
    // intelligence and ability
    "brain*", "iq", "smart", "slow", "simple", "thick", "dense", "dim", "bright", "genius",
    "einstein", "think", "thinking", "understand", "understood", "read", "spell*",
    "qualified", "hired", "promoted", "capable", "competent", "clue", "mental*", "crazy",
    "insane", "psycho*", "autis*", "disab*", "wheelchair", "deaf", "blind", "religio*", "church",
    "mosque", "pray*",
    // wishing harm, failure, dismissal; threats
    "hope you", "hope he", "hope she", "hope they", "hope your", "wish you", "deserve*", "fired",
    "fire you", "sack*", "laid off", "lose your", "lose their", "fail*", "crash", "burn", "die",
    "dead", "death", "hurt", "punch*", "hit you", "beat*", "regret", "pay for",
    "watch your", "watch out", "find you", "know where", "career", "never work", "get rid",
    "replace you", "out of here", "gone",
    // sarcasm and belittling
    "wow", "brilliant", "great job", "nice job", "well done", "bravo", "sure",
    "obviously", "of course", "again", "even", "literally", "bless", "cute", "adorable",
    "sweetie", "honey", "darling", "little", "another", "typical", "nobody", "no one",
    "everyone knows", "embarrass*", "joke", "laugh*", "clown*", "circus", "pathetic", "shame",
    "waste", "useless", "stupid", "idiot*", "dumb",
    // bodies and sex without explicit words
    "hot", "cute", "bed", "kiss*", "touch*", "legs", "lips", "skirt", "shirt", "body", "room",
    "hotel", "alone", "private*", "night", "pics", "photos", "picture*",
];
