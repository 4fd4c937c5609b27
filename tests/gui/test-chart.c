/* test-chart.c — the candlestick chart widget on its own, under Xvfb
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "bourse-candle-chart.h"

#include "gui-util.h"

#define N_CANDLES   10000
#define MINUTE_MS   G_GINT64_CONSTANT (60000)
/* 2026-01-01T00:00:00Z */
#define SERIES_START G_GINT64_CONSTANT (1767225600000)

static gboolean have_display;

/* Helpers {{{ */

/* A random walk, the same on every run. */
static GArray *
make_series (guint  n,
             gint64 start,
             gint64 spacing,
             guint  seed)
{
  GArray *series = g_array_sized_new (FALSE, FALSE, sizeof (BourseChartCandle), n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  double price = 100;

  for (guint i = 0; i < n; i++)
    {
      BourseChartCandle candle;
      double close = price * (1 + g_rand_double_range (rand, -0.004, 0.004));

      candle.open_time = start + i * spacing;
      candle.open = price;
      candle.close = close;
      candle.high = MAX (price, close) * (1 + g_rand_double_range (rand, 0, 0.002));
      candle.low = MIN (price, close) * (1 - g_rand_double_range (rand, 0, 0.002));
      candle.volume = g_rand_double_range (rand, 1, 100);
      candle.closed = TRUE;
      g_array_append_val (series, candle);
      price = close;
    }

  return series;
}

typedef struct
{
  GtkWidget                *window;
  BourseCandleChart        *chart;
  GtkEventControllerMotion *motion;
  GtkEventControllerScroll *scroll;
  GtkGestureDrag           *drag;
} Fixture;

static gboolean
chart_is_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_mapped (data);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GListModel) controllers = NULL;

  if (!have_display)
    return;

  fixture->window = gtk_window_new ();
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 500);
  fixture->chart = BOURSE_CANDLE_CHART (bourse_candle_chart_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->chart));
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_until (chart_is_allocated, fixture->chart, "the chart to be allocated");

  /* The chart's own controllers: signals emitted on them are what real
   * pointer events become. */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->chart));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        fixture->motion = GTK_EVENT_CONTROLLER_MOTION (controller);
      else if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        fixture->scroll = GTK_EVENT_CONTROLLER_SCROLL (controller);
      else if (GTK_IS_GESTURE_DRAG (controller))
        fixture->drag = GTK_GESTURE_DRAG (controller);
    }
  g_assert_nonnull (fixture->motion);
  g_assert_nonnull (fixture->scroll);
  g_assert_nonnull (fixture->drag);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window == NULL)
    return;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
}

static void
set_series (Fixture *fixture,
            guint    n)
{
  g_autoptr(GArray) series = make_series (n, SERIES_START, MINUTE_MS, 7);

  bourse_candle_chart_set_candles (fixture->chart, (BourseChartCandle *) series->data, series->len);
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, n);
}

static void
pointer_to (Fixture *fixture,
            double   x,
            double   y)
{
  g_signal_emit_by_name (fixture->motion, "motion", x, y);
}

static gboolean
wheel (Fixture *fixture,
       double   dx,
       double   dy)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (fixture->scroll, "scroll", dx, dy, &handled);
  return handled;
}

static double
visible_count (BourseCandleChart *chart)
{
  double left, right;

  bourse_candle_chart_get_visible_range (chart, &left, &right);
  return right - left;
}

static GskRenderNode *
snapshot_chart (BourseCandleChart *chart)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (chart)->snapshot (GTK_WIDGET (chart), snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

static guint
count_color_nodes (GskRenderNode *node)
{
  guint n = 0;

  if (node == NULL)
    return 0;

  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_COLOR_NODE:
      return 1;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_color_nodes (gsk_container_node_get_child (node, i));
      return n;
    case GSK_CLIP_NODE:
      return count_color_nodes (gsk_clip_node_get_child (node));
    case GSK_TRANSFORM_NODE:
      return count_color_nodes (gsk_transform_node_get_child (node));
    default:
      return 0;
    }
}

/* Renders the chart as the cairo renderer would on screen; returns the
 * pixels (cairo ARGB32: B, G, R, A in memory on little-endian). */
