/* test-secrets.c — secrets in a 0600 file, and in gnome-keyring on a private bus
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyring cases start their own gnome-keyring-daemon with throw-away
 * XDG directories, so they never see the developer's keyring. They need
 * a session bus of their own: run this program inside `dbus-run-session`.
 */

#include <errno.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <sys/stat.h>

#include "auth/bourse-secrets.h"

#define SECRETS_FILE     "secrets.keyfile"
#define KEYRING_BUS_NAME "org.freedesktop.secrets"
#define KEYRING_TIMEOUT  (10 * G_USEC_PER_SEC)

/* A private directory for the whole run; XDG_* point inside it. */
static char *test_root;

/* ---- helpers ---------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

/* A fresh directory under the run's root; it does not exist yet, so that
 * the code under test has to create it. */
static char *
new_data_dir (const char *what)
{
  static guint counter;

  return g_strdup_printf ("%s/%s-%u/bourse", test_root, what, ++counter);
}

static GBytes *
binary_value (guint8 salt)
{
  guint8 data[300];

  /* Every byte value, NULs included, and not a C string. */
  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8)(i * 7 + salt);
  data[0] = 0;
  data[sizeof data - 1] = 0;

  return g_bytes_new (data, sizeof data);
}

static GBytes *
text_value (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static BourseSecrets *
open_secrets (const char           *data_dir,
              BourseSecretsBackend  backend)
{
  g_autoptr(GError) error = NULL;
  BourseSecrets *secrets = bourse_secrets_new (data_dir, backend, &error);

  g_assert_no_error (error);
  g_assert_true (BOURSE_IS_SECRETS (secrets));
  return secrets;
}

static void
store (BourseSecrets *secrets,
       const char    *name,
       GBytes        *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_secrets_store (secrets, name, value, &error));
  g_assert_no_error (error);
}

static void
assert_lookup (BourseSecrets *secrets,
               const char    *name,
               GBytes        *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = bourse_secrets_lookup (secrets, name, &error);

  g_assert_no_error (error);
  if (expected == NULL)
    g_assert_null (value);
  else
    {
      g_assert_nonnull (value);
      g_assert_true (g_bytes_equal (value, expected));
    }
}

static void
delete_secret (BourseSecrets *secrets,
               const char    *name)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_secrets_delete (secrets, name, &error));
  g_assert_no_error (error);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* ---- file backend ----------------------------------------------------- */

static void
test_file_round_trip (void)
{
  g_autofree char *dir = new_data_dir ("round-trip");
  BourseSecrets *secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_FILE);
  g_autoptr(GBytes) first = binary_value (1);
  g_autoptr(GBytes) second = binary_value (2);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) text = text_value ("s3cr3t-api-key");

  g_assert_cmpint (bourse_secrets_get_backend (secrets), ==, BOURSE_SECRETS_BACKEND_FILE);

  store (secrets, "jwt-signing-key", first);
  assert_lookup (secrets, "jwt-signing-key", first);

  /* Storing again replaces. */
  store (secrets, "jwt-signing-key", second);
  assert_lookup (secrets, "jwt-signing-key", second);

  store (secrets, "binance-api-secret", text);
  store (secrets, "server:203.0.113.9:8470", empty);
  assert_lookup (secrets, "binance-api-secret", text);
  assert_lookup (secrets, "server:203.0.113.9:8470", empty);
  assert_lookup (secrets, "jwt-signing-key", second);

  /* A new instance reads what the last one wrote. */
  g_assert_finalize_object (secrets);
  secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_FILE);
  assert_lookup (secrets, "jwt-signing-key", second);
  assert_lookup (secrets, "binance-api-secret", text);
  g_assert_finalize_object (secrets);
}

static void
test_file_missing (void)
{
  g_autofree char *dir = new_data_dir ("missing");
  g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
  BourseSecrets *secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_FILE);
  g_autoptr(GBytes) value = text_value ("value");

  /* No file at all yet. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_lookup (secrets, "absent", NULL);
  delete_secret (secrets, "absent");

  /* A file, but not that name. */
  store (secrets, "present", value);
  assert_lookup (secrets, "absent", NULL);
  delete_secret (secrets, "absent");
  assert_lookup (secrets, "present", value);

  g_assert_finalize_object (secrets);
}

