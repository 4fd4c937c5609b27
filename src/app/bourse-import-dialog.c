/* bourse-import-dialog.c — a CSV file of candles into the store
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-import-dialog.h"

const char * const bourse_all_intervals[] = {
  "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M", NULL
};

/* In the order of the format row's items. */
static const char * const formats[] = { "auto", "binance", "generic" };

struct _BourseImportDialog
{
  AdwWindow      parent_instance;

  BourseClient  *client;
  GCancellable  *cancellable;
  GFile         *file;

  GtkButton     *close_button;
  GtkButton     *import_button;
  GtkSpinner    *spinner;
  GtkWidget     *form;
  AdwActionRow  *file_row;
  AdwComboRow   *symbol_row;
  AdwComboRow   *interval_row;
  AdwComboRow   *format_row;
  GtkLabel      *result_label;
};

G_DEFINE_FINAL_TYPE (BourseImportDialog, bourse_import_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
selected_string (AdwComboRow *row)
{
  GObject *item = adw_combo_row_get_selected_item (row);

  return item != NULL ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

static void
bourse_import_dialog_set_busy (BourseImportDialog *self,
                               gboolean            busy)
{
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.run",
                                 !busy && self->file != NULL && selected_string (self->symbol_row) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.choose", !busy);
}

static void
bourse_import_dialog_show_result (BourseImportDialog *self,
                                  const char         *text,
                                  gboolean            failed)
{
  gtk_label_set_label (self->result_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
  if (failed)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "success");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), "error");
    }
}

/* The file's first error, as the server words it ("Line 3, column 2: …"). */
static const char *
problem_message (JsonNode *problem)
{
  JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
                     ? json_node_get_object (problem) : NULL;
  JsonArray *errors = bourse_json_get_array (object, "errors");

  if (errors != NULL && json_array_get_length (errors) > 0)
    {
      JsonNode *first = json_array_get_element (errors, 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        return bourse_json_get_string (json_node_get_object (first), "message");
    }

  return NULL;
}

static void
bourse_import_dialog_imported_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseImportDialog) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *summary;
  gint64 rows = 0, changed = 0;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  bourse_import_dialog_set_busy (self, FALSE);

  if (answer == NULL)
    {
      const char *message = problem_message (problem);

      text = g_strdup_printf (_("Nothing was imported. %s"), message != NULL ? message : error->message);
      bourse_import_dialog_show_result (self, text, TRUE);
      return;
    }

  summary = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  bourse_json_get_int (summary, "rows", &rows);
  bourse_json_get_int (summary, "changed", &changed);

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Imported %" PRId64 " candle, %" PRId64 " of them new or changed.",
                                       "Imported %" PRId64 " candles, %" PRId64 " of them new or changed.",
                                       (gulong) MIN (rows, G_MAXLONG)),
                          rows, changed);
  bourse_import_dialog_show_result (self, text, FALSE);
  gtk_button_set_label (self->close_button, _("_Close"));

  g_signal_emit (self, signals[IMPORTED], 0,
                 bourse_json_get_string (summary, "symbol") ?: selected_string (self->symbol_row),
                 bourse_json_get_string (summary, "interval") ?: selected_string (self->interval_row));
}

static void
bourse_import_dialog_loaded_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(BourseImportDialog) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *symbol = NULL;
  g_autofree char *path = NULL;
  guint format;

  if (!(bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error)))
    {
      g_autofree char *name = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      bourse_import_dialog_set_busy (self, FALSE);
      name = g_file_get_parse_name (G_FILE (object));
      text = g_strdup_printf (_("Could not read “%s”: %s"), name, error->message);
      bourse_import_dialog_show_result (self, text, TRUE);
      return;
    }

  symbol = g_uri_escape_string (selected_string (self->symbol_row), NULL, FALSE);
  format = MIN (adw_combo_row_get_selected (self->format_row), G_N_ELEMENTS (formats) - 1);
  path = g_strdup_printf ("/api/v1/market/import?symbol=%s&interval=%s&format=%s",
                          symbol, selected_string (self->interval_row), formats[format]);
  bourse_client_request_bytes_async (self->client, "POST", path, "text/csv", bytes,
                                     self->cancellable, bourse_import_dialog_imported_cb,
                                     g_object_ref (self));
}

