/* bourse-binance-broker.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders go out over signed REST; what becomes of them comes back over the
 * user data stream (or, after a gap, through a snapshot the trading module
 * reconciles with). The rule everything here keeps: an order is POSTed at
 * most once. A request whose outcome is unknown is settled by asking
 * Binance for the order by its client id, never by sending it again.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "auth/bourse-audit.h"
#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-source.h"
#include "market/bourse-binance-rest.h"
#include "market/bourse-ticker.h"

#include "bourse-binance-broker.h"
#include "bourse-binance-filters.h"
#include "bourse-binance-user-stream.h"
#include "bourse-exchange-keys.h"

/* exchangeInfo's filters change rarely; Binance announces changes days ahead. */

/* One of our orders that is open, or on its way. */
typedef struct
{
  BourseBinanceBroker *broker;   /* borrowed: it owns this */
  BourseOrder   *order;          /* what sending needs, copied */
  char          *exchange_order_id;
  BourseDecimal  reported;       /* filled quantity reported so far */
  gboolean       sent;           /* it left the outbox */
  gboolean       accepted;       /* ACCEPTED was reported */
  gboolean       cancel_wanted;  /* a cancel came before Binance took it */
  guint          attempt;        /* asking about an unknown outcome */
  GSource       *retry_source;
} Tracked;

struct _BourseBinanceBroker
{
  GObject                  parent_instance;

  BourseConfig            *config;
  BourseMarket            *market;
  BourseStore             *store;
  BourseBinanceApi        *api;
  BourseBinanceUserStream *stream;
  guint                    retry_base_ms;
  guint                    retry_max_ms;

  GHashTable              *filters;   /* symbol → BourseBinanceFilters */
  GHashTable              *orders;    /* client_order_id → Tracked */
  GHashTable              *trades;    /* "SYMBOL:tradeId" already reported */
  GPtrArray               *outbox;    /* client_order_ids to send when the loop is idle */
  guint                    outbox_source;
  GSource                 *filters_retry;
  char                    *last_error;
};

static void broker_iface_init (BourseBrokerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseBinanceBroker, bourse_binance_broker, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_BROKER, broker_iface_init))

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseVenueOrder, bourse_venue_order_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseVenueFill, bourse_venue_fill_free)

/* Helpers {{{ */

static void
tracked_free (gpointer data)
{
  Tracked *tracked = data;

  bourse_source_clear (&tracked->retry_source);
  bourse_order_free (tracked->order);
  g_free (tracked->exchange_order_id);
  g_free (tracked);
}

/* What sending and reporting need of @order. */
static BourseOrder *
order_copy (const BourseOrder *order)
{
  BourseOrder *copy = bourse_order_new ();

  copy->id = order->id;
  copy->account_id = order->account_id;
  copy->client_order_id = g_strdup (order->client_order_id);
  copy->symbol = g_strdup (order->symbol);
  copy->side = order->side;
  copy->type = order->type;
  copy->time_in_force = order->time_in_force;
  copy->status = order->status;
  copy->quantity = order->quantity;
  copy->filled_quantity = order->filled_quantity;
  copy->has_price = order->has_price;
  copy->price = order->price;
  copy->has_stop_price = order->has_stop_price;
  copy->stop_price = order->stop_price;
  copy->oco_id = order->oco_id;
  copy->exchange_order_id = g_strdup (order->exchange_order_id);
  return copy;
}

static Tracked *
track (BourseBinanceBroker *self,
       const BourseOrder   *order)
{
  Tracked *tracked = g_new0 (Tracked, 1);

  tracked->broker = self;
  tracked->order = order_copy (order);
  tracked->exchange_order_id = g_strdup (order->exchange_order_id);
  tracked->reported = order->filled_quantity;
  g_hash_table_replace (self->orders, tracked->order->client_order_id, tracked);
  return tracked;
}

static gboolean
member_decimal (JsonObject    *object,
                const char    *member,
                BourseDecimal *value)
{
  const char *text = bourse_json_get_string (object, member);

  value->units = 0;
  return text != NULL && bourse_decimal_parse_rounded (text, BOURSE_ROUND_HALF_EVEN, value, NULL);
}

