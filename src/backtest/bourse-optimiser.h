/* bourse-optimiser.h — searching a strategy's parameters over backtests, and walk-forward
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/BACKTESTS.md "Optimisation" is the contract. Nothing here touches
 * the store: the caller loads the series once, and every candidate's runs
 * read it from a worker pool.
 */

#pragma once

#include "bourse-backtest.h"

G_BEGIN_DECLS

typedef enum
{
  BOURSE_OPTIMISER_GRID,     /* every combination, in order */
  BOURSE_OPTIMISER_RANDOM,   /* `samples` distinct combinations from a seed */
} BourseOptimiserMethod;

typedef enum
{
  BOURSE_OPTIMISER_SHARPE,
  BOURSE_OPTIMISER_SORTINO,
  BOURSE_OPTIMISER_CALMAR,
  BOURSE_OPTIMISER_PROFIT,          /* total_return */
  BOURSE_OPTIMISER_PROFIT_FACTOR,   /* +∞ ranks highest */
} BourseOptimiserObjective;

/* The limits of docs/BACKTESTS.md. */
#define BOURSE_OPTIMISER_MAX_COMBINATIONS 10000   /* grid */
#define BOURSE_OPTIMISER_MAX_SAMPLES      10000   /* random */
#define BOURSE_OPTIMISER_MAX_LIST         100     /* values of one list */
#define BOURSE_OPTIMISER_MAX_FOLDS        20

/* What to search and how: the optimisation members of a request, parsed.
 * bourse_optimiser_options_init () gives the defaults; clear with
 * bourse_optimiser_options_clear (). */
typedef struct
{
  /* The space, one member per parameter searched, in the request's order:
   * each an array of the values it takes (numbers or booleans), checked
   * against the strategy's description. */
  JsonObject               *space;
  BourseOptimiserMethod     method;
  guint                     samples;          /* random: 1 … 10,000 */
  guint32                   seed;             /* random */
  BourseOptimiserObjective  objective;
  guint                     min_trades;       /* fewer closed trades rank below all others */
  guint                     folds;            /* walk-forward; 0: none */
  BourseDecimal             train_fraction;   /* of each fold, in (0, 1) */
} BourseOptimiserOptions;

/* One combination's run over the whole window. */
typedef struct
{
  JsonObject             *params;      /* every parameter, resolved */
  guint                   index;       /* the order it was listed (drawn) in: ties go to the first */
  guint                   rank;        /* 1 for the best */
  BourseBacktestMetrics   metrics;
  BourseDecimal           fees;
} BourseOptimiserCandidate;

/* One walk-forward fold: candles [train_start, test_start) trained on,
 * [test_start, test_end) tested on, as indices into the series; the times
 * are those windows' as their runs report them (the first candle's open,
 * the last one's close). */
typedef struct
{
  gsize                   train_start;
  gsize                   test_start;
  gsize                   test_end;
  gint64                  train_start_time;
  gint64                  train_end_time;
  gint64                  test_start_time;
  gint64                  test_end_time;
  JsonObject             *params;         /* the winner on the training part */
  BourseBacktestMetrics   in_sample;      /* its run on the training part */
  BourseDecimal           in_sample_fees;
  BourseBacktestResult   *out_of_sample;  /* its run on the test part */
} BourseOptimiserFold;

typedef struct
{
  BourseOptimiserMethod     method;
  BourseOptimiserObjective  objective;
  guint                     min_trades;
  guint32                   seed;
  guint64                   combinations;   /* the space's size, G_MAXUINT64 when larger */
  guint                     n_invalid;      /* combinations the strategy refused (its rules
                                             * between parameters), left out */
  GArray                   *candidates;     /* BourseOptimiserCandidate, best first */
  BourseDecimal             train_fraction;
  GArray                   *folds;          /* BourseOptimiserFold; empty without walk-forward */
  /* The folds' parts chained: total returns compounded, trades summed. */
  double                    in_sample_return;
  guint                     in_sample_trades;
  double                    out_of_sample_return;
  guint                     out_of_sample_trades;
  /* The test parts' equity curves one after the other, each scaled to
   * start where the one before ended (BourseBacktestPoint, at most
   * BOURSE_BACKTEST_CURVE_POINTS; buy_and_hold is not chained: 0). */
  GArray                   *out_of_sample_curve;
} BourseOptimiserResult;

/* Called from the workers' threads, one call at a time, @fraction rising
 * from 0 to 1. */
typedef void (*BourseOptimiserProgressFunc) (double    fraction,
                                             gpointer  user_data);

