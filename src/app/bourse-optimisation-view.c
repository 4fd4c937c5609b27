/* bourse-optimisation-view.c — an optimisation's result: its candidates,
 * a heatmap of two parameters, the walk-forward folds, and applying the
 * winner to a live strategy
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything shown is the result of GET /api/v1/optimisations/{id}
 * (docs/BACKTESTS.md, "Optimisation"); applying goes through
 * POST /api/v1/optimisations/{id}/apply, the live strategies offered
 * being GET /api/v1/strategies's of the optimisation's strategy type.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-heatmap.h"
#include "bourse-optimisation-view.h"
#include "bourse-param-form.h"
#include "bourse-trading-util.h"

/* A candidate as an item of the table's model {{{ */

#define BOURSE_TYPE_CANDIDATE (bourse_candidate_get_type ())

G_DECLARE_FINAL_TYPE (BourseCandidate, bourse_candidate, BOURSE, CANDIDATE, GObject)

struct _BourseCandidate
{
  GObject     parent_instance;
  JsonObject *object;
};

G_DEFINE_FINAL_TYPE (BourseCandidate, bourse_candidate, G_TYPE_OBJECT)

static void
bourse_candidate_finalize (GObject *object)
{
  g_clear_pointer (&BOURSE_CANDIDATE (object)->object, json_object_unref);

  G_OBJECT_CLASS (bourse_candidate_parent_class)->finalize (object);
}

static void
bourse_candidate_class_init (BourseCandidateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_candidate_finalize;
}

static void
bourse_candidate_init (BourseCandidate *self)
{
}

static BourseCandidate *
bourse_candidate_new (JsonObject *object)
{
  BourseCandidate *self = g_object_new (BOURSE_TYPE_CANDIDATE, NULL);

  self->object = json_object_ref (object);
  return self;
}

/* }}} */

typedef enum {
  COLUMN_RANK,
  COLUMN_PARAM,
  COLUMN_OBJECTIVE,
  COLUMN_PERCENT,   /* a metric, a fraction shown as a percentage */
  COLUMN_RATIO,
  COLUMN_COUNT,
} ColumnKind;

typedef struct
{
  ColumnKind  kind;
  char       *member;  /* the parameter or the metric */
} ColumnKey;

struct _BourseOptimisationView
{
  GtkBox             parent_instance;

  BourseClient      *client;
  GCancellable      *cancellable;
  gboolean           can_apply;
  JsonObject        *optimisation;
  gint64             id;
  GStrv              searched;     /* the space's parameters */

  GListStore        *store;        /* BourseCandidate, best first */
  GtkSortListModel  *sorted;
  GtkColumnView     *column_view;
  GtkLabel          *summary_label;
  GtkWidget         *heatmap_box;
  GtkDropDown       *x_dropdown;
  GtkDropDown       *y_dropdown;
  BourseHeatmap     *heatmap;
  GtkWidget         *folds_box;
  GtkGrid           *folds_grid;
  GtkWidget         *apply_button;
};

G_DEFINE_FINAL_TYPE (BourseOptimisationView, bourse_optimisation_view, GTK_TYPE_BOX)

static JsonObject *
candidate_metrics (JsonObject *candidate)
{
  return bourse_json_get_object (candidate, "metrics");
}

/* A column's value as a number for sorting: NAN when absent, +∞ for a
 * null objective (an infinite profit factor). */
static double
column_value (const ColumnKey *key,
              JsonObject      *candidate)
{
  JsonObject *object;
  JsonNode *node;
  double value = NAN;

  switch (key->kind)
    {
    case COLUMN_RANK:
      object = candidate;
      node = json_object_get_member (object, "rank");
      break;
    case COLUMN_PARAM:
      object = bourse_json_get_object (candidate, "params");
      node = object != NULL ? json_object_get_member (object, key->member) : NULL;
      break;
    case COLUMN_OBJECTIVE:
      object = candidate;
      node = json_object_get_member (object, "objective");
      break;
    default:
      object = candidate_metrics (candidate);
      node = object != NULL ? json_object_get_member (object, key->member) : NULL;
      break;
    }

  if (node == NULL)
    return NAN;
  if (JSON_NODE_HOLDS_NULL (node))
    return key->kind == COLUMN_OBJECTIVE || key->kind == COLUMN_RATIO ? INFINITY : NAN;
  if (!bourse_json_get_double (object, key->kind == COLUMN_RANK ? "rank"
                                       : key->kind == COLUMN_OBJECTIVE ? "objective" : key->member, &value))
    return NAN;

  return value;
}

