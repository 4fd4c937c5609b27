/* desk-test-util.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "strategy/bourse-strategy.h"

#include "desk-test-util.h"

/* Servers {{{ */

static BourseTestServer *
server_with (const char * const *first,
             const char * const *second)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  static const char * const fast[] = {
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    "auth", "secrets_backend", "file",
    NULL
  };

  for (guint i = 0; fast[i] != NULL; i++)
    g_ptr_array_add (all, (gpointer)fast[i]);
  for (guint i = 0; first != NULL && first[i] != NULL; i++)
    g_ptr_array_add (all, (gpointer)first[i]);
  for (guint i = 0; second != NULL && second[i] != NULL; i++)
    g_ptr_array_add (all, (gpointer)second[i]);
  g_ptr_array_add (all, NULL);

  return bourse_test_server_new (TRUE, (const char * const *)all->pdata);
}

BourseTestServer *
desk_server_new (const char * const *settings)
{
  return server_with (settings, NULL);
}

static gboolean
feed_is_live (gpointer data)
{
  BourseTestServer *server = data;
  g_autoptr(JsonNode) status = bourse_market_get_status (bourse_engine_get_market (server->engine));
  JsonArray *feeds = json_object_get_array_member (json_node_get_object (status), "feeds");

  return json_array_get_length (feeds) > 0
      && g_strcmp0 (json_object_get_string_member (json_array_get_object_element (feeds, 0), "state"), "live") == 0;
}

BourseTestServer *
desk_sim_server_new (const char         *days,
                     const char         *speed,
                     const char * const *settings)
{
  const char *sim[] = {
    "simulated", "enabled", "true",
    "simulated", "seed", "11",
    "simulated", "backfill_days", days,
    "simulated", "speed", speed,
    NULL
  };
  BourseTestServer *server = server_with (sim, settings);

  bourse_test_wait_until (feed_is_live, server, 60000, "the simulated market to go live");
  return server;
}

/* }}} */

/* Requests {{{ */

JsonObject *
desk_object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

gint64
desk_request_approval (BourseTestServer *server,
                       const char       *symbol,
                       const char       *token)
{
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"%s\",\"interval\":\"1h\",\"strategy\":\"A\","
                                           "\"last_n_days\":30,\"params\":{\"threshold\":0}}", symbol);
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/recommendations", token, body, 201);
  JsonObject *object = desk_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "decision"), !=, "NO_TRADE");
  g_assert_cmpint (json_object_get_int_member (object, "approval_id"), >, 0);
  return json_object_get_int_member (object, "approval_id");
}

JsonNode *
desk_fetch (BourseTestServer *server,
            const char       *method,
            const char       *path,
            const char       *token,
            const char       *body,
            guint            *status)
{
  g_autofree char *authorization = token ? g_strconcat ("Bearer ", token, NULL) : NULL;
  const char * const headers[] = { "Authorization", authorization, NULL };
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, method, path, token ? headers : NULL, body ? "application/json" : NULL, body, -1);

  *status = response->status;
  if (g_bytes_get_size (response->body) == 0)
    return NULL;
  return bourse_test_response_json (response);
}

JsonNode *
desk_expect (BourseTestServer *server,
             const char       *method,
             const char       *path,
             const char       *token,
             const char       *body,
             guint             expected)
{
  guint status = 0;
  JsonNode *node = desk_fetch (server, method, path, token, body, &status);

  if (status != expected)
    {
      g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("(no body)");
      g_error ("%s %s %s: expected %u, got %u: %s", method, path, body ? body : "", expected, status, text);
    }
  return node;
}

void
desk_expect_field (BourseTestServer *server,
                   const char       *method,
                   const char       *path,
                   const char       *token,
                   const char       *body,
                   guint             expected,
                   const char       *field)
{
  g_autoptr(JsonNode) node = desk_expect (server, method, path, token, body, expected);
  JsonArray *errors = json_object_get_array_member (desk_object (node), "errors");

  g_test_message ("%s %s → %s", method, body ? body : path,
                  json_object_get_string_member (desk_object (node), "detail"));
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==, field);
}

/* }}} */

/* Users {{{ */

static const char *
password_of (const char *role)
{
  if (g_str_equal (role, "admin"))
    return DESK_ADMIN_PASSWORD;
  if (g_str_equal (role, "trader"))
    return DESK_TRADER_PASSWORD;
  return DESK_VIEWER_PASSWORD;
}

gint64
desk_create_user (BourseTestServer *server,
                  const char       *name,
                  const char       *role)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\","
                                           "\"password\":\"%s\",\"role\":\"%s\"}",
                                           name, name, password_of (role), role);
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/users", NULL, body, 201);

  return json_object_get_int_member (desk_object (node), "id");
}

