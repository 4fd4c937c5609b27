/* test-strategies-page.c — the Strategies page: lists, the form built from a
 * type's parameters, live strategies and one-off analyses
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against THE CONTRACT'S FIXTURE (desk-fixture.c), a loopback stand-in of
 * the desk API, until the engine serves it.
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "bourse-approvals-page.h"
#include "bourse-mini-chart.h"
#include "bourse-strategies-page.h"
#include "bourse-window.h"

#include "desk-fixture.h"
#include "gui-util.h"

static char *tmp_dir;

/* Helpers {{{ */

static BourseWindow *
open_window (DeskFixture *fixture)
{
  BourseWindow *window = bourse_window_new (NULL);

  g_object_ref (window);
  bourse_window_set_token (window, DESK_FIXTURE_TOKEN);
  bourse_window_set_server_url (window, fixture->url);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
close_window (BourseWindow *window)
{
  BourseClient *client = bourse_window_get_client (window);

  if (client != NULL)
    g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  wait_until (pointer_is_null, &window, "the window to be finalized");
  wait_until (pointer_is_null, &client, "the window's client to go");
}

typedef struct
{
  GtkWidget *root;
  int        n_strategies;
} PageQuery;

static gboolean
page_is_loaded (gpointer data)
{
  PageQuery *query = data;
  GtkWidget *page = find_widget (query->root, "strategies-page");

  return page != NULL &&
         bourse_strategies_page_get_n_types (BOURSE_STRATEGIES_PAGE (page)) > 0 &&
         bourse_strategies_page_get_n_strategies (BOURSE_STRATEGIES_PAGE (page)) == query->n_strategies;
}

static BourseStrategiesPage *
wait_for_page (BourseWindow *window,
               int           n_strategies)
{
  PageQuery query = { GTK_WIDGET (window), n_strategies };
  g_autofree char *what = g_strdup_printf ("the Strategies page to list %d strategies", n_strategies);

  wait_until (page_is_loaded, &query, what);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "strategies"));

  return BOURSE_STRATEGIES_PAGE (find_widget (GTK_WIDGET (window), "strategies-page"));
}

static GtkWidget *
find (gpointer    root,
      const char *name)
{
  GtkWidget *widget = find_widget (GTK_WIDGET (root), name);

  g_assert_nonnull (widget);
  return widget;
}

static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static GtkSpinButton *
find_spin (gpointer    root,
           const char *param)
{
  g_autofree char *name = g_strdup_printf ("param-%s", param);

  return GTK_SPIN_BUTTON (find (root, name));
}

/* A spin button's value, bounds and decimals. */
static void
assert_spin (GtkSpinButton *spin,
             double         value,
             double         lower,
             double         upper,
             guint          digits)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);

  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin), value, 1e-12);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_lower (adjustment), lower, 1e-12);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (adjustment), upper, 1e-12);
  g_assert_cmpuint (gtk_spin_button_get_digits (spin), ==, digits);
}

static void
assert_json (const char *actual,
             const char *expected)
{
  g_autoptr(JsonNode) actual_node = json_from_string (actual, NULL);
  g_autoptr(JsonNode) expected_node = json_from_string (expected, NULL);

  g_assert_nonnull (actual_node);
  g_assert_nonnull (expected_node);
  if (!json_node_equal (actual_node, expected_node))
    g_error ("Sent %s, expected %s", actual, expected);
}

typedef struct
{
  DeskFixture *fixture;
  const char  *method;
  const char  *path;
  guint        n;
} RequestQuery;

static gboolean
has_requests (gpointer data)
{
  RequestQuery *query = data;

  return desk_fixture_count_requests (query->fixture, query->method, query->path) >= query->n;
}

static DeskRequest *
wait_for_request (DeskFixture *fixture,
                  const char  *method,
                  const char  *path,
                  guint        n)
{
  RequestQuery query = { fixture, method, path, n };
  g_autofree char *what = g_strdup_printf ("%s %s (%u)", method, path, n);

  wait_until (has_requests, &query, what);
  return desk_fixture_last_request (fixture, method, path);
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
} WidgetQuery;

