/* bourse-orders-page.c — open orders, the order history, fills and trades
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-order-row.h"
#include "bourse-orders-page.h"
#include "bourse-page-header.h"
#include "client/bourse-client-records.h"
#include "client/bourse-client-store.h"
#include "bourse-trading-util.h"

static const char * const topics[] = { "orders", "fills", "trades", NULL };

typedef enum
{
  SECTION_OPEN,
  SECTION_HISTORY,
  SECTION_FILLS,
  SECTION_TRADES,
  N_SECTIONS
} SectionKind;

/* The open orders are a BourseClientStore kept live by the orders topic;
 * the other sections are read a page at a time. */
#define OPEN_PATH "/api/v1/orders?status=open&limit=100"

static const char * const section_paths[N_SECTIONS] = {
  NULL,
  "/api/v1/orders?status=closed&limit=50",
  "/api/v1/fills?limit=50",
  "/api/v1/trades?limit=50",
};

typedef struct
{
  AdwPreferencesGroup *group;
  GtkWidget           *empty;        /* the group of its status page */
  GPtrArray           *items;        /* JsonObject, newest first */
  GPtrArray           *rows;
  char                *next_cursor;
  GCancellable        *cancellable;
  gboolean             loaded;
} Section;

struct _BourseOrdersPage
{
  GtkBox               parent_instance;

  BourseClient        *client;
  GSignalGroup        *client_signals;
  GCancellable        *cancellable;        /* cancels, the mode, who we are */
  gint64               user_id;            /* GET /api/v1/users/me; 0 unknown */
  BourseClientStore   *open_store;         /* BourseClientOrder, the open ones and their ends */
  GtkCustomFilter     *open_filter;
  GtkFilterListModel  *open_orders;        /* those of open_store still open */
  Section              sections[N_SECTIONS];
  gboolean             reload_queued;

  GtkWidget           *mode_tag;
  GtkWidget           *cancel_all_button;
  GtkWidget           *new_order_button;
  GtkWidget           *empty_new_order_button;
  AdwPreferencesGroup *open_group;
  GtkListBox          *open_list;
  AdwViewStack        *stack;
  AdwViewSwitcherBar  *switcher_bar;
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  AdwPreferencesGroup *history_group;
  AdwPreferencesGroup *fills_group;
  AdwPreferencesGroup *trades_group;
  GtkWidget           *open_empty;
  GtkWidget           *history_empty;
  GtkWidget           *fills_empty;
  GtkWidget           *trades_empty;
};

