/* bourse-candle-chart.c — a candlestick chart drawn with GSK nodes
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How it stays fast with a year of one-minute candles (docs/DESKTOP.md):
 * the x axis is in candle indices, so the visible candles are a slice of
 * the array found by arithmetic; when more candles than pixels are in
 * view, each pixel column shows the merged candle of its slice (low, high,
 * volume from a pyramid of pre-aggregated blocks, open and close from the
 * ends), so a frame costs O(width · log n) whatever the zoom. Every shape is
 * a colour node; text layouts are cached by their text.
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "bourse-candle-chart.h"
#include "bourse-desktop-settings.h"

#define DEFAULT_CANDLE_WIDTH  8.0
#define MAX_CANDLE_WIDTH      64.0
/* Room right of the latest candle, so it does not stick to the axis. */
#define RIGHT_MARGIN_PX       24.0
#define ZOOM_STEP             1.25
#define PRICE_TICK_SPACING    40.0
#define LABEL_PADDING         6
#define VOLUME_SHARE          0.2
#define PANE_GAP              6
#define LAYOUT_CACHE_MAX      512
#define MS_PER_MINUTE         G_GINT64_CONSTANT (60000)
#define MS_PER_HOUR           (60 * MS_PER_MINUTE)
#define MS_PER_DAY            (24 * MS_PER_HOUR)

typedef BourseChartItem Item;

typedef struct
{
  int      first;
  int      last;
  double   candle_width;
  gboolean following;
} ViewState;

struct _BourseCandleChart
{
  GtkWidget   parent_instance;

  GArray     *candles;               /* BourseChartCandle, ascending open_time */
  GArray     *markers;               /* BourseChartMarker */
  GArray     *lines;                 /* BourseChartLine */
  BourseChartPyramid *pyramid;        /* low, high, volume of any run of candles */
  double      max_high;              /* over every candle: sizes the price axis */

  double      candle_width;          /* px per candle: the zoom */
  double      right;                 /* index at the plot's right edge */
  gboolean    following;
  gboolean    older_wanted;          /* load-older emitted since the last history */
  int         price_decimals;        /* -1: from the price level */
  int         last_plot_width;

  gboolean    pointer_inside;
  double      pointer_x;
  double      pointer_y;
  int         crosshair_index;
  double      drag_start_right;
  char       *readout;

  int         axis_width;
  int         axis_height;
  gboolean    metrics_valid;

  GArray     *items;                 /* scratch of each frame */
  GArray     *ticks;
  GHashTable *layouts;               /* text → PangoLayout */
  BourseChartTimeAxis *time_axis;     /* in the display zone (DESIGN.md §4, Preferences) */
  GPtrArray  *time_labels;           /* of the last frame */
  GPtrArray  *price_labels;
};

G_DEFINE_FINAL_TYPE (BourseCandleChart, bourse_candle_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_N_CANDLES,
  PROP_CANDLE_WIDTH,
  PROP_FOLLOWING,
  PROP_FIRST_VISIBLE,
  PROP_LAST_VISIBLE,
  PROP_CROSSHAIR_INDEX,
  PROP_READOUT,
  PROP_PRICE_DECIMALS,
  N_PROPS
};

enum {
  LOAD_OLDER,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void bourse_candle_chart_update_crosshair (BourseCandleChart *self);

static inline gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Formatting {{{ */

char *
bourse_chart_format_volume (double volume)
{
  double magnitude = fabs (volume);

  if (!isfinite (volume))
    return g_strdup ("—");
  if (magnitude >= 1e9)
    /* Translators: a volume in billions, as short as can be */
    return g_strdup_printf (_("%.2fB"), volume / 1e9);
  if (magnitude >= 1e6)
    /* Translators: a volume in millions, as short as can be */
    return g_strdup_printf (_("%.2fM"), volume / 1e6);
  if (magnitude >= 1e4)
    /* Translators: a volume in thousands, as short as can be */
    return g_strdup_printf (_("%.2fK"), volume / 1e3);
  if (magnitude >= 100)
    return g_strdup_printf ("%.0f", volume);

  return g_strdup_printf ("%.2f", volume);
}

static int
bourse_candle_chart_effective_decimals (BourseCandleChart *self)
{
  double level;

  if (self->price_decimals >= 0)
    return self->price_decimals;
  if (self->candles->len == 0)
    return 2;

  /* About five significant digits, never fewer than cents. */
  level = fabs (g_array_index (self->candles, BourseChartCandle, self->candles->len - 1).close);
  if (!(level > 0) || !isfinite (level))
    return 2;

  return CLAMP (4 - (int) floor (log10 (level)), 2, 8);
}

/* The usual distance of two candles: tells minutes from days. */
static gint64
bourse_candle_chart_spacing_ms (BourseCandleChart *self)
{
  gint64 spacing = G_MAXINT64;
  guint n = self->candles->len;

  for (guint i = n > 8 ? n - 8 : 1; i < n; i++)
    {
      gint64 delta = g_array_index (self->candles, BourseChartCandle, i).open_time
                   - g_array_index (self->candles, BourseChartCandle, i - 1).open_time;

      if (delta > 0)
        spacing = MIN (spacing, delta);
    }

  return spacing == G_MAXINT64 ? MS_PER_MINUTE : spacing;
}

static char *
bourse_candle_chart_format_time (BourseCandleChart *self,
                                 gint64             open_time,
                                 gboolean           long_form)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (floor_div (open_time, 1000));
  g_autoptr(GDateTime) time = utc ? g_date_time_to_timezone (utc, bourse_settings_get_time_zone ()) : NULL;
  gboolean days = bourse_candle_chart_spacing_ms (self) >= MS_PER_DAY;

  if (time == NULL)
    return g_strdup ("—");

  if (long_form)
    return g_date_time_format (time, days ? "%a %-d %b %Y" : "%a %-d %b %Y %H:%M");

  return g_date_time_format (time, days ? "%Y-%m-%d" : "%Y-%m-%d %H:%M");
}

static void
bourse_candle_chart_set_readout (BourseCandleChart *self,
                                 char              *readout)
{
  if (g_strcmp0 (self->readout, readout) == 0)
    {
      g_free (readout);
      return;
    }

  g_free (self->readout);
  self->readout = readout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READOUT]);
}

static void
bourse_candle_chart_update_readout (BourseCandleChart *self)
{
  const BourseChartCandle *candle;
  g_autofree char *time = NULL;
  g_autofree char *open = NULL;
  g_autofree char *high = NULL;
  g_autofree char *low = NULL;
  g_autofree char *close = NULL;
  g_autofree char *volume = NULL;
  g_autofree char *values = NULL;
  int decimals;
  guint index;

  if (self->candles->len == 0)
    {
      bourse_candle_chart_set_readout (self, g_strdup (""));
      return;
    }

  index = self->crosshair_index >= 0 ? (guint) self->crosshair_index : self->candles->len - 1;
  candle = &g_array_index (self->candles, BourseChartCandle, index);
  decimals = bourse_candle_chart_effective_decimals (self);

  time = bourse_candle_chart_format_time (self, candle->open_time, FALSE);
  open = g_strdup_printf ("%.*f", decimals, candle->open);
  high = g_strdup_printf ("%.*f", decimals, candle->high);
  low = g_strdup_printf ("%.*f", decimals, candle->low);
  close = g_strdup_printf ("%.*f", decimals, candle->close);
  volume = bourse_chart_format_volume (candle->volume);

  /* Translators: open, high, low, close and volume of a candle (German:
   * E, H, T, S, V) */
  values = g_strdup_printf (_("O %s  H %s  L %s  C %s  V %s"), open, high, low, close, volume);
  bourse_candle_chart_set_readout (self, g_strdup_printf ("%s  %s", time, values));
}

/* }}} */

/* Geometry and the view {{{ */

static void
bourse_candle_chart_ensure_metrics (BourseCandleChart *self)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *widest = NULL;
  int decimals, digits, width, height;