static guchar *
render_chart (BourseCandleChart *chart,
              int               *width,
              int               *height,
              guint             *n_color_nodes)
{
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  guchar *pixels;

  *width = gtk_widget_get_width (GTK_WIDGET (chart));
  *height = gtk_widget_get_height (GTK_WIDGET (chart));

  node = snapshot_chart (chart);
  if (n_color_nodes != NULL)
    *n_color_nodes = count_color_nodes (node);
  if (node == NULL)
    return NULL;

  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  gsk_renderer_unrealize (renderer);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, *width);

  pixels = g_malloc (*width * *height * 4);
  gdk_texture_download (texture, pixels, *width * 4);

  return pixels;
}

/* Whether some pixel in the column range has @color. */
static gboolean
has_color (const guchar  *pixels,
           int            width,
           int            height,
           int            x_from,
           int            x_to,
           const GdkRGBA *color)
{
  int red = (int) round (color->red * 255);
  int green = (int) round (color->green * 255);
  int blue = (int) round (color->blue * 255);

  for (int y = 0; y < height; y++)
    for (int x = MAX (0, x_from); x < MIN (width, x_to); x++)
      {
        const guchar *pixel = pixels + (y * width + x) * 4;

        if (ABS (pixel[2] - red) <= 2 && ABS (pixel[1] - green) <= 2 &&
            ABS (pixel[0] - blue) <= 2 && pixel[3] == 255)
          return TRUE;
      }

  return FALSE;
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { if (!have_display) { g_test_skip ("no display"); return; } } G_STMT_END

/* }}} */

static void
test_nice_step (void)
{
  static const struct {
    double raw;
    double step;
    int    decimals;
  } cases[] = {
    { 0.13,    0.2,    1 },
    { 3,       5,      0 },
    { 7,       10,     0 },
    { 1,       1,      0 },
    { 250,     500,    0 },
    { 0.0004,  0.0005, 4 },
    { 0.01,    0.01,   2 },
    { 1.5,     2,      0 },
    { 12000,   20000,  0 },
  };
  int decimals;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double step = bourse_chart_nice_step (cases[i].raw, &decimals);

      g_assert_cmpfloat_with_epsilon (step, cases[i].step, cases[i].step * 1e-9);
      g_assert_cmpint (decimals, ==, cases[i].decimals);
    }

  /* Nonsense gives a usable step, not a crash. */
  g_assert_cmpfloat (bourse_chart_nice_step (0, &decimals), ==, 1);
  g_assert_cmpfloat (bourse_chart_nice_step (NAN, NULL), ==, 1);
}

static void
test_format_volume (void)
{
  static const struct {
    double      volume;
    const char *text;
  } cases[] = {
    { 0,           "0.00" },
    { 12.345,      "12.35" },
    { 512,         "512" },
    { 12345,       "12.35K" },
    { 4500000,     "4.50M" },
    { 2.5e9,       "2.50B" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = bourse_chart_format_volume (cases[i].volume);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_follow_latest (Fixture       *fixture,
                    gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  double left, right;

  SKIP_WITHOUT_DISPLAY ();

  /* Nothing yet: nothing in view. */
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, -1);
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), ==, -1);
  g_assert_cmpstr (bourse_candle_chart_get_readout (chart), ==, "");

  set_series (fixture, N_CANDLES);

  /* The latest candle is in view, at the default zoom. */
  g_assert_true (bourse_candle_chart_get_following (chart));
  g_assert_cmpint (bourse_candle_chart_get_last_visible (chart), ==, N_CANDLES - 1);
  g_assert_cmpfloat (bourse_candle_chart_get_candle_width (chart), ==, 8);
  bourse_candle_chart_get_visible_range (chart, &left, &right);
  g_assert_cmpfloat (right, >, N_CANDLES - 1);
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, (int) floor (left + 0.5));
  /* Most of the 900 px wide window is plot. */
  g_assert_cmpfloat (visible_count (chart), >, 700 / 8.0);
  g_assert_cmpfloat (visible_count (chart), <, 900 / 8.0);

  /* x and index are each other's inverse. */
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_x_to_index (chart,
                                    bourse_candle_chart_index_to_x (chart, 9990)), 9990, 1e-9);
}

