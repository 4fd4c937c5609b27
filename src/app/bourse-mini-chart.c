/* bourse-mini-chart.c — a small candle chart with a recommendation's levels
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-mini-chart.h"

typedef struct
{
  double open;
  double high;
  double low;
  double close;
} Candle;

struct _BourseMiniChart
{
  GtkWidget     parent_instance;

  GArray       *candles;     /* Candle, oldest first */
  int           n_loaded;    /* -1 until a load finished */
  GCancellable *cancellable;

  double        entry;
  double        stop_loss;
  double        take_profit;
};

G_DEFINE_FINAL_TYPE (BourseMiniChart, bourse_mini_chart, GTK_TYPE_WIDGET)

/* Adwaita's palette: green 5, red 3 and blue 3 read on light and dark. */
static const GdkRGBA up_colour = { 0.149, 0.635, 0.412, 1.0 };
static const GdkRGBA down_colour = { 0.878, 0.106, 0.141, 1.0 };
static const GdkRGBA entry_colour = { 0.208, 0.518, 0.894, 1.0 };

gint64
bourse_interval_to_ms (const char *interval)
{
  guint64 count;
  char *end = NULL;

  if (interval == NULL)
    return 0;

  count = g_ascii_strtoull (interval, &end, 10);
  if (end == interval || count == 0 || end[0] == '\0' || end[1] != '\0')
    return 0;

  switch (end[0])
    {
    case 'm': return count * 60 * 1000;
    case 'h': return count * 3600 * 1000;
    case 'd': return count * 86400 * 1000;
    case 'w': return count * 7 * 86400 * 1000;
    /* Only to bound the request: a month is at most 31 days. */
    case 'M': return count * 31 * (gint64) 86400 * 1000;
    default:  return 0;
    }
}

static void
bourse_mini_chart_update_tooltip (BourseMiniChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->n_loaded > 0)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE, "%u candle", "%u candles",
                                         self->candles->len),
                            self->candles->len);

  /* The lines carry no labels at this size: the tooltip names them. */
  if (!isnan (self->entry))
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      g_string_append_printf (text, _("Entry (blue): %.8g"), self->entry);
    }
  if (!isnan (self->stop_loss))
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      g_string_append_printf (text, _("Stop-loss (red, dashed): %.8g"), self->stop_loss);
    }
  if (!isnan (self->take_profit))
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      g_string_append_printf (text, _("Take-profit (green, dashed): %.8g"), self->take_profit);
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self), text->len > 0 ? text->str : NULL);
}

static void
append_level (GtkSnapshot   *snapshot,
              double         y,
              double         width,
              const GdkRGBA *colour,
              gboolean       dashed)
{
  if (!dashed)
    {
      gtk_snapshot_append_color (snapshot, colour, &GRAPHENE_RECT_INIT (0, y, width, 1));
      return;
    }

  for (double x = 0; x < width; x += 7)
    gtk_snapshot_append_color (snapshot, colour,
                               &GRAPHENE_RECT_INIT (x, y, MIN (4, width - x), 1));
}

static void
bourse_mini_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  BourseMiniChart *self = BOURSE_MINI_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  const double levels[] = { self->entry, self->stop_loss, self->take_profit };
  double low = INFINITY, high = -INFINITY;
  double pad, slot, body;
  guint n = self->candles->len;

  if (width < 4 || height < 4)
    return;

  for (guint i = 0; i < n; i++)
    {
      const Candle *candle = &g_array_index (self->candles, Candle, i);

      low = MIN (low, candle->low);
      high = MAX (high, candle->high);
    }
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (!isnan (levels[i]))
      {
        low = MIN (low, levels[i]);
        high = MAX (high, levels[i]);
      }

  if (n == 0)
    {
      g_autoptr(PangoLayout) layout = NULL;
      GdkRGBA colour;
      int text_width, text_height;

      /* Still loading, or nothing stored for the window. */
      layout = gtk_widget_create_pango_layout (widget, self->n_loaded < 0 ? _("Loading candles…")
                                                                          : _("No candles"));
      gtk_style_context_get_color (gtk_widget_get_style_context (widget), &colour);
      colour.alpha *= 0.55;
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((width - text_width) / 2,
                                                              (height - text_height) / 2));
      gtk_snapshot_append_layout (snapshot, layout, &colour);
      gtk_snapshot_restore (snapshot);
    }

  if (!isfinite (low) || !isfinite (high))
    return;

  /* Flat data still needs a range to map onto. */
  pad = (high - low) * 0.06;
  if (pad <= 0)
    pad = fabs (high) * 0.01 + 1e-9;
  low -= pad;
  high += pad;

