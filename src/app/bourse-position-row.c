/* bourse-position-row.c — an open position in the Portfolio page
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientPosition: the "positions" topic updates
 * the object (a fill, and the ledger's revaluation at each new price), the
 * object's notify updates the row. The unrealised PnL shown is the
 * ledger's own (quantity × last − cost), never worked out again here.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-desk-util.h"
#include "bourse-position-row.h"
#include "bourse-trading-util.h"

struct _BoursePositionRow
{
  AdwActionRow          parent_instance;

  BourseClientPosition *position;
  char                 *currency;

  GtkLabel             *pnl_label;
};

G_DEFINE_FINAL_TYPE (BoursePositionRow, bourse_position_row, ADW_TYPE_ACTION_ROW)

static void
bourse_position_row_sync (BoursePositionRow *self)
{
  BourseClientPosition *position = self->position;
  const char *symbol = bourse_client_position_get_symbol (position);
  g_autofree char *name = g_strdup_printf ("position-row-%s", symbol);
  g_autofree char *quantity = bourse_format_price (bourse_client_position_get_quantity (position));
  g_autofree char *average = bourse_format_price (bourse_client_position_get_average_price (position));
  g_autofree char *price = bourse_format_price (bourse_client_position_get_last_price (position));
  g_autofree char *value = bourse_format_money_in (bourse_client_position_get_market_value (position),
                                                   self->currency, FALSE);
  g_autofree char *subtitle = NULL;
  g_autofree char *tooltip = NULL;

  gtk_widget_set_name (GTK_WIDGET (self), name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), symbol);
  /* Translators: a position's quantity, its average entry price and the last price */
  subtitle = g_strdup_printf (_("%s at %s · last %s"), quantity, average, price);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  bourse_label_set_pnl (self->pnl_label, bourse_client_position_get_unrealized_pnl (position), self->currency);
  /* Translators: what a position is worth at the last price */
  tooltip = g_strdup_printf (_("Market value: %s"), value);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->pnl_label), tooltip);
}

GtkWidget *
bourse_position_row_new (BourseClientPosition *position,
                         const char           *currency)
{
  BoursePositionRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_POSITION (position), NULL);

  self = g_object_new (BOURSE_TYPE_POSITION_ROW, NULL);
  self->position = g_object_ref (position);
  self->currency = g_strdup (currency);
  bourse_position_row_sync (self);
  g_signal_connect_object (position, "notify", G_CALLBACK (bourse_position_row_sync), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

BourseClientPosition *
bourse_position_row_get_position (BoursePositionRow *self)
{
  g_return_val_if_fail (BOURSE_IS_POSITION_ROW (self), NULL);

  return self->position;
}

void
bourse_position_row_set_currency (BoursePositionRow *self,
                                  const char        *currency)
{
  g_return_if_fail (BOURSE_IS_POSITION_ROW (self));

  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_free (self->currency);
  self->currency = g_strdup (currency);
  bourse_position_row_sync (self);
}

static void
bourse_position_row_dispose (GObject *object)
{
  BoursePositionRow *self = (BoursePositionRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_POSITION_ROW);
  g_clear_object (&self->position);

  G_OBJECT_CLASS (bourse_position_row_parent_class)->dispose (object);
}

static void
bourse_position_row_finalize (GObject *object)
{
  BoursePositionRow *self = (BoursePositionRow *)object;

  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (bourse_position_row_parent_class)->finalize (object);
}

static void
bourse_position_row_class_init (BoursePositionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_position_row_dispose;
  object_class->finalize = bourse_position_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-position-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BoursePositionRow, pnl_label);
}

static void
bourse_position_row_init (BoursePositionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
