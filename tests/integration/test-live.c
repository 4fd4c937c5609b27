/* test-live.c — live trading end to end: the API, the engine, the Binance broker, a fake Binance
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One engine and one fake exchange for the file, as a user meets them: keys
 * entered and checked, the gate to live, orders that reach the exchange and
 * come back as fills in the ledger, cancels it confirms, a request that
 * times out after the exchange took it, orders placed behind Bourse's back,
 * the stream cut, the kill switch, four eyes, and the way back to paper.
 * Cases run in order: each starts from the book the previous one left.
 */

#include "config.h"

#include <string.h>

#include "core/bourse-time.h"
#include "market/bourse-instruments.h"

#include "bourse-test-server.h"
#include "desk-test-util.h"
#include "fake-exchange.h"
#include "fake-exchange-orders.h"
#include "fake-exchange-user-stream.h"

#define API_KEY      "livekey0001"
#define SECRET       "live-secret-that-never-shows"
#define SYMBOL       "LIVUSDT"

static BourseTestServer *server;
static FakeExchange *exchange;
static char *trader_token;

static BourseDecimal
dec (const char *text)
{
  BourseDecimal value;
  g_autoptr(GError) error = NULL;

  bourse_decimal_parse (text, &value, &error);
  g_assert_no_error (error);
  return value;
}

/* The engine's last price for SYMBOL, as a feed would bring it: a closed
 * candle of the current minute. The exchange trades at the same price. */
static void
set_price (const char *price)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GError) error = NULL;
  BourseCandle candle = { 0 };
  gint64 now = bourse_time_now_ms ();

  fake_exchange_set_price (exchange, SYMBOL, price);
  instrument = bourse_instruments_find (bourse_engine_get_store (server->engine), SYMBOL, &error);
  g_assert_no_error (error);
  candle.open_time = bourse_interval_align (BOURSE_INTERVAL_1M, now);
  candle.open = candle.high = candle.low = candle.close = dec (price);
  candle.volume = dec ("1");
  candle.closed = FALSE;
  bourse_market_ingest (bourse_engine_get_market (server->engine), instrument, BOURSE_INTERVAL_1M, &candle, 1,
                        &error);
  g_assert_no_error (error);
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

typedef struct
{
  gint64      id;
  const char *status;
} OrderWait;

static gboolean
order_has_status (gpointer data)
{
  OrderWait *wait = data;
  g_autoptr(JsonNode) node = NULL;

  return g_strcmp0 (json_object_get_string_member (get_order (wait->id, &node), "status"), wait->status) == 0;
}

static void
wait_for_status (gint64      id,
                 const char *status)
{
  OrderWait wait = { id, status };
  g_autofree char *what = g_strdup_printf ("order %" G_GINT64_FORMAT " to be %s", id, status);

  bourse_test_wait_until (order_has_status, &wait, 30000, what);
}

static gboolean
book_is_reconciled (gpointer data)
{
  g_autoptr(JsonNode) status = desk_expect (server, "GET", "/api/v1/system/status", NULL, NULL, 200);
  JsonObject *trading = json_object_get_object_member (desk_object (status), "trading");

  return g_strcmp0 (json_object_get_string_member (trading, "mode"), data) == 0
         && !json_object_get_boolean_member (trading, "reconciling");
}

/* The newest finished reconciliation's id, 0 for none. */
static gint64
newest_reconciliation (void)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/system/reconciliations?limit=1", NULL, NULL, 200);
  JsonArray *items = json_object_get_array_member (desk_object (node), "items");

  return json_array_get_length (items) > 0
         ? json_object_get_int_member (json_array_get_object_element (items, 0), "id") : 0;
}

static gboolean
reconciled_since (gpointer data)
{
  return newest_reconciliation () > *(gint64 *) data && book_is_reconciled ((gpointer) "live");
}

/* Lets the user data stream come back, and waits for the reconciliation
 * its reconnect brings to end: one still running would take the next
 * case's outside order first, or move its balances. */
static void
user_streams_back (void)
{
  gint64 before = newest_reconciliation ();

  fake_exchange_set_refuse_user_streams (exchange, FALSE);
  bourse_test_wait_until (reconciled_since, &before, 30000, "the reconnect's reconciliation");
}

