-- 0005-desk.sql: live strategies, their signals, recommendations, approvals and
-- signal webhooks (docs/DESK.md).
--
-- Prices are BourseDecimal units (value × 10^8) in INTEGER columns, as in
-- the candles table; NULL where a NO_TRADE has no level. metrics and params
-- are JSON objects as text. Symbols are stored as text: they are immutable,
-- and a recommendation stays readable after its instrument is gone. Times
-- are RFC 3339 UTC text of fixed width (they sort as text), candle times ms.

CREATE TABLE live_strategies (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL CHECK (length (name) BETWEEN 1 AND 100),
  strategy        TEXT NOT NULL,
  symbol          TEXT NOT NULL,
  interval        TEXT NOT NULL,
  params          TEXT NOT NULL DEFAULT '{}',
  policy          TEXT NOT NULL DEFAULT 'manual'
                  CHECK (policy IN ('manual', 'auto-paper', 'notify-only')),
  enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  -- A fitted parameter set (the models issue); unused until then.
  model_id        INTEGER,
  created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  last_signal_at  TEXT
);
-- Every closed candle looks up the enabled strategies of its (symbol, interval).
CREATE INDEX live_strategies_feed ON live_strategies (symbol, interval) WHERE enabled = 1;

CREATE TABLE webhooks (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL CHECK (length (name) BETWEEN 1 AND 100),
  -- The secret is not here: it lives in the secret store as "webhook:<id>".
  created_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);

CREATE TABLE recommendations (
  id                INTEGER PRIMARY KEY,
  symbol            TEXT NOT NULL,
  interval          TEXT NOT NULL,
  strategy          TEXT NOT NULL,
  strategy_version  TEXT NOT NULL DEFAULT '1',
  strategy_id       INTEGER REFERENCES live_strategies (id) ON DELETE SET NULL,
  webhook_id        INTEGER REFERENCES webhooks (id) ON DELETE SET NULL,
  params            TEXT NOT NULL DEFAULT '{}',
  decision          TEXT NOT NULL CHECK (decision IN ('BUY', 'SELL', 'NO_TRADE')),
  entry             INTEGER,
  stop_loss         INTEGER,
  take_profit       INTEGER,
  risk_reward       REAL,
  confidence        REAL NOT NULL DEFAULT 0 CHECK (confidence >= 0 AND confidence <= 1),
  reason            TEXT NOT NULL,
  metrics           TEXT NOT NULL DEFAULT '{}',
  window_start      INTEGER NOT NULL,
  window_end        INTEGER NOT NULL,
  window_candles    INTEGER NOT NULL CHECK (window_candles >= 0),
  origin            TEXT NOT NULL CHECK (origin IN ('analysis', 'live', 'webhook')),
  simulated         INTEGER NOT NULL CHECK (simulated IN (0, 1)),
  created_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,
  -- The audit actor who asked ("user:42", "api-key:7", "local-owner",
  -- "system", "webhook:3"): the four-eyes rule compares it.
  requester         TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  CHECK ((decision = 'NO_TRADE') = (entry IS NULL)),
  CHECK ((decision = 'NO_TRADE') = (stop_loss IS NULL)),
  CHECK ((decision = 'NO_TRADE') = (take_profit IS NULL))
);
CREATE INDEX recommendations_symbol ON recommendations (symbol, id);
CREATE INDEX recommendations_strategy ON recommendations (strategy, id);
CREATE INDEX recommendations_decision ON recommendations (decision, id);
CREATE INDEX recommendations_origin ON recommendations (origin, id);

CREATE TABLE approvals (
  id                 INTEGER PRIMARY KEY,
  recommendation_id  INTEGER NOT NULL UNIQUE REFERENCES recommendations (id) ON DELETE CASCADE,
  status             TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  requested_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
  requester          TEXT NOT NULL,
  decided_by         INTEGER REFERENCES users (id) ON DELETE SET NULL,
  decider            TEXT,
  reason             TEXT,
  created_at         TEXT NOT NULL,
  decided_at         TEXT,
  expires_at         TEXT NOT NULL,
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
-- The list (pending first, newest first) and the expiry check.
CREATE INDEX approvals_status ON approvals (status, id);
CREATE INDEX approvals_pending_expiry ON approvals (expires_at) WHERE status = 'pending';

CREATE TABLE signals (
  id                 INTEGER PRIMARY KEY,
  strategy_id        INTEGER REFERENCES live_strategies (id) ON DELETE SET NULL,
  strategy           TEXT NOT NULL,
  symbol             TEXT NOT NULL,
  interval           TEXT NOT NULL,
  decision           TEXT NOT NULL CHECK (decision IN ('BUY', 'SELL', 'NO_TRADE')),
  entry              INTEGER,
  stop_loss          INTEGER,
  take_profit        INTEGER,
  risk_reward        REAL,
  confidence         REAL NOT NULL DEFAULT 0 CHECK (confidence >= 0 AND confidence <= 1),
  reason             TEXT NOT NULL,
  metrics            TEXT NOT NULL DEFAULT '{}',
  candle_time        INTEGER NOT NULL,
  recommendation_id  INTEGER REFERENCES recommendations (id) ON DELETE SET NULL,
  created_at         TEXT NOT NULL
);
CREATE INDEX signals_strategy ON signals (strategy_id, id);
CREATE INDEX signals_symbol ON signals (symbol, id);
CREATE INDEX signals_decision ON signals (decision, id);
