/* test-query-params.c — every query parameter of every route: garbage is a 422 naming it, good values work
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bourse-test-server.h"

/* One bad value of one parameter. @path carries whatever else the route
 * needs to get as far as reading @name (a symbol, an interval), so that the
 * answer is about @name and nothing else. */
typedef struct
{
  const char *method;
  const char *path;
  const char *name;
  const char *value;   /* already URL-encoded */
} BadQuery;

/* Every query parameter the routes read (grep bourse_request_get_.*_query
 * src/server): a route or a parameter added later belongs here too. The
 * instruments BTCUSDT, ETHUSDT and SOLUSDT exist in a new store. */
static const BadQuery bad_queries[] = {
  /* Accounts and audit */
  { "GET", "/api/v1/users", "status", "sleeping" },
  { "GET", "/api/v1/sessions", "scope", "mine" },
  { "GET", "/api/v1/api-keys", "scope", "everyone" },
  { "GET", "/api/v1/audit", "since", "garbage" },
  { "GET", "/api/v1/audit", "since", "2024-01-01T00:00:00" },
  { "GET", "/api/v1/audit", "since", "2024-02-30T00:00:00Z" },
  { "GET", "/api/v1/audit", "until", "garbage" },
  { "GET", "/api/v1/audit", "until", "99999999999999999999" },
  { "GET", "/api/v1/audit", "limit", "x" },
  { "GET", "/api/v1/audit", "limit", "0" },
  { "GET", "/api/v1/audit", "limit", "501" },
  { "GET", "/api/v1/audit", "limit", "5%00junk" },
  { "GET", "/api/v1/audit", "cursor", "x" },
  { "GET", "/api/v1/audit", "cursor", "-3" },
  { "GET", "/api/v1/audit", "actor", "" },
  { "GET", "/api/v1/audit", "actor", "%FF%FE" },
  { "GET", "/api/v1/audit", "action", "auth.%0Alogin" },
  { "GET", "/api/v1/audit", "target", "user%00:1" },
  /* Jobs */
  { "GET", "/api/v1/jobs", "scope", "mine" },
  { "GET", "/api/v1/jobs", "kind", "coffee" },
  { "GET", "/api/v1/jobs", "limit", "-1" },
  { "GET", "/api/v1/jobs", "cursor", "1.5" },
  /* Market */
  { "GET", "/api/v1/market/candles/BTCUSDT", "interval", "7m" },
  { "GET", "/api/v1/market/candles/BTCUSDT?interval=1h", "start", "yesterday" },
  { "GET", "/api/v1/market/candles/BTCUSDT?interval=1h", "end", "tomorrow" },
  { "GET", "/api/v1/market/candles/BTCUSDT?interval=1h", "limit", "lots" },
  { "GET", "/api/v1/market/candles/BTCUSDT?interval=1h", "cursor", "next" },
  { "GET", "/api/v1/market/export?interval=1h", "symbol", "btc-usdt" },
  { "GET", "/api/v1/market/export?interval=1h", "symbol", "NOSUCHCOIN" },
  { "GET", "/api/v1/market/export?symbol=BTCUSDT", "interval", "hourly" },
  { "GET", "/api/v1/market/export?symbol=BTCUSDT&interval=1h", "format", "xlsx" },
  { "GET", "/api/v1/market/export?symbol=BTCUSDT&interval=1h", "start", "then" },
  { "GET", "/api/v1/market/export?symbol=BTCUSDT&interval=1h", "end", "now" },
  { "POST", "/api/v1/market/import?interval=1h", "symbol", "%3Cscript%3E" },
  { "POST", "/api/v1/market/import?symbol=BTCUSDT", "interval", "1y" },
  { "POST", "/api/v1/market/import?symbol=BTCUSDT&interval=1h", "format", "excel" },
  { "DELETE", "/api/v1/instruments/BTCUSDT", "purge", "yes" },
  /* The desk */
  { "GET", "/api/v1/strategies", "limit", "all" },
  { "GET", "/api/v1/strategies", "cursor", "0" },
  { "GET", "/api/v1/recommendations", "limit", "1e3" },
  { "GET", "/api/v1/recommendations", "cursor", "abc" },
  { "GET", "/api/v1/recommendations", "strategy", "a%20b" },
  { "GET", "/api/v1/recommendations", "symbol", "btcusdt" },
  { "GET", "/api/v1/recommendations", "decision", "MAYBE" },
  { "GET", "/api/v1/recommendations", "origin", "mars" },
  { "GET", "/api/v1/approvals", "status", "pondering" },
  { "GET", "/api/v1/approvals", "limit", "0" },
  { "GET", "/api/v1/approvals", "cursor", "x" },
  { "GET", "/api/v1/signals", "limit", "999999" },
  { "GET", "/api/v1/signals", "cursor", "-1" },
  { "GET", "/api/v1/signals", "strategy_id", "kalman" },
  { "GET", "/api/v1/signals", "symbol", "B" },
  { "GET", "/api/v1/signals", "decision", "HOLD" },
  { "GET", "/api/v1/models", "limit", "x" },
  { "GET", "/api/v1/models", "cursor", "x" },
  { "GET", "/api/v1/models", "strategy", "%2F..%2Fetc" },
  { "GET", "/api/v1/models", "interval", "7m" },
  { "GET", "/api/v1/models", "symbol", "BTC%00USDT" },
  { "GET", "/api/v1/webhooks", "limit", "x" },
  { "GET", "/api/v1/webhooks", "cursor", "x" },
};

