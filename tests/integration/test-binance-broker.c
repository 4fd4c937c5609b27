/* test-binance-broker.c — the broker "binance" against the fake exchange
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The broker object is driven directly, as the trading module drives it:
 * orders are stored first, then submitted; what it reports through
 * "execution" is what is asserted, and the fake exchange says what it was
 * sent (how many POSTs carried an order's client id: never two).
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "core/bourse-error.h"
#include "exchange/bourse-binance-broker.h"

#include "bourse-test-server.h"
#include "fake-exchange.h"
#include "fake-exchange-orders.h"
#include "fake-exchange-user-stream.h"

#define API_KEY "testApiKey0123456789"
#define SECRET  "testSecret0123456789"

/* What the broker reported, copied. */
typedef struct
{
  gint64               order_id;
  BourseExecutionKind  kind;
  BourseDecimal        price;
  BourseDecimal        quantity;
  BourseDecimal        fee;
  gboolean             maker;
  char                *external_id;
  char                *reason;
  char                *exchange_order_id;
} Report;

typedef struct
{
  FakeExchange     *exchange;
  BourseTestServer *server;
  BourseBroker     *broker;
  gint64            account_id;
  GPtrArray        *reports;
  guint             n_resyncs;
  guint             n_balances;
  GPtrArray        *balances;   /* the last "balances" */
} Fixture;

/* Helpers {{{ */

static void
report_free (gpointer data)
{
  Report *report = data;

  g_free (report->external_id);
  g_free (report->reason);
  g_free (report->exchange_order_id);
  g_free (report);
}

static BourseDecimal
dec (const char *text)
{
  BourseDecimal value;

  g_assert_true (bourse_decimal_parse (text, &value, NULL));
  return value;
}

static void
execution_cb (BourseBroker          *broker,
              const BourseExecution *execution,
              Fixture               *f)
{
  Report *report = g_new0 (Report, 1);

  report->order_id = execution->order_id;
  report->kind = execution->kind;
  report->price = execution->price;
  report->quantity = execution->quantity;
  report->fee = execution->fee;
  report->maker = execution->maker;
  report->external_id = g_strdup (execution->external_id);
  report->reason = g_strdup (execution->reason);
  report->exchange_order_id = g_strdup (execution->exchange_order_id);
  g_ptr_array_add (f->reports, report);
}

static void
resync_cb (BourseBroker *broker,
           Fixture      *f)
{
  f->n_resyncs++;
}

static void
balances_cb (BourseBroker *broker,
             GPtrArray    *balances,
             Fixture      *f)
{
  f->n_balances++;
  g_clear_pointer (&f->balances, g_ptr_array_unref);
  f->balances = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_venue_balance_free);
  for (guint i = 0; i < balances->len; i++)
    {
      const BourseVenueBalance *balance = g_ptr_array_index (balances, i);
      BourseVenueBalance *copy = g_new0 (BourseVenueBalance, 1);

      copy->asset = g_strdup (balance->asset);
      copy->free = balance->free;
      copy->locked = balance->locked;
      g_ptr_array_add (f->balances, copy);
    }
}

static gboolean
broker_ready (gpointer data)
{
  Fixture *f = data;
  g_autoptr(JsonNode) status = bourse_broker_status_json (f->broker);
  JsonObject *object = json_node_get_object (status);

  /* Subscribed, and Binance's rules loaded. */
  return json_object_get_boolean_member_with_default (object, "subscribed", FALSE)
         && json_object_get_int_member_with_default (object, "symbols", 0) > 0;
}

