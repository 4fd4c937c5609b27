/* test-scheduler-routes.c — the scheduler in the engine, through HTTP
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine runs on a frozen clock: what is due depends on where the test
 * puts it, never on the wall clock. Runs are asked for by name (as the
 * scheduler does when a slot comes), and a restart three days on shows
 * the missed heartbeat run once.
 */

#include "config.h"

#include <sqlite3.h>

#include "core/bourse-time.h"

#include "auth/bourse-permissions.h"

#include "bourse-test-server.h"

#define T0    "2026-05-04T12:00:00.000Z"   /* 07:00 in Chicago (CDT) */
#define DAY_MS (24 * 60 * 60 * G_GINT64_CONSTANT (1000))

static const char * const settings[] = {
  "rate_limit", "enabled", "false",
  NULL
};

static gint64
at (const char *rfc3339)
{
  gint64 ms = 0;

  g_assert_true (bourse_time_parse_rfc3339 (rfc3339, &ms, NULL));
  return ms;
}

static JsonNode *
expect (BourseTestServer *server,
        const char       *path,
        guint             status)
{
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", path, NULL, NULL, NULL, 0);

  if (response->status != status)
    g_error ("GET %s: %u, not %u: %.*s", path, response->status, status,
             (int) g_bytes_get_size (response->body), (const char *) g_bytes_get_data (response->body, NULL));
  return bourse_test_response_json (response);
}

static JsonObject *
find_job (JsonNode   *jobs,
          const char *name)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (jobs), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *job = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (job, "name"), name))
        return job;
    }
  g_error ("no job %s", name);
  return NULL;
}

static void
run_now (BourseTestServer *server,
         const char       *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_scheduler_run_now (bourse_engine_get_scheduler (server->engine), name, &error));
  g_assert_no_error (error);
}

static void
system_event_cb (BourseEventBus *bus,
                 const char     *topic,
                 JsonNode       *data,
                 GPtrArray      *seen)
{
  if (g_str_equal (topic, "system") && JSON_NODE_HOLDS_OBJECT (data)
      && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (data), "type", NULL),
                    "heartbeat") == 0)
    g_ptr_array_add (seen, json_node_copy (data));
}

static char *
heartbeat_event (BourseTestServer *server,
                 gint64           *count)
{
  sqlite3 *db = bourse_store_get_db (bourse_engine_get_store (server->engine));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  char *data = NULL;

  *count = 0;
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT data FROM notification_events WHERE event = 'heartbeat' "
                                       "ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_free (data);
      data = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      (*count)++;
    }
  return data;
}

