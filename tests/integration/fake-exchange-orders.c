/* fake-exchange-orders.c — the fake exchange's signed order side
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Binance Spot's REST trading as its documentation describes it
 * (binance-spot-api-docs: rest-api.md, errors.md, filters.md,
 * user-data-stream.md): the same parameters, answers, error codes and
 * messages, so that the broker written against this fake works against
 * Binance. Where the fake is simpler it says so: one price per symbol
 * instead of a book, the last price as PERCENT_PRICE's average.
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"
#include "fake-exchange-orders.h"
#include "fake-exchange-private.h"

#define DEFAULT_RECV_WINDOW  5000
#define MAX_RECV_WINDOW      60000
#define TEN_SECONDS_MS       G_GINT64_CONSTANT (10000)
#define DAY_MS               G_GINT64_CONSTANT (86400000)
#define MINUTE_MS            G_GINT64_CONSTANT (60000)
#define WEIGHT_LIMIT         6000

typedef enum
{
  TYPE_MARKET,
  TYPE_LIMIT,
  TYPE_LIMIT_MAKER,
  TYPE_STOP_LOSS_LIMIT,
  TYPE_TAKE_PROFIT_LIMIT,
} OrderType;

static const char * const type_names[] = {
  "MARKET", "LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT",
};

typedef enum
{
  STATUS_NEW,
  STATUS_PARTIALLY_FILLED,
  STATUS_FILLED,
  STATUS_CANCELED,
  STATUS_EXPIRED,
} OrderStatus;

static const char * const status_names[] = {
  "NEW", "PARTIALLY_FILLED", "FILLED", "CANCELED", "EXPIRED",
};

typedef enum
{
  SHAPE_ACK,
  SHAPE_RESULT,
  SHAPE_FULL,
  SHAPE_QUERY,
  SHAPE_CANCEL,
} Shape;

/* PRICE_FILTER's, LOT_SIZE's and MARKET_LOT_SIZE's bounds and step. */
typedef struct
{
  BourseDecimal min;
  BourseDecimal max;
  BourseDecimal step;
} Range;

typedef struct
{
  char          *name;
  char          *base;
  char          *quote;
  BourseDecimal  price;
  Range          price_filter;
  Range          lot;
  Range          market_lot;
  BourseDecimal  min_notional;
  BourseDecimal  max_notional;
  gboolean       apply_min_to_market;
  gboolean       apply_max_to_market;
  BourseDecimal  bid_up;
  BourseDecimal  bid_down;
  BourseDecimal  ask_up;
  BourseDecimal  ask_down;
  guint          max_num_orders;
} Symbol;

typedef struct
{
  BourseDecimal free;
  BourseDecimal locked;
  gboolean      dirty;     /* changed since the last outboundAccountPosition */
} Balance;

typedef struct
{
  char       *api_key;
  GHashTable *balances;    /* asset → Balance */
  gint64      uid;
  gint64      update_time;
} Account;

/* What an order (or both legs of an OCO) holds of a balance. */
typedef struct
{
  char          *asset;
  BourseDecimal  amount;
} Lock;

typedef struct _OrderList OrderList;

typedef struct
{
  gint64         id;
  Account       *account;
  Symbol        *symbol;
  char          *client_order_id;
  gboolean       buy;
  OrderType      type;
  const char    *time_in_force;
  BourseDecimal  quantity;
  BourseDecimal  price;
  BourseDecimal  stop_price;
  BourseDecimal  quote_order_qty;
  BourseDecimal  executed;
  BourseDecimal  cumulative_quote;
  BourseDecimal  chunk;            /* one matching step's quantity */
  OrderStatus    status;
  gboolean       working;          /* on the book (a stop: triggered) */
  gboolean       on_book;          /* its next fills are maker fills */
  gint64         time;
  gint64         update_time;
  gint64         working_time;     /* -1 until it works */
  OrderList     *list;
  Lock          *lock;
  const char    *expiry_reason;
} Order;

struct _OrderList
{
  gint64      id;
  char       *client_id;
  Symbol     *symbol;
  Order      *legs[2];             /* below, above */
  gboolean    done;
  gint64      time;
};

typedef struct
{
  gint64         id;
  Order         *order;
  BourseDecimal  price;
  BourseDecimal  qty;
  BourseDecimal  quote_qty;
  BourseDecimal  commission;
  const char    *commission_asset;
  gint64         time;
  gboolean       maker;
} Trade;

typedef struct
{
  char        *method;
  char        *path;
  FakeFailure  failure;
} Failure;

typedef struct
{
  char       *api_key;
  JsonObject *event;
} Event;

typedef struct
{
  FakeOrders        *orders;
  SoupServerMessage *message;
} Held;

struct _FakeOrders
{
  FakeExchange   *self;
  GHashTable     *symbols;         /* name → Symbol */
  GHashTable     *accounts;        /* API key → Account */
  GPtrArray      *orders;          /* Order, oldest first */
  GPtrArray      *lists;           /* OrderList */
  GPtrArray      *trades;          /* Trade */
  GPtrArray      *locks;           /* Lock */
  GPtrArray      *requests;        /* FakeApiRequest */
  GPtrArray      *events;          /* Event */
  GPtrArray      *held;            /* Held */
  GQueue          failures;        /* Failure */
  guint           retry_after;
  gint64          next_order_id;
  gint64          next_list_id;
  gint64          next_trade_id;
  gint64          next_execution_id;
  gint64          next_uid;
  guint           next_client_id;
  guint           fill_parts;
  BourseDecimal   commission_rate;
  FakeCommission  commission_kind;
  char           *commission_asset;
  BourseDecimal   commission_asset_price;
  guint           limit_10s;
  guint           limit_day;
  gint64          window_10s;
  gint64          window_day;
  guint           count_10s;
  guint           count_day;
  gint64          weight_minute;
  guint           weight;
};

/* Decimals {{{ */

static BourseDecimal
dec (const char *text)
{
  g_autoptr(GError) error = NULL;
  BourseDecimal value = BOURSE_DECIMAL_ZERO;

  bourse_decimal_parse (text, &value, &error);
  g_assert_no_error (error);
  return value;
}

static BourseDecimal
dec_add (BourseDecimal a,
         BourseDecimal b)
{
  BourseDecimal out;

  if (!bourse_decimal_add (a, b, &out, NULL))
    g_error ("fake exchange: a decimal overflowed");
  return out;
}

static BourseDecimal
dec_sub (BourseDecimal a,
         BourseDecimal b)
{
  BourseDecimal out;

  if (!bourse_decimal_sub (a, b, &out, NULL))
    g_error ("fake exchange: a decimal overflowed");
  return out;
}

static BourseDecimal
dec_mul (BourseDecimal  a,
         BourseDecimal  b,
         BourseRounding rounding)
{
  BourseDecimal out;

  if (!bourse_decimal_mul (a, b, rounding, &out, NULL))
    g_error ("fake exchange: a decimal overflowed");
  return out;
}

static BourseDecimal
dec_div (BourseDecimal  a,
         BourseDecimal  b,
         BourseRounding rounding)
{
  BourseDecimal out;

  if (!bourse_decimal_div (a, b, rounding, &out, NULL))
    g_error ("fake exchange: a decimal division failed");
  return out;
}

static BourseDecimal
dec_min (BourseDecimal a,
         BourseDecimal b)
{
  return bourse_decimal_compare (a, b) <= 0 ? a : b;
}

static gboolean
dec_positive (BourseDecimal value)
{
  return value.units > 0;
}

/* Whether @value is a multiple of @step (a zero step allows anything). */
static gboolean
on_step (BourseDecimal value,
         BourseDecimal step)
{
  return step.units <= 0 || value.units % step.units == 0;
}

static BourseDecimal
floor_to_step (BourseDecimal value,
               BourseDecimal step)
{
  if (step.units <= 0)
    return value;
  return (BourseDecimal) { value.units - value.units % step.units };
}

/* }}} */

/* State {{{ */

static FakeOrders *
get_orders (FakeExchange *self)
{
  FakeOrders *orders = *fake_exchange_orders_slot (self);

  g_assert (orders != NULL);
  return orders;
}

static gint64
now_ms (FakeOrders *orders)
{
  return fake_exchange_clock_ms (orders->self);
}

static Symbol *
lookup_symbol (FakeOrders *orders,
               const char *name)
{
  Symbol *symbol = g_hash_table_lookup (orders->symbols, name);

  g_assert (symbol != NULL);
  return symbol;
}

static Account *
get_account (FakeOrders *orders,
             const char *api_key)
{
  Account *account = g_hash_table_lookup (orders->accounts, api_key);

  if (account == NULL)
    {
      account = g_new0 (Account, 1);
      account->api_key = g_strdup (api_key);
      account->balances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      account->uid = orders->next_uid++;
      account->update_time = now_ms (orders);
      g_hash_table_insert (orders->accounts, account->api_key, account);
    }
  return account;
}

static Balance *
get_balance (Account    *account,
             const char *asset)
{
  Balance *balance = g_hash_table_lookup (account->balances, asset);

  if (balance == NULL)
    {
      balance = g_new0 (Balance, 1);
      g_hash_table_insert (account->balances, g_strdup (asset), balance);
    }
  return balance;
}

static void
change_balance (FakeOrders    *orders,
                Account       *account,
                const char    *asset,
                BourseDecimal  free_delta,
                BourseDecimal  locked_delta)
{
  Balance *balance = get_balance (account, asset);

  balance->free = dec_add (balance->free, free_delta);
  balance->locked = dec_add (balance->locked, locked_delta);
  balance->dirty = TRUE;
  account->update_time = now_ms (orders);
}

static BourseDecimal
neg (BourseDecimal value)
{
  return (BourseDecimal) { -value.units };
}

static gboolean
order_is_open (Order *order)
{
  return order->status == STATUS_NEW || order->status == STATUS_PARTIALLY_FILLED;
}

static gboolean
order_is_stop (Order *order)
{
  return order->type == TYPE_STOP_LOSS_LIMIT || order->type == TYPE_TAKE_PROFIT_LIMIT;
}

static BourseDecimal
order_remaining (Order *order)
{
  return dec_sub (order->quantity, order->executed);
}

static Order *
find_order_by_id (FakeOrders *orders,
                  gint64      id)
{
  for (guint i = 0; i < orders->orders->len; i++)
    {
      Order *order = g_ptr_array_index (orders->orders, i);

      if (order->id == id)
        return order;
    }
  return NULL;
}

/* The open order with @client_order_id, else the newest one. */
static Order *
find_order_by_client_id (FakeOrders *orders,
                         Account    *account,
                         Symbol     *symbol,
                         const char *client_order_id)
{
  Order *newest = NULL;

  for (guint i = 0; i < orders->orders->len; i++)
    {
      Order *order = g_ptr_array_index (orders->orders, i);

      if ((account != NULL && order->account != account) || (symbol != NULL && order->symbol != symbol)
          || !g_str_equal (order->client_order_id, client_order_id))
        continue;
      if (order_is_open (order))
        return order;
      newest = order;
    }
  return newest;
}

static guint
count_open_orders (FakeOrders *orders,
                   Account    *account,
                   Symbol     *symbol)
{
  guint n = 0;

  for (guint i = 0; i < orders->orders->len; i++)
    {
      Order *order = g_ptr_array_index (orders->orders, i);

      if (order->account == account && order->symbol == symbol && order_is_open (order))
        n++;
    }
  return n;
}

static char *
new_client_id (FakeOrders *orders,
               const char *prefix)
{
  /* Binance makes up 22 characters; so does the fake, countably. */
  return g_strdup_printf ("%s%0*u", prefix, (int)(22 - strlen (prefix)), ++orders->next_client_id);
}

/* }}} */

/* User events {{{ */

static void
emit (FakeOrders *orders,
      Account    *account,
      JsonNode   *node)
{
  Event *event = g_new0 (Event, 1);

  event->api_key = g_strdup (account->api_key);
  event->event = json_object_ref (json_node_get_object (node));
  g_ptr_array_add (orders->events, event);
  fake_exchange_user_event (orders->self, account->api_key, event->event);
  json_node_unref (node);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_dec (JsonBuilder   *builder,
         const char    *name,
         BourseDecimal  value)
{
  bourse_json_builder_add_decimal (builder, name, &value);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **)a, *(const char **)b);
}

/* The keys of @table, sorted, so that answers and events do not follow
 * the hash's order. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

/* One outboundAccountPosition per account whose balances changed, with
 * the assets that did: what Binance sends after each action. */
