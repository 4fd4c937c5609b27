-- 0001-initial.sql: seed 000's tables (users, sessions, audit_log, config, statistics).
-- Times are RFC 3339 UTC text; the accounts issue fills these tables.

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,
  email          TEXT NOT NULL UNIQUE,
  password_hash  TEXT,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'trader', 'viewer')),
  status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'disabled')),
  tier           TEXT NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'pro', 'desk')),
  created_at     TEXT NOT NULL,
  last_login_at  TEXT
);

CREATE TABLE sessions (
  id                  INTEGER PRIMARY KEY,
  user_id             INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  refresh_token_hash  TEXT NOT NULL UNIQUE,
  created_at          TEXT NOT NULL,
  expires_at          TEXT NOT NULL,
  revoked_at          TEXT,
  client_address      TEXT,
  user_agent          TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Append-only; each row carries the previous row's hash (the accounts issue
-- computes it) so that editing or deleting a row is detected.
CREATE TABLE audit_log (
  id              INTEGER PRIMARY KEY,
  ts              TEXT NOT NULL,
  actor           TEXT,
  action          TEXT NOT NULL,
  target          TEXT,
  details         TEXT NOT NULL DEFAULT '{}',
  client_address  TEXT,
  request_id      TEXT,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL
);
CREATE INDEX audit_log_ts ON audit_log (ts);

CREATE TABLE config (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT
);

CREATE TABLE statistics (
  id     INTEGER PRIMARY KEY,
  key    TEXT NOT NULL,
  value  REAL NOT NULL,
  ts     TEXT NOT NULL
);
CREATE INDEX statistics_key_ts ON statistics (key, ts);
