-- 0008-trading.sql: the book — accounts, orders, fills, balances and their
-- history, positions, round-trip trades, equity snapshots (docs/TRADING.md).
--
-- Money is BourseDecimal units (value × 10^8) in INTEGER columns: exact,
-- summed and compared as integers. Times are RFC 3339 UTC text of fixed
-- width (they sort as text). AUTOINCREMENT everywhere: an id is never
-- reused, so an audit entry's target names one record forever.

CREATE TABLE accounts (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  mode           TEXT NOT NULL UNIQUE CHECK (mode IN ('paper', 'live')),
  broker         TEXT NOT NULL,
  currency       TEXT NOT NULL,
  starting_cash  INTEGER NOT NULL CHECK (starting_cash >= 0),
  created_at     TEXT NOT NULL
);

CREATE TABLE orders (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id        INTEGER NOT NULL REFERENCES accounts (id),
  client_order_id   TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
  type              TEXT NOT NULL
                    CHECK (type IN ('MARKET', 'LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT')),
  time_in_force     TEXT NOT NULL DEFAULT 'GTC' CHECK (time_in_force IN ('GTC', 'IOC', 'FOK')),
  status            TEXT NOT NULL DEFAULT 'NEW'
                    CHECK (status IN ('NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED')),
  quantity          INTEGER NOT NULL CHECK (quantity > 0),
  filled_quantity   INTEGER NOT NULL DEFAULT 0 CHECK (filled_quantity >= 0 AND filled_quantity <= quantity),
  price             INTEGER CHECK (price > 0),
  stop_price        INTEGER CHECK (stop_price > 0),
  triggered         INTEGER NOT NULL DEFAULT 0 CHECK (triggered IN (0, 1)),
  filled_notional   INTEGER NOT NULL DEFAULT 0,
  fee               INTEGER NOT NULL DEFAULT 0,
  fee_asset         TEXT NOT NULL,
  -- What the order still holds out of free balance: quote for a BUY, base for a SELL.
  locked            INTEGER NOT NULL DEFAULT 0 CHECK (locked >= 0),
  locked_asset      TEXT NOT NULL,
  reduce_only       INTEGER NOT NULL DEFAULT 0 CHECK (reduce_only IN (0, 1)),
  -- A bracket to place once this entry fills, and the legs' links.
  stop_loss         INTEGER CHECK (stop_loss > 0),
  take_profit       INTEGER CHECK (take_profit > 0),
  parent_id         INTEGER REFERENCES orders (id),
  oco_id            INTEGER,
  approval_id       INTEGER REFERENCES approvals (id) ON DELETE SET NULL,
  strategy_id       INTEGER REFERENCES live_strategies (id) ON DELETE SET NULL,
  -- What the exit is, when it closes a round trip: stop_loss, take_profit, manual, halt, signal.
  purpose           TEXT,
  reason            TEXT,
  created_by        INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  -- The one decision on duplicates: a retried client_order_id finds its order.
  UNIQUE (account_id, client_order_id)
);
CREATE INDEX orders_open ON orders (account_id, symbol)
  WHERE status IN ('NEW', 'PARTIALLY_FILLED');
CREATE INDEX orders_symbol ON orders (symbol, id);
-- One entry order per approval: a second execute cannot create another.
CREATE UNIQUE INDEX orders_approval ON orders (approval_id)
  WHERE approval_id IS NOT NULL AND parent_id IS NULL;

CREATE TABLE fills (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id        INTEGER NOT NULL REFERENCES orders (id),
  account_id      INTEGER NOT NULL REFERENCES accounts (id),
  symbol          TEXT NOT NULL,
  side            TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
  price           INTEGER NOT NULL CHECK (price > 0),
  quantity        INTEGER NOT NULL CHECK (quantity > 0),
  quote_quantity  INTEGER NOT NULL CHECK (quote_quantity >= 0),
  fee             INTEGER NOT NULL CHECK (fee >= 0),
  fee_asset       TEXT NOT NULL,
  liquidity       TEXT NOT NULL CHECK (liquidity IN ('maker', 'taker')),
  -- The exchange's trade id for live fills: the same execution is never booked twice.
  external_id     TEXT,
  trade_id        INTEGER,
  time            TEXT NOT NULL,
  UNIQUE (account_id, external_id)
);
CREATE INDEX fills_order ON fills (order_id);

CREATE TABLE balances (
  account_id  INTEGER NOT NULL REFERENCES accounts (id),
  asset       TEXT NOT NULL,
  free        INTEGER NOT NULL,
  locked      INTEGER NOT NULL CHECK (locked >= 0),
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (account_id, asset)
);

-- Every change of a balance, for GET /balances/history.
CREATE TABLE balance_changes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER NOT NULL REFERENCES accounts (id),
  asset       TEXT NOT NULL,
  free        INTEGER NOT NULL,
  locked      INTEGER NOT NULL,
  change      INTEGER NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('deposit', 'lock', 'unlock', 'fill', 'fee')),
  order_id    INTEGER REFERENCES orders (id),
  time        TEXT NOT NULL
);
CREATE INDEX balance_changes_asset ON balance_changes (account_id, asset, id);

CREATE TABLE trades (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id     INTEGER NOT NULL REFERENCES accounts (id),
  symbol         TEXT NOT NULL,
  side           TEXT NOT NULL CHECK (side IN ('LONG', 'SHORT')),
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  -- Everything entered and exited, so the averages are exact quotients.
  entry_quantity INTEGER NOT NULL DEFAULT 0,
  entry_notional INTEGER NOT NULL DEFAULT 0,
  exit_quantity  INTEGER NOT NULL DEFAULT 0,
  exit_notional  INTEGER NOT NULL DEFAULT 0,
  gross_pnl      INTEGER NOT NULL DEFAULT 0,
  fees           INTEGER NOT NULL DEFAULT 0,
  exit_reason    TEXT,
  approval_id    INTEGER REFERENCES approvals (id) ON DELETE SET NULL,
  strategy_id    INTEGER REFERENCES live_strategies (id) ON DELETE SET NULL,
  opened_at      TEXT NOT NULL,
  closed_at      TEXT
);
CREATE INDEX trades_symbol ON trades (symbol, id);
CREATE INDEX trades_closed ON trades (closed_at) WHERE status = 'closed';

CREATE TABLE positions (
  account_id    INTEGER NOT NULL REFERENCES accounts (id),
  symbol        TEXT NOT NULL,
  quantity      INTEGER NOT NULL,
  cost          INTEGER NOT NULL,
  realized_pnl  INTEGER NOT NULL DEFAULT 0,
  fees          INTEGER NOT NULL DEFAULT 0,
  trade_id      INTEGER REFERENCES trades (id),
  opened_at     TEXT,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (account_id, symbol)
);

CREATE TABLE equity_snapshots (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id       INTEGER NOT NULL REFERENCES accounts (id),
  time             TEXT NOT NULL,
  cash             INTEGER NOT NULL,
  positions_value  INTEGER NOT NULL,
  equity           INTEGER NOT NULL
);
CREATE INDEX equity_snapshots_time ON equity_snapshots (account_id, time);

-- The trading loop and the mode, as an admin left them.
CREATE TABLE trading_status (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  running  INTEGER NOT NULL DEFAULT 1 CHECK (running IN (0, 1)),
  mode     TEXT NOT NULL DEFAULT 'paper' CHECK (mode IN ('paper', 'live')),
  updated_at TEXT NOT NULL
);
