/* bourse-notification-routes.c — notification history, preferences, test sends and devices
 *
 * docs/OPERATIONS.md, "Preferences and devices" and "History and tests".
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"
#include "notify/bourse-notifications.h"

#include "bourse-server-private.h"

#define DEFAULT_LIMIT 50
#define MAX_LIMIT     500

static BourseNotifications *
notifications_of (BourseRequest *request)
{
  BourseNotifications *notifications = bourse_engine_get_notifications (bourse_request_get_engine (request));

  if (notifications == NULL)
    bourse_request_reply_problem (request, SOUP_STATUS_SERVICE_UNAVAILABLE, _("The engine is not running"),
                                  NULL, 0);
  return notifications;
}

static void
reply_result (BourseRequest *request,
              guint          status,
              JsonNode      *node,
              const GError  *error)
{
  if (node == NULL)
    bourse_request_reply_error (request, error, 0);
  else
    bourse_request_reply_json (request, status, node);
}

/* A filter that names one of @values; NULL when absent. */
static gboolean
get_filter (BourseRequest       *request,
            const char          *name,
            const char * const  *values,
            const char         **value)
{
  return bourse_request_get_enum_query (request, name, values, value);
}

static void
list_cb (BourseRequest *request,
         gpointer       user_data)
{
  static const char * const statuses[] = { "pending", "sending", "sent", "failed", "dropped", NULL };
  BourseNotifications *notifications = notifications_of (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *status = NULL, *event = NULL, *channel = NULL;
  gboolean everyone = FALSE;
  gint64 limit = DEFAULT_LIMIT, cursor = 0;

  if (notifications == NULL)
    return;
  if (!get_filter (request, "status", statuses, &status)
      || !get_filter (request, "event", bourse_notifications_get_events (), &event)
      /* Any name: the history keeps channels a plugin no longer provides. */
      || !bourse_request_get_text_query (request, "channel", 32, &channel)
      || !bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor)
      || !bourse_request_get_scope_query (request, &everyone))
    return;
  /* Administrators see everyone's (notifications.manage); ?scope=own their own. */
  everyone = everyone && bourse_role_has_permission (principal->role, "notifications.manage");
  if (!everyone && principal->user_id <= 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      /* The local owner has no account, hence no deliveries of its own. */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      bourse_json_builder_add_next_cursor (builder, FALSE, 0);
      json_builder_end_object (builder);
      bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
      return;
    }
  node = bourse_notifications_list (notifications, everyone ? 0 : principal->user_id, status, event, channel,
                                    limit, cursor, &error);
  reply_result (request, SOUP_STATUS_OK, node, error);
}

