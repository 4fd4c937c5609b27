/* bourse-csv.h — candles from and to CSV files (docs/MARKET-FILES.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "core/bourse-store.h"
#include "core/bourse-time.h"

#include "bourse-candles.h"
#include "bourse-instruments.h"

G_BEGIN_DECLS

/* Every error of a file carries the 1-based line and column (the field
 * number) it is about: bourse_csv_error_get_line () / _get_column (). Its
 * message starts with "Line L, column C: ". */
#define BOURSE_CSV_ERROR (bourse_csv_error_quark ())

typedef enum
{
  BOURSE_CSV_ERROR_EMPTY = 1,     /* no candles at all */
  BOURSE_CSV_ERROR_HEADER,        /* a header that is not ours, or a missing one */
  BOURSE_CSV_ERROR_COLUMNS,       /* the wrong number of columns */
  BOURSE_CSV_ERROR_NUMBER,        /* not a number, too precise or out of range */
  BOURSE_CSV_ERROR_TIME,          /* neither milliseconds nor microseconds, unaligned, wrong close time */
  BOURSE_CSV_ERROR_ORDER,         /* open times not strictly increasing */
  BOURSE_CSV_ERROR_DUPLICATE,     /* the same open time twice */
  BOURSE_CSV_ERROR_CANDLE,        /* OHLC that do not fit together, a negative volume */
  BOURSE_CSV_ERROR_LINE,          /* a line longer than any of candles */
} BourseCsvError;

typedef enum
{
  BOURSE_CSV_FORMAT_AUTO,
  BOURSE_CSV_FORMAT_BINANCE,      /* Binance's kline files: 12 columns, no header */
  BOURSE_CSV_FORMAT_GENERIC,      /* time,open,high,low,close,volume[,trades] with that header */
} BourseCsvFormat;

/* What an import did; also the body of its API answer. */
typedef struct
{
  BourseCsvFormat format;         /* as detected */
  gsize           rows;
  gsize           changed;        /* rows inserted or replaced; 0 on a re-import */
  gint64          first_open_time;
  gint64          last_open_time;
} BourseCsvImport;

/* Writes the import's audit entry on @store, inside the import's
 * transaction. */
typedef BourseMarketAuditFunc BourseCsvAuditFunc;

GQuark       bourse_csv_error_quark       (void);
guint        bourse_csv_error_get_line    (const GError        *error);
guint        bourse_csv_error_get_column  (const GError        *error);

/* "auto", "binance", "generic". */
gboolean     bourse_csv_format_parse      (const char          *text,
                                           BourseCsvFormat     *out);
const char  *bourse_csv_format_to_string  (BourseCsvFormat      format);

/* Parses and checks the whole of @data as candles of @interval: numbers,
 * OHLC, alignment, strictly increasing open times. Returns a GArray of
 * BourseCandle (at least one), or NULL with a BOURSE_CSV_ERROR. */
GArray      *bourse_csv_parse             (const char          *data,
                                           gsize                length,
                                           BourseCsvFormat      format,
                                           BourseInterval       interval,
                                           BourseCsvFormat     *detected,
                                           GError             **error);

/* The header line of @format ("" for Binance, which has none). */
void         bourse_csv_append_header     (GString             *out,
                                           BourseCsvFormat      format);
/* One line per candle; bourse_csv_parse () reads back the same values. */
void         bourse_csv_append_candles    (GString             *out,
                                           BourseCsvFormat      format,
                                           BourseInterval       interval,
                                           const BourseCandle  *candles,
                                           gsize                n_candles);

/* One page of an export: appends the candles with open times in
 * [*cursor, end], at most BOURSE_CANDLES_MAX_LIMIT, and moves *cursor on.
 * *done says that nothing follows. */
gboolean     bourse_csv_export_page       (BourseStore         *store,
                                           gint64               instrument_id,
                                           BourseInterval       interval,
                                           BourseCsvFormat      format,
                                           gint64              *cursor,
                                           gint64               end,
                                           GString             *out,
                                           gsize               *n_candles,
                                           gboolean            *done,
                                           GError             **error);

/* The whole import, as the API does it: in one transaction on @store,
 * parses and checks @data a batch of candles at a time, writes each batch
 * and derives the higher intervals from it as it goes, and at the end has
 * @audit add the entry ("market.import", "instrument:SYMBOL"). Memory
 * does not grow with the number of candles. A bad line anywhere or an
 * unknown symbol (BOURSE_MARKET_ERROR_NOT_FOUND) rolls everything back:
 * nothing is written. */
gboolean     bourse_csv_import            (BourseStore         *store,
                                           const char          *symbol,
                                           BourseInterval       interval,
                                           BourseCsvFormat      format,
                                           const char          *data,
                                           gsize                length,
                                           BourseCsvAuditFunc   audit,
                                           gpointer             audit_data,
                                           BourseCsvImport     *result,
                                           GError             **error);
/* The same, reading @input a chunk at a time (`boursed market import`):
 * neither the file nor its candles are ever in memory whole. */
gboolean     bourse_csv_import_stream     (BourseStore         *store,
                                           const char          *symbol,
                                           BourseInterval       interval,
                                           BourseCsvFormat      format,
                                           GInputStream        *input,
                                           BourseCsvAuditFunc   audit,
                                           gpointer             audit_data,
                                           BourseCsvImport     *result,
                                           GCancellable        *cancellable,
                                           GError             **error);
/* {"interval","format","rows","changed","first_open_time","last_open_time"},
 * with "symbol" first when @symbol is given. */
JsonNode    *bourse_csv_import_to_json    (const BourseCsvImport *result,
                                           const char          *symbol,
                                           BourseInterval       interval);

G_END_DECLS
