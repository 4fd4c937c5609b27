/* fake-exchange-orders.h — the fake exchange's signed order side, as tests drive it
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The REST side of Binance Spot's trading: /api/v3/time, exchangeInfo,
 * account, order (new, test, cancel, query), openOrders, myTrades and
 * orderList/oco, signed as Binance signs them, with its filters, balances,
 * matching against a price the test moves, its error codes and its order
 * rate limits. Every change of an order or a balance goes to the user
 * streams (fake_exchange_user_event ()) and is kept for inspection.
 *
 * Amounts are decimal strings ("0.01"), as a test writes them; the exchange
 * answers with eight decimals ("0.01000000"), as Binance does.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-decimal.h"
#include "fake-exchange.h"

G_BEGIN_DECLS

/* Symbols {{{ */

/* A symbol with permissive filters (tick 0.01, step 0.00001, min notional
 * 5, max notional 9000000, percent price ×0.2–×5 both sides, at most 200
 * open orders) and @price as its last price. */
void                  fake_exchange_add_symbol          (FakeExchange  *self,
                                                         const char    *symbol,
                                                         const char    *base_asset,
                                                         const char    *quote_asset,
                                                         const char    *price);
/* "0" disables a bound, as on Binance. */
void                  fake_exchange_set_price_filter    (FakeExchange  *self,
                                                         const char    *symbol,
                                                         const char    *min_price,
                                                         const char    *max_price,
                                                         const char    *tick_size);
void                  fake_exchange_set_lot_size        (FakeExchange  *self,
                                                         const char    *symbol,
                                                         const char    *min_qty,
                                                         const char    *max_qty,
                                                         const char    *step_size);
void                  fake_exchange_set_market_lot_size (FakeExchange  *self,
                                                         const char    *symbol,
                                                         const char    *min_qty,
                                                         const char    *max_qty,
                                                         const char    *step_size);
void                  fake_exchange_set_notional        (FakeExchange  *self,
                                                         const char    *symbol,
                                                         const char    *min_notional,
                                                         const char    *max_notional,
                                                         gboolean       apply_min_to_market,
                                                         gboolean       apply_max_to_market);
/* PERCENT_PRICE_BY_SIDE around the last price (avgPriceMins 0). */
void                  fake_exchange_set_percent_price   (FakeExchange  *self,
                                                         const char    *symbol,
                                                         const char    *bid_multiplier_up,
                                                         const char    *bid_multiplier_down,
                                                         const char    *ask_multiplier_up,
                                                         const char    *ask_multiplier_down);
void                  fake_exchange_set_max_num_orders  (FakeExchange  *self,
                                                         const char    *symbol,
                                                         guint          max_num_orders);
/* The last price. Moving it triggers the stops it reaches and fills the
 * resting orders it crosses (as makers, at their own price); calling it
 * again with the same price is the next matching step (see
 * fake_exchange_set_fill_parts ()). */
void                  fake_exchange_set_price           (FakeExchange  *self,
                                                         const char    *symbol,
                                                         const char    *price);

/* }}} */

/* Accounts and matching {{{ */

/* An account per API key. Setting a balance is a deposit or withdrawal:
 * the account's streams hear balanceUpdate and outboundAccountPosition. */
void                  fake_exchange_set_balance         (FakeExchange  *self,
                                                         const char    *api_key,
                                                         const char    *asset,
                                                         const char    *free);
/* Zero for an asset the account never had. */
void                  fake_exchange_get_balance         (FakeExchange  *self,
                                                         const char    *api_key,
                                                         const char    *asset,
                                                         BourseDecimal *free,
                                                         BourseDecimal *locked);

/* Fills come in @parts trades of the quantity divided by @parts (on the
 * symbol's step; the last takes the rest), each its own trade id. A MARKET
 * (or FOK) order takes them all at once; a LIMIT order takes one per
 * matching step: one when it is placed marketable or the price crosses it,
 * the next at each later fake_exchange_set_price () that still crosses it.
 * 1 (the default): one trade. */
void                  fake_exchange_set_fill_parts      (FakeExchange  *self,
                                                         guint          parts);

typedef enum
{
  FAKE_COMMISSION_QUOTE,     /* in the quote asset (the default) */
  FAKE_COMMISSION_RECEIVED,  /* in the asset received: the base on a buy, the quote on a sell */
  FAKE_COMMISSION_ASSET,     /* in @asset (BNB) worth @asset_price of quote each, while there is enough */
} FakeCommission;

/* @rate of the quote quantity (default "0.001"). */
void                  fake_exchange_set_commission      (FakeExchange  *self,
                                                         const char    *rate,
                                                         FakeCommission kind,
                                                         const char    *asset,
                                                         const char    *asset_price);

/* ORDERS rate limits (default 100 per 10 s, 200000 per day): new orders
 * beyond them get 429 -1015 with Retry-After. Windows run on the
 * exchange's clock (fake_exchange_set_now ()). */
