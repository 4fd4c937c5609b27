/* bourse-users-page.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-users-page.h"

#define ALERTS_TOPIC "alerts"
/* As POST /api/v1/users/{id}/decline takes. */
#define DECLINE_REASON_MAX 500

struct _BourseUsersPage
{
  AdwPreferencesPage  parent_instance;

  BourseClient       *client;
  GSignalGroup       *client_signals;
  GCancellable       *load_cancellable;
  GCancellable       *cancellable;      /* actions; cancelled with the client */

  GPtrArray          *rows;             /* what the groups show now */
  GHashTable         *known_pending;    /* ids of the pending accounts last seen */
  int                 n_users;          /* -1 until the first load */

  GtkWidget          *decline_dialog;   /* weak; the one open, if any */

  AdwPreferencesGroup *pending_group;
  AdwPreferencesGroup *accounts_group;
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

static const char *
role_menu_label (const char *role)
{
  if (g_str_equal (role, "admin"))
    return _("Make _Administrator");
  if (g_str_equal (role, "trader"))
    return _("Make _Trader");
  return _("Make _Viewer");
}

static GMenuModel *
bourse_users_page_create_menu (gint64      id,
                               const char *role,
                               const char *status)
{
  static const char *roles[] = { "admin", "trader", "viewer" };
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) role_section = g_menu_new ();
  g_autoptr(GMenu) status_section = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (g_strcmp0 (role, roles[i]) == 0)
        continue;

      item = g_menu_item_new (role_menu_label (roles[i]), NULL);
      g_menu_item_set_action_and_target_value (item, "users.set-role",
                                               g_variant_new ("(xs)", id, roles[i]));
      g_menu_append_item (role_section, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (role_section));

  /* A pending account is approved with its own button, not enabled. */
  if (g_strcmp0 (status, "pending") != 0)
    {
      g_autoptr(GMenuItem) item = NULL;
      gboolean disabled = g_strcmp0 (status, "disabled") == 0;

      item = g_menu_item_new (disabled ? _("_Enable Account") : _("_Disable Account"), NULL);
      g_menu_item_set_action_and_target_value (item, "users.set-status",
                                               g_variant_new ("(xs)", id,
                                                              disabled ? "active" : "disabled"));
      g_menu_append_item (status_section, item);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (status_section));
    }

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static GtkWidget *
bourse_users_page_create_row (BourseUsersPage *self,
                              JsonObject      *user)
{
  const char *username = bourse_json_get_string (user, "username");
  const char *email = bourse_json_get_string (user, "email");
  const char *role = bourse_json_get_string (user, "role");
  const char *status = bourse_json_get_string (user, "status");
  g_autoptr(GMenuModel) menu = NULL;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *row;
  GtkWidget *label;
  GtkWidget *button;
  gint64 id = 0;

  g_assert (BOURSE_IS_USERS_PAGE (self));

  bourse_json_get_int (user, "id", &id);

  row = adw_action_row_new ();
  /* Names and addresses are the users' own text, never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), username ? username : "—");
  /* The role goes with the address rather than in a suffix of its own, so
   * that rows still fit a phone-narrow window. */
  /* Translators: an account's e-mail address, then its role */
  subtitle = g_strdup_printf (_("%s · %s"), email ? email : "", bourse_role_to_display (role));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  name = g_strdup_printf ("user-row-%s", username ? username : "");
  gtk_widget_set_name (row, name);

  adw_action_row_add_prefix (ADW_ACTION_ROW (row), adw_avatar_new (32, username, TRUE));

  label = gtk_label_new (bourse_user_status_to_display (status));
  gtk_widget_set_name (label, "status-label");
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "user-status");
  if (g_strcmp0 (status, "pending") == 0)
    gtk_widget_add_css_class (label, "warning");
  else if (g_strcmp0 (status, "disabled") == 0)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_add_css_class (label, "success");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  if (g_strcmp0 (status, "pending") == 0)
    {
      button = gtk_button_new_with_mnemonic (_("_Approve"));
      gtk_widget_set_name (button, "approve-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "users.approve");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

      button = gtk_button_new_with_label (_("Decline"));
      gtk_widget_set_name (button, "decline-button");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "users.decline");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new ("(xs)", id, username ? username : ""));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  menu = bourse_users_page_create_menu (id, role, status);
  button = gtk_menu_button_new ();
  gtk_widget_set_name (button, "user-menu-button");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Change Role or Status"));
  gtk_widget_add_css_class (button, "flat");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
bourse_users_page_clear (BourseUsersPage *self)
{
  g_assert (BOURSE_IS_USERS_PAGE (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      AdwPreferencesGroup *group;

      group = ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP));
      if (group != NULL)
        adw_preferences_group_remove (group, row);
    }
  g_ptr_array_set_size (self->rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->pending_group), FALSE);
}

static void
bourse_users_page_add_row (BourseUsersPage     *self,
                           AdwPreferencesGroup *group,
                           GtkWidget           *row)
{
  g_ptr_array_add (self->rows, row);
  adw_preferences_group_add (group, row);
}

