/* test-markets.c — the Markets page against a real engine and server
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine and its server run in this thread (tests/integration's
 * BourseTestServer) rather than in BourseLocalEngine's: the test then
 * reaches the engine's store to write candles and its event bus to publish
 * what the feeds will, and the page still sees all of it only through
 * BourseClient, REST and the WebSocket.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "market/bourse-candles.h"
#include "market/bourse-instruments.h"

#include "bourse-desktop-settings.h"
#include "bourse-download-dialog.h"
#include "bourse-import-dialog.h"
#include "bourse-markets-page.h"
#include "bourse-page-header.h"
#include "bourse-window.h"

#include "../integration/bourse-test-server.h"
#include "gui-util.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)
#define DAY_MS    (24 * HOUR_MS)

static gboolean have_display;

typedef struct
{
  BourseTestServer  *server;
  BourseClient      *client;
  GtkWidget         *window;
  BourseMarketsPage *page;
  BourseCandleChart *chart;
} Fixture;

/* Helpers {{{ */

static gboolean
client_is_connected (gpointer data)
{
  return bourse_client_get_connected (data);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_display)
    return;

  fixture->server = bourse_test_server_new (TRUE, NULL);

  fixture->client = bourse_client_new (fixture->server->base_url);
  bourse_client_set_token (fixture->client, fixture->server->token);
  bourse_client_connect_async (fixture->client, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the WebSocket to connect");
  g_assert_true (bourse_client_connect_finish (fixture->client, result, &error));
  g_assert_no_error (error);
  wait_until (client_is_connected, fixture->client, "the client to be connected");
}

/* What @role may do, as the server's GET /api/v1/permissions answers it
 * (NULL: nothing). */
static void
set_role (BourseMarketsPage *page,
          const char        *role)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) permissions = NULL;
  JsonArray *list;
  BourseRole parsed;

  if (role == NULL || !bourse_role_parse (role, &parsed))
    {
      bourse_markets_page_set_permissions (page, NULL);
      return;
    }
  answer = bourse_permissions_to_json (parsed);
  list = json_object_get_array_member (json_node_get_object (answer), "permissions");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_strv_builder_add (builder, json_array_get_string_element (list, i));
  permissions = g_strv_builder_end (builder);
  bourse_markets_page_set_permissions (page, (const char * const *) permissions);
}

static void
open_page (Fixture    *fixture,
           const char *role)
{
  fixture->window = gtk_window_new ();
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  fixture->page = BOURSE_MARKETS_PAGE (bourse_markets_page_new ());
  fixture->chart = bourse_markets_page_get_chart (fixture->page);
  set_role (fixture->page, role);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  bourse_markets_page_set_client (fixture->page, fixture->client);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static gboolean
client_is_disconnected (gpointer data)
{
  return !bourse_client_get_connected (data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->server == NULL)
    return;

  if (fixture->window != NULL)
    {
      GtkWidget *window = fixture->window;
      BourseMarketsPage *page = fixture->page;

      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
      g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      g_clear_object (&fixture->window);
      /* Requests in flight hold the page until they are answered. */
      wait_until (pointer_is_null, &window, "the window to be finalized");
      wait_until (pointer_is_null, &page, "the page to be finalized");
    }

  bourse_client_close (fixture->client);
  wait_until (client_is_disconnected, fixture->client, "the WebSocket to close");
  {
    BourseClient *client = g_steal_pointer (&fixture->client);

    /* Cancelled requests hold it until their callbacks have run. */
    g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
    g_object_unref (client);
    wait_until (pointer_is_null, &client, "the client to be finalized");
  }
  bourse_test_server_free (g_steal_pointer (&fixture->server));
}

static void
create_instrument_from (Fixture    *fixture,
                        const char *symbol,
                        const char *source)
{
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"%s\",\"base_asset\":\"TEST\",\"quote_asset\":\"USDT\","
                                           "\"tick_size\":\"0.01\",\"lot_step\":\"0.001\","
                                           "\"source\":\"%s\"}", symbol, source);
  g_autoptr(BourseTestResponse) response = NULL;

  response = bourse_test_fetch (fixture->server, "POST", "/api/v1/instruments", NULL,
                                "application/json", body, -1);
  g_assert_cmpuint (response->status, ==, 201);
}

static void
create_instrument (Fixture    *fixture,
                   const char *symbol)
{
  create_instrument_from (fixture, symbol, "csv");
}

static BourseCandle
make_candle (gint64 open_time,
             gint64 cents)
{
  BourseCandle candle = { 0 };

  /* Cents as decimal units (10^-8). */
  candle.open_time = open_time;
  candle.open.units = cents * 1000000;
  candle.close.units = (cents + (open_time / MINUTE_MS % 7) - 3) * 1000000;
  candle.high.units = MAX (candle.open.units, candle.close.units) + 50 * 1000000;
  candle.low.units = MIN (candle.open.units, candle.close.units) - 50 * 1000000;
  candle.volume.units = (open_time / MINUTE_MS % 100 + 1) * 100000000;
  candle.trades = 5;
  candle.closed = TRUE;

  return candle;
}

/* @n candles of @interval for @symbol, the last one opening at @last. */
static void
insert_candles (Fixture    *fixture,
                const char *symbol,
                const char *interval_name,
                gint64      last,
                guint       n)
{
  BourseStore *store = bourse_engine_get_store (fixture->server->engine);
  g_autoptr(GArray) candles = g_array_new (FALSE, FALSE, sizeof (BourseCandle));
  g_autoptr(GError) error = NULL;
  BourseInstrument *instrument;
  BourseInterval interval;
  gint64 spacing;

  g_assert_true (bourse_interval_parse (interval_name, &interval, NULL));
  spacing = bourse_interval_next (interval, last) - last;
  instrument = bourse_instruments_find (store, symbol, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n; i++)
    {
      BourseCandle candle = make_candle (last - (gint64) (n - 1 - i) * spacing, 10000 + i % 500);

      g_array_append_val (candles, candle);
    }

  bourse_candles_upsert (store, instrument->id, interval, (BourseCandle *) candles->data,
                         candles->len, NULL, &error);
  g_assert_no_error (error);
  bourse_instrument_free (instrument);
}

static void
publish (Fixture    *fixture,
         const char *topic,
         const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  bourse_event_bus_publish (bourse_engine_get_event_bus (fixture->server->engine), topic, node);
}

static gint64
current (gint64 spacing)
{
  gint64 now = g_get_real_time () / 1000;

  return now - now % spacing;
}

typedef struct
{
  GtkWidget  *root;
  const char *stack;
  const char *child;
} StackQuery;

static gboolean
stack_shows (gpointer data)
{
  StackQuery *query = data;
  GtkWidget *stack = find_widget (query->root, query->stack);

  return stack != NULL &&
         g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), query->child) == 0;
}

