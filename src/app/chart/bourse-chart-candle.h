/* bourse-chart-candle.h — one candle as the desktop's charts keep it
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Doubles are fine for drawing (the ledger's exact values stay in the
 * engine, DESIGN.md §4). */
typedef struct
{
  gint64   open_time;   /* ms since the epoch, UTC */
  double   open;
  double   high;
  double   low;
  double   close;
  double   volume;
  gboolean closed;
} BourseChartCandle;

G_END_DECLS
