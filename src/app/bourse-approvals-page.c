/* bourse-approvals-page.c — the approval desk: what waits for a decision
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-approvals-page.h"
#include "bourse-desk-util.h"
#include "bourse-mini-chart.h"
#include "bourse-trading-util.h"

#define APPROVALS_TOPIC "approvals"
/* The execute dialog's dry run once typing pauses. */
#define CHECK_DELAY_MS 250

/* Pending ones come first, so this many leaves room for a long history. */
#define LIST_LIMIT 200

#define REASON_MAX_CHARS 500

struct _BourseApprovalsPage
{
  AdwPreferencesPage   parent_instance;

  BourseClient        *client;
  GSignalGroup        *client_signals;
  GCancellable        *load_cancellable;
  GCancellable        *cancellable;      /* decisions; cancelled with the client */

  GHashTable          *approvals;        /* id → JsonObject */
  GHashTable          *rows;             /* id → AdwExpanderRow, owned */
  GPtrArray           *shown;            /* what the groups hold now */
  GPtrArray           *queued;           /* events before the first list, JsonObject */
  gboolean             loaded;
  gboolean             can_decide;
  gboolean             can_execute;
  guint                n_pending;

  /* Asked for before the list was there (a notification's action). */
  gint64               focus_id;
  char                *focus_decision;

  /* The reason dialog open now, if any. */
  GtkWidget           *dialog;           /* weak */
  gint64               dialog_id;
  char                *dialog_decision;
  gboolean             deciding;         /* its request is in flight */

  /* The execute dialog open now, if any, and its dry run. */
  GtkWidget           *execute_dialog;   /* weak */
  gint64               execute_id;
  GCancellable        *check_cancellable;
  guint                check_source;

  AdwPreferencesGroup *pending_group;
  AdwPreferencesGroup *decided_group;
};

G_DEFINE_FINAL_TYPE (BourseApprovalsPage, bourse_approvals_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CAN_DECIDE,
  PROP_N_PENDING,
  N_PROPS
};

