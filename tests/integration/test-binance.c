/* test-binance.c — the Binance REST and WebSocket clients against the fake exchange
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "market/bourse-binance-rest.h"
#include "market/bourse-binance-stream.h"

#include "bourse-test-server.h"
#include "fake-exchange.h"

#define MINUTE G_GINT64_CONSTANT (60000)
/* 2024-01-01T00:00:00Z */
#define T0     G_GINT64_CONSTANT (1704067200000)

/* REST {{{ */

typedef struct
{
  guint reason;
  guint delay_ms;
} Wait;

typedef struct
{
  GArray   *candles;   /* BourseCandle */
  GArray   *pages;     /* guint: the size of each page */
  GArray   *waits;     /* Wait */
  gboolean  done;
  gboolean  ok;
  guint64   n_candles;
  GError   *error;
  gint64    started_us;
  gint64    elapsed_us;
  GCancellable *cancel_on_page;   /* cancelled after the first page */
} Fetch;

static gboolean
page_cb (const BourseCandle  *candles,
         gsize                n_candles,
         gpointer             user_data,
         GError             **error)
{
  Fetch *fetch = user_data;
  guint n = n_candles;

  g_array_append_vals (fetch->candles, candles, n_candles);
  g_array_append_val (fetch->pages, n);
  if (fetch->cancel_on_page != NULL)
    g_cancellable_cancel (fetch->cancel_on_page);
  return TRUE;
}

static void
waiting_cb (BourseBinanceRest *rest,
            guint              reason,
            guint              delay_ms,
            guint              attempt,
            Fetch             *fetch)
{
  Wait wait = { reason, delay_ms };

  g_array_append_val (fetch->waits, wait);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->ok = bourse_binance_rest_fetch_klines_finish (BOURSE_BINANCE_REST (object), result, &fetch->n_candles,
                                                       &fetch->error);
  fetch->elapsed_us = g_get_monotonic_time () - fetch->started_us;
  fetch->done = TRUE;
}

static gboolean
fetch_done (gpointer data)
{
  return ((Fetch *)data)->done;
}

static Fetch *
fetch (BourseBinanceRest *rest,
       const char        *symbol,
       BourseInterval     interval,
       gint64             start,
       gint64             end,
       GCancellable      *cancellable)
{
  Fetch *fetch = g_new0 (Fetch, 1);
  gulong handler;

  fetch->candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  fetch->pages = g_array_new (FALSE, TRUE, sizeof (guint));
  fetch->waits = g_array_new (FALSE, TRUE, sizeof (Wait));
  fetch->started_us = g_get_monotonic_time ();
  handler = g_signal_connect (rest, "waiting", G_CALLBACK (waiting_cb), fetch);
  bourse_binance_rest_fetch_klines_async (rest, symbol, interval, start, end, page_cb, fetch, cancellable,
                                          fetched_cb, fetch);
  bourse_test_wait_until (fetch_done, fetch, 30000, "a kline fetch");
  g_signal_handler_disconnect (rest, handler);
  return fetch;
}

