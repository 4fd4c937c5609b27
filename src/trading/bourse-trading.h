/* bourse-trading.h — orders from every path, through one check, to the broker and the ledger
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "auth/bourse-auth.h"
#include "core/bourse-config.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-store.h"
#include "market/bourse-market.h"
#include "portfolio/bourse-portfolio.h"
#include "risk/bourse-risk.h"

#include "bourse-broker.h"
#include "bourse-orders.h"

G_BEGIN_DECLS

/* Who asks, for the records and their audit entries. */
typedef struct
{
  const char              *actor;       /* "user:42", "local-owner", "system" */
  gint64                   user_id;     /* 0: none */
  const BourseAuthContext *context;     /* may be NULL */
  gboolean                 any_order;   /* may cancel others' orders (orders.manage) */
} BourseTradingCaller;

/* An order as asked for; BourseTrading validates and rounds it. */
typedef struct
{
  const char        *symbol;
  BourseSide         side;
  BourseOrderType    type;
  gboolean           has_time_in_force;
  BourseTimeInForce  time_in_force;
  gboolean           has_quantity;
  BourseDecimal      quantity;
  gboolean           has_quote_quantity;
  BourseDecimal      quote_quantity;
  gboolean           has_price;
  BourseDecimal      price;
  gboolean           has_stop_price;
  BourseDecimal      stop_price;
  gboolean           has_stop_loss;
  BourseDecimal      stop_loss;
  gboolean           has_take_profit;
  BourseDecimal      take_profit;
  const char        *client_order_id;   /* NULL: one is made */
  gint64             approval_id;
  gint64             strategy_id;
  const char        *purpose;           /* the exit reason it books, or NULL */
  /* The engine's own orders (bracket legs, flattening): they reduce, and
   * pass the trading state and the stopped loop. */
  gboolean           system;
  gint64             parent_id;
  gint64             oco_id;
  gboolean           no_lock;           /* the second leg of an OCO pair shares the first's lock */
  /* The person confirmed a live order above risk.live_confirm_notional. */
  gboolean           confirmed;
} BourseOrderRequest;

/* What an order would cost, at the price it is measured at (its limit,
 * or what a MARKET order pays now). */
typedef struct
{
  BourseDecimal price;
  BourseDecimal notional;
  BourseDecimal fee;        /* at the taker rate: the most it pays */
  BourseDecimal fee_rate;   /* that rate */
} BourseOrderEstimate;

#define BOURSE_TYPE_TRADING (bourse_trading_get_type ())

G_DECLARE_FINAL_TYPE (BourseTrading, bourse_trading, BOURSE, TRADING, GObject)

/* On the engine's context, once store, market, portfolio and risk exist:
 * creates the account's broker, gives it the orders left open and starts
 * following prices. */
BourseTrading   *bourse_trading_new            (BourseStore               *store,
                                                BourseConfig              *config,
                                                BourseEventBus            *bus,
                                                BourseAuth                *auth,
                                                BourseMarket              *market,
                                                BoursePortfolio           *portfolio,
                                                BourseRisk                *risk,
                                                GError                   **error);
void             bourse_trading_stop           (BourseTrading             *self);
/* The mode the engine keeps in @store ("paper" when none was saved), for
 * commands that work on a data directory without an engine. */
char            *bourse_trading_saved_mode     (BourseStore               *store,
                                                GError                   **error);
BoursePortfolio *bourse_trading_get_portfolio  (BourseTrading             *self);
BourseRisk      *bourse_trading_get_risk       (BourseTrading             *self);
BourseBroker    *bourse_trading_get_broker     (BourseTrading             *self);

/* Validates, rounds, checks risk and balance, stores the order with its
 * lock and audit entry in one transaction, then hands it to the broker.
 * A known client_order_id returns that order with *created FALSE. */
BourseOrder     *bourse_trading_place_order    (BourseTrading             *self,
                                                const BourseOrderRequest  *request,
                                                const BourseTradingCaller *caller,
                                                gboolean                  *created,
                                                GError                   **error);