enum {
  APPROVAL_ADDED,
  APPROVAL_SETTLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void bourse_approvals_page_open_dialog (BourseApprovalsPage *self,
                                               gint64               id,
                                               const char          *decision);

/* Helpers {{{ */

static gboolean
is_pending (JsonObject *approval)
{
  return g_strcmp0 (bourse_json_get_string (approval, "status"), "pending") == 0;
}

/* The entry order an approval became, or 0 until it executes. */
static gint64
order_id_of (JsonObject *approval)
{
  gint64 id = 0;

  return bourse_json_get_int (approval, "order_id", &id) ? id : 0;
}

/* Approved, and no order made of it yet. */
static gboolean
is_executable (JsonObject *approval)
{
  return g_strcmp0 (bourse_json_get_string (approval, "status"), "approved") == 0 &&
         order_id_of (approval) == 0;
}

static gint64
approval_id (JsonObject *approval)
{
  gint64 id = 0;

  return bourse_json_get_int (approval, "id", &id) ? id : 0;
}

static JsonObject *
recommendation_of (JsonObject *approval)
{
  return bourse_json_get_object (approval, "recommendation");
}

static int
compare_approvals (gconstpointer a,
                   gconstpointer b)
{
  JsonObject *first = *(JsonObject **) a;
  JsonObject *second = *(JsonObject **) b;
  int order;

  /* Pending first, then the newest. */
  if (is_pending (first) != is_pending (second))
    return is_pending (first) ? -1 : 1;

  if ((order = g_strcmp0 (bourse_json_get_string (second, "created_at"),
                          bourse_json_get_string (first, "created_at"))) != 0)
    return order;

  return approval_id (second) < approval_id (first) ? -1 : approval_id (second) > approval_id (first);
}

/* Who asked: a person (by account), or what the engine acted on. */
static char *
format_requester (JsonObject *approval)
{
  JsonObject *recommendation = recommendation_of (approval);
  const char *origin = bourse_json_get_string (recommendation, "origin");
  const char *name = bourse_json_get_string (approval, "requested_by_name");

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

static char *
format_decided (JsonObject *approval)
{
  const char *status = bourse_json_get_string (approval, "status");
  g_autofree char *when = bourse_format_local_time (bourse_json_get_string (approval, "decided_at"));
  const char *name = bourse_json_get_string (approval, "decided_by_name");

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

static char *
dup_title (JsonObject *approval)
{
  JsonObject *recommendation = recommendation_of (approval);

  /* Translators: a decision (BUY or SELL) and an instrument, e.g. “BUY BTCUSDT” */
  return g_strdup_printf (_("%s %s"),
                          bourse_decision_to_display (bourse_json_get_string (recommendation, "decision")),
                          bourse_json_get_string (recommendation, "symbol") ?: "?");
}

static void
add_detail (GtkGrid    *grid,
            int        *line,
            const char *caption,
            const char *value,
            const char *name)
{
  GtkWidget *caption_label = gtk_label_new (caption);
  GtkWidget *value_label = gtk_label_new (value);

  gtk_label_set_xalign (GTK_LABEL (caption_label), 0);
  gtk_label_set_yalign (GTK_LABEL (caption_label), 0);
  gtk_widget_add_css_class (caption_label, "dim-label");

  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_wrap (GTK_LABEL (value_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_set_hexpand (value_label, TRUE);
  gtk_widget_set_name (value_label, name);

  gtk_grid_attach (grid, caption_label, 0, *line, 1, 1);
  gtk_grid_attach (grid, value_label, 1, *line, 1, 1);
  (*line)++;
}

/* }}} */

/* Rows {{{ */

static void
bourse_approvals_page_load_chart (BourseApprovalsPage *self,
                                  GtkWidget           *row)
{
  JsonObject *approval = g_object_get_data (G_OBJECT (row), "approval");
  JsonObject *recommendation = recommendation_of (approval);
  JsonObject *window = bourse_json_get_object (recommendation, "window");
  GtkWidget *chart = g_object_get_data (G_OBJECT (row), "chart");
  const char *symbol = bourse_json_get_string (recommendation, "symbol");
  const char *interval = bourse_json_get_string (recommendation, "interval");
  gint64 start = 0, end = 0;

  if (self->client == NULL || chart == NULL || g_object_get_data (G_OBJECT (row), "chart-loading"))
    return;

  if (symbol == NULL || interval == NULL ||
      !bourse_json_get_int (window, "start", &start) || !bourse_json_get_int (window, "end", &end))
    return;

  g_object_set_data (G_OBJECT (row), "chart-loading", GINT_TO_POINTER (TRUE));
  bourse_mini_chart_load (BOURSE_MINI_CHART (chart), self->client, symbol, interval, start, end);
}

static void
bourse_approvals_page_row_expanded_cb (GtkWidget           *row,
                                       GParamSpec          *pspec,
                                       BourseApprovalsPage *self)
{
  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  /* Decided ones load their candles only when someone looks. */
  if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
    bourse_approvals_page_load_chart (self, row);
}

static GtkWidget *
bourse_approvals_page_create_details (JsonObject *approval)
{
  JsonObject *recommendation = recommendation_of (approval);
  g_autofree char *entry = bourse_format_price (bourse_json_get_string (recommendation, "entry"));
  g_autofree char *stop = bourse_format_price (bourse_json_get_string (recommendation, "stop_loss"));
  g_autofree char *target = bourse_format_price (bourse_json_get_string (recommendation, "take_profit"));
  g_autofree char *confidence = bourse_format_confidence (recommendation);
  g_autofree char *risk_reward = NULL;
  g_autofree char *strategy = NULL;
  g_autofree char *requester = format_requester (approval);
  g_autofree char *requested = NULL;
  g_autofree char *created = bourse_format_local_time (bourse_json_get_string (approval, "created_at"));
  GtkWidget *box;
  GtkWidget *grid;
  GtkWidget *chart;
  double value;
  int line = 0;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);

  risk_reward = bourse_json_get_double (recommendation, "risk_reward", &value)
              ? g_strdup_printf ("%.2f", value) : g_strdup ("—");
  /* Translators: a strategy and the candle interval it ran on, e.g. “Morning drift · 1h” */
  strategy = g_strdup_printf (_("%s · %s"),
                              bourse_json_get_string (recommendation, "strategy_name")
                                ?: bourse_json_get_string (recommendation, "strategy") ?: "?",
                              bourse_json_get_string (recommendation, "interval") ?: "?");
  /* Translators: who asked for an approval, and when (local time) */
  requested = g_strdup_printf (_("%s at %s"), requester, created ? created : "—");

  add_detail (GTK_GRID (grid), &line, _("Entry"), entry, "entry-value");
  add_detail (GTK_GRID (grid), &line, _("Stop-loss"), stop, "stop-loss-value");
  add_detail (GTK_GRID (grid), &line, _("Take-profit"), target, "take-profit-value");
  add_detail (GTK_GRID (grid), &line, _("Risk/reward"), risk_reward, "risk-reward-value");
  add_detail (GTK_GRID (grid), &line, _("Confidence"), confidence, "confidence-value");
  add_detail (GTK_GRID (grid), &line, _("Reason"),
              bourse_json_get_string (recommendation, "reason") ?: "—", "reason-value");
  add_detail (GTK_GRID (grid), &line, _("Strategy"), strategy, "strategy-value");
  add_detail (GTK_GRID (grid), &line, _("Requested by"), requested, "requested-by-value");

  if (is_pending (approval))
    {
      g_autofree char *expires = bourse_format_local_time (bourse_json_get_string (approval,
                                                                                   "expires_at"));

      add_detail (GTK_GRID (grid), &line, _("Expires"), expires ? expires : "—", "expires-value");
    }
  else
    {
      g_autofree char *decided = format_decided (approval);
      const char *reason = bourse_json_get_string (approval, "reason");

      add_detail (GTK_GRID (grid), &line, _("Decision"), decided, "decided-value");
      if (reason != NULL && reason[0] != '\0')
        add_detail (GTK_GRID (grid), &line, _("Decision reason"), reason, "decision-reason-value");
    }

  gtk_box_append (GTK_BOX (box), grid);

  chart = bourse_mini_chart_new ();
  bourse_mini_chart_set_levels (BOURSE_MINI_CHART (chart),
                                bourse_json_get_price (recommendation, "entry"),
                                bourse_json_get_price (recommendation, "stop_loss"),
                                bourse_json_get_price (recommendation, "take_profit"));
  gtk_box_append (GTK_BOX (box), chart);
  g_object_set_data (G_OBJECT (box), "chart", chart);

  return box;
}

static GtkWidget *
bourse_approvals_page_create_row (BourseApprovalsPage *self,
                                  JsonObject          *approval)
{
  JsonObject *recommendation = recommendation_of (approval);
  const char *decision = bourse_json_get_string (recommendation, "decision");
  const char *status = bourse_json_get_string (approval, "status");
  g_autofree char *name = NULL;
  g_autofree char *levels = bourse_format_levels (recommendation);
  g_autofree char *confidence = bourse_format_confidence (recommendation);
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *label;
  GtkWidget *content;
  GtkWidget *details;
  gint64 id = approval_id (approval);

  row = adw_expander_row_new ();
  name = g_strdup_printf ("approval-row-%" PRId64, id);
  gtk_widget_set_name (row, name);
  /* Symbols and reasons come from the network: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 bourse_json_get_string (recommendation, "symbol") ?: "?");
  /* Translators: the levels, then the confidence */
  subtitle = g_strdup_printf (_("%s · %s"), levels, confidence);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

  label = gtk_label_new (bourse_decision_to_display (decision));
  gtk_widget_set_name (label, "decision-label");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "decision-label");
  gtk_widget_add_css_class (label, bourse_decision_to_css_class (decision));
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), label);

  if (is_pending (approval) && self->can_decide)
    {
      GtkWidget *button;

      /* Every row has these two: neither suggested nor with a mnemonic,
       * which would repeat down the page. Each asks for a reason first. */
      button = gtk_button_new_with_label (_("Reject…"));
      gtk_widget_set_name (button, "reject-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "approvals.reject");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);

      button = gtk_button_new_with_label (_("Approve…"));
      gtk_widget_set_name (button, "approve-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "approvals.approve");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
    }
  else
    {
      if (is_executable (approval) && self->can_execute)
        {
          GtkWidget *button = gtk_button_new_with_label (_("Execute…"));

          gtk_widget_set_name (button, "execute-button");
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "approvals.execute");
          gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
          adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
        }
      else if (order_id_of (approval) != 0)
        {
          g_autofree char *order = NULL;

          /* Translators: the order an approval was executed as, e.g. “Order #12” */
          order = g_strdup_printf (_("Order #%" PRId64), order_id_of (approval));
          label = gtk_label_new (order);
          gtk_widget_set_name (label, "order-label");
          gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (label, "dim-label");
          adw_expander_row_add_action (ADW_EXPANDER_ROW (row), label);
        }

      label = gtk_label_new (bourse_approval_status_to_display (status));
      gtk_widget_set_name (label, "status-label");
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "caption-heading");
      if (g_strcmp0 (status, "approved") == 0)
        gtk_widget_add_css_class (label, "success");
      else if (g_strcmp0 (status, "rejected") == 0)
        gtk_widget_add_css_class (label, "error");
      else if (g_strcmp0 (status, "pending") == 0)
        gtk_widget_add_css_class (label, "warning");
      else
        gtk_widget_add_css_class (label, "dim-label");
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), label);
    }

  details = bourse_approvals_page_create_details (approval);
  content = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (content), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (content), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (content), details);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), content);

  g_object_set_data_full (G_OBJECT (row), "approval", json_object_ref (approval),
                          (GDestroyNotify) json_object_unref);
  g_object_set_data_full (G_OBJECT (row), "status", g_strdup (status), g_free);
  g_object_set_data (G_OBJECT (row), "can-decide", GINT_TO_POINTER (self->can_decide));
  g_object_set_data (G_OBJECT (row), "executable",
                     GINT_TO_POINTER (is_executable (approval) && self->can_execute));
  g_object_set_data (G_OBJECT (row), "executed", GINT_TO_POINTER (order_id_of (approval) != 0));
  g_object_set_data (G_OBJECT (row), "chart", g_object_get_data (G_OBJECT (details), "chart"));

  g_signal_connect_object (row, "notify::expanded",
                           G_CALLBACK (bourse_approvals_page_row_expanded_cb), self, 0);

  /* What waits for a decision is shown whole, chart included. */
  if (is_pending (approval))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  return row;
}

