/* test-strategies-page.c — the Strategies page: lists, the form built from a
 * type's parameters, live strategies and one-off analyses
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real engine and server, in this thread (tests/integration's
 * BourseTestServer, as test-markets.c does), with the simulated market
 * backfilled so that analyses have candles. What the page sends is checked
 * by reading it back through the API.
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "bourse-approvals-page.h"
#include "bourse-desk-util.h"
#include "bourse-mini-chart.h"
#include "bourse-page-header.h"
#include "bourse-strategies-page.h"
#include "bourse-window.h"
#include "client/bourse-client-records.h"
#include "client/bourse-client-store.h"

#include "../integration/desk-test-util.h"
#include "gui-util.h"

static char *tmp_dir;

/* Helpers {{{ */

/* A simulated market of a day, backfilled at once. */
static BourseTestServer *
start_server (void)
{
  return desk_sim_server_new ("1", "1", NULL);
}

/* A window signed in with @token (NULL: the local owner, an admin). */
static BourseWindow *
open_window (BourseTestServer *server,
             const char       *token)
{
  BourseWindow *window = bourse_window_new (NULL);

  g_object_ref (window);
  bourse_window_set_token (window, token ? token : server->token);
  bourse_window_set_server_url (window, server->base_url);
  gtk_window_present (GTK_WINDOW (window));

  return window;
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
  GtkWidget *page;

  /* The window makes the page when it is first shown. */
  page = show_listed_page (window, "strategies", "strategies-page");
  wait_until (page_is_loaded, &query, what);

  return BOURSE_STRATEGIES_PAGE (page);
}

static GtkWidget *
find (gpointer    root,
      const char *name)
{
  GtkWidget *widget = find_widget (GTK_WIDGET (root), name);

  g_assert_nonnull (widget);
  return widget;
}

static GtkSpinButton *
find_spin (gpointer    root,
           const char *param)
{
  g_autofree char *name = g_strdup_printf ("param-%s", param);

  return GTK_SPIN_BUTTON (find (root, name));
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

/* GET @path as the local owner: its JSON object. */
static JsonNode *
api_get (BourseTestServer *server,
         const char       *path)
{
  return desk_expect (server, "GET", path, NULL, NULL, 200);
}

/* The type @id as GET /api/v1/strategies/types describes it. */
static JsonObject *
dup_type (BourseTestServer *server,
          const char       *id)
{
  g_autoptr(JsonNode) types = api_get (server, "/api/v1/strategies/types");
  JsonArray *items = json_object_get_array_member (desk_object (types), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *type = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (type, "id"), id))
        return json_object_ref (type);
    }

  g_error ("No strategy type %s", id);
}

/* The first type the server lists: the one the form starts with. */
static char *
first_type_id (BourseTestServer *server)
{
  g_autoptr(JsonNode) types = api_get (server, "/api/v1/strategies/types");
  JsonArray *items = json_object_get_array_member (desk_object (types), "items");

  g_assert_cmpuint (json_array_get_length (items), >, 1);
  return g_strdup (json_object_get_string_member (json_array_get_object_element (items, 0), "id"));
}

typedef struct
{
  BourseTestServer *server;
  const char       *path;
  guint             n;
} ListQuery;

static guint
count_items (BourseTestServer *server,
             const char       *path)
{
  g_autoptr(JsonNode) list = api_get (server, path);

  return json_array_get_length (json_object_get_array_member (desk_object (list), "items"));
}

static gboolean
list_has (gpointer data)
{
  ListQuery *query = data;

  return count_items (query->server, query->path) == query->n;
}

/* Waits until GET @path lists @n items; returns the first (newest). */
static JsonObject *
wait_for_items (BourseTestServer *server,
                const char       *path,
                guint             n)
{
  ListQuery query = { server, path, n };
  g_autofree char *what = g_strdup_printf ("%s to list %u", path, n);
  g_autoptr(JsonNode) list = NULL;
  JsonArray *items;

  wait_until (list_has, &query, what);
  if (n == 0)
    return NULL;
  list = api_get (server, path);
  items = json_object_get_array_member (desk_object (list), "items");
  return json_object_ref (json_array_get_object_element (items, 0));
}

typedef struct
{
  BourseTestServer *server;
  const char       *path;
  gboolean          enabled;
} EnabledQuery;

static gboolean
strategy_is (gpointer data)
{
  EnabledQuery *query = data;
  g_autoptr(JsonNode) strategy = api_get (query->server, query->path);

  return json_object_get_boolean_member (desk_object (strategy), "enabled") == query->enabled;
}

