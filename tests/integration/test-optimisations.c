/* test-optimisations.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Optimisations through the API (docs/BACKTESTS.md "Optimisation"): a grid
 * run as a job whose result is the optimiser's on the same stored candles,
 * a walk-forward's folds, applying the winner to a live strategy, notes
 * and deletes, every refusal naming its member, the roles, a cancel and a
 * restart.
 *
 * A cancel and a shutdown have to find a run still going, whatever the
 * machine's speed: the "test-gate" strategy (desk-test-util's) holds the
 * candidates' first evaluations until the test opens the gate.
 */

#include <string.h>

#include "backtest/bourse-optimisations.h"
#include "core/bourse-json.h"
#include "market/bourse-candles.h"

#include "desk-test-util.h"

#define HOUR_MS  G_GINT64_CONSTANT (3600000)
#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define SYMBOL   "OPTUSDT"
#define N_HOURS  400
#define GATE_SYMBOL "OPTGATEUSDT"
#define N_MINUTES   6000    /* more than a run goes between its looks at a cancel (4096) */

static BourseTestServer *server;
static char *trader_token;
static char *other_token;
static char *viewer_token;
/* The open time of the first stored candle, hourly and by the minute. */
static gint64 t0;
static gint64 gate_t0;

/* Helpers {{{ */

static char *
time_text (gint64 ms)
{
  return bourse_time_format_rfc3339 (ms);
}

/* A request over the hours [50, 400) with @members (",\"space\":…"). */
static char *
request_body (const char *members)
{
  g_autofree char *start = time_text (t0 + 50 * HOUR_MS);
  g_autofree char *end = time_text (t0 + N_HOURS * HOUR_MS);

  return g_strdup_printf ("{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\","
                          "\"start\":\"%s\",\"end\":\"%s\",\"exits\":\"signals\"%s}", start, end, members);
}

/* A request whose answer is only its status. */
static void
expect (const char *method,
        const char *path,
        const char *token,
        const char *body,
        guint       status)
{
  g_autoptr(JsonNode) node = desk_expect (server, method, path, token, body, status);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return json_object_get_object_member (object, name);
}

typedef struct
{
  gint64          id;
  BourseJobStatus status;
} Wanted;

/* Asks the engine, not the API, from inside the wait. */
static gboolean
has_status (gpointer data)
{
  Wanted *wanted = data;
  g_autoptr(BourseOptimisationRecord) record =
    bourse_optimisations_get (bourse_engine_get_optimisations (server->engine), wanted->id, FALSE, NULL);

  return record != NULL && record->status == wanted->status;
}

/* POSTs @members as @token, expecting 202, and waits for the end. */
static gint64
run_optimisation (const char *token,
                  const char *members)
{
  g_autofree char *body = request_body (members);
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/optimisations", token, body, 202);
  JsonObject *optimisation = member_object (desk_object (node), "optimisation");
  JsonObject *job = member_object (desk_object (node), "job");
  Wanted wanted = { json_object_get_int_member (optimisation, "id"), BOURSE_JOB_SUCCEEDED };

  g_assert_cmpstr (json_object_get_string_member (job, "kind"), ==, "backtest.optimise");
  g_assert_cmpint (json_object_get_int_member (optimisation, "job_id"), ==, json_object_get_int_member (job, "id"));
  g_assert_cmpstr (json_object_get_string_member (optimisation, "status"), ==, "queued");
  g_assert_true (json_object_get_null_member (optimisation, "best_params"));
  bourse_test_wait_until (has_status, &wanted, 120000, "the optimisation to succeed");
  return wanted.id;
}

static JsonNode *
get_optimisation (gint64 id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/optimisations/%" G_GINT64_FORMAT, id);

  return desk_expect (server, "GET", path, NULL, NULL, 200);
}

/* The optimiser run in this process on the stored candles, from the
 * request as the record stored it (its seed included). */
