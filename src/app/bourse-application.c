/* bourse-application.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-application.h"
#include "bourse-desktop-settings.h"
#include "bourse-local-engine.h"
#include "bourse-preferences-window.h"
#include "bourse-window.h"

struct _BourseApplication
{
  AdwApplication     parent_instance;

  /* From the command line: a remote boursed, or where the built-in engine
   * keeps its data. */
  char              *connect_url;
  char              *data_dir;

  BourseLocalEngine *local_engine;
  gboolean           engine_starting;
  /* Waiting for the first window's first frame to start the engine. */
  GdkFrameClock     *engine_clock;
  gulong             engine_frame_id;
  guint              engine_timeout_id;
  GSettings         *settings;          /* the preferences; NULL without the schema */
};

G_DEFINE_FINAL_TYPE (BourseApplication, bourse_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "connect", 'c', 0, G_OPTION_ARG_STRING, NULL,
    N_("Use the boursed server at URL instead of the built-in engine"), N_("URL") },
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep the built-in engine’s data in DIR"), N_("DIR") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

static gboolean
validate_server_url (const char  *url,
                     GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || host[0] == '\0' ||
      !(g_str_equal (scheme, "http") || g_str_equal (scheme, "https")))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a server address: give an http:// or https:// URL, "
                     "for example https://bourse.example.com:8470/"),
                   url);
      return FALSE;
    }

  return TRUE;
}

static int
bourse_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  BourseApplication *self = BOURSE_APPLICATION (app);
  const char *url = NULL;
  const char *dir = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("bourse %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_variant_dict_lookup (options, "connect", "&s", &url))
    {
      g_autoptr(GError) error = NULL;

      if (!validate_server_url (url, &error))
        {
          g_printerr ("bourse: %s\n", error->message);
          return EXIT_FAILURE;
        }

      self->connect_url = g_strdup (url);
    }

  if (g_variant_dict_lookup (options, "data-dir", "^&ay", &dir))
    {
      if (self->connect_url != NULL)
        {
          g_printerr ("bourse: %s\n",
                      _("--data-dir is for the built-in engine and cannot be combined with --connect"));
          return EXIT_FAILURE;
        }

      self->data_dir = g_canonicalize_filename (dir, NULL);
    }

  /* Options only matter to the instance that starts: say so rather than
   * silently presenting the running one. */
  if (self->connect_url != NULL || self->data_dir != NULL)
    {
      if (g_application_register (app, NULL, NULL) && g_application_get_is_remote (app))
        g_printerr ("bourse: %s\n",
                    _("Bourse is already running; --connect and --data-dir only apply when it starts"));
    }

  return -1;
}

static void
bourse_application_engine_started_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(BourseApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  self->engine_starting = FALSE;
  url = bourse_local_engine_start_finish (BOURSE_LOCAL_ENGINE (object), result, &error);

  if (url == NULL)
    g_warning ("Could not start the engine: %s", error->message);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (!BOURSE_IS_WINDOW (l->data))
        continue;

      if (url != NULL)
        {
          bourse_window_set_token (l->data, bourse_local_engine_get_token (BOURSE_LOCAL_ENGINE (object)));
          bourse_window_set_server_url (l->data, url);
        }
      else
        bourse_window_show_error (l->data, _("Could Not Start the Engine"), error->message);
    }
}

static void
bourse_application_start_engine (BourseApplication *self)
{
  g_assert (BOURSE_IS_APPLICATION (self));

  if (self->engine_starting)
    return;

  if (self->local_engine == NULL)
    self->local_engine = bourse_local_engine_new (self->data_dir);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (BOURSE_IS_WINDOW (l->data))
      bourse_window_show_progress (l->data, _("Starting the Engine…"), NULL);

  self->engine_starting = TRUE;
  bourse_local_engine_start_async (self->local_engine, NULL,
                                   bourse_application_engine_started_cb, g_object_ref (self));
}