static void
wait_for_chart_state (Fixture    *fixture,
                      const char *state)
{
  StackQuery query = { GTK_WIDGET (fixture->page), "chart-stack", state };
  g_autofree char *what = g_strdup_printf ("the chart to show “%s”", state);

  wait_until (stack_shows, &query, what);
}

typedef struct
{
  BourseCandleChart *chart;
  guint              n;
} CountQuery;

static gboolean
chart_has_n (gpointer data)
{
  CountQuery *query = data;

  return bourse_candle_chart_get_n_candles (query->chart) == query->n;
}

static void
wait_for_candles (Fixture *fixture,
                  guint    n)
{
  CountQuery query = { fixture->chart, n };
  g_autofree char *what = g_strdup_printf ("the chart to hold %u candles", n);

  wait_until (chart_has_n, &query, what);
}

/* The page's first page of history (PAGE_LIMIT in bourse-markets-page.c). */
#define FIRST_PAGE 1000

/* @n candles, paged through as the user would: the newest page first, then
 * a page more each time the chart is taken to its start (load-older). */
static void
wait_for_history (Fixture *fixture,
                  guint    n)
{
  wait_for_candles (fixture, MIN (n, FIRST_PAGE));
  for (guint round = 0; round < 20 && bourse_candle_chart_get_n_candles (fixture->chart) < n; round++)
    {
      CountQuery query = { fixture->chart, 0 };

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->chart), "chart.start", NULL));
      query.n = MIN (bourse_candle_chart_get_n_candles (fixture->chart) + FIRST_PAGE, n);
      wait_until (chart_has_n, &query, "older candles");
    }
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, n);
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
  const char *text;
} LabelQuery;

static gboolean
label_reads (gpointer data)
{
  LabelQuery *query = data;
  GtkWidget *label = find_widget (query->root, query->name);

  return label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), query->text) == 0;
}

static void
wait_for_label (GtkWidget  *root,
                const char *name,
                const char *text)
{
  LabelQuery query = { root, name, text };
  g_autofree char *what = g_strdup_printf ("“%s” to read “%s”", name, text);

  wait_until (label_reads, &query, what);
}

/* Whether the API has the route: 404 means no such path at all, while a
 * path served for other methods answers 405. */
static gboolean
route_exists (Fixture    *fixture,
              const char *method,
              const char *path)
{
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (fixture->server, method, path,
                                                              NULL, NULL, NULL, 0);

  return response->status != 404;
}

static void
select_combo (GtkWidget  *root,
              const char *name,
              const char *value)
{
  GtkWidget *row = find_widget (root, name);
  GListModel *model;

  g_assert_nonnull (row);
  model = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), value) == 0)
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
          return;
        }
    }

  g_error ("No “%s” in %s", value, name);
}

