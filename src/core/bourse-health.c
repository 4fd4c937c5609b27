/* bourse-health.c — the components' health (docs/OPERATIONS.md)
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-health"

#include "config.h"

#include <string.h>

#include "bourse-health.h"
#include "bourse-json.h"
#include "bourse-time.h"

typedef struct
{
  BourseHealthStatus  status;
  char               *reason;
  gint64              since_ms;
} Component;

struct _BourseHealth
{
  GObject     parent_instance;
  GHashTable *components;   /* name → Component */
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BourseHealth, bourse_health, G_TYPE_OBJECT)

static void
component_free (gpointer data)
{
  Component *component = data;

  g_free (component->reason);
  g_free (component);
}

static void
bourse_health_finalize (GObject *object)
{
  BourseHealth *self = BOURSE_HEALTH (object);

  g_hash_table_unref (self->components);
  G_OBJECT_CLASS (bourse_health_parent_class)->finalize (object);
}

static void
bourse_health_class_init (BourseHealthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_health_finalize;

  /* component, status, previous status, reason (or NULL) */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT, G_TYPE_INT, G_TYPE_STRING);
}

static void
bourse_health_init (BourseHealth *self)
{
  self->components = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, component_free);
}

BourseHealth *
bourse_health_new (void)
{
  return g_object_new (BOURSE_TYPE_HEALTH, NULL);
}

const char *
bourse_health_status_to_string (BourseHealthStatus status)
{
  switch (status)
    {
    case BOURSE_HEALTH_OK:       return "ok";
    case BOURSE_HEALTH_DEGRADED: return "degraded";
    case BOURSE_HEALTH_DOWN:     return "down";
    default:                     g_return_val_if_reached ("down");
    }
}

void
bourse_health_set (BourseHealth       *self,
                   const char         *component,
                   BourseHealthStatus  status,
                   const char         *reason)
{
  Component *entry;
  BourseHealthStatus previous;

  g_return_if_fail (BOURSE_IS_HEALTH (self));
  g_return_if_fail (component != NULL);

  entry = g_hash_table_lookup (self->components, component);
  if (entry == NULL)
    {
      entry = g_new0 (Component, 1);
      entry->status = BOURSE_HEALTH_OK;
      entry->since_ms = bourse_time_now_ms ();
      g_hash_table_insert (self->components, g_strdup (component), entry);
    }
  previous = entry->status;
  /* The reason of the present state: a new one replaces it without a transition. */
  if (g_strcmp0 (entry->reason, reason) != 0)
    {
      g_free (entry->reason);
      entry->reason = g_strdup (reason);
    }
  if (previous == status)
    return;

  entry->status = status;
  entry->since_ms = bourse_time_now_ms ();
  g_signal_emit (self, signals[CHANGED], 0, component, (int)status, (int)previous, reason);
}

void
bourse_health_remove (BourseHealth *self,
                      const char   *component)
{
  g_return_if_fail (BOURSE_IS_HEALTH (self));

  g_hash_table_remove (self->components, component);
}

BourseHealthStatus
bourse_health_get (BourseHealth  *self,
                   const char    *component,
                   const char   **reason)
{
  Component *entry;

  g_return_val_if_fail (BOURSE_IS_HEALTH (self), BOURSE_HEALTH_DOWN);

  entry = g_hash_table_lookup (self->components, component);
  if (reason != NULL)
    *reason = entry != NULL ? entry->reason : NULL;
  return entry != NULL ? entry->status : BOURSE_HEALTH_OK;
}

BourseHealthStatus
bourse_health_get_overall (BourseHealth *self)
{
  BourseHealthStatus worst = BOURSE_HEALTH_OK;
  GHashTableIter iter;
  Component *entry;

  g_return_val_if_fail (BOURSE_IS_HEALTH (self), BOURSE_HEALTH_DOWN);

  g_hash_table_iter_init (&iter, self->components);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    worst = MAX (worst, entry->status);
  return worst;
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

JsonNode *
bourse_health_to_json (BourseHealth *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree const char **names = NULL;
  guint n = 0;

  g_return_val_if_fail (BOURSE_IS_HEALTH (self), NULL);

  names = (const char **)g_hash_table_get_keys_as_array (self->components, &n);
  g_qsort_with_data (names, n, sizeof (char *), compare_names, NULL);

  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "status", bourse_health_status_to_string (bourse_health_get_overall (self)));
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      Component *entry = g_hash_table_lookup (self->components, names[i]);

      json_builder_begin_object (builder);
      bourse_json_builder_add_string (builder, "component", names[i]);
      bourse_json_builder_add_string (builder, "status", bourse_health_status_to_string (entry->status));
      bourse_json_builder_add_string (builder, "reason", entry->reason);
      bourse_json_builder_add_time (builder, "since", entry->since_ms);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
