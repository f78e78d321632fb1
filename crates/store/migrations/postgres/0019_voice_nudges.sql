-- "Listen more, talk less": each facilitator is nudged at most once a week per space.
CREATE TABLE voice_nudges (
    space_id BIGINT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    week BIGINT NOT NULL,
    PRIMARY KEY (space_id, user_id, week)
);
