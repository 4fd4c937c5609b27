/* test-approvals.c — the Approvals page, its reason dialog and its desktop
 * notifications
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real engine and server, in this thread (tests/integration's
 * BourseTestServer, as test-markets.c does), with the simulated market
 * backfilled so that analyses have candles. Approvals are made through the
 * API: RSI analyses whose levels make the decision whatever the prices
 * (every RSI below 99.9 is oversold, every one above 0.1 overbought), by
 * real accounts. The notifications go through
 * GLib's real "gtk" notification backend over D-Bus to a stand-in of the
 * desktop shell (org.gtk.Notifications, on this test's private session bus),
 * which also presses the notification's buttons the way the shell does:
 * org.freedesktop.Application.ActivateAction on the application.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "bourse-app-util.h"
#include "bourse-application.h"
#include "bourse-approvals-page.h"
#include "bourse-mini-chart.h"
#include "bourse-window.h"

#include "bourse-desk-util.h"
#include "bourse-desktop-settings.h"
#include "desk/bourse-desk-approvals.h"

#include "../integration/desk-test-util.h"
#include "gui-util.h"

static char *tmp_dir;
static BourseApplication *application;

/* The desktop shell's notification service {{{ */

typedef struct
{
  GDBusConnection *connection;
  guint            registration_id;
  guint            owner_id;
  gboolean         acquired;
  GPtrArray       *added;     /* GVariant (ssa{sv}), as received */
  GPtrArray       *removed;   /* char *, notification ids */
} FakeShell;

static FakeShell *shell;

static const char shell_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
shell_method_cb (GDBusConnection       *connection,
                 const char            *sender,
                 const char            *object_path,
                 const char            *interface_name,
                 const char            *method_name,
                 GVariant              *parameters,
                 GDBusMethodInvocation *invocation,
                 gpointer               user_data)
{
  FakeShell *fake = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    g_ptr_array_add (fake->added, g_variant_ref (parameters));
  else
    {
      const char *app_id, *id;

      g_variant_get (parameters, "(&s&s)", &app_id, &id);
      g_ptr_array_add (fake->removed, g_strdup (id));
    }

  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable shell_vtable = { shell_method_cb, NULL, NULL, { NULL } };

static void
shell_acquired_cb (GDBusConnection *connection,
                   const char      *name,
                   gpointer         user_data)
{
  ((FakeShell *) user_data)->acquired = TRUE;
}

static gboolean
shell_is_ready (gpointer data)
{
  return ((FakeShell *) data)->acquired;
}

/* A connection of its own, as the shell is another process: GLib picks
 * the "gtk" backend because this name has an owner. */
static FakeShell *
fake_shell_new (void)
{
  FakeShell *fake = g_new0 (FakeShell, 1);
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (address == NULL)
    {
      g_test_message ("No session bus: %s", error->message);
      g_free (fake);
      return NULL;
    }

  fake->connection = g_dbus_connection_new_for_address_sync (address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, &error);
  g_assert_no_error (error);
  fake->added = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  fake->removed = g_ptr_array_new_with_free_func (g_free);

  info = g_dbus_node_info_new_for_xml (shell_xml, &error);
  g_assert_no_error (error);
  fake->registration_id = g_dbus_connection_register_object (fake->connection,
                                                             "/org/gtk/Notifications",
                                                             info->interfaces[0],
                                                             &shell_vtable, fake, NULL, &error);
  g_assert_no_error (error);
  fake->owner_id = g_bus_own_name_on_connection (fake->connection, "org.gtk.Notifications",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE,
                                                 shell_acquired_cb, NULL, fake, NULL);
  wait_until (shell_is_ready, fake, "org.gtk.Notifications to be ours");

  return fake;
}

static void
fake_shell_free (FakeShell *fake)
{
  g_bus_unown_name (fake->owner_id);
  g_dbus_connection_unregister_object (fake->connection, fake->registration_id);
  g_dbus_connection_close_sync (fake->connection, NULL, NULL);
  g_clear_object (&fake->connection);
  g_ptr_array_unref (fake->added);
  g_ptr_array_unref (fake->removed);
  g_free (fake);
}

/* The last notification @id sent, as its a{sv}, or NULL. */
static GVariant *
shell_find (const char *id)
{
  for (guint i = shell->added->len; i > 0; i--)
    {
      GVariant *call = g_ptr_array_index (shell->added, i - 1);
      const char *app_id, *notification_id;
      GVariant *notification;

      g_variant_get (call, "(&s&s@a{sv})", &app_id, &notification_id, &notification);
      if (g_str_equal (notification_id, id))
        {
          g_assert_cmpstr (app_id, ==, APPLICATION_ID);
          return notification;
        }
      g_variant_unref (notification);
    }

  return NULL;
}

static gboolean
shell_has (gpointer data)
{
  g_autoptr(GVariant) notification = shell_find (data);

  return notification != NULL;
}

static gboolean
shell_removed (gpointer data)
{
  for (guint i = 0; i < shell->removed->len; i++)
    if (g_str_equal (g_ptr_array_index (shell->removed, i), data))
      return TRUE;

  return FALSE;
}

/* Presses a notification's button (or its body, with @label NULL) as
 * GNOME Shell does: the application's action, over D-Bus. */
static void
shell_press (const char *id,
             const char *label)
{
  g_autoptr(GVariant) notification = shell_find (id);
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  GVariantBuilder parameters;

  g_assert_nonnull (notification);

  if (label == NULL)
    {
      g_assert_true (g_variant_lookup (notification, "default-action", "s", &action));
      target = g_variant_lookup_value (notification, "default-action-target", NULL);
    }
  else
    {
      g_autoptr(GVariant) buttons = g_variant_lookup_value (notification, "buttons",
                                                            G_VARIANT_TYPE ("aa{sv}"));

      g_assert_nonnull (buttons);
      for (gsize i = 0; i < g_variant_n_children (buttons); i++)
        {
          g_autoptr(GVariant) button = g_variant_get_child_value (buttons, i);
          const char *button_label = NULL;

          g_variant_lookup (button, "label", "&s", &button_label);
          if (g_strcmp0 (button_label, label) == 0)
            {
              g_variant_lookup (button, "action", "s", &action);
              target = g_variant_lookup_value (button, "target", NULL);
            }
        }
    }

  g_assert_nonnull (action);
  g_assert_true (g_str_has_prefix (action, "app."));

  g_variant_builder_init (&parameters, G_VARIANT_TYPE ("av"));
  if (target != NULL)
    g_variant_builder_add (&parameters, "v", target);

  g_dbus_connection_call (shell->connection, APPLICATION_ID,
                          g_application_get_dbus_object_path (G_APPLICATION (application)),
                          "org.freedesktop.Application", "ActivateAction",
                          g_variant_new ("(sava{sv})", action + strlen ("app."), &parameters, NULL),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "ActivateAction");
  reply = g_dbus_connection_call_finish (shell->connection, result, &error);
  g_assert_no_error (error);
}

/* }}} */

/* Helpers {{{ */

/* A server with the simulated market and two accounts: a trader, who
 * signs in to the window, and an admin, who asks and decides behind the
 * page's back. */
typedef struct
{
  BourseTestServer *server;
  gint64            trader_id;
  char             *trader;
  gint64            admin_id;
  char             *admin;
} Desk;

static Desk *
desk_new (gboolean four_eyes)
{
  const char * const settings[] = { "approvals", "four_eyes", four_eyes ? "true" : "false", NULL };
  Desk *desk = g_new0 (Desk, 1);

  desk->server = desk_sim_server_new ("1", "1", settings);
  desk->trader_id = desk_create_user (desk->server, "tom", "trader");
  desk->trader = desk_login (desk->server, "tom", "trader");
  desk->admin_id = desk_create_user (desk->server, "ada", "admin");
  desk->admin = desk_login (desk->server, "ada", "admin");
  g_assert_cmpint (desk->admin_id, !=, desk->trader_id);

  return desk;
}

static void
desk_free (Desk *desk)
{
  bourse_test_server_free (desk->server);
  g_free (desk->trader);
  g_free (desk->admin);
  g_free (desk);
}

/* GET /api/v1/approvals/@id, as the local owner. */
static JsonObject *
get_approval (Desk   *desk,
              gint64  id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/approvals/%" PRId64, id);
  g_autoptr(JsonNode) node = desk_expect (desk->server, "GET", path, NULL, NULL, 200);

  return json_object_ref (desk_object (node));
}

/* A pending approval of a @decision ("BUY" or "SELL") on @symbol, asked
 * for by @token (NULL: the admin) through POST /api/v1/recommendations. */
static JsonObject *
add_approval (Desk       *desk,
              const char *symbol,
              const char *decision,
              const char *token)
{
  gboolean buy = g_str_equal (decision, "BUY");
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"%s\",\"interval\":\"15m\",\"strategy\":\"rsi\","
                                           "\"last_n_days\":2,\"params\":{\"oversold\":%s,\"overbought\":%s}}",
                                           symbol, buy ? "99.9" : "0", buy ? "100" : "0.1");
  g_autoptr(JsonNode) node = desk_expect (desk->server, "POST", "/api/v1/recommendations",
                                          token ? token : desk->admin, body, 201);
  JsonObject *recommendation = desk_object (node);

  g_assert_cmpstr (json_object_get_string_member (recommendation, "decision"), ==, decision);
  return get_approval (desk, json_object_get_int_member (recommendation, "approval_id"));
}

