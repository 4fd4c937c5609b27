/* bourse-portfolio-page.c — the book's dashboard: equity, balances,
 * positions, profit and loss
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-desktop-settings.h"
#include "bourse-equity-chart.h"
#include "bourse-page-header.h"
#include "bourse-pnl-calendar.h"
#include "bourse-portfolio-page.h"
#include "bourse-position-row.h"
#include "bourse-trading-util.h"

#define EQUITY_DAYS 30

/* The positions' topic is their store's. */
static const char * const topics[] = { "portfolio", "balances", "trades", NULL };

struct _BoursePortfolioPage
{
  AdwPreferencesPage   parent_instance;

  BourseClient        *client;
  GSignalGroup        *client_signals;
  GCancellable        *cancellable;       /* the summary */
  GCancellable        *history_cancellable; /* equity and calendar */

  char                *currency;
  BourseClientStore   *positions;         /* BourseClientPosition, live by "positions" */
  GtkCustomFilter     *open_filter;
  GtkFilterListModel  *open_positions;    /* those of the store still open */
  GtkSortListModel    *sorted_positions;  /* by symbol, as the API lists them */
  GtkWidget           *positions_empty;   /* its status page */
  GPtrArray           *rows;              /* the balances' rows */
  GArray              *curve_times;       /* the equity snapshots, ms */
  GArray              *curve_values;
  gint64               live_time;         /* the summary's equity, and when it came */
  double               live_equity;
  guint                n_loads;
  gboolean             reload_queued;

  GtkWidget           *mode_tag;
  GtkWidget           *new_order_button;
  GtkLabel            *equity_label;
  GtkLabel            *cash_label;
  GtkLabel            *positions_value_label;
  GtkLabel            *today_pnl_label;
  GtkLabel            *drawdown_label;
  BourseEquityChart   *equity_chart;
  AdwPreferencesGroup *positions_group;
  GtkListBox          *positions_list;
  AdwPreferencesGroup *balances_group;
  BoursePnlCalendar   *calendar;
};

G_DEFINE_FINAL_TYPE (BoursePortfolioPage, bourse_portfolio_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The summary {{{ */

/* The snapshots by hour, then the equity as the summary says it now: the
 * curve reaches the present, even before a second snapshot. */
static void
bourse_portfolio_page_show_curve (BoursePortfolioPage *self)
{
  g_autoptr(GArray) times = g_array_copy (self->curve_times);
  g_autoptr(GArray) values = g_array_copy (self->curve_values);

  if (!isnan (self->live_equity) &&
      (times->len == 0 || g_array_index (times, gint64, times->len - 1) < self->live_time))
    {
      g_array_append_val (times, self->live_time);
      g_array_append_val (values, self->live_equity);
    }

  bourse_equity_chart_set_points (self->equity_chart, (gint64 *) times->data,
                                  (double *) values->data, times->len);
}

static void
bourse_portfolio_page_apply_summary (BoursePortfolioPage *self,
                                     JsonObject          *summary)
{
  const char *currency = bourse_json_get_string (summary, "currency");
  g_autofree char *equity = NULL;
  g_autofree char *cash = NULL;
  g_autofree char *positions = NULL;
  g_autofree char *drawdown = NULL;
  g_autofree char *peak = NULL;
  g_autofree char *tooltip = NULL;

  g_assert (BOURSE_IS_PORTFOLIO_PAGE (self));

  if (summary == NULL)
    return;

  if (currency != NULL && g_strcmp0 (currency, self->currency) != 0)
    {
      g_free (self->currency);
      self->currency = g_strdup (currency);
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->positions_list));
           row != NULL; row = gtk_widget_get_next_sibling (row))
        if (BOURSE_IS_POSITION_ROW (row))
          bourse_position_row_set_currency (BOURSE_POSITION_ROW (row), self->currency);
    }
  if (json_object_has_member (summary, "mode"))
    bourse_mode_tag_update (self->mode_tag, bourse_json_get_string (summary, "mode"));

  equity = bourse_format_money_in (bourse_json_get_string (summary, "equity"), self->currency, FALSE);
  cash = bourse_format_money_in (bourse_json_get_string (summary, "cash"), self->currency, FALSE);
  positions = bourse_format_money_in (bourse_json_get_string (summary, "positions_value"),
                                      self->currency, FALSE);
  gtk_label_set_label (self->equity_label, equity);
  if (!isnan (bourse_json_get_price (summary, "equity")))
    {
      self->live_equity = bourse_json_get_price (summary, "equity");
      self->live_time = g_get_real_time () / 1000;
      bourse_portfolio_page_show_curve (self);
    }
  gtk_label_set_label (self->cash_label, cash);
  gtk_label_set_label (self->positions_value_label, positions);
  bourse_label_set_pnl (self->today_pnl_label, bourse_json_get_string (summary, "today_pnl"),
                        self->currency);

  drawdown = bourse_format_ratio (summary, "drawdown");
  gtk_label_set_label (self->drawdown_label, drawdown);
  peak = bourse_format_money_in (bourse_json_get_string (summary, "peak_equity"), self->currency, FALSE);
  /* Translators: the highest equity the account had, the drawdown's reference */
  tooltip = g_strdup_printf (_("Highest equity: %s"), peak);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->drawdown_label), tooltip);
}

