/* bourse-auth-routes.c — sign-up, sign-in, sessions, users and the audit trail
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "auth/bourse-accounts.h"
#include "auth/bourse-api-keys.h"
#include "auth/bourse-audit.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"

#include "bourse-server-private.h"

void
_bourse_server_reply_tokens (BourseRequest *request,
                             guint          status,
                             BourseTokens  *tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  /* Tokens must never be cached by a proxy or the browser. */
  soup_message_headers_replace (soup_server_message_get_response_headers (bourse_request_get_message (request)),
                                "Cache-Control", "no-store");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, tokens->access_token);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, tokens->refresh_token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, tokens->expires_in);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, status, builder);
}

static void
reply_user (BourseRequest *request,
            guint          status,
            gint64         id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseUser) user = bourse_users_find_by_id (bourse_auth_get_store (bourse_request_get_auth (request)), id, &error);
  g_autoptr(JsonNode) node = NULL;

  if (user == NULL)
    {
      if (error == NULL)
        g_set_error (&error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such user"));
      bourse_request_reply_error (request, error, 0);
      return;
    }
  node = bourse_user_to_json (user);
  bourse_request_reply_json (request, status, node);
}

typedef struct
{
  BourseEventBus    *bus;      /* may outlive the server while the hash is made */
  BourseRequestHold *hold;
  char              *username;
} Signup;

static void
signup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Signup *signup = user_data;
  BourseRequest *request = bourse_request_hold_get_request (signup->hold);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) alert = NULL;
  g_autoptr(JsonNode) alert_node = NULL;
  gint64 id = bourse_auth_register_finish (BOURSE_AUTH (object), result, &error);

  if (id != 0)
    {
      /* Admins learn of it on the alerts topic (and the desktop notifies). */
      alert = json_builder_new ();
      json_builder_begin_object (alert);
      json_builder_set_member_name (alert, "kind");
      json_builder_add_string_value (alert, "user.pending");
      json_builder_set_member_name (alert, "user_id");
      json_builder_add_int_value (alert, id);
      json_builder_set_member_name (alert, "username");
      json_builder_add_string_value (alert, signup->username);
      json_builder_end_object (alert);
      alert_node = json_builder_get_root (alert);
      bourse_event_bus_publish (signup->bus, "alerts", alert_node);
    }

  if (request != NULL)
    {
      if (id == 0)
        bourse_request_reply_error (request, error, 0);
      else
        reply_user (request, SOUP_STATUS_CREATED, id);
    }
  bourse_request_hold_release (signup->hold);
  g_object_unref (signup->bus);
  g_free (signup->username);
  g_free (signup);
}

static void
register_cb (BourseRequest *request,
             gpointer       user_data)
{
  BourseServer *self = user_data;
  JsonObject *body = bourse_request_get_json_object (request);
  const char *username, *email, *password;
  BourseAuthContext context;
  Signup *signup;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "username", TRUE, &username)
      || !bourse_request_get_string_member (request, body, "email", TRUE, &email)
      || !bourse_request_get_string_member (request, body, "password", TRUE, &password))
    return;

  /* The password is hashed in a worker; the answer comes back here. */
  bourse_request_get_context (request, &context);
  signup = g_new0 (Signup, 1);
  signup->bus = g_object_ref (bourse_engine_get_event_bus (self->engine));
  signup->username = g_strdup (username);
  signup->hold = bourse_request_hold (request);
  bourse_auth_register_async (bourse_request_get_auth (request), username, email, password, &context, NULL,
                              signup_done_cb, signup);
}

static void
login_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BourseRequestHold *hold = user_data;
  BourseRequest *request = bourse_request_hold_get_request (hold);
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseTokens) tokens = NULL;
  guint retry_after = 0;

  tokens = bourse_auth_login_finish (BOURSE_AUTH (object), result, &retry_after, &error);
  if (request != NULL)
    {
      if (tokens == NULL)
        bourse_request_reply_error (request, error, retry_after);
      else
        _bourse_server_reply_tokens (request, SOUP_STATUS_OK, tokens);
    }
  bourse_request_hold_release (hold);
}

