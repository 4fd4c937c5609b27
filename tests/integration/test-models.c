/* test-models.c — training, listing and deploying models on the simulated market
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "core/bourse-jobs.h"
#include "desk/bourse-desk-live.h"

#include "desk-test-util.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)

/* One simulated market for every case, at 60 minutes a minute (a candle a
 * second). Every instrument is halted but while a case waits for signals:
 * a sanitizer build would otherwise spend its time on the feed. */
static BourseTestServer *sim;

static void
set_status (const char *symbol,
            const char *status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/instruments/%s", symbol);
  g_autofree char *body = g_strdup_printf ("{\"status\":\"%s\"}", status);
  g_autoptr(JsonNode) node = desk_expect (sim, "PUT", path, NULL, body, 200);
}

static void
ensure_sim (void)
{
  if (sim != NULL)
    return;

  sim = desk_sim_server_new ("2", "60", NULL);
  set_status ("ETHUSDT", "halted");
  set_status ("SOLUSDT", "halted");
  set_status ("BTCUSDT", "halted");
}

/* A training body over the last @minutes closed minutes. */
static char *
train_body (const char *strategy,
            const char *symbol,
            guint       minutes)
{
  gint64 end = (bourse_time_now_ms () / MINUTE_MS) * MINUTE_MS;

  return g_strdup_printf ("{\"strategy\":\"%s\",\"symbol\":\"%s\",\"interval\":\"1m\","
                          "\"start\":%" G_GINT64_FORMAT ",\"end\":%" G_GINT64_FORMAT "}",
                          strategy, symbol, end - minutes * MINUTE_MS, end);
}

typedef struct
{
  gint64          id;
  BourseJobStatus status;
} JobWanted;

/* Asks the jobs service, not the API: a request from inside the wait
 * would spin the main loop so busily that the feed starves. */
static gboolean
job_ended (gpointer data)
{
  JobWanted *wanted = data;
  g_autoptr(BourseJobInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = bourse_jobs_get (bourse_engine_get_jobs (sim->engine), wanted->id, &error);
  g_assert_no_error (error);
  wanted->status = info->status;
  return info->status != BOURSE_JOB_QUEUED && info->status != BOURSE_JOB_RUNNING;
}

/* Trains over the real API and waits for the job; returns its id. */
static gint64
train (const char *token,
       const char *strategy,
       guint       minutes)
{
  g_autofree char *body = train_body (strategy, "BTCUSDT", minutes);
  g_autoptr(JsonNode) node = desk_expect (sim, "POST", "/api/v1/models/train", token, body, 202);
  g_autoptr(JsonNode) job = NULL;
  g_autofree char *path = NULL;
  JsonObject *object = desk_object (node);
  JobWanted wanted = { json_object_get_int_member (object, "id"), BOURSE_JOB_QUEUED };

  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "model.train");
  bourse_test_wait_until (job_ended, &wanted, 60000, "the training to end");

  path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT, wanted.id);
  job = desk_expect (sim, "GET", path, token, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (job), "status"), ==, "succeeded");
  g_assert_cmpfloat (json_object_get_double_member (desk_object (job), "progress"), ==, 1.0);
  return wanted.id;
}

static JsonArray *
items (JsonNode *node)
{
  return json_object_get_array_member (desk_object (node), "items");
}

