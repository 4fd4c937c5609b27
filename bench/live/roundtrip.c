/* roundtrip.c — a live order's round trip against the fake exchange on loopback
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-live-roundtrip --data-dir NEW [--orders N] [--path broker|engine] [--key hmac|ed25519]
 *
 * The fake exchange of the integration tests (tests/integration/fake-exchange*.c,
 * linked in) runs in a thread of its own, on its own GMainContext, as a
 * real exchange is another machine: its work does not share the broker's
 * main loop. A real engine runs in-process on a fresh data directory DIR
 * (it must not exist yet; the caller removes it), without a server.
 *
 * The keys (HMAC, or tests/unit/test-binance-signer.c's Ed25519 PEM) are
 * entered as a person enters them: checked with the exchange, then kept.
 * N orders (default 1000, after a tenth as many to warm up) are placed one
 * at a time, each a marketable LIMIT order of 0.001 BTCUSDT (BUYs at
 * 50500, SELLs at 49500 against a last price of 50000, alternating), so
 * each is accepted and fills at once. For each:
 *
 *   --path broker (default): as tests/integration/test-binance-broker.c and
 *     the trading module do it — the order stored NEW in a transaction,
 *     bourse_broker_submit (), the commit;
 *   --path engine: bourse_trading_place_order () on the live book (the
 *     mode switched to live, reconciled): validation, risk, the order with
 *     its lock and audit entry committed, the broker; the ACCEPTED and the
 *     FILL are booked by the trading module before the bench hears them.
 *
 * Timed from the moment the order is handed over (before it is stored):
 *
 *   stored, commit  (broker path) until it was inserted; the commit alone;
 *   handed    until bourse_broker_submit () and the commit (broker), or
 *             bourse_trading_place_order (), returned;
 *   accepted  until the broker's "execution" ACCEPTED (from the REST
 *             answer or the stream's executionReport NEW, whichever came
 *             first);
 *   fill      until its FILL (the stream's executionReport TRADE);
 *   exchange  the exchange's own time for that order's POST /api/v3/order:
 *             from its request headers read to its answer written (the
 *             SoupServerMessage's "got-headers" to "wrote-body", in the
 *             exchange's thread) — the signature checked, the filters,
 *             matching, the user events queued, the answer built and sent;
 *   accepted-beyond, fill-beyond
 *             accepted and fill less exchange, order by order: the
 *             client's part of the round trip, loopback included. The
 *             stream's NEW is queued inside the exchange's time and may
 *             overtake the REST answer, so this may take off a little more
 *             than the exchange held the order (tens of µs);
 *   accepted-after-handed, accepted-after-handed-beyond
 *             from handed to accepted, and that less exchange: the way out
 *             and back once the order is committed.
 *
 * Before each order, as a floor, a bare signed POST /api/v3/order of the
 * same kind is sent with libsoup (a session of its own, its connection
 * kept alive, for an account of its own whose user events reach no one),
 * with no store and no broker: the query built and signed as the broker
 * does, sent, the answer read. bare is its round trip, bare-exchange the
 * exchange's time for it, bare-beyond the difference.
 *
 * Each line printed is "name median_us=… p90_us=… p99_us=… max_us=… n=…".
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/bourse-error.h"
#include "core/bourse-time.h"
#include "engine/bourse-engine.h"
#include "exchange/bourse-binance-broker.h"
#include "exchange/bourse-exchange-keys.h"
#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"

#include "fake-exchange.h"
#include "fake-exchange-orders.h"
#include "fake-exchange-private.h"
#include "fake-exchange-user-stream.h"

#define API_KEY      "benchApiKey0123456789"
/* The bare POSTs' own account: their user events reach no one. */
#define BARE_API_KEY "benchBareKey012345678"
#define HMAC_SECRET  "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
#define UNITS(x)     ((gint64) (x) * BOURSE_DECIMAL_UNIT)
#define WAIT_MS      30000

/* tests/unit/test-binance-signer.c's Ed25519 key. */
static const char ed25519_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n"
  "-----END PRIVATE KEY-----\n";