static void
bourse_approvals_page_clear_groups (BourseApprovalsPage *self)
{
  for (guint i = 0; i < self->shown->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->shown, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->shown, 0);
}

/* Puts the rows in order, building those that are new or changed. */
static void
bourse_approvals_page_refresh (BourseApprovalsPage *self)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GHashTable) rows = NULL;
  GHashTableIter iter;
  gpointer value;
  guint n_pending = 0, n_decided = 0;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  g_hash_table_iter_init (&iter, self->approvals);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (order, value);
  g_ptr_array_sort (order, compare_approvals);

  bourse_approvals_page_clear_groups (self);
  rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);

  for (guint i = 0; i < order->len; i++)
    {
      JsonObject *approval = g_ptr_array_index (order, i);
      gint64 id = approval_id (approval);
      GtkWidget *row = g_hash_table_lookup (self->rows, &id);

      /* A row stays (expanded, its chart loaded) while its status does. */
      if (row == NULL ||
          g_strcmp0 (g_object_get_data (G_OBJECT (row), "status"),
                     bourse_json_get_string (approval, "status")) != 0 ||
          GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "can-decide")) != self->can_decide ||
          GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "executable")) !=
            (is_executable (approval) && self->can_execute) ||
          GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "executed")) != (order_id_of (approval) != 0))
        {
          row = bourse_approvals_page_create_row (self, approval);
          if (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)))
            bourse_approvals_page_load_chart (self, row);
        }

      g_hash_table_insert (rows, g_memdup2 (&id, sizeof id), g_object_ref_sink (row));

      if (is_pending (approval))
        {
          adw_preferences_group_add (self->pending_group, row);
          n_pending++;
        }
      else
        {
          adw_preferences_group_add (self->decided_group, row);
          n_decided++;
        }
      g_ptr_array_add (self->shown, row);
    }

  g_clear_pointer (&self->rows, g_hash_table_unref);
  self->rows = g_steal_pointer (&rows);

  if (n_pending == 0 && self->loaded)
    {
      GtkWidget *status = adw_status_page_new ();

      gtk_widget_set_name (status, "approvals-empty");
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "object-select-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Nothing Awaits a Decision"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                       _("Recommendations of analyses and live strategies appear here"));
      gtk_widget_add_css_class (status, "compact");
      adw_preferences_group_add (self->pending_group, status);
      g_ptr_array_add (self->shown, status);
    }
  else if (n_pending == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      gtk_widget_set_name (row, "no-pending-row");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Loading…"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (self->pending_group, row);
      g_ptr_array_add (self->shown, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->decided_group), n_decided > 0);

  if (n_pending != self->n_pending)
    {
      self->n_pending = n_pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
    }
}

/* }}} */

/* The model {{{ */

