/* bourse-strategies-page.c — live strategies, and an editor that adds one or analyses once
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A navigation: the list (live strategies from a BourseClientStore that
 * the "strategies" topic keeps live, and the catalogue of types), then the
 * editor. Rows follow their objects; nothing here reloads the list after a
 * change, the topic brings it.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "client/bourse-client-records.h"
#include "client/bourse-client-store.h"

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-mini-chart.h"
#include "bourse-param-form.h"
#include "bourse-page-header.h"
#include "bourse-strategies-page.h"
#include "bourse-strategy-row.h"

static const char * const policies[] = { "manual", "auto-paper", "notify-only" };

struct _BourseStrategiesPage
{
  AdwBin               parent_instance;

  BourseClient        *client;
  GCancellable        *cancellable;        /* changes; cancelled with the client */
  gboolean             can_write;
  gboolean             busy;               /* an add or an analysis in flight */

  BourseClientStore   *strategies;         /* BourseClientStrategy, live */
  BourseClientStore   *types;              /* BourseClientStrategyType */
  BourseClientStore   *instruments;        /* BourseClientInstrument */
  char                *form_type;          /* the type the parameter rows were built for */
  BourseParamForm     *params;

  GPtrArray           *type_rows;
  GPtrArray           *result_rows;
  GPtrArray           *error_rows;         /* rows marked by the last 422 */

  AdwLeaflet          *leaflet;
  GtkWidget           *list_page;
  GtkWidget           *editor_box;
  GtkListBox          *live_list;
  AdwPreferencesGroup *live_group;
  GtkSearchEntry      *search_entry;
  AdwPreferencesGroup *form_group;
  AdwPreferencesGroup *params_group;
  AdwPreferencesGroup *live_form_group;
  AdwPreferencesGroup *analyse_group;
  AdwPreferencesGroup *result_group;
  AdwPreferencesGroup *types_group;
  GtkWidget           *live_empty_group;
  AdwStatusPage       *live_empty_page;
  GtkWidget           *empty_new_button;
  AdwComboRow         *type_row;
  AdwComboRow         *symbol_row;
  AdwComboRow         *interval_row;
  AdwEntryRow         *name_row;
  AdwComboRow         *policy_row;
  AdwActionRow        *days_row;
  GtkSpinButton       *days_spin;
  GtkLabel            *editor_title;
  GtkButton           *add_button;

  BourseClientStrategy *editing;           /* the strategy the editor saves, or NULL for a new one */
};

G_DEFINE_FINAL_TYPE (BourseStrategiesPage, bourse_strategies_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CAN_WRITE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* The type drop-down's words: the type's name in the desktop's language,
 * whatever the server's. */
static char *
bourse_strategies_page_type_display_name (gpointer    self,
                                          const char *name)
{
  return g_strdup (bourse_client_local_text (name));
}

static BourseClientStrategyType *
bourse_strategies_page_get_type_object (BourseStrategiesPage *self)
{
  GObject *item = adw_combo_row_get_selected_item (self->type_row);

  return item != NULL ? BOURSE_CLIENT_STRATEGY_TYPE (item) : NULL;
}

static const char *
bourse_strategies_page_get_interval (BourseStrategiesPage *self)
{
  GObject *item = adw_combo_row_get_selected_item (self->interval_row);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : "1h";
}

/* Chosen from the instruments the server has: never typed. */
static const char *
bourse_strategies_page_get_symbol (BourseStrategiesPage *self)
{
  GObject *item = adw_combo_row_get_selected_item (self->symbol_row);

  return item != NULL ? bourse_client_instrument_get_symbol (BOURSE_CLIENT_INSTRUMENT (item)) : NULL;
}

/* }}} */

/* The parameter form {{{ */

static void
bourse_strategies_page_build_form (BourseStrategiesPage *self)
{
  BourseClientStrategyType *type = bourse_strategies_page_get_type_object (self);
  const char *id = type != NULL ? bourse_client_strategy_type_get_id (type) : NULL;

  g_assert (BOURSE_IS_STRATEGIES_PAGE (self));

  if (!bourse_param_form_set_schema (self->params, id,
                                     type != NULL ? bourse_client_strategy_type_get_parameters (type) : NULL))
    return;

  g_free (self->form_type);
  self->form_type = g_strdup (id);
  gtk_widget_set_visible (GTK_WIDGET (self->params_group),
                          self->can_write && bourse_param_form_get_n_fields (self->params) > 0);
}

JsonNode *
bourse_strategies_page_dup_params (BourseStrategiesPage *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGIES_PAGE (self), NULL);

  return bourse_param_form_dup_params (self->params);
}

static void
bourse_strategies_page_update_actions (BourseStrategiesPage *self)
{
  gboolean ready;

  ready = self->client != NULL && self->can_write && !self->busy &&
          bourse_strategies_page_get_type_object (self) != NULL &&
          bourse_strategies_page_get_symbol (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "strategies.add", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "strategies.analyse", ready);
}

