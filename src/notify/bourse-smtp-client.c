/* bourse-smtp-client.c — an asynchronous SMTP submission client
 *
 * One session per message (RFC 5321): the notification worker sends a few
 * messages an hour, so a pooled connection would only add states to get
 * wrong. Everything runs on the caller's main context, one callback per
 * network step; no thread is ever blocked.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bourse-notifier.h"
#include "bourse-smtp-client.h"

#define DEFAULT_TIMEOUT_S  30
/* A reply is a few lines; anything longer is not an SMTP server. */
#define MAX_REPLY_BYTES    (64 * 1024)

struct _BourseSmtpClient
{
  GObject             parent_instance;

  char               *host;
  guint16             port;
  BourseSmtpSecurity  security;
  char               *username;
  char               *password;
  GTlsDatabase       *database;
  guint               timeout;
};

G_DEFINE_FINAL_TYPE (BourseSmtpClient, bourse_smtp_client, G_TYPE_OBJECT)

/* Called with the server's reply once its code is the one expected. */
typedef void (*ReplyHandler) (GTask      *task,
                              const char *reply);

typedef struct
{
  char               *from;
  GStrv               recipients;
  guint               next_recipient;
  GBytes             *data;          /* dot-stuffed, with the final "." line */
  GSocketConnection  *connection;
  GIOStream          *stream;        /* the connection, or TLS over it */
  GDataInputStream   *input;
  gboolean            greeted;
  gboolean            tls_active;
  gboolean            offers_starttls;
  gboolean            offers_plain;
  gboolean            offers_login;
  gboolean            login_user_sent;
  GString            *reply;
  ReplyHandler        handler;
  guint               expected;      /* the reply code the handler wants; 0: any */
  char               *command;       /* kept alive while it is written */
  char               *answer;        /* the DATA's answer: delivered */
} Session;

static void
session_free (Session *session)
{
  g_free (session->from);
  g_strfreev (session->recipients);
  g_clear_pointer (&session->data, g_bytes_unref);
  g_clear_object (&session->input);
  g_clear_object (&session->stream);
  g_clear_object (&session->connection);
  g_string_free (session->reply, TRUE);
  if (session->command != NULL)
    memset (session->command, 0, strlen (session->command));  /* may hold credentials */
  g_free (session->command);
  g_free (session->answer);
  g_free (session);
}

gboolean
bourse_smtp_security_from_string (const char         *string,
                                  BourseSmtpSecurity *security)
{
  g_return_val_if_fail (security != NULL, FALSE);

  if (g_strcmp0 (string, "starttls") == 0)
    *security = BOURSE_SMTP_SECURITY_STARTTLS;
  else if (g_strcmp0 (string, "tls") == 0)
    *security = BOURSE_SMTP_SECURITY_TLS;
  else if (g_strcmp0 (string, "none") == 0)
    *security = BOURSE_SMTP_SECURITY_NONE;
  else
    return FALSE;
  return TRUE;
}

static void
bourse_smtp_client_finalize (GObject *object)
{
  BourseSmtpClient *self = BOURSE_SMTP_CLIENT (object);

  g_free (self->host);
  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (bourse_smtp_client_parent_class)->finalize (object);
}

static void
bourse_smtp_client_class_init (BourseSmtpClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_smtp_client_finalize;
}

static void
bourse_smtp_client_init (BourseSmtpClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_S;
}

BourseSmtpClient *
bourse_smtp_client_new (const char         *host,
                        guint16             port,
                        BourseSmtpSecurity  security)
{
  BourseSmtpClient *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (BOURSE_TYPE_SMTP_CLIENT, NULL);
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;
  return self;
}

void
bourse_smtp_client_set_credentials (BourseSmtpClient *self,
                                    const char       *username,
                                    const char       *password)
{
  g_return_if_fail (BOURSE_IS_SMTP_CLIENT (self));

  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->username = (username != NULL && *username != '\0') ? g_strdup (username) : NULL;
  self->password = g_strdup (password != NULL ? password : "");
}

