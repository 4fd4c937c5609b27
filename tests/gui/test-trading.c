/* test-trading.c — the Portfolio page, the order dialog and the kill switch
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real engine and server in this thread (tests/integration's
 * BourseTestServer, as test-approvals.c does), with the simulated market
 * backfilled so that instruments have a last price and market orders
 * fill. What the tests set up goes through the API; what they check is
 * what the window shows.
 */

#include "config.h"

#include <string.h>

#include "bourse-approvals-page.h"
#include "bourse-candle-chart.h"
#include "bourse-equity-chart.h"
#include "bourse-markets-page.h"
#include "bourse-order-dialog.h"
#include "bourse-orders-page.h"
#include "bourse-page-header.h"
#include "bourse-portfolio-page.h"
#include "bourse-trading-util.h"
#include "bourse-window.h"

#include "../integration/desk-test-util.h"
#include "gui-util.h"

static char *tmp_dir;

/* Helpers {{{ */

/* A window signed in with @token, the local owner's if NULL. */
static BourseWindow *
open_window_as (BourseTestServer *server,
                const char       *token)
{
  BourseWindow *window = bourse_window_new (NULL);

  g_object_ref (window);
  bourse_window_set_token (window, token != NULL ? token : server->token);
  bourse_window_set_server_url (window, server->base_url);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static BourseWindow *
open_window (BourseTestServer *server)
{
  return open_window_as (server, NULL);
}

/* What the window and its trading pages follow. */
static const char * const trading_topics[] = {
  "risk", "portfolio", "positions", "balances", "orders", "fills", "trades", NULL
};

/* The server's trading state, "ACTIVE", "REDUCING" or "HALTED". */
static char *
dup_state (BourseTestServer *server)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/risk/state", NULL, NULL, 200);

  return g_strdup (json_object_get_string_member (desk_object (node), "state"));
}

static guint
count_orders (BourseTestServer *server)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/orders", NULL, NULL, 200);

  return json_array_get_length (json_object_get_array_member (desk_object (node), "items"));
}

/* A resting BUY of BTCUSDT at half its last price, as @token; its id. */
static gint64
place_resting_buy (BourseTestServer *server,
                   const char       *token)
{
  g_autoptr(JsonNode) ticker = desk_expect (server, "GET", "/api/v1/market/ticker/BTCUSDT", NULL, NULL, 200);
  g_autoptr(JsonNode) order = NULL;
  g_autofree char *body = NULL;
  char price[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (price, sizeof price, "%.2f",
                   g_ascii_strtod (json_object_get_string_member (desk_object (ticker), "last_price"), NULL) / 2);
  body = g_strdup_printf ("{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.01\","
                          "\"price\":\"%s\"}", price);
  order = desk_expect (server, "POST", "/api/v1/orders", token, body, 201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (order), "status"), ==, "NEW");

  return json_object_get_int_member (desk_object (order), "id");
}

static guint
count_open_orders (BourseTestServer *server)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/orders?status=open", NULL, NULL, 200);

  return json_array_get_length (json_object_get_array_member (desk_object (node), "items"));
}

/* No open order and no position left: what the kill switch asked for. */
static gboolean
book_is_flat (gpointer data)
{
  BourseTestServer *server = data;
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/positions", NULL, NULL, 200);
  JsonArray *items = json_object_get_array_member (desk_object (node), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *quantity = json_object_get_string_member (json_array_get_object_element (items, i),
                                                            "quantity");

      if (g_ascii_strtod (quantity, NULL) != 0)
        return FALSE;
    }

  return count_open_orders (server) == 0;
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
  const char *text;     /* a part of what the label says */
} LabelQuery;

static gboolean
label_says (gpointer data)
{
  LabelQuery *query = data;
  GtkWidget *label = find_widget (query->root, query->name);

  return label != NULL && gtk_widget_get_mapped (label) &&
         strstr (gtk_label_get_label (GTK_LABEL (label)), query->text) != NULL;
}

static void
wait_for_label (GtkWidget  *root,
                const char *name,
                const char *text)
{
  LabelQuery query = { root, name, text };
  g_autofree char *what = g_strdup_printf ("%s to say “%s”", name, text);

  wait_until (label_says, &query, what);
}

/* }}} */

static gboolean
check_refuses (gpointer data)
{
  GtkWidget *dialog = find_named_toplevel ("order-dialog");

  return dialog != NULL && g_strcmp0 (label_text (dialog, "check-value"), "Refused") == 0;
}

static gboolean
dialog_is_ready (gpointer data)
{
  GtkWidget *dialog = find_named_toplevel ("order-dialog");

  return dialog != NULL && bourse_order_dialog_is_ready (BOURSE_ORDER_DIALOG (dialog)) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (find_widget (dialog, "notional-value"))), "—") != 0;
}

