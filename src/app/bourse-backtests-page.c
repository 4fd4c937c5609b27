/* bourse-backtests-page.c — backtests: run one, follow it, read its result
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything goes through the API of docs/BACKTESTS.md: the form posts to
 * /api/v1/backtests, the run is followed as a BourseClientJob the jobs topic
 * keeps (the page binds its progress bar to it through notify), and
 * a result is GET /api/v1/backtests/{id} with its trades drawn on the
 * instrument's candles. The lists of runs are BourseClientStores live on
 * the backtests and optimisations topics, their rows BourseBacktestRows;
 * the jobs topic gives the listed backtests their progress.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "client/bourse-client-store.h"
#include "core/bourse-decimal.h"

#include "bourse-app-util.h"
#include "bourse-backtest-row.h"
#include "bourse-backtests-page.h"
#include "bourse-candle-chart.h"
#include "bourse-desk-util.h"
#include "bourse-desktop-settings.h"
#include "bourse-equity-chart.h"
#include "bourse-markets-page.h"
#include "bourse-mini-chart.h"
#include "bourse-optimisation-view.h"
#include "bourse-param-form.h"
#include "bourse-trading-util.h"

#define JOBS_TOPIC      "jobs"
#define BACKTESTS_TOPIC "backtests"
#define OPTIMISATIONS_TOPIC "optimisations"
/* The lists' first page: newer runs come on top from their topics. */
#define BACKTESTS_PATH      "/api/v1/backtests?limit=100"
#define OPTIMISATIONS_PATH  "/api/v1/optimisations?limit=100"
/* The result's chart reads at most this many candles of the window, in
 * pages of the API's largest (5000): the trades of a longer window are
 * still listed, and marked where the candles reach. */
#define CHART_PAGE      5000
#define CHART_MAX       20000

static const char * const exits[] = { "both", "signals", "levels" };
static const char * const methods[] = { "grid", "random" };
static const char * const objectives[] = { "sharpe", "sortino", "calmar", "profit", "profit_factor" };

typedef enum {
  METRIC_PERCENT,
  METRIC_RATIO,
  METRIC_COUNT,
  METRIC_DURATION,
  METRIC_AMOUNT,
  METRIC_MONEY,
} MetricKind;

static const struct {
  const char *id;
  const char *title;
  MetricKind  kind;
} metrics[] = {
  { "total_return", N_("Total Return"), METRIC_PERCENT },
  { "buy_and_hold_return", N_("Buy and Hold"), METRIC_PERCENT },
  { "annualised_return", N_("Annualised Return"), METRIC_PERCENT },
  { "max_drawdown", N_("Maximum Drawdown"), METRIC_PERCENT },
  { "max_drawdown_duration_ms", N_("Longest Drawdown"), METRIC_DURATION },
  { "volatility", N_("Volatility (annualised)"), METRIC_PERCENT },
  { "sharpe", N_("Sharpe Ratio"), METRIC_RATIO },
  { "sortino", N_("Sortino Ratio"), METRIC_RATIO },
  { "calmar", N_("Calmar Ratio"), METRIC_RATIO },
  { "trades", N_("Closed Trades"), METRIC_COUNT },
  { "win_rate", N_("Win Rate"), METRIC_PERCENT },
  { "profit_factor", N_("Profit Factor"), METRIC_RATIO },
  { "expectancy", N_("Expectancy per Trade"), METRIC_AMOUNT },
  { "exposure", N_("Time in the Market"), METRIC_PERCENT },
  { "average_duration_ms", N_("Average Trade Duration"), METRIC_DURATION },
  { "fees", N_("Fees Paid"), METRIC_MONEY },
};

struct _BourseBacktestsPage
{
  AdwPreferencesPage   parent_instance;

  BourseClient        *client;
  GCancellable        *load_cancellable;   /* the types and the instruments */
  GCancellable        *cancellable;        /* actions; cancelled with the client */
  GCancellable        *result_cancellable; /* the backtest shown and its candles */
  gboolean             can_run;
  gboolean             subscribed;
  gboolean             busy;               /* a POST in flight */

  GPtrArray           *types;              /* JsonObject, in the strategy combo's order */
  char                *form_type;
  BourseParamForm     *params;
  gboolean             shown;              /* once: the form is built from then on */
  GtkStringList       *symbols;
  BourseClientStore   *backtests;          /* BourseClientBacktest, live on "backtests" */
  BourseClientStore   *optimisations;      /* BourseClientOptimisation, live on "optimisations" */

  BourseClientJob     *job;                /* the run followed, or NULL */
  gint64               running_id;         /* its backtest or optimisation */
  gboolean             running_search;     /* an optimisation */
  gint64               shown_id;           /* the backtest shown */
  gint64               shown_search_id;    /* the optimisation shown */
  gboolean             can_apply;          /* strategies.write */
  GPtrArray           *space_rows;         /* AdwExpanderRow, one per numeric parameter */
  GArray              *chart_candles;      /* BourseChartCandle, while loading */

  GPtrArray           *metric_rows;
  GPtrArray           *trade_rows;
  GPtrArray           *error_rows;         /* rows marked by the last 422 */

  GtkListBox          *backtest_list;
  GtkListBox          *optimisation_list;
  GtkWidget           *list_group;
  GtkWidget           *opt_list_group;
  GtkWidget           *runs_empty;         /* the group of runs_empty_page */
  AdwStatusPage       *runs_empty_page;
  AdwPreferencesGroup *opt_result_group;
  BourseOptimisationView *opt_view;
  AdwPreferencesGroup *space_group;
  AdwPreferencesGroup *search_group;
  GtkToggleButton     *optimise_toggle;
  AdwComboRow         *method_row;
  AdwEntryRow         *samples_row;
  AdwComboRow         *objective_row;
  AdwEntryRow         *min_trades_row;
  AdwExpanderRow      *walk_forward_row;
  AdwEntryRow         *folds_row;
  AdwEntryRow         *train_row;
  AdwPreferencesGroup *result_group;
  AdwPreferencesGroup *metrics_group;
  AdwPreferencesGroup *trades_group;
  AdwPreferencesGroup *form_group;
  AdwPreferencesGroup *params_group;
  AdwPreferencesGroup *settings_group;
  AdwActionRow        *summary_row;
  GtkLabel            *status_label;
  AdwEntryRow         *note_row;
  BourseEquityChart   *equity_chart;
  BourseEquityChart   *drawdown_chart;
  BourseCandleChart   *candle_chart;
  AdwComboRow         *strategy_row;
  AdwComboRow         *symbol_row;
  AdwComboRow         *interval_row;
  AdwEntryRow         *start_row;
  AdwEntryRow         *end_row;
  AdwEntryRow         *cash_row;
  AdwEntryRow         *fee_row;
  AdwEntryRow         *slippage_row;
  AdwEntryRow         *stake_row;
  AdwComboRow         *exits_row;
  AdwActionRow        *short_row;
  GtkSwitch           *short_switch;
  AdwEntryRow         *run_note_row;
  GtkLabel            *error_label;
  GtkWidget           *progress_box;
  GtkProgressBar      *progress_bar;
  GtkWidget           *cancel_button;
  GtkWidget           *run_button;
};

