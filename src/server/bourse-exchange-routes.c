/* bourse-exchange-routes.c — the exchange, its keys, and reconciliation (docs/LIVE.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "core/bourse-json.h"
#include "exchange/bourse-exchange-keys.h"

#include "bourse-server-private.h"

#define RECONCILIATIONS_LIMIT 20
#define RECONCILIATIONS_MAX   100

static BourseTrading *
trading_of (BourseRequest *request)
{
  return bourse_engine_get_trading (bourse_request_get_engine (request));
}

static BourseStore *
store_of (BourseRequest *request)
{
  return bourse_engine_get_store (bourse_request_get_engine (request));
}

static BourseSecrets *
secrets_of (BourseRequest *request)
{
  return bourse_auth_get_secrets (bourse_request_get_auth (request));
}

/* GET /exchange {{{ */

static JsonNode *
exchange_json (BourseEngine  *engine,
               GError       **error)
{
  BourseConfig *config = bourse_engine_get_config (engine);
  BourseTrading *trading = bourse_engine_get_trading (engine);
  const char *base_url = bourse_config_get_string (config, "binance", "base_url");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) keys = NULL;
  g_autoptr(JsonNode) last = NULL;
  g_autoptr(JsonNode) connection = NULL;
  JsonArray *items;

  keys = bourse_exchange_keys_json (bourse_engine_get_store (engine),
                                    bourse_auth_get_secrets (bourse_engine_get_auth (engine)), config, error);
  last = keys != NULL ? bourse_trading_reconciliations_json (trading, 1, 0, error) : NULL;
  if (last == NULL)
    return NULL;
  connection = bourse_broker_status_json (bourse_trading_get_broker (trading));
  items = json_object_get_array_member (json_node_get_object (last), "items");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "venue");
  json_builder_add_string_value (builder, "binance");
  json_builder_set_member_name (builder, "base_url");
  json_builder_add_string_value (builder, base_url);
  json_builder_set_member_name (builder, "testnet");
  json_builder_add_boolean_value (builder, strstr (base_url, "testnet") != NULL);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, bourse_trading_get_mode (trading));
  json_builder_set_member_name (builder, "keys");
  json_builder_add_value (builder, g_steal_pointer (&keys));
  json_builder_set_member_name (builder, "connection");
  if (connection != NULL)
    json_builder_add_value (builder, g_steal_pointer (&connection));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "last_reconciliation");
  if (json_array_get_length (items) > 0)
    json_builder_add_value (builder, json_node_copy (json_array_get_element (items, 0)));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
reply_exchange (BourseRequest *request,
                guint          status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = exchange_json (bourse_request_get_engine (request), &error);

  if (node == NULL)
    bourse_request_reply_error (request, error, 0);
  else
    bourse_request_reply_json (request, status, node);
}

static void
exchange_get_cb (BourseRequest *request,
                 gpointer       user_data)
{
  reply_exchange (request, SOUP_STATUS_OK);
}

/* }}} */

/* PUT /exchange/keys, POST /exchange/keys/check {{{ */

static void
keys_checked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BourseRequestHold *hold = user_data;
  BourseRequest *request = bourse_request_hold_get_request (hold);
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseExchangeKeyCheck) check = bourse_exchange_keys_check_finish (result, &error);

  if (request != NULL)
    {
      if (check == NULL)
        bourse_request_reply_error (request, error, 0);
      else
        reply_exchange (request, SOUP_STATUS_OK);
    }
  bourse_request_hold_release (hold);
}

static gboolean
refuse_while_live (BourseRequest *request)
{
  if (!g_str_equal (bourse_trading_get_mode (trading_of (request)), "live"))
    return FALSE;
  bourse_request_reply_field_error (request, SOUP_STATUS_CONFLICT, "mode",
                                    _("The keys trade live now: switch to paper before changing them"));
  return TRUE;
}

static void
keys_put_cb (BourseRequest *request,
             gpointer       user_data)
{
  BourseEngine *engine = bourse_request_get_engine (request);
  JsonObject *body = bourse_request_get_json_object (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GBytes) secret_bytes = NULL;
  const char *api_key = NULL, *secret = NULL;
  BourseAuthContext context;

  if (body == NULL || !bourse_request_get_string_member (request, body, "api_key", TRUE, &api_key)
      || !bourse_request_get_string_member (request, body, "secret", TRUE, &secret)
      || refuse_while_live (request))
    return;
  bourse_request_get_context (request, &context);
  secret_bytes = g_bytes_new (secret, strlen (secret));
  bourse_exchange_keys_enter_async (store_of (request), secrets_of (request), bourse_request_get_auth (request),
                                    bourse_engine_get_config (engine), api_key, secret_bytes, principal->actor,
                                    &context, NULL, keys_checked_cb, bourse_request_hold (request));
}

