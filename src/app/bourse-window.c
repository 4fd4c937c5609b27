/* bourse-window.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-approvals-page.h"
#include "bourse-audit-page.h"
#include "bourse-backtests-page.h"
#include "bourse-desk-util.h"
#include "bourse-desktop-settings.h"
#include "bourse-logs-page.h"
#include "bourse-markets-page.h"
#include "bourse-order-dialog.h"
#include "bourse-orders-page.h"
#include "bourse-page-header.h"
#include "bourse-owner-dialog.h"
#include "bourse-portfolio-page.h"
#include "bourse-reconciliation-dialog.h"
#include "bourse-remote-session.h"
#include "bourse-settings-page.h"
#include "bourse-sign-in-dialog.h"
#include "bourse-strategies-page.h"
#include "bourse-system-page.h"
#include "bourse-tab-stop.h"
#include "bourse-trading-util.h"
#include "bourse-users-page.h"
#include "bourse-window.h"

#define RISK_TOPIC "risk"
#define SYSTEM_TOPIC "system"
#define ALERTS_TOPIC "alerts"
/* The desktop channel: each of the caller's notifications, as the server
 * made it (docs/OPERATIONS.md, "Channels"). */
#define NOTIFICATIONS_TOPIC "notifications"

struct _BourseWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  BourseClient         *client;
  GCancellable         *cancellable;
  char                 *server_url;
  char                 *token;          /* the local owner's: set in local mode only */
  AdwToast             *lost_toast;

  /* Remote mode (no local token): signed in to a boursed, or about to. */
  BourseRemoteSession  *session;
  gboolean              restore_tried;   /* the keyring, once per server */
  GtkWidget            *sign_in_dialog;  /* weak */

  /* What the server says the caller may do (GET /api/v1/permissions,
   * kept by the client). */
  GCancellable         *principal_cancellable;

  /* The trading state (GET /api/v1/risk/state, topic risk). */
  GCancellable         *risk_cancellable;
  JsonObject           *risk_state;
  GtkWidget            *halt_dialog;     /* weak */

  /* The trading mode (GET /api/v1/system/status, topic system), for the
   * LIVE badge; reconciliations' reports come on alerts, for those who
   * may read them (exchange.read). */
  GCancellable         *status_cancellable;
  GCancellable         *report_cancellable;  /* Show Report's load; on dispose */
  char                 *mode;
  gboolean              alerts_subscribed;

  /* Set once the owner account was offered (without an application to
   * remember it for the whole launch). */
  gboolean              owner_offered;

  /* Present only for administrators; owned by the view stack. The Audit
   * Trail, Settings and Logs are the places of pages made when first
   * shown (bourse_window_add_page_place ()). */
  GtkWidget            *users_page;
  GtkWidget            *audit_page;
  GtkWidget            *settings_page;
  GtkWidget            *logs_page;
  gboolean              notifications_subscribed;

  /* The desk: present for the roles that may read it; owned by the view
   * stack. An approval asked for before the page was there waits here.
   * Strategies and Backtests are places, their pages made when first
   * shown. */
  GtkWidget            *approvals_page;
  GtkWidget            *strategies_page;
  GtkWidget            *backtests_page;
  gint64                wanted_approval;
  char                 *wanted_decision;
  /* A page asked for (win.show-page, a notification's action) before the
   * window knew the caller's permissions, which list most pages. */
  char                 *wanted_page;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *status_page;
  GtkSpinner           *spinner;
  GtkButton            *retry_button;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  GtkListView          *sidebar_list;
  AdwViewStack         *view_stack;
  AdwWindowTitle       *content_title;
  BourseMarketsPage    *markets_page;
  BoursePortfolioPage  *portfolio_page;
  BourseOrdersPage     *orders_page;
  GtkWidget            *kill_switch_button;
  GtkWidget            *live_badge;
  BourseSystemPage     *system_page;
  GtkRevealer          *trading_banner;
  GtkWidget            *trading_banner_box;
  GtkLabel             *trading_banner_label;
  GtkWidget            *resume_button;
  GtkWidget            *page_actions;
  AdwBin               *page_toolbar;
  GtkMenuButton        *page_menu_button;

  /* The visible page's toolbar, shown in page_toolbar, and the prefix of
   * its actions' group, lent to the menu button. */
  GtkWidget            *shown_toolbar;
  char                 *shown_prefix;
};

G_DEFINE_FINAL_TYPE (BourseWindow, bourse_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SERVER_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void bourse_window_connect         (BourseWindow *self);
static void bourse_window_load_principal  (BourseWindow *self);
static void bourse_window_load_risk_state (BourseWindow *self);
static void bourse_window_risk_event_cb   (BourseWindow *self,
                                           const char   *topic,
                                           gint64        seq,
                                           JsonNode     *data,
                                           BourseClient *client);
static void bourse_window_risk_resync_cb  (BourseWindow *self,
                                           const char   *topic,
                                           BourseClient *client);
static void bourse_window_load_status     (BourseWindow *self);
static void bourse_window_notification_cb (BourseWindow *self,
                                           const char   *topic,
                                           gint64        seq,
                                           JsonNode     *data,
                                           BourseClient *client);
static void bourse_window_system_event_cb (BourseWindow *self,
                                           const char   *topic,
                                           gint64        seq,
                                           JsonNode     *data,
                                           BourseClient *client);
static void bourse_window_system_resync_cb (BourseWindow *self,
                                            const char   *topic,
                                            BourseClient *client);
static void bourse_window_alert_cb        (BourseWindow *self,
                                           const char   *topic,
                                           gint64        seq,
                                           JsonNode     *data,
                                           BourseClient *client);

void
bourse_window_add_toast (BourseWindow *self,
                         const char   *message)
{
  g_return_if_fail (BOURSE_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
bourse_window_show_status (BourseWindow *self,
                           const char   *icon_name,
                           const char   *title,
                           const char   *description,
                           gboolean      busy)
{
  g_assert (BOURSE_IS_WINDOW (self));
  g_assert (title != NULL);

  adw_status_page_set_icon_name (self->status_page, icon_name);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, description);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), !busy);
  gtk_button_set_label (self->retry_button, _("_Retry"));
  gtk_stack_set_visible_child_name (self->main_stack, "status");

  if (!busy)
    gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
}

void
bourse_window_show_progress (BourseWindow *self,
                             const char   *title,
                             const char   *description)
{
  g_return_if_fail (BOURSE_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  bourse_window_show_status (self, "network-server-symbolic", title, description, TRUE);
}

void
bourse_window_show_error (BourseWindow *self,
                          const char   *title,
                          const char   *message)
{
  g_return_if_fail (BOURSE_IS_WINDOW (self));
  g_return_if_fail (title != NULL);

  bourse_window_show_status (self, "network-error-symbolic", title, message, FALSE);
}

static void
bourse_window_client_connected_cb (BourseWindow *self,
                                   GParamSpec   *pspec,
                                   BourseClient *client)
{
  g_assert (BOURSE_IS_WINDOW (self));
  g_assert (BOURSE_IS_CLIENT (client));

  if (bourse_client_get_connected (client))
    {
      if (self->lost_toast != NULL)
        {
          adw_toast_dismiss (self->lost_toast);
          g_clear_object (&self->lost_toast);
          bourse_window_add_toast (self, _("Connection restored"));
        }
    }
  else
    {
      /* A remote server may have ended our session (revoked, expired): a
       * refresh finds out, and its refusal brings the sign-in dialog
       * ("expired") instead of reconnecting in vain. */
      if (self->session != NULL && bourse_remote_session_get_access_token (self->session) != NULL)
        bourse_remote_session_refresh_async (self->session, NULL, NULL, NULL);

      if (self->lost_toast == NULL)
        {
          /* Stays until the connection is back: the data on screen is stale. */
          self->lost_toast = adw_toast_new (_("Connection lost, reconnecting…"));
          adw_toast_set_timeout (self->lost_toast, 0);
          adw_toast_set_priority (self->lost_toast, ADW_TOAST_PRIORITY_HIGH);
          adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->lost_toast));
        }
    }
}

