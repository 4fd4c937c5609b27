/* test-backtests-page.c — the Backtests page: the form, the run followed
 * as a job, the result (metrics, trades, markers), refusals, viewers
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real engine and server, in this thread (tests/integration's
 * BourseTestServer), on an instrument whose candles the test writes. What
 * the page shows is checked against what the API says of the same
 * backtest; what it sent by reading the backtest's request back.
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "bourse-backtests-page.h"
#include "bourse-candle-chart.h"
#include "bourse-equity-chart.h"
#include "bourse-heatmap.h"
#include "bourse-optimisation-view.h"
#include "bourse-window.h"

#include "../integration/desk-test-util.h"
#include "gui-util.h"

#define SYMBOL    "ABCUSDT"
#define N_CANDLES 600

static char *tmp_dir;

/* Helpers {{{ */

/* A server with an instrument of N_CANDLES hourly candles up to now. */
static BourseTestServer *
start_server (void)
{
  BourseTestServer *server = desk_server_new (NULL);

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, N_CANDLES, 7);
  return server;
}

static BourseWindow *
open_window (BourseTestServer *server,
             const char       *token)
{
  return open_signed_in_window (server->base_url, token ? token : server->token);
}

typedef struct
{
  GtkWidget *root;
  int        n_backtests;
} PageQuery;

/* Listed, with the strategies and the instrument in the form's rows. */
static gboolean
page_is_loaded (gpointer data)
{
  PageQuery *query = data;
  GtkWidget *page = find_widget (query->root, "backtests-page");

  return page != NULL &&
         bourse_backtests_page_get_n_backtests (BOURSE_BACKTESTS_PAGE (page)) == query->n_backtests &&
         g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (find_required (page, "strategy-row")))) > 0 &&
         g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (find_required (page, "symbol-row")))) > 0;
}

static BourseBacktestsPage *
wait_for_page (BourseWindow *window,
               int           n_backtests)
{
  PageQuery query = { GTK_WIDGET (window), n_backtests };
  g_autofree char *what = g_strdup_printf ("the Backtests page to list %d backtests", n_backtests);
  GtkWidget *page;

  /* The window makes the page when it is first shown. */
  page = show_listed_page (window, "backtests", "backtests-page");
  wait_until (page_is_loaded, &query, what);

  return BOURSE_BACKTESTS_PAGE (page);
}

/* Selects the item of @row's string list that reads @text. */
static void
select_string (GtkWidget  *row,
               const char *text)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), text))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
          return;
        }
    }

  g_error ("No “%s” in %s", text, gtk_widget_get_name (row));
}

/* The name GET /api/v1/strategies/types gives strategy @id. */
static char *
dup_type_name (BourseTestServer *server,
               const char       *id)
{
  g_autoptr(JsonNode) types = desk_expect (server, "GET", "/api/v1/strategies/types", NULL, NULL, 200);
  JsonArray *items = json_object_get_array_member (desk_object (types), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *type = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (type, "id"), id))
        return g_strdup (json_object_get_string_member (type, "name"));
    }

  g_error ("No strategy type %s", id);
}

/* "2026-03-05", @days before today, local. */
static char *
local_day (int days_before)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, -days_before);

  return g_date_time_format (day, "%Y-%m-%d");
}

static void
set_text (gpointer    root,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_required (root, name)), text);
}

/* The form filled for an SMA cross of 5 and 20 over the whole series. */
static void
fill_form (BourseTestServer    *server,
           BourseBacktestsPage *page)
{
  g_autofree char *name = dup_type_name (server, "sma-cross");
  g_autofree char *first = local_day (N_CANDLES / 24 + 2);
  g_autofree char *today = local_day (0);

  select_string (find_required (page, "strategy-row"), name);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_required (page, "param-fast")), 5);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_required (page, "param-slow")), 20);
  select_string (find_required (page, "symbol-row"), SYMBOL);
  select_string (find_required (page, "interval-row"), "1h");
  set_text (page, "start-row", first);
  set_text (page, "end-row", today);
  set_text (page, "cash-row", "10000");
  set_text (page, "fee-row", "0.1");
  set_text (page, "slippage-row", "2");
  set_text (page, "stake-row", "100");
  set_text (page, "run-note-row", "from the form");
}

static gboolean
result_is_shown (gpointer data)
{
  return bourse_backtests_page_get_shown_id (data) != 0;
}

static gboolean
chart_has_candles (gpointer data)
{
  return bourse_candle_chart_get_n_candles (data) > 0;
}