void
bourse_smtp_client_set_tls_database (BourseSmtpClient *self,
                                     GTlsDatabase     *database)
{
  g_return_if_fail (BOURSE_IS_SMTP_CLIENT (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  g_set_object (&self->database, database);
}

void
bourse_smtp_client_set_timeout (BourseSmtpClient *self,
                                guint             seconds)
{
  g_return_if_fail (BOURSE_IS_SMTP_CLIENT (self));

  self->timeout = seconds;
}

GBytes *
bourse_smtp_dot_stuff (GBytes *message)
{
  gsize length = 0;
  const char *p;
  GString *out;
  gboolean line_start = TRUE;

  g_return_val_if_fail (message != NULL, NULL);

  p = g_bytes_get_data (message, &length);
  out = g_string_sized_new (length + length / 64 + 8);
  for (gsize i = 0; i < length; i++)
    {
      char c = p[i];

      if (line_start && c == '.')
        g_string_append_c (out, '.');
      line_start = FALSE;

      if (c == '\n')
        {
          if (i == 0 || p[i - 1] != '\r')
            g_string_append_c (out, '\r');
          g_string_append_c (out, '\n');
          line_start = TRUE;
        }
      else if (c == '\r' && (i + 1 >= length || p[i + 1] != '\n'))
        {
          g_string_append (out, "\r\n");
          line_start = TRUE;
        }
      else
        {
          g_string_append_c (out, c);
        }
    }
  if (!line_start)
    g_string_append (out, "\r\n");
  g_string_append (out, ".\r\n");
  return g_string_free_to_bytes (out);
}

/* The steps {{{ */

static void read_reply   (GTask        *task,
                          guint         expected,
                          ReplyHandler  handler);
static void send_command (GTask        *task,
                          const char   *command,
                          guint         expected,
                          ReplyHandler  handler);
static void send_ehlo    (GTask        *task);
static void greeting_cb  (GTask        *task,
                          const char   *reply);

static void
close_stream (Session *session)
{
  if (session->stream != NULL && !g_io_stream_is_closed (session->stream))
    g_io_stream_close_async (session->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* Ends the session; once the server has taken the message, nothing that
 * goes wrong afterwards (QUIT, closing) makes it undelivered. */
static void
session_fail (GTask  *task,
              GError *error)
{
  Session *session = g_task_get_task_data (task);

  close_stream (session);
  if (session->answer != NULL)
    {
      g_error_free (error);
      g_task_return_pointer (task, g_steal_pointer (&session->answer), g_free);
    }
  else
    {
      g_task_return_error (task, error);
    }
  g_object_unref (task);
}

/* A network failure: worth another try later, except a certificate that is
 * not trusted, which only an administrator can change. */
static void
session_fail_io (GTask  *task,
                 GError *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      session_fail (task, error);
      return;
    }
  if (error->domain == G_TLS_ERROR)
    mapped = g_error_new (BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_PERMANENT,
                          _("TLS with the SMTP server failed: %s"), error->message);
  else
    mapped = g_error_new (BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_TEMPORARY,
                          _("Could not talk to the SMTP server: %s"), error->message);
  g_error_free (error);
  session_fail (task, mapped);
}

static void
session_fail_reply (GTask      *task,
                    guint       code,
                    const char *reply)
{
  g_autofree char *one_line = g_strdelimit (g_strdup (reply), "\n", ' ');

  session_fail (task, g_error_new (BOURSE_NOTIFIER_ERROR,
                                   code >= 400 && code < 500 ? BOURSE_NOTIFIER_ERROR_TEMPORARY
                                                             : BOURSE_NOTIFIER_ERROR_PERMANENT,
                                   _("The SMTP server answered “%s”"), one_line));
}

static void
session_fail_permanent (GTask      *task,
                        const char *message)
{
  session_fail (task, g_error_new_literal (BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_PERMANENT,
                                           message));
}

static void
use_stream (Session   *session,
            GIOStream *stream)
{
  g_set_object (&session->stream, stream);
  g_clear_object (&session->input);
  session->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  /* The TLS connection replacing a plain one reads from the same socket:
   * dropping the old reader must not close it. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (session->input), FALSE);
}

static void
quit_cb (GTask      *task,
         const char *reply)
{
  Session *session = g_task_get_task_data (task);

  close_stream (session);
  g_task_return_pointer (task, g_steal_pointer (&session->answer), g_free);
  g_object_unref (task);
}

static void
data_sent_cb (GTask      *task,
              const char *reply)
{
  Session *session = g_task_get_task_data (task);

  session->answer = g_strdelimit (g_strdup (reply), "\n", ' ');
  send_command (task, "QUIT", 0, quit_cb);
}

static void
write_data_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    session_fail_io (task, error);
  else
    read_reply (task, 250, data_sent_cb);
}

static void
data_cb (GTask      *task,
         const char *reply)
{
  Session *session = g_task_get_task_data (task);
  gsize length = 0;
  const void *data = g_bytes_get_data (session->data, &length);

  g_output_stream_write_all_async (g_io_stream_get_output_stream (session->stream), data, length,
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   write_data_cb, task);
}

/* After MAIL, and after each RCPT. */
static void
send_next_recipient (GTask      *task,
                     const char *reply)
{
  Session *session = g_task_get_task_data (task);
  g_autofree char *command = NULL;

  if (session->recipients[session->next_recipient] == NULL)
    {
      send_command (task, "DATA", 354, data_cb);
      return;
    }
  command = g_strdup_printf ("RCPT TO:<%s>", session->recipients[session->next_recipient++]);
  send_command (task, command, 250, send_next_recipient);
}

/* After AUTH, or at once (reply NULL). */
static void
send_mail_from (GTask      *task,
                const char *reply)
{
  Session *session = g_task_get_task_data (task);
  g_autofree char *command = g_strdup_printf ("MAIL FROM:<%s>", session->from);

  send_command (task, command, 250, send_next_recipient);
}

static char *
encode_text (const char *text)
{
  return g_base64_encode ((const guchar *) text, strlen (text));
}

/* AUTH LOGIN asks for the user name, then the password (334 each time). */
static void
login_cb (GTask      *task,
          const char *reply)
{
  BourseSmtpClient *self = g_task_get_source_object (task);
  Session *session = g_task_get_task_data (task);
  g_autofree char *encoded = NULL;

  encoded = encode_text (session->login_user_sent ? self->password : self->username);
  send_command (task, encoded, session->login_user_sent ? 235 : 334,
                session->login_user_sent ? send_mail_from : login_cb);
  session->login_user_sent = TRUE;
  memset (encoded, 0, strlen (encoded));
}

static void
authenticate (GTask *task)
{
  BourseSmtpClient *self = g_task_get_source_object (task);
  Session *session = g_task_get_task_data (task);

  if (session->offers_plain)
    {
      gsize user_length = strlen (self->username);
      gsize password_length = strlen (self->password);
      gsize length = 1 + user_length + 1 + password_length;
      g_autofree guchar *token = g_malloc (length);
      g_autofree char *encoded = NULL;
      g_autofree char *command = NULL;

      /* RFC 4616: authorisation identity (empty), NUL, user, NUL, password. */
      token[0] = '\0';
      memcpy (token + 1, self->username, user_length);
      token[1 + user_length] = '\0';
      memcpy (token + 2 + user_length, self->password, password_length);
      encoded = g_base64_encode (token, length);
      command = g_strconcat ("AUTH PLAIN ", encoded, NULL);
      memset (token, 0, length);
      memset (encoded, 0, strlen (encoded));
      send_command (task, command, 235, send_mail_from);
      memset (command, 0, strlen (command));
    }
  else if (session->offers_login)
    {
      send_command (task, "AUTH LOGIN", 334, login_cb);
    }
  else
    {
      session_fail_permanent (task, _("The SMTP server offers no AUTH PLAIN or LOGIN, "
                                      "but a user name is set"));
    }
}

static void
handshake_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Session *session = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      session_fail_io (task, error);
      return;
    }
  session->tls_active = TRUE;
  use_stream (session, G_IO_STREAM (source));
  /* STARTTLS forgets what the server said before it (RFC 3207 4.2). */
  if (session->greeted)
    send_ehlo (task);
  else
    read_reply (task, 220, greeting_cb);
}

static void
start_tls (GTask *task)
{
  BourseSmtpClient *self = g_task_get_source_object (task);
  Session *session = g_task_get_task_data (task);
  g_autoptr(GSocketConnectable) identity = g_network_address_new (self->host, self->port);
  g_autoptr(GIOStream) tls = NULL;
  GError *error = NULL;

  tls = g_tls_client_connection_new (G_IO_STREAM (session->connection), identity, &error);
  if (tls == NULL)
    {
      session_fail_io (task, error);
      return;
    }
  if (self->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), self->database);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), handshake_cb, task);
}

