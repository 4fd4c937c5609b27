/* test-fake-exchange-orders.c — the fake exchange's order side, driven as a broker drives Binance
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Signed libsoup requests against the fake: what these tests show is what
 * the Binance broker may count on, so they read as the specification of
 * the fake's Binance (rest-api.md, errors.md, filters.md,
 * user-data-stream.md).
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"
#include "exchange/bourse-binance-signer.h"

#include "bourse-test-server.h"
#include "fake-exchange.h"
#include "fake-exchange-orders.h"

/* 2024-01-01T00:00:00Z */
#define T0          G_GINT64_CONSTANT (1704067200000)
#define HMAC_KEY    "hmacKey0000000000000000000000000000000000000000000000000000001"
#define HMAC_SECRET "hmacSecret000000000000000000000000000000000000000000000000000001"
#define ED_KEY      "edKey000000000000000000000000000000000000000000000000000000001"
#define ED_PEM      "-----BEGIN PRIVATE KEY-----\n" \
                    "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n" \
                    "-----END PRIVATE KEY-----\n"

typedef struct
{
  FakeExchange        *exchange;
  SoupSession         *session;
  BourseBinanceSigner *hmac;
  BourseBinanceSigner *ed;
  gint64               client_ms;   /* the timestamp requests carry */
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  JsonNode           *json;
  GError             *error;
  gboolean            done;
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_clear_error (&response->error);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static BourseBinanceSigner *
signer_new (const char *api_key,
            const char *secret)
{
  g_autoptr(GBytes) bytes = g_bytes_new (secret, strlen (secret));
  g_autoptr(GError) error = NULL;
  BourseBinanceSigner *signer = bourse_binance_signer_new (api_key, bytes, &error);

  g_assert_no_error (error);
  return signer;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->exchange = fake_exchange_new ();
  f->session = soup_session_new_with_options ("timeout", 10, NULL);
  f->hmac = signer_new (HMAC_KEY, HMAC_SECRET);
  f->ed = signer_new (ED_KEY, ED_PEM);
  f->client_ms = T0;
  fake_exchange_set_now (f->exchange, T0);
  fake_exchange_add_key (f->exchange, HMAC_KEY, HMAC_SECRET, TRUE, FALSE);
  fake_exchange_add_key (f->exchange, ED_KEY, ED_PEM, TRUE, FALSE);
  fake_exchange_add_symbol (f->exchange, "BTCUSDT", "BTC", "USDT", "100");
  fake_exchange_set_balance (f->exchange, HMAC_KEY, "USDT", "10000");
  fake_exchange_set_balance (f->exchange, HMAC_KEY, "BTC", "1");
  fake_exchange_clear_user_events (f->exchange);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->hmac, bourse_binance_signer_unref);
  g_clear_pointer (&f->ed, bourse_binance_signer_unref);
  fake_exchange_free (f->exchange);
  /* Let libsoup drop its closed connections before the next test. */
  bourse_test_spin (20);
}

/* Requests {{{ */

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Response *response = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &response->error);

  if (body != NULL && g_bytes_get_size (body) > 0)
    {
      g_autoptr(GError) error = NULL;

      response->json = bourse_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 0, &error);
      g_assert_no_error (error);
    }
  response->done = TRUE;
}

static gboolean
response_done (gpointer data)
{
  return ((Response *)data)->done;
}

/* Starts @method @path?@query with @body as a form, @api_key in
 * X-MBX-APIKEY; exactly as given. */
static Response *
start_raw (Fixture      *f,
           const char   *method,
           const char   *path,
           const char   *query,
           const char   *body,
           const char   *api_key,
           GCancellable *cancellable,
           SoupMessage **out_message)
{
  g_autofree char *url = g_strdup_printf ("%s%s%s%s", fake_exchange_get_url (f->exchange), path,
                                          query != NULL ? "?" : "", query != NULL ? query : "");
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  Response *response = g_new0 (Response, 1);

  g_assert_nonnull (message);
  if (api_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "X-MBX-APIKEY", api_key);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", bytes);
    }
  soup_session_send_and_read_async (f->session, message, G_PRIORITY_DEFAULT, cancellable, sent_cb, response);
  if (out_message != NULL)
    *out_message = g_object_ref (message);
  return response;
}

static Response *
finish (Response    *response,
        SoupMessage *message)
{
  bourse_test_wait_until (response_done, response, 20000, "a fake exchange answer");
  response->status = soup_message_get_status (message);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (message));
  return response;
}

static Response *
send_raw (Fixture    *f,
          const char *method,
          const char *path,
          const char *query,
          const char *body,
          const char *api_key)
{
  g_autoptr(SoupMessage) message = NULL;
  Response *response = start_raw (f, method, path, query, body, api_key, NULL, &message);

  return finish (response, message);
}

/* @params with timestamp added, signed by @signer and its signature
 * appended (percent-encoded: Ed25519's base64 has + / =). */
static char *
signed_params (Fixture             *f,
               BourseBinanceSigner *signer,
               const char          *params)
{
  g_autofree char *payload = g_strdup_printf ("%s%stimestamp=%" G_GINT64_FORMAT, params != NULL ? params : "",
                                              params != NULL && *params ? "&" : "", f->client_ms);
  g_autofree char *signature = bourse_binance_signer_sign (signer, payload, -1);
  g_autofree char *escaped = g_uri_escape_string (signature, NULL, FALSE);

  return g_strdup_printf ("%s&signature=%s", payload, escaped);
}

/* The broker's way: GET and DELETE in the query, POST in the body. */
static Response *
start_signed (Fixture             *f,
              const char          *method,
              const char          *path,
              BourseBinanceSigner *signer,
              const char          *params,
              GCancellable        *cancellable,
              SoupMessage        **message)
{
  g_autofree char *all = signed_params (f, signer, params);
  gboolean in_body = g_str_equal (method, "POST");

  return start_raw (f, method, path, in_body ? NULL : all, in_body ? all : NULL,
                    bourse_binance_signer_get_api_key (signer), cancellable, message);
}

static Response *
send_signed (Fixture             *f,
             const char          *method,
             const char          *path,
             BourseBinanceSigner *signer,
             const char          *params)
{
  g_autoptr(SoupMessage) message = NULL;
  Response *response = start_signed (f, method, path, signer, params, NULL, &message);

  return finish (response, message);
}

static Response *
api (Fixture    *f,
     const char *method,
     const char *path,
     const char *params)
{
  return send_signed (f, method, path, f->hmac, params);
}

static JsonNode *
json_of (Response *response)
{
  g_assert_no_error (response->error);
  g_assert_nonnull (response->json);
  return response->json;
}

static JsonObject *
object_of (Response *response)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_of (response)));
  return json_node_get_object (response->json);
}

static JsonArray *
array_of (Response *response)
{
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_of (response)));
  return json_node_get_array (response->json);
}

