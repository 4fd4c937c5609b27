/* test-trading.c — orders, the paper fill model, the ledger, approvals to orders, system control
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One engine for the file, its clock frozen and moved by hand. Each case
 * trades its own instrument, so the book's other positions do not matter
 * to it; prices are set by ingesting one-minute candles as a feed would.
 */

#include "config.h"

#include <sqlite3.h>

#include "core/bourse-json.h"
#include "core/bourse-time.h"
#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"

#include "desk-test-util.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define DAY_MS    G_GINT64_CONSTANT (86400000)

/* The ledger property's length: thousands in the normal build; under
 * AddressSanitizer, whose malloc unwinding makes each order some hundred
 * times slower, enough to find memory errors on every path. */
#ifdef __SANITIZE_ADDRESS__
#define LEDGER_ORDERS 400
#else
#define LEDGER_ORDERS 2000
#endif

static BourseTestServer *server;
static gint64 clock_ms;
static char *trader_token;
static char *other_token;
static char *viewer_token;
static gint64 trader_id;

static BourseDecimal
dec (const char *text)
{
  BourseDecimal value;
  g_autoptr(GError) error = NULL;

  bourse_decimal_parse (text, &value, &error);
  g_assert_no_error (error);
  return value;
}

static void
assert_decimal (JsonObject *object,
                const char *member,
                const char *expected)
{
  BourseDecimal have = dec (json_object_get_string_member (object, member));

  if (have.units != dec (expected).units)
    g_error ("%s is %s, expected %s", member, json_object_get_string_member (object, member), expected);
}

/* A new closed one-minute candle at @price, a minute after the last: what a
 * feed brings, and what resting paper orders are matched against. */
static void
set_price (const char *symbol,
           const char *price)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GError) error = NULL;
  BourseCandle candle = { 0 };

  clock_ms += MINUTE_MS;
  bourse_time_freeze (clock_ms);
  instrument = bourse_instruments_find (bourse_engine_get_store (server->engine), symbol, &error);
  g_assert_no_error (error);
  candle.open_time = bourse_interval_align (BOURSE_INTERVAL_1M, clock_ms - MINUTE_MS);
  candle.open = candle.high = candle.low = candle.close = dec (price);
  candle.volume = dec ("1");
  candle.closed = TRUE;
  bourse_market_ingest (bourse_engine_get_market (server->engine), instrument, BOURSE_INTERVAL_1M, &candle, 1,
                        &error);
  g_assert_no_error (error);
}

/* The instrument, with a price of @price: one candle. */
static void
add_instrument (const char *symbol,
                const char *price)
{
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"%s\",\"base_asset\":\"%.*s\",\"quote_asset\":\"USDT\","
                                           "\"tick_size\":\"0.01\",\"lot_step\":\"0.001\","
                                           "\"min_notional\":\"5\",\"source\":\"csv\"}",
                                           symbol, (int) strlen (symbol) - 4, symbol);
  g_autoptr(JsonNode) created = desk_expect (server, "POST", "/api/v1/instruments", NULL, body, 201);

  set_price (symbol, price);
}

static JsonNode *
place (const char *token,
       const char *body,
       guint       expected)
{
  return desk_expect (server, "POST", "/api/v1/orders", token, body, expected);
}

static JsonObject *
get_order (gint64      id,
           JsonNode  **holder)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/orders/%" G_GINT64_FORMAT, id);

  g_clear_pointer (holder, json_node_unref);
  *holder = desk_expect (server, "GET", path, NULL, NULL, 200);
  return desk_object (*holder);
}

/* The element of list @list in GET @path whose @key is @value, or NULL;
 * *holder keeps the answer alive. */
static JsonObject *
find_in (const char  *path,
         const char  *list,
         const char  *key,
         const char  *value,
         JsonNode   **holder)
{
  JsonArray *items;

  g_clear_pointer (holder, json_node_unref);
  *holder = desk_expect (server, "GET", path, NULL, NULL, 200);
  items = json_object_get_array_member (desk_object (*holder), list);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *entry = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (entry, key), value))
        return entry;
    }
  return NULL;
}

static JsonObject *
balance (const char  *asset,
         JsonNode   **holder)
{
  return find_in ("/api/v1/portfolio", "balances", "asset", asset, holder);
}

static JsonObject *
position (const char  *symbol,
          JsonNode   **holder)
{
  return find_in ("/api/v1/positions", "items", "symbol", symbol, holder);
}

static BourseDecimal
cash (void)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *usdt = balance ("USDT", &node);

  return dec (json_object_get_string_member (usdt, "total"));
}

static BourseDecimal
free_cash (void)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *usdt = balance ("USDT", &node);

  return dec (json_object_get_string_member (usdt, "free"));
}

/* The market fill model, to the unit: slippage against the taker, the tick
 * on the taker's worse side, the fee rounded up. */