static void
assert_balance (const char *asset,
                const char *free)
{
  g_autoptr(JsonNode) portfolio = desk_expect (server, "GET", "/api/v1/portfolio", NULL, NULL, 200);
  JsonArray *balances = json_object_get_array_member (desk_object (portfolio), "balances");

  for (guint i = 0; i < json_array_get_length (balances); i++)
    {
      JsonObject *balance = json_array_get_object_element (balances, i);

      if (g_str_equal (json_object_get_string_member (balance, "asset"), asset))
        {
          g_assert_cmpint (dec (json_object_get_string_member (balance, "free")).units, ==, dec (free).units);
          return;
        }
    }
  g_assert_cmpstr (free, ==, "0");
}

static gint64
place (const char *token,
       const char *body,
       guint       expected,
       JsonNode  **holder)
{
  g_clear_pointer (holder, json_node_unref);
  *holder = desk_expect (server, "POST", "/api/v1/orders", token, body, expected);
  return json_object_get_int_member (desk_object (*holder), "id");
}

/* Keys: checked with the exchange before they are kept, and never shown. */
static void
test_keys (void)
{
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) exchange_status = NULL;
  g_autoptr(JsonNode) kept = NULL;
  g_autofree char *text = NULL;
  JsonObject *keys;
  guint status;

  refused = desk_fetch (server, "PUT", "/api/v1/exchange/keys", trader_token,
                        "{\"api_key\":\"" API_KEY "\",\"secret\":\"" SECRET "\"}", &status);
  g_assert_cmpuint (status, ==, 403);
  /* Keys that can withdraw are refused, saying why; so is a wrong secret. */
  desk_expect_field (server, "PUT", "/api/v1/exchange/keys", NULL,
                     "{\"api_key\":\"withdrawkey01\",\"secret\":\"withdraw-secret\"}", 422, "api_key");
  desk_expect_field (server, "PUT", "/api/v1/exchange/keys", NULL,
                     "{\"api_key\":\"" API_KEY "\",\"secret\":\"not-the-secret\"}", 422, "secret");
  desk_expect_field (server, "PUT", "/api/v1/exchange/keys", NULL, "{\"api_key\":\"" API_KEY "\"}", 422, "secret");
  exchange_status = desk_expect (server, "GET", "/api/v1/exchange", NULL, NULL, 200);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (desk_object (exchange_status),
                                                                                  "keys"), "present"));
  /* Without keys, no live. */
  desk_expect_field (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\",\"confirm\":\"LIVE\"}",
                     409, "keys");

  kept = desk_expect (server, "PUT", "/api/v1/exchange/keys", NULL,
                      "{\"api_key\":\"" API_KEY "\",\"secret\":\"" SECRET "\"}", 200);
  keys = json_object_get_object_member (desk_object (kept), "keys");
  g_assert_true (json_object_get_boolean_member (keys, "passed"));
  g_assert_true (json_object_get_boolean_member (keys, "can_trade"));
  g_assert_false (json_object_get_boolean_member (keys, "can_withdraw"));
  g_assert_cmpstr (json_object_get_string_member (keys, "kind"), ==, "hmac");
  g_assert_cmpstr (json_object_get_string_member (keys, "api_key_hint"), ==, "live…0001");
  text = json_to_string (kept, FALSE);
  g_assert_null (strstr (text, SECRET));
  g_assert_null (strstr (text, API_KEY));
}

