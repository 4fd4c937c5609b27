/* bourse-probe.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Measurements for bench/desktop and snapshots for the AppStream
 * screenshots (build-aux/screenshots.sh), only when the environment asks:
 *
 *   BOURSE_PROBE_FRAMES=FILE    writes one line an event to FILE, times in
 *                               milliseconds since the process started:
 *       main T                  main () ran (T: the dynamic loader and
 *                               the libraries' constructors)
 *       window T                the console window was made
 *       first-frame T           its frame clock's first after-paint
 *       engine T URL            it was given its server (local mode: the
 *                               built-in engine is up, at URL)
 *       engine-frame T          the first frame painted after that
 *       stall T D               the main loop could not turn for D ms from
 *                               T on (D > 50): a high-priority timeout due
 *                               every 10 ms ran D ms late
 *       frame T D               a frame took D ms (> 50) from its
 *                               before-paint to its after-paint (update,
 *                               layout, snapshot, render)
 *       snapshot T FILE         app.probe-snapshot wrote FILE
 *       quit T FRAMES           the application shuts down, after FRAMES
 *                               frames of the window
 *   BOURSE_PROBE_SNAPSHOTS=1    the application action
 *                               app.probe-snapshot("FILE.png") renders the
 *                               console window's next frame into FILE.png
 *   BOURSE_PROBE_SIZE=WxH       the console window's size at start
 *
 * The process's start is /proc/self/stat's starttime, in clock ticks
 * (10 ms), so "main" is that coarse; the differences between the other
 * events are to the microsecond. Without the variables,
 * bourse_probe_init () reads them and returns: nothing is connected and
 * nothing runs.
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bourse-probe.h"
#include "bourse-window.h"

#define WATCHDOG_MS  10
#define STALL_MS     50

typedef struct
{
  FILE      *out;
  gint64     start_us;          /* the process's start, on the monotonic clock */
  GtkWindow *window;            /* the console window; weak */
  gint64     paint_start_us;
  gint64     watchdog_due_us;
  guint      watchdog_id;
  guint      frames;
  gboolean   engine;            /* the window has its server */
  gboolean   engine_frame;
  char      *snapshot_path;     /* asked for, taken at the next after-paint */
} BourseProbe;

static BourseProbe probe;

static double
probe_ms (gint64 monotonic_us)
{
  return (monotonic_us - probe.start_us) / 1000.0;
}

G_GNUC_PRINTF (1, 2)
static void
probe_write (const char *format,
             ...)
{
  va_list args;

  if (probe.out == NULL)
    return;

  va_start (args, format);
  vfprintf (probe.out, format, args);
  va_end (args);
  fputc ('\n', probe.out);
  /* Read while the process runs (bench/desktop/run.sh counts lines). */
  fflush (probe.out);
}

/* When the process started, on the monotonic clock: starttime is in clock
 * ticks since boot, which CLOCK_BOOTTIME counts (suspends included). */
static gint64
probe_process_start_us (void)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  struct timespec boot;
  const char *end;
  gint64 now_us = g_get_monotonic_time ();
  guint64 ticks;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL)
      || (end = strrchr (stat, ')')) == NULL
      || clock_gettime (CLOCK_BOOTTIME, &boot) != 0)
    return now_us;

  /* After "pid (comm) ", field 3 (state) is the first: starttime is 22. */
  fields = g_strsplit (end + 2, " ", 21);
  if (g_strv_length (fields) < 21)
    return now_us;
  ticks = g_ascii_strtoull (fields[19], NULL, 10);

  return now_us - ((gint64) boot.tv_sec * G_USEC_PER_SEC + boot.tv_nsec / 1000)
         + (gint64) (ticks * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK));
}

static void probe_save_snapshot (const char *path);

static gboolean
probe_watchdog_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (now - probe.watchdog_due_us > STALL_MS * 1000)
    probe_write ("stall %.1f %.1f", probe_ms (probe.watchdog_due_us),
                 (now - probe.watchdog_due_us) / 1000.0);
  probe.watchdog_due_us = now + WATCHDOG_MS * 1000;

  return G_SOURCE_CONTINUE;
}

static void
probe_before_paint_cb (GdkFrameClock *clock,
                       gpointer       user_data)
{
  probe.paint_start_us = g_get_monotonic_time ();
}

