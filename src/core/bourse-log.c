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

/* The current request id of a thread, in a buffer of its own that is
 * reused: it is set and cleared around every request, and a copy
 * allocated and freed each time showed in the cost of a /health. */
typedef struct
{
  char    *id;
  gsize    room;
  gboolean set;
} RequestIdSlot;

static void
request_id_slot_free (gpointer data)
{
  RequestIdSlot *slot = data;

  g_free (slot->id);
  g_free (slot);
}

static GPrivate current_request_id = G_PRIVATE_INIT (request_id_slot_free);

void
bourse_log_set_request_id (const char *request_id)
{
  RequestIdSlot *slot = g_private_get (&current_request_id);
  gsize size;

  if (slot == NULL)
    {
      if (request_id == NULL)
        return;
      slot = g_new0 (RequestIdSlot, 1);
      g_private_set (&current_request_id, slot);
    }

  slot->set = request_id != NULL;
  if (request_id == NULL)
    return;

  size = strlen (request_id) + 1;
  if (size > slot->room)
    {
      slot->room = MAX (size, 64);
      slot->id = g_realloc (slot->id, slot->room);
    }
  memcpy (slot->id, request_id, size);
}

const char *
bourse_log_get_request_id (void)
{
  RequestIdSlot *slot = g_private_get (&current_request_id);

  return slot != NULL && slot->set ? slot->id : NULL;
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

/* The ring {{{ */

#define DEFAULT_RING_SIZE 5000

typedef struct
{
  guint               id;
  GMainContext       *context;
  BourseLogWatchFunc  func;
  gpointer            user_data;
  GDestroyNotify      notify;
  guint64             last_id;     /* the newest entry delivered; under ring_lock */
  GSource            *pending;     /* the idle that delivers; under ring_lock */
  gboolean            removed;     /* under ring_lock */
} Watch;

static GMutex           ring_lock;
static BourseLogEntry **ring;          /* ring_capacity slots, the oldest at ring_start */
static guint            ring_capacity;
static guint            ring_start;
static guint            ring_length;
static guint64          ring_next_id = 1;
static GPtrArray       *watches;       /* Watch *, ref-counted with g_atomic_rc_box */
static guint            watch_next_id = 1;

G_DEFINE_BOXED_TYPE (BourseLogEntry, bourse_log_entry, bourse_log_entry_ref, bourse_log_entry_unref)

static void
entry_clear (BourseLogEntry *entry)
{
  g_free (entry->domain);
  g_free (entry->message);
  g_free (entry->request_id);
  g_strfreev (entry->fields);
}

BourseLogEntry *
bourse_log_entry_ref (BourseLogEntry *entry)
{
  return g_atomic_rc_box_acquire (entry);
}

void
bourse_log_entry_unref (BourseLogEntry *entry)
{
  g_atomic_rc_box_release_full (entry, (GDestroyNotify)entry_clear);
}

const char *
bourse_log_level_to_string (GLogLevelFlags level)
{
  return level_name (level);
}

gboolean
bourse_log_parse_min_level (const char     *text,
                            GLogLevelFlags *level)
{
  if (g_strcmp0 (text, "critical") == 0)
    {
      *level = G_LOG_LEVEL_CRITICAL;
      return TRUE;
    }
  return bourse_log_parse_level (text, level);
}

JsonNode *
bourse_log_entry_to_json (const BourseLogEntry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (entry != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, (gint64)entry->id);
  bourse_json_builder_add_time (builder, "ts", entry->ts_ms);
  bourse_json_builder_add_string (builder, "level", level_name (entry->level));
  bourse_json_builder_add_string (builder, "domain", entry->domain);
  bourse_json_builder_add_string (builder, "message", entry->message);
  bourse_json_builder_add_string (builder, "request_id", entry->request_id);
  if (entry->fields != NULL && entry->fields[0] != NULL)
    {
      json_builder_set_member_name (builder, "fields");
      json_builder_begin_object (builder);
      for (guint i = 0; entry->fields[i] != NULL && entry->fields[i + 1] != NULL; i += 2)
        bourse_json_builder_add_string (builder, entry->fields[i], entry->fields[i + 1]);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Fields whose name says they may carry a credential stay out of the ring
 * (the journal, which only root and the admin group read, keeps them). */
static gboolean
field_is_kept (const char *key)
{
  static const char * const secret_words[] = { "TOKEN", "PASSWORD", "SECRET", "KEY", "AUTHORIZATION",
                                               "COOKIE", "SIGNATURE", "CREDENTIAL" };

  if (g_str_equal (key, "MESSAGE") || g_str_equal (key, "GLIB_DOMAIN") || g_str_equal (key, "PRIORITY")
      || g_str_equal (key, "REQUEST_ID") || g_str_has_prefix (key, "CODE_") || g_str_has_prefix (key, "GLIB_"))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (secret_words); i++)
    if (strstr (key, secret_words[i]) != NULL)
      return FALSE;
  return TRUE;
}

/* A message that quotes a credential by mistake: "Bearer …" and JWTs are
 * masked whole, API keys ("bk_" + the 8 characters lists show) after the
 * part that tells them apart. */
static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("-_.~+/=", c) != NULL;
}

static char *
mask_secrets (const char *message,
              gssize      length)
{
  const char *p, *end;
  GString *out;

  if (length < 0)
    length = strlen (message);
  end = message + length;
  out = g_string_sized_new (length);
  for (p = message; p < end;)
    {
      gboolean word_start = p == message || !is_token_char (p[-1]);
      gsize keep, min_run = 1;
      const char *q;

      if (end - p > 7 && g_ascii_strncasecmp (p, "Bearer ", 7) == 0)
        keep = 7;
      else if (word_start && end - p > 3 && strncmp (p, "bk_", 3) == 0)
        keep = 3;
      else if (word_start && end - p > 3 && strncmp (p, "eyJ", 3) == 0)
        keep = 0, min_run = 16;
      else
        {
          g_string_append_c (out, *p++);
          continue;
        }
      for (q = p + keep; q < end && is_token_char (*q); q++)
        ;
      /* An API key keeps the 8 characters its listing shows. */
      if (keep == 3)
        keep = MIN (11, (gsize)(q - p));
      if ((gsize)(q - p) < keep + min_run)
        {
          g_string_append_len (out, p, q - p == 0 ? 1 : q - p);
          p += q - p == 0 ? 1 : q - p;
          continue;
        }
      g_string_append_len (out, p, keep);
      g_string_append (out, "••••");
      p = q;
    }
  return g_string_free (out, FALSE);
}

static void
ring_ensure_locked (void)
{
  if (ring == NULL)
    {
      ring_capacity = DEFAULT_RING_SIZE;
      ring = g_new0 (BourseLogEntry *, ring_capacity);
    }
}

void
bourse_log_set_ring_size (guint size)
{
  BourseLogEntry **resized;
  guint keep;

  size = MAX (size, 1);
  g_mutex_lock (&ring_lock);
  ring_ensure_locked ();
  resized = g_new0 (BourseLogEntry *, size);
  keep = MIN (ring_length, size);
  /* The newest survive a shrink. */
  for (guint i = 0; i < ring_length; i++)
    {
      BourseLogEntry *entry = ring[(ring_start + i) % ring_capacity];

      if (i < ring_length - keep)
        bourse_log_entry_unref (entry);
      else
        resized[i - (ring_length - keep)] = entry;
    }
  g_free (ring);
  ring = resized;
  ring_capacity = size;
  ring_start = 0;
  ring_length = keep;
  g_mutex_unlock (&ring_lock);
}

guint
bourse_log_get_ring_size (void)
{
  guint size;

  g_mutex_lock (&ring_lock);
  ring_ensure_locked ();
  size = ring_capacity;
  g_mutex_unlock (&ring_lock);
  return size;
}

void
bourse_log_ring_clear (void)
{
  g_mutex_lock (&ring_lock);
  for (guint i = 0; i < ring_length; i++)
    bourse_log_entry_unref (ring[(ring_start + i) % ring_capacity]);
  ring_start = ring_length = 0;
  g_mutex_unlock (&ring_lock);
}

static gboolean
entry_matches (const BourseLogEntry *entry,
               const BourseLogQuery *query)
{
  return (query->min_level == 0 || entry->level <= query->min_level)
      && (query->domain == NULL || g_strcmp0 (entry->domain, query->domain) == 0)
      && entry->ts_ms >= query->since_ms
      && (query->before_id == 0 || entry->id < query->before_id);
}

GPtrArray *
bourse_log_ring_query (const BourseLogQuery *query,
                       gboolean             *more)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_log_entry_unref);

  g_return_val_if_fail (query != NULL, items);

  if (more != NULL)
    *more = FALSE;
  g_mutex_lock (&ring_lock);
  for (guint i = ring_length; i > 0; i--)
    {
      BourseLogEntry *entry = ring[(ring_start + i - 1) % ring_capacity];

      if (!entry_matches (entry, query))
        continue;
      if (items->len >= query->limit)
        {
          if (more != NULL)
            *more = TRUE;
          break;
        }
      g_ptr_array_add (items, bourse_log_entry_ref (entry));
    }
  g_mutex_unlock (&ring_lock);
  return items;
}