/* Good values, each alone and in company: the checks must not refuse them. */
static const struct
{
  const char *method;
  const char *path;
  guint       status;
} good_queries[] = {
  { "GET", "/api/v1/users?status=active", 200 },
  { "GET", "/api/v1/sessions?scope=own", 200 },
  { "GET", "/api/v1/sessions?scope=all", 200 },
  { "GET", "/api/v1/api-keys?scope=own", 200 },
  { "GET", "/api/v1/audit?since=2024-01-01T00:00:00Z&until=2099-01-01T00:00:00.000%2B01:00", 200 },
  { "GET", "/api/v1/audit?since=1704067200000&until=4070908800000&limit=500&cursor=99", 200 },
  { "GET", "/api/v1/audit?actor=user:1&action=auth.&target=user:1", 200 },
  { "GET", "/api/v1/jobs?scope=own&kind=market.download&limit=1&cursor=5", 200 },
  { "GET", "/api/v1/jobs?scope=all&kind=model.train", 200 },
  { "GET", "/api/v1/market/candles/BTCUSDT?interval=1M&start=0&end=1704067200000&limit=5000", 200 },
  { "GET", "/api/v1/market/candles/BTCUSDT?interval=1m&start=2024-01-01T00:00:00Z&end=2024-01-02T00:00:00Z", 200 },
  { "GET", "/api/v1/market/candles/BTCUSDT?interval=1h&cursor=1704067200000", 200 },
  { "GET", "/api/v1/market/export?symbol=BTCUSDT&interval=1h&format=binance&start=0&end=1704067200000", 200 },
  { "GET", "/api/v1/market/export?symbol=BTCUSDT&interval=1d&start=2024-01-01T00:00:00Z", 200 },
  { "GET", "/api/v1/strategies?limit=500&cursor=1", 200 },
  { "GET", "/api/v1/recommendations?strategy=A&symbol=BTCUSDT&decision=BUY&origin=live&limit=1&cursor=9", 200 },
  { "GET", "/api/v1/recommendations?strategy=webhook", 200 },
  { "GET", "/api/v1/approvals?status=pending&limit=500&cursor=-4", 200 },
  { "GET", "/api/v1/signals?strategy_id=1&symbol=ETHUSDT&decision=NO_TRADE&limit=1&cursor=2", 200 },
  { "GET", "/api/v1/models?strategy=kalman&symbol=SOLUSDT&interval=15m&limit=1&cursor=3", 200 },
  { "GET", "/api/v1/webhooks?limit=1&cursor=1", 200 },
  /* Unknown parameters are left alone, as browsers and proxies add some. */
  { "GET", "/api/v1/audit?_=1704067200000", 200 },
};

