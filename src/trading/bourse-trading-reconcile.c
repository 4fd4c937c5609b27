/* bourse-trading-reconcile.c — the live book against what its venue holds
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A venue is the truth about its orders, trades and balances; the ledger
 * is Bourse's record of them. They part when reports are lost (the stream
 * was down), when an answer never came (a time-out after the venue took
 * an order), or when someone trades on the venue behind Bourse's back. A
 * reconciliation asks the venue (bourse_broker_snapshot_async ()) and
 * adopts the differences in one transaction, through the same booking as
 * live reports, so a fill is booked once whichever way it arrives.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-time.h"
#include "market/bourse-instruments.h"

#include "bourse-trading-private.h"

typedef struct
{
  char                *trigger;
  char                *actor;
  gint64               started_ms;
  GPtrArray           *known;      /* BourseOrder: our open orders */
} Reconcile;

static void
reconcile_free (Reconcile *reconcile)
{
  g_free (reconcile->trigger);
  g_free (reconcile->actor);
  g_clear_pointer (&reconcile->known, g_ptr_array_unref);
  g_free (reconcile);
}

/* What a reconciliation changed, as it goes. */
typedef struct
{
  GPtrArray   *booked;          /* Booked, to announce once committed */
  JsonBuilder *adopted;         /* arrays of the report */
  JsonBuilder *updated;
  JsonBuilder *fills;
  JsonBuilder *balances;
  guint        differences;
} Changes;

static gboolean
book (BourseTrading          *self,
      Changes                *changes,
      gint64                  order_id,
      const BourseExecution  *execution,
      gboolean               *booked_it,
      GError                **error)
{
  g_autoptr(BourseOrder) order = bourse_orders_get (self->store, order_id, error);
  Booked *booked;

  *booked_it = FALSE;
  if (order == NULL)
    return FALSE;
  if (!bourse_order_is_open (order))
    return TRUE;
  booked = _bourse_trading_booked_new (g_steal_pointer (&order));
  if (!_bourse_trading_book_execution (self, booked, execution, error))
    {
      _bourse_trading_booked_free (booked);
      return FALSE;
    }
  if (booked->fill_id > 0)
    {
      g_autoptr(JsonNode) fill = bourse_fill_json (self->store, booked->fill_id, booked->order->mode, NULL);

      if (fill != NULL)
        json_builder_add_value (changes->fills, g_steal_pointer (&fill));
    }
  g_ptr_array_add (changes->booked, booked);
  *booked_it = TRUE;
  return TRUE;
}

/* The venue's fills of @venue_order that the ledger lacks. */
static gboolean
book_missing_fills (BourseTrading             *self,
                    Changes                   *changes,
                    gint64                     order_id,
                    const BourseVenueOrder    *venue_order,
                    const BourseVenueSnapshot *snapshot,
                    gboolean                  *changed,
                    GError                   **error)
{
  for (guint i = 0; i < snapshot->fills->len; i++)
    {
      const BourseVenueFill *fill = g_ptr_array_index (snapshot->fills, i);
      BourseExecution execution = { 0 };
      gboolean known = FALSE, booked_it = FALSE;

      if (g_strcmp0 (fill->exchange_order_id, venue_order->exchange_order_id) != 0)
        continue;
      if (!_bourse_trading_fill_known (self, fill->trade_id, &known, error))
        return FALSE;
      if (known)
        continue;
      execution.order_id = order_id;
      execution.kind = BOURSE_EXECUTION_FILL;
      execution.price = fill->price;
      execution.quantity = fill->quantity;
      execution.fee = fill->fee;
      execution.maker = fill->maker;
      execution.external_id = fill->trade_id;
      execution.exchange_order_id = fill->exchange_order_id;
      if (!book (self, changes, order_id, &execution, &booked_it, error))
        return FALSE;
      *changed |= booked_it;
    }
  return TRUE;
}