static void
bourse_window_set_client (BourseWindow *self,
                          BourseClient *client)
{
  g_assert (BOURSE_IS_WINDOW (self));
  g_assert (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  /* The window owns the connection: pages only borrow it. */
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      bourse_client_unsubscribe (self->client, RISK_TOPIC);
      bourse_client_unsubscribe (self->client, SYSTEM_TOPIC);
      if (self->alerts_subscribed)
        bourse_client_unsubscribe (self->client, ALERTS_TOPIC);
      if (self->notifications_subscribed)
        bourse_client_unsubscribe (self->client, NOTIFICATIONS_TOPIC);
      bourse_client_close (self->client);
    }

  g_set_object (&self->client, client);
  self->alerts_subscribed = FALSE;
  self->notifications_subscribed = FALSE;

  if (client != NULL)
    {
      g_signal_connect_object (client, "notify::connected",
                               G_CALLBACK (bourse_window_client_connected_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "event::" RISK_TOPIC,
                               G_CALLBACK (bourse_window_risk_event_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "resync::" RISK_TOPIC,
                               G_CALLBACK (bourse_window_risk_resync_cb),
                               self, G_CONNECT_SWAPPED);
      bourse_client_subscribe (client, RISK_TOPIC);
      g_signal_connect_object (client, "event::" SYSTEM_TOPIC,
                               G_CALLBACK (bourse_window_system_event_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "resync::" SYSTEM_TOPIC,
                               G_CALLBACK (bourse_window_system_resync_cb),
                               self, G_CONNECT_SWAPPED);
      bourse_client_subscribe (client, SYSTEM_TOPIC);
      g_signal_connect_object (client, "event::" ALERTS_TOPIC,
                               G_CALLBACK (bourse_window_alert_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "event::" NOTIFICATIONS_TOPIC,
                               G_CALLBACK (bourse_window_notification_cb),
                               self, G_CONNECT_SWAPPED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  bourse_window_load_principal (self);
  bourse_window_load_risk_state (self);
  bourse_window_load_status (self);
}

/* The trading state and the kill switch {{{ */

static gboolean
bourse_window_may (BourseWindow *self,
                   const char   *permission)
{
  return self->client != NULL && bourse_client_has_permission (self->client, permission);
}

static void
bourse_window_update_trading (BourseWindow *self)
{
  const char *state = bourse_json_get_string (self->risk_state, "state");
  gboolean halted = g_strcmp0 (state, "HALTED") == 0;
  gboolean restricted = halted || g_strcmp0 (state, "REDUCING") == 0;

  g_assert (BOURSE_IS_WINDOW (self));

  /* Until the state is known, the switch is there: stopping must never
   * wait for anything. */
  gtk_widget_set_visible (self->kill_switch_button,
                          self->client != NULL && bourse_window_may (self, "risk.halt"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.halt", self->client != NULL && !halted);

  if (restricted)
    {
      const char *reason = bourse_json_get_string (self->risk_state, "reason");
      g_autofree char *until = bourse_format_local_time (bourse_json_get_string (self->risk_state,
                                                                                 "until"));
      g_autofree char *until_text = NULL;
      g_autofree char *text = NULL;

      if (until != NULL)
        /* Translators: when a halt or a reduce-only period lifts, in local time */
        until_text = g_strdup_printf (_("until %s"), until);
      else
        until_text = g_strdup (_("until it is resumed"));

      /* Translators: the trading state, why, and until when, e.g.
       * “Trading halted: daily loss limit, until 2026-03-05 00:00:00” */
      text = g_strdup_printf (_("%s: %s, %s"),
                              halted ? _("Trading halted")
                                     : _("Reducing only: orders that do not reduce a position are refused"),
                              reason != NULL && reason[0] != '\0' ? reason : _("no reason given"),
                              until_text);
      gtk_label_set_label (self->trading_banner_label, text);

      if (halted)
        gtk_widget_add_css_class (self->trading_banner_box, "halted");
      else
        gtk_widget_remove_css_class (self->trading_banner_box, "halted");
    }

  gtk_widget_set_visible (self->resume_button, restricted && bourse_window_may (self, "risk.resume"));
  gtk_revealer_set_reveal_child (self->trading_banner, restricted);
}

static void
bourse_window_apply_risk_state (BourseWindow *self,
                                JsonNode     *state)
{
  g_assert (BOURSE_IS_WINDOW (self));

  if (state == NULL || !JSON_NODE_HOLDS_OBJECT (state) ||
      bourse_json_get_string (json_node_get_object (state), "state") == NULL)
    return;

  g_clear_pointer (&self->risk_state, json_object_unref);
  self->risk_state = json_object_ref (json_node_get_object (state));
  bourse_window_update_trading (self);
}

static void
bourse_window_load_risk_state_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BourseWindow) self = user_data;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the trading state",
                                                            NULL, NULL);

  bourse_window_apply_risk_state (self, answer);
}

static void
bourse_window_load_risk_state (BourseWindow *self)
{
  g_assert (BOURSE_IS_WINDOW (self));

  g_cancellable_cancel (self->risk_cancellable);
  g_clear_object (&self->risk_cancellable);
  g_clear_pointer (&self->risk_state, json_object_unref);
  bourse_window_update_trading (self);

  if (self->client == NULL)
    return;

  self->risk_cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, "/api/v1/risk/state", self->risk_cancellable,
                                bourse_window_load_risk_state_cb, g_object_ref (self));
}

static void
bourse_window_risk_event_cb (BourseWindow *self,
                             const char   *topic,
                             gint64        seq,
                             JsonNode     *data,
                             BourseClient *client)
{
  g_assert (BOURSE_IS_WINDOW (self));

  bourse_window_apply_risk_state (self, data);
}

static void
bourse_window_risk_resync_cb (BourseWindow *self,
                              const char   *topic,
                              BourseClient *client)
{
  g_assert (BOURSE_IS_WINDOW (self));

  bourse_window_load_risk_state (self);
}

static void
bourse_window_risk_request_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BourseWindow) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (answer != NULL)
    {
      /* The answer is the new state; the topic tells everyone else. */
      bourse_window_apply_risk_state (self, answer);
      if (self->risk_state == NULL ||
          bourse_json_get_string (self->risk_state, "state") == NULL)
        bourse_window_load_risk_state (self);
      return;
    }

  text = bourse_problem_to_text (problem, error);
  /* Translators: the server's answer to a halt or a resume */
  message = g_strdup_printf (_("The trading state did not change: %s"), text);
  bourse_window_add_toast (self, message);
  bourse_window_load_risk_state (self);
}

static void
bourse_window_halt_response_cb (BourseWindow     *self,
                                const char       *response,
                                AdwMessageDialog *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  GtkCheckButton *flatten = g_object_get_data (G_OBJECT (dialog), "flatten-check");
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *reason = NULL;

  g_assert (BOURSE_IS_WINDOW (self));

  if (g_strcmp0 (response, "halt") != 0 || self->client == NULL)
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason[0] != '\0' ? reason : _("Kill switch"));
  json_builder_set_member_name (builder, "cancel_orders");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "flatten");
  json_builder_add_boolean_value (builder, gtk_check_button_get_active (flatten));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  bourse_client_request_json_async (self->client, "POST", "/api/v1/risk/halt", body, NULL,
                                    bourse_window_risk_request_cb, g_object_ref (self));
}