static void
test_train (void)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) one = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autofree char *path = NULL;
  JsonObject *newest, *oldest, *metrics, *params;
  JsonArray *variances;
  gint64 first_job, second_job;

  ensure_sim ();

  first_job = train (NULL, "kalman", 360);
  list = desk_expect (sim, "GET", "/api/v1/models?strategy=kalman&symbol=BTCUSDT&interval=1m", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (list)), ==, 1);
  newest = json_array_get_object_element (items (list), 0);
  g_assert_cmpint (json_object_get_int_member (newest, "version"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (newest, "job_id"), ==, first_job);
  g_assert_cmpstr (json_object_get_string_member (newest, "strategy"), ==, "kalman");
  g_assert_cmpstr (json_object_get_string_member (newest, "interval"), ==, "1m");

  /* The ML variances, as the parameters a live evaluation will fix. */
  metrics = json_object_get_object_member (newest, "metrics");
  params = json_object_get_object_member (newest, "params");
  variances = json_object_get_array_member (metrics, "variances");
  g_assert_cmpuint (json_array_get_length (variances), ==, 3);
  g_assert_cmpfloat (json_array_get_double_element (variances, 0), >=, 1e-16);
  g_assert_cmpfloat (json_array_get_double_element (variances, 0), ==,
                     json_object_get_double_member (params, "observation_variance"));
  g_assert_cmpfloat (json_array_get_double_element (variances, 1), ==,
                     json_object_get_double_member (params, "level_variance"));
  g_assert_cmpfloat (json_array_get_double_element (variances, 2), ==,
                     json_object_get_double_member (params, "slope_variance"));
  g_assert_true (isfinite (json_object_get_double_member (metrics, "loglik")));
  g_assert_cmpint (json_object_get_int_member (metrics, "candles"), >=, 200);
  g_assert_cmpint (json_object_get_int_member (metrics, "candles"), <=, 360);
  g_assert_cmpint (json_object_get_int_member (metrics, "window_start"), <,
                   json_object_get_int_member (metrics, "window_end"));

  /* Again: version 2, listed first. An alias lists the same. */
  second_job = train (NULL, "B", 300);
  g_clear_pointer (&list, json_node_unref);
  list = desk_expect (sim, "GET", "/api/v1/models?strategy=B&symbol=BTCUSDT", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (list)), ==, 2);
  newest = json_array_get_object_element (items (list), 0);
  oldest = json_array_get_object_element (items (list), 1);
  g_assert_cmpint (json_object_get_int_member (newest, "version"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (newest, "job_id"), ==, second_job);
  g_assert_cmpint (json_object_get_int_member (oldest, "version"), ==, 1);

  path = g_strdup_printf ("/api/v1/models/%" G_GINT64_FORMAT, json_object_get_int_member (newest, "id"));
  one = desk_expect (sim, "GET", path, NULL, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (desk_object (one), "version"), ==, 2);
  g_clear_pointer (&one, json_node_unref);
  one = desk_expect (sim, "GET", "/api/v1/models/999999", NULL, NULL, 404);

  g_clear_pointer (&list, json_node_unref);
  list = desk_expect (sim, "GET", "/api/v1/models?symbol=ETHUSDT", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (list)), ==, 0);
  desk_expect_field (sim, "GET", "/api/v1/models?interval=7m", NULL, NULL, 422, "interval");

  /* Each training's end is audited, with the model it stored. */
  audit = desk_audit (sim, "model.train");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (audit)), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (json_array_get_object_element (json_node_get_array (audit), 0),
                                                    "details"), "model"), "version"), ==, 2);
}

static void
test_validation (void)
{
  gint64 end = (bourse_time_now_ms () / MINUTE_MS) * MINUTE_MS;
  g_autofree char *ar = NULL;
  g_autofree char *sma = NULL;
  g_autofree char *rsi = NULL;
  g_autofree char *ou = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *symbol = NULL;
  g_autofree char *few = NULL;
  g_autofree char *backwards = NULL;

  ensure_sim ();

  /* Types without a parameter a fit could set are refused, not pretended. */
  ar = train_body ("ar", "BTCUSDT", 300);
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL, ar, 422, "strategy");
  sma = train_body ("sma-cross", "BTCUSDT", 300);
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL, sma, 422, "strategy");
  rsi = train_body ("rsi", "BTCUSDT", 300);
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL, rsi, 422, "strategy");
  ou = train_body ("C", "BTCUSDT", 300);
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL, ou, 422, "strategy");
  unknown = train_body ("astrology", "BTCUSDT", 300);
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL, unknown, 422, "strategy");

  symbol = train_body ("kalman", "NOPEUSDT", 300);
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL, symbol, 422, "symbol");
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL,
                     "{\"strategy\":\"kalman\",\"symbol\":\"BTCUSDT\",\"interval\":\"7m\",\"start\":0,\"end\":1}",
                     422, "interval");
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL,
                     "{\"strategy\":\"kalman\",\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"end\":1}", 422, "start");
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL,
                     "{\"strategy\":\"kalman\",\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"start\":\"soon\","
                     "\"end\":1}", 422, "start");
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL,
                     "{\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"start\":0,\"end\":1}", 422, "strategy");
  backwards = g_strdup_printf ("{\"strategy\":\"kalman\",\"symbol\":\"BTCUSDT\",\"interval\":\"1m\","
                               "\"start\":%" G_GINT64_FORMAT ",\"end\":%" G_GINT64_FORMAT "}", end, end);
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL, backwards, 422, "end");
  /* Ten minutes are too few for the fit (it needs the strategy's minimum). */
  few = train_body ("kalman", "BTCUSDT", 10);
  desk_expect_field (sim, "POST", "/api/v1/models/train", NULL, few, 422, "start");

  desk_expect_field (sim, "POST", "/api/v1/models/deploy", NULL, "{\"strategy_id\":1}", 422, "model_id");
  desk_expect_field (sim, "POST", "/api/v1/models/deploy", NULL, "{\"model_id\":\"1\",\"strategy_id\":1}", 422,
                     "model_id");
  desk_expect_field (sim, "POST", "/api/v1/models/deploy", NULL, "{\"model_id\":1}", 422, "strategy_id");
}

