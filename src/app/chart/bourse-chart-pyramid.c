/* bourse-chart-pyramid.c — low, high and volume of any run of candles
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * levels[k][j] folds the candles [j·16^(k+1), (j+1)·16^(k+1)), so a run
 * is its ragged ends scanned plus whole blocks one level up: a frame of a
 * year of minutes costs O(width · log n), whatever the zoom
 * (docs/DESKTOP.md, "The candlestick chart").
 */

#include "config.h"

#include <math.h>

#include "bourse-chart-pyramid.h"

#define FANOUT     BOURSE_CHART_PYRAMID_FANOUT
#define MAX_LEVELS 8

struct _BourseChartPyramid
{
  GArray                  *levels[MAX_LEVELS];
  guint                    n_levels;
  gboolean                 valid;
  /* Of the call under way. */
  const BourseChartCandle *candles;
  guint                    n_candles;
};

BourseChartPyramid *
bourse_chart_pyramid_new (void)
{
  return g_new0 (BourseChartPyramid, 1);
}

void
bourse_chart_pyramid_reset (BourseChartPyramid *self)
{
  g_return_if_fail (self != NULL);

  for (guint k = 0; k < MAX_LEVELS; k++)
    g_clear_pointer (&self->levels[k], g_array_unref);
  self->n_levels = 0;
  self->valid = FALSE;
}

void
bourse_chart_pyramid_free (BourseChartPyramid *self)
{
  if (self == NULL)
    return;
  bourse_chart_pyramid_reset (self);
  g_free (self);
}

static inline void
aggregate_merge (BourseChartAggregate       *into,
                 const BourseChartAggregate *other)
{
  into->low = MIN (into->low, other->low);
  into->high = MAX (into->high, other->high);
  into->volume += other->volume;
}

/* Of the elements [from, to) of level @level; level -1 is the candles. */
static void
scan (BourseChartPyramid   *self,
      int                   level,
      guint                 from,
      guint                 to,
      BourseChartAggregate *into)
{
  if (level < 0)
    {
      for (guint i = from; i < to; i++)
        {
          into->low = MIN (into->low, self->candles[i].low);
          into->high = MAX (into->high, self->candles[i].high);
          into->volume += self->candles[i].volume;
        }
    }
  else
    {
      const BourseChartAggregate *aggregates = (const BourseChartAggregate *) self->levels[level]->data;

      for (guint i = from; i < to; i++)
        aggregate_merge (into, &aggregates[i]);
    }
}

static guint
level_length (BourseChartPyramid *self,
              int                 level)
{
  return level < 0 ? self->n_candles : self->levels[level]->len;
}

/* Recomputes element @j of @level from the level below. */
static void
compute (BourseChartPyramid *self,
         int                 level,
         guint               j)
{
  guint below = level_length (self, level - 1);
  BourseChartAggregate *aggregate = &g_array_index (self->levels[level], BourseChartAggregate, j);

  *aggregate = (BourseChartAggregate) { INFINITY, -INFINITY, 0 };
  scan (self, level - 1, j * FANOUT, MIN (below, (j + 1) * FANOUT), aggregate);
}

static void
build (BourseChartPyramid *self)
{
  guint below = self->n_candles;

  bourse_chart_pyramid_reset (self);
  for (guint k = 0; below > FANOUT && k < MAX_LEVELS; k++)
    {
      guint size = (below + FANOUT - 1) / FANOUT;

      self->levels[k] = g_array_sized_new (FALSE, FALSE, sizeof (BourseChartAggregate), size);
      g_array_set_size (self->levels[k], size);
      self->n_levels = k + 1;
      for (guint j = 0; j < size; j++)
        compute (self, k, j);
      below = size;
    }
  self->valid = TRUE;
}

