/* bourse-notifications.c — the notification service: outbox worker, preferences, devices, history
 *
 * Producers store events with bourse_outbox_emit () in the transaction of
 * their cause. The worker, on the engine's context, turns each event into
 * deliveries (one per recipient and channel, by the recipients'
 * preferences) in one transaction that marks the event dispatched, then
 * sends them: pending → sending (written before the send) → sent, pending
 * again later, failed, or dropped. Nothing here blocks: sends are async.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-outbox.h"
#include "core/bourse-source.h"
#include "core/bourse-time.h"

#include "bourse-notifications.h"
#include "bourse-notifier-base.h"
#include "bourse-notify-templates.h"

#define V (1 << BOURSE_ROLE_VIEWER)
#define T (1 << BOURSE_ROLE_TRADER)
#define A (1 << BOURSE_ROLE_ADMIN)

/* Events per dispatch transaction batch, sends under way at most. */
#define DISPATCH_BATCH     50
#define MAX_IN_FLIGHT      16
/* A channel failing this many sends in a row is "down" in the health. */
#define DOWN_AFTER         3
#define MAX_LIST_LIMIT     500
#define DEVICE_TOKEN_MAX   4096
#define DEVICE_NAME_MAX    100
#define NTFY_TOPIC_MAX     64

/* Who receives what (docs/OPERATIONS.md): by role, and the user the event
 * is about ("owner"). channels: the built-in defaults. */
static const struct {
  const char *event;
  guint       roles;
  gboolean    owner;
  const char *defaults;
} events[] = {
  { "signup.pending",   A,     FALSE, "email,desktop" },
  { "password.reset",   0,     TRUE,  "email" },
  { "signup.declined",  0,     TRUE,  "email" },
  { "approval.pending", T | A, FALSE, "desktop" },
  { "order.filled",     A,     TRUE,  "desktop" },
  { "risk.protection",  T | A, FALSE, "desktop" },
  { "risk.halted",      T | A, FALSE, "email,desktop" },
  { "component.status", A,     FALSE, "email,desktop" },
  { "job.finished",     0,     TRUE,  "desktop" },
  { "heartbeat",        A,     FALSE, "email,desktop" },
};

struct _BourseNotifications
{
  GObject         parent_instance;

  BourseStore    *store;
  BourseConfig   *config;
  BourseSecrets  *secrets;
  BourseEventBus *bus;
  BourseHealth   *health;
  SoupSession    *session;
  GPtrArray      *notifiers;
  GHashTable     *in_flight;   /* delivery id (gint64 *) */
  GHashTable     *failures;    /* channel → sends failed in a row */
  GCancellable   *cancellable;
  GSource        *timer;
  guint           idle;
  gboolean        running;
  gboolean        local_owner;   /* a desktop's engine: its owner is an admin without an account */
};

G_DEFINE_FINAL_TYPE (BourseNotifications, bourse_notifications, G_TYPE_OBJECT)

static void schedule_run (BourseNotifications *self);

/* Events and channels {{{ */

const char * const *
bourse_notifications_get_events (void)
{
  static const char *names[G_N_ELEMENTS (events) + 1];

  if (names[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (events); i++)
      names[i] = events[i].event;
  return names;
}

static int
event_index (const char *event)
{
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    if (g_str_equal (events[i].event, event))
      return i;
  return -1;
}

/* Whether someone of @role may receive @event at all. */
static gboolean
role_receives (int        index,
               BourseRole role)
{
  return events[index].owner || (events[index].roles & (1 << role)) != 0;
}

BourseNotifier *
bourse_notifications_get_notifier (BourseNotifications *self,
                                   const char          *channel)
{
  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), NULL);

  for (guint i = 0; i < self->notifiers->len; i++)
    {
      BourseNotifier *notifier = g_ptr_array_index (self->notifiers, i);

      if (g_strcmp0 (bourse_notifier_get_id (notifier), channel) == 0)
        return notifier;
    }
  return NULL;
}

char **
bourse_notifications_dup_channels (BourseNotifications *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **channels;

  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), NULL);

  for (guint i = 0; i < self->notifiers->len; i++)
    g_strv_builder_add (builder, bourse_notifier_get_id (g_ptr_array_index (self->notifiers, i)));
  channels = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return channels;
}

static char *
now_text (void)
{
  return bourse_time_format_rfc3339 (bourse_time_now_ms ());
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *)sqlite3_column_text (stmt, column);
}

/* }}} */
/* Preferences {{{ */

static JsonArray *
channels_array (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? bourse_json_parse (text, strlen (text), 0, NULL) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    return json_array_ref (json_node_get_array (node));
  return json_array_new ();
}

static JsonArray *
builtin_channels (int index)
{
  g_auto(GStrv) names = g_strsplit (events[index].defaults, ",", -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; names[i] != NULL; i++)
    json_array_add_string_element (array, names[i]);
  return array;
}