/* The object's members, but only @names, as compact JSON. */
static char *
pick (JsonObject         *object,
      const char * const *names)
{
  g_autoptr(JsonObject) picked = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; names[i] != NULL; i++)
    if (json_object_has_member (object, names[i]))
      json_object_set_member (picked, names[i], json_node_copy (json_object_get_member (object, names[i])));
  json_node_set_object (node, picked);
  return json_to_string (node, FALSE);
}

/* Selects @interval in the form's interval row. */
/* What GET @path stores, only @names, is @expected. */
static void
assert_stored (BourseTestServer   *server,
               const char         *path,
               const char * const *names,
               const char         *expected)
{
  g_autoptr(JsonNode) stored = api_get (server, path);
  g_autofree char *text = pick (desk_object (stored), names);

  assert_json (text, expected);
}

static void
select_interval (BourseStrategiesPage *page,
                 const char           *interval)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (page), "interval-row"));
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), interval))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }

  g_error ("No interval %s in the form", interval);
}

/* Chooses @symbol in the form's instrument row, once the instruments are there. */
static gboolean
has_instruments (gpointer data)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (data));

  return model != NULL && g_list_model_get_n_items (model) > 0;
}

static void
select_symbol (BourseStrategiesPage *page,
               const char           *symbol)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_widget (GTK_WIDGET (page), "symbol-row"));
  GListModel *model;

  wait_until (has_instruments, row, "the instruments");
  model = adw_combo_row_get_model (row);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BourseClientInstrument) item = g_list_model_get_item (model, i);

      if (g_str_equal (bourse_client_instrument_get_symbol (item), symbol))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }

  g_error ("No instrument %s in the form", symbol);
}

typedef struct
{
  BourseStrategiesPage *page;
  const char           *name;   /* the leaflet's child's widget name */
} ShownQuery;

static gboolean
leaflet_shows (gpointer data)
{
  ShownQuery *query = data;
  AdwLeaflet *leaflet = ADW_LEAFLET (find_widget (GTK_WIDGET (query->page), "strategies-leaflet"));
  GtkWidget *child = adw_leaflet_get_visible_child (leaflet);

  return child != NULL && (g_strcmp0 (gtk_widget_get_name (child), query->name) == 0
                           || find_widget (child, query->name) != NULL);
}

/* The editor is a place of its own: New leads there. */
static void
open_editor (BourseStrategiesPage *page)
{
  ShownQuery query = { page, "strategies-editor-page" };

  click (find_widget (bourse_page_get_header_actions (GTK_WIDGET (page)), "new-button"));
  wait_until (leaflet_shows, &query, "the editor");
}

static void
wait_for_list (BourseStrategiesPage *page)
{
  ShownQuery query = { page, "strategies-list-page" };

  wait_until (leaflet_shows, &query, "the list");
}

static gboolean
has_css_class (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

typedef struct
{
  GtkWidget  *page;
  const char *row_name;
} SwitchQuery;

/* Found afresh each time: a change of role makes the rows again. */
static gboolean
switch_is_off (gpointer data)
{
  SwitchQuery *query = data;
  GtkWidget *row = find_widget (query->page, query->row_name);
  GtkWidget *toggle = row ? find_widget (row, "enabled-switch") : NULL;

  return toggle != NULL && !gtk_switch_get_active (GTK_SWITCH (toggle));
}

typedef struct
{
  BourseApprovalsPage *page;
  gint64               id;
} ListedQuery;

static gboolean
approval_is_listed (gpointer data)
{
  ListedQuery *query = data;
  g_autofree char *key = g_strdup_printf ("%" PRId64, query->id);

  return bourse_client_store_lookup (bourse_approvals_page_get_store (query->page), key) != NULL;
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
  BourseTestServer *server = start_server ();
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonObject) kalman = dup_type (server, "kalman");
  g_autoptr(JsonObject) ar = dup_type (server, "ar");
  g_autofree char *row_name = NULL;
  g_autofree char *ar_subtitle = NULL;
  g_autofree char *kalman_subtitle = NULL;
  JsonObject *kalman_params;
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;

  created = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                         "{\"name\":\"Trend on BTC\",\"strategy\":\"kalman\",\"symbol\":\"BTCUSDT\","
                         "\"interval\":\"4h\",\"params\":{\"trend_threshold\":2.5},"
                         "\"policy\":\"notify-only\",\"enabled\":true}", 201);
  row_name = g_strdup_printf ("strategy-row-%" PRId64, json_object_get_int_member (desk_object (created), "id"));

  window = open_window (server, NULL);
  page = wait_for_page (window, 1);

  /* Every type the engine has, the first one AR with its alias A. */
  g_assert_cmpint (bourse_strategies_page_get_n_types (page), ==, count_items (server, "/api/v1/strategies/types"));
  row = find (page, "type-row-ar");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   json_object_get_string_member (ar, "name"));
  ar_subtitle = g_strdup_printf ("ar · A · version %s · %u parameters",
                                 json_object_get_string_member (ar, "version"),
                                 json_object_get_size (json_object_get_object_member (json_object_get_object_member (ar, "parameters"),
                                                                                      "properties")));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, ar_subtitle);
  g_assert_nonnull (find_widget (GTK_WIDGET (page), "type-row-kalman"));

  row = find (page, row_name);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Trend on BTC");
  kalman_subtitle = g_strdup_printf ("%s · BTCUSDT · 4h · Notify only", json_object_get_string_member (kalman, "name"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, kalman_subtitle);
  /* The server fills in the defaults: the tooltip lists them all. */
  kalman_params = json_object_get_object_member (desk_object (created), "params");
  g_assert_cmpfloat (json_object_get_double_member (kalman_params, "trend_threshold"), ==, 2.5);
  g_assert_true (strstr (gtk_widget_get_tooltip_text (row), "trend_threshold = 2.5") != NULL);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find (row, "enabled-switch"))));
  g_assert_true (gtk_widget_is_sensitive (find (row, "enabled-switch")));
  g_assert_nonnull (find_widget (row, "delete-button"));

  close_window (window);
  bourse_test_server_free (server);
}