/* }}} */

/* Positions {{{ */

static GtkWidget *
bourse_portfolio_page_create_position_row (gpointer item,
                                           gpointer user_data)
{
  BoursePortfolioPage *self = user_data;

  return bourse_position_row_new (item, self->currency);
}

static gboolean
filter_open (gpointer item,
             gpointer user_data)
{
  return bourse_client_position_is_open (item);
}

/* The empty state follows the number of open positions. */
static void
bourse_portfolio_page_positions_changed_cb (BoursePortfolioPage *self)
{
  guint n_open = g_list_model_get_n_items (G_LIST_MODEL (self->sorted_positions));
  gboolean loaded = self->positions != NULL && bourse_client_store_get_n_loads (self->positions) > 0;

  bourse_empty_state_update (self->positions_empty, loaded, n_open, GTK_WIDGET (self->positions_list), NULL);
}

static void
bourse_portfolio_page_positions_loaded_cb (BoursePortfolioPage *self)
{
  adw_preferences_group_set_description (self->positions_group,
                                         _("Unrealised profit and loss at the last price"));
  bourse_portfolio_page_positions_changed_cb (self);
}

static void
bourse_portfolio_page_positions_failed_cb (BoursePortfolioPage *self,
                                           GError              *error,
                                           BourseClientStore   *store)
{
  g_debug ("Could not load the positions: %s", error->message);
  adw_preferences_group_set_description (self->positions_group, error->message);
}

/* The positions of @client's book, or none. */
static void
bourse_portfolio_page_set_positions (BoursePortfolioPage *self,
                                     BourseClient        *client)
{
  gtk_list_box_bind_model (self->positions_list, NULL, NULL, NULL, NULL);
  if (self->positions != NULL)
    g_signal_handlers_disconnect_by_data (self->positions, self);
  g_clear_object (&self->positions);
  gtk_filter_list_model_set_model (self->open_positions, NULL);

  if (client != NULL)
    {
      self->positions = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_POSITION,
                                                 "/api/v1/positions", "positions");
      /* A position the topic says is closed (quantity 0) leaves the list;
       * one opened again in the same symbol is the same object, and comes
       * back. */
      bourse_filter_follow_property (GTK_FILTER (self->open_filter), G_LIST_MODEL (self->positions), "quantity");
      g_signal_connect_object (self->positions, "notify::n-loads",
                               G_CALLBACK (bourse_portfolio_page_positions_loaded_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->positions, "failed",
                               G_CALLBACK (bourse_portfolio_page_positions_failed_cb), self, G_CONNECT_SWAPPED);
      gtk_filter_list_model_set_model (self->open_positions, G_LIST_MODEL (self->positions));
      gtk_list_box_bind_model (self->positions_list, G_LIST_MODEL (self->sorted_positions),
                               bourse_portfolio_page_create_position_row, self, NULL);
    }

  bourse_portfolio_page_positions_changed_cb (self);
}

/* }}} */

/* Balances {{{ */

static void
bourse_portfolio_page_clear_rows (BoursePortfolioPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
new_value_label (const char *name)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, name);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

/* The balances as GET /api/v1/portfolio lists them: they have no list
 * route of their own for a store to read, and each change of one comes
 * with a summary to read again anyway. */