G_DEFINE_FINAL_TYPE (BourseOrdersPage, bourse_orders_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void bourse_orders_page_load (BourseOrdersPage *self,
                                     SectionKind       kind,
                                     gboolean          more);

/* Rows {{{ */

static void
clear_rows (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
new_row (const char *kind,
         JsonObject *item,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  gint64 id = 0;
  g_autofree char *name = NULL;

  bourse_json_get_int (item, "id", &id);
  name = g_strdup_printf ("%s-row-%" PRId64, kind, id);
  gtk_widget_set_name (row, name);
  /* Symbols and reasons come from the network: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);

  return row;
}

static void
add_suffix_label (GtkWidget  *row,
                  const char *name,
                  const char *text,
                  const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_name (label, name);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "numeric");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

/* “Buy 0.01 BTCUSDT” */
static char *
dup_order_title (JsonObject *item,
                 const char *side_member)
{
  g_autofree char *quantity = bourse_format_price (bourse_json_get_string (item, "quantity"));

  /* Translators: a side, a quantity and an instrument, e.g. “Buy 0.01 BTCUSDT” */
  return g_strdup_printf (_("%s %s %s"),
                          bourse_order_side_to_display (bourse_json_get_string (item, side_member)),
                          quantity, bourse_json_get_string (item, "symbol") ?: "?");
}

/* One's own orders with orders.write, anyone's with orders.manage (the
 * server's rule; it has the last word). */
static gboolean
bourse_orders_page_may_cancel (BourseOrdersPage  *self,
                               BourseClientOrder *order)
{
  if (self->client == NULL)
    return FALSE;
  if (bourse_client_has_permission (self->client, "orders.manage"))
    return TRUE;

  return bourse_client_has_permission (self->client, "orders.write") && self->user_id != 0 &&
         bourse_client_order_get_created_by (order) == self->user_id;
}

static GtkWidget *
bourse_orders_page_create_order_row (gpointer item,
                                     gpointer user_data)
{
  BourseOrdersPage *self = user_data;

  return bourse_order_row_new (item, bourse_orders_page_may_cancel (self, item));
}

static GtkWidget *
bourse_orders_page_create_fill_row (JsonObject *fill)
{
  g_autofree char *title = dup_order_title (fill, "side");
  g_autofree char *price = bourse_format_price (bourse_json_get_string (fill, "price"));
  g_autofree char *fee = bourse_format_money_in (bourse_json_get_string (fill, "fee"),
                                                 bourse_json_get_string (fill, "fee_asset"), FALSE);
  g_autofree char *when = bourse_format_local_time (bourse_json_get_string (fill, "time"));
  g_autofree char *subtitle = NULL;
  g_autofree char *notional = bourse_format_money (bourse_json_get_string (fill, "quote_quantity"), FALSE);
  GtkWidget *row;

  /* Translators: a fill's price, its fee, maker or taker, and when (local time) */
  subtitle = g_strdup_printf (_("At %s · fee %s · %s · %s"), price, fee,
                              bourse_json_get_string (fill, "liquidity") ?: "—", when ? when : "—");
  row = new_row ("fill", fill, title, subtitle);
  add_suffix_label (row, "notional-label", notional, NULL);

  return row;
}

static GtkWidget *
bourse_orders_page_create_trade_row (JsonObject *trade)
{
  gboolean open = g_strcmp0 (bourse_json_get_string (trade, "status"), "open") == 0;
  g_autofree char *title = dup_order_title (trade, "side");
  g_autofree char *entry = bourse_format_price (bourse_json_get_string (trade, "entry_price"));
  g_autofree char *exit_price = bourse_format_price (bourse_json_get_string (trade, "exit_price"));
  g_autofree char *opened = bourse_format_local_time (bourse_json_get_string (trade, "opened_at"));
  g_autofree char *closed = bourse_format_local_time (bourse_json_get_string (trade, "closed_at"));
  g_autofree char *subtitle = NULL;
  g_autofree char *pnl = NULL;
  GtkWidget *row;

  if (open)
    /* Translators: an open trade's entry price and when it opened */
    subtitle = g_strdup_printf (_("Entry %s · opened %s"), entry, opened ? opened : "—");
  else
    /* Translators: a closed trade's entry and exit prices, why it closed, and when */
    subtitle = g_strdup_printf (_("Entry %s → exit %s · %s · closed %s"), entry, exit_price,
                                bourse_exit_reason_to_display (bourse_json_get_string (trade, "exit_reason")),
                                closed ? closed : "—");
  row = new_row ("trade", trade, title, subtitle);

  if (open)
    add_suffix_label (row, "net-pnl-label", C_("trade status", "Open"), "accent");
  else
    {
      pnl = bourse_format_money (bourse_json_get_string (trade, "net_pnl"), TRUE);
      add_suffix_label (row, "net-pnl-label", pnl,
                        bourse_decimal_css_class (bourse_json_get_string (trade, "net_pnl")));
    }

  return row;
}

static gboolean
filter_open (gpointer item,
             gpointer user_data)
{
  return bourse_order_status_is_open (bourse_client_order_get_status (item));
}

/* The empty state and Cancel All follow the number of open orders. */
static void
bourse_orders_page_open_changed_cb (BourseOrdersPage *self)
{
  guint n_open = self->open_orders != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->open_orders)) : 0;
  gboolean loaded = self->open_store != NULL && bourse_client_store_get_n_loads (self->open_store) > 0;

  bourse_empty_state_update (self->open_empty, loaded, n_open, GTK_WIDGET (self->open_group), NULL);
  bourse_page_action_set_enabled (GTK_WIDGET (self), "orders.cancel-all", self->client != NULL && n_open > 0);
}

/* The rows again: who may cancel what is known now. */
static void
bourse_orders_page_bind_open (BourseOrdersPage *self)
{
  gtk_list_box_bind_model (self->open_list, self->open_store != NULL ? G_LIST_MODEL (self->open_orders) : NULL,
                           self->open_store != NULL ? bourse_orders_page_create_order_row : NULL, self, NULL);
}

static void
bourse_orders_page_refresh (BourseOrdersPage *self,
                            SectionKind       kind)
{
  Section *section = &self->sections[kind];

  if (kind == SECTION_OPEN)
    {
      bourse_orders_page_open_changed_cb (self);
      return;
    }

  clear_rows (section->rows);

  for (guint i = 0; i < section->items->len; i++)
    {
      JsonObject *item = g_ptr_array_index (section->items, i);
      GtkWidget *row;

      if (kind == SECTION_TRADES)
        row = bourse_orders_page_create_trade_row (item);
      else if (kind == SECTION_FILLS)
        row = bourse_orders_page_create_fill_row (item);
      else
        {
          g_autoptr(BourseClientObject) order = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_ORDER, item);

          if (order == NULL)
            continue;
          row = bourse_orders_page_create_order_row (order, self);
        }

      adw_preferences_group_add (section->group, row);
      g_ptr_array_add (section->rows, row);
    }

  bourse_empty_state_update (section->empty, section->loaded, section->items->len,
                             GTK_WIDGET (section->group), NULL);

  if (section->next_cursor != NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Show _More"));

      gtk_widget_set_name (row, "more-row");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "orders.load-more");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int32 (kind));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_preferences_group_add (section->group, row);
      g_ptr_array_add (section->rows, row);
    }

}