static JsonObject *
ok (Response *response)
{
  JsonObject *object = object_of (response);

  if (response->status != 200)
    g_error ("expected 200, got %u: %s", response->status, bourse_json_get_string (object, "msg"));
  return object;
}

/* Binance's error body; @msg NULL: any message. */
static void
assert_error (Response   *response,
              guint       status,
              int         code,
              const char *msg)
{
  JsonObject *object = object_of (response);
  gint64 got = 0;

  g_assert_cmpuint (response->status, ==, status);
  g_assert_true (bourse_json_get_int (object, "code", &got));
  g_assert_cmpint (got, ==, code);
  if (msg != NULL)
    g_assert_cmpstr (bourse_json_get_string (object, "msg"), ==, msg);
}

static void
assert_balance (Fixture    *f,
                const char *api_key,
                const char *asset,
                const char *free,
                const char *locked)
{
  BourseDecimal got_free, got_locked;
  g_autofree char *free_text = NULL;
  g_autofree char *locked_text = NULL;

  fake_exchange_get_balance (f->exchange, api_key, asset, &got_free, &got_locked);
  free_text = bourse_decimal_to_string (got_free);
  locked_text = bourse_decimal_to_string (got_locked);
  g_assert_cmpstr (free_text, ==, free);
  g_assert_cmpstr (locked_text, ==, locked);
}

static gint64
int_of (JsonObject *object,
        const char *member)
{
  gint64 value = G_MININT64;

  g_assert_true (bourse_json_get_int (object, member, &value));
  return value;
}

static gboolean
bool_of (JsonObject *object,
         const char *member)
{
  gboolean value = FALSE;

  g_assert_true (bourse_json_get_boolean (object, member, &value));
  return value;
}

/* The order's status on the exchange, as GET /api/v3/order has it. */
static const char *
status_of (Fixture *f,
           gint64   order_id)
{
  g_autoptr(JsonObject) order = fake_exchange_dup_order (f->exchange, order_id);

  g_assert_nonnull (order);
  return g_intern_string (bourse_json_get_string (order, "status"));
}

/* The user events of @api_key whose "e" is @type, in order. */
static GPtrArray *
events_of (Fixture    *f,
           const char *type)
{
  GPtrArray *events = g_ptr_array_new ();

  for (guint i = 0; i < fake_exchange_get_n_user_events (f->exchange); i++)
    {
      JsonObject *event = fake_exchange_get_user_event (f->exchange, i, NULL);

      if (g_strcmp0 (bourse_json_get_string (event, "e"), type) == 0)
        g_ptr_array_add (events, event);
    }
  return events;
}

/* }}} */

static void
test_time_and_info (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Response) time = send_raw (f, "GET", "/api/v3/time", NULL, NULL, NULL);
  g_autoptr(Response) info = NULL;
  g_autoptr(Response) one = NULL;
  g_autoptr(Response) bad = NULL;
  JsonArray *symbols, *filters;
  JsonObject *symbol, *filter;

  g_assert_cmpint (int_of (ok (time), "serverTime"), ==, T0);

  fake_exchange_set_clock_skew_ms (f->exchange, 1500);
  g_clear_pointer (&time, response_free);
  time = send_raw (f, "GET", "/api/v3/time", NULL, NULL, NULL);
  g_assert_cmpint (int_of (ok (time), "serverTime"), ==, T0 + 1500);

  fake_exchange_set_lot_size (f->exchange, "BTCUSDT", "0.001", "100", "0.001");
  fake_exchange_add_symbol (f->exchange, "ETHUSDT", "ETH", "USDT", "2000");
  info = send_raw (f, "GET", "/api/v3/exchangeInfo", "symbols=%5B%22BTCUSDT%22%5D", NULL, NULL);
  symbols = bourse_json_get_array (ok (info), "symbols");
  g_assert_cmpstr (bourse_json_get_string (ok (info), "timezone"), ==, "UTC");
  g_assert_cmpuint (json_array_get_length (bourse_json_get_array (ok (info), "rateLimits")), ==, 4);
  g_assert_cmpuint (json_array_get_length (symbols), ==, 1);
  symbol = json_array_get_object_element (symbols, 0);
  g_assert_cmpstr (bourse_json_get_string (symbol, "symbol"), ==, "BTCUSDT");
  g_assert_cmpstr (bourse_json_get_string (symbol, "status"), ==, "TRADING");
  g_assert_cmpstr (bourse_json_get_string (symbol, "baseAsset"), ==, "BTC");
  g_assert_cmpstr (bourse_json_get_string (symbol, "quoteAsset"), ==, "USDT");
  g_assert_true (bool_of (symbol, "ocoAllowed"));
  filters = bourse_json_get_array (symbol, "filters");
  g_assert_cmpuint (json_array_get_length (filters), ==, 6);
  filter = json_array_get_object_element (filters, 0);
  g_assert_cmpstr (bourse_json_get_string (filter, "filterType"), ==, "PRICE_FILTER");
  g_assert_cmpstr (bourse_json_get_string (filter, "tickSize"), ==, "0.01000000");
  filter = json_array_get_object_element (filters, 1);
  g_assert_cmpstr (bourse_json_get_string (filter, "filterType"), ==, "LOT_SIZE");
  g_assert_cmpstr (bourse_json_get_string (filter, "stepSize"), ==, "0.00100000");
  g_assert_cmpstr (bourse_json_get_string (filter, "minQty"), ==, "0.00100000");
  filter = json_array_get_object_element (filters, 3);
  g_assert_cmpstr (bourse_json_get_string (filter, "filterType"), ==, "NOTIONAL");
  g_assert_cmpstr (bourse_json_get_string (filter, "minNotional"), ==, "5.00000000");
  g_assert_true (bool_of (filter, "applyMinToMarket"));
  filter = json_array_get_object_element (filters, 4);
  g_assert_cmpstr (bourse_json_get_string (filter, "filterType"), ==, "PERCENT_PRICE_BY_SIDE");
  g_assert_cmpstr (bourse_json_get_string (filter, "bidMultiplierUp"), ==, "5.00000000");
  filter = json_array_get_object_element (filters, 5);
  g_assert_cmpstr (bourse_json_get_string (filter, "filterType"), ==, "MAX_NUM_ORDERS");
  g_assert_cmpint (int_of (filter, "maxNumOrders"), ==, 200);

  one = send_raw (f, "GET", "/api/v3/exchangeInfo", "symbol=ETHUSDT", NULL, NULL);
  symbols = bourse_json_get_array (ok (one), "symbols");
  g_assert_cmpuint (json_array_get_length (symbols), ==, 1);
  g_assert_cmpstr (bourse_json_get_string (json_array_get_object_element (symbols, 0), "symbol"), ==, "ETHUSDT");

  bad = send_raw (f, "GET", "/api/v3/exchangeInfo", "symbol=NOPE", NULL, NULL);
  assert_error (bad, 400, -1121, "Invalid symbol.");
}