/* The gate: an admin, the typed word; then the book is the exchange's. */
static void
test_gate (void)
{
  g_autoptr(JsonNode) forbidden = NULL;
  g_autoptr(JsonNode) live = NULL;
  g_autoptr(JsonNode) reconciliations = NULL;
  JsonObject *last;
  guint status;

  forbidden = desk_fetch (server, "POST", "/api/v1/system/mode", trader_token,
                          "{\"mode\":\"live\",\"confirm\":\"LIVE\"}", &status);
  g_assert_cmpuint (status, ==, 403);
  desk_expect_field (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\"}", 422, "confirm");
  desk_expect_field (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\",\"confirm\":\"yes\"}",
                     422, "confirm");

  live = desk_expect (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\",\"confirm\":\"LIVE\"}", 200);
  bourse_test_wait_until (book_is_reconciled, (gpointer) "live", 30000, "the live book to be reconciled");

  /* The first reconciliation brought the exchange's balances. */
  assert_balance ("USDT", "10000");
  reconciliations = desk_expect (server, "GET", "/api/v1/system/reconciliations", NULL, NULL, 200);
  last = json_array_get_object_element (json_object_get_array_member (desk_object (reconciliations), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (last, "trigger"), ==, "mode");
  g_assert_cmpstr (json_object_get_string_member (last, "outcome"), ==, "ok");
  /* Keys in use cannot be removed. */
  desk_expect_field (server, "DELETE", "/api/v1/exchange/keys", NULL, NULL, 409, "mode");
}

/* A market order goes to the exchange once, and its fill comes back into
 * the ledger; the cap and the confirmation step hold. */
static void
test_market_order (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) fills = NULL;
  JsonObject *order;
  gint64 id;

  set_price ("100");
  /* Above trading.live_max_order_notional (1000): never. */
  desk_expect_field (server, "POST", "/api/v1/orders", trader_token,
                     "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"20\"}",
                     422, "quantity");
  /* Above risk.live_confirm_notional (100): only confirmed. */
  desk_expect_field (server, "POST", "/api/v1/orders", trader_token,
                     "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"2\"}",
                     422, "confirm");
  id = place (trader_token, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"2\","
                            "\"confirm\":true,\"client_order_id\":\"live-m1\"}", 201, &node);
  g_assert_cmpstr (json_object_get_string_member (desk_object (node), "mode"), ==, "live");
  wait_for_status (id, "FILLED");

  order = get_order (id, &node);
  g_assert_nonnull (json_object_get_string_member (order, "exchange_order_id"));
  g_assert_false (json_object_get_boolean_member (order, "external"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "fills")), ==, 1);
  g_assert_cmpuint (fake_exchange_count_new_orders (exchange, "live-m1"), ==, 1);
  /* The exchange's balances, whatever the ledger booked on its way. */
  fills = desk_expect (server, "GET", "/api/v1/positions", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (fills), "items")), ==, 1);
}

/* A resting order fills in parts, then a cancel the exchange confirms. */
static void
test_partial_then_cancel (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) canceled = NULL;
  JsonObject *order;
  gint64 id;

  fake_exchange_set_fill_parts (exchange, 2);
  id = place (trader_token, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.5\","
                            "\"price\":\"90\"}", 201, &node);
  set_price ("89");
  wait_for_status (id, "PARTIALLY_FILLED");

  {
    g_autofree char *path = g_strdup_printf ("/api/v1/orders/%" G_GINT64_FORMAT, id);

    canceled = desk_expect (server, "DELETE", path, trader_token, NULL, 202);
  }
  g_assert_nonnull (json_object_get_string_member (desk_object (canceled), "cancel_requested_at"));
  wait_for_status (id, "CANCELED");
  order = get_order (id, &node);
  g_assert_cmpint (dec (json_object_get_string_member (order, "filled_quantity")).units, ==, dec ("0.25").units);
  fake_exchange_set_fill_parts (exchange, 1);
}

/* The exchange takes the order, and the answer never comes: Bourse asks
 * for the order by its client id, and sends nothing twice. */
static void
test_timeout_is_not_a_double_order (void)
{
  g_autoptr(JsonNode) node = NULL;
  gint64 id;

  set_price ("100");
  /* With the stream down too, only asking can tell what happened. */
  fake_exchange_set_refuse_user_streams (exchange, TRUE);
  fake_exchange_drop_user_streams (exchange);
  fake_exchange_fail_orders (exchange, FAKE_FAILURE_CLOSE, 1);
  id = place (trader_token, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.5\","
                            "\"client_order_id\":\"live-t1\"}", 201, &node);
  wait_for_status (id, "FILLED");
  g_assert_cmpuint (fake_exchange_count_new_orders (exchange, "live-t1"), ==, 1);
  g_assert_cmpuint (fake_exchange_count_api_requests (exchange, "GET", "/api/v3/order"), >=, 1);
  user_streams_back ();
}

