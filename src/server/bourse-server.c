/* bourse-server.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sys/socket.h>

#include "auth/bourse-api-keys.h"
#include "core/bourse-log.h"
#include "core/bourse-source.h"

#include "bourse-request-private.h"
#include "bourse-server-private.h"
#include "bourse-ws-limit-stream.h"

/* The request of a message: qdata, not a string key looked up each time. */
static GQuark request_quark;

G_DEFINE_FINAL_TYPE (BourseServer, bourse_server, G_TYPE_OBJECT)
G_DEFINE_QUARK (bourse-server-error-quark, bourse_server_error)

static void maybe_finish_shutdown (BourseServer *self);

/* X-Request-ID from a client is echoed only when it is a sane token, so a
 * header cannot inject anything into our logs. */
static gboolean
request_id_is_valid (const char *id)
{
  gsize len = id ? strlen (id) : 0;

  if (len == 0 || len > 128)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-' && id[i] != '_' && id[i] != '.' && id[i] != ':')
      return FALSE;
  return TRUE;
}

/* A random (version 4) UUID without g_uuid_string_random's locking and
 * printf: every request gets one. */
static char *
new_request_id (void)
{
  static const char hex[] = "0123456789abcdef";
  guint32 words[4];
  guint8 *bytes = (guint8 *)words;
  char *id = g_malloc (37);
  int at = 0;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    words[i] = g_random_int ();
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  /* version 4 */
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  /* RFC 4122 variant */

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        id[at++] = '-';
      id[at++] = hex[bytes[i] >> 4];
      id[at++] = hex[bytes[i] & 0x0f];
    }
  id[at] = '\0';
  return id;
}

static char *
address_to_string (GSocketAddress *address)
{
  g_autofree char *host = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("unknown");

  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup_printf ("%s:%u", host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

static gboolean
origin_is_allowed (BourseServer *self,
                   const char   *origin)
{
  return origin != NULL
      && (g_strv_contains ((const char * const *)self->cors_origins, origin)
          || g_strv_contains ((const char * const *)self->cors_origins, "*"));
}

static void
message_got_chunk_cb (SoupServerMessage *message,
                      GBytes            *chunk,
                      BourseRequest     *request)
{
  gsize size = g_bytes_get_size (chunk);

  /* Stop keeping data once over the limit; the handler answers 413. */
  if (request->body_too_large || request->body->len + size > request->max_body)
    {
      request->body_too_large = TRUE;
      g_byte_array_set_size (request->body, 0);
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), size);
}

static void
message_got_headers_cb (SoupServerMessage *message,
                        BourseRequest     *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *id = soup_message_headers_get_one (headers, "X-Request-ID");
  GUri *uri = soup_server_message_get_uri (message);
  g_autofree char *decoded = NULL;
  const char *path = uri != NULL ? g_uri_get_path (uri) : "";
  gsize route_max_body;
  goffset length;

  /* Counted from here: libsoup starts a message for every accepted
   * connection, even one that closes without sending a request. */
  request->server->in_flight++;
  request->counted = TRUE;
  bourse_connections_got_headers (request->server->connections, request->connection);

  /* The path the handlers will see: libsoup's "got-headers" handler,
   * which runs after this hook, decodes an encoded one (and answers 400
   * to one it cannot decode, which the raw path then stands for); only a
   * '%' makes the decoded path differ. */
  if (uri != NULL && (g_uri_get_flags (uri) & G_URI_FLAGS_ENCODED_PATH) && strchr (path, '%') != NULL
      && (decoded = g_uri_unescape_string (path, NULL)) != NULL)
    path = decoded;

  _bourse_request_add_security_headers (request, path);
  request->request_id = request_id_is_valid (id) ? g_strdup (id) : new_request_id ();
  /* Appended: the message is new, nothing has set one. */
  soup_message_headers_append (soup_server_message_get_response_headers (message),
                               "X-Request-ID", request->request_id);

  /* We collect the body ourselves so that its size stays bounded. */
  length = soup_message_headers_get_content_length (headers);
  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (length == 0)
        return;
      break;

    case SOUP_ENCODING_NONE:
      return;

    default:
      break;
    }

  /* Uploads (a CSV import) have a limit of their own; it must be known
   * before the first byte of the body is kept or refused (and only then:
   * a request without a body has no use for it). */
  route_max_body = bourse_router_get_max_body (request->server->router, soup_server_message_get_method (message),
                                               path);
  if (route_max_body != 0)
    request->max_body = route_max_body;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && length > (goffset)request->max_body)
    request->body_too_large = TRUE;

  soup_message_body_set_accumulate (soup_server_message_get_request_body (message), FALSE);
  request->body = g_byte_array_new ();
  g_signal_connect (message, "got-chunk", G_CALLBACK (message_got_chunk_cb), request);
}

/* Accounting for one request: metrics, access log, in-flight count. Runs
 * once, from "finished", or from the WebSocket hand-over, after which
 * libsoup never emits "finished" for the upgraded message. */