/* }}} */

/* Loading {{{ */

typedef struct
{
  BourseOrdersPage *self;
  SectionKind       kind;
  gboolean          more;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
bourse_orders_page_load_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  Section *section = &load->self->sections[load->kind];
  JsonArray *items;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "orders or trades",
                                                            "items", &items);

  if (answer == NULL)
    return;

  if (!load->more)
    g_ptr_array_set_size (section->items, 0);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (section->items, json_object_ref (json_node_get_object (node)));
    }

  g_free (section->next_cursor);
  section->next_cursor = g_strdup (bourse_json_get_string (json_node_get_object (answer), "next_cursor"));
  section->loaded = TRUE;
  bourse_orders_page_refresh (load->self, load->kind);
}

static void
bourse_orders_page_load (BourseOrdersPage *self,
                         SectionKind       kind,
                         gboolean          more)
{
  Section *section = &self->sections[kind];
  g_autofree char *path = NULL;
  Load *load;

  g_cancellable_cancel (section->cancellable);
  g_clear_object (&section->cancellable);

  if (kind == SECTION_OPEN)
    {
      if (self->open_store != NULL)
        bourse_client_store_reload (self->open_store);
      return;
    }

  if (self->client == NULL || (more && section->next_cursor == NULL))
    return;

  if (more)
    {
      g_autofree char *cursor = g_uri_escape_string (section->next_cursor, NULL, FALSE);

      path = g_strdup_printf ("%s&cursor=%s", section_paths[kind], cursor);
    }
  else
    path = g_strdup (section_paths[kind]);

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->kind = kind;
  load->more = more;
  section->cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, path, section->cancellable,
                                bourse_orders_page_load_cb, load);
}

static void
bourse_orders_page_mode_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(BourseOrdersPage) self = user_data;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the account", NULL, NULL);

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    bourse_mode_tag_update (self->mode_tag, bourse_json_get_string (json_node_get_object (answer), "mode"));
}

static void
bourse_orders_page_me_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(BourseOrdersPage) self = user_data;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the account", NULL, NULL);

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer) ||
      !bourse_json_get_int (json_node_get_object (answer), "id", &self->user_id))
    return;

  bourse_orders_page_bind_open (self);
}

void
bourse_orders_page_reload (BourseOrdersPage *self)
{
  g_return_if_fail (BOURSE_IS_ORDERS_PAGE (self));

  /* The mode too: it changes between paper and live. */
  if (self->client != NULL && self->cancellable != NULL)
    bourse_client_get_json_async (self->client, "/api/v1/portfolio", self->cancellable,
                                  bourse_orders_page_mode_cb, g_object_ref (self));

  for (guint kind = 0; kind < N_SECTIONS; kind++)
    bourse_orders_page_load (self, kind, FALSE);
}