/* The stored channels of (@user_id or the defaults when 0, @event), or NULL. */
static JsonArray *
stored_channels (BourseNotifications  *self,
                 gint64                user_id,
                 const char           *event,
                 GError              **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  gboolean row = FALSE;

  stmt = bourse_store_statement (self->store,
                                 "SELECT channels FROM notification_preferences "
                                 "WHERE coalesce (user_id, 0) = ? AND event = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, event, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_row (self->store, stmt, &row, error) || !row)
    return NULL;
  return channels_array (column_text (stmt, 0));
}


/* The outbox is the database: when the store fails (a full disk, a closed
 * database), delivery stops until it answers again. The health registry
 * says so — logged, alerted and notified on its transitions — instead of
 * a warning at every turn of the worker; the next good turn clears it. */
static void store_failed (BourseNotifications *self,
                          const GError        *error,
                          const char          *format,
                          ...) G_GNUC_PRINTF (3, 4);

static void
store_failed (BourseNotifications *self,
              const GError        *error,
              const char          *format,
              ...)
{
  g_autofree char *what = NULL;
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  reason = g_strdup_printf ("%s: %s", what, error->message);
  g_message ("%s", reason);
  if (self->health != NULL)
    bourse_health_set (self->health, "notifications", BOURSE_HEALTH_DOWN, reason);
}

static JsonArray *
default_channels (BourseNotifications *self,
                  int                  index)
{
  g_autoptr(GError) error = NULL;
  JsonArray *channels = stored_channels (self, 0, events[index].event, &error);

  if (error != NULL)
    store_failed (self, error, "Cannot read the notification defaults");
  return channels != NULL ? channels : builtin_channels (index);
}

/* What @user_id receives @event on: their choice, else the defaults. A
 * password reset goes by e-mail whatever anyone chose. */
static JsonArray *
effective_channels (BourseNotifications *self,
                    gint64               user_id,
                    int                  index)
{
  g_autoptr(GError) error = NULL;
  JsonArray *channels;

  /* A declined sign-up's person never signed in to choose anything. */
  if (g_str_equal (events[index].event, "password.reset") || g_str_equal (events[index].event, "signup.declined"))
    return builtin_channels (index);
  channels = user_id > 0 ? stored_channels (self, user_id, events[index].event, &error) : NULL;
  if (error != NULL)
    store_failed (self, error, "Cannot read the notification preferences of user %" G_GINT64_FORMAT, user_id);
  return channels != NULL ? channels : default_channels (self, index);
}

static char *
dup_ntfy_topic (BourseNotifications *self,
                gint64               user_id)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean row = FALSE;

  stmt = bourse_store_statement (self->store, "SELECT ntfy_topic FROM notification_settings WHERE user_id = ?",
                                 &error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (!bourse_store_step_row (self->store, stmt, &row, &error) || !row)
    return NULL;
  return g_strdup (column_text (stmt, 0));
}

JsonNode *
bourse_notifications_get_preferences (BourseNotifications  *self,
                                      gint64                user_id,
                                      BourseRole            role,
                                      GError              **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *topic = NULL;

  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    if (role_receives (i, role))
      {
        JsonArray *channels = effective_channels (self, user_id, i);
        JsonNode *node = json_node_new (JSON_NODE_ARRAY);

        json_node_take_array (node, channels);
        json_builder_set_member_name (builder, events[i].event);
        json_builder_add_value (builder, node);
      }
  json_builder_end_object (builder);
  topic = user_id > 0 ? dup_ntfy_topic (self, user_id) : NULL;
  bourse_json_builder_add_string (builder, "ntfy_topic", topic);
  json_builder_set_member_name (builder, "defaults");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    if (role_receives (i, role))
      {
        JsonNode *node = json_node_new (JSON_NODE_ARRAY);

        json_node_take_array (node, default_channels (self, i));
        json_builder_set_member_name (builder, events[i].event);
        json_builder_add_value (builder, node);
      }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Checks {"events":{event:[channel…]}} for @role (-1: the defaults, any
 * event); the canonical channel lists are returned, event → JSON text. */
static GHashTable *
parse_events (BourseNotifications  *self,
              JsonObject           *body,
              int                   role,
              GError              **error)
{
  g_autoptr(GHashTable) parsed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonNode *member = json_object_get_member (body, "events");
  g_autoptr(GList) names = NULL;

  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "events",
                              _("must be an object of event names, each a list of channels"));
      return NULL;
    }
  names = json_object_get_members (json_node_get_object (member));
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *event = l->data;
      JsonNode *list = json_object_get_member (json_node_get_object (member), event);
      g_autofree char *field = g_strdup_printf ("events.%s", event);
      g_autoptr(JsonArray) canonical = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      int index = event_index (event);

      if (index < 0 || (role >= 0 && !role_receives (index, role)))
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("there is no such event for you"));
          return NULL;
        }
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, field, _("must be a list of channels"));
          return NULL;
        }
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (list), i);
          const char *channel = JSON_NODE_HOLDS_VALUE (element)
                                && json_node_get_value_type (element) == G_TYPE_STRING
                                ? json_node_get_string (element) : NULL;
          gboolean seen = FALSE;

          if (channel == NULL || bourse_notifications_get_notifier (self, channel) == NULL)
            {
              g_auto(GStrv) known = bourse_notifications_dup_channels (self);
              g_autofree char *names_text = g_strjoinv (", ", known);

              bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                                      _("unknown channel “%s”: the channels are %s"),
                                      channel != NULL ? channel : "?", names_text);
              return NULL;
            }
          if (g_str_equal (event, "password.reset") && !g_str_equal (channel, "email"))
            {
              bourse_set_field_error (error, BOURSE_ERROR_INVALID, field,
                                      _("a password reset goes by e-mail only"));
              return NULL;
            }
          for (guint j = 0; j < json_array_get_length (canonical); j++)
            seen |= g_str_equal (json_array_get_string_element (canonical, j), channel);
          if (!seen)
            json_array_add_string_element (canonical, channel);
        }
      json_node_set_array (node, canonical);
      g_hash_table_insert (parsed, g_strdup (event), bourse_json_to_string (node, NULL));
    }
  return g_steal_pointer (&parsed);
}

static gboolean
store_events (BourseNotifications  *self,
              gint64                user_id,
              GHashTable           *parsed,
              GError              **error)
{
  GHashTableIter iter;
  gpointer event, channels;

  g_hash_table_iter_init (&iter, parsed);
  while (g_hash_table_iter_next (&iter, &event, &channels))
    {
      g_autoptr(BourseStatement) remove = NULL;
      g_autoptr(BourseStatement) insert = NULL;

      remove = bourse_store_statement (self->store,
                                       "DELETE FROM notification_preferences "
                                       "WHERE coalesce (user_id, 0) = ? AND event = ?", error);
      if (remove == NULL)
        return FALSE;
      sqlite3_bind_int64 (remove, 1, user_id);
      sqlite3_bind_text (remove, 2, event, -1, SQLITE_TRANSIENT);
      if (!bourse_store_step_done (self->store, remove, error))
        return FALSE;
      insert = bourse_store_statement (self->store,
                                       "INSERT INTO notification_preferences (user_id, event, channels) "
                                       "VALUES (?, ?, ?)", error);
      if (insert == NULL)
        return FALSE;
      if (user_id > 0)
        sqlite3_bind_int64 (insert, 1, user_id);
      else
        sqlite3_bind_null (insert, 1);
      sqlite3_bind_text (insert, 2, event, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 3, channels, -1, SQLITE_TRANSIENT);
      if (!bourse_store_step_done (self->store, insert, error))
        return FALSE;
    }
  return TRUE;
}

/* ntfy topics are letters, digits, "-" and "_" (ntfy's own rule). */
static gboolean
topic_is_valid (const char *topic)
{
  gsize length = strlen (topic);

  if (length == 0 || length > NTFY_TOPIC_MAX)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (topic[i]) && topic[i] != '-' && topic[i] != '_')
      return FALSE;
  return TRUE;
}