static gboolean
widget_is_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
toplevel_is_gone (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

typedef struct
{
  BourseClient *client;
  const char   *topic;
  gboolean      subscribed;
} TopicQuery;

static gboolean
topic_is (gpointer data)
{
  TopicQuery *query = data;

  return bourse_client_is_subscribed (query->client, query->topic) == query->subscribed;
}

static void
change_instrument (Fixture    *fixture,
                   const char *method,
                   const char *symbol,
                   const char *body,
                   guint       status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/instruments/%s", symbol);
  g_autoptr(BourseTestResponse) response = NULL;

  response = bourse_test_fetch (fixture->server, method, path, NULL,
                                body != NULL ? "application/json" : NULL, body, -1);
  g_assert_cmpuint (response->status, ==, status);
}

/* Deleted through the API, and its row gone. */
static void
delete_instrument (Fixture    *fixture,
                   const char *symbol)
{
  g_autofree char *name = g_strdup_printf ("instrument-row-%s", symbol);
  WidgetQuery query = { GTK_WIDGET (fixture->page), name };

  change_instrument (fixture, "DELETE", symbol, NULL, 204);
  wait_until (widget_is_gone, &query, "the deleted instrument's row to go");
}

/* The rows there before a change, by symbol: none is made again. */
static void
assert_rows_kept (Fixture     *fixture,
                  GtkWidget  **rows,
                  const char **symbols)
{
  for (guint i = 0; symbols[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("instrument-row-%s", symbols[i]);

      g_assert_true (find_widget (GTK_WIDGET (fixture->page), name) == rows[i]);
    }
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { if (!have_display) { g_test_skip ("no display"); return; } } G_STMT_END

/* }}} */

static void
test_numbers (void)
{
  BourseChartCandle candle;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *cut = bourse_format_decimal ("65000.12345678", 2);
  g_autofree char *padded = bourse_format_decimal ("7", 3);
  g_autofree char *whole = bourse_format_decimal ("-12.50000000", 0);
  g_autofree char *junk = bourse_format_decimal ("1e5", 2);
  g_autofree char *none = bourse_format_decimal (NULL, 2);

  /* Cut, never rounded through a double. */
  g_assert_cmpstr (cut, ==, "65000.12");
  g_assert_cmpstr (padded, ==, "7.000");
  g_assert_cmpstr (whole, ==, "-12");
  g_assert_cmpstr (junk, ==, "1e5");
  g_assert_cmpstr (none, ==, "—");

  g_assert_cmpint (bourse_decimal_places ("0.01000000"), ==, 2);
  g_assert_cmpint (bourse_decimal_places ("1.00000000"), ==, 0);
  g_assert_cmpint (bourse_decimal_places ("0.00000001"), ==, 8);
  g_assert_cmpint (bourse_decimal_places ("5"), ==, 0);

  node = json_from_string ("{\"open_time\":1767225600000,\"open\":\"1.5\",\"high\":\"2.25\","
                           "\"low\":\"1.00000000\",\"close\":\"2\",\"volume\":\"10\",\"closed\":true}", NULL);
  g_assert_true (bourse_chart_candle_from_json (json_node_get_object (node), &candle));
  g_assert_cmpint (candle.open_time, ==, G_GINT64_CONSTANT (1767225600000));
  g_assert_cmpfloat (candle.high, ==, 2.25);
  g_assert_true (candle.closed);
  json_object_set_string_member (json_node_get_object (node), "close", "2x");
  g_assert_false (bourse_chart_candle_from_json (json_node_get_object (node), &candle));
  json_object_set_double_member (json_node_get_object (node), "close", 2.0);
  g_assert_false (bourse_chart_candle_from_json (json_node_get_object (node), &candle));
}

static void
test_instruments (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *row;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  open_page (fixture, "admin");

  /* The demo instruments, labelled simulated, and ours, which is not. */
  row = wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-TESTUSDT");
  g_assert_false (gtk_widget_get_visible (find_widget (row, "simulated-tag")));
  g_assert_cmpstr (label_text (row, "pair"), ==, "TEST / USDT");
  for (guint i = 0; i < 3; i++)
    {
      static const char *demo[] = { "instrument-row-BTCUSDT", "instrument-row-ETHUSDT",
                                    "instrument-row-SOLUSDT" };

      row = find_widget (GTK_WIDGET (fixture->page), demo[i]);
      g_assert_nonnull (row);
      g_assert_true (gtk_widget_get_visible (find_widget (row, "simulated-tag")));
    }

  /* The first one is selected and charted; without candles, it says so. */
  g_assert_cmpstr (bourse_markets_page_get_symbol (fixture->page), ==, "BTCUSDT");
  g_assert_cmpstr (bourse_markets_page_get_interval (fixture->page), ==, "1m");
  g_assert_cmpstr (label_text (GTK_WIDGET (fixture->page), "symbol-label"), ==, "BTCUSDT");
  g_assert_true (gtk_widget_get_visible (find_widget (GTK_WIDGET (fixture->page), "chart-simulated-tag")));

  /* The simulated feed is off here: no candles, and the page says so. */
  wait_for_chart_state (fixture, "empty");
  g_assert_nonnull (strstr (adw_status_page_get_description (
                              ADW_STATUS_PAGE (find_widget (GTK_WIDGET (fixture->page), "chart-empty-page"))),
                            "BTCUSDT"));

  /* An instrument made through the API shows up by itself ("instruments"
   * topic), and goes when it is deleted; the selection survives both. */
  create_instrument (fixture, "NEWUSDT");
  wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-NEWUSDT");
  g_assert_cmpstr (bourse_markets_page_get_symbol (fixture->page), ==, "BTCUSDT");
  delete_instrument (fixture, "NEWUSDT");
  g_assert_cmpstr (bourse_markets_page_get_symbol (fixture->page), ==, "BTCUSDT");
}

/* Instruments made, changed and deleted elsewhere come to the list one
 * row at a time: the others, the focus and the selection stay. */
static void
test_live_list (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *symbols[] = { "BTCUSDT", "ETHUSDT", "SOLUSDT", "TESTUSDT", NULL };
  GtkWidget *rows[G_N_ELEMENTS (symbols) - 1];
  GtkListBox *list;
  GtkWidget *focused;
  GtkWidget *added;
  TopicQuery query;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  open_page (fixture, "admin");
  for (guint i = 0; symbols[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("instrument-row-%s", symbols[i]);

      rows[i] = wait_for_widget_named (GTK_WIDGET (fixture->page), name);
    }
  list = GTK_LIST_BOX (find_widget (GTK_WIDGET (fixture->page), "instrument-list"));
  query = (TopicQuery) { fixture->client, "instruments", TRUE };
  wait_until (topic_is, &query, "the instruments topic to be subscribed");

  /* The user on the second row. */
  focused = rows[1];
  gtk_list_box_select_row (list, GTK_LIST_BOX_ROW (focused));
  gtk_widget_grab_focus (focused);
  g_assert_cmpstr (bourse_markets_page_get_symbol (fixture->page), ==, "ETHUSDT");
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == focused);

  /* A new one goes in its place in the order (first, here), alone. */
  create_instrument (fixture, "ADAUSDT");
  added = wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-ADAUSDT");
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (added)), ==, 0);
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (focused)), ==, 2);
  assert_rows_kept (fixture, rows, symbols);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == focused);
  g_assert_true (gtk_list_box_get_selected_row (list) == GTK_LIST_BOX_ROW (focused));
  g_assert_cmpstr (bourse_markets_page_get_symbol (fixture->page), ==, "ETHUSDT");
  query = (TopicQuery) { fixture->client, "ticker:ADAUSDT", TRUE };
  wait_until (topic_is, &query, "the new instrument's ticker to be followed");

  /* A changed one shows it in the same row: halted, and prices to its
   * new tick size. */
  g_assert_false (gtk_widget_get_visible (find_widget (rows[3], "halted-tag")));
  change_instrument (fixture, "PUT", "TESTUSDT", "{\"status\":\"halted\",\"tick_size\":\"0.0001\"}", 200);
  wait_until (widget_is_visible, find_widget (rows[3], "halted-tag"), "the instrument to show halted");
  publish (fixture, "ticker:TESTUSDT",
           "{\"symbol\":\"TESTUSDT\",\"last_price\":\"123.50000000\",\"change_percent\":\"1.00\"}");
  wait_for_label (rows[3], "last-price", "123.5000");
  assert_rows_kept (fixture, rows, symbols);

  /* One deleted takes its row and its ticker away, and nothing else. */
  delete_instrument (fixture, "ADAUSDT");
  query = (TopicQuery) { fixture->client, "ticker:ADAUSDT", FALSE };
  wait_until (topic_is, &query, "the deleted instrument's ticker to be left");
  assert_rows_kept (fixture, rows, symbols);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == focused);
  g_assert_true (gtk_list_box_get_selected_row (list) == GTK_LIST_BOX_ROW (focused));

  /* The one charted deleted: the first is charted instead. */
  delete_instrument (fixture, "ETHUSDT");
  g_assert_cmpstr (bourse_markets_page_get_symbol (fixture->page), ==, "BTCUSDT");
  g_assert_true (gtk_list_box_get_selected_row (list) == GTK_LIST_BOX_ROW (rows[0]));
  g_assert_true (find_widget (GTK_WIDGET (fixture->page), "instrument-row-SOLUSDT") == rows[2]);
}