static BourseExecutionKind
final_kind (BourseOrderStatus status)
{
  return status == BOURSE_ORDER_EXPIRED ? BOURSE_EXECUTION_EXPIRED
         : status == BOURSE_ORDER_REJECTED ? BOURSE_EXECUTION_REJECTED
         : BOURSE_EXECUTION_CANCELED;
}

/* One of our open orders against the venue's word on it. */
static gboolean
reconcile_known (BourseTrading             *self,
                 Changes                   *changes,
                 const BourseOrder         *stale,
                 const BourseVenueOrder    *venue_order,
                 const BourseVenueSnapshot *snapshot,
                 GError                   **error)
{
  BourseExecution execution = { .order_id = stale->id };
  g_autoptr(BourseOrder) known = NULL;
  gboolean changed = FALSE, booked_it = FALSE;

  /* As it is now: the venue's live reports may have moved it meanwhile. */
  known = bourse_orders_get (self->store, stale->id, error);
  if (known == NULL)
    return FALSE;
  if (!bourse_order_is_open (known))
    return TRUE;
  if (venue_order == NULL)
    {
      if (known->exchange_order_id != NULL)
        {
          /* The venue forgot an order it once took: a person must look. */
          g_warning ("Order %" G_GINT64_FORMAT " (%s) is unknown to the exchange", known->id,
                     known->exchange_order_id);
          changes->differences++;
          return TRUE;
        }
      /* Sent, but no answer came, and the venue never had it. */
      execution.kind = BOURSE_EXECUTION_REJECTED;
      execution.reason = _("The order never reached the exchange");
      if (!book (self, changes, known->id, &execution, &changed, error))
        return FALSE;
    }
  else
    {
      if (known->exchange_order_id == NULL)
        {
          execution.kind = BOURSE_EXECUTION_ACCEPTED;
          execution.exchange_order_id = venue_order->exchange_order_id;
          if (!book (self, changes, known->id, &execution, &booked_it, error))
            return FALSE;
          changed |= booked_it;
        }
      if (!book_missing_fills (self, changes, known->id, venue_order, snapshot, &changed, error))
        return FALSE;
      if ((venue_order->status == BOURSE_ORDER_NEW || venue_order->status == BOURSE_ORDER_PARTIALLY_FILLED)
          && known->cancel_requested_at != NULL)
        {
          /* A cancel that failed on the venue: the order works on, and
           * may be canceled again. */
          g_autoptr(BourseOrder) now = bourse_orders_get (self->store, known->id, error);

          if (now == NULL)
            return FALSE;
          g_clear_pointer (&now->cancel_requested_at, g_free);
          if (!bourse_orders_update (self->store, now, error))
            return FALSE;
          changed = TRUE;
        }
      if (venue_order->status == BOURSE_ORDER_CANCELED || venue_order->status == BOURSE_ORDER_EXPIRED
          || venue_order->status == BOURSE_ORDER_REJECTED)
        {
          execution.kind = final_kind (venue_order->status);
          execution.exchange_order_id = venue_order->exchange_order_id;
          execution.reason = _("Ended on the exchange");
          if (!book (self, changes, known->id, &execution, &booked_it, error))
            return FALSE;
          changed |= booked_it;
        }
    }
  if (changed)
    {
      g_autoptr(BourseOrder) now = bourse_orders_get (self->store, known->id, error);

      if (now == NULL)
        return FALSE;
      json_builder_add_value (changes->updated, bourse_order_to_json (now, NULL));
      changes->differences++;
    }
  return TRUE;
}

/* An order open on the venue that Bourse did not place: it joins the book
 * as external, so its fills move positions and the kill switch sees it. */