static void
request_done (BourseServer      *self,
              SoupServerMessage *message)
{
  BourseRequest *request = g_object_get_qdata (G_OBJECT (message), request_quark);
  const char *route;
  const char *method = soup_server_message_get_method (message);
  GUri *uri = soup_server_message_get_uri (message);
  /* A request line libsoup could not parse leaves no URI. */
  const char *path = uri != NULL ? g_uri_get_path (uri) : "";
  guint status = soup_server_message_get_status (message);
  double seconds;

  if (request == NULL || !request->counted)
    return;

  seconds = (g_get_monotonic_time () - request->started_us) / 1e6;
  if (request->route != NULL)
    route = request->route->pattern;
  else if (status == SOUP_STATUS_SWITCHING_PROTOCOLS)
    route = "/api/v1/ws";
  else if (status < 400 && !g_str_has_prefix (path, "/api/"))
    route = "static";
  else
    route = "unmatched";
  bourse_metrics_observe_request (self->metrics, route, method, status, seconds);

  if (bourse_log_is_enabled (G_LOG_LEVEL_INFO))
    {
      /* One line per request: its fields handed to the writer as they are,
       * formatted on the stack, rather than through g_log_structured ()'s
       * variable arguments and a copy of each. */
      g_autofree char *client = address_to_string (soup_server_message_get_remote_address (message));
      g_autofree char *long_text = NULL;
      char duration_text[32], status_text[16], text[256];
      const char *message_text = text;

      g_snprintf (duration_text, sizeof duration_text, "%.3f", seconds * 1000);
      g_snprintf (status_text, sizeof status_text, "%u", status);
      if (g_snprintf (text, sizeof text, "%s %s %u %s ms", method, path, status, duration_text) >= (int)sizeof text)
        message_text = long_text = g_strdup_printf ("%s %s %u %s ms", method, path, status, duration_text);

      {
        const GLogField fields[] = {
          { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 },
          { "PRIORITY", "6", -1 },   /* info, as g_log_structured () says it */
          { "REQUEST_ID", request->request_id, -1 },
          { "HTTP_METHOD", method, -1 },
          { "HTTP_PATH", path, -1 },
          { "HTTP_STATUS", status_text, -1 },
          { "HTTP_ROUTE", route, -1 },
          { "DURATION_MS", duration_text, -1 },
          { "CLIENT", client, -1 },
          { "MESSAGE", message_text, -1 },
        };

        g_log_structured_array (G_LOG_LEVEL_INFO, fields, G_N_ELEMENTS (fields));
      }
    }

  g_object_set_qdata (G_OBJECT (message), request_quark, NULL);
  g_assert (self->in_flight > 0);
  self->in_flight--;
  maybe_finish_shutdown (self);
}

/* Server-wide rather than per-message signals: connecting one per request
 * costs more than the rest of a /health answer. */
static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *message,
                     BourseServer      *self)
{
  guint status = soup_server_message_get_status (message);

  /* Gone once the server is disposed, before libsoup aborts what is left. */
  if (self->connections != NULL)
    {
      BourseRequest *request = g_object_get_qdata (G_OBJECT (message), request_quark);

      bourse_connections_request_finished (self->connections, request != NULL ? request->connection : NULL);
    }

  /* A 204 may carry no Content-Length, and libsoup 3.2 then takes its
   * response for one that ends when the connection closes, and closes it:
   * revoking a session cut the keep-alive connection of whoever revoked
   * it. Saying "no body" here, before libsoup decides, keeps it open. */
  if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED)
    soup_message_headers_set_encoding (soup_server_message_get_response_headers (message), SOUP_ENCODING_NONE);

  request_done (self, message);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *message,
                    BourseServer      *self)
{
  GObject *conn = NULL;
  BourseRequest *request;

  if (self->connections != NULL)
    conn = bourse_connections_request_started (self->connections, message);

  request = _bourse_request_new (message, self->engine, self->max_body);
  request->server = self;
  request->connection = conn;
  g_object_set_qdata_full (G_OBJECT (message), request_quark, request, (GDestroyNotify)_bourse_request_free);
}

/* "got-headers" of every message, by one emission hook installed once,
 * rather than a handler connected to each message: connecting one and
 * destroying it with the message cost more than the rest of our work on a
 * /health request. A hook runs before the message's handlers, so before
 * libsoup's own (which adds Date and decodes an encoded path). Messages
 * of other servers in the process have no request of ours. */
static gboolean
message_got_headers_hook (GSignalInvocationHint *hint,
                          guint                  n_values,
                          const GValue          *values,
                          gpointer               data)
{
  GObject *message = g_value_get_object (&values[0]);
  BourseRequest *request = message != NULL ? g_object_get_qdata (message, request_quark) : NULL;

  if (request != NULL)
    message_got_headers_cb (SOUP_SERVER_MESSAGE (message), request);
  return TRUE;
}

