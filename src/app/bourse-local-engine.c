/* bourse-local-engine.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "core/bourse-log.h"
#include "server/bourse-server.h"

#include "bourse-local-engine.h"

struct _BourseLocalEngine
{
  GObject       parent_instance;

  char         *data_dir;

  /* Owned by the thread that created us (the UI thread). */
  GMainContext *caller_context;
  GThread      *thread;
  GTask        *start_task;
  char         *url;
  char         *token;  /* the local owner's per-launch token; never leaves the process */
  GError       *start_error;
  gint          thread_done;      /* atomic */

  /* Owned by the engine thread while it runs. */
  GMainContext *context;
  GMainLoop    *loop;
  BourseEngine *engine;
  BourseServer *server;
};

G_DEFINE_FINAL_TYPE (BourseLocalEngine, bourse_local_engine, G_TYPE_OBJECT)

/* Engine thread {{{ */

/* The structured writer, as boursed installs it: the engine's messages go
 * into the ring that the Logs page reads (and to stderr or the journal). */
static void
bourse_local_engine_init_logging (BourseConfig *config)
{
  BourseLogFormat format = BOURSE_LOG_FORMAT_AUTO;
  GLogLevelFlags level = G_LOG_LEVEL_INFO;

  bourse_log_parse_format (bourse_config_get_string (config, "log", "format"), &format);
  bourse_log_parse_level (bourse_config_get_string (config, "log", "level"), &level);
  bourse_log_init (format, level);
  bourse_log_set_ring_size (bourse_config_get_int (config, "log", "ring_size"));
}

static gboolean
bourse_local_engine_boot (BourseLocalEngine  *self,
                          GError            **error)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autofree char *path = bourse_config_default_path ();
  g_auto(GStrv) envp = g_get_environ ();

  /* The same layers as boursed: file, then environment… */
  if (g_file_test (path, G_FILE_TEST_EXISTS) &&
      !bourse_config_load_file (config, path, error))
    return FALSE;
  /* Changes made in Settings are written there. */
  bourse_config_set_path (config, path);

  if (!bourse_config_load_environment (config, (const char * const *) envp, error))
    return FALSE;

  bourse_local_engine_init_logging (config);

  /* …but the embedded server is ours alone: loopback, any free port, and
   * plain HTTP, whatever a boursed configuration shared with us says. */
  if (!bourse_config_set (config, "server", "bind", "127.0.0.1",
                          BOURSE_CONFIG_SOURCE_COMMAND_LINE, error) ||
      !bourse_config_set (config, "server", "port", "0",
                          BOURSE_CONFIG_SOURCE_COMMAND_LINE, error) ||
      !bourse_config_set (config, "server", "tls_cert", "",
                          BOURSE_CONFIG_SOURCE_COMMAND_LINE, error) ||
      !bourse_config_set (config, "server", "tls_key", "",
                          BOURSE_CONFIG_SOURCE_COMMAND_LINE, error))
    return FALSE;

  if (self->data_dir != NULL &&
      !bourse_config_set (config, "store", "data_dir", self->data_dir,
                          BOURSE_CONFIG_SOURCE_COMMAND_LINE, error))
    return FALSE;

  self->engine = bourse_engine_new (config);
  if (!bourse_engine_start (self->engine, error))
    return FALSE;
  /* The person at this desktop is the owner: admins' notifications reach
   * this window (the worker's first turn comes after this one). */
  bourse_notifications_set_local_owner (bourse_engine_get_notifications (self->engine), TRUE);

  self->server = bourse_server_new (self->engine);
  if (!bourse_server_start (self->server, error))
    return FALSE;

  self->url = g_strdup (bourse_server_get_url (self->server));
  self->token = g_strdup (bourse_auth_get_local_token (bourse_engine_get_auth (self->engine)));

  return TRUE;
}

static void
bourse_local_engine_server_shutdown_cb (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  BourseLocalEngine *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bourse_server_shutdown_finish (BOURSE_SERVER (object), result, &error))
    g_warning ("Could not shut the server down cleanly: %s", error->message);

  g_main_loop_quit (self->loop);
}

static gboolean
bourse_local_engine_request_stop_cb (gpointer user_data)
{
  BourseLocalEngine *self = user_data;

  if (self->server != NULL)
    bourse_server_shutdown_async (self->server, NULL,
                                  bourse_local_engine_server_shutdown_cb, self);
  else
    g_main_loop_quit (self->loop);

  return G_SOURCE_REMOVE;
}

static gboolean
bourse_local_engine_started_cb (gpointer user_data)
{
  BourseLocalEngine *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  if (task == NULL)
    return G_SOURCE_REMOVE;

  if (self->start_error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->start_error));
  else
    g_task_return_pointer (task, g_strdup (self->url), g_free);

  return G_SOURCE_REMOVE;
}

