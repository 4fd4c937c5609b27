/* bourse-backtests.h — backtest requests, their jobs and their records
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/BACKTESTS.md "API" is the contract: a request is validated into a
 * BourseBacktestRequest, run as a "backtest.run" job in a worker thread
 * on its own read-only connection, and stored with its result, its
 * headline figures and an audit entry. Every SQL statement of the
 * backtests table is in bourse-backtests.c.
 */

#pragma once

#include "auth/bourse-auth.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-jobs.h"
#include "risk/bourse-risk.h"

#include "bourse-backtest.h"

G_BEGIN_DECLS

/* The kind of the job, and the action of its audit entry. */
#define BOURSE_BACKTEST_JOB_KIND     "backtest.run"
/* The topic the records are published on as they change. */
#define BOURSE_BACKTESTS_TOPIC       "backtests"
/* The limits of a request (docs/BACKTESTS.md). */
#define BOURSE_BACKTEST_MAX_SPAN_MS  G_GINT64_CONSTANT (315576000000)   /* 10 years of 365.25 days */
#define BOURSE_BACKTEST_MAX_LOOKBACK 5000
#define BOURSE_BACKTEST_MAX_NOTE     2000
#define BOURSE_BACKTEST_MAX_COMPARE  10

/* A request, validated. The spec owns its strategy, parameters and risk
 * limits; the run's window is all of the loaded series. */
typedef struct
{
  BourseBacktestSpec  spec;
  char               *symbol;        /* as the instrument is stored */
  BourseInterval      interval;
  gint64              start;         /* ms, inclusive */
  gint64              end;           /* ms, exclusive */
  gboolean            protections;
  char               *note;
  /* The request as stored: what was asked with the defaults filled in
   * ("strategy" its id, "params" resolved); no note, which changes. */
  JsonObject         *request;
} BourseBacktestRequest;

/* A backtest as stored; what GET /api/v1/backtests/{id} shows. */
typedef struct
{
  gint64           id;
  gint64           job_id;           /* 0: none (run by `boursed backtest run`, or its job is gone) */
  gint64           optimisation_id;  /* 0: none */
  char            *strategy;
  char            *symbol;
  char            *interval;
  char            *start;            /* RFC 3339 */
  char            *end;
  JsonObject      *request;
  BourseJobStatus  status;
  char            *error;
  /* Set once it succeeded. */
  gboolean         has_summary;
  double           total_return;
  double           sharpe;
  double           max_drawdown;
  gint64           trades;
  JsonNode        *result;           /* only when asked for; NULL before it succeeded */
  char            *note;
  gint64           created_by;       /* 0: none */
  char            *created_by_name;  /* NULL: none, or the account is gone */
  char            *created_at;
  char            *finished_at;      /* or NULL */
} BourseBacktestRecord;

/* Who asks, for the records and their audit entries. */
typedef struct
{
  const char              *actor;       /* "user:42", "cli:alice" */
  gint64                   user_id;     /* 0: none */
  const BourseAuthContext *context;     /* may be NULL */
  gboolean                 any;         /* may note and delete anyone's (admins) */
} BourseBacktestsCaller;

typedef struct
{
  const char *strategy;          /* an id or alias, or NULL */
  const char *symbol;            /* or NULL */
  gint64      optimisation_id;   /* 0: any */
  gint64      before_id;         /* cursor: ids below it; 0: the newest */
  guint       limit;             /* ≥ 1 */
} BourseBacktestFilter;

/* Validates @object as the body of POST /api/v1/backtests: every refusal
 * a BOURSE_ERROR_INVALID naming the member ("params.fast", "end"). A
 * member neither of a backtest request nor in @extra_members (NULL-
 * terminated, may be NULL: an optimisation's own members) is refused.
 * @store finds the instrument. */
BourseBacktestRequest *bourse_backtest_request_parse   (BourseStore                  *store,
                                                        JsonObject                   *object,
                                                        const char * const           *extra_members,
                                                        GError                      **error);
void                   bourse_backtest_request_free    (BourseBacktestRequest        *request);
/* With protections asked for, copies @risk's global limits and protections
 * in force now (GET /api/v1/risk/global) into the run's spec, whatever
 * changes meanwhile; nothing without them or without @risk. */
void                   bourse_backtest_request_take_risk_limits (BourseBacktestRequest *request,
                                                                 BourseRisk            *risk);
