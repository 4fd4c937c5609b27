/* bourse-feed.h — plugins that bring candles into the market
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-plugins.h"

G_BEGIN_DECLS

/* The GIO extension point; an extension's name is its id, the instruments'
 * source it serves ("simulated", "binance"). */
#define BOURSE_FEED_EXTENSION_POINT_NAME BOURSE_PLUGIN_FEED

#define BOURSE_TYPE_FEED (bourse_feed_get_type ())

G_DECLARE_INTERFACE (BourseFeed, bourse_feed, BOURSE, FEED, GObject)

typedef struct _BourseMarket BourseMarket;

struct _BourseFeedInterface
{
  GTypeInterface parent_iface;

  /* Stable: the value of instruments.source it serves. */
  const char *(*get_id)         (BourseFeed    *self);
  /* Translated, for people. */
  const char *(*get_name)       (BourseFeed    *self);
  /* A JSON Schema object describing its configuration, for the UIs' forms. */
  const char *(*get_parameters) (BourseFeed    *self);
  /* Starts feeding @instruments (BourseInstrument *, those of this feed's
   * source) into @market through bourse_market_ingest (), on the
   * thread-default main context, which is the engine's. */
  gboolean    (*start)          (BourseFeed    *self,
                                 BourseMarket  *market,
                                 GPtrArray     *instruments,
                                 GError       **error);
  /* Stops at once: nothing is fed after it returns. */
  void        (*stop)           (BourseFeed    *self);
  /* {"state": "…", …}, for the system status. */
  JsonNode   *(*get_status)     (BourseFeed    *self);
};

const char *bourse_feed_get_id         (BourseFeed    *self);
const char *bourse_feed_get_name       (BourseFeed    *self);
const char *bourse_feed_get_parameters (BourseFeed    *self);
gboolean    bourse_feed_start          (BourseFeed    *self,
                                        BourseMarket  *market,
                                        GPtrArray     *instruments,
                                        GError       **error);
void        bourse_feed_stop           (BourseFeed    *self);
JsonNode   *bourse_feed_get_status     (BourseFeed    *self);

/* Registers the extension point and the built-ins, then loads modules. */
void        bourse_feeds_ensure        (void);
/* A new instance of the feed with this id, or NULL. */
BourseFeed *bourse_feed_lookup         (const char    *id);

G_END_DECLS