static void
bourse_window_halt_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  BourseWindow *self = BOURSE_WINDOW (widget);
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *flatten;

  if (self->halt_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->halt_dialog));
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Stop All Trading?"),
                                   _("Every open order is canceled and no new order is accepted, "
                                     "from anyone, until trading is resumed."));
  gtk_widget_set_name (dialog, "halt-dialog");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "halt", _("_Stop Trading"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "halt",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "halt");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "halt-reason-entry");
  gtk_entry_set_max_length (GTK_ENTRY (entry), 500);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Why (kept in the audit trail)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"),
                                  -1);
  /* Closing positions is a second, separate wish: off unless asked. */
  flatten = gtk_check_button_new_with_mnemonic (_("Also _close every position at market"));
  gtk_widget_set_name (flatten, "halt-flatten-check");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), flatten);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "flatten-check", flatten);

  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_window_halt_response_cb),
                           self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->halt_dialog, dialog);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
bourse_window_resume_trading_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BourseWindow *self = BOURSE_WINDOW (widget);
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  if (self->client == NULL)
    return;

  json_node_take_object (body, json_object_new ());
  bourse_client_request_json_async (self->client, "POST", "/api/v1/risk/resume", body, NULL,
                                    bourse_window_risk_request_cb, g_object_ref (self));
}

static void
bourse_window_new_order_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  BourseWindow *self = BOURSE_WINDOW (widget);
  GtkWidget *dialog;

  if (self->client == NULL)
    return;

  dialog = bourse_order_dialog_new (GTK_WINDOW (self), self->client, g_variant_get_string (param, NULL));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* }}} */

/* Live trading: the badge and reconciliations {{{ */

static void
bourse_window_apply_status (BourseWindow *self,
                            JsonNode     *status)
{
  const char *mode;

  g_assert (BOURSE_IS_WINDOW (self));

  if (status == NULL || !JSON_NODE_HOLDS_OBJECT (status) ||
      (mode = bourse_json_get_string (json_node_get_object (status), "mode")) == NULL)
    return;

  gtk_widget_set_visible (self->live_badge, g_strcmp0 (mode, "live") == 0);

  /* The other book's money now: the pages show it, and drop their Paper tags. */
  if (self->mode != NULL && g_strcmp0 (self->mode, mode) != 0)
    {
      bourse_portfolio_page_reload (self->portfolio_page);
      bourse_orders_page_reload (self->orders_page);
    }
  g_free (self->mode);
  self->mode = g_strdup (mode);
}

static void
bourse_window_load_status_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BourseWindow) self = user_data;
  g_autoptr(JsonNode) answer = bourse_client_finish_logged (object, result, "the system status",
                                                            NULL, NULL);

  bourse_window_apply_status (self, answer);
}

static void
bourse_window_load_status (BourseWindow *self)
{
  g_assert (BOURSE_IS_WINDOW (self));

  g_cancellable_cancel (self->status_cancellable);
  g_clear_object (&self->status_cancellable);

  if (self->client == NULL)
    {
      gtk_widget_set_visible (self->live_badge, FALSE);
      g_clear_pointer (&self->mode, g_free);
      return;
    }

  self->status_cancellable = g_cancellable_new ();
  bourse_client_get_json_async (self->client, "/api/v1/system/status", self->status_cancellable,
                                bourse_window_load_status_cb, g_object_ref (self));
}

static void
bourse_window_system_event_cb (BourseWindow *self,
                               const char   *topic,
                               gint64        seq,
                               JsonNode     *data,
                               BourseClient *client)
{
  g_assert (BOURSE_IS_WINDOW (self));

  /* Newer than any answer on its way. */
  g_cancellable_cancel (self->status_cancellable);
  bourse_window_apply_status (self, data);
}

static void
bourse_window_system_resync_cb (BourseWindow *self,
                                const char   *topic,
                                BourseClient *client)
{
  g_assert (BOURSE_IS_WINDOW (self));

  bourse_window_load_status (self);
}

static void
bourse_window_alert_cb (BourseWindow *self,
                        const char   *topic,
                        gint64        seq,
                        JsonNode     *data,
                        BourseClient *client)
{
  JsonObject *alert = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  g_autofree char *title = NULL;
  gint64 differences = 0;
  AdwToast *toast;

  g_assert (BOURSE_IS_WINDOW (self));

  if (g_strcmp0 (bourse_json_get_string (alert, "kind"), "reconciliation") != 0 ||
      !bourse_json_get_int (alert, "differences", &differences) || differences <= 0)
    return;

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Reconciliation with the exchange adopted %u difference",
                                        "Reconciliation with the exchange adopted %u differences",
                                        (gulong) differences),
                           (guint) differences);
  toast = adw_toast_new (title);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_button_label (toast, _("_Show Report"));
  adw_toast_set_action_name (toast, "win.show-reconciliation");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
bourse_window_show_reconciliation_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *param)
{
  BourseWindow *self = BOURSE_WINDOW (widget);

  if (self->client != NULL && self->report_cancellable != NULL)
    bourse_reconciliation_dialog_present_latest (GTK_WINDOW (self), self->client, self->report_cancellable);
}

/* }}} */

/* Principal {{{ */

static void
bourse_window_sign_up_cb (BourseWindow    *self,
                          const char      *username,
                          BourseUsersPage *page)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  g_assert (BOURSE_IS_WINDOW (self));

  if (username == NULL)
    return;

  /* Someone looking at the window sees a toast; otherwise the desktop
   * tells them. */
  if (application != NULL && !gtk_window_is_active (GTK_WINDOW (self))
      && bourse_settings_get_desktop_notifications ())
    {
      g_autoptr(GNotification) notification = g_notification_new (_("New sign-up"));

      g_notification_set_body (notification, username);
      g_notification_set_default_action_and_target (notification, "app.show-page", "s", "users");
      g_application_send_notification (G_APPLICATION (application), "sign-up", notification);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("New sign-up: %s"), username);

      bourse_window_add_toast (self, message);
    }
}

static GtkWidget *
bourse_window_add_page (BourseWindow *self,
                        GtkWidget    *page,
                        const char   *name,
                        const char   *title,
                        const char   *icon_name)
{
  AdwViewStackPage *stack_page;

  g_object_bind_property (self, "client", page, "client", G_BINDING_SYNC_CREATE);
  bourse_page_show_content_when_shown (page);
  stack_page = adw_view_stack_add_titled (self->view_stack, page, name, title);
  adw_view_stack_page_set_icon_name (stack_page, icon_name);

  return page;
}

/* Pages made when first shown {{{ */

/* The sidebar lists a page from the start (its title, icon, position,
 * Alt+n, badge are the stack page's), but a page's template — forms,
 * lists, the Backtests page's optimisation view — and the rows its first
 * answer makes cost the main loop a stall while the console starts, for a
 * page perhaps never looked at. Its place in the stack is a bin; the page
 * is made in it when the stack first shows it (or the window's API asks
 * for it). What must go on while it was never shown (the approvals' badge
 * and notifications, the sign-ups) lives in pages made at once. */
#define PAGE_TYPE_KEY "bourse-page-type"

static GtkWidget *
bourse_window_add_page_place (BourseWindow *self,
                              GType         page_type,
                              const char   *name,
                              const char   *title,
                              const char   *icon_name)
{
  GtkWidget *place = adw_bin_new ();
  AdwViewStackPage *stack_page;

  g_object_set_data (G_OBJECT (place), PAGE_TYPE_KEY, GSIZE_TO_POINTER (page_type));
  stack_page = adw_view_stack_add_titled (self->view_stack, place, name, title);
  adw_view_stack_page_set_icon_name (stack_page, icon_name);

  return place;
}

/* The page made in @place, or NULL (no place, or not shown yet). */
static GtkWidget *
place_get_page (GtkWidget *place)
{
  return place != NULL ? adw_bin_get_child (ADW_BIN (place)) : NULL;
}

static void bourse_window_update_made_pages (BourseWindow *self);

/* The page the stack's @child stands for: made now in a place that has
 * none yet; any other child is its own page. */