  if (self->metrics_valid)
    return;

  /* As wide as the highest price with a few decimals more than usual
   * (a deep zoom), in digits, so the axis does not jump while panning. */
  decimals = MAX (bourse_candle_chart_effective_decimals (self), 2) + 1;
  digits = self->max_high >= 1 ? (int) floor (log10 (self->max_high)) + 1 : 1;
  widest = g_strnfill (CLAMP (digits, 1, 20) + decimals + 1, '0');
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), widest);
  pango_layout_get_pixel_size (layout, &width, &height);

  self->axis_width = MAX (48, ((width + 2 * LABEL_PADDING + 7) / 8) * 8);
  self->axis_height = height + 2 * 4;
  self->metrics_valid = TRUE;
}

static double
bourse_candle_chart_plot_width (BourseCandleChart *self)
{
  bourse_candle_chart_ensure_metrics (self);

  return MAX (1, gtk_widget_get_width (GTK_WIDGET (self)) - self->axis_width);
}

static double
bourse_candle_chart_plot_height (BourseCandleChart *self)
{
  bourse_candle_chart_ensure_metrics (self);

  return MAX (1, gtk_widget_get_height (GTK_WIDGET (self)) - self->axis_height);
}

static double
bourse_candle_chart_clamp_width (BourseCandleChart *self,
                                 double             width)
{
  double plot_width = bourse_candle_chart_plot_width (self);
  double min_width = 1e-4;

  /* Out as far as every candle in view, and no farther. */
  if (self->candles->len > 0)
    min_width = MAX (MIN (MAX (1, plot_width - RIGHT_MARGIN_PX) / self->candles->len,
                          MAX_CANDLE_WIDTH),
                     min_width);

  if (!isfinite (width))
    width = DEFAULT_CANDLE_WIDTH;

  return CLAMP (width, min_width, MAX_CANDLE_WIDTH);
}

static double
bourse_candle_chart_right_max (BourseCandleChart *self)
{
  return (double) self->candles->len - 0.5 + RIGHT_MARGIN_PX / self->candle_width;
}

/* The first candle stops at the left edge, the latest (and its margin) at
 * the right one; data narrower than the plot sits on the right. */
static void
bourse_candle_chart_set_right (BourseCandleChart *self,
                               double             right)
{
  double right_max = bourse_candle_chart_right_max (self);
  double right_min = -0.5 + bourse_candle_chart_plot_width (self) / self->candle_width;

  if (!isfinite (right))
    right = right > 0 ? right_max : right_min;

  if (right_min >= right_max)
    right = right_max;
  else
    right = CLAMP (right, right_min, right_max);

  self->right = right;
  self->following = right >= right_max - 1e-9;
}

static void
bourse_candle_chart_get_range (BourseCandleChart *self,
                               int               *first,
                               int               *last)
{
  double left = self->right - bourse_candle_chart_plot_width (self) / self->candle_width;
  int n = (int) self->candles->len;

  if (n == 0)
    {
      *first = *last = -1;
      return;
    }

  *first = CLAMP ((int) floor (left + 0.5), 0, n - 1);
  *last = CLAMP ((int) ceil (self->right - 0.5), 0, n - 1);
}

static void
bourse_candle_chart_save_view (BourseCandleChart *self,
                               ViewState         *state)
{
  bourse_candle_chart_get_range (self, &state->first, &state->last);
  state->candle_width = self->candle_width;
  state->following = self->following;
}

/* After any change of the view: tell who listens, and ask for older
 * history when the start comes within a screen. */
static void
bourse_candle_chart_commit_view (BourseCandleChart *self,
                                 const ViewState   *before)
{
  ViewState after;
  double plot_width;

  bourse_candle_chart_save_view (self, &after);

  g_object_freeze_notify (G_OBJECT (self));
  if (after.first != before->first)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_VISIBLE]);
  if (after.last != before->last)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_VISIBLE]);
  if (after.candle_width != before->candle_width)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANDLE_WIDTH]);
  if (after.following != before->following)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
  g_object_thaw_notify (G_OBJECT (self));

  bourse_candle_chart_update_crosshair (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  plot_width = bourse_candle_chart_plot_width (self);
  if (self->candles->len > 0 && !self->older_wanted &&
      self->right - 2 * plot_width / self->candle_width < 0)
    {
      self->older_wanted = TRUE;
      g_signal_emit (self, signals[LOAD_OLDER], 0);
    }
}

double
bourse_candle_chart_index_to_x (BourseCandleChart *self,
                                double             index)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), 0);

  return bourse_candle_chart_plot_width (self) - (self->right - index) * self->candle_width;
}

double
bourse_candle_chart_x_to_index (BourseCandleChart *self,
                                double             x)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), 0);

  return self->right - (bourse_candle_chart_plot_width (self) - x) / self->candle_width;
}

