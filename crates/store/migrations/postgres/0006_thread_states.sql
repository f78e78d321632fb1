-- Per person and thread: how far they have read and how much they want to hear about it.

CREATE TABLE thread_states (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    last_read_post_id BIGINT NOT NULL DEFAULT 0,
    subscription TEXT NOT NULL DEFAULT 'normal',
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX thread_states_watchers_idx ON thread_states (thread_id, subscription);
