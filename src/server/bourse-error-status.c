/* bourse-error-status.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <libsoup/soup.h>

#include "auth/bourse-users.h"
#include "core/bourse-error.h"
#include "core/bourse-jobs.h"
#include "desk/bourse-desk.h"
#include "market/bourse-csv.h"
#include "market/bourse-download.h"
#include "market/bourse-instruments.h"

#include "bourse-error-status.h"

/* Too Many Requests: not in libsoup 3.2's enum. */
#define STATUS_TOO_MANY_REQUESTS 429
/* In a row: every code of the domain that has no row of its own. */
#define ANY_CODE 0

/* Every status the API answers for a domain error, in one place. Quarks are
 * not constants, so a row names the domain by its quark function. New
 * modules report BOURSE_ERROR and need no row of their own. */
static const struct
{
  GQuark (*domain) (void);
  int      code;
  guint    status;
} statuses[] = {
  { bourse_error_quark, BOURSE_ERROR_INVALID,     SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_error_quark, BOURSE_ERROR_NOT_FOUND,   SOUP_STATUS_NOT_FOUND },
  { bourse_error_quark, BOURSE_ERROR_CONFLICT,    SOUP_STATUS_CONFLICT },
  { bourse_error_quark, BOURSE_ERROR_FORBIDDEN,   SOUP_STATUS_FORBIDDEN },
  { bourse_error_quark, BOURSE_ERROR_UNAVAILABLE, SOUP_STATUS_SERVICE_UNAVAILABLE },
  { bourse_error_quark, BOURSE_ERROR_UPSTREAM,    SOUP_STATUS_BAD_GATEWAY },

  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_USERNAME, SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_EMAIL,    SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_PASSWORD, SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_ROLE,     SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_STATUS,   SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_TIER,     SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_NAME,     SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_INVALID_EXPIRY,   SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_CONFLICT,         SOUP_STATUS_CONFLICT },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_NOT_FOUND,        SOUP_STATUS_NOT_FOUND },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_UNAUTHENTICATED,  SOUP_STATUS_UNAUTHORIZED },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_TOKEN_REUSED,     SOUP_STATUS_UNAUTHORIZED },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_FORBIDDEN,        SOUP_STATUS_FORBIDDEN },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_ACCOUNT_PENDING,  SOUP_STATUS_FORBIDDEN },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_ACCOUNT_DISABLED, SOUP_STATUS_FORBIDDEN },
  { bourse_auth_error_quark, BOURSE_AUTH_ERROR_THROTTLED,        STATUS_TOO_MANY_REQUESTS },

  { bourse_desk_error_quark, BOURSE_DESK_ERROR_INVALID,         SOUP_STATUS_UNPROCESSABLE_ENTITY },
  { bourse_desk_error_quark, BOURSE_DESK_ERROR_NOT_FOUND,       SOUP_STATUS_NOT_FOUND },
  { bourse_desk_error_quark, BOURSE_DESK_ERROR_CONFLICT,        SOUP_STATUS_CONFLICT },
  { bourse_desk_error_quark, BOURSE_DESK_ERROR_FORBIDDEN,       SOUP_STATUS_FORBIDDEN },
  { bourse_desk_error_quark, BOURSE_DESK_ERROR_UNAUTHENTICATED, SOUP_STATUS_UNAUTHORIZED },
  { bourse_desk_error_quark, BOURSE_DESK_ERROR_TOO_LARGE,       SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE },
  { bourse_desk_error_quark, BOURSE_DESK_ERROR_DOWNLOAD,        SOUP_STATUS_BAD_GATEWAY },
  { bourse_desk_error_quark, BOURSE_DESK_ERROR_STOPPED,         SOUP_STATUS_SERVICE_UNAVAILABLE },

  { bourse_market_error_quark, BOURSE_MARKET_ERROR_NOT_FOUND, SOUP_STATUS_NOT_FOUND },
  { bourse_market_error_quark, BOURSE_MARKET_ERROR_CONFLICT,  SOUP_STATUS_CONFLICT },
  { bourse_market_error_quark, BOURSE_MARKET_ERROR_IN_USE,    SOUP_STATUS_CONFLICT },
  { bourse_market_error_quark, ANY_CODE,                      SOUP_STATUS_UNPROCESSABLE_ENTITY },  /* INVALID_* */

  { bourse_download_error_quark, ANY_CODE, SOUP_STATUS_UNPROCESSABLE_ENTITY },   /* INVALID_* */
  { bourse_csv_error_quark,      ANY_CODE, SOUP_STATUS_UNPROCESSABLE_ENTITY },   /* a bad file */

  { bourse_jobs_error_quark, BOURSE_JOBS_ERROR_NOT_FOUND, SOUP_STATUS_NOT_FOUND },
  { bourse_jobs_error_quark, BOURSE_JOBS_ERROR_FINISHED,  SOUP_STATUS_CONFLICT },
  { bourse_jobs_error_quark, BOURSE_JOBS_ERROR_STOPPED,   SOUP_STATUS_SERVICE_UNAVAILABLE },
};

static const char *
csv_error_field (const GError *error)
{
  return "file";
}

static void
csv_error_add_members (const GError *error,
                       JsonObject   *members)
{
  /* For clients that point at the spot. */
  json_object_set_int_member (members, "line", bourse_csv_error_get_line (error));
  json_object_set_int_member (members, "column", bourse_csv_error_get_column (error));
}

/* How to find the field an error is about, per domain; and what more its
 * answer carries. */
static const struct
{
  GQuark       (*domain)      (void);
  const char * (*field)       (const GError *error);
  void         (*add_members) (const GError *error,
                               JsonObject   *members);
} fields[] = {
  { bourse_error_quark,          bourse_error_get_field,      NULL },
  { bourse_auth_error_quark,     bourse_auth_error_field,     NULL },
  { bourse_desk_error_quark,     bourse_desk_error_get_field, NULL },
  { bourse_market_error_quark,   bourse_market_error_field,   NULL },
  { bourse_download_error_quark, bourse_download_error_field, NULL },
  { bourse_csv_error_quark,      csv_error_field,             csv_error_add_members },
};

guint
bourse_error_status (const GError *error)
{
  guint any = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  g_return_val_if_fail (error != NULL, SOUP_STATUS_INTERNAL_SERVER_ERROR);

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (statuses[i].domain () == error->domain)
      {
        if (statuses[i].code == error->code)
          return statuses[i].status;
        if (statuses[i].code == ANY_CODE)
          any = statuses[i].status;
      }
  return any;
}

static int
find_field_row (const GError *error)
{
  for (guint i = 0; error != NULL && i < G_N_ELEMENTS (fields); i++)
    if (fields[i].domain () == error->domain)
      return i;
  return -1;
}

const char *
bourse_error_field (const GError *error)
{
  int i = find_field_row (error);

  return i >= 0 ? fields[i].field (error) : NULL;
}

JsonObject *
bourse_error_dup_members (const GError *error)
{
  int i = find_field_row (error);
  JsonObject *members;

  if (i < 0 || fields[i].add_members == NULL)
    return NULL;
  members = json_object_new ();
  fields[i].add_members (error, members);
  return members;
}
