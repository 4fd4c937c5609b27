/* bourse-client-records.h — the API's records as typed objects
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each property is the member of the same name (docs/API.md), '_' as '-';
 * a BourseClientStore keeps them live from their topic.
 */

#pragma once

#include "bourse-client-object.h"

G_BEGIN_DECLS

/* A live strategy (GET /api/v1/strategies, topic "strategies"). */
#define BOURSE_TYPE_CLIENT_STRATEGY (bourse_client_strategy_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientStrategy, bourse_client_strategy, BOURSE, CLIENT_STRATEGY, BourseClientObject)

gint64      bourse_client_strategy_get_id             (BourseClientStrategy *self);
const char *bourse_client_strategy_get_name           (BourseClientStrategy *self);
/* The strategy type's id. */
const char *bourse_client_strategy_get_strategy       (BourseClientStrategy *self);
const char *bourse_client_strategy_get_symbol         (BourseClientStrategy *self);
const char *bourse_client_strategy_get_interval       (BourseClientStrategy *self);
JsonObject *bourse_client_strategy_get_params         (BourseClientStrategy *self);
const char *bourse_client_strategy_get_policy         (BourseClientStrategy *self);
gboolean    bourse_client_strategy_get_enabled        (BourseClientStrategy *self);
gint64      bourse_client_strategy_get_model_id       (BourseClientStrategy *self);
/* RFC 3339, or NULL before its first signal. */
const char *bourse_client_strategy_get_last_signal_at (BourseClientStrategy *self);

/* A strategy type (GET /api/v1/strategies/types). */
#define BOURSE_TYPE_CLIENT_STRATEGY_TYPE (bourse_client_strategy_type_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientStrategyType, bourse_client_strategy_type, BOURSE, CLIENT_STRATEGY_TYPE, BourseClientObject)

const char         *bourse_client_strategy_type_get_id         (BourseClientStrategyType *self);
const char         *bourse_client_strategy_type_get_name       (BourseClientStrategyType *self);
const char         *bourse_client_strategy_type_get_version    (BourseClientStrategyType *self);
const char * const *bourse_client_strategy_type_get_aliases    (BourseClientStrategyType *self);
gint64              bourse_client_strategy_type_get_min_candles (BourseClientStrategyType *self);
/* A JSON Schema object: "properties" with type, default, minimum,
 * maximum, title and description. */
JsonObject         *bourse_client_strategy_type_get_parameters (BourseClientStrategyType *self);
guint               bourse_client_strategy_type_get_n_parameters (BourseClientStrategyType *self);

/* An instrument (GET /api/v1/instruments), named by its symbol. */
#define BOURSE_TYPE_CLIENT_INSTRUMENT (bourse_client_instrument_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientInstrument, bourse_client_instrument, BOURSE, CLIENT_INSTRUMENT, BourseClientObject)

const char *bourse_client_instrument_get_symbol      (BourseClientInstrument *self);
const char *bourse_client_instrument_get_base_asset  (BourseClientInstrument *self);
const char *bourse_client_instrument_get_quote_asset (BourseClientInstrument *self);
const char *bourse_client_instrument_get_status      (BourseClientInstrument *self);
gboolean    bourse_client_instrument_get_simulated   (BourseClientInstrument *self);
/* A decimal as the API writes it ("0.01000000"): the places prices show. */
const char *bourse_client_instrument_get_tick_size   (BourseClientInstrument *self);
/* Where its candles come from: simulated, binance or csv. */
const char *bourse_client_instrument_get_source      (BourseClientInstrument *self);

/* Below: a strategy's recommendation, which an approval embeds. */
typedef struct _BourseClientRecommendation BourseClientRecommendation;

/* An approval (GET /api/v1/approvals, topic "approvals"). */
#define BOURSE_TYPE_CLIENT_APPROVAL (bourse_client_approval_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientApproval, bourse_client_approval, BOURSE, CLIENT_APPROVAL, BourseClientObject)

