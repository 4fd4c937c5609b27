-- 0012-notifications.sql: the notification outbox, preferences and devices
-- (docs/OPERATIONS.md).

-- What happened: written by bourse_outbox_emit () in the transaction of its
-- cause. The worker turns each into deliveries and sets dispatched_at.
CREATE TABLE notification_events (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  event          TEXT NOT NULL,
  user_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,  -- the user it is about, if any
  data           TEXT NOT NULL DEFAULT '{}',
  created_at     TEXT NOT NULL,
  dispatched_at  TEXT
);
CREATE INDEX notification_events_waiting ON notification_events (id) WHERE dispatched_at IS NULL;

-- One delivery of an event to one recipient on one channel.
CREATE TABLE notifications (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id         INTEGER NOT NULL REFERENCES notification_events (id) ON DELETE CASCADE,
  user_id          INTEGER REFERENCES users (id) ON DELETE CASCADE,
  channel          TEXT NOT NULL,
  recipient        TEXT NOT NULL DEFAULT '',
  device_id        INTEGER REFERENCES devices (id) ON DELETE SET NULL,
  subject          TEXT NOT NULL DEFAULT '',
  body             TEXT NOT NULL DEFAULT '',   -- the plain text, a reset's token masked
  status           TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dropped')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  last_error       TEXT,
  response         TEXT,
  created_at       TEXT NOT NULL,
  sent_at          TEXT
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX notifications_user ON notifications (user_id, id);

-- Each user's channels per event; user_id NULL holds the defaults admins set.
CREATE TABLE notification_preferences (
  user_id   INTEGER REFERENCES users (id) ON DELETE CASCADE,
  event     TEXT NOT NULL,
  channels  TEXT NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX notification_preferences_key ON notification_preferences (coalesce (user_id, 0), event);

-- Per-user settings of the channels themselves (an ntfy topic).
CREATE TABLE notification_settings (
  user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  ntfy_topic  TEXT
);

-- Devices registered for push (seed 002).
CREATE TABLE devices (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  platform    TEXT NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
  token       TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  last_used_at TEXT
);
CREATE INDEX devices_user ON devices (user_id);
