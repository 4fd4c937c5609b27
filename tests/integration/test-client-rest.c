/* test-client-rest.c — BourseClient's REST answers, big ones parsed off the caller's thread
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A local HTTP server in a thread of its own serves answers of a few bytes
 * and of a megabyte. The client parses the big ones in a worker thread
 * (bench/desktop: a chart's candles held the window's main loop for
 * hundreds of ms); what its callers see must not change: the callback on
 * the context that was thread-default at the call, the same node, the same
 * errors with their problem body, and a cancelled call answered as
 * cancelled, once, whether the cancel came while the answer was read or
 * while it was parsed.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "client/bourse-client.h"

#define TIMEOUT_US  (60 * G_USEC_PER_SEC)
/* A megabyte: far above the client's threshold (32 KiB), yet quick under ASan. */
#define BIG_ITEMS   20000

typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GThread      *thread;
  char         *url;
  GMutex        lock;
  GCancellable *cancel_when_sent;  /* cancelled on cancel_context once sent */
  GMainContext *cancel_context;    /* the client's */
  guint         n_sent;
} Server;

static char *
big_array (guint n_items)
{
  GString *text = g_string_new ("[");

  for (guint i = 0; i < n_items; i++)
    g_string_append_printf (text, "%s{\"id\":%u,\"close\":\"%u.25\",\"name\":\"item %u\"}",
                            i > 0 ? "," : "", i, i, i);
  g_string_append_c (text, ']');

  return g_string_free (text, FALSE);
}

/* Cancellations happen on the client's own thread, as a caller's would:
 * a cancellable's handlers run on the thread that cancels it, and
 * libsoup's must not run beside the session's thread (libsoup crashed
 * under ASan when this test cancelled from the server's thread). */
static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));

  return G_SOURCE_REMOVE;
}

static void
server_finished_cb (SoupServerMessage *message,
                    Server            *server)
{
  g_mutex_lock (&server->lock);
  server->n_sent++;
  if (server->cancel_when_sent != NULL)
    g_main_context_invoke_full (server->cancel_context, G_PRIORITY_DEFAULT, cancel_cb,
                                g_object_ref (server->cancel_when_sent), g_object_unref);
  g_mutex_unlock (&server->lock);
}

/* "/big-held": all of the answer but its last byte, which is sent only
 * once the client's cancellable is cancelled, so the client is surely
 * still reading when it is. */
typedef struct
{
  Server            *server;
  SoupServerMessage *message;
  GCancellable      *cancellable;
  gboolean           finished;   /* on the server's thread */
} Hold;

static void
hold_finished_cb (SoupServerMessage *message,
                  Hold              *hold)
{
  hold->finished = TRUE;
}

static void
hold_free (Hold *hold)
{
  g_signal_handlers_disconnect_by_func (hold->message, hold_finished_cb, hold);
  g_object_unref (hold->message);
  g_clear_object (&hold->cancellable);
  g_free (hold);
}

static gboolean
hold_release_cb (gpointer data)
{
  Hold *hold = data;

  /* Unless the server has already dropped the connection. */
  if (!hold->finished)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (hold->message);

      soup_message_body_append (body, SOUP_MEMORY_STATIC, "]", 1);
      soup_message_body_complete (body);
      soup_server_message_unpause (hold->message);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
hold_cancel_cb (gpointer data)
{
  Hold *hold = data;

  if (hold->cancellable != NULL)
    g_cancellable_cancel (hold->cancellable);
  g_main_context_invoke_full (hold->server->context, G_PRIORITY_DEFAULT, hold_release_cb,
                              hold, (GDestroyNotify) hold_free);

  return G_SOURCE_REMOVE;
}

static void
hold_wrote_chunk_cb (SoupServerMessage *message,
                     Server            *server)
{
  Hold *hold = g_new0 (Hold, 1);

  g_signal_handlers_disconnect_by_func (message, hold_wrote_chunk_cb, server);
  hold->server = server;
  hold->message = g_object_ref (message);
  g_signal_connect (message, "finished", G_CALLBACK (hold_finished_cb), hold);
  g_mutex_lock (&server->lock);
  g_set_object (&hold->cancellable, server->cancel_when_sent);
  g_mutex_unlock (&server->lock);
  g_main_context_invoke (server->cancel_context, hold_cancel_cb, hold);
}

static void
serve_held (SoupServerMessage *message,
            Server            *server)
{
  char *body = big_array (BIG_ITEMS);

  body[strlen (body) - 1] = '\0';
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (message),
                                         "application/json", NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (message),
                                     SOUP_ENCODING_CHUNKED);
  soup_message_body_append (soup_server_message_get_response_body (message), SOUP_MEMORY_TAKE,
                            body, strlen (body));
  g_signal_connect (message, "wrote-chunk", G_CALLBACK (hold_wrote_chunk_cb), server);
}

