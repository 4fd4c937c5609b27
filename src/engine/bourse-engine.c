/* bourse-engine.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-time.h"

#include "bourse-engine.h"

struct _BourseEngine
{
  GObject            parent_instance;

  BourseConfig      *config;
  BourseStore       *store;
  BourseAuth        *auth;
  BourseRisk        *risk;
  BourseMarket      *market;
  BourseJobs        *jobs;
  BourseDesk        *desk;
  BourseEventBus    *bus;
  BourseEngineState  state;
  gint64             started_at_ms;
  gint64             started_monotonic_us;
};

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BourseEngine, bourse_engine, G_TYPE_OBJECT)

static void
set_state (BourseEngine      *self,
           BourseEngineState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_info ("Engine %s", bourse_engine_state_to_string (state));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
bourse_engine_dispose (GObject *object)
{
  BourseEngine *self = (BourseEngine *)object;

  bourse_engine_stop (self);
  g_clear_object (&self->desk);
  g_clear_object (&self->market);
  g_clear_object (&self->jobs);
  g_clear_object (&self->risk);
  g_clear_object (&self->auth);
  g_clear_object (&self->store);
  g_clear_object (&self->bus);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (bourse_engine_parent_class)->dispose (object);
}

static void
bourse_engine_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BourseEngine *self = BOURSE_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;

    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_engine_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BourseEngine *self = BOURSE_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_engine_class_init (BourseEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_engine_dispose;
  object_class->get_property = bourse_engine_get_property;
  object_class->set_property = bourse_engine_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL,
                         BOURSE_TYPE_CONFIG,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      BOURSE_ENGINE_STATE_STOPPED, BOURSE_ENGINE_STATE_STOPPING,
                      BOURSE_ENGINE_STATE_STOPPED,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bourse_engine_init (BourseEngine *self)
{
  self->bus = bourse_event_bus_new ();
  self->state = BOURSE_ENGINE_STATE_STOPPED;
}

BourseEngine *
bourse_engine_new (BourseConfig *config)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);

  return g_object_new (BOURSE_TYPE_ENGINE, "config", config, NULL);
}

const char *
bourse_engine_state_to_string (BourseEngineState state)
{
  switch (state)
    {
    case BOURSE_ENGINE_STATE_STOPPED:  return "stopped";
    case BOURSE_ENGINE_STATE_STARTING: return "starting";
    case BOURSE_ENGINE_STATE_RUNNING:  return "running";
    case BOURSE_ENGINE_STATE_STOPPING: return "stopping";
    default:                           g_return_val_if_reached ("unknown");
    }
}

gboolean
bourse_engine_start (BourseEngine  *self,
                     GError       **error)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *db_path = NULL;

  g_return_val_if_fail (BOURSE_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (self->state == BOURSE_ENGINE_STATE_STOPPED, FALSE);

  set_state (self, BOURSE_ENGINE_STATE_STARTING);

  /* Stopped ones from an earlier run. */
  g_clear_object (&self->desk);
  g_clear_object (&self->market);
  g_clear_object (&self->jobs);
  g_clear_object (&self->risk);
  data_dir = bourse_config_dup_data_dir (self->config);
  db_path = g_build_filename (data_dir, "bourse.db", NULL);
  self->store = bourse_store_open (db_path, error);
  if (self->store == NULL
      || (self->auth = bourse_auth_new (self->store, self->config, error)) == NULL
      || (self->risk = bourse_risk_new (self->store, self->config, self->bus, error)) == NULL
      || (self->jobs = bourse_jobs_new (self->store, self->bus, error)) == NULL
      || !bourse_market_start ((self->market = bourse_market_new (self->store, self->config, self->bus)),
                               error)
      || (self->desk = bourse_desk_new (self->store, self->config, self->bus, self->auth, self->market,
                                        error)) == NULL)
    {
      if (self->market != NULL)
        bourse_market_stop (self->market);
      g_clear_object (&self->market);
      if (self->jobs != NULL)
        bourse_jobs_shutdown (self->jobs);
      g_clear_object (&self->jobs);
      g_clear_object (&self->risk);
      g_clear_object (&self->auth);
      g_clear_object (&self->store);
      set_state (self, BOURSE_ENGINE_STATE_STOPPED);
      return FALSE;
    }

  self->started_at_ms = bourse_time_now_ms ();
  self->started_monotonic_us = g_get_monotonic_time ();
  set_state (self, BOURSE_ENGINE_STATE_RUNNING);

  return TRUE;
}

void
bourse_engine_stop (BourseEngine *self)
{
  g_return_if_fail (BOURSE_IS_ENGINE (self));

  if (self->state == BOURSE_ENGINE_STATE_STOPPED)
    return;

  set_state (self, BOURSE_ENGINE_STATE_STOPPING);
  /* Feeds and workers first: nothing writes once the store closes. The
   * desk goes before the market whose candles it follows. */
  if (self->desk != NULL)
    bourse_desk_stop (self->desk);
  if (self->market != NULL)
    bourse_market_stop (self->market);
  if (self->jobs != NULL)
    bourse_jobs_shutdown (self->jobs);
  if (self->risk != NULL)
    bourse_risk_stop (self->risk);
  if (self->store != NULL)
    bourse_store_close (self->store);
  set_state (self, BOURSE_ENGINE_STATE_STOPPED);
}

BourseEngineState
bourse_engine_get_state (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), BOURSE_ENGINE_STATE_STOPPED);

  return self->state;
}

BourseConfig *
bourse_engine_get_config (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->config;
}

BourseStore *
bourse_engine_get_store (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->store;
}

BourseAuth *
bourse_engine_get_auth (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->auth;
}

BourseMarket *
bourse_engine_get_market (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->market;
}

BourseJobs *
bourse_engine_get_jobs (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->jobs;
}

BourseDesk *
bourse_engine_get_desk (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->desk;
}

BourseRisk *
bourse_engine_get_risk (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->risk;
}

BourseEventBus *
bourse_engine_get_event_bus (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), NULL);

  return self->bus;
}

gint64
bourse_engine_get_started_at (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), 0);

  return self->started_at_ms;
}

gint64
bourse_engine_get_uptime_ms (BourseEngine *self)
{
  g_return_val_if_fail (BOURSE_IS_ENGINE (self), 0);

  if (self->state != BOURSE_ENGINE_STATE_RUNNING)
    return 0;

  /* Monotonic, so a clock change does not make uptime jump. */
  return (g_get_monotonic_time () - self->started_monotonic_us) / 1000;
}