static void
install_hooks_once (void)
{
  static gsize installed;

  if (g_once_init_enter (&installed))
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (SOUP_TYPE_SERVER_MESSAGE);

      request_quark = g_quark_from_static_string ("bourse-request");
      g_signal_add_emission_hook (g_signal_lookup ("got-headers", SOUP_TYPE_SERVER_MESSAGE), 0,
                                  message_got_headers_hook, NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

static void
add_cors_headers (BourseServer      *self,
                  BourseRequest     *request,
                  SoupServerMessage *message)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (message);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (message);
  const char *origin = soup_message_headers_get_one (request_headers, "Origin");

  /* "Vary: Origin" is written with the rest of Vary as the answer is
   * finished (_bourse_request_finish_body). */
  request->vary_origin = TRUE;
  if (!origin_is_allowed (self, origin))
    return;

  soup_message_headers_replace (response_headers, "Access-Control-Allow-Origin", origin);
  soup_message_headers_replace (response_headers, "Access-Control-Expose-Headers",
                                "X-Request-ID, Retry-After, Location");
}

static void
handle_preflight (BourseServer      *self,
                  SoupServerMessage *message,
                  const char        *path)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (message);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (message);
  const char *origin = soup_message_headers_get_one (request_headers, "Origin");
  const char *wanted = soup_message_headers_get_one (request_headers, "Access-Control-Request-Method");
  g_autofree char *allow = NULL;
  g_autoptr(GHashTable) params = NULL;
  const BourseRoute *route = NULL;
  BourseRouteMatch match;

  if (!origin_is_allowed (self, origin))
    {
      bourse_reply_problem (message, SOUP_STATUS_FORBIDDEN,
                            _("This origin is not allowed to use the API (server.cors_origins)"), NULL, 0);
      return;
    }

  match = bourse_router_match (self->router, wanted, path, &route, &params, &allow);
  if (match == BOURSE_ROUTE_NOT_FOUND)
    {
      bourse_reply_problem (message, SOUP_STATUS_NOT_FOUND, _("No such resource"), NULL, 0);
      return;
    }

  soup_message_headers_replace (response_headers, "Access-Control-Allow-Methods",
                                match == BOURSE_ROUTE_FOUND ? wanted : allow);
  soup_message_headers_replace (response_headers, "Access-Control-Allow-Headers",
                                "Authorization, Content-Type, X-API-Key, X-Request-ID");
  soup_message_headers_replace (response_headers, "Access-Control-Max-Age", "600");
  soup_server_message_set_status (message, SOUP_STATUS_NO_CONTENT, NULL);
}

/* 401 when credentials are missing or wrong, 403 when the caller's role
 * lacks the route's permission. On success the principal is on the request. */
static gboolean
authorize (BourseServer  *self,
           BourseRequest *request,
           const char    *permission,
           const char    *query_token)
{
  SoupServerMessage *message = bourse_request_get_message (request);
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                            "Authorization");
  const char *api_key = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                      "X-API-Key");
  const char *token = query_token;
  g_autoptr(GError) error = NULL;

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    {
      token = authorization + 7;
      while (*token == ' ')
        token++;
    }

  if (token != NULL && token[0] != '\0')
    request->principal = bourse_auth_authenticate_bearer (bourse_engine_get_auth (self->engine), token, &error);
  else if (api_key != NULL)
    request->principal = bourse_api_keys_authenticate (bourse_engine_get_auth (self->engine), api_key, &error);
  else
    g_set_error (&error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_UNAUTHENTICATED,
                 _("Sign in first: this needs an access token (Authorization: Bearer …) or an API key (X-API-Key)"));

  if (request->principal == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return FALSE;
    }

  if (!bourse_role_has_permission (request->principal->role, permission))
    {
      g_set_error (&error, BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_FORBIDDEN,
                   _("The role “%s” does not have the permission “%s”"),
                   bourse_role_to_string (request->principal->role), permission);
      bourse_request_reply_error (request, error, 0);
      return FALSE;
    }

  return TRUE;
}

/* Seed 001's limits: token buckets per client address and route group,
 * scaled by the caller's tier. FALSE when the 429 has been answered. */
static gboolean
within_rate_limit (BourseServer  *self,
                   BourseRequest *request,
                   const char    *path)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  const char *group, *per_minute_key;
  g_autofree char *bucket = NULL;
  BourseAuthContext context;
  gint64 capacity;
  guint retry_after = 0;

  if (!bourse_config_get_boolean (self->config, "rate_limit", "enabled"))
    return TRUE;

  /* Refreshing and signing out are routine for every client; they must not
   * eat the small budget that keeps password guessing slow. */
  if (g_str_equal (path, "/api/v1/auth/refresh") || g_str_equal (path, "/api/v1/auth/logout"))
    group = "session", per_minute_key = "session_per_minute";
  else if (g_str_has_prefix (path, "/api/v1/auth/")
           || (g_str_equal (path, "/api/v1/setup")
               && g_str_equal (soup_server_message_get_method (bourse_request_get_message (request)), "POST")))
    group = "auth", per_minute_key = "auth_per_minute";
  else if (g_str_has_prefix (path, "/api/v1/orders") || g_str_has_prefix (path, "/api/v1/trades"))
    group = "orders", per_minute_key = "orders_per_minute";
  else if (g_str_has_prefix (path, "/api/v1/market/"))
    group = "market", per_minute_key = "market_per_minute";
  else
    group = "default", per_minute_key = "default_per_minute";

  capacity = bourse_config_get_int (self->config, "rate_limit", per_minute_key);
  if (principal != NULL && g_strcmp0 (principal->tier, "pro") == 0)
    capacity *= bourse_config_get_int (self->config, "rate_limit", "pro_multiplier");
  else if (principal != NULL && g_strcmp0 (principal->tier, "desk") == 0)
    capacity *= bourse_config_get_int (self->config, "rate_limit", "desk_multiplier");

  bourse_request_get_context (request, &context);
  bucket = g_strconcat (context.client_address, "|", group, NULL);
  if (bourse_rate_limiter_take (self->limiter, bucket, MIN (capacity, G_MAXUINT), 60 * G_USEC_PER_SEC,
                                g_get_monotonic_time (), &retry_after))
    return TRUE;

  {
    g_autoptr(GError) error = g_error_new (BOURSE_AUTH_ERROR, BOURSE_AUTH_ERROR_THROTTLED,
                                           _("Too many requests to %s: try again in %u s"), group, retry_after);
    bourse_request_reply_error (request, error, retry_after);
  }
  return FALSE;
}