/* The spin button of @param matches its description in @type. */
static void
assert_param (BourseStrategiesPage *page,
              JsonObject           *type,
              const char           *param)
{
  JsonObject *properties = json_object_get_object_member (json_object_get_object_member (type, "parameters"),
                                                          "properties");
  JsonObject *property = json_object_get_object_member (properties, param);
  g_autofree char *row_name = g_strdup_printf ("param-row-%s", param);
  GtkSpinButton *spin = find_spin (page, param);
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (spin);
  GtkWidget *row = find (page, row_name);

  g_assert_nonnull (property);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (spin),
                                  json_object_get_double_member (property, "default"), 1e-12);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_lower (adjustment),
                                  json_object_get_double_member (property, "minimum"), 1e-12);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_upper (adjustment),
                                  json_object_get_double_member (property, "maximum"), 1e-12);
  if (g_str_equal (json_object_get_string_member (property, "type"), "integer"))
    g_assert_cmpuint (gtk_spin_button_get_digits (spin), ==, 0);
  else
    g_assert_cmpuint (gtk_spin_button_get_digits (spin), >, 0);
  /* Titled for people, not by the key. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   json_object_get_string_member (property, "title"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), !=, param);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   json_object_get_string_member (property, "description"));
}

/* The form is built from the chosen type's description: defaults filled,
 * bounds enforced, a row per parameter. */