static void
bourse_strategies_page_type_selected_cb (BourseStrategiesPage *self,
                                         GParamSpec           *pspec,
                                         AdwComboRow          *row)
{
  g_assert (BOURSE_IS_STRATEGIES_PAGE (self));

  bourse_strategies_page_build_form (self);
  bourse_strategies_page_update_actions (self);
}

static void
bourse_strategies_page_form_changed_cb (BourseStrategiesPage *self,
                                        GParamSpec           *pspec,
                                        GtkWidget            *row)
{
  g_assert (BOURSE_IS_STRATEGIES_PAGE (self));

  gtk_widget_remove_css_class (row, "error");
  bourse_strategies_page_update_actions (self);
}

static void
bourse_strategies_page_entry_changed_cb (BourseStrategiesPage *self,
                                         GtkEditable          *editable)
{
  g_assert (BOURSE_IS_STRATEGIES_PAGE (self));

  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
}

/* A 422 names the field: the row that edits it turns red. */
static void
bourse_strategies_page_mark_errors (BourseStrategiesPage *self,
                                    JsonNode             *problem)
{
  JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
                     ? json_node_get_object (problem) : NULL;
  JsonArray *errors = bourse_json_get_array (object, "errors");

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonNode *node = json_array_get_element (errors, i);
      const char *name = JSON_NODE_HOLDS_OBJECT (node)
                       ? bourse_json_get_string (json_node_get_object (node), "field") : NULL;
      GtkWidget *row = NULL;

      if (name == NULL)
        continue;

      if (g_str_equal (name, "symbol"))
        row = GTK_WIDGET (self->symbol_row);
      else if (g_str_equal (name, "interval"))
        row = GTK_WIDGET (self->interval_row);
      else if (g_str_equal (name, "strategy"))
        row = GTK_WIDGET (self->type_row);
      else if (g_str_equal (name, "name"))
        row = GTK_WIDGET (self->name_row);
      else if (g_str_equal (name, "policy"))
        row = GTK_WIDGET (self->policy_row);
      else if (g_str_equal (name, "last_n_days"))
        row = GTK_WIDGET (self->days_row);
      else
        row = bourse_param_form_get_row (self->params, name);

      if (row != NULL)
        {
          gtk_widget_add_css_class (row, "error");
          g_ptr_array_add (self->error_rows, g_object_ref (row));
        }
    }
}

static void
bourse_strategies_page_clear_errors (BourseStrategiesPage *self)
{
  for (guint i = 0; i < self->error_rows->len; i++)
    gtk_widget_remove_css_class (g_ptr_array_index (self->error_rows, i), "error");
  g_ptr_array_set_size (self->error_rows, 0);
}

/* }}} */

/* The navigation {{{ */

static void
bourse_strategies_page_show_editor (BourseStrategiesPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->editor_box);
  gtk_widget_grab_focus (GTK_WIDGET (self->type_row));
}

static void
bourse_strategies_page_show_list (BourseStrategiesPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
}

/* The position of the item of @model whose @get is @value, or
 * GTK_INVALID_LIST_POSITION. */
static guint
find_position (GListModel   *model,
               const char * (*get) (gpointer item),
               const char   *value)
{
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; value != NULL && i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (get (item), value) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static const char *
get_type_id (gpointer item)
{
  return bourse_client_strategy_type_get_id (item);
}

static const char *
get_symbol (gpointer item)
{
  return bourse_client_instrument_get_symbol (item);
}

static const char *
get_string (gpointer item)
{
  return gtk_string_object_get_string (item);
}

/* The editor for @strategy (saved with PUT), or for a new one (NULL). */
static void
bourse_strategies_page_set_editing (BourseStrategiesPage *self,
                                    BourseClientStrategy *strategy)
{
  g_set_object (&self->editing, strategy);
  bourse_strategies_page_clear_errors (self);

  gtk_label_set_label (self->editor_title, strategy != NULL ? _("Edit Strategy") : _("New Strategy"));
  gtk_button_set_label (self->add_button, strategy != NULL ? _("_Save Changes") : _("_Add Live Strategy"));
  /* Analysing is for a strategy to be: an existing one signals by itself. */
  gtk_widget_set_visible (GTK_WIDGET (self->analyse_group), strategy == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), FALSE);
}

