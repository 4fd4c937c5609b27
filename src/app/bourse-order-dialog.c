/* bourse-order-dialog.c — a new order, with its cost before it is sent
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-order-dialog.h"
#include "bourse-trading-util.h"

/* The paper broker's default rates (docs/TRADING.md), until the server
 * says its own in GET /api/v1/portfolio. */
#define DEFAULT_FEE_RATE "0.001"

/* In the order of the type row's items. */
static const char * const order_types[] = { "MARKET", "LIMIT", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT" };
static const char * const times_in_force[] = { "GTC", "IOC", "FOK" };

struct _BourseOrderDialog
{
  AdwWindow         parent_instance;

  BourseClient     *client;
  GCancellable     *cancellable;
  GCancellable     *ticker_cancellable;
  GPtrArray        *instruments;         /* JsonObject, as the symbol row lists them */
  char             *wanted_symbol;
  char             *last_price;          /* of the selected instrument */
  char             *currency;
  BourseDecimal     fee_rate;
  char             *client_order_id;     /* one per dialog: a retry is the same order */
  gboolean          placing;

  AdwPreferencesGroup *order_group;
  GtkWidget        *mode_tag;
  AdwComboRow      *symbol_row;
  GtkStringList    *symbols;
  GtkToggleButton  *buy_button;
  GtkToggleButton  *sell_button;
  AdwComboRow      *type_row;
  AdwEntryRow      *quantity_row;
  AdwEntryRow      *price_row;
  AdwEntryRow      *stop_price_row;
  AdwComboRow      *time_in_force_row;
  AdwActionRow     *fee_row;
  GtkLabel         *notional_label;
  GtkLabel         *fee_label;
  GtkLabel         *error_label;
  GtkWidget        *place_button;
};

G_DEFINE_FINAL_TYPE (BourseOrderDialog, bourse_order_dialog, ADW_TYPE_WINDOW)

/* Helpers {{{ */

static JsonObject *
bourse_order_dialog_get_instrument (BourseOrderDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->symbol_row);

  return selected < self->instruments->len ? g_ptr_array_index (self->instruments, selected) : NULL;
}

static const char *
bourse_order_dialog_get_type_name (BourseOrderDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->type_row);

  return selected < G_N_ELEMENTS (order_types) ? order_types[selected] : "MARKET";
}

static gboolean
type_has_price (const char *type)
{
  return !g_str_equal (type, "MARKET");
}

static gboolean
type_has_stop (const char *type)
{
  return g_str_equal (type, "STOP_LOSS_LIMIT") || g_str_equal (type, "TAKE_PROFIT_LIMIT");
}

static gboolean
entry_get_decimal (AdwEntryRow   *row,
                   BourseDecimal *value)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return text[0] != '\0' && bourse_decimal_parse (text, value, NULL);
}

static AdwEntryRow *
bourse_order_dialog_entry_for (BourseOrderDialog *self,
                               const char        *field)
{
  if (g_strcmp0 (field, "quantity") == 0 || g_strcmp0 (field, "quote_quantity") == 0 ||
      g_str_has_prefix (field, "risk."))
    return self->quantity_row;
  if (g_strcmp0 (field, "price") == 0)
    return self->price_row;
  if (g_strcmp0 (field, "stop_price") == 0)
    return self->stop_price_row;
  return NULL;
}