/* Binance's ids are integers; we keep them as text. */
static char *
member_id (JsonObject *object,
           const char *member)
{
  gint64 id;

  if (!bourse_json_get_int (object, member, &id) || id < 0)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static void
note_error (BourseBinanceBroker *self,
            const char          *what,
            const GError        *error)
{
  g_free (self->last_error);
  self->last_error = g_strdup_printf ("%s: %s", what, error->message);
  g_message ("Binance: %s", self->last_error);
}

/* The base and quote assets of @symbol: Binance's, else the instrument's. */
static gboolean
symbol_assets (BourseBinanceBroker  *self,
               const char           *symbol,
               char                **base,
               char                **quote)
{
  const BourseBinanceFilters *filters = g_hash_table_lookup (self->filters, symbol);
  g_autoptr(BourseInstrument) instrument = NULL;

  if (filters != NULL && filters->base_asset != NULL && filters->quote_asset != NULL)
    {
      *base = g_strdup (filters->base_asset);
      *quote = g_strdup (filters->quote_asset);
      return TRUE;
    }
  if (self->store == NULL || (instrument = bourse_instruments_find (self->store, symbol, NULL)) == NULL)
    return FALSE;
  *base = g_strdup (instrument->base_asset);
  *quote = g_strdup (instrument->quote_asset);
  return TRUE;
}

/* A commission of @amount @asset on a fill of @symbol at @price, in the
 * quote asset: the base at the fill's price, another asset (BNB) at its
 * last price against the quote when the market has that pair. Zero, said
 * in the log, when it cannot be valued: balances come from Binance anyway. */
static BourseDecimal
fee_in_quote (BourseBinanceBroker *self,
              const char          *symbol,
              BourseDecimal        amount,
              const char          *asset,
              BourseDecimal        price)
{
  g_autofree char *base = NULL;
  g_autofree char *quote = NULL;
  g_autofree char *pair = NULL;
  g_autoptr(BourseInstrument) instrument = NULL;
  BourseDecimal rate, fee;

  if (amount.units == 0 || asset == NULL)
    return BOURSE_DECIMAL_ZERO;
  if (!symbol_assets (self, symbol, &base, &quote))
    {
      g_message ("Binance: a fee of %s on unknown %s is not booked", asset, symbol);
      return BOURSE_DECIMAL_ZERO;
    }
  if (g_str_equal (asset, quote))
    return amount;
  if (g_str_equal (asset, base))
    rate = price;
  else
    {
      pair = g_strconcat (asset, quote, NULL);
      if (self->store == NULL
          || (instrument = bourse_instruments_find (self->store, pair, NULL)) == NULL
          || !bourse_ticker_last_price (self->store, instrument, &rate, NULL, NULL))
        {
          g_autofree char *text = bourse_decimal_to_string_trimmed (amount);

          g_message ("Binance: a fee of %s %s on %s is not booked: the market has no price of %s",
                     text, asset, symbol, pair);
          return BOURSE_DECIMAL_ZERO;
        }
    }
  if (!bourse_decimal_mul (amount, rate, BOURSE_ROUND_HALF_EVEN, &fee, NULL))
    return BOURSE_DECIMAL_ZERO;
  return fee;
}

/* }}} */

/* Reporting {{{ */

static void
report (BourseBinanceBroker *self,
        Tracked             *tracked,
        BourseExecutionKind  kind,
        const char          *reason)
{
  BourseExecution execution = {
    .order_id = tracked->order->id,
    .kind = kind,
    .reason = reason,
    .exchange_order_id = tracked->exchange_order_id,
  };

  if (kind == BOURSE_EXECUTION_ACCEPTED)
    {
      if (tracked->accepted)
        return;
      tracked->accepted = TRUE;
    }
  bourse_broker_emit_execution (BOURSE_BROKER (self), &execution);
  /* A final report: the order is the trading module's alone from now on
   * (a second final report would be ignored there anyway). */
  if (kind != BOURSE_EXECUTION_ACCEPTED && kind != BOURSE_EXECUTION_FILL && kind != BOURSE_EXECUTION_TRIGGERED)
    g_hash_table_remove (self->orders, tracked->order->client_order_id);
}

static void
report_accepted (BourseBinanceBroker *self,
                 Tracked             *tracked,
                 const char          *exchange_order_id)
{
  if (exchange_order_id != NULL && tracked->exchange_order_id == NULL)
    tracked->exchange_order_id = g_strdup (exchange_order_id);
  report (self, tracked, BOURSE_EXECUTION_ACCEPTED, NULL);
}

/* A trade of @tracked, once: the stream, the answer to a query after an
 * unknown outcome and a snapshot may all tell of it. Returns FALSE when
 * the order is no longer tracked afterwards (it filled). */
static gboolean
report_fill (BourseBinanceBroker *self,
             Tracked             *tracked,
             const char          *trade_id,
             BourseDecimal        price,
             BourseDecimal        quantity,
             BourseDecimal        fee,
             gboolean             maker)
{
  g_autofree char *key = g_strdup_printf ("%s:%s", tracked->order->symbol, trade_id);
  BourseExecution execution = {
    .order_id = tracked->order->id,
    .kind = BOURSE_EXECUTION_FILL,
    .price = price,
    .quantity = quantity,
    .fee = fee,
    .maker = maker,
    .external_id = key,
    .exchange_order_id = tracked->exchange_order_id,
  };

  if (g_hash_table_contains (self->trades, key))
    return TRUE;
  g_hash_table_add (self->trades, g_strdup (key));
  if (!tracked->accepted)
    report (self, tracked, BOURSE_EXECUTION_ACCEPTED, NULL);
  bourse_decimal_add (tracked->reported, quantity, &tracked->reported, NULL);
  bourse_broker_emit_execution (BOURSE_BROKER (self), &execution);
  if (bourse_decimal_compare (tracked->reported, tracked->order->quantity) >= 0)
    {
      g_hash_table_remove (self->orders, tracked->order->client_order_id);
      return FALSE;
    }
  return TRUE;
}

/* A row of GET /api/v3/myTrades. */
static gboolean
report_trade_row (BourseBinanceBroker *self,
                  Tracked             *tracked,
                  JsonObject          *trade)
{
  g_autofree char *id = member_id (trade, "id");
  BourseDecimal price, quantity, commission;
  gboolean maker = FALSE;

  if (id == NULL || !member_decimal (trade, "price", &price) || !member_decimal (trade, "qty", &quantity))
    return TRUE;
  member_decimal (trade, "commission", &commission);
  bourse_json_get_boolean (trade, "isMaker", &maker);
  return report_fill (self, tracked, id, price, quantity,
                      fee_in_quote (self, tracked->order->symbol, commission,
                                    bourse_json_get_string (trade, "commissionAsset"), price),
                      maker);
}

/* }}} */

/* Calls: what a request's callback needs {{{ */

typedef struct
{
  BourseBinanceBroker *self;
  char                *client_order_id;
  char                *other;           /* an OCO's second leg */
  GTask               *task;            /* cancel_all, snapshot */
} Call;

static Call *
call_new (BourseBinanceBroker *self,
          const char          *client_order_id)
{
  Call *call = g_new0 (Call, 1);

  /* The broker outlives its requests: they end within request_timeout. */
  call->self = g_object_ref (self);
  call->client_order_id = g_strdup (client_order_id);
  return call;
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call->client_order_id);
  g_free (call->other);
  g_clear_object (&call->task);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* }}} */

/* Placing {{{ */

static const char *
binance_type (BourseOrderType type)
{
  return bourse_order_type_to_string (type);
}

BourseBinanceParams *
bourse_binance_order_params (const BourseOrder *order)
{
  BourseBinanceParams *params = bourse_binance_params_new ();

  g_return_val_if_fail (order != NULL, NULL);

  bourse_binance_params_add (params, "symbol", order->symbol);
  bourse_binance_params_add (params, "side", bourse_side_to_string (order->side));
  bourse_binance_params_add (params, "type", binance_type (order->type));
  if (order->type != BOURSE_ORDER_MARKET)
    bourse_binance_params_add (params, "timeInForce", bourse_time_in_force_to_string (order->time_in_force));
  bourse_binance_params_add_decimal (params, "quantity", order->quantity);
  if (order->has_price && order->type != BOURSE_ORDER_MARKET)
    bourse_binance_params_add_decimal (params, "price", order->price);
  if (order->has_stop_price && bourse_order_has_trigger (order))
    bourse_binance_params_add_decimal (params, "stopPrice", order->stop_price);
  bourse_binance_params_add (params, "newClientOrderId", order->client_order_id);
  bourse_binance_params_add (params, "newOrderRespType", "RESULT");
  return params;
}

static void resolve (BourseBinanceBroker *self, Tracked *tracked);
static void send_cancel (BourseBinanceBroker *self, const char *symbol, const char *client_order_id);

/* After Binance took @tracked: a cancel that waited for it goes now. */
static void
accepted (BourseBinanceBroker *self,
          Tracked             *tracked,
          const char          *exchange_order_id)
{
  report_accepted (self, tracked, exchange_order_id);
  if (tracked->cancel_wanted)
    {
      tracked->cancel_wanted = FALSE;
      send_cancel (self, tracked->order->symbol, tracked->order->client_order_id);
    }
}

/* What a placement's failure means for @tracked: unknown → ask; anything
 * else Binance (or our own limits) refused, so it was not placed. */
static void
placement_failed (BourseBinanceBroker *self,
                  Tracked             *tracked,
                  const GError        *error)
{
  if (g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_OUTCOME_UNKNOWN))
    {
      g_message ("Binance: order %s: %s; asking Binance", tracked->order->client_order_id, error->message);
      resolve (self, tracked);
      return;
    }
  note_error (self, tracked->order->client_order_id, error);
  report (self, tracked, BOURSE_EXECUTION_REJECTED, error->message);
}

static void
place_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  BourseBinanceBroker *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);
  Tracked *tracked = g_hash_table_lookup (self->orders, call->client_order_id);
  g_autofree char *exchange_order_id = NULL;

  if (tracked == NULL)
    return;
  if (root == NULL)
    {
      placement_failed (self, tracked, error);
      return;
    }
  /* Fills in the answer are left to the stream or a snapshot, which name
   * them by trade id: nothing is booked twice. */
  if (JSON_NODE_HOLDS_OBJECT (root))
    exchange_order_id = member_id (json_node_get_object (root), "orderId");
  accepted (self, tracked, exchange_order_id);
}

static void
send_order (BourseBinanceBroker *self,
            Tracked             *tracked)
{
  bourse_binance_api_request_async (self->api, "POST", "/api/v3/order", bourse_binance_order_params (tracked->order),
                                    BOURSE_BINANCE_REQUEST_SIGNED | BOURSE_BINANCE_REQUEST_PLACE, NULL,
                                    place_cb, call_new (self, tracked->order->client_order_id));
}

