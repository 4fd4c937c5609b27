/* bourse-request.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"

#include "bourse-error-status.h"
#include "bourse-request-private.h"
#include "bourse-server-private.h"

/* Set on every answer before anyone answers it (a route, the router's 404,
 * the 401 of a missing token, an export that writes its own body), so that
 * none goes without: browsers must not guess a type, and no cache may keep
 * what is under /api/ (personal data, tokens) or /metrics. /health, /live,
 * /ready and the web UI's files keep their own caching (docs/API.md).
 * Called from the server's "got-headers" hook with the decoded @path. */
void
_bourse_request_add_security_headers (BourseRequest *request,
                                      const char    *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->message);

  /* Appended, not replaced: nothing has set them yet. */
  soup_message_headers_append (headers, "X-Content-Type-Options", "nosniff");
  if (g_str_has_prefix (path, "/api/") || g_str_equal (path, "/metrics"))
    soup_message_headers_append (headers, "Cache-Control", "no-store");
}

BourseRequest *
_bourse_request_new (SoupServerMessage *message,
                     BourseEngine      *engine,
                     gsize              max_body)
{
  BourseRequest *request = g_new0 (BourseRequest, 1);

  request->message = message;
  request->engine = engine;
  request->max_body = max_body;
  request->started_us = g_get_monotonic_time ();
  return request;
}

void
_bourse_request_free (BourseRequest *request)
{
  g_clear_pointer (&request->params, g_hash_table_unref);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->request_id, g_free);
  g_clear_pointer (&request->client_address, g_free);
  g_clear_pointer (&request->principal, bourse_principal_free);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_clear_pointer (&request->body_json, json_node_unref);
  g_free (request);
}

/* ETag, If-None-Match and Content-Encoding {{{ */

/* Whether @tag is among the entity tags of an If-None-Match header:
 * weak comparison (RFC 9110, 13.1.2), so "W/" is ignored; "*" matches any. */
static gboolean
etag_list_matches (const char *list,
                   const char *tag)
{
  g_auto(GStrv) candidates = g_strsplit (list, ",", -1);

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      const char *candidate = g_strstrip (candidates[i]);

      if (g_str_has_prefix (candidate, "W/"))
        candidate += 2;
      if (g_str_equal (candidate, "*") || g_str_equal (candidate, tag))
        return TRUE;
    }
  return FALSE;
}

/* Whether the client takes gzip (RFC 9110, 12.5.3): "gzip", "x-gzip" or
 * "*" listed without "q=0". */
static gboolean
accepts_gzip (const char *accept_encoding)
{
  g_auto(GStrv) codings = NULL;

  if (accept_encoding == NULL)
    return FALSE;

  codings = g_strsplit (accept_encoding, ",", -1);
  for (guint i = 0; codings[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (codings[i], ";", -1);
      const char *coding = g_strstrip (parts[0]);
      gboolean refused = FALSE;

      if (g_ascii_strcasecmp (coding, "gzip") != 0 && g_ascii_strcasecmp (coding, "x-gzip") != 0
          && !g_str_equal (coding, "*"))
        continue;

      for (guint j = 1; parts[j] != NULL; j++)
        {
          const char *parameter = g_strstrip (parts[j]);

          if (g_ascii_strncasecmp (parameter, "q=", 2) == 0)
            refused = g_ascii_strtod (parameter + 2, NULL) <= 0.0;
        }
      return !refused;
    }
  return FALSE;
}

/* Text compresses; images and archives already are. */
static gboolean
is_compressible (const char *content_type)
{
  if (content_type == NULL)
    return FALSE;
  return g_str_has_prefix (content_type, "text/")
      || g_str_has_prefix (content_type, "application/json")
      || g_str_has_prefix (content_type, "application/problem+json")
      || g_str_has_prefix (content_type, "application/javascript")
      || g_str_has_prefix (content_type, "image/svg+xml");
}

/* Below this, the gzip header and the work cost more than they save. */
#define COMPRESS_MIN_SIZE 1024
/* Compressed bodies remembered by their tag, which is the hash of what was
 * compressed: the web console's files and unchanged big reads are
 * compressed once. Cleared whole when it outgrows its budget. */
#define COMPRESS_CACHE_MIN_SIZE (16 * 1024)
#define COMPRESS_CACHE_BUDGET   (8 * 1024 * 1024)

static GMutex      compress_cache_lock;
static GHashTable *compress_cache;    /* tag → GBytes */
static gsize       compress_cache_size;

static GBytes *
gzip_bytes (GBytes *bytes)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GInputStream) source = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) compressed = g_converter_input_stream_new (source, G_CONVERTER (compressor));
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  /* In memory both ends: it cannot fail. */
  if (g_output_stream_splice (sink, compressed,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, NULL) < 0)
    g_return_val_if_reached (NULL);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static GBytes *
