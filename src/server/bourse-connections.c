/* bourse-connections.c — the server's open HTTP connections and their time limits
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "core/bourse-source.h"
#include "bourse-connections.h"

/* libsoup 3.2 (Debian 12) has no idle or header time-out, and leaks a
 * keep-alive connection that the client closes between two requests: its
 * next, not yet started message fails on the end of stream with nobody to
 * disconnect it, so the connection object and its descriptor stay forever
 * (fixed upstream in 3.3.0, "server: do not leak idle connections closed by
 * the client"). SoupServerConnection is private in 3.2, so we learn each
 * message's connection from an emission hook on its "request-started"
 * signal, watch the socket while the connection is idle, and when a
 * connection is left alone in that state (only the server's own reference
 * remains), emit "disconnected" on it as libsoup's fixed code does: the
 * server then drops it and its finalisation closes the stream. */

#define SWEEP_INTERVAL_S 1

/* libsoup 3.2's listener accepts one connection per main-loop iteration,
 * and every iteration polls every open connection: a burst of n clients
 * costs O(n²), and 10,000 WebSocket clients at once overflowed even a
 * backlog of 4096 (bench/http/README.md). A thread of ours accepts instead,
 * as fast as connections come, whatever the main loop is doing (one of its
 * iterations can dispatch thousands of handshakes): a connection waiting in
 * our hands costs a descriptor, one dropped by a full queue costs its
 * client a SYN resent a second or more later. The main loop takes them in
 * batches, before other work (a higher priority), and hands each to libsoup
 * with soup_server_accept_iostream (); the batch bound lets an iteration
 * end and poll again. */
#define ACCEPT_BATCH 256
#define ACCEPT_PRIORITY (G_PRIORITY_DEFAULT - 10)
/* Out of descriptors: the listening socket stays readable, so accepting
 * pauses rather than spins. */
#define ACCEPT_PAUSE_MS 250

typedef enum
{
  STATE_HEADERS,   /* waiting for a request's headers: the header time-out runs */
  STATE_BUSY,      /* a request is being read, handled or answered */
  STATE_IDLE,      /* keep-alive between requests: the idle time-out runs */
  STATE_CLOSING,   /* shut down by us, waiting for libsoup to let go */
} State;

typedef struct
{
  BourseConnections *owner;
  GObject           *conn;          /* SoupServerConnection, weak */
  GSocket           *socket;
  State              state;
  gint64             since_us;
  GSource           *watch;         /* a Watch, made when the connection first idles */
  gpointer           watch_tag;
  gboolean           watching;      /* its descriptor polled: idle */
  guint              retry_source;
  gulong             disconnected_handler;
} Connection;

struct _BourseConnections
{
  SoupServer *soup;
  GHashTable *by_conn;              /* SoupServerConnection → Connection */
  gint64      header_timeout_us;
  gint64      idle_timeout_us;
  guint       sweep_source;
  GSocket      *listener;
  GThread      *accept_thread;
  GCancellable *accept_cancellable;
  GAsyncQueue  *accepted;          /* GSocket, from the accepting thread */
  GSource      *accepted_source;   /* made ready by that thread */
  GSocket      *accepting;         /* being handed to libsoup, which does not keep it */
};

/* The message a connection is announcing on this thread, and the
 * connection: the hook runs before libsoup's own handler, which emits
 * the server's "request-started", whose handler (the server's) calls
 * bourse_connections_request_started () with the message. Kept here for
 * that call rather than as data set on each message (a datalist made
 * for every request). Borrowed: a message holds its connection. */
static GPrivate announced_message;
static GPrivate announced_conn;

static gboolean
connection_request_started_hook (GSignalInvocationHint *hint,
                                 guint                  n_values,
                                 const GValue          *values,
                                 gpointer               data)
{
  GObject *conn = g_value_get_object (&values[0]);
  GObject *message = n_values > 1 ? g_value_get_object (&values[1]) : NULL;

  g_private_set (&announced_message, message);
  g_private_set (&announced_conn, conn);
  return TRUE;
}