static void
oco_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  BourseBinanceBroker *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);
  const char *legs[] = { call->client_order_id, call->other };
  JsonArray *reports = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    reports = bourse_json_get_array (json_node_get_object (root), "orderReports");
  for (guint i = 0; i < G_N_ELEMENTS (legs); i++)
    {
      Tracked *tracked = g_hash_table_lookup (self->orders, legs[i]);
      g_autofree char *exchange_order_id = NULL;

      if (tracked == NULL)
        continue;
      if (root == NULL)
        {
          placement_failed (self, tracked, error);
          continue;
        }
      for (guint j = 0; reports != NULL && j < json_array_get_length (reports); j++)
        {
          JsonNode *node = json_array_get_element (reports, j);

          if (JSON_NODE_HOLDS_OBJECT (node)
              && g_strcmp0 (bourse_json_get_string (json_node_get_object (node), "clientOrderId"), legs[i]) == 0)
            exchange_order_id = member_id (json_node_get_object (node), "orderId");
        }
      accepted (self, tracked, exchange_order_id);
    }
}

/* Adds an OCO leg's parameters: above or below the price. */
static void
add_leg (BourseBinanceParams *params,
         const char          *where,
         const BourseOrder   *leg)
{
  g_autofree char *type = g_strconcat (where, "Type", NULL);
  g_autofree char *client = g_strconcat (where, "ClientOrderId", NULL);
  g_autofree char *price = g_strconcat (where, "Price", NULL);
  g_autofree char *stop = g_strconcat (where, "StopPrice", NULL);
  g_autofree char *tif = g_strconcat (where, "TimeInForce", NULL);

  bourse_binance_params_add (params, type, binance_type (leg->type));
  bourse_binance_params_add (params, client, leg->client_order_id);
  if (leg->has_price)
    bourse_binance_params_add_decimal (params, price, leg->price);
  if (leg->has_stop_price)
    bourse_binance_params_add_decimal (params, stop, leg->stop_price);
  bourse_binance_params_add (params, tif, bourse_time_in_force_to_string (leg->time_in_force));
}

/* A bracket's two legs as one order list: Binance cancels the other leg
 * itself when one fills. For a SELL the take-profit is above the price
 * and the stop-loss below; for a BUY the other way round. FALSE when the
 * pair is not one of each (each then goes alone). */
static gboolean
send_oco (BourseBinanceBroker *self,
          Tracked             *first,
          Tracked             *second)
{
  const BourseOrder *stop = first->order->type == BOURSE_ORDER_STOP_LOSS_LIMIT ? first->order : second->order;
  const BourseOrder *profit = first->order->type == BOURSE_ORDER_TAKE_PROFIT_LIMIT ? first->order : second->order;
  gboolean sell = stop->side == BOURSE_SIDE_SELL;
  BourseBinanceParams *params;
  g_autofree char *list_id = NULL;
  Call *call;

  if (stop == profit || stop->type != BOURSE_ORDER_STOP_LOSS_LIMIT || profit->type != BOURSE_ORDER_TAKE_PROFIT_LIMIT
      || stop->side != profit->side || bourse_decimal_compare (stop->quantity, profit->quantity) != 0)
    return FALSE;

  params = bourse_binance_params_new ();
  list_id = g_strdup_printf ("oco-%" G_GINT64_FORMAT, stop->oco_id);
  bourse_binance_params_add (params, "symbol", stop->symbol);
  bourse_binance_params_add (params, "listClientOrderId", list_id);
  bourse_binance_params_add (params, "side", bourse_side_to_string (stop->side));
  bourse_binance_params_add_decimal (params, "quantity", stop->quantity);
  add_leg (params, "above", sell ? profit : stop);
  add_leg (params, "below", sell ? stop : profit);
  bourse_binance_params_add (params, "newOrderRespType", "RESULT");

  call = call_new (self, first->order->client_order_id);
  call->other = g_strdup (second->order->client_order_id);
  bourse_binance_api_request_async (self->api, "POST", "/api/v3/orderList/oco", params,
                                    BOURSE_BINANCE_REQUEST_SIGNED | BOURSE_BINANCE_REQUEST_PLACE, NULL,
                                    oco_cb, call);
  return TRUE;
}

/* Whether @tracked is still to be sent: its transaction committed (a
 * rolled-back order must not reach Binance), and no cancel overtook it. */
static gboolean
ready_to_send (BourseBinanceBroker *self,
               Tracked             *tracked)
{
  g_autoptr(BourseOrder) stored = NULL;

  tracked->sent = TRUE;
  if (tracked->cancel_wanted)
    {
      report (self, tracked, BOURSE_EXECUTION_CANCELED, _("Canceled before it was sent to Binance"));
      return FALSE;
    }
  if (self->store != NULL
      && ((stored = bourse_orders_get (self->store, tracked->order->id, NULL)) == NULL
          || g_strcmp0 (stored->client_order_id, tracked->order->client_order_id) != 0
          || !bourse_order_is_open (stored)))
    {
      g_message ("Binance: order %s was not stored: not sent", tracked->order->client_order_id);
      g_hash_table_remove (self->orders, tracked->order->client_order_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
outbox_cb (gpointer data)
{
  BourseBinanceBroker *self = data;
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->outbox);

  self->outbox_source = 0;
  self->outbox = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < batch->len; i++)
    {
      Tracked *tracked = g_hash_table_lookup (self->orders, g_ptr_array_index (batch, i));
      Tracked *sibling = NULL;

      if (tracked == NULL || tracked->sent || !ready_to_send (self, tracked))
        continue;
      /* A bracket's other leg came in the same turn. */
      for (guint j = i + 1; tracked->order->oco_id != 0 && j < batch->len && sibling == NULL; j++)
        {
          Tracked *other = g_hash_table_lookup (self->orders, g_ptr_array_index (batch, j));

          if (other != NULL && !other->sent && other->order->oco_id == tracked->order->oco_id)
            sibling = other;
        }
      if (sibling != NULL && ready_to_send (self, sibling))
        {
          if (send_oco (self, tracked, sibling))
            continue;
          send_order (self, sibling);
        }
      send_order (self, tracked);
    }
  return G_SOURCE_REMOVE;
}

/* }}} */

/* An unknown outcome {{{ */

static gboolean
resolve_again_cb (gpointer data)
{
  Tracked *tracked = data;

  g_clear_pointer (&tracked->retry_source, g_source_unref);
  resolve (tracked->broker, tracked);
  return G_SOURCE_REMOVE;
}

static void
resolve_trades_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  BourseBinanceBroker *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);
  Tracked *tracked = g_hash_table_lookup (self->orders, call->client_order_id);
  JsonArray *trades;

  if (tracked == NULL)
    return;
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      /* The stream or the next reconciliation brings them. */
      if (error != NULL)
        note_error (self, call->client_order_id, error);
      return;
    }
  trades = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (trades); i++)
    {
      JsonNode *node = json_array_get_element (trades, i);

      if (JSON_NODE_HOLDS_OBJECT (node) && !report_trade_row (self, tracked, json_node_get_object (node)))
        return;
    }
  /* A final status other than FILLED, once its fills are in. */
  if (call->other != NULL)
    report (self, tracked,
            g_str_equal (call->other, "CANCELED") ? BOURSE_EXECUTION_CANCELED
            : g_str_equal (call->other, "REJECTED") ? BOURSE_EXECUTION_REJECTED : BOURSE_EXECUTION_EXPIRED,
            g_str_equal (call->other, "CANCELED") ? _("Canceled on Binance") : _("Expired on Binance"));
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  BourseBinanceBroker *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);
  Tracked *tracked = g_hash_table_lookup (self->orders, call->client_order_id);
  g_autofree char *exchange_order_id = NULL;
  BourseDecimal executed;
  const char *status;
  Call *next;

  if (tracked == NULL)
    return;
  if (root == NULL)
    {
      if (g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_NO_SUCH_ORDER))
        {
          report (self, tracked, BOURSE_EXECUTION_REJECTED, _("The order never reached the exchange"));
          return;
        }
      /* Until the truth is known, nothing else is sent for this order. */
      tracked->attempt++;
      note_error (self, call->client_order_id, error);
      tracked->retry_source =
        bourse_timeout_source_attach (NULL, bourse_backoff_ms (self->retry_base_ms, self->retry_max_ms, tracked->attempt),
                                      resolve_again_cb, tracked);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;

  exchange_order_id = member_id (json_node_get_object (root), "orderId");
  status = bourse_json_get_string (json_node_get_object (root), "status");
  member_decimal (json_node_get_object (root), "executedQty", &executed);
  if (g_strcmp0 (status, "REJECTED") == 0 && executed.units == 0)
    {
      report (self, tracked, BOURSE_EXECUTION_REJECTED, _("Rejected by Binance"));
      return;
    }
  accepted (self, tracked, exchange_order_id);
  if ((tracked = g_hash_table_lookup (self->orders, call->client_order_id)) == NULL)
    return;

  next = call_new (self, call->client_order_id);
  if (status != NULL && (g_str_equal (status, "CANCELED") || g_str_equal (status, "EXPIRED")
                         || g_str_equal (status, "EXPIRED_IN_MATCH")))
    next->other = g_strdup (g_str_equal (status, "CANCELED") ? "CANCELED" : "EXPIRED");
  if (executed.units > 0)
    {
      BourseBinanceParams *params = bourse_binance_params_new ();

      bourse_binance_params_add (params, "symbol", tracked->order->symbol);
      bourse_binance_params_add (params, "orderId", exchange_order_id);
      bourse_binance_api_request_async (self->api, "GET", "/api/v3/myTrades", params,
                                        BOURSE_BINANCE_REQUEST_SIGNED, NULL, resolve_trades_cb, next);
    }
  else
    {
      if (next->other != NULL)
        report (self, tracked, g_str_equal (next->other, "CANCELED") ? BOURSE_EXECUTION_CANCELED
                                                                     : BOURSE_EXECUTION_EXPIRED,
                g_str_equal (next->other, "CANCELED") ? _("Canceled on Binance") : _("Expired on Binance"));
      call_free (next);
    }
}