static gboolean
has_error_class (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

typedef struct
{
  BourseTestServer *server;
  const char       *path;
  const char       *member;
  const char       *value;
} MemberQuery;

static gboolean
member_is (gpointer data)
{
  MemberQuery *query = data;
  guint status = 0;
  g_autoptr(JsonNode) node = desk_fetch (query->server, "GET", query->path, NULL, NULL, &status);

  if (query->member == NULL)
    return status == 404;

  return status == 200 &&
         g_strcmp0 (json_object_get_string_member_with_default (desk_object (node), query->member, NULL),
                    query->value) == 0;
}

static void
wait_for_member (BourseTestServer *server,
                 const char       *path,
                 const char       *member,
                 const char       *value)
{
  MemberQuery query = { server, path, member, value };
  g_autofree char *what = g_strdup_printf ("%s to have %s %s", path, member ? member : "gone",
                                           value ? value : "");

  wait_until (member_is, &query, what);
}

/* A metric's label as the page writes it. */
static void
assert_metric (BourseBacktestsPage *page,
               const char          *id,
               const char          *expected)
{
  g_autofree char *name = g_strdup_printf ("metric-%s-value", id);

  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_required (page, name))), ==, expected);
}

static char *
percent (JsonObject *metrics,
         const char *member)
{
  return g_strdup_printf ("%.2f\u00a0%%", json_object_get_double_member (metrics, member) * 100);
}

/* }}} */

/* Run from the form: the job followed to its end, then the result as the
 * API has it — metrics, one row per trade, a marker per entry and exit —
 * the note edited, and the backtest deleted. */
static void
test_run (void)
{
  BourseTestServer *server = start_server ();
  static const char * const topics[] = { "jobs", "backtests", NULL };
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *path = NULL;
  g_autofree char *row_name = NULL;
  g_autofree char *expected = NULL;
  BourseBacktestsPage *page;
  BourseWindow *window;
  JsonObject *backtest, *request, *result, *metrics;
  JsonArray *trades;
  GtkWidget *chart;
  GtkWidget *dialog;
  guint n_trades, n_markers = 0;
  gint64 id;

  window = open_window (server, NULL);
  page = wait_for_page (window, 0);
  wait_for_status_page (page, "backtests-empty");
  g_assert_true (gtk_widget_is_visible (find_required (page, "run-button")));
  wait_for_topics (window, topics);

  fill_form (server, page);
  click (find_required (page, "run-button"));
  wait_until (result_is_shown, page, "the backtest's result");
  id = bourse_backtests_page_get_shown_id (page);
  g_assert_cmpint (bourse_backtests_page_get_job_id (page), ==, 0);
  g_assert_false (gtk_widget_get_visible (find_required (page, "progress-box")));

  /* What was sent: the form's values, percentages as fractions. */
  path = g_strdup_printf ("/api/v1/backtests/%" PRId64, id);
  stored = desk_expect (server, "GET", path, NULL, NULL, 200);
  backtest = desk_object (stored);
  g_assert_cmpstr (json_object_get_string_member (backtest, "status"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (backtest, "strategy"), ==, "sma-cross");
  g_assert_cmpstr (json_object_get_string_member (backtest, "symbol"), ==, SYMBOL);
  g_assert_cmpstr (json_object_get_string_member (backtest, "interval"), ==, "1h");
  g_assert_cmpstr (json_object_get_string_member (backtest, "note"), ==, "from the form");
  request = json_object_get_object_member (backtest, "request");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (request, "params"), "fast"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (request, "params"), "slow"), ==, 20);
  g_assert_cmpint (json_object_get_int_member (request, "slippage_bps"), ==, 2);
  g_assert_cmpfloat (g_ascii_strtod (json_object_get_string_member (request, "fee_rate"), NULL), ==, 0.001);
  g_assert_cmpfloat (g_ascii_strtod (json_object_get_string_member (request, "stake_fraction"), NULL), ==, 1);

  /* The metrics shown are the API's, written for people. */
  result = json_object_get_object_member (backtest, "result");
  metrics = json_object_get_object_member (result, "metrics");
  trades = json_object_get_array_member (result, "trades");
  n_trades = json_array_get_length (trades);
  g_assert_cmpuint (n_trades, >, 1);
  {
    g_autofree char *total = percent (metrics, "total_return");
    g_autofree char *hold = percent (metrics, "buy_and_hold_return");
    g_autofree char *drawdown = percent (metrics, "max_drawdown");
    g_autofree char *win_rate = percent (metrics, "win_rate");
    g_autofree char *sharpe = g_strdup_printf ("%.2f", json_object_get_double_member (metrics, "sharpe"));
    g_autofree char *count = g_strdup_printf ("%" PRId64, json_object_get_int_member (metrics, "trades"));

    assert_metric (page, "total_return", total);
    assert_metric (page, "buy_and_hold_return", hold);
    assert_metric (page, "max_drawdown", drawdown);
    assert_metric (page, "win_rate", win_rate);
    assert_metric (page, "sharpe", sharpe);
    assert_metric (page, "trades", count);
  }

  /* A row per trade; a marker per entry and per exit. */
  for (guint i = 0; i < n_trades; i++)
    {
      JsonObject *trade = json_array_get_object_element (trades, i);
      g_autofree char *name = g_strdup_printf ("trade-row-%u", i);
      GtkWidget *row = find_required (page, name);

      g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                       g_str_equal (json_object_get_string_member (trade, "side"), "LONG")
                                       ? "Long · " : "Short · "));
      n_markers += json_object_get_boolean_member (trade, "open") ? 1 : 2;
    }
  {
    g_autofree char *name = g_strdup_printf ("trade-row-%u", n_trades);

    g_assert_null (find_widget (GTK_WIDGET (page), name));
  }
  chart = find_required (page, "trades-chart");
  g_assert_cmpuint (bourse_candle_chart_get_n_markers (BOURSE_CANDLE_CHART (chart)), ==, n_markers);
  wait_until (chart_has_candles, chart, "the chart's candles");
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (BOURSE_CANDLE_CHART (chart)), ==,
                    json_object_get_int_member (result, "candles"));
  g_assert_cmpuint (bourse_equity_chart_get_n_points (BOURSE_EQUITY_CHART (find_required (page, "equity-chart"))), ==,
                    json_array_get_length (json_object_get_array_member (result, "equity")));

  /* The list has it, with its return. */
  page = wait_for_page (window, 1);
  row_name = g_strdup_printf ("backtest-row-%" PRId64, id);
  expected = percent (json_object_get_object_member (backtest, "summary"), "total_return");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_required (page, row_name))), expected));

  /* The note, edited where the result is. */
  set_text (page, "note-row", "worth a second look");
  g_signal_emit_by_name (find_required (page, "note-row"), "apply");
  wait_for_member (server, path, "note", "worth a second look");

  /* Deleted from its row, once confirmed. */
  g_assert_true (gtk_widget_activate_action (find_required (find_required (page, row_name), "delete-button"),
                                             "backtests.delete", "x", id));
  dialog = find_named_toplevel ("delete-backtest-dialog");
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  wait_for_member (server, path, NULL, NULL);
  page = wait_for_page (window, 0);
  g_assert_cmpint (bourse_backtests_page_get_shown_id (page), ==, 0);
  g_assert_false (gtk_widget_is_visible (find_required (page, "summary-row")));

  close_window (window);
  bourse_test_server_free (server);
}

