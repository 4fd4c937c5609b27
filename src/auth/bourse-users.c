/* bourse-users.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "core/bourse-time.h"

#include "bourse-users.h"

G_DEFINE_QUARK (bourse-auth-error-quark, bourse_auth_error)

const char *
bourse_auth_error_field (const GError *error)
{
  if (error == NULL || error->domain != BOURSE_AUTH_ERROR)
    return NULL;

  switch (error->code)
    {
    case BOURSE_AUTH_ERROR_INVALID_USERNAME: return "username";
    case BOURSE_AUTH_ERROR_INVALID_EMAIL:    return "email";
    case BOURSE_AUTH_ERROR_INVALID_PASSWORD: return "password";
    case BOURSE_AUTH_ERROR_INVALID_ROLE:     return "role";
    case BOURSE_AUTH_ERROR_INVALID_STATUS:   return "status";
    case BOURSE_AUTH_ERROR_INVALID_TIER:     return "tier";
    case BOURSE_AUTH_ERROR_INVALID_NAME:     return "name";
    case BOURSE_AUTH_ERROR_INVALID_EXPIRY:   return "expires_at";
    default:                                 return NULL;
    }
}

gboolean
bourse_users_validate_username (const char  *username,
                                GError     **error)
{
  gsize len = username ? strlen (username) : 0;

  if (len < 3 || len > 32)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_USERNAME,
                   _("A username has 3 to 32 characters"));
      return FALSE;
    }
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_islower (username[i]) || g_ascii_isdigit (username[i])
          || username[i] == '.' || username[i] == '_' || username[i] == '-'))
      {
        g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_USERNAME,
                     _("A username may only contain a–z, 0–9, “.”, “_” and “-”"));
        return FALSE;
      }
  return TRUE;
}

/* Deliberately simple: one "@", a non-empty local part, a domain with a dot
 * and no empty labels, no spaces or controls. Deliverability is the mail
 * server's business. */
gboolean
bourse_users_validate_email (const char  *email,
                             GError     **error)
{
  const char *at = email ? strchr (email, '@') : NULL;
  const char *domain = at ? at + 1 : NULL;
  gsize len = email ? strlen (email) : 0;
  gboolean ok = at != NULL && at != email && strchr (domain, '@') == NULL
             && len <= 254 && strchr (domain, '.') != NULL
             && domain[0] != '.' && domain[strlen (domain) - 1] != '.' && strstr (domain, "..") == NULL;

  for (gsize i = 0; ok && i < len; i++)
    if ((guchar)email[i] <= 0x20 || email[i] == 0x7f)
      ok = FALSE;

  if (!ok)
    g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_EMAIL,
                 _("This is not a valid e-mail address"));
  return ok;
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

#define USER_COLUMNS "id, username, email, password_hash, role, status, tier, auth_source, created_at, last_login_at"