/* GET /api/v3/order?origClientOrderId=: did Binance take it? */
static void
resolve (BourseBinanceBroker *self,
         Tracked             *tracked)
{
  BourseBinanceParams *params = bourse_binance_params_new ();

  bourse_binance_params_add (params, "symbol", tracked->order->symbol);
  bourse_binance_params_add (params, "origClientOrderId", tracked->order->client_order_id);
  bourse_binance_api_request_async (self->api, "GET", "/api/v3/order", params, BOURSE_BINANCE_REQUEST_SIGNED,
                                    NULL, resolve_cb, call_new (self, tracked->order->client_order_id));
}

/* }}} */

/* Cancelling {{{ */

/* Binance's answer to a cancel (one order of DELETE /api/v3/order or
 * /api/v3/openOrders): CANCELED now, unless fills we have not heard of
 * came before it — the stream brings those first, then the cancel. */
static void
canceled_answer (BourseBinanceBroker *self,
                 JsonObject          *answer)
{
  const char *client_order_id = bourse_json_get_string (answer, "origClientOrderId");
  Tracked *tracked = client_order_id != NULL ? g_hash_table_lookup (self->orders, client_order_id) : NULL;
  BourseDecimal executed;

  if (tracked == NULL || g_strcmp0 (bourse_json_get_string (answer, "status"), "CANCELED") != 0)
    return;
  member_decimal (answer, "executedQty", &executed);
  if (bourse_decimal_compare (executed, tracked->reported) > 0)
    return;
  report (self, tracked, BOURSE_EXECUTION_CANCELED, _("Canceled on Binance"));
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);

  if (root == NULL)
    {
      /* -2011: it filled (or was canceled) meanwhile; its reports tell. */
      if (!g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_UNKNOWN_ORDER))
        note_error (call->self, call->client_order_id, error);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (root))
    canceled_answer (call->self, json_node_get_object (root));
}

static void
send_cancel (BourseBinanceBroker *self,
             const char          *symbol,
             const char          *client_order_id)
{
  BourseBinanceParams *params = bourse_binance_params_new ();

  bourse_binance_params_add (params, "symbol", symbol);
  bourse_binance_params_add (params, "origClientOrderId", client_order_id);
  bourse_binance_api_request_async (self->api, "DELETE", "/api/v3/order", params, BOURSE_BINANCE_REQUEST_SIGNED,
                                    NULL, cancel_cb, call_new (self, client_order_id));
}

static void
cancel_all_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);
  guint n = 0;

  if (root == NULL)
    {
      /* Binance's answer when there was nothing to cancel. */
      if (g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_UNKNOWN_ORDER))
        g_task_return_int (call->task, 0);
      else
        g_task_return_error (call->task, g_steal_pointer (&error));
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *answers = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (answers); i++)
        {
          JsonNode *node = json_array_get_element (answers, i);
          JsonArray *reports;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          /* An order list answers with its orders' reports. */
          if ((reports = bourse_json_get_array (json_node_get_object (node), "orderReports")) != NULL)
            for (guint j = 0; j < json_array_get_length (reports); j++)
              {
                JsonNode *leg = json_array_get_element (reports, j);

                if (JSON_NODE_HOLDS_OBJECT (leg))
                  {
                    canceled_answer (call->self, json_node_get_object (leg));
                    n++;
                  }
              }
          else
            {
              canceled_answer (call->self, json_node_get_object (node));
              n++;
            }
        }
    }
  g_task_return_int (call->task, n);
}

void
bourse_binance_broker_cancel_all_async (BourseBinanceBroker *self,
                                        const char          *symbol,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  BourseBinanceParams *params;
  Call *call;

  g_return_if_fail (BOURSE_IS_BINANCE_BROKER (self));
  g_return_if_fail (symbol != NULL);

  call = call_new (self, NULL);
  call->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (call->task, bourse_binance_broker_cancel_all_async);
  if (self->api == NULL)
    {
      g_task_return_new_error (call->task, BOURSE_ERROR, BOURSE_ERROR_UNAVAILABLE,
                               _("The Binance broker is not set up"));
      call_free (call);
      return;
    }
  params = bourse_binance_params_new ();
  bourse_binance_params_add (params, "symbol", symbol);
  bourse_binance_api_request_async (self->api, "DELETE", "/api/v3/openOrders", params,
                                    BOURSE_BINANCE_REQUEST_SIGNED, cancellable, cancel_all_cb, call);
}

gboolean
bourse_binance_broker_cancel_all_finish (BourseBinanceBroker  *self,
                                         GAsyncResult         *result,
                                         guint                *n_canceled,
                                         GError              **error)
{
  gssize n;

  g_return_val_if_fail (BOURSE_IS_BINANCE_BROKER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), error);
  if (n < 0)
    return FALSE;
  if (n_canceled != NULL)
    *n_canceled = (guint)n;
  return TRUE;
}

/* }}} */

/* The user data stream {{{ */

