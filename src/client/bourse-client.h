/* bourse-client.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BOURSE_CLIENT_ERROR (bourse_client_error_quark ())

typedef enum
{
  BOURSE_CLIENT_ERROR_CONNECTION = 1,  /* the server could not be reached */
  BOURSE_CLIENT_ERROR_PROTOCOL,        /* the server answered something we cannot read */
  BOURSE_CLIENT_ERROR_HTTP,            /* any other non-2xx answer */
  BOURSE_CLIENT_ERROR_INVALID,         /* 400, 422 */
  BOURSE_CLIENT_ERROR_UNAUTHORIZED,    /* 401 */
  BOURSE_CLIENT_ERROR_FORBIDDEN,       /* 403 */
  BOURSE_CLIENT_ERROR_NOT_FOUND,       /* 404 */
  BOURSE_CLIENT_ERROR_CONFLICT,        /* 409 */
} BourseClientError;

#define BOURSE_TYPE_CLIENT (bourse_client_get_type ())

G_DECLARE_FINAL_TYPE (BourseClient, bourse_client, BOURSE, CLIENT, GObject)

GQuark        bourse_client_error_quark         (void);

/* @base_url is the server root, e.g. "http://127.0.0.1:8080/". The client
 * lives on the GMainContext that is thread-default when it is created. */
BourseClient *bourse_client_new                 (const char           *base_url);
const char   *bourse_client_get_base_url        (BourseClient         *self);
const char   *bourse_client_get_token           (BourseClient         *self);
void          bourse_client_set_token           (BourseClient         *self,
                                                 const char           *token);
gboolean      bourse_client_get_connected       (BourseClient         *self);

/* REST. @path is relative to the base URL ("/api/v1/…" or "api/v1/…").
 * The result is never NULL on success: an empty body gives a JSON null, a
 * text/plain one (a file such as a configuration export) a JSON string. */
void          bourse_client_request_json_async  (BourseClient         *self,
                                                 const char           *method,
                                                 const char           *path,
                                                 JsonNode             *body,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
/* Like bourse_client_request_json_async() with a body that is not JSON
 * (a CSV file for an import); the answer is read as JSON all the same, so
 * either finish function completes it. */
void          bourse_client_request_bytes_async (BourseClient         *self,
                                                 const char           *method,
                                                 const char           *path,
                                                 const char           *content_type,
                                                 GBytes               *body,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
JsonNode     *bourse_client_request_json_finish (BourseClient         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* Like bourse_client_request_json_finish(); on an error answer, @problem
 * receives its problem+json body (a 422's "errors" name the fields), or NULL. */
JsonNode     *bourse_client_request_json_finish_problem (BourseClient  *self,
                                                         GAsyncResult  *result,
                                                         JsonNode     **problem,
                                                         GError       **error);
void          bourse_client_get_json_async      (BourseClient         *self,
                                                 const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
JsonNode     *bourse_client_get_json_finish     (BourseClient         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* GET /api/v1/permissions: the role the token acts as and the permissions
 * of the server's matrix, kept until the token changes. The UI shows what
 * the caller may do from these, never from role names of its own. */
void          bourse_client_load_permissions_async  (BourseClient       *self,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
gboolean      bourse_client_load_permissions_finish (BourseClient       *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
/* NULL, and no permission, until loaded. */
const char   *bourse_client_get_role                (BourseClient       *self);
gboolean      bourse_client_has_permission          (BourseClient       *self,
                                                     const char         *permission);
const char * const *bourse_client_get_permissions   (BourseClient       *self);

/* WebSocket. Once connected, the client reconnects by itself with back-off
 * until bourse_client_close(), and subscribes again to its topics. */
void          bourse_client_connect_async       (BourseClient         *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean      bourse_client_connect_finish      (BourseClient         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void          bourse_client_close               (BourseClient         *self);
/* Subscriptions are counted: each subscribe needs its own unsubscribe. */
void          bourse_client_subscribe           (BourseClient         *self,
                                                 const char           *topic);
void          bourse_client_unsubscribe         (BourseClient         *self,
                                                 const char           *topic);
/* Whether the server confirmed the subscription on the connection open now:
 * from then on the topic's events come. */
gboolean      bourse_client_is_subscribed       (BourseClient         *self,
                                                 const char           *topic);
gint64        bourse_client_get_topic_seq       (BourseClient         *self,
                                                 const char           *topic);

const char   *bourse_client_local_text          (const char           *server_text);

G_END_DECLS