G_DEFINE_FINAL_TYPE (BourseBacktestsPage, bourse_backtests_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CAN_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void bourse_backtests_page_bind_lists (BourseBacktestsPage *self);
static void bourse_backtests_page_form_changed_cb (BourseBacktestsPage *self,
                                                   GtkEditable         *editable);

/* Helpers {{{ */

static void
remove_rows (GPtrArray *rows)
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

static void
add_row (AdwPreferencesGroup *group,
         GPtrArray           *rows,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

static const char *
selected_string (AdwComboRow *row)
{
  GObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static gint64
parse_time (const char *rfc3339)
{
  g_autoptr(GDateTime) time = rfc3339 ? g_date_time_new_from_iso8601 (rfc3339, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000 : -1;
}

static char *
format_duration (double ms)
{
  double hours = ms / 3600000.0;

  if (!isfinite (ms) || ms < 0)
    return g_strdup ("—");
  if (hours >= 24)
    return g_strdup_printf (_("%.1f days"), hours / 24);
  if (hours >= 1)
    return g_strdup_printf (_("%.1f hours"), hours);
  return g_strdup_printf (_("%.0f minutes"), ms / 60000.0);
}

/* A metric as people read it; NULL means infinite (a profit factor
 * without losses). */
static char *
format_metric (JsonObject *object,
               const char *member,
               MetricKind  kind)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;
  double value = 0;

  if (node == NULL)
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("∞");

  switch (kind)
    {
    case METRIC_PERCENT:
      return bourse_format_ratio (object, member);
    case METRIC_MONEY:
      return bourse_format_money (bourse_json_get_string (object, member), FALSE);
    case METRIC_COUNT:
      {
        gint64 count = 0;

        bourse_json_get_int (object, member, &count);
        return g_strdup_printf ("%" PRId64, count);
      }
    case METRIC_DURATION:
      bourse_json_get_double (object, member, &value);
      return format_duration (value);
    case METRIC_AMOUNT:
      bourse_json_get_double (object, member, &value);
      return g_strdup_printf ("%.2f", value);
    case METRIC_RATIO:
    default:
      bourse_json_get_double (object, member, &value);
      return g_strdup_printf ("%.2f", value);
    }
}

/* A percentage typed by people as the fraction the API takes: exact,
 * "0.1" % is "0.001". */
static char *
percent_to_fraction (const char *text)
{
  BourseDecimal value, hundred, fraction;

  if (!bourse_decimal_parse (text, &value, NULL) ||
      !bourse_decimal_from_int (100, &hundred, NULL) ||
      !bourse_decimal_div (value, hundred, BOURSE_ROUND_HALF_EVEN, &fraction, NULL))
    return NULL;

  return bourse_decimal_to_string_trimmed (fraction);
}

static char *
dup_stripped (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static JsonObject *
answer_object (JsonNode *answer)
{
  return answer != NULL && JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
}

/* }}} */

/* The form {{{ */

static JsonObject *
bourse_backtests_page_get_type_object (BourseBacktestsPage *self)
{
  guint selected = adw_combo_row_get_selected (self->strategy_row);

  return selected < self->types->len ? g_ptr_array_index (self->types, selected) : NULL;
}

static const char *
bourse_backtests_page_type_name (BourseBacktestsPage *self,
                                 const char          *id)
{
  for (guint i = 0; i < self->types->len; i++)
    {
      JsonObject *type = g_ptr_array_index (self->types, i);

      if (g_strcmp0 (bourse_json_get_string (type, "id"), id) == 0)
        return bourse_client_local_text (bourse_json_get_string (type, "name")) ?: id;
    }

  return id;
}

static void
bourse_backtests_page_update_actions (BourseBacktestsPage *self)
{
  gboolean ready;

  ready = self->client != NULL && self->can_run && !self->busy && self->job == NULL &&
          bourse_backtests_page_get_type_object (self) != NULL &&
          selected_string (self->symbol_row) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.run", ready);
  gtk_button_set_label (GTK_BUTTON (self->run_button),
                        gtk_toggle_button_get_active (self->optimise_toggle)
                        ? _("_Run Optimisation") : _("_Run Backtest"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.cancel",
                                 self->client != NULL && self->job != NULL);
}

/* A text the row starts with: a parameter's default or bound. */
static char *
schema_number (JsonObject *property,
               const char *member,
               const char *fallback)
{
  JsonNode *node = property != NULL ? json_object_get_member (property, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return g_strdup (fallback);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" PRId64, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", json_node_get_double (node)));
    }
  return g_strdup (fallback);
}

static GtkWidget *
space_entry (AdwExpanderRow *parent,
             const char     *name,
             const char     *bound,
             const char     *title,
             const char     *text,
             gpointer        self)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *row_name = g_strdup_printf ("space-%s-%s", name, bound);

  gtk_widget_set_name (row, row_name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_connect_object (row, "changed", G_CALLBACK (bourse_backtests_page_form_changed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_expander_row_add_row (parent, row);
  return row;
}

/* A row per numeric parameter, off: switched on, it is searched from
 * its minimum to its maximum by its step. */
static void
bourse_backtests_page_build_space (BourseBacktestsPage *self,
                                   JsonObject          *schema)
{
  JsonObject *props = bourse_json_get_object (schema, "properties");
  g_autoptr(GList) names = props != NULL ? json_object_get_members (props) : NULL;

  remove_rows (self->space_rows);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonObject *property = bourse_json_get_object (props, name);
      const char *type = bourse_json_get_string (property, "type");
      gboolean integer = g_strcmp0 (type, "integer") == 0;
      g_autofree char *row_name = NULL;
      g_autofree char *start = NULL;
      g_autofree char *step = NULL;
      GtkWidget *row;

      if (!integer && g_strcmp0 (type, "number") != 0)
        continue;

      row = adw_expander_row_new ();
      row_name = g_strdup_printf ("space-row-%s", name);
      gtk_widget_set_name (row, row_name);
      g_object_set_data_full (G_OBJECT (row), "param", g_strdup (name), g_free);
      g_object_set_data (G_OBJECT (row), "integer", GINT_TO_POINTER (integer));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bourse_json_get_string (property, "title") ?: name);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), name);
      adw_expander_row_set_show_enable_switch (ADW_EXPANDER_ROW (row), TRUE);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (row), FALSE);

      start = schema_number (property, "default", "1");
      step = schema_number (property, "multipleOf", integer ? "1" : "0.1");
      /* The row holds its entries by the bounds' names: space_value(). */
      g_object_set_data (G_OBJECT (row), "min",
                         space_entry (ADW_EXPANDER_ROW (row), name, "min", _("Minimum"), start, self));
      g_object_set_data (G_OBJECT (row), "max",
                         space_entry (ADW_EXPANDER_ROW (row), name, "max", _("Maximum"), start, self));
      g_object_set_data (G_OBJECT (row), "step",
                         space_entry (ADW_EXPANDER_ROW (row), name, "step", _("Step"), step, self));

      add_row (self->space_group, self->space_rows, row);
    }
}

static gboolean
bourse_backtests_page_get_searching (BourseBacktestsPage *self)
{
  return gtk_toggle_button_get_active (self->optimise_toggle);
}

/* The groups of the mode chosen: a backtest's parameters, or those of a
 * search as well. */
static void
bourse_backtests_page_update_mode (BourseBacktestsPage *self)
{
  gboolean searching = self->can_run && bourse_backtests_page_get_searching (self);

  gtk_widget_set_visible (GTK_WIDGET (self->search_group), searching);
  gtk_widget_set_visible (GTK_WIDGET (self->space_group), searching && self->space_rows->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->samples_row),
                          adw_combo_row_get_selected (self->method_row) == 1);
  adw_preferences_group_set_description (self->params_group,
                                         searching ? _("The values of the parameters not searched") : NULL);
}

static void
bourse_backtests_page_build_form (BourseBacktestsPage *self)
{
  JsonObject *type = bourse_backtests_page_get_type_object (self);
  const char *id = bourse_json_get_string (type, "id");

  /* A hidden page's form is rows nobody sees, made while the console
   * starts: it is built when the page is first shown. */
  if (!self->shown)
    return;

  if (!bourse_param_form_set_schema (self->params, id, bourse_json_get_object (type, "parameters")))
    return;

  bourse_backtests_page_build_space (self, bourse_json_get_object (type, "parameters"));
  bourse_backtests_page_update_mode (self);

  g_free (self->form_type);
  self->form_type = g_strdup (id);
  gtk_widget_set_visible (GTK_WIDGET (self->params_group),
                          self->can_run && bourse_param_form_get_n_fields (self->params) > 0);
}

static void
bourse_backtests_page_map_cb (BourseBacktestsPage *self)
{
  if (self->shown)
    return;

  self->shown = TRUE;
  bourse_backtests_page_build_form (self);
  bourse_backtests_page_update_actions (self);
}

static void
bourse_backtests_page_strategy_selected_cb (BourseBacktestsPage *self,
                                            GParamSpec          *pspec,
                                            AdwComboRow         *row)
{
  g_assert (BOURSE_IS_BACKTESTS_PAGE (self));

  bourse_backtests_page_build_form (self);
  bourse_backtests_page_update_actions (self);
}

static void
bourse_backtests_page_form_changed_cb (BourseBacktestsPage *self,
                                       GtkEditable         *editable)
{
  g_assert (BOURSE_IS_BACKTESTS_PAGE (self));

  GtkWidget *space_row = gtk_widget_get_ancestor (GTK_WIDGET (editable), ADW_TYPE_EXPANDER_ROW);

  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
  if (space_row != NULL)
    gtk_widget_remove_css_class (space_row, "error");
  bourse_backtests_page_update_actions (self);
}

static void
bourse_backtests_page_mode_toggled_cb (BourseBacktestsPage *self,
                                       GtkToggleButton     *button)
{
  g_assert (BOURSE_IS_BACKTESTS_PAGE (self));

  bourse_backtests_page_update_mode (self);
  bourse_backtests_page_update_actions (self);
}

static void
bourse_backtests_page_method_selected_cb (BourseBacktestsPage *self,
                                          GParamSpec          *pspec,
                                          AdwComboRow         *row)
{
  g_assert (BOURSE_IS_BACKTESTS_PAGE (self));

  bourse_backtests_page_update_mode (self);
}

static void
bourse_backtests_page_symbol_selected_cb (BourseBacktestsPage *self,
                                          GParamSpec          *pspec,
                                          AdwComboRow         *row)
{
  g_assert (BOURSE_IS_BACKTESTS_PAGE (self));

  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  bourse_backtests_page_update_actions (self);
}

