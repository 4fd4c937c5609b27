/* test-json.c — the JSON text Bourse sends
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"

/* Doubles json-glib writes with an exponent and no point come out as JSON
 * numbers, and read back as the same values. */
static void
test_exponents (void)
{
  static const double values[] = { 1e-08, -1e-08, 1e+20, 2e300, 1e-5, 0.5, 3.0, 1.5e-7, 0.0, -0.0, 123456.25 };
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *back;
  gsize length = 0;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    json_array_add_double_element (array, values[i]);
  json_node_set_array (node, array);

  text = bourse_json_to_string (node, &length);
  g_assert_cmpuint (length, ==, strlen (text));
  g_assert_null (strstr (text, "e-08.0"));
  g_assert_null (strstr (text, "e+20.0"));

  parsed = json_from_string (text, &error);
  g_assert_no_error (error);
  back = json_node_get_array (parsed);
  g_assert_cmpuint (json_array_get_length (back), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (json_array_get_double_element (back, i), ==, values[i]);
}

/* Strings are left exactly as they are, whatever they hold. */
static void
test_strings_untouched (void)
{
  static const char * const strings[] = {
    "1e-08.0", "say \"1e5.0\" twice", "back\\slash e.0", "true", "e", "E-3.0", "\\\"1e1.0"
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", strings[i], i);

      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, strings[i]);
    }
  json_builder_set_member_name (builder, "flag");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "small");
  json_builder_add_double_value (builder, 1e-08);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  text = bourse_json_to_string (root, NULL);
  parsed = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (parsed);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", strings[i], i);

      g_assert_cmpstr (json_object_get_string_member (object, name), ==, strings[i]);
    }
  g_assert_true (json_object_get_boolean_member (object, "flag"));
  g_assert_cmpfloat (json_object_get_double_member (object, "small"), ==, 1e-08);
}

static char *
repeat (const char *unit,
        guint       times)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (text, unit);
  return g_string_free (text, FALSE);
}

/* json-glib recurses without a limit: these would overflow the stack if
 * they reached it. */
static void
test_parse_refuses_deep_nesting (void)
{
  static const char * const units[] = { "[", "{\"a\":", "[{\"a\":" };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autofree char *deep = repeat (units[i], 100000);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = bourse_json_parse (deep, strlen (deep), 0, &error);

      g_assert_null (node);
      g_assert_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_TOO_DEEP);
    }
}

static void
test_parse_depth_limit (void)
{
  g_autofree char *open = repeat ("[", BOURSE_JSON_MAX_DEPTH);
  g_autofree char *close = repeat ("]", BOURSE_JSON_MAX_DEPTH);
  g_autofree char *at_limit = g_strconcat (open, close, NULL);
  g_autofree char *over = g_strconcat ("[", open, close, "]", NULL);
  /* Brackets inside strings are text, not nesting. */
  g_autofree char *in_string = g_strconcat ("{\"a\":\"", open, open, "\\\"", open, "\"}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ok = bourse_json_parse (at_limit, strlen (at_limit), 0, &error);
  g_autoptr(JsonNode) text = NULL;
  g_autoptr(JsonNode) refused = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (ok);

  text = bourse_json_parse (in_string, strlen (in_string), 0, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (text));

  refused = bourse_json_parse (over, strlen (over), 0, &error);
  g_assert_null (refused);
  g_assert_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_TOO_DEEP);
}

static void
test_parse_refuses_nul (void)
{
  static const char raw[] = "{\"password\":\"secret\0junk\"}";
  const char *escaped = "{\"password\":\"secret\\u0000junk\"}";
  const char *backslash = "{\"path\":\"a\\\\u0000\"}";  /* an escaped backslash, then u0000 */
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) a = bourse_json_parse (raw, sizeof raw - 1, 0, &error);
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) c = NULL;

  g_assert_null (a);
  g_assert_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_NUL);
  g_clear_error (&error);

  b = bourse_json_parse (escaped, strlen (escaped), 0, &error);
  g_assert_null (b);
  g_assert_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_NUL);
  g_clear_error (&error);

  c = bourse_json_parse (backslash, strlen (backslash), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (c), "path"), ==, "a\\u0000");
}

static void
test_parse_size_and_syntax (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) big = bourse_json_parse ("[1,2,3]", 7, 6, &error);
  g_autoptr(JsonNode) broken = NULL;
  g_autoptr(JsonNode) empty = NULL;

  g_assert_null (big);
  g_assert_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_TOO_LARGE);
  g_clear_error (&error);

  broken = bourse_json_parse ("{\"a\":", 5, 0, &error);
  g_assert_null (broken);
  g_assert_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_SYNTAX);
  g_clear_error (&error);

  empty = bourse_json_parse (NULL, 0, 0, &error);
  g_assert_null (empty);
  g_assert_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_SYNTAX);
}

/* Texts on which json-glib 1.6 would fail part-way (and leak what it had
 * built), or succeed with values it cannot write back: all refused first. */
static void
test_parse_refuses_what_json_glib_mishandles (void)
{
  static const char * const texts[] = {
    "{}{}", "[1] 2", "1 2", "\"a\" \"b\"", "{\"exp\":hhhh00}", "{\"a\":1,}", "[1,]", "{\"a\" 1}",
    "{1:2}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "[-]", "[tru]", "[nul]", "[\"\\x\"]",
    "[\"a\tb\"]", "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[1e999]", "[-1e999]",
    "[99999999999999999999]", "[-99999999999999999999]", "\xff", "[\"\xc3\"]", "", "   ", "[", "{\"a\":",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = bourse_json_parse (texts[i], strlen (texts[i]), 0, &error);

      g_test_message ("%s", texts[i]);
      g_assert_null (node);
      g_assert_error (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_SYNTAX);
    }
}

static void
test_parse_accepts_json (void)
{
  static const char * const texts[] = {
    "{}", "[]", " [ ] ", "1", "-0", "0.5e-3", "1E+2", "true", "null", "\"\"", "\"\\ud83d\\ude00 \\u00e9 é\"",
    "{\"a\":[1,2,{\"b\":null}],\"c\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "[9223372036854775807,-9223372036854775808]",
    "[1.7976931348623157e308]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = bourse_json_parse (texts[i], strlen (texts[i]), 0, &error);
      g_autofree char *written = NULL;
      g_autoptr(JsonNode) again = NULL;

      g_test_message ("%s", texts[i]);
      g_assert_no_error (error);
      g_assert_nonnull (node);
      /* What we read, we can write, and read back. */
      written = bourse_json_to_string (node, NULL);
      again = bourse_json_parse (written, strlen (written), 0, &error);
      g_assert_no_error (error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/exponents", test_exponents);
  g_test_add_func ("/json/strings-untouched", test_strings_untouched);
  g_test_add_func ("/json/parse/deep-nesting", test_parse_refuses_deep_nesting);
  g_test_add_func ("/json/parse/depth-limit", test_parse_depth_limit);
  g_test_add_func ("/json/parse/nul", test_parse_refuses_nul);
  g_test_add_func ("/json/parse/size-and-syntax", test_parse_size_and_syntax);
  g_test_add_func ("/json/parse/refused-before-json-glib", test_parse_refuses_what_json_glib_mishandles);
  g_test_add_func ("/json/parse/accepted", test_parse_accepts_json);

  return g_test_run ();
}
