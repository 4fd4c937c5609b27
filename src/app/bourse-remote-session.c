/* bourse-remote-session.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "client/bourse-client.h"
#include "core/bourse-json.h"

#include "bourse-app-util.h"
#include "bourse-remote-session.h"

/* Refresh this long before the access token expires, or at three
 * quarters of a short lifetime; after a failure that is not a refusal
 * (the server away for a moment), try again after a while. */
#define REFRESH_MARGIN_S  60
#define REFRESH_RETRY_S   30

struct _BourseRemoteSession
{
  GObject       parent_instance;

  char         *url;
  char         *username;
  char         *access_token;
  char         *refresh_token;
  gboolean      remember;

  BourseClient *client;           /* anonymous: the auth routes are public */
  GCancellable *cancellable;      /* background refreshes */
  GPtrArray    *refresh_waiters;  /* GTasks waiting for the refresh in flight */
  guint         refresh_id;
};

G_DEFINE_FINAL_TYPE (BourseRemoteSession, bourse_remote_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_USERNAME,
  PROP_ACCESS_TOKEN,
  N_PROPS
};

enum {
  EXPIRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void bourse_remote_session_schedule_refresh (BourseRemoteSession *self,
                                                    guint                delay_s);

static const SecretSchema *
connection_schema (void)
{
  static const SecretSchema schema = {
    "io.github.bourse.Bourse.Connection", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* Tokens do not linger in freed memory. */
static void
wipe (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

/* Keyring {{{ */

static void
bourse_remote_session_keyring_done_cb (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  gboolean storing = GPOINTER_TO_INT (user_data);
  g_autoptr(GError) error = NULL;

  if (storing)
    secret_password_store_finish (result, &error);
  else
    secret_password_clear_finish (result, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not %s the sign-in in the keyring: %s",
               storing ? "remember" : "forget", error->message);
}

static void
bourse_remote_session_forget (BourseRemoteSession *self)
{
  secret_password_clear (connection_schema (), NULL,
                         bourse_remote_session_keyring_done_cb, GINT_TO_POINTER (FALSE),
                         "url", self->url,
                         NULL);
}

/* What the next launch needs: who, and the refresh token, which changes
 * with every refresh. */
static void
bourse_remote_session_store (BourseRemoteSession *self)
{
  g_autoptr(JsonNode) secret = NULL;
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;

  if (self->refresh_token == NULL)
    return;

  secret = bourse_json_new_object ("username", self->username ? self->username : "",
                                   "refresh_token", self->refresh_token,
                                   NULL);
  text = json_to_string (secret, FALSE);
  /* Translators: the keyring item's name; %s is the server's address */
  label = g_strdup_printf (_("Bourse sign-in to %s"), self->url);

  /* Not cancelled with us: quitting mid-write would leave the spent
   * refresh token behind. */
  secret_password_store (connection_schema (), SECRET_COLLECTION_DEFAULT, label, text,
                         NULL,
                         bourse_remote_session_keyring_done_cb, GINT_TO_POINTER (TRUE),
                         "url", self->url,
                         NULL);
  explicit_bzero (text, strlen (text));
}

/* }}} */

/* Tokens {{{ */

static void
bourse_remote_session_clear_tokens (BourseRemoteSession *self)
{
  gboolean had_access = self->access_token != NULL;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  wipe (&self->access_token);
  wipe (&self->refresh_token);

  if (had_access)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_TOKEN]);
}

static gboolean
bourse_remote_session_take_tokens (BourseRemoteSession  *self,
                                   JsonNode             *answer,
                                   GError              **error)
{
  JsonObject *tokens = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  const char *access_token = bourse_json_get_string (tokens, "access_token");
  const char *refresh_token = bourse_json_get_string (tokens, "refresh_token");
  gint64 expires_in = 0;

  if (access_token == NULL || refresh_token == NULL ||
      !bourse_json_get_int (tokens, "expires_in", &expires_in) || expires_in <= 0)
    {
      g_set_error (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_PROTOCOL,
                   _("The server sent an invalid answer to the sign-in"));
      return FALSE;
    }

  wipe (&self->refresh_token);
  self->refresh_token = g_strdup (refresh_token);
  wipe (&self->access_token);
  self->access_token = g_strdup (access_token);

  bourse_remote_session_schedule_refresh (self,
                                          expires_in > 2 * REFRESH_MARGIN_S
                                          ? (guint) (expires_in - REFRESH_MARGIN_S)
                                          : (guint) MAX (expires_in * 3 / 4, 1));

  if (self->remember)
    bourse_remote_session_store (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCESS_TOKEN]);
  return TRUE;
}

static void
bourse_remote_session_set_username (BourseRemoteSession *self,
                                    const char          *username)
{
  if (g_strcmp0 (self->username, username) == 0)
    return;

  g_free (self->username);
  self->username = g_strdup (username);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

/* }}} */

/* Refresh {{{ */

static void
bourse_remote_session_complete_refresh (BourseRemoteSession *self,
                                        const GError        *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->refresh_waiters);

  self->refresh_waiters = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
bourse_remote_session_refresh_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseRemoteSession) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error);

  if (answer != NULL)
    bourse_remote_session_take_tokens (self, answer, &error);
  else if (g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_UNAUTHORIZED))
    {
      /* Spent, revoked or expired: this session is over, and so is what
       * the keyring remembered of it. */
      gboolean was_signed_in = self->access_token != NULL;

      if (self->remember)
        bourse_remote_session_forget (self);
      bourse_remote_session_clear_tokens (self);

      if (was_signed_in)
        g_signal_emit (self, signals[EXPIRED], 0);
    }

  bourse_remote_session_complete_refresh (self, error);
}

