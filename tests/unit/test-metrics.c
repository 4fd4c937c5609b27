/* test-metrics.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "server/bourse-metrics.h"

#define PROMTOOL "/usr/bin/promtool"

/* One sample of the text exposition format 0.0.4, parsed independently of
 * how bourse-metrics.c writes it: label order is free, values are unescaped. */
typedef struct
{
  char       *name;
  GHashTable *labels;  /* name → unescaped value */
  char       *value;
} Sample;

static void
sample_free (Sample *sample)
{
  g_free (sample->name);
  g_hash_table_unref (sample->labels);
  g_free (sample->value);
  g_free (sample);
}

typedef struct
{
  GPtrArray  *samples;
  GHashTable *types;    /* family → counter, gauge, histogram… */
} Exposition;

static void
exposition_free (Exposition *exposition)
{
  g_ptr_array_unref (exposition->samples);
  g_hash_table_unref (exposition->types);
  g_free (exposition);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exposition, exposition_free)

static gboolean
is_name_char (char c,
              gboolean first)
{
  return g_ascii_isalpha (c) || c == '_' || c == ':' || (!first && g_ascii_isdigit (c));
}

/* The family a sample belongs to: histograms add _bucket, _sum and _count. */
static const char *
family_of (Exposition *exposition,
           const char *name,
           char       *buffer,
           gsize       size)
{
  static const char * const suffixes[] = { "_bucket", "_sum", "_count" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (name, suffixes[i]))
      {
        g_strlcpy (buffer, name, MIN (size, strlen (name) - strlen (suffixes[i]) + 1));
        if (g_strcmp0 (g_hash_table_lookup (exposition->types, buffer), "histogram") == 0)
          return buffer;
      }
  return name;
}

/* Parses the whole text or fails the test naming the line. */
static Exposition *
parse_exposition (const char *text)
{
  Exposition *exposition = g_new0 (Exposition, 1);
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  exposition->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_free);
  exposition->types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines);

  /* The last element is what follows the final newline. */
  for (guint l = 0; l + 1 < n_lines; l++)
    {
      const char *p = lines[l];
      Sample *sample;
      char family[256];
      GString *name;
      char *end;

      if (g_str_has_prefix (p, "# TYPE "))
        {
          g_auto(GStrv) parts = g_strsplit (p + 7, " ", -1);

          if (g_strv_length (parts) != 2)
            g_error ("line %u: bad TYPE line: %s", l + 1, p);
          if (g_hash_table_contains (exposition->types, parts[0]))
            g_error ("line %u: second TYPE for %s", l + 1, parts[0]);
          g_hash_table_insert (exposition->types, g_strdup (parts[0]), g_strdup (parts[1]));
          continue;
        }
      if (p[0] == '#')
        continue;
      if (p[0] == '\0')
        g_error ("line %u: empty line", l + 1);

      sample = g_new0 (Sample, 1);
      sample->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_ptr_array_add (exposition->samples, sample);

      name = g_string_new (NULL);
      for (; is_name_char (*p, name->len == 0); p++)
        g_string_append_c (name, *p);
      if (name->len == 0)
        g_error ("line %u: no metric name: %s", l + 1, lines[l]);
      sample->name = g_string_free (name, FALSE);

      if (*p == '{')
        {
          p++;
          while (*p != '}')
            {
              g_autoptr(GString) label = g_string_new (NULL);
              g_autoptr(GString) value = g_string_new (NULL);

              for (; is_name_char (*p, label->len == 0); p++)
                g_string_append_c (label, *p);
              if (label->len == 0 || p[0] != '=' || p[1] != '"')
                g_error ("line %u: bad label at '%s'", l + 1, p);
              p += 2;
              for (; *p != '"'; p++)
                {
                  if (*p == '\0')
                    g_error ("line %u: unterminated label value", l + 1);
                  if (*p == '\\')
                    {
                      p++;
                      if (*p == 'n')
                        g_string_append_c (value, '\n');
                      else if (*p == '\\' || *p == '"')
                        g_string_append_c (value, *p);
                      else
                        g_error ("line %u: bad escape \\%c", l + 1, *p);
                      continue;
                    }
                  g_string_append_c (value, *p);
                }
              p++;
              if (g_hash_table_contains (sample->labels, label->str))
                g_error ("line %u: label %s twice", l + 1, label->str);
              g_hash_table_insert (sample->labels, g_string_free (g_steal_pointer (&label), FALSE),
                                   g_string_free (g_steal_pointer (&value), FALSE));
              if (*p == ',')
                p++;
              else if (*p != '}')
                g_error ("line %u: expected , or } at '%s'", l + 1, p);
            }
          p++;
        }

      if (*p != ' ')
        g_error ("line %u: expected a space before the value: %s", l + 1, lines[l]);
      p++;
      sample->value = g_strdup (p);
      if (!g_str_equal (p, "+Inf") && !g_str_equal (p, "-Inf") && !g_str_equal (p, "NaN"))
        {
          g_ascii_strtod (p, &end);
          if (end == p || *end != '\0')
            g_error ("line %u: bad value '%s'", l + 1, p);
        }

      if (!g_hash_table_contains (exposition->types,
                                  family_of (exposition, sample->name, family, sizeof family)))
        g_error ("line %u: %s has no TYPE before it", l + 1, sample->name);
    }

  return exposition;
}

