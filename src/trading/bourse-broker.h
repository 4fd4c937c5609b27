/* bourse-broker.h — plugins that execute orders: paper, and exchanges
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "auth/bourse-secrets.h"
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
  BOURSE_EXECUTION_CANCELED,    /* by the venue, or the venue confirming our cancel */
  BOURSE_EXECUTION_ACCEPTED,    /* a venue took the order: exchange_order_id */
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
  /* A venue's own id of the order (any kind), or NULL. */
  const char          *exchange_order_id;
} BourseExecution;

/* What a venue says it holds, for reconciliation (all owned by the
 * snapshot; decimals exact). */
typedef struct
{
  char              *client_order_id;
  char              *exchange_order_id;
  char              *symbol;
  BourseSide         side;
  BourseOrderType    type;
  BourseTimeInForce  time_in_force;
  BourseOrderStatus  status;
  BourseDecimal      quantity;
  BourseDecimal      filled_quantity;
  gboolean           has_price;
  BourseDecimal      price;
  gboolean           has_stop_price;
  BourseDecimal      stop_price;
  gint64             time_ms;        /* when the venue took it */
} BourseVenueOrder;

typedef struct
{
  char              *trade_id;       /* the venue's: a fill's external_id */
  char              *exchange_order_id;
  char              *symbol;
  BourseSide         side;
  BourseDecimal      price;
  BourseDecimal      quantity;
  BourseDecimal      fee;            /* in the quote asset */
  gboolean           maker;
  gint64             time_ms;
} BourseVenueFill;

typedef struct
{
  char              *asset;
  BourseDecimal      free;
  BourseDecimal      locked;
} BourseVenueBalance;

typedef struct
{
  /* Every order open on the venue, and the present state of each order
   * asked about that the venue knows (found by client_order_id). */
  GPtrArray *orders;                 /* of BourseVenueOrder */
  /* Those orders' fills (each at most once). */
  GPtrArray *fills;                  /* of BourseVenueFill */
  /* Every asset with a non-zero balance. */
  GPtrArray *balances;               /* of BourseVenueBalance */
} BourseVenueSnapshot;

void bourse_venue_order_free    (BourseVenueOrder    *order);
void bourse_venue_fill_free     (BourseVenueFill     *fill);
void bourse_venue_balance_free  (BourseVenueBalance  *balance);
/* Empty arrays that free their elements. */
BourseVenueSnapshot *bourse_venue_snapshot_new  (void);
void bourse_venue_snapshot_free (BourseVenueSnapshot *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseVenueSnapshot, bourse_venue_snapshot_free)

#define BOURSE_TYPE_BROKER (bourse_broker_get_type ())

G_DECLARE_INTERFACE (BourseBroker, bourse_broker, BOURSE, BROKER, GObject)

/* Signals:
 *   "execution" (const BourseExecution *): on the engine's context; the
 *               trading module books it. A broker may emit from inside
 *               submit () or on_price ().
 *   "balances"  (GPtrArray of BourseVenueBalance): a venue's balances
 *               changed (Binance's outboundAccountPosition); the ledger
 *               takes them as they are.
 *   "resync"    (): the venue's report stream had a gap (a reconnect):
 *               the trading module reconciles. */
struct _BourseBrokerInterface
{
  GTypeInterface parent_iface;

