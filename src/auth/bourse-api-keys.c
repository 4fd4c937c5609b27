/* bourse-api-keys.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "core/bourse-time.h"

#include "bourse-api-keys.h"
#include "bourse-auth-private.h"

/* "bk_" + 8 characters shown in lists to tell keys apart + the secret. */
#define KEY_PREFIX     "bk_"
#define SHOWN_LENGTH   8

/* last_used_at is written at most this often per key: an API call should
 * not cost a database write every time. */
#define LAST_USED_RESOLUTION_MS (60 * 1000)

char *
bourse_api_keys_create (BourseAuth              *auth,
                        const BoursePrincipal   *creator,
                        const char              *name,
                        BourseRole               role,
                        const char              *expires_at,
                        const BourseAuthContext *context,
                        gint64                  *id,
                        GError                 **error)
{
  BourseStore *store = bourse_auth_get_store (auth);
  g_autofree char *secret = _bourse_auth_random_token ();
  g_autofree char *key = g_strconcat (KEY_PREFIX, secret, NULL);
  g_autofree char *hash = _bourse_auth_token_hash (key);
  g_autofree char *shown = g_strndup (key, strlen (KEY_PREFIX) + SHOWN_LENGTH);
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *target = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonNode) details = NULL;
  gint64 expires_ms;

  if (creator->user_id == 0)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_CONFLICT,
                   _("API keys belong to an account; the desktop owner has none yet"));
      return NULL;
    }
  if (name == NULL || name[0] == '\0' || strlen (name) > 64 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_NAME,
                   _("A key needs a name of 1 to 64 characters"));
      return NULL;
    }
  /* A key can do at most what its creator can. */
  if (role > creator->role)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_ROLE,
                   _("A key’s role cannot be higher than your own (%s)"), bourse_role_to_string (creator->role));
      return NULL;
    }
  if (expires_at != NULL
      && (!bourse_time_parse_rfc3339 (expires_at, &expires_ms, NULL) || expires_ms <= bourse_time_now_ms ()))
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_EXPIRY,
                   _("The expiry must be an RFC 3339 time in the future"));
      return NULL;
    }

  if (!bourse_store_begin (store, error))
    return NULL;
  stmt = bourse_store_prepare (store,
                               "INSERT INTO api_keys (user_id, name, prefix, key_hash, role, created_at, expires_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, creator->user_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, shown, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, bourse_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  if (expires_at != NULL)
    {
      g_autofree char *normalized = bourse_time_format_rfc3339 (expires_ms);
      sqlite3_bind_text (stmt, 7, normalized, -1, SQLITE_TRANSIENT);
    }
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      goto fail;
    }
  *id = sqlite3_last_insert_rowid (bourse_store_get_db (store));

  target = g_strdup_printf ("api-key:%" G_GINT64_FORMAT, *id);
  details = _bourse_auth_details_new ("name", name, "role", bourse_role_to_string (role), "prefix", shown, NULL);
  if (!bourse_auth_audit (auth, creator->actor, "api_key.create", target, details, context, error)
      || !bourse_store_commit (store, error))
    goto fail;

  return g_steal_pointer (&key);

fail:
  bourse_store_rollback (store);
  return NULL;
}

static void
add_text (JsonBuilder  *builder,
          const char   *name,
          sqlite3_stmt *stmt,
          int           column)
{
  json_builder_set_member_name (builder, name);
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, (const char *)sqlite3_column_text (stmt, column));
}

JsonNode *
bourse_api_keys_list (BourseAuth  *auth,
                      gint64       user_id,
                      gboolean     all,
                      GError     **error)
{
  BourseStore *store = bourse_auth_get_store (auth);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = bourse_store_prepare (store,
                               "SELECT id, user_id, name, prefix, role, created_at, expires_at, last_used_at, revoked_at "
                               "FROM api_keys WHERE ?1 OR user_id = ?2 ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, all);
  sqlite3_bind_int64 (stmt, 2, user_id);

  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
      json_builder_set_member_name (builder, "user_id");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 1));
      add_text (builder, "name", stmt, 2);
      add_text (builder, "prefix", stmt, 3);
      add_text (builder, "role", stmt, 4);
      add_text (builder, "created_at", stmt, 5);
      add_text (builder, "expires_at", stmt, 6);
      add_text (builder, "last_used_at", stmt, 7);
      add_text (builder, "revoked_at", stmt, 8);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return json_builder_get_root (builder);
}