static void
login_cb (BourseRequest *request,
          gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  const char *login, *password;
  BourseAuthContext context;

  if (body == NULL)
    return;

  if (!bourse_request_get_string_member (request, body, "username", FALSE, &login)
      || (login == NULL && !bourse_request_get_string_member (request, body, "email", FALSE, &login)))
    return;
  if (login == NULL)
    {
      const BourseFieldError errors[] = { { "username", _("give a username or an e-mail address") } };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                    _("“username” or “email” is missing"), errors, 1);
      return;
    }
  if (!bourse_request_get_string_member (request, body, "password", TRUE, &password))
    return;

  /* The password is checked in a worker; the answer comes back here. */
  bourse_request_get_context (request, &context);
  bourse_auth_login_async (bourse_request_get_auth (request), login, password, &context, NULL,
                           login_done_cb, bourse_request_hold (request));
}

static void
refresh_cb (BourseRequest *request,
            gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  const char *refresh_token;
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseTokens) tokens = NULL;
  BourseAuthContext context;

  if (body == NULL || !bourse_request_get_string_member (request, body, "refresh_token", TRUE, &refresh_token))
    return;

  bourse_request_get_context (request, &context);
  tokens = bourse_auth_refresh (bourse_request_get_auth (request), refresh_token, &context, &error);
  if (tokens == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  _bourse_server_reply_tokens (request, SOUP_STATUS_OK, tokens);
}

