/* test-live-console.c — live trading in the console: Preferences → Exchange, the
 * mode switch's typed confirmation, what open orders say of the exchange,
 * and the reconciliation report, against the real engine (in this thread)
 * and the fake exchange
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/bourse-store.h"
#include "core/bourse-time.h"
#include "market/bourse-instruments.h"

#include "bourse-exchange-page.h"
#include "bourse-order-dialog.h"
#include "bourse-orders-page.h"
#include "bourse-preferences-window.h"
#include "bourse-reconciliation-dialog.h"
#include "bourse-system-page.h"
#include "bourse-window.h"

#include "../integration/desk-test-util.h"
#include "../integration/fake-exchange-orders.h"
#include "../integration/fake-exchange-user-stream.h"
#include "../integration/fake-exchange.h"
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

static gboolean
permissions_are_loaded (gpointer data)
{
  BourseClient *client = data;

  return bourse_client_get_permissions (client) != NULL;
}

/* A client signed in with @token whose permissions are known, as the
 * window's is when it opens the preferences. */
static BourseClient *
client_for (BourseTestServer *server,
            const char       *token)
{
  BourseClient *client = bourse_client_new (server->base_url);

  bourse_client_set_token (client, token);
  bourse_client_load_permissions_async (client, NULL, NULL, NULL);
  wait_until (permissions_are_loaded, client, "the permissions to load");

  return client;
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
  const char *text;     /* what the widget should say, whole */
} TextQuery;

/* What a label, or a row's subtitle, says. */
static const char *
widget_text (GtkWidget  *root,
             const char *name)
{
  GtkWidget *widget = find_widget (root, name);

  if (widget == NULL)
    return NULL;
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (ADW_IS_ACTION_ROW (widget))
    return adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));
  return NULL;
}

static gboolean
widget_says (gpointer data)
{
  TextQuery *query = data;

  return g_strcmp0 (widget_text (query->root, query->name), query->text) == 0;
}

static gboolean
widget_mentions (gpointer data)
{
  TextQuery *query = data;
  const char *text = widget_text (query->root, query->name);

  return text != NULL && strstr (text, query->text) != NULL;
}

static gboolean
widget_is_visible (gpointer data)
{
  WidgetQuery *query = data;
  GtkWidget *widget = find_widget (query->root, query->name);

  return widget != NULL && gtk_widget_get_visible (widget);
}

static gboolean
exchange_page_loaded (gpointer data)
{
  return bourse_exchange_page_get_n_loads (data) > 0;
}

typedef struct
{
  BourseExchangePage *page;
  guint               n;
} Count;

static gboolean
saves_reach (gpointer data)
{
  Count *count = data;

  return bourse_exchange_page_get_n_saves (count->page) >= count->n;
}

static gboolean
toast_button_is_shown (gpointer data)
{
  return find_button_labelled (data, "_Show Report") != NULL;
}

static char *
dup_mode (BourseTestServer *server)
{
  g_autoptr(JsonNode) node = desk_expect (server, "GET", "/api/v1/system/status", NULL, NULL, 200);

  return g_strdup (json_object_get_string_member (desk_object (node), "mode"));
}

/* }}} */

/* Preferences → Exchange, for those who may read it: the network from the
 * base URL, no keys yet, and keys that can withdraw refused with the
 * server's words under the rows (Binance's answer comes from the fake
 * exchange). */
