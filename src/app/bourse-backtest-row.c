/* bourse-backtest-row.c — a backtest or an optimisation in the Backtests page's lists
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row follows its record: the "backtests" ("optimisations") topic
 * updates the object, its notify the row, so a run made anywhere shows its
 * end, its note and, given by the page from the jobs topic, its progress
 * where it is, without the list being read again.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "bourse-backtest-row.h"
#include "bourse-desktop-settings.h"
#include "bourse-param-form.h"
#include "bourse-trading-util.h"
#include "core/bourse-json.h"

struct _BourseBacktestRow
{
  AdwActionRow        parent_instance;

  BourseClientObject *record;
  char               *type_name;

  GtkProgressBar     *progress_bar;
};

G_DEFINE_FINAL_TYPE (BourseBacktestRow, bourse_backtest_row, ADW_TYPE_ACTION_ROW)

const char *
bourse_run_status_to_display (const char *status)
{
  if (g_strcmp0 (status, "queued") == 0)
    return _("Queued");
  if (g_strcmp0 (status, "running") == 0)
    return _("Running");
  if (g_strcmp0 (status, "succeeded") == 0)
    return _("Finished");
  if (g_strcmp0 (status, "failed") == 0)
    return _("Failed");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  return status != NULL ? status : "—";
}

char *
bourse_format_local_day (const char *rfc3339)
{
  g_autoptr(GDateTime) time = rfc3339 ? g_date_time_new_from_iso8601 (rfc3339, NULL) : NULL;
  g_autoptr(GDateTime) local = time ? g_date_time_to_timezone (time, bourse_settings_get_time_zone ()) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d") : g_strdup ("?");
}

/* What both kinds of rows show after the window and the state: the
 * author, then the note on a line of its own. */
static void
append_author_and_note (GString    *subtitle,
                        const char *who,
                        const char *note)
{
  if (who != NULL)
    {
      g_string_append (subtitle, " · ");
      /* Translators: who ran a backtest */
      g_string_append_printf (subtitle, _("by %s"), who);
    }
  if (note != NULL && note[0] != '\0')
    {
      g_string_append_c (subtitle, '\n');
      g_string_append (subtitle, note);
    }
}

/* "2026-01-01 to 2026-03-05 · Running": the window and the state. */
static GString *
window_and_status (const char *start,
                   const char *end,
                   const char *status)
{
  g_autofree char *start_day = bourse_format_local_day (start);
  g_autofree char *end_day = bourse_format_local_day (end);
  GString *subtitle = g_string_new (NULL);

  /* Translators: the first and the last day of a backtest's window */
  g_string_printf (subtitle, _("%s to %s"), start_day, end_day);
  g_string_append (subtitle, " · ");
  g_string_append (subtitle, status);
  return subtitle;
}

static void
bourse_backtest_row_sync_backtest (BourseBacktestRow    *self,
                                   BourseClientBacktest *backtest)
{
  JsonObject *summary = bourse_client_backtest_get_summary (backtest);
  double progress = bourse_client_backtest_get_progress (backtest);
  gboolean running = !bourse_client_backtest_is_ended (backtest) && progress >= 0;
  const char *status = bourse_run_status_to_display (bourse_client_backtest_get_status (backtest));
  g_autofree char *title = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GString) subtitle = NULL;

  /* Translators: a strategy, an instrument and an interval */
  title = g_strdup_printf (_("%s · %s · %s"),
                           self->type_name ?: bourse_client_backtest_get_strategy_name (backtest)
                           ?: bourse_client_backtest_get_strategy (backtest) ?: "?",
                           bourse_client_backtest_get_symbol (backtest) ?: "?",
                           bourse_client_backtest_get_interval (backtest) ?: "?");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);

  if (running)
    {
      g_autofree char *done = g_strdup_printf ("%d\u00a0%%", (int) (progress * 100));

      /* Translators: a job's state and how far it is, e.g. “Running · 40 %” */
      state = g_strdup_printf (_("%s · %s"), _("Running"), done);
    }
  subtitle = window_and_status (bourse_client_backtest_get_start (backtest),
                                bourse_client_backtest_get_end (backtest), state ?: status);
  if (json_object_has_member (summary, "total_return"))
    {
      g_autofree char *change = bourse_format_ratio (summary, "total_return");

      g_string_append (subtitle, " · ");
      g_string_append (subtitle, change);
    }
  append_author_and_note (subtitle, bourse_client_backtest_get_created_by_name (backtest),
                          bourse_client_backtest_get_note (backtest));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  if (running)
    gtk_progress_bar_set_fraction (self->progress_bar, progress);
}

