/* test-empty-states.c — what an empty list offers, as the signed-in role may
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against the real engine and server, in this thread (tests/integration's
 * BourseTestServer), with nothing in it: every list is empty. A page's empty
 * state (an AdwStatusPage) says what will be there and, for those who may
 * make the first item, offers the button to: the window asks the server's
 * permission table (GET /api/v1/permissions), never the role's name. A
 * viewer is told who can add them, and offered nothing.
 */

#include "config.h"

#include "bourse-backtests-page.h"
#include "bourse-orders-page.h"
#include "bourse-strategies-page.h"
#include "bourse-window.h"

#include "../integration/desk-test-util.h"
#include "gui-util.h"

static char *tmp_dir;
/* One server for the file: no case adds anything to it. */
static BourseTestServer *server;

/* Helpers {{{ */

/* A window signed in as a new account of @role, once it knows what the
 * role may do: from then on no answer can change what the pages offer. */
static BourseWindow *
open_window_as (const char *username,
                const char *role)
{
  g_autofree char *token = NULL;
  BourseWindow *window;

  desk_create_user (server, username, role);
  token = desk_login (server, username, role);
  window = open_signed_in_window (server->base_url, token);
  wait_until (window_knows_permissions, window, "the role's permissions");
  g_assert_cmpstr (bourse_client_get_role (bourse_window_get_client (window)), ==, role);

  return window;
}

/* What each page's empty state offers the window's role. */
typedef struct
{
  gboolean    offers_new;
  const char *strategies_text;
  const char *backtests_text;
} Offer;

static void
assert_empty_states (BourseWindow *window,
                     const Offer  *offer)
{
  GtkWidget *page;
  GtkWidget *empty;

  /* Strategies: made when first shown. */
  page = show_listed_page (window, "strategies", "strategies-page");
  empty = wait_for_status_page (page, "strategies-empty");
  g_assert_cmpint (bourse_strategies_page_get_n_strategies (BOURSE_STRATEGIES_PAGE (page)), ==, 0);
  g_assert_cmpint (gtk_widget_is_visible (find_required (empty, "empty-new-button")), ==, offer->offers_new);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty)), ==, offer->strategies_text);

  /* Orders: the open orders' tab. */
  page = show_listed_page (window, "orders", "orders-page");
  empty = wait_for_status_page (page, "open-orders-empty");
  g_assert_cmpint (bourse_orders_page_get_n_open (BOURSE_ORDERS_PAGE (page)), ==, 0);
  g_assert_cmpint (gtk_widget_is_visible (find_required (empty, "empty-new-order-button")), ==, offer->offers_new);

  /* Backtests: the form below the empty state is the way to the first. */
  page = show_listed_page (window, "backtests", "backtests-page");
  empty = wait_for_status_page (page, "backtests-empty");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (empty)), ==, offer->backtests_text);
  g_assert_cmpint (gtk_widget_is_visible (find_required (page, "run-button")), ==, offer->offers_new);
}

/* }}} */

/* A viewer: told who may add the first, offered no button to. */
static void
test_viewer (void)
{
  static const Offer offer = {
    FALSE,
    "A trader or an administrator can add them",
    "A trader or an administrator can run them",
  };
  BourseWindow *window = open_window_as ("vera", "viewer");

  assert_empty_states (window, &offer);

  close_window (window);
}

/* A trader, in the same empty lists: the way to the first one. */
static void
test_trader (void)
{
  static const Offer offer = {
    TRUE,
    "Create one to get recommendations: it runs on every closed candle of its instrument",
    "Run one with the form below on an instrument's stored candles, "
    "or switch it to Optimise to search a strategy's parameters",
  };
  BourseWindow *window = open_window_as ("tess", "trader");

  assert_empty_states (window, &offer);

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  if (!gui_test_init (&argc, &argv, &tmp_dir))
    return 0;

  server = desk_server_new (NULL);

  g_test_add_func ("/empty-states/viewer", test_viewer);
  g_test_add_func ("/empty-states/trader", test_trader);

  ret = g_test_run ();

  bourse_test_server_free (g_steal_pointer (&server));
  gui_test_cleanup (&tmp_dir);

  return ret;
}
