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

G_DEFINE_QUARK (bourse-json-error-quark, bourse_json_error)

/* json-glib 1.6 parses recursively with no depth limit: ~100,000 nested
 * brackets overflow the stack. This linear scan runs first, on every text
 * from outside, and refuses what our documents never need: deep nesting,
 * and a NUL (raw or as \u0000), which C strings would silently cut. */
static gboolean
json_text_is_acceptable (const char  *data,
                         gsize        length,
                         GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '\0')
        {
          g_set_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_NUL,
                       "NUL character at offset %" G_GSIZE_FORMAT, i);
          return FALSE;
        }

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < length)
            {
              i++;
              if (data[i] == 'u' && i + 4 < length && memcmp (data + i + 1, "0000", 4) == 0)
                {
                  g_set_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_NUL,
                               "NUL character (\\u0000) in a string at offset %" G_GSIZE_FORMAT, i - 1);
                  return FALSE;
                }
            }
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;

        case '[':
        case '{':
          if (++depth > BOURSE_JSON_MAX_DEPTH)
            {
              g_set_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_TOO_DEEP,
                           "nested deeper than %u levels at offset %" G_GSIZE_FORMAT,
                           BOURSE_JSON_MAX_DEPTH, i);
              return FALSE;
            }
          break;

        case ']':
        case '}':
          /* Unbalanced closers are json-glib's to report as syntax. */
          if (depth > 0)
            depth--;
          break;

        default:
          break;
        }
    }

  return TRUE;
}

JsonNode *
bourse_json_parse (const char  *data,
                   gsize        length,
                   gsize        max_length,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL)
    data = "", length = 0;

  if (max_length != 0 && length > max_length)
    {
      g_set_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_TOO_LARGE,
                   "%" G_GSIZE_FORMAT " bytes, more than the limit of %" G_GSIZE_FORMAT,
                   length, max_length);
      return NULL;
    }

  if (!json_text_is_acceptable (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error_literal (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_SYNTAX, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_SYNTAX, "empty document");
      return NULL;
    }

  return json_node_ref (root);
}