static BourseTestServer *
server_new (void)
{
  static const char * const settings[] = {
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    "auth", "secrets_backend", "file",
    NULL
  };

  return bourse_test_server_new (TRUE, settings);
}

/* What is wrong with the answer to a bad value, or NULL when it is right. */
static char *
check_refusal (BourseTestResponse *response,
               const char         *name)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *problem;
  JsonArray *errors;
  JsonObject *first;
  const char *message;

  if (response->status != 422)
    return g_strdup_printf ("status %u, not 422", response->status);
  if (g_strcmp0 (bourse_test_response_header (response, "Content-Type"), "application/problem+json") != 0)
    return g_strdup ("not a problem document");

  node = bourse_test_response_json (response);
  problem = json_node_get_object (node);
  errors = json_object_get_array_member (problem, "errors");
  if (errors == NULL || json_array_get_length (errors) == 0)
    return g_strdup ("no errors[]");
  first = json_array_get_object_element (errors, 0);
  if (g_strcmp0 (json_object_get_string_member_with_default (first, "field", NULL), name) != 0)
    return g_strdup_printf ("errors[0].field is “%s”",
                            json_object_get_string_member_with_default (first, "field", "(none)"));
  /* It says what is expected, and the detail names the parameter. */
  message = json_object_get_string_member_with_default (first, "message", "");
  if (strlen (message) < 8)
    return g_strdup_printf ("message “%s” says too little", message);
  if (strstr (json_object_get_string_member_with_default (problem, "detail", ""), name) == NULL)
    return g_strdup_printf ("detail “%s” does not name it",
                            json_object_get_string_member_with_default (problem, "detail", ""));
  return NULL;
}

static void
test_bad_values (void)
{
  BourseTestServer *server = server_new ();
  /* A 500 logs a warning: the row reports it as a wrong status rather
   * than the warning ending the run at the first. */
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  guint n_failed = 0;

  /* Every row is tried and every wrong answer listed, not just the first. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_queries); i++)
    {
      const BadQuery *bad = &bad_queries[i];
      gboolean post = g_str_equal (bad->method, "POST");
      g_autofree char *path = g_strdup_printf ("%s%c%s=%s", bad->path, strchr (bad->path, '?') ? '&' : '?',
                                               bad->name, bad->value);
      g_autoptr(BourseTestResponse) response = NULL;
      g_autofree char *wrong = NULL;

      /* An import with a body, so that only the query can be wrong. */
      response = bourse_test_fetch (server, bad->method, path, NULL, post ? "text/csv" : NULL,
                                    post ? "open_time,open\n" : NULL, -1);
      wrong = check_refusal (response, bad->name);
      if (wrong != NULL)
        {
          g_test_message ("%s %s: %s", bad->method, path, wrong);
          n_failed++;
        }
    }

  if (n_failed > 0)
    g_test_fail_printf ("%u of %u bad query values were not refused properly", n_failed,
                        (guint) G_N_ELEMENTS (bad_queries));
  g_log_set_always_fatal (fatal);
  bourse_test_server_free (server);
}

static void
test_good_values (void)
{
  BourseTestServer *server = server_new ();
  GLogLevelFlags fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  guint n_failed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (good_queries); i++)
    {
      g_autoptr(BourseTestResponse) response =
        bourse_test_fetch (server, good_queries[i].method, good_queries[i].path, NULL, NULL, NULL, 0);

      if (response->status != good_queries[i].status)
        {
          gsize length;
          const char *body = g_bytes_get_data (response->body, &length);

          g_test_message ("%s %s: %u %.*s", good_queries[i].method, good_queries[i].path, response->status,
                          (int) MIN (length, 300), body);
          n_failed++;
        }
    }

  if (n_failed > 0)
    g_test_fail_printf ("%u of %u good query values were refused", n_failed, (guint) G_N_ELEMENTS (good_queries));
  g_log_set_always_fatal (fatal);
  bourse_test_server_free (server);
}

