/* boursed-test-util.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "boursed-test-util.h"

static const char *boursed;

const char *
boursed_test_init (void)
{
  boursed = g_getenv ("BOURSED");
  if (boursed == NULL || !g_file_test (boursed, G_FILE_TEST_IS_EXECUTABLE))
    {
      /* The build sets BOURSED; without it there is nothing to test. */
      g_printerr ("BOURSED must name the boursed binary (got %s)\n", boursed ? boursed : "nothing");
      g_print ("Bail out! BOURSED is not set\n");
      return NULL;
    }
  return boursed;
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
boursed_fixture_set_up (BoursedFixture *f,
                        gconstpointer   data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-boursed-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->config_home = g_build_filename (f->dir, "config", NULL);
  g_assert_cmpint (g_mkdir (f->config_home, 0700), ==, 0);
}

void
boursed_fixture_tear_down (BoursedFixture *f,
                           gconstpointer   data)
{
  /* A failed test keeps its logs for whoever looks into it. */
  if (!g_test_failed ())
    remove_tree (f->dir);
  else
    g_test_message ("Kept %s", f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->config_home);
}

/* --- waiting with a deadline ----------------------------------------------- */

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

void
boursed_wait_for (gboolean   *done,
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

gboolean
boursed_poll (gboolean (*condition) (gpointer),
              gpointer   data,
              guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  for (;;)
    {
      gboolean tick = FALSE;

      if (condition (data))
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_timeout_add (20, deadline_cb, &tick);
      while (!tick)
        g_main_context_iteration (NULL, TRUE);
    }
}

/* --- children ---------------------------------------------------------------- */

void
boursed_child_setup (gpointer data)
{
  /* Children die with us, so a failure leaves no daemon behind. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

char **
boursed_child_environ (BoursedFixture     *f,
                       const char * const *extra)
{
  g_auto(GStrv) inherited = g_get_environ ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) env = NULL;
  g_autofree char *data_home = g_build_filename (f->dir, "xdg-data", NULL);

  for (guint i = 0; inherited[i] != NULL; i++)
    if (!g_str_has_prefix (inherited[i], "BOURSE_"))
      g_strv_builder_add (builder, inherited[i]);
  env = g_strv_builder_end (builder);

  env = g_environ_setenv (env, "XDG_CONFIG_HOME", f->config_home, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  env = g_environ_unsetenv (env, "NOTIFY_SOCKET");
  env = g_environ_unsetenv (env, "INVOCATION_ID");
  /* No simulated market, no keyring, no rate limits, cheap hashing: these
   * tests are about the server's resources and its store, not those. */
  env = g_environ_setenv (env, "BOURSE_SIMULATED_ENABLED", "false", TRUE);
  env = g_environ_setenv (env, "BOURSE_AUTH_SECRETS_BACKEND", "file", TRUE);
  env = g_environ_setenv (env, "BOURSE_RATE_LIMIT_ENABLED", "false", TRUE);
  env = g_environ_setenv (env, "BOURSE_AUTH_PASSWORD_OPSLIMIT", "1", TRUE);
  env = g_environ_setenv (env, "BOURSE_AUTH_PASSWORD_MEMLIMIT_KIB", "8", TRUE);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra[i], "=", 2);
      env = g_environ_setenv (env, pair[0], pair[1], TRUE);
    }

  return g_steal_pointer (&env);
}

static GSubprocessLauncher *
launcher_new (BoursedFixture     *f,
              GSubprocessFlags    flags,
              const char * const *extra_env)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_auto(GStrv) env = boursed_child_environ (f, extra_env);

  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_set_child_setup (launcher, boursed_child_setup, NULL, NULL);
  return launcher;
}

static GPtrArray *
argv_new (const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *)boursed);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

typedef struct
{
  BoursedCommand *command;
  gboolean        done;
} Communicated;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communicated *state = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &state->command->out,
                                        &state->command->err, &error);
  g_assert_no_error (error);
  state->done = TRUE;
}