/* Fills the editor from @strategy as the server has it now. */
void
bourse_strategies_page_edit (BourseStrategiesPage *self,
                             BourseClientStrategy *strategy)
{
  guint position;

  g_return_if_fail (BOURSE_IS_STRATEGIES_PAGE (self));
  g_return_if_fail (BOURSE_IS_CLIENT_STRATEGY (strategy));

  if (!self->can_write || self->types == NULL)
    return;

  bourse_strategies_page_set_editing (self, strategy);

  position = find_position (G_LIST_MODEL (self->types), get_type_id, bourse_client_strategy_get_strategy (strategy));
  if (position != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (self->type_row, position);
  /* The same type keeps its rows: the strategy's values go in either way. */
  bourse_strategies_page_build_form (self);
  bourse_param_form_set_values (self->params, bourse_client_strategy_get_params (strategy));

  position = find_position (G_LIST_MODEL (self->instruments), get_symbol, bourse_client_strategy_get_symbol (strategy));
  if (position != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (self->symbol_row, position);
  position = find_position (adw_combo_row_get_model (self->interval_row), get_string,
                            bourse_client_strategy_get_interval (strategy));
  if (position != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (self->interval_row, position);
  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    if (g_strcmp0 (policies[i], bourse_client_strategy_get_policy (strategy)) == 0)
      adw_combo_row_set_selected (self->policy_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), bourse_client_strategy_get_name (strategy) ?: "");

  bourse_strategies_page_show_editor (self);
}

static void
bourse_strategies_page_row_activated_cb (BourseStrategiesPage *self,
                                         GtkListBoxRow        *row,
                                         GtkListBox           *list)
{
  if (BOURSE_IS_STRATEGY_ROW (row))
    bourse_strategies_page_edit (self, bourse_strategy_row_get_strategy (BOURSE_STRATEGY_ROW (row)));
}

/* }}} */

/* The catalogue of types {{{ */

static void
bourse_strategies_page_types_changed_cb (BourseStrategiesPage *self,
                                         guint                 position,
                                         guint                 removed,
                                         guint                 added,
                                         GListModel           *types)
{
  guint n_types = g_list_model_get_n_items (types);

  remove_rows (self->type_rows);

  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(BourseClientStrategyType) type = g_list_model_get_item (types, i);
      const char *id = bourse_client_strategy_type_get_id (type);
      const char *name = bourse_client_local_text (bourse_client_strategy_type_get_name (type));
      const char * const *aliases = bourse_client_strategy_type_get_aliases (type);
      const char *version = bourse_client_strategy_type_get_version (type);
      guint n_params = bourse_client_strategy_type_get_n_parameters (type);
      g_autoptr(GString) subtitle = g_string_new (id);
      g_autofree char *row_name = g_strdup_printf ("type-row-%s", id);
      GtkWidget *row;

      for (guint j = 0; aliases != NULL && aliases[j] != NULL; j++)
        g_string_append_printf (subtitle, " · %s", aliases[j]);
      if (version != NULL)
        /* Translators: the version of a strategy's model */
        g_string_append_printf (subtitle, _(" · version %s"), version);
      g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u parameter",
                                                     "%u parameters", n_params),
                              n_params);

      row = adw_action_row_new ();
      gtk_widget_set_name (row, row_name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : id);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      add_row (self->types_group, self->type_rows, row);
    }

  /* The combo row keeps its selection by position: back to the type the
   * form was built for, if it is still there. */
  for (guint i = 0; self->form_type != NULL && i < n_types; i++)
    {
      g_autoptr(BourseClientStrategyType) type = g_list_model_get_item (types, i);

      if (g_strcmp0 (bourse_client_strategy_type_get_id (type), self->form_type) == 0)
        {
          adw_combo_row_set_selected (self->type_row, i);
          break;
        }
    }

  bourse_strategies_page_build_form (self);
  bourse_strategies_page_update_actions (self);
}

static void
bourse_strategies_page_failed_cb (BourseStrategiesPage *self,
                                  GError               *error,
                                  BourseClientStore    *store)
{
  g_autofree char *message = NULL;

  if (store == self->strategies)
    message = g_strdup_printf (_("Could not load the live strategies: %s"), error->message);
  else if (store == self->types)
    message = g_strdup_printf (_("Could not load the strategy types: %s"), error->message);
  else
    message = g_strdup_printf (_("Could not load the instruments: %s"), error->message);
  bourse_widget_show_toast (GTK_WIDGET (self), message);
}

/* }}} */

/* The live strategies {{{ */

typedef struct
{
  BourseStrategiesPage *self;
  BourseStrategyRow    *row;
} Toggle;

static void
toggle_free (Toggle *toggle)
{
  g_clear_object (&toggle->self);
  g_clear_object (&toggle->row);
  g_free (toggle);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Toggle, toggle_free)

static void
bourse_strategies_page_toggled_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(Toggle) toggle = user_data;
  BourseStrategiesPage *self = toggle->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  bourse_strategy_row_set_busy (toggle->row, FALSE);

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);
      g_autofree char *message = g_strdup_printf (_("Could not change the strategy: %s"), text);

      bourse_widget_show_toast (GTK_WIDGET (self), message);
    }
  else
    /* The answer is the strategy as stored; its event may come later. */
    bourse_client_object_update (BOURSE_CLIENT_OBJECT (bourse_strategy_row_get_strategy (toggle->row)),
                                 json_node_get_object (answer));

  /* Refused: back to what the server still has, without asking it again. */
  bourse_strategy_row_sync (toggle->row);
}