static gint64
live_account (BourseStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  bourse_store_exec (store,
                     "INSERT OR IGNORE INTO accounts (mode, broker, currency, starting_cash, created_at) "
                     "VALUES ('live', 'binance', 'USDT', 0, '2026-01-01T00:00:00Z')", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (bourse_store_get_db (store), "SELECT id FROM accounts WHERE mode = 'live'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char * const *extra = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) settings = g_ptr_array_new_with_free_func (g_free);
  const char * const defaults[] = {
    "binance", "api_key", API_KEY,
    "binance", "api_secret", SECRET,
    "binance", "retry_base_ms", "50",
    "binance", "retry_max_ms", "400",
    "binance", "max_retries", "4",
    "binance", "request_timeout", "2",
    NULL
  };

  f->exchange = fake_exchange_new ();
  fake_exchange_add_key (f->exchange, API_KEY, SECRET, TRUE, FALSE);
  fake_exchange_add_symbol (f->exchange, "BTCUSDT", "BTC", "USDT", "50000");
  fake_exchange_set_balance (f->exchange, API_KEY, "USDT", "100000");
  fake_exchange_set_balance (f->exchange, API_KEY, "BTC", "1");

  g_ptr_array_add (settings, g_strdup ("binance"));
  g_ptr_array_add (settings, g_strdup ("base_url"));
  g_ptr_array_add (settings, g_strdup (fake_exchange_get_url (f->exchange)));
  g_ptr_array_add (settings, g_strdup ("binance"));
  g_ptr_array_add (settings, g_strdup ("ws_api_url"));
  g_ptr_array_add (settings, g_strdup (fake_exchange_get_ws_api_url (f->exchange)));
  for (guint i = 0; defaults[i] != NULL; i++)
    g_ptr_array_add (settings, g_strdup (defaults[i]));
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (settings, g_strdup (extra[i]));
  g_ptr_array_add (settings, NULL);
  f->server = bourse_test_server_new (TRUE, (const char * const *) settings->pdata);
  f->account_id = live_account (bourse_engine_get_store (f->server->engine));

  f->reports = g_ptr_array_new_with_free_func (report_free);
  bourse_brokers_ensure ();
  bourse_binance_broker_register ();
  f->broker = bourse_broker_lookup ("binance");
  g_assert_nonnull (f->broker);
  g_assert_true (bourse_broker_is_venue (f->broker));
  g_signal_connect (f->broker, "execution", G_CALLBACK (execution_cb), f);
  g_signal_connect (f->broker, "resync", G_CALLBACK (resync_cb), f);
  g_signal_connect (f->broker, "balances", G_CALLBACK (balances_cb), f);
  g_assert_true (bourse_broker_setup (f->broker, f->server->config, bourse_engine_get_market (f->server->engine),
                                      bourse_auth_get_secrets (bourse_engine_get_auth (f->server->engine)), &error));
  g_assert_no_error (error);
  bourse_test_wait_until (broker_ready, f, 15000, "the user stream to subscribe and the rules to load");
}

static gboolean
no_request_in_flight (gpointer data)
{
  Fixture *f = data;

  return G_OBJECT (f->broker)->ref_count == 1;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* The broker outlives its requests: wait for them, then it goes. */
  bourse_test_wait_until (no_request_in_flight, f, 15000, "the broker's requests to end");
  g_assert_finalize_object (f->broker);
  g_ptr_array_unref (f->reports);
  g_clear_pointer (&f->balances, g_ptr_array_unref);
  bourse_test_server_free (f->server);
  fake_exchange_free (f->exchange);
}

static BourseInstrument *
instrument (Fixture    *f,
            const char *symbol)
{
  g_autoptr(GError) error = NULL;
  BourseInstrument *found = bourse_instruments_find (bourse_engine_get_store (f->server->engine), symbol, &error);

  g_assert_no_error (error);
  return found;
}

/* An order as the trading module hands it over: stored NEW, committed in
 * this main-loop turn. */
static BourseOrder *
store_order (Fixture         *f,
             const char      *client_order_id,
             const char      *side,
             BourseOrderType  type,
             const char      *quantity,
             const char      *price,
             const char      *stop_price,
             gint64           oco_id)
{
  BourseStore *store = bourse_engine_get_store (f->server->engine);
  g_autoptr(GError) error = NULL;
  BourseOrder *order = bourse_order_new ();

  order->account_id = f->account_id;
  order->mode = g_strdup ("live");
  order->client_order_id = g_strdup (client_order_id);
  order->symbol = g_strdup ("BTCUSDT");
  g_assert_true (bourse_side_parse (side, &order->side));
  order->type = type;
  order->time_in_force = BOURSE_TIF_GTC;
  order->quantity = dec (quantity);
  order->has_price = price != NULL;
  if (price != NULL)
    order->price = dec (price);
  order->has_stop_price = stop_price != NULL;
  if (stop_price != NULL)
    order->stop_price = dec (stop_price);
  order->oco_id = oco_id;
  order->parent_id = oco_id;
  order->fee_asset = g_strdup ("USDT");
  order->locked_asset = g_strdup (order->side == BOURSE_SIDE_BUY ? "USDT" : "BTC");
  g_assert_true (bourse_store_begin (store, &error));
  g_assert_true (bourse_orders_insert (store, order, &error));
  g_assert_no_error (error);
  return order;
}

static void
commit (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_store_commit (bourse_engine_get_store (f->server->engine), &error));
  g_assert_no_error (error);
}

/* Stores and submits, then commits, as the trading module does. */
static BourseOrder *
submit (Fixture         *f,
        const char      *client_order_id,
        const char      *side,
        BourseOrderType  type,
        const char      *quantity,
        const char      *price)
{
  g_autoptr(BourseInstrument) btc = instrument (f, "BTCUSDT");
  BourseOrder *order = store_order (f, client_order_id, side, type, quantity, price, NULL, 0);

  bourse_broker_submit (f->broker, order, btc);
  commit (f);
  return order;
}

typedef struct
{
  Fixture             *f;
  gint64               order_id;
  BourseExecutionKind  kind;
  guint                n;
} Wanted;

static guint
count_reports (Fixture             *f,
               gint64               order_id,
               BourseExecutionKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < f->reports->len; i++)
    {
      const Report *report = g_ptr_array_index (f->reports, i);

      if (report->order_id == order_id && report->kind == kind)
        n++;
    }
  return n;
}

