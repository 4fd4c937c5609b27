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

#define DEFAULT_CANDLE_WIDTH  8.0
#define MAX_CANDLE_WIDTH      64.0
/* Room right of the latest candle, so it does not stick to the axis. */
#define RIGHT_MARGIN_PX       24.0
#define ZOOM_STEP             1.25
#define FANOUT                16
#define MAX_LEVELS            8
#define PRICE_TICK_SPACING    40.0
#define TIME_TICK_SPACING     110.0
#define LABEL_PADDING         6
#define VOLUME_SHARE          0.2
#define PANE_GAP              6
#define LAYOUT_CACHE_MAX      512
#define MS_PER_MINUTE         G_GINT64_CONSTANT (60000)
#define MS_PER_HOUR           (60 * MS_PER_MINUTE)
#define MS_PER_DAY            (24 * MS_PER_HOUR)

typedef struct
{
  double low;
  double high;
  double volume;
} Aggregate;

/* What one frame draws at one place: a candle, or the candles of one
 * pixel column merged. */
typedef struct
{
  double x;       /* centre, in plot coordinates */
  double open;
  double high;
  double low;
  double close;
  double volume;
  guint  first;   /* candle indices */
  guint  last;
} Item;

typedef struct
{
  double x;
  gint64 bucket;   /* of the time step: what the label says */
} Tick;

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
  /* levels[k][j] aggregates candles [j·16^(k+1), (j+1)·16^(k+1)). */
  GArray     *levels[MAX_LEVELS];
  guint       n_levels;
  gboolean    levels_valid;
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
  GTimeZone  *time_zone;
  gint64      tz_hour;               /* the UTC hour tz_offset_ms is for */
  gint64      tz_offset_ms;
  guint32     epoch_julian;
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

double
bourse_chart_nice_step (double  raw,
                        int    *decimals)
{
  double magnitude, fraction, step;
  int places;

  if (!isfinite (raw) || raw <= 0)
    {
      if (decimals != NULL)
        *decimals = 0;
      return 1;
    }

  magnitude = pow (10, floor (log10 (raw)));
  fraction = raw / magnitude;
  if (fraction <= 1 + 1e-9)
    step = magnitude;
  else if (fraction <= 2 + 1e-9)
    step = 2 * magnitude;
  else if (fraction <= 5 + 1e-9)
    step = 5 * magnitude;
  else
    step = 10 * magnitude;

  places = (int) -floor (log10 (step) + 1e-9);
  if (decimals != NULL)
    *decimals = CLAMP (places, 0, 12);

  return step;
}

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
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (floor_div (open_time, 1000));
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

/* The aggregate pyramid {{{ */

static inline void
aggregate_merge (Aggregate       *into,
                 const Aggregate *other)
{
  into->low = MIN (into->low, other->low);
  into->high = MAX (into->high, other->high);
  into->volume += other->volume;
}

/* Of the elements [from, to) of level @level; level -1 is the candles. */
static void
bourse_candle_chart_scan (BourseCandleChart *self,
                          int                level,
                          guint              from,
                          guint              to,
                          Aggregate         *into)
{
  if (level < 0)
    {
      const BourseChartCandle *candles = (const BourseChartCandle *) self->candles->data;

      for (guint i = from; i < to; i++)
        {
          into->low = MIN (into->low, candles[i].low);
          into->high = MAX (into->high, candles[i].high);
          into->volume += candles[i].volume;
        }
    }
  else
    {
      const Aggregate *aggregates = (const Aggregate *) self->levels[level]->data;

      for (guint i = from; i < to; i++)
        aggregate_merge (into, &aggregates[i]);
    }
}

static guint
bourse_candle_chart_level_length (BourseCandleChart *self,
                                  int                level)
{
  return level < 0 ? self->candles->len : self->levels[level]->len;
}

/* Recomputes element @j of @level from the level below. */
static void
bourse_candle_chart_compute (BourseCandleChart *self,
                             int                level,
                             guint              j)
{
  guint below = bourse_candle_chart_level_length (self, level - 1);
  Aggregate *aggregate = &g_array_index (self->levels[level], Aggregate, j);

  *aggregate = (Aggregate) { INFINITY, -INFINITY, 0 };
  bourse_candle_chart_scan (self, level - 1, j * FANOUT, MIN (below, (j + 1) * FANOUT), aggregate);
}