static void
test_chart_history (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 last = current (MINUTE_MS);
  const BourseChartCandle *latest;
  GtkListBoxRow *row;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  insert_candles (fixture, "TESTUSDT", "1m", last, 1500);
  insert_candles (fixture, "TESTUSDT", "1h", current (HOUR_MS), 100);
  open_page (fixture, "viewer");

  /* Chosen in the list, as the user would. */
  row = GTK_LIST_BOX_ROW (wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-TESTUSDT"));
  gtk_list_box_select_row (GTK_LIST_BOX (find_widget (GTK_WIDGET (fixture->page), "instrument-list")), row);
  g_assert_cmpstr (bourse_markets_page_get_symbol (fixture->page), ==, "TESTUSDT");

  wait_for_chart_state (fixture, "chart");
  /* The newest page first, ending at the latest candle, then the rest. */
  wait_for_candles (fixture, FIRST_PAGE);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, FIRST_PAGE - 1)->open_time, ==, last);
  g_assert_true (bourse_candle_chart_get_following (fixture->chart));
  wait_for_history (fixture, 1500);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, 0)->open_time, ==, last - 1499 * MINUTE_MS);
  latest = bourse_candle_chart_get_candle (fixture->chart, 1499);
  g_assert_cmpint (latest->open_time, ==, last);
  {
    BourseCandle expected = make_candle (last, 10000 + 1499 % 500);

    g_assert_cmpfloat_with_epsilon (latest->close, expected.close.units / 1e8, 1e-9);
    g_assert_cmpfloat_with_epsilon (latest->volume, expected.volume.units / 1e8, 1e-9);
  }
  /* The tick size says how many decimals. */
  g_assert_cmpint (bourse_candle_chart_get_price_decimals (fixture->chart), ==, 2);
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (fixture->page), "chart-simulated-tag")));

  /* The row shows the ticker the API gives (once it has one). */
  {
    g_autoptr(BourseTestResponse) response = bourse_test_fetch (fixture->server, "GET",
                                                                "/api/v1/market/ticker/TESTUSDT",
                                                                NULL, NULL, NULL, 0);
    g_autoptr(JsonNode) ticker = NULL;
    const char *last_price = NULL;

    if (response->status == 200)
      {
        ticker = bourse_test_response_json (response);
        last_price = json_object_get_string_member_with_default (json_node_get_object (ticker),
                                                                 "last_price", NULL);
      }
    if (last_price != NULL)
      {
        g_autofree char *shown = bourse_format_decimal (last_price, 2);

        wait_for_label (GTK_WIDGET (row), "last-price", shown);
        g_test_message ("Ticker: %s", shown);
      }
    else
      g_test_message ("No ticker (%u)", response->status);
  }

  /* Another interval: another history, and its button is the active one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "markets.interval", "s", "1h"));
  g_assert_cmpstr (bourse_markets_page_get_interval (fixture->page), ==, "1h");
  wait_for_candles (fixture, 100);
  wait_for_chart_state (fixture, "chart");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                   find_widget (GTK_WIDGET (fixture->page), "interval-1h"))));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
                    find_widget (GTK_WIDGET (fixture->page), "interval-1m"))));

  /* An interval without candles. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "markets.interval", "s", "1d"));
  wait_for_chart_state (fixture, "empty");
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, 0);

  /* Clicking the button does the same as the action. */
  g_signal_emit_by_name (find_widget (GTK_WIDGET (fixture->page), "interval-1m"), "clicked");
  wait_for_history (fixture, 1500);
}

static void
test_older_history (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 last = current (MINUTE_MS);
  guint n;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  insert_candles (fixture, "TESTUSDT", "1m", last, 8000);
  open_page (fixture, "viewer");
  bourse_markets_page_set_symbol (fixture->page, "TESTUSDT");

  /* The most recent window first… */
  wait_for_chart_state (fixture, "chart");
  n = bourse_candle_chart_get_n_candles (fixture->chart);
  g_assert_cmpuint (n, >=, FIRST_PAGE - 1);
  g_assert_cmpuint (n, <=, FIRST_PAGE);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, n - 1)->open_time, ==, last);

  /* …the older ones as the user goes back in time. */
  for (guint round = 0; round < 10 && bourse_candle_chart_get_n_candles (fixture->chart) < 8000; round++)
    {
      CountQuery query = { fixture->chart, 0 };

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->chart), "chart.start", NULL));
      n = bourse_candle_chart_get_n_candles (fixture->chart);
      query.n = MIN (n + FIRST_PAGE, 8000);
      wait_until (chart_has_n, &query, "older candles");
    }
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, 8000);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, 0)->open_time, ==,
                   last - 7999 * MINUTE_MS);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, 7999)->open_time, ==, last);

  /* Nothing before the first: no more requests, no change. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->chart), "chart.end", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->chart), "chart.start", NULL));
  spin (200);
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, 8000);
}

/* Preferences → Chart Interval (GSettings' default-interval): the window
 * opens its chart on that interval's candles, and the interval's toggle and
 * drop-down say so. */
static void
test_default_interval (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSettings) settings = NULL;
  gint64 last_hour = current (HOUR_MS);
  const BourseChartCandle *candle;
  BourseMarketsPage *page;
  BourseWindow *window;
  GtkListBoxRow *row;
  GtkDropDown *dropdown;
  GObject *shown;

  SKIP_WITHOUT_DISPLAY ();

  settings = bourse_settings_new ();
  g_assert_nonnull (settings);
  create_instrument (fixture, "TESTUSDT");
  insert_candles (fixture, "TESTUSDT", "1m", current (MINUTE_MS), 300);
  insert_candles (fixture, "TESTUSDT", "1h", last_hour, 40);
  g_settings_set_string (settings, "default-interval", "1h");

  window = open_signed_in_window (fixture->server->base_url, fixture->server->token);
  page = BOURSE_MARKETS_PAGE (find_required (window, "markets-page"));
  fixture->chart = bourse_markets_page_get_chart (page);
  g_assert_cmpstr (bourse_markets_page_get_interval (page), ==, "1h");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_required (page, "interval-1h"))));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_required (page, "interval-1m"))));
  dropdown = GTK_DROP_DOWN (find_required (page, "interval-dropdown"));
  shown = gtk_drop_down_get_selected_item (dropdown);
  g_assert_nonnull (shown);
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (shown)), ==, "1h");

  /* The hourly candles, not the minutes'. */
  row = GTK_LIST_BOX_ROW (wait_for_widget_named (GTK_WIDGET (page), "instrument-row-TESTUSDT"));
  gtk_list_box_select_row (GTK_LIST_BOX (find_required (page, "instrument-list")), row);
  wait_for_candles (fixture, 40);
  candle = bourse_candle_chart_get_candle (fixture->chart, 39);
  g_assert_cmpint (candle->open_time, ==, last_hour);
  g_assert_cmpint (candle->open_time - bourse_candle_chart_get_candle (fixture->chart, 38)->open_time, ==, HOUR_MS);
  g_assert_cmpstr (bourse_markets_page_get_interval (page), ==, "1h");

  fixture->chart = NULL;
  close_window (window);
  g_settings_reset (settings, "default-interval");
}