static void
bourse_import_dialog_run_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  BourseImportDialog *self = BOURSE_IMPORT_DIALOG (widget);

  if (self->file == NULL || self->client == NULL || selected_string (self->symbol_row) == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  bourse_import_dialog_set_busy (self, TRUE);
  g_file_load_bytes_async (self->file, self->cancellable,
                           bourse_import_dialog_loaded_cb, g_object_ref (self));
}

static void
bourse_import_dialog_chooser_cb (BourseImportDialog   *self,
                                 int                   response,
                                 GtkFileChooserNative *chooser)
{
  g_assert (BOURSE_IS_IMPORT_DIALOG (self));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      bourse_import_dialog_set_file (self, file);
    }

  g_object_unref (chooser);
}

static void
bourse_import_dialog_choose_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  BourseImportDialog *self = BOURSE_IMPORT_DIALOG (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a CSV File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);

  /* The chooser holds itself until it answers. */
  g_signal_connect_object (chooser, "response", G_CALLBACK (bourse_import_dialog_chooser_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

GFile *
bourse_import_dialog_get_file (BourseImportDialog *self)
{
  g_return_val_if_fail (BOURSE_IS_IMPORT_DIALOG (self), NULL);

  return self->file;
}

void
bourse_import_dialog_set_file (BourseImportDialog *self,
                               GFile              *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (BOURSE_IS_IMPORT_DIALOG (self));
  g_return_if_fail (!file || G_IS_FILE (file));

  g_set_object (&self->file, file);
  name = file != NULL ? g_file_get_parse_name (file) : NULL;
  adw_action_row_set_subtitle (self->file_row, name != NULL ? name : _("None chosen"));
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
  bourse_import_dialog_set_busy (self, FALSE);
}

static void
select_string (AdwComboRow *row,
               const char  *value)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; value != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), value) == 0)
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
}

static void
bourse_import_dialog_dispose (GObject *object)
{
  BourseImportDialog *self = (BourseImportDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_IMPORT_DIALOG);

  g_clear_object (&self->client);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (bourse_import_dialog_parent_class)->dispose (object);
}

static void
bourse_import_dialog_class_init (BourseImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_import_dialog_dispose;

  /**
   * BourseImportDialog::imported:
   * @symbol: the instrument
   * @interval: its interval
   *
   * The server stored the file's candles.
   */
  signals[IMPORTED] =
    g_signal_new ("imported",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "import.run", NULL, bourse_import_dialog_run_action);
  gtk_widget_class_install_action (widget_class, "import.choose", NULL,
                                   bourse_import_dialog_choose_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, form);
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, symbol_row);
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, interval_row);
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, BourseImportDialog, result_label);
}

static void
bourse_import_dialog_init (BourseImportDialog *self)
{
  g_autoptr(GtkStringList) intervals = gtk_string_list_new ((const char * const *) bourse_all_intervals);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  adw_combo_row_set_model (self->interval_row, G_LIST_MODEL (intervals));
}

/* A request in flight may keep us past the parent window, and GTK 4.8
 * still points at a transient parent when it is gone: let go of it first. */
static void
bourse_import_dialog_parent_destroy_cb (GtkWindow *self,
                                        GtkWidget *parent)
{
  gtk_window_set_transient_for (self, NULL);
}

GtkWidget *
bourse_import_dialog_new (GtkWindow          *parent,
                          BourseClient       *client,
                          const char * const *symbols,
                          const char         *symbol,
                          const char         *interval)
{
  g_autoptr(GtkStringList) model = NULL;
  BourseImportDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BOURSE_IS_CLIENT (client), NULL);

  self = g_object_new (BOURSE_TYPE_IMPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (bourse_import_dialog_parent_destroy_cb),
                             self, G_CONNECT_SWAPPED);
  self->client = g_object_ref (client);

  model = gtk_string_list_new (symbols);
  adw_combo_row_set_model (self->symbol_row, G_LIST_MODEL (model));
  select_string (self->symbol_row, symbol);
  select_string (self->interval_row, interval);
  bourse_import_dialog_set_busy (self, FALSE);

  return GTK_WIDGET (self);
}
