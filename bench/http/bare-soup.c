/* bare-soup.c — the floor for bench/http/run.sh: a libsoup server with
 * nothing of Bourse in it, answering a small fixed JSON body on /health
 *
 * Usage: bench-bare-soup [--same-bytes BODY]
 *
 * With --same-bytes it answers BODY (boursed's own /health answer) with
 * the header fields boursed sends on /health, their values constants of
 * the same length: the same bytes on the wire, so that the comparison is
 * of the work behind them. Without it, the fields libsoup writes alone.
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib-unix.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <sys/socket.h>
#include <string.h>

/* About the size of boursed's /health answer. */
static const char health_body[] =
  "{\"status\":\"ok\",\"version\":\"0.1.0\",\"uptime_seconds\":1,"
  "\"database\":{\"ok\":true,\"schema_version\":1}}";

/* Set by --same-bytes: the body and whether to send boursed's fields. */
static const char *answer_body = health_body;
static gboolean     same_bytes;

static void
health_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  const char *method = soup_server_message_get_method (message);

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_server_message_set_status (message, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  if (same_bytes)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

      /* What boursed sends besides libsoup's Server, Date, Content-Type
       * and Content-Length (docs/API.md): values of the same length. */
      soup_message_headers_append (headers, "X-Content-Type-Options", "nosniff");
      soup_message_headers_append (headers, "Vary", "Origin, Accept-Encoding");
      soup_message_headers_append (headers, "ETag", "\"00000000000000000000000000000000\"");
      soup_message_headers_append (headers, "X-Request-ID", "00000000-0000-4000-8000-000000000000");
    }
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                    answer_body, strlen (answer_body));
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  /* Our own socket on 127.0.0.1:0: soup_server_get_uris () leaks in libsoup 3.2.3. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  /* The kernel's largest listen queue, as boursed and uvicorn ask for one:
   * the floor is measured with the same room for a burst of clients. */
  if (socket != NULL)
    g_socket_set_listen_backlog (socket, SOMAXCONN);
  if (socket == NULL
      || !g_socket_bind (socket, address, TRUE, &error)
      || !g_socket_listen (socket, &error))
    {
      g_printerr ("bench-bare-soup: %s\n", error->message);
      return 1;
    }
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  if (argc == 3 && g_str_equal (argv[1], "--same-bytes"))
    {
      answer_body = argv[2];
      same_bytes = TRUE;
    }
  else if (argc != 1)
    {
      g_printerr ("Usage: bench-bare-soup [--same-bytes BODY]\n");
      return 2;
    }

  /* boursed's Server field, with --same-bytes. */
  server = soup_server_new ("server-header", same_bytes ? "bourse" : "bench-bare-soup ", NULL);
  soup_server_add_handler (server, "/health", health_cb, NULL, NULL);
  if (!soup_server_listen_socket (server, socket, 0, &error))
    {
      g_printerr ("bench-bare-soup: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  /* The same line as boursed serve, so run.sh reads both alike. */
  g_print ("Listening on http://127.0.0.1:%u/\n",
           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  fflush (stdout);

  g_main_loop_run (loop);
  soup_server_disconnect (server);
  return 0;
}