static void
bourse_order_dialog_clear_errors (BourseOrderDialog *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->quantity_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->price_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->stop_price_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->symbol_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
bourse_order_dialog_show_error (BourseOrderDialog *self,
                                const char        *field,
                                const char        *message)
{
  GtkWidget *row = GTK_WIDGET (bourse_order_dialog_entry_for (self, field));

  if (row == NULL && g_strcmp0 (field, "symbol") == 0)
    row = GTK_WIDGET (self->symbol_row);

  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_grab_focus (row);
    }

  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

/* }}} */

/* The estimate {{{ */

/* Notional and fee as the ledger will count them: quantity × price rounded
 * half-even, the fee rounded up (docs/TRADING.md); at the limit price, or
 * the last price for a market order. */
static void
bourse_order_dialog_update_estimate (BourseOrderDialog *self)
{
  JsonObject *instrument = bourse_order_dialog_get_instrument (self);
  const char *type = bourse_order_dialog_get_type_name (self);
  BourseDecimal quantity, price, notional, fee, minimum;
  g_autofree char *notional_text = NULL;
  g_autofree char *fee_text = NULL;
  g_autofree char *notional_shown = NULL;
  g_autofree char *fee_shown = NULL;
  g_autofree char *rate = NULL;
  gboolean have_price;

  if (type_has_price (type))
    have_price = entry_get_decimal (self->price_row, &price);
  else
    have_price = self->last_price != NULL && bourse_decimal_parse (self->last_price, &price, NULL);

  if (!entry_get_decimal (self->quantity_row, &quantity) || !have_price ||
      !bourse_decimal_mul (quantity, price, BOURSE_ROUND_HALF_EVEN, &notional, NULL) ||
      !bourse_decimal_mul (notional, self->fee_rate, BOURSE_ROUND_CEILING, &fee, NULL))
    {
      gtk_label_set_label (self->notional_label, "—");
      gtk_label_set_label (self->fee_label, "—");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->notional_label), NULL);
      return;
    }

  notional_text = bourse_decimal_to_string (notional);
  fee_text = bourse_decimal_to_string (fee);
  notional_shown = bourse_format_money_in (notional_text, self->currency, FALSE);
  fee_shown = bourse_format_money_in (fee_text, self->currency, FALSE);
  gtk_label_set_label (self->notional_label, notional_shown);
  gtk_label_set_label (self->fee_label, fee_shown);

  rate = bourse_decimal_to_string_trimmed (self->fee_rate);
  {
    g_autofree char *subtitle = NULL;

    /* Translators: the fee rate the estimate uses, e.g. “At most 0.001 of the notional” */
    subtitle = g_strdup_printf (_("At most %s of the notional"), rate);
    adw_action_row_set_subtitle (self->fee_row, subtitle);
  }

  if (bourse_json_get_decimal (instrument, "min_notional", &minimum) &&
      bourse_decimal_compare (notional, minimum) < 0)
    {
      g_autofree char *minimum_text = bourse_format_money_in (bourse_json_get_string (instrument,
                                                                                      "min_notional"),
                                                              self->currency, FALSE);
      /* Translators: the instrument's minimum notional */
      g_autofree char *tooltip = g_strdup_printf (_("Below the minimum notional of %s"),
                                                  minimum_text);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->notional_label), tooltip);
      gtk_widget_add_css_class (GTK_WIDGET (self->notional_label), "warning");
    }
  else
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->notional_label), NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self->notional_label), "warning");
    }
}

static void
bourse_order_dialog_update (BourseOrderDialog *self)
{
  const char *type = bourse_order_dialog_get_type_name (self);
  g_autofree char *quantity = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->quantity_row))));

  gtk_widget_set_visible (GTK_WIDGET (self->price_row), type_has_price (type));
  gtk_widget_set_visible (GTK_WIDGET (self->stop_price_row), type_has_stop (type));
  gtk_widget_set_visible (GTK_WIDGET (self->time_in_force_row), type_has_price (type));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.place",
                                 !self->placing && self->client != NULL &&
                                 bourse_order_dialog_get_instrument (self) != NULL &&
                                 quantity[0] != '\0');
  bourse_order_dialog_update_estimate (self);
}

static void
bourse_order_dialog_changed_cb (BourseOrderDialog *self)
{
  g_assert (BOURSE_IS_ORDER_DIALOG (self));

  /* What the server refused is being corrected. */
  if (!self->placing)
    bourse_order_dialog_clear_errors (self);
  bourse_order_dialog_update (self);
}