static void
test_scheduler (void)
{
  BourseTestServer *server;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(JsonNode) jobs = NULL;
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(BourseTestResponse) metrics = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  JsonObject *job, *object, *run;
  JsonArray *items;
  const char *reason = NULL;
  gint64 count;

  bourse_time_freeze (at (T0));
  server = bourse_test_server_new (TRUE, settings);

  /* The jobs, before any ran: a job never run waits for its slot. */
  jobs = expect (server, "/api/v1/scheduler/jobs", 200);
  job = find_job (jobs, "heartbeat");
  g_assert_cmpstr (json_object_get_string_member (job, "schedule"), ==, "0 2,8,14,20 * * *");
  g_assert_cmpstr (json_object_get_string_member (job, "time_zone"), ==, "America/Chicago");
  g_assert_cmpstr (json_object_get_string_member (job, "next_run"), ==, "2026-05-04T13:00:00.000Z");
  g_assert_true (json_object_get_null_member (job, "last_run"));
  g_assert_true (json_object_get_null_member (job, "last_outcome"));
  job = find_job (jobs, "approvals.expire");
  g_assert_cmpstr (json_object_get_string_member (job, "schedule"), ==, "@every 30s");
  g_assert_cmpstr (json_object_get_string_member (job, "next_run"), ==, "2026-05-04T12:00:30.000Z");
  find_job (jobs, "equity.snapshot");
  find_job (jobs, "exchange.info");
  find_job (jobs, "database.optimize");
  find_job (jobs, "audit.verify");
  runs = expect (server, "/api/v1/scheduler/runs", 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (runs), "items")), ==, 0);
  g_assert_true (json_object_get_null_member (json_node_get_object (runs), "next_cursor"));
  g_clear_pointer (&runs, json_node_unref);
  g_assert_cmpint (bourse_health_get (bourse_engine_get_health (server->engine), "scheduler", NULL), ==,
                   BOURSE_HEALTH_OK);

  /* The heartbeat: a notification event, and a message on "system". */
  g_signal_connect (bourse_engine_get_event_bus (server->engine), "event", G_CALLBACK (system_event_cb), seen);
  run_now (server, "heartbeat");
  g_signal_handlers_disconnect_by_func (bourse_engine_get_event_bus (server->engine), system_event_cb, seen);
  stored = heartbeat_event (server, &count);
  g_assert_cmpint (count, ==, 1);
  event = json_from_string (stored, NULL);
  object = json_node_get_object (event);
  g_assert_cmpstr (json_object_get_string_member (object, "mode"), ==, "paper");
  g_assert_cmpstr (json_object_get_string_member (object, "engine"), ==, "running");
  g_assert_cmpstr (json_object_get_string_member (object, "trading"), ==, "ACTIVE");
  g_assert_cmpstr (json_object_get_string_member (object, "equity"), ==, "10000.00000000");
  g_assert_cmpstr (json_object_get_string_member (object, "pnl_today"), ==, "0.00000000");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "open_positions"), "count"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "pending_approvals"), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "feeds")));
  g_assert_true (json_object_has_member (object, "uptime_s"));
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (g_ptr_array_index (seen, 0)), "equity"), ==,
                   "10000.00000000");

  /* Housekeeping; no exchange is connected, so exchange.info skips. */
  run_now (server, "database.optimize");
  run_now (server, "audit.verify");
  run_now (server, "exchange.info");
  run_now (server, "approvals.expire");
  g_assert_cmpint (bourse_health_get (bourse_engine_get_health (server->engine), "audit", &reason), ==,
                   BOURSE_HEALTH_OK);

  runs = expect (server, "/api/v1/scheduler/runs", 200);
  items = json_object_get_array_member (json_node_get_object (runs), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 5);
  run = json_array_get_object_element (items, 0);   /* newest first */
  g_assert_cmpstr (json_object_get_string_member (run, "job"), ==, "approvals.expire");
  run = json_array_get_object_element (items, 1);
  g_assert_cmpstr (json_object_get_string_member (run, "job"), ==, "exchange.info");
  g_assert_cmpstr (json_object_get_string_member (run, "outcome"), ==, "skipped");
  run = json_array_get_object_element (items, 4);
  g_assert_cmpstr (json_object_get_string_member (run, "job"), ==, "heartbeat");
  g_assert_cmpstr (json_object_get_string_member (run, "outcome"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (run, "scheduled_for"), ==, T0);
  g_assert_cmpstr (json_object_get_string_member (run, "started_at"), ==, T0);
  g_assert_cmpstr (json_object_get_string_member (run, "finished_at"), ==, T0);
  g_clear_pointer (&runs, json_node_unref);

  /* Pages, and one job's runs. */
  runs = expect (server, "/api/v1/scheduler/runs?limit=2", 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (runs), "items")), ==, 2);
  path = g_strdup_printf ("/api/v1/scheduler/runs?limit=3&cursor=%s",
                          json_object_get_string_member (json_node_get_object (runs), "next_cursor"));
  page = expect (server, path, 200);
  items = json_object_get_array_member (json_node_get_object (page), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 2), "job"), ==, "heartbeat");
  g_assert_true (json_object_get_null_member (json_node_get_object (page), "next_cursor"));
  g_clear_pointer (&runs, json_node_unref);
  runs = expect (server, "/api/v1/scheduler/runs?job=audit.verify", 200);
  items = json_object_get_array_member (json_node_get_object (runs), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "outcome"), ==, "ok");
  g_clear_pointer (&runs, json_node_unref);

  /* A bad query names its field. */
  problem = expect (server, "/api/v1/scheduler/runs?limit=0", 422);
  text = json_to_string (problem, FALSE);
  g_assert_nonnull (strstr (text, "\"field\":\"limit\""));
  g_clear_pointer (&problem, json_node_unref);
  g_clear_pointer (&text, g_free);
  problem = expect (server, "/api/v1/scheduler/runs?job=no%20such", 422);
  text = json_to_string (problem, FALSE);
  g_assert_nonnull (strstr (text, "\"field\":\"job\""));

  /* The counter. */
  metrics = bourse_test_fetch (server, "GET", "/metrics", NULL, NULL, NULL, 0);
  g_assert_cmpuint (metrics->status, ==, 200);
  {
    g_autofree char *body = g_strndup (g_bytes_get_data (metrics->body, NULL), g_bytes_get_size (metrics->body));

    g_assert_nonnull (strstr (body, "# TYPE bourse_scheduler_runs_total counter\n"));
    g_assert_nonnull (strstr (body, "bourse_scheduler_runs_total{job=\"heartbeat\",outcome=\"ok\"} 1\n"));
    g_assert_nonnull (strstr (body, "bourse_scheduler_runs_total{job=\"exchange.info\",outcome=\"skipped\"} 1\n"));
    g_assert_nonnull (strstr (body, "bourse_scheduler_runs_total{job=\"equity.snapshot\",outcome=\"ok\"} 0\n"));
  }

  /* Down for three days: the heartbeat runs once at the start, for its
   * latest slot (02:00 CDT on 2026-05-07), and goes on at 08:00 CDT. */
  bourse_time_freeze (at (T0) + 3 * DAY_MS);
  bourse_test_server_restart (server);
  g_clear_pointer (&stored, g_free);
  stored = heartbeat_event (server, &count);
  g_assert_cmpint (count, ==, 2);
  g_clear_pointer (&runs, json_node_unref);
  runs = expect (server, "/api/v1/scheduler/runs?job=heartbeat", 200);
  items = json_object_get_array_member (json_node_get_object (runs), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "scheduled_for"), ==,
                   "2026-05-07T07:00:00.000Z");
  g_clear_pointer (&jobs, json_node_unref);
  jobs = expect (server, "/api/v1/scheduler/jobs", 200);
  job = find_job (jobs, "heartbeat");
  g_assert_cmpstr (json_object_get_string_member (job, "next_run"), ==, "2026-05-07T13:00:00.000Z");
  g_assert_cmpstr (json_object_get_string_member (job, "last_run"), ==, "2026-05-07T12:00:00.000Z");
  g_assert_cmpstr (json_object_get_string_member (job, "last_outcome"), ==, "ok");

  bourse_test_server_free (server);
  bourse_time_thaw ();
}

