/* test-binance-user-stream.c — the user data stream over Binance's WebSocket API, against the fake exchange
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"
#include "exchange/bourse-binance-user-stream.h"

#include "bourse-test-server.h"
#include "fake-exchange.h"
#include "fake-exchange-private.h"
#include "fake-exchange-user-stream.h"

#define HMAC_KEY    "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
#define HMAC_SECRET "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"
#define ED_KEY      "edkey0001"
/* RFC 8032's second test key, as tests/unit/test-binance-signer.c has it. */
#define ED_PEM      "-----BEGIN PRIVATE KEY-----\n" \
                    "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n" \
                    "-----END PRIVATE KEY-----\n"

static BourseBinanceSigner *
make_signer (const char *api_key,
             const char *secret)
{
  g_autoptr(GBytes) bytes = g_bytes_new (secret, strlen (secret));
  g_autoptr(GError) error = NULL;
  BourseBinanceSigner *signer = bourse_binance_signer_new (api_key, bytes, &error);

  g_assert_no_error (error);
  return signer;
}

/* What the stream said, in order. */
typedef struct
{
  BourseBinanceUserStream *stream;
  GPtrArray               *events;         /* JSON text of each event */
  GArray                  *subscribed;     /* gboolean: after_gap of each "subscribed" */
  GPtrArray               *unsubscribed;   /* reasons */
} Watch;

static void
event_cb (BourseBinanceUserStream *stream,
          JsonObject              *event,
          Watch                   *watch)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), event);

  g_ptr_array_add (watch->events, bourse_json_to_string (node, NULL));
}

static void
subscribed_cb (BourseBinanceUserStream *stream,
               gboolean                 after_gap,
               Watch                   *watch)
{
  g_test_message ("subscribed%s", after_gap ? " after a gap" : "");
  g_assert_true (bourse_binance_user_stream_is_subscribed (stream));
  g_array_append_val (watch->subscribed, after_gap);
}

static void
unsubscribed_cb (BourseBinanceUserStream *stream,
                 const char              *reason,
                 Watch                   *watch)
{
  g_test_message ("unsubscribed: %s", reason);
  g_assert_false (bourse_binance_user_stream_is_subscribed (stream));
  g_ptr_array_add (watch->unsubscribed, g_strdup (reason));
}

static Watch *
watch_new (BourseConfig        *config,
           BourseBinanceSigner *signer)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->stream = bourse_binance_user_stream_new (config, signer);
  watch->events = g_ptr_array_new_with_free_func (g_free);
  watch->subscribed = g_array_new (FALSE, TRUE, sizeof (gboolean));
  watch->unsubscribed = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (watch->stream, "event", G_CALLBACK (event_cb), watch);
  g_signal_connect (watch->stream, "subscribed", G_CALLBACK (subscribed_cb), watch);
  g_signal_connect (watch->stream, "unsubscribed", G_CALLBACK (unsubscribed_cb), watch);
  return watch;
}

static void
watch_free (Watch *watch)
{
  bourse_binance_user_stream_stop (watch->stream);
  g_signal_handlers_disconnect_by_data (watch->stream, watch);
  g_assert_finalize_object (watch->stream);
  g_ptr_array_unref (watch->events);
  g_array_unref (watch->subscribed);
  g_ptr_array_unref (watch->unsubscribed);
  g_free (watch);
  /* Let the closing handshakes finish before the exchange goes. */
  bourse_test_spin (50);
}

typedef struct
{
  const guint *len;
  guint        n;
} Count;

static gboolean
has_grown (gpointer data)
{
  Count *count = data;

  return *count->len >= count->n;
}

/* Until @len (a GArray's or GPtrArray's) is at least @n. */
static void
wait_len (const guint *len,
          guint        n,
          const char  *what)
{
  Count count = { len, n };

  bourse_test_wait_until (has_grown, &count, 10000, what);
}

#define wait_subscribed(watch, n)   wait_len (&(watch)->subscribed->len, (n), "a subscription")
#define wait_unsubscribed(watch, n) wait_len (&(watch)->unsubscribed->len, (n), "a subscription to end")
#define wait_events(watch, n)       wait_len (&(watch)->events->len, (n), "events")

/* An exchange that knows the HMAC key, a stream of that key's account
 * pointed at it, and what the stream says. */
