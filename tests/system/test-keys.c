/* test-keys.c — `boursed keys rotate` ends the old key's tokens in a
 * running boursed
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

/* Generous, for sanitizer builds on a busy machine; a wait that runs out
 * fails the test instead of hanging it. */
#define START_TIMEOUT_S   60
#define COMMAND_TIMEOUT_S 60
#define PASSWORD          "correct horse battery staple"

static const char *boursed;

typedef struct
{
  char *dir;
  char *data_dir;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK)
      && (dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-keys-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
}

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (gboolean   *done,
          guint       seconds,
          const char *what)
{
  gboolean expired = FALSE;
  guint source = g_timeout_add_seconds (seconds, deadline_cb, &expired);

  while (!*done && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!*done)
    g_error ("Timed out after %u s waiting for %s", seconds, what);
  g_source_remove (source);
}

static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Ours without BOURSE_*, with private XDG directories and file secrets:
 * the daemon and the command line find the same key. */
static GSubprocessLauncher *
launcher_new (Fixture          *f,
              GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_auto(GStrv) inherited = g_get_environ ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *config_home = g_build_filename (f->dir, "config", NULL);
  g_autofree char *data_home = g_build_filename (f->dir, "xdg-data", NULL);
  g_auto(GStrv) env = NULL;

  for (guint i = 0; inherited[i] != NULL; i++)
    if (!g_str_has_prefix (inherited[i], "BOURSE_"))
      g_strv_builder_add (builder, inherited[i]);
  env = g_strv_builder_end (builder);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config_home, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  env = g_environ_setenv (env, "BOURSE_AUTH_SECRETS_BACKEND", "file", TRUE);
  env = g_environ_setenv (env, "BOURSE_SIMULATED_ENABLED", "false", TRUE);
  env = g_environ_setenv (env, "BOURSE_RATE_LIMIT_ENABLED", "false", TRUE);
  /* Cheap hashing: the test is about keys, not passwords. */
  env = g_environ_setenv (env, "BOURSE_AUTH_PASSWORD_OPSLIMIT", "1", TRUE);
  env = g_environ_setenv (env, "BOURSE_AUTH_PASSWORD_MEMLIMIT_KIB", "8", TRUE);

  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  return launcher;
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
} Output;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Output *output = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &output->out, &output->err, &error);
  g_assert_no_error (error);
  output->done = TRUE;
}

/* `boursed ARGS…` to its end, with @input on its standard input; its
 * standard output. */
static char *
run_boursed (Fixture            *f,
             const char         *input,
             const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (f, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  Output output = { 0 };

  g_ptr_array_add (argv, (char *) boursed);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  shown = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("$ %s", shown);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, &output);
  wait_for (&output.done, COMMAND_TIMEOUT_S, shown);

  g_test_message ("stdout: %s\nstderr: %s", output.out, output.err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_free (output.err);
  return output.out;
}

typedef struct
{
  gboolean  done;
  char     *line;
} LineRead;

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);
  read->done = TRUE;
}

/* `boursed serve --port 0`; its base URL in *url. */
static GSubprocess *
start_daemon (Fixture  *f,
              char    **url)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *log_path = g_build_filename (f->dir, "boursed.log", NULL);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  LineRead read = { 0 };

  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  process = g_subprocess_launcher_spawn (launcher, &error, boursed, "serve", "--port", "0", "--data-dir", f->data_dir,
                                         NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  wait_for (&read.done, START_TIMEOUT_S, "the Listening line of boursed serve");
  if (read.line == NULL || !g_str_has_prefix (read.line, "Listening on http://127.0.0.1:"))
    {
      g_autofree char *log = NULL;

      g_file_get_contents (log_path, &log, NULL, NULL);
      g_error ("boursed serve did not start (%s); its log:\n%s", read.line, log);
    }
  *url = g_strdup (read.line + strlen ("Listening on "));
  g_free (read.line);
  return process;
}

/* A blocking request is fine: the server is another process. */
static guint
call (SoupSession  *session,
      const char   *base,
      const char   *method,
      const char   *path,
      const char   *bearer,
      const char   *body,
      JsonNode    **json)
{
  g_autofree char *url = g_strconcat (base, path + 1, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s %s → %u", method, path, soup_message_get_status (message));
  if (json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer),
                                                 &error));
      g_assert_no_error (error);
      *json = json_node_ref (json_parser_get_root (parser));
    }
  return soup_message_get_status (message);
}

