/* bourse-permissions.h — roles and the permission matrix
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  BOURSE_ROLE_VIEWER,
  BOURSE_ROLE_TRADER,
  BOURSE_ROLE_ADMIN,
} BourseRole;

gboolean     bourse_role_parse               (const char *text,
                                              BourseRole *role);
const char  *bourse_role_to_string           (BourseRole  role);
/* Every permission a route may declare; an unknown one is a programming
 * error caught by the route-walk test. */
gboolean     bourse_permission_is_known      (const char *permission);
gboolean     bourse_role_has_permission      (BourseRole  role,
                                              const char *permission);
const char * const *bourse_permission_list   (void);
/* What the UIs ask instead of knowing the rules: @role's name and
 * permissions, and the whole matrix, role → permissions:
 * {"role","permissions":[…],"matrix":{"admin":[…],"trader":[…],"viewer":[…]}}. */
JsonNode    *bourse_permissions_to_json      (BourseRole  role);

G_END_DECLS
