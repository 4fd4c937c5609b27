-- 0010-live.sql: live trading on a venue (docs/LIVE.md).

-- The venue's own id of an order, once it took it; orders found on the
-- venue that Bourse did not place (external); a cancel asked of a venue
-- that has not confirmed it yet.
ALTER TABLE orders ADD COLUMN exchange_order_id TEXT;
ALTER TABLE orders ADD COLUMN external INTEGER NOT NULL DEFAULT 0 CHECK (external IN (0, 1));
ALTER TABLE orders ADD COLUMN cancel_requested_at TEXT;
CREATE UNIQUE INDEX orders_exchange_id ON orders (account_id, exchange_order_id)
  WHERE exchange_order_id IS NOT NULL;

-- The keys of a venue live in the keyring; this is what is known of them:
-- which key (its hint, never the key), and what the check on entry found.
CREATE TABLE exchange_keys (
  venue          TEXT PRIMARY KEY CHECK (venue IN ('binance')),
  kind           TEXT NOT NULL CHECK (kind IN ('hmac', 'ed25519')),
  api_key_hint   TEXT NOT NULL,
  base_url       TEXT NOT NULL,
  checked_at     TEXT,
  can_trade      INTEGER CHECK (can_trade IN (0, 1)),
  can_withdraw   INTEGER CHECK (can_withdraw IN (0, 1)),
  account_type   TEXT,
  -- Why the check did not pass; NULL when it passed.
  problem        TEXT,
  stored_at      TEXT NOT NULL
);

-- Every reconciliation of the live account against its venue.
CREATE TABLE reconciliations (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id     INTEGER NOT NULL REFERENCES accounts (id),
  trigger        TEXT NOT NULL CHECK (trigger IN ('start', 'reconnect', 'request', 'mode')),
  actor          TEXT NOT NULL,
  started_at     TEXT NOT NULL,
  finished_at    TEXT,
  outcome        TEXT CHECK (outcome IN ('ok', 'failed')),
  -- The report, as GET /api/v1/system/reconciliations answers it (JSON).
  report         TEXT
);

-- A venue's balances are the truth: the ledger takes them as they come
-- ('exchange', Binance's outboundAccountPosition) and when a reconciliation
-- finds them different ('reconcile'). SQLite cannot change a CHECK in
-- place; nothing references balance_changes, so it is rebuilt.
CREATE TABLE balance_changes_new (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER NOT NULL REFERENCES accounts (id),
  asset       TEXT NOT NULL,
  free        INTEGER NOT NULL,
  locked      INTEGER NOT NULL,
  change      INTEGER NOT NULL,
  reason      TEXT NOT NULL
              CHECK (reason IN ('deposit', 'lock', 'unlock', 'fill', 'fee', 'exchange', 'reconcile')),
  order_id    INTEGER REFERENCES orders (id),
  time        TEXT NOT NULL
);
INSERT INTO balance_changes_new SELECT * FROM balance_changes;
DROP TABLE balance_changes;
ALTER TABLE balance_changes_new RENAME TO balance_changes;
CREATE INDEX balance_changes_asset ON balance_changes (account_id, asset, id);
