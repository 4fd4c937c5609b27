/* test-optimiser.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The optimiser of docs/BACKTESTS.md "Optimisation" on a synthetic series
 * (a seeded random walk whose drift changes every 40 candles, so that
 * moving-average crossings win and lose) with the built-in sma-cross. Its
 * answers are checked against plain bourse_backtest_run () calls ranked
 * here by hand, so the thread pool must change nothing.
 */

#include <math.h>
#include <string.h>

#include "backtest/bourse-optimiser.h"
#include "core/bourse-error.h"
#include "core/bourse-json.h"

#define T0   G_GINT64_CONSTANT (1767225600000)   /* 2026-01-01T00:00:00Z */
#define HOUR G_GINT64_CONSTANT (3600000)
/* Shorter than the live window, so that the runs stay quick under the
 * sanitizers; any lookback serves the comparisons. */
#define LOOKBACK 64

/* Fixtures {{{ */

static BourseInstrument *
instrument (void)
{
  BourseInstrument *instrument = bourse_instrument_new ();

  instrument->symbol = g_strdup ("TESTUSDT");
  instrument->base_asset = g_strdup ("TEST");
  instrument->quote_asset = g_strdup ("USDT");
  g_assert_true (bourse_decimal_parse ("0.01", &instrument->tick_size, NULL));
  g_assert_true (bourse_decimal_parse ("0.001", &instrument->lot_step, NULL));
  g_assert_true (bourse_decimal_parse ("10", &instrument->min_notional, NULL));
  return instrument;
}

static void
set_price (BourseDecimal *out,
           double         value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (text, sizeof text, "%.2f", value);
  g_assert_true (bourse_decimal_parse (text, out, NULL));
}

/* @n hourly candles from T0, the first @first of them history. */
static BourseBacktestSeries *
make_series (gsize   n,
             gsize   first,
             guint32 seed)
{
  g_autoptr(BourseInstrument) inst = instrument ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree BourseCandle *candles = g_new0 (BourseCandle, n);
  double price = 100, drift = 0;

  for (gsize i = 0; i < n; i++)
    {
      double open = price, close, high, low;

      if (i % 40 == 0)
        drift = (g_rand_double (rand) - 0.5) * 0.012;
      close = open * (1 + drift + (g_rand_double (rand) - 0.5) * 0.02);
      high = MAX (open, close) * (1 + g_rand_double (rand) * 0.004);
      low = MIN (open, close) * (1 - g_rand_double (rand) * 0.004);
      candles[i].open_time = T0 + (gint64) i * HOUR;
      set_price (&candles[i].open, open);
      set_price (&candles[i].high, high);
      set_price (&candles[i].low, low);
      set_price (&candles[i].close, close);
      candles[i].volume.units = BOURSE_DECIMAL_UNIT;
      candles[i].closed = TRUE;
      price = bourse_decimal_to_double (candles[i].close);
    }
  return bourse_backtest_series_new (inst, BOURSE_INTERVAL_1H, candles, n, first);
}

static void
spec_init (BourseBacktestSpec *spec,
           BourseStrategy     *strategy,
           JsonObject         *params)
{
  bourse_backtest_spec_init (spec, strategy, params);
  spec->lookback = LOOKBACK;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = bourse_json_parse (text, strlen (text), 0, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
parse_options (BourseOptimiserOptions *options,
               BourseStrategy         *strategy,
               const char             *request)
{
  g_autoptr(JsonObject) object = parse_object (request);
  g_autoptr(GError) error = NULL;

  bourse_optimiser_options_init (options);
  g_assert_true (bourse_optimiser_options_parse (options, strategy, object, &error));
  g_assert_no_error (error);
}

static void
assert_metrics_equal (const BourseBacktestMetrics *a,
                      const BourseBacktestMetrics *b)
{
  g_assert_cmpfloat (a->total_return, ==, b->total_return);
  g_assert_cmpfloat (a->annualised_return, ==, b->annualised_return);
  g_assert_cmpfloat (a->volatility, ==, b->volatility);
  g_assert_cmpfloat (a->sharpe, ==, b->sharpe);
  g_assert_cmpfloat (a->sortino, ==, b->sortino);
  g_assert_cmpfloat (a->calmar, ==, b->calmar);
  g_assert_cmpfloat (a->max_drawdown, ==, b->max_drawdown);
  g_assert_cmpint (a->max_drawdown_duration_ms, ==, b->max_drawdown_duration_ms);
  g_assert_cmpfloat (a->win_rate, ==, b->win_rate);
  g_assert_true (a->profit_factor == b->profit_factor);
  g_assert_cmpfloat (a->expectancy, ==, b->expectancy);
  g_assert_cmpfloat (a->exposure, ==, b->exposure);
  g_assert_cmpuint (a->trades, ==, b->trades);
  g_assert_cmpint (a->average_duration_ms, ==, b->average_duration_ms);
  g_assert_cmpfloat (a->buy_and_hold_return, ==, b->buy_and_hold_return);
}

static gint64
get_int (JsonObject *object,
         const char *name)
{
  return json_object_get_int_member (object, name);
}

/* }}} */

/* Ranking by hand {{{ */

typedef struct
{
  guint                  index;
  JsonObject            *params;
  BourseBacktestMetrics  metrics;
  double                 value;
  gboolean               qualified;
} Ranked;

static void
ranked_clear (gpointer data)
{
  Ranked *r = data;

  g_clear_pointer (&r->params, json_object_unref);
}

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->qualified != y->qualified)
    return x->qualified ? -1 : 1;
  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return (int) x->index - (int) y->index;
}

