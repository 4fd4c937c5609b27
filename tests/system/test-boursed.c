/* test-boursed.c — real boursed processes, driven as an operator would
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

/* Generous, for sanitizer builds on a busy machine; a wait that runs out
 * fails the test instead of hanging it. */
#define START_TIMEOUT_S   30
#define EXIT_TIMEOUT_S    15
#define COMMAND_TIMEOUT_S 30

static const char *boursed;

typedef struct
{
  char  *dir;          /* everything of one test lives here */
  char  *data_dir;
  char  *config_home;  /* XDG_CONFIG_HOME of the children */
  guint  n_logs;
} Fixture;

static void
remove_tree (const char *path)
{
  GDir *dir;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      const char *name;

      if ((dir = g_dir_open (path, 0, NULL)) != NULL)
        {
          while ((name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *child = g_build_filename (path, name, NULL);
              remove_tree (child);
            }
          g_dir_close (dir);
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

  f->dir = g_dir_make_tmp ("test-boursed-XXXXXX", &error);
  g_assert_no_error (error);
  f->data_dir = g_build_filename (f->dir, "data", NULL);
  f->config_home = g_build_filename (f->dir, "config", NULL);
  g_assert_cmpint (g_mkdir (f->config_home, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->data_dir);
  g_free (f->config_home);
}

static char *
fixture_write (Fixture    *f,
               const char *name,
               const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* --- waiting with a deadline ------------------------------------------- */

static gboolean
deadline_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the default main context until *done; fails the test on time-out.
 * Children die with us (PR_SET_PDEATHSIG), so a failure leaves no daemon. */
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

/* --- children ------------------------------------------------------------- */

static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The children's environment: ours without any BOURSE_* variable, with private
 * XDG directories so that a developer's own configuration never leaks in. */
static char **
child_environment (Fixture            *f,
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
  /* Messages in English, whatever the developer's locale: the tests read them. */
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  env = g_environ_unsetenv (env, "NOTIFY_SOCKET");
  env = g_environ_unsetenv (env, "INVOCATION_ID");
  /* No simulated market unless a test asks for one (a 90-day backfill at
   * every start would slow every test down). */
  env = g_environ_setenv (env, "BOURSE_SIMULATED_ENABLED", "false", TRUE);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra[i], "=", 2);
      env = g_environ_setenv (env, pair[0], pair[1], TRUE);
    }

  return g_steal_pointer (&env);
}

static GSubprocessLauncher *
launcher_new (Fixture            *f,
              GSubprocessFlags    flags,
              const char * const *extra_env)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  g_auto(GStrv) env = child_environment (f, extra_env);

  g_subprocess_launcher_set_environ (launcher, env);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  return launcher;
}

static GPtrArray *
argv_new (const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) boursed);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

typedef struct
{
  gboolean  done;
  int       status;      /* exit status, or -1 if killed by a signal */
  char     *out;
  char     *err;
} Command;

static void
command_clear (Command *command)
{
  g_free (command->out);
  g_free (command->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Command, command_clear)

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Command *command = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result,
                                        &command->out, &command->err, &error);
  g_assert_no_error (error);
  command->done = TRUE;
}

/* Runs boursed to completion, with a deadline. */
static void
run_command (Fixture            *f,
             const char * const *extra_env,
             const char * const *args,
             Command            *command)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, extra_env);
  g_autoptr(GPtrArray) argv = argv_new (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = g_strjoinv (" ", (char **) argv->pdata);

  g_test_message ("$ %s", shown);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  memset (command, 0, sizeof *command);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, command);
  wait_for (&command->done, COMMAND_TIMEOUT_S, shown);

  command->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", command->status, command->out, command->err);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  g_assert_nonnull (haystack);
  if (strstr (haystack, needle) == NULL)
    g_error ("'%s' not found in:\n%s", needle, haystack);
}

/* A running `boursed serve`. */
typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *log_path;
  char             *url;
  char             *scheme;
  char             *host;
  guint             port;
} Daemon;

static void
daemon_free (Daemon *daemon)
{
  /* Only reached after a successful stop; on failure PDEATHSIG cleans up. */
  if (daemon->process != NULL && !g_subprocess_get_if_exited (daemon->process)
      && !g_subprocess_get_if_signaled (daemon->process))
    g_subprocess_force_exit (daemon->process);
  g_clear_object (&daemon->out);
  g_clear_object (&daemon->process);
  g_free (daemon->log_path);
  g_free (daemon->url);
  g_free (daemon->scheme);
  g_free (daemon->host);
  g_free (daemon);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Daemon, daemon_free)

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

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result,
                                                          NULL, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static char *
daemon_log (Daemon *daemon)
{
  char *text = NULL;

  g_file_get_contents (daemon->log_path, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

/* Starts `boursed serve ARGS…` and reads its "Listening on URL" line. */
static Daemon *
start_daemon (Fixture            *f,
              const char * const *extra_env,
              const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (f, G_SUBPROCESS_FLAGS_STDOUT_PIPE, extra_env);
  g_autoptr(GPtrArray) argv = argv_new (args);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *shown = g_strjoinv (" ", (char **) argv->pdata);
  g_autofree char *port = NULL;
  Daemon *daemon = g_new0 (Daemon, 1);
  LineRead read = { 0 };

  /* Logs go to a file: a pipe nobody reads would fill up and stall the daemon. */
  daemon->log_path = g_strdup_printf ("%s/boursed-%u.log", f->dir, f->n_logs++);
  g_subprocess_launcher_set_stderr_file_path (launcher, daemon->log_path);

  g_test_message ("$ %s", shown);
  daemon->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  daemon->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon->process));

  g_data_input_stream_read_line_async (daemon->out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  wait_for (&read.done, START_TIMEOUT_S, "the Listening line of boursed serve");

  if (read.line == NULL)
    {
      g_autofree char *log = daemon_log (daemon);
      g_error ("boursed serve printed nothing on stdout; its log:\n%s", log);
    }

  g_test_message ("%s", read.line);
  regex = g_regex_new ("^Listening on ((https?)://([^/]+):([0-9]+)/)$", 0, 0, &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, read.line, 0, &match))
    g_error ("unexpected first line: '%s'", read.line);

  daemon->url = g_match_info_fetch (match, 1);
  daemon->scheme = g_match_info_fetch (match, 2);
  daemon->host = g_match_info_fetch (match, 3);
  port = g_match_info_fetch (match, 4);
  daemon->port = (guint) g_ascii_strtoull (port, NULL, 10);
  g_assert_cmpuint (daemon->port, >, 0);
  g_assert_cmpuint (daemon->port, <, 65536);
  g_free (read.line);

  return daemon;
}

