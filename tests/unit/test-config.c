/* test-config.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "core/bourse-config.h"

/* Short names for the tables below. */
#define SRC_DEFAULT BOURSE_CONFIG_SOURCE_DEFAULT
#define SRC_FILE    BOURSE_CONFIG_SOURCE_FILE
#define SRC_ENV     BOURSE_CONFIG_SOURCE_ENVIRONMENT
#define SRC_CLI     BOURSE_CONFIG_SOURCE_COMMAND_LINE

#define XDG_DATA_HOME   "/nonexistent/test-config/data-home"
#define XDG_CONFIG_HOME "/nonexistent/test-config/config-home"

/* A configuration file in a private temporary directory, removed by
 * temp_file_free () so that a failing run leaves as little as possible. */
typedef struct
{
  char *dir;
  char *path;
} TempFile;

static TempFile *
temp_file_new (const char *contents)
{
  g_autoptr(GError) error = NULL;
  TempFile *file = g_new0 (TempFile, 1);

  file->dir = g_dir_make_tmp ("test-config-XXXXXX", &error);
  g_assert_no_error (error);
  file->path = g_build_filename (file->dir, "bourse.conf", NULL);
  g_file_set_contents (file->path, contents, -1, &error);
  g_assert_no_error (error);
  return file;
}

static void
temp_file_free (TempFile *file)
{
  g_unlink (file->path);
  g_rmdir (file->dir);
  g_free (file->path);
  g_free (file->dir);
  g_free (file);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TempFile, temp_file_free)

static void
assert_value (BourseConfig       *config,
              const char         *section,
              const char         *key,
              const char         *value,
              BourseConfigSource  source,
              const char         *origin)
{
  g_assert_cmpstr (bourse_config_get_string (config, section, key), ==, value);
  g_assert_cmpstr (bourse_config_source_to_string (bourse_config_get_source (config, section, key)), ==,
                   bourse_config_source_to_string (source));
  g_assert_cmpstr (bourse_config_get_origin (config, section, key), ==, origin);
}

static void
assert_error_mentions (const GError *error,
                       const char   *text)
{
  g_assert_nonnull (error);
  if (strstr (error->message, text) == NULL)
    g_error ("error message '%s' does not mention '%s'", error->message, text);
}

/* The schema is the contract of docs/CONFIGURATION.md: every default must be a
 * value the key itself accepts, and every key must be reachable by name. */
static void
test_schema (void)
{
  const BourseConfigKey *schema;
  guint n_keys = 0;

  schema = bourse_config_get_schema (&n_keys);
  g_assert_nonnull (schema);
  g_assert_cmpuint (n_keys, >, 0);

  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr(BourseConfig) config = bourse_config_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("key %s.%s", schema[i].section, schema[i].key);
      g_assert_true (bourse_config_lookup_key (schema[i].section, schema[i].key) == &schema[i]);
      g_assert_nonnull (schema[i].description);
      g_assert_nonnull (schema[i].default_value);
      if (schema[i].type == BOURSE_CONFIG_TYPE_INT)
        g_assert_cmpint (schema[i].min, <=, schema[i].max);
      if (schema[i].type == BOURSE_CONFIG_TYPE_ENUM)
        g_assert_nonnull (schema[i].allowed);
      if (schema[i].flag != NULL)
        g_assert_true (g_str_has_prefix (schema[i].flag, "--"));

      g_assert_true (bourse_config_set (config, schema[i].section, schema[i].key,
                                        schema[i].default_value, SRC_FILE, &error));
      g_assert_no_error (error);
    }

  g_assert_null (bourse_config_lookup_key ("server", "nope"));
  g_assert_null (bourse_config_lookup_key ("nope", "port"));
  g_assert_cmpstr (bourse_config_source_to_string (SRC_DEFAULT), ==, "default");
  g_assert_cmpstr (bourse_config_source_to_string (SRC_FILE), ==, "file");
  g_assert_cmpstr (bourse_config_source_to_string (SRC_ENV), ==, "environment");
  g_assert_cmpstr (bourse_config_source_to_string (SRC_CLI), ==, "command-line");
}

static void
test_defaults (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  const BourseConfigKey *schema;
  guint n_keys;

  schema = bourse_config_get_schema (&n_keys);
  for (guint i = 0; i < n_keys; i++)
    assert_value (config, schema[i].section, schema[i].key, schema[i].default_value,
                  SRC_DEFAULT, "built-in");

  g_assert_cmpstr (bourse_config_get_string (config, "server", "bind"), ==, "127.0.0.1");
  g_assert_cmpint (bourse_config_get_int (config, "server", "port"), ==, 8470);
  g_assert_false (bourse_config_get_boolean (config, "server", "insecure_bind"));
  g_assert_cmpstr (bourse_config_get_string (config, "log", "level"), ==, "info");
  g_assert_cmpint (bourse_config_get_int (config, "server", "max_body_bytes"), ==, 1048576);
}

