/* test-config-api.c — configuration management through HTTP (docs/OPERATIONS.md, "Configuration management")
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "auth/bourse-secrets.h"
#include "core/bourse-log.h"

#include "bourse-test-server.h"
#include "desk-test-util.h"

#define SECRET "s3cr3t-Pa55-never-shown"

/* Everything logged while the tests run, to look for what must not be there. */
static GString *log_text;
static GMutex log_lock;    /* worker threads log too */

static gboolean
log_mentions (const char *text)
{
  gboolean found;

  g_mutex_lock (&log_lock);
  found = strstr (log_text->str, text) != NULL;
  g_mutex_unlock (&log_lock);
  return found;
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_lock);
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0)
      g_string_append_printf (log_text, "%s=%s\n", fields[i].key, (const char *)fields[i].value);
  g_mutex_unlock (&log_lock);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

typedef struct
{
  BourseTestServer *server;
  char             *path;      /* the configuration file, with a comment of its own */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static const char * const fast[] = {
    "auth", "password_opslimit", "1",
    "auth", "password_memlimit_kib", "8",
    "auth", "secrets_backend", "file",
    NULL
  };
  g_autoptr(GError) error = NULL;

  f->server = bourse_test_server_new (FALSE, fast);
  f->path = g_build_filename (f->server->data_dir, "bourse.conf", NULL);
  g_file_set_contents (f->path, "# Kept by hand\n[approvals]\n# an hour\nttl=3600\n", -1, &error);
  g_assert_no_error (error);
  bourse_config_set_path (f->server->config, f->path);
  bourse_test_server_start (f->server);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_unlink (f->path);
  g_free (f->path);
  bourse_test_server_free (f->server);
}

/* The key @key of section @section in a GET answer. */
static JsonObject *
find_key (JsonObject *section,
          const char *key)
{
  JsonArray *keys = json_object_get_array_member (section, "keys");

  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *item = json_array_get_object_element (keys, i);

      if (g_strcmp0 (json_object_get_string_member (item, "key"), key) == 0)
        return item;
    }
  g_error ("no key %s", key);
}

static JsonNode *
get_section (Fixture    *f,
             const char *name)
{
  g_autofree char *path = g_strconcat ("/api/v1/config/", name, NULL);

  return desk_expect (f->server, "GET", path, NULL, NULL, 200);
}

/* The fields of a 422 answer, joined by spaces. */
static char *
problem_fields (JsonNode *node)
{
  JsonArray *errors = json_object_get_array_member (desk_object (node), "errors");
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (errors); i++)
    g_string_append_printf (out, "%s%s", i ? " " : "",
                            json_object_get_string_member (json_array_get_object_element (errors, i), "field"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static guint
n_audited (Fixture *f)
{
  g_autoptr(JsonNode) items = desk_audit (f->server, "config.change");

  return json_array_get_length (json_node_get_array (items));
}

static void
test_get_shapes (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) all = desk_expect (f->server, "GET", "/api/v1/config", NULL, NULL, 200);
  g_autoptr(JsonNode) server = get_section (f, "server");
  g_autoptr(JsonNode) notify = get_section (f, "notify");
  JsonArray *sections = json_object_get_array_member (desk_object (all), "sections");
  JsonObject *port = find_key (desk_object (server), "port");
  JsonObject *password = find_key (desk_object (notify), "smtp_password");
  JsonObject *transport = find_key (desk_object (notify), "email_transport");
  g_autoptr(JsonNode) missing = NULL;
  guint status;

  g_assert_cmpstr (json_object_get_string_member (desk_object (all), "path"), ==, f->path);
  g_assert_cmpuint (json_array_get_length (sections), >=, 10);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (sections, 0), "name"), ==, "server");
  g_assert_cmpstr (json_object_get_string_member (desk_object (server), "name"), ==, "server");

  g_assert_cmpstr (json_object_get_string_member (port, "type"), ==, "integer");
  g_assert_cmpint (json_object_get_int_member (port, "value"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (port, "default"), ==, 8470);
  g_assert_cmpstr (json_object_get_string_member (port, "source"), ==, "command-line");
  g_assert_nonnull (json_object_get_string_member (port, "origin"));
  g_assert_nonnull (json_object_get_string_member (port, "description"));
  g_assert_true (json_object_get_boolean_member (port, "restart_required"));
  g_assert_false (json_object_get_boolean_member (port, "pending_restart"));
  g_assert_false (json_object_get_boolean_member (port, "secret"));
  g_assert_cmpint (json_object_get_int_member (port, "max"), ==, 65535);
  g_assert_false (json_object_has_member (port, "set"));

  g_assert_true (json_object_get_boolean_member (password, "secret"));
  g_assert_true (json_object_get_null_member (password, "value"));
  g_assert_false (json_object_get_boolean_member (password, "set"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (transport, "allowed")), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (transport, "value"), ==, "none");

  missing = desk_fetch (f->server, "GET", "/api/v1/config/nope", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 404);
}

