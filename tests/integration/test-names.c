/* test-names.c — names beside ids in what the API answers, and declining a sign-up
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "desk-test-util.h"

#define SYMBOL "NAMUSDT"

static const char *
string_or_null (JsonObject *object,
                const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  return json_object_get_string_member_with_default (object, member, NULL);
}

/* The approval as @token reads it, by itself and in the list. */
static void
check_approval (BourseTestServer *server,
                const char       *token,
                gint64            id,
                const char       *requested_by_name,
                const char       *decided_by_name)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) one = desk_expect (server, "GET", path, token, NULL, 200);
  g_autoptr(JsonNode) list = desk_expect (server, "GET", "/api/v1/approvals", token, NULL, 200);
  JsonArray *items = json_object_get_array_member (desk_object (list), "items");
  JsonObject *objects[2] = { desk_object (one), NULL };

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (json_object_get_int_member (json_array_get_object_element (items, i), "id") == id)
      objects[1] = json_array_get_object_element (items, i);
  g_assert_nonnull (objects[1]);

  for (guint i = 0; i < G_N_ELEMENTS (objects); i++)
    {
      JsonObject *recommendation = json_object_get_object_member (objects[i], "recommendation");

      g_assert_cmpstr (string_or_null (objects[i], "requested_by_name"), ==, requested_by_name);
      g_assert_cmpstr (string_or_null (objects[i], "decided_by_name"), ==, decided_by_name);
      g_assert_cmpstr (string_or_null (recommendation, "created_by_name"), ==, requested_by_name);
      /* An analysis has no live strategy: the type's human name. */
      g_assert_nonnull (string_or_null (recommendation, "strategy_name"));
      g_assert_cmpstr (string_or_null (recommendation, "strategy_name"), !=, "ar");
    }
}

static void
test_approval_names (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *tom = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *vera = NULL;
  g_autofree char *approve = NULL;
  g_autoptr(JsonNode) decided = NULL;
  DeskWs *ws;
  JsonObject *event;
  gint64 id;

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, 200, 7);
  desk_create_user (server, "tom", "trader");
  desk_create_user (server, "ada", "admin");
  desk_create_user (server, "vera", "viewer");
  tom = desk_login (server, "tom", "trader");
  ada = desk_login (server, "ada", "admin");
  vera = desk_login (server, "vera", "viewer");

  ws = desk_ws_connect (server, vera);
  desk_ws_subscribe (ws, "[\"approvals\",\"recommendations\"]");

  id = desk_request_approval (server, SYMBOL, tom);
  check_approval (server, vera, id, "tom", NULL);
  check_approval (server, tom, id, "tom", NULL);
  check_approval (server, ada, id, "tom", NULL);

  /* The events carry what GET answers. */
  desk_ws_wait (ws, "approvals", 1);
  event = desk_ws_event (ws, "approvals", 0);
  g_assert_cmpstr (string_or_null (event, "requested_by_name"), ==, "tom");
  desk_ws_wait (ws, "recommendations", 1);
  event = desk_ws_event (ws, "recommendations", 0);
  g_assert_cmpstr (string_or_null (event, "created_by_name"), ==, "tom");
  g_assert_nonnull (string_or_null (event, "strategy_name"));

  approve = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/approve", id);
  decided = desk_expect (server, "POST", approve, ada, "{\"reason\":\"fine\"}", 200);
  g_assert_cmpstr (string_or_null (desk_object (decided), "decided_by_name"), ==, "ada");
  desk_ws_wait (ws, "approvals", 2);
  g_assert_cmpstr (string_or_null (desk_ws_event (ws, "approvals", 1), "decided_by_name"), ==, "ada");
  check_approval (server, vera, id, "tom", "ada");
  check_approval (server, tom, id, "tom", "ada");

  /* The desktop's owner has no account: no name, as no id. */
  id = desk_request_approval (server, SYMBOL, NULL);
  check_approval (server, ada, id, NULL, NULL);

  desk_ws_free (ws);
  bourse_test_server_free (server);
}