/* defaults < file < environment < command line, in the order boursed applies them. */
static void
test_layering (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TempFile) file = temp_file_new ("# a comment\n"
                                            "[server]\n"
                                            "bind = 0.0.0.0\n"
                                            "port=9000\n"
                                            "system_interval=7\n"
                                            "[log]\n"
                                            "level=debug\n"
                                            "format=json\n"
                                            "[binance]\n"
                                            "base_url=https://testnet.binance.vision\n");
  const char *envp[] = {
    "BOURSE_SERVER_PORT=9100",
    "BOURSE_LOG_LEVEL=warning",
    "BOURSE_SERVER_SHUTDOWN_TIMEOUT=3",
    NULL
  };

  g_assert_true (bourse_config_load_file (config, file->path, &error));
  g_assert_no_error (error);

  /* The file alone. */
  assert_value (config, "server", "bind", "0.0.0.0", SRC_FILE, file->path);
  assert_value (config, "server", "port", "9000", SRC_FILE, file->path);
  assert_value (config, "log", "level", "debug", SRC_FILE, file->path);

  g_assert_true (bourse_config_load_environment (config, envp, &error));
  g_assert_no_error (error);

  g_assert_true (bourse_config_set (config, "server", "port", "9200",
                                    SRC_CLI, &error));
  g_assert_no_error (error);
  g_assert_true (bourse_config_set (config, "store", "data_dir", "/srv/bourse",
                                    SRC_CLI, &error));
  g_assert_no_error (error);

  /* Command line over environment over file. */
  assert_value (config, "server", "port", "9200", SRC_CLI, "--port");
  g_assert_cmpint (bourse_config_get_int (config, "server", "port"), ==, 9200);
  assert_value (config, "store", "data_dir", "/srv/bourse", SRC_CLI,
                "--data-dir");

  /* Environment over file. */
  assert_value (config, "log", "level", "warning", SRC_ENV, "BOURSE_LOG_LEVEL");
  assert_value (config, "server", "shutdown_timeout", "3", SRC_ENV,
                "BOURSE_SERVER_SHUTDOWN_TIMEOUT");

  /* File over defaults, values stripped of surrounding blanks. */
  assert_value (config, "server", "bind", "0.0.0.0", SRC_FILE, file->path);
  assert_value (config, "server", "system_interval", "7", SRC_FILE, file->path);
  assert_value (config, "log", "format", "json", SRC_FILE, file->path);
  assert_value (config, "binance", "base_url", "https://testnet.binance.vision",
                SRC_FILE, file->path);

  /* Untouched keys keep their defaults. */
  assert_value (config, "server", "max_body_bytes", "1048576", SRC_DEFAULT, "built-in");
  assert_value (config, "server", "insecure_bind", "false", SRC_DEFAULT, "built-in");
}

/* Each key answers to BOURSE_<SECTION>_<KEY> and, from the command line, to its
 * flag; keys without a flag are named section.key. */
static void
test_origins (void)
{
  const BourseConfigKey *schema;
  guint n_keys;

  schema = bourse_config_get_schema (&n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autoptr(BourseConfig) config = bourse_config_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("BOURSE_%s_%s", schema[i].section, schema[i].key);
      g_autofree char *upper = g_ascii_strup (name, -1);
      g_autofree char *assignment = g_strdup_printf ("%s=%s", upper, schema[i].default_value);
      g_autofree char *dotted = g_strdup_printf ("%s.%s", schema[i].section, schema[i].key);
      const char *envp[] = { assignment, NULL };

      g_assert_true (bourse_config_load_environment (config, envp, &error));
      g_assert_no_error (error);
      assert_value (config, schema[i].section, schema[i].key, schema[i].default_value,
                    SRC_ENV, upper);

      g_assert_true (bourse_config_set (config, schema[i].section, schema[i].key,
                                        schema[i].default_value, SRC_CLI,
                                        &error));
      g_assert_no_error (error);
      assert_value (config, schema[i].section, schema[i].key, schema[i].default_value,
                    SRC_CLI, schema[i].flag ? schema[i].flag : dotted);
    }
}

typedef struct
{
  const char         *section;
  const char         *key;
  const char         *value;
  BourseConfigSource  source;
  const char         *where;    /* what the message says about the source */
  const char         *allowed;  /* what the message says is allowed */
} BadValue;