static void
test_market_orders (void)
{
  g_autoptr(JsonNode) buy = NULL;
  g_autoptr(JsonNode) sell = NULL;
  g_autoptr(JsonNode) pos = NULL;
  g_autoptr(JsonNode) trades = NULL;
  BourseDecimal before, after, expected;
  JsonObject *order, *fill, *trade, *held;

  add_instrument ("MKTUSDT", "100");
  before = cash ();

  buy = place (trader_token, "{\"symbol\":\"MKTUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\"}", 201);
  order = desk_object (buy);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "FILLED");
  g_assert_cmpstr (json_object_get_string_member (order, "mode"), ==, "paper");
  g_assert_cmpstr (json_object_get_string_member (order, "created_by_name"), ==, "tom");
  /* 100 × (1 + 2 bps) = 100.02, already on the tick. */
  assert_decimal (order, "average_price", "100.02");
  /* 100.02 × 0.001 = 0.10002. */
  assert_decimal (order, "fee", "0.10002");
  fill = json_array_get_object_element (json_object_get_array_member (order, "fills"), 0);
  g_assert_cmpstr (json_object_get_string_member (fill, "liquidity"), ==, "taker");
  assert_decimal (fill, "quote_quantity", "100.02");

  after = cash ();
  bourse_decimal_sub (before, dec ("100.12002"), &expected, NULL);
  g_assert_cmpint (after.units, ==, expected.units);
  held = position ("MKTUSDT", &pos);
  g_assert_nonnull (held);
  assert_decimal (held, "quantity", "1");
  assert_decimal (held, "cost", "100.02");

  /* 110 × (1 − 2 bps) = 109.978, down to the tick: 109.97. */
  set_price ("MKTUSDT", "110");
  g_clear_pointer (&pos, json_node_unref);
  assert_decimal (position ("MKTUSDT", &pos), "unrealized_pnl", "9.98");
  sell = place (trader_token, "{\"symbol\":\"MKTUSDT\",\"side\":\"SELL\",\"type\":\"MARKET\",\"quantity\":\"1\"}", 201);
  order = desk_object (sell);
  assert_decimal (order, "average_price", "109.97");
  assert_decimal (order, "fee", "0.10997");

  trades = desk_expect (server, "GET", "/api/v1/trades?symbol=MKTUSDT", NULL, NULL, 200);
  trade = json_array_get_object_element (json_object_get_array_member (desk_object (trades), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (trade, "status"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (trade, "side"), ==, "LONG");
  assert_decimal (trade, "entry_price", "100.02");
  assert_decimal (trade, "exit_price", "109.97");
  assert_decimal (trade, "gross_pnl", "9.95");
  assert_decimal (trade, "net_pnl", "9.74001");
  g_assert_cmpstr (json_object_get_string_member (trade, "exit_reason"), ==, "order");

  bourse_decimal_add (before, dec ("9.74001"), &expected, NULL);
  g_assert_cmpint (cash ().units, ==, expected.units);
}

/* A resting LIMIT locks its notional and taker fee, fills at its limit as
 * maker when a later price trades through it, and gives the rest back. */
static void
test_limit_orders (void)
{
  g_autoptr(JsonNode) placed = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) usdt = NULL;
  BourseDecimal before, expected;
  JsonObject *order, *fill;
  gint64 id;

  add_instrument ("LIMUSDT", "100");
  before = free_cash ();

  /* A dry run says what the order would be and cost, and stores nothing. */
  {
    g_autoptr(JsonNode) check = desk_expect (server, "POST", "/api/v1/orders?dry_run=true", trader_token,
                                             "{\"symbol\":\"LIMUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\","
                                             "\"quantity\":\"2.0005\",\"price\":\"95.004\"}", 200);
    JsonObject *estimate = json_object_get_object_member (desk_object (check), "estimate");

    assert_decimal (json_object_get_object_member (desk_object (check), "order"), "quantity", "2");
    assert_decimal (estimate, "price", "95");
    assert_decimal (estimate, "notional", "190");
    assert_decimal (estimate, "fee", "0.19");
    assert_decimal (estimate, "fee_rate", "0.001");
    g_assert_cmpstr (json_object_get_string_member (estimate, "liquidity"), ==, "taker");
    desk_expect_field (server, "POST", "/api/v1/orders?dry_run=true", trader_token,
                       "{\"symbol\":\"LIMUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1000\","
                       "\"price\":\"95\"}", 422, "quantity");
    g_assert_cmpint (free_cash ().units, ==, before.units);
  }
  placed = place (trader_token, "{\"symbol\":\"LIMUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"2\","
                                "\"price\":\"95.004\"}", 201);
  order = desk_object (placed);
  id = json_object_get_int_member (order, "id");
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "NEW");
  g_assert_cmpstr (json_object_get_string_member (order, "time_in_force"), ==, "GTC");
  /* Rounded to the tick. */
  assert_decimal (order, "price", "95");
  /* 190 locked, and 0.19 of taker fee. */
  bourse_decimal_sub (before, dec ("190.19"), &expected, NULL);
  g_assert_cmpint (free_cash ().units, ==, expected.units);
  assert_decimal (balance ("USDT", &usdt), "locked", "190.19");

  set_price ("LIMUSDT", "95.01");
  order = get_order (id, &node);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "NEW");

  set_price ("LIMUSDT", "94.5");
  g_clear_pointer (&node, json_node_unref);
  order = get_order (id, &node);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "FILLED");
  assert_decimal (order, "average_price", "95");
  fill = json_array_get_object_element (json_object_get_array_member (order, "fills"), 0);
  g_assert_cmpstr (json_object_get_string_member (fill, "liquidity"), ==, "maker");
  {
    g_autoptr(JsonNode) fills = desk_expect (server, "GET", "/api/v1/fills?symbol=LIMUSDT", viewer_token, NULL, 200);
    JsonObject *listed = json_array_get_object_element (json_object_get_array_member (desk_object (fills), "items"), 0);

    g_assert_cmpint (json_object_get_int_member (listed, "order_id"), ==, id);
    assert_decimal (listed, "fee", "0.19");
  }
  /* Paid 190 and 0.19 of maker fee; nothing stays locked. */
  bourse_decimal_sub (before, dec ("190.19"), &expected, NULL);
  g_assert_cmpint (free_cash ().units, ==, expected.units);
  g_clear_pointer (&usdt, json_node_unref);
  assert_decimal (balance ("USDT", &usdt), "locked", "0");

  /* A marketable limit takes at once, at its limit. */
  g_clear_pointer (&placed, json_node_unref);
  placed = place (trader_token, "{\"symbol\":\"LIMUSDT\",\"side\":\"SELL\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                                "\"price\":\"94\"}", 201);
  order = desk_object (placed);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "FILLED");
  assert_decimal (order, "average_price", "94");
  fill = json_array_get_object_element (json_object_get_array_member (order, "fills"), 0);
  g_assert_cmpstr (json_object_get_string_member (fill, "liquidity"), ==, "taker");

  /* IOC and FOK that cannot fill at once expire, and unlock. */
  before = free_cash ();
  g_clear_pointer (&placed, json_node_unref);
  placed = place (trader_token, "{\"symbol\":\"LIMUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                                "\"price\":\"90\",\"time_in_force\":\"IOC\"}", 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (placed), "status"), ==, "EXPIRED");
  g_clear_pointer (&placed, json_node_unref);
  placed = place (trader_token, "{\"symbol\":\"LIMUSDT\",\"side\":\"SELL\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                                "\"price\":\"99\",\"time_in_force\":\"FOK\"}", 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (placed), "status"), ==, "EXPIRED");
  g_assert_cmpint (free_cash ().units, ==, before.units);
}