/* The order dialog for @quantity of BTCUSDT, once @condition holds. */
static GtkWidget *
open_order_dialog_until (BourseWindow *window,
                         const char   *quantity,
                         gboolean    (*condition) (gpointer),
                         const char   *what)
{
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-order", "s", "BTCUSDT"));
  wait_until (named_toplevel_is_shown, (gpointer) "order-dialog", "the order dialog");
  dialog = find_named_toplevel ("order-dialog");
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "quantity-row")), quantity);
  wait_until (condition, NULL, what);

  return dialog;
}

/* Once it has its instruments and the dry run's estimate. */
static GtkWidget *
open_order_dialog (BourseWindow *window,
                   const char   *quantity)
{
  return open_order_dialog_until (window, quantity, dialog_is_ready, "the dialog's instruments and estimate");
}

static gboolean
kill_switch_is_shown (gpointer data)
{
  GtkWidget *button = find_widget (data, "kill-switch-button");

  return button != NULL && gtk_widget_get_visible (button) && gtk_widget_is_sensitive (button);
}

static gboolean
banner_is_revealed (gpointer data)
{
  GtkWidget *banner = find_widget (data, "trading-banner");

  return banner != NULL && gtk_revealer_get_reveal_child (GTK_REVEALER (banner));
}

static gboolean
banner_is_hidden (gpointer data)
{
  return !banner_is_revealed (data);
}

/* The kill switch halts trading after a confirmation — canceling the open
 * orders and, when asked, closing the positions — the banner says why while
 * it lasts, and Resume lifts it. */
static void
test_kill_switch (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autofree char *state = NULL;
  g_autoptr(JsonNode) order = NULL;
  BourseWindow *window;
  GtkWidget *dialog;

  window = open_window (server);
  wait_until (kill_switch_is_shown, window, "the kill switch");
  wait_for_topics (window, trading_topics);
  g_assert_false (banner_is_revealed (window));

  /* A position and a resting order for the switch to stop. */
  g_clear_pointer (&order, json_node_unref);
  order = desk_expect (server, "POST", "/api/v1/orders", NULL,
                       "{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.01\"}",
                       201);
  place_resting_buy (server, NULL);
  g_assert_cmpuint (count_open_orders (server), ==, 1);

  /* Asked first: cancelling stops nothing. */
  click (find_widget (GTK_WIDGET (window), "kill-switch-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "halt-dialog", "the confirmation");
  dialog = find_named_toplevel ("halt-dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Stop All Trading?");
  click (find_button_labelled (dialog, "_Cancel"));
  wait_until (named_toplevel_is_gone, (gpointer) "halt-dialog", "the confirmation to close");
  state = dup_state (server);
  g_assert_cmpstr (state, ==, "ACTIVE");
  g_assert_cmpuint (count_open_orders (server), ==, 1);

  click (find_widget (GTK_WIDGET (window), "kill-switch-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "halt-dialog", "the confirmation");
  dialog = find_named_toplevel ("halt-dialog");
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "halt-reason-entry")), "Feed looks wrong");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (find_widget (dialog, "halt-flatten-check"))));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_widget (dialog, "halt-flatten-check")), TRUE);
  click (find_button_labelled (dialog, "_Stop Trading"));
  wait_until (book_is_flat, server, "the open order canceled and the position closed");

  wait_until (banner_is_revealed, window, "the banner");
  wait_for_label (GTK_WIDGET (window), "trading-banner-label", "Trading halted");
  wait_for_label (GTK_WIDGET (window), "trading-banner-label", "Feed looks wrong");
  g_test_message ("Banner: %s", label_text (GTK_WIDGET (window), "trading-banner-label"));
  g_clear_pointer (&state, g_free);
  state = dup_state (server);
  g_assert_cmpstr (state, ==, "HALTED");
  /* Halted: the switch has nothing more to stop. */
  g_assert_false (gtk_widget_is_sensitive (find_widget (GTK_WIDGET (window), "kill-switch-button")));

  /* Halted, the order dialog's dry run says so before anything is sent,
   * without blaming a field. */
  dialog = open_order_dialog_until (window, "0.01", check_refuses, "the dry run's refusal");
  g_test_message ("409: %s", label_text (dialog, "order-error-label"));
  g_assert_nonnull (strstr (label_text (dialog, "order-error-label"), "HALTED"));
  g_assert_false (gtk_widget_has_css_class (find_widget (dialog, "quantity-row"), "error"));
  g_assert_false (gtk_widget_is_sensitive (find_widget (dialog, "place-button")));
  click (find_button_labelled (dialog, "_Cancel"));
  wait_until (named_toplevel_is_gone, (gpointer) "order-dialog", "the dialog to close");

  /* The local owner may resume: the banner goes. */
  g_assert_true (gtk_widget_get_visible (find_widget (GTK_WIDGET (window), "resume-button")));
  click (find_widget (GTK_WIDGET (window), "resume-button"));
  wait_until (banner_is_hidden, window, "the banner to go");
  g_clear_pointer (&state, g_free);
  state = dup_state (server);
  g_assert_cmpstr (state, ==, "ACTIVE");

  /* Halted elsewhere (through the API): the topic brings the banner. */
  json_node_unref (desk_expect (server, "POST", "/api/v1/risk/halt", NULL, "{\"reason\":\"From a script\"}", 200));
  wait_until (banner_is_revealed, window, "the banner from the topic");
  wait_for_label (GTK_WIDGET (window), "trading-banner-label", "From a script");

  close_window (window);
  bourse_test_server_free (server);
}