#define Y(v) ((high - (v)) / (high - low) * (height - 1))

  slot = n > 0 ? width / n : width;
  body = MAX (1.0, floor (slot * 0.65));

  for (guint i = 0; i < n; i++)
    {
      const Candle *candle = &g_array_index (self->candles, Candle, i);
      const GdkRGBA *colour = candle->close >= candle->open ? &up_colour : &down_colour;
      double x = floor (i * slot + (slot - body) / 2);
      double top = Y (MAX (candle->open, candle->close));
      double bottom = Y (MIN (candle->open, candle->close));

      gtk_snapshot_append_color (snapshot, colour,
                                 &GRAPHENE_RECT_INIT (floor (x + body / 2), Y (candle->high),
                                                      1, MAX (1, Y (candle->low) - Y (candle->high))));
      gtk_snapshot_append_color (snapshot, colour,
                                 &GRAPHENE_RECT_INIT (x, top, body, MAX (1, bottom - top)));
    }

  if (!isnan (self->stop_loss))
    append_level (snapshot, round (Y (self->stop_loss)), width, &down_colour, TRUE);
  if (!isnan (self->take_profit))
    append_level (snapshot, round (Y (self->take_profit)), width, &up_colour, TRUE);
  if (!isnan (self->entry))
    append_level (snapshot, round (Y (self->entry)), width, &entry_colour, FALSE);

#undef Y
}

static void
bourse_mini_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 360;
    }
  else
    {
      *minimum = 64;
      *natural = 96;
    }
}

static double
decimal_member (JsonObject *object,
                const char *member)
{
  const char *text = bourse_json_get_string (object, member);
  char *end = NULL;
  double value;

  if (text == NULL)
    return NAN;

  /* Prices travel as decimal strings; a chart may draw them as doubles. */
  value = g_ascii_strtod (text, &end);
  return end != text && isfinite (value) ? value : NAN;
}

static void
bourse_mini_chart_load_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(BourseMiniChart) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *candles;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* A chart is a picture: the list around it says what matters. */
      g_debug ("Could not load the chart's candles: %s", error->message);
      self->n_loaded = 0;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      bourse_mini_chart_update_tooltip (self);
      return;
    }

  g_array_set_size (self->candles, 0);
  candles = JSON_NODE_HOLDS_OBJECT (answer)
          ? bourse_json_get_array (json_node_get_object (answer), "items") : NULL;

  for (guint i = 0; candles != NULL && i < json_array_get_length (candles); i++)
    {
      JsonNode *node = json_array_get_element (candles, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      Candle candle;

      candle.open = decimal_member (item, "open");
      candle.high = decimal_member (item, "high");
      candle.low = decimal_member (item, "low");
      candle.close = decimal_member (item, "close");
      if (isnan (candle.open) || isnan (candle.high) || isnan (candle.low) || isnan (candle.close))
        continue;

      g_array_append_val (self->candles, candle);
    }

  /* The newest, should the server have sent more than asked. */
  if (self->candles->len > BOURSE_MINI_CHART_MAX_CANDLES)
    g_array_remove_range (self->candles, 0, self->candles->len - BOURSE_MINI_CHART_MAX_CANDLES);

  self->n_loaded = self->candles->len;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  bourse_mini_chart_update_tooltip (self);
}

