/* test-remote.c — signing in to a remote server, and remembering it
 *
 * The embedded engine stands in for a remote boursed: a window without the
 * local owner's token is what `bourse --connect URL` opens.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "bourse-application.h"
#include "bourse-desktop-settings.h"
#include "bourse-remote-session.h"
#include "bourse-sign-in-dialog.h"
#include "bourse-window.h"

#include "gui-util.h"

static char *tmp_dir;
static BourseLocalEngine *engine;
static char *engine_url;
static GPid keyring_pid;

static const SecretSchema connection_schema = {
  "io.github.bourse.Bourse.Connection", SECRET_SCHEMA_NONE,
  {
    { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

/* Helpers {{{ */

/* Async, like the application: mixing libsecret's sync calls with async
 * ones in one thread leaks D-Bus messages (libsecret 0.20). */
static char *
lookup_secret (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret_password_lookup (&connection_schema, NULL, store_result_cb, &result,
                          "url", engine_url, NULL);
  wait_until (pointer_is_set, &result, "the keyring");
  secret = secret_password_lookup_finish (result, &error);
  g_assert_no_error (error);

  return secret;
}

static gboolean
session_login (BourseRemoteSession  *session,
               const char           *login,
               const char           *password,
               gboolean              remember,
               GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bourse_remote_session_login_async (session, login, password, remember, NULL,
                                     store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the sign-in");

  return bourse_remote_session_login_finish (session, result, error);
}

static char *
whoami (const char *token)
{
  g_autoptr(BourseClient) client = bourse_client_new (engine_url);
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(GError) error = NULL;

  bourse_client_set_token (client, token);
  me = get_json (client, "/api/v1/users/me", &error);
  if (me == NULL)
    return NULL;

  return g_strdup (json_object_get_string_member (json_node_get_object (me), "username"));
}

static BourseWindow *
open_remote_window (void)
{
  BourseWindow *window = bourse_window_new (NULL);

  g_object_ref (window);
  bourse_window_set_server_url (window, engine_url);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static gboolean
sign_in_dialog_is_shown (gpointer data)
{
  return find_toplevel (BOURSE_TYPE_SIGN_IN_DIALOG) != NULL;
}

static gboolean
window_is_connected (gpointer data)
{
  BourseClient *client = bourse_window_get_client (data);

  return client != NULL && bourse_client_get_connected (client);
}

static gboolean
error_is_shown (gpointer data)
{
  GtkWidget *label = find_widget (data, "error-label");

  return gtk_widget_get_visible (label) && gtk_label_get_label (GTK_LABEL (label))[0] != '\0';
}

static void
sign_in_with_dialog (const char *login,
                     const char *password)
{
  GtkWidget *dialog;

  wait_until (sign_in_dialog_is_shown, NULL, "the sign-in dialog");
  dialog = find_toplevel (BOURSE_TYPE_SIGN_IN_DIALOG);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);

  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "login-row")), login);
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "password-row")), password);
  g_signal_emit_by_name (find_widget (dialog, "sign-in-button"), "clicked");
  wait_until (pointer_is_null, &dialog, "the sign-in dialog to close");
}

/* }}} */

