/* bourse-error.h — the domain error every new module reports with
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What went wrong, in the terms a client acts on. The server maps each code
 * to one HTTP status in one table (bourse-request.c); the request field an
 * error is about travels with it, so a 422 names it. */
#define BOURSE_ERROR (bourse_error_quark ())

typedef enum
{
  BOURSE_ERROR_FAILED = 1,      /* ours: 500, the log has the details */
  BOURSE_ERROR_INVALID,         /* a field is wrong or outside a limit: 422 */
  BOURSE_ERROR_NOT_FOUND,       /* 404 */
  BOURSE_ERROR_CONFLICT,        /* the record or the engine is in a state that forbids it: 409 */
  BOURSE_ERROR_FORBIDDEN,       /* allowed in general, not this one: 403 */
  BOURSE_ERROR_UNAVAILABLE,     /* stopping, or a part is down: 503 */
  BOURSE_ERROR_UPSTREAM,        /* an exchange or provider failed: 502 */
} BourseErrorCode;

GQuark      bourse_error_quark      (void);

/* Sets a BOURSE_ERROR about @field ("quantity", "risk.max_order_notional");
 * @field may be NULL. */
void        bourse_set_field_error  (GError         **error,
                                     BourseErrorCode  code,
                                     const char      *field,
                                     const char      *format,
                                     ...) G_GNUC_PRINTF (4, 5);
/* The field a BOURSE_ERROR is about, or NULL. */
const char *bourse_error_get_field  (const GError    *error);

G_END_DECLS