static const BadValue bad_values[] = {
  { "server", "port", "65536", SRC_CLI, "command-line --port", "0 to 65535" },
  { "server", "port", "-1", SRC_ENV, "environment BOURSE_SERVER_PORT", "0 to 65535" },
  { "server", "port", "abc", SRC_ENV, "environment BOURSE_SERVER_PORT", "0 to 65535" },
  { "server", "port", "80x", SRC_CLI, "command-line --port", "0 to 65535" },
  { "server", "port", "", SRC_ENV, "environment BOURSE_SERVER_PORT", "0 to 65535" },
  { "server", "port", "1.5", SRC_CLI, "command-line --port", "0 to 65535" },
  { "server", "port", "99999999999999999999999", SRC_ENV,
    "environment BOURSE_SERVER_PORT", "0 to 65535" },
  { "server", "max_body_bytes", "1023", SRC_ENV,
    "environment BOURSE_SERVER_MAX_BODY_BYTES", "1024 to 268435456" },
  { "server", "system_interval", "0", SRC_CLI,
    "command-line server.system_interval", "1 to 3600" },
  { "log", "level", "verbose", SRC_CLI, "command-line --log-level",
    "debug, info, message, warning" },
  { "log", "format", "xml", SRC_ENV, "environment BOURSE_LOG_FORMAT",
    "auto, text, json, journal" },
  { "server", "insecure_bind", "maybe", SRC_ENV,
    "environment BOURSE_SERVER_INSECURE_BIND", "true or false" },
  { "server", "insecure_bind", "", SRC_CLI, "command-line --insecure-bind",
    "true or false" },
  { "binance", "base_url", "ftp://api.binance.com", SRC_ENV,
    "environment BOURSE_BINANCE_BASE_URL", "http(s) or ws(s) URL" },
  { "binance", "base_url", "api.binance.com", SRC_ENV,
    "environment BOURSE_BINANCE_BASE_URL", "http(s) or ws(s) URL" },
  { "binance", "stream_url", "wss://", SRC_ENV,
    "environment BOURSE_BINANCE_STREAM_URL", "http(s) or ws(s) URL" },
  { "server", "bind", "127.0.0.1\n0.0.0.0", SRC_ENV,
    "environment BOURSE_SERVER_BIND", "IPv4 or IPv6 address" },
  { "server", "bind", "not-an-address", SRC_FILE, "file ",
    "IPv4 or IPv6 address" },
  { "server", "tls_cert", "/a\n/b", SRC_ENV,
    "environment BOURSE_SERVER_TLS_CERT", "single line" },
  { "scheduler", "heartbeat", "61 * * * *", SRC_ENV,
    "environment BOURSE_SCHEDULER_HEARTBEAT", "minute" },
  { "scheduler", "heartbeat", "0 2 * *", SRC_FILE, "file ", "five fields" },
  { "scheduler", "time_zone", "America/Nowhere", SRC_CLI,
    "command-line scheduler.time_zone", "IANA" },
};

static void
test_bad_value (gconstpointer data)
{
  const BadValue *bad = data;
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dotted = g_strdup_printf ("%s.%s", bad->section, bad->key);
  g_autofree char *before = g_strdup (bourse_config_get_string (config, bad->section, bad->key));

  if (bad->source == SRC_ENV)
    {
      g_autofree char *name = g_strdup_printf ("BOURSE_%s_%s", bad->section, bad->key);
      g_autofree char *upper = g_ascii_strup (name, -1);
      g_autofree char *assignment = g_strdup_printf ("%s=%s", upper, bad->value);
      const char *envp[] = { "BOURSE_LOG_LEVEL=debug", assignment, NULL };

      g_assert_false (bourse_config_load_environment (config, envp, &error));
    }
  else
    g_assert_false (bourse_config_set (config, bad->section, bad->key, bad->value, bad->source, &error));

  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE);
  g_test_message ("%s", error->message);
  assert_error_mentions (error, dotted);
  assert_error_mentions (error, bad->where);
  assert_error_mentions (error, bad->allowed);

  /* A refused value changes nothing. */
  assert_value (config, bad->section, bad->key, before, SRC_DEFAULT, "built-in");
}