char *
desk_login (BourseTestServer *server,
            const char       *name,
            const char       *role)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", name, password_of (role));
  const char * const anonymous[] = { "Authorization", "", NULL };
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json", body, -1);
  g_autoptr(JsonNode) node = bourse_test_response_json (response);

  g_assert_cmpuint (response->status, ==, 200);
  return g_strdup (json_object_get_string_member (desk_object (node), "access_token"));
}

/* }}} */

/* Market data {{{ */

void
desk_add_instrument (BourseTestServer *server,
                     const char       *symbol,
                     BourseInterval    interval,
                     guint             n,
                     guint32           seed)
{
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"%s\",\"base_asset\":\"%.3s\",\"quote_asset\":\"USDT\","
                                           "\"tick_size\":\"0.01\",\"lot_step\":\"0.001\",\"source\":\"csv\"}",
                                           symbol, symbol);
  g_autoptr(JsonNode) created = desk_expect (server, "POST", "/api/v1/instruments", NULL, body, 201);
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GArray) candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  BourseStore *store = bourse_engine_get_store (server->engine);
  gint64 t = bourse_interval_align (interval, bourse_time_now_ms ());
  double price = 100;

  instrument = bourse_instruments_find (store, symbol, &error);
  g_assert_no_error (error);

  /* n candles that ended before the current one opened. */
  for (guint i = 0; i < n; i++)
    t = bourse_interval_align (interval, t - 1);
  for (guint i = 0; i < n; i++)
    {
      BourseCandle candle = { 0 };
      double open = price, close, high, low;

      close = MAX (open * (1 + g_rand_double_range (rand, -0.01, 0.01)), 1);
      high = MAX (open, close) * (1 + g_rand_double_range (rand, 0, 0.004));
      low = MIN (open, close) * (1 - g_rand_double_range (rand, 0, 0.004));
      candle.open_time = t;
      candle.open.units = (gint64)(open * 100) * 1000000;
      candle.close.units = (gint64)(close * 100) * 1000000;
      candle.high.units = MAX ((gint64)(high * 100 + 1) * 1000000, MAX (candle.open.units, candle.close.units));
      candle.low.units = MIN ((gint64)(low * 100) * 1000000, MIN (candle.open.units, candle.close.units));
      candle.volume.units = (gint64)g_rand_int_range (rand, 1, 1000) * 100000000;
      candle.closed = TRUE;
      g_array_append_val (candles, candle);
      price = close;
      t = bourse_interval_next (interval, t);
    }

  bourse_candles_upsert (store, instrument->id, interval, (const BourseCandle *)(gpointer)candles->data,
                         candles->len, NULL, &error);
  g_assert_no_error (error);
}

/* }}} */

/* Webhooks {{{ */

char *
desk_sign (const char *secret,
           const char *timestamp,
           const char *body)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)secret, strlen (secret));

  g_hmac_update (hmac, (const guchar *)timestamp, strlen (timestamp));
  g_hmac_update (hmac, (const guchar *)".", 1);
  g_hmac_update (hmac, (const guchar *)body, strlen (body));
  return g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
}

JsonNode *
desk_post_signal (BourseTestServer *server,
                  gint64            id,
                  const char       *secret,
                  gint64            timestamp,
                  const char       *body,
                  guint            *status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/signals/webhook/%" G_GINT64_FORMAT, id);
  g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);
  g_autofree char *signature = desk_sign (secret, ts, body);
  /* No bearer token: the signature is the credential. */
  const char * const headers[] = {
    "Authorization", "",
    "X-Bourse-Timestamp", ts,
    "X-Bourse-Signature", signature,
    NULL
  };
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", path, headers, "text/plain", body, -1);

  *status = response->status;
  return bourse_test_response_json (response);
}

/* }}} */

/* Audit {{{ */

JsonNode *
desk_audit (BourseTestServer *server,
            const char       *action)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/audit?action=%s&limit=500", action);
  g_autoptr(JsonNode) node = desk_expect (server, "GET", path, NULL, NULL, 200);
  JsonNode *items = json_object_dup_member (desk_object (node), "items");

  g_assert_nonnull (items);
  return items;
}

char *
desk_audit_text (BourseTestServer *server)
{
  guint status;
  g_autoptr(JsonNode) node = desk_fetch (server, "GET", "/api/v1/audit?limit=500", NULL, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return json_to_string (node, FALSE);
}

/* }}} */

/* WebSocket {{{ */

struct _DeskWs
{
  SoupWebsocketConnection *connection;
  GPtrArray               *messages;
  gboolean                 closed;
  GError                  *error;
};

static void
ws_message_cb (SoupWebsocketConnection *connection,
               int                      type,
               GBytes                  *message,
               DeskWs                  *ws)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_ptr_array_add (ws->messages, node);
}