static JsonNode *
run_here (JsonObject *request)
{
  g_autoptr(BourseStrategy) sma = bourse_strategy_lookup ("sma-cross");
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(BourseBacktestSeries) series = NULL;
  g_autoptr(BourseOptimiserResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BourseOptimiserOptions) options = { 0 };
  BourseBacktestSpec spec;

  params = bourse_strategy_resolve_parameters (sma, member_object (request, "params"), NULL, &error);
  g_assert_no_error (error);
  bourse_optimiser_options_init (&options);
  g_assert_true (bourse_optimiser_options_parse (&options, sma, request, &error));
  g_assert_no_error (error);
  bourse_backtest_spec_init (&spec, sma, params);
  spec.exits = BOURSE_BACKTEST_EXITS_SIGNALS;
  candidates = bourse_optimiser_list_candidates (sma, params, &options, NULL, NULL, &error);
  g_assert_no_error (error);
  series = bourse_backtest_series_load (bourse_engine_get_store (server->engine), SYMBOL, BOURSE_INTERVAL_1H,
                                        t0 + 50 * HOUR_MS, t0 + N_HOURS * HOUR_MS,
                                        bourse_optimiser_get_history (&spec, candidates), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (series->first, ==, 50);
  result = bourse_optimiser_run (series, &spec, &options, 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return bourse_optimiser_result_to_json (result);
}

static void
assert_same_json (JsonNode *a,
                  JsonNode *b)
{
  g_autofree char *text_a = bourse_json_to_string (a, NULL);
  g_autofree char *text_b = bourse_json_to_string (b, NULL);

  g_assert_cmpstr (text_a, ==, text_b);
}

static gboolean
audited (const char *action,
         const char *target)
{
  g_autoptr(JsonNode) audit = desk_audit (server, action);
  JsonArray *items = json_node_get_array (audit);

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "target"), target) == 0)
      return TRUE;
  return FALSE;
}

/* }}} */

/* A grid, end to end: the result is the optimiser's on the same candles. */
static void
test_grid (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *target = NULL;
  JsonObject *optimisation, *request, *result;
  JsonArray *candidates;
  gint64 id;

  id = run_optimisation (trader_token, ",\"space\":{\"fast\":{\"min\":3,\"max\":9,\"step\":3},\"slow\":[12,24]},"
                                       "\"objective\":\"profit\",\"min_trades\":2,\"note\":\"grid\"");
  node = get_optimisation (id);
  optimisation = desk_object (node);
  g_assert_cmpstr (json_object_get_string_member (optimisation, "status"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (optimisation, "strategy"), ==, "sma-cross");
  g_assert_cmpstr (json_object_get_string_member (optimisation, "symbol"), ==, SYMBOL);
  g_assert_cmpstr (json_object_get_string_member (optimisation, "note"), ==, "grid");
  g_assert_cmpstr (json_object_get_string_member (optimisation, "created_by_name"), ==, "trina");
  g_assert_nonnull (json_object_get_string_member (optimisation, "finished_at"));

  /* The request as stored: the backtest's members and the search's. */
  request = member_object (optimisation, "request");
  g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "grid");
  g_assert_cmpstr (json_object_get_string_member (request, "objective"), ==, "profit");
  g_assert_cmpint (json_object_get_int_member (request, "min_trades"), ==, 2);
  g_assert_true (json_object_has_member (request, "seed"));
  g_assert_true (json_object_get_null_member (request, "walk_forward"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (member_object (request, "space"), "fast")),
                    ==, 3);
  g_assert_cmpint (json_object_get_int_member (member_object (request, "params"), "slow"), ==, 30);

  result = member_object (optimisation, "result");
  candidates = json_object_get_array_member (result, "candidates");
  g_assert_cmpuint (json_array_get_length (candidates), ==, 6);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (candidates, i), "rank"), ==, i + 1);
  g_assert_true (json_node_equal (json_object_get_member (member_object (result, "best"), "params"),
                                  json_object_get_member (optimisation, "best_params")));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "folds")), ==, 0);
  g_assert_true (json_object_get_null_member (result, "out_of_sample"));

  /* What the optimiser gives here, on the same candles, from the stored request. */
  expected = run_here (request);
  assert_same_json (json_object_get_member (optimisation, "result"), expected);

  /* Audited once it ended. */
  target = g_strdup_printf ("optimisation:%" G_GINT64_FORMAT, id);
  g_assert_true (audited ("backtest.optimise", target));
}

/* Walk-forward: three folds of the 350 candles [50, 400): stretches of
 * ⌊350/3⌋ = 116, then 117 and 117 candles, each trained on ⌊0.75 ×
 * length⌋ = 87 of them. */
