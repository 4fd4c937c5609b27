/* bourse-openapi.c — the OpenAPI 3.1 document, built from the router's own table
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing here is written twice: each route's doc sits in its routes
 * file's table (bourse-router.h), the shared schemas in
 * the files of src/server/openapi/ (compiled into the binary), the topics in the
 * hub's table. This file only puts them together and checks that every name
 * resolves, so a route cannot be undocumented and the document cannot name
 * a schema that does not exist.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"

#include "bourse-hub.h"
#include "bourse-openapi.h"

#define OPENAPI_ROOT "/io/github/bourse/Bourse/openapi/"

typedef struct
{
  JsonObject *schemas;    /* components/schemas, as loaded and as pages are made */
  GString    *problems;   /* one line per fault; empty when the document is whole */
} Builder;

static void
problem (Builder    *builder,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (Builder    *builder,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_string_append_vprintf (builder->problems, format, args);
  g_string_append_c (builder->problems, '\n');
  va_end (args);
}

static JsonNode *
load_resource (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_strconcat (OPENAPI_ROOT, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (bytes == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    {
      g_prefix_error (error, "%s: ", name);
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/* Every *.json beside info.json holds {"schemas": {name: schema, …}}. */
static gboolean
load_schemas (Builder  *builder,
              GError  **error)
{
  g_auto(GStrv) names = g_resources_enumerate_children (OPENAPI_ROOT, G_RESOURCE_LOOKUP_FLAGS_NONE, error);

  if (names == NULL)
    return FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *schemas;
      g_autoptr(GList) members = NULL;

      if (g_str_equal (names[i], "info.json") || !g_str_has_suffix (names[i], ".json"))
        continue;
      if ((node = load_resource (names[i], error)) == NULL)
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (node)
          || (schemas = bourse_json_get_object (json_node_get_object (node), "schemas")) == NULL)
        {
          problem (builder, "%s: no \"schemas\" object", names[i]);
          continue;
        }
      members = json_object_get_members (schemas);
      for (GList *l = members; l != NULL; l = l->next)
        {
          if (json_object_has_member (builder->schemas, l->data))
            problem (builder, "%s: the schema %s is defined twice", names[i], (const char *) l->data);
          json_object_set_member (builder->schemas, l->data,
                                  json_node_copy (json_object_get_member (schemas, l->data)));
        }
    }
  return TRUE;
}

static JsonNode *
reference (const char *component)
{
  g_autofree char *target = g_strconcat ("#/components/schemas/", component, NULL);
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "$ref", target);
  /* Taken, not referenced: json_node_init_object () would keep a second
   * reference and leak the object with each $ref. */
  json_node_take_object (node, object);
  return node;
}

static gboolean
is_json_type (const char *name)
{
  static const char * const types[] = { "string", "integer", "boolean", "number", "object", "array", NULL };

  return g_strv_contains (types, name);
}

/* A schema named as bourse-router.h allows: a component, a JSON type,
 * "page:Item" (the list shape, docs/API.md) or a schema written out. */
static JsonNode *
schema_for (Builder    *builder,
            const char *spec,
            const char *where)
{
  if (spec[0] == '{')
    {
      g_autoptr(GError) error = NULL;
      JsonNode *node = json_from_string (spec, &error);

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          problem (builder, "%s: the schema %s is not a JSON object", where, spec);
          g_clear_pointer (&node, json_node_unref);
          node = json_node_new (JSON_NODE_OBJECT);
          json_node_take_object (node, json_object_new ());
          return node;
        }
      return node;
    }

  if (is_json_type (spec))
    {
      JsonObject *object = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (object, "type", spec);
      json_node_take_object (node, object);
      return node;
    }

  if (g_str_has_prefix (spec, "page:"))
    {
      const char *item = spec + 5;
      g_autofree char *name = g_strconcat (item, "Page", NULL);

      if (!json_object_has_member (builder->schemas, item))
        problem (builder, "%s: no schema named %s", where, item);
      else if (!json_object_has_member (builder->schemas, name))
        {
          g_autofree char *text =
            g_strdup_printf ("{\"type\":\"object\",\"required\":[\"items\",\"next_cursor\"],"
                             "\"description\":\"A page of %s. Ask for the next one with ?cursor=next_cursor.\","
                             "\"properties\":{\"items\":{\"type\":\"array\",\"items\":"
                             "{\"$ref\":\"#/components/schemas/%s\"}},"
                             "\"next_cursor\":{\"$ref\":\"#/components/schemas/Cursor\"}}}",
                             item, item);

          json_object_set_member (builder->schemas, name, json_from_string (text, NULL));
        }
      return reference (name);
    }

  if (!json_object_has_member (builder->schemas, spec))
    problem (builder, "%s: no schema named %s", where, spec);
  return reference (spec);
}

static JsonObject *
content_with (Builder    *builder,
              const char *type,
              const char *schema,
              const char *where)
{
  JsonObject *content = json_object_new ();
  JsonObject *media = json_object_new ();

  json_object_set_member (media, "schema", schema_for (builder, schema, where));
  json_object_set_object_member (content, type, media);
  return content;
}

static void
add_response (Builder    *builder,
              JsonObject *responses,
              guint       status,
              const char *type,
              const char *schema,
              const char *where)
{
  g_autofree char *key = g_strdup_printf ("%u", status);
  JsonObject *response;

  if (json_object_has_member (responses, key))
    return;
  response = json_object_new ();
  json_object_set_string_member (response, "description", soup_status_get_phrase (status));
  if (schema != NULL)
    json_object_set_object_member (response, "content", content_with (builder, type, schema, where));
  json_object_set_object_member (responses, key, response);
}

static const char *
param_location (BourseParamLocation in)
{
  switch (in)
    {
    case BOURSE_PARAM_PATH:
      return "path";
    case BOURSE_PARAM_HEADER:
      return "header";
    case BOURSE_PARAM_QUERY:
    default:
      return "query";
    }
}

static JsonObject *
parameter_object (Builder              *builder,
                  const BourseParamDoc *param,
                  const char           *where)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "name", param->name);
  json_object_set_string_member (object, "in", param_location (param->in));
  if (param->description != NULL)
    json_object_set_string_member (object, "description", param->description);
  if (param->required || param->in == BOURSE_PARAM_PATH)
    json_object_set_boolean_member (object, "required", TRUE);
  json_object_set_member (object, "schema", schema_for (builder, param->schema ? param->schema : "string", where));
  return object;
}