static void
fetch_free (Fetch *fetch)
{
  g_array_unref (fetch->candles);
  g_array_unref (fetch->pages);
  g_array_unref (fetch->waits);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static void
assert_candle_equal (const BourseCandle *got,
                     const BourseCandle *want)
{
  g_assert_cmpint (got->open_time, ==, want->open_time);
  g_assert_cmpint (got->open.units, ==, want->open.units);
  g_assert_cmpint (got->high.units, ==, want->high.units);
  g_assert_cmpint (got->low.units, ==, want->low.units);
  g_assert_cmpint (got->close.units, ==, want->close.units);
  g_assert_cmpint (got->volume.units, ==, want->volume.units);
  g_assert_cmpint (got->trades, ==, want->trades);
  g_assert_cmpint (got->closed, ==, want->closed);
}

/* 2500 one-minute candles: three pages, complete, in order, exact. */
static void
test_rest_pages (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, NULL);
  g_autoptr(BourseBinanceRest) rest = bourse_binance_rest_new (config);
  gint64 end = T0 + 2499 * MINUTE;
  g_autoptr(Fetch) f = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, end, NULL);

  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpuint (f->n_candles, ==, 2500);
  g_assert_cmpuint (f->candles->len, ==, 2500);
  g_assert_cmpuint (f->pages->len, ==, 3);
  g_assert_cmpuint (g_array_index (f->pages, guint, 0), ==, 1000);
  g_assert_cmpuint (g_array_index (f->pages, guint, 1), ==, 1000);
  g_assert_cmpuint (g_array_index (f->pages, guint, 2), ==, 500);
  for (guint i = 0; i < f->candles->len; i++)
    {
      BourseCandle want;

      fake_exchange_kline ("BTCUSDT", BOURSE_INTERVAL_1M, T0 + i * MINUTE, &want);
      assert_candle_equal (&g_array_index (f->candles, BourseCandle, i), &want);
    }

  /* Binance's pagination: each page starts after the last one it got. */
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const FakeRequest *request = fake_exchange_get_request (exchange, i);

      g_assert_cmpstr (request->symbol, ==, "BTCUSDT");
      g_assert_cmpstr (request->interval, ==, "1m");
      g_assert_cmpint (request->start_time, ==, T0 + i * 1000 * MINUTE);
      g_assert_cmpint (request->end_time, ==, end);
      g_assert_cmpint (request->limit, ==, 1000);
    }
  g_assert_cmpuint (bourse_binance_rest_get_n_requests (rest), ==, 3);
  g_assert_cmpuint (bourse_binance_rest_get_used_weight (rest), ==, 6);
  g_assert_cmpuint (f->waits->len, ==, 0);

  /* A day of 1h candles and a range that ends in a partial page. */
  {
    g_autoptr(Fetch) hours = fetch (rest, "ETHUSDT", BOURSE_INTERVAL_1H, T0 + 1, T0 + 24 * 60 * MINUTE, NULL);

    g_assert_no_error (hours->error);
    /* Open times from the first whole hour after start, up to end inclusive. */
    g_assert_cmpuint (hours->candles->len, ==, 24);
    g_assert_cmpint (g_array_index (hours->candles, BourseCandle, 0).open_time, ==, T0 + 60 * MINUTE);
    g_assert_cmpint (g_array_index (hours->candles, BourseCandle, 23).open_time, ==, T0 + 24 * 60 * MINUTE);
  }

  fake_exchange_free (exchange);
}

static gint64
request_gap_ms (FakeExchange *exchange,
                guint         index)
{
  return (fake_exchange_get_request (exchange, index)->at_us
          - fake_exchange_get_request (exchange, index - 1)->at_us) / 1000;
}