static void
probe_after_paint_cb (GdkFrameClock *clock,
                      gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (probe.frames++ == 0)
    {
      probe_write ("first-frame %.1f", probe_ms (now));

      /* From the first frame on, every turn of the main loop is watched;
       * G_PRIORITY_HIGH runs before input, redraws and everything else. */
      probe.watchdog_due_us = now + WATCHDOG_MS * 1000;
      probe.watchdog_id = g_timeout_add_full (G_PRIORITY_HIGH, WATCHDOG_MS,
                                              probe_watchdog_cb, NULL, NULL);
    }
  else if (probe.paint_start_us != 0 && now - probe.paint_start_us > STALL_MS * 1000)
    probe_write ("frame %.1f %.1f", probe_ms (probe.paint_start_us),
                 (now - probe.paint_start_us) / 1000.0);

  if (probe.engine && !probe.engine_frame)
    {
      probe.engine_frame = TRUE;
      probe_write ("engine-frame %.1f", probe_ms (now));
    }

  if (probe.snapshot_path != NULL)
    {
      g_autofree char *path = g_steal_pointer (&probe.snapshot_path);

      probe_save_snapshot (path);
    }
}

static void
probe_window_realize_cb (GtkWidget *widget,
                         gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect (clock, "before-paint", G_CALLBACK (probe_before_paint_cb), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (probe_after_paint_cb), NULL);
}

static void
probe_server_url_cb (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  const char *url = bourse_window_get_server_url (BOURSE_WINDOW (object));

  if (probe.engine || url == NULL || url[0] == '\0')
    return;

  probe.engine = TRUE;
  probe_write ("engine %.1f %s", probe_ms (g_get_monotonic_time ()), url);
}

static void
probe_window_added_cb (GtkApplication *application,
                       GtkWindow      *window,
                       gpointer        user_data)
{
  const char *size = g_getenv ("BOURSE_PROBE_SIZE");
  int width, height;

  if (probe.window != NULL || !BOURSE_IS_WINDOW (window))
    return;

  probe.window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &probe.window);
  probe_write ("window %.1f", probe_ms (g_get_monotonic_time ()));

  /* After the window restored its own size, before it is shown. */
  if (size != NULL && sscanf (size, "%dx%d", &width, &height) == 2)
    {
      gtk_window_unmaximize (window);
      gtk_window_set_default_size (window, width, height);
    }

  g_signal_connect (window, "realize", G_CALLBACK (probe_window_realize_cb), NULL);
  g_signal_connect (window, "notify::server-url", G_CALLBACK (probe_server_url_cb), NULL);
}

static void
probe_shutdown_cb (GApplication *application,
                   gpointer      user_data)
{
  /* Stopping the engine blocks the main loop on purpose: not a stall. */
  g_clear_handle_id (&probe.watchdog_id, g_source_remove);
  probe_write ("quit %.1f %u", probe_ms (g_get_monotonic_time ()), probe.frames);
  g_clear_pointer (&probe.out, fclose);
  g_clear_pointer (&probe.snapshot_path, g_free);
}

/* The window as it was just painted (the render node GTK keeps of its last
 * frame, which a queued redraw drops: hence from after-paint), rendered
 * again into a texture: the same widgets and renderer, whatever the display
 * server can capture. */
static void
probe_save_snapshot (const char *path)
{
  g_autofree char *partial = g_strconcat (path, ".part", NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GtkWidget *widget = GTK_WIDGET (probe.window);
  int width, height;

  if (widget == NULL || !gtk_widget_get_realized (widget))
    {
      g_warning ("probe-snapshot: no console window to render");
      return;
    }

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_warning ("probe-snapshot: the window drew nothing");
      return;
    }

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* Whole or not at all: the script waits for the name to appear. */
  if (!gdk_texture_save_to_png (texture, partial) || g_rename (partial, path) != 0)
    {
      g_warning ("probe-snapshot: could not write %s", path);
      return;
    }

  probe_write ("snapshot %.1f %s", probe_ms (g_get_monotonic_time ()), path);
}

static void
probe_snapshot_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  g_free (probe.snapshot_path);
  probe.snapshot_path = g_variant_dup_string (parameter, NULL);
  if (probe.window != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (probe.window));
}

void
bourse_probe_init (GtkApplication *application)
{
  const char *frames = g_getenv ("BOURSE_PROBE_FRAMES");
  gboolean snapshots = g_getenv ("BOURSE_PROBE_SNAPSHOTS") != NULL;

  g_return_if_fail (GTK_IS_APPLICATION (application));

  if (frames == NULL && !snapshots && g_getenv ("BOURSE_PROBE_SIZE") == NULL)
    return;

  probe.start_us = probe_process_start_us ();

  if (frames != NULL && (probe.out = fopen (frames, "w")) == NULL)
    g_warning ("BOURSE_PROBE_FRAMES: cannot write %s: %s", frames, g_strerror (errno));
  probe_write ("main %.1f", probe_ms (g_get_monotonic_time ()));

  g_signal_connect (application, "window-added", G_CALLBACK (probe_window_added_cb), NULL);
  g_signal_connect (application, "shutdown", G_CALLBACK (probe_shutdown_cb), NULL);

  if (snapshots)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new ("probe-snapshot", G_VARIANT_TYPE_STRING);

      g_signal_connect (action, "activate", G_CALLBACK (probe_snapshot_action), NULL);
      g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (action));
    }
}