/* The value of the sample with exactly these labels (name, value pairs, NULL
 * terminated), or NULL. */
static const char *
find_sample (Exposition *exposition,
             const char *name,
             ...)
{
  const char *found = NULL;

  for (guint i = 0; i < exposition->samples->len; i++)
    {
      Sample *sample = g_ptr_array_index (exposition->samples, i);
      const char *label;
      guint n_labels = 0;
      gboolean same = TRUE;
      va_list args;

      if (!g_str_equal (sample->name, name))
        continue;

      va_start (args, name);
      while ((label = va_arg (args, const char *)) != NULL)
        {
          const char *value = va_arg (args, const char *);

          n_labels++;
          if (g_strcmp0 (g_hash_table_lookup (sample->labels, label), value) != 0)
            same = FALSE;
        }
      va_end (args);

      if (same && n_labels == g_hash_table_size (sample->labels))
        {
          /* A series appears once. */
          g_assert_null (found);
          found = sample->value;
        }
    }

  return found;
}

static guint
count_samples (Exposition *exposition,
               const char *name)
{
  guint n = 0;

  for (guint i = 0; i < exposition->samples->len; i++)
    if (g_str_equal (((Sample *) g_ptr_array_index (exposition->samples, i))->name, name))
      n++;
  return n;
}

static double
to_double (const char *text)
{
  g_assert_nonnull (text);
  if (g_str_equal (text, "+Inf"))
    return INFINITY;
  return g_ascii_strtod (text, NULL);
}

/* Checks one histogram series: the buckets, in the order written, are strictly
 * increasing bounds ending in +Inf, their counts cumulative, +Inf == _count. */