static void
test_signatures (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) hmac = api (f, "GET", "/api/v3/account", NULL);
  g_autoptr(Response) ed = send_signed (f, "GET", "/api/v3/account", f->ed, NULL);
  g_autofree char *params = signed_params (f, f->hmac, "symbol=BTCUSDT");
  g_autofree char *wrong = g_strdup (params);
  g_autofree char *query = NULL;
  g_autofree char *body = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *split = NULL;
  g_autofree char *upper = NULL;
  g_autoptr(Response) bad = NULL;
  g_autoptr(Response) unknown = NULL;
  g_autoptr(Response) no_key = NULL;
  g_autoptr(Response) no_timestamp = NULL;
  g_autoptr(Response) mixed = NULL;
  g_autoptr(Response) upper_case = NULL;
  g_autoptr(Response) cannot_trade = NULL;
  g_autoptr(BourseBinanceSigner) reader = NULL;
  JsonObject *account = ok (hmac);
  JsonArray *balances = bourse_json_get_array (account, "balances");
  JsonObject *usdt;
  char *last;

  /* A good HMAC signature and a good Ed25519 one (percent-encoded). */
  g_assert_true (bool_of (account, "canTrade"));
  g_assert_false (bool_of (account, "canWithdraw"));
  g_assert_true (bool_of (account, "canDeposit"));
  g_assert_cmpstr (bourse_json_get_string (account, "accountType"), ==, "SPOT");
  g_assert_cmpint (int_of (account, "makerCommission"), ==, 10);
  g_assert_cmpuint (json_array_get_length (balances), ==, 2);
  usdt = json_array_get_object_element (balances, 1);
  g_assert_cmpstr (bourse_json_get_string (usdt, "asset"), ==, "USDT");
  g_assert_cmpstr (bourse_json_get_string (usdt, "free"), ==, "10000.00000000");
  g_assert_cmpstr (bourse_json_get_string (usdt, "locked"), ==, "0.00000000");
  ok (ed);
  g_assert_cmpstr (bourse_json_get_string (ok (ed), "accountType"), ==, "SPOT");

  /* One character off: -1022. */
  last = wrong + strlen (wrong) - 1;
  *last = *last == '0' ? '1' : '0';
  bad = send_raw (f, "GET", "/api/v3/openOrders", wrong, NULL, HMAC_KEY);
  assert_error (bad, 400, -1022, "Signature for this request is not valid.");

  /* A key Binance does not know, and none at all. */
  unknown = send_raw (f, "GET", "/api/v3/openOrders", params, NULL, "unknownKey");
  assert_error (unknown, 401, -2015, "Invalid API-key, IP, or permissions for action.");
  no_key = send_raw (f, "GET", "/api/v3/openOrders", params, NULL, NULL);
  assert_error (no_key, 401, -2014, "API-key format invalid.");

  /* timestamp is mandatory. */
  signature = bourse_binance_signer_sign (f->hmac, "symbol=BTCUSDT", -1);
  query = g_strdup_printf ("symbol=BTCUSDT&signature=%s", signature);
  no_timestamp = send_raw (f, "GET", "/api/v3/openOrders", query, NULL, HMAC_KEY);
  assert_error (no_timestamp, 400, -1102,
                "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");

  /* Parameters in both the query and the body: signed over the query then
   * the body, concatenated without a separator (rest-api.md). */
  g_clear_pointer (&signature, g_free);
  g_clear_pointer (&query, g_free);
  query = g_strdup ("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC");
  body = g_strdup_printf ("quantity=0.1&price=90&timestamp=%" G_GINT64_FORMAT, f->client_ms);
  split = g_strconcat (query, body, NULL);
  signature = bourse_binance_signer_sign (f->hmac, split, -1);
  g_free (body);
  body = g_strdup_printf ("quantity=0.1&price=90&timestamp=%" G_GINT64_FORMAT "&signature=%s", f->client_ms,
                          signature);
  mixed = send_raw (f, "POST", "/api/v3/order/test", query, body, HMAC_KEY);
  g_assert_cmpuint (json_object_get_size (ok (mixed)), ==, 0);

  /* HMAC signatures are not case-sensitive. */
  upper = g_ascii_strup (strstr (params, "&signature=") + strlen ("&signature="), -1);
  g_clear_pointer (&query, g_free);
  query = g_strdup_printf ("symbol=BTCUSDT&timestamp=%" G_GINT64_FORMAT "&signature=%s", f->client_ms, upper);
  upper_case = send_raw (f, "GET", "/api/v3/openOrders", query, NULL, HMAC_KEY);
  g_assert_cmpuint (json_array_get_length (array_of (upper_case)), ==, 0);
  g_assert_cmpuint (upper_case->status, ==, 200);

  /* A key that may read but not trade. */
  fake_exchange_add_key (f->exchange, "readerKey", "readerSecret", FALSE, FALSE);
  reader = signer_new ("readerKey", "readerSecret");
  cannot_trade = send_signed (f, "POST", "/api/v3/order", reader,
                              "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1");
  assert_error (cannot_trade, 401, -2015, NULL);
}

