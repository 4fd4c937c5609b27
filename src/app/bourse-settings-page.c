/* bourse-settings-page.c — the engine's configuration, edited through the API
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything on the page comes from GET /api/v1/config: a group per
 * section, a row per key made for its type, so a key added to the schema
 * appears without a change here. The server validates and decides; the
 * page shows its refusals on the rows they name.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "client/bourse-client-records.h"
#include "core/bourse-json.h"

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-settings-page.h"

#define CONFIG_TOPIC "config"

/* One key's row and what it held when it was shown. */
typedef struct
{
  char      *section;
  char      *key;
  char      *field;        /* "section.key", as the API names it */
  char      *type;
  gboolean   secret;
  char      *original;     /* the value shown, as text; "" for a secret */
  char      *subtitle;     /* the row's own, while no refusal is shown */
  GtkWidget *row;
  GtkWidget *editor;       /* a reference of ours */
} KeyRow;

typedef struct
{
  BourseSettingsPage        *page;
  char                      *name;
  /* As last shown: it notifies "json" only when the server says something
   * else, and the rows are made again then (they are costly). */
  BourseClientConfigSection *model;
  GtkWidget                 *group;
  GtkWidget                 *apply_button;
  GPtrArray                 *rows;         /* of KeyRow */
} Section;

struct _BourseSettingsPage
{
  AdwPreferencesPage  parent_instance;

  BourseClient       *client;
  GSignalGroup       *client_signals;
  GCancellable       *cancellable;
  gboolean            subscribed;
  gboolean            load_wanted;    /* asked for while hidden */

  GPtrArray          *sections;       /* of Section, in the API's order */
  GtkWidget          *import_dialog;  /* weak */

  GtkLabel           *path_label;
};

G_DEFINE_FINAL_TYPE (BourseSettingsPage, bourse_settings_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void bourse_settings_page_update_section   (BourseSettingsPage *self,
                                                   Section            *section);
static void bourse_settings_page_apply_clicked_cb (GtkButton          *button,
                                                   BourseSettingsPage *self);

static void
key_row_free (KeyRow *row)
{
  /* The editor may outlive its row for a moment (focus, accessibility):
   * it must not reach what is freed here. */
  g_object_set_data (G_OBJECT (row->editor), "bourse-key-row", NULL);
  g_object_set_data (G_OBJECT (row->editor), "bourse-section", NULL);
  g_object_unref (row->editor);
  g_free (row->section);
  g_free (row->key);
  g_free (row->field);
  g_free (row->type);
  g_free (row->original);
  g_free (row->subtitle);
  g_free (row);
}

static void
section_free (Section *section)
{
  g_signal_handlers_disconnect_by_data (section->model, section);
  g_object_unref (section->model);
  g_free (section->name);
  g_ptr_array_unref (section->rows);
  g_free (section);
}

static const char *
source_to_display (const char *source)
{
  static const BourseDisplayName sources[] = {
    { "default",      N_("Default") },
    { "file",         N_("File") },
    { "environment",  N_("Environment") },
    { "command-line", N_("Command Line") },
    { "runtime",      N_("Set Here") },
  };

  return bourse_display_name_lookup (sources, G_N_ELEMENTS (sources), source);
}

static char *
key_row_dup_text (KeyRow *row)
{
  if (GTK_IS_SWITCH (row->editor))
    return g_strdup (gtk_switch_get_active (GTK_SWITCH (row->editor)) ? "true" : "false");
  if (GTK_IS_SPIN_BUTTON (row->editor))
    return g_strdup_printf ("%" G_GINT64_FORMAT,
                            (gint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (row->editor)));
  if (GTK_IS_DROP_DOWN (row->editor))
    {
      GtkStringObject *item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (row->editor));

      return g_strdup (item != NULL ? gtk_string_object_get_string (item) : "");
    }

  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->editor)));
}