static const Report *
nth_report (Fixture             *f,
            gint64               order_id,
            BourseExecutionKind  kind,
            guint                n)
{
  for (guint i = 0; i < f->reports->len; i++)
    {
      const Report *report = g_ptr_array_index (f->reports, i);

      if (report->order_id == order_id && report->kind == kind && n-- == 0)
        return report;
    }
  g_assert_not_reached ();
}

static gboolean
enough_reports (gpointer data)
{
  Wanted *wanted = data;

  return count_reports (wanted->f, wanted->order_id, wanted->kind) >= wanted->n;
}

static void
wait_reports (Fixture             *f,
              gint64               order_id,
              BourseExecutionKind  kind,
              guint                n)
{
  Wanted wanted = { f, order_id, kind, n };
  g_autofree char *what = g_strdup_printf ("%u reports of kind %d for order %" G_GINT64_FORMAT, n, kind, order_id);

  bourse_test_wait_until (enough_reports, &wanted, 20000, what);
}

/* }}} */

/* Placement, fills, refusals {{{ */

static void
test_limit_partial_fills (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BourseOrder) order = NULL;
  const Report *accepted, *first, *second;
  g_autofree char *exchange_id = NULL;
  BourseDecimal total;

  fake_exchange_set_fill_parts (f->exchange, 2);
  order = submit (f, "limit-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "49000");
  /* Not before the transaction's turn is over. */
  g_assert_cmpuint (fake_exchange_count_new_orders (f->exchange, "limit-1"), ==, 0);

  wait_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED, 1);
  accepted = nth_report (f, order->id, BOURSE_EXECUTION_ACCEPTED, 0);
  exchange_id = g_strdup_printf ("%" G_GINT64_FORMAT, fake_exchange_find_order (f->exchange, "limit-1"));
  g_assert_cmpstr (accepted->exchange_order_id, ==, exchange_id);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_FILL), ==, 0);

  /* The price comes down to it: half now, the rest at the next step. */
  fake_exchange_set_price (f->exchange, "BTCUSDT", "49000");
  wait_reports (f, order->id, BOURSE_EXECUTION_FILL, 1);
  fake_exchange_set_price (f->exchange, "BTCUSDT", "49000");
  wait_reports (f, order->id, BOURSE_EXECUTION_FILL, 2);

  first = nth_report (f, order->id, BOURSE_EXECUTION_FILL, 0);
  second = nth_report (f, order->id, BOURSE_EXECUTION_FILL, 1);
  g_assert_cmpint (first->price.units, ==, dec ("49000").units);
  g_assert_true (first->maker);
  g_assert_nonnull (first->external_id);
  g_assert_true (g_str_has_prefix (first->external_id, "BTCUSDT:"));
  g_assert_cmpstr (first->external_id, !=, second->external_id);
  g_assert_cmpstr (first->exchange_order_id, ==, exchange_id);
  g_assert_true (bourse_decimal_add (first->quantity, second->quantity, &total, NULL));
  g_assert_cmpint (total.units, ==, dec ("0.01").units);
  /* 0.001 of 49000 × 0.005, in USDT. */
  g_assert_cmpint (first->fee.units, ==, dec ("0.245").units);
  g_assert_cmpuint (fake_exchange_count_new_orders (f->exchange, "limit-1"), ==, 1);
}

static void
test_market_fill (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BourseOrder) order = submit (f, "market-1", "BUY", BOURSE_ORDER_MARKET, "0.02", NULL);
  const Report *fill;

  wait_reports (f, order->id, BOURSE_EXECUTION_FILL, 1);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED), ==, 1);
  fill = nth_report (f, order->id, BOURSE_EXECUTION_FILL, 0);
  g_assert_cmpint (fill->price.units, ==, dec ("50000").units);
  g_assert_cmpint (fill->quantity.units, ==, dec ("0.02").units);
  g_assert_false (fill->maker);
  g_assert_cmpint (fill->fee.units, ==, dec ("1").units);
  /* Whatever else arrives (the answer, the stream), one fill. */
  bourse_test_spin (200);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_FILL), ==, 1);
}

/* A commission in the asset bought is booked in the quote at the fill's
 * price. */