static void
server_cb (SoupServer        *soup_server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Server *server = user_data;
  g_autofree char *body = NULL;
  guint status = SOUP_STATUS_OK;
  const char *type = "application/json";
  gsize length;

  if (g_str_equal (path, "/small"))
    body = g_strdup ("{\"answer\":42}");
  else if (g_str_equal (path, "/big"))
    body = big_array (BIG_ITEMS);
  else if (g_str_equal (path, "/big-held"))
    {
      serve_held (message, server);
      return;
    }
  else if (g_str_equal (path, "/big-problem"))
    {
      g_autofree char *errors = big_array (BIG_ITEMS / 4);

      status = SOUP_STATUS_UNPROCESSABLE_ENTITY;
      type = "application/problem+json";
      body = g_strdup_printf ("{\"title\":\"Invalid\",\"detail\":\"Too many things\",\"errors\":%s}",
                              errors);
    }
  else if (g_str_equal (path, "/big-broken"))
    {
      g_autofree char *array = big_array (BIG_ITEMS / 4);

      /* Cut short: the parse fails at the end, in the thread. */
      array[strlen (array) - 1] = '\0';
      body = g_steal_pointer (&array);
    }
  else
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  g_signal_connect (message, "finished", G_CALLBACK (server_finished_cb), server);
  soup_server_message_set_status (message, status, NULL);
  length = strlen (body);
  soup_server_message_set_response (message, type, SOUP_MEMORY_TAKE, g_steal_pointer (&body), length);
}

static gpointer
server_thread (gpointer data)
{
  Server *server = data;

  g_main_context_push_thread_default (server->context);
  g_main_loop_run (server->loop);
  g_main_context_pop_thread_default (server->context);

  return NULL;
}

static Server *
server_start (void)
{
  Server *server = g_new0 (Server, 1);
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&server->lock);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);

  /* The server lives on its thread's context: made and listening there. */
  g_main_context_push_thread_default (server->context);
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, server_cb, server, NULL);

  /* Our own socket: soup_server_listen_local() and soup_server_get_uris()
   * leak in libsoup 3.2. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (listener, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  soup_server_listen_socket (server->server, listener, 0, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (server->context);

  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  server->url = g_strdup_printf ("http://127.0.0.1:%u/",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  server->thread = g_thread_new ("test-http", server_thread, server);

  return server;
}

static gboolean
quit_cb (gpointer data)
{
  Server *server = data;

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_main_loop_quit (server->loop);

  return G_SOURCE_REMOVE;
}

static void
server_stop (Server *server)
{
  g_main_context_invoke (server->context, quit_cb, server);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_clear_object (&server->cancel_when_sent);
  g_mutex_clear (&server->lock);
  g_free (server->url);
  g_free (server);
}

typedef struct
{
  GMainContext *context;   /* where the callback must run */
  GThread      *thread;
  guint         n_calls;
  JsonNode     *node;
  JsonNode     *problem;
  GError       *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->node, json_node_unref);
  g_clear_pointer (&result->problem, json_node_unref);
  g_clear_error (&result->error);
  result->n_calls = 0;
}

static void
result_cb (GObject      *object,
           GAsyncResult *async_result,
           gpointer      user_data)
{
  Result *result = user_data;

  /* On the caller's context and thread, never the parser's. */
  g_assert_true (g_thread_self () == result->thread);
  g_assert_true (g_main_context_get_thread_default () == result->context);
  g_assert_true (g_main_context_is_owner (result->context));

  result->n_calls++;
  result->node = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), async_result,
                                                            &result->problem, &result->error);
}

static void
wait_for_result (Result *result)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_US;

  while (result->n_calls == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (result->context, TRUE);
    }
}

static void
request (BourseClient *client,
         const char   *path,
         GCancellable *cancellable,
         Result       *result)
{
  result_clear (result);
  bourse_client_get_json_async (client, path, cancellable, result_cb, result);
  wait_for_result (result);
}

/* The client on a context of its own, so that "the caller's context" is
 * not the default one by luck. */