static gboolean
key_row_is_dirty (KeyRow *row)
{
  g_autofree char *text = key_row_dup_text (row);

  /* An empty secret field keeps the secret: only typing replaces it. */
  if (row->secret)
    return text[0] != '\0';

  return g_strcmp0 (text, row->original) != 0;
}

static gboolean
section_is_dirty (Section *section)
{
  for (guint i = 0; i < section->rows->len; i++)
    if (key_row_is_dirty (g_ptr_array_index (section->rows, i)))
      return TRUE;

  return FALSE;
}

static void
key_row_show_error (KeyRow     *row,
                    const char *message)
{
  if (message != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), message);
      gtk_widget_add_css_class (row->row, "error");
    }
  else
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), row->subtitle);
      gtk_widget_remove_css_class (row->row, "error");
    }
}

static void
bourse_settings_page_changed_cb (GtkWidget *editor)
{
  BourseSettingsPage *self = BOURSE_SETTINGS_PAGE (gtk_widget_get_ancestor (editor, BOURSE_TYPE_SETTINGS_PAGE));
  Section *section = g_object_get_data (G_OBJECT (editor), "bourse-section");
  KeyRow *row = g_object_get_data (G_OBJECT (editor), "bourse-key-row");

  if (self == NULL || section == NULL || row == NULL)
    return;

  /* What the server refused is being mended. */
  key_row_show_error (row, NULL);
  bourse_settings_page_update_section (self, section);
}

static GtkWidget *
create_editor (BourseClientConfigKey *key,
               KeyRow                *row)
{
  GtkWidget *editor;

  if (row->secret)
    {
      gboolean set = bourse_client_config_key_is_set (key);

      editor = gtk_password_entry_new ();
      gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (editor), TRUE);
      /* Only whether it is set: the value never leaves the server. */
      g_object_set (editor, "placeholder-text", set ? _("Set — type to replace") : _("Not set"), NULL);
      g_signal_connect_swapped (editor, "changed", G_CALLBACK (bourse_settings_page_changed_cb), editor);
    }
  else if (g_strcmp0 (row->type, "boolean") == 0)
    {
      editor = gtk_switch_new ();
      gtk_switch_set_active (GTK_SWITCH (editor), g_strcmp0 (row->original, "true") == 0);
      g_signal_connect_swapped (editor, "notify::active", G_CALLBACK (bourse_settings_page_changed_cb), editor);
    }
  else if (g_strcmp0 (row->type, "integer") == 0)
    {
      gint64 min = G_MININT32, max = G_MAXINT32;

      bourse_client_config_key_get_range (key, &min, &max);
      editor = gtk_spin_button_new_with_range ((double) min, (double) max, 1);
      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (editor), 0);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (editor), TRUE);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor), g_ascii_strtod (row->original, NULL));
      g_signal_connect_swapped (editor, "value-changed", G_CALLBACK (bourse_settings_page_changed_cb), editor);
    }
  else if (g_strcmp0 (row->type, "enum") == 0)
    {
      const char * const *allowed = bourse_client_config_key_get_allowed (key);
      g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
      guint selected = GTK_INVALID_LIST_POSITION;

      for (guint i = 0; allowed != NULL && allowed[i] != NULL; i++)
        {
          gtk_string_list_append (list, allowed[i]);
          if (g_strcmp0 (allowed[i], row->original) == 0)
            selected = i;
        }
      editor = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (list)), NULL);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (editor), selected);
      g_signal_connect_swapped (editor, "notify::selected", G_CALLBACK (bourse_settings_page_changed_cb), editor);
    }
  else
    {
      editor = gtk_entry_new ();
      gtk_editable_set_text (GTK_EDITABLE (editor), row->original);
      gtk_editable_set_width_chars (GTK_EDITABLE (editor), 24);
      /* Lists are written as the file has them. */
      if (g_strcmp0 (row->type, "list") == 0)
        gtk_entry_set_placeholder_text (GTK_ENTRY (editor), _("Comma-separated"));
      g_signal_connect_swapped (editor, "changed", G_CALLBACK (bourse_settings_page_changed_cb), editor);
    }

  gtk_widget_set_valign (editor, GTK_ALIGN_CENTER);

  return editor;
}