typedef struct
{
  FakeExchange        *exchange;
  BourseConfig        *config;
  BourseBinanceSigner *signer;
  Watch               *watch;
} Fixture;

static Fixture *
fixture_new (const char * const *settings,
             const char         *api_key,
             const char         *secret)
{
  Fixture *fixture = g_new0 (Fixture, 1);

  fixture->exchange = fake_exchange_new ();
  fake_exchange_add_key (fixture->exchange, HMAC_KEY, HMAC_SECRET, TRUE, FALSE);
  fixture->config = fake_exchange_make_config (fixture->exchange, settings);
  fixture->signer = make_signer (api_key, secret);
  fixture->watch = watch_new (fixture->config, fixture->signer);
  return fixture;
}

/* Started, and subscribed once. */
static Fixture *
fixture_subscribed (const char * const *settings)
{
  Fixture *fixture = fixture_new (settings, HMAC_KEY, HMAC_SECRET);

  bourse_binance_user_stream_start (fixture->watch->stream);
  wait_subscribed (fixture->watch, 1);
  g_assert_false (g_array_index (fixture->watch->subscribed, gboolean, 0));
  return fixture;
}

static void
fixture_free (Fixture *fixture)
{
  if (fixture->watch != NULL)
    watch_free (fixture->watch);
  bourse_binance_signer_unref (fixture->signer);
  g_object_unref (fixture->config);
  fake_exchange_free (fixture->exchange);
  g_free (fixture);
}

static JsonObject *
status_of (BourseBinanceUserStream *stream,
           JsonNode               **node)
{
  *node = bourse_binance_user_stream_status_json (stream);
  return json_node_get_object (*node);
}

static void
assert_status (BourseBinanceUserStream *stream,
               gboolean                 running,
               gboolean                 subscribed,
               gint64                   reconnects)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *status = status_of (stream, &node);

  g_assert_cmpint (json_object_get_boolean_member (status, "running"), ==, running);
  g_assert_cmpint (json_object_get_boolean_member (status, "subscribed"), ==, subscribed);
  if (subscribed)
    g_assert_true (json_object_get_boolean_member (status, "connected"));
  g_assert_cmpint (json_object_get_int_member (status, "reconnects"), ==, reconnects);
}

static char *
execution_report (const char *client_order_id,
                  gint64      trade_id)
{
  return g_strdup_printf ("{\"e\":\"executionReport\",\"E\":1704067200000,\"s\":\"BTCUSDT\",\"c\":\"%s\","
                          "\"S\":\"BUY\",\"o\":\"LIMIT\",\"q\":\"0.01000000\",\"p\":\"42000.00000000\","
                          "\"x\":\"TRADE\",\"X\":\"PARTIALLY_FILLED\",\"i\":7,\"l\":\"0.00500000\","
                          "\"z\":\"0.00500000\",\"L\":\"42000.00000000\",\"n\":\"0.00000500\",\"N\":\"BTC\","
                          "\"T\":1704067200000,\"t\":%" G_GINT64_FORMAT "}",
                          client_order_id, trade_id);
}

static void
assert_event_type (Watch      *watch,
                   guint       index,
                   const char *type)
{
  const char *text = g_ptr_array_index (watch->events, index);
  g_autoptr(JsonNode) root = bourse_json_parse (text, strlen (text), 0, NULL);

  g_assert_nonnull (root);
  g_assert_cmpstr (bourse_json_get_string (json_node_get_object (root), "e"), ==, type);
}