/* Every candidate of @candidates run one after the other over [@from, @to)
 * (0, 0: the series' window), in their order. */
static GArray *
run_by_hand (BourseBacktestSeries *series,
             BourseStrategy       *strategy,
             GPtrArray            *candidates,
             gsize                 from,
             gsize                 to)
{
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (Ranked));

  for (guint i = 0; i < candidates->len; i++)
    {
      g_autoptr(BourseBacktestResult) result = NULL;
      g_autoptr(GError) error = NULL;
      BourseBacktestSpec spec;
      Ranked r = { .index = i, .params = g_ptr_array_index (candidates, i) };

      spec_init (&spec, strategy, r.params);
      spec.window_start = from;
      spec.window_end = to;
      result = bourse_backtest_run (series, &spec, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      r.metrics = result->metrics;
      g_array_append_val (runs, r);
    }
  return runs;
}

/* @runs sorted best first by @objective and @min_trades. */
static GArray *
rank_by_hand (GArray                   *runs,
              BourseOptimiserObjective  objective,
              guint                     min_trades)
{
  GArray *ranked = g_array_copy (runs);

  /* The copy borrows @runs' parameters. */
  g_array_set_clear_func (ranked, NULL);

  for (guint i = 0; i < ranked->len; i++)
    {
      Ranked *r = &g_array_index (ranked, Ranked, i);

      switch (objective)
        {
        case BOURSE_OPTIMISER_SHARPE:        r->value = r->metrics.sharpe; break;
        case BOURSE_OPTIMISER_SORTINO:       r->value = r->metrics.sortino; break;
        case BOURSE_OPTIMISER_CALMAR:        r->value = r->metrics.calmar; break;
        case BOURSE_OPTIMISER_PROFIT:        r->value = r->metrics.total_return; break;
        case BOURSE_OPTIMISER_PROFIT_FACTOR: r->value = r->metrics.profit_factor; break;
        default:                             g_assert_not_reached ();
        }
      r->qualified = r->metrics.trades >= min_trades;
    }
  g_array_sort (ranked, compare_ranked);
  return ranked;
}

/* }}} */

/* The space {{{ */

static void
assert_candidate (GPtrArray  *candidates,
                  guint       i,
                  gint64      fast,
                  gint64      slow)
{
  JsonObject *params = g_ptr_array_index (candidates, i);

  g_assert_cmpint (get_int (params, "fast"), ==, fast);
  g_assert_cmpint (get_int (params, "slow"), ==, slow);
  /* The others at their defaults. */
  g_assert_cmpfloat (json_object_get_double_member (params, "stop_atr"), ==, 2.0);
  g_assert_cmpfloat (json_object_get_double_member (params, "target_atr"), ==, 3.0);
}