static gpointer
bourse_local_engine_thread (gpointer data)
{
  BourseLocalEngine *self = data;
  GError *error = NULL;
  gboolean started;

  g_main_context_push_thread_default (self->context);

  started = bourse_local_engine_boot (self, &error);
  if (!started)
    {
      g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->token, g_free);
      self->start_error = error;
    }

  /* The reference keeps us alive until the report has been dispatched,
   * and is dropped on the UI thread, never here. */
  g_main_context_invoke_full (self->caller_context, G_PRIORITY_DEFAULT,
                              bourse_local_engine_started_cb,
                              g_object_ref (self), g_object_unref);

  if (started)
    g_main_loop_run (self->loop);

  if (self->engine != NULL)
    bourse_engine_stop (self->engine);
  g_clear_object (&self->server);
  g_clear_object (&self->engine);

  /* Let whatever the shutdown left behind (idle unrefs…) run here, on the
   * thread the objects belonged to. */
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  g_main_context_pop_thread_default (self->context);

  g_atomic_int_set (&self->thread_done, TRUE);
  g_main_context_wakeup (self->caller_context);

  return NULL;
}

/* }}} */

static void
bourse_local_engine_join (BourseLocalEngine *self)
{
  g_assert (BOURSE_IS_LOCAL_ENGINE (self));

  if (self->thread == NULL)
    return;

  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}

void
bourse_local_engine_start_async (BourseLocalEngine   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BOURSE_IS_LOCAL_ENGINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_local_engine_start_async);

  if (self->start_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The engine is already starting");
      return;
    }

  if (self->thread != NULL && !g_atomic_int_get (&self->thread_done))
    {
      g_task_return_pointer (task, g_strdup (self->url), g_free);
      return;
    }

  /* A previous attempt failed: its thread has ended, start afresh. */
  bourse_local_engine_join (self);
  g_atomic_int_set (&self->thread_done, FALSE);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->token, g_free);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->start_task = g_steal_pointer (&task);
  self->thread = g_thread_try_new ("bourse-engine", bourse_local_engine_thread, self, &error);

  if (self->thread == NULL)
    {
      task = g_steal_pointer (&self->start_task);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

char *
bourse_local_engine_start_finish (BourseLocalEngine  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (BOURSE_IS_LOCAL_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bourse_local_engine_stop (BourseLocalEngine *self)
{
  g_return_if_fail (BOURSE_IS_LOCAL_ENGINE (self));

  if (self->thread == NULL)
    return;

  g_main_context_invoke (self->context, bourse_local_engine_request_stop_cb, self);

  while (!g_atomic_int_get (&self->thread_done))
    g_main_context_iteration (self->caller_context, TRUE);

  /* A start still waiting for its report gets it now: a GTask's callback
   * always runs, and the report holds a reference on us. */
  while (self->start_task != NULL)
    g_main_context_iteration (self->caller_context, TRUE);

  bourse_local_engine_join (self);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->token, g_free);
}

const char *
bourse_local_engine_get_data_dir (BourseLocalEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_LOCAL_ENGINE (self), NULL);

  return self->data_dir;
}

const char *
bourse_local_engine_get_token (BourseLocalEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_LOCAL_ENGINE (self), NULL);

  return self->token;
}

const char *
bourse_local_engine_get_url (BourseLocalEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_LOCAL_ENGINE (self), NULL);

  if (self->thread == NULL || self->start_task != NULL || g_atomic_int_get (&self->thread_done))
    return NULL;

  return self->url;
}

static void
bourse_local_engine_dispose (GObject *object)
{
  BourseLocalEngine *self = (BourseLocalEngine *)object;

  bourse_local_engine_stop (self);

  G_OBJECT_CLASS (bourse_local_engine_parent_class)->dispose (object);
}

static void
bourse_local_engine_finalize (GObject *object)
{
  BourseLocalEngine *self = (BourseLocalEngine *)object;

  g_assert (self->thread == NULL);
  g_assert (self->start_task == NULL);

  g_clear_error (&self->start_error);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->caller_context, g_main_context_unref);

  G_OBJECT_CLASS (bourse_local_engine_parent_class)->finalize (object);
}

static void
bourse_local_engine_class_init (BourseLocalEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_local_engine_dispose;
  object_class->finalize = bourse_local_engine_finalize;
}

static void
bourse_local_engine_init (BourseLocalEngine *self)
{
  self->caller_context = g_main_context_ref_thread_default ();
}

BourseLocalEngine *
bourse_local_engine_new (const char *data_dir)
{
  BourseLocalEngine *self = g_object_new (BOURSE_TYPE_LOCAL_ENGINE, NULL);

  self->data_dir = g_strdup (data_dir);

  return self;
}
