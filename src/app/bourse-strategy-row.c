/* bourse-strategy-row.c — a live strategy in the Strategies page's list
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientStrategy: the "strategies" topic updates
 * the object, and the object's notify updates the row, so the list is never
 * made again for a change.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-param-form.h"
#include "bourse-strategy-row.h"

struct _BourseStrategyRow
{
  AdwActionRow          parent_instance;

  BourseClientStrategy *strategy;
  BourseClientStore    *types;
  gboolean              can_write;
  gboolean              busy;

  GtkSwitch            *enabled_switch;
  GtkButton            *delete_button;
};

G_DEFINE_FINAL_TYPE (BourseStrategyRow, bourse_strategy_row, ADW_TYPE_ACTION_ROW)

static const char *
type_name (BourseStrategyRow *self,
           const char        *id)
{
  BourseClientObject *type = id != NULL ? bourse_client_store_lookup (self->types, id) : NULL;

  return type != NULL ? bourse_client_local_text (bourse_client_strategy_type_get_name (BOURSE_CLIENT_STRATEGY_TYPE (type))) : id;
}

void
bourse_strategy_row_sync (BourseStrategyRow *self)
{
  BourseClientStrategy *strategy = self->strategy;
  const char *name = bourse_client_strategy_get_name (strategy);
  const char *last = bourse_client_strategy_get_last_signal_at (strategy);
  g_autofree char *params = bourse_format_params (bourse_client_strategy_get_params (strategy));
  g_autofree char *row_name = g_strdup_printf ("strategy-row-%" PRId64, bourse_client_strategy_get_id (strategy));
  g_autoptr(GString) subtitle = g_string_new (NULL);

  g_return_if_fail (BOURSE_IS_STRATEGY_ROW (self));

  gtk_widget_set_name (GTK_WIDGET (self), row_name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name ? name : "—");

  /* Translators: a strategy type, an instrument, an interval and a policy */
  g_string_printf (subtitle, _("%s · %s · %s · %s"),
                   type_name (self, bourse_client_strategy_get_strategy (strategy)) ?: "?",
                   bourse_client_strategy_get_symbol (strategy) ?: "?",
                   bourse_client_strategy_get_interval (strategy) ?: "?",
                   bourse_policy_to_display (bourse_client_strategy_get_policy (strategy)));
  if (last != NULL)
    {
      g_autofree char *when = bourse_format_local_time (last);

      g_string_append (subtitle, "\n");
      g_string_append_printf (subtitle, _("Last signal at %s"), when);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), params[0] != '\0' ? params : NULL);

  /* The switch is the server's state once it answered; a change in
   * flight keeps what the user set until then. */
  if (!self->busy)
    {
      gtk_switch_set_active (self->enabled_switch, bourse_client_strategy_get_enabled (strategy));
      gtk_switch_set_state (self->enabled_switch, bourse_client_strategy_get_enabled (strategy));
    }
  if (self->delete_button != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->delete_button),
                                            g_variant_new ("(xs)", bourse_client_strategy_get_id (strategy),
                                                           name ? name : ""));
}

static void
bourse_strategy_row_notify_cb (BourseStrategyRow *self)
{
  g_signal_handlers_block_matched (self->enabled_switch, G_SIGNAL_MATCH_ID,
                                   g_signal_lookup ("state-set", GTK_TYPE_SWITCH), 0, NULL, NULL, NULL);
  bourse_strategy_row_sync (self);
  g_signal_handlers_unblock_matched (self->enabled_switch, G_SIGNAL_MATCH_ID,
                                     g_signal_lookup ("state-set", GTK_TYPE_SWITCH), 0, NULL, NULL, NULL);
}

GtkWidget *
bourse_strategy_row_new (BourseClientStrategy *strategy,
                         BourseClientStore    *types,
                         gboolean              can_write)
{
  BourseStrategyRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_STRATEGY (strategy), NULL);
  g_return_val_if_fail (BOURSE_IS_CLIENT_STORE (types), NULL);

  self = g_object_new (BOURSE_TYPE_STRATEGY_ROW, NULL);
  self->strategy = g_object_ref (strategy);
  self->types = g_object_ref (types);

  self->can_write = can_write;
  gtk_widget_set_sensitive (GTK_WIDGET (self->enabled_switch), can_write);
  bourse_strategy_row_sync (self);
  /* Nothing to offer a viewer: not even hidden. */
  if (!can_write)
    {
      adw_action_row_remove (ADW_ACTION_ROW (self), GTK_WIDGET (self->delete_button));
      self->delete_button = NULL;
    }

  g_signal_connect_object (strategy, "notify", G_CALLBACK (bourse_strategy_row_notify_cb),
                           self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

BourseClientStrategy *
bourse_strategy_row_get_strategy (BourseStrategyRow *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGY_ROW (self), NULL);

  return self->strategy;
}

void
bourse_strategy_row_set_busy (BourseStrategyRow *self,
                              gboolean           busy)
{
  g_return_if_fail (BOURSE_IS_STRATEGY_ROW (self));

  self->busy = !!busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->enabled_switch), self->can_write && !self->busy);
}

GtkSwitch *
bourse_strategy_row_get_switch (BourseStrategyRow *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGY_ROW (self), NULL);

  return self->enabled_switch;
}

static void
bourse_strategy_row_dispose (GObject *object)
{
  BourseStrategyRow *self = (BourseStrategyRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_STRATEGY_ROW);
  g_clear_object (&self->strategy);
  g_clear_object (&self->types);

  G_OBJECT_CLASS (bourse_strategy_row_parent_class)->dispose (object);
}

static void
bourse_strategy_row_class_init (BourseStrategyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_strategy_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-strategy-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseStrategyRow, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategyRow, delete_button);
}

static void
bourse_strategy_row_init (BourseStrategyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
