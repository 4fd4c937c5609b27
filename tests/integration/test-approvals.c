/* test-approvals.c — the approval state machine over HTTP and the WebSocket
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "desk-test-util.h"

#define SYMBOL "APRUSDT"

/* An actionable recommendation asked for by @token (NULL: the local
 * owner): AR with no threshold trades on any forecast. Returns its
 * approval's id. */
static gint64
request_approval (BourseTestServer *server,
                  const char       *token)
{
  return desk_request_approval (server, SYMBOL, token);
}

static char *
approval_path (gint64      id,
               const char *action)
{
  return g_strdup_printf ("/api/v1/approvals/%" G_GINT64_FORMAT "%s%s", id, action ? "/" : "", action ? action : "");
}

static JsonNode *
decide (BourseTestServer *server,
        gint64            id,
        const char       *action,
        const char       *token,
        const char       *body,
        guint             expected)
{
  g_autofree char *path = approval_path (id, action);

  return desk_expect (server, "POST", path, token, body, expected);
}

static const char *
status_of (BourseTestServer *server,
           gint64            id)
{
  g_autofree char *path = approval_path (id, NULL);
  g_autoptr(JsonNode) node = desk_expect (server, "GET", path, NULL, NULL, 200);

  return g_intern_string (json_object_get_string_member (desk_object (node), "status"));
}

/* The audit entries of @action on approval:@id. */
static guint
count_audit (BourseTestServer *server,
             const char       *action,
             gint64            id)
{
  g_autoptr(JsonNode) entries = desk_audit (server, action);
  g_autofree char *target = g_strdup_printf ("approval:%" G_GINT64_FORMAT, id);
  JsonArray *array = json_node_get_array (entries);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (array, i), "target"), target) == 0)
      n++;
  return n;
}

static void
test_approve_and_reject (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *tom = NULL;
  g_autofree char *ada = NULL;
  g_autofree char *vera = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) long_reason = g_string_new ("{\"reason\":\"");
  g_autofree char *approve_first = NULL;
  g_autofree char *reject_first = NULL;
  g_autofree char *reject_second = NULL;
  gint64 tom_id, ada_id, first, second, third;
  JsonObject *object;

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, 200, 1);
  tom_id = desk_create_user (server, "tom", "trader");
  ada_id = desk_create_user (server, "ada", "admin");
  desk_create_user (server, "vera", "viewer");
  tom = desk_login (server, "tom", "trader");
  ada = desk_login (server, "ada", "admin");
  vera = desk_login (server, "vera", "viewer");

  first = request_approval (server, tom);
  second = request_approval (server, tom);
  third = request_approval (server, tom);
  approve_first = approval_path (first, "approve");
  reject_first = approval_path (first, "reject");
  reject_second = approval_path (second, "reject");

  /* Pending, asked for by tom, with its recommendation. */
  {
    g_autofree char *path = approval_path (first, NULL);

    node = desk_expect (server, "GET", path, vera, NULL, 200);
    object = desk_object (node);
    g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "pending");
    g_assert_cmpint (json_object_get_int_member (object, "requested_by"), ==, tom_id);
    g_assert_true (json_object_get_null_member (object, "decided_by"));
    g_assert_true (json_object_get_null_member (object, "decided_at"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "recommendation"), "symbol"),
                     ==, SYMBOL);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "recommendation"),
                                                 "approval_id"), ==, first);
  }

  /* A viewer reads but does not decide. */
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, first, "approve", vera, "{}", 403);

  /* Approve with a reason. */
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, first, "approve", ada, "{\"reason\":\"looks right\"}", 200);
  object = desk_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "approved");
  g_assert_cmpint (json_object_get_int_member (object, "decided_by"), ==, ada_id);
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "looks right");
  g_assert_nonnull (json_object_get_string_member (object, "decided_at"));

  /* Decided once only, either way. */
  desk_expect_field (server, "POST", approve_first, ada, "{}", 409, "status");
  desk_expect_field (server, "POST", reject_first, ada, "{\"reason\":\"changed my mind\"}", 409, "status");

  /* A rejection needs a reason of 1 to 500 characters. */
  desk_expect_field (server, "POST", reject_second, ada, "{}", 422, "reason");
  desk_expect_field (server, "POST", reject_second, ada, "{\"reason\":\"\"}", 422, "reason");
  desk_expect_field (server, "POST", reject_second, ada, "{\"reason\":42}", 422, "reason");
  for (guint i = 0; i < 501; i++)
    g_string_append_c (long_reason, 'r');
  g_string_append (long_reason, "\"}");
  desk_expect_field (server, "POST", reject_second, ada, long_reason->str, 422, "reason");
  g_assert_cmpstr (status_of (server, second), ==, "pending");

  g_clear_pointer (&node, json_node_unref);
  node = decide (server, second, "reject", ada, "{\"reason\":\"stop too tight\"}", 200);
  object = desk_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), ==, "stop too tight");
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, second, "approve", ada, "{}", 409);

  /* Without four eyes a trader may approve what they asked for; no body
   * is needed to approve. */
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, third, "approve", tom, NULL, 200);
  g_assert_true (json_object_get_null_member (desk_object (node), "reason"));

  /* Unknown ones. */
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, 999, "approve", ada, "{}", 404);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "GET", "/api/v1/approvals/999", NULL, NULL, 404);

  /* Every transition is in the audit trail. */
  g_assert_cmpuint (count_audit (server, "approval.create", first), ==, 1);
  g_assert_cmpuint (count_audit (server, "approval.approve", first), ==, 1);
  g_assert_cmpuint (count_audit (server, "approval.create", second), ==, 1);
  g_assert_cmpuint (count_audit (server, "approval.reject", second), ==, 1);
  g_assert_cmpuint (count_audit (server, "approval.approve", second), ==, 0);
  g_assert_cmpuint (count_audit (server, "approval.approve", third), ==, 1);
  {
    g_autoptr(JsonNode) verify = desk_expect (server, "GET", "/api/v1/audit/verify", NULL, NULL, 200);

    g_assert_true (json_object_get_boolean_member (desk_object (verify), "ok"));
  }

  bourse_test_server_free (server);
}