static void
test_file_delete (void)
{
  g_autofree char *dir = new_data_dir ("delete");
  BourseSecrets *secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_FILE);
  g_autoptr(GBytes) kept = text_value ("kept");
  g_autoptr(GBytes) gone = text_value ("gone");

  store (secrets, "kept", kept);
  store (secrets, "gone", gone);
  delete_secret (secrets, "gone");
  assert_lookup (secrets, "gone", NULL);
  assert_lookup (secrets, "kept", kept);
  delete_secret (secrets, "gone");

  g_assert_finalize_object (secrets);
  secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_FILE);
  assert_lookup (secrets, "gone", NULL);
  assert_lookup (secrets, "kept", kept);
  g_assert_finalize_object (secrets);
}

static void
test_file_mode (void)
{
  g_autofree char *dir = new_data_dir ("mode");
  g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
  BourseSecrets *secrets;
  g_autoptr(GBytes) value = binary_value (3);
  mode_t saved_umask;

  /* Even with a permissive umask. */
  saved_umask = umask (0);
  secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_FILE);
  store (secrets, "jwt-signing-key", value);
  umask (saved_umask);

  g_assert_cmphex (file_mode (dir), ==, 0700);
  g_assert_cmphex (file_mode (path), ==, 0600);

  store (secrets, "another", value);
  g_assert_cmphex (file_mode (path), ==, 0600);

  g_assert_finalize_object (secrets);
}

static void
test_file_permissions (void)
{
  g_autofree char *dir = new_data_dir ("permissions");
  g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = text_value ("value");
  g_autoptr(GBytes) lookup = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  BourseSecrets *secrets;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents_full (path, "[secrets]\nname=dmFsdWU=\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0644, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  /* Refused at once, with what to do about it. */
  secrets = bourse_secrets_new (dir, BOURSE_SECRETS_BACKEND_FILE, &error);
  g_assert_null (secrets);
  g_assert_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_PERMISSIONS);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (strstr (error->message, "dmFsdWU="));
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_FILE);
  assert_lookup (secrets, "name", value);

  /* Opened to the group later: every access is refused, nothing written. */
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  lookup = bourse_secrets_lookup (secrets, "name", &error);
  g_assert_null (lookup);
  g_assert_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_PERMISSIONS);
  g_clear_error (&error);

  g_assert_false (bourse_secrets_store (secrets, "other", value, &error));
  g_assert_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_PERMISSIONS);
  g_clear_error (&error);

  g_assert_false (bourse_secrets_delete (secrets, "name", &error));
  g_assert_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_PERMISSIONS);
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_assert_cmphex (file_mode (path), ==, 0640);

  /* World-readable only is refused as well. */
  g_assert_cmpint (g_chmod (path, 0604), ==, 0);
  lookup = bourse_secrets_lookup (secrets, "name", &error);
  g_assert_null (lookup);
  g_assert_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_PERMISSIONS);

  g_assert_finalize_object (secrets);
}

/* A symbolic link in place of the file is not followed. */
static void
test_file_symlink (void)
{
  g_autofree char *dir = new_data_dir ("symlink");
  g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
  g_autofree char *target = g_build_filename (dir, "elsewhere", NULL);
  g_autoptr(GError) error = NULL;
  BourseSecrets *secrets;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents_full (target, "[secrets]\n", -1, G_FILE_SET_CONTENTS_NONE,
                                           0600, &error));
  g_assert_cmpint (symlink (target, path), ==, 0);

  secrets = bourse_secrets_new (dir, BOURSE_SECRETS_BACKEND_FILE, &error);
  g_assert_null (secrets);
  g_assert_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED);
}