static void
execution_report (BourseBinanceBroker *self,
                  JsonObject          *event)
{
  const char *execution = bourse_json_get_string (event, "x");
  const char *status = bourse_json_get_string (event, "X");
  const char *original = bourse_json_get_string (event, "C");
  const char *client_order_id = bourse_json_get_string (event, "c");
  const char *reason = bourse_json_get_string (event, "r");
  g_autofree char *exchange_order_id = member_id (event, "i");
  Tracked *tracked = NULL;

  /* A cancel's report carries the cancel's id in c, the order's in C. */
  if (original != NULL && original[0] != '\0')
    tracked = g_hash_table_lookup (self->orders, original);
  if (tracked == NULL && client_order_id != NULL)
    tracked = g_hash_table_lookup (self->orders, client_order_id);
  if (tracked == NULL || execution == NULL)
    {
      g_debug ("Binance: a report of an order not ours or no longer open (%s)", client_order_id);
      return;
    }

  if (tracked->exchange_order_id == NULL && exchange_order_id != NULL)
    tracked->exchange_order_id = g_strdup (exchange_order_id);
  if (g_str_equal (execution, "NEW"))
    accepted (self, tracked, exchange_order_id);
  else if (g_str_equal (execution, "TRADE"))
    {
      g_autofree char *trade_id = member_id (event, "t");
      BourseDecimal price, quantity, commission;
      gboolean maker = FALSE;

      if (trade_id == NULL || !member_decimal (event, "L", &price) || !member_decimal (event, "l", &quantity))
        {
          g_warning ("Binance: a trade report of %s without its trade id, price or quantity", client_order_id);
          return;
        }
      member_decimal (event, "n", &commission);
      bourse_json_get_boolean (event, "m", &maker);
      report_fill (self, tracked, trade_id, price, quantity,
                   fee_in_quote (self, tracked->order->symbol, commission, bourse_json_get_string (event, "N"), price),
                   maker);
    }
  else if (g_str_equal (execution, "CANCELED"))
    report (self, tracked, BOURSE_EXECUTION_CANCELED, _("Canceled on Binance"));
  else if (g_str_equal (execution, "EXPIRED") || g_strcmp0 (status, "EXPIRED_IN_MATCH") == 0)
    report (self, tracked, BOURSE_EXECUTION_EXPIRED,
            reason != NULL && !g_str_equal (reason, "NONE") ? reason : _("Expired on Binance"));
  else if (g_str_equal (execution, "REJECTED"))
    report (self, tracked, BOURSE_EXECUTION_REJECTED,
            reason != NULL && !g_str_equal (reason, "NONE") ? reason : _("Rejected by Binance"));
}

static void
account_position (BourseBinanceBroker *self,
                  JsonObject          *event)
{
  g_autoptr(GPtrArray) balances = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_venue_balance_free);
  JsonArray *list = bourse_json_get_array (event, "B");

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      BourseVenueBalance *balance;

      if (!JSON_NODE_HOLDS_OBJECT (node) || bourse_json_get_string (json_node_get_object (node), "a") == NULL)
        continue;
      balance = g_new0 (BourseVenueBalance, 1);
      balance->asset = g_strdup (bourse_json_get_string (json_node_get_object (node), "a"));
      member_decimal (json_node_get_object (node), "f", &balance->free);
      member_decimal (json_node_get_object (node), "l", &balance->locked);
      g_ptr_array_add (balances, balance);
    }
  if (balances->len > 0)
    bourse_broker_emit_balances (BOURSE_BROKER (self), balances);
}

static void
stream_event_cb (BourseBinanceBroker     *self,
                 JsonObject              *event,
                 BourseBinanceUserStream *stream)
{
  const char *type = bourse_json_get_string (event, "e");

  if (g_strcmp0 (type, "executionReport") == 0)
    execution_report (self, event);
  else if (g_strcmp0 (type, "outboundAccountPosition") == 0)
    account_position (self, event);
}

static void
stream_subscribed_cb (BourseBinanceBroker     *self,
                      gboolean                 after_gap,
                      BourseBinanceUserStream *stream)
{
  /* Reports may have been missed: the trading module reconciles. */
  if (after_gap)
    bourse_broker_emit_resync (BOURSE_BROKER (self));
}

static void
stream_unsubscribed_cb (BourseBinanceBroker     *self,
                        const char              *reason,
                        BourseBinanceUserStream *stream)
{
  g_free (self->last_error);
  self->last_error = g_strdup (reason);
}

/* }}} */

/* The snapshot {{{ */

typedef struct
{
  BourseVenueSnapshot *snapshot;
  GHashTable          *seen;      /* client_order_ids of snapshot->orders */
  guint                pending;
  gboolean             trades_asked;
  GError              *error;
} Snapshot;

static void
snapshot_free (gpointer data)
{
  Snapshot *snapshot = data;

  g_clear_pointer (&snapshot->snapshot, bourse_venue_snapshot_free);
  g_hash_table_unref (snapshot->seen);
  g_clear_error (&snapshot->error);
  g_free (snapshot);
}

static gboolean
parse_status (const char        *text,
              BourseOrderStatus *status)
{
  static const struct { const char *binance; BourseOrderStatus status; } map[] = {
    { "NEW", BOURSE_ORDER_NEW },
    { "PENDING_NEW", BOURSE_ORDER_NEW },
    { "PENDING_CANCEL", BOURSE_ORDER_NEW },
    { "PARTIALLY_FILLED", BOURSE_ORDER_PARTIALLY_FILLED },
    { "FILLED", BOURSE_ORDER_FILLED },
    { "CANCELED", BOURSE_ORDER_CANCELED },
    { "REJECTED", BOURSE_ORDER_REJECTED },
    { "EXPIRED", BOURSE_ORDER_EXPIRED },
    { "EXPIRED_IN_MATCH", BOURSE_ORDER_EXPIRED },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (text, map[i].binance))
      {
        *status = map[i].status;
        return TRUE;
      }
  return FALSE;
}

/* A row of GET /api/v3/order or /api/v3/openOrders into the snapshot. */
static void
add_venue_order (Snapshot   *snapshot,
                 JsonObject *row)
{
  g_autoptr(BourseVenueOrder) order = g_new0 (BourseVenueOrder, 1);
  const char *type = bourse_json_get_string (row, "type");
  const char *client_order_id = bourse_json_get_string (row, "clientOrderId");

  if (client_order_id == NULL || g_hash_table_contains (snapshot->seen, client_order_id))
    return;
  order->client_order_id = g_strdup (client_order_id);
  order->exchange_order_id = member_id (row, "orderId");
  order->symbol = g_strdup (bourse_json_get_string (row, "symbol"));
  if (order->symbol == NULL || !bourse_side_parse (bourse_json_get_string (row, "side"), &order->side)
      || !parse_status (bourse_json_get_string (row, "status"), &order->status))
    return;
  /* LIMIT_MAKER rests like a LIMIT; Binance's plain stops have no limit
   * price: they work as market orders once triggered. */
  if (g_strcmp0 (type, "LIMIT_MAKER") == 0)
    order->type = BOURSE_ORDER_LIMIT;
  else if (g_strcmp0 (type, "STOP_LOSS") == 0 || g_strcmp0 (type, "TAKE_PROFIT") == 0
           || !bourse_order_type_parse (type, &order->type))
    order->type = BOURSE_ORDER_MARKET;
  if (!bourse_time_in_force_parse (bourse_json_get_string (row, "timeInForce"), &order->time_in_force))
    order->time_in_force = BOURSE_TIF_GTC;
  member_decimal (row, "origQty", &order->quantity);
  member_decimal (row, "executedQty", &order->filled_quantity);
  order->has_price = member_decimal (row, "price", &order->price) && order->price.units > 0;
  order->has_stop_price = member_decimal (row, "stopPrice", &order->stop_price) && order->stop_price.units > 0;
  if (!bourse_json_get_int (row, "time", &order->time_ms))
    bourse_json_get_int (row, "transactTime", &order->time_ms);
  g_hash_table_add (snapshot->seen, g_strdup (client_order_id));
  g_ptr_array_add (snapshot->snapshot->orders, g_steal_pointer (&order));
}

static void snapshot_step_done (GTask *task);