static void
bourse_approvals_page_dialog_settled (BourseApprovalsPage *self,
                                      JsonObject          *approval)
{
  const char *status = bourse_json_get_string (approval, "status");
  GtkLabel *error_label;
  const char *message;

  /* Our own decision's event may come before its answer. */
  if (self->dialog == NULL || self->dialog_id != approval_id (approval) || self->deciding)
    return;

  if (g_strcmp0 (status, "approved") == 0)
    message = _("Meanwhile someone else approved it");
  else if (g_strcmp0 (status, "rejected") == 0)
    message = _("Meanwhile someone else rejected it");
  else
    message = _("Meanwhile it expired");

  error_label = g_object_get_data (G_OBJECT (self->dialog), "error-label");
  gtk_label_set_label (error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->dialog),
                                           self->dialog_decision, FALSE);
}

/* Tells the window what is news: a new pending approval, or one that left
 * the pending state (wherever it was decided). */
static void
bourse_approvals_page_compare (BourseApprovalsPage *self,
                               JsonObject          *before,
                               JsonObject          *after)
{
  gint64 id = approval_id (after);

  if (before == NULL && is_pending (after))
    {
      JsonObject *recommendation = recommendation_of (after);
      g_autofree char *what = dup_title (after);
      g_autofree char *title = NULL;
      g_autofree char *levels = bourse_format_levels (recommendation);
      g_autofree char *confidence = bourse_format_confidence (recommendation);
      g_autofree char *body = NULL;

      /* Translators: a decision and an instrument, e.g. “BUY BTCUSDT awaits approval” */
      title = g_strdup_printf (_("%s awaits approval"), what);
      /* Translators: levels, confidence, then the model's reason on a line of its own */
      body = g_strdup_printf (_("%s · %s\n%s"), levels, confidence,
                              bourse_json_get_string (recommendation, "reason") ?: "");
      g_signal_emit (self, signals[APPROVAL_ADDED], 0, id, title, body);
    }
  else if (before != NULL && is_pending (before) && !is_pending (after))
    {
      bourse_approvals_page_dialog_settled (self, after);
      g_signal_emit (self, signals[APPROVAL_SETTLED], 0, id);
    }
}

/* Whether @after is older news than @before: decisions and executions are
 * final, so a late "created" event, or a list read before the execution,
 * must not undo them. */
static gboolean
is_stale (JsonObject *before,
          JsonObject *after)
{
  return before != NULL &&
         ((!is_pending (before) && is_pending (after)) ||
          (order_id_of (before) != 0 && order_id_of (after) == 0));
}

/* Merges one approval as the topic or an answer tells it. */
static void
bourse_approvals_page_apply (BourseApprovalsPage *self,
                             JsonObject          *approval,
                             gboolean             compare)
{
  JsonObject *before;
  gint64 id = approval_id (approval);

  if (id == 0)
    return;

  before = g_hash_table_lookup (self->approvals, &id);
  if (is_stale (before, approval))
    return;

  if (compare)
    bourse_approvals_page_compare (self, before, approval);

  g_hash_table_insert (self->approvals, g_memdup2 (&id, sizeof id), json_object_ref (approval));
}

static void
bourse_approvals_page_focus (BourseApprovalsPage *self,
                             gint64               id,
                             const char          *decision)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, &id);

  if (row == NULL)
    return;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  if (!gtk_widget_grab_focus (row))
    gtk_widget_child_focus (row, GTK_DIR_TAB_FORWARD);
  bourse_widget_scroll_into_view (row);

  if (decision != NULL)
    bourse_approvals_page_open_dialog (self, id, decision);
}

typedef struct
{
  BourseApprovalsPage *self;
  gint64               id;
  char                *decision;
} FocusRequest;

static void
focus_request_free (FocusRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->decision);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FocusRequest, focus_request_free)

static void
bourse_approvals_page_fetch_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(FocusRequest) request = user_data;
  BourseApprovalsPage *self = request->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not show approval #%" PRId64 ": %s"),
                                 request->id, error->message);
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (answer))
    return;

  /* Asked for by name: no news, whatever state it is in. */
  bourse_approvals_page_apply (self, json_node_get_object (answer), FALSE);
  bourse_approvals_page_refresh (self);
  bourse_approvals_page_focus (self, request->id, request->decision);
}

void
bourse_approvals_page_show_approval (BourseApprovalsPage *self,
                                     gint64               id,
                                     const char          *decision)
{
  g_autofree char *path = NULL;
  FocusRequest *request;

  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));
  g_return_if_fail (decision == NULL || g_str_equal (decision, "approve") ||
                    g_str_equal (decision, "reject"));

  g_debug ("Showing approval %" PRId64 " (%s), %s", id, decision ? decision : "open",
           self->loaded ? "listed" : "once listed");

  if (!self->loaded || self->client == NULL)
    {
      self->focus_id = id;
      g_free (self->focus_decision);
      self->focus_decision = g_strdup (decision);
      return;
    }

  if (g_hash_table_contains (self->rows, &id))
    {
      bourse_approvals_page_focus (self, id, decision);
      return;
    }

  /* Older than the list: ask for it alone. */
  request = g_new0 (FocusRequest, 1);
  request->self = g_object_ref (self);
  request->id = id;
  request->decision = g_strdup (decision);
  path = g_strdup_printf ("/api/v1/approvals/%" PRId64, id);
  bourse_client_get_json_async (self->client, path, self->cancellable,
                                bourse_approvals_page_fetch_cb, request);
}

static void
bourse_approvals_page_apply_list (BourseApprovalsPage *self,
                                  JsonArray           *items)
{
  g_autoptr(GHashTable) before = g_steal_pointer (&self->approvals);
  g_autoptr(GPtrArray) queued = g_steal_pointer (&self->queued);
  guint n_items = items != NULL ? json_array_get_length (items) : 0;
  gboolean was_loaded = self->loaded;

  self->approvals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                           (GDestroyNotify) json_object_unref);
  self->queued = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < n_items; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *approval = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 id = approval_id (approval);

      if (id == 0)
        continue;
      if (is_stale (g_hash_table_lookup (before, &id), approval))
        approval = g_hash_table_lookup (before, &id);

      /* Only what changed since the last look is news; the first look has
       * none. */
      if (was_loaded)
        bourse_approvals_page_compare (self, g_hash_table_lookup (before, &id), approval);

      g_hash_table_insert (self->approvals, g_memdup2 (&id, sizeof id), json_object_ref (approval));
    }

  self->loaded = TRUE;

  /* Events that came while the list was on its way: decisions are final,
   * so applying an older one changes nothing. */
  for (guint i = 0; i < queued->len; i++)
    bourse_approvals_page_apply (self, g_ptr_array_index (queued, i), TRUE);

  bourse_approvals_page_refresh (self);

  if (self->focus_id != 0)
    {
      g_autofree char *decision = g_steal_pointer (&self->focus_decision);
      gint64 id = self->focus_id;

      self->focus_id = 0;
      bourse_approvals_page_show_approval (self, id, decision);
    }
}