static void
test_bad_value_in_file (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TempFile) file = temp_file_new ("[server]\nport=abc\n");
  g_autoptr(TempFile) level = temp_file_new ("[log]\nlevel=loud\n");
  g_autoptr(TempFile) flag = temp_file_new ("[server]\ninsecure_bind=sometimes\n");

  g_assert_false (bourse_config_load_file (config, file->path, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE);
  assert_error_mentions (error, "server.port");
  assert_error_mentions (error, "file");
  assert_error_mentions (error, file->path);
  assert_error_mentions (error, "0 to 65535");
  assert_value (config, "server", "port", "8470", SRC_DEFAULT, "built-in");
  g_clear_error (&error);

  g_assert_false (bourse_config_load_file (config, level->path, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE);
  assert_error_mentions (error, "log.level");
  assert_error_mentions (error, level->path);
  assert_error_mentions (error, "debug, info, message, warning");
  g_clear_error (&error);

  g_assert_false (bourse_config_load_file (config, flag->path, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE);
  assert_error_mentions (error, "server.insecure_bind");
  assert_error_mentions (error, flag->path);
  assert_error_mentions (error, "true or false");
}

static void
test_unknown_key (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TempFile) typo = temp_file_new ("[server]\nport=9000\nprot=9001\n");
  g_autoptr(TempFile) section = temp_file_new ("[serveur]\nport=9000\n");

  g_assert_false (bourse_config_load_file (config, typo->path, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_UNKNOWN_KEY);
  assert_error_mentions (error, "server.prot");
  assert_error_mentions (error, typo->path);
  g_clear_error (&error);

  g_assert_false (bourse_config_load_file (config, section->path, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_UNKNOWN_KEY);
  assert_error_mentions (error, "serveur.port");
  assert_error_mentions (error, section->path);
  g_clear_error (&error);

  /* Through the API too. */
  g_assert_false (bourse_config_set (config, "server", "prot", "1", SRC_CLI, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_UNKNOWN_KEY);
  assert_error_mentions (error, "server.prot");
}

static void
test_missing_file (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TempFile) file = temp_file_new ("[server]\nport=9000\n");
  g_autoptr(TempFile) garbage = temp_file_new ("this is not a key file\n");
  g_autofree char *missing = g_build_filename (file->dir, "does-not-exist.conf", NULL);

  g_assert_false (bourse_config_load_file (config, missing, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE);
  assert_error_mentions (error, missing);
  g_clear_error (&error);

  /* A directory cannot be read as a file, whoever runs the test. */
  g_assert_false (bourse_config_load_file (config, file->dir, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE);
  assert_error_mentions (error, file->dir);
  g_clear_error (&error);

  g_assert_false (bourse_config_load_file (config, garbage->path, &error));
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE);
  assert_error_mentions (error, garbage->path);
  g_clear_error (&error);

  /* Permissions do not stop root, so this part only runs for other users. */
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_chmod (file->path, 0), ==, 0);
      g_assert_false (bourse_config_load_file (config, file->path, &error));
      g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE);
      assert_error_mentions (error, file->path);
      g_clear_error (&error);
    }

  assert_value (config, "server", "port", "8470", SRC_DEFAULT, "built-in");
}

static void
test_environment_ignores_others (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  const char *envp[] = {
    "BOURSE_SERVER_PROT=1",          /* a typo: not ours, so ignored */
    "BOURSE_TEST_FIXTURE=whatever",  /* another tool's variable */
    "BOURSE_=x",
    "BOURSE_SERVER=x",
    "bourse_server_bind=0.0.0.0",    /* names are upper case */
    "SERVER_PORT=1",
    "PATH=/usr/bin",
    "BOURSE_SERVER_PORT=1234",
    NULL
  };
  const BourseConfigKey *schema;
  guint n_keys;

  g_assert_true (bourse_config_load_environment (config, envp, &error));
  g_assert_no_error (error);
  assert_value (config, "server", "port", "1234", SRC_ENV, "BOURSE_SERVER_PORT");

  schema = bourse_config_get_schema (&n_keys);
  for (guint i = 0; i < n_keys; i++)
    if (!g_str_equal (schema[i].key, "port"))
      assert_value (config, schema[i].section, schema[i].key, schema[i].default_value,
                    SRC_DEFAULT, "built-in");

  g_assert_true (bourse_config_load_environment (config, NULL, &error));
  g_assert_no_error (error);
}

static void
test_booleans (void)
{
  static const char * const truthy[] = { "true", "yes", "1", "on" };
  static const char * const falsy[] = { "false", "no", "0", "off" };

  for (guint i = 0; i < G_N_ELEMENTS (truthy); i++)
    {
      g_autoptr(BourseConfig) config = bourse_config_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (bourse_config_set (config, "server", "insecure_bind", truthy[i],
                                        SRC_ENV, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (bourse_config_get_string (config, "server", "insecure_bind"), ==, "true");
      g_assert_true (bourse_config_get_boolean (config, "server", "insecure_bind"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (falsy); i++)
    {
      g_autoptr(BourseConfig) config = bourse_config_new ();
      g_autoptr(GError) error = NULL;

      /* Start from true so that false is a change. */
      g_assert_true (bourse_config_set (config, "server", "insecure_bind", "true",
                                        SRC_FILE, &error));
      g_assert_true (bourse_config_set (config, "server", "insecure_bind", falsy[i],
                                        SRC_CLI, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (bourse_config_get_string (config, "server", "insecure_bind"), ==, "false");
      g_assert_false (bourse_config_get_boolean (config, "server", "insecure_bind"));
    }

  /* From a file as well. */
  {
    g_autoptr(BourseConfig) config = bourse_config_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(TempFile) file = temp_file_new ("[server]\ninsecure_bind = on\n");

    g_assert_true (bourse_config_load_file (config, file->path, &error));
    g_assert_no_error (error);
    assert_value (config, "server", "insecure_bind", "true", SRC_FILE, file->path);
  }
}

static void
test_lists (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TempFile) file =
    temp_file_new ("[server]\ncors_origins = https://a.example ,, http://localhost:5173 ,\t, \n");
  g_auto(GStrv) empty = NULL;
  g_auto(GStrv) list = NULL;
  g_auto(GStrv) single = NULL;
  const char *envp[] = { "BOURSE_SERVER_CORS_ORIGINS=https://only.example", NULL };

  empty = bourse_config_dup_list (config, "server", "cors_origins");
  g_assert_nonnull (empty);
  g_assert_cmpuint (g_strv_length (empty), ==, 0);

  g_assert_true (bourse_config_load_file (config, file->path, &error));
  g_assert_no_error (error);
  list = bourse_config_dup_list (config, "server", "cors_origins");
  g_assert_cmpuint (g_strv_length (list), ==, 2);
  g_assert_cmpstr (list[0], ==, "https://a.example");
  g_assert_cmpstr (list[1], ==, "http://localhost:5173");

  g_assert_true (bourse_config_load_environment (config, envp, &error));
  g_assert_no_error (error);
  single = bourse_config_dup_list (config, "server", "cors_origins");
  g_assert_cmpuint (g_strv_length (single), ==, 1);
  g_assert_cmpstr (single[0], ==, "https://only.example");
}

/* The line for section.key in `boursed config show` output, or NULL. */
static char *
find_display_line (const char *text,
                   const char *section,
                   const char *key)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *header = g_strdup_printf ("[%s]", section);
  g_autofree char *prefix = g_strdup_printf ("%s=", key);
  gboolean in_section = FALSE;
  char *found = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '[')
        in_section = g_str_equal (lines[i], header);
      else if (in_section && g_str_has_prefix (lines[i], prefix))
        {
          /* Each key is shown exactly once. */
          g_assert_null (found);
          found = g_strdup (lines[i]);
        }
    }

  return found;
}

static void
test_display (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TempFile) file = temp_file_new ("[server]\nbind=127.0.0.2\n"
                                            "[binance]\napi_key=AKIA-FILE-KEY-0123456789\n");
  const char *envp[] = {
    "BOURSE_BINANCE_API_SECRET=env-secret-9876543210",
    "BOURSE_LOG_LEVEL=debug",
    NULL
  };
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *line = NULL;
  const BourseConfigKey *schema;
  guint n_keys;

  g_assert_true (bourse_config_load_file (config, file->path, &error));
  g_assert_true (bourse_config_load_environment (config, envp, &error));
  g_assert_true (bourse_config_set (config, "server", "port", "9200", SRC_CLI, &error));
  g_assert_no_error (error);

  text = bourse_config_to_display_string (config);
  g_test_message ("%s", text);

  /* Secrets never appear, whichever source they came from. */
  g_assert_null (strstr (text, "AKIA-FILE-KEY-0123456789"));
  g_assert_null (strstr (text, "env-secret-9876543210"));
  g_assert_null (strstr (text, "0123456789"));

  line = find_display_line (text, "binance", "api_key");
  expected = g_strdup_printf ("api_key=********\t# file: %s", file->path);
  g_assert_cmpstr (line, ==, expected);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&expected, g_free);

  line = find_display_line (text, "binance", "api_secret");
  g_assert_cmpstr (line, ==, "api_secret=********\t# environment: BOURSE_BINANCE_API_SECRET");
  g_clear_pointer (&line, g_free);

  line = find_display_line (text, "server", "port");
  g_assert_cmpstr (line, ==, "port=9200\t# command-line: --port");
  g_clear_pointer (&line, g_free);

  line = find_display_line (text, "server", "bind");
  expected = g_strdup_printf ("bind=127.0.0.2\t# file: %s", file->path);
  g_assert_cmpstr (line, ==, expected);
  g_clear_pointer (&line, g_free);
  g_clear_pointer (&expected, g_free);

  line = find_display_line (text, "log", "level");
  g_assert_cmpstr (line, ==, "level=debug\t# environment: BOURSE_LOG_LEVEL");
  g_clear_pointer (&line, g_free);

  line = find_display_line (text, "server", "max_body_bytes");
  g_assert_cmpstr (line, ==, "max_body_bytes=1048576\t# default: built-in");
  g_clear_pointer (&line, g_free);

  /* Every key of the schema is listed under its own section. */
  schema = bourse_config_get_schema (&n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      g_autofree char *found = find_display_line (text, schema[i].section, schema[i].key);

      if (found == NULL)
        g_error ("%s.%s is missing from the display string", schema[i].section, schema[i].key);
    }
}

static void
test_default_paths (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *config_path = NULL;
  /* main () pointed the XDG variables here before GLib read them. */
  const char *xdg_data_home = XDG_DATA_HOME;
  const char *xdg_config_home = XDG_CONFIG_HOME;

  data_dir = bourse_config_dup_data_dir (config);
  expected = g_build_filename (xdg_data_home, "bourse", NULL);
  g_assert_cmpstr (data_dir, ==, expected);
  g_clear_pointer (&data_dir, g_free);
  g_clear_pointer (&expected, g_free);

  config_path = bourse_config_default_path ();
  expected = g_build_filename (xdg_config_home, "bourse", "bourse.conf", NULL);
  g_assert_cmpstr (config_path, ==, expected);

  g_assert_true (bourse_config_set (config, "store", "data_dir", "/var/lib/bourse",
                                    SRC_CLI, &error));
  g_assert_no_error (error);
  data_dir = bourse_config_dup_data_dir (config);
  g_assert_cmpstr (data_dir, ==, "/var/lib/bourse");
}

static void
test_copy (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(BourseConfig) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TempFile) file = temp_file_new ("[server]\nbind=::1\n[binance]\napi_key=k\n");
  const char *envp[] = { "BOURSE_LOG_FORMAT=json", NULL };
  const BourseConfigKey *schema;
  guint n_keys;

  g_assert_true (bourse_config_load_file (config, file->path, &error));
  g_assert_true (bourse_config_load_environment (config, envp, &error));
  g_assert_true (bourse_config_set (config, "server", "port", "0", SRC_CLI, &error));
  g_assert_no_error (error);

  copy = bourse_config_copy (config);
  g_assert_true (copy != config);

  schema = bourse_config_get_schema (&n_keys);
  for (guint i = 0; i < n_keys; i++)
    {
      const char *s = schema[i].section;
      const char *k = schema[i].key;

      assert_value (copy, s, k, bourse_config_get_string (config, s, k),
                    bourse_config_get_source (config, s, k), bourse_config_get_origin (config, s, k));
    }
  assert_value (copy, "server", "bind", "::1", SRC_FILE, file->path);
  assert_value (copy, "log", "format", "json", SRC_ENV, "BOURSE_LOG_FORMAT");
  assert_value (copy, "server", "port", "0", SRC_CLI, "--port");

  /* The copy is independent of the original. */
  g_assert_true (bourse_config_set (copy, "server", "port", "1", SRC_ENV, &error));
  g_assert_no_error (error);
  assert_value (config, "server", "port", "0", SRC_CLI, "--port");
  g_clear_object (&config);
  assert_value (copy, "server", "bind", "::1", SRC_FILE, file->path);
  g_assert_finalize_object (g_steal_pointer (&copy));
}