static char *
column_text (const ColumnKey *key,
             JsonObject      *candidate)
{
  JsonObject *params = bourse_json_get_object (candidate, "params");
  double value = column_value (key, candidate);

  switch (key->kind)
    {
    case COLUMN_PARAM:
      return params != NULL && json_object_has_member (params, key->member)
             ? bourse_format_json_value (json_object_get_member (params, key->member))
             : g_strdup ("—");
    case COLUMN_PERCENT:
      return isnan (value) ? g_strdup ("—") : bourse_format_ratio (candidate_metrics (candidate), key->member);
    case COLUMN_RANK:
    case COLUMN_COUNT:
      return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.0f", value);
    case COLUMN_OBJECTIVE:
    case COLUMN_RATIO:
    default:
      if (isnan (value))
        return g_strdup ("—");
      if (isinf (value))
        return g_strdup ("∞");
      return g_strdup_printf ("%.3f", value);
    }
}

static void
column_key_free (gpointer data)
{
  ColumnKey *key = data;

  g_free (key->member);
  g_free (key);
}

static ColumnKey *
column_key_new (ColumnKind  kind,
                const char *member)
{
  ColumnKey *key = g_new0 (ColumnKey, 1);

  key->kind = kind;
  key->member = g_strdup (member);
  return key;
}

/* Missing values last either way round is more than a GtkSorter says:
 * they sort as the lowest. */
static int
compare_candidates (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  const ColumnKey *key = data;
  double x = column_value (key, BOURSE_CANDIDATE ((gpointer) a)->object);
  double y = column_value (key, BOURSE_CANDIDATE ((gpointer) b)->object);
  gboolean x_missing = isnan (x) != 0;
  gboolean y_missing = isnan (y) != 0;

  if (x_missing || y_missing)
    return x_missing == y_missing ? 0 : x_missing ? -1 : 1;

  return (x > y) - (x < y);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  BourseCandidate *candidate = gtk_list_item_get_item (item);
  g_autofree char *text = column_text (data, candidate->object);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (label), text);
  /* A candidate short of the minimum of trades ranks below the others. */
  if (!json_object_get_boolean_member_with_default (candidate->object, "qualified", TRUE))
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

static void
bourse_optimisation_view_add_column (BourseOptimisationView *self,
                                     const char             *title,
                                     ColumnKind              kind,
                                     const char             *member)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;
  g_autoptr(GtkSorter) sorter = NULL;

  /* The factory and the sorter each their own key: the column view's
   * sorter may hold on to the sorter after the column is gone. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect_data (factory, "bind", G_CALLBACK (bind_cell_cb), column_key_new (kind, member),
                         (GClosureNotify) (void (*) (void)) column_key_free, 0);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_candidates, column_key_new (kind, member), column_key_free));

  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->column_view, column);
}

static void
bourse_optimisation_view_clear_columns (BourseOptimisationView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
}

/* The heatmap {{{ */

static void
bourse_optimisation_view_update_heatmap (BourseOptimisationView *self)
{
  JsonObject *result = bourse_json_get_object (self->optimisation, "result");
  guint n = self->searched != NULL ? g_strv_length (self->searched) : 0;
  guint x = gtk_drop_down_get_selected (self->x_dropdown);
  guint y = gtk_drop_down_get_selected (self->y_dropdown);

  if (n < 2 || x >= n || y >= n || x == y)
    {
      bourse_heatmap_set_grid (self->heatmap, NULL, NULL, NULL);
      return;
    }

  bourse_heatmap_set_grid (self->heatmap,
                           bourse_heatmap_grid_new (bourse_json_get_array (result, "candidates"),
                                                    self->searched[x], self->searched[y]),
                           self->searched[x], self->searched[y]);
}

static void
bourse_optimisation_view_axis_cb (BourseOptimisationView *self,
                                  GParamSpec             *pspec,
                                  GtkDropDown            *dropdown)
{
  bourse_optimisation_view_update_heatmap (self);
}

/* }}} */

/* Walk-forward {{{ */

static GtkWidget *
grid_label (const char *text,
            const char *name,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (name != NULL)
    gtk_widget_set_name (label, name);
  if (heading)
    gtk_widget_add_css_class (label, "caption-heading");
  return label;
}