static void
bourse_candle_chart_clear_levels (BourseCandleChart *self)
{
  for (guint k = 0; k < MAX_LEVELS; k++)
    g_clear_pointer (&self->levels[k], g_array_unref);
  self->n_levels = 0;
  self->levels_valid = FALSE;
}

static void
bourse_candle_chart_build_levels (BourseCandleChart *self)
{
  guint below = self->candles->len;
  guint k;

  bourse_candle_chart_clear_levels (self);

  for (k = 0; below > FANOUT && k < MAX_LEVELS; k++)
    {
      guint size = (below + FANOUT - 1) / FANOUT;

      self->levels[k] = g_array_sized_new (FALSE, FALSE, sizeof (Aggregate), size);
      g_array_set_size (self->levels[k], size);
      self->n_levels = k + 1;
      for (guint j = 0; j < size; j++)
        bourse_candle_chart_compute (self, k, j);
      below = size;
    }

  self->levels_valid = TRUE;
}

/* Candle @index changed or was appended: its blocks follow, unless the
 * pyramid needs another level, which the next query builds. */
static void
bourse_candle_chart_touch_levels (BourseCandleChart *self,
                                  guint              index)
{
  guint below = self->candles->len;
  guint j = index;

  if (!self->levels_valid)
    return;

  for (guint k = 0; k < self->n_levels; k++)
    {
      guint size = (below + FANOUT - 1) / FANOUT;

      if (self->levels[k]->len < size)
        g_array_set_size (self->levels[k], size);
      j /= FANOUT;
      bourse_candle_chart_compute (self, k, j);
      below = size;
    }

  if (below > FANOUT)
    bourse_candle_chart_clear_levels (self);
}

/* Low, high and volume of the candles [from, to), in O(FANOUT · levels). */
static Aggregate
bourse_candle_chart_query (BourseCandleChart *self,
                           guint              from,
                           guint              to)
{
  Aggregate result = { INFINITY, -INFINITY, 0 };
  int level = -1;

  if (!self->levels_valid)
    bourse_candle_chart_build_levels (self);

  while (from < to)
    {
      if (level + 1 < (int) self->n_levels)
        {
          guint up_from = (from + FANOUT - 1) / FANOUT;
          guint up_to = to / FANOUT;

          if (up_from < up_to)
            {
              bourse_candle_chart_scan (self, level, from, up_from * FANOUT, &result);
              bourse_candle_chart_scan (self, level, up_to * FANOUT, to, &result);
              from = up_from;
              to = up_to;
              level++;
              continue;
            }
        }

      bourse_candle_chart_scan (self, level, from, to, &result);
      break;
    }

  return result;
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
  bourse_candle_chart_clear_levels (self);

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
      bourse_candle_chart_clear_levels (self);
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
      bourse_candle_chart_touch_levels (self, n);
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
  bourse_candle_chart_touch_levels (self, index);
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
  const BourseChartCandle *candles = (const BourseChartCandle *) self->candles->data;
  double left = self->right - plot_width / self->candle_width;
  int n = (int) self->candles->len;

  g_array_set_size (self->items, 0);
  if (n == 0)
    return;

  if (self->candle_width >= 1)
    {
      int from = MAX (0, (int) floor (left - 0.5));
      int to = MIN (n - 1, (int) ceil (self->right + 0.5));

      for (int i = from; i <= to; i++)
        {
          Item item = {
            .x = plot_width - (self->right - i) * self->candle_width,
            .open = candles[i].open,
            .high = candles[i].high,
            .low = candles[i].low,
            .close = candles[i].close,
            .volume = candles[i].volume,
            .first = i,
            .last = i,
          };

          g_array_append_val (self->items, item);
        }
      return;
    }

  for (int column = 0; column < (int) plot_width; column++)
    {
      /* Candle i belongs to the column its centre falls in. */
      double from_index = ceil (self->right - (plot_width - column) / self->candle_width);
      double to_index = ceil (self->right - (plot_width - column - 1) / self->candle_width);
      guint from = (guint) CLAMP (from_index, 0, n);
      guint to = (guint) CLAMP (to_index, 0, n);
      Aggregate aggregate;
      Item item;

      if (from >= to)
        continue;

      aggregate = bourse_candle_chart_query (self, from, to);
      item = (Item) {
        .x = column + 0.5,
        .open = candles[from].open,
        .high = aggregate.high,
        .low = aggregate.low,
        .close = candles[to - 1].close,
        .volume = aggregate.volume,
        .first = from,
        .last = to - 1,
      };
      g_array_append_val (self->items, item);
    }
}