static KeyRow *
create_key_row (Section               *section,
                BourseClientConfigKey *key)
{
  KeyRow *row = g_new0 (KeyRow, 1);
  g_autofree char *name = NULL;
  g_autofree char *editor_name = NULL;
  GString *subtitle = g_string_new (bourse_client_config_key_get_description (key));
  const char *source = bourse_client_config_key_get_source (key);
  const char *origin = bourse_client_config_key_get_origin (key);
  gboolean restart_required = bourse_client_config_key_get_restart_required (key);
  gboolean pending_restart = bourse_client_config_key_get_pending_restart (key);
  GtkWidget *label;

  row->section = g_strdup (section->name);
  row->key = g_strdup (bourse_client_config_key_get_key (key));
  row->field = g_strdup_printf ("%s.%s", row->section, row->key);
  row->type = g_strdup (bourse_client_config_key_get_value_type (key));
  row->secret = bourse_client_config_key_get_secret (key);
  /* "" for a secret: only whether it is set is known. */
  row->original = g_strdup (bourse_client_config_key_get_value (key));

  if (restart_required)
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, "\n");
      g_string_append (subtitle, _("Applies after a restart"));
    }
  row->subtitle = g_string_free (subtitle, FALSE);

  row->row = adw_action_row_new ();
  name = g_strdup_printf ("config-%s", row->field);
  gtk_widget_set_name (row->row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), row->key);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row->row), row->subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row->row), 0);

  /* Where the value comes from, and from which file or variable. */
  label = gtk_label_new (source_to_display (source));
  gtk_widget_set_name (label, "config-source");
  gtk_widget_set_tooltip_text (label, origin);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), label);

  if (pending_restart)
    {
      label = gtk_label_new (_("Restart Pending"));
      gtk_widget_set_name (label, "config-pending-restart");
      gtk_widget_set_tooltip_text (label, _("Changed since the engine started; takes effect at the next start"));
      gtk_widget_add_css_class (label, "warning");
      gtk_widget_add_css_class (label, "caption");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), label);
    }

  /* Held until the row is freed, which may come after the widgets'. */
  row->editor = g_object_ref (create_editor (key, row));
  editor_name = g_strdup_printf ("config-value-%s", row->field);
  gtk_widget_set_name (row->editor, editor_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->editor),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, row->key,
                                  -1);
  g_object_set_data (G_OBJECT (row->editor), "bourse-section", section);
  g_object_set_data (G_OBJECT (row->editor), "bourse-key-row", row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row->row), row->editor);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row->row), row->editor);

  return row;
}

static void
bourse_settings_page_update_section (BourseSettingsPage *self,
                                     Section            *section)
{
  gtk_widget_set_sensitive (section->apply_button, self->client != NULL && section_is_dirty (section) &&
                            bourse_client_has_permission (self->client, "config.write"));
}

/* Shows the keys of @section's model, dropping any edits. */
static void
bourse_settings_page_fill_section (BourseSettingsPage *self,
                                   Section            *section)
{
  GListModel *keys = bourse_client_config_section_get_keys (section->model);

  for (guint i = 0; i < section->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (section->group),
                                  ((KeyRow *) g_ptr_array_index (section->rows, i))->row);
  g_ptr_array_set_size (section->rows, 0);

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(BourseClientConfigKey) key = g_list_model_get_item (keys, i);
      KeyRow *row = create_key_row (section, key);

      g_ptr_array_add (section->rows, row);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (section->group), row->row);
    }

  bourse_settings_page_update_section (self, section);
}

static Section *
bourse_settings_page_find_section (BourseSettingsPage *self,
                                   const char         *name)
{
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      if (g_strcmp0 (section->name, name) == 0)
        return section;
    }

  return NULL;
}

/* The server said something else of a section shown as it was. */
static void
section_model_changed_cb (Section *section)
{
  bourse_settings_page_fill_section (section->page, section);
}