static void
starttls_cb (GTask      *task,
             const char *reply)
{
  start_tls (task);
}

static void
ehlo_cb (GTask      *task,
         const char *reply)
{
  BourseSmtpClient *self = g_task_get_source_object (task);
  Session *session = g_task_get_task_data (task);
  g_auto(GStrv) lines = NULL;


  session->offers_starttls = session->offers_plain = session->offers_login = FALSE;
  lines = g_strsplit (reply, "\n", -1);
  /* The first line is the greeting; each other names an extension. */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *keyword = strlen (lines[i]) > 4 ? lines[i] + 4 : "";
      g_auto(GStrv) words = g_strsplit_set (keyword, " =", -1);

      if (g_ascii_strcasecmp (words[0], "STARTTLS") == 0)
        session->offers_starttls = TRUE;
      else if (g_ascii_strcasecmp (words[0], "AUTH") == 0)
        for (guint j = 1; words[j] != NULL; j++)
          {
            if (g_ascii_strcasecmp (words[j], "PLAIN") == 0)
              session->offers_plain = TRUE;
            else if (g_ascii_strcasecmp (words[j], "LOGIN") == 0)
              session->offers_login = TRUE;
          }
    }

  if (self->security == BOURSE_SMTP_SECURITY_STARTTLS && !session->tls_active)
    {
      if (!session->offers_starttls)
        session_fail_permanent (task, _("The SMTP server does not offer STARTTLS: "
                                        "set notify.smtp_security to tls, or none on loopback"));
      else
        send_command (task, "STARTTLS", 220, starttls_cb);
    }
  else if (self->username != NULL)
    {
      authenticate (task);
    }
  else
    {
      send_mail_from (task, NULL);
    }
}