gzip_bytes_cached (GBytes     *bytes,
                   const char *tag)
{
  GBytes *compressed;

  if (g_bytes_get_size (bytes) < COMPRESS_CACHE_MIN_SIZE)
    return gzip_bytes (bytes);

  g_mutex_lock (&compress_cache_lock);
  if (compress_cache == NULL)
    compress_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  compressed = g_hash_table_lookup (compress_cache, tag);
  if (compressed != NULL)
    compressed = g_bytes_ref (compressed);
  g_mutex_unlock (&compress_cache_lock);

  if (compressed != NULL)
    return compressed;

  compressed = gzip_bytes (bytes);

  g_mutex_lock (&compress_cache_lock);
  if (compress_cache_size + g_bytes_get_size (compressed) > COMPRESS_CACHE_BUDGET)
    {
      g_hash_table_remove_all (compress_cache);
      compress_cache_size = 0;
    }
  if (!g_hash_table_contains (compress_cache, tag))
    {
      g_hash_table_insert (compress_cache, g_strdup (tag), g_bytes_ref (compressed));
      compress_cache_size += g_bytes_get_size (compressed);
    }
  g_mutex_unlock (&compress_cache_lock);

  return compressed;
}

/* One mechanism for every route and the web UI's files, rather than code in
 * the handlers of the big reads: a GET answered 200 with a whole body gets
 * an ETag, the hash of that body, and a client that sends it back in
 * If-None-Match gets 304 without the body. The answer is still computed
 * (an ETag from the data's own version would need every store to keep
 * one), but not sent: a client polling candles or the portfolio saves the
 * transfer and the parsing. A streamed body (CSV export) gets none.
 *
 * The same answers are sent gzipped to a client that accepts it (the web
 * console's first load, candles, the OpenAPI document): the compressed
 * body is another representation, so its tag is another ("…-gzip"), and
 * the answer varies by Accept-Encoding. Only GET and HEAD: an answer to a
 * POST may hold a fresh secret (a token, an API key) next to what the
 * client sent, which is what length-based attacks on compression (BREACH)
 * need. */