static void
test_zoom_scroll (Fixture       *fixture,
                  gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  double index_before, count_before;
  int crosshair;

  SKIP_WITHOUT_DISPLAY ();

  set_series (fixture, N_CANDLES);
  bourse_candle_chart_pan (chart, -3000);
  g_assert_false (bourse_candle_chart_get_following (chart));

  pointer_to (fixture, 200, 100);
  index_before = bourse_candle_chart_x_to_index (chart, 200);
  count_before = visible_count (chart);
  crosshair = bourse_candle_chart_get_crosshair_index (chart);
  g_assert_cmpint (crosshair, >=, 0);

  /* Wheel up: in, around the pointer. */
  g_assert_true (wheel (fixture, 0, -1));
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_get_candle_width (chart), 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_x_to_index (chart, 200), index_before, 1e-6);
  g_assert_cmpfloat (visible_count (chart), <, count_before);
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), ==, crosshair);

  /* Wheel down twice: out, still around the pointer. */
  g_assert_true (wheel (fixture, 0, 2));
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_get_candle_width (chart), 6.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_x_to_index (chart, 200), index_before, 1e-6);
  g_assert_cmpfloat (visible_count (chart), >, count_before);
  g_assert_false (bourse_candle_chart_get_following (chart));

  /* Sideways: a pan, zoom unchanged. */
  index_before = bourse_candle_chart_x_to_index (chart, 200);
  g_assert_true (wheel (fixture, 1, 0));
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_get_candle_width (chart), 6.4, 1e-9);
  g_assert_cmpfloat (bourse_candle_chart_x_to_index (chart, 200), >, index_before);
}

static void
test_zoom_programmatic (Fixture       *fixture,
                        gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  double index_before;

  SKIP_WITHOUT_DISPLAY ();

  set_series (fixture, N_CANDLES);

  /* Following: the latest candle stays in view whatever the zoom. */
  bourse_candle_chart_zoom (chart, 3, 100);
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_get_candle_width (chart), 24, 1e-9);
  g_assert_true (bourse_candle_chart_get_following (chart));
  g_assert_cmpint (bourse_candle_chart_get_last_visible (chart), ==, N_CANDLES - 1);

  /* Elsewhere: around the given x. */
  bourse_candle_chart_pan (chart, -500);
  index_before = bourse_candle_chart_x_to_index (chart, 321);
  bourse_candle_chart_zoom (chart, 0.5, 321);
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_get_candle_width (chart), 12, 1e-9);
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_x_to_index (chart, 321), index_before, 1e-6);

  /* In no further than the largest candles… */
  bourse_candle_chart_zoom (chart, 1000, 321);
  g_assert_cmpfloat (bourse_candle_chart_get_candle_width (chart), ==, 64);

  /* …and out no further than every candle in view. */
  bourse_candle_chart_zoom (chart, 1e-6, 321);
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, 0);
  g_assert_cmpint (bourse_candle_chart_get_last_visible (chart), ==, N_CANDLES - 1);
  g_assert_cmpfloat (bourse_candle_chart_get_candle_width (chart), <, 0.1);
  g_assert_cmpfloat (visible_count (chart), >=, N_CANDLES);

  bourse_candle_chart_set_candle_width (chart, 8);
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_get_candle_width (chart), 8, 1e-9);
}