static void
bourse_portfolio_page_apply_balances (BoursePortfolioPage *self,
                                      JsonArray           *balances)
{
  guint n_balances = 0;

  g_assert (BOURSE_IS_PORTFOLIO_PAGE (self));

  bourse_portfolio_page_clear_rows (self);

  for (guint i = 0; balances != NULL && i < json_array_get_length (balances); i++)
    {
      JsonNode *node = json_array_get_element (balances, i);
      JsonObject *balance = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *asset = bourse_json_get_string (balance, "asset");
      g_autofree char *name = NULL;
      g_autofree char *free_text = NULL;
      g_autofree char *locked = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *label;

      if (asset == NULL)
        continue;

      row = adw_action_row_new ();
      name = g_strdup_printf ("balance-row-%s", asset);
      gtk_widget_set_name (row, name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), asset);
      free_text = bourse_format_price (bourse_json_get_string (balance, "free"));
      locked = bourse_format_price (bourse_json_get_string (balance, "locked"));
      /* Translators: what of a balance is locked by open orders */
      subtitle = g_strdup_printf (_("%s locked by open orders"), locked);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      label = new_value_label ("free-value");
      gtk_label_set_label (GTK_LABEL (label), free_text);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

      adw_preferences_group_add (self->balances_group, row);
      g_ptr_array_add (self->rows, row);
      n_balances++;
    }

  /* None: the group is not shown (the summary says the cash). */
  gtk_widget_set_visible (GTK_WIDGET (self->balances_group), n_balances > 0);
}

/* }}} */

/* Loading {{{ */

static void
bourse_portfolio_page_load_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BoursePortfolioPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *portfolio;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("Could not load the portfolio: %s", error->message);
          adw_preferences_group_set_description (self->balances_group, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->balances_group), TRUE);
        }
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (answer))
    return;

  portfolio = json_node_get_object (answer);
  bourse_portfolio_page_apply_summary (self, portfolio);
  bourse_portfolio_page_apply_balances (self, bourse_json_get_array (portfolio, "balances"));
  adw_preferences_group_set_description (self->balances_group, _("Free, and locked by open orders"));
  self->n_loads++;
}

static void
bourse_portfolio_page_equity_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(BoursePortfolioPage) self = user_data;
  GArray *times = self->curve_times;
  GArray *values = self->curve_values;
  JsonArray *items;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the equity curve",
                                                            "items", &items);

  if (answer == NULL)
    return;

  g_array_set_size (times, 0);
  g_array_set_size (values, 0);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *point = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autoptr(GDateTime) time = NULL;
      const char *stamp = bourse_json_get_string (point, "time");
      gint64 ms;
      double equity = bourse_json_get_price (point, "equity");

      if (stamp == NULL || !(time = g_date_time_new_from_iso8601 (stamp, NULL)))
        continue;
      ms = g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000;
      g_array_append_val (times, ms);
      g_array_append_val (values, equity);
    }

  bourse_portfolio_page_show_curve (self);
}

/* The display zone's IANA name for the calendar's days (Preferences), or UTC. */
static char *
dup_display_zone_name (void)
{
  const char *identifier = g_time_zone_get_identifier (bourse_settings_get_time_zone ());

  if (identifier == NULL || identifier[0] == '/' || identifier[0] == ':' || identifier[0] == '\0')
    return g_strdup ("UTC");
  return g_strdup (identifier);
}

static void
bourse_portfolio_page_calendar_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BoursePortfolioPage) self = user_data;
  JsonArray *days;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the calendar",
                                                            "days", &days);

  if (answer == NULL)
    return;

  for (guint i = 0; days != NULL && i < json_array_get_length (days); i++)
    {
      JsonNode *node = json_array_get_element (days, i);
      JsonObject *day = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *date = bourse_json_get_string (day, "date");
      g_autofree char *pnl = bourse_format_money_in (bourse_json_get_string (day, "net_pnl"),
                                                     self->currency, TRUE);
      g_autofree char *text = NULL;
      gint64 trades = 0;

      if (date == NULL)
        continue;

      bourse_json_get_int (day, "trades", &trades);
      /* Translators: a day's net profit or loss, then how many trades closed */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d trade", "%s, %d trades",
                                           (gulong) trades),
                              pnl, (int) trades);
      bourse_pnl_calendar_set_day (self->calendar, date, bourse_json_get_price (day, "net_pnl"), text);
    }
}

static void
bourse_portfolio_page_load_history (BoursePortfolioPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, -EQUITY_DAYS);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (now, bourse_settings_get_time_zone ());
  g_autofree char *start_text = g_date_time_format_iso8601 (start);
  g_autofree char *end_text = g_date_time_format_iso8601 (now);
  g_autofree char *zone = dup_display_zone_name ();
  g_autofree char *equity_path = NULL;
  g_autofree char *calendar_path = NULL;
  g_autofree char *start_escaped = g_uri_escape_string (start_text, NULL, FALSE);
  g_autofree char *end_escaped = g_uri_escape_string (end_text, NULL, FALSE);
  g_autofree char *zone_escaped = g_uri_escape_string (zone, NULL, FALSE);

  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);

  if (self->client == NULL)
    return;

  self->history_cancellable = g_cancellable_new ();
  equity_path = g_strdup_printf ("/api/v1/portfolio/equity?start=%s&end=%s&interval=1h",
                                 start_escaped, end_escaped);
  bourse_client_get_json_async (self->client, equity_path, self->history_cancellable,
                                bourse_portfolio_page_equity_cb, g_object_ref (self));

  bourse_pnl_calendar_set_year (self->calendar, g_date_time_get_year (local));
  calendar_path = g_strdup_printf ("/api/v1/portfolio/calendar?year=%d&tz=%s",
                                   g_date_time_get_year (local), zone_escaped);
  bourse_client_get_json_async (self->client, calendar_path, self->history_cancellable,
                                bourse_portfolio_page_calendar_cb, g_object_ref (self));
}