/* Stop types wait for their stop, then work as a limit. */
static void
test_stop_orders (void)
{
  g_autoptr(JsonNode) entry = NULL;
  g_autoptr(JsonNode) stop = NULL;
  g_autoptr(JsonNode) target = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *order;
  gint64 stop_id, target_id;

  add_instrument ("STPUSDT", "100");
  entry = place (trader_token, "{\"symbol\":\"STPUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"2\"}", 201);

  /* A stop the price is already beyond would trigger at once: refused. */
  desk_expect_field (server, "POST", "/api/v1/orders", trader_token,
                     "{\"symbol\":\"STPUSDT\",\"side\":\"SELL\",\"type\":\"STOP_LOSS_LIMIT\",\"quantity\":\"1\","
                     "\"price\":\"101\",\"stop_price\":\"101\"}", 422, "stop_price");

  stop = place (trader_token, "{\"symbol\":\"STPUSDT\",\"side\":\"SELL\",\"type\":\"STOP_LOSS_LIMIT\","
                              "\"quantity\":\"1\",\"price\":\"90\",\"stop_price\":\"90\"}", 201);
  stop_id = json_object_get_int_member (desk_object (stop), "id");
  target = place (trader_token, "{\"symbol\":\"STPUSDT\",\"side\":\"SELL\",\"type\":\"TAKE_PROFIT_LIMIT\","
                                "\"quantity\":\"1\",\"price\":\"120\",\"stop_price\":\"120\"}", 201);
  target_id = json_object_get_int_member (desk_object (target), "id");

  /* 91: nothing. 89.5: the stop triggers; its limit SELL at 90 waits for 90. */
  set_price ("STPUSDT", "91");
  set_price ("STPUSDT", "89.5");
  order = get_order (stop_id, &node);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "NEW");
  set_price ("STPUSDT", "90");
  g_clear_pointer (&node, json_node_unref);
  order = get_order (stop_id, &node);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "FILLED");
  assert_decimal (order, "average_price", "90");

  /* The take-profit triggers at 120 and, marketable, takes at its limit. */
  set_price ("STPUSDT", "125");
  g_clear_pointer (&node, json_node_unref);
  order = get_order (target_id, &node);
  g_assert_cmpstr (json_object_get_string_member (order, "status"), ==, "FILLED");
  assert_decimal (order, "average_price", "120");
}

/* Every refusal is a 422 naming its field. */
static void
test_validation (void)
{
  static const struct { const char *body; const char *field; } cases[] = {
    { "{\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\"}", "symbol" },
    { "{\"symbol\":\"NOPEUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\"}", "symbol" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"HOLD\",\"type\":\"MARKET\",\"quantity\":\"1\"}", "side" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"OCO\",\"quantity\":\"1\"}", "type" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\"}", "quantity" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\",\"quote_quantity\":\"5\"}", "quantity" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":1}", "quantity" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"abc\"}", "quantity" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.0001\"}", "quantity" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.01\"}", "quantity" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1000\"}", "quantity" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"SELL\",\"type\":\"MARKET\",\"quantity\":\"1\"}", "quantity" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\"}", "price" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\",\"price\":\"1\"}", "price" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\",\"price\":\"0.001\"}", "price" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"STOP_LOSS_LIMIT\",\"quantity\":\"1\",\"price\":\"1\"}", "stop_price" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\",\"price\":\"1\",\"stop_price\":\"1\"}", "stop_price" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\",\"time_in_force\":\"GTC\"}", "time_in_force" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\",\"price\":\"99\",\"time_in_force\":\"DAY\"}", "time_in_force" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\",\"client_order_id\":\"no spaces\"}", "client_order_id" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\",\"client_order_id\":\"approval-1\"}", "client_order_id" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\",\"stop_loss\":\"101\"}", "stop_loss" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\",\"take_profit\":\"99\"}", "take_profit" },
    { "{\"symbol\":\"VALUSDT\",\"side\":\"SELL\",\"type\":\"MARKET\",\"quantity\":\"1\",\"stop_loss\":\"99\"}", "stop_loss" },
  };
  g_autoptr(JsonNode) orders_before = NULL;
  g_autoptr(JsonNode) orders_after = NULL;

  add_instrument ("VALUSDT", "100");
  orders_before = desk_expect (server, "GET", "/api/v1/orders?limit=500", NULL, NULL, 200);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].body);
      desk_expect_field (server, "POST", "/api/v1/orders", trader_token, cases[i].body, 422, cases[i].field);
    }
  /* Nothing was created by any of them. */
  orders_after = desk_expect (server, "GET", "/api/v1/orders?limit=500", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (orders_before), "items")), ==,
                    json_array_get_length (json_object_get_array_member (desk_object (orders_after), "items")));
}

