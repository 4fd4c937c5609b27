/* bourse-router.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BourseRequest BourseRequest;
typedef struct _BourseRouter  BourseRouter;

typedef void (*BourseRouteHandler) (BourseRequest *request,
                                    gpointer       user_data);

/* What a route tells the OpenAPI document about itself (docs/API.md,
 * "The document"). Written beside the handler, in the routes file's table,
 * so a route cannot exist undocumented: test-openapi walks the router.
 *
 * A schema, wherever one is named, is one of
 *   - a component of the files in src/server/openapi/ ("Order", "Decimal", "Cursor"),
 *   - a JSON type ("string", "integer", "boolean", "number"),
 *   - or a JSON Schema object written out: "{\"type\":\"integer\",\"minimum\":1}". */
typedef enum
{
  BOURSE_PARAM_QUERY,
  BOURSE_PARAM_PATH,
  BOURSE_PARAM_HEADER,
} BourseParamLocation;

typedef struct
{
  const char          *name;         /* NULL ends a list */
  BourseParamLocation  in;
  const char          *schema;
  const char          *description;
  gboolean             required;     /* path parameters are required whatever this says */
} BourseParamDoc;

typedef struct
{
  const char           *id;            /* operationId: "listInstruments", unique */
  const char           *tag;           /* a tag of openapi/info.json: "Market" */
  const char           *summary;       /* "List instruments": a title, no full stop */
  const char           *description;   /* optional: what a client must know beyond the schemas */
  const BourseParamDoc *params;        /* NULL or ended by { NULL }; a path parameter left out is
                                        * described as a plain string */
  const char           *request;       /* the body's schema, or NULL when it takes none */
  const char           *request_type;  /* NULL: "application/json" */
  guint                 status;        /* the success status; 0 means 200 */
  const char           *response;      /* its body's schema; NULL: no body (204, a redirect) */
  const char           *response_type; /* NULL: "application/json" */
  /* The other statuses the handler itself can answer, space-separated:
   * "404 409 422". Those the server answers for every route are added by
   * the document: 401 and 403 with a permission, 400, 413 (and 415 for JSON) with a
   * body, and 429. Every one of them carries a Problem, unless written
   * "503:Health": that status with that schema (a health check's answer).
   * A second success is written with its schema: "202:Order". */
  const char           *errors;
  gboolean              deprecated;    /* seed aliases */
  const char           *replaced_by;   /* with deprecated: the path to use instead */
} BourseRouteDoc;

/* Permissions are names such as "system.read"; NULL means public. The
 * permission matrix of src/auth (accounts issue) decides who holds them. */
typedef struct _BourseRoute
{
  char               *method;
  char               *pattern;     /* "/api/v1/orders/{id}" — also the metrics label */
  char               *permission;
  BourseRouteHandler  handler;
  gpointer            user_data;
  char              **segments;
  guint               n_literals;  /* more literal segments win: /users/me over /users/{id} */
  gsize               max_body;    /* 0: the server's server.max_body_bytes */
  const BourseRouteDoc *doc;       /* NULL only while routes are being documented */
  /* A seed's path (bourse_router_add_alias): the real route, whose
   * permission, user data and body limit this one copies. */
  const struct _BourseRoute *alias_of;
} BourseRoute;

/* One line of a routes file's table: bourse_router_add_routes () registers
 * them all with the same user data. */
typedef struct
{
  const char         *method;
  const char         *pattern;
  const char         *permission;
  BourseRouteHandler  handler;
  BourseRouteDoc      doc;
  gsize               max_body;    /* 0: the server's limit */
} BourseRouteSpec;

typedef enum
{
  BOURSE_ROUTE_FOUND,
  BOURSE_ROUTE_NOT_FOUND,
  BOURSE_ROUTE_METHOD_NOT_ALLOWED,
} BourseRouteMatch;

BourseRouter      *bourse_router_new            (void);
void               bourse_router_free           (BourseRouter        *self);
void               bourse_router_add            (BourseRouter        *self,
                                                 const char          *method,
                                                 const char          *pattern,
                                                 const char          *permission,
                                                 BourseRouteHandler   handler,
                                                 gpointer             user_data);
/* @specs must outlive the router (a static table): the routes keep
 * pointers to their docs. */
void               bourse_router_add_routes     (BourseRouter          *self,
                                                 const BourseRouteSpec *specs,
                                                 gsize                  n_specs,
                                                 gpointer               user_data);
/* A seed's own path for a route already added (docs/API.md, "Seed
 * compatibility"): the alias takes @real_method @real_pattern's
 * permission, user data and body limit, and its handler unless @adapter
 * is given, which then translates the seed's request and calls the real
 * handler (bourse_request_get_route ()->alias_of). The path parameters
 * are matched by name: both patterns name the same ones. @doc (static,
 * deprecated) may leave out what the real route's doc says: the document
 * takes the request, the answers and the tag from there. FALSE (and a
 * critical) when the real route is missing or the parameters differ. */
gboolean           bourse_router_add_alias      (BourseRouter          *self,
                                                 const char            *method,
                                                 const char            *alias_pattern,
                                                 const char            *real_method,
                                                 const char            *real_pattern,
                                                 BourseRouteHandler     adapter,
                                                 const BourseRouteDoc  *doc);
/* On FOUND, *route and *params (a reference to unref, name → decoded value,
 * not to be changed: routes without parameters share one) are set; on
 * METHOD_NOT_ALLOWED, *allow lists the methods the path does take. */
BourseRouteMatch   bourse_router_match          (BourseRouter        *self,
                                                 const char          *method,
                                                 const char          *path,
                                                 const BourseRoute  **route,
                                                 GHashTable         **params,
                                                 char               **allow);
/* Uploads: the largest body the route @method @pattern (already added)
 * takes, instead of the server-wide limit. */
void               bourse_router_set_max_body   (BourseRouter        *self,
                                                 const char          *method,
                                                 const char          *pattern,
                                                 gsize                max_body);
/* The limit of the route a request for @path would reach, or 0 when it
 * has none of its own. Cheap: it runs on every request's headers. */
gsize              bourse_router_get_max_body   (BourseRouter        *self,
                                                 const char          *method,
                                                 const char          *path);
guint              bourse_router_get_n_routes   (BourseRouter        *self);
const BourseRoute *bourse_router_get_route      (BourseRouter        *self,
                                                 guint                position);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseRouter, bourse_router_free)

G_END_DECLS
