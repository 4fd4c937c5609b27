/* test-download.c — downloads as jobs, through the API, against the fake exchange
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "auth/bourse-audit.h"
#include "core/bourse-jobs.h"
#include "market/bourse-candles.h"
#include "market/bourse-download.h"

#include "bourse-test-server.h"
#include "fake-exchange.h"

#define MINUTE   G_GINT64_CONSTANT (60000)
/* 2024-01-01T00:00:00Z */
#define T0       G_GINT64_CONSTANT (1704067200000)
#define SYMBOL   "XRPUSDT"
#define PASSWORD "seven hundred red balloons"

typedef struct
{
  FakeExchange     *exchange;
  BourseTestServer *server;
} Fixture;

/* Cheap hashing keeps the suite fast under sanitizers; short back-offs too. */
static const char * const settings[] = {
  "auth", "password_opslimit", "1",
  "auth", "password_memlimit_kib", "8",
  "auth", "secrets_backend", "file",
  "binance", "retry_base_ms", "50",
  "binance", "retry_max_ms", "500",
  "binance", "max_retries", "3",
  NULL
};

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static BourseStore *
store_of (Fixture *fixture)
{
  return bourse_engine_get_store (fixture->server->engine);
}

/* As @authorization ("Bearer …"; NULL: the owner, an admin). */
static guint
request_as (Fixture     *fixture,
            const char  *authorization,
            const char  *method,
            const char  *path,
            const char  *body,
            JsonNode   **json)
{
  const char * const headers[] = { "Authorization", authorization, NULL };
  g_autoptr(BourseTestResponse) response =
    bourse_test_fetch (fixture->server, method, path, authorization ? headers : NULL,
                       body ? "application/json" : NULL, body, -1);

  if (json != NULL)
    *json = bourse_test_response_json (response);
  return response->status;
}

static guint
request (Fixture     *fixture,
         const char  *method,
         const char  *path,
         const char  *body,
         JsonNode   **json)
{
  return request_as (fixture, NULL, method, path, body, json);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->exchange = fake_exchange_new ();
  /* The way an operator points Bourse at another exchange. */
  g_setenv ("BOURSE_BINANCE_BASE_URL", fake_exchange_get_url (fixture->exchange), TRUE);
  fixture->server = bourse_test_server_new (TRUE, settings);
  g_unsetenv ("BOURSE_BINANCE_BASE_URL");

  g_assert_cmpuint (request (fixture, "POST", "/api/v1/instruments",
                             "{\"symbol\":\"" SYMBOL "\",\"base_asset\":\"XRP\",\"quote_asset\":\"USDT\","
                             "\"tick_size\":\"0.0001\",\"lot_step\":\"0.1\",\"source\":\"binance\"}", NULL), ==, 201);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bourse_test_server_free (fixture->server);
  fake_exchange_free (fixture->exchange);
}

/* The jobs topic {{{ */

typedef struct
{
  SoupWebsocketConnection *connection;
  GPtrArray               *events;    /* JsonNode: the data of each jobs event */
  gboolean                 subscribed;
  gboolean                 closed;
  GError                  *error;
} Topic;

static void
topic_message_cb (SoupWebsocketConnection *connection,
                  int                      type,
                  GBytes                  *message,
                  Topic                   *topic)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  JsonObject *object = object_of (node);
  const char *type_name = json_object_get_string_member (object, "type");

  if (g_str_equal (type_name, "subscribed"))
    topic->subscribed = TRUE;
  else if (g_str_equal (type_name, "event") && g_str_equal (json_object_get_string_member (object, "topic"), "jobs"))
    g_ptr_array_add (topic->events, json_node_copy (json_object_get_member (object, "data")));
  else if (g_str_equal (type_name, "error"))
    g_error ("WebSocket error: %s", json_object_get_string_member (object, "message"));
}

static void
topic_closed_cb (SoupWebsocketConnection *connection,
                 Topic                   *topic)
{
  topic->closed = TRUE;
}

static void
topic_connected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Topic *topic = user_data;

  topic->connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &topic->error);
  if (topic->connection != NULL)
    {
      g_signal_connect (topic->connection, "message", G_CALLBACK (topic_message_cb), topic);
      g_signal_connect (topic->connection, "closed", G_CALLBACK (topic_closed_cb), topic);
    }
}