void
bourse_candle_chart_zoom (BourseCandleChart *self,
                          double             factor,
                          double             x)
{
  ViewState before;
  double plot_width, index;

  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));
  g_return_if_fail (factor > 0);

  bourse_candle_chart_save_view (self, &before);
  plot_width = bourse_candle_chart_plot_width (self);

  if (self->following || x < 0 || x > plot_width)
    {
      gboolean following = self->following;
      double right = self->right;

      self->candle_width = bourse_candle_chart_clamp_width (self, self->candle_width * factor);
      bourse_candle_chart_set_right (self, following ? bourse_candle_chart_right_max (self) : right);
    }
  else
    {
      index = bourse_candle_chart_x_to_index (self, x);
      self->candle_width = bourse_candle_chart_clamp_width (self, self->candle_width * factor);
      bourse_candle_chart_set_right (self, index + (plot_width - x) / self->candle_width);
    }

  bourse_candle_chart_commit_view (self, &before);
}

void
bourse_candle_chart_pan (BourseCandleChart *self,
                         double             n_candles)
{
  ViewState before;

  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));

  bourse_candle_chart_save_view (self, &before);
  bourse_candle_chart_set_right (self, self->right + n_candles);
  bourse_candle_chart_commit_view (self, &before);
}

void
bourse_candle_chart_follow (BourseCandleChart *self)
{
  ViewState before;

  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));

  bourse_candle_chart_save_view (self, &before);
  bourse_candle_chart_set_right (self, bourse_candle_chart_right_max (self));
  bourse_candle_chart_commit_view (self, &before);
}

gboolean
bourse_candle_chart_get_following (BourseCandleChart *self)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), FALSE);

  return self->following;
}

double
bourse_candle_chart_get_candle_width (BourseCandleChart *self)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), 0);

  return self->candle_width;
}

void
bourse_candle_chart_set_candle_width (BourseCandleChart *self,
                                      double             width)
{
  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));
  g_return_if_fail (width > 0);

  bourse_candle_chart_zoom (self, width / self->candle_width, -1);
}

void
bourse_candle_chart_get_visible_range (BourseCandleChart *self,
                                       double            *left,
                                       double            *right)
{
  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));

  if (left != NULL)
    *left = self->right - bourse_candle_chart_plot_width (self) / self->candle_width;
  if (right != NULL)
    *right = self->right;
}

int
bourse_candle_chart_get_first_visible (BourseCandleChart *self)
{
  int first, last;

  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), -1);

  bourse_candle_chart_get_range (self, &first, &last);
  return first;
}

int
bourse_candle_chart_get_last_visible (BourseCandleChart *self)
{
  int first, last;

  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), -1);

  bourse_candle_chart_get_range (self, &first, &last);
  return last;
}

/* }}} */

/* Data {{{ */

static void
bourse_candle_chart_data_changed (BourseCandleChart *self,
                                  double             high)
{
  if (high > self->max_high)
    {
      self->max_high = high;
      self->metrics_valid = FALSE;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CANDLES]);
  if (self->crosshair_index < 0)
    bourse_candle_chart_update_readout (self);
}

void
bourse_candle_chart_set_candles (BourseCandleChart       *self,
                                 const BourseChartCandle *candles,
                                 gsize                    n_candles)
{
  ViewState before;
  double high = 0;

  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));
  g_return_if_fail (candles != NULL || n_candles == 0);

  bourse_candle_chart_save_view (self, &before);

  g_array_set_size (self->candles, 0);
  if (n_candles > 0)
    g_array_append_vals (self->candles, candles, n_candles);
  bourse_chart_pyramid_reset (self->pyramid);

  /* Before the view: the price axis, and so the plot's width, depend on it. */
  for (gsize i = 0; i < n_candles; i++)
    high = MAX (high, candles[i].high);
  self->max_high = high;
  self->metrics_valid = FALSE;
  self->older_wanted = FALSE;
  self->crosshair_index = -1;

  /* A new series starts at its latest candle, at the usual zoom. */
  self->candle_width = bourse_candle_chart_clamp_width (self, DEFAULT_CANDLE_WIDTH);
  bourse_candle_chart_set_right (self, bourse_candle_chart_right_max (self));

  bourse_candle_chart_data_changed (self, high);
  bourse_candle_chart_commit_view (self, &before);
}

void
bourse_candle_chart_prepend_candles (BourseCandleChart       *self,
                                     const BourseChartCandle *candles,
                                     gsize                    n_candles)
{
  ViewState before;
  double high = 0;
  gsize n = n_candles;

  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));
  g_return_if_fail (candles != NULL || n_candles == 0);

  /* Only what is older than what we have. */
  if (self->candles->len > 0)
    {
      gint64 first = g_array_index (self->candles, BourseChartCandle, 0).open_time;

      while (n > 0 && candles[n - 1].open_time >= first)
        n--;
    }

  bourse_candle_chart_save_view (self, &before);

  if (n > 0)
    {
      g_array_prepend_vals (self->candles, candles, n);
      bourse_chart_pyramid_reset (self->pyramid);
      for (gsize i = 0; i < n; i++)
        high = MAX (high, candles[i].high);

      /* The same candles stay in view under new indices. */
      self->right += n;
      if (self->crosshair_index >= 0)
        self->crosshair_index += n;
      self->candle_width = bourse_candle_chart_clamp_width (self, self->candle_width);
      bourse_candle_chart_set_right (self, self->right);
      bourse_candle_chart_data_changed (self, high);
    }

  self->older_wanted = FALSE;
  bourse_candle_chart_commit_view (self, &before);
}

gboolean
bourse_candle_chart_update_candle (BourseCandleChart       *self,
                                   const BourseChartCandle *candle)
{
  ViewState before;
  guint n, index;

  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), FALSE);
  g_return_val_if_fail (candle != NULL, FALSE);

  n = self->candles->len;

  if (n == 0 || candle->open_time > g_array_index (self->candles, BourseChartCandle, n - 1).open_time)
    {
      gboolean following = self->following;

      bourse_candle_chart_save_view (self, &before);
      g_array_append_vals (self->candles, candle, 1);
      bourse_chart_pyramid_touch (self->pyramid, (const BourseChartCandle *) self->candles->data,
                                  self->candles->len, n);
      if (n == 0)
        self->candle_width = bourse_candle_chart_clamp_width (self, self->candle_width);
      bourse_candle_chart_set_right (self, following ? bourse_candle_chart_right_max (self) : self->right);
      bourse_candle_chart_data_changed (self, candle->high);
      bourse_candle_chart_commit_view (self, &before);
      return TRUE;
    }

  /* The forming candle, most of the time; a correction of an older one
   * otherwise. */
  index = n - 1;
  if (g_array_index (self->candles, BourseChartCandle, index).open_time != candle->open_time)
    {
      guint low = 0, high = n - 1;

      while (low < high)
        {
          guint middle = low + (high - low) / 2;

          if (g_array_index (self->candles, BourseChartCandle, middle).open_time < candle->open_time)
            low = middle + 1;
          else
            high = middle;
        }

      if (g_array_index (self->candles, BourseChartCandle, low).open_time != candle->open_time)
        return FALSE;
      index = low;
    }

  g_array_index (self->candles, BourseChartCandle, index) = *candle;
  bourse_chart_pyramid_touch (self->pyramid, (const BourseChartCandle *) self->candles->data,
                              self->candles->len, index);
  bourse_candle_chart_data_changed (self, candle->high);
  if (self->crosshair_index == (int) index)
    bourse_candle_chart_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  return TRUE;
}