gboolean
bourse_notifications_set_preferences (BourseNotifications  *self,
                                      gint64                user_id,
                                      BourseRole            role,
                                      JsonObject           *body,
                                      GError              **error)
{
  g_autoptr(GHashTable) parsed = NULL;
  JsonNode *topic = NULL;
  const char *topic_text = NULL;

  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  if (user_id <= 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "events",
                              _("The local owner has no account to keep preferences in: sign in as a user"));
      return FALSE;
    }
  if ((parsed = parse_events (self, body, role, error)) == NULL)
    return FALSE;
  if ((topic = json_object_get_member (body, "ntfy_topic")) != NULL && !JSON_NODE_HOLDS_NULL (topic))
    {
      if (!JSON_NODE_HOLDS_VALUE (topic) || json_node_get_value_type (topic) != G_TYPE_STRING
          || !topic_is_valid ((topic_text = json_node_get_string (topic))))
        {
          bourse_set_field_error (error, BOURSE_ERROR_INVALID, "ntfy_topic",
                                  _("must be 1 to 64 letters, digits, “-” or “_”, or null"));
          return FALSE;
        }
    }

  if (!bourse_store_begin (self->store, error))
    return FALSE;
  if (!store_events (self, user_id, parsed, error))
    goto failed;
  if (topic != NULL)
    {
      g_autoptr(BourseStatement) stmt =
        bourse_store_statement (self->store,
                                "INSERT INTO notification_settings (user_id, ntfy_topic) VALUES (?, ?) "
                                "ON CONFLICT (user_id) DO UPDATE SET ntfy_topic = excluded.ntfy_topic", error);

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, user_id);
      if (topic_text != NULL)
        sqlite3_bind_text (stmt, 2, topic_text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 2);
      if (!bourse_store_step_done (self->store, stmt, error))
        goto failed;
    }
  if (!bourse_store_commit (self->store, error))
    goto failed;
  return TRUE;

failed:
  bourse_store_rollback (self->store);
  return FALSE;
}

gboolean
bourse_notifications_set_defaults (BourseNotifications  *self,
                                   JsonObject           *body,
                                   GError              **error)
{
  g_autoptr(GHashTable) parsed = NULL;

  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  if ((parsed = parse_events (self, body, -1, error)) == NULL)
    return FALSE;
  if (!bourse_store_begin (self->store, error))
    return FALSE;
  if (!store_events (self, 0, parsed, error) || !bourse_store_commit (self->store, error))
    {
      bourse_store_rollback (self->store);
      return FALSE;
    }
  return TRUE;
}

/* }}} */
/* Devices {{{ */

static void
add_device (JsonBuilder  *builder,
            sqlite3_stmt *stmt)
{
  const char *token = column_text (stmt, 3);
  gsize length = token != NULL ? strlen (token) : 0;
  g_autofree char *shown = g_strconcat ("…", token != NULL ? token + (length > 6 ? length - 6 : 0) : "", NULL);

  json_builder_begin_object (builder);
  bourse_json_builder_add_int (builder, "id", sqlite3_column_int64 (stmt, 0));
  bourse_json_builder_add_int (builder, "user_id", sqlite3_column_int64 (stmt, 1));
  bourse_json_builder_add_string (builder, "platform", column_text (stmt, 2));
  bourse_json_builder_add_string (builder, "token", shown);
  bourse_json_builder_add_string (builder, "name", column_text (stmt, 4));
  bourse_json_builder_add_string (builder, "created_at", column_text (stmt, 5));
  bourse_json_builder_add_string (builder, "last_used_at", column_text (stmt, 6));
  json_builder_end_object (builder);
}

#define DEVICE_COLUMNS "id, user_id, platform, token, name, created_at, last_used_at"

JsonNode *
bourse_notifications_add_device (BourseNotifications  *self,
                                 gint64                user_id,
                                 const char           *platform,
                                 const char           *token,
                                 const char           *name,
                                 GError              **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *now = now_text ();
  gboolean row = FALSE;

  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), NULL);

  if (user_id <= 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "token",
                              _("The local owner has no account to register devices for: sign in as a user"));
      return NULL;
    }
  if (platform == NULL || !(g_str_equal (platform, "android") || g_str_equal (platform, "ios")
                            || g_str_equal (platform, "web")))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "platform", _("must be android, ios or web"));
      return NULL;
    }
  if (token == NULL || *token == '\0' || strlen (token) > DEVICE_TOKEN_MAX || !g_utf8_validate (token, -1, NULL))
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "token",
                              _("must be the push token the platform gave the device"));
      return NULL;
    }
  if (name != NULL && g_utf8_strlen (name, -1) > DEVICE_NAME_MAX)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "name", _("may be at most 100 characters"));
      return NULL;
    }

  /* A token names one app on one device: registered again, it moves to
   * whoever registers it now (a phone that changed hands). */
  stmt = bourse_store_statement (self->store,
                                 "INSERT INTO devices (user_id, platform, token, name, created_at) "
                                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (token) DO UPDATE SET "
                                 "user_id = excluded.user_id, platform = excluded.platform, name = excluded.name "
                                 "RETURNING " DEVICE_COLUMNS, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, platform, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, token, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, name != NULL ? name : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_row (self->store, stmt, &row, error))
    return NULL;
  builder = json_builder_new ();
  add_device (builder, stmt);
  /* RETURNING's statement writes once stepped to its end. */
  if (!bourse_store_step_done (self->store, stmt, error))
    return NULL;
  return json_builder_get_root (builder);
}

JsonNode *
bourse_notifications_list_devices (BourseNotifications  *self,
                                   gint64                user_id,
                                   GError              **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean row = FALSE;

  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), NULL);

  stmt = bourse_store_statement (self->store,
                                 "SELECT " DEVICE_COLUMNS " FROM devices WHERE ? = 0 OR user_id = ? ORDER BY id",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  while (bourse_store_step_row (self->store, stmt, &row, error) && row)
    add_device (builder, stmt);
  if (row)
    return NULL;
  json_builder_end_array (builder);
  /* One page holds them all: the list's shape, without a next one. */
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
bourse_notifications_delete_device (BourseNotifications  *self,
                                    gint64                id,
                                    gint64                user_id,
                                    GError              **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), FALSE);

  stmt = bourse_store_statement (self->store, "DELETE FROM devices WHERE id = ? AND (? = 0 OR user_id = ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, user_id);
  if (!bourse_store_step_done (self->store, stmt, error))
    return FALSE;
  if (sqlite3_changes (bourse_store_get_db (self->store)) == 0)
    {
      bourse_set_field_error (error, BOURSE_ERROR_NOT_FOUND, "id", _("There is no such device"));
      return FALSE;
    }
  return TRUE;
}

/* }}} */
/* History {{{ */