/* 500, 503, 503, then success: three back-offs, each longer than the last. */
static void
test_rest_server_errors (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, NULL);
  g_autoptr(BourseBinanceRest) rest = bourse_binance_rest_new (config);
  g_autoptr(Fetch) f = NULL;

  fake_exchange_answer (exchange, FAKE_ANSWER_500, 1);
  fake_exchange_answer (exchange, FAKE_ANSWER_503, 2);
  f = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 9 * MINUTE, NULL);

  g_assert_no_error (f->error);
  g_assert_cmpuint (f->candles->len, ==, 10);
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 4);
  g_assert_cmpuint (fake_exchange_get_request (exchange, 0)->status, ==, 500);
  g_assert_cmpuint (fake_exchange_get_request (exchange, 1)->status, ==, 503);
  g_assert_cmpuint (fake_exchange_get_request (exchange, 3)->status, ==, 200);

  g_assert_cmpuint (f->waits->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      Wait *wait = &g_array_index (f->waits, Wait, i);
      guint base = 50u << i;

      g_test_message ("back-off %u: %u ms, request gap %" G_GINT64_FORMAT " ms", i + 1, wait->delay_ms,
                      request_gap_ms (exchange, i + 1));
      g_assert_cmpuint (wait->reason, ==, BOURSE_BINANCE_WAIT_BACKOFF);
      /* base × 2^i, plus at most half of it again as jitter. */
      g_assert_cmpuint (wait->delay_ms, >=, base);
      g_assert_cmpuint (wait->delay_ms, <=, base + base / 2);
      g_assert_cmpint (request_gap_ms (exchange, i + 1), >=, wait->delay_ms);
      if (i > 0)
        g_assert_cmpint (request_gap_ms (exchange, i + 1), >, request_gap_ms (exchange, i));
    }

  /* A 4xx other than 429/418 is Binance refusing: no retry. */
  fake_exchange_clear_requests (exchange);
  {
    g_autoptr(Fetch) refused = fetch (rest, "", BOURSE_INTERVAL_1M, T0, T0, NULL);

    g_assert_error (refused->error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_REFUSED);
    g_assert_nonnull (strstr (refused->error->message, "Mandatory parameter"));
    g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 1);
  }

  /* Too many failures: the last problem is reported. */
  fake_exchange_clear_requests (exchange);
  fake_exchange_answer (exchange, FAKE_ANSWER_503, 5);
  {
    g_autoptr(Fetch) failed = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0, NULL);

    g_assert_error (failed->error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_UNAVAILABLE);
    g_assert_nonnull (strstr (failed->error->message, "Internal error"));
    g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 5);   /* max_retries 4 */
  }

  fake_exchange_free (exchange);
}

static void
check_retry_after (FakeAnswer answer,
                   guint      status)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char * const settings[] = { "binance", "retry_after_max", "2", NULL };
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, settings);
  g_autoptr(BourseBinanceRest) rest = bourse_binance_rest_new (config);
  g_autoptr(Fetch) f = NULL;
  g_autoptr(Fetch) too_long = NULL;

  fake_exchange_set_retry_after (exchange, 1);
  fake_exchange_answer (exchange, answer, 1);
  f = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 4 * MINUTE, NULL);

  g_assert_no_error (f->error);
  g_assert_cmpuint (f->candles->len, ==, 5);
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 2);
  g_assert_cmpuint (fake_exchange_get_request (exchange, 0)->status, ==, status);
  g_assert_cmpuint (f->waits->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->waits, Wait, 0).reason, ==, BOURSE_BINANCE_WAIT_RETRY_AFTER);
  g_assert_cmpuint (g_array_index (f->waits, Wait, 0).delay_ms, ==, 1000);
  /* Waited out, not hammered. */
  g_assert_cmpint (request_gap_ms (exchange, 1), >=, 1000);
  g_assert_cmpint (f->elapsed_us, >=, 1000 * 1000);

  /* Longer than retry_after_max: reported at once, never asked again. */
  fake_exchange_clear_requests (exchange);
  fake_exchange_set_retry_after (exchange, 30);
  fake_exchange_answer (exchange, answer, 1);
  too_long = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 4 * MINUTE, NULL);
  g_assert_error (too_long->error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (too_long->error->message, "30"));
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 1);
  g_assert_cmpint (too_long->elapsed_us, <, 1000 * 1000);

  fake_exchange_free (exchange);
}

static void
test_rest_429 (void)
{
  check_retry_after (FAKE_ANSWER_429, 429);
}

static void
test_rest_418 (void)
{
  check_retry_after (FAKE_ANSWER_418, 418);
}

/* A bad answer is retried like any failure, then reported for what it is. */
static void
check_bad_body (FakeAnswer          answer,
                BourseBinanceError  code)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char * const settings[] = { "binance", "max_retries", "2", NULL };
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, settings);
  g_autoptr(BourseBinanceRest) rest = bourse_binance_rest_new (config);
  g_autoptr(Fetch) recovered = NULL;
  g_autoptr(Fetch) failed = NULL;

  fake_exchange_answer (exchange, answer, 1);
  recovered = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 99 * MINUTE, NULL);
  g_assert_no_error (recovered->error);
  g_assert_cmpuint (recovered->candles->len, ==, 100);
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 2);
  g_assert_cmpuint (recovered->waits->len, ==, 1);

  fake_exchange_clear_requests (exchange);
  fake_exchange_answer (exchange, answer, 3);
  failed = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 99 * MINUTE, NULL);
  g_test_message ("reported: %s", failed->error ? failed->error->message : "(nothing)");
  g_assert_error (failed->error, BOURSE_BINANCE_ERROR, (int)code);
  g_assert_nonnull (strstr (failed->error->message, "3 attempts"));
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 3);
  g_assert_cmpuint (failed->candles->len, ==, 0);

  fake_exchange_free (exchange);
}