/* The server's 422 is shown at the field it names. */
static void
test_refused (void)
{
  BourseTestServer *server = start_server ();
  BourseBacktestsPage *page;
  BourseWindow *window;
  GtkWidget *label;

  window = open_window (server, NULL);
  page = wait_for_page (window, 0);

  fill_form (server, page);
  set_text (page, "cash-row", "-5");
  click (find_required (page, "run-button"));
  wait_until (has_error_class, find_required (page, "cash-row"), "the starting cash to be marked");
  label = find_required (page, "error-label");
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (label)), "Starting Cash: "));
  g_assert_false (gtk_widget_has_css_class (find_required (page, "fee-row"), "error"));
  g_assert_cmpint (bourse_backtests_page_get_job_id (page), ==, 0);

  /* Typing there takes the mark away; a parameter the strategy refuses
   * is marked on its own row. */
  set_text (page, "cash-row", "10000");
  g_assert_false (gtk_widget_has_css_class (find_required (page, "cash-row"), "error"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_required (page, "param-fast")), 30);
  click (find_required (page, "run-button"));
  wait_until (has_error_class, find_required (page, "param-row-fast"), "the parameter fast to be marked");

  close_window (window);
  bourse_test_server_free (server);
}

typedef struct
{
  BourseTestServer *server;
  const char       *path;
  const char       *status;
} StatusQuery;

static gboolean
backtest_has_status (gpointer data)
{
  StatusQuery *query = data;
  g_autoptr(JsonNode) node = desk_expect (query->server, "GET", query->path, NULL, NULL, 200);

  return g_strcmp0 (json_object_get_string_member (desk_object (node), "status"), query->status) == 0;
}

/* The cancel has reached the engine: it is audited once the job's
 * cancellable is set, before the answer. */
static gboolean
cancel_is_audited (gpointer data)
{
  g_autoptr(JsonNode) node = desk_expect (data, "GET", "/api/v1/audit?action=job.cancel", NULL, NULL, 200);

  return json_array_get_length (json_object_get_array_member (desk_object (node), "items")) > 0;
}

static gboolean
job_is_followed (gpointer data)
{
  return bourse_backtests_page_get_job_id (data) != 0;
}

static gboolean
job_is_done (gpointer data)
{
  return bourse_backtests_page_get_job_id (data) == 0;
}

/* The page's bar shows the job followed as running (its BourseClientJob,
 * kept by the jobs topic). */
