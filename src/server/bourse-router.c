/* bourse-router.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bourse-router.h"

/* The routes indexed by their segments, so that a request's lookup walks
 * a few nodes rather than every route (~200, a linear scan cost ~8 k
 * instructions a request): a node's literal children by name, its one
 * child for any {parameter}, and the routes whose pattern ends there, by
 * their position in the table. A path can match routes in several
 * branches (/users/me and /users/{id}); the walk gathers them all and
 * sorts their positions, so the choice among them is the table's order,
 * exactly as a scan of the table would make it. */
typedef struct _Node Node;

struct _Node
{
  GHashTable *literals;   /* Segment → Node, NULL while it has none */
  Node       *parameter;
  GArray     *routes;     /* guint positions in BourseRouter.routes, NULL while none */
};

/* A segment as cut from a request's path: not NUL-terminated. */
typedef struct
{
  const char *start;
  gsize       length;
} Segment;

struct _BourseRouter
{
  GPtrArray *routes;
  GPtrArray *limited;  /* borrowed: the routes with a max_body of their own */
  Node      *root;
  GHashTable *no_params; /* shared by the routes without parameters: never written */
};

static void
route_free (gpointer data)
{
  BourseRoute *route = data;

  g_free (route->method);
  g_free (route->pattern);
  g_free (route->permission);
  g_strfreev (route->segments);
  g_free (route);
}

static guint
segment_hash (gconstpointer key)
{
  const Segment *segment = key;
  guint hash = 5381;

  for (gsize i = 0; i < segment->length; i++)
    hash = hash * 33 + (guchar)segment->start[i];
  return hash;
}

static gboolean
segment_equal (gconstpointer a,
               gconstpointer b)
{
  const Segment *x = a, *y = b;

  return x->length == y->length && memcmp (x->start, y->start, x->length) == 0;
}

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  g_clear_pointer (&node->literals, g_hash_table_unref);
  node_free (node->parameter);
  g_clear_pointer (&node->routes, g_array_unref);
  g_free (node);
}

/* A literal child's key owns a copy of its name. */
static void
segment_key_free (gpointer data)
{
  Segment *segment = data;

  g_free ((char *)segment->start);
  g_free (segment);
}

static Node *
node_child (Node       *node,
            const char *segment,
            gboolean    parameter)
{
  Segment key = { segment, strlen (segment) };
  Node *child;

  if (parameter)
    {
      if (node->parameter == NULL)
        node->parameter = g_new0 (Node, 1);
      return node->parameter;
    }

  if (node->literals == NULL)
    node->literals = g_hash_table_new_full (segment_hash, segment_equal, segment_key_free,
                                            (GDestroyNotify)node_free);
  if ((child = g_hash_table_lookup (node->literals, &key)) == NULL)
    {
      Segment *owned = g_new (Segment, 1);

      owned->start = g_strdup (segment);
      owned->length = key.length;
      child = g_new0 (Node, 1);
      g_hash_table_insert (node->literals, owned, child);
    }
  return child;
}

static gboolean
is_parameter (const char *segment)
{
  gsize len = strlen (segment);

  return len > 2 && segment[0] == '{' && segment[len - 1] == '}';
}

/* Files the route at @position under its pattern's node. */
static void
index_route (BourseRouter *self,
             guint         position)
{
  const BourseRoute *route = g_ptr_array_index (self->routes, position);
  Node *node = self->root;

  for (guint i = 0; route->segments[i] != NULL; i++)
    node = node_child (node, route->segments[i], is_parameter (route->segments[i]));
  if (node->routes == NULL)
    node->routes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (node->routes, position);
}

