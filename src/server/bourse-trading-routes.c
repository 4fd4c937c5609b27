/* bourse-trading-routes.c — orders, manual trades, executing approvals, the trading loop (docs/TRADING.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

#include "bourse-server-private.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     500

static BourseTrading *
trading_of (BourseRequest *request)
{
  return bourse_engine_get_trading (bourse_request_get_engine (request));
}

/* Who asks; @context must outlive the caller. */
BourseTradingCaller
_bourse_server_trading_caller (BourseRequest     *request,
                               BourseAuthContext *context)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);

  bourse_request_get_context (request, context);
  return (BourseTradingCaller) {
    principal->actor, principal->user_id, context,
    bourse_role_has_permission (principal->role, "orders.manage"),
  };
}

/* @status with the order and its fills, or @error when there is no
 * order (read after the call that filled it). */
static void
reply_order (BourseRequest      *request,
             guint               status,
             const BourseOrder  *order,
             GError            **error)
{
  g_autoptr(JsonNode) node = NULL;

  if (order != NULL)
    node = bourse_trading_order_json (trading_of (request), order, error);
  if (node == NULL)
    bourse_request_reply_error (request, *error, 0);
  else
    bourse_request_reply_json (request, status, node);
}

/* One of @words, or a 422 naming @field. */
static gboolean
word_member (BourseRequest      *request,
             JsonObject         *body,
             const char         *field,
             gboolean            required,
             gboolean          (*parse) (const char *, int *),
             const char         *expected,
             gboolean           *present,
             int                *value)
{
  const char *text = NULL;

  *present = FALSE;
  if (!bourse_request_get_string_member (request, body, field, required, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!parse (text, value))
    {
      g_autofree char *message = g_strdup_printf (_("must be one of %s"), expected);

      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, message);
      return FALSE;
    }
  *present = TRUE;
  return TRUE;
}

/* The members an order and a manual trade share. */
static gboolean
parse_order_body (BourseRequest      *request,
                  JsonObject         *body,
                  gboolean            manual_trade,
                  BourseOrderRequest *order)
{
  gboolean present;
  int side = 0, type = BOURSE_ORDER_MARKET, tif = 0;

  if (!bourse_request_get_string_member (request, body, "symbol", TRUE, &order->symbol)
      || !word_member (request, body, "side", TRUE, (gpointer) bourse_side_parse, "BUY, SELL", &present, &side)
      || (!manual_trade
          && !word_member (request, body, "type", TRUE, (gpointer) bourse_order_type_parse,
                           "MARKET, LIMIT, STOP_LOSS_LIMIT, TAKE_PROFIT_LIMIT", &present, &type))
      || (!manual_trade
          && !word_member (request, body, "time_in_force", FALSE, (gpointer) bourse_time_in_force_parse,
                           "GTC, IOC, FOK", &order->has_time_in_force, &tif))
      || !bourse_request_get_decimal_member (request, body, "quantity", FALSE, &order->has_quantity,
                                             &order->quantity)
      || !bourse_request_get_decimal_member (request, body, "quote_quantity", FALSE, &order->has_quote_quantity,
                                             &order->quote_quantity)
      || (!manual_trade
          && !bourse_request_get_decimal_member (request, body, "price", FALSE, &order->has_price, &order->price))
      || (!manual_trade
          && !bourse_request_get_decimal_member (request, body, "stop_price", FALSE, &order->has_stop_price,
                                                 &order->stop_price))
      || !bourse_request_get_decimal_member (request, body, "stop_loss", FALSE,
                                             &order->has_stop_loss, &order->stop_loss)
      || !bourse_request_get_decimal_member (request, body, "take_profit", FALSE, &order->has_take_profit,
                                             &order->take_profit)
      || (!manual_trade
          && !bourse_request_get_string_member (request, body, "client_order_id", FALSE, &order->client_order_id))
      || !bourse_request_get_boolean_member (request, body, "confirm", &order->confirmed))
    return FALSE;
  order->side = side;
  order->type = type;
  order->time_in_force = tif;
  if (manual_trade)
    order->purpose = NULL;
  return TRUE;
}

/* Orders {{{ */

/* ?dry_run=true: what the order would be and cost, or why it would be
 * refused (@error, read after the call that filled it); nothing is stored. */