static void
bourse_order_dialog_ticker_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BourseOrderDialog) self = user_data;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the ticker", NULL, NULL);
  const char *last;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    return;

  last = bourse_json_get_string (json_node_get_object (answer), "last_price");
  g_free (self->last_price);
  self->last_price = g_strdup (last);
  bourse_order_dialog_update (self);
}

static void
bourse_order_dialog_symbol_changed_cb (BourseOrderDialog *self)
{
  JsonObject *instrument;
  g_autofree char *path = NULL;
  g_autofree char *lot = NULL;
  g_autofree char *tick = NULL;
  g_autofree char *minimum = NULL;
  g_autofree char *description = NULL;

  g_assert (BOURSE_IS_ORDER_DIALOG (self));

  g_cancellable_cancel (self->ticker_cancellable);
  g_clear_object (&self->ticker_cancellable);
  g_clear_pointer (&self->last_price, g_free);

  if ((instrument = bourse_order_dialog_get_instrument (self)) == NULL || self->client == NULL)
    {
      bourse_order_dialog_update (self);
      return;
    }

  lot = bourse_format_price (bourse_json_get_string (instrument, "lot_step"));
  tick = bourse_format_price (bourse_json_get_string (instrument, "tick_size"));
  minimum = bourse_format_money_in (bourse_json_get_string (instrument, "min_notional"),
                                    bourse_json_get_string (instrument, "quote_asset"), FALSE);
  /* Translators: an instrument's quantity step, price step and minimum notional */
  description = g_strdup_printf (_("Lot %s · tick %s · minimum %s"), lot, tick, minimum);
  adw_preferences_group_set_description (self->order_group, description);

  self->ticker_cancellable = g_cancellable_new ();
  path = g_strdup_printf ("/api/v1/market/ticker/%s", bourse_json_get_string (instrument, "symbol"));
  bourse_client_get_json_async (self->client, path, self->ticker_cancellable,
                                bourse_order_dialog_ticker_cb, g_object_ref (self));
  bourse_order_dialog_changed_cb (self);
}

/* }}} */

/* Loading {{{ */

static void
bourse_order_dialog_instruments_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(BourseOrderDialog) self = user_data;
  JsonArray *items;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the instruments",
                                                            "instruments", &items);
  guint wanted = GTK_INVALID_LIST_POSITION;

  if (answer == NULL)
    return;

  g_ptr_array_set_size (self->instruments, 0);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *instrument = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *symbol = bourse_json_get_string (instrument, "symbol");

      if (symbol == NULL)
        continue;
      if (g_strcmp0 (symbol, self->wanted_symbol) == 0)
        wanted = self->instruments->len;
      g_ptr_array_add (self->instruments, json_object_ref (instrument));
    }

  /* The list first, then the selection: the row reads the instrument. */
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) symbols = NULL;

    for (guint i = 0; i < self->instruments->len; i++)
      g_strv_builder_add (builder, bourse_json_get_string (g_ptr_array_index (self->instruments, i),
                                                           "symbol"));
    symbols = g_strv_builder_end (builder);
    gtk_string_list_splice (self->symbols, 0, g_list_model_get_n_items (G_LIST_MODEL (self->symbols)),
                            (const char * const *) symbols);
  }

  adw_combo_row_set_selected (self->symbol_row, wanted != GTK_INVALID_LIST_POSITION ? wanted : 0);
  bourse_order_dialog_symbol_changed_cb (self);
}

static void
bourse_order_dialog_portfolio_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseOrderDialog) self = user_data;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the portfolio", NULL, NULL);
  JsonObject *portfolio = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer)
                        ? json_node_get_object (answer) : NULL;
  BourseDecimal rate;

  if (portfolio == NULL)
    return;

  g_free (self->currency);
  self->currency = g_strdup (bourse_json_get_string (portfolio, "currency"));
  bourse_mode_tag_update (self->mode_tag, bourse_json_get_string (portfolio, "mode"));
  if (bourse_json_get_decimal (bourse_json_get_object (portfolio, "fees"), "taker", &rate))
    self->fee_rate = rate;
  bourse_order_dialog_update (self);
}