static gboolean
widget_exists (gpointer data)
{
  WidgetQuery *query = data;

  return find_widget (query->root, query->name) != NULL;
}

static gboolean
widget_is_gone (gpointer data)
{
  return !widget_exists (data);
}

static GtkWidget *
wait_for_widget (gpointer    root,
                 const char *name)
{
  WidgetQuery query = { root, name };

  wait_until (widget_exists, &query, name);
  return find_widget (root, name);
}

static GtkWidget *
find_dialog (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window) &&
          g_strcmp0 (gtk_widget_get_name (window), name) == 0)
        return window;
    }

  return NULL;
}

static gboolean
dialog_is_shown (gpointer data)
{
  return find_dialog (data) != NULL;
}

static GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
has_css_class (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

static gboolean
switch_is_off (gpointer data)
{
  return !gtk_switch_get_active (data) && gtk_widget_get_sensitive (data);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* }}} */

/* The types and the live strategies, as the server lists them. */
static void
test_lists (void)
{
  DeskFixture *fixture = desk_fixture_new ();
  g_autoptr(JsonNode) node = json_from_string ("{\"id\":40,\"name\":\"Trend on BTC\",\"strategy\":\"kalman\","
                                               "\"symbol\":\"BTCUSDT\",\"interval\":\"4h\","
                                               "\"params\":{\"k\":2.0},\"policy\":\"notify-only\","
                                               "\"enabled\":true,\"model_id\":null,\"created_by\":2,"
                                               "\"created_at\":\"2026-11-20T08:00:00Z\","
                                               "\"updated_at\":\"2026-11-20T08:00:00Z\","
                                               "\"last_signal_at\":null}", NULL);
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;

  g_ptr_array_add (fixture->strategies, json_object_ref (json_node_get_object (node)));

  window = open_window (fixture);
  page = wait_for_page (window, 1);

  row = find (page, "type-row-ar");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "AR forecast");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "ar · A · version 1 · 4 parameters");
  g_assert_nonnull (find_widget (GTK_WIDGET (page), "type-row-kalman"));
  g_assert_cmpint (bourse_strategies_page_get_n_types (page), ==, 2);

  row = find (page, "strategy-row-40");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Trend on BTC");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Kalman trend · BTCUSDT · 4h · Notify only");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, "k = 2");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find (row, "enabled-switch"))));
  g_assert_true (gtk_widget_is_sensitive (find (row, "enabled-switch")));
  g_assert_nonnull (find_widget (row, "delete-button"));

  close_window (window);
  desk_fixture_free (fixture);
}

/* The form is built from the chosen type's description: defaults filled,
 * bounds enforced, choices and switches where the type says. */