static gint64
create_strategy (const char *body)
{
  g_autoptr(JsonNode) node = desk_expect (sim, "POST", "/api/v1/strategies", NULL, body, 201);

  return json_object_get_int_member (desk_object (node), "id");
}

static gint64
newest_model_id (void)
{
  g_autoptr(JsonNode) list = NULL;

  list = desk_expect (sim, "GET", "/api/v1/models?strategy=kalman&symbol=BTCUSDT&interval=1m&limit=1", NULL, NULL,
                      200);
  g_assert_cmpuint (json_array_get_length (items (list)), ==, 1);
  return json_object_get_int_member (json_array_get_object_element (items (list), 0), "id");
}

static guint
stored_signals (gint64 strategy_id)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  BourseSignalFilter filter = { ids, NULL, NULL, G_MININT64, G_MAXINT64, 0, 500 };

  g_array_append_val (ids, strategy_id);
  list = bourse_signals_list (bourse_engine_get_store (sim->engine), &filter, &error);
  g_assert_no_error (error);
  return list->len;
}

/* Asks the store, not the API (see job_ended ()). */
static gboolean
has_signal (gpointer data)
{
  return stored_signals (*(gint64 *)data) > 0;
}

static gboolean
idle_desk (gpointer data)
{
  return bourse_desk_get_n_running (bourse_engine_get_desk (sim->engine)) == 0;
}

static void
deploy (gint64   model_id,
        gint64   strategy_id,
        guint    expected)
{
  g_autofree char *body = g_strdup_printf ("{\"model_id\":%" G_GINT64_FORMAT ",\"strategy_id\":%" G_GINT64_FORMAT "}",
                                           model_id, strategy_id);
  g_autoptr(JsonNode) node = desk_expect (sim, "POST", "/api/v1/models/deploy", NULL, body, expected);

  if (expected == 200)
    g_assert_cmpint (json_object_get_int_member (desk_object (node), "model_id"), ==, model_id);
}