/* One 422 naming every bad field; nothing applied, nothing audited. */
static void
test_put_invalid (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(JsonNode) answer = desk_expect (f->server, "PUT", "/api/v1/config/approvals", NULL,
                                            "{\"ttl\":5,\"four_eyes\":\"maybe\",\"expiry_check\":[1],"
                                            "\"execute_on_approve\":\"on\",\"nope\":1}", 422);
  g_autofree char *fields = problem_fields (answer);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (fields, ==, "approvals.expiry_check approvals.ttl approvals.four_eyes approvals.nope");
  g_assert_cmpint (bourse_config_get_int (f->server->config, "approvals", "ttl"), ==, 3600);
  g_assert_cmpstr (bourse_config_get_string (f->server->config, "approvals", "execute_on_approve"), ==, "auto");
  g_assert_cmpuint (n_audited (f), ==, 0);
  g_assert_true (g_file_get_contents (f->path, &text, NULL, &error));
  g_assert_cmpstr (text, ==, "# Kept by hand\n[approvals]\n# an hour\nttl=3600\n");
}

/* Applied at once, written back with the file's comments, audited once,
 * published on "config". */
static void
test_put_applies (Fixture       *f,
                  gconstpointer  data)
{
  DeskWs *ws = desk_ws_connect (f->server, NULL);
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) server = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *ttl, *entry, *event;
  JsonArray *changes;

  desk_ws_subscribe (ws, "[\"config\"]");
  answer = desk_expect (f->server, "PUT", "/api/v1/config/approvals", NULL,
                        "{\"ttl\":120,\"four_eyes\":true,\"execute_on_approve\":\"auto\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (desk_object (answer), "name"), ==, "approvals");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (answer), "applied")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (desk_object (answer), "applied"), 0),
                   ==, "approvals.ttl");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (answer),
                                                                        "restart_required")), ==, 0);
  ttl = find_key (desk_object (answer), "ttl");
  g_assert_cmpint (json_object_get_int_member (ttl, "value"), ==, 120);
  g_assert_cmpstr (json_object_get_string_member (ttl, "source"), ==, "runtime");
  g_assert_true (bourse_config_get_boolean (f->server->config, "approvals", "four_eyes"));

  g_assert_true (g_file_get_contents (f->path, &text, NULL, &error));
  g_assert_true (g_str_has_prefix (text, "# Kept by hand\n"));
  g_assert_nonnull (strstr (text, "[approvals]\n# an hour\nttl=120\n"));
  g_assert_nonnull (strstr (text, "four_eyes=true\n"));

  audit = desk_audit (f->server, "config.change");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (audit)), ==, 1);
  entry = json_array_get_object_element (json_node_get_array (audit), 0);
  changes = json_object_get_array_member (json_object_get_object_member (entry, "details"), "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "field"), ==,
                   "approvals.ttl");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "old"), ==, "3600");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "new"), ==, "120");

  desk_ws_wait (ws, "config", 1);
  event = desk_ws_event (ws, "config", 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (event, "changes")), ==, 2);

  /* A key read at start: waits for a restart, and says so. */
  again = desk_expect (f->server, "PUT", "/api/v1/config/server", NULL, "{\"max_body_bytes\":\"2048\"}", 200);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (desk_object (again),
                                                                               "restart_required"), 0),
                   ==, "server.max_body_bytes");
  g_assert_true (json_object_get_boolean_member (find_key (desk_object (again), "max_body_bytes"),
                                                 "pending_restart"));

  /* Back to the default with null: out of the file too. */
  g_clear_pointer (&answer, json_node_unref);
  answer = desk_expect (f->server, "PUT", "/api/v1/config/approvals", NULL, "{\"ttl\":null}", 200);
  g_assert_cmpint (bourse_config_get_int (f->server->config, "approvals", "ttl"), ==, 3600);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (f->path, &text, NULL, &error));
  g_assert_null (strstr (text, "ttl="));

  /* log.level applies at once. */
  g_clear_pointer (&answer, json_node_unref);
  answer = desk_expect (f->server, "PUT", "/api/v1/config/log", NULL, "{\"level\":\"warning\"}", 200);
  g_assert_false (bourse_log_is_enabled (G_LOG_LEVEL_INFO));
  g_clear_pointer (&answer, json_node_unref);
  answer = desk_expect (f->server, "PUT", "/api/v1/config/log", NULL, "{\"level\":\"debug\"}", 200);
  g_assert_true (bourse_log_is_enabled (G_LOG_LEVEL_DEBUG));

  g_assert_cmpuint (n_audited (f), ==, 5);
  desk_ws_free (ws);
}