static void
snapshot_fail (GTask  *task,
               GError *error)
{
  Snapshot *snapshot = g_task_get_task_data (task);

  if (snapshot->error == NULL)
    snapshot->error = error;
  else
    g_error_free (error);
}

/* One answer of the snapshot's requests: @root itself (with @member NULL)
 * or its @member, an array whose objects go to @row_func; an error is the
 * snapshot's, except -2013 (an order Binance never had is left out). */
typedef void (*SnapshotRowFunc) (GTask      *task,
                                 JsonObject *row);

static void
snapshot_answer (GObject         *object,
                 GAsyncResult    *result,
                 GTask           *task,
                 const char      *member,
                 SnapshotRowFunc  row_func)
{
  GError *error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);
  JsonArray *rows = NULL;

  if (root == NULL && !g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_NO_SUCH_ORDER))
    snapshot_fail (task, error);
  else if (root == NULL)
    g_clear_error (&error);
  else if (member == NULL && JSON_NODE_HOLDS_OBJECT (root))
    row_func (task, json_node_get_object (root));
  else if (member == NULL && JSON_NODE_HOLDS_ARRAY (root))
    rows = json_node_get_array (root);
  else if (member != NULL && JSON_NODE_HOLDS_OBJECT (root))
    rows = bourse_json_get_array (json_node_get_object (root), member);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        row_func (task, json_node_get_object (node));
    }
  snapshot_step_done (task);
}

static void
order_row (GTask      *task,
           JsonObject *row)
{
  add_venue_order (g_task_get_task_data (task), row);
}

static void
balance_row (GTask      *task,
             JsonObject *row)
{
  Snapshot *snapshot = g_task_get_task_data (task);
  BourseVenueBalance *balance = g_new0 (BourseVenueBalance, 1);

  balance->asset = g_strdup (bourse_json_get_string (row, "asset"));
  member_decimal (row, "free", &balance->free);
  member_decimal (row, "locked", &balance->locked);
  if (balance->asset == NULL || (balance->free.units == 0 && balance->locked.units == 0))
    bourse_venue_balance_free (balance);
  else
    g_ptr_array_add (snapshot->snapshot->balances, balance);
}

static void
trade_row (GTask      *task,
           JsonObject *row)
{
  BourseBinanceBroker *self = g_task_get_source_object (task);
  Snapshot *snapshot = g_task_get_task_data (task);
  g_autoptr(BourseVenueFill) fill = g_new0 (BourseVenueFill, 1);
  g_autofree char *id = member_id (row, "id");
  gboolean buyer = FALSE;

  if (id == NULL || bourse_json_get_string (row, "symbol") == NULL)
    return;
  fill->symbol = g_strdup (bourse_json_get_string (row, "symbol"));
  fill->trade_id = g_strdup_printf ("%s:%s", fill->symbol, id);
  fill->exchange_order_id = member_id (row, "orderId");
  bourse_json_get_boolean (row, "isBuyer", &buyer);
  fill->side = buyer ? BOURSE_SIDE_BUY : BOURSE_SIDE_SELL;
  member_decimal (row, "price", &fill->price);
  member_decimal (row, "qty", &fill->quantity);
  member_decimal (row, "commission", &fill->fee);
  fill->fee = fee_in_quote (self, fill->symbol, fill->fee, bourse_json_get_string (row, "commissionAsset"),
                            fill->price);
  bourse_json_get_boolean (row, "isMaker", &fill->maker);
  bourse_json_get_int (row, "time", &fill->time_ms);
  g_ptr_array_add (snapshot->snapshot->fills, g_steal_pointer (&fill));
}

/* What a request of the snapshot brings: where its rows are, and what
 * becomes of each. */
typedef struct
{
  const char      *member;
  SnapshotRowFunc  row_func;
} SnapshotRows;

static const SnapshotRows order_rows = { NULL, order_row };          /* order, openOrders */
static const SnapshotRows balance_rows = { "balances", balance_row };  /* account */
static const SnapshotRows trade_rows = { NULL, trade_row };          /* myTrades */

typedef struct
{
  GTask              *task;
  const SnapshotRows *rows;
} SnapshotRequest;

static void
snapshot_request_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SnapshotRequest *request = user_data;
  g_autoptr(GTask) task = request->task;

  snapshot_answer (object, result, task, request->rows->member, request->rows->row_func);
  g_free (request);
}

static void
snapshot_request (GTask               *task,
                  const char          *path,
                  BourseBinanceParams *params,
                  const SnapshotRows  *rows)
{
  BourseBinanceBroker *self = g_task_get_source_object (task);
  Snapshot *snapshot = g_task_get_task_data (task);
  SnapshotRequest *request = g_new0 (SnapshotRequest, 1);

  request->task = g_object_ref (task);
  request->rows = rows;
  snapshot->pending++;
  bourse_binance_api_request_async (self->api, "GET", path, params, BOURSE_BINANCE_REQUEST_SIGNED,
                                    g_task_get_cancellable (task), snapshot_request_cb, request);
}

/* After the orders, the account and the open orders: the trades of every
 * order that has some; then the snapshot is whole. */
static void
snapshot_step_done (GTask *task)
{
  Snapshot *snapshot = g_task_get_task_data (task);

  if (--snapshot->pending > 0)
    return;
  if (snapshot->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&snapshot->error));
      return;
    }
  if (!snapshot->trades_asked)
    {
      snapshot->trades_asked = TRUE;
      for (guint i = 0; i < snapshot->snapshot->orders->len; i++)
        {
          BourseVenueOrder *order = g_ptr_array_index (snapshot->snapshot->orders, i);
          BourseBinanceParams *params;

          if (order->filled_quantity.units == 0 || order->exchange_order_id == NULL)
            continue;
          params = bourse_binance_params_new ();
          bourse_binance_params_add (params, "symbol", order->symbol);
          bourse_binance_params_add (params, "orderId", order->exchange_order_id);
          snapshot_request (task, "/api/v3/myTrades", params, &trade_rows);
        }
      if (snapshot->pending > 0)
        return;
    }
  g_task_return_pointer (task, g_steal_pointer (&snapshot->snapshot), (GDestroyNotify) bourse_venue_snapshot_free);
}

static void
binance_snapshot_async (BourseBroker        *broker,
                        GPtrArray           *known,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  BourseBinanceBroker *self = BOURSE_BINANCE_BROKER (broker);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  g_task_set_source_tag (task, binance_snapshot_async);
  snapshot->snapshot = bourse_venue_snapshot_new ();
  snapshot->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, snapshot, snapshot_free);
  if (self->api == NULL)
    {
      g_task_return_new_error (task, BOURSE_ERROR, BOURSE_ERROR_UNAVAILABLE, _("The Binance broker is not set up"));
      return;
    }

  /* One pending for the start itself, so no answer finishes it early. */
  snapshot->pending = 1;
  for (guint i = 0; known != NULL && i < known->len; i++)
    {
      const BourseOrder *order = g_ptr_array_index (known, i);
      BourseBinanceParams *params = bourse_binance_params_new ();

      bourse_binance_params_add (params, "symbol", order->symbol);
      bourse_binance_params_add (params, "origClientOrderId", order->client_order_id);
      snapshot_request (task, "/api/v3/order", params, &order_rows);
    }
  snapshot_request (task, "/api/v3/openOrders", NULL, &order_rows);
  snapshot_request (task, "/api/v3/account", NULL, &balance_rows);
  snapshot_step_done (task);
}

static BourseVenueSnapshot *
binance_snapshot_finish (BourseBroker  *broker,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, broker), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */

/* Filters and instruments {{{ */