static gboolean
topic_connected (gpointer data)
{
  return ((Topic *)data)->connection != NULL || ((Topic *)data)->error != NULL;
}

static gboolean
topic_subscribed (gpointer data)
{
  return ((Topic *)data)->subscribed;
}

static Topic *
topic_subscribe (Fixture    *fixture,
                 const char *token)
{
  Topic *topic = g_new0 (Topic, 1);
  g_autofree char *url = g_strconcat (fixture->server->base_url, "api/v1/ws?token=",
                                      token ? token : fixture->server->token, NULL);
  g_autoptr(SoupMessage) message = NULL;

  memcpy (url, "ws", 2), memmove (url + 2, url + 4, strlen (url + 4) + 1);  /* http → ws */
  message = soup_message_new ("GET", url);
  topic->events = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  soup_session_websocket_connect_async (fixture->server->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, topic_connected_cb, topic);
  bourse_test_wait_until (topic_connected, topic, 5000, "the WebSocket");
  g_assert_no_error (topic->error);
  soup_websocket_connection_send_text (topic->connection, "{\"type\":\"subscribe\",\"topics\":[\"jobs\"]}");
  bourse_test_wait_until (topic_subscribed, topic, 5000, "the jobs subscription");
  return topic;
}

static gboolean
topic_is_closed (gpointer data)
{
  return ((Topic *)data)->closed;
}

static void
topic_free (Topic *topic)
{
  if (soup_websocket_connection_get_state (topic->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (topic->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      bourse_test_wait_until (topic_is_closed, topic, 5000, "the WebSocket to close");
    }
  g_signal_handlers_disconnect_by_data (topic->connection, topic);
  g_clear_object (&topic->connection);
  g_ptr_array_unref (topic->events);
  g_free (topic);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Topic, topic_free)

/* }}} */

/* Jobs {{{ */

static const char *
job_status (JsonNode *job)
{
  return json_object_get_string_member (object_of (job), "status");
}

static gint64
job_id (JsonNode *job)
{
  return json_object_get_int_member (object_of (job), "id");
}

/* POSTs a download; returns the 202's job. */
static JsonNode *
start_download (Fixture    *fixture,
                const char *authorization,
                gint64      start,
                gint64      end)
{
  g_autofree char *body = g_strdup_printf ("{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"start\":%"
                                           G_GINT64_FORMAT ",\"end\":%" G_GINT64_FORMAT "}", start, end);
  JsonNode *job = NULL;

  g_assert_cmpuint (request_as (fixture, authorization, "POST", "/api/v1/market/download", body, &job), ==, 202);
  return job;
}

typedef struct
{
  Fixture    *fixture;
  gint64      id;
  const char *status;
} JobWait;

static gboolean
job_has_status (gpointer data)
{
  JobWait *wait = data;
  g_autoptr(BourseJobInfo) info = bourse_jobs_get (bourse_engine_get_jobs (wait->fixture->server->engine),
                                                   wait->id, NULL);

  return info != NULL && g_str_equal (bourse_job_status_to_string (info->status), wait->status);
}

static void
wait_for_status (Fixture    *fixture,
                 gint64      id,
                 const char *status)
{
  JobWait wait = { fixture, id, status };

  bourse_test_wait_until (job_has_status, &wait, 20000, status);
}

static JsonNode *
get_job (Fixture *fixture,
         gint64   id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT, id);
  JsonNode *job = NULL;

  g_assert_cmpuint (request (fixture, "GET", path, NULL, &job), ==, 200);
  return job;
}

/* The stored 1m candles of the test symbol in [start, end). */
static GArray *
stored (Fixture *fixture,
        gint64   start,
        gint64   end)
{
  g_autoptr(BourseInstrument) instrument = bourse_instruments_find (store_of (fixture), SYMBOL, NULL);
  g_autoptr(GArray) all = g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  gint64 cursor = start;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) page = bourse_candles_query (store_of (fixture), instrument->id, BOURSE_INTERVAL_1M, cursor,
                                                     end - 1, BOURSE_CANDLES_MAX_LIMIT, &more, &cursor, &error);

      g_assert_no_error (error);
      g_array_append_vals (all, page->data, page->len);
    }
  return g_steal_pointer (&all);
}

