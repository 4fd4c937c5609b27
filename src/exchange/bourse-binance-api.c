/* bourse-binance-api.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-source.h"
#include "core/bourse-time.h"
#include "market/bourse-binance-rest.h"

#include "bourse-binance-api.h"

/* Binance's order-count windows. */
#define WINDOW_10S_MS G_GINT64_CONSTANT (10000)
#define WINDOW_1D_MS  G_GINT64_CONSTANT (86400000)

struct _BourseBinanceApi
{
  GObject              parent_instance;

  SoupSession         *session;
  BourseBinanceSigner *signer;
  char                *base_url;          /* without a trailing slash */
  guint                recv_window_ms;
  guint                max_retries;
  guint                retry_base_ms;
  guint                retry_max_ms;
  guint                retry_after_max_s;
  guint                order_limit_10s;
  guint                order_limit_1d;

  gint64               clock_offset_ms;
  gint64               blocked_until_us;  /* monotonic: a Retry-After not yet passed */
  guint                order_count_10s;
  gint64               order_window_10s;  /* the window the count is of, in Binance's time */
  guint                order_count_1d;
  gint64               order_window_1d;
  guint                used_weight;
  guint                n_requests;
  char                *last_error;
};

G_DEFINE_FINAL_TYPE (BourseBinanceApi, bourse_binance_api, G_TYPE_OBJECT)

/* The error domain, extended with Binance's own code {{{ */

typedef struct
{
  int binance_code;
} BourseBinanceApiErrorPrivate;

static void
bourse_binance_api_error_private_init (BourseBinanceApiErrorPrivate *priv)
{
  priv->binance_code = 0;
}

static void
bourse_binance_api_error_private_copy (const BourseBinanceApiErrorPrivate *src,
                                       BourseBinanceApiErrorPrivate       *dest)
{
  dest->binance_code = src->binance_code;
}

static void
bourse_binance_api_error_private_clear (BourseBinanceApiErrorPrivate *priv)
{
}

G_DEFINE_EXTENDED_ERROR (BourseBinanceApiError, bourse_binance_api_error)

int
bourse_binance_api_error_get_code (const GError *error)
{
  BourseBinanceApiErrorPrivate *priv;

  if (error == NULL || error->domain != BOURSE_BINANCE_API_ERROR)
    return 0;
  priv = bourse_binance_api_error_get_private (error);
  return priv != NULL ? priv->binance_code : 0;
}

static GError *
binance_error_new (int         binance_code,
                   const char *msg)
{
  BourseBinanceApiError code;
  GError *error;

  switch (binance_code)
    {
    case -2010:
      code = BOURSE_BINANCE_API_ERROR_INSUFFICIENT_BALANCE;
      error = g_error_new (BOURSE_BINANCE_API_ERROR, code, _("Insufficient balance on Binance: %s (%d)"),
                           msg, binance_code);
      break;
    case -1013:
      code = BOURSE_BINANCE_API_ERROR_FILTER;
      error = g_error_new (BOURSE_BINANCE_API_ERROR, code, _("Binance's filters refused the order: %s (%d)"),
                           msg, binance_code);
      break;
    case -1021:
      code = BOURSE_BINANCE_API_ERROR_CLOCK;
      error = g_error_new (BOURSE_BINANCE_API_ERROR, code,
                           _("Binance says our clock is off (%s, %d): check the system's time"), msg, binance_code);
      break;
    case -2011:
      code = BOURSE_BINANCE_API_ERROR_UNKNOWN_ORDER;
      error = g_error_new (BOURSE_BINANCE_API_ERROR, code, _("Binance knows no such open order: %s (%d)"),
                           msg, binance_code);
      break;
    case -2013:
      code = BOURSE_BINANCE_API_ERROR_NO_SUCH_ORDER;
      error = g_error_new (BOURSE_BINANCE_API_ERROR, code, _("The order does not exist on Binance: %s (%d)"),
                           msg, binance_code);
      break;
    case -2014:
    case -2015:
      code = BOURSE_BINANCE_API_ERROR_KEYS_REFUSED;
      error = g_error_new (BOURSE_BINANCE_API_ERROR, code,
                           _("Binance refused the API key: %s (%d); check the key and its permissions"),
                           msg, binance_code);
      break;
    case -1022:
      code = BOURSE_BINANCE_API_ERROR_BAD_SIGNATURE;
      error = g_error_new (BOURSE_BINANCE_API_ERROR, code,
                           _("Binance refused the request's signature: %s (%d); check the secret"),
                           msg, binance_code);
      break;
    default:
      code = BOURSE_BINANCE_API_ERROR_REFUSED;
      error = g_error_new (BOURSE_BINANCE_API_ERROR, code, _("Binance refused the request: %s (%d)"),
                           msg, binance_code);
      break;
    }
  bourse_binance_api_error_get_private (error)->binance_code = binance_code;
  return error;
}