static void
test_timestamps (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) ahead = NULL;
  g_autoptr(Response) late = NULL;
  g_autoptr(Response) in_window = NULL;
  g_autoptr(Response) wider = NULL;
  g_autoptr(Response) too_wide = NULL;

  /* The exchange 2 s behind: the request is from its future. */
  fake_exchange_set_clock_skew_ms (f->exchange, -2000);
  ahead = api (f, "GET", "/api/v3/account", NULL);
  assert_error (ahead, 400, -1021, NULL);

  /* 6 s behind the exchange: older than the default recvWindow of 5 s. */
  fake_exchange_set_clock_skew_ms (f->exchange, 6000);
  late = api (f, "GET", "/api/v3/account", NULL);
  assert_error (late, 400, -1021, "Timestamp for this request is outside of the recvWindow.");
  wider = api (f, "GET", "/api/v3/account", "recvWindow=10000");
  ok (wider);
  too_wide = api (f, "GET", "/api/v3/account", "recvWindow=60001");
  assert_error (too_wide, 400, -1131, NULL);

  /* Within the window, and up to a second ahead, is fine. */
  fake_exchange_set_clock_skew_ms (f->exchange, -900);
  in_window = api (f, "GET", "/api/v3/account", NULL);
  ok (in_window);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  static const struct {
    const char *params;
    const char *msg;
  } cases[] = {
    { "type=LIMIT&timeInForce=GTC&quantity=0.1234567&price=90", "Filter failure: LOT_SIZE" },
    { "type=LIMIT&timeInForce=GTC&quantity=200&price=90", "Filter failure: LOT_SIZE" },
    { "type=LIMIT&timeInForce=GTC&quantity=0.1&price=90.005", "Filter failure: PRICE_FILTER" },
    { "type=LIMIT&timeInForce=GTC&quantity=0.01&price=90", "Filter failure: NOTIONAL" },
    { "type=LIMIT&timeInForce=GTC&quantity=0.01&price=600", "Filter failure: PERCENT_PRICE_BY_SIDE" },
    { "type=LIMIT&timeInForce=GTC&quantity=0.5&price=10", "Filter failure: PERCENT_PRICE_BY_SIDE" },
    { "type=MARKET&quantity=2", "Filter failure: MARKET_LOT_SIZE" },
    { "type=STOP_LOSS_LIMIT&timeInForce=GTC&quantity=0.1&price=120&stopPrice=120.001",
      "Filter failure: PRICE_FILTER" },
  };
  g_autoptr(Response) first = NULL;
  g_autoptr(Response) second = NULL;
  g_autoptr(Response) missing = NULL;
  g_autoptr(Response) both = NULL;
  g_autoptr(Response) tested = NULL;

  fake_exchange_set_lot_size (f->exchange, "BTCUSDT", "0.001", "100", "0.001");
  fake_exchange_set_market_lot_size (f->exchange, "BTCUSDT", "0.001", "1", "0.001");
  fake_exchange_set_notional (f->exchange, "BTCUSDT", "5", "100000", TRUE, FALSE);
  fake_exchange_set_percent_price (f->exchange, "BTCUSDT", "1.2", "0.8", "1.2", "0.8");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *params = g_strdup_printf ("symbol=BTCUSDT&side=BUY&%s", cases[i].params);
      g_autoptr(Response) response = api (f, "POST", "/api/v3/order", params);

      assert_error (response, 400, -1013, cases[i].msg);
      /* The same checks for a test order. */
      g_clear_pointer (&response, response_free);
      response = api (f, "POST", "/api/v3/order/test", params);
      assert_error (response, 400, -1013, cases[i].msg);
    }

  /* MAX_NUM_ORDERS counts the account's open orders on the symbol. */
  fake_exchange_set_max_num_orders (f->exchange, "BTCUSDT", 1);
  first = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1"
               "&price=90");
  g_assert_cmpstr (bourse_json_get_string (ok (first), "status"), ==, "NEW");
  second = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1"
                "&price=91");
  assert_error (second, 400, -1013, "Filter failure: MAX_NUM_ORDERS");

  missing = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&price=90");
  assert_error (missing, 400, -1102, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.");
  both = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET");
  assert_error (both, 400, -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");

  /* A test order that passes answers {} and leaves nothing behind. */
  fake_exchange_set_max_num_orders (f->exchange, "BTCUSDT", 200);
  tested = api (f, "POST", "/api/v3/order/test", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
                "&quantity=0.1&price=95&newClientOrderId=dry");
  g_assert_cmpuint (json_object_get_size (ok (tested)), ==, 0);
  g_assert_cmpint (fake_exchange_find_order (f->exchange, "dry"), ==, -1);
  assert_balance (f, HMAC_KEY, "USDT", "9990.99100000", "9.00900000");
}

static void
test_insufficient (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Response) buy = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT"
                                 "&timeInForce=GTC&quantity=100&price=100&newClientOrderId=big");
  g_autoptr(Response) sell = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=MARKET"
                                  "&quantity=1.5");

  assert_error (buy, 400, -2010, "Account has insufficient balance for requested action.");
  assert_error (sell, 400, -2010, "Account has insufficient balance for requested action.");
  g_assert_cmpint (fake_exchange_find_order (f->exchange, "big"), ==, -1);
  g_assert_cmpuint (fake_exchange_count_new_orders (f->exchange, "big"), ==, 1);
  assert_balance (f, HMAC_KEY, "USDT", "10000.00000000", "0.00000000");
  assert_balance (f, HMAC_KEY, "BTC", "1.00000000", "0.00000000");
}

static void
test_market (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Response) response = NULL;
  g_autoptr(Response) trades = NULL;
  g_autoptr(Response) by_quote = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GPtrArray) positions = NULL;
  JsonObject *order;
  JsonArray *fills;
  gint64 last_id = 0;

  fake_exchange_set_fill_parts (f->exchange, 4);
  response = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1"
                  "&newClientOrderId=mkt1");
  order = ok (response);
  g_assert_cmpstr (bourse_json_get_string (order, "status"), ==, "FILLED");
  g_assert_cmpstr (bourse_json_get_string (order, "clientOrderId"), ==, "mkt1");
  g_assert_cmpint (int_of (order, "orderListId"), ==, -1);
  g_assert_cmpint (int_of (order, "transactTime"), ==, T0);
  g_assert_cmpstr (bourse_json_get_string (order, "executedQty"), ==, "1.00000000");
  g_assert_cmpstr (bourse_json_get_string (order, "cummulativeQuoteQty"), ==, "100.00000000");
  g_assert_cmpstr (bourse_json_get_string (order, "type"), ==, "MARKET");
  g_assert_cmpstr (bourse_json_get_string (order, "side"), ==, "BUY");
  g_assert_cmpstr (bourse_json_get_string (order, "selfTradePreventionMode"), ==, "NONE");
  /* FULL by default for MARKET: four fills, each its own trade. */
  fills = bourse_json_get_array (order, "fills");
  g_assert_cmpuint (json_array_get_length (fills), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *fill = json_array_get_object_element (fills, i);

      g_assert_cmpstr (bourse_json_get_string (fill, "price"), ==, "100.00000000");
      g_assert_cmpstr (bourse_json_get_string (fill, "qty"), ==, "0.25000000");
      g_assert_cmpstr (bourse_json_get_string (fill, "commission"), ==, "0.02500000");
      g_assert_cmpstr (bourse_json_get_string (fill, "commissionAsset"), ==, "USDT");
      g_assert_cmpint (int_of (fill, "tradeId"), >, last_id);
      last_id = int_of (fill, "tradeId");
    }
  /* 100 spent and 0.1 of commission, in USDT. */
  assert_balance (f, HMAC_KEY, "USDT", "9899.90000000", "0.00000000");
  assert_balance (f, HMAC_KEY, "BTC", "2.00000000", "0.00000000");

  trades = api (f, "GET", "/api/v3/myTrades", "symbol=BTCUSDT");
  g_assert_cmpuint (json_array_get_length (array_of (trades)), ==, 4);
  {
    JsonObject *trade = json_array_get_object_element (array_of (trades), 3);

    g_assert_cmpint (int_of (trade, "id"), ==, last_id);
    g_assert_cmpint (int_of (trade, "orderId"), ==, int_of (order, "orderId"));
    g_assert_cmpstr (bourse_json_get_string (trade, "quoteQty"), ==, "25.00000000");
    g_assert_true (bool_of (trade, "isBuyer"));
    g_assert_false (bool_of (trade, "isMaker"));
  }

  /* NEW, then a TRADE per part, the last FILLED; then the balances. */
  reports = events_of (f, "executionReport");
  g_assert_cmpuint (reports->len, ==, 5);
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (reports, 0), "x"), ==, "NEW");
  for (guint i = 1; i < 5; i++)
    {
      JsonObject *report = g_ptr_array_index (reports, i);

      g_assert_cmpstr (bourse_json_get_string (report, "x"), ==, "TRADE");
      g_assert_cmpstr (bourse_json_get_string (report, "X"), ==, i < 4 ? "PARTIALLY_FILLED" : "FILLED");
      g_assert_cmpstr (bourse_json_get_string (report, "c"), ==, "mkt1");
      g_assert_cmpstr (bourse_json_get_string (report, "l"), ==, "0.25000000");
      g_assert_cmpstr (bourse_json_get_string (report, "L"), ==, "100.00000000");
      g_assert_cmpstr (bourse_json_get_string (report, "N"), ==, "USDT");
      g_assert_cmpint (int_of (report, "i"), ==, int_of (order, "orderId"));
      g_assert_cmpint (int_of (report, "t"), ==, last_id - 4 + i);
    }
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (reports, 4), "z"), ==, "1.00000000");
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (reports, 4), "Z"), ==, "100.00000000");
  positions = events_of (f, "outboundAccountPosition");
  g_assert_cmpuint (positions->len, ==, 1);
  g_assert_cmpuint (json_array_get_length (bourse_json_get_array (g_ptr_array_index (positions, 0), "B")), ==, 2);

  /* By quote quantity: what 50 USDT buys, on the step. */
  fake_exchange_set_fill_parts (f->exchange, 1);
  fake_exchange_set_price (f->exchange, "BTCUSDT", "30");
  by_quote = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=50"
                  "&newOrderRespType=RESULT");
  g_assert_cmpstr (bourse_json_get_string (ok (by_quote), "origQty"), ==, "1.66666000");
  g_assert_cmpstr (bourse_json_get_string (ok (by_quote), "origQuoteOrderQty"), ==, "50.00000000");
  g_assert_cmpstr (bourse_json_get_string (ok (by_quote), "cummulativeQuoteQty"), ==, "49.99980000");
  g_assert_null (bourse_json_get_array (ok (by_quote), "fills"));
}