static void
test_form (void)
{
  BourseTestServer *server = start_server ();
  g_autoptr(JsonObject) ar = dup_type (server, "ar");
  g_autoptr(JsonObject) kalman = dup_type (server, "kalman");
  g_autoptr(JsonNode) params = NULL;
  g_autofree char *text = NULL;
  g_autofree char *first = first_type_id (server);
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkSpinButton *spin;
  GListModel *types;
  guint kalman_index = GTK_INVALID_LIST_POSITION;

  g_assert_cmpstr (first, ==, "ar");

  window = open_window (server, NULL);
  page = wait_for_page (window, 0);
  wait_for_status_page (page, "strategies-empty");

  /* The list, then the editor; back returns. */
  open_editor (page);
  click (find (page, "back-button"));
  wait_for_list (page);
  open_editor (page);

  /* The first type is chosen: its parameters. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find (page, "type-row"))), ==, 0);
  assert_param (page, ar, "lags");
  assert_param (page, ar, "horizon");
  assert_param (page, ar, "threshold");
  assert_param (page, ar, "stop_atr");
  assert_param (page, ar, "target_atr");

  params = bourse_strategies_page_dup_params (page);
  text = json_to_string (params, FALSE);
  assert_json (text, "{\"lags\":4,\"horizon\":5,\"threshold\":0.002,\"stop_atr\":2.0,\"target_atr\":3.0}");

  /* Out of range, whether set or typed: held at the bound. */
  spin = find_spin (page, "lags");
  gtk_spin_button_set_value (spin, 1e6);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==,
                     gtk_adjustment_get_upper (gtk_spin_button_get_adjustment (spin)));
  spin = find_spin (page, "horizon");
  gtk_editable_set_text (GTK_EDITABLE (spin), "0");
  gtk_spin_button_update (spin);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, 1);

  /* Another type: its own rows. */
  types = adw_combo_row_get_model (ADW_COMBO_ROW (find (page, "type-row")));
  for (guint i = 0; i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(BourseClientStrategyType) item = g_list_model_get_item (types, i);

      if (g_str_equal (bourse_client_strategy_type_get_name (item), json_object_get_string_member (kalman, "name")))
        kalman_index = i;
    }
  g_assert_cmpuint (kalman_index, !=, GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "type-row")), kalman_index);
  g_assert_null (find_widget (GTK_WIDGET (page), "param-lags"));
  assert_param (page, kalman, "trend_threshold");
  assert_param (page, kalman, "volatility_window");
  assert_param (page, kalman, "volatility_cap");

  gtk_spin_button_set_value (find_spin (page, "trend_threshold"), 3);
  g_clear_pointer (&params, json_node_unref);
  params = bourse_strategies_page_dup_params (page);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (params), "trend_threshold"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (params), "volatility_window"), ==, 50);
  g_assert_false (json_object_has_member (json_node_get_object (params), "lags"));

  /* Back to the first: its defaults again, not what was set before. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "type-row")), 0);
  assert_param (page, ar, "lags");

  close_window (window);
  bourse_test_server_free (server);
}

/* Adding a live strategy sends what the form says; then it can be
 * switched off and deleted from its row. */