gint64      bourse_client_approval_get_id                (BourseClientApproval *self);
gint64      bourse_client_approval_get_recommendation_id (BourseClientApproval *self);
/* pending, approved, rejected or expired */
const char *bourse_client_approval_get_status            (BourseClientApproval *self);
const char *bourse_client_approval_get_reason            (BourseClientApproval *self);
const char *bourse_client_approval_get_expires_at        (BourseClientApproval *self);
const char *bourse_client_approval_get_decided_at        (BourseClientApproval *self);
/* What it decides on, as embedded (the property "recommendation", a
 * BourseClientRecommendation: the same object while the approval lasts,
 * notifying what changes in it), or NULL. */
BourseClientRecommendation *bourse_client_approval_get_recommendation (BourseClientApproval *self);
/* 0 for nobody: the local owner, a live strategy, an external signal. */
gint64      bourse_client_approval_get_requested_by      (BourseClientApproval *self);
gint64      bourse_client_approval_get_decided_by        (BourseClientApproval *self);
const char *bourse_client_approval_get_created_at        (BourseClientApproval *self);
/* The entry order it became, or 0 until it executes. */
gint64      bourse_client_approval_get_order_id          (BourseClientApproval *self);
/* The accounts' names, NULL where there is no account. */
const char *bourse_client_approval_get_requested_by_name (BourseClientApproval *self);
const char *bourse_client_approval_get_decided_by_name   (BourseClientApproval *self);
/* The recommendation's strategy_name (its type's name, or the live strategy's). */
const char *bourse_client_approval_get_strategy_name     (BourseClientApproval *self);
gboolean    bourse_client_approval_is_pending            (BourseClientApproval *self);
/* Approved, and no order made of it yet. */
gboolean    bourse_client_approval_is_executable         (BourseClientApproval *self);

/* An order (GET /api/v1/orders, topic "orders"); quantities and prices are
 * decimals as the API writes them. */
#define BOURSE_TYPE_CLIENT_ORDER (bourse_client_order_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientOrder, bourse_client_order, BOURSE, CLIENT_ORDER, BourseClientObject)

gint64      bourse_client_order_get_id                  (BourseClientOrder *self);
const char *bourse_client_order_get_symbol              (BourseClientOrder *self);
const char *bourse_client_order_get_side                (BourseClientOrder *self);
/* market, limit, stop_loss…: the member "type" (the property "type"). */
const char *bourse_client_order_get_order_type          (BourseClientOrder *self);
const char *bourse_client_order_get_status              (BourseClientOrder *self);
const char *bourse_client_order_get_mode                (BourseClientOrder *self);
const char *bourse_client_order_get_quantity            (BourseClientOrder *self);
const char *bourse_client_order_get_price               (BourseClientOrder *self);
const char *bourse_client_order_get_stop_price          (BourseClientOrder *self);
const char *bourse_client_order_get_filled_quantity     (BourseClientOrder *self);
const char *bourse_client_order_get_average_price       (BourseClientOrder *self);
const char *bourse_client_order_get_reason              (BourseClientOrder *self);
const char *bourse_client_order_get_exchange_order_id   (BourseClientOrder *self);
gboolean    bourse_client_order_get_external            (BourseClientOrder *self);
/* Set while a live order's cancel waits for the exchange. */
const char *bourse_client_order_get_cancel_requested_at (BourseClientOrder *self);
gint64      bourse_client_order_get_created_by          (BourseClientOrder *self);
const char *bourse_client_order_get_strategy_name       (BourseClientOrder *self);
const char *bourse_client_order_get_created_at          (BourseClientOrder *self);

/* Users and the audit trail {{{ */

/* An account (GET /api/v1/users, topic "users"). */
#define BOURSE_TYPE_CLIENT_USER (bourse_client_user_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientUser, bourse_client_user, BOURSE, CLIENT_USER, BourseClientObject)

