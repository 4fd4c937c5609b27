/* bourse-users-page.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "client/bourse-client-records.h"
#include "client/bourse-client-store.h"

#include "bourse-app-util.h"
#include "bourse-user-row.h"
#include "bourse-users-page.h"

#define USERS_TOPIC "users"
/* As POST /api/v1/users/{id}/decline takes. */
#define DECLINE_REASON_MAX 500

struct _BourseUsersPage
{
  AdwPreferencesPage  parent_instance;

  BourseClient       *client;
  GCancellable       *cancellable;      /* actions; cancelled with the client */

  /* BourseClientUser, kept live by the "users" topic; each group a
   * filter of it by status, bound to a list of BourseUserRow. */
  BourseClientStore  *store;
  GtkFilterListModel *pending;
  GtkFilterListModel *accounts;
  GtkFilter          *pending_filter;
  GtkFilter          *accounts_filter;
  GHashTable         *known_pending;    /* ids of the pending accounts last seen */
  gboolean            primed;           /* the first load was seen: sign-ups from now on are news */

  GtkWidget          *decline_dialog;   /* weak; the one open, if any */

  AdwPreferencesGroup *pending_group;
  AdwPreferencesGroup *accounts_group;
  GtkWidget          *empty_group;
  GtkListBox         *pending_list;
  GtkListBox         *accounts_list;
  GtkSearchEntry     *search_entry;
};

G_DEFINE_FINAL_TYPE (BourseUsersPage, bourse_users_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

enum {
  SIGN_UP,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
user_is_pending (gpointer item,
                 gpointer user_data)
{
  gboolean pending = g_strcmp0 (bourse_client_user_get_status (item), "pending") == 0;

  return GPOINTER_TO_INT (user_data) ? pending : !pending;
}

static GtkWidget *
bourse_users_page_create_row (gpointer item,
                              gpointer user_data)
{
  return bourse_user_row_new (BOURSE_CLIENT_USER (item));
}

/* After every change of the list or of a status: the groups, and the
 * sign-ups that are news (those that appeared since the last look). */
static void
bourse_users_page_scan (BourseUsersPage *self)
{
  g_autoptr(GHashTable) pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean loaded;
  guint n;

  g_assert (BOURSE_IS_USERS_PAGE (self));

  if (self->store == NULL)
    return;

  loaded = bourse_client_store_get_n_loads (self->store) > 0;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BourseClientUser) user = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      gint64 id = bourse_client_user_get_id (user);

      if (g_strcmp0 (bourse_client_user_get_status (user), "pending") != 0)
        continue;

      g_hash_table_add (pending, g_memdup2 (&id, sizeof id));
      if (self->primed && !g_hash_table_contains (self->known_pending, &id))
        g_signal_emit (self, signals[SIGN_UP], 0, bourse_client_user_get_username (user));
    }

  /* No account at all: a status page (the search stays, for Ctrl+F);
   * otherwise a group with nothing in it is not shown. */
  bourse_empty_state_update (self->empty_group, loaded, n, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_group), g_hash_table_size (pending) > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_group), n > g_hash_table_size (pending));
  g_clear_pointer (&self->known_pending, g_hash_table_unref);
  self->known_pending = g_steal_pointer (&pending);
  self->primed |= loaded;
}

/* A status changed in place: the object moves between the groups. */
static void
bourse_users_page_status_cb (BourseUsersPage *self)
{
  gtk_filter_changed (self->pending_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->accounts_filter, GTK_FILTER_CHANGE_DIFFERENT);
  bourse_users_page_scan (self);
}

static void
bourse_users_page_items_changed_cb (BourseUsersPage *self,
                                    guint            position,
                                    guint            removed,
                                    guint            added,
                                    GListModel      *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BourseClientUser) user = g_list_model_get_item (model, i);

      /* A reading keeps the objects it had: connect each once. */
      if (g_signal_handler_find (user, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA, 0, 0, NULL,
                                 bourse_users_page_status_cb, self) == 0)
        g_signal_connect_object (user, "notify::status", G_CALLBACK (bourse_users_page_status_cb),
                                 self, G_CONNECT_SWAPPED);
    }
  bourse_users_page_scan (self);
}

