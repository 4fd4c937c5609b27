/* bourse-binance-feed.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "binance" feed: one combined kline stream for the one-minute candles
 * of every trading instrument whose source is binance, each event handed to
 * the market as it comes (the forming candle as it changes, then closed).
 * History is not this feed's business: downloads fetch it
 * (POST /api/v1/market/download), only the missing ranges.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bourse-binance-feed.h"
#include "bourse-binance-stream.h"
#include "bourse-market.h"

struct _BourseBinanceFeed
{
  GObject              parent_instance;

  BourseMarket        *market;        /* not a reference: the market owns its feeds */
  BourseBinanceStream *stream;
  GHashTable          *instruments;   /* symbol → BourseInstrument * */
  gint64               received;
};

static void bourse_binance_feed_iface_init (BourseFeedInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseBinanceFeed, bourse_binance_feed, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_FEED, bourse_binance_feed_iface_init))

static void
kline_cb (BourseBinanceStream *stream,
          const char          *symbol,
          int                  interval,
          const BourseCandle  *candle,
          BourseBinanceFeed   *self)
{
  const BourseInstrument *instrument = g_hash_table_lookup (self->instruments, symbol);
  g_autoptr(GError) error = NULL;

  if (instrument == NULL)
    return;
  self->received++;
  if (!bourse_market_ingest (self->market, instrument, interval, candle, 1, &error))
    g_message ("A Binance candle of %s was not stored: %s", symbol, error->message);
}

static const char *
bourse_binance_feed_get_id (BourseFeed *feed)
{
  return "binance";
}

static const char *
bourse_binance_feed_get_name (BourseFeed *feed)
{
  return _("Binance Spot");
}

static const char *
bourse_binance_feed_get_parameters (BourseFeed *feed)
{
  return "{\"type\":\"object\",\"properties\":{"
         "\"stream_url\":{\"type\":\"string\",\"format\":\"uri\"},"
         "\"stream_lifetime\":{\"type\":\"integer\"}}}";
}

static gboolean
bourse_binance_feed_start (BourseFeed    *feed,
                           BourseMarket  *market,
                           GPtrArray     *instruments,
                           GError       **error)
{
  BourseBinanceFeed *self = BOURSE_BINANCE_FEED (feed);

  g_return_val_if_fail (self->stream == NULL, FALSE);

  self->market = market;
  self->received = 0;
  self->stream = bourse_binance_stream_new (bourse_market_get_config (market));
  g_signal_connect (self->stream, "kline", G_CALLBACK (kline_cb), self);
  for (guint i = 0; i < instruments->len; i++)
    {
      BourseInstrument *instrument = bourse_instrument_copy (g_ptr_array_index (instruments, i));

      g_hash_table_insert (self->instruments, instrument->symbol, instrument);
      bourse_binance_stream_add (self->stream, instrument->symbol, BOURSE_INTERVAL_1M);
    }
  bourse_binance_stream_start (self->stream);
  return TRUE;
}

static void
bourse_binance_feed_stop (BourseFeed *feed)
{
  BourseBinanceFeed *self = BOURSE_BINANCE_FEED (feed);

  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      bourse_binance_stream_stop (self->stream);
    }
  g_clear_object (&self->stream);
  g_hash_table_remove_all (self->instruments);
  self->market = NULL;
}

static JsonNode *
bourse_binance_feed_get_status (BourseFeed *feed)
{
  BourseBinanceFeed *self = BOURSE_BINANCE_FEED (feed);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BourseBinanceStreamState state = BOURSE_BINANCE_STREAM_STOPPED;
  const char *last_error = NULL;

  if (self->stream != NULL)
    {
      state = bourse_binance_stream_get_state (self->stream);
      last_error = bourse_binance_stream_get_last_error (self->stream);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  /* The feed's words: live once the stream is connected. */
  json_builder_add_string_value (builder, state == BOURSE_BINANCE_STREAM_CONNECTED
                                          ? "live" : bourse_binance_stream_state_to_string (state));
  json_builder_set_member_name (builder, "simulated");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "received");
  json_builder_add_int_value (builder, self->received);
  if (last_error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, last_error);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
bourse_binance_feed_iface_init (BourseFeedInterface *iface)
{
  iface->get_id = bourse_binance_feed_get_id;
  iface->get_name = bourse_binance_feed_get_name;
  iface->get_parameters = bourse_binance_feed_get_parameters;
  iface->start = bourse_binance_feed_start;
  iface->stop = bourse_binance_feed_stop;
  iface->get_status = bourse_binance_feed_get_status;
}

static void
bourse_binance_feed_finalize (GObject *object)
{
  BourseBinanceFeed *self = (BourseBinanceFeed *)object;

  bourse_binance_feed_stop (BOURSE_FEED (self));
  g_clear_pointer (&self->instruments, g_hash_table_unref);

  G_OBJECT_CLASS (bourse_binance_feed_parent_class)->finalize (object);
}

static void
bourse_binance_feed_class_init (BourseBinanceFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bourse_binance_feed_finalize;
}

static void
bourse_binance_feed_init (BourseBinanceFeed *self)
{
  /* Keyed by the copy's own symbol, freed with it. */
  self->instruments = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) bourse_instrument_free);
}
