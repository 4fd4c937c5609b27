/* bourse-log.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bourse-json.h"
#include "bourse-log.h"
#include "bourse-time.h"

static BourseLogFormat log_format = BOURSE_LOG_FORMAT_TEXT;
static GLogLevelFlags  log_max_level = G_LOG_LEVEL_INFO;
static GPrivate        current_request_id = G_PRIVATE_INIT (g_free);

void
bourse_log_set_request_id (const char *request_id)
{
  g_private_replace (&current_request_id, g_strdup (request_id));
}

const char *
bourse_log_get_request_id (void)
{
  return g_private_get (&current_request_id);
}

gboolean
bourse_log_parse_format (const char      *text,
                         BourseLogFormat *format)
{
  static const char * const names[] = { "auto", "text", "json", "journal" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *format = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
bourse_log_parse_level (const char     *text,
                        GLogLevelFlags *level)
{
  static const struct { const char *name; GLogLevelFlags level; } levels[] = {
    { "debug", G_LOG_LEVEL_DEBUG },
    { "info", G_LOG_LEVEL_INFO },
    { "message", G_LOG_LEVEL_MESSAGE },
    { "warning", G_LOG_LEVEL_WARNING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (text, levels[i].name) == 0)
      {
        *level = levels[i].level;
        return TRUE;
      }
  return FALSE;
}

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)    return "error";
  if (level & G_LOG_LEVEL_CRITICAL) return "critical";
  if (level & G_LOG_LEVEL_WARNING)  return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)  return "message";
  if (level & G_LOG_LEVEL_INFO)     return "info";
  return "debug";
}

/* GLib's level flags grow as severity drops: ERROR=1<<2 … DEBUG=1<<7. */
static gboolean
level_enabled (GLogLevelFlags level,
               const char    *domain)
{
  GLogLevelFlags masked = level & G_LOG_LEVEL_MASK;

  if (masked <= log_max_level)
    return TRUE;

  /* G_MESSAGES_DEBUG keeps working for developers. */
  return masked == G_LOG_LEVEL_DEBUG && domain != NULL && g_log_writer_default_would_drop (level, domain) == FALSE;
}

gboolean
bourse_log_is_enabled (GLogLevelFlags level)
{
  return (level & G_LOG_LEVEL_MASK) <= log_max_level;
}

static const char *
field_string (const GLogField *field,
              gssize          *length)
{
  *length = field->length;
  return field->value;
}

static GLogWriterOutput
write_line (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gboolean         json)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *ts = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  const char *domain = NULL;
  const char *message = NULL;
  gssize message_length = -1;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = field_string (&fields[i], &message_length);
    }

  if (json)
    {
      g_string_append (out, "{\"ts\":");
      bourse_json_append_string (out, ts, -1);
      g_string_append (out, ",\"level\":");
      bourse_json_append_string (out, level_name (log_level), -1);
      if (domain != NULL)
        {
          g_string_append (out, ",\"domain\":");
          bourse_json_append_string (out, domain, -1);
        }
      if (message != NULL)
        {
          g_string_append (out, ",\"message\":");
          bourse_json_append_string (out, message, message_length);
        }
      /* Structured fields the caller added, e.g. REQUEST_ID, ROUTE, STATUS. */
      for (gsize i = 0; i < n_fields; i++)
        {
          g_autofree char *key = NULL;

          if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN")
              || g_str_equal (fields[i].key, "PRIORITY") || g_str_has_prefix (fields[i].key, "CODE_"))
            continue;
          if (fields[i].length != -1)
            continue;  /* binary fields have no place in a JSON log line */
          key = g_ascii_strdown (fields[i].key, -1);
          g_string_append_c (out, ',');
          bourse_json_append_string (out, key, -1);
          g_string_append_c (out, ':');
          bourse_json_append_string (out, fields[i].value, -1);
        }
      g_string_append (out, "}\n");
    }
  else
    {
      g_string_append_printf (out, "%s %-8s %s: ", ts, level_name (log_level),
                              domain ? domain : "bourse");
      if (message != NULL)
        g_string_append_len (out, message, message_length < 0 ? (gssize)strlen (message) : message_length);
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "REQUEST_ID") && fields[i].length == -1)
          g_string_append_printf (out, " [%s]", (const char *)fields[i].value);
      g_string_append_c (out, '\n');
    }

  fputs (out->str, stderr);
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

GLogWriterOutput
bourse_log_writer (GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields,
                   gpointer         user_data)
{
  const char *request_id = bourse_log_get_request_id ();
  const char *domain = NULL;
  GLogField *all;
  gsize n_all = n_fields;
  gboolean has_request_id = FALSE;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "REQUEST_ID"))
        has_request_id = TRUE;
    }

  if (!level_enabled (log_level, domain) && !(log_level & G_LOG_FLAG_FATAL))
    return G_LOG_WRITER_HANDLED;

  /* Attach the current request id so every line of a request can be found. */
  all = g_newa (GLogField, n_fields + 1);
  memcpy (all, fields, sizeof (GLogField) * n_fields);
  if (request_id != NULL && !has_request_id)
    all[n_all++] = (GLogField) { "REQUEST_ID", request_id, -1 };

  switch (log_format)
    {
    case BOURSE_LOG_FORMAT_JOURNAL:
      if (g_log_writer_journald (log_level, all, n_all, user_data) == G_LOG_WRITER_HANDLED)
        return G_LOG_WRITER_HANDLED;
      return write_line (log_level, all, n_all, FALSE);

    case BOURSE_LOG_FORMAT_JSON:
      return write_line (log_level, all, n_all, TRUE);

    case BOURSE_LOG_FORMAT_AUTO:
    case BOURSE_LOG_FORMAT_TEXT:
    default:
      return write_line (log_level, all, n_all, FALSE);
    }
}

void
bourse_log_init (BourseLogFormat format,
                 GLogLevelFlags  max_level)
{
  if (format == BOURSE_LOG_FORMAT_AUTO)
    {
      if (g_log_writer_is_journald (fileno (stderr)))
        format = BOURSE_LOG_FORMAT_JOURNAL;
      else if (!isatty (fileno (stderr)))
        format = BOURSE_LOG_FORMAT_JSON;
      else
        format = BOURSE_LOG_FORMAT_TEXT;
    }

  log_format = format;
  log_max_level = max_level;

  /* Set once per process; later calls only change format and level. */
  {
    static gsize installed = 0;
    if (g_once_init_enter (&installed))
      {
        g_log_set_writer_func (bourse_log_writer, NULL, NULL);
        g_once_init_leave (&installed, 1);
      }
  }
}