static void
ws_closed_cb (SoupWebsocketConnection *connection,
              DeskWs                  *ws)
{
  ws->closed = TRUE;
}

static void
ws_connected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DeskWs *ws = user_data;

  ws->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &ws->error);
  if (ws->connection != NULL)
    {
      g_signal_connect (ws->connection, "message", G_CALLBACK (ws_message_cb), ws);
      g_signal_connect (ws->connection, "closed", G_CALLBACK (ws_closed_cb), ws);
    }
}

static gboolean
ws_connected (gpointer data)
{
  DeskWs *ws = data;

  return ws->connection != NULL || ws->error != NULL;
}

DeskWs *
desk_ws_connect (BourseTestServer *server,
                 const char       *token)
{
  DeskWs *ws = g_new0 (DeskWs, 1);
  g_autofree char *url = g_strconcat (server->base_url, "api/v1/ws?token=", token ? token : server->token, NULL);
  g_autoptr(SoupMessage) message = NULL;

  url[0] = 'w', url[1] = 's', memmove (url + 2, url + 4, strlen (url + 4) + 1);  /* http → ws */
  message = soup_message_new ("GET", url);
  ws->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  soup_session_websocket_connect_async (server->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, ws_connected_cb, ws);
  bourse_test_wait_until (ws_connected, ws, 5000, "WebSocket connection");
  g_assert_no_error (ws->error);
  return ws;
}

static guint
count_type (DeskWs     *ws,
            const char *type)
{
  guint n = 0;

  for (guint i = 0; i < ws->messages->len; i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (g_ptr_array_index (ws->messages, i)),
                                                               "type", NULL), type) == 0)
      n++;
  return n;
}

typedef struct
{
  DeskWs *ws;
  guint   answers;   /* "subscribed" and "error" before the request */
} Answer;

static gboolean
answered (gpointer data)
{
  Answer *answer = data;

  return count_type (answer->ws, "subscribed") + count_type (answer->ws, "error") > answer->answers;
}

/* Waits for this request's own answer, which also orders everything the
 * server sent this socket before it. */
gboolean
desk_ws_try_subscribe (DeskWs     *ws,
                       const char *topics_json)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"subscribe\",\"topics\":%s}", topics_json);
  guint errors = count_type (ws, "error");
  Answer answer = { ws, count_type (ws, "subscribed") + errors };

  soup_websocket_connection_send_text (ws->connection, text);
  bourse_test_wait_until (answered, &answer, 5000, "subscribed");
  return count_type (ws, "error") == errors;
}

void
desk_ws_subscribe (DeskWs     *ws,
                   const char *topics_json)
{
  g_assert_true (desk_ws_try_subscribe (ws, topics_json));
}

guint
desk_ws_count (DeskWs     *ws,
               const char *topic)
{
  guint n = 0;

  for (guint i = 0; i < ws->messages->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (ws->messages, i));

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), "event") == 0
          && g_strcmp0 (json_object_get_string_member_with_default (object, "topic", NULL), topic) == 0)
        n++;
    }
  return n;
}

typedef struct
{
  DeskWs     *ws;
  const char *topic;
  guint       count;
} Wanted;

static gboolean
has_wanted (gpointer data)
{
  Wanted *wanted = data;

  return desk_ws_count (wanted->ws, wanted->topic) >= wanted->count;
}

void
desk_ws_wait (DeskWs     *ws,
              const char *topic,
              guint       count)
{
  Wanted wanted = { ws, topic, count };

  bourse_test_wait_until (has_wanted, &wanted, 10000, topic);
}

JsonObject *
desk_ws_event (DeskWs     *ws,
               const char *topic,
               guint       nth)
{
  for (guint i = 0; i < ws->messages->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (ws->messages, i));

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), "event") == 0
          && g_strcmp0 (json_object_get_string_member_with_default (object, "topic", NULL), topic) == 0
          && nth-- == 0)
        return json_object_get_object_member (object, "data");
    }
  g_assert_not_reached ();
}

static gboolean
ws_is_closed (gpointer data)
{
  return ((DeskWs *)data)->closed;
}