static void
test_fee_in_base (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BourseOrder) order = NULL;
  const Report *fill;

  fake_exchange_set_commission (f->exchange, "0.001", FAKE_COMMISSION_RECEIVED, NULL, NULL);
  order = submit (f, "market-fee", "BUY", BOURSE_ORDER_MARKET, "0.02", NULL);
  wait_reports (f, order->id, BOURSE_EXECUTION_FILL, 1);
  fill = nth_report (f, order->id, BOURSE_EXECUTION_FILL, 0);
  /* 0.00002 BTC at 50000. */
  g_assert_cmpint (fill->fee.units, ==, dec ("1").units);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BourseInstrument) btc = instrument (f, "BTCUSDT");
  g_autoptr(BourseOrder) order = NULL;
  g_autoptr(BourseOrder) off_step = bourse_order_new ();
  g_autoptr(GError) error = NULL;
  const Report *rejected;

  fake_exchange_fail_orders (f->exchange, FAKE_FAILURE_INSUFFICIENT, 1);
  order = submit (f, "poor-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "49000");
  wait_reports (f, order->id, BOURSE_EXECUTION_REJECTED, 1);
  rejected = nth_report (f, order->id, BOURSE_EXECUTION_REJECTED, 0);
  g_assert_nonnull (strstr (rejected->reason, "Insufficient balance"));
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED), ==, 0);

  /* Binance's filters, before anything is stored. */
  off_step->symbol = g_strdup ("BTCUSDT");
  off_step->side = BOURSE_SIDE_BUY;
  off_step->type = BOURSE_ORDER_LIMIT;
  off_step->quantity = dec ("0.000015");
  off_step->has_price = TRUE;
  off_step->price = dec ("49000");
  g_assert_false (bourse_broker_check (f->broker, off_step, btc, &error));
  g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
  g_assert_cmpstr (bourse_error_get_field (error), ==, "quantity");
  g_assert_nonnull (strstr (error->message, "LOT_SIZE"));
  g_clear_error (&error);
  off_step->quantity = dec ("0.0002");
  g_assert_true (bourse_broker_check (f->broker, off_step, btc, &error));
  g_assert_no_error (error);
}

/* }}} */

/* Never a double order {{{ */

static gboolean
order_asked (gpointer data)
{
  Fixture *f = data;

  return fake_exchange_count_api_requests (f->exchange, "GET", "/api/v3/order") > 0;
}

/* Binance took the order, the answer never came: one order, one POST. */
static void
test_accepted_then_timeout (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BourseOrder) order = NULL;

  fake_exchange_fail_orders (f->exchange, FAKE_FAILURE_HOLD, 1);
  order = submit (f, "held-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "49000");
  /* The stream tells of it first; the POST's time-out then asks. */
  wait_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED, 1);
  bourse_test_wait_until (order_asked, f, 20000, "GET /api/v3/order after the time-out");
  bourse_test_spin (300);
  g_assert_cmpuint (fake_exchange_count_new_orders (f->exchange, "held-1"), ==, 1);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED), ==, 1);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_REJECTED), ==, 0);
}

/* A connection cut after a market order filled: the query brings its fill. */
static void
test_filled_then_cut (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BourseOrder) order = NULL;

  fake_exchange_fail_orders (f->exchange, FAKE_FAILURE_CLOSE, 1);
  order = submit (f, "cut-1", "BUY", BOURSE_ORDER_MARKET, "0.01", NULL);
  wait_reports (f, order->id, BOURSE_EXECUTION_FILL, 1);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED), ==, 1);
  bourse_test_spin (300);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_FILL), ==, 1);
  g_assert_cmpuint (fake_exchange_count_new_orders (f->exchange, "cut-1"), ==, 1);
}

/* A 503 that did nothing: Binance never had it. */
static void
test_never_reached (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BourseOrder) order = NULL;
  const Report *rejected;

  fake_exchange_fail_orders (f->exchange, FAKE_FAILURE_503, 1);
  order = submit (f, "lost-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "49000");
  wait_reports (f, order->id, BOURSE_EXECUTION_REJECTED, 1);
  rejected = nth_report (f, order->id, BOURSE_EXECUTION_REJECTED, 0);
  g_assert_cmpstr (rejected->reason, ==, "The order never reached the exchange");
  g_assert_cmpuint (fake_exchange_count_new_orders (f->exchange, "lost-1"), ==, 1);
  g_assert_cmpint (fake_exchange_find_order (f->exchange, "lost-1"), ==, -1);
}

/* The time of the @n-th request to @method @path. */
static gint64
request_time (Fixture    *f,
              const char *method,
              const char *path,
              guint       n,
              int        *code)
{
  for (guint i = 0; i < fake_exchange_get_n_api_requests (f->exchange); i++)
    {
      const FakeApiRequest *request = fake_exchange_get_api_request (f->exchange, i);

      if (g_str_equal (request->method, method) && g_str_equal (request->path, path) && n-- == 0)
        {
          if (code != NULL)
            *code = request->code;
          return request->at_ms;
        }
    }
  g_assert_not_reached ();
}

