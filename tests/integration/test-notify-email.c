/* test-notify-email.c — the email and push channels against real servers
 *
 * SMTP: tests/integration/smtp-server.py (aiosmtpd) on loopback, with a
 * certificate made here by openssl for STARTTLS and implicit TLS; what
 * arrives is read back as Python's email parser sees it. Brevo and
 * Firebase (its OAuth token endpoint and its send endpoint): a loopback
 * SoupServer speaking their formats. The JWT's signature is checked by
 * openssl with the public half of a key made here. The notifiers are used
 * through BourseNotifier, the channels' plugin interface.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "core/bourse-json.h"
#include "notify/bourse-notifier.h"
#include "notify/bourse-notifier-email.h"
#include "notify/bourse-smtp-client.h"

#define DEADLINE_S 60

typedef struct
{
  char           *dir;
  BourseConfig   *config;
  BourseSecrets  *secrets;
  GPtrArray      *notifiers;
  /* SMTP */
  GSubprocess    *smtp;
  guint16         smtp_port;
  /* Brevo and FCM */
  SoupServer     *http;
  GSocket        *listener;
  char           *http_url;
  GPtrArray      *requests;      /* JsonNode of what each endpoint received */
  guint           token_requests;
  guint           next_fcm_status;
  const char     *next_fcm_body;
  char           *last_assertion;
  char           *last_authorization;
  char           *last_api_key;
} Fixture;

static void
run_command (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

static void
set (Fixture    *fixture,
     const char *key,
     const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_config_set (fixture->config, "notify", key, value, BOURSE_CONFIG_SOURCE_FILE, &error));
  g_assert_no_error (error);
}

static void
store_secret (Fixture    *fixture,
              const char *name,
              const char *value)
{
  g_autoptr(GBytes) bytes = g_bytes_new (value, strlen (value));
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_secrets_store (fixture->secrets, name, bytes, &error));
  g_assert_no_error (error);
}

static BourseNotifier *
notifier (Fixture    *fixture,
          const char *id)
{
  for (guint i = 0; i < fixture->notifiers->len; i++)
    if (g_str_equal (bourse_notifier_get_id (fixture->notifiers->pdata[i]), id))
      return fixture->notifiers->pdata[i];
  g_error ("no notifier %s", id);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("no answer within %d s", DEADLINE_S);
  return G_SOURCE_REMOVE;
}

/* Sends and waits, iterating the main context, for the answer. */
static char *
send (BourseNotifier  *channel,
      const char      *recipient,
      const char      *subject,
      GError         **error)
{
  g_autoptr(JsonNode) data = json_from_string ("{\"symbol\":\"BTCUSDT\",\"price\":\"65000.5\",\"count\":3,"
                                               "\"nested\":{\"a\":1},\"gone\":null}", NULL);
  BourseNotification notification = {
    .id = 42,
    .event = "approval.pending",
    .recipient = recipient,
    .subject = subject,
    .text = "Hello,\n.a line starting with a dot\nand a long one: "
            "Zürich ÄÖÜ äöü = equals and more text to pass the seventy-six characters of a QP line\nEnd",
    .html = "<p>Hello <b>trader</b> — Zürich</p>",
    .data = data,
  };
  GAsyncResult *result = NULL;
  guint deadline = g_timeout_add_seconds (DEADLINE_S, deadline_cb, NULL);
  char *answer;

  bourse_notifier_send_async (channel, &notification, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (deadline);
  answer = bourse_notifier_send_finish (channel, result, error);
  g_object_unref (result);
  return answer;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;

  fixture->dir = g_dir_make_tmp ("bourse-notify-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->config = bourse_config_new ();
  fixture->secrets = bourse_secrets_new (fixture->dir, BOURSE_SECRETS_BACKEND_FILE, &error);
  g_assert_no_error (error);
  fixture->notifiers = bourse_notifiers_create_all (fixture->config, fixture->secrets, NULL);
  fixture->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  fixture->next_fcm_status = 200;

  cert = g_build_filename (fixture->dir, "cert.pem", NULL);
  key = g_build_filename (fixture->dir, "key.pem", NULL);
  run_command ((const char * const[]) { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                        "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", NULL });
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->smtp != NULL)
    {
      g_subprocess_force_exit (fixture->smtp);
      g_subprocess_wait (fixture->smtp, NULL, NULL);
      g_clear_object (&fixture->smtp);
    }
  if (fixture->http != NULL)
    soup_server_disconnect (fixture->http);
  g_clear_object (&fixture->http);
  g_clear_object (&fixture->listener);
  g_clear_pointer (&fixture->notifiers, g_ptr_array_unref);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->config);
  g_clear_pointer (&fixture->requests, g_ptr_array_unref);
  g_free (fixture->http_url);
  g_free (fixture->last_assertion);
  g_free (fixture->last_authorization);
  g_free (fixture->last_api_key);
  run_command ((const char * const[]) { "rm", "-rf", fixture->dir, NULL });
  g_free (fixture->dir);
}