static void
keys_check_cb (BourseRequest *request,
               gpointer       user_data)
{
  BourseEngine *engine = bourse_request_get_engine (request);

  bourse_exchange_keys_recheck_async (store_of (request), secrets_of (request), bourse_request_get_auth (request),
                                      bourse_engine_get_config (engine), NULL, keys_checked_cb,
                                      bourse_request_hold (request));
}

/* }}} */

/* DELETE /exchange/keys {{{ */

static void
keys_delete_cb (BourseRequest *request,
                gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  BourseAuthContext context;

  if (refuse_while_live (request))
    return;
  bourse_request_get_context (request, &context);
  if (!bourse_exchange_keys_delete (store_of (request), secrets_of (request), bourse_request_get_auth (request),
                                    principal->actor, &context, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

/* }}} */

/* Reconciliation {{{ */

static void
reconciled_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BourseRequestHold *hold = user_data;
  BourseRequest *request = bourse_request_hold_get_request (hold);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = bourse_trading_reconcile_finish (BOURSE_TRADING (source), result, &error);

  if (request != NULL)
    {
      if (report == NULL)
        bourse_request_reply_error (request, error, 0);
      else
        bourse_request_reply_json (request, SOUP_STATUS_OK, report);
    }
  bourse_request_hold_release (hold);
}

static void
reconcile_cb (BourseRequest *request,
              gpointer       user_data)
{
  BourseAuthContext context;
  BourseTradingCaller caller = _bourse_server_trading_caller (request, &context);

  if (!bourse_broker_is_venue (bourse_trading_get_broker (trading_of (request))))
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_CONFLICT, "mode",
                                        _("The paper book has no exchange to reconcile with"));
      return;
    }
  /* The caller's context is the request's: the reconciliation keeps only
   * the actor. */
  bourse_trading_reconcile_async (trading_of (request), "request", &caller, NULL, reconciled_cb,
                                  bourse_request_hold (request));
}

static void
reconciliations_cb (BourseRequest *request,
                    gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 limit = RECONCILIATIONS_LIMIT, cursor = 0;

  if (!bourse_request_get_int_query (request, "limit", 1, RECONCILIATIONS_MAX, &limit)
      || !bourse_request_get_cursor_query (request, &cursor))
    return;
  node = bourse_trading_reconciliations_json (trading_of (request), (guint) limit, cursor, &error);
  if (node == NULL)
    bourse_request_reply_error (request, error, 0);
  else
    bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

/* }}} */

static const BourseParamDoc reconciliations_params[] = {
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":20}", NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseRouteSpec exchange_routes[] = {
  { "GET", "/api/v1/exchange", "exchange.read", exchange_get_cb, {
      .id = "getExchange", .tag = "Exchange", .summary = "Read the exchange, its keys' check and the connection",
      .description = "Never a key: only a hint of the API key and what its check found.",
      .response = "Exchange" } },
  { "PUT", "/api/v1/exchange/keys", "exchange.keys", keys_put_cb, {
      .id = "setExchangeKeys", .tag = "Exchange", .summary = "Check keys with the exchange and keep them",
      .description = "Checked with Binance (GET /api/v3/account), then kept in the keyring. 422 naming api_key or "
                     "secret when Binance refuses them, or they can withdraw or cannot trade (nothing is kept); "
                     "409 naming mode while live; 502 or 503 when Binance fails or cannot be reached.",
      .request = "ExchangeKeysRequest", .response = "Exchange", .errors = "409 422 502 503" } },
  { "POST", "/api/v1/exchange/keys/check", "exchange.keys", keys_check_cb, {
      .id = "checkExchangeKeys", .tag = "Exchange", .summary = "Check the kept keys again",
      .description = "The kept keys, or those of the environment: keys.problem says what failed. 409 naming "
                     "keys when there are none.",
      .response = "Exchange", .errors = "409 422 502 503" } },
  { "DELETE", "/api/v1/exchange/keys", "exchange.keys", keys_delete_cb, {
      .id = "deleteExchangeKeys", .tag = "Exchange", .summary = "Forget the exchange keys",
      .description = "409 naming mode while live.",
      .status = 204, .errors = "409" } },
  { "POST", "/api/v1/system/reconcile", "system.control", reconcile_cb, {
      .id = "reconcile", .tag = "Exchange", .summary = "Reconcile the book with the exchange",
      .description = "409 naming mode on paper; 502 or 503 when the exchange fails or cannot be reached.",
      .response = "Reconciliation", .errors = "409 502 503" } },
  { "GET", "/api/v1/system/reconciliations", "exchange.read", reconciliations_cb, {
      .id = "listReconciliations", .tag = "Exchange", .summary = "List the reconciliations",
      .description = "Newest first.",
      .params = reconciliations_params, .response = "page:Reconciliation", .errors = "422" } },
};

void
_bourse_server_add_exchange_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, exchange_routes, G_N_ELEMENTS (exchange_routes), self);
}