/* A 429 did nothing: the order goes again once Retry-After passed, and
 * nothing else is sent before. */
static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BourseOrder) order = NULL;
  gint64 refused, again;
  int code = 0;

  fake_exchange_clear_api_requests (f->exchange);
  fake_exchange_set_failure_retry_after (f->exchange, 1);
  fake_exchange_fail_orders (f->exchange, FAKE_FAILURE_429, 1);
  order = submit (f, "busy-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "49000");
  wait_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED, 1);
  refused = request_time (f, "POST", "/api/v3/order", 0, &code);
  g_assert_cmpint (code, !=, 0);
  again = request_time (f, "POST", "/api/v3/order", 1, &code);
  g_assert_cmpint (code, ==, 0);
  g_assert_cmpint (again - refused, >=, 950);
  g_assert_cmpuint (fake_exchange_count_api_requests (f->exchange, "POST", "/api/v3/order"), ==, 2);
  g_assert_cmpint (fake_exchange_find_order (f->exchange, "busy-1"), >, 0);
}

/* Binance's clock moved 2 s behind ours: -1021, a resync, the order once
 * more, taken. */
static void
test_clock_skew (Fixture       *f,
                 gconstpointer  data)
{
  BourseBinanceApi *api = bourse_binance_broker_get_api (BOURSE_BINANCE_BROKER (f->broker));
  g_autoptr(BourseOrder) order = NULL;
  int code = 0;

  g_assert_cmpint (ABS (bourse_binance_api_get_clock_offset (api)), <, 1000);
  fake_exchange_clear_api_requests (f->exchange);
  fake_exchange_set_clock_skew_ms (f->exchange, -2000);
  order = submit (f, "skew-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "49000");
  wait_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED, 1);
  request_time (f, "POST", "/api/v3/order", 0, &code);
  g_assert_cmpint (code, ==, -1021);
  request_time (f, "POST", "/api/v3/order", 1, &code);
  g_assert_cmpint (code, ==, 0);
  g_assert_cmpuint (fake_exchange_count_api_requests (f->exchange, "POST", "/api/v3/order"), ==, 2);
  g_assert_cmpuint (fake_exchange_count_api_requests (f->exchange, "GET", "/api/v3/time"), ==, 1);
  g_assert_cmpint (bourse_binance_api_get_clock_offset (api), <, -1500);
  g_assert_cmpint (bourse_binance_api_get_clock_offset (api), >, -2500);
}

/* }}} */

/* Cancels and OCO {{{ */

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BourseOrder) order = submit (f, "rest-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "49000");
  g_autoptr(JsonObject) listed = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pending = FALSE;

  wait_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED, 1);
  g_assert_true (bourse_broker_cancel (f->broker, order, &pending, &error));
  g_assert_no_error (error);
  g_assert_true (pending);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_CANCELED), ==, 0);
  wait_reports (f, order->id, BOURSE_EXECUTION_CANCELED, 1);
  /* The answer and the stream both say so: reported once. */
  bourse_test_spin (300);
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_CANCELED), ==, 1);
  listed = fake_exchange_dup_order (f->exchange, fake_exchange_find_order (f->exchange, "rest-1"));
  g_assert_cmpstr (json_object_get_string_member (listed, "status"), ==, "CANCELED");
}

static void
cancel_all_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  guint *n = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_binance_broker_cancel_all_finish (BOURSE_BINANCE_BROKER (object), result, n, &error));
  g_assert_no_error (error);
}

static gboolean
uint_set (gpointer data)
{
  return *(guint *) data != G_MAXUINT;
}

static void
test_cancel_all (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BourseOrder) first = submit (f, "all-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "48000");
  g_autoptr(BourseOrder) second = submit (f, "all-2", "BUY", BOURSE_ORDER_LIMIT, "0.01", "47000");
  guint n = G_MAXUINT;

  wait_reports (f, first->id, BOURSE_EXECUTION_ACCEPTED, 1);
  wait_reports (f, second->id, BOURSE_EXECUTION_ACCEPTED, 1);
  fake_exchange_place_external_order (f->exchange, API_KEY, "BTCUSDT", "BUY", "LIMIT", "0.01", "46000", NULL);
  bourse_binance_broker_cancel_all_async (BOURSE_BINANCE_BROKER (f->broker), "BTCUSDT", NULL, cancel_all_cb, &n);
  bourse_test_wait_until (uint_set, &n, 20000, "DELETE /api/v3/openOrders");
  g_assert_cmpuint (n, ==, 3);
  wait_reports (f, first->id, BOURSE_EXECUTION_CANCELED, 1);
  wait_reports (f, second->id, BOURSE_EXECUTION_CANCELED, 1);
}