  const char *(*get_id)     (BourseBroker            *self);
  /* Translated, for people. */
  const char *(*get_name)   (BourseBroker            *self);
  /* Called once before anything else, on the engine's context. A venue
   * reads its keys from @secrets; FALSE when it has none that work. */
  gboolean    (*setup)      (BourseBroker            *self,
                             BourseConfig            *config,
                             BourseMarket            *market,
                             BourseSecrets           *secrets,
                             GError                 **error);
  /* The orders left open by the last run: they go on working. */
  void        (*resume)     (BourseBroker            *self,
                             GPtrArray               *orders);
  /* A new order, stored NEW with its lock: work it. */
  void        (*submit)     (BourseBroker            *self,
                             const BourseOrder       *order,
                             const BourseInstrument  *instrument);
  /* Optional: the venue's own rules (Binance's filters), before the order
   * is stored. FALSE with a BOURSE_ERROR naming the member at fault. */
  gboolean    (*check)      (BourseBroker            *self,
                             const BourseOrder       *order,
                             const BourseInstrument  *instrument,
                             GError                 **error);
  /* Off the book. FALSE with an error when the venue refused (it filled).
   * A venue that confirms later sets *pending and reports CANCELED (or the
   * fills that beat the cancel) through "execution". */
  gboolean    (*cancel)     (BourseBroker            *self,
                             const BourseOrder       *order,
                             gboolean                *pending,
                             GError                 **error);
  /* A price the market published (paper matching; venues ignore it). */
  void        (*on_price)   (BourseBroker            *self,
                             const BourseInstrument  *instrument,
                             BourseDecimal            price);
  /* Optional (venues): what the venue holds. @known: our orders whose
   * state is asked for (BourseOrder, open or of unknown outcome). */
  void        (*snapshot_async)  (BourseBroker         *self,
                                  GPtrArray            *known,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data);
  BourseVenueSnapshot *(*snapshot_finish) (BourseBroker *self,
                                  GAsyncResult         *result,
                                  GError              **error);
  /* Optional: the venue connection for people and /health: {"connected",
   * "last_event_at", "reconnects", …}. */
  JsonNode   *(*status_json)(BourseBroker            *self);
};

const char   *bourse_broker_get_id     (BourseBroker            *self);
const char   *bourse_broker_get_name   (BourseBroker            *self);
gboolean      bourse_broker_setup      (BourseBroker            *self,
                                        BourseConfig            *config,
                                        BourseMarket            *market,
                                        BourseSecrets           *secrets,
                                        GError                 **error);
/* TRUE for a broker that trades on a venue (it has snapshot_async). */
gboolean      bourse_broker_is_venue   (BourseBroker            *self);
gboolean      bourse_broker_check      (BourseBroker            *self,
                                        const BourseOrder       *order,
                                        const BourseInstrument  *instrument,
                                        GError                 **error);
void          bourse_broker_resume     (BourseBroker            *self,
                                        GPtrArray               *orders);
void          bourse_broker_submit     (BourseBroker            *self,
                                        const BourseOrder       *order,
                                        const BourseInstrument  *instrument);
gboolean      bourse_broker_cancel     (BourseBroker            *self,
                                        const BourseOrder       *order,
                                        gboolean                *pending,
                                        GError                 **error);
void          bourse_broker_on_price   (BourseBroker            *self,
                                        const BourseInstrument  *instrument,
                                        BourseDecimal            price);
void          bourse_broker_snapshot_async  (BourseBroker       *self,
                                        GPtrArray               *known,
                                        GCancellable            *cancellable,
                                        GAsyncReadyCallback      callback,
                                        gpointer                 user_data);
BourseVenueSnapshot *bourse_broker_snapshot_finish (BourseBroker *self,
                                        GAsyncResult            *result,
                                        GError                 **error);
/* NULL when the broker has nothing to say. */
JsonNode     *bourse_broker_status_json (BourseBroker           *self);
/* For implementations. */
void          bourse_broker_emit_execution (BourseBroker          *self,
                                        const BourseExecution   *execution);
void          bourse_broker_emit_balances  (BourseBroker          *self,
                                        GPtrArray               *balances);
void          bourse_broker_emit_resync    (BourseBroker          *self);

/* Registers the extension point and the built-in paper broker, then loads
 * modules. A built-in venue registers itself with
 * g_io_extension_point_implement () after this (the engine does, for
 * Binance). */
void          bourse_brokers_ensure    (void);
/* A new instance of the broker with this id, or NULL. */
BourseBroker *bourse_broker_lookup     (const char              *id);

G_END_DECLS
