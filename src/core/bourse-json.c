/* bourse-json.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "bourse-json.h"
#include "bourse-time.h"

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

/* json-glib 1.6 parses recursively with no depth limit (~100,000 nested
 * brackets overflow the stack), leaks what it has built when it meets an
 * error part-way, and reads 1e999 as an infinity it then writes back as
 * "inf", which is not JSON. So every text from outside is first checked
 * here, in one pass without recursion, against RFC 8259's grammar and our
 * own limits: at most BOURSE_JSON_MAX_DEPTH levels, no NUL (raw or as
 * \u0000, which C strings would silently cut), numbers that fit a double
 * (and integers an int64), valid UTF-8 and surrogate pairs. json-glib then
 * only ever sees text it parses without error. */

typedef struct
{
  const char *data;
  gsize       length;
  gsize       at;
} Scan;

static gboolean
scan_fail (Scan        *scan,
           int          code,
           const char  *what,
           GError     **error)
{
  g_set_error (error, BOURSE_JSON_ERROR, code, "%s at offset %" G_GSIZE_FORMAT, what, scan->at);
  return FALSE;
}

static int
hex_value (char c)
{
  return g_ascii_xdigit_value (c);
}

static gboolean
scan_escape_u (Scan    *scan,
               guint   *unit)
{
  *unit = 0;
  if (scan->at + 4 >= scan->length)
    return FALSE;
  for (guint i = 1; i <= 4; i++)
    {
      int digit = hex_value (scan->data[scan->at + i]);

      if (digit < 0)
        return FALSE;
      *unit = (*unit << 4) | digit;
    }
  scan->at += 5;
  return TRUE;
}

/* At the opening quote; leaves scan->at after the closing one. */
static gboolean
scan_string (Scan    *scan,
             GError **error)
{
  scan->at++;
  while (scan->at < scan->length)
    {
      guchar c = scan->data[scan->at];
      guint unit, low;

      if (c == '"')
        {
          scan->at++;
          return TRUE;
        }
      if (c == '\0')
        return scan_fail (scan, BOURSE_JSON_ERROR_NUL, "NUL character in a string", error);
      if (c < 0x20)
        return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "control character in a string", error);
      if (c != '\\')
        {
          scan->at++;
          continue;
        }

      if (scan->at + 1 >= scan->length)
        break;
      c = scan->data[scan->at + 1];
      if (strchr ("\"\\/bfnrt", c) != NULL && c != '\0')
        {
          scan->at += 2;
          continue;
        }
      if (c != 'u')
        return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "invalid escape in a string", error);

      scan->at++;   /* at the u */
      if (!scan_escape_u (scan, &unit))
        return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "invalid \\u escape", error);
      if (unit == 0)
        return scan_fail (scan, BOURSE_JSON_ERROR_NUL, "NUL character (\\u0000) in a string", error);
      if (unit >= 0xdc00 && unit <= 0xdfff)
        return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "lone low surrogate", error);
      if (unit >= 0xd800 && unit <= 0xdbff)
        {
          /* A high surrogate needs its low half right after it. */
          if (scan->at + 1 >= scan->length || scan->data[scan->at] != '\\' || scan->data[scan->at + 1] != 'u')
            return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "lone high surrogate", error);
          scan->at++;
          if (!scan_escape_u (scan, &low) || low < 0xdc00 || low > 0xdfff)
            return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "lone high surrogate", error);
        }
    }
  return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "unterminated string", error);
}