typedef struct
{
  gboolean done;
} Waited;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waited *waited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  waited->done = TRUE;
}

/* Sends a signal and expects a clean exit (status 0) in time; returns how
 * long the exit took. */
static double
stop_daemon (Daemon *daemon,
             int     signum)
{
  double elapsed;
  Waited waited = { FALSE };
  g_autofree char *log = NULL;
  gint64 started = g_get_monotonic_time ();

  g_subprocess_send_signal (daemon->process, signum);
  g_subprocess_wait_async (daemon->process, NULL, wait_cb, &waited);
  wait_for (&waited.done, EXIT_TIMEOUT_S, "boursed to exit");
  elapsed = (g_get_monotonic_time () - started) / 1e6;
  g_test_message ("exited %.2f s after signal %d", elapsed, signum);

  log = daemon_log (daemon);
  if (!g_subprocess_get_if_exited (daemon->process))
    g_error ("boursed did not exit normally after signal %d (killed by %d); its log:\n%s", signum,
             g_subprocess_get_term_sig (daemon->process), log);
  if (g_subprocess_get_exit_status (daemon->process) != 0)
    g_error ("boursed exited with status %d after signal %d; its log:\n%s",
             g_subprocess_get_exit_status (daemon->process), signum, log);

  return elapsed;
}

/* --- HTTP ------------------------------------------------------------------ */

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* Our own self-signed test certificate. */
  return TRUE;
}

/* A blocking GET is fine: the server is another process. */
static JsonNode *
http_get_json (SoupSession *session,
               const char  *url,
               guint        expected_status,
               SoupMessage **out_message)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *type;

  g_assert_nonnull (message);
  g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, expected_status);

  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
  g_assert_cmpstr (type, ==, "application/json");
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);

  if (out_message != NULL)
    *out_message = g_object_ref (message);
  return json_node_ref (json_parser_get_root (parser));
}

static SoupSession *
session_new (void)
{
  return soup_session_new_with_options ("timeout", 20, "idle-timeout", 20, NULL);
}

/* GET /health through 127.0.0.1 and the daemon's port: 200, JSON, status ok. */
static void
assert_healthy (SoupSession *session,
                const char  *scheme,
                guint        port)
{
  g_autofree char *url = g_strdup_printf ("%s://127.0.0.1:%u/health", scheme, port);
  g_autoptr(JsonNode) root = http_get_json (session, url, SOUP_STATUS_OK, NULL);
  JsonObject *object;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "status", NULL), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "version", NULL), ==,
                   PACKAGE_VERSION);
}

/* --- the tests --------------------------------------------------------------- */

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Command) command = { 0 };
  const char *args[] = { "--version", NULL };

  run_command (f, NULL, args, &command);
  g_assert_cmpint (command.status, ==, 0);
  g_assert_cmpstr (command.out, ==, "boursed " PACKAGE_VERSION "\n");
  g_assert_cmpstr (PACKAGE_VERSION, ==, "0.1.0");
}

/* Serve on a free port, answer /health, stop cleanly on a signal. */
static void
test_serve_signal (Fixture       *f,
                   gconstpointer  data)
{
  int signum = GPOINTER_TO_INT (data);
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(SoupSession) session = session_new ();
  g_autofree char *database = g_build_filename (f->data_dir, "bourse.db", NULL);
  g_autofree char *default_database = g_build_filename (f->dir, "xdg-data", "bourse", "bourse.db", NULL);

  daemon = start_daemon (f, NULL, args);
  g_assert_cmpstr (daemon->scheme, ==, "http");
  g_assert_cmpstr (daemon->host, ==, "127.0.0.1");

  assert_healthy (session, "http", daemon->port);

  /* Nothing is in flight: the shutdown has nothing to wait for (an idle
   * keep-alive connection of the session included). */
  g_assert_cmpfloat (stop_daemon (daemon, signum), <, 5.0);

  g_assert_true (g_file_test (database, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (default_database, G_FILE_TEST_EXISTS));
}

static void
test_insecure_bind (Fixture       *f,
                    gconstpointer  data)
{
  const char *refused[] = { "serve", "--bind", "0.0.0.0", "--port", "0", "--data-dir", f->data_dir,
                            NULL };
  const char *allowed[] = { "serve", "--bind", "0.0.0.0", "--port", "0", "--data-dir", f->data_dir,
                            "--insecure-bind", NULL };
  g_auto(Command) command = { 0 };
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(SoupSession) session = session_new ();

  run_command (f, NULL, refused, &command);
  g_assert_cmpint (command.status, >, 0);
  assert_contains (command.err, "--insecure-bind");
  assert_contains (command.err, "0.0.0.0");
  g_assert_null (strstr (command.out, "Listening"));

  daemon = start_daemon (f, NULL, allowed);
  g_assert_cmpstr (daemon->scheme, ==, "http");
  g_assert_cmpstr (daemon->host, ==, "0.0.0.0");
  assert_healthy (session, "http", daemon->port);
  stop_daemon (daemon, SIGTERM);
}

/* A bad value stops boursed before it serves, naming the key and its source. */
static void
test_bad_config (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *bad_file = fixture_write (f, "bad.conf", "[server]\nport=abc\n");
  g_autofree char *typo_file = fixture_write (f, "typo.conf", "[server]\nprot=8000\n");
  g_autofree char *missing = g_build_filename (f->dir, "missing.conf", NULL);
  const char *env_port[] = { "BOURSE_SERVER_PORT=99999", NULL };
  const struct {
    const char * const *env;
    const char         *args[8];
    const char         *expected[4];
  } cases[] = {
    { NULL, { "serve", "--port", "0", "--data-dir", f->data_dir, "--port", "99999", NULL },
      { "server.port", "--port", "65535", NULL } },
    { env_port, { "serve", "--data-dir", f->data_dir, NULL },
      { "server.port", "environment", "BOURSE_SERVER_PORT", "65535" } },
    { NULL, { "serve", "--config", bad_file, "--port", "0", "--data-dir", f->data_dir, NULL },
      { "server.port", "file", bad_file, "0 to 65535" } },
    { NULL, { "serve", "--config", typo_file, "--port", "0", "--data-dir", f->data_dir, NULL },
      { "server.prot", typo_file, NULL } },
    { NULL, { "serve", "--config", missing, "--port", "0", "--data-dir", f->data_dir, NULL },
      { missing, NULL } },
    { NULL, { "serve", "--log-level", "loud", "--port", "0", "--data-dir", f->data_dir, NULL },
      { "log.level", "--log-level", "debug, info, message, warning", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Command) command = { 0 };

      run_command (f, cases[i].env, cases[i].args, &command);
      g_assert_cmpint (command.status, >, 0);
      g_assert_null (strstr (command.out, "Listening"));
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].expected) && cases[i].expected[j] != NULL; j++)
        assert_contains (command.err, cases[i].expected[j]);
    }

  /* Nothing was created for a server that never started. */
  g_assert_false (g_file_test (f->data_dir, G_FILE_TEST_EXISTS));

  /* An address that is not one is refused too. */
  {
    g_autofree char *other_dir = g_build_filename (f->dir, "bind-data", NULL);
    const char *args[] = { "serve", "--port", "0", "--data-dir", other_dir,
                           "--bind", "not-an-address", NULL };
    g_auto(Command) command = { 0 };

    run_command (f, NULL, args, &command);
    g_assert_cmpint (command.status, >, 0);
    g_assert_null (strstr (command.out, "Listening"));
    assert_contains (command.err, "server.bind");
    assert_contains (command.err, "not-an-address");
  }
}

