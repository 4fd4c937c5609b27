/* fuzz-engine.c — one engine (and server) per fuzzing process
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "fuzz-engine.h"
#include "fuzz-util.h"

static BourseFuzzEngine *the_engine;

/* LeakSanitizer's, when it is linked in (not in the plain gcc build). */
extern void __lsan_disable (void) __attribute__ ((weak));
extern void __lsan_enable (void) __attribute__ ((weak));

/* The engine thread, when there is a server. */
static GMainContext *engine_context;
static GMainLoop    *engine_loop;
static GThread      *engine_thread;
static GMutex        start_mutex;
static GCond         start_cond;
static gboolean      started;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (engine_loop);
  return G_SOURCE_REMOVE;
}

/* At exit, libFuzzer's or ours: the thread stops before its files go. The
 * objects are left to the end of the process, which a daemon never
 * reaches this way either; what the engine still holds is reachable. */
static void
cleanup (void)
{
  if (engine_thread != NULL)
    {
      g_main_context_invoke (engine_context, quit_cb, NULL);
      g_thread_join (g_steal_pointer (&engine_thread));
    }
  if (the_engine != NULL)
    remove_tree (the_engine->data_dir);
}

static void
create (BourseFuzzEngine   *self,
        const char * const *settings,
        gboolean            serve)
{
  /* Fast and quiet: the engine as a daemon runs it, minus the costs that
   * would only slow every input down (argon2id at full cost, the
   * simulated market's backfill, rate limits that would answer 429). */
  static const char * const defaults[] = {
    "server", "bind", "127.0.0.1",
    "server", "port", "0",
    "auth", "secrets_backend", "file",
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    "auth", "access_token_ttl", "86400",
    "rate_limit", "enabled", "false",
    "simulated", "enabled", "false",
    "log", "level", "warning",
    /* Nothing leaves the machine: exchange requests fail at once. */
    "binance", "base_url", "http://127.0.0.1:9",
    "binance", "stream_url", "ws://127.0.0.1:9",
    "binance", "ws_api_url", "ws://127.0.0.1:9/ws-api/v3",
    "binance", "max_retries", "0",
    /* Remembered signatures are dropped after twice the window. */
    "webhooks", "replay_window", "5",
    NULL
  };
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  const char * const *lists[] = { defaults, settings };

  self->data_dir = g_dir_make_tmp ("bourse-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  bourse_config_set (config, "store", "data_dir", self->data_dir, BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error);
  g_assert_no_error (error);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i += 3)
      {
        bourse_config_set (config, lists[l][i], lists[l][i + 1], lists[l][i + 2],
                           BOURSE_CONFIG_SOURCE_COMMAND_LINE, &error);
        g_assert_no_error (error);
      }

  self->engine = bourse_engine_new (config);
  if (!bourse_engine_start (self->engine, &error))
    g_error ("Cannot start the engine: %s", error->message);
  self->token = g_strdup (bourse_auth_get_local_token (bourse_engine_get_auth (self->engine)));

  if (serve)
    {
      self->server = bourse_server_new (self->engine);
      if (!bourse_server_start (self->server, &error))
        g_error ("Cannot start the server: %s", error->message);
      self->port = bourse_server_get_port (self->server);
    }
}

BourseFuzzEngine *
bourse_fuzz_engine_new (const char * const *settings)
{
  g_assert (the_engine == NULL);

  the_engine = g_new0 (BourseFuzzEngine, 1);
  atexit (cleanup);
  create (the_engine, settings, FALSE);
  return the_engine;
}

void
bourse_fuzz_engine_spin (BourseFuzzEngine *self)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gpointer
engine_thread_func (gpointer data)
{
  const char * const *settings = data;

  g_main_context_push_thread_default (engine_context);
  create (the_engine, settings, TRUE);

  g_mutex_lock (&start_mutex);
  started = TRUE;
  g_cond_signal (&start_cond);
  g_mutex_unlock (&start_mutex);

  g_main_loop_run (engine_loop);
  g_main_context_pop_thread_default (engine_context);
  return NULL;
}

static gboolean
ignore_leaks_cb (gpointer data)
{
  gboolean *ignore = data;

  if (*ignore && __lsan_disable != NULL)
    __lsan_disable ();
  else if (!*ignore && __lsan_enable != NULL)
    __lsan_enable ();

  g_mutex_lock (&start_mutex);
  *ignore = -1;
  g_cond_signal (&start_cond);
  g_mutex_unlock (&start_mutex);
  return G_SOURCE_REMOVE;
}

void
bourse_fuzz_server_ignore_leaks (BourseFuzzEngine *self,
                                 gboolean          ignore)
{
  gboolean state = ignore;

  g_assert (engine_thread != NULL);

  g_main_context_invoke (engine_context, ignore_leaks_cb, &state);
  g_mutex_lock (&start_mutex);
  while (state != -1)
    g_cond_wait (&start_cond, &start_mutex);
  g_mutex_unlock (&start_mutex);
}

BourseFuzzEngine *
bourse_fuzz_server_new (const char * const *settings)
{
  g_assert (the_engine == NULL);

  the_engine = g_new0 (BourseFuzzEngine, 1);
  atexit (cleanup);
  engine_context = g_main_context_new ();
  engine_loop = g_main_loop_new (engine_context, FALSE);
  engine_thread = g_thread_new ("bourse-engine", engine_thread_func, (gpointer)settings);

  g_mutex_lock (&start_mutex);
  while (!started)
    g_cond_wait (&start_cond, &start_mutex);
  g_mutex_unlock (&start_mutex);
  return the_engine;
}