static void
test_create (void)
{
  BourseTestServer *server = start_server ();
  static const char * const config[] = { "name", "strategy", "symbol", "interval", "params", "policy",
                                         "enabled", NULL };
  g_autoptr(JsonObject) strategy = NULL;
  g_autofree char *row_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *trader = NULL;
  g_autofree char *user_path = NULL;
  g_autoptr(JsonNode) patched = NULL;
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;
  GtkWidget *old_row;
  GtkWidget *dialog;
  gint64 id;

  window = open_window (server, NULL);
  page = wait_for_page (window, 0);
  open_editor (page);

  /* The instrument is chosen from those the server has, not typed. */
  select_symbol (page, "BTCUSDT");
  g_assert_true (gtk_widget_is_sensitive (find (page, "add-button")));
  select_interval (page, "4h");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "policy-row")), 2);
  gtk_editable_set_text (GTK_EDITABLE (find (page, "name-row")), "AR on BTC");
  gtk_spin_button_set_value (find_spin (page, "lags"), 6);
  click (find (page, "add-button"));

  /* What the server stored is what the form said. */
  strategy = wait_for_items (server, "/api/v1/strategies", 1);
  sent = pick (strategy, config);
  assert_json (sent,
               "{\"name\":\"AR on BTC\",\"strategy\":\"ar\",\"symbol\":\"BTCUSDT\",\"interval\":\"4h\","
               "\"params\":{\"lags\":6,\"horizon\":5,\"threshold\":0.002,\"stop_atr\":2.0,\"target_atr\":3.0},"
               "\"policy\":\"notify-only\",\"enabled\":true}");

  /* Back to the list, where the topic has brought it. */
  wait_for_list (page);
  page = wait_for_page (window, 1);
  id = json_object_get_int_member (strategy, "id");
  row_name = g_strdup_printf ("strategy-row-%" PRId64, id);
  row = wait_for_widget_named (page, row_name);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "AR forecast · BTCUSDT · 4h · Notify only");
  /* Ready for the next one. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (page, "name-row"))), ==, "");

  /* Off: the whole configuration goes back with enabled false. */
  path = g_strdup_printf ("/api/v1/strategies/%" PRId64, id);
  old_row = row;
  g_object_add_weak_pointer (G_OBJECT (old_row), (gpointer *) &old_row);
  gtk_switch_set_active (GTK_SWITCH (find (row, "enabled-switch")), FALSE);
  {
    EnabledQuery query = { server, path, FALSE };

    wait_until (strategy_is, &query, "the strategy to be switched off");
    assert_stored (server, path, config,
                   "{\"name\":\"AR on BTC\",\"strategy\":\"ar\",\"symbol\":\"BTCUSDT\",\"interval\":\"4h\","
                   "\"params\":{\"lags\":6,\"horizon\":5,\"threshold\":0.002,\"stop_atr\":2.0,\"target_atr\":3.0},"
                   "\"policy\":\"notify-only\",\"enabled\":false}");
  }
  /* The row follows its strategy: the same row, its switch off. */
  {
    SwitchQuery off = { GTK_WIDGET (page), row_name };

    wait_until (switch_is_off, &off, "the switch to stay off");
  }
  g_assert_nonnull (old_row);
  g_assert_true (find (page, row_name) == old_row);
  g_object_remove_weak_pointer (G_OBJECT (old_row), (gpointer *) &old_row);
  close_window (window);

  /* Refused (a trader made a viewer meanwhile, behind the page's back):
   * the switch goes back to what the server has, which is still off. */
  user_path = g_strdup_printf ("/api/v1/users/%" PRId64, desk_create_user (server, "tom", "trader"));
  trader = desk_login (server, "tom", "trader");
  window = open_window (server, trader);
  page = wait_for_page (window, 1);
  row = wait_for_widget_named (page, row_name);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (find (row, "enabled-switch"))));
  g_assert_true (gtk_widget_is_sensitive (find (row, "enabled-switch")));
  g_clear_pointer (&patched, json_node_unref);
  patched = desk_expect (server, "PATCH", user_path, NULL, "{\"role\":\"viewer\"}", 200);
  /* Found again: the list may have been loaded again meanwhile. */
  row = find (page, row_name);
  gtk_switch_set_active (GTK_SWITCH (find (row, "enabled-switch")), TRUE);
  {
    SwitchQuery off = { GTK_WIDGET (page), row_name };
    EnabledQuery query = { server, path, FALSE };

    /* Not at once: only once the server has said no. */
    g_assert_false (switch_is_off (&off));
    wait_until (switch_is_off, &off, "the switch to go back");
    spin (200);
    g_assert_true (switch_is_off (&off));
    g_assert_true (strategy_is (&query));
  }
  close_window (window);

  window = open_window (server, NULL);
  page = wait_for_page (window, 1);
  row = wait_for_widget_named (page, row_name);

  /* Deleting asks first. */
  click (find (row, "delete-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "delete-strategy-dialog", "the delete dialog");
  dialog = find_named_toplevel ("delete-strategy-dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Delete “AR on BTC”?");
  click (find_button_labelled (dialog, "_Delete"));
  wait_for_items (server, "/api/v1/strategies", 0);
  {
    WidgetQuery query = { GTK_WIDGET (page), row_name };

    wait_until (widget_is_gone, &query, "the deleted strategy's row to go");
  }
  json_node_unref (desk_expect (server, "GET", path, NULL, NULL, 404));

  /* Refused: the server's field turns red. */
  open_editor (page);
  {
    g_autofree char *long_name = g_strnfill (101, 'x');

    gtk_editable_set_text (GTK_EDITABLE (find (page, "name-row")), long_name);
  }
  click (find (page, "add-button"));
  wait_until (has_css_class, find (page, "name-row"), "the name row to be marked");
  g_assert_false (gtk_widget_has_css_class (find (page, "symbol-row"), "error"));
  g_assert_cmpuint (count_items (server, "/api/v1/strategies"), ==, 0);
  /* Typing there again clears it. */
  gtk_editable_set_text (GTK_EDITABLE (find (page, "name-row")), "Shorter");
  g_assert_false (gtk_widget_has_css_class (find (page, "name-row"), "error"));

  close_window (window);
  bourse_test_server_free (server);
}

static gboolean
chart_is_loaded (gpointer data)
{
  return bourse_mini_chart_get_n_candles (data) > 0;
}

/* Analyse once: the request from the form, the recommendation shown, and
 * the way to its approval. */
static void
test_analyse (void)
{
  BourseTestServer *server = start_server ();
  g_autoptr(JsonObject) rec = NULL;
  g_autofree char *approval_row = NULL;
  g_autofree char *approval_title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *params = NULL;
  static const char * const sent[] = { "symbol", "interval", "strategy", NULL };
  g_autofree char *what = NULL;
  const char *decision;
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;
  GtkWidget *chart;
  GtkWidget *approvals_page;
  gint64 approval_id;

  window = open_window (server, NULL);
  page = wait_for_page (window, 0);

  /* No threshold: AR trades on any forecast, so there is an approval. */
  open_editor (page);
  select_symbol (page, "ETHUSDT");
  select_interval (page, "15m");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (page, "days-spin")), 2);
  gtk_spin_button_set_value (find_spin (page, "horizon"), 8);
  gtk_spin_button_set_value (find_spin (page, "threshold"), 0);
  click (find (page, "analyse-button"));

  rec = wait_for_items (server, "/api/v1/recommendations", 1);
  what = pick (rec, sent);
  assert_json (what, "{\"symbol\":\"ETHUSDT\",\"interval\":\"15m\",\"strategy\":\"ar\"}");
  params = json_to_string (json_object_get_member (rec, "params"), FALSE);
  assert_json (params, "{\"lags\":4,\"horizon\":8,\"threshold\":0,\"stop_atr\":2.0,\"target_atr\":3.0}");
  decision = json_object_get_string_member (rec, "decision");
  g_assert_true (g_str_equal (decision, "BUY") || g_str_equal (decision, "SELL"));

  wait_for_widget_named (page, "result-decision");
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "result-decision"),
                                                                  ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-decision"), ==, decision);
  g_assert_true (gtk_widget_has_css_class (find (page, "result-decision"),
                                           g_str_equal (decision, "BUY") ? "success" : "error"));
  /* The strategy by its name, not its id. */
  g_assert_cmpstr (json_object_get_string_member (rec, "strategy_name"), !=, "ar");
  subtitle = g_strdup_printf ("ETHUSDT · 15m · %s · %" PRId64 " candles",
                              json_object_get_string_member (rec, "strategy_name"),
                              json_object_get_int_member (json_object_get_object_member (rec, "window"), "candles"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (rec, "window"), "candles"), >, 48);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (page, "result-decision-row"))),
                   ==, subtitle);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find (page, "result-reason-row"))),
                   ==, json_object_get_string_member (rec, "reason"));
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-entry"), !=, "—");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-stop-loss"), !=, "—");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-take-profit"), !=, "—");
  /* The levels, the risk/reward and the confidence as the answer has them
   * (the page reads it as a BourseClientRecommendation). */
  {
    g_autofree char *entry = bourse_format_price (json_object_get_string_member (rec, "entry"));
    g_autofree char *risk_reward = g_strdup_printf ("%.2f", json_object_get_double_member (rec, "risk_reward"));
    g_autofree char *confidence = g_strdup_printf ("%.0f\u00a0%%",
                                                   json_object_get_double_member (rec, "confidence") * 100);

    g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-entry"), ==, entry);
    g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-risk-reward"), ==, risk_reward);
    g_assert_cmpstr (label_text (GTK_WIDGET (page), "result-confidence"), ==, confidence);
  }
  g_assert_nonnull (find_widget (GTK_WIDGET (page), "metric-forecast"));

  chart = find (page, "mini-chart");
  wait_until (chart_is_loaded, chart, "the analysis chart");
  /* The window's candles, but no more than the small chart draws. */
  g_assert_cmpint (bourse_mini_chart_get_n_candles (BOURSE_MINI_CHART (chart)), ==,
                   MIN (json_object_get_int_member (json_object_get_object_member (rec, "window"), "candles"),
                        BOURSE_MINI_CHART_MAX_CANDLES));

  /* Its approval, one click away. */
  approval_id = json_object_get_int_member (rec, "approval_id");
  g_assert_cmpint (approval_id, >, 0);
  row = find (page, "result-approval-row");
  approval_title = g_strdup_printf ("Approval #%" PRId64 " awaits a decision", approval_id);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, approval_title);
  approval_row = g_strdup_printf ("approval-row-%" PRId64, approval_id);
  approvals_page = find (window, "approvals-page");
  /* Listed by the hidden page's store, whose rows wait for its first show. */
  {
    ListedQuery query = { BOURSE_APPROVALS_PAGE (approvals_page), approval_id };

    wait_until (approval_is_listed, &query, "the approval in the Approvals page's store");
  }
  g_assert_null (find_widget (approvals_page, approval_row));
  click (find (row, "open-approval-button"));
  wait_until (is_mapped, approvals_page, "the Approvals page to be shown");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (find (approvals_page, approval_row))));

  /* A refused analysis names its field, and nothing is recorded: a year
   * of minutes is more candles than an analysis reads. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "strategies"));
  select_interval (page, "1m");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find (page, "days-spin")), 365);
  click (find (page, "analyse-button"));
  wait_until (has_css_class, find (page, "days-row"), "the days row to be marked");
  g_assert_cmpuint (count_items (server, "/api/v1/recommendations"), ==, 1);

  close_window (window);
  bourse_test_server_free (server);
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
  const char *title;
} TitleQuery;

static gboolean
row_title_is (gpointer data)
{
  TitleQuery *query = data;
  GtkWidget *row = find_widget (query->root, query->name);

  return row != NULL && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), query->title) == 0;
}

/* The list is live: made, changed and deleted through the API, without a
 * click here. */