static void
test_grid (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_auto(BourseOptimiserOptions) options = { 0 };
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  static const gint64 fasts[] = { 5, 10, 15, 20 }, slows[] = { 30, 50, 100 };
  guint64 combinations = 0;
  guint n_invalid = 99;

  /* A range and a list: the last member varies fastest. */
  parse_options (&options, strategy,
                 "{\"space\": {\"fast\": {\"min\": 5, \"max\": 20, \"step\": 5}, \"slow\": [30, 50, 100]}}");
  candidates = bourse_optimiser_list_candidates (strategy, NULL, &options, &combinations, &n_invalid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (combinations, ==, 12);
  g_assert_cmpuint (n_invalid, ==, 0);
  g_assert_cmpuint (candidates->len, ==, 12);
  for (guint f = 0; f < 4; f++)
    for (guint s = 0; s < 3; s++)
      assert_candidate (candidates, f * 3 + s, fasts[f], slows[s]);
  g_clear_pointer (&candidates, g_ptr_array_unref);
  bourse_optimiser_options_clear (&options);

  /* In the order the members are written, not a hash table's: slow
   * first, fast varying fastest; and the space is kept in that order. */
  parse_options (&options, strategy, "{\"space\": {\"slow\": [30, 50], \"fast\": [5, 10], \"stop_atr\": [1.5, 2]}}");
  candidates = bourse_optimiser_list_candidates (strategy, NULL, &options, &combinations, &n_invalid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      JsonObject *c = g_ptr_array_index (candidates, i);

      g_assert_cmpint (get_int (c, "slow"), ==, i / 4 == 0 ? 30 : 50);
      g_assert_cmpint (get_int (c, "fast"), ==, (i / 2) % 2 == 0 ? 5 : 10);
      g_assert_cmpfloat (json_object_get_double_member (c, "stop_atr"), ==, i % 2 == 0 ? 1.5 : 2);
    }
  {
    g_autoptr(JsonNode) json = bourse_optimiser_options_to_json (&options);
    JsonObject *space = json_object_get_object_member (json_node_get_object (json), "space");
    g_autoptr(GList) names = json_object_get_members (space);

    g_assert_cmpuint (g_list_length (names), ==, 3);
    g_assert_cmpstr (g_list_nth_data (names, 0), ==, "slow");
    g_assert_cmpstr (g_list_nth_data (names, 1), ==, "fast");
    g_assert_cmpstr (g_list_nth_data (names, 2), ==, "stop_atr");
  }
  g_clear_pointer (&candidates, g_ptr_array_unref);
  bourse_optimiser_options_clear (&options);

  /* The range's max is not on the grid: the last value is below it. */
  parse_options (&options, strategy, "{\"space\": {\"fast\": {\"min\": 3, \"max\": 10, \"step\": 4}}}");
  candidates = bourse_optimiser_list_candidates (strategy, NULL, &options, &combinations, &n_invalid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (candidates->len, ==, 2);
  assert_candidate (candidates, 0, 3, 30);
  assert_candidate (candidates, 1, 7, 30);
  g_clear_pointer (&candidates, g_ptr_array_unref);
  bourse_optimiser_options_clear (&options);

  /* A number's steps are the decimals a person wrote; the base params stay
   * under the space. */
  {
    g_autoptr(JsonObject) params = parse_object ("{\"fast\": 4, \"slow\": 9, \"stop_atr\": 1.5}");
    static const double targets[] = { 0.1, 0.2, 0.3, 0.4, 0.5 };

    parse_options (&options, strategy,
                   "{\"space\": {\"target_atr\": {\"min\": 0.1, \"max\": 0.5, \"step\": 0.1}}}");
    candidates = bourse_optimiser_list_candidates (strategy, params, &options, &combinations, &n_invalid, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (candidates->len, ==, 5);
    for (guint i = 0; i < 5; i++)
      {
        JsonObject *c = g_ptr_array_index (candidates, i);

        g_assert_cmpfloat (json_object_get_double_member (c, "target_atr"), ==, targets[i]);
        g_assert_cmpfloat (json_object_get_double_member (c, "stop_atr"), ==, 1.5);
        g_assert_cmpint (get_int (c, "fast"), ==, 4);
        g_assert_cmpint (get_int (c, "slow"), ==, 9);
      }
    g_clear_pointer (&candidates, g_ptr_array_unref);
    bourse_optimiser_options_clear (&options);
  }

  /* Combinations the strategy's own rule refuses (fast < slow) are left
   * out and counted. */
  parse_options (&options, strategy, "{\"space\": {\"fast\": [10, 40], \"slow\": [30, 50]}}");
  candidates = bourse_optimiser_list_candidates (strategy, NULL, &options, &combinations, &n_invalid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (combinations, ==, 4);
  g_assert_cmpuint (n_invalid, ==, 1);
  g_assert_cmpuint (candidates->len, ==, 3);
  assert_candidate (candidates, 0, 10, 30);
  assert_candidate (candidates, 1, 10, 50);
  assert_candidate (candidates, 2, 40, 50);
}

static void
test_random (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_auto(BourseOptimiserOptions) options = { 0 };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  gboolean same = TRUE;
  const char *request = "{\"space\": {\"fast\": {\"min\": 2, \"max\": 20, \"step\": 1}, \"slow\": [25, 30, 40, 60]},"
                        " \"method\": \"random\", \"samples\": 20, \"seed\": 42}";

  parse_options (&options, strategy, request);
  g_assert_cmpint (options.method, ==, BOURSE_OPTIMISER_RANDOM);
  g_assert_cmpuint (options.seed, ==, 42);
  first = bourse_optimiser_list_candidates (strategy, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  again = bourse_optimiser_list_candidates (strategy, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 20);
  g_assert_cmpuint (again->len, ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      JsonObject *a = g_ptr_array_index (first, i), *b = g_ptr_array_index (again, i);

      /* The same seed, the same draw, in the same order. */
      g_assert_cmpint (get_int (a, "fast"), ==, get_int (b, "fast"));
      g_assert_cmpint (get_int (a, "slow"), ==, get_int (b, "slow"));
      /* Distinct, and from the space. */
      g_assert_true (g_hash_table_add (seen, g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                                              get_int (a, "fast"), get_int (a, "slow"))));
      g_assert_cmpint (get_int (a, "fast"), >=, 2);
      g_assert_cmpint (get_int (a, "fast"), <=, 20);
    }

  /* Another seed draws otherwise. */
  options.seed = 43;
  other = bourse_optimiser_list_candidates (strategy, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    same = same && get_int (g_ptr_array_index (first, i), "fast") == get_int (g_ptr_array_index (other, i), "fast")
           && get_int (g_ptr_array_index (first, i), "slow") == get_int (g_ptr_array_index (other, i), "slow");
  g_assert_false (same);

  /* More samples than combinations: each of the 76 once. */
  options.samples = 100;
  all = bourse_optimiser_list_candidates (strategy, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 76);
  g_hash_table_remove_all (seen);
  for (guint i = 0; i < all->len; i++)
    g_assert_true (g_hash_table_add (seen, g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                                            get_int (g_ptr_array_index (all, i), "fast"),
                                                            get_int (g_ptr_array_index (all, i), "slow"))));
}

/* }}} */

/* Runs {{{ */

/* The optimiser's ranking of @space (a request's members but the
 * objective) under each objective, on one thread and on four, is the
 * ranking by hand of the candidates' backtests. */
static void
check_against_hand (BourseBacktestSeries *series,
                    BourseStrategy       *strategy,
                    const char           *space,
                    guint                 min_trades)
{
  static const char * const objectives[] = { "sharpe", "sortino", "calmar", "profit", "profit_factor" };
  g_autoptr(GArray) runs = NULL;
  BourseBacktestSpec base;
  guint thread_counts[] = { 1, 4 };

  spec_init (&base, strategy, NULL);
  for (guint o = 0; o < G_N_ELEMENTS (objectives); o++)
    {
      g_autofree char *request = g_strdup_printf ("{%s, \"objective\": \"%s\"}", space, objectives[o]);
      g_auto(BourseOptimiserOptions) options = { 0 };
      g_autoptr(GArray) ranked = NULL;
      g_autoptr(GError) error = NULL;
      gboolean mixed = FALSE;

      parse_options (&options, strategy, request);
      options.min_trades = min_trades;
      if (runs == NULL)
        {
          g_autoptr(GPtrArray) candidates = NULL;

          candidates = bourse_optimiser_list_candidates (strategy, NULL, &options, NULL, NULL, &error);
          g_assert_no_error (error);
          runs = run_by_hand (series, strategy, candidates, 0, 0);
          /* The params stay alive with the options' lists: keep our own. */
          for (guint i = 0; i < runs->len; i++)
            json_object_ref (g_array_index (runs, Ranked, i).params);
          g_array_set_clear_func (runs, ranked_clear);
        }
      ranked = rank_by_hand (runs, options.objective, min_trades);

      for (guint t = 0; t < G_N_ELEMENTS (thread_counts); t++)
        {
          g_autoptr(BourseOptimiserResult) result = NULL;

          result = bourse_optimiser_run (series, &base, &options, thread_counts[t], NULL, NULL, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (result->candidates->len, ==, ranked->len);
          for (guint i = 0; i < ranked->len; i++)
            {
              const BourseOptimiserCandidate *c = &g_array_index (result->candidates, BourseOptimiserCandidate, i);
              const Ranked *r = &g_array_index (ranked, Ranked, i);

              g_assert_cmpuint (c->rank, ==, i + 1);
              g_assert_cmpuint (c->index, ==, r->index);
              g_assert_true (json_object_equal (c->params, r->params));
              assert_metrics_equal (&c->metrics, &r->metrics);
              if (i > 0 && r->qualified != g_array_index (ranked, Ranked, i - 1).qualified)
                mixed = TRUE;
            }
        }
      /* min_trades split the field: the qualified ones first. */
      if (min_trades > 1)
        {
          g_assert_true (mixed);
          g_assert_true (g_array_index (ranked, Ranked, 0).qualified);
          g_assert_false (g_array_index (ranked, Ranked, ranked->len - 1).qualified);
        }
    }
}

static void
test_run_matches_backtests (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_autoptr(BourseBacktestSeries) series = make_series (400, 100, 7);

  check_against_hand (series, strategy, "\"space\": {\"fast\": {\"min\": 3, \"max\": 11, \"step\": 4}, "
                      "\"slow\": [20, 40, 60]}", 1);
}

static void
test_min_trades (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_autoptr(BourseBacktestSeries) series = make_series (450, 100, 7);
  g_autoptr(BourseBacktestResult) few = NULL, many = NULL;
  g_autoptr(JsonObject) slow_params = parse_object ("{\"fast\": 30, \"slow\": 200}");
  g_autoptr(JsonObject) quick_params = parse_object ("{\"fast\": 2, \"slow\": 5}");
  BourseBacktestSpec spec;
  guint threshold;

  /* A threshold between a sluggish pair's trades and a nervous one's. */
  spec_init (&spec, strategy, slow_params);
  few = bourse_backtest_run (series, &spec, NULL, NULL, NULL, NULL);
  spec_init (&spec, strategy, quick_params);
  many = bourse_backtest_run (series, &spec, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (few->metrics.trades + 2, <, many->metrics.trades);
  threshold = (few->metrics.trades + many->metrics.trades) / 2;

  check_against_hand (series, strategy, "\"space\": {\"fast\": [2, 5, 30], \"slow\": [5, 10, 200]}", threshold);
}

/* 303 candles, the first 100 history: the window is [100, 303), 203
 * candles. Three folds: ⌊203/3⌋ = 67, ⌊406/3⌋ = 135, so stretches of 67,
 * 68 and 68 candles, each trained on ⌊0.75 × length⌋ = 50, 51, 51. */
static const gsize expected_folds[3][3] = {
  { 100, 150, 167 },
  { 167, 218, 235 },
  { 235, 286, 303 },
};

static void
test_split_folds (void)
{
  g_autoptr(GError) error = NULL;
  gsize train[20], test[20], end[20];
  BourseDecimal fraction = { BOURSE_DECIMAL_UNIT / 4 * 3 };

  g_assert_true (bourse_optimiser_split_folds (100, 303, 3, fraction, train, test, end, &error));
  g_assert_no_error (error);
  for (guint k = 0; k < 3; k++)
    {
      g_assert_cmpuint (train[k], ==, expected_folds[k][0]);
      g_assert_cmpuint (test[k], ==, expected_folds[k][1]);
      g_assert_cmpuint (end[k], ==, expected_folds[k][2]);
    }

  /* Ten candles in five folds: stretches of 2, trained on 1, tested on 1. */
  fraction.units = BOURSE_DECIMAL_UNIT / 2;
  g_assert_true (bourse_optimiser_split_folds (0, 10, 5, fraction, train, test, end, &error));
  for (guint k = 0; k < 5; k++)
    {
      g_assert_cmpuint (train[k], ==, 2 * k);
      g_assert_cmpuint (test[k], ==, 2 * k + 1);
      g_assert_cmpuint (end[k], ==, 2 * k + 2);
    }
  /* Six folds leave a stretch of one candle. */
  g_assert_false (bourse_optimiser_split_folds (0, 10, 6, fraction, train, test, end, &error));
  g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
  g_assert_cmpstr (bourse_error_get_field (error), ==, "walk_forward.folds");
  g_clear_error (&error);
  /* 0.4 of 2 candles is none. */
  fraction.units = BOURSE_DECIMAL_UNIT / 10 * 4;
  g_assert_false (bourse_optimiser_split_folds (0, 10, 5, fraction, train, test, end, &error));
  g_assert_cmpstr (bourse_error_get_field (error), ==, "walk_forward.train_fraction");
}

static void
test_walk_forward (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_autoptr(BourseBacktestSeries) series = make_series (303, 100, 11);
  g_auto(BourseOptimiserOptions) options = { 0 };
  g_autoptr(BourseOptimiserResult) result = NULL;
  g_autoptr(BourseOptimiserResult) single = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const times[3][4] = {
    { "2026-01-05T04:00:00.000Z", "2026-01-07T06:00:00.000Z", "2026-01-07T06:00:00.000Z", "2026-01-07T23:00:00.000Z" },
    { "2026-01-07T23:00:00.000Z", "2026-01-10T02:00:00.000Z", "2026-01-10T02:00:00.000Z", "2026-01-10T19:00:00.000Z" },
    { "2026-01-10T19:00:00.000Z", "2026-01-12T22:00:00.000Z", "2026-01-12T22:00:00.000Z", "2026-01-13T15:00:00.000Z" },
  };
  JsonArray *folds;
  BourseBacktestSpec base;
  double growth = 1;
  guint trades = 0;

  parse_options (&options, strategy,
                 "{\"space\": {\"fast\": [3, 6, 9], \"slow\": [12, 24]}, \"objective\": \"profit\","
                 " \"min_trades\": 0, \"walk_forward\": {\"folds\": 3, \"train_fraction\": \"0.75\"}}");
  g_assert_cmpuint (options.folds, ==, 3);
  candidates = bourse_optimiser_list_candidates (strategy, NULL, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  spec_init (&base, strategy, NULL);
  result = bourse_optimiser_run (series, &base, &options, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  single = bourse_optimiser_run (series, &base, &options, 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->folds->len, ==, 3);

  for (guint k = 0; k < 3; k++)
    {
      const BourseOptimiserFold *fold = &g_array_index (result->folds, BourseOptimiserFold, k);
      const BourseOptimiserFold *alone = &g_array_index (single->folds, BourseOptimiserFold, k);
      g_autoptr(GArray) runs = NULL;
      g_autoptr(GArray) ranked = NULL;
      g_autoptr(BourseBacktestResult) test = NULL;
      BourseBacktestSpec spec;

      g_assert_cmpuint (fold->train_start, ==, expected_folds[k][0]);
      g_assert_cmpuint (fold->test_start, ==, expected_folds[k][1]);
      g_assert_cmpuint (fold->test_end, ==, expected_folds[k][2]);
      g_assert_cmpint (fold->train_start_time, ==, T0 + (gint64) expected_folds[k][0] * HOUR);
      g_assert_cmpint (fold->train_end_time, ==, T0 + (gint64) expected_folds[k][1] * HOUR);
      g_assert_cmpint (fold->test_start_time, ==, T0 + (gint64) expected_folds[k][1] * HOUR);
      g_assert_cmpint (fold->test_end_time, ==, T0 + (gint64) expected_folds[k][2] * HOUR);

      /* The winner is the best of the candidates on the training part … */
      runs = run_by_hand (series, strategy, candidates, expected_folds[k][0], expected_folds[k][1]);
      ranked = rank_by_hand (runs, BOURSE_OPTIMISER_PROFIT, 0);
      g_assert_true (json_object_equal (fold->params, g_array_index (ranked, Ranked, 0).params));
      assert_metrics_equal (&fold->in_sample, &g_array_index (ranked, Ranked, 0).metrics);
      g_assert_true (json_object_equal (fold->params, alone->params));

      /* … and its out-of-sample run is a backtest of it on the test part. */
      spec_init (&spec, strategy, fold->params);
      spec.window_start = expected_folds[k][1];
      spec.window_end = expected_folds[k][2];
      test = bourse_backtest_run (series, &spec, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      assert_metrics_equal (&fold->out_of_sample->metrics, &test->metrics);
      assert_metrics_equal (&alone->out_of_sample->metrics, &test->metrics);
      g_assert_cmpint (fold->out_of_sample->final_equity.units, ==, test->final_equity.units);
      g_assert_cmpuint (fold->out_of_sample->trades->len, ==, test->trades->len);
      g_assert_cmpuint (fold->out_of_sample->n_candles, ==, expected_folds[k][2] - expected_folds[k][1]);
      g_assert_cmpint (fold->out_of_sample->start_time, ==, fold->test_start_time);
      g_assert_cmpint (fold->out_of_sample->end_time, ==, fold->test_end_time);
      growth *= bourse_decimal_to_double (test->final_equity) / 10000.0;
      trades += test->metrics.trades;
    }
  g_assert_cmpfloat_with_epsilon (result->out_of_sample_return, growth - 1, 1e-9);
  g_assert_cmpuint (result->out_of_sample_trades, ==, trades);
  g_assert_cmpfloat (result->out_of_sample_return, ==, single->out_of_sample_return);
  /* The chained curve ends where the compounded return does. */
  g_assert_cmpuint (result->out_of_sample_curve->len, ==, 17 + 17 + 17);
  g_assert_cmpfloat_with_epsilon (
    g_array_index (result->out_of_sample_curve, BourseBacktestPoint, result->out_of_sample_curve->len - 1).equity,
    10000 * growth, 1e-6);

  /* The JSON writes the windows out. */
  json = bourse_optimiser_result_to_json (result);
  folds = json_object_get_array_member (json_node_get_object (json), "folds");
  g_assert_cmpuint (json_array_get_length (folds), ==, 3);
  for (guint k = 0; k < 3; k++)
    {
      JsonObject *fold = json_array_get_object_element (folds, k);
      JsonObject *train = json_object_get_object_member (fold, "train");
      JsonObject *test = json_object_get_object_member (fold, "test");

      g_assert_cmpint (get_int (fold, "fold"), ==, k + 1);
      g_assert_cmpstr (json_object_get_string_member (train, "start"), ==, times[k][0]);
      g_assert_cmpstr (json_object_get_string_member (train, "end"), ==, times[k][1]);
      g_assert_cmpstr (json_object_get_string_member (test, "start"), ==, times[k][2]);
      g_assert_cmpstr (json_object_get_string_member (test, "end"), ==, times[k][3]);
      g_assert_cmpint (get_int (train, "candles"), ==, expected_folds[k][1] - expected_folds[k][0]);
      g_assert_cmpint (get_int (test, "candles"), ==, expected_folds[k][2] - expected_folds[k][1]);
      g_assert_true (json_object_has_member (fold, "params"));
      g_assert_true (json_object_has_member (json_object_get_object_member (fold, "in_sample"), "sharpe"));
      g_assert_true (json_object_has_member (json_object_get_object_member (fold, "out_of_sample"), "sharpe"));
    }
  g_assert_cmpint (get_int (json_object_get_object_member (json_node_get_object (json), "out_of_sample"), "trades"),
                   ==, trades);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (json), "walk_forward"), "train_fraction"),
                   ==, "0.75000000");
}

static void
test_json (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_autoptr(BourseBacktestSeries) series = make_series (400, 100, 3);
  g_auto(BourseOptimiserOptions) options = { 0 };
  g_autoptr(BourseOptimiserResult) result = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BourseBacktestSpec base;
  JsonObject *root;
  JsonArray *candidates;

  parse_options (&options, strategy,
                 "{\"space\": {\"fast\": [4, 8], \"slow\": [16, 32]}, \"method\": \"random\", \"samples\": 3,"
                 " \"seed\": 1234, \"objective\": \"calmar\", \"min_trades\": 2}");
  spec_init (&base, strategy, NULL);
  result = bourse_optimiser_run (series, &base, &options, 2, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  json = bourse_optimiser_result_to_json (result);
  root = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (root, "method"), ==, "random");
  g_assert_cmpstr (json_object_get_string_member (root, "objective"), ==, "calmar");
  g_assert_cmpint (get_int (root, "seed"), ==, 1234);
  g_assert_cmpint (get_int (root, "min_trades"), ==, 2);
  g_assert_cmpint (get_int (root, "combinations"), ==, 4);
  candidates = json_object_get_array_member (root, "candidates");
  g_assert_cmpuint (json_array_get_length (candidates), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *c = json_array_get_object_element (candidates, i);

      g_assert_cmpint (get_int (c, "rank"), ==, i + 1);
      g_assert_true (json_object_has_member (json_object_get_object_member (c, "params"), "fast"));
      g_assert_true (json_object_has_member (json_object_get_object_member (c, "metrics"), "calmar"));
    }
  g_assert_true (json_node_equal (json_object_get_member (root, "best"), json_array_get_element (candidates, 0)));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (root, "walk_forward")));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "folds")), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (root, "out_of_sample")));
  text = bourse_json_to_string (json, NULL);
  g_assert_nonnull (text);
}

