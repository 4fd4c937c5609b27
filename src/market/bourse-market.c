/* bourse-market.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bourse-market.h"

struct _BourseMarket
{
  GObject         parent_instance;

  BourseStore    *store;
  BourseConfig   *config;
  BourseEventBus *bus;
  GPtrArray      *feeds;          /* BourseFeed *, started */
  GHashTable     *feed_sizes;     /* BourseFeed * → instruments it serves */
  guint           holds;          /* bourse_market_hold () without its release */
};

G_DEFINE_FINAL_TYPE (BourseMarket, bourse_market, G_TYPE_OBJECT)

enum {
  CANDLE_CLOSED,
  PRICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
bourse_market_dispose (GObject *object)
{
  BourseMarket *self = (BourseMarket *)object;

  bourse_market_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (bourse_market_parent_class)->dispose (object);
}

static void
bourse_market_finalize (GObject *object)
{
  BourseMarket *self = (BourseMarket *)object;

  g_clear_pointer (&self->feeds, g_ptr_array_unref);
  g_clear_pointer (&self->feed_sizes, g_hash_table_unref);

  G_OBJECT_CLASS (bourse_market_parent_class)->finalize (object);
}

static void
bourse_market_class_init (BourseMarketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_market_dispose;
  object_class->finalize = bourse_market_finalize;

  /* (const BourseInstrument *, BourseInterval as int, const BourseCandle *):
   * a candle that closed, of the fed interval or one folded from it, once
   * published — what live strategies evaluate on. */
  /* (const BourseInstrument *, const BourseDecimal *price, gint64 time in
   * ms): the instrument's last price after every batch ingested or an
   * import — what resting paper orders are matched against. */
  signals[PRICE] =
    g_signal_new ("price",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_POINTER, G_TYPE_POINTER, G_TYPE_INT64);

  signals[CANDLE_CLOSED] =
    g_signal_new ("candle-closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_POINTER, G_TYPE_INT, G_TYPE_POINTER);
}

static void
bourse_market_init (BourseMarket *self)
{
  self->feeds = g_ptr_array_new_with_free_func (g_object_unref);
  self->feed_sizes = g_hash_table_new (NULL, NULL);
}

BourseMarket *
bourse_market_new (BourseStore    *store,
                   BourseConfig   *config,
                   BourseEventBus *bus)
{
  BourseMarket *self;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);

  self = g_object_new (BOURSE_TYPE_MARKET, NULL);
  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->bus = g_object_ref (bus);

  return self;
}

/* Whether the configuration lets this feed run. */
static gboolean
feed_enabled (BourseMarket *self,
              const char   *source)
{
  if (g_str_equal (source, "simulated"))
    return bourse_config_get_boolean (self->config, "simulated", "enabled");
  return TRUE;
}

gboolean
bourse_market_start (BourseMarket  *self,
                     GError       **error)
{
  g_autoptr(GPtrArray) instruments = NULL;
  g_autoptr(GHashTable) by_source = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (BOURSE_IS_MARKET (self), FALSE);
  g_return_val_if_fail (self->feeds->len == 0, FALSE);

  instruments = bourse_instruments_list (self->store, error);
  if (instruments == NULL)
    return FALSE;

  /* source → the trading instruments it feeds; halted ones get no data. */
  by_source = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < instruments->len; i++)
    {
      BourseInstrument *instrument = g_ptr_array_index (instruments, i);
      GPtrArray *group;

      if (!g_str_equal (instrument->status, "trading"))
        continue;
      group = g_hash_table_lookup (by_source, instrument->source);
      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (by_source, instrument->source, group);
        }
      g_ptr_array_add (group, instrument);
    }

  g_hash_table_iter_init (&iter, by_source);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(BourseFeed) feed = NULL;

      if (!feed_enabled (self, key))
        {
          g_info ("The %s feed is turned off", (const char *) key);
          continue;
        }
      /* CSV instruments have no live feed: files fill them. */
      if ((feed = bourse_feed_lookup (key)) == NULL)
        continue;

      if (!bourse_feed_start (feed, self, value, error))
        {
          bourse_market_stop (self);
          return FALSE;
        }
      g_hash_table_insert (self->feed_sizes, feed, GUINT_TO_POINTER (((GPtrArray *) value)->len));
      g_ptr_array_add (self->feeds, g_steal_pointer (&feed));
    }

  return TRUE;
}

void
bourse_market_stop (BourseMarket *self)
{
  g_return_if_fail (BOURSE_IS_MARKET (self));

  for (guint i = 0; i < self->feeds->len; i++)
    bourse_feed_stop (g_ptr_array_index (self->feeds, i));
  g_hash_table_remove_all (self->feed_sizes);
  g_ptr_array_set_size (self->feeds, 0);
}

gboolean
bourse_market_reload (BourseMarket  *self,
                      GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_MARKET (self), FALSE);

  bourse_market_stop (self);
  return bourse_market_start (self, error);
}