static void
test_rest_malformed (void)
{
  check_bad_body (FAKE_ANSWER_MALFORMED, BOURSE_BINANCE_ERROR_MALFORMED);
}

static void
test_rest_truncated (void)
{
  check_bad_body (FAKE_ANSWER_TRUNCATED, BOURSE_BINANCE_ERROR_UNAVAILABLE);
}

/* An answer slower than request_timeout is a time-out, retried. */
static void
test_rest_timeout (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char * const settings[] = { "binance", "request_timeout", "1", NULL };
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, settings);
  g_autoptr(BourseBinanceRest) rest = bourse_binance_rest_new (config);
  g_autoptr(Fetch) f = NULL;

  fake_exchange_set_slow_ms (exchange, 3000);
  fake_exchange_answer (exchange, FAKE_ANSWER_SLOW, 1);
  f = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 9 * MINUTE, NULL);

  g_assert_no_error (f->error);
  g_assert_cmpuint (f->candles->len, ==, 10);
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 2);
  g_assert_cmpint (request_gap_ms (exchange, 1), >=, 1000);
  g_assert_cmpint (request_gap_ms (exchange, 1), <, 3000);

  fake_exchange_free (exchange);
}

static gboolean
window_just_began (gpointer data)
{
  return (g_get_real_time () / 1000) % 2000 < 100;
}

/* The used weight near the budget: the next request waits for the next window. */
static void
test_rest_weight (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char * const settings[] = {
    "binance", "weight_limit", "100",
    "binance", "weight_window", "2",
    NULL
  };
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, settings);
  g_autoptr(BourseBinanceRest) rest = bourse_binance_rest_new (config);
  g_autoptr(Fetch) first = NULL;
  g_autoptr(Fetch) second = NULL;
  Wait *wait;

  fake_exchange_set_weight_window (exchange, 2);
  fake_exchange_set_weight_base (exchange, 97);   /* 99 after a request: no room for another 2 */

  /* From the start of a window, so that the second request is decided in
   * the same window however slow this machine is. */
  while (!window_just_began (NULL))
    bourse_test_spin (5);
  first = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 4 * MINUTE, NULL);
  g_assert_no_error (first->error);
  g_assert_cmpuint (first->waits->len, ==, 0);
  g_assert_cmpuint (bourse_binance_rest_get_used_weight (rest), ==, 99);

  second = fetch (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0 + 5 * MINUTE, T0 + 9 * MINUTE, NULL);
  g_assert_no_error (second->error);
  g_assert_cmpuint (second->candles->len, ==, 5);
  g_assert_cmpuint (second->waits->len, ==, 1);
  wait = &g_array_index (second->waits, Wait, 0);
  g_assert_cmpuint (wait->reason, ==, BOURSE_BINANCE_WAIT_WEIGHT);
  g_assert_cmpuint (wait->delay_ms, >, 1000);
  g_assert_cmpuint (wait->delay_ms, <=, 2100);
  /* Asked in the next window, not in the one whose budget was spent. */
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 2);
  g_assert_cmpint (fake_exchange_get_request (exchange, 1)->at_ms / 2000, ==,
                   fake_exchange_get_request (exchange, 0)->at_ms / 2000 + 1);

  fake_exchange_free (exchange);
}

