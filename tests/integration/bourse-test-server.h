/* bourse-test-server.h — an in-process engine and server for integration tests
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "server/bourse-server.h"

G_BEGIN_DECLS

typedef struct
{
  char         *data_dir;
  BourseConfig *config;
  BourseEngine *engine;
  BourseServer *server;
  SoupSession  *session;
  char         *base_url;
  char         *token;      /* the local owner's: admin, sent unless a test says otherwise */
} BourseTestServer;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
} BourseTestResponse;

/* settings: "section", "key", "value" triples, NULL-terminated. The server is
 * created but not started when start is FALSE, so a test can add routes. */
BourseTestServer   *bourse_test_server_new         (gboolean             start,
                                                    const char * const  *settings);
void                bourse_test_server_start       (BourseTestServer    *self);
/* Stops the server and the engine, then starts new ones on the same data
 * directory and configuration, as a restarted boursed (a new local token:
 * sessions of users stay in the store). */
void                bourse_test_server_restart     (BourseTestServer    *self);
void                bourse_test_server_free        (BourseTestServer    *self);
/* headers: name, value pairs, NULL-terminated (may be NULL). Requests carry
 * the local owner's bearer token unless headers name Authorization; an empty
 * Authorization value sends none (an anonymous request). */
BourseTestResponse *bourse_test_fetch              (BourseTestServer    *self,
                                                    const char          *method,
                                                    const char          *path,
                                                    const char * const  *headers,
                                                    const char          *content_type,
                                                    const char          *body,
                                                    gssize               body_length);
JsonNode           *bourse_test_response_json      (BourseTestResponse  *response);
const char         *bourse_test_response_header    (BourseTestResponse  *response,
                                                    const char          *name);
void                bourse_test_response_free      (BourseTestResponse  *response);
/* Sends raw bytes on a new connection and reads until the server closes it. */
char               *bourse_test_raw_request        (BourseTestServer    *self,
                                                    const char          *request);
/* Spins the default main context until condition() or fails the test. */
void                bourse_test_wait_until         (gboolean           (*condition) (gpointer),
                                                    gpointer             data,
                                                    guint                timeout_ms,
                                                    const char          *what);
void                bourse_test_spin               (guint                milliseconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseTestResponse, bourse_test_response_free)

G_END_DECLS
