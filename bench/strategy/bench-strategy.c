/* bench-strategy.c — how long bourse_strategy_evaluate () takes on 10,000 candles
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-strategy [--candles N] [--runs N] [--series FILE]
 *
 * Makes a deterministic series (hourly candles of a log random walk with a
 * slight drift near 65,000, on a 0.01 tick), evaluates each case --runs
 * times after one warm-up run, and prints one line per case: its name, the
 * median and the minimum wall-clock time of one evaluation in milliseconds,
 * the number of runs and the decision. --series writes the closes, one per
 * line, for reference.py to fit the same numbers. run.sh runs both.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "strategy/bourse-strategy.h"

/* Fixed variances for "kalman-fixed", of the size of the series' own. */
#define FIXED_VARIANCES \
  "{\"observation_variance\": 1e-8, \"level_variance\": 4e-6, \"slope_variance\": 1e-12}"

static const struct
{
  const char *name;
  const char *strategy;
  const char *params;
  guint       runs_divisor;   /* the slow case runs fewer times */
} cases[] = {
  { "ar", "ar", NULL, 1 },
  { "ou", "ou", NULL, 1 },
  { "kalman-fixed", "kalman", FIXED_VARIANCES, 1 },
  { "kalman-ml", "kalman", NULL, 10 },
  { "sma-cross", "sma-cross", NULL, 1 },
  { "rsi", "rsi", NULL, 1 },
};

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static BourseStrategyInput *
make_series (gsize n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);
  BourseStrategyInput *input = bourse_strategy_input_new (n);
  double price = 65000;

  /* Times as stored candles have them, so the gap check is timed too. */
  input->open_time = g_new (gint64, n);
  input->interval = BOURSE_INTERVAL_1H;
  bourse_decimal_parse ("0.01", &input->tick_size, NULL);
  for (gsize i = 0; i < n; i++)
    {
      /* A normal step from the sum of four uniforms: 0.2% a candle. */
      double step = 0;
      double open = price;

      for (guint k = 0; k < 4; k++)
        step += g_rand_double_range (rand, -1, 1);
      price = round (price * exp (0.00002 + 0.002 * step * sqrt (3.0 / 4)) * 100) / 100;
      input->open_time[i] = G_GINT64_CONSTANT (1735689600000) + (gint64) i * 3600000;
      input->open[i] = open;
      input->close[i] = price;
      input->high[i] = MAX (open, price) * (1 + 0.0005 * g_rand_double (rand));
      input->low[i] = MIN (open, price) * (1 - 0.0005 * g_rand_double (rand));
      input->volume[i] = 1 + g_rand_double (rand);
    }
  return input;
}

static JsonObject *
parse_params (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    g_error ("Bad parameters %s", text);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

int
main (int   argc,
      char *argv[])
{
  gint n_candles = 10000;
  gint runs = 201;
  g_autofree char *series_path = NULL;
  GOptionEntry entries[] = {
    { "candles", 0, 0, G_OPTION_ARG_INT, &n_candles, "Candles in the series (10000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs of each fast case (201)", "N" },
    { "series", 0, 0, G_OPTION_ARG_FILENAME, &series_path, "Write the closes to FILE", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseStrategyInput) input = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_candles < 200 || runs < 1)
    {
      g_printerr ("Need at least 200 candles and 1 run\n");
      return 2;
    }

  input = make_series (n_candles);
  if (series_path != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      for (gint i = 0; i < n_candles; i++)
        g_string_append_printf (text, "%.2f\n", input->close[i]);
      if (!g_file_set_contents (series_path, text->str, text->len, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(BourseStrategy) strategy = bourse_strategy_lookup (cases[c].strategy);
      g_autoptr(JsonObject) params = parse_params (cases[c].params);
      g_auto(BourseSignal) signal = BOURSE_SIGNAL_INIT;
      guint n_runs = MAX (5, (guint) runs / cases[c].runs_divisor);
      g_autofree double *times = g_new (double, n_runs);

      /* One warm-up run: page faults and caches are not the model's cost. */
      if (!bourse_strategy_evaluate (strategy, input, params, &signal, &error))
        g_error ("%s: %s", cases[c].name, error->message);
      for (guint r = 0; r < n_runs; r++)
        {
          gint64 start = g_get_monotonic_time ();

          bourse_strategy_evaluate (strategy, input, params, &signal, NULL);
          times[r] = (g_get_monotonic_time () - start) / 1000.0;
        }
      qsort (times, n_runs, sizeof (double), compare_doubles);
      g_print ("%-13s %10.4f %10.4f %5u  %s\n", cases[c].name, times[n_runs / 2], times[0], n_runs,
               bourse_decision_to_string (signal.decision));
    }
  return 0;
}