static void
test_list (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 ids[5];
  gint64 cursor = 0;
  JsonArray *items;

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, 200, 2);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = request_approval (server, NULL);
  node = decide (server, ids[1], "approve", NULL, "{}", 200);
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, ids[3], "reject", NULL, "{\"reason\":\"no\"}", 200);

  /* Pending first (newest first), then the decided ones (newest first). */
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "GET", "/api/v1/approvals", NULL, NULL, 200);
  items = json_object_get_array_member (desk_object (node), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 5);
  {
    const gint64 expected[] = { ids[4], ids[2], ids[0], ids[3], ids[1] };

    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, i), "id"), ==, expected[i]);
  }
  g_assert_true (json_object_get_null_member (desk_object (node), "next_cursor"));

  /* The same order a page at a time. */
  do
    {
      g_autofree char *path = cursor ? g_strdup_printf ("/api/v1/approvals?limit=2&cursor=%" G_GINT64_FORMAT, cursor)
                                     : g_strdup ("/api/v1/approvals?limit=2");
      g_autoptr(JsonNode) page = desk_expect (server, "GET", path, NULL, NULL, 200);
      JsonArray *page_items = json_object_get_array_member (desk_object (page), "items");

      for (guint i = 0; i < json_array_get_length (page_items); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (page_items, i), "id");
          g_array_append_val (seen, id);
        }
      cursor = json_object_get_null_member (desk_object (page), "next_cursor")
                 ? 0 : g_ascii_strtoll (json_object_get_string_member (desk_object (page), "next_cursor"), NULL, 10);
    }
  while (cursor != 0);
  g_assert_cmpuint (seen->len, ==, 5);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpint (g_array_index (seen, gint64, i), ==,
                     json_object_get_int_member (json_array_get_object_element (items, i), "id"));

  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "GET", "/api/v1/approvals?status=pending", NULL, NULL, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (node), "items")), ==, 3);
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "GET", "/api/v1/approvals?status=rejected", NULL, NULL, 200);
  items = json_object_get_array_member (desk_object (node), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, ids[3]);

  desk_expect_field (server, "GET", "/api/v1/approvals?status=maybe", NULL, NULL, 422, "status");
  desk_expect_field (server, "GET", "/api/v1/approvals?limit=0", NULL, NULL, 422, "limit");

  bourse_test_server_free (server);
}