static const BourseTradingCaller caller = { "local-owner", 0, NULL, TRUE };

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
die (const char   *what,
     const GError *error)
{
  g_printerr ("bench-live-roundtrip: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

/* The exchange's thread {{{ */

typedef struct
{
  const char   *secret;
  GMutex        mutex;
  GCond         cond;
  GMainContext *context;
  GMainLoop    *loop;
  FakeExchange *exchange;
  char         *url;
  char         *stream_url;
  char         *ws_api_url;
  gboolean      ready;
  /* newClientOrderId → the exchange's time for its POST, in ns (under
   * the mutex: written there, read here). */
  GHashTable   *handling;
} Exchange;

typedef struct
{
  Exchange *exchange;
  char     *client_order_id;
  gint64    got_headers;
} Timing;

static void
timing_free (gpointer data)
{
  Timing *timing = data;

  g_free (timing->client_order_id);
  g_free (timing);
}

static void
got_headers_cb (SoupServerMessage *message,
                Timing            *timing)
{
  GUri *uri = soup_server_message_get_uri (message);
  g_autoptr(GHashTable) params = NULL;

  timing->got_headers = now_ns ();
  if (g_strcmp0 (soup_server_message_get_method (message), "POST") != 0
      || g_strcmp0 (g_uri_get_path (uri), "/api/v3/order") != 0 || g_uri_get_query (uri) == NULL)
    return;
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params != NULL)
    timing->client_order_id = g_strdup (g_hash_table_lookup (params, "newClientOrderId"));
}

static void
wrote_body_cb (SoupServerMessage *message,
               Timing            *timing)
{
  gint64 took = now_ns () - timing->got_headers;

  if (timing->client_order_id == NULL)
    return;
  g_mutex_lock (&timing->exchange->mutex);
  g_hash_table_insert (timing->exchange->handling, g_strdup (timing->client_order_id), g_memdup2 (&took, sizeof took));
  g_cond_broadcast (&timing->exchange->cond);
  g_mutex_unlock (&timing->exchange->mutex);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *message,
                    Exchange          *self)
{
  Timing *timing = g_new0 (Timing, 1);

  timing->exchange = self;
  g_object_set_data_full (G_OBJECT (message), "bench-timing", timing, timing_free);
  g_signal_connect (message, "got-headers", G_CALLBACK (got_headers_cb), timing);
  g_signal_connect (message, "wrote-body", G_CALLBACK (wrote_body_cb), timing);
}

static gpointer
exchange_thread (gpointer data)
{
  Exchange *self = data;

  g_main_context_push_thread_default (self->context);
  self->exchange = fake_exchange_new ();
  fake_exchange_add_key (self->exchange, API_KEY, self->secret, TRUE, FALSE);
  fake_exchange_add_symbol (self->exchange, "BTCUSDT", "BTC", "USDT", "50000");
  fake_exchange_set_balance (self->exchange, API_KEY, "USDT", "10000000");
  fake_exchange_set_balance (self->exchange, API_KEY, "BTC", "100");
  fake_exchange_add_key (self->exchange, BARE_API_KEY, self->secret, TRUE, FALSE);
  fake_exchange_set_balance (self->exchange, BARE_API_KEY, "USDT", "10000000");
  fake_exchange_set_balance (self->exchange, BARE_API_KEY, "BTC", "100");
  /* Binance allows 100 orders per 10 s; the bench sends more. */
  fake_exchange_set_order_limits (self->exchange, 1000000, 100000000);
  g_signal_connect (fake_exchange_get_server (self->exchange), "request-started", G_CALLBACK (request_started_cb),
                    self);

  g_mutex_lock (&self->mutex);
  self->url = g_strdup (fake_exchange_get_url (self->exchange));
  self->stream_url = g_strdup (fake_exchange_get_stream_url (self->exchange));
  self->ws_api_url = g_strdup (fake_exchange_get_ws_api_url (self->exchange));
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_main_loop_run (self->loop);

  fake_exchange_free (self->exchange);
  /* What the exchange's last answers left queued on this context. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* The exchange's time for @client_order_id's POST, or -1 when it did not
 * write its answer within a second: its "wrote-body" may come a moment
 * after the client read the answer, in the other thread. */
static gint64
exchange_time (Exchange   *self,
               const char *client_order_id)
{
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  gint64 *took;

  g_mutex_lock (&self->mutex);
  while ((took = g_hash_table_lookup (self->handling, client_order_id)) == NULL
         && g_cond_wait_until (&self->cond, &self->mutex, deadline))
    ;
  g_mutex_unlock (&self->mutex);
  return took != NULL ? *took : -1;
}

/* }}} */

/* Waiting on the main context {{{ */

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean   (*condition) (gpointer),
            gpointer     data,
            const char  *what)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add (WAIT_MS, deadline_cb, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    die (what, NULL);
  g_source_remove (source);
}

/* }}} */

/* What the broker reports {{{ */

typedef struct
{
  gint64 order_id;
  gint64 accepted;   /* ns, 0 until it came */
  gint64 filled;
  char  *rejected;
} Watch;

static void
execution_cb (BourseBroker          *broker,
              const BourseExecution *execution,
              Watch                 *watch)
{
  gint64 at = now_ns ();

  if (execution->order_id != watch->order_id)
    return;
  if (execution->kind == BOURSE_EXECUTION_ACCEPTED && watch->accepted == 0)
    watch->accepted = at;
  else if (execution->kind == BOURSE_EXECUTION_FILL && watch->filled == 0)
    watch->filled = at;
  else if (execution->kind == BOURSE_EXECUTION_REJECTED || execution->kind == BOURSE_EXECUTION_CANCELED
           || execution->kind == BOURSE_EXECUTION_EXPIRED)
    watch->rejected = g_strdup (execution->reason != NULL ? execution->reason : "no reason");
}

static gboolean
watch_done (gpointer data)
{
  Watch *watch = data;

  return (watch->accepted != 0 && watch->filled != 0) || watch->rejected != NULL;
}

static gboolean
broker_ready (gpointer data)
{
  g_autoptr(JsonNode) status = bourse_broker_status_json (data);
  JsonObject *object = status != NULL ? json_node_get_object (status) : NULL;

  /* Subscribed, and Binance's rules loaded. */
  return object != NULL && json_object_get_boolean_member_with_default (object, "subscribed", FALSE)
         && json_object_get_int_member_with_default (object, "symbols", 0) > 0;
}

/* }}} */

/* The bare POST {{{ */

typedef struct
{
  SoupSession         *session;
  const char          *url;
  BourseBinanceSigner *signer;
  gboolean             done;
  guint                status;
} Bare;

static void
bare_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Bare *bare = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (body == NULL)
    die ("the bare POST", error);
  bare->status = soup_message_get_status (soup_session_get_async_result_message (SOUP_SESSION (object), result));
  bare->done = TRUE;
}