/* "12.50 % · 7 trades" */
static char *
format_sample (JsonObject *metrics)
{
  g_autofree char *change = NULL;
  gint64 trades = 0;

  if (metrics == NULL)
    return g_strdup ("—");

  change = bourse_format_ratio (metrics, "total_return");
  bourse_json_get_int (metrics, "trades", &trades);
  /* Translators: a return, then how many trades made it */
  return g_strdup_printf (_("%s · trades: %" PRId64), change, trades);
}

static char *
format_window (JsonObject *window)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  const char *start_text = bourse_json_get_string (window, "start");
  const char *end_text = bourse_json_get_string (window, "end");

  start = start_text != NULL ? g_date_time_new_from_iso8601 (start_text, NULL) : NULL;
  end = end_text != NULL ? g_date_time_new_from_iso8601 (end_text, NULL) : NULL;
  if (start == NULL || end == NULL)
    return g_strdup ("—");

  first = g_date_time_format (start, "%Y-%m-%d");
  last = g_date_time_format (end, "%Y-%m-%d");
  /* Translators: the first and the last day of a walk-forward window */
  return g_strdup_printf (_("%s to %s"), first, last);
}

static void
bourse_optimisation_view_show_folds (BourseOptimisationView *self,
                                     JsonObject             *result)
{
  JsonArray *folds = bourse_json_get_array (result, "folds");
  guint n_folds = folds != NULL ? json_array_get_length (folds) : 0;
  GtkWidget *child;
  guint row = 1;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->folds_grid))) != NULL)
    gtk_grid_remove (self->folds_grid, child);

  gtk_widget_set_visible (self->folds_box, n_folds > 0);
  if (n_folds == 0)
    return;

  gtk_grid_attach (self->folds_grid, grid_label (_("Fold"), NULL, TRUE), 0, 0, 1, 1);
  gtk_grid_attach (self->folds_grid, grid_label (_("Training"), NULL, TRUE), 1, 0, 1, 1);
  gtk_grid_attach (self->folds_grid, grid_label (_("Test"), NULL, TRUE), 2, 0, 1, 1);
  gtk_grid_attach (self->folds_grid, grid_label (_("Parameters"), NULL, TRUE), 3, 0, 1, 1);
  gtk_grid_attach (self->folds_grid, grid_label (_("In Sample"), NULL, TRUE), 4, 0, 1, 1);
  gtk_grid_attach (self->folds_grid, grid_label (_("Out of Sample"), NULL, TRUE), 5, 0, 1, 1);

  for (guint i = 0; i < n_folds; i++, row++)
    {
      JsonNode *node = json_array_get_element (folds, i);
      JsonObject *fold = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      g_autofree char *train = format_window (bourse_json_get_object (fold, "train"));
      g_autofree char *test = format_window (bourse_json_get_object (fold, "test"));
      g_autofree char *params = bourse_format_params (bourse_json_get_object (fold, "params"));
      g_autofree char *in_sample = format_sample (bourse_json_get_object (fold, "in_sample"));
      g_autofree char *out_of_sample = format_sample (bourse_json_get_object (fold, "out_of_sample"));
      g_autofree char *in_name = g_strdup_printf ("fold-%u-in-sample", i + 1);
      g_autofree char *out_name = g_strdup_printf ("fold-%u-out-of-sample", i + 1);

      gtk_grid_attach (self->folds_grid, grid_label (number, NULL, FALSE), 0, row, 1, 1);
      gtk_grid_attach (self->folds_grid, grid_label (train, NULL, FALSE), 1, row, 1, 1);
      gtk_grid_attach (self->folds_grid, grid_label (test, NULL, FALSE), 2, row, 1, 1);
      gtk_grid_attach (self->folds_grid, grid_label (params, NULL, FALSE), 3, row, 1, 1);
      gtk_grid_attach (self->folds_grid, grid_label (in_sample, in_name, FALSE), 4, row, 1, 1);
      gtk_grid_attach (self->folds_grid, grid_label (out_of_sample, out_name, FALSE), 5, row, 1, 1);
    }

  {
    g_autofree char *in_sample = format_sample (bourse_json_get_object (result, "in_sample"));
    g_autofree char *out_of_sample = format_sample (bourse_json_get_object (result, "out_of_sample"));

    gtk_grid_attach (self->folds_grid, grid_label (_("All folds"), NULL, TRUE), 0, row, 4, 1);
    gtk_grid_attach (self->folds_grid, grid_label (in_sample, "folds-in-sample", TRUE), 4, row, 1, 1);
    gtk_grid_attach (self->folds_grid, grid_label (out_of_sample, "folds-out-of-sample", TRUE), 5, row, 1, 1);
  }
}

