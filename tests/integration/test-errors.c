/* test-errors.c — the one table from domain errors to HTTP statuses
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-jobs.h"
#include "desk/bourse-desk.h"
#include "market/bourse-csv.h"
#include "market/bourse-download.h"
#include "market/bourse-instruments.h"
#include "server/bourse-error-status.h"

#include "bourse-test-server.h"

/* Cheap hashing keeps the suite fast under sanitizers. */
static const char * const fast_hashing[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  NULL
};

/* The high is below the open: line 2 is wrong. */
static const char bad_csv[] = "time,open,high,low,close,volume\n1704067200000,1,0.5,1,1,1\n";

/* Every code of every domain the API answers: a code without a row would
 * be a 500, which the API promises only for its own failures. */
static void
test_every_code (void)
{
  static const struct
  {
    const char *name;
    GQuark    (*domain) (void);
    int         last;
    int         failed;   /* the one code that is ours (500), or 0 */
  } domains[] = {
    { "BOURSE_ERROR", bourse_error_quark, BOURSE_ERROR_UPSTREAM, BOURSE_ERROR_FAILED },
    { "BOURSE_AUTH_ERROR", bourse_auth_error_quark, BOURSE_AUTH_ERROR_FAILED, BOURSE_AUTH_ERROR_FAILED },
    { "BOURSE_DESK_ERROR", bourse_desk_error_quark, BOURSE_DESK_ERROR_STOPPED, 0 },
    { "BOURSE_MARKET_ERROR", bourse_market_error_quark, BOURSE_MARKET_ERROR_NOT_FOUND, 0 },
    { "BOURSE_DOWNLOAD_ERROR", bourse_download_error_quark, BOURSE_DOWNLOAD_ERROR_INVALID_SYMBOL, 0 },
    { "BOURSE_CSV_ERROR", bourse_csv_error_quark, BOURSE_CSV_ERROR_LINE, 0 },
    { "BOURSE_JOBS_ERROR", bourse_jobs_error_quark, BOURSE_JOBS_ERROR_STOPPED, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    for (int code = 1; code <= domains[i].last; code++)
      {
        g_autoptr(GError) error = g_error_new_literal (domains[i].domain (), code, "test");
        guint status = bourse_error_status (error);

        g_test_message ("%s %d → %u", domains[i].name, code, status);
        if (code == domains[i].failed)
          g_assert_cmpuint (status, ==, SOUP_STATUS_INTERNAL_SERVER_ERROR);
        else
          g_assert_true (status == 401 || status == 403 || status == 404 || status == 409 || status == 413
                         || status == 422 || status == 429 || status == 502 || status == 503);
      }

  {
    g_autoptr(GError) unknown = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "test");

    g_assert_cmpuint (bourse_error_status (unknown), ==, SOUP_STATUS_INTERNAL_SERVER_ERROR);
    g_assert_null (bourse_error_field (unknown));
  }
}

/* The statuses clients act on, one per kind, whichever domain reports it. */
static void
test_statuses (void)
{
  static const struct
  {
    GQuark (*domain) (void);
    int      code;
    guint    status;
  } pinned[] = {
    { bourse_error_quark, BOURSE_ERROR_INVALID, 422 },
    { bourse_error_quark, BOURSE_ERROR_NOT_FOUND, 404 },
    { bourse_error_quark, BOURSE_ERROR_CONFLICT, 409 },
    { bourse_error_quark, BOURSE_ERROR_FORBIDDEN, 403 },
    { bourse_error_quark, BOURSE_ERROR_UNAVAILABLE, 503 },
    { bourse_error_quark, BOURSE_ERROR_UPSTREAM, 502 },
    { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_EMAIL, 422 },
    { bourse_auth_error_quark, BOURSE_AUTH_ERROR_UNAUTHENTICATED, 401 },
    { bourse_auth_error_quark, BOURSE_AUTH_ERROR_TOKEN_REUSED, 401 },
    { bourse_auth_error_quark, BOURSE_AUTH_ERROR_ACCOUNT_DISABLED, 403 },
    { bourse_auth_error_quark, BOURSE_AUTH_ERROR_THROTTLED, 429 },
    { bourse_desk_error_quark, BOURSE_DESK_ERROR_UNAUTHENTICATED, 401 },
    { bourse_desk_error_quark, BOURSE_DESK_ERROR_TOO_LARGE, 413 },
    { bourse_desk_error_quark, BOURSE_DESK_ERROR_DOWNLOAD, 502 },
    { bourse_desk_error_quark, BOURSE_DESK_ERROR_STOPPED, 503 },
    { bourse_market_error_quark, BOURSE_MARKET_ERROR_INVALID_TICK_SIZE, 422 },
    { bourse_market_error_quark, BOURSE_MARKET_ERROR_IN_USE, 409 },
    { bourse_market_error_quark, BOURSE_MARKET_ERROR_NOT_FOUND, 404 },
    { bourse_jobs_error_quark, BOURSE_JOBS_ERROR_FINISHED, 409 },
    { bourse_jobs_error_quark, BOURSE_JOBS_ERROR_STOPPED, 503 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pinned); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (pinned[i].domain (), pinned[i].code, "test");

      g_assert_cmpuint (bourse_error_status (error), ==, pinned[i].status);
    }
}

/* The one way to the field, whichever way the domain carries it. */
static void
test_fields (void)
{
  g_autoptr(GError) generic = NULL;
  g_autoptr(GError) auth = g_error_new_literal (BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_EMAIL, "test");
  g_autoptr(GError) market = g_error_new_literal (BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_INVALID_LOT_STEP, "test");
  g_autoptr(GError) download = g_error_new_literal (BOURSE_DOWNLOAD_ERROR, BOURSE_DOWNLOAD_ERROR_INVALID_RANGE, "t");
  g_autoptr(GError) csv = NULL;
  g_autoptr(JsonObject) members = NULL;
  BourseCsvFormat detected;

  bourse_set_field_error (&generic, BOURSE_ERROR_INVALID, "quantity", "must be positive");
  g_assert_cmpstr (bourse_error_field (generic), ==, "quantity");
  g_assert_cmpstr (bourse_error_field (auth), ==, "email");
  g_assert_cmpstr (bourse_error_field (market), ==, "lot_step");
  g_assert_cmpstr (bourse_error_field (download), ==, "end");
  g_assert_null (bourse_error_dup_members (auth));

  /* A CSV error is about the file, at a line and a column. */
  g_assert_null (bourse_csv_parse (bad_csv, strlen (bad_csv), BOURSE_CSV_FORMAT_AUTO, BOURSE_INTERVAL_1M,
                                   &detected, &csv));
  g_assert_error (csv, BOURSE_CSV_ERROR, BOURSE_CSV_ERROR_CANDLE);
  g_assert_cmpstr (bourse_error_field (csv), ==, "file");
  members = bourse_error_dup_members (csv);
  g_assert_nonnull (members);
  g_assert_cmpint (json_object_get_int_member (members, "line"), ==, 2);
  g_assert_true (json_object_has_member (members, "column"));
}

/* Answers a problem with @status whose errors[0].field is @field (NULL:
 * no errors). */
static JsonNode *
expect_problem (BourseTestServer *server,
                const char       *method,
                const char       *path,
                const char       *body,
                guint             status,
                const char       *field)
{
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, method, path, NULL, body ? "application/json" : NULL, body, -1);
  g_autoptr(JsonNode) problem = NULL;
  JsonObject *object;
  JsonArray *errors;

  g_test_message ("%s %s → %u", method, path, response->status);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_true (g_str_has_prefix (bourse_test_response_header (response, "Content-Type"),
                                   "application/problem+json"));
  problem = bourse_test_response_json (response);
  object = json_node_get_object (problem);
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, status);
  errors = json_object_get_array_member (object, "errors");
  if (field == NULL)
    g_assert_cmpuint (json_array_get_length (errors), ==, 0);
  else
    {
      g_assert_cmpuint (json_array_get_length (errors), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==,
                       field);
    }
  return g_steal_pointer (&problem);
}