/* }}} */

/* Parameters and signatures {{{ */

struct _BourseBinanceParams
{
  GString *query;
};

BourseBinanceParams *
bourse_binance_params_new (void)
{
  BourseBinanceParams *params = g_new0 (BourseBinanceParams, 1);

  params->query = g_string_new (NULL);
  return params;
}

void
bourse_binance_params_free (BourseBinanceParams *params)
{
  if (params == NULL)
    return;
  g_string_free (params->query, TRUE);
  g_free (params);
}

void
bourse_binance_params_add (BourseBinanceParams *params,
                           const char          *name,
                           const char          *value)
{
  g_return_if_fail (params != NULL);
  g_return_if_fail (name != NULL && value != NULL);

  if (params->query->len > 0)
    g_string_append_c (params->query, '&');
  g_string_append_uri_escaped (params->query, name, NULL, FALSE);
  g_string_append_c (params->query, '=');
  g_string_append_uri_escaped (params->query, value, NULL, FALSE);
}

void
bourse_binance_params_add_int (BourseBinanceParams *params,
                               const char          *name,
                               gint64               value)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  bourse_binance_params_add (params, name, text);
}

void
bourse_binance_params_add_decimal (BourseBinanceParams *params,
                                   const char          *name,
                                   BourseDecimal        value)
{
  g_autofree char *text = bourse_decimal_to_string_trimmed (value);

  bourse_binance_params_add (params, name, text);
}

const char *
bourse_binance_params_get_query (BourseBinanceParams *params)
{
  g_return_val_if_fail (params != NULL, NULL);

  return params->query->str;
}

char *
bourse_binance_sign_query (BourseBinanceSigner *signer,
                           const char          *query,
                           gint64               timestamp_ms,
                           guint                recv_window_ms)
{
  GString *out = g_string_new (query);
  g_autofree char *signature = NULL;

  g_return_val_if_fail (signer != NULL, NULL);

  g_string_append_printf (out, "%stimestamp=%" G_GINT64_FORMAT "&recvWindow=%u",
                          out->len > 0 ? "&" : "", timestamp_ms, recv_window_ms);
  signature = bourse_binance_signer_sign (signer, out->str, out->len);
  g_string_append (out, "&signature=");
  /* Hex needs no escaping; base64's + / = do. */
  g_string_append_uri_escaped (out, signature, NULL, FALSE);
  return g_string_free (out, FALSE);
}

/* }}} */