/* Time ticks {{{ */

typedef enum
{
  STEP_FIXED,    /* minutes, hours, days: a fixed length of local time */
  STEP_WEEK,     /* Mondays */
  STEP_MONTH,
  STEP_YEAR,
} StepKind;

typedef struct
{
  StepKind kind;
  gint64   length;   /* ms for STEP_FIXED, else months or years */
  double   approx_ms;
} TimeStep;

static const TimeStep time_steps[] = {
  { STEP_FIXED, 1 * MS_PER_MINUTE, 1 * MS_PER_MINUTE },
  { STEP_FIXED, 2 * MS_PER_MINUTE, 2 * MS_PER_MINUTE },
  { STEP_FIXED, 5 * MS_PER_MINUTE, 5 * MS_PER_MINUTE },
  { STEP_FIXED, 10 * MS_PER_MINUTE, 10 * MS_PER_MINUTE },
  { STEP_FIXED, 15 * MS_PER_MINUTE, 15 * MS_PER_MINUTE },
  { STEP_FIXED, 30 * MS_PER_MINUTE, 30 * MS_PER_MINUTE },
  { STEP_FIXED, 1 * MS_PER_HOUR, 1 * MS_PER_HOUR },
  { STEP_FIXED, 2 * MS_PER_HOUR, 2 * MS_PER_HOUR },
  { STEP_FIXED, 3 * MS_PER_HOUR, 3 * MS_PER_HOUR },
  { STEP_FIXED, 6 * MS_PER_HOUR, 6 * MS_PER_HOUR },
  { STEP_FIXED, 12 * MS_PER_HOUR, 12 * MS_PER_HOUR },
  { STEP_FIXED, MS_PER_DAY, MS_PER_DAY },
  { STEP_WEEK, 1, 7.0 * MS_PER_DAY },
  { STEP_MONTH, 1, 30.44 * MS_PER_DAY },
  { STEP_MONTH, 3, 91.3 * MS_PER_DAY },
  { STEP_MONTH, 6, 182.6 * MS_PER_DAY },
  { STEP_YEAR, 1, 365.25 * MS_PER_DAY },
  { STEP_YEAR, 2, 2 * 365.25 * MS_PER_DAY },
  { STEP_YEAR, 5, 5 * 365.25 * MS_PER_DAY },
  { STEP_YEAR, 10, 10 * 365.25 * MS_PER_DAY },
  { STEP_YEAR, 25, 25 * 365.25 * MS_PER_DAY },
  { STEP_YEAR, 50, 50 * 365.25 * MS_PER_DAY },
  { STEP_YEAR, 100, 100 * 365.25 * MS_PER_DAY },
};

/* @utc_ms as local wall-clock milliseconds: ticks fall on local hours,
 * days and months (DESIGN.md §4: the UI shows local time). Offsets change
 * on whole hours, so one lookup per hour is enough. */
static gint64
bourse_candle_chart_to_local (BourseCandleChart *self,
                              gint64             utc_ms)
{
  gint64 hour = floor_div (utc_ms, MS_PER_HOUR);

  if (hour != self->tz_hour)
    {
      int interval = g_time_zone_find_interval (self->time_zone, G_TIME_TYPE_UNIVERSAL,
                                                floor_div (utc_ms, 1000));

      self->tz_offset_ms = interval >= 0
                         ? g_time_zone_get_offset (self->time_zone, interval) * G_GINT64_CONSTANT (1000)
                         : 0;
      self->tz_hour = hour;
    }

  return utc_ms + self->tz_offset_ms;
}

static void
bourse_candle_chart_civil (BourseCandleChart *self,
                           gint64             days,
                           int               *year,
                           int               *month,
                           int               *day)
{
  GDate date;
  gint64 julian = (gint64) self->epoch_julian + days;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) CLAMP (julian, 1, G_MAXUINT32 / 2));
  *year = g_date_get_year (&date);
  *month = g_date_get_month (&date);
  *day = g_date_get_day (&date);
}