/* "section.key" → value pairs (a NULL value: back to the default). */
static GHashTable *
changes_new (const char *first,
             ...)
{
  GHashTable *changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  va_list args;

  va_start (args, first);
  for (const char *field = first; field != NULL; field = va_arg (args, const char *))
    g_hash_table_insert (changes, g_strdup (field), g_strdup (va_arg (args, const char *)));
  va_end (args);
  return changes;
}

typedef struct
{
  guint  emitted;
  char  *fields;
} Changed;

static void
changed_cb (BourseConfig       *config,
            const char * const *fields,
            Changed            *changed)
{
  changed->emitted++;
  g_free (changed->fields);
  changed->fields = g_strjoinv (" ", (char **)fields);
}

/* Runtime wins over everything; null takes it back to the lower layers. */
static void
test_runtime_source (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GHashTable) set = changes_new ("server.port", "9100", "approvals.ttl", "120", NULL);
  g_autoptr(GHashTable) reset = changes_new ("server.port", NULL, NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) made = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  Changed changed = { 0 };

  g_assert_cmpstr (bourse_config_source_to_string (BOURSE_CONFIG_SOURCE_RUNTIME), ==, "runtime");
  g_assert_true (bourse_config_set (config, "server", "port", "9000", SRC_CLI, &error));
  g_signal_connect (config, "changed", G_CALLBACK (changed_cb), &changed);

  made = bourse_config_apply (config, set, &problems, &error);
  g_assert_no_error (error);
  g_assert_nonnull (made);
  g_assert_cmpuint (made->len, ==, 2);
  g_assert_cmpstr (((BourseConfigChange *)made->pdata[0])->field, ==, "server.port");
  g_assert_cmpstr (((BourseConfigChange *)made->pdata[0])->old_value, ==, "9000");
  g_assert_cmpstr (((BourseConfigChange *)made->pdata[0])->new_value, ==, "9100");
  assert_value (config, "server", "port", "9100", BOURSE_CONFIG_SOURCE_RUNTIME, "api");
  g_assert_cmpint (bourse_config_get_int (config, "approvals", "ttl"), ==, 120);
  g_assert_cmpuint (changed.emitted, ==, 1);
  g_assert_cmpstr (changed.fields, ==, "server.port approvals.ttl");

  /* Read at start only: it waits for a restart; approvals.ttl applies at once. */
  g_assert_true (bourse_config_lookup_key ("server", "port")->restart_required);
  g_assert_false (bourse_config_lookup_key ("approvals", "ttl")->restart_required);
  g_assert_true (bourse_config_is_pending_restart (config, "server", "port"));
  g_assert_false (bourse_config_is_pending_restart (config, "approvals", "ttl"));

  back = bourse_config_apply (config, reset, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 1);
  assert_value (config, "server", "port", "9000", SRC_CLI, "--port");
  g_assert_false (bourse_config_is_pending_restart (config, "server", "port"));
  g_assert_cmpuint (changed.emitted, ==, 2);
  g_free (changed.fields);
}