void                  fake_exchange_set_order_limits    (FakeExchange  *self,
                                                         guint          per_ten_seconds,
                                                         guint          per_day);

/* }}} */

/* Failures {{{ */

typedef enum
{
  FAKE_FAILURE_HOLD,          /* do the request (accept the order), never answer: held until the client gives up */
  FAKE_FAILURE_CLOSE,         /* do the request, then close the connection without an answer */
  FAKE_FAILURE_503,           /* 503 without doing anything */
  FAKE_FAILURE_429,           /* 429 -1003 with Retry-After, without doing anything */
  FAKE_FAILURE_418,           /* 418 -1003 with Retry-After, without doing anything */
  FAKE_FAILURE_TIMESTAMP,     /* 400 -1021, as if the clock were off */
  FAKE_FAILURE_INSUFFICIENT,  /* 400 -2010 insufficient balance */
} FakeFailure;

/* The next @times requests to @method @path ("POST", "/api/v3/order")
 * fail so, after the signature is checked (queued after earlier ones). */
void                  fake_exchange_fail_requests       (FakeExchange  *self,
                                                         const char    *method,
                                                         const char    *path,
                                                         FakeFailure    failure,
                                                         guint          times);
/* The next @times POST /api/v3/order. */
void                  fake_exchange_fail_orders         (FakeExchange  *self,
                                                         FakeFailure    failure,
                                                         guint          times);
/* Retry-After of the failures above (default 1 s). */
void                  fake_exchange_set_failure_retry_after (FakeExchange *self,
                                                         guint          seconds);
/* How many requests are held unanswered now (FAKE_FAILURE_HOLD). */
guint                 fake_exchange_get_n_held          (FakeExchange  *self);

/* }}} */

/* Behind the client's back {{{ */

/* An order placed elsewhere (binance.com): checked like one sent over REST
 * but the filters, matched, in openOrders and myTrades, its
 * executionReports sent. @type: "MARKET", "LIMIT", … (@price NULL for a
 * MARKET order). Returns its orderId, or -1 when refused (no balance);
 * *@client_order_id (may be NULL) is the "web_…" id it got. */
gint64                fake_exchange_place_external_order (FakeExchange *self,
                                                         const char    *api_key,
                                                         const char    *symbol,
                                                         const char    *side,
                                                         const char    *type,
                                                         const char    *quantity,
                                                         const char    *price,
                                                         char         **client_order_id);
/* Cancels an open order (and its order list) as binance.com would. */
gboolean              fake_exchange_cancel_external_order (FakeExchange *self,
                                                         gint64         order_id);

/* }}} */

/* Inspection {{{ */

typedef struct
{
  char       *method;
  char       *path;
  char       *api_key;     /* X-MBX-APIKEY, or NULL */
  GHashTable *params;      /* name → value: the query's, then the body's */
  guint       status;      /* 0 while held or when closed unanswered */
  int         code;        /* Binance's error code, 0 when none */
  gint64      at_ms;       /* the exchange's clock */
} FakeApiRequest;

/* Every request to the order side, in order of arrival. */
guint                 fake_exchange_get_n_api_requests  (FakeExchange  *self);
const FakeApiRequest *fake_exchange_get_api_request     (FakeExchange  *self,
                                                         guint          index);
/* @method or @path NULL: any. */
guint                 fake_exchange_count_api_requests  (FakeExchange  *self,
                                                         const char    *method,
                                                         const char    *path);
/* How many POST /api/v3/order carried newClientOrderId=@client_order_id,
 * whatever became of them: more than one is a double order. */
guint                 fake_exchange_count_new_orders    (FakeExchange  *self,
                                                         const char    *client_order_id);
void                  fake_exchange_clear_api_requests  (FakeExchange  *self);

/* The newest order with @client_order_id, or -1. */
gint64                fake_exchange_find_order          (FakeExchange  *self,
                                                         const char    *client_order_id);
/* The order as GET /api/v3/order shows it, or NULL. */
JsonObject           *fake_exchange_dup_order           (FakeExchange  *self,
                                                         gint64         order_id);
/* Every order of @api_key's account, open or not, oldest first. */
JsonArray            *fake_exchange_dup_orders          (FakeExchange  *self,
                                                         const char    *api_key);
/* @api_key's trades on @symbol (NULL: all), as GET /api/v3/myTrades shows them. */
JsonArray            *fake_exchange_dup_trades          (FakeExchange  *self,
                                                         const char    *api_key,
                                                         const char    *symbol);

/* Every user event the order side sent (whether or not a stream was
 * there to hear it), in order: the "event" payloads. */
guint                 fake_exchange_get_n_user_events   (FakeExchange  *self);
JsonObject           *fake_exchange_get_user_event      (FakeExchange  *self,
                                                         guint          index,
                                                         const char   **api_key);
void                  fake_exchange_clear_user_events   (FakeExchange  *self);

/* }}} */

G_END_DECLS