/* Decides approval @id as @token (NULL: the admin) would. */
static void
decide (Desk       *desk,
        gint64      id,
        const char *decision,
        const char *reason,
        const char *token)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/approvals/%" PRId64 "/%s", id, decision);
  g_autofree char *body = g_strdup_printf ("{\"reason\":\"%s\"}", reason);
  g_autoptr(JsonNode) node = desk_expect (desk->server, "POST", path, token ? token : desk->admin, body, 200);
}

/* Approval @id expires: made overdue in the store, then the engine's own
 * expiry (what its timer runs) finds it. */
static void
expire (Desk   *desk,
        gint64  id)
{
  BourseStore *store = bourse_engine_get_store (desk->server->engine);
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (store, "UPDATE approvals SET expires_at = ?1 WHERE id = ?2",
                                                       &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, "2000-01-01T00:00:00Z", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpuint (bourse_desk_expire_approvals (bourse_engine_get_desk (desk->server->engine)), ==, 1);
}

static BourseWindow *
open_window (Desk       *desk,
             const char *token)
{
  BourseWindow *window = bourse_window_new (GTK_APPLICATION (application));

  /* Each test's server numbers its approvals from 1 again. */
  g_ptr_array_set_size (shell->added, 0);
  g_ptr_array_set_size (shell->removed, 0);

  g_object_ref (window);
  bourse_window_set_token (window, token);
  bourse_window_set_server_url (window, desk->server->base_url);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

typedef struct
{
  GtkWidget *root;
  int        n;
} PageQuery;

static gboolean
page_is_loaded (gpointer data)
{
  PageQuery *query = data;
  GtkWidget *page = find_widget (query->root, "approvals-page");

  return page != NULL &&
         bourse_approvals_page_get_n_approvals (BOURSE_APPROVALS_PAGE (page)) == query->n;
}

/* The window's Approvals page, shown, once it lists @n approvals. */
static BourseApprovalsPage *
wait_for_page (BourseWindow *window,
               int           n)
{
  PageQuery query = { GTK_WIDGET (window), n };
  g_autofree char *what = g_strdup_printf ("the Approvals page to list %d approvals", n);

  wait_until (page_is_loaded, &query, what);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "approvals"));

  return BOURSE_APPROVALS_PAGE (find_widget (GTK_WIDGET (window), "approvals-page"));
}

static char *
row_name (gint64 id)
{
  return g_strdup_printf ("approval-row-%" PRId64, id);
}

static gint64
id_of (JsonObject *approval)
{
  return json_object_get_int_member (approval, "id");
}

static GtkWidget *
find_row (BourseApprovalsPage *page,
          gint64               id)
{
  g_autofree char *name = row_name (id);

  return find_widget (GTK_WIDGET (page), name);
}

typedef struct
{
  BourseApprovalsPage *page;
  gint64               id;
  const char          *status;  /* the status label's text, or NULL for buttons */
} RowQuery;

static gboolean
row_shows (gpointer data)
{
  RowQuery *query = data;
  GtkWidget *row = find_row (query->page, query->id);
  GtkWidget *label;

  if (row == NULL)
    return FALSE;
  if (query->status == NULL)
    return find_widget (row, "approve-button") != NULL;

  label = find_widget (row, "status-label");
  return label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), query->status) == 0;
}

static void
wait_for_row (BourseApprovalsPage *page,
              gint64               id,
              const char          *status)
{
  RowQuery query = { page, id, status };
  g_autofree char *what = g_strdup_printf ("approval %" PRId64 " to show %s", id,
                                           status ? status : "its buttons");

  wait_until (row_shows, &query, what);
}

/* The row's group, by its title: what the user reads above it. */
static const char *
group_of (GtkWidget *row)
{
  GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

  g_assert_nonnull (group);
  return adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group));
}

