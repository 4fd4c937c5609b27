/* bourse-error.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-error.h"

typedef struct
{
  char *field;
} BourseErrorPrivate;

static void
bourse_error_private_init (BourseErrorPrivate *priv)
{
  priv->field = NULL;
}

static void
bourse_error_private_copy (const BourseErrorPrivate *src,
                           BourseErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
}

static void
bourse_error_private_clear (BourseErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
}

G_DEFINE_EXTENDED_ERROR (BourseError, bourse_error)

void
bourse_set_field_error (GError          **error,
                        BourseErrorCode   code,
                        const char       *field,
                        const char       *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, BOURSE_ERROR, code, message);
  if (*error != NULL && field != NULL)
    bourse_error_get_private (*error)->field = g_strdup (field);
}

const char *
bourse_error_get_field (const GError *error)
{
  BourseErrorPrivate *priv;

  if (error == NULL || error->domain != BOURSE_ERROR)
    return NULL;
  priv = bourse_error_get_private (error);
  return priv != NULL ? priv->field : NULL;
}