static gboolean
bare_done (gpointer data)
{
  return ((Bare *) data)->done;
}

/* POST /api/v3/order of @order, signed, with nothing around it; its
 * round trip in ns. */
static gint64
bare_post (Bare              *bare,
           const BourseOrder *order)
{
  gint64 begun = now_ns ();
  g_autoptr(BourseBinanceParams) params = bourse_binance_order_params (order);
  g_autofree char *query = bourse_binance_sign_query (bare->signer, bourse_binance_params_get_query (params),
                                                      g_get_real_time () / 1000, 5000);
  g_autofree char *uri = g_strdup_printf ("%s/api/v3/order?%s", bare->url, query);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", uri);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-MBX-APIKEY", BARE_API_KEY);
  /* Kept alive, as the broker's client keeps its connection. */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  bare->done = FALSE;
  soup_session_send_and_read_async (bare->session, message, G_PRIORITY_DEFAULT, NULL, bare_cb, bare);
  wait_until (bare_done, bare, "the bare POST's answer");
  if (bare->status != SOUP_STATUS_OK)
    {
      g_printerr ("bench-live-roundtrip: the bare POST answered %u\n", bare->status);
      exit (1);
    }
  return now_ns () - begun;
}

/* }}} */

/* Setting up {{{ */

static gint64
live_account (BourseStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  if (!bourse_store_exec (store,
                          "INSERT OR IGNORE INTO accounts (mode, broker, currency, starting_cash, created_at) "
                          "VALUES ('live', 'binance', 'USDT', 0, '2026-01-01T00:00:00Z')", &error))
    die ("the live account", error);
  if (sqlite3_prepare_v2 (bourse_store_get_db (store), "SELECT id FROM accounts WHERE mode = 'live'", -1, &stmt,
                          NULL) != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW)
    die ("the live account", NULL);
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return id;
}