/* The switch moves at once; its state follows the server's answer. */
static gboolean
bourse_strategies_page_state_set_cb (GtkSwitch         *toggle,
                                     gboolean           state,
                                     BourseStrategyRow *row)
{
  BourseStrategiesPage *self = BOURSE_STRATEGIES_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (row),
                                                                                BOURSE_TYPE_STRATEGIES_PAGE));
  BourseClientStrategy *strategy = bourse_strategy_row_get_strategy (row);
  JsonObject *stored = bourse_client_object_get_json (BOURSE_CLIENT_OBJECT (strategy));
  static const char * const writable[] = { "name", "strategy", "symbol", "interval", "params",
                                           "policy" };
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = NULL;
  Toggle *request;

  if (self == NULL || self->client == NULL)
    return TRUE;

  /* The whole configuration: a PUT replaces. */
  for (guint i = 0; i < G_N_ELEMENTS (writable); i++)
    {
      JsonNode *member = json_object_get_member (stored, writable[i]);

      if (member != NULL)
        json_object_set_member (body, writable[i], json_node_copy (member));
    }
  json_object_set_boolean_member (body, "enabled", state);

  request = g_new0 (Toggle, 1);
  request->self = g_object_ref (self);
  request->row = g_object_ref (row);
  bourse_strategy_row_set_busy (row, TRUE);

  path = g_strdup_printf ("/api/v1/strategies/%" PRId64, bourse_client_strategy_get_id (strategy));
  node = json_node_init_object (json_node_alloc (), body);
  bourse_client_request_json_async (self->client, "PUT", path, node, self->cancellable,
                                    bourse_strategies_page_toggled_cb, request);

  return TRUE;
}

static GtkWidget *
bourse_strategies_page_create_row (gpointer item,
                                   gpointer user_data)
{
  BourseStrategiesPage *self = user_data;
  GtkWidget *row = bourse_strategy_row_new (item, self->types, self->can_write);

  /* Enter or a click opens it in the editor. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), self->can_write);

  g_signal_connect_object (bourse_strategy_row_get_switch (BOURSE_STRATEGY_ROW (row)), "state-set",
                           G_CALLBACK (bourse_strategies_page_state_set_cb), row, 0);
  return row;
}

/* No live strategies: a status page, not an empty list (the search stays,
 * for Ctrl+F). */
static void
bourse_strategies_page_update_empty (BourseStrategiesPage *self)
{
  gboolean loaded = self->strategies != NULL && bourse_client_store_get_n_loads (self->strategies) > 0;
  guint n = self->strategies != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->strategies)) : 0;

  adw_status_page_set_description (self->live_empty_page,
                                   self->can_write
                                   ? _("Create one to get recommendations: it runs on every closed candle of its instrument")
                                   : _("A trader or an administrator can add them"));
  gtk_widget_set_visible (self->empty_new_button, self->can_write);
  bourse_empty_state_update (self->live_empty_group, loaded, n, GTK_WIDGET (self->live_group), NULL);
}

/* Rows are made again when what they offer changes (the role). */
static void
bourse_strategies_page_bind_list (BourseStrategiesPage *self)
{
  gtk_list_box_bind_model (self->live_list, G_LIST_MODEL (self->strategies),
                           self->strategies != NULL ? bourse_strategies_page_create_row : NULL,
                           self, NULL);
  bourse_strategies_page_update_empty (self);
}

void
bourse_strategies_page_reload (BourseStrategiesPage *self)
{
  g_return_if_fail (BOURSE_IS_STRATEGIES_PAGE (self));

  if (self->strategies == NULL)
    return;

  bourse_client_store_reload (self->types);
  bourse_client_store_reload (self->instruments);
  bourse_client_store_reload (self->strategies);
}

int
bourse_strategies_page_get_n_types (BourseStrategiesPage *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGIES_PAGE (self), -1);

  if (self->types == NULL || !bourse_client_store_get_loaded (self->types))
    return -1;
  return g_list_model_get_n_items (G_LIST_MODEL (self->types));
}

int
bourse_strategies_page_get_n_strategies (BourseStrategiesPage *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGIES_PAGE (self), -1);

  if (self->strategies == NULL || !bourse_client_store_get_loaded (self->strategies))
    return -1;
  return g_list_model_get_n_items (G_LIST_MODEL (self->strategies));
}

/* }}} */

/* The analysis {{{ */

