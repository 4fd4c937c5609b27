/* bourse-request-private.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bourse-request.h"
#include "bourse-server.h"

G_BEGIN_DECLS

struct _BourseRequest
{
  SoupServerMessage *message;     /* weak: the request lives as long as the message */
  BourseServer      *server;      /* weak: the server outlives its requests */
  GObject           *connection;  /* weak: its SoupServerConnection, from BourseConnections, or NULL */
  BourseEngine      *engine;
  const BourseRoute *route;
  GHashTable        *params;
  GHashTable        *query;
  char              *request_id;
  char              *client_address;
  BoursePrincipal   *principal;
  JsonNode          *body_json;   /* the parsed body, once asked for */
  GByteArray        *body;        /* we collect the body ourselves to bound it */
  gsize              max_body;
  gboolean           body_too_large;
  gint64             started_us;
  guint              paused : 1;
  guint              counted : 1; /* in the in-flight count, logged and measured */
  guint              vary_origin : 1; /* "Vary: Origin" to write (CORS) */
};

BourseRequest *_bourse_request_new  (SoupServerMessage *message,
                                     BourseEngine      *engine,
                                     gsize              max_body);
void           _bourse_request_free (BourseRequest     *request);
void           _bourse_request_add_security_headers (BourseRequest *request,
                                                     const char    *path);
/* Called as an answer leaves its handler: ETag, 304 for a match, gzip for
 * a client that takes it. */
void           _bourse_request_finish_body (BourseRequest *request);

G_END_DECLS