JsonNode *
bourse_notifications_list (BourseNotifications  *self,
                           gint64                user_id,
                           const char           *status,
                           const char           *event,
                           const char           *channel,
                           guint                 limit,
                           gint64                cursor,
                           GError              **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean row = FALSE;
  gint64 last_id = 0;
  guint count = 0;

  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), NULL);

  limit = CLAMP (limit, 1, MAX_LIST_LIMIT);
  stmt = bourse_store_statement (self->store,
                                 "SELECT n.id, n.event_id, e.event, n.channel, n.recipient, n.user_id, n.status, "
                                 "n.attempts, n.next_attempt_at, n.last_error, n.response, n.subject, n.body, "
                                 "n.created_at, n.sent_at FROM notifications n "
                                 "JOIN notification_events e ON e.id = n.event_id "
                                 "WHERE (?1 = 0 OR n.user_id = ?1) AND (?2 IS NULL OR n.status = ?2) "
                                 "AND (?3 IS NULL OR e.event = ?3) AND (?4 IS NULL OR n.channel = ?4) "
                                 "AND (?5 = 0 OR n.id < ?5) ORDER BY n.id DESC LIMIT ?6", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, event, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, channel, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, cursor);
  sqlite3_bind_int64 (stmt, 6, limit + 1);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  while (bourse_store_step_row (self->store, stmt, &row, error) && row)
    {
      const char *recipient = column_text (stmt, 4);
      const char *channel_name = column_text (stmt, 3);

      if (++count > limit)
        break;
      last_id = sqlite3_column_int64 (stmt, 0);
      json_builder_begin_object (builder);
      bourse_json_builder_add_int (builder, "id", last_id);
      bourse_json_builder_add_int (builder, "event_id", sqlite3_column_int64 (stmt, 1));
      bourse_json_builder_add_string (builder, "event", column_text (stmt, 2));
      bourse_json_builder_add_string (builder, "channel", channel_name);
      /* A device token is a secret to the API; its end tells devices apart. */
      if (g_strcmp0 (channel_name, "push") == 0 && recipient != NULL && strlen (recipient) > 6)
        {
          g_autofree char *shown = g_strconcat ("…", recipient + strlen (recipient) - 6, NULL);

          bourse_json_builder_add_string (builder, "recipient", shown);
        }
      else
        bourse_json_builder_add_string (builder, "recipient", recipient);
      json_builder_set_member_name (builder, "user_id");
      if (sqlite3_column_type (stmt, 5) == SQLITE_NULL)
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 5));
      bourse_json_builder_add_string (builder, "status", column_text (stmt, 6));
      bourse_json_builder_add_int (builder, "attempts", sqlite3_column_int64 (stmt, 7));
      bourse_json_builder_add_string (builder, "next_attempt_at", column_text (stmt, 8));
      bourse_json_builder_add_string (builder, "last_error", column_text (stmt, 9));
      bourse_json_builder_add_string (builder, "response", column_text (stmt, 10));
      bourse_json_builder_add_string (builder, "subject", column_text (stmt, 11));
      bourse_json_builder_add_string (builder, "text", column_text (stmt, 12));
      bourse_json_builder_add_string (builder, "created_at", column_text (stmt, 13));
      bourse_json_builder_add_string (builder, "sent_at", column_text (stmt, 14));
      json_builder_end_object (builder);
    }
  if (row && count <= limit)
    return NULL;
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, count > limit, last_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* }}} */
/* Dispatch: events into deliveries {{{ */

typedef struct
{
  gint64  id;
  char   *event;
  gint64  user_id;
  char   *data;
} Event;

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->event);
  g_free (event->data);
  g_free (event);
}

typedef struct
{
  gint64  id;
  char   *role;
  char   *email;
} Recipient;

static void
recipient_free (gpointer data)
{
  Recipient *recipient = data;

  g_free (recipient->role);
  g_free (recipient->email);
  g_free (recipient);
}

/* The active users who receive @index's event about @user_id. */
static GPtrArray *
find_recipients (BourseNotifications  *self,
                 int                   index,
                 gint64                user_id,
                 GError              **error)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (recipient_free);
  g_autoptr(BourseStatement) stmt = NULL;
  gboolean row = FALSE;

  stmt = bourse_store_statement (self->store,
                                 "SELECT id, role, email FROM users WHERE (status = 'active' OR (?6 AND id = ?2)) "
                                 "AND ((?1 AND id = ?2) OR (role = 'admin' AND ?3) OR (role = 'trader' AND ?4) "
                                 "OR (role = 'viewer' AND ?5)) ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, events[index].owner);
  sqlite3_bind_int64 (stmt, 2, user_id);
  sqlite3_bind_int (stmt, 3, (events[index].roles & A) != 0);
  sqlite3_bind_int (stmt, 4, (events[index].roles & T) != 0);
  sqlite3_bind_int (stmt, 5, (events[index].roles & V) != 0);
  /* The one event about an account that is not active: its declining. */
  sqlite3_bind_int (stmt, 6, g_str_equal (events[index].event, "signup.declined"));
  while (bourse_store_step_row (self->store, stmt, &row, error) && row)
    {
      Recipient *recipient = g_new0 (Recipient, 1);

      recipient->id = sqlite3_column_int64 (stmt, 0);
      recipient->role = g_strdup (column_text (stmt, 1));
      recipient->email = g_strdup (column_text (stmt, 2));
      g_ptr_array_add (recipients, recipient);
    }
  if (row)
    return NULL;
  /* The desktop's owner has no row in users: an admin, reached on the
   * desktop alone (no address, device or topic), by the defaults. */
  if (self->local_owner && (events[index].roles & A) != 0)
    {
      Recipient *owner = g_new0 (Recipient, 1);

      owner->role = g_strdup ("admin");
      g_ptr_array_add (recipients, owner);
    }
  return g_steal_pointer (&recipients);
}