static gboolean
quantity_is_refused (gpointer data)
{
  GtkWidget *dialog = find_named_toplevel ("order-dialog");
  GtkWidget *label = dialog ? find_widget (dialog, "order-error-label") : NULL;

  return label != NULL && gtk_widget_get_visible (label) &&
         gtk_widget_has_css_class (find_widget (dialog, "quantity-row"), "error");
}

static gboolean
check_passes (gpointer data)
{
  GtkWidget *dialog = find_named_toplevel ("order-dialog");

  return dialog != NULL && g_strcmp0 (label_text (dialog, "check-value"), "Passes") == 0;
}

/* The dialog shows the server's dry run before sending: the notional and
 * the fee as the server computes them, and what its checks refuse, on the
 * field they name, with nothing sent. It places the order, and shows a
 * refusal that comes only when sending on its field too. */
static void
test_order_dialog (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autoptr(JsonNode) dry_run = NULL;
  g_autoptr(JsonNode) limits = NULL;
  g_autofree char *notional = NULL;
  g_autofree char *fee = NULL;
  BourseWindow *window;
  GtkWidget *dialog;
  JsonObject *estimate;

  window = open_window (server);
  wait_for_topics (window, trading_topics);
  g_assert_cmpuint (count_orders (server), ==, 0);

  dialog = open_order_dialog (window, "0.01");
  wait_until (check_passes, NULL, "the dry run to pass");
  g_test_message ("Estimate: %s, fee %s; %s", label_text (dialog, "notional-value"),
                  label_text (dialog, "fee-value"),
                  adw_action_row_get_subtitle (ADW_ACTION_ROW (find_widget (dialog, "check-row"))));
  /* The server's own figures, and nothing stored by asking. */
  dry_run = desk_expect (server, "POST", "/api/v1/orders?dry_run=true", NULL,
                         "{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.01\"}",
                         200);
  estimate = json_object_get_object_member (desk_object (dry_run), "estimate");
  notional = bourse_format_money_in (json_object_get_string_member (estimate, "notional"), "USDT", FALSE);
  fee = bourse_format_money_in (json_object_get_string_member (estimate, "fee"), "USDT", FALSE);
  g_assert_cmpstr (label_text (dialog, "fee-value"), ==, fee);
  g_assert_cmpuint (count_orders (server), ==, 0);
  /* The price moves with the simulated market: the notional is near. */
  g_assert_cmpstr (label_text (dialog, "notional-value"), !=, "—");
  g_test_message ("The server's notional now: %s", notional);

  click (find_widget (dialog, "place-button"));
  wait_until (named_toplevel_is_gone, (gpointer) "order-dialog", "the dialog to close on 201");
  g_assert_cmpuint (count_orders (server), ==, 1);

  /* Selling far more than is held: refused by the dry run, on the
   * quantity, before anything is sent. */
  dialog = open_order_dialog (window, "0.01");
  click (find_widget (dialog, "sell-button"));
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "quantity-row")), "1000");
  wait_until (quantity_is_refused, NULL, "the dry run's 422 on the quantity");
  g_test_message ("422: %s", label_text (dialog, "order-error-label"));
  g_assert_cmpstr (label_text (dialog, "check-value"), ==, "Refused");
  g_assert_cmpstr (label_text (dialog, "notional-value"), ==, "—");
  g_assert_false (gtk_widget_is_sensitive (find_widget (dialog, "place-button")));
  g_assert_cmpuint (count_orders (server), ==, 1);

  /* Corrected, the mark goes and the check passes. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "quantity-row")), "0.005");
  g_assert_false (gtk_widget_has_css_class (find_widget (dialog, "quantity-row"), "error"));
  wait_until (check_passes, NULL, "the corrected order to pass");

  /* A limit set meanwhile refuses the order itself, on its field (a buy:
   * an order that only reduces a position passes every limit). */
  click (find_widget (dialog, "buy-button"));
  wait_until (check_passes, NULL, "the buy to pass");
  limits = desk_expect (server, "PUT", "/api/v1/risk/global", NULL, "{\"max_order_notional\":\"1\"}", 200);
  click (find_widget (dialog, "place-button"));
  wait_until (quantity_is_refused, NULL, "the 422 on the order's limit");
  g_test_message ("422: %s", label_text (dialog, "order-error-label"));
  g_assert_nonnull (strstr (label_text (dialog, "order-error-label"), "limit of 1"));
  g_assert_cmpuint (count_orders (server), ==, 1);

  click (find_button_labelled (dialog, "_Cancel"));
  wait_until (named_toplevel_is_gone, (gpointer) "order-dialog", "the dialog to close");

  close_window (window);
  bourse_test_server_free (server);
}