BourseRouter *
bourse_router_new (void)
{
  BourseRouter *self = g_new0 (BourseRouter, 1);

  self->routes = g_ptr_array_new_with_free_func (route_free);
  self->limited = g_ptr_array_new ();
  self->root = g_new0 (Node, 1);
  self->no_params = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

void
bourse_router_free (BourseRouter *self)
{
  if (self == NULL)
    return;

  node_free (self->root);
  g_hash_table_unref (self->no_params);
  g_ptr_array_unref (self->limited);
  g_ptr_array_unref (self->routes);
  g_free (self);
}

/* "/api/v1/orders/{id}" → { "api", "v1", "orders", "{id}" } */
static char **
split_path (const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_strv_builder_add (builder, parts[i]);

  return g_strv_builder_end (builder);
}

static BourseRoute *
route_new (const char         *method,
           const char         *pattern,
           const char         *permission,
           BourseRouteHandler  handler,
           gpointer            user_data)
{
  BourseRoute *route = g_new0 (BourseRoute, 1);

  route->method = g_strdup (method);
  route->pattern = g_strdup (pattern);
  route->permission = g_strdup (permission);
  route->handler = handler;
  route->user_data = user_data;
  route->segments = split_path (pattern);
  for (guint i = 0; route->segments[i] != NULL; i++)
    if (!is_parameter (route->segments[i]))
      route->n_literals++;
  return route;
}

static void
append_route (BourseRouter *self,
              BourseRoute  *route)
{
  g_ptr_array_add (self->routes, route);
  index_route (self, self->routes->len - 1);
}

void
bourse_router_add (BourseRouter       *self,
                   const char         *method,
                   const char         *pattern,
                   const char         *permission,
                   BourseRouteHandler  handler,
                   gpointer            user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL);
  g_return_if_fail (pattern != NULL && pattern[0] == '/');

  append_route (self, route_new (method, pattern, permission, handler, user_data));
}

void
bourse_router_add_routes (BourseRouter          *self,
                          const BourseRouteSpec *specs,
                          gsize                  n_specs,
                          gpointer               user_data)
{
  g_return_if_fail (self != NULL);

  for (gsize i = 0; i < n_specs; i++)
    {
      BourseRoute *route;

      bourse_router_add (self, specs[i].method, specs[i].pattern, specs[i].permission, specs[i].handler,
                         user_data);
      route = g_ptr_array_index (self->routes, self->routes->len - 1);
      route->doc = &specs[i].doc;
      if (specs[i].max_body > 0)
        bourse_router_set_max_body (self, specs[i].method, specs[i].pattern, specs[i].max_body);
    }
}

static const BourseRoute *
find_route (BourseRouter *self,
            const char   *method,
            const char   *pattern)
{
  for (guint i = 0; i < self->routes->len; i++)
    {
      const BourseRoute *route = g_ptr_array_index (self->routes, i);

      if (g_str_equal (route->method, method) && g_str_equal (route->pattern, pattern))
        return route;
    }
  return NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The {names} of @route's pattern, sorted: two patterns take the same
 * parameters when these are equal, whatever their order. */
static char **
parameter_names (const BourseRoute *route)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char **names;

  for (guint i = 0; route->segments[i] != NULL; i++)
    if (is_parameter (route->segments[i]))
      g_strv_builder_add (builder, route->segments[i]);
  names = g_strv_builder_end (builder);
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  return names;
}

gboolean
bourse_router_add_alias (BourseRouter         *self,
                         const char           *method,
                         const char           *alias_pattern,
                         const char           *real_method,
                         const char           *real_pattern,
                         BourseRouteHandler    adapter,
                         const BourseRouteDoc *doc)
{
  const BourseRoute *real;
  BourseRoute *alias;
  g_auto(GStrv) real_names = NULL;
  g_auto(GStrv) alias_names = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (method != NULL && real_method != NULL && real_pattern != NULL, FALSE);
  g_return_val_if_fail (alias_pattern != NULL && alias_pattern[0] == '/', FALSE);

  if ((real = find_route (self, real_method, real_pattern)) == NULL)
    {
      g_critical ("No route %s %s to alias as %s %s", real_method, real_pattern, method, alias_pattern);
      return FALSE;
    }

  alias = route_new (method, alias_pattern, real->permission, adapter ? adapter : real->handler,
                     real->user_data);
  alias->doc = doc;
  alias->alias_of = real;

  /* The real handler reads its parameters by name: the alias must give
   * it every one, and nothing it does not know. */
  real_names = parameter_names (real);
  alias_names = parameter_names (alias);
  if (!g_strv_equal ((const char * const *) real_names, (const char * const *) alias_names))
    {
      g_critical ("The alias %s %s does not name the parameters of %s %s", method, alias_pattern, real_method,
                  real_pattern);
      route_free (alias);
      return FALSE;
    }
  append_route (self, alias);

  if (real->max_body != 0)
    bourse_router_set_max_body (self, method, alias_pattern, real->max_body);
  return TRUE;
}

/* A request path cut into segments in place: matching runs on every
 * request, so it allocates nothing until a route has been chosen. */
#define MAX_SEGMENTS 32

typedef struct
{
  const char *start[MAX_SEGMENTS];
  gsize       length[MAX_SEGMENTS];
  guint       n;
} PathSegments;

