/* bourse-web.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bourse-server-private.h"

#define WEB_ROOT "/io/github/bourse/Bourse/web"

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

gboolean
_bourse_web_serve (SoupServerMessage *message,
                   const char        *path)
{
  g_autofree char *decoded = g_uri_unescape_string (path, NULL);
  g_autofree char *resource = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers;
  const char *name;

  if (!path_is_safe (decoded))
    return FALSE;

  name = g_str_equal (decoded, "/") ? "/index.html" : decoded;
  resource = g_strconcat (WEB_ROOT, name, NULL);
  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    return FALSE;

  headers = soup_server_message_get_response_headers (message);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  if (g_str_has_suffix (name, ".html"))
    {
      soup_message_headers_replace (headers, "Cache-Control", "no-cache");
      soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
      soup_message_headers_replace (headers, "Content-Security-Policy",
                                    "default-src 'self'; connect-src 'self' ws: wss:; "
                                    "img-src 'self' data:; frame-ancestors 'none'");
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, content_type_for (name), SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return TRUE;
}
