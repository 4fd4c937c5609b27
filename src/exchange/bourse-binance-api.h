/* bourse-binance-api.h — Binance Spot's signed REST API
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "core/bourse-config.h"
#include "core/bourse-decimal.h"

#include "bourse-binance-signer.h"
#include "bourse-exchange-keys.h"

G_BEGIN_DECLS

#define BOURSE_BINANCE_API_ERROR (bourse_binance_api_error_quark ())

/* What a request came to; bourse_binance_api_error_get_code () keeps
 * Binance's own code (-2010…) when it sent one. */
typedef enum
{
  BOURSE_BINANCE_API_ERROR_REFUSED = 1,         /* a Binance error not listed below */
  BOURSE_BINANCE_API_ERROR_INSUFFICIENT_BALANCE,/* -2010 */
  BOURSE_BINANCE_API_ERROR_FILTER,              /* -1013: the filter is in the message */
  BOURSE_BINANCE_API_ERROR_CLOCK,               /* -1021, still after a resync */
  BOURSE_BINANCE_API_ERROR_UNKNOWN_ORDER,       /* -2011: a cancel of an order not open */
  BOURSE_BINANCE_API_ERROR_NO_SUCH_ORDER,       /* -2013 */
  BOURSE_BINANCE_API_ERROR_KEYS_REFUSED,        /* -2014, -2015: the API key */
  BOURSE_BINANCE_API_ERROR_BAD_SIGNATURE,       /* -1022: the secret */
  BOURSE_BINANCE_API_ERROR_RATE_LIMITED,        /* 429/418 whose Retry-After is too long */
  BOURSE_BINANCE_API_ERROR_ORDER_LIMIT,         /* refused here: the order counts are at their limit */
  BOURSE_BINANCE_API_ERROR_OUTCOME_UNKNOWN,     /* a placement sent that got no answer (5xx, time-out, cut) */
  BOURSE_BINANCE_API_ERROR_UNAVAILABLE,         /* unreachable, after every retry */
  BOURSE_BINANCE_API_ERROR_MALFORMED,           /* an answer that is not JSON */
} BourseBinanceApiError;

typedef enum
{
  BOURSE_BINANCE_REQUEST_PUBLIC   = 0,
  BOURSE_BINANCE_REQUEST_SIGNED   = 1 << 0,  /* timestamp, recvWindow, signature, X-MBX-APIKEY */
  /* A placement: counted against the order limits, and never sent again
   * when its outcome is unknown (OUTCOME_UNKNOWN instead). */
  BOURSE_BINANCE_REQUEST_PLACE    = 1 << 1,
} BourseBinanceRequestFlags;

GQuark bourse_binance_api_error_quark    (void);
/* Binance's code of an error of this domain (-2010), or 0. */
int    bourse_binance_api_error_get_code (const GError *error);

/* A request's parameters, in the order they are sent (the signature is
 * over the query exactly as sent). */
typedef struct _BourseBinanceParams BourseBinanceParams;

BourseBinanceParams *bourse_binance_params_new         (void);
void                 bourse_binance_params_free        (BourseBinanceParams  *params);
void                 bourse_binance_params_add         (BourseBinanceParams  *params,
                                                        const char           *name,
                                                        const char           *value);
void                 bourse_binance_params_add_int     (BourseBinanceParams  *params,
                                                        const char           *name,
                                                        gint64                value);
/* Without trailing zeros ("0.001"), as Binance's filters expect. */
void                 bourse_binance_params_add_decimal (BourseBinanceParams  *params,
                                                        const char           *name,
                                                        BourseDecimal         value);
/* "a=1&b=x%20y", percent-encoded. */
const char          *bourse_binance_params_get_query   (BourseBinanceParams  *params);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseBinanceParams, bourse_binance_params_free)

/* @query with "timestamp", "recvWindow" and "signature" appended: HMAC hex
 * or Ed25519 base64 percent-encoded. What signing an order costs, alone. */
char                *bourse_binance_sign_query         (BourseBinanceSigner  *signer,
                                                        const char           *query,
                                                        gint64                timestamp_ms,
                                                        guint                 recv_window_ms);

#define BOURSE_TYPE_BINANCE_API (bourse_binance_api_get_type ())

G_DECLARE_FINAL_TYPE (BourseBinanceApi, bourse_binance_api, BOURSE, BINANCE_API, GObject)

/* Reads [binance] base_url, request_timeout, recv_window, max_retries,
 * retry_base_ms, retry_max_ms, retry_after_max, order_limit_10s and
 * order_limit_1d. Belongs to the thread-default GMainContext. @signer may
 * be NULL for public requests only. */
BourseBinanceApi *bourse_binance_api_new              (BourseConfig              *config,
                                                       BourseBinanceSigner       *signer);
BourseBinanceSigner *bourse_binance_api_get_signer    (BourseBinanceApi          *self);
const char       *bourse_binance_api_get_base_url     (BourseBinanceApi          *self);
/* Binance's clock minus ours, in ms, from the last GET /api/v3/time. */
gint64            bourse_binance_api_get_clock_offset (BourseBinanceApi          *self);
/* An offset measured elsewhere (by another client of the same keys). */
void              bourse_binance_api_set_clock_offset (BourseBinanceApi          *self,
                                                       gint64                     offset_ms);
/* Our clock plus the offset. */
gint64            bourse_binance_api_now_ms           (BourseBinanceApi          *self);
/* HTTP requests sent so far, retries included. */
guint             bourse_binance_api_get_n_requests   (BourseBinanceApi          *self);
/* {"clock_offset_ms","order_count_10s","order_count_1d","order_limit_10s",
 * "order_limit_1d","used_weight","requests","last_error"} */
JsonNode         *bourse_binance_api_status_json      (BourseBinanceApi          *self);

/* GET /api/v3/time: sets the clock offset. */
void              bourse_binance_api_sync_clock_async (BourseBinanceApi          *self,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
gboolean          bourse_binance_api_sync_clock_finish (BourseBinanceApi         *self,
                                                       GAsyncResult              *result,
                                                       GError                   **error);

/* @method "GET", "POST", "DELETE"; @path "/api/v3/order"; @params (may be
 * NULL) are taken. Every request waits out a Retry-After first. A -1021
 * resyncs the clock and is sent once more; 5xx, time-outs and cut
 * connections are retried with back-off, except a PLACE request's, whose
 * outcome is then unknown. The answer's JSON, or an error of
 * BOURSE_BINANCE_API_ERROR. */
void              bourse_binance_api_request_async    (BourseBinanceApi          *self,
                                                       const char                *method,
                                                       const char                *path,
                                                       BourseBinanceParams       *params,
                                                       BourseBinanceRequestFlags  flags,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
JsonNode         *bourse_binance_api_request_finish   (BourseBinanceApi          *self,
                                                       GAsyncResult              *result,
                                                       GError                   **error);

/* The check of keys (docs/LIVE.md): GET /api/v3/account. Refused keys are
 * BOURSE_ERROR_INVALID naming api_key (secret for a bad signature); an
 * unreachable Binance BOURSE_ERROR_UNAVAILABLE. */
void              bourse_binance_check_keys_async     (BourseConfig              *config,
                                                       BourseBinanceSigner       *signer,
                                                       GCancellable              *cancellable,
                                                       GAsyncReadyCallback        callback,
                                                       gpointer                   user_data);
BourseExchangeKeyCheck *bourse_binance_check_keys_finish (GAsyncResult           *result,
                                                       GError                   **error);

G_END_DECLS