/* Every bad field at once, in schema order, and nothing changed. */
static void
test_validation_all_at_once (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(GHashTable) changes = changes_new ("server.port", "99999", "approvals.ttl", "600",
                                               "log.level", "loud", "server.prot", "1", NULL);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) made = NULL;
  g_autoptr(GError) error = NULL;
  Changed changed = { 0 };

  g_signal_connect (config, "changed", G_CALLBACK (changed_cb), &changed);
  made = bourse_config_apply (config, changes, &problems, &error);
  g_assert_null (made);
  g_assert_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_cmpstr (((BourseConfigProblem *)problems->pdata[0])->field, ==, "server.port");
  g_assert_cmpstr (((BourseConfigProblem *)problems->pdata[1])->field, ==, "log.level");
  g_assert_cmpstr (((BourseConfigProblem *)problems->pdata[2])->field, ==, "server.prot");
  /* All or nothing: the good value was not applied either. */
  assert_value (config, "approvals", "ttl", "3600", SRC_DEFAULT, "built-in");
  g_assert_cmpuint (changed.emitted, ==, 0);
}

/* Written back where the file was, comments and order kept; atomically. */
static void
test_write_back (void)
{
  g_autoptr(TempFile) file = temp_file_new ("# My settings\n"
                                            "[server]\n"
                                            "# the port the proxy expects\n"
                                            "port=9000\n"
                                            "\n"
                                            "[approvals]\n"
                                            "# a day\n"
                                            "ttl=86400\n");
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(BourseConfig) again = bourse_config_new ();
  g_autoptr(GHashTable) changes = changes_new ("server.port", "9200", "approvals.ttl", NULL,
                                               "log.level", "debug", NULL);
  g_autoptr(GPtrArray) made = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (bourse_config_load_file (config, file->path, &error));
  g_assert_cmpstr (bourse_config_get_path (config), ==, file->path);
  made = bourse_config_apply (config, changes, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (file->path, &text, NULL, &error));
  g_assert_true (g_str_has_prefix (text, "# My settings\n"));
  g_assert_nonnull (strstr (text, "[server]\n# the port the proxy expects\nport=9200\n"));
  g_assert_nonnull (strstr (text, "[approvals]\n# a day\n"));
  g_assert_null (strstr (text, "ttl="));
  g_assert_nonnull (strstr (text, "[log]\nlevel=debug\n"));

  /* What was written is what a restart reads. */
  g_assert_true (bourse_config_load_file (again, file->path, &error));
  g_assert_cmpint (bourse_config_get_int (again, "server", "port"), ==, 9200);
  g_assert_cmpint (bourse_config_get_int (again, "approvals", "ttl"), ==, 3600);
  g_assert_cmpstr (bourse_config_get_string (again, "log", "level"), ==, "debug");

  /* And a reload of our own write finds nothing new. */
  {
    g_autoptr(GPtrArray) found = NULL;

    g_assert_true (bourse_config_reload (config, &found, &error));
    g_assert_cmpuint (found->len, ==, 0);
  }
  g_unlink (file->path);
}

