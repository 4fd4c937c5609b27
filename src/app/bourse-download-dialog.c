/* bourse-download-dialog.c — history from Binance, as a job with progress
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The job is a BourseClientJob: the POST's answer makes it, the jobs
 * topic's events (and a GET once it is known, and after a resync) update
 * it, and the progress page follows its notify.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "client/bourse-client-records.h"

#include "bourse-app-util.h"
#include "bourse-download-dialog.h"
#include "bourse-import-dialog.h"

#define JOBS_TOPIC "jobs"

struct _BourseDownloadDialog
{
  AdwWindow      parent_instance;

  BourseClient  *client;
  GSignalGroup  *client_signals;
  GCancellable  *cancellable;
  BourseClientJob *job;        /* the download, once started; kept live by "jobs" */
  char          *symbol;       /* of the job */
  char          *interval;
  gboolean       subscribed;
  gboolean       finished;

  GtkButton     *close_button;
  GtkSpinner    *spinner;
  GtkStack      *stack;
  GtkWidget     *form;
  AdwComboRow   *symbol_row;
  AdwComboRow   *interval_row;
  GtkWidget     *start_row;
  GtkWidget     *end_row;
  GtkLabel      *error_label;
  AdwStatusPage *progress_page;
  GtkProgressBar *progress_bar;
  GtkLabel      *message_label;
  GtkWidget     *cancel_job_button;
};

G_DEFINE_FINAL_TYPE (BourseDownloadDialog, bourse_download_dialog, ADW_TYPE_WINDOW)

enum {
  DOWNLOADED,
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
bourse_download_dialog_clear_errors (BourseDownloadDialog *self)
{
  gtk_widget_remove_css_class (self->start_row, "error");
  gtk_widget_remove_css_class (self->end_row, "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
bourse_download_dialog_show_error (BourseDownloadDialog *self,
                                   GtkWidget            *row,
                                   const char           *message)
{
  if (row != NULL)
    gtk_widget_add_css_class (row, "error");
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
bourse_download_dialog_set_busy (BourseDownloadDialog *self,
                                 gboolean              busy)
{
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "download.start",
                                 !busy && self->job == NULL &&
                                 selected_string (self->symbol_row) != NULL);
}

static void
bourse_download_dialog_changed_cb (BourseDownloadDialog *self,
                                   GtkEditable          *editable)
{
  g_assert (BOURSE_IS_DOWNLOAD_DIALOG (self));

  bourse_download_dialog_clear_errors (self);
}

/* Job {{{ */

static const char *
status_to_display (const char *status)
{
  if (g_strcmp0 (status, "queued") == 0)
    return _("Waiting to Start…");
  if (g_strcmp0 (status, "running") == 0)
    return _("Downloading…");
  if (g_strcmp0 (status, "succeeded") == 0)
    return _("Downloaded");
  if (g_strcmp0 (status, "failed") == 0)
    return _("Download Failed");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Download Stopped");

  return status != NULL ? status : "";
}

/* The job changed (the POST's answer, the topic, a resync): the page
 * follows what it says. */
static void
bourse_download_dialog_job_changed_cb (BourseDownloadDialog *self)
{
  const char *status = bourse_client_job_get_status (self->job);
  const char *error = bourse_client_job_get_error (self->job);
  const char *message = bourse_client_job_get_message (self->job);
  double fraction = bourse_client_job_get_fraction (self->job);
  g_autofree char *percent = g_strdup_printf ("%d %%", (int) (fraction * 100));

  if (status == NULL || self->finished)
    return;

  adw_status_page_set_title (self->progress_page, status_to_display (status));
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, percent);
  gtk_label_set_label (self->message_label, error != NULL ? error : message != NULL ? message : "");
  if (error != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");

  /* The job takes no news after its end (BourseClientJob): it ends here once. */
  if (bourse_client_job_is_ended (self->job))
    {
      self->finished = TRUE;
      gtk_widget_set_visible (self->cancel_job_button, FALSE);
      gtk_button_set_label (self->close_button, _("_Close"));
      bourse_download_dialog_set_busy (self, FALSE);
      if (g_strcmp0 (status, "failed") != 0)
        g_signal_emit (self, signals[DOWNLOADED], 0, self->symbol, self->interval);
    }
}

/* The job as an answer or an event gives it; another job's is passed over. */
static void
bourse_download_dialog_take_job (BourseDownloadDialog *self,
                                 JsonNode             *node)
{
  if (self->job != NULL && JSON_NODE_HOLDS_OBJECT (node))
    bourse_client_object_update (BOURSE_CLIENT_OBJECT (self->job), json_node_get_object (node));
}

static void
bourse_download_dialog_job_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BourseDownloadDialog) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_label (self->message_label, error->message);
          gtk_widget_set_sensitive (self->cancel_job_button, TRUE);
        }
      return;
    }

  bourse_download_dialog_take_job (self, answer);
}