static void
test_walk_forward (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) expected = NULL;
  static const gint64 folds[3][3] = { { 50, 137, 166 }, { 166, 253, 283 }, { 283, 370, 400 } };
  JsonObject *optimisation, *result, *out;
  JsonArray *array;
  gint64 id, trades = 0;

  id = run_optimisation (trader_token, ",\"space\":{\"fast\":[3,6],\"slow\":[12,24]},\"objective\":\"sharpe\","
                                       "\"min_trades\":0,\"walk_forward\":{\"folds\":3,\"train_fraction\":\"0.75\"}");
  node = get_optimisation (id);
  optimisation = desk_object (node);
  result = member_object (optimisation, "result");
  array = json_object_get_array_member (result, "folds");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint k = 0; k < 3; k++)
    {
      JsonObject *fold = json_array_get_object_element (array, k);
      JsonObject *train = member_object (fold, "train"), *test = member_object (fold, "test");
      g_autofree char *train_start = time_text (t0 + folds[k][0] * HOUR_MS);
      g_autofree char *train_end = time_text (t0 + folds[k][1] * HOUR_MS);
      g_autofree char *test_end = time_text (t0 + folds[k][2] * HOUR_MS);

      g_assert_cmpstr (json_object_get_string_member (train, "start"), ==, train_start);
      g_assert_cmpstr (json_object_get_string_member (train, "end"), ==, train_end);
      g_assert_cmpstr (json_object_get_string_member (test, "start"), ==, train_end);
      g_assert_cmpstr (json_object_get_string_member (test, "end"), ==, test_end);
      g_assert_cmpint (json_object_get_int_member (train, "candles"), ==, folds[k][1] - folds[k][0]);
      g_assert_cmpint (json_object_get_int_member (test, "candles"), ==, folds[k][2] - folds[k][1]);
      g_assert_true (json_object_has_member (member_object (fold, "params"), "fast"));
      g_assert_true (json_object_has_member (member_object (fold, "in_sample"), "sharpe"));
      trades += json_object_get_int_member (member_object (fold, "out_of_sample"), "trades");
    }
  out = member_object (result, "out_of_sample");
  g_assert_cmpint (json_object_get_int_member (out, "trades"), ==, trades);
  g_assert_true (json_object_has_member (out, "total_return"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (out, "equity")), ==, 29 + 30 + 30);
  g_assert_true (json_object_has_member (member_object (result, "in_sample"), "total_return"));

  expected = run_here (member_object (optimisation, "request"));
  assert_same_json (json_object_get_member (optimisation, "result"), expected);
}

/* The winner becomes a live strategy's parameters, as an edit would. */
static void
test_apply (void)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) applied = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *apply = NULL;
  g_autofree char *body = NULL;
  g_autofree char *other_body = NULL;
  g_autofree char *live_path = NULL;
  g_autofree char *target = NULL;
  JsonObject *best;
  gint64 id, live_id, rsi_id;

  created = desk_expect (server, "POST", "/api/v1/strategies", trader_token,
                         "{\"name\":\"SMA on OPT\",\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\","
                         "\"interval\":\"1h\",\"params\":{\"fast\":10,\"slow\":30},\"enabled\":false}", 201);
  live_id = json_object_get_int_member (desk_object (created), "id");
  other = desk_expect (server, "POST", "/api/v1/strategies", trader_token,
                       "{\"name\":\"RSI on OPT\",\"strategy\":\"rsi\",\"symbol\":\"" SYMBOL "\","
                       "\"interval\":\"1h\",\"enabled\":false}", 201);
  rsi_id = json_object_get_int_member (desk_object (other), "id");

  id = run_optimisation (trader_token, ",\"space\":{\"fast\":[4,7],\"slow\":[15,25]},\"objective\":\"profit\"");
  node = get_optimisation (id);
  best = member_object (desk_object (node), "best_params");
  apply = g_strdup_printf ("/api/v1/optimisations/%" G_GINT64_FORMAT "/apply", id);
  body = g_strdup_printf ("{\"live_strategy_id\":%" G_GINT64_FORMAT "}", live_id);

  /* Viewers may not; nor another type's strategy, nor one that is not there. */
  expect ("POST", apply, viewer_token, body, 403);
  other_body = g_strdup_printf ("{\"live_strategy_id\":%" G_GINT64_FORMAT "}", rsi_id);
  desk_expect_field (server, "POST", apply, trader_token, other_body, 422, "live_strategy_id");
  desk_expect_field (server, "POST", apply, trader_token, "{\"live_strategy_id\":999999}", 422, "live_strategy_id");
  desk_expect_field (server, "POST", apply, trader_token, "{}", 422, "live_strategy_id");
  desk_expect_field (server, "POST", apply, trader_token, "{\"live_strategy_id\":\"1\"}", 422, "live_strategy_id");
  desk_expect_field (server, "POST", apply, trader_token, "{\"live_strategy_id\":1,\"x\":1}", 422, "x");
  expect ("POST", "/api/v1/optimisations/999999/apply", trader_token, body, 404);

  applied = desk_expect (server, "POST", apply, trader_token, body, 200);
  g_assert_true (json_object_equal (member_object (desk_object (applied), "params"), best));
  live_path = g_strdup_printf ("/api/v1/strategies/%" G_GINT64_FORMAT, live_id);
  shown = desk_expect (server, "GET", live_path, trader_token, NULL, 200);
  g_assert_true (json_object_equal (member_object (desk_object (shown), "params"), best));
  g_assert_cmpint (json_object_get_int_member (member_object (desk_object (shown), "params"), "fast"), ==,
                   json_object_get_int_member (best, "fast"));
  target = g_strdup_printf ("strategy:%" G_GINT64_FORMAT, live_id);
  g_assert_true (audited ("strategy.update", target));
}

