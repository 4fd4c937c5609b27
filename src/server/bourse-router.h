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

/* Permissions are names such as "system.read"; NULL means public. The
 * permission matrix of src/auth (accounts issue) decides who holds them. */
typedef struct
{
  char               *method;
  char               *pattern;     /* "/api/v1/orders/{id}" — also the metrics label */
  char               *permission;
  BourseRouteHandler  handler;
  gpointer            user_data;
  char              **segments;
  guint               n_literals;  /* more literal segments win: /users/me over /users/{id} */
  gsize               max_body;    /* 0: the server's server.max_body_bytes */
} BourseRoute;

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
/* On FOUND, *route and *params (owned, name → decoded value) are set; on
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
