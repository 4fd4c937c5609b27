/* bourse-metrics.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bourse-metrics.h"

/* Latency buckets in seconds: from a cached /health to a slow backtest page. */
static const double buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
#define N_BUCKETS G_N_ELEMENTS (buckets)

typedef struct
{
  guint64 counts[N_BUCKETS];  /* cumulative is computed when rendering */
  guint64 count;
  double  sum;
} Histogram;

/* Series keys join label values with the ASCII unit separator, which no
 * route pattern, HTTP method or status contains (unlike a newline). */
#define SEP "\x1f"

/* A route, method and status resolved once to their counter and
 * histogram: observing a request is then one lookup without formatting. */
typedef struct
{
  char      *route;
  char      *method;
  guint      status;
  guint      hash;
  guint64   *counter;     /* owned by the requests table */
  Histogram *histogram;   /* owned by the latencies table */
} Series;

struct _BourseMetrics
{
  GHashTable *requests;    /* route SEP method SEP status → guint64* */
  GHashTable *latencies;   /* route SEP method → Histogram* */
  GHashTable *series;      /* Series → itself */
  guint       websocket_clients;
  guint64     websocket_sent;
  guint64     websocket_received;
  guint64     websocket_slow_closes;
};

static guint
series_hash_of (const char *route,
                const char *method,
                guint       status)
{
  return (g_str_hash (route) * 31 + g_str_hash (method)) * 31 + status;
}

static guint
series_hash (gconstpointer key)
{
  return ((const Series *)key)->hash;
}

static gboolean
series_equal (gconstpointer a,
              gconstpointer b)
{
  const Series *x = a, *y = b;

  return x->status == y->status && strcmp (x->route, y->route) == 0 && strcmp (x->method, y->method) == 0;
}

static void
series_free (Series *series)
{
  g_free (series->route);
  g_free (series->method);
  g_free (series);
}

BourseMetrics *
bourse_metrics_new (void)
{
  BourseMetrics *self = g_new0 (BourseMetrics, 1);

  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->latencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->series = g_hash_table_new_full (series_hash, series_equal, (GDestroyNotify) series_free, NULL);
  return self;
}

void
bourse_metrics_free (BourseMetrics *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->series);
  g_hash_table_unref (self->requests);
  g_hash_table_unref (self->latencies);
  g_free (self);
}

void
bourse_metrics_observe_request (BourseMetrics *self,
                                const char    *route,
                                const char    *method,
                                guint          status,
                                double         seconds)
{
  Series wanted = { (char *)route, (char *)method, status, 0, NULL, NULL };
  Series *series;
  Histogram *histogram;

  g_return_if_fail (self != NULL);
  g_return_if_fail (route != NULL && method != NULL);

  wanted.hash = series_hash_of (route, method, status);

  if ((series = g_hash_table_lookup (self->series, &wanted)) == NULL)
    {
      char key[512];

      series = g_new0 (Series, 1);
      series->route = g_strdup (route);
      series->method = g_strdup (method);
      series->status = status;
      series->hash = wanted.hash;

      g_snprintf (key, sizeof key, "%s" SEP "%s" SEP "%u", route, method, status);
      if ((series->counter = g_hash_table_lookup (self->requests, key)) == NULL)
        {
          series->counter = g_new0 (guint64, 1);
          g_hash_table_insert (self->requests, g_strdup (key), series->counter);
        }
      g_snprintf (key, sizeof key, "%s" SEP "%s", route, method);
      if ((series->histogram = g_hash_table_lookup (self->latencies, key)) == NULL)
        {
          series->histogram = g_new0 (Histogram, 1);
          g_hash_table_insert (self->latencies, g_strdup (key), series->histogram);
        }
      g_hash_table_add (self->series, series);
    }

  (*series->counter)++;
  histogram = series->histogram;
  for (guint i = 0; i < N_BUCKETS; i++)
    if (seconds <= buckets[i])
      {
        histogram->counts[i]++;
        break;
      }
  histogram->count++;
  histogram->sum += seconds;
}

void
bourse_metrics_set_websocket_clients (BourseMetrics *self,
                                      guint          n_clients)
{
  g_return_if_fail (self != NULL);
  self->websocket_clients = n_clients;
}

void
bourse_metrics_count_websocket_message (BourseMetrics *self,
                                        gboolean       outgoing)
{
  g_return_if_fail (self != NULL);

  if (outgoing)
    self->websocket_sent++;
  else
    self->websocket_received++;
}

void
bourse_metrics_count_websocket_slow_close (BourseMetrics *self)
{
  g_return_if_fail (self != NULL);
  self->websocket_slow_closes++;
}