static void
server_handler_cb (SoupServer        *soup,
                   SoupServerMessage *message,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  BourseServer *self = user_data;
  BourseRequest *request = g_object_get_qdata (G_OBJECT (message), request_quark);
  const char *method = soup_server_message_get_method (message);
  g_autofree char *allow = NULL;
  const BourseRoute *route = NULL;
  BourseRouteMatch match;

  g_assert (request != NULL);

  bourse_log_set_request_id (request->request_id);
  add_cors_headers (self, request, message);
  /* Served over TLS: browsers must never fall back to plain HTTP here. */
  if (self->certificate != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  "Strict-Transport-Security", "max-age=31536000");

  if (self->shutdown_task != NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Connection", "close");
      bourse_reply_problem (message, SOUP_STATUS_SERVICE_UNAVAILABLE,
                            _("The server is shutting down"), NULL, 0);
      goto out;
    }

  if (g_str_equal (method, "OPTIONS")
      && soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                       "Access-Control-Request-Method") != NULL)
    {
      handle_preflight (self, message, path);
      goto out;
    }

  /* Too large is too large, whatever the route: answered before routing so
   * nothing downstream ever sees a truncated body. */
  if (request->body_too_large)
    {
      g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, request->max_body);
      g_autofree char *detail = g_strdup_printf (_("The request body is larger than the limit of %s bytes"),
                                                 limit);
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Connection", "close");
      bourse_reply_problem (message, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, detail, NULL, 0);
      goto out;
    }

  if (query != NULL)
    request->query = g_hash_table_ref (query);

  match = bourse_router_match (self->router, method, path, &route, &request->params, &allow);
  switch (match)
    {
    case BOURSE_ROUTE_FOUND:
      {
        /* A seed's alias is limited and kept from caches as its real route
         * is: /auth/login spends the sign-in budget of /api/v1/auth/login. */
        const char *limited = route->alias_of != NULL ? route->alias_of->pattern : path;
        /* An authenticated read reads the signing key's generation, the
         * session, then what it asked for: one read transaction for all,
         * not one each. Writes end it themselves (bourse_store_begin). */
        BourseStore *store = route->permission != NULL && (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
                               ? bourse_engine_get_store (self->engine) : NULL;

        request->route = route;
        if (route->alias_of != NULL && (g_str_has_prefix (limited, "/api/") || g_str_equal (limited, "/metrics")))
          soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                        "Cache-Control", "no-store");
        if (store != NULL)
          bourse_store_begin_read (store);
        if ((route->permission == NULL || authorize (self, request, route->permission, NULL))
            && (!g_str_has_prefix (limited, "/api/") || within_rate_limit (self, request, limited)))
          route->handler (request, route->user_data);
        if (store != NULL)
          bourse_store_end_read (store);
      }
      break;

    case BOURSE_ROUTE_METHOD_NOT_ALLOWED:
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Allow", allow);
      if (g_str_equal (method, "OPTIONS"))
        soup_server_message_set_status (message, SOUP_STATUS_NO_CONTENT, NULL);
      else
        {
          g_autofree char *detail = g_strdup_printf (_("%s is not allowed here; allowed: %s"), method, allow);
          bourse_reply_problem (message, SOUP_STATUS_METHOD_NOT_ALLOWED, detail, NULL, 0);
        }
      break;

    case BOURSE_ROUTE_NOT_FOUND:
    default:
      if (g_str_has_prefix (path, "/api/")
          || !(g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
          || !_bourse_web_serve (message, path))
        bourse_reply_problem (message, SOUP_STATUS_NOT_FOUND, _("No such resource"), NULL, 0);
      break;
    }

out:
  /* A paused answer gets it when it is released. */
  if (!request->paused)
    _bourse_request_finish_body (request);
  bourse_log_set_request_id (NULL);
}

static void websocket_upgraded_cb (SoupServerMessage *message,
                                   BourseServer      *self);

static const BourseRoute *
route_of_websocket (BourseServer *self)
{
  const BourseRoute *route = NULL;

  bourse_router_match (self->router, "GET", "/api/v1/ws", &route, NULL, NULL);
  return route;
}

/* /api/v1/ws: authorised like any route, then upgraded here rather than by
 * soup_server_add_websocket_handler, so that the connection's input passes
 * through BourseWsLimitStream (libsoup 3.2 bounds frames, not messages) and
 * no extension is negotiated (permessage-deflate would let a small frame
 * inflate into a large message). Browsers cannot set headers on
 * WebSockets, hence ?token=. */
