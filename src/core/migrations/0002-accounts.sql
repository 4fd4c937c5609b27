-- 0002-accounts.sql: refresh-token rotation, API keys, password resets, PAM accounts.

-- A session's current refresh token hash is sessions.refresh_token_hash; every
-- hash it had before lands here, so presenting one again is recognised as
-- theft and revokes the session.
CREATE TABLE used_refresh_tokens (
  token_hash  TEXT PRIMARY KEY,
  session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  used_at     TEXT NOT NULL
);

CREATE TABLE api_keys (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  prefix        TEXT NOT NULL,
  key_hash      TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'trader', 'viewer')),
  created_at    TEXT NOT NULL,
  expires_at    TEXT,
  last_used_at  TEXT,
  revoked_at    TEXT
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE password_resets (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash    TEXT NOT NULL UNIQUE,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  used_at       TEXT,
  requested_by  TEXT
);

ALTER TABLE users ADD COLUMN auth_source TEXT NOT NULL DEFAULT 'local'
  CHECK (auth_source IN ('local', 'pam'));