/* The line of `config show` for key in [section]. */
static char *
shown_line (const char *text,
            const char *section,
            const char *key)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *header = g_strdup_printf ("[%s]", section);
  g_autofree char *prefix = g_strdup_printf ("%s=", key);
  gboolean in_section = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '[')
        in_section = g_str_equal (lines[i], header);
      else if (in_section && g_str_has_prefix (lines[i], prefix))
        return g_strdup (lines[i]);
    }
  g_error ("%s.%s not shown in:\n%s", section, key, text);
}

static void
assert_shown (const char *text,
              const char *section,
              const char *key,
              const char *expected)
{
  g_autofree char *line = shown_line (text, section, key);

  g_assert_cmpstr (line, ==, expected);
}

static void
test_config_show (Fixture       *f,
                  gconstpointer  data)
{
  /* The default file, $XDG_CONFIG_HOME/bourse/bourse.conf. */
  g_autofree char *default_file =
    fixture_write (f, "config/bourse/bourse.conf",
                   "[server]\nport=9001\nbind=127.0.0.1\nsystem_interval=30\n"
                   "[log]\nlevel=debug\n"
                   "[binance]\napi_key=FILE-KEY-abcdef123456\n");
  g_autofree char *other_file = fixture_write (f, "other.conf", "[server]\nshutdown_timeout=20\n");
  const char *env[] = {
    "BOURSE_LOG_LEVEL=warning",
    "BOURSE_BINANCE_API_SECRET=ENV-SECRET-fedcba654321",
    "BOURSE_NOT_A_KEY=ignored",
    "BOURSE_SERVER_PROT=1",
    NULL
  };
  const char *args[] = { "config", "show", "--port", "9002", "--data-dir", "/srv/bourse", NULL };
  const char *other_args[] = { "config", "show", "--config", other_file, NULL };
  g_auto(Command) command = { 0 };
  g_auto(Command) other = { 0 };
  g_autofree char *expected = NULL;

  run_command (f, env, args, &command);
  g_assert_cmpint (command.status, ==, 0);

  assert_shown (command.out, "server", "port", "port=9002\t# command-line: --port");
  assert_shown (command.out, "store", "data_dir", "data_dir=/srv/bourse\t# command-line: --data-dir");
  assert_shown (command.out, "log", "level", "level=warning\t# environment: BOURSE_LOG_LEVEL");
  expected = g_strdup_printf ("system_interval=30\t# file: %s", default_file);
  assert_shown (command.out, "server", "system_interval", expected);
  g_clear_pointer (&expected, g_free);
  assert_shown (command.out, "server", "max_body_bytes", "max_body_bytes=1048576\t# default: built-in");

  /* Secrets are masked, wherever they came from, on both streams. */
  expected = g_strdup_printf ("api_key=********\t# file: %s", default_file);
  assert_shown (command.out, "binance", "api_key", expected);
  assert_shown (command.out, "binance", "api_secret",
                "api_secret=********\t# environment: BOURSE_BINANCE_API_SECRET");
  g_assert_null (strstr (command.out, "abcdef123456"));
  g_assert_null (strstr (command.out, "fedcba654321"));
  g_assert_null (strstr (command.err, "abcdef123456"));
  g_assert_null (strstr (command.err, "fedcba654321"));

  /* --config replaces the default file; it does not add to it. */
  run_command (f, NULL, other_args, &other);
  g_assert_cmpint (other.status, ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("shutdown_timeout=20\t# file: %s", other_file);
  assert_shown (other.out, "server", "shutdown_timeout", expected);
  assert_shown (other.out, "server", "port", "port=8470\t# default: built-in");
  assert_shown (other.out, "binance", "api_key", "api_key=\t# default: built-in");
}

static void
test_config_check (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *good = fixture_write (f, "good.conf",
                                         "# comment\n[server]\nport=8471\ninsecure_bind=no\n"
                                         "cors_origins=https://a.example, https://b.example\n"
                                         "[log]\nformat=json\n");
  g_autofree char *bad_value = fixture_write (f, "bad-value.conf", "[server]\nport=abc\n");
  g_autofree char *bad_key = fixture_write (f, "bad-key.conf", "[log]\nlevle=debug\n");
  g_autofree char *missing = g_build_filename (f->dir, "missing.conf", NULL);
  const char *good_args[] = { "config", "check", good, NULL };
  const char *bad_value_args[] = { "config", "check", bad_value, NULL };
  const char *bad_key_args[] = { "config", "check", bad_key, NULL };
  const char *missing_args[] = { "config", "check", missing, NULL };
  const char *no_args[] = { "config", "check", NULL };
  /* check reads the file alone: the environment has no say. */
  const char *bad_env[] = { "BOURSE_SERVER_PORT=99999", NULL };
  g_auto(Command) command = { 0 };

  run_command (f, bad_env, good_args, &command);
  g_assert_cmpint (command.status, ==, 0);
  assert_contains (command.out, good);
  assert_contains (command.out, "valid");
  command_clear (&command);

  run_command (f, NULL, bad_value_args, &command);
  g_assert_cmpint (command.status, >, 0);
  assert_contains (command.err, "server.port");
  assert_contains (command.err, bad_value);
  assert_contains (command.err, "0 to 65535");
  command_clear (&command);

  run_command (f, NULL, bad_key_args, &command);
  g_assert_cmpint (command.status, >, 0);
  assert_contains (command.err, "log.levle");
  assert_contains (command.err, bad_key);
  command_clear (&command);

  run_command (f, NULL, missing_args, &command);
  g_assert_cmpint (command.status, >, 0);
  assert_contains (command.err, missing);
  command_clear (&command);

  run_command (f, NULL, no_args, &command);
  g_assert_cmpint (command.status, >, 0);
  assert_contains (command.err, "config check FILE");
}

/* Whether openssl s_client with @options completes a request to the
 * daemon; its answer's head (status line and headers) in *head. */
static gboolean
tls_client_gets_answer (const char  *openssl,
                        guint16      port,
                        const char  *options,
                        char       **head)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_auto(GStrv) extra = g_strsplit (options, " ", -1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  static const char request[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  g_autoptr(GBytes) input = g_bytes_new_static (request, sizeof request - 1);
  g_autoptr(GBytes) output = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  g_ptr_array_add (argv, (char *)openssl);
  g_ptr_array_add (argv, (char *)"s_client");
  g_ptr_array_add (argv, (char *)"-quiet");
  g_ptr_array_add (argv, (char *)"-connect");
  g_ptr_array_add (argv, address);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, extra[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, input, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  text = output ? g_bytes_get_data (output, NULL) : NULL;
  g_test_message ("openssl s_client %s: %.*s", options, text ? (int)MIN (g_bytes_get_size (output), 40) : 0,
                  text ? text : "");
  if (head != NULL)
    *head = text ? g_strndup (text, g_bytes_get_size (output)) : g_strdup ("");
  return text != NULL && g_str_has_prefix (text, "HTTP/1.1 200");
}

static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = g_build_filename (f->dir, "c.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "k.pem", NULL);
  const char *args[] = { "serve", "--tls-cert", cert, "--tls-key", key, "--port", "0",
                         "--data-dir", f->data_dir, NULL };
  const char *half[] = { "serve", "--tls-cert", cert, "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *asan_options = NULL;
  g_auto(Command) command = { 0 };
  int status = -1;
  const char *env[] = { NULL, NULL };

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed: no certificate to test TLS with");
      return;
    }
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("GIO has no TLS backend (glib-networking)");
      return;
    }

  {
    const char *openssl_argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                                   "-subj", "/CN=127.0.0.1", "-days", "1",
                                   "-keyout", key, "-out", cert, NULL };

    g_spawn_sync (f->dir, (char **) openssl_argv, NULL,
                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  /* A certificate without its key is refused. */
  run_command (f, NULL, half, &command);
  g_assert_cmpint (command.status, >, 0);
  assert_contains (command.err, "tls_key");

  /* So is a key that does not belong to the certificate: at start, not at
   * every handshake after it. */
  {
    g_autofree char *other_key = g_build_filename (f->dir, "other.pem", NULL);
    const char *genrsa[] = { openssl, "genrsa", "-out", other_key, "2048", NULL };
    const char *mismatched[] = { "serve", "--tls-cert", cert, "--tls-key", other_key, "--port", "0",
                                 "--data-dir", f->data_dir, NULL };
    g_auto(Command) refused = { 0 };

    g_spawn_sync (f->dir, (char **) genrsa, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    run_command (f, NULL, mismatched, &refused);
    g_assert_cmpint (refused.status, ==, 1);
    assert_contains (refused.err, "does not belong to the certificate");
  }

  /* LeakSanitizer's exit scan crashes on the dynamic TLS of the GnuTLS GIO
   * module (google/sanitizers#1322); this keeps sanitizer runs meaningful. */
  asan_options = g_strdup_printf ("ASAN_OPTIONS=%s%sintercept_tls_get_addr=0",
                                  g_getenv ("ASAN_OPTIONS") ? g_getenv ("ASAN_OPTIONS") : "",
                                  g_getenv ("ASAN_OPTIONS") ? ":" : "");
  env[0] = asan_options;

  daemon = start_daemon (f, env, args);
  g_assert_cmpstr (daemon->scheme, ==, "https");
  g_assert_cmpstr (daemon->host, ==, "127.0.0.1");

  url = g_strdup_printf ("https://127.0.0.1:%u/health", daemon->port);
  root = http_get_json (session, url, SOUP_STATUS_OK, &message);
  g_assert_cmpstr (json_object_get_string_member_with_default (json_node_get_object (root), "status", NULL),
                   ==, "ok");
  /* It really was TLS, with our certificate. */
  g_assert_nonnull (soup_message_get_tls_peer_certificate (message));
  g_assert_cmpint (soup_message_get_tls_protocol_version (message), !=, G_TLS_PROTOCOL_VERSION_UNKNOWN);

  /* TLS 1.2 at least, and only forward-secret AEAD suites. The client is
   * told to allow anything (SECLEVEL=0), so the refusals are the server's. */
  {
    g_autofree char *head = NULL;

    g_assert_false (tls_client_gets_answer (openssl, daemon->port, "-tls1 -cipher DEFAULT@SECLEVEL=0", NULL));
    g_assert_false (tls_client_gets_answer (openssl, daemon->port, "-tls1_1 -cipher DEFAULT@SECLEVEL=0", NULL));
    g_assert_false (tls_client_gets_answer (openssl, daemon->port, "-tls1_2 -cipher AES128-GCM-SHA256", NULL));
    g_assert_false (tls_client_gets_answer (openssl, daemon->port, "-tls1_2 -cipher ECDHE-RSA-AES128-SHA", NULL));
    g_assert_true (tls_client_gets_answer (openssl, daemon->port, "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256",
                                           NULL));
    g_assert_true (tls_client_gets_answer (openssl, daemon->port, "-tls1_3", &head));
    assert_contains (head, "Strict-Transport-Security: max-age=");
  }

  stop_daemon (daemon, SIGTERM);
}

typedef struct
{
  SoupWebsocketConnection *connection;
  GError                  *error;
  gboolean                 connected;
  gboolean                 subscribed;
  gboolean                 closed;
} WebSocket;

static void
websocket_message_cb (SoupWebsocketConnection *connection,
                      int                      type,
                      GBytes                  *message,
                      WebSocket               *ws)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  json_parser_load_from_data (parser, g_bytes_get_data (message, NULL), g_bytes_get_size (message),
                              &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), "subscribed") == 0)
    ws->subscribed = TRUE;
}

static void
websocket_closed_cb (SoupWebsocketConnection *connection,
                     WebSocket               *ws)
{
  ws->closed = TRUE;
}

static void
websocket_connected_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  WebSocket *ws = user_data;

  ws->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &ws->error);
  ws->connected = TRUE;
}