static void
collect_rows (GtkWidget *root,
              GString   *order)
{
  const char *name = gtk_widget_get_name (root);

  if (g_str_has_prefix (name, "approval-row-"))
    {
      g_string_append_printf (order, "%s%s", order->len ? " " : "", name + strlen ("approval-row-"));
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, order);
}

/* The approvals' ids as the page shows them, top to bottom. */
static char *
dup_order (BourseApprovalsPage *page)
{
  GString *order = g_string_new (NULL);

  collect_rows (GTK_WIDGET (page), order);
  return g_string_free (order, FALSE);
}

/* The reason dialog, once shown, for the approval its heading names. */
static GtkWidget *
wait_for_dialog (const char *heading)
{
  GtkWidget *dialog;

  wait_until (named_toplevel_is_shown, (gpointer) "decide-dialog", "the reason dialog");
  dialog = find_named_toplevel ("decide-dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, heading);

  return dialog;
}

static void
set_reason (GtkWidget  *dialog,
            const char *reason)
{
  GtkWidget *entry = find_widget (dialog, "reason-entry");

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), reason);
}

static void
cancel_dialog (void)
{
  click (find_button_labelled (find_named_toplevel ("decide-dialog"), "_Cancel"));
  wait_until (named_toplevel_is_gone, (gpointer) "decide-dialog", "the dialog to close");
}

static gboolean
chart_is_loaded (gpointer data)
{
  return bourse_mini_chart_get_n_candles (data) > 0;
}

typedef struct
{
  Desk       *desk;
  gint64      id;
  const char *status;
} ServerQuery;

static gboolean
server_has_status (gpointer data)
{
  ServerQuery *query = data;
  g_autoptr(JsonObject) approval = get_approval (query->desk, query->id);

  return g_str_equal (json_object_get_string_member (approval, "status"), query->status);
}

/* Waits until the server has approval @id in @status; returns it. */
static JsonObject *
wait_for_status (Desk       *desk,
                 gint64      id,
                 const char *status)
{
  ServerQuery query = { desk, id, status };
  g_autofree char *what = g_strdup_printf ("approval %" PRId64 " to be %s", id, status);

  wait_until (server_has_status, &query, what);
  return get_approval (desk, id);
}

static JsonObject *
recommendation_of (JsonObject *approval)
{
  return json_object_get_object_member (approval, "recommendation");
}

/* A price as the page shows it: the recommendation's @member. */
static char *
price_of (JsonObject *approval,
          const char *member)
{
  return bourse_format_price (json_object_get_string_member (recommendation_of (approval), member));
}

static double
level_of (JsonObject *approval,
          const char *member)
{
  return g_ascii_strtod (json_object_get_string_member (recommendation_of (approval), member), NULL);
}

/* The confidence as the page shows it, "72 %": the recommendation's. */
static char *
confidence_of (JsonObject *recommendation)
{
  return g_strdup_printf ("%.0f\u00a0%%", json_object_get_double_member (recommendation, "confidence") * 100);
}

static gboolean
page_is_visible (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* }}} */

