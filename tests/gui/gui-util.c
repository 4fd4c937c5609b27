/* gui-util.c — what the GUI tests share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gui-util.h"

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
wait_until (gboolean  (*condition) (gpointer),
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (50, wake_cb, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %d ms waiting for %s", TIMEOUT_MS, what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (wake_id);
}

void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint wake_id = g_timeout_add (20, wake_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake_id);
}

gboolean
pointer_is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

gboolean
window_knows_permissions (gpointer data)
{
  BourseClient *client = bourse_window_get_client (data);

  return client != NULL && bourse_client_get_permissions (client) != NULL;
}

void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

BourseLocalEngine *
start_engine (const char  *data_dir,
              char       **url)
{
  g_autoptr(BourseLocalEngine) engine = bourse_local_engine_new (data_dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bourse_local_engine_start_async (engine, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, "the engine to start");

  *url = bourse_local_engine_start_finish (engine, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (*url, "http://127.0.0.1:"));
  g_assert_cmpstr (bourse_local_engine_get_url (engine), ==, *url);

  return g_steal_pointer (&engine);
}

void
stop_engine (BourseLocalEngine *engine)
{
  bourse_local_engine_stop (engine);
  g_assert_null (bourse_local_engine_get_url (engine));
  g_assert_finalize_object (engine);
}

JsonNode *
get_json (BourseClient  *client,
          const char    *path,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  bourse_client_get_json_async (client, path, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, path);

  return bourse_client_get_json_finish (client, result, error);
}

JsonNode *
request_json (BourseClient  *client,
              const char    *method,
              const char    *path,
              const char    *body,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (body != NULL)
    {
      node = json_from_string (body, error);
      g_assert_nonnull (node);
    }

  bourse_client_request_json_async (client, method, path, node, NULL, store_result_cb, &result);
  wait_until (pointer_is_set, &result, path);

  return bourse_client_request_json_finish (client, result, error);
}

static gint64
id_of (JsonNode *user)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (user));

  return json_object_get_int_member (json_node_get_object (user), "id");
}

gint64
create_user (BourseClient *client,
             const char   *username,
             const char   *role)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) user = NULL;
  g_autoptr(GError) error = NULL;

  body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.com\","
                          "\"password\":\"" TEST_PASSWORD "\",\"role\":\"%s\"}",
                          username, username, role);
  user = request_json (client, "POST", "/api/v1/users", body, &error);
  g_assert_no_error (error);

  return id_of (user);
}

gint64
register_user (const char *url,
               const char *username)
{
  g_autoptr(BourseClient) anonymous = bourse_client_new (url);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) user = NULL;
  g_autoptr(GError) error = NULL;

  body = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.com\","
                          "\"password\":\"" TEST_PASSWORD "\"}",
                          username, username);
  user = request_json (anonymous, "POST", "/api/v1/auth/register", body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (user), "status"),
                   ==, "pending");

  return id_of (user);
}

char *
dup_user_member (BourseClient *client,
                 const char   *username,
                 const char   *member)
{
  g_autoptr(JsonNode) users = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  users = get_json (client, "/api/v1/users", &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_node_get_object (users), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *user = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (user, "username"), username) == 0)
        return g_strdup (json_object_get_string_member (user, member));
    }

  return NULL;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name,
            gboolean    shown_only)
{
  if (shown_only && !gtk_widget_get_visible (root))
    return NULL;
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name, shown_only);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
find_widget (GtkWidget  *root,
             const char *name)
{
  return find_named (root, name, FALSE);
}

GtkWidget *
find_shown (GtkWidget  *root,
            const char *name)
{
  return find_named (root, name, TRUE);
}

GtkWidget *
find_widget_of_type (GtkWidget *root,
                     GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

const char *
label_text (GtkWidget  *root,
            const char *name)
{
  GtkWidget *label = find_widget (root, name);

  g_assert_nonnull (label);
  g_assert_true (GTK_IS_LABEL (label));

  return gtk_label_get_label (GTK_LABEL (label));
}

GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_type_is_a (G_OBJECT_TYPE (window), type) && gtk_widget_get_visible (window))
        return window;
    }

  return NULL;
}

GtkWidget *
find_named_toplevel (const char *name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (window) && g_strcmp0 (gtk_widget_get_name (window), name) == 0)
        return window;
    }

  return NULL;
}

gboolean
named_toplevel_is_shown (gpointer name)
{
  return find_named_toplevel (name) != NULL;
}

gboolean
named_toplevel_is_gone (gpointer name)
{
  return find_named_toplevel (name) == NULL;
}

GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
widget_exists (gpointer data)
{
  WidgetQuery *query = data;

  return find_widget (query->root, query->name) != NULL;
}

gboolean
widget_is_gone (gpointer data)
{
  return !widget_exists (data);
}

GtkWidget *
wait_for_widget_named (gpointer    root,
                       const char *name)
{
  WidgetQuery query = { root, name };
  g_autofree char *what = g_strdup_printf ("“%s” to appear", name);

  wait_until (widget_exists, &query, what);
  return find_widget (root, name);
}

gboolean
window_lists_page (BourseWindow *window,
                   const char   *name)
{
  GtkWidget *stack = find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);

  return stack != NULL && adw_view_stack_get_child_by_name (ADW_VIEW_STACK (stack), name) != NULL;
}

typedef struct
{
  BourseWindow *window;
  const char   *name;
} PageQuery;

static gboolean
page_is_listed (gpointer data)
{
  PageQuery *query = data;

  return window_lists_page (query->window, query->name);
}

void
wait_for_listed_page (BourseWindow *window,
                      const char   *name)
{
  PageQuery query = { window, name };
  g_autofree char *what = g_strdup_printf ("the sidebar to list the page “%s”", name);

  wait_until (page_is_listed, &query, what);
}

GtkWidget *
show_listed_page (BourseWindow *window,
                  const char   *name,
                  const char   *widget_name)
{
  GtkWidget *page;

  wait_for_listed_page (window, name);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
  /* Made as the stack shows it, before the next frame. */
  page = find_widget (GTK_WIDGET (window), widget_name);
  g_assert_nonnull (page);

  return page;
}