static gboolean
bar_says_running (gpointer data)
{
  const char *text = gtk_progress_bar_get_text (GTK_PROGRESS_BAR (find_required (data, "progress-bar")));

  return text != NULL && g_str_has_prefix (text, "Running · ");
}

/* A run held at its first candle by desk-test-util's gate strategy: the
 * progress bar and Cancel, and the
 * backtest ends cancelled once the run looks again. */
static void
test_cancel (void)
{
  BourseTestServer *server = start_server ();
  static const char * const topics[] = { "jobs", "backtests", NULL };
  g_autofree char *first = local_day (6000 / 1440 + 2);
  g_autofree char *today = local_day (0);
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *path = NULL;
  BourseBacktestsPage *page;
  BourseWindow *window;
  StatusQuery query;
  JsonObject *backtest;

  /* More one-minute candles than the run goes between its looks at a
   * cancel (4096). */
  desk_add_instrument (server, "GATEUSDT", BOURSE_INTERVAL_1M, 6000, 3);
  desk_gate_reset ();

  window = open_window (server, NULL);
  page = wait_for_page (window, 0);
  wait_for_topics (window, topics);

  select_string (find_required (page, "strategy-row"), "test-gate");
  select_string (find_required (page, "symbol-row"), "GATEUSDT");
  select_string (find_required (page, "interval-row"), "1m");
  set_text (page, "start-row", first);
  set_text (page, "end-row", today);
  click (find_required (page, "run-button"));

  wait_until (desk_gate_is_entered, NULL, "the run to reach the gate");
  wait_until (job_is_followed, page, "the page to follow the run");
  g_assert_true (gtk_widget_get_visible (find_required (page, "progress-box")));
  g_assert_false (gtk_widget_is_sensitive (find_required (page, "run-button")));
  wait_until (bar_says_running, page, "the bar to show the run running");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (find_required (page, "progress-bar"))), <, 1);

  click (find_required (page, "cancel-button"));
  list = desk_expect (server, "GET", "/api/v1/backtests", NULL, NULL, 200);
  backtest = json_array_get_object_element (json_object_get_array_member (desk_object (list), "items"), 0);
  path = g_strdup_printf ("/api/v1/backtests/%" PRId64, json_object_get_int_member (backtest, "id"));
  /* Opened before the cancel has come, the gate would let the run end. */
  wait_until (cancel_is_audited, server, "the cancel to reach the engine");
  desk_gate_release (FALSE);

  query = (StatusQuery) { server, path, "cancelled" };
  wait_until (backtest_has_status, &query, "the backtest to be cancelled");
  wait_until (job_is_done, page, "the page to see the run end");
  g_assert_false (gtk_widget_get_visible (find_required (page, "progress-box")));
  g_assert_cmpint (bourse_backtests_page_get_shown_id (page), ==, 0);

  close_window (window);
  bourse_test_server_free (server);
}

