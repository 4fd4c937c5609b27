/* bourse-accounts.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-auth"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-error.h"
#include "core/bourse-outbox.h"

#include "bourse-accounts.h"
#include "bourse-auth-private.h"
#include "bourse-password-reset.h"

static char *
user_target (gint64 user_id)
{
  return g_strdup_printf ("user:%" G_GINT64_FORMAT, user_id);
}

/* The account, or NULL with NOT_FOUND. */
static BourseUser *
find_user (BourseAuth  *auth,
           gint64       user_id,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  BourseUser *user = bourse_users_find_by_id (bourse_auth_get_store (auth), user_id, &local_error);

  if (user == NULL)
    {
      if (local_error == NULL)
        g_set_error_literal (&local_error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such user"));
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return user;
}

/* FALSE (a conflict) when user @id is an active administrator and no
 * other is: nobody could administer Bourse after the change. Runs inside
 * the change's transaction, so two admins cannot demote each other at once. */
static gboolean
keeps_an_admin (BourseAuth  *auth,
                gint64       id,
                GError     **error)
{
  g_autoptr(BourseUser) user = find_user (auth, id, error);
  gint64 others;

  if (user == NULL)
    return FALSE;
  if (!g_str_equal (user->role, "admin") || !g_str_equal (user->status, "active"))
    return TRUE;
  if ((others = bourse_users_count_other_admins (bourse_auth_get_store (auth), id, error)) < 0)
    return FALSE;
  if (others == 0)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_CONFLICT,
                   _("“%s” is the only active administrator: make another administrator first"),
                   user->username);
      return FALSE;
    }
  return TRUE;
}

/* One column of an account, audited in the same transaction. */
static gboolean
change_user (BourseAuth              *auth,
             const char              *actor,
             gint64                   id,
             const char              *column,
             const char              *value,
             gboolean                 may_lose_admin,
             const char              *action,
             const BourseAuthContext *context,
             GError                 **error)
{
  BourseStore *store = bourse_auth_get_store (auth);
  g_autofree char *target = user_target (id);
  g_autoptr(JsonNode) details = _bourse_auth_details_new (column, value, NULL);

  if (!bourse_store_begin (store, error))
    return FALSE;
  if ((may_lose_admin && !keeps_an_admin (auth, id, error))
      || !bourse_users_update (store, id, column, value, error)
      || !bourse_auth_audit (auth, actor, action, target, details, context, error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  /* A role or a status just changed: open WebSockets are checked again. */
  bourse_auth_credentials_changed (auth);
  return TRUE;
}

gboolean
bourse_accounts_approve (BourseAuth               *auth,
                         const char               *actor,
                         gint64                    user_id,
                         const BourseAuthContext  *context,
                         GError                  **error)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);

  return change_user (auth, actor, user_id, "status", "active", FALSE, "user.approve", context, error);
}

gboolean
bourse_accounts_decline (BourseAuth               *auth,
                         const char               *actor,
                         gint64                    user_id,
                         const char               *reason,
                         const BourseAuthContext  *context,
                         GError                  **error)
{
  BourseStore *store;
  g_autoptr(BourseUser) user = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(JsonNode) event = NULL;
  g_autofree char *target = user_target (user_id);

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);

  if (reason == NULL || *reason == '\0' || g_utf8_strlen (reason, -1) > BOURSE_ACCOUNTS_DECLINE_REASON_MAX)
    {
      bourse_set_field_error (error, BOURSE_ERROR_INVALID, "reason",
                              _("A reason of 1 to %d characters is required: the person is told it"),
                              BOURSE_ACCOUNTS_DECLINE_REASON_MAX);
      return FALSE;
    }

  store = bourse_auth_get_store (auth);
  if (!bourse_store_begin (store, error))
    return FALSE;
  if ((user = find_user (auth, user_id, error)) == NULL)
    goto fail;
  if (!g_str_equal (user->status, "pending"))
    {
      bourse_set_field_error (error, BOURSE_ERROR_CONFLICT, "status",
                              _("“%s” is not a pending sign-up: only one can be declined"),
                              user->username);
      goto fail;
    }

  details = _bourse_auth_details_new ("status", "disabled", "reason", reason, NULL);
  event = _bourse_auth_details_new ("username", user->username, "email", user->email, "reason", reason, NULL);
  json_object_set_int_member (json_node_get_object (event), "user_id", user_id);
  if (!bourse_users_update (store, user_id, "status", "disabled", error)
      || !bourse_auth_audit (auth, actor, "user.decline", target, details, context, error)
      || !bourse_outbox_emit (store, "signup.declined", user_id, event, error)
      || !bourse_store_commit (store, error))
    goto fail;
  bourse_auth_credentials_changed (auth);
  return TRUE;

