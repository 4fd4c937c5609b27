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
  BALANCES,
  RESYNC,
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
  signals[BALANCES] =
    g_signal_new ("balances",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  signals[RESYNC] =
    g_signal_new ("resync",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

void
bourse_venue_order_free (BourseVenueOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->client_order_id);
  g_free (order->exchange_order_id);
  g_free (order->symbol);
  g_free (order);
}

void
bourse_venue_fill_free (BourseVenueFill *fill)
{
  if (fill == NULL)
    return;
  g_free (fill->trade_id);
  g_free (fill->exchange_order_id);
  g_free (fill->symbol);
  g_free (fill);
}

void
bourse_venue_balance_free (BourseVenueBalance *balance)
{
  if (balance == NULL)
    return;
  g_free (balance->asset);
  g_free (balance);
}

BourseVenueSnapshot *
bourse_venue_snapshot_new (void)
{
  BourseVenueSnapshot *snapshot = g_new0 (BourseVenueSnapshot, 1);

  snapshot->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_venue_order_free);
  snapshot->fills = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_venue_fill_free);
  snapshot->balances = g_ptr_array_new_with_free_func ((GDestroyNotify) bourse_venue_balance_free);
  return snapshot;
}

void
bourse_venue_snapshot_free (BourseVenueSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_ptr_array_unref (snapshot->orders);
  g_ptr_array_unref (snapshot->fills);
  g_ptr_array_unref (snapshot->balances);
  g_free (snapshot);
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
                     BourseSecrets *secrets,
                     GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), FALSE);

  return BOURSE_BROKER_GET_IFACE (self)->setup (self, config, market, secrets, error);
}

gboolean
bourse_broker_is_venue (BourseBroker *self)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), FALSE);

  return BOURSE_BROKER_GET_IFACE (self)->snapshot_async != NULL;
}

gboolean
bourse_broker_check (BourseBroker            *self,
                     const BourseOrder       *order,
                     const BourseInstrument  *instrument,
                     GError                 **error)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), FALSE);

  if (BOURSE_BROKER_GET_IFACE (self)->check == NULL)
    return TRUE;
  return BOURSE_BROKER_GET_IFACE (self)->check (self, order, instrument, error);
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
                      gboolean           *pending,
                      GError            **error)
{
  gboolean unused;

  g_return_val_if_fail (BOURSE_IS_BROKER (self), FALSE);

  if (pending == NULL)
    pending = &unused;
  *pending = FALSE;
  return BOURSE_BROKER_GET_IFACE (self)->cancel (self, order, pending, error);
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
bourse_broker_snapshot_async (BourseBroker        *self,
                              GPtrArray           *known,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (BOURSE_IS_BROKER (self));
  g_return_if_fail (bourse_broker_is_venue (self));

  BOURSE_BROKER_GET_IFACE (self)->snapshot_async (self, known, cancellable, callback, user_data);
}

BourseVenueSnapshot *
bourse_broker_snapshot_finish (BourseBroker  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), NULL);

  return BOURSE_BROKER_GET_IFACE (self)->snapshot_finish (self, result, error);
}

JsonNode *
bourse_broker_status_json (BourseBroker *self)
{
  g_return_val_if_fail (BOURSE_IS_BROKER (self), NULL);

  if (BOURSE_BROKER_GET_IFACE (self)->status_json == NULL)
    return NULL;
  return BOURSE_BROKER_GET_IFACE (self)->status_json (self);
}

void
bourse_broker_emit_balances (BourseBroker *self,
                             GPtrArray    *balances)
{
  g_return_if_fail (BOURSE_IS_BROKER (self));

  g_signal_emit (self, signals[BALANCES], 0, balances);
}

void
bourse_broker_emit_resync (BourseBroker *self)
{
  g_return_if_fail (BOURSE_IS_BROKER (self));

  g_signal_emit (self, signals[RESYNC], 0);
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
