/* bourse-tab-stop.h — a list as a single stop of the Tab chain
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A bin around a list whose selection follows the keyboard (the sidebar,
 * the instruments): Tab enters it once, at its selected row, and the next
 * Tab (or Shift+Tab) leaves it; the arrows move inside. GtkListBox and
 * GtkListView (GTK 4.8) would walk every row, each one selecting. Put it
 * around the list's scrolled window, so the list keeps scrolling itself. */
#define BOURSE_TYPE_TAB_STOP (bourse_tab_stop_get_type ())

G_DECLARE_FINAL_TYPE (BourseTabStop, bourse_tab_stop, BOURSE, TAB_STOP, AdwBin)

G_END_DECLS