static void
test_secrets (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(BourseTestResponse) export = NULL;
  g_autofree char *answer_text = NULL;
  g_autofree char *all_text = NULL;
  g_autofree char *audit_text = NULL;
  g_autofree char *file_text = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  DeskWs *ws = desk_ws_connect (f->server, NULL);
  JsonObject *password, *event, *change;

  desk_ws_subscribe (ws, "[\"config\"]");
  answer = desk_expect (f->server, "PUT", "/api/v1/config/notify", NULL,
                        "{\"smtp_password\":\"" SECRET "\",\"smtp_host\":\"mail.example.org\"}", 200);
  answer_text = json_to_string (answer, FALSE);
  g_assert_null (strstr (answer_text, SECRET));
  password = find_key (desk_object (answer), "smtp_password");
  g_assert_true (json_object_get_boolean_member (password, "set"));
  g_assert_true (json_object_get_null_member (password, "value"));

  /* In the secrets store, under its name; not in the configuration. */
  stored = bourse_config_dup_secret (f->server->config,
                                     bourse_auth_get_secrets (bourse_engine_get_auth (f->server->engine)),
                                     "notify", "smtp_password");
  g_assert_cmpstr (stored, ==, SECRET);
  g_assert_cmpstr (bourse_config_get_string (f->server->config, "notify", "smtp_password"), ==, "");

  all = desk_expect (f->server, "GET", "/api/v1/config", NULL, NULL, 200);
  all_text = json_to_string (all, FALSE);
  g_assert_null (strstr (all_text, SECRET));
  export = bourse_test_fetch (f->server, "POST", "/api/v1/config/export", NULL, NULL, NULL, 0);
  g_assert_cmpuint (export->status, ==, 200);
  g_assert_null (g_strstr_len (g_bytes_get_data (export->body, NULL), g_bytes_get_size (export->body), SECRET));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (export->body, NULL), g_bytes_get_size (export->body),
                                  "# smtp_password: secret, set\n"));
  g_assert_nonnull (strstr (bourse_test_response_header (export, "Content-Disposition"), "attachment"));
  audit_text = desk_audit_text (f->server);
  g_assert_null (strstr (audit_text, SECRET));
  g_assert_nonnull (strstr (audit_text, "••••"));
  g_assert_true (g_file_get_contents (f->path, &file_text, NULL, &error));
  g_assert_null (strstr (file_text, SECRET));
  g_assert_nonnull (strstr (file_text, "smtp_host=mail.example.org"));
  g_assert_false (log_mentions (SECRET));

  desk_ws_wait (ws, "config", 1);
  event = desk_ws_event (ws, "config", 0);
  change = json_array_get_object_element (json_object_get_array_member (event, "changes"), 0);
  g_assert_cmpstr (json_object_get_string_member (change, "field"), ==, "notify.smtp_password");
  g_assert_cmpstr (json_object_get_string_member (change, "new"), ==, "••••");

  /* An empty secret is refused by name; null removes it. */
  {
    g_autoptr(JsonNode) refused = desk_expect (f->server, "PUT", "/api/v1/config/notify", NULL,
                                               "{\"smtp_password\":\"\",\"smtp_port\":0}", 422);
    g_autofree char *fields = problem_fields (refused);

    g_assert_cmpstr (fields, ==, "notify.smtp_port notify.smtp_password");
  }

  g_clear_pointer (&answer, json_node_unref);
  answer = desk_expect (f->server, "PUT", "/api/v1/config/notify", NULL, "{\"smtp_password\":null}", 200);
  g_assert_false (json_object_get_boolean_member (find_key (desk_object (answer), "smtp_password"), "set"));
  desk_ws_free (ws);
}