static void
websocket_gate_cb (SoupServer        *soup,
                   SoupServerMessage *message,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  BourseServer *self = user_data;
  BourseRequest *request = g_object_get_qdata (G_OBJECT (message), request_quark);
  g_autoptr(GError) error = NULL;
  const BourseRoute *route = NULL;
  const BourseRoute *websocket;

  g_assert (request != NULL);

  /* /api/v1/ws, or an alias of it (seed 004's /ws); not what lies under them. */
  websocket = route_of_websocket (self);
  if (bourse_router_match (self->router, "GET", path, &route, NULL, NULL) != BOURSE_ROUTE_FOUND
      || (route != websocket && route->alias_of != websocket))
    {
      bourse_reply_problem (message, SOUP_STATUS_NOT_FOUND, _("No such resource"), NULL, 0);
      return;
    }
  request->route = route;

  if (!g_str_equal (soup_server_message_get_method (message), "GET"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Allow", "GET");
      bourse_reply_problem (message, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Only GET opens a WebSocket"), NULL, 0);
      return;
    }

  if (self->shutdown_task != NULL)
    {
      bourse_reply_problem (message, SOUP_STATUS_SERVICE_UNAVAILABLE, _("The server is shutting down"), NULL, 0);
      return;
    }

  if (!authorize (self, request, route->permission, query ? g_hash_table_lookup (query, "token") : NULL))
    return;

  if (soup_message_headers_get_one (soup_server_message_get_request_headers (message), "Upgrade") == NULL)
    {
      route->handler (request, route->user_data);
      return;
    }

  if (!soup_websocket_server_check_handshake (message, NULL, NULL, NULL, &error))
    {
      bourse_reply_problem (message, SOUP_STATUS_BAD_REQUEST, error->message, NULL, 0);
      return;
    }
  /* Sets 101 and the handshake's headers; the connection is ours once
   * libsoup has written them. */
  soup_websocket_server_process_handshake (message, NULL, NULL, NULL, NULL);
  g_signal_connect_object (message, "wrote-informational", G_CALLBACK (websocket_upgraded_cb), self, 0);
}

/* Another path that opens the same WebSocket, once the router has a GET
 * route for it that aliases GET /api/v1/ws. */
void
_bourse_server_add_websocket_path (BourseServer *self,
                                   const char   *path)
{
  soup_server_add_handler (self->soup, path, websocket_gate_cb, self, NULL);
}

static void
websocket_message_too_big_cb (BourseWsLimitStream     *stream,
                              SoupWebsocketConnection *connection)
{
  if (soup_websocket_connection_get_state (connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "message too big");
}

static void
websocket_upgraded_cb (SoupServerMessage *message,
                       BourseServer      *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *origin = soup_message_headers_get_one (headers, "Origin");
  BourseRequest *request = g_object_get_qdata (G_OBJECT (message), request_quark);
  g_autoptr(BoursePrincipal) principal = request ? g_steal_pointer (&request->principal) : NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(BourseWsLimitStream) limited = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  guint64 max_message = bourse_config_get_int (self->config, "server", "ws_max_frame_bytes");

  g_object_ref (message);
  if (bourse_connections_get_socket (self->connections, message, request ? request->connection : NULL) != NULL)
    socket = g_object_ref (bourse_connections_get_socket (self->connections, message,
                                                          request ? request->connection : NULL));
  request_done (self, message);

  stream = soup_server_message_steal_connection (message);
  limited = bourse_ws_limit_stream_new (stream, max_message);
  connection = soup_websocket_connection_new (G_IO_STREAM (limited), soup_server_message_get_uri (message),
                                              SOUP_WEBSOCKET_CONNECTION_SERVER, origin, NULL, NULL);
  g_signal_connect_object (limited, "message-too-big", G_CALLBACK (websocket_message_too_big_cb),
                           connection, 0);

  /* A browser page from elsewhere must not ride on a user's session
   * (cross-site WebSocket hijacking): same origin or the CORS allow-list. */
  if (origin != NULL)
    {
      const char *host = soup_message_headers_get_one (headers, "Host");
      g_autoptr(GUri) origin_uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
      g_autofree char *origin_host = NULL;

      if (origin_uri != NULL)
        origin_host = g_uri_get_port (origin_uri) > 0
          ? g_strdup_printf ("%s:%d", g_uri_get_host (origin_uri), g_uri_get_port (origin_uri))
          : g_strdup (g_uri_get_host (origin_uri));

      if (g_strcmp0 (origin_host, host) != 0 && !origin_is_allowed (self, origin))
        {
          soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                           "origin not allowed");
          g_object_unref (message);
          return;
        }
    }

  if (socket == NULL || principal == NULL || self->shutdown_task != NULL)
    soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
  else
    {
      /* Each frame too, so that libsoup refuses a huge one before it is read. */
      soup_websocket_connection_set_max_incoming_payload_size (connection, max_message);
      soup_websocket_connection_set_keepalive_interval (connection, 30);
      bourse_hub_add_client (self->hub, connection, socket, principal);
    }
  g_object_unref (message);
}

static void
system_changed_cb (BourseServer *self)
{
  _bourse_server_publish_status (self);
}

static gboolean
clients_changed_idle_cb (gpointer data)
{
  BourseServer *self = data;

  self->clients_source = 0;
  if (self->clients_dirty)
    {
      self->clients_dirty = FALSE;
      _bourse_server_publish_status (self);
    }
  return G_SOURCE_REMOVE;
}

/* The status names the number of WebSocket clients, and goes to each of
 * them: published on every client's arrival, a burst of n clients cost
 * O(n²) (a third of the time of 10,000 at once, bench/http). The first
 * change is published at once; those that follow it before the main loop
 * is idle again, once then. */
static void
clients_changed_cb (BourseServer *self)
{
  if (self->clients_source != 0)
    {
      self->clients_dirty = TRUE;
      return;
    }
  _bourse_server_publish_status (self);
  self->clients_source = bourse_idle_add (G_PRIORITY_DEFAULT_IDLE, clients_changed_idle_cb, self);
}

static gboolean
system_tick_cb (gpointer data)
{
  _bourse_server_publish_status (data);
  return G_SOURCE_CONTINUE;
}

static void
bourse_server_dispose (GObject *object)
{
  BourseServer *self = (BourseServer *)object;

  g_clear_handle_id (&self->system_source, bourse_source_remove);
  g_clear_handle_id (&self->clients_source, bourse_source_remove);
  g_clear_handle_id (&self->shutdown_timeout_source, bourse_source_remove);
  g_clear_handle_id (&self->log_watch, bourse_log_unwatch);
  g_clear_object (&self->config_monitor);
  if (self->engine != NULL)
    g_clear_signal_handler (&self->state_handler, self->engine);
  if (self->hub != NULL)
    g_clear_signal_handler (&self->clients_handler, self->hub);

  g_clear_pointer (&self->connections, bourse_connections_free);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->listener);

  g_clear_object (&self->hub);
  g_clear_object (&self->soup);
  g_clear_object (&self->certificate);
  g_clear_object (&self->engine);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (bourse_server_parent_class)->dispose (object);
}

static void
bourse_server_finalize (GObject *object)
{
  BourseServer *self = (BourseServer *)object;

  g_clear_pointer (&self->router, bourse_router_free);
  g_clear_pointer (&self->metrics, bourse_metrics_free);
  g_clear_pointer (&self->limiter, bourse_rate_limiter_free);
  g_clear_pointer (&self->cors_origins, g_strfreev);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->openapi, g_bytes_unref);
  g_clear_pointer (&self->health_body, g_bytes_unref);
  g_clear_pointer (&self->tagged_body, g_bytes_unref);

  G_OBJECT_CLASS (bourse_server_parent_class)->finalize (object);
}

