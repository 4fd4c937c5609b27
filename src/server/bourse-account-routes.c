/* bourse-account-routes.c — password resets and the caller's own profile
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "auth/bourse-accounts.h"
#include "auth/bourse-password.h"
#include "auth/bourse-password-reset.h"
#include "core/bourse-time.h"

#include "bourse-server-private.h"

static void
forget (char *secret)
{
  if (secret != NULL)
    sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

typedef char SecretText;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretText, forget)

/* A token and its expiry, or NULL with error set. */
static char *
create_reset (BourseRequest  *request,
              const char     *actor,
              gint64          user_id,
              const char     *requested_by,
              char          **expires_at,
              GError        **error)
{
  BourseAuth *auth = bourse_request_get_auth (request);
  g_autoptr(SecretText) token = NULL;
  BourseAuthContext context;

  bourse_request_get_context (request, &context);
  token = bourse_password_reset_create (auth, actor, user_id, requested_by, &context, error);
  if (token == NULL || (*expires_at = bourse_password_reset_dup_expiry (auth, token, error)) == NULL)
    return NULL;
  return g_steal_pointer (&token);
}

static void
users_reset_password_cb (BourseRequest *request,
                         gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(SecretText) token = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expires_at = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  if ((token = create_reset (request, principal->actor, id, principal->actor, &expires_at, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  /* The token also goes to the user by e-mail (a password.reset
   * notification); the admin may still pass it on when mail is not set up. */
  soup_message_headers_replace (soup_server_message_get_response_headers (bourse_request_get_message (request)),
                                "Cache-Control", "no-store");
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reset_token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_at);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_CREATED, builder);
}

/* The administrators learn that someone asked; the token itself is made
 * only by an administrator (POST /users/{id}/reset-password) and travels in
 * that REST answer alone: nothing secret is ever published on a topic,
 * whose subscribers may change under it. */
static void
publish_reset_alert (BourseServer     *self,
                     const BourseUser *user)
{
  g_autoptr(JsonBuilder) alert = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *now = bourse_time_format_rfc3339 (bourse_time_now_ms ());

  json_builder_begin_object (alert);
  json_builder_set_member_name (alert, "kind");
  json_builder_add_string_value (alert, "user.password-reset-requested");
  json_builder_set_member_name (alert, "user_id");
  json_builder_add_int_value (alert, user->id);
  json_builder_set_member_name (alert, "username");
  json_builder_add_string_value (alert, user->username);
  json_builder_set_member_name (alert, "requested_at");
  json_builder_add_string_value (alert, now);
  json_builder_end_object (alert);
  node = json_builder_get_root (alert);
  bourse_event_bus_publish (bourse_engine_get_event_bus (self->engine), "alerts", node);
}

static void
reset_request_cb (BourseRequest *request,
                  gpointer       user_data)
{
  BourseServer *self = user_data;
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseUser) user = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  const char *login = NULL;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "username", FALSE, &login)
      || (login == NULL && !bourse_request_get_string_member (request, body, "email", FALSE, &login)))
    return;
  if (login == NULL)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "username",
                         _("give a username or an e-mail address"));
      return;
    }

  user = bourse_users_find_by_login (bourse_auth_get_store (bourse_request_get_auth (request)), login, &error);
  if (error != NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  /* Unknown, pending, disabled and system accounts get the same answer, so
   * this cannot tell anyone which accounts exist. */
  if (user != NULL && g_str_equal (user->status, "active") && bourse_password_reset_check_account (user, NULL))
    {
      g_autoptr(SecretText) token = NULL;
      g_autofree char *expires_at = NULL;
      g_autoptr(GError) reset_error = NULL;

      /* The link goes to the account's own address (password.reset). */
      if ((token = create_reset (request, NULL, user->id, "self", &expires_at, &reset_error)) == NULL)
        g_warning ("Cannot make a password reset for user %" G_GINT64_FORMAT ": %s", user->id,
                   reset_error->message);
      publish_reset_alert (self, user);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, _("If this account exists, a link to choose a new password is on "
                                            "its way to its e-mail address"));
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_ACCEPTED, builder);
}

static void
reset_confirm_cb (BourseRequest *request,
                  gpointer       user_data)
{
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(GError) error = NULL;
  const char *token, *password;
  BourseAuthContext context;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "token", TRUE, &token)
      || !bourse_request_get_string_member (request, body, "new_password", TRUE, &password))
    return;

  bourse_request_get_context (request, &context);
  if (!bourse_password_reset_confirm (bourse_request_get_auth (request), token, password, &context, &error))
    {
      /* The policy speaks of "password"; here the field is new_password. */
      if (g_error_matches (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_PASSWORD))
        bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "new_password", error->message);
      else
        bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

/* The account, or NULL once a 404 (or 500) is answered. */
static BourseUser *
find_user (BourseRequest *request,
           gint64         id)
{
  g_autoptr(GError) error = NULL;
  BourseUser *user = bourse_users_find_by_id (bourse_auth_get_store (bourse_request_get_auth (request)), id, &error);

  if (user == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_NOT_FOUND, _("No such user"));
      bourse_request_reply_error (request, error, 0);
    }
  return user;
}

/* Answers the profile change once the account and its new values are
 * known good, and the new password (if any) hashed. */