static GtkWidget *
value_row (const char *title,
           const char *value,
           const char *name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (label, name);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static void
bourse_strategies_page_show_result (BourseStrategiesPage       *self,
                                    BourseClientRecommendation *recommendation)
{
  const char *decision = bourse_client_recommendation_get_decision (recommendation);
  const char *symbol = bourse_client_recommendation_get_symbol (recommendation);
  const char *interval = bourse_client_recommendation_get_interval (recommendation);
  JsonObject *metrics = bourse_client_recommendation_get_metrics (recommendation);
  g_autofree char *entry = bourse_format_price (bourse_client_recommendation_get_entry (recommendation));
  g_autofree char *stop = bourse_format_price (bourse_client_recommendation_get_stop_loss (recommendation));
  g_autofree char *target = bourse_format_price (bourse_client_recommendation_get_take_profit (recommendation));
  g_autofree char *confidence = bourse_format_confidence (recommendation);
  g_autofree char *risk_reward = bourse_format_risk_reward (recommendation);
  g_autofree char *subtitle = NULL;
  g_autoptr(GList) names = NULL;
  GtkWidget *row;
  GtkWidget *label;
  GtkWidget *chart;
  gint64 start = bourse_client_recommendation_get_window_start (recommendation);
  gint64 end = bourse_client_recommendation_get_window_end (recommendation);
  gint64 n_candles = bourse_client_recommendation_get_window_candles (recommendation);
  gint64 approval = bourse_client_recommendation_get_approval_id (recommendation);

  remove_rows (self->result_rows);

  row = adw_action_row_new ();
  gtk_widget_set_name (row, "result-decision-row");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Decision"));
  /* Translators: an instrument, an interval, a strategy and how many candles it saw */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s · %s · %s · %" PRId64 " candle",
                                           "%s · %s · %s · %" PRId64 " candles",
                                           n_candles),
                              symbol ?: "?",
                              interval ?: "?",
                              bourse_client_recommendation_get_strategy_name (recommendation)
                                ?: bourse_client_recommendation_get_strategy (recommendation) ?: "?",
                              n_candles);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  label = gtk_label_new (bourse_decision_to_display (decision));
  gtk_widget_set_name (label, "result-decision");
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, bourse_decision_to_css_class (decision));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  add_row (self->result_group, self->result_rows, row);

  row = adw_action_row_new ();
  gtk_widget_set_name (row, "result-reason-row");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Reason"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               bourse_client_recommendation_get_reason (recommendation) ?: "—");
  add_row (self->result_group, self->result_rows, row);

  add_row (self->result_group, self->result_rows, value_row (_("Entry"), entry, "result-entry"));
  add_row (self->result_group, self->result_rows, value_row (_("Stop-loss"), stop, "result-stop-loss"));
  add_row (self->result_group, self->result_rows,
           value_row (_("Take-profit"), target, "result-take-profit"));
  add_row (self->result_group, self->result_rows,
           value_row (_("Risk/reward"), risk_reward, "result-risk-reward"));
  add_row (self->result_group, self->result_rows,
           value_row (_("Confidence"), confidence, "result-confidence"));

  /* The model's own numbers: what it fitted and what it saw. */
  names = json_object_get_members (metrics);
  if (names != NULL)
    {
      row = adw_expander_row_new ();
      gtk_widget_set_name (row, "result-metrics-row");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Metrics"));
      for (GList *l = names; l != NULL; l = l->next)
        {
          g_autofree char *text = bourse_format_json_value (json_object_get_member (metrics, l->data));
          g_autofree char *name = g_strdup_printf ("metric-%s", (const char *) l->data);
          GtkWidget *metric = value_row (l->data, text, name);

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (metric), FALSE);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), metric);
        }
      add_row (self->result_group, self->result_rows, row);
    }

  if (start > 0 && end > start && self->client != NULL)
    {
      row = adw_preferences_row_new ();
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      chart = bourse_mini_chart_new ();
      gtk_widget_set_margin_top (chart, 12);
      gtk_widget_set_margin_bottom (chart, 12);
      gtk_widget_set_margin_start (chart, 12);
      gtk_widget_set_margin_end (chart, 12);
      bourse_mini_chart_set_levels (BOURSE_MINI_CHART (chart),
                                    bourse_price_to_double (bourse_client_recommendation_get_entry (recommendation)),
                                    bourse_price_to_double (bourse_client_recommendation_get_stop_loss (recommendation)),
                                    bourse_price_to_double (bourse_client_recommendation_get_take_profit (recommendation)));
      bourse_mini_chart_load (BOURSE_MINI_CHART (chart), self->client, symbol ?: "", interval ?: "1h", start, end);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), chart);
      add_row (self->result_group, self->result_rows, row);
    }

  if (approval != 0)
    {
      g_autofree char *title = g_strdup_printf (_("Approval #%" PRId64 " awaits a decision"), approval);
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open"));

      row = adw_action_row_new ();
      gtk_widget_set_name (row, "result-approval-row");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_name (button, "open-approval-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-approval");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (approval));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      add_row (self->result_group, self->result_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->result_group), TRUE);

  /* It appears below the form: into view. */
  bourse_widget_scroll_into_view (GTK_WIDGET (self->result_group));
}

typedef enum {
  REQUEST_ADD,
  REQUEST_SAVE,
  REQUEST_ANALYSE,
} RequestKind;

typedef struct
{
  BourseStrategiesPage *self;
  RequestKind           kind;
} Request;

static void
bourse_strategies_page_request_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autofree Request *request = user_data;
  g_autoptr(BourseStrategiesPage) self = request->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonObject *object_answer;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  bourse_strategies_page_update_actions (self);

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);

      bourse_strategies_page_mark_errors (self, problem);
      message = g_strdup_printf (request->kind == REQUEST_SAVE
                                 ? _("Could not save the strategy: %s")
                                 : request->kind == REQUEST_ADD
                                 ? _("Could not add the strategy: %s")
                                 : _("Could not analyse: %s"),
                                 text);
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  object_answer = json_node_get_object (answer);

  if (request->kind == REQUEST_ADD || request->kind == REQUEST_SAVE)
    {
      message = g_strdup_printf (request->kind == REQUEST_SAVE ? _("“%s” saved") : _("“%s” added"),
                                 bourse_json_get_string (object_answer, "name") ?: "?");
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
      /* It appears (or changes) in the list through the topic. */
      bourse_strategies_page_set_editing (self, NULL);
      bourse_strategies_page_show_list (self);
    }
  else
    {
      g_autoptr(BourseClientObject) recommendation =
        bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_RECOMMENDATION, object_answer);

      if (recommendation != NULL)
        bourse_strategies_page_show_result (self, BOURSE_CLIENT_RECOMMENDATION (recommendation));
      else
        bourse_widget_show_toast (GTK_WIDGET (self), _("The server’s answer is not a recommendation"));
    }
}