static void
test_form (void)
{
  DeskFixture *fixture = desk_fixture_new ();
  g_autoptr(JsonNode) params = NULL;
  g_autofree char *text = NULL;
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkSpinButton *spin;
  GtkWidget *row;

  window = open_window (fixture);
  page = wait_for_page (window, 0);
  g_assert_nonnull (find_widget (GTK_WIDGET (page), "no-strategies-row"));

  /* The first type is chosen: its four parameters. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find (page, "type-row"))), ==, 0);
  assert_spin (find_spin (page, "lags"), 4, 1, 20, 0);
  assert_spin (find_spin (page, "horizon"), 5, 1, 50, 0);
  assert_spin (find_spin (page, "threshold"), 0.002, 0, 1, 3);
  assert_spin (find_spin (page, "stop_atr"), 2, 0.1, 100, 2);
  row = find (page, "param-row-lags");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "lags");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Order p of the autoregression");

  params = bourse_strategies_page_dup_params (page);
  text = json_to_string (params, FALSE);
  assert_json (text, "{\"lags\":4,\"horizon\":5,\"threshold\":0.002,\"stop_atr\":2.0}");

  /* Out of range, whether set or typed: held at the bound. */
  spin = find_spin (page, "lags");
  gtk_spin_button_set_value (spin, 50);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 20);
  spin = find_spin (page, "stop_atr");
  gtk_editable_set_text (GTK_EDITABLE (spin), "0.01");
  gtk_spin_button_update (spin);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin), 0.1, 1e-12);

  /* Another type: its own rows, a choice and a switch among them. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "type-row")), 1);
  g_assert_null (find_widget (GTK_WIDGET (page), "param-lags"));
  row = find (page, "param-row-estimate");
  g_assert_true (ADW_IS_COMBO_ROW (row));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row))), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 1);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find (page, "param-gate"))));
  assert_spin (find_spin (page, "k"), 1.5, 0.5, 5, 2);
  /* No description: the name alone, and no subtitle. */
  {
    const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (find (page, "param-row-k")));

    g_assert_true (subtitle == NULL || subtitle[0] == '\0');
  }

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  gtk_switch_set_active (GTK_SWITCH (find (page, "param-gate")), FALSE);
  g_clear_pointer (&params, json_node_unref);
  g_free (text);
  params = bourse_strategies_page_dup_params (page);
  text = json_to_string (params, FALSE);
  assert_json (text, "{\"estimate\":\"mle\",\"gate\":false,\"k\":1.5}");

  /* Back to the first: its defaults again, not what was set before. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "type-row")), 0);
  assert_spin (find_spin (page, "lags"), 4, 1, 20, 0);

  close_window (window);
  desk_fixture_free (fixture);
}

/* Adding a live strategy sends what the form says; then it can be
 * switched off and deleted from its row. */