void
bourse_market_hold (BourseMarket *self)
{
  g_return_if_fail (BOURSE_IS_MARKET (self));

  if (self->holds++ == 0)
    bourse_market_stop (self);
}

void
bourse_market_release (BourseMarket *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BOURSE_IS_MARKET (self));
  g_return_if_fail (self->holds > 0);

  if (--self->holds == 0 && !bourse_market_start (self, &error))
    g_message ("The market feeds did not start again: %s", error->message);
}

/* Instruments {{{ */

/* The change's audit entry and the commit, or the rollback; the feeds
 * start again with the new set either way. A committed change is
 * published on "instruments" (@event: the instrument as the API lists
 * it, or {"symbol","deleted":true}), so that lists stay live. */
static gboolean
finish_instrument_change (BourseMarket           *self,
                          gboolean                ok,
                          const char             *action,
                          const char             *symbol,
                          JsonNode               *details,
                          JsonNode               *event,
                          BourseMarketAuditFunc   audit,
                          gpointer                audit_data,
                          GError                **error)
{
  g_autofree char *target = g_strconcat ("instrument:", symbol, NULL);

  if (ok)
    ok = audit (self->store, action, target, details, audit_data, error) && bourse_store_commit (self->store, error);
  if (!ok)
    bourse_store_rollback (self->store);
  else if (event != NULL)
    bourse_event_bus_publish (self->bus, "instruments", event);
  bourse_market_release (self);
  return ok;
}

gboolean
bourse_market_create_instrument (BourseMarket           *self,
                                 BourseInstrument       *instrument,
                                 BourseMarketAuditFunc   audit,
                                 gpointer                audit_data,
                                 GError                **error)
{
  g_autoptr(JsonNode) details = NULL;
  gboolean ok;

  g_return_val_if_fail (BOURSE_IS_MARKET (self), FALSE);
  g_return_val_if_fail (instrument != NULL && audit != NULL, FALSE);

  if (!bourse_instrument_validate (instrument, error))
    return FALSE;
  bourse_market_hold (self);
  ok = bourse_store_begin (self->store, error) && bourse_instruments_insert (self->store, instrument, error);
  if (ok)
    details = bourse_instrument_to_json (instrument);
  return finish_instrument_change (self, ok, "instrument.create", instrument->symbol, details, details,
                                   audit, audit_data, error);
}

gboolean
bourse_market_update_instrument (BourseMarket           *self,
                                 BourseInstrument       *instrument,
                                 const char * const     *fields,
                                 BourseMarketAuditFunc   audit,
                                 gpointer                audit_data,
                                 GError                **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(JsonNode) event = NULL;
  gboolean ok;

  g_return_val_if_fail (BOURSE_IS_MARKET (self), FALSE);
  g_return_val_if_fail (instrument != NULL && audit != NULL, FALSE);

  if (!bourse_instrument_validate (instrument, error))
    return FALSE;
  bourse_market_hold (self);
  ok = bourse_store_begin (self->store, error) && bourse_instruments_update (self->store, instrument, error);
  if (ok)
    {
      event = bourse_instrument_to_json (instrument);
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_array (builder);
      for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
        json_builder_add_string_value (builder, fields[i]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "instrument");
      json_builder_add_value (builder, json_node_copy (event));
      json_builder_end_object (builder);
      details = json_builder_get_root (builder);
    }
  return finish_instrument_change (self, ok, "instrument.update", instrument->symbol, details, event,
                                   audit, audit_data, error);
}

gboolean
bourse_market_delete_instrument (BourseMarket            *self,
                                 const BourseInstrument  *instrument,
                                 gboolean                 purge,
                                 gint64                  *n_candles,
                                 BourseMarketAuditFunc    audit,
                                 gpointer                 audit_data,
                                 GError                 **error)
{
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(JsonNode) event = NULL;
  gint64 deleted = 0;
  gboolean ok;

  g_return_val_if_fail (BOURSE_IS_MARKET (self), FALSE);
  g_return_val_if_fail (instrument != NULL && audit != NULL, FALSE);

  bourse_market_hold (self);
  ok = bourse_store_begin (self->store, error)
    && bourse_instruments_delete (self->store, instrument->id, purge, &deleted, error);
  if (ok)
    {
      details = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (details, json_object_new ());
      json_object_set_int_member (json_node_get_object (details), "candles_deleted", deleted);
      event = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (event, json_object_new ());
      json_object_set_string_member (json_node_get_object (event), "symbol", instrument->symbol);
      json_object_set_boolean_member (json_node_get_object (event), "deleted", TRUE);
    }
  if (n_candles != NULL)
    *n_candles = deleted;
  return finish_instrument_change (self, ok, "instrument.delete", instrument->symbol, details, event,
                                   audit, audit_data, error);
}

/* }}} */

BourseStore *
bourse_market_get_store (BourseMarket *self)
{
  g_return_val_if_fail (BOURSE_IS_MARKET (self), NULL);

  return self->store;
}