static void
subscribe_and_deliver (const char *api_key,
                       const char *secret)
{
  Fixture *fixture = fixture_new (NULL, api_key, secret);
  FakeExchange *exchange = fixture->exchange;
  Watch *watch = fixture->watch;
  g_autofree char *first = execution_report ("bourse-1", 100);
  g_autofree char *second = execution_report ("bourse-1", 101);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *status;

  fake_exchange_add_key (exchange, api_key, secret, TRUE, FALSE);
  fake_exchange_add_key (exchange, "someoneelse", "another secret", TRUE, FALSE);
  assert_status (watch->stream, FALSE, FALSE, 0);
  bourse_binance_user_stream_start (watch->stream);
  wait_subscribed (watch, 1);
  g_assert_false (g_array_index (watch->subscribed, gboolean, 0));
  g_assert_cmpuint (fake_exchange_get_n_user_subscriptions (exchange), ==, 1);
  g_assert_cmpuint (fake_exchange_get_n_user_subscribe_requests (exchange), ==, 1);
  assert_status (watch->stream, TRUE, TRUE, 0);
  status = status_of (watch->stream, &node);
  g_assert_true (json_node_is_null (json_object_get_member (status, "last_event_at")));
  g_assert_true (json_node_is_null (json_object_get_member (status, "last_error")));
  g_clear_pointer (&node, json_node_unref);

  /* In the order they came; other accounts' and unknown kinds stay out. */
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, api_key, first), ==, 1);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, "someoneelse", second), ==, 0);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, api_key,
                                                   "{\"e\":\"outboundAccountPosition\",\"E\":1704067200001,"
                                                   "\"u\":1704067200001,\"B\":[{\"a\":\"BTC\",\"f\":\"0.00500000\","
                                                   "\"l\":\"0.00000000\"}]}"), ==, 1);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, api_key,
                                                   "{\"e\":\"externalLockUpdate\",\"E\":1704067200002}"), ==, 1);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, api_key,
                                                   "{\"e\":\"balanceUpdate\",\"E\":1704067200003,\"a\":\"USDT\","
                                                   "\"d\":\"100.00000000\",\"T\":1704067200003}"), ==, 1);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, api_key,
                                                   "{\"e\":\"listStatus\",\"E\":1704067200004,\"s\":\"BTCUSDT\","
                                                   "\"g\":2,\"c\":\"OCO\",\"l\":\"EXEC_STARTED\"}"), ==, 1);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, api_key, second), ==, 1);
  wait_events (watch, 5);
  g_assert_cmpstr (g_ptr_array_index (watch->events, 0), ==, first);
  assert_event_type (watch, 1, "outboundAccountPosition");
  assert_event_type (watch, 2, "balanceUpdate");
  assert_event_type (watch, 3, "listStatus");
  g_assert_cmpstr (g_ptr_array_index (watch->events, 4), ==, second);
  bourse_test_spin (100);
  g_assert_cmpuint (watch->events->len, ==, 5);

  status = status_of (watch->stream, &node);
  g_assert_nonnull (json_object_get_string_member (status, "last_event_at"));
  g_assert_cmpuint (watch->unsubscribed->len, ==, 0);

  bourse_binance_user_stream_stop (watch->stream);
  assert_status (watch->stream, FALSE, FALSE, 0);
  g_assert_cmpuint (watch->unsubscribed->len, ==, 0);
  fixture_free (fixture);
}

static void
test_hmac (void)
{
  subscribe_and_deliver (HMAC_KEY, HMAC_SECRET);
}

static void
test_ed25519 (void)
{
  subscribe_and_deliver (ED_KEY, ED_PEM);
}

/* The order side's events (fake_exchange_user_event) reach every
 * subscription of the key: two streams of one account both get them. */
static void
test_two_streams (void)
{
  Fixture *fixture = fixture_subscribed (NULL);
  Watch *one = fixture->watch;
  Watch *two = watch_new (fixture->config, fixture->signer);
  g_autoptr(JsonObject) event = json_object_new ();

  bourse_binance_user_stream_start (two->stream);
  wait_subscribed (two, 1);
  g_assert_cmpuint (fake_exchange_get_n_user_subscriptions (fixture->exchange), ==, 2);

  json_object_set_string_member (event, "e", "executionReport");
  json_object_set_int_member (event, "E", 1704067200000);
  json_object_set_string_member (event, "c", "bourse-2");
  g_assert_cmpuint (fake_exchange_user_event (fixture->exchange, HMAC_KEY, event), ==, 2);
  wait_events (one, 1);
  wait_events (two, 1);
  g_assert_cmpstr (g_ptr_array_index (one->events, 0), ==, g_ptr_array_index (two->events, 0));

  watch_free (two);
  fixture_free (fixture);
}

