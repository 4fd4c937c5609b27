/* chart-bench.c — frame times of the candlestick chart with a year of
 * one-minute candles (bench/chart/README.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-chart [--frames N] [--width W] [--height H] [--png FILE]
 *
 * A window with the chart and 525,600 candles, panned across frame by
 * frame at several zoom levels. Each frame is timed twice over: the
 * snapshot (the chart building its render nodes) and the render of those
 * nodes by the cairo renderer into a texture the size of the chart; the
 * frame time is their sum. A last run pans on screen, driven by the frame
 * clock, and times its paint phase (layout, snapshot and render into the
 * window's surface) between the clock's "before-paint" and "after-paint".
 * Figures are printed, never asserted.
 */

#include "config.h"

#include <stdlib.h>
#include <time.h>

#include <adwaita.h>

#include "bourse-candle-chart.h"

#define N_CANDLES  525600
#define MINUTE_MS  G_GINT64_CONSTANT (60000)

static int n_frames = 600;
static int width = 1280;
static int height = 720;
static char *png_path;
static GtkEventController *motion;

static GArray *
make_series (void)
{
  GArray *series = g_array_sized_new (FALSE, FALSE, sizeof (BourseChartCandle), N_CANDLES);
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  gint64 start = G_GINT64_CONSTANT (1735689600000);   /* 2025-01-01T00:00:00Z */
  double price = 42000;

  for (guint i = 0; i < N_CANDLES; i++)
    {
      BourseChartCandle candle;
      double close = price * (1 + g_rand_double_range (rand, -0.0015, 0.0015));

      candle.open_time = start + i * MINUTE_MS;
      candle.open = price;
      candle.close = close;
      candle.high = MAX (price, close) * (1 + g_rand_double_range (rand, 0, 0.0008));
      candle.low = MIN (price, close) * (1 - g_rand_double_range (rand, 0, 0.0008));
      candle.volume = g_rand_double_range (rand, 0.5, 40);
      candle.closed = TRUE;
      g_array_append_val (series, candle);
      price = close;
    }

  return series;
}

/* This thread's CPU time in µs: unlike the wall clock, it does not count
 * the time other processes on a shared machine take the core away. */
static gint64
cpu_now (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *label,
        GArray     *times)
{
  double *values = (double *) times->data;
  guint n = times->len;

  if (n == 0)
    return;

  qsort (values, n, sizeof (double), compare_doubles);
  g_print ("%-50s %6u %8.2f %8.2f %8.2f\n", label, n,
           values[n / 2], values[MIN (n - 1, (guint) (n * 0.95))], values[n - 1]);
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_mapped (data);
}

static void
wait_for (gboolean (*condition) (gpointer),
          gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the window");
      g_main_context_iteration (NULL, TRUE);
    }
}

static GskRenderNode *
snapshot_chart (BourseCandleChart *chart)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (chart)->snapshot (GTK_WIDGET (chart), snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* Pans from the latest candle to the first in n_frames steps at the given
 * candle width, timing each frame offscreen. */
static void
run_offscreen (BourseCandleChart *chart,
               GskRenderer       *renderer,
               const char        *label,
               double             candle_width)
{
  g_autoptr(GArray) snapshots = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) renders = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_frames = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *snapshot_label = g_strdup_printf ("%s: snapshot", label);
  g_autofree char *render_label = g_strdup_printf ("%s: render", label);
  g_autofree char *frame_label = g_strdup_printf ("%s: frame", label);
  g_autofree char *cpu_label = g_strdup_printf ("%s: frame, CPU", label);
  double left, right, step;

  bourse_candle_chart_follow (chart);
  bourse_candle_chart_set_candle_width (chart, candle_width);
  bourse_candle_chart_get_visible_range (chart, &left, &right);
  step = MAX (0, left + 0.5) / n_frames;

  for (int i = 0; i < n_frames; i++)
    {
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      gint64 start, middle, end, cpu_start;
      double value;

      /* A crosshair and a pan per frame, as while dragging. */
      g_signal_emit_by_name (motion, "motion", width / 2.0, height / 3.0);
      bourse_candle_chart_pan (chart, -step);

      cpu_start = cpu_now ();
      start = g_get_monotonic_time ();
      node = snapshot_chart (chart);
      middle = g_get_monotonic_time ();
      texture = gsk_renderer_render_texture (renderer, node,
                                             &GRAPHENE_RECT_INIT (0, 0,
                                                                  gtk_widget_get_width (GTK_WIDGET (chart)),
                                                                  gtk_widget_get_height (GTK_WIDGET (chart))));
      end = g_get_monotonic_time ();

      value = (middle - start) / 1000.0;
      g_array_append_val (snapshots, value);
      value = (end - middle) / 1000.0;
      g_array_append_val (renders, value);
      value = (end - start) / 1000.0;
      g_array_append_val (frames, value);
      value = (cpu_now () - cpu_start) / 1000.0;
      g_array_append_val (cpu_frames, value);
    }

  report (snapshot_label, snapshots);
  report (render_label, renders);
  report (frame_label, frames);
  report (cpu_label, cpu_frames);
}