/* The engine's last price of BTCUSDT (the instrument is one the engine
 * starts with, else made here), the exchange's: for the engine's own
 * checks; the exchange's rules come from exchangeInfo. */
static void
set_price (BourseEngine *engine)
{
  BourseStore *store = bourse_engine_get_store (engine);
  g_autoptr(BourseInstrument) instrument = bourse_instruments_find (store, "BTCUSDT", NULL);
  g_autoptr(GError) error = NULL;
  BourseCandle candle = { 0 };

  if (instrument == NULL)
    {
      instrument = bourse_instrument_new ();
      instrument->symbol = g_strdup ("BTCUSDT");
      instrument->base_asset = g_strdup ("BTC");
      instrument->quote_asset = g_strdup ("USDT");
      instrument->tick_size.units = BOURSE_DECIMAL_UNIT / 100;
      instrument->lot_step.units = BOURSE_DECIMAL_UNIT / 100000;
      instrument->min_notional.units = UNITS (5);
      g_free (instrument->status);
      instrument->status = g_strdup ("trading");
      g_free (instrument->source);
      instrument->source = g_strdup ("csv");
      if (!bourse_instruments_insert (store, instrument, &error))
        die ("the instrument", error);
    }

  candle.open_time = bourse_interval_align (BOURSE_INTERVAL_1M, bourse_time_now_ms ());
  candle.open.units = candle.high.units = candle.low.units = candle.close.units = UNITS (50000);
  candle.volume.units = UNITS (1);
  if (!bourse_market_ingest (bourse_engine_get_market (engine), instrument, BOURSE_INTERVAL_1M, &candle, 1, &error))
    die ("the price", error);
}

typedef struct
{
  gboolean                done;
  BourseExchangeKeyCheck *check;
  GError                 *error;
} KeysEntered;

static void
keys_entered_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  KeysEntered *entered = user_data;

  entered->check = bourse_exchange_keys_check_finish (result, &entered->error);
  entered->done = TRUE;
}

static gboolean
keys_entered (gpointer data)
{
  return ((KeysEntered *) data)->done;
}

static gboolean
book_is_live (gpointer data)
{
  g_autoptr(JsonNode) status = bourse_trading_status_json (data);
  JsonObject *object = json_node_get_object (status);

  return g_strcmp0 (json_object_get_string_member_with_default (object, "mode", NULL), "live") == 0
         && !json_object_get_boolean_member_with_default (object, "reconciling", TRUE);
}

/* Keys entered and checked with the exchange, as a person enters them
 * (an Ed25519 PEM does not fit in the configuration). */
static void
enter_keys (BourseEngine *engine,
            const char   *secret)
{
  g_autoptr(GBytes) bytes = g_bytes_new (secret, strlen (secret));
  KeysEntered entered = { 0 };

  bourse_exchange_keys_enter_async (bourse_engine_get_store (engine),
                                    bourse_auth_get_secrets (bourse_engine_get_auth (engine)),
                                    bourse_engine_get_auth (engine), bourse_engine_get_config (engine), API_KEY, bytes,
                                    caller.actor, NULL, NULL, keys_entered_cb, &entered);
  wait_until (keys_entered, &entered, "the keys' check");
  if (entered.check == NULL)
    die ("the keys", entered.error);
  bourse_exchange_key_check_free (entered.check);
}

/* The gate and the first reconciliation: the live book. */
static BourseBroker *
go_live (BourseEngine *engine)
{
  g_autoptr(GError) error = NULL;
  BourseBroker *broker;

  if (!bourse_engine_set_mode (engine, "live", "LIVE", &caller, &error))
    die ("live mode", error);
  wait_until (book_is_live, bourse_engine_get_trading (engine), "the live book to be reconciled");
  broker = bourse_trading_get_broker (bourse_engine_get_trading (engine));
  if (g_strcmp0 (bourse_broker_get_id (broker), "binance") != 0)
    die ("the live book's broker is not binance", NULL);
  return broker;
}