/* History that ends long ago, with a gap: found all the same, newest first. */
static void
test_history_with_gaps (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 recent_block = current (HOUR_MS) - 400 * DAY_MS;
  gint64 old_block = current (HOUR_MS) - 800 * DAY_MS;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  insert_candles (fixture, "TESTUSDT", "1h", recent_block, 500);
  insert_candles (fixture, "TESTUSDT", "1h", old_block, 300);
  open_page (fixture, "viewer");
  bourse_markets_page_set_interval (fixture->page, "1h");
  bourse_markets_page_set_symbol (fixture->page, "TESTUSDT");

  /* One page (before=latest) reaches across the gap. */
  wait_for_chart_state (fixture, "chart");
  wait_for_candles (fixture, 800);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, 799)->open_time, ==, recent_block);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, 300)->open_time, ==,
                   recent_block - 499 * HOUR_MS);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, 299)->open_time, ==, old_block);
  g_assert_cmpint (bourse_candle_chart_get_candle (fixture->chart, 0)->open_time, ==,
                   old_block - 299 * HOUR_MS);

  /* It was the last page: going back asks for nothing more. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->chart), "chart.start", NULL));
  spin (200);
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, 800);
}

typedef struct
{
  BourseCandleChart *chart;
  guint              index;
  double             close;
} CloseQuery;

static gboolean
chart_close_is (gpointer data)
{
  CloseQuery *query = data;

  return bourse_candle_chart_get_n_candles (query->chart) > query->index &&
         bourse_candle_chart_get_candle (query->chart, query->index)->close == query->close;
}

static gboolean
has_css_class (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  gint64 last = current (MINUTE_MS);
  g_autofree char *forming = NULL;
  g_autofree char *next = NULL;
  CloseQuery query;
  GtkWidget *row;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  insert_candles (fixture, "TESTUSDT", "1m", last, 200);
  open_page (fixture, "viewer");
  bourse_markets_page_set_symbol (fixture->page, "TESTUSDT");
  wait_for_candles (fixture, 200);
  wait_for_chart_state (fixture, "chart");

  /* The forming candle moves… */
  forming = g_strdup_printf ("{\"symbol\":\"TESTUSDT\",\"interval\":\"1m\",\"open_time\":%" G_GINT64_FORMAT ","
                             "\"close_time\":%" G_GINT64_FORMAT ",\"open\":\"100.00000000\","
                             "\"high\":\"130.00000000\",\"low\":\"99.00000000\",\"close\":\"123.45000000\","
                             "\"volume\":\"5.00000000\",\"trades\":9,\"closed\":false}",
                             last, last + MINUTE_MS - 1);
  publish (fixture, "candles:TESTUSDT:1m", forming);
  query = (CloseQuery) { fixture->chart, 199, 123.45 };
  wait_until (chart_close_is, &query, "the forming candle to change");
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, 200);
  g_assert_false (bourse_candle_chart_get_candle (fixture->chart, 199)->closed);

  /* …and the next one opens. */
  next = g_strdup_printf ("{\"symbol\":\"TESTUSDT\",\"interval\":\"1m\",\"open_time\":%" G_GINT64_FORMAT ","
                          "\"close_time\":%" G_GINT64_FORMAT ",\"open\":\"123.45000000\","
                          "\"high\":\"124.00000000\",\"low\":\"123.00000000\",\"close\":\"123.50000000\","
                          "\"volume\":\"1.00000000\",\"trades\":1,\"closed\":false}",
                          last + MINUTE_MS, last + 2 * MINUTE_MS - 1);
  publish (fixture, "candles:TESTUSDT:1m", next);
  wait_for_candles (fixture, 201);
  g_assert_cmpfloat (bourse_candle_chart_get_candle (fixture->chart, 200)->close, ==, 123.5);
  g_assert_true (bourse_candle_chart_get_following (fixture->chart));
  g_assert_cmpint (bourse_candle_chart_get_last_visible (fixture->chart), ==, 200);

  /* Another interval's candles are not this chart's. */
  publish (fixture, "candles:TESTUSDT:5m", next);
  spin (100);
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, 201);

  /* A ticker event updates the row. */
  row = find_widget (GTK_WIDGET (fixture->page), "instrument-row-TESTUSDT");
  publish (fixture, "ticker:TESTUSDT",
           "{\"symbol\":\"TESTUSDT\",\"source\":\"csv\",\"simulated\":false,"
           "\"last_price\":\"123.50000000\",\"open_price\":\"125.38000000\",\"change\":\"-1.88000000\","
           "\"change_percent\":\"-1.50\",\"high\":\"130.00000000\",\"low\":\"99.00000000\","
           "\"volume\":\"1234.50000000\",\"time\":1767225600000}");
  wait_for_label (row, "last-price", "123.50");
  g_assert_cmpstr (label_text (row, "change"), ==, "−1.50 %");
  wait_until (has_css_class, find_widget (row, "change"), "the change to look like a loss");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "130.00"));

  publish (fixture, "ticker:TESTUSDT",
           "{\"symbol\":\"TESTUSDT\",\"source\":\"csv\",\"simulated\":false,"
           "\"last_price\":\"126.00000000\",\"open_price\":\"125.38000000\",\"change\":\"0.62000000\","
           "\"change_percent\":\"0.49\",\"high\":null,\"low\":null,\"volume\":null,\"time\":null}");
  wait_for_label (row, "last-price", "126.00");
  g_assert_cmpstr (label_text (row, "change"), ==, "+0.49 %");
  g_assert_true (gtk_widget_has_css_class (find_widget (row, "change"), "success"));
}

/* An instrument with no candles gets its first one live. */
static void
test_first_live_candle (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 last = current (MINUTE_MS);
  /* Read once: the stored candles and the live one must meet, even when
   * five minutes turn during the test. */
  gint64 five = current (5 * MINUTE_MS);
  g_autofree char *candle = NULL;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  open_page (fixture, "viewer");
  bourse_markets_page_set_symbol (fixture->page, "TESTUSDT");
  wait_for_chart_state (fixture, "empty");

  candle = g_strdup_printf ("{\"symbol\":\"TESTUSDT\",\"interval\":\"1m\",\"open_time\":%" G_GINT64_FORMAT ","
                            "\"close_time\":%" G_GINT64_FORMAT ",\"open\":\"1.00000000\","
                            "\"high\":\"1.00000000\",\"low\":\"1.00000000\",\"close\":\"1.00000000\","
                            "\"volume\":\"0.00000000\",\"trades\":0,\"closed\":false}",
                            last, last + MINUTE_MS - 1);
  publish (fixture, "candles:TESTUSDT:1m", candle);
  wait_for_chart_state (fixture, "chart");
  g_assert_cmpuint (bourse_candle_chart_get_n_candles (fixture->chart), ==, 1);

  /* Empty again (5m), then the store fills and a live candle comes: the
   * chart looks again, and shows what is stored. */
  bourse_markets_page_set_interval (fixture->page, "5m");
  wait_for_chart_state (fixture, "empty");
  insert_candles (fixture, "TESTUSDT", "5m", five - 5 * MINUTE_MS, 50);
  g_clear_pointer (&candle, g_free);
  candle = g_strdup_printf ("{\"symbol\":\"TESTUSDT\",\"interval\":\"5m\",\"open_time\":%" G_GINT64_FORMAT ","
                            "\"close_time\":%" G_GINT64_FORMAT ",\"open\":\"2.00000000\","
                            "\"high\":\"2.00000000\",\"low\":\"2.00000000\",\"close\":\"2.00000000\","
                            "\"volume\":\"0.00000000\",\"trades\":0,\"closed\":false}",
                            five, five + 5 * MINUTE_MS - 1);
  publish (fixture, "candles:TESTUSDT:5m", candle);
  wait_for_candles (fixture, 51);
  wait_for_chart_state (fixture, "chart");
  g_assert_cmpfloat (bourse_candle_chart_get_candle (fixture->chart, 50)->close, ==, 2);
}