/* Which bucket of @step the local time @local_ms is in. */
static gint64
bourse_candle_chart_bucket (BourseCandleChart *self,
                            const TimeStep    *step,
                            gint64             local_ms)
{
  gint64 days;
  int year, month, day;

  switch (step->kind)
    {
    case STEP_FIXED:
      return floor_div (local_ms, step->length);

    case STEP_WEEK:
      /* 1970-01-05 was a Monday. */
      return floor_div (floor_div (local_ms, MS_PER_DAY) - 4, 7);

    case STEP_MONTH:
    case STEP_YEAR:
    default:
      days = floor_div (local_ms, MS_PER_DAY);
      bourse_candle_chart_civil (self, days, &year, &month, &day);
      if (step->kind == STEP_MONTH)
        return floor_div ((gint64) year * 12 + month - 1, step->length);
      return floor_div (year, step->length);
    }
}

static char *
format_date (int         year,
             int         month,
             int         day,
             const char *format)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (year, month, day, 0, 0, 0);

  return date != NULL ? g_date_time_format (date, format) : g_strdup ("—");
}

/* The label of the bucket that starts at a tick. */
static char *
bourse_candle_chart_tick_label (BourseCandleChart *self,
                                const TimeStep    *step,
                                gint64             bucket)
{
  gint64 start, days, of_day;
  int year, month, day;

  switch (step->kind)
    {
    case STEP_FIXED:
      start = bucket * step->length;
      days = floor_div (start, MS_PER_DAY);
      of_day = start - days * MS_PER_DAY;
      bourse_candle_chart_civil (self, days, &year, &month, &day);
      if (of_day != 0)
        return g_strdup_printf ("%02d:%02d", (int) (of_day / MS_PER_HOUR),
                                (int) (of_day / MS_PER_MINUTE % 60));
      if (day == 1 && month == 1)
        return g_strdup_printf ("%d", year);
      if (day == 1)
        return format_date (year, month, day, "%b");
      return format_date (year, month, day, "%-d %b");

    case STEP_WEEK:
      bourse_candle_chart_civil (self, bucket * 7 + 4, &year, &month, &day);
      return format_date (year, month, day, "%-d %b");

    case STEP_MONTH:
      year = (int) floor_div (bucket * step->length, 12);
      month = (int) (bucket * step->length - (gint64) year * 12) + 1;
      if (month == 1)
        return g_strdup_printf ("%d", year);
      return format_date (year, month, 1, "%b");

    case STEP_YEAR:
    default:
      return g_strdup_printf ("%" G_GINT64_FORMAT, bucket * step->length);
    }
}

/* Picks the step and finds the ticks of this frame (self->ticks), and
 * draws their grid lines. */
static const TimeStep *
bourse_candle_chart_snapshot_time_grid (BourseCandleChart *self,
                                        GtkSnapshot       *snapshot,
                                        const Colors      *colors,
                                        double             plot_width,
                                        double             plot_height)
{
  const BourseChartCandle *candles = (const BourseChartCandle *) self->candles->data;
  const Item *items = (const Item *) self->items->data;
  guint n_items = self->items->len;
  const TimeStep *step = &time_steps[G_N_ELEMENTS (time_steps) - 1];
  double ms_per_px, last_x = -G_MAXDOUBLE;

  g_array_set_size (self->ticks, 0);
  if (n_items == 0)
    return step;

  /* Index space is not linear in time (gaps), but near enough to pick a
   * step that leaves room for the labels. */
  if (n_items >= 2 && items[n_items - 1].x - items[0].x >= 1)
    ms_per_px = (double) (candles[items[n_items - 1].last].open_time - candles[items[0].first].open_time)
              / (items[n_items - 1].x - items[0].x);
  else
    ms_per_px = bourse_candle_chart_spacing_ms (self) / self->candle_width;

  for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
    if (time_steps[i].approx_ms >= ms_per_px * TIME_TICK_SPACING)
      {
        step = &time_steps[i];
        break;
      }

  for (guint i = 0; i < n_items; i++)
    {
      Tick tick;
      gint64 previous;

      if (items[i].first == 0)
        continue;

      /* A boundary anywhere in this item, or right before it. */
      tick.bucket = bourse_candle_chart_bucket (self, step,
                                                bourse_candle_chart_to_local (self, candles[items[i].last].open_time));
      previous = bourse_candle_chart_bucket (self, step,
                                             bourse_candle_chart_to_local (self, candles[items[i].first - 1].open_time));
      if (tick.bucket == previous)
        continue;

      /* Gaps in the data can bunch boundaries together: thin them out. */
      tick.x = floor (items[i].x);
      if (tick.x < 0 || tick.x >= plot_width || tick.x - last_x < TIME_TICK_SPACING * 0.6)
        continue;
      last_x = tick.x;

      append_rect (snapshot, &colors->grid, tick.x, 0, 1, plot_height);
      g_array_append_val (self->ticks, tick);
    }

  return step;
}