static void
bourse_backtests_page_clear_errors (BourseBacktestsPage *self)
{
  for (guint i = 0; i < self->error_rows->len; i++)
    gtk_widget_remove_css_class (g_ptr_array_index (self->error_rows, i), "error");
  g_ptr_array_set_size (self->error_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static GtkWidget *
bourse_backtests_page_row_for_field (BourseBacktestsPage *self,
                                     const char          *field)
{
  static const struct {
    const char *field;
    gsize       offset;
  } rows[] = {
    { "strategy", G_STRUCT_OFFSET (BourseBacktestsPage, strategy_row) },
    { "symbol", G_STRUCT_OFFSET (BourseBacktestsPage, symbol_row) },
    { "interval", G_STRUCT_OFFSET (BourseBacktestsPage, interval_row) },
    { "start", G_STRUCT_OFFSET (BourseBacktestsPage, start_row) },
    { "end", G_STRUCT_OFFSET (BourseBacktestsPage, end_row) },
    { "starting_cash", G_STRUCT_OFFSET (BourseBacktestsPage, cash_row) },
    { "fee_rate", G_STRUCT_OFFSET (BourseBacktestsPage, fee_row) },
    { "slippage_bps", G_STRUCT_OFFSET (BourseBacktestsPage, slippage_row) },
    { "stake_fraction", G_STRUCT_OFFSET (BourseBacktestsPage, stake_row) },
    { "exits", G_STRUCT_OFFSET (BourseBacktestsPage, exits_row) },
    { "allow_short", G_STRUCT_OFFSET (BourseBacktestsPage, short_row) },
    { "note", G_STRUCT_OFFSET (BourseBacktestsPage, run_note_row) },
    { "space", G_STRUCT_OFFSET (BourseBacktestsPage, method_row) },
    { "method", G_STRUCT_OFFSET (BourseBacktestsPage, method_row) },
    { "samples", G_STRUCT_OFFSET (BourseBacktestsPage, samples_row) },
    { "objective", G_STRUCT_OFFSET (BourseBacktestsPage, objective_row) },
    { "min_trades", G_STRUCT_OFFSET (BourseBacktestsPage, min_trades_row) },
    { "walk_forward", G_STRUCT_OFFSET (BourseBacktestsPage, walk_forward_row) },
    { "walk_forward.folds", G_STRUCT_OFFSET (BourseBacktestsPage, folds_row) },
    { "walk_forward.train_fraction", G_STRUCT_OFFSET (BourseBacktestsPage, train_row) },
  };

  if (field == NULL)
    return NULL;

  /* space.fast, or space.fast.min: the parameter's search row. */
  if (g_str_has_prefix (field, "space."))
    {
      g_autofree char *name = g_strdup (field + strlen ("space."));
      char *dot = strchr (name, '.');

      if (dot != NULL)
        *dot = '\0';
      for (guint i = 0; i < self->space_rows->len; i++)
        if (g_strcmp0 (g_object_get_data (g_ptr_array_index (self->space_rows, i), "param"), name) == 0)
          return g_ptr_array_index (self->space_rows, i);
      return GTK_WIDGET (self->method_row);
    }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (field, rows[i].field))
      return G_STRUCT_MEMBER (GtkWidget *, self, rows[i].offset);

  return bourse_param_form_get_row (self->params, field);
}

/* The row turns red and the words go under the form, with the row's
 * title so that they make sense there. */
static void
bourse_backtests_page_show_error (BourseBacktestsPage *self,
                                  GtkWidget           *row,
                                  const char          *message)
{
  g_autofree char *text = NULL;

  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      g_ptr_array_add (self->error_rows, g_object_ref (row));
      /* Translators: a form field's title, then what is wrong with it */
      text = g_strdup_printf (_("%s: %s"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              message);
    }

  gtk_label_set_label (self->error_label, text != NULL ? text : message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
bourse_backtests_page_show_problem (BourseBacktestsPage *self,
                                    JsonNode            *problem,
                                    const GError        *error)
{
  JsonArray *errors = bourse_json_get_array (answer_object (problem), "errors");
  gboolean shown = FALSE;

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      GtkWidget *row = bourse_backtests_page_row_for_field (self, bourse_json_get_string (item, "field"));
      const char *message = bourse_json_get_string (item, "message");

      if (row == NULL || message == NULL)
        continue;

      bourse_backtests_page_show_error (self, row, message);
      if (!shown)
        bourse_widget_scroll_into_view (row);
      shown = TRUE;
    }

  if (!shown)
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);

      bourse_backtests_page_show_error (self, NULL, text);
    }
}

/* }}} */

/* Following the run {{{ */

static void bourse_backtests_page_job_changed_cb (BourseBacktestsPage *self);

/* Follows @job (a run started here), or none. */
static void
bourse_backtests_page_set_job (BourseBacktestsPage *self,
                               BourseClientJob     *job)
{
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_set_object (&self->job, job);
  if (job != NULL)
    g_signal_connect_object (job, "notify", G_CALLBACK (bourse_backtests_page_job_changed_cb),
                             self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (self->progress_box, job != NULL);
  gtk_widget_set_sensitive (self->cancel_button, TRUE);
  bourse_backtests_page_update_actions (self);
}

/* The jobs topic carries a run's progress (its record does not): the
 * listed backtest of that job takes it, whoever started it. A viewer, who
 * sees no one's jobs, has the states of the backtests topic alone. */
static void
bourse_backtests_page_set_run_progress (BourseBacktestsPage *self,
                                        BourseClientJob     *job)
{
  guint n = self->backtests != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->backtests)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BourseClientBacktest) backtest = g_list_model_get_item (G_LIST_MODEL (self->backtests), i);

      if (bourse_client_backtest_get_job_id (backtest) == bourse_client_job_get_id (job))
        {
          gboolean running = g_strcmp0 (bourse_client_job_get_status (job), "running") == 0;

          bourse_client_backtest_set_progress (backtest, running ? bourse_client_job_get_progress (job) : -1);
          return;
        }
    }
}

/* The run followed changed (the POST's answer, the topic, a resync). */
static void
bourse_backtests_page_job_changed_cb (BourseBacktestsPage *self)
{
  /* Ending, it is let go of below while it notifies. */
  g_autoptr(BourseClientJob) job = g_object_ref (self->job);
  const char *status = bourse_client_job_get_status (job);
  const char *message = bourse_client_job_get_message (job);
  const char *error = bourse_client_job_get_error (job);
  double fraction = bourse_client_job_get_fraction (job);
  g_autofree char *done = NULL;
  g_autofree char *text = NULL;

  if (status == NULL)
    return;

  bourse_backtests_page_set_run_progress (self, job);

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  done = g_strdup_printf ("%d\u00a0%%", (int) (fraction * 100));
  /* Translators: a job's state and how far it is, e.g. “Running · 40 %” */
  text = g_strdup_printf (_("%s · %s"), bourse_run_status_to_display (status), done);
  gtk_progress_bar_set_text (self->progress_bar, text);
  if (message != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_bar), message);

  if (!bourse_client_job_is_ended (job))
    return;

  /* The lists have the end from the backtests and optimisations topics. */
  bourse_backtests_page_set_job (self, NULL);

  if (g_str_equal (status, "succeeded") && self->running_search)
    bourse_backtests_page_show_optimisation (self, self->running_id);
  else if (g_str_equal (status, "succeeded"))
    bourse_backtests_page_show_backtest (self, self->running_id);
  else if (g_str_equal (status, "failed"))
    bourse_backtests_page_show_error (self, NULL, error != NULL ? error : bourse_run_status_to_display (status));
  else
    bourse_widget_show_toast (GTK_WIDGET (self),
                              self->running_search ? _("Optimisation cancelled") : _("Backtest cancelled"));
}

/* A job as an answer or the topic gives it: the run followed takes its
 * own (and no older news), a listed backtest its progress. */
static void
bourse_backtests_page_take_job (BourseBacktestsPage *self,
                                JsonNode            *node)
{
  g_autoptr(BourseClientObject) job = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  if (self->job != NULL
      && bourse_client_object_update (BOURSE_CLIENT_OBJECT (self->job), json_node_get_object (node)))
    return;
  if ((job = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_JOB, json_node_get_object (node))) != NULL)
    bourse_backtests_page_set_run_progress (self, BOURSE_CLIENT_JOB (job));
}

static void
bourse_backtests_page_job_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not follow the backtest: %s"), error->message);

          gtk_widget_set_sensitive (self->cancel_button, TRUE);
          bourse_widget_show_toast (GTK_WIDGET (self), message);
        }
      return;
    }

  bourse_backtests_page_take_job (self, answer);
}

/* What the job is now, for what the topic may not have said yet (events
 * may overtake the POST's answer) or missed. */
static void
bourse_backtests_page_fetch_job (BourseBacktestsPage *self)
{
  g_autofree char *path = NULL;

  if (self->client == NULL || self->job == NULL)
    return;

  path = g_strdup_printf ("/api/v1/jobs/%" PRId64, bourse_client_job_get_id (self->job));
  bourse_client_get_json_async (self->client, path, self->cancellable,
                                bourse_backtests_page_job_cb, g_object_ref (self));
}

static void
bourse_backtests_page_event_cb (BourseBacktestsPage *self,
                                const char          *topic,
                                gint64               seq,
                                JsonNode            *data,
                                BourseClient        *client)
{
  g_assert (BOURSE_IS_BACKTESTS_PAGE (self));

  bourse_backtests_page_take_job (self, data);
}

static void
bourse_backtests_page_resync_cb (BourseBacktestsPage *self,
                                 const char          *topic,
                                 BourseClient        *client)
{
  g_assert (BOURSE_IS_BACKTESTS_PAGE (self));

  bourse_backtests_page_fetch_job (self);
}

static void
bourse_backtests_page_hide_result (BourseBacktestsPage *self)
{
  self->shown_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->metrics_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trades_group), FALSE);
}

static void
bourse_backtests_page_hide_search (BourseBacktestsPage *self)
{
  self->shown_search_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->opt_result_group), FALSE);
  bourse_optimisation_view_set_optimisation (self->opt_view, NULL);
}

static void
bourse_backtests_page_started_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseClientObject) job = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;

  if (answer == NULL)
    {
      bourse_backtests_page_show_problem (self, problem, error);
      bourse_backtests_page_update_actions (self);
      return;
    }

  job = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_JOB,
                                            bourse_json_get_object (answer_object (answer), "job"));
  self->running_id = 0;
  self->running_search = json_object_has_member (answer_object (answer), "optimisation");
  bourse_json_get_int (bourse_json_get_object (answer_object (answer),
                                               self->running_search ? "optimisation" : "backtest"),
                       "id", &self->running_id);
  if (job == NULL || self->running_id == 0)
    {
      bourse_backtests_page_show_error (self, NULL, _("The server did not say what it started"));
      bourse_backtests_page_update_actions (self);
      return;
    }

  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  bourse_backtests_page_set_job (self, BOURSE_CLIENT_JOB (job));
  bourse_backtests_page_job_changed_cb (self);
  bourse_backtests_page_fetch_job (self);
}

