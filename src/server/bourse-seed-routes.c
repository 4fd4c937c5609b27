/* bourse-seed-routes.c — the seeds' own paths, as deprecated aliases of the real routes
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Clients written against seed 003 (/auth/login, /recommendation, …) and
 * seed 004 (/api/system/status, /api/config, …, /ws) keep working: each of
 * their paths reaches the route that does the work here, with its
 * permission, handler and limits (bourse_router_add_alias). Where a seed's
 * request differs, a small adapter turns it into ours before the real
 * handler runs; nothing here decides anything the real route does not.
 * The answers are ours. docs/API.md, "Seed compatibility", lists them.
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

#include "bourse-server-private.h"

/* Seed 003 signs up without an e-mail address, which every account has
 * here (and must be unique): such an account gets "<username>@" this, a
 * domain that never resolves (RFC 6761), until its owner sets a real one
 * with PATCH /api/v1/users/me. */
#define NO_EMAIL_DOMAIN "no-email.invalid"

static void
call_real_route (BourseRequest *request)
{
  const BourseRoute *real = bourse_request_get_route (request)->alias_of;

  real->handler (request, real->user_data);
}

/* The member @name of the request's JSON body when it holds a value (a
 * string, a number…), else NULL; *body is NULL when the body is not a
 * JSON object (and the request answered). */
static JsonNode *
value_member (BourseRequest  *request,
              JsonObject    **body,
              const char     *name)
{
  JsonNode *node;

  if ((*body = bourse_request_get_json_object (request)) == NULL
      || (node = json_object_get_member (*body, name)) == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  return node;
}

/* POST /auth/register {"username","password","role"?}: the e-mail made
 * up when missing. "role" stays what it is on our route: ignored — a new
 * account is pending, with the default role, until an administrator
 * approves it. */
static void
register_cb (BourseRequest *request,
             gpointer       user_data)
{
  JsonObject *body;
  JsonNode *username = value_member (request, &body, "username");

  if (body == NULL)
    return;
  if (username != NULL && json_node_get_value_type (username) == G_TYPE_STRING
      && !json_object_has_member (body, "email"))
    {
      g_autofree char *email = g_strconcat (json_node_get_string (username), "@" NO_EMAIL_DOMAIN, NULL);

      json_object_set_string_member (body, "email", email);
    }
  call_real_route (request);
}

/* The shortest of "%.0f" … "%.8f" that reads back as @value: what the
 * client wrote, when it wrote at most 8 decimals. NULL when no such text
 * is (more decimals, or too large for any decimal of ours). */
static char *
number_to_decimal_text (double value)
{
  static const char * const formats[] = { "%.0f", "%.1f", "%.2f", "%.3f", "%.4f", "%.5f", "%.6f", "%.7f", "%.8f" };
  char text[64];

  if (!isfinite (value) || fabs (value) >= 1e15)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_ascii_strtod (g_ascii_formatd (text, sizeof text, formats[i], value), NULL) == value)
      return g_strdup (text);
  return NULL;
}

/* POST /trade/execute {"approval_id","quantity"?}: seed 003 sends the
 * quantity as a JSON number (0.01), ours is a decimal string. */
static void
trade_execute_cb (BourseRequest *request,
                  gpointer       user_data)
{
  JsonObject *body;
  JsonNode *quantity = value_member (request, &body, "quantity");

  if (body == NULL)
    return;
  if (quantity != NULL
      && (json_node_get_value_type (quantity) == G_TYPE_DOUBLE || json_node_get_value_type (quantity) == G_TYPE_INT64))
    {
      g_autofree char *text = json_node_get_value_type (quantity) == G_TYPE_INT64
                              ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (quantity))
                              : number_to_decimal_text (json_node_get_double (quantity));

      if (text == NULL)
        {
          bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "quantity",
                                            _("must be a decimal string with at most 8 decimals, such as “0.01”"));
          return;
        }
      json_object_set_string_member (body, "quantity", text);
    }
  call_real_route (request);
}

typedef struct
{
  const char         *method;         /* the real route's too */
  const char         *pattern;
  const char         *real_pattern;
  BourseRouteHandler  adapter;        /* NULL: the real route's handler */
  BourseRouteDoc      doc;
} SeedAlias;