static void
check_histogram (Exposition *exposition,
                 const char *route,
                 const char *method,
                 guint64     expected_count)
{
  const char *base = "bourse_http_request_duration_seconds";
  g_autofree char *bucket_name = g_strconcat (base, "_bucket", NULL);
  g_autofree char *count_name = g_strconcat (base, "_count", NULL);
  double previous_le = -INFINITY;
  double previous_count = 0;
  guint n_buckets = 0;
  const char *count;

  for (guint i = 0; i < exposition->samples->len; i++)
    {
      Sample *sample = g_ptr_array_index (exposition->samples, i);
      const char *le;
      double bound, value;

      if (!g_str_equal (sample->name, bucket_name)
          || g_strcmp0 (g_hash_table_lookup (sample->labels, "route"), route) != 0
          || g_strcmp0 (g_hash_table_lookup (sample->labels, "method"), method) != 0)
        continue;

      g_assert_cmpuint (g_hash_table_size (sample->labels), ==, 3);
      le = g_hash_table_lookup (sample->labels, "le");
      g_assert_nonnull (le);
      bound = to_double (le);
      value = to_double (sample->value);

      g_assert_cmpfloat (bound, >, previous_le);
      g_assert_cmpfloat (value, >=, previous_count);
      g_assert_cmpfloat (value, ==, floor (value));
      previous_le = bound;
      previous_count = value;
      n_buckets++;
    }

  g_assert_cmpuint (n_buckets, >=, 2);
  g_assert_cmpfloat (previous_le, ==, INFINITY);
  count = find_sample (exposition, count_name, "route", route, "method", method, NULL);
  g_assert_cmpfloat (to_double (count), ==, previous_count);
  g_assert_cmpfloat (to_double (count), ==, (double) expected_count);
}

static const char *
bucket (Exposition *exposition,
        const char *route,
        const char *method,
        const char *le)
{
  return find_sample (exposition, "bourse_http_request_duration_seconds_bucket",
                      "route", route, "method", method, "le", le, NULL);
}

static const char *
websocket_messages (Exposition *exposition,
                    const char *direction)
{
  return find_sample (exposition, "bourse_websocket_messages_total", "direction", direction, NULL);
}

static const char *
type_of (Exposition *exposition,
         const char *family)
{
  return g_hash_table_lookup (exposition->types, family);
}

static const char *
requests (Exposition *exposition,
          const char *route,
          const char *method,
          const char *status)
{
  return find_sample (exposition, "bourse_http_requests_total",
                      "route", route, "method", method, "status", status, NULL);
}

static void
test_requests (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autoptr(Exposition) exposition = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 3; i++)
    bourse_metrics_observe_request (metrics, "/health", "GET", 200, 0.001);
  bourse_metrics_observe_request (metrics, "/health", "HEAD", 200, 0.001);
  bourse_metrics_observe_request (metrics, "/health", "GET", 503, 0.002);
  bourse_metrics_observe_request (metrics, "/api/v1/orders/{id}", "GET", 404, 0.003);
  bourse_metrics_observe_request (metrics, "/api/v1/orders/{id}", "GET", 404, 0.003);
  bourse_metrics_observe_request (metrics, "/api/v1/orders/{id}", "DELETE", 204, 0.004);
  bourse_metrics_observe_request (metrics, "unmatched", "POST", 405, 0.0001);

  text = bourse_metrics_render (metrics, 12);
  exposition = parse_exposition (text);

  g_assert_cmpstr (type_of (exposition, "bourse_http_requests_total"), ==, "counter");
  g_assert_cmpuint (count_samples (exposition, "bourse_http_requests_total"), ==, 6);
  g_assert_cmpstr (requests (exposition, "/health", "GET", "200"), ==, "3");
  g_assert_cmpstr (requests (exposition, "/health", "HEAD", "200"), ==, "1");
  g_assert_cmpstr (requests (exposition, "/health", "GET", "503"), ==, "1");
  g_assert_cmpstr (requests (exposition, "/api/v1/orders/{id}", "GET", "404"), ==, "2");
  g_assert_cmpstr (requests (exposition, "/api/v1/orders/{id}", "DELETE", "204"), ==, "1");
  g_assert_cmpstr (requests (exposition, "unmatched", "POST", "405"), ==, "1");

  /* Latency is by route and method, whatever the status. */
  check_histogram (exposition, "/health", "GET", 4);
  check_histogram (exposition, "/health", "HEAD", 1);
  check_histogram (exposition, "/api/v1/orders/{id}", "GET", 2);
  check_histogram (exposition, "/api/v1/orders/{id}", "DELETE", 1);
  check_histogram (exposition, "unmatched", "POST", 1);
  g_assert_cmpuint (count_samples (exposition, "bourse_http_request_duration_seconds_count"), ==, 5);

  /* Counters only grow. */
  bourse_metrics_observe_request (metrics, "/health", "GET", 200, 0.001);
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&exposition, exposition_free);
  text = bourse_metrics_render (metrics, 13);
  exposition = parse_exposition (text);
  g_assert_cmpstr (requests (exposition, "/health", "GET", "200"), ==, "4");
  check_histogram (exposition, "/health", "GET", 5);
}