static void
bourse_backtest_row_sync_optimisation (BourseBacktestRow        *self,
                                       BourseClientOptimisation *optimisation)
{
  JsonObject *best = bourse_client_optimisation_get_best_params (optimisation);
  JsonObject *request = bourse_client_optimisation_get_request (optimisation);
  const char *method = bourse_json_get_string (request, "method");
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = NULL;

  /* Translators: a strategy, an instrument, an interval and how the search went (grid, random) */
  title = g_strdup_printf (_("%s · %s · %s · %s"),
                           self->type_name ?: bourse_client_optimisation_get_strategy (optimisation) ?: "?",
                           bourse_client_optimisation_get_symbol (optimisation) ?: "?",
                           bourse_client_optimisation_get_interval (optimisation) ?: "?",
                           g_strcmp0 (method, "random") == 0 ? _("random search") : _("grid search"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);

  subtitle = window_and_status (bourse_client_optimisation_get_start (optimisation),
                                bourse_client_optimisation_get_end (optimisation),
                                bourse_run_status_to_display (bourse_client_optimisation_get_status (optimisation)));
  if (json_object_get_size (best) > 0)
    {
      g_autofree char *params = bourse_format_params (best);

      g_string_append (subtitle, " · ");
      /* Translators: the winning parameters */
      g_string_append_printf (subtitle, _("best %s"), params);
    }
  append_author_and_note (subtitle, bourse_client_optimisation_get_created_by_name (optimisation),
                          bourse_client_optimisation_get_note (optimisation));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
}

static void
bourse_backtest_row_sync (BourseBacktestRow *self)
{
  if (BOURSE_IS_CLIENT_BACKTEST (self->record))
    bourse_backtest_row_sync_backtest (self, BOURSE_CLIENT_BACKTEST (self->record));
  else
    bourse_backtest_row_sync_optimisation (self, BOURSE_CLIENT_OPTIMISATION (self->record));
}

GtkWidget *
bourse_backtest_row_new (BourseClientObject *record,
                         const char         *type_name,
                         gboolean            can_delete)
{
  gboolean is_backtest;
  gint64 id;
  g_autofree char *name = NULL;
  BourseBacktestRow *self;

  g_return_val_if_fail (BOURSE_IS_CLIENT_BACKTEST (record) || BOURSE_IS_CLIENT_OPTIMISATION (record), NULL);

  is_backtest = BOURSE_IS_CLIENT_BACKTEST (record);
  id = is_backtest ? bourse_client_backtest_get_id (BOURSE_CLIENT_BACKTEST (record))
                   : bourse_client_optimisation_get_id (BOURSE_CLIENT_OPTIMISATION (record));
  name = g_strdup_printf ("%s-row-%" PRId64, is_backtest ? "backtest" : "optimisation", id);
  self = g_object_new (BOURSE_TYPE_BACKTEST_ROW, "name", name, NULL);
  /* The target first: the actions take an id. */
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self), g_variant_new_int64 (id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self),
                                  is_backtest ? "backtests.show" : "backtests.show-optimisation");
  self->record = g_object_ref (record);
  self->type_name = g_strdup (type_name);

  /* Not there at all without the permission; optimisations are deleted
   * through the API only. */
  if (can_delete && is_backtest)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

      gtk_widget_set_name (button, "delete-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Delete"));
      gtk_widget_add_css_class (button, "flat");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "backtests.delete");
      adw_action_row_add_suffix (ADW_ACTION_ROW (self), button);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), gtk_image_new_from_icon_name ("go-next-symbolic"));

  bourse_backtest_row_sync (self);
  /* A run ended, noted or going on updates its row in place. */
  g_signal_connect_object (record, "notify", G_CALLBACK (bourse_backtest_row_sync), self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

BourseClientObject *
bourse_backtest_row_get_record (BourseBacktestRow *self)
{
  g_return_val_if_fail (BOURSE_IS_BACKTEST_ROW (self), NULL);

  return self->record;
}

static void
bourse_backtest_row_dispose (GObject *object)
{
  BourseBacktestRow *self = (BourseBacktestRow *)object;

  g_clear_object (&self->record);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_BACKTEST_ROW);

  G_OBJECT_CLASS (bourse_backtest_row_parent_class)->dispose (object);
}

static void
bourse_backtest_row_finalize (GObject *object)
{
  BourseBacktestRow *self = (BourseBacktestRow *)object;

  g_clear_pointer (&self->type_name, g_free);

  G_OBJECT_CLASS (bourse_backtest_row_parent_class)->finalize (object);
}

static void
bourse_backtest_row_class_init (BourseBacktestRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_backtest_row_dispose;
  object_class->finalize = bourse_backtest_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-backtest-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseBacktestRow, progress_bar);
}

static void
bourse_backtest_row_init (BourseBacktestRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