static void
test_oco (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(BourseInstrument) btc = instrument (f, "BTCUSDT");
  g_autoptr(BourseOrder) entry = submit (f, "entry-1", "BUY", BOURSE_ORDER_MARKET, "0.01", NULL);
  g_autoptr(BourseOrder) stop = NULL;
  g_autoptr(BourseOrder) profit = NULL;
  g_autoptr(JsonObject) listed = NULL;

  wait_reports (f, entry->id, BOURSE_EXECUTION_FILL, 1);
  fake_exchange_clear_api_requests (f->exchange);

  /* The bracket: both legs stored and submitted in one turn. */
  stop = store_order (f, "bracket-sl", "SELL", BOURSE_ORDER_STOP_LOSS_LIMIT, "0.01", "45000", "45000", entry->id);
  bourse_broker_submit (f->broker, stop, btc);
  commit (f);
  profit = store_order (f, "bracket-tp", "SELL", BOURSE_ORDER_TAKE_PROFIT_LIMIT, "0.01", "55000", "55000",
                        entry->id);
  bourse_broker_submit (f->broker, profit, btc);
  commit (f);

  wait_reports (f, stop->id, BOURSE_EXECUTION_ACCEPTED, 1);
  wait_reports (f, profit->id, BOURSE_EXECUTION_ACCEPTED, 1);
  g_assert_cmpuint (fake_exchange_count_api_requests (f->exchange, "POST", "/api/v3/orderList/oco"), ==, 1);
  g_assert_cmpuint (fake_exchange_count_api_requests (f->exchange, "POST", "/api/v3/order"), ==, 0);
  g_assert_nonnull (nth_report (f, stop->id, BOURSE_EXECUTION_ACCEPTED, 0)->exchange_order_id);

  /* The take-profit fills; Binance expires the stop itself. */
  fake_exchange_set_price (f->exchange, "BTCUSDT", "55000");
  wait_reports (f, profit->id, BOURSE_EXECUTION_FILL, 1);
  listed = fake_exchange_dup_order (f->exchange, fake_exchange_find_order (f->exchange, "bracket-sl"));
  g_assert_cmpstr (json_object_get_string_member (listed, "status"), ==, "EXPIRED");
}

/* }}} */

/* Reconciliation's snapshot, balances and the stream's gaps {{{ */