/* }}} */

/* Progress, cancel, refusals {{{ */

typedef struct
{
  double        last;
  guint         calls;
  GCancellable *cancel_at_first;
} Progress;

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpfloat (fraction, >=, p->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  p->last = fraction;
  p->calls++;
  if (p->cancel_at_first != NULL)
    g_cancellable_cancel (p->cancel_at_first);
}

static void
test_progress_and_cancel (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  g_autoptr(BourseBacktestSeries) series = make_series (400, 100, 5);
  g_auto(BourseOptimiserOptions) options = { 0 };
  g_autoptr(BourseOptimiserResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  BourseBacktestSpec base;
  Progress progress = { 0 };
  guint thread_counts[] = { 1, 4 };

  parse_options (&options, strategy,
                 "{\"space\": {\"fast\": {\"min\": 2, \"max\": 12, \"step\": 2}, \"slow\": [20, 30, 40]},"
                 " \"walk_forward\": {\"folds\": 2}}");
  spec_init (&base, strategy, NULL);
  result = bourse_optimiser_run (series, &base, &options, 4, progress_cb, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, >, 1);
  g_assert_cmpfloat (progress.last, ==, 1.0);

  /* Cancelled at the first report, or before it starts: no result. */
  for (guint t = 0; t < G_N_ELEMENTS (thread_counts); t++)
    {
      g_autoptr(BourseOptimiserResult) cancelled = NULL;
      g_autoptr(GCancellable) c = g_cancellable_new ();
      Progress p = { .cancel_at_first = c };

      cancelled = bourse_optimiser_run (series, &base, &options, thread_counts[t], progress_cb, &p, c, &error);
      g_assert_null (cancelled);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
    }
  g_cancellable_cancel (cancellable);
  g_assert_null (bourse_optimiser_run (series, &base, &options, 0, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_refusals (void)
{
  g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup ("sma-cross");
  static const struct
  {
    const char *request;
    const char *field;
  } cases[] = {
    { "{}", "space" },
    { "{\"space\": {}}", "space" },
    { "{\"space\": [1, 2]}", "space" },
    { "{\"space\": {\"nope\": [1]}}", "space.nope" },
    { "{\"space\": {\"fast\": [0]}}", "space.fast" },
    { "{\"space\": {\"fast\": [1.5]}}", "space.fast" },
    { "{\"space\": {\"fast\": [\"5\"]}}", "space.fast" },
    { "{\"space\": {\"fast\": []}}", "space.fast" },
    { "{\"space\": {\"fast\": [5, 5]}}", "space.fast" },
    { "{\"space\": {\"fast\": \"5\"}}", "space.fast" },
    { "{\"space\": {\"fast\": {\"min\": 5, \"max\": 1, \"step\": 1}}}", "space.fast" },
    { "{\"space\": {\"fast\": {\"min\": 1, \"max\": 5, \"step\": 0}}}", "space.fast" },
    { "{\"space\": {\"fast\": {\"min\": 1, \"max\": 5, \"step\": 0.5}}}", "space.fast" },
    { "{\"space\": {\"fast\": {\"min\": 1, \"max\": 5}}}", "space.fast" },
    { "{\"space\": {\"fast\": {\"min\": 1, \"max\": 2000, \"step\": 1}}}", "space.fast" },
    { "{\"space\": {\"stop_atr\": {\"min\": 0.05, \"max\": 1, \"step\": 0.05}}}", "space.stop_atr" },
    { "{\"space\": {\"fast\": {\"min\": 1, \"max\": 200, \"step\": 1}, \"slow\": {\"min\": 2, \"max\": 200, "
      "\"step\": 1}}}", "space" },
    { "{\"space\": {\"fast\": [5]}, \"method\": \"nope\"}", "method" },
    { "{\"space\": {\"fast\": [5]}, \"method\": \"random\"}", "samples" },
    { "{\"space\": {\"fast\": [5]}, \"method\": \"random\", \"samples\": 0}", "samples" },
    { "{\"space\": {\"fast\": [5]}, \"method\": \"random\", \"samples\": 10001}", "samples" },
    { "{\"space\": {\"fast\": [5]}, \"seed\": -1}", "seed" },
    { "{\"space\": {\"fast\": [5]}, \"objective\": \"luck\"}", "objective" },
    { "{\"space\": {\"fast\": [5]}, \"min_trades\": -1}", "min_trades" },
    { "{\"space\": {\"fast\": [5]}, \"walk_forward\": 3}", "walk_forward" },
    { "{\"space\": {\"fast\": [5]}, \"walk_forward\": {}}", "walk_forward.folds" },
    { "{\"space\": {\"fast\": [5]}, \"walk_forward\": {\"folds\": 0}}", "walk_forward.folds" },
    { "{\"space\": {\"fast\": [5]}, \"walk_forward\": {\"folds\": 21}}", "walk_forward.folds" },
    { "{\"space\": {\"fast\": [5]}, \"walk_forward\": {\"folds\": 2, \"train_fraction\": \"1\"}}",
      "walk_forward.train_fraction" },
    { "{\"space\": {\"fast\": [5]}, \"walk_forward\": {\"folds\": 2, \"train_fraction\": 0}}",
      "walk_forward.train_fraction" },
    { "{\"space\": {\"fast\": [5]}, \"walk_forward\": {\"folds\": 2, \"train_fraction\": \"half\"}}",
      "walk_forward.train_fraction" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(BourseOptimiserOptions) options = { 0 };
      g_autoptr(JsonObject) request = parse_object (cases[i].request);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].request);
      bourse_optimiser_options_init (&options);
      g_assert_false (bourse_optimiser_options_parse (&options, strategy, request, &error));
      g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
      g_assert_cmpstr (bourse_error_get_field (error), ==, cases[i].field);
    }

  /* A large space is fine at random. */
  {
    g_auto(BourseOptimiserOptions) options = { 0 };

    parse_options (&options, strategy,
                   "{\"space\": {\"fast\": {\"min\": 1, \"max\": 200, \"step\": 1}, \"slow\": {\"min\": 2, "
                   "\"max\": 200, \"step\": 1}}, \"method\": \"random\", \"samples\": 10}");
  }

  /* Every combination refused by the strategy's rule: its parameter is named. */
  {
    g_auto(BourseOptimiserOptions) options = { 0 };
    g_autoptr(GError) error = NULL;

    parse_options (&options, strategy, "{\"space\": {\"fast\": [40, 50], \"slow\": [30]}}");
    g_assert_null (bourse_optimiser_list_candidates (strategy, NULL, &options, NULL, NULL, &error));
    g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
    g_assert_cmpstr (bourse_error_get_field (error), ==, "space.fast");
  }

  /* Too many folds for the window, found when the series is known. */
  {
    g_autoptr(BourseBacktestSeries) series = make_series (130, 100, 1);
    g_auto(BourseOptimiserOptions) options = { 0 };
    g_autoptr(GError) error = NULL;
    BourseBacktestSpec base;

    parse_options (&options, strategy, "{\"space\": {\"fast\": [5]}, \"walk_forward\": {\"folds\": 20}}");
    spec_init (&base, strategy, NULL);
    g_assert_null (bourse_optimiser_run (series, &base, &options, 0, NULL, NULL, NULL, &error));
    g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
    g_assert_cmpstr (bourse_error_get_field (error), ==, "walk_forward.folds");
  }
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  bourse_strategies_ensure ();

  g_test_add_func ("/optimiser/grid", test_grid);
  g_test_add_func ("/optimiser/random", test_random);
  g_test_add_func ("/optimiser/run-matches-backtests", test_run_matches_backtests);
  g_test_add_func ("/optimiser/min-trades", test_min_trades);
  g_test_add_func ("/optimiser/split-folds", test_split_folds);
  g_test_add_func ("/optimiser/walk-forward", test_walk_forward);
  g_test_add_func ("/optimiser/json", test_json);
  g_test_add_func ("/optimiser/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/optimiser/refusals", test_refusals);
  return g_test_run ();
}
