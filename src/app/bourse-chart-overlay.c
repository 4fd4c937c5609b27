/* bourse-chart-overlay.c — the account's fills and resting orders on a
 * candlestick chart
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "core/bourse-json.h"

#include "bourse-chart-overlay.h"
#include "bourse-desk-util.h"
#include "bourse-trading-util.h"

#define ORDERS_TOPIC "orders"
#define FILLS_TOPIC  "fills"

/* Enough fills to mark a chart's visible history. */
#define MAX_FILLS 500

struct _BourseChartOverlay
{
  GObject            parent_instance;

  BourseCandleChart *chart;        /* weak */
  BourseClient      *client;
  GSignalGroup      *client_signals;
  GCancellable      *orders_cancellable;
  GCancellable      *fills_cancellable;
  char              *symbol;
  GArray            *markers;      /* the symbol's fills */
  GArray            *lines;        /* its open orders */
  gboolean           reload_queued;
};

G_DEFINE_FINAL_TYPE (BourseChartOverlay, bourse_chart_overlay, G_TYPE_OBJECT)

static gint64
time_to_ms (const char *rfc3339)
{
  g_autoptr(GDateTime) time = rfc3339 != NULL ? g_date_time_new_from_iso8601 (rfc3339, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000
                      : G_MININT64;
}

static void
add_marker (GArray     *markers,
            JsonObject *fill)
{
  BourseChartMarker marker;

  marker.time = time_to_ms (bourse_json_get_string (fill, "time"));
  marker.price = bourse_json_get_price (fill, "price");
  marker.buy = g_strcmp0 (bourse_json_get_string (fill, "side"), "BUY") == 0;
  if (marker.time != G_MININT64 && !isnan (marker.price))
    g_array_append_val (markers, marker);
}

static void
add_line (GArray              *lines,
          JsonObject          *order,
          const char          *member,
          BourseChartLineKind  kind)
{
  BourseChartLine line = { bourse_json_get_price (order, member), kind };

  if (!isnan (line.price))
    g_array_append_val (lines, line);
}

static void
bourse_chart_overlay_add_lines (BourseChartOverlay *self,
                                JsonObject         *order)
{
  const char *type = bourse_json_get_string (order, "type");

  if (!bourse_order_status_is_open (bourse_json_get_string (order, "status")))
    return;

  if (g_strcmp0 (type, "STOP_LOSS_LIMIT") == 0)
    add_line (self->lines, order, "stop_price", BOURSE_CHART_LINE_STOP_LOSS);
  else if (g_strcmp0 (type, "TAKE_PROFIT_LIMIT") == 0)
    add_line (self->lines, order, "stop_price", BOURSE_CHART_LINE_TAKE_PROFIT);
  else if (g_strcmp0 (type, "LIMIT") == 0)
    add_line (self->lines, order, "price", BOURSE_CHART_LINE_ORDER);

  /* An entry whose bracket waits for its fill. */
  add_line (self->lines, order, "stop_loss", BOURSE_CHART_LINE_STOP_LOSS);
  add_line (self->lines, order, "take_profit", BOURSE_CHART_LINE_TAKE_PROFIT);
}

static void
bourse_chart_overlay_show_markers (BourseChartOverlay *self)
{
  if (self->chart != NULL)
    bourse_candle_chart_set_markers (self->chart, (BourseChartMarker *) self->markers->data,
                                     self->markers->len);
}

static void
bourse_chart_overlay_show_lines (BourseChartOverlay *self)
{
  if (self->chart != NULL)
    bourse_candle_chart_set_lines (self->chart, (BourseChartLine *) self->lines->data,
                                   self->lines->len);
}

/* Calls @add for each object of the answer's items. */
static gboolean
for_each_item (GObject       *client,
               GAsyncResult  *result,
               const char    *what,
               void         (*add) (BourseChartOverlay *, JsonObject *),
               BourseChartOverlay *self)
{
  JsonArray *items;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (client, result, what, "items", &items);

  if (answer == NULL)
    return FALSE;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add (self, json_node_get_object (node));
    }

  return TRUE;
}

