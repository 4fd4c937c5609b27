/* test-config-reload.c — a running boursed re-reads its configuration file on SIGHUP
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An edit of the file is applied without a restart (the environment still
 * winning over the file); a bad edit is refused with its line in the log and
 * the running configuration stays. `boursed config check` accepts what
 * `boursed config export` prints.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "boursed-test-util.h"

#define PASSWORD "correct horse battery staple"

typedef struct
{
  SoupSession   *session;
  BoursedDaemon *daemon;
  const char    *token;
  const char    *key;
  const char    *expected;    /* the value as JSON text */
  const char    *log_text;    /* or: the log mentions this */
} Probe;

/* The value of approvals.@key as JSON text. */
static char *
approvals_value (Probe *probe)
{
  guint status = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = boursed_http (probe->session, probe->daemon->port, "GET", "/api/v1/config/approvals",
                                           NULL, probe->token, NULL, NULL, &status, &error);
  JsonArray *keys;

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  keys = json_object_get_array_member (json_node_get_object (node), "keys");
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *item = json_array_get_object_element (keys, i);

      if (g_strcmp0 (json_object_get_string_member (item, "key"), probe->key) == 0)
        return json_to_string (json_object_get_member (item, "value"), FALSE);
    }
  g_error ("no key approvals.%s", probe->key);
}

static gboolean
value_is (gpointer data)
{
  Probe *probe = data;
  g_autofree char *value = approvals_value (probe);

  return g_str_equal (value, probe->expected);
}

static gboolean
log_mentions (gpointer data)
{
  Probe *probe = data;
  g_autofree char *log = boursed_daemon_log (probe->daemon);

  return strstr (log, probe->log_text) != NULL;
}

static void
write_file (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_sighup (BoursedFixture *f,
             gconstpointer   data)
{
  g_autofree char *path = g_build_filename (f->dir, "bourse.conf", NULL);
  const char *serve[] = { "serve", "--port", "0", "--data-dir", f->data_dir, "--config", path, NULL };
  const char *env[] = { "BOURSE_APPROVALS_TTL=700", "BOURSE_SIMULATED_ENABLED=false", NULL };
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(BoursedDaemon) daemon = NULL;
  g_autofree char *token = NULL;
  g_autofree char *ttl = NULL;
  g_autofree char *eyes = NULL;
  Probe probe;

  write_file (path, "# Ours\n[approvals]\nfour_eyes=false\nttl=900\n");
  boursed_add_user (f, "alice", "admin", PASSWORD);
  daemon = boursed_daemon_start (f, env, serve);
  token = boursed_login (session, daemon->port, "alice", PASSWORD);
  probe = (Probe) { session, daemon, token, "four_eyes", "false", NULL };
  g_assert_true (value_is (&probe));

  /* The edit applies; the environment's ttl still wins over the file's. */
  write_file (path, "# Ours\n[approvals]\nfour_eyes=true\nttl=1200\nexpiry_check=45\n");
  kill (daemon->pid, SIGHUP);
  probe.log_text = "Reloading the configuration";
  g_assert_true (boursed_poll (log_mentions, &probe, BOURSED_COMMAND_TIMEOUT_S));
  probe.expected = "true";
  g_assert_true (boursed_poll (value_is, &probe, BOURSED_COMMAND_TIMEOUT_S));
  probe.key = "ttl";
  ttl = approvals_value (&probe);
  g_assert_cmpstr (ttl, ==, "700");

  /* A bad edit: refused with its line, and nothing changes. */
  write_file (path, "# Ours\n[approvals]\nfour_eyes=false\nttl=1200\nexpiry_check=never\n");
  kill (daemon->pid, SIGHUP);
  probe.log_text = "line 5";
  g_assert_true (boursed_poll (log_mentions, &probe, BOURSED_COMMAND_TIMEOUT_S));
  probe.key = "four_eyes";
  eyes = approvals_value (&probe);
  g_assert_cmpstr (eyes, ==, "true");

  boursed_daemon_stop (daemon, SIGTERM);
}

/* What `config export` prints, `config check` accepts. */
static void
test_export_checks (BoursedFixture *f,
                    gconstpointer   data)
{
  g_autofree char *path = g_build_filename (f->dir, "bourse.conf", NULL);
  g_autofree char *exported = g_build_filename (f->dir, "exported.conf", NULL);
  const char *export[] = { "config", "export", "--config", path, "--port", "9123", NULL };
  const char *check[] = { "config", "check", exported, NULL };
  const char *env[] = { "BOURSE_NOTIFY_SMTP_PASSWORD=hunter2-hunter2", NULL };
  g_auto(BoursedCommand) out = { 0 };
  g_auto(BoursedCommand) verdict = { 0 };

  write_file (path, "[approvals]\nfour_eyes=true\n[notify]\nemail_transport=smtp\n");
  boursed_run (f, env, export, NULL, &out);
  g_assert_cmpint (out.status, ==, 0);
  g_assert_nonnull (strstr (out.out, "[server]\nport=9123\n"));
  g_assert_nonnull (strstr (out.out, "four_eyes=true\n"));
  g_assert_nonnull (strstr (out.out, "# smtp_password: secret, set\n"));
  g_assert_null (strstr (out.out, "hunter2"));

  write_file (exported, out.out);
  boursed_run (f, NULL, check, NULL, &verdict);
  g_assert_cmpint (verdict.status, ==, 0);
  g_assert_nonnull (strstr (verdict.out, "configuration is valid"));
}

/* Whether notify.smtp_password is set, as a running boursed reports it. */
static gboolean
smtp_password_set (SoupSession   *session,
                   BoursedDaemon *daemon,
                   const char    *token)
{
  g_autoptr(JsonNode) node = boursed_http_expect (session, daemon->port, "GET", "/api/v1/config/notify", token,
                                                  NULL, 200);
  JsonArray *keys = json_object_get_array_member (json_node_get_object (node), "keys");

  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *item = json_array_get_object_element (keys, i);

      if (g_strcmp0 (json_object_get_string_member (item, "key"), "smtp_password") == 0)
        {
          g_assert_true (json_object_get_null_member (item, "value"));
          return json_object_get_boolean_member (item, "set");
        }
    }
  g_error ("no key notify.smtp_password");
}