void
desk_ws_free (DeskWs *ws)
{
  if (soup_websocket_connection_get_state (ws->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (ws->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      bourse_test_wait_until (ws_is_closed, ws, 5000, "WebSocket close");
    }
  g_signal_handlers_disconnect_by_data (ws->connection, ws);
  g_clear_object (&ws->connection);
  g_ptr_array_unref (ws->messages);
  g_free (ws);
}

/* }}} */

/* The gate {{{ */

/* A strategy that holds its run at its first evaluation until the test
 * opens the gate: a run still going, whatever the machine's speed. */

static GMutex gate_lock;
static GCond  gate_cond;
static gboolean gate_entered;
static gboolean gate_open;
static gboolean gate_abort;

#define TEST_TYPE_GATE (test_gate_get_type ())
G_DECLARE_FINAL_TYPE (TestGate, test_gate, TEST, GATE, GObject)

struct _TestGate
{
  GObject parent_instance;
};

static void test_gate_iface_init (BourseStrategyInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestGate, test_gate, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_STRATEGY, test_gate_iface_init))

static void test_gate_class_init (TestGateClass *klass) { }
static void test_gate_init (TestGate *self) { }

static const char *gate_get_id (BourseStrategy *self) { return "test-gate"; }
static const char *gate_get_version (BourseStrategy *self) { return "1"; }

/* One parameter it ignores, for an optimisation to have a space to search. */
static const BourseStrategyParam gate_params[] = {
  { "n", BOURSE_PARAM_INTEGER, 1, 1, 100, "Ignored", NULL },
};

static const BourseStrategyParam *
gate_get_parameters (BourseStrategy *self,
                     guint          *n_params)
{
  *n_params = G_N_ELEMENTS (gate_params);
  return gate_params;
}

static guint
gate_get_min_candles (BourseStrategy *self,
                      JsonObject     *params)
{
  return 1;
}

/* In the job's worker: waits for the gate; an abort is what a run says
 * when it is stopped. */
static gboolean
gate_evaluate (BourseStrategy             *self,
               const BourseStrategyInput  *input,
               JsonObject                 *params,
               BourseSignal               *signal,
               GError                    **error)
{
  gboolean abort;

  g_mutex_lock (&gate_lock);
  gate_entered = TRUE;
  g_cond_broadcast (&gate_cond);
  while (!gate_open)
    g_cond_wait (&gate_cond, &gate_lock);
  abort = gate_abort;
  g_mutex_unlock (&gate_lock);

  if (abort)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
      return FALSE;
    }
  signal->decision = BOURSE_DECISION_NO_TRADE;
  return TRUE;
}

static void
test_gate_iface_init (BourseStrategyInterface *iface)
{
  iface->get_id = gate_get_id;
  iface->get_name = gate_get_id;
  iface->get_version = gate_get_version;
  iface->get_parameters = gate_get_parameters;
  iface->get_min_candles = gate_get_min_candles;
  iface->evaluate = gate_evaluate;
}

void
desk_gate_reset (void)
{
  g_mutex_lock (&gate_lock);
  gate_entered = gate_open = gate_abort = FALSE;
  g_mutex_unlock (&gate_lock);
}

void
desk_gate_release (gboolean abort)
{
  g_mutex_lock (&gate_lock);
  gate_open = TRUE;
  gate_abort = abort;
  g_cond_broadcast (&gate_cond);
  g_mutex_unlock (&gate_lock);
}

gboolean
desk_gate_is_entered (gpointer data)
{
  gboolean entered;

  g_mutex_lock (&gate_lock);
  entered = gate_entered;
  g_mutex_unlock (&gate_lock);
  return entered;
}

static void
gate_engine_state_cb (BourseEngine *engine,
                      GParamSpec   *pspec,
                      gpointer      user_data)
{
  if (bourse_engine_get_state (engine) == BOURSE_ENGINE_STATE_STOPPING)
    desk_gate_release (TRUE);
}

void
desk_gate_release_on_stop (BourseTestServer *server)
{
  g_signal_connect (server->engine, "notify::state", G_CALLBACK (gate_engine_state_cb), NULL);
}

void
desk_mark_running (BourseTestServer *server,
                   const char       *table,
                   gint64            id)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET status = 'running', finished_at = NULL WHERE id = ?", table);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = bourse_store_prepare (bourse_engine_get_store (server->engine), sql, &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
}

void
desk_assert_interrupted (JsonNode *record)
{
  JsonObject *object = desk_object (record);

  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, "interrupted");
  g_assert_nonnull (json_object_get_string_member (object, "finished_at"));
}

void
desk_gate_register (void)
{
  bourse_strategies_ensure ();
  g_io_extension_point_implement (BOURSE_STRATEGY_EXTENSION_POINT_NAME, TEST_TYPE_GATE, "test-gate", 0);
}

/* }}} */

/* Orders {{{ */

void
desk_fill_btc (BourseTestServer *server,
               const char       *side,
               const char       *quantity)
{
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"BTCUSDT\",\"side\":\"%s\",\"type\":\"MARKET\","
                                           "\"quantity\":\"%s\"}", side, quantity);
  g_autoptr(JsonNode) order = desk_expect (server, "POST", "/api/v1/orders", NULL, body, 201);

  g_assert_cmpstr (json_object_get_string_member (desk_object (order), "status"), ==, "FILLED");
}

/* }}} */