static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Response) placed = NULL;
  g_autoptr(Response) queried = NULL;
  g_autoptr(Response) trades = NULL;
  g_autoptr(Response) taker = NULL;
  g_autoptr(Response) open = NULL;
  JsonObject *order;
  gint64 id;

  fake_exchange_set_fill_parts (f->exchange, 2);
  placed = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1"
                "&price=90&newClientOrderId=lim1&newOrderRespType=RESULT");
  order = ok (placed);
  id = int_of (order, "orderId");
  g_assert_cmpstr (bourse_json_get_string (order, "status"), ==, "NEW");
  g_assert_cmpstr (bourse_json_get_string (order, "price"), ==, "90.00000000");
  g_assert_cmpstr (bourse_json_get_string (order, "timeInForce"), ==, "GTC");
  g_assert_cmpint (int_of (order, "workingTime"), ==, T0);
  /* 90 and its commission held until it fills. */
  assert_balance (f, HMAC_KEY, "USDT", "9909.91000000", "90.09000000");

  /* Not crossed yet. */
  fake_exchange_set_price (f->exchange, "BTCUSDT", "95");
  g_assert_cmpstr (status_of (f, id), ==, "NEW");

  /* Crossed: the first part, as a maker at its own price. */
  fake_exchange_set_now (f->exchange, T0 + 1000);
  f->client_ms = T0 + 1000;
  fake_exchange_set_price (f->exchange, "BTCUSDT", "89");
  queried = api (f, "GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=lim1");
  order = ok (queried);
  g_assert_cmpstr (bourse_json_get_string (order, "status"), ==, "PARTIALLY_FILLED");
  g_assert_cmpstr (bourse_json_get_string (order, "executedQty"), ==, "0.50000000");
  g_assert_cmpstr (bourse_json_get_string (order, "cummulativeQuoteQty"), ==, "45.00000000");
  g_assert_true (bool_of (order, "isWorking"));
  g_assert_cmpint (int_of (order, "time"), ==, T0);
  g_assert_cmpint (int_of (order, "updateTime"), ==, T0 + 1000);
  assert_balance (f, HMAC_KEY, "USDT", "9909.91000000", "45.04500000");
  assert_balance (f, HMAC_KEY, "BTC", "1.50000000", "0.00000000");

  /* The next step fills the rest. */
  fake_exchange_set_price (f->exchange, "BTCUSDT", "89");
  g_assert_cmpstr (status_of (f, id), ==, "FILLED");
  assert_balance (f, HMAC_KEY, "USDT", "9909.91000000", "0.00000000");
  assert_balance (f, HMAC_KEY, "BTC", "2.00000000", "0.00000000");
  trades = api (f, "GET", "/api/v3/myTrades", "symbol=BTCUSDT&orderId=10001");
  g_assert_cmpint (id, ==, 10001);
  g_assert_cmpuint (json_array_get_length (array_of (trades)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *trade = json_array_get_object_element (array_of (trades), i);

      g_assert_true (bool_of (trade, "isMaker"));
      g_assert_cmpstr (bourse_json_get_string (trade, "price"), ==, "90.00000000");
      g_assert_cmpstr (bourse_json_get_string (trade, "commission"), ==, "0.04500000");
    }

  /* Marketable when placed: the first part takes at the market price at
   * once, the rest rests on the book. */
  taker = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1"
               "&price=85");
  order = ok (taker);
  g_assert_cmpstr (bourse_json_get_string (order, "status"), ==, "PARTIALLY_FILLED");
  g_assert_cmpstr (bourse_json_get_string (json_array_get_object_element (bourse_json_get_array (order, "fills"),
                                                                          0), "price"), ==, "89.00000000");
  open = api (f, "GET", "/api/v3/openOrders", NULL);
  g_assert_cmpuint (json_array_get_length (array_of (open)), ==, 1);
  assert_balance (f, HMAC_KEY, "BTC", "1.00000000", "0.50000000");
  /* 44.5 less 0.0445 of commission. */
  assert_balance (f, HMAC_KEY, "USDT", "9954.36550000", "0.00000000");
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(Response) placed = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT"
                                    "&timeInForce=GTC&quantity=1&price=90&newClientOrderId=c1");
  g_autoptr(Response) canceled = NULL;
  g_autoptr(Response) again = NULL;
  g_autoptr(Response) never = NULL;
  g_autoptr(Response) reused = NULL;
  g_autoptr(Response) duplicate = NULL;
  g_autoptr(Response) all = NULL;
  g_autoptr(Response) none = NULL;
  g_autoptr(Response) missing = NULL;
  g_autoptr(Response) second = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  JsonObject *order, *report;

  ok (placed);
  duplicate = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1"
                   "&price=91&newClientOrderId=c1");
  assert_error (duplicate, 400, -2010, "Duplicate order sent.");

  canceled = api (f, "DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=c1&newClientOrderId=cancel1");
  order = ok (canceled);
  g_assert_cmpstr (bourse_json_get_string (order, "status"), ==, "CANCELED");
  g_assert_cmpstr (bourse_json_get_string (order, "origClientOrderId"), ==, "c1");
  g_assert_cmpstr (bourse_json_get_string (order, "clientOrderId"), ==, "cancel1");
  g_assert_cmpint (int_of (order, "orderId"), ==, int_of (ok (placed), "orderId"));
  assert_balance (f, HMAC_KEY, "USDT", "10000.00000000", "0.00000000");
  /* The cancel's report: its own id in c, the order's in C. */
  reports = events_of (f, "executionReport");
  report = g_ptr_array_index (reports, reports->len - 1);
  g_assert_cmpstr (bourse_json_get_string (report, "x"), ==, "CANCELED");
  g_assert_cmpstr (bourse_json_get_string (report, "c"), ==, "cancel1");
  g_assert_cmpstr (bourse_json_get_string (report, "C"), ==, "c1");

  again = api (f, "DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=c1");
  assert_error (again, 400, -2011, "Unknown order sent.");
  never = api (f, "GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=nosuch");
  assert_error (never, 400, -2013, "Order does not exist.");
  missing = api (f, "DELETE", "/api/v3/order", "symbol=BTCUSDT");
  assert_error (missing, 400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were "
                "empty/null!");

  /* A client order id is free again once its order is done. */
  reused = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1"
                "&price=90&newClientOrderId=c1");
  ok (reused);
  g_assert_cmpuint (fake_exchange_count_new_orders (f->exchange, "c1"), ==, 3);

  /* A partly filled order cancelled gives back what is left. */
  fake_exchange_set_fill_parts (f->exchange, 4);
  second = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1"
                "&price=110");
  fake_exchange_set_price (f->exchange, "BTCUSDT", "110");
  g_assert_cmpstr (status_of (f, int_of (ok (second), "orderId")), ==, "PARTIALLY_FILLED");
  assert_balance (f, HMAC_KEY, "BTC", "0.00000000", "0.75000000");

  all = api (f, "DELETE", "/api/v3/openOrders", "symbol=BTCUSDT");
  g_assert_cmpuint (json_array_get_length (array_of (all)), ==, 2);
  assert_balance (f, HMAC_KEY, "BTC", "0.75000000", "0.00000000");
  assert_balance (f, HMAC_KEY, "USDT", "10027.47250000", "0.00000000");
  none = api (f, "DELETE", "/api/v3/openOrders", "symbol=BTCUSDT");
  assert_error (none, 400, -2011, "Unknown order sent.");
}