static void
bourse_server_class_init (BourseServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_server_dispose;
  object_class->finalize = bourse_server_finalize;
}

static void
bourse_server_init (BourseServer *self)
{
  self->router = bourse_router_new ();
  self->metrics = bourse_metrics_new ();
  self->limiter = bourse_rate_limiter_new ();
}

BourseServer *
bourse_server_new (BourseEngine *engine)
{
  BourseServer *self;

  g_return_val_if_fail (BOURSE_IS_ENGINE (engine), NULL);

  install_hooks_once ();
  self = g_object_new (BOURSE_TYPE_SERVER, NULL);
  self->engine = g_object_ref (engine);
  self->config = g_object_ref (bourse_engine_get_config (engine));
  self->cors_origins = bourse_config_dup_list (self->config, "server", "cors_origins");
  self->max_body = bourse_config_get_int (self->config, "server", "max_body_bytes");
  self->hub = bourse_hub_new (bourse_engine_get_event_bus (engine), self->metrics,
                              bourse_config_get_int (self->config, "server", "ws_queue_limit"),
                              bourse_engine_get_auth (engine), bourse_engine_get_store (engine));
  bourse_hub_set_max_topics (self->hub, bourse_config_get_int (self->config, "server", "ws_max_topics"));

  /* No version in the Server header: it would only help an attacker. */
  self->soup = g_object_new (SOUP_TYPE_SERVER, "server-header", "bourse", NULL);
  self->connections = bourse_connections_new (self->soup,
                                              bourse_config_get_int (self->config, "server", "header_timeout"),
                                              bourse_config_get_int (self->config, "server", "idle_timeout"));
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_finished_cb), self);
  soup_server_add_handler (self->soup, NULL, server_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, "/api/v1/ws", websocket_gate_cb, self, NULL);

  _bourse_server_add_system_routes (self);
  _bourse_server_add_web_routes (self);
  _bourse_server_add_auth_routes (self);
  _bourse_server_add_account_routes (self);
  _bourse_server_add_market_routes (self);
  _bourse_server_add_job_routes (self);
  _bourse_server_add_csv_routes (self);
  _bourse_server_add_desk_routes (self);
  _bourse_server_add_webhook_routes (self);
  _bourse_server_add_model_routes (self);
  _bourse_server_add_risk_routes (self);
  _bourse_server_add_trading_routes (self);
  _bourse_server_add_exchange_routes (self);
  _bourse_server_add_portfolio_routes (self);
  _bourse_server_add_backtest_routes (self);
  _bourse_server_add_optimisation_routes (self);
  _bourse_server_add_log_routes (self);
  _bourse_server_add_health_routes (self);
  _bourse_server_add_scheduler_routes (self);
  _bourse_server_add_config_routes (self);
  _bourse_server_add_notification_routes (self);
  _bourse_server_add_setup_routes (self);
  /* Last: the seeds' paths alias the routes above. */
  _bourse_server_add_seed_routes (self);

  self->state_handler = g_signal_connect_swapped (engine, "notify::state",
                                                  G_CALLBACK (system_changed_cb), self);
  self->clients_handler = g_signal_connect_swapped (self->hub, "clients-changed",
                                                    G_CALLBACK (clients_changed_cb), self);

  return self;
}

/* TLS 1.3 and 1.2 only; in 1.2, ECDHE (forward secrecy) with AEAD ciphers. */
#define TLS_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:" \
                     "-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD:%SERVER_PRECEDENCE"

void
bourse_server_init_tls_policy (void)
{
  g_setenv ("G_TLS_GNUTLS_PRIORITY", TLS_PRIORITY, FALSE);
}

typedef struct
{
  GTlsConnection *connection;
  GError         *error;
} Handshake;

static gpointer
handshake_thread (gpointer data)
{
  Handshake *side = data;

  g_tls_connection_handshake (side->connection, NULL, &side->error);
  return NULL;
}

static gboolean
accept_any_certificate_cb (GTlsConnection       *connection,
                           GTlsCertificate      *peer,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return TRUE;
}

/* glib-networking loads a certificate and a key that do not belong
 * together without a word, and then every handshake fails. One handshake
 * with ourselves, over a socket pair, proves the key signs for the
 * certificate before we announce that we listen. */