/* SMTP {{{ */

static const char *
python (void)
{
  /* Debian's interpreter, where python3-aiosmtpd is installed, even when
   * another python3 comes first on PATH. */
  return g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/python3" : "python3";
}

/* Starts the SMTP server (options: its arguments after --dir) and points
 * the email channel at it. */
static void
start_smtp (Fixture            *fixture,
            const char * const *options)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autofree char *line = NULL;
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "integration", "smtp-server.py", NULL);
  g_autofree char *cert = g_build_filename (fixture->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (fixture->dir, "key.pem", NULL);
  g_autofree char *port = NULL;

  g_strv_builder_add_many (builder, python (), script, "--dir", fixture->dir, "--cert", cert, "--key", key, NULL);
  g_strv_builder_addv (builder, (const char **) options);
  argv = g_strv_builder_end (builder);
  fixture->smtp = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                                     &error);
  g_assert_no_error (error);

  /* The server says its port once it listens: no wait for luck. */
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->smtp));
  line = g_data_input_stream_read_line (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  fixture->smtp_port = atoi (line + 5);

  port = g_strdup_printf ("%u", fixture->smtp_port);
  set (fixture, "email_transport", "smtp");
  set (fixture, "smtp_host", "127.0.0.1");
  set (fixture, "smtp_port", port);
  set (fixture, "from_address", "bourse@example.org");
}

static void
trust_test_certificate (Fixture *fixture)
{
  g_autofree char *cert = g_build_filename (fixture->dir, "cert.pem", NULL);
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  database = g_tls_file_database_new (cert, &error);
  g_assert_no_error (error);
  g_object_set (notifier (fixture, "email"), "tls-database", database, NULL);
}

static JsonObject *
received (Fixture  *fixture,
          guint     n,
          JsonNode **root)
{
  g_autofree char *name = g_strdup_printf ("msg-%u.json", n);
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  *root = json_from_string (text, &error);
  g_assert_no_error (error);
  return json_node_get_object (*root);
}

static void
assert_error (GError     *error,
              int         code,
              const char *text)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_error (error, BOURSE_NOTIFIER_ERROR, code);
  if (text != NULL && strstr (error->message, text) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, text);
}

