//! What the demo organisation talks about: eight spaces of every kind and visibility, and the
//! threads, replies and answers that fill them.

pub struct DemoSpace {
    pub name: &'static str,
    pub kind: &'static str,
    pub visibility: &'static str,
    pub description: &'static str,
    pub rules: &'static str,
    /// Index into `people::PEOPLE` of the facilitator who creates it.
    pub facilitator: usize,
    pub topics: &'static [&'static str],
}

pub const SPACES: &[DemoSpace] = &[
    DemoSpace {
        name: "Leadership Cohort Spring 2027",
        kind: "cohort",
        visibility: "on_request",
        description: "Twelve weeks of leading people well: feedback, delegation, hard conversations. Bring what happened at work this week.",
        rules: "What is said about colleagues stays in the cohort. Ask before you quote someone.",
        facilitator: 2,
        topics: &[
            "giving feedback that lands",
            "delegating without micromanaging",
            "running one-to-ones",
            "handling conflict in the team",
            "setting goals with the team",
        ],
    },
    DemoSpace {
        name: "Data Literacy",
        kind: "community",
        visibility: "open",
        description: "Spreadsheets, SQL, dashboards and the questions behind them. Beginners very welcome.",
        rules: "No question is too basic. Share the query, not the customer data.",
        facilitator: 3,
        topics: &[
            "pivot tables",
            "writing a first SQL query",
            "choosing the right chart",
            "cleaning messy exports",
            "reading a dashboard critically",
        ],
    },
    DemoSpace {
        name: "Public Speaking Workshop",
        kind: "event",
        visibility: "open",
        description: "A hands-on workshop and the conversation after it: what you tried, what worked, what you will try next.",
        rules: "Encourage first, suggest second.",
        facilitator: 24,
        topics: &[
            "opening a talk",
            "handling nerves",
            "slides that help",
            "answering hard questions",
            "storytelling with numbers",
        ],
    },
    DemoSpace {
        name: "Customer Success Team",
        kind: "team",
        visibility: "invite_only",
        description: "Our team's learning space: playbooks, call reviews and what we learned from customers.",
        rules: "Customer names stay out of titles.",
        facilitator: 3,
        topics: &[
            "renewal calls",
            "onboarding checklists",
            "handling escalations",
            "writing help articles",
            "measuring health scores",
        ],
    },
    DemoSpace {
        name: "Onboarding Cohort November",
        kind: "cohort",
        visibility: "open",
        description: "Everyone who joined in November: ask anything about how things work here.",
        rules: "Be kind; everyone was new once.",
        facilitator: 2,
        topics: &[
            "expense reports",
            "finding the right person",
            "our product in five minutes",
            "tools we use",
            "the first 90 days",
        ],
    },
    DemoSpace {
        name: "Agile Practices",
        kind: "community",
        visibility: "open",
        description: "Retrospectives, planning, estimates and the rituals that help (or do not).",
        rules: "Describe what you tried before asking for a method.",
        facilitator: 24,
        topics: &[
            "running a retrospective",
            "estimating without arguing",
            "kanban limits",
            "writing good user stories",
            "demo days",
        ],
    },
    DemoSpace {
        name: "Coaching Circle",
        kind: "community",
        visibility: "on_request",
        description: "For coaches and those learning to coach: practice, supervision and reflection.",
        rules: "Coachees are never named.",
        facilitator: 3,
        topics: &[
            "powerful questions",
            "contracting a coaching session",
            "coaching versus mentoring",
            "staying curious",
            "ending a coaching relationship",
        ],
    },
    DemoSpace {
        name: "Reorganisation Working Group",
        kind: "team",
        visibility: "secret",
        description: "Planning the new team structure before it is announced.",
        rules: "Confidential until the announcement.",
        facilitator: 0,
        topics: &[
            "team boundaries",
            "communication plan",
            "role descriptions",
            "timeline",
            "questions people will ask",
        ],
    },
];

/// (kind, title pattern, body pattern): `{}` becomes the topic.
pub const THREAD_SHAPES: &[(&str, &str, &str)] = &[
    (
        "question",
        "How do you approach {}?",
        "I am trying to get better at **{}**. What has worked for you, and what would you avoid?",
    ),
    (
        "question",
        "Stuck with {}: any advice?",
        "I tried the approach from the session on {} but it did not work in my team. Has anyone adapted it?",
    ),
    (
        "discussion",
        "What I learned about {} this week",
        "A short reflection on {}:\n\n- what I tried\n- what surprised me\n- what I will do next",
    ),
    (
        "idea",
        "Idea: a shared checklist for {}",
        "What if we kept a shared checklist for {}? I drafted one; improvements welcome.",
    ),
    (
        "resource",
        "A good read on {}",
        "This article explains {} better than anything I found so far. The second half is the useful part.",
    ),
    (
        "showcase",
        "Showcase: applying {} with my team",
        "Since the workshop I have been applying {}. Here is what changed, with before-and-after examples.",
    ),
    (
        "announcement",
        "Session on {} next month",
        "We will dedicate the next session to {}. Bring one real example from your work.",
    ),
];

pub const REPLIES: &[&str] = &[
    "Thanks for raising this. What helped me was to start small and ask for feedback early.",
    "I had the same problem. Writing down the three things I wanted to say before the meeting made a big difference.",
    "Have you tried pairing with someone who has done it before? It saved me weeks.",
    "Great question. In my team we agreed on a simple rule of thumb and revisited it after a month.",
    "I would add: make it visible. Once everyone could see it, the conversation changed.",
    "This is really useful, thank you for sharing the details.",
    "One thing I learned the hard way: check your assumptions with the people affected first.",
    "We tried this last quarter. It worked for the first weeks, then we had to simplify it.",
];
