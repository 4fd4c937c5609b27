/* bourse-notifier-push.c — the "push" channel: Firebase Cloud Messaging HTTP v1
 *
 * FCM takes an OAuth access token, which Google mints for a JWT signed with
 * the service account's RSA key (RFC 7523 bearer grant). Minting costs a
 * round trip and a signature, so the token is kept until a minute before it
 * expires, or until FCM answers 401.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <libsoup/soup.h>

#include "core/bourse-json.h"

#include "bourse-notifier-push.h"

#define MAX_ANSWER_BYTES      (64 * 1024)
#define FCM_SCOPE             "https://www.googleapis.com/auth/firebase.messaging"
#define JWT_BEARER_GRANT      "urn:ietf:params:oauth:grant-type:jwt-bearer"
#define ASSERTION_LIFETIME_S  3600
/* A token is dropped this long before Google says it expires. */
#define TOKEN_MARGIN_S        60

struct _BourseNotifierPush
{
  BourseNotifierBase  parent_instance;


  char           *access_token;
  gint64          token_expires_at;  /* monotonic µs */
  char           *token_owner;       /* digest of the key and endpoint it was minted with */
};

static void bourse_notifier_push_iface_init (BourseNotifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseNotifierPush, bourse_notifier_push, BOURSE_TYPE_NOTIFIER_BASE,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_NOTIFIER,
                                                      bourse_notifier_push_iface_init))

typedef struct
{
  GBytes *body;       /* the FCM request */
  char   *send_url;
  char   *owner;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data->send_url);
  g_free (data->owner);
  g_free (data);
}

static void
drop_token (BourseNotifierPush *self)
{
  g_clear_pointer (&self->access_token, bourse_notifier_secret_free);
  g_clear_pointer (&self->token_owner, g_free);
  self->token_expires_at = 0;
}

/* The JWT {{{ */

static char *
base64url_encode (const guchar *data,
                  gsize         length)
{
  char *text = g_base64_encode (data, length);
  char *end;

  for (char *p = text; *p != '\0'; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
  end = strchr (text, '=');
  if (end != NULL)
    *end = '\0';
  return text;
}

static char *
base64url_encode_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize length = 0;
  g_autofree char *text = bourse_json_to_string (root, &length);

  return base64url_encode ((const guchar *) text, length);
}

/* RFC 7515 compact serialisation of the claims Google's token endpoint
 * wants, signed RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
static char *
sign_assertion (JsonObject  *account,
                const char  *audience,
                GError     **error)
{
  const char *email = bourse_json_get_string (account, "client_email");
  const char *key_id = bourse_json_get_string (account, "private_key_id");
  const char *pem = bourse_json_get_string (account, "private_key");
  g_autoptr(JsonBuilder) header = json_builder_new ();
  g_autoptr(JsonBuilder) claims = json_builder_new ();
  g_autofree char *encoded_header = NULL;
  g_autofree char *encoded_claims = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *encoded_signature = NULL;
  gnutls_privkey_t key = NULL;
  gnutls_datum_t key_data;
  gnutls_datum_t data;
  gnutls_datum_t signature = { NULL, 0 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int ret;

  if (email == NULL || pem == NULL)
    {
      g_set_error (error, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                   _("notify.fcm_service_account has no client_email or private_key"));
      return NULL;
    }

  json_builder_begin_object (header);
  bourse_json_builder_add_string (header, "alg", "RS256");
  bourse_json_builder_add_string (header, "typ", "JWT");
  if (key_id != NULL)
    bourse_json_builder_add_string (header, "kid", key_id);
  json_builder_end_object (header);

  json_builder_begin_object (claims);
  bourse_json_builder_add_string (claims, "iss", email);
  bourse_json_builder_add_string (claims, "scope", FCM_SCOPE);
  bourse_json_builder_add_string (claims, "aud", audience);
  bourse_json_builder_add_int (claims, "iat", now);
  bourse_json_builder_add_int (claims, "exp", now + ASSERTION_LIFETIME_S);
  json_builder_end_object (claims);

  encoded_header = base64url_encode_json (header);
  encoded_claims = base64url_encode_json (claims);
  signing_input = g_strconcat (encoded_header, ".", encoded_claims, NULL);

  key_data.data = (unsigned char *) pem;
  key_data.size = strlen (pem);
  data.data = (unsigned char *) signing_input;
  data.size = strlen (signing_input);
  ret = gnutls_privkey_init (&key);
  if (ret >= 0)
    ret = gnutls_privkey_import_x509_raw (key, &key_data, GNUTLS_X509_FMT_PEM, NULL, 0);
  if (ret >= 0 && gnutls_privkey_get_pk_algorithm (key, NULL) != GNUTLS_PK_RSA)
    ret = GNUTLS_E_UNKNOWN_PK_ALGORITHM;
  if (ret >= 0)
    ret = gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &data, &signature);
  if (key != NULL)
    gnutls_privkey_deinit (key);
  if (ret < 0)
    {
      g_set_error (error, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                   _("Could not sign with notify.fcm_service_account's private_key (an RSA key in PEM): %s"),
                   gnutls_strerror (ret));
      return NULL;
    }

  encoded_signature = base64url_encode (signature.data, signature.size);
  gnutls_free (signature.data);
  return g_strconcat (signing_input, ".", encoded_signature, NULL);
}

/* }}} */

