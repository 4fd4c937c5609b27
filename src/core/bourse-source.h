/* bourse-source.h — timeouts and idles on the engine's own main context
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* g_timeout_add and g_idle_add attach to GLib's global default context,
 * which in the desktop app belongs to the UI thread, while the engine runs
 * in a thread of its own with its own thread-default context. These attach
 * to the caller's thread-default context (boursed's main context, the
 * desktop's engine context), so callbacks run where the engine lives.
 * Remove with bourse_source_remove, from the same thread. */
guint bourse_timeout_add         (guint        interval_ms,
                                  GSourceFunc  function,
                                  gpointer     data);
guint bourse_timeout_add_seconds (guint        interval_s,
                                  GSourceFunc  function,
                                  gpointer     data);
guint bourse_idle_add            (gint         priority,
                                  GSourceFunc  function,
                                  gpointer     data);
void  bourse_source_remove       (guint        id);

/* For a source kept by pointer (to be cancelled before it fires): a
 * timeout attached to @context (NULL: the thread-default one), which the
 * caller owns; and the undoing of it, which destroys *@source if set,
 * drops the reference and clears the pointer. */
GSource *bourse_timeout_source_attach (GMainContext *context,
                                       guint         interval_ms,
                                       GSourceFunc   function,
                                       gpointer      data);
void     bourse_source_clear          (GSource     **source);

/* A follower woken in an idle (on the thread-default context of the one
 * who wakes it) after one or more bourse_wake_up () on @object's @key: a
 * writer wakes whoever follows what it writes without knowing of them.
 * One follower a key; @func NULL removes it (and a wake-up not yet run). */
void  bourse_wake_set            (GObject     *object,
                                  const char  *key,
                                  GSourceFunc  func,
                                  gpointer     data);
void  bourse_wake_up             (GObject     *object,
                                  const char  *key);

/* How long to wait before retry number @attempt (from 1): @base_ms ×
 * 2^(@attempt − 1), capped at @max_ms, plus up to half of it again. The
 * jitter spreads clients that failed together; every wait is still longer
 * than the one before until the cap. */
guint bourse_backoff_ms          (guint        base_ms,
                                  guint        max_ms,
                                  guint        attempt);

G_END_DECLS