static void
test_session (void)
{
  g_autoptr(BourseRemoteSession) session = bourse_remote_session_new (engine_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *who = NULL;

  g_assert_null (bourse_remote_session_get_access_token (session));

  g_assert_false (session_login (session, "rita", "not-her-password", FALSE, &error));
  g_assert_error (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_UNAUTHORIZED);
  g_test_message ("Wrong password: %s", error->message);
  g_clear_error (&error);
  g_assert_null (bourse_remote_session_get_access_token (session));

  g_assert_true (session_login (session, "rita@example.com", TEST_PASSWORD, FALSE, &error));
  g_assert_no_error (error);
  first = g_strdup (bourse_remote_session_get_access_token (session));
  g_assert_nonnull (first);
  who = whoami (first);
  g_assert_cmpstr (who, ==, "rita");
  g_clear_pointer (&who, g_free);

  /* Rotation: new tokens, and they work. */
  bourse_remote_session_refresh_async (session, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the refresh");
  g_assert_true (bourse_remote_session_refresh_finish (session, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (bourse_remote_session_get_access_token (session), !=, first);
  who = whoami (bourse_remote_session_get_access_token (session));
  g_assert_cmpstr (who, ==, "rita");

  bourse_remote_session_sign_out (session);
  g_assert_null (bourse_remote_session_get_access_token (session));

  g_assert_finalize_object (g_steal_pointer (&session));
}

/* Remembered in the keyring: the next "launch" signs in by itself. */
static void
test_keyring (void)
{
  g_autoptr(BourseRemoteSession) first = NULL;
  g_autoptr(BourseRemoteSession) second = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *who = NULL;
  BourseWindow *window;
  g_autofree char *stored = NULL;
  char *secret = NULL;

  if (keyring_pid == 0)
    {
      g_test_skip ("no gnome-keyring-daemon");
      return;
    }

  first = bourse_remote_session_new (engine_url);
  g_assert_true (session_login (first, "rita", TEST_PASSWORD, TRUE, &error));
  g_assert_no_error (error);

  /* The write is in the background. */
  {
    gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

    while (!(secret = lookup_secret ()))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        spin (100);
      }
  }
  g_assert_nonnull (strstr (secret, "\"username\":\"rita\""));
  g_assert_nonnull (strstr (secret, "refresh_token"));
  stored = g_strdup (secret);
  secret_password_free (secret);

  /* Let the first session go without signing out, as at quitting. */
  g_assert_finalize_object (g_steal_pointer (&first));

  second = bourse_remote_session_new (engine_url);
  bourse_remote_session_restore_async (second, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the remembered sign-in");
  g_assert_true (bourse_remote_session_restore_finish (second, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (bourse_remote_session_get_username (second), ==, "rita");
  who = whoami (bourse_remote_session_get_access_token (second));
  g_assert_cmpstr (who, ==, "rita");
  g_assert_finalize_object (g_steal_pointer (&second));

  /* The restore spent the refresh token: the keyring gets the new one. */
  {
    gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

    while (TRUE)
      {
        gboolean rotated;

        secret = lookup_secret ();
        rotated = secret != NULL && g_strcmp0 (secret, stored) != 0;
        secret_password_free (secret);
        if (rotated)
          break;
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        spin (100);
      }
  }

  /* A window finds it too: no dialog, straight to the console. */
  window = open_remote_window ();
  wait_until (window_is_connected, window, "the window to sign in by itself");
  g_assert_null (find_toplevel (BOURSE_TYPE_SIGN_IN_DIALOG));

  /* Signing out forgets it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  wait_until (sign_in_dialog_is_shown, NULL, "the sign-in dialog after signing out");
  spin (500);
  secret = lookup_secret ();
  g_assert_null (secret);

  close_window (window);
}

static void
test_window (void)
{
  g_autofree char *token = NULL;
  g_autofree char *who = NULL;
  BourseWindow *window;
  GtkWidget *dialog;
  GtkWidget *audit;
  WidgetQuery lookup;

  /* No token: the server's 401 brings the dialog. */
  window = open_remote_window ();
  wait_until (sign_in_dialog_is_shown, NULL, "the sign-in dialog");
  dialog = find_toplevel (BOURSE_TYPE_SIGN_IN_DIALOG);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_null (bourse_window_get_client (window));
  g_assert_false (gtk_widget_get_sensitive (find_widget (dialog, "sign-in-button")));

  /* A wrong password is said in the dialog, which stays. */
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "login-row")), "rita");
  gtk_editable_set_text (GTK_EDITABLE (find_widget (dialog, "password-row")), "not-her-password");
  g_signal_emit_by_name (find_widget (dialog, "sign-in-button"), "clicked");
  wait_until (error_is_shown, dialog, "the sign-in error");
  g_test_message ("Wrong password: %s", label_text (dialog, "error-label"));
  g_assert_true (find_toplevel (BOURSE_TYPE_SIGN_IN_DIALOG) == dialog);

  /* Cancel, then sign in from the status page's button. */
  g_assert_true (gtk_widget_activate_action (find_widget (dialog, "cancel-button"), "window.close", NULL));
  g_assert_null (find_toplevel (BOURSE_TYPE_SIGN_IN_DIALOG));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.retry", NULL));
  sign_in_with_dialog ("rita", TEST_PASSWORD);
  wait_until (window_is_connected, window, "the window to connect as rita");

  token = g_strdup (bourse_client_get_token (bourse_window_get_client (window)));
  g_assert_nonnull (token);
  g_assert_cmpstr (token, !=, bourse_local_engine_get_token (engine));
  who = whoami (token);
  g_assert_cmpstr (who, ==, "rita");

  /* A trader gets no administration pages. */
  spin (1000);
  g_assert_null (find_widget (GTK_WIDGET (window), "users-page"));
  g_assert_false (window_lists_page (window, "audit"));

  /* Signing out, then in as an administrator: the pages appear. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  sign_in_with_dialog ("adam", TEST_PASSWORD);
  wait_until (window_is_connected, window, "the window to connect as adam");
  lookup = (WidgetQuery) { GTK_WIDGET (window), "users-page" };
  wait_until (widget_exists, &lookup, "the Users page for an administrator");

  /* A page made when shown goes with its place when the next account may
   * not read it. */
  audit = show_listed_page (window, "audit", "audit-page");
  g_object_add_weak_pointer (G_OBJECT (audit), (gpointer *) &audit);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  sign_in_with_dialog ("rita", TEST_PASSWORD);
  wait_until (window_is_connected, window, "the window to connect as rita again");
  wait_until (pointer_is_null, &audit, "the Audit Trail page to go");
  g_assert_false (window_lists_page (window, "audit"));

  close_window (window);
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

/* A Secret Service of our own, on the test's own session bus
 * (../shared/TOOLCHAIN.md). */
static void
start_keyring (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *data = g_build_filename (tmp_dir, "keyring-data", NULL);
  g_autofree char *runtime = g_build_filename (tmp_dir, "keyring-runtime", NULL);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  const char *argv[] = { NULL, "--foreground", "--unlock", "--components=secrets", NULL };
  gint64 deadline;
  int stdin_fd;

  if (daemon == NULL || !(bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL)))
    return;

  /* Never someone else's keyring: the test would write to it, or wait on
   * its prompts. */
  if (name_has_owner (bus, "org.freedesktop.secrets"))
    {
      g_printerr ("# Another Secret Service runs on this bus: not testing the keyring\n");
      return;
    }

  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (runtime, 0700);
  /* Its own store and sockets: never the user's keyring. */
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", data, TRUE);
  envp = g_environ_setenv (envp, "XDG_RUNTIME_DIR", runtime, TRUE);

  argv[0] = daemon;
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, &keyring_pid, &stdin_fd, NULL, NULL, &error))
    {
      g_printerr ("# Could not start the keyring: %s\n", error->message);
      keyring_pid = 0;
      return;
    }
  /* The login keyring's password, then end of input. */
  if (write (stdin_fd, "test", 4) != 4)
    g_printerr ("# Could not unlock the keyring\n");
  close (stdin_fd);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      if (name_has_owner (bus, "org.freedesktop.secrets"))
        return;
      g_usleep (100 * 1000);
    }

  g_printerr ("# The keyring did not come up\n");
  kill (keyring_pid, SIGTERM);
  g_spawn_close_pid (keyring_pid);
  keyring_pid = 0;
}