/* The summary and the balances. */
static void
bourse_portfolio_page_load_summary (BoursePortfolioPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, "/api/v1/portfolio", self->cancellable,
                                bourse_portfolio_page_load_cb, g_object_ref (self));
}

void
bourse_portfolio_page_reload (BoursePortfolioPage *self)
{
  g_return_if_fail (BOURSE_IS_PORTFOLIO_PAGE (self));

  bourse_portfolio_page_load_summary (self);
  /* The other book's positions, after a change of mode. */
  if (self->positions != NULL)
    bourse_client_store_reload (self->positions);
}

static gboolean
bourse_portfolio_page_reload_idle_cb (gpointer data)
{
  BoursePortfolioPage *self = data;

  self->reload_queued = FALSE;
  bourse_portfolio_page_load_summary (self);
  return G_SOURCE_REMOVE;
}

/* A burst of events (a fill moves a balance and closes a trade at once)
 * asks once. */
static void
bourse_portfolio_page_queue_reload (BoursePortfolioPage *self)
{
  if (self->reload_queued)
    return;

  self->reload_queued = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, bourse_portfolio_page_reload_idle_cb,
                   g_object_ref (self), g_object_unref);
}

static gboolean
is_our_topic (const char *topic)
{
  return g_strv_contains ((const char * const *) topics, topic);
}

static void
bourse_portfolio_page_event_cb (BoursePortfolioPage *self,
                                const char          *topic,
                                gint64               seq,
                                JsonNode            *data,
                                BourseClient        *client)
{
  g_assert (BOURSE_IS_PORTFOLIO_PAGE (self));

  if (!is_our_topic (topic))
    return;

  if (g_str_equal (topic, "portfolio") && JSON_NODE_HOLDS_OBJECT (data))
    {
      bourse_portfolio_page_apply_summary (self, json_node_get_object (data));
      return;
    }

  /* Balances: the summary again, consistent (the positions' store follows
   * its own topic). A closed trade changes the day's figures too. */
  bourse_portfolio_page_queue_reload (self);
  if (g_str_equal (topic, "trades"))
    bourse_portfolio_page_load_history (self);
}

static void
bourse_portfolio_page_resync_cb (BoursePortfolioPage *self,
                                 const char          *topic,
                                 BourseClient        *client)
{
  g_assert (BOURSE_IS_PORTFOLIO_PAGE (self));

  if (is_our_topic (topic))
    bourse_portfolio_page_queue_reload (self);
}

/* }}} */

BourseClient *
bourse_portfolio_page_get_client (BoursePortfolioPage *self)
{
  g_return_val_if_fail (BOURSE_IS_PORTFOLIO_PAGE (self), NULL);

  return self->client;
}

static void
bourse_portfolio_page_unfollow (BoursePortfolioPage *self)
{
  if (self->client == NULL)
    return;

  for (guint i = 0; topics[i] != NULL; i++)
    bourse_client_unsubscribe (self->client, topics[i]);
}