static void
bourse_users_page_apply (BourseUsersPage *self,
                         JsonNode        *answer)
{
  g_autoptr(GHashTable) pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  JsonArray *items;
  guint n_items;
  guint n_accounts = 0;

  g_assert (BOURSE_IS_USERS_PAGE (self));

  items = JSON_NODE_HOLDS_OBJECT (answer)
        ? bourse_json_get_array (json_node_get_object (answer), "items") : NULL;
  n_items = items != NULL ? json_array_get_length (items) : 0;

  bourse_users_page_clear (self);

  /* The server sends pending accounts first: they get a group of their own. */
  for (guint i = 0; i < n_items; i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      JsonObject *user = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *status = bourse_json_get_string (user, "status");
      gint64 id = 0;

      if (user == NULL || !bourse_json_get_int (user, "id", &id))
        continue;

      if (g_strcmp0 (status, "pending") == 0)
        {
          bourse_users_page_add_row (self, self->pending_group,
                                     bourse_users_page_create_row (self, user));
          g_hash_table_add (pending, g_memdup2 (&id, sizeof id));

          /* Only what appeared since the last look is news. */
          if (self->n_users >= 0 && !g_hash_table_contains (self->known_pending, &id))
            g_signal_emit (self, signals[SIGN_UP], 0, bourse_json_get_string (user, "username"));
        }
      else
        {
          bourse_users_page_add_row (self, self->accounts_group,
                                     bourse_users_page_create_row (self, user));
          n_accounts++;
        }
    }

  if (n_accounts == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No Accounts Yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Accounts appear here once people sign up and you approve them"));
      gtk_widget_add_css_class (row, "dim-label");
      bourse_users_page_add_row (self, self->accounts_group, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->pending_group), g_hash_table_size (pending) > 0);

  g_clear_pointer (&self->known_pending, g_hash_table_unref);
  self->known_pending = g_steal_pointer (&pending);
  self->n_users = n_items;
}

static void
bourse_users_page_load_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(BourseUsersPage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not load the accounts: %s"),
                                                      error->message);

          bourse_widget_show_toast (GTK_WIDGET (self), message);
        }
      return;
    }

  bourse_users_page_apply (self, answer);
}

void
bourse_users_page_reload (BourseUsersPage *self)
{
  g_return_if_fail (BOURSE_IS_USERS_PAGE (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  if (self->client == NULL)
    return;

  self->load_cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, "/api/v1/users", self->load_cancellable,
                                bourse_users_page_load_cb, g_object_ref (self));
}

int
bourse_users_page_get_n_users (BourseUsersPage *self)
{
  g_return_val_if_fail (BOURSE_IS_USERS_PAGE (self), -1);

  return self->n_users;
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

  bourse_widget_show_toast (GTK_WIDGET (self), message);
  bourse_users_page_reload (self);
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

static void
bourse_users_page_refresh_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *param)
{
  bourse_users_page_reload (BOURSE_USERS_PAGE (widget));
}

/* }}} */

static void
bourse_users_page_event_cb (BourseUsersPage *self,
                            const char      *topic,
                            gint64           seq,
                            JsonNode        *data,
                            BourseClient    *client)
{
  const char *kind;

  g_assert (BOURSE_IS_USERS_PAGE (self));

  if (!JSON_NODE_HOLDS_OBJECT (data))
    return;

  kind = bourse_json_get_string (json_node_get_object (data), "kind");
  if (kind != NULL && g_str_has_prefix (kind, "user."))
    bourse_users_page_reload (self);
}

static void
bourse_users_page_resync_cb (BourseUsersPage *self,
                             const char      *topic,
                             BourseClient    *client)
{
  g_assert (BOURSE_IS_USERS_PAGE (self));

  bourse_users_page_reload (self);
}

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

  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, ALERTS_TOPIC);

  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);

  /* Another server, or another principal: nothing seen so far is news. */
  bourse_users_page_clear (self);
  g_hash_table_remove_all (self->known_pending);
  self->n_users = -1;

  if (client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      bourse_client_subscribe (client, ALERTS_TOPIC);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.approve", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.decline", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.set-role", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.set-status", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.refresh", client != NULL);

  bourse_users_page_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
bourse_users_page_dispose (GObject *object)
{
  BourseUsersPage *self = (BourseUsersPage *)object;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  bourse_users_page_close_decline_dialog (self);

  if (self->client != NULL)
    bourse_client_unsubscribe (self->client, ALERTS_TOPIC);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_USERS_PAGE);

  G_OBJECT_CLASS (bourse_users_page_parent_class)->dispose (object);
}

static void
bourse_users_page_finalize (GObject *object)
{
  BourseUsersPage *self = (BourseUsersPage *)object;

  g_clear_pointer (&self->rows, g_ptr_array_unref);
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
   * A reload found an account waiting for approval that was not there
   * before: worth telling the administrator.
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
  gtk_widget_class_install_action (widget_class, "users.refresh", NULL,
                                   bourse_users_page_refresh_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-users-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseUsersPage, pending_group);
  gtk_widget_class_bind_template_child (widget_class, BourseUsersPage, accounts_group);
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

  self->rows = g_ptr_array_new ();
  self->known_pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->n_users = -1;

  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event::" ALERTS_TOPIC,
                                 G_CALLBACK (bourse_users_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync::" ALERTS_TOPIC,
                                 G_CALLBACK (bourse_users_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.approve", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.decline", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.set-role", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.set-status", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "users.refresh", FALSE);
}

GtkWidget *
bourse_users_page_new (void)
{
  return g_object_new (BOURSE_TYPE_USERS_PAGE, NULL);
}
