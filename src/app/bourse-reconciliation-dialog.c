/* bourse-reconciliation-dialog.c — what a reconciliation with the exchange found and adopted
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-reconciliation-dialog.h"
#include "bourse-trading-util.h"

static const char *
trigger_to_display (const char *trigger)
{
  if (g_strcmp0 (trigger, "start") == 0)
    return _("at start");
  if (g_strcmp0 (trigger, "reconnect") == 0)
    return _("after a reconnection");
  if (g_strcmp0 (trigger, "request") == 0)
    return _("on request");
  if (g_strcmp0 (trigger, "mode") == 0)
    return _("on switching to live");
  return trigger != NULL ? trigger : "—";
}

static GtkWidget *
add_row (GtkListBox *list,
         const char *name,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  gtk_widget_set_name (row, name);
  /* Symbols and ids come from the exchange: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (list, row);

  return row;
}

/* “Adopted: Buy 0.01 BTCUSDT” with its venue's id and status. */
static void
add_orders (GtkListBox *list,
            JsonArray  *orders,
            const char *kind,
            const char *what)
{
  for (guint i = 0; orders != NULL && i < json_array_get_length (orders); i++)
    {
      JsonNode *node = json_array_get_element (orders, i);
      JsonObject *order = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *quantity = NULL;
      g_autofree char *price = NULL;
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;
      gint64 id = 0;

      if (order == NULL)
        continue;

      bourse_json_get_int (order, "id", &id);
      quantity = bourse_format_price (bourse_json_get_string (order, "quantity"));
      price = bourse_format_price (bourse_json_get_string (order, "price"));
      /* Translators: what a reconciliation did, a side, a quantity and an instrument,
       * e.g. “Adopted: Buy 0.01 BTCUSDT” */
      title = g_strdup_printf (_("%s: %s %s %s"), what,
                               bourse_order_side_to_display (bourse_json_get_string (order, "side")),
                               quantity, bourse_json_get_string (order, "symbol") ?: "?");
      /* Translators: an order's type and price, its id on the exchange, and its status */
      subtitle = g_strdup_printf (_("%s %s · exchange order %s · %s"),
                                  bourse_order_type_to_display (bourse_json_get_string (order, "type")),
                                  bourse_json_get_string (order, "price") != NULL ? price : "",
                                  bourse_json_get_string (order, "exchange_order_id") ?: "—",
                                  bourse_order_status_to_display (bourse_json_get_string (order, "status")));
      name = g_strdup_printf ("%s-order-row-%" PRId64, kind, id);
      add_row (list, name, title, subtitle);
    }
}

static void
add_fills (GtkListBox *list,
           JsonArray  *fills)
{
  for (guint i = 0; fills != NULL && i < json_array_get_length (fills); i++)
    {
      JsonNode *node = json_array_get_element (fills, i);
      JsonObject *fill = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *quantity = NULL;
      g_autofree char *price = NULL;
      g_autofree char *title = NULL;
      g_autofree char *when = NULL;
      g_autofree char *name = NULL;
      gint64 id = 0;

      if (fill == NULL)
        continue;

      bourse_json_get_int (fill, "id", &id);
      quantity = bourse_format_price (bourse_json_get_string (fill, "quantity"));
      price = bourse_format_price (bourse_json_get_string (fill, "price"));
      when = bourse_format_local_time (bourse_json_get_string (fill, "time"));
      /* Translators: a fill a reconciliation booked: side, quantity, instrument and price,
       * e.g. “Fill: Buy 0.01 BTCUSDT at 65000” */
      title = g_strdup_printf (_("Fill: %s %s %s at %s"),
                               bourse_order_side_to_display (bourse_json_get_string (fill, "side")),
                               quantity, bourse_json_get_string (fill, "symbol") ?: "?", price);
      name = g_strdup_printf ("fill-row-%" PRId64, id);
      add_row (list, name, title, when != NULL ? when : "");
    }
}

static void
add_balances (GtkListBox *list,
              JsonArray  *balances)
{
  for (guint i = 0; balances != NULL && i < json_array_get_length (balances); i++)
    {
      JsonNode *node = json_array_get_element (balances, i);
      JsonObject *balance = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *asset = bourse_json_get_string (balance, "asset");
      g_autofree char *ledger_free = NULL;
      g_autofree char *ledger_locked = NULL;
      g_autofree char *exchange_free = NULL;
      g_autofree char *exchange_locked = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;

      if (balance == NULL || asset == NULL)
        continue;

      ledger_free = bourse_format_price (bourse_json_get_string (balance, "ledger_free"));
      ledger_locked = bourse_format_price (bourse_json_get_string (balance, "ledger_locked"));
      exchange_free = bourse_format_price (bourse_json_get_string (balance, "exchange_free"));
      exchange_locked = bourse_format_price (bourse_json_get_string (balance, "exchange_locked"));
      /* Translators: a balance in the ledger before, and on the exchange */
      subtitle = g_strdup_printf (_("Ledger %s free, %s locked → exchange %s free, %s locked"),
                                  ledger_free, ledger_locked, exchange_free, exchange_locked);
      name = g_strdup_printf ("balance-row-%s", asset);
      add_row (list, name, asset, subtitle);
    }
}

