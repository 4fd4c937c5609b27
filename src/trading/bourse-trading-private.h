/* bourse-trading-private.h — what bourse-trading.c shares with the reconciliation
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-trading.h"

G_BEGIN_DECLS

struct _BourseTrading
{
  GObject           parent_instance;

  BourseStore      *store;
  BourseConfig     *config;
  BourseEventBus   *bus;
  BourseAuth       *auth;
  BourseMarket     *market;
  BoursePortfolio  *portfolio;
  BourseRisk       *risk;
  BourseBroker     *broker;
  gulong            execution_handler;
  gulong            balances_handler;
  gulong            resync_handler;
  gulong            price_handler;
  gboolean          running;
  char             *mode;
  gboolean          allow_short;
  /* While an order is placed: it, what the broker answered at once, and
   * the first failure booking that answer. */
  const BourseOrder *placing;
  GPtrArray        *placed;
  GError           *placing_error;
  gint64            slippage_bps;
  BourseDecimal     taker_fee;
  /* Live: no order is taken until the venue's state is known. */
  gboolean          awaiting_reconcile;
  guint             reconciling;
  /* symbol → PendingExit: positions to exit at market once a venue has
   * confirmed the cancels of the symbol's open orders. */
  GHashTable       *pending_exits;
};

/* What booking an execution did, to tell once its transaction committed. */
typedef struct
{
  BourseOrder   *order;         /* as booked */
  GPtrArray     *canceled;      /* the OCO legs it canceled */
  gint64         fill_id;       /* 0: not a fill */
  gboolean       trade_closed;
  BourseDecimal  trade_net_pnl;
} Booked;

extern const BourseTradingCaller _bourse_trading_system_caller;

Booked   *_bourse_trading_booked_new          (BourseOrder               *order);
void      _bourse_trading_booked_free         (Booked                    *booked);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Booked, _bourse_trading_booked_free)

gboolean  _bourse_trading_audit_order         (BourseTrading             *self,
                                               const BourseTradingCaller *caller,
                                               const char                *action,
                                               const BourseOrder         *order,
                                               JsonNode                  *details,
                                               GError                   **error);
void      _bourse_trading_publish_order       (BourseTrading             *self,
                                               const BourseOrder         *order);
void      _bourse_trading_commit_or_rollback  (BourseTrading             *self,
                                               gboolean                  *ok,
                                               GError                   **error);
gboolean  _bourse_trading_finish_order        (BourseTrading             *self,
                                               BourseOrder               *order,
                                               BourseOrderStatus          status,
                                               const char                *reason,
                                               GError                   **error);
/* Books @execution of the open booked->order inside the open transaction. */
gboolean  _bourse_trading_book_execution      (BourseTrading             *self,
                                               Booked                    *booked,
                                               const BourseExecution     *execution,
                                               GError                   **error);
/* Once committed: the topics, the protections, brackets, pending exits. */
void      _bourse_trading_announce            (BourseTrading             *self,
                                               Booked                    *booked);
/* Whether a venue's trade is booked already (a fill's external_id). */
gboolean  _bourse_trading_fill_known          (BourseTrading             *self,
                                               const char                *external_id,
                                               gboolean                  *known,
                                               GError                   **error);

/* {"kind","message","id"?} on the alerts topic. */
void      _bourse_trading_publish_alert       (BourseEventBus            *bus,
                                               const char                *kind,
                                               const char                *message,
                                               gint64                     id);
/* Reconciles in the background, logging a failure. */
void      _bourse_trading_reconcile_in_background (BourseTrading         *self,
                                               const char                *trigger);

G_END_DECLS
