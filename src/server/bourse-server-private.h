/* bourse-server-private.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "auth/bourse-rate-limit.h"

#include "bourse-connections.h"
#include "bourse-hub.h"
#include "bourse-metrics.h"
#include "bourse-request.h"
#include "bourse-router.h"
#include "bourse-server.h"

G_BEGIN_DECLS

struct _BourseServer
{
  GObject           parent_instance;

  BourseEngine     *engine;
  BourseConfig     *config;
  SoupServer       *soup;
  BourseConnections *connections;     /* time limits, and the libsoup 3.2 leak */
  GSocket          *listener;         /* ours, so shutdown can stop accepting */
  GTlsCertificate  *certificate;
  BourseRouter     *router;
  BourseMetrics    *metrics;
  BourseHub        *hub;
  BourseRateLimiter *limiter;
  char            **cors_origins;
  gsize             max_body;
  char             *url;
  guint16           port;
  guint             in_flight;
  gint64            last_probe_ok_us; /* monotonic time of the last good database probe */
  guint             system_source;
  guint             clients_source;   /* the status, once the clients have changed */
  gboolean          clients_dirty;    /* they changed since it was last published */
  gulong            state_handler;
  gulong            clients_handler;
  GTask            *shutdown_task;
  guint             shutdown_timeout_source;
  guint             log_watch;        /* the ring's new entries, published on "logs" */
  GFileMonitor     *config_monitor;   /* the configuration file, reloaded when it changes */
  GBytes           *openapi;          /* the document, built at its first request */
  GBytes           *health_body;      /* the last /health answer, for the second it names */
  gint64            health_uptime_s;
  int               health_schema_version;
  gboolean          health_ok;
  GBytes           *tagged_body;      /* the last body given an ETag, and its digest in hex: */
  char              tagged_digest[33]; /* an answer made once (version, /health) hashed once */
  guint8            setup_hash[32];   /* of the first run's token (bourse-setup-routes.c) */
  gboolean          setup_open;
  gboolean          setup_running;    /* the first administrator is being made */
};

JsonNode *_bourse_server_build_status   (BourseServer *self);
void      _bourse_server_publish_status (BourseServer *self);
void      _bourse_server_add_system_routes (BourseServer *self);
void      _bourse_server_add_auth_routes (BourseServer *self);
void _bourse_server_add_account_routes (BourseServer *self);
void _bourse_server_add_market_routes (BourseServer *self);
void _bourse_server_add_job_routes (BourseServer *self);
void _bourse_server_add_csv_routes (BourseServer *self);
void _bourse_server_add_desk_routes (BourseServer *self);
void _bourse_server_add_webhook_routes (BourseServer *self);
void _bourse_server_add_model_routes (BourseServer *self);
void _bourse_server_add_trading_routes (BourseServer *self);
void _bourse_server_add_portfolio_routes (BourseServer *self);
void _bourse_server_add_risk_routes (BourseServer *self);
void _bourse_server_add_exchange_routes (BourseServer *self);
void _bourse_server_add_backtest_routes (BourseServer *self);
void _bourse_server_add_optimisation_routes (BourseServer *self);
void _bourse_server_add_log_routes (BourseServer *self);
void _bourse_server_add_health_routes (BourseServer *self);
void _bourse_server_add_scheduler_routes (BourseServer *self);
void _bourse_server_add_config_routes (BourseServer *self);
/* Follows the configuration: its file (reloaded when it changes) and the
 * keys whose readers keep a copy (log.level). */
void _bourse_server_watch_config (BourseServer *self);
void _bourse_server_add_notification_routes (BourseServer *self);
void _bourse_server_add_seed_routes (BourseServer *self);
void _bourse_server_add_websocket_path (BourseServer *self,
                                        const char   *path);
void _bourse_server_add_setup_routes (BourseServer *self);
/* The answer of POST /api/v1/auth/login, with @status. */
void _bourse_server_reply_tokens (BourseRequest *request,
                                  guint          status,
                                  BourseTokens  *tokens);
/* Who asks, for backtests' and optimisations' records; backtests.manage
 * (administrators) changes anyone's, and clients offer that from the
 * permission. @context must outlive the caller. */
BourseBacktestsCaller _bourse_server_backtests_caller (BourseRequest     *request,
                                                       BourseAuthContext *context);
/* Refuses any member of @body but @name, naming it; FALSE once answered. */
gboolean  _bourse_server_only_member    (BourseRequest     *request,
                                         JsonObject        *body,
                                         const char        *name);
/* The string of a {"note"} body, or NULL once a 422 is answered. */
const char *_bourse_server_note_member  (BourseRequest     *request,
                                         JsonObject        *body);
/* Who asks, for trading's records; @context must outlive the caller. */
BourseTradingCaller _bourse_server_trading_caller (BourseRequest     *request,
                                                   BourseAuthContext *context);
gboolean  _bourse_web_serve             (SoupServerMessage *message,
                                         const char        *path);
void      _bourse_server_add_web_routes (BourseServer      *self);

G_END_DECLS