BourseConfig *
bourse_market_get_config (BourseMarket *self)
{
  g_return_val_if_fail (BOURSE_IS_MARKET (self), NULL);

  return self->config;
}

static void
publish_candle (BourseMarket           *self,
                const BourseInstrument *instrument,
                BourseInterval          interval,
                const BourseCandle     *candle)
{
  g_autoptr(JsonNode) node = bourse_candle_to_json (candle, interval);
  g_autofree char *topic = g_strdup_printf ("candles:%s:%s", instrument->symbol,
                                            bourse_interval_to_string (interval));
  JsonObject *object = json_node_get_object (node);

  json_object_set_string_member (object, "symbol", instrument->symbol);
  json_object_set_string_member (object, "interval", bourse_interval_to_string (interval));
  json_object_set_string_member (object, "source", instrument->source);
  bourse_event_bus_publish (self->bus, topic, node);
}

static void
publish_ticker (BourseMarket           *self,
                const BourseInstrument *instrument)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *topic = NULL;
  BourseTicker ticker;

  if (!bourse_ticker_compute (self->store, instrument, &ticker, &error))
    {
      g_message ("No ticker for %s: %s", instrument->symbol, error->message);
      return;
    }
  node = bourse_ticker_to_json (&ticker, instrument);
  topic = g_strdup_printf ("ticker:%s", instrument->symbol);
  bourse_event_bus_publish (self->bus, topic, node);
}

static void
announce_price (BourseMarket           *self,
                const BourseInstrument *instrument)
{
  g_autoptr(GError) error = NULL;
  BourseDecimal price;
  gint64 time;

  if (!bourse_ticker_last_price (self->store, instrument, &price, &time, &error))
    {
      g_debug ("No price for %s: %s", instrument->symbol, error->message);
      return;
    }
  g_signal_emit (self, signals[PRICE], 0, instrument, &price, time);
}

gboolean
bourse_market_ingest (BourseMarket            *self,
                      const BourseInstrument  *instrument,
                      BourseInterval           interval,
                      const BourseCandle      *candles,
                      gsize                    n_candles,
                      GError                 **error)
{
  gint64 first, last;

  g_return_val_if_fail (BOURSE_IS_MARKET (self), FALSE);
  g_return_val_if_fail (instrument != NULL, FALSE);
  g_return_val_if_fail (candles != NULL || n_candles == 0, FALSE);

  if (n_candles == 0)
    return TRUE;

  first = candles[0].open_time;
  last = candles[n_candles - 1].open_time;
  if (!bourse_candles_upsert (self->store, instrument->id, interval, candles, n_candles, NULL, error)
      || !bourse_candles_aggregate (self->store, instrument->id, interval, first, last, error))
    return FALSE;

  for (guint i = interval; i < BOURSE_N_INTERVALS; i++)
    {
      g_autoptr(GArray) touched = NULL;
      gint64 open = bourse_interval_align (i, last);
      gint64 previous = bourse_interval_align (i, open - 1);
      gboolean more;
      gint64 cursor;

      if (i != interval && !bourse_interval_nests_in (interval, i))
        continue;
      touched = bourse_candles_query (self->store, instrument->id, i, MAX (previous, bourse_interval_align (i, first)),
                                      open, 2, &more, &cursor, error);
      if (touched == NULL)
        return FALSE;
      for (guint k = 0; k < touched->len; k++)
        publish_candle (self, instrument, i, &g_array_index (touched, BourseCandle, k));
      /* Announced once: the closed one of the two, when it closed in this
       * batch (a forming candle that closed is published again closed). */
      for (guint k = 0; k < touched->len; k++)
        {
          const BourseCandle *candle = &g_array_index (touched, BourseCandle, k);

          if (candle->closed && bourse_interval_next (i, candle->open_time) - 1 >= first)
            g_signal_emit (self, signals[CANDLE_CLOSED], 0, instrument, (int) i, candle);
        }
    }

  publish_ticker (self, instrument);
  announce_price (self, instrument);
  return TRUE;
}

void
bourse_market_changed (BourseMarket           *self,
                       const BourseInstrument *instrument)
{
  g_return_if_fail (BOURSE_IS_MARKET (self));
  g_return_if_fail (instrument != NULL);

  publish_ticker (self, instrument);
  announce_price (self, instrument);
}

JsonNode *
bourse_market_get_status (BourseMarket *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (BOURSE_IS_MARKET (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "feeds");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->feeds->len; i++)
    {
      BourseFeed *feed = g_ptr_array_index (self->feeds, i);
      g_autoptr(JsonNode) status = bourse_feed_get_status (feed);
      JsonObject *object = json_node_get_object (status);

      json_object_set_string_member (object, "id", bourse_feed_get_id (feed));
      json_object_set_string_member (object, "name", bourse_feed_get_name (feed));
      json_object_set_int_member (object, "instruments",
                                  GPOINTER_TO_UINT (g_hash_table_lookup (self->feed_sizes, feed)));
      json_builder_add_value (builder, g_steal_pointer (&status));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