static void
bourse_binance_api_finalize (GObject *object)
{
  BourseBinanceApi *self = (BourseBinanceApi *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->signer, bourse_binance_signer_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (bourse_binance_api_parent_class)->finalize (object);
}

static void
bourse_binance_api_class_init (BourseBinanceApiClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_binance_api_finalize;
}

static void
bourse_binance_api_init (BourseBinanceApi *self)
{
}

BourseBinanceApi *
bourse_binance_api_new (BourseConfig        *config,
                        BourseBinanceSigner *signer)
{
  BourseBinanceApi *self;
  g_autofree char *user_agent = g_strdup_printf ("bourse/%s", PACKAGE_VERSION);

  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);

  self = g_object_new (BOURSE_TYPE_BINANCE_API, NULL);
  self->signer = signer != NULL ? bourse_binance_signer_ref (signer) : NULL;
  self->base_url = g_strdup (bourse_config_get_string (config, "binance", "base_url"));
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->recv_window_ms = bourse_config_get_int (config, "binance", "recv_window");
  self->max_retries = bourse_config_get_int (config, "binance", "max_retries");
  self->retry_base_ms = bourse_config_get_int (config, "binance", "retry_base_ms");
  self->retry_max_ms = bourse_config_get_int (config, "binance", "retry_max_ms");
  self->retry_after_max_s = bourse_config_get_int (config, "binance", "retry_after_max");
  self->order_limit_10s = bourse_config_get_int (config, "binance", "order_limit_10s");
  self->order_limit_1d = bourse_config_get_int (config, "binance", "order_limit_1d");
  self->session = soup_session_new_with_options ("timeout",
                                                 (guint)bourse_config_get_int (config, "binance", "request_timeout"),
                                                 "user-agent", user_agent,
                                                 NULL);
  return self;
}

BourseBinanceSigner *
bourse_binance_api_get_signer (BourseBinanceApi *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_API (self), NULL);

  return self->signer;
}

const char *
bourse_binance_api_get_base_url (BourseBinanceApi *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_API (self), NULL);

  return self->base_url;
}

gint64
bourse_binance_api_get_clock_offset (BourseBinanceApi *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_API (self), 0);

  return self->clock_offset_ms;
}

void
bourse_binance_api_set_clock_offset (BourseBinanceApi *self,
                                     gint64            offset_ms)
{
  g_return_if_fail (BOURSE_IS_BINANCE_API (self));

  self->clock_offset_ms = offset_ms;
}

gint64
bourse_binance_api_now_ms (BourseBinanceApi *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_API (self), 0);

  return g_get_real_time () / 1000 + self->clock_offset_ms;
}

guint
bourse_binance_api_get_n_requests (BourseBinanceApi *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_API (self), 0);

  return self->n_requests;
}

/* The counts of the window we are in now; 0 once it turned. */
static guint
order_count (BourseBinanceApi *self,
             gint64            window_ms)
{
  gint64 window = bourse_binance_api_now_ms (self) / window_ms;

  if (window_ms == WINDOW_10S_MS)
    return self->order_window_10s == window ? self->order_count_10s : 0;
  return self->order_window_1d == window ? self->order_count_1d : 0;
}

JsonNode *
bourse_binance_api_status_json (BourseBinanceApi *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (BOURSE_IS_BINANCE_API (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "clock_offset_ms");
  json_builder_add_int_value (builder, self->clock_offset_ms);
  json_builder_set_member_name (builder, "order_count_10s");
  json_builder_add_int_value (builder, order_count (self, WINDOW_10S_MS));
  json_builder_set_member_name (builder, "order_count_1d");
  json_builder_add_int_value (builder, order_count (self, WINDOW_1D_MS));
  json_builder_set_member_name (builder, "order_limit_10s");
  json_builder_add_int_value (builder, self->order_limit_10s);
  json_builder_set_member_name (builder, "order_limit_1d");
  json_builder_add_int_value (builder, self->order_limit_1d);
  json_builder_set_member_name (builder, "used_weight");
  json_builder_add_int_value (builder, self->used_weight);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, self->n_requests);
  json_builder_set_member_name (builder, "last_error");
  if (self->last_error != NULL)
    json_builder_add_string_value (builder, self->last_error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Requests {{{ */

typedef struct
{
  char                      *method;
  char                      *path;
  char                      *query;        /* unsigned */
  BourseBinanceRequestFlags  flags;
  guint                      attempt;      /* failures in a row */
  gboolean                   resynced;     /* a -1021 was retried already */
  GSource                   *wait_source;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  bourse_source_clear (&request->wait_source);
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request);
}

static void request_send (GTask *task);

static void
request_fail (GTask  *task,
              GError *error)
{
  BourseBinanceApi *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  /* A missing order is an answer, not a problem of the connection. */
  if (!g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_NO_SUCH_ORDER)
      && !g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_UNKNOWN_ORDER))
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
      g_debug ("Binance: %s %s: %s", request->method, request->path, error->message);
    }
  g_task_return_error (task, error);
}

static gboolean
wait_done_cb (gpointer data)
{
  g_autoptr(GTask) task = data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->wait_source, g_source_unref);
  if (!g_task_return_error_if_cancelled (task))
    request_send (task);
  return G_SOURCE_REMOVE;
}