static GtkWidget *
find_sidebar (GtkWidget *root)
{
  if (GTK_IS_LIST_VIEW (root) && gtk_widget_has_css_class (root, "navigation-sidebar"))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_sidebar (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The one badge shown in the sidebar: the rows are made as they are laid out. */
static GtkWidget *
find_badge (BourseWindow *window)
{
  GtkWidget *sidebar = find_sidebar (GTK_WIDGET (window));
  GtkWidget *badge = NULL;

  g_assert_nonnull (sidebar);

  for (GtkWidget *item = gtk_widget_get_first_child (sidebar); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *label = find_widget (item, "sidebar-badge");

      if (label != NULL && gtk_widget_get_visible (label))
        {
          g_assert_null (badge);
          badge = label;
        }
    }

  return badge;
}

static gboolean
sidebar_badge_is_shown (gpointer data)
{
  return find_badge (data) != NULL;
}

/* Pending first (newest first), then the decided ones; the count on the
 * sidebar and in the title; what each item says. */
static void
test_list (void)
{
  Desk *desk = desk_new (FALSE);
  g_autoptr(JsonObject) btc = add_approval (desk, "BTCUSDT", "BUY", desk->trader);
  g_autoptr(JsonObject) eth = add_approval (desk, "ETHUSDT", "BUY", NULL);
  g_autoptr(JsonObject) sol = add_approval (desk, "SOLUSDT", "SELL", NULL);
  g_autoptr(JsonObject) ada = add_approval (desk, "ETHUSDT", "SELL", NULL);
  g_autoptr(JsonObject) xrp = add_approval (desk, "BTCUSDT", "BUY", NULL);
  g_autoptr(JsonObject) eth_decided = NULL;
  g_autofree char *expected_order = NULL;
  g_autofree char *order = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *entry_text = NULL;
  g_autofree char *stop_text = NULL;
  g_autofree char *target_text = NULL;
  g_autofree char *confidence = NULL;
  g_autofree char *risk_reward = NULL;
  g_autofree char *strategy = NULL;
  BourseApprovalsPage *page;
  AdwViewStackPage *stack_page;
  BourseWindow *window;
  GtkWidget *row;
  GtkWidget *chart;
  GtkWidget *badge = NULL;
  JsonObject *recommendation = recommendation_of (sol);
  double entry, stop, target;
  gint64 n_candles;

  decide (desk, id_of (eth), "approve", "Seen elsewhere", NULL);
  decide (desk, id_of (ada), "reject", "Too late", NULL);
  expire (desk, id_of (xrp));

  window = open_window (desk, desk->trader);
  page = wait_for_page (window, 5);

  expected_order = g_strdup_printf ("%" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64,
                                    id_of (sol), id_of (btc), id_of (xrp), id_of (ada), id_of (eth));
  order = dup_order (page);
  g_assert_cmpstr (order, ==, expected_order);
  g_assert_cmpstr (group_of (find_row (page, id_of (sol))), ==, "Awaiting Decision");
  g_assert_cmpstr (group_of (find_row (page, id_of (xrp))), ==, "Decided");

  /* Two wait: the page says so, and so do the sidebar and the title. */
  g_assert_cmpuint (bourse_approvals_page_get_n_pending (page), ==, 2);
  stack_page = adw_view_stack_get_page (ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (page),
                                                                                 ADW_TYPE_VIEW_STACK)),
                                        GTK_WIDGET (page));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 2);
  g_assert_true (adw_view_stack_page_get_needs_attention (stack_page));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Bourse — 2 Approvals Pending");
  wait_until (sidebar_badge_is_shown, window, "the sidebar's badge");
  badge = find_badge (window);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, "2");

  /* A pending item, whole: decision, levels, confidence, reason, who and
   * until when, and its chart; as the server has them. */
  row = find_row (page, id_of (sol));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "SOLUSDT");
  g_assert_cmpstr (label_text (row, "decision-label"), ==, "SELL");
  g_assert_true (gtk_widget_has_css_class (find_widget (row, "decision-label"), "error"));
  g_assert_true (gtk_widget_has_css_class (find_widget (find_row (page, id_of (btc)), "decision-label"),
                                           "success"));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  entry_text = price_of (sol, "entry");
  stop_text = price_of (sol, "stop_loss");
  target_text = price_of (sol, "take_profit");
  /* A sale: the stop above the entry, the target below. */
  g_assert_cmpfloat (level_of (sol, "stop_loss"), >, level_of (sol, "entry"));
  g_assert_cmpfloat (level_of (sol, "take_profit"), <, level_of (sol, "entry"));
  g_assert_cmpstr (label_text (row, "entry-value"), ==, entry_text);
  g_assert_cmpstr (label_text (row, "stop-loss-value"), ==, stop_text);
  g_assert_cmpstr (label_text (row, "take-profit-value"), ==, target_text);
  confidence = confidence_of (recommendation);
  g_assert_cmpstr (label_text (row, "confidence-value"), ==, confidence);
  g_assert_true (g_str_has_suffix (confidence, "\u00a0%"));
  risk_reward = g_strdup_printf ("%.2f", json_object_get_double_member (recommendation, "risk_reward"));
  g_assert_cmpstr (label_text (row, "risk-reward-value"), ==, risk_reward);
  g_assert_cmpstr (label_text (row, "reason-value"), ==, json_object_get_string_member (recommendation, "reason"));
  g_assert_true (g_str_has_prefix (label_text (row, "reason-value"), "RSI(14) is "));
  /* Names, not ids: the strategy type's and the accounts'. */
  g_assert_cmpstr (json_object_get_string_member (recommendation, "strategy_name"), !=, "rsi");
  strategy = g_strdup_printf ("%s · 15m", json_object_get_string_member (recommendation, "strategy_name"));
  g_assert_cmpstr (label_text (row, "strategy-value"), ==, strategy);
  g_assert_true (g_str_has_prefix (label_text (row, "requested-by-value"), "ada at "));
  g_assert_true (g_str_has_prefix (label_text (find_row (page, id_of (btc)), "requested-by-value"), "tom at "));
  expires = bourse_format_local_time (json_object_get_string_member (sol, "expires_at"));
  g_assert_cmpstr (label_text (row, "expires-value"), ==, expires);
  g_assert_nonnull (find_widget (row, "approve-button"));
  g_assert_nonnull (find_widget (row, "reject-button"));

  /* The window the analysis saw, with its levels (no more candles than
   * the small chart draws). */
  chart = find_widget (row, "mini-chart");
  g_assert_true (BOURSE_IS_MINI_CHART (chart));
  wait_until (chart_is_loaded, chart, "the chart's candles");
  n_candles = json_object_get_int_member (json_object_get_object_member (recommendation, "window"), "candles");
  g_assert_cmpint (n_candles, >, 0);
  g_assert_cmpint (bourse_mini_chart_get_n_candles (BOURSE_MINI_CHART (chart)), ==,
                   MIN (n_candles, BOURSE_MINI_CHART_MAX_CANDLES));
  bourse_mini_chart_get_levels (BOURSE_MINI_CHART (chart), &entry, &stop, &target);
  g_assert_cmpfloat_with_epsilon (entry, level_of (sol, "entry"), 1e-9);
  g_assert_cmpfloat_with_epsilon (stop, level_of (sol, "stop_loss"), 1e-9);
  g_assert_cmpfloat_with_epsilon (target, level_of (sol, "take_profit"), 1e-9);

  /* Decided ones: their state instead of buttons, folded, their chart only
   * when opened. */
  row = find_row (page, id_of (eth));
  g_assert_cmpstr (label_text (row, "status-label"), ==, "Approved");
  g_assert_null (find_widget (row, "approve-button"));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  chart = find_widget (row, "mini-chart");
  g_assert_true (chart == NULL || bourse_mini_chart_get_n_candles (BOURSE_MINI_CHART (chart)) < 0);
  eth_decided = get_approval (desk, id_of (eth));
  g_assert_cmpint (json_object_get_int_member (eth_decided, "decided_by"), ==, desk->admin_id);
  g_assert_true (g_str_has_prefix (label_text (row, "decided-value"), "Approved by ada at "));
  g_assert_cmpstr (label_text (row, "decision-reason-value"), ==, "Seen elsewhere");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  chart = find_widget (row, "mini-chart");
  g_assert_nonnull (chart);
  wait_until (chart_is_loaded, chart, "the decided one's chart");
  g_assert_cmpstr (label_text (find_row (page, id_of (ada)), "status-label"), ==, "Rejected");
  g_assert_cmpstr (label_text (find_row (page, id_of (xrp)), "status-label"), ==, "Expired");
  /* People by name everywhere on the page, never by id. */
  g_assert_false (some_label_contains (GTK_WIDGET (page), "User #"));

  close_window (window);
  desk_free (desk);
}

typedef struct
{
  BourseApprovalsPage *page;
  guint                n;
} PendingQuery;

static gboolean
has_n_pending (gpointer data)
{
  PendingQuery *query = data;

  return bourse_approvals_page_get_n_pending (query->page) == query->n;
}

/* Approve through the dialog: the reason travels; the item moves down;
 * the count follows; its notification goes. */