static void
test_file_damaged (void)
{
  g_autofree char *dir = new_data_dir ("damaged");
  g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = NULL;
  BourseSecrets *secrets;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents_full (path, "[secrets]\nbad=not base64!\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));
  secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_FILE);

  value = bourse_secrets_lookup (secrets, "bad", &error);
  g_assert_null (value);
  g_assert_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED);
  g_assert_null (strstr (error->message, "not base64"));
  g_clear_error (&error);
  g_assert_finalize_object (secrets);

  /* GKeyFile would quote the line, a secret perhaps, in its message. */
  g_assert_true (g_file_set_contents_full (path, "[secrets]\nhunter2-secret-line\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, &error));
  secrets = bourse_secrets_new (dir, BOURSE_SECRETS_BACKEND_FILE, &error);
  g_assert_null (secrets);
  g_assert_error (error, BOURSE_SECRETS_ERROR, BOURSE_SECRETS_ERROR_FAILED);
  g_assert_null (strstr (error->message, "hunter2"));
}

static void
test_file_isolated (void)
{
  g_autofree char *dir_a = new_data_dir ("isolated-a");
  g_autofree char *dir_b = new_data_dir ("isolated-b");
  BourseSecrets *a = open_secrets (dir_a, BOURSE_SECRETS_BACKEND_FILE);
  BourseSecrets *b = open_secrets (dir_b, BOURSE_SECRETS_BACKEND_FILE);
  g_autoptr(GBytes) value_a = text_value ("value of a");
  g_autoptr(GBytes) value_b = text_value ("value of b");

  store (a, "jwt-signing-key", value_a);
  assert_lookup (b, "jwt-signing-key", NULL);

  store (b, "jwt-signing-key", value_b);
  assert_lookup (a, "jwt-signing-key", value_a);
  assert_lookup (b, "jwt-signing-key", value_b);

  delete_secret (a, "jwt-signing-key");
  assert_lookup (a, "jwt-signing-key", NULL);
  assert_lookup (b, "jwt-signing-key", value_b);

  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

/* ---- automatic choice without a Secret Service -------------------------- */

static void
test_auto_without_service (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = new_data_dir ("auto-file");
      g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
      g_autoptr(GBytes) value = text_value ("do-not-log-me");
      BourseSecrets *secrets;

      /* A bus address that leads nowhere: libsecret cannot even connect. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);

      secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_AUTO);
      g_assert_cmpint (bourse_secrets_get_backend (secrets), ==, BOURSE_SECRETS_BACKEND_FILE);
      store (secrets, "jwt-signing-key", value);
      assert_lookup (secrets, "jwt-signing-key", value);
      g_assert_cmphex (file_mode (path), ==, 0600);
      g_assert_finalize_object (secrets);
      secret_service_disconnect ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*No Secret Service: keeping secrets in */auto-file-*/bourse/"
                             SECRETS_FILE " (mode 0600)*");
  g_test_trap_assert_stderr_unmatched ("*do-not-log-me*");
  g_test_trap_assert_stdout_unmatched ("*do-not-log-me*");
}

/* ---- keyring backend, on a private gnome-keyring ------------------------ */

typedef struct
{
  char        *dir;       /* this daemon's XDG_DATA_HOME, XDG_RUNTIME_DIR… */
  char        *log;       /* its stderr, shown when it fails to start */
  GSubprocess *daemon;
} Keyring;

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(int *)user_data = 1;
}

static void
name_vanished_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(int *)user_data = 0;
}

/* Waits until the bus name is owned (owned = 1) or not (0), or only until
 * that is known (-1); returns the last state seen. Watching does not
 * auto-start the name, unlike a method call, which would have the bus
 * activate the system's gnome-keyring with the real $HOME. */
static int
wait_for_keyring_name (GSubprocess *daemon,
                       int          owned)
{
  int state = -1;
  gint64 deadline = g_get_monotonic_time () + KEYRING_TIMEOUT;
  guint watch = g_bus_watch_name (G_BUS_TYPE_SESSION, KEYRING_BUS_NAME,
                                  G_BUS_NAME_WATCHER_FLAGS_NONE, name_appeared_cb,
                                  name_vanished_cb, &state, NULL);

  while ((owned == -1 ? state == -1 : state != owned) && g_get_monotonic_time () < deadline)
    {
      if (daemon != NULL && g_subprocess_get_identifier (daemon) == NULL)
        break;   /* the daemon exited */
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }

  g_bus_unwatch_name (watch);
  /* Let the unwatch finish, so that no callback touches `state` later. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return state;
}

static void keyring_stop (Keyring *keyring);

/* NULL (and the test skipped) without a session bus or gnome-keyring. */
static Keyring *
keyring_start (gboolean unlock)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *data_home = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *home = NULL;
  g_autofree char *log = NULL;
  GOutputStream *input;
  Keyring *keyring;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No D-Bus session bus: run inside dbus-run-session");
      return NULL;
    }
  if (program == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return NULL;
    }

  /* Never the keyring of a desktop session this may have been run in. */
  if (wait_for_keyring_name (NULL, -1) != 0)
    {
      g_test_skip ("A Secret Service already runs on this bus: run inside dbus-run-session");
      return NULL;
    }

  keyring = g_new0 (Keyring, 1);
  keyring->dir = g_strdup_printf ("%s/keyring-XXXXXX", test_root);
  g_assert_nonnull (g_mkdtemp_full (keyring->dir, 0700));
  data_home = g_build_filename (keyring->dir, "data", NULL);
  runtime = g_build_filename (keyring->dir, "runtime", NULL);
  home = g_build_filename (keyring->dir, "home", NULL);
  keyring->log = g_build_filename (keyring->dir, "daemon.log", NULL);
  g_assert_cmpint (g_mkdir_with_parents (data_home, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, keyring->log);

  keyring->daemon = g_subprocess_launcher_spawn (launcher, &error, program, "--foreground",
                                                 "--components=secrets",
                                                 unlock ? "--unlock" : NULL, NULL);
  g_assert_no_error (error);

  /* --unlock reads the login keyring's password up to the end of input.
   * A daemon that died already is reported below, with its output. */
  input = g_subprocess_get_stdin_pipe (keyring->daemon);
  if (unlock)
    g_output_stream_write_all (input, "test\n", 5, NULL, NULL, NULL);
  g_output_stream_close (input, NULL, NULL);

  if (wait_for_keyring_name (keyring->daemon, 1) != 1)
    {
      g_file_get_contents (keyring->log, &log, NULL, NULL);
      keyring_stop (keyring);
      g_error ("gnome-keyring-daemon did not come up on the bus (waited up to %d s): %s",
               (int)(KEYRING_TIMEOUT / G_USEC_PER_SEC), log ? log : "(no output)");
    }

  return keyring;
}