static void
test_four_eyes (void)
{
  const char *settings[] = { "approvals", "four_eyes", "true", NULL };
  BourseTestServer *server = desk_server_new (settings);
  g_autofree char *tom = NULL;
  g_autofree char *tina = NULL;
  g_autofree char *ada = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 toms, adas, owners;

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, 200, 3);
  desk_create_user (server, "tom", "trader");
  desk_create_user (server, "tina", "trader");
  desk_create_user (server, "ada", "admin");
  tom = desk_login (server, "tom", "trader");
  tina = desk_login (server, "tina", "trader");
  ada = desk_login (server, "ada", "admin");

  /* Whoever asked decides neither way... */
  toms = request_approval (server, tom);
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, toms, "approve", tom, "{}", 403);
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, toms, "reject", tom, "{\"reason\":\"mine\"}", 403);
  g_assert_cmpstr (status_of (server, toms), ==, "pending");
  /* ...another trader does. */
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, toms, "approve", tina, "{}", 200);

  /* An administrator is no exception; a trader decides for them. */
  adas = request_approval (server, ada);
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, adas, "approve", ada, "{}", 403);
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, adas, "reject", tom, "{\"reason\":\"too early\"}", 200);

  /* The desktop owner neither. */
  owners = request_approval (server, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, owners, "approve", NULL, "{}", 403);
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, owners, "approve", ada, "{}", 200);

  g_assert_cmpstr (status_of (server, toms), ==, "approved");
  g_assert_cmpstr (status_of (server, adas), ==, "rejected");
  g_assert_cmpstr (status_of (server, owners), ==, "approved");

  bourse_test_server_free (server);
}

/* Moves an approval's deadline into the past, as if its time-to-live had run out. */
static void
backdate (BourseTestServer *server,
          gint64            id)
{
  sqlite3 *db = bourse_store_get_db (bourse_engine_get_store (server->engine));
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE approvals SET expires_at = '2020-01-01T00:00:00.000Z' "
                                           "WHERE id = ?1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

typedef struct
{
  BourseTestServer *server;
  gint64            id;
} Watched;

static gboolean
is_expired (gpointer data)
{
  Watched *watched = data;

  return g_str_equal (status_of (watched->server, watched->id), "expired");
}

static void
test_expiry (void)
{
  const char *settings[] = {
    "approvals", "ttl", "60",
    "approvals", "expiry_check", "1",
    NULL
  };
  BourseTestServer *server = desk_server_new (settings);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) entries = NULL;
  g_autofree char *path = NULL;
  DeskWs *ws;
  Watched watched = { server, 0 };
  gint64 created, expires, late;
  JsonObject *object, *event;

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, 200, 4);
  ws = desk_ws_connect (server, NULL);
  desk_ws_subscribe (ws, "[\"approvals\"]");

  /* The deadline is the time-to-live after creation. */
  watched.id = request_approval (server, NULL);
  path = approval_path (watched.id, NULL);
  node = desk_expect (server, "GET", path, NULL, NULL, 200);
  object = desk_object (node);
  g_assert_true (bourse_time_parse_rfc3339 (json_object_get_string_member (object, "created_at"), &created, NULL));
  g_assert_true (bourse_time_parse_rfc3339 (json_object_get_string_member (object, "expires_at"), &expires, NULL));
  g_assert_cmpint (expires - created, ==, 60 * 1000);

  /* Overdue: the engine's timer expires it within a check or two. */
  backdate (server, watched.id);
  bourse_test_wait_until (is_expired, &watched, 10000, "the approval to expire");
  g_clear_pointer (&node, json_node_unref);
  node = desk_expect (server, "GET", path, NULL, NULL, 200);
  object = desk_object (node);
  g_assert_true (json_object_get_null_member (object, "decided_by"));
  g_assert_nonnull (json_object_get_string_member (object, "decided_at"));
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, watched.id, "approve", NULL, "{}", 409);

  /* Published: created, then expired. */
  desk_ws_wait (ws, "approvals", 2);
  event = desk_ws_event (ws, "approvals", 1);
  g_assert_cmpint (json_object_get_int_member (event, "id"), ==, watched.id);
  g_assert_cmpstr (json_object_get_string_member (event, "status"), ==, "expired");

  /* Audited as the system's doing. */
  entries = desk_audit (server, "approval.expire");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (entries)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (entries), 0),
                                                  "actor"), ==, "system");

  /* A decision that comes after the deadline is refused, whether or not
   * the timer got there first. */
  late = request_approval (server, NULL);
  backdate (server, late);
  {
    g_autofree char *late_path = approval_path (late, "approve");

    desk_expect_field (server, "POST", late_path, NULL, "{}", 409, "status");
  }
  g_assert_cmpstr (status_of (server, late), ==, "expired");

  desk_ws_free (ws);
  bourse_test_server_free (server);
}