void
bourse_candle_chart_set_markers (BourseCandleChart       *self,
                                 const BourseChartMarker *markers,
                                 gsize                    n_markers)
{
  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));
  g_return_if_fail (n_markers == 0 || markers != NULL);

  g_array_set_size (self->markers, 0);
  g_array_append_vals (self->markers, markers, n_markers);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
bourse_candle_chart_set_lines (BourseCandleChart     *self,
                               const BourseChartLine *lines,
                               gsize                  n_lines)
{
  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));
  g_return_if_fail (n_lines == 0 || lines != NULL);

  g_array_set_size (self->lines, 0);
  g_array_append_vals (self->lines, lines, n_lines);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
bourse_candle_chart_get_n_markers (BourseCandleChart *self)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), 0);

  return self->markers->len;
}

guint
bourse_candle_chart_get_n_lines (BourseCandleChart *self)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), 0);

  return self->lines->len;
}

guint
bourse_candle_chart_get_n_candles (BourseCandleChart *self)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), 0);

  return self->candles->len;
}

const BourseChartCandle *
bourse_candle_chart_get_candle (BourseCandleChart *self,
                                guint              index)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), NULL);
  g_return_val_if_fail (index < self->candles->len, NULL);

  return &g_array_index (self->candles, BourseChartCandle, index);
}

int
bourse_candle_chart_get_price_decimals (BourseCandleChart *self)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), -1);

  return self->price_decimals;
}

void
bourse_candle_chart_set_price_decimals (BourseCandleChart *self,
                                        int                decimals)
{
  g_return_if_fail (BOURSE_IS_CANDLE_CHART (self));

  decimals = CLAMP (decimals, -1, 12);
  if (self->price_decimals == decimals)
    return;

  self->price_decimals = decimals;
  self->metrics_valid = FALSE;
  bourse_candle_chart_update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRICE_DECIMALS]);
}

/* }}} */

/* Crosshair {{{ */

static void
bourse_candle_chart_update_crosshair (BourseCandleChart *self)
{
  int index = -1;

  if (self->pointer_inside && self->candles->len > 0 &&
      self->pointer_x >= 0 && self->pointer_x < bourse_candle_chart_plot_width (self) &&
      self->pointer_y >= 0 && self->pointer_y < bourse_candle_chart_plot_height (self))
    {
      double position = floor (bourse_candle_chart_x_to_index (self, self->pointer_x) + 0.5);

      if (position >= 0 && position < self->candles->len)
        index = (int) position;
    }

  if (index == self->crosshair_index)
    return;

  self->crosshair_index = index;
  bourse_candle_chart_update_readout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CROSSHAIR_INDEX]);
}

int
bourse_candle_chart_get_crosshair_index (BourseCandleChart *self)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), -1);

  return self->crosshair_index;
}

const char *
bourse_candle_chart_get_readout (BourseCandleChart *self)
{
  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), NULL);

  return self->readout;
}