static GtkWidget *
bourse_window_make_page (BourseWindow *self,
                         GtkWidget    *child)
{
  GType page_type;
  GtkWidget *page;

  if (child == NULL || !ADW_IS_BIN (child) ||
      !(page_type = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (child), PAGE_TYPE_KEY))))
    return child;
  if ((page = adw_bin_get_child (ADW_BIN (child))))
    return page;

  g_debug ("Making the page %s", g_type_name (page_type));
  page = g_object_new (page_type, NULL);
  g_object_bind_property (self, "client", page, "client", G_BINDING_SYNC_CREATE);
  /* Made while the window is not on screen (asked for before it is
   * presented), its content costs no layout until it is, as the pages
   * made at once. */
  bourse_page_show_content_when_shown (page);
  adw_bin_set_child (ADW_BIN (child), page);
  bourse_window_update_made_pages (self);

  return page;
}

/* }}} */

/* The Users and Audit Trail pages come and go with the permissions to
 * read them (administrators', in the server's matrix). */
static void
bourse_window_set_admin (BourseWindow *self,
                         gboolean      admin)
{
  g_assert (BOURSE_IS_WINDOW (self));

  if (admin && self->users_page == NULL)
    {
      self->users_page = bourse_window_add_page (self, bourse_users_page_new (), "users",
                                                 _("Users"), "system-users-symbolic");
      g_signal_connect_object (self->users_page, "sign-up",
                               G_CALLBACK (bourse_window_sign_up_cb),
                               self, G_CONNECT_SWAPPED);
      self->audit_page = bourse_window_add_page_place (self, BOURSE_TYPE_AUDIT_PAGE, "audit",
                                                       _("Audit Trail"), "document-open-recent-symbolic");
    }
  else if (!admin && self->users_page != NULL)
    {
      adw_view_stack_remove (self->view_stack, g_steal_pointer (&self->users_page));
      adw_view_stack_remove (self->view_stack, g_steal_pointer (&self->audit_page));
    }
}

/* A page's place present while the caller has @permission; owned by the
 * view stack. */
static void
bourse_window_set_page_for (BourseWindow  *self,
                            GtkWidget    **page,
                            const char    *permission,
                            GType          page_type,
                            const char    *name,
                            const char    *title,
                            const char    *icon_name)
{
  gboolean may = bourse_window_may (self, permission);

  if (may && *page == NULL)
    *page = bourse_window_add_page_place (self, page_type, name, title, icon_name);
  else if (!may && *page != NULL)
    adw_view_stack_remove (self->view_stack, g_steal_pointer (page));
}

/* The page a message on the desktop channel is about, which its
 * notification's default action shows; NULL: none in particular (the
 * action then only brings the window forward). */
static const char *
notification_page (const char *event,
                   JsonObject *data)
{
  const char *kind = bourse_json_get_string (data, "kind");

  if (g_strcmp0 (event, "order.filled") == 0)
    return "orders";
  if (g_strcmp0 (event, "component.status") == 0)
    return "system";
  /* A backtest's or an optimisation's (backtest.run, backtest.optimise);
   * a download's ends in the Markets page's dialog. */
  if (g_strcmp0 (event, "job.finished") == 0 && kind != NULL && g_str_has_prefix (kind, "backtest."))
    return "backtests";

  return NULL;
}

/* The desktop channel: what the engine sends this user's desktop is shown
 * by the desktop, whether or not the window is in front. */
static void
bourse_window_notification_cb (BourseWindow *self,
                               const char   *topic,
                               gint64        seq,
                               JsonNode     *data,
                               BourseClient *client)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  JsonObject *object = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  const char *title = bourse_json_get_string (object, "title");
  const char *text = bourse_json_get_string (object, "text");
  const char *event = bourse_json_get_string (object, "event");
  const char *page;
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;
  gint64 number = 0;

  g_assert (BOURSE_IS_WINDOW (self));

  if (title == NULL)
    return;

  /* The window raises these itself, with actions (Approve…, Open): the
   * channel's copy would say it twice. */
  if ((g_strcmp0 (event, "approval.pending") == 0 && self->approvals_page != NULL &&
       bourse_approvals_page_get_can_decide (BOURSE_APPROVALS_PAGE (self->approvals_page))) ||
      (g_strcmp0 (event, "signup.pending") == 0 && self->users_page != NULL))
    return;

  if (application == NULL || !bourse_settings_get_desktop_notifications ())
    {
      bourse_window_add_toast (self, title);
      return;
    }

  notification = g_notification_new (title);
  if (text != NULL)
    g_notification_set_body (notification, text);
  /* Pressed, it leads to what it is about (app.show-page presents the
   * window first, hidden or not yet signed in). */
  if ((page = notification_page (event, bourse_json_get_object (object, "data"))) != NULL)
    g_notification_set_default_action_and_target (notification, "app.show-page", "s", page);
  /* One per delivery: a replay of the same one replaces it. */
  if (bourse_json_get_int (object, "id", &number))
    id = g_strdup_printf ("notification-%" G_GINT64_FORMAT, number);
  g_application_send_notification (G_APPLICATION (application), id, notification);
}

/* The desk {{{ */

static char *
approval_notification_id (gint64 id)
{
  return g_strdup_printf ("approval-%" PRId64, id);
}

static void
bourse_window_approval_added_cb (BourseWindow        *self,
                                 gint64               id,
                                 const char          *title,
                                 const char          *body,
                                 BourseApprovalsPage *page)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *notification_id = NULL;
  GVariant *target;

  g_assert (BOURSE_IS_WINDOW (self));

  /* A call to act: only for those who may. */
  if (!bourse_approvals_page_get_can_decide (page))
    return;

  if (application == NULL || !bourse_settings_get_desktop_notifications ())
    {
      bourse_window_add_toast (self, title);
      return;
    }

  /* Approve and Reject open the dialog asking for the reason: a decision
   * without one is a poor audit trail. The notification stays until the
   * approval is decided, here or anywhere else. */
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  target = g_variant_new_int64 (id);
  g_notification_set_default_action_and_target_value (notification, "app.approval-open", target);
  g_notification_add_button_with_target_value (notification, _("Approve…"),
                                               "app.approval-approve", target);
  g_notification_add_button_with_target_value (notification, _("Reject…"),
                                               "app.approval-reject", target);
  g_notification_add_button_with_target_value (notification, _("Open"),
                                               "app.approval-open", target);

  notification_id = approval_notification_id (id);
  g_application_send_notification (G_APPLICATION (application), notification_id, notification);
}

static void
bourse_window_approval_settled_cb (BourseWindow        *self,
                                   gint64               id,
                                   BourseApprovalsPage *page)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *notification_id = approval_notification_id (id);

  g_assert (BOURSE_IS_WINDOW (self));

  if (application != NULL)
    g_application_withdraw_notification (G_APPLICATION (application), notification_id);
}

static void
bourse_window_n_pending_cb (BourseWindow        *self,
                            GParamSpec          *pspec,
                            BourseApprovalsPage *page)
{
  AdwViewStackPage *stack_page = adw_view_stack_get_page (self->view_stack, GTK_WIDGET (page));
  guint n_pending = bourse_approvals_page_get_n_pending (page);
  g_autofree char *title = NULL;

  g_assert (BOURSE_IS_WINDOW (self));

  /* The sidebar's badge, and the title the window list and overview show. */
  if (stack_page != NULL)
    {
      adw_view_stack_page_set_badge_number (stack_page, n_pending);
      adw_view_stack_page_set_needs_attention (stack_page, n_pending > 0);
    }

  if (n_pending > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Bourse — %u Approval Pending",
                                          "Bourse — %u Approvals Pending",
                                          n_pending),
                             n_pending);
  gtk_window_set_title (GTK_WINDOW (self), title ? title : _("Bourse"));
}

