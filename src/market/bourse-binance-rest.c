/* bourse-binance-rest.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "core/bourse-json.h"
#include "core/bourse-source.h"

#include "bourse-binance-rest.h"

/* What one /api/v3/klines request costs in Binance's request weight. */
#define KLINES_WEIGHT 2

struct _BourseBinanceRest
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;          /* without a trailing slash */
  guint        weight_limit;
  gint64       weight_window_ms;
  guint        max_retries;
  guint        retry_base_ms;
  guint        retry_max_ms;
  guint        retry_after_max_s;
  guint        used_weight;
  gint64       used_weight_window; /* the window the weight was read in; -1 before any answer */
  guint        n_requests;
};

enum {
  WAITING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BourseBinanceRest, bourse_binance_rest, G_TYPE_OBJECT)
G_DEFINE_QUARK (bourse-binance-error-quark, bourse_binance_error)

/* One fetch of a range: its pages, its retries, its waits. */
typedef struct
{
  char                  *symbol;
  BourseInterval         interval;
  gint64                 cursor;        /* the next open time wanted */
  gint64                 end;
  BourseBinancePageFunc  page_func;
  gpointer               page_data;
  GCancellable          *cancellable;   /* ours, cancelled on this thread when the caller's is */
  GCancellable          *caller;        /* the caller's */
  gulong                 caller_handler;
  GSource               *wait_source;
  guint                  attempt;       /* failures in a row */
  guint64                n_candles;
  gboolean               finished;
} Fetch;

/* Once disconnected, no cancel of the caller's reaches this fetch; it waits
 * for a handler running in another thread to return. */
static void
disconnect_caller (Fetch *fetch)
{
  if (fetch->caller_handler != 0)
    g_cancellable_disconnect (fetch->caller, fetch->caller_handler);
  fetch->caller_handler = 0;
}

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  disconnect_caller (fetch);
  g_clear_object (&fetch->caller);
  bourse_source_clear (&fetch->wait_source);
  g_clear_object (&fetch->cancellable);
  g_free (fetch->symbol);
  g_free (fetch);
}

static void
bourse_binance_rest_finalize (GObject *object)
{
  BourseBinanceRest *self = (BourseBinanceRest *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (bourse_binance_rest_parent_class)->finalize (object);
}

static void
bourse_binance_rest_class_init (BourseBinanceRestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_binance_rest_finalize;

  /* (reason: BourseBinanceWait, delay_ms, attempt): before every pause, so
   * callers can tell the user and tests can see the back-off grow. */
  signals[WAITING] =
    g_signal_new ("waiting",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
}

static void
bourse_binance_rest_init (BourseBinanceRest *self)
{
  self->used_weight_window = -1;
}

BourseBinanceRest *
bourse_binance_rest_new (BourseConfig *config)
{
  BourseBinanceRest *self;
  g_autofree char *user_agent = g_strdup_printf ("bourse/%s", PACKAGE_VERSION);
  const char *base_url;

  g_return_val_if_fail (BOURSE_IS_CONFIG (config), NULL);

  self = g_object_new (BOURSE_TYPE_BINANCE_REST, NULL);
  base_url = bourse_config_get_string (config, "binance", "base_url");
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->weight_limit = bourse_config_get_int (config, "binance", "weight_limit");
  self->weight_window_ms = bourse_config_get_int (config, "binance", "weight_window") * 1000;
  self->max_retries = bourse_config_get_int (config, "binance", "max_retries");
  self->retry_base_ms = bourse_config_get_int (config, "binance", "retry_base_ms");
  self->retry_max_ms = bourse_config_get_int (config, "binance", "retry_max_ms");
  self->retry_after_max_s = bourse_config_get_int (config, "binance", "retry_after_max");

  /* "timeout" bounds every read and write, so a server that stops
   * answering is a time-out we retry, not a fetch that hangs. */
  self->session = soup_session_new_with_options ("timeout",
                                                 (guint)bourse_config_get_int (config, "binance", "request_timeout"),
                                                 "user-agent", user_agent,
                                                 NULL);
  return self;
}

const char *
bourse_binance_rest_get_base_url (BourseBinanceRest *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_REST (self), NULL);

  return self->base_url;
}

guint
bourse_binance_rest_get_used_weight (BourseBinanceRest *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_REST (self), 0);

  return self->used_weight;
}