static void
bourse_users_page_store_failed_cb (BourseUsersPage *self,
                                   const GError    *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not load the accounts: %s"), error->message);

  bourse_widget_show_toast (GTK_WIDGET (self), message);
}

static void
bourse_users_page_set_store (BourseUsersPage *self,
                             BourseClientStore *store)
{
  g_assert (BOURSE_IS_USERS_PAGE (self));

  if (self->store != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GObject) user = g_list_model_get_item (G_LIST_MODEL (self->store), i);

          g_signal_handlers_disconnect_by_data (user, self);
        }
      g_signal_handlers_disconnect_by_data (self->store, self);
    }
  g_set_object (&self->store, store);

  /* Another server, or another principal: nothing seen so far is news. */
  g_hash_table_remove_all (self->known_pending);
  self->primed = FALSE;

  gtk_filter_list_model_set_model (self->pending, G_LIST_MODEL (store));
  gtk_filter_list_model_set_model (self->accounts, G_LIST_MODEL (store));
  gtk_widget_set_visible (GTK_WIDGET (self->pending_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_group), FALSE);
  bourse_empty_state_update (self->empty_group, FALSE, 0, NULL);

  if (store != NULL)
    {
      g_signal_connect_object (store, "items-changed",
                               G_CALLBACK (bourse_users_page_items_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "notify::n-loads",
                               G_CALLBACK (bourse_users_page_scan), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (store, "failed",
                               G_CALLBACK (bourse_users_page_store_failed_cb), self, G_CONNECT_SWAPPED);
    }
}

void
bourse_users_page_reload (BourseUsersPage *self)
{
  g_return_if_fail (BOURSE_IS_USERS_PAGE (self));

  if (self->store != NULL)
    bourse_client_store_reload (self->store);
}

BourseClientStore *
bourse_users_page_get_store (BourseUsersPage *self)
{
  g_return_val_if_fail (BOURSE_IS_USERS_PAGE (self), NULL);

  return self->store;
}

int
bourse_users_page_get_n_users (BourseUsersPage *self)
{
  g_return_val_if_fail (BOURSE_IS_USERS_PAGE (self), -1);

  if (self->store == NULL || bourse_client_store_get_n_loads (self->store) == 0)
    return -1;
  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}

/* Actions {{{ */

typedef enum {
  CHANGE_APPROVE,
  CHANGE_DECLINE,
  CHANGE_ROLE,
  CHANGE_STATUS,
} ChangeKind;

typedef struct
{
  BourseUsersPage *self;
  ChangeKind       kind;
} Change;

static void
bourse_users_page_change_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autofree Change *change = user_data;
  g_autoptr(BourseUsersPage) self = change->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  JsonObject *user;
  const char *username;

  if (!(answer = bourse_client_request_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not change the account: %s"), error->message);
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      bourse_users_page_reload (self);
      return;
    }

  user = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  username = bourse_json_get_string (user, "username");
  if (username == NULL)
    username = "?";

  switch (change->kind)
    {
    case CHANGE_APPROVE:
      message = g_strdup_printf (_("“%s” can now sign in"), username);
      break;

    case CHANGE_DECLINE:
      message = g_strdup_printf (_("The sign-up of “%s” is declined"), username);
      break;

    case CHANGE_ROLE:
      /* Translators: the second %s is a role: Administrator, Trader or Viewer */
      message = g_strdup_printf (_("“%s” is now: %s"), username,
                                 bourse_role_to_display (bourse_json_get_string (user, "role")));
      break;

    case CHANGE_STATUS:
    default:
      if (g_strcmp0 (bourse_json_get_string (user, "status"), "disabled") == 0)
        message = g_strdup_printf (_("“%s” is disabled and signed out"), username);
      else
        message = g_strdup_printf (_("“%s” is enabled again"), username);
      break;
    }

  /* The "users" topic brings the change to the row. */
  bourse_widget_show_toast (GTK_WIDGET (self), message);
}

static void
bourse_users_page_change (BourseUsersPage *self,
                          ChangeKind       kind,
                          gint64           id,
                          const char      *member,
                          const char      *value)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  Change *change;

  g_assert (BOURSE_IS_USERS_PAGE (self));

  if (self->client == NULL)
    return;

  change = g_new0 (Change, 1);
  change->self = g_object_ref (self);
  change->kind = kind;

  if (kind == CHANGE_APPROVE || kind == CHANGE_DECLINE)
    {
      path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT "/%s", id,
                              kind == CHANGE_APPROVE ? "approve" : "decline");
      body = value != NULL ? bourse_json_new_object (member, value, NULL) : NULL;
      bourse_client_request_json_async (self->client, "POST", path, body, self->cancellable,
                                        bourse_users_page_change_cb, change);
      return;
    }

  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, id);
  body = bourse_json_new_object (member, value, NULL);
  bourse_client_request_json_async (self->client, "PATCH", path, body, self->cancellable,
                                    bourse_users_page_change_cb, change);
}