/* The candles of history the run reads before start: lookback − 1. */
guint                  bourse_backtest_request_get_history (const BourseBacktestRequest *request);
/* Loads the series from @store (a worker's own connection) and runs the
 * request over it; progress and cancel as bourse_backtest_run (). */
BourseBacktestResult  *bourse_backtest_request_run     (const BourseBacktestRequest  *request,
                                                        BourseStore                  *store,
                                                        BourseBacktestProgressFunc    progress,
                                                        gpointer                      progress_data,
                                                        GCancellable                 *cancellable,
                                                        GError                      **error);

void                   bourse_backtest_record_free     (BourseBacktestRecord         *record);
/* The Backtest of docs/BACKTESTS.md, with "result" when the record holds one. */
JsonNode              *bourse_backtest_record_to_json  (const BourseBacktestRecord   *record);
/* Stores a run made outside the jobs (`boursed backtest run`) as a
 * succeeded backtest without a job, with its audit entry (backtest.run) in
 * one transaction on @store, which @auth writes to. */
BourseBacktestRecord  *bourse_backtests_store_result   (BourseStore                  *store,
                                                        BourseAuth                   *auth,
                                                        const BourseBacktestRequest  *request,
                                                        const BourseBacktestResult   *result,
                                                        const BourseBacktestsCaller  *caller,
                                                        GError                      **error);

#define BOURSE_TYPE_BACKTESTS (bourse_backtests_get_type ())

G_DECLARE_FINAL_TYPE (BourseBacktests, bourse_backtests, BOURSE, BACKTESTS, GObject)

/* On the engine's context. Marks the backtests a crash or a stop left
 * queued or running as failed ("interrupted"), as BourseJobs does their
 * jobs. @risk (may be NULL) gives the limits of a request with
 * protections. */
BourseBacktests       *bourse_backtests_new            (BourseStore                  *store,
                                                        BourseEventBus               *bus,
                                                        BourseJobs                   *jobs,
                                                        BourseAuth                   *auth,
                                                        BourseRisk                   *risk,
                                                        GError                      **error);
/* Validates @object (bourse_backtest_request_parse ()), stores the
 * backtest (queued) and submits its job; returns the record, and the job
 * in *job (may be NULL). Published on BOURSE_BACKTESTS_TOPIC. */
BourseBacktestRecord  *bourse_backtests_submit         (BourseBacktests              *self,
                                                        JsonObject                   *object,
                                                        const BourseBacktestsCaller  *caller,
                                                        BourseJobInfo               **job,
                                                        GError                      **error);
/* NOT_FOUND when there is none. @with_result adds the result. */
BourseBacktestRecord  *bourse_backtests_get            (BourseBacktests              *self,
                                                        gint64                        id,
                                                        gboolean                      with_result,
                                                        GError                      **error);
/* Newest first, without results: a GPtrArray of BourseBacktestRecord.
 * The strategy filter takes an alias; an unknown one matches nothing. */
GPtrArray             *bourse_backtests_list           (BourseBacktests              *self,
                                                        const BourseBacktestFilter   *filter,
                                                        GError                      **error);
/* Sets the note (at most BOURSE_BACKTEST_MAX_NOTE characters, INVALID
 * naming "note"); FORBIDDEN naming "id" for someone else's without
 * caller->any. Audited backtest.note. */
BourseBacktestRecord  *bourse_backtests_set_note       (BourseBacktests              *self,
                                                        gint64                        id,
                                                        const char                   *note,
                                                        const BourseBacktestsCaller  *caller,
                                                        GError                      **error);
/* Cancels its job if it still runs, then deletes it; FORBIDDEN as above.
 * Audited backtest.delete. */
gboolean               bourse_backtests_delete         (BourseBacktests              *self,
                                                        gint64                        id,
                                                        const BourseBacktestsCaller  *caller,
                                                        GError                      **error);
/* {"items": [{"id","strategy","params","symbol","interval","start","end",
 * "metrics"}…]} in the order of @ids (2 … BOURSE_BACKTEST_MAX_COMPARE,
 * else INVALID naming "ids"); CONFLICT naming "ids" for one that has not
 * succeeded, INVALID naming "ids" for one that does not exist. */
JsonNode              *bourse_backtests_compare        (BourseBacktests              *self,
                                                        const gint64                 *ids,
                                                        guint                         n_ids,
                                                        GError                      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseBacktestRequest, bourse_backtest_request_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseBacktestRecord, bourse_backtest_record_free)

G_END_DECLS