static void
flush_balances (FakeOrders *orders)
{
  g_autoptr(GPtrArray) keys = sorted_keys (orders->accounts);

  for (guint i = 0; i < keys->len; i++)
    {
      Account *account = g_hash_table_lookup (orders->accounts, g_ptr_array_index (keys, i));
      g_autoptr(GPtrArray) assets = sorted_keys (account->balances);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      gboolean any = FALSE;

      json_builder_begin_object (builder);
      add_string (builder, "e", "outboundAccountPosition");
      add_int (builder, "E", now_ms (orders));
      add_int (builder, "u", account->update_time);
      json_builder_set_member_name (builder, "B");
      json_builder_begin_array (builder);
      for (guint j = 0; j < assets->len; j++)
        {
          const char *asset = g_ptr_array_index (assets, j);
          Balance *balance = g_hash_table_lookup (account->balances, asset);

          if (!balance->dirty)
            continue;
          balance->dirty = FALSE;
          any = TRUE;
          json_builder_begin_object (builder);
          add_string (builder, "a", asset);
          add_dec (builder, "f", balance->free);
          add_dec (builder, "l", balance->locked);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      if (any)
        emit (orders, account, json_builder_get_root (builder));
    }
}

/* @trade: the fill that caused it (x TRADE); @cancel_id: the cancel's own
 * client id, which Binance puts in "c" with the order's in "C". */
static void
send_execution_report (FakeOrders *orders,
                       Order      *order,
                       const char *execution_type,
                       Trade      *trade,
                       const char *cancel_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "e", "executionReport");
  add_int (builder, "E", now_ms (orders));
  add_string (builder, "s", order->symbol->name);
  add_string (builder, "c", cancel_id != NULL ? cancel_id : order->client_order_id);
  add_string (builder, "S", order->buy ? "BUY" : "SELL");
  add_string (builder, "o", type_names[order->type]);
  add_string (builder, "f", order->time_in_force);
  add_dec (builder, "q", order->quantity);
  add_dec (builder, "p", order->price);
  add_dec (builder, "P", order->stop_price);
  add_dec (builder, "F", BOURSE_DECIMAL_ZERO);
  add_int (builder, "g", order->list != NULL ? order->list->id : -1);
  add_string (builder, "C", cancel_id != NULL ? order->client_order_id : "");
  add_string (builder, "x", execution_type);
  add_string (builder, "X", status_names[order->status]);
  add_string (builder, "r", "NONE");
  add_int (builder, "i", order->id);
  add_dec (builder, "l", trade != NULL ? trade->qty : BOURSE_DECIMAL_ZERO);
  add_dec (builder, "z", order->executed);
  add_dec (builder, "L", trade != NULL ? trade->price : BOURSE_DECIMAL_ZERO);
  if (trade != NULL)
    {
      add_dec (builder, "n", trade->commission);
      add_string (builder, "N", trade->commission_asset);
    }
  else
    {
      add_string (builder, "n", "0");
      add_string (builder, "N", NULL);
    }
  add_int (builder, "T", trade != NULL ? trade->time : order->update_time);
  add_int (builder, "t", trade != NULL ? trade->id : -1);
  add_int (builder, "I", orders->next_execution_id++);
  add_bool (builder, "w", order_is_open (order) && order->working);
  add_bool (builder, "m", trade != NULL && trade->maker);
  add_bool (builder, "M", FALSE);
  add_int (builder, "O", order->time);
  add_dec (builder, "Z", order->cumulative_quote);
  add_dec (builder, "Y", trade != NULL ? trade->quote_qty : BOURSE_DECIMAL_ZERO);
  add_dec (builder, "Q", order->quote_order_qty);
  if (order->working_time >= 0)
    add_int (builder, "W", order->working_time);
  add_string (builder, "V", "NONE");
  if (order->status == STATUS_EXPIRED && order->expiry_reason != NULL)
    add_string (builder, "eR", order->expiry_reason);
  json_builder_end_object (builder);
  emit (orders, order->account, json_builder_get_root (builder));
}

