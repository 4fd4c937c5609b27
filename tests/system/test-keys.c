/* test-keys.c — `boursed keys rotate` ends the old key's tokens in a
 * running boursed
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "boursed-test-util.h"

#define PASSWORD "correct horse battery staple"

/* `boursed ARGS…` to its end, which must succeed; its standard output. */
static char *
run_boursed (BoursedFixture     *f,
             const char * const *args)
{
  g_auto(BoursedCommand) command = { 0 };

  boursed_run (f, NULL, args, NULL, &command);
  g_assert_cmpint (command.status, ==, 0);
  return g_steal_pointer (&command.out);
}

static char *
member (JsonNode   *node,
        const char *name)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return g_strdup (json_object_get_string_member (json_node_get_object (node), name));
}

/* Signed in to a running boursed; `boursed keys rotate` on its data
 * directory; the access token signed before is refused at once, without
 * a restart. The session goes on: its refresh token gets an access token
 * signed with the new key, and signing in works as before. */
static void
test_rotate_running (BoursedFixture *f,
                     gconstpointer   data)
{
  const char *serve[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  const char *rotate[] = { "keys", "rotate", "--data-dir", f->data_dir, NULL };
  const char *verify[] = { "audit", "verify", "--data-dir", f->data_dir, NULL };
  const char *credentials = "{\"username\":\"alice\",\"password\":\"" PASSWORD "\"}";
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(BoursedDaemon) daemon = NULL;
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(JsonNode) refreshed = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *old_access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *refresh_body = NULL;
  g_autofree char *new_access = NULL;
  g_autofree char *signed_in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *verdict = NULL;

  boursed_add_user (f, "alice", "admin", PASSWORD);
  daemon = boursed_daemon_start (f, NULL, serve);

  g_assert_cmpuint (boursed_call (session, daemon->port, "POST", "/api/v1/auth/login", NULL, credentials, &tokens), ==, 200);
  old_access = member (tokens, "access_token");
  refresh = member (tokens, "refresh_token");
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/users/me", old_access, NULL, NULL), ==, 200);

  out = run_boursed (f, rotate);
  g_assert_nonnull (strstr (out, "New signing key in place"));

  /* At once: the next request with the old token. */
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/users/me", old_access, NULL, &refused), ==, 401);
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/instruments", old_access, NULL, NULL), ==, 401);

  refresh_body = g_strdup_printf ("{\"refresh_token\":\"%s\"}", refresh);
  g_assert_cmpuint (boursed_call (session, daemon->port, "POST", "/api/v1/auth/refresh", NULL, refresh_body, &refreshed), ==, 200);
  new_access = member (refreshed, "access_token");
  g_assert_cmpstr (new_access, !=, old_access);
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/users/me", new_access, NULL, NULL), ==, 200);
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/users/me", old_access, NULL, NULL), ==, 401);

  g_assert_cmpuint (boursed_call (session, daemon->port, "POST", "/api/v1/auth/login", NULL, credentials, &again), ==, 200);
  signed_in = member (again, "access_token");
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/users/me", signed_in, NULL, NULL), ==, 200);

  /* A second rotation ends the tokens of the first one's key as well. */
  g_free (run_boursed (f, rotate));
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/users/me", signed_in, NULL, NULL), ==, 401);
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/users/me", new_access, NULL, NULL), ==, 401);

  boursed_daemon_stop (daemon, SIGTERM);

  /* Both rotations are in the audit trail, which holds. */
  verdict = run_boursed (f, verify);
  g_assert_nonnull (strstr (verdict, "intact"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (boursed_test_init () == NULL)
    return 1;

  g_test_add ("/keys/rotate-running", BoursedFixture, NULL, boursed_fixture_set_up, test_rotate_running,
              boursed_fixture_tear_down);

  return g_test_run ();
}