/* The connection type is registered by libsoup on its first connection;
 * one accepted on a scratch server from an empty stream registers it. */
static void
install_hook_once (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      GType type = g_type_from_name ("SoupServerConnection");
      guint signal_id;

      if (type == 0)
        {
          g_autoptr(SoupServer) scratch = soup_server_new (NULL, NULL);
          g_autoptr(GInputStream) input = g_memory_input_stream_new ();
          g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
          g_autoptr(GIOStream) stream = g_simple_io_stream_new (input, output);
          g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);

          soup_server_accept_iostream (scratch, stream, address, address, NULL);
          soup_server_disconnect (scratch);
          type = g_type_from_name ("SoupServerConnection");
        }

      if (type != 0)
        g_type_class_unref (g_type_class_ref (type));
      signal_id = type != 0 ? g_signal_lookup ("request-started", type) : 0;
      if (signal_id != 0)
        g_signal_add_emission_hook (signal_id, 0, connection_request_started_hook, NULL, NULL);
      else
        g_warning ("Cannot follow libsoup's connections: idle and header time-outs are off");

      g_once_init_leave (&installed, 1);
    }
}

static void connection_conn_finalized_cb (gpointer  data,
                                          GObject  *where_the_object_was);
static gboolean connection_readable (Connection *connection);

/* The watch of an idle connection, for the end of its stream: one source
 * for the connection's life, its descriptor polled only while the
 * connection idles (g_source_modify_unix_fd ()), rather than a socket
 * source made and destroyed around every request of a keep-alive
 * connection. It runs below libsoup's priority: the next request makes
 * libsoup's source ready in the same pass, and libsoup reads it and
 * announces it (which stops the polling) without waking this one. */
typedef struct
{
  GSource     source;
  Connection *connection;
} Watch;

static gboolean
watch_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     data)
{
  return connection_readable (((Watch *)source)->connection);
}

static GSourceFuncs watch_funcs = {
  .dispatch = watch_dispatch,
};

static void
connection_watch (Connection *connection,
                  gboolean    watching)
{
  if (connection->watching == watching)
    return;

  if (connection->watch == NULL)
    {
      if (!watching)
        return;
      connection->watch = g_source_new (&watch_funcs, sizeof (Watch));
      ((Watch *)connection->watch)->connection = connection;
      connection->watch_tag = g_source_add_unix_fd (connection->watch, g_socket_get_fd (connection->socket), 0);
      g_source_set_priority (connection->watch, G_PRIORITY_DEFAULT + 1);
      g_source_set_name (connection->watch, "bourse-idle-connection");
      g_source_attach (connection->watch, g_main_context_get_thread_default ());
    }

  g_source_modify_unix_fd (connection->watch, connection->watch_tag, watching ? G_IO_IN | G_IO_HUP | G_IO_ERR : 0);
  connection->watching = watching;
}

static void
connection_unwatch (Connection *connection)
{
  if (connection->watch != NULL)
    {
      g_source_destroy (connection->watch);
      g_clear_pointer (&connection->watch, g_source_unref);
    }
  connection->watching = FALSE;
}

static void
connection_free (Connection *connection)
{
  connection_unwatch (connection);
  g_clear_handle_id (&connection->retry_source, bourse_source_remove);
  if (connection->conn != NULL)
    {
      g_clear_signal_handler (&connection->disconnected_handler, connection->conn);
      g_object_weak_unref (connection->conn, connection_conn_finalized_cb, connection);
    }
  g_clear_object (&connection->socket);
  g_free (connection);
}

static void
connection_conn_finalized_cb (gpointer  data,
                              GObject  *where_the_object_was)
{
  Connection *connection = data;

  connection->conn = NULL;
  connection->disconnected_handler = 0;
  g_hash_table_remove (connection->owner->by_conn, where_the_object_was);
}

/* Disconnected by libsoup (or stolen for a WebSocket, which then owns the
 * stream): nothing left for us to do. */