static void
test_histogram (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autoptr(Exposition) exposition = NULL;
  g_autofree char *text = NULL;
  static const double observations[] = { 0.0001, 0.0005, 0.003, 0.003, 0.2, 1.0, 7.5 };
  double sum = 0;
  const char *r = "/api/v1/backtests";

  for (guint i = 0; i < G_N_ELEMENTS (observations); i++)
    {
      bourse_metrics_observe_request (metrics, r, "POST", 201, observations[i]);
      sum += observations[i];
    }

  text = bourse_metrics_render (metrics, 1);
  exposition = parse_exposition (text);

  g_assert_cmpstr (type_of (exposition, "bourse_http_request_duration_seconds"), ==,
                   "histogram");
  check_histogram (exposition, r, "POST", G_N_ELEMENTS (observations));

  /* le is an inclusive upper bound; cumulative counts. */
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "0.0005")), ==, 2);
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "0.001")), ==, 2);
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "0.0025")), ==, 2);
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "0.005")), ==, 4);
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "0.1")), ==, 4);
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "0.25")), ==, 5);
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "1")), ==, 6);
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "5")), ==, 6);
  /* Slower than the largest bucket: only in +Inf. */
  g_assert_cmpfloat (to_double (bucket (exposition, r, "POST", "+Inf")), ==, 7);

  g_assert_cmpfloat_with_epsilon (to_double (find_sample (exposition,
                                                          "bourse_http_request_duration_seconds_sum",
                                                          "route", r, "method", "POST", NULL)),
                                  sum, 1e-6);
  g_assert_cmpstr (find_sample (exposition, "bourse_http_request_duration_seconds_count",
                                "route", r, "method", "POST", NULL), ==, "7");
}

/* _sum is a counter too: on a server that has spent 10^6 s answering (a few
 * weeks), another 250 ms must still show, or rate(_sum) stays flat. */
static void
test_sum_precision (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autoptr(Exposition) exposition = NULL;
  g_autofree char *text = NULL;
  const char *sum;

  for (guint i = 0; i < 100000; i++)
    bourse_metrics_observe_request (metrics, "/api/v1/backtests", "POST", 201, 10.0);
  bourse_metrics_observe_request (metrics, "/api/v1/backtests", "POST", 201, 0.25);

  text = bourse_metrics_render (metrics, 1);
  exposition = parse_exposition (text);

  sum = find_sample (exposition, "bourse_http_request_duration_seconds_sum",
                     "route", "/api/v1/backtests", "method", "POST", NULL);
  if (fabs (to_double (sum) - 1000000.25) > 0.001)
    g_test_fail_printf ("_sum is written as %s, expected 1000000.25", sum);
}

/* Likewise the uptime gauge after two weeks: to the second at least. */
static void
test_uptime_precision (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autoptr(Exposition) exposition = NULL;
  g_autofree char *text = NULL;
  const char *uptime;

  text = bourse_metrics_render (metrics, 1234567.5);
  exposition = parse_exposition (text);

  uptime = find_sample (exposition, "bourse_uptime_seconds", NULL);
  if (fabs (to_double (uptime) - 1234567.5) > 0.5)
    g_test_fail_printf ("bourse_uptime_seconds is written as %s, expected 1234567.5", uptime);
}