static void
reply_check (BourseRequest             *request,
             const BourseOrder         *order,
             const BourseOrderEstimate *estimate,
             GError                   **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (order == NULL)
    {
      bourse_request_reply_error (request, *error, 0);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "order");
  json_builder_add_value (builder, bourse_order_to_json (order, NULL));
  json_builder_set_member_name (builder, "estimate");
  json_builder_begin_object (builder);
  bourse_json_builder_add_decimal (builder, "price", &estimate->price);
  bourse_json_builder_add_decimal (builder, "notional", &estimate->notional);
  bourse_json_builder_add_decimal (builder, "fee", &estimate->fee);
  bourse_json_builder_add_decimal (builder, "fee_rate", &estimate->fee_rate);
  json_builder_set_member_name (builder, "liquidity");
  json_builder_add_string_value (builder, "taker");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
orders_create_cb (BourseRequest *request,
                  gpointer       user_data)
{
  BourseOrderRequest order_request = { 0 };
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseTradingCaller caller;
  JsonObject *body;
  gboolean created = FALSE, dry_run = FALSE;

  if (!bourse_request_get_boolean_query (request, "dry_run", &dry_run)
      || (body = bourse_request_get_json_object (request)) == NULL
      || !parse_order_body (request, body, FALSE, &order_request))
    return;
  caller = _bourse_server_trading_caller (request, &context);
  if (dry_run)
    {
      BourseOrderEstimate estimate;

      order = bourse_trading_check_order (trading_of (request), &order_request, &caller, &estimate, &error);
      reply_check (request, order, &estimate, &error);
      return;
    }
  order = bourse_trading_place_order (trading_of (request), &order_request, &caller, &created, &error);
  reply_order (request, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, order, &error);
}

static void
orders_list_cb (BourseRequest *request,
                gpointer       user_data)
{
  static const char * const statuses[] = { "open", "closed", NULL };
  BourseTrading *trading = trading_of (request);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  BourseOrderFilter filter = {
    .account_id = bourse_portfolio_get_account (bourse_trading_get_portfolio (trading))->id,
  };
  gint64 limit = DEFAULT_LIMIT;
  gboolean more = FALSE;

  if (!bourse_request_get_enum_query (request, "status", statuses, &filter.status)
      || !bourse_request_get_symbol_query (request, "symbol", FALSE, &filter.symbol)
      || !bourse_request_get_int_query (request, "since_id", 0, G_MAXINT64, &filter.since_id)
      || !bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &filter.before_id))
    return;
  filter.limit = (guint) limit;
  orders = bourse_orders_list (bourse_engine_get_store (bourse_request_get_engine (request)), &filter, &more,
                               &error);
  if (orders == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < orders->len; i++)
    json_builder_add_value (builder, bourse_order_to_json (g_ptr_array_index (orders, i), NULL));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, more && filter.since_id == 0,
                                       orders->len > 0 ? ((BourseOrder *) g_ptr_array_index (orders, orders->len - 1))->id : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
fills_list_cb (BourseRequest *request,
               gpointer       user_data)
{
  const BourseAccount *account = bourse_portfolio_get_account (bourse_trading_get_portfolio (trading_of (request)));
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *symbol = NULL;
  gint64 since_id = 0, cursor = 0, limit = DEFAULT_LIMIT;

  if (!bourse_request_get_symbol_query (request, "symbol", FALSE, &symbol)
      || !bourse_request_get_int_query (request, "since_id", 0, G_MAXINT64, &since_id)
      || !bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor))
    return;
  node = bourse_fills_list_json (bourse_engine_get_store (bourse_request_get_engine (request)), account->id,
                                 account->mode, symbol, since_id, cursor, (guint) limit, &error);
  if (node == NULL)
    bourse_request_reply_error (request, error, 0);
  else
    bourse_request_reply_json (request, SOUP_STATUS_OK, node);
}

static void
orders_get_cb (BourseRequest *request,
               gpointer       user_data)
{
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  order = bourse_orders_get (bourse_engine_get_store (bourse_request_get_engine (request)), id, &error);
  reply_order (request, SOUP_STATUS_OK, order, &error);
}

static void
orders_cancel_cb (BourseRequest *request,
                  gpointer       user_data)
{
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);
  BourseAuthContext context;
  BourseTradingCaller caller;

  if (id == 0)
    return;
  caller = _bourse_server_trading_caller (request, &context);
  order = bourse_trading_cancel_order (trading_of (request), id, _("Canceled on request"), &caller, &error);
  /* A venue confirms later: 202, and the orders topic carries the end. */
  reply_order (request, order != NULL && bourse_order_is_open (order) && order->cancel_requested_at != NULL
                        ? SOUP_STATUS_ACCEPTED : SOUP_STATUS_OK,
               order, &error);
}