static void
wait_then_send (GTask *task,
                guint  delay_ms)
{
  Request *request = g_task_get_task_data (task);

  /* The wait holds the task; the callback drops it. */
  request->wait_source = bourse_timeout_source_attach (g_task_get_context (task), delay_ms, wait_done_cb,
                                                       g_object_ref (task));
}

/* A failure worth another try (never a placement's: see sent_cb ()). */
static void
retry (GTask      *task,
       const char *problem)
{
  BourseBinanceApi *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  request->attempt++;
  if (request->attempt > self->max_retries)
    {
      request_fail (task, g_error_new (BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_UNAVAILABLE,
                                       _("Binance could not be reached at %s after %u attempts: %s"),
                                       self->base_url, request->attempt, problem));
      return;
    }
  g_debug ("Binance: %s %s, attempt %u failed: %s", request->method, request->path, request->attempt, problem);
  wait_then_send (task, bourse_backoff_ms (self->retry_base_ms, self->retry_max_ms, request->attempt));
}

static void
read_counts (BourseBinanceApi *self,
             SoupMessage      *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  gint64 now = bourse_binance_api_now_ms (self);
  const char *header;
  guint64 value;

  if ((header = soup_message_headers_get_one (headers, "X-MBX-USED-WEIGHT-1m")) != NULL
      && g_ascii_string_to_unsigned (header, 10, 0, G_MAXUINT, &value, NULL))
    self->used_weight = (guint)value;
  if ((header = soup_message_headers_get_one (headers, "X-MBX-ORDER-COUNT-10S")) != NULL
      && g_ascii_string_to_unsigned (header, 10, 0, G_MAXUINT, &value, NULL))
    {
      self->order_count_10s = (guint)value;
      self->order_window_10s = now / WINDOW_10S_MS;
    }
  if ((header = soup_message_headers_get_one (headers, "X-MBX-ORDER-COUNT-1D")) != NULL
      && g_ascii_string_to_unsigned (header, 10, 0, G_MAXUINT, &value, NULL))
    {
      self->order_count_1d = (guint)value;
      self->order_window_1d = now / WINDOW_1D_MS;
    }
}

/* Counts a placement about to go out, or refuses it: Binance bans keys
 * that pass the limits, so we stop short of them. */
static gboolean
take_order_slot (BourseBinanceApi  *self,
                 GError           **error)
{
  gint64 now = bourse_binance_api_now_ms (self);
  guint in_10s = order_count (self, WINDOW_10S_MS);
  guint in_1d = order_count (self, WINDOW_1D_MS);

  if (in_10s >= self->order_limit_10s || in_1d >= self->order_limit_1d)
    {
      g_set_error (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_ORDER_LIMIT,
                   in_10s >= self->order_limit_10s
                     ? _("%u orders were sent to Binance in the last 10 seconds, the limit (binance.order_limit_10s): "
                         "try again in a few seconds")
                     : _("%u orders were sent to Binance today, the limit (binance.order_limit_1d)"),
                   in_10s >= self->order_limit_10s ? in_10s : in_1d);
      return FALSE;
    }
  self->order_count_10s = in_10s + 1;
  self->order_window_10s = now / WINDOW_10S_MS;
  self->order_count_1d = in_1d + 1;
  self->order_window_1d = now / WINDOW_1D_MS;
  return TRUE;
}

