/* bourse-exchange-page.c — Preferences → Exchange: the venue, its keys and their check
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-desk-util.h"
#include "bourse-exchange-page.h"
#include "bourse-trading-util.h"

/* In the order of the kind row's model. */
enum { KIND_HMAC, KIND_ED25519 };

typedef enum
{
  CHANGE_SAVE,
  CHANGE_CHECK,
  CHANGE_REMOVE,
} Change;

struct _BourseExchangePage
{
  AdwPreferencesPage   parent_instance;

  BourseClient        *client;
  GCancellable        *cancellable;   /* loads and actions; cancelled on dispose */
  gboolean             present;       /* keys are stored */
  gboolean             busy;          /* a request that changes the keys is under way */
  Change               change;        /* which, while busy: one at a time */
  guint                n_loads;
  guint                n_saves;

  AdwActionRow        *network_row;
  GtkLabel            *network_label;
  AdwActionRow        *keys_row;
  AdwActionRow        *check_row;
  GtkWidget           *remove_button;
  GtkWidget           *check_button;
  GtkWidget           *new_keys_group;
  AdwEntryRow         *api_key_row;
  AdwComboRow         *kind_row;
  AdwEntryRow         *secret_row;
  GtkWidget           *pem_row;
  GtkTextView         *pem_view;
  GtkLabel            *keys_error_label;
};

G_DEFINE_FINAL_TYPE (BourseExchangePage, bourse_exchange_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
bourse_exchange_page_may_change (BourseExchangePage *self)
{
  return self->client != NULL && bourse_client_has_permission (self->client, "exchange.keys");
}

static void
bourse_exchange_page_toast (BourseExchangePage *self,
                            const char         *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (message));
  else
    bourse_widget_show_toast (GTK_WIDGET (self), message);
}

static char *
bourse_exchange_page_dup_secret (BourseExchangePage *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (adw_combo_row_get_selected (self->kind_row) != KIND_ED25519)
    return g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));

  buffer = gtk_text_view_get_buffer (self->pem_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
bourse_exchange_page_update_actions (BourseExchangePage *self)
{
  g_autofree char *api_key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_key_row))));
  g_autofree char *secret = bourse_exchange_page_dup_secret (self);
  gboolean may_change = bourse_exchange_page_may_change (self);

  g_strstrip (secret);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "exchange.save-keys",
                                 may_change && !self->busy && api_key[0] != '\0' && secret[0] != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "exchange.remove-keys",
                                 may_change && !self->busy && self->present);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "exchange.check-keys",
                                 may_change && !self->busy && self->present);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "exchange.refresh", self->client != NULL);
  gtk_widget_set_visible (self->new_keys_group, may_change);
  gtk_widget_set_visible (self->remove_button, may_change && self->present);
  gtk_widget_set_visible (self->check_button, may_change && self->present);
}

static void
bourse_exchange_page_set_problem (BourseExchangePage *self,
                                  const char         *field,
                                  const char         *message)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->api_key_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->secret_row), "error");
  gtk_widget_remove_css_class (self->pem_row, "error");

  gtk_label_set_label (self->keys_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->keys_error_label), message != NULL);

  if (g_strcmp0 (field, "api_key") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->api_key_row), "error");
  else if (g_strcmp0 (field, "secret") == 0)
    gtk_widget_add_css_class (adw_combo_row_get_selected (self->kind_row) == KIND_ED25519
                              ? self->pem_row : GTK_WIDGET (self->secret_row), "error");
}

static const char *
key_kind_to_display (const char *kind)
{
  if (g_strcmp0 (kind, "hmac") == 0)
    return _("HMAC");
  if (g_strcmp0 (kind, "ed25519") == 0)
    return _("Ed25519");
  return kind != NULL ? kind : "—";
}

