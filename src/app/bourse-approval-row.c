/* bourse-approval-row.c — an approval in the Approvals page
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its BourseClientApproval: the "approvals" topic updates
 * the object, the object's notify updates the row; what it decides on, its
 * BourseClientRecommendation, the same way (its own notify, and the
 * approval's notify::recommendation should it become another). Its action widgets come
 * from the template and are placed or taken away as the state asks, since
 * a decided approval offers no Approve… at all (not a hidden one).
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-approval-row.h"
#include "bourse-desk-util.h"
#include "bourse-mini-chart.h"

struct _BourseApprovalRow
{
  AdwExpanderRow        parent_instance;

  BourseClientApproval *approval;
  GSignalGroup         *recommendation_signals;
  BourseClient         *client;
  gboolean              can_decide;
  gboolean              can_execute;
  gboolean              chart_loading;
  GPtrArray            *held;       /* the action widgets, while taken away too */

  GtkLabel             *decision_label;
  GtkWidget            *reject_button;
  GtkWidget            *approve_button;
  GtkWidget            *execute_button;
  GtkLabel             *order_label;
  GtkLabel             *status_label;
  BourseMiniChart      *chart;

  GtkLabel             *entry_value;
  GtkLabel             *stop_loss_value;
  GtkLabel             *take_profit_value;
  GtkLabel             *risk_reward_value;
  GtkLabel             *confidence_value;
  GtkLabel             *reason_value;
  GtkLabel             *strategy_value;
  GtkLabel             *requested_value;
  GtkWidget            *expires_caption;
  GtkLabel             *expires_value;
  GtkWidget            *decided_caption;
  GtkLabel             *decided_value;
  GtkWidget            *decision_reason_caption;
  GtkLabel             *decision_reason_value;
};

G_DEFINE_FINAL_TYPE (BourseApprovalRow, bourse_approval_row, ADW_TYPE_EXPANDER_ROW)

/* Text {{{ */

char *
bourse_approval_dup_requester (BourseClientApproval *approval)
{
  BourseClientRecommendation *recommendation = bourse_client_approval_get_recommendation (approval);
  const char *origin = recommendation != NULL ? bourse_client_recommendation_get_origin (recommendation) : NULL;
  const char *name = bourse_client_approval_get_requested_by_name (approval);

  if (name != NULL)
    return g_strdup (name);
  if (g_strcmp0 (origin, "live") == 0)
    return g_strdup (_("A live strategy"));
  if (g_strcmp0 (origin, "webhook") == 0)
    return g_strdup (_("An external signal"));
  /* An analysis without an account: the desktop's local owner has none. */
  if (g_strcmp0 (origin, "analysis") == 0)
    return g_strdup (_("The local owner"));
  return g_strdup (_("The engine"));
}

char *
bourse_approval_dup_title (BourseClientApproval *approval)
{
  BourseClientRecommendation *recommendation = bourse_client_approval_get_recommendation (approval);
  const char *decision = recommendation != NULL ? bourse_client_recommendation_get_decision (recommendation) : NULL;
  const char *symbol = recommendation != NULL ? bourse_client_recommendation_get_symbol (recommendation) : NULL;

  /* Translators: a decision (BUY or SELL) and an instrument, e.g. “BUY BTCUSDT” */
  return g_strdup_printf (_("%s %s"), bourse_decision_to_display (decision), symbol ?: "?");
}

static char *
format_decided (BourseClientApproval *approval)
{
  const char *status = bourse_client_approval_get_status (approval);
  g_autofree char *when = bourse_format_local_time (bourse_client_approval_get_decided_at (approval));
  const char *name = bourse_client_approval_get_decided_by_name (approval);

  if (g_strcmp0 (status, "expired") == 0)
    /* Translators: when an approval expired, in local time */
    return g_strdup_printf (_("Expired at %s"), when ? when : "—");

  if (name != NULL)
    /* Translators: Approved or Rejected, by whom (a username), and when */
    return g_strdup_printf (_("%s by %s at %s"),
                            bourse_approval_status_to_display (status), name, when ? when : "—");

  /* Translators: Approved or Rejected, and when */
  return g_strdup_printf (_("%s at %s"), bourse_approval_status_to_display (status),
                          when ? when : "—");
}

static void
set_price (GtkLabel   *label,
           const char *decimal)
{
  g_autofree char *text = bourse_format_price (decimal);

  gtk_label_set_label (label, text);
}

/* }}} */

static void
bourse_approval_row_load_chart (BourseApprovalRow *self)
{
  BourseClientRecommendation *recommendation = bourse_client_approval_get_recommendation (self->approval);
  const char *symbol, *interval;
  gint64 start, end;

  if (recommendation == NULL)
    return;

  symbol = bourse_client_recommendation_get_symbol (recommendation);
  interval = bourse_client_recommendation_get_interval (recommendation);
  start = bourse_client_recommendation_get_window_start (recommendation);
  end = bourse_client_recommendation_get_window_end (recommendation);
  if (self->client == NULL || self->chart_loading || symbol == NULL || interval == NULL || start == 0 || end == 0)
    return;

  self->chart_loading = TRUE;
  bourse_mini_chart_load (self->chart, self->client, symbol, interval, start, end);
}