static void
connection_disconnected_cb (GObject    *conn,
                            Connection *connection)
{
  g_hash_table_remove (connection->owner->by_conn, conn);
}

/* Only the server's reference left: no message will ever finish on this
 * connection again, so nobody but us will disconnect it. */
static gboolean
connection_is_abandoned (Connection *connection)
{
  return connection->conn != NULL && g_atomic_int_get ((int *)&connection->conn->ref_count) == 1;
}

/* TRUE once the connection is gone. */
static gboolean
connection_try_release (Connection *connection)
{
  GObject *conn = connection->conn;

  if (conn == NULL)
    return TRUE;

  if (connection_is_abandoned (connection))
    {
      g_object_ref (conn);
      g_signal_emit_by_name (conn, "disconnected");
      g_object_unref (conn);
      return TRUE;
    }
  return FALSE;
}

static gboolean
connection_retry_cb (gpointer data)
{
  Connection *connection = data;

  connection->retry_source = 0;
  connection_try_release (connection);
  return G_SOURCE_REMOVE;
}

static void
connection_close (Connection *connection)
{
  connection_unwatch (connection);

  if (connection->state != STATE_CLOSING)
    {
      connection->state = STATE_CLOSING;
      /* libsoup's pending read now ends, and a started request is
       * finished as interrupted, which disconnects it properly. */
      g_socket_shutdown (connection->socket, TRUE, TRUE, NULL);
    }

  if (!connection_try_release (connection) && connection->retry_source == 0)
    connection->retry_source = bourse_idle_add (G_PRIORITY_LOW, connection_retry_cb, connection);
}

static gboolean
connection_readable (Connection *connection)
{
  char byte;
  gssize n;

  n = recv (g_socket_get_fd (connection->socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;

  /* Data: the next request, which libsoup reads and announces. */
  if (n > 0)
    {
      connection_watch (connection, FALSE);
      return G_SOURCE_CONTINUE;
    }

  /* The end of the stream, or an error: the client has gone. The source
   * is destroyed with the watch; its dispatch holds a reference. */
  connection_close (connection);
  return G_SOURCE_REMOVE;
}

static void
connection_set_state (Connection *connection,
                      State       state)
{
  if (connection->state == STATE_CLOSING)
    return;

  connection->state = state;
  connection->since_us = g_get_monotonic_time ();
  connection_watch (connection, state == STATE_IDLE);
}

static Connection *
lookup (BourseConnections *self,
        GObject           *conn)
{
  return conn != NULL ? g_hash_table_lookup (self->by_conn, conn) : NULL;
}

static gboolean
sweep_cb (gpointer data)
{
  BourseConnections *self = data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  GHashTableIter iter;
  Connection *connection;

  g_hash_table_iter_init (&iter, self->by_conn);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&connection))
    if ((connection->state == STATE_HEADERS && now - connection->since_us >= self->header_timeout_us)
        || (connection->state == STATE_IDLE && now - connection->since_us >= self->idle_timeout_us)
        /* Left alone by libsoup without the end of stream reaching our
         * watch first (a TLS close_notify is data to it). */
        || (connection->state == STATE_IDLE && connection_is_abandoned (connection))
        || connection->state == STATE_CLOSING)
      g_ptr_array_add (due, connection->conn);

  /* Closing may remove entries: look each one up again. */
  for (guint i = 0; i < due->len; i++)
    if ((connection = g_hash_table_lookup (self->by_conn, g_ptr_array_index (due, i))) != NULL)
      {
        if (connection->state != STATE_CLOSING)
          g_debug ("Closing a connection %s",
                   connection->state == STATE_IDLE ? "idle for too long" : "too slow to send its headers");
        connection_close (connection);
      }

  if (g_hash_table_size (self->by_conn) > 0)
    return G_SOURCE_CONTINUE;
  self->sweep_source = 0;
  return G_SOURCE_REMOVE;
}

