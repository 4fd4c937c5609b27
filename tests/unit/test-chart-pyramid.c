/* test-chart-pyramid.c — the chart's folding of candles into coarser
 * levels, and the items of a frame at every zoom
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "bourse-chart-pyramid.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)

/* Prices from a fixed sequence; volumes in 64ths, whose sums are exact in
 * a double whatever their order, so folded and scanned totals compare with ==. */
static GArray *
make_candles (guint n)
{
  GArray *candles = g_array_sized_new (FALSE, FALSE, sizeof (BourseChartCandle), n);
  guint32 state = 12345;

  for (guint i = 0; i < n; i++)
    {
      BourseChartCandle c = { .open_time = G_GINT64_CONSTANT (1704067200000) + i * MINUTE_MS, .closed = TRUE };

      state = state * 1103515245u + 12345u;
      c.open = 100 + (state >> 16) % 1000 / 37.0;
      c.close = 100 + (state >> 8) % 1000 / 41.0;
      c.low = MIN (c.open, c.close) - (state % 97) / 13.0;
      c.high = MAX (c.open, c.close) + (state % 89) / 11.0;
      c.volume = (state % 100000) / 64.0;
      g_array_append_val (candles, c);
    }
  return candles;
}

static BourseChartAggregate
brute (const GArray *candles,
       guint         from,
       guint         to)
{
  BourseChartAggregate a = { INFINITY, -INFINITY, 0 };

  for (guint i = from; i < to; i++)
    {
      const BourseChartCandle *c = &g_array_index (candles, BourseChartCandle, i);

      a.low = MIN (a.low, c->low);
      a.high = MAX (a.high, c->high);
      a.volume += c->volume;
    }
  return a;
}

static void
assert_same (BourseChartAggregate a,
             BourseChartAggregate b)
{
  g_assert_cmpfloat (a.low, ==, b.low);
  g_assert_cmpfloat (a.high, ==, b.high);
  g_assert_cmpfloat (a.volume, ==, b.volume);
}

/* Every run of a small series, and runs of a large one that span each level. */
static void
test_query (void)
{
  g_autoptr(GArray) small = make_candles (300);
  g_autoptr(GArray) large = make_candles (70000);
  g_autoptr(BourseChartPyramid) pyramid = bourse_chart_pyramid_new ();
  const BourseChartCandle *data = (const BourseChartCandle *) small->data;
  guint32 state = 7;

  for (guint from = 0; from <= small->len; from++)
    for (guint to = from; to <= small->len; to++)
      assert_same (bourse_chart_pyramid_query (pyramid, data, small->len, from, to), brute (small, from, to));
  /* 300 → 19 → 2: two levels. */
  g_assert_cmpuint (bourse_chart_pyramid_get_n_levels (pyramid), ==, 2);

  bourse_chart_pyramid_reset (pyramid);
  data = (const BourseChartCandle *) large->data;
  for (guint i = 0; i < 2000; i++)
    {
      guint from, to;

      state = state * 1103515245u + 12345u;
      from = (state >> 8) % large->len;
      state = state * 1103515245u + 12345u;
      to = from + (state >> 8) % (large->len - from + 1);
      assert_same (bourse_chart_pyramid_query (pyramid, data, large->len, from, to), brute (large, from, to));
    }
  assert_same (bourse_chart_pyramid_query (pyramid, data, large->len, 0, large->len), brute (large, 0, large->len));
  /* 70000 → 4375 → 274 → 18 → 2. */
  g_assert_cmpuint (bourse_chart_pyramid_get_n_levels (pyramid), ==, 4);
}

/* The live path: a candle corrected in place, candles appended, until the
 * pyramid needs another level. */
