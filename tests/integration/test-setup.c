/* test-setup.c — the first run's one-time setup address and POST /api/v1/setup
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bourse-test-server.h"

#define PASSWORD "a long and winding road 42"

static const char * const settings[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  "rate_limit", "enabled", "false",
  NULL
};

static const char * const anonymous[] = { "Authorization", "", NULL };

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static gboolean
setup_needed (BourseTestServer *server)
{
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "GET", "/api/v1/setup", anonymous,
                                                              NULL, NULL, 0);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  node = bourse_test_response_json (response);
  return json_object_get_boolean_member (object_of (node), "needed");
}

/* POST /api/v1/setup as nobody; the answer's status, and its first
 * field error's field in *field (owned) when it has one. */
static guint
post_setup (BourseTestServer  *server,
            const char        *token,
            const char        *username,
            const char        *password,
            JsonNode         **answer)
{
  g_autofree char *body = g_strdup_printf ("{\"token\":\"%s\",\"username\":\"%s\",\"password\":\"%s\"}",
                                           token, username, password);
  g_autoptr(BourseTestResponse) response = bourse_test_fetch (server, "POST", "/api/v1/setup", anonymous,
                                                              "application/json", body, -1);

  if (answer != NULL)
    *answer = bourse_test_response_json (response);
  return response->status;
}

static const char *
first_field (JsonNode *problem)
{
  JsonArray *errors = json_object_get_array_member (object_of (problem), "errors");

  g_assert_cmpuint (json_array_get_length (errors), >=, 1);
  return json_object_get_string_member (json_array_get_object_element (errors, 0), "field");
}

/* Without a setup address (the desktop's embedded engine never asks for
 * one) there is nothing to set up, whatever the token. */
static void
test_not_opened (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_false (setup_needed (server));
  g_assert_cmpuint (post_setup (server, "anything", "alice", PASSWORD, &answer), ==, 409);
  g_assert_cmpstr (first_field (answer), ==, "token");

  bourse_test_server_free (server);
}