/* Cancelling stops at once: while an answer is slow, and between pages. */
static void
test_rest_cancel (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, NULL);
  g_autoptr(BourseBinanceRest) rest = bourse_binance_rest_new (config);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) between = g_cancellable_new ();
  Fetch *f = g_new0 (Fetch, 1);

  fake_exchange_set_delay_ms (exchange, 5000);
  f->candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  f->pages = g_array_new (FALSE, TRUE, sizeof (guint));
  f->waits = g_array_new (FALSE, TRUE, sizeof (Wait));
  f->started_us = g_get_monotonic_time ();
  bourse_binance_rest_fetch_klines_async (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 99 * MINUTE, page_cb, f,
                                          cancellable, fetched_cb, f);
  bourse_test_spin (200);
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), ==, 1);
  g_cancellable_cancel (cancellable);
  bourse_test_wait_until (fetch_done, f, 2000, "the cancelled fetch");
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (f->elapsed_us, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->candles->len, ==, 0);
  fetch_free (f);

  /* Between pages: the first page arrives, nothing after it is asked for. */
  fake_exchange_set_delay_ms (exchange, 0);
  fake_exchange_clear_requests (exchange);
  f = g_new0 (Fetch, 1);
  f->candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  f->pages = g_array_new (FALSE, TRUE, sizeof (guint));
  f->waits = g_array_new (FALSE, TRUE, sizeof (Wait));
  f->cancel_on_page = between;
  bourse_binance_rest_fetch_klines_async (rest, "BTCUSDT", BOURSE_INTERVAL_1M, T0, T0 + 2999 * MINUTE, page_cb, f,
                                          between, fetched_cb, f);
  bourse_test_wait_until (fetch_done, f, 5000, "the fetch cancelled between pages");
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->pages->len, ==, 1);
  g_assert_cmpuint (fake_exchange_get_n_requests (exchange), <=, 2);
  fetch_free (f);

  fake_exchange_free (exchange);
}

/* }}} */

/* WebSocket {{{ */

typedef struct
{
  char         *symbol;
  int           interval;
  BourseCandle  candle;
} Kline;

typedef struct
{
  BourseBinanceStream *stream;
  GArray              *klines;   /* Kline */
  GArray              *states;   /* BourseBinanceStreamState, in order */
} Watch;

static void
kline_cb (BourseBinanceStream *stream,
          const char          *symbol,
          int                  interval,
          const BourseCandle  *candle,
          Watch               *watch)
{
  Kline kline = { g_strdup (symbol), interval, *candle };

  g_array_append_val (watch->klines, kline);
}

static void
state_cb (BourseBinanceStream *stream,
          GParamSpec          *pspec,
          Watch               *watch)
{
  BourseBinanceStreamState state = bourse_binance_stream_get_state (stream);

  g_test_message ("stream %s", bourse_binance_stream_state_to_string (state));
  g_array_append_val (watch->states, state);
}

static void
kline_clear (gpointer data)
{
  g_free (((Kline *)data)->symbol);
}

static Watch *
watch_new (BourseConfig *config)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->stream = bourse_binance_stream_new (config);
  watch->klines = g_array_new (FALSE, TRUE, sizeof (Kline));
  g_array_set_clear_func (watch->klines, kline_clear);
  watch->states = g_array_new (FALSE, TRUE, sizeof (BourseBinanceStreamState));
  g_signal_connect (watch->stream, "kline", G_CALLBACK (kline_cb), watch);
  g_signal_connect (watch->stream, "notify::state", G_CALLBACK (state_cb), watch);
  return watch;
}

static void
watch_free (Watch *watch)
{
  bourse_binance_stream_stop (watch->stream);
  g_signal_handlers_disconnect_by_data (watch->stream, watch);
  g_assert_finalize_object (watch->stream);
  g_array_unref (watch->klines);
  g_array_unref (watch->states);
  g_free (watch);
  /* Let the closing handshakes finish before the exchange goes. */
  bourse_test_spin (50);
}

static gboolean
is_connected (gpointer data)
{
  return bourse_binance_stream_get_state (((Watch *)data)->stream) == BOURSE_BINANCE_STREAM_CONNECTED;
}

