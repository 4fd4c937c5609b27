/* sign.c — what a live order costs before it is sent: its parameters, encoded and signed
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-live-sign [--iterations N]
 *
 * A LIMIT order as the trading module hands it to the Binance broker
 * (BTCUSDT, BUY, GTC, quantity 0.00123 at 50123.45, a client id as
 * bourse_trading_place_order () makes them) goes through what the broker
 * does before POST /api/v3/order, N times (default 200,000) after a tenth as
 * many to warm up, once with an HMAC key and once with an Ed25519 key:
 *
 *   encode  bourse_binance_order_params () and
 *           bourse_binance_params_get_query (): the percent-encoded query;
 *   sign    bourse_binance_sign_query (): timestamp and recvWindow
 *           appended, the signature computed and appended;
 *   total   both, and freeing what they made.
 *
 * Each iteration is timed (CLOCK_MONOTONIC, about 20 ns a reading), and
 * for each key and part the median, p99 and maximum are printed in
 * microseconds as "key=hmac part=encode median_us=… p99_us=… max_us=…
 * n=…".
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exchange/bourse-binance-broker.h"

#define UNITS(x) ((gint64) (x) * BOURSE_DECIMAL_UNIT)

/* The PKCS#8 PEM of tests/unit/test-binance-signer.c's Ed25519 vector. */
static const char ed25519_pem[] =
  "-----BEGIN PRIVATE KEY-----\n"
  "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n"
  "-----END PRIVATE KEY-----\n";

/* 64 characters, as Binance's HMAC secrets are. */
static const char hmac_secret[] = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
compare_int64 (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
report (const char *key,
        const char *part,
        GArray     *times)
{
  guint n = times->len;

  qsort (times->data, n, sizeof (gint64), compare_int64);
  printf ("key=%s part=%s median_us=%.2f p99_us=%.2f max_us=%.2f n=%u\n", key, part,
          g_array_index (times, gint64, n / 2) / 1e3,
          g_array_index (times, gint64, MIN (n - 1, (guint) (n * 0.99))) / 1e3,
          g_array_index (times, gint64, n - 1) / 1e3, n);
}

static void
run (const char        *key,
     const char        *api_key,
     const char        *secret,
     const BourseOrder *order,
     gint               iterations)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (secret, strlen (secret));
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseBinanceSigner) signer = bourse_binance_signer_new (api_key, bytes, &error);
  g_autoptr(GArray) encode = g_array_sized_new (FALSE, FALSE, sizeof (gint64), iterations);
  g_autoptr(GArray) sign = g_array_sized_new (FALSE, FALSE, sizeof (gint64), iterations);
  g_autoptr(GArray) total = g_array_sized_new (FALSE, FALSE, sizeof (gint64), iterations);
  gint64 timestamp_ms = g_get_real_time () / 1000;
  gsize length = 0;

  if (signer == NULL)
    {
      g_printerr ("bench-live-sign: the %s key: %s\n", key, error->message);
      exit (1);
    }

  for (gint i = -iterations / 10; i < iterations; i++)
    {
      gint64 begun, encoded, signed_at, freed;
      BourseBinanceParams *params;
      char *query;

      begun = now_ns ();
      params = bourse_binance_order_params (order);
      bourse_binance_params_get_query (params);
      encoded = now_ns ();
      /* A new timestamp each time, as each request has. */
      query = bourse_binance_sign_query (signer, bourse_binance_params_get_query (params), timestamp_ms + i, 5000);
      signed_at = now_ns ();
      length = strlen (query);
      g_free (query);
      bourse_binance_params_free (params);
      freed = now_ns ();

      if (i < 0)
        continue;
      g_array_append_val (encode, (gint64) { encoded - begun });
      g_array_append_val (sign, (gint64) { signed_at - encoded });
      g_array_append_val (total, (gint64) { freed - begun });
    }

  report (key, "encode", encode);
  report (key, "sign", sign);
  report (key, "total", total);
  printf ("key=%s query_bytes=%" G_GSIZE_FORMAT "\n", key, length);
}

int
main (int   argc,
      char *argv[])
{
  gint iterations = 200000;
  g_autoptr(GOptionContext) context = g_option_context_new ("— a live order's parameters, encoded and signed");
  GOptionEntry entries[] = {
    { "iterations", 0, 0, G_OPTION_ARG_INT, &iterations, "Orders timed per key (200000)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseOrder) order = bourse_order_new ();
  g_autofree char *uuid = g_uuid_string_random ();

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || iterations < 10)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--iterations must be at least 10");
      return 2;
    }

  order->id = 1;
  order->client_order_id = g_strdup_printf ("bourse-%.29s", uuid);
  order->symbol = g_strdup ("BTCUSDT");
  order->side = BOURSE_SIDE_BUY;
  order->type = BOURSE_ORDER_LIMIT;
  order->time_in_force = BOURSE_TIF_GTC;
  order->quantity.units = BOURSE_DECIMAL_UNIT / 100000 * 123;
  order->has_price = TRUE;
  order->price.units = UNITS (50123) + BOURSE_DECIMAL_UNIT / 100 * 45;

  run ("hmac", "benchHmacKey0123456789", hmac_secret, order, iterations);
  run ("ed25519", "benchEd25519Key0123456", ed25519_pem, order, iterations);
  return 0;
}