static void
bourse_approvals_page_load_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BourseApprovalsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not load the approvals: %s"),
                                                      error->message);

          bourse_widget_show_toast (GTK_WIDGET (self), message);
        }
      return;
    }

  bourse_approvals_page_apply_list (self,
                                    JSON_NODE_HOLDS_OBJECT (answer)
                                    ? bourse_json_get_array (json_node_get_object (answer), "items")
                                    : NULL);
}

void
bourse_approvals_page_reload (BourseApprovalsPage *self)
{
  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->client == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, "/api/v1/approvals?limit=" G_STRINGIFY (LIST_LIMIT),
                                self->load_cancellable,
                                bourse_approvals_page_load_cb, g_object_ref (self));
}

static void
bourse_approvals_page_event_cb (BourseApprovalsPage *self,
                                const char          *topic,
                                gint64               seq,
                                JsonNode            *data,
                                BourseClient        *client)
{
  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if (!JSON_NODE_HOLDS_OBJECT (data) || approval_id (json_node_get_object (data)) == 0)
    return;

  if (!self->loaded)
    {
      g_ptr_array_add (self->queued, json_object_ref (json_node_get_object (data)));
      return;
    }

  bourse_approvals_page_apply (self, json_node_get_object (data), TRUE);
  bourse_approvals_page_refresh (self);
}

static void
bourse_approvals_page_resync_cb (BourseApprovalsPage *self,
                                 const char          *topic,
                                 BourseClient        *client)
{
  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  /* Events were missed: the list says what they changed. */
  bourse_approvals_page_reload (self);
}

/* }}} */

/* The reason dialog {{{ */

static void
bourse_approvals_page_close_dialog (BourseApprovalsPage *self)
{
  GtkWidget *dialog = g_steal_pointer (&self->dialog);

  /* It may be inside its own response emission, which holds it alive. */
  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  g_clear_pointer (&self->dialog_decision, g_free);
  self->dialog_id = 0;
  self->deciding = FALSE;
}

static void
bourse_approvals_page_reason_changed_cb (BourseApprovalsPage *self,
                                         GtkEditable         *entry)
{
  g_autofree char *reason = NULL;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if (self->dialog == NULL || g_strcmp0 (self->dialog_decision, "reject") != 0)
    return;

  /* A rejection says why; blanks say nothing. */
  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->dialog), "reject",
                                           reason[0] != '\0');
}

typedef struct
{
  BourseApprovalsPage *self;
  gint64               id;
} Decision;

static void
decision_free (Decision *decision)
{
  g_clear_object (&decision->self);
  g_free (decision);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Decision, decision_free)

static void
bourse_approvals_page_decide_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(Decision) decision = user_data;
  BourseApprovalsPage *self = decision->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkLabel *error_label;
  gboolean ours;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Meanwhile another item's dialog may have been opened: that one stays. */
  ours = self->dialog != NULL && self->deciding && self->dialog_id == decision->id;
  if (ours)
    self->deciding = FALSE;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *approval = json_node_get_object (answer);
      g_autofree char *title = dup_title (approval);

      if (ours)
        bourse_approvals_page_close_dialog (self);

      if (g_strcmp0 (bourse_json_get_string (approval, "status"), "approved") == 0)
        /* Translators: %s is a decision and an instrument, e.g. “BUY BTCUSDT” */
        message = g_strdup_printf (_("%s approved"), title);
      else
        message = g_strdup_printf (_("%s rejected"), title);
      bourse_widget_show_toast (GTK_WIDGET (self), message);

      bourse_approvals_page_apply (self, approval, TRUE);
      bourse_approvals_page_refresh (self);
      return;
    }

  message = bourse_problem_to_text (problem, error);

  /* The dialog may be gone (another item's, another server): still say it. */
  if (!ours)
    {
      g_autofree char *toast = g_strdup_printf (_("Could not record the decision: %s"), message);

      bourse_widget_show_toast (GTK_WIDGET (self), toast);
      return;
    }

  /* The dialog comes back with the reason as typed and the server's words.
   * Already decided (409) or not yours to decide (403, four-eyes): trying
   * again cannot help. */
  error_label = g_object_get_data (G_OBJECT (self->dialog), "error-label");
  gtk_label_set_label (error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
  if (g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONFLICT) ||
      g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_FORBIDDEN))
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->dialog),
                                             self->dialog_decision, FALSE);
  gtk_window_present (GTK_WINDOW (self->dialog));

  if (g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONFLICT))
    bourse_approvals_page_reload (self);
}

static void
bourse_approvals_page_response_cb (AdwMessageDialog    *dialog,
                                   const char          *response,
                                   BourseApprovalsPage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *path = NULL;
  Decision *decision;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if ((GtkWidget *) dialog != self->dialog)
    return;

  if (g_strcmp0 (response, self->dialog_decision) != 0 || self->client == NULL)
    {
      bourse_approvals_page_close_dialog (self);
      return;
    }

  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (reason[0] == '\0' && g_str_equal (self->dialog_decision, "reject"))
    {
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* The dialog only hides (hide-on-close) until the answer: an error
   * brings it back as it was. */
  if (reason[0] != '\0')
    body = bourse_json_new_object ("reason", reason, NULL);
  else
    {
      body = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (body, json_object_new ());
    }
  path = g_strdup_printf ("/api/v1/approvals/%" PRId64 "/%s", self->dialog_id, self->dialog_decision);
  self->deciding = TRUE;
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (dialog), "error-label"), FALSE);

  decision = g_new0 (Decision, 1);
  decision->self = g_object_ref (self);
  decision->id = self->dialog_id;
  bourse_client_request_json_async (self->client, "POST", path, body, self->cancellable,
                                    bourse_approvals_page_decide_cb, decision);
}