static void
bourse_approval_row_expanded_cb (BourseApprovalRow *self)
{
  /* Decided ones load their candles only when someone looks. */
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (self)))
    bourse_approval_row_load_chart (self);
}

/* Puts @widget among the row's actions, or takes it away. */
static void
place (BourseApprovalRow *self,
       GtkWidget         *widget,
       gboolean           wanted)
{
  gboolean placed = gtk_widget_get_parent (widget) != NULL;

  if (wanted && !placed)
    adw_expander_row_add_action (ADW_EXPANDER_ROW (self), widget);
  else if (!wanted && placed)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), widget);
}

/* What the recommendation says: the title, the levels, the decision. */
static void
bourse_approval_row_sync_recommendation (BourseApprovalRow *self)
{
  BourseClientRecommendation *recommendation = bourse_client_approval_get_recommendation (self->approval);
  const char *decision = recommendation != NULL ? bourse_client_recommendation_get_decision (recommendation) : NULL;
  const char *symbol = recommendation != NULL ? bourse_client_recommendation_get_symbol (recommendation) : NULL;
  const char *reason = recommendation != NULL ? bourse_client_recommendation_get_reason (recommendation) : NULL;
  const char *strategy_name = recommendation != NULL
                            ? bourse_client_recommendation_get_strategy_name (recommendation)
                              ?: bourse_client_recommendation_get_strategy (recommendation)
                            : NULL;
  const char *interval = recommendation != NULL ? bourse_client_recommendation_get_interval (recommendation) : NULL;
  const char *entry = recommendation != NULL ? bourse_client_recommendation_get_entry (recommendation) : NULL;
  const char *stop_loss = recommendation != NULL ? bourse_client_recommendation_get_stop_loss (recommendation) : NULL;
  const char *take_profit = recommendation != NULL
                          ? bourse_client_recommendation_get_take_profit (recommendation) : NULL;
  g_autofree char *levels = bourse_format_levels (recommendation);
  g_autofree char *confidence = bourse_format_confidence (recommendation);
  g_autofree char *risk_reward = bourse_format_risk_reward (recommendation);
  g_autofree char *subtitle = NULL;
  g_autofree char *strategy = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), symbol ?: "?");
  /* Translators: the levels, then the confidence */
  subtitle = g_strdup_printf (_("%s · %s"), levels, confidence);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  gtk_label_set_label (self->decision_label, bourse_decision_to_display (decision));
  gtk_widget_remove_css_class (GTK_WIDGET (self->decision_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->decision_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->decision_label), bourse_decision_to_css_class (decision));

  set_price (self->entry_value, entry);
  set_price (self->stop_loss_value, stop_loss);
  set_price (self->take_profit_value, take_profit);
  gtk_label_set_label (self->risk_reward_value, risk_reward);
  gtk_label_set_label (self->confidence_value, confidence);
  gtk_label_set_label (self->reason_value, reason ?: "—");
  /* Translators: a strategy and the candle interval it ran on, e.g. “Morning drift · 1h” */
  strategy = g_strdup_printf (_("%s · %s"), strategy_name ?: "?", interval ?: "?");
  gtk_label_set_label (self->strategy_value, strategy);

  bourse_mini_chart_set_levels (self->chart,
                                bourse_price_to_double (entry),
                                bourse_price_to_double (stop_loss),
                                bourse_price_to_double (take_profit));
}

