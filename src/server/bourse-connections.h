/* bourse-connections.h — the server's open HTTP connections and their time limits
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _BourseConnections BourseConnections;

/* Follows every connection of @soup (told by the server, below): closes one whose request headers do
 * not arrive within @header_timeout_s, one idle on keep-alive for longer
 * than @idle_timeout_s, and releases a connection the client closed while idle (libsoup 3.2 keeps
 * those, and their descriptors, forever). */
BourseConnections *bourse_connections_new         (SoupServer        *soup,
                                                   guint              header_timeout_s,
                                                   guint              idle_timeout_s);
void               bourse_connections_free        (BourseConnections *self);
/* Called by the server from its own "request-started", "request-finished"
 * and "request-aborted" handlers, first thing: one handler a signal rather
 * than one each. request_started returns @message's connection (a
 * SoupServerConnection, borrowed: the message holds it; NULL when it is
 * not followed), which the server keeps with its request and passes to
 * the calls below: libsoup 3.2 keeps a message's connection private. */
GObject           *bourse_connections_request_started (BourseConnections *self,
                                                       SoupServerMessage *message);
void               bourse_connections_request_finished (BourseConnections *self,
                                                        GObject           *conn);
/* The request on @conn has all its headers: its time limit no longer
 * applies (a handler may take its time). */
void               bourse_connections_got_headers (BourseConnections *self,
                                                   GObject           *conn);
guint              bourse_connections_get_n_open  (BourseConnections *self);
/* Accepts the connections of @listener (bound and listening; made
 * non-blocking here) in a thread of its own, and hands them to the server
 * in batches, in the calling thread's main context, with
 * soup_server_accept_iostream (): plain HTTP only, TLS is libsoup's own
 * listener's. */
void               bourse_connections_accept      (BourseConnections *self,
                                                   GSocket           *listener);
void               bourse_connections_stop_accepting (BourseConnections *self);
/* The socket of @message's connection @conn (as request_started gave
 * it), also when it was accepted here (soup_server_message_get_socket ()
 * is then NULL): NULL only once the connection has gone. */
GSocket           *bourse_connections_get_socket  (BourseConnections *self,
                                                   SoupServerMessage *message,
                                                   GObject           *conn);

G_END_DECLS