static void
keyring_stop (Keyring *keyring)
{
  /* libsecret caches the service and its session with this daemon; the
   * next case talks to a new one. */
  secret_service_disconnect ();

  g_subprocess_force_exit (keyring->daemon);
  g_subprocess_wait (keyring->daemon, NULL, NULL);
  g_clear_object (&keyring->daemon);
  g_assert_cmpint (wait_for_keyring_name (NULL, 0), ==, 0);

  remove_tree (keyring->dir);
  g_free (keyring->dir);
  g_free (keyring->log);
  g_free (keyring);
}

/* The item as gnome-keyring has it, seen by another client (secret-tool):
 * one item with our label, found by our attributes. */
static void
assert_keyring_item (const char *name,
                     const char *data_dir,
                     gboolean    exists)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) tool = NULL;
  g_autofree char *program = g_find_program_in_path ("secret-tool");
  g_autofree char *canonical = g_canonicalize_filename (data_dir, NULL);
  g_autofree char *expected_label = g_strdup_printf ("label = Bourse: %s\n", name);
  g_autofree char *output = NULL;
  const char *found;

  if (program == NULL)
    {
      g_test_message ("secret-tool is not installed: not checking the keyring item of %s", name);
      return;
    }

  tool = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                           program, "search", "--all", "xdg:schema", "io.github.bourse.Bourse.Secret",
                           "name", name, "data-dir", canonical, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (tool, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);

  found = strstr (output, expected_label);
  if (!exists)
    {
      g_assert_null (found);
      return;
    }
  if (found == NULL)
    g_error ("no keyring item labelled 'Bourse: %s' in:\n%s", name, output);
  g_assert_null (strstr (found + 1, "label = "));   /* exactly one */
}

static void
test_keyring_round_trip (void)
{
  g_autofree char *dir = new_data_dir ("keyring");
  g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
  g_autoptr(GBytes) first = binary_value (4);
  g_autoptr(GBytes) second = binary_value (5);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  BourseSecrets *secrets;
  Keyring *keyring = keyring_start (TRUE);

  if (keyring == NULL)
    return;

  secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_KEYRING);
  g_assert_cmpint (bourse_secrets_get_backend (secrets), ==, BOURSE_SECRETS_BACKEND_KEYRING);

  assert_lookup (secrets, "jwt-signing-key", NULL);
  store (secrets, "jwt-signing-key", first);
  assert_lookup (secrets, "jwt-signing-key", first);
  assert_keyring_item ("jwt-signing-key", dir, TRUE);

  store (secrets, "jwt-signing-key", second);
  assert_lookup (secrets, "jwt-signing-key", second);
  assert_keyring_item ("jwt-signing-key", dir, TRUE);   /* replaced, not added */

  store (secrets, "smtp-password", empty);
  assert_lookup (secrets, "smtp-password", empty);

  delete_secret (secrets, "jwt-signing-key");
  assert_lookup (secrets, "jwt-signing-key", NULL);
  assert_keyring_item ("jwt-signing-key", dir, FALSE);
  delete_secret (secrets, "jwt-signing-key");
  assert_lookup (secrets, "smtp-password", empty);

  /* Nothing went to the fallback file. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (secrets);
  keyring_stop (keyring);
}

static void
test_keyring_scoped (void)
{
  g_autofree char *dir_a = new_data_dir ("scoped-a");
  g_autofree char *dir_b = new_data_dir ("scoped-b");
  g_autofree char *dir_a_again = NULL;
  g_autoptr(GBytes) value_a = text_value ("value of a");
  g_autoptr(GBytes) value_b = text_value ("value of b");
  BourseSecrets *a, *b, *a_again;
  Keyring *keyring = keyring_start (TRUE);

  if (keyring == NULL)
    return;

  a = open_secrets (dir_a, BOURSE_SECRETS_BACKEND_KEYRING);
  b = open_secrets (dir_b, BOURSE_SECRETS_BACKEND_KEYRING);

  store (a, "jwt-signing-key", value_a);
  assert_lookup (b, "jwt-signing-key", NULL);
  store (b, "jwt-signing-key", value_b);
  assert_lookup (a, "jwt-signing-key", value_a);
  assert_lookup (b, "jwt-signing-key", value_b);

  /* The same directory spelt differently is the same scope. */
  dir_a_again = g_strconcat (dir_a, "/../bourse/.", NULL);
  a_again = open_secrets (dir_a_again, BOURSE_SECRETS_BACKEND_KEYRING);
  assert_lookup (a_again, "jwt-signing-key", value_a);

  delete_secret (a, "jwt-signing-key");
  assert_lookup (a_again, "jwt-signing-key", NULL);
  assert_lookup (b, "jwt-signing-key", value_b);
  delete_secret (b, "jwt-signing-key");

  g_assert_finalize_object (a);
  g_assert_finalize_object (a_again);
  g_assert_finalize_object (b);
  keyring_stop (keyring);
}