/* The percentage typed in @row as the fraction @member takes; nothing
 * when empty (the server's default). FALSE, said at the row, when it is
 * not a number. */
static gboolean
bourse_backtests_page_set_fraction (BourseBacktestsPage *self,
                                    JsonObject          *body,
                                    const char          *member,
                                    AdwEntryRow         *row,
                                    const char          *hint)
{
  g_autofree char *text = dup_stripped (row);
  g_autofree char *fraction = NULL;

  if (text[0] == '\0')
    return TRUE;

  if (!(fraction = percent_to_fraction (text)))
    {
      bourse_backtests_page_show_error (self, GTK_WIDGET (row), hint);
      return FALSE;
    }

  json_object_set_string_member (body, member, fraction);
  return TRUE;
}

/* A whole number typed in @row as @member; nothing when empty. */
static gboolean
bourse_backtests_page_set_count (BourseBacktestsPage *self,
                                 JsonObject          *body,
                                 const char          *member,
                                 AdwEntryRow         *row)
{
  g_autofree char *text = dup_stripped (row);
  gint64 value;

  if (text[0] == '\0')
    return TRUE;

  if (!g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXINT32, &value, NULL))
    {
      bourse_backtests_page_show_error (self, GTK_WIDGET (row), _("Enter a whole number"));
      return FALSE;
    }

  json_object_set_int_member (body, member, value);
  return TRUE;
}

/* A bound of a searched parameter, as the JSON number it is. */
static gboolean
space_value (AdwExpanderRow *row,
             const char     *bound,
             JsonObject     *range)
{
  GtkWidget *entry = g_object_get_data (G_OBJECT (row), bound);
  g_autofree char *text = NULL;
  char *end = NULL;
  double value;

  if (entry == NULL)
    return FALSE;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "integer")))
    {
      gint64 number;

      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &number, NULL))
        return FALSE;
      json_object_set_int_member (range, bound, number);
      return TRUE;
    }

  value = g_ascii_strtod (text, &end);
  if (text[0] == '\0' || *end != '\0' || !isfinite (value))
    return FALSE;
  json_object_set_double_member (range, bound, value);
  return TRUE;
}

/* The search's members of an optimisation's request: the space of the
 * rows switched on, the method, the objective and walk-forward. */
static gboolean
bourse_backtests_page_add_search (BourseBacktestsPage *self,
                                  JsonObject          *body)
{
  g_autoptr(JsonObject) space = json_object_new ();
  guint method = adw_combo_row_get_selected (self->method_row);
  guint objective = adw_combo_row_get_selected (self->objective_row);

  for (guint i = 0; i < self->space_rows->len; i++)
    {
      AdwExpanderRow *row = g_ptr_array_index (self->space_rows, i);
      g_autoptr(JsonObject) range = NULL;

      if (!adw_expander_row_get_enable_expansion (row))
        continue;

      range = json_object_new ();
      if (!space_value (row, "min", range) || !space_value (row, "max", range) || !space_value (row, "step", range))
        {
          bourse_backtests_page_show_error (self, GTK_WIDGET (row),
                                            _("Enter numbers for the minimum, the maximum and the step"));
          return FALSE;
        }
      json_object_set_object_member (space, g_object_get_data (G_OBJECT (row), "param"),
                                     g_steal_pointer (&range));
    }

  if (json_object_get_size (space) == 0)
    {
      bourse_backtests_page_show_error (self, NULL, _("Switch on at least one parameter to search"));
      return FALSE;
    }

  json_object_set_object_member (body, "space", g_steal_pointer (&space));
  json_object_set_string_member (body, "method", methods[method < G_N_ELEMENTS (methods) ? method : 0]);
  json_object_set_string_member (body, "objective",
                                 objectives[objective < G_N_ELEMENTS (objectives) ? objective : 0]);
  if ((method == 1 && !bourse_backtests_page_set_count (self, body, "samples", self->samples_row)) ||
      !bourse_backtests_page_set_count (self, body, "min_trades", self->min_trades_row))
    return FALSE;

  if (adw_expander_row_get_enable_expansion (self->walk_forward_row))
    {
      g_autoptr(JsonObject) walk_forward = json_object_new ();

      if (!bourse_backtests_page_set_count (self, walk_forward, "folds", self->folds_row) ||
          !bourse_backtests_page_set_fraction (self, walk_forward, "train_fraction", self->train_row,
                                               _("Enter a percentage, such as 75")))
        return FALSE;
      json_object_set_object_member (body, "walk_forward", g_steal_pointer (&walk_forward));
    }

  return TRUE;
}

static void
bourse_backtests_page_run_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  BourseBacktestsPage *self = BOURSE_BACKTESTS_PAGE (widget);
  JsonObject *type = bourse_backtests_page_get_type_object (self);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *start_text = dup_stripped (self->start_row);
  g_autofree char *end_text = dup_stripped (self->end_row);
  g_autofree char *cash = dup_stripped (self->cash_row);
  g_autofree char *slippage = dup_stripped (self->slippage_row);
  g_autofree char *note = dup_stripped (self->run_note_row);
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GDateTime) end_time = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  guint exit_index = adw_combo_row_get_selected (self->exits_row);
  gboolean searching;
  gint64 start_ms, end_ms;

  if (self->client == NULL || type == NULL || selected_string (self->symbol_row) == NULL ||
      self->busy || self->job != NULL)
    return;

  bourse_backtests_page_clear_errors (self);

  /* Whole local days, the last one included. */
  if (!bourse_parse_local_day (start_text, 0, &start_ms))
    {
      bourse_backtests_page_show_error (self, GTK_WIDGET (self->start_row), _("Enter the first day as YYYY-MM-DD"));
      return;
    }
  if (!bourse_parse_local_day (end_text, 1, &end_ms))
    {
      bourse_backtests_page_show_error (self, GTK_WIDGET (self->end_row), _("Enter the last day as YYYY-MM-DD"));
      return;
    }
  start_time = g_date_time_new_from_unix_utc (start_ms / 1000);
  end_time = g_date_time_new_from_unix_utc (end_ms / 1000);
  start = g_date_time_format_iso8601 (start_time);
  end = g_date_time_format_iso8601 (end_time);

  body = json_object_new ();
  json_object_set_string_member (body, "strategy", bourse_json_get_string (type, "id"));
  json_object_set_member (body, "params", bourse_param_form_dup_params (self->params));
  json_object_set_string_member (body, "symbol", selected_string (self->symbol_row));
  json_object_set_string_member (body, "interval", selected_string (self->interval_row) ?: "1h");
  json_object_set_string_member (body, "start", start);
  json_object_set_string_member (body, "end", end);
  json_object_set_string_member (body, "exits", exits[exit_index < G_N_ELEMENTS (exits) ? exit_index : 0]);
  json_object_set_boolean_member (body, "allow_short", gtk_switch_get_active (self->short_switch));
  json_object_set_string_member (body, "note", note);

  /* As typed: the server says what is wrong with it, at its row. */
  if (cash[0] != '\0')
    json_object_set_string_member (body, "starting_cash", cash);

  if (!bourse_backtests_page_set_fraction (self, body, "fee_rate", self->fee_row,
                                           _("Enter a percentage, such as 0.1")) ||
      !bourse_backtests_page_set_fraction (self, body, "stake_fraction", self->stake_row,
                                           _("Enter a percentage, such as 50")))
    return;

  if (slippage[0] != '\0')
    {
      gint64 bps;

      if (!g_ascii_string_to_signed (slippage, 10, G_MININT32, G_MAXINT32, &bps, NULL))
        {
          bourse_backtests_page_show_error (self, GTK_WIDGET (self->slippage_row),
                                            _("Enter a whole number of basis points"));
          return;
        }
      json_object_set_int_member (body, "slippage_bps", bps);
    }

  searching = bourse_backtests_page_get_searching (self);
  if (searching && !bourse_backtests_page_add_search (self, body))
    return;

  self->busy = TRUE;
  bourse_backtests_page_update_actions (self);

  node = json_node_init_object (json_node_alloc (), body);
  bourse_client_request_json_async (self->client, "POST", searching ? "/api/v1/optimisations" : "/api/v1/backtests",
                                    node, self->cancellable, bourse_backtests_page_started_cb, g_object_ref (self));
}

static void
bourse_backtests_page_cancel_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BourseBacktestsPage *self = BOURSE_BACKTESTS_PAGE (widget);
  g_autofree char *path = NULL;

  if (self->client == NULL || self->job == NULL)
    return;

  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  path = g_strdup_printf ("/api/v1/jobs/%" PRId64 "/cancel", bourse_client_job_get_id (self->job));
  bourse_client_request_json_async (self->client, "POST", path, NULL, self->cancellable,
                                    bourse_backtests_page_job_cb, g_object_ref (self));
}

/* }}} */

/* The result {{{ */

static GtkWidget *
value_row (const char *title,
           const char *value,
           const char *name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);
  g_autofree char *label_name = g_strdup_printf ("%s-value", name);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (label, label_name);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static void