guint
bourse_binance_rest_get_n_requests (BourseBinanceRest *self)
{
  g_return_val_if_fail (BOURSE_IS_BINANCE_REST (self), 0);

  return self->n_requests;
}

/* Parsing {{{ */

static gboolean
int_element (JsonArray *row,
             guint      index,
             gint64    *value)
{
  JsonNode *node = json_array_get_element (row, index);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static gboolean
decimal_element (JsonArray     *row,
                 guint          index,
                 BourseDecimal *value)
{
  JsonNode *node = json_array_get_element (row, index);

  /* Binance sends prices and volumes as strings, so no digit is lost in a
   * float on the way. */
  return JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING
      && bourse_decimal_parse (json_node_get_string (node), value, NULL);
}

gboolean
bourse_binance_parse_kline_row (JsonArray      *row,
                                BourseInterval  interval,
                                gint64          now_ms,
                                BourseCandle   *candle,
                                GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 close_time;

  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (candle != NULL, FALSE);

  memset (candle, 0, sizeof *candle);
  if (json_array_get_length (row) < 9
      || !int_element (row, 0, &candle->open_time)
      || !decimal_element (row, 1, &candle->open)
      || !decimal_element (row, 2, &candle->high)
      || !decimal_element (row, 3, &candle->low)
      || !decimal_element (row, 4, &candle->close)
      || !decimal_element (row, 5, &candle->volume)
      || !int_element (row, 6, &close_time)
      || !int_element (row, 8, &candle->trades))
    {
      g_set_error_literal (error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_MALFORMED,
                           _("A kline is not [openTime, \"open\", \"high\", \"low\", \"close\", \"volume\", "
                             "closeTime, …, trades, …]"));
      return FALSE;
    }

  if (!bourse_candle_validate (candle, interval, &local_error))
    {
      g_set_error_literal (error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_MALFORMED, local_error->message);
      return FALSE;
    }
  if (close_time != bourse_interval_next (interval, candle->open_time) - 1)
    {
      g_set_error (error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_MALFORMED,
                   _("A kline's close time does not end its %s interval"), bourse_interval_to_string (interval));
      return FALSE;
    }
  candle->closed = close_time < now_ms;
  return TRUE;
}

/* The page of @body, checked to be in order and inside [cursor, end]. */
static GArray *
parse_page (Fetch   *fetch,
            GBytes  *body,
            GError **error)
{
  g_autoptr(GArray) candles = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 now = bourse_time_now_ms ();
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  JsonArray *rows;
  gint64 previous;

  if ((root = bourse_json_parse (data, length, 0, &local_error)) == NULL)
    {
      g_set_error (error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_MALFORMED,
                   _("The answer is not JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_MALFORMED,
                           _("The answer is not a list of klines"));
      return NULL;
    }

  rows = json_node_get_array (root);
  previous = fetch->cursor - 1;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      BourseCandle candle;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error_literal (error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_MALFORMED,
                               _("The answer is not a list of klines"));
          return NULL;
        }
      if (!bourse_binance_parse_kline_row (json_node_get_array (node), fetch->interval, now, &candle, error))
        return NULL;
      /* Pages must tile the range: anything out of order or outside it
       * means we would store the wrong thing. */
      if (candle.open_time <= previous || candle.open_time > fetch->end)
        {
          g_set_error_literal (error, BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_MALFORMED,
                               _("The klines are out of order or outside the range asked for"));
          return NULL;
        }
      previous = candle.open_time;
      g_array_append_val (candles, candle);
    }
  return g_steal_pointer (&candles);
}

