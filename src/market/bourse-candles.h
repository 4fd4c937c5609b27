/* bourse-candles.h — OHLCV candles per (instrument, interval, open time)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"
#include "core/bourse-store.h"
#include "core/bourse-time.h"

#include "bourse-instruments.h"

G_BEGIN_DECLS

/* The most candles one query returns (a page of GET …/candles). */
#define BOURSE_CANDLES_MAX_LIMIT 5000

typedef struct
{
  gint64         open_time;     /* ms since the epoch, aligned to the interval */
  BourseDecimal  open;
  BourseDecimal  high;
  BourseDecimal  low;
  BourseDecimal  close;
  BourseDecimal  volume;
  gint64         trades;
  gboolean       closed;
} BourseCandle;

gboolean  bourse_candle_validate   (const BourseCandle  *candle,
                                    BourseInterval       interval,
                                    GError             **error);
JsonNode *bourse_candle_to_json    (const BourseCandle  *candle,
                                    BourseInterval       interval);
/* The JSON array of bourse_candle_to_json () objects, written straight
 * into @out: a page of 5000 goes out without 45,000 JSON nodes. */
void      bourse_candles_append_json (GString           *out,
                                    const BourseCandle  *candles,
                                    gsize                n_candles,
                                    BourseInterval       interval);

/* Validates every row, then writes them all in one transaction, or none.
 * A row equal to the stored one is left alone; a different one replaces
 * it. *n_changed (may be NULL) counts the rows inserted or replaced. */
gboolean  bourse_candles_upsert    (BourseStore         *store,
                                    gint64               instrument_id,
                                    BourseInterval       interval,
                                    const BourseCandle  *candles,
                                    gsize                n_candles,
                                    gsize               *n_changed,
                                    GError             **error);
/* Candles with start <= open_time <= end, ascending, at most limit
 * (1 … BOURSE_CANDLES_MAX_LIMIT). When more follow, *more is TRUE and
 * *next_cursor is the open time of the next one (pass it as start).
 * Returns a GArray of BourseCandle. */
GArray   *bourse_candles_query     (BourseStore         *store,
                                    gint64               instrument_id,
                                    BourseInterval       interval,
                                    gint64               start,
                                    gint64               end,
                                    guint                limit,
                                    gboolean            *more,
                                    gint64              *next_cursor,
                                    GError             **error);
/* The same candles newest first: the at most @limit latest with
 * start <= open_time <= end. When older ones follow, *more is TRUE and
 * *next_cursor is the open time of the next one (pass it as end). */
GArray   *bourse_candles_query_newest (BourseStore      *store,
                                    gint64               instrument_id,
                                    BourseInterval       interval,
                                    gint64               start,
                                    gint64               end,
                                    guint                limit,
                                    gboolean            *more,
                                    gint64              *next_cursor,
                                    GError             **error);
/* Calls @func with each closed candle with start <= open_time <= end,
 * ascending, a page at a time from the store (a forming candle would change
 * an answer as it moves). Stops at the first FALSE @func returns, with its
 * error. */
typedef gboolean (*BourseCandleFunc) (const BourseCandle  *candle,
                                      gpointer             user_data,
                                      GError             **error);
gboolean  bourse_candles_foreach_closed (BourseStore      *store,
                                         gint64            instrument_id,
                                         BourseInterval    interval,
                                         gint64            start,
                                         gint64            end,
                                         BourseCandleFunc  func,
                                         gpointer          user_data,
                                         GError          **error);
/* Derives every interval coarser than @source that its candles nest in
 * (3m … 1M from 1m; weeks and months only from a day or less) from the
 * stored @source candles, for the coarser candles that overlap
 * [start, end], in one transaction. A derived candle is closed once its
 * last part is closed and ends where it ends. Call it after writing
 * @source candles in that range. */
gboolean  bourse_candles_aggregate (BourseStore         *store,
                                    gint64               instrument_id,
                                    BourseInterval       source,
                                    gint64               start,
                                    gint64               end,
                                    GError             **error);
/* The two above without their own transaction, for a caller that writes
 * more in the same one (an import and its audit entry): the caller has
 * begun it and commits or rolls back. The rows must already have passed
 * bourse_candle_validate (); this one does not check them again. */
gboolean  bourse_candles_upsert_in_transaction    (BourseStore         *store,
                                                   gint64               instrument_id,
                                                   BourseInterval       interval,
                                                   const BourseCandle  *candles,
                                                   gsize                n_candles,
                                                   gsize               *n_changed,
                                                   GError             **error);
gboolean  bourse_candles_aggregate_in_transaction (BourseStore         *store,
                                                   gint64               instrument_id,
                                                   BourseInterval       source,
                                                   gint64               start,
                                                   gint64               end,
                                                   GError             **error);
/* Writes candles of @source inside the caller's transaction and derives
 * every coarser interval from them as they come, as
 * bourse_candles_aggregate () does over their range (the stored candles
 * around and between them are folded in). It holds a few thousand
 * candles per interval, however many go through: an import of
 * millions takes no more memory than one of thousands. */
typedef struct _BourseCandlesWriter BourseCandlesWriter;

BourseCandlesWriter *bourse_candles_writer_new    (BourseStore          *store,
                                                   gint64                instrument_id,
                                                   BourseInterval        source);
/* @candles ascending, each after every one added before, already checked
 * by bourse_candle_validate () or as strictly. */
gboolean             bourse_candles_writer_add    (BourseCandlesWriter  *self,
                                                   const BourseCandle   *candles,
                                                   gsize                 n_candles,
                                                   GError              **error);
/* Writes what is left and the derived candles up to the last one added.
 * *n_changed (may be NULL) counts the @source rows inserted or replaced. */
gboolean             bourse_candles_writer_finish (BourseCandlesWriter  *self,
                                                   gsize                *n_changed,
                                                   GError              **error);
void                 bourse_candles_writer_free   (BourseCandlesWriter  *self);

/* Across every interval. */
gint64    bourse_candles_count     (BourseStore         *store,
                                    gint64               instrument_id,
                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseCandlesWriter, bourse_candles_writer_free)

G_END_DECLS