static void
watch_clear (Watch *watch)
{
  g_main_context_unref (watch->context);
  if (watch->notify != NULL)
    watch->notify (watch->user_data);
}

static void
watch_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify)watch_clear);
}

/* On the watch's context: what arrived since the last delivery, in order. */
static gboolean
watch_deliver_cb (gpointer data)
{
  Watch *watch = data;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_log_entry_unref);

  g_mutex_lock (&ring_lock);
  g_clear_pointer (&watch->pending, g_source_unref);
  if (!watch->removed)
    {
      for (guint i = 0; i < ring_length; i++)
        {
          BourseLogEntry *entry = ring[(ring_start + i) % ring_capacity];

          if (entry->id > watch->last_id)
            g_ptr_array_add (entries, bourse_log_entry_ref (entry));
        }
      if (entries->len > 0)
        watch->last_id = ((BourseLogEntry *)g_ptr_array_index (entries, entries->len - 1))->id;
    }
  g_mutex_unlock (&ring_lock);

  for (guint i = 0; i < entries->len; i++)
    {
      /* An earlier entry's listener may have removed the watch. */
      gboolean removed;

      g_mutex_lock (&ring_lock);
      removed = watch->removed;
      g_mutex_unlock (&ring_lock);
      if (removed)
        break;
      watch->func (g_ptr_array_index (entries, i), watch->user_data);
    }
  return G_SOURCE_REMOVE;
}

