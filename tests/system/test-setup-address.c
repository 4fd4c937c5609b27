/* test-setup-address.c — a real boursed on an empty data directory prints its
 * setup address, which makes the first administrator once
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "boursed-test-util.h"

#define PASSWORD "correct horse battery staple"

static gboolean
needed (SoupSession *session,
        guint        port)
{
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (boursed_call (session, port, "GET", "/api/v1/setup", NULL, NULL, &answer), ==, 200);
  return json_object_get_boolean_member (json_node_get_object (answer), "needed");
}

/* What boursed printed after its Listening line, to its end: it has stopped. */
static char *
rest_of_output (BoursedDaemon *daemon)
{
  g_autoptr(GString) rest = g_string_new (NULL);
  char *line;

  boursed_daemon_stop (daemon, SIGTERM);
  while ((line = boursed_daemon_read_line (daemon)) != NULL)
    {
      g_string_append_printf (rest, "%s\n", line);
      g_free (line);
    }
  return g_string_free (g_steal_pointer (&rest), FALSE);
}

static void
test_setup_address (BoursedFixture *f,
                    gconstpointer   data)
{
  const char *serve[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20, NULL);
  g_autoptr(BoursedDaemon) daemon = NULL;
  g_autoptr(BoursedDaemon) again = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *rest_again = NULL;
  g_autofree char *signed_in = NULL;
  const char *access;

  daemon = boursed_daemon_start (f, NULL, serve);
  line = boursed_daemon_read_line (daemon);
  g_assert_nonnull (line);
  regex = g_regex_new ("^Set up Bourse: http://127\\.0\\.0\\.1:([0-9]+)/setup#token=([A-Za-z0-9_-]{22,})$", 0, 0,
                       &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, line, 0, &match))
    g_error ("unexpected second line: '%s'", line);
  port = g_match_info_fetch (match, 1);
  token = g_match_info_fetch (match, 2);
  g_assert_cmpuint (g_ascii_strtoull (port, NULL, 10), ==, daemon->port);

  g_assert_true (needed (session, daemon->port));
  body = g_strdup_printf ("{\"token\":\"%s\",\"username\":\"owner\",\"password\":\"" PASSWORD "\","
                          "\"email\":\"owner@example.org\"}", token);
  g_assert_cmpuint (boursed_call (session, daemon->port, "POST", "/api/v1/setup", NULL, body, &tokens), ==, 201);
  access = json_object_get_string_member (json_node_get_object (tokens), "access_token");
  g_assert_cmpuint (boursed_call (session, daemon->port, "GET", "/api/v1/users/me", access, NULL, &me), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (me), "role"), ==, "admin");
  g_assert_false (needed (session, daemon->port));
  g_assert_cmpuint (boursed_call (session, daemon->port, "POST", "/api/v1/setup", NULL, body, NULL), ==, 409);

  rest = rest_of_output (daemon);
  g_assert_null (strstr (rest, "Set up Bourse"));

  /* An account exists: no address on the next start. */
  again = boursed_daemon_start (f, NULL, serve);
  g_assert_false (needed (session, again->port));
  signed_in = boursed_login (session, again->port, "owner", PASSWORD);
  g_assert_nonnull (signed_in);
  rest_again = rest_of_output (again);
  g_assert_null (strstr (rest_again, "Set up Bourse"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (boursed_test_init () == NULL)
    return 1;

  g_test_add ("/first-run/setup-address", BoursedFixture, NULL, boursed_fixture_set_up, test_setup_address,
              boursed_fixture_tear_down);

  return g_test_run ();
}