/* }}} */

/* Placing {{{ */

static void
bourse_order_dialog_place_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BourseOrderDialog) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkWindow *parent;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->placing = FALSE;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *order = json_node_get_object (answer);
      g_autofree char *quantity = bourse_format_price (bourse_json_get_string (order, "quantity"));

      /* Translators: a side, a quantity, an instrument and the order's status,
       * e.g. “Buy 0.01 BTCUSDT: Filled” */
      message = g_strdup_printf (_("%s %s %s: %s"),
                                 bourse_order_side_to_display (bourse_json_get_string (order, "side")),
                                 quantity, bourse_json_get_string (order, "symbol") ?: "?",
                                 bourse_order_status_to_display (bourse_json_get_string (order, "status")));
      parent = gtk_window_get_transient_for (GTK_WINDOW (self));
      if (parent != NULL)
        bourse_widget_show_toast (GTK_WIDGET (parent), message);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  /* A 422 names its field; a 409 the trading state that refuses it. */
  message = bourse_problem_to_text (problem, error);
  bourse_order_dialog_show_error (self, bourse_problem_get_field (problem), message);
  bourse_order_dialog_update (self);
}

static void
json_builder_add_member (JsonBuilder *builder,
                         const char  *name,
                         const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
bourse_order_dialog_place_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  BourseOrderDialog *self = BOURSE_ORDER_DIALOG (widget);
  JsonObject *instrument = bourse_order_dialog_get_instrument (self);
  const char *type = bourse_order_dialog_get_type_name (self);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  guint tif = adw_combo_row_get_selected (self->time_in_force_row);

  if (instrument == NULL || self->client == NULL || self->placing)
    return;

  bourse_order_dialog_clear_errors (self);

  /* As typed: the server rounds to the lot and the tick, and says what it
   * refuses. */
  json_builder_begin_object (builder);
  json_builder_add_member (builder, "symbol", bourse_json_get_string (instrument, "symbol"));
  json_builder_add_member (builder, "side", gtk_toggle_button_get_active (self->sell_button) ? "SELL" : "BUY");
  json_builder_add_member (builder, "type", type);
  json_builder_add_member (builder, "quantity", gtk_editable_get_text (GTK_EDITABLE (self->quantity_row)));
  if (type_has_price (type))
    {
      json_builder_add_member (builder, "price", gtk_editable_get_text (GTK_EDITABLE (self->price_row)));
      json_builder_add_member (builder, "time_in_force",
                               times_in_force[MIN (tif, G_N_ELEMENTS (times_in_force) - 1)]);
    }
  if (type_has_stop (type))
    json_builder_add_member (builder, "stop_price",
                             gtk_editable_get_text (GTK_EDITABLE (self->stop_price_row)));
  json_builder_add_member (builder, "client_order_id", self->client_order_id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  self->placing = TRUE;
  bourse_order_dialog_update (self);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/orders", body, self->cancellable,
                                    bourse_order_dialog_place_cb, g_object_ref (self));
}

/* One lot or tick up or down, from the nearest step below what is typed. */
static void
bourse_order_dialog_step_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  BourseOrderDialog *self = BOURSE_ORDER_DIALOG (widget);
  JsonObject *instrument = bourse_order_dialog_get_instrument (self);
  const char *field;
  gint32 direction;
  AdwEntryRow *row;
  BourseDecimal step, value, stepped;
  g_autofree char *text = NULL;

  g_variant_get (param, "(&si)", &field, &direction);
  row = bourse_order_dialog_entry_for (self, field);

  if (row == NULL ||
      !bourse_json_get_decimal (instrument, g_str_equal (field, "quantity") ? "lot_step" : "tick_size",
                                &step) ||
      step.units <= 0)
    return;

  if (!entry_get_decimal (row, &value))
    {
      /* A price starts from the market's. */
      if (row == self->quantity_row || self->last_price == NULL ||
          !bourse_decimal_parse (self->last_price, &value, NULL))
        value = BOURSE_DECIMAL_ZERO;
    }

  if (!bourse_decimal_round_to_step (value, step, BOURSE_ROUND_FLOOR, &value, NULL))
    return;
  if (direction > 0 && !bourse_decimal_add (value, step, &stepped, NULL))
    return;
  if (direction < 0 && !bourse_decimal_sub (value, step, &stepped, NULL))
    return;
  if (direction == 0)
    stepped = value;
  if (stepped.units < step.units)
    stepped = step;

  text = bourse_decimal_to_string_trimmed (stepped);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* }}} */

