/* bourse-scheduler.c — jobs on cron-style schedules in a time zone, and their runs
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"

#include "bourse-scheduler.h"

/* An alarm that fires this much later than asked means the clock jumped. */
#define JUMP_TOLERANCE_MS (90 * 1000)
/* The runs kept per job: housekeeping runs every few seconds. */
#define RUNS_KEPT        1000
/* Bounds the search for the latest missed slot of a frequent schedule. */
#define MAX_MISSED_STEPS 100000

const char *
bourse_run_outcome_to_string (BourseRunOutcome outcome)
{
  switch (outcome)
    {
    case BOURSE_RUN_OK:      return "ok";
    case BOURSE_RUN_FAILED:  return "failed";
    case BOURSE_RUN_SKIPPED: return "skipped";
    case BOURSE_N_RUN_OUTCOMES:
    default:                 g_return_val_if_reached ("failed");
    }
}

/* Jobs and runs {{{ */

typedef struct
{
  char                *name;
  char                *expression;   /* cron jobs */
  BourseSchedule      *schedule;
  GTimeZone           *tz;
  char                *tz_name;
  guint                interval_s;   /* interval jobs */
  BourseSchedulerFunc  func;
  gpointer             user_data;
  GDestroyNotify       destroy;
  gint64               next_due;     /* -1: none (stopped) */
  BourseSchedulerRun  *running;
  guint64              counts[BOURSE_N_RUN_OUTCOMES];
} Job;

struct _BourseSchedulerRun
{
  BourseScheduler *scheduler;   /* owned */
  char            *job;
  gint64           scheduled_for;
  gint64           started_at;
  gboolean         finished;
};

struct _BourseScheduler
{
  GObject      parent_instance;

  BourseStore *store;
  BourseClock *clock;
  GPtrArray   *jobs;        /* of Job, in the order added */
  gboolean     running;
  guint        alarm;
  gint64       alarm_at;    /* what the alarm was set for */
};

enum {
  RUN_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BourseScheduler, bourse_scheduler, G_TYPE_OBJECT)

static void
job_free (Job *job)
{
  if (job->destroy != NULL)
    job->destroy (job->user_data);
  g_free (job->name);
  g_free (job->expression);
  g_clear_pointer (&job->schedule, bourse_schedule_free);
  g_clear_pointer (&job->tz, g_time_zone_unref);
  g_free (job->tz_name);
  g_free (job);
}

static Job *
find_job (BourseScheduler *self,
          const char      *name)
{
  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (g_str_equal (job->name, name))
        return job;
    }
  return NULL;
}

static void
bourse_scheduler_dispose (GObject *object)
{
  BourseScheduler *self = (BourseScheduler *)object;

  bourse_scheduler_stop (self);
  /* The jobs' data may hold what holds the scheduler. */
  g_ptr_array_set_size (self->jobs, 0);

  G_OBJECT_CLASS (bourse_scheduler_parent_class)->dispose (object);
}

static void
bourse_scheduler_finalize (GObject *object)
{
  BourseScheduler *self = (BourseScheduler *)object;

  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_object (&self->clock);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bourse_scheduler_parent_class)->finalize (object);
}

static void
bourse_scheduler_class_init (BourseSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_scheduler_dispose;
  object_class->finalize = bourse_scheduler_finalize;

  signals[RUN_FINISHED] =
    g_signal_new ("run-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING);
}

static void
bourse_scheduler_init (BourseScheduler *self)
{
  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
}

BourseScheduler *
bourse_scheduler_new (BourseStore *store,
                      BourseClock *clock)
{
  BourseScheduler *self;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_CLOCK (clock), NULL);

  self = g_object_new (BOURSE_TYPE_SCHEDULER, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  return self;
}

BourseClock *
bourse_scheduler_get_clock (BourseScheduler *self)
{
  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), NULL);

  return self->clock;
}

static gboolean
check_new_name (BourseScheduler  *self,
                const char       *name,
                GError          **error)
{
  if (find_job (self, name) != NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "name", _("There is a job named %s already"), name);
      return FALSE;
    }
  return TRUE;
}