/* Counts the audit entries a query returns. */
static guint
count_audit (BourseTestServer *server,
             const char       *query)
{
  g_autofree char *path = g_strconcat ("/api/v1/audit?limit=500&", query, NULL);
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", path, NULL, NULL, NULL, 0);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  node = bourse_test_response_json (response);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (node), "items"));
}

/* since and until filter by the instant, whichever way it is written. */
static void
test_audit_times (void)
{
  BourseTestServer *server = server_new ();
  g_autoptr(BourseTestResponse) created = NULL;
  g_autoptr(BourseTestResponse) backwards = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 now_ms = g_date_time_to_unix (now) * 1000;
  g_autofree char *past = g_strdup_printf ("since=%" G_GINT64_FORMAT, now_ms - 3600 * 1000);
  g_autofree char *future = g_strdup_printf ("since=%" G_GINT64_FORMAT, now_ms + 3600 * 1000);
  guint all;

  created = bourse_test_fetch (server, "POST", "/api/v1/users", NULL, "application/json",
                               "{\"username\":\"quentin\",\"email\":\"quentin@example.org\","
                               "\"password\":\"a long and winding road 42\",\"role\":\"viewer\"}", -1);
  g_assert_cmpuint (created->status, ==, 201);

  all = count_audit (server, "action=user.");
  g_assert_cmpuint (all, >=, 1);
  g_assert_cmpuint (count_audit (server, "action=user.&since=2000-01-01T00:00:00Z"), ==, all);
  g_assert_cmpuint (count_audit (server, "action=user.&since=2000-01-01T01:00:00%2B01:00"), ==, all);
  g_assert_cmpuint (count_audit (server, past), ==, count_audit (server, ""));
  g_assert_cmpuint (count_audit (server, future), ==, 0);
  g_assert_cmpuint (count_audit (server, "until=946684800000"), ==, 0);

  backwards = bourse_test_fetch (server, "GET", "/api/v1/audit?since=2024-01-02T00:00:00Z&until=2024-01-01T00:00:00Z",
                                 NULL, NULL, NULL, 0);
  g_assert_cmpuint (backwards->status, ==, 422);

  bourse_test_server_free (server);
}

/* ?purge= is a boolean: true and false work, and only those. */
static void
test_purge (void)
{
  BourseTestServer *server = server_new ();
  const char *symbols[] = { "ADAUSDT", "XRPUSDT" };
  const char *purges[] = { "true", "false" };

  for (guint i = 0; i < G_N_ELEMENTS (symbols); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"symbol\":\"%s\",\"base_asset\":\"%.3s\",\"quote_asset\":\"USDT\","
                                               "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\"}", symbols[i], symbols[i]);
      g_autofree char *path = g_strdup_printf ("/api/v1/instruments/%s?purge=%s", symbols[i], purges[i]);
      g_autoptr(BourseTestResponse) created = bourse_test_fetch (server, "POST", "/api/v1/instruments", NULL,
                                                                 "application/json", body, -1);
      g_autoptr(BourseTestResponse) deleted = NULL;

      g_assert_cmpuint (created->status, ==, 201);
      deleted = bourse_test_fetch (server, "DELETE", path, NULL, NULL, NULL, 0);
      g_assert_cmpuint (deleted->status, ==, 204);
    }

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/query-params/bad-values", test_bad_values);
  g_test_add_func ("/query-params/good-values", test_good_values);
  g_test_add_func ("/query-params/audit-times", test_audit_times);
  g_test_add_func ("/query-params/purge", test_purge);

  return g_test_run ();
}
