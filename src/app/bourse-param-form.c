/* bourse-param-form.c — the rows of a form built from a strategy's
 * parameter description
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "client/bourse-client.h"
#include "core/bourse-json.h"

#include "bourse-desk-util.h"
#include "bourse-param-form.h"

/* A spin button needs bounds; a parameter without them gets these. */
#define UNBOUNDED 1e12

typedef enum {
  FIELD_INTEGER,
  FIELD_NUMBER,
  FIELD_BOOLEAN,
  FIELD_CHOICE,
  FIELD_TEXT,
} FieldKind;

/* One row of the parameter form and what it edits. */
typedef struct
{
  char      *name;
  FieldKind  kind;
  GtkWidget *row;      /* owned: the group's row outlives it no more */
  GtkWidget *editor;   /* GtkSpinButton, GtkSwitch, or the row itself */
  JsonArray *choices;  /* FIELD_CHOICE: the values, in the combo's order */
} Field;

static void
field_free (Field *field)
{
  g_free (field->name);
  g_clear_object (&field->row);
  g_clear_pointer (&field->choices, json_array_unref);
  g_free (field);
}

struct _BourseParamForm
{
  GObject              parent_instance;

  AdwPreferencesGroup *group;     /* weak */
  char                *type_id;   /* the type the rows were built for */
  GPtrArray           *fields;    /* Field */
};

G_DEFINE_FINAL_TYPE (BourseParamForm, bourse_param_form, G_TYPE_OBJECT)

/* Helpers {{{ */

/* json-glib 1.6 writes 1e-06 as "1e-06.0", which no parser takes: one ulp
 * towards zero gives digits with a point. */
static double
json_safe_double (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (text, sizeof text, value);
  if (strchr (text, 'e') != NULL && strchr (text, '.') == NULL)
    return nextafter (value, 0);

  return value;
}

/* Decimals a number needs to be shown as written: 0.002 → 3. */
static guint
decimals_of (double value)
{
  char text[64];
  char *point;
  gsize len;

  if (!isfinite (value))
    return 0;

  g_snprintf (text, sizeof text, "%.8f", fabs (value));
  len = strlen (text);
  while (len > 0 && text[len - 1] == '0')
    text[--len] = '\0';
  point = strchr (text, '.');

  return point != NULL ? strlen (point + 1) : 0;
}

char *
bourse_format_json_value (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");

  if (JSON_NODE_HOLDS_VALUE (node))
    {
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return g_strdup (json_node_get_string (node));
        case G_TYPE_BOOLEAN:
          return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
        case G_TYPE_INT64:
          return g_strdup_printf ("%" PRId64, json_node_get_int (node));
        default:
          return g_strdup_printf ("%.6g", json_node_get_double (node));
        }
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) text = g_string_new (NULL);
      guint n = json_array_get_length (array);

      /* A forecast or coefficients: the first few say enough here. */
      for (guint i = 0; i < MIN (n, 8); i++)
        {
          g_autofree char *item = bourse_format_json_value (json_array_get_element (array, i));

          if (i > 0)
            g_string_append (text, ", ");
          g_string_append (text, item);
        }
      if (n > 8)
        g_string_append (text, ", …");

      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  return json_to_string (node, FALSE);
}

char *
bourse_format_params (JsonObject *params)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) names = params != NULL ? json_object_get_members (params) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *value = bourse_format_json_value (json_object_get_member (params, l->data));

      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s = %s", (const char *) l->data, value);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* }}} */

/* The rows {{{ */