static Job *
add_job (BourseScheduler     *self,
         const char          *name,
         BourseSchedulerFunc  func,
         gpointer             user_data,
         GDestroyNotify       destroy)
{
  Job *job = g_new0 (Job, 1);

  job->name = g_strdup (name);
  job->func = func;
  job->user_data = user_data;
  job->destroy = destroy;
  job->next_due = -1;
  g_ptr_array_add (self->jobs, job);
  return job;
}

gboolean
bourse_scheduler_add_cron (BourseScheduler      *self,
                           const char           *name,
                           const char           *expression,
                           const char           *time_zone,
                           BourseSchedulerFunc   func,
                           gpointer              user_data,
                           GDestroyNotify        destroy,
                           GError              **error)
{
  g_autoptr(BourseSchedule) schedule = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  Job *job;

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (name != NULL && expression != NULL && func != NULL, FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (!check_new_name (self, name, error)
      || (schedule = bourse_schedule_parse (expression, error)) == NULL
      || (tz = bourse_time_zone_new (time_zone, error)) == NULL)
    return FALSE;
  job = add_job (self, name, func, user_data, destroy);
  job->expression = g_strdup (expression);
  job->schedule = g_steal_pointer (&schedule);
  job->tz = g_steal_pointer (&tz);
  job->tz_name = g_strdup (time_zone);
  return TRUE;
}

gboolean
bourse_scheduler_add_interval (BourseScheduler      *self,
                               const char           *name,
                               guint                 interval_s,
                               BourseSchedulerFunc   func,
                               gpointer              user_data,
                               GDestroyNotify        destroy,
                               GError              **error)
{
  Job *job;

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (name != NULL && func != NULL, FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (interval_s == 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "interval", _("A job runs at most once a second"));
      return FALSE;
    }
  if (!check_new_name (self, name, error))
    return FALSE;
  job = add_job (self, name, func, user_data, destroy);
  job->interval_s = interval_s;
  return TRUE;
}

/* The job's first slot strictly after @after_ms. */
static gint64
next_slot (Job    *job,
           gint64  after_ms)
{
  if (job->schedule != NULL)
    return bourse_schedule_next (job->schedule, job->tz, after_ms);
  return after_ms + (gint64) job->interval_s * 1000;
}

/* The latest slot at or before @now_ms, from @due_ms (one, due). */
static gint64
latest_slot (Job    *job,
             gint64  due_ms,
             gint64  now_ms)
{
  gint64 slot = due_ms;

  if (job->schedule == NULL)
    return due_ms + (now_ms - due_ms) / ((gint64) job->interval_s * 1000) * job->interval_s * 1000;
  for (guint i = 0; i < MAX_MISSED_STEPS; i++)
    {
      gint64 next = next_slot (job, slot);

      if (next < 0 || next > now_ms)
        break;
      slot = next;
    }
  return slot;
}

const char *
bourse_scheduler_run_get_job (BourseSchedulerRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  return run->job;
}

gint64
bourse_scheduler_run_get_scheduled_for (BourseSchedulerRun *run)
{
  g_return_val_if_fail (run != NULL, 0);

  return run->scheduled_for;
}

static gboolean
store_run (BourseScheduler   *self,
           const char        *name,
           gint64             scheduled_for,
           gint64             started_at,
           gint64             finished_at,
           BourseRunOutcome   outcome,
           const char        *detail,
           GError           **error)
{
  g_autofree char *scheduled = bourse_time_format_rfc3339 (scheduled_for);
  g_autofree char *started = bourse_time_format_rfc3339 (started_at);
  g_autofree char *finished = bourse_time_format_rfc3339 (finished_at);
  g_autoptr(BourseStatement) insert = NULL;
  g_autoptr(BourseStatement) prune = NULL;

  insert = bourse_store_statement (self->store,
                                   "INSERT INTO scheduler_runs (job, scheduled_for, started_at, finished_at, "
                                   "outcome, detail) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 2, scheduled, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, started, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 4, finished, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 5, bourse_run_outcome_to_string (outcome), -1, SQLITE_STATIC);
  if (detail != NULL)
    sqlite3_bind_text (insert, 6, detail, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (self->store, insert, error))
    return FALSE;

  prune = bourse_store_statement (self->store,
                                  "DELETE FROM scheduler_runs WHERE job = ?1 AND id <= "
                                  "(SELECT id FROM scheduler_runs WHERE job = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
                                  error);
  if (prune == NULL)
    return FALSE;
  sqlite3_bind_text (prune, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (prune, 2, RUNS_KEPT);
  return bourse_store_step_done (self->store, prune, error);
}

static void
record (BourseScheduler   *self,
        const char        *name,
        gint64             scheduled_for,
        gint64             started_at,
        BourseRunOutcome   outcome,
        const char        *detail)
{
  g_autoptr(GError) error = NULL;
  Job *job = find_job (self, name);

  if (!store_run (self, name, scheduled_for, started_at, bourse_clock_now_ms (self->clock), outcome, detail,
                  &error))
    g_warning ("Could not store the run of %s: %s", name, error->message);
  if (job != NULL)
    job->counts[outcome]++;
  if (outcome == BOURSE_RUN_FAILED)
    g_message ("Job %s failed: %s", name, detail != NULL ? detail : "");
  else
    g_debug ("Job %s: %s", name, bourse_run_outcome_to_string (outcome));
  g_signal_emit (self, signals[RUN_FINISHED], 0, name, (int) outcome, detail);
}

void
bourse_scheduler_run_finish (BourseSchedulerRun *run,
                             BourseRunOutcome    outcome,
                             const char         *detail)
{
  BourseScheduler *self;
  Job *job;

  g_return_if_fail (run != NULL);
  g_return_if_fail (!run->finished);
  g_return_if_fail (outcome < BOURSE_N_RUN_OUTCOMES);

  self = run->scheduler;
  run->finished = TRUE;
  job = find_job (self, run->job);
  if (job != NULL && job->running == run)
    job->running = NULL;
  record (self, run->job, run->scheduled_for, run->started_at, outcome, detail);
  g_free (run->job);
  g_object_unref (run->scheduler);
  g_free (run);
}

static void
start_run (BourseScheduler *self,
           Job             *job,
           gint64           scheduled_for)
{
  BourseSchedulerRun *run = g_new0 (BourseSchedulerRun, 1);

  run->scheduler = g_object_ref (self);
  run->job = g_strdup (job->name);
  run->scheduled_for = scheduled_for;
  run->started_at = bourse_clock_now_ms (self->clock);
  job->running = run;
  job->func (run, job->user_data);
}

static gboolean alarm_cb (gpointer data);

static void
arm (BourseScheduler *self)
{
  gint64 earliest = -1;

  if (self->alarm != 0)
    bourse_clock_remove_alarm (self->clock, self->alarm);
  self->alarm = 0;
  if (!self->running)
    return;
  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (job->next_due >= 0 && (earliest < 0 || job->next_due < earliest))
        earliest = job->next_due;
    }
  if (earliest < 0)
    return;
  self->alarm_at = earliest;
  self->alarm = bourse_clock_add_alarm (self->clock, earliest, alarm_cb, self);
}

/* Runs each job whose slot came, once, and sets its next slot after now:
 * after a jump, however many slots passed, that is one run. */
static void
tick (BourseScheduler *self)
{
  gint64 now = bourse_clock_now_ms (self->clock);

  g_object_ref (self);
  for (guint i = 0; i < self->jobs->len && self->running; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);
      gint64 slot;

      if (job->next_due < 0 || job->next_due > now)
        continue;
      slot = latest_slot (job, job->next_due, now);
      job->next_due = job->schedule != NULL ? next_slot (job, now) : next_slot (job, slot);
      if (job->running != NULL)
        record (self, job->name, slot, now, BOURSE_RUN_SKIPPED, "the previous run had not finished");
      else
        start_run (self, job, slot);
    }
  arm (self);
  g_object_unref (self);
}

static gboolean
alarm_cb (gpointer data)
{
  BourseScheduler *self = data;
  gint64 late = bourse_clock_now_ms (self->clock) - self->alarm_at;

  self->alarm = 0;
  if (late > JUMP_TOLERANCE_MS)
    g_message ("The clock jumped %" G_GINT64_FORMAT " s ahead (the machine slept, or the clock was set): "
               "each job that missed its time runs once", late / 1000);
  tick (self);
  return G_SOURCE_REMOVE;
}

/* The slot of the job's last stored run, or -1. */
static gboolean
last_scheduled (BourseScheduler  *self,
                const char       *name,
                gint64           *out,
                GError          **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  gboolean row;

  *out = -1;
  stmt = bourse_store_statement (self->store,
                                 "SELECT scheduled_for FROM scheduler_runs WHERE job = ? ORDER BY id DESC LIMIT 1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_row (self->store, stmt, &row, error))
    return FALSE;
  if (row && !bourse_time_parse_rfc3339 ((const char *) sqlite3_column_text (stmt, 0), out, NULL))
    *out = -1;
  return TRUE;
}

gboolean
bourse_scheduler_set_schedule (BourseScheduler  *self,
                               const char       *name,
                               const char       *expression,
                               const char       *time_zone,
                               GError          **error)
{
  g_autoptr(BourseSchedule) schedule = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  Job *job;

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (name != NULL && expression != NULL, FALSE);

  job = find_job (self, name);
  if (job == NULL || job->schedule == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_NOT_FOUND, "job", _("There is no scheduled job “%s”"), name);
      return FALSE;
    }
  if ((schedule = bourse_schedule_parse (expression, error)) == NULL
      || (tz = bourse_time_zone_new (time_zone, error)) == NULL)
    return FALSE;

  g_free (job->expression);
  job->expression = g_strdup (expression);
  bourse_schedule_free (job->schedule);
  job->schedule = g_steal_pointer (&schedule);
  g_time_zone_unref (job->tz);
  job->tz = g_steal_pointer (&tz);
  g_free (job->tz_name);
  job->tz_name = g_strdup (time_zone);
  /* From now on: a new schedule does not owe the slots the old one missed. */
  if (self->running)
    {
      job->next_due = next_slot (job, bourse_clock_now_ms (self->clock));
      arm (self);
    }
  return TRUE;
}

gboolean
bourse_scheduler_start (BourseScheduler  *self,
                        GError          **error)
{
  gint64 now;

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), FALSE);

  if (self->running)
    return TRUE;
  now = bourse_clock_now_ms (self->clock);
  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);
      gint64 last;

      if (!last_scheduled (self, job->name, &last, error))
        return FALSE;
      /* A job never run waits for its first slot; one that ran resumes
       * after its last, which may be due at once: the missed run. */
      job->next_due = next_slot (job, last >= 0 ? MIN (last, now) : now);
    }
  self->running = TRUE;
  tick (self);
  return TRUE;
}

