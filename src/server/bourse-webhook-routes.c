/* bourse-webhook-routes.c — signal webhooks: their management, and the signed public endpoint
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "core/bourse-json.h"

#include "desk/bourse-desk-webhooks.h"

#include "bourse-server-private.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     500

static BourseDesk *
desk_of (BourseRequest *request)
{
  return bourse_engine_get_desk (bourse_request_get_engine (request));
}

/* Where a sender posts: this server's own address as it knows it. */
static char *
webhook_url (BourseServer *self,
             gint64        id)
{
  return g_strdup_printf ("%sapi/v1/signals/webhook/%" G_GINT64_FORMAT, self->url ? self->url : "/", id);
}

static JsonNode *
webhook_json (BourseServer        *self,
              const BourseWebhook *webhook)
{
  JsonNode *node = bourse_webhook_to_json (webhook);
  g_autofree char *url = webhook_url (self, webhook->id);

  json_object_set_string_member (json_node_get_object (node), "url", url);
  return node;
}

static void
webhooks_create_cb (BourseRequest *request,
                    gpointer       user_data)
{
  BourseServer *self = user_data;
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  JsonObject *body = bourse_request_get_json_object (request);
  g_autoptr(BourseWebhook) webhook = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *location = NULL;
  BourseAuthContext context;
  BourseDeskCaller caller;
  const char *name;

  if (body == NULL || !bourse_request_get_string_member (request, body, "name", TRUE, &name))
    return;

  bourse_request_get_context (request, &context);
  caller = (BourseDeskCaller) { principal->actor, principal->user_id, &context };
  if ((webhook = bourse_desk_create_webhook (desk_of (request), name, &caller, &secret, &error)) == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  /* The only answer that ever holds the secret. */
  node = webhook_json (self, webhook);
  json_object_set_string_member (json_node_get_object (node), "secret", secret);
  location = g_strdup_printf ("/api/v1/webhooks/%" G_GINT64_FORMAT, webhook->id);
  soup_message_headers_replace (soup_server_message_get_response_headers (bourse_request_get_message (request)),
                                "Location", location);
  bourse_request_reply_json (request, SOUP_STATUS_CREATED, node);
}

static void
webhooks_list_cb (BourseRequest *request,
                  gpointer       user_data)
{
  BourseServer *self = user_data;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  gint64 limit = DEFAULT_LIMIT, cursor = 0;
  guint n;

  if (!bourse_request_get_int_query (request, "limit", 1, MAX_LIMIT, &limit)
      || !bourse_request_get_cursor_query (request, &cursor))
    return;

  list = bourse_webhooks_list (bourse_desk_get_store (desk_of (request)), cursor, limit + 1, &error);
  if (list == NULL)
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  n = MIN (list->len, (guint)limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_value (builder, webhook_json (self, g_ptr_array_index (list, i)));
  json_builder_end_array (builder);
  bourse_json_builder_add_next_cursor (builder, list->len > n,
                                       list->len > n ? ((BourseWebhook *)g_ptr_array_index (list, n - 1))->id : 0);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
webhooks_delete_cb (BourseRequest *request,
                    gpointer       user_data)
{
  const BoursePrincipal *principal = bourse_request_get_principal (request);
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  BourseDeskCaller caller;
  gint64 id = bourse_request_get_id_param (request);

  if (id == 0)
    return;
  bourse_request_get_context (request, &context);
  caller = (BourseDeskCaller) { principal->actor, principal->user_id, &context };
  if (!bourse_desk_revoke_webhook (desk_of (request), id, &caller, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }
  soup_server_message_set_status (bourse_request_get_message (request), SOUP_STATUS_NO_CONTENT, NULL);
}

/* Public: the signature over the raw body is the credential. */
static void
webhook_signal_cb (BourseRequest *request,
                   gpointer       user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (bourse_request_get_message (request));
  const char *hook = bourse_request_get_param (request, "hook");
  g_autoptr(GBytes) body = bourse_request_dup_body (request);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  BourseAuthContext context;
  gint64 id = 0, recommendation_id = 0, approval_id = 0;

  if (hook == NULL || !g_ascii_string_to_signed (hook, 10, 1, G_MAXINT64, &id, NULL))
    {
      bourse_request_reply_problem (request, SOUP_STATUS_NOT_FOUND, _("There is no such webhook"), NULL, 0);
      return;
    }

  bourse_request_get_context (request, &context);
  if (!bourse_desk_receive_webhook (desk_of (request), id,
                                    soup_message_headers_get_one (headers, "X-Bourse-Timestamp"),
                                    soup_message_headers_get_one (headers, "X-Bourse-Signature"),
                                    body, &context, &recommendation_id, &approval_id, &error))
    {
      bourse_request_reply_error (request, error, 0);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "recommendation_id");
  json_builder_add_int_value (builder, recommendation_id);
  json_builder_set_member_name (builder, "approval_id");
  json_builder_add_int_value (builder, approval_id);
  json_builder_end_object (builder);
  bourse_request_reply_builder (request, SOUP_STATUS_CREATED, builder);
}

static const BourseParamDoc webhook_id_param[] = {
  { "id", BOURSE_PARAM_PATH, "Id", "The webhook's id" },
  { NULL }
};

static const BourseParamDoc page_params[] = {
  { "limit", BOURSE_PARAM_QUERY, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":500,\"default\":100}", NULL },
  { "cursor", BOURSE_PARAM_QUERY, "string", "The next_cursor of the previous page" },
  { NULL }
};

static const BourseParamDoc signal_params[] = {
  { "hook", BOURSE_PARAM_PATH, "Id", "The webhook's id, as in its url" },
  { "X-Bourse-Timestamp", BOURSE_PARAM_HEADER, "{\"type\":\"string\",\"pattern\":\"^[0-9]+$\"}",
    "Seconds since the epoch when the sender signed; must be fresh (docs/DESK.md, \"Webhooks\")", TRUE },
  { "X-Bourse-Signature", BOURSE_PARAM_HEADER, "string",
    "sha256= and the hex HMAC-SHA256 of \"<timestamp>.<body>\" with the hook's secret", TRUE },
  { NULL }
};

static const BourseRouteSpec webhook_routes[] = {
  { "POST", "/api/v1/webhooks", "webhooks.write", webhooks_create_cb, {
      .id = "createWebhook", .tag = "Webhooks", .summary = "Create a signal webhook",
      .description = "The answer holds the secret, shown this once; Location names the webhook.",
      .request = "WebhookCreate", .status = 201, .response = "WebhookCreated", .errors = "422 503" } },
  { "GET", "/api/v1/webhooks", "webhooks.write", webhooks_list_cb, {
      .id = "listWebhooks", .tag = "Webhooks", .summary = "List signal webhooks",
      .description = "Newest first, revoked ones with revoked_at; never a secret.",
      .params = page_params, .response = "page:Webhook", .errors = "422" } },
  { "DELETE", "/api/v1/webhooks/{id}", "webhooks.write", webhooks_delete_cb, {
      .id = "revokeWebhook", .tag = "Webhooks", .summary = "Revoke a signal webhook",
      .description = "Its secret is deleted; 409 when it is revoked already.",
      .params = webhook_id_param, .status = 204, .errors = "404 409 503" } },
  { "POST", "/api/v1/signals/webhook/{hook}", NULL, webhook_signal_cb, {
      .id = "receiveWebhookSignal", .tag = "Webhooks", .summary = "Send a signal through a webhook",
      .description = "Public: the signature over the raw body is the credential (401 without a valid, fresh, "
                     "unseen one; 404 for an unknown or revoked hook). The body is parsed as JSON whatever its "
                     "type, since alerting services send text/plain. Makes a recommendation and its pending "
                     "approval.",
      .params = signal_params, .request = "WebhookSignal", .status = 201, .response = "WebhookReceipt",
      .errors = "401 404 422 503" },
    BOURSE_WEBHOOK_MAX_BODY },
};

void
_bourse_server_add_webhook_routes (BourseServer *self)
{
  bourse_router_add_routes (self->router, webhook_routes, G_N_ELEMENTS (webhook_routes), self);
}
