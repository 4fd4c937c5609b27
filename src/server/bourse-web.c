/* bourse-web.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "bourse-request.h"
#include "bourse-router.h"
#include "bourse-server-private.h"

#define WEB_ROOT "/io/github/bourse/Bourse/web"

/* The console runs its bundle alone: no inline script, no other origin. */
#define CONSOLE_CSP "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; " \
                    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
/* Redoc's bundle styles itself through <style> elements it writes, and
 * searches in a worker it starts from a blob: what it needs, and no more
 * (its script is our copy, the document our own). */
#define DOCS_CSP "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " \
                 "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " \
                 "worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

static const struct {
  const char *suffix;
  const char *content_type;
} content_types[] = {
  { ".html", "text/html; charset=utf-8" },
  { ".js", "text/javascript; charset=utf-8" },
  { ".mjs", "text/javascript; charset=utf-8" },
  { ".css", "text/css; charset=utf-8" },
  { ".json", "application/json" },
  { ".svg", "image/svg+xml" },
  { ".png", "image/png" },
  { ".ico", "image/vnd.microsoft.icon" },
  { ".woff2", "font/woff2" },
  { ".txt", "text/plain; charset=utf-8" },
  { ".map", "application/json" },
};

static const char *
content_type_for (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (content_types); i++)
    if (g_str_has_suffix (path, content_types[i].suffix))
      return content_types[i].content_type;
  return "application/octet-stream";
}

/* Only plain segments may reach the resource tree: no "..", no ".", no
 * backslashes or control characters, whatever their %-encoding was. */
static gboolean
path_is_safe (const char *decoded)
{
  g_auto(GStrv) segments = NULL;

  if (decoded == NULL || decoded[0] != '/' || strchr (decoded, '\\') != NULL)
    return FALSE;
  for (const char *p = decoded; *p; p++)
    if ((guchar)*p < 0x20)
      return FALSE;

  segments = g_strsplit (decoded + 1, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    if (g_str_equal (segments[i], "..") || g_str_equal (segments[i], "."))
      return FALSE;

  return TRUE;
}

/* esbuild names the bundle's files "main-HASH.js" (web-build.py): such a
 * name never changes content, so the browser may keep it for good. */
static gboolean
name_is_hashed (const char *name)
{
  const char *dash = strrchr (name, '-');
  const char *dot = dash ? strchr (dash, '.') : NULL;

  if (dash == NULL || dot == NULL || dot - dash - 1 < 8)
    return FALSE;
  for (const char *p = dash + 1; p < dot; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

static gboolean
serve_resource (SoupServerMessage *message,
                const char        *name,
                const char        *csp)
{
  g_autofree char *resource = g_strconcat (WEB_ROOT, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;

  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    return FALSE;

  headers = soup_server_message_get_response_headers (message);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  if (g_str_has_suffix (name, ".html"))
    {
      soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
      soup_message_headers_replace (headers, "Content-Security-Policy", csp);
    }
  soup_message_headers_replace (headers, "Cache-Control",
                                name_is_hashed (name) ? "public, max-age=31536000, immutable" : "no-cache");

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, content_type_for (name), SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return TRUE;
}

gboolean
_bourse_web_serve (SoupServerMessage *message,
                   const char        *path)
{
  g_autofree char *decoded = g_uri_unescape_string (path, NULL);
  const char *name;

  if (!path_is_safe (decoded))
    return FALSE;

  /* The first-run page is the console's, which reads its token from the fragment. */
  if (g_str_equal (decoded, "/") || g_str_equal (decoded, "/setup"))
    name = "/index.html";
  else if (g_str_equal (decoded, "/docs.html"))
    return serve_resource (message, decoded, DOCS_CSP);
  else
    name = decoded;

  return serve_resource (message, name, CONSOLE_CSP);
}

/* The API's reference for people: Redoc, bundled at build time, reading
 * /api/v1/openapi.json. Public, as the document is. */
static void
docs_cb (BourseRequest *request,
         gpointer       user_data)
{
  SoupServerMessage *message = bourse_request_get_message (request);

  if (!serve_resource (message, "/docs.html", DOCS_CSP))
    bourse_request_reply_problem (request, SOUP_STATUS_NOT_FOUND, _("No such resource"), NULL, 0);
}

static const BourseRouteSpec web_routes[] = {
  { "GET", "/api/v1/docs", NULL, docs_cb, {
      .id = "getApiDocs", .tag = "System", .summary = "Read this document as a web page",
      .description = "Redoc showing /api/v1/openapi.json, served from the binary.",
      .response = "string", .response_type = "text/html", .errors = "404" } },
};

void
_bourse_server_add_web_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, web_routes, G_N_ELEMENTS (web_routes), self);
}