/* A wrapped, left-aligned line of a dialog's extra box, hidden until
 * there is something to say. */
static GtkWidget *
dialog_label (GtkWidget  *box,
              const char *name,
              const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, name);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_visible (label, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static void
bourse_approvals_page_open_dialog (BourseApprovalsPage *self,
                                   gint64               id,
                                   const char          *decision)
{
  JsonObject *approval = g_hash_table_lookup (self->approvals, &id);
  JsonObject *recommendation = recommendation_of (approval);
  gboolean approve = g_strcmp0 (decision, "approve") == 0;
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *levels = NULL;
  g_autofree char *confidence = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *label;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if (approval == NULL)
    return;

  title = dup_title (approval);

  if (!is_pending (approval))
    {
      /* Translators: a decision and an instrument, then a state: Approved, Rejected, Expired */
      g_autofree char *message = g_strdup_printf (_("%s is no longer pending: %s"), title,
                                                  bourse_approval_status_to_display (
                                                    bourse_json_get_string (approval, "status")));

      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  if (!self->can_decide)
    {
      bourse_widget_show_toast (GTK_WIDGET (self),
                                _("Your role may look at approvals but not decide them"));
      return;
    }

  /* One decision at a time: the newest request wins. */
  bourse_approvals_page_close_dialog (self);

  levels = bourse_format_levels (recommendation);
  confidence = bourse_format_confidence (recommendation);
  /* Translators: e.g. “Approve BUY BTCUSDT?” */
  heading = g_strdup_printf (approve ? _("Approve %s?") : _("Reject %s?"), title);
  /* Translators: the levels and confidence, then what happens with the reason */
  body = g_strdup_printf (approve ? _("%s · %s\n\nThe reason is kept in the audit trail with "
                                      "your decision.")
                                  : _("%s · %s\n\nSay why: the reason is kept in the audit trail "
                                      "with your decision."),
                          levels, confidence);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  gtk_widget_set_name (dialog, "decide-dialog");
  /* An error brings it back with what was typed: see the response. */
  gtk_window_set_hide_on_close (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    decision, approve ? _("_Approve") : _("_Reject"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), decision,
                                              approve ? ADW_RESPONSE_SUGGESTED
                                                      : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), decision);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (!approve)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), decision, FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "reason-entry");
  gtk_entry_set_max_length (GTK_ENTRY (entry), REASON_MAX_CHARS);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  approve ? _("Reason (optional)") : _("Reason (required)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"),
                                  -1);
  gtk_box_append (GTK_BOX (box), entry);

  label = dialog_label (box, "decide-error-label", "error");

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "error-label", label);

  g_signal_connect_object (entry, "changed",
                           G_CALLBACK (bourse_approvals_page_reason_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_approvals_page_response_cb), self, 0);

  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  self->dialog_id = id;
  self->dialog_decision = g_strdup (decision);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* }}} */

/* Execute {{{ */

static void
bourse_approvals_page_close_execute_dialog (BourseApprovalsPage *self)
{
  GtkWidget *dialog = g_steal_pointer (&self->execute_dialog);

  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->execute_dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  self->execute_id = 0;
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
}

/* {"quantity"} as typed, or {} for the size the risk profile suggests. */
static JsonNode *
dup_execute_body (GtkWidget *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "quantity-entry");
  g_autofree char *quantity = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  JsonNode *body;

  if (quantity[0] != '\0')
    return bourse_json_new_object ("quantity", quantity, NULL);

  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, json_object_new ());
  return body;
}