/* The tag is the real route's once that is documented; the one here
 * stands until then. */
#define SEED_ALIAS(method, pattern, real, adapter, id_, tag_, summary_, ...) \
  { method, pattern, real, adapter, { .id = id_, .tag = tag_, .summary = summary_, \
                                      .deprecated = TRUE, .replaced_by = real, __VA_ARGS__ } }

static const SeedAlias seed_aliases[] = {
  /* Seed 003: the trading decision assistant. */
  SEED_ALIAS ("POST", "/auth/register", "/api/v1/auth/register", register_cb,
              "seed003Register", "Auth", "Sign up (seed 003)",
              .description = "Seed 003's sign-up. `email` may be left out (the account then gets "
                             "`<username>@" NO_EMAIL_DOMAIN "`, to be changed with PATCH /api/v1/users/me); "
                             "a `role` is ignored: the account is pending, with the default role, until an "
                             "administrator approves it.",
              .request = "{\"type\":\"object\",\"required\":[\"username\",\"password\"],\"properties\":{"
                         "\"username\":{\"type\":\"string\"},\"password\":{\"type\":\"string\"},"
                         "\"email\":{\"type\":\"string\"},"
                         "\"role\":{\"type\":\"string\",\"description\":\"Ignored\"}}}"),
  SEED_ALIAS ("POST", "/auth/login", "/api/v1/auth/login", NULL,
              "seed003Login", "Auth", "Sign in (seed 003)"),
  SEED_ALIAS ("POST", "/recommendation", "/api/v1/recommendations", NULL,
              "seed003Recommend", "Desk", "Ask for a recommendation (seed 003)"),
  SEED_ALIAS ("POST", "/approval/{id}/approve", "/api/v1/approvals/{id}/approve", NULL,
              "seed003Approve", "Desk", "Approve a recommendation (seed 003)"),
  SEED_ALIAS ("POST", "/approval/{id}/reject", "/api/v1/approvals/{id}/reject", NULL,
              "seed003Reject", "Desk", "Reject a recommendation (seed 003)"),
  SEED_ALIAS ("POST", "/trade/execute", "/api/v1/trade/execute", trade_execute_cb,
              "seed003ExecuteTrade", "Trading", "Execute an approved recommendation (seed 003)",
              .description = "Seed 003's execution: `quantity` may also be a JSON number with at most 8 "
                             "decimals (`0.01`).",
              .request = "{\"type\":\"object\",\"required\":[\"approval_id\"],\"properties\":{"
                         "\"approval_id\":{\"type\":\"integer\",\"minimum\":1},"
                         "\"quantity\":{\"oneOf\":[{\"$ref\":\"#/components/schemas/Decimal\"},"
                         "{\"type\":\"number\",\"exclusiveMinimum\":0}]}}}"),

  /* Seed 004: the control panel's API. */
  SEED_ALIAS ("GET", "/api/system/status", "/api/v1/system/status", NULL,
              "seed004GetSystemStatus", "System", "Read the engine's status (seed 004)"),
  SEED_ALIAS ("POST", "/api/system/mode", "/api/v1/system/mode", NULL,
              "seed004SetSystemMode", "Trading", "Change the trading mode (seed 004)"),
  SEED_ALIAS ("POST", "/api/system/start", "/api/v1/system/start", NULL,
              "seed004StartSystem", "Trading", "Start the trading loop (seed 004)"),
  SEED_ALIAS ("POST", "/api/system/stop", "/api/v1/system/stop", NULL,
              "seed004StopSystem", "Trading", "Stop the trading loop (seed 004)"),
  SEED_ALIAS ("POST", "/api/system/restart", "/api/v1/system/restart", NULL,
              "seed004RestartSystem", "Trading", "Restart the trading loop (seed 004)"),
  SEED_ALIAS ("GET", "/api/config", "/api/v1/config", NULL,
              "seed004GetConfig", "Operations", "Read the configuration (seed 004)"),
  SEED_ALIAS ("GET", "/api/config/{section}", "/api/v1/config/{section}", NULL,
              "seed004GetConfigSection", "Operations", "Read a configuration section (seed 004)"),
  SEED_ALIAS ("PUT", "/api/config/{section}", "/api/v1/config/{section}", NULL,
              "seed004PutConfigSection", "Operations", "Change a configuration section (seed 004)"),
  SEED_ALIAS ("POST", "/api/config/export", "/api/v1/config/export", NULL,
              "seed004ExportConfig", "Operations", "Export the configuration (seed 004)"),
  SEED_ALIAS ("POST", "/api/config/import", "/api/v1/config/import", NULL,
              "seed004ImportConfig", "Operations", "Import a configuration file (seed 004)"),
  /* Seed 004 writes /api/instruments/{id}: the instrument's id is its symbol here. */
  SEED_ALIAS ("GET", "/api/instruments", "/api/v1/instruments", NULL,
              "seed004ListInstruments", "Market", "List instruments (seed 004)"),
  SEED_ALIAS ("POST", "/api/instruments", "/api/v1/instruments", NULL,
              "seed004CreateInstrument", "Market", "Add an instrument (seed 004)"),
  SEED_ALIAS ("GET", "/api/instruments/{symbol}", "/api/v1/instruments/{symbol}", NULL,
              "seed004GetInstrument", "Market", "Read an instrument (seed 004)"),
  SEED_ALIAS ("PUT", "/api/instruments/{symbol}", "/api/v1/instruments/{symbol}", NULL,
              "seed004UpdateInstrument", "Market", "Change an instrument (seed 004)"),
  SEED_ALIAS ("DELETE", "/api/instruments/{symbol}", "/api/v1/instruments/{symbol}", NULL,
              "seed004DeleteInstrument", "Market", "Delete an instrument (seed 004)"),
  SEED_ALIAS ("GET", "/api/signals", "/api/v1/signals", NULL,
              "seed004ListSignals", "Strategies", "List signals (seed 004)"),
  SEED_ALIAS ("GET", "/api/signals/{id}", "/api/v1/signals/{id}", NULL,
              "seed004GetSignal", "Strategies", "Read a signal (seed 004)"),
  SEED_ALIAS ("POST", "/api/signals/filter", "/api/v1/signals/filter", NULL,
              "seed004FilterSignals", "Strategies", "Filter signals (seed 004)"),
  SEED_ALIAS ("GET", "/api/models", "/api/v1/models", NULL,
              "seed004ListModels", "Strategies", "List trained models (seed 004)"),
  SEED_ALIAS ("GET", "/api/models/{id}", "/api/v1/models/{id}", NULL,
              "seed004GetModel", "Strategies", "Read a trained model (seed 004)"),
  SEED_ALIAS ("POST", "/api/models/train", "/api/v1/models/train", NULL,
              "seed004TrainModel", "Strategies", "Train a model (seed 004)"),
  SEED_ALIAS ("POST", "/api/models/deploy", "/api/v1/models/deploy", NULL,
              "seed004DeployModel", "Strategies", "Deploy a model to a live strategy (seed 004)"),
  SEED_ALIAS ("GET", "/api/health", "/health", NULL,
              "seed004GetHealth", "System", "Check the server's health (seed 004)"),
  SEED_ALIAS ("GET", "/api/health/components", "/api/v1/health/components", NULL,
              "seed004GetComponentHealth", "System", "Read each component's health (seed 004)"),
  SEED_ALIAS ("GET", "/api/metrics", "/metrics", NULL,
              "seed004GetMetrics", "System", "Read the Prometheus metrics (seed 004)"),
  SEED_ALIAS ("GET", "/ws", "/api/v1/ws", NULL,
              "seed004OpenWebSocket", "System", "Open the live event stream (seed 004)"),
  /* Both seeds' READMEs send people to /docs for the API's reference. */
  SEED_ALIAS ("GET", "/docs", "/api/v1/docs", NULL,
              "seed004GetApiDocs", "System", "Read the API's reference as a web page (seeds 003 and 004)"),
};

void
_bourse_server_add_seed_routes (BourseServer *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (seed_aliases); i++)
    {
      const SeedAlias *alias = &seed_aliases[i];

      bourse_router_add_alias (self->router, alias->method, alias->pattern, alias->method, alias->real_pattern,
                               alias->adapter, &alias->doc);
    }

  /* /ws is upgraded by the same gate as /api/v1/ws, onto the same hub. */
  _bourse_server_add_websocket_path (self, "/ws");
}