/* A viewer sees the list and the results, and no form, Run or Delete. */
static void
test_viewer (void)
{
  BourseTestServer *server = start_server ();
  g_autoptr(JsonNode) started = NULL;
  g_autofree char *token = NULL;
  g_autofree char *first = local_day (N_CANDLES / 24 + 2);
  g_autofree char *tomorrow = local_day (-1);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *row_name = NULL;
  BourseBacktestsPage *page;
  BourseWindow *window;
  StatusQuery query;
  gint64 id;

  body = g_strdup_printf ("{\"strategy\":\"sma-cross\",\"params\":{\"fast\":5,\"slow\":20},\"symbol\":\"" SYMBOL "\","
                          "\"interval\":\"1h\",\"start\":\"%sT00:00:00Z\",\"end\":\"%sT00:00:00Z\"}",
                          first, tomorrow);
  started = desk_expect (server, "POST", "/api/v1/backtests", NULL, body, 202);
  id = json_object_get_int_member (json_object_get_object_member (desk_object (started), "backtest"), "id");
  path = g_strdup_printf ("/api/v1/backtests/%" PRId64, id);
  query = (StatusQuery) { server, path, "succeeded" };
  wait_until (backtest_has_status, &query, "the backtest to succeed");

  desk_create_user (server, "vera", "viewer");
  token = desk_login (server, "vera", "viewer");
  window = open_window (server, token);
  page = wait_for_page (window, 1);

  g_assert_false (bourse_backtests_page_get_can_run (page));
  g_assert_false (gtk_widget_is_visible (find_required (page, "run-button")));
  g_assert_false (gtk_widget_is_visible (find_required (page, "strategy-row")));
  row_name = g_strdup_printf ("backtest-row-%" PRId64, id);
  g_assert_null (find_widget (find_required (page, row_name), "delete-button"));

  /* Another run, made elsewhere, comes on the backtests topic. */
  {
    static const char * const topics[] = { "backtests", NULL };
    g_autoptr(JsonNode) again = NULL;

    wait_for_topics (window, topics);
    again = desk_expect (server, "POST", "/api/v1/backtests", NULL, body, 202);
    page = wait_for_page (window, 2);
  }

  /* The result is there to read, its note not to edit. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "backtests.show", "x", id));
  wait_until (result_is_shown, page, "the backtest's result");
  g_assert_nonnull (find_widget (GTK_WIDGET (page), "metric-total_return"));
  g_assert_false (gtk_widget_is_sensitive (find_required (page, "note-row")));

  close_window (window);
  bourse_test_server_free (server);
}

/* Optimise {{{ */

typedef struct
{
  BourseBacktestsPage *page;
  int                  n_optimisations;
} OptimisationsQuery;

static gboolean
optimisations_are_listed (gpointer data)
{
  OptimisationsQuery *query = data;

  return bourse_backtests_page_get_n_optimisations (query->page) == query->n_optimisations;
}

static void
wait_for_optimisations (BourseBacktestsPage *page,
                        int                  n_optimisations)
{
  OptimisationsQuery query = { page, n_optimisations };

  wait_until (optimisations_are_listed, &query, "the optimisations to be listed");
}

static gboolean
optimisation_is_shown (gpointer data)
{
  return bourse_backtests_page_get_shown_optimisation_id (data) != 0;
}

/* Switches parameter @name's search on, from @min to @max by @step. */
static void
search_param (BourseBacktestsPage *page,
              const char          *name,
              const char          *min,
              const char          *max,
              const char          *step)
{
  g_autofree char *row = g_strdup_printf ("space-row-%s", name);
  g_autofree char *min_name = g_strdup_printf ("space-%s-min", name);
  g_autofree char *max_name = g_strdup_printf ("space-%s-max", name);
  g_autofree char *step_name = g_strdup_printf ("space-%s-step", name);

  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (find_required (page, row)), TRUE);
  set_text (page, min_name, min);
  set_text (page, max_name, max);
  set_text (page, step_name, step);
}

static GtkColumnViewColumn *
column_titled (GtkColumnView *view,
               const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }

  g_error ("No column “%s”", title);
}

static gint64
row_param (BourseOptimisationView *view,
           guint                   position,
           const char             *name)
{
  JsonObject *candidate = bourse_optimisation_view_get_row (view, position);

  return json_object_get_int_member (json_object_get_object_member (candidate, "params"), name);
}

typedef struct
{
  BourseTestServer *server;
  const char       *path;
  JsonObject       *params;
} ParamsQuery;

/* The live strategy's parameters are @params, member by member. */
static gboolean
strategy_has_params (gpointer data)
{
  ParamsQuery *query = data;
  g_autoptr(JsonNode) node = desk_expect (query->server, "GET", query->path, NULL, NULL, 200);
  JsonObject *params = json_object_get_object_member (desk_object (node), "params");
  g_autoptr(GList) names = json_object_get_members (query->params);

  for (GList *l = names; l != NULL; l = l->next)
    if (!json_object_has_member (params, l->data) ||
        !json_node_equal (json_object_get_member (params, l->data), json_object_get_member (query->params, l->data)))
      return FALSE;

  return TRUE;
}

/* A grid of fast 5–15 by 5 and slow 10–30 by 10 from the form: nine
 * combinations, two refused (fast ≥ slow). The table has a row per
 * candidate and sorts by its columns; the heatmap fills the seven cells
 * that have one; the winner is applied to a live strategy. */