static gboolean
bourse_orders_page_reload_idle_cb (gpointer data)
{
  BourseOrdersPage *self = data;

  self->reload_queued = FALSE;
  bourse_orders_page_load (self, SECTION_HISTORY, FALSE);
  bourse_orders_page_load (self, SECTION_TRADES, FALSE);
  return G_SOURCE_REMOVE;
}

/* A fill from the topic, newest first; one the list has already (it came
 * with a load) once. */
static void
bourse_orders_page_add_fill (BourseOrdersPage *self,
                             JsonObject       *fill)
{
  Section *section = &self->sections[SECTION_FILLS];
  gint64 id = 0, newest = 0;

  if (!section->loaded || !bourse_json_get_int (fill, "id", &id))
    return;
  if (section->items->len > 0)
    bourse_json_get_int (g_ptr_array_index (section->items, 0), "id", &newest);
  if (id <= newest)
    return;

  g_ptr_array_insert (section->items, 0, json_object_ref (fill));
  bourse_orders_page_refresh (self, SECTION_FILLS);
}

static void
bourse_orders_page_event_cb (BourseOrdersPage *self,
                             const char       *topic,
                             gint64            seq,
                             JsonNode         *data,
                             BourseClient     *client)
{
  g_assert (BOURSE_IS_ORDERS_PAGE (self));

  if (!g_strv_contains (topics, topic))
    return;

  /* A fill is whole in its event: no need to ask. */
  if (g_str_equal (topic, "fills"))
    {
      if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
        bourse_orders_page_add_fill (self, json_node_get_object (data));
      return;
    }

  if (self->reload_queued)
    return;

  /* An order moves to the history and brings its trades: those lists
   * again, once per burst (the open ones follow the topic themselves). */
  self->reload_queued = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, bourse_orders_page_reload_idle_cb,
                   g_object_ref (self), g_object_unref);
}

static void
bourse_orders_page_resync_cb (BourseOrdersPage *self,
                              const char       *topic,
                              BourseClient     *client)
{
  g_assert (BOURSE_IS_ORDERS_PAGE (self));

  if (g_strcmp0 (topic, "fills") == 0)
    bourse_orders_page_load (self, SECTION_FILLS, FALSE);
  else
    bourse_orders_page_event_cb (self, topic, 0, NULL, client);
}

/* }}} */

/* Actions {{{ */

static void
bourse_orders_page_cancel_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BourseOrdersPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL)
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);
      /* Translators: the server's answer to a cancel */
      g_autofree char *message = g_strdup_printf (_("Could not cancel: %s"), text);

      bourse_widget_show_toast (GTK_WIDGET (self), message);
    }
  else if (JSON_NODE_HOLDS_OBJECT (answer) &&
           bourse_order_status_is_open (bourse_json_get_string (json_node_get_object (answer), "status")) &&
           bourse_json_get_string (json_node_get_object (answer), "cancel_requested_at") != NULL)
    /* A live order's cancel (202): the orders topic brings the end. */
    bourse_widget_show_toast (GTK_WIDGET (self), _("Cancel requested: waiting for the exchange to confirm"));

  /* Either way the lists say what is true now (a 409: it filled first). */
  bourse_orders_page_reload (self);
}

static void
bourse_orders_page_cancel_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  BourseOrdersPage *self = BOURSE_ORDERS_PAGE (widget);
  g_autofree char *path = g_strdup_printf ("/api/v1/orders/%" PRId64, g_variant_get_int64 (param));

  if (self->client == NULL)
    return;

  bourse_client_request_json_async (self->client, "DELETE", path, NULL, self->cancellable,
                                    bourse_orders_page_cancel_cb, g_object_ref (self));
}

static void
bourse_orders_page_cancel_all_response_cb (BourseOrdersPage *self,
                                           const char       *response,
                                           AdwMessageDialog *dialog)
{
  g_assert (BOURSE_IS_ORDERS_PAGE (self));

  if (g_strcmp0 (response, "cancel-all") != 0 || self->client == NULL)
    return;

  bourse_client_request_json_async (self->client, "DELETE", "/api/v1/orders", NULL, self->cancellable,
                                    bourse_orders_page_cancel_cb, g_object_ref (self));
}