static void
assert_exact (GArray *candles,
              gint64  start)
{
  for (guint i = 0; i < candles->len; i++)
    {
      const BourseCandle *got = &g_array_index (candles, BourseCandle, i);
      BourseCandle want;

      fake_exchange_kline (SYMBOL, BOURSE_INTERVAL_1M, start + i * MINUTE, &want);
      g_assert_cmpint (got->open_time, ==, want.open_time);
      g_assert_cmpint (got->open.units, ==, want.open.units);
      g_assert_cmpint (got->high.units, ==, want.high.units);
      g_assert_cmpint (got->low.units, ==, want.low.units);
      g_assert_cmpint (got->close.units, ==, want.close.units);
      g_assert_cmpint (got->volume.units, ==, want.volume.units);
      g_assert_cmpint (got->trades, ==, want.trades);
      g_assert_true (got->closed);
    }
}

static guint
count_audit (Fixture    *fixture,
             const char *action)
{
  BourseAuditFilter filter = { .action = action, .limit = 500 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = bourse_audit_list (store_of (fixture), &filter, &error);

  g_assert_no_error (error);
  return entries->len;
}

/* }}} */

typedef struct
{
  Topic  *topic;
  gint64  id;
} Final;

static gboolean
final_event_seen (gpointer data)
{
  Final *final = data;

  for (guint i = 0; i < final->topic->events->len; i++)
    {
      JsonNode *event = g_ptr_array_index (final->topic->events, i);

      if (job_id (event) == final->id && g_str_equal (job_status (event), "succeeded"))
        return TRUE;
    }
  return FALSE;
}

/* 202 with the job; its progress on the jobs topic up to "succeeded"; the
 * candles stored exactly, the higher intervals derived, the audit entry. */
static void
test_download_job (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(Topic) topic = topic_subscribe (fixture, NULL);
  g_autoptr(JsonNode) job = NULL;
  g_autoptr(JsonNode) done = NULL;
  g_autoptr(JsonNode) hours = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GArray) candles = NULL;
  JsonObject *o, *params;
  gboolean saw_running = FALSE, saw_partial = FALSE;
  double last_progress = 0;
  Final final;

  /* Pages a little apart, so that each one's progress is seen. */
  fake_exchange_set_delay_ms (fixture->exchange, 50);
  job = start_download (fixture, NULL, T0, T0 + 2500 * MINUTE);
  o = object_of (job);
  g_assert_cmpint (json_object_get_int_member (o, "id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "market.download");
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "queued");
  g_assert_cmpfloat (json_object_get_double_member (o, "progress"), ==, 0.0);
  g_assert_true (json_object_get_null_member (o, "error"));
  g_assert_true (json_object_get_null_member (o, "created_by"));   /* the desktop owner is no user */
  g_assert_nonnull (json_object_get_string_member (o, "created_at"));
  g_assert_true (json_object_get_null_member (o, "started_at"));
  g_assert_true (json_object_get_null_member (o, "finished_at"));
  g_assert_true (json_object_has_member (o, "message"));
  params = json_object_get_object_member (o, "params");
  g_assert_cmpstr (json_object_get_string_member (params, "symbol"), ==, SYMBOL);
  g_assert_cmpstr (json_object_get_string_member (params, "interval"), ==, "1m");
  g_assert_cmpint (json_object_get_int_member (params, "start"), ==, T0);
  g_assert_cmpint (json_object_get_int_member (params, "end"), ==, T0 + 2500 * MINUTE);

  final = (Final) { topic, job_id (job) };
  bourse_test_wait_until (final_event_seen, &final, 20000, "the job to succeed on the jobs topic");

  /* queued, running with progress growing, succeeded: in that order. */
  g_assert_cmpstr (job_status (g_ptr_array_index (topic->events, 0)), ==, "queued");
  for (guint i = 0; i < topic->events->len; i++)
    {
      JsonObject *event = object_of (g_ptr_array_index (topic->events, i));
      double progress = json_object_get_double_member (event, "progress");

      g_test_message ("jobs: %s %.3f %s", json_object_get_string_member (event, "status"), progress,
                      json_object_get_string_member_with_default (event, "message", ""));
      g_assert_cmpfloat (progress, >=, last_progress);
      last_progress = progress;
      if (g_str_equal (json_object_get_string_member (event, "status"), "running"))
        {
          saw_running = TRUE;
          saw_partial |= progress > 0.0 && progress < 1.0;
        }
    }
  g_assert_true (saw_running);
  g_assert_true (saw_partial);
  g_assert_cmpfloat (last_progress, ==, 1.0);

  done = get_job (fixture, job_id (job));
  o = object_of (done);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "succeeded");
  g_assert_nonnull (json_object_get_string_member (o, "started_at"));
  g_assert_nonnull (json_object_get_string_member (o, "finished_at"));
  g_assert_nonnull (strstr (json_object_get_string_member (o, "message"), "2500"));

  candles = stored (fixture, T0, T0 + 2500 * MINUTE);
  g_assert_cmpuint (candles->len, ==, 2500);
  assert_exact (candles, T0);
  g_assert_cmpuint (fake_exchange_get_n_requests (fixture->exchange), ==, 3);

  /* Derived: 2500 minutes span 42 hours, the last one not complete. */
  g_assert_cmpuint (request (fixture, "GET", "/api/v1/market/candles/" SYMBOL "?interval=1h&limit=100", NULL, &hours),
                    ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (hours), "items")), ==, 42);

  g_assert_cmpuint (count_audit (fixture, "market.download"), ==, 1);

  g_assert_cmpuint (request (fixture, "GET", "/api/v1/jobs", NULL, &list), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (list), "items")), ==, 1);
  g_assert_true (json_object_get_null_member (object_of (list), "next_cursor"));
}