static void
test_optimise (void)
{
  BourseTestServer *server = start_server ();
  static const char * const topics[] = { "jobs", "backtests", "optimisations", NULL };
  g_autoptr(JsonNode) live = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *path = NULL;
  g_autofree char *live_path = NULL;
  g_autofree char *row_name = NULL;
  BourseOptimisationView *view;
  BourseBacktestsPage *page;
  BourseWindow *window;
  GtkColumnView *columns;
  GtkWidget *dialog;
  JsonObject *optimisation, *result, *request;
  JsonArray *candidates;
  ParamsQuery params_query;
  double best_return = -G_MAXDOUBLE;
  gint64 id;

  live = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                      "{\"name\":\"crossing\",\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\","
                      "\"params\":{\"fast\":3,\"slow\":40},\"policy\":\"notify-only\"}", 201);
  /* Of another type: not offered. */
  other = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                       "{\"name\":\"other\",\"strategy\":\"rsi\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\","
                       "\"policy\":\"notify-only\"}", 201);
  live_path = g_strdup_printf ("/api/v1/strategies/%" PRId64, json_object_get_int_member (desk_object (live), "id"));

  window = open_window (server, NULL);
  page = wait_for_page (window, 0);
  wait_for_optimisations (page, 0);
  /* Neither list has anything: one status page, the lists not shown. */
  wait_for_status_page (page, "backtests-empty");
  g_assert_false (gtk_widget_is_visible (find_required (page, "optimisation-list")));
  wait_for_topics (window, topics);

  fill_form (server, page);
  g_assert_false (gtk_widget_is_visible (find_required (page, "method-row")));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_required (page, "mode-optimise")), TRUE);
  g_assert_true (gtk_widget_is_visible (find_required (page, "method-row")));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_required (page, "run-button"))), ==, "_Run Optimisation");
  search_param (page, "fast", "5", "15", "5");
  search_param (page, "slow", "10", "30", "10");
  set_text (page, "min-trades-row", "1");

  /* A refusal at its field: no fold can be made of none. */
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (find_required (page, "walk-forward-row")), TRUE);
  set_text (page, "folds-row", "0");
  click (find_required (page, "run-button"));
  wait_until (has_error_class, find_required (page, "folds-row"), "the folds to be marked");
  g_assert_cmpint (bourse_backtests_page_get_job_id (page), ==, 0);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (find_required (page, "walk-forward-row")), FALSE);

  click (find_required (page, "run-button"));
  wait_until (optimisation_is_shown, page, "the optimisation's result");
  id = bourse_backtests_page_get_shown_optimisation_id (page);
  g_assert_cmpint (bourse_backtests_page_get_job_id (page), ==, 0);

  path = g_strdup_printf ("/api/v1/optimisations/%" PRId64, id);
  stored = desk_expect (server, "GET", path, NULL, NULL, 200);
  optimisation = desk_object (stored);
  g_assert_cmpstr (json_object_get_string_member (optimisation, "status"), ==, "succeeded");
  request = json_object_get_object_member (optimisation, "request");
  g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "grid");
  g_assert_true (json_object_get_member (request, "walk_forward") == NULL ||
                 JSON_NODE_HOLDS_NULL (json_object_get_member (request, "walk_forward")));
  result = json_object_get_object_member (optimisation, "result");
  candidates = json_object_get_array_member (result, "candidates");
  g_assert_cmpuint (json_array_get_length (candidates), ==, 7);
  g_assert_cmpint (json_object_get_int_member (result, "invalid"), ==, 2);
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonObject *metrics = json_object_get_object_member (json_array_get_object_element (candidates, i), "metrics");

      best_return = MAX (best_return, json_object_get_double_member (metrics, "total_return"));
    }

  /* The table: a row per candidate, best first. */
  view = BOURSE_OPTIMISATION_VIEW (find_required (page, "optimisation-view"));
  g_assert_cmpuint (bourse_optimisation_view_get_n_rows (view), ==, json_array_get_length (candidates));
  g_assert_cmpint (json_object_get_int_member (bourse_optimisation_view_get_row (view, 0), "rank"), ==, 1);

  /* Sorted by a parameter, then by the return. */
  columns = GTK_COLUMN_VIEW (find_required (page, "candidates-view"));
  gtk_column_view_sort_by_column (columns, column_titled (columns, "fast"), GTK_SORT_DESCENDING);
  g_assert_cmpint (row_param (view, 0, "fast"), ==, 15);
  gtk_column_view_sort_by_column (columns, column_titled (columns, "fast"), GTK_SORT_ASCENDING);
  g_assert_cmpint (row_param (view, 0, "fast"), ==, 5);
  gtk_column_view_sort_by_column (columns, column_titled (columns, "Total Return"), GTK_SORT_DESCENDING);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (bourse_optimisation_view_get_row (view, 0),
                                                                                   "metrics"), "total_return"),
                     ==, best_return);

  /* The heatmap of fast across and slow up: seven of nine cells. */
  g_assert_true (gtk_widget_get_visible (find_required (page, "heatmap")));
  g_assert_cmpuint (bourse_heatmap_get_n_filled (BOURSE_HEATMAP (find_required (page, "heatmap"))), ==, 7);

  /* The list has it. */
  row_name = g_strdup_printf ("optimisation-row-%" PRId64, id);
  wait_for_optimisations (page, 1);
  g_assert_nonnull (find_widget (GTK_WIDGET (page), row_name));

  /* The winner applied to the live strategy of its type. */
  g_assert_true (gtk_widget_is_sensitive (find_required (page, "apply-button")));
  click (find_required (page, "apply-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "apply-optimisation-dialog", "the apply dialog");
  dialog = find_named_toplevel ("apply-optimisation-dialog");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (find_required (dialog, "live-strategy-dropdown")))),
                    ==, 1);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  params_query = (ParamsQuery) { server, live_path, json_object_get_object_member (optimisation, "best_params") };
  wait_until (strategy_has_params, &params_query, "the live strategy to take the winner's parameters");

  close_window (window);
  bourse_test_server_free (server);
}