static void
bourse_orders_page_cancel_all_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  BourseOrdersPage *self = BOURSE_ORDERS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->open_orders));
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Cancel %u Open Order?",
                                          "Cancel All %u Open Orders?", n), n);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("What they locked is free again. Fills already made stay."));
  gtk_widget_set_name (dialog, "cancel-all-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Them"),
                                    "cancel-all", _("_Cancel Orders"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-all",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_orders_page_cancel_all_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bourse_orders_page_load_more_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  gint32 kind = g_variant_get_int32 (param);

  if (kind >= 0 && kind < N_SECTIONS)
    bourse_orders_page_load (BOURSE_ORDERS_PAGE (widget), kind, TRUE);
}

/* On a narrow window the tabs leave the toolbar for the bottom bar. */
static void
bourse_orders_page_squeezed_cb (BourseOrdersPage *self,
                                GParamSpec       *pspec,
                                AdwSqueezer      *squeezer)
{
  GtkWidget *shown = adw_squeezer_get_visible_child (squeezer);

  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    shown != NULL && !ADW_IS_VIEW_SWITCHER (shown));
}

/* }}} */

BourseClient *
bourse_orders_page_get_client (BourseOrdersPage *self)
{
  g_return_val_if_fail (BOURSE_IS_ORDERS_PAGE (self), NULL);

  return self->client;
}

void
bourse_orders_page_set_client (BourseOrdersPage *self,
                               BourseClient     *client)
{
  g_return_if_fail (BOURSE_IS_ORDERS_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client != NULL)
    for (guint i = 0; topics[i] != NULL; i++)
      bourse_client_unsubscribe (self->client, topics[i]);

  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);
  self->user_id = 0;

  if (self->open_store != NULL)
    g_signal_handlers_disconnect_by_data (self->open_store, self);
  g_clear_object (&self->open_store);
  gtk_filter_list_model_set_model (self->open_orders, NULL);
  if (client != NULL)
    {
      self->open_store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_ORDER, OPEN_PATH, "orders");
      /* An order that leaves the open state leaves the list. */
      bourse_filter_follow_property (GTK_FILTER (self->open_filter), G_LIST_MODEL (self->open_store), "status");
      g_signal_connect_object (self->open_store, "notify::n-loads",
                               G_CALLBACK (bourse_orders_page_open_changed_cb), self, G_CONNECT_SWAPPED);
      gtk_filter_list_model_set_model (self->open_orders, G_LIST_MODEL (self->open_store));
    }

  for (guint kind = 0; kind < N_SECTIONS; kind++)
    {
      g_ptr_array_set_size (self->sections[kind].items, 0);
      g_clear_pointer (&self->sections[kind].next_cursor, g_free);
      self->sections[kind].loaded = FALSE;
      bourse_orders_page_refresh (self, kind);
    }

  if (client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      for (guint i = 0; topics[i] != NULL; i++)
        bourse_client_subscribe (client, topics[i]);
      bourse_client_get_json_async (client, "/api/v1/users/me", self->cancellable,
                                    bourse_orders_page_me_cb, g_object_ref (self));
    }

  bourse_orders_page_update_permissions (self);
  bourse_orders_page_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
bourse_orders_page_update_permissions (BourseOrdersPage *self)
{
  gboolean may_trade;

  g_return_if_fail (BOURSE_IS_ORDERS_PAGE (self));

  may_trade = self->client != NULL && bourse_client_has_permission (self->client, "orders.write");
  gtk_widget_set_visible (self->new_order_button, may_trade);
  gtk_widget_set_visible (self->empty_new_order_button, may_trade);
  gtk_widget_set_visible (self->cancel_all_button, may_trade);
  bourse_orders_page_bind_open (self);
}

int
bourse_orders_page_get_n_open (BourseOrdersPage *self)
{
  g_return_val_if_fail (BOURSE_IS_ORDERS_PAGE (self), -1);

  if (self->open_store == NULL || bourse_client_store_get_n_loads (self->open_store) == 0)
    return -1;
  return (int) g_list_model_get_n_items (G_LIST_MODEL (self->open_orders));
}

