/* bourse-optimisations.h — optimisation requests, their jobs and their records
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/BACKTESTS.md "Optimisation" is the contract: a request is a
 * backtest request (bourse_backtest_request_parse ()) with the search's own
 * members (bourse_optimiser_options_parse ()), refused member by member
 * before anything runs; it runs as a "backtest.optimise" job that loads the
 * series once on its own read-only connection and hands it to the
 * optimiser's worker pool, and it is stored with its result, the winner's
 * parameters and an audit entry. Every SQL statement of the optimisations
 * table is in bourse-optimisations.c.
 */

#pragma once

#include "bourse-backtests.h"
#include "bourse-optimiser.h"

G_BEGIN_DECLS

/* The kind of the job, and the action of its audit entry. */
#define BOURSE_OPTIMISATION_JOB_KIND "backtest.optimise"
/* The topic the records are published on as they change. */
#define BOURSE_OPTIMISATIONS_TOPIC   "optimisations"

/* An optimisation as stored; what GET /api/v1/optimisations/{id} shows. */
typedef struct
{
  gint64           id;
  gint64           job_id;           /* 0: none (its job is gone) */
  char            *strategy;
  char            *symbol;
  char            *interval;
  char            *start;            /* RFC 3339 */
  char            *end;
  JsonObject      *request;          /* the backtest members and the search's, defaults filled in */
  BourseJobStatus  status;
  char            *error;
  JsonObject      *best_params;      /* the winner's, every parameter; NULL before it succeeded */
  JsonNode        *result;           /* only when asked for; NULL before it succeeded */
  char            *note;
  gint64           created_by;       /* 0: none */
  char            *created_by_name;  /* NULL: none, or the account is gone */
  char            *created_at;
  char            *finished_at;      /* or NULL */
} BourseOptimisationRecord;

typedef struct
{
  const char *strategy;          /* an id or alias, or NULL */
  const char *symbol;            /* or NULL */
  gint64      before_id;         /* cursor: ids below it; 0: the newest */
  guint       limit;             /* ≥ 1 */
} BourseOptimisationFilter;

void                      bourse_optimisation_record_free    (BourseOptimisationRecord    *record);
/* The Optimisation of docs/BACKTESTS.md, with "result" when the record holds one. */
JsonNode                 *bourse_optimisation_record_to_json (const BourseOptimisationRecord *record);

#define BOURSE_TYPE_OPTIMISATIONS (bourse_optimisations_get_type ())

G_DECLARE_FINAL_TYPE (BourseOptimisations, bourse_optimisations, BOURSE, OPTIMISATIONS, GObject)

/* On the engine's context. Marks the optimisations a crash or a stop left
 * queued or running as failed ("interrupted"), as BourseJobs does their
 * jobs. @risk (may be NULL) gives the limits of a request with
 * protections. */
BourseOptimisations      *bourse_optimisations_new           (BourseStore                 *store,
                                                              BourseEventBus              *bus,
                                                              BourseJobs                  *jobs,
                                                              BourseAuth                  *auth,
                                                              BourseRisk                  *risk,
                                                              GError                     **error);
/* Validates @object as the body of POST /api/v1/optimisations (every
 * refusal a BOURSE_ERROR_INVALID naming the member: "space.fast",
 * "walk_forward.folds", "end"), stores the optimisation (queued) and
 * submits its job; returns the record, and the job in *job (may be NULL).
 * Published on BOURSE_OPTIMISATIONS_TOPIC. */
BourseOptimisationRecord *bourse_optimisations_submit        (BourseOptimisations         *self,
                                                              JsonObject                  *object,
                                                              const BourseBacktestsCaller *caller,
                                                              BourseJobInfo              **job,
                                                              GError                     **error);
/* NOT_FOUND when there is none. @with_result adds the result. */
BourseOptimisationRecord *bourse_optimisations_get           (BourseOptimisations         *self,
                                                              gint64                       id,
                                                              gboolean                     with_result,
                                                              GError                     **error);
/* Newest first, without results: a GPtrArray of BourseOptimisationRecord.
 * The strategy filter takes an alias; an unknown one matches nothing. */
GPtrArray                *bourse_optimisations_list          (BourseOptimisations         *self,
                                                              const BourseOptimisationFilter *filter,
                                                              GError                     **error);
/* Sets the note (at most BOURSE_BACKTEST_MAX_NOTE characters, INVALID
 * naming "note"); FORBIDDEN naming "id" for someone else's without
 * caller->any. Audited optimisation.note. */
BourseOptimisationRecord *bourse_optimisations_set_note      (BourseOptimisations         *self,
                                                              gint64                       id,
                                                              const char                  *note,
                                                              const BourseBacktestsCaller *caller,
                                                              GError                     **error);
/* Cancels its job if it still runs, then deletes it; FORBIDDEN as above.
 * Audited optimisation.delete. */
gboolean                  bourse_optimisations_delete        (BourseOptimisations         *self,
                                                              gint64                       id,
                                                              const BourseBacktestsCaller *caller,
                                                              GError                     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseOptimisationRecord, bourse_optimisation_record_free)

G_END_DECLS