static void
test_oco (Fixture       *f,
          gconstpointer  data)
{
  static const char * const sell_oco =
    "symbol=BTCUSDT&side=SELL&quantity=1&listClientOrderId=list1"
    "&aboveType=LIMIT_MAKER&abovePrice=110&aboveClientOrderId=tp1"
    "&belowType=STOP_LOSS_LIMIT&belowStopPrice=95&belowPrice=94&belowTimeInForce=GTC&belowClientOrderId=sl1"
    "&newOrderRespType=RESULT";
  g_autoptr(Response) placed = api (f, "POST", "/api/v3/orderList/oco", sell_oco);
  g_autoptr(Response) open = NULL;
  g_autoptr(Response) bad = NULL;
  g_autoptr(Response) second = NULL;
  g_autoptr(GPtrArray) statuses = NULL;
  JsonObject *list = ok (placed);
  JsonArray *reports = bourse_json_get_array (list, "orderReports");
  JsonObject *tp, *sl;

  g_assert_cmpstr (bourse_json_get_string (list, "contingencyType"), ==, "OCO");
  g_assert_cmpstr (bourse_json_get_string (list, "listStatusType"), ==, "EXEC_STARTED");
  g_assert_cmpstr (bourse_json_get_string (list, "listOrderStatus"), ==, "EXECUTING");
  g_assert_cmpstr (bourse_json_get_string (list, "listClientOrderId"), ==, "list1");
  g_assert_cmpuint (json_array_get_length (bourse_json_get_array (list, "orders")), ==, 2);
  g_assert_cmpuint (json_array_get_length (reports), ==, 2);
  sl = json_array_get_object_element (reports, 0);
  g_assert_cmpstr (bourse_json_get_string (sl, "type"), ==, "STOP_LOSS_LIMIT");
  g_assert_cmpstr (bourse_json_get_string (sl, "stopPrice"), ==, "95.00000000");
  g_assert_cmpint (int_of (sl, "workingTime"), ==, -1);
  g_assert_cmpint (int_of (sl, "orderListId"), ==, int_of (list, "orderListId"));
  tp = json_array_get_object_element (reports, 1);
  g_assert_cmpstr (bourse_json_get_string (tp, "type"), ==, "LIMIT_MAKER");
  g_assert_cmpstr (bourse_json_get_string (tp, "clientOrderId"), ==, "tp1");
  /* One quantity held for both legs. */
  assert_balance (f, HMAC_KEY, "BTC", "0.00000000", "1.00000000");
  open = api (f, "GET", "/api/v3/openOrders", "symbol=BTCUSDT");
  g_assert_cmpuint (json_array_get_length (array_of (open)), ==, 2);

  /* The take profit fills; the exchange expires the stop. */
  fake_exchange_set_price (f->exchange, "BTCUSDT", "111");
  tp = fake_exchange_dup_order (f->exchange, fake_exchange_find_order (f->exchange, "tp1"));
  sl = fake_exchange_dup_order (f->exchange, fake_exchange_find_order (f->exchange, "sl1"));
  g_assert_cmpstr (bourse_json_get_string (tp, "status"), ==, "FILLED");
  g_assert_cmpstr (bourse_json_get_string (tp, "cummulativeQuoteQty"), ==, "110.00000000");
  g_assert_cmpstr (bourse_json_get_string (sl, "status"), ==, "EXPIRED");
  json_object_unref (tp);
  json_object_unref (sl);
  assert_balance (f, HMAC_KEY, "BTC", "0.00000000", "0.00000000");
  assert_balance (f, HMAC_KEY, "USDT", "10109.89000000", "0.00000000");
  statuses = events_of (f, "listStatus");
  g_assert_cmpuint (statuses->len, ==, 2);
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (statuses, 0), "l"), ==, "EXEC_STARTED");
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (statuses, 1), "l"), ==, "ALL_DONE");
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (statuses, 1), "L"), ==, "ALL_DONE");
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (statuses, 1), "C"), ==, "list1");

  /* Prices on the wrong side of the market. */
  fake_exchange_set_balance (f->exchange, HMAC_KEY, "BTC", "1");
  bad = api (f, "POST", "/api/v3/orderList/oco", "symbol=BTCUSDT&side=SELL&quantity=1&aboveType=LIMIT_MAKER"
             "&abovePrice=105&belowType=STOP_LOSS_LIMIT&belowStopPrice=95&belowPrice=94&belowTimeInForce=GTC");
  assert_error (bad, 400, -2010, "The relationship of the prices for the orders is not correct.");

  /* The stop triggers (which expires the take profit), then sells as a
   * taker at the market. */
  second = api (f, "POST", "/api/v3/orderList/oco", "symbol=BTCUSDT&side=SELL&quantity=1&aboveType=LIMIT_MAKER"
                "&abovePrice=120&aboveClientOrderId=tp2&belowType=STOP_LOSS_LIMIT&belowStopPrice=100"
                "&belowPrice=99&belowTimeInForce=GTC&belowClientOrderId=sl2");
  ok (second);
  fake_exchange_set_price (f->exchange, "BTCUSDT", "99.5");
  tp = fake_exchange_dup_order (f->exchange, fake_exchange_find_order (f->exchange, "tp2"));
  sl = fake_exchange_dup_order (f->exchange, fake_exchange_find_order (f->exchange, "sl2"));
  g_assert_cmpstr (bourse_json_get_string (tp, "status"), ==, "EXPIRED");
  g_assert_cmpstr (bourse_json_get_string (sl, "status"), ==, "FILLED");
  g_assert_cmpstr (bourse_json_get_string (sl, "cummulativeQuoteQty"), ==, "99.50000000");
  json_object_unref (tp);
  json_object_unref (sl);
  assert_balance (f, HMAC_KEY, "BTC", "0.00000000", "0.00000000");
}

