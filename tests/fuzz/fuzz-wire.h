/* fuzz-wire.h — a blocking HTTP/1.1 and WebSocket client for the harnesses
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BourseFuzzWire BourseFuzzWire;

typedef struct
{
  guint       status;
  char       *content_type;   /* or NULL */
  GByteArray *body;
} BourseFuzzAnswer;

/* A client of 127.0.0.1:@port. It keeps one connection alive and opens a
 * new one when the server closed it. Any failure to talk to the server
 * (refused, reset, no answer within the time-out) is a finding: it aborts. */
BourseFuzzWire   *bourse_fuzz_wire_new          (guint16               port);
/* Called with TRUE before a new connection is made and with FALSE once
 * the server has accepted it and answered a first request on it. */
void              bourse_fuzz_wire_set_connect_func (BourseFuzzWire   *self,
                                                 void                (*func) (gboolean connecting,
                                                                              gpointer data),
                                                 gpointer              data);
void              bourse_fuzz_wire_free         (BourseFuzzWire       *self);

/* One request; @headers: name, value pairs, NULL-terminated (may be NULL). */
BourseFuzzAnswer *bourse_fuzz_wire_request      (BourseFuzzWire       *self,
                                                 const char           *method,
                                                 const char           *target,
                                                 const char * const   *headers,
                                                 const void           *body,
                                                 gsize                 length);
void              bourse_fuzz_answer_free       (BourseFuzzAnswer     *answer);

/* Opens a WebSocket on @target on a new connection; FALSE if the server
 * refused the upgrade (*status says how). */
gboolean          bourse_fuzz_wire_ws_open      (BourseFuzzWire       *self,
                                                 const char           *target,
                                                 guint                *status);
/* Sends a message with @opcode (1 text, 2 binary) in @n_fragments frames,
 * then a ping, and reads until its pong: the server has handled the
 * message once the pong comes. @on_message sees each text message the
 * server sent meanwhile. FALSE when the server closed the WebSocket
 * (*close_code says how). */
gboolean          bourse_fuzz_wire_ws_exchange  (BourseFuzzWire       *self,
                                                 guint                 opcode,
                                                 const void           *data,
                                                 gsize                 length,
                                                 guint                 n_fragments,
                                                 void                (*on_message) (const char *text,
                                                                                   gsize       length),
                                                 guint                *close_code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseFuzzAnswer, bourse_fuzz_answer_free)

G_END_DECLS
