/* fuzz-json.c — bourse_json_parse (), then what routes do with the object
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a JSON text from outside. The parser must refuse a NUL, a text
 * over its limit and nesting beyond BOURSE_JSON_MAX_DEPTH before json-glib
 * recurses; what it accepts must write back (bourse_json_to_string) to a
 * text it accepts again and writes the same way. Then the object goes
 * where request bodies go: the members read as a route reads them, and
 * "params" through every strategy's parameter check.
 */

#include <string.h>

#include "core/bourse-decimal.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"
#include "strategy/bourse-strategy.h"

#include "fuzz-util.h"

static GPtrArray *strategies;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  bourse_fuzz_init_logging ();
  bourse_strategies_ensure ();
  strategies = bourse_strategies_list ();
  return 0;
}

/* The depth as json-glib built it, counted without recursing deeper than
 * the parser allowed. */
static guint
node_depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        {
          /* Not in MAX (), which would count each subtree twice. */
          guint depth = node_depth (member);

          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          guint depth = node_depth (json_array_get_element (array, i));

          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }
  return 0;
}

/* What the routes' member helpers do with a value. */
static void
read_value (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      BourseDecimal decimal;
      BourseInterval interval;
      gint64 ms;

      FUZZ_CHECK (text != NULL);
      (void)g_utf8_strlen (text, -1);
      (void)bourse_decimal_parse (text, &decimal, NULL);
      (void)bourse_time_parse_rfc3339 (text, &ms, NULL);
      (void)bourse_interval_parse (text, &interval, NULL);
      (void)bourse_strategy_resolve_id (text);
    }
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      (void)json_node_get_int (node);
      (void)json_node_get_double (node);
      (void)json_node_get_boolean (node);
    }
}

static void
use_object (JsonObject *object)
{
  JsonObjectIter iter;
  JsonNode *member, *params;
  const char *name;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      FUZZ_CHECK (name != NULL);
      read_value (member);
    }

  /* Strategy parameters, as POST /strategies and /recommendations check them. */
  params = json_object_get_member (object, "params");
  for (guint i = 0; i < strategies->len; i++)
    {
      BourseStrategy *strategy = g_ptr_array_index (strategies, i);
      JsonObject *given = params != NULL && JSON_NODE_HOLDS_OBJECT (params) ? json_node_get_object (params) : object;
      g_autoptr(JsonObject) resolved = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *parameter = NULL;

      resolved = bourse_strategy_resolve_parameters (strategy, given, &parameter, &error);
      FUZZ_CHECK ((resolved == NULL) == (error != NULL));
      if (resolved != NULL)
        {
          g_autoptr(JsonObject) again = NULL;

          (void)bourse_strategy_get_min_candles (strategy, resolved);
          /* Resolved parameters are valid parameters. */
          again = bourse_strategy_resolve_parameters (strategy, resolved, NULL, NULL);
          FUZZ_CHECK (again != NULL);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gsize length, length_again;

  /* The limit is checked first, whatever the text. */
  if (size > 1)
    {
      g_autoptr(JsonNode) refused = bourse_json_parse ((const char *)data, size, size - 1, &error);

      FUZZ_CHECK (refused == NULL && g_error_matches (error, BOURSE_JSON_ERROR, BOURSE_JSON_ERROR_TOO_LARGE));
      g_clear_error (&error);
    }

  root = bourse_json_parse ((const char *)data, size, size, &error);
  if (root == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == BOURSE_JSON_ERROR);
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (memchr (data, '\0', size) == NULL);
  FUZZ_CHECK (node_depth (root) <= BOURSE_JSON_MAX_DEPTH);

  /* What Bourse writes, it reads back, and writes the same way again. */
  text = bourse_json_to_string (root, &length);
  FUZZ_CHECK (text != NULL && strlen (text) == length);
  again = bourse_json_parse (text, length, 0, &error);
  if (again == NULL)
    g_printerr ("Written back as %s, the text is refused: %s\n", text, error->message);
  FUZZ_CHECK (again != NULL);
  text_again = bourse_json_to_string (again, &length_again);
  if (!g_str_equal (text, text_again))
    g_printerr ("Written as %s, then as %s\n", text, text_again);
  FUZZ_CHECK (g_str_equal (text, text_again));

  if (JSON_NODE_HOLDS_OBJECT (root))
    use_object (json_node_get_object (root));
  else
    read_value (root);
  return 0;
}