/* `boursed user add` with the password on stdin, as an administrator would. */
static void
add_user_cli (Fixture    *f,
              const char *name,
              const char *role,
              const char *password,
              Command    *command)
{
  const char *args[] = { "user", "add", name, "--role", role, "--password-stdin", "--data-dir", f->data_dir, NULL };
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (f, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                  NULL);
  g_autoptr(GPtrArray) argv = argv_new (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strconcat (password, "\n", NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  memset (command, 0, sizeof *command);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, command);
  wait_for (&command->done, COMMAND_TIMEOUT_S, "boursed user add");
  command->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("user add: exit %d\nstdout: %s\nstderr: %s", command->status, command->out, command->err);
}

/* Signs in over HTTP and returns the access token. */
static char *
login (SoupSession *session,
       guint16      port,
       const char  *name,
       const char  *password)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v1/auth/login", port);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", name, password);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  soup_message_set_request_body_from_bytes (message, "application/json", request);
  response = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "access_token"));
}

/* A shutdown says goodbye to WebSocket clients with 1001 Going Away. */
static void
test_websocket_going_away (Fixture       *f,
                           gconstpointer  data)
{
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  WebSocket ws = { 0 };

  g_auto(Command) added = { 0 };
  g_autofree char *token = NULL;

  add_user_cli (f, "owner", "admin", "correct horse battery staple", &added);
  g_assert_cmpint (added.status, ==, 0);
  daemon = start_daemon (f, NULL, args);
  token = login (session, daemon->port, "owner", "correct horse battery staple");

  url = g_strdup_printf ("ws://127.0.0.1:%u/api/v1/ws?token=%s", daemon->port, token);
  message = soup_message_new ("GET", url);
  soup_session_websocket_connect_async (session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        websocket_connected_cb, &ws);
  wait_for (&ws.connected, START_TIMEOUT_S, "the WebSocket handshake");
  g_assert_no_error (ws.error);
  g_assert_nonnull (ws.connection);
  g_signal_connect (ws.connection, "message", G_CALLBACK (websocket_message_cb), &ws);
  g_signal_connect (ws.connection, "closed", G_CALLBACK (websocket_closed_cb), &ws);

  /* A round trip proves the server holds the client before it is told to stop. */
  soup_websocket_connection_send_text (ws.connection, "{\"type\":\"subscribe\",\"topics\":[\"system\"]}");
  wait_for (&ws.subscribed, START_TIMEOUT_S, "the subscription to be confirmed");

  g_subprocess_send_signal (daemon->process, SIGTERM);
  wait_for (&ws.closed, EXIT_TIMEOUT_S, "the server to close the WebSocket");
  g_assert_cmpuint (soup_websocket_connection_get_close_code (ws.connection), ==,
                    SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpint (soup_websocket_connection_get_state (ws.connection), ==, SOUP_WEBSOCKET_STATE_CLOSED);

  /* Already signalled: this only waits for the exit. */
  stop_daemon (daemon, 0);

  g_signal_handlers_disconnect_by_data (ws.connection, &ws);
  g_clear_object (&ws.connection);
}

/* HTTP/1.1 connections are persistent: a client's second request goes over
 * the connection of its first, instead of a new TCP (and TLS) handshake each. */
static void
test_keep_alive (Fixture       *f,
                 gconstpointer  data)
{
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(SoupMessage) first = NULL;
  g_autoptr(SoupMessage) second = NULL;
  g_autoptr(JsonNode) first_root = NULL;
  g_autoptr(JsonNode) second_root = NULL;
  g_autofree char *url = NULL;
  const char *connection;

  daemon = start_daemon (f, NULL, args);
  url = g_strdup_printf ("http://127.0.0.1:%u/health", daemon->port);

  first_root = http_get_json (session, url, SOUP_STATUS_OK, &first);
  connection = soup_message_headers_get_one (soup_message_get_response_headers (first), "Connection");
  second_root = http_get_json (session, url, SOUP_STATUS_OK, &second);

  if (soup_message_get_connection_id (first) != soup_message_get_connection_id (second))
    g_test_fail_printf ("the second request needed a new connection (Connection: %s): the server "
                        "closed the first one after one response", connection ? connection : "-");

  stop_daemon (daemon, SIGTERM);
}

/* config check promises what serve will accept: an address that is not one
 * must fail the check as it fails serve, naming the key and the file. */
static void
test_config_check_bind (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *file = fixture_write (f, "bind.conf", "[server]\nbind=not-an-address\n");
  const char *args[] = { "config", "check", file, NULL };
  g_auto(Command) command = { 0 };

  run_command (f, NULL, args, &command);
  if (command.status == 0)
    {
      g_test_fail_printf ("boursed config check accepted server.bind=not-an-address, "
                          "which boursed serve refuses");
      return;
    }
  assert_contains (command.err, "server.bind");
  assert_contains (command.err, file);
}

/* Opens a TCP connection to the daemon, writes data (if any) and hangs up. */
static void
connect_and_hang_up (guint       port,
                     const char *data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  if (data != NULL)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 data, strlen (data), NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
  g_assert_no_error (error);
}

/* Clients that hang up before sending a whole request (a load balancer's TCP
 * check, a port scan, plain HTTP on the TLS port) are not requests in flight:
 * with nothing else open, a shutdown has nothing to wait for. */
static void
test_shutdown_after_aborted_connections (Fixture       *f,
                                         gconstpointer  data)
{
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(SoupSession) session = session_new ();
  g_autofree char *log = NULL;
  double elapsed;

  daemon = start_daemon (f, NULL, args);

  connect_and_hang_up (daemon->port, NULL);
  connect_and_hang_up (daemon->port, "\x16\x03\x01 not HTTP\r\n\r\n");
  /* Answered after the two above were accepted. */
  assert_healthy (session, "http", daemon->port);
  g_clear_object (&session);

  elapsed = stop_daemon (daemon, SIGTERM);
  log = daemon_log (daemon);
  if (elapsed > 5 || strstr (log, "Shutdown time-out") != NULL)
    g_test_fail_printf ("the shutdown took %.1f s (server.shutdown_timeout is 10 s), waiting for "
                        "connections that had hung up; log:\n%s", elapsed, log);
}

/* A negative --port is refused like any other out-of-range port, not
 * silently replaced by the file, environment or default value. */
static void
test_negative_port (Fixture       *f,
                    gconstpointer  data)
{
  const char *args[] = { "config", "show", "--port", "-5", NULL };
  g_auto(Command) command = { 0 };

  run_command (f, NULL, args, &command);
  if (command.status == 0)
    {
      g_autofree char *shown = shown_line (command.out, "server", "port");

      g_test_fail_printf ("boursed config show --port -5 succeeded, showing '%s', instead of "
                          "refusing server.port", shown);
      return;
    }
  assert_contains (command.err, "server.port");
  assert_contains (command.err, "--port");
}

/* POST or GET with an optional bearer token; returns the JSON answer. */
static JsonNode *
call_json (SoupSession *session,
           guint16      port,
           const char  *method,
           const char  *path,
           const char  *token,
           const char  *body,
           guint        expected_status)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, "application/json", request);
    }
  response = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, expected_status);
  text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  return g_bytes_get_size (response) ? json_from_string (text, NULL) : NULL;
}

