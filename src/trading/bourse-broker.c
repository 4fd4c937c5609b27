/* bourse-broker.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bourse-broker.h"
#include "bourse-paper-broker.h"

enum {
  EXECUTION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_INTERFACE (BourseBroker, bourse_broker, G_TYPE_OBJECT)

static void
bourse_broker_default_init (BourseBrokerInterface *iface)
{
  signals[EXECUTION] =
    g_signal_new ("execution",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
}

const char *
bourse_broker_get_id (BourseBroker *self)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), NULL);

  return BOURSE_BROKER_GET_IFACE (self)->get_id (self);
}

const char *
bourse_broker_get_name (BourseBroker *self)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), NULL);

  return BOURSE_BROKER_GET_IFACE (self)->get_name (self);
}

gboolean
bourse_broker_setup (BourseBroker  *self,
                     BourseConfig  *config,
                     BourseMarket  *market,
                     GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), FALSE);

  return BOURSE_BROKER_GET_IFACE (self)->setup (self, config, market, error);
}

void
bourse_broker_resume (BourseBroker *self,
                      GPtrArray    *orders)
{
  g_return_if_fail (BOURSE_IS_BROKER (self));

  BOURSE_BROKER_GET_IFACE (self)->resume (self, orders);
}

void
bourse_broker_submit (BourseBroker           *self,
                      const BourseOrder      *order,
                      const BourseInstrument *instrument)
{
  g_return_if_fail (BOURSE_IS_BROKER (self));

  BOURSE_BROKER_GET_IFACE (self)->submit (self, order, instrument);
}

gboolean
bourse_broker_cancel (BourseBroker       *self,
                      const BourseOrder  *order,
                      GError            **error)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), FALSE);

  return BOURSE_BROKER_GET_IFACE (self)->cancel (self, order, error);
}

void
bourse_broker_on_price (BourseBroker           *self,
                        const BourseInstrument *instrument,
                        BourseDecimal           price)
{
  g_return_if_fail (BOURSE_IS_BROKER (self));

  if (BOURSE_BROKER_GET_IFACE (self)->on_price != NULL)
    BOURSE_BROKER_GET_IFACE (self)->on_price (self, instrument, price);
}

void
bourse_broker_emit_execution (BourseBroker          *self,
                              const BourseExecution *execution)
{
  g_return_if_fail (BOURSE_IS_BROKER (self));

  g_signal_emit (self, signals[EXECUTION], 0, execution);
}

void
bourse_brokers_ensure (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      GIOExtensionPoint *point = g_io_extension_point_register (BOURSE_BROKER_EXTENSION_POINT_NAME);

      g_io_extension_point_set_required_type (point, BOURSE_TYPE_BROKER);
      /* The built-in goes through the same door as modules. */
      g_io_extension_point_implement (BOURSE_BROKER_EXTENSION_POINT_NAME,
                                      BOURSE_TYPE_PAPER_BROKER, "paper", 100);
      bourse_plugins_load ();

      g_once_init_leave (&initialized, 1);
    }
}

BourseBroker *
bourse_broker_lookup (const char *id)
{
  GIOExtension *extension;

  g_return_val_if_fail (id != NULL, NULL);

  bourse_brokers_ensure ();
  extension = g_io_extension_point_get_extension_by_name (
    g_io_extension_point_lookup (BOURSE_BROKER_EXTENSION_POINT_NAME), id);
  if (extension == NULL)
    return NULL;
  return g_object_new (g_io_extension_get_type (extension), NULL);
}