/* Preferences → Start With a saved server (GSettings' last-connection,
 * one of saved-connections): the application, started without --connect
 * or --data-dir, opens on that server (no engine of its own) and asks who
 * you are there. The test runs in the application's activation, after the
 * application's own handler has made its window. */
static void
last_connection_activated_cb (GApplication *application,
                              gpointer      user_data)
{
  gboolean *ran = user_data;
  g_autofree char *expected = NULL;
  g_autofree char *who = NULL;
  BourseWindow *window;
  GtkWidget *dialog;

  window = BOURSE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  g_assert_nonnull (window);
  g_object_ref (window);
  g_assert_cmpstr (bourse_window_get_server_url (window), ==, engine_url);

  wait_until (sign_in_dialog_is_shown, NULL, "the sign-in dialog of the last server");
  dialog = find_toplevel (BOURSE_TYPE_SIGN_IN_DIALOG);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  expected = g_strdup_printf ("%s asks who you are", engine_url);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (find_widget_of_type (dialog, ADW_TYPE_STATUS_PAGE))),
                   ==, expected);

  sign_in_with_dialog ("rita", TEST_PASSWORD);
  wait_until (window_is_connected, window, "the window to connect to the last server");
  g_assert_cmpstr (bourse_client_get_base_url (bourse_window_get_client (window)), ==, engine_url);
  /* No engine was started for it: the window's token is the account's. */
  who = whoami (bourse_client_get_token (bourse_window_get_client (window)));
  g_assert_cmpstr (who, ==, "rita");

  close_window (window);
  *ran = TRUE;
}

