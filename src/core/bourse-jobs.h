/* bourse-jobs.h — long work in worker threads, persisted and published
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bourse-event-bus.h"
#include "bourse-store.h"

G_BEGIN_DECLS

#define BOURSE_JOBS_ERROR (bourse_jobs_error_quark ())

typedef enum
{
  BOURSE_JOBS_ERROR_NOT_FOUND = 1,
  BOURSE_JOBS_ERROR_FINISHED,     /* cancelling a job that has ended */
  BOURSE_JOBS_ERROR_STOPPED,      /* submitting after shutdown */
} BourseJobsError;

typedef enum
{
  BOURSE_JOB_QUEUED,
  BOURSE_JOB_RUNNING,
  BOURSE_JOB_SUCCEEDED,
  BOURSE_JOB_FAILED,
  BOURSE_JOB_CANCELLED,
} BourseJobStatus;

/* A job as stored; what GET /api/v1/jobs and the jobs topic show. */
typedef struct
{
  gint64           id;
  char            *kind;          /* "market.download" */
  BourseJobStatus  status;
  double           progress;      /* 0 … 1 */
  char            *message;       /* what it is doing, or what it did */
  char            *error;         /* why it failed, or NULL */
  JsonNode        *params;        /* an object */
  gint64           created_by;    /* a user id, 0 for none (the desktop owner, the system) */
  char            *created_at;    /* RFC 3339 */
  char            *started_at;    /* or NULL */
  char            *finished_at;   /* or NULL */
} BourseJobInfo;

/* The worker thread's handle on its job. */
typedef struct _BourseJob BourseJob;

/* The work, in a worker thread. Returns FALSE with @error on failure; an
 * error from a cancelled @cancellable makes the job "cancelled". */
typedef gboolean (*BourseJobFunc)       (BourseJob     *job,
                                         gpointer       user_data,
                                         GCancellable  *cancellable,
                                         GError       **error);
/* On the engine's context once the job has ended, inside the transaction
 * that stores its final state (an audit entry goes here). Returning FALSE
 * rolls that back, and the state is stored on its own. */
typedef gboolean (*BourseJobFinishFunc) (const BourseJobInfo  *info,
                                         BourseJob            *job,
                                         BourseStore          *store,
                                         gpointer              user_data,
                                         GError              **error);

#define BOURSE_TYPE_JOBS (bourse_jobs_get_type ())

G_DECLARE_FINAL_TYPE (BourseJobs, bourse_jobs, BOURSE, JOBS, GObject)

GQuark          bourse_jobs_error_quark       (void);
const char     *bourse_job_status_to_string   (BourseJobStatus       status);
gboolean        bourse_job_status_parse       (const char           *text,
                                               BourseJobStatus      *status);

/* Lives on the thread-default GMainContext it is created in (the engine's).
 * Marks jobs a crash left queued or running as failed ("interrupted"). */
BourseJobs     *bourse_jobs_new               (BourseStore          *store,
                                               BourseEventBus       *bus,
                                               GError              **error);
/* Stores the job (queued), publishes it and starts @func in a worker
 * thread. @destroy frees @user_data on the engine's context after @finish.
 * Returns the stored job. */
BourseJobInfo  *bourse_jobs_submit            (BourseJobs           *self,
                                               const char           *kind,
                                               JsonNode             *params,
                                               gint64                created_by,
                                               BourseJobFunc         func,
                                               BourseJobFinishFunc   finish,
                                               gpointer              user_data,
                                               GDestroyNotify        destroy,
                                               GError              **error);
/* Asks a queued or running job to stop; it ends "cancelled" once its
 * worker returns. NOT_FOUND, or FINISHED for an ended one. */
gboolean        bourse_jobs_cancel            (BourseJobs           *self,
                                               gint64                id,
                                               GError              **error);
BourseJobInfo  *bourse_jobs_get               (BourseJobs           *self,
                                               gint64                id,
                                               GError              **error);
/* Newest first; created_by < 0 means everyone's, 0 those of no user.
 * before_id > 0 pages on (ids below it). A GPtrArray of BourseJobInfo. */
GPtrArray      *bourse_jobs_list              (BourseJobs           *self,
                                               gint64                created_by,
                                               const char           *kind,
                                               gint64                before_id,
                                               guint                 limit,
                                               GError              **error);
guint           bourse_jobs_get_n_active      (BourseJobs           *self);
/* Cancels every job, waits for the workers, and stores them as failed
 * ("interrupted"); submit fails afterwards. */
void            bourse_jobs_shutdown          (BourseJobs           *self);

JsonNode       *bourse_job_info_to_json       (const BourseJobInfo  *info);
void            bourse_job_info_free          (BourseJobInfo        *info);

/* From the worker: thread-safe. Progress is clamped to 0 … 1 and reaches
 * the store and the jobs topic on the engine's context, coalesced. */
void            bourse_job_set_progress       (BourseJob            *job,
                                               double                fraction,
                                               const char           *message);
/* The message stored with the final state ("Downloaded 1,500 candles"). */
void            bourse_job_set_result_message (BourseJob            *job,
                                               const char           *message);
/* A result for @finish to read (an object; owned by the job). */
void            bourse_job_set_result         (BourseJob            *job,
                                               JsonNode             *result);
JsonNode       *bourse_job_get_result         (BourseJob            *job);
gint64          bourse_job_get_id             (BourseJob            *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseJobInfo, bourse_job_info_free)

G_END_DECLS