static void
bourse_chart_overlay_add_fill (BourseChartOverlay *self,
                               JsonObject         *fill)
{
  add_marker (self->markers, fill);
}

static void
bourse_chart_overlay_orders_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(BourseChartOverlay) self = user_data;

  g_array_set_size (self->lines, 0);
  if (for_each_item (object, result, "the chart's orders", bourse_chart_overlay_add_lines, self))
    bourse_chart_overlay_show_lines (self);
}

static void
bourse_chart_overlay_fills_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BourseChartOverlay) self = user_data;

  g_array_set_size (self->markers, 0);
  if (for_each_item (object, result, "the chart's fills", bourse_chart_overlay_add_fill, self))
    bourse_chart_overlay_show_markers (self);
}

static void
bourse_chart_overlay_load (BourseChartOverlay *self,
                           gboolean            orders,
                           gboolean            fills)
{
  g_autofree char *escaped = NULL;

  if (orders)
    {
      g_cancellable_cancel (self->orders_cancellable);
      g_clear_object (&self->orders_cancellable);
    }
  if (fills)
    {
      g_cancellable_cancel (self->fills_cancellable);
      g_clear_object (&self->fills_cancellable);
    }

  if (self->client == NULL || self->symbol == NULL)
    return;

  escaped = g_uri_escape_string (self->symbol, NULL, FALSE);
  if (orders)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/orders?status=open&symbol=%s&limit=200",
                                               escaped);

      self->orders_cancellable = g_cancellable_new ();
      bourse_client_get_json_async (self->client, path, self->orders_cancellable,
                                    bourse_chart_overlay_orders_cb, g_object_ref (self));
    }
  if (fills)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/fills?symbol=%s&limit=%d", escaped, MAX_FILLS);

      self->fills_cancellable = g_cancellable_new ();
      bourse_client_get_json_async (self->client, path, self->fills_cancellable,
                                    bourse_chart_overlay_fills_cb, g_object_ref (self));
    }
}

/* Another symbol or another server: nothing of the last one stays. */
static void
bourse_chart_overlay_reload (BourseChartOverlay *self)
{
  g_array_set_size (self->markers, 0);
  g_array_set_size (self->lines, 0);
  bourse_chart_overlay_show_markers (self);
  bourse_chart_overlay_show_lines (self);
  bourse_chart_overlay_load (self, TRUE, TRUE);
}

