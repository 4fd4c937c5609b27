/* bourse-health-monitor.c — what the engine knows of its components' health
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"
#include "core/bourse-outbox.h"
#include "core/bourse-source.h"
#include "core/bourse-time.h"

#include "bourse-health-monitor.h"

#define MIB (G_GUINT64_CONSTANT (1024) * 1024)

struct _BourseHealthMonitor
{
  GObject          parent_instance;

  BourseHealth    *health;
  BourseConfig    *config;
  BourseStore     *store;
  BourseEventBus  *bus;
  BourseMarket    *market;
  BourseTrading   *trading;
  GHashTable      *feeds;          /* the feed:<id> components reported */
  GSource         *timer;
  gulong           changed_handler;
};

G_DEFINE_FINAL_TYPE (BourseHealthMonitor, bourse_health_monitor, G_TYPE_OBJECT)

static void
bourse_health_monitor_dispose (GObject *object)
{
  BourseHealthMonitor *self = BOURSE_HEALTH_MONITOR (object);

  bourse_health_monitor_stop (self);
  g_clear_object (&self->trading);
  g_clear_object (&self->market);
  g_clear_object (&self->bus);
  g_clear_object (&self->store);
  g_clear_object (&self->config);
  g_clear_object (&self->health);
  g_clear_pointer (&self->feeds, g_hash_table_unref);

  G_OBJECT_CLASS (bourse_health_monitor_parent_class)->dispose (object);
}

static void
bourse_health_monitor_class_init (BourseHealthMonitorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bourse_health_monitor_dispose;
}

