/* desk-test-util.h — what the approval desk's integration tests share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "desk/bourse-desk.h"

#include "bourse-test-server.h"

G_BEGIN_DECLS

#define DESK_TRADER_PASSWORD "a long and winding road 42"
#define DESK_ADMIN_PASSWORD  "correct horse battery staple"
#define DESK_VIEWER_PASSWORD "seven hundred red balloons"

/* A started server with cheap password hashing and secrets in a file, plus
 * @settings ("section", "key", "value" triples, NULL-terminated; may be NULL). */
BourseTestServer *desk_server_new            (const char * const *settings);
/* A server running the simulated market with @days of backfill at @speed;
 * returns once the feed is live. */
BourseTestServer *desk_sim_server_new        (const char         *days,
                                              const char         *speed,
                                              const char * const *settings);

/* An active account made by the local owner; returns its id. */
gint64            desk_create_user           (BourseTestServer   *server,
                                              const char         *name,
                                              const char         *role);
/* Signs in as a user made by desk_create_user (); an access token. */
char             *desk_login                 (BourseTestServer   *server,
                                              const char         *name,
                                              const char         *role);

/* A request as @token (NULL: the local owner); *status receives the
 * status; returns the JSON body, or NULL when there is none. */
JsonNode         *desk_fetch                 (BourseTestServer   *server,
                                              const char         *method,
                                              const char         *path,
                                              const char         *token,
                                              const char         *body,
                                              guint              *status) G_GNUC_WARN_UNUSED_RESULT;
/* As desk_fetch (), asserting the status. */
JsonNode         *desk_expect                (BourseTestServer   *server,
                                              const char         *method,
                                              const char         *path,
                                              const char         *token,
                                              const char         *body,
                                              guint               expected) G_GNUC_WARN_UNUSED_RESULT;
/* A 422 (or @expected) naming @field. */
void              desk_expect_field          (BourseTestServer   *server,
                                              const char         *method,
                                              const char         *path,
                                              const char         *token,
                                              const char         *body,
                                              guint               expected,
                                              const char         *field);

JsonObject       *desk_object                (JsonNode           *node);

/* An actionable recommendation on @symbol (with 1h candles stored) asked
 * for by @token (NULL: the local owner): AR with no threshold trades on
 * any forecast. Returns its approval's id. */
gint64            desk_request_approval      (BourseTestServer   *server,
                                              const char         *symbol,
                                              const char         *token);

/* A csv instrument (tick 0.01) with @n closed candles of @interval ending
 * before now: a random walk from 100 seeded by @seed, written to the store. */
void              desk_add_instrument        (BourseTestServer   *server,
                                              const char         *symbol,
                                              BourseInterval      interval,
                                              guint               n,
                                              guint32             seed);

/* "sha256=<hex HMAC-SHA256(secret, timestamp.body)>". */
char             *desk_sign                  (const char         *secret,
                                              const char         *timestamp,
                                              const char         *body);
/* Posts a signed alert to hook @id; returns the JSON answer. */
JsonNode         *desk_post_signal           (BourseTestServer   *server,
                                              gint64              id,
                                              const char         *secret,
                                              gint64              timestamp,
                                              const char         *body,
                                              guint              *status);

/* Audit entries with this action (newest first), as a JSON array node. */
JsonNode         *desk_audit                 (BourseTestServer   *server,
                                              const char         *action);
/* The whole audit log as text, to look for what must not be in it. */
char             *desk_audit_text            (BourseTestServer   *server);

/* A WebSocket client that keeps every message. */
typedef struct _DeskWs DeskWs;

DeskWs           *desk_ws_connect            (BourseTestServer   *server,
                                              const char         *token);
void              desk_ws_subscribe          (DeskWs             *ws,
                                              const char         *topics_json);
/* On a new connection: TRUE when subscribed, FALSE when refused. */
gboolean          desk_ws_try_subscribe      (DeskWs             *ws,
                                              const char         *topics_json);
/* Waits until @count events on @topic arrived; returns the data of the nth
 * (0-based) with desk_ws_event (). */
void              desk_ws_wait               (DeskWs             *ws,
                                              const char         *topic,
                                              guint               count);
guint             desk_ws_count              (DeskWs             *ws,
                                              const char         *topic);
JsonObject       *desk_ws_event              (DeskWs             *ws,
                                              const char         *topic,
                                              guint               nth);
void              desk_ws_free               (DeskWs             *ws);

/* The "test-gate" strategy: one parameter it ignores ("n"), one candle; its first
 * evaluation in a run waits, in the run's worker, until the gate opens,
 * and then says NO_TRADE, or fails as a stopped run does when released
 * with @abort. Register once, before the engine starts. */
void              desk_gate_register         (void);
/* Closed, and not entered yet. */
void              desk_gate_reset            (void);
void              desk_gate_release          (gboolean            abort);
/* A condition: a run waits at the gate. */
gboolean          desk_gate_is_entered       (gpointer            data);
/* Releases the gate with abort once @server's engine begins to stop, as a
 * shutdown stops a run. */
void              desk_gate_release_on_stop  (BourseTestServer   *server);
/* What a crash leaves: the row @id of @table (backtests, optimisations)
 * still running, without an end. */
void              desk_mark_running          (BourseTestServer   *server,
                                              const char         *table,
                                              gint64              id);
/* A Backtest or Optimisation a restart found unfinished: failed,
 * "interrupted", with an end. */
void              desk_assert_interrupted    (JsonNode           *record);

/* A MARKET order of BTCUSDT (@side BUY or SELL) through the API, asserting
 * that the paper broker filled it at once (a simulated server). */
void              desk_fill_btc              (BourseTestServer   *server,
                                              const char         *side,
                                              const char         *quantity);

G_END_DECLS