static void
bourse_application_stop_waiting_for_frame (BourseApplication *self)
{
  if (self->engine_clock != NULL)
    g_clear_signal_handler (&self->engine_frame_id, self->engine_clock);
  g_clear_object (&self->engine_clock);
  g_clear_handle_id (&self->engine_timeout_id, g_source_remove);
}

static void
bourse_application_first_frame_cb (GdkFrameClock *clock,
                                   gpointer       user_data)
{
  BourseApplication *self = user_data;

  bourse_application_stop_waiting_for_frame (self);
  bourse_application_start_engine (self);
}

static gboolean
bourse_application_first_frame_late_cb (gpointer user_data)
{
  BourseApplication *self = user_data;

  self->engine_timeout_id = 0;
  bourse_application_first_frame_cb (NULL, self);

  return G_SOURCE_REMOVE;
}

/* The window's first frame before the engine: booting it competes with the
 * first layout for the CPU, and what its arrival sets off (the client, the
 * permissions, the pages) runs at the default priority, ahead of GTK's
 * redraws. So the window paints "Starting the Engine…" first (within a
 * second, should no frame come), as bench/desktop measures. */
static void
bourse_application_start_engine_after_frame (BourseApplication *self,
                                             GtkWindow         *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  /* No frame to wait for, or a second window while the first one waits. */
  if (clock == NULL || self->engine_clock != NULL)
    {
      bourse_application_stop_waiting_for_frame (self);
      bourse_application_start_engine (self);
      return;
    }

  bourse_window_show_progress (BOURSE_WINDOW (window), _("Starting the Engine…"), NULL);
  self->engine_clock = g_object_ref (clock);
  self->engine_frame_id = g_signal_connect (clock, "after-paint",
                                            G_CALLBACK (bourse_application_first_frame_cb), self);
  self->engine_timeout_id = g_timeout_add_seconds (1, bourse_application_first_frame_late_cb, self);
}

static void
bourse_application_activate (GApplication *app)
{
  BourseApplication *self = BOURSE_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gboolean start_engine = FALSE;

  if (window == NULL)
    {
      g_autofree char *last = NULL;
      const char *url = self->connect_url;

      /* Without --connect or --data-dir, where the last run chose to start
       * (Preferences, Servers): a saved server, or the built-in engine. */
      if (url == NULL && self->data_dir == NULL && self->local_engine == NULL && self->settings != NULL
          && (last = g_settings_get_string (self->settings, "last-connection"))[0] != '\0')
        url = last;

      window = GTK_WINDOW (bourse_window_new (GTK_APPLICATION (app)));

      if (url == NULL && self->local_engine != NULL)
        {
          url = bourse_local_engine_get_url (self->local_engine);
          bourse_window_set_token (BOURSE_WINDOW (window), bourse_local_engine_get_token (self->local_engine));
        }

      if (url != NULL)
        bourse_window_set_server_url (BOURSE_WINDOW (window), url);
      else
        start_engine = TRUE;
    }

  gtk_window_present (window);

  if (start_engine)
    bourse_application_start_engine_after_frame (self, window);
}

static void
bourse_application_shutdown (GApplication *app)
{
  BourseApplication *self = BOURSE_APPLICATION (app);

  bourse_application_stop_waiting_for_frame (self);

  /* Blocks until the engine has stopped, keeping this thread's context
   * turning so the closed windows' WebSockets can say goodbye. */
  if (self->local_engine != NULL)
    bourse_local_engine_stop (self->local_engine);
  g_clear_object (&self->local_engine);

  G_APPLICATION_CLASS (bourse_application_parent_class)->shutdown (app);
}

static void
bourse_application_quit_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  BourseApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Closing (not destroying) lets each window save its state. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);

  g_application_quit (G_APPLICATION (self));
}

static void
bourse_application_about_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  BourseApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Bourse Authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-name", _("Bourse"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Bourse Authors"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("A trading console: strategies recommend, you approve, "
                                      "the engine trades."),
                        "copyright", "© 2026 The Bourse Authors",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* The preferences speak for whoever the active console is signed in as. */