static void
bourse_users_page_approve_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  bourse_users_page_change (BOURSE_USERS_PAGE (widget), CHANGE_APPROVE,
                            g_variant_get_int64 (param), NULL, NULL);
}

static void
bourse_users_page_close_decline_dialog (BourseUsersPage *self)
{
  GtkWidget *dialog = g_steal_pointer (&self->decline_dialog);

  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->decline_dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static void
bourse_users_page_decline_reason_changed_cb (BourseUsersPage *self,
                                             GtkEditable     *entry)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  g_assert (BOURSE_IS_USERS_PAGE (self));

  if (self->decline_dialog != NULL)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->decline_dialog), "decline",
                                             reason[0] != '\0');
}

static void
bourse_users_page_decline_response_cb (AdwMessageDialog *dialog,
                                       const char       *response,
                                       BourseUsersPage  *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "user-id"));
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  g_assert (BOURSE_IS_USERS_PAGE (self));

  if (g_str_equal (response, "decline") && reason[0] != '\0')
    bourse_users_page_change (self, CHANGE_DECLINE, id, "reason", reason);
  /* Its buttons close it already; a response given otherwise must too
   * (closing twice is nothing). */
  gtk_window_close (GTK_WINDOW (dialog));
}

/* Asks why: the reason is sent to the person and kept in the audit trail. */
static void
bourse_users_page_decline_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  BourseUsersPage *self = BOURSE_USERS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  const char *username;
  GtkWidget *dialog;
  GtkWidget *entry;
  gint64 id;

  g_variant_get (param, "(x&s)", &id, &username);
  bourse_users_page_close_decline_dialog (self);

  /* Translators: %s is the username of a pending sign-up */
  heading = g_strdup_printf (_("Decline “%s”?"), username);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("The account is disabled, and the person is told the reason by "
                                     "e-mail. The reason is kept in the audit trail."));
  gtk_widget_set_name (dialog, "decline-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "decline", _("_Decline"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "decline",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "decline");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "decline", FALSE);

  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "decline-reason-entry");
  gtk_entry_set_max_length (GTK_ENTRY (entry), DECLINE_REASON_MAX);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (required)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "user-id", GSIZE_TO_POINTER ((gsize) id));

  g_signal_connect_object (entry, "changed",
                           G_CALLBACK (bourse_users_page_decline_reason_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_users_page_decline_response_cb), self, 0);

  self->decline_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->decline_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
bourse_users_page_set_role_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  const char *role;
  gint64 id;

  g_variant_get (param, "(x&s)", &id, &role);
  bourse_users_page_change (BOURSE_USERS_PAGE (widget), CHANGE_ROLE, id, "role", role);
}

static void
bourse_users_page_set_status_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  const char *status;
  gint64 id;

  g_variant_get (param, "(x&s)", &id, &status);
  bourse_users_page_change (BOURSE_USERS_PAGE (widget), CHANGE_STATUS, id, "status", status);
}

/* }}} */

BourseClient *
bourse_users_page_get_client (BourseUsersPage *self)
{
  g_return_val_if_fail (BOURSE_IS_USERS_PAGE (self), NULL);

  return self->client;
}