/* A second, overlapping range asks only for what is missing, and nothing
 * is stored twice; a third asks for nothing at all. */
static void
test_download_overlap (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) first = start_download (fixture, NULL, T0, T0 + 1000 * MINUTE);
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  g_autoptr(JsonNode) third_done = NULL;
  g_autoptr(GArray) candles = NULL;
  const FakeRequest *asked;

  wait_for_status (fixture, job_id (first), "succeeded");
  g_assert_cmpuint (fake_exchange_get_n_requests (fixture->exchange), ==, 1);

  fake_exchange_clear_requests (fixture->exchange);
  second = start_download (fixture, NULL, T0 + 500 * MINUTE, T0 + 2000 * MINUTE);
  wait_for_status (fixture, job_id (second), "succeeded");
  g_assert_cmpuint (fake_exchange_get_n_requests (fixture->exchange), ==, 1);
  asked = fake_exchange_get_request (fixture->exchange, 0);
  g_assert_cmpint (asked->start_time, ==, T0 + 1000 * MINUTE);
  g_assert_cmpint (asked->end_time, ==, T0 + 1999 * MINUTE);

  candles = stored (fixture, T0, T0 + 3000 * MINUTE);
  g_assert_cmpuint (candles->len, ==, 2000);
  assert_exact (candles, T0);

  fake_exchange_clear_requests (fixture->exchange);
  third = start_download (fixture, NULL, T0, T0 + 2000 * MINUTE);
  wait_for_status (fixture, job_id (third), "succeeded");
  g_assert_cmpuint (fake_exchange_get_n_requests (fixture->exchange), ==, 0);
  third_done = get_job (fixture, job_id (third));
  g_assert_cmpfloat (json_object_get_double_member (object_of (third_done), "progress"), ==, 1.0);
  g_assert_nonnull (strstr (json_object_get_string_member (object_of (third_done), "message"), "2000"));
  g_clear_pointer (&candles, g_array_unref);
  candles = stored (fixture, T0, T0 + 3000 * MINUTE);
  g_assert_cmpuint (candles->len, ==, 2000);
}

static gboolean
page_written (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GArray) candles = stored (fixture, T0, T0 + 5000 * MINUTE);

  return candles->len > 0;
}

/* Cancelled half-way: what was written stays; downloading again fetches
 * the rest only. */