static void
test_approve (void)
{
  Desk *desk = desk_new (FALSE);
  g_autoptr(JsonObject) btc = add_approval (desk, "BTCUSDT", "BUY", desk->trader);
  g_autoptr(JsonObject) sol = add_approval (desk, "SOLUSDT", "SELL", NULL);
  g_autoptr(JsonObject) decided = NULL;
  g_autofree char *notification_id = g_strdup_printf ("approval-%" PRId64, id_of (btc));
  BourseApprovalsPage *page;
  BourseWindow *window;
  GtkWidget *dialog;
  PendingQuery pending;

  window = open_window (desk, desk->trader);
  page = wait_for_page (window, 2);
  g_assert_cmpuint (bourse_approvals_page_get_n_pending (page), ==, 2);

  click (find_widget (find_row (page, id_of (btc)), "approve-button"));
  dialog = wait_for_dialog ("Approve BUY BTCUSDT?");
  /* Optional for an approval: the button works without one. */
  g_assert_true (gtk_widget_is_sensitive (find_button_labelled (dialog, "_Approve")));
  set_reason (dialog, "  Trend confirmed on the daily  ");
  click (find_button_labelled (dialog, "_Approve"));
  wait_until (named_toplevel_is_gone, (gpointer) "decide-dialog", "the dialog to close");

  /* The server has it, with the reason trimmed, decided by the window's
   * account. */
  decided = wait_for_status (desk, id_of (btc), "approved");
  g_assert_cmpstr (json_object_get_string_member (decided, "reason"), ==, "Trend confirmed on the daily");
  g_assert_cmpint (json_object_get_int_member (decided, "decided_by"), ==, desk->trader_id);

  wait_for_row (page, id_of (btc), "Approved");
  g_assert_cmpstr (group_of (find_row (page, id_of (btc))), ==, "Decided");
  pending = (PendingQuery) { page, 1 };
  wait_until (has_n_pending, &pending, "one approval left pending");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Bourse — 1 Approval Pending");
  g_assert_cmpstr (label_text (find_row (page, id_of (btc)), "decision-reason-value"), ==,
                   "Trend confirmed on the daily");
  wait_until (shell_removed, notification_id, "the approval's notification to be withdrawn");

  /* Without a reason: none recorded, not an empty one. */
  click (find_widget (find_row (page, id_of (sol)), "approve-button"));
  dialog = wait_for_dialog ("Approve SELL SOLUSDT?");
  click (find_button_labelled (dialog, "_Approve"));
  g_clear_pointer (&decided, json_object_unref);
  decided = wait_for_status (desk, id_of (sol), "approved");
  g_assert_true (json_object_get_null_member (decided, "reason"));
  pending = (PendingQuery) { page, 0 };
  wait_until (has_n_pending, &pending, "nothing left pending");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Bourse");
  g_assert_nonnull (find_widget (GTK_WIDGET (page), "approvals-empty"));

  close_window (window);
  desk_free (desk);
}

/* A rejection says why: the button waits for words. */
static void
test_reject_needs_reason (void)
{
  Desk *desk = desk_new (FALSE);
  g_autoptr(JsonObject) sol = add_approval (desk, "SOLUSDT", "SELL", NULL);
  g_autoptr(JsonObject) still = NULL;
  g_autoptr(JsonObject) decided = NULL;
  BourseApprovalsPage *page;
  BourseWindow *window;
  GtkWidget *dialog;
  GtkWidget *button;

  window = open_window (desk, desk->trader);
  page = wait_for_page (window, 1);

  click (find_widget (find_row (page, id_of (sol)), "reject-button"));
  dialog = wait_for_dialog ("Reject SELL SOLUSDT?");
  button = find_button_labelled (dialog, "_Reject");
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_is_sensitive (button));

  set_reason (dialog, "   ");
  g_assert_false (gtk_widget_is_sensitive (button));
  set_reason (dialog, "Too late in the move");
  g_assert_true (gtk_widget_is_sensitive (button));
  set_reason (dialog, "");
  g_assert_false (gtk_widget_is_sensitive (button));

  /* Enter in the empty entry does not reject either. */
  gtk_widget_activate (find_widget (dialog, "reason-entry"));
  spin (300);
  g_assert_nonnull (find_named_toplevel ("decide-dialog"));

  cancel_dialog ();
  spin (200);
  still = get_approval (desk, id_of (sol));
  g_assert_cmpstr (json_object_get_string_member (still, "status"), ==, "pending");
  wait_for_row (page, id_of (sol), NULL);

  /* With a reason it goes through. */
  click (find_widget (find_row (page, id_of (sol)), "reject-button"));
  dialog = wait_for_dialog ("Reject SELL SOLUSDT?");
  set_reason (dialog, "Too late in the move");
  click (find_button_labelled (dialog, "_Reject"));
  decided = wait_for_status (desk, id_of (sol), "rejected");
  g_assert_cmpstr (json_object_get_string_member (decided, "reason"), ==, "Too late in the move");
  wait_for_row (page, id_of (sol), "Rejected");

  close_window (window);
  desk_free (desk);
}

static gboolean
error_is_shown (gpointer data)
{
  GtkWidget *dialog = find_named_toplevel ("decide-dialog");
  GtkWidget *label = dialog ? find_widget (dialog, "decide-error-label") : NULL;

  return label != NULL && gtk_widget_get_visible (label) &&
         strstr (gtk_label_get_label (GTK_LABEL (label)), data) != NULL;
}

/* Refusals are shown where the decision was made, not swallowed: decided
 * meanwhile (409), or the four-eyes rule (403). */
static void
test_refused (void)
{
  Desk *desk = desk_new (TRUE);
  /* Asked for by the local owner: the admin may decide it. */
  g_autoptr(JsonObject) btc = add_approval (desk, "BTCUSDT", "BUY", desk->server->token);
  g_autoptr(JsonObject) mine = add_approval (desk, "ETHUSDT", "BUY", desk->trader);
  g_autoptr(JsonObject) still = NULL;
  BourseApprovalsPage *page;
  BourseWindow *window;
  GtkWidget *dialog;
  BourseClient *client;
  guint blocked;

  window = open_window (desk, desk->trader);
  page = wait_for_page (window, 2);
  wait_for_topics (window, (const char * const []) { "approvals", NULL });
  /* The local owner has no account: the page says who it was anyway. */
  g_assert_true (json_object_get_null_member (btc, "requested_by"));
  g_assert_true (g_str_has_prefix (label_text (find_row (page, id_of (btc)), "requested-by-value"),
                                   "The local owner at "));

  click (find_widget (find_row (page, id_of (btc)), "approve-button"));
  dialog = wait_for_dialog ("Approve BUY BTCUSDT?");
  set_reason (dialog, "Looks right");

  /* Someone else rejects it, and the page does not hear of it in time:
   * its event is held back from the page's store (the race the 409 is
   * there for). */
  client = bourse_window_get_client (window);
  blocked = g_signal_handlers_block_matched (client, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                             bourse_approvals_page_get_store (page));
  g_assert_cmpuint (blocked, >, 0);
  decide (desk, id_of (btc), "reject", "Not now", NULL);
  click (find_button_labelled (dialog, "_Approve"));

  /* Back with the server's words and the reason as typed; approving again
   * cannot help. */
  wait_until (error_is_shown, (gpointer) "only a pending one can be decided", "the 409 in the dialog");
  dialog = find_named_toplevel ("decide-dialog");
  g_test_message ("409: %s", label_text (dialog, "decide-error-label"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (dialog, "reason-entry"))), ==,
                   "Looks right");
  g_assert_false (gtk_widget_is_sensitive (find_button_labelled (dialog, "_Approve")));
  /* And the list is asked again: the row shows what the server has. */
  wait_for_row (page, id_of (btc), "Rejected");
  still = get_approval (desk, id_of (btc));
  g_assert_cmpstr (json_object_get_string_member (still, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (still, "reason"), ==, "Not now");
  g_signal_handlers_unblock_matched (client, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     bourse_approvals_page_get_store (page));
  cancel_dialog ();

  /* Four eyes: not what one requested oneself. */
  click (find_widget (find_row (page, id_of (mine)), "approve-button"));
  dialog = wait_for_dialog ("Approve BUY ETHUSDT?");
  click (find_button_labelled (dialog, "_Approve"));
  wait_until (error_is_shown, (gpointer) "Four eyes", "the 403 in the dialog");
  dialog = find_named_toplevel ("decide-dialog");
  g_test_message ("403: %s", label_text (dialog, "decide-error-label"));
  g_assert_false (gtk_widget_is_sensitive (find_button_labelled (dialog, "_Approve")));
  cancel_dialog ();
  wait_for_row (page, id_of (mine), NULL);
  g_clear_pointer (&still, json_object_unref);
  still = get_approval (desk, id_of (mine));
  g_assert_cmpstr (json_object_get_string_member (still, "status"), ==, "pending");

  close_window (window);
  desk_free (desk);
}