static void
test_drag (Fixture       *fixture,
           gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  double left, right, right_before;

  SKIP_WITHOUT_DISPLAY ();

  set_series (fixture, N_CANDLES);
  bourse_candle_chart_get_visible_range (chart, NULL, &right_before);

  /* Dragging right brings older candles in. */
  g_signal_emit_by_name (fixture->drag, "drag-begin", 400.0, 200.0);
  g_signal_emit_by_name (fixture->drag, "drag-update", 160.0, 5.0);
  bourse_candle_chart_get_visible_range (chart, NULL, &right);
  g_assert_cmpfloat_with_epsilon (right, right_before - 160 / 8.0, 1e-9);
  g_assert_false (bourse_candle_chart_get_following (chart));
  g_assert_cmpint (bourse_candle_chart_get_last_visible (chart), <, N_CANDLES - 1);

  /* Far past the start: it stops there. */
  g_signal_emit_by_name (fixture->drag, "drag-update", 1e7, 0.0);
  bourse_candle_chart_get_visible_range (chart, &left, NULL);
  g_assert_cmpfloat_with_epsilon (left, -0.5, 1e-9);
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, 0);

  /* Far past the end: it stops at the latest and follows again. */
  g_signal_emit_by_name (fixture->drag, "drag-update", -1e7, 0.0);
  g_assert_cmpint (bourse_candle_chart_get_last_visible (chart), ==, N_CANDLES - 1);
  g_assert_true (bourse_candle_chart_get_following (chart));
  bourse_candle_chart_get_visible_range (chart, NULL, &right);
  g_assert_cmpfloat_with_epsilon (right, right_before, 1e-9);
  g_signal_emit_by_name (fixture->drag, "drag-end", -1e7, 0.0);

  /* The same through the programmatic pan. */
  bourse_candle_chart_pan (chart, -1e9);
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, 0);
  bourse_candle_chart_pan (chart, 1e9);
  g_assert_true (bourse_candle_chart_get_following (chart));
}

static char *
expected_readout (const BourseChartCandle *candle,
                  int                      decimals)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (candle->open_time / 1000);
  g_autofree char *stamp = g_date_time_format (time, "%Y-%m-%d %H:%M");
  g_autofree char *volume = bourse_chart_format_volume (candle->volume);

  return g_strdup_printf ("%s  O %.*f  H %.*f  L %.*f  C %.*f  V %s", stamp,
                          decimals, candle->open, decimals, candle->high,
                          decimals, candle->low, decimals, candle->close, volume);
}

static void
test_crosshair (Fixture       *fixture,
                gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  g_autofree char *expected = NULL;
  g_autofree char *latest = NULL;
  double x;
  int k;

  SKIP_WITHOUT_DISPLAY ();

  set_series (fixture, N_CANDLES);
  bourse_candle_chart_set_price_decimals (chart, 4);
  bourse_candle_chart_pan (chart, -1234);

  latest = expected_readout (bourse_candle_chart_get_candle (chart, N_CANDLES - 1), 4);
  g_assert_cmpstr (bourse_candle_chart_get_readout (chart), ==, latest);

  k = bourse_candle_chart_get_first_visible (chart) + 10;
  x = bourse_candle_chart_index_to_x (chart, k);

  pointer_to (fixture, x, 100);
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), ==, k);
  expected = expected_readout (bourse_candle_chart_get_candle (chart, k), 4);
  g_assert_cmpstr (bourse_candle_chart_get_readout (chart), ==, expected);

  /* Anywhere on the candle's width, not only its centre. */
  pointer_to (fixture, x + 8 * 0.4, 300);
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), ==, k);
  pointer_to (fixture, x + 8 * 0.6, 300);
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), ==, k + 1);

  /* The content moves under a still pointer. */
  bourse_candle_chart_pan (chart, 3);
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), ==, k + 4);

  /* Over the price axis: no candle. */
  pointer_to (fixture, gtk_widget_get_width (GTK_WIDGET (chart)) - 5, 100);
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), ==, -1);
  g_assert_cmpstr (bourse_candle_chart_get_readout (chart), ==, latest);

  pointer_to (fixture, x, 100);
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), >=, 0);
  g_signal_emit_by_name (fixture->motion, "leave");
  g_assert_cmpint (bourse_candle_chart_get_crosshair_index (chart), ==, -1);
  g_assert_cmpstr (bourse_candle_chart_get_readout (chart), ==, latest);
}