/* A live strategy's name on a signal read back from the store. */
static void
test_signal_strategy_name (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(JsonNode) strategy = NULL;
  g_autoptr(JsonNode) signal = NULL;
  g_autofree char *db_path = g_build_filename (server->data_dir, "bourse.db", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;
  gint64 strategy_id;

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, 50, 3);
  strategy = desk_expect (server, "POST", "/api/v1/strategies", NULL,
                          "{\"name\":\"Morning drift\",\"strategy\":\"ar\",\"symbol\":\"" SYMBOL "\","
                          "\"interval\":\"1h\",\"enabled\":false}", 201);
  strategy_id = json_object_get_int_member (desk_object (strategy), "id");

  /* One evaluation as the engine stores it (a closed candle would take an
   * hour of this interval to arrive). */
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("INSERT INTO signals (id, strategy_id, strategy, symbol, interval, decision, confidence, "
                         "reason, candle_time, created_at) VALUES (900, %" G_GINT64_FORMAT ", 'ar', '" SYMBOL "', "
                         "'1h', 'NO_TRADE', 0.5, 'flat', 0, '2026-01-01T00:00:00.000Z')", strategy_id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  signal = desk_expect (server, "GET", "/api/v1/signals/900", NULL, NULL, 200);
  g_assert_cmpstr (string_or_null (desk_object (signal), "strategy_name"), ==, "Morning drift");

  path = g_strdup_printf ("/api/v1/strategies/%" G_GINT64_FORMAT, strategy_id);
  g_clear_pointer (&strategy, json_node_unref);
  strategy = desk_expect (server, "DELETE", path, NULL, NULL, 204);
  g_clear_pointer (&signal, json_node_unref);
  /* Its strategy gone, the type's human name. */
  signal = desk_expect (server, "GET", "/api/v1/signals/900", NULL, NULL, 200);
  g_assert_nonnull (string_or_null (desk_object (signal), "strategy_name"));
  g_assert_cmpstr (string_or_null (desk_object (signal), "strategy_name"), !=, "Morning drift");

  bourse_test_server_free (server);
}

static JsonObject *
find_audit (JsonNode   *entries,
            const char *target)
{
  JsonArray *array = json_node_get_array (entries);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "target", NULL), target) == 0)
        return entry;
    }
  return NULL;
}

static void
test_audit_names (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *ada = NULL;
  g_autofree char *target = NULL;
  g_autofree char *approve = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) approved = NULL;
  g_autoptr(JsonNode) decided = NULL;
  g_autofree char *tom = NULL;
  DeskWs *ws, *refused;
  JsonObject *entry;
  gint64 ada_id, id;
  guint n;

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, 200, 11);
  ada_id = desk_create_user (server, "ada", "admin");
  desk_create_user (server, "tom", "trader");
  ada = desk_login (server, "ada", "admin");
  tom = desk_login (server, "tom", "trader");

  /* The trail is live for those who may read it. */
  ws = desk_ws_connect (server, ada);
  desk_ws_subscribe (ws, "[\"audit\"]");
  refused = desk_ws_connect (server, tom);
  g_assert_false (desk_ws_try_subscribe (refused, "[\"audit\"]"));
  desk_ws_free (refused);

  /* The local owner made ada: no name for the owner, hers for the target. */
  created = desk_audit (server, "user.create");
  target = g_strdup_printf ("user:%" G_GINT64_FORMAT, ada_id);
  entry = find_audit (created, target);
  g_assert_nonnull (entry);
  g_assert_cmpstr (string_or_null (entry, "actor"), ==, "local-owner");
  g_assert_null (string_or_null (entry, "actor_name"));
  g_assert_cmpstr (string_or_null (entry, "target_name"), ==, "ada");

  id = desk_request_approval (server, SYMBOL, NULL);
  approve = g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "/approve", id);
  decided = desk_expect (server, "POST", approve, ada, "{}", 200);
  approved = desk_audit (server, "approval.approve");
  g_free (target);
  target = g_strdup_printf ("approval:%" G_GINT64_FORMAT, id);
  entry = find_audit (approved, target);
  g_assert_nonnull (entry);
  g_assert_cmpstr (string_or_null (entry, "actor_name"), ==, "ada");
  g_assert_true (g_str_has_suffix (string_or_null (entry, "target_name"), " " SYMBOL));

  /* Its event came after those before it, with the names GET shows. */
  desk_ws_wait (ws, "audit", 1);
  do
    {
      n = desk_ws_count (ws, "audit");
      entry = desk_ws_event (ws, "audit", n - 1);
      if (g_strcmp0 (string_or_null (entry, "action"), "approval.approve") != 0)
        desk_ws_wait (ws, "audit", n + 1);
    }
  while (g_strcmp0 (string_or_null (entry, "action"), "approval.approve") != 0);
  g_assert_cmpstr (string_or_null (entry, "actor_name"), ==, "ada");
  g_assert_cmpstr (string_or_null (entry, "target"), ==, target);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (json_object_get_int_member (desk_ws_event (ws, "audit", i - 1), "id"), <,
                     json_object_get_int_member (desk_ws_event (ws, "audit", i), "id"));

  desk_ws_free (ws);
  bourse_test_server_free (server);
}