static void
test_smtp_message (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *raw_path = g_build_filename (fixture->dir, "msg-1.eml", NULL);
  JsonObject *message;
  JsonArray *parts;
  JsonObject *part;
  const char *subject = "Ordre approuvé : BTC/USDT ≥ 65 000 € — une longue ligne de sujet pour plusieurs mots encodés";

  g_assert_false (bourse_notifier_is_configured (notifier (fixture, "email")));
  start_smtp (fixture, (const char * const[]) { "--mode", "none", NULL });
  set (fixture, "smtp_security", "none");
  g_assert_true (bourse_notifier_is_configured (notifier (fixture, "email")));
  g_assert_cmpstr (bourse_notifier_get_id (notifier (fixture, "email")), ==, "email");

  answer = send (notifier (fixture, "email"), "trader@example.org", subject, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "250 2.0.0 Ok: queued as 1");

  message = received (fixture, 1, &root);
  g_assert_cmpstr (bourse_json_get_string (message, "mail_from"), ==, "bourse@example.org");
  g_assert_cmpstr (json_array_get_string_element (bourse_json_get_array (message, "rcpt_tos"), 0), ==,
                   "trader@example.org");
  g_assert_cmpstr (bourse_json_get_string (message, "from"), ==, "bourse@example.org");
  g_assert_cmpstr (bourse_json_get_string (message, "to"), ==, "trader@example.org");
  /* Decoded by Python from RFC 2047 words, sent as ASCII. */
  g_assert_cmpstr (bourse_json_get_string (message, "subject"), ==, subject);
  g_assert_true (g_str_has_prefix (bourse_json_get_string (message, "raw_subject"), "=?UTF-8?B?"));
  g_assert_true (g_str_has_prefix (bourse_json_get_string (message, "message_id"), "<delivery-42."));
  g_assert_true (g_str_has_suffix (bourse_json_get_string (message, "message_id"), "@bourse>"));
  g_assert_cmpstr (bourse_json_get_string (message, "delivery"), ==, "42");
  g_assert_nonnull (strstr (bourse_json_get_string (message, "date"), " +0000"));
  g_assert_cmpstr (bourse_json_get_string (message, "content_type"), ==, "multipart/alternative");
  g_assert_cmpuint (json_array_get_length (bourse_json_get_array (message, "defects")), ==, 0);

  parts = bourse_json_get_array (message, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  part = json_array_get_object_element (parts, 0);
  g_assert_cmpstr (bourse_json_get_string (part, "type"), ==, "text/plain");
  g_assert_cmpstr (bourse_json_get_string (part, "charset"), ==, "utf-8");
  g_assert_cmpstr (bourse_json_get_string (part, "encoding"), ==, "quoted-printable");
  /* Dot-stuffing undone by the server, soft breaks by the parser. */
  g_assert_cmpstr (bourse_json_get_string (part, "text"), ==,
                   "Hello,\n.a line starting with a dot\nand a long one: "
                   "Zürich ÄÖÜ äöü = equals and more text to pass the seventy-six characters of a QP line\n"
                   "End");
  part = json_array_get_object_element (parts, 1);
  g_assert_cmpstr (bourse_json_get_string (part, "type"), ==, "text/html");
  g_assert_cmpstr (bourse_json_get_string (part, "text"), ==, "<p>Hello <b>trader</b> — Zürich</p>");

  /* Every line of what went over the wire fits SMTP's limits. */
  g_file_get_contents (raw_path, &raw, NULL, &error);
  g_assert_no_error (error);
  {
    g_auto(GStrv) lines = g_strsplit (raw, "\r\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
      {
        g_assert_cmpuint (strlen (lines[i]), <=, 78);
        for (const char *p = lines[i]; *p != '\0'; p++)
          g_assert_true ((guchar) *p < 0x80 && *p != '\n' && *p != '\r');
      }
  }
}

static void
test_smtp_starttls_auth (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answer = NULL;
  JsonObject *message;

  start_smtp (fixture, (const char * const[]) { "--mode", "starttls", "--auth", "mailer:s3cret pass", NULL });
  set (fixture, "smtp_security", "starttls");
  set (fixture, "smtp_username", "mailer");
  store_secret (fixture, "notify.smtp_password", "s3cret pass");

  /* The self-signed certificate is refused until it is trusted. */
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, "TLS");
  g_clear_error (&error);

  trust_test_certificate (fixture);
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (answer, "250 "));
  message = received (fixture, 1, &root);
  g_assert_true (json_object_get_boolean_member (message, "tls"));
  g_assert_cmpstr (bourse_json_get_string (message, "login"), ==, "mailer");
  g_assert_cmpstr (bourse_json_get_string (message, "mechanism"), ==, "PLAIN");
  g_assert_cmpstr (bourse_json_get_string (message, "subject"), ==, "Hi");
  g_assert_cmpstr (bourse_json_get_string (message, "raw_subject"), ==, "Hi");

  /* A wrong password: the server's 535 is permanent. */
  set (fixture, "smtp_password", "");
  store_secret (fixture, "notify.smtp_password", "wrong");
  g_clear_pointer (&answer, g_free);
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, "535");
  g_clear_error (&error);
}