/* }}} */

/* Applying the winner {{{ */

static void
bourse_optimisation_view_update_apply (BourseOptimisationView *self)
{
  gboolean succeeded = g_strcmp0 (bourse_json_get_string (self->optimisation, "status"), "succeeded") == 0;

  if (self->apply_button == NULL)
    return;

  gtk_widget_set_visible (self->apply_button, self->can_apply);
  gtk_widget_set_sensitive (self->apply_button, self->client != NULL && self->can_apply && succeeded);
}

static void
bourse_optimisation_view_applied_cb (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(BourseOptimisationView) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL)
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);

      /* Translators: the server's words */
      message = g_strdup_printf (_("Could not apply the parameters: %s"), text);
    }
  else
    {
      const char *name = bourse_json_get_string (JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL,
                                                 "name");

      /* Translators: a live strategy's name */
      message = g_strdup_printf (_("Parameters applied to “%s”"), name != NULL ? name : "?");
    }

  bourse_widget_show_toast (GTK_WIDGET (self), message);
}

static void
bourse_optimisation_view_apply_response_cb (AdwMessageDialog       *dialog,
                                            const char             *response,
                                            BourseOptimisationView *self)
{
  GArray *ids = g_object_get_data (G_OBJECT (dialog), "strategy-ids");
  GtkDropDown *dropdown = g_object_get_data (G_OBJECT (dialog), "dropdown");
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  if (!g_str_equal (response, "apply") || self->client == NULL || selected >= ids->len)
    return;

  object = json_object_new ();
  json_object_set_int_member (object, "live_strategy_id", g_array_index (ids, gint64, selected));
  body = json_node_init_object (json_node_alloc (), object);
  path = g_strdup_printf ("/api/v1/optimisations/%" PRId64 "/apply", self->id);
  bourse_client_request_json_async (self->client, "POST", path, body, self->cancellable,
                                    bourse_optimisation_view_applied_cb, g_object_ref (self));
}

static void
bourse_optimisation_view_strategies_cb (GObject      *object,
                                        GAsyncResult *result,
                                        gpointer      user_data)
{
  g_autoptr(BourseOptimisationView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error);
  JsonArray *items;
  const char *type = bourse_json_get_string (self->optimisation, "strategy");
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *heading = NULL;
  g_autofree char *params = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dropdown;
  GtkWidget *dialog;

  /* Cancelled is how a disposed view learns of its answer: its children
   * are gone then, the button with them. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->apply_button == NULL)
    return;

  gtk_widget_set_sensitive (self->apply_button, TRUE);
  if (answer == NULL)
    {
      g_debug ("Could not load the live strategies: %s", error->message);
      return;
    }
  items = JSON_NODE_HOLDS_OBJECT (answer) ? bourse_json_get_array (json_node_get_object (answer), "items") : NULL;

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *strategy = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *name = NULL;
      gint64 id = 0;

      if (g_strcmp0 (bourse_json_get_string (strategy, "strategy"), type) != 0 ||
          !bourse_json_get_int (strategy, "id", &id))
        continue;

      /* Translators: a live strategy's name, its instrument and interval */
      name = g_strdup_printf (_("%s · %s · %s"), bourse_json_get_string (strategy, "name") ?: "?",
                              bourse_json_get_string (strategy, "symbol") ?: "?",
                              bourse_json_get_string (strategy, "interval") ?: "?");
      gtk_string_list_append (names, name);
      g_array_append_val (ids, id);
    }

  if (ids->len == 0)
    {
      bourse_widget_show_toast (GTK_WIDGET (self), _("No live strategy runs this strategy"));
      return;
    }

  /* Translators: an optimisation's number */
  heading = g_strdup_printf (_("Apply Optimisation #%" PRId64 "?"), self->id);
  params = bourse_format_params (bourse_json_get_object (self->optimisation, "best_params"));
  /* Translators: the winning parameters */
  body = g_strdup_printf (_("The live strategy chosen takes the winner's parameters: %s."), params);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);
  gtk_widget_set_name (dialog, "apply-optimisation-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", _("_Apply"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_widget_set_name (dropdown, "live-strategy-dropdown");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), dropdown);
  g_object_set_data_full (G_OBJECT (dialog), "strategy-ids", g_steal_pointer (&ids),
                          (GDestroyNotify) g_array_unref);
  g_object_set_data (G_OBJECT (dialog), "dropdown", dropdown);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_optimisation_view_apply_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bourse_optimisation_view_apply_clicked_cb (BourseOptimisationView *self,
                                           GtkButton              *button)
{
  if (self->client == NULL || self->id == 0)
    return;

  /* Once: the dialog comes with the list. */
  gtk_widget_set_sensitive (self->apply_button, FALSE);
  bourse_client_get_json_async (self->client, "/api/v1/strategies?limit=500", self->cancellable,
                                bourse_optimisation_view_strategies_cb, g_object_ref (self));
}