/* }}} */

/* Reporting {{{ */

static int
compare_int64 (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
report (const char *name,
        GArray     *times)
{
  guint n = times->len;

  if (n == 0)
    return;
  qsort (times->data, n, sizeof (gint64), compare_int64);
  printf ("%s median_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f n=%u\n", name,
          g_array_index (times, gint64, n / 2) / 1e3,
          g_array_index (times, gint64, MIN (n - 1, (guint) (n * 0.90))) / 1e3,
          g_array_index (times, gint64, MIN (n - 1, (guint) (n * 0.99))) / 1e3,
          g_array_index (times, gint64, n - 1) / 1e3, n);
}

/* }}} */

enum { T_STORED, T_COMMIT, T_HANDED, T_ACCEPTED, T_AFTER_HANDED, T_AFTER_HANDED_BEYOND, T_FILL, T_EXCHANGE, T_ACCEPTED_BEYOND, T_FILL_BEYOND, T_BARE, T_BARE_EXCHANGE,
       T_BARE_BEYOND, N_SERIES };

static const char * const series_names[N_SERIES] = {
  "stored", "commit", "handed", "accepted", "accepted-after-handed", "accepted-after-handed-beyond", "fill", "exchange", "accepted-beyond", "fill-beyond", "bare", "bare-exchange", "bare-beyond",
};

int
main (int   argc,
      char *argv[])
{
  gint orders = 1000;
  g_autofree char *data_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— a live order's round trip against the fake exchange");
  GOptionEntry entries[] = {
    { "orders", 0, 0, G_OPTION_ARG_INT, &orders, "Orders timed (1000)", "N" },
    { "path", 0, 0, G_OPTION_ARG_STRING, &path, "broker (the broker alone) or engine (bourse_trading_place_order)",
      "PATH" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key, "hmac or ed25519 (hmac)", "KIND" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "A new data directory (required)", "DIR" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseConfig) config = NULL;
  g_autoptr(BourseEngine) engine = NULL;
  g_autoptr(BourseBroker) own_broker = NULL;
  g_autoptr(BourseInstrument) btc = NULL;
  g_autoptr(BourseBinanceSigner) signer = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GThread) thread = NULL;
  GArray *series[N_SERIES];
  Exchange exchange = { 0 };
  Watch watch = { 0 };
  Bare bare = { 0 };
  BourseBroker *broker;
  BourseStore *store;
  gboolean engine_path;
  gint64 account_id = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || orders < 1 || data_dir == NULL
      || (path != NULL && !g_str_equal (path, "broker") && !g_str_equal (path, "engine"))
      || (key != NULL && !g_str_equal (key, "hmac") && !g_str_equal (key, "ed25519")))
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                       : "--data-dir is required, --orders at least 1, --path broker or engine, "
                                         "--key hmac or ed25519");
      return 2;
    }
  if (g_file_test (data_dir, G_FILE_TEST_EXISTS))
    {
      g_printerr ("bench-live-roundtrip: %s exists: give a new directory\n", data_dir);
      return 2;
    }
  engine_path = g_strcmp0 (path, "engine") == 0;
  exchange.secret = g_strcmp0 (key, "ed25519") == 0 ? ed25519_pem : HMAC_SECRET;

  /* The exchange, in its thread. */
  g_mutex_init (&exchange.mutex);
  g_cond_init (&exchange.cond);
  exchange.context = g_main_context_new ();
  exchange.loop = g_main_loop_new (exchange.context, FALSE);
  exchange.handling = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  thread = g_thread_new ("fake-exchange", exchange_thread, &exchange);
  g_mutex_lock (&exchange.mutex);
  while (!exchange.ready)
    g_cond_wait (&exchange.cond, &exchange.mutex);
  g_mutex_unlock (&exchange.mutex);

  config = bourse_config_new ();
  {
    const char * const settings[] = {
      "store", "data_dir", data_dir,
      "simulated", "enabled", "false",
      "rate_limit", "enabled", "false",
      "auth", "secrets_backend", "file",
      "log", "level", "warning",
      "binance", "base_url", exchange.url,
      /* Nothing reaches the real Binance. */
      "binance", "stream_url", exchange.stream_url,
      "binance", "ws_api_url", exchange.ws_api_url,
      /* Ours, as the exchange's: more than Binance allows. */
      "binance", "order_limit_10s", "100000",
      "binance", "order_limit_1d", "100000000",
      NULL,
    };

    for (guint i = 0; settings[i] != NULL; i += 3)
      if (!bourse_config_set (config, settings[i], settings[i + 1], settings[i + 2],
                                 BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error))
        die (settings[i + 1], error);
  }

  engine = bourse_engine_new (config);
  if (!bourse_engine_start (engine, &error))
    die ("engine", error);
  store = bourse_engine_get_store (engine);

  enter_keys (engine, exchange.secret);
  if (engine_path)
    {
      set_price (engine);
      broker = go_live (engine);
    }
  else
    {
      account_id = live_account (store);
      bourse_brokers_ensure ();
      bourse_binance_broker_register ();
      own_broker = bourse_broker_lookup ("binance");
      broker = own_broker;
      if (!bourse_broker_setup (broker, config, bourse_engine_get_market (engine),
                                bourse_auth_get_secrets (bourse_engine_get_auth (engine)), &error))
        die ("the broker", error);
    }
  wait_until (broker_ready, broker, "the user stream to subscribe and the rules to load");
  g_signal_connect (broker, "execution", G_CALLBACK (execution_cb), &watch);
  if (!engine_path && (btc = bourse_instruments_find (store, "BTCUSDT", &error)) == NULL)
    die ("BTCUSDT from exchangeInfo", error);

  {
    g_autoptr(GBytes) bytes = g_bytes_new_static (exchange.secret, strlen (exchange.secret));

    if ((signer = bourse_binance_signer_new (BARE_API_KEY, bytes, &error)) == NULL)
      die ("the signer", error);
  }
  session = soup_session_new ();
  bare.session = session;
  bare.url = exchange.url;
  bare.signer = signer;

  for (guint s = 0; s < N_SERIES; s++)
    series[s] = g_array_sized_new (FALSE, FALSE, sizeof (gint64), orders);

  for (gint i = -MAX (orders / 10, 1); i < orders; i++)
    {
      gboolean buy = (i & 1) == 0;
      g_autofree char *bare_id = g_strdup_printf ("bench-bare-%d", i + orders);
      g_autofree char *client_order_id = g_strdup_printf ("bench-%d", i + orders);
      g_autoptr(BourseOrder) order = NULL;
      gint64 bare_took, bare_exchange, begun, stored = 0, submitted = 0, handed, took_exchange;

      /* The floor: the same POST, bare. */
      {
        g_autoptr(BourseOrder) bare_order = bourse_order_new ();

        bare_order->client_order_id = g_strdup (bare_id);
        bare_order->symbol = g_strdup ("BTCUSDT");
        bare_order->side = buy ? BOURSE_SIDE_BUY : BOURSE_SIDE_SELL;
        bare_order->type = BOURSE_ORDER_LIMIT;
        bare_order->time_in_force = BOURSE_TIF_GTC;
        bare_order->quantity.units = BOURSE_DECIMAL_UNIT / 1000;
        bare_order->has_price = TRUE;
        bare_order->price.units = buy ? UNITS (50500) : UNITS (49500);
        bare_took = bare_post (&bare, bare_order);
        bare_exchange = exchange_time (&exchange, bare_id);
      }

      g_clear_pointer (&watch.rejected, g_free);
      watch.accepted = watch.filled = 0;
      begun = now_ns ();
      if (engine_path)
        {
          BourseOrderRequest request = {
            .symbol = "BTCUSDT", .side = buy ? BOURSE_SIDE_BUY : BOURSE_SIDE_SELL, .type = BOURSE_ORDER_LIMIT,
            .has_quantity = TRUE, .quantity.units = BOURSE_DECIMAL_UNIT / 1000,
            .has_price = TRUE, .price.units = buy ? UNITS (50500) : UNITS (49500),
            .client_order_id = client_order_id,
          };

          order = bourse_trading_place_order (bourse_engine_get_trading (engine), &request, &caller, NULL, &error);
          if (order == NULL)
            die ("an order", error);
          watch.order_id = order->id;
        }
      else
        {
          /* As the trading module hands an order over: stored NEW with its
           * lock, submitted, committed in this main-loop turn. */
          order = bourse_order_new ();
          order->account_id = account_id;
          order->mode = g_strdup ("live");
          order->client_order_id = g_strdup (client_order_id);
          order->symbol = g_strdup ("BTCUSDT");
          order->side = buy ? BOURSE_SIDE_BUY : BOURSE_SIDE_SELL;
          order->type = BOURSE_ORDER_LIMIT;
          order->time_in_force = BOURSE_TIF_GTC;
          order->quantity.units = BOURSE_DECIMAL_UNIT / 1000;
          order->has_price = TRUE;
          order->price.units = buy ? UNITS (50500) : UNITS (49500);
          order->fee_asset = g_strdup ("USDT");
          order->locked_asset = g_strdup (buy ? "USDT" : "BTC");
          if (!bourse_store_begin (store, &error) || !bourse_orders_insert (store, order, &error))
            die ("storing an order", error);
          watch.order_id = order->id;
          stored = now_ns ();
          bourse_broker_submit (broker, order, btc);
          submitted = now_ns ();
          if (!bourse_store_commit (store, &error))
            die ("committing an order", error);
        }
      handed = now_ns ();
      wait_until (watch_done, &watch, "an order to be accepted and filled");
      if (watch.rejected != NULL)
        {
          g_printerr ("bench-live-roundtrip: order %s: %s\n", client_order_id, watch.rejected);
          return 1;
        }
      took_exchange = exchange_time (&exchange, client_order_id);
      if (took_exchange < 0 || bare_exchange < 0)
        die ("the exchange's time of an order was not recorded", NULL);

      if (i < 0)
        continue;
      if (!engine_path)
        {
          g_array_append_val (series[T_STORED], (gint64) { stored - begun });
          g_array_append_val (series[T_COMMIT], (gint64) { handed - submitted });
        }
      g_array_append_val (series[T_HANDED], (gint64) { handed - begun });
      g_array_append_val (series[T_ACCEPTED], (gint64) { watch.accepted - begun });
      g_array_append_val (series[T_AFTER_HANDED], (gint64) { watch.accepted - handed });
      g_array_append_val (series[T_AFTER_HANDED_BEYOND], (gint64) { watch.accepted - handed - took_exchange });
      g_array_append_val (series[T_FILL], (gint64) { watch.filled - begun });
      g_array_append_val (series[T_EXCHANGE], took_exchange);
      g_array_append_val (series[T_ACCEPTED_BEYOND], (gint64) { watch.accepted - begun - took_exchange });
      g_array_append_val (series[T_FILL_BEYOND], (gint64) { watch.filled - begun - took_exchange });
      g_array_append_val (series[T_BARE], bare_took);
      g_array_append_val (series[T_BARE_EXCHANGE], bare_exchange);
      g_array_append_val (series[T_BARE_BEYOND], (gint64) { bare_took - bare_exchange });
    }

  printf ("path=%s key=%s orders=%d\n", engine_path ? "engine" : "broker",
          g_strcmp0 (key, "ed25519") == 0 ? "ed25519" : "hmac", orders);
  for (guint s = 0; s < N_SERIES; s++)
    {
      report (series_names[s], series[s]);
      g_array_unref (series[s]);
    }

  g_signal_handlers_disconnect_by_data (broker, &watch);
  g_clear_pointer (&watch.rejected, g_free);
  soup_session_abort (session);
  bourse_engine_stop (engine);
  g_main_context_invoke (exchange.context, quit_cb, exchange.loop);
  g_thread_join (g_steal_pointer (&thread));
  g_main_loop_unref (exchange.loop);
  g_main_context_unref (exchange.context);
  g_hash_table_unref (exchange.handling);
  g_free (exchange.url);
  g_free (exchange.stream_url);
  g_free (exchange.ws_api_url);
  return 0;
}