static void
test_live (void)
{
  BourseTestServer *server = start_server ();
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) changed = NULL;
  g_autofree char *row_name = NULL;
  g_autofree char *path = NULL;
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;
  GtkWidget *kept;
  GtkWidget *empty;

  window = open_window (server, NULL);
  page = wait_for_page (window, 0);

  /* None yet: a status page says what will be here and offers to make
   * one; the types stay below it, the empty list goes. */
  empty = wait_for_status_page (page, "strategies-empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Live Strategies");
  g_assert_true (g_str_has_prefix (adw_status_page_get_description (ADW_STATUS_PAGE (empty)),
                                   "Create one to get recommendations"));
  g_assert_true (gtk_widget_is_visible (find (empty, "empty-new-button")));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (find (empty, "empty-new-button"))), ==,
                   "strategies.new");
  g_assert_false (gtk_widget_is_visible (find (page, "live-list")));
  g_assert_true (gtk_widget_get_mapped (find (page, "type-row-ar")));

  created = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                         "{\"name\":\"From the API\",\"strategy\":\"rsi\",\"symbol\":\"ETHUSDT\","
                         "\"interval\":\"15m\"}", 201);
  row_name = g_strdup_printf ("strategy-row-%" PRId64, json_object_get_int_member (desk_object (created), "id"));
  row = wait_for_widget_named (page, row_name);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "From the API");
  g_assert_cmpint (bourse_strategies_page_get_n_strategies (page), ==, 1);
  /* The first one: the list takes the status page's place. */
  wait_for_status_page_gone (page, "strategies-empty");
  g_assert_true (gtk_widget_is_visible (find (page, "live-list")));

  /* Changed: the same row says so. */
  kept = row;
  path = g_strdup_printf ("/api/v1/strategies/%" PRId64, json_object_get_int_member (desk_object (created), "id"));
  changed = desk_expect (server, "PUT", path, NULL, "{\"name\":\"Renamed\"}", 200);
  {
    TitleQuery query = { GTK_WIDGET (page), row_name, "Renamed" };

    wait_until (row_title_is, &query, "the row to be renamed");
  }
  g_assert_true (find (page, row_name) == kept);

  /* Deleted: gone. */
  g_assert_null (desk_expect (server, "DELETE", path, NULL, NULL, 204));
  {
    WidgetQuery query = { GTK_WIDGET (page), row_name };

    wait_until (widget_is_gone, &query, "the deleted strategy's row to go");
  }
  g_assert_cmpint (bourse_strategies_page_get_n_strategies (page), ==, 0);
  /* The last one gone: the status page again. */
  wait_for_status_page (page, "strategies-empty");

  close_window (window);
  bourse_test_server_free (server);
}