static void
logout_cb (BourseRequest *request,
           gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;

  bourse_request_get_context (request, &context);
  if (principal->session_id != 0
      && !bourse_auth_revoke_session (bourse_request_get_auth (request), principal->actor, principal->session_id,
                                      "logout", &context, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

static void
me_cb (BourseRequest *request,
       gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(JsonBuilder) builder = NULL;

  if (principal->user_id != 0)
    {
      reply_user (request, SOUP_STATUS_OK, principal->user_id);
      return;
    }

  /* The desktop's local owner has no account row. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, principal->username);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, bourse_role_to_string (principal->role));
  json_builder_set_member_name (builder, "local_owner");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* The caller's role and permissions and the whole matrix: the UIs show
 * what the caller may do from this, never from rules of their own; and who
 * the caller is ("user_id", null for the desktop's owner), so a UI knows
 * which records are its own (orders it may cancel). */
static void
permissions_cb (BourseRequest *request,
                gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(JsonNode) body = bourse_permissions_to_json (principal->role);
  JsonObject *object = json_node_get_object (body);

  if (principal->user_id > 0)
    json_object_set_int_member (object, "user_id", principal->user_id);
  else
    json_object_set_null_member (object, "user_id");
  bourse_request_reply_json (request, SOUP_STATUS_OK, body);
}

static void
users_list_cb (BourseRequest *request,
               gpointer       user_data)
{
  static const char * const statuses[] = { "pending", "active", "disabled", NULL };
  const char *status = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!bourse_request_get_enum_query (request, "status", statuses, &status))
    return;

  users = bourse_users_list (bourse_auth_get_store (bourse_request_get_auth (request)), status, &error);
  if (users == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    json_builder_add_value (builder, bourse_user_to_json (g_ptr_array_index (users, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
users_create_cb (BourseRequest *request,
                 gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  const char *username, *email, *password = NULL, *role_text, *auth_source;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseRole role = BOURSE_ROLE_VIEWER;
  gboolean pam;
  gint64 id;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "username", TRUE, &username)
      || !bourse_request_get_string_member (request, body, "email", TRUE, &email))
    return;

  if (!bourse_request_get_string_member (request, body, "auth_source", FALSE, &auth_source))
    return;
  if (auth_source == NULL)
    auth_source = "local";
  if (!g_str_equal (auth_source, "local") && !g_str_equal (auth_source, "pam"))
    {
      const BourseFieldError errors[] = { { "auth_source", _("must be local or pam") } };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, _("Invalid sign-in method"),
                                    errors, 1);
      return;
    }
  pam = g_str_equal (auth_source, "pam");

  /* The system owns a PAM account's password: Bourse never holds one. */
  if (pam && json_object_has_member (body, "password"))
    {
      const BourseFieldError errors[] = {
        { "password", _("must be absent: the system checks this account’s password") }
      };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY,
                                    _("A PAM account has no Bourse password"), errors, 1);
      return;
    }
  if (!pam && !bourse_request_get_string_member (request, body, "password", TRUE, &password))
    return;

  if (!bourse_request_get_string_member (request, body, "role", FALSE, &role_text))
    return;
  if (role_text != NULL && !bourse_role_parse (role_text, &role))
    {
      const BourseFieldError errors[] = { { "role", _("must be admin, trader or viewer") } };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, _("Invalid role"), errors, 1);
      return;
    }

  bourse_request_get_context (request, &context);
  if (pam)
    id = bourse_auth_create_pam_user (bourse_request_get_auth (request), principal->actor, username, email, role,
                                      &context, &error);
  else
    id = bourse_auth_create_user (bourse_request_get_auth (request), principal->actor, username, email, password, role,
                                  &context, &error);
  if (id == 0)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  reply_user (request, SOUP_STATUS_CREATED, id);
}

/* Answers a change of an account: the account as it is now, or the error. */
static void
reply_changed (BourseRequest *request,
               gint64         id,
               gboolean       changed,
               const GError  *error)
{
  if (changed)
    reply_user (request, SOUP_STATUS_OK, id);
  else
    bourse_request_reply_error (request, error, 0);
}

static void
users_approve_cb (BourseRequest *request,
                  gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  gboolean changed;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  bourse_request_get_context (request, &context);
  changed = bourse_accounts_approve (bourse_request_get_auth (request), bourse_request_get_principal (request)->actor,
                                     id, &context, &error);
  reply_changed (request, id, changed, error);
}

static void
users_decline_cb (BourseRequest *request,
                  gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  const char *reason = NULL;
  BourseAuthContext context;
  JsonObject *body;
  gboolean changed;
  gint64 id = bourse_request_get_id_param (request);

  /* The path first: each of these answers when it fails. */
  if (id == 0 || (body = bourse_request_get_json_object (request)) == NULL
      || !bourse_request_get_string_member (request, body, "reason", TRUE, &reason))
    return;
  bourse_request_get_context (request, &context);
  changed = bourse_accounts_decline (bourse_request_get_auth (request), bourse_request_get_principal (request)->actor,
                                     id, reason, &context, &error);
  reply_changed (request, id, changed, error);
}

static void
users_patch_cb (BourseRequest *request,
                gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  BourseAuth *auth = bourse_request_get_auth (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GError) error = NULL;
  const char *role = NULL;
  const char *status = NULL;
  BourseAuthContext context;
  BourseRole parsed;
  gboolean changed;
  gint64 id;

  if (body == NULL || (id = bourse_request_get_id_param (request)) == 0
      || !bourse_request_get_string_member (request, body, "role", FALSE, &role)
      || !bourse_request_get_string_member (request, body, "status", FALSE, &status))
    return;

  if ((role == NULL) == (status == NULL))
    {
      const BourseFieldError errors[] = { { "role", _("give exactly one of “role” or “status”") } };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, _("Nothing to change"), errors, 1);
      return;
    }
  if (role != NULL && !bourse_role_parse (role, &parsed))
    {
      const BourseFieldError errors[] = { { "role", _("must be admin, trader or viewer") } };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, _("Invalid role"), errors, 1);
      return;
    }
  if (status != NULL && !g_str_equal (status, "active") && !g_str_equal (status, "disabled"))
    {
      const BourseFieldError errors[] = { { "status", _("must be active or disabled") } };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, _("Invalid status"), errors, 1);
      return;
    }

  bourse_request_get_context (request, &context);
  if (role != NULL)
    changed = bourse_accounts_set_role (auth, principal->actor, id, parsed, &context, &error);
  else
    changed = bourse_accounts_set_enabled (auth, principal->actor, id, g_str_equal (status, "active"), &context,
                                           &error);
  reply_changed (request, id, changed, error);
}