/* Quotes and backslashes in a label value are escaped. */
static void
test_escaping (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autoptr(Exposition) exposition = NULL;
  g_autofree char *text = NULL;
  const char *route = "/api/v1/\"quoted\"/C:\\path\\";

  bourse_metrics_observe_request (metrics, route, "GET", 200, 0.01);

  text = bourse_metrics_render (metrics, 1);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "route=\"/api/v1/\\\"quoted\\\"/C:\\\\path\\\\\""));

  exposition = parse_exposition (text);
  g_assert_cmpstr (requests (exposition, route, "GET", "200"), ==, "1");
  check_histogram (exposition, route, "GET", 1);
}

/* A newline is written as \n, and the series keeps all its labels. */
static void
test_escaping_newline (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autoptr(Exposition) exposition = NULL;
  g_autofree char *text = NULL;
  const char *route = "/line one\nline two";
  const char *value;

  bourse_metrics_observe_request (metrics, route, "GET", 200, 0.01);

  text = bourse_metrics_render (metrics, 1);
  g_test_message ("%s", text);
  exposition = parse_exposition (text);

  value = requests (exposition, route, "GET", "200");
  if (g_strcmp0 (value, "1") != 0)
    {
      g_test_fail_printf ("no bourse_http_requests_total series with route=\"/line one\\nline two\", "
                          "method=\"GET\", status=\"200\"");
      return;
    }
  check_histogram (exposition, route, "GET", 1);
}

static void
test_websocket (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autoptr(Exposition) exposition = NULL;
  g_autofree char *text = NULL;

  text = bourse_metrics_render (metrics, 0);
  exposition = parse_exposition (text);
  g_assert_cmpstr (find_sample (exposition, "bourse_websocket_clients", NULL), ==, "0");
  g_assert_cmpstr (websocket_messages (exposition, "sent"), ==, "0");
  g_assert_cmpstr (websocket_messages (exposition, "received"), ==, "0");
  g_assert_cmpstr (find_sample (exposition, "bourse_websocket_slow_closes_total", NULL), ==, "0");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&exposition, exposition_free);

  bourse_metrics_set_websocket_clients (metrics, 3);
  for (guint i = 0; i < 5; i++)
    bourse_metrics_count_websocket_message (metrics, TRUE);
  for (guint i = 0; i < 2; i++)
    bourse_metrics_count_websocket_message (metrics, FALSE);
  bourse_metrics_count_websocket_slow_close (metrics);

  text = bourse_metrics_render (metrics, 0);
  exposition = parse_exposition (text);
  g_assert_cmpstr (type_of (exposition, "bourse_websocket_clients"), ==, "gauge");
  g_assert_cmpstr (type_of (exposition, "bourse_websocket_messages_total"), ==, "counter");
  g_assert_cmpstr (type_of (exposition, "bourse_websocket_slow_closes_total"), ==, "counter");
  g_assert_cmpstr (find_sample (exposition, "bourse_websocket_clients", NULL), ==, "3");
  g_assert_cmpstr (websocket_messages (exposition, "sent"), ==, "5");
  g_assert_cmpstr (websocket_messages (exposition, "received"), ==, "2");
  g_assert_cmpstr (find_sample (exposition, "bourse_websocket_slow_closes_total", NULL), ==, "1");
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&exposition, exposition_free);

  /* The clients gauge goes down as well. */
  bourse_metrics_set_websocket_clients (metrics, 1);
  text = bourse_metrics_render (metrics, 0);
  exposition = parse_exposition (text);
  g_assert_cmpstr (find_sample (exposition, "bourse_websocket_clients", NULL), ==, "1");
  g_assert_cmpstr (websocket_messages (exposition, "sent"), ==, "5");
}

