/* bourse-json.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bourse-json.h"

void
bourse_json_append_string (GString    *out,
                           const char *text,
                           gssize      length)
{
  const char *end = length < 0 ? text + strlen (text) : text + length;

  g_string_append_c (out, '"');
  for (const char *p = text; p < end; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

/* Removes the ".0" json-glib appends after an exponent ("1e-08.0"), outside
 * strings only: a string may hold any text. In place; returns the new
 * length. */
static gsize
repair_exponents (char  *text,
                  gsize  length)
{
  gboolean in_string = FALSE;
  gsize out = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      text[out++] = c;
      if (in_string)
        {
          if (c == '\\' && i + 1 < length)
            text[out++] = text[++i];
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        {
          in_string = TRUE;
          continue;
        }
      if (c != 'e' && c != 'E')
        continue;

      /* Outside strings an e is an exponent (true, false and null have
       * none after a digit): copy its sign and digits, drop a ".0". */
      if (i + 1 < length && (text[i + 1] == '-' || text[i + 1] == '+'))
        text[out++] = text[++i];
      while (i + 1 < length && g_ascii_isdigit (text[i + 1]))
        text[out++] = text[++i];
      if (i + 2 < length && text[i + 1] == '.' && text[i + 2] == '0'
          && (i + 3 >= length || !g_ascii_isdigit (text[i + 3])))
        i += 2;
    }

  text[out] = '\0';
  return out;
}

char *
bourse_json_to_string (JsonNode *node,
                       gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize n;
  char *text;

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &n);
  n = repair_exponents (text, n);
  if (length != NULL)
    *length = n;
  return text;
}