static void
test_list_note_delete (void)
{
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) noted = NULL;
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  JsonArray *items;
  gint64 id;

  id = run_optimisation (trader_token, ",\"space\":{\"fast\":[5]}");
  list = desk_expect (server, "GET", "/api/v1/optimisations?strategy=sma-cross&limit=1", viewer_token, NULL, 200);
  items = json_object_get_array_member (desk_object (list), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, id);
  g_assert_false (json_object_has_member (json_array_get_object_element (items, 0), "result"));
  g_assert_false (json_object_get_null_member (desk_object (list), "next_cursor"));

  path = g_strdup_printf ("/api/v1/optimisations/%" G_GINT64_FORMAT, id);
  noted = desk_expect (server, "PATCH", path, trader_token, "{\"note\":\"kept\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (noted), "note"), ==, "kept");
  desk_expect_field (server, "PATCH", path, other_token, "{\"note\":\"mine\"}", 403, "id");
  desk_expect_field (server, "PATCH", path, trader_token, "{\"note\":3}", 422, "note");
  expect ("PATCH", path, viewer_token, "{\"note\":\"x\"}", 403);
  expect ("DELETE", path, other_token, NULL, 403);
  expect ("DELETE", path, trader_token, NULL, 204);
  expect ("GET", path, trader_token, NULL, 404);
  target = g_strdup_printf ("optimisation:%" G_GINT64_FORMAT, id);
  g_assert_true (audited ("optimisation.note", target));
  g_assert_true (audited ("optimisation.delete", target));
}

static void
test_invalid (void)
{
  static const struct
  {
    const char *members;
    const char *field;
  } cases[] = {
    { "", "space" },
    { ",\"space\":{}", "space" },
    { ",\"space\":{\"nope\":[1]}", "space.nope" },
    { ",\"space\":{\"fast\":[0]}", "space.fast" },
    { ",\"space\":{\"fast\":{\"min\":1,\"max\":5,\"step\":0}}", "space.fast" },
    { ",\"space\":{\"fast\":{\"min\":1,\"max\":200,\"step\":1},\"slow\":{\"min\":2,\"max\":200,\"step\":1}}",
      "space" },
    { ",\"space\":{\"fast\":[40,50],\"slow\":[30]}", "space.fast" },
    { ",\"space\":{\"fast\":[5]},\"method\":\"annealing\"", "method" },
    { ",\"space\":{\"fast\":[5]},\"method\":\"random\"", "samples" },
    { ",\"space\":{\"fast\":[5]},\"method\":\"random\",\"samples\":10001", "samples" },
    { ",\"space\":{\"fast\":[5]},\"objective\":\"luck\"", "objective" },
    { ",\"space\":{\"fast\":[5]},\"min_trades\":-1", "min_trades" },
    { ",\"space\":{\"fast\":[5]},\"walk_forward\":{\"folds\":21}", "walk_forward.folds" },
    { ",\"space\":{\"fast\":[5]},\"walk_forward\":{\"folds\":2,\"train_fraction\":\"1\"}",
      "walk_forward.train_fraction" },
    { ",\"space\":{\"fast\":[5]},\"params\":{\"bogus\":1}", "params.bogus" },
    { ",\"space\":{\"fast\":[5]},\"colour\":\"blue\"", "colour" },
  };
  g_autofree char *start = time_text (t0 + 380 * HOUR_MS);
  g_autofree char *end = time_text (t0 + N_HOURS * HOUR_MS);
  /* 20 candles cannot make 15 folds of a training and a test candle each. */
  g_autofree char *short_window = g_strdup_printf (
    "{\"strategy\":\"sma-cross\",\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"%s\",\"end\":\"%s\","
    "\"space\":{\"fast\":[5]},\"walk_forward\":{\"folds\":15}}", start, end);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = request_body (cases[i].members);

      desk_expect_field (server, "POST", "/api/v1/optimisations", trader_token, body, 422, cases[i].field);
    }
  desk_expect_field (server, "POST", "/api/v1/optimisations", trader_token, short_window, 422, "walk_forward.folds");
  desk_expect_field (server, "POST", "/api/v1/optimisations", trader_token,
                     "{\"strategy\":\"nope\",\"space\":{\"fast\":[5]}}", 422, "strategy");
}

