/* bourse-ticker.h — an instrument's last price and 24-hour statistics
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-candles.h"
#include "bourse-instruments.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean       has_data;     /* FALSE: no candles yet, every other field is 0 */
  BourseInterval interval;     /* the finest interval stored, which it is made of */
  gint64         time;         /* the open time of the last candle */
  BourseDecimal  last_price;   /* its close */
  BourseDecimal  open_price;   /* the open 24 hours before */
  BourseDecimal  high;
  BourseDecimal  low;
  BourseDecimal  volume;
} BourseTicker;

/* The 24 hours that end with the instrument's last stored candle (not the
 * clock: a simulated or imported market keeps its own time). */
gboolean  bourse_ticker_compute (BourseStore             *store,
                                 const BourseInstrument  *instrument,
                                 BourseTicker            *out,
                                 GError                 **error);
/* The close of the instrument's newest candle of its finest interval, and
 * that candle's open time (ms); BOURSE_ERROR_CONFLICT about "symbol" when
 * it has no candles. */
gboolean  bourse_ticker_last_price (BourseStore             *store,
                                    const BourseInstrument  *instrument,
                                    BourseDecimal           *price,
                                    gint64                  *time,
                                    GError                 **error);
/* {"symbol","source","simulated","last_price","open_price","change",
 * "change_percent","high","low","volume","time"}, decimals as strings and
 * nulls without data. */
JsonNode *bourse_ticker_to_json (const BourseTicker      *ticker,
                                 const BourseInstrument  *instrument);

G_END_DECLS