const char            *bourse_optimiser_method_to_string    (BourseOptimiserMethod     method);
gboolean               bourse_optimiser_method_parse        (const char               *text,
                                                             BourseOptimiserMethod    *method);
const char            *bourse_optimiser_objective_to_string (BourseOptimiserObjective  objective);
gboolean               bourse_optimiser_objective_parse     (const char               *text,
                                                             BourseOptimiserObjective *objective);
/* The objective's value in @metrics (profit_factor may be +∞). */
double                 bourse_optimiser_objective_value     (BourseOptimiserObjective     objective,
                                                             const BourseBacktestMetrics *metrics);

/* grid, sharpe, min_trades 1, no walk-forward, an empty space, a random seed. */
void                   bourse_optimiser_options_init        (BourseOptimiserOptions   *options);
void                   bourse_optimiser_options_clear       (BourseOptimiserOptions   *options);
/* Reads "space", "method", "samples", "seed", "objective", "min_trades" and
 * "walk_forward" of @request into @options, checking each value of the
 * space against @strategy's description of its parameters. A refusal is a
 * BOURSE_ERROR_INVALID naming the member: "space", "space.<param>",
 * "samples", "walk_forward.folds", … */
gboolean               bourse_optimiser_options_parse       (BourseOptimiserOptions   *options,
                                                             BourseStrategy           *strategy,
                                                             JsonObject               *request,
                                                             GError                  **error);
/* The options as the request would state them (method, samples, seed,
 * objective, min_trades, walk_forward), for the stored record. */
JsonNode              *bourse_optimiser_options_to_json     (const BourseOptimiserOptions *options);

/* The combinations @options searches, in order (grid) or as drawn
 * (random), each @params (may be NULL) with the space's values over it,
 * resolved by @strategy: a GPtrArray of JsonObject. Combinations the
 * strategy refuses are left out and counted in *n_invalid (may be NULL);
 * none left is a BOURSE_ERROR_INVALID naming the space's member the
 * strategy blamed. A request's errors all come from here and from
 * bourse_optimiser_options_parse (), before anything runs. */
GPtrArray             *bourse_optimiser_list_candidates     (BourseStrategy           *strategy,
                                                             JsonObject               *params,
                                                             const BourseOptimiserOptions *options,
                                                             guint64                  *combinations,
                                                             guint                    *n_invalid,
                                                             GError                  **error);
/* The candles of history the candidates' runs read before the window:
 * the largest lookback of any, less one. */
guint                  bourse_optimiser_get_history         (const BourseBacktestSpec *base,
                                                             GPtrArray                *candidates);
/* The walk-forward folds of [@window_start, @window_end): @folds equal
 * consecutive stretches, each trained on the first @train_fraction of its
 * candles (rounded down) and tested on the rest. Fills @train_start,
 * @test_start and @test_end (arrays of @folds), or fails naming
 * "walk_forward.folds" (a stretch without a training and a test candle)
 * or "walk_forward.train_fraction". */
gboolean               bourse_optimiser_split_folds         (gsize                     window_start,
                                                             gsize                     window_end,
                                                             guint                     folds,
                                                             BourseDecimal             train_fraction,
                                                             gsize                    *train_start,
                                                             gsize                    *test_start,
                                                             gsize                    *test_end,
                                                             GError                  **error);

/* Runs every candidate over @base's window of @series (and, with
 * walk-forward, over each fold's training part, then each fold's winner
 * over its test part) on @n_threads threads (0: one per processor). Each
 * run has its own strategy instance and parameters; @base gives the
 * strategy, the parameters under the space's and the money settings. NULL
 * with @error when a request is refused (as above) or @cancellable is
 * cancelled. */
BourseOptimiserResult *bourse_optimiser_run                 (const BourseBacktestSeries   *series,
                                                             const BourseBacktestSpec     *base,
                                                             const BourseOptimiserOptions *options,
                                                             guint                         n_threads,
                                                             BourseOptimiserProgressFunc   progress,
                                                             gpointer                      progress_data,
                                                             GCancellable                 *cancellable,
                                                             GError                      **error);
void                   bourse_optimiser_result_free         (BourseOptimiserResult    *result);
/* docs/BACKTESTS.md: {"method", "objective", "min_trades", "seed",
 * "combinations", "invalid", "candidates": [{"rank", "params",
 * "objective", "qualified", "metrics"}…], "best", "walk_forward", "folds",
 * "in_sample", "out_of_sample"}. */
JsonNode              *bourse_optimiser_result_to_json      (const BourseOptimiserResult  *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseOptimiserResult, bourse_optimiser_result_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BourseOptimiserOptions, bourse_optimiser_options_clear)

G_END_DECLS
