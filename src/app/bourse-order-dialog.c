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

/* A dry run once typing pauses, not at every key. */
#define CHECK_DELAY_MS 250

/* In the order of the type row's items. */
static const char * const order_types[] = { "MARKET", "LIMIT", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT" };
static const char * const times_in_force[] = { "GTC", "IOC", "FOK" };

/* What the server's dry run said of the order as it is typed now. */
typedef enum
{
  CHECK_NONE,
  CHECK_PENDING,
  CHECK_PASSED,
  CHECK_REFUSED,
} CheckState;

struct _BourseOrderDialog
{
  AdwWindow         parent_instance;

  BourseClient     *client;
  GCancellable     *cancellable;
  GCancellable     *ticker_cancellable;
  GCancellable     *check_cancellable;
  guint             check_source;
  CheckState        check_state;
  GPtrArray        *instruments;         /* JsonObject, as the symbol row lists them */
  char             *wanted_symbol;
  char             *last_price;          /* of the selected instrument */
  char             *currency;
  char             *client_order_id;     /* one per dialog: a retry is the same order */
  gboolean          placing;
  /* The person confirmed a live order the server asked a second step for. */
  gboolean          confirmed;

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
  AdwActionRow     *check_row;
  GtkLabel         *check_label;
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
  /* The trading state refuses the order, not a field of it. */
  if (g_strcmp0 (field, "risk.state") == 0)
    return NULL;
  /* A limit is about the order's size. */
  if (g_strcmp0 (field, "quantity") == 0 || g_strcmp0 (field, "quote_quantity") == 0 ||
      (field != NULL && g_str_has_prefix (field, "risk.")))
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

/* @focus: after sending; a dry run's refusal leaves the focus where the
 * user is typing. */
static void
bourse_order_dialog_show_error (BourseOrderDialog *self,
                                const char        *field,
                                const char        *message,
                                gboolean           focus)
{
  GtkWidget *row = GTK_WIDGET (bourse_order_dialog_entry_for (self, field));

  if (row == NULL && g_strcmp0 (field, "symbol") == 0)
    row = GTK_WIDGET (self->symbol_row);

  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      if (focus)
        gtk_widget_grab_focus (row);
    }

  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
json_builder_add_member (JsonBuilder *builder,
                         const char  *name,
                         const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* The order as typed: the server rounds to the lot and the tick, and says
 * what it refuses. NULL without an instrument. */
static JsonNode *
bourse_order_dialog_build_body (BourseOrderDialog *self,
                                gboolean           with_id)
{
  JsonObject *instrument = bourse_order_dialog_get_instrument (self);
  const char *type = bourse_order_dialog_get_type_name (self);
  g_autoptr(JsonBuilder) builder = NULL;
  guint tif = adw_combo_row_get_selected (self->time_in_force_row);

  if (instrument == NULL)
    return NULL;

  builder = json_builder_new ();
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
  if (with_id)
    json_builder_add_member (builder, "client_order_id", self->client_order_id);
  /* A dry run previews the order whatever its size; the real one carries
   * the second step only once the person took it. */
  if (!with_id || self->confirmed)
    {
      json_builder_set_member_name (builder, "confirm");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* }}} */

/* What is shown {{{ */

/* The server's figures: the notional and the fee of the order as its
 * checks would round and price it; "—" without them. */
static void
bourse_order_dialog_show_estimate (BourseOrderDialog *self,
                                   JsonObject        *estimate)
{
  g_autofree char *notional = NULL;
  g_autofree char *fee = NULL;

  if (estimate == NULL)
    {
      gtk_label_set_label (self->notional_label, "—");
      gtk_label_set_label (self->fee_label, "—");
      return;
    }

  notional = bourse_format_money_in (bourse_json_get_string (estimate, "notional"), self->currency, FALSE);
  fee = bourse_format_money_in (bourse_json_get_string (estimate, "fee"), self->currency, FALSE);
  gtk_label_set_label (self->notional_label, notional);
  gtk_label_set_label (self->fee_label, fee);
}

static void
bourse_order_dialog_show_check (BourseOrderDialog *self,
                                CheckState         state,
                                const char        *subtitle)
{
  static const char * const classes[] = { "success", "error", "dim-label" };

  self->check_state = state;
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->check_label), classes[i]);

  switch (state)
    {
    case CHECK_NONE:
      gtk_label_set_label (self->check_label, "—");
      break;

    case CHECK_PENDING:
      gtk_label_set_label (self->check_label, _("Checking…"));
      gtk_widget_add_css_class (GTK_WIDGET (self->check_label), "dim-label");
      break;

    case CHECK_PASSED:
      gtk_label_set_label (self->check_label, _("Passes"));
      gtk_widget_add_css_class (GTK_WIDGET (self->check_label), "success");
      break;

    case CHECK_REFUSED:
      gtk_label_set_label (self->check_label, _("Refused"));
      gtk_widget_add_css_class (GTK_WIDGET (self->check_label), "error");
      break;

    default:
      g_assert_not_reached ();
    }

  adw_action_row_set_subtitle (self->check_row, subtitle != NULL ? subtitle : "");
}