GObject *
bourse_connections_request_started (BourseConnections *self,
                                    SoupServerMessage *message)
{
  GObject *conn = g_private_get (&announced_message) == (gpointer)message ? g_private_get (&announced_conn) : NULL;
  GSocket *socket = soup_server_message_get_socket (message);
  Connection *connection;

  g_private_set (&announced_message, NULL);
  g_private_set (&announced_conn, NULL);

  if (conn == NULL)
    return NULL;

  /* The socket is needed only to follow a new connection. One we accepted
   * has none in libsoup's eyes, on any of its messages: it announces its
   * first from inside soup_server_accept_iostream (), where ours is at
   * hand; its next ones find it followed already. (Asking for the socket
   * first left the keep-alive requests of our connections unfollowed: still
   * idle since their first answer, the idle time-out cut them in use.) */
  if ((connection = g_hash_table_lookup (self->by_conn, conn)) == NULL)
    {
      if (socket == NULL)
        socket = self->accepting;
      if (socket == NULL)
        return NULL;

      connection = g_new0 (Connection, 1);
      connection->owner = self;
      connection->conn = conn;
      connection->socket = g_object_ref (socket);
      g_object_weak_ref (conn, connection_conn_finalized_cb, connection);
      connection->disconnected_handler = g_signal_connect (conn, "disconnected",
                                                           G_CALLBACK (connection_disconnected_cb),
                                                           connection);
      g_hash_table_insert (self->by_conn, conn, connection);
      if (self->sweep_source == 0)
        self->sweep_source = bourse_timeout_add_seconds (SWEEP_INTERVAL_S, sweep_cb, self);
    }

  connection_set_state (connection, STATE_HEADERS);
  return conn;
}

void
bourse_connections_request_finished (BourseConnections *self,
                                     GObject           *conn)
{
  Connection *connection = lookup (self, conn);

  /* Kept alive for another request, unless libsoup disconnects it next. */
  if (connection != NULL)
    connection_set_state (connection, STATE_IDLE);
}

void
bourse_connections_got_headers (BourseConnections *self,
                                GObject           *conn)
{
  Connection *connection;

  g_return_if_fail (self != NULL);

  if ((connection = lookup (self, conn)) != NULL)
    connection_set_state (connection, STATE_BUSY);
}

BourseConnections *
bourse_connections_new (SoupServer *soup,
                        guint       header_timeout_s,
                        guint       idle_timeout_s)
{
  BourseConnections *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);

  install_hook_once ();

  self = g_new0 (BourseConnections, 1);
  self->soup = soup;
  self->by_conn = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)connection_free);
  self->header_timeout_us = (gint64)MAX (header_timeout_s, 1) * G_USEC_PER_SEC;
  self->idle_timeout_us = (gint64)MAX (idle_timeout_s, 1) * G_USEC_PER_SEC;
  return self;
}

static void
stop_accepting (BourseConnections *self)
{
  GSocket *socket;

  if (self->accept_thread != NULL)
    {
      g_cancellable_cancel (self->accept_cancellable);
      g_thread_join (g_steal_pointer (&self->accept_thread));
    }
  g_clear_object (&self->accept_cancellable);
  if (self->accepted_source != NULL)
    {
      g_source_destroy (self->accepted_source);
      g_clear_pointer (&self->accepted_source, g_source_unref);
    }
  /* Accepted but not yet served: closed, as the kernel's queue would be. */
  while (self->accepted != NULL && (socket = g_async_queue_try_pop (self->accepted)) != NULL)
    g_object_unref (socket);
}

/* Hands @socket to libsoup as its own listener would, without TLS. */
static void
hand_over (BourseConnections *self,
           GSocket           *socket)
{
  g_autoptr(GSocketConnection) stream = NULL;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);

  /* Gone already (reset while queued): nothing to serve. */
  if (local == NULL || remote == NULL)
    return;

  stream = g_socket_connection_factory_create_connection (socket);
  self->accepting = socket;
  soup_server_accept_iostream (self->soup, G_IO_STREAM (stream), local, remote, NULL);
  self->accepting = NULL;
}