static void
test_smtp_login_implicit_tls (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answer = NULL;
  JsonObject *message;

  start_smtp (fixture, (const char * const[]) { "--mode", "tls", "--auth", "mailer:pw", "--login-only", NULL });
  set (fixture, "smtp_security", "tls");
  set (fixture, "smtp_username", "mailer");
  /* The headless file's value, when the keyring has none. */
  set (fixture, "smtp_password", "pw");
  trust_test_certificate (fixture);

  answer = send (notifier (fixture, "email"), "trader@example.org", "Implicit", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (answer, "250 "));
  message = received (fixture, 1, &root);
  g_assert_true (json_object_get_boolean_member (message, "tls"));
  g_assert_cmpstr (bourse_json_get_string (message, "mechanism"), ==, "LOGIN");
  g_assert_cmpstr (bourse_json_get_string (message, "login"), ==, "mailer");
}

static void
test_smtp_starttls_required (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  /* A server without STARTTLS is not written to in the clear. */
  start_smtp (fixture, (const char * const[]) { "--mode", "none", NULL });
  set (fixture, "smtp_security", "starttls");
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, "STARTTLS");
}

static void
test_smtp_failures (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *port = NULL;
  guint16 free_port;

  start_smtp (fixture, (const char * const[]) { "--mode", "none", "--rcpt-reply", "450 4.2.0 Mailbox busy", NULL });
  set (fixture, "smtp_security", "none");
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_TEMPORARY, "450 4.2.0 Mailbox busy");
  g_clear_error (&error);

  g_subprocess_force_exit (fixture->smtp);
  g_subprocess_wait (fixture->smtp, NULL, NULL);
  g_clear_object (&fixture->smtp);
  start_smtp (fixture, (const char * const[]) { "--mode", "none", "--rcpt-reply", "550 5.1.1 No such user", NULL });
  answer = send (notifier (fixture, "email"), "nobody@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, "550 5.1.1 No such user");
  g_clear_error (&error);

  /* A port nobody listens on: a port bound and closed again here. */
  free_port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  port = g_strdup_printf ("%u", free_port);
  set (fixture, "smtp_port", port);
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_TEMPORARY, NULL);
  g_clear_error (&error);

  /* Not an address: refused before anything is sent. */
  answer = send (notifier (fixture, "email"), "trader@example.org>\r\nRCPT TO:<x@y", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, NULL);
  g_clear_error (&error);

  set (fixture, "email_transport", "none");
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED, NULL);
}

static void
test_dot_stuff (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "", ".\r\n" },
    { "a", "a\r\n.\r\n" },
    { ".", "..\r\n.\r\n" },
    { "a\r\n.b\r\n", "a\r\n..b\r\n.\r\n" },
    { "a\n.\nb", "a\r\n..\r\nb\r\n.\r\n" },
    { "a\r.b", "a\r\n..b\r\n.\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) in = g_bytes_new_static (cases[i].in, strlen (cases[i].in));
      g_autoptr(GBytes) out = bourse_smtp_dot_stuff (in);
      g_autofree char *text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));

      g_assert_cmpstr (text, ==, cases[i].out);
    }
}

/* }}} */

/* Brevo and FCM {{{ */