GStrv
bourse_candle_chart_dup_axis_labels (BourseCandleChart *self,
                                     GtkOrientation     axis)
{
  GPtrArray *labels;
  GStrvBuilder *builder;
  GStrv result;

  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (self), NULL);

  labels = axis == GTK_ORIENTATION_HORIZONTAL ? self->time_labels : self->price_labels;
  builder = g_strv_builder_new ();
  for (guint i = 0; i < labels->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (labels, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return result;
}

static void
bourse_candle_chart_motion_cb (BourseCandleChart        *self,
                               double                    x,
                               double                    y,
                               GtkEventControllerMotion *controller)
{
  g_assert (BOURSE_IS_CANDLE_CHART (self));

  self->pointer_inside = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  bourse_candle_chart_update_crosshair (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
bourse_candle_chart_leave_cb (BourseCandleChart        *self,
                              GtkEventControllerMotion *controller)
{
  g_assert (BOURSE_IS_CANDLE_CHART (self));

  self->pointer_inside = FALSE;
  bourse_candle_chart_update_crosshair (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* }}} */

/* Input {{{ */

static gboolean
bourse_candle_chart_scroll_cb (BourseCandleChart        *self,
                               double                    dx,
                               double                    dy,
                               GtkEventControllerScroll *controller)
{
  GdkModifierType state;

  g_assert (BOURSE_IS_CANDLE_CHART (self));

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  /* Shift turns the wheel sideways, as in every other GTK view. */
  if (state & GDK_SHIFT_MASK)
    {
      dx += dy;
      dy = 0;
    }

  if (dy != 0)
    bourse_candle_chart_zoom (self, pow (ZOOM_STEP, -dy), self->pointer_inside ? self->pointer_x : -1);
  if (dx != 0)
    bourse_candle_chart_pan (self, dx * 32 / self->candle_width);

  return GDK_EVENT_STOP;
}

static void
bourse_candle_chart_drag_begin_cb (BourseCandleChart *self,
                                   double             x,
                                   double             y,
                                   GtkGestureDrag    *gesture)
{
  g_assert (BOURSE_IS_CANDLE_CHART (self));

  self->drag_start_right = self->right;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  if (gtk_widget_get_focusable (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
bourse_candle_chart_drag_update_cb (BourseCandleChart *self,
                                    double             offset_x,
                                    double             offset_y,
                                    GtkGestureDrag    *gesture)
{
  ViewState before;

  g_assert (BOURSE_IS_CANDLE_CHART (self));

  /* The candles follow the pointer: right means older. */
  bourse_candle_chart_save_view (self, &before);
  bourse_candle_chart_set_right (self, self->drag_start_right - offset_x / self->candle_width);
  bourse_candle_chart_commit_view (self, &before);
}

static void
bourse_candle_chart_drag_end_cb (BourseCandleChart *self,
                                 double             offset_x,
                                 double             offset_y,
                                 GtkGestureDrag    *gesture)
{
  g_assert (BOURSE_IS_CANDLE_CHART (self));

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
}

static void
bourse_candle_chart_zoom_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  BourseCandleChart *self = BOURSE_CANDLE_CHART (widget);
  double factor = g_str_equal (action_name, "chart.zoom-in") ? ZOOM_STEP : 1 / ZOOM_STEP;

  bourse_candle_chart_zoom (self, factor, self->pointer_inside ? self->pointer_x : -1);
}

/* @param: the distance as a share of the plot's width. */
static void
bourse_candle_chart_pan_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  BourseCandleChart *self = BOURSE_CANDLE_CHART (widget);
  double share = g_variant_get_double (param);
  double visible = bourse_candle_chart_plot_width (self) / self->candle_width;
  double n_candles = share * visible;

  /* At least one candle, however far out. */
  if (fabs (n_candles) < 1)
    n_candles = share < 0 ? -1 : 1;

  bourse_candle_chart_pan (self, n_candles);
}

static void
bourse_candle_chart_start_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  bourse_candle_chart_pan (BOURSE_CANDLE_CHART (widget), -INFINITY);
}

static void
bourse_candle_chart_end_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  bourse_candle_chart_follow (BOURSE_CANDLE_CHART (widget));
}

/* }}} */

/* Drawing {{{ */

typedef struct
{
  GdkRGBA foreground;
  GdkRGBA background;
  GdkRGBA text;
  GdkRGBA grid;
  GdkRGBA crosshair;
  GdkRGBA up;
  GdkRGBA down;
  GdkRGBA up_volume;
  GdkRGBA down_volume;
} Colors;

static void
lookup_color (GtkStyleContext *context,
              const char      *name,
              const char      *fallback,
              GdkRGBA         *color)
{
  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

/* From the style, so light, dark and high contrast all work: the named
 * colours are libadwaita's, which follow AdwStyleManager. */
static void
bourse_candle_chart_get_colors (BourseCandleChart *self,
                                Colors            *colors)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  double luminance;

  gtk_style_context_get_color (context, &colors->foreground);
  luminance = 0.3 * colors->foreground.red + 0.6 * colors->foreground.green
            + 0.1 * colors->foreground.blue;

  lookup_color (context, "view_bg_color", luminance > 0.5 ? "#1e1e1e" : "#ffffff",
                &colors->background);
  lookup_color (context, "success_color", luminance > 0.5 ? "#8ff0a4" : "#1b8553", &colors->up);
  lookup_color (context, "error_color", luminance > 0.5 ? "#ff7b63" : "#c01c28", &colors->down);

  colors->text = colors->foreground;
  colors->text.alpha *= 0.7;
  colors->grid = colors->foreground;
  colors->grid.alpha *= 0.08;
  colors->crosshair = colors->foreground;
  colors->crosshair.alpha *= 0.45;
  colors->up_volume = colors->up;
  colors->up_volume.alpha *= 0.45;
  colors->down_volume = colors->down;
  colors->down_volume.alpha *= 0.45;
}

static PangoLayout *
bourse_candle_chart_get_layout (BourseCandleChart *self,
                                const char        *text)
{
  PangoLayout *layout = g_hash_table_lookup (self->layouts, text);

  if (layout != NULL)
    return layout;

  if (g_hash_table_size (self->layouts) >= LAYOUT_CACHE_MAX)
    g_hash_table_remove_all (self->layouts);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_hash_table_insert (self->layouts, g_strdup (text), layout);

  return layout;
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         width,
             double         height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const GdkRGBA *color,
             double         x,
             double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (floor (x), floor (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* Text on a filled box: the labels that mark a value on an axis. */
static void
append_tag (GtkSnapshot   *snapshot,
            PangoLayout   *layout,
            const GdkRGBA *background,
            const GdkRGBA *foreground,
            double         x,
            double         y,
            double         max_x)
{
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  x = MIN (x, max_x - width - 2 * 4);
  x = MAX (x, 0);
  append_rect (snapshot, background, floor (x), floor (y), width + 2 * 4, height + 2);
  append_text (snapshot, layout, foreground, x + 4, y + 1);
}

/* The items of this frame: every visible candle, or one merged candle per
 * pixel column once candles are narrower than a pixel. */
static void
bourse_candle_chart_collect (BourseCandleChart *self,
                             double             plot_width)
{
  bourse_chart_sample (self->pyramid, (const BourseChartCandle *) self->candles->data, self->candles->len,
                       self->right, self->candle_width, plot_width, self->items);
}

/* Time ticks {{{ */

/* Finds the ticks of this frame (self->ticks) and draws their grid lines;
 * returns the step. */
static const BourseChartTimeStep *
bourse_candle_chart_snapshot_time_grid (BourseCandleChart *self,
                                        GtkSnapshot       *snapshot,
                                        const Colors      *colors,
                                        double             plot_width,
                                        double             plot_height)
{
  const BourseChartTimeStep *step;

  /* The display zone is a preference that may change while the chart is shown. */
  if (bourse_chart_time_axis_get_zone (self->time_axis) != bourse_settings_get_time_zone ())
    {
      bourse_chart_time_axis_free (self->time_axis);
      self->time_axis = bourse_chart_time_axis_new (bourse_settings_get_time_zone ());
    }

  step = bourse_chart_time_axis_ticks (self->time_axis, (const BourseChartCandle *) self->candles->data,
                                       (const Item *) self->items->data, self->items->len,
                                       bourse_candle_chart_spacing_ms (self) / self->candle_width,
                                       plot_width, self->ticks);
  for (guint i = 0; i < self->ticks->len; i++)
    append_rect (snapshot, &colors->grid, g_array_index (self->ticks, BourseChartTick, i).x, 0, 1, plot_height);

  return step;
}

static void
bourse_candle_chart_snapshot_time_labels (BourseCandleChart         *self,
                                          GtkSnapshot               *snapshot,
                                          const Colors              *colors,
                                          const BourseChartTimeStep *step,
                                          double                     plot_width,
                                          double                     plot_height)
{
  guint n = self->ticks->len;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *centres = g_new (double, MAX (n, 1));
  g_autofree double *widths = g_new (double, MAX (n, 1));
  g_autofree double *lefts = g_new (double, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      const BourseChartTick *tick = &g_array_index (self->ticks, BourseChartTick, i);
      char *text = bourse_chart_time_axis_label (self->time_axis, step, tick->bucket);
      int width, height;

      pango_layout_get_pixel_size (bourse_candle_chart_get_layout (self, text), &width, &height);
      g_ptr_array_add (texts, text);
      centres[i] = tick->x;
      widths[i] = width;
    }
  bourse_chart_place_time_labels (centres, widths, n, plot_width, LABEL_PADDING, lefts);

  for (guint i = 0; i < n; i++)
    {
      if (isnan (lefts[i]))
        continue;
      append_text (snapshot, bourse_candle_chart_get_layout (self, g_ptr_array_index (texts, i)),
                   &colors->text, lefts[i], plot_height + 4);
      g_ptr_array_add (self->time_labels, g_strdup (g_ptr_array_index (texts, i)));
    }
}

/* }}} */

/* The candle a time falls in (the last one opened at or before it), or
 * -1 before the first. */
static int
bourse_candle_chart_index_of_time (BourseCandleChart *self,
                                   gint64             time)
{
  const BourseChartCandle *candles = (const BourseChartCandle *) self->candles->data;
  int low = 0, high = (int) self->candles->len - 1, found = -1;

  while (low <= high)
    {
      int middle = low + (high - low) / 2;

      if (candles[middle].open_time <= time)
        {
          found = middle;
          low = middle + 1;
        }
      else
        high = middle - 1;
    }

  return found;
}

static void
bourse_candle_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  BourseCandleChart *self = (BourseCandleChart *)widget;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const BourseChartTimeStep *step_in_time;
  const Item *items;
  Colors colors;
  double plot_width, plot_height, volume_height, price_height;
  double low = INFINITY, high = -INFINITY, max_volume = 0, pad, scale, tag_top, tag_height;
  double step;
  int decimals, body_width;
  gint64 first_tick, last_tick;

  g_ptr_array_set_size (self->time_labels, 0);
  g_ptr_array_set_size (self->price_labels, 0);

  if (width <= 0 || height <= 0)
    return;

  bourse_candle_chart_get_colors (self, &colors);
  plot_width = bourse_candle_chart_plot_width (self);
  plot_height = bourse_candle_chart_plot_height (self);
  volume_height = floor (plot_height * VOLUME_SHARE);
  price_height = plot_height - volume_height - PANE_GAP;
  if (price_height < 8)
    return;

  /* A background of its own: the colours are chosen against it. */
  append_rect (snapshot, &colors.background, 0, 0, width, height);

  /* The frame of the axes. */
  append_rect (snapshot, &colors.grid, plot_width, 0, 1, plot_height);
  append_rect (snapshot, &colors.grid, 0, plot_height, plot_width + 1, 1);

  bourse_candle_chart_collect (self, plot_width);
  items = (const Item *) self->items->data;
  for (guint i = 0; i < self->items->len; i++)
    {
      low = MIN (low, items[i].low);
      high = MAX (high, items[i].high);
      max_volume = MAX (max_volume, items[i].volume);
    }
  if (self->items->len == 0 || !isfinite (low) || !isfinite (high))
    return;

  /* A flat series still gets a range; the candles never touch the edges. */
  if (high - low < fabs (high) * 1e-9 || high - low <= 0)
    {
      pad = fabs (high) > 0 ? fabs (high) * 0.01 : 1;
      low -= pad;
      high += pad;
    }
  pad = (high - low) * 0.08;
  low -= pad;
  high += pad;
  scale = price_height / (high - low);

#define PRICE_Y(price) ((high - (price)) * scale)

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, plot_width, plot_height));

  /* Price grid. */
  step = bourse_chart_nice_step ((high - low) / MAX (1, price_height / PRICE_TICK_SPACING), &decimals);
  first_tick = (gint64) ceil (low / step);
  last_tick = (gint64) floor (high / step);
  for (gint64 k = first_tick; k <= last_tick && k - first_tick < 200; k++)
    append_rect (snapshot, &colors.grid, 0, floor (PRICE_Y (k * step)), plot_width, 1);

  step_in_time = bourse_candle_chart_snapshot_time_grid (self, snapshot, &colors,
                                                        plot_width, plot_height);

  /* Volume and candles. */
  body_width = self->candle_width >= 1 ? MAX (1, (int) floor (self->candle_width * 0.7)) : 1;
  if (body_width > 2 && body_width % 2 == 0)
    body_width--;

  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = &items[i];
      gboolean up = item->close >= item->open;
      double x = floor (item->x);
      double body_x = x - body_width / 2;
      double top = floor (PRICE_Y (item->high));
      double bottom = ceil (PRICE_Y (item->low));
      double volume;

      if (max_volume > 0 && item->volume > 0)
        {
          volume = MAX (1, floor (item->volume / max_volume * (volume_height - 2)));
          append_rect (snapshot, up ? &colors.up_volume : &colors.down_volume,
                       body_x, plot_height - volume, body_width, volume);
        }

      append_rect (snapshot, up ? &colors.up : &colors.down, x, top, 1, MAX (1, bottom - top));

      if (body_width > 1)
        {
          double body_top = floor (PRICE_Y (MAX (item->open, item->close)));
          double body_bottom = ceil (PRICE_Y (MIN (item->open, item->close)));

          append_rect (snapshot, up ? &colors.up : &colors.down,
                       body_x, body_top, body_width, MAX (1, body_bottom - body_top));
        }
    }

  /* The latest price, as a line across. */
  {
    const BourseChartCandle *latest = &g_array_index (self->candles, BourseChartCandle,
                                                      self->candles->len - 1);
    GdkRGBA line = latest->close >= latest->open ? colors.up : colors.down;

    line.alpha *= 0.5;
    append_rect (snapshot, &line, 0, floor (PRICE_Y (latest->close)), plot_width, 1);
  }

  /* Open orders, stop-losses and take-profits: dashed lines across. */
  for (guint i = 0; i < self->lines->len; i++)
    {
      const BourseChartLine *level = &g_array_index (self->lines, BourseChartLine, i);
      double y = floor (PRICE_Y (level->price));
      GdkRGBA colour = level->kind == BOURSE_CHART_LINE_STOP_LOSS ? colors.down
                     : level->kind == BOURSE_CHART_LINE_TAKE_PROFIT ? colors.up
                     : colors.foreground;

      if (y < 0 || y > price_height)
        continue;
      for (double x = 0; x < plot_width; x += 8)
        append_rect (snapshot, &colour, x, y, MIN (5, plot_width - x), 1);
    }

  /* Fills: a diamond on their candle, at their price. */
  for (guint i = 0; i < self->markers->len; i++)
    {
      const BourseChartMarker *marker = &g_array_index (self->markers, BourseChartMarker, i);
      int index = bourse_candle_chart_index_of_time (self, marker->time);
      double x, y;

      if (index < 0)
        continue;
      x = bourse_candle_chart_index_to_x (self, index);
      y = PRICE_Y (marker->price);
      if (x < 0 || x > plot_width || y < 0 || y > price_height)
        continue;

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
      gtk_snapshot_rotate (snapshot, 45);
      append_rect (snapshot, &colors.background, -5, -5, 10, 10);
      append_rect (snapshot, marker->buy ? &colors.up : &colors.down, -4, -4, 8, 8);
      gtk_snapshot_restore (snapshot);
    }

  /* Crosshair. */
  if (self->pointer_inside && self->pointer_x < plot_width && self->pointer_y < plot_height)
    {
      double x = self->crosshair_index >= 0
               ? floor (bourse_candle_chart_index_to_x (self, self->crosshair_index))
               : floor (self->pointer_x);

      append_rect (snapshot, &colors.crosshair, x, 0, 1, plot_height);
      if (self->pointer_y < price_height)
        append_rect (snapshot, &colors.crosshair, 0, floor (self->pointer_y), plot_width, 1);
    }

  gtk_snapshot_pop (snapshot);

  bourse_candle_chart_snapshot_time_labels (self, snapshot, &colors, step_in_time,
                                            plot_width, plot_height);

  /* Where the latest price's tag goes (drawn after the labels, over them). */
  {
    const BourseChartCandle *latest = &g_array_index (self->candles, BourseChartCandle,
                                                      self->candles->len - 1);
    g_autofree char *text = g_strdup_printf ("%.*f", bourse_candle_chart_effective_decimals (self), latest->close);
    int text_width, text_height;
    double y = PRICE_Y (latest->close);

    pango_layout_get_pixel_size (bourse_candle_chart_get_layout (self, text), &text_width, &text_height);
    tag_top = y - text_height / 2.0 - 1;
    tag_height = y >= 0 && y <= price_height ? text_height + 2 : -1;
  }

  /* Price labels, right of the plot, top down; none under the tag. */
  for (gint64 k = last_tick; k >= first_tick && last_tick - k < 200; k--)
    {
      double value = fabs (k * step) < step / 2 ? 0 : k * step;
      g_autofree char *text = g_strdup_printf ("%.*f", decimals, value);
      PangoLayout *layout = bourse_candle_chart_get_layout (self, text);
      int text_width, text_height;
      double y = PRICE_Y (value);

      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      if (!bourse_chart_price_label_fits (y, text_height, price_height, tag_top, tag_height))
        continue;

      append_text (snapshot, layout, &colors.text, plot_width + LABEL_PADDING, y - text_height / 2.0);
      g_ptr_array_add (self->price_labels, g_steal_pointer (&text));
    }

  /* Tags on the axes: the latest price, and where the crosshair is. */
  {
    const BourseChartCandle *latest = &g_array_index (self->candles, BourseChartCandle,
                                                      self->candles->len - 1);
    int price_decimals = bourse_candle_chart_effective_decimals (self);
    g_autofree char *text = g_strdup_printf ("%.*f", price_decimals, latest->close);
    PangoLayout *layout = bourse_candle_chart_get_layout (self, text);
    int text_width, text_height;
    double y = PRICE_Y (latest->close);

    pango_layout_get_pixel_size (layout, &text_width, &text_height);
    if (y >= 0 && y <= price_height)
      append_tag (snapshot, layout, latest->close >= latest->open ? &colors.up : &colors.down,
                  &colors.background, plot_width + 1, y - text_height / 2.0 - 1, width);

    if (self->pointer_inside && self->pointer_x < plot_width && self->pointer_y < price_height)
      {
        g_autofree char *price = g_strdup_printf ("%.*f", MAX (price_decimals, decimals),
                                                  high - self->pointer_y / scale);

        layout = bourse_candle_chart_get_layout (self, price);
        pango_layout_get_pixel_size (layout, &text_width, &text_height);
        append_tag (snapshot, layout, &colors.foreground, &colors.background,
                    plot_width + 1, self->pointer_y - text_height / 2.0 - 1, width);
      }

    if (self->crosshair_index >= 0)
      {
        const BourseChartCandle *candle = &g_array_index (self->candles, BourseChartCandle,
                                                          self->crosshair_index);
        g_autofree char *time = bourse_candle_chart_format_time (self, candle->open_time, TRUE);
        double x = bourse_candle_chart_index_to_x (self, self->crosshair_index);

        layout = bourse_candle_chart_get_layout (self, time);
        pango_layout_get_pixel_size (layout, &text_width, &text_height);
        append_tag (snapshot, layout, &colors.foreground, &colors.background,
                    x - text_width / 2.0 - 4, plot_height + 2, plot_width);
      }
  }

  /* The read-out, over the top left corner. */
  if (self->readout != NULL && self->readout[0] != '\0')
    {
      PangoLayout *layout = bourse_candle_chart_get_layout (self, self->readout);
      GdkRGBA shade = colors.background;
      int text_width, text_height;

      shade.alpha *= 0.75;
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      append_rect (snapshot, &shade, 4, 4, MIN (text_width + 8, plot_width - 8), text_height + 4);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, plot_width, plot_height));
      append_text (snapshot, layout, &colors.foreground, 8, 6);
      gtk_snapshot_pop (snapshot);
    }