static void
bourse_strategies_page_send (BourseStrategiesPage *self,
                             RequestKind           kind)
{
  BourseClientStrategyType *type = bourse_strategies_page_get_type_object (self);
  const char *symbol = bourse_strategies_page_get_symbol (self);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *interval = bourse_strategies_page_get_interval (self);
  g_autofree char *path = NULL;
  Request *request;

  if (self->client == NULL || self->busy || type == NULL || symbol == NULL)
    return;

  bourse_strategies_page_clear_errors (self);

  if (kind == REQUEST_ADD && self->editing != NULL)
    {
      kind = REQUEST_SAVE;
      path = g_strdup_printf ("/api/v1/strategies/%" PRId64, bourse_client_strategy_get_id (self->editing));
    }

  if (kind == REQUEST_ADD || kind == REQUEST_SAVE)
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
      guint policy = adw_combo_row_get_selected (self->policy_row);

      /* Unnamed: what it is, which is what a list needs to tell them apart. */
      if (name[0] == '\0')
        {
          g_free (name);
          name = g_strdup_printf ("%s %s %s", bourse_client_strategy_type_get_id (type), symbol, interval);
        }

      json_object_set_string_member (body, "name", name);
      json_object_set_string_member (body, "strategy", bourse_client_strategy_type_get_id (type));
      json_object_set_string_member (body, "symbol", symbol);
      json_object_set_string_member (body, "interval", interval);
      json_object_set_member (body, "params", bourse_strategies_page_dup_params (self));
      json_object_set_string_member (body, "policy",
                                     policies[policy < G_N_ELEMENTS (policies) ? policy : 0]);
      /* An edit leaves it as enabled as it is (its row's switch). */
      if (kind == REQUEST_ADD)
        json_object_set_boolean_member (body, "enabled", TRUE);
    }
  else
    {
      json_object_set_string_member (body, "symbol", symbol);
      json_object_set_string_member (body, "interval", interval);
      json_object_set_string_member (body, "strategy", bourse_client_strategy_type_get_id (type));
      json_object_set_int_member (body, "last_n_days", gtk_spin_button_get_value_as_int (self->days_spin));
      json_object_set_member (body, "params", bourse_strategies_page_dup_params (self));
    }

  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->kind = kind;

  self->busy = TRUE;
  bourse_strategies_page_update_actions (self);

  node = json_node_init_object (json_node_alloc (), body);
  /* PUT takes any of the create's members: the editor sends them all. */
  bourse_client_request_json_async (self->client, kind == REQUEST_SAVE ? "PUT" : "POST",
                                    kind == REQUEST_SAVE ? path
                                    : kind == REQUEST_ADD ? "/api/v1/strategies" : "/api/v1/recommendations",
                                    node, self->cancellable,
                                    bourse_strategies_page_request_cb, request);
}

/* }}} */

/* Actions {{{ */

static void
bourse_strategies_page_add_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  bourse_strategies_page_send (BOURSE_STRATEGIES_PAGE (widget), REQUEST_ADD);
}

static void
bourse_strategies_page_analyse_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  bourse_strategies_page_send (BOURSE_STRATEGIES_PAGE (widget), REQUEST_ANALYSE);
}

static void
bourse_strategies_page_deleted_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BourseStrategiesPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not delete the strategy: %s"), error->message);
      bourse_widget_show_toast (GTK_WIDGET (self), message);
    }
  /* Deleted: the topic takes it out of the list. */
}

static void
bourse_strategies_page_delete_response_cb (AdwMessageDialog     *dialog,
                                           const char           *response,
                                           BourseStrategiesPage *self)
{
  g_autofree char *path = NULL;
  gint64 id;

  if (!g_str_equal (response, "delete") || self->client == NULL)
    return;

  id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "strategy-id");
  path = g_strdup_printf ("/api/v1/strategies/%" PRId64, id);
  bourse_client_request_json_async (self->client, "DELETE", path, NULL, self->cancellable,
                                    bourse_strategies_page_deleted_cb, g_object_ref (self));
}

static void
bourse_strategies_page_delete_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  BourseStrategiesPage *self = BOURSE_STRATEGIES_PAGE (widget);
  g_autofree char *heading = NULL;
  const char *name;
  GtkWidget *dialog;
  gint64 id;

  g_variant_get (param, "(x&s)", &id, &name);

  heading = g_strdup_printf (_("Delete “%s”?"), name);
  dialog = bourse_delete_dialog_new (widget, "delete-strategy-dialog", heading,
                                     _("It stops at once. Its signals, recommendations and "
                                       "approvals stay in the history."));
  g_object_set_data_full (G_OBJECT (dialog), "strategy-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_strategies_page_delete_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */

static void
bourse_strategies_page_new_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BourseStrategiesPage *self = BOURSE_STRATEGIES_PAGE (widget);

  if (self->editing != NULL)
    {
      bourse_strategies_page_set_editing (self, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
    }
  bourse_strategies_page_show_editor (self);
}

static void
bourse_strategies_page_back_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  bourse_strategies_page_show_list (BOURSE_STRATEGIES_PAGE (widget));
}