static void
bourse_download_dialog_event_cb (BourseDownloadDialog *self,
                                 const char           *topic,
                                 gint64                seq,
                                 JsonNode             *data,
                                 BourseClient         *client)
{
  g_assert (BOURSE_IS_DOWNLOAD_DIALOG (self));

  bourse_download_dialog_take_job (self, data);
}

/* Missed events, or events that overtook the POST's answer: ask for the
 * job itself. */
static void
bourse_download_dialog_fetch_job (BourseDownloadDialog *self)
{
  g_autofree char *path = NULL;

  if (self->job == NULL || self->finished)
    return;

  path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT, bourse_client_job_get_id (self->job));
  bourse_client_get_json_async (self->client, path, self->cancellable,
                                bourse_download_dialog_job_cb, g_object_ref (self));
}

static void
bourse_download_dialog_resync_cb (BourseDownloadDialog *self,
                                  const char           *topic,
                                  BourseClient         *client)
{
  g_assert (BOURSE_IS_DOWNLOAD_DIALOG (self));

  bourse_download_dialog_fetch_job (self);
}

static void
bourse_download_dialog_cancel_job_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *param)
{
  BourseDownloadDialog *self = BOURSE_DOWNLOAD_DIALOG (widget);
  g_autofree char *path = NULL;

  if (self->job == NULL || self->finished)
    return;

  gtk_widget_set_sensitive (self->cancel_job_button, FALSE);
  path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT "/cancel", bourse_client_job_get_id (self->job));
  bourse_client_request_json_async (self->client, "POST", path, NULL, self->cancellable,
                                    bourse_download_dialog_job_cb, g_object_ref (self));
}

/* }}} */

/* Starting {{{ */

static GtkWidget *
bourse_download_dialog_row_for_field (BourseDownloadDialog *self,
                                      const char           *field)
{
  if (g_strcmp0 (field, "start") == 0)
    return self->start_row;
  if (g_strcmp0 (field, "end") == 0)
    return self->end_row;
  if (g_strcmp0 (field, "symbol") == 0)
    return GTK_WIDGET (self->symbol_row);
  if (g_strcmp0 (field, "interval") == 0)
    return GTK_WIDGET (self->interval_row);
  return NULL;
}