/* Keys Binance refuses: one request, "unsubscribed", and no more tries. */
static void
refused (const char *api_key,
         const char *secret,
         int         code)
{
  Fixture *fixture = fixture_new (NULL, api_key, secret);
  FakeExchange *exchange = fixture->exchange;
  Watch *watch = fixture->watch;
  g_autofree char *code_text = g_strdup_printf ("code %d", code);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *status;

  bourse_binance_user_stream_start (watch->stream);
  wait_unsubscribed (watch, 1);
  g_assert_cmpint (fake_exchange_get_last_user_subscribe_error (exchange), ==, code);
  g_assert_nonnull (strstr (g_ptr_array_index (watch->unsubscribed, 0), code_text));
  status = status_of (watch->stream, &node);
  g_assert_false (json_object_get_boolean_member (status, "running"));
  g_assert_false (json_object_get_boolean_member (status, "connected"));
  g_assert_nonnull (strstr (json_object_get_string_member (status, "last_error"), code_text));

  /* Ten first back-offs' worth of quiet. */
  bourse_test_spin (500);
  g_assert_cmpuint (fake_exchange_get_n_user_subscribe_requests (exchange), ==, 1);
  g_assert_cmpuint (fake_exchange_get_n_user_stream_accepts (exchange), ==, 1);
  g_assert_cmpuint (watch->subscribed->len, ==, 0);
  g_assert_cmpuint (watch->unsubscribed->len, ==, 1);

  fixture_free (fixture);
}

static void
test_wrong_signature (void)
{
  refused (HMAC_KEY, "not the secret", -1022);
}

static void
test_unknown_key (void)
{
  refused ("unknownkey", HMAC_SECRET, -2015);
}

static void
test_ed25519_wrong_key (void)
{
  /* The Ed25519 key given for the HMAC key's account. */
  refused (HMAC_KEY, ED_PEM, -1022);
}

/* Subscribes a new stream of @fixture's account; returns its clock offset. */
static gint64
subscribe_again (Fixture  *fixture,
                 gboolean  share_offset,
                 gint64    offset_ms)
{
  watch_free (fixture->watch);
  fixture->watch = watch_new (fixture->config, fixture->signer);
  if (share_offset)
    {
      bourse_binance_user_stream_set_clock_offset (fixture->watch->stream, offset_ms);
      g_assert_cmpint (bourse_binance_user_stream_get_clock_offset (fixture->watch->stream), ==, offset_ms);
    }
  bourse_binance_user_stream_start (fixture->watch->stream);
  wait_subscribed (fixture->watch, 1);
  g_assert_cmpuint (fixture->watch->unsubscribed->len, ==, 0);
  return bourse_binance_user_stream_get_clock_offset (fixture->watch->stream);
}

/* Binance's clock 2 s behind ours: the timestamp is ahead of it, -1021;
 * the stream reads the clock and subscribes. */
static void
test_clock_skew (void)
{
  Fixture *fixture = fixture_new (NULL, HMAC_KEY, HMAC_SECRET);
  FakeExchange *exchange = fixture->exchange;
  gint64 offset;

  fake_exchange_set_clock_skew_ms (exchange, -2000);
  offset = subscribe_again (fixture, FALSE, 0);
  g_assert_cmpuint (fake_exchange_get_n_user_subscribe_requests (exchange), ==, 2);
  g_assert_cmpuint (fake_exchange_get_n_user_stream_accepts (exchange), ==, 1);
  /* Off by at most half the round trip on loopback. */
  g_assert_cmpint (offset, <, -1000);
  g_assert_cmpint (offset, >, -3000);

  /* An offset the broker measured is used from the first request on. */
  subscribe_again (fixture, TRUE, -2000);
  g_assert_cmpuint (fake_exchange_get_n_user_subscribe_requests (exchange), ==, 3);

  /* Binance's clock ahead by 2 s: within the receive window as it is. */
  fake_exchange_set_clock_skew_ms (exchange, 2000);
  offset = subscribe_again (fixture, FALSE, 0);
  g_assert_cmpuint (fake_exchange_get_n_user_subscribe_requests (exchange), ==, 4);
  g_assert_cmpint (offset, ==, 0);

  fixture_free (fixture);
}

static gboolean
refused_thrice (gpointer data)
{
  return fake_exchange_get_n_user_stream_refusals (data) >= 3;
}

/* Dropped without a close frame: "unsubscribed", then back, with the gap
 * reported; refused for a while: tries further and further apart. */