void
bourse_scheduler_stop (BourseScheduler *self)
{
  g_return_if_fail (BOURSE_IS_SCHEDULER (self));

  self->running = FALSE;
  if (self->alarm != 0)
    bourse_clock_remove_alarm (self->clock, self->alarm);
  self->alarm = 0;
  for (guint i = 0; i < self->jobs->len; i++)
    ((Job *) g_ptr_array_index (self->jobs, i))->next_due = -1;
}

gboolean
bourse_scheduler_is_running (BourseScheduler *self)
{
  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), FALSE);

  return self->running;
}

gboolean
bourse_scheduler_run_now (BourseScheduler  *self,
                          const char       *name,
                          GError          **error)
{
  Job *job;

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if ((job = find_job (self, name)) == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_NOT_FOUND, "job", _("There is no job named %s"), name);
      return FALSE;
    }
  if (job->running != NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "job", _("The job %s is running"), name);
      return FALSE;
    }
  start_run (self, job, bourse_clock_now_ms (self->clock));
  return TRUE;
}

GStrv
bourse_scheduler_dup_job_names (BourseScheduler *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), NULL);

  for (guint i = 0; i < self->jobs->len; i++)
    g_strv_builder_add (builder, ((Job *) g_ptr_array_index (self->jobs, i))->name);
  return g_strv_builder_end (builder);
}

