/* bourse-password-reset.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/bourse-outbox.h"
#include "core/bourse-time.h"

#include "bourse-auth-private.h"
#include "bourse-password.h"
#include "bourse-password-reset.h"

static char *
user_target (gint64 user_id)
{
  return g_strdup_printf ("user:%" G_GINT64_FORMAT, user_id);
}

static void
set_invalid_token (GError **error)
{
  g_set_error_literal (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                       _("This reset link is not valid or has expired"));
}

/* A PAM account's password belongs to the system; a local one set here would
 * silently stop mattering. */
gboolean
bourse_password_reset_check_account (const BourseUser  *user,
                                     GError           **error)
{
  g_return_val_if_fail (user != NULL, FALSE);

  if (g_strcmp0 (user->auth_source, "local") == 0)
    return TRUE;
  g_set_error_literal (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_CONFLICT,
                       _("This account signs in with its system password: change it on the system"));
  return FALSE;
}

/* One live token per account: a new one voids those before it. */
static gboolean
void_earlier_resets (BourseStore  *store,
                     gint64        user_id,
                     const char   *now,
                     GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    bourse_store_prepare (store, "UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, user_id);
  return bourse_store_step_done (store, stmt, error);
}

static gint64
insert_reset (BourseStore  *store,
              gint64        user_id,
              const char   *hash,
              const char   *now,
              const char   *expires_at,
              const char   *requested_by,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    bourse_store_prepare (store,
                          "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at, requested_by) "
                          "VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, expires_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, requested_by, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (bourse_store_get_db (store));
}

/* The token goes to the user by e-mail (docs/OPERATIONS.md), stored with
 * the reset so that it exists exactly when the reset does; the delivery
 * history keeps it masked and the worker drops it once sent. */
static gboolean
emit_reset (BourseAuth        *auth,
            const BourseUser  *user,
            const char        *token,
            const char        *expires_at,
            GError           **error)
{
  const char *public_url = bourse_config_get_string (_bourse_auth_get_config (auth), "notify", "public_url");
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(JsonNode) event = json_node_init_object (json_node_alloc (), data);
  g_autofree char *base = g_strdup (public_url != NULL ? public_url : "");
  g_autofree char *url = NULL;

  /* {public_url}/#/reset?token=…: the web UI's reset page. */
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  url = *base != '\0' ? g_strdup_printf ("%s/#/reset?token=%s", base, token) : g_strdup ("");
  json_object_set_int_member (data, "user_id", user->id);
  json_object_set_string_member (data, "username", user->username);
  json_object_set_string_member (data, "token", token);
  json_object_set_string_member (data, "expires_at", expires_at);
  json_object_set_string_member (data, "url", url);
  return bourse_outbox_emit (bourse_auth_get_store (auth), "password.reset", user->id, event, error);
}

char *
bourse_password_reset_create (BourseAuth               *auth,
                              const char               *actor,
                              gint64                    user_id,
                              const char               *requested_by,
                              const BourseAuthContext  *context,
                              GError                  **error)
{
  BourseStore *store;
  g_autoptr(BourseUser) user = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autoptr(JsonNode) details_node = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  g_autofree char *expires_at = NULL;
  g_autofree char *target = user_target (user_id);
  gint64 now_ms = bourse_time_now_ms ();
  gint64 reset_id;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);

  store = bourse_auth_get_store (auth);
  user = bourse_users_find_by_id (store, user_id, &local_error);
  if (user == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such user"));
      return NULL;
    }
  if (!bourse_password_reset_check_account (user, error))
    return NULL;

  now = bourse_time_format_rfc3339 (now_ms);
  expires_at = bourse_time_format_rfc3339 (now_ms + BOURSE_PASSWORD_RESET_TTL_S * G_GINT64_CONSTANT (1000));
  token = _bourse_auth_random_token ();
  hash = _bourse_auth_token_hash (token);

  if (!bourse_store_begin (store, error))
    return NULL;
  if (!void_earlier_resets (store, user_id, now, error)
      || (reset_id = insert_reset (store, user_id, hash, now, expires_at, requested_by, error)) == 0)
    {
      bourse_store_rollback (store);
      return NULL;
    }

  /* The row id identifies the reset in the trail; the token never goes there. */
  json_builder_begin_object (details);
  json_builder_set_member_name (details, "reset");
  json_builder_add_int_value (details, reset_id);
  json_builder_set_member_name (details, "requested_by");
  json_builder_add_string_value (details, requested_by);
  json_builder_set_member_name (details, "expires_at");
  json_builder_add_string_value (details, expires_at);
  json_builder_end_object (details);
  details_node = json_builder_get_root (details);

  if (!bourse_auth_audit (auth, actor ? actor : target, "user.password.reset.create", target, details_node,
                          context, error)
      || !emit_reset (auth, user, token, expires_at, error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return NULL;
    }

  return g_steal_pointer (&token);
}

/* The reset a live token belongs to: *reset_id stays 0 when there is none. */
static gboolean
find_live_reset (BourseStore  *store,
                 const char   *hash,
                 const char   *now,
                 gint64       *reset_id,
                 gint64       *user_id,
                 char        **expires_at,
                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    bourse_store_prepare (store,
                          "SELECT id, user_id, expires_at FROM password_resets "
                          "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?", error);
  int rc;

  *reset_id = 0;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *reset_id = sqlite3_column_int64 (stmt, 0);
      if (user_id != NULL)
        *user_id = sqlite3_column_int64 (stmt, 1);
      if (expires_at != NULL)
        *expires_at = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

char *
bourse_password_reset_dup_expiry (BourseAuth  *auth,
                                  const char  *token,
                                  GError     **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  char *expires_at = NULL;
  gint64 reset_id;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  hash = _bourse_auth_token_hash (token);
  if (!find_live_reset (bourse_auth_get_store (auth), hash, now, &reset_id, NULL, &expires_at, error))
    return NULL;
  if (reset_id == 0)
    set_invalid_token (error);
  return expires_at;
}

/* Spent inside the transaction, so two confirmations of one token cannot
 * both succeed. */
static gboolean
spend_reset (BourseStore  *store,
             gint64        reset_id,
             const char   *now,
             GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    bourse_store_prepare (store,
                          "UPDATE password_resets SET used_at = ?1 "
                          "WHERE id = ?2 AND used_at IS NULL AND expires_at > ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, reset_id);
  if (!bourse_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (bourse_store_get_db (store)) == 0)
    {
      set_invalid_token (error);
      return FALSE;
    }
  return TRUE;
}

gboolean
bourse_password_reset_confirm (BourseAuth               *auth,
                               const char               *token,
                               const char               *new_password,
                               const BourseAuthContext  *context,
                               GError                  **error)
{
  BourseStore *store;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autoptr(JsonNode) details_node = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  g_autofree char *password_hash = NULL;
  g_autofree char *target = NULL;
  g_autoptr(GArray) ended = NULL;
  gint64 reset_id = 0;
  gint64 user_id = 0;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);
  g_return_val_if_fail (new_password != NULL, FALSE);

  store = bourse_auth_get_store (auth);
  if (token == NULL || token[0] == '\0')
    {
      set_invalid_token (error);
      return FALSE;
    }

  hash = _bourse_auth_token_hash (token);
  now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  if (!find_live_reset (store, hash, now, &reset_id, &user_id, NULL, error))
    return FALSE;
  if (reset_id == 0)
    {
      set_invalid_token (error);
      return FALSE;
    }

  /* Slow by design: hash before taking the write lock. */
  if ((password_hash = bourse_password_reset_hash (auth, new_password, error)) == NULL)
    return FALSE;

  if (!bourse_store_begin (store, error))
    return FALSE;
  if (!spend_reset (store, reset_id, now, error)
      || (ended = bourse_password_reset_replace (auth, user_id, password_hash, 0, error)) == NULL)
    {
      bourse_store_rollback (store);
      return FALSE;
    }

  json_builder_begin_object (details);
  json_builder_set_member_name (details, "reset");
  json_builder_add_int_value (details, reset_id);
  json_builder_set_member_name (details, "sessions_ended");
  json_builder_add_int_value (details, ended->len);
  json_builder_end_object (details);
  details_node = json_builder_get_root (details);

  /* Whoever holds the token acts as the account. */
  target = user_target (user_id);
  if (!bourse_auth_audit (auth, target, "user.password.reset", target, details_node, context, error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }

  bourse_password_reset_announce (auth, ended);
  return TRUE;
}

char *
bourse_password_reset_hash (BourseAuth  *auth,
                            const char  *password,
                            GError     **error)
{
  g_autoptr(GError) policy_error = NULL;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (!bourse_password_check_policy (password, &policy_error))
    {
      g_set_error_literal (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_PASSWORD, policy_error->message);
      return NULL;
    }

  return _bourse_auth_hash_password (auth, password, error);
}

GArray *
bourse_password_reset_replace (BourseAuth  *auth,
                               gint64       user_id,
                               const char  *password_hash,
                               gint64       keep_session_id,
                               GError     **error)
{
  BourseStore *store;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GArray) ended = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  int rc;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);
  g_return_val_if_fail (password_hash != NULL, NULL);

  store = bourse_auth_get_store (auth);
  if (!bourse_users_update (store, user_id, "password_hash", password_hash, error))
    return NULL;

  /* Whoever knew the old password may hold a session: end them all but the
   * one the change was made from. The caller's transaction keeps the ids
   * read here the ones updated below. */
  select = bourse_store_prepare (store,
                                 "SELECT id FROM sessions WHERE user_id = ?1 AND id <> ?2 AND revoked_at IS NULL",
                                 error);
  update = bourse_store_prepare (store,
                                 "UPDATE sessions SET revoked_at = ?3 "
                                 "WHERE user_id = ?1 AND id <> ?2 AND revoked_at IS NULL", error);
  if (select == NULL || update == NULL)
    return NULL;
  sqlite3_bind_int64 (select, 1, user_id);
  sqlite3_bind_int64 (select, 2, keep_session_id);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);
      g_array_append_val (ended, id);
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }

  sqlite3_bind_int64 (update, 1, user_id);
  sqlite3_bind_int64 (update, 2, keep_session_id);
  sqlite3_bind_text (update, 3, now, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (store, update, error))
    return NULL;
  return g_steal_pointer (&ended);
}

void
bourse_password_reset_announce (BourseAuth *auth,
                                GArray     *ended_sessions)
{
  g_return_if_fail (BOURSE_IS_AUTH (auth));
  g_return_if_fail (ended_sessions != NULL);

  /* As bourse_auth_revoke_session does, so their WebSockets close too. */
  for (guint i = 0; i < ended_sessions->len; i++)
    g_signal_emit_by_name (auth, "session-revoked", g_array_index (ended_sessions, gint64, i));
}