static gboolean
scan_number (Scan    *scan,
             GError **error)
{
  gsize start = scan->at;
  gboolean integer = TRUE;
  char buffer[64];
  g_autofree char *text = NULL;
  const char *token;
  gsize length;

#define DIGIT(at) ((at) < scan->length && g_ascii_isdigit (scan->data[(at)]))
  if (scan->data[scan->at] == '-')
    scan->at++;
  if (!DIGIT (scan->at))
    return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "invalid number", error);
  if (scan->data[scan->at] == '0')
    scan->at++;
  else
    while (DIGIT (scan->at))
      scan->at++;
  if (scan->at < scan->length && scan->data[scan->at] == '.')
    {
      integer = FALSE;
      scan->at++;
      if (!DIGIT (scan->at))
        return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "invalid number", error);
      while (DIGIT (scan->at))
        scan->at++;
    }
  if (scan->at < scan->length && (scan->data[scan->at] == 'e' || scan->data[scan->at] == 'E'))
    {
      integer = FALSE;
      scan->at++;
      if (scan->at < scan->length && (scan->data[scan->at] == '+' || scan->data[scan->at] == '-'))
        scan->at++;
      if (!DIGIT (scan->at))
        return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "invalid number", error);
      while (DIGIT (scan->at))
        scan->at++;
    }
#undef DIGIT

  length = scan->at - start;
  if (length < sizeof buffer)
    {
      memcpy (buffer, scan->data + start, length);
      buffer[length] = '\0';
      token = buffer;
    }
  else
    token = text = g_strndup (scan->data + start, length);

  if (integer)
    {
      gint64 value;

      errno = 0;
      value = g_ascii_strtoll (token, NULL, 10);
      if (errno == ERANGE && (value == G_MAXINT64 || value == G_MININT64))
        return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "integer out of range", error);
    }
  else if (!isfinite (g_ascii_strtod (token, NULL)))
    return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "number out of range", error);
  return TRUE;
}

static gboolean
scan_literal (Scan       *scan,
              const char *word,
              GError    **error)
{
  gsize length = strlen (word);

  if (scan->at + length > scan->length || memcmp (scan->data + scan->at, word, length) != 0)
    return scan_fail (scan, BOURSE_JSON_ERROR_SYNTAX, "unexpected character", error);
  scan->at += length;
  return TRUE;
}

typedef enum
{
  EXPECT_VALUE,
  EXPECT_VALUE_OR_END_ARRAY,
  EXPECT_KEY_OR_END_OBJECT,
  EXPECT_KEY,
  EXPECT_COLON,
  EXPECT_COMMA_OR_END,
  EXPECT_NOTHING,
} Expect;