static char *
live_candle_json (gint64 open_time,
                  double price)
{
  return g_strdup_printf ("{\"symbol\":\"TESTUSDT\",\"interval\":\"1m\",\"open_time\":%" G_GINT64_FORMAT ","
                          "\"close_time\":%" G_GINT64_FORMAT ",\"open\":\"%.2f\",\"high\":\"%.2f\","
                          "\"low\":\"%.2f\",\"close\":\"%.2f\",\"volume\":\"1.00000000\","
                          "\"trades\":1,\"closed\":false}",
                          open_time, open_time + MINUTE_MS - 1, price, price, price, price);
}

static void
assert_contiguous (BourseCandleChart *chart)
{
  guint n = bourse_candle_chart_get_n_candles (chart);

  for (guint i = 1; i < n; i++)
    g_assert_cmpint (bourse_candle_chart_get_candle (chart, i)->open_time -
                     bourse_candle_chart_get_candle (chart, i - 1)->open_time, ==, MINUTE_MS);
}

/* The store filled in after the chart loaded (the simulated feed still
 * backfilling): the next live candle brings what is missing. */
static void
test_history_filled_later (Fixture       *fixture,
                           gconstpointer  data)
{
  gint64 last = current (MINUTE_MS);
  g_autofree char *live = NULL;
  g_autofree char *later = NULL;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  insert_candles (fixture, "TESTUSDT", "1m", last - 100 * MINUTE_MS, 200);
  open_page (fixture, "viewer");
  bourse_markets_page_set_symbol (fixture->page, "TESTUSDT");
  wait_for_candles (fixture, 200);

  insert_candles (fixture, "TESTUSDT", "1m", last - MINUTE_MS, 99);
  live = live_candle_json (last, 150);
  publish (fixture, "candles:TESTUSDT:1m", live);
  wait_for_candles (fixture, 300);
  assert_contiguous (fixture->chart);
  g_assert_cmpfloat (bourse_candle_chart_get_candle (fixture->chart, 299)->close, ==, 150);
  g_assert_true (bourse_candle_chart_get_following (fixture->chart));

  /* An empty chart looks again when a live candle says there is data. */
  bourse_markets_page_set_interval (fixture->page, "5m");
  wait_for_chart_state (fixture, "empty");
  /* Back: the 299 stored, and the forming one, which the server sends
   * again to every new subscriber. */
  bourse_markets_page_set_interval (fixture->page, "1m");
  wait_for_candles (fixture, 300);
  later = live_candle_json (last + MINUTE_MS, 151);
  publish (fixture, "candles:TESTUSDT:1m", later);
  wait_for_candles (fixture, 301);
  assert_contiguous (fixture->chart);
}

static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  GtkWidget *page_widget;
  GtkWidget *import_button;
  GtkWidget *download_button;

  SKIP_WITHOUT_DISPLAY ();

  open_page (fixture, "viewer");
  page_widget = GTK_WIDGET (fixture->page);
  /* In the window's header bar, as the page's actions. */
  import_button = find_widget (bourse_page_get_header_actions (page_widget), "import-button");
  download_button = find_widget (bourse_page_get_header_actions (page_widget), "download-button");

  g_assert_false (gtk_widget_get_visible (import_button));
  g_assert_false (gtk_widget_get_visible (download_button));
  /* Nor do their actions do anything. */
  gtk_widget_activate_action (page_widget, "markets.import", NULL);
  gtk_widget_activate_action (page_widget, "markets.download", NULL);
  g_assert_null (find_toplevel (BOURSE_TYPE_IMPORT_DIALOG));
  g_assert_null (find_toplevel (BOURSE_TYPE_DOWNLOAD_DIALOG));

  set_role (fixture->page, "trader");
  g_assert_false (gtk_widget_get_visible (import_button));
  g_assert_true (gtk_widget_get_visible (download_button));

  set_role (fixture->page, "admin");
  g_assert_true (gtk_widget_get_visible (import_button));
  g_assert_true (gtk_widget_get_visible (download_button));

  set_role (fixture->page, NULL);
  g_assert_false (gtk_widget_get_visible (import_button));
  g_assert_false (gtk_widget_get_visible (download_button));
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(BourseClient) nowhere = NULL;
  GtkWidget *error_page;

  SKIP_WITHOUT_DISPLAY ();

  open_page (fixture, "viewer");
  wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-BTCUSDT");

  /* An instrument the server does not know: the chart says why. */
  bourse_markets_page_set_symbol (fixture->page, "NOSUCH");
  wait_for_chart_state (fixture, "error");
  error_page = find_widget (GTK_WIDGET (fixture->page), "chart-error-page");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (error_page)), !=, "");
  g_test_message ("Chart error: %s", adw_status_page_get_description (ADW_STATUS_PAGE (error_page)));

  /* A server that is not there: the page says so, with a retry. */
  nowhere = bourse_client_new ("http://127.0.0.1:9/");
  bourse_markets_page_set_client (fixture->page, nowhere);
  {
    StackQuery query = { GTK_WIDGET (fixture->page), "markets-stack", "error" };

    wait_until (stack_shows, &query, "the page to show the error");
  }
  g_assert_null (find_widget (GTK_WIDGET (fixture->page), "instrument-row-BTCUSDT"));

  /* Back to the real one. */
  bourse_markets_page_set_client (fixture->page, fixture->client);
  wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-BTCUSDT");
}