/* Reload: the file's edits apply, the environment still wins, a bad file
 * is refused with its line and changes nothing. */
static void
test_reload (void)
{
  g_autoptr(TempFile) file = temp_file_new ("[server]\nport=9000\n[approvals]\nttl=600\n");
  g_autoptr(BourseConfig) config = bourse_config_new ();
  const char *envp[] = { "BOURSE_SERVER_PORT=9500", NULL };
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  Changed changed = { 0 };

  g_assert_true (bourse_config_load_file (config, file->path, &error));
  g_assert_true (bourse_config_load_environment (config, envp, &error));
  g_signal_connect (config, "changed", G_CALLBACK (changed_cb), &changed);

  g_assert_true (g_file_set_contents (file->path, "[server]\nport=9001\n[approvals]\nttl=700\n", -1, &error));
  g_assert_true (bourse_config_reload (config, &changes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (((BourseConfigChange *)changes->pdata[0])->field, ==, "approvals.ttl");
  g_assert_cmpint (bourse_config_get_int (config, "approvals", "ttl"), ==, 700);
  assert_value (config, "server", "port", "9500", SRC_ENV, "BOURSE_SERVER_PORT");
  g_assert_cmpstr (changed.fields, ==, "approvals.ttl");
  g_clear_pointer (&changes, g_ptr_array_unref);

  g_assert_true (g_file_set_contents (file->path, "[approvals]\nttl=800\n\nwhat is this\n", -1, &error));
  g_assert_false (bourse_config_reload (config, &changes, &error));
  assert_error_mentions (error, "line 4");
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (file->path, "[approvals]\nttl=800\nfour_eyes=maybe\n", -1, &error));
  g_assert_false (bourse_config_reload (config, &changes, &error));
  assert_error_mentions (error, "line 3");
  g_clear_error (&error);
  g_assert_cmpint (bourse_config_get_int (config, "approvals", "ttl"), ==, 700);
  g_assert_cmpuint (changed.emitted, ==, 1);
  g_free (changed.fields);
}

/* An export holds what is not the default, secrets only as comments; it
 * parses back (as `boursed config check` reads it) to the same values. */
static void
test_export (void)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_autoptr(BourseConfig) copy = bourse_config_new ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_problem_free);
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TempFile) file = NULL;
  g_autofree char *text = NULL;
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);

  g_assert_true (bourse_config_set (config, "server", "cors_origins", "https://a.example, x\\y", SRC_FILE, &error));
  g_assert_true (bourse_config_set (config, "approvals", "four_eyes", "yes", SRC_ENV, &error));
  g_assert_true (bourse_config_set (config, "notify", "smtp_password", "hunter2", SRC_ENV, &error));
  text = bourse_config_export (config, NULL, NULL);
  g_assert_null (strstr (text, "hunter2"));
  g_assert_nonnull (strstr (text, "# smtp_password: secret, set\n"));
  g_assert_nonnull (strstr (text, "# brevo_api_key: secret, not set\n"));
  g_assert_null (strstr (text, "port="));

  values = bourse_config_parse_text (text, strlen (text), problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (g_hash_table_size (values), ==, 2);

  file = temp_file_new (text);
  g_assert_true (bourse_config_load_file (copy, file->path, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n_keys; i++)
    if (!schema[i].secret)
      g_assert_cmpstr (bourse_config_get_string (copy, schema[i].section, schema[i].key), ==,
                       bourse_config_get_string (config, schema[i].section, schema[i].key));
}

/* Each section's keys are together: the API and `config show` list the
 * sections in the schema's order, each once. */
static void
test_sections_contiguous (void)
{
  g_autoptr(GHashTable) left = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);

  for (guint i = 1; i < n_keys; i++)
    if (!g_str_equal (schema[i].section, schema[i - 1].section))
      {
        g_hash_table_add (left, (gpointer)schema[i - 1].section);
        if (g_hash_table_contains (left, schema[i].section))
          g_error ("section %s comes back at %s.%s", schema[i].section, schema[i].section, schema[i].key);
      }
}