static gboolean
insert_delivery (BourseNotifications        *self,
                 const Event                *event,
                 gint64                      user_id,
                 const char                 *channel,
                 const char                 *recipient,
                 gint64                      device_id,
                 const BourseNotifyMessage  *message,
                 const char                 *masked,
                 const char                 *failure,
                 GError                    **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autofree char *now = now_text ();

  stmt = bourse_store_statement (self->store,
                                 "INSERT INTO notifications (event_id, user_id, channel, recipient, device_id, "
                                 "subject, body, status, next_attempt_at, last_error, created_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, event->id);
  if (user_id > 0)
    sqlite3_bind_int64 (stmt, 2, user_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_text (stmt, 3, channel, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, recipient != NULL ? recipient : "", -1, SQLITE_TRANSIENT);
  if (device_id > 0)
    sqlite3_bind_int64 (stmt, 5, device_id);
  else
    sqlite3_bind_null (stmt, 5);
  sqlite3_bind_text (stmt, 6, message->subject, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, masked, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, failure != NULL ? "failed" : "pending", -1, SQLITE_STATIC);
  if (failure == NULL)
    sqlite3_bind_text (stmt, 9, now, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 9);
  sqlite3_bind_text (stmt, 10, failure, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, now, -1, SQLITE_TRANSIENT);
  return bourse_store_step_done (self->store, stmt, error);
}

/* Once none of a reset's deliveries may still be sent, its token leaves
 * the event too: only the user's mailbox keeps it. */
static gboolean
scrub_event (BourseNotifications  *self,
             gint64                event_id,
             GError              **error)
{
  g_autoptr(BourseStatement) stmt = NULL;

  stmt = bourse_store_statement (self->store,
                                 "UPDATE notification_events SET data = json_set (data, '$.token', ?1, '$.url', ?1) "
                                 "WHERE id = ?2 AND event = 'password.reset' AND NOT EXISTS (SELECT 1 FROM "
                                 "notifications WHERE event_id = ?2 AND status IN ('pending', 'sending'))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, BOURSE_NOTIFY_MASK, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, event_id);
  return bourse_store_step_done (self->store, stmt, error);
}

/* One recipient's deliveries of @event on @channel. */
static gboolean
add_channel_deliveries (BourseNotifications        *self,
                        const Event                *event,
                        const Recipient            *user,
                        const char                 *channel,
                        const BourseNotifyMessage  *message,
                        const char                 *masked,
                        GHashTable                 *seen,
                        GError                    **error)
{
  BourseNotifier *notifier = bourse_notifications_get_notifier (self, channel);
  g_autofree char *recipient = NULL;
  g_autofree char *failure = NULL;
  g_autofree char *key = NULL;

  if (g_str_equal (channel, "push"))
    {
      g_autoptr(BourseStatement) stmt = NULL;
      gboolean row = FALSE;

      stmt = bourse_store_statement (self->store, "SELECT id, token FROM devices WHERE user_id = ? ORDER BY id",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, user->id);
      while (bourse_store_step_row (self->store, stmt, &row, error) && row)
        {
          g_autofree char *device_key = g_strconcat ("push\x1f", column_text (stmt, 1), NULL);
          const char *why = notifier == NULL || !bourse_notifier_is_configured (notifier)
                            ? _("The push channel is not configured") : NULL;

          if (!g_hash_table_add (seen, g_steal_pointer (&device_key)))
            continue;
          if (!insert_delivery (self, event, user->id, channel, column_text (stmt, 1), sqlite3_column_int64 (stmt, 0),
                                message, masked, why, error))
            return FALSE;
        }
      return !row;
    }

  if (g_str_equal (channel, "email"))
    recipient = g_strdup (user->email);
  else if (g_str_equal (channel, "ntfy"))
    {
      recipient = dup_ntfy_topic (self, user->id);
      if (recipient == NULL || *recipient == '\0')
        {
          g_free (recipient);
          recipient = g_strdup (bourse_config_get_string (self->config, "notify", "ntfy_topic"));
        }
    }
  else if (g_str_equal (channel, "webhook"))
    recipient = g_strdup ("");
  else
    recipient = g_strdup_printf ("%" G_GINT64_FORMAT, user->id);

  /* The same address, topic or hook once per event, whoever chose it. */
  key = g_strconcat (channel, "\x1f", recipient != NULL ? recipient : "", NULL);
  if (!g_hash_table_add (seen, g_steal_pointer (&key)))
    return TRUE;

  if (notifier == NULL)
    failure = g_strdup_printf (_("There is no %s channel"), channel);
  else if (!bourse_notifier_is_configured (notifier))
    failure = g_strdup_printf (_("The %s channel is not configured"), channel);
  else if (recipient == NULL || (*recipient == '\0' && !g_str_equal (channel, "webhook")))
    failure = g_strdup_printf (_("The user has no recipient on the %s channel"), channel);
  return insert_delivery (self, event, g_str_equal (channel, "webhook") ? 0 : user->id, channel, recipient, 0,
                          message, masked, failure, error);
}

static gboolean
dispatch_one (BourseNotifications  *self,
              const Event          *event,
              GError              **error)
{
  g_autoptr(JsonNode) data = bourse_json_parse (event->data, strlen (event->data), 0, NULL);
  JsonObject *object = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  g_autoptr(BourseNotifyMessage) message = bourse_notify_render (event->event, object);
  g_autofree char *masked = bourse_notify_mask (event->event, object, message->text);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(BourseStatement) done = NULL;
  g_autofree char *now = now_text ();
  int index = event_index (event->event);

  /* An event nobody receives (a name from a newer producer) is dispatched to no one. */
  if (index >= 0)
    {
      if ((recipients = find_recipients (self, index, event->user_id, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < recipients->len; i++)
        {
          const Recipient *user = g_ptr_array_index (recipients, i);
          g_autoptr(JsonArray) channels = effective_channels (self, user->id, index);

          for (guint j = 0; j < json_array_get_length (channels); j++)
            {
              const char *channel = json_array_get_string_element (channels, j);

              if (user->id == 0 && g_strcmp0 (channel, "desktop") != 0)
                continue;
              if (channel != NULL
                  && !add_channel_deliveries (self, event, user, channel, message, masked, seen, error))
                return FALSE;
            }
        }
    }

  done = bourse_store_statement (self->store, "UPDATE notification_events SET dispatched_at = ? WHERE id = ?",
                                 error);
  if (done == NULL)
    return FALSE;
  sqlite3_bind_text (done, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (done, 2, event->id);
  return bourse_store_step_done (self->store, done, error) && scrub_event (self, event->id, error);
}

static gboolean
dispatch_events (BourseNotifications *self)
{
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (event_free);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(BourseStatement) stmt = NULL;
    gboolean row = FALSE;

    stmt = bourse_store_statement (self->store,
                                   "SELECT id, event, user_id, data FROM notification_events "
                                   "WHERE dispatched_at IS NULL ORDER BY id LIMIT ?", &error);
    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int (stmt, 1, DISPATCH_BATCH);
    while (bourse_store_step_row (self->store, stmt, &row, &error) && row)
      {
        Event *event = g_new0 (Event, 1);

        event->id = sqlite3_column_int64 (stmt, 0);
        event->event = g_strdup (column_text (stmt, 1));
        event->user_id = sqlite3_column_int64 (stmt, 2);
        event->data = g_strdup (column_text (stmt, 3));
        g_ptr_array_add (waiting, event);
      }
    if (error != NULL)
      goto failed;
  }

  for (guint i = 0; i < waiting->len; i++)
    {
      if (!bourse_store_begin (self->store, &error))
        goto failed;
      if (!dispatch_one (self, g_ptr_array_index (waiting, i), &error)
          || !bourse_store_commit (self->store, &error))
        {
          bourse_store_rollback (self->store);
          goto failed;
        }
    }
  /* A full batch: there may be more. */
  return waiting->len == DISPATCH_BATCH;

failed:
  store_failed (self, error, "Cannot turn notification events into deliveries");
  return FALSE;
}

/* }}} */
/* Sending {{{ */

/* docs/OPERATIONS.md: notify.retry_base_s × 2^(attempt − 1), at most notify.retry_max_s. */
static gint64
backoff_ms (BourseNotifications *self,
            gint64               attempt)
{
  gint64 base = bourse_config_get_int (self->config, "notify", "retry_base_s");
  gint64 max = bourse_config_get_int (self->config, "notify", "retry_max_s");
  gint64 delay = base;

  for (gint64 i = 1; i < attempt && delay < max; i++)
    delay *= 2;
  return MIN (delay, max) * 1000;
}

typedef struct
{
  BourseNotifications *self;
  gint64               id;
  gint64               event_id;
  gint64               device_id;
  gint64               attempts;
  char                *event;
  char                *channel;
  char                *recipient;
  JsonNode            *data;
  BourseNotifyMessage *message;
} Send;

static void
send_free (Send *send)
{
  g_clear_object (&send->self);
  g_free (send->event);
  g_free (send->channel);
  g_free (send->recipient);
  g_clear_pointer (&send->data, json_node_unref);
  bourse_notify_message_free (send->message);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Send, send_free)

/* Sets the delivery's outcome; @status "pending" retries at @retry_ms. */
static void
finish_delivery (BourseNotifications *self,
                 const Send          *send,
                 const char          *status,
                 const char          *answer,
                 const char          *failure,
                 gint64               retry_ms)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = now_text ();
  g_autofree char *next = retry_ms > 0 ? bourse_time_format_rfc3339 (retry_ms) : NULL;

  if (!bourse_store_begin (self->store, &error))
    goto failed;
  stmt = bourse_store_statement (self->store,
                                 "UPDATE notifications SET status = ?, response = coalesce (?, response), "
                                 "last_error = ?, next_attempt_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? "
                                 "ELSE sent_at END WHERE id = ?", &error);
  if (stmt == NULL)
    goto rollback;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, answer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, failure, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, next, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, send->id);
  if (!bourse_store_step_done (self->store, stmt, &error))
    goto rollback;
  g_clear_pointer (&stmt, bourse_statement_release);

  if (send->device_id > 0)
    {
      /* The provider called the token invalid: the device is gone; or it took it. */
      stmt = bourse_store_statement (self->store, g_str_equal (status, "dropped")
                                       ? "DELETE FROM devices WHERE id = ?2"
                                       : "UPDATE devices SET last_used_at = ?1 WHERE id = ?2 AND ?3",
                                     &error);
      if (stmt == NULL)
        goto rollback;
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, send->device_id);
      sqlite3_bind_int (stmt, 3, g_str_equal (status, "sent"));
      if (!bourse_store_step_done (self->store, stmt, &error))
        goto rollback;
    }
  if (!scrub_event (self, send->event_id, &error) || !bourse_store_commit (self->store, &error))
    goto rollback;
  return;

rollback:
  bourse_store_rollback (self->store);
failed:
  store_failed (self, error, "Cannot record the outcome of notification %" G_GINT64_FORMAT, send->id);
}

static void
update_health (BourseNotifications *self)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer channel, count;
  gboolean row = FALSE;
  gint64 waiting = 0;

  if (self->health == NULL)
    return;

  g_hash_table_iter_init (&iter, self->failures);
  while (g_hash_table_iter_next (&iter, &channel, &count))
    if (GPOINTER_TO_UINT (count) >= DOWN_AFTER)
      {
        g_autofree char *reason = g_strdup_printf (_("The %s channel failed its last %u sends"),
                                                   (const char *)channel, GPOINTER_TO_UINT (count));

        bourse_health_set (self->health, "notifications", BOURSE_HEALTH_DOWN, reason);
        return;
      }

  stmt = bourse_store_statement (self->store,
                                 "SELECT count(*) FROM notifications WHERE status = 'pending' AND attempts > 0",
                                 &error);
  if (stmt != NULL && bourse_store_step_row (self->store, stmt, &row, &error) && row)
    waiting = sqlite3_column_int64 (stmt, 0);
  if (waiting > 0)
    {
      g_autofree char *count_text = g_strdup_printf ("%" G_GINT64_FORMAT, waiting);
      g_autofree char *reason = g_strdup_printf (_("%s deliveries wait for a retry"), count_text);

      bourse_health_set (self->health, "notifications", BOURSE_HEALTH_DEGRADED, reason);
    }
  else
    bourse_health_set (self->health, "notifications", BOURSE_HEALTH_OK, NULL);
}

static void
count_failure (BourseNotifications *self,
               const char          *channel,
               gboolean             failed)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->failures, channel));

  g_hash_table_insert (self->failures, g_strdup (channel), GUINT_TO_POINTER (failed ? count + 1 : 0));
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Send) send = user_data;
  BourseNotifications *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = bourse_notifier_send_finish (BOURSE_NOTIFIER (object), result, &error);
  gint64 max_attempts = bourse_config_get_int (self->config, "notify", "max_attempts");

  g_hash_table_remove (self->in_flight, &send->id);
  /* Stopping: the delivery stays "sending", retried at the next start. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;

  if (answer != NULL)
    {
      finish_delivery (self, send, "sent", answer, NULL, 0);
      count_failure (self, send->channel, FALSE);
    }
  else if (g_error_matches (error, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_INVALID_RECIPIENT))
    finish_delivery (self, send, "dropped", NULL, error->message, 0);
  else if (g_error_matches (error, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_TEMPORARY)
           && send->attempts < max_attempts)
    {
      finish_delivery (self, send, "pending", NULL, error->message,
                       bourse_time_now_ms () + backoff_ms (self, send->attempts));
      count_failure (self, send->channel, TRUE);
    }
  else
    {
      finish_delivery (self, send, "failed", NULL, error->message, 0);
      if (!g_error_matches (error, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED))
        count_failure (self, send->channel, TRUE);
    }
  if (answer == NULL)
    g_message ("Notification %" G_GINT64_FORMAT " (%s on %s), attempt %" G_GINT64_FORMAT ": %s",
               send->id, send->event, send->channel, send->attempts, error->message);
  schedule_run (self);
}

/* Marks the delivery "sending" (with the back-off after which a crash
 * during the send gets it retried) before anything leaves. */