static gboolean
certificate_works (GTlsCertificate  *certificate,
                   GError          **error)
{
  g_autoptr(GSocket) server_socket = NULL;
  g_autoptr(GSocket) client_socket = NULL;
  g_autoptr(GSocketConnection) server_stream = NULL;
  g_autoptr(GSocketConnection) client_stream = NULL;
  g_autoptr(GIOStream) server_tls = NULL;
  g_autoptr(GIOStream) client_tls = NULL;
  g_autoptr(GError) client_error = NULL;
  Handshake server_side = { NULL, NULL };
  GThread *thread;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    return TRUE;   /* nothing to check with: the first client will tell */
  server_socket = g_socket_new_from_fd (fds[0], NULL);
  client_socket = g_socket_new_from_fd (fds[1], NULL);
  if (server_socket == NULL || client_socket == NULL)
    return TRUE;
  server_stream = g_socket_connection_factory_create_connection (server_socket);
  client_stream = g_socket_connection_factory_create_connection (client_socket);

  server_tls = g_tls_server_connection_new (G_IO_STREAM (server_stream), certificate, error);
  client_tls = server_tls ? g_tls_client_connection_new (G_IO_STREAM (client_stream), NULL, error) : NULL;
  if (client_tls == NULL)
    return FALSE;
  g_signal_connect (client_tls, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), NULL);

  server_side.connection = G_TLS_CONNECTION (server_tls);
  thread = g_thread_new ("tls-check", handshake_thread, &server_side);
  g_tls_connection_handshake (G_TLS_CONNECTION (client_tls), NULL, &client_error);
  if (client_error != NULL)
    /* Unblocks the server's side if it still waits. */
    g_io_stream_close (G_IO_STREAM (client_tls), NULL, NULL);
  g_thread_join (thread);

  if (client_error != NULL || server_side.error != NULL)
    {
      g_propagate_error (error, client_error ? g_steal_pointer (&client_error) : g_steal_pointer (&server_side.error));
      g_clear_error (&server_side.error);
      return FALSE;
    }
  g_io_stream_close (G_IO_STREAM (client_tls), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (server_tls), NULL, NULL);
  return TRUE;
}

static GInetAddress *
parse_bind_address (const char  *text,
                    GError     **error)
{
  GInetAddress *address;

  if (g_strcmp0 (text, "localhost") == 0)
    return g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  address = g_inet_address_new_from_string (text);
  if (address == NULL)
    g_set_error (error, BOURSE_SERVER_ERROR, BOURSE_SERVER_ERROR_BIND,
                 _("Invalid value “%s” for server.bind: expected an IPv4 or IPv6 address"), text);
  return address;
}