gboolean
bourse_api_keys_revoke (BourseAuth              *auth,
                        const BoursePrincipal   *actor,
                        gint64                   id,
                        const BourseAuthContext *context,
                        GError                 **error)
{
  BourseStore *store = bourse_auth_get_store (auth);
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *target = g_strdup_printf ("api-key:%" G_GINT64_FORMAT, id);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!bourse_store_begin (store, error))
    return FALSE;
  /* Someone else's key is as good as absent unless you are an admin. */
  stmt = bourse_store_prepare (store,
                               "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL "
                               "AND (? OR user_id = ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id);
  sqlite3_bind_int (stmt, 3, actor->role == BOURSE_ROLE_ADMIN);
  sqlite3_bind_int64 (stmt, 4, actor->user_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      goto fail;
    }
  if (sqlite3_changes (bourse_store_get_db (store)) == 0)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such API key"));
      goto fail;
    }
  if (!bourse_auth_audit (auth, actor->actor, "api_key.revoke", target, NULL, context, error)
      || !bourse_store_commit (store, error))
    goto fail;
  bourse_auth_credentials_changed (auth);
  return TRUE;

fail:
  bourse_store_rollback (store);
  return FALSE;
}

BoursePrincipal *
bourse_api_keys_authenticate (BourseAuth  *auth,
                              const char  *key,
                              GError     **error)
{
  BourseStore *store = bourse_auth_get_store (auth);
  g_autofree char *hash = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autoptr(BourseStatement) stmt = NULL;
  BoursePrincipal *principal;
  BourseRole key_role, user_role;
  const char *last_used;
  gint64 last_used_ms = 0;

  if (key == NULL || !g_str_has_prefix (key, KEY_PREFIX))
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED, _("The API key is not valid"));
      return NULL;
    }

  hash = _bourse_auth_token_hash (key);
  /* Kept prepared: every request with a key asks. */
  stmt = bourse_store_statement (store,
                                 "SELECT k.id, k.role, u.id, u.username, u.role, u.tier, k.last_used_at "
                                 "FROM api_keys k JOIN users u ON u.id = k.user_id "
                                 "WHERE k.key_hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?) "
                                 "AND u.status = 'active'", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW
      || !bourse_role_parse ((const char *)sqlite3_column_text (stmt, 1), &key_role)
      || !bourse_role_parse ((const char *)sqlite3_column_text (stmt, 4), &user_role))
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                   _("The API key is not valid, revoked or expired"));
      return NULL;
    }

  principal = g_new0 (BoursePrincipal, 1);
  principal->api_key_id = sqlite3_column_int64 (stmt, 0);
  principal->user_id = sqlite3_column_int64 (stmt, 2);
  principal->username = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
  principal->tier = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
  /* A demoted owner demotes their keys too. */
  principal->role = MIN (key_role, user_role);
  principal->actor = g_strdup_printf ("api-key:%" G_GINT64_FORMAT, principal->api_key_id);

  last_used = (const char *)sqlite3_column_text (stmt, 6);
  if (last_used != NULL)
    bourse_time_parse_rfc3339 (last_used, &last_used_ms, NULL);
  g_clear_pointer (&stmt, bourse_statement_release);

  if (bourse_time_now_ms () - last_used_ms >= LAST_USED_RESOLUTION_MS)
    {
      stmt = bourse_store_statement (store, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", NULL);
      if (stmt != NULL)
        {
          sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, principal->api_key_id);
          sqlite3_step (stmt);
        }
    }

  return principal;
}
