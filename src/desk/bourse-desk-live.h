/* desk/bourse-desk-live.h — strategies evaluated on every closed candle, and their signals
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-desk.h"
#include "desk/bourse-desk-recommendations.h"

G_BEGIN_DECLS

/* The candles a live evaluation reads at least (more when the type needs them). */
#define BOURSE_LIVE_WINDOW BOURSE_STRATEGY_LIVE_WINDOW

typedef struct
{
  gint64                id;
  char                 *name;
  char                 *strategy;        /* the type id */
  char                 *symbol;
  BourseInterval        interval;
  JsonObject           *params;          /* every parameter, resolved */
  BourseApprovalPolicy  policy;
  gboolean              enabled;
  gint64                model_id;        /* 0: none (the models issue) */
  gint64                created_by;      /* 0: none */
  char                 *created_at;
  char                 *updated_at;
  char                 *last_signal_at;  /* or NULL */
} BourseLiveStrategy;

/* A create or an update: NULL / FALSE members are not given. On update a
 * changed strategy type takes @params (or its defaults) afresh. */
typedef struct
{
  const char *name;
  const char *strategy;
  const char *symbol;
  const char *interval;
  gboolean    has_params;
  JsonObject *params;                    /* NULL with has_params: the defaults */
  const char *policy;
  gboolean    has_enabled;
  gboolean    enabled;
} BourseLiveStrategySpec;

/* One evaluation of a live strategy as stored. */
typedef struct
{
  gint64          id;
  gint64          strategy_id;           /* 0 once the strategy is deleted */
  char           *strategy;              /* the type id */
  char           *symbol;
  BourseInterval  interval;
  BourseDecision  decision;
  BourseDecimal   entry;
  BourseDecimal   stop_loss;
  BourseDecimal   take_profit;
  double          risk_reward;
  double          confidence;
  char           *reason;
  JsonObject     *metrics;
  gint64          candle_time;           /* open time of the closed candle, ms */
  gint64          recommendation_id;     /* 0: none */
  char           *created_at;
  char           *strategy_name;         /* the live strategy's name, or NULL */
} BourseSignalRecord;

typedef struct
{
  GArray     *strategy_ids;              /* gint64; NULL: any */
  GPtrArray  *symbols;                   /* char *; NULL: any */
  GPtrArray  *decisions;                 /* char *; NULL: any */
  gint64      since;                     /* candle_time >= since; G_MININT64: no bound */
  gint64      until;                     /* candle_time < until; G_MAXINT64: no bound */
  gint64      before_id;                 /* cursor; 0 = newest */
  guint       limit;
} BourseSignalFilter;

void                bourse_live_strategy_free      (BourseLiveStrategy           *strategy);
JsonNode           *bourse_live_strategy_to_json   (const BourseLiveStrategy     *strategy);
BourseLiveStrategy *bourse_live_strategies_get     (BourseStore                  *store,
                                                    gint64                        id,
                                                    GError                      **error);
/* Newest first. A GPtrArray of BourseLiveStrategy. */
GPtrArray          *bourse_live_strategies_list    (BourseStore                  *store,
                                                    gint64                        before_id,
                                                    guint                         limit,
                                                    GError                      **error);

/* Validated against the type's parameter description (422 naming the
 * field: "params.<name>" for a parameter), stored and audited. */
BourseLiveStrategy *bourse_desk_create_strategy    (BourseDesk                   *self,
                                                    const BourseLiveStrategySpec *spec,
                                                    const BourseDeskCaller       *caller,
                                                    GError                      **error);
BourseLiveStrategy *bourse_desk_update_strategy    (BourseDesk                   *self,
                                                    gint64                        id,
                                                    const BourseLiveStrategySpec *spec,
                                                    const BourseDeskCaller       *caller,
                                                    GError                      **error);
/* Its signals and recommendations stay, without their strategy_id. */
gboolean            bourse_desk_delete_strategy    (BourseDesk                   *self,
                                                    gint64                        id,
                                                    const BourseDeskCaller       *caller,
                                                    GError                      **error);

void                bourse_signal_record_free      (BourseSignalRecord           *signal);
JsonNode           *bourse_signal_record_to_json   (const BourseSignalRecord     *signal);
BourseSignalRecord *bourse_signals_get             (BourseStore                  *store,
                                                    gint64                        id,
                                                    GError                      **error);
/* Newest first. A GPtrArray of BourseSignalRecord. */
GPtrArray          *bourse_signals_list            (BourseStore                  *store,
                                                    const BourseSignalFilter     *filter,
                                                    GError                      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseLiveStrategy, bourse_live_strategy_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseSignalRecord, bourse_signal_record_free)

G_END_DECLS