static void
orders_cancel_all_cb (BourseRequest *request,
                      gpointer       user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GArray) canceled = NULL;
  g_autoptr(GError) error = NULL;
  const char *symbol = NULL;
  BourseAuthContext context;
  BourseTradingCaller caller;

  if (!bourse_request_get_symbol_query (request, "symbol", FALSE, &symbol))
    return;
  caller = _bourse_server_trading_caller (request, &context);
  canceled = bourse_trading_cancel_all (trading_of (request), symbol, &caller, &error);
  if (canceled == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "canceled");
  json_builder_begin_array (builder);
  for (guint i = 0; i < canceled->len; i++)
    json_builder_add_int_value (builder, g_array_index (canceled, gint64, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* }}} */

/* Manual trades and approvals {{{ */

static void
trades_create_cb (BourseRequest *request,
                  gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  BourseOrderRequest order_request = { .type = BOURSE_ORDER_MARKET, .purpose = NULL };
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseTradingCaller caller;

  if (body == NULL || !parse_order_body (request, body, TRUE, &order_request))
    return;
  caller = _bourse_server_trading_caller (request, &context);
  order = bourse_trading_place_order (trading_of (request), &order_request, &caller, NULL, &error);
  reply_order (request, SOUP_STATUS_CREATED, order, &error);
}

static void
trades_close_cb (BourseRequest *request,
                 gpointer       user_data)
{
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);
  gboolean pending = FALSE;
  BourseAuthContext context;
  BourseTradingCaller caller;

  if (id == 0)
    return;
  caller = _bourse_server_trading_caller (request, &context);
  order = bourse_trading_close_trade (trading_of (request), id, "manual", &caller, &pending, &error);
  if (pending)
    {
      /* The exchange confirms the symbol's cancels first; the exit
       * follows on the orders topic. */
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "trade_id");
      json_builder_add_int_value (builder, id);
      json_builder_set_member_name (builder, "exit");
      json_builder_add_string_value (builder, "pending");
      json_builder_end_object (builder);
      bourse_request_reply_builder (request, SOUP_STATUS_ACCEPTED, builder);
      return;
    }
  reply_order (request, SOUP_STATUS_CREATED, order, &error);
}

static void
execute (BourseRequest *request,
         gint64         approval_id,
         JsonObject    *body)
{
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  BourseDecimal quantity;
  BourseOrderEstimate estimate;
  gboolean has_quantity = FALSE, dry_run = FALSE;
  BourseAuthContext context;
  BourseTradingCaller caller;

  if (!bourse_request_get_boolean_query (request, "dry_run", &dry_run)
      || (body != NULL
          && !bourse_request_get_decimal_member (request, body, "quantity", FALSE, &has_quantity, &quantity)))
    return;
  caller = _bourse_server_trading_caller (request, &context);
  order = bourse_engine_execute_approval (bourse_request_get_engine (request), approval_id,
                                          has_quantity ? &quantity : NULL, &caller,
                                          dry_run ? &estimate : NULL, &error);
  if (dry_run)
    {
      reply_check (request, order, &estimate, &error);
      return;
    }
  reply_order (request, SOUP_STATUS_CREATED, order, &error);
}

static void
approvals_execute_cb (BourseRequest *request,
                      gpointer       user_data)
{
  g_autoptr(GBytes) raw = bourse_request_dup_body (request);
  gint64 id = bourse_request_get_id_param (request);
  JsonObject *body = NULL;

  if (id == 0)
    return;
  /* The body is optional; anything sent must be JSON. */
  if (g_bytes_get_size (raw) > 0 && (body = bourse_request_get_json_object (request)) == NULL)
    return;
  execute (request, id, body);
}

/* Seed 003's POST /trade/execute {"approval_id", "quantity"?}. */
static void
trade_execute_cb (BourseRequest *request,
                  gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  gint64 id = 0;

  if (body == NULL)
    return;
  if (!bourse_json_get_int (body, "approval_id", &id) || id <= 0)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "approval_id",
                                        _("must be the id of an approval"));
      return;
    }
  execute (request, id, body);
}

/* }}} */

/* System control {{{ */

static void
reply_status (BourseRequest *request,
              BourseServer  *self)
{
  g_autoptr(JsonNode) status = _bourse_server_build_status (self);

  _bourse_server_publish_status (self);
  bourse_request_reply_json (request, SOUP_STATUS_OK, status);
}