gint64      bourse_client_user_get_id            (BourseClientUser *self);
const char *bourse_client_user_get_username      (BourseClientUser *self);
const char *bourse_client_user_get_email         (BourseClientUser *self);
/* admin, trader or viewer */
const char *bourse_client_user_get_role          (BourseClientUser *self);
/* pending, active or disabled */
const char *bourse_client_user_get_status        (BourseClientUser *self);
const char *bourse_client_user_get_last_login_at (BourseClientUser *self);

/* An entry of the audit trail (GET /api/v1/audit, topic "audit"). */
#define BOURSE_TYPE_CLIENT_AUDIT_ENTRY (bourse_client_audit_entry_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientAuditEntry, bourse_client_audit_entry, BOURSE, CLIENT_AUDIT_ENTRY, BourseClientObject)

gint64      bourse_client_audit_entry_get_id          (BourseClientAuditEntry *self);
/* RFC 3339 */
const char *bourse_client_audit_entry_get_ts          (BourseClientAuditEntry *self);
/* "user:3", "local-owner"…; the name the API gives it now, or NULL. */
const char *bourse_client_audit_entry_get_actor       (BourseClientAuditEntry *self);
const char *bourse_client_audit_entry_get_actor_name  (BourseClientAuditEntry *self);
const char *bourse_client_audit_entry_get_action      (BourseClientAuditEntry *self);
const char *bourse_client_audit_entry_get_target      (BourseClientAuditEntry *self);
const char *bourse_client_audit_entry_get_target_name (BourseClientAuditEntry *self);
JsonObject *bourse_client_audit_entry_get_details     (BourseClientAuditEntry *self);

/* }}} */

/* Backtests and optimisations {{{ */

/* A backtest as GET /api/v1/backtests lists it, without its result (topic
 * "backtests": made, ended, noted, deleted). Its job's progress is not a
 * member: the jobs topic carries it, and whoever follows that topic gives it
 * with bourse_client_backtest_set_progress (). An ended run takes no older
 * news (a list read before its end). */
#define BOURSE_TYPE_CLIENT_BACKTEST (bourse_client_backtest_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientBacktest, bourse_client_backtest, BOURSE, CLIENT_BACKTEST, BourseClientObject)

gint64      bourse_client_backtest_get_id              (BourseClientBacktest *self);
/* 0 once its job is forgotten. */
gint64      bourse_client_backtest_get_job_id          (BourseClientBacktest *self);
/* The optimisation that ran it, or 0. */
gint64      bourse_client_backtest_get_optimisation_id (BourseClientBacktest *self);
/* The strategy type's id, and its name while it is installed. */
const char *bourse_client_backtest_get_strategy        (BourseClientBacktest *self);
const char *bourse_client_backtest_get_strategy_name   (BourseClientBacktest *self);
const char *bourse_client_backtest_get_symbol          (BourseClientBacktest *self);
const char *bourse_client_backtest_get_interval        (BourseClientBacktest *self);
/* The window, RFC 3339. */
const char *bourse_client_backtest_get_start           (BourseClientBacktest *self);
const char *bourse_client_backtest_get_end             (BourseClientBacktest *self);
JsonObject *bourse_client_backtest_get_request         (BourseClientBacktest *self);
/* queued, running, succeeded, failed or cancelled */
const char *bourse_client_backtest_get_status          (BourseClientBacktest *self);
const char *bourse_client_backtest_get_error           (BourseClientBacktest *self);
/* {"total_return","sharpe","max_drawdown","trades"} once it succeeded, else empty. */
JsonObject *bourse_client_backtest_get_summary         (BourseClientBacktest *self);
const char *bourse_client_backtest_get_note            (BourseClientBacktest *self);
gint64      bourse_client_backtest_get_created_by      (BourseClientBacktest *self);
const char *bourse_client_backtest_get_created_by_name (BourseClientBacktest *self);
const char *bourse_client_backtest_get_created_at      (BourseClientBacktest *self);
const char *bourse_client_backtest_get_finished_at     (BourseClientBacktest *self);
gboolean    bourse_client_backtest_is_ended            (BourseClientBacktest *self);
/* How far its job is, 0 to 1, or -1 when not known (nobody gave it, or
 * whoever reads it may not see the job): the property "progress". */