/* An order placed on binance.com joins the book as external. */
static void
test_reconcile_external (void)
{
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *client_id = NULL;
  JsonArray *adopted;
  gint64 venue_id;

  /* A reconciliation still running (the switch's, a reconnect's) would be
   * joined by the request below, and its report would predate the order. */
  bourse_test_wait_until (book_is_reconciled, (gpointer) "live", 30000, "the live book to settle");
  venue_id = fake_exchange_place_external_order (exchange, API_KEY, SYMBOL, "BUY", "LIMIT", "0.1", "50", &client_id);
  g_assert_cmpint (venue_id, >, 0);
  report = desk_expect (server, "POST", "/api/v1/system/reconcile", NULL, NULL, 200);
  adopted = json_object_get_array_member (desk_object (report), "adopted_orders");
  g_assert_cmpuint (json_array_get_length (adopted), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (adopted, 0), "external"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (adopted, 0), "client_order_id"),
                   ==, client_id);
  g_assert_cmpint (json_object_get_int_member (desk_object (report), "differences"), >=, 1);

  /* Nothing new: nothing adopted twice. */
  again = desk_expect (server, "POST", "/api/v1/system/reconcile", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (again), "adopted_orders")),
                    ==, 0);
}

/* The stream is cut while an order fills: the reconnect's reconciliation
 * finds the fill. Then the kill switch cancels on the exchange over REST
 * while the stream is down. */
static void
test_stream_down (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) halted = NULL;
  g_autoptr(JsonNode) resumed = NULL;
  gint64 filled, resting;

  filled = place (trader_token, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.2\","
                                "\"price\":\"95\"}", 201, &node);
  wait_for_status (filled, "NEW");
  fake_exchange_set_refuse_user_streams (exchange, TRUE);
  fake_exchange_drop_user_streams (exchange);
  set_price ("94");                /* fills on the exchange; no one hears it */
  fake_exchange_set_refuse_user_streams (exchange, FALSE);
  wait_for_status (filled, "FILLED");

  fake_exchange_set_refuse_user_streams (exchange, TRUE);
  fake_exchange_drop_user_streams (exchange);
  resting = place (trader_token, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.2\","
                                 "\"price\":\"60\"}", 201, &node);
  halted = desk_expect (server, "POST", "/api/v1/risk/halt", NULL, "{\"reason\":\"test\",\"cancel_orders\":true}", 200);
  wait_for_status (resting, "CANCELED");
  g_assert_cmpint (fake_exchange_find_order (exchange, "live-m1"), >, 0);
  resumed = desk_expect (server, "POST", "/api/v1/risk/resume", NULL, NULL, 200);
  user_streams_back ();
}

/* Four eyes on live: the approver does not also send the order out. */
static void
test_four_eyes (void)
{
  g_autoptr(JsonNode) hook = NULL;
  g_autoptr(JsonNode) signal = NULL;
  g_autoptr(JsonNode) approved = NULL;
  g_autoptr(JsonNode) executed = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *execute = NULL;
  gint64 approval_id;
  guint status;

  set_price ("100");
  hook = desk_expect (server, "POST", "/api/v1/webhooks", NULL, "{\"name\":\"live\"}", 201);
  signal = desk_post_signal (server, json_object_get_int_member (desk_object (hook), "id"),
                             json_object_get_string_member (desk_object (hook), "secret"),
                             g_get_real_time () / G_USEC_PER_SEC,
                             "{\"symbol\":\"" SYMBOL "\",\"action\":\"buy\",\"price\":\"100\",\"stop_loss\":\"99\","
                             "\"take_profit\":\"130\"}", &status);
  g_assert_cmpuint (status, ==, 201);
  approval_id = json_object_get_int_member (desk_object (signal), "approval_id");
  approve = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/approve", approval_id);
  execute = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/execute", approval_id);

  approved = desk_expect (server, "POST", approve, NULL, NULL, 200);
  desk_expect_field (server, "POST", execute, NULL, "{\"quantity\":\"0.1\"}", 403, "approval");
  executed = desk_expect (server, "POST", execute, trader_token, "{\"quantity\":\"0.1\"}", 201);
  wait_for_status (json_object_get_int_member (desk_object (executed), "id"), "FILLED");
}