static void
set_trading (BourseRequest *request,
             BourseServer  *self,
             gboolean       stop,
             gboolean       start)
{
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseTradingCaller caller = _bourse_server_trading_caller (request, &context);

  if ((stop && !bourse_engine_set_trading (self->engine, FALSE, &caller, &error))
      || (start && !bourse_engine_set_trading (self->engine, TRUE, &caller, &error)))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_status (request, self);
}

static void
system_start_cb (BourseRequest *request,
                 gpointer       user_data)
{
  set_trading (request, user_data, FALSE, TRUE);
}

static void
system_stop_cb (BourseRequest *request,
                gpointer       user_data)
{
  set_trading (request, user_data, TRUE, FALSE);
}

static void
system_restart_cb (BourseRequest *request,
                   gpointer       user_data)
{
  set_trading (request, user_data, TRUE, TRUE);
}

static void
system_mode_cb (BourseRequest *request,
                gpointer       user_data)
{
  BourseServer *self = user_data;
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(GError) error = NULL;
  const char *mode = NULL, *confirm = NULL;
  BourseAuthContext context;
  BourseTradingCaller caller;

  if (body == NULL || !bourse_request_get_string_member (request, body, "mode", TRUE, &mode)
      || !bourse_request_get_string_member (request, body, "confirm", FALSE, &confirm))
    return;
  /* Live needs more than the loop's control: system.live. */
  if (g_str_equal (mode, "live")
      && !bourse_role_has_permission (bourse_request_get_principal (request)->role, "system.live"))
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_FORBIDDEN, "mode",
                                        _("Only an administrator may switch to live trading"));
      return;
    }
  caller = _bourse_server_trading_caller (request, &context);
  if (!bourse_engine_set_mode (self->engine, mode, confirm, &caller, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_status (request, self);
}

/* }}} */

static const BourseParamDoc dry_run_params[] = {
  { "dry_run", BOURSE_PARAM_QUERY, "{\"type\":\"boolean\",\"default\":false}",
    "true: answer 200 with what the order would be and cost, or the refusal; nothing is stored" },
  { NULL }
};

/* The ledger's lists page back by cursor, or forward by since_id. */
#define LEDGER_LIST_PARAMS \
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", NULL }, \
  { "since_id", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":0}", \
    "What came after this id, oldest first, for incremental sync (no next_cursor: ask again from the last id)" }, \
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}", NULL }, \
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" }

static const BourseParamDoc orders_list_params[] = {
  { "status", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"open\",\"closed\"]}", NULL },
  LEDGER_LIST_PARAMS,
  { NULL }
};

static const BourseParamDoc fills_list_params[] = {
  LEDGER_LIST_PARAMS,
  { NULL }
};

static const BourseParamDoc cancel_all_params[] = {
  { "symbol", BOURSE_PARAM_QUERY, "Symbol", "Only this symbol's orders" },
  { NULL }
};

static const BourseParamDoc order_id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The order" },
  { NULL }
};

static const BourseParamDoc trade_id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The trade" },
  { NULL }
};

static const BourseParamDoc approval_id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The approval" },
  { "dry_run", BOURSE_PARAM_QUERY, "{\"type\":\"boolean\",\"default\":false}",
    "true: answer 200 with the entry order as it would be, or the refusal; nothing is stored" },
  { NULL }
};

