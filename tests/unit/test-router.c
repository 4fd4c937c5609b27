/* test-router.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "server/bourse-hub.h"
#include "server/bourse-router.h"

/* Handlers are never called here: the router only hands them back. Distinct
 * functions and user data tell the routes apart. */
static void handler_a (BourseRequest *request, gpointer user_data) { }
static void handler_b (BourseRequest *request, gpointer user_data) { }

static int tag_a, tag_b, tag_c, tag_d;

/* Matches and checks the outcome; returns the route on FOUND. */
static const BourseRoute *
match (BourseRouter     *router,
       const char       *method,
       const char       *path,
       BourseRouteMatch  expected,
       GHashTable      **params)
{
  const BourseRoute *route = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autofree char *allow = NULL;
  BourseRouteMatch result;

  result = bourse_router_match (router, method, path, &route, &found, &allow);
  if (result != expected)
    g_error ("%s %s: expected match %d, got %d", method, path, expected, result);

  if (result == BOURSE_ROUTE_FOUND)
    {
      g_assert_nonnull (route);
      g_assert_nonnull (found);
      g_assert_null (allow);
    }
  else
    {
      g_assert_null (route);
      g_assert_null (found);
    }
  if (result == BOURSE_ROUTE_NOT_FOUND)
    g_assert_null (allow);

  if (params != NULL)
    *params = g_steal_pointer (&found);
  return route;
}