/* Binance's {"code":-2010,"msg":"…"}; 0 and NULL when the body is not one. */
static int
parse_refusal (GBytes     *body,
               char      **msg)
{
  gsize length;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  g_autoptr(JsonNode) root = data != NULL ? bourse_json_parse (data, length, 0, NULL) : NULL;
  gint64 code = 0;

  *msg = NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !bourse_json_get_int (json_node_get_object (root), "code", &code))
    return 0;
  *msg = g_strdup (bourse_json_get_string (json_node_get_object (root), "msg"));
  return (int)code;
}

static void
clock_resynced_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bourse_binance_api_sync_clock_finish (BOURSE_BINANCE_API (object), result, &error))
    request_fail (task, g_steal_pointer (&error));
  else
    request_send (task);
}

static GError *
outcome_unknown (BourseBinanceApi *self,
                 const char       *problem)
{
  return g_error_new (BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_OUTCOME_UNKNOWN,
                      _("Binance did not say whether it took the order (%s)"), problem);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseBinanceApi *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  gboolean place = (request->flags & BOURSE_BINANCE_REQUEST_PLACE) != 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *msg = NULL;
  g_autofree char *problem = NULL;
  guint status;
  int code;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        request_fail (task, g_steal_pointer (&error));
      /* The request may have reached Binance before the line went dead. */
      else if (place)
        request_fail (task, outcome_unknown (self, error->message));
      else if (!bourse_binance_error_is_transient (error))
        request_fail (task, g_error_new (BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_UNAVAILABLE,
                                         _("Binance cannot be reached at %s: %s"), self->base_url, error->message));
      else
        retry (task, error->message);
      return;
    }

  read_counts (self, message);
  status = soup_message_get_status (message);

  if (status == SOUP_STATUS_OK)
    {
      gsize length;
      const char *data = g_bytes_get_data (body, &length);

      if ((root = bourse_json_parse (data, length, 0, &error)) == NULL)
        {
          if (place)
            request_fail (task, outcome_unknown (self, error->message));
          else
            request_fail (task, g_error_new (BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_MALFORMED,
                                             _("Binance's answer to %s is not JSON: %s"), request->path,
                                             error->message));
          return;
        }
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify) json_node_unref);
      return;
    }

  code = parse_refusal (body, &msg);
  problem = msg != NULL ? g_strdup_printf ("%s (%d)", msg, code)
                        : g_strdup_printf ("HTTP %u %s", status, soup_message_get_reason_phrase (message));

  if (status == 429 || status == 418)
    {
      guint seconds = bourse_binance_retry_after_seconds (message);
      guint delay_ms = seconds != G_MAXUINT
                       ? MAX (seconds, 1) * 1000
                       : bourse_backoff_ms (self->retry_base_ms, self->retry_max_ms, request->attempt + 1);

      /* Every request waits, not only this one: Binance bans an address
       * that goes on sending. A refused request was not carried out, so
       * sending it again (a placement too) doubles nothing. */
      self->blocked_until_us = MAX (self->blocked_until_us, g_get_monotonic_time () + (gint64)delay_ms * 1000);
      request->attempt++;
      if ((seconds != G_MAXUINT && seconds > self->retry_after_max_s) || request->attempt > self->max_retries)
        request_fail (task, g_error_new (BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_RATE_LIMITED,
                                         status == 418
                                           ? _("Binance has banned this address for %u s (HTTP 418): %s")
                                           : _("Binance asks to wait %u s (HTTP 429): %s"),
                                         delay_ms / 1000, problem));
      else
        wait_then_send (task, 0);
      return;
    }
  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      if (place)
        request_fail (task, outcome_unknown (self, problem));
      else
        retry (task, problem);
      return;
    }
  if (code == -1021 && !request->resynced)
    {
      /* Our clock drifted from Binance's: the request was refused, so one
       * more with a fresh offset is safe. */
      request->resynced = TRUE;
      bourse_binance_api_sync_clock_async (self, g_task_get_cancellable (task), clock_resynced_cb,
                                           g_object_ref (task));
      return;
    }
  if (code != 0)
    request_fail (task, binance_error_new (code, msg != NULL ? msg : ""));
  else
    request_fail (task, g_error_new (BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_REFUSED,
                                     _("Binance refused %s: %s"), request->path, problem));
}