static void
test_import_dialog (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GString) csv = g_string_new ("time,open,high,low,close,volume\n");
  gint64 first = current (HOUR_MS) - 10 * HOUR_MS;
  GtkWidget *dialog;
  GtkWidget *result;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  open_page (fixture, "admin");
  bourse_markets_page_set_interval (fixture->page, "1h");
  bourse_markets_page_set_symbol (fixture->page, "TESTUSDT");
  wait_for_chart_state (fixture, "empty");
  /* The dialog offers the instruments listed: the list may come after the chart. */
  wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-TESTUSDT");

  for (guint i = 0; i < 10; i++)
    g_string_append_printf (csv, "%" G_GINT64_FORMAT ",10.00,11.00,9.50,10.50,%u.5\n",
                            first + i * HOUR_MS, i + 1);
  path = g_build_filename (fixture->server->data_dir, "candles.csv", NULL);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  file = g_file_new_for_path (path);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "markets.import", NULL));
  dialog = find_toplevel (BOURSE_TYPE_IMPORT_DIALOG);
  g_assert_nonnull (dialog);

  /* What the page shows is preselected. */
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (adw_combo_row_get_selected_item (
                     ADW_COMBO_ROW (find_widget (dialog, "symbol-row"))))), ==, "TESTUSDT");
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (adw_combo_row_get_selected_item (
                     ADW_COMBO_ROW (find_widget (dialog, "interval-row"))))), ==, "1h");

  /* Nothing to import without a file. */
  g_assert_false (gtk_widget_is_sensitive (find_widget (dialog, "import-button")));
  bourse_import_dialog_set_file (BOURSE_IMPORT_DIALOG (dialog), file);
  g_assert_true (gtk_widget_is_sensitive (find_widget (dialog, "import-button")));
  select_combo (dialog, "format-row", "Generic CSV");

  g_assert_true (route_exists (fixture, "GET", "/api/v1/market/import"));
  result = find_widget (dialog, "result-label");
  g_signal_emit_by_name (find_widget (dialog, "import-button"), "clicked");
  wait_until (widget_is_visible, result, "the import's result");
  g_test_message ("Import: %s", gtk_label_get_label (GTK_LABEL (result)));


  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (result)), ==,
                   "Imported 10 candles, 10 of them new or changed.");
  /* The page reloads the chart it shows. */
  wait_for_candles (fixture, 10);
  wait_for_chart_state (fixture, "chart");

  /* A bad file: where the error is, and nothing taken. */
  g_string_truncate (csv, 0);
  g_string_append (csv, "time,open,high,low,close,volume\n");
  g_string_append_printf (csv, "%" G_GINT64_FORMAT ",10.00,11.00,9.50,10.50,1\n", first + 20 * HOUR_MS);
  g_string_append_printf (csv, "%" G_GINT64_FORMAT ",ten,11.00,9.50,10.50,1\n", first + 21 * HOUR_MS);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  bourse_import_dialog_set_file (BOURSE_IMPORT_DIALOG (dialog), file);
  g_signal_emit_by_name (find_widget (dialog, "import-button"), "clicked");
  wait_until (widget_is_visible, result, "the import's verdict");
  g_test_message ("Bad import: %s", gtk_label_get_label (GTK_LABEL (result)));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (result)), "Line 3, column 2"));
  g_assert_true (gtk_widget_has_css_class (result, "error"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (toplevel_is_gone, GSIZE_TO_POINTER (BOURSE_TYPE_IMPORT_DIALOG), "the dialog to close");
}

static gboolean
download_is_over (gpointer data)
{
  const char *status = bourse_download_dialog_get_status (data);

  return g_strcmp0 (status, "succeeded") == 0 || g_strcmp0 (status, "failed") == 0 ||
         g_strcmp0 (status, "cancelled") == 0;
}

/* The download's job, followed through its BourseClientJob {{{ */

typedef struct
{
  Fixture    *fixture;
  GtkWidget  *dialog;
  const char *event;
  gint64      published_at;
} ProgressQuery;

static gboolean
download_is_running (gpointer data)
{
  return g_strcmp0 (bourse_download_dialog_get_status (data), "running") == 0;
}

/* The topic's event shows: the bar, its text, the worker's message. */
static gboolean
download_shows_event (gpointer data)
{
  ProgressQuery *query = data;
  GtkWidget *bar = find_widget (query->dialog, "progress-bar");
  GtkWidget *message = find_widget (query->dialog, "job-message");

  if (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)) == 0.4
      && g_strcmp0 (gtk_label_get_label (GTK_LABEL (message)), "400 of 1000 candles fetched") == 0)
    return TRUE;

  /* The dialog asks for the job once it has its id (events may have come
   * before): that answer may land after the event with the state before
   * it, and the topic's next event puts it right, as it does here. */
  if (g_get_monotonic_time () - query->published_at > 200 * G_TIME_SPAN_MILLISECOND)
    {
      publish (query->fixture, "jobs", query->event);
      query->published_at = g_get_monotonic_time ();
    }
  return FALSE;
}

typedef struct
{
  gint64 id;
  guint  n_seen;
} EventQuery;

/* After the dialog's own handler, connected before: it has had the event. */
static void
count_job_event_cb (BourseClient *client,
                    const char   *topic,
                    gint64        seq,
                    JsonNode     *data,
                    EventQuery   *query)
{
  if (JSON_NODE_HOLDS_OBJECT (data)
      && json_object_get_int_member_with_default (json_node_get_object (data), "id", 0) == query->id)
    query->n_seen++;
}

static gboolean
event_seen (gpointer data)
{
  return ((EventQuery *) data)->n_seen > 0;
}

/* An exchange that takes the connection and never answers: a download
 * from it runs until it is cancelled. Returns its URL. */