static gboolean
position_is_shown (gpointer data)
{
  GtkWidget *page = find_widget (data, "portfolio-page");
  GtkWidget *row = page ? find_widget (page, "position-row-BTCUSDT") : NULL;
  GtkWidget *pnl = row ? find_widget (row, "unrealized-pnl") : NULL;

  return pnl != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (pnl)), "") != 0 &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (pnl)), "—") != 0;
}

static gboolean
widget_is_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* The equity curve: the fill's snapshot, and the equity now. */
static gboolean
curve_is_drawn (gpointer data)
{
  GtkWidget *chart = find_widget_of_type (data, BOURSE_TYPE_EQUITY_CHART);

  return chart != NULL && bourse_equity_chart_get_n_points (BOURSE_EQUITY_CHART (chart)) >= 2;
}

static gboolean
chart_has_marker (gpointer data)
{
  GtkWidget *page = find_widget (data, "markets-page");

  return page != NULL &&
         bourse_candle_chart_get_n_markers (bourse_markets_page_get_chart (BOURSE_MARKETS_PAGE (page))) > 0;
}

/* A fill made through the API reaches the pages: on the Portfolio page its
 * position with the unrealised PnL and the paper label beside the money; on
 * the Orders page its row under Fills; on the chart its marker. */
static void
test_portfolio (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autoptr(JsonNode) order = NULL;
  g_autoptr(JsonNode) fills = NULL;
  g_autofree char *fill_row = NULL;
  JsonArray *items;
  BourseWindow *window;
  GtkWidget *page;

  window = open_window (server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "portfolio"));
  page = find_widget (GTK_WIDGET (window), "portfolio-page");
  g_assert_nonnull (page);
  wait_for_topics (window, trading_topics);
  wait_for_status_page (page, "positions-empty");

  order = desk_expect (server, "POST", "/api/v1/orders", NULL,
                       "{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":\"0.01\"}",
                       201);
  g_assert_cmpstr (json_object_get_string_member (desk_object (order), "status"), ==, "FILLED");

  wait_until (position_is_shown, window, "the position and its unrealised PnL");
  g_test_message ("Unrealised: %s, cash %s",
                  label_text (find_widget (page, "position-row-BTCUSDT"), "unrealized-pnl"),
                  label_text (page, "cash-value"));
  g_assert_true (gtk_widget_get_visible (find_widget (page, "mode-tag")));
  g_assert_cmpstr (label_text (page, "mode-tag"), ==, "Paper");
  wait_until (curve_is_drawn, page, "the equity curve");

  /* The fill, from GET /api/v1/fills or its topic. */
  fills = desk_expect (server, "GET", "/api/v1/fills?symbol=BTCUSDT", NULL, NULL, 200);
  items = json_object_get_array_member (desk_object (fills), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  fill_row = g_strdup_printf ("fill-row-%" G_GINT64_FORMAT,
                              json_object_get_int_member (json_array_get_object_element (items, 0), "id"));
  {
    GtkWidget *orders = find_widget (GTK_WIDGET (window), "orders-page");

    g_assert_nonnull (orders);
    wait_for_widget_named (orders, fill_row);
    g_assert_true (gtk_widget_get_visible (find_widget (orders, "mode-tag")));
  }
  wait_until (chart_has_marker, window, "the fill's marker on the chart");

  close_window (window);
  bourse_test_server_free (server);
}

/* The Portfolio page's positions, live {{{ */

/* Read once the subscription is confirmed: from then on changes are events. */
static gboolean
store_is_live (gpointer data)
{
  return bourse_client_store_get_loaded (data) && bourse_client_store_get_live (data);
}

/* The row named query->name says query->text in its subtitle. */
static gboolean
row_subtitle_says (gpointer data)
{
  LabelQuery *query = data;
  GtkWidget *row = find_widget (query->root, query->name);
  const char *subtitle = row != NULL ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;

  return subtitle != NULL && strstr (subtitle, query->text) != NULL;
}

/* A position opened through the API comes to the Portfolio page as its
 * row, by the "positions" topic and without the list read again; another
 * fill changes that same row in place, and the close (quantity 0 on the
 * topic) takes it away and brings the empty state back. */