typedef struct
{
  BourseTestServer *server;
  const char       *path;
  const char       *name;
} NameQuery;

static gboolean
strategy_is_named (gpointer data)
{
  NameQuery *query = data;
  g_autoptr(JsonNode) strategy = api_get (query->server, query->path);

  return g_strcmp0 (json_object_get_string_member (desk_object (strategy), "name"), query->name) == 0;
}

static const char *
selected_string (BourseStrategiesPage *page,
                 const char           *row_name)
{
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (find (page, row_name)));

  if (BOURSE_IS_CLIENT_STRATEGY_TYPE (item))
    return bourse_client_strategy_type_get_id (BOURSE_CLIENT_STRATEGY_TYPE (item));
  if (BOURSE_IS_CLIENT_INSTRUMENT (item))
    return bourse_client_instrument_get_symbol (BOURSE_CLIENT_INSTRUMENT (item));
  return gtk_string_object_get_string (GTK_STRING_OBJECT (item));
}

/* An existing strategy, edited from its row: the editor filled from it,
 * Save sends PUT, and the list (the same row) follows. */
static void
test_edit (void)
{
  BourseTestServer *server = start_server ();
  static const char * const config[] = { "name", "strategy", "symbol", "interval", "params", "policy",
                                         "enabled", NULL };
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *row_name = NULL;
  g_autofree char *path = NULL;
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;
  ShownQuery editor;
  gint64 id;

  /* Another type first, so the editor has to change the form's type. */
  created = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                         "{\"name\":\"To Edit\",\"strategy\":\"ar\",\"symbol\":\"ETHUSDT\","
                         "\"interval\":\"15m\",\"params\":{\"lags\":7},\"policy\":\"notify-only\","
                         "\"enabled\":false}", 201);
  id = json_object_get_int_member (desk_object (created), "id");
  row_name = g_strdup_printf ("strategy-row-%" PRId64, id);
  path = g_strdup_printf ("/api/v1/strategies/%" PRId64, id);

  window = open_window (server, NULL);
  page = wait_for_page (window, 1);
  open_editor (page);
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "type-row")), 0);
  if (g_str_equal (selected_string (page, "type-row"), "ar"))
    adw_combo_row_set_selected (ADW_COMBO_ROW (find (page, "type-row")), 1);
  click (find (page, "back-button"));
  wait_for_list (page);

  /* The row, activated as Enter does: the editor, filled from it. */
  row = wait_for_widget_named (page, row_name);
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  gtk_widget_grab_focus (row);
  g_signal_emit_by_name (row, "activate");
  editor = (ShownQuery) { page, "strategies-editor-page" };
  wait_until (leaflet_shows, &editor, "the editor");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "editor-title"), ==, "Edit Strategy");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find (page, "add-button"))), ==, "_Save Changes");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (page, "name-row"))), ==, "To Edit");
  g_assert_cmpstr (selected_string (page, "type-row"), ==, "ar");
  g_assert_cmpstr (selected_string (page, "symbol-row"), ==, "ETHUSDT");
  g_assert_cmpstr (selected_string (page, "interval-row"), ==, "15m");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (find (page, "policy-row"))), ==, 2);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (find_spin (page, "lags")), ==, 7);
  /* Analysing is for a strategy to be. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "days-row"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));

  /* Saved: PUT to that strategy, not another one made. */
  gtk_editable_set_text (GTK_EDITABLE (find (page, "name-row")), "Edited");
  gtk_spin_button_set_value (find_spin (page, "lags"), 9);
  select_interval (page, "1h");
  click (find (page, "add-button"));
  {
    NameQuery named = { server, path, "Edited" };

    wait_until (strategy_is_named, &named, "the strategy to be renamed through the editor");
  }
  assert_stored (server, path, config,
               "{\"name\":\"Edited\",\"strategy\":\"ar\",\"symbol\":\"ETHUSDT\",\"interval\":\"1h\","
               "\"params\":{\"lags\":9,\"horizon\":5,\"threshold\":0.002,\"stop_atr\":2.0,\"target_atr\":3.0},"
               "\"policy\":\"notify-only\",\"enabled\":false}");
  stored = api_get (server, "/api/v1/strategies");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (stored), "items")), ==, 1);

  /* Back on the list, the same row says so; New is new again. */
  wait_for_list (page);
  {
    TitleQuery query = { GTK_WIDGET (page), row_name, "Edited" };

    wait_until (row_title_is, &query, "the row to be renamed");
  }
  g_assert_true (find (page, row_name) == row);
  open_editor (page);
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "editor-title"), ==, "New Strategy");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (page, "name-row"))), ==, "");

  close_window (window);
  bourse_test_server_free (server);
}

