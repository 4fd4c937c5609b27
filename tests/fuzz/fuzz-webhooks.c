/* fuzz-webhooks.c — the intake of signed alerts (TradingView-style webhooks)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a mode byte, then lines. Mode bit 0 clear: "timestamp\nsignature\n"
 * then the body, as an attacker sends them, which must never be accepted.
 * Bit 0 set: the body alone, which the harness signs with the hook's secret
 * at the current time, so that the alert's content is read; an accepted
 * alert is a recommendation with a pending approval. Bit 1 picks an
 * unknown hook instead of the real one.
 */

#include "config.h"

#include <string.h>

#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"
#include "desk/bourse-desk-webhooks.h"

#include "fuzz-engine.h"
#include "fuzz-util.h"

static BourseFuzzEngine *engine;
static BourseDesk *desk;
static gint64 hook_id;
static char *secret;

/* An hour's candles of BTCUSDT, so that alerts without levels get them
 * from an ATR as the desk places them. */
static void
add_candles (void)
{
  BourseStore *store = bourse_engine_get_store (engine->engine);
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GArray) candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  g_autoptr(GError) error = NULL;
  gint64 t = bourse_interval_align (BOURSE_INTERVAL_1H, bourse_time_now_ms ()) - 100 * 3600000;

  instrument = bourse_instruments_find (store, "BTCUSDT", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++, t += 3600000)
    {
      BourseCandle candle = { 0 };
      gint64 price = (60000 + (gint64)(i * 37 % 101) * 10) * BOURSE_DECIMAL_UNIT;

      candle.open_time = t;
      candle.open.units = price;
      candle.close.units = price + (i % 2 ? 50 : -50) * BOURSE_DECIMAL_UNIT;
      candle.high.units = MAX (candle.open.units, candle.close.units) + 20 * BOURSE_DECIMAL_UNIT;
      candle.low.units = MIN (candle.open.units, candle.close.units) - 20 * BOURSE_DECIMAL_UNIT;
      candle.volume.units = 3 * BOURSE_DECIMAL_UNIT;
      candle.closed = TRUE;
      g_array_append_val (candles, candle);
    }
  bourse_candles_upsert (store, instrument->id, BOURSE_INTERVAL_1H, (const BourseCandle *)(gpointer)candles->data,
                         candles->len, NULL, &error);
  g_assert_no_error (error);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(BourseWebhook) hook = NULL;
  g_autoptr(GError) error = NULL;
  BourseDeskCaller owner = { "local-owner", 0, NULL };

  bourse_fuzz_init_logging ();
  engine = bourse_fuzz_engine_new (NULL);
  desk = bourse_engine_get_desk (engine->engine);
  add_candles ();
  hook = bourse_desk_create_webhook (desk, "fuzzing", &owner, &secret, &error);
  g_assert_no_error (error);
  hook_id = hook->id;
  return 0;
}

static char *
sign (const char   *timestamp,
      const guint8 *body,
      gsize         length)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *)secret, strlen (secret));

  g_hmac_update (hmac, (const guchar *)timestamp, -1);
  g_hmac_update (hmac, (const guchar *)".", 1);
  g_hmac_update (hmac, body, length);
  return g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *timestamp = NULL;
  g_autofree char *signature = NULL;
  gint64 recommendation_id = 0, approval_id = 0;
  gboolean signed_here, ok;
  gint64 id;

  if (size < 1)
    return 0;
  signed_here = data[0] & 1;
  id = data[0] & 2 ? hook_id + 1 + data[0] / 4 : hook_id;
  data++, size--;

  if (signed_here)
    {
      timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
      signature = sign (timestamp, data, size);
      body = g_bytes_new (data, size);
    }
  else
    {
      const guint8 *end = data + size;
      const guint8 *first = memchr (data, '\n', size);
      const guint8 *second = first ? memchr (first + 1, '\n', end - first - 1) : NULL;

      if (second == NULL)
        return 0;
      timestamp = g_strndup ((const char *)data, first - data);
      signature = g_strndup ((const char *)first + 1, second - first - 1);
      body = g_bytes_new (second + 1, end - second - 1);
    }

  ok = bourse_desk_receive_webhook (desk, id, timestamp, signature, body, NULL, &recommendation_id, &approval_id,
                                    &error);
  FUZZ_CHECK (ok == (error == NULL));
  /* Nobody but the secret's holder gets an alert in. */
  if (!signed_here || id != hook_id)
    FUZZ_CHECK (!ok);
  if (ok)
    FUZZ_CHECK (recommendation_id > 0 && approval_id > 0);
  else
    FUZZ_CHECK (error->domain == BOURSE_DESK_ERROR);
  bourse_fuzz_engine_spin (engine);
  return 0;
}