/* }}} */

void
bourse_optimisation_view_set_optimisation (BourseOptimisationView *self,
                                           JsonObject             *optimisation)
{
  JsonObject *result, *request, *space, *best;
  JsonArray *candidates;
  g_autoptr(GtkStringList) axes = gtk_string_list_new (NULL);
  g_autoptr(GString) summary = g_string_new (NULL);
  guint n_searched;

  g_return_if_fail (BOURSE_IS_OPTIMISATION_VIEW (self));

  /* Disposed: nothing left to show it in. */
  if (self->column_view == NULL)
    return;

  if (optimisation != NULL)
    json_object_ref (optimisation);
  g_clear_pointer (&self->optimisation, json_object_unref);
  self->optimisation = optimisation;
  self->id = 0;
  bourse_json_get_int (optimisation, "id", &self->id);

  result = bourse_json_get_object (optimisation, "result");
  request = bourse_json_get_object (optimisation, "request");
  space = bourse_json_get_object (request, "space");
  candidates = bourse_json_get_array (result, "candidates");
  best = bourse_json_get_object (result, "best");

  g_clear_pointer (&self->searched, g_strfreev);
  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_autoptr(GList) members = space != NULL ? json_object_get_members (space) : NULL;

    for (GList *l = members; l != NULL; l = l->next)
      {
        g_strv_builder_add (builder, l->data);
        gtk_string_list_append (axes, l->data);
      }
    self->searched = g_strv_builder_end (builder);
  }
  n_searched = g_strv_length (self->searched);

  /* The columns: rank, the searched parameters, then the figures. */
  bourse_optimisation_view_clear_columns (self);
  bourse_optimisation_view_add_column (self, _("Rank"), COLUMN_RANK, NULL);
  for (guint i = 0; i < n_searched; i++)
    bourse_optimisation_view_add_column (self, self->searched[i], COLUMN_PARAM, self->searched[i]);
  bourse_optimisation_view_add_column (self, _("Objective"), COLUMN_OBJECTIVE, NULL);
  bourse_optimisation_view_add_column (self, _("Total Return"), COLUMN_PERCENT, "total_return");
  bourse_optimisation_view_add_column (self, _("Sharpe"), COLUMN_RATIO, "sharpe");
  bourse_optimisation_view_add_column (self, _("Max. Drawdown"), COLUMN_PERCENT, "max_drawdown");
  bourse_optimisation_view_add_column (self, _("Trades"), COLUMN_COUNT, "trades");

  g_list_store_remove_all (self->store);
  for (guint i = 0; candidates != NULL && i < json_array_get_length (candidates); i++)
    {
      JsonNode *node = json_array_get_element (candidates, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autoptr(BourseCandidate) item = bourse_candidate_new (json_node_get_object (node));

          g_list_store_append (self->store, item);
        }
    }

  if (best != NULL)
    {
      g_autofree char *params = bourse_format_params (bourse_json_get_object (best, "params"));
      ColumnKey key = { COLUMN_OBJECTIVE, NULL };
      g_autofree char *objective = column_text (&key, best);
      gint64 combinations = 0, invalid = 0, seed = 0;

      bourse_json_get_int (result, "combinations", &combinations);
      bourse_json_get_int (result, "invalid", &invalid);
      bourse_json_get_int (result, "seed", &seed);
      /* Translators: the winning parameters and its objective's name and value */
      g_string_append_printf (summary, _("Best: %s · %s %s"), params,
                              bourse_json_get_string (result, "objective") ?: "?", objective);
      g_string_append_c (summary, '\n');
      /* Translators: candidates run, combinations the strategy refused, the random seed */
      g_string_append_printf (summary, _("%u candidates · %" PRId64 " refused · seed %" PRId64),
                              g_list_model_get_n_items (G_LIST_MODEL (self->store)), invalid, seed);
    }
  gtk_label_set_label (self->summary_label, summary->str);
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), summary->len > 0);

  /* The heatmap's axes: the first two searched parameters to begin with. */
  g_signal_handlers_block_by_func (self->x_dropdown, bourse_optimisation_view_axis_cb, self);
  g_signal_handlers_block_by_func (self->y_dropdown, bourse_optimisation_view_axis_cb, self);
  gtk_drop_down_set_model (self->x_dropdown, G_LIST_MODEL (axes));
  gtk_drop_down_set_model (self->y_dropdown, G_LIST_MODEL (axes));
  gtk_drop_down_set_selected (self->x_dropdown, 0);
  gtk_drop_down_set_selected (self->y_dropdown, n_searched > 1 ? 1 : 0);
  g_signal_handlers_unblock_by_func (self->x_dropdown, bourse_optimisation_view_axis_cb, self);
  g_signal_handlers_unblock_by_func (self->y_dropdown, bourse_optimisation_view_axis_cb, self);
  gtk_widget_set_visible (self->heatmap_box, n_searched > 1 && candidates != NULL);
  bourse_optimisation_view_update_heatmap (self);

  bourse_optimisation_view_show_folds (self, result);
  bourse_optimisation_view_update_apply (self);
}