static Section *
bourse_settings_page_add_section (BourseSettingsPage        *self,
                                  BourseClientConfigSection *model)
{
  Section *section = g_new0 (Section, 1);
  const char *name = bourse_client_config_section_get_name (model);
  g_autofree char *group_name = g_strdup_printf ("section-%s", name);
  g_autofree char *button_name = g_strdup_printf ("apply-%s", name);
  g_autofree char *accessible_name = NULL;

  section->page = self;
  section->name = g_strdup (name);
  section->model = g_object_ref (model);
  g_signal_connect_swapped (model, "notify::json", G_CALLBACK (section_model_changed_cb), section);
  section->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) key_row_free);

  section->group = adw_preferences_group_new ();
  gtk_widget_set_name (section->group, group_name);
  /* Section names are the file's: [server], [risk]… */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (section->group), name);

  /* Each section is applied by its own PUT, which the server takes or
   * refuses whole, so the button is the section's: a plain one without a
   * mnemonic, as it repeats on the page (docs/DESKTOP.md). Its accessible
   * name says which section, which the words alone do not. */
  section->apply_button = gtk_button_new_with_label (_("Apply"));
  gtk_widget_set_name (section->apply_button, button_name);
  gtk_widget_set_valign (section->apply_button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (section->apply_button, FALSE);
  /* Translators: the button applying a section's changes; %s is the
   * section's name as in the file ("rate_limit") */
  accessible_name = g_strdup_printf (_("Apply %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (section->apply_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  -1);
  /* Not an actionable: its sensitivity says whether there is anything to
   * apply, which an action's enabled state would override. */
  g_object_set_data_full (G_OBJECT (section->apply_button), "bourse-section", g_strdup (name), g_free);
  g_signal_connect_object (section->apply_button, "clicked", G_CALLBACK (bourse_settings_page_apply_clicked_cb),
                           self, 0);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (section->group), section->apply_button);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (section->group));
  g_ptr_array_add (self->sections, section);

  return section;
}

static void
bourse_settings_page_clear (BourseSettingsPage *self)
{
  for (guint i = 0; i < self->sections->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections, i);

      adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self), ADW_PREFERENCES_GROUP (section->group));
    }
  g_ptr_array_set_size (self->sections, 0);
  gtk_label_set_label (self->path_label, "—");
}

static void
bourse_settings_page_apply_config (BourseSettingsPage *self,
                                   JsonNode           *config)
{
  JsonObject *root = JSON_NODE_HOLDS_OBJECT (config) ? json_node_get_object (config) : NULL;
  JsonArray *sections = bourse_json_get_array (root, "sections");
  const char *path = bourse_json_get_string (root, "path");

  gtk_label_set_label (self->path_label, path != NULL ? path : _("None: changes last until the engine stops"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->path_label), path);

  for (guint i = 0; sections != NULL && i < json_array_get_length (sections); i++)
    {
      JsonObject *spec = json_array_get_object_element (sections, i);
      g_autofree char *name = NULL;
      Section *section;

      if (spec == NULL || (name = bourse_client_object_dup_key_of (BOURSE_TYPE_CLIENT_CONFIG_SECTION, spec)) == NULL)
        continue;

      section = bourse_settings_page_find_section (self, name);
      if (section == NULL)
        {
          g_autoptr(BourseClientObject) model = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_SECTION,
                                                                                    spec);

          section = bourse_settings_page_add_section (self, BOURSE_CLIENT_CONFIG_SECTION (model));
          bourse_settings_page_fill_section (self, section);
        }
      /* A change made elsewhere does not sweep away edits not yet applied;
       * a section the server says the same of is left as it is (rows are
       * costly): the model notifies, and its rows are made again, only
       * when something changed. */
      else if (!section_is_dirty (section))
        bourse_client_object_update (BOURSE_CLIENT_OBJECT (section->model), spec);
    }
}