static void
start_send (BourseNotifications *self,
            gint64               id)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Send) send = NULL;
  g_autofree char *next = NULL;
  BourseNotification notification = { 0 };
  BourseNotifier *notifier;
  JsonObject *object;
  gboolean row = FALSE;

  stmt = bourse_store_statement (self->store,
                                 "SELECT n.event_id, n.channel, n.recipient, n.device_id, n.attempts, e.event, "
                                 "e.data FROM notifications n JOIN notification_events e ON e.id = n.event_id "
                                 "WHERE n.id = ? AND n.status IN ('pending', 'sending')", &error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, id);
  if (stmt == NULL || !bourse_store_step_row (self->store, stmt, &row, &error) || !row)
    {
      if (error != NULL)
        store_failed (self, error, "Cannot read notification %" G_GINT64_FORMAT, id);
      return;
    }
  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->id = id;
  send->event_id = sqlite3_column_int64 (stmt, 0);
  send->channel = g_strdup (column_text (stmt, 1));
  send->recipient = g_strdup (column_text (stmt, 2));
  send->device_id = sqlite3_column_int64 (stmt, 3);
  send->attempts = sqlite3_column_int64 (stmt, 4) + 1;
  send->event = g_strdup (column_text (stmt, 5));
  if (column_text (stmt, 6) != NULL)
    send->data = bourse_json_parse (column_text (stmt, 6), strlen (column_text (stmt, 6)), 0, NULL);
  g_clear_pointer (&stmt, bourse_statement_release);
  if (send->data == NULL || !JSON_NODE_HOLDS_OBJECT (send->data))
    {
      g_clear_pointer (&send->data, json_node_unref);
      send->data = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (send->data, json_object_new ());
    }
  object = json_node_get_object (send->data);

  notifier = bourse_notifications_get_notifier (self, send->channel);
  if (notifier == NULL || !bourse_notifier_is_configured (notifier))
    {
      g_autofree char *why = g_strdup_printf (_("The %s channel is not configured"), send->channel);

      finish_delivery (self, send, "failed", NULL, why, 0);
      return;
    }

  next = bourse_time_format_rfc3339 (bourse_time_now_ms () + backoff_ms (self, send->attempts));
  stmt = bourse_store_statement (self->store,
                                 "UPDATE notifications SET status = 'sending', attempts = ?, next_attempt_at = ? "
                                 "WHERE id = ?", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, send->attempts);
  sqlite3_bind_text (stmt, 2, next, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, id);
  if (!bourse_store_step_done (self->store, stmt, &error))
    goto failed;

  send->message = bourse_notify_render (send->event, object);
  notification.id = id;
  notification.event = send->event;
  notification.recipient = send->recipient;
  notification.subject = send->message->subject;
  notification.text = send->message->text;
  notification.html = send->message->html;
  notification.data = send->data;
  g_hash_table_add (self->in_flight, g_memdup2 (&send->id, sizeof send->id));
  bourse_notifier_send_async (notifier, &notification, self->cancellable, sent_cb, g_steal_pointer (&send));
  return;