static gboolean
is_reconnecting (gpointer data)
{
  return bourse_binance_stream_get_state (((Watch *)data)->stream) == BOURSE_BINANCE_STREAM_RECONNECTING;
}

typedef struct
{
  Watch *watch;
  guint  n;
} Count;

static gboolean
has_klines (gpointer data)
{
  Count *count = data;

  return count->watch->klines->len >= count->n;
}

static void
wait_klines (Watch *watch,
             guint  n)
{
  Count count = { watch, n };

  bourse_test_wait_until (has_klines, &count, 5000, "klines");
}

static void
assert_kline (Watch          *watch,
              guint           index,
              const char     *symbol,
              BourseInterval  interval,
              gint64          open_time,
              gboolean        closed)
{
  Kline *kline = &g_array_index (watch->klines, Kline, index);
  BourseCandle want;

  fake_exchange_kline (symbol, interval, open_time, &want);
  want.closed = closed;
  g_assert_cmpstr (kline->symbol, ==, symbol);
  g_assert_cmpint (kline->interval, ==, interval);
  assert_candle_equal (&kline->candle, &want);
}

static gboolean
renewed (gpointer data)
{
  return fake_exchange_get_n_stream_accepts (data) >= 2 && fake_exchange_get_n_streams_open (data) == 1;
}

static void
test_stream_klines (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, NULL);
  Watch *watch = watch_new (config);
  g_autofree char *url = NULL;

  g_assert_null (bourse_binance_stream_dup_url (watch->stream));
  g_assert_true (bourse_binance_stream_add (watch->stream, "BTCUSDT", BOURSE_INTERVAL_1M));
  g_assert_true (bourse_binance_stream_add (watch->stream, "ETHUSDT", BOURSE_INTERVAL_5M));
  g_assert_false (bourse_binance_stream_add (watch->stream, "BTCUSDT", BOURSE_INTERVAL_1M));
  url = bourse_binance_stream_dup_url (watch->stream);
  g_assert_true (g_str_has_prefix (url, fake_exchange_get_stream_url (exchange)));
  g_assert_true (g_str_has_suffix (url, "/stream?streams=btcusdt@kline_1m/ethusdt@kline_5m"));

  bourse_binance_stream_start (watch->stream);
  g_assert_cmpint (bourse_binance_stream_get_state (watch->stream), ==, BOURSE_BINANCE_STREAM_CONNECTING);
  bourse_test_wait_until (is_connected, watch, 5000, "the stream to connect");
  g_assert_cmpstr (fake_exchange_get_last_stream (exchange), ==, "/stream?streams=btcusdt@kline_1m/ethusdt@kline_5m");

  /* The forming candle as it changes, then closed; a stream nobody asked for is not sent. */
  g_assert_cmpuint (fake_exchange_push_kline (exchange, "BTCUSDT", BOURSE_INTERVAL_1M, T0, FALSE), ==, 1);
  g_assert_cmpuint (fake_exchange_push_kline (exchange, "BTCUSDT", BOURSE_INTERVAL_1M, T0, TRUE), ==, 1);
  g_assert_cmpuint (fake_exchange_push_kline (exchange, "ETHUSDT", BOURSE_INTERVAL_5M, T0 + 5 * MINUTE, TRUE), ==, 1);
  g_assert_cmpuint (fake_exchange_push_kline (exchange, "SOLUSDT", BOURSE_INTERVAL_1M, T0, TRUE), ==, 0);
  wait_klines (watch, 3);
  assert_kline (watch, 0, "BTCUSDT", BOURSE_INTERVAL_1M, T0, FALSE);
  assert_kline (watch, 1, "BTCUSDT", BOURSE_INTERVAL_1M, T0, TRUE);
  assert_kline (watch, 2, "ETHUSDT", BOURSE_INTERVAL_5M, T0 + 5 * MINUTE, TRUE);
  bourse_test_spin (100);
  g_assert_cmpuint (watch->klines->len, ==, 3);

  /* A new pair: a new connection with the larger set replaces the old one. */
  g_assert_true (bourse_binance_stream_add (watch->stream, "SOLUSDT", BOURSE_INTERVAL_1M));
  bourse_test_wait_until (renewed, exchange, 5000, "the stream with three pairs");
  g_assert_cmpint (bourse_binance_stream_get_state (watch->stream), ==, BOURSE_BINANCE_STREAM_CONNECTED);
  g_assert_cmpstr (fake_exchange_get_last_stream (exchange), ==,
                   "/stream?streams=btcusdt@kline_1m/ethusdt@kline_5m/solusdt@kline_1m");
  g_assert_cmpuint (fake_exchange_push_kline (exchange, "SOLUSDT", BOURSE_INTERVAL_1M, T0, TRUE), >=, 1);
  wait_klines (watch, 4);
  assert_kline (watch, 3, "SOLUSDT", BOURSE_INTERVAL_1M, T0, TRUE);

  bourse_binance_stream_stop (watch->stream);
  g_assert_cmpint (bourse_binance_stream_get_state (watch->stream), ==, BOURSE_BINANCE_STREAM_STOPPED);
  watch_free (watch);
  fake_exchange_free (exchange);
}