static gboolean
instrument_audit_cb (BourseStore  *store,
                     const char   *action,
                     const char   *target,
                     JsonNode     *details,
                     gpointer      user_data,
                     GError      **error)
{
  BourseAuditEntry entry = {
    .actor = g_strdup ("system"),
    .action = g_strdup (action),
    .target = g_strdup (target),
    .details = details != NULL ? json_node_copy (details) : NULL,
  };
  gboolean ok = bourse_audit_append (store, &entry, error);

  g_free (entry.ts);
  g_free (entry.actor);
  g_free (entry.action);
  g_free (entry.target);
  g_clear_pointer (&entry.details, json_node_unref);
  g_free (entry.client_address);
  g_free (entry.request_id);
  g_free (entry.prev_hash);
  g_free (entry.hash);
  return ok;
}

/* The instruments' tick, lot and minimum value follow Binance's filters,
 * so an order the desk sizes is one Binance takes. */
static void
follow_filters (BourseBinanceBroker *self)
{
  g_autoptr(GPtrArray) instruments = NULL;
  g_autoptr(GError) error = NULL;

  if (self->market == NULL || (instruments = bourse_instruments_list (self->store, &error)) == NULL)
    return;
  for (guint i = 0; i < instruments->len; i++)
    {
      BourseInstrument *instrument = g_ptr_array_index (instruments, i);
      const BourseBinanceFilters *filters = g_hash_table_lookup (self->filters, instrument->symbol);
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();

      if (filters == NULL)
        continue;
      if (filters->has_price && filters->tick_size.units > 0
          && filters->tick_size.units != instrument->tick_size.units)
        {
          instrument->tick_size = filters->tick_size;
          g_ptr_array_add (fields, (gpointer) "tick_size");
        }
      if (filters->has_lot && filters->step_size.units > 0 && filters->step_size.units != instrument->lot_step.units)
        {
          instrument->lot_step = filters->step_size;
          g_ptr_array_add (fields, (gpointer) "lot_step");
        }
      if (filters->has_notional && filters->min_notional.units != instrument->min_notional.units)
        {
          instrument->min_notional = filters->min_notional;
          g_ptr_array_add (fields, (gpointer) "min_notional");
        }
      if (fields->len == 0)
        continue;
      g_ptr_array_add (fields, NULL);
      if (!bourse_market_update_instrument (self->market, instrument, (const char * const *) fields->pdata,
                                            instrument_audit_cb, NULL, &error))
        {
          g_warning ("Binance: could not make %s follow Binance's filters: %s", instrument->symbol, error->message);
          g_clear_error (&error);
        }
    }
}

static BourseBinanceParams *
exchange_info_params (BourseBinanceBroker *self)
{
  g_autoptr(GPtrArray) instruments = self->store != NULL ? bourse_instruments_list (self->store, NULL) : NULL;
  g_autoptr(GString) symbols = g_string_new ("[");
  BourseBinanceParams *params;

  if (instruments == NULL || instruments->len == 0)
    return NULL;
  for (guint i = 0; i < instruments->len; i++)
    g_string_append_printf (symbols, "%s\"%s\"", i > 0 ? "," : "",
                            ((BourseInstrument *) g_ptr_array_index (instruments, i))->symbol);
  g_string_append_c (symbols, ']');
  params = bourse_binance_params_new ();
  bourse_binance_params_add (params, "symbols", symbols->str);
  return params;
}

static gboolean
take_exchange_info (BourseBinanceBroker  *self,
                    JsonNode             *root,
                    GError              **error)
{
  GHashTable *filters = bourse_binance_filters_parse_exchange_info (root, error);

  if (filters == NULL)
    return FALSE;
  g_hash_table_unref (self->filters);
  self->filters = filters;
  follow_filters (self);
  return TRUE;
}

static gboolean refresh_filters_cb (gpointer data);

static gboolean
filters_retry_cb (gpointer data)
{
  BourseBinanceBroker *self = data;

  g_clear_pointer (&self->filters_retry, g_source_unref);
  refresh_filters_cb (self);
  return G_SOURCE_REMOVE;
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);

  if (root != NULL && take_exchange_info (call->self, root, &error))
    return;
  /* A symbol of ours Binance does not list fails the whole list: then
   * all of Binance's, of which we take ours. */
  if (bourse_binance_api_error_get_code (error) == -1121 && call->other == NULL)
    {
      Call *all = call_new (call->self, NULL);

      all->other = g_strdup ("all");
      bourse_binance_api_request_async (call->self->api, "GET", "/api/v3/exchangeInfo", NULL,
                                        BOURSE_BINANCE_REQUEST_PUBLIC, NULL, refresh_cb, all);
      return;
    }
  note_error (call->self, "exchangeInfo", error);
  /* Without any rules no order passes check (): ask again soon. */
  if (g_hash_table_size (call->self->filters) == 0 && call->self->stream != NULL)
    call->self->filters_retry = bourse_timeout_source_attach (NULL, call->self->retry_max_ms,
                                                              filters_retry_cb, call->self);
}

static gboolean
refresh_filters_cb (gpointer data)
{
  BourseBinanceBroker *self = data;

  bourse_binance_api_request_async (self->api, "GET", "/api/v3/exchangeInfo", exchange_info_params (self),
                                    BOURSE_BINANCE_REQUEST_PUBLIC, NULL, refresh_cb, call_new (self, NULL));
  return G_SOURCE_CONTINUE;
}

void
bourse_binance_broker_refresh_exchange_info (BourseBinanceBroker *self)
{
  g_return_if_fail (BOURSE_IS_BINANCE_BROKER (self));

  if (self->api != NULL)
    refresh_filters_cb (self);
}

static void
clock_synced_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  BourseBinanceBroker *self = call->self;
  g_autoptr(GError) error = NULL;

  if (!bourse_binance_api_sync_clock_finish (BOURSE_BINANCE_API (object), result, &error))
    note_error (self, "time", error);
  if (self->stream == NULL)
    return;   /* disposed meanwhile */
  bourse_binance_user_stream_set_clock_offset (self->stream, bourse_binance_api_get_clock_offset (self->api));
  bourse_binance_user_stream_start (self->stream);
  refresh_filters_cb (self);
}

/* }}} */

/* The broker {{{ */

static void
bourse_binance_broker_dispose (GObject *object)
{
  BourseBinanceBroker *self = (BourseBinanceBroker *)object;

  if (self->stream != NULL)
    bourse_binance_user_stream_stop (self->stream);
  g_clear_object (&self->stream);
  g_clear_handle_id (&self->outbox_source, bourse_source_remove);
  bourse_source_clear (&self->filters_retry);
  g_hash_table_remove_all (self->orders);

  G_OBJECT_CLASS (bourse_binance_broker_parent_class)->dispose (object);
}

static void
bourse_binance_broker_finalize (GObject *object)
{
  BourseBinanceBroker *self = (BourseBinanceBroker *)object;

  g_clear_object (&self->api);
  g_clear_object (&self->market);
  g_clear_object (&self->config);
  g_hash_table_unref (self->filters);
  g_hash_table_unref (self->orders);
  g_hash_table_unref (self->trades);
  g_ptr_array_unref (self->outbox);
  g_free (self->last_error);

  G_OBJECT_CLASS (bourse_binance_broker_parent_class)->finalize (object);
}

static void
bourse_binance_broker_class_init (BourseBinanceBrokerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_binance_broker_dispose;
  object_class->finalize = bourse_binance_broker_finalize;
}

static void
bourse_binance_broker_init (BourseBinanceBroker *self)
{
  self->filters = g_hash_table_new (g_str_hash, g_str_equal);
  self->orders = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, tracked_free);
  self->trades = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->outbox = g_ptr_array_new_with_free_func (g_free);
}

static const char *
binance_get_id (BourseBroker *broker)
{
  return "binance";
}