/* "Can trade · cannot withdraw · SPOT account · checked …", or why not. */
static char *
dup_check_text (JsonObject *keys)
{
  g_autofree char *checked = bourse_format_local_time (bourse_json_get_string (keys, "checked_at"));
  const char *problem = bourse_json_get_string (keys, "problem");
  const char *account_type = bourse_json_get_string (keys, "account_type");
  gboolean can_trade = FALSE, can_withdraw = FALSE, passed = FALSE;
  g_autoptr(GString) text = g_string_new (NULL);

  bourse_json_get_boolean (keys, "passed", &passed);
  bourse_json_get_boolean (keys, "can_trade", &can_trade);
  bourse_json_get_boolean (keys, "can_withdraw", &can_withdraw);

  if (!passed && problem != NULL)
    return g_strdup (problem);

  if (checked == NULL)
    return g_strdup (_("Not checked yet"));

  g_string_append (text, can_trade ? _("Can trade") : _("Cannot trade"));
  g_string_append (text, " · ");
  g_string_append (text, can_withdraw ? _("can withdraw") : _("cannot withdraw"));
  if (account_type != NULL)
    {
      g_string_append (text, " · ");
      /* Translators: Binance's account type, e.g. “SPOT account” */
      g_string_append_printf (text, _("%s account"), account_type);
    }
  g_string_append (text, " · ");
  /* Translators: when the keys were last checked with the exchange (local time) */
  g_string_append_printf (text, _("checked %s"), checked);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
bourse_exchange_page_apply (BourseExchangePage *self,
                            JsonNode           *answer)
{
  JsonObject *exchange = answer != NULL && JSON_NODE_HOLDS_OBJECT (answer)
                       ? json_node_get_object (answer) : NULL;
  JsonObject *keys = bourse_json_get_object (exchange, "keys");
  const char *base_url = bourse_json_get_string (exchange, "base_url");
  gboolean testnet = FALSE, passed = FALSE;
  g_autofree char *check = NULL;

  g_assert (BOURSE_IS_EXCHANGE_PAGE (self));

  if (exchange == NULL)
    return;

  self->n_loads++;

  /* The base URL says which: the configuration chooses it, not this page. */
  bourse_json_get_boolean (exchange, "testnet", &testnet);
  adw_action_row_set_subtitle (self->network_row, base_url != NULL ? base_url : "—");
  gtk_label_set_label (self->network_label, testnet ? _("Testnet") : _("Main Net: Real Money"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->network_label), "accent");
  gtk_widget_remove_css_class (GTK_WIDGET (self->network_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->network_label), testnet ? "accent" : "error");

  self->present = FALSE;
  bourse_json_get_boolean (keys, "present", &self->present);
  bourse_json_get_boolean (keys, "passed", &passed);

  if (self->present)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: the kind of a stored key (HMAC, Ed25519) and its first and last characters */
      subtitle = g_strdup_printf (_("%s key %s"),
                                  key_kind_to_display (bourse_json_get_string (keys, "kind")),
                                  bourse_json_get_string (keys, "api_key_hint") ?: "");
      adw_action_row_set_subtitle (self->keys_row, subtitle);
      check = dup_check_text (keys);
    }
  else
    adw_action_row_set_subtitle (self->keys_row, _("None stored: live trading is not possible"));

  adw_action_row_set_subtitle (self->check_row, check != NULL ? check : "—");
  gtk_widget_remove_css_class (GTK_WIDGET (self->check_row), "error");
  if (self->present && !passed)
    gtk_widget_add_css_class (GTK_WIDGET (self->check_row), "error");

  bourse_exchange_page_update_actions (self);
}

static void
bourse_exchange_page_load_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BourseExchangePage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s is the server's answer */
          g_autofree char *message = g_strdup_printf (_("Could not load the exchange: %s"),
                                                      error->message);

          bourse_exchange_page_toast (self, message);
        }
      return;
    }

  bourse_exchange_page_apply (self, answer);
}

void
bourse_exchange_page_reload (BourseExchangePage *self)
{
  g_return_if_fail (BOURSE_IS_EXCHANGE_PAGE (self));

  if (self->client == NULL)
    return;

  bourse_client_get_json_async (self->client, "/api/v1/exchange", self->cancellable,
                                bourse_exchange_page_load_cb, g_object_ref (self));
}

/* Actions {{{ */