/* The embedded default market through the real daemon: a backfilled
 * history, the ticker, and live candles over a real WebSocket — the forming
 * one, then the same one closed, as stored. */
typedef struct
{
  gboolean  subscribed;
  gboolean  closed_seen;
  gboolean  ticker_seen;
  guint     forming;
  gint64    closed_open_time;
  char     *closed_close;
} MarketWatch;

static void
market_message_cb (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   MarketWatch             *watch)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object, *data;
  const char *topic;

  json_parser_load_from_data (parser, g_bytes_get_data (message, NULL), g_bytes_get_size (message), &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), "subscribed") == 0)
    watch->subscribed = TRUE;
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), "event") != 0)
    return;

  topic = json_object_get_string_member (object, "topic");
  data = json_object_get_object_member (object, "data");
  if (g_str_equal (topic, "ticker:BTCUSDT"))
    {
      g_assert_true (json_object_get_boolean_member (data, "simulated"));
      watch->ticker_seen = TRUE;
    }
  else if (g_str_equal (topic, "candles:BTCUSDT:1m") && !watch->closed_seen)
    {
      g_assert_cmpstr (json_object_get_string_member (data, "source"), ==, "simulated");
      if (!json_object_get_boolean_member (data, "closed"))
        watch->forming++;
      else if (watch->forming > 0)
        {
          watch->closed_seen = TRUE;
          watch->closed_open_time = json_object_get_int_member (data, "open_time");
          watch->closed_close = g_strdup (json_object_get_string_member (data, "close"));
        }
    }
}