static void
test_order_limits (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(Response) refused = NULL;
  g_autoptr(Response) later = NULL;

  fake_exchange_set_order_limits (f->exchange, 3, 5);
  for (guint i = 1; i <= 3; i++)
    {
      g_autoptr(Response) response = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT"
                                          "&timeInForce=GTC&quantity=0.1&price=90");
      g_autofree char *count = g_strdup_printf ("%u", i);

      ok (response);
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-MBX-ORDER-COUNT-10S"), ==, count);
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-MBX-ORDER-COUNT-1D"), ==, count);
      g_assert_nonnull (soup_message_headers_get_one (response->headers, "X-MBX-USED-WEIGHT-1M"));
    }
  refused = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1"
                 "&price=90");
  assert_error (refused, 429, -1015, "Too many new orders; current limit is 3 orders per TEN_SECONDS.");
  g_assert_cmpstr (soup_message_headers_get_one (refused->headers, "Retry-After"), ==, "10");

  /* The next ten seconds; then the day's limit. */
  fake_exchange_set_now (f->exchange, T0 + 10000);
  f->client_ms = T0 + 10000;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(Response) response = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT"
                                          "&timeInForce=GTC&quantity=0.1&price=90");

      ok (response);
      g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-MBX-ORDER-COUNT-1D"), ==,
                       i == 0 ? "4" : "5");
    }
  later = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1"
               "&price=90");
  assert_error (later, 429, -1015, "Too many new orders; current limit is 5 orders per DAY.");
}

static gboolean
one_held (gpointer data)
{
  return fake_exchange_get_n_held (data) == 1;
}

static void
test_accept_then_silence (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(Response) held = NULL;
  g_autoptr(Response) found = NULL;
  g_autoptr(Response) closed = NULL;
  g_autoptr(Response) found_closed = NULL;

  /* Accepted, never answered: the client gives up. */
  fake_exchange_fail_orders (f->exchange, FAKE_FAILURE_HOLD, 1);
  held = start_signed (f, "POST", "/api/v3/order", f->hmac, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC"
                       "&quantity=0.1&price=90&newClientOrderId=held1", cancellable, &message);
  bourse_test_wait_until (one_held, f->exchange, 20000, "the order to be held");
  g_cancellable_cancel (cancellable);
  finish (held, message);
  g_assert_error (held->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The order is there: the broker's query by origClientOrderId finds it. */
  found = api (f, "GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=held1");
  g_assert_cmpstr (bourse_json_get_string (ok (found), "status"), ==, "NEW");
  g_assert_cmpuint (fake_exchange_count_new_orders (f->exchange, "held1"), ==, 1);
  assert_balance (f, HMAC_KEY, "USDT", "9990.99100000", "9.00900000");

  /* Accepted, then the connection closes without an answer. */
  fake_exchange_fail_orders (f->exchange, FAKE_FAILURE_CLOSE, 1);
  closed = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1"
                "&newClientOrderId=closed1");
  g_assert_nonnull (closed->error);
  found_closed = api (f, "GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=closed1");
  g_assert_cmpstr (bourse_json_get_string (ok (found_closed), "status"), ==, "FILLED");
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  static const struct {
    FakeFailure failure;
    guint       status;
    int         code;
  } cases[] = {
    { FAKE_FAILURE_503, 503, -1008 },
    { FAKE_FAILURE_429, 429, -1003 },
    { FAKE_FAILURE_418, 418, -1003 },
    { FAKE_FAILURE_TIMESTAMP, 400, -1021 },
    { FAKE_FAILURE_INSUFFICIENT, 400, -2010 },
  };
  g_autoptr(Response) cancel_refused = NULL;
  g_autoptr(Response) placed = NULL;

  fake_exchange_set_failure_retry_after (f->exchange, 7);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = g_strdup_printf ("refused%u", i);
      g_autofree char *params = g_strdup_printf ("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.1"
                                                 "&newClientOrderId=%s", id);
      g_autoptr(Response) response = NULL;

      fake_exchange_fail_orders (f->exchange, cases[i].failure, 1);
      response = api (f, "POST", "/api/v3/order", params);
      assert_error (response, cases[i].status, cases[i].code, NULL);
      if (cases[i].status == 429 || cases[i].status == 418)
        g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Retry-After"), ==, "7");
      /* Nothing was accepted. */
      g_assert_cmpint (fake_exchange_find_order (f->exchange, id), ==, -1);
    }
  assert_balance (f, HMAC_KEY, "USDT", "10000.00000000", "0.00000000");

  /* Failures aim at one method and path. */
  placed = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.1"
                "&price=90&newClientOrderId=kept");
  fake_exchange_fail_requests (f->exchange, "DELETE", "/api/v3/order", FAKE_FAILURE_503, 1);
  cancel_refused = api (f, "DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=kept");
  assert_error (cancel_refused, 503, -1008, NULL);
  g_assert_cmpstr (bourse_json_get_string (ok (placed), "status"), ==, "NEW");
  g_assert_cmpint (fake_exchange_find_order (f->exchange, "kept"), ==, int_of (ok (placed), "orderId"));
}