/* The import's parser names the line of each problem. */
static void
test_parse_problems (void)
{
  static const char text[] = "[server]\nport=abc\n[nope]\nx=1\n[log]\nlevel=debug\n";
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_problem_free);
  g_autoptr(GHashTable) values = bourse_config_parse_text (text, strlen (text), problems);

  g_assert_null (values);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpstr (((BourseConfigProblem *)problems->pdata[0])->field, ==, "line 2");
  g_assert_cmpstr (((BourseConfigProblem *)problems->pdata[1])->field, ==, "line 4");
}

int
main (int   argc,
      char *argv[])
{
  /* Never the developer's own directories. These are not created: nothing is
   * written there. (G_TEST_OPTION_ISOLATE_DIRS would do, but leaks in GLib 2.74.) */
  g_setenv ("XDG_DATA_HOME", XDG_DATA_HOME, TRUE);
  g_setenv ("XDG_CONFIG_HOME", XDG_CONFIG_HOME, TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/schema", test_schema);
  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/layering", test_layering);
  g_test_add_func ("/config/origins", test_origins);
  for (guint i = 0; i < G_N_ELEMENTS (bad_values); i++)
    {
      g_autofree char *path = g_strdup_printf ("/config/bad-value/%s.%s/%u",
                                               bad_values[i].section, bad_values[i].key, i);
      g_test_add_data_func (path, &bad_values[i], test_bad_value);
    }
  g_test_add_func ("/config/bad-value-in-file", test_bad_value_in_file);
  g_test_add_func ("/config/unknown-key", test_unknown_key);
  g_test_add_func ("/config/missing-file", test_missing_file);
  g_test_add_func ("/config/environment-ignores-others", test_environment_ignores_others);
  g_test_add_func ("/config/booleans", test_booleans);
  g_test_add_func ("/config/lists", test_lists);
  g_test_add_func ("/config/display", test_display);
  g_test_add_func ("/config/default-paths", test_default_paths);
  g_test_add_func ("/config/copy", test_copy);
  g_test_add_func ("/config/runtime-source", test_runtime_source);
  g_test_add_func ("/config/validation-all-at-once", test_validation_all_at_once);
  g_test_add_func ("/config/write-back", test_write_back);
  g_test_add_func ("/config/reload", test_reload);
  g_test_add_func ("/config/export", test_export);
  g_test_add_func ("/config/parse-problems", test_parse_problems);
  g_test_add_func ("/config/sections-contiguous", test_sections_contiguous);

  return g_test_run ();
}