static void
bourse_exchange_page_changed_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(BourseExchangePage) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  Change change = self->change;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  self->n_saves++;

  if (answer == NULL)
    {
      const char *field = bourse_problem_get_field (problem);
      JsonObject *refusal = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem)
                          ? json_node_get_object (problem) : NULL;
      JsonArray *errors = bourse_json_get_array (refusal, "errors");
      const char *message = NULL;

      /* The field's own message says what is wrong with the keys (they
       * can withdraw, Binance refused them); otherwise the detail. */
      if (errors != NULL && json_array_get_length (errors) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (errors, 0)))
        message = bourse_json_get_string (json_array_get_object_element (errors, 0), "message");

      bourse_exchange_page_set_problem (self, field, message != NULL ? message : error->message);
      bourse_exchange_page_update_actions (self);
      if (change != CHANGE_SAVE)
        bourse_exchange_page_reload (self);
      return;
    }

  bourse_exchange_page_set_problem (self, NULL, NULL);

  if (change == CHANGE_SAVE)
    {
      /* The secret leaves the page as soon as the server has it. */
      gtk_editable_set_text (GTK_EDITABLE (self->api_key_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->secret_row), "");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->pem_view), "", 0);
      bourse_exchange_page_toast (self, _("Keys checked and saved"));
    }
  else if (change == CHANGE_REMOVE)
    bourse_exchange_page_toast (self, _("Keys removed"));

  /* PUT and the check answer with the exchange's status; DELETE with nothing. */
  if (JSON_NODE_HOLDS_OBJECT (answer) &&
      bourse_json_get_object (json_node_get_object (answer), "keys") != NULL)
    bourse_exchange_page_apply (self, answer);
  else
    bourse_exchange_page_reload (self);

  bourse_exchange_page_update_actions (self);
}

static void
bourse_exchange_page_send (BourseExchangePage *self,
                           Change              change,
                           const char         *method,
                           const char         *path,
                           JsonNode           *body)
{
  g_assert (BOURSE_IS_EXCHANGE_PAGE (self));

  self->busy = TRUE;
  self->change = change;
  bourse_exchange_page_update_actions (self);
  bourse_client_request_json_async (self->client, method, path, body, self->cancellable,
                                    bourse_exchange_page_changed_cb,
                                    g_object_ref (self));
}

static void
bourse_exchange_page_save_keys_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  BourseExchangePage *self = BOURSE_EXCHANGE_PAGE (widget);
  g_autofree char *api_key = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (self->client == NULL || self->busy)
    return;

  api_key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->api_key_row))));
  secret = g_strstrip (bourse_exchange_page_dup_secret (self));
  if (api_key[0] == '\0' || secret[0] == '\0')
    return;

  body = bourse_json_new_object ("api_key", api_key, "secret", secret, NULL);
  bourse_exchange_page_set_problem (self, NULL, NULL);
  bourse_exchange_page_send (self, CHANGE_SAVE, "PUT", "/api/v1/exchange/keys", body);
}

static void
bourse_exchange_page_check_keys_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  BourseExchangePage *self = BOURSE_EXCHANGE_PAGE (widget);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  if (self->client == NULL || self->busy)
    return;

  json_node_take_object (body, json_object_new ());
  bourse_exchange_page_send (self, CHANGE_CHECK, "POST", "/api/v1/exchange/keys/check", body);
}

static void
bourse_exchange_page_remove_response_cb (BourseExchangePage *self,
                                         const char         *response,
                                         AdwMessageDialog   *dialog)
{
  g_assert (BOURSE_IS_EXCHANGE_PAGE (self));

  if (g_strcmp0 (response, "remove") != 0 || self->client == NULL || self->busy)
    return;

  bourse_exchange_page_send (self, CHANGE_REMOVE, "DELETE", "/api/v1/exchange/keys", NULL);
}

static void
bourse_exchange_page_remove_keys_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *param)
{
  BourseExchangePage *self = BOURSE_EXCHANGE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Remove the Exchange Keys?"),
                                   _("They are deleted from the keyring. Live trading needs keys "
                                     "entered and checked again."));
  gtk_widget_set_name (dialog, "remove-keys-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove Keys"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_exchange_page_remove_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bourse_exchange_page_refresh_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  bourse_exchange_page_reload (BOURSE_EXCHANGE_PAGE (widget));
}

static void
bourse_exchange_page_entry_changed_cb (BourseExchangePage *self,
                                       GtkEditable        *editable)
{
  g_assert (BOURSE_IS_EXCHANGE_PAGE (self));

  bourse_exchange_page_update_actions (self);
}

