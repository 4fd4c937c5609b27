/* bourse-engine.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-config.h"
#include "core/bourse-event-bus.h"
#include "core/bourse-health.h"
#include "core/bourse-jobs.h"
#include "core/bourse-store.h"
#include "auth/bourse-auth.h"
#include "backtest/bourse-backtests.h"
#include "backtest/bourse-optimisations.h"
#include "market/bourse-market.h"
#include "ops/bourse-scheduler.h"
#include "notify/bourse-notifications.h"

#include "desk/bourse-desk.h"
#include "portfolio/bourse-portfolio.h"
#include "risk/bourse-risk.h"
#include "trading/bourse-trading.h"

G_BEGIN_DECLS

typedef enum
{
  BOURSE_ENGINE_STATE_STOPPED,
  BOURSE_ENGINE_STATE_STARTING,
  BOURSE_ENGINE_STATE_RUNNING,
  BOURSE_ENGINE_STATE_STOPPING,
} BourseEngineState;

#define BOURSE_TYPE_ENGINE (bourse_engine_get_type ())

G_DECLARE_FINAL_TYPE (BourseEngine, bourse_engine, BOURSE, ENGINE, GObject)

/* The engine lives on the GMainContext that is thread-default when it is
 * created; everything it does happens there (DESIGN.md §1). */
BourseEngine      *bourse_engine_new              (BourseConfig   *config);
gboolean           bourse_engine_start            (BourseEngine   *self,
                                                   GError        **error);
void               bourse_engine_stop             (BourseEngine   *self);
BourseEngineState  bourse_engine_get_state        (BourseEngine   *self);
const char        *bourse_engine_state_to_string  (BourseEngineState state);
BourseConfig      *bourse_engine_get_config       (BourseEngine   *self);
BourseStore       *bourse_engine_get_store        (BourseEngine   *self);
BourseEventBus    *bourse_engine_get_event_bus    (BourseEngine   *self);
/* The components' health (docs/OPERATIONS.md); any part may report to it.
 * While running, the engine checks the database, the feeds, the exchange
 * and the disk, and tells every transition on "alerts" and as a
 * "component.status" notification. */
BourseHealth      *bourse_engine_get_health       (BourseEngine   *self);
/* Accounts, sessions and tokens; NULL until started. */
BourseAuth        *bourse_engine_get_auth         (BourseEngine   *self);
BourseMarket      *bourse_engine_get_market       (BourseEngine   *self);
/* Work in worker threads, persisted and published on "jobs"; NULL until
 * started. */
BourseJobs        *bourse_engine_get_jobs         (BourseEngine   *self);
/* Recommendations, approvals, live strategies and webhooks; NULL until
 * started. */
BourseDesk        *bourse_engine_get_desk         (BourseEngine   *self);
/* The notification outbox's worker, preferences, devices and history;
 * NULL until started. */
BourseNotifications *bourse_engine_get_notifications (BourseEngine *self);
/* Limits, profiles, protections and the trading state; NULL until started. */
BourseRisk        *bourse_engine_get_risk         (BourseEngine   *self);
/* The ledger and the orders; NULL until started. */
BoursePortfolio   *bourse_engine_get_portfolio    (BourseEngine   *self);
BourseTrading     *bourse_engine_get_trading      (BourseEngine   *self);
/* Backtests and optimisations: their requests, jobs and records; NULL
 * until started. */
BourseBacktests   *bourse_engine_get_backtests    (BourseEngine   *self);
BourseOptimisations *bourse_engine_get_optimisations (BourseEngine  *self);
/* Turns an approved, unexpired recommendation into its entry order (with
 * the bracket of its stop-loss and take-profit), once: the order's
 * client_order_id is "approval-<id>", so a second execute is CONFLICT.
 * Without @quantity the caller's risk profile sizes it. With @estimate,
 * a dry run: the order as it would be (its suggested quantity), its cost,
 * or the refusal; nothing is stored. */
BourseOrder       *bourse_engine_execute_approval (BourseEngine              *self,
                                                   gint64                     approval_id,
                                                   const BourseDecimal       *quantity,
                                                   const BourseTradingCaller *caller,
                                                   BourseOrderEstimate       *estimate,
                                                   GError                   **error);
/* Starts or stops the trading loop: order processing and the live
 * strategies' evaluations (the server stays up). */
gboolean           bourse_engine_set_trading      (BourseEngine              *self,
                                                   gboolean                   running,
                                                   const BourseTradingCaller *caller,
                                                   GError                   **error);
/* The book: "paper", or "live" behind its gates — @confirm exactly
 * "LIVE" and Binance keys that passed their check (who may ask is the
 * server's permission, system.live). Audited, published on alerts. */
gboolean           bourse_engine_set_mode         (BourseEngine              *self,
                                                   const char                *mode,
                                                   const char                *confirm,
                                                   const BourseTradingCaller *caller,
                                                   GError                   **error);
/* The heartbeat and the housekeeping (docs/OPERATIONS.md); NULL until
 * started, and when it could not be set up (see the health's
 * "scheduler"). */
BourseScheduler   *bourse_engine_get_scheduler    (BourseEngine   *self);
gint64             bourse_engine_get_started_at   (BourseEngine   *self);
gint64             bourse_engine_get_uptime_ms    (BourseEngine   *self);

G_END_DECLS