static void
test_download_cancel (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) job = NULL;
  g_autoptr(JsonNode) cancelled = NULL;
  g_autoptr(JsonNode) conflict = NULL;
  g_autoptr(JsonNode) final = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GArray) partial = NULL;
  g_autoptr(GArray) complete = NULL;
  g_autofree char *cancel_path = NULL;

  fake_exchange_set_delay_ms (fixture->exchange, 300);
  job = start_download (fixture, NULL, T0, T0 + 5000 * MINUTE);
  bourse_test_wait_until (page_written, fixture, 10000, "the first page");

  cancel_path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT "/cancel", job_id (job));
  g_assert_cmpuint (request (fixture, "POST", cancel_path, NULL, &cancelled), ==, 202);
  g_assert_cmpint (job_id (cancelled), ==, job_id (job));
  wait_for_status (fixture, job_id (job), "cancelled");

  final = get_job (fixture, job_id (job));
  g_assert_cmpfloat (json_object_get_double_member (object_of (final), "progress"), <, 1.0);
  g_assert_true (json_object_get_null_member (object_of (final), "error"));
  g_assert_nonnull (json_object_get_string_member (object_of (final), "finished_at"));
  g_assert_cmpuint (request (fixture, "POST", cancel_path, NULL, &conflict), ==, 409);
  g_assert_cmpuint (count_audit (fixture, "job.cancel"), ==, 1);

  partial = stored (fixture, T0, T0 + 5000 * MINUTE);
  g_test_message ("%u candles written before the cancel", partial->len);
  g_assert_cmpuint (partial->len, >, 0);
  g_assert_cmpuint (partial->len, <, 5000);
  g_assert_cmpuint (partial->len % 1000, ==, 0);   /* whole pages */
  assert_exact (partial, T0);

  fake_exchange_set_delay_ms (fixture->exchange, 0);
  fake_exchange_clear_requests (fixture->exchange);
  again = start_download (fixture, NULL, T0, T0 + 5000 * MINUTE);
  wait_for_status (fixture, job_id (again), "succeeded");
  g_assert_cmpint (fake_exchange_get_request (fixture->exchange, 0)->start_time, ==, T0 + partial->len * MINUTE);
  g_assert_cmpuint (fake_exchange_get_n_requests (fixture->exchange), ==, (5000 - partial->len) / 1000);
  complete = stored (fixture, T0, T0 + 5000 * MINUTE);
  g_assert_cmpuint (complete->len, ==, 5000);
  assert_exact (complete, T0);
}

/* Failures of the exchange end the job "failed" with the reason. */
static void
test_download_failure (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) job = NULL;
  g_autoptr(JsonNode) failed = NULL;
  g_autoptr(GArray) candles = NULL;

  /* One 500 is retried and the job succeeds; four are too many. */
  fake_exchange_answer (fixture->exchange, FAKE_ANSWER_500, 1);
  job = start_download (fixture, NULL, T0, T0 + 10 * MINUTE);
  wait_for_status (fixture, job_id (job), "succeeded");
  g_clear_pointer (&job, json_node_unref);

  fake_exchange_answer (fixture->exchange, FAKE_ANSWER_503, 4);
  job = start_download (fixture, NULL, T0 + 10 * MINUTE, T0 + 20 * MINUTE);
  wait_for_status (fixture, job_id (job), "failed");
  failed = get_job (fixture, job_id (job));
  g_assert_nonnull (strstr (json_object_get_string_member (object_of (failed), "error"), "4 attempts"));
  candles = stored (fixture, T0, T0 + 20 * MINUTE);
  g_assert_cmpuint (candles->len, ==, 10);
  g_assert_cmpuint (count_audit (fixture, "market.download"), ==, 2);
}

static char *
sign_in (Fixture    *fixture,
         const char *name,
         const char *role)
{
  g_autofree char *user = g_strdup_printf ("{\"username\":\"%s\",\"email\":\"%s@example.org\",\"password\":\""
                                           PASSWORD "\",\"role\":\"%s\"}", name, name, role);
  g_autofree char *credentials = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"" PASSWORD "\"}", name);
  const char * const anonymous[] = { "Authorization", "", NULL };
  g_autoptr(BourseTestResponse) login = NULL;
  g_autoptr(JsonNode) tokens = NULL;

  g_assert_cmpuint (request (fixture, "POST", "/api/v1/users", user, NULL), ==, 201);
  login = bourse_test_fetch (fixture->server, "POST", "/api/v1/auth/login", anonymous, "application/json",
                             credentials, -1);
  g_assert_cmpuint (login->status, ==, 200);
  tokens = bourse_test_response_json (login);
  return g_strdup (json_object_get_string_member (object_of (tokens), "access_token"));
}