void
_bourse_request_finish_body (BourseRequest *request)
{
  SoupServerMessage *message = request->message;
  const char *method = soup_server_message_get_method (message);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (message);
  SoupMessageBody *body = soup_server_message_get_response_body (message);
  BourseServer *server = request->server;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) compressed = NULL;
  static const char hex[] = "0123456789abcdef";
  /* "…32 hex digits…-gzip" */
  char tag[1 + sizeof server->tagged_digest - 1 + sizeof "-gzip\""];
  const char *if_none_match;
  gboolean gzip = FALSE;

  if (soup_server_message_get_status (message) == SOUP_STATUS_OK
      && (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
      && soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CHUNKED
      && soup_message_headers_get_one (headers, "Content-Encoding") == NULL
      && body->length > 0)
    {
      /* An answer of one piece (what soup_server_message_set_response ()
       * and a kept GBytes make) is that piece: no copy. */
      bytes = soup_message_body_get_chunk (body, 0);
      if (bytes == NULL || g_bytes_get_size (bytes) != (gsize)body->length)
        {
          g_clear_pointer (&bytes, g_bytes_unref);
          bytes = soup_message_body_flatten (body);
        }
      gzip = is_compressible (soup_message_headers_get_content_type (headers, NULL));
    }

  /* One Vary field, written once, with the server's "Origin" (CORS) and
   * ours: each field costs libsoup a formatted line. */
  if (gzip)
    soup_message_headers_append (headers, "Vary", request->vary_origin ? "Origin, Accept-Encoding" : "Accept-Encoding");
  else if (request->vary_origin)
    soup_message_headers_append (headers, "Vary", "Origin");

  if (bytes == NULL)
    return;

  gzip = gzip && g_bytes_get_size (bytes) >= COMPRESS_MIN_SIZE
         && accepts_gzip (soup_message_headers_get_list (request_headers, "Accept-Encoding"));

  /* The same bytes as the last answer tagged (a GBytes kept by its
   * handler: the version, /health within a second) have the same tag. */
  if (server->tagged_body != bytes)
    {
      guint8 digest[16];

      G_STATIC_ASSERT (sizeof server->tagged_digest == sizeof digest * 2 + 1);
      crypto_generichash (digest, sizeof digest, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL, 0);
      for (guint i = 0; i < sizeof digest; i++)
        {
          server->tagged_digest[2 * i] = hex[digest[i] >> 4];
          server->tagged_digest[2 * i + 1] = hex[digest[i] & 0x0f];
        }
      server->tagged_digest[sizeof digest * 2] = '\0';
      g_clear_pointer (&server->tagged_body, g_bytes_unref);
      server->tagged_body = g_bytes_ref (bytes);
    }
  tag[0] = '"';
  memcpy (tag + 1, server->tagged_digest, sizeof server->tagged_digest - 1);
  strcpy (tag + sizeof server->tagged_digest, gzip ? "-gzip\"" : "\"");
  /* Appended: an answer is finished once, and nothing else sets one. */
  soup_message_headers_append (headers, "ETag", tag);

  if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  if (if_none_match != NULL && etag_list_matches (if_none_match, tag))
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_MODIFIED, NULL);
      soup_message_body_truncate (body);
      soup_message_headers_remove (headers, "Content-Type");
      /* No "Content-Length: 0": a 304 may only repeat the 200's length. */
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_NONE);
      return;
    }

  if (!gzip)
    return;

  compressed = gzip_bytes_cached (bytes, tag);
  soup_message_body_truncate (body);
  soup_message_body_append_bytes (body, compressed);
  soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  soup_message_headers_set_content_length (headers, g_bytes_get_size (compressed));
}

/* }}} */

SoupServerMessage *
bourse_request_get_message (BourseRequest *request)
{
  return request->message;
}

BourseEngine *
bourse_request_get_engine (BourseRequest *request)
{
  return request->engine;
}

const BourseRoute *
bourse_request_get_route (BourseRequest *request)
{
  return request->route;
}

const char *
bourse_request_get_request_id (BourseRequest *request)
{
  return request->request_id;
}

BourseAuth *
bourse_request_get_auth (BourseRequest *request)
{
  return bourse_engine_get_auth (request->engine);
}

gint64
bourse_request_get_id_param (BourseRequest *request)
{
  const char *text = bourse_request_get_param (request, "id");
  char *end = NULL;
  gint64 id = text ? g_ascii_strtoll (text, &end, 10) : 0;

  if (id <= 0 || end == NULL || *end != '\0')
    {
      bourse_request_reply_problem (request, SOUP_STATUS_NOT_FOUND, _("No such resource"), NULL, 0);
      return 0;
    }
  return id;
}

gboolean
bourse_request_get_string_member (BourseRequest  *request,
                                  JsonObject     *body,
                                  const char     *field,
                                  gboolean        required,
                                  const char    **value)
{
  JsonNode *node = json_object_get_member (body, field);

  *value = NULL;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
      && json_node_get_string (node)[0] != '\0')
    {
      *value = json_node_get_string (node);
      return TRUE;
    }
  if (!required && (node == NULL || JSON_NODE_HOLDS_NULL (node)))
    return TRUE;

  {
    g_autofree char *detail = g_strdup_printf (node == NULL ? _("“%s” is missing")
                                                            : _("“%s” must be a non-empty string"), field);
    const BourseFieldError errors[] = {
      { field, node == NULL ? _("is required and must be a non-empty string")
                            : _("must be a non-empty string") }
    };

    bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, detail, errors, 1);
  }
  return FALSE;
}