double      bourse_client_backtest_get_progress        (BourseClientBacktest *self);
void        bourse_client_backtest_set_progress        (BourseClientBacktest *self,
                                                        double                progress);

/* An optimisation as GET /api/v1/optimisations lists it (topic
 * "optimisations"); an ended one takes no older news either. */
#define BOURSE_TYPE_CLIENT_OPTIMISATION (bourse_client_optimisation_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientOptimisation, bourse_client_optimisation, BOURSE, CLIENT_OPTIMISATION, BourseClientObject)

gint64      bourse_client_optimisation_get_id              (BourseClientOptimisation *self);
gint64      bourse_client_optimisation_get_job_id          (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_strategy        (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_symbol          (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_interval        (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_start           (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_end             (BourseClientOptimisation *self);
/* The request: its "method" (grid, random), "space"… */
JsonObject *bourse_client_optimisation_get_request         (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_status          (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_error           (BourseClientOptimisation *self);
/* The winner's parameters once it succeeded, else empty. */
JsonObject *bourse_client_optimisation_get_best_params     (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_note            (BourseClientOptimisation *self);
gint64      bourse_client_optimisation_get_created_by      (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_created_by_name (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_created_at      (BourseClientOptimisation *self);
const char *bourse_client_optimisation_get_finished_at     (BourseClientOptimisation *self);
gboolean    bourse_client_optimisation_is_ended            (BourseClientOptimisation *self);

/* }}} */

/* Positions {{{ */

/* A position of the account's book (GET /api/v1/positions, topic
 * "positions"), named by its symbol. Quantities, prices and money are
 * decimals as the API writes them. The topic publishes a position that
 * closed with quantity 0: it stays the same object, no longer open. */
#define BOURSE_TYPE_CLIENT_POSITION (bourse_client_position_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientPosition, bourse_client_position, BOURSE, CLIENT_POSITION, BourseClientObject)

const char *bourse_client_position_get_symbol         (BourseClientPosition *self);
const char *bourse_client_position_get_quantity       (BourseClientPosition *self);
/* cost / quantity, NULL when flat. */
const char *bourse_client_position_get_average_price  (BourseClientPosition *self);
const char *bourse_client_position_get_cost           (BourseClientPosition *self);
const char *bourse_client_position_get_realized_pnl   (BourseClientPosition *self);
const char *bourse_client_position_get_fees           (BourseClientPosition *self);
/* The ledger's last price of the symbol, NULL before any. */
const char *bourse_client_position_get_last_price     (BourseClientPosition *self);
const char *bourse_client_position_get_market_value   (BourseClientPosition *self);
const char *bourse_client_position_get_unrealized_pnl (BourseClientPosition *self);
/* The open round-trip trade, 0 for none. */
gint64      bourse_client_position_get_trade_id       (BourseClientPosition *self);
const char *bourse_client_position_get_opened_at      (BourseClientPosition *self);
const char *bourse_client_position_get_updated_at     (BourseClientPosition *self);
/* Whether the quantity is not zero (notify::quantity says when to ask again). */
gboolean    bourse_client_position_is_open            (BourseClientPosition *self);

/* }}} */

/* Jobs {{{ */

/* A job (GET /api/v1/jobs/{id}, topic "jobs"): a market download, a
 * backtest's or an optimisation's run, a training. The topic carries every
 * change of it, progress included; an ended job takes no older news (an
 * answer overtaken by the topic's events, a read before its end).
 *
 * Not kept in a BourseClientStore: no page lists jobs. The download dialog
 * and the Backtests page each follow the one job they started, and the
 * listed backtests want only the progress of theirs; GET /api/v1/jobs
 * would read every job ever run (page after page, admins everyone's) for
 * that. So a page holds one BourseClientJob and hands it the topic's events
 * with bourse_client_object_update (), which takes only its own, and binds
 * its widgets to it through notify. */
#define BOURSE_TYPE_CLIENT_JOB (bourse_client_job_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientJob, bourse_client_job, BOURSE, CLIENT_JOB, BourseClientObject)

gint64      bourse_client_job_get_id          (BourseClientJob *self);
/* market.download, backtest.run, backtest.optimise, model.train… */
const char *bourse_client_job_get_kind        (BourseClientJob *self);
/* queued, running, succeeded, failed or cancelled */
const char *bourse_client_job_get_status      (BourseClientJob *self);
/* 0 to 1 as the worker last said it. */
double      bourse_client_job_get_progress    (BourseClientJob *self);
/* What the worker is at, in the server's language, or NULL. */
const char *bourse_client_job_get_message     (BourseClientJob *self);
/* Why it failed, or NULL. */
const char *bourse_client_job_get_error       (BourseClientJob *self);
JsonObject *bourse_client_job_get_params      (BourseClientJob *self);
/* 0 for nobody (the local owner, the scheduler). */
gint64      bourse_client_job_get_created_by  (BourseClientJob *self);
/* RFC 3339; started and finished NULL until then. */
const char *bourse_client_job_get_created_at  (BourseClientJob *self);
const char *bourse_client_job_get_started_at  (BourseClientJob *self);
const char *bourse_client_job_get_finished_at (BourseClientJob *self);
gboolean    bourse_client_job_is_ended        (BourseClientJob *self);
/* How far it is for a progress bar, 0 to 1: 1 once it succeeded, whatever
 * the worker last reported. */
double      bourse_client_job_get_fraction    (BourseClientJob *self);

/* }}} */

/* Sessions, API keys and devices {{{ */

/* A signed-in session (GET /api/v1/sessions). No topic carries sessions:
 * a BourseClientStore of them is read over REST, and again after a change. */
#define BOURSE_TYPE_CLIENT_SESSION (bourse_client_session_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientSession, bourse_client_session, BOURSE, CLIENT_SESSION, BourseClientObject)

gint64      bourse_client_session_get_id             (BourseClientSession *self);
gint64      bourse_client_session_get_user_id        (BourseClientSession *self);
const char *bourse_client_session_get_username       (BourseClientSession *self);
/* RFC 3339 */
const char *bourse_client_session_get_created_at     (BourseClientSession *self);
const char *bourse_client_session_get_expires_at     (BourseClientSession *self);
/* What the client said, or NULL. */
const char *bourse_client_session_get_client_address (BourseClientSession *self);
const char *bourse_client_session_get_user_agent     (BourseClientSession *self);
/* Whether it is the session of the request that listed it. */
gboolean    bourse_client_session_get_current        (BourseClientSession *self);

/* An API key (GET /api/v1/api-keys), never the key itself; no topic. */
#define BOURSE_TYPE_CLIENT_API_KEY (bourse_client_api_key_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientApiKey, bourse_client_api_key, BOURSE, CLIENT_API_KEY, BourseClientObject)

gint64      bourse_client_api_key_get_id           (BourseClientApiKey *self);
const char *bourse_client_api_key_get_name         (BourseClientApiKey *self);
/* The key's first characters, to recognise it. */
const char *bourse_client_api_key_get_prefix       (BourseClientApiKey *self);
const char *bourse_client_api_key_get_role         (BourseClientApiKey *self);
const char *bourse_client_api_key_get_created_at   (BourseClientApiKey *self);
/* NULL for never. */
const char *bourse_client_api_key_get_expires_at   (BourseClientApiKey *self);
const char *bourse_client_api_key_get_last_used_at (BourseClientApiKey *self);
const char *bourse_client_api_key_get_revoked_at   (BourseClientApiKey *self);
gboolean    bourse_client_api_key_is_revoked       (BourseClientApiKey *self);

/* A device receiving push notifications (GET /api/v1/devices); no topic. */
#define BOURSE_TYPE_CLIENT_DEVICE (bourse_client_device_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientDevice, bourse_client_device, BOURSE, CLIENT_DEVICE, BourseClientObject)

gint64      bourse_client_device_get_id           (BourseClientDevice *self);
const char *bourse_client_device_get_name         (BourseClientDevice *self);
/* android, ios or web */
const char *bourse_client_device_get_platform     (BourseClientDevice *self);
/* The push token's last characters: the API never lists it whole. */
const char *bourse_client_device_get_token        (BourseClientDevice *self);
const char *bourse_client_device_get_created_at   (BourseClientDevice *self);
const char *bourse_client_device_get_last_used_at (BourseClientDevice *self);

/* }}} */

/* Recommendations {{{ */

/* A strategy's recommendation (POST /api/v1/recommendations answers one,
 * an approval embeds its own): a decision over a window of candles, with
 * its levels. Levels are decimals as the API writes them ("64210.50000000"),
 * NULL for a NO_TRADE. */
#define BOURSE_TYPE_CLIENT_RECOMMENDATION (bourse_client_recommendation_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientRecommendation, bourse_client_recommendation, BOURSE, CLIENT_RECOMMENDATION, BourseClientObject)

gint64      bourse_client_recommendation_get_id               (BourseClientRecommendation *self);
const char *bourse_client_recommendation_get_symbol           (BourseClientRecommendation *self);
const char *bourse_client_recommendation_get_interval         (BourseClientRecommendation *self);
/* The strategy type's id, or "webhook". */
const char *bourse_client_recommendation_get_strategy         (BourseClientRecommendation *self);
/* The live strategy's or the webhook's name, else the type's human name. */
const char *bourse_client_recommendation_get_strategy_name    (BourseClientRecommendation *self);
/* The live strategy that made it, or 0. */
gint64      bourse_client_recommendation_get_strategy_id      (BourseClientRecommendation *self);
/* BUY, SELL or NO_TRADE */
const char *bourse_client_recommendation_get_decision         (BourseClientRecommendation *self);
const char *bourse_client_recommendation_get_entry            (BourseClientRecommendation *self);
const char *bourse_client_recommendation_get_stop_loss        (BourseClientRecommendation *self);
const char *bourse_client_recommendation_get_take_profit      (BourseClientRecommendation *self);
/* A ratio, not money; FALSE (and @value untouched) when there is none,
 * as for a NO_TRADE. The property "risk-reward" is 0 then. */
gboolean    bourse_client_recommendation_get_risk_reward      (BourseClientRecommendation *self,
                                                               double                     *value);
/* 0 to 1. */
double      bourse_client_recommendation_get_confidence       (BourseClientRecommendation *self);
const char *bourse_client_recommendation_get_reason           (BourseClientRecommendation *self);
/* The model's own numbers, and the parameters it ran with. */
JsonObject *bourse_client_recommendation_get_metrics          (BourseClientRecommendation *self);
JsonObject *bourse_client_recommendation_get_params           (BourseClientRecommendation *self);
/* The open times (ms) of the first and last candle read, 0 when not
 * given, and how many candles it read: the "window" member. */
gint64      bourse_client_recommendation_get_window_start     (BourseClientRecommendation *self);
gint64      bourse_client_recommendation_get_window_end       (BourseClientRecommendation *self);
gint64      bourse_client_recommendation_get_window_candles   (BourseClientRecommendation *self);
/* The approval a BUY or a SELL opened, or 0. */
gint64      bourse_client_recommendation_get_approval_id      (BourseClientRecommendation *self);
/* analysis, live or webhook */
const char *bourse_client_recommendation_get_origin           (BourseClientRecommendation *self);
gboolean    bourse_client_recommendation_get_simulated        (BourseClientRecommendation *self);
gint64      bourse_client_recommendation_get_created_by       (BourseClientRecommendation *self);
const char *bourse_client_recommendation_get_created_by_name  (BourseClientRecommendation *self);
const char *bourse_client_recommendation_get_created_at       (BourseClientRecommendation *self);
/* Whether it is a trade (BUY or SELL) with its levels. */
gboolean    bourse_client_recommendation_has_levels           (BourseClientRecommendation *self);

/* }}} */

/* Configuration {{{ */

/* One key of the engine's configuration, its spec and its value (a key of
 * a section in GET /api/v1/config). Its key is the key's name in the
 * section ("listen_port"); no topic: "config" only says to read again. */
#define BOURSE_TYPE_CLIENT_CONFIG_KEY (bourse_client_config_key_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientConfigKey, bourse_client_config_key, BOURSE, CLIENT_CONFIG_KEY, BourseClientObject)

const char         *bourse_client_config_key_get_key              (BourseClientConfigKey *self);
/* string, integer, decimal, boolean, enum, list… */
const char         *bourse_client_config_key_get_value_type       (BourseClientConfigKey *self);
/* The value as the text a file would hold ("true", "8080", "BTCUSDT,ETHUSDT");
 * "" for none, and always for a secret, which never leaves the server. */
const char         *bourse_client_config_key_get_value            (BourseClientConfigKey *self);
const char         *bourse_client_config_key_get_default_value    (BourseClientConfigKey *self);
const char         *bourse_client_config_key_get_description      (BourseClientConfigKey *self);
/* default, file, environment, command-line or runtime; and which file or
 * variable, or NULL. */
const char         *bourse_client_config_key_get_source           (BourseClientConfigKey *self);
const char         *bourse_client_config_key_get_origin           (BourseClientConfigKey *self);
gboolean            bourse_client_config_key_get_restart_required (BourseClientConfigKey *self);
/* Changed since the engine started. */
gboolean            bourse_client_config_key_get_pending_restart  (BourseClientConfigKey *self);
gboolean            bourse_client_config_key_get_secret           (BourseClientConfigKey *self);
/* Whether a secret has a value: all that is told of it. */
gboolean            bourse_client_config_key_is_set               (BourseClientConfigKey *self);
/* An integer's or a decimal's bounds: FALSE, and each left untouched,
 * when the key has none. */
gboolean            bourse_client_config_key_get_range            (BourseClientConfigKey *self,
                                                                   gint64                *min,
                                                                   gint64                *max);
/* An enum's choices, in order; empty for the other types. */
const char * const *bourse_client_config_key_get_allowed          (BourseClientConfigKey *self);

/* A section of the configuration ({"name","keys":[…]}, as GET
 * /api/v1/config lists them and PUT /api/v1/config/{section} answers),
 * its key the name ("server", "risk"). Its keys are a GListModel of
 * BourseClientConfigKey that follows the section: a key served again is
 * the same object, notified only of what changed. */
#define BOURSE_TYPE_CLIENT_CONFIG_SECTION (bourse_client_config_section_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientConfigSection, bourse_client_config_section, BOURSE, CLIENT_CONFIG_SECTION, BourseClientObject)

const char *bourse_client_config_section_get_name (BourseClientConfigSection *self);
/* Of BourseClientConfigKey, in the API's order. */
GListModel *bourse_client_config_section_get_keys (BourseClientConfigSection *self);

/* A change an import makes or would make (the "changes" of POST
 * /api/v1/config/import), its key the field ("server.listen_port"). The
 * values as text, as a key's are; a secret's are masked by the server. */
#define BOURSE_TYPE_CLIENT_CONFIG_CHANGE (bourse_client_config_change_get_type ())

G_DECLARE_FINAL_TYPE (BourseClientConfigChange, bourse_client_config_change, BOURSE, CLIENT_CONFIG_CHANGE, BourseClientObject)

const char *bourse_client_config_change_get_field            (BourseClientConfigChange *self);
/* "" for none. */
const char *bourse_client_config_change_get_old_value        (BourseClientConfigChange *self);
const char *bourse_client_config_change_get_new_value        (BourseClientConfigChange *self);
gboolean    bourse_client_config_change_get_restart_required (BourseClientConfigChange *self);

/* }}} */

G_END_DECLS