static void
http_cb (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  g_assert_cmpstr (soup_server_message_get_method (message), ==, "POST");

  if (g_str_equal (path, "/v3/smtp/email"))
    {
      g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (bytes, NULL), NULL);

      g_assert_cmpstr (content_type, ==, "application/json");
      g_free (fixture->last_api_key);
      fixture->last_api_key = g_strdup (soup_message_headers_get_one (headers, "api-key"));
      g_ptr_array_add (fixture->requests, g_steal_pointer (&root));
      soup_server_message_set_status (message, fixture->next_fcm_status == 200 ? 201 : fixture->next_fcm_status,
                                      NULL);
      static const char answer[] = "{\"messageId\":\"<202612060600.1@smtp-relay.mailin.fr>\"}";

      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                        answer, strlen (answer));
    }
  else if (g_str_equal (path, "/token"))
    {
      g_autofree char *form_text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_autoptr(GHashTable) form = soup_form_decode (form_text);
      g_autofree char *answer = NULL;

      g_assert_cmpstr (content_type, ==, "application/x-www-form-urlencoded");
      g_assert_cmpstr (g_hash_table_lookup (form, "grant_type"), ==,
                       "urn:ietf:params:oauth:grant-type:jwt-bearer");
      g_free (fixture->last_assertion);
      fixture->last_assertion = g_strdup (g_hash_table_lookup (form, "assertion"));
      fixture->token_requests++;
      answer = g_strdup_printf ("{\"access_token\":\"ya29.token-%u\",\"expires_in\":3599,\"token_type\":\"Bearer\"}",
                                fixture->token_requests);
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
    }
  else if (g_str_equal (path, "/v1/projects/proj-1/messages:send"))
    {
      g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (bytes, NULL), NULL);
      const char *answer = fixture->next_fcm_body != NULL ? fixture->next_fcm_body
                                                           : "{\"name\":\"projects/proj-1/messages/0:1\"}";

      g_assert_cmpstr (content_type, ==, "application/json");
      g_free (fixture->last_authorization);
      fixture->last_authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
      g_ptr_array_add (fixture->requests, g_steal_pointer (&root));
      soup_server_message_set_status (message, fixture->next_fcm_status, NULL);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
      fixture->next_fcm_status = 200;
      fixture->next_fcm_body = NULL;
    }
  else
    {
      soup_server_message_set_status (message, 404, NULL);
    }
}