static void
bourse_download_dialog_started_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BourseDownloadDialog) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL)
    {
      JsonArray *errors = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
                        ? bourse_json_get_array (json_node_get_object (problem), "errors") : NULL;
      JsonNode *first = errors != NULL && json_array_get_length (errors) > 0
                      ? json_array_get_element (errors, 0) : NULL;
      JsonObject *field_error = first != NULL && JSON_NODE_HOLDS_OBJECT (first)
                              ? json_node_get_object (first) : NULL;
      const char *field = bourse_json_get_string (field_error, "field");
      const char *message = bourse_json_get_string (field_error, "message");
      GtkWidget *row = bourse_download_dialog_row_for_field (self, field);
      g_autofree char *text = NULL;

      bourse_download_dialog_set_busy (self, FALSE);
      if (row != NULL && message != NULL)
        /* Translators: a form field's title, then what is wrong with it */
        text = g_strdup_printf (_("%s: %s"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                message);
      bourse_download_dialog_show_error (self, row, text != NULL ? text : error->message);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (answer)
      || !(self->job = BOURSE_CLIENT_JOB (bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_JOB,
                                                                               json_node_get_object (answer)))))
    {
      bourse_download_dialog_set_busy (self, FALSE);
      bourse_download_dialog_show_error (self, NULL, _("The server did not say which job it started"));
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "progress");
  bourse_download_dialog_set_busy (self, FALSE);
  gtk_button_set_label (self->close_button, _("_Hide"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->close_button),
                               _("The download goes on without this window"));
  g_signal_connect_object (self->job, "notify", G_CALLBACK (bourse_download_dialog_job_changed_cb),
                           self, G_CONNECT_SWAPPED);
  bourse_download_dialog_job_changed_cb (self);
  /* Its events before this answer were passed over (no job yet). */
  bourse_download_dialog_fetch_job (self);
}

static void
bourse_download_dialog_start_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BourseDownloadDialog *self = BOURSE_DOWNLOAD_DIALOG (widget);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  gint64 start, end;

  if (self->client == NULL || self->job != NULL || selected_string (self->symbol_row) == NULL)
    return;

  bourse_download_dialog_clear_errors (self);
  if (!bourse_parse_local_day (gtk_editable_get_text (GTK_EDITABLE (self->start_row)), 0, &start))
    {
      bourse_download_dialog_show_error (self, self->start_row, _("Enter the first day as YYYY-MM-DD"));
      return;
    }
  /* The last day is included: up to the millisecond before the next. */
  if (!bourse_parse_local_day (gtk_editable_get_text (GTK_EDITABLE (self->end_row)), 1, &end))
    {
      bourse_download_dialog_show_error (self, self->end_row, _("Enter the last day as YYYY-MM-DD"));
      return;
    }
  end -= 1;
  if (end < start)
    {
      bourse_download_dialog_show_error (self, self->end_row, _("The last day comes before the first"));
      return;
    }

  /* The job's instrument and interval, for "downloaded". */
  g_free (self->symbol);
  self->symbol = g_strdup (selected_string (self->symbol_row));
  g_free (self->interval);
  self->interval = g_strdup (selected_string (self->interval_row));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, self->symbol);
  json_builder_set_member_name (builder, "interval");
  json_builder_add_string_value (builder, self->interval);
  json_builder_set_member_name (builder, "start");
  json_builder_add_int_value (builder, start);
  json_builder_set_member_name (builder, "end");
  json_builder_add_int_value (builder, end);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* Subscribed before the job exists, so none of its events is missed. */
  if (!self->subscribed)
    {
      bourse_client_subscribe (self->client, JOBS_TOPIC);
      self->subscribed = TRUE;
    }

  bourse_download_dialog_set_busy (self, TRUE);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/market/download", body,
                                    self->cancellable, bourse_download_dialog_started_cb,
                                    g_object_ref (self));
}

/* }}} */

const char *
bourse_download_dialog_get_job_id (BourseDownloadDialog *self)
{
  g_return_val_if_fail (BOURSE_IS_DOWNLOAD_DIALOG (self), NULL);

  return self->job != NULL ? bourse_client_object_get_key (BOURSE_CLIENT_OBJECT (self->job)) : NULL;
}