void
bourse_remote_session_refresh_async (BourseRemoteSession *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BOURSE_IS_REMOTE_SESSION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_remote_session_refresh_async);

  if (self->refresh_token == NULL)
    {
      g_task_return_new_error (task, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_UNAUTHORIZED,
                               _("Not signed in"));
      return;
    }

  /* A refresh token is good for one refresh only: two in flight would
   * spend it twice, which the server takes for theft. */
  g_ptr_array_add (self->refresh_waiters, g_steal_pointer (&task));
  if (self->refresh_waiters->len > 1)
    return;

  body = bourse_json_new_object ("refresh_token", self->refresh_token, NULL);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/auth/refresh", body,
                                    self->cancellable,
                                    bourse_remote_session_refresh_cb, g_object_ref (self));
}

gboolean
bourse_remote_session_refresh_finish (BourseRemoteSession  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (BOURSE_IS_REMOTE_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
bourse_remote_session_timed_refresh_cb (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  BourseRemoteSession *self = BOURSE_REMOTE_SESSION (object);
  g_autoptr(GError) error = NULL;

  if (bourse_remote_session_refresh_finish (self, result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_UNAUTHORIZED))
    return;

  g_message ("Could not refresh the sign-in to %s, trying again in %d s: %s",
             self->url, REFRESH_RETRY_S, error->message);
  bourse_remote_session_schedule_refresh (self, REFRESH_RETRY_S);
}

static gboolean
bourse_remote_session_refresh_timeout_cb (gpointer user_data)
{
  BourseRemoteSession *self = user_data;

  self->refresh_id = 0;
  bourse_remote_session_refresh_async (self, NULL, bourse_remote_session_timed_refresh_cb, NULL);

  return G_SOURCE_REMOVE;
}

static void
bourse_remote_session_schedule_refresh (BourseRemoteSession *self,
                                        guint                delay_s)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_id = g_timeout_add_seconds (delay_s, bourse_remote_session_refresh_timeout_cb, self);
}

/* }}} */

/* Login {{{ */

static void
bourse_remote_session_login_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseRemoteSession *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  bourse_remote_session_set_username (self, g_task_get_task_data (task));

  /* Unticked: whatever an earlier launch remembered goes too. */
  if (!self->remember)
    bourse_remote_session_forget (self);

  if (!bourse_remote_session_take_tokens (self, answer, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
bourse_remote_session_login_async (BourseRemoteSession *self,
                                   const char          *login,
                                   const char          *password,
                                   gboolean             remember,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BOURSE_IS_REMOTE_SESSION (self));
  g_return_if_fail (login != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_remote_session_login_async);
  g_task_set_task_data (task, g_strdup (login), g_free);

  self->remember = !!remember;
  body = bourse_json_new_object (strchr (login, '@') ? "email" : "username", login,
                                 "password", password,
                                 NULL);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/auth/login", body, cancellable,
                                    bourse_remote_session_login_cb, g_steal_pointer (&task));
}

gboolean
bourse_remote_session_login_finish (BourseRemoteSession  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (BOURSE_IS_REMOTE_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */

/* Restore {{{ */

static void
bourse_remote_session_restore_refresh_cb (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bourse_remote_session_refresh_finish (BOURSE_REMOTE_SESSION (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
bourse_remote_session_lookup_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseRemoteSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stored = NULL;
  char *secret;
  GCancellable *cancellable;
  JsonObject *object_;
  const char *refresh_token;

  secret = secret_password_lookup_finish (result, &error);

  if (g_task_return_error_if_cancelled (task))
    {
      secret_password_free (secret);
      return;
    }

  /* No keyring at all is like an empty one: sign in by hand. */
  if (secret == NULL)
    {
      if (error != NULL)
        g_debug ("No remembered sign-in (%s)", error->message);
      g_task_return_boolean (task, FALSE);
      return;
    }

  stored = bourse_json_parse (secret, strlen (secret), 0, NULL);
  secret_password_free (secret);

  object_ = stored != NULL && JSON_NODE_HOLDS_OBJECT (stored) ? json_node_get_object (stored) : NULL;
  refresh_token = bourse_json_get_string (object_, "refresh_token");
  if (refresh_token == NULL)
    {
      g_message ("Ignoring an unreadable sign-in remembered for %s", self->url);
      g_task_return_boolean (task, FALSE);
      return;
    }

  bourse_remote_session_set_username (self, bourse_json_get_string (object_, "username"));
  wipe (&self->refresh_token);
  self->refresh_token = g_strdup (refresh_token);
  self->remember = TRUE;

  cancellable = g_task_get_cancellable (task);
  bourse_remote_session_refresh_async (self, cancellable,
                                       bourse_remote_session_restore_refresh_cb,
                                       g_steal_pointer (&task));
}

void
bourse_remote_session_restore_async (BourseRemoteSession *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BOURSE_IS_REMOTE_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_remote_session_restore_async);

  secret_password_lookup (connection_schema (), cancellable,
                          bourse_remote_session_lookup_cb, g_steal_pointer (&task),
                          "url", self->url,
                          NULL);
}

gboolean
bourse_remote_session_restore_finish (BourseRemoteSession  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (BOURSE_IS_REMOTE_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */

void
bourse_remote_session_sign_out (BourseRemoteSession *self)
{
  g_return_if_fail (BOURSE_IS_REMOTE_SESSION (self));

  bourse_remote_session_forget (self);
  self->remember = FALSE;
  bourse_remote_session_clear_tokens (self);
}

const char *
bourse_remote_session_get_url (BourseRemoteSession *self)
{
  g_return_val_if_fail (BOURSE_IS_REMOTE_SESSION (self), NULL);

  return self->url;
}

const char *
bourse_remote_session_get_username (BourseRemoteSession *self)
{
  g_return_val_if_fail (BOURSE_IS_REMOTE_SESSION (self), NULL);

  return self->username;
}

const char *
bourse_remote_session_get_access_token (BourseRemoteSession *self)
{
  g_return_val_if_fail (BOURSE_IS_REMOTE_SESSION (self), NULL);

  return self->access_token;
}

gboolean
bourse_remote_session_get_remember (BourseRemoteSession *self)
{
  g_return_val_if_fail (BOURSE_IS_REMOTE_SESSION (self), FALSE);

  return self->remember;
}

static void
bourse_remote_session_constructed (GObject *object)
{
  BourseRemoteSession *self = (BourseRemoteSession *)object;

  G_OBJECT_CLASS (bourse_remote_session_parent_class)->constructed (object);

  self->client = bourse_client_new (self->url ? self->url : "");
}

static void
bourse_remote_session_dispose (GObject *object)
{
  BourseRemoteSession *self = (BourseRemoteSession *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (bourse_remote_session_parent_class)->dispose (object);
}

static void
bourse_remote_session_finalize (GObject *object)
{
  BourseRemoteSession *self = (BourseRemoteSession *)object;

  g_assert (self->refresh_waiters->len == 0);

  wipe (&self->access_token);
  wipe (&self->refresh_token);
  g_clear_pointer (&self->refresh_waiters, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->username, g_free);

  G_OBJECT_CLASS (bourse_remote_session_parent_class)->finalize (object);
}

static void
bourse_remote_session_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BourseRemoteSession *self = BOURSE_REMOTE_SESSION (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_ACCESS_TOKEN:
      g_value_set_string (value, self->access_token);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_remote_session_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BourseRemoteSession *self = BOURSE_REMOTE_SESSION (object);

  switch (prop_id)
    {
    case PROP_URL:
      self->url = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_remote_session_class_init (BourseRemoteSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bourse_remote_session_constructed;
  object_class->dispose = bourse_remote_session_dispose;
  object_class->finalize = bourse_remote_session_finalize;
  object_class->get_property = bourse_remote_session_get_property;
  object_class->set_property = bourse_remote_session_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ACCESS_TOKEN] =
    g_param_spec_string ("access-token", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseRemoteSession::expired:
   *
   * The server refused to refresh the session (it was revoked, or has
   * expired): the user must sign in again.
   */
  signals[EXPIRED] =
    g_signal_new ("expired",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
bourse_remote_session_init (BourseRemoteSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->refresh_waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

BourseRemoteSession *
bourse_remote_session_new (const char *url)
{
  g_return_val_if_fail (url != NULL, NULL);

  return g_object_new (BOURSE_TYPE_REMOTE_SESSION,
                       "url", url,
                       NULL);
}