failed:
  store_failed (self, error, "Cannot start notification %" G_GINT64_FORMAT, id);
}

static void
send_due (BourseNotifications *self)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = now_text ();
  gboolean row = FALSE;

  if (g_hash_table_size (self->in_flight) >= MAX_IN_FLIGHT)
    return;
  stmt = bourse_store_statement (self->store,
                                 "SELECT id FROM notifications WHERE status IN ('pending', 'sending') "
                                 "AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", &error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, MAX_IN_FLIGHT * 2);
  while (bourse_store_step_row (self->store, stmt, &row, &error) && row)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (!g_hash_table_contains (self->in_flight, &id))
        g_array_append_val (due, id);
    }
  if (error != NULL)
    goto failed;
  g_clear_pointer (&stmt, bourse_statement_release);

  for (guint i = 0; i < due->len && g_hash_table_size (self->in_flight) < MAX_IN_FLIGHT; i++)
    start_send (self, g_array_index (due, gint64, i));
  return;

failed:
  store_failed (self, error, "Cannot read the due notifications");
}

/* }}} */
/* The worker {{{ */

static gboolean
timer_cb (gpointer data)
{
  BourseNotifications *self = data;

  bourse_source_clear (&self->timer);
  schedule_run (self);
  return G_SOURCE_REMOVE;
}

/* A timer at the earliest retry of a delivery not under way. */
static void
arm_timer (BourseNotifications *self)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean row = FALSE;
  gint64 next_ms = 0;

  bourse_source_clear (&self->timer);
  stmt = bourse_store_statement (self->store,
                                 "SELECT id, next_attempt_at FROM notifications WHERE status IN ('pending', 'sending') "
                                 "ORDER BY next_attempt_at, id LIMIT ?", &error);
  if (stmt == NULL)
    return;
  sqlite3_bind_int (stmt, 1, g_hash_table_size (self->in_flight) + 1);
  while (bourse_store_step_row (self->store, stmt, &row, &error) && row)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (!g_hash_table_contains (self->in_flight, &id)
          && bourse_time_parse_rfc3339 (column_text (stmt, 1), &next_ms, NULL))
        break;
      next_ms = 0;
    }
  if (next_ms > 0)
    {
      gint64 delay = CLAMP (next_ms - bourse_time_now_ms (), 0, G_GINT64_CONSTANT (3600000));

      /* A millisecond late rather than early: the due query compares with now. */
      self->timer = bourse_timeout_source_attach (NULL, (guint)delay + 1, timer_cb, self);
    }
}

static gboolean
run_cb (gpointer data)
{
  BourseNotifications *self = data;

  self->idle = 0;
  if (!self->running)
    return G_SOURCE_REMOVE;
  if (dispatch_events (self))
    schedule_run (self);
  send_due (self);
  arm_timer (self);
  update_health (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_run (BourseNotifications *self)
{
  if (self->running && self->idle == 0)
    self->idle = bourse_idle_add (G_PRIORITY_DEFAULT, run_cb, self);
}

static gboolean
outbox_cb (gpointer data)
{
  schedule_run (data);
  return G_SOURCE_REMOVE;
}

void
bourse_notifications_start (BourseNotifications *self)
{
  g_return_if_fail (BOURSE_IS_NOTIFICATIONS (self));

  if (self->running)
    return;
  self->running = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  bourse_outbox_watch (self->store, outbox_cb, self);
  schedule_run (self);
}

void
bourse_notifications_stop (BourseNotifications *self)
{
  g_return_if_fail (BOURSE_IS_NOTIFICATIONS (self));

  if (!self->running)
    return;
  self->running = FALSE;
  bourse_outbox_watch (self->store, NULL, NULL);
  g_cancellable_cancel (self->cancellable);
  bourse_source_clear (&self->timer);
  if (self->idle != 0)
    bourse_source_remove (self->idle);
  self->idle = 0;
  g_hash_table_remove_all (self->in_flight);
  if (self->session != NULL)
    soup_session_abort (self->session);
}

void
bourse_notifications_set_health (BourseNotifications *self,
                                 BourseHealth        *health)
{
  g_return_if_fail (BOURSE_IS_NOTIFICATIONS (self));
  g_return_if_fail (health == NULL || BOURSE_IS_HEALTH (health));

  g_set_object (&self->health, health);
  if (self->running)
    update_health (self);
}

/* }}} */
/* Test sends {{{ */

static void
test_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *answer = bourse_notifier_send_finish (BOURSE_NOTIFIER (object), result, &error);

  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, g_free);
}

