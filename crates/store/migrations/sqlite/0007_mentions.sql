-- Mentions find people by their display name, case-insensitively.
CREATE INDEX users_display_name_idx ON users (lower(display_name));