static void
users_delete_cb (BourseRequest *request,
                 gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if (id == principal->user_id)
    {
      bourse_request_reply_problem (request, SOUP_STATUS_CONFLICT, _("You cannot delete your own account"), NULL, 0);
      return;
    }

  bourse_request_get_context (request, &context);
  if (!bourse_accounts_delete (bourse_request_get_auth (request), principal->actor, id, &context, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

static void
sessions_list_cb (BourseRequest *request,
                  gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) items = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean everyone;

  /* ?scope=own: only the caller's own, even for an administrator (whose
   * default is everyone's), as an account's preferences want. */
  if (!bourse_request_get_scope_query (request, &everyone))
    return;
  items = bourse_accounts_list_sessions (bourse_request_get_auth (request), bourse_request_get_principal (request),
                                         everyone, &error);
  if (items == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_add_value (builder, g_steal_pointer (&items));
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
sessions_delete_cb (BourseRequest *request,
                    gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  bourse_request_get_context (request, &context);
  if (!bourse_accounts_revoke_session (bourse_request_get_auth (request), bourse_request_get_principal (request), id,
                                       &context, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

static void
audit_list_cb (BourseRequest *request,
               gpointer       user_data)
{
  BourseStore *store = bourse_auth_get_store (bourse_request_get_auth (request));
  BourseAuditFilter filter = { 0 };
  gint64 limit = 100, since = BOURSE_TIME_MIN_MS, until = BOURSE_TIME_MAX_MS;
  g_autofree char *since_text = NULL;
  g_autofree char *until_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!bourse_request_get_int_query (request, "limit", 1, 500, &limit)
      || !bourse_request_get_cursor_query (request, &filter.before_id)
      || !bourse_request_get_text_query (request, "actor", 200, &filter.actor)
      || !bourse_request_get_text_query (request, "action", 200, &filter.action)
      || !bourse_request_get_text_query (request, "target", 200, &filter.target)
      || !bourse_request_get_time_query (request, "since", BOURSE_TIME_BOUND_START, &since)
      || !bourse_request_get_time_query (request, "until", BOURSE_TIME_BOUND_END, &until))
    return;
  if (since > until)
    {
      bourse_request_reply_query_error (request, "since", _("must not be after “until”"));
      return;
    }
  /* The audit compares its RFC 3339 text, whichever way the time came. */
  if (bourse_request_get_query (request, "since") != NULL)
    filter.since = since_text = bourse_time_format_rfc3339 (since);
  if (bourse_request_get_query (request, "until") != NULL)
    filter.until = until_text = bourse_time_format_rfc3339 (until);
  filter.limit = (guint) limit;

  entries = bourse_audit_list (store, &filter, &error);
  if (entries == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    json_builder_add_value (builder, bourse_audit_entry_to_json (g_ptr_array_index (entries, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, entries->len == filter.limit && entries->len > 0,
                                       entries->len > 0
                                       ? ((BourseAuditEntry *) g_ptr_array_index (entries, entries->len - 1))->id
                                       : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
audit_verify_cb (BourseRequest *request,
                 gpointer       user_data)
{
  BourseStore *store = bourse_auth_get_store (bourse_request_get_auth (request));
  BourseAuditVerdict verdict = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!bourse_audit_verify (store, &verdict, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, verdict.ok);
  json_builder_set_member_name (builder, "checked");
  json_builder_add_int_value (builder, verdict.checked);
  json_builder_set_member_name (builder, "first_bad_id");
  if (verdict.ok)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, verdict.first_bad_id);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
api_keys_create_cb (BourseRequest *request,
                    gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  const char *name, *role_text;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *key = NULL;
  g_autofree char *expires_at = NULL;
  BourseAuthContext context;
  BourseRole role;
  gboolean expires = FALSE;
  gint64 id = 0, expires_ms = 0;

  if (body == NULL || !bourse_request_get_string_member (request, body, "name", TRUE, &name))
    return;

  role = principal->role;
  if (!bourse_request_get_string_member (request, body, "role", FALSE, &role_text))
    return;
  if (role_text != NULL && !bourse_role_parse (role_text, &role))
    {
      const BourseFieldError errors[] = { { "role", _("must be admin, trader or viewer") } };
      bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, _("Invalid role"), errors, 1);
      return;
    }
  /* A date alone is that day's end: the key works through it. */
  if (!bourse_request_get_time_member (request, body, "expires_at", BOURSE_TIME_BOUND_END, &expires, &expires_ms))
    return;
  if (expires)
    expires_at = bourse_time_format_rfc3339 (expires_ms);

  bourse_request_get_context (request, &context);
  key = bourse_api_keys_create (bourse_request_get_auth (request), principal, name, role, expires_at, &context, &id, &error);
  if (key == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  /* The only time the key is ever shown. */
  soup_message_headers_replace (soup_server_message_get_response_headers (bourse_request_get_message (request)),
                                "Cache-Control", "no-store");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, bourse_role_to_string (role));
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_CREATED, builder);
}

static void
api_keys_list_cb (BourseRequest *request,
                  gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) items = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gboolean everyone;

  if (!bourse_request_get_scope_query (request, &everyone))
    return;
  items = bourse_api_keys_list (bourse_request_get_auth (request), principal->user_id, everyone, &error);
  builder = json_builder_new ();

  if (items == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_add_value (builder, g_steal_pointer (&items));
  bourse_json_builder_add_next_cursor (builder, FALSE, 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
api_keys_delete_cb (BourseRequest *request,
                    gpointer       user_data)
{
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  bourse_request_get_context (request, &context);
  if (!bourse_api_keys_revoke (bourse_request_get_auth (request), bourse_request_get_principal (request), id, &context, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

static const BourseParamDoc scope_params[] = {
  { "scope", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"own\",\"all\"]}",
    "own: only the caller's own, even for an administrator (whose default is everyone's)" },
  { NULL }
};

static const BourseParamDoc users_list_params[] = {
  { "status", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"pending\",\"active\",\"disabled\"]}",
    "Only the accounts of this status" },
  { NULL }
};

static const BourseParamDoc audit_params[] = {
  { "actor", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}", "Who did it" },
  { "action", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}",
    "What was done; ending in \".\", a prefix (\"user.\")" },
  { "target", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"minLength\":1,\"maxLength\":200}",
    "What it was done to (\"user:7\")" },
  { "since", BOURSE_PARAM_QUERY, "TimeInput", "From this time on, inclusive" },
  { "until", BOURSE_PARAM_QUERY, "TimeInput", "Before this time, exclusive; not before since (422 naming since)" },
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}", NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseParamDoc user_id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The account" },
  { NULL }
};

static const BourseParamDoc session_id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The session: the caller's own (administrators: any)" },
  { NULL }
};

static const BourseParamDoc api_key_id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The key: the caller's own (administrators: any)" },
  { NULL }
};

static const BourseRouteSpec auth_routes[] = {
  { "POST", "/api/v1/auth/register", NULL, register_cb, {
      .id = "register", .tag = "Auth", .summary = "Ask for an account",
      .description = "Makes a pending viewer account: an administrator approves it (administrators are told "
                     "on the alerts topic). A role cannot be chosen here: a `role` member is ignored.",
      .request = "RegisterRequest", .status = 201, .response = "User", .errors = "409 422" } },
  { "POST", "/api/v1/auth/login", NULL, login_cb, {
      .id = "login", .tag = "Auth", .summary = "Sign in",
      .description = "401 for a wrong name or password, 403 for a pending or disabled account, 429 (with "
                     "Retry-After) while sign-ins of the account or the address are throttled.",
      .request = "LoginRequest", .response = "Tokens", .errors = "401 403 422" } },
  { "POST", "/api/v1/auth/refresh", NULL, refresh_cb, {
      .id = "refreshTokens", .tag = "Auth", .summary = "Trade a refresh token for new tokens",
      .description = "The refresh token presented is spent; presenting a spent one ends the session (401).",
      .request = "RefreshRequest", .response = "Tokens", .errors = "401 403 422" } },
  { "POST", "/api/v1/auth/logout", "profile.read", logout_cb, {
      .id = "logout", .tag = "Auth", .summary = "End the current session",
      .description = "Its access tokens stop at once.", .status = 204 } },
  { "GET", "/api/v1/users/me", "profile.read", me_cb, {
      .id = "getMe", .tag = "Auth", .summary = "Read the caller's account",
      .response = "Me" } },
  { "GET", "/api/v1/permissions", "profile.read", permissions_cb, {
      .id = "getPermissions", .tag = "Auth", .summary = "Read the caller's permissions and the whole matrix",
      .description = "What the UIs show and enable follows this, never role names of their own.",
      .response = "Permissions" } },
  { "GET", "/api/v1/users", "users.read", users_list_cb, {
      .id = "listUsers", .tag = "Users", .summary = "List the accounts",
      .description = "Pending accounts first. One page: next_cursor is always null.",
      .params = users_list_params, .response = "page:User", .errors = "422" } },
  { "POST", "/api/v1/users", "users.write", users_create_cb, {
      .id = "createUser", .tag = "Users", .summary = "Make an active account",
      .request = "UserCreateRequest", .status = 201, .response = "User", .errors = "409 422" } },
  { "POST", "/api/v1/users/{id}/approve", "users.write", users_approve_cb, {
      .id = "approveUser", .tag = "Users", .summary = "Approve a pending account",
      .params = user_id_params, .response = "User", .errors = "404 409" } },
  { "POST", "/api/v1/users/{id}/decline", "users.write", users_decline_cb, {
      .id = "declineUser", .tag = "Users", .summary = "Decline a pending sign-up",
      .description = "The account is disabled, its username and address stay taken; the person is told the "
                     "reason (the signup.declined notification, by e-mail). 409 naming status unless pending.",
      .params = user_id_params, .request = "UserDeclineRequest", .response = "User", .errors = "404 409 422" } },
  { "PATCH", "/api/v1/users/{id}", "users.write", users_patch_cb, {
      .id = "updateUser", .tag = "Users", .summary = "Re-role, disable or re-enable an account",
      .description = "Applies to the tokens already issued, and to open WebSockets.",
      .params = user_id_params, .request = "UserPatchRequest", .response = "User", .errors = "404 409 422" } },
  { "DELETE", "/api/v1/users/{id}", "users.write", users_delete_cb, {
      .id = "deleteUser", .tag = "Users", .summary = "Delete an account",
      .description = "Not one's own (409).",
      .params = user_id_params, .status = 204, .errors = "404 409" } },
  { "GET", "/api/v1/sessions", "sessions.read", sessions_list_cb, {
      .id = "listSessions", .tag = "Auth", .summary = "List the live sessions",
      .description = "One's own (administrators: everyone's, unless scope=own). One page: next_cursor is "
                     "always null.",
      .params = scope_params, .response = "page:Session", .errors = "422" } },
  { "DELETE", "/api/v1/sessions/{id}", "sessions.revoke", sessions_delete_cb, {
      .id = "revokeSession", .tag = "Auth", .summary = "End a session",
      .params = session_id_params, .status = 204, .errors = "404" } },
  { "POST", "/api/v1/api-keys", "api_keys.write", api_keys_create_cb, {
      .id = "createApiKey", .tag = "Auth", .summary = "Make an API key",
      .description = "The key is in this answer only. The desktop's owner, who has no account, cannot make "
                     "one (409).",
      .request = "ApiKeyRequest", .status = 201, .response = "ApiKeyCreated", .errors = "409 422" } },
  { "GET", "/api/v1/api-keys", "api_keys.read", api_keys_list_cb, {
      .id = "listApiKeys", .tag = "Auth", .summary = "List API keys",
      .description = "One's own (administrators: everyone's, unless scope=own), never the key itself. One "
                     "page: next_cursor is always null.",
      .params = scope_params, .response = "page:ApiKey", .errors = "422" } },
  { "DELETE", "/api/v1/api-keys/{id}", "api_keys.write", api_keys_delete_cb, {
      .id = "revokeApiKey", .tag = "Auth", .summary = "Revoke an API key",
      .description = "Refused at once, and the WebSockets it opened closed.",
      .params = api_key_id_params, .status = 204, .errors = "404" } },
  { "GET", "/api/v1/audit", "audit.read", audit_list_cb, {
      .id = "listAudit", .tag = "Users", .summary = "Read the audit trail",
      .description = "Newest first.",
      .params = audit_params, .response = "page:AuditEntry", .errors = "422" } },
  { "GET", "/api/v1/audit/verify", "audit.read", audit_verify_cb, {
      .id = "verifyAudit", .tag = "Users", .summary = "Check the audit trail's hash chain",
      .response = "AuditVerdict" } },
};

void
_bourse_server_add_auth_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, auth_routes, G_N_ELEMENTS (auth_routes), self);
}