static void
run_exchange_page (gboolean save)
{
  FakeExchange *exchange = fake_exchange_new ();
  const char *settings[] = { "binance", "base_url", fake_exchange_get_url (exchange), NULL };
  BourseTestServer *server = desk_server_new (settings);
  g_autofree char *trader_token = NULL;
  g_autoptr(BourseClient) trader = NULL;
  g_autoptr(BourseClient) owner = NULL;
  g_autoptr(JsonNode) refusal = NULL;
  const char *body = "{\"api_key\":\"withdrawerKey1\",\"secret\":\"withdrawerSecret1\"}";
  const char *expected;
  GtkWidget *prefs;
  GtkWidget *page;
  guint status = 0;

  fake_exchange_add_key (exchange, "withdrawerKey1", "withdrawerSecret1", TRUE, TRUE);

  /* A trader may not read it: no page at all. */
  desk_create_user (server, "dealer", "trader");
  trader_token = desk_login (server, "dealer", "trader");
  trader = client_for (server, trader_token);
  prefs = bourse_preferences_window_new (trader);
  g_assert_null (find_widget_of_type (prefs, BOURSE_TYPE_EXCHANGE_PAGE));
  gtk_window_destroy (GTK_WINDOW (prefs));

  owner = client_for (server, server->token);
  prefs = bourse_preferences_window_new (owner);
  gtk_window_present (GTK_WINDOW (prefs));
  page = find_widget_of_type (prefs, BOURSE_TYPE_EXCHANGE_PAGE);
  g_assert_nonnull (page);
  wait_until (exchange_page_loaded, page, "the exchange to load");

  /* Not a testnet address: real money, and said so. */
  g_assert_cmpstr (widget_text (page, "network-label"), ==, "Main Net: Real Money");
  g_assert_cmpstr (widget_text (page, "network-row"), ==, fake_exchange_get_url (exchange));
  g_assert_cmpstr (widget_text (page, "keys-row"), ==, "None stored: live trading is not possible");
  g_assert_false (gtk_widget_get_visible (find_widget (page, "remove-keys-button")));

  /* Save waits for both halves of the keys. */
  g_assert_false (gtk_widget_is_sensitive (find_widget (page, "save-keys-button")));
  gtk_editable_set_text (GTK_EDITABLE (find_widget (page, "api-key-row")), "withdrawerKey1");
  g_assert_false (gtk_widget_is_sensitive (find_widget (page, "save-keys-button")));
  gtk_editable_set_text (GTK_EDITABLE (find_widget (page, "secret-row")), "withdrawerSecret1");
  g_assert_true (gtk_widget_is_sensitive (find_widget (page, "save-keys-button")));

  /* An Ed25519 key is a PEM, lines and all: a text view takes it. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (page, "kind-row")), 1);
  g_assert_true (gtk_widget_get_visible (find_widget (page, "pem-row")));
  g_assert_false (gtk_widget_get_visible (find_widget (page, "secret-row")));
  g_assert_false (gtk_widget_is_sensitive (find_widget (page, "save-keys-button")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_widget (page, "kind-row")), 0);
  g_assert_true (gtk_widget_is_sensitive (find_widget (page, "save-keys-button")));

  if (!save)
    goto out;

  /* What the server says of these keys (a refusal stores nothing, so
   * asking first changes nothing). */
  refusal = desk_fetch (server, "PUT", "/api/v1/exchange/keys", NULL, body, &status);
  g_assert_cmpuint (status, ==, 422);
  expected = json_object_get_string_member (json_array_get_object_element (
               json_object_get_array_member (desk_object (refusal), "errors"), 0), "message");
  g_assert_nonnull (strstr (expected, "withdraw"));

  click (find_widget (page, "save-keys-button"));
  wait_until (saves_reach, &(Count) { BOURSE_EXCHANGE_PAGE (page), 1 }, "the keys' answer");
  wait_until (widget_says, &(TextQuery) { page, "keys-error-label", expected }, "the refusal under the rows");
  g_assert_true (gtk_widget_get_visible (find_widget (page, "keys-error-label")));
  g_assert_true (gtk_widget_has_css_class (find_widget (page, "api-key-row"), "error"));
  /* Nothing was kept: the keys are still what they were. */
  g_assert_cmpstr (widget_text (page, "keys-row"), ==, "None stored: live trading is not possible");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_widget (page, "secret-row"))), ==,
                   "withdrawerSecret1");

out:
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_clear_object (&owner);
  g_clear_object (&trader);
  bourse_test_server_free (server);
  fake_exchange_free (exchange);
}

static void
test_exchange_page (void)
{
  run_exchange_page (FALSE);
}

static void
test_keys_refused (void)
{
  run_exchange_page (TRUE);
}

/* Trade Live… asks for the word LIVE, typed: the button stays off until it
 * is there exactly; the server's refusal (no keys passed the check) is
 * shown on the mode's row; a trader is not offered the switch. */
