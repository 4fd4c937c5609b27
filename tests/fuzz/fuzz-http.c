/* fuzz-http.c — request bodies and queries through the real router
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An engine and its server run in this process (fuzz-engine.c); each input
 * is one request to it over a kept-alive loopback connection, as a remote
 * client sends it.
 *
 * Input: a route byte, a flags byte (who asks, and the Content-Type), then
 * the query up to the first newline, then the body. The public routes
 * (sign-in, sign-up, refresh, password reset, webhook intake) and the
 * routes that take a body or a query are reached as an administrator, a
 * trader, anonymously or with a forged credential. Every answer must come,
 * must not be a 500, and must be JSON when it says it is.
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"

#include "fuzz-engine.h"
#include "fuzz-util.h"
#include "fuzz-wire.h"

typedef struct
{
  const char *method;
  const char *path;     /* "{user}", "{strategy}", "{hook}": made at start */
} Route;

static const Route routes[] = {
  { "POST", "/api/v1/auth/login" },
  { "POST", "/api/v1/auth/register" },
  { "POST", "/api/v1/auth/refresh" },
  { "POST", "/api/v1/auth/password-reset/request" },
  { "POST", "/api/v1/auth/password-reset/confirm" },
  { "POST", "/api/v1/setup" },
  { "POST", "/api/v1/signals/webhook/{hook}" },
  { "PATCH", "/api/v1/users/me" },
  { "POST", "/api/v1/users" },
  { "PATCH", "/api/v1/users/{user}" },
  { "POST", "/api/v1/users/{user}/reset-password" },
  { "POST", "/api/v1/users/{user}/decline" },
  { "POST", "/api/v1/api-keys" },
  { "POST", "/api/v1/instruments" },
  { "PUT", "/api/v1/instruments/BTCUSDT" },
  { "POST", "/api/v1/strategies" },
  { "PUT", "/api/v1/strategies/{strategy}" },
  { "POST", "/api/v1/recommendations" },
  { "POST", "/api/v1/approvals/1/approve" },
  { "POST", "/api/v1/approvals/1/reject" },
  { "POST", "/api/v1/signals/filter" },
  { "POST", "/api/v1/market/download" },
  { "POST", "/api/v1/market/import?symbol=BTCUSDT&interval=1m" },
  { "POST", "/api/v1/models/train" },
  { "POST", "/api/v1/models/deploy" },
  { "POST", "/api/v1/webhooks" },
  { "GET", "/api/v1/audit" },
  { "GET", "/api/v1/users" },
  { "GET", "/api/v1/sessions" },
  { "GET", "/api/v1/api-keys" },
  { "GET", "/api/v1/instruments" },
  { "GET", "/api/v1/market/candles/BTCUSDT" },
  { "GET", "/api/v1/market/candles/BTCUSDT?interval=1h&before=latest&limit=5&cursor=9" },
  { "GET", "/api/v1/market/ticker/BTCUSDT" },
  { "GET", "/api/v1/market/export" },
  { "GET", "/api/v1/strategies" },
  { "GET", "/api/v1/recommendations" },
  { "GET", "/api/v1/approvals" },
  { "GET", "/api/v1/signals" },
  { "GET", "/api/v1/jobs" },
  { "GET", "/api/v1/models" },
  { "GET", "/api/v1/webhooks" },
  /* Trading (docs/TRADING.md): orders, their dry run, the ledger's reads,
   * risk and the mode. Stop and halt are left out: they would only make
   * every later order a 409. */
  { "POST", "/api/v1/orders" },
  { "POST", "/api/v1/orders?dry_run=true" },
  { "GET", "/api/v1/orders" },
  { "DELETE", "/api/v1/orders" },
  { "GET", "/api/v1/fills" },
  { "POST", "/api/v1/trades" },
  { "GET", "/api/v1/trades" },
  { "POST", "/api/v1/approvals/1/execute" },
  { "POST", "/api/v1/trade/execute" },
  { "GET", "/api/v1/portfolio/equity" },
  { "GET", "/api/v1/portfolio/calendar" },
  { "GET", "/api/v1/balances/history" },
  { "PUT", "/api/v1/risk/global" },
  { "PUT", "/api/v1/risk/profile" },
  { "POST", "/api/v1/system/mode" },
  /* Live (docs/LIVE.md): the exchange's status, its keys (the fuzzer's
   * engine has no exchange: PUT reaches the body's checks and the check's
   * failure), reconciliation (409 on paper) and its history. */
  { "GET", "/api/v1/exchange" },
  { "PUT", "/api/v1/exchange/keys" },
  { "POST", "/api/v1/exchange/keys/check" },
  { "DELETE", "/api/v1/exchange/keys" },
  { "POST", "/api/v1/system/reconcile" },
  { "GET", "/api/v1/system/reconciliations" },
  /* Backtests (docs/BACKTESTS.md): the request's checks, the list, a note, a comparison. */
  { "POST", "/api/v1/backtests" },
  { "GET", "/api/v1/backtests" },
  { "PATCH", "/api/v1/backtests/1" },
  { "POST", "/api/v1/backtests/compare" },
  /* Optimisations: the search's checks on top of a backtest's, a note, applying a result. */
  { "POST", "/api/v1/optimisations" },
  { "GET", "/api/v1/optimisations" },
  { "PATCH", "/api/v1/optimisations/1" },
  { "POST", "/api/v1/optimisations/1/apply" },
  /* Logs (docs/OPERATIONS.md): the ring's filters and cursor. */
  { "GET", "/api/v1/logs?level=info&domain=bourse-server&since=2026-01-01T00:00:00Z&limit=5&cursor=9" },
  /* The scheduler (docs/OPERATIONS.md): the runs' query. */
  { "GET", "/api/v1/scheduler/runs?job=heartbeat&limit=5&cursor=9" },
  { "GET", "/api/v1/scheduler/jobs" },
  /* Configuration (docs/OPERATIONS.md): a section's values, and an import
   * as a dry run (a real one could change what the next requests meet). */
  { "PUT", "/api/v1/config/approvals" },
  { "POST", "/api/v1/config/import?dry_run=true" },
  /* Notifications (docs/OPERATIONS.md): history filters, preferences, defaults, test sends, devices. */
  { "GET", "/api/v1/notifications?status=sent&event=order.filled&channel=email&limit=5&cursor=9" },
  { "PUT", "/api/v1/notifications/preferences" },
  { "PUT", "/api/v1/notifications/defaults" },
  { "POST", "/api/v1/notifications/test" },
  { "POST", "/api/v1/devices" },
  { "GET", "/api/v1/devices" },
  /* The seeds' paths (bourse-seed-routes.c): the adapters that rewrite a
   * body (sign-up without e-mail, a quantity as a number) and the aliases
   * that take a body or a query. */
  { "POST", "/auth/register" },
  { "POST", "/auth/login" },
  { "POST", "/recommendation" },
  { "POST", "/approval/1/approve" },
  { "POST", "/approval/1/reject" },
  { "POST", "/trade/execute" },
  { "POST", "/api/system/mode" },
  { "PUT", "/api/config/approvals" },
  { "POST", "/api/config/import?dry_run=true" },
  { "POST", "/api/instruments" },
  { "PUT", "/api/instruments/BTCUSDT" },
  { "GET", "/api/signals" },
  { "POST", "/api/signals/filter" },
  { "GET", "/api/models" },
  { "POST", "/api/models/train" },
  { "POST", "/api/models/deploy" },
};