static void
bourse_settings_page_load_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BourseSettingsPage) self = user_data;
  g_autoptr(JsonNode) config = NULL;
  g_autoptr(GError) error = NULL;

  if (!(config = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not load the configuration: %s", error->message);
      return;
    }

  bourse_settings_page_apply_config (self, config);
}

static void
bourse_settings_page_load (BourseSettingsPage *self)
{
  if (self->client == NULL)
    return;

  /* Hundreds of rows take the main loop a good while to build: at the
   * console's start, with every page's first answer, they were an eighth
   * of its stalls (bench/desktop). A hidden page builds them when it is
   * first shown, and a change made meanwhile waits for the next show. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->load_wanted = TRUE;
      return;
    }
  self->load_wanted = FALSE;

  bourse_client_get_json_async (self->client, "/api/v1/config", self->cancellable,
                                bourse_settings_page_load_cb, g_object_ref (self));
}

static void
bourse_settings_page_map_cb (BourseSettingsPage *self)
{
  if (self->load_wanted)
    bourse_settings_page_load (self);
}

static void
bourse_settings_page_event_cb (BourseSettingsPage *self,
                               const char         *topic,
                               gint64              seq,
                               JsonNode           *data,
                               BourseClient       *client)
{
  bourse_settings_page_load (self);
}

static void
bourse_settings_page_resync_cb (BourseSettingsPage *self,
                                const char         *topic,
                                BourseClient       *client)
{
  bourse_settings_page_load (self);
}

/* Apply {{{ */

typedef struct
{
  BourseSettingsPage *self;
  char               *section;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_object_unref (data->self);
  g_free (data->section);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ApplyData, apply_data_free)

/* Each field a 422 names, on its row; TRUE if any was shown. */
static gboolean
bourse_settings_page_show_errors (BourseSettingsPage *self,
                                  JsonNode           *problem)
{
  JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem) ? json_node_get_object (problem) : NULL;
  JsonArray *errors = bourse_json_get_array (object, "errors");
  gboolean shown = FALSE;

  for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
    {
      JsonObject *error = json_array_get_object_element (errors, i);
      const char *field = bourse_json_get_string (error, "field");

      for (guint j = 0; field != NULL && j < self->sections->len; j++)
        {
          Section *section = g_ptr_array_index (self->sections, j);

          for (guint k = 0; k < section->rows->len; k++)
            {
              KeyRow *row = g_ptr_array_index (section->rows, k);

              if (g_str_equal (row->field, field))
                {
                  key_row_show_error (row, bourse_json_get_string (error, "message"));
                  /* The first refusal is brought into view. */
                  if (!shown)
                    bourse_widget_scroll_into_view (row->row);
                  shown = TRUE;
                }
            }
        }
    }

  return shown;
}

static void
bourse_settings_page_apply_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(ApplyData) data = user_data;
  BourseSettingsPage *self = data->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  Section *section;
  JsonArray *restart;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  section = bourse_settings_page_find_section (self, data->section);

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);
      /* Translators: the server's refusal of a section's changes */
      g_autofree char *message = g_strdup_printf (_("Not applied: %s"), text);

      bourse_settings_page_show_errors (self, problem);
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      if (section != NULL)
        bourse_settings_page_update_section (self, section);
      return;
    }

  /* The rows are made again even when the server says what it said:
   * the edits (a secret typed) are applied, and go. */
  if (section != NULL)
    {
      g_signal_handlers_block_by_func (section->model, section_model_changed_cb, section);
      bourse_client_object_update (BOURSE_CLIENT_OBJECT (section->model), json_node_get_object (answer));
      g_signal_handlers_unblock_by_func (section->model, section_model_changed_cb, section);
      bourse_settings_page_fill_section (self, section);
    }

  restart = bourse_json_get_array (json_node_get_object (answer), "restart_required");
  if (restart != NULL && json_array_get_length (restart) > 0)
    bourse_widget_show_toast (GTK_WIDGET (self), _("Applied; some changes take effect after a restart"));
  else
    bourse_widget_show_toast (GTK_WIDGET (self), _("Applied"));
}