static void
test_positions_live (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  BourseClientStore *store;
  BourseWindow *window;
  GtkWidget *page, *row;
  LabelQuery query;
  WidgetQuery gone;
  guint n_loads;

  window = open_window (server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "portfolio"));
  page = find_widget (GTK_WIDGET (window), "portfolio-page");
  g_assert_nonnull (page);
  wait_for_topics (window, trading_topics);
  store = bourse_portfolio_page_get_positions (BOURSE_PORTFOLIO_PAGE (page));
  g_assert_nonnull (store);
  wait_until (store_is_live, store, "the positions read once subscribed");
  n_loads = bourse_client_store_get_n_loads (store);
  /* None: a status page, not an empty list. */
  {
    GtkWidget *empty = wait_for_status_page (page, "positions-empty");

    g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Open Positions");
    g_assert_false (gtk_widget_is_visible (find_required (page, "positions-list")));
  }
  g_assert_null (find_widget (page, "position-row-BTCUSDT"));

  desk_fill_btc (server, "BUY", "0.01");
  row = wait_for_widget_named (page, "position-row-BTCUSDT");
  query = (LabelQuery) { page, "position-row-BTCUSDT", "0.01 at " };
  wait_until (row_subtitle_says, &query, "the position's quantity");
  wait_until (position_is_shown, window, "the position's unrealised PnL");
  /* The first one: the list takes the status page's place. */
  wait_for_status_page_gone (page, "positions-empty");
  g_assert_true (gtk_widget_get_mapped (row));
  g_test_message ("Position: %s, unrealised %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                  label_text (row, "unrealized-pnl"));

  /* Bought more: the same row says so. */
  desk_fill_btc (server, "BUY", "0.01");
  query = (LabelQuery) { page, "position-row-BTCUSDT", "0.02 at " };
  wait_until (row_subtitle_says, &query, "the position's new quantity");
  g_assert_true (find_widget (page, "position-row-BTCUSDT") == row);

  /* Sold out: the row goes, the empty state comes back. */
  desk_fill_btc (server, "SELL", "0.02");
  gone = (WidgetQuery) { page, "position-row-BTCUSDT" };
  wait_until (widget_is_gone, &gone, "the closed position to leave the list");
  wait_for_status_page (page, "positions-empty");

  /* All of it by events, in the same store. */
  g_assert_true (bourse_portfolio_page_get_positions (BOURSE_PORTFOLIO_PAGE (page)) == store);
  g_assert_cmpuint (bourse_client_store_get_n_loads (store), ==, n_loads);

  close_window (window);
  bourse_test_server_free (server);
}

/* }}} */

/* An approved BUY of BTCUSDT near its last price, with a stop-loss below
 * and a take-profit above, from a signal through a webhook; its id. */
static gint64
add_approved_buy (BourseTestServer *server,
                  const char       *hook_name)
{
  g_autoptr(JsonNode) ticker = desk_expect (server, "GET", "/api/v1/market/ticker/BTCUSDT", NULL, NULL, 200);
  g_autoptr(JsonNode) hook = NULL;
  g_autoptr(JsonNode) signal = NULL;
  g_autoptr(JsonNode) approved = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *hook_body = g_strdup_printf ("{\"name\":\"%s\"}", hook_name);
  char price[G_ASCII_DTOSTR_BUF_SIZE], stop[G_ASCII_DTOSTR_BUF_SIZE], target[G_ASCII_DTOSTR_BUF_SIZE];
  double last = g_ascii_strtod (json_object_get_string_member (desk_object (ticker), "last_price"), NULL);
  gint64 id;
  guint status;

  g_ascii_formatd (price, sizeof price, "%.2f", last);
  g_ascii_formatd (stop, sizeof stop, "%.2f", last * 0.95);
  g_ascii_formatd (target, sizeof target, "%.2f", last * 1.10);
  body = g_strdup_printf ("{\"symbol\":\"BTCUSDT\",\"action\":\"buy\",\"price\":\"%s\",\"stop_loss\":\"%s\","
                          "\"take_profit\":\"%s\"}", price, stop, target);

  hook = desk_expect (server, "POST", "/api/v1/webhooks", NULL, hook_body, 201);
  signal = desk_post_signal (server, json_object_get_int_member (desk_object (hook), "id"),
                             json_object_get_string_member (desk_object (hook), "secret"),
                             g_get_real_time () / G_USEC_PER_SEC, body, &status);
  g_assert_cmpuint (status, ==, 201);
  id = json_object_get_int_member (desk_object (signal), "approval_id");

  path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/approve", id);
  approved = desk_expect (server, "POST", path, NULL, NULL, 200);
  g_assert_true (json_object_get_null_member (desk_object (approved), "order_id") ||
                 !json_object_has_member (desk_object (approved), "order_id"));

  return id;
}

static gint64
approval_order_id (BourseTestServer *server,
                   gint64            id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) approval = desk_expect (server, "GET", path, NULL, NULL, 200);
  JsonObject *object = desk_object (approval);

  return json_object_get_null_member (object, "order_id") ? 0 : json_object_get_int_member (object, "order_id");
}