void
bourse_users_page_set_client (BourseUsersPage *self,
                              BourseClient    *client)
{
  g_return_if_fail (BOURSE_IS_USERS_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  g_set_object (&self->client, client);

  if (client != NULL)
    {
      g_autoptr(BourseClientStore) store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_USER,
                                                                    "/api/v1/users", USERS_TOPIC);

      self->cancellable = g_cancellable_new ();
      bourse_users_page_set_store (self, store);
    }
  else
    bourse_users_page_set_store (self, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.approve", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.decline", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.set-role", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.set-status", client != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
bourse_users_page_dispose (GObject *object)
{
  BourseUsersPage *self = (BourseUsersPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  bourse_users_page_close_decline_dialog (self);

  if (self->pending != NULL)
    bourse_users_page_set_store (self, NULL);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_USERS_PAGE);
  g_clear_object (&self->pending);
  g_clear_object (&self->accounts);
  g_clear_object (&self->pending_filter);
  g_clear_object (&self->accounts_filter);

  G_OBJECT_CLASS (bourse_users_page_parent_class)->dispose (object);
}

static void
bourse_users_page_finalize (GObject *object)
{
  BourseUsersPage *self = (BourseUsersPage *)object;

  g_clear_pointer (&self->known_pending, g_hash_table_unref);

  G_OBJECT_CLASS (bourse_users_page_parent_class)->finalize (object);
}

static void
bourse_users_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BourseUsersPage *self = BOURSE_USERS_PAGE (object);

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
bourse_users_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BourseUsersPage *self = BOURSE_USERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_users_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_users_page_class_init (BourseUsersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_users_page_dispose;
  object_class->finalize = bourse_users_page_finalize;
  object_class->get_property = bourse_users_page_get_property;
  object_class->set_property = bourse_users_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseUsersPage::sign-up:
   * @username: who signed up
   *
   * An account waiting for approval appeared that was not there at the
   * last look: worth telling the administrator.
   */
  signals[SIGN_UP] =
    g_signal_new ("sign-up",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "users.approve", "x",
                                   bourse_users_page_approve_action);
  gtk_widget_class_install_action (widget_class, "users.decline", "(xs)",
                                   bourse_users_page_decline_action);
  gtk_widget_class_install_action (widget_class, "users.set-role", "(xs)",
                                   bourse_users_page_set_role_action);
  gtk_widget_class_install_action (widget_class, "users.set-status", "(xs)",
                                   bourse_users_page_set_status_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-users-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseUsersPage, pending_group);
  gtk_widget_class_bind_template_child (widget_class, BourseUsersPage, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, BourseUsersPage, empty_group);
  gtk_widget_class_bind_template_child (widget_class, BourseUsersPage, pending_list);
  gtk_widget_class_bind_template_child (widget_class, BourseUsersPage, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, BourseUsersPage, search_entry);
}

static void
bourse_users_page_init (BourseUsersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* AdwPreferencesPage:name shadows the widget's own name in templates. */
  gtk_widget_set_name (GTK_WIDGET (self), "users-page");
  bourse_search_filter_lists (GTK_WIDGET (self->pending_group), self->search_entry);
  bourse_search_filter_lists (GTK_WIDGET (self->accounts_group), self->search_entry);

  self->known_pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  self->pending_filter = GTK_FILTER (gtk_custom_filter_new (user_is_pending, GINT_TO_POINTER (TRUE), NULL));
  self->accounts_filter = GTK_FILTER (gtk_custom_filter_new (user_is_pending, GINT_TO_POINTER (FALSE), NULL));
  self->pending = gtk_filter_list_model_new (NULL, g_object_ref (self->pending_filter));
  self->accounts = gtk_filter_list_model_new (NULL, g_object_ref (self->accounts_filter));
  gtk_list_box_bind_model (self->pending_list, G_LIST_MODEL (self->pending),
                           bourse_users_page_create_row, NULL, NULL);
  gtk_list_box_bind_model (self->accounts_list, G_LIST_MODEL (self->accounts),
                           bourse_users_page_create_row, NULL, NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.approve", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.decline", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.set-role", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.set-status", FALSE);
}

GtkWidget *
bourse_users_page_new (void)
{
  return g_object_new (BOURSE_TYPE_USERS_PAGE, NULL);
}