typedef struct
{
  guint  pending;
  guint  statuses[600];
  gint64 ids[16];
  guint  n;
} Burst;

static void
burst_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Burst *burst = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  burst->statuses[soup_message_get_status (message)]++;
  node = bourse_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 0, &error);
  g_assert_no_error (error);
  if (burst->n < G_N_ELEMENTS (burst->ids))
    burst->ids[burst->n++] = json_object_get_int_member (json_node_get_object (node), "id");
  burst->pending--;
}

static gboolean
burst_done (gpointer user_data)
{
  return ((Burst *) user_data)->pending == 0;
}

/* The same client_order_id, many times at once: one order, the rest 200. */
static void
test_idempotency (void)
{
  const char *body = "{\"symbol\":\"IDMUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                     "\"price\":\"50\",\"client_order_id\":\"retry-1\"}";
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *url = g_strconcat (server->base_url, "api/v1/orders", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", trader_token, NULL);
  Burst burst = { 0 };

  add_instrument ("IDMUSDT", "100");
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
      burst.pending++;
      soup_session_send_and_read_async (server->session, message, G_PRIORITY_DEFAULT, NULL, burst_cb, &burst);
    }
  bourse_test_wait_until (burst_done, &burst, 30000, "the duplicates answered");
  g_assert_cmpuint (burst.statuses[201], ==, 1);
  g_assert_cmpuint (burst.statuses[200], ==, 11);
  for (guint i = 1; i < burst.n; i++)
    g_assert_cmpint (burst.ids[i], ==, burst.ids[0]);

  list = desk_expect (server, "GET", "/api/v1/orders?symbol=IDMUSDT", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (list), "items")), ==, 1);
}

/* Cancel: one's own, or any as an administrator; final orders are 409. */
static void
test_cancel (void)
{
  g_autoptr(JsonNode) placed = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) canceled = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) open = NULL;
  g_autofree char *path = NULL;
  BourseDecimal before = BOURSE_DECIMAL_ZERO;
  guint status;

  add_instrument ("CANUSDT", "100");
  before = free_cash ();
  placed = place (trader_token, "{\"symbol\":\"CANUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                                "\"price\":\"80\"}", 201);
  path = g_strdup_printf ("/api/v1/orders/%" G_GINT64_FORMAT, json_object_get_int_member (desk_object (placed), "id"));

  /* Whose orders are one's own: the permissions say who the caller is. */
  {
    g_autoptr(JsonNode) me = desk_expect (server, "GET", "/api/v1/permissions", trader_token, NULL, 200);

    g_assert_cmpint (json_object_get_int_member (desk_object (me), "user_id"), ==, trader_id);
    g_assert_cmpint (json_object_get_int_member (desk_object (placed), "created_by"), ==, trader_id);
  }

  /* Another trader may not; a viewer may not at all. */
  g_clear_pointer (&canceled, json_node_unref);
  canceled = desk_fetch (server, "DELETE", path, other_token, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&canceled, json_node_unref);
  canceled = desk_fetch (server, "DELETE", path, viewer_token, NULL, &status);
  g_assert_cmpuint (status, ==, 403);

  g_clear_pointer (&canceled, json_node_unref);
  canceled = desk_expect (server, "DELETE", path, trader_token, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (canceled), "status"), ==, "CANCELED");
  g_assert_cmpint (free_cash ().units, ==, before.units);
  g_clear_pointer (&canceled, json_node_unref);
  canceled = desk_fetch (server, "DELETE", path, trader_token, NULL, &status);
  g_assert_cmpuint (status, ==, 409);

  /* Cancel all: the administrator's reaches the trader's orders. */
  second = place (trader_token, "{\"symbol\":\"CANUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                                "\"price\":\"81\"}", 201);
  all = desk_expect (server, "DELETE", "/api/v1/orders?symbol=CANUSDT", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (all), "canceled")), ==, 1);
  open = desk_expect (server, "GET", "/api/v1/orders?symbol=CANUSDT&status=open", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (open), "items")), ==, 0);
  g_assert_cmpint (free_cash ().units, ==, before.units);
}