void
bourse_mini_chart_load (BourseMiniChart *self,
                        BourseClient    *client,
                        const char      *symbol,
                        const char      *interval,
                        gint64           start_ms,
                        gint64           end_ms)
{
  g_autofree char *escaped_symbol = NULL;
  g_autofree char *escaped_interval = NULL;
  g_autofree char *path = NULL;
  gint64 step;

  g_return_if_fail (BOURSE_IS_MINI_CHART (self));
  g_return_if_fail (BOURSE_IS_CLIENT (client));
  g_return_if_fail (symbol != NULL);
  g_return_if_fail (interval != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_array_set_size (self->candles, 0);
  self->n_loaded = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* A long window would be a thousand candles a few pixels apart: its
   * end is what the decision was made on. */
  if ((step = bourse_interval_to_ms (interval)) > 0 &&
      end_ms - start_ms > step * BOURSE_MINI_CHART_MAX_CANDLES)
    start_ms = end_ms - step * BOURSE_MINI_CHART_MAX_CANDLES;

  escaped_symbol = g_uri_escape_string (symbol, NULL, FALSE);
  escaped_interval = g_uri_escape_string (interval, NULL, FALSE);
  path = g_strdup_printf ("/api/v1/market/candles/%s?interval=%s&start=%" PRId64 "&end=%" PRId64
                          "&limit=%u",
                          escaped_symbol, escaped_interval, start_ms, end_ms,
                          BOURSE_MINI_CHART_MAX_CANDLES + 1);

  self->cancellable = g_cancellable_new ();
  bourse_client_get_json_async (client, path, self->cancellable,
                                bourse_mini_chart_load_cb, g_object_ref (self));
}

int
bourse_mini_chart_get_n_candles (BourseMiniChart *self)
{
  g_return_val_if_fail (BOURSE_IS_MINI_CHART (self), -1);

  return self->n_loaded;
}

void
bourse_mini_chart_set_levels (BourseMiniChart *self,
                              double           entry,
                              double           stop_loss,
                              double           take_profit)
{
  g_return_if_fail (BOURSE_IS_MINI_CHART (self));

  self->entry = entry;
  self->stop_loss = stop_loss;
  self->take_profit = take_profit;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  bourse_mini_chart_update_tooltip (self);
}

void
bourse_mini_chart_get_levels (BourseMiniChart *self,
                              double          *entry,
                              double          *stop_loss,
                              double          *take_profit)
{
  g_return_if_fail (BOURSE_IS_MINI_CHART (self));

  if (entry != NULL)
    *entry = self->entry;
  if (stop_loss != NULL)
    *stop_loss = self->stop_loss;
  if (take_profit != NULL)
    *take_profit = self->take_profit;
}

static void
bourse_mini_chart_dispose (GObject *object)
{
  BourseMiniChart *self = (BourseMiniChart *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bourse_mini_chart_parent_class)->dispose (object);
}

static void
bourse_mini_chart_finalize (GObject *object)
{
  BourseMiniChart *self = (BourseMiniChart *)object;

  g_clear_pointer (&self->candles, g_array_unref);

  G_OBJECT_CLASS (bourse_mini_chart_parent_class)->finalize (object);
}

static void
bourse_mini_chart_class_init (BourseMiniChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_mini_chart_dispose;
  object_class->finalize = bourse_mini_chart_finalize;

  widget_class->snapshot = bourse_mini_chart_snapshot;
  widget_class->measure = bourse_mini_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "minichart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bourse_mini_chart_init (BourseMiniChart *self)
{
  self->candles = g_array_new (FALSE, FALSE, sizeof (Candle));
  self->n_loaded = -1;
  self->entry = NAN;
  self->stop_loss = NAN;
  self->take_profit = NAN;

  gtk_widget_set_name (GTK_WIDGET (self), "mini-chart");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Candles of the recommendation’s window with its entry, "
                                    "stop-loss and take-profit"),
                                  -1);
}

GtkWidget *
bourse_mini_chart_new (void)
{
  return g_object_new (BOURSE_TYPE_MINI_CHART, NULL);
}