static void
test_events (void)
{
  BourseTestServer *server = desk_server_new (NULL);
  g_autofree char *vera = NULL;
  g_autoptr(JsonNode) node = NULL;
  DeskWs *ws;
  JsonObject *event;
  gint64 first, second;

  desk_add_instrument (server, SYMBOL, BOURSE_INTERVAL_1H, 200, 5);
  desk_create_user (server, "vera", "viewer");
  vera = desk_login (server, "vera", "viewer");

  /* A viewer may watch the desk. */
  ws = desk_ws_connect (server, vera);
  desk_ws_subscribe (ws, "[\"approvals\",\"recommendations\"]");

  first = request_approval (server, NULL);
  second = request_approval (server, NULL);
  node = decide (server, first, "approve", NULL, "{\"reason\":\"go\"}", 200);
  g_clear_pointer (&node, json_node_unref);
  node = decide (server, second, "reject", NULL, "{\"reason\":\"no\"}", 200);

  desk_ws_wait (ws, "recommendations", 2);
  desk_ws_wait (ws, "approvals", 4);
  g_assert_cmpuint (desk_ws_count (ws, "approvals"), ==, 4);

  event = desk_ws_event (ws, "recommendations", 0);
  g_assert_cmpint (json_object_get_int_member (event, "approval_id"), ==, first);
  g_assert_cmpstr (json_object_get_string_member (event, "origin"), ==, "analysis");

  event = desk_ws_event (ws, "approvals", 0);
  g_assert_cmpint (json_object_get_int_member (event, "id"), ==, first);
  g_assert_cmpstr (json_object_get_string_member (event, "status"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (event, "recommendation"), "approval_id"),
                   ==, first);
  event = desk_ws_event (ws, "approvals", 1);
  g_assert_cmpint (json_object_get_int_member (event, "id"), ==, second);
  g_assert_cmpstr (json_object_get_string_member (event, "status"), ==, "pending");
  event = desk_ws_event (ws, "approvals", 2);
  g_assert_cmpint (json_object_get_int_member (event, "id"), ==, first);
  g_assert_cmpstr (json_object_get_string_member (event, "status"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (event, "reason"), ==, "go");
  event = desk_ws_event (ws, "approvals", 3);
  g_assert_cmpint (json_object_get_int_member (event, "id"), ==, second);
  g_assert_cmpstr (json_object_get_string_member (event, "status"), ==, "rejected");

  desk_ws_free (ws);
  bourse_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/approvals/approve-and-reject", test_approve_and_reject);
  g_test_add_func ("/approvals/list", test_list);
  g_test_add_func ("/approvals/four-eyes", test_four_eyes);
  g_test_add_func ("/approvals/expiry", test_expiry);
  g_test_add_func ("/approvals/events", test_events);

  return g_test_run ();
}
