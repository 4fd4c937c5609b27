/* test-api-cli.c — `boursed api`, the command line's API client, against a real boursed
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "boursed-test-util.h"

#define PASSWORD "correct horse battery staple"

typedef struct
{
  BoursedFixture *f;
  char           *client_dir;   /* where the client keeps its key: not the server's */
} Client;

/* `boursed api ARGS… --data-dir CLIENT` with @input on standard input. */
static void
api (Client             *client,
     const char * const *extra_env,
     const char * const *args,
     const char         *input,
     BoursedCommand     *command)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) "api");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, (char *) "--data-dir");
  g_ptr_array_add (argv, client->client_dir);
  g_ptr_array_add (argv, NULL);
  boursed_run (client->f, extra_env, (const char * const *) argv->pdata, input, command);
  g_test_message ("boursed api %s → %d\n%s%s", args[0], command->status, command->out, command->err);
}

static JsonObject *
parse_object (const char *text,
              JsonNode  **root)
{
  g_autoptr(GError) error = NULL;

  *root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root));
  return json_node_get_object (*root);
}

static void
test_api_client (BoursedFixture *f,
                 gconstpointer   data)
{
  const char *serve[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(BoursedDaemon) daemon = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *access = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key = NULL;
  g_autofree char *key_line = NULL;
  g_autofree char *body_file = NULL;
  g_autofree char *at_file = NULL;
  g_autofree char *env_url = NULL;
  g_autofree char *env_key = NULL;
  Client client = { f, g_build_filename (f->dir, "client", NULL) };

  boursed_add_user (f, "alice", "trader", PASSWORD);
  daemon = boursed_daemon_start (f, NULL, serve);
  url = g_strdup_printf ("http://127.0.0.1:%u/", daemon->port);
  access = boursed_login (session, daemon->port, "alice", PASSWORD);
  created = boursed_http_expect (session, daemon->port, "POST", "/api/v1/api-keys", access,
                                 "{\"name\":\"scripts\"}", 201);
  key = g_strdup (json_object_get_string_member (json_node_get_object (created), "key"));
  key_line = g_strconcat (key, "\n", NULL);

  /* Nothing kept yet: it says how to sign in. */
  {
    const char *args[] = { "GET", "/api/v1/version", NULL };
    g_auto(BoursedCommand) command = { 0 };

    api (&client, NULL, args, NULL, &command);
    g_assert_cmpint (command.status, ==, 2);
    g_assert_nonnull (strstr (command.err, "boursed api login"));
  }

  /* A key the server refuses is not kept. */
  {
    const char *login[] = { "login", "--url", url, NULL };
    const char *args[] = { "GET", "/api/v1/version", NULL };
    g_auto(BoursedCommand) refused = { 0 };
    g_auto(BoursedCommand) command = { 0 };

    api (&client, NULL, login, "bk_not-a-key\n", &refused);
    g_assert_cmpint (refused.status, ==, 1);
    api (&client, NULL, args, NULL, &command);
    g_assert_cmpint (command.status, ==, 2);
  }

  {
    const char *login[] = { "login", "--url", url, NULL };
    g_auto(BoursedCommand) command = { 0 };

    api (&client, NULL, login, key_line, &command);
    g_assert_cmpint (command.status, ==, 0);
  }

  /* Answers on standard output as JSON; a short path is under /api/v1/. */
  {
    const char *args[] = { "GET", "version", NULL };
    g_auto(BoursedCommand) command = { 0 };
    g_autoptr(JsonNode) root = NULL;

    api (&client, NULL, args, NULL, &command);
    g_assert_cmpint (command.status, ==, 0);
    g_assert_cmpstr (json_object_get_string_member (parse_object (command.out, &root), "api"), ==, "v1");
    g_assert_nonnull (strstr (command.out, "\n  \"api\""));   /* pretty */
  }

  /* A body given inline and from a file. */
  {
    const char *args[] = { "PATCH", "/api/v1/users/me", "--data", "{\"email\":\"alice@example.org\"}", NULL };
    g_auto(BoursedCommand) command = { 0 };
    g_autoptr(JsonNode) root = NULL;

    api (&client, NULL, args, NULL, &command);
    g_assert_cmpint (command.status, ==, 0);
    g_assert_cmpstr (json_object_get_string_member (parse_object (command.out, &root), "email"), ==,
                     "alice@example.org");
  }
  {
    g_auto(BoursedCommand) command = { 0 };
    g_autoptr(JsonNode) root = NULL;
    const char *args[] = { "PATCH", "/api/v1/users/me", "--data", NULL, NULL };

    body_file = g_build_filename (f->dir, "me.json", NULL);
    g_assert_true (g_file_set_contents (body_file, "{\"email\":\"alice@example.net\"}", -1, NULL));
    at_file = g_strconcat ("@", body_file, NULL);
    args[3] = at_file;
    api (&client, NULL, args, NULL, &command);
    g_assert_cmpint (command.status, ==, 0);
    g_assert_cmpstr (json_object_get_string_member (parse_object (command.out, &root), "email"), ==,
                     "alice@example.net");
  }

  /* A problem document goes to standard error, with exit status 1. */
  {
    const char *args[] = { "POST", "/api/v1/orders", "--data", "{\"symbol\":\"BTCUSDT\"}", NULL };
    g_auto(BoursedCommand) command = { 0 };
    g_autoptr(JsonNode) root = NULL;
    JsonObject *problem;

    api (&client, NULL, args, NULL, &command);
    g_assert_cmpint (command.status, ==, 1);
    g_assert_cmpstr (command.out, ==, "");
    problem = parse_object (command.err, &root);
    g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, 422);
  }
  {
    const char *args[] = { "GET", "/api/v1/users", NULL };   /* a trader's key: 403 */
    g_auto(BoursedCommand) command = { 0 };
    g_autoptr(JsonNode) root = NULL;

    api (&client, NULL, args, NULL, &command);
    g_assert_cmpint (command.status, ==, 1);
    g_assert_cmpint (json_object_get_int_member (parse_object (command.err, &root), "status"), ==, 403);
  }

  /* Forgotten; then the environment alone. */
  {
    const char *logout[] = { "logout", NULL };
    const char *args[] = { "GET", "/api/v1/version", NULL };
    g_auto(BoursedCommand) out = { 0 };
    g_auto(BoursedCommand) command = { 0 };
    g_auto(BoursedCommand) from_env = { 0 };
    const char *env[] = { NULL, NULL, NULL };

    api (&client, NULL, logout, NULL, &out);
    g_assert_cmpint (out.status, ==, 0);
    api (&client, NULL, args, NULL, &command);
    g_assert_cmpint (command.status, ==, 2);

    env[0] = env_url = g_strconcat ("BOURSE_URL=", url, NULL);
    env[1] = env_key = g_strconcat ("BOURSE_API_KEY=", key, NULL);
    api (&client, env, args, NULL, &from_env);
    g_assert_cmpint (from_env.status, ==, 0);
  }

  boursed_daemon_stop (daemon, SIGTERM);
  g_free (client.client_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (boursed_test_init () == NULL)
    return 1;

  g_test_add ("/api-cli/client", BoursedFixture, NULL, boursed_fixture_set_up, test_api_client,
              boursed_fixture_tear_down);

  return g_test_run ();
}