/* Binance's {"code":-1121,"msg":"Invalid symbol."}, or the HTTP reason. */
static char *
describe_refusal (SoupMessage *message,
                  GBytes      *body)
{
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  g_autoptr(JsonNode) root = data != NULL ? bourse_json_parse (data, length, 0, NULL) : NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *msg = bourse_json_get_string (object, "msg");
      gint64 code = 0;

      if (msg != NULL)
        return g_strdup_printf ("%s (%" G_GINT64_FORMAT ")", msg,
                                bourse_json_get_int (object, "code", &code) ? code : 0);
    }
  return g_strdup_printf ("%u %s", soup_message_get_status (message),
                          soup_message_get_reason_phrase (message) ? soup_message_get_reason_phrase (message) : "");
}

/* }}} */

/* Fetching {{{ */

static void fetch_next (GTask *task);

static void
fetch_return_error (GTask  *task,
                    GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);

  fetch->finished = TRUE;
  disconnect_caller (fetch);
  bourse_source_clear (&fetch->wait_source);
  g_task_return_error (task, error);
}

static void
fetch_return_success (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);

  fetch->finished = TRUE;
  disconnect_caller (fetch);
  bourse_source_clear (&fetch->wait_source);
  g_task_return_boolean (task, TRUE);
}

static gboolean
wait_done_cb (gpointer data)
{
  GTask *task = data;
  Fetch *fetch = g_task_get_task_data (task);

  /* The source goes when this returns; fetch_next may start another. */
  g_clear_pointer (&fetch->wait_source, g_source_unref);
  fetch_next (task);
  return G_SOURCE_REMOVE;
}

static void
wait_then_fetch (GTask             *task,
                 BourseBinanceWait  reason,
                 guint              delay_ms)
{
  BourseBinanceRest *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  g_debug ("Binance: waiting %u ms (%s) before asking for %s from %" G_GINT64_FORMAT,
           delay_ms, reason == BOURSE_BINANCE_WAIT_BACKOFF ? "back-off"
                     : reason == BOURSE_BINANCE_WAIT_RETRY_AFTER ? "Retry-After" : "weight",
           fetch->symbol, fetch->cursor);
  g_signal_emit (self, signals[WAITING], 0, (guint)reason, delay_ms, fetch->attempt);
  if (fetch->finished)
    return;   /* a handler cancelled */

  fetch->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (fetch->wait_source, wait_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (fetch->wait_source, g_task_get_context (task));
}

/* A failure worth another try: counts the attempt and waits, or gives up
 * with what went wrong last. */
static void
retry (GTask              *task,
       BourseBinanceError  code,
       const char         *problem,
       guint               retry_after_ms)
{
  BourseBinanceRest *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);

  fetch->attempt++;
  if (fetch->attempt > self->max_retries)
    {
      fetch_return_error (task, g_error_new (BOURSE_BINANCE_ERROR, code,
                                             _("Binance klines of %s could not be fetched after %u attempts: %s"),
                                             fetch->symbol, fetch->attempt, problem));
      return;
    }
  g_debug ("Binance: attempt %u failed: %s", fetch->attempt, problem);
  if (retry_after_ms > 0)
    wait_then_fetch (task, BOURSE_BINANCE_WAIT_RETRY_AFTER, retry_after_ms);
  else
    wait_then_fetch (task, BOURSE_BINANCE_WAIT_BACKOFF, bourse_backoff_ms (self->retry_base_ms, self->retry_max_ms, fetch->attempt));
}

static void
read_weight (BourseBinanceRest *self,
             SoupMessage       *message)
{
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                     "X-MBX-USED-WEIGHT-1m");
  guint64 used;

  if (header == NULL || !g_ascii_string_to_unsigned (header, 10, 0, G_MAXUINT, &used, NULL))
    return;
  self->used_weight = (guint)used;
  self->used_weight_window = (g_get_real_time () / 1000) / self->weight_window_ms;
}