static gboolean
adopt (BourseTrading             *self,
       Changes                   *changes,
       const BourseVenueOrder    *venue_order,
       const BourseVenueSnapshot *snapshot,
       GError                   **error)
{
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(BourseOrder) order = bourse_order_new ();
  g_autoptr(BourseOrder) now = NULL;
  g_autoptr(GError) local_error = NULL;
  const BourseAccount *account = bourse_portfolio_get_account (self->portfolio);
  gboolean changed = FALSE;

  instrument = bourse_instruments_find (self->store, venue_order->symbol, &local_error);
  if (instrument == NULL)
    {
      /* Not an instrument Bourse trades: the balances still reconcile. */
      g_message ("An order on the exchange for %s, which Bourse does not trade: %s", venue_order->symbol,
                 local_error->message);
      return TRUE;
    }
  order->account_id = account->id;
  order->mode = g_strdup (account->mode);
  order->client_order_id = g_strdup (venue_order->client_order_id);
  order->exchange_order_id = g_strdup (venue_order->exchange_order_id);
  order->external = TRUE;
  order->symbol = g_strdup (instrument->symbol);
  order->side = venue_order->side;
  order->type = venue_order->type;
  order->time_in_force = venue_order->time_in_force;
  order->status = BOURSE_ORDER_NEW;
  order->quantity = venue_order->quantity;
  order->has_price = venue_order->has_price;
  order->price = venue_order->price;
  order->has_stop_price = venue_order->has_stop_price;
  order->stop_price = venue_order->stop_price;
  order->fee_asset = g_strdup (instrument->quote_asset);
  /* What it holds on the venue is in the venue's balances, which follow. */
  order->locked_asset = g_strdup (venue_order->side == BOURSE_SIDE_BUY ? instrument->quote_asset
                                                                       : instrument->base_asset);
  if (!bourse_orders_insert (self->store, order, error)
      || !_bourse_trading_audit_order (self, &_bourse_trading_system_caller, "order.adopt", order, NULL, error)
      || !book_missing_fills (self, changes, order->id, venue_order, snapshot, &changed, error))
    return FALSE;
  now = bourse_orders_get (self->store, order->id, error);
  if (now == NULL)
    return FALSE;
  json_builder_add_value (changes->adopted, bourse_order_to_json (now, NULL));
  g_ptr_array_add (changes->booked, _bourse_trading_booked_new (g_steal_pointer (&now)));
  changes->differences++;
  return TRUE;
}

/* The balances the venue holds become the ledger's. */
static gboolean
reconcile_balances (BourseTrading             *self,
                    Changes                   *changes,
                    const BourseVenueSnapshot *snapshot,
                    GError                   **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(GHashTable) venue = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) assets = g_ptr_array_new_with_free_func (g_free);
  int rc;

  for (guint i = 0; i < snapshot->balances->len; i++)
    {
      BourseVenueBalance *balance = g_ptr_array_index (snapshot->balances, i);

      g_hash_table_insert (venue, balance->asset, balance);
      g_ptr_array_add (assets, g_strdup (balance->asset));
    }
  /* The ledger's assets the venue no longer lists hold nothing. */
  stmt = bourse_store_statement (self->store, "SELECT asset FROM balances WHERE account_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, bourse_portfolio_get_account (self->portfolio)->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!g_hash_table_contains (venue, sqlite3_column_text (stmt, 0)))
      g_ptr_array_add (assets, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }

  for (guint i = 0; i < assets->len; i++)
    {
      const char *asset = g_ptr_array_index (assets, i);
      const BourseVenueBalance *balance = g_hash_table_lookup (venue, asset);
      BourseDecimal free = balance != NULL ? balance->free : BOURSE_DECIMAL_ZERO;
      BourseDecimal locked = balance != NULL ? balance->locked : BOURSE_DECIMAL_ZERO;
      BourseDecimal ledger_free, ledger_locked;
      gboolean changed = FALSE;

      if (!bourse_portfolio_get_balance (self->portfolio, asset, &ledger_free, &ledger_locked, error)
          || !bourse_portfolio_set_balance (self->portfolio, asset, free, locked, "reconcile", &changed, error))
        return FALSE;
      if (!changed)
        continue;
      json_builder_begin_object (changes->balances);
      json_builder_set_member_name (changes->balances, "asset");
      json_builder_add_string_value (changes->balances, asset);
      bourse_json_builder_add_decimal (changes->balances, "ledger_free", &ledger_free);
      bourse_json_builder_add_decimal (changes->balances, "ledger_locked", &ledger_locked);
      bourse_json_builder_add_decimal (changes->balances, "exchange_free", &free);
      bourse_json_builder_add_decimal (changes->balances, "exchange_locked", &locked);
      json_builder_end_object (changes->balances);
      changes->differences++;
    }
  return TRUE;
}