static gint64
register_pending (BourseTestServer *server,
                  const char       *name)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.com\","
                                           "\"password\":\"" DESK_ADMIN_PASSWORD "\"}", name, name);
  g_autoptr(JsonNode) node = desk_expect (server, "POST", "/api/v1/auth/register", NULL, body, 201);

  return json_object_get_int_member (desk_object (node), "id");
}

static gint64
count_events (BourseTestServer *server,
              const char       *event,
              gint64            user_id)
{
  g_autofree char *db_path = g_build_filename (server->data_dir, "bourse.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM notification_events WHERE event = ?1 "
                                           "AND user_id = ?2 AND json_extract (data, '$.reason') IS NOT NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, user_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gboolean
has_delivery (gpointer data)
{
  BourseTestServer *server = data;
  guint status = 0;
  g_autoptr(JsonNode) node = desk_fetch (server, "GET", "/api/v1/notifications?event=signup.declined", NULL, NULL,
                                         &status);

  return status == 200 && json_array_get_length (json_object_get_array_member (desk_object (node), "items")) > 0;
}

static void
test_decline (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *ada = NULL;
  g_autofree char *tom = NULL;
  g_autofree char *decline = NULL;
  g_autofree char *decline_active = NULL;
  g_autofree char *target = NULL;
  g_autoptr(JsonNode) declined = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autoptr(JsonNode) deliveries = NULL;
  JsonObject *entry, *delivery;
  gint64 id, tom_id;
  guint status = 0;

  desk_create_user (server, "ada", "admin");
  tom_id = desk_create_user (server, "tom", "trader");
  ada = desk_login (server, "ada", "admin");
  tom = desk_login (server, "tom", "trader");
  id = register_pending (server, "pat");
  decline = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/decline", id);
  decline_active = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/decline", tom_id);

  /* Administrators only; a reason is required, and kept to 500 characters. */
  g_clear_pointer (&declined, json_node_unref);
  declined = desk_fetch (server, "POST", decline, tom, "{\"reason\":\"no\"}", &status);
  g_assert_cmpuint (status, ==, 403);
  desk_expect_field (server, "POST", decline, ada, "{}", 422, "reason");
  desk_expect_field (server, "POST", decline, ada, "{\"reason\":\"\"}", 422, "reason");
  g_assert_cmpint (count_events (server, "signup.declined", id), ==, 0);

  g_clear_pointer (&declined, json_node_unref);
  declined = desk_expect (server, "POST", decline, ada, "{\"reason\":\"Not on the desk's list\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (declined), "status"), ==, "disabled");

  /* Its audit entry and the person's notification, together. */
  audit = desk_audit (server, "user.decline");
  target = g_strdup_printf ("user:%" G_GINT64_FORMAT, id);
  entry = find_audit (audit, target);
  g_assert_nonnull (entry);
  g_assert_cmpstr (string_or_null (entry, "actor_name"), ==, "ada");
  g_assert_cmpstr (string_or_null (entry, "target_name"), ==, "pat");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "details"), "reason"), ==,
                   "Not on the desk's list");
  g_assert_cmpint (count_events (server, "signup.declined", id), ==, 1);

  /* The person is no user: the delivery goes to them by e-mail all the same. */
  bourse_test_wait_until (has_delivery, server, 20000, "the signup.declined delivery");
  deliveries = desk_expect (server, "GET", "/api/v1/notifications?event=signup.declined", NULL, NULL, 200);
  delivery = json_array_get_object_element (json_object_get_array_member (desk_object (deliveries), "items"), 0);
  g_assert_cmpint (json_object_get_int_member (delivery, "user_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (delivery, "channel"), ==, "email");

  /* Only a pending sign-up: 409 naming status, nothing more stored. */
  desk_expect_field (server, "POST", decline, ada, "{\"reason\":\"again\"}", 409, "status");
  desk_expect_field (server, "POST", decline_active, ada, "{\"reason\":\"no\"}", 409, "status");
  g_assert_cmpint (count_events (server, "signup.declined", id), ==, 1);
  g_assert_cmpint (count_events (server, "signup.declined", tom_id), ==, 0);
  g_clear_pointer (&declined, json_node_unref);
  declined = desk_expect (server, "POST", "/api/v1/users/999999/decline", ada, "{\"reason\":\"no\"}", 404);

  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/names/approvals", test_approval_names);
  g_test_add_func ("/names/signals", test_signal_strategy_name);
  g_test_add_func ("/names/audit", test_audit_names);
  g_test_add_func ("/names/decline", test_decline);

  return g_test_run ();
}