static void
bourse_settings_page_apply_clicked_cb (GtkButton          *button,
                                       BourseSettingsPage *self)
{
  Section *section = bourse_settings_page_find_section (self, g_object_get_data (G_OBJECT (button), "bourse-section"));
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  JsonObject *object;
  ApplyData *data;

  if (section == NULL || self->client == NULL)
    return;

  /* Only what changed: a key left alone keeps its source. */
  object = json_object_new ();
  for (guint i = 0; i < section->rows->len; i++)
    {
      KeyRow *row = g_ptr_array_index (section->rows, i);
      g_autofree char *text = NULL;

      key_row_show_error (row, NULL);
      if (!key_row_is_dirty (row))
        continue;

      text = key_row_dup_text (row);
      if (GTK_IS_SWITCH (row->editor))
        json_object_set_boolean_member (object, row->key, g_str_equal (text, "true"));
      else if (GTK_IS_SPIN_BUTTON (row->editor))
        json_object_set_int_member (object, row->key, g_ascii_strtoll (text, NULL, 10));
      else
        json_object_set_string_member (object, row->key, text);
    }
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, object);

  path = g_strdup_printf ("/api/v1/config/%s", section->name);
  data = g_new0 (ApplyData, 1);
  data->self = g_object_ref (self);
  data->section = g_strdup (section->name);
  gtk_widget_set_sensitive (section->apply_button, FALSE);
  bourse_client_request_json_async (self->client, "PUT", path, body, self->cancellable,
                                    bourse_settings_page_apply_cb, data);
}

/* }}} */

/* Import and export {{{ */

static void
bourse_settings_page_imported_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseSettingsPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonArray *changes;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);

      /* Translators: the server's refusal of an imported file */
      message = g_strdup_printf (_("Not imported: %s"), text);
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  changes = bourse_json_get_array (json_node_get_object (answer), "changes");
  /* Translators: how many settings an import changed */
  message = g_strdup_printf (_("Changes imported: %u"), changes ? json_array_get_length (changes) : 0);
  bourse_widget_show_toast (GTK_WIDGET (self), message);
  bourse_settings_page_load (self);
}

static void
bourse_settings_page_import_response_cb (BourseSettingsPage *self,
                                         const char         *response,
                                         AdwMessageDialog   *dialog)
{
  GBytes *contents = g_object_get_data (G_OBJECT (dialog), "bourse-contents");

  if (g_strcmp0 (response, "import") != 0 || contents == NULL || self->client == NULL)
    return;

  bourse_client_request_bytes_async (self->client, "POST", "/api/v1/config/import", "text/plain",
                                     contents, self->cancellable, bourse_settings_page_imported_cb,
                                     g_object_ref (self));
}

static const char *
change_value_text (const char *text)
{
  return text[0] != '\0' ? text : "—";
}

typedef struct
{
  BourseSettingsPage *self;
  GBytes             *contents;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_object_unref (data->self);
  g_bytes_unref (data->contents);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportData, import_data_free)