static void
test_first_run (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = bourse_server_open_setup (server->server, &error);
  g_autofree char *prefix = g_strconcat (server->base_url, "setup#token=", NULL);
  g_autofree char *bearer = NULL;
  g_autofree char *audit_path = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) audit = NULL;
  g_autoptr(BourseTestResponse) page = NULL;
  g_autoptr(BourseTestResponse) response = NULL;
  g_autoptr(BourseTestResponse) login = NULL;
  const char *token;
  JsonObject *tokens;
  JsonArray *items;
  gint64 user_id;

  g_assert_no_error (error);
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, prefix));
  token = url + strlen (prefix);
  g_assert_cmpuint (strlen (token), >=, 22);   /* 128 bits at least, base64 */
  g_assert_true (setup_needed (server));

  /* The console's page is served at /setup: it reads #token itself. */
  page = bourse_test_fetch (server, "GET", "/setup", anonymous, NULL, NULL, 0);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_true (g_str_has_prefix (bourse_test_response_header (page, "Content-Type"), "text/html"));

  g_assert_cmpuint (post_setup (server, "not-the-token", "alice", PASSWORD, &answer), ==, 403);
  g_assert_cmpstr (first_field (answer), ==, "token");
  g_clear_pointer (&answer, json_node_unref);

  /* Registration's rules; a refusal leaves the address usable. */
  g_assert_cmpuint (post_setup (server, token, "A!", PASSWORD, &answer), ==, 422);
  g_assert_cmpstr (first_field (answer), ==, "username");
  g_clear_pointer (&answer, json_node_unref);
  g_assert_cmpuint (post_setup (server, token, "alice", "short", &answer), ==, 422);
  g_assert_cmpstr (first_field (answer), ==, "password");
  g_clear_pointer (&answer, json_node_unref);
  g_assert_true (setup_needed (server));

  /* Signed in as POST /auth/login signs in. */
  g_assert_cmpuint (post_setup (server, token, "alice", PASSWORD, &answer), ==, 201);
  tokens = object_of (answer);
  g_assert_cmpstr (json_object_get_string_member (tokens, "token_type"), ==, "Bearer");
  g_assert_nonnull (json_object_get_string_member (tokens, "refresh_token"));
  g_assert_cmpint (json_object_get_int_member (tokens, "expires_in"), >, 0);
  g_assert_cmpuint (json_object_get_size (tokens), ==, 4);

  bearer = g_strconcat ("Bearer ", json_object_get_string_member (tokens, "access_token"), NULL);
  {
    const char * const headers[] = { "Authorization", bearer, NULL };

    response = bourse_test_fetch (server, "GET", "/api/v1/users/me", headers, NULL, NULL, 0);
  }
  g_assert_cmpuint (response->status, ==, 200);
  me = bourse_test_response_json (response);
  g_assert_cmpstr (json_object_get_string_member (object_of (me), "username"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (object_of (me), "role"), ==, "admin");
  g_assert_cmpstr (json_object_get_string_member (object_of (me), "status"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (object_of (me), "email"), ==, "alice@localhost.invalid");
  user_id = json_object_get_int_member (object_of (me), "id");

  login = bourse_test_fetch (server, "POST", "/api/v1/auth/login", anonymous, "application/json",
                             "{\"username\":\"alice\",\"password\":\"" PASSWORD "\"}", -1);
  g_assert_cmpuint (login->status, ==, 200);

  /* Once. */
  g_clear_pointer (&answer, json_node_unref);
  g_assert_cmpuint (post_setup (server, token, "bob", PASSWORD, &answer), ==, 409);
  g_assert_cmpstr (first_field (answer), ==, "token");
  g_assert_false (setup_needed (server));

  /* Its audit entry names the account it made. */
  audit_path = g_strdup_printf ("/api/v1/audit?action=user.setup");
  g_clear_pointer (&response, bourse_test_response_free);
  response = bourse_test_fetch (server, "GET", audit_path, NULL, NULL, NULL, 0);
  g_assert_cmpuint (response->status, ==, 200);
  audit = bourse_test_response_json (response);
  items = json_object_get_array_member (object_of (audit), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  {
    JsonObject *entry = json_array_get_object_element (items, 0);
    g_autofree char *target = g_strdup_printf ("user:%" G_GINT64_FORMAT, user_id);

    g_assert_cmpstr (json_object_get_string_member (entry, "target"), ==, target);
    g_assert_cmpstr (json_object_get_string_member (entry, "actor"), ==, target);
  }

  /* An account exists: no new address, even asked again. */
  g_clear_pointer (&url, g_free);
  url = bourse_server_open_setup (server->server, &error);
  g_assert_no_error (error);
  g_assert_null (url);

  bourse_test_server_free (server);
}

/* A restart forgets the token: the address of the last process is dead. */
static void
test_restart_forgets (void)
{
  BourseTestServer *server = bourse_test_server_new (TRUE, settings);
  g_autofree char *url = bourse_server_open_setup (server->server, NULL);
  g_autofree char *again = NULL;
  const char *token = strstr (url, "#token=") + strlen ("#token=");

  bourse_test_server_restart (server);
  g_assert_false (setup_needed (server));
  g_assert_cmpuint (post_setup (server, token, "alice", PASSWORD, NULL), ==, 409);

  again = bourse_server_open_setup (server->server, NULL);
  g_assert_nonnull (again);
  g_assert_cmpstr (again, !=, url);
  g_assert_cmpuint (post_setup (server, token, "alice", PASSWORD, NULL), ==, 403);

  bourse_test_server_free (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/setup/not-opened", test_not_opened);
  g_test_add_func ("/setup/first-run", test_first_run);
  g_test_add_func ("/setup/restart-forgets", test_restart_forgets);

  return g_test_run ();
}