bourse_backtests_page_show_metrics (BourseBacktestsPage *self,
                                    JsonObject          *result)
{
  JsonObject *values = bourse_json_get_object (result, "metrics");
  g_autofree char *final_equity = bourse_format_money (bourse_json_get_string (result, "final_equity"), FALSE);
  g_autofree char *starting_cash = bourse_format_money (bourse_json_get_string (result, "starting_cash"), FALSE);

  remove_rows (self->metric_rows);
  if (values == NULL)
    return;

  add_row (self->metrics_group, self->metric_rows,
           value_row (_("Starting Cash"), starting_cash, "metric-starting_cash"));
  add_row (self->metrics_group, self->metric_rows,
           value_row (_("Final Equity"), final_equity, "metric-final_equity"));

  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      g_autofree char *text = format_metric (values, metrics[i].id, metrics[i].kind);
      g_autofree char *name = g_strdup_printf ("metric-%s", metrics[i].id);

      add_row (self->metrics_group, self->metric_rows, value_row (_(metrics[i].title), text, name));
    }
}

static GtkWidget *
bourse_backtests_page_create_trade_row (JsonObject *trade,
                                        guint       index)
{
  const char *side = bourse_json_get_string (trade, "side");
  const char *reason = bourse_json_get_string (trade, "exit_reason");
  g_autofree char *entry_time = bourse_format_local_time (bourse_json_get_string (trade, "entry_time"));
  g_autofree char *entry_price = bourse_format_price (bourse_json_get_string (trade, "entry_price"));
  g_autofree char *exit_time = NULL;
  g_autofree char *exit_price = NULL;
  g_autofree char *pnl = bourse_format_money (bourse_json_get_string (trade, "pnl"), TRUE);
  g_autofree char *change = bourse_format_ratio (trade, "return");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = g_strdup_printf ("trade-row-%u", index);
  const char *css_class = bourse_decimal_css_class (bourse_json_get_string (trade, "pnl"));
  g_autofree char *quantity_text = NULL;
  BourseDecimal quantity;
  gboolean open = FALSE;
  GtkWidget *row;
  GtkWidget *label;

  bourse_json_get_boolean (trade, "open", &open);

  /* Translators: a trade's direction (Long or Short) and its quantity */
  if (bourse_json_get_decimal (trade, "quantity", &quantity))
    quantity_text = bourse_decimal_to_string_trimmed (quantity);
  title = g_strdup_printf (_("%s · %s"), g_strcmp0 (side, "SHORT") == 0 ? _("Short") : _("Long"),
                           quantity_text ?: "?");
  if (open)
    /* Translators: the entry's time and price of a trade still open */
    subtitle = g_strdup_printf (_("%s at %s → still open"), entry_time, entry_price);
  else
    {
      exit_time = bourse_format_local_time (bourse_json_get_string (trade, "exit_time"));
      exit_price = bourse_format_price (bourse_json_get_string (trade, "exit_price"));
      /* Translators: entry time and price, exit time and price, and why it closed */
      subtitle = g_strdup_printf (_("%s at %s → %s at %s · %s"), entry_time, entry_price, exit_time,
                                  exit_price, bourse_exit_reason_to_display (reason));
    }

  row = adw_action_row_new ();
  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  {
    /* Translators: a trade's profit or loss and its return, e.g. “+12.50 (1.30 %)” */
    g_autofree char *text = g_strdup_printf (_("%s (%s)"), pnl, change);

    label = gtk_label_new (text);
  }
  gtk_widget_set_name (label, "trade-pnl");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

/* Entries and exits as the chart's markers: a long's entry is a buy, its
 * exit a sell; a short the other way round. */
static void
bourse_backtests_page_show_trades (BourseBacktestsPage *self,
                                   JsonArray           *trades)
{
  g_autoptr(GArray) markers = g_array_new (FALSE, FALSE, sizeof (BourseChartMarker));
  guint n = trades != NULL ? json_array_get_length (trades) : 0;

  remove_rows (self->trade_rows);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (trades, i);
      JsonObject *trade = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gboolean is_long = g_strcmp0 (bourse_json_get_string (trade, "side"), "SHORT") != 0;
      gboolean open = FALSE;
      BourseChartMarker marker;

      if (trade == NULL)
        continue;

      add_row (self->trades_group, self->trade_rows, bourse_backtests_page_create_trade_row (trade, i));

      bourse_json_get_boolean (trade, "open", &open);
      marker.time = parse_time (bourse_json_get_string (trade, "entry_time"));
      marker.price = bourse_json_get_price (trade, "entry_price");
      marker.buy = is_long;
      if (marker.time >= 0 && isfinite (marker.price))
        g_array_append_val (markers, marker);

      if (open)
        continue;
      marker.time = parse_time (bourse_json_get_string (trade, "exit_time"));
      marker.price = bourse_json_get_price (trade, "exit_price");
      marker.buy = !is_long;
      if (marker.time >= 0 && isfinite (marker.price))
        g_array_append_val (markers, marker);
    }

  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      gtk_widget_set_name (row, "no-trades-row");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No Trades"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("The strategy never entered a position"));
      gtk_widget_add_css_class (row, "dim-label");
      add_row (self->trades_group, self->trade_rows, row);
    }

  bourse_candle_chart_set_markers (self->candle_chart, (BourseChartMarker *) markers->data, markers->len);
}

static void
bourse_backtests_page_show_equity (BourseBacktestsPage *self,
                                   JsonArray           *points)
{
  guint n = points != NULL ? json_array_get_length (points) : 0;
  g_autofree gint64 *times = g_new0 (gint64, MAX (n, 1));
  g_autofree double *equity = g_new0 (double, MAX (n, 1));
  g_autofree double *hold = g_new0 (double, MAX (n, 1));
  g_autofree double *drawdown = g_new0 (double, MAX (n, 1));
  guint kept = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (points, i);
      JsonObject *point = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      double value;

      if (point == NULL || (times[kept] = parse_time (bourse_json_get_string (point, "time"))) < 0 ||
          !bourse_json_get_double (point, "equity", &equity[kept]))
        continue;
      hold[kept] = bourse_json_get_double (point, "buy_and_hold", &value) ? value : NAN;
      drawdown[kept] = bourse_json_get_double (point, "drawdown", &value) ? -value : NAN;
      kept++;
    }

  bourse_equity_chart_set_series (self->equity_chart, times, equity, hold, kept);
  bourse_equity_chart_set_points (self->drawdown_chart, times, drawdown, kept);
}

static void
bourse_backtests_page_candles_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data);

static void
bourse_backtests_page_load_candles (BourseBacktestsPage *self,
                                    const char          *symbol,
                                    const char          *interval,
                                    gint64               start,
                                    gint64               end,
                                    const char          *cursor)
{
  g_autofree char *escaped_symbol = g_uri_escape_string (symbol, NULL, FALSE);
  g_autofree char *escaped_interval = g_uri_escape_string (interval, NULL, FALSE);
  g_autofree char *escaped_cursor = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
  g_autofree char *path = NULL;

  path = g_strdup_printf ("/api/v1/market/candles/%s?interval=%s&start=%" PRId64 "&end=%" PRId64
                          "&limit=%d%s%s",
                          escaped_symbol, escaped_interval, start, end, CHART_PAGE,
                          cursor ? "&cursor=" : "", cursor ? escaped_cursor : "");

  g_object_set_data_full (G_OBJECT (self->candle_chart), "window",
                          g_strdup_printf ("%s\n%s\n%" PRId64 "\n%" PRId64, symbol, interval, start, end),
                          g_free);
  bourse_client_get_json_async (self->client, path, self->result_cancellable,
                                bourse_backtests_page_candles_cb, g_object_ref (self));
}

static void
bourse_backtests_page_candles_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  JsonArray *items;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the backtest's candles",
                                                            "items", &items);
  JsonNode *cursor;

  if (answer == NULL)
    return;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      BourseChartCandle candle;

      if (JSON_NODE_HOLDS_OBJECT (node) && bourse_chart_candle_from_json (json_node_get_object (node), &candle))
        g_array_append_val (self->chart_candles, candle);
    }

  /* The next page, while there is one and room for it. */
  cursor = json_object_get_member (answer_object (answer), "next_cursor");
  if (cursor != NULL && !JSON_NODE_HOLDS_NULL (cursor) && self->chart_candles->len < CHART_MAX &&
      items != NULL && json_array_get_length (items) > 0)
    {
      const char *window = g_object_get_data (G_OBJECT (self->candle_chart), "window");
      g_auto(GStrv) parts = g_strsplit (window, "\n", 4);
      g_autofree char *next = NULL;

      if (JSON_NODE_HOLDS_VALUE (cursor) && json_node_get_value_type (cursor) == G_TYPE_STRING)
        next = g_strdup (json_node_get_string (cursor));
      else
        next = g_strdup_printf ("%" PRId64, json_node_get_int (cursor));

      bourse_backtests_page_load_candles (self, parts[0], parts[1], g_ascii_strtoll (parts[2], NULL, 10),
                                          g_ascii_strtoll (parts[3], NULL, 10), next);
      return;
    }

  bourse_candle_chart_set_candles (self->candle_chart, (BourseChartCandle *) self->chart_candles->data,
                                   self->chart_candles->len);
  /* The whole window at first, as far as the zoom goes: the trades are
   * spread over it. */
  bourse_candle_chart_set_candle_width (self->candle_chart, 0.01);
  g_array_set_size (self->chart_candles, 0);
}

