/* bourse-source.h — timeouts and idles on the engine's own main context
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

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

G_END_DECLS