static void
bourse_approvals_page_check_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(Decision) check = user_data;
  BourseApprovalsPage *self = check->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *order, *estimate;
  GtkLabel *estimate_label, *error_label;
  GtkEditable *entry;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->execute_dialog == NULL || self->execute_id != check->id)
    return;

  estimate_label = g_object_get_data (G_OBJECT (self->execute_dialog), "estimate-label");
  error_label = g_object_get_data (G_OBJECT (self->execute_dialog), "error-label");
  entry = g_object_get_data (G_OBJECT (self->execute_dialog), "quantity-entry");

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      text = bourse_problem_to_text (problem, error);
      gtk_label_set_label (estimate_label, "");
      gtk_label_set_label (error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
      return;
    }

  order = bourse_json_get_object (json_node_get_object (answer), "order");
  estimate = bourse_json_get_object (json_node_get_object (answer), "estimate");

  /* The size the risk profile suggests, until the user says another. */
  if (gtk_editable_get_text (entry)[0] == '\0')
    {
      g_autofree char *suggested = bourse_format_price (bourse_json_get_string (order, "quantity"));

      g_signal_handlers_block_matched (entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      gtk_editable_set_text (entry, suggested);
      g_signal_handlers_unblock_matched (entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }

  {
    const char *currency = bourse_json_get_string (order, "fee_asset");
    g_autofree char *notional = bourse_format_money_in (bourse_json_get_string (estimate, "notional"),
                                                        currency, FALSE);
    g_autofree char *fee = bourse_format_money_in (bourse_json_get_string (estimate, "fee"), currency, FALSE);

    /* Translators: the account's mode (“Paper”), then what the order would
     * cost at the market price now and its fee, e.g.
     * “Paper: about 615.90 USDT, fee 0.62 USDT” */
    text = g_strdup_printf (_("%s: about %s, fee %s"),
                            bourse_account_mode_to_display (bourse_json_get_string (order, "mode")),
                            notional, fee);
  }
  gtk_label_set_label (estimate_label, text);
  gtk_widget_set_visible (GTK_WIDGET (error_label), FALSE);
}

static gboolean
bourse_approvals_page_check_timeout_cb (gpointer data)
{
  BourseApprovalsPage *self = data;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  Decision *check;

  self->check_source = 0;
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  if (self->execute_dialog == NULL || self->client == NULL)
    return G_SOURCE_REMOVE;

  body = dup_execute_body (self->execute_dialog);
  path = g_strdup_printf ("/api/v1/approvals/%" PRId64 "/execute?dry_run=true", self->execute_id);
  check = g_new0 (Decision, 1);
  check->self = g_object_ref (self);
  check->id = self->execute_id;
  self->check_cancellable = g_cancellable_new ();
  bourse_client_request_json_async (self->client, "POST", path, body, self->check_cancellable,
                                    bourse_approvals_page_check_cb, check);
  return G_SOURCE_REMOVE;
}

/* The server's dry run of the execution as the quantity is now: the order
 * it would be, its cost, or its refusal. */
static void
bourse_approvals_page_queue_check (BourseApprovalsPage *self)
{
  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (CHECK_DELAY_MS, bourse_approvals_page_check_timeout_cb, self);
}

static void
bourse_approvals_page_execute_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(Decision) execution = user_data;
  BourseApprovalsPage *self = execution->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ours;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  ours = self->execute_dialog != NULL && self->execute_id == execution->id;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *order = json_node_get_object (answer);
      g_autofree char *quantity = bourse_format_price (bourse_json_get_string (order, "quantity"));

      if (ours)
        bourse_approvals_page_close_execute_dialog (self);
      /* Translators: approval #N became an order of a side, quantity and instrument */
      message = g_strdup_printf (_("Approval #%" PRId64 " executed: %s %s %s"), execution->id,
                                 bourse_decision_to_display (bourse_json_get_string (order, "side")),
                                 quantity, bourse_json_get_string (order, "symbol") ?: "?");
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      bourse_approvals_page_reload (self);
      return;
    }

  message = bourse_problem_to_text (problem, error);
  if (!ours)
    {
      g_autofree char *toast = g_strdup_printf (_("Could not execute: %s"), message);

      bourse_widget_show_toast (GTK_WIDGET (self), toast);
      return;
    }

  {
    GtkLabel *error_label = g_object_get_data (G_OBJECT (self->execute_dialog), "error-label");

    gtk_label_set_label (error_label, message);
    gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
    /* Executed already (409): again cannot help. */
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->execute_dialog), "execute",
                                             !g_error_matches (error, BOURSE_CLIENT_ERROR,
                                                               BOURSE_CLIENT_ERROR_CONFLICT));
    gtk_window_present (GTK_WINDOW (self->execute_dialog));
  }

  if (g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONFLICT))
    bourse_approvals_page_reload (self);
}

static void
bourse_approvals_page_execute_response_cb (AdwMessageDialog    *dialog,
                                           const char          *response,
                                           BourseApprovalsPage *self)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  Decision *execution;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if ((GtkWidget *) dialog != self->execute_dialog)
    return;

  if (g_strcmp0 (response, "execute") != 0 || self->client == NULL)
    {
      bourse_approvals_page_close_execute_dialog (self);
      return;
    }

  /* Empty: the server sizes it by the caller's risk profile. */
  body = dup_execute_body (GTK_WIDGET (dialog));
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);

  gtk_widget_set_visible (g_object_get_data (G_OBJECT (dialog), "error-label"), FALSE);
  path = g_strdup_printf ("/api/v1/approvals/%" PRId64 "/execute", self->execute_id);
  execution = g_new0 (Decision, 1);
  execution->self = g_object_ref (self);
  execution->id = self->execute_id;
  bourse_client_request_json_async (self->client, "POST", path, body, self->cancellable,
                                    bourse_approvals_page_execute_cb, execution);
}

static void
bourse_approvals_page_open_execute_dialog (BourseApprovalsPage *self,
                                           gint64               id)
{
  JsonObject *approval = g_hash_table_lookup (self->approvals, &id);
  JsonObject *recommendation = recommendation_of (approval);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *levels = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog, *box, *entry, *label, *estimate;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if (approval == NULL || !is_executable (approval) || !self->can_execute)
    return;

  bourse_approvals_page_close_execute_dialog (self);

  title = dup_title (approval);
  levels = bourse_format_levels (recommendation);
  /* Translators: e.g. “Execute BUY BTCUSDT?” */
  heading = g_strdup_printf (_("Execute %s?"), title);
  /* Translators: the levels, then what executing does */
  body = g_strdup_printf (_("%s\n\nA market order now, with the stop-loss and the take-profit "
                            "as its bracket once it fills. Leave the quantity empty and the "
                            "server sizes it by your risk profile: the risk per trade of your "
                            "equity, over the distance to the stop."),
                          levels);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  gtk_widget_set_name (dialog, "execute-dialog");
  gtk_window_set_hide_on_close (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "execute", _("_Execute"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "execute",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "execute");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "quantity-entry");
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  /* Filled with that size by the dry run. */
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Quantity: sized by your risk profile"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Quantity"),
                                  -1);
  gtk_box_append (GTK_BOX (box), entry);

  /* The dry run's figures, for the quantity in the entry. */
  estimate = dialog_label (box, "execute-estimate-label", "dim-label");
  gtk_widget_set_visible (estimate, TRUE);

  label = dialog_label (box, "execute-error-label", "error");

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "quantity-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "error-label", label);
  g_object_set_data (G_OBJECT (dialog), "estimate-label", estimate);
  g_signal_connect_object (entry, "changed",
                           G_CALLBACK (bourse_approvals_page_queue_check), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_approvals_page_execute_response_cb), self, 0);

  self->execute_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->execute_dialog);
  self->execute_id = id;

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
  bourse_approvals_page_queue_check (self);
}