void
boursed_run (BoursedFixture     *f,
             const char * const *extra_env,
             const char * const *args,
             const char         *input,
             BoursedCommand     *command)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (f, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                  extra_env);
  g_autoptr(GPtrArray) argv = argv_new (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_strjoinv (" ", (char **)argv->pdata);
  Communicated state = { command, FALSE };

  g_test_message ("$ %s", shown);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);

  memset (command, 0, sizeof *command);
  g_subprocess_communicate_utf8_async (process, input ? input : "", NULL, communicate_cb, &state);
  boursed_wait_for (&state.done, BOURSED_COMMAND_TIMEOUT_S, shown);

  command->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", command->status, command->out, command->err);
}

void
boursed_command_clear (BoursedCommand *command)
{
  g_clear_pointer (&command->out, g_free);
  g_clear_pointer (&command->err, g_free);
}

void
boursed_add_user (BoursedFixture *f,
                  const char     *name,
                  const char     *role,
                  const char     *password)
{
  const char *args[] = { "user", "add", name, "--role", role, "--password-stdin", "--data-dir", f->data_dir, NULL };
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  g_auto(BoursedCommand) command = { 0 };

  boursed_run (f, NULL, args, input, &command);
  g_assert_cmpint (command.status, ==, 0);
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
  g_autoptr(GError) error = NULL;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

char *
boursed_daemon_read_line (BoursedDaemon *daemon)
{
  LineRead read = { 0 };

  g_data_input_stream_read_line_async (daemon->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  boursed_wait_for (&read.done, BOURSED_START_TIMEOUT_S, "a line of boursed serve");
  return read.line;
}

char *
boursed_daemon_log (BoursedDaemon *daemon)
{
  char *text = NULL;

  g_file_get_contents (daemon->log_path, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

BoursedDaemon *
boursed_daemon_start (BoursedFixture     *f,
                      const char * const *extra_env,
                      const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE, extra_env);
  g_autoptr(GPtrArray) argv = argv_new (args);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *shown = g_strjoinv (" ", (char **)argv->pdata);
  g_autofree char *port = NULL;
  g_autofree char *line = NULL;
  BoursedDaemon *daemon = g_new0 (BoursedDaemon, 1);
  LineRead read = { 0 };

  /* Logs go to a file: a pipe nobody reads would fill up and stall the daemon. */
  daemon->log_path = g_strdup_printf ("%s/boursed-%u.log", f->dir, f->n_logs++);
  g_subprocess_launcher_set_stderr_file_path (launcher, daemon->log_path);

  g_test_message ("$ %s", shown);
  daemon->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  daemon->pid = (GPid)g_ascii_strtoll (g_subprocess_get_identifier (daemon->process), NULL, 10);
  daemon->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon->process));

  g_data_input_stream_read_line_async (daemon->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  boursed_wait_for (&read.done, BOURSED_START_TIMEOUT_S, "the Listening line of boursed serve");
  line = read.line;

  if (line == NULL)
    {
      g_autofree char *log = boursed_daemon_log (daemon);
      g_error ("boursed serve printed nothing on stdout; its log:\n%s", log);
    }

  regex = g_regex_new ("^Listening on http://127\\.0\\.0\\.1:([0-9]+)/$", 0, 0, &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, line, 0, &match))
    g_error ("unexpected first line: '%s'", line);
  port = g_match_info_fetch (match, 1);
  daemon->port = (guint)g_ascii_strtoull (port, NULL, 10);
  g_assert_cmpuint (daemon->port, >, 0);
  g_assert_cmpuint (daemon->port, <, 65536);

  return daemon;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *)user_data = TRUE;
}

void
boursed_daemon_stop (BoursedDaemon *daemon,
                     int            signum)
{
  g_autofree char *log = NULL;
  gboolean exited = FALSE;

  g_subprocess_send_signal (daemon->process, signum);
  g_subprocess_wait_async (daemon->process, NULL, wait_cb, &exited);
  boursed_wait_for (&exited, BOURSED_EXIT_TIMEOUT_S, "boursed to exit");

  log = boursed_daemon_log (daemon);
  if (!g_subprocess_get_if_exited (daemon->process))
    g_error ("boursed did not exit normally after signal %d (killed by %d); its log:\n%s", signum,
             g_subprocess_get_term_sig (daemon->process), log);
  if (g_subprocess_get_exit_status (daemon->process) != 0)
    g_error ("boursed exited with status %d after signal %d; its log:\n%s",
             g_subprocess_get_exit_status (daemon->process), signum, log);
}