fail:
  bourse_store_rollback (store);
  return FALSE;
}

gboolean
bourse_accounts_set_role (BourseAuth               *auth,
                          const char               *actor,
                          gint64                    user_id,
                          BourseRole                role,
                          const BourseAuthContext  *context,
                          GError                  **error)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);

  return change_user (auth, actor, user_id, "role", bourse_role_to_string (role), role != BOURSE_ROLE_ADMIN,
                      "user.role", context, error);
}

gboolean
bourse_accounts_set_enabled (BourseAuth               *auth,
                             const char               *actor,
                             gint64                    user_id,
                             gboolean                  enabled,
                             const BourseAuthContext  *context,
                             GError                  **error)
{
  g_autoptr(GError) sessions_error = NULL;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);

  if (!change_user (auth, actor, user_id, "status", enabled ? "active" : "disabled", !enabled,
                    enabled ? "user.enable" : "user.disable", context, error))
    return FALSE;

  /* A disabled account's sessions end, and with them its open WebSockets;
   * its tokens are refused already, as its status is read on every request. */
  if (!enabled
      && !bourse_auth_revoke_user_sessions (auth, actor, user_id, 0, "account-disabled", context, &sessions_error))
    g_warning ("Could not end the sessions of user %" G_GINT64_FORMAT ": %s", user_id, sessions_error->message);
  return TRUE;
}

gboolean
bourse_accounts_delete (BourseAuth               *auth,
                        const char               *actor,
                        gint64                    user_id,
                        const BourseAuthContext  *context,
                        GError                  **error)
{
  BourseStore *store;
  g_autofree char *target = user_target (user_id);

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);

  store = bourse_auth_get_store (auth);
  if (!bourse_store_begin (store, error))
    return FALSE;
  if (!keeps_an_admin (auth, user_id, error)
      || !bourse_users_delete (store, user_id, error)
      || !bourse_auth_audit (auth, actor, "user.delete", target, NULL, context, error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  bourse_auth_credentials_changed (auth);
  return TRUE;
}

/* Only the names of the fields go to the trail (and the new address); a
 * password never does. */
static JsonNode *
profile_details (const char *email,
                 gboolean    password,
                 gint64      sessions_ended)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  if (email != NULL)
    json_builder_add_string_value (builder, "email");
  if (password)
    json_builder_add_string_value (builder, "password");
  json_builder_end_array (builder);
  if (email != NULL)
    {
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, email);
    }
  if (password)
    {
      json_builder_set_member_name (builder, "sessions_ended");
      json_builder_add_int_value (builder, sessions_ended);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The new address and/or password hash and the audit entry in one
 * transaction (the profile's details name the fields, an operator's reset
 * counts the sessions it ended); the ended sessions are announced after the
 * commit. */
static gboolean
save_account (BourseAuth              *auth,
              const char              *actor,
              const char              *action,
              gint64                   user_id,
              const char              *email,
              const char              *password_hash,
              gint64                   keep_session_id,
              gboolean                 profile,
              const BourseAuthContext *context,
              GError                 **error)
{
  BourseStore *store = bourse_auth_get_store (auth);
  g_autofree char *target = user_target (user_id);
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GArray) ended = NULL;

  if (!bourse_store_begin (store, error))
    return FALSE;
  if ((email != NULL && !bourse_users_update (store, user_id, "email", email, error))
      || (password_hash != NULL
          && (ended = bourse_password_reset_replace (auth, user_id, password_hash, keep_session_id, error)) == NULL))
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  if (profile)
    details = profile_details (email, password_hash != NULL, ended ? ended->len : 0);
  else
    {
      details = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (details, json_object_new ());
      json_object_set_int_member (json_node_get_object (details), "sessions_ended", ended ? ended->len : 0);
    }
  if (!bourse_auth_audit (auth, actor, action, target, details, context, error)
      || !bourse_store_commit (store, error))
    {
      bourse_store_rollback (store);
      return FALSE;
    }
  if (ended != NULL)
    bourse_password_reset_announce (auth, ended);
  return TRUE;
}

