/* bourse-instrument-row.c — an instrument in the Markets page's list
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientInstrument (the "instruments" topic
 * updates the object, its notify the row) and the instrument's ticker. The
 * ticker:SYMBOL subscription is the row's own: an instrument that goes
 * takes its row, and the row its subscription.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-instrument-row.h"
#include "bourse-markets-page.h"
#include "core/bourse-json.h"

struct _BourseInstrumentRow
{
  GtkListBoxRow           parent_instance;

  BourseClientInstrument *instrument;
  BourseClient           *client;
  GCancellable           *cancellable;
  char                   *topic;        /* subscribed from new to dispose */
  JsonObject             *ticker;       /* the latest, or NULL */

  GtkLabel               *symbol_label;
  GtkWidget              *simulated_tag;
  GtkWidget              *halted_tag;
  GtkLabel               *pair_label;
  GtkLabel               *price_label;
  GtkLabel               *change_label;
};

G_DEFINE_FINAL_TYPE (BourseInstrumentRow, bourse_instrument_row, GTK_TYPE_LIST_BOX_ROW)

static void
set_change (GtkLabel   *label,
            const char *percent)
{
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  double value;

  gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");

  if (percent == NULL)
    {
      gtk_label_set_label (label, "—");
      return;
    }

  value = g_ascii_strtod (percent, NULL);
  number = bourse_format_decimal (percent[0] == '-' || percent[0] == '+' ? percent + 1 : percent, 2);
  text = g_strdup_printf ("%s%s %%", value > 0 ? "+" : value < 0 ? "−" : "", number);
  gtk_label_set_label (label, text);

  if (value > 0)
    gtk_widget_add_css_class (GTK_WIDGET (label), "success");
  else if (value < 0)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
}

/* The instrument and its latest ticker, prices cut to its tick size. */
static void
bourse_instrument_row_sync (BourseInstrumentRow *self)
{
  int decimals = bourse_decimal_places (bourse_client_instrument_get_tick_size (self->instrument));
  g_autofree char *pair = bourse_format_pair (self->instrument);
  const char *last;
  g_autofree char *price = NULL;
  g_autofree char *high = NULL;
  g_autofree char *low = NULL;
  g_autofree char *volume = NULL;
  g_autofree char *tooltip = NULL;

  gtk_label_set_label (self->symbol_label, bourse_client_instrument_get_symbol (self->instrument));
  gtk_widget_set_visible (self->simulated_tag, bourse_client_instrument_get_simulated (self->instrument));
  gtk_widget_set_visible (self->halted_tag,
                          g_strcmp0 (bourse_client_instrument_get_status (self->instrument), "halted") == 0);
  gtk_label_set_label (self->pair_label, pair);
  if (self->ticker == NULL)
    return;

  last = bourse_json_get_string (self->ticker, "last_price");
  price = last != NULL ? bourse_format_decimal (last, decimals) : g_strdup ("—");
  gtk_label_set_label (self->price_label, price);
  set_change (self->change_label, bourse_json_get_string (self->ticker, "change_percent"));

  high = bourse_format_decimal (bourse_json_get_string (self->ticker, "high"), decimals);
  low = bourse_format_decimal (bourse_json_get_string (self->ticker, "low"), decimals);
  volume = bourse_format_decimal (bourse_json_get_string (self->ticker, "volume"), 2);
  /* Translators: over the last 24 hours: highest price, lowest price, volume */
  tooltip = g_strdup_printf (_("24 h: high %s, low %s, volume %s"), high, low, volume);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
}

/* From GET …/ticker/{symbol} or the topic. */
static void
bourse_instrument_row_set_ticker (BourseInstrumentRow *self,
                                  JsonNode            *ticker)
{
  if (!JSON_NODE_HOLDS_OBJECT (ticker))
    return;

  g_clear_pointer (&self->ticker, json_object_unref);
  self->ticker = json_object_ref (json_node_get_object (ticker));
  bourse_instrument_row_sync (self);
}