/* The message {{{ */

/* FCM's data is a map of strings; these keys are its own. */
static gboolean
is_reserved_data_key (const char *key)
{
  return g_str_equal (key, "event") || g_str_equal (key, "delivery") || g_str_equal (key, "from")
         || g_str_equal (key, "notification") || g_str_equal (key, "message_type")
         || g_str_has_prefix (key, "google") || g_str_has_prefix (key, "gcm");
}

static char *
data_value_to_string (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (type == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (type == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    }
  return bourse_json_to_string (node, NULL);
}

static GBytes *
build_message (const BourseNotification *notification)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *delivery = g_strdup_printf ("%" G_GINT64_FORMAT, notification->id);
  char *text;
  gsize length = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "token", notification->recipient);
  json_builder_set_member_name (builder, "notification");
  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "title", notification->subject != NULL ? notification->subject : "");
  bourse_json_builder_add_string (builder, "body", notification->text != NULL ? notification->text : "");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "event", notification->event != NULL ? notification->event : "");
  /* The delivery's id, for the app to drop a duplicate (docs/OPERATIONS.md). */
  bourse_json_builder_add_string (builder, "delivery", delivery);
  if (notification->data != NULL && JSON_NODE_HOLDS_OBJECT (notification->data))
    {
      JsonObject *data = json_node_get_object (notification->data);
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, data);
      while (json_object_iter_next (&iter, &name, &node))
        {
          g_autofree char *value = NULL;

          if (is_reserved_data_key (name) || (value = data_value_to_string (node)) == NULL)
            continue;
          bourse_json_builder_add_string (builder, name, value);
        }
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = bourse_json_to_string (root, &length);
  return g_bytes_new_take (text, length);
}

/* }}} */

static JsonObject *
answer_object (GBytes   *body,
               JsonNode **root)
{
  *root = bourse_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), MAX_ANSWER_BYTES, NULL);
  return *root != NULL && JSON_NODE_HOLDS_OBJECT (*root) ? json_node_get_object (*root) : NULL;
}

/* Whether an FCM error is about the device token rather than the request:
 * the token is then dropped, not the delivery retried. */
