-- 0004-jobs.sql: long-running work (downloads, imports, backtests) and its progress (docs/JOBS.md).
--
-- One row per job; the worker's progress and every change of state are
-- written here and published on the "jobs" topic. params is the job's JSON
-- object as submitted.

CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'queued'
               CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  params       TEXT NOT NULL DEFAULT '{}',
  progress     REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  message      TEXT,
  error        TEXT,
  created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at   TEXT NOT NULL,
  started_at   TEXT,
  finished_at  TEXT
);
CREATE INDEX jobs_created_by ON jobs (created_by, id);
-- Start-up looks for jobs a crash left unfinished.
CREATE INDEX jobs_unfinished ON jobs (status) WHERE status IN ('queued', 'running');