/* A viewer reads an optimisation's result — its heatmap over any two of
 * the searched parameters, its walk-forward folds — but neither starts one
 * nor applies it. */
static void
test_optimise_viewer (void)
{
  BourseTestServer *server = start_server ();
  g_autoptr(JsonNode) started = NULL;
  g_autofree char *token = NULL;
  g_autofree char *first = local_day (N_CANDLES / 24 + 2);
  g_autofree char *tomorrow = local_day (-1);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  BourseBacktestsPage *page;
  BourseWindow *window;
  BourseHeatmap *heatmap;
  GtkDropDown *x_axis, *y_axis;
  StatusQuery query;
  gint64 id;

  body = g_strdup_printf ("{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\","
                          "\"start\":\"%sT00:00:00Z\",\"end\":\"%sT00:00:00Z\","
                          "\"space\":{\"fast\":[5,10,15],\"slow\":[20,30],\"stop_atr\":[1.5,2,2.5,3]},"
                          "\"method\":\"grid\",\"walk_forward\":{\"folds\":2}}",
                          first, tomorrow);
  started = desk_expect (server, "POST", "/api/v1/optimisations", NULL, body, 202);
  id = json_object_get_int_member (json_object_get_object_member (desk_object (started), "optimisation"), "id");
  path = g_strdup_printf ("/api/v1/optimisations/%" PRId64, id);
  query = (StatusQuery) { server, path, "succeeded" };
  wait_until (backtest_has_status, &query, "the optimisation to succeed");

  desk_create_user (server, "vera", "viewer");
  token = desk_login (server, "vera", "viewer");
  window = open_window (server, token);
  page = wait_for_page (window, 0);
  wait_for_optimisations (page, 1);

  g_assert_false (gtk_widget_is_visible (find_required (page, "mode-optimise")));
  g_assert_false (gtk_widget_is_visible (find_required (page, "run-button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "backtests.show-optimisation", "x", id));
  wait_until (optimisation_is_shown, page, "the optimisation's result");
  g_assert_cmpuint (bourse_optimisation_view_get_n_rows (BOURSE_OPTIMISATION_VIEW (find_required (page, "optimisation-view"))),
                    ==, 24);
  g_assert_false (gtk_widget_get_visible (find_required (page, "apply-button")));

  /* The heatmap over the two parameters chosen, of three searched: fast
   * (3 values) × slow (2) to begin with, then fast × stop_atr (4), then
   * slow × stop_atr; the same parameter twice is no map. */
  heatmap = BOURSE_HEATMAP (find_required (page, "heatmap"));
  x_axis = GTK_DROP_DOWN (find_required (page, "heatmap-x"));
  y_axis = GTK_DROP_DOWN (find_required (page, "heatmap-y"));
  g_assert_true (gtk_widget_get_visible (find_required (page, "heatmap")));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (x_axis)), ==, 3);
  g_assert_cmpuint (bourse_heatmap_get_n_filled (heatmap), ==, 3 * 2);
  gtk_drop_down_set_selected (y_axis, 2);
  g_assert_cmpuint (bourse_heatmap_get_n_filled (heatmap), ==, 3 * 4);
  gtk_drop_down_set_selected (x_axis, 1);
  g_assert_cmpuint (bourse_heatmap_get_n_filled (heatmap), ==, 2 * 4);
  gtk_drop_down_set_selected (x_axis, 2);
  g_assert_cmpuint (bourse_heatmap_get_n_filled (heatmap), ==, 0);

  /* The walk-forward: a row per fold, and the out-of-sample figure beside
   * the in-sample one. */
  g_assert_true (gtk_widget_get_visible (find_required (page, "folds-box")));
  g_assert_nonnull (find_widget (GTK_WIDGET (page), "fold-2-out-of-sample"));
  g_assert_null (find_widget (GTK_WIDGET (page), "fold-3-out-of-sample"));
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "folds-in-sample"), !=, "");
  g_assert_cmpstr (label_text (GTK_WIDGET (page), "folds-out-of-sample"), !=, "");

  close_window (window);
  bourse_test_server_free (server);
}

/* }}} */

/* The list on the model layer {{{ */

typedef struct
{
  GtkWidget  *page;
  const char *name;
} RowQuery;

static gboolean
row_is_listed (gpointer data)
{
  RowQuery *query = data;

  return find_widget (query->page, query->name) != NULL;
}

static gboolean
row_is_gone (gpointer data)
{
  return !row_is_listed (data);
}

static gboolean
row_shows_progress (gpointer data)
{
  return gtk_widget_get_visible (find_required (data, "progress"));
}

static gboolean
row_says_finished (gpointer data)
{
  return strstr (adw_action_row_get_subtitle (data), "Finished") != NULL;
}