void
bourse_portfolio_page_set_client (BoursePortfolioPage *self,
                                  BourseClient        *client)
{
  g_return_if_fail (BOURSE_IS_PORTFOLIO_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  bourse_portfolio_page_unfollow (self);
  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);

  g_array_set_size (self->curve_times, 0);
  g_array_set_size (self->curve_values, 0);
  self->live_equity = NAN;
  bourse_portfolio_page_show_curve (self);
  self->n_loads = 0;
  bourse_portfolio_page_apply_balances (self, NULL);
  bourse_portfolio_page_set_positions (self, client);

  if (client != NULL)
    for (guint i = 0; topics[i] != NULL; i++)
      bourse_client_subscribe (client, topics[i]);

  bourse_portfolio_page_update_permissions (self);
  bourse_portfolio_page_load_summary (self);
  bourse_portfolio_page_load_history (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
bourse_portfolio_page_update_permissions (BoursePortfolioPage *self)
{
  g_return_if_fail (BOURSE_IS_PORTFOLIO_PAGE (self));

  gtk_widget_set_visible (self->new_order_button,
                          self->client != NULL && bourse_client_has_permission (self->client, "orders.write"));
}

guint
bourse_portfolio_page_get_n_loads (BoursePortfolioPage *self)
{
  g_return_val_if_fail (BOURSE_IS_PORTFOLIO_PAGE (self), 0);

  return self->n_loads;
}

BourseClientStore *
bourse_portfolio_page_get_positions (BoursePortfolioPage *self)
{
  g_return_val_if_fail (BOURSE_IS_PORTFOLIO_PAGE (self), NULL);

  return self->positions;
}

static void
bourse_portfolio_page_dispose (GObject *object)
{
  BoursePortfolioPage *self = (BoursePortfolioPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->history_cancellable);
  g_clear_object (&self->history_cancellable);

  bourse_portfolio_page_unfollow (self);
  if (self->positions_list != NULL)
    gtk_list_box_bind_model (self->positions_list, NULL, NULL, NULL, NULL);
  if (self->positions != NULL)
    g_signal_handlers_disconnect_by_data (self->positions, self);
  g_clear_object (&self->positions);
  if (self->sorted_positions != NULL)
    g_signal_handlers_disconnect_by_data (self->sorted_positions, self);
  g_clear_object (&self->sorted_positions);
  g_clear_object (&self->open_positions);
  g_clear_object (&self->open_filter);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  if (self->rows != NULL)
    g_ptr_array_set_size (self->rows, 0);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_PORTFOLIO_PAGE);

  G_OBJECT_CLASS (bourse_portfolio_page_parent_class)->dispose (object);
}

static void
bourse_portfolio_page_finalize (GObject *object)
{
  BoursePortfolioPage *self = (BoursePortfolioPage *)object;

  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->curve_times, g_array_unref);
  g_clear_pointer (&self->curve_values, g_array_unref);

  G_OBJECT_CLASS (bourse_portfolio_page_parent_class)->finalize (object);
}

static void
bourse_portfolio_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BoursePortfolioPage *self = BOURSE_PORTFOLIO_PAGE (object);

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
bourse_portfolio_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BoursePortfolioPage *self = BOURSE_PORTFOLIO_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_portfolio_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_portfolio_page_class_init (BoursePortfolioPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_portfolio_page_dispose;
  object_class->finalize = bourse_portfolio_page_finalize;
  object_class->get_property = bourse_portfolio_page_get_property;
  object_class->set_property = bourse_portfolio_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);


  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-portfolio-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, mode_tag);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, new_order_button);
  bourse_page_class_bind_header_actions (widget_class);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, equity_label);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, cash_label);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, positions_value_label);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, today_pnl_label);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, drawdown_label);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, equity_chart);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, positions_group);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, positions_empty);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, positions_list);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, balances_group);
  gtk_widget_class_bind_template_child (widget_class, BoursePortfolioPage, calendar);

  g_type_ensure (BOURSE_TYPE_EQUITY_CHART);
  g_type_ensure (BOURSE_TYPE_PNL_CALENDAR);
}

static void
bourse_portfolio_page_init (BoursePortfolioPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bourse_page_init_header_actions (GTK_WIDGET (self), BOURSE_TYPE_PORTFOLIO_PAGE, NULL, NULL);

  /* AdwPreferencesPage:name shadows the widget's own name in templates. */
  gtk_widget_set_name (GTK_WIDGET (self), "portfolio-page");

  self->rows = g_ptr_array_new ();
  self->curve_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->curve_values = g_array_new (FALSE, FALSE, sizeof (double));
  self->live_equity = NAN;

  /* Open positions by symbol: the API's order, where the topic's new ones
   * would come first. */
  self->open_filter = gtk_custom_filter_new (filter_open, NULL, NULL);
  self->open_positions = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->open_filter)));
  self->sorted_positions =
    gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->open_positions)),
                             GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (BOURSE_TYPE_CLIENT_POSITION,
                                                                                             NULL, "symbol"))));
  /* After the list box has made or dropped the rows. */
  g_signal_connect_object (self->sorted_positions, "items-changed",
                           G_CALLBACK (bourse_portfolio_page_positions_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  /* Every event: the callbacks keep the page's topics. */
  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event",
                                 G_CALLBACK (bourse_portfolio_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync",
                                 G_CALLBACK (bourse_portfolio_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);

  bourse_portfolio_page_apply_balances (self, NULL);
  bourse_portfolio_page_positions_changed_cb (self);
}

GtkWidget *
bourse_portfolio_page_new (void)
{
  return g_object_new (BOURSE_TYPE_PORTFOLIO_PAGE, NULL);
}