static gboolean
cut_path (const char   *path,
          PathSegments *out)
{
  const char *p = path;

  out->n = 0;
  while (*p != '\0')
    {
      const char *end;

      while (*p == '/')
        p++;
      if (*p == '\0')
        break;
      if ((end = strchr (p, '/')) == NULL)
        end = p + strlen (p);
      if (out->n == MAX_SEGMENTS)
        return FALSE;
      out->start[out->n] = p;
      out->length[out->n] = end - p;
      out->n++;
      p = end;
    }
  return TRUE;
}

static gboolean
route_matches_path (const BourseRoute  *route,
                    const PathSegments *path)
{
  guint i;

  for (i = 0; route->segments[i] != NULL && i < path->n; i++)
    {
      const char *segment = route->segments[i];

      if (is_parameter (segment))
        continue;
      if (strlen (segment) != path->length[i] || memcmp (segment, path->start[i], path->length[i]) != 0)
        return FALSE;
    }

  return route->segments[i] == NULL && i == path->n;
}

/* The routes whose pattern matches a path, as positions in the table,
 * in the table's order. */
#define MAX_CANDIDATES 64

typedef struct
{
  guint    positions[MAX_CANDIDATES];
  guint    n;
  gboolean overflow;   /* more than fit: every route must be tried */
} Candidates;

static void
collect (const Node         *node,
         const PathSegments *path,
         guint               depth,
         Candidates         *out)
{
  if (depth == path->n)
    {
      if (node->routes == NULL)
        return;
      for (guint i = 0; i < node->routes->len && !out->overflow; i++)
        if (out->n < MAX_CANDIDATES)
          out->positions[out->n++] = g_array_index (node->routes, guint, i);
        else
          out->overflow = TRUE;
      return;
    }

  if (node->literals != NULL)
    {
      Segment key = { path->start[depth], path->length[depth] };
      const Node *child = g_hash_table_lookup (node->literals, &key);

      if (child != NULL)
        collect (child, path, depth + 1, out);
    }
  if (node->parameter != NULL)
    collect (node->parameter, path, depth + 1, out);
}

static void
gather (BourseRouter       *self,
        const PathSegments *path,
        Candidates         *out)
{
  out->n = 0;
  out->overflow = FALSE;
  collect (self->root, path, 0, out);

  /* Insertion sort: a path matches a handful of routes. */
  for (guint i = 1; i < out->n; i++)
    {
      guint position = out->positions[i], j = i;

      for (; j > 0 && out->positions[j - 1] > position; j--)
        out->positions[j] = out->positions[j - 1];
      out->positions[j] = position;
    }
}

/* The @i-th route matching @path, or NULL when it is not one (only when
 * the candidates overflowed and the whole table is walked). */
static const BourseRoute *
candidate_at (BourseRouter       *self,
              const Candidates   *candidates,
              const PathSegments *path,
              guint               i)
{
  const BourseRoute *route;

  if (!candidates->overflow)
    return g_ptr_array_index (self->routes, candidates->positions[i]);
  route = g_ptr_array_index (self->routes, i);
  return route_matches_path (route, path) ? route : NULL;
}

static guint
n_candidates (BourseRouter     *self,
              const Candidates *candidates)
{
  return candidates->overflow ? self->routes->len : candidates->n;
}

/* Decodes the {parameters} of a matching route; NULL when one does not
 * decode (a bad %-escape or an embedded NUL), which then cannot match. */
static GHashTable *
extract_params (BourseRouter       *self,
                const BourseRoute  *route,
                const PathSegments *path)
{
  g_autoptr(GHashTable) params = NULL;

  /* Most routes have none: one empty table for them all, not one made
   * and freed a request. */
  if (route->n_literals == path->n)
    return g_hash_table_ref (self->no_params);

  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < path->n; i++)
    {
      const char *name = route->segments[i];
      g_autofree char *raw = NULL;
      char *decoded;

      if (!is_parameter (name))
        continue;
      raw = g_strndup (path->start[i], path->length[i]);
      if ((decoded = g_uri_unescape_string (raw, NULL)) == NULL)
        return NULL;
      g_hash_table_insert (params, g_strndup (name + 1, strlen (name) - 2), decoded);
    }

  return g_steal_pointer (&params);
}

static gboolean
method_matches (const BourseRoute *route,
                const char        *method)
{
  /* HEAD is GET without the body; libsoup drops the body for us. */
  return g_str_equal (route->method, method)
      || (g_str_equal (method, "HEAD") && g_str_equal (route->method, "GET"));
}

