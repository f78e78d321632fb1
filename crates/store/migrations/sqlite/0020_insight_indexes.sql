-- The insights read by time: the community dashboard (posts of the last twelve weeks), the
-- monitoring feed for moderators (questions and new members of the last week).
CREATE INDEX posts_created_idx ON posts (created_at);
CREATE INDEX threads_kind_created_idx ON threads (kind, created_at);
CREATE INDEX space_members_created_idx ON space_members (created_at);
