-- 0013-scheduler.sql: the scheduler's runs (docs/OPERATIONS.md, "The scheduler").

-- One finished run of a job. scheduled_for is the slot the run stands for
-- (the latest one that was due, after a missed stretch): the scheduler reads
-- a job's last one at start to tell whether a run was missed.
CREATE TABLE scheduler_runs (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  job            TEXT NOT NULL,
  scheduled_for  TEXT NOT NULL,
  started_at     TEXT NOT NULL,
  finished_at    TEXT NOT NULL,
  outcome        TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'skipped')),
  detail         TEXT
);
CREATE INDEX scheduler_runs_job ON scheduler_runs (job, id);
