/* test-first-run.c — the owner account offered on a new installation
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-owner-dialog.h"
#include "bourse-window.h"

#include "gui-util.h"

static char *tmp_dir;
static BourseLocalEngine *engine;
static char *engine_url;

static BourseWindow *
open_local_window (void)
{
  BourseWindow *window = bourse_window_new (NULL);

  g_object_ref (window);
  bourse_window_set_token (window, bourse_local_engine_get_token (engine));
  bourse_window_set_server_url (window, engine_url);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static gboolean
owner_dialog_is_shown (gpointer data)
{
  return find_toplevel (BOURSE_TYPE_OWNER_DIALOG) != NULL;
}

static gboolean
window_is_connected (gpointer data)
{
  BourseClient *client = bourse_window_get_client (data);

  return client != NULL && bourse_client_get_connected (client);
}

static void
set_row (GtkWidget  *dialog,
         const char *name,
         const char *text)
{
  GtkWidget *row = find_widget (dialog, name);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
error_is_shown (gpointer data)
{
  GtkWidget *label = find_widget (data, "error-label");

  return gtk_widget_get_visible (label) && gtk_label_get_label (GTK_LABEL (label))[0] != '\0';
}

static void
test_first_run (void)
{
  g_autoptr(BourseClient) owner = NULL;
  g_autofree char *role = NULL;
  g_autofree char *status = NULL;
  BourseWindow *window;
  GtkWidget *dialog;
  GtkWidget *create;
  const char *error_text;

  owner = bourse_client_new (engine_url);
  bourse_client_set_token (owner, bourse_local_engine_get_token (engine));

  /* An empty installation: the offer comes by itself. */
  window = open_local_window ();
  wait_until (owner_dialog_is_shown, NULL, "the owner account dialog");
  dialog = find_toplevel (BOURSE_TYPE_OWNER_DIALOG);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));

  /* "Later": gone, and not back for this window's reconnections. */
  g_assert_true (gtk_widget_activate_action (find_widget (dialog, "later-button"),
                                             "window.close", NULL));
  g_assert_null (find_toplevel (BOURSE_TYPE_OWNER_DIALOG));
  bourse_window_set_server_url (window, engine_url);
  wait_until (window_is_connected, window, "the window to reconnect");
  spin (1000);
  g_assert_null (find_toplevel (BOURSE_TYPE_OWNER_DIALOG));
  close_window (window);

  /* Another window (without an application to remember for the whole
   * launch) offers it again. */
  window = open_local_window ();
  wait_until (owner_dialog_is_shown, NULL, "the owner account dialog again");
  dialog = find_toplevel (BOURSE_TYPE_OWNER_DIALOG);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  create = find_widget (dialog, "create-button");
  g_assert_false (gtk_widget_get_sensitive (create));

  /* Passwords that differ never leave the dialog. */
  set_row (dialog, "username-row", "ada");
  set_row (dialog, "email-row", "ada@example.com");
  set_row (dialog, "password-row", TEST_PASSWORD);
  set_row (dialog, "confirm-row", TEST_PASSWORD "x");
  g_assert_true (gtk_widget_get_sensitive (create));
  g_signal_emit_by_name (create, "clicked");
  g_assert_true (error_is_shown (dialog));
  g_assert_true (gtk_widget_has_css_class (find_widget (dialog, "confirm-row"), "error"));
  g_test_message ("Mismatch: %s", label_text (dialog, "error-label"));

  /* The server's field errors show by their fields. */
  set_row (dialog, "password-row", "short");
  set_row (dialog, "confirm-row", "short");
  g_signal_emit_by_name (create, "clicked");
  wait_until (error_is_shown, dialog, "the server's field error");
  error_text = label_text (dialog, "error-label");
  g_test_message ("422: %s", error_text);
  g_assert_true (g_str_has_prefix (error_text, "Password: "));
  g_assert_true (gtk_widget_has_css_class (find_widget (dialog, "password-row"), "error"));
  g_assert_false (gtk_widget_has_css_class (find_widget (dialog, "username-row"), "error"));

  set_row (dialog, "username-row", "Not A Username!");
  set_row (dialog, "password-row", TEST_PASSWORD);
  set_row (dialog, "confirm-row", TEST_PASSWORD);
  g_signal_emit_by_name (create, "clicked");
  wait_until (error_is_shown, dialog, "the username's field error");
  g_test_message ("422: %s", label_text (dialog, "error-label"));
  g_assert_true (gtk_widget_has_css_class (find_widget (dialog, "username-row"), "error"));

  /* Right this time: the dialog closes and the server has its admin. */
  set_row (dialog, "username-row", "ada");
  g_signal_emit_by_name (create, "clicked");
  wait_until (pointer_is_null, &dialog, "the dialog to close");

  role = dup_user_member (owner, "ada", "role");
  status = dup_user_member (owner, "ada", "status");
  g_assert_cmpstr (role, ==, "admin");
  g_assert_cmpstr (status, ==, "active");

  close_window (window);

  /* With an account, no more offers. */
  window = open_local_window ();
  wait_until (window_is_connected, window, "the window to connect");
  spin (1000);
  g_assert_null (find_toplevel (BOURSE_TYPE_OWNER_DIALOG));
  close_window (window);

  g_assert_finalize_object (g_steal_pointer (&owner));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("bourse-first-run-XXXXXX", &error);
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
  /* A blinking cursor in a window that has no X focus (no window manager
   * here) makes GTK 4.8 warn "did not receive a focus-out event". */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  data_dir = g_build_filename (tmp_dir, "data", NULL);
  engine = start_engine (data_dir, &engine_url);

  g_test_add_func ("/first-run/owner-dialog", test_first_run);

  ret = g_test_run ();

  stop_engine (g_steal_pointer (&engine));
  g_clear_pointer (&engine_url, g_free);
  remove_tree (tmp_dir);
  g_clear_pointer (&tmp_dir, g_free);

  return ret;
}
