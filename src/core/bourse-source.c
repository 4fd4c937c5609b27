/* bourse-source.c — timeouts and idles on the engine's own main context
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-source.h"

static guint
attach_here (GSource     *source,
             GSourceFunc  function,
             gpointer     data)
{
  guint id;

  g_source_set_callback (source, function, data, NULL);
  id = g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
  return id;
}

guint
bourse_timeout_add (guint       interval_ms,
                    GSourceFunc function,
                    gpointer    data)
{
  return attach_here (g_timeout_source_new (interval_ms), function, data);
}

guint
bourse_timeout_add_seconds (guint       interval_s,
                            GSourceFunc function,
                            gpointer    data)
{
  return attach_here (g_timeout_source_new_seconds (interval_s), function, data);
}

guint
bourse_idle_add (gint        priority,
                 GSourceFunc function,
                 gpointer    data)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  return attach_here (source, function, data);
}

void
bourse_source_remove (guint id)
{
  GSource *source = g_main_context_find_source_by_id (g_main_context_get_thread_default (), id);

  if (source != NULL)
    g_source_destroy (source);
}

GSource *
bourse_timeout_source_attach (GMainContext *context,
                              guint         interval_ms,
                              GSourceFunc   function,
                              gpointer      data)
{
  GSource *source = g_timeout_source_new (interval_ms);

  g_source_set_callback (source, function, data, NULL);
  g_source_attach (source, context != NULL ? context : g_main_context_get_thread_default ());
  return source;
}

void
bourse_source_clear (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

guint
bourse_backoff_ms (guint base_ms,
                   guint max_ms,
                   guint attempt)
{
  guint64 delay = base_ms;

  for (guint i = 1; i < attempt && delay < max_ms; i++)
    delay *= 2;
  delay = MIN (delay, max_ms);
  return (guint)(delay + g_random_int_range (0, (gint32)(delay / 2) + 1));
}

typedef struct
{
  GSourceFunc func;
  gpointer    data;
  guint       idle;   /* a wake-up not yet run */
} Wake;

static void
wake_free (gpointer data)
{
  Wake *wake = data;

  if (wake->idle != 0)
    bourse_source_remove (wake->idle);
  g_free (wake);
}

static gboolean
wake_cb (gpointer data)
{
  Wake *wake = data;

  wake->idle = 0;
  wake->func (wake->data);
  return G_SOURCE_REMOVE;
}

void
bourse_wake_set (GObject     *object,
                 const char  *key,
                 GSourceFunc  func,
                 gpointer     data)
{
  Wake *wake = NULL;

  g_return_if_fail (G_IS_OBJECT (object));

  if (func != NULL)
    {
      wake = g_new0 (Wake, 1);
      wake->func = func;
      wake->data = data;
    }
  g_object_set_data_full (object, key, wake, wake_free);
}

void
bourse_wake_up (GObject    *object,
                const char *key)
{
  Wake *wake = g_object_get_data (object, key);

  if (wake != NULL && wake->idle == 0)
    wake->idle = bourse_idle_add (G_PRIORITY_DEFAULT, wake_cb, wake);
}
