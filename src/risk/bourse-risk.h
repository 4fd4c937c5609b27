/* bourse-risk.h — limits, profiles, protections and the trading state
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "auth/bourse-auth.h"
#include "core/bourse-config.h"
#include "core/bourse-decimal.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-store.h"

G_BEGIN_DECLS

/* NautilusTrader's trading states: what new orders may do. */
typedef enum
{
  BOURSE_TRADING_STATE_ACTIVE,
  BOURSE_TRADING_STATE_REDUCING,   /* only orders that reduce a position */
  BOURSE_TRADING_STATE_HALTED,     /* nothing new; cancels still go */
} BourseTradingState;

/* Who asks, for the audit entry. */
typedef struct
{
  const char              *actor;     /* "user:42", "local-owner", "system" */
  gint64                   user_id;   /* 0: none */
  const BourseAuthContext *context;   /* may be NULL */
} BourseRiskCaller;

/* An order as the pre-trade check sees it; the trading module fills it in
 * from the order and the ledger. Notionals are at the order's reference
 * price (its limit, or the last price for a MARKET). */
typedef struct
{
  gint64         user_id;            /* whose profile applies; 0: global limits only */
  const char    *symbol;
  gboolean       reduces;            /* only reduces an open position */
  BourseDecimal  notional;           /* quantity × reference price */
  BourseDecimal  position_notional;  /* |position once it fills| × reference price */
  guint          open_orders;        /* open orders of the book before this one */
  BourseDecimal  daily_pnl;          /* the book's net PnL today (UTC), realised + unrealised */
} BourseRiskOrder;

#define BOURSE_TYPE_RISK (bourse_risk_get_type ())

G_DECLARE_FINAL_TYPE (BourseRisk, bourse_risk, BOURSE, RISK, GObject)

const char        *bourse_trading_state_to_string (BourseTradingState  state);
gboolean           bourse_trading_state_parse     (const char         *text,
                                                   BourseTradingState *state);

/* On the engine's context. Loads the limits, the state and the active
 * protections, and starts the timer that lifts protections when they
 * expire (publishing on "risk"). */
BourseRisk        *bourse_risk_new                (BourseStore        *store,
                                                   BourseConfig       *config,
                                                   BourseEventBus     *bus,
                                                   GError            **error);
void               bourse_risk_stop               (BourseRisk         *self);

/* What time it is for a simulated BourseRisk: ms since the epoch. */
typedef gint64 (*BourseRiskClock) (gpointer data);

/* A BourseRisk for a backtest: the same limits, check and protections as
 * live, in the time @clock tells. It keeps its state in a private
 * in-memory store (its audit entries die with it), publishes nothing and
 * runs no timer — every look at the state lifts what is over — so a worker
 * thread without a main context may use it. @global_limits is the global
 * limits as GET /api/v1/risk/global answers them, read by the parser of
 * its PUT (a member it does not know is BOURSE_ERROR_INVALID naming it). */
BourseRisk        *bourse_risk_new_simulated      (JsonObject         *global_limits,
                                                   BourseRiskClock     clock,
                                                   gpointer            clock_data,
                                                   GError            **error);

/* The state in force now: the one set by hand, or a stricter one while a
 * protection lasts. */
BourseTradingState bourse_risk_get_state          (BourseRisk         *self);
/* Ends the protections whose time is up (audited, "risk.protection.lift",
 * and published); returns how many. A timer calls it when the next one is
 * due, and every look at the state does too, so a frozen clock (tests)
 * needs no timer. */
guint              bourse_risk_lift_expired       (BourseRisk         *self);

/* The one pre-trade check. BOURSE_ERROR_CONFLICT (409) naming the state
 * when the state forbids the order; BOURSE_ERROR_INVALID (422) whose field
 * names the limit ("risk.max_order_notional", "risk.symbols_allowed",
 * "risk.max_position_notional", "risk.max_open_orders",
 * "risk.max_daily_loss", "risk.cooldown") and whose message gives the
 * limit and the value. */
gboolean           bourse_risk_check_order        (BourseRisk            *self,
                                                   const BourseRiskOrder *order,
                                                   GError               **error);

/* The caller's risk per trade (a fraction of equity) for sizing an
 * approval's order. */
BourseDecimal      bourse_risk_get_risk_per_trade (BourseRisk         *self,
                                                   gint64              user_id);

/* Signals:
 *   "halted" (gboolean cancel_orders, gboolean flatten, const char *actor):
 *            the state just became HALTED; the engine cancels the open
 *            orders and closes the positions at market when asked.
 *   "state-changed": the state in force changed (by hand, a protection
 *            triggered or lifted). */

/* The kill switch: HALTED, audited ("risk.halt") and published, then
 * "halted" with the two wishes. */
gboolean           bourse_risk_halt               (BourseRisk             *self,
                                                   const char             *reason,
                                                   gboolean                cancel_orders,
                                                   gboolean                flatten,
                                                   const BourseRiskCaller *caller,
                                                   GError                **error);

/* State changes by hand, audited ("risk.halt", "risk.reduce",
 * "risk.resume") and published on "risk". */
gboolean           bourse_risk_set_state          (BourseRisk             *self,
                                                   BourseTradingState      state,
                                                   const char             *reason,
                                                   const BourseRiskCaller *caller,
                                                   GError                **error);

/* What the ledger tells the protections: a round-trip trade closed (a
 * stop-loss exit starts the symbol's cooldown and counts for the
 * stop-loss guard), and the equity after a fill or a snapshot (max
 * drawdown, daily loss). Triggers are audited and published on "risk". */
void               bourse_risk_note_trade_closed  (BourseRisk         *self,
                                                   const char         *symbol,
                                                   const char         *exit_reason,
                                                   BourseDecimal       net_pnl);
void               bourse_risk_note_equity        (BourseRisk         *self,
                                                   BourseDecimal       equity,
                                                   BourseDecimal       daily_pnl);

/* JSON for the API: GET /risk/state, /risk/global, /risk/profile. */
JsonNode          *bourse_risk_state_to_json      (BourseRisk         *self);
JsonNode          *bourse_risk_get_global         (BourseRisk         *self);
gboolean           bourse_risk_set_global         (BourseRisk             *self,
                                                   JsonObject             *body,
                                                   const BourseRiskCaller *caller,
                                                   GError                **error);
JsonNode          *bourse_risk_get_profile        (BourseRisk         *self,
                                                   gint64              user_id);
gboolean           bourse_risk_set_profile        (BourseRisk             *self,
                                                   gint64                  user_id,
                                                   JsonObject             *body,
                                                   const BourseRiskCaller *caller,
                                                   GError                **error);

G_END_DECLS