static void
bourse_settings_page_dry_run_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  BourseSettingsPage *self = data->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  JsonArray *changes;
  GtkWidget *dialog;
  guint n;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL);
  gtk_widget_set_name (dialog, "config-import-dialog");

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_autofree char *text = bourse_problem_to_text (problem, error);

      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), _("The File Cannot Be Imported"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), text);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  changes = bourse_json_get_array (json_node_get_object (answer), "changes");
  n = changes != NULL ? json_array_get_length (changes) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *member = json_array_get_object_element (changes, i);
      g_autoptr(BourseClientObject) change = NULL;
      BourseClientConfigChange *config_change;

      if (member == NULL
          || (change = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_CONFIG_CHANGE, member)) == NULL)
        continue;

      config_change = BOURSE_CLIENT_CONFIG_CHANGE (change);
      /* Translators: a change an import would make: field, old value, new value */
      g_string_append_printf (body, _("%s: %s → %s"), bourse_client_config_change_get_field (config_change),
                              change_value_text (bourse_client_config_change_get_old_value (config_change)),
                              change_value_text (bourse_client_config_change_get_new_value (config_change)));
      if (bourse_client_config_change_get_restart_required (config_change))
        g_string_append_printf (body, " (%s)", _("after a restart"));
      g_string_append_c (body, '\n');
    }

  if (n == 0)
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), _("Nothing to Import"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                                   _("The file sets every key to the value it has already."));
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
    }
  else
    {
      adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (dialog), _("Import These Changes?"));
      adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog), body->str);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "import", _("_Import"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "import");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "bourse-contents", g_bytes_ref (data->contents),
                              (GDestroyNotify) g_bytes_unref);
      g_signal_connect_object (dialog, "response",
                               G_CALLBACK (bourse_settings_page_import_response_cb),
                               self, G_CONNECT_SWAPPED);
    }

  g_clear_weak_pointer (&self->import_dialog);
  g_set_weak_pointer (&self->import_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A configuration file is small and chosen by the user, so it is read at
 * once: GIO's asynchronous file calls wait for a thread of the shared
 * pool, which the engine in this process may keep busy for seconds. */
void
bourse_settings_page_import_file (BourseSettingsPage *self,
                                  GFile              *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  ImportData *data;

  g_return_if_fail (BOURSE_IS_SETTINGS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &error))
    {
      /* Translators: a file could not be read */
      g_autofree char *message = g_strdup_printf (_("Could not read the file: %s"), error->message);

      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  if (self->client == NULL)
    return;

  /* The server's dry run says what would change, in its own terms. */
  data = g_new0 (ImportData, 1);
  data->self = g_object_ref (self);
  data->contents = g_bytes_new_take (g_steal_pointer (&contents), length);
  bourse_client_request_bytes_async (self->client, "POST", "/api/v1/config/import?dry_run=true",
                                     "text/plain", data->contents, self->cancellable,
                                     bourse_settings_page_dry_run_cb, data);
}

static void
bourse_settings_page_import_chosen_cb (BourseSettingsPage   *self,
                                       int                   response,
                                       GtkFileChooserNative *chooser)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      bourse_settings_page_import_file (self, file);
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_object_unref (chooser);
}

static void
bourse_settings_page_import_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  chooser = gtk_file_chooser_native_new (_("Import Configuration"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (bourse_settings_page_import_chosen_cb),
                           widget, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

typedef struct
{
  BourseSettingsPage *self;
  GFile              *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->file);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportData, export_data_free)

static void
bourse_settings_page_exported_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(ExportData) data = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  const char *text;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result, &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer == NULL || !JSON_NODE_HOLDS_VALUE (answer) || json_node_get_value_type (answer) != G_TYPE_STRING)
    {
      g_autofree char *reason = bourse_problem_to_text (problem, error);

      /* Translators: the server's refusal of an export */
      message = g_strdup_printf (_("Not exported: %s"), reason);
      bourse_widget_show_toast (GTK_WIDGET (data->self), message);
      return;
    }

  /* Written at once, as an import is read. The export names no secret,
   * but it is an administrator's file: for the user alone. */
  text = json_node_get_string (answer);
  if (!g_file_replace_contents (data->file, text, strlen (text), NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                NULL, NULL, &error))
    message = g_strdup_printf (_("Could not write the file: %s"), error->message);
  else
    {
      g_autofree char *name = g_file_get_parse_name (data->file);

      /* Translators: where the configuration was exported to */
      message = g_strdup_printf (_("Exported to %s"), name);
    }

  bourse_widget_show_toast (GTK_WIDGET (data->self), message);
}

void
bourse_settings_page_export_file (BourseSettingsPage *self,
                                  GFile              *file)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  ExportData *data;

  g_return_if_fail (BOURSE_IS_SETTINGS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->client == NULL)
    return;

  json_node_take_object (body, json_object_new ());
  data = g_new0 (ExportData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/config/export", body,
                                    self->cancellable, bourse_settings_page_exported_cb, data);
}