/* Each resource's handlers answer their domain's errors through the table. */
static void
test_routes (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(JsonNode) problem = NULL;

  /* market */
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "GET", "/api/v1/instruments/NOSUCH", NULL, 404, NULL);
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "POST", "/api/v1/instruments",
                            "{\"symbol\":\"BTCUSDT\",\"base_asset\":\"BTC\",\"quote_asset\":\"USDT\","
                            "\"tick_size\":\"0.01\",\"lot_step\":\"0.00001\"}", 409, "symbol");
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "POST", "/api/v1/instruments",
                            "{\"symbol\":\"NEWUSDT\",\"base_asset\":\"NEW\",\"quote_asset\":\"USDT\","
                            "\"tick_size\":\"0\",\"lot_step\":\"0.00001\"}", 422, "tick_size");

  /* desk, models, webhooks */
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "GET", "/api/v1/approvals/987654", NULL, 404, NULL);
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "GET", "/api/v1/strategies/987654", NULL, 404, NULL);
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "GET", "/api/v1/models/987654", NULL, 404, "model_id");
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "DELETE", "/api/v1/webhooks/987654", NULL, 404, NULL);

  /* jobs; a download of an instrument that does not exist names the field */
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "POST", "/api/v1/jobs/987654/cancel", NULL, 404, NULL);
  g_clear_pointer (&problem, json_node_unref);
  problem = expect_problem (server, "POST", "/api/v1/market/download",
                            "{\"symbol\":\"NOSUCH\",\"interval\":\"1h\",\"start\":0,\"end\":3600000}", 422, "symbol");

  /* auth: a 401 says how to authenticate */
  {
    g_autoptr(BourseTestResponse) response =
      bourse_test_fetch (server, "POST", "/api/v1/auth/refresh", NULL, "application/json",
                         "{\"refresh_token\":\"not-a-token\"}", -1);

    g_assert_cmpuint (response->status, ==, 401);
    g_assert_cmpstr (bourse_test_response_header (response, "WWW-Authenticate"), ==, "Bearer realm=\"bourse\"");
  }

  bourse_test_server_free (server);
}

/* A bad CSV file: 422 about the file, with its line and column. */
static void
test_csv_import (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, fast_hashing);
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (server, "POST", "/api/v1/market/import?symbol=BTCUSDT&interval=1m", NULL, "text/csv",
                       bad_csv, -1);
  g_autoptr(JsonNode) problem = bourse_test_response_json (response);
  JsonObject *object = json_node_get_object (problem);
  JsonArray *errors = json_object_get_array_member (object, "errors");

  g_assert_cmpuint (response->status, ==, 422);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==, "file");
  g_assert_cmpint (json_object_get_int_member (object, "line"), ==, 2);
  g_assert_true (json_object_has_member (object, "column"));

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/errors/every-code", test_every_code);
  g_test_add_func ("/errors/statuses", test_statuses);
  g_test_add_func ("/errors/fields", test_fields);
  g_test_add_func ("/errors/routes", test_routes);
  g_test_add_func ("/errors/csv-import", test_csv_import);

  return g_test_run ();
}