static Field *
create_field (const char *name,
              JsonObject *property)
{
  const char *type = bourse_json_get_string (property, "type");
  const char *title = bourse_json_get_string (property, "title");
  const char *description = bourse_json_get_string (property, "description");
  JsonArray *choices = bourse_json_get_array (property, "enum");
  JsonNode *default_node = json_object_get_member (property, "default");
  g_autofree char *row_name = g_strdup_printf ("param-row-%s", name);
  g_autofree char *editor_name = g_strdup_printf ("param-%s", name);
  Field *field = g_new0 (Field, 1);

  field->name = g_strdup (name);

  if (choices != NULL && json_array_get_length (choices) > 0)
    {
      g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
      g_autofree char *wanted = default_node ? json_to_string (default_node, FALSE) : NULL;
      guint selected = 0;

      field->kind = FIELD_CHOICE;
      field->choices = json_array_ref (choices);

      for (guint i = 0; i < json_array_get_length (choices); i++)
        {
          JsonNode *choice = json_array_get_element (choices, i);
          g_autofree char *label = bourse_format_json_value (choice);
          g_autofree char *serialized = json_to_string (choice, FALSE);

          gtk_string_list_append (labels, label);
          if (g_strcmp0 (serialized, wanted) == 0)
            selected = i;
        }

      field->row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (field->row), G_LIST_MODEL (labels));
      adw_combo_row_set_selected (ADW_COMBO_ROW (field->row), selected);
      field->editor = field->row;
    }
  else if (g_strcmp0 (type, "integer") == 0 || g_strcmp0 (type, "number") == 0)
    {
      gboolean integer = g_str_equal (type, "integer");
      double minimum = -UNBOUNDED, maximum = UNBOUNDED, value = 0, multiple = 0;
      GtkAdjustment *adjustment;
      guint digits = 0;
      double step;

      bourse_json_get_double (property, "minimum", &minimum);
      bourse_json_get_double (property, "maximum", &maximum);
      bourse_json_get_double (property, "multipleOf", &multiple);
      if (!bourse_json_get_double (property, "default", &value))
        value = CLAMP (0, minimum, maximum);
      if (maximum < minimum)
        maximum = minimum;

      /* Enough decimals for the default and the bounds as the strategy
       * wrote them, and two at least for a real number. */
      if (!integer)
        {
          digits = MAX (2, decimals_of (value));
          if (minimum > -UNBOUNDED)
            digits = MAX (digits, decimals_of (minimum));
          if (maximum < UNBOUNDED)
            digits = MAX (digits, decimals_of (maximum));
          if (multiple > 0)
            digits = MAX (digits, decimals_of (multiple));
          digits = MIN (digits, 8);
        }
      step = multiple > 0 ? multiple : integer ? 1 : pow (10, -(double) MIN (digits, 3));

      field->kind = integer ? FIELD_INTEGER : FIELD_NUMBER;
      adjustment = gtk_adjustment_new (CLAMP (value, minimum, maximum), minimum, maximum,
                                       step, step * 10, 0);
      field->editor = gtk_spin_button_new (adjustment, step, digits);
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (field->editor), TRUE);
      gtk_widget_set_valign (field->editor, GTK_ALIGN_CENTER);

      field->row = adw_action_row_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (field->row), field->editor);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row), field->editor);
    }
  else if (g_strcmp0 (type, "boolean") == 0)
    {
      gboolean value = FALSE;

      bourse_json_get_boolean (property, "default", &value);

      field->kind = FIELD_BOOLEAN;
      field->editor = gtk_switch_new ();
      gtk_switch_set_active (GTK_SWITCH (field->editor), value);
      gtk_widget_set_valign (field->editor, GTK_ALIGN_CENTER);

      field->row = adw_action_row_new ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (field->row), field->editor);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (field->row), field->editor);
    }
  else if (g_strcmp0 (type, "string") == 0)
    {
      field->kind = FIELD_TEXT;
      field->row = adw_entry_row_new ();
      field->editor = field->row;
      gtk_editable_set_text (GTK_EDITABLE (field->row),
                             bourse_json_get_string (property, "default") ?: "");
    }
  else
    {
      /* A plugin's type this form does not know: the server's default. */
      g_debug ("Parameter “%s” of type “%s” left to its default", name, type ? type : "?");
      field_free (field);
      return NULL;
    }

  /* The form reads the rows and their editors for as long as it has
   * them, whatever becomes of the group: a reference of its own. */
  g_object_ref_sink (field->row);
  gtk_widget_set_name (field->row, row_name);
  if (field->editor != field->row)
    gtk_widget_set_name (field->editor, editor_name);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (field->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field->row), title ? bourse_client_local_text (title) : name);
  if (description != NULL)
    {
      if (ADW_IS_ACTION_ROW (field->row))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (field->row), bourse_client_local_text (description));
      else
        gtk_widget_set_tooltip_text (field->row, bourse_client_local_text (description));
    }

  return field;
}

JsonNode *
bourse_param_form_dup_params (BourseParamForm *self)
{
  g_autoptr(JsonObject) params = json_object_new ();

  g_return_val_if_fail (BOURSE_IS_PARAM_FORM (self), NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      switch (field->kind)
        {
        case FIELD_INTEGER:
          gtk_spin_button_update (GTK_SPIN_BUTTON (field->editor));
          json_object_set_int_member (params, field->name,
                                      gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (field->editor)));
          break;

        case FIELD_NUMBER:
          gtk_spin_button_update (GTK_SPIN_BUTTON (field->editor));
          json_object_set_double_member (params, field->name,
                                         json_safe_double (gtk_spin_button_get_value (GTK_SPIN_BUTTON (field->editor))));
          break;

        case FIELD_BOOLEAN:
          json_object_set_boolean_member (params, field->name,
                                          gtk_switch_get_active (GTK_SWITCH (field->editor)));
          break;

        case FIELD_CHOICE:
          {
            guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->editor));

            if (selected < json_array_get_length (field->choices))
              json_object_set_member (params, field->name,
                                      json_node_copy (json_array_get_element (field->choices, selected)));
          }
          break;

        case FIELD_TEXT:
        default:
          json_object_set_string_member (params, field->name,
                                         gtk_editable_get_text (GTK_EDITABLE (field->editor)));
          break;
        }
    }

  return json_node_init_object (json_node_alloc (), params);
}