static JsonNode *
end_array (JsonBuilder *builder)
{
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* The Reconciliation as the API gives it. */
static JsonNode *
report_json (gint64       id,
             Reconcile   *reconcile,
             const char  *finished_at,
             const char  *error_message,
             Changes     *changes)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *started_at = bourse_time_format_rfc3339 (reconcile->started_ms);
  struct { const char *name; JsonBuilder *array; } parts[] = {
    { "adopted_orders", changes != NULL ? changes->adopted : NULL },
    { "updated_orders", changes != NULL ? changes->updated : NULL },
    { "fills", changes != NULL ? changes->fills : NULL },
    { "balances", changes != NULL ? changes->balances : NULL },
  };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "trigger");
  json_builder_add_string_value (builder, reconcile->trigger);
  json_builder_set_member_name (builder, "actor");
  json_builder_add_string_value (builder, reconcile->actor);
  json_builder_set_member_name (builder, "started_at");
  json_builder_add_string_value (builder, started_at);
  json_builder_set_member_name (builder, "finished_at");
  json_builder_add_string_value (builder, finished_at);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, error_message == NULL ? "ok" : "failed");
  if (error_message != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error_message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      json_builder_set_member_name (builder, parts[i].name);
      if (parts[i].array != NULL)
        json_builder_add_value (builder, end_array (parts[i].array));
      else
        {
          json_builder_begin_array (builder);
          json_builder_end_array (builder);
        }
    }
  json_builder_set_member_name (builder, "differences");
  json_builder_add_int_value (builder, changes != NULL ? changes->differences : 0);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Stores the reconciliation (inside the open transaction); its id. */