static void
bourse_window_show_desk_approval (BourseWindow *self)
{
  g_autofree char *decision = NULL;
  gint64 id = self->wanted_approval;

  g_assert (BOURSE_IS_WINDOW (self));

  if (self->approvals_page == NULL || id == 0)
    return;

  decision = g_steal_pointer (&self->wanted_decision);
  self->wanted_approval = 0;
  adw_view_stack_set_visible_child (self->view_stack, self->approvals_page);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  bourse_approvals_page_show_approval (BOURSE_APPROVALS_PAGE (self->approvals_page), id, decision);
}

void
bourse_window_show_approval (BourseWindow *self,
                             gint64        id,
                             const char   *decision)
{
  g_return_if_fail (BOURSE_IS_WINDOW (self));
  g_return_if_fail (decision == NULL || g_str_equal (decision, "approve") ||
                    g_str_equal (decision, "reject"));

  g_debug ("Asked to show approval %" PRId64 " (%s)", id, decision ? decision : "open");
  self->wanted_approval = id;
  g_free (self->wanted_decision);
  self->wanted_decision = g_strdup (decision);

  /* Before the principal is known there is no page yet: it comes. */
  bourse_window_show_desk_approval (self);
}

static void
bourse_window_show_approval_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  bourse_window_show_approval (BOURSE_WINDOW (widget), g_variant_get_int64 (param), NULL);
}

static void
bourse_window_decide_approval_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  const char *decision;
  gint64 id;

  g_variant_get (param, "(x&s)", &id, &decision);
  if (!g_str_equal (decision, "approve") && !g_str_equal (decision, "reject"))
    return;

  bourse_window_show_approval (BOURSE_WINDOW (widget), id, decision);
}

/* Approvals and Strategies, for those who may read them; buttons and forms
 * for those who may act, as the server's matrix says. */