static void
bourse_instrument_row_ticker_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(BourseInstrumentRow) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      /* No ticker yet is not worth a toast: the row shows a dash. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No %s: %s", self->topic, error->message);
      return;
    }

  bourse_instrument_row_set_ticker (self, answer);
}

static void
bourse_instrument_row_load_ticker (BourseInstrumentRow *self)
{
  g_autofree char *escaped = g_uri_escape_string (bourse_client_instrument_get_symbol (self->instrument),
                                                  NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/market/ticker/%s", escaped);

  bourse_client_get_json_async (self->client, path, self->cancellable,
                                bourse_instrument_row_ticker_cb, g_object_ref (self));
}

static void
bourse_instrument_row_event_cb (BourseInstrumentRow *self,
                                const char          *topic,
                                gint64               seq,
                                JsonNode            *data,
                                BourseClient        *client)
{
  bourse_instrument_row_set_ticker (self, data);
}

static void
bourse_instrument_row_resync_cb (BourseInstrumentRow *self,
                                 const char          *topic,
                                 BourseClient        *client)
{
  bourse_instrument_row_load_ticker (self);
}

GtkWidget *
bourse_instrument_row_new (BourseClientInstrument *instrument,
                           BourseClient           *client,
                           GCancellable           *cancellable)
{
  const char *symbol;
  g_autofree char *name = NULL;
  g_autofree char *event = NULL;
  g_autofree char *resync = NULL;
  BourseInstrumentRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_INSTRUMENT (instrument), NULL);
  g_return_val_if_fail (BOURSE_IS_CLIENT (client), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  symbol = bourse_client_instrument_get_symbol (instrument);
  name = g_strdup_printf ("instrument-row-%s", symbol);
  self = g_object_new (BOURSE_TYPE_INSTRUMENT_ROW, "name", name, NULL);
  self->instrument = g_object_ref (instrument);
  self->client = g_object_ref (client);
  g_set_object (&self->cancellable, cancellable);
  self->topic = g_strdup_printf ("ticker:%s", symbol);
  bourse_instrument_row_sync (self);

  /* A changed instrument (its tick size, its status) updates the row in place. */
  g_signal_connect_object (instrument, "notify", G_CALLBACK (bourse_instrument_row_sync),
                           self, G_CONNECT_SWAPPED);
  event = g_strconcat ("event::", self->topic, NULL);
  resync = g_strconcat ("resync::", self->topic, NULL);
  g_signal_connect_object (client, event, G_CALLBACK (bourse_instrument_row_event_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, resync, G_CALLBACK (bourse_instrument_row_resync_cb),
                           self, G_CONNECT_SWAPPED);
  bourse_client_subscribe (client, self->topic);
  bourse_instrument_row_load_ticker (self);

  return GTK_WIDGET (self);
}

BourseClientInstrument *
bourse_instrument_row_get_instrument (BourseInstrumentRow *self)
{
  g_return_val_if_fail (BOURSE_IS_INSTRUMENT_ROW (self), NULL);

  return self->instrument;
}

static void
bourse_instrument_row_dispose (GObject *object)
{
  BourseInstrumentRow *self = (BourseInstrumentRow *)object;

  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, self->topic);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->instrument);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_INSTRUMENT_ROW);

  G_OBJECT_CLASS (bourse_instrument_row_parent_class)->dispose (object);
}

static void
bourse_instrument_row_finalize (GObject *object)
{
  BourseInstrumentRow *self = (BourseInstrumentRow *)object;

  g_clear_pointer (&self->topic, g_free);
  g_clear_pointer (&self->ticker, json_object_unref);

  G_OBJECT_CLASS (bourse_instrument_row_parent_class)->finalize (object);
}

static void
bourse_instrument_row_class_init (BourseInstrumentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_instrument_row_dispose;
  object_class->finalize = bourse_instrument_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-instrument-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseInstrumentRow, symbol_label);
  gtk_widget_class_bind_template_child (widget_class, BourseInstrumentRow, simulated_tag);
  gtk_widget_class_bind_template_child (widget_class, BourseInstrumentRow, halted_tag);
  gtk_widget_class_bind_template_child (widget_class, BourseInstrumentRow, pair_label);
  gtk_widget_class_bind_template_child (widget_class, BourseInstrumentRow, price_label);
  gtk_widget_class_bind_template_child (widget_class, BourseInstrumentRow, change_label);
}

static void
bourse_instrument_row_init (BourseInstrumentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