static gint64
store_reconciliation (BourseTrading  *self,
                      Reconcile      *reconcile,
                      const char     *error_message,
                      Changes        *changes,
                      JsonNode      **report,
                      GError        **error)
{
  g_autoptr(BourseStatement) insert = NULL;
  g_autoptr(BourseStatement) update = NULL;
  g_autofree char *started_at = bourse_time_format_rfc3339 (reconcile->started_ms);
  g_autofree char *finished_at = bourse_time_format_rfc3339 (bourse_time_now_ms ());
  g_autofree char *text = NULL;
  gint64 id;

  insert = bourse_store_statement (self->store,
                                   "INSERT INTO reconciliations (account_id, trigger, actor, started_at) "
                                   "VALUES (?, ?, ?, ?)", error);
  if (insert == NULL)
    return 0;
  sqlite3_bind_int64 (insert, 1, bourse_portfolio_get_account (self->portfolio)->id);
  sqlite3_bind_text (insert, 2, reconcile->trigger, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 3, reconcile->actor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (insert, 4, started_at, -1, SQLITE_TRANSIENT);
  if (!bourse_store_step_done (self->store, insert, error))
    return 0;
  id = sqlite3_last_insert_rowid (bourse_store_get_db (self->store));

  *report = report_json (id, reconcile, finished_at, error_message, changes);
  text = bourse_json_to_string (*report, FALSE);
  update = bourse_store_statement (self->store,
                                   "UPDATE reconciliations SET finished_at = ?, outcome = ?, report = ? WHERE id = ?",
                                   error);
  if (update == NULL)
    return 0;
  sqlite3_bind_text (update, 1, finished_at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (update, 2, error_message == NULL ? "ok" : "failed", -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 3, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (update, 4, id);
  if (!bourse_store_step_done (self->store, update, error))
    return 0;
  return id;
}

static JsonNode *
apply (BourseTrading             *self,
       Reconcile                 *reconcile,
       const BourseVenueSnapshot *snapshot,
       GError                   **error)
{
  g_autoptr(GHashTable) by_client = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_exchange = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) matched = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(JsonNode) report = NULL;
  Changes changes = {
    .booked = g_ptr_array_new_with_free_func ((GDestroyNotify) _bourse_trading_booked_free),
    .adopted = json_builder_new (),
    .updated = json_builder_new (),
    .fills = json_builder_new (),
    .balances = json_builder_new (),
  };
  gint64 id = 0;
  gboolean ok;

  json_builder_begin_array (changes.adopted);
  json_builder_begin_array (changes.updated);
  json_builder_begin_array (changes.fills);
  json_builder_begin_array (changes.balances);
  for (guint i = 0; i < snapshot->orders->len; i++)
    {
      BourseVenueOrder *venue_order = g_ptr_array_index (snapshot->orders, i);

      if (venue_order->client_order_id != NULL)
        g_hash_table_insert (by_client, venue_order->client_order_id, venue_order);
      if (venue_order->exchange_order_id != NULL)
        g_hash_table_insert (by_exchange, venue_order->exchange_order_id, venue_order);
    }

  ok = bourse_store_begin (self->store, error);
  for (guint i = 0; ok && i < reconcile->known->len; i++)
    {
      const BourseOrder *known = g_ptr_array_index (reconcile->known, i);
      BourseVenueOrder *venue_order = g_hash_table_lookup (by_client, known->client_order_id);

      if (venue_order == NULL && known->exchange_order_id != NULL)
        venue_order = g_hash_table_lookup (by_exchange, known->exchange_order_id);
      if (venue_order != NULL)
        g_hash_table_add (matched, venue_order);
      ok = reconcile_known (self, &changes, known, venue_order, snapshot, error);
    }
  for (guint i = 0; ok && i < snapshot->orders->len; i++)
    {
      BourseVenueOrder *venue_order = g_ptr_array_index (snapshot->orders, i);
      g_autoptr(BourseOrder) ours = NULL;
      g_autoptr(GError) find_error = NULL;

      if (g_hash_table_contains (matched, venue_order) || (venue_order->status != BOURSE_ORDER_NEW && venue_order->status != BOURSE_ORDER_PARTIALLY_FILLED))
        continue;
      /* An order the book has, that was not open when asked about. */
      ours = bourse_orders_find_exchange (self->store, bourse_portfolio_get_account (self->portfolio)->id,
                                          venue_order->exchange_order_id, &find_error);
      if (ours == NULL && find_error == NULL && venue_order->client_order_id != NULL)
        ours = bourse_orders_find_client (self->store, bourse_portfolio_get_account (self->portfolio)->id,
                                          venue_order->client_order_id, &find_error);
      if (find_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&find_error));
          ok = FALSE;
        }
      else if (ours == NULL)
        ok = adopt (self, &changes, venue_order, snapshot, error);
    }
  ok = ok && reconcile_balances (self, &changes, snapshot, error)
       && (id = store_reconciliation (self, reconcile, NULL, &changes, &report, error)) > 0;
  if (ok && changes.differences > 0)
    {
      g_autofree char *target = g_strdup_printf ("reconciliation:%" G_GINT64_FORMAT, id);

      ok = bourse_auth_audit (self->auth, reconcile->actor, "exchange.reconcile", target, report, NULL, error);
    }
  _bourse_trading_commit_or_rollback (self, &ok, error);

  if (ok)
    {
      for (guint i = 0; i < changes.booked->len; i++)
        _bourse_trading_announce (self, g_ptr_array_index (changes.booked, i));
      if (changes.differences > 0)
        {
          g_autofree char *message =
            g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The reconciliation with the exchange adopted %u difference",
                                          "The reconciliation with the exchange adopted %u differences",
                                          changes.differences), changes.differences);

          _bourse_trading_publish_alert (self->bus, "reconciliation", message, id);
        }
      g_info ("Reconciled with the exchange (%s): %u differences", reconcile->trigger, changes.differences);
    }
  g_ptr_array_unref (changes.booked);
  g_object_unref (changes.adopted);
  g_object_unref (changes.updated);
  g_object_unref (changes.fills);
  g_object_unref (changes.balances);
  return ok ? g_steal_pointer (&report) : NULL;
}