static void
test_build_info (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autoptr(Exposition) exposition = NULL;
  g_autofree char *text = NULL;

  text = bourse_metrics_render (metrics, 42.5);
  exposition = parse_exposition (text);

  g_assert_cmpstr (type_of (exposition, "bourse_build_info"), ==, "gauge");
  g_assert_cmpstr (find_sample (exposition, "bourse_build_info",
                                "version", PACKAGE_VERSION, "profile", PROFILE, NULL), ==, "1");
  g_assert_cmpstr (type_of (exposition, "bourse_uptime_seconds"), ==, "gauge");
  g_assert_cmpfloat (to_double (find_sample (exposition, "bourse_uptime_seconds", NULL)), ==, 42.5);
  /* Nothing observed yet: no request series, but the families are declared. */
  g_assert_cmpuint (count_samples (exposition, "bourse_http_requests_total"), ==, 0);
  g_assert_true (g_hash_table_contains (exposition->types, "bourse_http_request_duration_seconds"));
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  GError   *error;
} Communication;

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Communication *communication = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &communication->out,
                                        &communication->err, &communication->error);
  communication->done = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs promtool check metrics on text; fails the test on any complaint, or
 * if promtool does not answer within 30 s. */
static void
check_with_promtool (const char *text)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Communication communication = { 0 };
  gboolean expired = FALSE;
  guint deadline;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                              | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, PROMTOOL, "check", "metrics", NULL);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, text, NULL, communicate_cb, &communication);
  deadline = g_timeout_add_seconds (30, deadline_cb, &expired);
  while (!communication.done && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!communication.done)
    {
      g_subprocess_force_exit (process);
      g_error ("promtool did not answer within 30 s");
    }
  g_source_remove (deadline);

  g_assert_no_error (communication.error);
  g_test_message ("promtool: exit %d, stdout '%s', stderr '%s'",
                  g_subprocess_get_exit_status (process), communication.out, communication.err);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpstr (g_strstrip (communication.out), ==, "");
  g_assert_cmpstr (g_strstrip (communication.err), ==, "");
  g_free (communication.out);
  g_free (communication.err);
}

static void
test_promtool (void)
{
  g_autoptr(BourseMetrics) metrics = bourse_metrics_new ();
  g_autofree char *empty = NULL;
  g_autofree char *text = NULL;

  if (!g_file_test (PROMTOOL, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("promtool is not installed (Debian package prometheus)");
      return;
    }

  empty = bourse_metrics_render (metrics, 0);
  check_with_promtool (empty);

  bourse_metrics_observe_request (metrics, "/health", "GET", 200, 0.0004);
  bourse_metrics_observe_request (metrics, "/health", "HEAD", 200, 0.0004);
  bourse_metrics_observe_request (metrics, "/api/v1/orders/{id}", "GET", 404, 0.02);
  bourse_metrics_observe_request (metrics, "/api/v1/orders/{id}", "DELETE", 204, 0.3);
  bourse_metrics_observe_request (metrics, "/api/v1/\"odd\"\\route", "PUT", 405, 9);
  bourse_metrics_observe_request (metrics, "unmatched", "GET", 404, 0.001);
  bourse_metrics_observe_request (metrics, "static", "GET", 200, 0.002);
  bourse_metrics_set_websocket_clients (metrics, 2);
  bourse_metrics_count_websocket_message (metrics, TRUE);
  bourse_metrics_count_websocket_message (metrics, FALSE);
  bourse_metrics_count_websocket_slow_close (metrics);

  text = bourse_metrics_render (metrics, 3600.25);
  check_with_promtool (text);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics/requests", test_requests);
  g_test_add_func ("/metrics/histogram", test_histogram);
  g_test_add_func ("/metrics/escaping", test_escaping);
  g_test_add_func ("/metrics/websocket", test_websocket);
  g_test_add_func ("/metrics/build-info", test_build_info);
  g_test_add_func ("/metrics/promtool", test_promtool);
  g_test_add_func ("/metrics/escaping-newline", test_escaping_newline);
  g_test_add_func ("/metrics/sum-precision", test_sum_precision);
  g_test_add_func ("/metrics/uptime-precision", test_uptime_precision);

  return g_test_run ();
}
