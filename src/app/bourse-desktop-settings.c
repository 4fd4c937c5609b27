/* bourse-desktop-settings.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-desktop-settings.h"

#define FALLBACK_INTERVAL "1m"

const char * const bourse_settings_intervals[] = { "1m", "5m", "15m", "1h", "4h", "1d", "1w", NULL };

/* Read on the UI thread only, as every page formats there. */
static GTimeZone *display_zone;

GSettings *
bourse_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

void
bourse_settings_apply_color_scheme (const char *scheme)
{
  AdwColorScheme color_scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (scheme, "light") == 0)
    color_scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (scheme, "dark") == 0)
    color_scheme = ADW_COLOR_SCHEME_FORCE_DARK;
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme);
}

gboolean
bourse_settings_set_time_zone (const char *identifier)
{
  GTimeZone *zone = NULL;

  if (identifier != NULL && identifier[0] != '\0')
    zone = g_time_zone_new_identifier (identifier);
  g_clear_pointer (&display_zone, g_time_zone_unref);
  display_zone = zone;
  return zone != NULL || identifier == NULL || identifier[0] == '\0';
}

GTimeZone *
bourse_settings_get_time_zone (void)
{
  if (display_zone == NULL)
    display_zone = g_time_zone_new_local ();
  return display_zone;
}

char *
bourse_settings_dup_default_interval (void)
{
  g_autoptr(GSettings) settings = bourse_settings_new ();

  return settings != NULL ? g_settings_get_string (settings, "default-interval") : g_strdup (FALLBACK_INTERVAL);
}

gboolean
bourse_settings_get_desktop_notifications (void)
{
  g_autoptr(GSettings) settings = bourse_settings_new ();

  return settings == NULL || g_settings_get_boolean (settings, "desktop-notifications");
}

static void
bourse_settings_changed_cb (GSettings  *settings,
                            const char *key,
                            gpointer    user_data)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  if (g_str_equal (key, "color-scheme"))
    bourse_settings_apply_color_scheme (value);
  else if (g_str_equal (key, "time-zone") && !bourse_settings_set_time_zone (value))
    g_message ("Unknown time zone “%s”: times are shown in the system’s", value);
}

void
bourse_settings_follow (GSettings *settings)
{
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_signal_connect (settings, "changed::color-scheme", G_CALLBACK (bourse_settings_changed_cb), NULL);
  g_signal_connect (settings, "changed::time-zone", G_CALLBACK (bourse_settings_changed_cb), NULL);
  bourse_settings_changed_cb (settings, "color-scheme", NULL);
  bourse_settings_changed_cb (settings, "time-zone", NULL);
}