/* A reconciliation that could not reach the venue is kept too. */
static void
record_failure (BourseTrading *self,
                Reconcile     *reconcile,
                const GError  *failure)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) report = NULL;
  gboolean ok = bourse_store_begin (self->store, &error)
                && store_reconciliation (self, reconcile, failure->message, NULL, &report, &error) > 0;

  _bourse_trading_commit_or_rollback (self, &ok, &error);
  if (!ok)
    g_warning ("Could not record a failed reconciliation: %s", error->message);
}

static void
snapshot_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseTrading *self = g_task_get_source_object (task);
  Reconcile *reconcile = g_task_get_task_data (task);
  g_autoptr(BourseVenueSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *report;

  self->reconciling--;
  snapshot = bourse_broker_snapshot_finish (BOURSE_BROKER (source), result, &error);
  if (snapshot == NULL)
    {
      record_failure (self, reconcile, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (BOURSE_BROKER (source) != self->broker)
    {
      g_task_return_new_error (task, BOURSE_ERROR, BOURSE_ERROR_CONFLICT,
                               _("The mode changed while reconciling"));
      return;
    }
  report = apply (self, reconcile, snapshot, &error);
  if (report == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The book is known: orders may go. */
  self->awaiting_reconcile = FALSE;
  g_task_return_pointer (task, report, (GDestroyNotify) json_node_unref);
}

void
bourse_trading_reconcile_async (BourseTrading             *self,
                                const char                *trigger,
                                const BourseTradingCaller *caller,
                                GCancellable              *cancellable,
                                GAsyncReadyCallback        callback,
                                gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Reconcile *reconcile;
  BourseOrderFilter filter = { 0 };

  g_return_if_fail (BOURSE_IS_TRADING (self));
  g_return_if_fail (trigger != NULL && caller != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_trading_reconcile_async);
  if (!bourse_broker_is_venue (self->broker))
    {
      g_task_return_error (task, g_error_new_literal (BOURSE_ERROR, BOURSE_ERROR_CONFLICT,
                                                      _("The paper book has no exchange to reconcile with")));
      return;
    }
  filter.account_id = bourse_portfolio_get_account (self->portfolio)->id;
  filter.status = "open";
  reconcile = g_new0 (Reconcile, 1);
  reconcile->trigger = g_strdup (trigger);
  reconcile->actor = g_strdup (caller->actor);
  reconcile->started_ms = bourse_time_now_ms ();
  reconcile->known = bourse_orders_list (self->store, &filter, NULL, &error);
  g_task_set_task_data (task, reconcile, (GDestroyNotify) reconcile_free);
  if (reconcile->known == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->reconciling++;
  bourse_broker_snapshot_async (self->broker, reconcile->known, cancellable, snapshot_cb, g_steal_pointer (&task));
}

JsonNode *
bourse_trading_reconcile_finish (BourseTrading  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonNode *
bourse_trading_reconciliations_json (BourseTrading  *self,
                                     guint           limit,
                                     gint64          before_id,
                                     GError        **error)
{
  g_autoptr(BourseStatement) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 last_id = 0;
  guint n = 0;
  int rc;

  g_return_val_if_fail (BOURSE_IS_TRADING (self), NULL);

  /* One more than asked says whether there is a next page. */
  stmt = bourse_store_statement (self->store,
                                 "SELECT id, report FROM reconciliations WHERE report IS NOT NULL "
                                 "AND (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, before_id);
  sqlite3_bind_int64 (stmt, 2, (gint64) limit + 1);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) report = NULL;

      if (n == limit)
        break;
      report = json_from_string ((const char *) sqlite3_column_text (stmt, 1), NULL);
      last_id = sqlite3_column_int64 (stmt, 0);
      if (report != NULL)
        json_builder_add_value (builder, g_steal_pointer (&report));
      n++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return NULL;
    }
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, rc == SQLITE_ROW, last_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