static void
bourse_settings_page_export_chosen_cb (BourseSettingsPage   *self,
                                       int                   response,
                                       GtkFileChooserNative *chooser)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      bourse_settings_page_export_file (self, file);
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_object_unref (chooser);
}

static void
bourse_settings_page_export_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  chooser = gtk_file_chooser_native_new (_("Export Configuration"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "bourse.conf");
  g_signal_connect_object (chooser, "response", G_CALLBACK (bourse_settings_page_export_chosen_cb),
                           widget, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* }}} */

static void
bourse_settings_page_update_actions (BourseSettingsPage *self)
{
  gboolean may_write = self->client != NULL && bourse_client_has_permission (self->client, "config.write");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.import", may_write);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.export", may_write);
}

BourseClient *
bourse_settings_page_get_client (BourseSettingsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_SETTINGS_PAGE (self), NULL);

  return self->client;
}

void
bourse_settings_page_set_client (BourseSettingsPage *self,
                                 BourseClient       *client)
{
  g_return_if_fail (BOURSE_IS_SETTINGS_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  if (self->client != NULL && self->subscribed)
    bourse_client_unsubscribe (self->client, CONFIG_TOPIC);
  self->subscribed = FALSE;
  self->load_wanted = FALSE;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);
  bourse_settings_page_clear (self);
  bourse_settings_page_update_actions (self);

  if (client != NULL)
    {
      bourse_client_subscribe (client, CONFIG_TOPIC);
      self->subscribed = TRUE;
      bourse_settings_page_load (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

guint
bourse_settings_page_get_n_sections (BourseSettingsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_SETTINGS_PAGE (self), 0);

  return self->sections->len;
}

static void
bourse_settings_page_dispose (GObject *object)
{
  BourseSettingsPage *self = (BourseSettingsPage *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->import_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->import_dialog));
  g_clear_weak_pointer (&self->import_dialog);
  if (self->client != NULL && self->subscribed)
    bourse_client_unsubscribe (self->client, CONFIG_TOPIC);
  self->subscribed = FALSE;
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_SETTINGS_PAGE);

  G_OBJECT_CLASS (bourse_settings_page_parent_class)->dispose (object);
}

static void
bourse_settings_page_finalize (GObject *object)
{
  BourseSettingsPage *self = (BourseSettingsPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->sections, g_ptr_array_unref);

  G_OBJECT_CLASS (bourse_settings_page_parent_class)->finalize (object);
}

static void
bourse_settings_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BourseSettingsPage *self = BOURSE_SETTINGS_PAGE (object);

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
bourse_settings_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BourseSettingsPage *self = BOURSE_SETTINGS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_settings_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_settings_page_class_init (BourseSettingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_settings_page_dispose;
  object_class->finalize = bourse_settings_page_finalize;
  object_class->get_property = bourse_settings_page_get_property;
  object_class->set_property = bourse_settings_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "settings.import", NULL,
                                   bourse_settings_page_import_action);
  gtk_widget_class_install_action (widget_class, "settings.export", NULL,
                                   bourse_settings_page_export_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-settings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseSettingsPage, path_label);
}

static void
bourse_settings_page_init (BourseSettingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bourse_page_measure_when_shown (GTK_WIDGET (self));
  /* Not in the template: there "name" is AdwPreferencesPage's own. */
  gtk_widget_set_name (GTK_WIDGET (self), "settings-page");
  g_signal_connect (self, "map", G_CALLBACK (bourse_settings_page_map_cb), NULL);

  self->cancellable = g_cancellable_new ();
  self->sections = g_ptr_array_new_with_free_func ((GDestroyNotify) section_free);
  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" CONFIG_TOPIC,
                                 G_CALLBACK (bourse_settings_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" CONFIG_TOPIC,
                                 G_CALLBACK (bourse_settings_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);
  bourse_settings_page_update_actions (self);
}

GtkWidget *
bourse_settings_page_new (void)
{
  return g_object_new (BOURSE_TYPE_SETTINGS_PAGE, NULL);
}
