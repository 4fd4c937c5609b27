-- 0009-risk.sql: the risk module's tables (docs/TRADING.md, "Risk").
--
-- Money is BourseDecimal units (value × 10^8) in INTEGER columns, NULL for
-- "no limit"; fractions (risk per trade, drawdown) are decimals too. Times
-- are RFC 3339 UTC text of fixed width, as in the other tables.

-- The global limits and the protections' settings: one row.
CREATE TABLE risk_limits (
  id                         INTEGER PRIMARY KEY CHECK (id = 1),
  max_order_notional         INTEGER CHECK (max_order_notional > 0),
  max_position_notional      INTEGER CHECK (max_position_notional > 0),
  max_open_orders            INTEGER CHECK (max_open_orders > 0),
  max_daily_loss             INTEGER CHECK (max_daily_loss > 0),
  -- A JSON array of symbols; empty: every symbol.
  symbols_allowed            TEXT NOT NULL DEFAULT '[]',
  -- Minutes a symbol rests after a stop-loss exit; 0: off.
  cooldown_minutes           INTEGER NOT NULL DEFAULT 0 CHECK (cooldown_minutes >= 0),
  -- N stop-loss exits within the window halt trading for the lock; 0: off.
  guard_count                INTEGER NOT NULL DEFAULT 0 CHECK (guard_count >= 0),
  guard_window_minutes       INTEGER NOT NULL DEFAULT 1440 CHECK (guard_window_minutes > 0),
  guard_lock_minutes         INTEGER NOT NULL DEFAULT 60 CHECK (guard_lock_minutes > 0),
  -- A drawdown of equity from its peak within the window of at least this
  -- fraction puts trading in drawdown_state for the lock; NULL: off.
  drawdown_fraction          INTEGER CHECK (drawdown_fraction > 0 AND drawdown_fraction <= 100000000),
  drawdown_window_minutes    INTEGER NOT NULL DEFAULT 1440 CHECK (drawdown_window_minutes > 0),
  drawdown_lock_minutes      INTEGER NOT NULL DEFAULT 60 CHECK (drawdown_lock_minutes > 0),
  drawdown_state             TEXT NOT NULL DEFAULT 'REDUCING' CHECK (drawdown_state IN ('REDUCING', 'HALTED')),
  -- Today's net PnL at or below −max_daily_loss halts until the next UTC day.
  daily_loss_halt            INTEGER NOT NULL DEFAULT 1 CHECK (daily_loss_halt IN (0, 1)),
  updated_at                 TEXT,
  updated_by                 TEXT
);
INSERT INTO risk_limits (id) VALUES (1);

-- Each user's own profile, within the global limits. user_id 0 is the
-- desktop's local owner, who has no row in users: hence no foreign key.
CREATE TABLE risk_profiles (
  user_id             INTEGER PRIMARY KEY CHECK (user_id >= 0),
  risk_per_trade      INTEGER NOT NULL CHECK (risk_per_trade > 0 AND risk_per_trade <= 100000000),
  max_order_notional  INTEGER CHECK (max_order_notional > 0),
  max_daily_loss      INTEGER CHECK (max_daily_loss > 0),
  updated_at          TEXT NOT NULL
);

-- The trading state set by hand: one row.
CREATE TABLE risk_state (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  state   TEXT NOT NULL CHECK (state IN ('ACTIVE', 'REDUCING', 'HALTED')),
  reason  TEXT,
  since   TEXT NOT NULL,
  until   TEXT,
  set_by  TEXT
);
INSERT INTO risk_state (id, state, since, set_by)
  VALUES (1, 'ACTIVE', strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system');

-- Protections that triggered: a symbol's cooldown (state NULL: it refuses
-- new entries on the symbol only), or a state imposed on all trading until
-- `until`. lifted_at is set when it ends, on time or by a resume.
CREATE TABLE protections (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('cooldown', 'stoploss_guard', 'max_drawdown', 'daily_loss')),
  symbol        TEXT,
  state         TEXT CHECK (state IN ('REDUCING', 'HALTED')),
  reason        TEXT NOT NULL,
  triggered_at  TEXT NOT NULL,
  until         TEXT NOT NULL,
  lifted_at     TEXT
);
CREATE INDEX protections_active ON protections (until) WHERE lifted_at IS NULL;

-- Stop-loss exits, counted by the stop-loss guard over its window.
CREATE TABLE risk_stop_losses (
  id      INTEGER PRIMARY KEY,
  symbol  TEXT NOT NULL,
  at      TEXT NOT NULL
);
CREATE INDEX risk_stop_losses_at ON risk_stop_losses (at);