void
bourse_param_form_set_values (BourseParamForm *self,
                              JsonObject      *values)
{
  g_return_if_fail (BOURSE_IS_PARAM_FORM (self));

  for (guint i = 0; values != NULL && i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);
      JsonNode *node = json_object_get_member (values, field->name);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;

      switch (field->kind)
        {
        case FIELD_INTEGER:
        case FIELD_NUMBER:
          gtk_spin_button_set_value (GTK_SPIN_BUTTON (field->editor), json_node_get_double (node));
          break;

        case FIELD_BOOLEAN:
          gtk_switch_set_active (GTK_SWITCH (field->editor), json_node_get_boolean (node));
          break;

        case FIELD_CHOICE:
          for (guint j = 0; j < json_array_get_length (field->choices); j++)
            if (json_node_equal (json_array_get_element (field->choices, j), node))
              adw_combo_row_set_selected (ADW_COMBO_ROW (field->editor), j);
          break;

        case FIELD_TEXT:
        default:
          if (json_node_get_value_type (node) == G_TYPE_STRING)
            gtk_editable_set_text (GTK_EDITABLE (field->editor), json_node_get_string (node));
          break;
        }
    }
}

/* }}} */

static void
bourse_param_form_remove_rows (BourseParamForm *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (self->group != NULL)
        adw_preferences_group_remove (self->group, field->row);
    }
  g_ptr_array_set_size (self->fields, 0);
}

gboolean
bourse_param_form_set_schema (BourseParamForm *self,
                              const char      *type_id,
                              JsonObject      *schema)
{
  JsonObject *props = bourse_json_get_object (schema, "properties");
  g_autoptr(GList) names = NULL;

  g_return_val_if_fail (BOURSE_IS_PARAM_FORM (self), FALSE);

  /* The same type again (a reload): keep what was typed. */
  if (type_id != NULL && g_strcmp0 (type_id, self->type_id) == 0)
    return FALSE;

  g_free (self->type_id);
  self->type_id = g_strdup (type_id);
  bourse_param_form_remove_rows (self);

  /* In the order the strategy declared them. */
  names = props != NULL ? json_object_get_members (props) : NULL;
  for (GList *l = names; l != NULL && self->group != NULL; l = l->next)
    {
      Field *field = create_field (l->data, bourse_json_get_object (props, l->data));

      if (field == NULL)
        continue;

      adw_preferences_group_add (self->group, field->row);
      g_ptr_array_add (self->fields, field);
    }

  return TRUE;
}

guint
bourse_param_form_get_n_fields (BourseParamForm *self)
{
  g_return_val_if_fail (BOURSE_IS_PARAM_FORM (self), 0);

  return self->fields->len;
}

GtkWidget *
bourse_param_form_get_row (BourseParamForm *self,
                           const char      *name)
{
  g_return_val_if_fail (BOURSE_IS_PARAM_FORM (self), NULL);

  if (name == NULL)
    return NULL;
  if (g_str_has_prefix (name, "params.") || g_str_has_prefix (name, "params/"))
    name += strlen ("params.");

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->name, name))
        return field->row;
    }

  return NULL;
}

static void
bourse_param_form_dispose (GObject *object)
{
  BourseParamForm *self = (BourseParamForm *)object;

  bourse_param_form_remove_rows (self);
  g_clear_weak_pointer (&self->group);

  G_OBJECT_CLASS (bourse_param_form_parent_class)->dispose (object);
}

static void
bourse_param_form_finalize (GObject *object)
{
  BourseParamForm *self = (BourseParamForm *)object;

  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->type_id, g_free);

  G_OBJECT_CLASS (bourse_param_form_parent_class)->finalize (object);
}

static void
bourse_param_form_class_init (BourseParamFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bourse_param_form_dispose;
  object_class->finalize = bourse_param_form_finalize;
}

static void
bourse_param_form_init (BourseParamForm *self)
{
  self->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
}

BourseParamForm *
bourse_param_form_new (AdwPreferencesGroup *group)
{
  BourseParamForm *self;

  g_return_val_if_fail (ADW_IS_PREFERENCES_GROUP (group), NULL);

  self = g_object_new (BOURSE_TYPE_PARAM_FORM, NULL);
  g_set_weak_pointer (&self->group, group);

  return self;
}