/* How long to pause so that the next request stays within the budget:
 * until Binance's window (on the wall clock, like Binance's minute) turns,
 * with a little margin for clock skew. */
static guint
weight_delay_ms (BourseBinanceRest *self)
{
  gint64 now = g_get_real_time () / 1000;
  gint64 window = now / self->weight_window_ms;

  if (self->used_weight_window != window || self->used_weight + KLINES_WEIGHT <= self->weight_limit)
    return 0;
  return (guint)((window + 1) * self->weight_window_ms - now + MIN (1000, self->weight_window_ms / 20));
}

gboolean
bourse_binance_error_is_transient (const GError *error)
{
  if (error->domain == G_TLS_ERROR)
    return FALSE;
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
handle_page (GTask   *task,
             GArray  *candles)
{
  Fetch *fetch = g_task_get_task_data (task);
  GError *error = NULL;

  fetch->attempt = 0;
  if (candles->len > 0
      && !fetch->page_func ((const BourseCandle *)(gpointer)candles->data, candles->len, fetch->page_data, &error))
    {
      fetch_return_error (task, error);
      return;
    }
  if (fetch->finished)
    return;
  fetch->n_candles += candles->len;

  /* A short page is the last one: Binance fills a page while klines remain. */
  if (candles->len < BOURSE_BINANCE_KLINES_LIMIT)
    {
      fetch_return_success (task);
      return;
    }
  fetch->cursor = bourse_interval_next (fetch->interval,
                                       g_array_index (candles, BourseCandle, candles->len - 1).open_time);
  fetch_next (task);
}

guint
bourse_binance_retry_after_seconds (SoupMessage *message)
{
  const char *header = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  guint64 seconds;

  if (header == NULL || !g_ascii_string_to_unsigned (header, 10, 0, G_MAXUINT32, &seconds, NULL))
    return G_MAXUINT;
  return (guint)seconds;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BourseBinanceRest *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GArray) candles = NULL;
  g_autofree char *problem = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (fetch->finished)
    return;
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fetch_return_error (task, g_steal_pointer (&error));
      else if (!bourse_binance_error_is_transient (error))
        fetch_return_error (task, g_error_new (BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_UNAVAILABLE,
                                               _("Binance cannot be reached at %s: %s"),
                                               self->base_url, error->message));
      else
        retry (task, BOURSE_BINANCE_ERROR_UNAVAILABLE, error->message, 0);
      return;
    }

  read_weight (self, message);
  status = soup_message_get_status (message);

  if (status == SOUP_STATUS_OK)
    {
      if ((candles = parse_page (fetch, body, &error)) == NULL)
        retry (task, BOURSE_BINANCE_ERROR_MALFORMED, error->message, 0);
      else
        handle_page (task, candles);
    }
  else if (status == 429 || status == 418)
    {
      guint seconds = bourse_binance_retry_after_seconds (message);

      problem = describe_refusal (message, body);
      if (seconds != G_MAXUINT && seconds > self->retry_after_max_s)
        fetch_return_error (task, g_error_new (BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_RATE_LIMITED,
                                               status == 418
                                                 ? _("Binance has banned this address for %u s (HTTP 418): %s")
                                                 : _("Binance asks to wait %u s (HTTP 429): %s"),
                                               seconds, problem));
      else
        /* Without a Retry-After, the back-off is the wait. */
        retry (task, BOURSE_BINANCE_ERROR_RATE_LIMITED, problem,
               seconds == G_MAXUINT ? 0 : MAX (seconds, 1) * 1000);
    }
  else if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      problem = describe_refusal (message, body);
      retry (task, BOURSE_BINANCE_ERROR_UNAVAILABLE, problem, 0);
    }
  else
    {
      problem = describe_refusal (message, body);
      fetch_return_error (task, g_error_new (BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_REFUSED,
                                             _("Binance refused the klines of %s: %s"), fetch->symbol, problem));
    }
}