#undef PRICE_Y
}

/* }}} */

/* GtkWidget {{{ */

static void
bourse_candle_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 640;
    }
  else
    {
      *minimum = 120;
      *natural = 400;
    }
}

static void
bourse_candle_chart_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  BourseCandleChart *self = (BourseCandleChart *)widget;
  int plot_width = (int) bourse_candle_chart_plot_width (self);
  ViewState before;

  if (plot_width == self->last_plot_width)
    return;

  /* A wider or narrower plot keeps its right edge where it was. */
  bourse_candle_chart_save_view (self, &before);
  self->last_plot_width = plot_width;
  self->candle_width = bourse_candle_chart_clamp_width (self, self->candle_width);
  bourse_candle_chart_set_right (self, self->following ? bourse_candle_chart_right_max (self)
                                                       : self->right);
  bourse_candle_chart_commit_view (self, &before);
}

static void
bourse_candle_chart_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  BourseCandleChart *self = (BourseCandleChart *)widget;

  GTK_WIDGET_CLASS (bourse_candle_chart_parent_class)->css_changed (widget, change);

  /* The font may have changed with the style. */
  g_hash_table_remove_all (self->layouts);
  self->metrics_valid = FALSE;
  gtk_widget_queue_draw (widget);
}

static void
bourse_candle_chart_system_setting_changed (GtkWidget        *widget,
                                            GtkSystemSetting  setting)
{
  BourseCandleChart *self = (BourseCandleChart *)widget;

  GTK_WIDGET_CLASS (bourse_candle_chart_parent_class)->system_setting_changed (widget, setting);

  g_hash_table_remove_all (self->layouts);
  self->metrics_valid = FALSE;
  gtk_widget_queue_draw (widget);
}