static char *
listen_silently (GSocket **socket)
{
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (*socket, any, TRUE, &error));
  g_assert_true (g_socket_listen (*socket, &error));
  bound = g_socket_get_local_address (*socket, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("http://127.0.0.1:%u/",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

/* }}} */

static void
test_download_dialog (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *dialog;
  GtkWidget *error_label;
  g_autoptr(GSocket) silent = NULL;
  g_autofree char *silent_url = NULL;
  g_autofree char *event = NULL;
  g_autofree char *late = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;
  BourseConfig *config = bourse_engine_get_config (fixture->server->engine);
  EventQuery seen = { 0 };
  gulong handler;
  gint64 job_id;

  SKIP_WITHOUT_DISPLAY ();

  create_instrument (fixture, "TESTUSDT");
  open_page (fixture, "trader");
  wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-TESTUSDT");

  /* Only instruments fed from Binance can be downloaded: none yet. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "markets.download", NULL));
  dialog = find_toplevel (BOURSE_TYPE_DOWNLOAD_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (find_widget (dialog, "error-label")));
  g_assert_false (gtk_widget_is_sensitive (find_widget (dialog, "download-button")));
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (toplevel_is_gone, GSIZE_TO_POINTER (BOURSE_TYPE_DOWNLOAD_DIALOG), "the dialog to close");

  create_instrument_from (fixture, "BINUSDT", "binance");
  bourse_markets_page_reload (fixture->page);
  wait_for_widget_named (GTK_WIDGET (fixture->page), "instrument-row-BINUSDT");
  bourse_markets_page_set_symbol (fixture->page, "BINUSDT");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "markets.download", NULL));
  dialog = find_toplevel (BOURSE_TYPE_DOWNLOAD_DIALOG);
  g_assert_nonnull (dialog);
  error_label = find_widget (dialog, "error-label");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (adw_combo_row_get_selected_item (
                     ADW_COMBO_ROW (find_widget (dialog, "symbol-row"))))), ==, "BINUSDT");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (
                      ADW_COMBO_ROW (find_widget (dialog, "symbol-row")))), ==, 1);

  /* Dates are checked before anything is sent. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "start-row")), "2026-02-30");
  g_signal_emit_by_name (find_widget (dialog, "download-button"), "clicked");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_has_css_class (find_widget (dialog, "start-row"), "error"));
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "start-row")), "2026-01-10");
  g_assert_false (gtk_widget_get_visible (error_label));
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "end-row")), "2026-01-05");
  g_signal_emit_by_name (find_widget (dialog, "download-button"), "clicked");
  g_assert_true (gtk_widget_has_css_class (find_widget (dialog, "end-row"), "error"));
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "end-row")), "2026-01-11");

  /* The job runs until cancelled: its exchange never answers. */
  silent_url = listen_silently (&silent);
  g_assert_true (bourse_config_set (config, "binance", "base_url", silent_url,
                                    BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error));
  g_assert_no_error (error);
  g_assert_true (bourse_config_set (config, "binance", "request_timeout", "600",
                                    BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error));
  g_assert_no_error (error);

  g_signal_emit_by_name (find_widget (dialog, "download-button"), "clicked");

  g_assert_true (route_exists (fixture, "GET", "/api/v1/market/download"));

  /* A job, followed on the jobs topic (a BourseClientJob the dialog
   * binds its progress to) to its end. */
  {
    StackQuery query = { dialog, "download-stack", "progress" };

    wait_until (stack_shows, &query, "the progress to show");
  }
  g_assert_nonnull (bourse_download_dialog_get_job_id (BOURSE_DOWNLOAD_DIALOG (dialog)));
  job_id = g_ascii_strtoll (bourse_download_dialog_get_job_id (BOURSE_DOWNLOAD_DIALOG (dialog)), NULL, 10);
  g_assert_cmpint (job_id, >, 0);
  wait_until (download_is_running, dialog, "the job to run");

  /* Its progress as the topic says it: the bar, its text and the message
   * follow (the worker, held by the exchange, says no more meanwhile). */
  event = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"kind\":\"market.download\",\"status\":\"running\","
                           "\"progress\":0.4,\"message\":\"400 of 1000 candles fetched\",\"error\":null}", job_id);
  {
    ProgressQuery query = { fixture, dialog, event, 0 };

    publish (fixture, "jobs", event);
    query.published_at = g_get_monotonic_time ();
    wait_until (download_shows_event, &query, "the topic's progress to show");
  }
  g_assert_cmpstr (gtk_progress_bar_get_text (GTK_PROGRESS_BAR (find_widget (dialog, "progress-bar"))), ==, "40 %");
  g_assert_cmpstr (bourse_download_dialog_get_status (BOURSE_DOWNLOAD_DIALOG (dialog)), ==, "running");
  g_assert_true (gtk_widget_get_visible (find_widget (dialog, "cancel-job-button")));

  g_signal_emit_by_name (find_widget (dialog, "cancel-job-button"), "clicked");
  wait_until (download_is_over, dialog, "the job to end");
  status = g_strdup (bourse_download_dialog_get_status (BOURSE_DOWNLOAD_DIALOG (dialog)));
  g_test_message ("Job %s: %s", bourse_download_dialog_get_job_id (BOURSE_DOWNLOAD_DIALOG (dialog)), status);
  g_assert_cmpstr (status, ==, "cancelled");
  g_assert_false (gtk_widget_get_visible (find_widget (dialog, "cancel-job-button")));

  /* A late event of the run does not undo its end. */
  late = g_strdup_printf ("{\"id\":%" G_GINT64_FORMAT ",\"kind\":\"market.download\",\"status\":\"running\","
                          "\"progress\":0.9,\"message\":\"900 of 1000 candles fetched\",\"error\":null}", job_id);
  seen.id = job_id;
  handler = g_signal_connect (fixture->client, "event::jobs", G_CALLBACK (count_job_event_cb), &seen);
  publish (fixture, "jobs", late);
  wait_until (event_seen, &seen, "the late event");
  g_signal_handler_disconnect (fixture->client, handler);
  g_assert_cmpstr (bourse_download_dialog_get_status (BOURSE_DOWNLOAD_DIALOG (dialog)), ==, "cancelled");
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (find_widget (dialog, "progress-bar"))), !=, 0.9);

  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (toplevel_is_gone, GSIZE_TO_POINTER (BOURSE_TYPE_DOWNLOAD_DIALOG), "the dialog to close");
}

int
main (int   argc,
      char *argv[])
{
  /* No simulated market and no real exchange in these tests, once the
   * feeds exist: the test writes and publishes what the page sees. */
  g_setenv ("BOURSE_SIMULATED_ENABLED", "false", TRUE);
  g_setenv ("BOURSE_BINANCE_BASE_URL", "http://127.0.0.1:9/", TRUE);
  g_setenv ("BOURSE_BINANCE_STREAM_URL", "ws://127.0.0.1:9/", TRUE);

  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
    }

  g_test_add_func ("/markets/numbers", test_numbers);
  g_test_add ("/markets/instruments", Fixture, NULL, fixture_set_up, test_instruments, fixture_tear_down);
  g_test_add ("/markets/live-list", Fixture, NULL, fixture_set_up, test_live_list, fixture_tear_down);
  g_test_add ("/markets/chart-history", Fixture, NULL, fixture_set_up, test_chart_history, fixture_tear_down);
  g_test_add ("/markets/older-history", Fixture, NULL, fixture_set_up, test_older_history, fixture_tear_down);
  g_test_add ("/markets/default-interval", Fixture, NULL, fixture_set_up, test_default_interval, fixture_tear_down);
  g_test_add ("/markets/history-with-gaps", Fixture, NULL, fixture_set_up, test_history_with_gaps, fixture_tear_down);
  g_test_add ("/markets/live", Fixture, NULL, fixture_set_up, test_live, fixture_tear_down);
  g_test_add ("/markets/first-live-candle", Fixture, NULL, fixture_set_up, test_first_live_candle, fixture_tear_down);
  g_test_add ("/markets/history-filled-later", Fixture, NULL, fixture_set_up, test_history_filled_later, fixture_tear_down);
  g_test_add ("/markets/roles", Fixture, NULL, fixture_set_up, test_roles, fixture_tear_down);
  g_test_add ("/markets/errors", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  g_test_add ("/markets/import-dialog", Fixture, NULL, fixture_set_up, test_import_dialog, fixture_tear_down);
  g_test_add ("/markets/download-dialog", Fixture, NULL, fixture_set_up, test_download_dialog, fixture_tear_down);

  return g_test_run ();
}