gboolean
bourse_order_dialog_is_ready (BourseOrderDialog *self)
{
  g_return_val_if_fail (BOURSE_IS_ORDER_DIALOG (self), FALSE);

  return bourse_order_dialog_get_instrument (self) != NULL;
}

static void
bourse_order_dialog_dispose (GObject *object)
{
  BourseOrderDialog *self = (BourseOrderDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->ticker_cancellable);
  g_clear_object (&self->ticker_cancellable);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_ORDER_DIALOG);

  G_OBJECT_CLASS (bourse_order_dialog_parent_class)->dispose (object);
}

static void
bourse_order_dialog_finalize (GObject *object)
{
  BourseOrderDialog *self = (BourseOrderDialog *)object;

  g_clear_pointer (&self->instruments, g_ptr_array_unref);
  g_clear_pointer (&self->wanted_symbol, g_free);
  g_clear_pointer (&self->last_price, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->client_order_id, g_free);

  G_OBJECT_CLASS (bourse_order_dialog_parent_class)->finalize (object);
}

static void
bourse_order_dialog_class_init (BourseOrderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_order_dialog_dispose;
  object_class->finalize = bourse_order_dialog_finalize;

  gtk_widget_class_install_action (widget_class, "order.place", NULL, bourse_order_dialog_place_action);
  gtk_widget_class_install_action (widget_class, "order.step", "(si)", bourse_order_dialog_step_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-order-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, order_group);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, mode_tag);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, symbol_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, symbols);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, buy_button);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, sell_button);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, quantity_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, price_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, stop_price_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, time_in_force_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, fee_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, notional_label);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, fee_label);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, place_button);
  gtk_widget_class_bind_template_callback (widget_class, bourse_order_dialog_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_order_dialog_symbol_changed_cb);
}

static void
bourse_order_dialog_init (BourseOrderDialog *self)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_auto(GStrv) parts = g_strsplit (uuid, "-", -1);
  g_autofree char *hex = g_strjoinv ("", parts);

  self->instruments = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  bourse_decimal_parse (DEFAULT_FEE_RATE, &self->fee_rate, NULL);
  /* 1–36 of A-Za-z0-9._:- (docs/TRADING.md): "desk-" and 124 random bits. */
  self->client_order_id = g_strdup_printf ("desk-%.31s", hex);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_name (GTK_WIDGET (self), "order-dialog");
  bourse_order_dialog_update (self);
}

GtkWidget *
bourse_order_dialog_new (GtkWindow    *parent,
                         BourseClient *client,
                         const char   *symbol)
{
  BourseOrderDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BOURSE_IS_CLIENT (client), NULL);

  self = g_object_new (BOURSE_TYPE_ORDER_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->cancellable = g_cancellable_new ();
  self->wanted_symbol = g_strdup (symbol != NULL && symbol[0] != '\0' ? symbol : NULL);

  bourse_client_get_json_async (client, "/api/v1/instruments", self->cancellable,
                                bourse_order_dialog_instruments_cb, g_object_ref (self));
  bourse_client_get_json_async (client, "/api/v1/portfolio", self->cancellable,
                                bourse_order_dialog_portfolio_cb, g_object_ref (self));

  return GTK_WIDGET (self);
}