/* Back to paper: not while live orders are open. */
static void
test_back_to_paper (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) canceled = NULL;
  g_autoptr(JsonNode) paper = NULL;
  gint64 id;

  id = place (trader_token, "{\"symbol\":\"" SYMBOL "\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.1\","
                            "\"price\":\"70\"}", 201, &node);
  wait_for_status (id, "NEW");
  desk_expect_field (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"paper\"}", 409, "mode");
  canceled = desk_expect (server, "DELETE", "/api/v1/orders", NULL, NULL, 200);
  bourse_test_wait_until (book_is_reconciled, (gpointer) "live", 30000, "the live book to settle");
  {
    g_autoptr(JsonNode) open = NULL;

    do
      {
        g_clear_pointer (&open, json_node_unref);
        bourse_test_spin (50);
        open = desk_expect (server, "GET", "/api/v1/orders?status=open", NULL, NULL, 200);
      }
    while (json_array_get_length (json_object_get_array_member (desk_object (open), "items")) > 0);
  }
  paper = desk_expect (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"paper\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (desk_object (paper), "trading"),
                                                  "mode"), ==, "paper");
  /* The paper book is as it was: its own balances. */
  assert_balance ("USDT", "10000");
}

/* boursed keys binance …, on a data directory of its own. {{{ */

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
} Cli;

static void
cli_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &cli->out, &cli->err, &error);
  g_assert_no_error (error);
  cli->done = TRUE;
}

static gboolean
cli_done (gpointer data)
{
  return ((Cli *) data)->done;
}

/* Runs boursed keys binance @verb (with --stdin when @input is given);
 * the exchange answers from this process, so the test iterates. */
static int
run_keys (const char  *data_dir,
          const char  *verb,
          const char  *input,
          Cli         *cli)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&cli->out, g_free);
  g_clear_pointer (&cli->err, g_free);
  cli->done = FALSE;
  g_subprocess_launcher_setenv (launcher, "BOURSE_BINANCE_BASE_URL", fake_exchange_get_url (exchange), TRUE);
  g_subprocess_launcher_setenv (launcher, "BOURSE_BINANCE_RETRY_BASE_MS", "50", TRUE);
  g_subprocess_launcher_setenv (launcher, "BOURSE_AUTH_SECRETS_BACKEND", "file", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", data_dir, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("BOURSED"), "keys", "binance", verb,
                                         input != NULL ? "--stdin" : "--data-dir", input != NULL ? "--data-dir" : data_dir,
                                         input != NULL ? data_dir : NULL, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, cli_done_cb, cli);
  bourse_test_wait_until (cli_done, cli, 30000, "boursed keys binance");
  g_test_message ("stdout: %s\nstderr: %s", cli->out, cli->err);
  return g_subprocess_get_exit_status (process);
}

static void
test_cli_keys (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("bourse-live-cli-XXXXXX", NULL);
  Cli cli = { 0 };

  g_assert_nonnull (data_dir);
  /* Never on the command line. */
  g_assert_cmpint (run_keys (data_dir, "set", NULL, &cli), ==, 2);
  g_assert_nonnull (strstr (cli.err, "--stdin"));
  /* Keys that can withdraw are refused, saying why. */
  g_assert_cmpint (run_keys (data_dir, "set", "withdrawkey01\nwithdraw-secret\n", &cli), ==, 1);
  g_assert_nonnull (strstr (cli.err, "withdraw"));
  g_assert_cmpint (run_keys (data_dir, "show", NULL, &cli), ==, 0);
  g_assert_nonnull (strstr (cli.out, "\"present\" : false"));

  g_assert_cmpint (run_keys (data_dir, "set", API_KEY "\n" SECRET "\n", &cli), ==, 0);
  g_assert_nonnull (strstr (cli.out, "\"passed\" : true"));
  g_assert_null (strstr (cli.out, SECRET));
  g_assert_cmpint (run_keys (data_dir, "check", NULL, &cli), ==, 0);
  g_assert_nonnull (strstr (cli.out, "\"passed\" : true"));
  g_assert_cmpint (run_keys (data_dir, "delete", NULL, &cli), ==, 0);
  g_assert_cmpint (run_keys (data_dir, "show", NULL, &cli), ==, 0);
  g_assert_nonnull (strstr (cli.out, "\"present\" : false"));
  g_free (cli.out);
  g_free (cli.err);
}

/* }}} */

/* An engine that stopped live starts live, and reconciles before it
 * takes orders. */