/* Every check of bourse_trading_place_order () but the duplicate, and
 * nothing stored: the order as it would be (no id), and its estimate. */
BourseOrder     *bourse_trading_check_order    (BourseTrading             *self,
                                                const BourseOrderRequest  *request,
                                                const BourseTradingCaller *caller,
                                                BourseOrderEstimate       *estimate,
                                                GError                   **error);
/* CONFLICT when final; FORBIDDEN for someone else's order without
 * any_order. Returns the order as it is now: on a venue that confirms
 * later, still open with cancel_requested_at set. */
BourseOrder     *bourse_trading_cancel_order   (BourseTrading             *self,
                                                gint64                     id,
                                                const char                *reason,
                                                const BourseTradingCaller *caller,
                                                GError                   **error);
/* Every open order (of @symbol; of the caller unless any_order); the ids
 * canceled. */
GArray          *bourse_trading_cancel_all     (BourseTrading             *self,
                                                const char                *symbol,
                                                const BourseTradingCaller *caller,
                                                GError                   **error);
/* Exits an open round-trip trade at market (the symbol's open orders are
 * canceled first); returns the exit order — or NULL with *pending TRUE
 * when a venue has yet to confirm those cancels: the exit goes once it
 * has. */
BourseOrder     *bourse_trading_close_trade    (BourseTrading             *self,
                                                gint64                     trade_id,
                                                const char                *purpose,
                                                const BourseTradingCaller *caller,
                                                gboolean                  *pending,
                                                GError                   **error);
/* The kill switch's flatten: every open order canceled, every position
 * closed at market. */
gboolean         bourse_trading_flatten        (BourseTrading             *self,
                                                const BourseTradingCaller *caller,
                                                GError                   **error);

/* The trading loop (order processing; the engine also pauses the live
 * strategies) and the mode: persisted and audited; the server publishes
 * the system status. */
gboolean         bourse_trading_is_running     (BourseTrading             *self);
gboolean         bourse_trading_set_running    (BourseTrading             *self,
                                                gboolean                   running,
                                                const BourseTradingCaller *caller,
                                                GError                   **error);
const char      *bourse_trading_get_mode       (BourseTrading             *self);
/* Switches the book: "live" trades the live account through the broker
 * @live_broker (sets it up — it reads its keys — and reconciles before
 * orders are taken), "paper" the paper account. CONFLICT naming "mode"
 * while the current book has open orders; the gates before it (who, the
 * typed confirmation, checked keys) are the engine's. */
gboolean         bourse_trading_set_mode       (BourseTrading             *self,
                                                const char                *mode,
                                                const char                *live_broker,
                                                const BourseTradingCaller *caller,
                                                GError                   **error);
/* {"running","mode","state","broker","open_orders","reconciling","venue"} */
JsonNode        *bourse_trading_status_json    (BourseTrading             *self);

/* Reconciliation (live): the venue's open orders, fills and balances
 * against the ledger; differences adopted in one transaction with their
 * audit entry, stored, and published on alerts. @trigger: start,
 * reconnect, request, mode. The result is the Reconciliation's JSON. */
void             bourse_trading_reconcile_async  (BourseTrading             *self,
                                                  const char                *trigger,
                                                  const BourseTradingCaller *caller,
                                                  GCancellable              *cancellable,
                                                  GAsyncReadyCallback        callback,
                                                  gpointer                   user_data);
JsonNode        *bourse_trading_reconcile_finish (BourseTrading             *self,
                                                  GAsyncResult              *result,
                                                  GError                   **error);
/* {"items":[Reconciliation],"next_cursor"} newest first. */
JsonNode        *bourse_trading_reconciliations_json (BourseTrading         *self,
                                                  guint                      limit,
                                                  gint64                     before_id,
                                                  GError                   **error);

/* The order with its fills, for the API. */
JsonNode        *bourse_trading_order_json     (BourseTrading             *self,
                                                const BourseOrder         *order,
                                                GError                   **error);

G_END_DECLS