/* Where the approval stands: its actions, state, who and when. */
static void
bourse_approval_row_sync (BourseApprovalRow *self)
{
  BourseClientApproval *approval = self->approval;
  const char *status = bourse_client_approval_get_status (approval);
  const char *reason = bourse_client_approval_get_reason (approval);
  gboolean pending = bourse_client_approval_is_pending (approval);
  gboolean deciding = pending && self->can_decide;
  gboolean executable = !deciding && bourse_client_approval_is_executable (approval) && self->can_execute;
  gint64 id = bourse_client_approval_get_id (approval);
  gint64 order_id = bourse_client_approval_get_order_id (approval);
  g_autofree char *name = g_strdup_printf ("approval-row-%" PRId64, id);
  g_autofree char *requester = bourse_approval_dup_requester (approval);
  g_autofree char *created = bourse_format_local_time (bourse_client_approval_get_created_at (approval));
  g_autofree char *requested = NULL;
  g_autofree char *expires = bourse_format_local_time (bourse_client_approval_get_expires_at (approval));
  g_autofree char *decided = format_decided (approval);

  gtk_widget_set_name (GTK_WIDGET (self), name);

  place (self, self->reject_button, deciding);
  place (self, self->approve_button, deciding);
  place (self, self->execute_button, executable);
  place (self, GTK_WIDGET (self->order_label), !deciding && !executable && order_id != 0);
  place (self, GTK_WIDGET (self->status_label), !deciding);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->reject_button), g_variant_new_int64 (id));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->approve_button), g_variant_new_int64 (id));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->execute_button), g_variant_new_int64 (id));

  if (order_id != 0)
    {
      /* Translators: the order an approval was executed as, e.g. “Order #12” */
      g_autofree char *order = g_strdup_printf (_("Order #%" PRId64), order_id);

      gtk_label_set_label (self->order_label, order);
    }

  gtk_label_set_label (self->status_label, bourse_approval_status_to_display (status));
  for (guint i = 0; i < 4; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label),
                                 (const char *[]) { "success", "error", "warning", "dim-label" }[i]);
  if (g_strcmp0 (status, "approved") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "success");
  else if (g_strcmp0 (status, "rejected") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else if (pending)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");

  /* Translators: who asked for an approval, and when (local time) */
  requested = g_strdup_printf (_("%s at %s"), requester, created ? created : "—");
  gtk_label_set_label (self->requested_value, requested);

  gtk_label_set_label (self->expires_value, expires ? expires : "—");
  gtk_widget_set_visible (self->expires_caption, pending);
  gtk_widget_set_visible (GTK_WIDGET (self->expires_value), pending);
  gtk_label_set_label (self->decided_value, decided);
  gtk_widget_set_visible (self->decided_caption, !pending);
  gtk_widget_set_visible (GTK_WIDGET (self->decided_value), !pending);
  gtk_label_set_label (self->decision_reason_value, reason ? reason : "");
  gtk_widget_set_visible (self->decision_reason_caption, !pending && reason != NULL && reason[0] != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->decision_reason_value),
                          !pending && reason != NULL && reason[0] != '\0');
}

/* Another recommendation (or the first): follow that one. */
static void
bourse_approval_row_recommendation_cb (BourseApprovalRow *self)
{
  g_signal_group_set_target (self->recommendation_signals,
                             bourse_client_approval_get_recommendation (self->approval));
  bourse_approval_row_sync_recommendation (self);
}

GtkWidget *
bourse_approval_row_new (BourseClientApproval *approval,
                         BourseClient         *client,
                         gboolean              can_decide,
                         gboolean              can_execute)
{
  BourseApprovalRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_APPROVAL (approval), NULL);
  g_return_val_if_fail (!client || BOURSE_IS_CLIENT (client), NULL);

  self = g_object_new (BOURSE_TYPE_APPROVAL_ROW, NULL);
  self->approval = g_object_ref (approval);
  self->client = client != NULL ? g_object_ref (client) : NULL;
  self->can_decide = !!can_decide;
  self->can_execute = !!can_execute;

  bourse_approval_row_sync (self);
  bourse_approval_row_recommendation_cb (self);
  g_signal_connect_object (approval, "notify", G_CALLBACK (bourse_approval_row_sync),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (approval, "notify::recommendation", G_CALLBACK (bourse_approval_row_recommendation_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::expanded", G_CALLBACK (bourse_approval_row_expanded_cb), NULL);

  /* What waits for a decision is shown whole, chart included. */
  if (bourse_client_approval_is_pending (approval))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), TRUE);

  return GTK_WIDGET (self);
}

BourseClientApproval *
bourse_approval_row_get_approval (BourseApprovalRow *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVAL_ROW (self), NULL);

  return self->approval;
}

static void
bourse_approval_row_dispose (GObject *object)
{
  BourseApprovalRow *self = (BourseApprovalRow *)object;

  if (self->recommendation_signals != NULL)
    g_signal_group_set_target (self->recommendation_signals, NULL);
  g_clear_object (&self->recommendation_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_APPROVAL_ROW);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_object (&self->approval);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (bourse_approval_row_parent_class)->dispose (object);
}

static void
bourse_approval_row_class_init (BourseApprovalRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_approval_row_dispose;

  g_type_ensure (BOURSE_TYPE_MINI_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-approval-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, decision_label);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, reject_button);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, approve_button);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, execute_button);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, order_label);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, chart);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, entry_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, stop_loss_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, take_profit_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, risk_reward_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, confidence_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, reason_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, strategy_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, requested_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, expires_caption);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, expires_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, decided_caption);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, decided_value);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, decision_reason_caption);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalRow, decision_reason_value);
}

static void
bourse_approval_row_init (BourseApprovalRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->recommendation_signals = g_signal_group_new (BOURSE_TYPE_CLIENT_RECOMMENDATION);
  g_signal_group_connect_object (self->recommendation_signals, "notify",
                                 G_CALLBACK (bourse_approval_row_sync_recommendation),
                                 self, G_CONNECT_SWAPPED);

  /* place () takes these away and puts them back. */
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->held, g_object_ref (self->reject_button));
  g_ptr_array_add (self->held, g_object_ref (self->approve_button));
  g_ptr_array_add (self->held, g_object_ref (self->execute_button));
  g_ptr_array_add (self->held, g_object_ref (self->order_label));
  g_ptr_array_add (self->held, g_object_ref (self->status_label));
}