/* scheduler.* through the configuration API apply at once: the jobs'
 * slots move, a bad schedule is a 422 naming it and moves nothing, and
 * with the heartbeat off its slots pass as skipped, with no event. */
static void
test_reschedule (void)
{
  BourseTestServer *server;
  g_autoptr(JsonNode) jobs = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) runs = NULL;
  g_autoptr(BourseTestResponse) bad = NULL;
  g_autoptr(BourseTestResponse) moved = NULL;
  g_autoptr(BourseTestResponse) off = NULL;
  g_autofree char *stored = NULL;
  JsonObject *job, *run;
  gint64 count;

  bourse_time_freeze (at (T0));
  server = bourse_test_server_new (TRUE, settings);

  bad = bourse_test_fetch (server, "PUT", "/api/v1/config/scheduler", NULL, "application/json",
                           "{\"heartbeat\":\"0 25 * * *\",\"time_zone\":\"Mars/Olympus\"}", -1);
  g_assert_cmpuint (bad->status, ==, 422);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bad->body, NULL), g_bytes_get_size (bad->body),
                                  "\"scheduler.heartbeat\""));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bad->body, NULL), g_bytes_get_size (bad->body),
                                  "\"scheduler.time_zone\""));
  jobs = expect (server, "/api/v1/scheduler/jobs", 200);
  g_assert_cmpstr (json_object_get_string_member (find_job (jobs, "heartbeat"), "next_run"), ==,
                   "2026-05-04T13:00:00.000Z");

  /* 12:00Z is 14:00 in Berlin (CEST): 09:30 there is tomorrow at 07:30Z;
   * the daily housekeeping follows the zone too (03:45 → 01:45Z). */
  moved = bourse_test_fetch (server, "PUT", "/api/v1/config/scheduler", NULL, "application/json",
                             "{\"heartbeat\":\"30 9 * * *\",\"time_zone\":\"Europe/Berlin\"}", -1);
  g_assert_cmpuint (moved->status, ==, 200);
  after = expect (server, "/api/v1/scheduler/jobs", 200);
  job = find_job (after, "heartbeat");
  g_assert_cmpstr (json_object_get_string_member (job, "schedule"), ==, "30 9 * * *");
  g_assert_cmpstr (json_object_get_string_member (job, "time_zone"), ==, "Europe/Berlin");
  g_assert_cmpstr (json_object_get_string_member (job, "next_run"), ==, "2026-05-05T07:30:00.000Z");
  g_assert_cmpstr (json_object_get_string_member (find_job (after, "audit.verify"), "next_run"), ==,
                   "2026-05-05T01:45:00.000Z");

  off = bourse_test_fetch (server, "PUT", "/api/v1/config/scheduler", NULL, "application/json",
                           "{\"enabled\":false}", -1);
  g_assert_cmpuint (off->status, ==, 200);
  run_now (server, "heartbeat");
  runs = expect (server, "/api/v1/scheduler/runs?job=heartbeat", 200);
  run = json_array_get_object_element (json_object_get_array_member (json_node_get_object (runs), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (run, "outcome"), ==, "skipped");
  stored = heartbeat_event (server, &count);
  g_assert_cmpint (count, ==, 0);

  bourse_test_server_free (server);
  bourse_time_thaw ();
}

/* Only administrators read the scheduler. */
static void
test_permission (void)
{
  g_assert_true (bourse_role_has_permission (BOURSE_ROLE_ADMIN, "scheduler.read"));
  g_assert_false (bourse_role_has_permission (BOURSE_ROLE_TRADER, "scheduler.read"));
  g_assert_false (bourse_role_has_permission (BOURSE_ROLE_VIEWER, "scheduler.read"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scheduler-routes/jobs-runs-metrics", test_scheduler);
  g_test_add_func ("/scheduler-routes/reschedule", test_reschedule);
  g_test_add_func ("/scheduler-routes/permission", test_permission);

  return g_test_run ();
}
