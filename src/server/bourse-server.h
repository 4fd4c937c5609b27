/* bourse-server.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "engine/bourse-engine.h"

#include "bourse-router.h"

G_BEGIN_DECLS

#define BOURSE_SERVER_ERROR (bourse_server_error_quark ())

typedef enum
{
  BOURSE_SERVER_ERROR_BIND = 1,
  BOURSE_SERVER_ERROR_TLS,
  BOURSE_SERVER_ERROR_INSECURE_BIND,
} BourseServerError;

#define BOURSE_TYPE_SERVER (bourse_server_get_type ())

G_DECLARE_FINAL_TYPE (BourseServer, bourse_server, BOURSE, SERVER, GObject)

GQuark        bourse_server_error_quark        (void);
/* Reads [server] bind, port, tls_cert, tls_key, insecure_bind, cors_origins… from
 * the engine's configuration. Lives on the engine's GMainContext. */
BourseServer *bourse_server_new                (BourseEngine         *engine);
gboolean      bourse_server_start              (BourseServer         *self,
                                                GError              **error);
/* First run: when no account exists, a one-time setup address
 * ("http://127.0.0.1:PORT/setup#token=…") for making the first
 * administrator, its token kept only as a hash in this process; NULL when
 * an account exists (or, with @error set, when the accounts cannot be
 * counted). Call it after bourse_server_start (). */
char         *bourse_server_open_setup         (BourseServer         *self,
                                                GError              **error);
/* "http://127.0.0.1:PORT/" (or https) once started. */
const char   *bourse_server_get_url            (BourseServer         *self);
guint16       bourse_server_get_port           (BourseServer         *self);
guint         bourse_server_get_n_websockets   (BourseServer         *self);
/* Resource modules register their routes here before start. */
BourseRouter *bourse_server_get_router         (BourseServer         *self);
/* Graceful: stop accepting, close WebSockets with 1001, let in-flight
 * requests finish (bounded by a time-out), then disconnect. */
void          bourse_server_shutdown_async     (BourseServer         *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      bourse_server_shutdown_finish    (BourseServer         *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* TLS 1.2 at least, ECDHE key exchange and AEAD ciphers only: the GnuTLS
 * priority of glib-networking (G_TLS_GNUTLS_PRIORITY, unless the
 * environment already sets one). Process-wide and read at the first TLS
 * connection: call it from main(), before any thread starts. */
void          bourse_server_init_tls_policy (void);

/* Re-reads the configuration file (SIGHUP): the changes found are applied,
 * audited and published; a bad file changes nothing, and is logged with
 * its line and published on "alerts". */
gboolean      bourse_server_reload_config      (BourseServer         *self,
                                                GError              **error);

G_END_DECLS