gint64
bourse_scheduler_get_next_run (BourseScheduler *self,
                               const char      *name)
{
  Job *job;

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), -1);

  job = find_job (self, name);
  return job != NULL ? job->next_due : -1;
}

guint64
bourse_scheduler_get_run_count (BourseScheduler  *self,
                                const char       *name,
                                BourseRunOutcome  outcome)
{
  Job *job;

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), 0);
  g_return_val_if_fail (outcome < BOURSE_N_RUN_OUTCOMES, 0);

  job = find_job (self, name);
  return job != NULL ? job->counts[outcome] : 0;
}

static void
add_run (JsonBuilder  *builder,
         sqlite3_stmt *stmt,
         gpointer      data)
{
  json_builder_begin_object (builder);
  bourse_json_builder_add_int (builder, "id", sqlite3_column_int64 (stmt, 0));
  bourse_json_builder_add_string (builder, "job", (const char *) sqlite3_column_text (stmt, 1));
  bourse_json_builder_add_string (builder, "scheduled_for", (const char *) sqlite3_column_text (stmt, 2));
  bourse_json_builder_add_string (builder, "started_at", (const char *) sqlite3_column_text (stmt, 3));
  bourse_json_builder_add_string (builder, "finished_at", (const char *) sqlite3_column_text (stmt, 4));
  bourse_json_builder_add_string (builder, "outcome", (const char *) sqlite3_column_text (stmt, 5));
  bourse_json_builder_add_string (builder, "detail", (const char *) sqlite3_column_text (stmt, 6));
  json_builder_end_object (builder);
}