static void
test_simulated_market (Fixture       *f,
                       gconstpointer  data)
{
  const char *env[] = {
    "BOURSE_SIMULATED_ENABLED=true", "BOURSE_SIMULATED_BACKFILL_DAYS=1", "BOURSE_SIMULATED_SPEED=120", NULL
  };
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) ticker = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_auto(Command) added = { 0 };
  WebSocket ws = { 0 };
  MarketWatch watch = { 0 };
  JsonArray *candles;

  add_user_cli (f, "owner", "admin", "correct horse battery staple", &added);
  g_assert_cmpint (added.status, ==, 0);
  daemon = start_daemon (f, env, args);
  token = login (session, daemon->port, "owner", "correct horse battery staple");

  url = g_strdup_printf ("ws://127.0.0.1:%u/api/v1/ws?token=%s", daemon->port, token);
  message = soup_message_new ("GET", url);
  soup_session_websocket_connect_async (session, message, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        websocket_connected_cb, &ws);
  wait_for (&ws.connected, START_TIMEOUT_S, "the WebSocket handshake");
  g_assert_no_error (ws.error);
  g_signal_connect (ws.connection, "message", G_CALLBACK (market_message_cb), &watch);
  soup_websocket_connection_send_text (ws.connection,
                                       "{\"type\":\"subscribe\",\"topics\":[\"candles:BTCUSDT:1m\",\"ticker:BTCUSDT\"]}");
  wait_for (&watch.subscribed, START_TIMEOUT_S, "the subscription");
  wait_for (&watch.closed_seen, 60, "a simulated minute to form and close");
  wait_for (&watch.ticker_seen, 10, "the ticker");

  /* The closed candle is the stored one. */
  path = g_strdup_printf ("/api/v1/market/candles/BTCUSDT?interval=1m&start=%" G_GINT64_FORMAT
                          "&end=%" G_GINT64_FORMAT, watch.closed_open_time, watch.closed_open_time);
  stored = call_json (session, daemon->port, "GET", path, token, NULL, 200);
  candles = json_object_get_array_member (json_node_get_object (stored), "items");
  g_assert_cmpuint (json_array_get_length (candles), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (candles, 0), "close"),
                   ==, watch.closed_close);

  /* A day of history was made before it went live. */
  page = call_json (session, daemon->port, "GET", "/api/v1/market/candles/ETHUSDT?interval=1m&limit=5000",
                    token, NULL, 200);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (page), "simulated"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (page), "items")),
                    >=, 1440);
  ticker = call_json (session, daemon->port, "GET", "/api/v1/market/ticker/SOLUSDT", token, NULL, 200);
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (ticker), "last_price"));

  g_signal_handlers_disconnect_by_data (ws.connection, &watch);
  soup_websocket_connection_close (ws.connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  stop_daemon (daemon, SIGTERM);
  g_clear_object (&ws.connection);
  g_free (watch.closed_close);
}

/* Whatever a user types as a password and whatever tokens Bourse hands out
 * must never reach the log, even at debug level. */
static void
test_no_secrets_in_logs (Fixture       *f,
                         gconstpointer  data)
{
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, "--log-level", "debug", NULL };
  const char *password = "correct horse battery staple";
  const char *wrong = "tr0ub4dor&3-tr0ub4dor&3";
  const char *newcomer = "seven hundred red balloons";
  g_auto(Command) added = { 0 };
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(JsonNode) refreshed = NULL;
  g_autoptr(JsonNode) key = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autofree char *refresh_body = NULL;
  g_autofree char *log = NULL;
  g_autofree char *secrets_file = g_build_filename (f->data_dir, "secrets.keyfile", NULL);
  const char *secrets[6];

  add_user_cli (f, "owner", "admin", password, &added);
  g_assert_cmpint (added.status, ==, 0);
  daemon = start_daemon (f, NULL, args);

  ignored = call_json (session, daemon->port, "POST", "/api/v1/auth/login", NULL,
                       "{\"username\":\"owner\",\"password\":\"tr0ub4dor&3-tr0ub4dor&3\"}", 401);
  g_clear_pointer (&ignored, json_node_unref);
  ignored = call_json (session, daemon->port, "POST", "/api/v1/auth/register", NULL,
                       "{\"username\":\"newcomer\",\"email\":\"n@example.org\","
                       "\"password\":\"seven hundred red balloons\"}", 201);
  tokens = call_json (session, daemon->port, "POST", "/api/v1/auth/login", NULL,
                      "{\"username\":\"owner\",\"password\":\"correct horse battery staple\"}", 200);
  refresh_body = g_strdup_printf ("{\"refresh_token\":\"%s\"}",
                                  json_object_get_string_member (json_node_get_object (tokens), "refresh_token"));
  refreshed = call_json (session, daemon->port, "POST", "/api/v1/auth/refresh", NULL, refresh_body, 200);
  key = call_json (session, daemon->port, "POST", "/api/v1/api-keys",
                   json_object_get_string_member (json_node_get_object (refreshed), "access_token"),
                   "{\"name\":\"bot\"}", 201);

  stop_daemon (daemon, SIGTERM);
  log = daemon_log (daemon);
  g_assert_nonnull (strstr (log, "auth"));  /* the log did record the requests */

  secrets[0] = password;
  secrets[1] = wrong;
  secrets[2] = newcomer;
  secrets[3] = json_object_get_string_member (json_node_get_object (tokens), "refresh_token");
  secrets[4] = json_object_get_string_member (json_node_get_object (refreshed), "access_token");
  secrets[5] = json_object_get_string_member (json_node_get_object (key), "key");
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_assert_null (strstr (log, secrets[i]));
      g_assert_null (strstr (added.out, secrets[i]));
      g_assert_null (strstr (added.err, secrets[i]));
    }

  /* The headless fallback for the signing key: a private file. */
  {
    GStatBuf buf;
    g_assert_cmpint (g_stat (secrets_file, &buf), ==, 0);
    g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  }
}