/* Runs a BourseApplication with @argv (NULL-terminated, the program's name
 * first) after choosing @last to start with, and checks in its activation
 * that its window is on the engine. */
static void
run_application (const char *last,
                 const char *argv[])
{
  g_autoptr(GSettings) settings = bourse_settings_new ();
  g_autoptr(BourseApplication) application = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ran = FALSE;

  g_assert_nonnull (settings);
  /* Nothing remembered for the server (an earlier case may have): the
   * dialog, not a silent sign-in. Without a keyring, nothing to forget. */
  secret_password_clear (&connection_schema, NULL, store_result_cb, &result, "url", engine_url, NULL);
  wait_until (pointer_is_set, &result, "the keyring to forget the server");
  secret_password_clear_finish (result, NULL);

  g_settings_set_value (settings, "saved-connections", g_variant_new_parsed ("[('Desk', %s)]", last));
  g_settings_set_string (settings, "last-connection", last);

  application = bourse_application_new ();
  g_signal_connect_after (application, "activate", G_CALLBACK (last_connection_activated_cb), &ran);
  g_assert_cmpint (g_application_run (G_APPLICATION (application), g_strv_length ((char **) argv),
                                      (char **) argv), ==, 0);
  g_assert_true (ran);

  g_assert_finalize_object (g_steal_pointer (&application));
  g_settings_reset (settings, "last-connection");
  g_settings_reset (settings, "saved-connections");
}

static void
test_last_connection (void)
{
  const char *argv[] = { "bourse", NULL };

  run_application (engine_url, argv);
}

/* --connect says otherwise: the last connection is not used. */
static void
test_connect_overrides_last (void)
{
  const char *argv[] = { "bourse", "--connect", engine_url, NULL };

  run_application ("http://127.0.0.1:9/", argv);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("bourse-remote-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      static const char *vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };
      g_autofree char *dir = g_build_filename (tmp_dir, vars[i], NULL);

      g_setenv (vars[i], dir, TRUE);
    }

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      remove_tree (tmp_dir);
      g_free (tmp_dir);
      return 0;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  data_dir = g_build_filename (tmp_dir, "data", NULL);
  engine = start_engine (data_dir, &engine_url);
  start_keyring ();

  {
    g_autoptr(BourseClient) owner = bourse_client_new (engine_url);

    bourse_client_set_token (owner, bourse_local_engine_get_token (engine));
    create_user (owner, "rita", "trader");
    create_user (owner, "adam", "admin");
  }

  g_test_add_func ("/remote/session", test_session);
  g_test_add_func ("/remote/keyring", test_keyring);
  g_test_add_func ("/remote/window", test_window);
  g_test_add_func ("/remote/last-connection", test_last_connection);
  g_test_add_func ("/remote/connect-overrides-last", test_connect_overrides_last);

  ret = g_test_run ();

  stop_engine (g_steal_pointer (&engine));
  g_clear_pointer (&engine_url, g_free);

  /* libsecret keeps its connection to the Secret Service for the whole
   * process: let it go, and what it still had queued for us. */
  secret_service_disconnect ();
  spin (100);

  if (keyring_pid != 0)
    {
      kill (keyring_pid, SIGTERM);
      g_spawn_close_pid (keyring_pid);
    }

  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