void
bourse_chart_pyramid_touch (BourseChartPyramid      *self,
                            const BourseChartCandle *candles,
                            guint                    n_candles,
                            guint                    index)
{
  guint below = n_candles;
  guint j = index;

  g_return_if_fail (self != NULL);
  g_return_if_fail (index < n_candles);

  if (!self->valid)
    return;

  self->candles = candles;
  self->n_candles = n_candles;
  for (guint k = 0; k < self->n_levels; k++)
    {
      guint size = (below + FANOUT - 1) / FANOUT;

      if (self->levels[k]->len < size)
        g_array_set_size (self->levels[k], size);
      j /= FANOUT;
      compute (self, k, j);
      below = size;
    }

  /* Grown past its top: another level, which the next query builds. */
  if (below > FANOUT)
    bourse_chart_pyramid_reset (self);
}

BourseChartAggregate
bourse_chart_pyramid_query (BourseChartPyramid      *self,
                            const BourseChartCandle *candles,
                            guint                    n_candles,
                            guint                    from,
                            guint                    to)
{
  BourseChartAggregate result = { INFINITY, -INFINITY, 0 };
  int level = -1;

  g_return_val_if_fail (self != NULL, result);
  g_return_val_if_fail (from <= to && to <= n_candles, result);

  self->candles = candles;
  self->n_candles = n_candles;
  if (!self->valid)
    build (self);

  while (from < to)
    {
      if (level + 1 < (int) self->n_levels)
        {
          guint up_from = (from + FANOUT - 1) / FANOUT;
          guint up_to = to / FANOUT;

          if (up_from < up_to)
            {
              scan (self, level, from, up_from * FANOUT, &result);
              scan (self, level, up_to * FANOUT, to, &result);
              from = up_from;
              to = up_to;
              level++;
              continue;
            }
        }

      scan (self, level, from, to, &result);
      break;
    }

  return result;
}

guint
bourse_chart_pyramid_get_n_levels (BourseChartPyramid *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->valid ? self->n_levels : 0;
}

void
bourse_chart_sample (BourseChartPyramid      *pyramid,
                     const BourseChartCandle *candles,
                     guint                    n_candles,
                     double                   right,
                     double                   candle_width,
                     double                   plot_width,
                     GArray                  *items)
{
  double left = right - plot_width / candle_width;
  int n = (int) n_candles;

  g_return_if_fail (pyramid != NULL);
  g_return_if_fail (items != NULL);
  g_return_if_fail (candle_width > 0);

  g_array_set_size (items, 0);
  if (n == 0)
    return;

  if (candle_width >= 1)
    {
      int from = MAX (0, (int) floor (left - 0.5));
      int to = MIN (n - 1, (int) ceil (right + 0.5));

      for (int i = from; i <= to; i++)
        {
          BourseChartItem item = {
            .x = plot_width - (right - i) * candle_width,
            .open = candles[i].open,
            .high = candles[i].high,
            .low = candles[i].low,
            .close = candles[i].close,
            .volume = candles[i].volume,
            .first = i,
            .last = i,
          };

          g_array_append_val (items, item);
        }
      return;
    }

  for (int column = 0; column < (int) plot_width; column++)
    {
      /* Candle i belongs to the column its centre falls in. */
      double from_index = ceil (right - (plot_width - column) / candle_width);
      double to_index = ceil (right - (plot_width - column - 1) / candle_width);
      guint from = (guint) CLAMP (from_index, 0, n);
      guint to = (guint) CLAMP (to_index, 0, n);
      BourseChartAggregate aggregate;
      BourseChartItem item;

      if (from >= to)
        continue;

      aggregate = bourse_chart_pyramid_query (pyramid, candles, n_candles, from, to);
      item = (BourseChartItem) {
        .x = column + 0.5,
        .open = candles[from].open,
        .high = aggregate.high,
        .low = aggregate.low,
        .close = candles[to - 1].close,
        .volume = aggregate.volume,
        .first = from,
        .last = to - 1,
      };
      g_array_append_val (items, item);
    }
}