static void
test_touch (void)
{
  g_autoptr(GArray) candles = make_candles (256);
  g_autoptr(GArray) more = make_candles (300);
  g_autoptr(BourseChartPyramid) pyramid = bourse_chart_pyramid_new ();

  assert_same (bourse_chart_pyramid_query (pyramid, (BourseChartCandle *) candles->data, candles->len, 0, 256),
               brute (candles, 0, 256));
  g_assert_cmpuint (bourse_chart_pyramid_get_n_levels (pyramid), ==, 1);

  g_array_index (candles, BourseChartCandle, 100).high = 1e6;
  g_array_index (candles, BourseChartCandle, 100).volume += 0.5;
  bourse_chart_pyramid_touch (pyramid, (BourseChartCandle *) candles->data, candles->len, 100);
  assert_same (bourse_chart_pyramid_query (pyramid, (BourseChartCandle *) candles->data, candles->len, 0, 256),
               brute (candles, 0, 256));
  assert_same (bourse_chart_pyramid_query (pyramid, (BourseChartCandle *) candles->data, candles->len, 96, 112),
               brute (candles, 96, 112));

  for (guint i = 256; i < 300; i++)
    {
      BourseChartCandle c = g_array_index (more, BourseChartCandle, i);

      g_array_append_val (candles, c);
      bourse_chart_pyramid_touch (pyramid, (BourseChartCandle *) candles->data, candles->len, i);
      assert_same (bourse_chart_pyramid_query (pyramid, (BourseChartCandle *) candles->data, candles->len,
                                               0, candles->len),
                   brute (candles, 0, candles->len));
      assert_same (bourse_chart_pyramid_query (pyramid, (BourseChartCandle *) candles->data, candles->len,
                                               i / 2, i + 1),
                   brute (candles, i / 2, i + 1));
    }
  /* 257 and more candles are 17 blocks: a second level. */
  g_assert_cmpuint (bourse_chart_pyramid_get_n_levels (pyramid), ==, 2);
}

/* Zoomed in, one item per candle; zoomed out, one per pixel column, each a
 * run of candles folded exactly, the runs next to each other. */
static void
test_sample (void)
{
  g_autoptr(GArray) candles = make_candles (100000);
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (BourseChartItem));
  g_autoptr(BourseChartPyramid) pyramid = bourse_chart_pyramid_new ();
  const BourseChartCandle *data = (const BourseChartCandle *) candles->data;
  const double widths[] = { 8, 1, 0.5, 0.1, 0.01, 800.0 / 100000 };
  const double plot_width = 800;

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      double right = candles->len - 1 + 3;
      guint expected_first;

      bourse_chart_sample (pyramid, data, candles->len, right, widths[w], plot_width, items);
      g_assert_cmpuint (items->len, >, 0);
      expected_first = g_array_index (items, BourseChartItem, 0).first;

      for (guint i = 0; i < items->len; i++)
        {
          const BourseChartItem *item = &g_array_index (items, BourseChartItem, i);
          BourseChartAggregate a = brute (candles, item->first, item->last + 1);

          g_assert_cmpuint (item->first, ==, expected_first);
          g_assert_cmpuint (item->last, >=, item->first);
          if (widths[w] >= 1)
            g_assert_cmpuint (item->last, ==, item->first);
          g_assert_cmpfloat (item->open, ==, data[item->first].open);
          g_assert_cmpfloat (item->close, ==, data[item->last].close);
          g_assert_cmpfloat (item->low, ==, a.low);
          g_assert_cmpfloat (item->high, ==, a.high);
          g_assert_cmpfloat (item->volume, ==, a.volume);
          expected_first = item->last + 1;
        }
      g_assert_cmpuint (expected_first, ==, candles->len);
      /* Zoomed out, at most one item a pixel. */
      g_assert_cmpuint (items->len, <=, (guint) plot_width + 2);
    }

  /* Everything in view: the first item starts at the first candle. */
  bourse_chart_sample (pyramid, data, candles->len, candles->len - 1, plot_width / candles->len, plot_width, items);
  g_assert_cmpuint (g_array_index (items, BourseChartItem, 0).first, ==, 0);

  bourse_chart_sample (pyramid, data, 0, 10, 8, plot_width, items);
  g_assert_cmpuint (items->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chart/pyramid/query", test_query);
  g_test_add_func ("/chart/pyramid/touch", test_touch);
  g_test_add_func ("/chart/pyramid/sample", test_sample);

  return g_test_run ();
}