/* Viewers watch, traders download and cancel their own, admins see all. */
static void
test_download_permissions (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *viewer_token = sign_in (fixture, "vera", "viewer");
  g_autofree char *trader_token = sign_in (fixture, "tom", "trader");
  g_autofree char *viewer = g_strconcat ("Bearer ", viewer_token, NULL);
  g_autofree char *trader = g_strconcat ("Bearer ", trader_token, NULL);
  g_autoptr(Topic) viewer_topic = topic_subscribe (fixture, viewer_token);
  g_autoptr(JsonNode) own = NULL;
  g_autoptr(JsonNode) owners = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) paged = NULL;
  g_autofree char *owners_path = NULL;
  g_autofree char *owners_cancel = NULL;
  g_autofree char *own_path = NULL;
  g_autofree char *next = NULL;
  JsonArray *items;

  g_assert_cmpuint (request_as (fixture, viewer, "POST", "/api/v1/market/download",
                                "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"start\":1704067200000,"
                                "\"end\":1704067800000}", NULL), ==, 403);

  own = start_download (fixture, trader, T0, T0 + 10 * MINUTE);
  g_assert_cmpint (json_object_get_int_member (object_of (own), "created_by"), >, 0);
  owners = start_download (fixture, NULL, T0 + 10 * MINUTE, T0 + 20 * MINUTE);
  wait_for_status (fixture, job_id (own), "succeeded");
  wait_for_status (fixture, job_id (owners), "succeeded");

  /* The trader lists and reads only their own; the owner's is not there for them. */
  g_assert_cmpuint (request_as (fixture, trader, "GET", "/api/v1/jobs", NULL, &list), ==, 200);
  items = json_object_get_array_member (object_of (list), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, job_id (own));
  owners_path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT, job_id (owners));
  owners_cancel = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT "/cancel", job_id (owners));
  own_path = g_strdup_printf ("/api/v1/jobs/%" G_GINT64_FORMAT, job_id (own));
  g_assert_cmpuint (request_as (fixture, trader, "GET", owners_path, NULL, NULL), ==, 404);
  g_assert_cmpuint (request_as (fixture, trader, "POST", owners_cancel, NULL, NULL), ==, 404);
  g_assert_cmpuint (request_as (fixture, trader, "GET", own_path, NULL, NULL), ==, 200);
  g_assert_cmpuint (request_as (fixture, viewer, "POST", owners_cancel, NULL, NULL), ==, 403);
  g_assert_cmpuint (request_as (fixture, viewer, "GET", "/api/v1/jobs", NULL, NULL), ==, 200);

  /* The admin sees both, newest first, a page at a time. */
  g_assert_cmpuint (request (fixture, "GET", "/api/v1/jobs", NULL, &all), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (all), "items")), ==, 2);
  g_assert_cmpuint (request (fixture, "GET", "/api/v1/jobs?limit=1", NULL, &paged), ==, 200);
  items = json_object_get_array_member (object_of (paged), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, job_id (owners));
  next = g_strdup_printf ("/api/v1/jobs?limit=1&cursor=%s",
                          json_object_get_string_member (object_of (paged), "next_cursor"));
  g_clear_pointer (&paged, json_node_unref);
  g_assert_cmpuint (request (fixture, "GET", next, NULL, &paged), ==, 200);
  items = json_object_get_array_member (object_of (paged), "items");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0), "id"), ==, job_id (own));
  g_assert_true (json_object_get_null_member (object_of (paged), "next_cursor"));
  g_assert_cmpuint (request (fixture, "GET", "/api/v1/jobs?limit=0", NULL, NULL), ==, 422);

  /* A viewer may watch the jobs topic (jobs.read). */
  g_assert_cmpuint (viewer_topic->events->len, >, 0);
}