static void
request_send (GTask *task)
{
  BourseBinanceApi *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  g_autofree char *uri = NULL;
  gint64 now = g_get_monotonic_time ();

  if (self->blocked_until_us > now)
    {
      wait_then_send (task, (guint)((self->blocked_until_us - now + 999) / 1000));
      return;
    }
  if ((request->flags & BOURSE_BINANCE_REQUEST_PLACE) != 0 && !take_order_slot (self, &error))
    {
      request_fail (task, g_steal_pointer (&error));
      return;
    }

  if ((request->flags & BOURSE_BINANCE_REQUEST_SIGNED) != 0)
    query = bourse_binance_sign_query (self->signer, request->query, bourse_binance_api_now_ms (self),
                                       self->recv_window_ms);
  else
    query = g_strdup (request->query);
  uri = g_strdup_printf ("%s%s%s%s", self->base_url, request->path, query[0] != '\0' ? "?" : "", query);
  if ((message = soup_message_new (request->method, uri)) == NULL)
    {
      request_fail (task, g_error_new (BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_UNAVAILABLE,
                                       _("Binance cannot be reached at %s: not a valid URL"), self->base_url));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  if (self->signer != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "X-MBX-APIKEY",
                                  bourse_binance_signer_get_api_key (self->signer));
  /* Without this libsoup opens a new connection for every POST: a TCP and
   * a TLS handshake per order (bench/live). It still never sends a POST
   * again by itself when a kept-alive connection fails under it (it
   * restarts only idempotent methods): a placement stays OUTCOME_UNKNOWN,
   * asked about, never doubled. */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);

  self->n_requests++;
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                    sent_cb, g_object_ref (task));
}

void
bourse_binance_api_request_async (BourseBinanceApi          *self,
                                  const char                *method,
                                  const char                *path,
                                  BourseBinanceParams       *params,
                                  BourseBinanceRequestFlags  flags,
                                  GCancellable              *cancellable,
                                  GAsyncReadyCallback        callback,
                                  gpointer                   user_data)
{
  g_autoptr(BourseBinanceParams) owned = params;
  g_autoptr(GTask) task = NULL;
  Request *request;

  g_return_if_fail (BOURSE_IS_BINANCE_API (self));
  g_return_if_fail (method != NULL && path != NULL);
  g_return_if_fail ((flags & BOURSE_BINANCE_REQUEST_SIGNED) == 0 || self->signer != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_binance_api_request_async);
  request = g_new0 (Request, 1);
  request->method = g_strdup (method);
  request->path = g_strdup (path);
  request->query = g_strdup (owned != NULL ? bourse_binance_params_get_query (owned) : "");
  request->flags = flags;
  g_task_set_task_data (task, request, request_free);
  request_send (task);
}

JsonNode *
bourse_binance_api_request_finish (BourseBinanceApi  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_API (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */

/* The clock {{{ */

static void
time_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  BourseBinanceApi *self = BOURSE_BINANCE_API (object);
  g_autoptr(GTask) task = user_data;
  const gint64 *sent_at = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (self, result, &error);
  gint64 now = g_get_real_time () / 1000;
  gint64 server_time;

  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || !bourse_json_get_int (json_node_get_object (root), "serverTime", &server_time))
    {
      g_task_return_new_error (task, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_MALFORMED,
                               _("Binance's time is not {\"serverTime\": …}"));
      return;
    }
  /* The server read its clock about halfway through the round trip. */
  self->clock_offset_ms = server_time - (*sent_at + now) / 2;
  g_debug ("Binance: clock offset %" G_GINT64_FORMAT " ms", self->clock_offset_ms);
  g_task_return_boolean (task, TRUE);
}