guint
bourse_log_watch (GMainContext       *context,
                  BourseLogWatchFunc  func,
                  gpointer            user_data,
                  GDestroyNotify      notify)
{
  Watch *watch;
  guint id;

  g_return_val_if_fail (func != NULL, 0);

  watch = g_atomic_rc_box_new0 (Watch);
  watch->context = g_main_context_ref (context != NULL ? context : g_main_context_default ());
  watch->func = func;
  watch->user_data = user_data;
  watch->notify = notify;

  g_mutex_lock (&ring_lock);
  if (watches == NULL)
    watches = g_ptr_array_new_with_free_func (watch_unref);
  id = watch->id = watch_next_id++;
  /* From now on: what is in the ring already was before the watch. */
  watch->last_id = ring_next_id - 1;
  g_ptr_array_add (watches, watch);
  g_mutex_unlock (&ring_lock);
  return id;
}

void
bourse_log_unwatch (guint id)
{
  Watch *watch = NULL;
  GSource *pending = NULL;

  g_mutex_lock (&ring_lock);
  for (guint i = 0; watches != NULL && i < watches->len; i++)
    if (((Watch *)g_ptr_array_index (watches, i))->id == id)
      {
        watch = g_ptr_array_steal_index (watches, i);
        watch->removed = TRUE;
        pending = g_steal_pointer (&watch->pending);
        break;
      }
  g_mutex_unlock (&ring_lock);

  if (pending != NULL)
    {
      g_source_destroy (pending);
      g_source_unref (pending);
    }
  if (watch != NULL)
    watch_unref (watch);
}