static void
bourse_order_dialog_update (BourseOrderDialog *self)
{
  const char *type = bourse_order_dialog_get_type_name (self);
  g_autofree char *quantity = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->quantity_row))));

  gtk_widget_set_visible (GTK_WIDGET (self->price_row), type_has_price (type));
  gtk_widget_set_visible (GTK_WIDGET (self->stop_price_row), type_has_stop (type));
  gtk_widget_set_visible (GTK_WIDGET (self->time_in_force_row), type_has_price (type));

  /* What the dry run refused would only be refused again. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "order.place",
                                 !self->placing && self->client != NULL &&
                                 bourse_order_dialog_get_instrument (self) != NULL &&
                                 quantity[0] != '\0' && self->check_state != CHECK_REFUSED);
}

/* }}} */

/* The server's check {{{ */

static void
bourse_order_dialog_check_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BourseOrderDialog) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonObject *check, *order;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  check = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  if (check != NULL)
    {
      g_autofree char *quantity = NULL;
      g_autofree char *price = NULL;
      g_autofree char *subtitle = NULL;

      order = bourse_json_get_object (check, "order");
      quantity = bourse_format_price (bourse_json_get_string (order, "quantity"));
      price = bourse_format_price (bourse_json_get_string (bourse_json_get_object (check, "estimate"),
                                                           "price"));
      /* Translators: the order as the server would take it, rounded to the
       * lot and the tick: a side, a quantity, an instrument and a price,
       * e.g. “Buy 0.01 BTCUSDT at about 60000” */
      subtitle = g_strdup_printf (_("%s %s %s at about %s"),
                                  bourse_order_side_to_display (bourse_json_get_string (order, "side")),
                                  quantity, bourse_json_get_string (order, "symbol") ?: "?", price);
      bourse_order_dialog_show_estimate (self, bourse_json_get_object (check, "estimate"));
      bourse_order_dialog_show_check (self, CHECK_PASSED, subtitle);
      bourse_order_dialog_update (self);
      return;
    }

  /* A 422 names its field; a 409 the trading state that refuses it. */
  message = bourse_problem_to_text (problem, error);
  bourse_order_dialog_show_estimate (self, NULL);
  if (problem != NULL)
    {
      bourse_order_dialog_show_check (self, CHECK_REFUSED, NULL);
      bourse_order_dialog_show_error (self, bourse_problem_get_field (problem), message, FALSE);
    }
  else
    /* Unreachable or failing: the order itself may still go. */
    bourse_order_dialog_show_check (self, CHECK_NONE, message);
  bourse_order_dialog_update (self);
}