static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  BourseChartCandle candle;
  g_autofree char *close_text = NULL;
  int first, last;

  SKIP_WITHOUT_DISPLAY ();

  set_series (fixture, N_CANDLES);
  bourse_candle_chart_set_price_decimals (chart, 2);

  /* The forming candle moves. */
  candle = *bourse_candle_chart_get_candle (chart, N_CANDLES - 1);
  candle.close = 250.5;
  candle.high = 250.75;
  candle.closed = FALSE;
  g_assert_true (bourse_candle_chart_update_candle (chart, &candle));
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (chart), ==, N_CANDLES);
  g_assert_cmpfloat (bourse_candle_chart_get_candle (chart, N_CANDLES - 1)->close, ==, 250.5);
  g_assert_nonnull (strstr (bourse_candle_chart_get_readout (chart), "C 250.50"));

  /* A new one opens: followed. */
  candle.open_time += MINUTE_MS;
  candle.open = candle.close = candle.high = candle.low = 251;
  g_assert_true (bourse_candle_chart_update_candle (chart, &candle));
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (chart), ==, N_CANDLES + 1);
  g_assert_cmpint (bourse_candle_chart_get_last_visible (chart), ==, N_CANDLES);
  g_assert_true (bourse_candle_chart_get_following (chart));

  /* Looking at the past, a new candle does not move the view. */
  bourse_candle_chart_pan (chart, -100);
  first = bourse_candle_chart_get_first_visible (chart);
  last = bourse_candle_chart_get_last_visible (chart);
  candle.open_time += MINUTE_MS;
  g_assert_true (bourse_candle_chart_update_candle (chart, &candle));
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (chart), ==, N_CANDLES + 2);
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, first);
  g_assert_cmpint (bourse_candle_chart_get_last_visible (chart), ==, last);
  g_assert_false (bourse_candle_chart_get_following (chart));

  /* A correction of an older candle; a time that is not there is refused. */
  candle = *bourse_candle_chart_get_candle (chart, 5);
  candle.close = 99.5;
  g_assert_true (bourse_candle_chart_update_candle (chart, &candle));
  g_assert_cmpfloat (bourse_candle_chart_get_candle (chart, 5)->close, ==, 99.5);
  candle.open_time += MINUTE_MS / 2;
  g_assert_false (bourse_candle_chart_update_candle (chart, &candle));
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (chart), ==, N_CANDLES + 2);

  /* The merged view sees the new values: the pyramid followed. */
  bourse_candle_chart_zoom (chart, 1e-6, -1);
  close_text = g_strdup_printf ("C %.2f", 251.0);
  g_assert_nonnull (strstr (bourse_candle_chart_get_readout (chart), close_text));
  {
    int width, height;
    g_autofree guchar *pixels = render_chart (chart, &width, &height, NULL);

    g_assert_nonnull (pixels);
  }
}

static void
count_cb (GObject *object,
          guint   *count)
{
  (*count)++;
}

static void
test_prepend (Fixture       *fixture,
              gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  g_autoptr(GArray) older = make_series (1000, SERIES_START - 1000 * MINUTE_MS, MINUTE_MS, 3);
  g_autoptr(GArray) overlapping = make_series (10, SERIES_START - 5 * MINUTE_MS, MINUTE_MS, 4);
  guint n_load_older = 0;
  gint64 first_time;
  int first;

  SKIP_WITHOUT_DISPLAY ();

  g_signal_connect (chart, "load-older", G_CALLBACK (count_cb), &n_load_older);
  set_series (fixture, N_CANDLES);
  g_assert_cmpuint (n_load_older, ==, 0);

  /* Near the start: older history is asked for, once. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.start", NULL));
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, 0);
  g_assert_cmpuint (n_load_older, ==, 1);
  bourse_candle_chart_pan (chart, 3);
  bourse_candle_chart_pan (chart, -3);
  g_assert_cmpuint (n_load_older, ==, 1);

  /* It comes: the same candles stay in view. */
  bourse_candle_chart_pan (chart, 20);
  first = bourse_candle_chart_get_first_visible (chart);
  first_time = bourse_candle_chart_get_candle (chart, first)->open_time;
  bourse_candle_chart_prepend_candles (chart, (BourseChartCandle *) older->data, older->len);
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (chart), ==, N_CANDLES + 1000);
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, first + 1000);
  g_assert_cmpint (bourse_candle_chart_get_candle (chart, first + 1000)->open_time, ==, first_time);
  g_assert_cmpint (bourse_candle_chart_get_candle (chart, 0)->open_time, ==,
                   SERIES_START - 1000 * MINUTE_MS);
  /* Still within a screen of the start? Then it asks again; else not. */
  g_assert_cmpuint (n_load_older, ==, 1);

  /* Only what is older than the first candle is taken. */
  bourse_candle_chart_prepend_candles (chart, (BourseChartCandle *) overlapping->data, overlapping->len);
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (chart), ==, N_CANDLES + 1000);

  /* Back at the start: asked once more. */
  bourse_candle_chart_pan (chart, -1e9);
  g_assert_cmpuint (n_load_older, ==, 2);
}