static void
bourse_candle_chart_snapshot_time_labels (BourseCandleChart *self,
                                          GtkSnapshot       *snapshot,
                                          const Colors      *colors,
                                          const TimeStep    *step,
                                          double             plot_width,
                                          double             plot_height)
{
  double last_end = -G_MAXDOUBLE;

  for (guint i = 0; i < self->ticks->len; i++)
    {
      const Tick *tick = &g_array_index (self->ticks, Tick, i);
      g_autofree char *text = bourse_candle_chart_tick_label (self, step, tick->bucket);
      PangoLayout *layout = bourse_candle_chart_get_layout (self, text);
      int width, height;

      pango_layout_get_pixel_size (layout, &width, &height);
      if (tick->x - width / 2.0 < last_end + LABEL_PADDING || tick->x + width / 2.0 > plot_width)
        continue;

      append_text (snapshot, layout, &colors->text, tick->x - width / 2.0, plot_height + 4);
      last_end = tick->x + width / 2.0;
      g_ptr_array_add (self->time_labels, g_steal_pointer (&text));
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
  const TimeStep *step_in_time;
  const Item *items;
  Colors colors;
  double plot_width, plot_height, volume_height, price_height;
  double low = INFINITY, high = -INFINITY, max_volume = 0, pad, scale;
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

  /* Price labels, right of the plot, top down. */
  for (gint64 k = last_tick; k >= first_tick && last_tick - k < 200; k--)
    {
      double value = fabs (k * step) < step / 2 ? 0 : k * step;
      g_autofree char *text = g_strdup_printf ("%.*f", decimals, value);
      PangoLayout *layout = bourse_candle_chart_get_layout (self, text);
      int text_width, text_height;
      double y = PRICE_Y (value);

      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      if (y - text_height / 2.0 < 0 || y + text_height / 2.0 > price_height)
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

  bourse_candle_chart_clear_levels (self);
  g_clear_pointer (&self->candles, g_array_unref);
  g_clear_pointer (&self->markers, g_array_unref);
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->ticks, g_array_unref);
  g_clear_pointer (&self->layouts, g_hash_table_unref);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
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
  GDate epoch;

  self->candles = g_array_new (FALSE, FALSE, sizeof (BourseChartCandle));
  self->markers = g_array_new (FALSE, FALSE, sizeof (BourseChartMarker));
  self->lines = g_array_new (FALSE, FALSE, sizeof (BourseChartLine));
  self->items = g_array_new (FALSE, FALSE, sizeof (Item));
  self->ticks = g_array_new (FALSE, FALSE, sizeof (Tick));
  self->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->time_zone = g_time_zone_new_local ();
  self->tz_hour = G_MININT64;
  self->time_labels = g_ptr_array_new_with_free_func (g_free);
  self->price_labels = g_ptr_array_new_with_free_func (g_free);
  self->readout = g_strdup ("");
  self->candle_width = DEFAULT_CANDLE_WIDTH;
  self->right = RIGHT_MARGIN_PX / DEFAULT_CANDLE_WIDTH;
  self->following = TRUE;
  self->price_decimals = -1;
  self->crosshair_index = -1;
  self->last_plot_width = -1;

  g_date_clear (&epoch, 1);
  g_date_set_dmy (&epoch, 1, G_DATE_JANUARY, 1970);
  self->epoch_julian = g_date_get_julian (&epoch);

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