static void
test_reconnect (void)
{
  Fixture *fixture = fixture_subscribed (NULL);
  FakeExchange *exchange = fixture->exchange;
  Watch *watch = fixture->watch;
  g_autofree char *before = execution_report ("bourse-3", 200);
  g_autofree char *after = execution_report ("bourse-3", 201);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *status;
  gint64 dropped_at;

  fake_exchange_push_user_event (exchange, HMAC_KEY, before);
  wait_events (watch, 1);

  fake_exchange_drop_user_streams (exchange);
  wait_unsubscribed (watch, 1);
  wait_subscribed (watch, 2);
  g_assert_true (g_array_index (watch->subscribed, gboolean, 1));
  g_assert_cmpuint (fake_exchange_get_n_user_stream_accepts (exchange), ==, 2);
  assert_status (watch->stream, TRUE, TRUE, 1);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, HMAC_KEY, after), ==, 1);
  wait_events (watch, 2);
  g_assert_cmpstr (g_ptr_array_index (watch->events, 1), ==, after);

  /* Refused three times: the waits are at least 50, 100 and 200 ms
   * (timers never fire early), jitter only adds. */
  fake_exchange_set_refuse_user_streams (exchange, TRUE);
  dropped_at = g_get_monotonic_time ();
  fake_exchange_drop_user_streams (exchange);
  bourse_test_wait_until (refused_thrice, exchange, 10000, "three refused reconnects");
  g_assert_cmpint (g_get_monotonic_time () - dropped_at, >=, 350 * 1000);
  g_assert_cmpuint (watch->unsubscribed->len, ==, 2);
  status = status_of (watch->stream, &node);
  g_assert_false (json_object_get_boolean_member (status, "subscribed"));
  g_assert_nonnull (strstr (json_object_get_string_member (status, "last_error"), "Cannot connect"));
  /* Each refusal was a reconnect; the next may be under way. */
  g_assert_cmpint (json_object_get_int_member (status, "reconnects"), >=, 4);
  fake_exchange_set_refuse_user_streams (exchange, FALSE);
  wait_subscribed (watch, 3);
  g_assert_true (g_array_index (watch->subscribed, gboolean, 2));
  g_assert_cmpuint (fake_exchange_get_n_user_subscriptions (exchange), ==, 1);

  fixture_free (fixture);
}

/* Nothing for stream_idle_timeout: the connection counts as dead. */
static void
test_idle (void)
{
  const char * const settings[] = { "binance", "stream_idle_timeout", "1", NULL };
  Fixture *fixture = fixture_subscribed (settings);
  Watch *watch = fixture->watch;

  wait_unsubscribed (watch, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (watch->unsubscribed, 0), "Nothing came"));
  wait_subscribed (watch, 2);
  g_assert_true (g_array_index (watch->subscribed, gboolean, 1));
  g_assert_cmpuint (fake_exchange_get_n_user_stream_accepts (fixture->exchange), >=, 2);

  fixture_free (fixture);
}

/* Binance ends the subscription (the connection stays): subscribe again,
 * after a gap. */
static void
test_terminated (void)
{
  Fixture *fixture = fixture_subscribed (NULL);
  FakeExchange *exchange = fixture->exchange;
  Watch *watch = fixture->watch;
  g_autofree char *event = execution_report ("bourse-4", 300);

  g_assert_cmpuint (fake_exchange_terminate_user_streams (exchange, HMAC_KEY), ==, 1);
  wait_unsubscribed (watch, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (watch->unsubscribed, 0), "ended"));
  wait_subscribed (watch, 2);
  g_assert_true (g_array_index (watch->subscribed, gboolean, 1));
  g_assert_cmpuint (fake_exchange_get_n_user_subscriptions (exchange), ==, 1);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, HMAC_KEY, event), ==, 1);
  wait_events (watch, 1);
  g_assert_cmpuint (watch->events->len, ==, 1);
  g_assert_cmpuint (watch->unsubscribed->len, ==, 1);

  fixture_free (fixture);
}

static gboolean
renewed (gpointer data)
{
  return fake_exchange_get_n_user_stream_accepts (data) >= 2 && fake_exchange_get_n_user_subscriptions (data) == 1;
}

/* A short lifetime: the connection is replaced before it would be cut,
 * with no gap. */
static void
test_renewal (void)
{
  const char * const settings[] = { "binance", "stream_lifetime", "1", NULL };
  Fixture *fixture = fixture_subscribed (settings);
  Watch *watch = fixture->watch;

  wait_subscribed (watch, 2);
  bourse_test_wait_until (renewed, fixture->exchange, 5000, "the old connection to close");
  for (guint i = 0; i < watch->subscribed->len; i++)
    g_assert_false (g_array_index (watch->subscribed, gboolean, i));
  g_assert_cmpuint (watch->unsubscribed->len, ==, 0);
  assert_status (watch->stream, TRUE, TRUE, 0);

  fixture_free (fixture);
}