/* The non-secret values of every key, as one text. */
static char *
values_text (Fixture *f)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_keys;
  const BourseConfigKey *schema = bourse_config_get_schema (&n_keys);

  for (guint i = 0; i < n_keys; i++)
    g_string_append_printf (out, "%s.%s=%s\n", schema[i].section, schema[i].key,
                            bourse_config_get_string (f->server->config, schema[i].section, schema[i].key));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonNode *
import (Fixture    *f,
        const char *query,
        const char *text,
        guint       expected)
{
  g_autofree char *path = g_strconcat ("/api/v1/config/import", query, NULL);
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (f->server, "POST", path, NULL, "text/plain",
                                                              text, strlen (text));

  g_assert_cmpuint (response->status, ==, expected);
  return bourse_test_response_json (response);
}

static void
test_export_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) put = desk_expect (f->server, "PUT", "/api/v1/config/approvals", NULL,
                                         "{\"ttl\":900,\"four_eyes\":true}", 200);
  g_autoptr(JsonNode) put_rate = desk_expect (f->server, "PUT", "/api/v1/config/rate_limit", NULL,
                                              "{\"market_per_minute\":321}", 200);
  g_autoptr(BourseTestResponse) export = bourse_test_fetch (f->server, "POST", "/api/v1/config/export", NULL,
                                                            NULL, NULL, 0);
  g_autofree char *exported = g_strndup (g_bytes_get_data (export->body, NULL), g_bytes_get_size (export->body));
  g_autofree char *before = values_text (f);
  g_autofree char *after_edit = NULL;
  g_autofree char *after_dry = NULL;
  g_autofree char *after_import = NULL;
  g_autofree char *after_bad = NULL;
  g_autoptr(JsonNode) edit = NULL;
  g_autoptr(JsonNode) dry = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) garbage = NULL;
  g_autofree char *bad_fields = NULL;
  g_autofree char *garbage_fields = NULL;
  JsonArray *changes;
  guint audited;

  g_assert_cmpuint (export->status, ==, 200);
  g_assert_true (g_str_has_prefix (bourse_test_response_header (export, "Content-Type"), "text/plain"));
  g_assert_nonnull (strstr (exported, "[approvals]\nttl=900\nfour_eyes=true\n"));

  edit = desk_expect (f->server, "PUT", "/api/v1/config/approvals", NULL, "{\"ttl\":1800,\"four_eyes\":false}", 200);
  after_edit = values_text (f);
  g_assert_cmpstr (after_edit, !=, before);
  audited = n_audited (f);

  /* A dry run lists the changes and makes none. */
  dry = import (f, "?dry_run=true", exported, 200);
  changes = json_object_get_array_member (desk_object (dry), "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "field"), ==,
                   "approvals.ttl");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "old"), ==, "1800");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0), "new"), ==, "900");
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (changes, 0), "restart_required"));
  after_dry = values_text (f);
  g_assert_cmpstr (after_dry, ==, after_edit);
  g_assert_cmpuint (n_audited (f), ==, audited);

  /* The import gives back the configuration that was exported. */
  done = import (f, "", exported, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (desk_object (done), "changes")), ==, 2);
  after_import = values_text (f);
  g_assert_cmpstr (after_import, ==, before);
  g_assert_cmpuint (n_audited (f), ==, audited + 1);

  /* A bad file changes nothing and names its lines. */
  bad = import (f, "", "[approvals]\nttl=60000000\n[rate_limit]\nmarket_per_minute=5\n[nope]\nx=1\n", 422);
  bad_fields = problem_fields (bad);
  g_assert_cmpstr (bad_fields, ==, "line 2 line 6");
  garbage = import (f, "", "[approvals]\nttl 5\n", 422);
  garbage_fields = problem_fields (garbage);
  g_assert_cmpstr (garbage_fields, ==, "line 2");
  after_bad = values_text (f);
  g_assert_cmpstr (after_bad, ==, before);
  g_assert_cmpuint (n_audited (f), ==, audited + 1);
}