typedef struct
{
  char                *recipient;
  JsonNode            *data;
  BourseNotifyMessage *message;
} TestSend;

static void
test_send_free (gpointer data)
{
  TestSend *test = data;

  g_free (test->recipient);
  g_clear_pointer (&test->data, json_node_unref);
  bourse_notify_message_free (test->message);
  g_free (test);
}

/* The caller's own recipient on @channel, or NULL. */
static char *
own_recipient (BourseNotifications *self,
               const char          *channel,
               gint64               user_id)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean row = FALSE;

  if (g_str_equal (channel, "webhook"))
    return g_strdup ("");
  if (g_str_equal (channel, "ntfy"))
    {
      char *topic = user_id > 0 ? dup_ntfy_topic (self, user_id) : NULL;

      if (topic != NULL && *topic != '\0')
        return topic;
      g_free (topic);
      return g_strdup (bourse_config_get_string (self->config, "notify", "ntfy_topic"));
    }
  if (user_id <= 0)
    return NULL;
  if (g_str_equal (channel, "email") || g_str_equal (channel, "push"))
    {
      stmt = bourse_store_statement (self->store, g_str_equal (channel, "email")
                                       ? "SELECT email FROM users WHERE id = ?"
                                       : "SELECT token FROM devices WHERE user_id = ? ORDER BY id DESC LIMIT 1",
                                     &error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, user_id);
      if (!bourse_store_step_row (self->store, stmt, &row, &error) || !row)
        return NULL;
      return g_strdup (column_text (stmt, 0));
    }
  return g_strdup_printf ("%" G_GINT64_FORMAT, user_id);
}

void
bourse_notifications_test_async (BourseNotifications  *self,
                                 const char           *channel,
                                 const char           *recipient,
                                 gint64                user_id,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  BourseNotification notification = { 0 };
  BourseNotifier *notifier;
  TestSend *test;

  g_return_if_fail (BOURSE_IS_NOTIFICATIONS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_notifications_test_async);
  if (channel == NULL || (notifier = bourse_notifications_get_notifier (self, channel)) == NULL)
    {
      g_auto(GStrv) channels = bourse_notifications_dup_channels (self);
      g_autofree char *names = g_strjoinv (", ", channels);
      GError *error = NULL;

      bourse_set_field_error (&error, BOURSE_ERROR_INVALID, "channel",
                              _("There is no such channel: the channels are %s"), names);
      g_task_return_error (task, error);
      return;
    }
  if (!bourse_notifier_is_configured (notifier))
    {
      GError *error = NULL;

      bourse_set_field_error (&error, BOURSE_ERROR_INVALID, "channel",
                              _("The %s channel is not configured: see the notify section of the "
                                "configuration"), channel);
      g_task_return_error (task, error);
      return;
    }

  test = g_new0 (TestSend, 1);
  test->recipient = recipient != NULL ? g_strdup (recipient) : own_recipient (self, channel, user_id);
  if (test->recipient == NULL)
    {
      GError *error = NULL;

      test_send_free (test);
      bourse_set_field_error (&error, BOURSE_ERROR_INVALID, "recipient",
                              _("You have no recipient on this channel: give one"));
      g_task_return_error (task, error);
      return;
    }
  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "channel", channel);
  json_builder_end_object (builder);
  test->data = json_builder_get_root (builder);
  test->message = bourse_notify_render ("test", json_node_get_object (test->data));
  g_task_set_task_data (task, test, test_send_free);

  notification.event = "test";
  notification.recipient = test->recipient;
  notification.subject = test->message->subject;
  notification.text = test->message->text;
  notification.html = test->message->html;
  notification.data = test->data;
  bourse_notifier_send_async (notifier, &notification, cancellable, test_sent_cb, g_steal_pointer (&task));
}

char *
bourse_notifications_test_finish (BourseNotifications  *self,
                                  GAsyncResult         *result,
                                  GError              **error)
{
  g_return_val_if_fail (BOURSE_IS_NOTIFICATIONS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */

static void
bourse_notifications_dispose (GObject *object)
{
  BourseNotifications *self = BOURSE_NOTIFICATIONS (object);

  bourse_notifications_stop (self);

  G_OBJECT_CLASS (bourse_notifications_parent_class)->dispose (object);
}

static void
bourse_notifications_finalize (GObject *object)
{
  BourseNotifications *self = BOURSE_NOTIFICATIONS (object);

  g_clear_pointer (&self->notifiers, g_ptr_array_unref);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->health);
  g_clear_object (&self->bus);
  g_clear_object (&self->secrets);
  g_clear_object (&self->config);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (bourse_notifications_parent_class)->finalize (object);
}

static void
bourse_notifications_class_init (BourseNotificationsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_notifications_dispose;
  object_class->finalize = bourse_notifications_finalize;
}

static void
bourse_notifications_init (BourseNotifications *self)
{
  self->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

BourseNotifications *
bourse_notifications_new (BourseStore    *store,
                          BourseConfig   *config,
                          BourseSecrets  *secrets,
                          BourseEventBus *bus)
{
  BourseNotifications *self;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);
  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (secrets == NULL || BOURSE_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);

  self = g_object_new (BOURSE_TYPE_NOTIFICATIONS, NULL);
  self->store = g_object_ref (store);
  self->config = g_object_ref (config);
  self->secrets = secrets != NULL ? g_object_ref (secrets) : NULL;
  self->bus = g_object_ref (bus);
  /* One session for every HTTP channel, on the engine's context. */
  self->session = bourse_notifier_session_new ();
  self->notifiers = bourse_notifiers_create_all_full (config, secrets, bus, self->session);
  return self;
}

void
bourse_notifications_set_local_owner (BourseNotifications *self,
                                      gboolean             local_owner)
{
  g_return_if_fail (BOURSE_IS_NOTIFICATIONS (self));

  self->local_owner = local_owner;
}