static void
test_mode_switch (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *trader_token = NULL;
  g_autofree char *mode = NULL;
  g_autoptr(JsonNode) refusal = NULL;
  BourseWindow *window;
  GtkWidget *page;
  GtkWidget *dialog;
  GtkWidget *entry;
  const char *expected;
  guint status = 0;

  desk_create_user (server, "dealer", "trader");
  trader_token = desk_login (server, "dealer", "trader");

  /* What the server answers without keys, in its words. */
  refusal = desk_fetch (server, "POST", "/api/v1/system/mode", NULL,
                        "{\"mode\":\"live\",\"confirm\":\"LIVE\"}", &status);
  g_assert_cmpuint (status, ==, 409);
  expected = json_object_get_string_member (json_array_get_object_element (
               json_object_get_array_member (desk_object (refusal), "errors"), 0), "message");

  /* A trader sees the mode, and no switch. */
  window = open_window_as (server, trader_token);
  wait_until (window_knows_permissions, window, "the trader's permissions");
  page = find_widget_of_type (GTK_WIDGET (window), BOURSE_TYPE_SYSTEM_PAGE);
  wait_until (widget_says, &(TextQuery) { page, "mode-value", "Paper" }, "the mode to show");
  g_assert_false (gtk_widget_get_visible (find_widget (page, "go-live-button")));
  g_assert_false (gtk_widget_get_visible (find_widget (page, "go-paper-button")));
  close_window (window);

  window = open_window_as (server, NULL);
  wait_until (window_knows_permissions, window, "the owner's permissions");
  page = find_widget_of_type (GTK_WIDGET (window), BOURSE_TYPE_SYSTEM_PAGE);
  wait_until (widget_is_visible, &(WidgetQuery) { page, "go-live-button" }, "Trade Live… to show");
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (window), "live-badge")));
  g_assert_false (gtk_widget_get_visible (find_widget (page, "reconcile-row")));

  click (find_widget (page, "go-live-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "live-dialog", "the live dialog");
  dialog = find_named_toplevel ("live-dialog");
  entry = find_widget (dialog, "live-confirm-entry");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "live"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "live");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "live"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "LIVE ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "live"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "LIV");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "live"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "LIVE");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "live"));

  /* As a click on the button does. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "live");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (widget_mentions, &(TextQuery) { page, "mode-row", expected }, "the server's refusal on the row");
  g_assert_true (gtk_widget_has_css_class (find_widget (page, "mode-row"), "error"));

  /* Still paper, everywhere. */
  mode = dup_mode (server);
  g_assert_cmpstr (mode, ==, "paper");
  g_assert_cmpstr (widget_text (page, "mode-value"), ==, "Paper");
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (window), "live-badge")));
  g_assert_true (gtk_widget_get_visible (find_widget (page, "go-live-button")));

  /* The window closed under an open dialog: the dialog goes with it, and
   * the page that followed it no longer does once it is freed. */
  click (find_widget (page, "go-live-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "live-dialog", "the live dialog again");
  dialog = find_named_toplevel ("live-dialog");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  close_window (window);
  wait_until (pointer_is_null, &dialog, "the live dialog to go with its window");

  bourse_test_server_free (server);
}

static gboolean
book_is_reconciled (gpointer data)
{
  BourseTestServer *server = data;
  g_autoptr(JsonNode) status = desk_expect (server, "GET", "/api/v1/system/status", NULL, NULL, 200);
  JsonObject *trading = json_object_get_object_member (desk_object (status), "trading");

  return g_strcmp0 (json_object_get_string_member (trading, "mode"), "live") == 0
         && !json_object_get_boolean_member (trading, "reconciling");
}

/* Live through the API, with keys the fake exchange accepts: the header
 * bar's LIVE badge appears from the system topic, the System page offers
 * the way back and Reconcile Now, and the badge goes with paper. */
/* The engine's price of @symbol, as a feed brings it: the current
 * minute's candle. */
static void
ingest_price (BourseTestServer *server,
              const char       *symbol,
              const char       *price)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GError) error = NULL;
  BourseCandle candle = { 0 };

  instrument = bourse_instruments_find (bourse_engine_get_store (server->engine), symbol, &error);
  g_assert_no_error (error);
  candle.open_time = bourse_interval_align (BOURSE_INTERVAL_1M, bourse_time_now_ms ());
  bourse_decimal_parse (price, &candle.open, &error);
  g_assert_no_error (error);
  candle.high = candle.low = candle.close = candle.open;
  bourse_decimal_parse ("1", &candle.volume, NULL);
  bourse_market_ingest (bourse_engine_get_market (server->engine), instrument, BOURSE_INTERVAL_1M, &candle, 1,
                        &error);
  g_assert_no_error (error);
}