static void
send_ehlo (GTask *task)
{
  Session *session = g_task_get_task_data (task);
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (session->connection, NULL);
  g_autofree char *domain = NULL;
  g_autofree char *command = NULL;

  /* An address literal: the host name is rarely a resolvable FQDN. */
  if (G_IS_INET_SOCKET_ADDRESS (local))
    {
      GInetAddress *address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
      g_autofree char *text = g_inet_address_to_string (address);

      if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
        domain = g_strdup_printf ("[IPv6:%s]", text);
      else
        domain = g_strdup_printf ("[%s]", text);
    }
  else
    {
      domain = g_strdup ("localhost");
    }
  command = g_strconcat ("EHLO ", domain, NULL);
  send_command (task, command, 250, ehlo_cb);
}

static void
greeting_cb (GTask      *task,
             const char *reply)
{
  Session *session = g_task_get_task_data (task);

  session->greeted = TRUE;
  send_ehlo (task);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Session *session = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;
  guint code;

  line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, &length, &error);
  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                     _("the server closed the connection"));
      session_fail_io (task, error);
      return;
    }
  if (length > 0 && line[length - 1] == '\r')
    line[--length] = '\0';
  if (length < 3 || !g_ascii_isdigit (line[0]) || !g_ascii_isdigit (line[1]) || !g_ascii_isdigit (line[2])
      || (length > 3 && line[3] != ' ' && line[3] != '-')
      || session->reply->len + length > MAX_REPLY_BYTES || !g_utf8_validate (line, length, NULL))
    {
      session_fail_permanent (task, _("The SMTP server's answer is not SMTP"));
      return;
    }

  if (session->reply->len > 0)
    g_string_append_c (session->reply, '\n');
  g_string_append_len (session->reply, line, length);
  if (length > 3 && line[3] == '-')
    {
      g_data_input_stream_read_line_async (session->input, G_PRIORITY_DEFAULT,
                                           g_task_get_cancellable (task), read_line_cb, task);
      return;
    }

  code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  /* 251 ("will forward") is RCPT's other yes. */
  if (session->expected != 0 && code != session->expected && !(session->expected == 250 && code == 251))
    session_fail_reply (task, code, session->reply->str);
  else
    session->handler (task, session->reply->str);
}