typedef struct
{
  BourseTestServer *server;
  gint64            id;
} ApprovalQuery;

static gboolean
approval_is_executed (gpointer data)
{
  ApprovalQuery *query = data;

  return approval_order_id (query->server, query->id) != 0;
}

typedef struct
{
  GtkWidget  *page;
  const char *row;
  const char *child;
  gboolean    present;
} RowQuery;

static gboolean
row_has_child (gpointer data)
{
  RowQuery *query = data;
  GtkWidget *row = find_widget (query->page, query->row);

  return row != NULL && (find_widget (row, query->child) != NULL) == query->present;
}

/* Execute… on an approved item makes its order, once: the dialog shows the
 * size the risk profile suggests and its cost (the server's dry run), takes
 * another quantity, the server's answer closes it, and the button goes once the
 * approval has its order; executed elsewhere, the approval comes back on
 * the topic with its order and the button goes too. */
static void
test_execute (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autofree char *row = NULL;
  g_autofree char *other_row = NULL;
  g_autofree char *other_path = NULL;
  g_autoptr(JsonNode) other_order = NULL;
  BourseWindow *window;
  GtkWidget *page, *dialog;
  gint64 id, other, order_id;

  id = add_approved_buy (server, "desk");
  other = add_approved_buy (server, "script");
  row = g_strdup_printf ("approval-row-%" G_GINT64_FORMAT, id);
  other_row = g_strdup_printf ("approval-row-%" G_GINT64_FORMAT, other);

  window = open_window (server);
  wait_for_topics (window, (const char * const []) { "approvals", "orders", NULL });
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "approvals"));
  page = find_widget (GTK_WIDGET (window), "approvals-page");
  g_assert_nonnull (page);
  {
    RowQuery query = { page, row, "execute-button", TRUE };

    wait_until (row_has_child, &query, "Execute… on the approved item");
  }

  click (find_widget (find_widget (page, row), "execute-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "execute-dialog", "the execute dialog");
  dialog = find_named_toplevel ("execute-dialog");
  /* The dry run: the size the risk profile suggests, and its cost. */
  wait_for_label (dialog, "execute-estimate-label", "Paper: about ");
  g_test_message ("Suggested %s: %s", gtk_editable_get_text (GTK_EDITABLE (find_widget (dialog, "quantity-entry"))),
                  label_text (dialog, "execute-estimate-label"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (dialog, "quantity-entry"))), !=, "");
  /* More than the cash buys: the dry run says why, before anything is sent. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "quantity-entry")), "1000");
  wait_for_label (dialog, "execute-error-label", "USDT");
  g_test_message ("Refused: %s", label_text (dialog, "execute-error-label"));
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "quantity-entry")), "0.001");
  wait_until (widget_is_hidden, find_widget (dialog, "execute-error-label"), "the refusal to go");
  g_assert_cmpuint (count_orders (server), ==, 0);
  click (find_button_labelled (dialog, "_Execute"));
  {
    ApprovalQuery query = { server, id };

    wait_until (approval_is_executed, &query, "the approval to be executed");
  }
  order_id = approval_order_id (server, id);
  wait_until (named_toplevel_is_gone, (gpointer) "execute-dialog", "the dialog to close on 201");
  {
    RowQuery gone = { page, row, "execute-button", FALSE };
    RowQuery order = { page, row, "order-label", TRUE };
    g_autofree char *text = g_strdup_printf ("Order #%" G_GINT64_FORMAT, order_id);

    wait_until (row_has_child, &gone, "Execute… to go once the approval has its order");
    wait_until (row_has_child, &order, "the approval's order");
    g_assert_cmpstr (label_text (find_widget (page, row), "order-label"), ==, text);
  }
  g_assert_cmpuint (count_orders (server), >=, 1);

  /* Through the API: the topic brings the approval with its order. */
  {
    RowQuery shown = { page, other_row, "execute-button", TRUE };
    RowQuery gone = { page, other_row, "execute-button", FALSE };

    wait_until (row_has_child, &shown, "Execute… on the other approved item");
    other_path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/execute", other);
    other_order = desk_expect (server, "POST", other_path, NULL, "{\"quantity\":\"0.001\"}", 201);
    wait_until (row_has_child, &gone, "Execute… to go when the topic says the approval executed");
  }

  close_window (window);
  bourse_test_server_free (server);
}

/* What the window offers follows the server's permissions: a viewer sees
 * the paper book, and no New Order, Cancel All or kill switch. */