static void
bourse_window_set_desk (BourseWindow *self)
{
  gboolean may_read = bourse_window_may (self, "approvals.read");
  gboolean may_decide = bourse_window_may (self, "approvals.decide");

  g_assert (BOURSE_IS_WINDOW (self));

  if (may_read && self->approvals_page == NULL)
    {
      self->approvals_page = bourse_window_add_page (self, bourse_approvals_page_new (), "approvals",
                                                     _("Approvals"), "object-select-symbolic");
      g_signal_connect_object (self->approvals_page, "approval-added",
                               G_CALLBACK (bourse_window_approval_added_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->approvals_page, "approval-settled",
                               G_CALLBACK (bourse_window_approval_settled_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->approvals_page, "notify::n-pending",
                               G_CALLBACK (bourse_window_n_pending_cb),
                               self, G_CONNECT_SWAPPED);
      self->strategies_page = bourse_window_add_page_place (self, BOURSE_TYPE_STRATEGIES_PAGE,
                                                            "strategies", _("Strategies"),
                                                            "applications-science-symbolic");
    }
  else if (!may_read && self->approvals_page != NULL)
    {
      adw_view_stack_remove (self->view_stack, g_steal_pointer (&self->approvals_page));
      adw_view_stack_remove (self->view_stack, g_steal_pointer (&self->strategies_page));
      gtk_window_set_title (GTK_WINDOW (self), _("Bourse"));
    }

  if (self->approvals_page != NULL)
    {
      bourse_approvals_page_set_can_decide (BOURSE_APPROVALS_PAGE (self->approvals_page), may_decide);
      bourse_approvals_page_set_can_execute (BOURSE_APPROVALS_PAGE (self->approvals_page),
                                             bourse_window_may (self, "approvals.execute"));
      bourse_window_show_desk_approval (self);
    }
}

/* Backtests, for those who may read them; the form for those who may run
 * them. */
static void
bourse_window_set_backtests (BourseWindow *self)
{
  gboolean may_read = bourse_window_may (self, "backtests.read");

  g_assert (BOURSE_IS_WINDOW (self));

  if (may_read && self->backtests_page == NULL)
    self->backtests_page = bourse_window_add_page_place (self, BOURSE_TYPE_BACKTESTS_PAGE, "backtests",
                                                         _("Backtests"), "media-seek-backward-symbolic");
  else if (!may_read && self->backtests_page != NULL)
    adw_view_stack_remove (self->view_stack, g_steal_pointer (&self->backtests_page));
}

/* What the pages made so far may offer, as the server's matrix says; a
 * page made later is told when it is made. */
static void
bourse_window_update_made_pages (BourseWindow *self)
{
  GtkWidget *page;

  if ((page = place_get_page (self->strategies_page)))
    bourse_strategies_page_set_can_write (BOURSE_STRATEGIES_PAGE (page),
                                          bourse_window_may (self, "strategies.write"));
  if ((page = place_get_page (self->backtests_page)))
    bourse_backtests_page_set_can_run (BOURSE_BACKTESTS_PAGE (page),
                                       bourse_window_may (self, "backtests.run"));
}

/* }}} */

/* First run {{{ */

#define OWNER_OFFERED_KEY "bourse-owner-offered"

/* Once per launch: "Later" means not again until the next start. */
static gboolean
bourse_window_take_owner_offer (BourseWindow *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (application != NULL)
    {
      if (g_object_get_data (G_OBJECT (application), OWNER_OFFERED_KEY) != NULL)
        return FALSE;
      g_object_set_data (G_OBJECT (application), OWNER_OFFERED_KEY, GINT_TO_POINTER (TRUE));
    }

  if (self->owner_offered)
    return FALSE;
  self->owner_offered = TRUE;

  return TRUE;
}

static void
bourse_window_owner_created_cb (BourseWindow      *self,
                                const char        *username,
                                BourseOwnerDialog *dialog)
{
  g_autofree char *message = NULL;

  g_assert (BOURSE_IS_WINDOW (self));

  message = g_strdup_printf (_("Account “%s” created"), username);
  bourse_window_add_toast (self, message);

  if (self->users_page != NULL)
    bourse_users_page_reload (BOURSE_USERS_PAGE (self->users_page));
}

static void
bourse_window_check_owner_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BourseWindow) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;
  GtkWidget *dialog;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not list the accounts: %s", error->message);
      return;
    }

  items = JSON_NODE_HOLDS_OBJECT (answer)
        ? bourse_json_get_array (json_node_get_object (answer), "items") : NULL;
  if (items == NULL || json_array_get_length (items) > 0 || self->client == NULL ||
      !bourse_window_take_owner_offer (self))
    return;

  dialog = bourse_owner_dialog_new (GTK_WINDOW (self), self->client);
  g_signal_connect_object (dialog, "created",
                           G_CALLBACK (bourse_window_owner_created_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* In local mode, a server without any account gets its owner one. */
static void
bourse_window_check_owner (BourseWindow *self)
{
  g_assert (BOURSE_IS_WINDOW (self));
  g_assert (self->client != NULL);

  if (self->token == NULL || self->owner_offered)
    return;

  bourse_client_get_json_async (self->client, "/api/v1/users", self->principal_cancellable,
                                bourse_window_check_owner_cb, g_object_ref (self));
}

/* }}} */

/* What the server says the caller may do, once the client knows it; the
 * rules stay with the server. */
static void
bourse_window_update_permissions (BourseWindow *self)
{
  g_assert (BOURSE_IS_WINDOW (self));

  bourse_window_update_trading (self);
  bourse_window_set_desk (self);
  bourse_window_set_backtests (self);
  bourse_window_set_admin (self, bourse_window_may (self, "users.read") && bourse_window_may (self, "audit.read"));
  bourse_window_set_page_for (self, &self->settings_page, "config.read", BOURSE_TYPE_SETTINGS_PAGE,
                              "settings", _("Settings"), "emblem-system-symbolic");
  bourse_window_set_page_for (self, &self->logs_page, "logs.read", BOURSE_TYPE_LOGS_PAGE,
                              "logs", _("Logs"), "text-x-generic-symbolic");
  bourse_window_update_made_pages (self);
  bourse_markets_page_set_permissions (self->markets_page,
                                       self->client ? bourse_client_get_permissions (self->client) : NULL);
  bourse_portfolio_page_update_permissions (self->portfolio_page);
  bourse_orders_page_update_permissions (self->orders_page);
  bourse_system_page_update_permissions (self->system_page);

  if (self->client != NULL && !self->notifications_subscribed && bourse_window_may (self, "notifications.read"))
    {
      self->notifications_subscribed = TRUE;
      bourse_client_subscribe (self->client, NOTIFICATIONS_TOPIC);
    }

  /* The reports of reconciliations, for whoever may read them. */
  if (self->client != NULL && !self->alerts_subscribed && bourse_window_may (self, "exchange.read"))
    {
      self->alerts_subscribed = TRUE;
      bourse_client_subscribe (self->client, ALERTS_TOPIC);
    }
}

static void
bourse_window_load_principal_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(BourseWindow) self = user_data;
  BourseClient *client = BOURSE_CLIENT (object);
  g_autoptr(GError) error = NULL;

  if (!bourse_client_load_permissions_finish (client, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not learn what the signed-in account may do: %s", error->message);
      return;
    }
  if (client != self->client)
    return;

  g_debug ("Signed in with the role %s", bourse_client_get_role (client));
  bourse_window_update_permissions (self);

  /* A page asked for before: shown now if the role has it, else let go. */
  if (self->wanted_page != NULL)
    {
      g_autofree char *wanted = g_steal_pointer (&self->wanted_page);

      if (adw_view_stack_get_child_by_name (self->view_stack, wanted) != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", wanted);
    }

  if (self->users_page != NULL)
    bourse_window_check_owner (self);
}

static void
bourse_window_load_principal (BourseWindow *self)
{
  g_assert (BOURSE_IS_WINDOW (self));

  g_cancellable_cancel (self->principal_cancellable);
  g_clear_object (&self->principal_cancellable);

  if (self->client == NULL)
    return;

  self->principal_cancellable = g_cancellable_new ();
  bourse_client_load_permissions_async (self->client, self->principal_cancellable,
                                        bourse_window_load_principal_cb, g_object_ref (self));
}

/* }}} */

/* Remote sign-in {{{ */

static void
bourse_window_signed_in_cb (BourseWindow       *self,
                            BourseSignInDialog *dialog)
{
  g_assert (BOURSE_IS_WINDOW (self));

  /* Perhaps as someone else: everything is loaded again for them. */
  bourse_window_connect (self);
}

static void
bourse_window_present_sign_in (BourseWindow *self)
{
  g_assert (BOURSE_IS_WINDOW (self));
  g_assert (self->session != NULL);

  if (self->sign_in_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
      return;
    }

  g_set_weak_pointer (&self->sign_in_dialog, bourse_sign_in_dialog_new (GTK_WINDOW (self), self->session));
  g_signal_connect_object (self->sign_in_dialog, "signed-in",
                           G_CALLBACK (bourse_window_signed_in_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
}

static void
bourse_window_session_token_cb (BourseWindow        *self,
                                GParamSpec          *pspec,
                                BourseRemoteSession *session)
{
  g_assert (BOURSE_IS_WINDOW (self));

  /* A refreshed token: the next request and reconnection use it. */
  if (self->client != NULL)
    bourse_client_set_token (self->client, bourse_remote_session_get_access_token (session));
}

static void
bourse_window_session_expired_cb (BourseWindow        *self,
                                  BourseRemoteSession *session)
{
  g_assert (BOURSE_IS_WINDOW (self));

  bourse_window_add_toast (self, _("Your session has ended: sign in again"));
  bourse_window_present_sign_in (self);
}

static void
bourse_window_set_session (BourseWindow        *self,
                           BourseRemoteSession *session)
{
  g_assert (BOURSE_IS_WINDOW (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  bourse_clear_weak_window (&self->sign_in_dialog);

  g_set_object (&self->session, session);
  self->restore_tried = FALSE;

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::access-token",
                               G_CALLBACK (bourse_window_session_token_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "expired",
                               G_CALLBACK (bourse_window_session_expired_cb),
                               self, G_CONNECT_SWAPPED);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", session != NULL);
}

static void
bourse_window_restore_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(BourseWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bourse_remote_session_restore_finish (BOURSE_REMOTE_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (error != NULL)
        g_message ("Could not sign in as remembered: %s", error->message);
    }

  /* With a token or without: the server's 401 then asks for a password. */
  bourse_window_connect (self);
}

static void
bourse_window_sign_out_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *param)
{
  BourseWindow *self = BOURSE_WINDOW (widget);

  if (self->session == NULL)
    return;

  bourse_remote_session_sign_out (self->session);
  bourse_window_connect (self);
}

/* }}} */

static void
bourse_window_connect_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  BourseClient *client = BOURSE_CLIENT (object);
  g_autoptr(BourseWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bourse_client_connect_finish (client, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      if (self->session != NULL &&
          g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_UNAUTHORIZED))
        {
          g_autofree char *description = g_strdup_printf (_("%s asks who you are"),
                                                          self->server_url);

          bourse_window_show_error (self, _("Sign In Required"), description);
          adw_status_page_set_icon_name (self->status_page, "system-lock-screen-symbolic");
          gtk_button_set_label (self->retry_button, _("_Sign In…"));
          bourse_window_present_sign_in (self);
          return;
        }

      bourse_window_show_error (self, _("Could Not Connect"), error->message);
      return;
    }

  bourse_window_set_client (self, client);
  gtk_stack_set_visible_child_name (self->main_stack, "main");
}

static void
bourse_window_connect (BourseWindow *self)
{
  g_autoptr(BourseClient) client = NULL;
  g_autofree char *description = NULL;

  g_assert (BOURSE_IS_WINDOW (self));
  g_assert (self->server_url != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  bourse_window_set_client (self, NULL);

  description = g_strdup_printf (_("Connecting to %s"), self->server_url);
  bourse_window_show_progress (self, _("Connecting…"), description);

  self->cancellable = g_cancellable_new ();

  /* Without the local owner's token, this is a remote server: sign in,
   * first with what the keyring remembers. */
  if (self->token == NULL)
    {
      if (self->session == NULL ||
          g_strcmp0 (bourse_remote_session_get_url (self->session), self->server_url) != 0)
        {
          g_autoptr(BourseRemoteSession) session = bourse_remote_session_new (self->server_url);

          bourse_window_set_session (self, session);
        }

      if (!self->restore_tried)
        {
          self->restore_tried = TRUE;
          bourse_remote_session_restore_async (self->session, self->cancellable,
                                               bourse_window_restore_cb, g_object_ref (self));
          return;
        }
    }
  else
    bourse_window_set_session (self, NULL);

  client = bourse_client_new (self->server_url);
  bourse_client_set_token (client, self->token ? self->token
                                               : bourse_remote_session_get_access_token (self->session));
  bourse_client_connect_async (client, self->cancellable,
                               bourse_window_connect_cb, g_object_ref (self));
}

static void
bourse_window_retry_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  BourseWindow *self = (BourseWindow *)widget;

  g_assert (BOURSE_IS_WINDOW (self));

  /* Without a URL, it is the embedded engine that failed to start: that
   * belongs to the application. */
  if (self->server_url != NULL)
    bourse_window_connect (self);
  else
    gtk_widget_activate_action (widget, "app.retry", NULL);
}

static void
bourse_window_show_toast_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  bourse_window_add_toast (BOURSE_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
bourse_window_show_page_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  BourseWindow *self = BOURSE_WINDOW (widget);
  const char *name = g_variant_get_string (param, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) == NULL)
    {
      /* Not listed yet: the permissions may still be on their way (the
       * application just started by a notification, say). */
      if (self->client == NULL || bourse_client_get_permissions (self->client) == NULL)
        {
          g_free (self->wanted_page);
          self->wanted_page = g_strdup (name);
        }
      return;
    }

  g_clear_pointer (&self->wanted_page, g_free);

  adw_view_stack_set_visible_child_name (self->view_stack, name);
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* The n-th page of the sidebar (Alt+1…9), counted from 0. */
static void
bourse_window_show_page_at (BourseWindow *self,
                            int           position)
{
  g_autoptr(GListModel) pages = G_LIST_MODEL (adw_view_stack_get_pages (self->view_stack));
  g_autoptr(AdwViewStackPage) page = NULL;
  guint n = g_list_model_get_n_items (pages);

  if (position < 0 || (guint) position >= n)
    return;

  page = g_list_model_get_item (pages, position);
  adw_view_stack_set_visible_child (self->view_stack, adw_view_stack_page_get_child (page));
  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static int
bourse_window_get_page_position (BourseWindow *self)
{
  g_autoptr(GListModel) pages = G_LIST_MODEL (adw_view_stack_get_pages (self->view_stack));
  GtkWidget *visible = adw_view_stack_get_visible_child (self->view_stack);

  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);

      if (adw_view_stack_page_get_child (page) == visible)
        return i;
    }

  return -1;
}

static void
bourse_window_show_page_number_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  bourse_window_show_page_at (BOURSE_WINDOW (widget), g_variant_get_int32 (param) - 1);
}

/* Ctrl+Page Down and Up, round the sidebar's pages as tabs do. */
static void
bourse_window_step_page_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *param)
{
  BourseWindow *self = BOURSE_WINDOW (widget);
  g_autoptr(GListModel) pages = G_LIST_MODEL (adw_view_stack_get_pages (self->view_stack));
  int n = g_list_model_get_n_items (pages);
  int step = g_str_equal (action_name, "win.next-page") ? 1 : -1;

  if (n > 0 && self->view_stack != NULL)
    bourse_window_show_page_at (self, (bourse_window_get_page_position (self) + step + n) % n);
}

/* The widget of @type below @widget that the user can see: hidden
 * children and the stacks' pages not shown are passed over. */
static GtkWidget *
find_shown_of_type (GtkWidget *widget,
                    GType      type)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Ctrl+F: the search of the page's list. A page keeps it in a search bar
 * (opened here) or in sight as an entry; either way it takes the focus. */
static void
bourse_window_search_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  BourseWindow *self = BOURSE_WINDOW (widget);
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);
  GtkWidget *entry = NULL;
  GtkWidget *bar;

  if (page == NULL || !gtk_widget_get_mapped (page))
    return;

  if ((bar = find_shown_of_type (page, GTK_TYPE_SEARCH_BAR)))
    {
      gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (bar), TRUE);
      entry = find_shown_of_type (bar, GTK_TYPE_SEARCH_ENTRY);
    }
  else
    entry = find_shown_of_type (page, GTK_TYPE_SEARCH_ENTRY);

  if (entry != NULL)
    gtk_widget_grab_focus (entry);
}