static void
bourse_backtests_page_apply_backtest (BourseBacktestsPage *self,
                                      JsonObject          *backtest)
{
  JsonObject *result = bourse_json_get_object (backtest, "result");
  JsonObject *request = bourse_json_get_object (backtest, "request");
  const char *status = bourse_json_get_string (backtest, "status");
  const char *error = bourse_json_get_string (backtest, "error");
  const char *symbol = bourse_json_get_string (backtest, "symbol");
  const char *interval = bourse_json_get_string (backtest, "interval");
  g_autofree char *params = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *start_day = bourse_format_local_day (bourse_json_get_string (backtest, "start"));
  g_autofree char *end_day = bourse_format_local_day (bourse_json_get_string (backtest, "end"));
  gint64 id = 0, start, end;

  bourse_json_get_int (backtest, "id", &id);

  params = bourse_format_params (bourse_json_get_object (request, "params"));

  /* Translators: a backtest's number */
  title = g_strdup_printf (_("Backtest #%" PRId64), id);
  adw_preferences_group_set_title (self->result_group, title);
  /* Translators: a strategy, an instrument, an interval, the first and the last day */
  subtitle = g_strdup_printf (_("%s · %s · %s · %s to %s"),
                              bourse_backtests_page_type_name (self, bourse_json_get_string (backtest, "strategy")) ?: "?",
                              symbol ?: "?", interval ?: "?", start_day, end_day);
  adw_preferences_group_set_description (self->result_group, subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), params);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->summary_row), error ?: "");
  gtk_label_set_label (self->status_label, bourse_run_status_to_display (status));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  if (g_strcmp0 (status, "failed") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");

  gtk_editable_set_text (GTK_EDITABLE (self->note_row), bourse_json_get_string (backtest, "note") ?: "");
  gtk_editable_set_editable (GTK_EDITABLE (self->note_row), self->can_run);

  bourse_backtests_page_show_metrics (self, result);
  bourse_backtests_page_show_trades (self, bourse_json_get_array (result, "trades"));
  bourse_backtests_page_show_equity (self, bourse_json_get_array (result, "equity"));

  bourse_backtests_page_hide_search (self);
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->metrics_group), result != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->trades_group), result != NULL);

  g_array_set_size (self->chart_candles, 0);
  bourse_candle_chart_set_candles (self->candle_chart, NULL, 0);
  start = parse_time (bourse_json_get_string (backtest, "start"));
  end = parse_time (bourse_json_get_string (backtest, "end"));
  if (result != NULL && symbol != NULL && interval != NULL && start >= 0 && end > start)
    /* The window's candles: [start, end), as the backtest read them. */
    bourse_backtests_page_load_candles (self, symbol, interval, start, end - 1, NULL);

  self->shown_id = id;
}

static void
bourse_backtests_page_backtest_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not load the backtest: %s"), error->message);

          bourse_widget_show_toast (GTK_WIDGET (self), message);
        }
      return;
    }

  if (answer_object (answer) != NULL)
    {
      bourse_backtests_page_apply_backtest (self, answer_object (answer));
      bourse_widget_scroll_into_view (GTK_WIDGET (self->result_group));
    }
}

void
bourse_backtests_page_show_backtest (BourseBacktestsPage *self,
                                     gint64               id)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BOURSE_IS_BACKTESTS_PAGE (self));

  g_cancellable_cancel (self->result_cancellable);
  g_clear_object (&self->result_cancellable);

  if (self->client == NULL || id <= 0)
    return;

  self->result_cancellable = g_cancellable_new ();
  path = g_strdup_printf ("/api/v1/backtests/%" PRId64, id);
  bourse_client_get_json_async (self->client, path, self->result_cancellable,
                                bourse_backtests_page_backtest_cb, g_object_ref (self));
}

static void
bourse_backtests_page_optimisation_cb (GObject      *object,
                                       GAsyncResult *result,
                                       gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *optimisation;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *start_day = NULL;
  g_autofree char *end_day = NULL;
  gint64 id = 0;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not load the optimisation: %s"), error->message);

          bourse_widget_show_toast (GTK_WIDGET (self), message);
        }
      return;
    }

  if ((optimisation = answer_object (answer)) == NULL)
    return;

  bourse_json_get_int (optimisation, "id", &id);
  start_day = bourse_format_local_day (bourse_json_get_string (optimisation, "start"));
  end_day = bourse_format_local_day (bourse_json_get_string (optimisation, "end"));
  /* Translators: an optimisation's number */
  title = g_strdup_printf (_("Optimisation #%" PRId64), id);
  adw_preferences_group_set_title (self->opt_result_group, title);
  /* Translators: a strategy, an instrument, an interval, the first and the last day, the state */
  subtitle = g_strdup_printf (_("%s · %s · %s · %s to %s · %s"),
                              bourse_backtests_page_type_name (self, bourse_json_get_string (optimisation, "strategy")) ?: "?",
                              bourse_json_get_string (optimisation, "symbol") ?: "?",
                              bourse_json_get_string (optimisation, "interval") ?: "?", start_day, end_day,
                              bourse_run_status_to_display (bourse_json_get_string (optimisation, "status")));
  adw_preferences_group_set_description (self->opt_result_group, subtitle);

  bourse_backtests_page_hide_result (self);
  bourse_optimisation_view_set_optimisation (self->opt_view, optimisation);
  gtk_widget_set_visible (GTK_WIDGET (self->opt_result_group), TRUE);
  self->shown_search_id = id;
  bourse_widget_scroll_into_view (GTK_WIDGET (self->opt_result_group));
}

void
bourse_backtests_page_show_optimisation (BourseBacktestsPage *self,
                                         gint64               id)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BOURSE_IS_BACKTESTS_PAGE (self));

  g_cancellable_cancel (self->result_cancellable);
  g_clear_object (&self->result_cancellable);

  if (self->client == NULL || id <= 0)
    return;

  self->result_cancellable = g_cancellable_new ();
  path = g_strdup_printf ("/api/v1/optimisations/%" PRId64, id);
  bourse_client_get_json_async (self->client, path, self->result_cancellable,
                                bourse_backtests_page_optimisation_cb, g_object_ref (self));
}

/* The answer of a change; NULL once a toast said why it failed (after
 * @what), or for a cancel, which *cancelled then says. */
static JsonNode *
bourse_backtests_page_finish (BourseBacktestsPage *self,
                              GObject             *client,
                              GAsyncResult        *result,
                              const char          *what,
                              gboolean            *cancelled)
{
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (client), result, &problem, &error);
  *cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (answer != NULL || *cancelled)
    return g_steal_pointer (&answer);

  text = bourse_problem_to_text (problem, error);
  /* Translators: what could not be done, then the server's words */
  message = g_strdup_printf (_("%s: %s"), what, text);
  bourse_widget_show_toast (GTK_WIDGET (self), message);

  return NULL;
}

static void
bourse_backtests_page_noted_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  gboolean cancelled;
  g_autoptr(JsonNode) answer = bourse_backtests_page_finish (self, object, result,
                                                             _("Could not save the note"), &cancelled);

  if (cancelled)
    return;
  if (answer == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->note_row), "error");
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->note_row), "error");
  bourse_widget_show_toast (GTK_WIDGET (self), _("Note saved"));
}

static void
bourse_backtests_page_note_apply_cb (BourseBacktestsPage *self,
                                     AdwEntryRow         *row)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_assert (BOURSE_IS_BACKTESTS_PAGE (self));

  if (self->client == NULL || self->shown_id == 0 || !self->can_run)
    return;

  body = bourse_json_new_object ("note", gtk_editable_get_text (GTK_EDITABLE (row)), NULL);
  path = g_strdup_printf ("/api/v1/backtests/%" PRId64, self->shown_id);
  bourse_client_request_json_async (self->client, "PATCH", path, body, self->cancellable,
                                    bourse_backtests_page_noted_cb, g_object_ref (self));
}

/* }}} */

/* Lists {{{ */

static GtkWidget *
bourse_backtests_page_create_row (gpointer item,
                                  gpointer user_data)
{
  BourseBacktestsPage *self = user_data;
  const char *strategy = BOURSE_IS_CLIENT_BACKTEST (item)
                       ? bourse_client_backtest_get_strategy (item)
                       : bourse_client_optimisation_get_strategy (item);

  return bourse_backtest_row_new (item, bourse_backtests_page_type_name (self, strategy), self->can_run);
}

/* The rows again: the strategy types' names and who may delete are known now. */
static void
bourse_backtests_page_bind_lists (BourseBacktestsPage *self)
{
  gtk_list_box_bind_model (self->backtest_list, G_LIST_MODEL (self->backtests),
                           self->backtests != NULL ? bourse_backtests_page_create_row : NULL, self, NULL);
  gtk_list_box_bind_model (self->optimisation_list, G_LIST_MODEL (self->optimisations),
                           self->optimisations != NULL ? bourse_backtests_page_create_row : NULL, self, NULL);
}

/* The number of items once read, else -1. */
static int
count_loaded (BourseClientStore *store)
{
  if (store == NULL || bourse_client_store_get_n_loads (store) == 0)
    return -1;
  return (int) g_list_model_get_n_items (G_LIST_MODEL (store));
}

/* A list changed: the empty state follows (a status page when there is
 * neither, an empty list's group hidden), and a result shown whose run
 * was deleted (here or anywhere) goes. */