void
bourse_request_reply_field_error (BourseRequest *request,
                                  guint          status,
                                  const char    *field,
                                  const char    *message)
{
  const BourseFieldError errors[] = { { field, message } };

  bourse_request_reply_problem (request, status, message, errors, 1);
}

const BoursePrincipal *
bourse_request_get_principal (BourseRequest *request)
{
  return request->principal;
}

void
bourse_request_get_context (BourseRequest     *request,
                            BourseAuthContext *context)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->message);

  if (request->client_address == NULL)
    {
      GSocketAddress *address = soup_server_message_get_remote_address (request->message);

      request->client_address = G_IS_INET_SOCKET_ADDRESS (address)
        ? g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)))
        : g_strdup ("unknown");
    }

  context->client_address = request->client_address;
  context->request_id = request->request_id;
  context->user_agent = soup_message_headers_get_one (headers, "User-Agent");
}

void
bourse_request_reply_error (BourseRequest *request,
                            const GError  *error,
                            guint          retry_after_s)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->message);
  guint status = bourse_error_status (error);
  const char *field = bourse_error_field (error);
  g_autoptr(JsonObject) members = bourse_error_dup_members (error);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"bourse\"");
  if (status == 429)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", MAX (retry_after_s, 1));
      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    {
      g_warning ("Request failed: %s", error->message);
      bourse_request_reply_problem (request, status, _("Something went wrong on the server; its log has the details"),
                                    NULL, 0);
      return;
    }

  {
    const BourseFieldError errors[] = { { field, error->message } };

    bourse_request_reply_problem_extra (request, status, error->message, errors, field != NULL ? 1 : 0, members);
  }
}

void
bourse_request_reply_reference_error (BourseRequest *request,
                                      const GError  *error,
                                      const char    *field)
{
  if (bourse_error_status (error) == SOUP_STATUS_NOT_FOUND)
    bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, error->message);
  else
    bourse_request_reply_error (request, error, 0);
}

gboolean
bourse_request_audit_cb (BourseStore  *store,
                         const char   *action,
                         const char   *target,
                         JsonNode     *details,
                         gpointer      user_data,
                         GError      **error)
{
  BourseRequest *request = user_data;
  BourseAuthContext context;

  /* The entry joins the change's transaction: one connection. */
  g_assert (bourse_auth_get_store (bourse_request_get_auth (request)) == store);

  bourse_request_get_context (request, &context);
  return bourse_auth_audit (bourse_request_get_auth (request), request->principal->actor, action, target, details,
                            &context, error);
}

gboolean
bourse_request_get_boolean_member (BourseRequest *request,
                                   JsonObject    *body,
                                   const char    *field,
                                   gboolean      *value)
{
  if (!json_object_has_member (body, field))
    return TRUE;
  if (bourse_json_get_boolean (body, field, value))
    return TRUE;
  bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field, _("must be true or false"));
  return FALSE;
}

gboolean
bourse_request_get_decimal_member (BourseRequest  *request,
                                   JsonObject     *body,
                                   const char     *field,
                                   gboolean        required,
                                   gboolean       *present,
                                   BourseDecimal  *value)
{
  const char *text;

  *present = FALSE;
  if (!bourse_request_get_string_member (request, body, field, required, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!bourse_decimal_parse (text, value, NULL))
    {
      bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field,
                                        _("must be a decimal string with at most 8 decimals, such as “0.01”"));
      return FALSE;
    }
  *present = TRUE;
  return TRUE;
}

const char *
bourse_request_get_param (BourseRequest *request,
                          const char    *name)
{
  return request->params ? g_hash_table_lookup (request->params, name) : NULL;
}

const char *
bourse_request_get_query (BourseRequest *request,
                          const char    *name)
{
  return request->query ? g_hash_table_lookup (request->query, name) : NULL;
}

/* libsoup 3.2 has no phrase for 429 Too Many Requests. */
static const char *
status_phrase (guint status)
{
  return status == 429 ? "Too Many Requests" : soup_status_get_phrase (status);
}