/* GtkShortcutLabel shows a key by its keysym's name where GTK has no
 * label of its own: "Page_Up" in English. The shortcuts window says them
 * in words. */
static void
spell_key_labels (GtkWidget *widget)
{
  static const struct {
    const char *keysym;
    const char *words;
  } keys[] = {
    { "Page_Up",   N_("Page Up") },
    { "Page_Down", N_("Page Down") },
  };

  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_label (GTK_LABEL (widget));

      /* Setting the label frees @text: look no further. */
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        if (g_strcmp0 (text, keys[i].keysym) == 0)
          {
            gtk_label_set_label (GTK_LABEL (widget), _(keys[i].words));
            break;
          }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    spell_key_labels (child);
}

/* The shortcuts window of the application's resources, as GtkApplication
 * gives each window; a window without an application (the tests') loads
 * it itself. */
static void
bourse_window_update_help_overlay (BourseWindow *self)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (self);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/bourse/Bourse/gtk/help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  spell_key_labels (GTK_WIDGET (overlay));
}

static void
bourse_window_application_cb (BourseWindow *self,
                              GParamSpec   *pspec,
                              gpointer      user_data)
{
  bourse_window_update_help_overlay (self);
}

static void
bourse_window_add_shortcuts (BourseWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  /* Before the focused widget: a chart or a list would take Page Up for
   * itself. */
  gtk_event_controller_set_name (controller, "page-shortcuts");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);

  for (int i = 1; i <= 9; i++)
    gtk_shortcut_controller_add_shortcut (shortcuts,
                                          gtk_shortcut_new_with_arguments (
                                            gtk_keyval_trigger_new (GDK_KEY_0 + i, GDK_ALT_MASK),
                                            gtk_named_action_new ("win.show-page-number"),
                                            "i", i));
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Down,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("win.next-page")));
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Page_Up,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("win.previous-page")));
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("win.search")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
bourse_window_back_clicked_cb (BourseWindow *self,
                               GtkButton    *button)
{
  g_assert (BOURSE_IS_WINDOW (self));

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
bourse_window_sidebar_activate_cb (BourseWindow *self,
                                   guint         position,
                                   GtkListView  *list_view)
{
  g_assert (BOURSE_IS_WINDOW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
bourse_window_sidebar_released_cb (BourseWindow    *self,
                                   int              n_press,
                                   double           x,
                                   double           y,
                                   GtkGestureClick *gesture)
{
  g_assert (BOURSE_IS_WINDOW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->content);
}

/* The header's page actions are shown while the toolbar has a button to
 * show. */
static void
bourse_window_update_page_actions (BourseWindow *self)
{
  gboolean any = FALSE;

  if (self->shown_toolbar != NULL)
    for (GtkWidget *child = gtk_widget_get_first_child (self->shown_toolbar);
         child != NULL && !any;
         child = gtk_widget_get_next_sibling (child))
      any = gtk_widget_get_visible (child);

  gtk_widget_set_visible (self->page_actions, any);
}

static void
bourse_window_toolbar_button_cb (BourseWindow *self,
                                 GParamSpec   *pspec,
                                 GtkWidget    *button)
{
  bourse_window_update_page_actions (self);
}

/* The narrow window's menu: the toolbar's buttons as they are now. */
static void
bourse_window_page_menu_cb (GtkMenuButton *button,
                            gpointer       user_data)
{
  BourseWindow *self = BOURSE_WINDOW (user_data);
  g_autoptr(GMenuModel) menu = NULL;

  if (self->shown_toolbar == NULL)
    return;

  menu = bourse_page_header_menu_new (self->shown_toolbar);
  gtk_menu_button_set_menu_model (button, menu);
}

static void
bourse_window_show_page_actions (BourseWindow *self,
                                 GtkWidget    *page)
{
  GtkWidget *toolbar = page != NULL ? bourse_page_get_header_actions (page) : NULL;
  GActionGroup *group = NULL;
  const char *prefix = NULL;

  if (toolbar == self->shown_toolbar)
    return;

  if (self->shown_toolbar != NULL)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (self->shown_toolbar);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_signal_handlers_disconnect_by_func (child, bourse_window_toolbar_button_cb, self);
      g_clear_object (&self->shown_toolbar);
    }
  if (self->shown_prefix != NULL)
    {
      gtk_widget_insert_action_group (GTK_WIDGET (self->page_menu_button), self->shown_prefix, NULL);
      g_clear_pointer (&self->shown_prefix, g_free);
    }

  /* A toolbar is a box of buttons: each one shown or hidden by its page
   * (for its permissions) shows or hides the whole when it is the last. */
  if (toolbar != NULL)
    {
      self->shown_toolbar = g_object_ref (toolbar);
      for (GtkWidget *child = gtk_widget_get_first_child (toolbar);
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_signal_connect_object (child, "notify::visible",
                                 G_CALLBACK (bourse_window_toolbar_button_cb), self,
                                 G_CONNECT_SWAPPED);
      if ((group = bourse_page_get_header_group (page, &prefix)))
        {
          self->shown_prefix = g_strdup (prefix);
          gtk_widget_insert_action_group (GTK_WIDGET (self->page_menu_button), prefix, group);
        }
    }

  adw_bin_set_child (self->page_toolbar, toolbar);
  bourse_window_update_page_actions (self);
}

static void
bourse_window_visible_page_changed_cb (BourseWindow *self,
                                       GParamSpec   *pspec,
                                       AdwViewStack *view_stack)
{
  GtkWidget *child;
  AdwViewStackPage *page;

  g_assert (BOURSE_IS_WINDOW (self));

  if ((child = adw_view_stack_get_visible_child (view_stack)) &&
      (page = adw_view_stack_get_page (view_stack, child)))
    adw_window_title_set_title (self->content_title, adw_view_stack_page_get_title (page));
  /* The sidebar, Alt+n, a notification's action: each shows the stack's
   * child, and the page is made here before its first frame. */
  bourse_window_show_page_actions (self, bourse_window_make_page (self, child));
}

/* The schema is missing when running uninstalled without
 * GSETTINGS_SCHEMA_DIR: the window then simply does not remember its size. */
static GSettings *
bourse_window_load_settings (void)
{
  GSettings *settings = bourse_settings_new ();

  if (settings == NULL)
    g_debug ("GSettings schema %s not found, not saving the window state", APPLICATION_ID);
  return settings;
}

static gboolean
bourse_window_close_request (GtkWindow *window)
{
  BourseWindow *self = (BourseWindow *)window;

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (bourse_window_parent_class)->close_request (window);
}

BourseClient *
bourse_window_get_client (BourseWindow *self)
{
  g_return_val_if_fail (BOURSE_IS_WINDOW (self), NULL);

  return self->client;
}

void
bourse_window_set_token (BourseWindow *self,
                         const char   *token)
{
  g_return_if_fail (BOURSE_IS_WINDOW (self));

  g_free (self->token);
  self->token = g_strdup (token);
}

const char *
bourse_window_get_server_url (BourseWindow *self)
{
  g_return_val_if_fail (BOURSE_IS_WINDOW (self), NULL);

  return self->server_url;
}

void
bourse_window_set_server_url (BourseWindow *self,
                              const char   *url)
{
  g_return_if_fail (BOURSE_IS_WINDOW (self));

  if (g_strcmp0 (self->server_url, url) != 0)
    {
      g_free (self->server_url);
      self->server_url = g_strdup (url);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
    }

  if (self->server_url != NULL)
    bourse_window_connect (self);
}

static void
bourse_window_dispose (GObject *object)
{
  BourseWindow *self = (BourseWindow *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->principal_cancellable);
  g_clear_object (&self->principal_cancellable);
  g_cancellable_cancel (self->risk_cancellable);
  g_clear_object (&self->risk_cancellable);
  g_cancellable_cancel (self->status_cancellable);
  g_clear_object (&self->status_cancellable);
  g_cancellable_cancel (self->report_cancellable);
  g_clear_object (&self->report_cancellable);
  bourse_clear_weak_window (&self->halt_dialog);

  /* Before the template goes, so the pages let go of the client too. */
  bourse_window_set_client (self, NULL);
  bourse_window_set_session (self, NULL);

  /* The stack's pages vanish with it: the sidebar must not be watching. */
  if (self->sidebar_list != NULL)
    gtk_list_view_set_model (self->sidebar_list, NULL);

  /* Nor the header its toolbar, which is the page's. */
  if (self->view_stack != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->view_stack,
                                            bourse_window_visible_page_changed_cb, self);
      bourse_window_show_page_actions (self, NULL);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_WINDOW);

  g_clear_object (&self->lost_toast);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bourse_window_parent_class)->dispose (object);
}

static void
bourse_window_finalize (GObject *object)
{
  BourseWindow *self = (BourseWindow *)object;

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->risk_state, json_object_unref);
  g_clear_pointer (&self->wanted_decision, g_free);
  g_clear_pointer (&self->wanted_page, g_free);
  g_clear_pointer (&self->mode, g_free);

  G_OBJECT_CLASS (bourse_window_parent_class)->finalize (object);
}