static void
bourse_backtests_page_lists_changed_cb (BourseBacktestsPage *self)
{
  int n_backtests = count_loaded (self->backtests);
  int n_optimisations = count_loaded (self->optimisations);
  char key[32];

  adw_status_page_set_description (self->runs_empty_page,
                                   self->can_run
                                   ? _("Run one with the form below on an instrument's stored candles, "
                                       "or switch it to Optimise to search a strategy's parameters")
                                   : _("A trader or an administrator can run them"));
  bourse_empty_state_update (self->runs_empty, n_backtests >= 0 && n_optimisations >= 0,
                             MAX (n_backtests, 0) + MAX (n_optimisations, 0), NULL);
  gtk_widget_set_visible (self->list_group, n_backtests > 0);
  gtk_widget_set_visible (self->opt_list_group, n_optimisations > 0);

  g_snprintf (key, sizeof key, "%" PRId64, self->shown_id);
  if (self->shown_id != 0 && n_backtests >= 0 && bourse_client_store_lookup (self->backtests, key) == NULL)
    bourse_backtests_page_hide_result (self);
  g_snprintf (key, sizeof key, "%" PRId64, self->shown_search_id);
  if (self->shown_search_id != 0 && n_optimisations >= 0
      && bourse_client_store_lookup (self->optimisations, key) == NULL)
    bourse_backtests_page_hide_search (self);
}

static BourseClientStore *
bourse_backtests_page_new_store (BourseBacktestsPage *self,
                                 GType                type,
                                 const char          *path,
                                 const char          *topic)
{
  BourseClientStore *store = bourse_client_store_new_paged (self->client, type, path, topic);

  g_signal_connect_object (store, "items-changed", G_CALLBACK (bourse_backtests_page_lists_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "notify::n-loads", G_CALLBACK (bourse_backtests_page_lists_changed_cb),
                           self, G_CONNECT_SWAPPED);
  return store;
}

static void
bourse_backtests_page_clear_stores (BourseBacktestsPage *self)
{
  if (self->backtest_list != NULL)
    {
      gtk_list_box_bind_model (self->backtest_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->optimisation_list, NULL, NULL, NULL, NULL);
    }
  if (self->backtests != NULL)
    g_signal_handlers_disconnect_by_data (self->backtests, self);
  if (self->optimisations != NULL)
    g_signal_handlers_disconnect_by_data (self->optimisations, self);
  g_clear_object (&self->backtests);
  g_clear_object (&self->optimisations);
}

static void
bourse_backtests_page_types_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  JsonArray *items;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the strategy types", "items",
                                                            &items);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *selected_id = g_strdup (self->form_type);
  guint selected = 0;

  if (answer == NULL)
    return;

  g_ptr_array_set_size (self->types, 0);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *type = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = bourse_json_get_string (type, "id");

      if (id == NULL)
        continue;
      if (g_strcmp0 (id, selected_id) == 0)
        selected = self->types->len;
      g_ptr_array_add (self->types, json_object_ref (type));
      gtk_string_list_append (names, bourse_client_local_text (bourse_json_get_string (type, "name")) ?: id);
    }

  /* Setting the model selects its first item: the form follows the
   * selection once it is where it was. */
  g_signal_handlers_block_by_func (self->strategy_row, bourse_backtests_page_strategy_selected_cb, self);
  adw_combo_row_set_model (self->strategy_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->strategy_row, self->types->len > 0 ? selected : GTK_INVALID_LIST_POSITION);
  g_signal_handlers_unblock_by_func (self->strategy_row, bourse_backtests_page_strategy_selected_cb, self);

  bourse_backtests_page_build_form (self);
  bourse_backtests_page_update_actions (self);

  /* The lists' rows name the strategies. */
  bourse_backtests_page_bind_lists (self);
}

static void
bourse_backtests_page_instruments_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  JsonArray *items;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the instruments", "items",
                                                            &items);
  g_autofree char *wanted = NULL;
  guint selected = 0;

  /* Not a widget before the answer: a cancel may come from dispose. */
  if (answer == NULL)
    return;

  wanted = g_strdup (selected_string (self->symbol_row));

  gtk_string_list_splice (self->symbols, 0, g_list_model_get_n_items (G_LIST_MODEL (self->symbols)), NULL);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      const char *symbol = JSON_NODE_HOLDS_OBJECT (node)
                         ? bourse_json_get_string (json_node_get_object (node), "symbol") : NULL;

      if (symbol == NULL)
        continue;
      if (g_strcmp0 (symbol, wanted) == 0)
        selected = g_list_model_get_n_items (G_LIST_MODEL (self->symbols));
      gtk_string_list_append (self->symbols, symbol);
    }

  adw_combo_row_set_selected (self->symbol_row,
                              g_list_model_get_n_items (G_LIST_MODEL (self->symbols)) > 0
                              ? selected : GTK_INVALID_LIST_POSITION);
  bourse_backtests_page_update_actions (self);
}

/* The form's choices: the strategy types (the rows' names too) and the
 * instruments. */
static void
bourse_backtests_page_load_choices (BourseBacktestsPage *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->client == NULL)
    return;

  /* Types first: the list's rows name them. */
  self->load_cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, "/api/v1/strategies/types", self->load_cancellable,
                                bourse_backtests_page_types_cb, g_object_ref (self));
  bourse_client_get_json_async (self->client, "/api/v1/instruments", self->load_cancellable,
                                bourse_backtests_page_instruments_cb, g_object_ref (self));
}

void
bourse_backtests_page_reload (BourseBacktestsPage *self)
{
  g_return_if_fail (BOURSE_IS_BACKTESTS_PAGE (self));

  if (self->backtests != NULL)
    bourse_client_store_reload (self->backtests);
  if (self->optimisations != NULL)
    bourse_client_store_reload (self->optimisations);
  bourse_backtests_page_load_choices (self);
}

int
bourse_backtests_page_get_n_backtests (BourseBacktestsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_BACKTESTS_PAGE (self), -1);

  return count_loaded (self->backtests);
}

gint64
bourse_backtests_page_get_shown_id (BourseBacktestsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_BACKTESTS_PAGE (self), 0);

  return self->shown_id;
}

int
bourse_backtests_page_get_n_optimisations (BourseBacktestsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_BACKTESTS_PAGE (self), -1);

  return count_loaded (self->optimisations);
}

gint64
bourse_backtests_page_get_shown_optimisation_id (BourseBacktestsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_BACKTESTS_PAGE (self), 0);

  return self->shown_search_id;
}

gint64
bourse_backtests_page_get_job_id (BourseBacktestsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_BACKTESTS_PAGE (self), 0);

  return self->job != NULL ? bourse_client_job_get_id (self->job) : 0;
}

/* }}} */

/* Actions {{{ */

static void
bourse_backtests_page_show_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  bourse_backtests_page_show_backtest (BOURSE_BACKTESTS_PAGE (widget), g_variant_get_int64 (param));
}

static void
bourse_backtests_page_show_optimisation_action (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *param)
{
  bourse_backtests_page_show_optimisation (BOURSE_BACKTESTS_PAGE (widget), g_variant_get_int64 (param));
}

static void
bourse_backtests_page_deleted_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseBacktestsPage) self = user_data;
  gboolean cancelled;
  /* The row goes with the deletion's event on the backtests topic. */
  g_autoptr(JsonNode) answer = bourse_backtests_page_finish (self, object, result,
                                                             _("Could not delete the backtest"), &cancelled);
}

static void
bourse_backtests_page_delete_response_cb (AdwMessageDialog    *dialog,
                                          const char          *response,
                                          BourseBacktestsPage *self)
{
  g_autofree char *path = NULL;
  gint64 id;

  if (!g_str_equal (response, "delete") || self->client == NULL)
    return;

  id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "backtest-id");
  if (id == self->shown_id)
    bourse_backtests_page_hide_result (self);

  path = g_strdup_printf ("/api/v1/backtests/%" PRId64, id);
  bourse_client_request_json_async (self->client, "DELETE", path, NULL, self->cancellable,
                                    bourse_backtests_page_deleted_cb, g_object_ref (self));
}

static void
bourse_backtests_page_delete_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BourseBacktestsPage *self = BOURSE_BACKTESTS_PAGE (widget);
  gint64 id = g_variant_get_int64 (param);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: a backtest's number */
  heading = g_strdup_printf (_("Delete Backtest #%" PRId64 "?"), id);
  dialog = bourse_delete_dialog_new (widget, "delete-backtest-dialog", heading,
                                     _("Its result, trades and note are deleted; a run still going is "
                                       "stopped first."));
  g_object_set_data_full (G_OBJECT (dialog), "backtest-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_backtests_page_delete_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */

/* No more events of the client's. */
static void
bourse_backtests_page_unfollow (BourseBacktestsPage *self)
{
  if (self->client == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->subscribed)
    {
      bourse_client_unsubscribe (self->client, JOBS_TOPIC);
    }
  self->subscribed = FALSE;
}

BourseClient *
bourse_backtests_page_get_client (BourseBacktestsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_BACKTESTS_PAGE (self), NULL);

  return self->client;
}