static void
assert_refused (Fixture    *fixture,
                const char *body,
                const char *field)
{
  g_autoptr(JsonNode) problem = NULL;
  JsonArray *errors;

  g_test_message ("%s", body);
  g_assert_cmpuint (request (fixture, "POST", "/api/v1/market/download", body, &problem), ==, 422);
  errors = json_object_get_array_member (object_of (problem), "errors");
  g_assert_nonnull (errors);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==, field);
}

static void
test_download_validation (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) job = NULL;

  assert_refused (fixture, "{}", "symbol");
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\"}", "interval");
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\",\"interval\":\"2m\",\"start\":0,\"end\":1}", "interval");
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"end\":1704067800000}", "start");
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"start\":\"yesterday\","
                           "\"end\":1704067800000}", "start");
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"start\":1.5e12,"
                           "\"end\":1704067800000}", "start");
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"start\":1704067200000}", "end");
  assert_refused (fixture, "{\"symbol\":\"NOPEUSDT\",\"interval\":\"1m\",\"start\":1704067200000,"
                           "\"end\":1704067800000}", "symbol");
  /* A simulated instrument is not overwritten with exchange data. */
  assert_refused (fixture, "{\"symbol\":\"BTCUSDT\",\"interval\":\"1m\",\"start\":1704067200000,"
                           "\"end\":1704067800000}", "symbol");
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"start\":1704067800000,"
                           "\"end\":1704067800000}", "start");
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"start\":4102444800000,"
                           "\"end\":4102448400000}", "start");
  /* Six years of minutes is more than one download takes; of hours it is fine. */
  assert_refused (fixture, "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1m\",\"start\":\"2015-01-01T00:00:00Z\","
                           "\"end\":\"2021-01-01T00:00:00Z\"}", "end");
  g_assert_cmpuint (fake_exchange_get_n_requests (fixture->exchange), ==, 0);
  g_assert_cmpuint (count_audit (fixture, "market.download"), ==, 0);

  /* RFC 3339 works as well as milliseconds. */
  g_assert_cmpuint (request (fixture, "POST", "/api/v1/market/download",
                             "{\"symbol\":\"" SYMBOL "\",\"interval\":\"1h\",\"start\":\"2024-01-01T00:00:00Z\","
                             "\"end\":\"2024-01-02T00:00:00+00:00\"}", &job), ==, 202);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object_of (job), "params"), "end"),
                   ==, T0 + 24 * 60 * MINUTE);
  wait_for_status (fixture, job_id (job), "succeeded");
}

/* Jobs a crash left running, and those running at shutdown, end "failed"
 * with "interrupted"; nothing runs after shutdown. */
static void
test_download_interrupted (Fixture       *fixture,
                           gconstpointer  data)
{
  BourseJobs *jobs = bourse_engine_get_jobs (fixture->server->engine);
  g_autoptr(BourseJobs) restarted = NULL;
  g_autoptr(BourseJobInfo) crashed = NULL;
  g_autoptr(BourseJobInfo) stopped = NULL;
  g_autoptr(JsonNode) job = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bourse_store_exec (store_of (fixture),
                                    "INSERT INTO jobs (id, kind, status, params, created_at) "
                                    "VALUES (500, 'market.download', 'running', '{}', '2026-01-01T00:00:00.000Z')",
                                    &error));
  g_assert_no_error (error);
  restarted = bourse_jobs_new (store_of (fixture), bourse_engine_get_event_bus (fixture->server->engine), &error);
  g_assert_no_error (error);
  crashed = bourse_jobs_get (restarted, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpint (crashed->status, ==, BOURSE_JOB_FAILED);
  g_assert_cmpstr (crashed->error, ==, "interrupted");
  g_assert_nonnull (crashed->finished_at);

  fake_exchange_set_delay_ms (fixture->exchange, 300);
  job = start_download (fixture, NULL, T0, T0 + 5000 * MINUTE);
  bourse_test_wait_until (page_written, fixture, 10000, "the first page");
  bourse_jobs_shutdown (jobs);
  stopped = bourse_jobs_get (jobs, job_id (job), &error);
  g_assert_no_error (error);
  g_assert_cmpint (stopped->status, ==, BOURSE_JOB_FAILED);
  g_assert_cmpstr (stopped->error, ==, "interrupted");
  g_assert_cmpuint (bourse_jobs_get_n_active (jobs), ==, 0);
  g_assert_null (bourse_jobs_submit (jobs, "market.download", NULL, 0, bourse_download_job_func, NULL, NULL, NULL,
                                     &error));
  g_assert_error (error, BOURSE_JOBS_ERROR, BOURSE_JOBS_ERROR_STOPPED);
}