static void
test_external (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *client_id = NULL;
  gint64 id = fake_exchange_place_external_order (f->exchange, HMAC_KEY, "BTCUSDT", "SELL", "LIMIT", "0.5",
                                                  "105", &client_id);
  g_autoptr(Response) open = api (f, "GET", "/api/v3/openOrders", "symbol=BTCUSDT");
  g_autoptr(Response) trades = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  JsonObject *order;

  g_assert_cmpint (id, >, 0);
  g_assert_true (g_str_has_prefix (client_id, "web_"));
  g_assert_cmpuint (json_array_get_length (array_of (open)), ==, 1);
  order = json_array_get_object_element (array_of (open), 0);
  g_assert_cmpint (int_of (order, "orderId"), ==, id);
  g_assert_cmpstr (bourse_json_get_string (order, "clientOrderId"), ==, client_id);
  assert_balance (f, HMAC_KEY, "BTC", "0.50000000", "0.50000000");

  fake_exchange_set_price (f->exchange, "BTCUSDT", "106");
  trades = api (f, "GET", "/api/v3/myTrades", "symbol=BTCUSDT");
  g_assert_cmpuint (json_array_get_length (array_of (trades)), ==, 1);
  g_assert_cmpint (int_of (json_array_get_object_element (array_of (trades), 0), "orderId"), ==, id);
  reports = events_of (f, "executionReport");
  g_assert_cmpuint (reports->len, ==, 2);
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (reports, 0), "c"), ==, client_id);
  g_assert_cmpstr (bourse_json_get_string (g_ptr_array_index (reports, 1), "X"), ==, "FILLED");

  /* And cancelled out there. */
  id = fake_exchange_place_external_order (f->exchange, HMAC_KEY, "BTCUSDT", "BUY", "LIMIT", "1", "90", NULL);
  g_assert_true (fake_exchange_cancel_external_order (f->exchange, id));
  after = api (f, "GET", "/api/v3/openOrders", NULL);
  g_assert_cmpuint (json_array_get_length (array_of (after)), ==, 0);
  g_assert_false (fake_exchange_cancel_external_order (f->exchange, id));
  g_assert_cmpint (fake_exchange_place_external_order (f->exchange, HMAC_KEY, "BTCUSDT", "BUY", "LIMIT", "1000",
                                                       "90", NULL), ==, -1);
}

static void
test_commission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(Response) in_bnb = NULL;
  g_autoptr(Response) in_base = NULL;
  g_autoptr(Response) no_bnb = NULL;
  JsonObject *fill;

  fake_exchange_set_balance (f->exchange, HMAC_KEY, "BNB", "1");
  fake_exchange_set_commission (f->exchange, "0.00075", FAKE_COMMISSION_ASSET, "BNB", "300");
  in_bnb = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=3");
  fill = json_array_get_object_element (bourse_json_get_array (ok (in_bnb), "fills"), 0);
  g_assert_cmpstr (bourse_json_get_string (fill, "commissionAsset"), ==, "BNB");
  g_assert_cmpstr (bourse_json_get_string (fill, "commission"), ==, "0.00075000");
  assert_balance (f, HMAC_KEY, "BNB", "0.99925000", "0.00000000");
  assert_balance (f, HMAC_KEY, "USDT", "9700.00000000", "0.00000000");

  /* Without BNB, the usual way. */
  fake_exchange_set_balance (f->exchange, HMAC_KEY, "BNB", "0");
  no_bnb = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=1");
  fill = json_array_get_object_element (bourse_json_get_array (ok (no_bnb), "fills"), 0);
  g_assert_cmpstr (bourse_json_get_string (fill, "commissionAsset"), ==, "USDT");
  g_assert_cmpstr (bourse_json_get_string (fill, "commission"), ==, "0.07500000");

  /* In the asset received: the base on a buy. */
  fake_exchange_set_commission (f->exchange, "0.001", FAKE_COMMISSION_RECEIVED, NULL, NULL);
  in_base = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1");
  fill = json_array_get_object_element (bourse_json_get_array (ok (in_base), "fills"), 0);
  g_assert_cmpstr (bourse_json_get_string (fill, "commissionAsset"), ==, "BTC");
  g_assert_cmpstr (bourse_json_get_string (fill, "commission"), ==, "0.00100000");
  assert_balance (f, HMAC_KEY, "BTC", "3.99900000", "0.00000000");
}

static void
test_requests (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(Response) placed = api (f, "POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT"
                                    "&timeInForce=GTC&quantity=0.1&price=90&newClientOrderId=r1");
  g_autoptr(Response) queried = api (f, "GET", "/api/v3/order", "symbol=BTCUSDT&orderId=10001");
  const FakeApiRequest *request;

  ok (placed);
  ok (queried);
  g_assert_cmpuint (fake_exchange_get_n_api_requests (f->exchange), ==, 2);
  g_assert_cmpuint (fake_exchange_count_api_requests (f->exchange, "POST", "/api/v3/order"), ==, 1);
  g_assert_cmpuint (fake_exchange_count_api_requests (f->exchange, NULL, "/api/v3/order"), ==, 2);
  request = fake_exchange_get_api_request (f->exchange, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->api_key, ==, HMAC_KEY);
  g_assert_cmpstr (g_hash_table_lookup (request->params, "newClientOrderId"), ==, "r1");
  g_assert_cmpstr (g_hash_table_lookup (request->params, "price"), ==, "90");
  g_assert_nonnull (g_hash_table_lookup (request->params, "signature"));
  g_assert_cmpuint (request->status, ==, 200);
  g_assert_cmpint (request->code, ==, 0);
  request = fake_exchange_get_api_request (f->exchange, 1);
  g_assert_cmpstr (g_hash_table_lookup (request->params, "orderId"), ==, "10001");
  fake_exchange_clear_api_requests (f->exchange);
  g_assert_cmpuint (fake_exchange_get_n_api_requests (f->exchange), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/fake-exchange/orders/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("time-and-info", test_time_and_info);
  ADD ("signatures", test_signatures);
  ADD ("timestamps", test_timestamps);
  ADD ("filters", test_filters);
  ADD ("insufficient", test_insufficient);
  ADD ("market", test_market);
  ADD ("limit", test_limit);
  ADD ("cancel", test_cancel);
  ADD ("oco", test_oco);
  ADD ("order-limits", test_order_limits);
  ADD ("accept-then-silence", test_accept_then_silence);
  ADD ("refusals", test_refusals);
  ADD ("external", test_external);
  ADD ("commission", test_commission);
  ADD ("requests", test_requests);
#undef ADD

  return g_test_run ();
}
