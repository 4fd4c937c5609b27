/* desk/bourse-desk-recommendations.h — BUY / SELL / NO_TRADE proposals and the analysis that makes them
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"
#include "core/bourse-store.h"
#include "core/bourse-time.h"
#include "strategy/bourse-strategy.h"

#include "bourse-desk.h"

G_BEGIN_DECLS

/* The longest window an analysis reads, and the most candles in it. */
#define BOURSE_ANALYSIS_MAX_DAYS     366
#define BOURSE_ANALYSIS_MAX_CANDLES  100000
#define BOURSE_ANALYSIS_MAX_LAST_N_DAYS 365

typedef enum
{
  BOURSE_ORIGIN_ANALYSIS,   /* POST /api/v1/recommendations */
  BOURSE_ORIGIN_LIVE,       /* a live strategy on a closed candle */
  BOURSE_ORIGIN_WEBHOOK,    /* an external signal */
} BourseOrigin;

/* One recommendation as stored. Levels are zero and risk_reward 0 for a
 * NO_TRADE (null in JSON). */
typedef struct
{
  gint64          id;
  char           *symbol;
  BourseInterval  interval;
  char           *strategy;           /* the type id ("ar"), or "webhook" */
  char           *strategy_version;
  gint64          strategy_id;        /* the live strategy, 0 for none */
  gint64          webhook_id;         /* 0 for none */
  JsonObject     *params;             /* every parameter the model used */
  BourseDecision  decision;
  BourseDecimal   entry;
  BourseDecimal   stop_loss;
  BourseDecimal   take_profit;
  double          risk_reward;
  double          confidence;
  char           *reason;
  JsonObject     *metrics;
  gint64          window_start;       /* open time of the first candle read, ms */
  gint64          window_end;         /* open time of the last candle read, ms */
  gint64          window_candles;
  BourseOrigin    origin;
  gboolean        simulated;
  gint64          created_by;         /* a user id, 0 for none */
  char           *requester;          /* the audit actor who asked */
  char           *created_at;
  gint64          approval_id;        /* read from approvals; 0 for none */
  char           *created_by_name;    /* the account's username, or NULL */
  char           *strategy_name;      /* the live strategy's or webhook's name, or NULL */
} BourseRecommendation;

typedef struct
{
  const char *symbol;
  const char *strategy;               /* a type id */
  const char *decision;               /* "BUY" … */
  const char *origin;                 /* "analysis" … */
  gint64      before_id;              /* cursor: ids below it; 0 = newest */
  guint       limit;
} BourseRecommendationFilter;

/* What POST /api/v1/recommendations asks for; the handler checks the
 * JSON types, bourse_desk_analyse_async () the rest. */
typedef struct
{
  const char     *symbol;
  const char     *interval;           /* "1h" */
  const char     *strategy;           /* an id, or the aliases A, B, C */
  gint64          last_n_days;        /* 0: not given */
  gboolean        has_start;
  gint64          start;              /* ms */
  gboolean        has_end;
  gint64          end;                /* ms, exclusive */
  JsonObject     *params;             /* may be NULL */
} BourseAnalysisRequest;

const char           *bourse_origin_to_string          (BourseOrigin                       origin);
gboolean              bourse_origin_parse              (const char                        *text,
                                                        BourseOrigin                      *origin);
gboolean              bourse_decision_parse            (const char                        *text,
                                                        BourseDecision                    *decision);

BourseRecommendation *bourse_recommendation_new        (void);
void                  bourse_recommendation_free       (BourseRecommendation              *recommendation);
/* The API's Recommendation object (docs/DESK.md). */
JsonNode             *bourse_recommendation_to_json    (const BourseRecommendation        *recommendation);

/* Inserts (in the caller's transaction, if any); sets id and created_at. */
gboolean              bourse_recommendations_insert    (BourseStore                       *store,
                                                        BourseRecommendation              *recommendation,
                                                        GError                           **error);
/* NOT_FOUND (BOURSE_DESK_ERROR) when there is none. */
BourseRecommendation *bourse_recommendations_get       (BourseStore                       *store,
                                                        gint64                             id,
                                                        GError                           **error);
/* Newest first; a GPtrArray of BourseRecommendation. */
GPtrArray            *bourse_recommendations_list      (BourseStore                       *store,
                                                        const BourseRecommendationFilter  *filter,
                                                        GError                           **error);

/* Checks the request (a 422 naming the field for an unknown symbol or
 * strategy, a bad interval or parameter, a window that is empty, too long
 * or holds too few candles), downloads what is missing for a Binance
 * instrument, reads the closed candles of the window and evaluates them in
 * a worker thread; then stores the recommendation and, for a BUY or SELL,
 * a pending approval, with their audit entries, in one transaction, and
 * publishes them. */
void                  bourse_desk_analyse_async        (BourseDesk                        *self,
                                                        const BourseAnalysisRequest       *request,
                                                        const BourseDeskCaller            *caller,
                                                        GCancellable                      *cancellable,
                                                        GAsyncReadyCallback                callback,
                                                        gpointer                           user_data);
BourseRecommendation *bourse_desk_analyse_finish       (BourseDesk                        *self,
                                                        GAsyncResult                      *result,
                                                        GError                           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseRecommendation, bourse_recommendation_free)

G_END_DECLS