BourseRouteMatch
bourse_router_match (BourseRouter       *self,
                     const char         *method,
                     const char         *path,
                     const BourseRoute **route,
                     GHashTable        **params,
                     char              **allow)
{
  PathSegments segments;
  Candidates candidates;
  const BourseRoute *best = NULL;
  g_autoptr(GPtrArray) allowed = NULL;

  g_return_val_if_fail (self != NULL, BOURSE_ROUTE_NOT_FOUND);
  g_return_val_if_fail (method != NULL && path != NULL, BOURSE_ROUTE_NOT_FOUND);

  if (!cut_path (path, &segments))
    return BOURSE_ROUTE_NOT_FOUND;

  gather (self, &segments, &candidates);
  for (guint i = 0; i < n_candidates (self, &candidates); i++)
    {
      const BourseRoute *candidate = candidate_at (self, &candidates, &segments, i);

      if (candidate == NULL)
        continue;

      if (method_matches (candidate, method))
        {
          if (best == NULL || candidate->n_literals > best->n_literals)
            best = candidate;
        }
      else
        {
          if (allowed == NULL)
            allowed = g_ptr_array_new ();
          if (!g_ptr_array_find_with_equal_func (allowed, candidate->method, g_str_equal, NULL))
            g_ptr_array_add (allowed, candidate->method);
        }
    }

  if (best != NULL)
    {
      g_autoptr(GHashTable) found = extract_params (self, best, &segments);

      if (found == NULL)
        return BOURSE_ROUTE_NOT_FOUND;

      if (route != NULL)
        *route = best;
      if (params != NULL)
        *params = g_steal_pointer (&found);
      return BOURSE_ROUTE_FOUND;
    }

  if (allowed != NULL)
    {
      if (allow != NULL)
        {
          g_autoptr(GString) list = g_string_new (NULL);

          /* GET implies HEAD, and OPTIONS is always answered: add them once. */
          if (g_ptr_array_find_with_equal_func (allowed, "GET", g_str_equal, NULL)
              && !g_ptr_array_find_with_equal_func (allowed, "HEAD", g_str_equal, NULL))
            g_ptr_array_add (allowed, (gpointer)"HEAD");
          if (!g_ptr_array_find_with_equal_func (allowed, "OPTIONS", g_str_equal, NULL))
            g_ptr_array_add (allowed, (gpointer)"OPTIONS");

          for (guint i = 0; i < allowed->len; i++)
            g_string_append_printf (list, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index (allowed, i));
          *allow = g_string_free (g_steal_pointer (&list), FALSE);
        }
      return BOURSE_ROUTE_METHOD_NOT_ALLOWED;
    }

  return BOURSE_ROUTE_NOT_FOUND;
}

void
bourse_router_set_max_body (BourseRouter *self,
                            const char   *method,
                            const char   *pattern,
                            gsize         max_body)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (method != NULL && pattern != NULL);

  for (guint i = 0; i < self->routes->len; i++)
    {
      BourseRoute *route = g_ptr_array_index (self->routes, i);

      if (g_str_equal (route->method, method) && g_str_equal (route->pattern, pattern))
        {
          g_ptr_array_remove (self->limited, route);
          if (max_body != 0)
            g_ptr_array_add (self->limited, route);
          route->max_body = max_body;
          return;
        }
    }
  g_critical ("No route %s %s to set a body limit on", method, pattern);
}

gsize
bourse_router_get_max_body (BourseRouter *self,
                            const char   *method,
                            const char   *path)
{
  const BourseRoute *route = NULL;
  PathSegments segments;
  Candidates candidates;

  g_return_val_if_fail (self != NULL, 0);

  if (self->limited->len == 0 || method == NULL || path == NULL || !cut_path (path, &segments))
    return 0;

  /* The route matching would choose: the one with most literal segments. */
  gather (self, &segments, &candidates);
  for (guint i = 0; i < n_candidates (self, &candidates); i++)
    {
      const BourseRoute *candidate = candidate_at (self, &candidates, &segments, i);

      if (candidate != NULL && method_matches (candidate, method)
          && (route == NULL || candidate->n_literals > route->n_literals))
        route = candidate;
    }
  return route != NULL ? route->max_body : 0;
}

guint
bourse_router_get_n_routes (BourseRouter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->routes->len;
}

const BourseRoute *
bourse_router_get_route (BourseRouter *self,
                         guint         position)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (position < self->routes->len, NULL);

  return g_ptr_array_index (self->routes, position);
}