JsonNode *
bourse_scheduler_jobs_to_json (BourseScheduler  *self,
                               GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);
      g_autoptr(BourseStatement) stmt = NULL;
      g_autofree char *every = NULL;
      gboolean row;

      stmt = bourse_store_statement (self->store,
                                     "SELECT finished_at, outcome, detail FROM scheduler_runs WHERE job = ? "
                                     "ORDER BY id DESC LIMIT 1", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, job->name, -1, SQLITE_TRANSIENT);
      if (!bourse_store_step_row (self->store, stmt, &row, error))
        return NULL;

      json_builder_begin_object (builder);
      bourse_json_builder_add_string (builder, "name", job->name);
      if (job->schedule == NULL)
        every = g_strdup_printf ("@every %us", job->interval_s);
      bourse_json_builder_add_string (builder, "schedule", job->schedule != NULL ? job->expression : every);
      bourse_json_builder_add_string (builder, "time_zone", job->tz_name);
      if (job->next_due >= 0)
        bourse_json_builder_add_time (builder, "next_run", job->next_due);
      else
        bourse_json_builder_add_string (builder, "next_run", NULL);
      bourse_json_builder_add_string (builder, "last_run", row ? (const char *) sqlite3_column_text (stmt, 0) : NULL);
      bourse_json_builder_add_string (builder, "last_outcome", row ? (const char *) sqlite3_column_text (stmt, 1) : NULL);
      bourse_json_builder_add_string (builder, "last_detail", row ? (const char *) sqlite3_column_text (stmt, 2) : NULL);
      json_builder_set_member_name (builder, "running");
      json_builder_add_boolean_value (builder, job->running != NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  /* One page holds them all: the list's shape, without a next one. */
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
bourse_scheduler_list_runs (BourseScheduler  *self,
                            const char       *job,
                            gint64            cursor,
                            guint             limit,
                            GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BOURSE_IS_SCHEDULER (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  stmt = bourse_store_prepare (self->store,
                               "SELECT id, job, scheduled_for, started_at, finished_at, outcome, detail "
                               "FROM scheduler_runs WHERE (?1 IS NULL OR job = ?1) AND (?2 = 0 OR id < ?2) "
                               "ORDER BY id DESC LIMIT ?3", error);
  if (stmt == NULL)
    return NULL;
  if (job != NULL)
    sqlite3_bind_text (stmt, 1, job, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, cursor);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);
  return bourse_store_read_page (self->store, stmt, limit, TRUE, add_run, NULL, error);
}

/* }}} */