static void
fetch_next (GTask *task)
{
  BourseBinanceRest *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *symbol = NULL;
  g_autofree char *uri = NULL;
  guint delay;

  if (fetch->cursor > fetch->end)
    {
      fetch_return_success (task);
      return;
    }
  if ((delay = weight_delay_ms (self)) > 0)
    {
      wait_then_fetch (task, BOURSE_BINANCE_WAIT_WEIGHT, delay);
      return;
    }

  symbol = g_uri_escape_string (fetch->symbol, NULL, FALSE);
  uri = g_strdup_printf ("%s/api/v3/klines?symbol=%s&interval=%s&startTime=%" G_GINT64_FORMAT
                         "&endTime=%" G_GINT64_FORMAT "&limit=%d",
                         self->base_url, symbol, bourse_interval_to_string (fetch->interval),
                         fetch->cursor, fetch->end, BOURSE_BINANCE_KLINES_LIMIT);
  if ((message = soup_message_new (SOUP_METHOD_GET, uri)) == NULL)
    {
      fetch_return_error (task, g_error_new (BOURSE_BINANCE_ERROR, BOURSE_BINANCE_ERROR_UNAVAILABLE,
                                             _("Binance cannot be reached at %s: not a valid URL"),
                                             self->base_url));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");

  self->n_requests++;
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, fetch->cancellable,
                                    sent_cb, g_object_ref (task));
}

static gboolean
caller_cancelled_idle_cb (gpointer data)
{
  GTask *task = data;
  Fetch *fetch = g_task_get_task_data (task);

  /* Here, on the client's own thread: libsoup's request is cancelled where
   * it runs, whichever thread cancelled the caller's cancellable. */
  if (fetch->finished)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (fetch->cancellable);
  if (fetch->wait_source != NULL)
    fetch_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled")));
  return G_SOURCE_REMOVE;
}

/* In whichever thread cancels: only hands the cancel over to ours. */
static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      data)
{
  GTask *task = data;
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, caller_cancelled_idle_cb, g_object_ref (task), g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

void
bourse_binance_rest_fetch_klines_async (BourseBinanceRest     *self,
                                        const char            *symbol,
                                        BourseInterval         interval,
                                        gint64                 start,
                                        gint64                 end,
                                        BourseBinancePageFunc  page_func,
                                        gpointer               page_data,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  Fetch *fetch;

  g_return_if_fail (BOURSE_IS_BINANCE_REST (self));
  g_return_if_fail (symbol != NULL);
  g_return_if_fail ((guint)interval < BOURSE_N_INTERVALS);
  g_return_if_fail (page_func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bourse_binance_rest_fetch_klines_async);

  fetch = g_new0 (Fetch, 1);
  fetch->symbol = g_strdup (symbol);
  fetch->interval = interval;
  fetch->cursor = MAX (start, BOURSE_TIME_MIN_MS);
  fetch->end = MIN (end, BOURSE_TIME_MAX_MS);
  fetch->page_func = page_func;
  fetch->page_data = page_data;
  fetch->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, fetch, fetch_free);

  /* Not a GCancellableSource: GLib 2.74 can leak one that is finalised
   * while another thread is cancelling. The task is alive while connected. */
  if (cancellable != NULL)
    {
      fetch->caller = g_object_ref (cancellable);
      fetch->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb), task, NULL);
    }

  fetch_next (task);
}

gboolean
bourse_binance_rest_fetch_klines_finish (BourseBinanceRest  *self,
                                         GAsyncResult       *result,
                                         guint64            *n_candles,
                                         GError            **error)
{
  Fetch *fetch;

  g_return_val_if_fail (BOURSE_IS_BINANCE_REST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  fetch = g_task_get_task_data (G_TASK (result));
  if (n_candles != NULL)
    *n_candles = fetch->n_candles;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* }}} */