static void
start_http (Fixture *fixture)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* Our own socket: libsoup 3.2's soup_server_listen_local () and
   * soup_server_get_uris () leak. */
  fixture->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (fixture->listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (fixture->listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (fixture->listener, &error);
  g_assert_no_error (error);

  fixture->http = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->http, NULL, http_cb, fixture, NULL);
  soup_server_listen_socket (fixture->http, fixture->listener, 0, &error);
  g_assert_no_error (error);
  fixture->http_url = g_strdup_printf ("http://127.0.0.1:%u",
                                       g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static void
test_brevo (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *url = NULL;
  JsonObject *request;

  start_http (fixture);
  url = g_strconcat (fixture->http_url, "/v3/smtp/email", NULL);
  set (fixture, "email_transport", "brevo");
  set (fixture, "brevo_url", url);
  set (fixture, "from_address", "bourse@example.org");
  g_assert_false (bourse_notifier_is_configured (notifier (fixture, "email")));
  store_secret (fixture, "notify.brevo_api_key", "xkeysib-test");
  g_assert_true (bourse_notifier_is_configured (notifier (fixture, "email")));

  answer = send (notifier (fixture, "email"), "trader@example.org", "Ordre approuvé", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "201 <202612060600.1@smtp-relay.mailin.fr>");
  g_assert_cmpstr (fixture->last_api_key, ==, "xkeysib-test");
  g_assert_cmpuint (fixture->requests->len, ==, 1);
  request = json_node_get_object (fixture->requests->pdata[0]);
  g_assert_cmpstr (bourse_json_get_string (bourse_json_get_object (request, "sender"), "email"), ==,
                   "bourse@example.org");
  g_assert_cmpstr (bourse_json_get_string (json_array_get_object_element (bourse_json_get_array (request, "to"), 0),
                                           "email"), ==, "trader@example.org");
  g_assert_cmpstr (bourse_json_get_string (request, "subject"), ==, "Ordre approuvé");
  g_assert_cmpstr (bourse_json_get_string (request, "htmlContent"), ==, "<p>Hello <b>trader</b> — Zürich</p>");
  g_assert_true (g_str_has_prefix (bourse_json_get_string (request, "textContent"), "Hello,\n.a line"));

  fixture->next_fcm_status = 503;
  g_clear_pointer (&answer, g_free);
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_TEMPORARY, "503");
  g_clear_error (&error);

  fixture->next_fcm_status = 401;
  answer = send (notifier (fixture, "email"), "trader@example.org", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, "401");
}

static char *
base64url_decode (const char *text,
                  gsize      *length)
{
  g_autoptr(GString) padded = g_string_new (text);

  g_strdelimit (padded->str, "-", '+');
  g_strdelimit (padded->str, "_", '/');
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');
  return (char *) g_base64_decode (padded->str, length);
}

/* Checks the JWT as Google would: its claims, and its RS256 signature
 * against the public key, by openssl. */
static void
verify_assertion (Fixture    *fixture,
                  const char *token_url)
{
  g_auto(GStrv) pieces = g_strsplit (fixture->last_assertion, ".", -1);
  g_autofree char *header_text = NULL;
  g_autofree char *claims_text = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *input = NULL;
  g_autofree char *input_path = g_build_filename (fixture->dir, "jwt-input", NULL);
  g_autofree char *signature_path = g_build_filename (fixture->dir, "jwt-signature", NULL);
  g_autofree char *public_path = g_build_filename (fixture->dir, "fcm-public.pem", NULL);
  g_autoptr(JsonNode) header = NULL;
  g_autoptr(JsonNode) claims = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gint64 iat = 0;
  gint64 exp = 0;
  gsize length = 0;

  g_assert_cmpuint (g_strv_length (pieces), ==, 3);
  header_text = base64url_decode (pieces[0], &length);
  header_text = g_realloc (header_text, length + 1);
  header_text[length] = '\0';
  claims_text = base64url_decode (pieces[1], &length);
  claims_text = g_realloc (claims_text, length + 1);
  claims_text[length] = '\0';

  header = json_from_string (header_text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (header);
  g_assert_cmpstr (bourse_json_get_string (object, "alg"), ==, "RS256");
  g_assert_cmpstr (bourse_json_get_string (object, "typ"), ==, "JWT");
  g_assert_cmpstr (bourse_json_get_string (object, "kid"), ==, "kid-1");

  claims = json_from_string (claims_text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (claims);
  g_assert_cmpstr (bourse_json_get_string (object, "iss"), ==, "bourse@proj-1.iam.gserviceaccount.com");
  g_assert_cmpstr (bourse_json_get_string (object, "scope"), ==, "https://www.googleapis.com/auth/firebase.messaging");
  g_assert_cmpstr (bourse_json_get_string (object, "aud"), ==, token_url);
  g_assert_true (bourse_json_get_int (object, "iat", &iat));
  g_assert_true (bourse_json_get_int (object, "exp", &exp));
  g_assert_cmpint (exp - iat, ==, 3600);

  signature = base64url_decode (pieces[2], &length);
  g_assert_cmpuint (length, ==, 256);
  g_file_set_contents (signature_path, signature, length, &error);
  g_assert_no_error (error);
  input = g_strconcat (pieces[0], ".", pieces[1], NULL);
  g_file_set_contents (input_path, input, -1, &error);
  g_assert_no_error (error);
  run_command ((const char * const[]) { "openssl", "dgst", "-sha256", "-verify", public_path,
                                        "-signature", signature_path, input_path, NULL });
}

static void
set_up_fcm (Fixture *fixture)
{
  g_autofree char *key_path = g_build_filename (fixture->dir, "fcm-key.pem", NULL);
  g_autofree char *public_path = g_build_filename (fixture->dir, "fcm-public.pem", NULL);
  g_autofree char *pem = NULL;
  g_autofree char *account = NULL;
  g_autofree char *token_url = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  run_command ((const char * const[]) { "openssl", "genpkey", "-algorithm", "RSA",
                                        "-pkeyopt", "rsa_keygen_bits:2048", "-out", key_path, NULL });
  run_command ((const char * const[]) { "openssl", "pkey", "-in", key_path, "-pubout", "-out", public_path, NULL });
  g_file_get_contents (key_path, &pem, NULL, &error);
  g_assert_no_error (error);

  start_http (fixture);
  token_url = g_strconcat (fixture->http_url, "/token", NULL);
  /* The shape of a key Google's console gives. */
  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "type", "service_account");
  bourse_json_builder_add_string (builder, "project_id", "proj-1");
  bourse_json_builder_add_string (builder, "private_key_id", "kid-1");
  bourse_json_builder_add_string (builder, "private_key", pem);
  bourse_json_builder_add_string (builder, "client_email", "bourse@proj-1.iam.gserviceaccount.com");
  bourse_json_builder_add_string (builder, "token_uri", "https://oauth2.googleapis.com/token");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  account = bourse_json_to_string (root, NULL);

  g_assert_false (bourse_notifier_is_configured (notifier (fixture, "push")));
  set (fixture, "fcm_project_id", "proj-1");
  set (fixture, "fcm_service_account", account);
  set (fixture, "fcm_url", fixture->http_url);
  set (fixture, "fcm_token_url", token_url);
  g_assert_true (bourse_notifier_is_configured (notifier (fixture, "push")));
}

static void
test_fcm (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *token_url = NULL;
  JsonObject *message;
  JsonObject *fcm_data;

  set_up_fcm (fixture);
  token_url = g_strconcat (fixture->http_url, "/token", NULL);

  answer = send (notifier (fixture, "push"), "device-token-1", "Approval pending", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer, ==, "projects/proj-1/messages/0:1");
  g_assert_cmpuint (fixture->token_requests, ==, 1);
  verify_assertion (fixture, token_url);
  g_assert_cmpstr (fixture->last_authorization, ==, "Bearer ya29.token-1");

  message = bourse_json_get_object (json_node_get_object (fixture->requests->pdata[0]), "message");
  g_assert_cmpstr (bourse_json_get_string (message, "token"), ==, "device-token-1");
  g_assert_cmpstr (bourse_json_get_string (bourse_json_get_object (message, "notification"), "title"), ==,
                   "Approval pending");
  g_assert_true (g_str_has_prefix (bourse_json_get_string (bourse_json_get_object (message, "notification"), "body"),
                                   "Hello,"));
  fcm_data = bourse_json_get_object (message, "data");
  g_assert_cmpstr (bourse_json_get_string (fcm_data, "event"), ==, "approval.pending");
  g_assert_cmpstr (bourse_json_get_string (fcm_data, "delivery"), ==, "42");
  g_assert_cmpstr (bourse_json_get_string (fcm_data, "symbol"), ==, "BTCUSDT");
  g_assert_cmpstr (bourse_json_get_string (fcm_data, "price"), ==, "65000.5");
  g_assert_cmpstr (bourse_json_get_string (fcm_data, "count"), ==, "3");
  g_assert_cmpstr (bourse_json_get_string (fcm_data, "nested"), ==, "{\"a\":1}");
  g_assert_false (json_object_has_member (fcm_data, "gone"));

  /* The second send reuses the token. */
  g_clear_pointer (&answer, g_free);
  answer = send (notifier (fixture, "push"), "device-token-1", "Again", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->token_requests, ==, 1);
  g_assert_cmpstr (fixture->last_authorization, ==, "Bearer ya29.token-1");

  /* A 401 is permanent and drops the token; the next send mints one. */
  fixture->next_fcm_status = 401;
  fixture->next_fcm_body = "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication "
                           "credentials.\",\"status\":\"UNAUTHENTICATED\"}}";
  g_clear_pointer (&answer, g_free);
  answer = send (notifier (fixture, "push"), "device-token-1", "Again", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, "401");
  g_clear_error (&error);
  g_assert_cmpuint (fixture->token_requests, ==, 1);

  answer = send (notifier (fixture, "push"), "device-token-1", "Again", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->token_requests, ==, 2);
  g_assert_cmpstr (fixture->last_authorization, ==, "Bearer ya29.token-2");
  verify_assertion (fixture, token_url);
}

static void
test_fcm_failures (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;

  set_up_fcm (fixture);

  fixture->next_fcm_status = 404;
  fixture->next_fcm_body = "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\","
                           "\"status\":\"NOT_FOUND\",\"details\":[{\"@type\":"
                           "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"UNREGISTERED\"}]}}";
  answer = send (notifier (fixture, "push"), "stale-token", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_INVALID_RECIPIENT, "UNREGISTERED");
  g_clear_error (&error);

  fixture->next_fcm_status = 400;
  fixture->next_fcm_body = "{\"error\":{\"code\":400,\"message\":\"The registration token is not a valid FCM "
                           "registration token\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
                           "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":\"INVALID_ARGUMENT\"}]}}";
  answer = send (notifier (fixture, "push"), "bad-token", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_INVALID_RECIPIENT, NULL);
  g_clear_error (&error);

  /* INVALID_ARGUMENT about something else is the request's fault. */
  fixture->next_fcm_status = 400;
  fixture->next_fcm_body = "{\"error\":{\"code\":400,\"message\":\"Invalid value at 'message.data[0].value'\","
                           "\"status\":\"INVALID_ARGUMENT\"}}";
  answer = send (notifier (fixture, "push"), "good-token", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, NULL);
  g_clear_error (&error);

  fixture->next_fcm_status = 429;
  fixture->next_fcm_body = "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\"}}";
  answer = send (notifier (fixture, "push"), "good-token", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_TEMPORARY, "429");
  g_clear_error (&error);

  fixture->next_fcm_status = 503;
  fixture->next_fcm_body = "{}";
  answer = send (notifier (fixture, "push"), "good-token", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_TEMPORARY, "503");
  g_clear_error (&error);

  fixture->next_fcm_status = 403;
  fixture->next_fcm_body = "{\"error\":{\"code\":403,\"status\":\"PERMISSION_DENIED\"}}";
  answer = send (notifier (fixture, "push"), "good-token", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_PERMANENT, "403");
  g_clear_error (&error);
  /* Only a 401 costs the token. */
  g_assert_cmpuint (fixture->token_requests, ==, 1);

  /* A key that is not one: not configured, nothing sent. */
  set (fixture, "fcm_service_account", "{\"client_email\":\"x@y\",\"private_key\":\"not a key\"}");
  answer = send (notifier (fixture, "push"), "good-token", "Hi", &error);
  g_assert_null (answer);
  assert_error (error, BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED, NULL);
  g_assert_cmpuint (fixture->token_requests, ==, 1);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/notify/smtp/dot-stuff", test_dot_stuff);
  g_test_add ("/notify/smtp/message", Fixture, NULL, fixture_set_up, test_smtp_message, fixture_tear_down);
  g_test_add ("/notify/smtp/starttls-auth", Fixture, NULL, fixture_set_up, test_smtp_starttls_auth,
              fixture_tear_down);
  g_test_add ("/notify/smtp/login-implicit-tls", Fixture, NULL, fixture_set_up, test_smtp_login_implicit_tls,
              fixture_tear_down);
  g_test_add ("/notify/smtp/starttls-required", Fixture, NULL, fixture_set_up, test_smtp_starttls_required,
              fixture_tear_down);
  g_test_add ("/notify/smtp/failures", Fixture, NULL, fixture_set_up, test_smtp_failures, fixture_tear_down);
  g_test_add ("/notify/brevo", Fixture, NULL, fixture_set_up, test_brevo, fixture_tear_down);
  g_test_add ("/notify/fcm", Fixture, NULL, fixture_set_up, test_fcm, fixture_tear_down);
  g_test_add ("/notify/fcm/failures", Fixture, NULL, fixture_set_up, test_fcm_failures, fixture_tear_down);

  return g_test_run ();
}