static void
bourse_candle_chart_finalize (GObject *object)
{
  BourseCandleChart *self = (BourseCandleChart *)object;

  g_clear_pointer (&self->pyramid, bourse_chart_pyramid_free);
  g_clear_pointer (&self->candles, g_array_unref);
  g_clear_pointer (&self->markers, g_array_unref);
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->ticks, g_array_unref);
  g_clear_pointer (&self->layouts, g_hash_table_unref);
  g_clear_pointer (&self->time_axis, bourse_chart_time_axis_free);
  g_clear_pointer (&self->time_labels, g_ptr_array_unref);
  g_clear_pointer (&self->price_labels, g_ptr_array_unref);
  g_clear_pointer (&self->readout, g_free);

  G_OBJECT_CLASS (bourse_candle_chart_parent_class)->finalize (object);
}

static void
bourse_candle_chart_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BourseCandleChart *self = BOURSE_CANDLE_CHART (object);

  switch (prop_id)
    {
    case PROP_N_CANDLES:
      g_value_set_uint (value, self->candles->len);
      break;

    case PROP_CANDLE_WIDTH:
      g_value_set_double (value, self->candle_width);
      break;

    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;

    case PROP_FIRST_VISIBLE:
      g_value_set_int (value, bourse_candle_chart_get_first_visible (self));
      break;

    case PROP_LAST_VISIBLE:
      g_value_set_int (value, bourse_candle_chart_get_last_visible (self));
      break;

    case PROP_CROSSHAIR_INDEX:
      g_value_set_int (value, self->crosshair_index);
      break;

    case PROP_READOUT:
      g_value_set_string (value, self->readout);
      break;

    case PROP_PRICE_DECIMALS:
      g_value_set_int (value, self->price_decimals);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_candle_chart_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BourseCandleChart *self = BOURSE_CANDLE_CHART (object);

  switch (prop_id)
    {
    case PROP_CANDLE_WIDTH:
      bourse_candle_chart_set_candle_width (self, g_value_get_double (value));
      break;

    case PROP_PRICE_DECIMALS:
      bourse_candle_chart_set_price_decimals (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_candle_chart_class_init (BourseCandleChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bourse_candle_chart_finalize;
  object_class->get_property = bourse_candle_chart_get_property;
  object_class->set_property = bourse_candle_chart_set_property;

  widget_class->measure = bourse_candle_chart_measure;
  widget_class->size_allocate = bourse_candle_chart_size_allocate;
  widget_class->snapshot = bourse_candle_chart_snapshot;
  widget_class->css_changed = bourse_candle_chart_css_changed;
  widget_class->system_setting_changed = bourse_candle_chart_system_setting_changed;

  properties[PROP_N_CANDLES] =
    g_param_spec_uint ("n-candles", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CANDLE_WIDTH] =
    g_param_spec_double ("candle-width", NULL, NULL,
                         1e-4, MAX_CANDLE_WIDTH, DEFAULT_CANDLE_WIDTH,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FIRST_VISIBLE] =
    g_param_spec_int ("first-visible", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LAST_VISIBLE] =
    g_param_spec_int ("last-visible", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CROSSHAIR_INDEX] =
    g_param_spec_int ("crosshair-index", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL,
                         "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PRICE_DECIMALS] =
    g_param_spec_int ("price-decimals", NULL, NULL,
                      -1, 12, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseCandleChart::load-older:
   *
   * The view came within a screen of the first candle: older history
   * would be welcome (bourse_candle_chart_prepend_candles()). Emitted once
   * until history arrives or the series is replaced.
   */
  signals[LOAD_OLDER] =
    g_signal_new ("load-older",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "chart.zoom-in", NULL, bourse_candle_chart_zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.zoom-out", NULL, bourse_candle_chart_zoom_action);
  gtk_widget_class_install_action (widget_class, "chart.pan", "d", bourse_candle_chart_pan_action);
  gtk_widget_class_install_action (widget_class, "chart.start", NULL, bourse_candle_chart_start_action);
  gtk_widget_class_install_action (widget_class, "chart.end", NULL, bourse_candle_chart_end_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "chart.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "chart.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "chart.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.pan", "d", -0.1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.pan", "d", 0.1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "chart.pan", "d", -0.9);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "chart.pan", "d", 0.9);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "chart.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "chart.end", NULL);

  gtk_widget_class_set_css_name (widget_class, "candlechart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bourse_candle_chart_init (BourseCandleChart *self)
{
  GtkEventController *controller;
  GtkGesture *drag;

  self->candles = g_array_new (FALSE, FALSE, sizeof (BourseChartCandle));
  self->markers = g_array_new (FALSE, FALSE, sizeof (BourseChartMarker));
  self->lines = g_array_new (FALSE, FALSE, sizeof (BourseChartLine));
  self->items = g_array_new (FALSE, FALSE, sizeof (BourseChartItem));
  self->ticks = g_array_new (FALSE, FALSE, sizeof (BourseChartTick));
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->pyramid = bourse_chart_pyramid_new ();
  self->time_axis = bourse_chart_time_axis_new (bourse_settings_get_time_zone ());
  self->time_labels = g_ptr_array_new_with_free_func (g_free);
  self->price_labels = g_ptr_array_new_with_free_func (g_free);
  self->readout = g_strdup ("");
  self->candle_width = DEFAULT_CANDLE_WIDTH;
  self->right = RIGHT_MARGIN_PX / DEFAULT_CANDLE_WIDTH;
  self->following = TRUE;
  self->price_decimals = -1;
  self->crosshair_index = -1;
  self->last_plot_width = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "enter", G_CALLBACK (bourse_candle_chart_motion_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "motion", G_CALLBACK (bourse_candle_chart_motion_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (bourse_candle_chart_leave_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (bourse_candle_chart_scroll_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (bourse_candle_chart_drag_begin_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (bourse_candle_chart_drag_update_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (drag, "drag-end", G_CALLBACK (bourse_candle_chart_drag_end_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Price chart"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Candles and volume. Plus and minus zoom, the arrow keys move "
                                    "through time, End returns to the latest candle."),
                                  -1);
}

/* }}} */

GtkWidget *
bourse_candle_chart_new (void)
{
  return g_object_new (BOURSE_TYPE_CANDLE_CHART, NULL);
}