static void
test_keyboard (Fixture       *fixture,
               gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  GtkWidget *widget = GTK_WIDGET (chart);
  double right_before, right;

  SKIP_WITHOUT_DISPLAY ();

  set_series (fixture, N_CANDLES);
  g_assert_true (gtk_widget_get_focusable (widget));

  g_assert_true (gtk_widget_activate_action (widget, "chart.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_get_candle_width (chart), 10, 1e-9);
  g_assert_true (gtk_widget_activate_action (widget, "chart.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (bourse_candle_chart_get_candle_width (chart), 8, 1e-9);

  bourse_candle_chart_get_visible_range (chart, NULL, &right_before);
  g_assert_true (gtk_widget_activate_action (widget, "chart.pan", "d", -0.1));
  bourse_candle_chart_get_visible_range (chart, NULL, &right);
  g_assert_cmpfloat_with_epsilon (right, right_before - visible_count (chart) * 0.1, 1e-6);
  g_assert_false (bourse_candle_chart_get_following (chart));

  g_assert_true (gtk_widget_activate_action (widget, "chart.start", NULL));
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, 0);
  g_assert_true (gtk_widget_activate_action (widget, "chart.end", NULL));
  g_assert_true (bourse_candle_chart_get_following (chart));

  /* Screen readers hear what it is. */
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)), ==,
                   GTK_ACCESSIBLE_ROLE_IMG);
}

static void
test_ticks (Fixture       *fixture,
            gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  g_auto(GStrv) times = NULL;
  g_auto(GStrv) prices = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  double step = 0;
  int decimals = -1;

  SKIP_WITHOUT_DISPLAY ();

  set_series (fixture, N_CANDLES);
  node = snapshot_chart (chart);

  /* Minute candles 8 px wide: ticks on round minutes, as "HH:MM". */
  times = bourse_candle_chart_dup_axis_labels (chart, GTK_ORIENTATION_HORIZONTAL);
  g_assert_cmpuint (g_strv_length (times), >=, 3);
  for (guint i = 0; times[i] != NULL; i++)
    {
      g_test_message ("time label: %s", times[i]);
      if (strlen (times[i]) == 5 && times[i][2] == ':')
        g_assert_cmpint (atoi (times[i] + 3) % 15, ==, 0);
    }

  /* Prices: evenly spaced by a 1-2-5 step, all with the same decimals. */
  prices = bourse_candle_chart_dup_axis_labels (chart, GTK_ORIENTATION_VERTICAL);
  g_assert_cmpuint (g_strv_length (prices), >=, 3);
  for (guint i = 0; prices[i] != NULL; i++)
    {
      const char *dot = strchr (prices[i], '.');
      int places = dot != NULL ? (int) strlen (dot + 1) : 0;

      g_test_message ("price label: %s", prices[i]);
      if (decimals < 0)
        decimals = places;
      g_assert_cmpint (places, ==, decimals);
      if (i > 0)
        {
          double delta = g_ascii_strtod (prices[i], NULL) - g_ascii_strtod (prices[i - 1], NULL);
          double mantissa;

          /* Top to bottom: falling. */
          g_assert_cmpfloat (delta, <, 0);
          if (step == 0)
            step = -delta;
          g_assert_cmpfloat_with_epsilon (-delta, step, step * 1e-6);
          mantissa = step / pow (10, floor (log10 (step) + 1e-9));
          g_assert_true (fabs (mantissa - 1) < 1e-6 || fabs (mantissa - 2) < 1e-6 ||
                         fabs (mantissa - 5) < 1e-6);
        }
    }

  /* Daily candles over years, zoomed out: years or months. */
  {
    g_autoptr(GArray) days = make_series (3000, SERIES_START - 3000 * 86400000LL, 86400000LL, 9);
    g_autoptr(GskRenderNode) days_node = NULL;
    g_auto(GStrv) labels = NULL;

    bourse_candle_chart_set_candles (chart, (BourseChartCandle *) days->data, days->len);
    bourse_candle_chart_zoom (chart, 1e-6, -1);
    days_node = snapshot_chart (chart);
    labels = bourse_candle_chart_dup_axis_labels (chart, GTK_ORIENTATION_HORIZONTAL);
    g_assert_cmpuint (g_strv_length (labels), >=, 3);
    for (guint i = 0; labels[i] != NULL; i++)
      {
        g_test_message ("year label: %s", labels[i]);
        g_assert_cmpuint (strlen (labels[i]), ==, 4);
        g_assert_true (g_ascii_isdigit (labels[i][0]));
      }
  }
}

