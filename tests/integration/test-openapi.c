/* test-openapi.c — the OpenAPI document and the router say the same thing
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document is built from the routes' own docs, so what can go wrong is
 * a route registered without one, a schema named that does not exist, or
 * the two drifting apart: each is a failure here, naming the route. The
 * answers themselves are checked against the document's schemas by the
 * contract test (tests/web/contract.test.mjs), with a real validator.
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"
#include "server/bourse-hub.h"
#include "server/bourse-openapi.h"

#include "desk-test-util.h"

static BourseTestServer *server;
static JsonNode *document;

static JsonObject *
document_object (void)
{
  return json_node_get_object (document);
}

/* Every route has its operation, with the route's permission, and every
 * operation its route. */
static void
test_routes_match (void)
{
  BourseRouter *router = bourse_server_get_router (server->server);
  JsonObject *paths = json_object_get_object_member (document_object (), "paths");
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GList) patterns = NULL;

  for (guint i = 0; i < bourse_router_get_n_routes (router); i++)
    {
      const BourseRoute *route = bourse_router_get_route (router, i);
      g_autofree char *method = g_ascii_strdown (route->method, -1);
      JsonObject *item = bourse_json_get_object (paths, route->pattern);
      JsonObject *operation;

      g_hash_table_add (seen, g_strdup_printf ("%s %s", method, route->pattern));
      if (item == NULL || (operation = bourse_json_get_object (item, method)) == NULL)
        {
          g_string_append_printf (failures, "%s %s is not in the document\n", route->method, route->pattern);
          continue;
        }
      if (g_strcmp0 (json_object_get_string_member_with_default (operation, "x-permission", NULL),
                     route->permission) != 0)
        g_string_append_printf (failures, "%s %s: x-permission is not %s\n", route->method, route->pattern,
                                route->permission ? route->permission : "absent");
      /* Public routes say so, or the document's default security would
       * claim they need a token. */
      if (route->permission == NULL
          && (!json_object_has_member (operation, "security")
              || json_array_get_length (json_object_get_array_member (operation, "security")) != 0))
        g_string_append_printf (failures, "%s %s is public but its operation asks for security\n",
                                route->method, route->pattern);
    }

  patterns = json_object_get_members (paths);
  for (GList *l = patterns; l != NULL; l = l->next)
    {
      g_autoptr(GList) methods = json_object_get_members (json_object_get_object_member (paths, l->data));

      for (GList *m = methods; m != NULL; m = m->next)
        {
          g_autofree char *key = g_strdup_printf ("%s %s", (const char *) m->data, (const char *) l->data);

          if (!g_hash_table_contains (seen, key))
            g_string_append_printf (failures, "%s has no route\n", key);
        }
    }

  if (failures->len > 0)
    g_test_fail_printf ("%s", failures->str);
}

static void
collect_refs (JsonNode  *node,
              GPtrArray *refs)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (g_str_equal (name, "$ref") && JSON_NODE_HOLDS_VALUE (value))
            g_ptr_array_add (refs, (gpointer) json_node_get_string (value));
          else
            collect_refs (value, refs);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_refs (json_array_get_element (array, i), refs);
    }
}

/* Every $ref reaches a schema, and every operation has an id of its own, a
 * summary, a tag the document lists, each path parameter, and a success
 * answer. */