static void
bourse_health_monitor_init (BourseHealthMonitor *self)
{
  self->feeds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Checks {{{ */

static void
check_database (BourseHealthMonitor *self)
{
  g_autoptr(GError) error = NULL;

  if (bourse_store_check (self->store, &error))
    bourse_health_set (self->health, "database", BOURSE_HEALTH_OK, NULL);
  else
    bourse_health_set (self->health, "database", BOURSE_HEALTH_DOWN, error->message);
}

/* A feed's words (bourse_feed_get_status ()'s "state") in health's. */
static BourseHealthStatus
feed_health (const char *state)
{
  if (g_strcmp0 (state, "live") == 0)
    return BOURSE_HEALTH_OK;
  if (g_strcmp0 (state, "failed") == 0 || g_strcmp0 (state, "stopped") == 0)
    return BOURSE_HEALTH_DOWN;
  /* connecting, reconnecting, backfilling: on its way, not there yet. */
  return BOURSE_HEALTH_DEGRADED;
}

static void
check_feeds (BourseHealthMonitor *self)
{
  g_autoptr(JsonNode) status = bourse_market_get_status (self->market);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *feeds = bourse_json_get_array (json_node_get_object (status), "feeds");
  GHashTableIter iter;
  const char *name;

  for (guint i = 0; feeds != NULL && i < json_array_get_length (feeds); i++)
    {
      JsonObject *feed = json_array_get_object_element (feeds, i);
      const char *state = bourse_json_get_string (feed, "state");
      const char *error = bourse_json_get_string (feed, "error");
      g_autofree char *component = g_strconcat ("feed:", bourse_json_get_string (feed, "id"), NULL);
      BourseHealthStatus health = feed_health (state);
      g_autofree char *reason = NULL;

      /* A feed starting up is reported once it is live or in trouble:
       * no alert at every start. */
      if (!g_hash_table_contains (self->feeds, component)
          && (g_strcmp0 (state, "connecting") == 0 || g_strcmp0 (state, "backfilling") == 0))
        continue;
      if (health != BOURSE_HEALTH_OK)
        reason = error != NULL ? g_strdup_printf ("%s: %s", state, error) : g_strdup (state);
      bourse_health_set (self->health, component, health, reason);
      g_hash_table_add (seen, g_strdup (component));
    }

  /* A feed that no longer runs (its instruments went) is no component. */
  g_hash_table_iter_init (&iter, self->feeds);
  while (g_hash_table_iter_next (&iter, (gpointer *)&name, NULL))
    if (!g_hash_table_contains (seen, name))
      {
        bourse_health_remove (self->health, name);
        g_hash_table_iter_remove (&iter);
      }
  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, (gpointer *)&name, NULL))
    g_hash_table_add (self->feeds, g_strdup (name));
}

/* The venue's connection: {"connected","running","last_error"} of the
 * broker's status; none on paper. */
static void
check_exchange (BourseHealthMonitor *self)
{
  g_autoptr(JsonNode) status = NULL;
  JsonObject *venue;
  gboolean connected = FALSE, running = TRUE;
  const char *error;

  if (self->trading == NULL)
    return;
  status = bourse_trading_status_json (self->trading);
  venue = bourse_json_get_object (json_node_get_object (status), "venue");
  if (venue == NULL)
    {
      bourse_health_remove (self->health, "exchange");
      return;
    }
  bourse_json_get_boolean (venue, "connected", &connected);
  bourse_json_get_boolean (venue, "running", &running);
  error = bourse_json_get_string (venue, "last_error");
  if (connected)
    bourse_health_set (self->health, "exchange", BOURSE_HEALTH_OK, NULL);
  else
    bourse_health_set (self->health, "exchange", running ? BOURSE_HEALTH_DEGRADED : BOURSE_HEALTH_DOWN,
                       error != NULL ? error : _("Not connected to the exchange"));
}

static void
check_disk (BourseHealthMonitor *self)
{
  g_autofree char *data_dir = bourse_config_dup_data_dir (self->config);
  g_autoptr(GFile) file = g_file_new_for_path (data_dir);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  guint64 free_bytes, warn, min;
  g_autofree char *free_text = NULL;
  g_autofree char *reason = NULL;

  info = g_file_query_filesystem_info (file, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, &error);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    {
      bourse_health_set (self->health, "disk", BOURSE_HEALTH_DEGRADED,
                         error != NULL ? error->message : _("The free space of the data directory is unknown"));
      return;
    }

  free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  warn = bourse_config_get_int (self->config, "health", "disk_warn_mb") * MIB;
  min = bourse_config_get_int (self->config, "health", "disk_min_mb") * MIB;
  free_text = g_format_size (free_bytes);
  reason = g_strdup_printf (_("%s free in the data directory"), free_text);
  if (free_bytes < min)
    bourse_health_set (self->health, "disk", BOURSE_HEALTH_DOWN, reason);
  else if (free_bytes < warn)
    bourse_health_set (self->health, "disk", BOURSE_HEALTH_DEGRADED, reason);
  else
    bourse_health_set (self->health, "disk", BOURSE_HEALTH_OK, NULL);
}

void
bourse_health_monitor_check (BourseHealthMonitor *self)
{
  g_return_if_fail (BOURSE_IS_HEALTH_MONITOR (self));

  if (self->store == NULL)
    return;   /* stopped */
  check_database (self);
  check_feeds (self);
  check_exchange (self);
  check_disk (self);
}

static void schedule_check (BourseHealthMonitor *self);

static gboolean
timer_cb (gpointer data)
{
  BourseHealthMonitor *self = data;

  g_clear_pointer (&self->timer, g_source_unref);
  bourse_health_monitor_check (self);
  schedule_check (self);
  return G_SOURCE_REMOVE;
}

/* Read each time: a changed interval applies from the next check. */
static void
schedule_check (BourseHealthMonitor *self)
{
  guint interval_s = bourse_config_get_int (self->config, "health", "check_interval");

  bourse_source_clear (&self->timer);
  self->timer = bourse_timeout_source_attach (NULL, interval_s * 1000, timer_cb, self);
}

/* }}} */

/* Any part may report to the registry; every transition is told the same way. */
static void
health_changed_cb (BourseHealthMonitor *self,
                   const char          *component,
                   int                  status,
                   int                  previous,
                   const char          *reason,
                   BourseHealth        *health)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(JsonNode) alert = NULL;
  g_autoptr(GError) error = NULL;
  const char *status_text = bourse_health_status_to_string (status);
  gint64 now = bourse_time_now_ms ();

  g_assert (BOURSE_IS_HEALTH_MONITOR (self));

  /* A message, not a warning: what went wrong was logged where it did. */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "BOURSE_COMPONENT", component,
                    "BOURSE_STATUS", status_text,
                    "MESSAGE", "Component %s is %s (was %s)%s%s", component, status_text,
                    bourse_health_status_to_string (previous), reason != NULL ? ": " : "",
                    reason != NULL ? reason : "");

  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "component", component);
  bourse_json_builder_add_string (builder, "status", status_text);
  bourse_json_builder_add_string (builder, "previous", bourse_health_status_to_string (previous));
  bourse_json_builder_add_string (builder, "reason", reason);
  bourse_json_builder_add_time (builder, "since", now);
  json_builder_end_object (builder);
  data = json_builder_get_root (builder);

  /* This fails when the database is what went down: the alert below still
   * reaches those connected, and the database's own transition is logged
   * above — a message, then, not a warning. */
  if (self->store != NULL && !bourse_outbox_emit (self->store, "component.status", 0, data, &error))
    g_message ("Could not store the notification of %s: %s", component, error->message);

  alert = json_node_copy (data);
  json_object_set_string_member (json_node_get_object (alert), "type", "component");
  bourse_event_bus_publish (self->bus, "alerts", alert);
}

BourseHealthMonitor *
bourse_health_monitor_new (BourseHealth   *health,
                           BourseConfig   *config,
                           BourseStore    *store,
                           BourseEventBus *bus,
                           BourseMarket   *market,
                           BourseTrading  *trading)
{
  BourseHealthMonitor *self;

  g_return_val_if_fail (BOURSE_IS_HEALTH (health), NULL);
  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (BOURSE_IS_EVENT_BUS (bus), NULL);
  g_return_val_if_fail (BOURSE_IS_MARKET (market), NULL);

  self = g_object_new (BOURSE_TYPE_HEALTH_MONITOR, NULL);
  self->health = g_object_ref (health);
  self->config = g_object_ref (config);
  self->store = g_object_ref (store);
  self->bus = g_object_ref (bus);
  self->market = g_object_ref (market);
  self->trading = trading != NULL ? g_object_ref (trading) : NULL;
  self->changed_handler = g_signal_connect_object (health, "changed", G_CALLBACK (health_changed_cb), self,
                                                   G_CONNECT_SWAPPED);
  bourse_health_monitor_check (self);
  schedule_check (self);
  return self;
}

void
bourse_health_monitor_stop (BourseHealthMonitor *self)
{
  g_return_if_fail (BOURSE_IS_HEALTH_MONITOR (self));

  bourse_source_clear (&self->timer);
  if (self->health != NULL)
    g_clear_signal_handler (&self->changed_handler, self->health);
  g_clear_object (&self->store);
}