static void
send_list_status (FakeOrders *orders,
                  OrderList  *list)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "e", "listStatus");
  add_int (builder, "E", now_ms (orders));
  add_string (builder, "s", list->symbol->name);
  add_int (builder, "g", list->id);
  add_string (builder, "c", "OCO");
  add_string (builder, "l", list->done ? "ALL_DONE" : "EXEC_STARTED");
  add_string (builder, "L", list->done ? "ALL_DONE" : "EXECUTING");
  add_string (builder, "r", "NONE");
  add_string (builder, "C", list->client_id);
  add_int (builder, "T", now_ms (orders));
  json_builder_set_member_name (builder, "O");
  json_builder_begin_array (builder);
  for (guint i = 0; i < 2; i++)
    {
      json_builder_begin_object (builder);
      add_string (builder, "s", list->symbol->name);
      add_int (builder, "i", list->legs[i]->id);
      add_string (builder, "c", list->legs[i]->client_order_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  emit (orders, list->legs[0]->account, json_builder_get_root (builder));
}

/* }}} */

/* Answers' shapes {{{ */

static void
build_trade (JsonBuilder *builder,
             Trade       *trade)
{
  Order *order = trade->order;

  json_builder_begin_object (builder);
  add_string (builder, "symbol", order->symbol->name);
  add_int (builder, "id", trade->id);
  add_int (builder, "orderId", order->id);
  add_int (builder, "orderListId", order->list != NULL ? order->list->id : -1);
  add_dec (builder, "price", trade->price);
  add_dec (builder, "qty", trade->qty);
  add_dec (builder, "quoteQty", trade->quote_qty);
  add_dec (builder, "commission", trade->commission);
  add_string (builder, "commissionAsset", trade->commission_asset);
  add_int (builder, "time", trade->time);
  add_bool (builder, "isBuyer", order->buy);
  add_bool (builder, "isMaker", trade->maker);
  add_bool (builder, "isBestMatch", TRUE);
  json_builder_end_object (builder);
}

/* The order as the endpoint of @shape shows it; @fills: the trades of
 * this request (SHAPE_FULL); @cancel_id: the cancel's client id. */
static void
build_order (JsonBuilder *builder,
             Order       *order,
             Shape        shape,
             GPtrArray   *fills,
             const char  *cancel_id,
             gint64       transact_time)
{
  json_builder_begin_object (builder);
  add_string (builder, "symbol", order->symbol->name);
  if (shape == SHAPE_CANCEL)
    add_string (builder, "origClientOrderId", order->client_order_id);
  add_int (builder, "orderId", order->id);
  add_int (builder, "orderListId", order->list != NULL ? order->list->id : -1);
  add_string (builder, "clientOrderId", shape == SHAPE_CANCEL ? cancel_id : order->client_order_id);
  if (shape != SHAPE_QUERY)
    add_int (builder, "transactTime", transact_time);
  if (shape == SHAPE_ACK)
    {
      json_builder_end_object (builder);
      return;
    }
  add_dec (builder, "price", order->price);
  add_dec (builder, "origQty", order->quantity);
  add_dec (builder, "executedQty", order->executed);
  add_dec (builder, "origQuoteOrderQty", order->quote_order_qty);
  add_dec (builder, "cummulativeQuoteQty", order->cumulative_quote);
  add_string (builder, "status", status_names[order->status]);
  add_string (builder, "timeInForce", order->time_in_force);
  add_string (builder, "type", type_names[order->type]);
  add_string (builder, "side", order->buy ? "BUY" : "SELL");
  if (order_is_stop (order))
    add_dec (builder, "stopPrice", order->stop_price);
  if (shape == SHAPE_QUERY)
    {
      add_int (builder, "time", order->time);
      add_int (builder, "updateTime", order->update_time);
      add_bool (builder, "isWorking", order_is_open (order) && order->working);
    }
  if (shape != SHAPE_CANCEL)
    add_int (builder, "workingTime", order->working_time);
  add_string (builder, "selfTradePreventionMode", "NONE");
  if (order->status == STATUS_EXPIRED && order->expiry_reason != NULL)
    add_string (builder, "expiryReason", order->expiry_reason);
  if (shape == SHAPE_FULL)
    {
      json_builder_set_member_name (builder, "fills");
      json_builder_begin_array (builder);
      for (guint i = 0; fills != NULL && i < fills->len; i++)
        {
          Trade *trade = g_ptr_array_index (fills, i);

          json_builder_begin_object (builder);
          add_dec (builder, "price", trade->price);
          add_dec (builder, "qty", trade->qty);
          add_dec (builder, "commission", trade->commission);
          add_string (builder, "commissionAsset", trade->commission_asset);
          add_int (builder, "tradeId", trade->id);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

static void
build_list (JsonBuilder *builder,
            OrderList   *list,
            Shape        shape,
            const char  *cancel_id,
            gint64       transact_time)
{
  json_builder_begin_object (builder);
  add_int (builder, "orderListId", list->id);
  add_string (builder, "contingencyType", "OCO");
  add_string (builder, "listStatusType", list->done ? "ALL_DONE" : "EXEC_STARTED");
  add_string (builder, "listOrderStatus", list->done ? "ALL_DONE" : "EXECUTING");
  add_string (builder, "listClientOrderId", list->client_id);
  add_int (builder, "transactionTime", transact_time);
  add_string (builder, "symbol", list->symbol->name);
  json_builder_set_member_name (builder, "orders");
  json_builder_begin_array (builder);
  for (guint i = 0; i < 2; i++)
    {
      json_builder_begin_object (builder);
      add_string (builder, "symbol", list->symbol->name);
      add_int (builder, "orderId", list->legs[i]->id);
      add_string (builder, "clientOrderId", list->legs[i]->client_order_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "orderReports");
  json_builder_begin_array (builder);
  for (guint i = 0; i < 2; i++)
    build_order (builder, list->legs[i], shape, NULL, cancel_id, transact_time);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* }}} */

/* Matching {{{ */

static Lock *
lock_new (FakeOrders    *orders,
          const char    *asset,
          BourseDecimal  amount)
{
  Lock *lock = g_new0 (Lock, 1);

  lock->asset = g_strdup (asset);
  lock->amount = amount;
  g_ptr_array_add (orders->locks, lock);
  return lock;
}

static void
lock_release (FakeOrders    *orders,
              Order         *order,
              BourseDecimal  amount)
{
  Lock *lock = order->lock;

  amount = dec_min (amount, lock->amount);
  if (!dec_positive (amount))
    return;
  lock->amount = dec_sub (lock->amount, amount);
  change_balance (orders, order->account, lock->asset, amount, neg (amount));
}

/* An order that stops working gives back what it held, unless the other
 * leg of its OCO still holds it. */
static void
order_finished (FakeOrders *orders,
                Order      *order)
{
  if (order->list != NULL)
    for (guint i = 0; i < 2; i++)
      if (order->list->legs[i] != order && order_is_open (order->list->legs[i]))
        return;
  lock_release (orders, order, order->lock->amount);
}

static void
expire_order (FakeOrders *orders,
              Order      *order,
              const char *reason)
{
  order->status = STATUS_EXPIRED;
  order->expiry_reason = reason;
  order->update_time = now_ms (orders);
  order_finished (orders, order);
  send_execution_report (orders, order, "EXPIRED", NULL, NULL);
}

/* One leg of an OCO started working (a stop triggered, or the other leg
 * traded): Binance expires the other and the list is done. */
static void
list_triggered (FakeOrders *orders,
                Order      *order)
{
  OrderList *list = order->list;

  if (list == NULL || list->done)
    return;
  for (guint i = 0; i < 2; i++)
    if (list->legs[i] != order && order_is_open (list->legs[i]))
      expire_order (orders, list->legs[i], "OCO_TRIGGER");
  list->done = TRUE;
  send_list_status (orders, list);
}

static void
commission_for (FakeOrders     *orders,
                Order          *order,
                BourseDecimal   qty,
                BourseDecimal   quote,
                BourseDecimal  *amount,
                const char    **asset)
{
  Symbol *symbol = order->symbol;

  switch (orders->commission_kind)
    {
    case FAKE_COMMISSION_ASSET:
      {
        Balance *balance = get_balance (order->account, orders->commission_asset);
        BourseDecimal value = dec_mul (quote, orders->commission_rate, BOURSE_ROUND_HALF_UP);

        *amount = dec_div (value, orders->commission_asset_price, BOURSE_ROUND_HALF_UP);
        *asset = orders->commission_asset;
        /* Without enough of it, Binance charges the usual way. */
        if (bourse_decimal_compare (balance->free, *amount) >= 0)
          return;
      }
      break;
    case FAKE_COMMISSION_RECEIVED:
      if (order->buy)
        {
          *amount = dec_mul (qty, orders->commission_rate, BOURSE_ROUND_HALF_UP);
          *asset = symbol->base;
          return;
        }
      break;
    case FAKE_COMMISSION_QUOTE:
    default:
      break;
    }
  *amount = dec_mul (quote, orders->commission_rate, BOURSE_ROUND_HALF_UP);
  *asset = symbol->quote;
}

static Trade *
fill (FakeOrders    *orders,
      Order         *order,
      BourseDecimal  qty,
      BourseDecimal  price,
      gboolean       maker)
{
  Symbol *symbol = order->symbol;
  Trade *trade = g_new0 (Trade, 1);
  BourseDecimal remaining = order_remaining (order);
  BourseDecimal release;

  /* A leg of an OCO that trades ends the other. */
  if (order->list != NULL)
    list_triggered (orders, order);

  trade->id = orders->next_trade_id++;
  trade->order = order;
  trade->price = price;
  trade->qty = qty;
  trade->quote_qty = dec_mul (price, qty, BOURSE_ROUND_HALF_UP);
  trade->time = now_ms (orders);
  trade->maker = maker;
  commission_for (orders, order, qty, trade->quote_qty, &trade->commission, &trade->commission_asset);
  g_ptr_array_add (orders->trades, trade);

  /* What the order held, in proportion to what this fill takes of it. */
  release = dec_div (dec_mul (order->lock->amount, qty, BOURSE_ROUND_CEILING), remaining, BOURSE_ROUND_CEILING);
  lock_release (orders, order, release);
  if (order->buy)
    {
      change_balance (orders, order->account, symbol->quote, neg (trade->quote_qty), BOURSE_DECIMAL_ZERO);
      change_balance (orders, order->account, symbol->base, qty, BOURSE_DECIMAL_ZERO);
    }
  else
    {
      change_balance (orders, order->account, symbol->base, neg (qty), BOURSE_DECIMAL_ZERO);
      change_balance (orders, order->account, symbol->quote, trade->quote_qty, BOURSE_DECIMAL_ZERO);
    }
  change_balance (orders, order->account, trade->commission_asset, neg (trade->commission), BOURSE_DECIMAL_ZERO);

  order->executed = dec_add (order->executed, qty);
  order->cumulative_quote = dec_add (order->cumulative_quote, trade->quote_qty);
  order->status = bourse_decimal_compare (order->executed, order->quantity) >= 0 ? STATUS_FILLED
                                                                                 : STATUS_PARTIALLY_FILLED;
  order->update_time = trade->time;
  if (order->status == STATUS_FILLED)
    order_finished (orders, order);
  send_execution_report (orders, order, "TRADE", trade, NULL);
  return trade;
}

static gboolean
is_marketable (Order *order)
{
  BourseDecimal market = order->symbol->price;

  if (!order_is_open (order) || !order->working)
    return FALSE;
  if (order->type == TYPE_MARKET)
    return TRUE;
  return order->buy ? bourse_decimal_compare (market, order->price) <= 0
                    : bourse_decimal_compare (market, order->price) >= 0;
}

static gboolean
stop_triggers (Order         *order,
               BourseDecimal  market)
{
  int cmp = bourse_decimal_compare (market, order->stop_price);

  /* A stop loss buys on the way up and sells on the way down; a take
   * profit the other way round (rest-api.md, "Trigger order price rules"). */
  if (order->type == TYPE_STOP_LOSS_LIMIT)
    return order->buy ? cmp >= 0 : cmp <= 0;
  return order->buy ? cmp <= 0 : cmp >= 0;
}

/* One matching step: a part of the order (all of it for MARKET and FOK)
 * trades at the market price when it takes, at its own when it rests. */
static void
match_step (FakeOrders *orders,
            Order      *order,
            GPtrArray  *fills)
{
  gboolean all = order->type == TYPE_MARKET || g_str_equal (order->time_in_force, "FOK");
  gboolean maker = order->on_book;
  BourseDecimal price = maker ? order->price : order->symbol->price;

  do
    {
      Trade *trade = fill (orders, order, dec_min (order->chunk, order_remaining (order)), price, maker);

      if (fills != NULL)
        g_ptr_array_add (fills, trade);
    }
  while (all && order_is_open (order));
  if (order_is_open (order))
    order->on_book = TRUE;
}

static void
match_symbol (FakeOrders *orders,
              Symbol     *symbol)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new ();

  /* A snapshot: fills expire OCO legs as the loop goes. */
  for (guint i = 0; i < orders->orders->len; i++)
    {
      Order *order = g_ptr_array_index (orders->orders, i);

      if (order->symbol == symbol && order_is_open (order))
        g_ptr_array_add (open, order);
    }

  for (guint i = 0; i < open->len; i++)
    {
      Order *order = g_ptr_array_index (open, i);

      if (!order_is_open (order))
        continue;
      if (order_is_stop (order) && !order->working)
        {
          if (!stop_triggers (order, symbol->price))
            continue;
          order->working = TRUE;
          order->working_time = now_ms (orders);
          order->update_time = order->working_time;
          list_triggered (orders, order);
        }
      if (is_marketable (order))
        match_step (orders, order, NULL);
    }
}

static void
cancel_order (FakeOrders *orders,
              Order      *order,
              const char *cancel_id)
{
  order->status = STATUS_CANCELED;
  order->update_time = now_ms (orders);
  order_finished (orders, order);
  send_execution_report (orders, order, "CANCELED", NULL, cancel_id);
}

/* Canceling one leg of an OCO cancels the list (rest-api.md). */
static void
cancel_with_list (FakeOrders *orders,
                  Order      *order,
                  const char *cancel_id)
{
  OrderList *list = order->list;

  if (list == NULL)
    {
      cancel_order (orders, order, cancel_id);
      return;
    }
  for (guint i = 0; i < 2; i++)
    if (order_is_open (list->legs[i]))
      cancel_order (orders, list->legs[i], cancel_id);
  if (!list->done)
    {
      list->done = TRUE;
      send_list_status (orders, list);
    }
}

/* }}} */

/* Placing orders {{{ */

typedef struct
{
  guint     status;
  int       code;
  char     *msg;
  JsonNode *body;
} Reply;

static gboolean G_GNUC_PRINTF (4, 5)
reply_error (Reply      *reply,
             guint       status,
             int         code,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  reply->status = status;
  reply->code = code;
  g_free (reply->msg);
  reply->msg = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

static gboolean
reply_filter (Reply      *reply,
              const char *filter)
{
  return reply_error (reply, 400, -1013, "Filter failure: %s", filter);
}

typedef struct
{
  Symbol        *symbol;
  gboolean       buy;
  OrderType      type;
  const char    *time_in_force;    /* NULL: not sent */
  gboolean       has_quote_order_qty;
  BourseDecimal  quantity;
  BourseDecimal  price;
  BourseDecimal  stop_price;
  BourseDecimal  quote_order_qty;
  const char    *client_order_id;  /* NULL: made up */
} OrderSpec;

static gboolean
spec_has_price (OrderSpec *spec)
{
  return spec->type != TYPE_MARKET;
}

static gboolean
spec_is_stop (OrderSpec *spec)
{
  return spec->type == TYPE_STOP_LOSS_LIMIT || spec->type == TYPE_TAKE_PROFIT_LIMIT;
}

static gboolean
check_price_filter (Symbol        *symbol,
                    BourseDecimal  price)
{
  return (!dec_positive (symbol->price_filter.min) || bourse_decimal_compare (price, symbol->price_filter.min) >= 0)
         && (!dec_positive (symbol->price_filter.max) || bourse_decimal_compare (price, symbol->price_filter.max) <= 0)
         && on_step (price, symbol->price_filter.step);
}

static gboolean
check_lot (BourseDecimal  qty,
           Range         *lot)
{
  return bourse_decimal_compare (qty, lot->min) >= 0
         && (!dec_positive (lot->max) || bourse_decimal_compare (qty, lot->max) <= 0)
         && dec_positive (qty) && on_step (qty, lot->step);
}

/* A MARKET order by quote quantity trades what that buys (or brings) at
 * the last price, on the lot's step (rest-api.md: it does not break
 * LOT_SIZE). */
static void
resolve_quote_order_qty (OrderSpec *spec)
{
  Symbol *symbol = spec->symbol;
  BourseDecimal step = dec_positive (symbol->market_lot.step) ? symbol->market_lot.step : symbol->lot.step;

  if (spec->type != TYPE_MARKET || !spec->has_quote_order_qty)
    return;
  spec->quantity = floor_to_step (dec_div (spec->quote_order_qty, symbol->price, BOURSE_ROUND_FLOOR), step);
}

/* The API's checks (-1013), before the matching engine sees the order. */
static gboolean
check_filters (FakeOrders *orders,
               Account    *account,
               OrderSpec  *spec,
               guint       n_orders,
               Reply      *reply)
{
  Symbol *symbol = spec->symbol;
  BourseDecimal notional;

  if (spec_has_price (spec) && !check_price_filter (symbol, spec->price))
    return reply_filter (reply, "PRICE_FILTER");
  if (spec_is_stop (spec) && !check_price_filter (symbol, spec->stop_price))
    return reply_filter (reply, "PRICE_FILTER");
  if (spec_has_price (spec))
    {
      BourseDecimal up = spec->buy ? symbol->bid_up : symbol->ask_up;
      BourseDecimal down = spec->buy ? symbol->bid_down : symbol->ask_down;

      if (bourse_decimal_compare (spec->price, dec_mul (symbol->price, up, BOURSE_ROUND_HALF_UP)) > 0
          || bourse_decimal_compare (spec->price, dec_mul (symbol->price, down, BOURSE_ROUND_HALF_UP)) < 0)
        return reply_filter (reply, "PERCENT_PRICE_BY_SIDE");
    }
  if (!check_lot (spec->quantity, &symbol->lot))
    return reply_filter (reply, "LOT_SIZE");
  if (spec->type == TYPE_MARKET
      && !check_lot (spec->quantity, &symbol->market_lot))
    return reply_filter (reply, "MARKET_LOT_SIZE");

  if (!bourse_decimal_mul (spec_has_price (spec) ? spec->price : symbol->price, spec->quantity,
                           BOURSE_ROUND_HALF_UP, &notional, NULL))
    return reply_filter (reply, "NOTIONAL");
  if ((spec->type != TYPE_MARKET || symbol->apply_min_to_market)
      && bourse_decimal_compare (notional, symbol->min_notional) < 0)
    return reply_filter (reply, "NOTIONAL");
  if ((spec->type != TYPE_MARKET || symbol->apply_max_to_market) && dec_positive (symbol->max_notional)
      && bourse_decimal_compare (notional, symbol->max_notional) > 0)
    return reply_filter (reply, "NOTIONAL");

  if (count_open_orders (orders, account, symbol) + n_orders > symbol->max_num_orders)
    return reply_filter (reply, "MAX_NUM_ORDERS");
  return TRUE;
}

static gboolean
client_id_in_use (FakeOrders *orders,
                  Account    *account,
                  const char *client_order_id)
{
  Order *order;

  if (client_order_id == NULL)
    return FALSE;
  order = find_order_by_client_id (orders, account, NULL, client_order_id);
  return order != NULL && order_is_open (order);
}

/* What an order holds from its acceptance: the base it sells, or the
 * quote it may spend (with the commission when that is paid in quote). */
static BourseDecimal
lock_amount (FakeOrders    *orders,
             gboolean       buy,
             BourseDecimal  price,
             BourseDecimal  quantity)
{
  BourseDecimal notional;

  if (!buy)
    return quantity;
  notional = dec_mul (price, quantity, BOURSE_ROUND_CEILING);
  if (orders->commission_kind == FAKE_COMMISSION_QUOTE)
    notional = dec_add (notional, dec_mul (notional, orders->commission_rate, BOURSE_ROUND_CEILING));
  return notional;
}

static gboolean
has_free (Account       *account,
          const char    *asset,
          BourseDecimal  amount)
{
  return bourse_decimal_compare (get_balance (account, asset)->free, amount) >= 0;
}

static BourseDecimal
spec_lock_price (OrderSpec *spec)
{
  return spec->type == TYPE_MARKET ? spec->symbol->price : spec->price;
}

/* The matching engine's checks (-2010). */
static gboolean
check_engine (FakeOrders *orders,
              Account    *account,
              OrderSpec  *spec,
              Reply      *reply)
{
  Symbol *symbol = spec->symbol;

  if (client_id_in_use (orders, account, spec->client_order_id))
    return reply_error (reply, 400, -2010, "Duplicate order sent.");
  if (spec_is_stop (spec))
    {
      Order probe = { .buy = spec->buy, .type = spec->type, .stop_price = spec->stop_price };

      if (stop_triggers (&probe, symbol->price))
        return reply_error (reply, 400, -2010, "Order would trigger immediately.");
    }
  if (spec->type == TYPE_LIMIT_MAKER
      && (spec->buy ? bourse_decimal_compare (symbol->price, spec->price) <= 0
                    : bourse_decimal_compare (symbol->price, spec->price) >= 0))
    return reply_error (reply, 400, -2010, "Order would immediately match and take.");
  if (!has_free (account, spec->buy ? symbol->quote : symbol->base,
                 lock_amount (orders, spec->buy, spec_lock_price (spec), spec->quantity)))
    return reply_error (reply, 400, -2010, "Account has insufficient balance for requested action.");
  return TRUE;
}

static Order *
order_new (FakeOrders *orders,
           Account    *account,
           OrderSpec  *spec,
           Lock       *lock)
{
  Order *order = g_new0 (Order, 1);
  gint64 now = now_ms (orders);
  guint parts = MAX (orders->fill_parts, 1);
  BourseDecimal step = dec_positive (spec->symbol->lot.step) ? spec->symbol->lot.step : (BourseDecimal) { 1 };
  BourseDecimal chunk;

  order->id = orders->next_order_id++;
  order->account = account;
  order->symbol = spec->symbol;
  order->client_order_id = spec->client_order_id != NULL ? g_strdup (spec->client_order_id)
                                                         : new_client_id (orders, "fake");
  order->buy = spec->buy;
  order->type = spec->type;
  /* Binance reports GTC for orders that have no time in force. */
  order->time_in_force = spec->time_in_force != NULL ? spec->time_in_force : "GTC";
  order->quantity = spec->quantity;
  order->price = spec_has_price (spec) ? spec->price : BOURSE_DECIMAL_ZERO;
  order->stop_price = spec_is_stop (spec) ? spec->stop_price : BOURSE_DECIMAL_ZERO;
  order->quote_order_qty = spec->has_quote_order_qty ? spec->quote_order_qty : BOURSE_DECIMAL_ZERO;
  order->status = STATUS_NEW;
  order->working = !spec_is_stop (spec);
  order->on_book = FALSE;
  order->time = now;
  order->update_time = now;
  order->working_time = order->working ? now : -1;
  order->lock = lock;
  chunk = floor_to_step (dec_div (spec->quantity, (BourseDecimal) { parts * BOURSE_DECIMAL_UNIT },
                                  BOURSE_ROUND_FLOOR), step);
  order->chunk = bourse_decimal_compare (chunk, step) < 0 ? step : chunk;
  g_ptr_array_add (orders->orders, order);
  return order;
}

/* Accepts a checked order, runs its first matching step and returns it;
 * @fills gets its trades. */
static Order *
accept_order (FakeOrders *orders,
              Account    *account,
              OrderSpec  *spec,
              GPtrArray  *fills)
{
  Symbol *symbol = spec->symbol;
  const char *asset = spec->buy ? symbol->quote : symbol->base;
  BourseDecimal amount = lock_amount (orders, spec->buy, spec_lock_price (spec), spec->quantity);
  Order *order = order_new (orders, account, spec, lock_new (orders, asset, amount));

  change_balance (orders, account, asset, neg (amount), amount);
  send_execution_report (orders, order, "NEW", NULL, NULL);

  /* One price with all the liquidity: a marketable FOK fills whole. */
  if (is_marketable (order))
    match_step (orders, order, fills);
  else if (order->working)
    order->on_book = TRUE;

  if (order_is_open (order) && order->working && order->type != TYPE_MARKET
      && (g_str_equal (order->time_in_force, "IOC") || g_str_equal (order->time_in_force, "FOK")))
    {
      order->on_book = FALSE;
      expire_order (orders, order, g_str_equal (order->time_in_force, "IOC") ? "UNFILLED_IOC_QUANTITY_EXPIRED"
                                                                             : "UNFILLED_FOK_ORDER_EXPIRED");
    }
  flush_balances (orders);
  return order;
}

/* }}} */

/* REST {{{ */

typedef struct
{
  FakeOrders         *orders;
  SoupServerMessage  *message;
  const char         *method;
  const char         *path;
  GHashTable         *params;
  const char         *api_key;
  Account            *account;
  FakeApiRequest     *request;
} Call;

typedef gboolean (*Handler) (Call  *call,
                             Reply *reply);

typedef struct
{
  const char *method;
  const char *path;
  gboolean    is_signed;
  gboolean    trade;          /* needs a key that can trade */
  guint       new_orders;     /* how many orders a success places */
  gboolean    order_counts;   /* answers carry X-MBX-ORDER-COUNT-* */
  guint       weight;
  Handler     handler;
} Route;

static const char *
param (Call       *call,
       const char *name)
{
  const char *value = g_hash_table_lookup (call->params, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static gboolean
reply_missing (Reply      *reply,
               const char *name)
{
  return reply_error (reply, 400, -1102, "Mandatory parameter '%s' was not sent, was empty/null, or malformed.",
                      name);
}

static gboolean
reply_not_required (Reply      *reply,
                    const char *name)
{
  return reply_error (reply, 400, -1106, "Parameter '%s' sent when not required.", name);
}

static gboolean
param_decimal (Call          *call,
               const char    *name,
               gboolean       mandatory,
               BourseDecimal *out,
               gboolean      *present,
               Reply         *reply)
{
  const char *text = param (call, name);
  g_autoptr(GError) error = NULL;

  if (present != NULL)
    *present = text != NULL;
  if (text == NULL)
    {
      *out = BOURSE_DECIMAL_ZERO;
      return mandatory ? reply_missing (reply, name) : TRUE;
    }
  if (!bourse_decimal_parse (text, out, &error))
    {
      if (g_error_matches (error, BOURSE_DECIMAL_ERROR, BOURSE_DECIMAL_ERROR_INEXACT))
        return reply_error (reply, 400, -1111, "Parameter '%s' has too much precision.", name);
      return reply_error (reply, 400, -1100, "Illegal characters found in parameter '%s'; legal range is "
                          "'^([0-9]{1,20})(\\.[0-9]{1,20})?$'.", name);
    }
  if (out->units < 0)
    return reply_error (reply, 400, -1100, "Illegal characters found in parameter '%s'; legal range is "
                        "'^([0-9]{1,20})(\\.[0-9]{1,20})?$'.", name);
  return TRUE;
}

/* -1 when absent. */
static gboolean
param_int (Call       *call,
           const char *name,
           gint64     *out,
           Reply      *reply)
{
  const char *text = param (call, name);

  *out = -1;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, out, NULL))
    return reply_error (reply, 400, -1100, "Illegal characters found in parameter '%s'; legal range is "
                        "'^[0-9]{1,20}$'.", name);
  return TRUE;
}

static gboolean
param_symbol (Call        *call,
              gboolean     mandatory,
              Symbol     **out,
              Reply       *reply)
{
  const char *name = param (call, "symbol");

  *out = NULL;
  if (name == NULL)
    return mandatory ? reply_missing (reply, "symbol") : TRUE;
  *out = g_hash_table_lookup (call->orders->symbols, name);
  if (*out == NULL)
    return reply_error (reply, 400, -1121, "Invalid symbol.");
  return TRUE;
}

static gboolean
parse_side (const char *text,
            gboolean   *buy,
            Reply      *reply)
{
  if (g_strcmp0 (text, "BUY") == 0)
    *buy = TRUE;
  else if (g_strcmp0 (text, "SELL") == 0)
    *buy = FALSE;
  else
    return reply_error (reply, 400, -1117, "Invalid side.");
  return TRUE;
}

static gboolean
parse_type (const char *text,
            OrderType  *type,
            Reply      *reply)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (text, type_names[i]))
      {
        *type = i;
        return TRUE;
      }
  if (g_str_equal (text, "STOP_LOSS"))
    return reply_error (reply, 400, -2010, "Stop loss orders are not supported for this symbol.");
  if (g_str_equal (text, "TAKE_PROFIT"))
    return reply_error (reply, 400, -2010, "Take profit orders are not supported for this symbol.");
  return reply_error (reply, 400, -1116, "Invalid orderType.");
}

static gboolean
parse_time_in_force (const char  *text,
                     const char **out,
                     Reply       *reply)
{
  static const char * const names[] = { "GTC", "IOC", "FOK" };

  *out = NULL;
  if (text == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *out = names[i];
        return TRUE;
      }
  return reply_error (reply, 400, -1115, "Invalid timeInForce.");
}

/* The parameters of one order, named @prefix + "Price" etc. for an OCO's
 * legs ("above", "below"; "" for POST /api/v3/order). */
static gboolean
parse_leg (Call       *call,
           const char *prefix,
           OrderType   type,
           OrderSpec  *spec,
           Reply      *reply)
{
  g_autofree char *price_name = g_strconcat (prefix, *prefix ? "Price" : "price", NULL);
  g_autofree char *stop_name = g_strconcat (prefix, *prefix ? "StopPrice" : "stopPrice", NULL);
  g_autofree char *tif_name = g_strconcat (prefix, *prefix ? "TimeInForce" : "timeInForce", NULL);
  gboolean limit_like = type == TYPE_LIMIT || type == TYPE_STOP_LOSS_LIMIT || type == TYPE_TAKE_PROFIT_LIMIT;
  gboolean stop = type == TYPE_STOP_LOSS_LIMIT || type == TYPE_TAKE_PROFIT_LIMIT;
  gboolean present;

  spec->type = type;
  if (!parse_time_in_force (param (call, tif_name), &spec->time_in_force, reply))
    return FALSE;
  if (limit_like && spec->time_in_force == NULL)
    return reply_missing (reply, tif_name);
  if (!limit_like && spec->time_in_force != NULL)
    return reply_not_required (reply, tif_name);

  if (!param_decimal (call, price_name, type != TYPE_MARKET, &spec->price, &present, reply))
    return FALSE;
  if (type == TYPE_MARKET && present)
    return reply_not_required (reply, price_name);

  if (!param_decimal (call, stop_name, stop, &spec->stop_price, &present, reply))
    return FALSE;
  if (!stop && present)
    return reply_not_required (reply, stop_name);
  return TRUE;
}

static gboolean
parse_order (Call      *call,
             OrderSpec *spec,
             Shape     *shape,
             Reply     *reply)
{
  const char *side = param (call, "side");
  const char *type = param (call, "type");
  const char *resp = param (call, "newOrderRespType");
  gboolean has_quantity;

  memset (spec, 0, sizeof *spec);
  if (!param_symbol (call, TRUE, &spec->symbol, reply))
    return FALSE;
  if (side == NULL)
    return reply_missing (reply, "side");
  if (!parse_side (side, &spec->buy, reply))
    return FALSE;
  if (type == NULL)
    return reply_missing (reply, "type");
  if (!parse_type (type, &spec->type, reply))
    return FALSE;
  if (!parse_leg (call, "", spec->type, spec, reply))
    return FALSE;

  if (!param_decimal (call, "quantity", FALSE, &spec->quantity, &has_quantity, reply)
      || !param_decimal (call, "quoteOrderQty", FALSE, &spec->quote_order_qty, &spec->has_quote_order_qty, reply))
    return FALSE;
  if (spec->type == TYPE_MARKET)
    {
      if (!has_quantity && !spec->has_quote_order_qty)
        return reply_error (reply, 400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were "
                            "empty/null!");
      if (has_quantity && spec->has_quote_order_qty)
        return reply_not_required (reply, "quoteOrderQty");
    }
  else
    {
      if (!has_quantity)
        return reply_missing (reply, "quantity");
      if (spec->has_quote_order_qty)
        return reply_not_required (reply, "quoteOrderQty");
    }
  resolve_quote_order_qty (spec);
  spec->client_order_id = param (call, "newClientOrderId");

  /* MARKET and LIMIT answer FULL unless told; the others ACK. */
  *shape = spec->type == TYPE_MARKET || spec->type == TYPE_LIMIT ? SHAPE_FULL : SHAPE_ACK;
  if (resp != NULL)
    {
      if (g_str_equal (resp, "ACK"))
        *shape = SHAPE_ACK;
      else if (g_str_equal (resp, "RESULT"))
        *shape = SHAPE_RESULT;
      else if (g_str_equal (resp, "FULL"))
        *shape = SHAPE_FULL;
      else
        return reply_error (reply, 400, -1102, "Mandatory parameter 'newOrderRespType' was not sent, was "
                            "empty/null, or malformed.");
    }
  return TRUE;
}

static gboolean
handle_time (Call  *call,
             Reply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_int (builder, "serverTime", now_ms (call->orders));
  json_builder_end_object (builder);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static void
add_filter (JsonBuilder *builder,
            const char  *type)
{
  json_builder_begin_object (builder);
  add_string (builder, "filterType", type);
}

static void
build_symbol (JsonBuilder *builder,
              Symbol      *symbol)
{
  json_builder_begin_object (builder);
  add_string (builder, "symbol", symbol->name);
  add_string (builder, "status", "TRADING");
  add_string (builder, "baseAsset", symbol->base);
  add_int (builder, "baseAssetPrecision", 8);
  add_string (builder, "quoteAsset", symbol->quote);
  add_int (builder, "quotePrecision", 8);
  add_int (builder, "quoteAssetPrecision", 8);
  add_int (builder, "baseCommissionPrecision", 8);
  add_int (builder, "quoteCommissionPrecision", 8);
  json_builder_set_member_name (builder, "orderTypes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    json_builder_add_string_value (builder, type_names[i]);
  json_builder_end_array (builder);
  add_bool (builder, "icebergAllowed", FALSE);
  add_bool (builder, "ocoAllowed", TRUE);
  add_bool (builder, "otoAllowed", FALSE);
  add_bool (builder, "quoteOrderQtyMarketAllowed", TRUE);
  add_bool (builder, "allowTrailingStop", FALSE);
  add_bool (builder, "cancelReplaceAllowed", FALSE);
  add_bool (builder, "isSpotTradingAllowed", TRUE);
  add_bool (builder, "isMarginTradingAllowed", FALSE);

  json_builder_set_member_name (builder, "filters");
  json_builder_begin_array (builder);
  add_filter (builder, "PRICE_FILTER");
  add_dec (builder, "minPrice", symbol->price_filter.min);
  add_dec (builder, "maxPrice", symbol->price_filter.max);
  add_dec (builder, "tickSize", symbol->price_filter.step);
  json_builder_end_object (builder);
  add_filter (builder, "LOT_SIZE");
  add_dec (builder, "minQty", symbol->lot.min);
  add_dec (builder, "maxQty", symbol->lot.max);
  add_dec (builder, "stepSize", symbol->lot.step);
  json_builder_end_object (builder);
  add_filter (builder, "MARKET_LOT_SIZE");
  add_dec (builder, "minQty", symbol->market_lot.min);
  add_dec (builder, "maxQty", symbol->market_lot.max);
  add_dec (builder, "stepSize", symbol->market_lot.step);
  json_builder_end_object (builder);
  add_filter (builder, "NOTIONAL");
  add_dec (builder, "minNotional", symbol->min_notional);
  add_bool (builder, "applyMinToMarket", symbol->apply_min_to_market);
  add_dec (builder, "maxNotional", symbol->max_notional);
  add_bool (builder, "applyMaxToMarket", symbol->apply_max_to_market);
  add_int (builder, "avgPriceMins", 0);
  json_builder_end_object (builder);
  add_filter (builder, "PERCENT_PRICE_BY_SIDE");
  add_dec (builder, "bidMultiplierUp", symbol->bid_up);
  add_dec (builder, "bidMultiplierDown", symbol->bid_down);
  add_dec (builder, "askMultiplierUp", symbol->ask_up);
  add_dec (builder, "askMultiplierDown", symbol->ask_down);
  add_int (builder, "avgPriceMins", 0);
  json_builder_end_object (builder);
  add_filter (builder, "MAX_NUM_ORDERS");
  add_int (builder, "maxNumOrders", symbol->max_num_orders);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "permissions");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "permissionSets");
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "SPOT");
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  add_string (builder, "defaultSelfTradePreventionMode", "NONE");
  json_builder_set_member_name (builder, "allowedSelfTradePreventionModes");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "NONE");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
