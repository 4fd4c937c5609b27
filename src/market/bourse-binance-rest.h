/* bourse-binance-rest.h — Binance Spot REST market data (klines)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "core/bourse-config.h"

#include "bourse-candles.h"

G_BEGIN_DECLS

#define BOURSE_BINANCE_ERROR (bourse_binance_error_quark ())

typedef enum
{
  BOURSE_BINANCE_ERROR_REFUSED = 1,  /* a 4xx other than 429/418: Binance's own message */
  BOURSE_BINANCE_ERROR_RATE_LIMITED, /* 429 or 418 whose Retry-After is too long to wait */
  BOURSE_BINANCE_ERROR_MALFORMED,    /* an answer that is not a list of klines, after every retry */
  BOURSE_BINANCE_ERROR_UNAVAILABLE,  /* time-outs, connection errors, 5xx, after every retry */
} BourseBinanceError;

/* Why the client waits before its next request ("waiting" signal). */
typedef enum
{
  BOURSE_BINANCE_WAIT_BACKOFF,       /* after a time-out, a connection error, a 5xx or a bad answer */
  BOURSE_BINANCE_WAIT_RETRY_AFTER,   /* a 429 or 418 said how long */
  BOURSE_BINANCE_WAIT_WEIGHT,        /* the used weight is near [binance] weight_limit */
} BourseBinanceWait;

/* The most klines Binance answers per request. */
#define BOURSE_BINANCE_KLINES_LIMIT 1000

#define BOURSE_TYPE_BINANCE_REST (bourse_binance_rest_get_type ())

G_DECLARE_FINAL_TYPE (BourseBinanceRest, bourse_binance_rest, BOURSE, BINANCE_REST, GObject)

/* Called with each page as it arrives, oldest first; returning FALSE (with
 * @error set) stops the fetch with that error. */
typedef gboolean (*BourseBinancePageFunc) (const BourseCandle  *candles,
                                           gsize                n_candles,
                                           gpointer             user_data,
                                           GError             **error);

GQuark             bourse_binance_error_quark          (void);

/* Reads [binance] base_url, weight_limit, weight_window, request_timeout,
 * max_retries, retry_base_ms, retry_max_ms and retry_after_max. The client
 * belongs to the thread-default GMainContext it is created in: a worker
 * thread pushes its own context first, and iterates it. */
BourseBinanceRest *bourse_binance_rest_new             (BourseConfig           *config);
const char        *bourse_binance_rest_get_base_url    (BourseBinanceRest      *self);
/* The X-MBX-USED-WEIGHT-1m of the last answer. */
guint              bourse_binance_rest_get_used_weight (BourseBinanceRest      *self);
/* HTTP requests sent so far, retries included. */
guint              bourse_binance_rest_get_n_requests  (BourseBinanceRest      *self);

/* The klines of @symbol with start <= open time <= end, fetched a page of
 * BOURSE_BINANCE_KLINES_LIMIT at a time and handed to @page_func in order.
 * Retries time-outs, connection errors, 5xx and malformed answers with
 * exponential back-off and jitter; waits out 429/418 Retry-After; pauses
 * when the used weight nears the budget. */
void               bourse_binance_rest_fetch_klines_async  (BourseBinanceRest     *self,
                                                            const char            *symbol,
                                                            BourseInterval         interval,
                                                            gint64                 start,
                                                            gint64                 end,
                                                            BourseBinancePageFunc  page_func,
                                                            gpointer               page_data,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
/* *n_candles (may be NULL): how many klines were handed over. */
gboolean           bourse_binance_rest_fetch_klines_finish (BourseBinanceRest     *self,
                                                            GAsyncResult          *result,
                                                            guint64               *n_candles,
                                                            GError               **error);

/* One kline row of Binance's answer, [openTime, "open", "high", "low",
 * "close", "volume", closeTime, …, numberOfTrades, …], into @candle; closed
 * when its close time is before @now_ms. Exposed for the stream and tests. */
gboolean           bourse_binance_parse_kline_row      (JsonArray              *row,
                                                        BourseInterval          interval,
                                                        gint64                  now_ms,
                                                        BourseCandle           *candle,
                                                        GError                **error);

/* Shared with the signed client (src/exchange/bourse-binance-api.c). */
/* A 429's or 418's Retry-After in seconds; G_MAXUINT when there is none. */
guint              bourse_binance_retry_after_seconds  (SoupMessage            *message);
/* Whether a transport error may go away by itself (not TLS, not a bad URL). */
gboolean           bourse_binance_error_is_transient   (const GError           *error);

G_END_DECLS