void
bourse_backtests_page_set_client (BourseBacktestsPage *self,
                                  BourseClient        *client)
{
  g_return_if_fail (BOURSE_IS_BACKTESTS_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->result_cancellable);
  g_clear_object (&self->result_cancellable);

  bourse_backtests_page_unfollow (self);
  bourse_backtests_page_clear_stores (self);

  g_set_object (&self->client, client);
  self->busy = FALSE;
  self->shown_id = 0;
  self->running_id = 0;
  bourse_backtests_page_set_job (self, NULL);
  bourse_backtests_page_hide_search (self);
  bourse_optimisation_view_set_client (self->opt_view, client);
  self->can_apply = client != NULL && bourse_client_has_permission (client, "strategies.write");
  bourse_optimisation_view_set_can_apply (self->opt_view, self->can_apply);
  remove_rows (self->metric_rows);
  remove_rows (self->trade_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->metrics_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trades_group), FALSE);

  if (client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      /* The lists are stores live on the backtests and optimisations
       * topics; the form follows its own run on jobs, which every role
       * that reads backtests may read too, and the listed runs take their
       * progress from it. */
      self->backtests = bourse_backtests_page_new_store (self, BOURSE_TYPE_CLIENT_BACKTEST,
                                                         BACKTESTS_PATH, BACKTESTS_TOPIC);
      self->optimisations = bourse_backtests_page_new_store (self, BOURSE_TYPE_CLIENT_OPTIMISATION,
                                                             OPTIMISATIONS_PATH, OPTIMISATIONS_TOPIC);
      g_signal_connect_object (client, "event::" JOBS_TOPIC,
                               G_CALLBACK (bourse_backtests_page_event_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "resync::" JOBS_TOPIC,
                               G_CALLBACK (bourse_backtests_page_resync_cb), self, G_CONNECT_SWAPPED);
      bourse_client_subscribe (client, JOBS_TOPIC);
      self->subscribed = TRUE;
    }
  bourse_backtests_page_bind_lists (self);
  bourse_backtests_page_lists_changed_cb (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.show", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.show-optimisation", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.delete", client != NULL);
  bourse_backtests_page_update_actions (self);

  /* The stores read their lists as they are made. */
  bourse_backtests_page_load_choices (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
bourse_backtests_page_get_can_run (BourseBacktestsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_BACKTESTS_PAGE (self), FALSE);

  return self->can_run;
}

void
bourse_backtests_page_set_can_run (BourseBacktestsPage *self,
                                   gboolean             can_run)
{
  g_return_if_fail (BOURSE_IS_BACKTESTS_PAGE (self));

  /* Called again whenever the role's permissions change: applying a
   * winner asks for strategies.write. */
  self->can_apply = self->client != NULL && bourse_client_has_permission (self->client, "strategies.write");
  bourse_optimisation_view_set_can_apply (self->opt_view, self->can_apply);

  can_run = !!can_run;
  if (self->can_run == can_run)
    return;

  self->can_run = can_run;

  /* A viewer reads the list and the results; the form is for those who
   * may use it. */
  gtk_widget_set_visible (GTK_WIDGET (self->form_group), can_run);
  gtk_widget_set_visible (GTK_WIDGET (self->params_group),
                          can_run && bourse_param_form_get_n_fields (self->params) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->settings_group), can_run);
  bourse_backtests_page_update_mode (self);
  gtk_editable_set_editable (GTK_EDITABLE (self->note_row), can_run);
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_row), can_run);

  bourse_backtests_page_update_actions (self);
  bourse_backtests_page_bind_lists (self);
  bourse_backtests_page_lists_changed_cb (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RUN]);
}

static void
bourse_backtests_page_dispose (GObject *object)
{
  BourseBacktestsPage *self = (BourseBacktestsPage *)object;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->result_cancellable);
  g_clear_object (&self->result_cancellable);

  bourse_backtests_page_unfollow (self);
  bourse_backtests_page_clear_stores (self);
  g_clear_object (&self->client);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);

  if (self->error_rows != NULL)
    g_ptr_array_set_size (self->error_rows, 0);

  /* These hold the rows without a reference: they go with the groups,
   * and remove_rows () must not find them afterwards. */
  if (self->space_rows != NULL)
    {
      g_ptr_array_set_size (self->space_rows, 0);
      g_ptr_array_set_size (self->metric_rows, 0);
      g_ptr_array_set_size (self->trade_rows, 0);
    }

  g_clear_object (&self->params);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_BACKTESTS_PAGE);

  g_clear_object (&self->symbols);

  G_OBJECT_CLASS (bourse_backtests_page_parent_class)->dispose (object);
}

static void
bourse_backtests_page_finalize (GObject *object)
{
  BourseBacktestsPage *self = (BourseBacktestsPage *)object;

  g_clear_pointer (&self->types, g_ptr_array_unref);
  g_clear_pointer (&self->space_rows, g_ptr_array_unref);
  g_clear_pointer (&self->metric_rows, g_ptr_array_unref);
  g_clear_pointer (&self->trade_rows, g_ptr_array_unref);
  g_clear_pointer (&self->error_rows, g_ptr_array_unref);
  g_clear_pointer (&self->chart_candles, g_array_unref);
  g_clear_pointer (&self->form_type, g_free);

  G_OBJECT_CLASS (bourse_backtests_page_parent_class)->finalize (object);
}

static void
bourse_backtests_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BourseBacktestsPage *self = BOURSE_BACKTESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_CAN_RUN:
      g_value_set_boolean (value, self->can_run);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_backtests_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BourseBacktestsPage *self = BOURSE_BACKTESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_backtests_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_CAN_RUN:
      bourse_backtests_page_set_can_run (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_backtests_page_class_init (BourseBacktestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_backtests_page_dispose;
  object_class->finalize = bourse_backtests_page_finalize;
  object_class->get_property = bourse_backtests_page_get_property;
  object_class->set_property = bourse_backtests_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_RUN] =
    g_param_spec_boolean ("can-run", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "backtests.run", NULL, bourse_backtests_page_run_action);
  gtk_widget_class_install_action (widget_class, "backtests.cancel", NULL,
                                   bourse_backtests_page_cancel_action);
  gtk_widget_class_install_action (widget_class, "backtests.show", "x", bourse_backtests_page_show_action);
  gtk_widget_class_install_action (widget_class, "backtests.show-optimisation", "x",
                                   bourse_backtests_page_show_optimisation_action);
  gtk_widget_class_install_action (widget_class, "backtests.delete", "x",
                                   bourse_backtests_page_delete_action);

  g_type_ensure (BOURSE_TYPE_EQUITY_CHART);
  g_type_ensure (BOURSE_TYPE_CANDLE_CHART);
  g_type_ensure (BOURSE_TYPE_OPTIMISATION_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-backtests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, backtest_list);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, optimisation_list);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, list_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, opt_list_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, runs_empty);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, runs_empty_page);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, opt_result_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, opt_view);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, space_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, search_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, optimise_toggle);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, method_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, samples_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, objective_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, min_trades_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, walk_forward_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, folds_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, train_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, result_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, metrics_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, trades_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, form_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, params_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, settings_group);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, summary_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, note_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, equity_chart);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, drawdown_chart);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, candle_chart);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, strategy_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, symbol_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, interval_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, start_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, end_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, cash_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, fee_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, slippage_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, stake_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, exits_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, short_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, short_switch);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, run_note_row);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestsPage, run_button);
  gtk_widget_class_bind_template_callback (widget_class, bourse_backtests_page_strategy_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_backtests_page_form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_backtests_page_symbol_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_backtests_page_mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_backtests_page_method_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_backtests_page_note_apply_cb);
}

static void
bourse_backtests_page_init (BourseBacktestsPage *self)
{
  g_autoptr(GtkStringList) exit_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) method_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) objective_names = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) year_ago = g_date_time_add_years (now, -1);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *first = g_date_time_format (year_ago, "%Y-%m-%d");

  self->types = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->space_rows = g_ptr_array_new ();
  self->metric_rows = g_ptr_array_new ();
  self->trade_rows = g_ptr_array_new ();
  self->error_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->chart_candles = g_array_new (FALSE, FALSE, sizeof (BourseChartCandle));

  gtk_widget_init_template (GTK_WIDGET (self));
  self->params = bourse_param_form_new (self->params_group);
  g_signal_connect (self, "map", G_CALLBACK (bourse_backtests_page_map_cb), NULL);

  /* AdwPreferencesPage:name shadows the widget's own name in templates. */
  gtk_widget_set_name (GTK_WIDGET (self), "backtests-page");

  self->symbols = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->symbol_row, G_LIST_MODEL (self->symbols));

  gtk_string_list_append (exit_names, _("Signals and levels"));
  gtk_string_list_append (exit_names, _("Opposite signals only"));
  gtk_string_list_append (exit_names, _("Stop-loss and take-profit only"));
  adw_combo_row_set_model (self->exits_row, G_LIST_MODEL (exit_names));

  /* In the order of methods[] and objectives[]. */
  gtk_string_list_append (method_names, _("Every combination (grid)"));
  gtk_string_list_append (method_names, _("Random samples"));
  adw_combo_row_set_model (self->method_row, G_LIST_MODEL (method_names));
  gtk_string_list_append (objective_names, _("Sharpe ratio"));
  gtk_string_list_append (objective_names, _("Sortino ratio"));
  gtk_string_list_append (objective_names, _("Calmar ratio"));
  gtk_string_list_append (objective_names, _("Total return"));
  gtk_string_list_append (objective_names, _("Profit factor"));
  adw_combo_row_set_model (self->objective_row, G_LIST_MODEL (objective_names));

  /* The last year, up to today. */
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), first);
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), today);

  bourse_equity_chart_set_underwater (self->drawdown_chart, TRUE);

  gtk_widget_set_visible (GTK_WIDGET (self->form_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->params_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->settings_group), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_row), FALSE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.run", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.show", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.show-optimisation", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backtests.delete", FALSE);
}

GtkWidget *
bourse_backtests_page_new (void)
{
  return g_object_new (BOURSE_TYPE_BACKTESTS_PAGE, NULL);
}