static gboolean
order_dialog_is_ready (gpointer data)
{
  GtkWidget *dialog = find_named_toplevel ("order-dialog");

  return dialog != NULL && bourse_order_dialog_is_ready (BOURSE_ORDER_DIALOG (dialog))
         && gtk_widget_is_sensitive (find_widget (dialog, "place-button"));
}

static gboolean
no_open_orders (gpointer data)
{
  g_autoptr(JsonNode) open = desk_expect (data, "GET", "/api/v1/orders?status=open", NULL, NULL, 200);

  return json_array_get_length (json_object_get_array_member (desk_object (open), "items")) == 0;
}

static gboolean
exchange_has_order (gpointer data)
{
  return fake_exchange_get_n_api_requests (data) > 0
         && fake_exchange_count_api_requests (data, "POST", "/api/v3/order") == 1;
}

/* A live order above risk.live_confirm_notional: the dialog asks a second
 * time, in the server's words, and only then sends it. */
static void
place_confirmed_live_order (BourseWindow     *window,
                            BourseTestServer *server,
                            FakeExchange     *exchange)
{
  GtkWidget *dialog;
  GtkWidget *confirm;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new-order", "s", "LIVUSDT"));
  wait_until (named_toplevel_is_shown, (gpointer) "order-dialog", "the order dialog");
  dialog = find_named_toplevel ("order-dialog");
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "quantity-row")), "2");
  wait_until (order_dialog_is_ready, NULL, "the order dialog's estimate");
  fake_exchange_clear_api_requests (exchange);
  click (find_widget (dialog, "place-button"));
  wait_until (named_toplevel_is_shown, (gpointer) "confirm-live-order-dialog", "the live order's second step");
  confirm = find_named_toplevel ("confirm-live-order-dialog");
  /* Nothing went out before the person confirmed. */
  g_assert_cmpuint (fake_exchange_count_api_requests (exchange, "POST", "/api/v3/order"), ==, 0);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "send");
  wait_until (exchange_has_order, exchange, "the confirmed order to reach the exchange");
  wait_until (no_open_orders, server, "the live order to fill");
}