void
bourse_binance_api_sync_clock_async (BourseBinanceApi    *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gint64 *sent_at;

  g_return_if_fail (BOURSE_IS_BINANCE_API (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_binance_api_sync_clock_async);
  sent_at = g_new (gint64, 1);
  *sent_at = g_get_real_time () / 1000;
  g_task_set_task_data (task, sent_at, g_free);
  bourse_binance_api_request_async (self, "GET", "/api/v3/time", NULL, BOURSE_BINANCE_REQUEST_PUBLIC,
                                    cancellable, time_cb, g_steal_pointer (&task));
}

gboolean
bourse_binance_api_sync_clock_finish (BourseBinanceApi  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_API (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */

/* The check of keys {{{ */

static void
check_fail (GTask        *task,
            const GError *error)
{
  GError *mapped = NULL;

  if (g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_KEYS_REFUSED))
    {
      bourse_set_field_error (&mapped, BOURSE_ERROR_INVALID, "api_key", "%s", error->message);
      g_task_return_error (task, mapped);
    }
  else if (g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_BAD_SIGNATURE))
    {
      bourse_set_field_error (&mapped, BOURSE_ERROR_INVALID, "secret", "%s", error->message);
      g_task_return_error (task, mapped);
    }
  else if (g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_UNAVAILABLE)
           || g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_RATE_LIMITED)
           || g_error_matches (error, BOURSE_BINANCE_API_ERROR, BOURSE_BINANCE_API_ERROR_MALFORMED))
    g_task_return_error (task, g_error_new (BOURSE_ERROR, BOURSE_ERROR_UNAVAILABLE, "%s", error->message));
  else
    g_task_return_error (task, g_error_new (BOURSE_ERROR, BOURSE_ERROR_UPSTREAM, "%s", error->message));
}

static void
account_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = bourse_binance_api_request_finish (BOURSE_BINANCE_API (object), result, &error);
  g_autoptr(BourseExchangeKeyCheck) check = NULL;
  JsonObject *account;

  if (root == NULL)
    {
      check_fail (task, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, BOURSE_ERROR, BOURSE_ERROR_UPSTREAM,
                               _("Binance's account is not a JSON object"));
      return;
    }
  account = json_node_get_object (root);
  check = g_new0 (BourseExchangeKeyCheck, 1);
  bourse_json_get_boolean (account, "canTrade", &check->can_trade);
  bourse_json_get_boolean (account, "canWithdraw", &check->can_withdraw);
  check->account_type = g_strdup (bourse_json_get_string (account, "accountType"));
  g_task_return_pointer (task, g_steal_pointer (&check), (GDestroyNotify) bourse_exchange_key_check_free);
}

static void
check_clock_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BourseBinanceApi *api = BOURSE_BINANCE_API (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bourse_binance_api_sync_clock_finish (api, result, &error))
    {
      check_fail (task, error);
      return;
    }
  bourse_binance_api_request_async (api, "GET", "/api/v3/account", NULL, BOURSE_BINANCE_REQUEST_SIGNED,
                                    g_task_get_cancellable (task), account_cb, g_object_ref (task));
}

void
bourse_binance_check_keys_async (BourseConfig        *config,
                                 BourseBinanceSigner *signer,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(BourseBinanceApi) api = NULL;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BOURSE_IS_CONFIG (config));
  g_return_if_fail (signer != NULL);

  api = bourse_binance_api_new (config, signer);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_binance_check_keys_async);
  /* The client lives as long as the check. */
  g_task_set_task_data (task, g_object_ref (api), g_object_unref);
  bourse_binance_api_sync_clock_async (api, cancellable, check_clock_cb, g_steal_pointer (&task));
}

BourseExchangeKeyCheck *
bourse_binance_check_keys_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* }}} */
