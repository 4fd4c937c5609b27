/* bourse-tab-stop.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-tab-stop.h"

struct _BourseTabStop
{
  AdwBin parent_instance;
};

G_DEFINE_FINAL_TYPE (BourseTabStop, bourse_tab_stop, ADW_TYPE_BIN)

/* GtkWindow moves the focus by asking each ancestor of the focused widget,
 * outermost first, to move it on: refusing while the focus is inside sends
 * it to what follows the list. */
static gboolean
bourse_tab_stop_focus (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  if ((direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD) &&
      gtk_widget_get_focus_child (widget) != NULL)
    return FALSE;

  return GTK_WIDGET_CLASS (bourse_tab_stop_parent_class)->focus (widget, direction);
}

static void
bourse_tab_stop_class_init (BourseTabStopClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = bourse_tab_stop_focus;
}

static void
bourse_tab_stop_init (BourseTabStop *self)
{
}