static void
test_viewer (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autofree char *token = NULL;
  BourseWindow *window;
  GtkWidget *portfolio, *orders;

  desk_create_user (server, "vera", "viewer");
  token = desk_login (server, "vera", "viewer");

  window = open_window_as (server, token);
  wait_until (window_knows_permissions, window, "the viewer's permissions");
  portfolio = find_widget (GTK_WIDGET (window), "portfolio-page");
  orders = find_widget (GTK_WIDGET (window), "orders-page");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "portfolio"));
  wait_for_label (portfolio, "mode-tag", "Paper");
  g_assert_false (gtk_widget_get_visible (find_widget (bourse_page_get_header_actions (portfolio), "new-order-button")));
  g_assert_false (gtk_widget_get_visible (find_widget (bourse_page_get_header_actions (orders), "new-order-button")));
  g_assert_false (gtk_widget_get_visible (find_widget (bourse_page_get_header_actions (orders), "cancel-all-button")));
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (window), "kill-switch-button")));
  close_window (window);

  /* The local owner, an administrator, has them all. */
  window = open_window (server);
  wait_until (window_knows_permissions, window, "the owner's permissions");
  portfolio = find_widget (GTK_WIDGET (window), "portfolio-page");
  orders = find_widget (GTK_WIDGET (window), "orders-page");
  g_assert_true (gtk_widget_get_visible (find_widget (bourse_page_get_header_actions (portfolio), "new-order-button")));
  g_assert_true (gtk_widget_get_visible (find_widget (bourse_page_get_header_actions (orders), "new-order-button")));
  g_assert_true (gtk_widget_get_visible (find_widget (bourse_page_get_header_actions (orders), "cancel-all-button")));
  g_assert_true (gtk_widget_get_visible (find_widget (GTK_WIDGET (window), "kill-switch-button")));
  close_window (window);

  bourse_test_server_free (server);
}

static char *
dup_order_status (BourseTestServer *server,
                  gint64            id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/orders/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) order = desk_expect (server, "GET", path, NULL, NULL, 200);

  return g_strdup (json_object_get_string_member (desk_object (order), "status"));
}

/* A window signed in with @token, on its Orders page; the page. */
static GtkWidget *
open_orders_page (BourseTestServer  *server,
                  const char        *token,
                  BourseWindow     **window)
{
  *window = open_window_as (server, token);
  wait_until (window_knows_permissions, *window, "the trader's permissions");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (*window), "win.show-page", "s", "orders"));

  return find_widget (GTK_WIDGET (*window), "orders-page");
}

/* A trader cancels their own orders, and is offered no Cancel on anyone
 * else's (orders.manage is an administrator's). */
static void
test_cancel_rights (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autofree char *token = NULL;
  g_autofree char *theirs_row = NULL;
  g_autofree char *ours_row = NULL;
  g_autofree char *status = NULL;
  BourseWindow *window;
  GtkWidget *orders;
  gint64 theirs, ours;

  desk_create_user (server, "tess", "trader");
  token = desk_login (server, "tess", "trader");
  theirs = place_resting_buy (server, NULL);
  ours = place_resting_buy (server, token);
  theirs_row = g_strdup_printf ("order-row-%" G_GINT64_FORMAT, theirs);
  ours_row = g_strdup_printf ("order-row-%" G_GINT64_FORMAT, ours);

  orders = open_orders_page (server, token, &window);
  {
    RowQuery own = { orders, ours_row, "cancel-button", TRUE };

    wait_until (row_has_child, &own, "Cancel on the trader's own order");
  }
  g_assert_nonnull (find_widget (orders, theirs_row));
  g_assert_null (find_widget (find_widget (orders, theirs_row), "cancel-button"));

  click (find_widget (find_widget (orders, ours_row), "cancel-button"));
  {
    WidgetQuery gone = { find_widget (orders, "open-orders-group"), ours_row };

    wait_until (widget_is_gone, &gone, "the canceled order to leave the open orders");
  }
  status = dup_order_status (server, ours);
  g_assert_cmpstr (status, ==, "CANCELED");
  g_clear_pointer (&status, g_free);
  status = dup_order_status (server, theirs);
  g_assert_cmpstr (status, ==, "NEW");

  close_window (window);
  bourse_test_server_free (server);
}

/* label_says (), shown or not: the History tab is not. */
static gboolean
label_reads (gpointer data)
{
  LabelQuery *query = data;
  GtkWidget *label = find_widget (query->root, query->name);

  return label != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), query->text) == 0;
}

static gboolean
open_orders_are_listed (gpointer data)
{
  return bourse_orders_page_get_n_open (data) == 0;
}

/* The open orders follow the orders topic: an order placed through the API
 * appears, its cancel through the API takes it to the history as
 * canceled, without a click in the window; and one is canceled by the
 * keyboard alone (one server for both: the ASan run is slow). */