static void
snapshot_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  BourseVenueSnapshot **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = bourse_broker_snapshot_finish (BOURSE_BROKER (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static BourseVenueSnapshot *
snapshot (Fixture   *f,
          GPtrArray *known)
{
  BourseVenueSnapshot *result = NULL;

  bourse_broker_snapshot_async (f->broker, known, NULL, snapshot_cb, &result);
  bourse_test_wait_until (pointer_set, &result, 20000, "the snapshot");
  return result;
}

static const BourseVenueOrder *
venue_order (BourseVenueSnapshot *snap,
             const char          *client_order_id)
{
  for (guint i = 0; i < snap->orders->len; i++)
    {
      const BourseVenueOrder *order = g_ptr_array_index (snap->orders, i);

      if (g_str_equal (order->client_order_id, client_order_id))
        return order;
    }
  return NULL;
}

static const BourseVenueBalance *
venue_balance (BourseVenueSnapshot *snap,
               const char          *asset)
{
  for (guint i = 0; i < snap->balances->len; i++)
    {
      const BourseVenueBalance *balance = g_ptr_array_index (snap->balances, i);

      if (g_str_equal (balance->asset, asset))
        return balance;
    }
  return NULL;
}

static void
test_snapshot (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BourseOrder) ours = submit (f, "snap-1", "BUY", BOURSE_ORDER_MARKET, "0.01", NULL);
  g_autoptr(BourseOrder) resting = submit (f, "snap-2", "SELL", BOURSE_ORDER_LIMIT, "0.02", "60000");
  g_autoptr(BourseOrder) ghost = bourse_order_new ();
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  g_autoptr(BourseVenueSnapshot) snap = NULL;
  g_autofree char *external_id = NULL;
  const BourseVenueOrder *venue;
  const BourseVenueBalance *balance;
  BourseDecimal usdt_free, usdt_locked;
  guint ours_fills = 0;

  wait_reports (f, ours->id, BOURSE_EXECUTION_FILL, 1);
  wait_reports (f, resting->id, BOURSE_EXECUTION_ACCEPTED, 1);
  /* Behind our back, on binance.com. */
  g_assert_cmpint (fake_exchange_place_external_order (f->exchange, API_KEY, "BTCUSDT", "BUY", "LIMIT", "0.03",
                                                       "40000", &external_id), >, 0);
  ghost->client_order_id = g_strdup ("never-sent");
  ghost->symbol = g_strdup ("BTCUSDT");
  g_ptr_array_add (known, ours);
  g_ptr_array_add (known, resting);
  g_ptr_array_add (known, ghost);

  snap = snapshot (f, known);
  venue = venue_order (snap, "snap-1");
  g_assert_nonnull (venue);
  g_assert_cmpint (venue->status, ==, BOURSE_ORDER_FILLED);
  g_assert_cmpint (venue->filled_quantity.units, ==, dec ("0.01").units);
  venue = venue_order (snap, "snap-2");
  g_assert_nonnull (venue);
  g_assert_cmpint (venue->status, ==, BOURSE_ORDER_NEW);
  g_assert_cmpint (venue->price.units, ==, dec ("60000").units);
  g_assert_cmpint (venue->side, ==, BOURSE_SIDE_SELL);
  venue = venue_order (snap, external_id);
  g_assert_nonnull (venue);
  g_assert_cmpint (venue->quantity.units, ==, dec ("0.03").units);
  g_assert_cmpint (venue->type, ==, BOURSE_ORDER_LIMIT);
  g_assert_null (venue_order (snap, "never-sent"));

  for (guint i = 0; i < snap->fills->len; i++)
    {
      const BourseVenueFill *fill = g_ptr_array_index (snap->fills, i);

      if (g_strcmp0 (fill->exchange_order_id, nth_report (f, ours->id, BOURSE_EXECUTION_FILL, 0)->exchange_order_id) == 0)
        {
          ours_fills++;
          /* The same id a fill of the stream had. */
          g_assert_cmpstr (fill->trade_id, ==, nth_report (f, ours->id, BOURSE_EXECUTION_FILL, 0)->external_id);
          g_assert_cmpint (fill->side, ==, BOURSE_SIDE_BUY);
          g_assert_cmpint (fill->fee.units, ==, dec ("0.5").units);
        }
    }
  g_assert_cmpuint (ours_fills, ==, 1);

  fake_exchange_get_balance (f->exchange, API_KEY, "USDT", &usdt_free, &usdt_locked);
  balance = venue_balance (snap, "USDT");
  g_assert_nonnull (balance);
  g_assert_cmpint (balance->free.units, ==, usdt_free.units);
  g_assert_cmpint (balance->locked.units, ==, usdt_locked.units);
  balance = venue_balance (snap, "BTC");
  g_assert_nonnull (balance);
  g_assert_cmpint (balance->locked.units, ==, dec ("0.02").units);
}

static gboolean
balances_arrived (gpointer data)
{
  Fixture *f = data;

  return f->n_balances > 0;
}

static void
test_balances (Fixture       *f,
               gconstpointer  data)
{
  gboolean found = FALSE;

  fake_exchange_set_balance (f->exchange, API_KEY, "USDT", "12345.5");
  bourse_test_wait_until (balances_arrived, f, 20000, "outboundAccountPosition");
  for (guint i = 0; i < f->balances->len; i++)
    {
      const BourseVenueBalance *balance = g_ptr_array_index (f->balances, i);

      if (g_str_equal (balance->asset, "USDT"))
        {
          found = TRUE;
          g_assert_cmpint (balance->free.units, ==, dec ("12345.5").units);
        }
    }
  g_assert_true (found);
}

static gboolean
resynced (gpointer data)
{
  Fixture *f = data;

  return f->n_resyncs > 0;
}

/* The stream drops while an order fills: nothing is heard of the fill,
 * the stream comes back and asks for a reconciliation, whose snapshot has
 * the fill. */
static void
test_stream_gap (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BourseOrder) order = submit (f, "gap-1", "BUY", BOURSE_ORDER_LIMIT, "0.01", "49000");
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  g_autoptr(BourseVenueSnapshot) snap = NULL;
  const BourseVenueOrder *venue;

  wait_reports (f, order->id, BOURSE_EXECUTION_ACCEPTED, 1);
  fake_exchange_drop_user_streams (f->exchange);
  fake_exchange_set_price (f->exchange, "BTCUSDT", "49000");
  bourse_test_wait_until (resynced, f, 20000, "the stream to come back after its gap");
  g_assert_cmpuint (count_reports (f, order->id, BOURSE_EXECUTION_FILL), ==, 0);

  g_ptr_array_add (known, order);
  snap = snapshot (f, known);
  venue = venue_order (snap, "gap-1");
  g_assert_nonnull (venue);
  g_assert_cmpint (venue->status, ==, BOURSE_ORDER_FILLED);
  g_assert_cmpuint (snap->fills->len, ==, 1);
  g_assert_cmpint (((BourseVenueFill *) g_ptr_array_index (snap->fills, 0))->quantity.units, ==,
                   dec ("0.01").units);
}

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) status = bourse_broker_status_json (f->broker);
  JsonObject *object = json_node_get_object (status);

  g_assert_true (json_object_get_boolean_member (object, "connected"));
  g_assert_true (json_object_has_member (object, "clock_offset_ms"));
  g_assert_true (json_object_has_member (object, "order_count_10s"));
  g_assert_true (json_object_has_member (object, "last_error"));
}