/* An approval executes once, into an entry and its OCO bracket. */
static void
test_execute_approval (void)
{
  g_autoptr(JsonNode) hook = NULL;
  g_autoptr(JsonNode) signal = NULL;
  g_autoptr(JsonNode) approved = NULL;
  g_autoptr(JsonNode) executed = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) legs = NULL;
  g_autoptr(JsonNode) trades = NULL;
  g_autoptr(JsonNode) pending = NULL;
  g_autofree char *path = NULL;
  g_autofree char *approve_path = NULL;
  JsonObject *entry, *trade;
  JsonArray *items;
  gint64 approval_id, entry_id;
  guint status;

  desk_add_instrument (server, "APXUSDT", BOURSE_INTERVAL_1H, 100, 7);
  set_price ("APXUSDT", "100");
  hook = desk_expect (server, "POST", "/api/v1/webhooks", NULL, "{\"name\":\"exec\"}", 201);
  signal = desk_post_signal (server, json_object_get_int_member (desk_object (hook), "id"),
                             json_object_get_string_member (desk_object (hook), "secret"), g_get_real_time () / G_USEC_PER_SEC,
                             "{\"symbol\":\"APXUSDT\",\"action\":\"buy\",\"price\":\"100\",\"stop_loss\":\"90\","
                             "\"take_profit\":\"130\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  approval_id = json_object_get_int_member (desk_object (signal), "approval_id");
  path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/execute", approval_id);

  /* Pending: not yet. */
  pending = desk_fetch (server, "POST", path, trader_token, NULL, &status);
  g_assert_cmpuint (status, ==, 409);

  approve_path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/approve", approval_id);
  approved = desk_expect (server, "POST", approve_path, NULL, NULL, 200);

  /* A dry run suggests the size the risk profile gives (1 % of equity over
   * a stop 10 away: about 10) and creates nothing. */
  {
    g_autofree char *dry = g_strconcat (path, "?dry_run=true", NULL);
    g_autoptr(JsonNode) check = desk_expect (server, "POST", dry, trader_token, NULL, 200);
    g_autoptr(JsonNode) none = desk_expect (server, "GET", "/api/v1/orders?symbol=APXUSDT", NULL, NULL, 200);
    BourseDecimal suggested = dec (json_object_get_string_member (
                                     json_object_get_object_member (desk_object (check), "order"), "quantity"));

    g_assert_cmpint (suggested.units, >, dec ("9").units);
    g_assert_cmpint (suggested.units, <, dec ("11").units);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (none), "items")), ==, 0);
  }

  executed = desk_expect (server, "POST", path, trader_token, "{\"quantity\":\"2\"}", 201);
  entry = desk_object (executed);
  entry_id = json_object_get_int_member (entry, "id");
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "FILLED");
  g_assert_cmpint (json_object_get_int_member (entry, "approval_id"), ==, approval_id);
  assert_decimal (entry, "stop_loss", "90");
  assert_decimal (entry, "take_profit", "130");

  /* The approval shows the order it became. */
  {
    g_autofree char *approval_path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT, approval_id);
    g_autoptr(JsonNode) approval = desk_expect (server, "GET", approval_path, NULL, NULL, 200);

    g_assert_cmpint (json_object_get_int_member (desk_object (approval), "order_id"), ==, entry_id);
  }

  /* Twice is a 409, through either path, and creates nothing. */
  again = desk_fetch (server, "POST", path, trader_token, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  g_clear_pointer (&again, json_node_unref);
  {
    g_autofree char *body = g_strdup_printf ("{\"approval_id\":%" G_GINT64_FORMAT "}", approval_id);

    again = desk_fetch (server, "POST", "/api/v1/trade/execute", trader_token, body, &status);
    g_assert_cmpuint (status, ==, 409);
  }

  /* The bracket: two SELLs of what was bought, one OCO pair. */
  legs = desk_expect (server, "GET", "/api/v1/orders?symbol=APXUSDT&status=open", NULL, NULL, 200);
  items = json_object_get_array_member (desk_object (legs), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *leg = json_array_get_object_element (items, i);

      g_assert_cmpint (json_object_get_int_member (leg, "parent_id"), ==, entry_id);
      g_assert_cmpint (json_object_get_int_member (leg, "oco_id"), ==, entry_id);
      g_assert_cmpstr (json_object_get_string_member (leg, "side"), ==, "SELL");
      assert_decimal (leg, "quantity", "2");
    }

  /* A stop-loss exit starts the symbol's cooldown (a protection). */
  {
    g_autoptr(JsonNode) global = desk_expect (server, "PUT", "/api/v1/risk/global", NULL,
                                              "{\"protections\":{\"cooldown\":{\"minutes\":30}}}", 200);
  }

  /* The stop-loss fills; the take-profit is canceled with it. */
  set_price ("APXUSDT", "95");
  set_price ("APXUSDT", "89");
  set_price ("APXUSDT", "90");
  g_clear_pointer (&legs, json_node_unref);
  legs = desk_expect (server, "GET", "/api/v1/orders?symbol=APXUSDT&status=open", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (legs), "items")), ==, 0);
  trades = desk_expect (server, "GET", "/api/v1/trades?symbol=APXUSDT", NULL, NULL, 200);
  trade = json_array_get_object_element (json_object_get_array_member (desk_object (trades), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (trade, "status"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (trade, "exit_reason"), ==, "stop_loss");
  g_assert_cmpint (json_object_get_int_member (trade, "approval_id"), ==, approval_id);
  assert_decimal (trade, "exit_price", "90");

  /* The ledger told the protections: no new entry on the symbol for now. */
  desk_expect_field (server, "POST", "/api/v1/orders", trader_token,
                     "{\"symbol\":\"APXUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\"}", 422,
                     "risk.cooldown");
  {
    g_autoptr(JsonNode) global = desk_expect (server, "PUT", "/api/v1/risk/global", NULL,
                                              "{\"protections\":{\"cooldown\":{\"minutes\":0}}}", 200);
  }
}

/* approvals.execute_on_approve = on: approving is executing. */
static void
test_execute_on_approve (void)
{
  g_autoptr(JsonNode) hook = NULL;
  g_autoptr(JsonNode) signal = NULL;
  g_autoptr(JsonNode) approved = NULL;
  g_autoptr(JsonNode) approval = NULL;
  g_autoptr(JsonNode) orders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *approve_path = NULL;
  g_autofree char *approval_path = NULL;
  gint64 approval_id;
  guint status;

  desk_add_instrument (server, "AUTUSDT", BOURSE_INTERVAL_1H, 100, 11);
  set_price ("AUTUSDT", "100");
  bourse_config_set (server->config, "approvals", "execute_on_approve", "on", BOURSE_CONFIG_SOURCE_COMMAND_LINE,
                     &error);
  g_assert_no_error (error);
  hook = desk_expect (server, "POST", "/api/v1/webhooks", NULL, "{\"name\":\"auto\"}", 201);
  signal = desk_post_signal (server, json_object_get_int_member (desk_object (hook), "id"),
                             json_object_get_string_member (desk_object (hook), "secret"),
                             g_get_real_time () / G_USEC_PER_SEC,
                             "{\"symbol\":\"AUTUSDT\",\"action\":\"buy\",\"price\":\"100\",\"stop_loss\":\"95\","
                             "\"take_profit\":\"110\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  approval_id = json_object_get_int_member (desk_object (signal), "approval_id");

  /* Nothing before the decision. */
  orders = desk_expect (server, "GET", "/api/v1/orders?symbol=AUTUSDT", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (orders), "items")), ==, 0);

  approve_path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/approve", approval_id);
  approved = desk_expect (server, "POST", approve_path, NULL, NULL, 200);
  approval_path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT, approval_id);
  approval = desk_expect (server, "GET", approval_path, NULL, NULL, 200);
  g_assert_false (json_object_get_null_member (desk_object (approval), "order_id"));
  g_clear_pointer (&orders, json_node_unref);
  orders = desk_expect (server, "GET", "/api/v1/orders?symbol=AUTUSDT&status=closed", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (orders), "items")), ==, 1);

  bourse_config_set (server->config, "approvals", "execute_on_approve", "auto", BOURSE_CONFIG_SOURCE_COMMAND_LINE,
                     &error);
  g_assert_no_error (error);
}

