-- Directory provisioning (SCIM 2.0, issue 5). Each directory (an organisation's identity system)
-- authenticates with its own bearer token, stored only as a hash. A directory sees only the people
-- and groups it provisioned: its own userName/externalId point at our users, its groups at spaces.
-- Unlinking (SCIM DELETE) removes these rows only; the person and the space keep their content.

CREATE TABLE directories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE UNIQUE INDEX directories_token_hash_idx ON directories (token_hash);

CREATE TABLE directory_users (
    directory_id INTEGER NOT NULL REFERENCES directories (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_name TEXT NOT NULL,
    -- userName is case-insensitive in SCIM: uniqueness and `eq` use the lower-cased key.
    user_name_key TEXT NOT NULL,
    external_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (directory_id, user_id)
);
CREATE UNIQUE INDEX directory_users_name_idx ON directory_users (directory_id, user_name_key);
CREATE INDEX directory_users_external_idx ON directory_users (directory_id, external_id);
CREATE INDEX directory_users_user_idx ON directory_users (user_id);

CREATE TABLE directory_groups (
    directory_id INTEGER NOT NULL REFERENCES directories (id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    external_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (directory_id, space_id)
);
CREATE INDEX directory_groups_external_idx ON directory_groups (directory_id, external_id);
CREATE INDEX directory_groups_space_idx ON directory_groups (space_id);