static const char * const content_types[] = {
  "application/json", "application/json; charset=utf-8", "Application/JSON", NULL,
  "text/plain", "text/csv", "application/problem+json", "application/x-www-form-urlencoded",
};

static BourseFuzzEngine *engine;
static BourseFuzzWire *wire;
static char *paths[G_N_ELEMENTS (routes)];
static char *trader_token;

/* A request of the set-up, which must succeed; returns its JSON answer. */
static JsonObject *
setup_request (const char *method,
               const char *path,
               const char *token,
               const char *body,
               guint       expected)
{
  g_autofree char *bearer = token ? g_strconcat ("Bearer ", token, NULL) : NULL;
  const char * const headers[] = { "Content-Type", "application/json", bearer ? "Authorization" : NULL, bearer, NULL };
  g_autoptr(BourseFuzzAnswer) answer = bourse_fuzz_wire_request (wire, method, path, headers, body, strlen (body));
  g_autoptr(JsonNode) root = bourse_json_parse ((const char *)answer->body->data, answer->body->len, 0, NULL);

  if (answer->status != expected || root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    g_error ("Set-up: %s %s answered %u: %.*s", method, path, answer->status, (int)answer->body->len,
             (const char *)answer->body->data);
  return json_object_ref (json_node_get_object (root));
}

/* libsoup's leak on each accepted connection is not ours to find. */
static void
connect_cb (gboolean connecting,
            gpointer data)
{
  bourse_fuzz_server_ignore_leaks (engine, connecting);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(JsonObject) user = NULL;
  g_autoptr(JsonObject) tokens = NULL;
  g_autoptr(JsonObject) strategy = NULL;
  g_autoptr(JsonObject) hook = NULL;

  bourse_fuzz_init_logging ();
  engine = bourse_fuzz_server_new (NULL);
  wire = bourse_fuzz_wire_new (engine->port);
  bourse_fuzz_wire_set_connect_func (wire, connect_cb, NULL);

  /* Something for the routes to find besides the instruments every
   * engine starts with: a trader, a live strategy, a webhook. */
  user = setup_request ("POST", "/api/v1/users", engine->token,
                        "{\"username\":\"trader\",\"email\":\"trader@example.org\","
                        "\"password\":\"a long and winding road 42\",\"role\":\"trader\"}", 201);
  tokens = setup_request ("POST", "/api/v1/auth/login", NULL,
                          "{\"username\":\"trader\",\"password\":\"a long and winding road 42\"}", 200);
  trader_token = g_strdup (json_object_get_string_member (tokens, "access_token"));
  strategy = setup_request ("POST", "/api/v1/strategies", engine->token,
                            "{\"name\":\"AR on BTC\",\"strategy\":\"A\",\"symbol\":\"BTCUSDT\",\"interval\":\"1h\"}",
                            201);
  hook = setup_request ("POST", "/api/v1/webhooks", engine->token, "{\"name\":\"TradingView\"}", 201);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autofree char *id = NULL;
      g_auto(GStrv) parts = NULL;
      const char *placeholder = strstr (routes[i].path, "{user}") ? "{user}"
                              : strstr (routes[i].path, "{strategy}") ? "{strategy}"
                              : strstr (routes[i].path, "{hook}") ? "{hook}" : NULL;
      JsonObject *object = placeholder == NULL ? NULL
                         : g_str_equal (placeholder, "{user}") ? user
                         : g_str_equal (placeholder, "{strategy}") ? strategy : hook;

      if (placeholder == NULL)
        {
          paths[i] = g_strdup (routes[i].path);
          continue;
        }
      id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (object, "id"));
      parts = g_strsplit (routes[i].path, placeholder, 2);
      paths[i] = g_strconcat (parts[0], id, parts[1], NULL);
    }
  return 0;
}