gboolean
tab_to (GtkWidget *window,
        GtkWidget *target,
        guint      max_steps)
{
  g_assert_true (GTK_IS_ROOT (window));
  g_assert_nonnull (target);

  for (guint i = 0; i < max_steps; i++)
    {
      /* GtkWindow's Tab binding: forward from the focus, and round again
       * from the top once the chain ends. */
      if (!gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD))
        {
          gtk_root_set_focus (GTK_ROOT (window), NULL);
          gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
        }
      if (gtk_root_get_focus (GTK_ROOT (window)) == target)
        return TRUE;
    }
  return FALSE;
}

gboolean
some_label_contains (GtkWidget  *root,
                     const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (root) &&
      strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)) ?: "", text) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (some_label_contains (child, text))
      return TRUE;
  return FALSE;
}

/* "clicked" itself: gtk_widget_activate () emits it only after ~250 ms. */
void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

void
close_window (BourseWindow *window)
{
  BourseClient *client = bourse_window_get_client (window);

  if (client != NULL)
    g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  wait_until (pointer_is_null, &window, "the window to be finalized");
  wait_until (pointer_is_null, &client, "the window's client to go");
}

typedef struct
{
  BourseWindow       *window;
  const char * const *topics;
} TopicsQuery;

static gboolean
topics_are_confirmed (gpointer data)
{
  TopicsQuery *query = data;
  BourseClient *client = bourse_window_get_client (query->window);

  if (client == NULL || !bourse_client_get_connected (client))
    return FALSE;

  for (guint i = 0; query->topics[i] != NULL; i++)
    if (!bourse_client_is_subscribed (client, query->topics[i]))
      return FALSE;

  return TRUE;
}

void
wait_for_topics (BourseWindow       *window,
                 const char * const *topics)
{
  TopicsQuery query = { window, topics };
  g_autofree char *joined = g_strjoinv (", ", (char **) topics);
  g_autofree char *what = g_strdup_printf ("the server to confirm the topics %s", joined);

  wait_until (topics_are_confirmed, &query, what);
}

void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}

gboolean
gui_test_init (int     *argc,
               char  ***argv,
               char   **tmp_dir)
{
  static const char * const vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME" };
  g_autoptr(GError) error = NULL;

  *tmp_dir = g_dir_make_tmp ("bourse-gui-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *dir = g_build_filename (*tmp_dir, vars[i], NULL);

      g_setenv (vars[i], dir, TRUE);
    }
  /* The labels are compared as written. */
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    {
      gui_test_cleanup (tmp_dir);
      g_print ("1..0 # SKIP no display\n");
      return FALSE;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);
  return TRUE;
}

void
gui_test_cleanup (char **tmp_dir)
{
  remove_tree (*tmp_dir);
  g_clear_pointer (tmp_dir, g_free);
}

BourseWindow *
open_signed_in_window (const char *base_url,
                       const char *token)
{
  BourseWindow *window = bourse_window_new (NULL);

  g_object_ref (window);
  bourse_window_set_token (window, token);
  bourse_window_set_server_url (window, base_url);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

GtkWidget *
find_required (gpointer    root,
               const char *name)
{
  GtkWidget *widget = find_widget (GTK_WIDGET (root), name);

  if (widget == NULL)
    g_error ("No widget named %s", name);
  return widget;
}

/* Empty states {{{ */

static gboolean
status_page_is_mapped (gpointer data)
{
  WidgetQuery *query = data;
  GtkWidget *widget = find_widget (query->root, query->name);

  return widget != NULL && ADW_IS_STATUS_PAGE (widget) && gtk_widget_get_mapped (widget);
}

static gboolean
status_page_is_unmapped (gpointer data)
{
  return !status_page_is_mapped (data);
}

GtkWidget *
wait_for_status_page (gpointer    root,
                      const char *name)
{
  WidgetQuery query = { root, name };
  g_autofree char *what = g_strdup_printf ("the status page “%s” to be shown", name);
  GtkWidget *widget;

  wait_until (status_page_is_mapped, &query, what);
  widget = find_widget (root, name);
  g_assert_true (ADW_IS_STATUS_PAGE (widget));
  g_assert_true (gtk_widget_is_visible (widget));
  return widget;
}

void
wait_for_status_page_gone (gpointer    root,
                           const char *name)
{
  WidgetQuery query = { root, name };
  g_autofree char *what = g_strdup_printf ("the status page “%s” to give way", name);

  wait_until (status_page_is_unmapped, &query, what);
  g_assert_false (gtk_widget_is_visible (find_required (root, name)));
}

/* }}} */