static void
test_live_badge (void)
{
  FakeExchange *exchange = fake_exchange_new ();
  g_autofree char *base_url = g_strdup (fake_exchange_get_url (exchange));
  g_autofree char *stream_url = g_strdup (fake_exchange_get_stream_url (exchange));
  g_autofree char *ws_api_url = g_strdup (fake_exchange_get_ws_api_url (exchange));
  const char * const settings[] = {
    "binance", "base_url", base_url,
    "binance", "stream_url", stream_url,
    "binance", "ws_api_url", ws_api_url,
    "binance", "request_timeout", "2",
    NULL
  };
  BourseTestServer *server;
  g_autoptr(JsonNode) kept = NULL;
  g_autoptr(JsonNode) live = NULL;
  g_autoptr(JsonNode) paper = NULL;
  BourseWindow *window;
  GtkWidget *page;

  fake_exchange_add_key (exchange, "liveKey0001", "liveSecret0001", TRUE, FALSE);
  fake_exchange_set_balance (exchange, "liveKey0001", "USDT", "1000");
  fake_exchange_add_symbol (exchange, "LIVUSDT", "LIV", "USDT", "100");
  server = desk_server_new (settings);
  {
    g_autoptr(JsonNode) created = desk_expect (server, "POST", "/api/v1/instruments", NULL,
                                               "{\"symbol\":\"LIVUSDT\",\"base_asset\":\"LIV\","
                                               "\"quote_asset\":\"USDT\",\"tick_size\":\"0.01\","
                                               "\"lot_step\":\"0.001\",\"min_notional\":\"5\","
                                               "\"source\":\"csv\"}", 201);
  }
  ingest_price (server, "LIVUSDT", "100");

  window = open_window_as (server, NULL);
  wait_until (window_knows_permissions, window, "the owner's permissions");
  wait_for_topics (window, (const char * const []) { "system", NULL });
  page = find_widget_of_type (GTK_WIDGET (window), BOURSE_TYPE_SYSTEM_PAGE);
  wait_until (widget_says, &(TextQuery) { page, "mode-value", "Paper" }, "the mode to show");
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (window), "live-badge")));

  kept = desk_expect (server, "PUT", "/api/v1/exchange/keys", NULL,
                      "{\"api_key\":\"liveKey0001\",\"secret\":\"liveSecret0001\"}", 200);
  live = desk_expect (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"live\",\"confirm\":\"LIVE\"}", 200);
  wait_until (widget_is_visible, &(WidgetQuery) { GTK_WIDGET (window), "live-badge" }, "the LIVE badge");
  wait_until (widget_says, &(TextQuery) { page, "mode-value", "Live" }, "the System page to say live");
  g_assert_true (gtk_widget_has_css_class (find_widget (GTK_WIDGET (window), "live-badge"), "live-badge"));
  g_assert_false (gtk_widget_get_visible (find_widget (page, "go-live-button")));
  g_assert_true (gtk_widget_get_visible (find_widget (page, "go-paper-button")));
  g_assert_true (gtk_widget_get_visible (find_widget (page, "reconcile-row")));

  /* Back to paper once the switch's reconciliation is done, and the live
   * order it sent has filled. */
  wait_until (book_is_reconciled, server, "the live book to be reconciled");
  place_confirmed_live_order (window, server, exchange);
  paper = desk_expect (server, "POST", "/api/v1/system/mode", NULL, "{\"mode\":\"paper\"}", 200);
  wait_until (widget_says, &(TextQuery) { page, "mode-value", "Paper" }, "the System page to say paper");
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (window), "live-badge")));

  close_window (window);
  bourse_test_server_free (server);
  fake_exchange_free (exchange);
}

/* An open order the exchange knows: its id there, "external" for one
 * adopted by a reconciliation, and a cancel the exchange has yet to
 * confirm (no second Cancel meanwhile). The venue's columns are written
 * into the store, as a reconciliation writes them. */
static void
test_order_rows (void)
{
  BourseTestServer *server = desk_sim_server_new ("1", "1", NULL);
  g_autoptr(JsonNode) ticker = desk_expect (server, "GET", "/api/v1/market/ticker/BTCUSDT", NULL, NULL, 200);
  g_autoptr(JsonNode) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *row_name = NULL;
  char price[G_ASCII_DTOSTR_BUF_SIZE];
  BourseWindow *window;
  GtkWidget *page;
  GtkWidget *row;
  gint64 id;

  g_ascii_formatd (price, sizeof price, "%.2f",
                   g_ascii_strtod (json_object_get_string_member (desk_object (ticker), "last_price"), NULL) / 2);
  body = g_strdup_printf ("{\"symbol\":\"BTCUSDT\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":\"0.01\","
                          "\"price\":\"%s\"}", price);
  order = desk_expect (server, "POST", "/api/v1/orders", NULL, body, 201);
  id = json_object_get_int_member (desk_object (order), "id");
  sql = g_strdup_printf ("UPDATE orders SET exchange_order_id = '8675309', external = 1, "
                         "cancel_requested_at = '2026-03-05T10:00:00Z' WHERE id = %" G_GINT64_FORMAT, id);
  bourse_store_exec (bourse_engine_get_store (server->engine), sql, &error);
  g_assert_no_error (error);

  window = open_window_as (server, NULL);
  wait_until (window_knows_permissions, window, "the owner's permissions");
  page = find_widget_of_type (GTK_WIDGET (window), BOURSE_TYPE_ORDERS_PAGE);
  row_name = g_strdup_printf ("order-row-%" G_GINT64_FORMAT, id);
  row = wait_for_widget_named (page, row_name);

  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Exchange order 8675309"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "external: placed on the exchange outside Bourse"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "cancel requested, waiting for the exchange"));
  g_assert_cmpstr (label_text (row, "status-label"), ==, "Cancel requested");
  g_assert_cmpstr (label_text (row, "order-mode-label"), ==, "Paper");
  g_assert_null (find_widget (row, "cancel-button"));

  close_window (window);
  bourse_test_server_free (server);
}