static void
run_with_stdin (Fixture            *f,
                const char * const *args,
                const char         *input,
                Command            *command)
{
  g_autoptr(GSubprocessLauncher) launcher =
    launcher_new (f, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                  NULL);
  g_autoptr(GPtrArray) argv = argv_new (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  memset (command, 0, sizeof *command);
  g_subprocess_communicate_utf8_async (process, input, NULL, communicate_cb, command);
  wait_for (&command->done, COMMAND_TIMEOUT_S, args[0]);
  command->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", command->status, command->out, command->err);
}

/* The admin command line: accounts, the audit chain offline, key rotation. */
static void
test_admin_cli (Fixture       *f,
                gconstpointer  data)
{
  const char *serve[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  const char *list[] = { "user", "list", "--data-dir", f->data_dir, NULL };
  const char *verify[] = { "audit", "verify", "--data-dir", f->data_dir, NULL };
  const char *rotate[] = { "keys", "rotate", "--data-dir", f->data_dir, NULL };
  const char *disable[] = { "user", "disable", "trader", "--data-dir", f->data_dir, NULL };
  const char *disable_owner[] = { "user", "disable", "owner", "--data-dir", f->data_dir, NULL };
  const char *reset[] = { "user", "reset-password", "trader", "--password-stdin", "--data-dir", f->data_dir, NULL };
  const char *no_stdin[] = { "user", "add", "x-user", "--data-dir", f->data_dir, NULL };
  g_auto(Command) a = { 0 };
  g_auto(Command) b = { 0 };
  g_auto(Command) listed = { 0 };
  g_auto(Command) weak = { 0 };
  g_auto(Command) refused = { 0 };
  g_auto(Command) intact = { 0 };
  g_auto(Command) broken = { 0 };
  g_auto(Command) rotated = { 0 };
  g_auto(Command) disabled = { 0 };
  g_auto(Command) owner_kept = { 0 };
  g_auto(Command) reset_done = { 0 };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(Daemon) daemon = NULL;
  g_autoptr(JsonNode) ignored = NULL;
  g_autofree char *token = NULL;
  g_autofree char *db = g_build_filename (f->data_dir, "bourse.db", NULL);
  sqlite3 *handle = NULL;

  add_user_cli (f, "owner", "admin", "correct horse battery staple", &a);
  add_user_cli (f, "trader", "trader", "a long and winding road 42", &b);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);

  /* Weak passwords and passwords on the command line are refused. */
  add_user_cli (f, "weakling", "viewer", "password1234", &weak);
  g_assert_cmpint (weak.status, ==, 1);
  run_command (f, NULL, no_stdin, &refused);
  g_assert_cmpint (refused.status, ==, 2);
  assert_contains (refused.err, "--password-stdin");

  run_command (f, NULL, list, &listed);
  g_assert_cmpint (listed.status, ==, 0);
  assert_contains (listed.out, "owner");
  assert_contains (listed.out, "admin");
  assert_contains (listed.out, "trader");

  /* A token made now stops working once the signing key is rotated. */
  daemon = start_daemon (f, NULL, serve);
  token = login (session, daemon->port, "owner", "correct horse battery staple");
  ignored = call_json (session, daemon->port, "GET", "/api/v1/users/me", token, NULL, 200);
  stop_daemon (daemon, SIGTERM);
  g_clear_pointer (&daemon, daemon_free);
  run_command (f, NULL, rotate, &rotated);
  g_assert_cmpint (rotated.status, ==, 0);
  daemon = start_daemon (f, NULL, serve);
  g_clear_pointer (&ignored, json_node_unref);
  ignored = call_json (session, daemon->port, "GET", "/api/v1/users/me", token, NULL, 401);

  /* Disable and reset from the command line, audited; through the same
   * functions as the API, so the last administrator stays. */
  run_command (f, NULL, disable, &disabled);
  g_assert_cmpint (disabled.status, ==, 0);
  run_command (f, NULL, disable_owner, &owner_kept);
  g_assert_cmpint (owner_kept.status, ==, 1);
  assert_contains (owner_kept.err, "only active administrator");
  run_with_stdin (f, reset, "a brand new passphrase here\n", &reset_done);
  g_assert_cmpint (reset_done.status, ==, 0);
  stop_daemon (daemon, SIGTERM);

  run_command (f, NULL, verify, &intact);
  g_assert_cmpint (intact.status, ==, 0);
  assert_contains (intact.out, "intact");

  /* An edited row in the database file is found offline. */
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "UPDATE audit_log SET actor = 'someone-else' WHERE id = 2", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (handle);
  run_command (f, NULL, verify, &broken);
  g_assert_cmpint (broken.status, ==, 1);
  assert_contains (broken.out, "2");
}

/* `boursed market import` and `export` on a data directory, as an operator would. */
static void
test_market_cli (Fixture       *f,
                 gconstpointer  data)
{
  /* Three minutes of 2024-01-01 in our own Binance columns, so that the export is the same bytes. */
  static const char klines[] =
    "1704067200000,42283.58000000,42298.62000000,42261.02000000,42298.61000000,35.92724000,"
    "1704067259999,0.00000000,1327,0.00000000,0.00000000,0\n"
    "1704067260000,42298.62000000,42320.00000000,42298.61000000,42307.38000000,21.33000000,"
    "1704067319999,0.00000000,964,0.00000000,0.00000000,0\n"
    "1704067320000,42307.38000000,42310.00000000,42290.02000000,42290.02000000,0.00100000,"
    "1704067379999,0.00000000,1,0.00000000,0.00000000,0\n";
  static const char bad_klines[] =
    "1704067200000,42283.58000000,42298.62000000,42261.02000000,42298.61000000,35.92724000,"
    "1704067259999,0.00000000,1327,0.00000000,0.00000000,0\n"
    "1704067260000,42298.62000000,42200.00000000,42298.61000000,42307.38000000,21.33000000,"
    "1704067319999,0.00000000,964,0.00000000,0.00000000,0\n";
  g_autofree char *file = fixture_write (f, "BTCUSDT-1m.csv", klines);
  g_autofree char *bad_file = fixture_write (f, "bad.csv", bad_klines);
  g_autofree char *output = g_build_filename (f->dir, "exported.csv", NULL);
  g_autofree char *db = g_build_filename (f->data_dir, "bourse.db", NULL);
  g_autofree char *exported = NULL;
  const char *import[] = { "market", "import", file, "--symbol", "BTCUSDT", "--interval", "1m",
                           "--data-dir", f->data_dir, NULL };
  const char *import_bad[] = { "market", "import", bad_file, "--symbol", "BTCUSDT", "--interval", "1m",
                               "--data-dir", f->data_dir, NULL };
  const char *import_unknown[] = { "market", "import", file, "--symbol", "NOSUCH", "--interval", "1m",
                                   "--data-dir", f->data_dir, NULL };
  const char *import_no_interval[] = { "market", "import", file, "--symbol", "BTCUSDT", "--data-dir", f->data_dir,
                                       NULL };
  const char *export_file[] = { "market", "export", "--symbol", "BTCUSDT", "--interval", "1m", "--format", "binance",
                                "--output", output, "--data-dir", f->data_dir, NULL };
  const char *export_hours[] = { "market", "export", "--symbol", "BTCUSDT", "--interval", "1h",
                                 "--data-dir", f->data_dir, NULL };
  const char *verify[] = { "audit", "verify", "--data-dir", f->data_dir, NULL };
  g_auto(Command) first = { 0 };
  g_auto(Command) again = { 0 };
  g_auto(Command) bad = { 0 };
  g_auto(Command) unknown = { 0 };
  g_auto(Command) no_interval = { 0 };
  g_auto(Command) to_file = { 0 };
  g_auto(Command) hours = { 0 };
  g_auto(Command) intact = { 0 };
  g_autofree char *actor = g_strdup_printf ("cli:%s", g_get_user_name ());
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_audited = 0;

  run_command (f, NULL, import, &first);
  g_assert_cmpint (first.status, ==, 0);
  assert_contains (first.out, "Imported 3 candles (3 changed) into BTCUSDT 1m");
  run_command (f, NULL, import, &again);
  g_assert_cmpint (again.status, ==, 0);
  assert_contains (again.out, "Imported 3 candles (0 changed) into BTCUSDT 1m");

  /* A bad file: the line and column on stderr, status 1, nothing written. */
  run_command (f, NULL, import_bad, &bad);
  g_assert_cmpint (bad.status, ==, 1);
  assert_contains (bad.err, "Line 2, column 3: the high is below the low");
  run_command (f, NULL, import_unknown, &unknown);
  g_assert_cmpint (unknown.status, ==, 1);
  assert_contains (unknown.err, "NOSUCH");
  run_command (f, NULL, import_no_interval, &no_interval);
  g_assert_cmpint (no_interval.status, ==, 2);
  assert_contains (no_interval.err, "--interval");

  /* Export: the same bytes back; and the hour derived from the minutes. */
  run_command (f, NULL, export_file, &to_file);
  g_assert_cmpint (to_file.status, ==, 0);
  g_assert_true (g_file_get_contents (output, &exported, NULL, NULL));
  g_assert_cmpstr (exported, ==, klines);
  run_command (f, NULL, export_hours, &hours);
  g_assert_cmpint (hours.status, ==, 0);
  g_assert_cmpstr (hours.out, ==, "time,open,high,low,close,volume,trades\n"
                                  "1704067200000,42283.58,42320,42261.02,42290.02,57.25824,2292\n");

  /* Each import is audited as this user on the command line, in the chain. */
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, "SELECT actor, target FROM audit_log WHERE action = 'market.import'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, actor);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "instrument:BTCUSDT");
      n_audited++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  g_assert_cmpuint (n_audited, ==, 2);
  run_command (f, NULL, verify, &intact);
  g_assert_cmpint (intact.status, ==, 0);
}

#define add_test(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  boursed = g_getenv ("BOURSED");
  if (boursed == NULL || !g_file_test (boursed, G_FILE_TEST_IS_EXECUTABLE))
    {
      /* The build sets BOURSED; without it there is nothing to test. */
      g_printerr ("BOURSED must name the boursed binary (got %s)\n", boursed ? boursed : "nothing");
      g_print ("Bail out! BOURSED is not set\n");
      return 1;
    }

  add_test ("/boursed/version", test_version, NULL);
  add_test ("/boursed/serve-sigterm", test_serve_signal, GINT_TO_POINTER (SIGTERM));
  add_test ("/boursed/serve-sigint", test_serve_signal, GINT_TO_POINTER (SIGINT));
  add_test ("/boursed/serve-insecure-bind", test_insecure_bind, NULL);
  add_test ("/boursed/serve-bad-config", test_bad_config, NULL);
  add_test ("/boursed/serve-tls", test_tls, NULL);
  add_test ("/boursed/serve-websocket-going-away", test_websocket_going_away, NULL);
  add_test ("/boursed/simulated-market", test_simulated_market, NULL);
  add_test ("/boursed/config-show", test_config_show, NULL);
  add_test ("/boursed/config-check", test_config_check, NULL);
  add_test ("/boursed/serve-shutdown-after-aborted-connections",
            test_shutdown_after_aborted_connections, NULL);
  add_test ("/boursed/config-negative-port", test_negative_port, NULL);
  add_test ("/boursed/config-check-bind", test_config_check_bind, NULL);
  add_test ("/boursed/serve-keep-alive", test_keep_alive, NULL);
  add_test ("/boursed/no-secrets-in-logs", test_no_secrets_in_logs, NULL);
  add_test ("/boursed/admin-cli", test_admin_cli, NULL);
  add_test ("/boursed/market-cli", test_market_cli, NULL);

  return g_test_run ();
}
