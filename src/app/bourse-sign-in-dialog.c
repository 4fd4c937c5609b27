/* bourse-sign-in-dialog.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "client/bourse-client.h"

#include "bourse-sign-in-dialog.h"

struct _BourseSignInDialog
{
  AdwWindow            parent_instance;

  BourseRemoteSession *session;
  GCancellable        *cancellable;

  AdwStatusPage       *status_page;
  GtkWidget           *form;
  GtkWidget           *login_row;
  GtkWidget           *password_row;
  GtkSwitch           *remember_switch;
  GtkLabel            *error_label;
  GtkButton           *sign_in_button;
  GtkSpinner          *spinner;
};

G_DEFINE_FINAL_TYPE (BourseSignInDialog, bourse_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
bourse_sign_in_dialog_show_error (BourseSignInDialog *self,
                                  const char         *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
bourse_sign_in_dialog_set_busy (BourseSignInDialog *self,
                                gboolean            busy)
{
  gtk_widget_set_sensitive (self->form, !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.sign-in", !busy);
}

static void
bourse_sign_in_dialog_changed_cb (BourseSignInDialog *self,
                                  GtkEditable        *editable)
{
  g_assert (BOURSE_IS_SIGN_IN_DIALOG (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            text_of (self->login_row)[0] != '\0' &&
                            text_of (self->password_row)[0] != '\0');
}

static void
bourse_sign_in_dialog_login_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(BourseSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bourse_remote_session_login_finish (BOURSE_REMOTE_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      bourse_sign_in_dialog_set_busy (self, FALSE);
      bourse_sign_in_dialog_show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (self->password_row);
      return;
    }

  g_signal_emit (self, signals[SIGNED_IN], 0);
  gtk_window_close (GTK_WINDOW (self));
}

static void
bourse_sign_in_dialog_sign_in_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  BourseSignInDialog *self = BOURSE_SIGN_IN_DIALOG (widget);
  g_autofree char *login = g_strstrip (g_strdup (text_of (self->login_row)));

  if (login[0] == '\0' || text_of (self->password_row)[0] == '\0')
    return;

  bourse_sign_in_dialog_show_error (self, NULL);
  bourse_sign_in_dialog_set_busy (self, TRUE);
  bourse_remote_session_login_async (self->session, login, text_of (self->password_row),
                                     gtk_switch_get_active (self->remember_switch),
                                     self->cancellable,
                                     bourse_sign_in_dialog_login_cb, g_object_ref (self));
}

static void
bourse_sign_in_dialog_entry_activated_cb (BourseSignInDialog *self,
                                          AdwEntryRow        *row)
{
  g_assert (BOURSE_IS_SIGN_IN_DIALOG (self));

  if (row == ADW_ENTRY_ROW (self->login_row))
    gtk_widget_grab_focus (self->password_row);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.sign-in", NULL);
}

/* See bourse-owner-dialog.c: no focused text may outlive the window. */
static gboolean
bourse_sign_in_dialog_close_request (GtkWindow *window)
{
  gtk_window_set_focus (window, NULL);

  return GTK_WINDOW_CLASS (bourse_sign_in_dialog_parent_class)->close_request (window);
}

static void
bourse_sign_in_dialog_constructed (GObject *object)
{
  BourseSignInDialog *self = (BourseSignInDialog *)object;
  const char *username = bourse_remote_session_get_username (self->session);
  g_autofree char *description = NULL;

  G_OBJECT_CLASS (bourse_sign_in_dialog_parent_class)->constructed (object);

  /* Translators: %s is the server's address */
  description = g_strdup_printf (_("%s asks who you are"), bourse_remote_session_get_url (self->session));
  adw_status_page_set_description (self->status_page, description);

  if (username != NULL && username[0] != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->login_row), username);
      gtk_switch_set_active (self->remember_switch, bourse_remote_session_get_remember (self->session));
      gtk_window_set_focus (GTK_WINDOW (self), self->password_row);
    }
  else
    gtk_window_set_focus (GTK_WINDOW (self), self->login_row);
}

BourseRemoteSession *
bourse_sign_in_dialog_get_session (BourseSignInDialog *self)
{
  g_return_val_if_fail (BOURSE_IS_SIGN_IN_DIALOG (self), NULL);

  return self->session;
}

static void
bourse_sign_in_dialog_dispose (GObject *object)
{
  BourseSignInDialog *self = (BourseSignInDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (bourse_sign_in_dialog_parent_class)->dispose (object);
}

static void
bourse_sign_in_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BourseSignInDialog *self = BOURSE_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_sign_in_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BourseSignInDialog *self = BOURSE_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_sign_in_dialog_class_init (BourseSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = bourse_sign_in_dialog_constructed;
  object_class->dispose = bourse_sign_in_dialog_dispose;
  object_class->get_property = bourse_sign_in_dialog_get_property;
  object_class->set_property = bourse_sign_in_dialog_set_property;

  window_class->close_request = bourse_sign_in_dialog_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         BOURSE_TYPE_REMOTE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseSignInDialog::signed-in:
   *
   * The session has an access token now.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "sign-in.sign-in", NULL,
                                   bourse_sign_in_dialog_sign_in_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseSignInDialog, status_page);
  gtk_widget_class_bind_template_child (widget_class, BourseSignInDialog, form);
  gtk_widget_class_bind_template_child (widget_class, BourseSignInDialog, login_row);
  gtk_widget_class_bind_template_child (widget_class, BourseSignInDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, BourseSignInDialog, remember_switch);
  gtk_widget_class_bind_template_child (widget_class, BourseSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, BourseSignInDialog, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, BourseSignInDialog, spinner);
  gtk_widget_class_bind_template_callback (widget_class, bourse_sign_in_dialog_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_sign_in_dialog_entry_activated_cb);
}

static void
bourse_sign_in_dialog_init (BourseSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  bourse_sign_in_dialog_changed_cb (self, NULL);
}

GtkWidget *
bourse_sign_in_dialog_new (GtkWindow           *parent,
                           BourseRemoteSession *session)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BOURSE_IS_REMOTE_SESSION (session), NULL);

  return g_object_new (BOURSE_TYPE_SIGN_IN_DIALOG,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}