static gboolean
bourse_order_dialog_check_timeout_cb (gpointer data)
{
  BourseOrderDialog *self = data;
  g_autoptr(JsonNode) body = bourse_order_dialog_build_body (self, FALSE);

  self->check_source = 0;
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  if (body == NULL || self->client == NULL)
    return G_SOURCE_REMOVE;

  self->check_cancellable = g_cancellable_new ();
  bourse_client_request_json_async (self->client, "POST", "/api/v1/orders?dry_run=true", body,
                                    self->check_cancellable, bourse_order_dialog_check_cb,
                                    g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* Asks the server's checks about the order as it is now, once typing
 * pauses; what they said of the last one no longer holds. */
static void
bourse_order_dialog_queue_check (BourseOrderDialog *self)
{
  g_autofree char *quantity = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->quantity_row))));

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  bourse_order_dialog_show_estimate (self, NULL);

  if (self->client == NULL || bourse_order_dialog_get_instrument (self) == NULL || quantity[0] == '\0')
    {
      bourse_order_dialog_show_check (self, CHECK_NONE, NULL);
      return;
    }

  bourse_order_dialog_show_check (self, CHECK_PENDING, NULL);
  self->check_source = g_timeout_add (CHECK_DELAY_MS, bourse_order_dialog_check_timeout_cb, self);
}

/* }}} */

/* Editing {{{ */

static void
bourse_order_dialog_changed_cb (BourseOrderDialog *self)
{
  g_assert (BOURSE_IS_ORDER_DIALOG (self));

  /* What the server refused is being corrected. */
  if (!self->placing)
    bourse_order_dialog_clear_errors (self);
  bourse_order_dialog_queue_check (self);
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
                                                            "items", &items);
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
  JsonObject *fees;
  g_autofree char *maker = NULL;
  g_autofree char *taker = NULL;
  g_autofree char *subtitle = NULL;

  if (portfolio == NULL)
    return;

  g_free (self->currency);
  self->currency = g_strdup (bourse_json_get_string (portfolio, "currency"));
  bourse_mode_tag_update (self->mode_tag, bourse_json_get_string (portfolio, "mode"));

  fees = bourse_json_get_object (portfolio, "fees");
  maker = bourse_format_ratio (fees, "maker");
  taker = bourse_format_ratio (fees, "taker");
  /* Translators: the account's fee rates, e.g. “Maker 0.10 %, taker 0.10 % of the notional” */
  subtitle = g_strdup_printf (_("Maker %s, taker %s of the notional"), maker, taker);
  adw_action_row_set_subtitle (self->fee_row, subtitle);

  /* The figures in the currency now known. */
  bourse_order_dialog_queue_check (self);
}

/* }}} */

/* Placing {{{ */

static void bourse_order_dialog_place_action (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *param);

static void
bourse_order_dialog_confirm_response_cb (BourseOrderDialog *self,
                                         const char        *response)
{
  if (!g_str_equal (response, "send"))
    return;
  self->confirmed = TRUE;
  bourse_order_dialog_place_action (GTK_WIDGET (self), NULL, NULL);
}

static void
bourse_order_dialog_ask_confirmation (BourseOrderDialog *self,
                                      const char        *message)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Send This Live Order?"), message);

  gtk_widget_set_name (dialog, "confirm-live-order-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Live Order"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (bourse_order_dialog_confirm_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

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

  message = bourse_problem_to_text (problem, error);
  /* A large live order: the server asks for a second step; the person
   * reads its words and sends it again, or not. */
  if (g_strcmp0 (bourse_problem_get_field (problem), "confirm") == 0 && !self->confirmed)
    {
      bourse_order_dialog_ask_confirmation (self, message);
      bourse_order_dialog_update (self);
      return;
    }
  /* A 422 names its field; a 409 the trading state that refuses it. */
  bourse_order_dialog_show_error (self, bourse_problem_get_field (problem), message, TRUE);
  bourse_order_dialog_update (self);
}

static void
bourse_order_dialog_place_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  BourseOrderDialog *self = BOURSE_ORDER_DIALOG (widget);
  g_autoptr(JsonNode) body = NULL;

  if (self->client == NULL || self->placing ||
      (body = bourse_order_dialog_build_body (self, TRUE)) == NULL)
    return;

  bourse_order_dialog_clear_errors (self);
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
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, check_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOrderDialog, check_label);
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
