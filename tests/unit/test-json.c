/* test-json.c — the JSON text Bourse sends
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/exponents", test_exponents);
  g_test_add_func ("/json/strings-untouched", test_strings_untouched);

  return g_test_run ();
}
