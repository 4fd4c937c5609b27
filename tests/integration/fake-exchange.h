/* fake-exchange.h — a loopback SoupServer that speaks Binance's market data
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "core/bourse-config.h"
#include "market/bourse-candles.h"

G_BEGIN_DECLS

/* What the next answers of /api/v3/klines do instead of answering well. */
typedef enum
{
  FAKE_ANSWER_OK,
  FAKE_ANSWER_429,        /* Too Many Requests, Retry-After */
  FAKE_ANSWER_418,        /* banned, Retry-After */
  FAKE_ANSWER_500,
  FAKE_ANSWER_503,
  FAKE_ANSWER_MALFORMED,  /* 200 with a body that is not JSON */
  FAKE_ANSWER_TRUNCATED,  /* Content-Length larger than what is sent, then the connection closes */
  FAKE_ANSWER_SLOW,       /* the right answer, after fake_exchange_set_slow_ms () */
} FakeAnswer;

typedef struct
{
  char       *path;
  char       *symbol;
  char       *interval;
  gint64      start_time;    /* -1 when not given */
  gint64      end_time;      /* -1 when not given */
  int         limit;         /* -1 when not given */
  FakeAnswer  answer;
  guint       status;        /* 0 for a truncated answer */
  guint       n_klines;      /* in a good answer */
  gint64      at_us;         /* monotonic time it arrived */
  gint64      at_ms;         /* wall-clock time it arrived */
} FakeRequest;

typedef struct _FakeExchange FakeExchange;

/* Listens on 127.0.0.1, on a free port, on the thread-default context. */
FakeExchange      *fake_exchange_new                 (void);
void               fake_exchange_free                (FakeExchange     *self);
/* http://127.0.0.1:PORT and ws://127.0.0.1:PORT */
const char        *fake_exchange_get_url             (FakeExchange     *self);
const char        *fake_exchange_get_stream_url      (FakeExchange     *self);

/* The kline the exchange has for (symbol, interval, open time): a formula,
 * so tests know the values; closed is TRUE. */
void               fake_exchange_kline               (const char       *symbol,
                                                      BourseInterval    interval,
                                                      gint64            open_time,
                                                      BourseCandle     *candle);

/* Every request, in order of arrival. */
guint              fake_exchange_get_n_requests      (FakeExchange     *self);
const FakeRequest *fake_exchange_get_request         (FakeExchange     *self,
                                                      guint             index);
void               fake_exchange_clear_requests      (FakeExchange     *self);

/* The next @times answers are @answer (queued after earlier ones). */
void               fake_exchange_answer              (FakeExchange     *self,
                                                      FakeAnswer        answer,
                                                      guint             times);
void               fake_exchange_set_retry_after     (FakeExchange     *self,
                                                      guint             seconds);
void               fake_exchange_set_slow_ms         (FakeExchange     *self,
                                                      guint             ms);
/* Every good answer waits this long (a slow exchange, for cancelling). */
void               fake_exchange_set_delay_ms        (FakeExchange     *self,
                                                      guint             ms);
/* X-MBX-USED-WEIGHT-1m is this plus 2 per request in the current window. */
void               fake_exchange_set_weight_base     (FakeExchange     *self,
                                                      guint             weight);
void               fake_exchange_set_weight_window   (FakeExchange     *self,
                                                      guint             seconds);
/* The exchange's clock: no kline opens after it (default: the real one). */
void               fake_exchange_set_now             (FakeExchange     *self,
                                                      gint64            now_ms);

/* Streams: /ws/<name> (raw) and /stream?streams=<a>/<b> (combined). */
guint              fake_exchange_get_n_stream_accepts (FakeExchange    *self);
guint              fake_exchange_get_n_streams_open  (FakeExchange     *self);
guint              fake_exchange_get_n_stream_refusals (FakeExchange   *self);
/* The path and query of the last stream connection. */
const char        *fake_exchange_get_last_stream     (FakeExchange     *self);
/* Sends the kline event of fake_exchange_kline () to every open stream
 * that carries <symbol>@kline_<interval>; returns how many got it. */
guint              fake_exchange_push_kline          (FakeExchange     *self,
                                                      const char       *symbol,
                                                      BourseInterval    interval,
                                                      gint64            open_time,
                                                      gboolean          closed);
/* Cuts every stream's TCP connection without a close frame. */
void               fake_exchange_drop_streams        (FakeExchange     *self);
/* Refuses (503) or accepts new stream connections. */
void               fake_exchange_set_refuse_streams  (FakeExchange     *self,
                                                      gboolean          refuse);

/* A configuration that points Bourse's Binance clients at this exchange
 * (base_url, stream_url, ws_api_url), with short back-offs (50 ms first,
 * 2 s at most, 4 retries) and 5 s time-outs; then @settings, triples of
 * section, key and value ending in NULL (may be NULL). */
BourseConfig      *fake_exchange_make_config         (FakeExchange       *self,
                                                      const char * const *settings);

/* Keys the exchange knows. @secret is what the client holds: the HMAC
 * secret, or the Ed25519 private key's PEM (the exchange checks by signing
 * again: both schemes are deterministic). @can_trade and @can_withdraw are
 * what GET /api/v3/account reports. */
void               fake_exchange_add_key             (FakeExchange     *self,
                                                      const char       *api_key,
                                                      const char       *secret,
                                                      gboolean          can_trade,
                                                      gboolean          can_withdraw);
/* The exchange's clock runs @skew_ms ahead of ours (negative: behind). */
void               fake_exchange_set_clock_skew_ms   (FakeExchange     *self,
                                                      gint64            skew_ms);

G_END_DECLS