void
bourse_reply_json (SoupServerMessage *message,
                   guint              status,
                   JsonNode          *body)
{
  gsize length;
  char *text = bourse_json_to_string (body, &length);

  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE, text, length);
}

static void
reply_problem (SoupServerMessage      *message,
               guint                   status,
               const char             *detail,
               const BourseFieldError *errors,
               guint                   n_errors,
               JsonObject             *extra)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *request_id;
  char *text;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "about:blank");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, status_phrase (status));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "detail");
  json_builder_add_string_value (builder, detail ? detail : status_phrase (status));
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_errors; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, errors[i].field);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, errors[i].message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &value))
        {
          json_builder_set_member_name (builder, name);
          json_builder_add_value (builder, json_node_copy (value));
        }
    }
  request_id = soup_message_headers_get_one (soup_server_message_get_response_headers (message),
                                             "X-Request-ID");
  if (request_id != NULL)
    {
      json_builder_set_member_name (builder, "request_id");
      json_builder_add_string_value (builder, request_id);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = bourse_json_to_string (root, &length);

  soup_server_message_set_status (message, status, status_phrase (status));
  soup_server_message_set_response (message, "application/problem+json", SOUP_MEMORY_TAKE,
                                    text, length);
}

void
bourse_reply_problem (SoupServerMessage      *message,
                      guint                   status,
                      const char             *detail,
                      const BourseFieldError *errors,
                      guint                   n_errors)
{
  reply_problem (message, status, detail, errors, n_errors, NULL);
}

void
bourse_request_reply_problem_extra (BourseRequest          *request,
                                    guint                   status,
                                    const char             *detail,
                                    const BourseFieldError *errors,
                                    guint                   n_errors,
                                    JsonObject             *extra)
{
  reply_problem (request->message, status, detail, errors, n_errors, extra);
}

GBytes *
bourse_request_steal_body (BourseRequest *request)
{
  if (request->body == NULL)
    return g_bytes_new (NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&request->body));
}

void
bourse_request_reply_json (BourseRequest *request,
                           guint          status,
                           JsonNode      *body)
{
  bourse_reply_json (request->message, status, body);
}

void
bourse_request_reply_builder (BourseRequest *request,
                              guint          status,
                              JsonBuilder   *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  bourse_reply_json (request->message, status, root);
}

void
bourse_request_reply_problem (BourseRequest          *request,
                              guint                   status,
                              const char             *detail,
                              const BourseFieldError *errors,
                              guint                   n_errors)
{
  bourse_reply_problem (request->message, status, detail, errors, n_errors);
}

GBytes *
bourse_request_dup_body (BourseRequest *request)
{
  if (request->body == NULL)
    return g_bytes_new (NULL, 0);
  return g_bytes_new (request->body->data, request->body->len);
}

JsonObject *
bourse_request_get_json_object (BourseRequest *request)
{
  g_autoptr(GError) error = NULL;
  const char *content_type;

  if (request->body_json != NULL)
    return json_node_get_object (request->body_json);

  content_type = soup_message_headers_get_content_type (
      soup_server_message_get_request_headers (request->message), NULL);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      bourse_request_reply_problem (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
                                    _("The request body must be application/json"), NULL, 0);
      return NULL;
    }

  /* The body is already bounded by the route's limit; the depth and NUL
   * checks are what keep a hostile text away from json-glib. */
  request->body_json = bourse_json_parse (request->body ? (const char *)request->body->data : NULL,
                                          request->body ? request->body->len : 0, 0, &error);
  if (request->body_json == NULL || !JSON_NODE_HOLDS_OBJECT (request->body_json))
    {
      g_autofree char *detail =
        g_strdup_printf (_("The request body is not a JSON object: %s"),
                         error ? error->message : _("empty or not an object"));
      g_clear_pointer (&request->body_json, json_node_unref);
      bourse_request_reply_problem (request, SOUP_STATUS_BAD_REQUEST, detail, NULL, 0);
      return NULL;
    }

  return json_node_get_object (request->body_json);
}

void
bourse_request_pause (BourseRequest *request)
{
  g_return_if_fail (!request->paused);

  request->paused = TRUE;
  soup_server_message_pause (request->message);
}

