/* bourse-local-engine.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BOURSE_TYPE_LOCAL_ENGINE (bourse_local_engine_get_type ())

G_DECLARE_FINAL_TYPE (BourseLocalEngine, bourse_local_engine, BOURSE, LOCAL_ENGINE, GObject)

/* The engine and its API server embedded in the desktop application, on a
 * thread of their own (DESIGN.md §1). The UI only ever learns their URL and
 * talks to them through BourseClient. */
BourseLocalEngine *bourse_local_engine_new          (const char           *data_dir);
const char        *bourse_local_engine_get_data_dir (BourseLocalEngine    *self);
/* The server's URL once started, or NULL. */
const char        *bourse_local_engine_get_url      (BourseLocalEngine    *self);
/* The desktop owner's token for BourseClient (DESIGN.md §1): valid for this
 * process's engine only, never written anywhere. */
const char        *bourse_local_engine_get_token    (BourseLocalEngine    *self);
void               bourse_local_engine_start_async  (BourseLocalEngine    *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char              *bourse_local_engine_start_finish (BourseLocalEngine    *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* Shuts the server down gracefully and joins the thread. The calling
 * thread's context keeps turning meanwhile, so its WebSocket clients can
 * answer the close handshake. */
void               bourse_local_engine_stop         (BourseLocalEngine    *self);

G_END_DECLS