/* }}} */

/* Actions {{{ */

static void
bourse_approvals_page_approve_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  bourse_approvals_page_open_dialog (BOURSE_APPROVALS_PAGE (widget),
                                     g_variant_get_int64 (param), "approve");
}

static void
bourse_approvals_page_reject_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  bourse_approvals_page_open_dialog (BOURSE_APPROVALS_PAGE (widget),
                                     g_variant_get_int64 (param), "reject");
}

static void
bourse_approvals_page_execute_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  bourse_approvals_page_open_execute_dialog (BOURSE_APPROVALS_PAGE (widget),
                                             g_variant_get_int64 (param));
}

/* }}} */

BourseClient *
bourse_approvals_page_get_client (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), NULL);

  return self->client;
}

void
bourse_approvals_page_set_client (BourseApprovalsPage *self,
                                  BourseClient        *client)
{
  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  bourse_approvals_page_close_dialog (self);
  bourse_approvals_page_close_execute_dialog (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, APPROVALS_TOPIC);

  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);

  /* Another server, or another principal: nothing seen so far is news. */
  self->loaded = FALSE;
  g_hash_table_remove_all (self->approvals);
  g_hash_table_remove_all (self->rows);
  g_ptr_array_set_size (self->queued, 0);
  bourse_approvals_page_refresh (self);

  if (client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      bourse_client_subscribe (client, APPROVALS_TOPIC);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "approvals.approve", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "approvals.reject", client != NULL);

  bourse_approvals_page_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
bourse_approvals_page_get_can_decide (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), FALSE);

  return self->can_decide;
}

void
bourse_approvals_page_set_can_decide (BourseApprovalsPage *self,
                                      gboolean             can_decide)
{
  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));

  can_decide = !!can_decide;
  if (self->can_decide == can_decide)
    return;

  self->can_decide = can_decide;
  if (!can_decide)
    bourse_approvals_page_close_dialog (self);
  bourse_approvals_page_refresh (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_DECIDE]);
}

void
bourse_approvals_page_set_can_execute (BourseApprovalsPage *self,
                                       gboolean             can_execute)
{
  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));

  can_execute = !!can_execute;
  if (self->can_execute == can_execute)
    return;

  self->can_execute = can_execute;
  if (!can_execute)
    bourse_approvals_page_close_execute_dialog (self);
  bourse_approvals_page_refresh (self);
}

guint
bourse_approvals_page_get_n_pending (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), 0);

  return self->n_pending;
}

int
bourse_approvals_page_get_n_approvals (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), -1);

  return self->loaded ? (int) g_hash_table_size (self->approvals) : -1;
}

static void
bourse_approvals_page_dispose (GObject *object)
{
  BourseApprovalsPage *self = (BourseApprovalsPage *)object;

  bourse_approvals_page_close_dialog (self);
  bourse_approvals_page_close_execute_dialog (self);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, APPROVALS_TOPIC);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  if (self->shown != NULL)
    g_ptr_array_set_size (self->shown, 0);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_APPROVALS_PAGE);

  G_OBJECT_CLASS (bourse_approvals_page_parent_class)->dispose (object);
}

static void
bourse_approvals_page_finalize (GObject *object)
{
  BourseApprovalsPage *self = (BourseApprovalsPage *)object;

  g_clear_pointer (&self->approvals, g_hash_table_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_pointer (&self->focus_decision, g_free);
  g_clear_pointer (&self->dialog_decision, g_free);

  G_OBJECT_CLASS (bourse_approvals_page_parent_class)->finalize (object);
}

static void
bourse_approvals_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BourseApprovalsPage *self = BOURSE_APPROVALS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_CAN_DECIDE:
      g_value_set_boolean (value, self->can_decide);
      break;

    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_approvals_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BourseApprovalsPage *self = BOURSE_APPROVALS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_approvals_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_CAN_DECIDE:
      bourse_approvals_page_set_can_decide (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_approvals_page_class_init (BourseApprovalsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_approvals_page_dispose;
  object_class->finalize = bourse_approvals_page_finalize;
  object_class->get_property = bourse_approvals_page_get_property;
  object_class->set_property = bourse_approvals_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_DECIDE] =
    g_param_spec_boolean ("can-decide", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseApprovalsPage::approval-added:
   * @id: the approval
   * @title: what it is about, for a person ("BUY BTCUSDT awaits approval")
   * @body: its levels, confidence and reason
   *
   * An approval appeared, pending, after the first look at the list.
   */
  signals[APPROVAL_ADDED] =
    g_signal_new ("approval-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * BourseApprovalsPage::approval-settled:
   * @id: the approval
   *
   * A pending approval was approved, rejected or expired, here or
   * anywhere else.
   */
  signals[APPROVAL_SETTLED] =
    g_signal_new ("approval-settled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "approvals.approve", "x",
                                   bourse_approvals_page_approve_action);
  gtk_widget_class_install_action (widget_class, "approvals.reject", "x",
                                   bourse_approvals_page_reject_action);
  gtk_widget_class_install_action (widget_class, "approvals.execute", "x",
                                   bourse_approvals_page_execute_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-approvals-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalsPage, pending_group);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalsPage, decided_group);
}

static void
bourse_approvals_page_init (BourseApprovalsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* AdwPreferencesPage:name shadows the widget's own name in templates. */
  gtk_widget_set_name (GTK_WIDGET (self), "approvals-page");

  self->approvals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                           (GDestroyNotify) json_object_unref);
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->shown = g_ptr_array_new ();
  self->queued = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" APPROVALS_TOPIC,
                                 G_CALLBACK (bourse_approvals_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" APPROVALS_TOPIC,
                                 G_CALLBACK (bourse_approvals_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "approvals.approve", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "approvals.reject", FALSE);

  bourse_approvals_page_refresh (self);
}

GtkWidget *
bourse_approvals_page_new (void)
{
  return g_object_new (BOURSE_TYPE_APPROVALS_PAGE, NULL);
}