add_rate_limit (JsonBuilder *builder,
                const char  *type,
                const char  *interval,
                guint        interval_num,
                guint        limit)
{
  json_builder_begin_object (builder);
  add_string (builder, "rateLimitType", type);
  add_string (builder, "interval", interval);
  add_int (builder, "intervalNum", interval_num);
  add_int (builder, "limit", limit);
  json_builder_end_object (builder);
}

static gboolean
handle_exchange_info (Call  *call,
                      Reply *reply)
{
  FakeOrders *orders = call->orders;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) symbols = g_ptr_array_new ();
  const char *one = param (call, "symbol");
  const char *many = param (call, "symbols");

  if (one != NULL && many != NULL)
    return reply_error (reply, 400, -1128, "Combination of optional parameters invalid.");
  if (one != NULL)
    {
      Symbol *symbol = g_hash_table_lookup (orders->symbols, one);

      if (symbol == NULL)
        return reply_error (reply, 400, -1121, "Invalid symbol.");
      g_ptr_array_add (symbols, symbol);
    }
  else if (many != NULL)
    {
      g_autoptr(JsonNode) node = bourse_json_parse (many, strlen (many), 0, NULL);
      JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      if (array == NULL)
        return reply_error (reply, 400, -1100, "Illegal characters found in parameter 'symbols'; legal range is "
                            "'^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'.");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          Symbol *symbol = JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
                           ? g_hash_table_lookup (orders->symbols, json_node_get_string (element)) : NULL;

          if (symbol == NULL)
            return reply_error (reply, 400, -1121, "Invalid symbol.");
          g_ptr_array_add (symbols, symbol);
        }
    }
  else
    {
      g_autoptr(GPtrArray) names = sorted_keys (orders->symbols);

      for (guint i = 0; i < names->len; i++)
        g_ptr_array_add (symbols, g_hash_table_lookup (orders->symbols, g_ptr_array_index (names, i)));
    }

  json_builder_begin_object (builder);
  add_string (builder, "timezone", "UTC");
  add_int (builder, "serverTime", now_ms (orders));
  json_builder_set_member_name (builder, "rateLimits");
  json_builder_begin_array (builder);
  add_rate_limit (builder, "REQUEST_WEIGHT", "MINUTE", 1, WEIGHT_LIMIT);
  add_rate_limit (builder, "ORDERS", "SECOND", 10, orders->limit_10s);
  add_rate_limit (builder, "ORDERS", "DAY", 1, orders->limit_day);
  add_rate_limit (builder, "RAW_REQUESTS", "MINUTE", 5, 61000);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "exchangeFilters");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "symbols");
  json_builder_begin_array (builder);
  for (guint i = 0; i < symbols->len; i++)
    build_symbol (builder, g_ptr_array_index (symbols, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static gboolean
handle_account (Call  *call,
                Reply *reply)
{
  FakeOrders *orders = call->orders;
  Account *account = call->account;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) assets = sorted_keys (account->balances);
  gboolean omit_zero = g_strcmp0 (param (call, "omitZeroBalances"), "true") == 0;
  gboolean can_trade = FALSE;
  gboolean can_withdraw = FALSE;
  /* Binance counts commissions in basis points there. */
  gint64 bps = orders->commission_rate.units / (BOURSE_DECIMAL_UNIT / 10000);

  fake_exchange_key_permissions (orders->self, call->api_key, &can_trade, &can_withdraw);
  json_builder_begin_object (builder);
  add_int (builder, "makerCommission", bps);
  add_int (builder, "takerCommission", bps);
  add_int (builder, "buyerCommission", 0);
  add_int (builder, "sellerCommission", 0);
  json_builder_set_member_name (builder, "commissionRates");
  json_builder_begin_object (builder);
  add_dec (builder, "maker", orders->commission_rate);
  add_dec (builder, "taker", orders->commission_rate);
  add_dec (builder, "buyer", BOURSE_DECIMAL_ZERO);
  add_dec (builder, "seller", BOURSE_DECIMAL_ZERO);
  json_builder_end_object (builder);
  add_bool (builder, "canTrade", can_trade);
  add_bool (builder, "canWithdraw", can_withdraw);
  add_bool (builder, "canDeposit", TRUE);
  add_bool (builder, "brokered", FALSE);
  add_bool (builder, "requireSelfTradePrevention", FALSE);
  add_bool (builder, "preventSor", FALSE);
  add_int (builder, "updateTime", account->update_time);
  add_string (builder, "accountType", "SPOT");
  json_builder_set_member_name (builder, "balances");
  json_builder_begin_array (builder);
  for (guint i = 0; i < assets->len; i++)
    {
      const char *asset = g_ptr_array_index (assets, i);
      Balance *balance = g_hash_table_lookup (account->balances, asset);

      if (omit_zero && bourse_decimal_is_zero (balance->free) && bourse_decimal_is_zero (balance->locked))
        continue;
      json_builder_begin_object (builder);
      add_string (builder, "asset", asset);
      add_dec (builder, "free", balance->free);
      add_dec (builder, "locked", balance->locked);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "permissions");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "SPOT");
  json_builder_end_array (builder);
  add_int (builder, "uid", account->uid);
  json_builder_end_object (builder);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static gboolean
handle_order_common (Call     *call,
                     Reply    *reply,
                     gboolean  test)
{
  FakeOrders *orders = call->orders;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) fills = g_ptr_array_new ();
  OrderSpec spec;
  Shape shape = SHAPE_ACK;
  Order *order;

  if (!parse_order (call, &spec, &shape, reply)
      || !check_filters (orders, call->account, &spec, 1, reply))
    return FALSE;
  if (test)
    {
      /* The API's checks only: a test order never reaches the matching
       * engine (rest-api.md), so no balance or duplicate check. */
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
      reply->body = json_builder_get_root (builder);
      return TRUE;
    }
  if (!check_engine (orders, call->account, &spec, reply))
    return FALSE;
  order = accept_order (orders, call->account, &spec, fills);
  build_order (builder, order, shape, fills, NULL, order->time);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static gboolean
handle_new_order (Call  *call,
                  Reply *reply)
{
  return handle_order_common (call, reply, FALSE);
}

static gboolean
handle_test_order (Call  *call,
                   Reply *reply)
{
  return handle_order_common (call, reply, TRUE);
}

/* The order named by orderId or origClientOrderId; @unknown_code: -2011
 * for a cancel, -2013 for a query. */
static gboolean
find_named_order (Call     *call,
                  int       unknown_code,
                  Symbol  **symbol,
                  Order   **out,
                  Reply    *reply)
{
  const char *client_id = param (call, "origClientOrderId");
  gint64 id;
  Order *order = NULL;

  if (!param_symbol (call, TRUE, symbol, reply) || !param_int (call, "orderId", &id, reply))
    return FALSE;
  if (id < 0 && client_id == NULL)
    return reply_error (reply, 400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were "
                        "empty/null!");
  if (id >= 0)
    {
      order = find_order_by_id (call->orders, id);
      if (order != NULL && client_id != NULL && !g_str_equal (order->client_order_id, client_id))
        order = NULL;
    }
  else
    order = find_order_by_client_id (call->orders, call->account, *symbol, client_id);
  if (order == NULL || order->account != call->account || order->symbol != *symbol)
    return reply_error (reply, 400, unknown_code, unknown_code == -2011 ? "Unknown order sent."
                                                                        : "Order does not exist.");
  *out = order;
  return TRUE;
}

static gboolean
handle_cancel (Call  *call,
               Reply *reply)
{
  FakeOrders *orders = call->orders;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *cancel_id = NULL;
  Symbol *symbol;
  Order *order;

  if (!find_named_order (call, -2011, &symbol, &order, reply))
    return FALSE;
  if (!order_is_open (order))
    return reply_error (reply, 400, -2011, "Unknown order sent.");
  cancel_id = param (call, "newClientOrderId") != NULL ? g_strdup (param (call, "newClientOrderId"))
                                                       : new_client_id (orders, "cxl");
  cancel_with_list (orders, order, cancel_id);
  flush_balances (orders);
  build_order (builder, order, SHAPE_CANCEL, NULL, cancel_id, now_ms (orders));
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static gboolean
handle_cancel_all (Call  *call,
                   Reply *reply)
{
  FakeOrders *orders = call->orders;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) open = g_ptr_array_new ();
  g_autofree char *cancel_id = NULL;
  gint64 now = now_ms (orders);
  Symbol *symbol;

  if (!param_symbol (call, TRUE, &symbol, reply))
    return FALSE;
  for (guint i = 0; i < orders->orders->len; i++)
    {
      Order *order = g_ptr_array_index (orders->orders, i);

      if (order->account == call->account && order->symbol == symbol && order_is_open (order))
        g_ptr_array_add (open, order);
    }
  /* Binance answers so when there is nothing to cancel. */
  if (open->len == 0)
    return reply_error (reply, 400, -2011, "Unknown order sent.");

  cancel_id = new_client_id (orders, "cxl");
  json_builder_begin_array (builder);
  for (guint i = 0; i < open->len; i++)
    {
      Order *order = g_ptr_array_index (open, i);

      if (!order_is_open (order))
        continue;   /* the other leg of a list already answered */
      cancel_with_list (orders, order, cancel_id);
      if (order->list != NULL)
        build_list (builder, order->list, SHAPE_CANCEL, cancel_id, now);
      else
        build_order (builder, order, SHAPE_CANCEL, NULL, cancel_id, now);
    }
  json_builder_end_array (builder);
  flush_balances (orders);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static gboolean
handle_query (Call  *call,
              Reply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Symbol *symbol;
  Order *order;

  if (!find_named_order (call, -2013, &symbol, &order, reply))
    return FALSE;
  build_order (builder, order, SHAPE_QUERY, NULL, NULL, 0);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static gboolean
handle_open_orders (Call  *call,
                    Reply *reply)
{
  FakeOrders *orders = call->orders;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Symbol *symbol;

  if (!param_symbol (call, FALSE, &symbol, reply))
    return FALSE;
  json_builder_begin_array (builder);
  for (guint i = 0; i < orders->orders->len; i++)
    {
      Order *order = g_ptr_array_index (orders->orders, i);

      if (order->account == call->account && (symbol == NULL || order->symbol == symbol) && order_is_open (order))
        build_order (builder, order, SHAPE_QUERY, NULL, NULL, 0);
    }
  json_builder_end_array (builder);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static gboolean
handle_my_trades (Call  *call,
                  Reply *reply)
{
  FakeOrders *orders = call->orders;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) selected = g_ptr_array_new ();
  gint64 order_id, from_id, start_time, end_time, limit;
  guint first = 0;
  Symbol *symbol;

  if (!param_symbol (call, TRUE, &symbol, reply)
      || !param_int (call, "orderId", &order_id, reply)
      || !param_int (call, "fromId", &from_id, reply)
      || !param_int (call, "startTime", &start_time, reply)
      || !param_int (call, "endTime", &end_time, reply)
      || !param_int (call, "limit", &limit, reply))
    return FALSE;
  if (limit < 0)
    limit = 500;
  limit = CLAMP (limit, 1, 1000);
  if (start_time >= 0 && end_time >= 0 && end_time - start_time > 24 * 3600 * 1000)
    return reply_error (reply, 400, -1127, "More than 24 hours between startTime and endTime.");

  for (guint i = 0; i < orders->trades->len; i++)
    {
      Trade *trade = g_ptr_array_index (orders->trades, i);

      if (trade->order->account != call->account || trade->order->symbol != symbol
          || (order_id >= 0 && trade->order->id != order_id)
          || (from_id >= 0 && trade->id < from_id)
          || (start_time >= 0 && trade->time < start_time)
          || (end_time >= 0 && trade->time > end_time))
        continue;
      g_ptr_array_add (selected, trade);
    }
  /* From fromId or startTime: the oldest; otherwise the newest. */
  if (from_id < 0 && start_time < 0 && selected->len > (guint)limit)
    first = selected->len - (guint)limit;

  json_builder_begin_array (builder);
  for (guint i = first; i < selected->len && i - first < (guint)limit; i++)
    build_trade (builder, g_ptr_array_index (selected, i));
  json_builder_end_array (builder);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

/* An OCO leg's reference price: its stop, or a LIMIT_MAKER's price. */
static BourseDecimal
leg_reference (OrderSpec *leg)
{
  return spec_is_stop (leg) ? leg->stop_price : leg->price;
}

static gboolean
handle_oco (Call  *call,
            Reply *reply)
{
  FakeOrders *orders = call->orders;
  Account *account = call->account;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *resp = param (call, "newOrderRespType");
  const char *list_client_id = param (call, "listClientOrderId");
  OrderSpec legs[2];   /* below, above */
  const char *prefixes[2] = { "below", "above" };
  Shape shape = SHAPE_ACK;
  BourseDecimal quantity, lock_price;
  OrderList *list;
  Symbol *symbol;
  Lock *lock;
  gboolean buy = FALSE;

  if (!param_symbol (call, TRUE, &symbol, reply))
    return FALSE;
  if (param (call, "side") == NULL)
    return reply_missing (reply, "side");
  if (!parse_side (param (call, "side"), &buy, reply)
      || !param_decimal (call, "quantity", TRUE, &quantity, NULL, reply))
    return FALSE;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *type_name = g_strconcat (prefixes[i], "Type", NULL);
      g_autofree char *id_name = g_strconcat (prefixes[i], "ClientOrderId", NULL);
      const char *type = param (call, type_name);
      OrderType order_type;

      memset (&legs[i], 0, sizeof legs[i]);
      if (type == NULL)
        return reply_missing (reply, type_name);
      if (!parse_type (type, &order_type, reply))
        return FALSE;
      if (order_type == TYPE_MARKET || order_type == TYPE_LIMIT)
        return reply_error (reply, 400, -1014, "Unsupported order combination.");
      legs[i].symbol = symbol;
      legs[i].buy = buy;
      legs[i].quantity = quantity;
      legs[i].client_order_id = param (call, id_name);
      if (!parse_leg (call, prefixes[i], order_type, &legs[i], reply))
        return FALSE;
    }
  /* Selling, the stop is below and the profit above; buying, the other
   * way round. */
  if (buy ? legs[1].type != TYPE_STOP_LOSS_LIMIT || legs[0].type == TYPE_STOP_LOSS_LIMIT
          : legs[0].type != TYPE_STOP_LOSS_LIMIT || legs[1].type == TYPE_STOP_LOSS_LIMIT)
    return reply_error (reply, 400, -1014, "Unsupported order combination.");
  if (resp != NULL)
    shape = g_str_equal (resp, "FULL") ? SHAPE_FULL : g_str_equal (resp, "RESULT") ? SHAPE_RESULT : SHAPE_ACK;

  for (guint i = 0; i < 2; i++)
    if (!check_filters (orders, account, &legs[i], 2, reply))
      return FALSE;

  if ((list_client_id != NULL && client_id_in_use (orders, account, list_client_id))
      || client_id_in_use (orders, account, legs[0].client_order_id)
      || client_id_in_use (orders, account, legs[1].client_order_id))
    return reply_error (reply, 400, -2010, "Duplicate order sent.");
  for (guint i = 0; list_client_id != NULL && i < orders->lists->len; i++)
    {
      OrderList *other = g_ptr_array_index (orders->lists, i);

      if (!other->done && other->legs[0]->account == account && g_str_equal (other->client_id, list_client_id))
        return reply_error (reply, 400, -2010, "Duplicate order sent.");
    }
  if (bourse_decimal_compare (leg_reference (&legs[1]), symbol->price) <= 0
      || bourse_decimal_compare (leg_reference (&legs[0]), symbol->price) >= 0)
    return reply_error (reply, 400, -2010, "The relationship of the prices for the orders is not correct.");
  /* One lock for the list: both legs trade the same quantity. */
  lock_price = bourse_decimal_compare (legs[0].price, legs[1].price) >= 0 ? legs[0].price : legs[1].price;
  if (!has_free (account, buy ? symbol->quote : symbol->base, lock_amount (orders, buy, lock_price, quantity)))
    return reply_error (reply, 400, -2010, "Account has insufficient balance for requested action.");

  lock = lock_new (orders, buy ? symbol->quote : symbol->base, lock_amount (orders, buy, lock_price, quantity));
  change_balance (orders, account, lock->asset, neg (lock->amount), lock->amount);
  list = g_new0 (OrderList, 1);
  list->id = orders->next_list_id++;
  list->client_id = list_client_id != NULL ? g_strdup (list_client_id) : new_client_id (orders, "list");
  list->symbol = symbol;
  list->time = now_ms (orders);
  g_ptr_array_add (orders->lists, list);
  for (guint i = 0; i < 2; i++)
    {
      list->legs[i] = order_new (orders, account, &legs[i], lock);
      list->legs[i]->list = list;
      if (list->legs[i]->working)
        list->legs[i]->on_book = TRUE;
    }
  for (guint i = 0; i < 2; i++)
    send_execution_report (orders, list->legs[i], "NEW", NULL, NULL);
  send_list_status (orders, list);
  flush_balances (orders);

  build_list (builder, list, shape, NULL, list->time);
  reply->body = json_builder_get_root (builder);
  return TRUE;
}

static const Route routes[] = {
  { "GET",    "/api/v3/time",          FALSE, FALSE, 0, FALSE, 1,  handle_time },
  { "GET",    "/api/v3/exchangeInfo",  FALSE, FALSE, 0, FALSE, 20, handle_exchange_info },
  { "GET",    "/api/v3/account",       TRUE,  FALSE, 0, FALSE, 20, handle_account },
  { "POST",   "/api/v3/order",         TRUE,  TRUE,  1, TRUE,  1,  handle_new_order },
  { "POST",   "/api/v3/order/test",    TRUE,  TRUE,  0, TRUE,  1,  handle_test_order },
  { "DELETE", "/api/v3/order",         TRUE,  TRUE,  0, FALSE, 1,  handle_cancel },
  { "GET",    "/api/v3/order",         TRUE,  FALSE, 0, FALSE, 4,  handle_query },
  { "GET",    "/api/v3/openOrders",    TRUE,  FALSE, 0, FALSE, 6,  handle_open_orders },
  { "DELETE", "/api/v3/openOrders",    TRUE,  TRUE,  0, FALSE, 1,  handle_cancel_all },
  { "GET",    "/api/v3/myTrades",      TRUE,  FALSE, 0, FALSE, 20, handle_my_trades },
  { "POST",   "/api/v3/orderList/oco", TRUE,  TRUE,  2, TRUE,  1,  handle_oco },
};

static const char * const handled_paths[] = {
  "/api/v3/time", "/api/v3/exchangeInfo", "/api/v3/account", "/api/v3/order", "/api/v3/order/test",
  "/api/v3/openOrders", "/api/v3/myTrades", "/api/v3/orderList/oco",
};

/* @raw without its signature=… pair, exactly as sent otherwise; the
 * signature's value, www-form-decoded, in *@signature. */
static char *
strip_signature (const char  *raw,
                 char       **signature)
{
  g_auto(GStrv) pairs = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  if (raw == NULL || *raw == '\0')
    return g_strdup ("");
  pairs = g_strsplit (raw, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      if (g_str_has_prefix (pairs[i], "signature="))
        {
          if (*signature == NULL)
            {
              g_autofree char *value = g_strdup (pairs[i] + strlen ("signature="));

              g_strdelimit (value, "+", ' ');
              *signature = g_uri_unescape_string (value, NULL);
            }
          continue;
        }
      g_ptr_array_add (kept, pairs[i]);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("&", (char **)kept->pdata);
}

/* Binance's timing rule (rest-api.md, "Timing security"). */
static gboolean
check_timing (Call  *call,
              Reply *reply)
{
  const char *text = param (call, "recvWindow");
  gint64 now = now_ms (call->orders);
  BourseDecimal window = { (gint64)DEFAULT_RECV_WINDOW * BOURSE_DECIMAL_UNIT };
  gint64 timestamp;

  if (param (call, "timestamp") == NULL)
    return reply_missing (reply, "timestamp");
  if (!param_int (call, "timestamp", &timestamp, reply))
    return FALSE;
  /* Microseconds are accepted as well. */
  if (timestamp > G_GINT64_CONSTANT (100000000000000))
    timestamp /= 1000;
  if (text != NULL)
    {
      if (!bourse_decimal_parse (text, &window, NULL) || window.units < 0)
        return reply_error (reply, 400, -1100, "Illegal characters found in parameter 'recvWindow'; legal range "
                            "is '^[0-9]{1,5}(\\.[0-9]{1,3})?$'.");
      if (bourse_decimal_compare (window, (BourseDecimal) { (gint64)MAX_RECV_WINDOW * BOURSE_DECIMAL_UNIT }) > 0)
        return reply_error (reply, 400, -1131, "recvWindow must be less than %d", MAX_RECV_WINDOW);
    }
  if (timestamp >= now + 1000)
    return reply_error (reply, 400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  /* In microseconds: recvWindow has three decimals. */
  if ((now - timestamp) * 1000 > window.units / 100000)
    return reply_error (reply, 400, -1021, "Timestamp for this request is outside of the recvWindow.");
  return TRUE;
}

static gboolean
check_signed (Call              *call,
              const Route       *route,
              const char        *raw_query,
              const char        *raw_body,
              Reply             *reply)
{
  FakeOrders *orders = call->orders;
  g_autofree char *signature = NULL;
  g_autofree char *query = strip_signature (raw_query, &signature);
  g_autofree char *body = strip_signature (raw_body, &signature);
  g_autofree char *payload = g_strconcat (query, body, NULL);
  gboolean can_trade = FALSE;
  gboolean can_withdraw = FALSE;
  int code;

  if (call->api_key == NULL)
    return reply_error (reply, 401, -2014, "API-key format invalid.");
  if (signature == NULL || *signature == '\0')
    return reply_missing (reply, "signature");
  /* HMAC signatures are not case-sensitive on Binance; hex ones are
   * compared in the signer's lowercase. */
  if (strlen (signature) == 64 && strspn (signature, "0123456789abcdefABCDEF") == 64)
    {
      char *lower = g_ascii_strdown (signature, -1);

      g_free (signature);
      signature = lower;
    }
  code = fake_exchange_check_signature (orders->self, call->api_key, payload, signature);
  if (code == -2014)
    return reply_error (reply, 401, -2014, "API-key format invalid.");
  if (code == -2015)
    return reply_error (reply, 401, -2015, "Invalid API-key, IP, or permissions for action.");
  if (code != 0)
    return reply_error (reply, 400, -1022, "Signature for this request is not valid.");
  if (!check_timing (call, reply))
    return FALSE;
  fake_exchange_key_permissions (orders->self, call->api_key, &can_trade, &can_withdraw);
  if (route->trade && !can_trade)
    return reply_error (reply, 401, -2015, "Invalid API-key, IP, or permissions for action.");
  call->account = get_account (orders, call->api_key);
  return TRUE;
}

static void
roll_windows (FakeOrders *orders)
{
  gint64 now = now_ms (orders);

  if (now / TEN_SECONDS_MS != orders->window_10s)
    {
      orders->window_10s = now / TEN_SECONDS_MS;
      orders->count_10s = 0;
    }
  if (now / DAY_MS != orders->window_day)
    {
      orders->window_day = now / DAY_MS;
      orders->count_day = 0;
    }
  if (now / MINUTE_MS != orders->weight_minute)
    {
      orders->weight_minute = now / MINUTE_MS;
      orders->weight = 0;
    }
}

static void
set_header_uint (SoupMessageHeaders *headers,
                 const char         *name,
                 guint               value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  soup_message_headers_replace (headers, name, text);
}

/* 429 -1015 when @n more orders would break a limit. */
static gboolean
check_order_limits (FakeOrders         *orders,
                    guint               n,
                    SoupMessageHeaders *headers,
                    Reply              *reply)
{
  gint64 now = now_ms (orders);
  gint64 wait_ms;

  if (n == 0)
    return TRUE;
  if (orders->count_10s + n > orders->limit_10s)
    {
      wait_ms = (orders->window_10s + 1) * TEN_SECONDS_MS - now;
      set_header_uint (headers, "Retry-After", MAX (1, (wait_ms + 999) / 1000));
      return reply_error (reply, 429, -1015, "Too many new orders; current limit is %u orders per TEN_SECONDS.",
                          orders->limit_10s);
    }
  if (orders->count_day + n > orders->limit_day)
    {
      wait_ms = (orders->window_day + 1) * DAY_MS - now;
      set_header_uint (headers, "Retry-After", MAX (1, (wait_ms + 999) / 1000));
      return reply_error (reply, 429, -1015, "Too many new orders; current limit is %u orders per DAY.",
                          orders->limit_day);
    }
  return TRUE;
}

static Failure *
pop_failure (FakeOrders *orders,
             const char *method,
             const char *path)
{
  for (GList *l = orders->failures.head; l != NULL; l = l->next)
    {
      Failure *failure = l->data;

      if (g_str_equal (failure->method, method) && g_str_equal (failure->path, path))
        {
          g_queue_delete_link (&orders->failures, l);
          return failure;
        }
    }
  return NULL;
}

static void
failure_free (gpointer data)
{
  Failure *failure = data;

  g_free (failure->method);
  g_free (failure->path);
  g_free (failure);
}

static void
held_free (gpointer data)
{
  Held *held = data;

  g_signal_handlers_disconnect_by_data (held->message, held);
  g_object_unref (held->message);
  g_free (held);
}

static void
held_finished_cb (SoupServerMessage *message,
                  Held              *held)
{
  g_ptr_array_remove_fast (held->orders->held, held);
}

static void
hold (FakeOrders        *orders,
      SoupServerMessage *message)
{
  Held *held = g_new0 (Held, 1);

  held->orders = orders;
  held->message = g_object_ref (message);
  g_signal_connect (message, "finished", G_CALLBACK (held_finished_cb), held);
  soup_server_message_pause (message);
  g_ptr_array_add (orders->held, held);
}

static void
close_unanswered (SoupServerMessage *message)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);

  g_io_stream_close (stream, NULL, NULL);
}

static void
set_reply (SoupServerMessage *message,
           Reply             *reply)
{
  g_autofree char *text = NULL;
  gsize length;

  if (reply->body == NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_int (builder, "code", reply->code);
      add_string (builder, "msg", reply->msg);
      json_builder_end_object (builder);
      reply->body = json_builder_get_root (builder);
    }
  text = bourse_json_to_string (reply->body, &length);
  soup_server_message_set_status (message, reply->status, reply->status == 418 ? "I'm a teapot" : NULL);
  soup_server_message_set_response (message, "application/json;charset=UTF-8", SOUP_MEMORY_COPY, text, length);
}

static GHashTable *
parse_params (const char *raw,
              GHashTable *into,
              gboolean   *bad)
{
  g_autoptr(GHashTable) parsed = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (raw == NULL || *raw == '\0')
    return into;
  parsed = g_uri_parse_params (raw, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (parsed == NULL)
    {
      *bad = TRUE;
      return into;
    }
  g_hash_table_iter_init (&iter, parsed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (into, g_strdup (key), g_strdup (value));
  return into;
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *message,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  FakeExchange *self = user_data;
  FakeOrders *orders = get_orders (self);
  const char *method = soup_server_message_get_method (message);
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (message));
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  g_autoptr(GBytes) body_bytes = soup_message_body_flatten (soup_server_message_get_request_body (message));
  g_autofree char *raw_body = g_strndup (g_bytes_get_data (body_bytes, NULL), g_bytes_get_size (body_bytes));
  FakeApiRequest *request = g_new0 (FakeApiRequest, 1);
  Reply reply = { 200, 0, NULL, NULL };
  const Route *route = NULL;
  Failure *failure = NULL;
  gboolean bad = FALSE;
  guint weight;
  Call call = { 0 };

  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->api_key = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                             "X-MBX-APIKEY"));
  /* The query wins over the body (rest-api.md). */
  request->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parse_params (raw_body, request->params, &bad);
  parse_params (raw_query, request->params, &bad);
  request->at_ms = now_ms (orders);
  g_ptr_array_add (orders->requests, request);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].path, path) && g_str_equal (routes[i].method, method))
      route = &routes[i];
  if (route == NULL)
    {
      reply_error (&reply, 404, -1000, "Unknown path or method.");
      goto answer;
    }

  call.orders = orders;
  call.message = message;
  call.method = method;
  call.path = path;
  call.params = request->params;
  call.api_key = request->api_key;
  call.request = request;

  roll_windows (orders);
  weight = route->weight;
  if (route->handler == handle_open_orders && param (&call, "symbol") == NULL)
    weight = 80;
  else if (route->handler == handle_my_trades && param (&call, "orderId") != NULL)
    weight = 5;
  orders->weight += weight;
  set_header_uint (headers, "X-MBX-USED-WEIGHT-1M", orders->weight);

  if (bad)
    {
      reply_error (&reply, 400, -1100, "Illegal characters found in a parameter.");
      goto answer;
    }
  if (route->is_signed && !check_signed (&call, route, raw_query, raw_body, &reply))
    goto answer;

  failure = pop_failure (orders, method, path);
  if (failure != NULL)
    {
      g_autofree char *retry_after = g_strdup_printf ("%u", orders->retry_after);

      switch (failure->failure)
        {
        case FAKE_FAILURE_503:
          reply_error (&reply, 503, -1008, "Server is currently overloaded with other requests. Please try again "
                       "in a few minutes.");
          goto answer;
        case FAKE_FAILURE_429:
          soup_message_headers_replace (headers, "Retry-After", retry_after);
          reply_error (&reply, 429, -1003, "Too many requests; current limit is %u request weight per 1 MINUTE. "
                       "Please use the websocket for live updates to avoid polling the API.", WEIGHT_LIMIT);
          goto answer;
        case FAKE_FAILURE_418:
          soup_message_headers_replace (headers, "Retry-After", retry_after);
          reply_error (&reply, 418, -1003, "Way too many requests; IP(127.0.0.1) banned until %" G_GINT64_FORMAT
                       ". Please use the websocket for live updates to avoid bans.",
                       now_ms (orders) + orders->retry_after * 1000);
          goto answer;
        case FAKE_FAILURE_TIMESTAMP:
          reply_error (&reply, 400, -1021, "Timestamp for this request is outside of the recvWindow.");
          goto answer;
        case FAKE_FAILURE_INSUFFICIENT:
          reply_error (&reply, 400, -2010, "Account has insufficient balance for requested action.");
          goto answer;
        case FAKE_FAILURE_HOLD:
        case FAKE_FAILURE_CLOSE:
        default:
          break;
        }
    }

  if (!check_order_limits (orders, route->new_orders, headers, &reply))
    goto answer;
  if (route->handler (&call, &reply))
    {
      orders->count_10s += route->new_orders;
      orders->count_day += route->new_orders;
    }