static void
bourse_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BourseWindow *self = BOURSE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BourseWindow *self = BOURSE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      bourse_window_set_server_url (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_window_class_init (BourseWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bourse_window_dispose;
  object_class->finalize = bourse_window_finalize;
  object_class->get_property = bourse_window_get_property;
  object_class->set_property = bourse_window_set_property;

  window_class->close_request = bourse_window_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "win.retry", NULL, bourse_window_retry_action);
  gtk_widget_class_install_action (widget_class, "win.halt", NULL, bourse_window_halt_action);
  gtk_widget_class_install_action (widget_class, "win.new-order", "s", bourse_window_new_order_action);
  gtk_widget_class_install_action (widget_class, "win.resume-trading", NULL,
                                   bourse_window_resume_trading_action);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s",
                                   bourse_window_show_toast_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s",
                                   bourse_window_show_page_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL,
                                   bourse_window_sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.show-approval", "x",
                                   bourse_window_show_approval_action);
  gtk_widget_class_install_action (widget_class, "win.decide-approval", "(xs)",
                                   bourse_window_decide_approval_action);
  gtk_widget_class_install_action (widget_class, "win.show-reconciliation", NULL,
                                   bourse_window_show_reconciliation_action);
  gtk_widget_class_install_action (widget_class, "win.show-page-number", "i",
                                   bourse_window_show_page_number_action);
  gtk_widget_class_install_action (widget_class, "win.next-page", NULL,
                                   bourse_window_step_page_action);
  gtk_widget_class_install_action (widget_class, "win.previous-page", NULL,
                                   bourse_window_step_page_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL,
                                   bourse_window_search_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, content);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, markets_page);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, portfolio_page);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, orders_page);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, kill_switch_button);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, live_badge);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, system_page);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, trading_banner);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, trading_banner_box);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, trading_banner_label);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, page_actions);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, page_toolbar);
  gtk_widget_class_bind_template_child (widget_class, BourseWindow, page_menu_button);
  gtk_widget_class_bind_template_callback (widget_class, bourse_window_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_window_sidebar_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_window_sidebar_released_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_window_visible_page_changed_cb);

  g_type_ensure (BOURSE_TYPE_SYSTEM_PAGE);
  g_type_ensure (BOURSE_TYPE_TAB_STOP);
  g_type_ensure (BOURSE_TYPE_MARKETS_PAGE);
  g_type_ensure (BOURSE_TYPE_PORTFOLIO_PAGE);
  g_type_ensure (BOURSE_TYPE_ORDERS_PAGE);
}

static void
bourse_window_init (BourseWindow *self)
{
  g_autoptr(GtkSelectionModel) pages = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  bourse_page_show_content_when_shown (GTK_WIDGET (self->markets_page));
  bourse_page_show_content_when_shown (GTK_WIDGET (self->portfolio_page));
  bourse_page_show_content_when_shown (GTK_WIDGET (self->orders_page));
  bourse_page_show_content_when_shown (GTK_WIDGET (self->system_page));

  self->report_cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.halt", FALSE);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  gtk_menu_button_set_create_popup_func (self->page_menu_button, bourse_window_page_menu_cb,
                                         self, NULL);
  pages = adw_view_stack_get_pages (self->view_stack);
  gtk_list_view_set_model (self->sidebar_list, pages);
  bourse_window_visible_page_changed_cb (self, NULL, self->view_stack);

  bourse_window_add_shortcuts (self);
  bourse_window_update_help_overlay (self);
  /* GtkApplication gives the window its own copy when it joins. */
  g_signal_connect (self, "notify::application", G_CALLBACK (bourse_window_application_cb), NULL);

  if ((self->settings = bourse_window_load_settings ()))
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
}

BourseWindow *
bourse_window_new (GtkApplication *application)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (BOURSE_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