static gboolean
refused_twice (gpointer data)
{
  return fake_exchange_get_n_stream_refusals (data) >= 3;
}

/* Dropped: reconnects with back-off and delivery goes on; refused: keeps trying. */
static void
test_stream_reconnect (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, NULL);
  Watch *watch = watch_new (config);
  guint n_states;

  bourse_binance_stream_add (watch->stream, "BTCUSDT", BOURSE_INTERVAL_1M);
  bourse_binance_stream_start (watch->stream);
  bourse_test_wait_until (is_connected, watch, 5000, "the stream to connect");
  fake_exchange_push_kline (exchange, "BTCUSDT", BOURSE_INTERVAL_1M, T0, TRUE);
  wait_klines (watch, 1);

  fake_exchange_drop_streams (exchange);
  bourse_test_wait_until (is_reconnecting, watch, 5000, "the drop to be noticed");
  g_assert_nonnull (bourse_binance_stream_get_last_error (watch->stream));
  bourse_test_wait_until (is_connected, watch, 5000, "the stream to reconnect");
  g_assert_cmpuint (fake_exchange_get_n_stream_accepts (exchange), ==, 2);
  g_assert_cmpuint (bourse_binance_stream_get_n_connections (watch->stream), ==, 2);
  fake_exchange_push_kline (exchange, "BTCUSDT", BOURSE_INTERVAL_1M, T0 + MINUTE, TRUE);
  wait_klines (watch, 2);
  assert_kline (watch, 1, "BTCUSDT", BOURSE_INTERVAL_1M, T0 + MINUTE, TRUE);

  /* The exchange refuses for a while: the stream keeps trying, further apart. */
  fake_exchange_set_refuse_streams (exchange, TRUE);
  fake_exchange_drop_streams (exchange);
  bourse_test_wait_until (refused_twice, exchange, 10000, "three refused reconnects");
  g_assert_cmpint (bourse_binance_stream_get_state (watch->stream), ==, BOURSE_BINANCE_STREAM_RECONNECTING);
  g_assert_nonnull (strstr (bourse_binance_stream_get_last_error (watch->stream), "Cannot connect"));
  fake_exchange_set_refuse_streams (exchange, FALSE);
  bourse_test_wait_until (is_connected, watch, 10000, "the stream to be accepted again");
  fake_exchange_push_kline (exchange, "BTCUSDT", BOURSE_INTERVAL_1M, T0 + 2 * MINUTE, FALSE);
  wait_klines (watch, 3);
  assert_kline (watch, 2, "BTCUSDT", BOURSE_INTERVAL_1M, T0 + 2 * MINUTE, FALSE);

  /* connecting, connected, then reconnecting ↔ connected. */
  n_states = watch->states->len;
  g_assert_cmpuint (n_states, >=, 5);
  g_assert_cmpint (g_array_index (watch->states, int, 0), ==, BOURSE_BINANCE_STREAM_CONNECTING);
  g_assert_cmpint (g_array_index (watch->states, int, 1), ==, BOURSE_BINANCE_STREAM_CONNECTED);
  g_assert_cmpint (g_array_index (watch->states, int, 2), ==, BOURSE_BINANCE_STREAM_RECONNECTING);
  g_assert_cmpint (g_array_index (watch->states, int, n_states - 1), ==, BOURSE_BINANCE_STREAM_CONNECTED);

  watch_free (watch);
  fake_exchange_free (exchange);
}