answer:
  if (route != NULL && route->order_counts)
    {
      set_header_uint (headers, "X-MBX-ORDER-COUNT-10S", orders->count_10s);
      set_header_uint (headers, "X-MBX-ORDER-COUNT-1D", orders->count_day);
    }
  request->code = reply.code;
  if (failure != NULL && failure->failure == FAKE_FAILURE_HOLD)
    hold (orders, message);
  else if (failure != NULL && failure->failure == FAKE_FAILURE_CLOSE)
    close_unanswered (message);
  else
    {
      set_reply (message, &reply);
      request->status = reply.status;
    }
  g_clear_pointer (&failure, failure_free);
  g_clear_pointer (&reply.body, json_node_unref);
  g_free (reply.msg);
}

/* }}} */

/* Tests' side {{{ */

static void
set_range (Range      *range,
           const char *min,
           const char *max,
           const char *step)
{
  range->min = dec (min);
  range->max = dec (max);
  range->step = dec (step);
}

void
fake_exchange_add_symbol (FakeExchange *self,
                          const char   *name,
                          const char   *base_asset,
                          const char   *quote_asset,
                          const char   *price)
{
  FakeOrders *orders = get_orders (self);
  Symbol *symbol = g_new0 (Symbol, 1);

  symbol->name = g_strdup (name);
  symbol->base = g_strdup (base_asset);
  symbol->quote = g_strdup (quote_asset);
  symbol->price = dec (price);
  set_range (&symbol->price_filter, "0.01", "1000000", "0.01");
  set_range (&symbol->lot, "0.00001", "9000", "0.00001");
  set_range (&symbol->market_lot, "0", "100", "0");
  symbol->min_notional = dec ("5");
  symbol->max_notional = dec ("9000000");
  symbol->apply_min_to_market = TRUE;
  symbol->apply_max_to_market = FALSE;
  symbol->bid_up = dec ("5");
  symbol->bid_down = dec ("0.2");
  symbol->ask_up = dec ("5");
  symbol->ask_down = dec ("0.2");
  symbol->max_num_orders = 200;
  g_hash_table_replace (orders->symbols, symbol->name, symbol);
}

