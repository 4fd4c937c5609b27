-- 0003-market.sql: instruments and candles (docs/MARKET.md).
--
-- Prices, sizes and volumes are BourseDecimal units (value × 10^8) in
-- INTEGER columns: exact, and compared and summed as integers.

CREATE TABLE instruments (
  id            INTEGER PRIMARY KEY,
  symbol        TEXT NOT NULL UNIQUE,
  base_asset    TEXT NOT NULL,
  quote_asset   TEXT NOT NULL,
  tick_size     INTEGER NOT NULL CHECK (tick_size > 0),
  lot_step      INTEGER NOT NULL CHECK (lot_step > 0),
  min_notional  INTEGER NOT NULL DEFAULT 0 CHECK (min_notional >= 0),
  status        TEXT NOT NULL DEFAULT 'trading' CHECK (status IN ('trading', 'halted')),
  source        TEXT NOT NULL DEFAULT 'simulated' CHECK (source IN ('simulated', 'binance', 'csv')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE candles (
  instrument_id  INTEGER NOT NULL REFERENCES instruments (id) ON DELETE CASCADE,
  interval       TEXT NOT NULL,
  open_time      INTEGER NOT NULL,
  open           INTEGER NOT NULL,
  high           INTEGER NOT NULL,
  low            INTEGER NOT NULL,
  close          INTEGER NOT NULL,
  volume         INTEGER NOT NULL CHECK (volume >= 0),
  trades         INTEGER NOT NULL DEFAULT 0,
  closed         INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
  PRIMARY KEY (instrument_id, interval, open_time)
) WITHOUT ROWID;

-- The demo market on the simulated feed: a fresh database has something to show.
INSERT INTO instruments (symbol, base_asset, quote_asset, tick_size, lot_step, min_notional,
                         status, source, created_at, updated_at)
VALUES
  ('BTCUSDT', 'BTC', 'USDT', 1000000, 1000, 500000000, 'trading', 'simulated',
   strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime ('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('ETHUSDT', 'ETH', 'USDT', 1000000, 10000, 500000000, 'trading', 'simulated',
   strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime ('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('SOLUSDT', 'SOL', 'USDT', 1000000, 100000, 500000000, 'trading', 'simulated',
   strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'));