static char *
member (JsonNode   *node,
        const char *name)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return g_strdup (json_object_get_string_member (json_node_get_object (node), name));
}

/* Signed in to a running boursed; `boursed keys rotate` on its data
 * directory; the access token signed before is refused at once, without
 * a restart. The session goes on: its refresh token gets an access token
 * signed with the new key, and signing in works as before. */
static void
test_rotate_running (Fixture       *f,
                     gconstpointer  data)
{
  const char *add[] = { "user", "add", "alice", "--role", "admin", "--password-stdin", "--data-dir", f->data_dir, NULL };
  const char *rotate[] = { "keys", "rotate", "--data-dir", f->data_dir, NULL };
  const char *verify[] = { "audit", "verify", "--data-dir", f->data_dir, NULL };
  const char *credentials = "{\"username\":\"alice\",\"password\":\"" PASSWORD "\"}";
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(JsonNode) refreshed = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *url = NULL;
  g_autofree char *old_access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *refresh_body = NULL;
  g_autofree char *new_access = NULL;
  g_autofree char *signed_in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *verdict = NULL;

  g_free (run_boursed (f, PASSWORD "\n", add));
  daemon = start_daemon (f, &url);

  g_assert_cmpuint (call (session, url, "POST", "/api/v1/auth/login", NULL, credentials, &tokens), ==, 200);
  old_access = member (tokens, "access_token");
  refresh = member (tokens, "refresh_token");
  g_assert_cmpuint (call (session, url, "GET", "/api/v1/users/me", old_access, NULL, NULL), ==, 200);

  out = run_boursed (f, NULL, rotate);
  g_assert_nonnull (strstr (out, "New signing key in place"));

  /* At once: the next request with the old token. */
  g_assert_cmpuint (call (session, url, "GET", "/api/v1/users/me", old_access, NULL, &refused), ==, 401);
  g_assert_cmpuint (call (session, url, "GET", "/api/v1/instruments", old_access, NULL, NULL), ==, 401);

  refresh_body = g_strdup_printf ("{\"refresh_token\":\"%s\"}", refresh);
  g_assert_cmpuint (call (session, url, "POST", "/api/v1/auth/refresh", NULL, refresh_body, &refreshed), ==, 200);
  new_access = member (refreshed, "access_token");
  g_assert_cmpstr (new_access, !=, old_access);
  g_assert_cmpuint (call (session, url, "GET", "/api/v1/users/me", new_access, NULL, NULL), ==, 200);
  g_assert_cmpuint (call (session, url, "GET", "/api/v1/users/me", old_access, NULL, NULL), ==, 401);

  g_assert_cmpuint (call (session, url, "POST", "/api/v1/auth/login", NULL, credentials, &again), ==, 200);
  signed_in = member (again, "access_token");
  g_assert_cmpuint (call (session, url, "GET", "/api/v1/users/me", signed_in, NULL, NULL), ==, 200);

  /* A second rotation ends the tokens of the first one's key as well. */
  g_free (run_boursed (f, NULL, rotate));
  g_assert_cmpuint (call (session, url, "GET", "/api/v1/users/me", signed_in, NULL, NULL), ==, 401);
  g_assert_cmpuint (call (session, url, "GET", "/api/v1/users/me", new_access, NULL, NULL), ==, 401);

  g_subprocess_send_signal (daemon, SIGTERM);
  g_assert_true (g_subprocess_wait (daemon, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), ==, 0);

  /* Both rotations are in the audit trail, which holds. */
  verdict = run_boursed (f, NULL, verify);
  g_assert_nonnull (strstr (verdict, "intact"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  boursed = g_getenv ("BOURSED");
  if (boursed == NULL || !g_file_test (boursed, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_print ("1..0 # SKIP BOURSED does not name the boursed binary\n");
      return 0;
    }

  g_test_add ("/keys/rotate-running", Fixture, NULL, fixture_set_up, test_rotate_running, fixture_tear_down);

  return g_test_run ();
}