void
fake_exchange_set_price_filter (FakeExchange *self,
                                const char   *name,
                                const char   *min_price,
                                const char   *max_price,
                                const char   *tick_size)
{
  set_range (&lookup_symbol (get_orders (self), name)->price_filter, min_price, max_price, tick_size);
}

void
fake_exchange_set_lot_size (FakeExchange *self,
                            const char   *name,
                            const char   *min_qty,
                            const char   *max_qty,
                            const char   *step_size)
{
  set_range (&lookup_symbol (get_orders (self), name)->lot, min_qty, max_qty, step_size);
}

void
fake_exchange_set_market_lot_size (FakeExchange *self,
                                   const char   *name,
                                   const char   *min_qty,
                                   const char   *max_qty,
                                   const char   *step_size)
{
  set_range (&lookup_symbol (get_orders (self), name)->market_lot, min_qty, max_qty, step_size);
}

void
fake_exchange_set_notional (FakeExchange *self,
                            const char   *name,
                            const char   *min_notional,
                            const char   *max_notional,
                            gboolean      apply_min_to_market,
                            gboolean      apply_max_to_market)
{
  Symbol *symbol = lookup_symbol (get_orders (self), name);

  symbol->min_notional = dec (min_notional);
  symbol->max_notional = dec (max_notional);
  symbol->apply_min_to_market = apply_min_to_market;
  symbol->apply_max_to_market = apply_max_to_market;
}

