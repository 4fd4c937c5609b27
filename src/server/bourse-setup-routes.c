/* bourse-setup-routes.c — first run: the first administrator, made from a one-time URL
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fresh boursed has no account, and the web console's sign-in form has
 * nobody to sign in. When no account exists, `boursed serve` asks for a
 * setup URL (bourse_server_open_setup ()) and prints it beside its
 * "Listening on" line, as Jupyter does; whoever can read the daemon's
 * output opens it and makes the first administrator. The token travels in
 * the URL's fragment, so that it reaches no access log and no Referer.
 *
 * The token lives only in this process, as a hash: a restart prints a new
 * one, and it works once. The desktop's embedded engine never opens setup:
 * its owner is signed in locally (bourse_auth_get_local_token ()).
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "bourse-server-private.h"

#define SETUP_TOKEN_BYTES 32   /* 256 random bits */

/* Whether setup is still to be done here: opened by this process, not yet
 * done, and no account made meanwhile (say by `boursed user add`). */
static gboolean
setup_is_open (BourseServer *self)
{
  BourseStore *store = bourse_engine_get_store (self->engine);
  g_autoptr(GError) error = NULL;
  gint64 count;

  if (!self->setup_open)
    return FALSE;
  if ((count = bourse_users_count (store, &error)) != 0)
    {
      if (count < 0)
        g_warning ("Cannot count the accounts: %s", error->message);
      else
        self->setup_open = FALSE;
      return FALSE;
    }
  return TRUE;
}

static void
setup_close (BourseServer *self)
{
  self->setup_open = FALSE;
  sodium_memzero (self->setup_hash, sizeof self->setup_hash);
}

char *
bourse_server_open_setup (BourseServer  *self,
                          GError       **error)
{
  guint8 bytes[SETUP_TOKEN_BYTES];
  char token[sodium_base64_ENCODED_LEN (SETUP_TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  char *url;
  gint64 count;

  g_return_val_if_fail (BOURSE_IS_SERVER (self), NULL);
  g_return_val_if_fail (self->url != NULL, NULL);

  if ((count = bourse_users_count (bourse_engine_get_store (self->engine), error)) != 0)
    return NULL;

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (token, sizeof token, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  crypto_generichash (self->setup_hash, sizeof self->setup_hash, (const guint8 *) token, strlen (token), NULL, 0);
  self->setup_open = TRUE;
  self->setup_running = FALSE;

  url = g_strconcat (self->url, "setup#token=", token, NULL);
  sodium_memzero (bytes, sizeof bytes);
  sodium_memzero (token, sizeof token);
  return url;
}

/* In constant time: only hashes of equal length are compared. */
static gboolean
setup_token_matches (BourseServer *self,
                     const char   *token)
{
  guint8 hash[sizeof self->setup_hash];

  crypto_generichash (hash, sizeof hash, (const guint8 *) token, strlen (token), NULL, 0);
  return sodium_memcmp (hash, self->setup_hash, sizeof hash) == 0;
}

static void
setup_status_cb (BourseRequest *request,
                 gpointer       user_data)
{
  BourseServer *self = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "needed");
  json_builder_add_boolean_value (builder, setup_is_open (self) && !self->setup_running);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

typedef struct
{
  BourseServer      *server;
  BourseRequestHold *hold;
} Setup;

static void
setup_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Setup *setup = user_data;
  BourseRequest *request = bourse_request_hold_get_request (setup->hold);
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseTokens) tokens = bourse_auth_create_first_admin_finish (BOURSE_AUTH (object), result, &error);

  setup->server->setup_running = FALSE;
  /* Works once: made, or made by someone else meanwhile. A name or a
   * password refused leaves it open for a second try. */
  if (tokens != NULL || g_error_matches (error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_CONFLICT))
    setup_close (setup->server);
  if (tokens != NULL)
    g_message ("The first administrator is set up");

  if (request != NULL)
    {
      if (tokens != NULL)
        _bourse_server_reply_tokens (request, SOUP_STATUS_CREATED, tokens);
      else
        bourse_request_reply_error (request, error, 0);
    }
  bourse_request_hold_release (setup->hold);
  g_object_unref (setup->server);
  g_free (setup);
}

static void
setup_cb (BourseRequest *request,
          gpointer       user_data)
{
  BourseServer *self = user_data;
  JsonObject *body = bourse_request_get_json_object (request);
  const char *token, *username, *password, *email;
  g_autofree char *default_email = NULL;
  BourseAuthContext context;
  Setup *setup;

  if (body == NULL
      || !bourse_request_get_string_member (request, body, "token", TRUE, &token)
      || !bourse_request_get_string_member (request, body, "username", TRUE, &username)
      || !bourse_request_get_string_member (request, body, "password", TRUE, &password)
      || !bourse_request_get_string_member (request, body, "email", FALSE, &email))
    return;

  /* A second use, one under way, or an account made otherwise. */
  if (!setup_is_open (self) || self->setup_running)
    {
      const BourseFieldError errors[] = { { "token", _("has been used: Bourse is set up; sign in") } };
      bourse_request_reply_problem (request, SOUP_STATUS_CONFLICT, _("Bourse is already set up"), errors, 1);
      return;
    }
  if (!setup_token_matches (self, token))
    {
      const BourseFieldError errors[] = {
        { "token", _("is not this server’s: open the setup address that boursed printed") }
      };
      bourse_request_reply_problem (request, SOUP_STATUS_FORBIDDEN, _("Wrong setup token"), errors, 1);
      return;
    }

  /* As `boursed user add` does when no address is given. */
  if (email == NULL)
    email = default_email = g_strconcat (username, "@localhost.invalid", NULL);

  self->setup_running = TRUE;
  bourse_request_get_context (request, &context);
  setup = g_new0 (Setup, 1);
  setup->server = g_object_ref (self);
  setup->hold = bourse_request_hold (request);
  bourse_auth_create_first_admin_async (bourse_request_get_auth (request), username, email, password, &context,
                                        NULL, setup_done_cb, setup);
}

static const BourseRouteSpec setup_routes[] = {
  { "GET", "/api/v1/setup", NULL, setup_status_cb, {
      .id = "getSetup", .tag = "Auth", .summary = "Tell whether the first administrator is still to be made",
      .description = "`needed` is true while no account exists and this boursed printed a setup address "
                     "(`Set up Bourse: http://…/setup#token=…`) that has not been used. The desktop's own "
                     "engine never needs it: its owner is signed in locally.",
      .response = "SetupStatus" } },
  { "POST", "/api/v1/setup", NULL, setup_cb, {
      .id = "setUp", .tag = "Auth", .summary = "Make the first administrator",
      .description = "With the token of the setup address boursed printed when it started without any "
                     "account. Makes an active administrator (the rules of registration apply to the "
                     "username and password) and signs it in: the answer is POST /api/v1/auth/login's. "
                     "The token works once, and only in the process that printed it. A wrong token is 403 "
                     "naming `token`; setup done (or any account existing) is 409.",
      .request = "SetupRequest", .status = 201, .response = "SetupTokens",
      .errors = "403 409 422" } },
};

void
_bourse_server_add_setup_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, setup_routes, G_N_ELEMENTS (setup_routes), self);
}
