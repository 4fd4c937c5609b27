-- 0011-backtests.sql: backtests and optimisations (docs/BACKTESTS.md).

-- One backtest: what was asked (the request as given, defaults filled in),
-- the job that runs it, and once it has run, its result (the JSON of
-- GET /api/v1/backtests/{id}'s "result") with the headline figures in
-- columns for lists and sorting.
CREATE TABLE backtests (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id           INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
  optimisation_id  INTEGER REFERENCES optimisations (id) ON DELETE CASCADE,
  strategy         TEXT NOT NULL,
  symbol           TEXT NOT NULL,
  interval         TEXT NOT NULL,
  start_time       TEXT NOT NULL,
  end_time         TEXT NOT NULL,
  request          TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  error            TEXT,
  result           TEXT,
  total_return     REAL,
  sharpe           REAL,
  max_drawdown     REAL,
  trades           INTEGER,
  note             TEXT NOT NULL DEFAULT '' CHECK (length (note) <= 2000),
  created_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at       TEXT NOT NULL,
  finished_at      TEXT
);
CREATE INDEX backtests_created ON backtests (created_by, id);
CREATE INDEX backtests_optimisation ON backtests (optimisation_id) WHERE optimisation_id IS NOT NULL;

-- One optimisation: the request, its job, and its result (every candidate's
-- parameters and figures, the winner, the walk-forward folds).
CREATE TABLE optimisations (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id           INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
  strategy         TEXT NOT NULL,
  symbol           TEXT NOT NULL,
  interval         TEXT NOT NULL,
  start_time       TEXT NOT NULL,
  end_time         TEXT NOT NULL,
  request          TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  error            TEXT,
  result           TEXT,
  best_params      TEXT,
  note             TEXT NOT NULL DEFAULT '' CHECK (length (note) <= 2000),
  created_by       INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at       TEXT NOT NULL,
  finished_at      TEXT
);
CREATE INDEX optimisations_created ON optimisations (created_by, id);