static void
test_literal (void)
{
  g_autoptr(BourseRouter) router = bourse_router_new ();
  g_autoptr(GHashTable) params = NULL;
  const BourseRoute *route;

  bourse_router_add (router, "GET", "/health", NULL, handler_a, &tag_a);
  bourse_router_add (router, "GET", "/api/v1/version", "system.read", handler_b, &tag_b);

  route = match (router, "GET", "/health", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (route->pattern, ==, "/health");
  g_assert_true (route->handler == handler_a);
  g_assert_true (route->user_data == &tag_a);
  g_assert_cmpuint (g_hash_table_size (params), ==, 0);
  g_clear_pointer (&params, g_hash_table_unref);

  route = match (router, "GET", "/api/v1/version", BOURSE_ROUTE_FOUND, NULL);
  g_assert_cmpstr (route->pattern, ==, "/api/v1/version");
  g_assert_true (route->handler == handler_b);

  match (router, "GET", "/healthz", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/Health", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/health/extra", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/api/v1", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/api/v2/version", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/", BOURSE_ROUTE_NOT_FOUND, NULL);
}

static void
test_parameters (void)
{
  g_autoptr(BourseRouter) router = bourse_router_new ();
  g_autoptr(GHashTable) params = NULL;
  const BourseRoute *route;

  bourse_router_add (router, "GET", "/api/v1/orders/{id}", "orders.read", handler_a, &tag_a);
  bourse_router_add (router, "GET", "/api/v1/candles/{symbol}/{interval}", "market.read",
                     handler_b, &tag_b);

  route = match (router, "GET", "/api/v1/orders/42", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (route->pattern, ==, "/api/v1/orders/{id}");
  g_assert_cmpuint (g_hash_table_size (params), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "42");
  g_clear_pointer (&params, g_hash_table_unref);

  /* Parameters come decoded; an encoded slash stays inside its segment. */
  match (router, "GET", "/api/v1/orders/client%20order%201", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "client order 1");
  g_clear_pointer (&params, g_hash_table_unref);

  match (router, "GET", "/api/v1/orders/a%2Fb", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "a/b");
  g_clear_pointer (&params, g_hash_table_unref);

  match (router, "GET", "/api/v1/orders/%2f..%2F..%2Fetc", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "/../../etc");
  g_clear_pointer (&params, g_hash_table_unref);

  match (router, "GET", "/api/v1/orders/caf%C3%A9", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "café");
  g_clear_pointer (&params, g_hash_table_unref);

  match (router, "GET", "/api/v1/orders/100%25", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "100%");
  g_clear_pointer (&params, g_hash_table_unref);

  route = match (router, "GET", "/api/v1/candles/BTCUSDT/1m", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (route->pattern, ==, "/api/v1/candles/{symbol}/{interval}");
  g_assert_true (route->handler == handler_b);
  g_assert_cmpuint (g_hash_table_size (params), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (params, "symbol"), ==, "BTCUSDT");
  g_assert_cmpstr (g_hash_table_lookup (params, "interval"), ==, "1m");
  g_clear_pointer (&params, g_hash_table_unref);

  /* A parameter is exactly one non-empty segment. */
  match (router, "GET", "/api/v1/orders", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/api/v1/orders/42/fills", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/api/v1/candles/BTCUSDT", BOURSE_ROUTE_NOT_FOUND, NULL);

  /* What does not decode cleanly cannot be a parameter. */
  match (router, "GET", "/api/v1/orders/%zz", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/api/v1/orders/a%00b", BOURSE_ROUTE_NOT_FOUND, NULL);
  match (router, "GET", "/api/v1/orders/50%", BOURSE_ROUTE_NOT_FOUND, NULL);
}

static void
check_precedence (gboolean literal_first)
{
  g_autoptr(BourseRouter) router = bourse_router_new ();
  g_autoptr(GHashTable) params = NULL;
  const BourseRoute *route;

  if (literal_first)
    {
      bourse_router_add (router, "GET", "/api/v1/users/me", "account.read", handler_a, &tag_a);
      bourse_router_add (router, "GET", "/api/v1/users/{id}", "users.read", handler_b, &tag_b);
      bourse_router_add (router, "GET", "/api/v1/{collection}/{id}", "x", handler_b, &tag_c);
    }
  else
    {
      bourse_router_add (router, "GET", "/api/v1/{collection}/{id}", "x", handler_b, &tag_c);
      bourse_router_add (router, "GET", "/api/v1/users/{id}", "users.read", handler_b, &tag_b);
      bourse_router_add (router, "GET", "/api/v1/users/me", "account.read", handler_a, &tag_a);
    }

  route = match (router, "GET", "/api/v1/users/me", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (route->pattern, ==, "/api/v1/users/me");
  g_assert_cmpstr (route->permission, ==, "account.read");
  g_assert_true (route->user_data == &tag_a);
  g_assert_cmpuint (g_hash_table_size (params), ==, 0);
  g_clear_pointer (&params, g_hash_table_unref);

  route = match (router, "GET", "/api/v1/users/7", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (route->pattern, ==, "/api/v1/users/{id}");
  g_assert_cmpstr (route->permission, ==, "users.read");
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "7");
  g_assert_false (g_hash_table_contains (params, "collection"));
  g_clear_pointer (&params, g_hash_table_unref);

  route = match (router, "GET", "/api/v1/orders/7", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (route->pattern, ==, "/api/v1/{collection}/{id}");
  g_assert_true (route->user_data == &tag_c);
  g_assert_cmpstr (g_hash_table_lookup (params, "collection"), ==, "orders");
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "7");
}

static void
test_precedence (void)
{
  check_precedence (TRUE);
  check_precedence (FALSE);
}

/* Empty segments are ignored: a trailing slash (or a doubled one) reaches the
 * same route as the path without it, rather than a 404 or a redirect. */
static void
test_trailing_slash (void)
{
  g_autoptr(BourseRouter) router = bourse_router_new ();
  g_autoptr(GHashTable) params = NULL;
  const BourseRoute *route;

  bourse_router_add (router, "GET", "/health", NULL, handler_a, &tag_a);
  bourse_router_add (router, "GET", "/api/v1/orders/{id}", "orders.read", handler_b, &tag_b);
  bourse_router_add (router, "GET", "/api/v1/strategies/", "strategies.read", handler_b, &tag_c);

  route = match (router, "GET", "/health/", BOURSE_ROUTE_FOUND, NULL);
  g_assert_cmpstr (route->pattern, ==, "/health");
  route = match (router, "GET", "//health", BOURSE_ROUTE_FOUND, NULL);
  g_assert_cmpstr (route->pattern, ==, "/health");

  route = match (router, "GET", "/api/v1/orders/42/", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (route->pattern, ==, "/api/v1/orders/{id}");
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "42");
  g_clear_pointer (&params, g_hash_table_unref);

  /* An empty segment is no parameter value. */
  match (router, "GET", "/api/v1/orders//", BOURSE_ROUTE_NOT_FOUND, NULL);

  /* A pattern written with a trailing slash matches without one too. */
  route = match (router, "GET", "/api/v1/strategies", BOURSE_ROUTE_FOUND, NULL);
  g_assert_true (route->user_data == &tag_c);
  route = match (router, "GET", "/api/v1/strategies/", BOURSE_ROUTE_FOUND, NULL);
  g_assert_true (route->user_data == &tag_c);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The Allow list as a sorted, comma separated list, duplicates kept. */
static char *
normalise_allow (const char *allow)
{
  g_auto(GStrv) methods = g_strsplit (allow, ",", -1);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  for (guint i = 0; methods[i] != NULL; i++)
    g_ptr_array_add (sorted, g_strstrip (methods[i]));
  g_ptr_array_sort (sorted, compare_strings);
  g_ptr_array_add (sorted, NULL);
  return g_strjoinv (",", (char **) sorted->pdata);
}

/* Fails the test case without stopping the program, so that the other cases
 * still run and report. */
static void
assert_not_allowed (BourseRouter *router,
                    const char   *method,
                    const char   *path,
                    const char   *expected)
{
  const BourseRoute *route = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *allow = NULL;
  g_autofree char *normalised = NULL;
  BourseRouteMatch result;

  result = bourse_router_match (router, method, path, &route, &params, &allow);
  if (result != BOURSE_ROUTE_METHOD_NOT_ALLOWED || allow == NULL)
    {
      g_test_fail_printf ("%s %s: expected 405 with an Allow list, got match %d", method, path, result);
      return;
    }
  g_assert_null (route);
  g_assert_null (params);
  g_test_message ("%s %s -> Allow: %s", method, path, allow);

  normalised = normalise_allow (allow);
  if (!g_str_equal (normalised, expected))
    g_test_fail_printf ("%s %s: Allow is '%s', expected the methods %s, each once",
                        method, path, allow, expected);
}

static void
test_method_not_allowed (void)
{
  g_autoptr(BourseRouter) router = bourse_router_new ();
  g_autofree char *allow = NULL;

  bourse_router_add (router, "GET", "/api/v1/orders", "orders.read", handler_a, &tag_a);
  bourse_router_add (router, "POST", "/api/v1/orders", "orders.create", handler_b, &tag_b);
  bourse_router_add (router, "GET", "/api/v1/orders/{id}", "orders.read", handler_a, &tag_c);
  bourse_router_add (router, "DELETE", "/api/v1/orders/{id}", "orders.cancel", handler_b, &tag_d);
  bourse_router_add (router, "GET", "/api/v1/orders/open", "orders.read", handler_a, &tag_a);
  bourse_router_add (router, "POST", "/api/v1/auth/login", NULL, handler_a, &tag_a);

  /* GET implies HEAD, and OPTIONS is always answered. */
  assert_not_allowed (router, "PUT", "/api/v1/orders", "GET,HEAD,OPTIONS,POST");
  assert_not_allowed (router, "DELETE", "/api/v1/orders", "GET,HEAD,OPTIONS,POST");
  assert_not_allowed (router, "PATCH", "/api/v1/orders/17", "DELETE,GET,HEAD,OPTIONS");
  assert_not_allowed (router, "OPTIONS", "/api/v1/orders/17", "DELETE,GET,HEAD,OPTIONS");
  /* Two GET routes match /orders/open: GET is listed once. */
  assert_not_allowed (router, "PUT", "/api/v1/orders/open", "DELETE,GET,HEAD,OPTIONS");
  /* No GET route, so no HEAD either. */
  assert_not_allowed (router, "GET", "/api/v1/auth/login", "OPTIONS,POST");
  assert_not_allowed (router, "HEAD", "/api/v1/auth/login", "OPTIONS,POST");

  /* A path no route takes is 404 whatever the method, with no Allow. */
  g_assert_cmpint (bourse_router_match (router, "PUT", "/api/v1/nothing", NULL, NULL, &allow), ==,
                   BOURSE_ROUTE_NOT_FOUND);
  g_assert_null (allow);
  match (router, "GET", "/api/v1/orders/17/fills", BOURSE_ROUTE_NOT_FOUND, NULL);

  /* The out-arguments are optional. */
  g_assert_cmpint (bourse_router_match (router, "PUT", "/api/v1/orders", NULL, NULL, NULL), ==,
                   BOURSE_ROUTE_METHOD_NOT_ALLOWED);
  g_assert_cmpint (bourse_router_match (router, "POST", "/api/v1/orders", NULL, NULL, NULL), ==,
                   BOURSE_ROUTE_FOUND);
}

/* A resource may register its own HEAD handler next to GET: Allow still
 * names each method once. */
static void
test_allow_explicit_head (void)
{
  g_autoptr(BourseRouter) router = bourse_router_new ();

  bourse_router_add (router, "GET", "/api/v1/exports/{id}", "exports.read", handler_a, &tag_a);
  bourse_router_add (router, "HEAD", "/api/v1/exports/{id}", "exports.read", handler_b, &tag_b);

  assert_not_allowed (router, "DELETE", "/api/v1/exports/1", "GET,HEAD,OPTIONS");
}

static void
test_head (void)
{
  g_autoptr(BourseRouter) router = bourse_router_new ();
  g_autoptr(GHashTable) params = NULL;
  const BourseRoute *route;

  bourse_router_add (router, "POST", "/api/v1/orders/{id}", "orders.update", handler_b, &tag_b);
  bourse_router_add (router, "GET", "/api/v1/orders/{id}", "orders.read", handler_a, &tag_a);
  bourse_router_add (router, "GET", "/health", NULL, handler_a, &tag_c);

  route = match (router, "HEAD", "/health", BOURSE_ROUTE_FOUND, NULL);
  g_assert_cmpstr (route->method, ==, "GET");
  g_assert_true (route->user_data == &tag_c);

  route = match (router, "HEAD", "/api/v1/orders/9", BOURSE_ROUTE_FOUND, &params);
  g_assert_cmpstr (route->method, ==, "GET");
  g_assert_cmpstr (route->permission, ==, "orders.read");
  g_assert_cmpstr (g_hash_table_lookup (params, "id"), ==, "9");
  g_clear_pointer (&params, g_hash_table_unref);

  /* Only GET lends itself to HEAD. */
  route = match (router, "POST", "/api/v1/orders/9", BOURSE_ROUTE_FOUND, NULL);
  g_assert_cmpstr (route->method, ==, "POST");
  match (router, "POST", "/health", BOURSE_ROUTE_METHOD_NOT_ALLOWED, NULL);
  /* Methods are case-sensitive (RFC 9110). */
  match (router, "get", "/health", BOURSE_ROUTE_METHOD_NOT_ALLOWED, NULL);
}

static void
test_table (void)
{
  static const struct {
    const char         *method;
    const char         *pattern;
    const char         *permission;
    BourseRouteHandler  handler;
    int                *tag;
    guint               n_literals;
  } table[] = {
    { "GET", "/health", NULL, handler_a, &tag_a, 1 },
    { "GET", "/api/v1/orders", "orders.read", handler_a, &tag_b, 3 },
    { "POST", "/api/v1/orders", "orders.create", handler_b, &tag_b, 3 },
    { "DELETE", "/api/v1/orders/{id}", "orders.cancel", handler_b, &tag_c, 3 },
    { "GET", "/api/v1/candles/{symbol}/{interval}", "market.read", handler_a, &tag_d, 3 },
    { "POST", "/api/v1/auth/login", NULL, handler_b, &tag_a, 4 },
  };
  g_autoptr(BourseRouter) router = bourse_router_new ();

  g_assert_cmpuint (bourse_router_get_n_routes (router), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      char pattern[64];

      /* The router keeps its own copies. */
      g_strlcpy (pattern, table[i].pattern, sizeof pattern);
      bourse_router_add (router, table[i].method, pattern, table[i].permission,
                         table[i].handler, table[i].tag);
      memset (pattern, 'x', sizeof pattern - 1);
    }

  g_assert_cmpuint (bourse_router_get_n_routes (router), ==, G_N_ELEMENTS (table));

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const BourseRoute *route = bourse_router_get_route (router, i);

      g_assert_nonnull (route);
      g_assert_cmpstr (route->method, ==, table[i].method);
      g_assert_cmpstr (route->pattern, ==, table[i].pattern);
      g_assert_cmpstr (route->permission, ==, table[i].permission);
      g_assert_true (route->handler == table[i].handler);
      g_assert_true (route->user_data == table[i].tag);
      g_assert_cmpuint (route->n_literals, ==, table[i].n_literals);
    }

  /* Matching hands back the very route of the table, permission included. */
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      const BourseRoute *listed = bourse_router_get_route (router, i);
      g_autofree char *path = g_strdup (table[i].pattern);
      const BourseRoute *matched;
      char *brace;

      /* Fill the parameters in. */
      while ((brace = strchr (path, '{')) != NULL)
        {
          char *end = strchr (brace, '}');
          g_autofree char *filled = g_strdup_printf ("%.*sX%s", (int) (brace - path), path, end + 1);

          g_free (path);
          path = g_steal_pointer (&filled);
        }

      matched = match (router, table[i].method, path, BOURSE_ROUTE_FOUND, NULL);
      g_assert_true (matched == listed);
      g_assert_cmpstr (matched->permission, ==, table[i].permission);
    }
}

typedef struct
{
  const char *topic;
  gboolean    valid;
} TopicCase;

static const TopicCase topic_cases[] = {
  { "system", TRUE },
  { "alerts", TRUE },
  { "signals", TRUE },
  { "recommendations", TRUE },
  { "approvals", TRUE },
  { "orders", TRUE },
  { "trades", TRUE },
  { "positions", TRUE },
  { "portfolio", TRUE },
  { "balances", TRUE },
  { "risk", TRUE },
  { "jobs", TRUE },
  { "config", TRUE },
  { "logs", TRUE },
  { "ticker:BTCUSDT", TRUE },
  { "ticker:ETHBTC", TRUE },
  { "ticker:1000SHIBUSDT", TRUE },
  { "candles:BTCUSDT:1m", TRUE },
  { "candles:BTCUSDT:15m", TRUE },
  { "candles:ETHUSDT:4h", TRUE },
  { "candles:ETHUSDT:1w", TRUE },
  { "candles:ETHUSDT:1M", TRUE },

  { "ticker:btc", FALSE },
  { "ticker:btcusdt", FALSE },
  { "ticker:", FALSE },
  { "ticker", FALSE },
  { "ticker:BTC-USDT", FALSE },
  { "ticker:BTC USDT", FALSE },
  { "ticker:BTCUSDT ", FALSE },
  { "ticker:BTCUSDT:1m", FALSE },
  { "ticker:BTCUSDTBTCUSDTBTCUSDTBTCUSDTBTCUSDTBTCUSDT", FALSE },
  { "candles:BTCUSDT:7m", FALSE },
  { "candles:BTCUSDT:1H", FALSE },
  { "candles:BTCUSDT:", FALSE },
  { "candles:BTCUSDT", FALSE },
  { "candles::1m", FALSE },
  { "candles:btcusdt:1m", FALSE },
  { "candles:BTCUSDT:1m:extra", FALSE },
  { "candles:", FALSE },
  { "candles", FALSE },
  { "", FALSE },
  { "System", FALSE },
  { "system ", FALSE },
  { "unknown", FALSE },
  { "news", FALSE },
  { "orderbook:BTCUSDT", FALSE },
  { "tickers:BTCUSDT", FALSE },
};

/* Uploads have a body limit of their own, found from a request's method
 * and path before routing, by the same precedence as matching. */
static void
test_max_body (void)
{
  g_autoptr(BourseRouter) router = bourse_router_new ();

  bourse_router_add (router, "POST", "/api/v1/market/import", "market.import", handler_a, &tag_a);
  bourse_router_add (router, "POST", "/api/v1/market/{name}", "market.read", handler_b, &tag_b);
  bourse_router_add (router, "GET", "/api/v1/market/export", "market.read", handler_b, &tag_c);

  /* None set: nothing to look up. */
  g_assert_cmpuint (bourse_router_get_max_body (router, "POST", "/api/v1/market/import"), ==, 0);

  bourse_router_set_max_body (router, "POST", "/api/v1/market/import", 64 * 1024 * 1024);
  g_assert_cmpuint (bourse_router_get_max_body (router, "POST", "/api/v1/market/import"), ==, 64 * 1024 * 1024);
  g_assert_cmpuint (bourse_router_get_max_body (router, "POST", "/api/v1/market/import/"), ==, 64 * 1024 * 1024);
  /* Another method, a parameter route that loses to the literal one, another path: the default. */
  g_assert_cmpuint (bourse_router_get_max_body (router, "PUT", "/api/v1/market/import"), ==, 0);
  g_assert_cmpuint (bourse_router_get_max_body (router, "POST", "/api/v1/market/other"), ==, 0);
  g_assert_cmpuint (bourse_router_get_max_body (router, "GET", "/api/v1/market/export"), ==, 0);
  g_assert_cmpuint (bourse_router_get_max_body (router, "POST", "/nowhere"), ==, 0);

  /* A parameter route may have one too; the literal route still wins. */
  bourse_router_set_max_body (router, "POST", "/api/v1/market/{name}", 4096);
  g_assert_cmpuint (bourse_router_get_max_body (router, "POST", "/api/v1/market/other"), ==, 4096);
  g_assert_cmpuint (bourse_router_get_max_body (router, "POST", "/api/v1/market/import"), ==, 64 * 1024 * 1024);

  /* Back to the default. */
  bourse_router_set_max_body (router, "POST", "/api/v1/market/import", 0);
  bourse_router_set_max_body (router, "POST", "/api/v1/market/{name}", 0);
  g_assert_cmpuint (bourse_router_get_max_body (router, "POST", "/api/v1/market/import"), ==, 0);
}

static void
test_topics (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (topic_cases); i++)
    {
      gboolean valid = bourse_hub_topic_is_valid (topic_cases[i].topic);

      if (valid != topic_cases[i].valid)
        g_test_fail_printf ("topic '%s': expected %s", topic_cases[i].topic,
                            topic_cases[i].valid ? "valid" : "invalid");
    }

  g_assert_false (bourse_hub_topic_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/topics", test_topics);
  g_test_add_func ("/router/literal", test_literal);
  g_test_add_func ("/router/parameters", test_parameters);
  g_test_add_func ("/router/precedence", test_precedence);
  g_test_add_func ("/router/trailing-slash", test_trailing_slash);
  g_test_add_func ("/router/method-not-allowed", test_method_not_allowed);
  g_test_add_func ("/router/head", test_head);
  g_test_add_func ("/router/table", test_table);
  g_test_add_func ("/router/allow-explicit-head", test_allow_explicit_head);
  g_test_add_func ("/router/max-body", test_max_body);

  return g_test_run ();
}