/* The latest price's tag covers the axis where it is: no price label is
 * drawn under it (it showed as a sliver of another number). */
static void
test_tag_clear_of_labels (Fixture       *fixture,
                          gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  BourseChartCandle candles[60];
  g_autoptr(GskRenderNode) node = NULL;
  g_auto(GStrv) prices = NULL;

  SKIP_WITHOUT_DISPLAY ();

  /* From 90 to 110, the latest closing at 100: a grid line whatever the step. */
  for (guint i = 0; i < G_N_ELEMENTS (candles); i++)
    candles[i] = (BourseChartCandle) { SERIES_START + i * MINUTE_MS, 98, i == 10 ? 110 : 103,
                                       i == 20 ? 90 : 97, 101, 10, TRUE };
  candles[59].close = 100;
  bourse_candle_chart_set_candles (chart, candles, G_N_ELEMENTS (candles));
  node = snapshot_chart (chart);

  prices = bourse_candle_chart_dup_axis_labels (chart, GTK_ORIENTATION_VERTICAL);
  g_assert_cmpuint (g_strv_length (prices), >=, 3);
  for (guint i = 0; prices[i] != NULL; i++)
    {
      g_test_message ("price label: %s", prices[i]);
      g_assert_cmpfloat (g_ascii_strtod (prices[i], NULL), !=, 100);
    }
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  g_autoptr(GArray) year = make_series (525600, SERIES_START - 525600 * MINUTE_MS, MINUTE_MS, 11);
  int width, height;
  guint n_nodes;
  GdkRGBA up, down;

  SKIP_WITHOUT_DISPLAY ();

  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (chart)),
                                                 "success_color", &up));
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (chart)),
                                                 "error_color", &down));

  /* Empty: nothing to draw but the frame. */
  bourse_candle_chart_set_candles (chart, NULL, 0);
  {
    g_autofree guchar *pixels = render_chart (chart, &width, &height, &n_nodes);

    /* The background and the two axis lines. */
    g_assert_cmpuint (n_nodes, <=, 3);
  }

  /* One rising candle: drawn in the rising colour where it is. */
  {
    BourseChartCandle one = { SERIES_START, 10, 12, 9, 11, 5, FALSE };
    g_autofree guchar *pixels = NULL;
    int x;

    bourse_candle_chart_set_candles (chart, &one, 1);
    pixels = render_chart (chart, &width, &height, &n_nodes);
    x = (int) bourse_candle_chart_index_to_x (chart, 0);
    g_assert_true (has_color (pixels, width, height, x - 3, x + 4, &up));
    g_assert_false (has_color (pixels, width, height, 0, x - 40, &up));
    g_assert_false (has_color (pixels, width, height, x - 3, x + 4, &down));
  }

  /* Constant prices: a flat line, not a division by zero. */
  {
    BourseChartCandle flat[50];
    g_autofree guchar *pixels = NULL;
    g_auto(GStrv) prices = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (flat); i++)
      flat[i] = (BourseChartCandle) { SERIES_START + i * MINUTE_MS, 5, 5, 5, 5, 0, TRUE };
    bourse_candle_chart_set_candles (chart, flat, G_N_ELEMENTS (flat));
    pixels = render_chart (chart, &width, &height, &n_nodes);
    g_assert_nonnull (pixels);
    prices = bourse_candle_chart_dup_axis_labels (chart, GTK_ORIENTATION_VERTICAL);
    g_assert_cmpuint (g_strv_length (prices), >=, 2);
  }

  /* A year of minutes: drawn with a cost bound by the width, not the count. */
  bourse_candle_chart_set_candles (chart, (BourseChartCandle *) year->data, year->len);
  for (guint i = 0; i < 4; i++)
    {
      static const double widths[] = { 8, 1, 0.1, 1e-6 };
      g_autofree guchar *pixels = NULL;
      gint64 before;

      bourse_candle_chart_set_candle_width (chart, widths[i]);
      if (i == 2)
        bourse_candle_chart_pan (chart, -200000);
      before = g_get_monotonic_time ();
      pixels = render_chart (chart, &width, &height, &n_nodes);
      g_test_message ("525,600 candles %.4g px wide: %u colour nodes, %.1f ms",
                      bourse_candle_chart_get_candle_width (chart), n_nodes,
                      (g_get_monotonic_time () - before) / 1000.0);
      g_assert_nonnull (pixels);
      g_assert_cmpuint (n_nodes, <=, 3 * width + 100);
      g_assert_true (has_color (pixels, width, height, 0, width, &up));
      g_assert_true (has_color (pixels, width, height, 0, width, &down));
    }
  g_assert_cmpint (bourse_candle_chart_get_first_visible (chart), ==, 0);
  g_assert_cmpint (bourse_candle_chart_get_last_visible (chart), ==, 525599);
}