static gboolean
two_subscriptions (gpointer data)
{
  return fake_exchange_get_n_user_subscriptions (data) == 2;
}

/* serverShutdown: the stream moves to a new connection at once. An event
 * of the moment both subscriptions exist comes on both, and is delivered
 * once. */
static void
test_server_shutdown (void)
{
  Fixture *fixture = fixture_subscribed (NULL);
  FakeExchange *exchange = fixture->exchange;
  Watch *watch = fixture->watch;
  g_autofree char *both = execution_report ("bourse-5", 400);
  g_autofree char *later = execution_report ("bourse-5", 401);

  /* The exchange subscribes the new connection; the client does not know yet. */
  fake_exchange_set_hold_user_answers (exchange, TRUE);
  fake_exchange_announce_user_stream_shutdown (exchange);
  bourse_test_wait_until (two_subscriptions, exchange, 5000, "the second subscription");
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, HMAC_KEY, both), ==, 2);
  wait_events (watch, 1);
  g_assert_cmpuint (watch->subscribed->len, ==, 1);

  fake_exchange_set_hold_user_answers (exchange, FALSE);
  wait_subscribed (watch, 2);
  g_assert_false (g_array_index (watch->subscribed, gboolean, 1));
  bourse_test_wait_until (renewed, exchange, 5000, "the old connection to close");
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, HMAC_KEY, later), ==, 1);
  wait_events (watch, 2);
  bourse_test_spin (100);
  g_assert_cmpuint (watch->events->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (watch->events, 0), ==, both);
  g_assert_cmpstr (g_ptr_array_index (watch->events, 1), ==, later);
  g_assert_cmpuint (watch->unsubscribed->len, ==, 0);

  fixture_free (fixture);
}

/* A message above the size limit ends the connection (1009, "message too
 * big") before it is read whole; the stream comes back. */
static void
test_oversized (void)
{
  Fixture *fixture = fixture_subscribed (NULL);
  FakeExchange *exchange = fixture->exchange;
  Watch *watch = fixture->watch;
  g_autofree char *padding = g_strnfill (2 * 1024 * 1024, 'x');
  g_autofree char *huge = g_strdup_printf ("{\"e\":\"executionReport\",\"E\":1,\"c\":\"%s\"}", padding);
  g_autofree char *event = execution_report ("bourse-6", 500);

  g_assert_cmpuint (fake_exchange_push_user_event (exchange, HMAC_KEY, huge), ==, 1);
  wait_unsubscribed (watch, 1);
  wait_subscribed (watch, 2);
  g_assert_true (g_array_index (watch->subscribed, gboolean, 1));
  g_assert_cmpuint (watch->events->len, ==, 0);
  g_assert_cmpuint (fake_exchange_push_user_event (exchange, HMAC_KEY, event), ==, 1);
  wait_events (watch, 1);
  g_assert_cmpstr (g_ptr_array_index (watch->events, 0), ==, event);

  fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/binance/user-stream/hmac", test_hmac);
  g_test_add_func ("/binance/user-stream/ed25519", test_ed25519);
  g_test_add_func ("/binance/user-stream/two-streams", test_two_streams);
  g_test_add_func ("/binance/user-stream/wrong-signature", test_wrong_signature);
  g_test_add_func ("/binance/user-stream/unknown-key", test_unknown_key);
  g_test_add_func ("/binance/user-stream/ed25519-wrong-key", test_ed25519_wrong_key);
  g_test_add_func ("/binance/user-stream/clock-skew", test_clock_skew);
  g_test_add_func ("/binance/user-stream/reconnect", test_reconnect);
  g_test_add_func ("/binance/user-stream/idle", test_idle);
  g_test_add_func ("/binance/user-stream/terminated", test_terminated);
  g_test_add_func ("/binance/user-stream/renewal", test_renewal);
  g_test_add_func ("/binance/user-stream/server-shutdown", test_server_shutdown);
  g_test_add_func ("/binance/user-stream/oversized", test_oversized);

  return g_test_run ();
}
