-- Events inside spaces, with RSVPs, attendance and the follow-up prompts posted after them.

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    location TEXT NOT NULL,
    video_url TEXT,
    capacity INTEGER,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    cancelled_at TEXT
);
CREATE INDEX events_space_start_idx ON events (space_id, starts_at);

CREATE TABLE event_rsvps (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    going BOOLEAN NOT NULL,
    attended BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_rsvps_user_idx ON event_rsvps (user_id);

CREATE TABLE event_prompts (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    day_offset INTEGER NOT NULL,
    body TEXT NOT NULL,
    thread_id INTEGER REFERENCES threads (id) ON DELETE SET NULL,
    posted_at TEXT
);
CREATE INDEX event_prompts_event_idx ON event_prompts (event_id, day_offset);