/* A viewer reads types and strategies; no form, no switches to flip. */
static void
test_viewer (void)
{
  BourseTestServer *server = start_server ();
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *token = NULL;
  g_autofree char *row_name = NULL;
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;

  created = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                         "{\"name\":\"Trend\",\"strategy\":\"ar\",\"symbol\":\"BTCUSDT\","
                         "\"interval\":\"1h\",\"params\":{},\"policy\":\"manual\",\"enabled\":true}", 201);
  row_name = g_strdup_printf ("strategy-row-%" PRId64, json_object_get_int_member (desk_object (created), "id"));
  desk_create_user (server, "vera", "viewer");
  token = desk_login (server, "vera", "viewer");

  window = open_window (server, token);
  page = wait_for_page (window, 1);
  g_assert_false (bourse_strategies_page_get_can_write (page));

  row = find (page, row_name);
  g_assert_false (gtk_widget_is_sensitive (find (row, "enabled-switch")));
  g_assert_null (find_widget (row, "delete-button"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "AR forecast · BTCUSDT · 1h · Manual approval"));

  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "type-row"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "add-button"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "analyse-button"),
                                                                   ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_ancestor (find (page, "type-row-ar"),
                                                                  ADW_TYPE_PREFERENCES_GROUP)));

  close_window (window);
  bourse_test_server_free (server);
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
  g_test_add_func ("/strategies/live", test_live);
  g_test_add_func ("/strategies/edit", test_edit);

  ret = g_test_run ();

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