static void
test_create (void)
{
  DeskFixture *fixture = desk_fixture_new ();
  g_autofree char *row_name = NULL;
  g_autofree char *path = NULL;
  BourseStrategiesPage *page;
  BourseWindow *window;
  DeskRequest *request;
  JsonObject *strategy;
  GtkWidget *row;
  GtkWidget *old_row;
  GtkWidget *dialog;
  gint64 id;

  window = open_window (fixture);
  page = wait_for_page (window, 0);

  /* Nothing to add to without an instrument. */
  g_assert_false (gtk_widget_is_sensitive (find (page, "add-button")));

  gtk_editable_set_text (GTK_EDITABLE (find (page, "symbol-row")), "  btcusdt ");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "interval-row")), 7);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "policy-row")), 2);
  gtk_editable_set_text (GTK_EDITABLE (find (page, "name-row")), "AR on BTC");
  gtk_spin_button_set_value (find_spin (page, "lags"), 6);
  click (find (page, "add-button"));

  request = wait_for_request (fixture, "POST", "/api/v1/strategies", 1);
  assert_json (request->body,
               "{\"name\":\"AR on BTC\",\"strategy\":\"ar\",\"symbol\":\"BTCUSDT\",\"interval\":\"4h\","
               "\"params\":{\"lags\":6,\"horizon\":5,\"threshold\":0.002,\"stop_atr\":2.0},"
               "\"policy\":\"notify-only\",\"enabled\":true}");

  page = wait_for_page (window, 1);
  strategy = g_ptr_array_index (fixture->strategies, 0);
  id = json_object_get_int_member (strategy, "id");
  row_name = g_strdup_printf ("strategy-row-%" PRId64, id);
  row = find (page, row_name);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "AR forecast · BTCUSDT · 4h · Notify only");
  /* Ready for the next one. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (page, "name-row"))), ==, "");

  /* Off: the whole configuration goes back with enabled false. */
  path = g_strdup_printf ("/api/v1/strategies/%" PRId64, id);
  old_row = row;
  g_object_add_weak_pointer (G_OBJECT (old_row), (gpointer *) &old_row);
  gtk_switch_set_active (GTK_SWITCH (find (row, "enabled-switch")), FALSE);
  request = wait_for_request (fixture, "PUT", path, 1);
  assert_json (request->body,
               "{\"name\":\"AR on BTC\",\"strategy\":\"ar\",\"symbol\":\"BTCUSDT\",\"interval\":\"4h\","
               "\"params\":{\"lags\":6,\"horizon\":5,\"threshold\":0.002,\"stop_atr\":2.0},"
               "\"policy\":\"notify-only\",\"enabled\":false}");
  g_assert_false (json_object_get_boolean_member (strategy, "enabled"));

  /* Refused (the role changed meanwhile): the switch goes back to what the
   * server has, without asking it a second time. */
  wait_until (pointer_is_null, &old_row, "the list to be loaded again");
  row = wait_for_widget (page, row_name);
  g_free (fixture->role);
  fixture->role = g_strdup ("viewer");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find (row, "enabled-switch"))));
  gtk_switch_set_active (GTK_SWITCH (find (row, "enabled-switch")), TRUE);
  wait_for_request (fixture, "PUT", path, 2);
  wait_until (switch_is_off, find (row, "enabled-switch"), "the switch to go back");
  spin (200);
  g_assert_cmpuint (desk_fixture_count_requests (fixture, "PUT", path), ==, 2);
  g_assert_false (json_object_get_boolean_member (strategy, "enabled"));
  g_free (fixture->role);
  fixture->role = g_strdup ("trader");

  /* Deleting asks first. */
  row = find (page, row_name);
  click (find (row, "delete-button"));
  wait_until (dialog_is_shown, (gpointer) "delete-strategy-dialog", "the delete dialog");
  dialog = find_dialog ("delete-strategy-dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Delete “AR on BTC”?");
  click (find_button_labelled (dialog, "_Delete"));
  wait_for_request (fixture, "DELETE", path, 1);
  {
    WidgetQuery query = { GTK_WIDGET (page), row_name };

    wait_until (widget_is_gone, &query, "the deleted strategy's row to go");
  }
  g_assert_cmpuint (fixture->strategies->len, ==, 0);

  /* Refused: the server's field turns red. */
  gtk_editable_set_text (GTK_EDITABLE (find (page, "symbol-row")), "NOPE");
  click (find (page, "add-button"));
  wait_for_request (fixture, "POST", "/api/v1/strategies", 2);
  wait_until (has_css_class, find (page, "symbol-row"), "the instrument row to be marked");
  g_assert_false (gtk_widget_has_css_class (find (page, "name-row"), "error"));
  /* Typing there again clears it. */
  gtk_editable_set_text (GTK_EDITABLE (find (page, "symbol-row")), "ETHUSDT");
  g_assert_false (gtk_widget_has_css_class (find (page, "symbol-row"), "error"));

  close_window (window);
  desk_fixture_free (fixture);
}

static gboolean
chart_is_loaded (gpointer data)
{
  return bourse_mini_chart_get_n_candles (data) >= 0;
}

/* Analyse once: the request from the form, the recommendation shown, and
 * the way to its approval. */