static gboolean
ttl_is (gpointer data)
{
  Fixture *f = data;

  return bourse_config_get_int (f->server->config, "approvals", "ttl") == 4200;
}

/* An edit of the file is seen and applied (actor "system"); a bad one is
 * refused with its line on "alerts", and the running configuration stays. */
static void
test_file_monitor (Fixture       *f,
                   gconstpointer  data)
{
  DeskWs *ws = desk_ws_connect (f->server, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) audit = NULL;
  GLogLevelFlags fatal;
  JsonObject *alert;

  desk_ws_subscribe (ws, "[\"config\",\"alerts\"]");
  g_file_set_contents (f->path, "# Kept by hand\n[approvals]\n# longer\nttl=4200\n", -1, &error);
  g_assert_no_error (error);
  bourse_test_wait_until (ttl_is, f, 30000, "the edited file applied");
  desk_ws_wait (ws, "config", 1);
  audit = desk_audit (f->server, "config.change");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (audit), 0),
                                                  "actor"), ==, "system");

  /* The refusal is a warning, logged once per event the monitor sees. */
  fatal = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_file_set_contents (f->path, "[approvals]\nttl=5000\nfour_eyes=perhaps\n", -1, &error);
  g_assert_no_error (error);
  desk_ws_wait (ws, "alerts", 1);
  alert = desk_ws_event (ws, "alerts", 0);
  g_assert_cmpstr (json_object_get_string_member (alert, "type"), ==, "config");
  g_assert_nonnull (strstr (json_object_get_string_member (alert, "reason"), "line 3"));
  g_assert_cmpint (bourse_config_get_int (f->server->config, "approvals", "ttl"), ==, 4200);
  g_assert_true (log_mentions ("line 3"));
  g_log_set_always_fatal (fatal);
  desk_ws_free (ws);
}

static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const routes[][3] = {
    { "GET", "/api/v1/config", NULL },
    { "GET", "/api/v1/config/server", NULL },
    { "PUT", "/api/v1/config/approvals", "{\"ttl\":120}" },
    { "POST", "/api/v1/config/export", NULL },
    { "POST", "/api/v1/config/import", "{}" },
  };
  const char *roles[] = { "viewer", "trader" };

  for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
    {
      g_autofree char *name = g_strdup_printf ("cfg%s", roles[r]);
      g_autofree char *token = NULL;

      desk_create_user (f->server, name, roles[r]);
      token = desk_login (f->server, name, roles[r]);
      for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
        {
          guint status;
          g_autoptr(JsonNode) answer = desk_fetch (f->server, routes[i][0], routes[i][1], token, routes[i][2],
                                                   &status);

          g_test_message ("%s %s as %s", routes[i][0], routes[i][1], roles[r]);
          g_assert_cmpuint (status, ==, 403);
        }
    }
  g_assert_cmpint (bourse_config_get_int (f->server->config, "approvals", "ttl"), ==, 3600);
}

int
main (int   argc,
      char *argv[])
{
  log_text = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/config-api/get-shapes", test_get_shapes);
  ADD ("/config-api/put-invalid", test_put_invalid);
  ADD ("/config-api/put-applies", test_put_applies);
  ADD ("/config-api/secrets", test_secrets);
  ADD ("/config-api/export-import", test_export_import);
  ADD ("/config-api/file-monitor", test_file_monitor);
  ADD ("/config-api/permissions", test_permissions);
#undef ADD

  return g_test_run ();
}