/* }}} */

/* The check of keys {{{ */

typedef struct
{
  gboolean                 done;
  BourseExchangeKeyCheck  *check;
  GError                  *error;
} KeyCheck;

static void
key_check_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  KeyCheck *check = user_data;

  check->check = bourse_binance_check_keys_finish (result, &check->error);
  check->done = TRUE;
}

static gboolean
key_check_done (gpointer data)
{
  return ((KeyCheck *) data)->done;
}

static void
run_key_check (BourseConfig *config,
               const char   *api_key,
               const char   *secret,
               KeyCheck     *check)
{
  g_autoptr(GBytes) bytes = g_bytes_new (secret, strlen (secret));
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseBinanceSigner) signer = bourse_binance_signer_new (api_key, bytes, &error);

  g_assert_no_error (error);
  memset (check, 0, sizeof *check);
  bourse_binance_check_keys_async (config, signer, NULL, key_check_cb, check);
  bourse_test_wait_until (key_check_done, check, 20000, "the check of keys");
}

static void
test_check_keys (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char * const unreachable[] = { "binance", "base_url", "http://127.0.0.1:1", "binance", "max_retries", "0",
                                       NULL };
  g_autoptr(BourseConfig) config = NULL;
  g_autoptr(BourseConfig) nowhere = NULL;
  KeyCheck check;

  fake_exchange_add_key (exchange, API_KEY, SECRET, TRUE, FALSE);
  fake_exchange_add_key (exchange, "withdrawKey0123456789", SECRET, TRUE, TRUE);
  config = fake_exchange_make_config (exchange, NULL);

  run_key_check (config, API_KEY, SECRET, &check);
  g_assert_no_error (check.error);
  g_assert_true (check.check->can_trade);
  g_assert_false (check.check->can_withdraw);
  g_assert_cmpstr (check.check->account_type, ==, "SPOT");
  g_clear_pointer (&check.check, bourse_exchange_key_check_free);

  run_key_check (config, "withdrawKey0123456789", SECRET, &check);
  g_assert_no_error (check.error);
  g_assert_true (check.check->can_withdraw);
  g_clear_pointer (&check.check, bourse_exchange_key_check_free);

  run_key_check (config, "unknownKey0123456789", SECRET, &check);
  g_assert_error (check.error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
  g_assert_cmpstr (bourse_error_get_field (check.error), ==, "api_key");
  g_clear_error (&check.error);

  run_key_check (config, API_KEY, "notTheSecret0123456789", &check);
  g_assert_error (check.error, BOURSE_ERROR, BOURSE_ERROR_INVALID);
  g_assert_cmpstr (bourse_error_get_field (check.error), ==, "secret");
  g_clear_error (&check.error);

  nowhere = fake_exchange_make_config (exchange, unreachable);
  run_key_check (nowhere, API_KEY, SECRET, &check);
  g_assert_error (check.error, BOURSE_ERROR, BOURSE_ERROR_UNAVAILABLE);
  g_clear_error (&check.error);

  fake_exchange_free (exchange);
}

/* }}} */

/* Without keys, the broker cannot start. */
static void
test_no_keys (void)
{
  const char * const settings[] = { NULL };
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autoptr(GError) error = NULL;
  BourseBroker *broker;

  bourse_brokers_ensure ();
  bourse_binance_broker_register ();
  broker = bourse_broker_lookup ("binance");
  g_assert_false (bourse_broker_setup (broker, server->config, bourse_engine_get_market (server->engine),
                                       bourse_auth_get_secrets (bourse_engine_get_auth (server->engine)), &error));
  g_assert_error (error, BOURSE_ERROR, BOURSE_ERROR_CONFLICT);
  g_assert_cmpstr (bourse_error_get_field (error), ==, "keys");
  g_assert_finalize_object (broker);
  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/binance-broker/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("limit-partial-fills", test_limit_partial_fills);
  ADD ("market-fill", test_market_fill);
  ADD ("fee-in-base", test_fee_in_base);
  ADD ("refusals", test_refusals);
  ADD ("accepted-then-timeout", test_accepted_then_timeout);
  ADD ("filled-then-cut", test_filled_then_cut);
  ADD ("never-reached", test_never_reached);
  ADD ("retry-after", test_retry_after);
  ADD ("clock-skew", test_clock_skew);
  ADD ("cancel", test_cancel);
  ADD ("cancel-all", test_cancel_all);
  ADD ("oco", test_oco);
  ADD ("snapshot", test_snapshot);
  ADD ("balances", test_balances);
  ADD ("stream-gap", test_stream_gap);
  ADD ("status", test_status);
#undef ADD
  g_test_add_func ("/binance-broker/no-keys", test_no_keys);
  g_test_add_func ("/binance-broker/check-keys", test_check_keys);

  return g_test_run ();
}