static void
test_roles (void)
{
  g_autofree char *body = request_body (",\"space\":{\"fast\":[5]}");

  expect ("POST", "/api/v1/optimisations", viewer_token, body, 403);
  expect ("GET", "/api/v1/optimisations", viewer_token, NULL, 200);
  expect ("GET", "/api/v1/optimisations", NULL, NULL, 200);
}

/* A search held at the gate: the optimisation's id, and its job's. */
static gint64
start_gated (gint64 *job_id)
{
  g_autofree char *start = time_text (gate_t0 + 600 * MINUTE_MS);
  g_autofree char *end = time_text (gate_t0 + N_MINUTES * MINUTE_MS);
  g_autofree char *body = g_strdup_printf ("{\"strategy\":\"test-gate\",\"symbol\":\"" GATE_SYMBOL "\","
                                           "\"interval\":\"1m\",\"start\":\"%s\",\"end\":\"%s\","
                                           "\"space\":{\"n\":[1,2]}}", start, end);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) running = NULL;
  JsonObject *optimisation;
  gint64 id;

  desk_gate_reset ();
  node = desk_expect (server, "POST", "/api/v1/optimisations", trader_token, body, 202);
  optimisation = member_object (desk_object (node), "optimisation");
  id = json_object_get_int_member (optimisation, "id");
  *job_id = json_object_get_int_member (optimisation, "job_id");
  bourse_test_wait_until (desk_gate_is_entered, NULL, 120000, "the search to reach the gate");
  running = get_optimisation (id);
  g_assert_cmpstr (json_object_get_string_member (desk_object (running), "status"), ==, "running");
  return id;
}

/* The job cancelled: the candidates stop at their next look, and the
 * optimisation ends cancelled, without a winner or a result. */
static void
test_cancel (void)
{
  g_autoptr(JsonNode) cancelled = NULL;
  g_autofree char *cancel = NULL;
  g_autofree char *apply = NULL;
  Wanted wanted = { 0, BOURSE_JOB_CANCELLED };
  gint64 job_id;

  wanted.id = start_gated (&job_id);
  cancel = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT "/cancel", job_id);
  expect ("POST", cancel, trader_token, NULL, 202);
  desk_gate_release (FALSE);
  bourse_test_wait_until (has_status, &wanted, 120000, "the optimisation to be cancelled");

  cancelled = get_optimisation (wanted.id);
  g_assert_cmpstr (json_object_get_string_member (desk_object (cancelled), "status"), ==, "cancelled");
  g_assert_true (json_object_get_null_member (desk_object (cancelled), "best_params"));
  g_assert_false (json_object_has_member (desk_object (cancelled), "result"));
  g_assert_nonnull (json_object_get_string_member (desk_object (cancelled), "finished_at"));

  /* Nothing to apply. */
  apply = g_strdup_printf ("/api/v1/optimisations/%" G_GINT64_FORMAT "/apply", wanted.id);
  expect ("POST", apply, trader_token, "{\"live_strategy_id\":1}", 409);
}