static void
finish_profile (BourseRequest *request,
                gint64         user_id,
                const char    *email,
                const char    *password_hash)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(BourseUser) changed = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;

  bourse_request_get_context (request, &context);
  if (!bourse_accounts_update_profile (bourse_request_get_auth (request), principal->actor, user_id, email,
                                       password_hash, principal->session_id, &context, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  if ((changed = find_user (request, user_id)) != NULL)
    {
      node = bourse_user_to_json (changed);
      bourse_request_reply_json (request, SOUP_STATUS_OK, node);
    }
}

typedef struct
{
  BourseRequestHold *hold;
  gint64             user_id;
  char              *email;
} ProfileChange;

static void
profile_change_free (ProfileChange *change)
{
  g_free (change->email);
  g_free (change);
}

/* The current password proves it is the account holder, not someone who
 * found a signed-in screen or a stolen token. Failures are audited, and
 * count against the account's sign-in throttle. */
static void
password_checked_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ProfileChange *change = user_data;
  BourseRequest *request = bourse_request_hold_get_request (change->hold);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  guint retry_after = 0;

  hash = bourse_auth_change_password_finish (BOURSE_AUTH (object), result, &retry_after, &error);
  if (request == NULL)
    ;
  else if (hash != NULL)
    finish_profile (request, change->user_id, change->email, hash);
  else if (g_error_matches (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED))
    {
      const BoursePrincipal *principal = bourse_request_get_principal (request);
      g_autofree char *target = g_strdup_printf ("user:%" G_GINT64_FORMAT, change->user_id);
      g_autoptr(JsonNode) details = json_node_new (JSON_NODE_OBJECT);
      BourseAuthContext context;

      json_node_take_object (details, json_object_new ());
      json_object_set_string_member (json_node_get_object (details), "reason", "current_password");
      bourse_request_get_context (request, &context);
      bourse_auth_audit (bourse_request_get_auth (request), principal->actor, "user.profile.refused", target,
                         details, &context, NULL);
      bourse_request_reply_field_error (request, SOUP_STATUS_FORBIDDEN, "current_password",
                                        _("The current password is wrong"));
    }
  else
    bourse_request_reply_error (request, error, retry_after);

  bourse_request_hold_release (change->hold);
  profile_change_free (change);
}

static void
me_patch_cb (BourseRequest *request,
             gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const char *email, *password, *current = NULL;
  ProfileChange *change;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "email", FALSE, &email)
      || !bourse_request_get_string_member (request, body, "password", FALSE, &password))
    return;
  if (email == NULL && password == NULL)
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "email",
                         _("Give a new “email”, or a new “password” with the “current_password”"));
      return;
    }
  if (principal->user_id == 0)
    {
      bourse_request_reply_problem (request, SOUP_STATUS_CONFLICT,
                                    _("The desktop owner has no account to change"), NULL, 0);
      return;
    }

  if ((user = find_user (request, principal->user_id)) == NULL)
    return;
  if (email != NULL && !bourse_accounts_check_new_email (bourse_request_get_auth (request), user->id, email, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  if (password == NULL)
    {
      finish_profile (request, user->id, email, NULL);
      return;
    }

  if (!bourse_request_get_string_member (request, body, "current_password", TRUE, &current))
    return;
  if (!bourse_password_reset_check_account (user, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  if (!bourse_password_check_policy (password, &error))
    {
      g_autoptr(GError) field_error = g_error_new_literal (BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_INVALID_PASSWORD,
                                                           error->message);
      bourse_request_reply_error (request, field_error, 0);
      return;
    }

  /* Checking the current password and hashing the new one cost ~100 ms of
   * a core: in a worker, the answer comes back here. */
  change = g_new0 (ProfileChange, 1);
  change->user_id = user->id;
  change->email = g_strdup (email);
  change->hold = bourse_request_hold (request);
  bourse_auth_change_password_async (bourse_request_get_auth (request), user, current, password, NULL,
                                     password_checked_cb, change);
}

static const BourseParamDoc user_id_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The account" },
  { NULL }
};

static const BourseRouteSpec account_routes[] = {
  { "POST", "/api/v1/users/{id}/reset-password", "users.write", users_reset_password_cb, {
      .id = "createPasswordReset", .tag = "Users", .summary = "Make a password reset token for an account",
      .description = "For the administrator to pass on (valid 30 minutes, one use); it is in this answer only. "
                     "409 for an account whose password the system holds (PAM).",
      .params = user_id_params, .status = 201, .response = "PasswordResetToken", .errors = "404 409" } },
  { "POST", "/api/v1/auth/password-reset/request", NULL, reset_request_cb, {
      .id = "requestPasswordReset", .tag = "Auth", .summary = "Ask for a password reset",
      .description = "Always 202, whether or not the account exists; administrators are told on the alerts "
                     "topic (with no token).",
      .request = "PasswordResetRequest", .status = 202, .response = "PasswordResetAccepted", .errors = "422" } },
  { "POST", "/api/v1/auth/password-reset/confirm", NULL, reset_confirm_cb, {
      .id = "confirmPasswordReset", .tag = "Auth", .summary = "Choose a new password with a reset token",
      .description = "Ends every session of the account. 401 for a token that is unknown, spent or expired; "
                     "422 naming new_password when the policy refuses it.",
      .request = "PasswordResetConfirm", .status = 204, .errors = "401 409 422" } },
  { "PATCH", "/api/v1/users/me", "profile.write", me_patch_cb, {
      .id = "updateMe", .tag = "Auth", .summary = "Change the caller's e-mail address or password",
      .description = "A password change ends the caller's other sessions. 403 naming current_password when it "
                     "is wrong (throttled like sign-ins: 429); 409 for the desktop's owner, who has no account, "
                     "and for an account whose password the system holds (PAM).",
      .request = "ProfilePatchRequest", .response = "User", .errors = "403 404 409 422" } },
};

void
_bourse_server_add_account_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, account_routes, G_N_ELEMENTS (account_routes), self);
}
