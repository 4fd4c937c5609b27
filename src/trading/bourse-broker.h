/* bourse-broker.h — plugins that execute orders: paper, and exchanges
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "core/bourse-config.h"
#include "core/bourse-plugins.h"
#include "market/bourse-instruments.h"
#include "market/bourse-market.h"

#include "bourse-orders.h"

G_BEGIN_DECLS

/* The GIO extension point; an extension's name is the broker's id, which
 * accounts.broker stores ("paper"). */
#define BOURSE_BROKER_EXTENSION_POINT_NAME BOURSE_PLUGIN_BROKER

typedef enum
{
  BOURSE_EXECUTION_FILL,
  BOURSE_EXECUTION_TRIGGERED,   /* a stop type's stop was reached: it now works as a LIMIT */
  BOURSE_EXECUTION_EXPIRED,
  BOURSE_EXECUTION_REJECTED,
  BOURSE_EXECUTION_CANCELED,    /* by the venue, not asked by us */
} BourseExecutionKind;

/* What happened to an order on the venue. */
typedef struct
{
  gint64               order_id;
  BourseExecutionKind  kind;
  /* FILL only. */
  BourseDecimal        price;
  BourseDecimal        quantity;
  BourseDecimal        fee;          /* in the quote asset */
  gboolean             maker;
  const char          *external_id;  /* the venue's trade id, or NULL */
  /* EXPIRED, REJECTED, CANCELED: why, for people. */
  const char          *reason;
} BourseExecution;

#define BOURSE_TYPE_BROKER (bourse_broker_get_type ())

G_DECLARE_INTERFACE (BourseBroker, bourse_broker, BOURSE, BROKER, GObject)

/* Signals:
 *   "execution" (const BourseExecution *): on the engine's context; the
 *               trading module books it. A broker may emit from inside
 *               submit () or on_price (). */
struct _BourseBrokerInterface
{
  GTypeInterface parent_iface;

  const char *(*get_id)     (BourseBroker            *self);
  /* Translated, for people. */
  const char *(*get_name)   (BourseBroker            *self);
  /* Called once before anything else, on the engine's context. */
  gboolean    (*setup)      (BourseBroker            *self,
                             BourseConfig            *config,
                             BourseMarket            *market,
                             GError                 **error);
  /* The orders left open by the last run: they go on working. */
  void        (*resume)     (BourseBroker            *self,
                             GPtrArray               *orders);
  /* A new order, stored NEW with its lock: work it. */
  void        (*submit)     (BourseBroker            *self,
                             const BourseOrder       *order,
                             const BourseInstrument  *instrument);
  /* Off the book. FALSE with an error when the venue refused (it filled). */
  gboolean    (*cancel)     (BourseBroker            *self,
                             const BourseOrder       *order,
                             GError                 **error);
  /* A price the market published (paper matching; venues ignore it). */
  void        (*on_price)   (BourseBroker            *self,
                             const BourseInstrument  *instrument,
                             BourseDecimal            price);
};

const char   *bourse_broker_get_id     (BourseBroker            *self);
const char   *bourse_broker_get_name   (BourseBroker            *self);
gboolean      bourse_broker_setup      (BourseBroker            *self,
                                        BourseConfig            *config,
                                        BourseMarket            *market,
                                        GError                 **error);
void          bourse_broker_resume     (BourseBroker            *self,
                                        GPtrArray               *orders);
void          bourse_broker_submit     (BourseBroker            *self,
                                        const BourseOrder       *order,
                                        const BourseInstrument  *instrument);
gboolean      bourse_broker_cancel     (BourseBroker            *self,
                                        const BourseOrder       *order,
                                        GError                 **error);
void          bourse_broker_on_price   (BourseBroker            *self,
                                        const BourseInstrument  *instrument,
                                        BourseDecimal            price);
/* For implementations. */
void          bourse_broker_emit_execution (BourseBroker          *self,
                                        const BourseExecution   *execution);

/* Registers the extension point and the built-in paper broker, then loads
 * modules. */
void          bourse_brokers_ensure    (void);
/* A new instance of the broker with this id, or NULL. */
BourseBroker *bourse_broker_lookup     (const char              *id);

G_END_DECLS