/* A new approval on the topic: a row, and a notification whose buttons
 * lead to the dialog for that very item; decided elsewhere, both follow. */
static void
test_live (void)
{
  Desk *desk = desk_new (FALSE);
  g_autoptr(JsonObject) btc = add_approval (desk, "BTCUSDT", "BUY", NULL);
  g_autoptr(JsonObject) dot = NULL;
  g_autofree char *notification_id = NULL;
  g_autoptr(GVariant) notification = NULL;
  g_autoptr(GVariant) buttons = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expected_body = NULL;
  g_autofree char *entry = NULL;
  g_autofree char *stop = NULL;
  g_autofree char *take = NULL;
  g_autofree char *confidence = NULL;
  g_autofree char *default_action = NULL;
  BourseApprovalsPage *page;
  BourseWindow *window;
  GtkWidget *dialog;
  PendingQuery pending;
  static const struct {
    const char *label;
    const char *action;
  } expected[] = {
    { "Approve…", "app.approval-approve" },
    { "Reject…", "app.approval-reject" },
    { "Open", "app.approval-open" },
  };

  /* The topic's last event (btc's) is replayed on subscribe by the hub:
   * an old approval is no news. */
  window = open_window (desk, desk->trader);
  page = wait_for_page (window, 1);
  wait_for_topics (window, (const char * const []) { "approvals", NULL });
  {
    g_autofree char *old_id = g_strdup_printf ("approval-%" PRId64, id_of (btc));
    g_autoptr(GVariant) old = shell_find (old_id);

    g_assert_null (old);
  }

  dot = add_approval (desk, "SOLUSDT", "BUY", NULL);
  wait_for_row (page, id_of (dot), NULL);
  g_assert_cmpstr (group_of (find_row (page, id_of (dot))), ==, "Awaiting Decision");
  pending = (PendingQuery) { page, 2 };
  wait_until (has_n_pending, &pending, "two approvals pending");

  notification_id = g_strdup_printf ("approval-%" PRId64, id_of (dot));
  wait_until (shell_has, notification_id, "the new approval's notification");
  notification = shell_find (notification_id);
  g_assert_true (g_variant_lookup (notification, "title", "s", &title));
  g_assert_cmpstr (title, ==, "BUY SOLUSDT awaits approval");
  g_assert_true (g_variant_lookup (notification, "body", "s", &body));
  entry = price_of (dot, "entry");
  stop = price_of (dot, "stop_loss");
  take = price_of (dot, "take_profit");
  confidence = confidence_of (recommendation_of (dot));
  expected_body = g_strdup_printf ("Entry %s · Stop %s · Target %s · %s\n", entry, stop, take, confidence);
  g_assert_true (g_str_has_prefix (body, expected_body));
  g_assert_true (g_variant_lookup (notification, "default-action", "s", &default_action));
  g_assert_cmpstr (default_action, ==, "app.approval-open");
  target = g_variant_lookup_value (notification, "default-action-target", G_VARIANT_TYPE_INT64);
  g_assert_nonnull (target);
  g_assert_cmpint (g_variant_get_int64 (target), ==, id_of (dot));

  buttons = g_variant_lookup_value (notification, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (buttons);
  g_assert_cmpuint (g_variant_n_children (buttons), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GVariant) button = g_variant_get_child_value (buttons, i);
      g_autoptr(GVariant) button_target = g_variant_lookup_value (button, "target", G_VARIANT_TYPE_INT64);
      const char *label = NULL, *action = NULL;

      g_assert_true (g_variant_lookup (button, "label", "&s", &label));
      g_assert_true (g_variant_lookup (button, "action", "&s", &action));
      g_assert_cmpstr (label, ==, expected[i].label);
      g_assert_cmpstr (action, ==, expected[i].action);
      g_assert_nonnull (button_target);
      g_assert_cmpint (g_variant_get_int64 (button_target), ==, id_of (dot));
    }

  /* The shell's buttons: the dialog for that item, never a silent decision. */
  shell_press (notification_id, "Approve…");
  dialog = wait_for_dialog ("Approve BUY SOLUSDT?");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (find_row (page, id_of (dot)))));
  cancel_dialog ();

  shell_press (notification_id, "Reject…");
  dialog = wait_for_dialog ("Reject BUY SOLUSDT?");
  g_assert_false (gtk_widget_is_sensitive (find_button_labelled (dialog, "_Reject")));
  cancel_dialog ();

  /* Open, from another page: the Approvals page comes back, on the item. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "system"));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (page, id_of (dot))), FALSE);
  shell_press (notification_id, NULL);
  wait_until (page_is_visible, page, "the Approvals page to be shown");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (find_row (page, id_of (dot)))));
  g_assert_null (find_named_toplevel ("decide-dialog"));

  /* Decided elsewhere (through the API) while its dialog is open: the
   * dialog says so and no longer offers to approve; the notification goes. */
  shell_press (notification_id, "Approve…");
  dialog = wait_for_dialog ("Approve BUY SOLUSDT?");
  decide (desk, id_of (dot), "reject", "Not now", NULL);
  wait_until (error_is_shown, (gpointer) "Meanwhile someone else rejected it", "the dialog to tell");
  g_assert_false (gtk_widget_is_sensitive (find_button_labelled (find_named_toplevel ("decide-dialog"),
                                                                 "_Approve")));
  wait_until (shell_removed, notification_id, "the notification to be withdrawn");
  wait_for_row (page, id_of (dot), "Rejected");
  g_assert_cmpstr (group_of (find_row (page, id_of (dot))), ==, "Decided");
  cancel_dialog ();

  /* Desktop notifications off (Preferences): a new approval is a toast in
   * the window, not the shell's. The shell hears calls in the order they
   * were sent, so once the one after it (notifications on again) is there,
   * its absence is an answer. */
  {
    g_autoptr(GSettings) settings = bourse_settings_new ();
    g_autoptr(JsonObject) quiet = NULL;
    g_autoptr(JsonObject) loud = NULL;
    g_autofree char *quiet_id = NULL;
    g_autofree char *loud_id = NULL;
    g_autoptr(GVariant) absent = NULL;

    g_assert_nonnull (settings);
    g_settings_set_boolean (settings, "desktop-notifications", FALSE);
    quiet = add_approval (desk, "ETHUSDT", "SELL", NULL);
    wait_for_row (page, id_of (quiet), NULL);
    g_settings_set_boolean (settings, "desktop-notifications", TRUE);
    loud = add_approval (desk, "BTCUSDT", "SELL", NULL);
    wait_for_row (page, id_of (loud), NULL);
    loud_id = g_strdup_printf ("approval-%" PRId64, id_of (loud));
    wait_until (shell_has, loud_id, "the next approval's notification");
    quiet_id = g_strdup_printf ("approval-%" PRId64, id_of (quiet));
    absent = shell_find (quiet_id);
    g_assert_null (absent);
  }

  close_window (window);
  desk_free (desk);
}