static void
preferences_get_cb (BourseRequest *request,
                    gpointer       user_data)
{
  BourseNotifications *notifications = notifications_of (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (notifications == NULL)
    return;
  node = bourse_notifications_get_preferences (notifications, principal->user_id, principal->role, &error);
  reply_result (request, SOUP_STATUS_OK, node, error);
}

static void
preferences_put_cb (BourseRequest *request,
                    gpointer       user_data)
{
  BourseNotifications *notifications = notifications_of (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (notifications == NULL || body == NULL)
    return;
  if (!bourse_notifications_set_preferences (notifications, principal->user_id, principal->role, body, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  node = bourse_notifications_get_preferences (notifications, principal->user_id, principal->role, &error);
  reply_result (request, SOUP_STATUS_OK, node, error);
}

static void
defaults_put_cb (BourseRequest *request,
                 gpointer       user_data)
{
  BourseNotifications *notifications = notifications_of (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (notifications == NULL || body == NULL)
    return;
  if (!bourse_notifications_set_defaults (notifications, body, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  node = bourse_notifications_get_preferences (notifications, principal->user_id, principal->role, &error);
  reply_result (request, SOUP_STATUS_OK, node, error);
}

typedef struct
{
  BourseRequestHold *hold;
  char              *channel;
} TestRequest;

static void
test_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TestRequest *test = user_data;
  BourseRequest *request = bourse_request_hold_get_request (test->hold);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = bourse_notifications_test_finish (BOURSE_NOTIFICATIONS (object), result, &error);

  if (request != NULL)
    {
      if (answer != NULL)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();

          json_builder_begin_object (builder);
          bourse_json_builder_add_string (builder, "channel", test->channel);
          json_builder_set_member_name (builder, "delivered");
          json_builder_add_boolean_value (builder, TRUE);
          bourse_json_builder_add_string (builder, "response", answer);
          json_builder_end_object (builder);
          bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
        }
      else if (error->domain == BOURSE_NOTIFIER_ERROR
               && error->code == BOURSE_NOTIFIER_ERROR_NOT_CONFIGURED)
        bourse_request_reply_field_error (request, SOUP_STATUS_UNPROCESSABLE_ENTITY, "channel", error->message);
      else if (error->domain == BOURSE_NOTIFIER_ERROR)
        /* The provider's answer, for the administrator to read. */
        bourse_request_reply_problem (request, SOUP_STATUS_BAD_GATEWAY, error->message, NULL, 0);
      else
        bourse_request_reply_error (request, error, 0);
    }
  bourse_request_hold_release (test->hold);
  g_free (test->channel);
  g_free (test);
}

static void
test_cb (BourseRequest *request,
         gpointer       user_data)
{
  BourseNotifications *notifications = notifications_of (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  const char *channel = NULL, *recipient = NULL;
  TestRequest *test;

  if (notifications == NULL || body == NULL
      || !bourse_request_get_string_member (request, body, "channel", TRUE, &channel)
      || !bourse_request_get_string_member (request, body, "recipient", FALSE, &recipient))
    return;
  test = g_new0 (TestRequest, 1);
  test->channel = g_strdup (channel);
  test->hold = bourse_request_hold (request);
  bourse_notifications_test_async (notifications, channel, recipient, principal->user_id, NULL, test_done_cb,
                                   test);
}

static void
devices_create_cb (BourseRequest *request,
                   gpointer       user_data)
{
  BourseNotifications *notifications = notifications_of (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *platform = NULL, *token = NULL, *name = NULL;

  if (notifications == NULL || body == NULL
      || !bourse_request_get_string_member (request, body, "platform", TRUE, &platform)
      || !bourse_request_get_string_member (request, body, "token", TRUE, &token)
      || !bourse_request_get_string_member (request, body, "name", FALSE, &name))
    return;
  node = bourse_notifications_add_device (notifications, principal->user_id, platform, token, name, &error);
  reply_result (request, SOUP_STATUS_CREATED, node, error);
}

static void
devices_list_cb (BourseRequest *request,
                 gpointer       user_data)
{
  BourseNotifications *notifications = notifications_of (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all = FALSE;

  if (notifications == NULL || !bourse_request_get_boolean_query (request, "all", &all))
    return;
  if (all && principal->role != BOURSE_ROLE_ADMIN)
    {
      bourse_request_reply_query_error (request, "all", _("only administrators see everyone’s devices"));
      return;
    }
  if (!all && principal->user_id <= 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "items");
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
      bourse_json_builder_add_next_cursor (builder, FALSE, 0);
      json_builder_end_object (builder);
      bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
      return;
    }
  node = bourse_notifications_list_devices (notifications, all ? 0 : principal->user_id, &error);
  reply_result (request, SOUP_STATUS_OK, node, error);
}

static void
devices_delete_cb (BourseRequest *request,
                   gpointer       user_data)
{
  BourseNotifications *notifications = notifications_of (request);
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GError) error = NULL;
  gint64 id = bourse_request_get_id_param (request);

  if (notifications == NULL || id == 0)
    return;
  /* Administrators remove anyone's; others only their own (another's is a 404). */
  if (!bourse_notifications_delete_device (notifications, id,
                                           principal->role == BOURSE_ROLE_ADMIN ? 0
                                           : principal->user_id > 0 ? principal->user_id : -1,
                                           &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

static const BourseParamDoc list_params[] = {
  { "status", BOURSE_PARAM_QUERY,
    "{\"type\":\"string\",\"enum\":[\"pending\",\"sending\",\"sent\",\"failed\",\"dropped\"]}", "Only these" },
  { "event", BOURSE_PARAM_QUERY,
    "{\"type\":\"string\",\"enum\":[\"signup.pending\",\"password.reset\",\"approval.pending\",\"order.filled\","
    "\"risk.protection\",\"risk.halted\",\"component.status\",\"job.finished\",\"heartbeat\"]}",
    "Only this event's" },
  { "channel", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"minLength\":1,\"maxLength\":32}",
    "Only this channel's (any name: the history keeps channels no longer provided)" },
  { "scope", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"own\",\"all\"]}",
    "Administrators see everyone's unless own" },
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":50}",
    "How many at most" },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseParamDoc devices_params[] = {
  { "all", BOURSE_PARAM_QUERY, "{\"type\":\"string\",\"enum\":[\"true\",\"false\"],\"default\":\"false\"}",
    "true: everyone's devices (administrators only, else a 422 naming all)" },
  { NULL }
};

static const BourseParamDoc device_params[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The device's id" },
  { NULL }
};

static const BourseRouteSpec notification_routes[] = {
  { "GET", "/api/v1/notifications", "notifications.read", list_cb, {
      .id = "listNotifications", .tag = "Operations", .summary = "List notifications sent",
      .description = "The caller's deliveries (administrators: everyone's unless scope=own), newest first.",
      .params = list_params, .response = "page:Notification", .errors = "422 503" } },
  { "GET", "/api/v1/notifications/preferences", "notifications.read", preferences_get_cb, {
      .id = "getNotificationPreferences", .tag = "Operations", .summary = "Read one's notification preferences",
      .response = "NotificationPreferences", .errors = "503" } },
  { "PUT", "/api/v1/notifications/preferences", "notifications.write", preferences_put_cb, {
      .id = "updateNotificationPreferences", .tag = "Operations", .summary = "Choose one's channels per event",
      .description = "The events named are set, the others kept. The local owner has no account to keep them in "
                     "(409 naming events).",
      .request = "NotificationPreferencesUpdate", .response = "NotificationPreferences",
      .errors = "409 415 422 503" } },
  { "PUT", "/api/v1/notifications/defaults", "notifications.manage", defaults_put_cb, {
      .id = "updateNotificationDefaults", .tag = "Operations", .summary = "Set everyone's default channels",
      .request = "NotificationDefaultsUpdate", .response = "NotificationPreferences", .errors = "415 422 503" } },
  { "POST", "/api/v1/notifications/test", "notifications.manage", test_cb, {
      .id = "testNotification", .tag = "Operations", .summary = "Send a test notification",
      .description = "Sends at once, past the outbox. A channel that is not configured is a 422 naming channel; "
                     "the provider's refusal a 502 whose detail is its answer.",
      .request = "NotificationTestRequest", .response = "NotificationTestResult", .errors = "415 422 502 503" } },
  { "POST", "/api/v1/devices", "devices.write", devices_create_cb, {
      .id = "registerDevice", .tag = "Operations", .summary = "Register a device for push notifications",
      .description = "The local owner has no account to register devices for (409 naming token).",
      .request = "DeviceRequest", .status = 201, .response = "Device", .errors = "409 415 422 503" } },
  { "GET", "/api/v1/devices", "devices.write", devices_list_cb, {
      .id = "listDevices", .tag = "Operations", .summary = "List one's devices",
      .description = "Oldest first; one page holds them all.",
      .params = devices_params, .response = "page:Device", .errors = "422 503" } },
  { "DELETE", "/api/v1/devices/{id}", "devices.write", devices_delete_cb, {
      .id = "deleteDevice", .tag = "Operations", .summary = "Remove a device",
      .description = "One's own (administrators: any); another's is a 404.",
      .params = device_params, .status = 204, .errors = "404 503" } },
};

void
_bourse_server_add_notification_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, notification_routes, G_N_ELEMENTS (notification_routes), self);
}