/* Called with the message being written; entries are built outside the
 * lock, which is held only to link one in. */
static void
ring_add (GLogLevelFlags   log_level,
          const GLogField *fields,
          gsize            n_fields)
{
  BourseLogEntry *entry = g_atomic_rc_box_new0 (BourseLogEntry);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  BourseLogEntry *dropped = NULL;

  entry->ts_ms = bourse_time_now_ms ();
  entry->level = log_level & G_LOG_LEVEL_MASK;
  for (gsize i = 0; i < n_fields; i++)
    {
      const char *key = fields[i].key;

      if (g_str_equal (key, "MESSAGE"))
        entry->message = mask_secrets (fields[i].value, fields[i].length);
      else if (fields[i].length != -1)
        continue;   /* binary */
      else if (g_str_equal (key, "GLIB_DOMAIN"))
        entry->domain = g_strdup (fields[i].value);
      else if (g_str_equal (key, "REQUEST_ID"))
        entry->request_id = g_strdup (fields[i].value);
      else if (field_is_kept (key))
        {
          g_ptr_array_add (kept, g_strdup (key));
          g_ptr_array_add (kept, mask_secrets (fields[i].value, -1));
        }
    }
  if (entry->message == NULL)
    entry->message = g_strdup ("");
  g_ptr_array_add (kept, NULL);
  entry->fields = (char **)g_ptr_array_steal (kept, NULL);

  g_mutex_lock (&ring_lock);
  ring_ensure_locked ();
  entry->id = ring_next_id++;
  if (ring_length == ring_capacity)
    {
      dropped = ring[ring_start];
      ring[ring_start] = entry;
      ring_start = (ring_start + 1) % ring_capacity;
    }
  else
    ring[(ring_start + ring_length++) % ring_capacity] = entry;
  /* One idle per watch at a time however many entries arrive meanwhile.
   * Attached under the lock so an unwatch cannot destroy it half-way;
   * GLib does not log while it holds a context's lock. */
  for (guint i = 0; watches != NULL && i < watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (watches, i);

      if (watch->pending != NULL)
        continue;
      watch->pending = g_idle_source_new ();
      /* Above GTK's redraws (HIGH_IDLE + 20), which otherwise keep a
       * desktop's engine context from ever idling; below the I/O that
       * serves requests, and the tail batches what came meanwhile. */
      g_source_set_priority (watch->pending, G_PRIORITY_HIGH_IDLE);
      g_source_set_callback (watch->pending, watch_deliver_cb, g_atomic_rc_box_acquire (watch), watch_unref);
      g_source_set_static_name (watch->pending, "[bourse] log watch");
      g_source_attach (watch->pending, watch->context);
    }
  g_mutex_unlock (&ring_lock);

  if (dropped != NULL)
    bourse_log_entry_unref (dropped);
}

/* }}} */

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
  g_autoptr(GString) out = g_string_sized_new (512);
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
          if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN")
              || g_str_equal (fields[i].key, "PRIORITY") || g_str_has_prefix (fields[i].key, "CODE_"))
            continue;
          if (fields[i].length != -1)
            continue;  /* binary fields have no place in a JSON log line */
          /* Field names are [A-Z0-9_] (journald's rule, which GLib's
           * documentation gives): written in lower case, with no copy, and
           * anything else as '_' so that no name needs escaping. */
          g_string_append (out, ",\"");
          for (const char *k = fields[i].key; *k != '\0'; k++)
            g_string_append_c (out, g_ascii_isalnum (*k) ? g_ascii_tolower (*k) : '_');
          g_string_append (out, "\":");
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
  ring_add (log_level, all, n_all);

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

/* For log.level changed at run time; the writer stays as installed. */
void
bourse_log_set_max_level (GLogLevelFlags max_level)
{
  log_max_level = max_level;
}