static void
read_reply (GTask        *task,
            guint         expected,
            ReplyHandler  handler)
{
  Session *session = g_task_get_task_data (task);

  g_string_truncate (session->reply, 0);
  session->expected = expected;
  session->handler = handler;
  g_data_input_stream_read_line_async (session->input, G_PRIORITY_DEFAULT,
                                       g_task_get_cancellable (task), read_line_cb, task);
}

static void
write_command_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Session *session = g_task_get_task_data (task);
  GError *error = NULL;

  memset (session->command, 0, strlen (session->command));
  g_clear_pointer (&session->command, g_free);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    session_fail_io (task, error);
  else
    read_reply (task, session->expected, session->handler);
}

static void
send_command (GTask        *task,
              const char   *command,
              guint         expected,
              ReplyHandler  handler)
{
  Session *session = g_task_get_task_data (task);

  g_assert (session->command == NULL);

  session->command = g_strconcat (command, "\r\n", NULL);
  session->expected = expected;
  session->handler = handler;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (session->stream),
                                   session->command, strlen (session->command),
                                   G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   write_command_cb, task);
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  BourseSmtpClient *self = g_task_get_source_object (task);
  Session *session = g_task_get_task_data (task);
  GError *error = NULL;

  session->connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (session->connection == NULL)
    {
      session_fail_io (task, error);
      return;
    }
  if (self->security == BOURSE_SMTP_SECURITY_TLS)
    {
      start_tls (task);
      return;
    }
  use_stream (session, G_IO_STREAM (session->connection));
  read_reply (task, 220, greeting_cb);
}

/* }}} */

void
bourse_smtp_client_send_async (BourseSmtpClient    *self,
                               const char          *from,
                               const char * const  *recipients,
                               GBytes              *message,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GSocketClient) client = NULL;
  GTask *task;
  Session *session;

  g_return_if_fail (BOURSE_IS_SMTP_CLIENT (self));
  g_return_if_fail (from != NULL);
  g_return_if_fail (recipients != NULL && recipients[0] != NULL);
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_smtp_client_send_async);

  /* An address with a line break would smuggle commands into the session. */
  for (guint i = 0; recipients[i] != NULL; i++)
    if (strpbrk (recipients[i], "\r\n<>") != NULL || strpbrk (from, "\r\n<>") != NULL)
      {
        g_task_return_new_error (task, BOURSE_NOTIFIER_ERROR, BOURSE_NOTIFIER_ERROR_PERMANENT,
                                 _("Invalid email address"));
        g_object_unref (task);
        return;
      }

  session = g_new0 (Session, 1);
  session->from = g_strdup (from);
  session->recipients = g_strdupv ((GStrv) recipients);
  session->data = bourse_smtp_dot_stuff (message);
  session->reply = g_string_new (NULL);
  g_task_set_task_data (task, session, (GDestroyNotify) session_free);

  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, self->timeout);
  g_socket_client_connect_to_host_async (client, self->host, self->port, cancellable, connect_cb, task);
}

char *
bourse_smtp_client_send_finish (BourseSmtpClient  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (BOURSE_IS_SMTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