/* Manual trades through /trades, closed at market. */
static void
test_manual_trade (void)
{
  g_autoptr(JsonNode) opened = NULL;
  g_autoptr(JsonNode) trades = NULL;
  g_autoptr(JsonNode) closed = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) open = NULL;
  g_autofree char *path = NULL;
  JsonObject *trade;
  guint status;

  add_instrument ("MANUSDT", "50");
  opened = desk_expect (server, "POST", "/api/v1/trades", trader_token,
                        "{\"symbol\":\"MANUSDT\",\"side\":\"BUY\",\"quote_quantity\":\"100\",\"stop_loss\":\"40\"}",
                        201);
  /* 100 ÷ 50.01 = 1.9996…, down to the lot. */
  assert_decimal (desk_object (opened), "quantity", "1.999");
  trades = desk_expect (server, "GET", "/api/v1/trades?symbol=MANUSDT&status=open", NULL, NULL, 200);
  trade = json_array_get_object_element (json_object_get_array_member (desk_object (trades), "items"), 0);
  path = g_strdup_printf ("/api/v1/trades/%" G_GINT64_FORMAT "/close", json_object_get_int_member (trade, "id"));

  /* The stop-loss leg holds the base; closing cancels it first. */
  closed = desk_expect (server, "POST", path, trader_token, NULL, 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (closed), "status"), ==, "FILLED");
  assert_decimal (desk_object (closed), "quantity", "1.999");
  again = desk_fetch (server, "POST", path, trader_token, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  open = desk_expect (server, "GET", "/api/v1/orders?symbol=MANUSDT&status=open", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (open), "items")), ==, 0);
}

/* Stop, start, the mode; the kill switch cancels and flattens. */
static void
test_system_control (void)
{
  g_autoptr(JsonNode) stopped = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) live = NULL;
  g_autoptr(JsonNode) paper = NULL;
  g_autoptr(JsonNode) bought = NULL;
  g_autoptr(JsonNode) resting = NULL;
  g_autoptr(JsonNode) halted = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) resumed = NULL;
  g_autoptr(JsonNode) forbidden = NULL;
  guint status;

  add_instrument ("SYSUSDT", "10");
  forbidden = desk_fetch (server, "POST", "/api/v1/system/stop", trader_token, NULL, &status);
  g_assert_cmpuint (status, ==, 403);

  stopped = desk_expect (server, "POST", "/api/v1/system/stop", NULL, NULL, 200);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (desk_object (stopped), "trading"),
                                                   "running"));
  refused = desk_fetch (server, "POST", "/api/v1/orders", trader_token,
                        "{\"symbol\":\"SYSUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\"}", &status);
  g_assert_cmpuint (status, ==, 409);
  started = desk_expect (server, "POST", "/api/v1/system/start", NULL, NULL, 200);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (desk_object (started), "trading"),
                                                  "running"));

  /* The gates to live: an admin, the typed word, checked keys. */
  live = desk_fetch (server, "POST", "/api/v1/system/mode", trader_token,
                     "{\"mode\":\"live\",\"confirm\":\"LIVE\"}", &status);
  g_assert_cmpuint (status, ==, 403);
  desk_expect_field (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\"}", 422, "confirm");
  desk_expect_field (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\",\"confirm\":\"live\"}",
                     422, "confirm");
  desk_expect_field (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\",\"confirm\":\"LIVE\"}",
                     409, "keys");
  paper = desk_expect (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"paper\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (paper), "mode"), ==, "paper");

  /* The kill switch with both wishes: no open order, no position. */
  bought = place (trader_token, "{\"symbol\":\"SYSUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"3\"}", 201);
  resting = place (trader_token, "{\"symbol\":\"SYSUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"1\","
                                 "\"price\":\"5\"}", 201);
  halted = desk_expect (server, "POST", "/api/v1/risk/halt", trader_token,
                        "{\"reason\":\"test\",\"cancel_orders\":true,\"flatten\":true}", 200);
  g_assert_null (position ("SYSUSDT", &node));
  g_clear_pointer (&refused, json_node_unref);
  refused = desk_fetch (server, "POST", "/api/v1/orders", trader_token,
                        "{\"symbol\":\"SYSUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\"}", &status);
  g_assert_cmpuint (status, ==, 409);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpstr (json_object_get_string_member (get_order (json_object_get_int_member (desk_object (resting), "id"),
                                                             &node), "status"), ==, "CANCELED");
  resumed = desk_expect (server, "POST", "/api/v1/risk/resume", NULL, NULL, 200);
}