void
bourse_request_unpause (BourseRequest *request)
{
  g_return_if_fail (request->paused);

  request->paused = FALSE;
  _bourse_request_finish_body (request);
  soup_server_message_unpause (request->message);
}

/* Query parameters {{{ */

/* libsoup decodes the query into a table, and on the way drops a name
 * without '=' and cuts a value short at an escaped NUL ("5%00junk" reads
 * "5"), so that a wrong value would pass for another. The raw query tells
 * whether every value given for @name came through whole. */
static gboolean
query_is_whole (BourseRequest *request,
                const char    *name)
{
  GUri *uri = soup_server_message_get_uri (request->message);
  const char *raw = uri != NULL ? g_uri_get_query (uri) : NULL;
  g_auto(GStrv) pairs = NULL;

  if (raw == NULL)
    return TRUE;

  pairs = g_strsplit (raw, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *equals = strchr (pairs[i], '=');
      g_autofree char *key = g_uri_unescape_segment (pairs[i], equals, NULL);
      g_autofree char *value = NULL;

      if (g_strcmp0 (key, name) != 0)
        continue;
      if (equals == NULL || (value = g_uri_unescape_string (equals + 1, NULL)) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The value of ?@name= in *text, NULL when absent; FALSE for a value that
 * is present but empty or mangled. */
static gboolean
query_value (BourseRequest  *request,
             const char     *name,
             const char    **text)
{
  *text = bourse_request_get_query (request, name);
  return query_is_whole (request, name) && (*text == NULL || **text != '\0');
}

void
bourse_request_reply_query_error (BourseRequest *request,
                                  const char    *name,
                                  const char    *message)
{
  g_autofree char *detail = NULL;

  g_return_if_fail (request != NULL);
  g_return_if_fail (name != NULL && message != NULL);

  /* TRANSLATORS: the name of a query parameter, then what it must be */
  detail = g_strdup_printf (_("Query parameter “%s”: %s"), name, message);
  {
    const BourseFieldError errors[] = { { name, message } };

    bourse_request_reply_problem (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, detail, errors, 1);
  }
}

struct _BourseRequestHold
{
  SoupServerMessage *message;
  BourseRequest     *request;   /* NULL once the message has finished */
  gulong             finished_handler;
};

static void
hold_message_finished_cb (BourseRequestHold *hold)
{
  hold->request = NULL;
}

BourseRequestHold *
bourse_request_hold (BourseRequest *request)
{
  BourseRequestHold *hold;

  g_return_val_if_fail (request != NULL, NULL);

  hold = g_new0 (BourseRequestHold, 1);
  hold->message = g_object_ref (request->message);
  hold->request = request;
  hold->finished_handler = g_signal_connect_swapped (request->message, "finished",
                                                     G_CALLBACK (hold_message_finished_cb), hold);
  bourse_request_pause (request);
  return hold;
}

BourseRequest *
bourse_request_hold_get_request (BourseRequestHold *hold)
{
  g_return_val_if_fail (hold != NULL, NULL);

  return hold->request;
}

void
bourse_request_hold_release (BourseRequestHold *hold)
{
  g_return_if_fail (hold != NULL);

  if (hold->request != NULL)
    bourse_request_unpause (hold->request);
  g_clear_signal_handler (&hold->finished_handler, hold->message);
  g_clear_object (&hold->message);
  g_free (hold);
}

gboolean
bourse_request_get_int_query (BourseRequest *request,
                              const char    *name,
                              gint64         min,
                              gint64         max,
                              gint64        *value)
{
  const char *text;
  gint64 parsed;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!query_value (request, name, &text)
      || (text != NULL && !g_ascii_string_to_signed (text, 10, min, max, &parsed, NULL)))
    {
      g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, max);
      g_autofree char *message = g_strdup_printf (_("must be a whole number from %s to %s"), low, high);

      bourse_request_reply_query_error (request, name, message);
      return FALSE;
    }
  if (text != NULL)
    *value = parsed;
  return TRUE;
}

gboolean
bourse_request_get_time_member (BourseRequest   *request,
                                JsonObject      *body,
                                const char      *field,
                                BourseTimeBound  bound,
                                gboolean        *present,
                                gint64          *value)
{
  JsonNode *node = json_object_get_member (body, field);

  if (present != NULL)
    *present = FALSE;
  if ((node == NULL || JSON_NODE_HOLDS_NULL (node)) && present != NULL)
    return TRUE;
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_INT64
          && json_node_get_int (node) >= BOURSE_TIME_MIN_MS && json_node_get_int (node) <= BOURSE_TIME_MAX_MS)
        {
          *value = json_node_get_int (node);
          if (present != NULL)
            *present = TRUE;
          return TRUE;
        }
      if (json_node_get_value_type (node) == G_TYPE_STRING
          && bourse_time_parse_instant (json_node_get_string (node), bound, value, NULL))
        {
          if (present != NULL)
            *present = TRUE;
          return TRUE;
        }
    }

  bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, field,
                                    node == NULL || JSON_NODE_HOLDS_NULL (node)
                                      ? _("is required")
                                      : _("must be an RFC 3339 time such as 2024-01-01T00:00:00Z, a date such "
                                          "as 2024-01-01, or milliseconds since the epoch"));
  return FALSE;
}

