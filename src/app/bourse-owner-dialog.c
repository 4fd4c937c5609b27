/* bourse-owner-dialog.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-owner-dialog.h"

struct _BourseOwnerDialog
{
  AdwWindow     parent_instance;

  BourseClient *client;
  GCancellable *cancellable;

  GtkWidget    *username_row;
  GtkWidget    *email_row;
  GtkWidget    *password_row;
  GtkWidget    *confirm_row;
  GtkWidget    *form;
  GtkLabel     *error_label;
  GtkButton    *create_button;
  GtkSpinner   *spinner;
};

G_DEFINE_FINAL_TYPE (BourseOwnerDialog, bourse_owner_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

enum {
  CREATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static GtkWidget *
bourse_owner_dialog_row_for_field (BourseOwnerDialog *self,
                                   const char        *field)
{
  if (g_strcmp0 (field, "username") == 0)
    return self->username_row;
  if (g_strcmp0 (field, "email") == 0)
    return self->email_row;
  if (g_strcmp0 (field, "password") == 0)
    return self->password_row;
  return NULL;
}

static void
bourse_owner_dialog_clear_errors (BourseOwnerDialog *self)
{
  GtkWidget *rows[] = { self->username_row, self->email_row, self->password_row, self->confirm_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      gtk_widget_remove_css_class (rows[i], "error");
      gtk_widget_set_tooltip_text (rows[i], NULL);
    }

  gtk_label_set_label (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* Marks @row (if any) and adds @message under the form, naming the field. */
static void
bourse_owner_dialog_add_error (BourseOwnerDialog *self,
                               GtkWidget         *row,
                               const char        *message)
{
  const char *previous = gtk_label_get_label (self->error_label);
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;

  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, message);
      /* Translators: a form field's title, then what is wrong with it */
      line = g_strdup_printf (_("%s: %s"),
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), message);
    }
  else
    line = g_strdup (message);

  text = previous[0] != '\0' ? g_strconcat (previous, "\n", line, NULL) : g_strdup (line);
  gtk_label_set_label (self->error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
}

static void
bourse_owner_dialog_set_busy (BourseOwnerDialog *self,
                              gboolean           busy)
{
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "owner.create", !busy);
}

static void
bourse_owner_dialog_update (BourseOwnerDialog *self)
{
  gboolean complete = text_of (self->username_row)[0] != '\0' &&
                      text_of (self->email_row)[0] != '\0' &&
                      text_of (self->password_row)[0] != '\0' &&
                      text_of (self->confirm_row)[0] != '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), complete);
}

static void
bourse_owner_dialog_changed_cb (BourseOwnerDialog *self,
                                GtkEditable       *editable)
{
  g_assert (BOURSE_IS_OWNER_DIALOG (self));

  gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (editable), NULL);
  bourse_owner_dialog_update (self);
}

static void
bourse_owner_dialog_create_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BourseOwnerDialog) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *errors;
  guint n_shown = 0;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (answer == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  bourse_owner_dialog_set_busy (self, FALSE);

  if (answer == NULL)
    {
      /* The server names the fields it refused: show each by its field. */
      errors = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
             ? bourse_json_get_array (json_node_get_object (problem), "errors") : NULL;

      for (guint i = 0; errors != NULL && i < json_array_get_length (errors); i++)
        {
          JsonNode *node = json_array_get_element (errors, i);
          JsonObject *field_error = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *message = bourse_json_get_string (field_error, "message");

          if (message == NULL)
            continue;

          bourse_owner_dialog_add_error (self,
                                         bourse_owner_dialog_row_for_field (self,
                                                                            bourse_json_get_string (field_error, "field")),
                                         message);
          n_shown++;
        }

      if (n_shown == 0)
        bourse_owner_dialog_add_error (self, NULL, error->message);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, text_of (self->username_row));
  gtk_window_close (GTK_WINDOW (self));
}

static void
bourse_owner_dialog_create_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BourseOwnerDialog *self = BOURSE_OWNER_DIALOG (widget);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *username = NULL;
  g_autofree char *email = NULL;

  bourse_owner_dialog_clear_errors (self);

  if (self->client == NULL)
    return;

  if (g_strcmp0 (text_of (self->password_row), text_of (self->confirm_row)) != 0)
    {
      bourse_owner_dialog_add_error (self, self->confirm_row,
                                     _("does not match the password; type it again"));
      gtk_widget_grab_focus (self->confirm_row);
      return;
    }

  username = g_strstrip (g_strdup (text_of (self->username_row)));
  email = g_strstrip (g_strdup (text_of (self->email_row)));
  body = bourse_json_new_object ("username", username,
                                 "email", email,
                                 "password", text_of (self->password_row),
                                 "role", "admin",
                                 NULL);

  bourse_owner_dialog_set_busy (self, TRUE);
  bourse_client_request_json_async (self->client, "POST", "/api/v1/users", body, self->cancellable,
                                    bourse_owner_dialog_create_cb, g_object_ref (self));
}

static void
bourse_owner_dialog_entry_activated_cb (BourseOwnerDialog *self,
                                        AdwEntryRow       *row)
{
  g_assert (BOURSE_IS_OWNER_DIALOG (self));

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->create_button)))
    gtk_widget_activate_action (GTK_WIDGET (self), "owner.create", NULL);
}

/* A text going away with the focus still in it keeps its cursor blinking
 * (and GTK 4.8 warns about it): let go of the focus first. */
static gboolean
bourse_owner_dialog_close_request (GtkWindow *window)
{
  gtk_window_set_focus (window, NULL);

  return GTK_WINDOW_CLASS (bourse_owner_dialog_parent_class)->close_request (window);
}

BourseClient *
bourse_owner_dialog_get_client (BourseOwnerDialog *self)
{
  g_return_val_if_fail (BOURSE_IS_OWNER_DIALOG (self), NULL);

  return self->client;
}

static void
bourse_owner_dialog_dispose (GObject *object)
{
  BourseOwnerDialog *self = (BourseOwnerDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_OWNER_DIALOG);

  G_OBJECT_CLASS (bourse_owner_dialog_parent_class)->dispose (object);
}

static void
bourse_owner_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BourseOwnerDialog *self = BOURSE_OWNER_DIALOG (object);

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
bourse_owner_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BourseOwnerDialog *self = BOURSE_OWNER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_owner_dialog_class_init (BourseOwnerDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bourse_owner_dialog_dispose;
  object_class->get_property = bourse_owner_dialog_get_property;
  object_class->set_property = bourse_owner_dialog_set_property;

  window_class->close_request = bourse_owner_dialog_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseOwnerDialog::created:
   * @username: the new administrator's username
   */
  signals[CREATED] =
    g_signal_new ("created",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "owner.create", NULL,
                                   bourse_owner_dialog_create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-owner-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseOwnerDialog, username_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOwnerDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOwnerDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOwnerDialog, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, BourseOwnerDialog, form);
  gtk_widget_class_bind_template_child (widget_class, BourseOwnerDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BourseOwnerDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, BourseOwnerDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, bourse_owner_dialog_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_owner_dialog_entry_activated_cb);
}

static void
bourse_owner_dialog_init (BourseOwnerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  bourse_owner_dialog_update (self);
}

GtkWidget *
bourse_owner_dialog_new (GtkWindow    *parent,
                         BourseClient *client)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BOURSE_IS_CLIENT (client), NULL);

  return g_object_new (BOURSE_TYPE_OWNER_DIALOG,
                       "transient-for", parent,
                       "client", client,
                       NULL);
}