static void
test_orders_live (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autofree char *token = NULL;
  g_autofree char *row = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) canceled = NULL;
  g_autofree char *status = NULL;
  BourseWindow *window;
  GtkWidget *orders;
  GtkWidget *cancel;
  AdwViewStack *tabs;
  gint64 id;

  desk_create_user (server, "tess", "trader");
  token = desk_login (server, "tess", "trader");

  orders = open_orders_page (server, token, &window);
  wait_until (open_orders_are_listed, orders, "the open orders to be listed");
  wait_for_topics (window, (const char * const []) { "orders", NULL });
  tabs = ADW_VIEW_STACK (find_widget_of_type (orders, ADW_TYPE_VIEW_STACK));

  /* Nothing yet: each tab says what will be there, the open orders with
   * the way to place one; an empty group is not shown. */
  {
    GtkWidget *empty = wait_for_status_page (orders, "open-orders-empty");

    g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No Open Orders");
    g_assert_true (gtk_widget_is_visible (find_required (empty, "empty-new-order-button")));
    g_assert_false (gtk_widget_is_visible (find_required (orders, "open-orders-group")));
  }
  adw_view_stack_set_visible_child_name (tabs, "history");
  wait_for_status_page (orders, "order-history-empty");
  g_assert_false (gtk_widget_is_visible (find_required (orders, "order-history-group")));
  adw_view_stack_set_visible_child_name (tabs, "open");

  id = place_resting_buy (server, token);
  row = g_strdup_printf ("order-row-%" G_GINT64_FORMAT, id);
  {
    RowQuery query = { find_widget (orders, "open-orders-group"), row, "cancel-button", TRUE };

    wait_until (row_has_child, &query, "the new order among the open ones");
  }
  /* The first one: the list takes the status page's place. */
  wait_for_status_page_gone (orders, "open-orders-empty");
  g_assert_true (gtk_widget_get_mapped (find_required (orders, row)));
  g_assert_cmpstr (label_text (find_widget (orders, row), "status-label"), ==, bourse_order_status_to_display ("NEW"));
  g_assert_cmpint (bourse_orders_page_get_n_open (BOURSE_ORDERS_PAGE (orders)), ==, 1);

  path = g_strdup_printf ("/api/v1/orders/%" G_GINT64_FORMAT, id);
  canceled = desk_expect (server, "DELETE", path, token, NULL, 200);
  {
    WidgetQuery gone = { find_widget (orders, "open-orders-group"), row };
    LabelQuery history = { find_widget (orders, "order-history-group"), "status-label",
                           bourse_order_status_to_display ("CANCELED") };

    wait_until (widget_is_gone, &gone, "the canceled order to leave the open orders");
    wait_until (label_reads, &history, "the canceled order in the history");
  }
  g_assert_nonnull (find_widget (find_widget (orders, "order-history-group"), row));
  g_assert_cmpint (bourse_orders_page_get_n_open (BOURSE_ORDERS_PAGE (orders)), ==, 0);
  g_assert_false (some_label_contains (orders, "User #"));
  /* The history has its first order in place of its status page; the
   * open orders are empty again. */
  adw_view_stack_set_visible_child_name (tabs, "history");
  wait_for_status_page_gone (orders, "order-history-empty");
  g_assert_true (gtk_widget_get_mapped (find_required (find_required (orders, "order-history-group"), row)));
  adw_view_stack_set_visible_child_name (tabs, "open");
  wait_for_status_page (orders, "open-orders-empty");

  /* And by the keyboard alone: Tab to the next one's Cancel, press it. */
  id = place_resting_buy (server, token);
  g_free (row);
  row = g_strdup_printf ("order-row-%" G_GINT64_FORMAT, id);
  {
    RowQuery query = { find_widget (orders, "open-orders-group"), row, "cancel-button", TRUE };

    wait_until (row_has_child, &query, "Cancel on the next order");
  }
  cancel = find_widget (find_widget (orders, row), "cancel-button");
  g_assert_true (tab_to (GTK_WIDGET (window), cancel, 400));
  g_assert_true (gtk_widget_activate (cancel));
  {
    WidgetQuery gone = { find_widget (orders, "open-orders-group"), row };

    wait_until (widget_is_gone, &gone, "the order canceled by the keyboard to leave the open orders");
  }
  status = dup_order_status (server, id);
  g_assert_cmpstr (status, ==, "CANCELED");

  close_window (window);
  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!gui_test_init (&argc, &argv, &tmp_dir))
    return 0;

  g_test_add_func ("/trading/kill-switch", test_kill_switch);
  g_test_add_func ("/trading/order-dialog", test_order_dialog);
  g_test_add_func ("/trading/portfolio", test_portfolio);
  g_test_add_func ("/trading/positions-live", test_positions_live);
  g_test_add_func ("/trading/execute", test_execute);
  g_test_add_func ("/trading/viewer", test_viewer);
  g_test_add_func ("/trading/cancel-rights", test_cancel_rights);
  g_test_add_func ("/trading/orders-live", test_orders_live);

  ret = g_test_run ();

  gui_test_cleanup (&tmp_dir);

  return ret;
}