/* A run started through the API, not the page, comes into the list at
 * once on the backtests topic; its job's progress shows on its row (the
 * jobs topic), its end updates the same row, and a deletion through the
 * API takes it away. */
static void
test_live_list (void)
{
  BourseTestServer *server = start_server ();
  static const char * const topics[] = { "jobs", "backtests", NULL };
  g_autofree char *first = local_day (N_CANDLES / 24 + 2);
  g_autofree char *tomorrow = local_day (-1);
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *row_name = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *expected = NULL;
  BourseBacktestsPage *page;
  BourseWindow *window;
  GtkWidget *row;
  RowQuery query;
  gint64 id;

  desk_gate_reset ();
  window = open_window (server, NULL);
  page = wait_for_page (window, 0);
  wait_for_topics (window, topics);
  /* Nothing run yet: the status page, with the way to run one. */
  {
    GtkWidget *empty = wait_for_status_page (page, "backtests-empty");

    g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Backtests Yet");
    g_assert_true (g_str_has_prefix (adw_status_page_get_description (ADW_STATUS_PAGE (empty)),
                                     "Run one with the form below"));
    g_assert_false (gtk_widget_is_visible (find_required (page, "backtest-list")));
  }

  body = g_strdup_printf ("{\"strategy\":\"test-gate\",\"params\":{\"n\":1},\"symbol\":\"" SYMBOL "\","
                          "\"interval\":\"1h\",\"start\":\"%sT00:00:00Z\",\"end\":\"%sT00:00:00Z\"}",
                          first, tomorrow);
  started = desk_expect (server, "POST", "/api/v1/backtests", NULL, body, 202);
  id = json_object_get_int_member (json_object_get_object_member (desk_object (started), "backtest"), "id");
  path = g_strdup_printf ("/api/v1/backtests/%" PRId64, id);
  row_name = g_strdup_printf ("backtest-row-%" PRId64, id);

  /* Listed while it runs, held at the gate, its progress shown. */
  query = (RowQuery) { GTK_WIDGET (page), row_name };
  wait_until (row_is_listed, &query, "the backtest made through the API to be listed");
  g_assert_cmpint (bourse_backtests_page_get_n_backtests (page), ==, 1);
  /* The first run: the list takes the status page's place; the empty
   * optimisations are not shown. */
  wait_for_status_page_gone (page, "backtests-empty");
  g_assert_true (gtk_widget_get_mapped (find_required (page, row_name)));
  g_assert_false (gtk_widget_is_visible (find_required (page, "optimisation-list")));
  g_assert_cmpint (bourse_backtests_page_get_job_id (page), ==, 0);
  row = find_required (page, row_name);
  wait_until (desk_gate_is_entered, NULL, "the run to reach the gate");
  wait_until (row_shows_progress, row, "the row to show the run's progress");
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Finished"));

  /* Its end updates the same row: the state, the return, no progress. */
  desk_gate_release (FALSE);
  wait_until (row_says_finished, row, "the row to show the run finished");
  g_assert_true (find_required (page, row_name) == row);
  g_assert_false (gtk_widget_get_visible (find_required (row, "progress")));
  stored = desk_expect (server, "GET", path, NULL, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (stored), "status"), ==, "succeeded");
  expected = percent (json_object_get_object_member (desk_object (stored), "summary"), "total_return");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), expected));

  /* Its result shown, then deleted through the API: the row and the
   * result go. */
  g_assert_true (gtk_widget_activate_action (row, "backtests.show", "x", id));
  wait_until (result_is_shown, page, "the backtest's result");
  g_assert_null (desk_expect (server, "DELETE", path, NULL, NULL, 204));
  wait_until (row_is_gone, &query, "the deleted backtest's row to go");
  g_assert_cmpint (bourse_backtests_page_get_n_backtests (page), ==, 0);
  wait_for_status_page (page, "backtests-empty");
  g_assert_false (gtk_widget_is_visible (find_required (page, "backtest-list")));
  g_assert_cmpint (bourse_backtests_page_get_shown_id (page), ==, 0);

  close_window (window);
  bourse_test_server_free (server);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!gui_test_init (&argc, &argv, &tmp_dir))
    return 0;
  desk_gate_register ();

  g_test_add_func ("/backtests/run", test_run);
  g_test_add_func ("/backtests/refused", test_refused);
  g_test_add_func ("/backtests/cancel", test_cancel);
  g_test_add_func ("/backtests/viewer", test_viewer);
  g_test_add_func ("/backtests/optimise", test_optimise);
  g_test_add_func ("/backtests/optimise-viewer", test_optimise_viewer);
  g_test_add_func ("/backtests/live-list", test_live_list);

  ret = g_test_run ();

  gui_test_cleanup (&tmp_dir);

  return ret;
}
