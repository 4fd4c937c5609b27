-- 0006-models.sql: fitted parameter sets of strategy types (docs/STRATEGIES.md,
-- "Models").
--
-- params is the fitted parameter set as a JSON object in the strategy's own
-- parameter names (a live strategy that deploys the model evaluates with
-- them over its own); metrics is a JSON object of what the fit measured.
-- version counts 1, 2, 3 … per (strategy, symbol, interval). Times are
-- RFC 3339 UTC text, window_start/window_end candle open times in ms.

CREATE TABLE models (
  id            INTEGER PRIMARY KEY,
  strategy      TEXT NOT NULL,
  symbol        TEXT NOT NULL,
  interval      TEXT NOT NULL,
  version       INTEGER NOT NULL CHECK (version >= 1),
  params        TEXT NOT NULL DEFAULT '{}',
  metrics       TEXT NOT NULL DEFAULT '{}',
  job_id        INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
  created_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at    TEXT NOT NULL,
  UNIQUE (strategy, symbol, interval, version)
);