static void
test_analyse (void)
{
  DeskFixture *fixture = desk_fixture_new ();
  g_autofree char *approval_row = NULL;
  g_autofree char *approval_title = NULL;
  BourseStrategiesPage *page;
  BourseWindow *window;
  DeskRequest *request;
  JsonObject *approval;
  GtkWidget *row;
  GtkWidget *chart;
  GtkWidget *approvals_page;

  window = open_window (fixture);
  page = wait_for_page (window, 0);

  gtk_editable_set_text (GTK_EDITABLE (find (page, "symbol-row")), "ETHUSDT");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (page, "days-spin")), 14);
  gtk_spin_button_set_value (find_spin (page, "horizon"), 8);
  click (find (page, "analyse-button"));

  request = wait_for_request (fixture, "POST", "/api/v1/recommendations", 1);
  assert_json (request->body,
               "{\"symbol\":\"ETHUSDT\",\"interval\":\"1h\",\"strategy\":\"ar\",\"last_n_days\":14,"
               "\"params\":{\"lags\":4,\"horizon\":8,\"threshold\":0.002,\"stop_atr\":2.0}}");

  wait_for_widget (page, "result-decision");
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "result-decision"),
                                                                  ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-decision"), ==, "BUY");
  g_assert_true (gtk_widget_has_css_class (find (page, "result-decision"), "success"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (page, "result-decision-row"))),
                   ==, "ETHUSDT · 1h · ar · 48 candles");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-entry"), ==, "101.01");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-stop-loss"), ==, "99.01");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-take-profit"), ==, "104.01");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-risk-reward"), ==, "1.50");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-confidence"), ==, "72\u00a0%");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (page, "result-reason-row"))),
                   ==, "AR(4) forecasts +0.8% over 5 candles");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "metric-expected_return"), ==, "0.008");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "metric-forecast"), ==,
                   "101.17, 101.33, 101.49, 101.65, 101.81");

  chart = find (page, "mini-chart");
  wait_until (chart_is_loaded, chart, "the analysis chart");
  g_assert_cmpint (bourse_mini_chart_get_n_candles (BOURSE_MINI_CHART (chart)), ==, DESK_FIXTURE_CANDLES);

  /* Its approval, one click away. */
  approval = g_ptr_array_index (fixture->approvals, fixture->approvals->len - 1);
  row = find (page, "result-approval-row");
  approval_title = g_strdup_printf ("Approval #%" PRId64 " awaits a decision",
                                    json_object_get_int_member (approval, "id"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, approval_title);
  approval_row = g_strdup_printf ("approval-row-%" PRId64, json_object_get_int_member (approval, "id"));
  approvals_page = find (window, "approvals-page");
  wait_for_widget (approvals_page, approval_row);
  click (find (row, "open-approval-button"));
  wait_until (is_mapped, approvals_page, "the Approvals page to be shown");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (find (approvals_page, approval_row))));

  /* A refused analysis names its field. */
  gtk_editable_set_text (GTK_EDITABLE (find (page, "symbol-row")), "NOPE");
  click (find (page, "analyse-button"));
  wait_for_request (fixture, "POST", "/api/v1/recommendations", 2);
  wait_until (has_css_class, find (page, "symbol-row"), "the instrument row to be marked");

  close_window (window);
  desk_fixture_free (fixture);
}

/* A viewer reads types and strategies; no form, no switches to flip. */
static void
test_viewer (void)
{
  DeskFixture *fixture = desk_fixture_new ();
  g_autoptr(JsonNode) node = json_from_string ("{\"id\":40,\"name\":\"Trend\",\"strategy\":\"ar\","
                                               "\"symbol\":\"BTCUSDT\",\"interval\":\"1h\","
                                               "\"params\":{},\"policy\":\"manual\",\"enabled\":true,"
                                               "\"last_signal_at\":\"2026-11-20T08:00:00Z\"}", NULL);
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;

  g_free (fixture->role);
  fixture->role = g_strdup ("viewer");
  g_ptr_array_add (fixture->strategies, json_object_ref (json_node_get_object (node)));

  window = open_window (fixture);
  page = wait_for_page (window, 1);
  g_assert_false (bourse_strategies_page_get_can_write (page));

  row = find (page, "strategy-row-40");
  g_assert_false (gtk_widget_is_sensitive (find (row, "enabled-switch")));
  g_assert_null (find_widget (row, "delete-button"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "AR forecast · BTCUSDT · 1h · Manual approval\nLast signal at "));

  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "type-row"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "add-button"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "analyse-button"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "type-row-ar"),
                                                                  ADW_TYPE_PREFERENCES_GROUP)));

  close_window (window);
  desk_fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("bourse-gui-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };
      g_autofree char *dir = g_build_filename (tmp_dir, vars[i], NULL);

      g_setenv (vars[i], dir, TRUE);
    }
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      remove_tree (tmp_dir);
      g_clear_pointer (&tmp_dir, g_free);
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/strategies/lists", test_lists);
  g_test_add_func ("/strategies/form", test_form);
  g_test_add_func ("/strategies/create", test_create);
  g_test_add_func ("/strategies/analyse", test_analyse);
  g_test_add_func ("/strategies/viewer", test_viewer);

  ret = g_test_run ();

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