void
fake_exchange_set_percent_price (FakeExchange *self,
                                 const char   *name,
                                 const char   *bid_multiplier_up,
                                 const char   *bid_multiplier_down,
                                 const char   *ask_multiplier_up,
                                 const char   *ask_multiplier_down)
{
  Symbol *symbol = lookup_symbol (get_orders (self), name);

  symbol->bid_up = dec (bid_multiplier_up);
  symbol->bid_down = dec (bid_multiplier_down);
  symbol->ask_up = dec (ask_multiplier_up);
  symbol->ask_down = dec (ask_multiplier_down);
}

void
fake_exchange_set_max_num_orders (FakeExchange *self,
                                  const char   *name,
                                  guint         max_num_orders)
{
  lookup_symbol (get_orders (self), name)->max_num_orders = max_num_orders;
}

void
fake_exchange_set_price (FakeExchange *self,
                         const char   *name,
                         const char   *price)
{
  FakeOrders *orders = get_orders (self);
  Symbol *symbol = lookup_symbol (orders, name);

  symbol->price = dec (price);
  match_symbol (orders, symbol);
  flush_balances (orders);
}

void
fake_exchange_set_balance (FakeExchange *self,
                           const char   *api_key,
                           const char   *asset,
                           const char   *free)
{
  FakeOrders *orders = get_orders (self);
  Account *account = get_account (orders, api_key);
  BourseDecimal delta = dec_sub (dec (free), get_balance (account, asset)->free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  change_balance (orders, account, asset, delta, BOURSE_DECIMAL_ZERO);
  json_builder_begin_object (builder);
  add_string (builder, "e", "balanceUpdate");
  add_int (builder, "E", now_ms (orders));
  add_string (builder, "a", asset);
  add_dec (builder, "d", delta);
  add_int (builder, "T", now_ms (orders));
  json_builder_end_object (builder);
  emit (orders, account, json_builder_get_root (builder));
  flush_balances (orders);
}

void
fake_exchange_get_balance (FakeExchange  *self,
                           const char    *api_key,
                           const char    *asset,
                           BourseDecimal *free,
                           BourseDecimal *locked)
{
  FakeOrders *orders = get_orders (self);
  Account *account = g_hash_table_lookup (orders->accounts, api_key);
  Balance *balance = account != NULL ? g_hash_table_lookup (account->balances, asset) : NULL;

  if (free != NULL)
    *free = balance != NULL ? balance->free : BOURSE_DECIMAL_ZERO;
  if (locked != NULL)
    *locked = balance != NULL ? balance->locked : BOURSE_DECIMAL_ZERO;
}

void
fake_exchange_set_fill_parts (FakeExchange *self,
                              guint         parts)
{
  get_orders (self)->fill_parts = MAX (parts, 1);
}

void
fake_exchange_set_commission (FakeExchange   *self,
                              const char     *rate,
                              FakeCommission  kind,
                              const char     *asset,
                              const char     *asset_price)
{
  FakeOrders *orders = get_orders (self);

  g_assert (kind != FAKE_COMMISSION_ASSET || (asset != NULL && asset_price != NULL));
  orders->commission_rate = dec (rate);
  orders->commission_kind = kind;
  g_free (orders->commission_asset);
  orders->commission_asset = g_strdup (asset);
  orders->commission_asset_price = asset_price != NULL ? dec (asset_price) : BOURSE_DECIMAL_ZERO;
}

void
fake_exchange_set_order_limits (FakeExchange *self,
                                guint         per_ten_seconds,
                                guint         per_day)
{
  FakeOrders *orders = get_orders (self);

  orders->limit_10s = per_ten_seconds;
  orders->limit_day = per_day;
}

void
fake_exchange_fail_requests (FakeExchange *self,
                             const char   *method,
                             const char   *path,
                             FakeFailure   failure,
                             guint         times)
{
  FakeOrders *orders = get_orders (self);

  for (guint i = 0; i < times; i++)
    {
      Failure *entry = g_new0 (Failure, 1);

      entry->method = g_strdup (method);
      entry->path = g_strdup (path);
      entry->failure = failure;
      g_queue_push_tail (&orders->failures, entry);
    }
}

void
fake_exchange_fail_orders (FakeExchange *self,
                           FakeFailure   failure,
                           guint         times)
{
  fake_exchange_fail_requests (self, "POST", "/api/v3/order", failure, times);
}

void
fake_exchange_set_failure_retry_after (FakeExchange *self,
                                       guint         seconds)
{
  get_orders (self)->retry_after = seconds;
}

guint
fake_exchange_get_n_held (FakeExchange *self)
{
  return get_orders (self)->held->len;
}

gint64
fake_exchange_place_external_order (FakeExchange  *self,
                                    const char    *api_key,
                                    const char    *symbol_name,
                                    const char    *side,
                                    const char    *type,
                                    const char    *quantity,
                                    const char    *price,
                                    char         **client_order_id)
{
  FakeOrders *orders = get_orders (self);
  Account *account = get_account (orders, api_key);
  g_autofree char *id = new_client_id (orders, "web_");
  Reply reply = { 0 };
  OrderSpec spec = { 0 };
  Order *order;

  spec.symbol = lookup_symbol (orders, symbol_name);
  if (!parse_side (side, &spec.buy, &reply) || !parse_type (type, &spec.type, &reply))
    g_error ("fake exchange: %s", reply.msg);
  spec.time_in_force = spec.type == TYPE_MARKET || spec.type == TYPE_LIMIT_MAKER ? NULL : "GTC";
  spec.quantity = dec (quantity);
  spec.price = price != NULL ? dec (price) : BOURSE_DECIMAL_ZERO;
  spec.stop_price = spec.price;
  spec.client_order_id = id;
  if (client_order_id != NULL)
    *client_order_id = NULL;
  if (!check_engine (orders, account, &spec, &reply))
    {
      g_free (reply.msg);
      return -1;
    }
  order = accept_order (orders, account, &spec, NULL);
  if (client_order_id != NULL)
    *client_order_id = g_strdup (order->client_order_id);
  return order->id;
}

gboolean
fake_exchange_cancel_external_order (FakeExchange *self,
                                     gint64        order_id)
{
  FakeOrders *orders = get_orders (self);
  Order *order = find_order_by_id (orders, order_id);
  g_autofree char *cancel_id = NULL;

  if (order == NULL || !order_is_open (order))
    return FALSE;
  cancel_id = new_client_id (orders, "web_");
  cancel_with_list (orders, order, cancel_id);
  flush_balances (orders);
  return TRUE;
}

guint
fake_exchange_get_n_api_requests (FakeExchange *self)
{
  return get_orders (self)->requests->len;
}

const FakeApiRequest *
fake_exchange_get_api_request (FakeExchange *self,
                               guint         index)
{
  FakeOrders *orders = get_orders (self);

  g_assert_cmpuint (index, <, orders->requests->len);
  return g_ptr_array_index (orders->requests, index);
}

guint
fake_exchange_count_api_requests (FakeExchange *self,
                                  const char   *method,
                                  const char   *path)
{
  FakeOrders *orders = get_orders (self);
  guint n = 0;

  for (guint i = 0; i < orders->requests->len; i++)
    {
      FakeApiRequest *request = g_ptr_array_index (orders->requests, i);

      if ((method == NULL || g_str_equal (request->method, method))
          && (path == NULL || g_str_equal (request->path, path)))
        n++;
    }
  return n;
}

guint
fake_exchange_count_new_orders (FakeExchange *self,
                                const char   *client_order_id)
{
  FakeOrders *orders = get_orders (self);
  guint n = 0;

  for (guint i = 0; i < orders->requests->len; i++)
    {
      FakeApiRequest *request = g_ptr_array_index (orders->requests, i);

      if (g_str_equal (request->method, "POST") && g_str_equal (request->path, "/api/v3/order")
          && g_strcmp0 (g_hash_table_lookup (request->params, "newClientOrderId"), client_order_id) == 0)
        n++;
    }
  return n;
}

static void
api_request_free (gpointer data)
{
  FakeApiRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->api_key);
  g_hash_table_unref (request->params);
  g_free (request);
}