gboolean
bourse_request_get_time_query (BourseRequest   *request,
                               const char      *name,
                               BourseTimeBound  bound,
                               gint64          *ms)
{
  const char *text;
  gint64 parsed = 0;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (ms != NULL, FALSE);

  if (!query_value (request, name, &text)
      || (text != NULL
          && !g_ascii_string_to_signed (text, 10, BOURSE_TIME_MIN_MS, BOURSE_TIME_MAX_MS, &parsed, NULL)
          && (!bourse_time_parse_instant (text, bound, &parsed, NULL)
              || parsed < BOURSE_TIME_MIN_MS || parsed > BOURSE_TIME_MAX_MS)))
    {
      /* A '+' in a query is a space unless written %2B: the usual way an
       * offset goes wrong, so the message says it. */
      bourse_request_reply_query_error (request, name,
                                        _("must be an RFC 3339 time such as 2024-01-01T00:00:00Z "
                                          "(a “+” written as %2B), a date such as 2024-01-01, or "
                                          "milliseconds since the epoch such as 1704067200000"));
      return FALSE;
    }
  if (text != NULL)
    *ms = parsed;
  return TRUE;
}

gboolean
bourse_request_get_cursor_query (BourseRequest *request,
                                 gint64        *cursor)
{
  const char *text;
  gint64 parsed = 0;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (cursor != NULL, FALSE);

  if (!query_value (request, "cursor", &text)
      || (text != NULL && !g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, &parsed, NULL)))
    {
      bourse_request_reply_query_error (request, "cursor",
                                        _("must be the next_cursor of an earlier page, a whole number from 1"));
      return FALSE;
    }
  if (text != NULL)
    *cursor = parsed;
  return TRUE;
}

gboolean
bourse_request_get_boolean_query (BourseRequest *request,
                                  const char    *name,
                                  gboolean      *value)
{
  static const char * const booleans[] = { "false", "true", NULL };
  const char *text = NULL;

  g_return_val_if_fail (value != NULL, FALSE);

  if (!bourse_request_get_enum_query (request, name, booleans, &text))
    return FALSE;
  if (text != NULL)
    *value = text == booleans[1];
  return TRUE;
}

