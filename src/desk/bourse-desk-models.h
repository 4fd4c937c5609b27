/* desk/bourse-desk-models.h — fitted parameter sets of strategy types, and their deployment
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A model is what a training job fitted to a window of candles: the
 * parameters of a strategy type that hold fitted values (docs/STRATEGIES.md,
 * "Models"), versioned per (strategy, symbol, interval). A live strategy
 * that deploys one evaluates with the model's parameters over its own.
 */

#pragma once

#include "core/bourse-jobs.h"

#include "bourse-desk.h"
#include "desk/bourse-desk-live.h"

G_BEGIN_DECLS

#define BOURSE_MODEL_TRAIN_JOB_KIND "model.train"
/* The most candles one fit reads (the ML fit is linear in them, per evaluation). */
#define BOURSE_MODEL_MAX_CANDLES 100000

typedef struct
{
  gint64          id;
  char           *strategy;      /* the type id */
  char           *symbol;
  BourseInterval  interval;
  gint64          version;       /* 1, 2, 3 … per (strategy, symbol, interval) */
  JsonObject     *params;        /* in the type's own parameter names */
  JsonObject     *metrics;
  gint64          job_id;        /* 0: none */
  gint64          created_by;    /* 0: none */
  char           *created_at;
} BourseModel;

/* One training: what the route validated, what the worker fitted. */
typedef struct _BourseModelTraining BourseModelTraining;

void                 bourse_model_free               (BourseModel                *model);
JsonNode            *bourse_model_to_json            (const BourseModel          *model);
/* NOT_FOUND naming "model_id" when there is none. */
BourseModel         *bourse_models_get               (BourseStore                *store,
                                                      gint64                      id,
                                                      GError                    **error);
/* Newest first; NULL filters match any. A GPtrArray of BourseModel. */
GPtrArray           *bourse_models_list              (BourseStore                *store,
                                                      const char                 *strategy,
                                                      const char                 *symbol,
                                                      const char                 *interval,
                                                      gint64                      before_id,
                                                      guint                       limit,
                                                      GError                    **error);

/* Whether the type (an id or alias) has parameters a fit can set. */
gboolean             bourse_model_type_is_trainable  (const char                 *strategy);

/* Validates a training of @strategy on the closed candles of (@symbol,
 * @interval) with open times in [@start, @end): INVALID naming the field
 * ("strategy", "symbol", "interval", "end", "start" for too few or too many
 * candles). */
BourseModelTraining *bourse_model_training_new       (BourseDesk                 *desk,
                                                      const char                 *strategy,
                                                      const char                 *symbol,
                                                      const char                 *interval,
                                                      gint64                      start,
                                                      gint64                      end,
                                                      GError                    **error);
void                 bourse_model_training_free      (BourseModelTraining        *training);
/* The job's params: {"strategy","symbol","interval","start","end"}. */
JsonNode            *bourse_model_training_to_params (BourseModelTraining        *training);
/* "kalman:BTCUSDT:1m", the audit target. */
char                *bourse_model_training_dup_target (BourseModelTraining       *training);
/* In the job's worker thread: reads the candles with its own store
 * connection, fits, and leaves {"params","metrics"} as the job's result. */
gboolean             bourse_model_training_run       (BourseModelTraining        *training,
                                                      BourseJob                  *job,
                                                      GCancellable               *cancellable,
                                                      GError                    **error);
/* In the job's finishing transaction, for a succeeded job: stores the
 * model under the next version and returns it. */
BourseModel         *bourse_model_training_store     (BourseModelTraining        *training,
                                                      const BourseJobInfo        *info,
                                                      BourseJob                  *job,
                                                      BourseStore                *store,
                                                      GError                    **error);

/* Sets the live strategy's model_id, audited "model.deploy". NOT_FOUND for
 * either id, CONFLICT when the model's type, symbol or interval differ
 * from the strategy's. Returns the strategy as stored. */
BourseLiveStrategy  *bourse_desk_deploy_model        (BourseDesk                 *self,
                                                      gint64                      model_id,
                                                      gint64                      strategy_id,
                                                      const BourseDeskCaller     *caller,
                                                      GError                    **error);

/* The parameters a live strategy evaluates with: its own, with those of
 * its deployed model (when it still matches the strategy) over them. */
JsonObject          *bourse_live_strategy_dup_effective_params (BourseStore              *store,
                                                      const BourseLiveStrategy   *strategy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseModel, bourse_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseModelTraining, bourse_model_training_free)

G_END_DECLS