/* The read side: summary, PnL, equity, calendar, history. */
static void
test_portfolio_reads (void)
{
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(JsonNode) pnl = NULL;
  g_autoptr(JsonNode) equity = NULL;
  g_autoptr(JsonNode) calendar = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) since = NULL;
  g_autoptr(JsonNode) bad = NULL;
  JsonObject *all;
  gint64 first_id;
  guint status;

  summary = desk_expect (server, "GET", "/api/v1/portfolio", viewer_token, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (summary), "mode"), ==, "paper");
  g_assert_cmpstr (json_object_get_string_member (desk_object (summary), "currency"), ==, "USDT");
  assert_decimal (desk_object (summary), "starting_equity", "10000");
  assert_decimal (json_object_get_object_member (desk_object (summary), "fees"), "taker", "0.001");

  pnl = desk_expect (server, "GET", "/api/v1/portfolio/pnl", viewer_token, NULL, 200);
  all = json_object_get_object_member (desk_object (pnl), "all");
  g_assert_cmpint (json_object_get_int_member (all, "trades"), >=, 3);
  g_assert_cmpint (json_object_get_int_member (all, "wins") + json_object_get_int_member (all, "losses"), <=,
                   json_object_get_int_member (all, "trades"));

  equity = desk_expect (server, "GET", "/api/v1/portfolio/equity?interval=1h", viewer_token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (equity), "items")), >, 0);
  bad = desk_fetch (server, "GET", "/api/v1/portfolio/calendar?tz=Mars/Olympus", viewer_token, NULL, &status);
  g_assert_cmpuint (status, ==, 422);
  calendar = desk_expect (server, "GET", "/api/v1/portfolio/calendar?tz=Europe/Berlin", viewer_token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (calendar), "days")), >=, 1);

  history = desk_expect (server, "GET", "/api/v1/balances/history?asset=USDT&limit=2", viewer_token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (history), "items")), ==, 2);
  g_assert_false (json_object_get_null_member (desk_object (history), "next_cursor"));

  /* Incremental sync: since_id gives what came after, oldest first. */
  page = desk_expect (server, "GET", "/api/v1/trades?limit=500", viewer_token, NULL, 200);
  first_id = json_object_get_int_member (json_array_get_object_element (
                                           json_object_get_array_member (desk_object (page), "items"), 0), "id");
  since = desk_expect (server, "GET", "/api/v1/trades?since_id=1", viewer_token, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (desk_object (since), "items"), 0), "id"), ==, 2);
  g_assert_cmpint (first_id, >, 2);
}

/* The ledger identity after a long random sequence: cash = start + Σ sells
 * − Σ buys − Σ fees, to the unit; base balances match positions; what is
 * locked is what open orders hold. */