static gboolean
is_invalid_token_error (guint       status,
                        JsonObject *error)
{
  JsonArray *details = bourse_json_get_array (error, "details");
  const char *error_status = bourse_json_get_string (error, "status");
  const char *message = bourse_json_get_string (error, "message");
  gboolean invalid_argument = g_strcmp0 (error_status, "INVALID_ARGUMENT") == 0;
  gboolean about_token = message != NULL && strstr (message, "token") != NULL;

  if (status == 404 || g_strcmp0 (error_status, "NOT_FOUND") == 0)
    return TRUE;
  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonNode *node = json_array_get_element (details, i);
      JsonObject *detail = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *code = bourse_json_get_string (detail, "errorCode");
      JsonArray *violations = bourse_json_get_array (detail, "fieldViolations");

      if (g_strcmp0 (code, "UNREGISTERED") == 0)
        return TRUE;
      if (g_strcmp0 (code, "INVALID_ARGUMENT") == 0)
        invalid_argument = TRUE;
      for (guint j = 0; violations != NULL && j < json_array_get_length (violations); j++)
        {
          JsonNode *violation = json_array_get_element (violations, j);

          if (JSON_NODE_HOLDS_OBJECT (violation)
              && g_strcmp0 (bourse_json_get_string (json_node_get_object (violation), "field"),
                            "message.token") == 0)
            about_token = TRUE;
        }
    }
  return status == 400 && invalid_argument && about_token;
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseNotifierPush *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonObject *fcm_error;
  guint status = 0;

  body = bourse_notifier_base_read_finish (SOUP_SESSION (source), result, task, "Firebase Cloud Messaging",
                                           &status);
  if (body == NULL)
    return;
  object = answer_object (body, &root);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *name = bourse_json_get_string (object, "name");

      g_task_return_pointer (task, name != NULL ? g_strdup (name) : g_strdup_printf ("HTTP %u", status),
                             g_free);
      return;
    }

  text = bourse_notifier_answer_text (body);
  fcm_error = bourse_json_get_object (object, "error");
  /* The token was revoked or the key disabled: mint anew next time. */
  if (status == 401 && g_strcmp0 (self->token_owner, data->owner) == 0)
    drop_token (self);
  g_task_return_error (task, bourse_notifier_http_error (status, is_invalid_token_error (status, fcm_error),
                                                         "Firebase Cloud Messaging", text));
}

static void
send_message (BourseNotifierPush *self,
              GTask              *task)
{
  SendData *data = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_POST, data->send_url);
  g_autofree char *authorization = NULL;

  if (message == NULL)
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("notify.fcm_url and notify.fcm_project_id make no valid address"));
      return;
    }
  authorization = g_strconcat ("Bearer ", self->access_token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  memset (authorization, 0, strlen (authorization));
  soup_message_set_request_body_from_bytes (message, "application/json", data->body);
  soup_session_send_and_read_async (bourse_notifier_base_get_session (BOURSE_NOTIFIER_BASE (self)),
                                    message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), send_cb, g_object_ref (task));
}

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseNotifierPush *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *token;
  gint64 expires_in = 3600;
  guint status = 0;

  body = bourse_notifier_base_read_finish (SOUP_SESSION (source), result, task, "Google's OAuth token endpoint",
                                           &status);
  if (body == NULL)
    return;
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *text = bourse_notifier_answer_text (body);

      g_task_return_error (task, bourse_notifier_http_error (status, FALSE, "Google's OAuth token endpoint", text));
      return;
    }
  object = answer_object (body, &root);
  token = bourse_json_get_string (object, "access_token");
  if (token == NULL || *token == '\0' || strpbrk (token, "\r\n") != NULL)
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_TEMPORARY,
                               _("Google's OAuth token endpoint answered without an access token"));
      return;
    }
  bourse_json_get_int (object, "expires_in", &expires_in);

  drop_token (self);
  self->access_token = g_strdup (token);
  self->token_owner = g_strdup (data->owner);
  self->token_expires_at = g_get_monotonic_time ()
                           + MAX (expires_in - TOKEN_MARGIN_S, 0) * G_USEC_PER_SEC;
  send_message (self, task);
}

static void
mint_token (BourseNotifierPush *self,
            JsonObject         *account,
            const char         *token_url,
            GTask              *task)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *assertion = NULL;
  GError *error = NULL;
  char *form;

  assertion = sign_assertion (account, token_url, &error);
  if (assertion == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  message = soup_message_new (SOUP_METHOD_POST, token_url);
  if (message == NULL)
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("notify.fcm_token_url is not a valid address"));
      return;
    }
  form = soup_form_encode ("grant_type", JWT_BEARER_GRANT, "assertion", assertion, NULL);
  body = g_bytes_new_take (form, strlen (form));
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/x-www-form-urlencoded", body);
  soup_session_send_and_read_async (bourse_notifier_base_get_session (BOURSE_NOTIFIER_BASE (self)),
                                    message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), token_cb, g_object_ref (task));
}