/* A secret setting from standard input, before anyone can sign in: kept in
 * the secrets store, seen as set (never shown) by the server, audited
 * masked; removed the same way. Only secret settings are taken. */
static void
test_set_secret (BoursedFixture *f,
                 gconstpointer   data)
{
  const char *serve[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  const char *set[] = { "config", "set-secret", "notify.smtp_password", "--data-dir", f->data_dir, NULL };
  const char *clear[] = { "config", "clear-secret", "notify.smtp_password", "--data-dir", f->data_dir, NULL };
  const char *not_secret[] = { "config", "set-secret", "notify.smtp_host", "--data-dir", f->data_dir, NULL };
  const char *export[] = { "config", "export", "--data-dir", f->data_dir, NULL };
  const char *env[] = { "BOURSE_SIMULATED_ENABLED=false", NULL };
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(BoursedDaemon) daemon = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_auto(BoursedCommand) stored = { 0 };
  g_auto(BoursedCommand) refused = { 0 };
  g_auto(BoursedCommand) exported = { 0 };
  g_auto(BoursedCommand) removed = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *audit_text = NULL;
  g_autofree char *log = NULL;

  boursed_add_user (f, "alice", "admin", PASSWORD);
  boursed_run (f, env, set, "hunter2-hunter2\n", &stored);
  g_assert_cmpint (stored.status, ==, 0);
  boursed_run (f, env, export, NULL, &exported);
  g_assert_cmpint (exported.status, ==, 0);
  g_assert_nonnull (strstr (exported.out, "# smtp_password: secret, set\n"));
  g_assert_null (strstr (exported.out, "hunter2"));
  boursed_run (f, env, not_secret, "smtp.example.org\n", &refused);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "not a secret"));

  daemon = boursed_daemon_start (f, env, serve);
  token = boursed_login (session, daemon->port, "alice", PASSWORD);
  g_assert_true (smtp_password_set (session, daemon, token));
  audit = boursed_http_expect (session, daemon->port, "GET", "/api/v1/audit?action=config.change", token, NULL, 200);
  audit_text = json_to_string (audit, FALSE);
  g_assert_nonnull (strstr (audit_text, "notify.smtp_password"));
  g_assert_null (strstr (audit_text, "hunter2"));
  boursed_daemon_stop (daemon, SIGTERM);
  log = boursed_daemon_log (daemon);
  g_assert_null (strstr (log, "hunter2"));
  g_clear_pointer (&daemon, boursed_daemon_free);

  boursed_run (f, env, clear, NULL, &removed);
  g_assert_cmpint (removed.status, ==, 0);
  daemon = boursed_daemon_start (f, env, serve);
  g_clear_pointer (&token, g_free);
  token = boursed_login (session, daemon->port, "alice", PASSWORD);
  g_assert_false (smtp_password_set (session, daemon, token));
  boursed_daemon_stop (daemon, SIGTERM);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (boursed_test_init () == NULL)
    return 1;

  g_test_add ("/config-reload/sighup", BoursedFixture, NULL, boursed_fixture_set_up, test_sighup,
              boursed_fixture_tear_down);
  g_test_add ("/config-reload/set-secret", BoursedFixture, NULL, boursed_fixture_set_up, test_set_secret,
              boursed_fixture_tear_down);
  g_test_add ("/config-reload/export-checks", BoursedFixture, NULL, boursed_fixture_set_up, test_export_checks,
              boursed_fixture_tear_down);

  return g_test_run ();
}