static gboolean
accepted_cb (gpointer data)
{
  BourseConnections *self = data;

  /* Before the queue is read: a connection pushed from now on makes the
   * source ready again. */
  g_source_set_ready_time (self->accepted_source, -1);
  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GSocket) socket = g_async_queue_try_pop (self->accepted);

      if (socket == NULL)
        return G_SOURCE_CONTINUE;
      hand_over (self, socket);
    }
  if (g_async_queue_length (self->accepted) > 0)
    g_source_set_ready_time (self->accepted_source, 0);
  return G_SOURCE_CONTINUE;
}

static gboolean
accepted_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs accepted_funcs = { NULL, NULL, accepted_dispatch, NULL, NULL, NULL };

/* The accepting thread: the listening socket is non-blocking (libsoup's
 * listener watches it too, in the main thread), so it waits for it. */
static gpointer
accept_thread (gpointer data)
{
  BourseConnections *self = data;

  while (!g_cancellable_is_cancelled (self->accept_cancellable))
    {
      g_autoptr(GError) error = NULL;
      GSocket *socket = g_socket_accept (self->listener, self->accept_cancellable, &error);

      if (socket != NULL)
        {
          g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
          g_async_queue_push (self->accepted, socket);
          /* Thread-safe: wakes the main context. */
          g_source_set_ready_time (self->accepted_source, 0);
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_socket_condition_wait (self->listener, G_IO_IN, self->accept_cancellable, NULL);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
               || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          g_warning ("Cannot accept connections for now: %s", error->message);
          g_usleep (ACCEPT_PAUSE_MS * 1000);
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
               || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
        {
          /* Shut down or closed: no connection will come any more. */
          g_debug ("Stopped accepting connections: %s", error->message);
          break;
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* One connection failed (aborted while queued): the next may not. */
        g_debug ("Could not accept a connection: %s", error->message);
    }
  return NULL;
}

void
bourse_connections_accept (BourseConnections *self,
                           GSocket           *listener)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_SOCKET (listener));
  g_return_if_fail (self->listener == NULL);

  self->listener = g_object_ref (listener);
  /* Never wait inside accept: libsoup's listener, in the main thread, may
   * find the queue emptied by ours. */
  g_socket_set_blocking (listener, FALSE);
  self->accepted = g_async_queue_new_full (g_object_unref);
  self->accepted_source = g_source_new (&accepted_funcs, sizeof (GSource));
  g_source_set_callback (self->accepted_source, accepted_cb, self, NULL);
  g_source_set_priority (self->accepted_source, ACCEPT_PRIORITY);
  g_source_set_name (self->accepted_source, "bourse-accepted");
  g_source_attach (self->accepted_source, g_main_context_get_thread_default ());
  self->accept_cancellable = g_cancellable_new ();
  self->accept_thread = g_thread_new ("bourse-accept", accept_thread, self);
}

void
bourse_connections_stop_accepting (BourseConnections *self)
{
  g_return_if_fail (self != NULL);

  stop_accepting (self);
}

GSocket *
bourse_connections_get_socket (BourseConnections *self,
                               SoupServerMessage *message,
                               GObject           *conn)
{
  Connection *connection;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (message), NULL);

  if (soup_server_message_get_socket (message) != NULL)
    return soup_server_message_get_socket (message);
  connection = lookup (self, conn);
  return connection != NULL ? connection->socket : NULL;
}

void
bourse_connections_free (BourseConnections *self)
{
  if (self == NULL)
    return;

  stop_accepting (self);
  g_clear_pointer (&self->accepted, g_async_queue_unref);
  g_clear_object (&self->listener);

  g_clear_handle_id (&self->sweep_source, bourse_source_remove);
  g_hash_table_unref (self->by_conn);
  g_free (self);
}

guint
bourse_connections_get_n_open (BourseConnections *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->by_conn);
}