static void
test_restart_live (void)
{
  g_autoptr(JsonNode) live = NULL;
  g_autoptr(JsonNode) reconciliations = NULL;
  g_autoptr(JsonNode) paper = NULL;
  JsonObject *last;

  live = desk_expect (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\",\"confirm\":\"LIVE\"}", 200);
  bourse_test_wait_until (book_is_reconciled, (gpointer) "live", 30000, "the live book to be reconciled");
  bourse_test_server_restart (server);
  bourse_test_wait_until (book_is_reconciled, (gpointer) "live", 30000, "the live book to be reconciled at start");
  reconciliations = desk_expect (server, "GET", "/api/v1/system/reconciliations", NULL, NULL, 200);
  last = json_array_get_object_element (json_object_get_array_member (desk_object (reconciliations), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (last, "trigger"), ==, "start");
  g_assert_cmpstr (json_object_get_string_member (last, "outcome"), ==, "ok");
  /* The restarted engine's live book holds what the exchange holds. */
  {
    BourseDecimal free, locked;
    g_autofree char *text = NULL;

    fake_exchange_get_balance (exchange, API_KEY, "USDT", &free, &locked);
    text = bourse_decimal_to_string_trimmed (free);
    assert_balance ("USDT", text);
  }
  paper = desk_expect (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"paper\"}", 200);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *base_url = NULL;
  g_autofree char *stream_url = NULL;
  g_autofree char *ws_api_url = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  exchange = fake_exchange_new ();
  fake_exchange_add_key (exchange, API_KEY, SECRET, TRUE, FALSE);
  fake_exchange_add_key (exchange, "withdrawkey01", "withdraw-secret", TRUE, TRUE);
  fake_exchange_add_symbol (exchange, SYMBOL, "LIV", "USDT", "100");
  fake_exchange_set_price_filter (exchange, SYMBOL, "0.01", "1000000", "0.01");
  fake_exchange_set_lot_size (exchange, SYMBOL, "0.001", "100000", "0.001");
  fake_exchange_set_notional (exchange, SYMBOL, "5", "1000000", TRUE, FALSE);
  fake_exchange_set_balance (exchange, API_KEY, "USDT", "10000");
  base_url = g_strdup (fake_exchange_get_url (exchange));
  stream_url = g_strdup (fake_exchange_get_stream_url (exchange));
  ws_api_url = g_strdup (fake_exchange_get_ws_api_url (exchange));

  {
    const char * const settings[] = {
      "auth", "password_opslimit", "1",
      "auth", "password_memlimit_kib", "8",
      "auth", "secrets_backend", "file",
      "rate_limit", "enabled", "false",
      "binance", "base_url", base_url,
      "binance", "stream_url", stream_url,
      "binance", "ws_api_url", ws_api_url,
      "binance", "request_timeout", "2",
      "binance", "retry_base_ms", "50",
      "binance", "retry_max_ms", "500",
      "approvals", "four_eyes", "true",
      "approvals", "execute_on_approve", "off",
      NULL
    };

    server = desk_server_new (settings);
  }
  desk_create_user (server, "lena", "trader");
  trader_token = desk_login (server, "lena", "trader");
  {
    g_autoptr(JsonNode) created = desk_expect (server, "POST", "/api/v1/instruments", NULL,
                                               "{\"symbol\":\"" SYMBOL "\",\"base_asset\":\"LIV\","
                                               "\"quote_asset\":\"USDT\",\"tick_size\":\"0.01\","
                                               "\"lot_step\":\"0.001\",\"min_notional\":\"5\","
                                               "\"source\":\"csv\"}", 201);
  }
  set_price ("100");

  g_test_add_func ("/live/cli-keys", test_cli_keys);
  g_test_add_func ("/live/keys", test_keys);
  g_test_add_func ("/live/gate", test_gate);
  g_test_add_func ("/live/market-order", test_market_order);
  g_test_add_func ("/live/partial-then-cancel", test_partial_then_cancel);
  g_test_add_func ("/live/timeout-is-not-a-double-order", test_timeout_is_not_a_double_order);
  g_test_add_func ("/live/reconcile-external", test_reconcile_external);
  g_test_add_func ("/live/stream-down", test_stream_down);
  g_test_add_func ("/live/four-eyes", test_four_eyes);
  g_test_add_func ("/live/back-to-paper", test_back_to_paper);
  g_test_add_func ("/live/restart-live", test_restart_live);

  status = g_test_run ();
  g_free (trader_token);
  bourse_test_server_free (server);
  fake_exchange_free (exchange);
  return status;
}