static void
test_deploy (void)
{
  g_autoptr(JsonNode) model = NULL;
  g_autoptr(JsonNode) strategies = NULL;
  g_autoptr(JsonNode) signals = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *signals_path = NULL;
  g_autofree char *strategy_path = NULL;
  g_autofree char *target = NULL;
  JsonArray *fitted, *used;
  JsonObject *metrics;
  gint64 model_id, strategy_id, eth_id, ou_id, hour_id;
  gboolean found = FALSE;

  ensure_sim ();

  /* A model to deploy, whichever case ran first. */
  train (NULL, "kalman", 240);
  model_id = newest_model_id ();
  model_path = g_strdup_printf ("/api/v1/models/%" G_GINT64_FORMAT, model_id);
  model = desk_expect (sim, "GET", model_path, NULL, NULL, 200);

  /* Disabled until deployed: every signal it gives comes after. */
  strategy_id = create_strategy ("{\"name\":\"fitted\",\"strategy\":\"kalman\",\"symbol\":\"BTCUSDT\","
                                 "\"interval\":\"1m\",\"enabled\":false}");
  eth_id = create_strategy ("{\"name\":\"eth\",\"strategy\":\"kalman\",\"symbol\":\"ETHUSDT\","
                            "\"interval\":\"1m\",\"enabled\":false}");
  ou_id = create_strategy ("{\"name\":\"ou\",\"strategy\":\"ou\",\"symbol\":\"BTCUSDT\","
                           "\"interval\":\"1m\",\"enabled\":false}");
  hour_id = create_strategy ("{\"name\":\"hourly\",\"strategy\":\"kalman\",\"symbol\":\"BTCUSDT\","
                             "\"interval\":\"1h\",\"enabled\":false}");

  /* Another symbol, type or interval: 409. Unknown ids: 404. */
  deploy (model_id, eth_id, 409);
  deploy (model_id, ou_id, 409);
  deploy (model_id, hour_id, 409);
  deploy (999999, strategy_id, 404);
  deploy (model_id, 999999, 404);

  deploy (model_id, strategy_id, 200);
  strategies = desk_expect (sim, "GET", "/api/v1/strategies", NULL, NULL, 200);
  for (guint i = 0; i < json_array_get_length (items (strategies)); i++)
    {
      JsonObject *strategy = json_array_get_object_element (items (strategies), i);

      if (json_object_get_int_member (strategy, "id") == strategy_id)
        {
          g_assert_cmpint (json_object_get_int_member (strategy, "model_id"), ==, model_id);
          found = TRUE;
        }
      else
        g_assert_true (json_object_get_null_member (strategy, "model_id"));
    }
  g_assert_true (found);

  audit = desk_audit (sim, "model.deploy");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (audit)), ==, 1);
  target = g_strdup_printf ("strategy:%" G_GINT64_FORMAT, strategy_id);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (audit), 0),
                                                  "target"), ==, target);

  /* Its next evaluation filters with the fitted variances, no ML. */
  strategy_path = g_strdup_printf ("/api/v1/strategies/%" G_GINT64_FORMAT, strategy_id);
  updated = desk_expect (sim, "PUT", strategy_path, NULL, "{\"enabled\":true}", 200);
  g_assert_cmpint (json_object_get_int_member (desk_object (updated), "model_id"), ==, model_id);
  set_status ("BTCUSDT", "trading");
  bourse_test_wait_until (has_signal, &strategy_id, 30000, "a signal");
  set_status ("BTCUSDT", "halted");
  g_clear_pointer (&updated, json_node_unref);
  updated = desk_expect (sim, "PUT", strategy_path, NULL, "{\"enabled\":false}", 200);
  bourse_test_wait_until (idle_desk, NULL, 10000, "evaluations to end");

  signals_path = g_strdup_printf ("/api/v1/signals?strategy_id=%" G_GINT64_FORMAT, strategy_id);
  signals = desk_expect (sim, "GET", signals_path, NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (items (signals)), >=, 1);
  metrics = json_object_get_object_member (json_array_get_object_element (items (signals), 0), "metrics");
  g_assert_false (json_object_get_boolean_member (metrics, "variances_estimated"));
  used = json_object_get_array_member (metrics, "variances");
  fitted = json_object_get_array_member (json_object_get_object_member (desk_object (model), "metrics"),
                                         "variances");
  g_assert_cmpuint (json_array_get_length (used), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      double a = json_array_get_double_element (used, i);
      double b = json_array_get_double_element (fitted, i);

      g_assert_cmpfloat (fabs (a - b), <=, 1e-12 * fabs (b));
    }
}

static void
test_permissions (void)
{
  g_autofree char *viewer = NULL;
  g_autofree char *trader = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list = NULL;

  ensure_sim ();
  desk_create_user (sim, "vic", "viewer");
  desk_create_user (sim, "tess", "trader");
  viewer = desk_login (sim, "vic", "viewer");
  trader = desk_login (sim, "tess", "trader");

  body = train_body ("kalman", "BTCUSDT", 300);
  node = desk_expect (sim, "POST", "/api/v1/models/train", viewer, body, 403);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (sim, "POST", "/api/v1/models/deploy", viewer, "{\"model_id\":1,\"strategy_id\":1}", 403);

  /* Viewers read; traders train. */
  list = desk_expect (sim, "GET", "/api/v1/models", viewer, NULL, 200);
  train (trader, "kalman", 200);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/train", test_train);
  g_test_add_func ("/models/validation", test_validation);
  g_test_add_func ("/models/deploy", test_deploy);
  g_test_add_func ("/models/permissions", test_permissions);

  status = g_test_run ();
  g_clear_pointer (&sim, bourse_test_server_free);
  return status;
}
