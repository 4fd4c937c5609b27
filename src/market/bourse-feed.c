/* bourse-feed.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-binance-feed.h"
#include "bourse-feed.h"
#include "bourse-sim-feed.h"

G_DEFINE_INTERFACE (BourseFeed, bourse_feed, G_TYPE_OBJECT)

static void
bourse_feed_default_init (BourseFeedInterface *iface)
{
}

const char *
bourse_feed_get_id (BourseFeed *self)
{
  g_return_val_if_fail (BOURSE_IS_FEED (self), NULL);

  return BOURSE_FEED_GET_IFACE (self)->get_id (self);
}

const char *
bourse_feed_get_name (BourseFeed *self)
{
  g_return_val_if_fail (BOURSE_IS_FEED (self), NULL);

  return BOURSE_FEED_GET_IFACE (self)->get_name (self);
}

const char *
bourse_feed_get_parameters (BourseFeed *self)
{
  g_return_val_if_fail (BOURSE_IS_FEED (self), NULL);

  if (BOURSE_FEED_GET_IFACE (self)->get_parameters == NULL)
    return "{\"type\":\"object\",\"properties\":{}}";
  return BOURSE_FEED_GET_IFACE (self)->get_parameters (self);
}

gboolean
bourse_feed_start (BourseFeed    *self,
                   BourseMarket  *market,
                   GPtrArray     *instruments,
                   GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_FEED (self), FALSE);
  g_return_val_if_fail (instruments != NULL, FALSE);

  return BOURSE_FEED_GET_IFACE (self)->start (self, market, instruments, error);
}

void
bourse_feed_stop (BourseFeed *self)
{
  g_return_if_fail (BOURSE_IS_FEED (self));

  BOURSE_FEED_GET_IFACE (self)->stop (self);
}

JsonNode *
bourse_feed_get_status (BourseFeed *self)
{
  JsonNode *status;

  g_return_val_if_fail (BOURSE_IS_FEED (self), NULL);

  if (BOURSE_FEED_GET_IFACE (self)->get_status != NULL
      && (status = BOURSE_FEED_GET_IFACE (self)->get_status (self)) != NULL)
    return status;

  status = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (status, json_object_new ());
  return status;
}

void
bourse_feeds_ensure (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GIOExtensionPoint *point = g_io_extension_point_register (BOURSE_FEED_EXTENSION_POINT_NAME);

      g_io_extension_point_set_required_type (point, BOURSE_TYPE_FEED);
      /* Built-ins go through the same door as modules. */
      g_io_extension_point_implement (BOURSE_FEED_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_SIM_FEED, "simulated", 100);
      g_io_extension_point_implement (BOURSE_FEED_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_BINANCE_FEED, "binance", 90);
      bourse_plugins_load ();

      g_once_init_leave (&initialized, 1);
    }
}

BourseFeed *
bourse_feed_lookup (const char *id)
{
  GIOExtension *extension;

  g_return_val_if_fail (id != NULL, NULL);

  bourse_feeds_ensure ();
  extension = g_io_extension_point_get_extension_by_name (
    g_io_extension_point_lookup (BOURSE_FEED_EXTENSION_POINT_NAME), id);
  if (extension == NULL)
    return NULL;
  return g_object_new (g_io_extension_get_type (extension), NULL);
}