guint
bourse_optimisation_view_get_n_rows (BourseOptimisationView *self)
{
  g_return_val_if_fail (BOURSE_IS_OPTIMISATION_VIEW (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

JsonObject *
bourse_optimisation_view_get_row (BourseOptimisationView *self,
                                  guint                   position)
{
  g_autoptr(BourseCandidate) item = NULL;

  g_return_val_if_fail (BOURSE_IS_OPTIMISATION_VIEW (self), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);
  return item != NULL ? item->object : NULL;
}

void
bourse_optimisation_view_set_client (BourseOptimisationView *self,
                                     BourseClient           *client)
{
  g_return_if_fail (BOURSE_IS_OPTIMISATION_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_set_object (&self->client, client);
  if (client != NULL)
    self->cancellable = g_cancellable_new ();
  bourse_optimisation_view_update_apply (self);
}

void
bourse_optimisation_view_set_can_apply (BourseOptimisationView *self,
                                        gboolean                can_apply)
{
  g_return_if_fail (BOURSE_IS_OPTIMISATION_VIEW (self));

  self->can_apply = !!can_apply;
  bourse_optimisation_view_update_apply (self);
}

static void
bourse_optimisation_view_dispose (GObject *object)
{
  BourseOptimisationView *self = (BourseOptimisationView *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  /* The drop-downs go one after the other: neither may reach the view's
   * update, and through it the other, on its way out. */
  if (self->x_dropdown != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->x_dropdown, self);
      g_signal_handlers_disconnect_by_data (self->y_dropdown, self);
      g_signal_handlers_disconnect_by_data (self->apply_button, self);
    }

  /* The box unparents its children: what points at them would dangle
   * for whatever still holds the view (an answer in flight, the page
   * while it is disposed) and reaches it afterwards. */
  G_OBJECT_CLASS (bourse_optimisation_view_parent_class)->dispose (object);

  self->summary_label = NULL;
  self->apply_button = NULL;
  self->column_view = NULL;
  self->heatmap_box = NULL;
  self->x_dropdown = NULL;
  self->y_dropdown = NULL;
  self->heatmap = NULL;
  self->folds_box = NULL;
  self->folds_grid = NULL;
}

static void
bourse_optimisation_view_finalize (GObject *object)
{
  BourseOptimisationView *self = (BourseOptimisationView *)object;

  g_clear_pointer (&self->optimisation, json_object_unref);
  g_clear_pointer (&self->searched, g_strfreev);
  g_clear_object (&self->store);
  g_clear_object (&self->sorted);

  G_OBJECT_CLASS (bourse_optimisation_view_parent_class)->finalize (object);
}

static void
bourse_optimisation_view_class_init (BourseOptimisationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_optimisation_view_dispose;
  object_class->finalize = bourse_optimisation_view_finalize;
}

static GtkWidget *
caption (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption-heading");
  return label;
}

static void
bourse_optimisation_view_init (BourseOptimisationView *self)
{
  GtkWidget *scrolled, *axes, *label;
  GtkNoSelection *selection;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_set_name (GTK_WIDGET (self), "optimisation-view");

  self->summary_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->summary_label), "optimisation-summary");
  gtk_label_set_xalign (self->summary_label, 0);
  gtk_label_set_wrap (self->summary_label, TRUE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->summary_label));

  self->apply_button = gtk_button_new_with_mnemonic (_("_Apply to a Live Strategy…"));
  gtk_widget_set_name (self->apply_button, "apply-button");
  gtk_widget_set_halign (self->apply_button, GTK_ALIGN_END);
  gtk_widget_add_css_class (self->apply_button, "suggested-action");
  g_signal_connect_swapped (self->apply_button, "clicked",
                            G_CALLBACK (bourse_optimisation_view_apply_clicked_cb), self);
  gtk_box_append (GTK_BOX (self), self->apply_button);

  /* The candidates, sortable by each column: best first to begin with. */
  gtk_box_append (GTK_BOX (self), caption (_("Candidates (dimmed: too few trades)")));
  self->store = g_list_store_new (BOURSE_TYPE_CANDIDATE);
  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->column_view), "candidates-view");
  gtk_column_view_set_show_column_separators (self->column_view, TRUE);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->store)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 260);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->column_view));
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (GTK_BOX (self), scrolled);

  /* The heatmap of two parameters chosen. */
  self->heatmap_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (self->heatmap_box, 12);
  gtk_box_append (GTK_BOX (self->heatmap_box), caption (_("Objective over two parameters")));
  axes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = gtk_label_new (_("Across"));
  gtk_box_append (GTK_BOX (axes), label);
  self->x_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_widget_set_name (GTK_WIDGET (self->x_dropdown), "heatmap-x");
  gtk_box_append (GTK_BOX (axes), GTK_WIDGET (self->x_dropdown));
  label = gtk_label_new (_("Up"));
  gtk_box_append (GTK_BOX (axes), label);
  self->y_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
  gtk_widget_set_name (GTK_WIDGET (self->y_dropdown), "heatmap-y");
  gtk_box_append (GTK_BOX (axes), GTK_WIDGET (self->y_dropdown));
  g_signal_connect_swapped (self->x_dropdown, "notify::selected", G_CALLBACK (bourse_optimisation_view_axis_cb), self);
  g_signal_connect_swapped (self->y_dropdown, "notify::selected", G_CALLBACK (bourse_optimisation_view_axis_cb), self);
  gtk_box_append (GTK_BOX (self->heatmap_box), axes);
  self->heatmap = BOURSE_HEATMAP (bourse_heatmap_new ());
  gtk_widget_set_name (GTK_WIDGET (self->heatmap), "heatmap");
  gtk_box_append (GTK_BOX (self->heatmap_box), GTK_WIDGET (self->heatmap));
  gtk_box_append (GTK_BOX (self), self->heatmap_box);

  /* Walk-forward: each fold's training and test, and all of them. */
  self->folds_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_name (self->folds_box, "folds-box");
  gtk_widget_set_margin_top (self->folds_box, 12);
  gtk_box_append (GTK_BOX (self->folds_box), caption (_("Walk-forward: the winner of each training part on its test part")));
  self->folds_grid = GTK_GRID (gtk_grid_new ());
  gtk_widget_set_name (GTK_WIDGET (self->folds_grid), "folds-grid");
  gtk_grid_set_column_spacing (self->folds_grid, 12);
  gtk_grid_set_row_spacing (self->folds_grid, 4);
  gtk_box_append (GTK_BOX (self->folds_box), GTK_WIDGET (self->folds_grid));
  gtk_box_append (GTK_BOX (self), self->folds_box);

  gtk_widget_set_visible (self->heatmap_box, FALSE);
  gtk_widget_set_visible (self->folds_box, FALSE);
  gtk_widget_set_visible (self->apply_button, FALSE);
}

GtkWidget *
bourse_optimisation_view_new (void)
{
  return g_object_new (BOURSE_TYPE_OPTIMISATION_VIEW, NULL);
}