static gboolean
reason_entry_has_focus (gpointer data)
{
  GtkWidget *dialog = find_named_toplevel ("decide-dialog");
  GtkWidget *focus = dialog != NULL ? gtk_root_get_focus (GTK_ROOT (dialog)) : NULL;

  return focus != NULL && gtk_widget_get_ancestor (focus, GTK_TYPE_ENTRY) == find_widget (dialog, "reason-entry");
}

/* Approving with a reason by the keyboard alone: Tab to the row's
 * Approve…, press it, type the reason where the focus already is, Enter. */
static void
test_keyboard (void)
{
  Desk *desk = desk_new (FALSE);
  g_autoptr(JsonObject) btc = add_approval (desk, "BTCUSDT", "BUY", NULL);
  g_autoptr(JsonObject) decided = NULL;
  BourseApprovalsPage *page;
  BourseWindow *window;
  GtkWidget *approve;
  GtkWidget *dialog;
  GtkWidget *text;

  window = open_window (desk, desk->trader);
  page = wait_for_page (window, 1);
  approve = find_widget (find_row (page, id_of (btc)), "approve-button");
  g_assert_nonnull (approve);
  wait_until (page_is_visible, page, "the Approvals page to be shown");

  g_assert_true (tab_to (GTK_WIDGET (window), approve, 400));
  g_assert_true (gtk_widget_activate (approve));
  dialog = wait_for_dialog ("Approve BUY BTCUSDT?");
  wait_until (reason_entry_has_focus, NULL, "the focus in the reason");
  text = gtk_root_get_focus (GTK_ROOT (dialog));
  g_assert_true (GTK_IS_EDITABLE (text));
  gtk_editable_insert_text (GTK_EDITABLE (text), "Typed, not clicked", -1, &(int) { 0 });
  /* Enter in the reason (GtkText's Return binding emits "activate") is the
   * dialog's default: Approve. */
  g_signal_emit_by_name (text, "activate");
  wait_until (named_toplevel_is_gone, (gpointer) "decide-dialog", "the dialog to close");

  decided = wait_for_status (desk, id_of (btc), "approved");
  g_assert_cmpstr (json_object_get_string_member (decided, "reason"), ==, "Typed, not clicked");
  g_assert_cmpint (json_object_get_int_member (decided, "decided_by"), ==, desk->trader_id);
  wait_for_row (page, id_of (btc), "Approved");
  g_assert_cmpstr (group_of (find_row (page, id_of (btc))), ==, "Decided");

  close_window (window);
  desk_free (desk);
}

static gboolean
principal_is_known (gpointer data)
{
  return find_widget (data, "approvals-page") != NULL;
}

/* A notification's action before the window has signed in (say, the
 * application started by it): the dialog comes once the list is there. */
static void
test_action_before_load (void)
{
  Desk *desk = desk_new (FALSE);
  g_autoptr(JsonObject) sol = add_approval (desk, "SOLUSDT", "SELL", NULL);
  BourseWindow *window;

  window = open_window (desk, desk->trader);
  g_assert_null (find_widget (GTK_WIDGET (window), "approvals-page"));
  g_action_group_activate_action (G_ACTION_GROUP (application), "approval-reject",
                                  g_variant_new_int64 (id_of (sol)));

  wait_for_dialog ("Reject SELL SOLUSDT?");
  g_assert_true (principal_is_known (window));
  cancel_dialog ();

  close_window (window);
  desk_free (desk);
}

/* A viewer reads the desk: no buttons, no calls to act. */
static void
test_viewer (void)
{
  Desk *desk = desk_new (FALSE);
  g_autoptr(JsonObject) btc = add_approval (desk, "BTCUSDT", "BUY", NULL);
  g_autoptr(JsonObject) dot = NULL;
  g_autofree char *notification_id = NULL;
  g_autofree char *viewer = NULL;
  BourseApprovalsPage *page;
  BourseWindow *window;
  GtkWidget *row;

  desk_create_user (desk->server, "vera", "viewer");
  viewer = desk_login (desk->server, "vera", "viewer");

  window = open_window (desk, viewer);
  page = wait_for_page (window, 1);
  g_assert_false (bourse_approvals_page_get_can_decide (page));

  row = find_row (page, id_of (btc));
  g_assert_null (find_widget (row, "approve-button"));
  g_assert_null (find_widget (row, "reject-button"));
  g_assert_cmpstr (label_text (row, "status-label"), ==, "Pending");

  /* Neither the action… */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "approvals.approve", "x", id_of (btc)));
  spin (100);
  g_assert_null (find_named_toplevel ("decide-dialog"));

  /* …nor a notification for a new one. */
  wait_for_topics (window, (const char * const []) { "approvals", NULL });
  dot = add_approval (desk, "SOLUSDT", "BUY", NULL);
  wait_for_row (page, id_of (dot), "Pending");
  spin (300);
  notification_id = g_strdup_printf ("approval-%" PRId64, id_of (dot));
  g_assert_false (shell_has (notification_id));

  close_window (window);
  desk_free (desk);
}