BourseClient *
bourse_strategies_page_get_client (BourseStrategiesPage *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGIES_PAGE (self), NULL);

  return self->client;
}

static void
bourse_strategies_page_clear_stores (BourseStrategiesPage *self)
{
  if (self->types != NULL)
    g_signal_handlers_disconnect_by_data (self->types, self);
  if (self->strategies != NULL)
    g_signal_handlers_disconnect_by_data (self->strategies, self);
  if (self->instruments != NULL)
    g_signal_handlers_disconnect_by_data (self->instruments, self);
  g_clear_object (&self->strategies);
  g_clear_object (&self->types);
  g_clear_object (&self->instruments);
}

void
bourse_strategies_page_set_client (BourseStrategiesPage *self,
                                   BourseClient         *client)
{
  g_return_if_fail (BOURSE_IS_STRATEGIES_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  adw_combo_row_set_model (self->type_row, NULL);
  adw_combo_row_set_model (self->symbol_row, NULL);
  gtk_list_box_bind_model (self->live_list, NULL, NULL, NULL, NULL);
  bourse_strategies_page_clear_stores (self);

  g_set_object (&self->client, client);
  self->busy = FALSE;
  remove_rows (self->result_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), FALSE);

  if (client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      self->types = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_STRATEGY_TYPE,
                                             "/api/v1/strategies/types", NULL);
      self->instruments = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_INSTRUMENT,
                                                   "/api/v1/instruments", NULL);
      self->strategies = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_STRATEGY,
                                                  "/api/v1/strategies?limit=500", "strategies");
      /* After: the type row's own selection model must have taken the
       * change before the page selects in it (GTK crashed selecting a
       * position its list view did not have yet). */
      g_signal_connect_object (self->types, "items-changed",
                               G_CALLBACK (bourse_strategies_page_types_changed_cb), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      g_signal_connect_object (self->types, "failed",
                               G_CALLBACK (bourse_strategies_page_failed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->instruments, "failed",
                               G_CALLBACK (bourse_strategies_page_failed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->strategies, "failed",
                               G_CALLBACK (bourse_strategies_page_failed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->strategies, "items-changed",
                               G_CALLBACK (bourse_strategies_page_update_empty), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->strategies, "notify::n-loads",
                               G_CALLBACK (bourse_strategies_page_update_empty), self, G_CONNECT_SWAPPED);
      /* Types name the strategies in their rows: made again once they are there. */
      g_signal_connect_object (self->types, "notify::loaded",
                               G_CALLBACK (bourse_strategies_page_bind_list), self, G_CONNECT_SWAPPED);

      g_signal_handlers_block_by_func (self->type_row, bourse_strategies_page_type_selected_cb, self);
      adw_combo_row_set_model (self->type_row, G_LIST_MODEL (self->types));
      g_signal_handlers_unblock_by_func (self->type_row, bourse_strategies_page_type_selected_cb, self);
      adw_combo_row_set_model (self->symbol_row, G_LIST_MODEL (self->instruments));
    }
  bourse_strategies_page_bind_list (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "strategies.delete", client != NULL);
  bourse_strategies_page_update_actions (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
bourse_strategies_page_get_can_write (BourseStrategiesPage *self)
{
  g_return_val_if_fail (BOURSE_IS_STRATEGIES_PAGE (self), FALSE);

  return self->can_write;
}

void
bourse_strategies_page_set_can_write (BourseStrategiesPage *self,
                                      gboolean              can_write)
{
  g_return_if_fail (BOURSE_IS_STRATEGIES_PAGE (self));

  can_write = !!can_write;
  if (self->can_write == can_write)
    return;

  self->can_write = can_write;

  /* A viewer reads the lists; the editor is for those who may use it. */
  gtk_widget_set_visible (GTK_WIDGET (self->form_group), can_write);
  gtk_widget_set_visible (GTK_WIDGET (self->params_group),
                          can_write && bourse_param_form_get_n_fields (self->params) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->live_form_group), can_write);
  gtk_widget_set_visible (GTK_WIDGET (self->analyse_group), can_write);
  if (!can_write)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->result_group), FALSE);
      bourse_strategies_page_show_list (self);
    }
  bourse_page_action_set_enabled (GTK_WIDGET (self), "strategies.new", can_write);

  bourse_strategies_page_update_actions (self);
  bourse_strategies_page_bind_list (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_WRITE]);
}