gboolean
bourse_accounts_set_password (BourseAuth               *auth,
                              const char               *actor,
                              gint64                    user_id,
                              const char               *password,
                              const BourseAuthContext  *context,
                              GError                  **error)
{
  g_autoptr(BourseUser) user = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if ((user = find_user (auth, user_id, error)) == NULL
      || !bourse_password_reset_check_account (user, error)
      || (hash = bourse_password_reset_hash (auth, password, error)) == NULL)
    return FALSE;
  return save_account (auth, actor, "user.password.reset", user_id, NULL, hash, 0, FALSE, context, error);
}

gboolean
bourse_accounts_check_new_email (BourseAuth  *auth,
                                 gint64       user_id,
                                 const char  *email,
                                 GError     **error)
{
  g_autoptr(BourseUser) holder = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);

  if (!bourse_users_validate_email (email, error))
    return FALSE;
  holder = bourse_users_find_by_login (bourse_auth_get_store (auth), email, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (holder != NULL && holder->id != user_id)
    {
      g_set_error (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_CONFLICT,
                   _("The e-mail address “%s” is already registered"), email);
      return FALSE;
    }
  return TRUE;
}

gboolean
bourse_accounts_update_profile (BourseAuth               *auth,
                                const char               *actor,
                                gint64                    user_id,
                                const char               *email,
                                const char               *password_hash,
                                gint64                    keep_session_id,
                                const BourseAuthContext  *context,
                                GError                  **error)
{
  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);

  return save_account (auth, actor, "user.profile", user_id, email, password_hash, keep_session_id, TRUE, context,
                       error);
}

JsonNode *
bourse_accounts_list_sessions (BourseAuth             *auth,
                               const BoursePrincipal  *principal,
                               gboolean                everyone,
                               GError                **error)
{
  BourseStore *store;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int rc;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), NULL);
  g_return_val_if_fail (principal != NULL, NULL);

  store = bourse_auth_get_store (auth);
  stmt = bourse_store_prepare (store,
                               "SELECT s.id, s.user_id, s.created_at, s.expires_at, s.client_address, s.user_agent, "
                               "u.username FROM sessions s JOIN users u ON u.id = s.user_id "
                               "WHERE s.revoked_at IS NULL AND (?1 OR s.user_id = ?2) ORDER BY s.id DESC",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, everyone);
  sqlite3_bind_int64 (stmt, 2, principal->user_id);

  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
      json_builder_set_member_name (builder, "user_id");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 1));
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, (const char *)sqlite3_column_text (stmt, 6));
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, (const char *)sqlite3_column_text (stmt, 2));
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_string_value (builder, (const char *)sqlite3_column_text (stmt, 3));
      json_builder_set_member_name (builder, "client_address");
      json_builder_add_string_value (builder, (const char *)sqlite3_column_text (stmt, 4));
      json_builder_set_member_name (builder, "user_agent");
      json_builder_add_string_value (builder, (const char *)sqlite3_column_text (stmt, 5));
      json_builder_set_member_name (builder, "current");
      json_builder_add_boolean_value (builder, sqlite3_column_int64 (stmt, 0) == principal->session_id);
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
bourse_accounts_revoke_session (BourseAuth               *auth,
                                const BoursePrincipal    *principal,
                                gint64                    session_id,
                                const BourseAuthContext  *context,
                                GError                  **error)
{
  BourseStore *store;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 owner = 0;

  g_return_val_if_fail (BOURSE_IS_AUTH (auth), FALSE);
  g_return_val_if_fail (principal != NULL, FALSE);

  store = bourse_auth_get_store (auth);
  if ((stmt = bourse_store_prepare (store, "SELECT user_id FROM sessions WHERE id = ?", error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, session_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    owner = sqlite3_column_int64 (stmt, 0);

  /* Someone else's session is as good as absent unless you are an admin. */
  if (owner == 0 || (owner != principal->user_id && principal->role != BOURSE_ROLE_ADMIN))
    {
      g_set_error_literal (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such session"));
      return FALSE;
    }
  return bourse_auth_revoke_session (auth, principal->actor, session_id, "revoked", context, error);
}