typedef struct
{
  GMainContext *context;
  Server       *server;
  BourseClient *client;
  Result        result;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = server_start ();
  fixture->context = g_main_context_new ();
  g_main_context_push_thread_default (fixture->context);
  fixture->client = bourse_client_new (fixture->server->url);
  fixture->result.context = fixture->context;
  fixture->result.thread = g_thread_self ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  result_clear (&fixture->result);
  g_clear_object (&fixture->client);
  /* Let the sockets close on this context before it goes. */
  while (g_main_context_iteration (fixture->context, FALSE))
    ;
  g_main_context_pop_thread_default (fixture->context);
  g_main_context_unref (fixture->context);
  server_stop (fixture->server);
}

static void
test_answers (Fixture       *fixture,
              gconstpointer  data)
{
  Result *result = &fixture->result;
  JsonArray *array;
  JsonObject *last;

  /* A small one, parsed where it arrives. */
  request (fixture->client, "/small", NULL, result);
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->n_calls, ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result->node), "answer"), ==, 42);

  /* A big one, whole. */
  request (fixture->client, "/big", NULL, result);
  g_assert_no_error (result->error);
  g_assert_cmpuint (result->n_calls, ==, 1);
  g_assert_null (result->problem);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (result->node));
  array = json_node_get_array (result->node);
  g_assert_cmpuint (json_array_get_length (array), ==, BIG_ITEMS);
  last = json_array_get_object_element (array, BIG_ITEMS - 1);
  g_assert_cmpint (json_object_get_int_member (last, "id"), ==, BIG_ITEMS - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, "item 19999");

  /* A big error answer: its error from the problem's detail, the problem
   * itself for the fields. */
  request (fixture->client, "/big-problem", NULL, result);
  g_assert_error (result->error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_INVALID);
  g_assert_cmpstr (result->error->message, ==, "Too many things");
  g_assert_null (result->node);
  g_assert_nonnull (result->problem);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (result->problem),
                                                                         "errors")), ==, BIG_ITEMS / 4);

  /* A big answer that is not JSON. */
  request (fixture->client, "/big-broken", NULL, result);
  g_assert_error (result->error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_PROTOCOL);
  g_assert_null (result->node);

  /* None of them was answered twice. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (fixture->context, FALSE);
  g_assert_cmpuint (result->n_calls, ==, 1);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  Result *result = &fixture->result;
  Server *server = fixture->server;

  /* Cancelled before the answer comes. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    request (fixture->client, "/big", cancellable, result);
    g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (result->node);
  }

  /* Cancelled while this thread is reading the answer: the caller hears
   * "cancelled", once, and nothing read is left behind (ASan's leak
   * check). */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_mutex_lock (&server->lock);
    g_set_object (&server->cancel_when_sent, cancellable);
    server->cancel_context = fixture->context;
    g_mutex_unlock (&server->lock);

    request (fixture->client, "/big-held", cancellable, result);
    g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (result->node);
    g_assert_null (result->problem);

    g_mutex_lock (&server->lock);
    g_clear_object (&server->cancel_when_sent);
    g_mutex_unlock (&server->lock);
  }

  /* Cancelled as soon as the server has sent the last byte: a worker is
   * then most likely parsing the megabyte, or this thread still reading
   * it; rarely the answer is already in. Whichever: one answer, either
   * "cancelled" with nothing or the whole array, and neither the node nor
   * the parse left behind. Several times, so that the moments vary. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      guint n_sent;

      g_mutex_lock (&server->lock);
      g_set_object (&server->cancel_when_sent, cancellable);
      n_sent = server->n_sent;
      g_mutex_unlock (&server->lock);

      request (fixture->client, "/big", cancellable, result);
      if (result->error != NULL)
        {
          g_assert_error (result->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_null (result->node);
        }
      else
        g_assert_cmpuint (json_array_get_length (json_node_get_array (result->node)), ==, BIG_ITEMS);
      g_assert_null (result->problem);

      g_mutex_lock (&server->lock);
      g_assert_cmpuint (server->n_sent, ==, n_sent + 1);
      g_clear_object (&server->cancel_when_sent);
      g_mutex_unlock (&server->lock);

      for (guint j = 0; j < 20; j++)
        g_main_context_iteration (fixture->context, FALSE);
      g_assert_cmpuint (result->n_calls, ==, 1);
    }

  /* And the client goes on. */
  request (fixture->client, "/big", NULL, result);
  g_assert_no_error (result->error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (result->node)), ==, BIG_ITEMS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client-rest/answers", Fixture, NULL, fixture_set_up, test_answers, fixture_tear_down);
  g_test_add ("/client-rest/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);

  return g_test_run ();
}