static void
bourse_strategies_page_dispose (GObject *object)
{
  BourseStrategiesPage *self = (BourseStrategiesPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->error_rows != NULL)
    g_ptr_array_set_size (self->error_rows, 0);

  /* Rows held without a reference go with the groups: remove_rows ()
   * must not find them afterwards. */
  if (self->type_rows != NULL)
    {
      g_ptr_array_set_size (self->type_rows, 0);
      g_ptr_array_set_size (self->result_rows, 0);
    }

  if (self->live_list != NULL)
    gtk_list_box_bind_model (self->live_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->params);
  /* The leaflet is AdwBin's child and a template child: unparented once,
   * here, before the template lets go of it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_STRATEGIES_PAGE);

  bourse_strategies_page_clear_stores (self);
  g_clear_object (&self->client);
  g_clear_object (&self->editing);

  G_OBJECT_CLASS (bourse_strategies_page_parent_class)->dispose (object);
}

static void
bourse_strategies_page_finalize (GObject *object)
{
  BourseStrategiesPage *self = (BourseStrategiesPage *)object;

  g_clear_pointer (&self->type_rows, g_ptr_array_unref);
  g_clear_pointer (&self->result_rows, g_ptr_array_unref);
  g_clear_pointer (&self->error_rows, g_ptr_array_unref);
  g_clear_pointer (&self->form_type, g_free);

  G_OBJECT_CLASS (bourse_strategies_page_parent_class)->finalize (object);
}

static void
bourse_strategies_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  BourseStrategiesPage *self = BOURSE_STRATEGIES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_CAN_WRITE:
      g_value_set_boolean (value, self->can_write);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_strategies_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  BourseStrategiesPage *self = BOURSE_STRATEGIES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_strategies_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_CAN_WRITE:
      bourse_strategies_page_set_can_write (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_strategies_page_class_init (BourseStrategiesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_strategies_page_dispose;
  object_class->finalize = bourse_strategies_page_finalize;
  object_class->get_property = bourse_strategies_page_get_property;
  object_class->set_property = bourse_strategies_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_WRITE] =
    g_param_spec_boolean ("can-write", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "strategies.add", NULL,
                                   bourse_strategies_page_add_action);
  gtk_widget_class_install_action (widget_class, "strategies.analyse", NULL,
                                   bourse_strategies_page_analyse_action);
  gtk_widget_class_install_action (widget_class, "strategies.delete", "(xs)",
                                   bourse_strategies_page_delete_action);
  gtk_widget_class_install_action (widget_class, "strategies.new", NULL,
                                   bourse_strategies_page_new_action);
  gtk_widget_class_install_action (widget_class, "strategies.back", NULL,
                                   bourse_strategies_page_back_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-strategies-page.ui");
  bourse_page_class_bind_header_actions (widget_class);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, list_page);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, editor_box);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, live_list);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, live_group);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, form_group);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, params_group);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, live_form_group);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, analyse_group);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, result_group);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, types_group);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, live_empty_group);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, live_empty_page);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, empty_new_button);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, symbol_row);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, interval_row);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, policy_row);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, days_row);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, days_spin);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, editor_title);
  gtk_widget_class_bind_template_child (widget_class, BourseStrategiesPage, add_button);
  gtk_widget_class_bind_template_callback (widget_class, bourse_strategies_page_type_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_strategies_page_type_display_name);
  gtk_widget_class_bind_template_callback (widget_class, bourse_strategies_page_form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_strategies_page_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_strategies_page_row_activated_cb);
}

static void
bourse_strategies_page_init (BourseStrategiesPage *self)
{
  g_autoptr(GtkStringList) policy_names = gtk_string_list_new (NULL);

  self->type_rows = g_ptr_array_new ();
  self->result_rows = g_ptr_array_new ();
  self->error_rows = g_ptr_array_new_with_free_func (g_object_unref);

  g_type_ensure (BOURSE_TYPE_CLIENT_STRATEGY_TYPE);
  g_type_ensure (BOURSE_TYPE_CLIENT_INSTRUMENT);
  gtk_widget_init_template (GTK_WIDGET (self));
  bourse_page_init_header_actions (GTK_WIDGET (self), BOURSE_TYPE_STRATEGIES_PAGE, "strategies",
                                   (const char *[]) { "new", NULL });
  bourse_search_filter_lists (GTK_WIDGET (self->live_group), self->search_entry);
  self->params = bourse_param_form_new (self->params_group);

  gtk_widget_set_name (GTK_WIDGET (self), "strategies-page");
  /* AdwPreferencesPage:name shadows the widget's own name in templates. */
  gtk_widget_set_name (self->list_page, "strategies-list-page");
  bourse_strategies_page_bind_list (self);

  for (guint i = 0; i < G_N_ELEMENTS (policies); i++)
    gtk_string_list_append (policy_names, bourse_policy_to_display (policies[i]));
  adw_combo_row_set_model (self->policy_row, G_LIST_MODEL (policy_names));

  gtk_widget_set_visible (GTK_WIDGET (self->form_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->params_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->live_form_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->analyse_group), FALSE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "strategies.add", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "strategies.analyse", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "strategies.delete", FALSE);
  bourse_page_action_set_enabled (GTK_WIDGET (self), "strategies.new", FALSE);
}

GtkWidget *
bourse_strategies_page_new (void)
{
  return g_object_new (BOURSE_TYPE_STRATEGIES_PAGE, NULL);
}