void
boursed_daemon_kill (BoursedDaemon *daemon)
{
  gboolean exited = FALSE;

  g_subprocess_force_exit (daemon->process);
  g_subprocess_wait_async (daemon->process, NULL, wait_cb, &exited);
  boursed_wait_for (&exited, BOURSED_EXIT_TIMEOUT_S, "boursed to die");
}

void
boursed_daemon_free (BoursedDaemon *daemon)
{
  if (daemon->process != NULL && g_subprocess_get_identifier (daemon->process) != NULL)
    boursed_daemon_kill (daemon);
  g_clear_object (&daemon->out);
  g_clear_object (&daemon->process);
  g_free (daemon->log_path);
  g_free (daemon);
}

/* --- /proc --------------------------------------------------------------------- */

guint
boursed_count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int)pid);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

guint64
boursed_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int)pid);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *line;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  line = strstr (text, "\nVmRSS:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
}

static guint
count_close_wait_in (const char *table,
                     guint       port)
{
  g_autofree char *text = NULL;
  const char *line;
  guint n = 0;

  if (!g_file_get_contents (table, &text, NULL, NULL))
    return 0;
  /* "  sl  local_address rem_address   st …", then "   0: 0100007F:1F90
   * 0100007F:C350 08 …": 08 is CLOSE_WAIT. Thousands of lines after a wave
   * (TIME-WAIT): read in place, without an allocation per line. */
  for (line = strchr (text, '\n'); line != NULL && line[1] != '\0'; line = strchr (line + 1, '\n'))
    {
      unsigned int local_port, state;

      if (sscanf (line + 1, " %*u: %*x:%x %*x:%*x %x", &local_port, &state) == 2
          && local_port == port && state == 0x08)
        n++;
    }
  return n;
}

guint
boursed_count_close_wait (guint port)
{
  return count_close_wait_in ("/proc/net/tcp", port) + count_close_wait_in ("/proc/net/tcp6", port);
}

/* --- HTTP ------------------------------------------------------------------------ */

JsonNode *
boursed_http (SoupSession         *session,
              guint                port,
              const char          *method,
              const char          *path,
              const char * const  *headers,
              const char          *token,
              const char          *content_type,
              const char          *body,
              guint               *status,
              GError             **error)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;

  g_assert_nonnull (message);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (message), headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, content_type ? content_type : "application/json", request);
    }

  *status = 0;
  response = soup_session_send_and_read (session, message, NULL, error);
  if (response == NULL)
    return NULL;
  *status = soup_message_get_status (message);
  if (g_bytes_get_size (response) == 0)
    return NULL;
  text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  node = json_from_string (text, NULL);
  if (node == NULL)
    g_test_message ("%s %s: not JSON: %s", method, path, text);
  return node;
}

JsonNode *
boursed_http_expect (SoupSession *session,
                     guint        port,
                     const char  *method,
                     const char  *path,
                     const char  *token,
                     const char  *body,
                     guint        expected_status)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  guint status;

  node = boursed_http (session, port, method, path, NULL, token, NULL, body, &status, &error);
  g_assert_no_error (error);
  if (status != expected_status)
    {
      g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("");
      g_error ("%s %s: %u instead of %u: %s", method, path, status, expected_status, text);
    }
  return node;
}

guint
boursed_call (SoupSession  *session,
              guint         port,
              const char   *method,
              const char   *path,
              const char   *token,
              const char   *body,
              JsonNode    **json)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  node = boursed_http (session, port, method, path, NULL, token, NULL, body, &status, &error);
  g_assert_no_error (error);
  g_test_message ("%s %s → %u", method, path, status);
  if (json != NULL)
    {
      g_assert_nonnull (node);
      *json = g_steal_pointer (&node);
    }
  return status;
}

char *
boursed_login (SoupSession *session,
               guint        port,
               const char  *name,
               const char  *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", name, password);
  g_autoptr(JsonNode) node = boursed_http_expect (session, port, "POST", "/api/v1/auth/login", NULL, body, 200);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}