/* Label values are escaped as the exposition format requires. */
static void
append_label (GString    *out,
              const char *name,
              const char *value,
              gboolean    first)
{
  g_string_append_printf (out, "%s%s=\"", first ? "" : ",", name);
  for (const char *p = value; *p; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        {
          g_string_append (out, "\\n");
          continue;
        }
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

/* Sorted, so that scrapes list series in a stable order. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);
  return keys;
}

/* The shortest text that reads back as the same double: counters such as
 * _sum must not lose precision as they grow. */
static void
format_double (char   *buffer,
               gsize   size,
               double  value)
{
  /* %.15g is exact for most values and stays readable ("0.0005"); fall
   * back to the 17 digits that always read back exactly. */
  g_ascii_formatd (buffer, size, "%.15g", value);
  if (g_ascii_strtod (buffer, NULL) != value)
    g_ascii_formatd (buffer, size, "%.17g", value);
}

char *
bourse_metrics_render (BourseMetrics *self,
                       double         uptime_seconds)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) keys = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (self != NULL, NULL);

  g_string_append (out,
                   "# HELP bourse_build_info Build information; the value is always 1.\n"
                   "# TYPE bourse_build_info gauge\n");
  g_string_append_printf (out, "bourse_build_info{version=\"%s\",profile=\"%s\"} 1\n",
                          PACKAGE_VERSION, PROFILE);

  format_double (number, sizeof number, uptime_seconds);
  g_string_append_printf (out,
                          "# HELP bourse_uptime_seconds Seconds since the engine started.\n"
                          "# TYPE bourse_uptime_seconds gauge\n"
                          "bourse_uptime_seconds %s\n", number);

  g_string_append (out,
                   "# HELP bourse_http_requests_total HTTP requests answered, by route, method and status.\n"
                   "# TYPE bourse_http_requests_total counter\n");
  keys = sorted_keys (self->requests);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_auto(GStrv) parts = g_strsplit (key, SEP, 3);
      guint64 *counter = g_hash_table_lookup (self->requests, key);

      g_string_append (out, "bourse_http_requests_total{");
      append_label (out, "route", parts[0], TRUE);
      append_label (out, "method", parts[1], FALSE);
      append_label (out, "status", parts[2], FALSE);
      g_string_append_printf (out, "} %" G_GUINT64_FORMAT "\n", *counter);
    }
  g_clear_pointer (&keys, g_ptr_array_unref);

  g_string_append (out,
                   "# HELP bourse_http_request_duration_seconds Time to answer HTTP requests.\n"
                   "# TYPE bourse_http_request_duration_seconds histogram\n");
  keys = sorted_keys (self->latencies);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_auto(GStrv) parts = g_strsplit (key, SEP, 2);
      Histogram *histogram = g_hash_table_lookup (self->latencies, key);
      guint64 cumulative = 0;

      for (guint b = 0; b <= N_BUCKETS; b++)
        {
          char le[G_ASCII_DTOSTR_BUF_SIZE];

          if (b < N_BUCKETS)
            {
              cumulative += histogram->counts[b];
              format_double (le, sizeof le, buckets[b]);
            }
          else
            {
              cumulative = histogram->count;
              g_strlcpy (le, "+Inf", sizeof le);
            }

          g_string_append (out, "bourse_http_request_duration_seconds_bucket{");
          append_label (out, "route", parts[0], TRUE);
          append_label (out, "method", parts[1], FALSE);
          append_label (out, "le", le, FALSE);
          g_string_append_printf (out, "} %" G_GUINT64_FORMAT "\n", cumulative);
        }

      format_double (number, sizeof number, histogram->sum);
      g_string_append (out, "bourse_http_request_duration_seconds_sum{");
      append_label (out, "route", parts[0], TRUE);
      append_label (out, "method", parts[1], FALSE);
      g_string_append_printf (out, "} %s\n", number);
      g_string_append (out, "bourse_http_request_duration_seconds_count{");
      append_label (out, "route", parts[0], TRUE);
      append_label (out, "method", parts[1], FALSE);
      g_string_append_printf (out, "} %" G_GUINT64_FORMAT "\n", histogram->count);
    }

  g_string_append_printf (out,
                          "# HELP bourse_websocket_clients WebSocket clients connected now.\n"
                          "# TYPE bourse_websocket_clients gauge\n"
                          "bourse_websocket_clients %u\n"
                          "# HELP bourse_websocket_messages_total WebSocket messages, by direction.\n"
                          "# TYPE bourse_websocket_messages_total counter\n"
                          "bourse_websocket_messages_total{direction=\"received\"} %" G_GUINT64_FORMAT "\n"
                          "bourse_websocket_messages_total{direction=\"sent\"} %" G_GUINT64_FORMAT "\n"
                          "# HELP bourse_websocket_slow_closes_total WebSocket clients closed for not keeping up.\n"
                          "# TYPE bourse_websocket_slow_closes_total counter\n"
                          "bourse_websocket_slow_closes_total %" G_GUINT64_FORMAT "\n",
                          self->websocket_clients, self->websocket_received,
                          self->websocket_sent, self->websocket_slow_closes);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
bourse_metrics_append_scheduler_runs (GString         *out,
                                      BourseScheduler *scheduler)
{
  g_auto(GStrv) jobs = NULL;

  g_return_if_fail (out != NULL);
  g_return_if_fail (BOURSE_IS_SCHEDULER (scheduler));

  jobs = bourse_scheduler_dup_job_names (scheduler);
  g_string_append (out,
                   "# HELP bourse_scheduler_runs_total Scheduled jobs' runs, by job and outcome.\n"
                   "# TYPE bourse_scheduler_runs_total counter\n");
  for (guint i = 0; jobs[i] != NULL; i++)
    for (guint outcome = 0; outcome < BOURSE_N_RUN_OUTCOMES; outcome++)
      {
        g_string_append (out, "bourse_scheduler_runs_total{");
        append_label (out, "job", jobs[i], TRUE);
        append_label (out, "outcome", bourse_run_outcome_to_string (outcome), FALSE);
        g_string_append_printf (out, "} %" G_GUINT64_FORMAT "\n",
                                bourse_scheduler_get_run_count (scheduler, jobs[i], outcome));
      }
}