/* A reconciliation that adopted something is announced on alerts: a toast
 * whose button shows the newest report. The report is written into the
 * store as the engine writes it, and the alert published on its bus. */
static void
test_reconciliation_report (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  const char *report =
    "{\"id\":1,\"trigger\":\"reconnect\",\"actor\":\"system\",\"started_at\":\"2026-03-05T10:00:00Z\","
    "\"finished_at\":\"2026-03-05T10:00:01Z\",\"outcome\":\"ok\","
    "\"adopted_orders\":[{\"id\":41,\"symbol\":\"BTCUSDT\",\"side\":\"SELL\",\"type\":\"LIMIT\","
    "\"status\":\"NEW\",\"quantity\":\"0.50000000\",\"price\":\"70000.00000000\","
    "\"exchange_order_id\":\"424242\",\"external\":true}],"
    "\"updated_orders\":[],\"fills\":[],"
    "\"balances\":[{\"asset\":\"USDT\",\"ledger_free\":\"100.00000000\",\"ledger_locked\":\"0.00000000\","
    "\"exchange_free\":\"90.00000000\",\"exchange_locked\":\"10.00000000\"}],\"differences\":2}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) alert = NULL;
  g_autofree char *sql = NULL;
  BourseWindow *window;
  GtkWidget *button;
  GtkWidget *dialog;
  GtkWidget *row;

  window = open_window_as (server, NULL);
  wait_until (window_knows_permissions, window, "the owner's permissions");
  wait_for_topics (window, (const char * const []) { "system", "alerts", NULL });

  sql = g_strdup_printf ("INSERT INTO reconciliations (account_id, trigger, actor, started_at, finished_at, "
                         "outcome, report) SELECT id, 'reconnect', 'system', '2026-03-05T10:00:00Z', "
                         "'2026-03-05T10:00:01Z', 'ok', '%s' FROM accounts LIMIT 1", report);
  bourse_store_exec (bourse_engine_get_store (server->engine), sql, &error);
  g_assert_no_error (error);

  /* Nothing adopted: no toast. */
  alert = json_from_string ("{\"kind\":\"reconciliation\",\"differences\":0,\"id\":1}", NULL);
  bourse_event_bus_publish (bourse_engine_get_event_bus (server->engine), "alerts", alert);
  g_clear_pointer (&alert, json_node_unref);
  alert = json_from_string ("{\"kind\":\"reconciliation\",\"differences\":2,\"id\":1}", NULL);
  bourse_event_bus_publish (bourse_engine_get_event_bus (server->engine), "alerts", alert);

  wait_until (toast_button_is_shown, window, "the toast's button");
  button = find_button_labelled (GTK_WIDGET (window), "_Show Report");
  gtk_widget_activate (button);

  wait_until (named_toplevel_is_shown, (gpointer) "reconciliation-dialog", "the report");
  dialog = find_named_toplevel ("reconciliation-dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Reconciliation: 2 Differences");
  row = find_widget (dialog, "adopted-order-row-41");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Adopted: Sell 0.50 BTCUSDT");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "exchange order 424242"));
  row = find_widget (dialog, "balance-row-USDT");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Ledger 100.00 free, 0.00 locked → exchange 90.00 free, 10.00 locked");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Show Report again, and the window closed while the report is on its
   * way: the answer neither keeps the window nor puts a dialog up without
   * it. Once the window's client is gone, so is every answer it waited
   * for. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-reconciliation", NULL));
  close_window (window);
  g_assert_null (find_named_toplevel ("reconciliation-dialog"));

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!gui_test_init (&argc, &argv, &tmp_dir))
    return 0;

  g_test_add_func ("/live/exchange-page", test_exchange_page);
  g_test_add_func ("/live/keys-refused", test_keys_refused);
  g_test_add_func ("/live/mode-switch", test_mode_switch);
  g_test_add_func ("/live/badge", test_live_badge);
  g_test_add_func ("/live/order-rows", test_order_rows);
  g_test_add_func ("/live/reconciliation-report", test_reconciliation_report);

  ret = g_test_run ();

  gui_test_cleanup (&tmp_dir);

  return ret;
}
