/* bourse-outbox.c — the producer side of the notification outbox
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-outbox"

#include "config.h"

#include "bourse-json.h"
#include "bourse-outbox.h"
#include "bourse-source.h"
#include "bourse-time.h"

#define WATCH_KEY "bourse-outbox-watch"

void
bourse_outbox_watch (BourseStore *store,
                     GSourceFunc  func,
                     gpointer     data)
{
  g_return_if_fail (BOURSE_IS_STORE (store));

  bourse_wake_set (G_OBJECT (store), WATCH_KEY, func, data);
}

static void
copy_member (JsonObject  *object,
             const char  *name,
             JsonNode    *node,
             gpointer     user_data)
{
  json_object_set_member (user_data, name, json_node_copy (node));
}

gboolean
bourse_outbox_emit (BourseStore  *store,
                    const char   *event,
                    gint64        user_id,
                    JsonNode     *data,
                    GError      **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autoptr(JsonNode) stamped = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (BOURSE_IS_STORE (store), FALSE);
  g_return_val_if_fail (event != NULL && *event != '\0', FALSE);
  g_return_val_if_fail (data == NULL || JSON_NODE_HOLDS_OBJECT (data), FALSE);

  /* Every event's data carries its time (docs/OPERATIONS.md), which a
   * receiver cannot learn from a send that a retry made later. */
  stamped = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (stamped, json_object_new ());
  if (data != NULL)
    json_object_foreach_member (json_node_get_object (data), copy_member, json_node_get_object (stamped));
  if (!json_object_has_member (json_node_get_object (stamped), "ts"))
    json_object_set_string_member (json_node_get_object (stamped), "ts", now);
  text = bourse_json_to_string (stamped, NULL);

  stmt = bourse_store_statement (store,
                                 "INSERT INTO notification_events (event, user_id, data, created_at) "
                                 "VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_TRANSIENT);
  if (user_id > 0)
    sqlite3_bind_int64 (stmt, 2, user_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (store, stmt, error))
    return FALSE;

  /* Transactions here never span a turn of the main loop: by the time an
   * idle runs, the event is committed (or rolled back, and the worker
   * finds nothing new, which costs one query). */
  bourse_wake_up (G_OBJECT (store), WATCH_KEY);
  return TRUE;
}