/* boursed market download: the same download from the command line. */
typedef struct
{
  GSubprocess *process;
  char        *out;
  char        *err;
  gboolean     done;
} Cli;

static void
cli_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &cli->out, &cli->err, &error);
  g_assert_no_error (error);
  cli->done = TRUE;
}

static gboolean
cli_done (gpointer data)
{
  return ((Cli *)data)->done;
}

static int
run_boursed (Fixture  *fixture,
             Cli      *cli,
             const char *symbol,
             const char *start,
             const char *end)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;

  /* The exchange answers from this process: wait while iterating. */
  g_subprocess_launcher_setenv (launcher, "BOURSE_BINANCE_BASE_URL", fake_exchange_get_url (fixture->exchange), TRUE);
  g_subprocess_launcher_setenv (launcher, "BOURSE_BINANCE_RETRY_BASE_MS", "50", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fixture->server->data_dir, TRUE);
  cli->process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("BOURSED"), "market", "download",
                                              "--symbol", symbol, "--interval", "1m", "--start", start,
                                              "--end", end, "--data-dir", fixture->server->data_dir, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (cli->process, NULL, NULL, cli_done_cb, cli);
  bourse_test_wait_until (cli_done, cli, 30000, "boursed market download");
  g_test_message ("stdout: %s\nstderr: %s", cli->out, cli->err);
  return g_subprocess_get_exit_status (cli->process);
}

static void
cli_clear (Cli *cli)
{
  g_clear_object (&cli->process);
  g_clear_pointer (&cli->out, g_free);
  g_clear_pointer (&cli->err, g_free);
  cli->done = FALSE;
}

static void
test_download_cli (Fixture       *fixture,
                   gconstpointer  data)
{
  Cli cli = { 0 };
  g_autoptr(GArray) candles = NULL;

  g_assert_cmpint (run_boursed (fixture, &cli, SYMBOL, "2024-01-01T00:00:00Z", "1704067200000"), ==, 1);
  g_assert_nonnull (strstr (cli.err, "start"));
  cli_clear (&cli);

  g_assert_cmpint (run_boursed (fixture, &cli, SYMBOL, "2024-01-01T00:00:00Z", "1704217200000"), ==, 0);
  g_assert_nonnull (strstr (cli.out, "2500 candles expected"));
  g_assert_nonnull (strstr (cli.err, "100%"));
  candles = stored (fixture, T0, T0 + 2500 * MINUTE);
  g_assert_cmpuint (candles->len, ==, 2500);
  assert_exact (candles, T0);
  g_assert_cmpuint (fake_exchange_get_n_requests (fixture->exchange), ==, 3);
  g_assert_cmpuint (count_audit (fixture, "market.download"), ==, 1);
  cli_clear (&cli);

  /* Again: nothing missing, nothing asked. */
  g_assert_cmpint (run_boursed (fixture, &cli, SYMBOL, "2024-01-01T00:00:00Z", "1704217200000"), ==, 0);
  g_assert_nonnull (strstr (cli.out, "0 were missing"));
  g_assert_cmpuint (fake_exchange_get_n_requests (fixture->exchange), ==, 3);
  cli_clear (&cli);

  g_assert_cmpint (run_boursed (fixture, &cli, "NOPEUSDT", "2024-01-01T00:00:00Z", "1704217200000"), ==, 1);
  cli_clear (&cli);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/download/job", test_download_job);
  ADD ("/download/overlap", test_download_overlap);
  ADD ("/download/cancel", test_download_cancel);
  ADD ("/download/failure", test_download_failure);
  ADD ("/download/permissions", test_download_permissions);
  ADD ("/download/validation", test_download_validation);
  ADD ("/download/interrupted", test_download_interrupted);
  ADD ("/download/cli", test_download_cli);
#undef ADD

  return g_test_run ();
}