static gboolean
job_has_status (gpointer data)
{
  Wanted *wanted = data;
  g_autoptr(BourseJobInfo) info = bourse_jobs_get (bourse_engine_get_jobs (server->engine), wanted->id, NULL);

  return info != NULL && info->status == wanted->status;
}

/* A running search deleted: its job is cancelled first, and it is gone. */
static void
test_delete_running (void)
{
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  Wanted job = { 0, BOURSE_JOB_CANCELLED };
  gint64 id = start_gated (&job.id);

  path = g_strdup_printf ("/api/v1/optimisations/%" G_GINT64_FORMAT, id);
  expect ("DELETE", path, trader_token, NULL, 204);
  expect ("GET", path, trader_token, NULL, 404);
  desk_gate_release (FALSE);
  bourse_test_wait_until (job_has_status, &job, 120000, "the deleted search's job to be cancelled");
  target = g_strdup_printf ("optimisation:%" G_GINT64_FORMAT, id);
  g_assert_true (audited ("optimisation.delete", target));
}

/* What a stop finds running, and what a crash left running, are failed
 * ("interrupted") after the restart. */
static void
test_restart (void)
{
  g_autoptr(JsonNode) stopped = NULL;
  g_autoptr(JsonNode) crashed = NULL;
  gint64 finished = run_optimisation (trader_token, ",\"space\":{\"fast\":[3,6]}");
  gint64 job_id, running;

  desk_mark_running (server, "optimisations", finished);

  running = start_gated (&job_id);
  desk_gate_release_on_stop (server);
  bourse_test_server_restart (server);

  stopped = get_optimisation (running);
  desk_assert_interrupted (stopped);
  crashed = get_optimisation (finished);
  desk_assert_interrupted (crashed);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GError) error = NULL;
  gboolean more;
  gint64 next;
  int status;

  g_test_init (&argc, &argv, NULL);
  bourse_strategies_ensure ();
  desk_gate_register ();

  server = desk_server_new (NULL);
  desk_create_user (server, "trina", "trader");
  desk_create_user (server, "otto", "trader");
  desk_create_user (server, "vic", "viewer");
  trader_token = desk_login (server, "trina", "trader");
  other_token = desk_login (server, "otto", "trader");
  viewer_token = desk_login (server, "vic", "viewer");
  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, N_HOURS, 20260106);
  instrument = bourse_instruments_find (bourse_engine_get_store (server->engine), SYMBOL, &error);
  g_assert_no_error (error);
  first = bourse_candles_query (bourse_engine_get_store (server->engine), instrument->id, BOURSE_INTERVAL_1H, 0,
                                G_MAXINT64, 1, &more, &next, &error);
  g_assert_no_error (error);
  t0 = g_array_index (first, BourseCandle, 0).open_time;
  g_clear_pointer (&first, g_array_unref);
  g_clear_pointer (&instrument, bourse_instrument_free);
  desk_add_instrument (server, GATE_SYMBOL, BOURSE_INTERVAL_1M, N_MINUTES, 20260107);
  instrument = bourse_instruments_find (bourse_engine_get_store (server->engine), GATE_SYMBOL, &error);
  g_assert_no_error (error);
  first = bourse_candles_query (bourse_engine_get_store (server->engine), instrument->id, BOURSE_INTERVAL_1M, 0,
                                G_MAXINT64, 1, &more, &next, &error);
  g_assert_no_error (error);
  gate_t0 = g_array_index (first, BourseCandle, 0).open_time;

  g_test_add_func ("/optimisations/grid", test_grid);
  g_test_add_func ("/optimisations/walk-forward", test_walk_forward);
  g_test_add_func ("/optimisations/apply", test_apply);
  g_test_add_func ("/optimisations/list-note-delete", test_list_note_delete);
  g_test_add_func ("/optimisations/invalid", test_invalid);
  g_test_add_func ("/optimisations/roles", test_roles);
  g_test_add_func ("/optimisations/cancel", test_cancel);
  g_test_add_func ("/optimisations/delete-running", test_delete_running);
  /* Last: it restarts the server. */
  g_test_add_func ("/optimisations/restart", test_restart);

  status = g_test_run ();
  g_free (trader_token);
  g_free (other_token);
  g_free (viewer_token);
  bourse_test_server_free (server);
  return status;
}