static void
test_ledger_identity (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261205);
  BourseTrading *trading = bourse_engine_get_trading (server->engine);
  BourseStore *store = bourse_engine_get_store (server->engine);
  BourseTradingCaller caller = { "user:test", 0, NULL, TRUE };
  sqlite3 *db = bourse_store_get_db (store);
  sqlite3_stmt *stmt;
  double price = 20;
  guint placed = 0, refused = 0;
  gint64 start = 0, fills_cash = 0, cash_now = 0, locked_usdt = 0, orders_locked = 0;

  add_instrument ("LEDUSDT", "20");
  for (guint i = 0; i < LEDGER_ORDERS; i++)
    {
      g_autoptr(BourseOrder) order = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *quantity = g_strdup_printf ("%.3f", g_rand_double_range (rand, 0.3, 5));
      g_autofree char *limit = g_strdup_printf ("%.2f", price * g_rand_double_range (rand, 0.97, 1.03));
      BourseOrderRequest request = {
        .symbol = "LEDUSDT",
        .side = g_rand_boolean (rand) ? BOURSE_SIDE_BUY : BOURSE_SIDE_SELL,
        .type = g_rand_int_range (rand, 0, 3) == 0 ? BOURSE_ORDER_MARKET : BOURSE_ORDER_LIMIT,
        .has_quantity = TRUE,
        .quantity = dec (quantity),
      };

      if (request.type == BOURSE_ORDER_LIMIT)
        {
          request.has_price = TRUE;
          request.price = dec (limit);
        }
      order = bourse_trading_place_order (trading, &request, &caller, NULL, &error);
      if (order != NULL)
        placed++;
      else
        refused++;   /* not enough cash or base: the check works */

      if (order != NULL && bourse_order_is_open (order) && g_rand_int_range (rand, 0, 4) == 0)
        {
          g_autoptr(BourseOrder) canceled = bourse_trading_cancel_order (trading, order->id, "test", &caller, NULL);
        }
      if (i % 3 == 0)
        {
          g_autofree char *text = NULL;

          price = CLAMP (price * g_rand_double_range (rand, 0.98, 1.02), 5, 80);
          text = g_strdup_printf ("%.2f", price);
          set_price ("LEDUSDT", text);
        }
    }
  g_test_message ("%u orders placed, %u refused", placed, refused);
  /* The fixed start keeps the whole file inside one UTC day (see main ()). */
  g_assert_cmpint (clock_ms / DAY_MS, ==, G_GINT64_CONSTANT (1781482200000) / DAY_MS);
  g_assert_cmpuint (placed, >, LEDGER_ORDERS / 2);

  /* Cash: the deposit and the fills' notionals and fees, nothing else. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT starting_cash FROM accounts WHERE mode = 'paper'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  start = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COALESCE (SUM (CASE side WHEN 'SELL' THEN quote_quantity "
                                           "ELSE -quote_quantity END - fee), 0) FROM fills", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  fills_cash = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT free + locked, locked FROM balances WHERE asset = 'USDT'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  cash_now = sqlite3_column_int64 (stmt, 0);
  locked_usdt = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  g_assert_cmpint (cash_now, ==, start + fills_cash);

  /* What is locked is what the open orders hold. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COALESCE (SUM (locked), 0) FROM orders WHERE locked_asset = 'USDT' "
                                           "AND status IN ('NEW', 'PARTIALLY_FILLED')", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  orders_locked = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (locked_usdt, ==, orders_locked);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT (*) FROM orders WHERE status NOT IN ('NEW', 'PARTIALLY_FILLED') "
                                           "AND locked != 0", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);

  /* Every base asset: its balance is the position, which is Σ buys − Σ sells. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT p.symbol, p.quantity, b.free + b.locked, "
                                       "(SELECT COALESCE (SUM (CASE side WHEN 'BUY' THEN quantity ELSE -quantity END), 0) "
                                       " FROM fills f WHERE f.symbol = p.symbol) "
                                       "FROM positions p JOIN balances b ON b.asset = substr (p.symbol, 1, length (p.symbol) - 4)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_test_message ("%s: position %" G_GINT64_FORMAT, sqlite3_column_text (stmt, 0), (gint64) sqlite3_column_int64 (stmt, 1));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, sqlite3_column_int64 (stmt, 2));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, sqlite3_column_int64 (stmt, 3));
    }
  sqlite3_finalize (stmt);
}

/* Topics: an order's life and its fill reach a subscriber. */
static void
test_topics (void)
{
  DeskWs *ws = desk_ws_connect (server, viewer_token);
  g_autoptr(JsonNode) placed = NULL;
  JsonObject *event;
  guint before;

  desk_ws_subscribe (ws, "[\"orders\",\"fills\",\"positions\",\"portfolio\",\"balances\",\"trades\"]");
  /* What a topic said last may come first, on subscription. */
  bourse_test_spin (200);
  before = desk_ws_count (ws, "fills");
  add_instrument ("TOPUSDT", "10");
  placed = place (trader_token, "{\"symbol\":\"TOPUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"1\"}", 201);
  desk_ws_wait (ws, "fills", before + 1);
  event = desk_ws_event (ws, "fills", before);
  g_assert_cmpstr (json_object_get_string_member (event, "symbol"), ==, "TOPUSDT");
  g_assert_cmpstr (json_object_get_string_member (event, "side"), ==, "BUY");
  desk_ws_wait (ws, "orders", 2);
  desk_ws_wait (ws, "positions", 1);
  desk_ws_wait (ws, "trades", 1);
  desk_ws_wait (ws, "portfolio", 1);
  desk_ws_wait (ws, "balances", 1);
  desk_ws_free (ws);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const settings[] = {
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    "auth", "secrets_backend", "file",
    "rate_limit", "enabled", "false",
    /* The clock moves a minute per price: tokens must outlive the file. */
    "auth", "access_token_ttl", "86400",
    NULL
  };
  int status;

  g_test_init (&argc, &argv, NULL);

  /* A fixed instant, early in a UTC (and Berlin) day of mid-year: the
   * clock moves a minute per price, some hours in all, and no day, month or
   * year turns while the file runs, whenever it runs. */
  clock_ms = G_GINT64_CONSTANT (1781482200000);   /* 2026-06-15T00:10:00Z */
  bourse_time_freeze (clock_ms);

  server = desk_server_new (settings);
  trader_id = desk_create_user (server, "tom", "trader");
  desk_create_user (server, "tina", "trader");
  desk_create_user (server, "vera", "viewer");
  trader_token = desk_login (server, "tom", "trader");
  other_token = desk_login (server, "tina", "trader");
  viewer_token = desk_login (server, "vera", "viewer");

  g_test_add_func ("/trading/market-orders", test_market_orders);
  g_test_add_func ("/trading/limit-orders", test_limit_orders);
  g_test_add_func ("/trading/stop-orders", test_stop_orders);
  g_test_add_func ("/trading/validation", test_validation);
  g_test_add_func ("/trading/idempotency", test_idempotency);
  g_test_add_func ("/trading/cancel", test_cancel);
  g_test_add_func ("/trading/execute-approval", test_execute_approval);
  g_test_add_func ("/trading/execute-on-approve", test_execute_on_approve);
  g_test_add_func ("/trading/manual-trade", test_manual_trade);
  g_test_add_func ("/trading/system-control", test_system_control);
  g_test_add_func ("/trading/portfolio-reads", test_portfolio_reads);
  g_test_add_func ("/trading/topics", test_topics);
  g_test_add_func ("/trading/ledger-identity", test_ledger_identity);

  status = g_test_run ();

  g_free (trader_token);
  g_free (other_token);
  g_free (viewer_token);
  bourse_test_server_free (server);
  bourse_time_thaw ();
  return status;
}
