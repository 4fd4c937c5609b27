/* fuzz-config.c — the configuration file, environment and setter
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a mode byte, then a key file (mode 0), lines of environment
 * variables (mode 1) or of settings (mode 2); in modes 1 and 2 the first
 * byte of each line picks the key of the schema, the rest is the value.
 * Whatever was accepted, every value must be one its key allows, as the
 * getters read them without checking again.
 */

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "core/bourse-config.h"

#include "fuzz-util.h"

static char *file_path;

static void
remove_file (void)
{
  g_autofree char *dir = g_path_get_dirname (file_path);

  g_unlink (file_path);
  g_rmdir (dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = g_dir_make_tmp ("bourse-fuzz-config-XXXXXX", NULL);

  bourse_fuzz_init_logging ();
  g_assert (dir != NULL);
  file_path = g_build_filename (dir, "bourse.conf", NULL);
  atexit (remove_file);
  return 0;
}

static void
check_values (BourseConfig *config)
{
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);
  g_autoptr(BourseConfig) copy = bourse_config_copy (config);
  g_autofree char *shown = bourse_config_to_display_string (config);
  g_autofree char *shown_copy = bourse_config_to_display_string (copy);

  FUZZ_CHECK (g_str_equal (shown, shown_copy));
  FUZZ_CHECK (g_utf8_validate (shown, -1, NULL));

  for (guint i = 0; i < n_keys; i++)
    {
      const BourseConfigKey *key = &schema[i];
      const char *value = bourse_config_get_string (config, key->section, key->key);

      FUZZ_CHECK (value != NULL && g_utf8_validate (value, -1, NULL));
      FUZZ_CHECK (bourse_config_get_origin (config, key->section, key->key) != NULL);
      switch (key->type)
        {
        case BOURSE_CONFIG_TYPE_INT:
          {
            gint64 number = bourse_config_get_int (config, key->section, key->key);

            FUZZ_CHECK (number >= key->min && number <= key->max);
            break;
          }
        case BOURSE_CONFIG_TYPE_BOOLEAN:
          FUZZ_CHECK (g_str_equal (value, "true") || g_str_equal (value, "false"));
          break;
        case BOURSE_CONFIG_TYPE_ENUM:
          {
            g_auto(GStrv) allowed = g_strsplit (key->allowed, "|", -1);

            FUZZ_CHECK (g_strv_contains ((const char * const *)allowed, value));
            break;
          }
        case BOURSE_CONFIG_TYPE_LIST:
          {
            g_auto(GStrv) items = bourse_config_dup_list (config, key->section, key->key);

            for (guint j = 0; items[j] != NULL; j++)
              FUZZ_CHECK (items[j][0] != '\0' && strchr (items[j], ',') == NULL);
            break;
          }
        default:
          /* A secret never shows. */
          if (key->secret && value[0] != '\0')
            {
              g_autofree char *line = g_strdup_printf ("\n%s=********\t", key->key);

              FUZZ_CHECK (strstr (shown, line) != NULL);
            }
          break;
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);
  gboolean ok = TRUE;

  if (size < 1)
    return 0;

  switch (data[0] % 3)
    {
    case 0:
      /* Neither atomic nor synced: millions of times, and nobody else reads it. */
      FUZZ_CHECK (g_file_set_contents_full (file_path, (const char *)data + 1, size - 1,
                                            G_FILE_SET_CONTENTS_NONE, 0600, NULL));
      ok = bourse_config_load_file (config, file_path, &error);
      break;

    case 1:
    case 2:
      {
        g_autofree char *text = g_strndup ((const char *)data + 1, size - 1);
        g_auto(GStrv) lines = g_strsplit (text, "\n", 64);
        g_autoptr(GPtrArray) envp = g_ptr_array_new_with_free_func (g_free);

        for (guint i = 0; lines[i] != NULL && ok; i++)
          {
            const BourseConfigKey *key;

            if (lines[i][0] == '\0')
              continue;
            key = &schema[(guint8)lines[i][0] % n_keys];
            if (data[0] % 3 == 1)
              {
                g_autofree char *name = g_strdup_printf ("BOURSE_%s_%s", key->section, key->key);
                g_autofree char *upper = g_ascii_strup (name, -1);

                g_ptr_array_add (envp, g_strconcat (upper, "=", lines[i] + 1, NULL));
              }
            else
              ok = bourse_config_set (config, key->section, key->key, lines[i] + 1,
                                      (guint8)lines[i][0] / n_keys % 4, &error);
          }
        if (data[0] % 3 == 1)
          {
            g_ptr_array_add (envp, NULL);
            ok = bourse_config_load_environment (config, (const char * const *)envp->pdata, &error);
          }
        break;
      }
    }

  FUZZ_CHECK (ok == (error == NULL));
  if (error != NULL)
    {
      FUZZ_CHECK (error->domain == BOURSE_CONFIG_ERROR);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
    }
  check_values (config);
  return 0;
}