gboolean
bourse_server_start (BourseServer  *self,
                     GError       **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) requested = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autofree char *host = NULL;
  const char *bind = bourse_config_get_string (self->config, "server", "bind");
  const char *cert = bourse_config_get_string (self->config, "server", "tls_cert");
  const char *key = bourse_config_get_string (self->config, "server", "tls_key");
  guint16 port = bourse_config_get_int (self->config, "server", "port");

  g_return_val_if_fail (BOURSE_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->listener == NULL, FALSE);

  if ((cert[0] != '\0') != (key[0] != '\0'))
    {
      g_set_error (error, BOURSE_SERVER_ERROR, BOURSE_SERVER_ERROR_TLS,
                   _("TLS needs both server.tls_cert (--tls-cert) and server.tls_key (--tls-key)"));
      return FALSE;
    }
  if (cert[0] != '\0')
    {
      g_autoptr(GError) local_error = NULL;

      self->certificate = g_tls_certificate_new_from_files (cert, key, &local_error);
      if (self->certificate == NULL)
        {
          g_set_error (error, BOURSE_SERVER_ERROR, BOURSE_SERVER_ERROR_TLS,
                       _("Cannot load the TLS certificate %s and key %s: %s"), cert, key, local_error->message);
          return FALSE;
        }
      if (!certificate_works (self->certificate, &local_error))
        {
          g_set_error (error, BOURSE_SERVER_ERROR, BOURSE_SERVER_ERROR_TLS,
                       _("The TLS key %s does not belong to the certificate %s (a test handshake failed: %s)"),
                       key, cert, local_error->message);
          g_clear_object (&self->certificate);
          return FALSE;
        }
    }

  if ((address = parse_bind_address (bind, error)) == NULL)
    return FALSE;

  if (!g_inet_address_get_is_loopback (address) && self->certificate == NULL)
    {
      if (!bourse_config_get_boolean (self->config, "server", "insecure_bind"))
        {
          g_set_error (error, BOURSE_SERVER_ERROR, BOURSE_SERVER_ERROR_INSECURE_BIND,
                       _("Refusing to listen on %s without TLS: passwords and tokens would cross "
                         "the network in clear text. Give --tls-cert and --tls-key, or "
                         "--insecure-bind if a proxy in front terminates TLS."), bind);
          return FALSE;
        }
      g_warning ("Listening on %s without TLS (--insecure-bind): traffic is not encrypted", bind);
    }

  /* Bound here rather than by soup_server_listen so that shutdown can stop
   * accepting on this very socket while libsoup keeps serving open ones. */
  self->listener = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, error);
  if (self->listener == NULL)
    return FALSE;
  requested = g_inet_socket_address_new (address, port);
  if (self->certificate != NULL)
    g_object_set (self->soup, "tls-certificate", self->certificate, NULL);
  /* GSocket's default backlog of 10 refuses bursts of clients: a
   * thousand WebSocket clients reconnecting after a restart overflowed
   * even 256, each overflow a SYN resent a second or more later. The
   * kernel's largest (uvicorn asks for 2048; the kernel caps it at
   * net.core.somaxconn). */
  g_socket_set_listen_backlog (self->listener, SOMAXCONN);
  if (!g_socket_bind (self->listener, requested, TRUE, error)
      || !g_socket_listen (self->listener, error))
    {
      g_prefix_error (error, _("Cannot listen on %s port %u: "), bind, port);
      g_clear_object (&self->listener);
      return FALSE;
    }
  /* Plain HTTP is accepted by our own loop, many connections a pass
   * (bourse-connections.c); TLS connections by libsoup's listener, which
   * does their handshake. libsoup listens on the socket in both cases: in
   * 3.2 a server without a listener of its own closes every connection
   * after its first answer (no keep-alive). Ours watches the socket at a
   * higher priority, so libsoup's is not dispatched while a connection
   * waits, and if it ever is, it finds the queue empty (the socket is
   * non-blocking now) and stops watching, or takes one connection, served
   * as it always was. */
  if (self->certificate == NULL)
    bourse_connections_accept (self->connections, self->listener);
  if (!soup_server_listen_socket (self->soup, self->listener,
                                  self->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    {
      g_prefix_error (error, _("Cannot listen on %s port %u: "), bind, port);
      bourse_connections_stop_accepting (self->connections);
      g_clear_object (&self->listener);
      return FALSE;
    }
  effective = g_socket_get_local_address (self->listener, error);
  if (effective == NULL)
    return FALSE;

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  host = g_inet_address_to_string (address);
  self->url = g_strdup_printf ("%s://%s%s%s:%u/",
                               self->certificate ? "https" : "http",
                               g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? "[" : "",
                               host,
                               g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? "]" : "",
                               self->port);

  self->system_source = bourse_timeout_add_seconds (bourse_config_get_int (self->config, "server", "system_interval"),
                                               system_tick_cb, self);
  _bourse_server_publish_status (self);
  _bourse_server_watch_config (self);

  g_info ("Listening on %s", self->url);
  return TRUE;
}

const char *
bourse_server_get_url (BourseServer *self)
{
  g_return_val_if_fail (BOURSE_IS_SERVER (self), NULL);

  return self->url;
}

guint16
bourse_server_get_port (BourseServer *self)
{
  g_return_val_if_fail (BOURSE_IS_SERVER (self), 0);

  return self->port;
}

guint
bourse_server_get_n_websockets (BourseServer *self)
{
  g_return_val_if_fail (BOURSE_IS_SERVER (self), 0);

  return bourse_hub_get_n_clients (self->hub);
}

BourseRouter *
bourse_server_get_router (BourseServer *self)
{
  g_return_val_if_fail (BOURSE_IS_SERVER (self), NULL);

  return self->router;
}

static void
complete_shutdown (BourseServer *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  g_clear_handle_id (&self->shutdown_timeout_source, bourse_source_remove);
  if (self->hub != NULL)
    g_clear_signal_handler (&self->clients_handler, self->hub);
  /* Idle keep-alive connections and anything past the time-out go now. */
  soup_server_disconnect (self->soup);
  g_clear_object (&self->listener);
  g_info ("Server stopped");
  g_task_return_boolean (task, TRUE);
}

static void
maybe_finish_shutdown (BourseServer *self)
{
  if (self->shutdown_task == NULL || self->shutdown_timeout_source == 0)
    return;

  if (self->in_flight == 0 && bourse_hub_get_n_clients (self->hub) == 0)
    complete_shutdown (self);
}

static gboolean
shutdown_timeout_cb (gpointer data)
{
  BourseServer *self = data;

  self->shutdown_timeout_source = 0;
  g_warning ("Shutdown time-out: %u requests and %u WebSockets still open",
             self->in_flight, bourse_hub_get_n_clients (self->hub));
  complete_shutdown (self);
  return G_SOURCE_REMOVE;
}

static void
hub_clients_changed_during_shutdown_cb (BourseServer *self)
{
  maybe_finish_shutdown (self);
}

void
bourse_server_shutdown_async (BourseServer        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout;

  g_return_if_fail (BOURSE_IS_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_server_shutdown_async);

  if (self->shutdown_task != NULL || self->listener == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->shutdown_task = g_steal_pointer (&task);
  g_clear_handle_id (&self->system_source, bourse_source_remove);

  /* 1. Stop accepting. On Linux, shutting down the read side of a listening
   * socket refuses new connections at once; libsoup's accept then fails and
   * its listener removes its own watch. Open connections carry on. */
  bourse_connections_stop_accepting (self->connections);
  if (!g_socket_shutdown (self->listener, TRUE, FALSE, &error))
    g_warning ("Could not stop accepting connections: %s", error->message);

  /* 2. WebSockets: 1001 Going Away; 3. wait for in-flight requests. */
  g_clear_signal_handler (&self->clients_handler, self->hub);
  self->clients_handler = g_signal_connect_swapped (self->hub, "clients-changed",
                                                    G_CALLBACK (hub_clients_changed_during_shutdown_cb),
                                                    self);
  bourse_hub_close_all (self->hub, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");

  timeout = bourse_config_get_int (self->config, "server", "shutdown_timeout");
  self->shutdown_timeout_source = bourse_timeout_add_seconds (MAX (timeout, 1), shutdown_timeout_cb, self);
  maybe_finish_shutdown (self);
}

gboolean
bourse_server_shutdown_finish (BourseServer  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_SERVER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