/* Pages from notifications {{{ */

/* The id of the last notification whose default action shows @page, or
 * NULL. */
static char *
shell_dup_showing (const char *page)
{
  for (guint i = shell->added->len; i > 0; i--)
    {
      GVariant *call = g_ptr_array_index (shell->added, i - 1);
      g_autoptr(GVariant) notification = NULL;
      g_autoptr(GVariant) target = NULL;
      const char *notification_id;
      const char *action = NULL;

      g_variant_get (call, "(&s&s@a{sv})", NULL, &notification_id, &notification);
      if (g_variant_lookup (notification, "default-action", "&s", &action) &&
          g_str_equal (action, "app.show-page") &&
          (target = g_variant_lookup_value (notification, "default-action-target", G_VARIANT_TYPE_STRING)) &&
          g_str_equal (g_variant_get_string (target, NULL), page))
        return g_strdup (notification_id);
    }

  return NULL;
}

static gboolean
shell_has_showing (gpointer data)
{
  g_autofree char *id = shell_dup_showing (data);

  return id != NULL;
}

typedef struct
{
  BourseWindow *window;
  const char   *name;      /* the stack's */
  const char   *widget;    /* the page's widget name */
} ShownPageQuery;

/* The window on screen, showing the page @name, made and mapped. */
static gboolean
window_shows_page (gpointer data)
{
  ShownPageQuery *query = data;
  AdwViewStack *stack = ADW_VIEW_STACK (find_widget_of_type (GTK_WIDGET (query->window), ADW_TYPE_VIEW_STACK));
  GtkWidget *page = find_widget (GTK_WIDGET (query->window), query->widget);

  return gtk_widget_get_visible (GTK_WIDGET (query->window)) &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (stack), query->name) == 0 &&
         page != NULL && gtk_widget_get_mapped (page);
}

/* A backtest of the trader's, ended (here, for want of candles, or
 * done): the engine tells its owner on the desktop channel. */
static void
run_backtest (Desk *desk)
{
  g_autofree char *first = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) before = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) after = g_date_time_add_days (now, 1);
  g_autofree char *start = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *end = g_date_time_format (after, "%Y-%m-%d");

  body = g_strdup_printf ("{\"strategy\":\"sma-cross\",\"params\":{\"fast\":5,\"slow\":20},"
                          "\"symbol\":\"BTCUSDT\",\"interval\":\"1h\","
                          "\"start\":\"%sT00:00:00Z\",\"end\":\"%sT00:00:00Z\"}", start, end);
  started = desk_expect (desk->server, "POST", "/api/v1/backtests", desk->trader, body, 202);
}

/* A finished backtest's notification leads to the Backtests page, a page
 * made when first shown: pressed while the window is hidden, the window
 * comes back on it, made. */
static void
test_notification_shows_page (void)
{
  Desk *desk = desk_new (FALSE);
  ShownPageQuery shown;
  g_autofree char *id = NULL;
  BourseWindow *window;

  window = open_window (desk, desk->trader);
  wait_until (principal_is_known, window, "the trader's permissions");
  wait_for_topics (window, (const char * const []) { "notifications", NULL });
  g_assert_true (window_lists_page (window, "backtests"));
  g_assert_null (find_widget (GTK_WIDGET (window), "backtests-page"));

  run_backtest (desk);
  wait_until (shell_has_showing, (gpointer) "backtests", "the backtest's notification");
  id = shell_dup_showing ("backtests");
  g_assert_null (find_widget (GTK_WIDGET (window), "backtests-page"));

  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  shell_press (id, NULL);
  shown = (ShownPageQuery) { window, "backtests", "backtests-page" };
  wait_until (window_shows_page, &shown, "the window back, on the Backtests page");

  close_window (window);
  desk_free (desk);
}

/* Asked for a page before the window has signed in (say, the application
 * started by the notification): it is shown once the server says it is
 * the caller's. */
static void
test_page_before_sign_in (void)
{
  Desk *desk = desk_new (FALSE);
  ShownPageQuery shown;
  BourseWindow *window;

  window = open_window (desk, desk->trader);
  g_assert_false (window_lists_page (window, "backtests"));
  g_action_group_activate_action (G_ACTION_GROUP (application), "show-page", g_variant_new_string ("backtests"));

  shown = (ShownPageQuery) { window, "backtests", "backtests-page" };
  wait_until (window_shows_page, &shown, "the Backtests page once signed in");

  close_window (window);
  desk_free (desk);
}

/* }}} */

static gboolean
run_tests_cb (gpointer data)
{
  int *ret = data;

  *ret = g_test_run ();

  g_application_release (G_APPLICATION (application));
  g_application_quit (G_APPLICATION (application));

  return G_SOURCE_REMOVE;
}

static void
startup_cb (GApplication *app,
            int          *ret)
{
  g_application_hold (app);
  g_idle_add (run_tests_cb, ret);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret = 1;

  tmp_dir = g_dir_make_tmp ("bourse-gui-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };
      g_autofree char *dir = g_build_filename (tmp_dir, vars[i], NULL);

      g_setenv (vars[i], dir, TRUE);
    }
  /* The dialogs' texts are compared as written. */
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check () || !(shell = fake_shell_new ()))
    {
      remove_tree (tmp_dir);
      g_clear_pointer (&tmp_dir, g_free);
      g_print ("1..0 # SKIP no display or no session bus\n");
      return 0;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/approvals/list", test_list);
  g_test_add_func ("/approvals/approve", test_approve);
  g_test_add_func ("/approvals/reject-needs-reason", test_reject_needs_reason);
  g_test_add_func ("/approvals/refused", test_refused);
  g_test_add_func ("/approvals/live", test_live);
  g_test_add_func ("/approvals/action-before-load", test_action_before_load);
  g_test_add_func ("/approvals/viewer", test_viewer);
  g_test_add_func ("/approvals/keyboard", test_keyboard);
  g_test_add_func ("/approvals/notification-shows-page", test_notification_shows_page);
  g_test_add_func ("/approvals/page-before-sign-in", test_page_before_sign_in);

  /* The tests run inside the application, as a D-Bus service: registered
   * (the notifications need its bus name), started up, never activated
   * (which would start an engine of its own), and shut down at the end. */
  application = bourse_application_new ();
  g_application_set_flags (G_APPLICATION (application), G_APPLICATION_IS_SERVICE);
  g_signal_connect_after (application, "startup", G_CALLBACK (startup_cb), &ret);
  g_assert_cmpint (g_application_run (G_APPLICATION (application), 1, argv), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&application));
  fake_shell_free (g_steal_pointer (&shell));

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