static void
bourse_exchange_page_pem_changed_cb (BourseExchangePage *self,
                                     GtkTextBuffer      *buffer)
{
  g_assert (BOURSE_IS_EXCHANGE_PAGE (self));

  bourse_exchange_page_update_actions (self);
}

static void
bourse_exchange_page_kind_changed_cb (BourseExchangePage *self,
                                      GParamSpec         *pspec,
                                      AdwComboRow        *row)
{
  gboolean pem = adw_combo_row_get_selected (row) == KIND_ED25519;

  g_assert (BOURSE_IS_EXCHANGE_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->secret_row), !pem);
  gtk_widget_set_visible (self->pem_row, pem);
  bourse_exchange_page_update_actions (self);
}

/* }}} */

BourseClient *
bourse_exchange_page_get_client (BourseExchangePage *self)
{
  g_return_val_if_fail (BOURSE_IS_EXCHANGE_PAGE (self), NULL);

  return self->client;
}

guint
bourse_exchange_page_get_n_loads (BourseExchangePage *self)
{
  g_return_val_if_fail (BOURSE_IS_EXCHANGE_PAGE (self), 0);

  return self->n_loads;
}

guint
bourse_exchange_page_get_n_saves (BourseExchangePage *self)
{
  g_return_val_if_fail (BOURSE_IS_EXCHANGE_PAGE (self), 0);

  return self->n_saves;
}

static void
bourse_exchange_page_constructed (GObject *object)
{
  BourseExchangePage *self = (BourseExchangePage *)object;

  G_OBJECT_CLASS (bourse_exchange_page_parent_class)->constructed (object);

  bourse_exchange_page_update_actions (self);
  bourse_exchange_page_reload (self);
}

static void
bourse_exchange_page_dispose (GObject *object)
{
  BourseExchangePage *self = (BourseExchangePage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_EXCHANGE_PAGE);

  G_OBJECT_CLASS (bourse_exchange_page_parent_class)->dispose (object);
}

static void
bourse_exchange_page_finalize (GObject *object)
{
  BourseExchangePage *self = (BourseExchangePage *)object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bourse_exchange_page_parent_class)->finalize (object);
}

static void
bourse_exchange_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BourseExchangePage *self = BOURSE_EXCHANGE_PAGE (object);

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
bourse_exchange_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BourseExchangePage *self = BOURSE_EXCHANGE_PAGE (object);

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
bourse_exchange_page_class_init (BourseExchangePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bourse_exchange_page_constructed;
  object_class->dispose = bourse_exchange_page_dispose;
  object_class->finalize = bourse_exchange_page_finalize;
  object_class->get_property = bourse_exchange_page_get_property;
  object_class->set_property = bourse_exchange_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "exchange.save-keys", NULL,
                                   bourse_exchange_page_save_keys_action);
  gtk_widget_class_install_action (widget_class, "exchange.check-keys", NULL,
                                   bourse_exchange_page_check_keys_action);
  gtk_widget_class_install_action (widget_class, "exchange.remove-keys", NULL,
                                   bourse_exchange_page_remove_keys_action);
  gtk_widget_class_install_action (widget_class, "exchange.refresh", NULL,
                                   bourse_exchange_page_refresh_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-exchange-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, network_row);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, network_label);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, keys_row);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, check_row);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, remove_button);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, check_button);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, new_keys_group);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, pem_row);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, pem_view);
  gtk_widget_class_bind_template_child (widget_class, BourseExchangePage, keys_error_label);
  gtk_widget_class_bind_template_callback (widget_class, bourse_exchange_page_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_exchange_page_kind_changed_cb);
}

static void
bourse_exchange_page_init (BourseExchangePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_text_view_get_buffer (self->pem_view), "changed",
                           G_CALLBACK (bourse_exchange_page_pem_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

GtkWidget *
bourse_exchange_page_new (BourseClient *client)
{
  g_return_val_if_fail (!client || BOURSE_IS_CLIENT (client), NULL);

  return g_object_new (BOURSE_TYPE_EXCHANGE_PAGE,
                       "client", client,
                       NULL);
}
