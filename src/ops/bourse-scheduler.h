/* bourse-scheduler.h — jobs on cron-style schedules in a time zone, and their runs
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-cron.h"
#include "core/bourse-store.h"
#include "ops/bourse-clock.h"

G_BEGIN_DECLS

typedef enum
{
  BOURSE_RUN_OK,
  BOURSE_RUN_FAILED,
  BOURSE_RUN_SKIPPED,
  BOURSE_N_RUN_OUTCOMES
} BourseRunOutcome;

const char     *bourse_run_outcome_to_string  (BourseRunOutcome      outcome);


/* One run of a job, handed to its function, which reports the outcome
 * with bourse_scheduler_run_finish () exactly once, then or later (an
 * asynchronous job). The run is stored when it finishes. */
typedef struct _BourseSchedulerRun BourseSchedulerRun;

typedef void (*BourseSchedulerFunc) (BourseSchedulerRun *run,
                                     gpointer            user_data);

const char     *bourse_scheduler_run_get_job           (BourseSchedulerRun *run);
/* The slot it stands for: after a missed stretch, the latest one due. */
gint64          bourse_scheduler_run_get_scheduled_for (BourseSchedulerRun *run);
void            bourse_scheduler_run_finish            (BourseSchedulerRun *run,
                                                        BourseRunOutcome    outcome,
                                                        const char         *detail);

#define BOURSE_TYPE_SCHEDULER (bourse_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (BourseScheduler, bourse_scheduler, BOURSE, SCHEDULER, GObject)

/* Lives on the context of @clock (the thread-default one of the engine).
 * ::run-finished (job, outcome, detail) after each run is stored.
 *
 * Missed runs: at start, and whenever the clock turns out to have jumped
 * ahead (the machine slept, the clock was set), a job whose slot passed
 * without a run runs once, for the latest such slot, then follows its
 * schedule again; never once per missed slot. At start a job's last run
 * is read from the stored runs; a job never run before waits for its
 * next slot. A slot that comes while the job's previous run has not
 * finished is stored as skipped. */
BourseScheduler *bourse_scheduler_new           (BourseStore          *store,
                                                 BourseClock          *clock);
BourseClock     *bourse_scheduler_get_clock     (BourseScheduler      *self);
gboolean         bourse_scheduler_add_cron      (BourseScheduler      *self,
                                                 const char           *name,
                                                 const char           *expression,
                                                 const char           *time_zone,
                                                 BourseSchedulerFunc   func,
                                                 gpointer              user_data,
                                                 GDestroyNotify        destroy,
                                                 GError              **error);
/* A cron job's new schedule, in force at once (its next slot counted from
 * now); NOT_FOUND if @name is no cron job, INVALID as bourse_schedule_parse
 * and bourse_time_zone_new say. */
gboolean         bourse_scheduler_set_schedule  (BourseScheduler      *self,
                                                 const char           *name,
                                                 const char           *expression,
                                                 const char           *time_zone,
                                                 GError              **error);
/* Housekeeping: every @interval_s seconds from the start. */
gboolean         bourse_scheduler_add_interval  (BourseScheduler      *self,
                                                 const char           *name,
                                                 guint                 interval_s,
                                                 BourseSchedulerFunc   func,
                                                 gpointer              user_data,
                                                 GDestroyNotify        destroy,
                                                 GError              **error);
/* Runs missed runs, then waits for the next slots. */
gboolean         bourse_scheduler_start         (BourseScheduler      *self,
                                                 GError              **error);
/* No run starts after this; one under way is still stored when it ends. */
void             bourse_scheduler_stop          (BourseScheduler      *self);
gboolean         bourse_scheduler_is_running    (BourseScheduler      *self);
/* A run out of schedule, for now; its schedule is unchanged. CONFLICT if
 * the job is running, NOT_FOUND if there is no such job. */
gboolean         bourse_scheduler_run_now       (BourseScheduler      *self,
                                                 const char           *name,
                                                 GError              **error);
/* The jobs' names in the order they were added. */
GStrv            bourse_scheduler_dup_job_names (BourseScheduler      *self);
/* The next slot of @name; -1 when stopped or unknown. */
gint64           bourse_scheduler_get_next_run  (BourseScheduler      *self,
                                                 const char           *name);
/* Runs finished since the scheduler was created (the metrics' counter). */
guint64          bourse_scheduler_get_run_count (BourseScheduler      *self,
                                                 const char           *name,
                                                 BourseRunOutcome      outcome);
/* {"items":[{"name","schedule","time_zone","next_run","last_run",
 * "last_outcome","last_detail","running"}]}: interval jobs' schedule is
 * "@every Ns" and their time_zone null. */
JsonNode        *bourse_scheduler_jobs_to_json  (BourseScheduler      *self,
                                                 GError              **error);
/* {"items":[{"id","job","scheduled_for","started_at","finished_at",
 * "outcome","detail"}],"next_cursor"}, newest first; @job NULL for all,
 * @cursor 0 for the first page. */
JsonNode        *bourse_scheduler_list_runs     (BourseScheduler      *self,
                                                 const char           *job,
                                                 gint64                cursor,
                                                 guint                 limit,
                                                 GError              **error);

G_END_DECLS