static void
test_keyring_auto (void)
{
  g_autofree char *dir = new_data_dir ("auto-keyring");
  g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
  g_autoptr(GBytes) value = text_value ("value");
  BourseSecrets *secrets;
  Keyring *keyring = keyring_start (TRUE);

  if (keyring == NULL)
    return;

  secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_AUTO);
  g_assert_cmpint (bourse_secrets_get_backend (secrets), ==, BOURSE_SECRETS_BACKEND_KEYRING);
  store (secrets, "jwt-signing-key", value);
  assert_keyring_item ("jwt-signing-key", dir, TRUE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  delete_secret (secrets, "jwt-signing-key");

  g_assert_finalize_object (secrets);
  keyring_stop (keyring);
}

/* A Secret Service without an unlocked login keyring, as the bus starts
 * one on a server: no default collection to store into, so AUTO falls back
 * to the file instead of waiting for a prompt nobody answers. */
static void
test_keyring_auto_no_default (void)
{
  g_autofree char *dir = new_data_dir ("auto-no-default");
  g_autofree char *path = g_build_filename (dir, SECRETS_FILE, NULL);
  g_autoptr(GBytes) value = text_value ("value");
  BourseSecrets *secrets;
  Keyring *keyring = keyring_start (FALSE);

  if (keyring == NULL)
    return;

  /* Logs "No Secret Service: …" (checked in /secrets/auto/without-service:
   * g_test_expect_message does not see structured logging in GLib 2.74). */
  secrets = open_secrets (dir, BOURSE_SECRETS_BACKEND_AUTO);
  g_assert_cmpint (bourse_secrets_get_backend (secrets), ==, BOURSE_SECRETS_BACKEND_FILE);
  store (secrets, "jwt-signing-key", value);
  assert_lookup (secrets, "jwt-signing-key", value);
  g_assert_cmphex (file_mode (path), ==, 0600);

  g_assert_finalize_object (secrets);
  keyring_stop (keyring);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *runtime = NULL;
  int status;

  /* Before anything can touch libsecret or start a daemon: nothing of the
   * developer's session is used. */
  test_root = g_dir_make_tmp ("bourse-secrets-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (test_root, "xdg-data", NULL);
  runtime = g_build_filename (test_root, "xdg-runtime", NULL);
  g_mkdir (data_home, 0700);
  g_mkdir (runtime, 0700);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/secrets/file/round-trip", test_file_round_trip);
  g_test_add_func ("/secrets/file/missing", test_file_missing);
  g_test_add_func ("/secrets/file/delete", test_file_delete);
  g_test_add_func ("/secrets/file/mode", test_file_mode);
  g_test_add_func ("/secrets/file/permissions", test_file_permissions);
  g_test_add_func ("/secrets/file/symlink", test_file_symlink);
  g_test_add_func ("/secrets/file/damaged", test_file_damaged);
  g_test_add_func ("/secrets/file/isolated", test_file_isolated);
  g_test_add_func ("/secrets/auto/without-service", test_auto_without_service);
  g_test_add_func ("/secrets/keyring/round-trip", test_keyring_round_trip);
  g_test_add_func ("/secrets/keyring/scoped", test_keyring_scoped);
  g_test_add_func ("/secrets/keyring/auto", test_keyring_auto);
  g_test_add_func ("/secrets/keyring/auto-no-default", test_keyring_auto_no_default);

  status = g_test_run ();

  remove_tree (test_root);
  g_free (test_root);

  return status;
}