static void
bourse_application_preferences_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  BourseApplication *self = user_data;
  GtkWindow *window = NULL;
  BourseClient *client = NULL;
  GtkWidget *preferences;

  /* Windows are listed most recently focused first: an open preferences
   * window comes forward rather than a second one opening. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (BOURSE_IS_PREFERENCES_WINDOW (l->data))
        {
          gtk_window_present (l->data);
          return;
        }
      if (window == NULL && BOURSE_IS_WINDOW (l->data))
        window = l->data;
    }

  if (window != NULL)
    client = bourse_window_get_client (BOURSE_WINDOW (window));

  preferences = bourse_preferences_window_new (client);
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), window);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
bourse_application_retry_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  BourseApplication *self = user_data;

  if (self->connect_url == NULL)
    bourse_application_start_engine (self);
}

/* From a notification: bring the console forward on one of its pages. */
static void
bourse_application_show_page_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  BourseApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));

  if ((window = gtk_application_get_active_window (GTK_APPLICATION (self))))
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-page", parameter);
}

/* From an approval's notification: the console comes forward on the item,
 * with the dialog asking for the reason when the person chose Approve or
 * Reject; the decision is theirs to confirm there. */
static void
bourse_application_approval_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  BourseApplication *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  const char *decision = NULL;

  if (g_str_equal (name, "approval-approve"))
    decision = "approve";
  else if (g_str_equal (name, "approval-reject"))
    decision = "reject";

  g_application_activate (G_APPLICATION (self));

  /* The most recently focused console (the preferences are a window too). */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (BOURSE_IS_WINDOW (l->data))
      {
        bourse_window_show_approval (l->data, g_variant_get_int64 (parameter), decision);
        break;
      }
}

static const GActionEntry app_actions[] = {
  { "quit", bourse_application_quit_action },
  { "show-page", bourse_application_show_page_action, "s" },
  { "approval-approve", bourse_application_approval_action, "x" },
  { "approval-reject", bourse_application_approval_action, "x" },
  { "approval-open", bourse_application_approval_action, "x" },
  { "about", bourse_application_about_action },
  { "preferences", bourse_application_preferences_action },
  { "retry", bourse_application_retry_action },
};

static void
bourse_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (bourse_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close",
                                         (const char *[]) { "<Control>w", NULL });

  gtk_window_set_default_icon_name (APPLICATION_ID);

  /* Appearance and the time zone apply at once, and when changed. */
  if ((BOURSE_APPLICATION (app)->settings = bourse_settings_new ()) != NULL)
    bourse_settings_follow (BOURSE_APPLICATION (app)->settings);
}

static void
bourse_application_constructed (GObject *object)
{
  G_OBJECT_CLASS (bourse_application_parent_class)->constructed (object);

  /* Fixed, so the .Devel build finds the same resources (style.css,
   * gtk/help-overlay.ui) as the stable one. GApplication derives its own
   * from the id in constructed(), hence here. */
  g_application_set_resource_base_path (G_APPLICATION (object), "/io/github/bourse/Bourse");
}

static void
bourse_application_finalize (GObject *object)
{
  BourseApplication *self = (BourseApplication *)object;

  g_assert (self->local_engine == NULL);

  g_clear_pointer (&self->connect_url, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bourse_application_parent_class)->finalize (object);
}

static void
bourse_application_class_init (BourseApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->constructed = bourse_application_constructed;
  object_class->finalize = bourse_application_finalize;

  app_class->handle_local_options = bourse_application_handle_local_options;
  app_class->activate = bourse_application_activate;
  app_class->startup = bourse_application_startup;
  app_class->shutdown = bourse_application_shutdown;
}

static void
bourse_application_init (BourseApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The Bourse trading console. By default it runs "
                                              "its own engine; --connect attaches to a boursed "
                                              "server instead."));
}

BourseApplication *
bourse_application_new (void)
{
  return g_object_new (BOURSE_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