static void
test_document_is_whole (void)
{
  JsonObject *schemas = json_object_get_object_member (json_object_get_object_member (document_object (),
                                                                                      "components"), "schemas");
  JsonObject *paths = json_object_get_object_member (document_object (), "paths");
  JsonArray *tags = json_object_get_array_member (document_object (), "tags");
  g_autoptr(GPtrArray) refs = g_ptr_array_new ();
  g_autoptr(GHashTable) tag_names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autoptr(GList) patterns = json_object_get_members (paths);

  collect_refs (document, refs);
  for (guint i = 0; i < refs->len; i++)
    {
      const char *ref = g_ptr_array_index (refs, i);

      if (!g_str_has_prefix (ref, "#/components/schemas/")
          || !json_object_has_member (schemas, ref + strlen ("#/components/schemas/")))
        g_string_append_printf (failures, "$ref %s reaches nothing\n", ref);
    }

  for (guint i = 0; i < json_array_get_length (tags); i++)
    g_hash_table_add (tag_names, (gpointer) json_object_get_string_member (json_array_get_object_element (tags, i),
                                                                           "name"));

  for (GList *l = patterns; l != NULL; l = l->next)
    {
      JsonObject *item = json_object_get_object_member (paths, l->data);
      g_autoptr(GList) methods = json_object_get_members (item);

      for (GList *m = methods; m != NULL; m = m->next)
        {
          JsonObject *operation = json_object_get_object_member (item, m->data);
          const char *id = json_object_get_string_member_with_default (operation, "operationId", NULL);
          JsonArray *operation_tags = json_object_get_array_member (operation, "tags");
          JsonArray *parameters = json_object_has_member (operation, "parameters")
                                  ? json_object_get_array_member (operation, "parameters") : NULL;
          JsonObject *responses = json_object_get_object_member (operation, "responses");
          g_autoptr(GList) statuses = json_object_get_members (responses);
          g_auto(GStrv) segments = g_strsplit (l->data, "/", -1);
          gboolean success = FALSE;

          if (id == NULL || !g_hash_table_add (ids, (gpointer) id))
            g_string_append_printf (failures, "%s %s: no operationId of its own\n", (char *) m->data, (char *) l->data);
          if (json_object_get_string_member_with_default (operation, "summary", NULL) == NULL)
            g_string_append_printf (failures, "%s %s: no summary\n", (char *) m->data, (char *) l->data);
          if (operation_tags == NULL || json_array_get_length (operation_tags) != 1
              || !g_hash_table_contains (tag_names, json_array_get_string_element (operation_tags, 0)))
            g_string_append_printf (failures, "%s %s: not one listed tag\n", (char *) m->data, (char *) l->data);

          for (guint s = 0; segments[s] != NULL; s++)
            {
              gsize length = strlen (segments[s]);
              gboolean found = FALSE;

              if (length < 3 || segments[s][0] != '{')
                continue;
              for (guint p = 0; parameters != NULL && p < json_array_get_length (parameters); p++)
                {
                  JsonObject *parameter = json_array_get_object_element (parameters, p);

                  if (g_str_equal (json_object_get_string_member (parameter, "in"), "path")
                      && strncmp (json_object_get_string_member (parameter, "name"), segments[s] + 1, length - 2) == 0
                      && json_object_get_boolean_member_with_default (parameter, "required", FALSE))
                    found = TRUE;
                }
              if (!found)
                g_string_append_printf (failures, "%s %s: the path parameter %s is not described\n",
                                        (char *) m->data, (char *) l->data, segments[s]);
            }

          for (GList *s = statuses; s != NULL; s = s->next)
            if (((const char *) s->data)[0] == '2' || g_str_equal (s->data, "101"))
              success = TRUE;
          if (!success)
            g_string_append_printf (failures, "%s %s: no success answer\n", (char *) m->data, (char *) l->data);
        }
    }

  if (failures->len > 0)
    g_test_fail_printf ("%s", failures->str);
}

/* The topics a WebSocket may subscribe to are all described. */
static void
test_topics (void)
{
  JsonObject *topics = json_object_get_object_member (document_object (), "x-websocket-topics");

  g_assert_nonnull (topics);
  for (const char * const *topic = bourse_hub_get_plain_topics (); *topic != NULL; topic++)
    {
      JsonObject *described = bourse_json_get_object (topics, *topic);

      g_assert_nonnull (described);
      g_assert_nonnull (json_object_get_string_member_with_default (described, "x-permission", NULL));
      g_assert_true (json_object_has_member (described, "event"));
    }
  g_assert_true (json_object_has_member (topics, "ticker:{symbol}"));
  g_assert_true (json_object_has_member (topics, "candles:{symbol}:{interval}"));
}

int
main (int   argc,
      char *argv[])
{
  BourseTestResponse *response;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = desk_server_new (NULL);
  /* What the builder finds wrong, each fault on a line: a route without a
   * doc, a schema name that is no component. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *problems = NULL;
    g_autoptr(JsonNode) built = bourse_openapi_build (bourse_server_get_router (server->server), PACKAGE_VERSION,
                                                      &problems, &error);

    g_assert_no_error (error);
    g_assert_nonnull (built);
    if (problems != NULL)
      g_error ("The API document is not whole:\n%s", problems);
  }
  /* Anyone may read it: no token. */
  response = bourse_test_fetch (server, "GET", "/api/v1/openapi.json",
                                (const char * const []) { "Authorization", "", NULL }, NULL, NULL, -1);
  g_assert_cmpuint (response->status, ==, 200);
  document = bourse_test_response_json (response);
  bourse_test_response_free (response);
  g_assert_cmpstr (json_object_get_string_member (document_object (), "openapi"), ==, "3.1.0");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (document_object (), "info"),
                                                  "version"), ==, PACKAGE_VERSION);

  g_test_add_func ("/openapi/routes-match", test_routes_match);
  g_test_add_func ("/openapi/whole", test_document_is_whole);
  g_test_add_func ("/openapi/topics", test_topics);

  ret = g_test_run ();

  json_node_unref (document);
  bourse_test_server_free (server);
  return ret;
}