static gboolean
bourse_chart_overlay_reload_idle_cb (gpointer data)
{
  BourseChartOverlay *self = data;

  self->reload_queued = FALSE;
  bourse_chart_overlay_load (self, TRUE, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
is_of_symbol (BourseChartOverlay *self,
              JsonNode           *data)
{
  return data != NULL && JSON_NODE_HOLDS_OBJECT (data) &&
         g_strcmp0 (bourse_json_get_string (json_node_get_object (data), "symbol"), self->symbol) == 0;
}

static void
bourse_chart_overlay_orders_event_cb (BourseChartOverlay *self,
                                      const char         *topic,
                                      gint64              seq,
                                      JsonNode           *data,
                                      BourseClient       *client)
{
  g_assert (BOURSE_IS_CHART_OVERLAY (self));

  /* Only what moves on the symbol shown; the open orders again, once per
   * burst. */
  if (self->reload_queued || !is_of_symbol (self, data))
    return;

  self->reload_queued = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, bourse_chart_overlay_reload_idle_cb,
                   g_object_ref (self), g_object_unref);
}

static void
bourse_chart_overlay_fills_event_cb (BourseChartOverlay *self,
                                     const char         *topic,
                                     gint64              seq,
                                     JsonNode           *data,
                                     BourseClient       *client)
{
  g_assert (BOURSE_IS_CHART_OVERLAY (self));

  /* A fill is whole in its event. */
  if (!is_of_symbol (self, data))
    return;

  add_marker (self->markers, json_node_get_object (data));
  bourse_chart_overlay_show_markers (self);
}

static void
bourse_chart_overlay_resync_cb (BourseChartOverlay *self,
                                const char         *topic,
                                BourseClient       *client)
{
  g_assert (BOURSE_IS_CHART_OVERLAY (self));

  bourse_chart_overlay_load (self, g_str_equal (topic, ORDERS_TOPIC), g_str_equal (topic, FILLS_TOPIC));
}

static void
bourse_chart_overlay_unfollow (BourseChartOverlay *self)
{
  if (self->client == NULL)
    return;

  bourse_client_unsubscribe (self->client, ORDERS_TOPIC);
  bourse_client_unsubscribe (self->client, FILLS_TOPIC);
}

void
bourse_chart_overlay_set_client (BourseChartOverlay *self,
                                 BourseClient       *client)
{
  g_return_if_fail (BOURSE_IS_CHART_OVERLAY (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  bourse_chart_overlay_unfollow (self);
  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);
  if (client != NULL)
    {
      bourse_client_subscribe (client, ORDERS_TOPIC);
      bourse_client_subscribe (client, FILLS_TOPIC);
    }

  bourse_chart_overlay_reload (self);
}

void
bourse_chart_overlay_set_symbol (BourseChartOverlay *self,
                                 const char         *symbol)
{
  g_return_if_fail (BOURSE_IS_CHART_OVERLAY (self));

  if (g_strcmp0 (self->symbol, symbol) == 0)
    return;

  g_free (self->symbol);
  self->symbol = g_strdup (symbol);
  bourse_chart_overlay_reload (self);
}

static void
bourse_chart_overlay_dispose (GObject *object)
{
  BourseChartOverlay *self = (BourseChartOverlay *)object;

  g_cancellable_cancel (self->orders_cancellable);
  g_clear_object (&self->orders_cancellable);
  g_cancellable_cancel (self->fills_cancellable);
  g_clear_object (&self->fills_cancellable);
  bourse_chart_overlay_unfollow (self);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);
  g_clear_weak_pointer (&self->chart);

  G_OBJECT_CLASS (bourse_chart_overlay_parent_class)->dispose (object);
}

static void
bourse_chart_overlay_finalize (GObject *object)
{
  BourseChartOverlay *self = (BourseChartOverlay *)object;

  g_clear_pointer (&self->symbol, g_free);
  g_clear_pointer (&self->markers, g_array_unref);
  g_clear_pointer (&self->lines, g_array_unref);

  G_OBJECT_CLASS (bourse_chart_overlay_parent_class)->finalize (object);
}

static void
bourse_chart_overlay_class_init (BourseChartOverlayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_chart_overlay_dispose;
  object_class->finalize = bourse_chart_overlay_finalize;
}

static void
bourse_chart_overlay_init (BourseChartOverlay *self)
{
  self->markers = g_array_new (FALSE, FALSE, sizeof (BourseChartMarker));
  self->lines = g_array_new (FALSE, FALSE, sizeof (BourseChartLine));

  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" ORDERS_TOPIC,
                                 G_CALLBACK (bourse_chart_overlay_orders_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "event::" FILLS_TOPIC,
                                 G_CALLBACK (bourse_chart_overlay_fills_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" ORDERS_TOPIC,
                                 G_CALLBACK (bourse_chart_overlay_resync_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" FILLS_TOPIC,
                                 G_CALLBACK (bourse_chart_overlay_resync_cb),
                                 self, G_CONNECT_SWAPPED);
}

BourseChartOverlay *
bourse_chart_overlay_new (BourseCandleChart *chart)
{
  BourseChartOverlay *self;

  g_return_val_if_fail (BOURSE_IS_CANDLE_CHART (chart), NULL);

  self = g_object_new (BOURSE_TYPE_CHART_OVERLAY, NULL);
  g_set_weak_pointer (&self->chart, chart);

  return self;
}