static const char *
bourse_notifier_push_get_id (BourseNotifier *notifier)
{
  return "push";
}

static const char *
bourse_notifier_push_get_name (BourseNotifier *notifier)
{
  return _("Push notifications");
}

static gboolean
bourse_notifier_push_is_configured (BourseNotifier *notifier)
{
  BourseNotifierBase *base = BOURSE_NOTIFIER_BASE (notifier);
  g_auto(BourseNotifierSecret) account = NULL;

  if (*bourse_notifier_base_get_setting (base, "fcm_project_id") == '\0')
    return FALSE;
  account = bourse_notifier_base_dup_secret (base, "notify.fcm_service_account");

  return account != NULL;
}

static void
bourse_notifier_push_send_async (BourseNotifier           *notifier,
                                 const BourseNotification *notification,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  BourseNotifierPush *self = BOURSE_NOTIFIER_PUSH (notifier);
  BourseNotifierBase *base = BOURSE_NOTIFIER_BASE (notifier);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_auto(BourseNotifierSecret) account_text = NULL;
  g_autoptr(JsonNode) account = NULL;
  g_autofree char *escaped_project = NULL;
  g_autofree char *fcm_url = NULL;
  g_autofree char *owner_input = NULL;
  const char *token_url;
  SendData *data;

  g_task_set_source_tag (task, bourse_notifier_push_send_async);

  if (!bourse_notifier_is_configured (notifier))
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("Push is not configured: set notify.fcm_project_id and "
                                 "notify.fcm_service_account"));
      return;
    }
  account_text = bourse_notifier_base_dup_secret (base, "notify.fcm_service_account");
  account = bourse_json_parse (account_text, strlen (account_text), MAX_ANSWER_BYTES, NULL);
  if (account == NULL || !JSON_NODE_HOLDS_OBJECT (account))
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("notify.fcm_service_account is not a service account's JSON key"));
      return;
    }
  if (notification->recipient == NULL || *notification->recipient == '\0')
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_INVALID_RECIPIENT,
                               _("No device token"));
      return;
    }

  token_url = bourse_notifier_base_get_setting (base, "fcm_token_url");
  fcm_url = g_strdup (bourse_notifier_base_get_setting (base, "fcm_url"));
  while (g_str_has_suffix (fcm_url, "/"))
    fcm_url[strlen (fcm_url) - 1] = '\0';
  escaped_project = g_uri_escape_string (bourse_notifier_base_get_setting (base, "fcm_project_id"),
                                         NULL, FALSE);

  data = g_new0 (SendData, 1);
  data->body = build_message (notification);
  data->send_url = g_strdup_printf ("%s/v1/projects/%s/messages:send", fcm_url, escaped_project);
  /* A token belongs to the key and endpoint it was minted with: a new key
   * in the configuration must not send under the old one's token. */
  owner_input = g_strconcat (token_url, "\n", account_text, NULL);
  data->owner = g_compute_checksum_for_string (G_CHECKSUM_SHA256, owner_input, -1);
  memset (owner_input, 0, strlen (owner_input));
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (self->access_token != NULL && g_strcmp0 (self->token_owner, data->owner) == 0
      && g_get_monotonic_time () < self->token_expires_at)
    send_message (self, task);
  else
    mint_token (self, json_node_get_object (account), token_url, task);
}

static void
bourse_notifier_push_iface_init (BourseNotifierInterface *iface)
{
  iface->get_id = bourse_notifier_push_get_id;
  iface->get_name = bourse_notifier_push_get_name;
  iface->is_configured = bourse_notifier_push_is_configured;
  iface->send_async = bourse_notifier_push_send_async;
}

static void
bourse_notifier_push_finalize (GObject *object)
{
  drop_token (BOURSE_NOTIFIER_PUSH (object));

  G_OBJECT_CLASS (bourse_notifier_push_parent_class)->finalize (object);
}

static void
bourse_notifier_push_class_init (BourseNotifierPushClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_notifier_push_finalize;
}

static void
bourse_notifier_push_init (BourseNotifierPush *self)
{
}
