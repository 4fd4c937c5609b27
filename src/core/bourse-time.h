/* bourse-time.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BOURSE_TIME_ERROR (bourse_time_error_quark ())

typedef enum
{
  BOURSE_TIME_ERROR_INVALID = 1,
  BOURSE_TIME_ERROR_RANGE,
} BourseTimeError;

/* The Binance kline interval set, 1m … 1M. */
typedef enum
{
  BOURSE_INTERVAL_1M,
  BOURSE_INTERVAL_3M,
  BOURSE_INTERVAL_5M,
  BOURSE_INTERVAL_15M,
  BOURSE_INTERVAL_30M,
  BOURSE_INTERVAL_1H,
  BOURSE_INTERVAL_2H,
  BOURSE_INTERVAL_4H,
  BOURSE_INTERVAL_6H,
  BOURSE_INTERVAL_8H,
  BOURSE_INTERVAL_12H,
  BOURSE_INTERVAL_1D,
  BOURSE_INTERVAL_3D,
  BOURSE_INTERVAL_1W,
  BOURSE_INTERVAL_1MO,
  BOURSE_N_INTERVALS
} BourseInterval;

/* The instants RFC 3339 can write, 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z.
 * bourse_interval_align () and bourse_interval_next () are defined on this range. */
#define BOURSE_TIME_MIN_MS G_GINT64_CONSTANT (-62167219200000)
#define BOURSE_TIME_MAX_MS G_GINT64_CONSTANT (253402300799999)

GQuark       bourse_time_error_quark       (void);

/* Times in the engine are UTC milliseconds since the epoch. */
gint64       bourse_time_now_ms            (void);
/* Stops bourse_time_now_ms () at @ms, for every thread, until
 * bourse_time_thaw (); it may be frozen again at a later instant. For
 * tests: what they compare with the engine's clock then does not depend
 * on where the wall clock is within a minute. */
void         bourse_time_freeze            (gint64           ms);
void         bourse_time_thaw              (void);
char        *bourse_time_format_rfc3339    (gint64           ms);
gboolean     bourse_time_parse_rfc3339     (const char      *text,
                                            gint64          *out_ms,
                                            GError         **error);

/* Which end of a day a date alone stands for. */
typedef enum
{
  BOURSE_TIME_BOUND_START,   /* the day's first millisecond: a "start", "since" */
  BOURSE_TIME_BOUND_END,     /* its last, as inclusive ends are: an "end", "until" */
} BourseTimeBound;

/* What the API accepts wherever a time is asked for: RFC 3339, or a date
 * alone ("2025-12-01", as the seeds' clients write it) standing for that
 * UTC day's start or end (@bound). */
gboolean     bourse_time_parse_instant     (const char      *text,
                                            BourseTimeBound  bound,
                                            gint64          *out_ms,
                                            GError         **error);

gboolean     bourse_interval_parse         (const char      *text,
                                            BourseInterval  *out,
                                            GError         **error);
const char  *bourse_interval_to_string     (BourseInterval   interval);
gint64       bourse_interval_align         (BourseInterval   interval,
                                            gint64           ms);
gint64       bourse_interval_next          (BourseInterval   interval,
                                            gint64           open_ms);
/* The open time @n candles before @open_ms's candle (aligned; not before
 * BOURSE_TIME_MIN_MS). */
gint64       bourse_interval_step_back     (BourseInterval   interval,
                                            gint64           open_ms,
                                            guint            n);
/* Whether every @fine candle lies inside one @coarse candle, so that
 * @coarse candles can be folded from @fine ones (1m in 1h, 1d in 1M; not
 * 8h in 12h, nor 3d in 1w). */
gboolean     bourse_interval_nests_in      (BourseInterval   fine,
                                            BourseInterval   coarse);

G_END_DECLS
