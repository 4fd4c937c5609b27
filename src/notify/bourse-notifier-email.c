/* bourse-notifier-email.c — the "email" channel: SMTP or Brevo's API
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "core/bourse-json.h"

#include "bourse-notifier-email.h"
#include "bourse-smtp-client.h"

#define MAX_ANSWER_BYTES      (64 * 1024)
/* RFC 2047: an encoded word is at most 75 characters, and RFC 5322 wants
 * lines under 78: 39 bytes of text make 52 of base64, which leaves room
 * for "=?UTF-8?B?", "?=" and "Subject: ". */
#define ENCODED_WORD_BYTES    39
/* RFC 2045: a quoted-printable line is at most 76 characters, the soft
 * break's "=" included. */
#define QP_LINE_CHARS         75

struct _BourseNotifierEmail
{
  BourseNotifierBase  parent_instance;

  GTlsDatabase   *tls_database;
};

static void bourse_notifier_email_iface_init (BourseNotifierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BourseNotifierEmail, bourse_notifier_email, BOURSE_TYPE_NOTIFIER_BASE,
                               G_IMPLEMENT_INTERFACE (BOURSE_TYPE_NOTIFIER,
                                                      bourse_notifier_email_iface_init))

enum {
  PROP_0,
  PROP_TLS_DATABASE,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];

/* The message {{{ */

static gboolean
is_plain_header_text (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
      return FALSE;
  return TRUE;
}

/* A header's text: as is when it is printable ASCII, else RFC 2047
 * encoded words, cut between characters, folded one to a line. */
static void
append_header_text (GString    *out,
                    const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  const char *p;

  /* No line break may reach a header: it would start a new one. */
  for (char *c = valid; *c != '\0'; c++)
    if (*c == '\r' || *c == '\n' || *c == '\t')
      *c = ' ';

  if (is_plain_header_text (valid))
    {
      g_string_append (out, valid);
      return;
    }

  p = valid;
  for (gboolean first = TRUE; *p != '\0'; first = FALSE)
    {
      const char *start = p;
      g_autofree char *encoded = NULL;

      while (*p != '\0' && (gsize) (g_utf8_next_char (p) - start) <= ENCODED_WORD_BYTES)
        p = g_utf8_next_char (p);
      encoded = g_base64_encode ((const guchar *) start, p - start);
      if (!first)
        g_string_append (out, "\r\n ");
      g_string_append_printf (out, "=?UTF-8?B?%s?=", encoded);
    }
}

/* RFC 2045 6.7, with CRLF line ends whatever the text had. */
static void
append_quoted_printable (GString    *out,
                         const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gsize length = strlen (line);
      guint column = 0;

      if (length > 0 && line[length - 1] == '\r')
        length--;
      for (gsize j = 0; j < length; j++)
        {
          guchar c = line[j];
          gboolean last = j + 1 == length;
          char encoded[4];
          guint width;

          if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last))
            {
              encoded[0] = c;
              encoded[1] = '\0';
              width = 1;
            }
          else
            {
              g_snprintf (encoded, sizeof encoded, "=%02X", c);
              width = 3;
            }
          if (column + width > QP_LINE_CHARS)
            {
              g_string_append (out, "=\r\n");
              column = 0;
            }
          g_string_append (out, encoded);
          column += width;
        }
      if (lines[i + 1] != NULL)
        g_string_append (out, "\r\n");
    }
}

static void
append_part (GString    *out,
             const char *boundary,
             const char *type,
             const char *text)
{
  if (boundary != NULL)
    g_string_append_printf (out, "--%s\r\n", boundary);
  g_string_append_printf (out, "Content-Type: %s; charset=UTF-8\r\n"
                               "Content-Transfer-Encoding: quoted-printable\r\n"
                               "\r\n", type);
  append_quoted_printable (out, text);
  g_string_append (out, "\r\n");
}

static char *
random_token (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  GString *token = g_string_new (NULL);

  for (const char *p = uuid; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (token, *p);
  return g_string_free (token, FALSE);
}

/* RFC 5322 3.3, in English whatever the locale, in UTC. */
static char *
format_date (GDateTime *now)
{
  static const char * const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (now) - 1],
                          g_date_time_get_day_of_month (now),
                          months[g_date_time_get_month (now) - 1],
                          g_date_time_get_year (now),
                          g_date_time_get_hour (now),
                          g_date_time_get_minute (now),
                          g_date_time_get_second (now));
}