static gboolean
json_text_is_acceptable (const char  *data,
                         gsize        length,
                         GError     **error)
{
  Scan scan = { data, length, 0 };
  char open[BOURSE_JSON_MAX_DEPTH];
  guint depth = 0;
  Expect expect = EXPECT_VALUE;

  if (!g_utf8_validate_len (data, length, NULL))
    {
      if (memchr (data, '\0', length) != NULL)
        {
          scan.at = (const char *)memchr (data, '\0', length) - data;
          return scan_fail (&scan, BOURSE_JSON_ERROR_NUL, "NUL character", error);
        }
      return scan_fail (&scan, BOURSE_JSON_ERROR_SYNTAX, "invalid UTF-8", error);
    }

  for (;;)
    {
      char c;

      while (scan.at < length && strchr (" \t\n\r", data[scan.at]) != NULL && data[scan.at] != '\0')
        scan.at++;
      if (scan.at == length)
        {
          if (expect == EXPECT_NOTHING)
            return TRUE;
          return scan_fail (&scan, BOURSE_JSON_ERROR_SYNTAX,
                            scan.at == 0 ? "empty document" : "unexpected end of the text", error);
        }

      c = data[scan.at];
      if (c == '\0')
        return scan_fail (&scan, BOURSE_JSON_ERROR_NUL, "NUL character", error);

      switch (expect)
        {
        case EXPECT_NOTHING:
          return scan_fail (&scan, BOURSE_JSON_ERROR_SYNTAX, "data after the JSON value", error);

        case EXPECT_COLON:
          if (c != ':')
            return scan_fail (&scan, BOURSE_JSON_ERROR_SYNTAX, "expected “:”", error);
          scan.at++;
          expect = EXPECT_VALUE;
          continue;

        case EXPECT_KEY:
        case EXPECT_KEY_OR_END_OBJECT:
          if (c == '}' && expect == EXPECT_KEY_OR_END_OBJECT)
            {
              scan.at++;
              depth--;
              break;
            }
          if (c != '"')
            return scan_fail (&scan, BOURSE_JSON_ERROR_SYNTAX, "expected a member name", error);
          if (!scan_string (&scan, error))
            return FALSE;
          expect = EXPECT_COLON;
          continue;

        case EXPECT_COMMA_OR_END:
          if (c == ',')
            {
              scan.at++;
              expect = open[depth - 1] == '[' ? EXPECT_VALUE : EXPECT_KEY;
              continue;
            }
          if ((c == ']' && open[depth - 1] == '[') || (c == '}' && open[depth - 1] == '{'))
            {
              scan.at++;
              depth--;
              break;
            }
          return scan_fail (&scan, BOURSE_JSON_ERROR_SYNTAX, "expected “,” or the end of the container", error);

        case EXPECT_VALUE:
        case EXPECT_VALUE_OR_END_ARRAY:
          if (c == ']' && expect == EXPECT_VALUE_OR_END_ARRAY)
            {
              scan.at++;
              depth--;
              break;
            }
          if (c == '[' || c == '{')
            {
              if (depth == BOURSE_JSON_MAX_DEPTH)
                {
                  g_set_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_TOO_DEEP,
                               "nested deeper than %u levels at offset %" G_GSIZE_FORMAT,
                               BOURSE_JSON_MAX_DEPTH, scan.at);
                  return FALSE;
                }
              open[depth++] = c;
              scan.at++;
              expect = c == '[' ? EXPECT_VALUE_OR_END_ARRAY : EXPECT_KEY_OR_END_OBJECT;
              continue;
            }
          if (c == '"')
            {
              if (!scan_string (&scan, error))
                return FALSE;
            }
          else if (c == '-' || g_ascii_isdigit (c))
            {
              if (!scan_number (&scan, error))
                return FALSE;
            }
          else if (!scan_literal (&scan, c == 't' ? "true" : c == 'f' ? "false" : "null", error))
            return FALSE;
          break;

        default:
          g_assert_not_reached ();
        }

      /* A value (or a container) is complete. */
      expect = depth == 0 ? EXPECT_NOTHING : EXPECT_COMMA_OR_END;
    }
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

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  return object != NULL ? json_object_get_member (object, member) : NULL;
}

JsonObject *
bourse_json_get_object (JsonObject *object,
                        const char *member)
{
  JsonNode *node = get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
bourse_json_get_array (JsonObject *object,
                       const char *member)
{
  JsonNode *node = get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
bourse_json_get_string (JsonObject *object,
                        const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
bourse_json_get_int (JsonObject *object,
                     const char *member,
                     gint64     *value)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
bourse_json_get_boolean (JsonObject *object,
                         const char *member,
                         gboolean   *value)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  *value = json_node_get_boolean (node);
  return TRUE;
}

void
bourse_json_builder_add_time (JsonBuilder *builder,
                              const char  *name,
                              gint64       ms)
{
  g_autofree char *text = bourse_time_format_rfc3339 (ms);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

void
bourse_json_builder_add_finite (JsonBuilder *builder,
                                const char  *name,
                                double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
bourse_json_builder_add_int (JsonBuilder *builder,
                             const char  *name,
                             gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
bourse_json_builder_add_string (JsonBuilder *builder,
                                const char  *name,
                                const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
bourse_json_builder_add_decimal (JsonBuilder         *builder,
                                 const char          *name,
                                 const BourseDecimal *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    {
      g_autofree char *text = bourse_decimal_to_string (*value);

      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}

void
bourse_json_builder_add_next_cursor (JsonBuilder *builder,
                                     gboolean     more,
                                     gint64       last_id)
{
  json_builder_set_member_name (builder, "next_cursor");
  if (more)
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, last_id);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
}