/* libsoup closes a connection whose request head passes 64 KiB, without an
 * answer (tests/integration/test-security.c checks that, and that the
 * server goes on): the fuzzer's targets stay well below, so every request
 * it sends must be answered. */
#define TARGET_MAX (16 * 1024)

/* The query as the fuzzer wrote it, escaped where a request line needs it;
 * "%" stays, so that broken escapes reach the server too. */
static void
append_query (GString      *target,
              const guint8 *query,
              gsize         length)
{
  if (length == 0)
    return;
  g_string_append_c (target, strchr (target->str, '?') ? '&' : '?');
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = query[i];

      if (c > 0x20 && c < 0x7f && c != '#' && c != '?')
        g_string_append_c (target, c);
      else
        g_string_append_printf (target, "%%%02X", c);
      if (target->len >= TARGET_MAX)
        break;
    }
}

static void
check_answer (const char       *method,
              const char       *target,
              BourseFuzzAnswer *answer)
{
  if (answer->status >= 500 && answer->status != 502 && answer->status != 503)
    g_printerr ("%s %s answered %u: %.*s\n", method, target, answer->status, (int)answer->body->len,
                (const char *)answer->body->data);
  FUZZ_CHECK (answer->status >= 200 && (answer->status < 500 || answer->status == 502 || answer->status == 503));

  if (answer->content_type != NULL
      && (g_str_has_prefix (answer->content_type, "application/json")
          || g_str_has_prefix (answer->content_type, "application/problem+json")))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (!json_parser_load_from_data (parser, (const char *)answer->body->data, answer->body->len, &error))
        g_printerr ("%s %s answered %u with JSON that is not: %s\n", method, target, answer->status, error->message);
      FUZZ_CHECK (error == NULL);
    }
  /* libsoup answers a request line it cannot parse itself, with nothing. */
  if (answer->status == 400 && answer->content_type == NULL && answer->body->len == 0)
    return;
  if (answer->status >= 400
      && (answer->content_type == NULL || !g_str_has_prefix (answer->content_type, "application/problem+json")))
    g_printerr ("%s %s answered %u as %s: %.*s\n", method, target, answer->status, answer->content_type,
                (int)answer->body->len, (const char *)answer->body->data);
  if (answer->status >= 400)
    FUZZ_CHECK (answer->content_type != NULL && g_str_has_prefix (answer->content_type, "application/problem+json"));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BourseFuzzAnswer) answer = NULL;
  g_autoptr(GString) target = NULL;
  g_autofree char *authorization = NULL;
  const char *headers[7] = { NULL };
  const guint8 *newline, *body;
  const char *content_type;
  gsize body_length;
  guint route, n = 0;

  if (size < 2)
    return 0;
  route = data[0] % G_N_ELEMENTS (routes);
  content_type = content_types[(data[1] >> 2) % G_N_ELEMENTS (content_types)];

  switch (data[1] & 3)
    {
    case 0:
      authorization = g_strconcat ("Bearer ", engine->token, NULL);
      break;
    case 1:
      authorization = g_strconcat ("Bearer ", trader_token, NULL);
      break;
    case 2:
      break;
    default:
      /* A forged token: the trader's with its last character changed. */
      authorization = g_strconcat ("Bearer ", trader_token, NULL);
      authorization[strlen (authorization) - 1] ^= 1;
      break;
    }
  if (authorization != NULL)
    {
      headers[n++] = "Authorization";
      headers[n++] = authorization;
    }
  if (content_type != NULL)
    {
      headers[n++] = "Content-Type";
      headers[n++] = content_type;
    }

  data += 2, size -= 2;
  newline = memchr (data, '\n', size);
  target = g_string_new (paths[route]);
  append_query (target, data, newline ? (gsize)(newline - data) : 0);
  body = newline ? newline + 1 : data;
  body_length = size - (body - data);

  answer = bourse_fuzz_wire_request (wire, routes[route].method, target->str, headers,
                                     g_str_equal (routes[route].method, "GET") ? NULL : body,
                                     body_length);
  check_answer (routes[route].method, target->str, answer);
  return 0;
}