static GBytes *
build_message (const char               *from,
               const BourseNotification *notification)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = format_date (now);
  g_autofree char *unique = random_token ();
  g_autofree char *boundary = NULL;
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "From: %s\r\n", from);
  g_string_append_printf (out, "To: %s\r\n", notification->recipient);
  g_string_append (out, "Subject: ");
  append_header_text (out, notification->subject != NULL ? notification->subject : "");
  g_string_append (out, "\r\n");
  g_string_append_printf (out, "Date: %s\r\n", date);
  /* The delivery's id lets a receiver drop the one duplicate a crash
   * during a send may cause (docs/OPERATIONS.md, the outbox). */
  g_string_append_printf (out, "Message-ID: <delivery-%" G_GINT64_FORMAT ".%s@bourse>\r\n",
                          notification->id, unique);
  g_string_append_printf (out, "X-Bourse-Delivery: %" G_GINT64_FORMAT "\r\n", notification->id);
  /* RFC 3834: no vacation auto-replies to a machine. */
  g_string_append (out, "Auto-Submitted: auto-generated\r\n");
  g_string_append (out, "MIME-Version: 1.0\r\n");

  if (notification->html == NULL)
    {
      append_part (out, NULL, "text/plain", notification->text != NULL ? notification->text : "");
      return g_string_free_to_bytes (out);
    }

  /* "=_" never occurs in quoted-printable text, so no part can hold the
   * boundary line. */
  boundary = g_strconcat ("=_bourse_", unique, NULL);
  g_string_append_printf (out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", boundary);
  append_part (out, boundary, "text/plain", notification->text != NULL ? notification->text : "");
  append_part (out, boundary, "text/html", notification->html);
  g_string_append_printf (out, "--%s--\r\n", boundary);
  return g_string_free_to_bytes (out);
}

/* }}} */

static gboolean
is_valid_address (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0' || strlen (address) > 254)
    return FALSE;
  for (const char *p = address; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || (guchar) *p == 0x7f || strchr ("<>(),;:\\\"[]", *p) != NULL)
      return FALSE;
  at = strrchr (address, '@');
  return at != NULL && at != address && at[1] != '\0';
}

static const char *
bourse_notifier_email_get_id (BourseNotifier *notifier)
{
  return "email";
}

static const char *
bourse_notifier_email_get_name (BourseNotifier *notifier)
{
  return _("Email");
}

static gboolean
bourse_notifier_email_is_configured (BourseNotifier *notifier)
{
  BourseNotifierBase *base = BOURSE_NOTIFIER_BASE (notifier);
  const char *transport = bourse_notifier_base_get_setting (base, "email_transport");
  const char *from = bourse_notifier_base_get_setting (base, "from_address");

  if (!is_valid_address (from))
    return FALSE;
  if (g_strcmp0 (transport, "smtp") == 0)
    return *bourse_notifier_base_get_setting (base, "smtp_host") != '\0';
  if (g_strcmp0 (transport, "brevo") == 0)
    {
      g_auto(BourseNotifierSecret) key = bourse_notifier_base_dup_secret (base, "notify.brevo_api_key");

      return key != NULL;
    }
  return FALSE;
}

static void
smtp_send_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *answer;

  answer = bourse_smtp_client_send_finish (BOURSE_SMTP_CLIENT (source), result, &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, g_free);
}

static void
send_smtp (BourseNotifierEmail      *self,
           const BourseNotification *notification,
           GTask                    *task)
{
  BourseNotifierBase *base = BOURSE_NOTIFIER_BASE (self);
  const char *from = bourse_notifier_base_get_setting (base, "from_address");
  const char *username = bourse_notifier_base_get_setting (base, "smtp_username");
  const char *recipients[] = { notification->recipient, NULL };
  g_autoptr(BourseSmtpClient) client = NULL;
  g_autoptr(GBytes) message = NULL;
  BourseSmtpSecurity security = BOURSE_SMTP_SECURITY_STARTTLS;

  bourse_smtp_security_from_string (bourse_notifier_base_get_setting (base, "smtp_security"), &security);
  client = bourse_smtp_client_new (bourse_notifier_base_get_setting (base, "smtp_host"),
                                   bourse_config_get_int (bourse_notifier_base_get_config (base),
                                                          "notify", "smtp_port"),
                                   security);
  if (*username != '\0')
    {
      g_auto(BourseNotifierSecret) password = bourse_notifier_base_dup_secret (base,
                                                                                "notify.smtp_password");

      bourse_smtp_client_set_credentials (client, username, password);
    }
  if (self->tls_database != NULL)
    bourse_smtp_client_set_tls_database (client, self->tls_database);

  message = build_message (from, notification);
  bourse_smtp_client_send_async (client, from, recipients, message, g_task_get_cancellable (task),
                                 smtp_send_cb, g_object_ref (task));
}