void
fake_exchange_clear_api_requests (FakeExchange *self)
{
  g_ptr_array_set_size (get_orders (self)->requests, 0);
}

gint64
fake_exchange_find_order (FakeExchange *self,
                          const char   *client_order_id)
{
  FakeOrders *orders = get_orders (self);

  for (guint i = orders->orders->len; i > 0; i--)
    {
      Order *order = g_ptr_array_index (orders->orders, i - 1);

      if (g_str_equal (order->client_order_id, client_order_id))
        return order->id;
    }
  return -1;
}

static JsonObject *
order_to_object (Order *order)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  build_order (builder, order, SHAPE_QUERY, NULL, NULL, 0);
  node = json_builder_get_root (builder);
  return json_object_ref (json_node_get_object (node));
}

JsonObject *
fake_exchange_dup_order (FakeExchange *self,
                         gint64        order_id)
{
  Order *order = find_order_by_id (get_orders (self), order_id);

  return order != NULL ? order_to_object (order) : NULL;
}

JsonArray *
fake_exchange_dup_orders (FakeExchange *self,
                          const char   *api_key)
{
  FakeOrders *orders = get_orders (self);
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < orders->orders->len; i++)
    {
      Order *order = g_ptr_array_index (orders->orders, i);

      if (g_str_equal (order->account->api_key, api_key))
        json_array_add_object_element (array, order_to_object (order));
    }
  return array;
}

JsonArray *
fake_exchange_dup_trades (FakeExchange *self,
                          const char   *api_key,
                          const char   *symbol)
{
  FakeOrders *orders = get_orders (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < orders->trades->len; i++)
    {
      Trade *trade = g_ptr_array_index (orders->trades, i);

      if (g_str_equal (trade->order->account->api_key, api_key)
          && (symbol == NULL || g_str_equal (trade->order->symbol->name, symbol)))
        build_trade (builder, trade);
    }
  json_builder_end_array (builder);
  node = json_builder_get_root (builder);
  return json_array_ref (json_node_get_array (node));
}

guint
fake_exchange_get_n_user_events (FakeExchange *self)
{
  return get_orders (self)->events->len;
}

JsonObject *
fake_exchange_get_user_event (FakeExchange  *self,
                              guint          index,
                              const char   **api_key)
{
  FakeOrders *orders = get_orders (self);
  Event *event;

  g_assert_cmpuint (index, <, orders->events->len);
  event = g_ptr_array_index (orders->events, index);
  if (api_key != NULL)
    *api_key = event->api_key;
  return event->event;
}

void
fake_exchange_clear_user_events (FakeExchange *self)
{
  g_ptr_array_set_size (get_orders (self)->events, 0);
}

/* }}} */

/* Life {{{ */

static void
symbol_free (gpointer data)
{
  Symbol *symbol = data;

  g_free (symbol->name);
  g_free (symbol->base);
  g_free (symbol->quote);
  g_free (symbol);
}

static void
account_free (gpointer data)
{
  Account *account = data;

  g_hash_table_unref (account->balances);
  g_free (account->api_key);
  g_free (account);
}

static void
order_free (gpointer data)
{
  Order *order = data;

  g_free (order->client_order_id);
  g_free (order);
}

static void
list_free (gpointer data)
{
  OrderList *list = data;

  g_free (list->client_id);
  g_free (list);
}

static void
lock_free (gpointer data)
{
  Lock *lock = data;

  g_free (lock->asset);
  g_free (lock);
}

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->api_key);
  json_object_unref (event->event);
  g_free (event);
}

void
fake_exchange_orders_install (FakeExchange *self)
{
  FakeOrders *orders = g_new0 (FakeOrders, 1);
  SoupServer *server = fake_exchange_get_server (self);

  orders->self = self;
  orders->symbols = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, symbol_free);
  orders->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, account_free);
  orders->orders = g_ptr_array_new_with_free_func (order_free);
  orders->lists = g_ptr_array_new_with_free_func (list_free);
  orders->trades = g_ptr_array_new_with_free_func (g_free);
  orders->locks = g_ptr_array_new_with_free_func (lock_free);
  orders->requests = g_ptr_array_new_with_free_func (api_request_free);
  orders->events = g_ptr_array_new_with_free_func (event_free);
  orders->held = g_ptr_array_new_with_free_func (held_free);
  g_queue_init (&orders->failures);
  orders->retry_after = 1;
  /* Ids far apart, so that a test mixing them up fails. */
  orders->next_order_id = 10001;
  orders->next_list_id = 501;
  orders->next_trade_id = 70001;
  orders->next_execution_id = 900001;
  orders->next_uid = 354937001;
  orders->fill_parts = 1;
  orders->commission_rate = dec ("0.001");
  orders->commission_kind = FAKE_COMMISSION_QUOTE;
  orders->limit_10s = 100;
  orders->limit_day = 200000;
  orders->window_10s = -1;
  orders->window_day = -1;
  orders->weight_minute = -1;
  *fake_exchange_orders_slot (self) = orders;

  for (guint i = 0; i < G_N_ELEMENTS (handled_paths); i++)
    soup_server_add_handler (server, handled_paths[i], api_cb, self, NULL);
}

void
fake_exchange_orders_clear (FakeExchange *self)
{
  FakeOrders *orders = *fake_exchange_orders_slot (self);
  SoupServer *server = fake_exchange_get_server (self);

  if (orders == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (handled_paths); i++)
    soup_server_remove_handler (server, handled_paths[i]);
  g_ptr_array_unref (orders->held);
  g_queue_clear_full (&orders->failures, failure_free);
  g_ptr_array_unref (orders->events);
  g_ptr_array_unref (orders->requests);
  g_ptr_array_unref (orders->trades);
  g_ptr_array_unref (orders->lists);
  g_ptr_array_unref (orders->orders);
  g_ptr_array_unref (orders->locks);
  g_hash_table_unref (orders->accounts);
  g_hash_table_unref (orders->symbols);
  g_free (orders->commission_asset);
  g_free (orders);
  *fake_exchange_orders_slot (self) = NULL;
}

/* }}} */