static BourseUser *
user_from_row (sqlite3_stmt *stmt)
{
  BourseUser *user = g_new0 (BourseUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->username = column_text (stmt, 1);
  user->email = column_text (stmt, 2);
  user->password_hash = column_text (stmt, 3);
  user->role = column_text (stmt, 4);
  user->status = column_text (stmt, 5);
  user->tier = column_text (stmt, 6);
  user->auth_source = column_text (stmt, 7);
  user->created_at = column_text (stmt, 8);
  user->last_login_at = column_text (stmt, 9);
  return user;
}

void
bourse_user_free (BourseUser *user)
{
  if (user == NULL)
    return;

  g_free (user->username);
  g_free (user->email);
  if (user->password_hash != NULL)
    memset (user->password_hash, 0, strlen (user->password_hash));
  g_free (user->password_hash);
  g_free (user->role);
  g_free (user->status);
  g_free (user->tier);
  g_free (user->auth_source);
  g_free (user->created_at);
  g_free (user->last_login_at);
  g_free (user);
}

gint64
bourse_users_insert (BourseStore  *store,
                     const char   *username,
                     const char   *email,
                     const char   *password_hash,
                     BourseRole    role,
                     const char   *status,
                     GError      **error)
{
  return bourse_users_insert_with_source (store, username, email, password_hash, role, status, "local", error);
}

gint64
bourse_users_insert_with_source (BourseStore  *store,
                                 const char   *username,
                                 const char   *email,
                                 const char   *password_hash,
                                 BourseRole    role,
                                 const char   *status,
                                 const char   *auth_source,
                                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autoptr(BourseUser) existing = NULL;

  g_return_val_if_fail (auth_source != NULL, 0);

  if (!bourse_users_validate_username (username, error) || !bourse_users_validate_email (email, error))
    return 0;

  /* Name the taken field rather than leaving it to a UNIQUE violation. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *login = i == 0 ? username : email;

      existing = bourse_users_find_by_login (store, login, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return 0;
        }
      if (existing != NULL)
        {
          g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_CONFLICT,
                       i == 0 ? _("The username “%s” is taken") : _("The e-mail address “%s” is already registered"),
                       login);
          return 0;
        }
    }

  stmt = bourse_store_prepare (store,
                               "INSERT INTO users (username, email, password_hash, role, status, created_at, "
                               "auth_source) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, password_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, bourse_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, status, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, auth_source, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return 0;
    }

  return sqlite3_last_insert_rowid (bourse_store_get_db (store));
}

static BourseUser *
find_one (BourseStore  *store,
          const char   *sql,
          const char   *text,
          gint64        number,
          GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 1, number);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return user_from_row (stmt);
  if (rc != SQLITE_DONE)
    bourse_store_set_error (store, error);
  return NULL;
}

BourseUser *
bourse_users_find_by_id (BourseStore  *store,
                         gint64        id,
                         GError      **error)
{
  return find_one (store, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", NULL, id, error);
}

BourseUser *
bourse_users_find_by_login (BourseStore  *store,
                            const char   *username_or_email,
                            GError      **error)
{
  g_return_val_if_fail (username_or_email != NULL, NULL);

  /* Usernames are lower-case by rule; e-mail addresses compare case-insensitively. */
  return find_one (store,
                   strchr (username_or_email, '@')
                     ? "SELECT " USER_COLUMNS " FROM users WHERE email = ?1 COLLATE NOCASE"
                     : "SELECT " USER_COLUMNS " FROM users WHERE username = ?1",
                   username_or_email, 0, error);
}

GPtrArray *
bourse_users_list (BourseStore  *store,
                   const char   *status,
                   GError      **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_user_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = bourse_store_prepare (store,
                               "SELECT " USER_COLUMNS " FROM users WHERE ?1 IS NULL OR status = ?1 "
                               "ORDER BY status <> 'pending', id", error);
  if (stmt == NULL)
    return NULL;
  if (status != NULL)
    sqlite3_bind_text (stmt, 1, status, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&users);
}

gint64
bourse_users_count (BourseStore  *store,
                    GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (store, "SELECT count(*) FROM users", error);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (stmt != NULL)
        bourse_store_set_error (store, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gint64
bourse_users_count_other_admins (BourseStore  *store,
                                 gint64        except_id,
                                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    bourse_store_prepare (store, "SELECT count(*) FROM users WHERE role = 'admin' AND status = 'active' AND id <> ?",
                          error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, except_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bourse_store_set_error (store, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
bourse_users_update (BourseStore  *store,
                     gint64        id,
                     const char   *column,
                     const char   *value,
                     GError      **error)
{
  /* The column comes from this fixed list only; values are always bound. */
  static const struct { const char *column; const char *sql; } updates[] = {
    { "role", "UPDATE users SET role = ? WHERE id = ?" },
    { "status", "UPDATE users SET status = ? WHERE id = ?" },
    { "tier", "UPDATE users SET tier = ? WHERE id = ?" },
    { "email", "UPDATE users SET email = ? WHERE id = ?" },
    { "password_hash", "UPDATE users SET password_hash = ? WHERE id = ?" },
    { "last_login_at", "UPDATE users SET last_login_at = ? WHERE id = ?" },
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (updates); i++)
    if (g_str_equal (updates[i].column, column))
      {
        stmt = bourse_store_prepare (store, updates[i].sql, error);
        break;
      }
  g_return_val_if_fail (stmt != NULL || (error && *error), FALSE);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  if (sqlite3_changes (bourse_store_get_db (store)) == 0)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such user"));
      return FALSE;
    }
  return TRUE;
}

gboolean
bourse_users_delete (BourseStore  *store,
                     gint64        id,
                     GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = bourse_store_prepare (store, "DELETE FROM users WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return FALSE;
    }
  if (sqlite3_changes (bourse_store_get_db (store)) == 0)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such user"));
      return FALSE;
    }
  return TRUE;
}

JsonNode *
bourse_user_to_json (const BourseUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, user->id);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, user->username);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, user->email);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, user->role);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, user->status);
  json_builder_set_member_name (builder, "tier");
  json_builder_add_string_value (builder, user->tier);
  json_builder_set_member_name (builder, "auth_source");
  json_builder_add_string_value (builder, user->auth_source);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, user->created_at);
  json_builder_set_member_name (builder, "last_login_at");
  if (user->last_login_at != NULL)
    json_builder_add_string_value (builder, user->last_login_at);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
