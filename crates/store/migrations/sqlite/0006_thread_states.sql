-- Per person and thread: how far they have read and how much they want to hear about it.

CREATE TABLE thread_states (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    last_read_post_id INTEGER NOT NULL DEFAULT 0,
    subscription TEXT NOT NULL DEFAULT 'normal',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX thread_states_watchers_idx ON thread_states (thread_id, subscription);