const char *
bourse_download_dialog_get_status (BourseDownloadDialog *self)
{
  g_return_val_if_fail (BOURSE_IS_DOWNLOAD_DIALOG (self), NULL);

  return self->job != NULL ? bourse_client_job_get_status (self->job) : NULL;
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
bourse_download_dialog_dispose (GObject *object)
{
  BourseDownloadDialog *self = (BourseDownloadDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client != NULL && self->subscribed)
    bourse_client_unsubscribe (self->client, JOBS_TOPIC);
  self->subscribed = FALSE;
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);
  g_clear_object (&self->job);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_DOWNLOAD_DIALOG);

  G_OBJECT_CLASS (bourse_download_dialog_parent_class)->dispose (object);
}

static void
bourse_download_dialog_finalize (GObject *object)
{
  BourseDownloadDialog *self = (BourseDownloadDialog *)object;

  g_clear_pointer (&self->symbol, g_free);
  g_clear_pointer (&self->interval, g_free);

  G_OBJECT_CLASS (bourse_download_dialog_parent_class)->finalize (object);
}

static void
bourse_download_dialog_class_init (BourseDownloadDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_download_dialog_dispose;
  object_class->finalize = bourse_download_dialog_finalize;

  /**
   * BourseDownloadDialog::downloaded:
   * @symbol: the instrument
   * @interval: its interval
   *
   * The job ended and may have stored candles.
   */
  signals[DOWNLOADED] =
    g_signal_new ("downloaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "download.start", NULL,
                                   bourse_download_dialog_start_action);
  gtk_widget_class_install_action (widget_class, "download.cancel-job", NULL,
                                   bourse_download_dialog_cancel_job_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-download-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, form);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, symbol_row);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, interval_row);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, end_row);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, BourseDownloadDialog, cancel_job_button);
  gtk_widget_class_bind_template_callback (widget_class, bourse_download_dialog_changed_cb);
}

static void
bourse_download_dialog_init (BourseDownloadDialog *self)
{
  g_autoptr(GtkStringList) intervals = gtk_string_list_new ((const char * const *) bourse_all_intervals);
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (today, -30);
  g_autofree char *today_text = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *month_ago_text = g_date_time_format (month_ago, "%Y-%m-%d");

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  adw_combo_row_set_model (self->interval_row, G_LIST_MODEL (intervals));
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), month_ago_text);
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), today_text);

  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" JOBS_TOPIC,
                                 G_CALLBACK (bourse_download_dialog_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" JOBS_TOPIC,
                                 G_CALLBACK (bourse_download_dialog_resync_cb),
                                 self, G_CONNECT_SWAPPED);
}

/* A request in flight may keep us past the parent window, and GTK 4.8
 * still points at a transient parent when it is gone: let go of it first. */
static void
bourse_download_dialog_parent_destroy_cb (GtkWindow *self,
                                          GtkWidget *parent)
{
  gtk_window_set_transient_for (self, NULL);
}

GtkWidget *
bourse_download_dialog_new (GtkWindow          *parent,
                            BourseClient       *client,
                            const char * const *symbols,
                            const char         *symbol,
                            const char         *interval)
{
  g_autoptr(GtkStringList) model = NULL;
  BourseDownloadDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BOURSE_IS_CLIENT (client), NULL);

  self = g_object_new (BOURSE_TYPE_DOWNLOAD_DIALOG,
                       "transient-for", parent,
                       NULL);
  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (bourse_download_dialog_parent_destroy_cb),
                             self, G_CONNECT_SWAPPED);
  self->client = g_object_ref (client);
  g_signal_group_set_target (self->client_signals, client);

  model = gtk_string_list_new (symbols);
  adw_combo_row_set_model (self->symbol_row, G_LIST_MODEL (model));
  select_string (self->symbol_row, symbol);
  select_string (self->interval_row, interval);
  bourse_download_dialog_set_busy (self, FALSE);

  if (symbols == NULL || symbols[0] == NULL)
    bourse_download_dialog_show_error (self, GTK_WIDGET (self->symbol_row),
                                       _("No instrument here is fed from Binance, and only those "
                                         "can be downloaded. An administrator can add one with the "
                                         "source “binance”."));

  return GTK_WIDGET (self);
}