typedef struct
{
  BourseCandleChart *chart;
  GArray            *paints;
  gint64             paint_start;
  double             step;
  int                frame;
  gboolean           done;
} OnScreen;

static void
before_paint_cb (GdkFrameClock *clock,
                 OnScreen      *run)
{
  run->paint_start = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                OnScreen      *run)
{
  double value = (g_get_monotonic_time () - run->paint_start) / 1000.0;

  /* The first frames include realising fonts and glyph caches. */
  if (run->paint_start != 0 && run->frame > 5)
    g_array_append_val (run->paints, value);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  OnScreen *run = user_data;

  if (++run->frame > n_frames)
    {
      run->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  bourse_candle_chart_pan (run->chart, -run->step);
  return G_SOURCE_CONTINUE;
}

static gboolean
run_is_done (gpointer data)
{
  return ((OnScreen *) data)->done;
}

static void
run_on_screen (BourseCandleChart *chart,
               const char        *label,
               double             candle_width)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (chart));
  g_autoptr(GArray) paints = g_array_new (FALSE, FALSE, sizeof (double));
  OnScreen run = { chart, paints, 0, 0, 0, FALSE };
  double left, right;
  gulong before_id, after_id;

  bourse_candle_chart_follow (chart);
  bourse_candle_chart_set_candle_width (chart, candle_width);
  bourse_candle_chart_get_visible_range (chart, &left, &right);
  run.step = MAX (0, left + 0.5) / n_frames;

  before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &run);
  after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &run);
  gtk_widget_add_tick_callback (GTK_WIDGET (chart), tick_cb, &run, NULL);
  wait_for (run_is_done, &run);
  g_signal_handler_disconnect (clock, before_id);
  g_signal_handler_disconnect (clock, after_id);

  report (label, paints);
}

static void
save_png (BourseCandleChart *chart,
          GskRenderer       *renderer)
{
  g_autoptr(GskRenderNode) node = snapshot_chart (chart);
  g_autoptr(GdkTexture) texture = NULL;

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0,
                                                              gtk_widget_get_width (GTK_WIDGET (chart)),
                                                              gtk_widget_get_height (GTK_WIDGET (chart))));
  if (!gdk_texture_save_to_png (texture, png_path))
    g_printerr ("Could not write %s\n", png_path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— chart frame times");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) series = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "Frames per run (600)", "N" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Chart width (1280)", "PX" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Chart height (720)", "PX" },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png_path, "Also save a frame as PNG", "FILE" },
    { NULL }
  };
  GtkWidget *window;
  BourseCandleChart *chart;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (!gtk_init_check ())
    {
      g_printerr ("No display: run under xvfb-run (bench/chart/run.sh)\n");
      return 1;
    }
  adw_init ();

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  chart = BOURSE_CANDLE_CHART (bourse_candle_chart_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (chart));
  gtk_window_present (GTK_WINDOW (window));
  wait_for (is_allocated, chart);

  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (chart));

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
          motion = controller;
      }
  }

  start = g_get_monotonic_time ();
  series = make_series ();
  g_print ("Made %u candles in %.0f ms\n", series->len, (g_get_monotonic_time () - start) / 1000.0);

  start = g_get_monotonic_time ();
  bourse_candle_chart_set_candles (chart, (BourseChartCandle *) series->data, series->len);
  bourse_candle_chart_set_candle_width (chart, 0.001);
  gsk_render_node_unref (snapshot_chart (chart));   /* builds the aggregates */
  g_print ("Loaded them into the chart in %.0f ms (first zoomed-out frame included)\n",
           (g_get_monotonic_time () - start) / 1000.0);

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    {
      g_printerr ("Cannot realize the cairo renderer: %s\n", error->message);
      return 1;
    }

  g_print ("Chart %d × %d px, %d frames per run; times in ms\n\n",
           gtk_widget_get_width (GTK_WIDGET (chart)), gtk_widget_get_height (GTK_WIDGET (chart)),
           n_frames);
  g_print ("%-50s %6s %8s %8s %8s\n", "run", "frames", "p50", "p95", "max");

  run_offscreen (chart, renderer, "8 px candles (~150 in view)", 8);
  run_offscreen (chart, renderer, "1 px candles (~1,200 in view)", 1);
  run_offscreen (chart, renderer, "0.1 px (~12,000 merged)", 0.1);
  run_offscreen (chart, renderer, "0.01 px (~120,000 merged)", 0.01);
  run_offscreen (chart, renderer, "all 525,600 in view (merged)", 1e-6);
  run_on_screen (chart, "on screen, 1 px candles: paint", 1);
  run_on_screen (chart, "on screen, 0.01 px: paint", 0.01);


  if (png_path != NULL)
    {
      bourse_candle_chart_follow (chart);
      bourse_candle_chart_set_candle_width (chart, 8);
      save_png (chart, renderer);
    }

  gsk_renderer_unrealize (renderer);
  gtk_window_destroy (GTK_WINDOW (window));

  return 0;
}
