/* bourse-desktop-settings.h — the console's own preferences, kept in GSettings
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The intervals a chart may open on, for the default-interval key. */
extern const char * const bourse_settings_intervals[];

/* The application's settings, or NULL where its schema is not installed
 * (a build run from the tree without GSETTINGS_SCHEMA_DIR). */
GSettings  *bourse_settings_new                  (void);
/* Applies color-scheme and time-zone now and whenever they change, for
 * as long as @settings lives. */
void        bourse_settings_follow               (GSettings   *settings);
/* "default" (follow the system), "light" or "dark". */
void        bourse_settings_apply_color_scheme   (const char  *scheme);
/* An IANA identifier ("Europe/Berlin", "UTC"), or "" or NULL for the
 * system's; an unknown one is the system's too. Returns whether it was
 * known. */
gboolean    bourse_settings_set_time_zone        (const char  *identifier);
/* The zone times are shown in (bourse_format_local_time ()). */
GTimeZone  *bourse_settings_get_time_zone        (void);
/* What a chart opens on: the default-interval key, or "1m". */
char       *bourse_settings_dup_default_interval (void);
/* Whether the desktop shows the console's notifications (or only the window). */
gboolean    bourse_settings_get_desktop_notifications (void);

G_END_DECLS