static const char *
binance_get_name (BourseBroker *broker)
{
  return _("Binance");
}

static gboolean
binance_setup (BourseBroker  *broker,
               BourseConfig  *config,
               BourseMarket  *market,
               BourseSecrets *secrets,
               GError       **error)
{
  BourseBinanceBroker *self = BOURSE_BINANCE_BROKER (broker);
  g_autoptr(BourseBinanceSigner) signer = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self->api == NULL, FALSE);

  signer = bourse_exchange_keys_load (secrets, config, &local_error);
  if (signer == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "keys",
                                _("No Binance API keys are stored: enter them first"));
      return FALSE;
    }

  g_set_object (&self->config, config);
  g_set_object (&self->market, market);
  self->store = market != NULL ? bourse_market_get_store (market) : NULL;
  self->retry_base_ms = bourse_config_get_int (config, "binance", "retry_base_ms");
  self->retry_max_ms = bourse_config_get_int (config, "binance", "retry_max_ms");
  self->api = bourse_binance_api_new (config, signer);

  self->stream = bourse_binance_user_stream_new (config, signer);
  g_signal_connect_object (self->stream, "event", G_CALLBACK (stream_event_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stream, "subscribed", G_CALLBACK (stream_subscribed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stream, "unsubscribed", G_CALLBACK (stream_unsubscribed_cb), self,
                           G_CONNECT_SWAPPED);

  /* Nothing here waits for Binance: the engine's loop (and a fake exchange
   * on it, in tests) goes on. The clock is synced first; exchangeInfo
   * follows, and until it came check () refuses orders as unavailable. A
   * signed request that beats the sync and meets a -1021 resyncs itself. */
  bourse_binance_api_sync_clock_async (self->api, NULL, clock_synced_cb, call_new (self, NULL));
  return TRUE;
}

static void
binance_resume (BourseBroker *broker,
                GPtrArray    *orders)
{
  BourseBinanceBroker *self = BOURSE_BINANCE_BROKER (broker);

  /* They were sent in an earlier run; one without an exchange id may
   * never have been: the reconciliation at start asks Binance. */
  for (guint i = 0; i < orders->len; i++)
    {
      const BourseOrder *order = g_ptr_array_index (orders, i);
      Tracked *tracked;

      if (!bourse_order_is_open (order))
        continue;
      tracked = track (self, order);
      tracked->sent = TRUE;
      tracked->accepted = order->exchange_order_id != NULL;
    }
}

static void
binance_submit (BourseBroker           *broker,
                const BourseOrder      *order,
                const BourseInstrument *instrument)
{
  BourseBinanceBroker *self = BOURSE_BINANCE_BROKER (broker);

  g_return_if_fail (self->api != NULL);

  track (self, order);
  g_ptr_array_add (self->outbox, g_strdup (order->client_order_id));
  /* The order was stored in a transaction that commits after submit ()
   * returns, in this same main-loop turn: it goes out from an idle, so
   * Binance never holds an order the ledger could still roll back. It also
   * lets a bracket's second leg arrive, to send the pair as one OCO. At
   * the default priority, not an idle's: a server kept busy by API traffic
   * would otherwise starve it, and a live order wait for a quiet moment. */
  if (self->outbox_source == 0)
    self->outbox_source = bourse_idle_add (G_PRIORITY_DEFAULT, outbox_cb, self);
}

static guint
count_open (BourseBinanceBroker *self,
            const char          *symbol)
{
  GHashTableIter iter;
  Tracked *tracked;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->orders);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tracked))
    if (g_str_equal (tracked->order->symbol, symbol))
      n++;
  return n;
}

static gboolean
binance_check (BourseBroker            *broker,
               const BourseOrder       *order,
               const BourseInstrument  *instrument,
               GError                 **error)
{
  BourseBinanceBroker *self = BOURSE_BINANCE_BROKER (broker);
  const BourseBinanceFilters *filters = g_hash_table_lookup (self->filters, order->symbol);
  BourseDecimal reference = BOURSE_DECIMAL_ZERO;

  if (g_hash_table_size (self->filters) == 0)
    {
      g_set_error_literal (error, BOURSE_ERROR, BOURSE_ERROR_UNAVAILABLE,
                           _("Binance's trading rules are not loaded yet: try again in a moment"));
      return FALSE;
    }
  if (filters == NULL)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "symbol", _("Binance does not list %s"), order->symbol);
      return FALSE;
    }
  if (self->store != NULL && instrument != NULL)
    bourse_ticker_last_price (self->store, instrument, &reference, NULL, NULL);
  return bourse_binance_filters_check (filters, order, reference, count_open (self, order->symbol), error);
}

static gboolean
binance_cancel (BourseBroker       *broker,
                const BourseOrder  *order,
                gboolean           *pending,
                GError            **error)
{
  BourseBinanceBroker *self = BOURSE_BINANCE_BROKER (broker);
  Tracked *tracked = g_hash_table_lookup (self->orders, order->client_order_id);

  *pending = TRUE;
  /* Not yet taken (in the outbox, or its outcome unknown): the cancel
   * waits for Binance's answer, so it is never sent before the order. */
  if (tracked != NULL && !tracked->accepted)
    {
      tracked->cancel_wanted = TRUE;
      return TRUE;
    }
  send_cancel (self, order->symbol, order->client_order_id);
  return TRUE;
}

static void
binance_on_price (BourseBroker           *broker,
                  const BourseInstrument *instrument,
                  BourseDecimal           price)
{
}

static JsonNode *
binance_status_json (BourseBroker *broker)
{
  BourseBinanceBroker *self = BOURSE_BINANCE_BROKER (broker);
  g_autoptr(JsonNode) api = NULL;
  JsonObject *status = json_object_new ();
  JsonNode *root = json_node_new (JSON_NODE_OBJECT);

  if (self->stream != NULL)
    {
      g_autoptr(JsonNode) stream = bourse_binance_user_stream_status_json (self->stream);
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (stream));
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (status, name, json_node_copy (value));
    }
  else
    json_object_set_boolean_member (status, "connected", FALSE);
  if (self->api != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      api = bourse_binance_api_status_json (self->api);
      json_object_iter_init (&iter, json_node_get_object (api));
      while (json_object_iter_next (&iter, &name, &value))
        if (!g_str_equal (name, "last_error") || self->last_error == NULL)
          json_object_set_member (status, name, json_node_copy (value));
    }
  json_object_set_int_member (status, "open_orders", g_hash_table_size (self->orders));
  json_object_set_int_member (status, "symbols", g_hash_table_size (self->filters));
  if (self->last_error != NULL)
    json_object_set_string_member (status, "last_error", self->last_error);
  json_node_take_object (root, status);
  return root;
}

static void
broker_iface_init (BourseBrokerInterface *iface)
{
  iface->get_id = binance_get_id;
  iface->get_name = binance_get_name;
  iface->setup = binance_setup;
  iface->resume = binance_resume;
  iface->submit = binance_submit;
  iface->check = binance_check;
  iface->cancel = binance_cancel;
  iface->on_price = binance_on_price;
  iface->snapshot_async = binance_snapshot_async;
  iface->snapshot_finish = binance_snapshot_finish;
  iface->status_json = binance_status_json;
}

BourseBinanceApi *
bourse_binance_broker_get_api (BourseBinanceBroker *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_BROKER (self), NULL);

  return self->api;
}

void
bourse_binance_broker_register (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      g_io_extension_point_implement (BOURSE_BROKER_EXTENSION_POINT_NAME, BOURSE_TYPE_BINANCE_BROKER, "binance", 50);
      g_once_init_leave (&registered, 1);
    }
}

/* }}} */
