/* bourse-order-row.c — an order in the Orders page
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientOrder: the "orders" topic updates the
 * object, the object's notify updates the row.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-order-row.h"
#include "bourse-trading-util.h"

struct _BourseOrderRow
{
  AdwActionRow       parent_instance;

  BourseClientOrder *order;
  gboolean           may_cancel;

  GtkLabel          *mode_label;
  GtkLabel          *status_label;
  GtkWidget         *cancel_button;  /* held: taken away and put back */
};

G_DEFINE_FINAL_TYPE (BourseOrderRow, bourse_order_row, ADW_TYPE_ACTION_ROW)

static char *
dup_subtitle (BourseClientOrder *order)
{
  const char *status = bourse_client_order_get_status (order);
  const char *reason = bourse_client_order_get_reason (order);
  const char *exchange_id = bourse_client_order_get_exchange_order_id (order);
  const char *strategy = bourse_client_order_get_strategy_name (order);
  gboolean external = bourse_client_order_get_external (order);
  gboolean cancel_requested = bourse_client_order_get_cancel_requested_at (order) != NULL;
  g_autofree char *created = bourse_format_local_time (bourse_client_order_get_created_at (order));
  GString *subtitle = g_string_new (bourse_order_type_to_display (bourse_client_order_get_order_type (order)));
  BourseDecimal filled;

  if (bourse_client_order_get_price (order) != NULL)
    {
      g_autofree char *price = bourse_format_price (bourse_client_order_get_price (order));

      g_string_append_printf (subtitle, " %s", price);
    }
  if (bourse_client_order_get_stop_price (order) != NULL)
    {
      g_autofree char *stop = bourse_format_price (bourse_client_order_get_stop_price (order));

      /* Translators: the price that triggers a stop-loss or take-profit order */
      g_string_append_printf (subtitle, _(" · stop %s"), stop);
    }
  if (bourse_client_order_get_filled_quantity (order) != NULL &&
      bourse_decimal_parse (bourse_client_order_get_filled_quantity (order), &filled, NULL) &&
      !bourse_decimal_is_zero (filled))
    {
      g_autofree char *quantity = bourse_format_price (bourse_client_order_get_filled_quantity (order));
      g_autofree char *average = bourse_format_price (bourse_client_order_get_average_price (order));

      /* Translators: how much of an order filled, and at what average price */
      g_string_append_printf (subtitle, _(" · filled %s at %s"), quantity, average);
    }
  g_string_append_printf (subtitle, " · %s", created ? created : "—");
  if (strategy != NULL)
    /* Translators: the live strategy whose approved signal made an order */
    g_string_append_printf (subtitle, _(" · by %s"), strategy);
  if (reason != NULL && reason[0] != '\0')
    g_string_append_printf (subtitle, "\n%s", reason);

  /* What the venue knows of it: its id there, whether it was placed there
   * outside Bourse (adopted by a reconciliation), and a cancel it has yet
   * to confirm. */
  if (exchange_id != NULL || external || cancel_requested)
    {
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *line = NULL;

      if (exchange_id != NULL)
        /* Translators: an order's id on the exchange */
        g_ptr_array_add (parts, g_strdup_printf (_("Exchange order %s"), exchange_id));
      if (external)
        g_ptr_array_add (parts, g_strdup (_("external: placed on the exchange outside Bourse")));
      if (cancel_requested && bourse_order_status_is_open (status))
        g_ptr_array_add (parts, g_strdup (_("cancel requested, waiting for the exchange")));
      g_ptr_array_add (parts, NULL);
      line = g_strjoinv (" · ", (char **) parts->pdata);
      g_string_append_printf (subtitle, "\n%s", line);
    }

  return g_string_free (subtitle, FALSE);
}

static void
bourse_order_row_sync (BourseOrderRow *self)
{
  BourseClientOrder *order = self->order;
  const char *status = bourse_client_order_get_status (order);
  const char *mode = bourse_client_order_get_mode (order);
  gboolean open = bourse_order_status_is_open (status);
  gboolean cancel_requested = bourse_client_order_get_cancel_requested_at (order) != NULL;
  gint64 id = bourse_client_order_get_id (order);
  g_autofree char *name = g_strdup_printf ("order-row-%" PRId64, id);
  g_autofree char *quantity = bourse_format_price (bourse_client_order_get_quantity (order));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = dup_subtitle (order);
  /* A cancel on its way is not asked for twice. */
  gboolean cancelable = self->may_cancel && open && !cancel_requested;

  gtk_widget_set_name (GTK_WIDGET (self), name);
  /* Translators: a side, a quantity and an instrument, e.g. “Buy 0.01 BTCUSDT” */
  title = g_strdup_printf (_("%s %s %s"), bourse_order_side_to_display (bourse_client_order_get_side (order)),
                           quantity, bourse_client_order_get_symbol (order) ?: "?");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);

  gtk_widget_set_visible (GTK_WIDGET (self->mode_label), mode != NULL);
  gtk_label_set_label (self->mode_label, mode != NULL ? bourse_account_mode_to_display (mode) : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "live-tag");
  gtk_widget_remove_css_class (GTK_WIDGET (self->mode_label), "paper-tag");
  if (mode != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->mode_label),
                              g_strcmp0 (mode, "live") == 0 ? "live-tag" : "paper-tag");

  gtk_label_set_label (self->status_label,
                       cancel_requested && open ? _("Cancel requested") : bourse_order_status_to_display (status));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), open ? "dim-label" : "accent");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), open ? "accent" : "dim-label");

  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->cancel_button), g_variant_new_int64 (id));
  if (cancelable && gtk_widget_get_parent (self->cancel_button) == NULL)
    adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->cancel_button);
  else if (!cancelable && gtk_widget_get_parent (self->cancel_button) != NULL)
    adw_action_row_remove (ADW_ACTION_ROW (self), self->cancel_button);
}

GtkWidget *
bourse_order_row_new (BourseClientOrder *order,
                      gboolean           may_cancel)
{
  BourseOrderRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_ORDER (order), NULL);

  self = g_object_new (BOURSE_TYPE_ORDER_ROW, NULL);
  self->order = g_object_ref (order);
  self->may_cancel = !!may_cancel;
  bourse_order_row_sync (self);
  g_signal_connect_object (order, "notify", G_CALLBACK (bourse_order_row_sync), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

BourseClientOrder *
bourse_order_row_get_order (BourseOrderRow *self)
{
  g_return_val_if_fail (BOURSE_IS_ORDER_ROW (self), NULL);

  return self->order;
}

static void
bourse_order_row_dispose (GObject *object)
{
  BourseOrderRow *self = (BourseOrderRow *)object;
  GtkWidget *cancel_button = self->cancel_button;

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_ORDER_ROW);
  /* Held since init (see there); the template's pointer is cleared by now. */
  if (cancel_button != NULL)
    g_object_unref (cancel_button);
  self->cancel_button = NULL;
  g_clear_object (&self->order);

  G_OBJECT_CLASS (bourse_order_row_parent_class)->dispose (object);
}

static void
bourse_order_row_class_init (BourseOrderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_order_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-order-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseOrderRow, mode_label);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderRow, cancel_button);
}

static void
bourse_order_row_init (BourseOrderRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* bourse_order_row_sync () takes it away and puts it back. */
  g_object_ref (self->cancel_button);
}