/* A short lifetime: the connection is replaced before it would be cut,
 * with no gap (the state never leaves "connected") and no duplicate. */
static void
test_stream_renewal (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char * const settings[] = { "binance", "stream_lifetime", "1", NULL };
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, settings);
  Watch *watch = watch_new (config);

  bourse_binance_stream_add (watch->stream, "BTCUSDT", BOURSE_INTERVAL_1M);
  bourse_binance_stream_start (watch->stream);
  bourse_test_wait_until (is_connected, watch, 5000, "the stream to connect");
  g_assert_cmpuint (fake_exchange_get_n_stream_accepts (exchange), ==, 1);

  bourse_test_wait_until (renewed, exchange, 5000, "the connection to be renewed");
  g_assert_cmpint (bourse_binance_stream_get_state (watch->stream), ==, BOURSE_BINANCE_STREAM_CONNECTED);
  for (guint i = 0; i < watch->states->len; i++)
    g_assert_cmpint (g_array_index (watch->states, int, i), !=, BOURSE_BINANCE_STREAM_RECONNECTING);

  g_assert_cmpuint (fake_exchange_push_kline (exchange, "BTCUSDT", BOURSE_INTERVAL_1M, T0, TRUE), ==, 1);
  wait_klines (watch, 1);
  bourse_test_spin (100);
  g_assert_cmpuint (watch->klines->len, ==, 1);

  watch_free (watch);
  fake_exchange_free (exchange);
}

/* Silence longer than stream_idle_timeout counts as a dead connection. */
static void
test_stream_idle (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char * const settings[] = { "binance", "stream_idle_timeout", "1", NULL };
  g_autoptr(BourseConfig) config = fake_exchange_make_config (exchange, settings);
  Watch *watch = watch_new (config);

  bourse_binance_stream_add (watch->stream, "BTCUSDT", BOURSE_INTERVAL_1M);
  bourse_binance_stream_start (watch->stream);
  bourse_test_wait_until (is_connected, watch, 5000, "the stream to connect");
  bourse_test_wait_until (is_reconnecting, watch, 5000, "the idle stream to be dropped");
  g_assert_nonnull (strstr (bourse_binance_stream_get_last_error (watch->stream), "No message"));
  bourse_test_wait_until (is_connected, watch, 5000, "the stream to reconnect");
  g_assert_cmpuint (fake_exchange_get_n_stream_accepts (exchange), ==, 2);

  watch_free (watch);
  fake_exchange_free (exchange);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/binance/rest/pages", test_rest_pages);
  g_test_add_func ("/binance/rest/server-errors", test_rest_server_errors);
  g_test_add_func ("/binance/rest/429", test_rest_429);
  g_test_add_func ("/binance/rest/418", test_rest_418);
  g_test_add_func ("/binance/rest/malformed", test_rest_malformed);
  g_test_add_func ("/binance/rest/truncated", test_rest_truncated);
  g_test_add_func ("/binance/rest/timeout", test_rest_timeout);
  g_test_add_func ("/binance/rest/weight", test_rest_weight);
  g_test_add_func ("/binance/rest/cancel", test_rest_cancel);
  g_test_add_func ("/binance/stream/klines", test_stream_klines);
  g_test_add_func ("/binance/stream/reconnect", test_stream_reconnect);
  g_test_add_func ("/binance/stream/renewal", test_stream_renewal);
  g_test_add_func ("/binance/stream/idle", test_stream_idle);

  return g_test_run ();
}