static const BourseParamDoc *
find_param (const BourseRouteDoc *doc,
            const char           *name,
            gsize                 length)
{
  for (const BourseParamDoc *p = doc->params; p != NULL && p->name != NULL; p++)
    if (p->in == BOURSE_PARAM_PATH && strlen (p->name) == length && strncmp (p->name, name, length) == 0)
      return p;
  return NULL;
}

static JsonArray *
parameters_of (Builder              *builder,
               const BourseRoute    *route,
               const BourseRouteDoc *doc,
               const char           *where)
{
  JsonArray *parameters = json_array_new ();

  /* The path's own, in the order of the pattern; then what the doc adds. */
  for (guint i = 0; route->segments[i] != NULL; i++)
    {
      const char *segment = route->segments[i];
      gsize length = strlen (segment);
      const BourseParamDoc *param;

      if (length < 3 || segment[0] != '{' || segment[length - 1] != '}')
        continue;
      param = find_param (doc, segment + 1, length - 2);
      if (param != NULL)
        json_array_add_object_element (parameters, parameter_object (builder, param, where));
      else
        {
          g_autofree char *name = g_strndup (segment + 1, length - 2);
          BourseParamDoc plain = { name, BOURSE_PARAM_PATH, "string", NULL, TRUE };

          json_array_add_object_element (parameters, parameter_object (builder, &plain, where));
        }
    }
  for (const BourseParamDoc *p = doc->params; p != NULL && p->name != NULL; p++)
    {
      if (p->in == BOURSE_PARAM_PATH)
        {
          g_autofree char *braced = g_strdup_printf ("{%s}", p->name);

          if (!g_strv_contains ((const char * const *) route->segments, braced))
            problem (builder, "%s: the path has no parameter %s", where, p->name);
          continue;
        }
      json_array_add_object_element (parameters, parameter_object (builder, p, where));
    }

  return parameters;
}

/* A seed's alias says what is its own (its id, summary, deprecation, and
 * a request where an adapter reads another one); the rest is the real
 * route's, so the two cannot drift apart. The tag too: an alias is listed
 * beside the route it stands for. */