static void
bourse_orders_page_dispose (GObject *object)
{
  BourseOrdersPage *self = (BourseOrdersPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client != NULL)
    for (guint i = 0; topics[i] != NULL; i++)
      bourse_client_unsubscribe (self->client, topics[i]);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  if (self->open_list != NULL)
    gtk_list_box_bind_model (self->open_list, NULL, NULL, NULL, NULL);
  if (self->open_store != NULL)
    g_signal_handlers_disconnect_by_data (self->open_store, self);
  g_clear_object (&self->open_store);
  g_clear_object (&self->open_orders);
  g_clear_object (&self->client);

  for (guint kind = 0; kind < N_SECTIONS; kind++)
    {
      g_cancellable_cancel (self->sections[kind].cancellable);
      g_clear_object (&self->sections[kind].cancellable);
      if (self->sections[kind].rows != NULL)
        g_ptr_array_set_size (self->sections[kind].rows, 0);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_ORDERS_PAGE);

  G_OBJECT_CLASS (bourse_orders_page_parent_class)->dispose (object);
}

static void
bourse_orders_page_finalize (GObject *object)
{
  BourseOrdersPage *self = (BourseOrdersPage *)object;

  for (guint kind = 0; kind < N_SECTIONS; kind++)
    {
      g_clear_pointer (&self->sections[kind].items, g_ptr_array_unref);
      g_clear_pointer (&self->sections[kind].rows, g_ptr_array_unref);
      g_clear_pointer (&self->sections[kind].next_cursor, g_free);
    }

  G_OBJECT_CLASS (bourse_orders_page_parent_class)->finalize (object);
}

static void
bourse_orders_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BourseOrdersPage *self = BOURSE_ORDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_orders_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BourseOrdersPage *self = BOURSE_ORDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_orders_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_orders_page_class_init (BourseOrdersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_orders_page_dispose;
  object_class->finalize = bourse_orders_page_finalize;
  object_class->get_property = bourse_orders_page_get_property;
  object_class->set_property = bourse_orders_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "orders.cancel", "x", bourse_orders_page_cancel_action);
  gtk_widget_class_install_action (widget_class, "orders.cancel-all", NULL,
                                   bourse_orders_page_cancel_all_action);
  gtk_widget_class_install_action (widget_class, "orders.load-more", "i",
                                   bourse_orders_page_load_more_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-orders-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, mode_tag);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, cancel_all_button);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, new_order_button);
  bourse_page_class_bind_header_actions (widget_class);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, open_group);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, open_list);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, history_group);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, fills_group);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, trades_group);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, open_empty);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, history_empty);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, fills_empty);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, trades_empty);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, empty_new_order_button);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BourseOrdersPage, search_entry);
  gtk_widget_class_bind_template_callback (widget_class, bourse_orders_page_squeezed_cb);
}

static void
bourse_orders_page_init (BourseOrdersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bourse_page_init_header_actions (GTK_WIDGET (self), BOURSE_TYPE_ORDERS_PAGE, "orders",
                                   (const char *[]) { "cancel-all", NULL });
  gtk_widget_set_name (GTK_WIDGET (self), "orders-page");

  self->open_filter = gtk_custom_filter_new (filter_open, NULL, NULL);
  self->open_orders = gtk_filter_list_model_new (NULL, GTK_FILTER (self->open_filter));
  g_signal_connect_object (self->open_orders, "items-changed",
                           G_CALLBACK (bourse_orders_page_open_changed_cb), self, G_CONNECT_SWAPPED);

  self->sections[SECTION_OPEN].group = self->open_group;
  self->sections[SECTION_HISTORY].group = self->history_group;
  self->sections[SECTION_FILLS].group = self->fills_group;
  self->sections[SECTION_TRADES].group = self->trades_group;
  self->sections[SECTION_OPEN].empty = self->open_empty;
  self->sections[SECTION_HISTORY].empty = self->history_empty;
  self->sections[SECTION_FILLS].empty = self->fills_empty;
  self->sections[SECTION_TRADES].empty = self->trades_empty;
  for (guint kind = 0; kind < N_SECTIONS; kind++)
    {
      self->sections[kind].items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      self->sections[kind].rows = g_ptr_array_new ();
    }

  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event",
                                 G_CALLBACK (bourse_orders_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync",
                                 G_CALLBACK (bourse_orders_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);

  bourse_search_filter_lists (GTK_WIDGET (self->stack), self->search_entry);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  for (guint kind = 0; kind < N_SECTIONS; kind++)
    bourse_orders_page_refresh (self, kind);
}

GtkWidget *
bourse_orders_page_new (void)
{
  return g_object_new (BOURSE_TYPE_ORDERS_PAGE, NULL);
}