/* Light and dark: the colours come from the style. */
static void
test_style (Fixture       *fixture,
            gconstpointer  data)
{
  BourseCandleChart *chart = fixture->chart;
  AdwStyleManager *manager = adw_style_manager_get_default ();
  BourseChartCandle one = { SERIES_START, 10, 12, 9, 11, 5, FALSE };
  GdkRGBA light_up, dark_up;
  int width, height, x;

  SKIP_WITHOUT_DISPLAY ();

  bourse_candle_chart_set_candles (chart, &one, 1);
  x = (int) bourse_candle_chart_index_to_x (chart, 0);

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  spin (50);
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (chart)),
                                                 "success_color", &light_up));
  {
    g_autofree guchar *pixels = render_chart (chart, &width, &height, NULL);

    g_assert_true (has_color (pixels, width, height, x - 3, x + 4, &light_up));
  }

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  spin (50);
  g_assert_true (adw_style_manager_get_dark (manager));
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (chart)),
                                                 "success_color", &dark_up));
  g_assert_false (gdk_rgba_equal (&light_up, &dark_up));
  {
    g_autofree guchar *pixels = render_chart (chart, &width, &height, NULL);

    g_assert_true (has_color (pixels, width, height, x - 3, x + 4, &dark_up));
    g_assert_false (has_color (pixels, width, height, x - 3, x + 4, &light_up));
  }

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/chart/nice-step", test_nice_step);
  g_test_add_func ("/chart/format-volume", test_format_volume);
  g_test_add ("/chart/follow-latest", Fixture, NULL, fixture_set_up, test_follow_latest, fixture_tear_down);
  g_test_add ("/chart/zoom/scroll", Fixture, NULL, fixture_set_up, test_zoom_scroll, fixture_tear_down);
  g_test_add ("/chart/zoom/programmatic", Fixture, NULL, fixture_set_up, test_zoom_programmatic, fixture_tear_down);
  g_test_add ("/chart/drag", Fixture, NULL, fixture_set_up, test_drag, fixture_tear_down);
  g_test_add ("/chart/crosshair", Fixture, NULL, fixture_set_up, test_crosshair, fixture_tear_down);
  g_test_add ("/chart/live", Fixture, NULL, fixture_set_up, test_live, fixture_tear_down);
  g_test_add ("/chart/prepend", Fixture, NULL, fixture_set_up, test_prepend, fixture_tear_down);
  g_test_add ("/chart/keyboard", Fixture, NULL, fixture_set_up, test_keyboard, fixture_tear_down);
  g_test_add ("/chart/ticks", Fixture, NULL, fixture_set_up, test_ticks, fixture_tear_down);
  g_test_add ("/chart/tag-clear-of-labels", Fixture, NULL, fixture_set_up, test_tag_clear_of_labels,
              fixture_tear_down);
  g_test_add ("/chart/render", Fixture, NULL, fixture_set_up, test_render, fixture_tear_down);
  g_test_add ("/chart/style", Fixture, NULL, fixture_set_up, test_style, fixture_tear_down);

  return g_test_run ();
}