static const BourseRouteDoc *
doc_of (const BourseRoute *route,
        BourseRouteDoc    *merged)
{
  const BourseRouteDoc *real = route->alias_of != NULL ? route->alias_of->doc : NULL;

  if (real == NULL)
    return route->doc;

  *merged = *route->doc;
  if (real->tag != NULL)
    merged->tag = real->tag;
  if (merged->description == NULL)
    merged->description = real->description;
  if (merged->params == NULL)
    merged->params = real->params;
  if (merged->request == NULL)
    {
      merged->request = real->request;
      merged->request_type = real->request_type;
    }
  if (merged->status == 0)
    merged->status = real->status;
  if (merged->response == NULL)
    {
      merged->response = real->response;
      merged->response_type = real->response_type;
    }
  if (merged->errors == NULL)
    merged->errors = real->errors;
  return merged;
}

static JsonObject *
operation_for (Builder           *builder,
               const BourseRoute *route,
               GHashTable        *ids)
{
  BourseRouteDoc merged;
  const BourseRouteDoc *doc = doc_of (route, &merged);
  g_autofree char *where = g_strdup_printf ("%s %s", route->method, route->pattern);
  JsonObject *operation = json_object_new ();
  JsonObject *responses = json_object_new ();
  JsonArray *parameters;
  const char *problem_type = "application/problem+json";
  g_auto(GStrv) errors = NULL;

  if (doc->id == NULL || doc->summary == NULL || doc->tag == NULL)
    problem (builder, "%s: the doc needs an id, a summary and a tag", where);
  else if (!g_hash_table_add (ids, (gpointer) doc->id))
    problem (builder, "%s: the operationId %s is used twice", where, doc->id);

  if (doc->id != NULL)
    json_object_set_string_member (operation, "operationId", doc->id);
  if (doc->summary != NULL)
    json_object_set_string_member (operation, "summary", doc->summary);
  if (doc->description != NULL || doc->replaced_by != NULL)
    {
      g_autoptr(GString) text = g_string_new (doc->description);

      if (doc->replaced_by != NULL)
        g_string_append_printf (text, "%sDeprecated: an alias kept for the seeds' clients; use `%s`.",
                                text->len > 0 ? "\n\n" : "", doc->replaced_by);
      json_object_set_string_member (operation, "description", text->str);
    }
  if (doc->tag != NULL)
    {
      JsonArray *tags = json_array_new ();

      json_array_add_string_element (tags, doc->tag);
      json_object_set_array_member (operation, "tags", tags);
    }
  if (doc->deprecated)
    json_object_set_boolean_member (operation, "deprecated", TRUE);

  /* Who may call it: the permission by name, as GET /api/v1/permissions
   * lists them, and no security at all for public routes. */
  if (route->permission != NULL)
    json_object_set_string_member (operation, "x-permission", route->permission);
  else
    json_object_set_array_member (operation, "security", json_array_new ());

  parameters = parameters_of (builder, route, doc, where);
  if (json_array_get_length (parameters) > 0)
    json_object_set_array_member (operation, "parameters", parameters);
  else
    json_array_unref (parameters);

  if (doc->request != NULL)
    {
      JsonObject *body = json_object_new ();

      json_object_set_boolean_member (body, "required", TRUE);
      json_object_set_object_member (body, "content",
                                     content_with (builder, doc->request_type ? doc->request_type : "application/json",
                                                   doc->request, where));
      json_object_set_object_member (operation, "requestBody", body);
    }

  add_response (builder, responses, doc->status != 0 ? doc->status : 200,
                doc->response_type ? doc->response_type : "application/json", doc->response, where);
  errors = g_strsplit (doc->errors != NULL ? doc->errors : "", " ", -1);
  for (guint i = 0; errors[i] != NULL; i++)
    {
      /* "404", or "503:Health" for an error answered with another body;
       * "202:Order" for a second success (a dry run, a live venue). */
      g_auto(GStrv) parts = g_strsplit (errors[i], ":", 2);
      guint64 status;

      if (errors[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (parts[0], 10, 200, 599, &status, NULL)
          || (status < 300 && parts[1] == NULL))
        {
          problem (builder, "%s: \"%s\" is not an error status, nor a success with its schema", where, errors[i]);
          continue;
        }
      if (parts[1] != NULL)
        add_response (builder, responses, (guint) status, "application/json", parts[1], where);
      else
        add_response (builder, responses, (guint) status, problem_type, "Problem", where);
    }
  if (doc->request != NULL)
    {
      add_response (builder, responses, SOUP_STATUS_BAD_REQUEST, problem_type, "Problem", where);
      add_response (builder, responses, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, problem_type, "Problem", where);
      /* The JSON body reader refuses any other content type. */
      if (doc->request_type == NULL)
        add_response (builder, responses, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, problem_type, "Problem", where);
    }
  if (route->permission != NULL)
    {
      add_response (builder, responses, SOUP_STATUS_UNAUTHORIZED, problem_type, "Problem", where);
      add_response (builder, responses, SOUP_STATUS_FORBIDDEN, problem_type, "Problem", where);
    }
  add_response (builder, responses, 429, problem_type, "Problem", where);
  json_object_set_object_member (operation, "responses", responses);

  return operation;
}

/* x-websocket-topics: {topic: {permission, description, event}}, what a
 * subscriber of /api/v1/ws may ask for and receives as each event's data. */
static JsonObject *
topics_object (Builder *builder)
{
  JsonObject *topics = json_object_new ();
  const BourseTopicDoc *docs;
  guint n_docs;

  docs = bourse_hub_get_topic_docs (&n_docs);
  for (guint i = 0; i < n_docs; i++)
    {
      g_autofree char *where = g_strdup_printf ("topic %s", docs[i].topic);
      JsonObject *topic = json_object_new ();

      json_object_set_string_member (topic, "x-permission", docs[i].permission);
      json_object_set_string_member (topic, "description", docs[i].description);
      json_object_set_member (topic, "event", schema_for (builder, docs[i].event, where));
      json_object_set_object_member (topics, docs[i].topic, topic);
    }
  return topics;
}

JsonNode *
bourse_openapi_build (BourseRouter  *router,
                      const char    *version,
                      char         **problems_out,
                      GError       **error)
{
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) problems = g_string_new (NULL);
  JsonObject *document;
  JsonObject *paths = json_object_new ();
  JsonObject *components = json_object_new ();
  JsonObject *topics;
  Builder builder = { json_object_new (), problems };
  JsonNode *root;

  g_return_val_if_fail (router != NULL, NULL);

  /* info.json: openapi, info (the version filled in here), servers, tags,
   * security and the components that are not schemas. */
  if ((info = load_resource ("info.json", error)) == NULL || !load_schemas (&builder, error))
    {
      json_object_unref (builder.schemas);
      json_object_unref (paths);
      json_object_unref (components);
      return NULL;
    }
  document = json_object_ref (json_node_get_object (info));
  json_object_set_string_member (json_object_get_object_member (document, "info"), "version", version);

  for (guint i = 0; i < bourse_router_get_n_routes (router); i++)
    {
      const BourseRoute *route = bourse_router_get_route (router, i);
      g_autofree char *method = g_ascii_strdown (route->method, -1);
      JsonObject *item;

      if (route->doc == NULL)
        {
          problem (&builder, "%s %s: no doc", route->method, route->pattern);
          continue;
        }
      if ((item = bourse_json_get_object (paths, route->pattern)) == NULL)
        {
          item = json_object_new ();
          json_object_set_object_member (paths, route->pattern, item);
        }
      json_object_set_object_member (item, method, operation_for (&builder, route, ids));
    }
  json_object_set_object_member (document, "paths", paths);

  topics = topics_object (&builder);
  json_object_set_object_member (document, "x-websocket-topics", topics);

  if (json_object_has_member (document, "components"))
    {
      json_object_unref (components);
      components = json_object_ref (json_object_get_object_member (document, "components"));
    }
  else
    json_object_set_object_member (document, "components", json_object_ref (components));
  json_object_set_object_member (components, "schemas", builder.schemas);
  json_object_unref (components);

  root = json_node_init_object (json_node_alloc (), document);
  json_object_unref (document);

  if (problems_out != NULL)
    *problems_out = problems->len > 0 ? g_strdup (problems->str) : NULL;
  return root;
}