GtkWidget *
bourse_reconciliation_dialog_new (GtkWindow  *parent,
                                  JsonObject *reconciliation)
{
  JsonArray *adopted = bourse_json_get_array (reconciliation, "adopted_orders");
  JsonArray *updated = bourse_json_get_array (reconciliation, "updated_orders");
  JsonArray *fills = bourse_json_get_array (reconciliation, "fills");
  JsonArray *balances = bourse_json_get_array (reconciliation, "balances");
  const char *outcome = bourse_json_get_string (reconciliation, "outcome");
  const char *problem = bourse_json_get_string (reconciliation, "error");
  g_autofree char *finished = bourse_format_local_time (bourse_json_get_string (reconciliation,
                                                                                "finished_at"));
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *scrolled;
  gint64 differences = 0;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (reconciliation != NULL, NULL);

  bourse_json_get_int (reconciliation, "differences", &differences);
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Reconciliation: %u Difference",
                                          "Reconciliation: %u Differences",
                                          (gulong) MAX (differences, 0)),
                             (guint) MAX (differences, 0));
  if (g_strcmp0 (outcome, "failed") == 0)
    /* Translators: when a reconciliation ran, why, and the exchange's error */
    body = g_strdup_printf (_("Run %s %s. It failed: %s"), finished ? finished : "—",
                            trigger_to_display (bourse_json_get_string (reconciliation, "trigger")),
                            problem != NULL ? problem : "—");
  else
    /* Translators: when a reconciliation ran, and why (“at start”, “on request”…) */
    body = g_strdup_printf (_("Run %s %s. The ledger now follows the exchange: what it had "
                              "and Bourse did not know is adopted, and orders placed on the "
                              "exchange outside Bourse are marked external."),
                            finished ? finished : "—",
                            trigger_to_display (bourse_json_get_string (reconciliation, "trigger")));

  dialog = adw_message_dialog_new (parent, heading, body);
  gtk_widget_set_name (dialog, "reconciliation-dialog");
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");

  list = gtk_list_box_new ();
  gtk_widget_set_name (list, "reconciliation-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  add_orders (GTK_LIST_BOX (list), adopted, "adopted", _("Adopted"));
  add_orders (GTK_LIST_BOX (list), updated, "updated", _("Updated"));
  add_fills (GTK_LIST_BOX (list), fills);
  add_balances (GTK_LIST_BOX (list), balances);
  if (gtk_widget_get_first_child (list) == NULL)
    add_row (GTK_LIST_BOX (list), "empty-row", _("Nothing to adopt"),
             _("The exchange and the ledger agreed"));

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);

  return dialog;
}

/* The window a report is for, weakly: a closed window must not be kept
 * alive by the answer, nor have a dialog put over it once it is gone. */
typedef struct
{
  GWeakRef parent;
} Latest;

static void
latest_free (Latest *latest)
{
  g_weak_ref_clear (&latest->parent);
  g_free (latest);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Latest, latest_free)

static void
bourse_reconciliation_dialog_latest_cb (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(Latest) latest = user_data;
  g_autoptr(GtkWindow) parent = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items = NULL;
  JsonNode *first;

  answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      (parent = g_weak_ref_get (&latest->parent)) == NULL ||
      !gtk_widget_get_visible (GTK_WIDGET (parent)))
    return;

  if (answer == NULL)
    {
      /* Translators: %s is the server's answer */
      g_autofree char *message = g_strdup_printf (_("Could not load the reconciliation: %s"),
                                                  error->message);

      bourse_widget_show_toast (GTK_WIDGET (parent), message);
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (answer))
    items = bourse_json_get_array (json_node_get_object (answer), "items");
  if (items == NULL || json_array_get_length (items) == 0 ||
      !JSON_NODE_HOLDS_OBJECT ((first = json_array_get_element (items, 0))))
    {
      bourse_widget_show_toast (GTK_WIDGET (parent), _("No reconciliation has run yet"));
      return;
    }

  gtk_window_present (GTK_WINDOW (bourse_reconciliation_dialog_new (parent,
                                                                    json_node_get_object (first))));
}

void
bourse_reconciliation_dialog_present_latest (GtkWindow    *parent,
                                             BourseClient *client,
                                             GCancellable *cancellable)
{
  Latest *latest;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (BOURSE_IS_CLIENT (client));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  latest = g_new0 (Latest, 1);
  g_weak_ref_init (&latest->parent, parent);
  bourse_client_get_json_async (client, "/api/v1/system/reconciliations?limit=1", cancellable,
                                bourse_reconciliation_dialog_latest_cb, latest);
}