gboolean
bourse_request_get_enum_query (BourseRequest       *request,
                               const char          *name,
                               const char * const  *values,
                               const char         **value)
{
  g_autoptr(GString) choices = NULL;
  g_autofree char *message = NULL;
  const char *text;
  guint n;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (values != NULL && values[0] != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (query_value (request, name, &text))
    {
      if (text == NULL)
        return TRUE;
      for (guint i = 0; values[i] != NULL; i++)
        if (g_str_equal (text, values[i]))
          {
            *value = values[i];
            return TRUE;
          }
    }

  choices = g_string_new (NULL);
  n = g_strv_length ((char **) values);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (choices, "%s“%s”", i == 0 ? "" : i + 1 < n ? ", " : _(" or "), values[i]);
  /* TRANSLATORS: %s lists the values a query parameter may take */
  message = g_strdup_printf (_("must be %s"), choices->str);
  bourse_request_reply_query_error (request, name, message);
  return FALSE;
}

gboolean
bourse_request_get_scope_query (BourseRequest *request,
                                gboolean      *everyone)
{
  static const char * const scopes[] = { "own", "all", NULL };
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  const char *scope = NULL;

  g_return_val_if_fail (everyone != NULL, FALSE);

  if (!bourse_request_get_enum_query (request, "scope", scopes, &scope))
    return FALSE;
  *everyone = principal != NULL && principal->role == BOURSE_ROLE_ADMIN && g_strcmp0 (scope, "own") != 0;
  return TRUE;
}

/* @min … @max characters, each A-Z, 0-9, a-z with @lower, or in @also. */
static gboolean
is_code (const char *text,
         gsize       min,
         gsize       max,
         gboolean    lower,
         const char *also)
{
  gsize length = strlen (text);

  if (length < min || length > max)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isupper (text[i]) && !g_ascii_isdigit (text[i])
        && !(lower && g_ascii_islower (text[i])) && strchr (also, text[i]) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
bourse_request_get_symbol_query (BourseRequest  *request,
                                 const char     *name,
                                 gboolean        required,
                                 const char    **symbol)
{
  const char *text;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (symbol != NULL, FALSE);

  if (!query_value (request, name, &text) || (text == NULL && required)
      || (text != NULL && !is_code (text, 2, 20, FALSE, "")))
    {
      bourse_request_reply_query_error (request, name,
                                        _("must be an instrument’s symbol, 2 to 20 capital letters and digits "
                                          "such as BTCUSDT"));
      return FALSE;
    }
  if (text != NULL)
    *symbol = text;
  return TRUE;
}

gboolean
bourse_request_get_interval_query (BourseRequest  *request,
                                   const char     *name,
                                   gboolean        required,
                                   BourseInterval *interval)
{
  const char *text;
  BourseInterval parsed = 0;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (interval != NULL, FALSE);

  if (!query_value (request, name, &text) || (text == NULL && required)
      || (text != NULL && !bourse_interval_parse (text, &parsed, NULL)))
    {
      bourse_request_reply_query_error (request, name,
                                        _("must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"));
      return FALSE;
    }
  if (text != NULL)
    *interval = parsed;
  return TRUE;
}

gboolean
bourse_request_get_name_query (BourseRequest  *request,
                               const char     *name,
                               const char    **value)
{
  const char *text;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!query_value (request, name, &text) || (text != NULL && !is_code (text, 1, 64, TRUE, "._-")))
    {
      bourse_request_reply_query_error (request, name,
                                        _("must be an identifier of 1 to 64 letters, digits, “.”, “_” or “-”, "
                                          "such as kalman"));
      return FALSE;
    }
  if (text != NULL)
    *value = text;
  return TRUE;
}

/* Valid UTF-8 of at most @max_chars characters, none of them a control. */
static gboolean
is_plain_text (const char *text,
               guint       max_chars)
{
  guint n = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n++)
    if (n >= max_chars || g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

gboolean
bourse_request_get_text_query (BourseRequest  *request,
                               const char     *name,
                               guint           max_chars,
                               const char    **value)
{
  const char *text;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!query_value (request, name, &text) || (text != NULL && !is_plain_text (text, max_chars)))
    {
      g_autofree char *message =
        g_strdup_printf (_("must be text of 1 to %u characters, without control characters"), max_chars);

      bourse_request_reply_query_error (request, name, message);
      return FALSE;
    }
  if (text != NULL)
    *value = text;
  return TRUE;
}

/* }}} */

void
bourse_error_hide_paths (GError **error)
{
  GQuark domain;
  int code;

  if (error == NULL || *error == NULL)
    return;
  if (!g_error_matches (*error, BOURSE_STORE_ERROR, BOURSE_STORE_ERROR_OPEN) && (*error)->domain != G_FILE_ERROR)
    return;

  g_warning ("%s", (*error)->message);
  domain = (*error)->domain;
  code = (*error)->code;
  g_clear_error (error);
  g_set_error_literal (error, domain, code, _("The data could not be read or written: the server’s log says why"));
}
