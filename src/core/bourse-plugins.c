/* bourse-plugins.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-plugins.h"

static void
scan_directory (GHashTable *seen,
                const char *directory)
{
  g_autofree char *canonical = g_canonicalize_filename (directory, NULL);

  /* Loading a module twice would register its types twice. */
  if (!g_hash_table_add (seen, g_steal_pointer (&canonical)))
    return;
  g_debug ("Looking for plugins in %s", directory);
  g_io_modules_scan_all_in_directory (directory);
}

void
bourse_plugins_load (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      static const char * const points[] = {
        BOURSE_PLUGIN_AUTHENTICATOR, BOURSE_PLUGIN_BROKER, BOURSE_PLUGIN_FEED, BOURSE_PLUGIN_NOTIFIER,
        BOURSE_PLUGIN_STRATEGY,
      };
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autofree char *installed = g_build_filename (PKGLIBDIR, "plugins", NULL);
      const char *path = g_getenv ("BOURSE_PLUGIN_PATH");

      /* A module implementing a point nobody registered yet would only get
       * a warning from GIO. */
      for (guint i = 0; i < G_N_ELEMENTS (points); i++)
        g_io_extension_point_register (points[i]);

      if (path != NULL)
        {
          g_auto(GStrv) directories = g_strsplit (path, G_SEARCHPATH_SEPARATOR_S, 0);

          for (guint i = 0; directories[i] != NULL; i++)
            if (directories[i][0] != '\0')
              scan_directory (seen, directories[i]);
        }
      scan_directory (seen, installed);

      g_once_init_leave (&loaded, 1);
    }
}