static void
brevo_send_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *message_id;
  GError *error;
  guint status = 0;

  body = bourse_notifier_base_read_finish (SOUP_SESSION (source), result, task, "Brevo", &status);
  if (body == NULL)
    return;

  text = bourse_notifier_answer_text (body);
  if ((error = bourse_notifier_http_error (status, FALSE, "Brevo", text)) != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  root = bourse_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), MAX_ANSWER_BYTES, NULL);
  message_id = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
               ? bourse_json_get_string (json_node_get_object (root), "messageId") : NULL;
  if (message_id != NULL)
    g_task_return_pointer (task, g_strdup_printf ("%u %s", status, message_id), g_free);
  else
    g_task_return_pointer (task, g_strdup_printf ("HTTP %u", status), g_free);
}

static void
send_brevo (BourseNotifierEmail      *self,
            const BourseNotification *notification,
            GTask                    *task)
{
  BourseNotifierBase *base = BOURSE_NOTIFIER_BASE (self);
  g_auto(BourseNotifierSecret) key = bourse_notifier_base_dup_secret (base, "notify.brevo_api_key");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *delivery = g_strdup_printf ("%" G_GINT64_FORMAT, notification->id);
  char *text;
  gsize length = 0;

  message = soup_message_new (SOUP_METHOD_POST,
                              bourse_notifier_base_get_setting (base, "brevo_url"));
  if (message == NULL)
    {
      g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                               _("notify.brevo_url is not a valid address"));
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sender");
  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "email",
                                  bourse_notifier_base_get_setting (base, "from_address"));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "to");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "email", notification->recipient);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  bourse_json_builder_add_string (builder, "subject", notification->subject != NULL ? notification->subject : "");
  if (notification->html != NULL)
    bourse_json_builder_add_string (builder, "htmlContent", notification->html);
  bourse_json_builder_add_string (builder, "textContent", notification->text != NULL ? notification->text : "");
  json_builder_set_member_name (builder, "headers");
  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "X-Bourse-Delivery", delivery);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = bourse_json_to_string (root, &length);
  body = g_bytes_new_take (text, length);

  soup_message_headers_replace (soup_message_get_request_headers (message), "api-key", key);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  soup_message_set_request_body_from_bytes (message, "application/json", body);

  soup_session_send_and_read_async (bourse_notifier_base_get_session (base), message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), brevo_send_cb, g_object_ref (task));
}

static void
bourse_notifier_email_send_async (BourseNotifier           *notifier,
                                  const BourseNotification *notification,
                                  GCancellable             *cancellable,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data)
{
  BourseNotifierEmail *self = BOURSE_NOTIFIER_EMAIL (notifier);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *transport = bourse_notifier_base_get_setting (BOURSE_NOTIFIER_BASE (self), "email_transport");

  g_task_set_source_tag (task, bourse_notifier_email_send_async);

  if (!bourse_notifier_is_configured (notifier))
    g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED,
                             _("Email is not configured: set notify.email_transport, notify.from_address "
                               "and the transport's settings"));
  else if (!is_valid_address (notification->recipient))
    g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_PERMANENT,
                             _("“%s” is not an email address"),
                             notification->recipient != NULL ? notification->recipient : "");
  else if (g_strcmp0 (transport, "brevo") == 0)
    send_brevo (self, notification, task);
  else
    send_smtp (self, notification, task);
}

static void
bourse_notifier_email_iface_init (BourseNotifierInterface *iface)
{
  iface->get_id = bourse_notifier_email_get_id;
  iface->get_name = bourse_notifier_email_get_name;
  iface->is_configured = bourse_notifier_email_is_configured;
  iface->send_async = bourse_notifier_email_send_async;
}

static void
bourse_notifier_email_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BourseNotifierEmail *self = BOURSE_NOTIFIER_EMAIL (object);

  switch (prop_id)
    {
    case PROP_TLS_DATABASE:
      g_value_set_object (value, self->tls_database);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_notifier_email_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BourseNotifierEmail *self = BOURSE_NOTIFIER_EMAIL (object);

  switch (prop_id)
    {
    case PROP_TLS_DATABASE:
      if (g_set_object (&self->tls_database, g_value_get_object (value)))
        g_object_notify_by_pspec (object, properties[PROP_TLS_DATABASE]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_notifier_email_finalize (GObject *object)
{
  BourseNotifierEmail *self = BOURSE_NOTIFIER_EMAIL (object);

  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (bourse_notifier_email_parent_class)->finalize (object);
}

static void
bourse_notifier_email_class_init (BourseNotifierEmailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bourse_notifier_email_get_property;
  object_class->set_property = bourse_notifier_email_set_property;
  object_class->finalize = bourse_notifier_email_finalize;

  properties[PROP_TLS_DATABASE] =
    g_param_spec_object ("tls-database", NULL, NULL, G_TYPE_TLS_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bourse_notifier_email_init (BourseNotifierEmail *self)
{
}