static const BourseRouteSpec trading_routes[] = {
  { "POST", "/api/v1/orders", "orders.write", orders_create_cb, {
      .id = "placeOrder", .tag = "Trading", .summary = "Place an order",
      .description = "201 with the order and its fills; the same client_order_id again answers 200 with the "
                     "existing order, and ?dry_run=true 200 with an OrderCheck. 422 names the member at fault "
                     "(the risk limits as risk.<limit>); 409 when the trading state (risk.state) or a stopped "
                     "loop forbids it.",
      .params = dry_run_params, .request = "OrderRequest", .status = 201, .response = "OrderWithFills",
      .errors = "200:OrderOrCheck 409 422" } },
  { "GET", "/api/v1/orders", "orders.read", orders_list_cb, {
      .id = "listOrders", .tag = "Trading", .summary = "List the book's orders",
      .description = "Everyone's (one book per engine), newest first, without their fills.",
      .params = orders_list_params, .response = "page:Order", .errors = "422" } },
  { "DELETE", "/api/v1/orders", "orders.write", orders_cancel_all_cb, {
      .id = "cancelOrders", .tag = "Trading", .summary = "Cancel one's open orders",
      .description = "One's own open orders (administrators: all).",
      .params = cancel_all_params, .response = "CanceledOrders", .errors = "409 422" } },
  { "GET", "/api/v1/orders/{id}", "orders.read", orders_get_cb, {
      .id = "getOrder", .tag = "Trading", .summary = "Read an order with its fills",
      .params = order_id_params, .response = "OrderWithFills", .errors = "404" } },
  { "DELETE", "/api/v1/orders/{id}", "orders.write", orders_cancel_cb, {
      .id = "cancelOrder", .tag = "Trading", .summary = "Cancel an order",
      .description = "200 with the canceled order; on live, 202 with the order (cancel_requested_at set) until "
                     "the exchange confirms, on the orders topic. 409 naming status when it is final; 403 for "
                     "someone else's order without orders.manage.",
      .params = order_id_params, .response = "OrderWithFills", .errors = "202:OrderWithFills 403 404 409" } },
  { "GET", "/api/v1/fills", "orders.read", fills_list_cb, {
      .id = "listFills", .tag = "Trading", .summary = "List the fills",
      .description = "Newest first.",
      .params = fills_list_params, .response = "page:Fill", .errors = "422" } },
  { "POST", "/api/v1/trades", "orders.write", trades_create_cb, {
      .id = "openTrade", .tag = "Trading", .summary = "Enter a trade by hand",
      .description = "A market order through the same checks as POST /api/v1/orders: 201 with the entry order.",
      .request = "ManualTradeRequest", .status = 201, .response = "OrderWithFills", .errors = "409 422" } },
  { "POST", "/api/v1/trades/{id}/close", "orders.write", trades_close_cb, {
      .id = "closeTrade", .tag = "Trading", .summary = "Close a trade at market",
      .description = "The symbol's open orders are canceled first, then the open quantity sold or bought back "
                     "at market: 201 with the exit order. On live, 202 when the cancels must be confirmed by "
                     "the exchange first. 409 when the trade is closed.",
      .params = trade_id_params, .status = 201, .response = "OrderWithFills",
      .errors = "202:TradeClosePending 404 409 422" } },
  { "POST", "/api/v1/approvals/{id}/execute", "approvals.execute", approvals_execute_cb, {
      .id = "executeApproval", .tag = "Trading", .summary = "Execute an approved recommendation",
      .description = "201 with the entry order (its bracket follows the fill); ?dry_run=true 200 with an "
                     "OrderCheck. The body may be empty: without quantity, the caller's risk profile sizes it. "
                     "409 naming status unless the approval is approved, unexpired and not executed.",
      .params = approval_id_params, .request = "ExecuteRequest", .status = 201, .response = "OrderWithFills",
      .errors = "200:OrderCheck 403 404 409 422" } },
  { "POST", "/api/v1/trade/execute", "approvals.execute", trade_execute_cb, {
      .id = "executeApprovalSeed", .tag = "Trading", .summary = "Execute an approved recommendation (seed 003)",
      .params = dry_run_params, .request = "TradeExecuteRequest", .status = 201, .response = "OrderWithFills",
      .errors = "200:OrderCheck 403 404 409 422", .deprecated = TRUE,
      .replaced_by = "/api/v1/approvals/{id}/execute" } },
  { "POST", "/api/v1/system/start", "system.control", system_start_cb, {
      .id = "startTrading", .tag = "Trading", .summary = "Start the trading loop",
      .description = "Order processing and live strategies.",
      .response = "SystemStatus", .errors = "409" } },
  { "POST", "/api/v1/system/stop", "system.control", system_stop_cb, {
      .id = "stopTrading", .tag = "Trading", .summary = "Stop the trading loop",
      .response = "SystemStatus", .errors = "409" } },
  { "POST", "/api/v1/system/restart", "system.control", system_restart_cb, {
      .id = "restartTrading", .tag = "Trading", .summary = "Stop and start the trading loop",
      .response = "SystemStatus", .errors = "409" } },
  { "POST", "/api/v1/system/mode", "system.control", system_mode_cb, {
      .id = "setTradingMode", .tag = "Trading", .summary = "Switch between paper and live trading",
      .description = "Live needs system.live (403 naming mode) and confirm exactly LIVE (422 naming confirm); "
                     "409 naming keys without keys that passed their check, naming mode while orders of the "
                     "other book are open. The engine reconciles before it takes live orders.",
      .request = "ModeRequest", .response = "SystemStatus", .errors = "403 409 422" } },
};

void
_bourse_server_add_trading_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, trading_routes, G_N_ELEMENTS (trading_routes), self);
}
