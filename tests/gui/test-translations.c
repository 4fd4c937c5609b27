/* test-translations.c — the console in German: the strategies' parameters
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real engine and server, in this thread (tests/integration's
 * BourseTestServer), with po/de.po as the build compiled it (po/de/ in the
 * build directory). A strategy type's parameters come from the server
 * (GET /api/v1/strategies/types) with a title and a description for
 * people; the Strategies editor shows them in the desktop's language,
 * whether the server answered in German (the built-in engine, in the
 * desktop's process) or in English (a boursed elsewhere, in the C locale).
 */

#include "config.h"

#include <libintl.h>

#include "bourse-page-header.h"
#include "bourse-strategies-page.h"
#include "client/bourse-client-records.h"
#include "bourse-window.h"

#include "../integration/desk-test-util.h"
#include "gui-util.h"

/* glibc's catalogue generation: a change of LANGUAGE reaches gettext ()
 * once it moves (the GNU gettext manual, "Being a gettext grok"). */
extern int _nl_msg_cat_cntr;

static char *tmp_dir;
/* One server for the file: no case adds anything to it. */
static BourseTestServer *server;

/* Helpers {{{ */

static void
set_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  ++_nl_msg_cat_cntr;
}

static gboolean
types_are_loaded (gpointer data)
{
  return bourse_strategies_page_get_n_types (data) > 0;
}

/* The Strategies page of a window signed in as the local owner, once the
 * strategy types are there. */
static BourseStrategiesPage *
open_strategies (BourseWindow **window)
{
  GtkWidget *page;

  *window = open_signed_in_window (server->base_url, server->token);
  page = show_listed_page (*window, "strategies", "strategies-page");
  wait_until (types_are_loaded, page, "the strategy types");

  return BOURSE_STRATEGIES_PAGE (page);
}

/* Chooses the type named @id in the editor's type row (its parameters'
 * rows are made then). */
static void
select_type (BourseStrategiesPage *page,
             const char           *id)
{
  AdwComboRow *row = ADW_COMBO_ROW (find_required (page, "type-row"));
  GListModel *types = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (types); i++)
    {
      g_autoptr(BourseClientStrategyType) type = g_list_model_get_item (types, i);

      if (g_str_equal (bourse_client_strategy_type_get_id (type), id))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
  g_error ("No strategy type %s", id);
}

static void
assert_row (BourseStrategiesPage *page,
            const char           *param,
            const char           *title,
            const char           *subtitle)
{
  g_autofree char *name = g_strdup_printf ("param-row-%s", param);
  GtkWidget *row = find_required (page, name);

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
  if (subtitle != NULL)
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, subtitle);
}

/* The AR forecast's own parameters and the levels every type has. */
static void
assert_ar_rows_in_german (BourseStrategiesPage *page)
{
  assert_row (page, "lags", "Verzögerungen", "Ordnung p der Autoregression auf den Preisänderungen");
  assert_row (page, "horizon", "Horizont", NULL);
  assert_row (page, "threshold", "Schwelle", NULL);
  assert_row (page, "stop_atr", "Stop-Loss (ATR)",
              "Abstand des Stop-Loss vom Einstieg, in Vielfachen der ATR über 14 Kerzen");
}

static void
assert_ar_in_german (BourseStrategiesPage *page)
{
  /* The editor's own words: the catalogue is the one this build made. */
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "editor-title"), ==, "Neue Strategie");
  assert_ar_rows_in_german (page);
}

/* New, in the page's header, as the user would. */
static void
open_editor (BourseStrategiesPage *page)
{
  click (find_required (bourse_page_get_header_actions (GTK_WIDGET (page)), "new-button"));
}

/* }}} */

/* The built-in engine answers in the desktop's language already. */
static void
test_engine_in_german (void)
{
  BourseStrategiesPage *page;
  BourseWindow *window;

  set_language ("de");
  page = open_strategies (&window);
  open_editor (page);
  select_type (page, "ar");
  assert_ar_in_german (page);

  close_window (window);
}

/* A server in the C locale sends the titles in English: the editor still
 * shows them in German. The server answers while LANGUAGE is C (this
 * thread runs it); the rows are made once the desktop's language is
 * German again, from the types as the server sent them. */
static void
test_server_in_english (void)
{
  BourseStrategiesPage *page;
  BourseWindow *window;
  GtkWidget *row;

  set_language ("C");
  page = open_strategies (&window);
  {
    GListModel *types = adw_combo_row_get_model (ADW_COMBO_ROW (find_required (page, "type-row")));
    g_autoptr(BourseClientStrategyType) first = g_list_model_get_item (types, 0);
    JsonObject *properties = json_object_get_object_member (bourse_client_strategy_type_get_parameters (first),
                                                            "properties");

    /* What the server said: English. */
    g_assert_cmpstr (bourse_client_strategy_type_get_id (first), ==, "ar");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (properties, "lags"), "title"),
                     ==, "Lags");
  }

  set_language ("de");
  /* Another type, then the AR forecast again: its rows made anew. */
  select_type (page, "kalman");
  g_assert_null (find_widget (GTK_WIDGET (page), "param-row-lags"));
  select_type (page, "ar");
  row = find_required (page, "param-row-lags");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), !=, "lags");
  assert_ar_rows_in_german (page);

  /* The type's name, as the drop-down shows the chosen one. */
  {
    AdwComboRow *type_row = ADW_COMBO_ROW (find_required (page, "type-row"));
    GtkExpression *expression = adw_combo_row_get_expression (type_row);
    g_auto(GValue) shown = G_VALUE_INIT;

    g_assert_true (gtk_expression_evaluate (expression, adw_combo_row_get_selected_item (type_row), &shown));
    g_assert_cmpstr (g_value_get_string (&shown), ==, "AR-Prognose");
  }

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *locale_dir = NULL;
  int ret;

  if (!gui_test_init (&argc, &argv, &tmp_dir))
    return 0;

  /* As main () does, with the catalogue this build compiled. */
  locale_dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  server = desk_server_new (NULL);

  g_test_add_func ("/translations/engine-in-german", test_engine_in_german);
  g_test_add_func ("/translations/server-in-english", test_server_in_english);

  ret = g_test_run ();

  bourse_test_server_free (g_steal_pointer (&server));
  gui_test_cleanup (&tmp_dir);

  return ret;
}
